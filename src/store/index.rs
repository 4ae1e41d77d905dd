//! The derived full-text index (tantivy): language-aware fields, filters,
//! highlighted snippets. Rebuildable from the state store at any time.
//!
//! One process writes (the crawler); others read and reload on commit. The
//! commit payload holds the store's change number (`seq`) the index reflects,
//! so a crash between a store commit and an index commit is replayed, not lost.

use super::{tokenize, Change, MentionFilter, Result, StateStore, StoreError};
use crate::model::{Lang, Mention, MentionId};
use chrono::{DateTime, Utc};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Memory for the single indexing thread; tantivy needs at least 15 MB.
const WRITER_HEAP: usize = 64 * 1024 * 1024;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    brand: Field,
    lang: Field,
    site: Field,
    source: Field,
    author: Field,
    effective: Field,
    intent: Field,
    sentiment: Field,
    flag: Field,
    status: Field,
    /// Title and text of every language, each analysed as its own language.
    body: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("hs_raw")
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        brand: b.add_text_field("brand", keyword.clone()),
        lang: b.add_text_field("lang", keyword.clone()),
        site: b.add_text_field("site", keyword.clone()),
        source: b.add_text_field("source", keyword.clone()),
        intent: b.add_text_field("intent", keyword.clone()),
        sentiment: b.add_text_field("sentiment", keyword.clone()),
        flag: b.add_text_field("flag", keyword.clone()),
        status: b.add_text_field("status", keyword),
        author: b.add_text_field("author", text("hs_plain")),
        effective: b.add_date_field("effective", DateOptions::from(INDEXED) | FAST),
        body: b.add_text_field("body", text("hs_body")),
    };
    (b.build(), fields)
}

/// A search request: tantivy query syntax plus the filters `mentions` uses.
/// Deleted mentions are always searchable (their last text is kept); the
/// filter's `include_deleted` does not apply here.
#[derive(Clone, Debug, Default)]
pub struct SearchQuery {
    /// Phrases, AND/OR/NOT, and `brand:`, `lang:`, `site:`, `author:`, `source:` fields; empty = everything.
    pub text: String,
    pub filter: MentionFilter,
    pub limit: usize,
}

/// One ranked result; join with the store for the mention itself.
#[derive(Clone, Debug)]
pub struct Hit {
    pub id: MentionId,
    pub score: f32,
}

/// A highlighted fragment: byte ranges of `fragment` to emphasise.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snippet {
    pub fragment: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

impl Snippet {
    /// The fragment with each highlight wrapped in `open`/`close`.
    pub fn marked(&self, open: &str, close: &str) -> String {
        let mut out = String::with_capacity(self.fragment.len() + 16);
        let mut at = 0;
        for r in &self.highlights {
            if r.start < at || r.end > self.fragment.len() {
                continue;
            }
            out.push_str(&self.fragment[at..r.start]);
            out.push_str(open);
            out.push_str(&self.fragment[r.clone()]);
            out.push_str(close);
            at = r.end;
        }
        out.push_str(&self.fragment[at..]);
        out
    }
}

/// The parsed query of one search, kept to make snippets for its hits.
pub struct Prepared {
    query: Box<dyn Query>,
    generators: Mutex<Vec<(Lang, Option<SnippetGenerator>)>>,
}

pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Option<Mutex<IndexWriter>>,
    /// Per language, the analyzers a query is parsed with.
    query_managers: Vec<(Lang, tantivy::tokenizer::TokenizerManager)>,
}

impl SearchIndex {
    /// Opens the index for reading, creating an empty one if there is none.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        Self::open_inner(dir, false)
    }

    /// Opens the index as its one writer; fails with `Locked` if another process writes.
    pub fn open_writer(dir: &Path) -> Result<SearchIndex> {
        Self::open_inner(dir, true)
    }

    fn open_inner(dir: &Path, write: bool) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema();
        let mut index = if dir.join("meta.json").exists() {
            Index::open_in_dir(dir)?
        } else {
            Index::create_in_dir(dir, schema.clone())?
        };
        if index.schema() != schema {
            if !write {
                return Err(StoreError::Corrupt {
                    what: dir.display().to_string(),
                    reason: "index schema is from another version; run `hearsay reindex`".into(),
                });
            }
            // The index is derived: the writer starts an empty one of the current
            // schema, and `catch_up` (watermark 0) rebuilds it from the store.
            tracing::warn!(dir = %dir.display(), "index schema is from another version; rebuilding it from the store");
            index = recreate(dir, schema.clone())?;
        }
        tokenize::register(index.tokenizers());
        let writer = if write {
            match index.writer_with_num_threads(1, WRITER_HEAP) {
                Ok(w) => Some(Mutex::new(w)),
                Err(tantivy::TantivyError::LockFailure(..)) => {
                    return Err(StoreError::Locked(dir.to_path_buf()))
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            writer,
            query_managers: tokenize::LANGS
                .iter()
                .map(|l| (*l, tokenize::query_manager(*l)))
                .collect(),
        })
    }

    /// The store change number this index reflects (from the last commit's payload).
    pub fn watermark(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(0))
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>> {
        let w = self
            .writer
            .as_ref()
            .ok_or_else(|| StoreError::Locked(self.dir.clone()))?;
        Ok(w.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Applies store changes (replace by id; items matching no brand are dropped). Not committed.
    pub fn apply(&self, changes: &[Change]) -> Result<()> {
        self.apply_changes(changes, true)
    }

    /// `replace = false` only when the index holds none of these ids (an empty index).
    fn apply_changes(&self, changes: &[Change], replace: bool) -> Result<()> {
        let writer = self.writer()?;
        let f = self.fields;
        for change in changes {
            if replace && !change.is_new {
                writer.delete_term(Term::from_field_text(f.id, change.mention.id.as_str()));
            }
            if change.is_mention {
                writer.add_document(self.document(&change.mention))?;
            }
        }
        Ok(())
    }

    fn document(&self, m: &Mention) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, m.id.as_str());
        for brand in &m.brands {
            doc.add_text(f.brand, brand);
        }
        doc.add_text(f.lang, m.lang.as_str());
        doc.add_text(f.site, &m.site);
        doc.add_text(f.source, &m.source);
        if let Some(author) = &m.author {
            doc.add_text(f.author, author);
        }
        let effective = m.effective_time().timestamp_millis();
        doc.add_date(
            f.effective,
            tantivy::DateTime::from_timestamp_millis(effective),
        );
        if let Some(labels) = &m.labels {
            doc.add_text(f.intent, labels.intent.as_str());
            doc.add_text(f.sentiment, labels.sentiment.as_str());
            for flag in &labels.flags {
                doc.add_text(f.flag, flag.as_str());
            }
        }
        doc.add_text(f.status, m.answer.status.as_str());
        let mut body = String::with_capacity(m.title.len() + m.text.len() + 4);
        body.push(tokenize::marker(m.lang));
        if !m.title.is_empty() {
            body.push_str(&m.title);
            body.push('\n');
        }
        body.push_str(&m.text);
        doc.add_text(f.body, body);
        doc
    }

    /// Commits applied changes, recording `seq` as the new watermark.
    pub fn commit(&self, seq: i64) -> Result<()> {
        let mut writer = self.writer()?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&seq.to_string());
        prepared.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Replays every store change after the watermark; returns how many were applied.
    pub fn catch_up(&self, store: &dyn StateStore) -> Result<usize> {
        let mut seq = self.watermark()?;
        // The store has one row per item (with its latest change), so catching
        // an empty index up adds each id once: no deletes needed.
        let replace = !(seq == 0 && self.is_empty());
        let mut applied = 0;
        loop {
            let changes = store.changes_since(seq, 5_000)?;
            let Some(last) = changes.last() else { break };
            seq = last.seq;
            self.apply_changes(&changes, replace)?;
            applied += changes.len();
        }
        if applied > 0 {
            self.commit(seq)?;
        }
        Ok(applied)
    }

    /// Drops everything and rebuilds from the store.
    pub fn rebuild(&self, store: &dyn StateStore) -> Result<usize> {
        {
            let mut writer = self.writer()?;
            writer.delete_all_documents()?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload("0");
            prepared.commit()?;
        }
        self.reader.reload()?;
        self.catch_up(store)
    }

    /// Number of indexed mentions.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes newly committed segments of another process visible.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Parses the query and filters into one tantivy query.
    pub fn prepare(&self, q: &SearchQuery) -> Result<Prepared> {
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let text = q.text.trim();
        if !text.is_empty() && text != "*" {
            clauses.push((Occur::Must, self.text_query(text)?));
        }
        let keyword = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &value.to_lowercase()),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(b) = &q.filter.brand {
            clauses.push((Occur::Must, keyword(f.brand, b)));
        }
        if let Some(l) = q.filter.lang {
            clauses.push((Occur::Must, keyword(f.lang, l.as_str())));
        }
        if let Some(s) = &q.filter.source {
            clauses.push((Occur::Must, keyword(f.source, s)));
        }
        if let Some(s) = &q.filter.site {
            clauses.push((Occur::Must, keyword(f.site, s)));
        }
        if let Some(i) = q.filter.intent {
            clauses.push((Occur::Must, keyword(f.intent, i.as_str())));
        }
        if let Some(s) = q.filter.sentiment {
            clauses.push((Occur::Must, keyword(f.sentiment, s.as_str())));
        }
        for flag in &q.filter.flags {
            clauses.push((Occur::Must, keyword(f.flag, flag.as_str())));
        }
        if let Some(s) = q.filter.status {
            clauses.push((Occur::Must, keyword(f.status, s.as_str())));
        }
        if q.filter.since.is_some() || q.filter.until.is_some() {
            let term = |t: DateTime<Utc>| {
                Term::from_field_date(
                    f.effective,
                    tantivy::DateTime::from_timestamp_millis(t.timestamp_millis()),
                )
            };
            let lower = q
                .filter
                .since
                .map_or(Bound::Unbounded, |t| Bound::Included(term(t)));
            let upper = q
                .filter
                .until
                .map_or(Bound::Unbounded, |t| Bound::Excluded(term(t)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        let query: Box<dyn Query> = match clauses.len() {
            0 => Box::new(AllQuery),
            1 if clauses[0].0 == Occur::Must => clauses.pop().map(|(_, q)| q).expect("one clause"),
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        Ok(Prepared {
            query,
            generators: Mutex::new(Vec::new()),
        })
    }

    /// The query text against the body (and `brand`). A word matches in any
    /// language's form: it is analysed as each language, and the distinct
    /// results are OR-ed.
    ///
    /// Bare words (the common case) become one flat union of the term queries
    /// that exist in the index: a term absent from the index, or a nested
    /// union, turns tantivy's pruned (block-max WAND) union into a plain one
    /// that scores every posting. Anything with syntax (phrases, AND/OR/NOT,
    /// `field:`) is parsed once per language and the distinct parses OR-ed.
    fn text_query(&self, text: &str) -> Result<Box<dyn Query>> {
        let searcher = self.reader.searcher();
        let bare = text
            .split_whitespace()
            .all(|w| w.chars().all(char::is_alphanumeric) && !matches!(w, "AND" | "OR" | "NOT"));
        // A word analysed into several tokens (Chinese bigrams) is a phrase: parsed below.
        let mut candidates: Vec<Term> = Vec::new();
        let mut analyzers: Vec<_> = tokenize::LANGS
            .iter()
            .map(|l| tokenize::analyzer(*l))
            .collect();
        let bare = bare
            && text.split_whitespace().all(|word| {
                candidates.push(Term::from_field_text(
                    self.fields.brand,
                    &word.to_lowercase(),
                ));
                analyzers.iter_mut().all(|analyzer| {
                    let mut stream = analyzer.token_stream(word);
                    let mut n = 0;
                    while let Some(token) = stream.next() {
                        candidates.push(Term::from_field_text(self.fields.body, &token.text));
                        n += 1;
                    }
                    n <= 1
                })
            });
        if bare {
            let mut terms: Vec<Term> = Vec::new();
            for term in candidates {
                if !terms.contains(&term) && searcher.doc_freq(&term)? > 0 {
                    terms.push(term);
                }
            }
            let mut queries: Vec<Box<dyn Query>> = terms
                .into_iter()
                .map(|t| {
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>
                })
                .collect();
            return Ok(match queries.len() {
                0 => Box::new(tantivy::query::EmptyQuery),
                1 => queries.pop().expect("one query"),
                _ => Box::new(BooleanQuery::union(queries)),
            });
        }
        let mut distinct: Vec<(String, Box<dyn Query>)> = Vec::new();
        for (_, manager) in &self.query_managers {
            let parser = QueryParser::new(
                self.index.schema(),
                vec![self.fields.body, self.fields.brand],
                manager.clone(),
            );
            let parsed = parser
                .parse_query(text)
                .map_err(|e| StoreError::Query(format!("{e:?}")))?;
            // A phrase with a word this language's analysis never indexed finds nothing.
            if let Some(phrase) = parsed.downcast_ref::<tantivy::query::PhraseQuery>() {
                let mut absent = false;
                for term in phrase.phrase_terms() {
                    absent |= searcher.doc_freq(&term)? == 0;
                }
                if absent {
                    continue;
                }
            }
            let key = format!("{parsed:?}");
            if !distinct.iter().any(|(k, _)| *k == key) {
                distinct.push((key, parsed));
            }
        }
        let mut queries: Vec<Box<dyn Query>> = distinct.into_iter().map(|(_, q)| q).collect();
        Ok(match queries.len() {
            0 => Box::new(tantivy::query::EmptyQuery),
            1 => queries.pop().expect("one query"),
            _ => Box::new(BooleanQuery::union(queries)),
        })
    }

    /// How many documents match (before any filter decided on the store).
    pub fn count(&self, prepared: &Prepared) -> Result<usize> {
        Ok(self
            .reader
            .searcher()
            .search(&prepared.query, &tantivy::collector::Count)?)
    }

    /// Ranked hits, best first.
    pub fn search(&self, prepared: &Prepared, limit: usize) -> Result<Vec<Hit>> {
        let searcher = self.reader.searcher();
        let top = searcher.search(&prepared.query, &TopDocs::with_limit(limit.max(1)))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                hits.push(Hit {
                    id: MentionId::from_raw(id),
                    score,
                });
            }
        }
        Ok(hits)
    }

    /// A highlighted fragment of a mention for this query, around the best-matching terms.
    pub fn snippet(&self, prepared: &Prepared, mention: &Mention, max_chars: usize) -> Snippet {
        let mut generators = prepared
            .generators
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let slot = match generators.iter().position(|(l, _)| *l == mention.lang) {
            Some(i) => i,
            None => {
                // The query's body terms (every language's forms), highlighted
                // where the mention's own language analysis produces them.
                let body = self.fields.body;
                let mut terms = std::collections::BTreeMap::new();
                prepared.query.query_terms(&mut |term, _| {
                    if term.field() == body {
                        if let Some(t) = term.value().as_str() {
                            terms.insert(t.to_string(), 1.0);
                        }
                    }
                });
                let generator = (!terms.is_empty()).then(|| {
                    SnippetGenerator::new(terms, tokenize::analyzer(mention.lang), body, max_chars)
                });
                generators.push((mention.lang, generator));
                generators.len() - 1
            }
        };
        let body = body_text(mention);
        if let Some(generator) = &generators[slot].1 {
            let s = generator.snippet(&body);
            if !s.highlighted().is_empty() {
                return Snippet {
                    fragment: s.fragment().to_string(),
                    highlights: merge_ranges(s.highlighted()),
                };
            }
        }
        match_snippet(mention, max_chars)
    }
}

/// Replaces an index of an older schema by an empty one (its lock is taken later).
fn recreate(dir: &Path, schema: Schema) -> Result<Index> {
    let dir_err = |source| StoreError::Dir {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(dir_err)? {
        let path = entry.map_err(dir_err)?.path();
        // The writer lock file of another process must not vanish under it.
        if path
            .file_name()
            .is_some_and(|n| n == ".tantivy-writer.lock")
        {
            continue;
        }
        if path.is_file() {
            std::fs::remove_file(&path).map_err(dir_err)?;
        }
    }
    Ok(Index::create_in_dir(dir, schema)?)
}

/// Joins touching or overlapping highlights: Chinese bigrams 诺德 + 德利 + 利斯
/// are one highlighted word, not three.
fn merge_ranges(ranges: &[std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<std::ops::Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// What the body fields hold: title, then text.
fn body_text(m: &Mention) -> String {
    if m.title.is_empty() {
        m.text.clone()
    } else {
        format!("{}\n{}", m.title, m.text)
    }
}

/// A fragment around the first brand match, for hits found through `brand:` alone
/// (e.g. a masked spelling the text tokenizer cannot see).
pub fn match_snippet(m: &Mention, max_chars: usize) -> Snippet {
    let body = body_text(m);
    let offset = if m.title.is_empty() {
        0
    } else {
        m.title.len() + 1
    };
    let first = m.matches.first().map(|bm| match bm.field {
        crate::model::MatchField::Title => bm.start..bm.end,
        crate::model::MatchField::Text => bm.start + offset..bm.end + offset,
    });
    let Some(hit) = first.filter(|r| {
        r.end <= body.len() && body.is_char_boundary(r.start) && body.is_char_boundary(r.end)
    }) else {
        let fragment: String = body.chars().take(max_chars).collect();
        return Snippet {
            fragment,
            highlights: vec![],
        };
    };
    // Start about a third of the window before the match, on a char boundary.
    let before = max_chars / 3;
    let mut start = hit.start;
    for (n, (i, _)) in body[..hit.start].char_indices().rev().enumerate() {
        if n >= before {
            break;
        }
        start = i;
    }
    let fragment: String = body[start..].chars().take(max_chars).collect();
    let rel = hit.start - start..(hit.end - start).min(fragment.len());
    Snippet {
        fragment,
        highlights: vec![rel],
    }
}
