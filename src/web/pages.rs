//! The pages: overview, search, a mention with its versions and status,
//! campaigns and spikes, and the login form for users off loopback. Each
//! reads the same functions the JSON API does.

use super::api::{
    blocking, campaign_view, campaign_views, change_status, current_spikes, CampaignFilter,
};
use super::auth::{User, COOKIE};
use super::html::{self, esc, external_link, page, when};
use super::search::{self, Params};
use super::{AppState, WebError};
use crate::campaigns::view::CampaignView;
use crate::model::{Mention, MentionId, Sentiment, Status, Urgency};
use crate::respond::reading;
use crate::store::MentionFilter;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use chrono::{Duration, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Days the overview's chart covers.
const OVERVIEW_DAYS: i64 = 30;

pub async fn overview(
    State(st): State<AppState>,
    Extension(user): Extension<User>,
) -> Result<Response, WebError> {
    let tz = st.config.timezone;
    let window = st.config.replies.window;
    let (recent, states) = blocking(st.clone(), move |st| {
        let since = Utc::now() - Duration::days(OVERVIEW_DAYS);
        let recent = st.store.mentions(
            &MentionFilter {
                since: Some(since),
                ..Default::default()
            },
            None,
        )?;
        Ok((recent, st.store.source_states()?))
    })
    .await?;
    let now = Utc::now();
    let today = now.with_timezone(&tz).date_naive();
    let mut days: BTreeMap<chrono::NaiveDate, (usize, usize, usize)> = (0..OVERVIEW_DAYS)
        .map(|d| (today - Duration::days(OVERVIEW_DAYS - 1 - d), (0, 0, 0)))
        .collect();
    let (mut waiting, mut overdue, mut oldest) = (0, 0, None::<chrono::DateTime<Utc>>);
    for m in &recent {
        let day = m.effective_time().with_timezone(&tz).date_naive();
        if let Some(d) = days.get_mut(&day) {
            match m.labels.as_ref().map(|l| l.sentiment) {
                Some(Sentiment::Negative) => d.0 += 1,
                Some(Sentiment::Positive) => d.2 += 1,
                _ => d.1 += 1,
            }
        }
        match m.urgency(now, window) {
            (Urgency::Now, Some(since)) => {
                waiting += 1;
                oldest = Some(oldest.map_or(since, |o| o.min(since)));
            }
            (Urgency::Overdue, _) => overdue += 1,
            _ => {}
        }
    }
    let chart: Vec<(String, usize, usize, usize)> = days
        .iter()
        .map(|(d, (a, b, c))| (d.format("%m-%d").to_string(), *a, *b, *c))
        .collect();
    let oldest = oldest
        .map(|o| format!("oldest waiting {} min", (now - o).num_minutes()))
        .unwrap_or_else(|| "nobody waiting".into());
    let mut body = format!(
        "<h1>Overview</h1><div class=\"stats\">\
         <a class=\"stat\" href=\"/search?urgency=now&amp;sort=time\" id=\"needs-reply-now\"><b>{waiting}</b>need a reply now<br><span class=\"meta\">{}</span></a>\
         <a class=\"stat\" href=\"/search?urgency=overdue&amp;sort=time\" id=\"overdue\"><b>{overdue}</b>overdue (past {} min)</a>\
         <div class=\"stat\"><b>{}</b>mentions in {OVERVIEW_DAYS} days</div></div>\
         <h2>Mentions per day by sentiment</h2>{}",
        esc(&oldest),
        window.as_secs() / 60,
        recent.len(),
        html::sentiment_chart(&chart)
    );
    body.push_str("<h2 id=\"sources\">Sources (silence is not calm)</h2><table><tr><th>source</th><th>last success</th><th>last error</th><th>next check</th></tr>");
    for source in &st.config.sources {
        let state = crate::sources::state_for(
            source,
            states.iter().find(|x| x.name == source.name).cloned(),
        );
        let t =
            |at: Option<chrono::DateTime<Utc>>| at.map_or_else(|| "never".into(), |t| when(t, tz));
        let error = match &state.last_error {
            Some(e) => format!("{} ({})", esc(e), t(state.last_error_at)),
            None => "—".to_string(),
        };
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"{}\">{error}</td><td>{}</td></tr>",
            esc(&source.name),
            t(state.last_success),
            if state.last_error.is_some() {
                "error"
            } else {
                ""
            },
            t(state.next_check),
        ));
    }
    body.push_str("</table>");
    Ok(page("Overview", "Overview", &user.name, &body))
}

pub async fn search(
    State(st): State<AppState>,
    Extension(user): Extension<User>,
    Query(p): Query<Params>,
) -> Result<Response, WebError> {
    let tz = st.config.timezone;
    let run = {
        let p = p.clone();
        blocking(st.clone(), move |st| search::run(&st, &p)).await
    };
    let mut body = String::from("<h1>Search</h1>");
    body.push_str(&search_form(&st, &p));
    let result = match run {
        Ok(r) => r,
        Err(e @ (WebError::Filter(_) | WebError::Store(crate::store::StoreError::Query(_)))) => {
            body.push_str(&format!(
                "<p class=\"error\" id=\"search-error\">{}</p>",
                esc(&e.to_string())
            ));
            return Ok(page("Search", "Search", &user.name, &body));
        }
        Err(e) => return Err(e),
    };
    body.push_str("<div class=\"layout\"><aside class=\"facets\">");
    for f in &result.facets {
        body.push_str(&format!("<h3>{}</h3>", f.name));
        let current = match f.name {
            "brand" => &p.brand,
            "lang" => &p.lang,
            "source" => &p.source,
            "intent" => &p.intent,
            "sentiment" => &p.sentiment,
            "urgency" => &p.urgency,
            "flag" => &p.flag,
            "status" => &p.status,
            _ => &None,
        };
        for (value, n) in &f.values {
            let on = current.as_deref() == Some(value.as_str());
            if *n == 0 && !on {
                continue;
            }
            let link = p.with(f.name, if on { None } else { Some(value) });
            body.push_str(&format!(
                "<a href=\"/search?{}\" class=\"{}\" data-facet=\"{}={}\">{}<span class=\"n\">{n}</span></a>",
                esc(&link),
                if on { "on" } else { "" },
                f.name,
                esc(value),
                esc(value)
            ));
        }
    }
    body.push_str("</aside><section>");
    let sort_link = p.with("sort", if p.by_time() { None } else { Some("time") });
    body.push_str(&format!(
        "<p class=\"meta\"><span id=\"total\">{}</span> match · sorted by {} (<a href=\"/search?{}\">by {}</a>) · export <a href=\"/api/search?{}&amp;format=csv\">CSV</a> <a href=\"/api/search?{}&amp;format=json\">JSON</a></p>",
        result.total,
        if p.by_time() { "time" } else { "relevance" },
        esc(&sort_link),
        if p.by_time() { "relevance" } else { "time" },
        esc(&p.query_string()),
        esc(&p.query_string()),
    ));
    if result.results.is_empty() {
        body.push_str("<p id=\"no-results\">No mentions match.</p>");
    }
    let now = Utc::now();
    for r in &result.results {
        body.push_str(&mention_card(&st, &r.mention, Some(&r.snippet), now, tz));
    }
    body.push_str("<p class=\"pager\">");
    if p.page() > 1 {
        let prev = (p.page() - 1).to_string();
        body.push_str(&format!(
            "<a href=\"/search?{}\" rel=\"prev\">← previous</a>",
            esc(&p.with("page", Some(&prev)))
        ));
    }
    if result.more {
        let next = (p.page() + 1).to_string();
        body.push_str(&format!(
            "<a href=\"/search?{}\" rel=\"next\">next →</a>",
            esc(&p.with("page", Some(&next)))
        ));
    }
    body.push_str("</p></section></div>");
    Ok(page("Search", "Search", &user.name, &body))
}

/// The search box and the filters as selects; the URL holds the whole query.
fn search_form(st: &AppState, p: &Params) -> String {
    let select = |name: &str, current: &Option<String>, values: &[String]| {
        let mut s = format!(
            "<select name=\"{name}\" aria-label=\"{name}\"><option value=\"\">any {name}</option>"
        );
        for v in values {
            let sel = if current.as_deref() == Some(v.as_str()) {
                " selected"
            } else {
                ""
            };
            s.push_str(&format!("<option{sel}>{}</option>", esc(v)));
        }
        s.push_str("</select>");
        s
    };
    let strings = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let brands: Vec<String> = st.config.brands.iter().map(|b| b.name.clone()).collect();
    let sources: Vec<String> = st.config.sources.iter().map(|s| s.name.clone()).collect();
    format!(
        "<form class=\"search\" method=\"get\" action=\"/search\" role=\"search\">\
         <input name=\"q\" value=\"{}\" placeholder=\"words, &quot;phrases&quot;, AND/OR/NOT, brand:, lang:, site:, author:\" aria-label=\"query\">\
         {}{}{}{}{}{}{}{}\
         <input name=\"since\" value=\"{}\" placeholder=\"since (7d, 2026-11-01)\" size=\"12\" aria-label=\"since\">\
         <input name=\"until\" value=\"{}\" placeholder=\"until\" size=\"10\" aria-label=\"until\">\
         <input type=\"hidden\" name=\"sort\" value=\"{}\"><button type=\"submit\">Search</button></form>",
        esc(&p.q),
        select("brand", &p.brand, &brands),
        select("lang", &p.lang, &strings(&["ru", "zh", "da", "en", "other"])),
        select("source", &p.source, &sources),
        select("sentiment", &p.sentiment, &strings(&["negative", "neutral", "positive"])),
        select("intent", &p.intent, &strings(&["question", "complaint", "praise", "incident", "other"])),
        select("flag", &p.flag, &strings(&["obscene", "insult", "troll", "spam", "ad", "suspected_fake", "constructive", "needs_reply"])),
        select("urgency", &p.urgency, &strings(&["now", "overdue", "none"])),
        select("status", &p.status, &strings(&["new", "answered", "resolved", "ignored"])),
        esc(p.since.as_deref().unwrap_or("")),
        esc(p.until.as_deref().unwrap_or("")),
        esc(p.sort.as_deref().unwrap_or("")),
    )
}

/// One mention in a list: title, where and when, labels, status, snippet.
fn mention_card(
    st: &AppState,
    m: &Mention,
    snippet: Option<&str>,
    now: chrono::DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> String {
    let (urgency, since) = m.urgency(now, st.config.replies.window);
    let urgency = match (urgency, since) {
        (Urgency::Now, Some(s)) => format!(
            "<span class=\"badge now\">reply now · {} min</span>",
            (now - s).num_minutes()
        ),
        (Urgency::Overdue, Some(s)) => format!(
            "<span class=\"badge overdue\">overdue · {} min</span>",
            (now - s).num_minutes()
        ),
        _ => String::new(),
    };
    let labels = m
        .labels
        .as_ref()
        .map(|l| {
            let mut s = format!(
                "<span class=\"badge\">{}</span><span class=\"badge\">{}</span>",
                l.intent.as_str(),
                l.sentiment.as_str()
            );
            for f in &l.flags {
                s.push_str(&format!("<span class=\"badge\">{}</span>", f.as_str()));
            }
            s
        })
        .unwrap_or_default();
    let title = if m.title.trim().is_empty() {
        "(untitled)"
    } else {
        m.title.as_str()
    };
    // The snippet is already escaped, with highlights as <b>.
    let text = snippet
        .map(str::to_string)
        .unwrap_or_else(|| esc(&html::clip(&m.text, 300)));
    format!(
        "<article class=\"card mention\" data-id=\"{id}\"><a href=\"/mentions/{id}\"><strong>{}</strong></a> {urgency}\
         <div class=\"meta\">{} · {} · {} · {} · <span class=\"status\">{}</span></div>\
         <div>{labels}</div><p class=\"snippet\">{text}</p></article>",
        esc(title),
        esc(&m.source),
        esc(m.author.as_deref().unwrap_or("—")),
        m.lang,
        when(m.effective_time(), tz),
        m.answer.status.as_str(),
        id = esc(m.id.as_str()),
    )
}

pub async fn mention(
    State(st): State<AppState>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let tz = st.config.timezone;
    let key = MentionId::from_raw(id.clone());
    let (m, versions) = blocking(st.clone(), move |st| {
        let m = st
            .store
            .mention(&key)?
            .ok_or_else(|| WebError::NotFound(format!("no mention {key}")))?;
        Ok((m, st.store.versions(&key)?))
    })
    .await?;
    let now = Utc::now();
    let mut body = format!(
        "<h1>{}</h1><p class=\"meta\">{} · by {} · {} · published {} · first seen {} · {} version(s){}</p><p>{}</p>",
        esc(if m.title.trim().is_empty() { "(untitled)" } else { &m.title }),
        esc(&m.source),
        esc(m.author.as_deref().unwrap_or("—")),
        m.lang,
        m.published.map(|t| when(t, tz)).unwrap_or_else(|| "—".into()),
        when(m.first_seen, tz),
        m.versions,
        if m.deleted { " · <strong>deleted from its page</strong>" } else { "" },
        external_link(&m.url, &m.url),
    );
    body.push_str(&format!(
        "<div class=\"card\"><p id=\"text\">{}</p></div>",
        esc(&m.text).replace('\n', "<br>")
    ));
    if let Some(l) = &m.labels {
        body.push_str("<h2>Labels</h2><table id=\"labels\">");
        let mut rows = vec![
            ("intent".to_string(), l.intent.as_str().to_string()),
            (
                "sentiment".to_string(),
                format!("{} ({:+.2})", l.sentiment.as_str(), l.sentiment_score),
            ),
        ];
        rows.extend(
            l.flags
                .iter()
                .map(|f| (f.as_str().to_string(), "flag".to_string())),
        );
        for (name, value) in rows {
            let reason = l.reasons.get(&name).map(String::as_str).unwrap_or("");
            body.push_str(&format!(
                "<tr><th>{}</th><td>{}</td><td class=\"meta\">{}</td></tr>",
                esc(&name),
                esc(&value),
                esc(reason)
            ));
        }
        body.push_str("</table>");
    }
    if let Some(s) = reading::suggestion(&m, &st.config, &st.responder, now) {
        body.push_str(&format!(
            "<h2>Suggested reply</h2><pre class=\"reply\" id=\"reply\">{}</pre><p class=\"meta\">{}</p>\
             <button type=\"button\" data-copy=\"reply\">Copy</button>",
            esc(&s.text),
            esc(&s.rule)
        ));
    }
    let csrf = st.auth.csrf(&user.name);
    let options: String = Status::ALL
        .iter()
        .map(|s| {
            let sel = if *s == m.answer.status {
                " selected"
            } else {
                ""
            };
            format!("<option value=\"{0}\"{sel}>{0}</option>", s.as_str())
        })
        .collect();
    body.push_str(&format!(
        "<h2>Status</h2><p id=\"status\">{}{}</p>\
         <form method=\"post\" action=\"/mentions/{}/status\" id=\"status-form\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"><select name=\"status\" aria-label=\"status\">{options}</select> \
         <input name=\"note\" placeholder=\"note (optional)\" aria-label=\"note\"> <button type=\"submit\">Save</button></form>",
        m.answer.status.as_str(),
        match (&m.answer.status_by, m.answer.status_at) {
            (Some(by), Some(at)) => format!(" · by {} at {}", esc(by), when(at, tz)),
            _ => String::new(),
        } + &m.answer.status_note.as_deref().map(|n| format!(" · “{}”", esc(n))).unwrap_or_default(),
        esc(m.id.as_str()),
        esc(&csrf),
    ));
    body.push_str(&versions_html(&m, &versions, tz));
    Ok(page(&m.title, "Search", &user.name, &body))
}

/// Every stored version, newest first, each with the words changed from the one before.
fn versions_html(m: &Mention, earlier: &[crate::model::Version], tz: chrono_tz::Tz) -> String {
    let mut all: Vec<(String, String, String)> = earlier
        .iter()
        .map(|v| (when(v.seen, tz), v.title.clone(), v.text.clone()))
        .collect();
    if all
        .last()
        .is_none_or(|(_, t, x)| t != &m.title || x != &m.text)
    {
        all.push((when(m.fetched, tz), m.title.clone(), m.text.clone()));
    }
    let mut out = format!(
        "<h2>Versions ({})</h2><div class=\"versions\" id=\"versions\">",
        all.len()
    );
    for i in (0..all.len()).rev() {
        let (seen, title, text) = &all[i];
        let shown = match i.checked_sub(1).map(|j| &all[j]) {
            Some((_, _, before)) => html::word_diff(before, text),
            None => esc(text),
        };
        out.push_str(&format!(
            "<div class=\"card version\"><div class=\"meta\">version {} · seen {}</div><strong>{}</strong><p>{}</p></div>",
            i + 1,
            seen,
            esc(title),
            shown
        ));
    }
    if m.deleted {
        out.push_str("<div class=\"card version\"><strong>Deleted from its page.</strong> The last text above is kept.</div>");
    }
    out.push_str("</div>");
    out
}

/// The status form: `status`, `note`, `csrf`.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    pub status: String,
    pub note: Option<String>,
    pub csrf: Option<String>,
}

pub async fn set_status(
    State(st): State<AppState>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, WebError> {
    if !st.auth.may_change(&user, form.csrf.as_deref()) {
        return Err(WebError::Forbidden(
            "the form's CSRF token is missing or wrong; reload the page".into(),
        ));
    }
    change_status(&st, &user, id.clone(), &form.status, form.note).await?;
    Ok(Redirect::to(&format!("/mentions/{}", url_path(&id))).into_response())
}

fn url_path(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub async fn campaigns(
    State(st): State<AppState>,
    Extension(user): Extension<User>,
    Query(f): Query<CampaignFilter>,
) -> Result<Response, WebError> {
    let tz = st.config.timezone;
    let (views, spikes) = blocking(st.clone(), move |st| {
        Ok((campaign_views(&st, &f)?, current_spikes(&st)?))
    })
    .await?;
    let mut body = String::from("<h1>Campaigns</h1><table id=\"campaigns\"><tr><th>campaign</th><th>kind</th><th>status</th><th>score</th><th>size</th><th>voices</th><th>first seen</th><th>last seen</th><th>what they say</th></tr>");
    for v in &views {
        let c = &v.campaign;
        body.push_str(&format!(
            "<tr><td><a href=\"/campaigns/{id}\">{id}</a></td><td><span class=\"badge {kind}\">{kind}</span></td><td>{}</td><td>{:.2}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            v.status,
            c.score,
            v.members.len(),
            v.voices.len(),
            when(c.first_seen, tz),
            when(c.last_seen, tz),
            esc(&html::clip(&c.summary, 120)),
            id = esc(&c.id),
            kind = c.kind.as_str(),
        ));
    }
    if views.is_empty() {
        body.push_str("<tr><td colspan=\"9\">No campaigns found.</td></tr>");
    }
    body.push_str("</table><h2 id=\"spikes\">Spikes now</h2><table><tr><th>brand</th><th>span</th><th>mentions</th><th>usual</th><th>negative</th><th>usual negative</th><th>stands out</th></tr>");
    for (brand, s) in &spikes {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.0} %</td><td>{:.0} %</td><td>{}</td></tr>",
            esc(brand),
            s.span.as_str(),
            s.count,
            s.baseline,
            s.negative_share * 100.0,
            s.baseline_negative_share * 100.0,
            esc(&s.top_terms.join(", "))
        ));
    }
    if spikes.is_empty() {
        body.push_str("<tr><td colspan=\"7\">No spikes: every brand's last hour and day look like their baselines.</td></tr>");
    }
    body.push_str("</table>");
    Ok(page("Campaigns", "Campaigns", &user.name, &body))
}

pub async fn campaign(
    State(st): State<AppState>,
    Extension(user): Extension<User>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let tz = st.config.timezone;
    let v: CampaignView = blocking(st.clone(), move |st| campaign_view(&st, &id)).await?;
    let c = &v.campaign;
    let timeline = continuous_timeline(&v.timeline, tz);
    let list = |xs: &std::collections::BTreeSet<String>| {
        xs.iter().map(|x| esc(x)).collect::<Vec<_>>().join(", ")
    };
    let mut body = format!(
        "<h1>Campaign {}</h1><p><span class=\"badge {kind}\">{kind}</span> {} · score {:.2} · {} mention(s) from {} voice(s) on {} site(s) · {} → {}</p>\
         <h2>Timeline</h2><div id=\"timeline\">{}</div>\
         <h2>What they say</h2><div class=\"card\">{}</div><ul id=\"phrases\">{}</ul>\
         <h2>Why (signals × weights)</h2><table id=\"signals\"><tr><th>signal</th><th>value</th><th>weight</th></tr>{}</table>\
         <h2>Suggested answer</h2><pre class=\"reply\" id=\"answer\">{}</pre><button type=\"button\" data-copy=\"answer\">Copy</button>\
         <h2>Voices</h2><p>{}</p><h2>Sites</h2><p>{}</p><h2>Languages</h2><p>{}</p><h2>Members</h2>",
        esc(&c.id),
        v.status,
        c.score,
        v.members.len(),
        v.voices.len(),
        v.sites.len(),
        when(c.first_seen, tz),
        when(c.last_seen, tz),
        html::timeline_chart(&timeline),
        esc(&c.summary),
        c.phrases.iter().map(|p| format!("<li>“{}”</li>", esc(p))).collect::<String>(),
        v.top_signals()
            .iter()
            .map(|(n, val, w)| format!("<tr><td>{}</td><td>{val:.2}</td><td>{w:.1}</td></tr>", esc(n)))
            .collect::<String>(),
        esc(&v.suggestion),
        list(&v.voices),
        list(&v.sites),
        list(&v.langs),
        kind = c.kind.as_str(),
    );
    let now = Utc::now();
    for m in &v.members {
        body.push_str(&mention_card(&st, m, None, now, tz));
    }
    Ok(page(
        &format!("Campaign {}", c.id),
        "Campaigns",
        &user.name,
        &body,
    ))
}

/// A campaign's members per hour as a continuous series (empty hours
/// included, an hour of margin either side; per day past two weeks), so the
/// chart shows how compact the wave is.
fn continuous_timeline(
    timeline: &BTreeMap<String, usize>,
    tz: chrono_tz::Tz,
) -> Vec<(String, usize)> {
    let points: Vec<(chrono::DateTime<Utc>, usize)> = timeline
        .iter()
        .filter_map(|(t, n)| {
            chrono::DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|t| (t.with_timezone(&Utc), *n))
        })
        .collect();
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return Vec::new();
    };
    let step = if last.0 - first.0 > Duration::days(14) {
        Duration::days(1)
    } else {
        Duration::hours(1)
    };
    let start = first.0 - step;
    let buckets = ((last.0 - start).num_seconds() / step.num_seconds() + 2) as usize;
    let mut series: Vec<(String, usize)> = (0..buckets)
        .map(|i| (when(start + step * i as i32, tz), 0))
        .collect();
    for (t, n) in points {
        let i = ((t - start).num_seconds() / step.num_seconds()) as usize;
        if let Some(slot) = series.get_mut(i) {
            slot.1 += n;
        }
    }
    series
}

/// The login page for users off loopback (a token, kept in a cookie).
pub fn login_page(error: Option<&str>) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sign in · Hearsay</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main>\
         <h1>Hearsay</h1><p>This server is reachable off loopback: sign in with your token.</p>{}\
         <form method=\"post\" action=\"/login\"><input type=\"password\" name=\"token\" aria-label=\"token\" autocomplete=\"current-password\"> <button type=\"submit\">Sign in</button></form>\
         </main></body></html>",
        error.map(|e| format!("<p class=\"error\">{}</p>", esc(e))).unwrap_or_default()
    );
    html::html_response(html)
}

pub async fn login_form() -> Response {
    login_page(None)
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub token: String,
}

pub async fn login(State(st): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    match st.auth.user_of(form.token.trim()) {
        Some(_) => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, "/".to_string()),
                (
                    header::SET_COOKIE,
                    format!(
                        "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                        form.token.trim()
                    ),
                ),
            ],
        )
            .into_response(),
        None => {
            let mut r = login_page(Some("That token is not known."));
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            r
        }
    }
}

pub async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        html::CSS,
    )
        .into_response()
}

pub async fn js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        html::JS,
    )
        .into_response()
}
