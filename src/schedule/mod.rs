//! Runs the pipeline on each source's cron schedule until asked to stop.
//!
//! A stop request (Ctrl-C) is honoured between crawls: the crawl under way
//! finishes and commits first, so nothing fetched is thrown away.

use crate::pipeline::{CrawlReport, Crawler, PipelineError, Progress};
use crate::sources;
use chrono::Utc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Longest sleep between looks at the schedule (also bounds clock drift).
const MAX_NAP: Duration = Duration::from_secs(60);

/// A shared stop flag with a wake-up for the sleeping scheduler.
#[derive(Clone, Default)]
pub struct Stop {
    flag: Arc<AtomicBool>,
    notify: Arc<tokio::sync::Notify>,
}

impl Stop {
    pub fn request(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }
    pub fn requested(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}

/// Crawls due sources, sleeps until the next is due, repeats until `stop`.
/// `on_crawl` sees every finished round.
pub async fn run(
    crawler: &Crawler,
    stop: Stop,
    progress: Option<Progress>,
    mut on_crawl: impl FnMut(&CrawlReport),
) -> Result<(), PipelineError> {
    while !stop.requested() {
        let now = Utc::now();
        let states = crawler.store.source_states()?;
        let due: Vec<_> = crawler
            .config
            .sources
            .iter()
            .filter(|s| sources::is_due(states.iter().find(|st| st.name == s.name), now))
            .collect();
        if !due.is_empty() {
            tracing::info!(sources = due.len(), "crawling due sources");
            let report = crawler.crawl_sources(&due, progress.clone()).await?;
            on_crawl(&report);
            continue;
        }
        let next = states.iter().filter_map(|s| s.next_check).min();
        let nap = next
            .and_then(|t| (t - now).to_std().ok())
            .unwrap_or(MAX_NAP)
            .min(MAX_NAP)
            .max(Duration::from_millis(200));
        tracing::debug!(?nap, "sleeping until the next source is due");
        let woken = stop.notify.notified();
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            _ = woken => {}
        }
    }
    tracing::info!("stopped");
    Ok(())
}
