//! `/metrics` in Prometheus text format: this process's stage counters and
//! durations (`crate::stats`: crawl, match, classify, store, index, digest;
//! in `hearsay run --serve` they are the crawler's), web requests, and
//! gauges read from the store (mentions, sources failing, the outbox).

use super::api::blocking;
use super::{AppState, WebError};
use crate::stats::{self, Event, Stage};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// The web server's own counters.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: AtomicU64,
}

impl Metrics {
    pub fn request(&self) {
        self.requests.fetch_add(1, Ordering::Relaxed);
    }
}

pub async fn render(State(st): State<AppState>) -> Result<impl IntoResponse, WebError> {
    let requests = st.metrics.requests.load(Ordering::Relaxed);
    let text = blocking(st, move |st| {
        let mut out = String::new();
        let stage_items =
            Stage::ALL.map(|s| (label("stage", s.as_str()), stats::stage(s).0.to_string()));
        family(
            &mut out,
            "hearsay_stage_items_total",
            "counter",
            "Units of work per pipeline stage.",
            stage_items,
        );
        let stage_seconds = Stage::ALL.map(|s| {
            (
                label("stage", s.as_str()),
                format!("{:.6}", stats::stage(s).1),
            )
        });
        family(
            &mut out,
            "hearsay_stage_seconds_total",
            "counter",
            "Seconds spent per pipeline stage.",
            stage_seconds,
        );
        for e in Event::ALL {
            let (name, help) = e.describe();
            family(
                &mut out,
                name,
                "counter",
                help,
                [(String::new(), stats::events(e).to_string())],
            );
        }
        family(
            &mut out,
            "hearsay_http_requests_total",
            "counter",
            "Web requests served.",
            [(String::new(), requests.to_string())],
        );
        let mentions = st
            .store
            .mention_counts()?
            .into_iter()
            .map(|(lang, n)| (label("lang", lang.as_str()), n.to_string()));
        family(
            &mut out,
            "hearsay_mentions",
            "gauge",
            "Live mentions stored, per language.",
            mentions,
        );
        let failing = st
            .store
            .source_states()?
            .iter()
            .filter(|s| s.error_count > 0 && st.config.sources.iter().any(|c| c.name == s.name))
            .count();
        family(
            &mut out,
            "hearsay_sources_failing",
            "gauge",
            "Configured sources whose last crawl failed.",
            [(String::new(), failing.to_string())],
        );
        let outbox = st
            .store
            .outbox_counts()?
            .into_iter()
            .map(|(status, n)| (label("status", &status), n.to_string()));
        family(
            &mut out,
            "hearsay_outbox_messages",
            "gauge",
            "Mail in the outbox, per status.",
            outbox,
        );
        Ok(out)
    })
    .await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    ))
}

/// One metric family: its HELP and TYPE lines, then each sample as
/// (labels, value).
fn family(
    out: &mut String,
    name: &str,
    kind: &str,
    help: &str,
    samples: impl IntoIterator<Item = (String, String)>,
) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    for (labels, value) in samples {
        let _ = writeln!(out, "{name}{labels} {value}");
    }
}

/// `{key="value"}`.
fn label(key: &str, value: &str) -> String {
    format!("{{{key}=\"{value}\"}}")
}
