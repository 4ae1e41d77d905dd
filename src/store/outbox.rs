//! What the digest stage persists: each digest's closed periods, what each
//! digest already mailed, the alert queue, and the outbox of rendered mail.
//!
//! The rule that makes mail never lost: a period is closed, its mail rendered
//! and written to the outbox in one transaction; a message leaves the outbox
//! only when the SMTP server accepted it.

use super::sqlite::{from_ms, mention_from_row, ms, SqliteStore, MENTION_COLUMNS};
use super::Result;
use crate::model::{Mention, MentionId};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use std::collections::HashMap;

pub(super) const SCHEMA: &str = r#"
-- One row per closed digest period; the latest says where the next begins.
CREATE TABLE IF NOT EXISTS digest_runs (
    name      TEXT NOT NULL,
    period    INTEGER NOT NULL,
    upto_seq  INTEGER NOT NULL,     -- the store's change number the period ends at
    closed_at INTEGER NOT NULL,
    totals    TEXT NOT NULL,        -- JSON: the header's counts, for the next comparison
    PRIMARY KEY (name, period)
);
-- The text each digest last mailed of a mention: an edit or deletion since
-- brings it back once, with the earlier text.
CREATE TABLE IF NOT EXISTS digest_mailed (
    digest   TEXT NOT NULL,
    item_id  TEXT NOT NULL,
    versions INTEGER NOT NULL,
    deleted  INTEGER NOT NULL,
    title    TEXT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (digest, item_id)
);
-- Rendered mail, one row per recipient, kept after sending for `digest status`.
CREATE TABLE IF NOT EXISTS outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,       -- 'digest' | 'alert'
    name       TEXT NOT NULL,       -- the digest's name, or 'alerts'
    period     INTEGER NOT NULL,
    recipient  TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    subject    TEXT NOT NULL,
    body       BLOB NOT NULL,       -- the whole RFC 5322 message
    created    INTEGER NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_try   INTEGER NOT NULL,
    last_error TEXT,
    sent_at    INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(status, next_try);
-- Alerts waiting for their batch to close; `alerted` remembers urgent
-- mentions already queued so each is alerted once.
CREATE TABLE IF NOT EXISTS alert_queue (
    kind   TEXT NOT NULL,           -- 'urgent' | 'campaign' | 'spike'
    ref    TEXT NOT NULL,
    queued INTEGER NOT NULL,
    PRIMARY KEY (kind, ref)
);
CREATE TABLE IF NOT EXISTS alerted (
    item_id TEXT PRIMARY KEY,
    at      INTEGER NOT NULL
);
"#;

/// A closed digest period.
#[derive(Clone, Debug, PartialEq)]
pub struct DigestRun {
    pub name: String,
    /// 1 for the first run, then counting up.
    pub period: i64,
    /// The period covers changes up to this store sequence number.
    pub upto_seq: i64,
    pub closed_at: DateTime<Utc>,
    /// The header's counts (`digest::content::Totals` as JSON).
    pub totals: serde_json::Value,
}

/// What a digest mailed of one mention.
#[derive(Clone, Debug, PartialEq)]
pub struct Mailed {
    pub item_id: MentionId,
    pub versions: u32,
    pub deleted: bool,
    pub title: String,
    pub text: String,
}

/// A message to put in the outbox.
#[derive(Clone, Debug)]
pub struct NewMessage {
    pub recipient: String,
    pub message_id: String,
    pub subject: String,
    pub body: Vec<u8>,
}

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// Not yet accepted; tried again from `next_try`.
    Pending,
    Sent,
    /// The server refused it for good (5xx); it stays for a person to see.
    Failed,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Pending => "pending",
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
        }
    }
}

/// One outbox row.
#[derive(Clone, Debug, serde::Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub period: i64,
    pub recipient: String,
    pub message_id: String,
    pub subject: String,
    #[serde(skip)]
    pub body: Vec<u8>,
    pub created: DateTime<Utc>,
    pub status: Delivery,
    pub attempts: u32,
    pub next_try: DateTime<Utc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// What one delivery attempt ended in.
#[derive(Clone, Debug)]
pub enum Attempt {
    Sent,
    /// May succeed later (4xx, connection trouble): try again at `next_try`.
    Retry {
        error: String,
        next_try: DateTime<Utc>,
    },
    /// Refused for good (5xx).
    Failed {
        error: String,
    },
}

/// An alert waiting for its batch to close.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedAlert {
    /// `urgent` (a mention id), `campaign` or `spike` (their ids).
    pub kind: String,
    pub reference: String,
    pub queued: DateTime<Utc>,
}

/// Mail storage, part of [`super::StateStore`].
pub trait MailStore {
    /// The latest closed period of a digest.
    fn last_digest_run(&self, name: &str) -> Result<Option<DigestRun>>;
    /// Live mentions (about us, not muted) changed after `after_seq` up to
    /// `upto_seq`, each with the change number of its insert (0 when unknown).
    fn mentions_changed(&self, after_seq: i64, upto_seq: i64) -> Result<Vec<(Mention, i64)>>;
    /// What digest `name` mailed earlier of these mentions.
    fn mailed(&self, name: &str, ids: &[MentionId]) -> Result<HashMap<MentionId, Mailed>>;
    /// Closes a period: records the run, what it mails, and its messages, in
    /// one transaction. False (and nothing written) when that period was
    /// already closed, by a concurrent run.
    fn close_digest(
        &self,
        run: &DigestRun,
        mailed: &[Mailed],
        messages: &[NewMessage],
    ) -> Result<bool>;
    /// Queues alerts in one transaction: the urgent mentions not alerted
    /// before, and every campaign and spike not yet reported (which are marked
    /// reported; only those `wanted` are queued). Returns how many were queued.
    fn queue_alerts(
        &self,
        urgent: &[MentionId],
        campaigns: bool,
        spikes: bool,
        now: DateTime<Utc>,
    ) -> Result<usize>;
    /// Alerts waiting, oldest first.
    fn queued_alerts(&self) -> Result<Vec<QueuedAlert>>;
    /// Removes these alerts from the queue and puts their mail in the outbox,
    /// in one transaction. Returns the batch number.
    fn close_alerts(
        &self,
        sent: &[QueuedAlert],
        messages: &[NewMessage],
        now: DateTime<Utc>,
    ) -> Result<i64>;
    /// Messages to try now: pending ones due by `now` (every pending one with `all`).
    fn due_messages(&self, now: DateTime<Utc>, all: bool) -> Result<Vec<OutboxMessage>>;
    /// Records one delivery attempt.
    fn record_attempt(&self, id: i64, attempt: &Attempt, now: DateTime<Utc>) -> Result<()>;
    /// The outbox, newest first.
    fn outbox(&self, limit: usize) -> Result<Vec<OutboxMessage>>;
    /// Outbox messages per status (`pending`, `sent`, `failed`).
    fn outbox_counts(&self) -> Result<Vec<(String, u64)>>;
}

const OUTBOX_COLUMNS: &str =
    "id, kind, name, period, recipient, message_id, subject, body, created,
     status, attempts, next_try, last_error, sent_at";

fn outbox_from_row(r: &Row<'_>) -> rusqlite::Result<OutboxMessage> {
    let status: String = r.get(9)?;
    Ok(OutboxMessage {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        period: r.get(3)?,
        recipient: r.get(4)?,
        message_id: r.get(5)?,
        subject: r.get(6)?,
        body: r.get(7)?,
        created: from_ms(r.get(8)?),
        status: match status.as_str() {
            "sent" => Delivery::Sent,
            "failed" => Delivery::Failed,
            _ => Delivery::Pending,
        },
        attempts: r.get(10)?,
        next_try: from_ms(r.get(11)?),
        last_error: r.get(12)?,
        sent_at: r.get::<_, Option<i64>>(13)?.map(from_ms),
    })
}

fn insert_messages(
    tx: &rusqlite::Transaction<'_>,
    kind: &str,
    name: &str,
    period: i64,
    messages: &[NewMessage],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO outbox(kind, name, period, recipient, message_id, subject, body, created, next_try)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?;
    for m in messages {
        insert.execute(params![
            kind,
            name,
            period,
            m.recipient,
            m.message_id,
            m.subject,
            m.body,
            ms(now)
        ])?;
    }
    Ok(())
}

impl MailStore for SqliteStore {
    fn last_digest_run(&self, name: &str) -> Result<Option<DigestRun>> {
        let conn = self.lock();
        let run = conn
            .query_row(
                "SELECT period, upto_seq, closed_at, totals FROM digest_runs
                 WHERE name = ?1 ORDER BY period DESC LIMIT 1",
                params![name],
                |r| {
                    let totals: String = r.get(3)?;
                    Ok(DigestRun {
                        name: name.to_string(),
                        period: r.get(0)?,
                        upto_seq: r.get(1)?,
                        closed_at: from_ms(r.get(2)?),
                        totals: serde_json::from_str(&totals).unwrap_or_default(),
                    })
                },
            )
            .optional()?;
        Ok(run)
    }

    fn mentions_changed(&self, after_seq: i64, upto_seq: i64) -> Result<Vec<(Mention, i64)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {MENTION_COLUMNS} FROM items
             WHERE seq > ?1 AND seq <= ?2 AND is_mention = 1 AND not_about_us = 0
             ORDER BY effective DESC, id"
        ))?;
        let rows = stmt.query_map(params![after_seq, upto_seq], |r| {
            let (mention, _, _, _) = mention_from_row(r)?;
            Ok((mention, r.get::<_, i64>(18)?))
        })?;
        let all = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(all.into_iter().filter(|(m, _)| !m.muted).collect())
    }

    fn mailed(&self, name: &str, ids: &[MentionId]) -> Result<HashMap<MentionId, Mailed>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT versions, deleted, title, text FROM digest_mailed WHERE digest = ?1 AND item_id = ?2",
        )?;
        let mut out = HashMap::new();
        for id in ids {
            let row = stmt
                .query_row(params![name, id.as_str()], |r| {
                    Ok(Mailed {
                        item_id: id.clone(),
                        versions: r.get(0)?,
                        deleted: r.get(1)?,
                        title: r.get(2)?,
                        text: r.get(3)?,
                    })
                })
                .optional()?;
            if let Some(m) = row {
                out.insert(id.clone(), m);
            }
        }
        Ok(out)
    }

    fn close_digest(
        &self,
        run: &DigestRun,
        mailed: &[Mailed],
        messages: &[NewMessage],
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO digest_runs(name, period, upto_seq, closed_at, totals)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                run.name,
                run.period,
                run.upto_seq,
                ms(run.closed_at),
                run.totals.to_string()
            ],
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO digest_mailed(digest, item_id, versions, deleted, title, text)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(digest, item_id) DO UPDATE SET
                     versions = ?3, deleted = ?4, title = ?5, text = ?6",
            )?;
            for m in mailed {
                put.execute(params![
                    run.name,
                    m.item_id.as_str(),
                    m.versions,
                    m.deleted,
                    m.title,
                    m.text
                ])?;
            }
        }
        insert_messages(
            &tx,
            "digest",
            &run.name,
            run.period,
            messages,
            run.closed_at,
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn queue_alerts(
        &self,
        urgent: &[MentionId],
        campaigns: bool,
        spikes: bool,
        now: DateTime<Utc>,
    ) -> Result<usize> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut queued = 0;
        {
            let mut seen =
                tx.prepare_cached("INSERT OR IGNORE INTO alerted(item_id, at) VALUES (?1, ?2)")?;
            let mut queue = tx.prepare_cached(
                "INSERT OR IGNORE INTO alert_queue(kind, ref, queued) VALUES (?1, ?2, ?3)",
            )?;
            for id in urgent {
                if seen.execute(params![id.as_str(), ms(now)])? == 1 {
                    queued += queue.execute(params!["urgent", id.as_str(), ms(now)])?;
                }
            }
            // Every unreported campaign and spike is consumed, wanted or not,
            // so turning an alert kind on later does not mail old news.
            let fresh: Vec<(String, String)> = tx
                .prepare(
                    "SELECT id, kind FROM campaigns WHERE alerted = 0 AND merged_into IS NULL
                     ORDER BY created, id",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, kind) in &fresh {
                if campaigns && kind == "coordinated" {
                    queued += queue.execute(params!["campaign", id, ms(now)])?;
                }
            }
            tx.execute(
                "UPDATE campaigns SET alerted = 1 WHERE alerted = 0 AND merged_into IS NULL",
                [],
            )?;
            let fresh: Vec<String> = tx
                .prepare("SELECT id FROM spikes WHERE alerted = 0 ORDER BY start, id")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for id in &fresh {
                if spikes {
                    queued += queue.execute(params!["spike", id, ms(now)])?;
                }
            }
            tx.execute("UPDATE spikes SET alerted = 1 WHERE alerted = 0", [])?;
        }
        tx.commit()?;
        Ok(queued)
    }

    fn queued_alerts(&self) -> Result<Vec<QueuedAlert>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare("SELECT kind, ref, queued FROM alert_queue ORDER BY queued, kind, ref")?;
        let rows = stmt.query_map([], |r| {
            Ok(QueuedAlert {
                kind: r.get(0)?,
                reference: r.get(1)?,
                queued: from_ms(r.get(2)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn close_alerts(
        &self,
        sent: &[QueuedAlert],
        messages: &[NewMessage],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let batch: i64 = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'alert_batch'",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0)
            + 1;
        tx.execute(
            "INSERT INTO meta(key, value) VALUES('alert_batch', ?1)
             ON CONFLICT(key) DO UPDATE SET value = ?1",
            params![batch],
        )?;
        {
            let mut del =
                tx.prepare_cached("DELETE FROM alert_queue WHERE kind = ?1 AND ref = ?2")?;
            for a in sent {
                del.execute(params![a.kind, a.reference])?;
            }
        }
        insert_messages(&tx, "alert", "alerts", batch, messages, now)?;
        tx.commit()?;
        Ok(batch)
    }

    fn due_messages(&self, now: DateTime<Utc>, all: bool) -> Result<Vec<OutboxMessage>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox
             WHERE status = 'pending' AND (?2 OR next_try <= ?1) ORDER BY id"
        ))?;
        let rows = stmt.query_map(params![ms(now), all], outbox_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn record_attempt(&self, id: i64, attempt: &Attempt, now: DateTime<Utc>) -> Result<()> {
        let conn = self.lock();
        match attempt {
            Attempt::Sent => conn.execute(
                "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?2 WHERE id = ?1",
                params![id, ms(now)],
            )?,
            Attempt::Retry { error, next_try } => conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_try = ?3 WHERE id = ?1",
                params![id, error, ms(*next_try)],
            )?,
            Attempt::Failed { error } => conn.execute(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                params![id, error],
            )?,
        };
        Ok(())
    }

    fn outbox(&self, limit: usize) -> Result<Vec<OutboxMessage>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map(params![limit as i64], outbox_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn outbox_counts(&self) -> Result<Vec<(String, u64)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare("SELECT status, COUNT(*) FROM outbox GROUP BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
