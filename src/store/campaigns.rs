//! Where campaigns live between detection runs: stable ids, merges that
//! redirect, and the "new" mark the digest's alerts consume exactly once.

use super::sqlite::{corrupt, from_ms, ms, SqliteStore};
use super::{Result, StoreError};
use crate::model::{Campaign, CampaignKind, MentionId, Signal, SpikeRecord};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::BTreeMap;

/// Campaign storage, part of [`super::StateStore`].
pub trait CampaignStore {
    /// Saves what one detection run found. A found group that shares members
    /// with stored campaigns continues the oldest of them (its id survives;
    /// the others are merged into it and redirect); one sharing none starts a
    /// new campaign. `Campaign::id` of the input is ignored. Returns the ids
    /// the groups were saved under, in order.
    fn save_campaigns(&self, found: &[Campaign], now: DateTime<Utc>) -> Result<Vec<String>>;
    /// Live (unmerged) campaigns seen since `since`, most recent first.
    fn campaigns(
        &self,
        since: Option<DateTime<Utc>>,
        kind: Option<CampaignKind>,
    ) -> Result<Vec<Campaign>>;
    /// One campaign, following merges to the one that absorbed it.
    fn campaign(&self, id: &str) -> Result<Option<Campaign>>;
    /// Live campaigns not yet reported as new, oldest first, marked reported
    /// in the same transaction: each is new exactly once.
    fn take_new_campaigns(&self) -> Result<Vec<Campaign>>;
    /// Records a spike seen now over `start..end`. One that begins before
    /// the brand's last spike of this span ended (plus `gap`) continues that
    /// episode; otherwise a new episode starts. Returns the episode's id.
    fn save_spike(
        &self,
        brand: &str,
        span: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        gap: chrono::Duration,
        detail: &serde_json::Value,
    ) -> Result<String>;
    /// Spike episodes not yet reported as new, oldest first, marked reported.
    fn take_new_spikes(&self) -> Result<Vec<SpikeRecord>>;
    /// Spike episodes still running at or after `since`, oldest first.
    fn spikes_since(&self, since: DateTime<Utc>) -> Result<Vec<SpikeRecord>>;
    /// One spike episode.
    fn spike(&self, id: &str) -> Result<Option<SpikeRecord>>;
}

const COLUMNS: &str = "id, kind, score, first_seen, last_seen, signals, summary, phrases";

/// Following `merged_into` this far is a corrupt store, not a history.
const MAX_REDIRECTS: usize = 64;

impl CampaignStore for SqliteStore {
    fn save_campaigns(&self, found: &[Campaign], now: DateTime<Utc>) -> Result<Vec<String>> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut ids = Vec::with_capacity(found.len());
        for c in found {
            let Some(first) = c.members.first() else {
                continue;
            };
            let mut existing: Vec<(i64, String)> = Vec::new();
            for m in &c.members {
                let owner: Option<String> = tx
                    .prepare_cached("SELECT campaign_id FROM campaign_members WHERE item_id = ?1")?
                    .query_row(params![m.as_str()], |r| r.get(0))
                    .optional()?;
                if let Some(owner) = owner {
                    let live = resolve(&tx, &owner)?;
                    if !existing.iter().any(|(_, id)| *id == live) {
                        let created: i64 = tx.query_row(
                            "SELECT created FROM campaigns WHERE id = ?1",
                            params![live],
                            |r| r.get(0),
                        )?;
                        existing.push((created, live));
                    }
                }
            }
            existing.sort();
            let id = match existing.first() {
                Some((_, id)) => id.clone(),
                None => format!("c-{}", first.as_str()),
            };
            for (_, other) in existing.iter().skip(1) {
                tx.execute(
                    "UPDATE campaigns SET merged_into = ?2 WHERE id = ?1",
                    params![other, id],
                )?;
                tx.execute(
                    "UPDATE campaign_members SET campaign_id = ?2 WHERE campaign_id = ?1",
                    params![other, id],
                )?;
            }
            let signals = serde_json::to_string(&c.signals).map_err(|e| corrupt("signals", e))?;
            let phrases = serde_json::to_string(&c.phrases).map_err(|e| corrupt("phrases", e))?;
            // A continued campaign keeps its creation time and its "reported" mark.
            tx.execute(
                "INSERT INTO campaigns (id, kind, score, first_seen, last_seen, signals, summary, phrases, created)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(id) DO UPDATE SET kind = ?2, score = ?3,
                     first_seen = MIN(first_seen, ?4), last_seen = MAX(last_seen, ?5),
                     signals = ?6, summary = ?7, phrases = ?8, merged_into = NULL",
                params![
                    id,
                    c.kind.as_str(),
                    c.score,
                    ms(c.first_seen),
                    ms(c.last_seen),
                    signals,
                    c.summary,
                    phrases,
                    ms(now)
                ],
            )?;
            for m in &c.members {
                tx.prepare_cached(
                    "INSERT INTO campaign_members (item_id, campaign_id) VALUES (?1, ?2)
                     ON CONFLICT(item_id) DO UPDATE SET campaign_id = ?2",
                )?
                .execute(params![m.as_str(), id])?;
            }
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    fn campaigns(
        &self,
        since: Option<DateTime<Utc>>,
        kind: Option<CampaignKind>,
    ) -> Result<Vec<Campaign>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM campaigns WHERE merged_into IS NULL AND last_seen >= ?1
             AND (?2 IS NULL OR kind = ?2) ORDER BY last_seen DESC, id"
        ))?;
        let rows = stmt.query_map(
            params![since.map_or(i64::MIN, ms), kind.map(CampaignKind::as_str)],
            campaign_from_row,
        )?;
        let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        for c in &mut out {
            c.members = members(&conn, &c.id)?;
        }
        Ok(out)
    }

    fn campaign(&self, id: &str) -> Result<Option<Campaign>> {
        let conn = self.lock();
        let exists: Option<String> = conn
            .query_row("SELECT id FROM campaigns WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(id) = exists else {
            return Ok(None);
        };
        let live = resolve(&conn, &id)?;
        let mut c = conn.query_row(
            &format!("SELECT {COLUMNS} FROM campaigns WHERE id = ?1"),
            params![live],
            campaign_from_row,
        )?;
        c.members = members(&conn, &c.id)?;
        Ok(Some(c))
    }

    fn save_spike(
        &self,
        brand: &str,
        span: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        gap: chrono::Duration,
        detail: &serde_json::Value,
    ) -> Result<String> {
        let conn = self.lock();
        let detail = serde_json::to_string(detail).map_err(|e| corrupt("spike", e))?;
        let ongoing: Option<String> = conn
            .query_row(
                "SELECT id FROM spikes WHERE brand = ?1 AND span = ?2 AND end >= ?3
                 ORDER BY end DESC LIMIT 1",
                params![brand, span, ms(start - gap)],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = ongoing {
            conn.execute(
                "UPDATE spikes SET end = MAX(end, ?2), detail = ?3 WHERE id = ?1",
                params![id, ms(end), detail],
            )?;
            return Ok(id);
        }
        let id = format!(
            "s-{}-{span}-{}",
            brand.to_lowercase().replace(' ', "_"),
            ms(start)
        );
        conn.execute(
            "INSERT INTO spikes (id, brand, span, start, end, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id) DO UPDATE SET end = MAX(end, ?5), detail = ?6",
            params![id, brand, span, ms(start), ms(end), detail],
        )?;
        Ok(id)
    }

    fn take_new_spikes(&self) -> Result<Vec<SpikeRecord>> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let out = SqliteStore::spike_rows(&tx, "alerted = 0", [])?;
        tx.execute("UPDATE spikes SET alerted = 1 WHERE alerted = 0", [])?;
        tx.commit()?;
        Ok(out)
    }

    fn spikes_since(&self, since: DateTime<Utc>) -> Result<Vec<SpikeRecord>> {
        let conn = self.lock();
        SqliteStore::spike_rows(&conn, "end >= ?1", params![ms(since)])
    }

    fn spike(&self, id: &str) -> Result<Option<SpikeRecord>> {
        let conn = self.lock();
        Ok(SqliteStore::spike_rows(&conn, "id = ?1", params![id])?.pop())
    }

    fn take_new_campaigns(&self) -> Result<Vec<Campaign>> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut out = {
            let mut stmt = tx.prepare(&format!(
                "SELECT {COLUMNS} FROM campaigns WHERE merged_into IS NULL AND alerted = 0
                 ORDER BY first_seen, id"
            ))?;
            let rows = stmt.query_map([], campaign_from_row)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        for c in &mut out {
            c.members = members(&tx, &c.id)?;
            tx.execute(
                "UPDATE campaigns SET alerted = 1 WHERE id = ?1",
                params![c.id],
            )?;
        }
        tx.commit()?;
        Ok(out)
    }
}

impl SqliteStore {
    fn spike_rows(
        conn: &Connection,
        condition: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<SpikeRecord>> {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, brand, span, start, end, detail FROM spikes WHERE {condition} ORDER BY start, id"
        ))?;
        let rows = stmt.query_map(p, |r| {
            let detail: String = r.get(5)?;
            Ok(SpikeRecord {
                id: r.get(0)?,
                brand: r.get(1)?,
                span: r.get(2)?,
                start: from_ms(r.get(3)?),
                end: from_ms(r.get(4)?),
                detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// The live campaign an id ends up at after merges.
fn resolve(conn: &Connection, id: &str) -> Result<String> {
    let mut id = id.to_string();
    for _ in 0..MAX_REDIRECTS {
        let next: Option<String> = conn
            .query_row(
                "SELECT merged_into FROM campaigns WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        match next {
            Some(n) => id = n,
            None => return Ok(id),
        }
    }
    Err(StoreError::Corrupt {
        what: format!("campaign {id}"),
        reason: "merge redirects loop".into(),
    })
}

fn members(conn: &Connection, id: &str) -> Result<Vec<MentionId>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.item_id FROM campaign_members m LEFT JOIN items i ON i.id = m.item_id
         WHERE m.campaign_id = ?1 ORDER BY i.effective, m.item_id",
    )?;
    let rows = stmt.query_map(params![id], |r| r.get::<_, String>(0))?;
    Ok(rows
        .map(|r| r.map(MentionId::from_raw))
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn campaign_from_row(r: &Row<'_>) -> rusqlite::Result<Campaign> {
    // A value that does not decode is a corrupt column, reported as SQLite's own.
    fn bad(col: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
    }
    let kind: String = r.get(1)?;
    let signals: String = r.get(5)?;
    let phrases: String = r.get(7)?;
    Ok(Campaign {
        id: r.get(0)?,
        kind: CampaignKind::parse(&kind).ok_or_else(|| {
            bad(
                1,
                std::io::Error::other(format!("unknown campaign kind {kind}")),
            )
        })?,
        score: r.get(2)?,
        members: Vec::new(),
        first_seen: from_ms(r.get(3)?),
        last_seen: from_ms(r.get(4)?),
        signals: serde_json::from_str::<BTreeMap<String, Signal>>(&signals)
            .map_err(|e| bad(5, e))?,
        summary: r.get(6)?,
        phrases: serde_json::from_str(&phrases).map_err(|e| bad(7, e))?,
    })
}
