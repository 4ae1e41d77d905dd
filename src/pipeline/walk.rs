//! Walkers: one per source kind, each turning fetched documents into items.
//!
//! They never stop on one bad URL: failures are recorded in the report and
//! the walk goes on; only the source's own URL failing fails the source.

use super::{Crawler, SourceReport, Walked};
use crate::config::{Selectors, SourceConfig};
use crate::crawl::{FetchError, Fetched, Page, Validators};
use crate::extract::{self, canonical_url};
use crate::model::{Item, ItemKey, Lang, SourceKind};
use crate::store::CacheEntry;
use chrono::Utc;
use futures_util::stream::{self, StreamExt};
use std::collections::{HashSet, VecDeque};
use url::Url;

/// Article pages fetched at once per source; per-host limits still apply in the fetcher.
const PAGE_FETCHES_IN_FLIGHT: usize = 4;
/// Child sitemaps followed from a sitemap index.
const MAX_CHILD_SITEMAPS: usize = 50;
/// Pages with less main text are navigation, not items.
const MIN_ARTICLE_CHARS: usize = 80;

pub(crate) async fn walk(
    c: &Crawler,
    source: &SourceConfig,
    report: &mut SourceReport,
) -> Result<Walked, String> {
    let mut w = Walker {
        c,
        source,
        walked: Walked::default(),
        pending_validators: Vec::new(),
    };
    match source.kind {
        SourceKind::Feed => w.feed(&source.url, report, true).await?,
        SourceKind::Page => match &source.selectors {
            Some(sel) => w.list(sel, report).await?,
            None => w.single_page(report).await?,
        },
        SourceKind::Site => w.site(report).await?,
        SourceKind::Sitemap => w.sitemap(report).await?,
    }
    // Validators are saved only now, with the items they describe about to be
    // stored, so a crash never leaves a 304 hiding content we never kept.
    w.walked.validators = w.pending_validators;
    Ok(w.walked)
}

struct Walker<'a> {
    c: &'a Crawler,
    source: &'a SourceConfig,
    walked: Walked,
    pending_validators: Vec<(String, CacheEntry)>,
}

/// How a fetch of one URL turned out, for the walkers.
enum Got {
    Page(Page),
    NotModified,
    Gone,
    /// Skipped or failed; already recorded in the report.
    Nothing,
}

impl Walker<'_> {
    async fn get(
        &mut self,
        url: &Url,
        report: &mut SourceReport,
        is_root: bool,
    ) -> Result<Got, String> {
        let outcome = fetch_conditional(&self.c.fetcher, self.c.store.as_ref(), url).await;
        self.record(url, outcome, report, is_root)
    }

    fn record(
        &mut self,
        url: &Url,
        outcome: Result<Fetched, FetchError>,
        report: &mut SourceReport,
        is_root: bool,
    ) -> Result<Got, String> {
        match outcome {
            Ok(Fetched::Page(page)) => {
                report.pages_fetched += 1;
                if page.validators.etag.is_some() || page.validators.last_modified.is_some() {
                    let entry = CacheEntry {
                        etag: page.validators.etag.clone(),
                        last_modified: page.validators.last_modified.clone(),
                    };
                    self.pending_validators.push((url.to_string(), entry));
                }
                Ok(Got::Page(page))
            }
            Ok(Fetched::NotModified) => {
                report.not_modified += 1;
                self.walked.unchanged.insert(canonical_url(url).to_string());
                Ok(Got::NotModified)
            }
            // 404/410 is evidence of deletion; each walker decides what it deletes.
            Ok(Fetched::Gone { status }) => {
                report
                    .errors
                    .push((url.to_string(), format!("gone ({status})")));
                Ok(Got::Gone)
            }
            Err(e) if e.is_skip() => {
                report.skipped.push((url.to_string(), e.to_string()));
                if is_root && report.outcome == super::Outcome::Ok {
                    report.outcome = super::Outcome::Skipped(e.to_string());
                }
                Ok(Got::Nothing)
            }
            Err(e) if is_root => Err(e.to_string()),
            Err(e) => {
                report.errors.push((url.to_string(), e.to_string()));
                Ok(Got::Nothing)
            }
        }
    }

    /// Records that the item stored under this page URL is gone (it may be keyed by its rel=canonical).
    fn gone(&mut self, url: &Url) {
        let canonical = canonical_url(url);
        let id = self.c.store.id_by_url(canonical.as_str()).ok().flatten();
        self.walked
            .gone
            .push(id.unwrap_or_else(|| ItemKey::url(&canonical).id()));
    }

    fn push(&mut self, item: Item, container: Option<String>, hint: Option<Lang>) {
        self.walked.items.push((item, container, hint));
    }

    /// A feed: entries become items; teasers are completed from the linked page.
    async fn feed(
        &mut self,
        url: &Url,
        report: &mut SourceReport,
        is_root: bool,
    ) -> Result<(), String> {
        let page = match self.get(url, report, is_root).await? {
            Got::Page(p) => p,
            Got::Gone if is_root => return Err(format!("feed {url} is gone (404/410)")),
            _ => return Ok(()),
        };
        let feed = match extract::parse_feed(&page.body, page.content_type.as_deref(), &page.url) {
            Ok(f) => f,
            Err(e) if is_root => return Err(format!("broken feed: {e}")),
            Err(e) => {
                report
                    .errors
                    .push((url.to_string(), format!("broken feed: {e}")));
                return Ok(());
            }
        };
        let now = Utc::now();
        let tz = self.c.config.timezone;
        let fetch_full = self.c.config.crawl.fetch_full_text;
        let fetcher = &self.c.fetcher;
        let store = &self.c.store;
        // Complete teasers concurrently; results keep the feed's order.
        let fetched: Vec<_> = stream::iter(feed.entries)
            .map(|entry| async move {
                let wants_page = fetch_full && entry.summary_only && entry.link.is_some();
                if !wants_page {
                    return (entry, None);
                }
                let link = entry.link.clone().expect("checked above");
                let outcome = fetch_conditional(fetcher, store.as_ref(), &link).await;
                (entry, Some((link, outcome)))
            })
            .buffered(PAGE_FETCHES_IN_FLIGHT)
            .collect()
            .await;
        for (entry, page_fetch) in fetched {
            let key = match (&entry.link, &entry.guid) {
                (Some(link), _) => ItemKey::url(&canonical_url(link)),
                (None, Some(guid)) => ItemKey::guid(&page.url, guid),
                (None, None) => {
                    report.skipped.push((
                        page.url.to_string(),
                        format!("entry \"{}\" has neither link nor guid", entry.title),
                    ));
                    continue;
                }
            };
            let mut item = Item {
                url: entry
                    .link
                    .as_ref()
                    .map(|l| canonical_url(l).to_string())
                    .unwrap_or_else(|| page.url.to_string()),
                key,
                title: entry.title,
                text: entry.text,
                author: entry.author,
                published: entry.published,
            };
            let mut hint = None;
            if let Some((link, outcome)) = page_fetch {
                match self.record(&link, outcome, report, false)? {
                    Got::Page(p) => {
                        let html = extract::decode(&p.body, p.content_type.as_deref());
                        let article = extract::extract_article(&html, &p.url, now, tz);
                        hint = article.html_lang.as_deref().and_then(lang_of);
                        if article.text.chars().count() > item.text.chars().count() {
                            item.text = article.text;
                        }
                        item.key = ItemKey::url(&article.canonical);
                        item.url = article.canonical.to_string();
                        item.published = item.published.or(article.published);
                        item.author = item.author.or(article.author);
                        if item.title.is_empty() {
                            item.title = article.title;
                        }
                    }
                    // Unchanged page: the stored full text stands; do not replace it by the teaser.
                    Got::NotModified => continue,
                    // The page is gone: keep what the feed says, flagged deleted.
                    Got::Gone => self.walked.gone.push(item.key.id()),
                    Got::Nothing => {}
                }
            }
            self.push(item, None, hint);
        }
        Ok(())
    }

    /// One HTML page as one item.
    async fn single_page(&mut self, report: &mut SourceReport) -> Result<(), String> {
        let url = self.source.url.clone();
        match self.get(&url, report, true).await? {
            Got::Page(p) => self.article(p, true),
            Got::Gone => self.gone(&url),
            _ => {}
        }
        Ok(())
    }

    fn article(&mut self, p: Page, always: bool) {
        let html = extract::decode(&p.body, p.content_type.as_deref());
        let article = extract::extract_article(&html, &p.url, Utc::now(), self.c.config.timezone);
        self.push_article(article, always);
    }

    /// An article page as one item, unless it is too short to be one (`always` aside).
    fn push_article(&mut self, article: extract::Article, always: bool) {
        if !always && article.text.chars().count() < MIN_ARTICLE_CHARS {
            return;
        }
        let hint = article.html_lang.as_deref().and_then(lang_of);
        let item = Item {
            key: ItemKey::url(&article.canonical),
            url: article.canonical.to_string(),
            title: article.title,
            text: article.text,
            author: article.author,
            published: article.published,
        };
        self.push(item, None, hint);
    }

    /// A list page (comments, reviews) split by selectors, following pagination.
    async fn list(&mut self, sel: &Selectors, report: &mut SourceReport) -> Result<(), String> {
        let mut next = Some(self.source.url.clone());
        let mut visited = HashSet::new();
        let mut containers = Vec::new();
        let mut complete = true;
        let mut n = 0;
        while let Some(url) = next.take() {
            if !visited.insert(url.clone()) {
                break;
            }
            if n == self.source.max_pages {
                // Items beyond the budget may have moved there: no deletion verdicts.
                complete = false;
                break;
            }
            n += 1;
            let page = match self.get(&url, report, n == 1).await? {
                Got::Page(p) => p,
                Got::Gone => {
                    let ids = self
                        .c
                        .store
                        .ids_in_container(canonical_url(&url).as_str())
                        .unwrap_or_default();
                    self.walked.gone.extend(ids);
                    break;
                }
                _ => {
                    complete = false;
                    break;
                }
            };
            let html = extract::decode(&page.body, page.content_type.as_deref());
            let list =
                extract::extract_list(&html, &page.url, sel, Utc::now(), self.c.config.timezone);
            let container = list.canonical.to_string();
            containers.push(container.clone());
            for (i, it) in list.items.into_iter().enumerate() {
                let (key, url) = item_identity(
                    &list.canonical,
                    it.permalink.as_ref(),
                    it.anchor.as_deref(),
                    i,
                );
                let item = Item {
                    key,
                    url,
                    title: it.title.unwrap_or_else(|| list.title.clone()),
                    text: it.text,
                    author: it.author,
                    published: it.published,
                };
                self.push(item, Some(container.clone()), None);
            }
            next = list.next;
        }
        if complete {
            self.walked.containers = containers;
        }
        Ok(())
    }

    /// Same-host links from a start URL to a depth and page budget; discovered feeds are read too.
    async fn site(&mut self, report: &mut SourceReport) -> Result<(), String> {
        let start = self.source.url.clone();
        let origin = (
            start.host_str().map(str::to_string),
            start.port_or_known_default(),
        );
        let mut queue = VecDeque::from([(canonical_url(&start), 0u32)]);
        let mut seen: HashSet<Url> = queue.iter().map(|(u, _)| u.clone()).collect();
        let mut feeds_seen = HashSet::new();
        let mut pages = 0;
        while let Some((url, depth)) = queue.pop_front() {
            if pages == self.source.max_pages {
                report.skipped.push((
                    url.to_string(),
                    format!("page budget of {} reached", self.source.max_pages),
                ));
                break;
            }
            pages += 1;
            let page = match self.get(&url, report, depth == 0).await? {
                Got::Page(p) => p,
                Got::Gone if depth == 0 => {
                    return Err(format!("start page {url} is gone (404/410)"))
                }
                Got::Gone => {
                    self.gone(&url);
                    continue;
                }
                _ => continue,
            };
            if !is_html(page.content_type.as_deref()) {
                continue;
            }
            let html = extract::decode(&page.body, page.content_type.as_deref());
            let (article, links) =
                extract::extract_page(&html, &page.url, Utc::now(), self.c.config.timezone);
            for feed in &links.feeds {
                if feeds_seen.insert(feed.clone()) {
                    Box::pin(self.feed(feed, report, false)).await?;
                }
            }
            if depth < self.source.depth {
                for link in &links.links {
                    let same_origin = (
                        link.host_str().map(str::to_string),
                        link.port_or_known_default(),
                    ) == origin;
                    let link = canonical_url(link);
                    if same_origin && seen.insert(link.clone()) {
                        queue.push_back((link, depth + 1));
                    }
                }
            }
            if depth > 0 {
                self.push_article(article, false);
            }
        }
        Ok(())
    }

    /// A sitemap or sitemap index: every listed page (newest first, to the budget) becomes an item.
    async fn sitemap(&mut self, report: &mut SourceReport) -> Result<(), String> {
        let root = self.source.url.clone();
        let mut pages = Vec::new();
        let mut sitemaps = VecDeque::from([root.clone()]);
        let mut followed = 0;
        while let Some(url) = sitemaps.pop_front() {
            let is_root = url == root;
            let page = match self.get(&url, report, is_root).await? {
                Got::Page(p) => p,
                Got::Gone if is_root => return Err(format!("sitemap {url} is gone (404/410)")),
                _ => continue,
            };
            match extract::parse_sitemap(&page.body) {
                Ok(map) => {
                    pages.extend(map.pages);
                    for child in map.sitemaps {
                        if followed < MAX_CHILD_SITEMAPS {
                            followed += 1;
                            sitemaps.push_back(child);
                        }
                    }
                }
                Err(e) if is_root => return Err(format!("broken sitemap: {e}")),
                Err(e) => report
                    .errors
                    .push((url.to_string(), format!("broken sitemap: {e}"))),
            }
        }
        pages.sort_by_key(|p| std::cmp::Reverse(p.1));
        let mut unique = HashSet::new();
        pages.retain(|(u, _)| unique.insert(canonical_url(u)));
        for (url, _) in pages.iter().skip(self.source.max_pages) {
            report.skipped.push((
                url.to_string(),
                format!("page budget of {} reached", self.source.max_pages),
            ));
        }
        pages.truncate(self.source.max_pages);
        let fetcher = &self.c.fetcher;
        let store = &self.c.store;
        let results: Vec<_> = stream::iter(pages)
            .map(|(url, _)| async move {
                let outcome = fetch_conditional(fetcher, store.as_ref(), &url).await;
                (url, outcome)
            })
            .buffered(PAGE_FETCHES_IN_FLIGHT)
            .collect()
            .await;
        for (url, outcome) in results {
            match self.record(&url, outcome, report, false)? {
                Got::Page(p) => self.article(p, true),
                Got::Gone => self.gone(&url),
                _ => {}
            }
        }
        Ok(())
    }
}

/// GET with the validators remembered for this URL (a 304 costs no parse).
async fn fetch_conditional(
    fetcher: &crate::crawl::Fetcher,
    store: &dyn crate::store::StateStore,
    url: &Url,
) -> Result<Fetched, FetchError> {
    let cached = store.cache_entry(url.as_str()).ok().flatten();
    let validators = cached.map(|e| Validators {
        etag: e.etag,
        last_modified: e.last_modified,
    });
    fetcher.fetch(url, validators.as_ref()).await
}

/// A comment's identity: its permalink, or the page plus its DOM anchor; the
/// position on the page is the last resort (never the text).
fn item_identity(
    page: &Url,
    permalink: Option<&Url>,
    anchor: Option<&str>,
    position: usize,
) -> (ItemKey, String) {
    if let Some(link) = permalink {
        if let Some(fragment) = link.fragment().filter(|f| !f.is_empty()) {
            let base = canonical_url(link);
            let key = ItemKey::anchored(&base, fragment);
            return (key, format!("{base}#{fragment}"));
        }
        if canonical_url(link) != *page {
            let url = canonical_url(link);
            return (ItemKey::url(&url), url.to_string());
        }
    }
    let anchor = anchor
        .map(str::to_string)
        .unwrap_or_else(|| format!("item-{position}"));
    (ItemKey::anchored(page, &anchor), format!("{page}#{anchor}"))
}

fn is_html(content_type: Option<&str>) -> bool {
    content_type.is_none_or(|ct| ct.contains("html"))
}

fn lang_of(html_lang: &str) -> Option<Lang> {
    let primary = html_lang.split(['-', '_']).next().unwrap_or("");
    Lang::parse(primary).filter(|l| *l != Lang::Other)
}
