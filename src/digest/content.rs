//! What one digest or alert mail shows, gathered from the store once.
//!
//! `collect` fills it, `render` turns it into text and HTML; neither looks at
//! the other's side, so the renderer is tested on hand-made content and the
//! collector on a real store.

use crate::model::{CampaignKind, Lang, Mention, Urgency};
use crate::respond::Suggestion;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// Everything a digest mail shows, in the order of its sections.
#[derive(Clone, Debug)]
pub struct DigestContent {
    /// The `[[digests]] name`.
    pub name: String,
    /// The digest's own language: headings, subject, dates.
    pub lang: Lang,
    /// Brands it covers (every configured brand when the digest names none).
    pub brands: Vec<String>,
    /// Local times are shown in this zone (the config's `timezone`).
    pub timezone: Tz,
    /// The previous run of this digest; `None` on the first run, which covers `first_window`.
    pub since: Option<DateTime<Utc>>,
    /// When this period was closed.
    pub until: DateTime<Utc>,
    /// The playbook's reply window (`[replies] window`, one hour by default).
    pub reply_window: std::time::Duration,
    /// This period's figures, and the previous period's for comparison.
    pub totals: Totals,
    pub previous: Option<Totals>,
    /// Section 1: mentions owed a reply, overdue ones first, then longest waiting.
    pub needs_reply: Vec<Entry>,
    /// Section 2: waves of mentions (campaigns), then spikes.
    pub waves: Vec<Wave>,
    pub spikes: Vec<SpikeNote>,
    /// Sections 3–6 (a mention owed a reply is listed only in section 1).
    pub complaints: Vec<Entry>,
    pub questions: Vec<Entry>,
    pub incidents: Vec<Entry>,
    pub praise: Vec<Entry>,
    /// Section 7: obscene, insult, spam, ad, troll — with the rule broken.
    pub moderation: Vec<Entry>,
    /// Section 8: sources failing, or silent, since the last digest.
    pub sources: Vec<SourceNote>,
}

impl DigestContent {
    /// Nothing to report: no mention, wave, spike or source problem.
    pub fn is_empty(&self) -> bool {
        self.needs_reply.is_empty()
            && self.waves.is_empty()
            && self.spikes.is_empty()
            && self.complaints.is_empty()
            && self.questions.is_empty()
            && self.incidents.is_empty()
            && self.praise.is_empty()
            && self.moderation.is_empty()
            && self.sources.is_empty()
            && self.totals.mentions == 0
    }
}

/// Counts for a period's header.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Totals {
    /// Mentions new or changed in the period.
    pub mentions: usize,
    /// Of them, negative.
    pub negative: usize,
    /// Of them, per language.
    pub by_lang: BTreeMap<Lang, usize>,
}

impl Totals {
    /// Negative share in [0, 1]; 0 for an empty period.
    pub fn negative_share(&self) -> f64 {
        if self.mentions == 0 {
            0.0
        } else {
            self.negative as f64 / self.mentions as f64
        }
    }
}

/// Why a mention is in this digest.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// First time this digest mails it.
    New,
    /// Mailed before; its text changed since. The text as mailed then.
    Edited {
        earlier_title: String,
        earlier_text: String,
    },
    /// Mailed before; removed from its page since. It keeps its last text.
    Deleted,
}

/// One mention as a section lists it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub mention: Mention,
    pub change: Change,
    /// As of the digest's close (`DigestContent::until`).
    pub urgency: Urgency,
    /// How long it has waited since its effective time, for mentions owed a reply.
    pub waited: Option<Duration>,
    /// The draft reply, when one is owed (the `respond` stage).
    pub suggestion: Option<Suggestion>,
}

/// A campaign the digest reports: active in the period, or new.
#[derive(Clone, Debug)]
pub struct Wave {
    pub id: String,
    pub kind: CampaignKind,
    /// `active` or `quiet`.
    pub status: String,
    pub score: f64,
    /// Mentions in it.
    pub size: usize,
    /// Distinct voices (author, else site) and sites.
    pub voices: usize,
    pub sites: Vec<String>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// A representative text and the phrases its members share.
    pub summary: String,
    pub phrases: Vec<String>,
    /// Signals with the largest weighted value first: (name, value, weight).
    pub signals: Vec<(String, f64, f64)>,
    /// What the playbook prescribes for this kind of wave.
    pub suggestion: String,
    /// First reported in this digest.
    pub new: bool,
}

/// A volume or tone spike of one brand.
#[derive(Clone, Debug)]
pub struct SpikeNote {
    pub brand: String,
    /// `hour` or `day`.
    pub span: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub count: usize,
    /// Usual count per span.
    pub baseline: f64,
    pub negative_share: f64,
    pub baseline_negative_share: f64,
    /// Likely causes: words, sources, authors most over-represented.
    pub top_terms: Vec<String>,
    pub top_sources: Vec<String>,
    pub top_authors: Vec<String>,
    /// The campaign most of its mentions belong to, if any.
    pub campaign: Option<String>,
}

/// A source that needs a look.
#[derive(Clone, Debug)]
pub struct SourceNote {
    pub name: String,
    pub url: String,
    pub problem: SourceProblem,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SourceProblem {
    /// Its last attempt failed: the error, when, and failures in a row.
    Failing {
        error: String,
        at: Option<DateTime<Utc>>,
        count: u32,
    },
    /// No successful crawl since the last digest (or ever): silence is not calm.
    Silent { last_success: Option<DateTime<Utc>> },
}

/// What an alert mail carries: the things that cannot wait for the digest.
#[derive(Clone, Debug)]
pub struct AlertContent {
    pub lang: Lang,
    pub timezone: Tz,
    pub at: DateTime<Utc>,
    pub reply_window: std::time::Duration,
    pub urgent: Vec<Entry>,
    pub waves: Vec<Wave>,
    pub spikes: Vec<SpikeNote>,
}

/// A mail's three renderings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}
