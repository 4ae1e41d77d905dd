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

impl Mention {
    /// The time every "when" rule uses: `published` if plausible, else `first_seen`.
    pub fn effective_time(&self) -> DateTime<Utc> {
        effective_time(self.published, self.first_seen)
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

/// Host of a URL string, lowercased; empty when the URL has none.
pub fn site_of(url: &str) -> String {
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
