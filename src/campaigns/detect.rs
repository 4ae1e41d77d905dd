//! From stored mentions to campaigns: groups of near-identical mentions
//! ([`cluster`](super::cluster)), each scored from several signals and given
//! a kind. No single signal decides: an attack is many *fresh* authors and
//! sites repeating one *negative* story in a *compact* burst, often with a
//! shared link or a masked brand name; the same story shared by people with
//! a history of posting is organic; one author repeating himself is spam.
//!
//! The signals are the playbook's and the issue's; their weights and the
//! threshold are fitted ([`FITTED`]) on training seeds of the wave
//! generator (`demo::waves`), never its evaluation seeds.

use super::cluster;
use super::sketch::{compact, jaccard, shingles, SketchExt};
use crate::model::{Campaign, CampaignKind, Lang, Signal};
use crate::store::{StateStore, StoreError, WaveSketches};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap, HashSet};

pub use crate::store::WaveItem;

/// Detection settings.
#[derive(Clone, Debug)]
pub struct Params {
    /// Posts further apart than this are never linked directly. Hours, not
    /// seconds: feeds and blogs are read every few minutes to hours, and a
    /// post's time may only be when it was first seen.
    pub window: Duration,
    /// Exact Jaccard of the shingles at which two texts are the same story
    /// (0.8 and above is copy-paste, 0.5 to 0.8 reworded).
    pub min_jaccard: f64,
    /// Fewer members than this are not a campaign.
    pub min_members: usize,
    /// Each signal's weight in the score, in the order of [`SIGNALS`].
    pub weights: [f64; SIGNALS.len()],
    /// Score from which a negative group of mostly fresh voices is an attack.
    pub coordinated_score: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            window: Duration::hours(24),
            min_jaccard: 0.5,
            min_members: 3,
            weights: FITTED.weights,
            coordinated_score: FITTED.threshold,
        }
    }
}

/// The signals a group is scored on, each a value in [0, 1].
pub const SIGNALS: [&str; 9] = [
    "voices",
    "fresh_voices",
    "fresh_sites",
    "negativity",
    "compactness",
    "similarity",
    "shared_links",
    "masking",
    "cross_language",
];

/// Weights and threshold fitted on training seeds of the wave generator
/// (`demo::waves::fit`, never evaluation seeds): a logistic regression of
/// "this group is an attack's" on the signals of the groups detection
/// forms, weights kept non-negative, so the score stays a weighted mean in
/// [0, 1] and the threshold is where the regression says even odds.
pub struct Fitted {
    pub weights: [f64; SIGNALS.len()],
    pub threshold: f64,
}

/// `WAVE_SEEDS=1..101 cargo test --release --lib waves::fit -- --ignored --nocapture`
/// (1011 groups, 834 of them attacks'; BENCHMARKS.md has the run). No weight
/// is over a quarter of the total, and attacks were also fitted as if on
/// sites long known (the generator's come from new sites only), so an
/// attack in a known forum's comments is still one. Translated copies get
/// no weight of their own (`cross_language` came out 0): a group is one
/// language's until attacks merge.
pub const FITTED: Fitted = Fitted {
    weights: [2.02, 2.02, 1.37, 0.47, 2.19, 0.23, 1.52, 0.19, 0.0],
    threshold: 0.521,
};

/// Campaigns among `items` (sorted by time or not), strongest first.
pub fn detect(items: &[WaveItem], params: &Params) -> Vec<Campaign> {
    let wave = WaveSketches::from_items(items);
    let Ok(found) = detect_in(&wave, InMemory(items), params);
    found
}

/// Mentions already read in full: shingled from their text when asked.
struct InMemory<'i>(&'i [WaveItem]);

impl Wording for InMemory<'_> {
    type Error = std::convert::Infallible;
    fn shingles(&mut self, keys: &[i64]) -> Result<Vec<Option<Vec<u32>>>, Self::Error> {
        Ok(vec![None; keys.len()])
    }
    fn items(&mut self, keys: &[i64]) -> Result<Vec<WaveItem>, Self::Error> {
        Ok(keys.iter().map(|&k| self.0[k as usize].clone()).collect())
    }
}

/// Campaigns among the stored mentions since `since`, strongest first:
/// what runs after each crawl. Candidates come from the sketches alone
/// ([`StateStore::wave_sketches`]); texts are read only for the mentions a
/// candidate pair or a group needs.
pub fn detect_stored(
    store: &dyn StateStore,
    since: DateTime<Utc>,
    params: &Params,
) -> Result<Vec<Campaign>, StoreError> {
    let clock = std::time::Instant::now();
    let wave = store.wave_sketches(since)?;
    tracing::debug!(
        mentions = wave.len(),
        seconds = clock.elapsed().as_secs_f64(),
        "campaigns: window read"
    );
    detect_in(&wave, StoredWording(store), params)
}

/// Where detection reads what the columns leave out: stored shingle sets
/// for candidate pairs, whole mentions for groups.
pub trait Wording {
    type Error;
    /// Shingle sets by key, `None` where none is stored.
    fn shingles(&mut self, keys: &[i64]) -> Result<Vec<Option<Vec<u32>>>, Self::Error>;
    /// Whole mentions by key.
    fn items(&mut self, keys: &[i64]) -> Result<Vec<WaveItem>, Self::Error>;
}

struct StoredWording<'s>(&'s dyn StateStore);

impl Wording for StoredWording<'_> {
    type Error = StoreError;
    fn shingles(&mut self, keys: &[i64]) -> Result<Vec<Option<Vec<u32>>>, StoreError> {
        self.0.shingles_by_keys(keys)
    }
    fn items(&mut self, keys: &[i64]) -> Result<Vec<WaveItem>, StoreError> {
        self.0.wave_items_by_keys(keys)
    }
}

/// Detection over the columns of a window; `load` reads mentions in full by key.
fn detect_in<W: Wording>(
    wave: &WaveSketches,
    load: W,
    params: &Params,
) -> Result<Vec<Campaign>, W::Error> {
    let clock = std::time::Instant::now();
    let history = History::of(wave);
    let newcomer = |i: usize| wave.negative[i] && history.newcomer(wave, i);
    let mut full = FullItems {
        keys: &wave.keys,
        load,
        sets: HashMap::new(),
        error: None,
    };
    // One voice repeating one text is spam, whatever else it joins: found
    // first, by the classifier's fingerprint, and kept out of the rest.
    let repeats = repeats_by_voice(wave, params.min_members);
    let mut in_repeat = vec![false; wave.len()];
    for &i in repeats.iter().flatten() {
        in_repeat[i] = true;
    }
    // A paraphrase shares less wording: between two negative first posts
    // of new voices on new sites, less is enough.
    let same = |a: usize, b: usize, j: f64| {
        j >= params.min_jaccard || (j >= LOW_JACCARD && [a, b].iter().all(|&i| newcomer(i)))
    };
    // Stored sets are in the columns already, decided on any core; older
    // items are read and shingled, on this thread.
    let quick = |a: usize, b: usize| {
        if in_repeat[a] || in_repeat[b] {
            return Some(false);
        }
        let (x, y) = (wave.stored_shingles(a)?, wave.stored_shingles(b)?);
        Some(same(a, b, jaccard(x, y)))
    };
    let slow = |a: usize, b: usize| {
        full.shingle(&[a, b]) && same(a, b, jaccard(&full.sets[&a], &full.sets[&b]))
    };
    // Banding finds pairs sharing half their wording or more; a paraphrase
    // shares a third, so newcomers (few: a new voice's first, negative post
    // on a site new this day) are also compared with each other directly.
    let mut fresh: Vec<usize> = (0..wave.len())
        .filter(|&i| !in_repeat[i] && newcomer(i))
        .collect();
    fresh.sort_by_key(|&i| (wave.at[i], i));
    let pairs = recent_pairs(&fresh, |i| wave.at[i], params.window);
    let mut groups = cluster::groups(
        cluster::Mentions {
            n: wave.len(),
            at: |i: usize| wave.at[i],
            band: |i: usize, b: usize| wave.band(i, b),
            // Two posts that are not angry are no wave of anger: at a
            // million mentions, half the chance pairs of everyday posts.
            seed: |i: usize| wave.negative[i] && !in_repeat[i],
        },
        params.window,
        &pairs,
        quick,
        slow,
    );
    let formed = groups.len();
    // Several voices; fewer than `min_members` only as a fragment of an
    // attack (all newcomers), which may join its other stories below. And
    // mostly negative: a wave is anger, organic or bought; like-worded
    // posts that are not (at a million mentions, thousands of chance
    // pairs of everyday posts) are neither, and are not read further.
    groups.retain(|g| {
        let voices = g.iter().map(|&i| wave.voice[i]).collect::<HashSet<_>>();
        let negative = g.iter().filter(|&&i| wave.negative[i]).count();
        voices.len() > 1
            && negative * 2 >= g.len()
            && (g.len() >= params.min_members || g.iter().all(|&i| newcomer(i)))
    });
    tracing::debug!(
        formed,
        kept = groups.len(),
        repeats = repeats.len(),
        seconds = clock.elapsed().as_secs_f64(),
        "campaigns: groups formed"
    );
    groups.extend(repeats);
    if let Some(e) = full.error {
        return Err(e);
    }
    let mut members: Vec<usize> = groups.iter().flatten().copied().collect();
    members.sort_unstable();
    members.dedup();
    let read = full
        .load
        .items(&members.iter().map(|&i| wave.keys[i]).collect::<Vec<_>>())?;
    let items: &HashMap<usize, WaveItem> = &members.into_iter().zip(read).collect();
    tracing::debug!(
        read = items.len(),
        seconds = clock.elapsed().as_secs_f64(),
        "campaigns: members read"
    );
    // Scored on all cores: at a million mentions there are thousands of groups.
    let history = &history;
    let campaigns = super::on_all_cores(&groups, |g| campaign(wave, items, g, history, params));
    let scored: Vec<(Vec<usize>, Campaign)> = groups.into_iter().zip(campaigns).collect();
    let mut out = merge_simultaneous_attacks(wave, items, scored, history, params);
    out.retain(|c| c.members.len() >= params.min_members);
    tracing::debug!(
        campaigns = out.len(),
        seconds = clock.elapsed().as_secs_f64(),
        "campaigns: scored"
    );
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.first_seen.cmp(&b.first_seen))
    });
    Ok(out)
}

/// The shingles of the title and text of the mentions candidate pairs
/// needed so far (by index into the window): only these texts are read.
/// Whole items are not kept: at a million mentions most ends of candidate
/// pairs are background posts no group keeps.
struct FullItems<'w, W: Wording> {
    keys: &'w [i64],
    load: W,
    sets: HashMap<usize, Vec<u32>>,
    /// The first failed read; detection stops at its next step.
    error: Option<W::Error>,
}

impl<W: Wording> FullItems<'_, W> {
    /// Shingles those of `wanted` not done yet, read in one call; false once a read failed.
    fn shingle(&mut self, wanted: &[usize]) -> bool {
        if self.error.is_some() {
            return false;
        }
        let mut missing: Vec<usize> = wanted
            .iter()
            .copied()
            .filter(|i| !self.sets.contains_key(i))
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return true;
        }
        let keys: Vec<i64> = missing.iter().map(|&i| self.keys[i]).collect();
        let read = self.load.shingles(&keys).and_then(|sets| {
            // Items stored before shingles were kept: from their text.
            let old: Vec<usize> = (0..sets.len()).filter(|&k| sets[k].is_none()).collect();
            let texts = if old.is_empty() {
                Vec::new()
            } else {
                self.load
                    .items(&old.iter().map(|&k| keys[k]).collect::<Vec<_>>())?
            };
            let mut texts = old.into_iter().zip(texts).collect::<HashMap<_, _>>();
            Ok(sets
                .into_iter()
                .enumerate()
                .map(|(k, set)| {
                    set.unwrap_or_else(|| {
                        let it = texts.remove(&k).expect("read above");
                        compact(&shingles(&format!("{}\n{}", it.title, it.text), it.lang))
                    })
                })
                .collect::<Vec<_>>())
        });
        match read {
            Ok(sets) => {
                for (i, set) in missing.into_iter().zip(sets) {
                    self.sets.insert(i, set);
                }
                true
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }
}

/// One voice posting one text again and again (spam under many posts),
/// however far apart: the same voice and the same repeat fingerprint
/// (`classify::repeats`, which also flags the repeats as spam), so the spam
/// flag and the `spam_repeat` kind never disagree.
fn repeats_by_voice(wave: &WaveSketches, min_members: usize) -> Vec<Vec<usize>> {
    // Texts seen `min_members` times first, from the fingerprints alone
    // (one sort of plain integers, read front to back); only their posts
    // are then sorted by voice. Sorting every post by (voice, text) read
    // both columns at random, a tenth of detection at a million mentions.
    let mut prints: Vec<u64> = wave.print.iter().copied().filter(|&p| p != 0).collect();
    prints.sort_unstable();
    let repeated: foldhash::HashSet<u64> = prints
        .chunk_by(|a, b| a == b)
        .filter(|run| run.len() >= min_members)
        .map(|run| run[0])
        .collect();
    drop(prints);
    // One sorted array rather than a map of a vector per (voice, text).
    let mut posts: Vec<usize> = (0..wave.len())
        .filter(|&i| wave.print[i] != 0 && repeated.contains(&wave.print[i]))
        .collect();
    posts.sort_unstable_by_key(|&i| (wave.voice[i], wave.print[i], i));
    posts
        .chunk_by(|&a, &b| wave.voice[a] == wave.voice[b] && wave.print[a] == wave.print[b])
        .filter(|run| run.len() >= min_members)
        .map(<[usize]>::to_vec)
        .collect()
}

/// Every pair of `sorted` (indices in time order) at most `window` apart,
/// each compared with at most [`MAX_NEWCOMER_LINKS`] earlier ones.
fn recent_pairs(
    sorted: &[usize],
    at: impl Fn(usize) -> DateTime<Utc>,
    window: Duration,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (k, &b) in sorted.iter().enumerate() {
        for &a in sorted[..k].iter().rev().take(MAX_NEWCOMER_LINKS) {
            if at(b) - at(a) > window {
                break;
            }
            out.push((a, b));
        }
    }
    out
}

/// Earlier newcomers each newcomer is compared with: an attack's crowd in
/// one window, with room to spare.
const MAX_NEWCOMER_LINKS: usize = 200;

/// An attack tells one to three stories at once, each its own group of
/// near-copies: coordinated groups whose bursts overlap in time are one
/// campaign (and are scored again together).
fn merge_simultaneous_attacks(
    wave: &WaveSketches,
    items: &HashMap<usize, WaveItem>,
    scored: Vec<(Vec<usize>, Campaign)>,
    history: &History,
    params: &Params,
) -> Vec<Campaign> {
    // Joinable: attacks, and groups of only fresh voices (an attack's story
    // the classifier did not read as negative still came with it).
    let fresh = |c: &Campaign| {
        c.kind != CampaignKind::SpamRepeat
            && c.signals
                .get("fresh_voices")
                .is_some_and(|s| s.value >= 0.8)
    };
    let (mut joinable, mut out): (Vec<_>, Vec<_>) = scored
        .into_iter()
        .partition(|(_, c)| c.kind == CampaignKind::Coordinated || fresh(c));
    // Translated copies stay a campaign of their own (the analyst answers
    // them in their language): only groups of one language join.
    let lang_of = |g: &[usize]| {
        let mut counts: HashMap<Lang, usize> = HashMap::new();
        for &i in g {
            *counts.entry(wave.lang[i]).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|(l, n)| (*n, l.as_str()))
            .map(|(l, _)| l)
    };
    joinable.sort_by_key(|(g, c)| (lang_of(g).map(Lang::as_str), c.first_seen));
    // Runs of groups overlapping in time; a run without an attack is left as it was.
    let mut runs: Vec<(Vec<Scored>, DateTime<Utc>)> = Vec::new();
    for (g, c) in joinable {
        let same_lang =
            |run: &[Scored]| run.first().is_some_and(|(r, _)| lang_of(r) == lang_of(&g));
        match runs.last_mut() {
            Some((run, end)) if same_lang(run) && c.first_seen <= *end + MERGE_SLACK => {
                *end = (*end).max(c.last_seen);
                run.push((g, c));
            }
            _ => {
                let end = c.last_seen;
                runs.push((vec![(g, c)], end));
            }
        }
    }
    let mut merged: Vec<(Vec<usize>, DateTime<Utc>)> = Vec::new();
    for (run, end) in runs {
        if run.iter().any(|(_, c)| c.kind == CampaignKind::Coordinated) {
            merged.push((run.into_iter().flat_map(|(g, _)| g).collect(), end));
        } else {
            out.extend(run);
        }
    }
    out.extend(merged.into_iter().map(|(mut g, _)| {
        g.sort_unstable();
        g.dedup();
        let c = campaign(wave, items, &g, history, params);
        (g, c)
    }));
    out.into_iter().map(|(_, c)| c).collect()
}

/// A group's members and its campaign as scored alone.
type Scored = (Vec<usize>, Campaign);

/// How close two attack bursts must be to count as one campaign.
const MERGE_SLACK: Duration = Duration::hours(2);

/// Jaccard enough between two newcomers' posts (see `detect`).
const LOW_JACCARD: f64 = 0.2;

/// What the window tells of each voice's and site's past. A voice or site
/// first seen in the window's first [`BURN_IN`] may well have posted
/// before it: its history is unknown, so it never counts as fresh (else the
/// regulars of an incident on the window's second day would look like an
/// attack's new accounts).
struct History {
    /// When each voice, and each site, first appears, by interned number.
    first_post: Vec<DateTime<Utc>>,
    first_on_site: Vec<DateTime<Utc>>,
    /// The end of the burn-in: first appearances from here on are real.
    known_from: DateTime<Utc>,
}

/// How much of the window it takes before a first appearance means "new".
const BURN_IN: Duration = Duration::hours(48);

impl History {
    fn of(wave: &WaveSketches) -> History {
        let origin = wave.at.iter().min().copied().unwrap_or_default();
        History {
            first_post: first_seen(&wave.voice, wave.voices.len(), &wave.at),
            first_on_site: first_seen(&wave.site, wave.sites.len(), &wave.at),
            known_from: origin + BURN_IN,
        }
    }

    /// The voice has no post in the window before `since`, and its first is
    /// past the burn-in.
    fn fresh_voice(&self, voice: u32, since: DateTime<Utc>) -> bool {
        let first = self.first_post[voice as usize];
        first >= since && first >= self.known_from
    }

    /// Mention `i` is on a site first seen at most a day before it.
    fn new_site(&self, wave: &WaveSketches, i: usize) -> bool {
        let first = self.first_on_site[wave.site[i] as usize];
        first >= wave.at[i] - Duration::hours(24) && first >= self.known_from
    }

    /// Mention `i` is its voice's first post, on a new site: a throwaway
    /// account on a throwaway site.
    fn newcomer(&self, wave: &WaveSketches, i: usize) -> bool {
        self.fresh_voice(wave.voice[i], wave.at[i]) && self.new_site(wave, i)
    }
}

/// When each voice (or site) first appears in the window, by its interned number.
fn first_seen(of: &[u32], count: usize, at: &[DateTime<Utc>]) -> Vec<DateTime<Utc>> {
    let mut first = vec![DateTime::<Utc>::MAX_UTC; count];
    for (&k, &t) in of.iter().zip(at) {
        let slot = &mut first[k as usize];
        *slot = (*slot).min(t);
    }
    first
}

/// Scores a group; its members must be in `items` (read in full).
fn campaign(
    wave: &WaveSketches,
    items: &HashMap<usize, WaveItem>,
    group: &[usize],
    history: &History,
    params: &Params,
) -> Campaign {
    let mut members: Vec<&WaveItem> = group.iter().map(|i| &items[i]).collect();
    members.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    let n = members.len() as f64;
    let start = members[0].at;
    let end = members[members.len() - 1].at;
    let voices: HashSet<u32> = group.iter().map(|&i| wave.voice[i]).collect();
    // Fresh: the voice's first post (within what detection loaded) is in this wave.
    let fresh = voices
        .iter()
        .filter(|&&v| history.fresh_voice(v, start - Duration::hours(1)))
        .count();
    let langs: HashSet<Lang> = members.iter().map(|m| m.lang).collect();
    let medoid = members[0].sketch;
    let similarity = members
        .iter()
        .map(|m| m.sketch.similarity(&medoid))
        .sum::<f64>()
        / n;
    let span = (end - start).num_seconds() as f64;
    let share = |f: &dyn Fn(&WaveItem) -> bool| members.iter().filter(|m| f(m)).count() as f64 / n;
    let links: Vec<HashSet<String>> = members.iter().map(|m| links_of(&m.text)).collect();
    let mut link_count: HashMap<&str, usize> = HashMap::new();
    for set in &links {
        for l in set {
            *link_count.entry(l.as_str()).or_default() += 1;
        }
    }
    let shared_links = links
        .iter()
        .filter(|set| set.iter().any(|l| link_count[l.as_str()] > 1))
        .count() as f64
        / n;

    let values: BTreeMap<&str, f64> = [
        (
            "voices",
            ((voices.len() as f64 - 1.0) / 9.0).clamp(0.0, 1.0),
        ),
        ("fresh_voices", fresh as f64 / voices.len() as f64),
        (
            "fresh_sites",
            group.iter().filter(|&&i| history.new_site(wave, i)).count() as f64 / n,
        ),
        ("negativity", share(&|m| m.negative)),
        (
            "compactness",
            (1.0 - span / params.window.num_seconds().max(1) as f64).clamp(0.0, 1.0),
        ),
        ("similarity", similarity),
        ("shared_links", shared_links),
        (
            "masking",
            share(&|m| m.matches.iter().any(|b| is_masked(&b.text))),
        ),
        ("cross_language", if langs.len() > 1 { 1.0 } else { 0.0 }),
    ]
    .into();
    let signals: BTreeMap<String, Signal> = SIGNALS
        .iter()
        .zip(params.weights)
        .map(|(name, weight)| {
            let value = values.get(name).copied().unwrap_or(0.0);
            (name.to_string(), Signal { value, weight })
        })
        .collect();
    let total: f64 = params.weights.iter().sum::<f64>().max(f64::EPSILON);
    let score = signals.values().map(|s| s.value * s.weight).sum::<f64>() / total;
    let kind = if voices.len() == 1 {
        CampaignKind::SpamRepeat
    } else if score >= params.coordinated_score
        && values["fresh_voices"] >= 0.5
        && values["negativity"] >= 0.5
    {
        CampaignKind::Coordinated
    } else {
        CampaignKind::Organic
    };
    Campaign {
        id: String::new(),
        kind,
        score,
        members: members.iter().map(|m| m.id.clone()).collect(),
        first_seen: start,
        last_seen: end,
        signals,
        summary: summary_of(&members),
        phrases: shared_phrases(&members),
    }
}

/// Links and hashtags a post carries, lowercased.
fn links_of(text: &str) -> HashSet<String> {
    text.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, '.' | ',' | ')' | '(' | '!' | '?' | '"' | '\''))
        })
        .filter(|w| {
            let l = w.to_ascii_lowercase();
            l.starts_with("http://")
                || l.starts_with("https://")
                || l.starts_with("www.")
                || (w.starts_with('#') && w.len() > 2)
        })
        .map(str::to_lowercase)
        .collect()
}

/// A brand name spelled to slip past filters: digits, symbols or mixed
/// scripts inside it ("N0rdlys", "N.o.r.d.l.y.s", Latin with a Cyrillic о).
fn is_masked(surface: &str) -> bool {
    let letters: Vec<char> = surface.chars().filter(|c| c.is_alphabetic()).collect();
    let latin = letters.iter().any(|c| c.is_ascii_alphabetic());
    let cyrillic = letters.iter().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'));
    let inner_symbols = surface.chars().any(|c| {
        c.is_ascii_digit()
            || !(c.is_alphabetic() || c.is_whitespace() || matches!(c, '\'' | '’' | '-'))
    });
    (latin && cyrillic) || inner_symbols
}

/// The member text closest to the others (compared with at most 50 of
/// them, so a huge wave stays cheap), trimmed.
fn summary_of(members: &[&WaveItem]) -> String {
    let sample: Vec<&&WaveItem> = members
        .iter()
        .step_by(members.len().div_ceil(50).max(1))
        .collect();
    let best = sample
        .iter()
        .max_by(|a, b| {
            let score = |x: &WaveItem| {
                sample
                    .iter()
                    .map(|m| m.sketch.similarity(&x.sketch))
                    .sum::<f64>()
            };
            score(a).total_cmp(&score(b))
        })
        .map(|m| {
            if m.text.trim().is_empty() {
                &m.title
            } else {
                &m.text
            }
        });
    best.map(|t| t.chars().take(280).collect())
        .unwrap_or_default()
}

/// The longest runs of wording at least half the members share (three-word
/// pieces joined where they overlap), read off the first member; links left out.
fn shared_phrases(members: &[&WaveItem]) -> Vec<String> {
    let words_of = |text: &str| -> Vec<String> {
        let plain: Vec<&str> = text
            .split_whitespace()
            .filter(|w| {
                let l = w.to_ascii_lowercase();
                !(l.starts_with("http") || l.starts_with("www."))
            })
            .collect();
        crate::matcher::normalize_text(&plain.join(" "))
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut counts: HashMap<Vec<String>, usize> = HashMap::new();
    for m in members {
        let words = words_of(&m.text);
        let distinct: HashSet<&[String]> = words.windows(3).collect();
        for w in distinct {
            *counts.entry(w.to_vec()).or_default() += 1;
        }
    }
    let half = members.len().div_ceil(2).max(2);
    let first = words_of(&members[0].text);
    let mut covered = vec![false; first.len()];
    for (i, w) in first.windows(3).enumerate() {
        if counts.get(w).is_some_and(|n| *n >= half) {
            covered[i..i + 3].iter_mut().for_each(|c| *c = true);
        }
    }
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < first.len() {
        if !covered[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i < first.len() && covered[i] {
            i += 1;
        }
        runs.push(first[start..i].join(" "));
    }
    runs.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    runs.truncate(5);
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaigns::sketch::minhash;
    use crate::model::{BrandMatch, MentionId};

    fn item(
        i: usize,
        author: &str,
        site: &str,
        hours: f64,
        text: &str,
        negative: bool,
    ) -> WaveItem {
        let t0 = DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        WaveItem {
            id: MentionId::from_raw(format!("m{i:03}")),
            at: t0 + Duration::minutes((hours * 60.0) as i64),
            author: Some(author.into()),
            site: site.into(),
            lang: Lang::En,
            negative,
            title: String::new(),
            text: text.into(),
            matches: vec![BrandMatch {
                brand: "Nordlys".into(),
                field: crate::model::MatchField::Text,
                start: 0,
                end: 7,
                text: text.split_whitespace().next().unwrap_or("").into(),
            }],
            sketch: minhash(&shingles(text, Lang::En)).unwrap(),
        }
    }

    const SMEAR: &str = "Nordlys bank froze my account for no reason and kept my salary for three weeks, support copies the same answer, stay away https://bit.ly/nordscam";

    /// Ten days of ordinary posts by a few regulars, each worded its own way.
    fn background() -> Vec<WaveItem> {
        let openers = [
            "Quick note:",
            "Honestly",
            "Asking here because",
            "Small thing but",
            "For the record",
        ];
        let subjects = [
            "the Nordlys app",
            "my Nordlys card",
            "Nordlys support",
            "the Nordlys mortgage desk",
        ];
        let endings = [
            "worked fine this morning",
            "took longer than I hoped",
            "surprised me in a good way",
            "needs a clearer help page",
            "answered within the hour",
            "charged the usual fee abroad",
            "was easy to set up for my kid",
            "showed the new transfer screen",
        ];
        (0..40)
            .map(|i| {
                let text = format!(
                    "{} {} {} on day {}",
                    openers[i % 5],
                    subjects[(i / 5) % 4],
                    endings[(i * 3) % 8],
                    i / 4
                );
                item(
                    i,
                    ["ann", "bo", "cy", "di"][i % 4],
                    "forum.example",
                    i as f64 * 6.0,
                    &text,
                    false,
                )
            })
            .collect()
    }

    #[test]
    fn fresh_voices_repeating_one_negative_story_in_a_burst_are_coordinated() {
        let mut items = background();
        for k in 0..12 {
            let text = if k % 2 == 0 {
                SMEAR.to_string()
            } else {
                format!("N0rdlys {} 😡", &SMEAR[8..])
            };
            items.push(item(
                100 + k,
                &format!("new_user_{k}"),
                &format!("blog{k}.example"),
                240.0 + k as f64 * 0.2,
                &text,
                true,
            ));
        }
        let found = detect(&items, &Params::default());
        assert_eq!(found.len(), 1, "{found:?}");
        let c = &found[0];
        assert_eq!(c.kind, CampaignKind::Coordinated, "{:?}", c.signals);
        assert_eq!(c.members.len(), 12);
        assert_eq!(c.signals["fresh_voices"].value, 1.0);
        assert!(c.signals["shared_links"].value > 0.9);
        assert!((c.signals["masking"].value - 0.5).abs() < 0.01);
        assert!(
            c.phrases.iter().any(|p| p.contains("froze my account")),
            "{:?}",
            c.phrases
        );
    }

    #[test]
    fn regulars_sharing_the_same_news_are_organic_and_one_author_is_spam() {
        let mut items = background();
        let news = "Nordlys app is down for everyone since noon, logins fail and card payments are declined in shops";
        for (k, who) in ["ann", "bo", "cy", "di"].iter().enumerate() {
            items.push(item(
                200 + k,
                who,
                "forum.example",
                241.0 + k as f64,
                news,
                true,
            ));
        }
        for k in 0..4 {
            items.push(item(
                300 + k,
                "spammer",
                &format!("t{k}.example"),
                250.0 + k as f64,
                "Best Nordlys cashback deals here, free gift cards for everyone who signs up today",
                false,
            ));
        }
        let found = detect(&items, &Params::default());
        let kinds: Vec<CampaignKind> = found.iter().map(|c| c.kind).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            kinds.contains(&CampaignKind::Organic) && kinds.contains(&CampaignKind::SpamRepeat),
            "{kinds:?}"
        );
    }

    #[test]
    fn masked_spellings_are_told_from_word_forms() {
        assert!(is_masked("N0rdlys") && is_masked("N.o.r.d.l.y.s") && is_masked("Nоrdlys"));
        assert!(!is_masked("Nordlys") && !is_masked("Нордлисом") && !is_masked("Nordlys'"));
    }
}
