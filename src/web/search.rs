//! A search as the page and the API run it: the URL's parameters (the whole
//! query lives in the URL, so a search can be shared), ranked or newest-first
//! results with snippets, paging, and facet counts beside each filter.

use super::{AppState, WebError};
use crate::config::FilterText;
use crate::model::{Flag, Intent, Lang, Sentiment, Status, Urgency};
use crate::store::{self, MentionFilter, SearchQuery, SearchResult};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Results per page unless `per` says otherwise, and the most it may say.
pub const PER_PAGE: usize = 20;
const MAX_PER_PAGE: usize = 200;
/// Hits read for a newest-first sort (ranked hits are re-sorted by time).
const TIME_SORT_WINDOW: usize = 1000;
/// Hits whose urgency is counted for its facet (urgency is computed when
/// read, from the store, so it cannot be counted in the index).
const URGENCY_FACET_WINDOW: usize = 2000;

/// The URL's query string. Empty values are absent (an HTML form sends them).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Params {
    pub q: String,
    pub brand: Option<String>,
    pub lang: Option<String>,
    pub source: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub sentiment: Option<String>,
    pub intent: Option<String>,
    /// Comma-separated flags, all required.
    pub flag: Option<String>,
    pub urgency: Option<String>,
    pub status: Option<String>,
    /// `relevance` (default) or `time`.
    pub sort: Option<String>,
    /// From 1.
    pub page: Option<usize>,
    pub per: Option<usize>,
}

impl Params {
    pub fn page(&self) -> usize {
        self.page.unwrap_or(1).max(1)
    }

    pub fn per(&self) -> usize {
        self.per.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE)
    }

    pub fn by_time(&self) -> bool {
        self.sort.as_deref() == Some("time")
    }

    /// The filter these parameters ask for.
    pub fn filter(&self, st: &AppState) -> Result<MentionFilter, WebError> {
        let text = FilterText {
            brand: self.brand.clone(),
            lang: self.lang.clone(),
            source: self.source.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            intent: self.intent.clone(),
            flags: self.flag.iter().cloned().collect(),
            status: self.status.clone(),
            urgency: self.urgency.clone(),
            sentiment: self.sentiment.clone(),
            muted: false,
        };
        Ok(text.parse("", st.config.timezone, Utc::now(), st.config.replies.window)?)
    }

    /// This search's URL query string with `key` set to `value` (or removed
    /// when `None`), for facet, sort and paging links.
    pub fn with(&self, key: &str, value: Option<&str>) -> String {
        let mut p = self.clone();
        let v = value.map(str::to_string);
        match key {
            "brand" => p.brand = v,
            "lang" => p.lang = v,
            "source" => p.source = v,
            "sentiment" => p.sentiment = v,
            "intent" => p.intent = v,
            "flag" => p.flag = v,
            "urgency" => p.urgency = v,
            "status" => p.status = v,
            "sort" => p.sort = v,
            "page" => p.page = v.and_then(|x| x.parse().ok()),
            _ => {}
        }
        if key != "page" {
            p.page = None;
        }
        p.query_string()
    }

    /// The non-empty parameters as `a=b&c=d`.
    pub fn query_string(&self) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        let value = serde_json::to_value(self).unwrap_or_default();
        if let Some(map) = value.as_object() {
            for (k, v) in map {
                match v {
                    serde_json::Value::String(s) if !s.is_empty() => {
                        pairs.append_pair(k, s);
                    }
                    serde_json::Value::Number(n) => {
                        pairs.append_pair(k, &n.to_string());
                    }
                    _ => {}
                }
            }
        }
        pairs.finish()
    }
}

/// One page of results.
#[derive(Debug)]
pub struct Page {
    pub results: Vec<SearchResult>,
    /// Documents the index matches (before the filters decided on the store:
    /// status, sentiment, urgency, muting).
    pub total: usize,
    /// There are more results after this page.
    pub more: bool,
    /// Per filter, each value with the number of matching documents.
    pub facets: Vec<Facet>,
}

/// Counts beside one filter.
#[derive(Clone, Debug, Serialize)]
pub struct Facet {
    pub name: &'static str,
    pub values: Vec<(String, usize)>,
}

/// Runs the search of `p`.
pub fn run(st: &AppState, p: &Params) -> Result<Page, WebError> {
    let filter = p.filter(st)?;
    let (page, per) = (p.page(), p.per());
    let want = if p.by_time() {
        TIME_SORT_WINDOW
    } else {
        page * per + 1
    };
    let q = SearchQuery {
        text: p.q.clone(),
        filter: filter.clone(),
        limit: want,
    };
    st.index.reload().ok();
    let mut results = store::search(&st.index, st.store.as_ref(), &q)?;
    if p.by_time() {
        results.sort_by(|a, b| {
            b.mention
                .effective_time()
                .cmp(&a.mention.effective_time())
                .then_with(|| a.mention.id.cmp(&b.mention.id))
        });
    }
    let skip = (page - 1) * per;
    let more = results.len() > skip + per;
    let results: Vec<SearchResult> = results.into_iter().skip(skip).take(per).collect();
    let mut counted = q.clone();
    counted.filter.status = None;
    counted.filter.sentiment = None;
    let total = st.index.count(&st.index.prepare(&counted)?)?;
    let facets = facets(st, &q)?;
    Ok(Page {
        results,
        total,
        more,
        facets,
    })
}

/// Each filter's values with how many documents the query matches with
/// that value in place of the filter's current one.
fn facets(st: &AppState, q: &SearchQuery) -> Result<Vec<Facet>, WebError> {
    // Status and sentiment are counted in the index (status as the index last
    // saw it: a change made since shows after the next crawl's commit; the
    // filter itself reads the store).
    let count = |set: &dyn Fn(&mut MentionFilter)| -> Result<usize, WebError> {
        let mut q = q.clone();
        q.filter.status = None;
        q.filter.sentiment = None;
        set(&mut q.filter);
        Ok(st.index.count(&st.index.prepare(&q)?)?)
    };
    let config = &st.config;
    let mut out = vec![
        facet(
            "brand",
            &count,
            config.brands.iter().map(|b| {
                (b.name.clone(), move |f: &mut MentionFilter| {
                    f.brand = Some(b.name.clone())
                })
            }),
        )?,
        facet(
            "lang",
            &count,
            Lang::ALL.map(|l| (l.to_string(), move |f: &mut MentionFilter| f.lang = Some(l))),
        )?,
        facet(
            "source",
            &count,
            config.sources.iter().map(|s| {
                (s.name.clone(), move |f: &mut MentionFilter| {
                    f.source = Some(s.name.clone())
                })
            }),
        )?,
        facet(
            "intent",
            &count,
            Intent::ALL.map(|i| {
                (i.as_str().to_string(), move |f: &mut MentionFilter| {
                    f.intent = Some(i)
                })
            }),
        )?,
        facet(
            "flag",
            &count,
            Flag::ALL.map(|flag| {
                (flag.as_str().to_string(), move |f: &mut MentionFilter| {
                    if !f.flags.contains(&flag) {
                        f.flags.push(flag)
                    }
                })
            }),
        )?,
        facet(
            "sentiment",
            &count,
            [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive].map(|s| {
                (s.as_str().to_string(), move |f: &mut MentionFilter| {
                    f.sentiment = Some(s)
                })
            }),
        )?,
    ];
    // Urgency is decided on the stored mention against the clock.
    let mut q2 = q.clone();
    q2.filter.urgency = None;
    q2.limit = URGENCY_FACET_WINDOW;
    let mut urgency: BTreeMap<&'static str, usize> = BTreeMap::new();
    for r in crate::store::search(&st.index, st.store.as_ref(), &q2)? {
        let (u, _) = r.mention.urgency(Utc::now(), st.config.replies.window);
        *urgency.entry(u.as_str()).or_default() += 1;
    }
    out.push(Facet {
        name: "urgency",
        values: [Urgency::Now, Urgency::Overdue, Urgency::None]
            .map(|u| {
                (
                    u.as_str().to_string(),
                    urgency.get(u.as_str()).copied().unwrap_or(0),
                )
            })
            .to_vec(),
    });
    out.push(facet(
        "status",
        &count,
        Status::ALL.map(|s| {
            (s.as_str().to_string(), move |f: &mut MentionFilter| {
                f.status = Some(s)
            })
        }),
    )?);
    Ok(out)
}

/// Counts the query's documents with a change applied to its filter.
type Counter<'a> = dyn Fn(&dyn Fn(&mut MentionFilter)) -> Result<usize, WebError> + 'a;

/// One filter's values, each counted with `set` applied to the query's filter.
fn facet<F: Fn(&mut MentionFilter)>(
    name: &'static str,
    count: &Counter<'_>,
    values: impl IntoIterator<Item = (String, F)>,
) -> Result<Facet, WebError> {
    let values = values
        .into_iter()
        .map(|(value, set)| Ok((value, count(&set)?)))
        .collect::<Result<_, WebError>>()?;
    Ok(Facet { name, values })
}
