//! What to crawl next: per-source next-check times and back-off of failing sources.
//!
//! A source that fails is retried later and later (doubling from 5 minutes up
//! to `[crawl].error_backoff_max`) but never before its own schedule, so a
//! dead feed stops costing requests while a healthy one keeps its rhythm.

use crate::config::{CrawlConfig, SourceConfig};
use crate::store::SourceState;
use chrono::{DateTime, Utc};

/// First back-off step after one failure.
const BACKOFF_BASE_SECS: i64 = 300;

/// The next time the source's schedule fires after `after`.
pub fn next_scheduled(source: &SourceConfig, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    source.schedule.cron.after(&after).next()
}

/// How long to wait after `error_count` consecutive failures.
pub fn backoff(error_count: u32, max: std::time::Duration) -> chrono::Duration {
    if error_count == 0 {
        return chrono::Duration::zero();
    }
    let factor = 1i64 << (error_count - 1).min(20);
    let secs = BACKOFF_BASE_SECS
        .saturating_mul(factor)
        .min(max.as_secs() as i64);
    chrono::Duration::seconds(secs)
}

/// A fresh state for a configured source, keeping what the store already knows.
pub fn state_for(source: &SourceConfig, stored: Option<SourceState>) -> SourceState {
    let mut state = stored.unwrap_or_default();
    state.name = source.name.clone();
    state.url = source.url.to_string();
    state.kind = source.kind.as_str().to_string();
    state
}

/// Records a completed crawl of a source.
pub fn record_success(
    state: &mut SourceState,
    source: &SourceConfig,
    now: DateTime<Utc>,
    items: usize,
) {
    state.last_attempt = Some(now);
    state.last_success = Some(now);
    state.error_count = 0;
    state.items_seen += items as u64;
    state.next_check = next_scheduled(source, now);
}

/// Records a failed crawl and backs the source off.
pub fn record_failure(
    state: &mut SourceState,
    source: &SourceConfig,
    crawl: &CrawlConfig,
    now: DateTime<Utc>,
    reason: &str,
) {
    state.last_attempt = Some(now);
    state.last_error = Some(reason.to_string());
    state.last_error_at = Some(now);
    state.error_count = state.error_count.saturating_add(1);
    let scheduled = next_scheduled(source, now).unwrap_or(now);
    let backed_off = now + backoff(state.error_count, crawl.error_backoff_max);
    state.next_check = Some(scheduled.max(backed_off));
}

/// Whether a source should be crawled at `now` by the scheduler.
pub fn is_due(state: Option<&SourceState>, now: DateTime<Utc>) -> bool {
    match state.and_then(|s| s.next_check) {
        None => true,
        Some(next) => next <= now,
    }
}

/// Each configured source with its health, as `hearsay sources --json` and
/// `/api/sources` show it: last success, last error and why, next check.
pub fn health(sources: &[SourceConfig], stored: &[SourceState]) -> Vec<serde_json::Value> {
    sources
        .iter()
        .map(|s| {
            let state = state_for(s, stored.iter().find(|st| st.name == s.name).cloned());
            serde_json::json!({
                "name": s.name, "url": s.url.as_str(), "kind": s.kind.as_str(), "schedule": s.schedule.expr,
                "last_success": state.last_success, "last_error": state.last_error, "last_error_at": state.last_error_at,
                "error_count": state.error_count, "items_seen": state.items_seen, "next_check": state.next_check,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_and_caps() {
        let max = Duration::from_secs(3600);
        assert_eq!(backoff(0, max).num_seconds(), 0);
        assert_eq!(backoff(1, max).num_seconds(), 300);
        assert_eq!(backoff(2, max).num_seconds(), 600);
        assert_eq!(backoff(10, max).num_seconds(), 3600);
        assert_eq!(backoff(u32::MAX, max).num_seconds(), 3600);
    }

    #[test]
    fn failure_never_checks_before_schedule_nor_before_backoff() {
        let cfg = crate::config::Config::parse(
            "[[sources]]\nurl = \"http://example.org/feed\"\nschedule = \"0 0 * * * *\"\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let source = &cfg.sources[0];
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 1, 10, 59, 0).unwrap();
        let mut state = state_for(source, None);
        record_failure(&mut state, source, &cfg.crawl, now, "boom");
        // Schedule says 11:00, back-off says 11:04: the later wins.
        assert_eq!(
            state.next_check.unwrap(),
            now + chrono::Duration::seconds(300)
        );
        assert_eq!(state.error_count, 1);
        record_success(&mut state, source, now, 3);
        assert_eq!(state.error_count, 0);
        assert_eq!(
            state.next_check.unwrap(),
            now + chrono::Duration::seconds(60)
        );
    }
}
