//! The answer, tracked: `mark`, `label`, `mute`/`unmute`, and how a
//! mention's labels, status and urgency read in tables and JSON.

use super::{out, NotFound};
use crate::cli::{Cli, ExitCode, MarkStatus, MuteArg};
use crate::output::{println, Out};
use anyhow::Result;
use chrono::{DateTime, Utc};
use hearsay::config::Config;
use hearsay::model::{Answer, Flag, Intent, Mention, MentionId, Overrides, Status, Urgency};
use hearsay::respond::Suggestion;
use hearsay::store::{self, Mute, MuteKind, StateStore};
use std::time::Duration;

pub use hearsay::config::FLAG_NAMES;

pub use hearsay::respond::reading::{view, Reading};

/// "complaint · needs_reply troll" for a table cell.
pub fn labels_cell(m: &Mention) -> String {
    let Some(l) = &m.labels else {
        return "-".into();
    };
    let flags: Vec<&str> = l.flags.iter().map(|f| f.as_str()).collect();
    if flags.is_empty() {
        l.intent.as_str().to_string()
    } else {
        format!("{} · {}", l.intent.as_str(), flags.join(" "))
    }
}

/// Urgency first (red when it must be answered now), else the status.
pub fn answer_cell(o: &Out, m: &Mention, now: DateTime<Utc>, window: Duration) -> String {
    match m.urgency(now, window) {
        (Urgency::Now, Some(since)) => o.red(&format!("now · {}", crate::output::ago(since, now))),
        (Urgency::Overdue, Some(since)) => o.yellow(&format!(
            "overdue · {}",
            crate::output::ago(since, now).replace(" ago", "")
        )),
        _ if m.muted => o.dim("muted"),
        _ => m.answer.status.as_str().to_string(),
    }
}

fn open_store(config: &Config) -> Result<store::SqliteStore> {
    Ok(store::SqliteStore::open(&config.state_path())?)
}

/// Brings the index up to the store when no crawler holds it (else the crawler does).
fn sync_index(config: &Config, st: &store::SqliteStore) -> Result<()> {
    match store::SearchIndex::open_writer(&config.index_dir()) {
        Ok(index) => {
            index.catch_up(st)?;
        }
        Err(store::StoreError::Locked(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

fn existing(st: &store::SqliteStore, id: &str) -> Result<Mention> {
    let id = MentionId::from_raw(id.trim());
    Ok(st
        .mention(&id)?
        .ok_or_else(|| NotFound(format!("no mention with id {id}")))?)
}

pub fn mark(
    cli: &Cli,
    config: Config,
    id: &str,
    status: MarkStatus,
    by: Option<String>,
    note: Option<String>,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = open_store(&config)?;
    let m = existing(&st, id)?;
    let status = match status {
        MarkStatus::New => Status::New,
        MarkStatus::Answered => Status::Answered,
        MarkStatus::Resolved => Status::Resolved,
        MarkStatus::Ignored => Status::Ignored,
    };
    let answer = Answer {
        status,
        status_by: by.or_else(|| std::env::var("USER").ok()),
        status_at: Some(Utc::now()),
        status_note: note,
    };
    st.set_status(&m.id, &answer)?;
    sync_index(&config, &st)?;
    println(format!(
        "{} {} → {}{}",
        o.cyan(m.id.as_str()),
        m.answer.status.as_str(),
        o.bold(status.as_str()),
        answer
            .status_by
            .as_deref()
            .map(|b| format!(" by {b}"))
            .unwrap_or_default()
    ))?;
    if status == Status::Resolved {
        println(o.dim(
            "the playbook: reply in the same thread that it is solved (the suggestion shows a draft)",
        ))?;
    }
    Ok(ExitCode::Ok)
}

pub fn label(
    cli: &Cli,
    config: Config,
    id: &str,
    intent: Option<&str>,
    flags: &[String],
    not_about_us: bool,
    by: Option<String>,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let mut overrides = Overrides {
        not_about_us,
        by: by.or_else(|| std::env::var("USER").ok()),
        ..Overrides::default()
    };
    if let Some(i) = intent {
        overrides.intent = Some(Intent::parse(i).ok_or_else(|| {
            anyhow::anyhow!(
                "--intent: unknown intent `{i}` (question, complaint, praise, incident, other)"
            )
        })?);
    }
    for f in flags {
        let (add, name) = match f.split_at(f.len().min(1)) {
            ("+", name) => (true, name),
            ("-", name) => (false, name),
            _ => anyhow::bail!("--flag: write `+{f}` to add the flag or `-{f}` to remove it"),
        };
        let flag = Flag::parse(name)
            .ok_or_else(|| anyhow::anyhow!("--flag: unknown flag `{name}` ({FLAG_NAMES})"))?;
        if add {
            overrides.add.insert(flag);
        } else {
            overrides.remove.insert(flag);
        }
    }
    if overrides.is_empty() {
        anyhow::bail!("nothing to change: give --intent, --flag +NAME/-NAME or --not-about-us");
    }
    let st = open_store(&config)?;
    let m = existing(&st, id)?;
    st.add_overrides(&m.id, &overrides)?;
    sync_index(&config, &st)?;
    let after = existing(&st, id)?;
    println(format!(
        "{} {}{}",
        o.cyan(after.id.as_str()),
        labels_cell(&after),
        if after.overrides.not_about_us {
            o.dim(" · not about us: out of lists, search and digests")
        } else {
            String::new()
        }
    ))?;
    Ok(ExitCode::Ok)
}

fn kind_of(k: MuteArg) -> MuteKind {
    match k {
        MuteArg::Author => MuteKind::Author,
        MuteArg::Site => MuteKind::Site,
    }
}

pub fn mute(
    cli: &Cli,
    config: Config,
    what: Option<(MuteArg, String)>,
    by: Option<String>,
    note: Option<String>,
    json: bool,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = open_store(&config)?;
    if let Some((kind, value)) = what {
        if value.trim().is_empty() {
            anyhow::bail!("mute: give the author's name or the site's host");
        }
        st.mute(&Mute {
            kind: kind_of(kind),
            value: value.clone(),
            by: by.or_else(|| std::env::var("USER").ok()),
            note,
            at: Utc::now(),
        })?;
        println(format!(
            "muted {} {}: kept, but out of lists, search, urgency and alerts (`hearsay unmute` undoes it)",
            kind_of(kind).as_str(),
            o.bold(&value)
        ))?;
        return Ok(ExitCode::Ok);
    }
    let mutes = st.mutes()?;
    if json {
        for m in &mutes {
            println(serde_json::to_string(m)?)?;
        }
        return Ok(ExitCode::Ok);
    }
    if mutes.is_empty() {
        println(o.dim("nothing is muted"))?;
        return Ok(ExitCode::Ok);
    }
    let mut t = o.table(&["kind", "value", "by", "when", "note"]);
    for m in &mutes {
        t.add_row(vec![
            m.kind.as_str().to_string(),
            m.value.clone(),
            m.by.clone().unwrap_or_else(|| "-".into()),
            o.when(m.at),
            m.note.clone().unwrap_or_default(),
        ]);
    }
    println(t.to_string())?;
    Ok(ExitCode::Ok)
}

pub fn unmute(cli: &Cli, config: Config, kind: MuteArg, value: &str) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = open_store(&config)?;
    if !st.unmute(kind_of(kind), value)? {
        return Err(NotFound(format!("{} {value} is not muted", kind_of(kind).as_str())).into());
    }
    println(format!(
        "unmuted {} {}",
        kind_of(kind).as_str(),
        o.bold(value)
    ))?;
    Ok(ExitCode::Ok)
}

/// The labels with their reasons, the status and the urgency, for `hearsay mention`.
pub fn print_answer(o: &Out, m: &Mention, r: &Reading) -> Result<()> {
    let (now, window) = (r.now, r.window);
    let row = |k: &str, v: String| println(format!("  {:<11} {v}", o.dim(k)));
    if let Some(l) = &m.labels {
        let why = |key: &str| {
            l.reasons
                .get(key)
                .map(|r| o.dim(&format!(" ({r})")))
                .unwrap_or_default()
        };
        row("intent", format!("{}{}", l.intent.as_str(), why("intent")))?;
        row(
            "sentiment",
            format!(
                "{} {:+.2}{}",
                l.sentiment.as_str(),
                l.sentiment_score,
                why("sentiment")
            ),
        )?;
        for f in &l.flags {
            row("flag", format!("{}{}", f.as_str(), why(f.as_str())))?;
        }
    }
    let a = &m.answer;
    let mut status = a.status.as_str().to_string();
    if let Some(by) = &a.status_by {
        status.push_str(&format!(" by {by}"));
    }
    if let Some(at) = a.status_at {
        status.push_str(&format!(" · {}", o.when(at)));
    }
    if let Some(note) = &a.status_note {
        status.push_str(&format!(" · {note}"));
    }
    row("status", status)?;
    row("urgency", answer_cell(o, m, now, window))?;
    if m.muted {
        row("muted", "its author or site is muted".into())?;
    }
    Ok(())
}

/// The draft reply under a mention, marked as a draft with the rule it follows.
pub fn print_suggestion(o: &Out, s: &Suggestion) -> Result<()> {
    println("")?;
    println(o.bold("Suggested reply (a draft for a person to finish)"))?;
    println(o.dim(&format!("rule: {}", s.rule)))?;
    if !s.missing_slots.is_empty() {
        println(o.yellow(&format!(
            "fill in the config: {}",
            s.missing_slots.join(", ")
        )))?;
    }
    println(&s.text)?;
    Ok(())
}
