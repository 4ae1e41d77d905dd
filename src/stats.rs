//! Process-wide counters and stage durations for `/metrics` (Prometheus
//! text). Plain atomics: recording costs a relaxed add, so the crawl's hot
//! paths can afford it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// A pipeline stage whose work is counted and timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Fetching and walking sources (one per source crawl).
    Crawl,
    /// Brand matching (one per observed item).
    Match,
    /// Classification (one per labelled mention).
    Classify,
    /// Storing a batch in the state store (one per batch).
    Store,
    /// Bringing the index up to the store (one per commit).
    Index,
    /// Closing digest periods and alert batches (one per mail queued).
    Digest,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Crawl,
        Stage::Match,
        Stage::Classify,
        Stage::Store,
        Stage::Index,
        Stage::Digest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Crawl => "crawl",
            Stage::Match => "match",
            Stage::Classify => "classify",
            Stage::Store => "store",
            Stage::Index => "index",
            Stage::Digest => "digest",
        }
    }
}

struct Counter {
    count: AtomicU64,
    micros: AtomicU64,
}

static STAGES: [Counter; 6] = [const {
    Counter {
        count: AtomicU64::new(0),
        micros: AtomicU64::new(0),
    }
}; 6];

/// Events counted outside the stages' own counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    SourceFailed,
    PagesFetched,
    NewMentions,
    NewVersions,
    MailSent,
    MailRetried,
    MailRefused,
}

impl Event {
    pub const ALL: [Event; 7] = [
        Event::SourceFailed,
        Event::PagesFetched,
        Event::NewMentions,
        Event::NewVersions,
        Event::MailSent,
        Event::MailRetried,
        Event::MailRefused,
    ];

    /// The metric's name and help text.
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Event::SourceFailed => (
                "hearsay_source_failures_total",
                "Source crawls that failed.",
            ),
            Event::PagesFetched => (
                "hearsay_pages_fetched_total",
                "Pages and feeds fetched (not 304).",
            ),
            Event::NewMentions => (
                "hearsay_new_mentions_total",
                "Mentions stored for the first time.",
            ),
            Event::NewVersions => (
                "hearsay_new_versions_total",
                "Edits stored as new versions.",
            ),
            Event::MailSent => (
                "hearsay_mail_sent_total",
                "Messages the SMTP server accepted.",
            ),
            Event::MailRetried => (
                "hearsay_mail_retries_total",
                "Delivery attempts to retry (4xx, connection).",
            ),
            Event::MailRefused => (
                "hearsay_mail_refused_total",
                "Messages refused for good (5xx).",
            ),
        }
    }
}

static EVENTS: [AtomicU64; 7] = [const { AtomicU64::new(0) }; 7];

/// Records `n` units of a stage's work that took `since.elapsed()`.
pub fn record(stage: Stage, n: u64, since: Instant) {
    let c = &STAGES[stage as usize];
    c.count.fetch_add(n, Ordering::Relaxed);
    c.micros
        .fetch_add(since.elapsed().as_micros() as u64, Ordering::Relaxed);
}

/// Counts `n` events.
pub fn count(event: Event, n: u64) {
    EVENTS[event as usize].fetch_add(n, Ordering::Relaxed);
}

/// A stage's (units of work, seconds spent) so far.
pub fn stage(stage: Stage) -> (u64, f64) {
    let c = &STAGES[stage as usize];
    (
        c.count.load(Ordering::Relaxed),
        c.micros.load(Ordering::Relaxed) as f64 / 1e6,
    )
}

/// An event's count so far.
pub fn events(event: Event) -> u64 {
    EVENTS[event as usize].load(Ordering::Relaxed)
}
