//! Indexing and search at scale: a store filled with N generated mentions
//! through `StateStore::ingest`, Hearsay's index brought up with `catch_up`,
//! a bare tantivy index over the same texts, and query latencies of both.

use crate::corpus::{self, Rng};
use crate::words::{self, Lexicon};
use chrono::{DateTime, Duration as Days, Utc};
use hearsay::model::{BrandMatch, Item, ItemKey, Lang, MatchField};
use hearsay::store::{self, Observed, SearchIndex, SearchQuery, SqliteStore, StateStore};
use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, Schema, Value, FAST, INDEXED, STORED, STRING, TEXT,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

type Res<T> = Result<T, Box<dyn Error>>;

/// Mentions per `ingest` call (one transaction each).
const BATCH: u64 = 5_000;
/// Results asked for per query, as `hearsay search` does by default.
const LIMIT: usize = 20;
/// Same budget as Hearsay's writer (src/store/index.rs): one thread, 64 MB.
const WRITER_HEAP: usize = 64 * 1024 * 1024;

/// The bare index: the same texts, tantivy's default tokenizer, plus the two
/// fields the brand + date class filters on.
struct Bare {
    index: Index,
    reader: IndexReader,
    id: Field,
    body: Field,
    brand: Field,
    date: Field,
}

impl Bare {
    fn create(dir: &Path) -> Res<Bare> {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let body = b.add_text_field("body", TEXT);
        let brand = b.add_text_field("brand", STRING);
        let date = b.add_date_field("date", DateOptions::from(INDEXED) | FAST);
        let index = Index::create_in_dir(dir, b.build())?;
        let reader = index.reader()?;
        Ok(Bare {
            index,
            reader,
            id,
            body,
            brand,
            date,
        })
    }
}

/// What the fill and indexing steps measured.
pub struct Fill {
    pub mentions: u64,
    pub ingest_rate: f64,
    /// Bare tantivy adds + commit over the same texts (docs/s).
    pub bare_index_rate: f64,
    /// Hearsay's `catch_up` (read changes, apply, commit) (docs/s).
    pub hearsay_index_rate: f64,
    /// `changes_since` alone, the store-reading part of `catch_up` (changes/s).
    pub read_rate: f64,
    pub store_bytes: u64,
    pub index_bytes: u64,
    pub bare_bytes: u64,
    /// Peak memory of the fill (all bare inputs are held in memory).
    pub peak_mib: Option<f64>,
}

/// Latencies of one query class on each path, in microseconds (sorted).
pub struct ClassResult {
    pub class: &'static str,
    pub example: String,
    pub hearsay: Vec<u64>,
    pub full: Vec<u64>,
    pub bare: Vec<u64>,
    /// Mean hits per query (Hearsay, bare), to show both find the same things.
    pub hits: (f64, f64),
}

pub struct Searched {
    pub fill: Fill,
    pub classes: Vec<ClassResult>,
}

fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn observed(seed: u64, n: u64, now: DateTime<Utc>) -> (Observed, corpus::MentionDoc) {
    let doc = corpus::mention(seed, n);
    let section = doc.lang.ui.sections[(n % 4) as usize];
    let url = url::Url::parse(&format!("https://site{}.example/{section}/{n}", n % 997))
        .expect("a generated URL parses");
    let published = doc
        .days_ago
        .map(|d| now - Days::days(i64::from(d)) - Days::seconds((n % 86_400) as i64));
    let lang = Lang::parse(doc.lang.code).unwrap_or_default();
    let item = Item {
        key: ItemKey::url(&url),
        url: url.to_string(),
        title: doc.title.clone(),
        text: doc.text.clone(),
        author: Some(doc.author.clone()),
        published,
    };
    let matches = doc
        .matches
        .iter()
        .map(|(brand, r, form)| BrandMatch {
            brand: brand.to_string(),
            field: MatchField::Text,
            start: r.start,
            end: r.end,
            text: form.clone(),
        })
        .collect();
    let brands = doc.brands.iter().map(|b| b.to_string()).collect();
    let source = format!("bench-{}", n % 200);
    (
        Observed {
            item,
            source,
            container: None,
            lang,
            brands,
            matches,
            labels: None,
            fingerprint: None,
            sketch: None,
            shingles: None,
        },
        doc,
    )
}

/// What the bare index gets per mention, generated before its timer starts.
struct BareInput {
    id: String,
    body: String,
    brands: Vec<&'static str>,
    effective_ms: i64,
}

/// Fills the store, then times the bare index and Hearsay's `catch_up` over the same mentions.
///
/// The bare inputs are generated into memory first: tantivy indexes on its own
/// thread, so untimed work between `add_document` calls would hide its cost.
fn fill(
    seed: u64,
    mentions: u64,
    dir: &Path,
    now: DateTime<Utc>,
) -> Res<(SqliteStore, SearchIndex, Bare, Fill)> {
    let store = SqliteStore::open(&dir.join("state.sqlite"))?;
    let index = SearchIndex::open_writer(&dir.join("tantivy"))?;
    let bare_dir = dir.join("bare");
    std::fs::create_dir_all(&bare_dir)?;
    let bare = Bare::create(&bare_dir)?;
    let mut inputs = Vec::with_capacity(mentions as usize);
    let mut ingest_time = Duration::ZERO;
    let mut next = 0;
    while next < mentions {
        let end = (next + BATCH).min(mentions);
        let mut obs = Vec::with_capacity((end - next) as usize);
        for n in next..end {
            let (o, d) = observed(seed, n, now);
            inputs.push(BareInput {
                id: o.item.key.id().as_str().to_string(),
                body: if d.title.is_empty() {
                    d.text
                } else {
                    format!("{}\n{}", d.title, d.text)
                },
                brands: d.brands,
                effective_ms: hearsay::model::effective_time(o.item.published, now)
                    .timestamp_millis(),
            });
            obs.push(o);
        }
        let t = Instant::now();
        store.ingest(&obs, now, None)?;
        ingest_time += t.elapsed();
        next = end;
        if next % 200_000 == 0 {
            eprintln!("  stored {next}/{mentions}");
        }
    }
    // The store's gigabyte before the bare index is timed, and the bare
    // index's files before Hearsay's.
    crate::write_back()?;
    let t = Instant::now();
    let mut writer = bare
        .index
        .writer_with_num_threads::<TantivyDocument>(1, WRITER_HEAP)?;
    for input in &inputs {
        let mut doc = TantivyDocument::default();
        doc.add_text(bare.id, &input.id);
        doc.add_text(bare.body, &input.body);
        for b in &input.brands {
            doc.add_text(bare.brand, b);
        }
        doc.add_date(
            bare.date,
            tantivy::DateTime::from_timestamp_millis(input.effective_ms),
        );
        writer.add_document(doc)?;
    }
    writer.commit()?;
    let bare_time = t.elapsed();
    drop(writer);
    drop(inputs);
    bare.reader.reload()?;
    crate::write_back()?;
    // What reading the changes alone costs, to split catch_up's time.
    let t = Instant::now();
    let (mut seq, mut read) = (0, 0);
    loop {
        let changes = store.changes_since(seq, 5_000)?;
        let Some(last) = changes.last() else { break };
        seq = last.seq;
        read += changes.len();
    }
    let read_time = t.elapsed();
    eprintln!("  store and bare index filled; Hearsay catch_up ...");
    let t = Instant::now();
    let applied = index.catch_up(&store)?;
    let catch_up = t.elapsed();
    let fill = Fill {
        mentions,
        ingest_rate: mentions as f64 / ingest_time.as_secs_f64(),
        bare_index_rate: mentions as f64 / bare_time.as_secs_f64(),
        hearsay_index_rate: applied as f64 / catch_up.as_secs_f64(),
        read_rate: read as f64 / read_time.as_secs_f64(),
        store_bytes: dir_bytes(dir) - dir_bytes(&dir.join("tantivy")) - dir_bytes(&bare_dir),
        index_bytes: dir_bytes(&dir.join("tantivy")),
        bare_bytes: dir_bytes(&bare_dir),
        peak_mib: crate::peak_mib(None),
    };
    if applied as u64 != mentions {
        return Err(format!("catch_up applied {applied} changes for {mentions} mentions").into());
    }
    Ok((store, index, bare, fill))
}

/// One query in both forms.
struct Q {
    hearsay: SearchQuery,
    /// Query-parser text for the bare index, or None for the filter class.
    bare_text: Option<String>,
    brand: Option<(String, DateTime<Utc>, DateTime<Utc>)>,
}

/// Words of the first `n` entries of a list, at least three letters long.
fn words_of(list: &[&'static str], n: usize) -> Vec<&'static str> {
    list.iter()
        .take(n)
        .flat_map(|p| p.split_whitespace())
        .filter(|w| w.chars().count() >= 3)
        .collect()
}

fn text_query(text: String) -> Q {
    Q {
        hearsay: SearchQuery {
            text: text.clone(),
            limit: LIMIT,
            ..Default::default()
        },
        bare_text: Some(text),
        brand: None,
    }
}

/// Seeded query sets per class. Chinese is left out of the compared classes:
/// tantivy's default tokenizer cannot segment it, so a bare query finds nothing.
fn queries(seed: u64, per_class: usize, now: DateTime<Utc>) -> Vec<(&'static str, Vec<Q>)> {
    let mut rng = Rng::fork(seed, 0x0051_EA2C);
    let spaced: [&Lexicon; 3] = [&words::RU, &words::EN, &words::DA];
    let mut classes = Vec::new();
    let mut make = |class: &'static str, f: &mut dyn FnMut(&mut Rng, &Lexicon) -> Q| {
        let qs = (0..per_class)
            .map(|_| {
                let lex = spaced[rng.below(spaced.len())];
                f(&mut rng, lex)
            })
            .collect();
        classes.push((class, qs));
    };
    make("rare term", &mut |rng, lex| {
        text_query(corpus::rare_name(lex, rng.below(corpus::NAMES)))
    });
    make("common term", &mut |rng, lex| {
        text_query(rng.pick(&words_of(lex.objects, 4)).to_string())
    });
    make("AND", &mut |rng, lex| {
        let a = rng.pick(&words_of(lex.objects, 8)).to_string();
        let b = rng.pick(&words_of(lex.subjects, 8)).to_string();
        text_query(format!("{a} AND {b}"))
    });
    make("phrase", &mut |rng, lex| {
        let phrases: Vec<&str> = lex
            .objects
            .iter()
            .take(16)
            .copied()
            .filter(|o| o.contains(' '))
            .collect();
        text_query(format!("\"{}\"", rng.pick(&phrases)))
    });
    make("brand + date", &mut |rng, _| {
        let brand = if rng.chance(0.7) {
            "Nordlys"
        } else {
            "Fjordbank"
        };
        let since = now - Days::days(rng.range(30, 730) as i64);
        let until = since + Days::days(30);
        Q {
            hearsay: SearchQuery {
                filter: hearsay::store::MentionFilter {
                    brand: Some(brand.to_string()),
                    since: Some(since),
                    until: Some(until),
                    ..Default::default()
                },
                limit: LIMIT,
                ..Default::default()
            },
            bare_text: None,
            brand: Some((brand.to_string(), since, until)),
        }
    });
    classes
}

/// The bare query path: parse, top-k, load each hit's stored id (as Hearsay's `search` does).
fn bare_search(bare: &Bare, q: &Q) -> Res<usize> {
    let searcher = bare.reader.searcher();
    let query: Box<dyn Query> = match (&q.bare_text, &q.brand) {
        (Some(text), _) => {
            QueryParser::for_index(&bare.index, vec![bare.body]).parse_query(text)?
        }
        (None, Some((brand, since, until))) => {
            let day = |t: &DateTime<Utc>| {
                Term::from_field_date(
                    bare.date,
                    tantivy::DateTime::from_timestamp_millis(t.timestamp_millis()),
                )
            };
            Box::new(BooleanQuery::new(vec![
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(bare.brand, brand),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                ),
                (
                    Occur::Must,
                    Box::new(RangeQuery::new(
                        std::ops::Bound::Included(day(since)),
                        std::ops::Bound::Excluded(day(until)),
                    )),
                ),
            ]))
        }
        (None, None) => return Err("a query with neither text nor filter".into()),
    };
    let top = searcher.search(&query, &TopDocs::with_limit(LIMIT))?;
    let mut found = 0;
    for (_, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if doc.get_first(bare.id).and_then(|v| v.as_str()).is_some() {
            found += 1;
        }
    }
    Ok(found)
}

/// Measured passes per query; a query's latency is the median of its passes,
/// so one preemption by another process on a small machine is not its p99.
const PASSES: usize = 3;

/// Times `f` over every query: one unmeasured warm-up pass, then [`PASSES`] measured ones.
fn time_all(qs: &[Q], mut f: impl FnMut(&Q) -> Res<usize>) -> Res<(Vec<u64>, f64)> {
    for q in qs {
        f(q)?;
    }
    let mut runs = vec![Vec::with_capacity(PASSES); qs.len()];
    let mut hits = 0;
    for _ in 0..PASSES {
        for (q, r) in qs.iter().zip(runs.iter_mut()) {
            let t = Instant::now();
            hits += f(q)?;
            r.push(t.elapsed().as_micros() as u64);
        }
    }
    let mut lat: Vec<u64> = runs
        .into_iter()
        .map(|mut r| {
            r.sort_unstable();
            r[r.len() / 2]
        })
        .collect();
    lat.sort_unstable();
    Ok((lat, hits as f64 / (qs.len() * PASSES).max(1) as f64))
}

/// Percentile of sorted samples (nearest rank).
pub fn pct(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The whole search step: fill, index, query.
pub fn run(seed: u64, mentions: u64, per_class: usize, dir: &Path) -> Res<Searched> {
    let now = Utc::now();
    let (store, index, bare, fill) = fill(seed, mentions, dir, now)?;
    crate::reset_peak();
    let mut classes = Vec::new();
    for (class, qs) in queries(seed, per_class, now) {
        let (hearsay, h_hits) = time_all(&qs, |q| {
            let prepared = index.prepare(&q.hearsay)?;
            Ok(index.search(&prepared, q.hearsay.limit)?.len())
        })?;
        let (full, _) = time_all(
            &qs,
            |q| Ok(store::search(&index, &store, &q.hearsay)?.len()),
        )?;
        let (bare_lat, b_hits) = time_all(&qs, |q| bare_search(&bare, q))?;
        let example = match &qs[0].bare_text {
            Some(t) => t.clone(),
            None => format!(
                "--brand {} --since/--until (30 days)",
                qs[0].hearsay.filter.brand.as_deref().unwrap_or("")
            ),
        };
        classes.push(ClassResult {
            class,
            example,
            hearsay,
            full,
            bare: bare_lat,
            hits: (h_hits, b_hits),
        });
    }
    // Chinese through Hearsay only (character bigrams); no bare counterpart.
    let zh: Vec<Q> = {
        let mut rng = Rng::fork(seed, 0x2C);
        (0..per_class)
            .map(|_| text_query(rng.pick(&words::ZH.objects[..8]).to_string()))
            .collect()
    };
    let (hearsay, h_hits) = time_all(&zh, |q| {
        let prepared = index.prepare(&q.hearsay)?;
        Ok(index.search(&prepared, q.hearsay.limit)?.len())
    })?;
    let (full, _) = time_all(
        &zh,
        |q| Ok(store::search(&index, &store, &q.hearsay)?.len()),
    )?;
    classes.push(ClassResult {
        class: "Chinese term (no bare)",
        example: zh[0].hearsay.text.clone(),
        hearsay,
        full,
        bare: Vec::new(),
        hits: (h_hits, 0.0),
    });
    Ok(Searched { fill, classes })
}
