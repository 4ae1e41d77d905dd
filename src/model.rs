//! Shared types every stage speaks: what a mention is and how it is identified.
//!
//! `model` and `store` are the ground floor: no stage above imports a later one.

use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Stable identity of an item: derived from its canonical URL (plus the DOM
/// anchor for a comment on a list page, or the feed guid as a fallback),
/// never from its text, so an edited title stays the same mention.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MentionId(String);

impl MentionId {
    /// Derives the id from an item key (see [`ItemKey`]).
    pub fn derive(key: &ItemKey) -> Self {
        let digest = Sha256::digest(key.as_str().as_bytes());
        let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        MentionId(hex)
    }

    /// Wraps an id read back from the store or typed by a user.
    pub fn from_raw(raw: impl Into<String>) -> Self {
        MentionId(raw.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MentionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The identity string an id is derived from: `url:<canonical url>[#anchor]`
/// or `guid:<feed guid>` when an entry has no usable link.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemKey(String);

impl ItemKey {
    /// Key of a whole document reached by its canonical URL.
    pub fn url(canonical: &url::Url) -> Self {
        ItemKey(format!("url:{canonical}"))
    }

    /// Key of one comment or review on a list page: the page URL plus its anchor.
    pub fn anchored(canonical: &url::Url, anchor: &str) -> Self {
        let mut base = canonical.clone();
        base.set_fragment(None);
        ItemKey(format!("url:{base}#{anchor}"))
    }

    /// Key of a feed entry without a link, scoped to its feed.
    pub fn guid(feed_url: &url::Url, guid: &str) -> Self {
        ItemKey(format!("guid:{feed_url} {guid}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn id(&self) -> MentionId {
        MentionId::derive(self)
    }
}

/// Languages Hearsay analyses; everything else is `Other`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ru,
    Zh,
    Da,
    En,
    #[default]
    Other,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::Ru, Lang::Zh, Lang::Da, Lang::En, Lang::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Zh => "zh",
            Lang::Da => "da",
            Lang::En => "en",
            Lang::Other => "other",
        }
    }

    /// Parses a language code as written in config or on the command line.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ru" | "rus" | "russian" => Some(Lang::Ru),
            "zh" | "zho" | "chi" | "chinese" | "zh-cn" | "zh-hans" | "zh-tw" | "zh-hant" => {
                Some(Lang::Zh)
            }
            "da" | "dan" | "danish" => Some(Lang::Da),
            "en" | "eng" | "english" => Some(Lang::En),
            "other" => Some(Lang::Other),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of thing a source URL is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// RSS 0.9x/1.0/2.0, Atom or JSON Feed.
    Feed,
    /// One HTML page, optionally split into items (comments, reviews) by selectors.
    Page,
    /// A start URL whose same-host links are followed to a depth and page budget.
    Site,
    /// A sitemap or sitemap index.
    Sitemap,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Page => "page",
            SourceKind::Site => "site",
            SourceKind::Sitemap => "sitemap",
        }
    }
}

/// Which field of an item a brand occurrence was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchField {
    Title,
    Text,
}

/// One brand occurrence: byte offsets into the item's title or text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandMatch {
    pub brand: String,
    pub field: MatchField,
    pub start: usize,
    pub end: usize,
    /// The surface form as written, e.g. "N0rdlys" or "Нордлисом".
    pub text: String,
}

/// An item as extracted from a feed, page, or comment list, before matching.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub key: ItemKey,
    /// Permalink shown to users (canonical URL, with anchor for comments).
    pub url: String,
    pub title: String,
    /// Main text only: no navigation, sidebars, footers, link URLs or user names.
    pub text: String,
    pub author: Option<String>,
    /// The source's own date, never back-filled.
    pub published: Option<DateTime<Utc>>,
}

impl Item {
    /// What a new version is told by: the title, text and author. (The
    /// publication date alone changing is not a new version of what was said.)
    pub fn content_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.title.as_bytes());
        h.update([0]);
        h.update(self.text.as_bytes());
        h.update([0]);
        h.update(self.author.as_deref().unwrap_or("").as_bytes());
        h.finalize()[..12]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Hashes in a [`Sketch`].
pub const SKETCH_HASHES: usize = 100;

/// A mention's MinHash signature (computed by `campaigns::sketch`), stored
/// with it so near-duplicates are found without reading texts again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sketch(pub [u32; SKETCH_HASHES]);

impl Sketch {
    /// Little-endian bytes, as the store keeps it.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// `None` unless `bytes` is exactly one sketch.
    pub fn from_bytes(bytes: &[u8]) -> Option<Sketch> {
        if bytes.len() != SKETCH_HASHES * 4 {
            return None;
        }
        let mut out = [0u32; SKETCH_HASHES];
        for (v, chunk) in out.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(Sketch(out))
    }
}

/// A stored item with its matching result: a mention when `brands` is non-empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub id: MentionId,
    pub url: String,
    pub source: String,
    /// Host of the URL, for `site:` filters.
    pub site: String,
    pub brands: Vec<String>,
    pub lang: Lang,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub first_seen: DateTime<Utc>,
    pub fetched: DateTime<Utc>,
    /// Latest version's text; a deleted mention keeps its last text.
    pub text: String,
    pub matches: Vec<BrandMatch>,
    /// Number of stored versions.
    pub versions: u32,
    pub deleted: bool,
    /// True when first seen older than the backlog: stored, never "new" for alerts.
    #[serde(default)]
    pub backlog: bool,
    /// What the classifier said (absent for items stored before it ran).
    #[serde(flatten, default)]
    pub labels: Option<Labels>,
    /// Where its answer stands.
    #[serde(flatten, default)]
    pub answer: Answer,
    /// A person's corrections, already applied to `labels`.
    #[serde(default, skip_serializing_if = "Overrides::is_empty")]
    pub overrides: Overrides,
    /// Its author or site is muted: kept, but out of lists, search and alerts.
    #[serde(default)]
    pub muted: bool,
}

// What the classifier says of a mention: shared vocabulary of the classify
// stage, the store, the index and the commands.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Question,
    Complaint,
    Praise,
    Incident,
    Other,
}

impl Intent {
    pub const ALL: [Intent; 5] = [
        Intent::Question,
        Intent::Complaint,
        Intent::Praise,
        Intent::Incident,
        Intent::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Question => "question",
            Intent::Complaint => "complaint",
            Intent::Praise => "praise",
            Intent::Incident => "incident",
            Intent::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.as_str() == s)
    }

    /// A concern the brand owes an answer to.
    pub fn is_concern(self) -> bool {
        matches!(
            self,
            Intent::Question | Intent::Complaint | Intent::Incident
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Negative,
    Neutral,
    Positive,
}

impl Sentiment {
    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
        }
    }

    pub fn parse(s: &str) -> Option<Sentiment> {
        [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    Obscene,
    Insult,
    Troll,
    Spam,
    Ad,
    SuspectedFake,
    Constructive,
    NeedsReply,
}

impl Flag {
    pub const ALL: [Flag; 8] = [
        Flag::Obscene,
        Flag::Insult,
        Flag::Troll,
        Flag::Spam,
        Flag::Ad,
        Flag::SuspectedFake,
        Flag::Constructive,
        Flag::NeedsReply,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Obscene => "obscene",
            Flag::Insult => "insult",
            Flag::Troll => "troll",
            Flag::Spam => "spam",
            Flag::Ad => "ad",
            Flag::SuspectedFake => "suspected_fake",
            Flag::Constructive => "constructive",
            Flag::NeedsReply => "needs_reply",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// What the classifier says of one mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labels {
    pub sentiment: Sentiment,
    /// In [-1, 1].
    pub sentiment_score: f32,
    pub intent: Intent,
    pub flags: BTreeSet<Flag>,
    /// Label name (`intent`, `sentiment`, or a flag) → why, for a person.
    pub reasons: BTreeMap<String, String>,
}

impl Labels {
    pub fn has(&self, flag: Flag) -> bool {
        self.flags.contains(&flag)
    }
}

/// Where a mention stands in being answered (the playbook: follow up until
/// resolved, not only until answered).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    New,
    Answered,
    Resolved,
    /// Trolls, spam: nothing owed.
    Ignored,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::New,
        Status::Answered,
        Status::Resolved,
        Status::Ignored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Answered => "answered",
            Status::Resolved => "resolved",
            Status::Ignored => "ignored",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// How soon a mention needs a reply, computed when read (never stored stale).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Inside the reply window: answer now.
    Now,
    /// Past the reply window and still unanswered.
    Overdue,
    None,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Now => "now",
            Urgency::Overdue => "overdue",
            Urgency::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Urgency> {
        [Urgency::Now, Urgency::Overdue, Urgency::None]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A person's corrections of the classifier, kept apart from its output so
/// they survive reclassification (a new version) and reindexing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Overrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub add: BTreeSet<Flag>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub remove: BTreeSet<Flag>,
    /// The mention is not about the brand (a false match): hidden from lists and search.
    #[serde(default)]
    pub not_about_us: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.intent.is_none() && self.add.is_empty() && self.remove.is_empty() && !self.not_about_us
    }

    /// Later corrections win: a flag added now cancels an earlier removal, and so on.
    pub fn merge(&mut self, later: &Overrides) {
        if later.intent.is_some() {
            self.intent = later.intent;
        }
        for f in &later.add {
            self.remove.remove(f);
            self.add.insert(*f);
        }
        for f in &later.remove {
            self.add.remove(f);
            self.remove.insert(*f);
        }
        self.not_about_us |= later.not_about_us;
        if later.by.is_some() {
            self.by = later.by.clone();
        }
    }

    /// The classifier's labels with these corrections applied; each corrected
    /// label's reason says a person set it.
    pub fn apply(&self, labels: &Labels) -> Labels {
        let mut out = labels.clone();
        let who = self.by.as_deref().unwrap_or("a person");
        if let Some(intent) = self.intent {
            if intent != out.intent {
                out.intent = intent;
                out.reasons
                    .insert("intent".into(), format!("set by {who} (override)"));
            }
        }
        for f in &self.add {
            out.flags.insert(*f);
            out.reasons
                .insert(f.as_str().into(), format!("set by {who} (override)"));
        }
        for f in &self.remove {
            out.flags.remove(f);
            out.reasons.remove(f.as_str());
        }
        out
    }
}

/// The answer to a mention: status, who set it, when, and a note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub status: Status,
    pub status_by: Option<String>,
    pub status_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_note: Option<String>,
}

impl Mention {
    /// The time every "when" rule uses: `published` if plausible, else `first_seen`.
    pub fn effective_time(&self) -> DateTime<Utc> {
        effective_time(self.published, self.first_seen)
    }

    /// `now` for a question, complaint or anything needing a reply that is
    /// still `new` and younger than `window` (from its effective time);
    /// `overdue` past it; `none` otherwise. Backlog, muted and moderated
    /// (troll, spam, ad) mentions are never urgent. Returns the time the
    /// urgency began: the effective time for `now`, the window's end for `overdue`.
    pub fn urgency(
        &self,
        now: DateTime<Utc>,
        window: std::time::Duration,
    ) -> (Urgency, Option<DateTime<Utc>>) {
        let Some(labels) = &self.labels else {
            return (Urgency::None, None);
        };
        let owed = matches!(labels.intent, Intent::Question | Intent::Complaint)
            || labels.has(Flag::NeedsReply);
        let moderated = [Flag::Troll, Flag::Spam, Flag::Ad]
            .iter()
            .any(|f| labels.has(*f));
        if !owed || moderated || self.answer.status != Status::New || self.backlog || self.muted {
            return (Urgency::None, None);
        }
        let since = self.effective_time();
        let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
        let due = since
            .checked_add_signed(window)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        if now < due {
            (Urgency::Now, Some(since))
        } else {
            (Urgency::Overdue, Some(due))
        }
    }
}

/// `published` if present and plausible (not after `first_seen` plus a small
/// clock skew, not before 1995), else `first_seen`.
pub fn effective_time(
    published: Option<DateTime<Utc>>,
    first_seen: DateTime<Utc>,
) -> DateTime<Utc> {
    let earliest = Utc.with_ymd_and_hms(1995, 1, 1, 0, 0, 0).unwrap();
    let skew = chrono::Duration::minutes(10);
    match published {
        Some(p) if p >= earliest && p <= first_seen + skew => p,
        _ => first_seen,
    }
}

/// One stored version of an item's text; versions are never overwritten.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// 1 for the first text seen.
    pub number: u32,
    pub title: String,
    pub text: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// When this version was first fetched.
    pub seen: DateTime<Utc>,
}

/// What a group of near-identical or simultaneous mentions is (issue 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignKind {
    /// An attack: fresh authors and sites repeating one story in bursts.
    Coordinated,
    /// Anger after a real failure: many independent authors with history.
    Organic,
    /// One author posting the same text under many posts.
    SpamRepeat,
}

impl CampaignKind {
    pub const ALL: [CampaignKind; 3] = [
        CampaignKind::Coordinated,
        CampaignKind::Organic,
        CampaignKind::SpamRepeat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignKind::Coordinated => "coordinated",
            CampaignKind::Organic => "organic",
            CampaignKind::SpamRepeat => "spam_repeat",
        }
    }

    pub fn parse(s: &str) -> Option<CampaignKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One signal of a campaign's score: its value in [0, 1] and its weight.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub value: f64,
    pub weight: f64,
}

/// A campaign as detection found it and the store keeps it. Authors, sites,
/// languages and the timeline are read from its members when shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// Stable across runs: when two campaigns merge, the older id survives
    /// and the other redirects to it.
    pub id: String,
    pub kind: CampaignKind,
    pub score: f64,
    pub members: Vec<MentionId>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub signals: BTreeMap<String, Signal>,
    /// A representative text.
    pub summary: String,
    /// Phrases the members share.
    pub phrases: Vec<String>,
}

/// A spike as stored: one episode of a brand's volume or tone running above
/// its baseline, extended while later checks still see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpikeRecord {
    pub id: String,
    pub brand: String,
    /// `hour` or `day`.
    pub span: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// The latest check's figures and causes (counts, shares, top terms...).
    pub detail: serde_json::Value,
}

/// Host of a URL string, lowercased; empty when the URL has none.
pub fn site_of(url: &str) -> String {
    // Stored URLs are serialised by `url`: the host sits plainly after the
    // scheme, so most need no parse (a full one per call showed in profiles).
    let plain = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())])
        .filter(|authority| !authority.contains(['@', '[', '%']) && !authority.is_empty());
    if let Some(authority) = plain {
        let host = authority.split(':').next().unwrap_or(authority);
        let host = host.to_ascii_lowercase();
        return host.trim_start_matches("www.").to_string();
    }
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_of_reads_the_host_with_or_without_a_parse() {
        for (url, site) in [
            ("https://www.Example.org/a?b#c", "example.org"),
            ("https://WWW.example.org/", "example.org"),
            ("http://127.0.1.5:8080/x", "127.0.1.5"),
            ("http://forum.example", "forum.example"),
            ("https://user:pw@www.example.org/", "example.org"),
            ("http://[::1]:80/", "[::1]"),
            ("HTTP://EXAMPLE.org/", "example.org"),
            ("ftp://example.org/", "example.org"),
            ("not a url", ""),
        ] {
            assert_eq!(site_of(url), site, "{url}");
        }
    }

    #[test]
    fn id_depends_on_key_not_text() {
        let url = url::Url::parse("https://example.org/post/1").unwrap();
        let a = ItemKey::url(&url).id();
        let b = ItemKey::url(&url).id();
        assert_eq!(a, b);
        assert_eq!(a.as_str().len(), 16);
        assert_ne!(a, ItemKey::anchored(&url, "c1").id());
    }

    #[test]
    fn implausible_published_falls_back_to_first_seen() {
        let seen = Utc.with_ymd_and_hms(2026, 1, 2, 0, 0, 0).unwrap();
        let future = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
        let ancient = Utc.with_ymd_and_hms(1990, 1, 1, 0, 0, 0).unwrap();
        let fine = Utc.with_ymd_and_hms(2025, 12, 31, 0, 0, 0).unwrap();
        assert_eq!(effective_time(Some(future), seen), seen);
        assert_eq!(effective_time(Some(ancient), seen), seen);
        assert_eq!(effective_time(Some(fine), seen), fine);
        assert_eq!(effective_time(None, seen), seen);
    }
}
