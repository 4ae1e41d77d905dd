//! Digests and alerts: what reputation managers read in their inbox.
//!
//! [`collect`] gathers a period's mentions, waves, spikes and source health
//! from the store; [`render`] writes them as text and HTML in the digest's
//! language; [`mail`] builds one MIME message per recipient and delivers the
//! store's outbox over SMTP.
//!
//! Never lost: a period is closed, rendered and written to the outbox in one
//! transaction before anything is sent; a message leaves the outbox only when
//! the server accepted it. Never silently repeated: a period covers the store
//! changes after the previous one (by change number, not date), and a retry
//! sends the same bytes under the same Message-ID.

pub mod collect;
pub mod content;
mod i18n;
pub mod mail;
pub mod render;

use crate::config::{Config, DigestConfig};
use crate::model::{MentionId, Urgency};
use crate::respond::Responder;
use crate::store::{MentionFilter, StateStore, StoreError};
use chrono::{DateTime, Utc};
use content::{AlertContent, Change, Rendered};
use std::path::{Path, PathBuf};

pub use mail::{deliver, DeliveryReport, Mailer};

/// Errors of the digest stage.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// `[smtp]` is missing and something was to be sent.
    #[error(
        "no [smtp] section in {0}: add one to send mail (`hearsay digest preview` works without)"
    )]
    NoSmtp(PathBuf),
    /// The environment variable named by `smtp.password_env` is not set.
    #[error("the SMTP password variable {0} is not set (smtp.password_env)")]
    MissingPassword(String),
    #[error("smtp.ca_file {path}: {reason}")]
    CaFile { path: PathBuf, reason: String },
    #[error("SMTP: {0}")]
    Smtp(String),
    /// lettre refused to build the message (a header it cannot encode).
    #[error("building the message: {0}")]
    Message(String),
    #[error("writing {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What closing one digest period did.
#[derive(Clone, Debug)]
pub struct Closed {
    pub name: String,
    pub period: i64,
    /// Mentions it covered.
    pub mentions: usize,
    /// Messages put in the outbox (0 for an empty period without `send_empty`).
    pub queued: usize,
    pub rendered: Rendered,
}

/// Closes the period of digest `d` ending `now`: gathers it, renders it and
/// writes one message per recipient to the outbox, in one transaction with
/// the period's end. `None` when a concurrent run closed it first.
pub fn close(
    st: &dyn StateStore,
    config: &Config,
    responder: &Responder,
    d: &DigestConfig,
    now: DateTime<Utc>,
) -> Result<Option<Closed>, DigestError> {
    let started = std::time::Instant::now();
    let gathered = collect::period(st, config, responder, d, now)?;
    let rendered = render::digest(&gathered.content);
    let send = !gathered.content.is_empty() || d.send_empty;
    let messages = if send {
        let from = sender(config);
        mail::messages(
            &rendered,
            &from,
            &d.to,
            "digest",
            &d.name,
            gathered.run.period,
            now,
        )?
    } else {
        Vec::new()
    };
    if !st.close_digest(&gathered.run, &gathered.mailed, &messages)? {
        return Ok(None);
    }
    crate::stats::record(crate::stats::Stage::Digest, messages.len() as u64, started);
    tracing::info!(digest = %d.name, period = gathered.run.period, mentions = gathered.mailed.len(), messages = messages.len(), "digest period closed");
    Ok(Some(Closed {
        name: d.name.clone(),
        period: gathered.run.period,
        mentions: gathered.mailed.len(),
        queued: messages.len(),
        rendered,
    }))
}

/// Renders what digest `d` would mail now, without closing its period, and
/// writes `<name>.html`, `<name>.txt` and `<name>.eml` into `dir`.
pub fn preview(
    st: &dyn StateStore,
    config: &Config,
    responder: &Responder,
    d: &DigestConfig,
    now: DateTime<Utc>,
    dir: &Path,
) -> Result<Preview, DigestError> {
    let gathered = collect::period(st, config, responder, d, now)?;
    let rendered = render::digest(&gathered.content);
    let from = sender(config);
    let eml = mail::messages(
        &rendered,
        &from,
        &d.to[..1],
        "preview",
        &d.name,
        gathered.run.period,
        now,
    )?
    .remove(0)
    .body;
    let write = |ext: &str, bytes: &[u8]| -> Result<PathBuf, DigestError> {
        let path = dir.join(format!("{}.{ext}", d.name));
        std::fs::create_dir_all(dir)
            .and_then(|_| std::fs::write(&path, bytes))
            .map_err(|source| DigestError::Write {
                path: path.clone(),
                source,
            })?;
        Ok(path)
    };
    Ok(Preview {
        html: write("html", rendered.html.as_bytes())?,
        text: write("txt", rendered.text.as_bytes())?,
        eml: write("eml", &eml)?,
        mentions: gathered.mailed.len(),
        subject: rendered.subject,
    })
}

/// Files a preview wrote.
#[derive(Clone, Debug)]
pub struct Preview {
    pub html: PathBuf,
    pub text: PathBuf,
    pub eml: PathBuf,
    pub mentions: usize,
    pub subject: String,
}

/// The From of every mail: `[smtp] from`, or a placeholder for previews
/// without `[smtp]`.
fn sender(config: &Config) -> lettre::message::Mailbox {
    config
        .smtp
        .as_ref()
        .map(|s| s.from.clone())
        .unwrap_or_else(|| {
            "Hearsay <hearsay@localhost>"
                .parse()
                .expect("a valid built-in address")
        })
}

/// When digest `d` is next due: the first schedule time after its last run
/// (or after `started`, for one that never ran), in the config's timezone.
fn next_fire(
    st: &dyn StateStore,
    config: &Config,
    d: &DigestConfig,
    started: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DigestError> {
    let from = st
        .last_digest_run(&d.name)?
        .map_or(started, |r| r.closed_at);
    Ok(d.schedule
        .cron
        .after(&from.with_timezone(&config.timezone))
        .next()
        .map(|t| t.with_timezone(&Utc)))
}

/// Digests due at `now`: their next fire (see [`next_fire`]) has passed.
/// However many times were missed while Hearsay was stopped, a digest is
/// due once: one catch-up covers them all.
pub fn due<'c>(
    st: &dyn StateStore,
    config: &'c Config,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<&'c DigestConfig>, DigestError> {
    let mut out = Vec::new();
    for d in &config.digests {
        if next_fire(st, config, d, started)?.is_some_and(|t| t <= now) {
            out.push(d);
        }
    }
    Ok(out)
}

/// When the next digest falls due (for the scheduler's sleep).
pub fn next_due(
    st: &dyn StateStore,
    config: &Config,
    started: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DigestError> {
    let mut next: Option<DateTime<Utc>> = None;
    for d in &config.digests {
        if let Some(t) = next_fire(st, config, d, started)? {
            next = Some(next.map_or(t, |n| n.min(t)));
        }
    }
    Ok(next)
}

/// Puts what cannot wait in the alert queue: mentions that need a reply now
/// (each once), new coordinated campaigns and new spikes, as `[alerts]` asks.
/// Returns how many were queued.
pub fn queue_alerts(
    st: &dyn StateStore,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, DigestError> {
    let Some(a) = &config.alerts else {
        return Ok(0);
    };
    let urgent: Vec<MentionId> = if a.urgent {
        let window =
            chrono::Duration::from_std(config.replies.window).unwrap_or(chrono::Duration::hours(1));
        st.mentions(
            &MentionFilter {
                since: Some(now - window),
                urgency: Some(crate::store::UrgencyFilter {
                    want: Urgency::Now,
                    now,
                    window: config.replies.window,
                }),
                ..Default::default()
            },
            None,
        )?
        .into_iter()
        .map(|m| m.id)
        .collect()
    } else {
        Vec::new()
    };
    Ok(st.queue_alerts(&urgent, a.campaigns, a.spikes, now)?)
}

/// Closes the alert batch when its window has passed since the oldest queued
/// alert (or at once with `force`): renders one mail of everything queued
/// and moves it to the outbox. Returns the batch number, if one closed.
pub fn flush_alerts(
    st: &dyn StateStore,
    config: &Config,
    responder: &Responder,
    now: DateTime<Utc>,
    force: bool,
) -> Result<Option<i64>, DigestError> {
    let Some(a) = &config.alerts else {
        return Ok(None);
    };
    let queued = st.queued_alerts()?;
    let Some(oldest) = queued.first() else {
        return Ok(None);
    };
    let batch = chrono::Duration::from_std(a.batch).unwrap_or_default();
    if !force && oldest.queued + batch > now {
        return Ok(None);
    }
    let mut content = AlertContent {
        lang: a.language,
        timezone: config.timezone,
        at: now,
        reply_window: config.replies.window,
        urgent: Vec::new(),
        waves: Vec::new(),
        spikes: Vec::new(),
    };
    for q in &queued {
        match q.kind.as_str() {
            "urgent" => {
                if let Some(m) = st.mention(&MentionId::from_raw(q.reference.clone()))? {
                    let e = collect::entry(
                        config,
                        responder,
                        m,
                        Change::New,
                        now,
                        config.replies.window,
                    );
                    content.urgent.push(e);
                }
            }
            "campaign" => {
                if let Some(c) = st.campaign(&q.reference)? {
                    let v = crate::campaigns::view::CampaignView::read(st, &c, now)?;
                    content
                        .waves
                        .push(collect::wave(&v, oldest.queued, a.language));
                }
            }
            "spike" => {
                if let Some(s) = st.spike(&q.reference)? {
                    content.spikes.push(collect::spike_note(&s, &content.waves));
                }
            }
            _ => {}
        }
    }
    let rendered = render::alert(&content);
    let from = sender(config);
    // The batch number is only known inside the store's transaction; the
    // Message-ID uses the oldest alert's time instead, equally unique.
    let period = oldest.queued.timestamp_millis();
    let messages = mail::messages(&rendered, &from, &a.to, "alert", "alerts", period, now)?;
    Ok(Some(st.close_alerts(&queued, &messages, now)?))
}

/// What one pass of the mail work did.
#[derive(Clone, Debug, Default)]
pub struct Tick {
    pub closed: Vec<Closed>,
    /// The alert batch closed, if any.
    pub alert_batch: Option<i64>,
    pub delivery: DeliveryReport,
}

/// One pass of the mail work, as `hearsay run` does it between crawls:
/// queue new alerts, close the alert batch when due, close the digests
/// due (one catch-up for periods missed while stopped), and deliver what
/// the outbox holds that is due.
pub fn tick(
    st: &dyn StateStore,
    config: &Config,
    responder: &Responder,
    mailer: &Mailer,
    started: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Tick, DigestError> {
    let mut out = Tick::default();
    queue_alerts(st, config, now)?;
    out.alert_batch = flush_alerts(st, config, responder, now, false)?;
    for d in due(st, config, started, now)? {
        out.closed.extend(close(st, config, responder, d, now)?);
    }
    // Delivery is judged by the clock after the work above, which may
    // have taken a while.
    out.delivery = deliver(st, mailer, Utc::now(), false)?;
    Ok(out)
}
