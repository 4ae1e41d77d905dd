//! The embedded state store: SQLite in WAL mode, one file in the data directory.

use super::{
    AuthorHistory, CacheEntry, Change, IngestReport, MentionFilter, Mute, MuteKind, Observed,
    Result, SourceState, StateStore, StoreError, StoredText, WaveItem,
};
use crate::model::{
    effective_time, site_of, Answer, BrandMatch, Flag, Labels, Lang, Mention, MentionId, Overrides,
    Sketch, Status, Urgency, Version,
};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS items (
    id          TEXT PRIMARY KEY,
    key         TEXT NOT NULL,
    url         TEXT NOT NULL,
    source      TEXT NOT NULL,
    site        TEXT NOT NULL,
    container   TEXT,
    lang        TEXT NOT NULL,
    brands      TEXT NOT NULL,      -- JSON array; '[]' = not a mention
    matches     TEXT NOT NULL,      -- JSON array of BrandMatch
    is_mention  INTEGER NOT NULL,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL,
    author      TEXT,
    published   INTEGER,            -- unix ms, the source's own date
    first_seen  INTEGER NOT NULL,
    fetched     INTEGER NOT NULL,
    effective   INTEGER NOT NULL,   -- published if plausible, else first_seen
    versions    INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    deleted_at  INTEGER,
    backlog     INTEGER NOT NULL DEFAULT 0,
    text_hash   TEXT NOT NULL,
    purged      INTEGER NOT NULL DEFAULT 0,
    seq         INTEGER NOT NULL,
    first_seq   INTEGER NOT NULL DEFAULT 0, -- seq of the insert; 0 = unknown (older store)
    labels      TEXT,                       -- JSON Labels; NULL = not classified
    fingerprint TEXT,                       -- repeat fingerprint of the text
    author_key  TEXT,                       -- lowercased author, for history lookups
    classified  TEXT,                       -- the classifier's own labels when overrides changed them
    overrides   TEXT,                       -- JSON Overrides; NULL = none
    not_about_us INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'new',
    status_by   TEXT,
    status_at   INTEGER,
    status_note TEXT,
    changed_at  INTEGER,            -- when the current version was first seen; NULL = first_seen
    sketch      BLOB                -- MinHash of the wording (mentions), 100 little-endian u32
);

CREATE INDEX IF NOT EXISTS items_seq ON items(seq);
CREATE INDEX IF NOT EXISTS items_effective ON items(is_mention, effective);
CREATE INDEX IF NOT EXISTS items_container ON items(container);
CREATE INDEX IF NOT EXISTS items_url ON items(url);
-- Earlier versions of an item; the current one is the items row (a store
-- written before that rule also holds the current one here).
CREATE TABLE IF NOT EXISTS versions (
    item_id   TEXT NOT NULL,
    number    INTEGER NOT NULL,
    title     TEXT NOT NULL,
    text      TEXT NOT NULL,
    author    TEXT,
    published INTEGER,
    seen      INTEGER NOT NULL,
    PRIMARY KEY (item_id, number)
);
CREATE TABLE IF NOT EXISTS sources (
    name          TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    kind          TEXT NOT NULL,
    last_attempt  INTEGER,
    last_success  INTEGER,
    last_error    TEXT,
    last_error_at INTEGER,
    error_count   INTEGER NOT NULL DEFAULT 0,
    items_seen    INTEGER NOT NULL DEFAULT 0,
    next_check    INTEGER
);
-- What each source last saw of an item: versions come from one source's view changing.
CREATE TABLE IF NOT EXISTS sightings (
    item_id   TEXT NOT NULL,
    source    TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    PRIMARY KEY (item_id, source)
);
CREATE TABLE IF NOT EXISTS http_cache (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT
);
-- Authors and sites a person muted: their items are kept but leave lists, search and alerts.
CREATE TABLE IF NOT EXISTS mutes (
    kind  TEXT NOT NULL,                -- 'author' (lowercased) or 'site'
    value TEXT NOT NULL,
    by    TEXT,
    note  TEXT,
    at    INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
);
-- Campaigns detection found (issue 5); a merged one redirects to the survivor.
CREATE TABLE IF NOT EXISTS campaigns (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    score       REAL NOT NULL,
    first_seen  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    signals     TEXT NOT NULL,      -- JSON: name → {value, weight}
    summary     TEXT NOT NULL,
    phrases     TEXT NOT NULL,      -- JSON array
    created     INTEGER NOT NULL,
    merged_into TEXT,
    alerted     INTEGER NOT NULL DEFAULT 0  -- reported as new (exactly once)
);
-- A mention belongs to one campaign at most.
CREATE TABLE IF NOT EXISTS campaign_members (
    item_id     TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS campaign_members_campaign ON campaign_members(campaign_id);
-- Spike episodes per brand and span (issue 5), reported as new once.
CREATE TABLE IF NOT EXISTS spikes (
    id      TEXT PRIMARY KEY,
    brand   TEXT NOT NULL,
    span    TEXT NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    detail  TEXT NOT NULL,
    alerted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS spikes_brand ON spikes(brand, span, end);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"#;

/// SQLite behind a mutex: writes are short transactions, reads are indexed.
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

pub(super) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn from_ms(v: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(v).single().unwrap_or_default()
}

fn opt_ms(v: Option<i64>) -> Option<DateTime<Utc>> {
    v.map(from_ms)
}

/// The mentions campaign detection reads: live, about us, sketched, in the
/// window starting at `?1`.
const WAVE_WINDOW: &str = "is_mention = 1 AND not_about_us = 0 AND deleted = 0 AND effective >= ?1
    AND sketch IS NOT NULL";

/// The columns [`wave_item`] decodes, in its order.
const WAVE_ITEM_COLUMNS: &str =
    "id, effective, author, site, lang, labels, title, text, matches, sketch";

fn wave_item(r: &Row<'_>) -> Result<WaveItem> {
    wave_item_at(r, 0)
}

/// [`wave_item`] of a row whose [`WAVE_ITEM_COLUMNS`] start at column `at`.
fn wave_item_at(r: &Row<'_>, at: usize) -> Result<WaveItem> {
    let id: String = r.get(at)?;
    let labels: Option<String> = r.get(at + 5)?;
    let negative = match labels {
        Some(l) => {
            serde_json::from_str::<Labels>(&l)
                .map_err(|e| corrupt("labels", e))?
                .sentiment
                == crate::model::Sentiment::Negative
        }
        None => false,
    };
    let sketch: Vec<u8> = r.get(at + 9)?;
    let matches: String = r.get(at + 8)?;
    let lang: String = r.get(at + 4)?;
    Ok(WaveItem {
        sketch: sketch_of(&id, &sketch)?,
        at: from_ms(r.get(at + 1)?),
        author: r.get(at + 2)?,
        site: r.get(at + 3)?,
        lang: Lang::parse(&lang).unwrap_or_default(),
        negative,
        title: r.get(at + 6)?,
        text: r.get(at + 7)?,
        matches: serde_json::from_str(&matches).map_err(|e| corrupt("matches", e))?,
        id: MentionId::from_raw(id),
    })
}

/// A shingle set as stored: little-endian `u32`s.
fn shingle_bytes(set: &[u32]) -> Vec<u8> {
    set.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Appends the window's mentions with `from <= effective < until` to `out`.
fn read_wave(
    conn: &Connection,
    from: i64,
    until: i64,
    out: &mut super::WaveSketches,
    interner: &mut super::WaveInterner,
) -> Result<()> {
    // No ORDER BY: detection ranks by time itself. Negativity is read inside
    // SQLite, so no labels string is copied out and parsed per row: a
    // substring test, not json_extract (a JSON parse per row was a fifth of
    // the scan); serde_json writes labels compactly, and inside a string
    // value this text's quotes would be escaped.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT rowid, effective, author, site, lang,
                COALESCE(instr(labels, '\"sentiment\":\"negative\"') > 0, 0), sketch, shingles,
                fingerprint
         FROM items WHERE {WAVE_WINDOW} AND effective < ?2"
    ))?;
    let mut rows = stmt.query(params![from, until])?;
    let mut sketch = [0u32; crate::model::SKETCH_HASHES];
    while let Some(r) = rows.next()? {
        // Borrowed from the row: no allocation per mention.
        let bytes = r.get_ref(6)?.as_blob().map_err(|e| corrupt("sketch", e))?;
        if bytes.len() != sketch.len() * 4 {
            let rowid: i64 = r.get(0)?;
            let id: String =
                conn.query_row("SELECT id FROM items WHERE rowid = ?1", [rowid], |r| {
                    r.get(0)
                })?;
            return Err(sketch_of(&id, bytes).unwrap_err());
        }
        for (v, chunk) in sketch.iter_mut().zip(bytes.chunks_exact(4)) {
            *v = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        let lang = r.get_ref(4)?.as_str().map_err(|e| corrupt("lang", e))?;
        let row = super::WaveRow {
            key: r.get(0)?,
            at: from_ms(r.get(1)?),
            author: r
                .get_ref(2)?
                .as_str_or_null()
                .map_err(|e| corrupt("author", e))?,
            site: r.get_ref(3)?.as_str().map_err(|e| corrupt("site", e))?,
            lang: Lang::parse(lang).unwrap_or_default(),
            negative: r.get(5)?,
            sketch: &sketch,
            shingles: r
                .get_ref(7)?
                .as_blob_or_null()
                .map_err(|e| corrupt("shingles", e))?,
            fingerprint: r
                .get_ref(8)?
                .as_str_or_null()
                .map_err(|e| corrupt("fingerprint", e))?,
        };
        out.push(interner, row);
    }
    Ok(())
}

/// Keys read per statement by [`read_wave_items`].
const ITEM_CHUNK: usize = 500;

/// Whole mentions by key, in rowid order, a chunk of keys per statement (a
/// statement per key was most of reading a million-mention window's groups).
fn read_wave_items(
    conn: &Connection,
    sorted: &[i64],
) -> Result<std::collections::HashMap<i64, WaveItem>> {
    let mut found = std::collections::HashMap::with_capacity(sorted.len());
    for chunk in sorted.chunks(ITEM_CHUNK) {
        let marks = vec!["?"; chunk.len()].join(",");
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT rowid, {WAVE_ITEM_COLUMNS} FROM items WHERE rowid IN ({marks})"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(chunk))?;
        while let Some(r) = rows.next()? {
            let key: i64 = r.get(0)?;
            found.insert(key, wave_item_at(r, 1)?);
        }
    }
    Ok(found)
}

/// The store's file, when a second connection may read beside this one
/// (a file, not memory, and more than one core to read on).
fn second_reader_path(conn: &Connection) -> Option<PathBuf> {
    let cores = std::thread::available_parallelism().map_or(1, |p| p.get());
    conn.path()
        .filter(|p| !p.is_empty() && cores > 1)
        .map(PathBuf::from)
}

/// A read-only connection for reading beside the store's own. (Not
/// memory-mapped: that was 6 % quicker at a million mentions, but every page
/// read counted as this process's memory, 2.3 GB.) Its page cache holds the
/// table's inner pages at a million mentions; with SQLite's default 2 MB,
/// each row looked up by the index read them again.
fn read_only(path: &Path) -> Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.pragma_update(None, "cache_size", -16384)?;
    Ok(c)
}

/// A stored sketch, or a corrupt-store error naming the item.
fn sketch_of(id: &str, bytes: &[u8]) -> Result<Sketch> {
    Sketch::from_bytes(bytes).ok_or_else(|| StoreError::Corrupt {
        what: format!("sketch of {id}"),
        reason: format!("{} bytes", bytes.len()),
    })
}

pub(super) fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: what.to_string(),
        reason: e.to_string(),
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Room for every statement the crawl repeats (ingest alone has seven).
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A crawl writes a source's batch at a time: checkpoint (and fsync)
        // every 16 MB of WAL rather than every 4 MB, and give the WAL's
        // space back after. Each checkpoint was a tenth of a crawl's commits.
        conn.pragma_update(None, "wal_autocheckpoint", 4000)?;
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(super::outbox::SCHEMA)?;
        migrate(&conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    /// Items matching `condition` as [`StoredText`], oldest first.
    fn stored_texts(&self, condition: &str) -> Result<Vec<StoredText>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(&format!(
            "SELECT id, source, url, title, text, lang, brands, author, COALESCE(container, url), effective
             FROM items WHERE {condition} ORDER BY effective, id"
        ))?;
        let rows = stmt.query_map([], |r| {
            let lang: String = r.get(5)?;
            let brands: String = r.get(6)?;
            Ok(StoredText {
                id: MentionId::from_raw(r.get::<_, String>(0)?),
                source: r.get(1)?,
                url: r.get(2)?,
                title: r.get(3)?,
                text: r.get(4)?,
                lang: Lang::parse(&lang).unwrap_or_default(),
                brands: serde_json::from_str(&brands).unwrap_or_default(),
                author: r.get(7)?,
                thread: r.get(8)?,
                effective: from_ms(r.get(9)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Runs one update under a fresh change number, so the index re-reads the item.
    fn bump(
        &self,
        update: impl FnOnce(&Connection, i64) -> rusqlite::Result<usize>,
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut seqs = SeqCounter::start(&tx)?;
        let n = update(&tx, seqs.next())?;
        if n == 0 {
            return Ok(false);
        }
        seqs.finish(&tx)?;
        tx.commit()?;
        Ok(true)
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back).
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Hands out sequence numbers inside one transaction: read once, written back
/// once at the end, instead of two statements per change.
struct SeqCounter {
    last: i64,
}

impl SeqCounter {
    fn start(tx: &Connection) -> Result<SeqCounter> {
        let last = tx
            .query_row("SELECT value FROM meta WHERE key = 'seq'", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        Ok(SeqCounter { last })
    }

    fn next(&mut self) -> i64 {
        self.last += 1;
        self.last
    }

    fn finish(self, tx: &Connection) -> Result<()> {
        tx.prepare_cached("INSERT INTO meta(key, value) VALUES('seq', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1")?
            .execute(params![self.last])?;
        Ok(())
    }
}

/// The `author_key` column: an author's name trimmed and lowercased in any
/// script (SQLite's `lower()` folds ASCII only, so "Олег" and "олег" differed).
/// History lookups and mutes compare with it.
fn author_key(author: &str) -> String {
    author.trim().to_lowercase()
}

/// How a muted value is stored: authors lowercased (as `author_key`), sites as hosts.
fn mute_value(kind: MuteKind, value: &str) -> String {
    match kind {
        MuteKind::Author => author_key(value),
        MuteKind::Site => value
            .trim()
            .to_lowercase()
            .trim_start_matches("www.")
            .to_string(),
    }
}

/// Columns added after the first release of the schema, for stores created before them.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    ("items", "first_seq", "INTEGER NOT NULL DEFAULT 0"),
    ("items", "labels", "TEXT"),
    ("items", "fingerprint", "TEXT"),
    ("items", "author_key", "TEXT"),
    ("items", "classified", "TEXT"),
    ("items", "overrides", "TEXT"),
    ("items", "not_about_us", "INTEGER NOT NULL DEFAULT 0"),
    ("items", "status", "TEXT NOT NULL DEFAULT 'new'"),
    ("items", "status_by", "TEXT"),
    ("items", "status_at", "INTEGER"),
    ("items", "status_note", "TEXT"),
    ("items", "changed_at", "INTEGER"),
    ("items", "sketch", "BLOB"),
    ("items", "shingles", "BLOB"),
];

/// Brings an older store up to the current schema (additive changes only).
fn migrate(conn: &Connection) -> Result<()> {
    for (table, column, decl) in ADDED_COLUMNS {
        let present: bool = conn.query_row(
            &format!("SELECT count(*) > 0 FROM pragma_table_info('{table}') WHERE name = ?1"),
            params![column],
            |r| r.get(0),
        )?;
        if !present {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
        }
    }
    // Author keys written by SQLite's ASCII-only `lower()` before the key was
    // computed here: recomputed once, so history and mutes see every script.
    let rekeyed: bool = conn
        .query_row("SELECT 1 FROM meta WHERE key = 'author_key_v2'", [], |_| {
            Ok(())
        })
        .optional()?
        .is_some();
    if !rekeyed {
        let tx = conn.unchecked_transaction()?;
        {
            let mut select = tx.prepare("SELECT id, author FROM items WHERE author IS NOT NULL")?;
            let mut update = tx.prepare("UPDATE items SET author_key = ?2 WHERE id = ?1")?;
            let rows: Vec<(String, String)> = select
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (id, author) in rows {
                update.execute(params![id, author_key(&author)])?;
            }
        }
        tx.execute(
            "INSERT INTO meta(key, value) VALUES('author_key_v2', 1)",
            [],
        )?;
        tx.commit()?;
    }
    // Indexes on added columns, once the columns exist.
    conn.execute_batch(
        "CREATE INDEX IF NOT EXISTS items_author ON items(author_key, is_mention, effective);
         CREATE INDEX IF NOT EXISTS items_author_text ON items(author_key, fingerprint);
         -- Partial: only an author's troll mentions, so a prolific author's
         -- history check reads none of their other labels.
         CREATE INDEX IF NOT EXISTS items_author_troll ON items(author_key, effective)
             WHERE is_mention = 1 AND labels LIKE '%troll%';
         -- Partial: the unmatched texts still kept, all that a purge reads.
         CREATE INDEX IF NOT EXISTS items_unpurged ON items(first_seen)
             WHERE is_mention = 0 AND purged = 0;",
    )?;
    Ok(())
}

pub(super) const MENTION_COLUMNS: &str =
    "id, url, source, site, brands, lang, title, author, published, first_seen, fetched, text, matches, versions, deleted, backlog,
     (is_mention AND not_about_us = 0), seq, first_seq, labels, status, status_by, status_at, status_note, overrides,
     EXISTS (SELECT 1 FROM mutes WHERE (kind = 'author' AND value = items.author_key) OR (kind = 'site' AND value = items.site))";

/// `MENTION_COLUMNS` for the change feed the index reads: without the brand
/// matches and the mute lookup, which the index does not use (decoding them was
/// a tenth of catching an index up).
const CHANGE_COLUMNS: &str =
    "id, url, source, site, brands, lang, title, author, published, first_seen, fetched, text, '[]', versions, deleted, backlog,
     (is_mention AND not_about_us = 0), seq, first_seq, labels, status, status_by, status_at, status_note, overrides, 0";

/// A stored row: the mention, whether it matches a brand, its seq, and whether
/// that seq is its insert (no earlier change of it exists anywhere).
pub(super) fn mention_from_row(row: &Row<'_>) -> rusqlite::Result<(Mention, bool, i64, bool)> {
    let brands: String = row.get(4)?;
    let matches: String = row.get(12)?;
    let lang: String = row.get(5)?;
    let mention = Mention {
        id: MentionId::from_raw(row.get::<_, String>(0)?),
        url: row.get(1)?,
        source: row.get(2)?,
        site: row.get(3)?,
        brands: serde_json::from_str(&brands).unwrap_or_default(),
        lang: Lang::parse(&lang).unwrap_or_default(),
        title: row.get(6)?,
        author: row.get(7)?,
        published: opt_ms(row.get(8)?),
        first_seen: from_ms(row.get(9)?),
        fetched: from_ms(row.get(10)?),
        text: row.get(11)?,
        matches: serde_json::from_str::<Vec<BrandMatch>>(&matches).unwrap_or_default(),
        versions: row.get(13)?,
        deleted: row.get(14)?,
        backlog: row.get(15)?,
        labels: row
            .get::<_, Option<String>>(19)?
            .and_then(|l| serde_json::from_str(&l).ok()),
        answer: Answer {
            status: Status::parse(&row.get::<_, String>(20)?).unwrap_or_default(),
            status_by: row.get(21)?,
            status_at: opt_ms(row.get(22)?),
            status_note: row.get(23)?,
        },
        overrides: row
            .get::<_, Option<String>>(24)?
            .and_then(|o| serde_json::from_str(&o).ok())
            .unwrap_or_default(),
        muted: row.get(25)?,
    };
    let seq: i64 = row.get(17)?;
    let first_seq: i64 = row.get(18)?;
    Ok((mention, row.get(16)?, seq, first_seq == seq))
}

const SOURCE_COLUMNS: &str =
    "name, url, kind, last_attempt, last_success, last_error, last_error_at, error_count, items_seen, next_check";

fn source_from_row(r: &Row<'_>) -> rusqlite::Result<SourceState> {
    Ok(SourceState {
        name: r.get(0)?,
        url: r.get(1)?,
        kind: r.get(2)?,
        last_attempt: opt_ms(r.get(3)?),
        last_success: opt_ms(r.get(4)?),
        last_error: r.get(5)?,
        last_error_at: opt_ms(r.get(6)?),
        error_count: r.get(7)?,
        items_seen: r.get::<_, i64>(8)? as u64,
        next_check: opt_ms(r.get(9)?),
    })
}

impl StateStore for SqliteStore {
    fn ingest(
        &self,
        batch: &[Observed],
        now: DateTime<Utc>,
        backlog_before: Option<DateTime<Utc>>,
    ) -> Result<IngestReport> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut seqs = SeqCounter::start(&tx)?;
        let mut report = IngestReport::default();
        // Prepared once per batch: re-parsing six statements per item cost more
        // than running them.
        let mut select_item = tx.prepare_cached(
            "SELECT text_hash, versions, deleted, first_seen, overrides FROM items WHERE id = ?1",
        )?;
        let mut insert_item = tx.prepare_cached(
            "INSERT INTO items (id, key, url, source, site, container, lang, brands, matches, is_mention, title, text,
                author, published, first_seen, fetched, effective, versions, backlog, text_hash, seq, first_seq,
                labels, fingerprint, author_key, sketch, shingles)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16, 1, ?17, ?18, ?19, ?19,
                ?20, ?21, ?22, ?23, ?24)",
        )?;
        // A changed item's current version moves to `versions` before it is
        // overwritten (OR IGNORE: an older store already holds it there).
        let mut keep_version = tx.prepare_cached(
            "INSERT OR IGNORE INTO versions (item_id, number, title, text, author, published, seen)
             SELECT id, versions, title, text, author, published, COALESCE(changed_at, first_seen)
             FROM items WHERE id = ?1",
        )?;
        let mut select_sighting = tx
            .prepare_cached("SELECT text_hash FROM sightings WHERE item_id = ?1 AND source = ?2")?;
        let mut upsert_sighting = tx.prepare_cached(
            "INSERT INTO sightings (item_id, source, text_hash) VALUES (?1, ?2, ?3)
             ON CONFLICT(item_id, source) DO UPDATE SET text_hash = ?3",
        )?;
        let mut touch_item = tx.prepare_cached(
            "UPDATE items SET fetched = ?2, container = COALESCE(?3, container), deleted = 0,
                deleted_at = NULL, seq = CASE WHEN ?4 > 0 THEN ?4 ELSE seq END
             WHERE id = ?1",
        )?;
        let mut update_item = tx.prepare_cached(
            "UPDATE items SET url = ?2, lang = ?3, brands = ?4, matches = ?5, is_mention = ?6, title = ?7, text = ?8,
                author = ?9, published = ?10, fetched = ?11, effective = ?12, versions = ?13, deleted = 0,
                deleted_at = NULL, text_hash = ?14, purged = 0, seq = ?15, container = COALESCE(?16, container),
                labels = ?17, fingerprint = ?18, author_key = ?20, classified = ?19, changed_at = ?11,
                sketch = ?21, shingles = ?22
             WHERE id = ?1",
        )?;
        for obs in batch {
            let item = &obs.item;
            let id = item.key.id();
            let hash = item.content_hash();
            let brands = serde_json::to_string(&obs.brands).map_err(|e| corrupt("brands", e))?;
            let matches = serde_json::to_string(&obs.matches).map_err(|e| corrupt("matches", e))?;
            let labels = match &obs.labels {
                Some(l) => Some(serde_json::to_string(l).map_err(|e| corrupt("labels", e))?),
                None => None,
            };
            let is_mention = !obs.brands.is_empty();
            let existing: Option<(String, u32, bool, i64, Option<String>)> = select_item
                .query_row(params![id.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            match existing {
                None => {
                    let seq = seqs.next();
                    let effective = effective_time(item.published, now);
                    let backlog = backlog_before.is_some_and(|b| effective < b);
                    insert_item.execute(params![
                        id.as_str(),
                        item.key.as_str(),
                        item.url,
                        obs.source,
                        site_of(&item.url),
                        obs.container,
                        obs.lang.as_str(),
                        brands,
                        matches,
                        is_mention,
                        item.title,
                        item.text,
                        item.author,
                        item.published.map(ms),
                        ms(now),
                        ms(effective),
                        backlog,
                        hash,
                        seq,
                        labels,
                        obs.fingerprint,
                        item.author.as_deref().map(author_key),
                        obs.sketch.map(|s| s.to_bytes()),
                        obs.shingles.as_deref().map(shingle_bytes)
                    ])?;
                    upsert_sighting.execute(params![id.as_str(), obs.source, hash])?;
                    report.new_items += 1;
                    report.new_mentions += usize::from(is_mention);
                }
                Some((old_hash, versions, deleted, first_seen, overrides)) => {
                    // A new version only when this source's own view changed: another
                    // source's extraction of the same item (a feed's content beside the
                    // page's main text) is another view, not an edit.
                    let seen_here: Option<String> = select_sighting
                        .query_row(params![id.as_str(), obs.source], |r| r.get(0))
                        .optional()?;
                    let changed = seen_here.is_some_and(|h| h != hash) && old_hash != hash;
                    upsert_sighting.execute(params![id.as_str(), obs.source, hash])?;
                    if !changed {
                        // Same text: only the fetch time moves. A deleted item seen again
                        // is back (the index must learn it); its text is the stored one.
                        let seq = if deleted { seqs.next() } else { 0 };
                        touch_item.execute(params![id.as_str(), ms(now), obs.container, seq])?;
                        if deleted {
                            report.undeleted += 1;
                        } else {
                            report.unchanged += 1;
                        }
                        continue;
                    }
                    let seq = seqs.next();
                    let number = versions + 1;
                    keep_version.execute(params![id.as_str()])?;
                    report.new_versions += 1;
                    if deleted {
                        report.undeleted += 1;
                    }
                    let effective = effective_time(item.published, from_ms(first_seen));
                    // A person's corrections outlive the classifier's new opinion.
                    let (labels, classified) = match (&obs.labels, overrides) {
                        (Some(raw), Some(o)) => {
                            let o: Overrides =
                                serde_json::from_str(&o).map_err(|e| corrupt("overrides", e))?;
                            let applied = serde_json::to_string(&o.apply(raw))
                                .map_err(|e| corrupt("labels", e))?;
                            (Some(applied), labels)
                        }
                        _ => (labels, None),
                    };
                    update_item.execute(params![
                        id.as_str(),
                        item.url,
                        obs.lang.as_str(),
                        brands,
                        matches,
                        is_mention,
                        item.title,
                        item.text,
                        item.author,
                        item.published.map(ms),
                        ms(now),
                        ms(effective),
                        number,
                        hash,
                        seq,
                        obs.container,
                        labels,
                        obs.fingerprint,
                        classified,
                        item.author.as_deref().map(author_key),
                        obs.sketch.map(|s| s.to_bytes()),
                        obs.shingles.as_deref().map(shingle_bytes)
                    ])?;
                }
            }
        }
        drop((
            select_item,
            insert_item,
            keep_version,
            select_sighting,
            upsert_sighting,
        ));
        drop((touch_item, update_item));
        seqs.finish(&tx)?;
        tx.commit()?;
        Ok(report)
    }

    fn mark_deleted(&self, ids: &[MentionId], at: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut seqs = SeqCounter::start(&tx)?;
        let mut n = 0;
        for id in ids {
            let seq = seqs.next();
            n += tx.execute(
                "UPDATE items SET deleted = 1, deleted_at = ?2, seq = ?3 WHERE id = ?1 AND deleted = 0",
                params![id.as_str(), ms(at), seq],
            )?;
        }
        seqs.finish(&tx)?;
        tx.commit()?;
        Ok(n)
    }

    fn author_history(
        &self,
        author: &str,
        fingerprint: Option<&str>,
        until: DateTime<Utc>,
        exclude: &MentionId,
    ) -> Result<AuthorHistory> {
        // Three indexed lookups: an author may have thousands of items, and
        // this runs for every mention stored.
        let mut conn = self.lock();
        // One read transaction for the three: each statement alone takes and
        // drops the WAL read lock.
        let conn = conn.transaction()?;
        let author = author_key(author);
        let (until, exclude) = (ms(until), exclude.as_str());
        let has_earlier = conn
            .prepare_cached(
                "SELECT 1 FROM items WHERE author_key = ?1 AND effective <= ?2 AND id != ?3 LIMIT 1",
            )?
            .query_row(params![author, until, exclude], |_| Ok(()))
            .optional()?
            .is_some();
        let mut same_text = Vec::new();
        if let Some(print) = fingerprint {
            let mut stmt = conn.prepare_cached(
                "SELECT id, COALESCE(container, url) FROM items
                 WHERE author_key = ?1 AND fingerprint = ?2 AND effective <= ?3 AND id != ?4
                 ORDER BY effective, seq",
            )?;
            let rows = stmt.query_map(params![author, print, until, exclude], |r| {
                Ok((MentionId::from_raw(r.get::<_, String>(0)?), r.get(1)?))
            })?;
            same_text = rows.collect::<rusqlite::Result<_>>()?;
        }
        // Labels live on mentions only; the partial index holds just the rows
        // whose labels say troll, so the JSON of no other row is read.
        let mut stmt = conn.prepare_cached(
            "SELECT labels FROM items INDEXED BY items_author_troll WHERE author_key = ?1 AND is_mention = 1
             AND effective <= ?2 AND id != ?3 AND labels LIKE '%troll%'",
        )?;
        let mut trolled = false;
        for labels in stmt.query_map(params![author, until, exclude], |r| r.get::<_, String>(0))? {
            trolled |= serde_json::from_str::<Labels>(&labels?).is_ok_and(|l| l.has(Flag::Troll));
        }
        Ok(AuthorHistory {
            has_earlier,
            same_text,
            trolled,
        })
    }

    fn ids_in_container(&self, container: &str) -> Result<Vec<MentionId>> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached("SELECT id FROM items WHERE container = ?1 AND deleted = 0")?;
        let rows = stmt.query_map(params![container], |r| r.get::<_, String>(0))?;
        Ok(rows
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(MentionId::from_raw)
            .collect())
    }

    fn id_by_url(&self, url: &str) -> Result<Option<MentionId>> {
        let conn = self.lock();
        let id: Option<String> = conn
            .query_row(
                "SELECT id FROM items WHERE url = ?1 AND container IS NULL LIMIT 1",
                params![url],
                |r| r.get(0),
            )
            .optional()?;
        Ok(id.map(MentionId::from_raw))
    }

    fn mention(&self, id: &MentionId) -> Result<Option<Mention>> {
        let conn = self.lock();
        let sql = format!("SELECT {MENTION_COLUMNS} FROM items WHERE id = ?1");
        Ok(conn
            .query_row(&sql, params![id.as_str()], mention_from_row)
            .optional()?
            .map(|(m, ..)| m))
    }

    fn versions(&self, id: &MentionId) -> Result<Vec<Version>> {
        let conn = self.lock();
        // Earlier versions, then the current one from the item itself unless
        // an older store already keeps it in `versions`.
        let mut stmt = conn.prepare_cached(
            "SELECT number, title, text, author, published, seen FROM versions WHERE item_id = ?1
             UNION ALL
             SELECT versions, title, text, author, published, COALESCE(changed_at, first_seen) FROM items
             WHERE id = ?1 AND versions NOT IN (SELECT number FROM versions WHERE item_id = ?1)
             ORDER BY 1",
        )?;
        let rows = stmt.query_map(params![id.as_str()], |r| {
            Ok(Version {
                number: r.get(0)?,
                title: r.get(1)?,
                text: r.get(2)?,
                author: r.get(3)?,
                published: opt_ms(r.get(4)?),
                seen: from_ms(r.get(5)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn mentions(&self, filter: &MentionFilter, limit: Option<usize>) -> Result<Vec<Mention>> {
        let conn = self.lock();
        let mut sql = format!(
            "SELECT {MENTION_COLUMNS} FROM items WHERE is_mention = 1 AND not_about_us = 0"
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if !filter.include_deleted {
            sql.push_str(" AND deleted = 0");
        }
        if !filter.include_muted {
            sql.push_str(" AND NOT EXISTS (SELECT 1 FROM mutes WHERE (kind = 'author' AND value = items.author_key) OR (kind = 'site' AND value = items.site))");
        }
        if let Some(intent) = filter.intent {
            sql.push_str(" AND json_extract(labels, '$.intent') = ?");
            args.push(intent.as_str().to_string().into());
        }
        for flag in &filter.flags {
            sql.push_str(" AND EXISTS (SELECT 1 FROM json_each(items.labels, '$.flags') WHERE json_each.value = ?)");
            args.push(flag.as_str().to_string().into());
        }
        if let Some(status) = filter.status {
            sql.push_str(" AND status = ?");
            args.push(status.as_str().to_string().into());
        }
        if let Some(sentiment) = filter.sentiment {
            sql.push_str(" AND json_extract(labels, '$.sentiment') = ?");
            args.push(sentiment.as_str().to_string().into());
        }
        // Urgency is decided in Rust (`Mention::urgency`, the one definition);
        // SQL only narrows to the candidates, so the limit applies afterwards.
        if let Some(u) = &filter.urgency {
            let window = chrono::Duration::from_std(u.window).unwrap_or(chrono::Duration::MAX);
            let boundary = u.now.checked_sub_signed(window).map_or(i64::MIN, ms);
            match u.want {
                Urgency::Now => {
                    sql.push_str(" AND status = 'new' AND backlog = 0 AND effective > ?");
                    args.push(boundary.into());
                }
                Urgency::Overdue => {
                    sql.push_str(" AND status = 'new' AND backlog = 0 AND effective <= ?");
                    args.push(boundary.into());
                }
                Urgency::None => {}
            }
        }
        if let Some(brand) = &filter.brand {
            // brands is a JSON array of names: match one element exactly, ignoring case.
            sql.push_str(" AND EXISTS (SELECT 1 FROM json_each(items.brands) WHERE lower(json_each.value) = lower(?))");
            args.push(brand.clone().into());
        }
        if let Some(lang) = filter.lang {
            sql.push_str(" AND lang = ?");
            args.push(lang.as_str().to_string().into());
        }
        if let Some(source) = &filter.source {
            sql.push_str(" AND source = ?");
            args.push(source.clone().into());
        }
        if let Some(site) = &filter.site {
            sql.push_str(" AND site = lower(?)");
            args.push(site.clone().into());
        }
        if let Some(since) = filter.since {
            sql.push_str(" AND effective >= ?");
            args.push(ms(since).into());
        }
        if let Some(until) = filter.until {
            sql.push_str(" AND effective < ?");
            args.push(ms(until).into());
        }
        sql.push_str(" ORDER BY effective DESC, id");
        if let (Some(limit), None) = (limit, &filter.urgency) {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), mention_from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let (m, ..) = row?;
            if let Some(u) = &filter.urgency {
                if m.urgency(u.now, u.window).0 != u.want {
                    continue;
                }
            }
            out.push(m);
            if limit.is_some_and(|l| out.len() >= l) {
                break;
            }
        }
        Ok(out)
    }

    fn set_status(&self, id: &MentionId, answer: &Answer) -> Result<bool> {
        self.bump(|tx, seq| {
            tx.execute(
                "UPDATE items SET status = ?2, status_by = ?3, status_at = ?4, status_note = ?5, seq = ?6 WHERE id = ?1",
                params![
                    id.as_str(),
                    answer.status.as_str(),
                    answer.status_by,
                    answer.status_at.map(ms),
                    answer.status_note,
                    seq
                ],
            )
        })
    }

    fn add_overrides(&self, id: &MentionId, overrides: &Overrides) -> Result<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let row: Option<(Option<String>, Option<String>, Option<String>)> = tx
            .query_row(
                "SELECT overrides, labels, classified FROM items WHERE id = ?1",
                params![id.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((earlier, labels, classified)) = row else {
            return Ok(false);
        };
        let mut merged: Overrides = match earlier {
            Some(o) => serde_json::from_str(&o).map_err(|e| corrupt("overrides", e))?,
            None => Overrides::default(),
        };
        merged.merge(overrides);
        // `classified` keeps the classifier's own labels once a person changed them.
        let raw = classified.or(labels);
        let applied = match &raw {
            Some(l) => {
                let l: Labels = serde_json::from_str(l).map_err(|e| corrupt("labels", e))?;
                Some(serde_json::to_string(&merged.apply(&l)).map_err(|e| corrupt("labels", e))?)
            }
            None => None,
        };
        let mut seqs = SeqCounter::start(&tx)?;
        let seq = seqs.next();
        tx.execute(
            "UPDATE items SET overrides = ?2, classified = ?3, labels = ?4, not_about_us = ?5, seq = ?6 WHERE id = ?1",
            params![
                id.as_str(),
                serde_json::to_string(&merged).map_err(|e| corrupt("overrides", e))?,
                raw,
                applied,
                merged.not_about_us,
                seq
            ],
        )?;
        seqs.finish(&tx)?;
        tx.commit()?;
        Ok(true)
    }

    fn mark_thread_answered(
        &self,
        thread: &str,
        brand: &str,
        until: DateTime<Utc>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<usize> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let ids: Vec<String> = {
            let mut stmt = tx.prepare_cached(
                "SELECT id FROM items WHERE COALESCE(container, url) = ?1 AND is_mention = 1 AND status = 'new'
                 AND effective <= ?2
                 AND EXISTS (SELECT 1 FROM json_each(items.brands) WHERE lower(json_each.value) = lower(?3))",
            )?;
            let rows = stmt.query_map(params![thread, ms(until), brand], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut seqs = SeqCounter::start(&tx)?;
        for id in &ids {
            tx.execute(
                "UPDATE items SET status = 'answered', status_by = ?2, status_at = ?3, seq = ?4 WHERE id = ?1",
                params![id, by, ms(at), seqs.next()],
            )?;
        }
        seqs.finish(&tx)?;
        tx.commit()?;
        Ok(ids.len())
    }

    fn mute(&self, m: &Mute) -> Result<()> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO mutes (kind, value, by, note, at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(kind, value) DO UPDATE SET by = ?3, note = ?4, at = ?5",
            params![
                m.kind.as_str(),
                mute_value(m.kind, &m.value),
                m.by,
                m.note,
                ms(m.at)
            ],
        )?;
        Ok(())
    }

    fn unmute(&self, kind: MuteKind, value: &str) -> Result<bool> {
        let conn = self.lock();
        let n = conn.execute(
            "DELETE FROM mutes WHERE kind = ?1 AND value = ?2",
            params![kind.as_str(), mute_value(kind, value)],
        )?;
        Ok(n > 0)
    }

    fn mutes(&self) -> Result<Vec<Mute>> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached("SELECT kind, value, by, note, at FROM mutes ORDER BY kind, value")?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(0)?;
            Ok(Mute {
                kind: if kind == "site" {
                    MuteKind::Site
                } else {
                    MuteKind::Author
                },
                value: r.get(1)?,
                by: r.get(2)?,
                note: r.get(3)?,
                at: from_ms(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn changes_since(&self, seq: i64, limit: usize) -> Result<Vec<Change>> {
        let conn = self.lock();
        let sql =
            format!("SELECT {CHANGE_COLUMNS} FROM items WHERE seq > ?1 ORDER BY seq LIMIT ?2");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![seq, limit as i64], |r| {
            let (mention, is_mention, seq, is_new) = mention_from_row(r)?;
            Ok(Change {
                seq,
                mention,
                is_mention,
                is_new,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn mention_counts(&self) -> Result<Vec<(Lang, u64)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT lang, COUNT(*) FROM items WHERE is_mention = 1 AND not_about_us = 0 AND deleted = 0 GROUP BY lang",
        )?;
        let rows = stmt.query_map([], |r| {
            let lang: String = r.get(0)?;
            Ok((
                Lang::parse(&lang).unwrap_or_default(),
                r.get::<_, i64>(1)? as u64,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn last_seq(&self) -> Result<i64> {
        let conn = self.lock();
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = 'seq'", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    fn texts_for_rematch(&self) -> Result<Vec<StoredText>> {
        self.stored_texts("purged = 0")
    }

    fn wave_items(&self, since: DateTime<Utc>) -> Result<Vec<WaveItem>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {WAVE_ITEM_COLUMNS} FROM items WHERE {WAVE_WINDOW} ORDER BY effective, rowid"
        ))?;
        let mut rows = stmt.query(params![ms(since)])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(wave_item(r)?);
        }
        Ok(out)
    }

    fn wave_sketches(&self, since: DateTime<Utc>) -> Result<super::WaveSketches> {
        let conn = self.lock();
        // Two halves of the window read at once, the later one through a
        // second, read-only connection: reading and decoding a million rows
        // is a third of detection, and the machine has cores to spare.
        let path = second_reader_path(&conn);
        let latest: Option<i64> = conn.query_row(
            "SELECT max(effective) FROM items WHERE is_mention = 1",
            [],
            |r| r.get(0),
        )?;
        let (Some(path), Some(latest)) = (path, latest) else {
            let mut out = super::WaveSketches::default();
            read_wave(
                &conn,
                ms(since),
                i64::MAX,
                &mut out,
                &mut Default::default(),
            )?;
            return Ok(out);
        };
        let middle = ms(since) + (latest - ms(since)).max(0) / 2;
        // Each half through its own read-only connection.
        let reader = || read_only(&path);
        let (first, later) = std::thread::scope(|scope| {
            let later = scope.spawn(|| -> Result<_> {
                let mut out = super::WaveSketches::default();
                read_wave(
                    &reader()?,
                    middle,
                    i64::MAX,
                    &mut out,
                    &mut Default::default(),
                )?;
                Ok(out)
            });
            let first = (|| -> Result<_> {
                let mut out = super::WaveSketches::default();
                let mut interner = super::WaveInterner::default();
                read_wave(&reader()?, ms(since), middle, &mut out, &mut interner)?;
                Ok((out, interner))
            })();
            let later = later.join().expect("the reading thread does not panic");
            (first, later)
        });
        let (mut out, mut interner) = first?;
        out.append(&mut interner, later?);
        Ok(out)
    }

    fn wave_items_by_keys(&self, keys: &[i64]) -> Result<Vec<WaveItem>> {
        // Read in rowid order, then put back in the order asked.
        let conn = self.lock();
        let mut sorted: Vec<i64> = keys.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        // Thousands of groups' members (a million-mention window): the later
        // half through a second connection, at once.
        let second = second_reader_path(&conn).filter(|_| sorted.len() >= 4 * ITEM_CHUNK);
        let (first, later) = match second {
            Some(_) => sorted.split_at(sorted.len() / 2),
            None => (&sorted[..], &[][..]),
        };
        let mut found = std::thread::scope(|scope| -> Result<_> {
            let later =
                second.map(|path| scope.spawn(move || read_wave_items(&read_only(&path)?, later)));
            let mut found = read_wave_items(&conn, first)?;
            if let Some(later) = later {
                found.extend(later.join().expect("the reading thread does not panic")?);
            }
            Ok(found)
        })?;
        // Moved out, not copied; a key asked twice is copied from its first place.
        let mut out: Vec<WaveItem> = Vec::with_capacity(keys.len());
        let mut placed: std::collections::HashMap<i64, usize> = Default::default();
        for k in keys {
            let item = match (found.remove(k), placed.get(k)) {
                (Some(item), _) => item,
                (None, Some(&i)) => out[i].clone(),
                (None, None) => return Err(corrupt("wave item", format!("no item with key {k}"))),
            };
            placed.insert(*k, out.len());
            out.push(item);
        }
        Ok(out)
    }

    fn shingles_by_keys(&self, keys: &[i64]) -> Result<Vec<Option<Vec<u32>>>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT shingles FROM items WHERE rowid = ?1")?;
        let mut out = Vec::with_capacity(keys.len());
        for &key in keys {
            let bytes: Option<Vec<u8>> = stmt
                .query_row(params![key], |r| r.get(0))
                .optional()?
                .flatten();
            out.push(bytes.map(|b| {
                b.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect()
            }));
        }
        Ok(out)
    }

    fn sketches_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<(MentionId, DateTime<Utc>, Sketch)>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT id, effective, sketch FROM items
             WHERE is_mention = 1 AND deleted = 0 AND effective >= ?1 AND sketch IS NOT NULL
             ORDER BY effective, id",
        )?;
        let rows = stmt.query_map(params![ms(since)], |r| {
            Ok((
                MentionId::from_raw(r.get::<_, String>(0)?),
                from_ms(r.get(1)?),
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, bytes) = row?;
            let sketch = sketch_of(id.as_str(), &bytes)?;
            out.push((id, at, sketch));
        }
        Ok(out)
    }

    fn texts_to_label(&self, all: bool) -> Result<Vec<StoredText>> {
        self.stored_texts(if all {
            "is_mention = 1"
        } else {
            "is_mention = 1 AND labels IS NULL"
        })
    }

    fn set_labels(
        &self,
        id: &MentionId,
        labels: &Labels,
        fingerprint: Option<&str>,
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let overrides: Option<Option<String>> = tx
            .query_row(
                "SELECT overrides FROM items WHERE id = ?1",
                params![id.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(overrides) = overrides else {
            return Ok(false);
        };
        let raw = serde_json::to_string(labels).map_err(|e| corrupt("labels", e))?;
        // As in `ingest`: with corrections, `labels` shows them applied and
        // `classified` keeps the classifier's own opinion.
        let (applied, classified) = match overrides {
            Some(o) => {
                let o: Overrides = serde_json::from_str(&o).map_err(|e| corrupt("overrides", e))?;
                let applied =
                    serde_json::to_string(&o.apply(labels)).map_err(|e| corrupt("labels", e))?;
                (applied, Some(raw))
            }
            None => (raw, None),
        };
        let mut seqs = SeqCounter::start(&tx)?;
        let seq = seqs.next();
        tx.execute(
            "UPDATE items SET labels = ?2, classified = ?3, fingerprint = ?4, seq = ?5 WHERE id = ?1",
            params![id.as_str(), applied, classified, fingerprint, seq],
        )?;
        seqs.finish(&tx)?;
        tx.commit()?;
        Ok(true)
    }

    fn set_matches(
        &self,
        id: &MentionId,
        brands: &[String],
        matches: &[BrandMatch],
        lang: Option<Lang>,
    ) -> Result<bool> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let mut seqs = SeqCounter::start(&tx)?;
        let seq = seqs.next();
        let n = tx.execute(
            "UPDATE items SET brands = ?2, matches = ?3, is_mention = ?4, seq = ?5,
                lang = COALESCE(?6, lang) WHERE id = ?1",
            params![
                id.as_str(),
                serde_json::to_string(brands).map_err(|e| corrupt("brands", e))?,
                serde_json::to_string(matches).map_err(|e| corrupt("matches", e))?,
                !brands.is_empty(),
                seq,
                lang.map(|l| l.as_str())
            ],
        )?;
        seqs.finish(&tx)?;
        tx.commit()?;
        Ok(n > 0)
    }

    fn purge_unmatched(&self, before: DateTime<Utc>) -> Result<usize> {
        let conn = self.lock();
        // This runs after every crawl, so both statements read only the items
        // due, through the partial index `items_unpurged`. It is named because,
        // without statistics, SQLite picks `items_effective` and reads every
        // unmatched item ever stored. An item changed after its purge is
        // stored unpurged again; its versions are emptied with it next time.
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE versions SET text = '' WHERE text != '' AND item_id IN
                (SELECT id FROM items INDEXED BY items_unpurged
                 WHERE is_mention = 0 AND purged = 0 AND first_seen < ?1)",
            params![ms(before)],
        )?;
        let n = tx.execute(
            "UPDATE items INDEXED BY items_unpurged SET text = '', purged = 1
             WHERE is_mention = 0 AND purged = 0 AND first_seen < ?1",
            params![ms(before)],
        )?;
        tx.commit()?;
        Ok(n)
    }

    fn source_state(&self, name: &str) -> Result<Option<SourceState>> {
        let conn = self.lock();
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM sources WHERE name = ?1");
        Ok(conn
            .query_row(&sql, params![name], source_from_row)
            .optional()?)
    }

    fn source_states(&self) -> Result<Vec<SourceState>> {
        let conn = self.lock();
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM sources ORDER BY name");
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], source_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn save_source_state(&self, s: &SourceState) -> Result<()> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO sources (name, url, kind, last_attempt, last_success, last_error, last_error_at, error_count, items_seen, next_check)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(name) DO UPDATE SET url = ?2, kind = ?3, last_attempt = ?4, last_success = ?5, last_error = ?6,
                last_error_at = ?7, error_count = ?8, items_seen = ?9, next_check = ?10",
            params![
                s.name, s.url, s.kind, s.last_attempt.map(ms), s.last_success.map(ms), s.last_error,
                s.last_error_at.map(ms), s.error_count, s.items_seen as i64, s.next_check.map(ms)
            ],
        )?;
        Ok(())
    }

    fn content_hash(&self, id: &MentionId) -> Result<Option<String>> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached("SELECT text_hash FROM items WHERE id = ?1")?;
        Ok(stmt
            .query_row(params![id.as_str()], |r| r.get(0))
            .optional()?)
    }

    fn cache_entry(&self, url: &str) -> Result<Option<CacheEntry>> {
        let conn = self.lock();
        // Once per fetched URL: a cached statement skips the parse.
        let mut select =
            conn.prepare_cached("SELECT etag, last_modified FROM http_cache WHERE url = ?1")?;
        Ok(select
            .query_row(params![url], |r| {
                Ok(CacheEntry {
                    etag: r.get(0)?,
                    last_modified: r.get(1)?,
                })
            })
            .optional()?)
    }

    fn save_cache_entry(&self, url: &str, e: &CacheEntry) -> Result<()> {
        let conn = self.lock();
        conn.prepare_cached(
            "INSERT INTO http_cache (url, etag, last_modified) VALUES (?1, ?2, ?3)
             ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3",
        )?
        .execute(params![url, e.etag, e.last_modified])?;
        Ok(())
    }
}
