//! The measured store: N mentions over 30 days from the wave generator
//! (`demo::waves`), stored through `StateStore::ingest` with their sketches,
//! as the crawl stores them.
//!
//! Background comes from `WaveSpec::background_only`, in corpora of at most
//! 100,000 posts over the same 30 days, each thinned evenly to its share; one default corpus's storms, attacks and spam repeats
//! are mixed in per 50,000 mentions (about 5 % of the posts), each from its
//! own seed, on the same 30 days.

use chrono::{DateTime, Utc};
use hearsay::campaigns::sketch::wording;
use hearsay::config::BrandConfig;
use hearsay::demo::waves::{generate, Post, TruthKind, WaveSpec};
use hearsay::matcher::Matcher;
use hearsay::model::{Intent, Item, ItemKey, Labels, Sentiment, Sketch};
use hearsay::store::{Observed, SqliteStore, StateStore};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::Res;

/// Mentions per `ingest` call (one transaction each), as the crawl bench fills.
const BATCH: usize = 5_000;
/// Background posts per generated corpus (see `mentions`).
const BACKGROUND_PART: usize = 100_000;
/// Background corpora are seeded from here, apart from the wave seeds and
/// from the generator's evaluation seeds.
const BACKGROUND_SEEDS: u64 = 10_000_000;
/// One wave corpus (2 storms, 3 attacks, 2 spam repeats) per this many mentions.
const MENTIONS_PER_WAVE_SEED: usize = 50_000;

/// What filling the store took and found.
pub struct Filled {
    pub mentions: usize,
    pub wave_posts: usize,
    pub generate: Duration,
    /// `wording` (sketch and shingle set) over every mention, summed.
    pub sketch: Duration,
    pub ingest: Duration,
    pub db_bytes: u64,
}

/// A generated post and whether the classifier would call it negative.
pub struct Mention {
    pub post: Post,
    pub negative: bool,
}

/// Background posts thinned to `n` evenly over time, plus the waves of
/// `n / 50,000` seeds (at least one), sorted by time; how many are waves.
///
/// Storms and attacks are negative, spam repeats not, a quarter of the
/// background is (the classifier is not run: over a million mentions it
/// would take minutes, and detection reads only the sentiment).
pub fn mentions(seed: u64, n: usize, start: DateTime<Utc>) -> (Vec<Mention>, usize) {
    let mut out: Vec<Mention> = Vec::with_capacity(n);
    for k in 0..(n / MENTIONS_PER_WAVE_SEED).max(1) {
        let spec = WaveSpec {
            start,
            ..WaveSpec::seeded(seed + 1 + k as u64)
        };
        let corpus = generate(&spec);
        for post in corpus.posts {
            let Some(t) = post.truth else { continue };
            let negative = corpus.truth[t].kind != TruthKind::SpamRepeat;
            out.push(Mention { post, negative });
        }
    }
    let wave_posts = out.len();
    let wanted = n.saturating_sub(wave_posts);
    // In parts of at most 100,000: one corpus draws about one author name
    // per six posts, and past a few hundred thousand posts the generator's
    // name space runs dry (its search for an unused name never ends).
    // Parts are seeded apart, so names recur across them like returning voices.
    let parts = wanted.div_ceil(BACKGROUND_PART).max(1);
    for part in 0..parts {
        let share = wanted * (part + 1) / parts - wanted * part / parts;
        // 15 % over: a day's volume varies by ±15 % around per_day.
        let per_day = (share * 115 / 100).div_ceil(30).max(1);
        let spec = WaveSpec {
            start,
            ..WaveSpec::background_only(BACKGROUND_SEEDS + seed * 1000 + part as u64, per_day)
        };
        let background = generate(&spec).posts;
        let total = background.len();
        assert!(total >= share, "background {total} < {share}");
        // Keep post i when floor(i·share/total) steps: `share` posts spread evenly.
        out.extend(
            background
                .into_iter()
                .enumerate()
                .filter(|(i, _)| (i * share) / total != ((i + 1) * share) / total)
                .map(|(_, post)| Mention {
                    negative: fnv(post.id.as_bytes()) % 4 == 0,
                    post,
                }),
        );
    }
    out.sort_by(|a, b| (a.post.published, &a.post.id).cmp(&(b.post.published, &b.post.id)));
    (out, wave_posts)
}

fn labels(negative: bool) -> Labels {
    Labels {
        sentiment: if negative {
            Sentiment::Negative
        } else {
            Sentiment::Neutral
        },
        sentiment_score: if negative { -0.6 } else { 0.0 },
        intent: if negative {
            Intent::Complaint
        } else {
            Intent::Other
        },
        flags: Default::default(),
        reasons: Default::default(),
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

pub fn brand() -> BrandConfig {
    BrandConfig {
        name: "Nordlys".into(),
        aliases: vec!["Nordlys".into(), "Нордлис".into(), "诺德利斯".into()],
        ..Default::default()
    }
}

/// Generates, sketches and ingests `n` mentions into a new store at `path`.
pub fn fill(
    path: &Path,
    seed: u64,
    n: usize,
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Res<Filled> {
    let t = Instant::now();
    let (posts, wave_posts) = mentions(seed, n, start);
    let generate = t.elapsed();
    let matcher = Matcher::new(&[brand()])?;
    let store = SqliteStore::open(path)?;
    let (mut sketch, mut ingest) = (Duration::ZERO, Duration::ZERO);
    for chunk in posts.chunks(BATCH) {
        let t = Instant::now();
        let sketches: Vec<_> = chunk
            .iter()
            .map(|m| wording(&m.post.title, &m.post.text, m.post.lang))
            .collect();
        sketch += t.elapsed();
        let batch: Vec<Observed> = chunk
            .iter()
            .zip(sketches)
            .map(|(m, s)| observed(m, s, &matcher))
            .collect::<Res<_>>()?;
        let t = Instant::now();
        store.ingest(&batch, now, None)?;
        ingest += t.elapsed();
    }
    drop(store);
    let db_bytes = ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum();
    Ok(Filled {
        mentions: posts.len(),
        wave_posts,
        generate,
        sketch,
        ingest,
        db_bytes,
    })
}

fn observed(m: &Mention, wording: Option<(Sketch, Vec<u32>)>, matcher: &Matcher) -> Res<Observed> {
    let (sketch, shingles) = wording.unzip();
    let p = &m.post;
    let url = url::Url::parse(&p.permalink())?;
    Ok(Observed {
        item: Item {
            key: ItemKey::url(&url),
            url: url.to_string(),
            title: p.title.clone(),
            text: p.text.clone(),
            author: Some(p.author.clone()),
            published: Some(p.published),
        },
        source: format!("waves-{}", p.site),
        container: None,
        lang: p.lang,
        brands: vec!["Nordlys".into()],
        matches: matcher.find(&p.title, &p.text),
        labels: Some(labels(m.negative)),
        // As the crawl stores it: the repeat fingerprint of the text.
        fingerprint: hearsay::classify::repeats::fingerprint(&p.text),
        sketch,
        shingles,
    })
}
