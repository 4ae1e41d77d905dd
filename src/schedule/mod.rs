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

    /// Returns once a stop is requested.
    pub async fn stopped(&self) {
        loop {
            // Registered before the check, so a request in between is not missed.
            let woken = self.notify.notified();
            if self.requested() {
                return;
            }
            woken.await;
        }
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

/// How often the mail loop looks at digests, alerts and the outbox: a
/// digest is closed and an alert batch sent at most this late.
const MAIL_EVERY: Duration = Duration::from_secs(15);

/// Digests, alerts and outbox delivery beside the crawl, until `stop`.
/// SMTP is blocking (lettre's sync transport), so each pass runs on a
/// blocking thread. A failing pass is logged and retried: mail trouble
/// never stops the crawl.
pub async fn mail(
    store: Arc<dyn crate::store::StateStore>,
    config: Arc<crate::config::Config>,
    responder: Arc<crate::respond::Responder>,
    mailer: Arc<crate::digest::Mailer>,
    stop: Stop,
    mut on_tick: impl FnMut(&crate::digest::Tick) + Send,
) {
    let started = Utc::now();
    while !stop.requested() {
        let (st, cfg, resp, m) = (
            store.clone(),
            config.clone(),
            responder.clone(),
            mailer.clone(),
        );
        let pass = tokio::task::spawn_blocking(move || {
            crate::digest::tick(st.as_ref(), &cfg, &resp, &m, started, Utc::now())
        })
        .await;
        match pass {
            Ok(Ok(tick)) => on_tick(&tick),
            Ok(Err(e)) => tracing::error!(error = %e, "mail pass failed; trying again"),
            Err(e) => tracing::error!(error = %e, "mail pass panicked; trying again"),
        }
        // Wake for the next digest when it falls due sooner than the next look.
        let next_digest = crate::digest::next_due(store.as_ref(), &config, started)
            .ok()
            .flatten();
        let nap = next_digest
            .and_then(|t| (t - Utc::now()).to_std().ok())
            .unwrap_or(MAIL_EVERY)
            .clamp(Duration::from_millis(200), MAIL_EVERY);
        let woken = stop.notify.notified();
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            _ = woken => {}
        }
    }
}
