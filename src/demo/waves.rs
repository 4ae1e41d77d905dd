//! Seeded, labelled "wave" corpora for measuring campaign detection (issue 5):
//! 30 days of background chatter in four languages with a truth file naming
//! every organic storm, coordinated attack and spam repeat hidden in it.
//!
//! Why generated and not collected: detection must be scored on thousands of
//! posts whose ground truth is certain, at controlled difficulty, and the same
//! seed must give the same corpus on every machine. [`TRAIN_SEEDS`] are for
//! tuning thresholds, [`EVAL_SEEDS`] only for the numbers we report, so a
//! threshold is never fitted to the corpus it is judged on.
//!
//! What the generator promises (each checked in `waves/tests.rs`):
//! - **background**: Zipf-distributed authors who come back over the days,
//!   posts following a daily cycle in each language's local time, wording
//!   combined from phrase tables so unrelated posts rarely share word pairs
//!   (pairwise Jaccard of shingles well under 0.2);
//! - **organic storms** (the hard negative): 5–20× the median hourly volume
//!   for 6–48 h about one real incident, mostly by authors with history,
//!   each writing their own sentence (Jaccard mostly under 0.3);
//! - **attacks**: 5–60 fresh authors on fresh sites, 1–3 smear templates,
//!   in bursts; easy copies are verbatim with emoji and typos (Jaccard ≥ 0.8),
//!   medium swap synonyms, reorder sentences and slip in homoglyphs
//!   (0.5–0.8), hard ones paraphrase (0.3–0.5) over up to 24 h; some share a
//!   link, some are one-star reviews; translated copies form their own truth
//!   entry (`translated`), which scoring leaves out of the F1; attacks in one
//!   language (translated copies included) are two days apart or more, as
//!   they share the language's three smear stories;
//! - **spam repeats**: one author, one text, many sites and days.
//!
//! [`generate`] is linear in the number of posts and needs no web, so a
//! benchmark can make a million mentions in memory
//! ([`WaveSpec::background_only`] gives an exact size: `days × per_day`
//! ± 15 %; storms add a seed-dependent multiple of it).
//!
//! To crawl one end to end, serve it from one loopback server and point a
//! config at it:
//!
//! ```no_run
//! # async fn crawl() -> std::io::Result<()> {
//! use hearsay::demo::waves::{generate, serve_routes, sources_toml, WaveSpec, EVAL_SEEDS};
//! let corpus = generate(&WaveSpec::seeded(EVAL_SEEDS.start));
//! let web = hearsay::demo::web::Web::start_local().await?;
//! let base = format!("http://{}", web.addr());
//! for (path, reply) in serve_routes(&corpus, &base) {
//!     web.route(&path, reply);
//! }
//! // `[crawl] allow_private_addresses = true`, the brands, then one
//! // `[[sources]]` per site (a feed, or a review page with selectors):
//! let sources = sources_toml(&corpus, &base);
//! # let _ = sources;
//! # Ok(())
//! # }
//! ```
//!
//! The posts are dated from [`WaveSpec::start`] (fixed, in the past): a
//! crawl stores them as backlog unless the config's `backlog` reaches back
//! that far or the spec starts `days` before now.

#[cfg(test)]
mod fit;
mod phrases;
mod rng;
mod score;
mod serve;
#[cfg(test)]
mod tests;
mod text;

pub use score::{leads, score, Counts, Found, Lead, Score};
pub use serve::{serve_routes, sources_toml, truth_json};

use crate::model::Lang;
use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use phrases::{tables, Tables};
use rng::{cumulative, Rng, DAILY_CYCLE};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use text::{background_text, filled, join, smear_copy, Fill, Names};

/// Seeds for tuning detection; never used for reported figures.
pub const TRAIN_SEEDS: Range<u64> = 1..100_000;
/// Seeds the reported figures come from; disjoint from [`TRAIN_SEEDS`].
pub const EVAL_SEEDS: Range<u64> = 900_000..900_100;
const _: () = assert!(TRAIN_SEEDS.end <= EVAL_SEEDS.start, "seed ranges overlap");

/// How hard an attack's copies are to recognise as one text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// Verbatim copies with emoji and typo noise.
    Easy,
    /// Synonym swaps, sentence reordering, a few homoglyphs.
    Medium,
    /// Paraphrases from a phrase table, spread over up to 24 h.
    Hard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TruthKind {
    /// An attack: should be flagged.
    Coordinated,
    /// A real incident's storm: loud and negative, but must not be flagged.
    Organic,
    /// One author repeating one text: spam, not a campaign.
    SpamRepeat,
}

/// What to generate. Everything not given by the seed is here, so a test
/// states exactly which corpus it measures.
#[derive(Clone, Debug)]
pub struct WaveSpec {
    pub seed: u64,
    /// Midnight UTC of the first day.
    pub start: DateTime<Utc>,
    pub days: u32,
    /// Languages and their relative weights (background, storms and attacks alike).
    pub langs: Vec<(Lang, u32)>,
    pub background_per_day: usize,
    pub organic_storms: usize,
    /// One attack per entry.
    pub attacks: Vec<Difficulty>,
    pub spam_repeats: usize,
    /// Whether some attacks also spread in another language.
    pub translated_copies: bool,
}

impl Default for WaveSpec {
    fn default() -> WaveSpec {
        WaveSpec {
            seed: TRAIN_SEEDS.start,
            start: Utc
                .with_ymd_and_hms(2025, 3, 3, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            days: 30,
            langs: vec![
                (Lang::Ru, 35),
                (Lang::En, 30),
                (Lang::Zh, 20),
                (Lang::Da, 15),
            ],
            background_per_day: 100,
            organic_storms: 2,
            attacks: vec![Difficulty::Easy, Difficulty::Medium, Difficulty::Hard],
            spam_repeats: 2,
            translated_copies: true,
        }
    }
}

impl WaveSpec {
    /// The default corpus for `seed`.
    pub fn seeded(seed: u64) -> WaveSpec {
        WaveSpec {
            seed,
            ..WaveSpec::default()
        }
    }

    /// Background only, `per_day` posts a day: a benchmark's bulk with no
    /// storm whose size would depend on the seed.
    pub fn background_only(seed: u64, per_day: usize) -> WaveSpec {
        WaveSpec {
            seed,
            background_per_day: per_day,
            organic_storms: 0,
            attacks: Vec::new(),
            spam_repeats: 0,
            ..WaveSpec::default()
        }
    }

    fn end(&self) -> DateTime<Utc> {
        self.start + Span::days(i64::from(self.days))
    }
}

/// One post as a crawler would see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    /// `w<seed>-<n>`, n in time order.
    pub id: String,
    pub lang: Lang,
    /// Host name of the site it appears on (a `.example` name, never resolved).
    pub site: String,
    pub author: String,
    pub published: DateTime<Utc>,
    pub title: String,
    pub text: String,
    /// A link the post shares (also written at the end of `text`).
    pub link: Option<String>,
    /// Set on review sites.
    pub stars: Option<u8>,
    /// Index into [`Corpus::truth`]; `None` for background.
    pub truth: Option<usize>,
    /// Which smear story an attack copy tells, so similarity is measured
    /// between copies of one template, not across a campaign's templates.
    pub template: Option<u8>,
}

impl Post {
    /// The post's own address, on its site.
    pub fn permalink(&self) -> String {
        format!("https://{}/p/{}", self.site, self.id)
    }
}

/// One labelled event: the lines of the truth file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Truth {
    /// `storm-1`, `attack-2`, `attack-2-translated`, `spam-1`.
    pub id: String,
    pub kind: TruthKind,
    /// Set for attacks.
    pub difficulty: Option<Difficulty>,
    /// A translated copy of an attack: reported apart and left out of the F1.
    pub translated: bool,
    pub lang: Lang,
    pub members: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A site and how it is served.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub name: String,
    pub lang: Lang,
    /// A review page (with stars) rather than a feed.
    pub reviews: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Corpus {
    pub seed: u64,
    /// Sorted by `published`.
    pub posts: Vec<Post>,
    pub truth: Vec<Truth>,
    /// Every site a post appears on, in order of first use.
    pub sites: Vec<Site>,
}

/// Generates the corpus `spec` describes; the same spec gives the same corpus.
pub fn generate(spec: &WaveSpec) -> Corpus {
    let mut g = Gen::new(spec);
    g.background();
    let base = g.median_hourly_background();
    for n in 0..spec.organic_storms {
        g.storm(n, base);
    }
    for (n, &difficulty) in spec.attacks.iter().enumerate() {
        g.attack(n, difficulty);
    }
    for n in 0..spec.spam_repeats {
        g.spam(n);
    }
    g.finish()
}

// --------------------------------------------------------------- generator

/// A post before ids are known (they follow time order).
struct Draft {
    post: Post,
    seq: usize,
}

struct TruthDraft {
    id: String,
    kind: TruthKind,
    difficulty: Option<Difficulty>,
    translated: bool,
    lang: Lang,
}

/// One language's regulars: names by Zipf rank, and its established sites.
struct Crowd {
    names: Vec<String>,
    zipf: Vec<f64>,
    feeds: Vec<usize>,
    reviews: Vec<usize>,
    site_zipf: Vec<f64>,
}

struct Gen<'s> {
    spec: &'s WaveSpec,
    lang_weights: Vec<f64>,
    crowds: HashMap<Lang, Crowd>,
    drafts: Vec<Draft>,
    truths: Vec<TruthDraft>,
    sites: Vec<Site>,
    used_names: HashSet<String>,
    used_sites: HashSet<String>,
    /// Each background author's first post, for picking storm authors with history.
    first_post: HashMap<Lang, Vec<(DateTime<Utc>, String)>>,
    /// Languages and spans of the attacks placed so far.
    attack_slots: Vec<(Lang, DateTime<Utc>, DateTime<Utc>)>,
}

const FEED_SITES_PER_LANG: usize = 6;
/// How far apart two attacks in one language are kept (see `Gen::attack_start`).
const ATTACK_SPACING: Span = Span::days(2);
const REVIEW_SITES_PER_LANG: usize = 2;

impl<'s> Gen<'s> {
    fn new(spec: &'s WaveSpec) -> Gen<'s> {
        let mut g = Gen {
            spec,
            lang_weights: cumulative(spec.langs.iter().map(|(_, w)| f64::from(*w))),
            crowds: HashMap::new(),
            drafts: Vec::new(),
            truths: Vec::new(),
            sites: Vec::new(),
            used_names: HashSet::new(),
            used_sites: HashSet::new(),
            first_post: HashMap::new(),
            attack_slots: Vec::new(),
        };
        let total_weight = g.lang_weights.last().copied().unwrap_or(1.0).max(1.0);
        let mut rng = Rng::new(spec.seed, 1);
        for &(lang, weight) in &spec.langs {
            let expected =
                spec.background_per_day as f64 * f64::from(spec.days) * f64::from(weight)
                    / total_weight;
            // About six posts per author on average: regulars and one-off voices.
            let size = ((expected / 6.0) as usize).clamp(40, 500_000);
            let t = tables(lang);
            let names = (0..size)
                .map(|_| g.fresh_name(t, &mut rng))
                .collect::<Vec<_>>();
            let zipf = cumulative((1..=size).map(|r| 1.0 / r as f64));
            let feeds = (0..FEED_SITES_PER_LANG)
                .map(|_| g.fresh_site(t, false, &mut rng))
                .collect();
            let reviews = (0..REVIEW_SITES_PER_LANG)
                .map(|_| g.fresh_site(t, true, &mut rng))
                .collect();
            let site_zipf = cumulative(
                (1..=FEED_SITES_PER_LANG + REVIEW_SITES_PER_LANG).map(|r| 1.0 / r as f64),
            );
            g.crowds.insert(
                lang,
                Crowd {
                    names,
                    zipf,
                    feeds,
                    reviews,
                    site_zipf,
                },
            );
        }
        g
    }

    fn pick_lang(&self, rng: &mut Rng) -> Lang {
        self.spec.langs[rng.weighted(&self.lang_weights)].0
    }

    /// A name nobody in the corpus has used yet, in the language's habits.
    fn fresh_name(&mut self, t: &Tables, rng: &mut Rng) -> String {
        loop {
            let first = rng.phrase(t.first_names);
            let last = rng.phrase(t.last_names);
            let digits = rng.between(1, 9999);
            let initial: String = last.chars().take(1).collect();
            let name = match (t.lang, rng.below(5)) {
                (Lang::Zh, 0) => format!("{first}{last}"),
                (Lang::Zh, 1) => format!("{first}{digits}"),
                (Lang::Zh, 2) => format!("用户{}", rng.between(10_000, 99_999_999)),
                (Lang::Zh, _) => format!("{first}{last}{}", digits % 100),
                (_, 0) => format!("{first} {last}"),
                (_, 1) => format!("{first} {initial}."),
                (_, 2) => format!("{}{}", first.to_lowercase(), digits % 1000),
                (_, 3) => format!("{}_{}", first.to_lowercase(), initial.to_lowercase()),
                _ => format!(
                    "{}.{}{}",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    digits % 100
                ),
            };
            if self.used_names.insert(name.clone()) {
                return name;
            }
        }
    }

    /// A host name no post has appeared on yet; returns its index in `sites`.
    fn fresh_site(&mut self, t: &Tables, reviews: bool, rng: &mut Rng) -> usize {
        loop {
            let a = rng.phrase(t.site_words);
            let b = rng.phrase(t.site_words);
            let name = match (reviews, rng.below(3)) {
                (true, _) => format!("{a}{b}-reviews.example"),
                (false, 0) => format!("{a}{b}.example"),
                (false, 1) => format!("{a}-{b}.example"),
                (false, _) => format!("{a}{b}{}.example", rng.between(2, 99)),
            };
            if a != b && self.used_sites.insert(name.clone()) {
                self.sites.push(Site {
                    name,
                    lang: t.lang,
                    reviews,
                });
                return self.sites.len() - 1;
            }
        }
    }

    fn push(&mut self, post: Post) {
        let seq = self.drafts.len();
        self.drafts.push(Draft { post, seq });
    }

    fn new_truth(
        &mut self,
        id: String,
        kind: TruthKind,
        difficulty: Option<Difficulty>,
        translated: bool,
        lang: Lang,
    ) -> usize {
        self.truths.push(TruthDraft {
            id,
            kind,
            difficulty,
            translated,
            lang,
        });
        self.truths.len() - 1
    }

    /// An established site of the language: (index, is a review site).
    fn regular_site(&self, lang: Lang, rng: &mut Rng) -> (usize, bool) {
        let crowd = &self.crowds[&lang];
        let k = rng.weighted(&crowd.site_zipf);
        match crowd.feeds.get(k) {
            Some(&i) => (i, false),
            None => (crowd.reviews[k - crowd.feeds.len()], true),
        }
    }

    fn background(&mut self) {
        let mut rng = Rng::new(self.spec.seed, 2);
        let cycle = cumulative(DAILY_CYCLE);
        for day in 0..self.spec.days {
            let midnight = self.spec.start + Span::days(i64::from(day));
            // Some days are busier than others.
            let n =
                (self.spec.background_per_day as f64 * (0.85 + 0.3 * rng.unit())).round() as usize;
            for _ in 0..n {
                let lang = self.pick_lang(&mut rng);
                let t = tables(lang);
                let local_hour = rng.weighted(&cycle) as i64;
                let hour = (local_hour - t.utc_offset).rem_euclid(24);
                let published =
                    midnight + Span::hours(hour) + Span::seconds(rng.below(3600) as i64);
                let crowd = &self.crowds[&lang];
                let author = crowd.names[rng.weighted(&crowd.zipf)].clone();
                let (site, reviews) = self.regular_site(lang, &mut rng);
                let (title, text) = background_text(t, &mut rng);
                let stars = reviews.then(|| *rng.pick(&[1u8, 2, 3, 3, 4, 4, 4, 5, 5, 5]));
                self.first_post
                    .entry(lang)
                    .or_default()
                    .push((published, author.clone()));
                self.push(Post {
                    id: String::new(),
                    lang,
                    site: self.sites[site].name.clone(),
                    author,
                    published,
                    title,
                    text,
                    link: None,
                    stars,
                    truth: None,
                    template: None,
                });
            }
        }
        // Keep each author's first post only, in time order.
        for posts in self.first_post.values_mut() {
            posts.sort();
            let mut seen = HashSet::new();
            posts.retain(|(_, a)| seen.insert(a.clone()));
        }
    }

    /// The median number of background posts per hour over the whole span;
    /// a storm's volume is a multiple of it.
    fn median_hourly_background(&self) -> usize {
        let hours = self.spec.days as usize * 24;
        let mut counts = vec![0usize; hours];
        for d in &self.drafts {
            let h = (d.post.published - self.spec.start).num_hours();
            if let Some(c) = usize::try_from(h).ok().and_then(|h| counts.get_mut(h)) {
                *c += 1;
            }
        }
        counts.sort_unstable();
        counts.get(hours / 2).copied().unwrap_or(0).max(1)
    }

    fn storm(&mut self, n: usize, base: usize) {
        let mut rng = Rng::new(self.spec.seed, 100 + n as u64);
        let lang = self.pick_lang(&mut rng);
        let t = tables(lang);
        let incident = &t.incidents[rng.below(t.incidents.len())];
        let hours = rng.between(6, 48) as i64;
        let span_hours = i64::from(self.spec.days) * 24;
        let first_hour = rng.between(24, (span_hours - hours - 1).max(25) as u64) as i64;
        let start = self.spec.start + Span::hours(first_hour);
        let multiple = 5.0 + 15.0 * rng.unit();
        let truth = self.new_truth(
            format!("storm-{}", n + 1),
            TruthKind::Organic,
            None,
            false,
            lang,
        );
        let with_history = self
            .first_post
            .get(&lang)
            .map_or(0, |v| v.partition_point(|(first, _)| *first < start));
        let names = Names {
            brand: t.brand[0],
            other: t.other[0],
        };
        for h in 0..hours {
            // Never below 5× in any hour, however the jitter falls.
            let wanted = base as f64 * (multiple * (0.85 + 0.3 * rng.unit())).max(5.0);
            let count = wanted.ceil() as usize;
            for _ in 0..count {
                let published = start + Span::hours(h) + Span::seconds(rng.below(3600) as i64);
                let author = if with_history > 0 && rng.chance(0.85) {
                    self.first_post[&lang][rng.below(with_history)].1.clone()
                } else {
                    self.fresh_name(t, &mut rng)
                };
                let (site, _) = self.regular_site(lang, &mut rng);
                let mut parts = vec![
                    filled(rng.phrase(incident.reports), &names, Fill::Random, &mut rng),
                    filled(rng.phrase(incident.effects), &names, Fill::Random, &mut rng),
                    filled(
                        rng.phrase(incident.reactions),
                        &names,
                        Fill::Random,
                        &mut rng,
                    ),
                ];
                rng.shuffle(&mut parts[1..]);
                if rng.chance(0.4) {
                    let extra = rng.phrase(t.details);
                    parts.push(filled(extra, &names, Fill::Random, &mut rng));
                }
                let title = filled(rng.phrase(incident.titles), &names, Fill::Random, &mut rng);
                self.push(Post {
                    id: String::new(),
                    lang,
                    site: self.sites[site].name.clone(),
                    author,
                    published,
                    title,
                    text: join(t, &parts),
                    link: None,
                    stars: None,
                    truth: Some(truth),
                    template: None,
                });
            }
        }
    }

    fn attack(&mut self, n: usize, difficulty: Difficulty) {
        let mut rng = Rng::new(self.spec.seed, 200 + n as u64);
        let lang = self.pick_lang(&mut rng);
        let authors = rng.between(5, 60) as usize;
        let mut stories = vec![0u8, 1, 2];
        rng.shuffle(&mut stories);
        stories.truncate(rng.between(1, 3) as usize);
        let reviews = rng.chance(0.3);
        let link = rng.chance(0.5).then(|| {
            let t = tables(lang);
            format!(
                "https://{}{}.example/{}",
                rng.pick(t.site_words),
                rng.between(10, 999),
                rng.between(100_000, 999_999)
            )
        });
        let span_minutes = match difficulty {
            Difficulty::Easy | Difficulty::Medium => rng.between(10, 6 * 60),
            Difficulty::Hard => rng.between(4 * 60, 24 * 60),
        } as i64;
        // Whether it spreads in a second language, decided up front: its
        // copies there must keep apart from other attacks in that language too.
        let translated = (self.spec.translated_copies && rng.chance(0.5))
            .then(|| {
                let others: Vec<Lang> = self
                    .spec
                    .langs
                    .iter()
                    .map(|(l, _)| *l)
                    .filter(|&l| l != lang)
                    .collect();
                (!others.is_empty()).then(|| *rng.pick(&others))
            })
            .flatten();
        let langs: Vec<Lang> = std::iter::once(lang).chain(translated).collect();
        let start = self.attack_start(&langs, span_minutes, &mut rng);
        let plan = Attack {
            difficulty,
            stories,
            reviews,
            link,
            start,
            span_minutes,
        };
        let truth = self.new_truth(
            format!("attack-{}", n + 1),
            TruthKind::Coordinated,
            Some(difficulty),
            false,
            lang,
        );
        self.attack_copies(&plan, lang, authors, truth, &mut rng);
        if let Some(other) = translated {
            let truth = self.new_truth(
                format!("attack-{}-translated", n + 1),
                TruthKind::Coordinated,
                Some(difficulty),
                true,
                other,
            );
            let copies = (authors / 3).max(3);
            self.attack_copies(&plan, other, copies, truth, &mut rng);
        }
    }

    /// When an attack in `langs` starts: anywhere from the third day to two
    /// days before the end, but never within [`ATTACK_SPACING`] of another
    /// attack in one of its languages. A language has three smear stories,
    /// shared by all its attacks; two crowds telling the same story in one
    /// language on the same day are one campaign to any reader, so a truth
    /// file calling them two would ask for the impossible.
    fn attack_start(&mut self, langs: &[Lang], span_minutes: i64, rng: &mut Rng) -> DateTime<Utc> {
        let days = i64::from(self.spec.days);
        let draw = |rng: &mut Rng| {
            self.spec.start
                + Span::minutes(
                    rng.between(2 * 24 * 60, ((days - 2) * 24 * 60).max(2 * 24 * 60) as u64) as i64,
                )
        };
        let clashes = |start: DateTime<Utc>| {
            let end = start + Span::minutes(span_minutes);
            self.attack_slots.iter().any(|(l, s, e)| {
                langs.contains(l) && start < *e + ATTACK_SPACING && *s < end + ATTACK_SPACING
            })
        };
        // A few hundred draws find a free slot in any month a spec can
        // describe; a crowded one keeps the last draw rather than looping.
        let mut start = draw(rng);
        for _ in 0..300 {
            if !clashes(start) {
                break;
            }
            start = draw(rng);
        }
        let end = start + Span::minutes(span_minutes);
        for &l in langs {
            self.attack_slots.push((l, start, end));
        }
        start
    }

    /// `authors` fresh accounts, each posting one copy on a fresh site.
    fn attack_copies(
        &mut self,
        plan: &Attack,
        lang: Lang,
        authors: usize,
        truth: usize,
        rng: &mut Rng,
    ) {
        let t = tables(lang);
        let names = Names {
            brand: rng.phrase(t.brand),
            other: t.other[0],
        };
        // Several accounts per throwaway site, as a campaign's blogs go.
        let site_count = (authors * (2 + rng.below(3)) / 4).max(1);
        let sites: Vec<usize> = (0..site_count)
            .map(|_| self.fresh_site(t, plan.reviews, rng))
            .collect();
        // Bursts: a few moments inside the span where most copies land.
        let bursts = rng.between(1, 3) as usize;
        let centres: Vec<i64> = (0..bursts)
            .map(|_| rng.below(plan.span_minutes as usize + 1) as i64)
            .collect();
        let burst_width = match plan.difficulty {
            Difficulty::Hard => (plan.span_minutes / 4).max(30),
            _ => (plan.span_minutes / 6).clamp(5, 60),
        };
        for i in 0..authors {
            let author = self.fresh_name(t, rng);
            let site = sites[i % sites.len()];
            let story = plan.stories[i % plan.stories.len()];
            let centre = centres[rng.below(centres.len())];
            let offset = (centre + rng.below(burst_width as usize) as i64).min(plan.span_minutes);
            let published =
                plan.start + Span::minutes(offset) + Span::seconds(rng.below(60) as i64);
            let (title, mut text) = smear_copy(t, story, plan.difficulty, &names, rng);
            if let Some(link) = &plan.link {
                text.push(' ');
                text.push_str(link);
            }
            self.push(Post {
                id: String::new(),
                lang,
                site: self.sites[site].name.clone(),
                author,
                published,
                title,
                text,
                link: plan.link.clone(),
                stars: plan.reviews.then_some(1),
                truth: Some(truth),
                template: Some(story),
            });
        }
    }

    fn spam(&mut self, n: usize) {
        let mut rng = Rng::new(self.spec.seed, 300 + n as u64);
        let lang = self.pick_lang(&mut rng);
        let t = tables(lang);
        let names = Names {
            brand: t.brand[0],
            other: t.other[0],
        };
        let author = self.fresh_name(t, &mut rng);
        let text = filled(rng.phrase(t.spam), &names, Fill::Random, &mut rng);
        let link = format!(
            "https://{}-{}.example/?ref={}",
            rng.pick(t.site_words),
            rng.pick(t.site_words),
            rng.between(1000, 9999)
        );
        let text = format!("{text} {link}");
        let truth = self.new_truth(
            format!("spam-{}", n + 1),
            TruthKind::SpamRepeat,
            None,
            false,
            lang,
        );
        let copies = rng.between(6, 25);
        let minutes = u64::from(self.spec.days.saturating_sub(1)) * 24 * 60;
        for _ in 0..copies {
            let published =
                self.spec.start + Span::days(1) + Span::minutes(rng.below(minutes as usize) as i64);
            let (site, reviews) = self.regular_site(lang, &mut rng);
            self.push(Post {
                id: String::new(),
                lang,
                site: self.sites[site].name.clone(),
                author: author.clone(),
                published,
                title: String::new(),
                text: text.clone(),
                link: Some(link.clone()),
                stars: reviews.then_some(5),
                truth: Some(truth),
                template: None,
            });
        }
    }

    fn finish(mut self) -> Corpus {
        self.drafts.sort_by(|a, b| {
            a.post
                .published
                .cmp(&b.post.published)
                .then(a.seq.cmp(&b.seq))
        });
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); self.truths.len()];
        let posts: Vec<Post> = self
            .drafts
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                let mut post = d.post;
                post.id = format!("w{}-{i:07}", self.spec.seed);
                if let Some(t) = post.truth {
                    members[t].push(i);
                }
                post
            })
            .collect();
        let truth = self
            .truths
            .into_iter()
            .zip(members)
            .map(|(t, m)| Truth {
                id: t.id,
                kind: t.kind,
                difficulty: t.difficulty,
                translated: t.translated,
                lang: t.lang,
                start: m.first().map_or(self.spec.start, |&i| posts[i].published),
                end: m.last().map_or(self.spec.start, |&i| posts[i].published),
                members: m.iter().map(|&i| posts[i].id.clone()).collect(),
            })
            .collect();
        let used: HashSet<&str> = posts.iter().map(|p| p.site.as_str()).collect();
        let sites = self
            .sites
            .into_iter()
            .filter(|s| used.contains(s.name.as_str()))
            .collect();
        debug_assert!(posts.iter().all(|p| p.published < self.spec.end()));
        Corpus {
            seed: self.spec.seed,
            posts,
            truth,
            sites,
        }
    }
}

struct Attack {
    difficulty: Difficulty,
    stories: Vec<u8>,
    reviews: bool,
    link: Option<String>,
    start: DateTime<Utc>,
    span_minutes: i64,
}
