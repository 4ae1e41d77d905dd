//! The one place that persists.
//!
//! [`StateStore`] is the narrow interface of the source of truth (SQLite now,
//! PostgreSQL later: a second backend is an addition, not a rewrite).
//! [`index::SearchIndex`] is derived from it and can always be rebuilt; a
//! watermark in its commit payload says which store changes it already holds.

mod campaigns;
pub mod export;
pub mod index;
mod outbox;
pub mod sqlite;
mod tokenize;
mod waves;

use crate::model::{
    Answer, BrandMatch, Flag, Intent, Item, Lang, Mention, MentionId, Overrides, Status, Urgency,
    Version,
};
use chrono::{DateTime, Utc};

pub use campaigns::CampaignStore;
pub use index::{Hit, SearchIndex, SearchQuery};
pub use outbox::{
    Attempt, Delivery, DigestRun, MailStore, Mailed, NewMessage, OutboxMessage, QueuedAlert,
};
pub use sqlite::SqliteStore;
pub use waves::{WaveInterner, WaveRow, WaveSketches};

/// Errors of the state store and the index.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The SQLite database failed; the data directory may be unwritable or corrupt.
    #[error("state store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The tantivy index failed; `hearsay reindex` rebuilds it from the store.
    #[error("search index: {0} (run `hearsay reindex` to rebuild it)")]
    Index(#[from] tantivy::TantivyError),
    /// The search query could not be parsed.
    #[error("bad query: {0}")]
    Query(String),
    /// The data directory could not be created or opened.
    #[error("data directory {path}")]
    Dir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Another process holds the index writer.
    #[error(
        "the index at {0} is locked by another crawling process (only one `run`/`crawl` at a time)"
    )]
    Locked(std::path::PathBuf),
    /// A stored value could not be decoded.
    #[error("corrupt record {what}: {reason}")]
    Corrupt { what: String, reason: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// One item as seen by a crawl, with its matching result, ready to store.
#[derive(Clone, Debug)]
pub struct Observed {
    pub item: Item,
    pub source: String,
    /// The page a comment was found on: its absence there later is evidence of deletion.
    pub container: Option<String>,
    pub lang: Lang,
    pub brands: Vec<String>,
    pub matches: Vec<BrandMatch>,
    /// The classifier's labels (mentions only).
    pub labels: Option<crate::model::Labels>,
    /// The text's repeat fingerprint (`classify::repeats::fingerprint`).
    pub fingerprint: Option<String>,
    /// The wording's MinHash (`campaigns::sketch`), mentions only.
    pub sketch: Option<crate::model::Sketch>,
    /// The wording's shingles in 32 bits, sorted (`campaigns::sketch::compact`).
    pub shingles: Option<Vec<u32>>,
}

impl Observed {
    /// The thread it sits in: the page of a comment, or a post's own URL (as
    /// `COALESCE(container, url)` in the store).
    pub fn thread(&self) -> String {
        self.container
            .clone()
            .unwrap_or_else(|| self.item.url.clone())
    }
}

/// What the store knows of an author's earlier posts, for the classifier.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthorHistory {
    /// Whether the author has any item up to the given time.
    pub has_earlier: bool,
    /// Earlier items with the same fingerprint: (id, thread), oldest first.
    pub same_text: Vec<(MentionId, String)>,
    /// Whether any earlier item of this author was flagged troll.
    pub trolled: bool,
}

/// What one ingest did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Items seen for the first time (matching or not).
    pub new_items: usize,
    /// New mentions (items with a brand) among them.
    pub new_mentions: usize,
    /// Items whose text changed: a new version was stored.
    pub new_versions: usize,
    pub unchanged: usize,
    /// Items that came back after being marked deleted.
    pub undeleted: usize,
}

/// Crawl state of one source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceState {
    pub name: String,
    pub url: String,
    pub kind: String,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// Consecutive failures; reset by a success. Drives the back-off.
    pub error_count: u32,
    /// Items seen in total (all crawls).
    pub items_seen: u64,
    pub next_check: Option<DateTime<Utc>>,
}

/// HTTP validators remembered per URL for conditional GET.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CacheEntry {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Filters shared by `mentions`, `export` and `search`.
#[derive(Clone, Debug, Default)]
pub struct MentionFilter {
    pub brand: Option<String>,
    pub lang: Option<Lang>,
    pub source: Option<String>,
    pub site: Option<String>,
    /// On effective time (published if plausible, else first seen).
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub include_deleted: bool,
    pub intent: Option<Intent>,
    /// Every one of these flags.
    pub flags: Vec<Flag>,
    pub status: Option<Status>,
    pub sentiment: Option<crate::model::Sentiment>,
    /// Computed when read, so the filter carries the clock and the reply window.
    pub urgency: Option<UrgencyFilter>,
    /// Mentions of muted authors and sites are left out unless asked for.
    pub include_muted: bool,
}

/// Mentions of one urgency as of `now`, with the configured reply window.
#[derive(Clone, Copy, Debug)]
pub struct UrgencyFilter {
    pub want: Urgency,
    pub now: DateTime<Utc>,
    pub window: std::time::Duration,
}

/// What a mute silences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MuteKind {
    Author,
    Site,
}

impl MuteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MuteKind::Author => "author",
            MuteKind::Site => "site",
        }
    }
}

/// A muted author or site (authors compare case-blind, sites by host).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Mute {
    #[serde(serialize_with = "mute_kind")]
    pub kind: MuteKind,
    pub value: String,
    pub by: Option<String>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

fn mute_kind<S: serde::Serializer>(k: &MuteKind, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(k.as_str())
}

/// A stored change, in the order the index must apply it.
#[derive(Clone, Debug)]
pub struct Change {
    pub seq: i64,
    /// The mention as stored, except `matches` (left empty) and `muted`
    /// (false): the change feed is the index's hot path and needs neither.
    pub mention: Mention,
    /// False for items that match no brand: the index drops them.
    pub is_mention: bool,
    /// This change is the item's insert: no index can hold an earlier document
    /// for it, so the index adds without a delete (a delete per new item made
    /// every commit search each segment's term dictionary).
    pub is_new: bool,
}

/// A stored item offered to `rematch` or `reclassify`.
#[derive(Clone, Debug)]
pub struct StoredText {
    pub id: MentionId,
    pub source: String,
    pub url: String,
    pub title: String,
    pub text: String,
    pub lang: Lang,
    pub brands: Vec<String>,
    pub author: Option<String>,
    /// `COALESCE(container, url)`: the page a comment sits on, or the post itself.
    pub thread: String,
    /// Published if plausible, else first seen: the order posts are labelled in.
    pub effective: DateTime<Utc>,
}

/// A stored mention as campaign detection reads it.
#[derive(Clone, Debug)]
pub struct WaveItem {
    pub id: MentionId,
    /// Effective time: published if plausible, else first seen.
    pub at: DateTime<Utc>,
    pub author: Option<String>,
    pub site: String,
    pub lang: Lang,
    /// The classifier (or a person) called it negative.
    pub negative: bool,
    pub title: String,
    pub text: String,
    pub matches: Vec<BrandMatch>,
    pub sketch: crate::model::Sketch,
}

/// The state store's interface: everything a stage may persist or read back.
pub trait StateStore: CampaignStore + MailStore + Send + Sync {
    /// Stores new items, a new version for changed ones, and nothing for unchanged ones,
    /// in one transaction. `backlog_before`: items published earlier are stored as backlog.
    fn ingest(
        &self,
        batch: &[Observed],
        now: DateTime<Utc>,
        backlog_before: Option<DateTime<Utc>>,
    ) -> Result<IngestReport>;
    /// Marks items deleted on positive evidence (404/410, comment gone from its page).
    fn mark_deleted(&self, ids: &[MentionId], at: DateTime<Utc>) -> Result<usize>;
    /// An author's posts up to `until` (by effective time), other than `exclude`:
    /// whether there is any, which carry `fingerprint`, whether one was a troll's.
    /// Authors compare case-blind.
    fn author_history(
        &self,
        author: &str,
        fingerprint: Option<&str>,
        until: DateTime<Utc>,
        exclude: &MentionId,
    ) -> Result<AuthorHistory>;
    /// Ids of live items last seen on a container page, for deletion evidence.
    fn ids_in_container(&self, container: &str) -> Result<Vec<MentionId>>;
    /// The live item stored under this permalink, if any.
    fn id_by_url(&self, url: &str) -> Result<Option<MentionId>>;
    fn mention(&self, id: &MentionId) -> Result<Option<Mention>>;
    /// [`Item::content_hash`](crate::model::Item::content_hash) of the stored
    /// item: lets the pipeline skip relabelling what has not changed.
    fn content_hash(&self, id: &MentionId) -> Result<Option<String>>;
    fn versions(&self, id: &MentionId) -> Result<Vec<Version>>;
    /// Mentions (items with a brand) newest first by effective time.
    fn mentions(&self, filter: &MentionFilter, limit: Option<usize>) -> Result<Vec<Mention>>;
    /// Changes after `seq`, oldest first, at most `limit`.
    fn changes_since(&self, seq: i64, limit: usize) -> Result<Vec<Change>>;
    /// Latest change number.
    fn last_seq(&self) -> Result<i64>;
    /// Live mentions about us per language (for `/metrics`).
    fn mention_counts(&self) -> Result<Vec<(Lang, u64)>>;
    /// Items whose text is still kept, for rematching after an alias change.
    fn texts_for_rematch(&self) -> Result<Vec<StoredText>>;
    /// Mentions to classify again, oldest first: those never labelled, or
    /// every one with `all` (after the classifier changed).
    fn texts_to_label(&self, all: bool) -> Result<Vec<StoredText>>;
    /// Live mentions about us since `since` with a sketch, oldest first
    /// (ties in storage order: the time index gives it without a sort), as
    /// campaign detection reads them.
    fn wave_items(&self, since: DateTime<Utc>) -> Result<Vec<WaveItem>>;
    /// What [`wave_items`](StateStore::wave_items) reads, minus texts,
    /// matches and ids, in no particular order (detection ranks by time
    /// itself): candidate generation's input.
    fn wave_sketches(&self, since: DateTime<Utc>) -> Result<WaveSketches>;
    /// The mentions with these [`WaveSketches::keys`], in full, in the order
    /// given; an unknown key is a corrupt-store error (items are never removed).
    fn wave_items_by_keys(&self, keys: &[i64]) -> Result<Vec<WaveItem>>;
    /// The stored shingle sets of these [`WaveSketches::keys`], in order;
    /// `None` for an item stored before shingles were kept.
    fn shingles_by_keys(&self, keys: &[i64]) -> Result<Vec<Option<Vec<u32>>>>;
    /// Live mentions first seen or published since `since` that have a
    /// sketch, oldest first: what near-duplicate detection compares.
    fn sketches_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<(MentionId, DateTime<Utc>, crate::model::Sketch)>>;
    /// Replaces the classifier's labels of a stored mention; a person's
    /// overrides stay applied on top.
    fn set_labels(
        &self,
        id: &MentionId,
        labels: &crate::model::Labels,
        fingerprint: Option<&str>,
    ) -> Result<bool>;
    /// Replaces an item's matching result (rematch), and its language when
    /// given (items matching no brand are stored without one).
    fn set_matches(
        &self,
        id: &MentionId,
        brands: &[String],
        matches: &[BrandMatch],
        lang: Option<Lang>,
    ) -> Result<bool>;
    /// Sets a mention's status (who, when, note); false when there is no such mention.
    fn set_status(&self, id: &MentionId, answer: &Answer) -> Result<bool>;
    /// Adds a person's corrections to a mention, merged with earlier ones; they
    /// stay applied when the item is reclassified or reindexed.
    fn add_overrides(&self, id: &MentionId, overrides: &Overrides) -> Result<bool>;
    /// Marks the `new` mentions of `brand` in `thread` (a comment's page, or a
    /// post's own URL) with effective time up to `until` as answered by `by`.
    fn mark_thread_answered(
        &self,
        thread: &str,
        brand: &str,
        until: DateTime<Utc>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<usize>;
    fn mute(&self, mute: &Mute) -> Result<()>;
    /// False when it was not muted.
    fn unmute(&self, kind: MuteKind, value: &str) -> Result<bool>;
    fn mutes(&self) -> Result<Vec<Mute>>;
    /// Drops the text of items matching no brand, first seen before `before`.
    fn purge_unmatched(&self, before: DateTime<Utc>) -> Result<usize>;
    fn source_state(&self, name: &str) -> Result<Option<SourceState>>;
    fn source_states(&self) -> Result<Vec<SourceState>>;
    fn save_source_state(&self, state: &SourceState) -> Result<()>;
    fn cache_entry(&self, url: &str) -> Result<Option<CacheEntry>>;
    fn save_cache_entry(&self, url: &str, entry: &CacheEntry) -> Result<()>;
}

/// A search hit joined with its stored mention.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SearchResult {
    #[serde(flatten)]
    pub mention: Mention,
    pub score: f32,
    /// The fragment with highlights as `<b>…</b>`.
    pub snippet: String,
    #[serde(skip)]
    pub highlighted: index::Snippet,
}

/// Characters of context in a snippet.
pub const SNIPPET_CHARS: usize = 180;

/// Runs a search and joins each hit with the store (the source of truth).
pub fn search(
    index: &SearchIndex,
    store: &dyn StateStore,
    q: &SearchQuery,
) -> Result<Vec<SearchResult>> {
    // Status (set by people between crawls, so the index may lag), sentiment
    // (not indexed), muting and urgency are decided on the stored mention,
    // after ranking: ask for more hits so the page is still full.
    let mut indexed = q.clone();
    indexed.filter.status = None;
    indexed.filter.sentiment = None;
    let prepared = index.prepare(&indexed)?;
    let post_filtered = q.filter.urgency.is_some()
        || !q.filter.include_muted
        || q.filter.status.is_some()
        || q.filter.sentiment.is_some();
    let fetch = if post_filtered {
        q.limit.saturating_mul(4).max(q.limit + 50)
    } else {
        q.limit
    };
    let hits = index.search(&prepared, fetch)?;
    let mut results = Vec::with_capacity(q.limit.min(hits.len()));
    for hit in hits {
        if results.len() >= q.limit {
            break;
        }
        // An index a step behind the store may name an item since dropped: skip it.
        let Some(mention) = store.mention(&hit.id)? else {
            continue;
        };
        if mention.muted && !q.filter.include_muted {
            continue;
        }
        if q.filter.status.is_some_and(|s| s != mention.answer.status) {
            continue;
        }
        if let Some(want) = q.filter.sentiment {
            if mention.labels.as_ref().map(|l| l.sentiment) != Some(want) {
                continue;
            }
        }
        if let Some(u) = &q.filter.urgency {
            if mention.urgency(u.now, u.window).0 != u.want {
                continue;
            }
        }
        let highlighted = index.snippet(&prepared, &mention, SNIPPET_CHARS);
        results.push(SearchResult {
            snippet: html_marked(&highlighted),
            mention,
            score: hit.score,
            highlighted,
        });
    }
    Ok(results)
}

fn html_marked(s: &index::Snippet) -> String {
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut out = String::new();
    let mut at = 0;
    for r in &s.highlights {
        if r.start < at || r.end > s.fragment.len() {
            continue;
        }
        out.push_str(&escape(&s.fragment[at..r.start]));
        out.push_str("<b>");
        out.push_str(&escape(&s.fragment[r.clone()]));
        out.push_str("</b>");
        at = r.end;
    }
    out.push_str(&escape(&s.fragment[at..]));
    out
}

/// Opens store and index for a reading command. When no crawler holds the
/// index, it is first brought up to the store (a crash may have left it behind).
pub fn open_for_reading(
    state_path: &std::path::Path,
    index_dir: &std::path::Path,
) -> Result<(SqliteStore, SearchIndex)> {
    let store = SqliteStore::open(state_path)?;
    match SearchIndex::open_writer(index_dir) {
        // The writer is dropped at once so a crawler starting next is not locked out.
        Ok(writer) => drop(writer.catch_up(&store)?),
        Err(StoreError::Locked(_)) => {}
        Err(e) => return Err(e),
    }
    Ok((store, SearchIndex::open(index_dir)?))
}
