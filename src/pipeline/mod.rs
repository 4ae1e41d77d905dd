//! crawl → extract → match → store → index, once per source.
//!
//! [`Crawler`] owns one fetcher, matcher, store and index writer for a
//! process. Each source is walked by the walker of its kind ([`walk`]), which
//! yields observed items and deletion evidence; this module matches them,
//! stores them in one transaction, then brings the index up to the store and
//! commits (watermark in the commit payload), so a crash never loses a
//! committed mention and a restart replays without duplicates.

mod walk;

use crate::campaigns::sketch::wording;
use crate::classify::Classifier;
use crate::config::{Config, SourceConfig};
use crate::crawl::Fetcher;
use crate::extract;
use crate::matcher::Matcher;
use crate::model::{Item, Lang};
use crate::sources;
use crate::stats::{self, Event, Stage};
use crate::store::{IngestReport, Observed, SearchIndex, SqliteStore, StateStore, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Errors that stop a crawl as a whole (a single source failing never does).
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The state store or index could not be opened or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTTP client could not be built.
    #[error("http client: {0}")]
    Client(#[from] crate::crawl::CrawlError),
    /// The brand matcher could not be built from the config.
    #[error("brands: {0}")]
    Matcher(#[from] crate::matcher::MatcherError),
    /// No configured source has this name.
    #[error("no source named `{0}` in the config (see `hearsay sources`)")]
    UnknownSource(String),
    /// A classifier lexicon could not be loaded.
    #[error("classifier: {0}")]
    Classify(#[from] crate::classify::ClassifyError),
}

/// How one source's crawl ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", content = "reason", rename_all = "lowercase")]
pub enum Outcome {
    Ok,
    /// Nothing fetched on purpose (robots.txt, not modified).
    Skipped(String),
    Failed(String),
}

/// What one source's crawl did.
#[derive(Clone, Debug, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub kind: String,
    pub outcome: Outcome,
    pub pages_fetched: usize,
    pub not_modified: usize,
    pub items: usize,
    pub new_mentions: usize,
    pub new_versions: usize,
    pub deleted: usize,
    /// URLs not fetched and why (robots.txt, address guard, budget).
    pub skipped: Vec<(String, String)>,
    /// URLs that failed and why; the source may still have succeeded overall.
    pub errors: Vec<(String, String)>,
    /// Mentions found per language.
    pub langs: BTreeMap<String, usize>,
    /// Set when the store itself failed: fatal for the whole crawl.
    #[serde(skip)]
    pub storage_error: Option<String>,
}

impl SourceReport {
    fn new(source: &SourceConfig) -> SourceReport {
        SourceReport {
            name: source.name.clone(),
            kind: source.kind.as_str().to_string(),
            outcome: Outcome::Ok,
            pages_fetched: 0,
            not_modified: 0,
            items: 0,
            new_mentions: 0,
            new_versions: 0,
            deleted: 0,
            skipped: Vec::new(),
            errors: Vec::new(),
            langs: BTreeMap::new(),
            storage_error: None,
        }
    }
}

/// The report of a crawl over several sources.
#[derive(Clone, Debug, Serialize)]
pub struct CrawlReport {
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub sources: Vec<SourceReport>,
}

impl CrawlReport {
    pub fn failed(&self) -> usize {
        self.sources
            .iter()
            .filter(|s| matches!(s.outcome, Outcome::Failed(_)))
            .count()
    }
    pub fn new_mentions(&self) -> usize {
        self.sources.iter().map(|s| s.new_mentions).sum()
    }
}

/// Called after each source finishes, for progress display.
pub type Progress = Arc<dyn Fn(&SourceReport) + Send + Sync>;

/// How far back campaign detection reads: a month of mentions covers the
/// baselines and the authors' history it compares with.
pub const CAMPAIGN_LOOKBACK: chrono::Duration = chrono::Duration::days(30);

/// Everything one crawling process needs.
pub struct Crawler {
    pub config: Arc<Config>,
    pub store: Arc<dyn StateStore>,
    pub index: Arc<SearchIndex>,
    fetcher: Fetcher,
    matcher: Arc<Matcher>,
    /// `None` only where a benchmark measures what classification costs.
    classifier: Option<Arc<Classifier>>,
    /// Serialises labelling and ingest across sources: a post's context (the
    /// author's earlier posts) must include every batch stored before it.
    persist_lock: Arc<std::sync::Mutex<()>>,
    /// Serialises index catch-up and commit; holds the time of the last commit.
    commit_lock: tokio::sync::Mutex<std::time::Instant>,
}

/// During a crawl the index commits at most this often (and always at the
/// end): a commit flushes a segment, and one per source cost the benchmark
/// seconds. The store is committed per source regardless, so a crash loses
/// nothing: the next open replays the store into the index.
const COMMIT_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

/// What a walker found for one source, before matching.
#[derive(Default)]
pub(crate) struct Walked {
    pub items: Vec<(Item, Option<String>, Option<Lang>)>,
    /// Container pages fetched in full: comments missing from them are deleted.
    pub containers: Vec<String>,
    /// Item keys' ids whose URL answered 404/410.
    pub gone: Vec<crate::model::MentionId>,
    /// HTTP validators to remember once the items are stored.
    pub validators: Vec<(String, crate::store::CacheEntry)>,
    /// URLs that answered 304: whatever else said about them, they are unchanged.
    pub unchanged: HashSet<String>,
}

/// One item per key: the same post reached through a feed and its page (or
/// twice in a site crawl) must not look like an edit. The longest text wins;
/// metadata missing there is taken from the others. Items whose page
/// answered 304 are dropped: the stored version stands.
fn merge_duplicates(
    items: Vec<(Item, Option<String>, Option<Lang>)>,
    unchanged: &HashSet<String>,
) -> Vec<(Item, Option<String>, Option<Lang>)> {
    let mut out: Vec<(Item, Option<String>, Option<Lang>)> = Vec::with_capacity(items.len());
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (mut item, container, hint) in items {
        if unchanged.contains(&item.url) {
            continue;
        }
        // Article pages often repeat the title as the first line of the text.
        if !item.title.is_empty() && item.text.starts_with(&item.title) {
            item.text = item.text[item.title.len()..].trim_start().to_string();
        }
        match at.get(item.key.as_str()) {
            None => {
                at.insert(item.key.as_str().to_string(), out.len());
                out.push((item, container, hint));
            }
            Some(&i) => {
                let kept = &mut out[i];
                if item.text.chars().count() > kept.0.text.chars().count() {
                    std::mem::swap(&mut kept.0, &mut item);
                }
                let (winner, other) = (&mut kept.0, item);
                winner.published = winner.published.or(other.published);
                winner.author = winner.author.take().or(other.author);
                if winner.title.is_empty() {
                    winner.title = other.title;
                }
                kept.1 = kept.1.take().or(container);
                kept.2 = kept.2.or(hint);
            }
        }
    }
    out
}

impl Crawler {
    /// Opens the store and the index (as its one writer) and replays any
    /// store changes a crash kept out of the index.
    pub fn open(config: Config) -> Result<Crawler, PipelineError> {
        let store: Arc<dyn StateStore> = Arc::new(SqliteStore::open(&config.state_path())?);
        let index = Arc::new(SearchIndex::open_writer(&config.index_dir())?);
        let replayed = index.catch_up(store.as_ref())?;
        if replayed > 0 {
            tracing::info!(replayed, "index caught up with the store");
        }
        let fetcher = Fetcher::new(&config.crawl)?;
        let matcher = Arc::new(Matcher::new(&config.brands)?);
        let classifier = Some(Arc::new(Classifier::built_in()?));
        Ok(Crawler {
            config: Arc::new(config),
            store,
            index,
            fetcher,
            matcher,
            classifier,
            persist_lock: Arc::default(),
            commit_lock: tokio::sync::Mutex::new(std::time::Instant::now()),
        })
    }

    /// Stores mentions unlabelled: the crawl benchmark's baseline for the cost
    /// of classification. Not for production use (nothing labels them later).
    pub fn without_classifier(mut self) -> Crawler {
        self.classifier = None;
        self
    }

    /// Classifies stored mentions again, oldest first: the unlabelled ones
    /// (from `rematch`, or a store older than classification), or all of them
    /// with `all` after the classifier changed. A person's overrides stay
    /// applied. Returns how many were labelled; the index follows.
    pub async fn reclassify(&self, all: bool) -> Result<usize, PipelineError> {
        let Some(classifier) = self.classifier.clone() else {
            return Ok(0);
        };
        let store = self.store.clone();
        let n = tokio::task::spawn_blocking(move || -> Result<usize, StoreError> {
            let texts = store.texts_to_label(all)?;
            let posts = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let post = ToLabel {
                        id: t.id.clone(),
                        title: &t.title,
                        text: &t.text,
                        author: t.author.as_deref().unwrap_or(""),
                        thread: t.thread.clone(),
                        when: t.effective,
                        lang: t.lang,
                    };
                    (i, post)
                })
                .collect();
            // Each post is written before the next is read, so an author's
            // history (a troll before?) is the newly labelled one.
            classify_in_order(&classifier, store.as_ref(), posts, |i, labels, print| {
                store.set_labels(&texts[i].id, &labels, print.as_deref())?;
                Ok(())
            })?;
            Ok(texts.len())
        })
        .await
        .map_err(|e| StoreError::Corrupt {
            what: "reclassify task".into(),
            reason: e.to_string(),
        })??;
        self.sync_index().await?;
        Ok(n)
    }

    /// Finds campaigns among the last [`CAMPAIGN_LOOKBACK`] of mentions and
    /// saves them (continuing stored ones). Returns the saved ids.
    pub async fn detect_campaigns(&self, now: DateTime<Utc>) -> Result<Vec<String>, PipelineError> {
        let store = self.store.clone();
        let brands: Vec<String> = self.config.brands.iter().map(|b| b.name.clone()).collect();
        let ids = tokio::task::spawn_blocking(move || -> Result<Vec<String>, StoreError> {
            let found = crate::campaigns::detect::detect_stored(
                store.as_ref(),
                now - CAMPAIGN_LOOKBACK,
                &Default::default(),
            )?;
            let ids = store.save_campaigns(&found, now)?;
            save_spikes(store.as_ref(), &brands, now)?;
            Ok(ids)
        })
        .await
        .map_err(|e| StoreError::Corrupt {
            what: "campaign task".into(),
            reason: e.to_string(),
        })??;
        Ok(ids)
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Crawls every source (or the one named) once, now.
    pub async fn crawl_all(
        &self,
        only: Option<&str>,
        progress: Option<Progress>,
    ) -> Result<CrawlReport, PipelineError> {
        let selected: Vec<&SourceConfig> = match only {
            Some(name) => {
                let s = self.config.sources.iter().find(|s| s.name == name);
                vec![s.ok_or_else(|| PipelineError::UnknownSource(name.to_string()))?]
            }
            None => self.config.sources.iter().collect(),
        };
        self.crawl_sources(&selected, progress).await
    }

    /// Crawls the given sources concurrently (bounded by `[crawl].concurrency`).
    pub async fn crawl_sources(
        &self,
        selected: &[&SourceConfig],
        progress: Option<Progress>,
    ) -> Result<CrawlReport, PipelineError> {
        use futures_util::stream::StreamExt;
        let started = Utc::now();
        let mut reports: Vec<SourceReport> = futures_util::stream::iter(selected.iter().copied())
            .map(|source| {
                let progress = progress.clone();
                async move {
                    let report = self.crawl_source(source).await;
                    if let Some(p) = &progress {
                        p(&report);
                    }
                    report
                }
            })
            .buffer_unordered(self.config.crawl.concurrency)
            .collect()
            .await;
        reports.sort_by_key(|r| selected.iter().position(|s| s.name == r.name));
        // Whatever the batching left uncommitted is committed before we report.
        if let Err(e) = self.sync_index().await {
            return Err(PipelineError::Store(e));
        }
        // New mentions may have joined or started campaigns.
        if let Err(e) = self.detect_campaigns(Utc::now()).await {
            tracing::warn!(error = %e, "campaign detection failed; the crawl's mentions are stored");
        }
        // Text of items matching no brand is kept only for `rematch`, and only so long.
        let retention = chrono::Duration::from_std(self.config.storage.retention)
            .unwrap_or_else(|_| chrono::Duration::days(30));
        if let Err(e) = self.store.purge_unmatched(started - retention) {
            tracing::warn!(error = %e, "could not drop unmatched texts past retention");
        }
        // A store failure is fatal: nothing after it would be kept.
        if let Some(fatal) = reports.iter().find_map(|r| r.storage_error.clone()) {
            return Err(PipelineError::Store(StoreError::Corrupt {
                what: "crawl".into(),
                reason: fatal,
            }));
        }
        Ok(CrawlReport {
            started,
            finished: Utc::now(),
            sources: reports,
        })
    }

    /// Crawls one source and records its health; never panics on bad input.
    pub async fn crawl_source(&self, source: &SourceConfig) -> SourceReport {
        let started = std::time::Instant::now();
        let report = self.crawl_source_inner(source).await;
        stats::record(Stage::Crawl, 1, started);
        if matches!(report.outcome, Outcome::Failed(_)) {
            stats::count(Event::SourceFailed, 1);
        }
        stats::count(Event::PagesFetched, report.pages_fetched as u64);
        stats::count(Event::NewMentions, report.new_mentions as u64);
        stats::count(Event::NewVersions, report.new_versions as u64);
        report
    }

    async fn crawl_source_inner(&self, source: &SourceConfig) -> SourceReport {
        let now = Utc::now();
        let mut report = SourceReport::new(source);
        let stored = self.store.source_state(&source.name).ok().flatten();
        let first_crawl = stored.as_ref().is_none_or(|s| s.last_success.is_none());
        let mut state = sources::state_for(source, stored);
        let walked = walk::walk(self, source, &mut report).await;
        let result = match walked {
            Ok(walked) => match self
                .persist(source, walked, first_crawl, now, &mut report)
                .await
            {
                Ok(()) => Ok(()),
                Err(e) => {
                    let reason = format!("storage error: {e}");
                    report.storage_error = Some(reason.clone());
                    Err(reason)
                }
            },
            Err(reason) => Err(reason),
        };
        match result {
            Ok(()) => {
                sources::record_success(&mut state, source, now, report.items);
                if report.outcome == Outcome::Ok
                    && report.pages_fetched == 0
                    && report.not_modified > 0
                {
                    report.outcome = Outcome::Skipped("not modified".into());
                }
            }
            Err(reason) => {
                tracing::warn!(source = %source.name, %reason, "source failed");
                sources::record_failure(&mut state, source, &self.config.crawl, now, &reason);
                report.outcome = Outcome::Failed(reason);
            }
        }
        if let Err(e) = self.store.save_source_state(&state) {
            tracing::error!(source = %source.name, error = %e, "could not save source state");
        }
        report
    }

    /// Matches, stores and indexes what a walker found.
    async fn persist(
        &self,
        source: &SourceConfig,
        walked: Walked,
        first_crawl: bool,
        now: DateTime<Utc>,
        report: &mut SourceReport,
    ) -> Result<(), StoreError> {
        let items = merge_duplicates(walked.items, &walked.unchanged);
        let matching = std::time::Instant::now();
        let observed: Vec<Observed> = items
            .into_iter()
            .map(|(item, container, hint)| self.observe(source, item, container, hint))
            .collect();
        stats::record(Stage::Match, observed.len() as u64, matching);
        report.items = observed.len();
        for o in observed.iter().filter(|o| !o.brands.is_empty()) {
            *report.langs.entry(o.lang.as_str().to_string()).or_default() += 1;
        }
        let backlog_before = first_crawl.then(|| {
            now - chrono::Duration::from_std(self.config.crawl.backlog)
                .unwrap_or_else(|_| chrono::Duration::days(7))
        });
        let store = self.store.clone();
        let seen: HashSet<String> = observed
            .iter()
            .map(|o| o.item.key.id().to_string())
            .collect();
        let replies = self.brand_replies(&observed, now);
        let containers = walked.containers;
        let gone = walked.gone;
        let validators = walked.validators;
        let classifier = self.classifier.clone();
        let persist_lock = self.persist_lock.clone();
        let (ingest, deleted) =
            tokio::task::spawn_blocking(move || -> Result<(IngestReport, usize), StoreError> {
                // An item whose URL is gone is stored only if new (so nothing is lost), never revived.
                let gone_ids: HashSet<&str> = gone.iter().map(|id| id.as_str()).collect();
                let mut keep = Vec::with_capacity(observed.len());
                for o in observed {
                    let id = o.item.key.id();
                    if !gone_ids.contains(id.as_str()) || store.mention(&id)?.is_none() {
                        keep.push(o);
                    }
                }
                let ingest = {
                    let _one_at_a_time = persist_lock.lock().unwrap_or_else(|p| p.into_inner());
                    let fresh = fresh_mentions(store.as_ref(), &keep)?;
                    if let Some(classifier) = &classifier {
                        let labelling = std::time::Instant::now();
                        label(classifier, store.as_ref(), &mut keep, &fresh, now)?;
                        stats::record(Stage::Classify, fresh.len() as u64, labelling);
                    }
                    for &i in &fresh {
                        let o = &mut keep[i];
                        if let Some((sketch, set)) = wording(&o.item.title, &o.item.text, o.lang) {
                            o.sketch = Some(sketch);
                            o.shingles = Some(set);
                        }
                    }
                    let storing = std::time::Instant::now();
                    let ingest = store.ingest(&keep, now, backlog_before)?;
                    stats::record(Stage::Store, 1, storing);
                    // After the ingest: a reply and the mention it answers may arrive together.
                    for r in &replies {
                        let n = store.mark_thread_answered(&r.thread, &r.brand, r.at, &r.by, now)?;
                        if n > 0 {
                            tracing::info!(thread = %r.thread, brand = %r.brand, by = %r.by, answered = n, "brand reply marks mentions answered");
                        }
                    }
                    ingest
                };
                // A comment is deleted only when its page still shows neighbours but not it.
                let mut missing = gone;
                for container in &containers {
                    let ids = store.ids_in_container(container)?;
                    let has_neighbours = ids.iter().any(|id| seen.contains(id.as_str()));
                    if has_neighbours {
                        missing.extend(ids.into_iter().filter(|id| !seen.contains(id.as_str())));
                    }
                }
                let deleted = store.mark_deleted(&missing, now)?;
                for (url, entry) in &validators {
                    store.save_cache_entry(url, entry)?;
                }
                Ok((ingest, deleted))
            })
            .await
            .map_err(|e| StoreError::Corrupt {
                what: "store task".into(),
                reason: e.to_string(),
            })??;
        report.new_mentions = ingest.new_mentions;
        report.new_versions = ingest.new_versions;
        report.deleted = deleted;
        self.sync_index_every(COMMIT_INTERVAL).await?;
        Ok(())
    }

    /// Brings the index up to the store and commits.
    pub async fn sync_index(&self) -> Result<usize, StoreError> {
        self.sync_index_every(std::time::Duration::ZERO).await
    }

    /// Brings the index up to the store unless it committed less than `interval` ago.
    async fn sync_index_every(&self, interval: std::time::Duration) -> Result<usize, StoreError> {
        let mut last = self.commit_lock.lock().await;
        if last.elapsed() < interval {
            return Ok(0);
        }
        *last = std::time::Instant::now();
        let index = self.index.clone();
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let indexing = std::time::Instant::now();
            let n = index.catch_up(store.as_ref());
            stats::record(Stage::Index, 1, indexing);
            n
        })
        .await
        .map_err(|e| StoreError::Corrupt {
            what: "index task".into(),
            reason: e.to_string(),
        })?
    }

    /// The brand's own posts in this batch (by one of its `authors`, or on one
    /// of its `own_sites`): each answers the mentions of its thread posted before it.
    fn brand_replies(&self, observed: &[Observed], now: DateTime<Utc>) -> Vec<BrandReply> {
        let mut out = Vec::new();
        for o in observed {
            let site = crate::model::site_of(&o.item.url);
            let author = o.item.author.as_deref().map(str::trim).unwrap_or("");
            for brand in &self.config.brands {
                if !(brand.is_own_author(author) || brand.is_own_site(&site)) {
                    continue;
                }
                out.push(BrandReply {
                    thread: o.thread(),
                    brand: brand.name.clone(),
                    at: crate::model::effective_time(o.item.published, now),
                    by: if author.is_empty() {
                        site.clone()
                    } else {
                        author.to_string()
                    },
                });
            }
        }
        out
    }

    /// Language, brand matches, own-site rule.
    fn observe(
        &self,
        source: &SourceConfig,
        item: Item,
        container: Option<String>,
        hint: Option<Lang>,
    ) -> Observed {
        let site = crate::model::site_of(&item.url);
        let author = item.author.as_deref().unwrap_or("");
        let own: HashSet<&str> = self
            .config
            .brands
            .iter()
            .filter(|b| b.is_own_site(&site) || b.is_own_author(author))
            .map(|b| b.name.as_str())
            .collect();
        // The brand's own pages and posts are never mentions of it.
        let matches: Vec<_> = self
            .matcher
            .find(&item.title, &item.text)
            .into_iter()
            .filter(|m| !own.contains(m.brand.as_str()))
            .collect();
        let brands = self.matcher.brands_in(&matches);
        // Only mentions are read by anyone: the language of the rest (most
        // pages) is not worth detecting; `rematch` detects it for any that
        // become mentions later.
        let lang = if brands.is_empty() {
            Lang::Other
        } else {
            detect_item_lang(&item.title, &item.text, hint.or(source.lang))
        };
        Observed {
            item,
            source: source.name.clone(),
            container,
            lang,
            brands,
            matches,
            labels: None,
            fingerprint: None,
            sketch: None,
            shingles: None,
        }
    }
}

/// The language of a title and text (`hint`: the page's or source's).
pub fn detect_item_lang(title: &str, text: &str, hint: Option<Lang>) -> Lang {
    if title.is_empty() {
        extract::detect_lang(text, hint)
    } else {
        extract::detect_lang(&format!("{title}\n{text}"), hint)
    }
}

/// A post by the brand itself, answering its thread.
struct BrandReply {
    thread: String,
    brand: String,
    at: DateTime<Utc>,
    by: String,
}

/// Records each brand's current spikes (hour and day), continuing an ongoing
/// episode, so each is reported as new once.
fn save_spikes(
    store: &dyn StateStore,
    brands: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    use crate::campaigns::spikes::{self, Sensitivity};
    for (brand, s) in spikes::current_in(store, brands, now, Sensitivity::Normal)? {
        let detail = serde_json::to_value(&s).unwrap_or_default();
        let gap = s.end - s.start;
        store.save_spike(&brand, s.span.as_str(), s.start, s.end, gap, &detail)?;
    }
    Ok(())
}

/// One post to classify, from a crawl's batch or from the store.
struct ToLabel<'a> {
    id: crate::model::MentionId,
    title: &'a str,
    text: &'a str,
    author: &'a str,
    thread: String,
    when: DateTime<Utc>,
    lang: crate::model::Lang,
}

/// Classifies posts oldest first, with what the store and the earlier posts
/// of the run say of each author (first post? a repeat? a troll before?), and
/// hands each post's labels and repeat fingerprint to `done` in that order.
fn classify_in_order(
    classifier: &Classifier,
    store: &dyn StateStore,
    mut posts: Vec<(usize, ToLabel<'_>)>,
    mut done: impl FnMut(usize, crate::model::Labels, Option<String>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    use crate::classify::repeats::{Histories, Post};
    use crate::classify::Text;
    posts.sort_by(|(_, a), (_, b)| (a.when, &a.id).cmp(&(b.when, &b.id)));
    let mut histories = Histories::default();
    for (i, p) in posts {
        let text = Text::new(p.title, p.text);
        let print = text.fingerprint();
        let post = Post {
            id: p.id.as_str(),
            author: p.author,
            thread: &p.thread,
            fingerprint: print.as_deref(),
        };
        let stored = if p.author.trim().is_empty() {
            Default::default()
        } else {
            store.author_history(p.author.trim(), print.as_deref(), p.when, &p.id)?
        };
        let ctx = histories.context(&post, &stored);
        let labels = classifier.classify_text(&text, p.lang, &ctx);
        histories.record(&post, &labels);
        done(i, labels, print)?;
    }
    Ok(())
}

/// The mentions of a batch that are new or changed. One seen again unchanged
/// keeps its labels (and a person's corrections) and its sketch: the store
/// ignores both for unchanged items, so computing them again would be work
/// thrown away on every recrawl.
fn fresh_mentions(store: &dyn StateStore, batch: &[Observed]) -> Result<Vec<usize>, StoreError> {
    let mut fresh = Vec::new();
    for (i, o) in batch.iter().enumerate() {
        if !o.brands.is_empty()
            && store.content_hash(&o.item.key.id())? != Some(o.item.content_hash())
        {
            fresh.push(i);
        }
    }
    Ok(fresh)
}

/// Classifies the `fresh` mentions of a batch: on an empty store the
/// earliest post of an author in the crawl is its first.
fn label(
    classifier: &Classifier,
    store: &dyn StateStore,
    batch: &mut [Observed],
    fresh: &[usize],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut posts = Vec::new();
    for &i in fresh {
        let o = &batch[i];
        let id = o.item.key.id();
        posts.push((
            i,
            ToLabel {
                id,
                title: &o.item.title,
                text: &o.item.text,
                author: o.item.author.as_deref().unwrap_or(""),
                thread: o.thread(),
                when: crate::model::effective_time(o.item.published, now),
                lang: o.lang,
            },
        ));
    }
    let mut results = Vec::with_capacity(posts.len());
    classify_in_order(classifier, store, posts, |i, labels, print| {
        results.push((i, labels, print));
        Ok(())
    })?;
    for (i, labels, print) in results {
        batch[i].labels = Some(labels);
        batch[i].fingerprint = print;
    }
    Ok(())
}
