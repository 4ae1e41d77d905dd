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
        let mut family = |name: &str, kind: &str, help: &str| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            name.to_string()
        };
        let mut lines: Vec<String> = Vec::new();
        let n = family(
            "hearsay_stage_items_total",
            "counter",
            "Units of work per pipeline stage.",
        );
        for s in Stage::ALL {
            lines.push(format!(
                "{n}{{stage=\"{}\"}} {}",
                s.as_str(),
                stats::stage(s).0
            ));
        }
        let n = family(
            "hearsay_stage_seconds_total",
            "counter",
            "Seconds spent per pipeline stage.",
        );
        for s in Stage::ALL {
            lines.push(format!(
                "{n}{{stage=\"{}\"}} {:.6}",
                s.as_str(),
                stats::stage(s).1
            ));
        }
        for e in Event::ALL {
            let (name, help) = e.describe();
            let n = family(name, "counter", help);
            lines.push(format!("{n} {}", stats::events(e)));
        }
        let n = family(
            "hearsay_http_requests_total",
            "counter",
            "Web requests served.",
        );
        lines.push(format!("{n} {requests}"));
        let n = family(
            "hearsay_mentions",
            "gauge",
            "Live mentions stored, per language.",
        );
        for (lang, count) in st.store.mention_counts()? {
            lines.push(format!("{n}{{lang=\"{lang}\"}} {count}"));
        }
        let states = st.store.source_states()?;
        let failing = states
            .iter()
            .filter(|s| s.error_count > 0 && st.config.sources.iter().any(|c| c.name == s.name))
            .count();
        let n = family(
            "hearsay_sources_failing",
            "gauge",
            "Configured sources whose last crawl failed.",
        );
        lines.push(format!("{n} {failing}"));
        let n = family(
            "hearsay_outbox_messages",
            "gauge",
            "Mail in the outbox, per status.",
        );
        for (status, count) in st.store.outbox_counts()? {
            lines.push(format!("{n}{{status=\"{status}\"}} {count}"));
        }
        // Families and their samples interleave: one HELP/TYPE block each.
        Ok(merge(out, lines))
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

/// Puts each sample line under its family's HELP/TYPE header.
fn merge(headers: String, samples: Vec<String>) -> String {
    let mut out = String::new();
    let mut lines = headers.lines().peekable();
    while let Some(help) = lines.next() {
        let Some(kind) = lines.next() else { break };
        let name = help.split_whitespace().nth(2).unwrap_or_default();
        out.push_str(help);
        out.push('\n');
        out.push_str(kind);
        out.push('\n');
        for s in &samples {
            let sample_name = s.split(['{', ' ']).next().unwrap_or_default();
            if sample_name == name {
                out.push_str(s);
                out.push('\n');
            }
        }
    }
    out
}
