//! A small learned reading of intent, beside the rules: the lexicons
//! remember the phrasing of the people who wrote the training set, and a
//! model over word stems generalises to people who write differently.
//!
//! Multinomial logistic regression, its word weights joined by naive Bayes
//! counts of the same words (a logistic regression and naive Bayes blend, as
//! in NBSVM), over
//! - stemmed words and pairs of neighbouring stems (Russian, Danish, English),
//!   or single characters and character pairs (Chinese), emoji as words;
//! - the word that opens and the word that closes each sentence ("does ..."
//!   asks, "... again" grumbles; 为什么 opens a run, 吗 closes one);
//! - each rule cue that fired, so the model learns how far to trust each;
//! - the rules' own intent scores and sentiment sums, and signals of how the
//!   text is written ([`DENSE_NAMES`]: repetition, waiting, "why", a
//!   reporter's or an answerer's voice, praise beside a grievance, quotes,
//!   numbers, shouting), so the rules keep working for words the training
//!   set never saw. Words are held back (L2) far more than these few general
//!   inputs: authors the model never met share the signals, not the words.
//!
//! It is trained when the classifier is built, from the labelled examples
//! shipped in `tests/data/classify/train/` (compiled in), in a fixed order:
//! the same data gives the same weights, no file of weights to keep in step.
//! Training takes a few milliseconds per language; reading a mention is a
//! hash lookup per word. A label's reason names the words that weighed most.

use super::eval::Example;
use super::lexicon;
use super::Intent;
use crate::model::Lang;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;

/// The classes, in the order of every score array here.
pub const CLASSES: [Intent; 5] = [
    Intent::Question,
    Intent::Complaint,
    Intent::Praise,
    Intent::Incident,
    Intent::Other,
];

/// What the model reads beside the words, in this order (see
/// `Reading::dense`): rule scores per class, sentiment sums, and signals.
pub const DENSE_NAMES: [&str; 33] = [
    "rule question",
    "rule complaint",
    "rule praise",
    "rule incident",
    "rule other",
    "positive",
    "negative",
    "question marks",
    "exclamations",
    "obscene",
    "insult",
    "repeat",
    "waiting",
    "why",
    "news",
    "reply",
    "sarcasm",
    "experience",
    "detail",
    "notice",
    "quotes",
    "numbers",
    "shouting",
    "self",
    "you",
    "we",
    "length",
    "praise beside grievance",
    "irony beside grievance",
    "bait",
    "suggestion",
    "scope",
    "change",
];
pub const DENSE: usize = DENSE_NAMES.len();

/// Labelled examples compiled in: the model's training set.
pub const TRAINING: [&str; 25] = [
    include_str!("../../tests/data/classify/train/ru.jsonl"),
    include_str!("../../tests/data/classify/train/zh.jsonl"),
    include_str!("../../tests/data/classify/train/da.jsonl"),
    include_str!("../../tests/data/classify/train/en.jsonl"),
    include_str!("../../tests/data/classify/train/ru-2.jsonl"),
    include_str!("../../tests/data/classify/train/zh-2.jsonl"),
    include_str!("../../tests/data/classify/train/da-2.jsonl"),
    include_str!("../../tests/data/classify/train/en-2.jsonl"),
    include_str!("../../tests/data/classify/train/ru-3.jsonl"),
    include_str!("../../tests/data/classify/train/zh-3.jsonl"),
    include_str!("../../tests/data/classify/train/da-3.jsonl"),
    include_str!("../../tests/data/classify/train/en-3.jsonl"),
    include_str!("../../tests/data/classify/train/ru-4.jsonl"),
    include_str!("../../tests/data/classify/train/zh-4.jsonl"),
    include_str!("../../tests/data/classify/train/da-4.jsonl"),
    include_str!("../../tests/data/classify/train/en-4.jsonl"),
    include_str!("../../tests/data/classify/train/zh-5.jsonl"),
    include_str!("../../tests/data/classify/train/en-5.jsonl"),
    include_str!("../../tests/data/classify/train/zh-6.jsonl"),
    include_str!("../../tests/data/classify/train/en-6.jsonl"),
    include_str!("../../tests/data/classify/train/en-7.jsonl"),
    include_str!("../../tests/data/classify/train/en-8.jsonl"),
    include_str!("../../tests/data/classify/train/zh-8.jsonl"),
    include_str!("../../tests/data/classify/train/en-9.jsonl"),
    include_str!("../../tests/data/classify/train/zh-9.jsonl"),
];

/// Training knobs, chosen on the cross-author check (train on one set of
/// authors, score the other).
const EPOCHS: usize = 30;
const LEARNING_RATE: f32 = 0.1;
const L2_WORDS: f32 = 1e-2;
/// The rule scores and signals are few and general: they are barely held back.
const L2_DENSE: f32 = 1e-4;
/// How much naive Bayes evidence joins the learned word weights, and its
/// add-one smoothing (see [`add_naive_bayes`]).
const NB_WEIGHT: f32 = 0.3;
const NB_SMOOTHING: f32 = 1.0;
/// A feature seen fewer times than this in training is noise.
const MIN_COUNT: u32 = 2;
/// Words read per mention: the start of a long page says what it is.
const MAX_WORDS: usize = 400;

/// What the model sees of one text: hashed features, each with the words it
/// came from (for reasons), and the rules' scores.
pub struct Features<'t> {
    sparse: Vec<(u64, &'t str)>,
    dense: [f32; DENSE],
}

/// Turns padded text (see [`lexicon::padded_words`]) into features.
pub struct Featurizer {
    lang: Lang,
    unspaced: bool,
}

/// Word → hash of its stem, per language and thread: Snowball was a fifth
/// of classifying a long mention, and most words recur. Cleared when full.
const STEM_CACHE_MAX: usize = 50_000;

thread_local! {
    // foldhash, not SipHash: the lookup is per word of every mention.
    static STEM_CACHE: std::cell::RefCell<[foldhash::HashMap<String, u64>; 3]> = Default::default();
}

/// FNV-1a (kind 1, as the model's word features) of a word's Snowball stem
/// in `lang`, or of the word itself where Hearsay has no stemmer; cached per
/// language and thread. Campaign sketches hash words the same way.
pub fn stem_hash(lang: Lang, word: &str) -> u64 {
    let (slot, algorithm) = match lang {
        Lang::Ru => (0, Algorithm::Russian),
        Lang::Da => (1, Algorithm::Danish),
        Lang::En => (2, Algorithm::English),
        _ => return hash(1, word.as_bytes()),
    };
    STEM_CACHE.with(|cache| {
        let mut caches = cache.borrow_mut();
        let cache = &mut caches[slot];
        if let Some(&h) = cache.get(word) {
            return h;
        }
        if cache.len() >= STEM_CACHE_MAX {
            cache.clear();
        }
        let h = hash(1, Stemmer::create(algorithm).stem(word).as_bytes());
        cache.insert(word.to_string(), h);
        h
    })
}

impl Featurizer {
    pub fn new(lang: &str) -> Featurizer {
        Featurizer {
            lang: Lang::parse(lang).unwrap_or(Lang::Other),
            unspaced: lang == "zh",
        }
    }

    pub fn features<'t>(
        &self,
        padded: &'t str,
        dense: [f32; DENSE],
        cues: impl IntoIterator<Item = &'t str>,
    ) -> Features<'t> {
        let mut sparse = Vec::with_capacity(64);
        let mut previous: Option<(u64, usize)> = None;
        // The last word seen, to mark it as a sentence's end when a break follows.
        let mut last: Option<(u64, &'t str)> = None;
        let mut at_start = true;
        let mut offset = 0;
        for word in padded.split(' ').take(MAX_WORDS) {
            let start = offset;
            offset += word.len() + 1;
            if word.is_empty() {
                continue;
            }
            if lexicon::is_break(word) {
                if let Some((h, w)) = last.take() {
                    sparse.push((mix(h, END), w));
                }
                previous = None;
                at_start = true;
                continue;
            }
            if self.unspaced && word.chars().any(|c| c > '\u{2E80}') {
                chars(word, &mut sparse);
                // A run's first and last characters: 为什么 opens, 吗 and 呢 close.
                if let (Some(f), Some(l)) = (word.chars().next(), word.chars().last()) {
                    let first = &word[..f.len_utf8()];
                    let final_char = &word[word.len() - l.len_utf8()..];
                    sparse.push((mix(START, hash(2, first.as_bytes())), first));
                    sparse.push((mix(hash(2, final_char.as_bytes()), END), final_char));
                }
                previous = None;
                last = None;
                at_start = false;
                continue;
            }
            let h = stem_hash(self.lang, word);
            sparse.push((h, word));
            if at_start {
                sparse.push((mix(START, h), word));
            }
            if let Some((p, p_start)) = previous {
                sparse.push((mix(p, h), &padded[p_start..start + word.len()]));
            }
            previous = Some((h, start));
            last = Some((h, word));
            at_start = false;
        }
        if let Some((h, w)) = last {
            sparse.push((mix(h, END), w));
        }
        for cue in cues {
            sparse.push((hash(4, cue.as_bytes()), cue));
        }
        sparse.sort_unstable_by_key(|(h, _)| *h);
        sparse.dedup_by_key(|(h, _)| *h);
        Features { sparse, dense }
    }
}

/// Markers mixed into a word's feature: it opens or closes a sentence.
/// (Feature kinds hashed apart: 1 a stem, 2 a character, 3 a character pair,
/// 4 a rule cue.)
const START: u64 = 0x5354_4152_5421;
const END: u64 = 0x454e_4421;

/// Chinese: each character and each pair of neighbouring characters.
fn chars<'t>(run: &'t str, out: &mut Vec<(u64, &'t str)>) {
    let mut last: Option<usize> = None;
    for (i, c) in run.char_indices() {
        let end = i + c.len_utf8();
        out.push((hash(2, &run.as_bytes()[i..end]), &run[i..end]));
        if let Some(l) = last {
            out.push((hash(3, &run.as_bytes()[l..end]), &run[l..end]));
        }
        last = Some(i);
    }
}

/// FNV-1a, seeded by the feature's kind: cheap, stable across builds.
fn hash(kind: u8, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(kind);
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A pair of neighbouring words' feature from theirs.
fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(17) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// Feature keys are hashes already: hashing them again (SipHash) would
/// cost more than the rest of a lookup.
#[derive(Default, Clone, Copy)]
struct Passthrough(u64);

impl std::hash::Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Weights = HashMap<u64, [f32; 5], std::hash::BuildHasherDefault<Passthrough>>;

/// The trained weights of one language.
pub struct IntentModel {
    pub featurizer: Featurizer,
    words: Weights,
    dense: [[f32; 5]; DENSE],
    bias: [f32; 5],
}

/// The model's reading of one text.
pub struct Prediction<'t> {
    pub probabilities: [f32; 5],
    /// The words that pushed hardest towards the chosen class, strongest first.
    pub top_words: Vec<&'t str>,
}

impl Prediction<'_> {
    pub fn best(&self) -> (Intent, f32) {
        let (i, p) = self
            .probabilities
            .iter()
            .enumerate()
            .fold(
                (4, f32::MIN),
                |acc, (i, &p)| if p > acc.1 { (i, p) } else { acc },
            );
        (CLASSES[i], p)
    }
}

fn class_index(intent: Intent) -> usize {
    CLASSES.iter().position(|c| *c == intent).unwrap_or(4)
}

impl IntentModel {
    /// Learns from `(features, intent)` pairs, in the order given.
    pub fn train(featurizer: Featurizer, examples: &[(Features<'_>, Intent)]) -> IntentModel {
        let mut counts: HashMap<u64, u32> = HashMap::new();
        for (f, _) in examples {
            for (h, _) in &f.sparse {
                *counts.entry(*h).or_default() += 1;
            }
        }
        // Features kept get a row each; every example's features are looked
        // up once here, not once per class and epoch (training runs at each
        // start, so its time is part of every crawl's).
        let mut kept: Vec<u64> = counts
            .into_iter()
            .filter(|(_, n)| *n >= MIN_COUNT)
            .map(|(h, _)| h)
            .collect();
        kept.sort_unstable();
        let row_of: HashMap<u64, u32> = kept
            .iter()
            .enumerate()
            .map(|(i, h)| (*h, i as u32))
            .collect();
        let rows: Vec<Vec<u32>> = examples
            .iter()
            .map(|(f, _)| {
                f.sparse
                    .iter()
                    .filter_map(|(h, _)| row_of.get(h).copied())
                    .collect()
            })
            .collect();
        let mut words = vec![[0.0f32; 5]; kept.len()];
        let mut dense = [[0.0f32; 5]; DENSE];
        let mut bias = [0.0f32; 5];
        // A fixed shuffle, so neighbouring examples of one thread do not pull together.
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for epoch in 0..EPOCHS {
            let rate = LEARNING_RATE / (1.0 + epoch as f32 * 0.1);
            for &i in &order {
                let (f, intent) = &examples[i];
                let mut z = dense_logits(&dense, &bias, f);
                for &r in &rows[i] {
                    let w = &words[r as usize];
                    for c in 0..5 {
                        z[c] += w[c];
                    }
                }
                let p = softmax(z);
                let gold = class_index(*intent);
                for c in 0..5 {
                    let g = p[c] - if c == gold { 1.0 } else { 0.0 };
                    bias[c] -= rate * g;
                    for (d, row) in dense.iter_mut().enumerate() {
                        row[c] -= rate * (g * f.dense[d] + L2_DENSE * row[c]);
                    }
                    for &r in &rows[i] {
                        let w = &mut words[r as usize];
                        w[c] -= rate * (g + L2_WORDS * w[c]);
                    }
                }
            }
        }
        add_naive_bayes(&mut words, &rows, examples);
        IntentModel {
            featurizer,
            words: kept.into_iter().zip(words).collect(),
            dense,
            bias,
        }
    }

    pub fn predict<'t>(&self, f: &Features<'t>) -> Prediction<'t> {
        let probabilities = softmax(logits(&self.words, &self.dense, &self.bias, f));
        let best = probabilities
            .iter()
            .enumerate()
            .fold(
                (4, f32::MIN),
                |acc, (i, &p)| if p > acc.1 { (i, p) } else { acc },
            )
            .0;
        // A word's pull towards the best class, against the average of the others.
        let mut pulls: Vec<(f32, &str)> = f
            .sparse
            .iter()
            .filter_map(|(h, surface)| {
                let w = self.words.get(h)?;
                let others = (w.iter().sum::<f32>() - w[best]) / 4.0;
                Some((w[best] - others, *surface))
            })
            .filter(|(pull, _)| *pull > 0.2)
            .collect();
        pulls.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut top_words: Vec<&str> = Vec::new();
        for (_, s) in pulls {
            if top_words.len() == 3 {
                break;
            }
            if !top_words.iter().any(|t| t.contains(s) || s.contains(t)) {
                top_words.push(s);
            }
        }
        Prediction {
            probabilities,
            top_words,
        }
    }
}

/// Adds to each word's weights its naive Bayes log-ratios, scaled by
/// [`NB_WEIGHT`] (centred over the classes, so only the differences count).
/// Logistic regression learns what separates the training authors' hard
/// cases and L2 then shrinks everything; counting how often a word sits in
/// each class keeps the plain evidence of common words. Across authors the
/// sum reads better than either (see BENCHMARKS.md, the cross-author folds).
fn add_naive_bayes(words: &mut [[f32; 5]], rows: &[Vec<u32>], examples: &[(Features<'_>, Intent)]) {
    let mut counts = vec![[0.0f32; 5]; words.len()];
    let mut totals = [0.0f32; 5];
    for (row, (_, intent)) in rows.iter().zip(examples) {
        let c = class_index(*intent);
        for &r in row {
            counts[r as usize][c] += 1.0;
            totals[c] += 1.0;
        }
    }
    let vocabulary = words.len() as f32;
    for (w, n) in words.iter_mut().zip(&counts) {
        let logs: [f32; 5] = std::array::from_fn(|c| {
            ((n[c] + NB_SMOOTHING) / (totals[c] + NB_SMOOTHING * vocabulary)).ln()
        });
        let mean = logs.iter().sum::<f32>() / 5.0;
        for c in 0..5 {
            w[c] += NB_WEIGHT * (logs[c] - mean);
        }
    }
}

fn logits(
    words: &Weights,
    dense: &[[f32; 5]; DENSE],
    bias: &[f32; 5],
    f: &Features<'_>,
) -> [f32; 5] {
    let mut z = dense_logits(dense, bias, f);
    for (h, _) in &f.sparse {
        if let Some(w) = words.get(h) {
            for c in 0..5 {
                z[c] += w[c];
            }
        }
    }
    z
}

/// The bias and the dense features' share of the logits.
fn dense_logits(dense: &[[f32; 5]; DENSE], bias: &[f32; 5], f: &Features<'_>) -> [f32; 5] {
    let mut z = *bias;
    for (d, row) in dense.iter().enumerate() {
        for c in 0..5 {
            z[c] += row[c] * f.dense[d];
        }
    }
    z
}

fn softmax(z: [f32; 5]) -> [f32; 5] {
    let max = z.iter().copied().fold(f32::MIN, f32::max);
    let mut e = z.map(|v| (v - max).exp());
    let sum: f32 = e.iter().sum();
    for v in &mut e {
        *v /= sum;
    }
    e
}

/// The compiled-in training examples of every language.
pub fn built_in_examples() -> Vec<Example> {
    TRAINING
        .iter()
        .flat_map(|text| text.lines())
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_pairs_are_features_and_breaks_split_pairs() {
        let f = Featurizer::new("en");
        let padded = lexicon::padded_words("Does anyone know. Cards");
        let feats = f.features(&padded, [0.0; DENSE], []);
        let names: Vec<&str> = feats.sparse.iter().map(|(_, s)| *s).collect();
        assert!(names.contains(&"anyone know"), "{names:?}");
        assert!(
            !names.iter().any(|n| n.contains("know . cards")),
            "{names:?}"
        );
        let zh = Featurizer::new("zh");
        let padded = lexicon::padded_words("有人知道吗");
        let names: Vec<&str> = zh
            .features(&padded, [0.0; DENSE], [])
            .sparse
            .iter()
            .map(|(_, s)| *s)
            .collect();
        assert!(
            names.contains(&"知道") && names.contains(&"吗"),
            "{names:?}"
        );
    }

    #[test]
    fn sentence_openers_closers_and_rule_cues_are_features_of_their_own() {
        let f = Featurizer::new("en");
        let padded = lexicon::padded_words("Does it work. Refund again");
        let feats = f.features(&padded, [0.0; DENSE], ["refund*"]);
        let seen = |w: &str| feats.sparse.iter().filter(|(_, s)| *s == w).count();
        assert_eq!(seen("does"), 2, "the word and the word opening a sentence");
        assert_eq!(seen("work"), 2, "the word and the word closing a sentence");
        assert_eq!(seen("it"), 1, "mid-sentence: the word alone");
        assert_eq!(seen("again"), 2, "the text's end closes a sentence");
        assert_eq!(seen("refund*"), 1, "the rule cue that fired");
        let zh = Featurizer::new("zh");
        let padded = lexicon::padded_words("为什么又崩了吗");
        let feats = zh.features(&padded, [0.0; DENSE], []);
        let seen = |w: &str| feats.sparse.iter().filter(|(_, s)| *s == w).count();
        assert_eq!(seen("为"), 2, "a character and the run's first");
        assert_eq!(seen("吗"), 2, "a character and the run's last");
        assert_eq!(seen("又"), 1);
    }

    #[test]
    fn naive_bayes_leans_a_word_towards_the_class_it_was_seen_in() {
        let f = Featurizer::new("en");
        let examples: Vec<(Features<'_>, Intent)> =
            [Intent::Question, Intent::Question, Intent::Praise]
                .into_iter()
                .map(|i| (f.features("", [0.0; DENSE], []), i))
                .collect();
        // Word 0 sat in both questions, word 1 in the praise.
        let rows = vec![vec![0], vec![0], vec![1]];
        let mut words = vec![[0.0f32; 5]; 2];
        add_naive_bayes(&mut words, &rows, &examples);
        let q = class_index(Intent::Question);
        let p = class_index(Intent::Praise);
        assert!(
            words[0][q] > words[0][p] && words[1][p] > words[1][q],
            "{words:?}"
        );
        for w in &words {
            assert!(w.iter().sum::<f32>().abs() < 1e-4, "centred: {w:?}");
        }
    }

    #[test]
    fn a_tiny_model_learns_and_says_why() {
        let f = Featurizer::new("en");
        let texts = [
            ("how do I reset my pin", Intent::Question),
            ("how do I close my account", Intent::Question),
            ("how do I change the card", Intent::Question),
            ("thanks, lovely staff", Intent::Praise),
            ("thanks, lovely quick delivery", Intent::Praise),
            ("thanks for the lovely help", Intent::Praise),
        ];
        let padded: Vec<String> = texts
            .iter()
            .map(|(t, _)| lexicon::padded_words(t))
            .collect();
        let examples: Vec<(Features<'_>, Intent)> = padded
            .iter()
            .zip(texts)
            .map(|(p, (_, i))| (f.features(p, [0.0; DENSE], []), i))
            .collect();
        let model = IntentModel::train(Featurizer::new("en"), &examples);
        let probe = lexicon::padded_words("how do I pay");
        let p = model.predict(&model.featurizer.features(&probe, [0.0; DENSE], []));
        assert_eq!(p.best().0, Intent::Question);
        assert!(
            p.top_words.iter().any(|w| w.contains("how")),
            "{:?}",
            p.top_words
        );
    }
}
