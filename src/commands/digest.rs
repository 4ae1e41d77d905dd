//! `digest preview|send|retry|status`: a digest as a person checks it
//! before trusting the schedule, and the outbox when mail did not arrive.

use super::{out, NotFound};
use crate::cli::{Cli, DigestAction, ExitCode};
use crate::output::{println, Out, TableColor};
use anyhow::Result;
use chrono::Utc;
use hearsay::config::{Config, DigestConfig};
use hearsay::digest::{self, DeliveryReport, Mailer};
use hearsay::respond::Responder;
use hearsay::store::{Delivery, MailStore, SqliteStore};

pub fn run(cli: &Cli, config: Config, action: &DigestAction) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = SqliteStore::open(&config.state_path())?;
    match action {
        DigestAction::Preview { name, dir } => {
            let d = find(&config, name)?;
            let dir = dir
                .clone()
                .unwrap_or_else(|| config.storage.dir.join("previews"));
            let p = digest::preview(&st, &config, &responder(&config)?, d, Utc::now(), &dir)?;
            println(format!(
                "{} ({} mention(s))\n  {}\n  {}\n  {}",
                o.bold(&p.subject),
                p.mentions,
                p.html.display(),
                p.text.display(),
                p.eml.display()
            ))?;
            Ok(ExitCode::Ok)
        }
        DigestAction::Send { name } => {
            let d = find(&config, name)?;
            let mailer = mailer(&config)?;
            match digest::close(&st, &config, &responder(&config)?, d, Utc::now())? {
                Some(c) if c.queued == 0 => println(format!(
                    "{}: period {} closed, nothing new ({} mention(s)); no mail (send_empty = false)",
                    c.name, c.period, c.mentions
                ))?,
                Some(c) => println(format!(
                    "{}: period {} closed, {} mention(s), {} message(s) in the outbox",
                    c.name, c.period, c.mentions, c.queued
                ))?,
                None => println(format!("{name}: another process closed this period first"))?,
            }
            let report = digest::deliver(&st, &mailer, Utc::now(), true)?;
            print_delivery(&o, &report)
        }
        DigestAction::Retry => {
            let report = digest::deliver(&st, &mailer(&config)?, Utc::now(), true)?;
            print_delivery(&o, &report)
        }
        DigestAction::Status { limit, json } => status(&o, &st, *limit, *json),
    }
}

fn find<'c>(config: &'c Config, name: &str) -> Result<&'c DigestConfig> {
    config.digest(name).ok_or_else(|| {
        let known: Vec<&str> = config.digests.iter().map(|d| d.name.as_str()).collect();
        NotFound(format!(
            "no digest named `{name}` in {} (configured: {})",
            config.path.display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
        .into()
    })
}

pub(super) fn responder(config: &Config) -> Result<Responder> {
    Ok(Responder::load(&config.replies.templates)?.with_window(config.replies.window))
}

pub(super) fn mailer(config: &Config) -> Result<Mailer> {
    let smtp = config
        .smtp
        .as_ref()
        .ok_or_else(|| digest::DigestError::NoSmtp(config.path.clone()))?;
    Ok(Mailer::new(smtp)?)
}

/// Prints what a delivery pass did; a refused or waiting message is not a
/// crash but the user must see it (and the exit code says so).
fn print_delivery(o: &Out, r: &DeliveryReport) -> Result<ExitCode> {
    let mut parts = vec![o.green(&format!("{} sent", r.sent))];
    if r.retrying > 0 {
        parts.push(o.yellow(&format!("{} waiting in the outbox for a retry", r.retrying)));
    }
    if r.failed > 0 {
        parts.push(o.red(&format!("{} refused by the server", r.failed)));
    }
    println(parts.join(", "))?;
    if r.retrying > 0 || r.failed > 0 {
        println(o.dim("see `hearsay digest status` for the server's reply"))?;
        return Ok(ExitCode::MailUndelivered);
    }
    Ok(ExitCode::Ok)
}

fn status(o: &Out, st: &SqliteStore, limit: usize, json: bool) -> Result<ExitCode> {
    let list = st.outbox(limit)?;
    if json {
        for m in &list {
            println(serde_json::to_string(m)?)?;
        }
        return Ok(ExitCode::Ok);
    }
    if list.is_empty() {
        println(o.dim("the outbox is empty: nothing was mailed yet"))?;
        return Ok(ExitCode::Ok);
    }
    let mut t = o.table(&[
        "created",
        "mail",
        "to",
        "status",
        "tries",
        "subject",
        "last error",
    ]);
    for m in &list {
        let (status, color) = match m.status {
            Delivery::Sent => (
                format!("sent {}", o.when_opt(m.sent_at)),
                Some(TableColor::Green),
            ),
            Delivery::Pending => (
                format!("retry {}", o.when(m.next_try)),
                Some(TableColor::Yellow),
            ),
            Delivery::Failed => ("refused".to_string(), Some(TableColor::Red)),
        };
        t.add_row(vec![
            o.cell(o.when(m.created), None),
            o.cell(format!("{} {} #{}", m.kind, m.name, m.period), None),
            o.cell(&m.recipient, None),
            o.cell(status, color),
            o.cell(m.attempts, None),
            o.cell(crate::output::clip(&m.subject, 50), None),
            o.cell(m.last_error.as_deref().unwrap_or(""), None),
        ]);
    }
    println(t.to_string())?;
    Ok(ExitCode::Ok)
}
