//! A mention's wording compressed to [`HASHES`] numbers (MinHash), so that
//! finding the mentions that say nearly the same thing is a few hash-table
//! lookups per mention (LSH banding), not a comparison with every text.
//!
//! - **Shingles**: the text is normalised as the matcher does (case,
//!   diacritics, fullwidth forms, Latin/Cyrillic look-alikes, zero-width
//!   characters), links and @handles are dropped, then it is cut into
//!   overlapping pieces: pairs of stemmed words for Russian, Danish and
//!   English (so "списали"/"списал" or "charged"/"charges" agree), pairs of
//!   characters for Chinese (no spaces to split on), and four-character
//!   pieces for texts too short to have enough word pairs.
//! - **Sketch**: for each of [`HASHES`] seeded hash functions, the smallest
//!   hash over the shingles. Two sketches agree at a position with
//!   probability equal to the texts' Jaccard similarity.
//! - **Bands**: [`BANDS`] groups of [`ROWS`] positions, each hashed to one key.
//!   Texts sharing any band key are candidates: at Jaccard 0.8 they share one
//!   with probability 1 − (1 − 0.8⁵)²⁰ ≈ 0.9996, at 0.5 about 0.47, at 0.3
//!   about 0.05; [`jaccard`] on the shingles confirms.

use crate::model::Lang;

pub use crate::model::Sketch;

/// Hash functions per sketch.
pub const HASHES: usize = crate::model::SKETCH_HASHES;
/// LSH bands per sketch, of [`ROWS`] hashes each.
pub const BANDS: usize = 20;
pub const ROWS: usize = HASHES / BANDS;
/// Words read per text: a long article's start says what it repeats, and the
/// cost stays bounded (a campaign's posts are short).
const MAX_WORDS: usize = 500;
/// Below this many words, word pairs are too few to compare: character pieces.
const MIN_WORDS: usize = 8;
/// Characters per piece of a short text.
const CHAR_PIECE: usize = 4;

/// The sketch of a mention's title and text.
pub fn sketch_text(title: &str, text: &str, lang: Lang) -> Option<Sketch> {
    wording(title, text, lang).map(|(sketch, _)| sketch)
}

/// A mention's wording as the crawl stores it: the sketch (candidates) and
/// the shingle set in 32 bits ([`compact`]: exact Jaccard of candidate pairs
/// without reading and shingling their texts again).
pub fn wording(title: &str, text: &str, lang: Lang) -> Option<(Sketch, Vec<u32>)> {
    let joined = if title.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(format!("{title}\n{text}"))
    };
    let set = shingles(&joined, lang);
    Some((minhash(&set)?, compact(&set)))
}

/// A shingle set in 32 bits a shingle, sorted and distinct: half the bytes,
/// and two texts' sets collide on a shingle with odds of about 2⁻³² each.
pub fn compact(shingles: &[u64]) -> Vec<u32> {
    let mut out: Vec<u32> = shingles.iter().map(|s| (s >> 32) as u32).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// MinHash of a set of shingle hashes; `None` for an empty set (a text
/// with no words has no wording to share).
pub fn minhash(shingles: &[u64]) -> Option<Sketch> {
    if shingles.is_empty() {
        return None;
    }
    let mut mins = [u32::MAX; HASHES];
    for &s in shingles {
        for (min, seed) in mins.iter_mut().zip(SEEDS.iter()) {
            // Multiply-shift on the already mixed shingle hash: one multiply
            // per function (a full mix per function was most of the cost),
            // the high 32 bits as the value.
            let h = ((s ^ seed).wrapping_mul(seed | 1) >> 32) as u32;
            if h < *min {
                *min = h;
            }
        }
    }
    Some(Sketch(mins))
}

/// What campaigns detection asks of a sketch.
pub trait SketchExt {
    /// Estimated Jaccard similarity: the share of positions that agree.
    fn similarity(&self, other: &Sketch) -> f64;
    /// One key per band; texts sharing a key are candidate near-duplicates.
    fn bands(&self) -> [u64; BANDS];
}

impl SketchExt for Sketch {
    /// Estimated Jaccard similarity: the share of positions that agree.
    fn similarity(&self, other: &Sketch) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// One key per band; texts sharing a key are candidate near-duplicates.
    /// The band's number is part of its key, so keys of different bands never meet.
    fn bands(&self) -> [u64; BANDS] {
        band_keys(&self.0)
    }
}

/// [`SketchExt::bands`] of a sketch's [`HASHES`] values wherever they are
/// (the window read decodes each stored row into one buffer and keeps only
/// these keys, see [`WaveSketches`](crate::store::WaveSketches)). On the
/// stack: no allocation per mention.
pub fn band_keys(hashes: &[u32]) -> [u64; BANDS] {
    std::array::from_fn(|b| band_key(hashes, b))
}

/// The key of band `b` alone.
fn band_key(hashes: &[u32], b: usize) -> u64 {
    debug_assert_eq!(hashes.len(), HASHES);
    hashes[b * ROWS..(b + 1) * ROWS]
        .iter()
        .fold(mix(b as u64 + 1), |h, &v| mix(h ^ u64::from(v)))
}

/// The text's shingles as sorted, distinct 64-bit hashes.
pub fn shingles(text: &str, lang: Lang) -> Vec<u64> {
    let normalized = crate::matcher::normalize_text(&without_links(text));
    let mut words: Vec<&str> = normalized
        // `is_letter_or_digit` is `char::is_alphanumeric` with fast paths.
        .split(|c: char| !crate::matcher::normalize::is_letter_or_digit(c))
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .collect();
    let mut out = Vec::new();
    if lang == Lang::Zh || words.iter().any(|w| w.chars().any(is_han)) {
        han_pairs(&words, &mut out);
        // Latin or Cyrillic words among Chinese (a brand, a link's name) count as words.
        words.retain(|w| !w.chars().any(is_han));
    }
    if words.len() >= MIN_WORDS {
        word_pairs(&words, lang, &mut out);
    } else if out.is_empty() {
        char_pieces(&words.join(" "), &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact Jaccard similarity of two sorted, distinct shingle sets.
pub fn jaccard<T: Ord + Copy>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    // Branch-free merge: which side moves is arithmetic, not a jump the
    // CPU mispredicts half the time (detection runs millions of these).
    let (mut i, mut j, mut both) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        both += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// Drops links and @handles: a campaign varies them per post, and a shared
/// link is a signal of its own, not wording.
/// Only the start of a long text is read (normalising all of it cost more
/// than the sketch): [`MAX_WORDS`] words, or as many characters of a text
/// written without spaces.
fn without_links(text: &str) -> String {
    let head = match text.char_indices().nth(MAX_WORDS * 8) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    head.split_whitespace()
        .take(MAX_WORDS)
        .filter(|w| {
            let lower = w.get(..8).unwrap_or(w).to_ascii_lowercase();
            !(lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("www.")
                || (w.starts_with('@') && w.len() > 1))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pairs of neighbouring stemmed words (stems hashed as the intent model
/// does, with its cache, then mixed like every other shingle).
fn word_pairs(words: &[&str], lang: Lang, out: &mut Vec<u64>) {
    let stems: Vec<u64> = words
        .iter()
        .map(|w| mix(crate::classify::model::stem_hash(lang, w)))
        .collect();
    out.extend(stems.windows(2).map(|p| mix(p[0] ^ mix(p[1]))));
}

/// Pairs of neighbouring Han characters within each run.
fn han_pairs(words: &[&str], out: &mut Vec<u64>) {
    for w in words {
        let han: Vec<char> = w.chars().filter(|&c| is_han(c)).collect();
        if han.len() == 1 {
            out.push(hash(2, w.as_bytes()));
        }
        out.extend(han.windows(2).map(|p| {
            hash(
                2,
                &[u32::from(p[0]).to_le_bytes(), u32::from(p[1]).to_le_bytes()].concat(),
            )
        }));
    }
}

/// Overlapping pieces of [`CHAR_PIECE`] characters (the whole text if shorter).
fn char_pieces(text: &str, out: &mut Vec<u64>) {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return;
    }
    if chars.len() <= CHAR_PIECE {
        out.push(hash(3, text.as_bytes()));
        return;
    }
    out.extend(chars.windows(CHAR_PIECE).map(|p| {
        let s: String = p.iter().collect();
        hash(3, s.as_bytes())
    }));
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// FNV-1a with the shingle's kind mixed in: stable across builds and machines,
/// so sketches stored by one version compare with those of the next.
fn hash(kind: u8, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(kind);
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// SplitMix64's finaliser: every input bit moves every output bit.
const fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One seed per hash function, fixed: stored sketches stay comparable.
const SEEDS: [u64; HASHES] = {
    let mut seeds = [0u64; HASHES];
    let mut i = 0;
    while i < HASHES {
        seeds[i] = mix(0x4865_6172_7361_7921 ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        i += 1;
    }
    seeds
};

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str, lang: Lang) -> f64 {
        jaccard(&shingles(a, lang), &shingles(b, lang))
    }

    const SMEAR: &str =
        "Nordlys bank froze my account for no reason and kept my salary for three weeks, \
         support just copies the same answer, stay away from this bank";

    #[test]
    fn case_emoji_links_handles_and_homoglyphs_do_not_change_the_wording() {
        let noisy = "NORDLYS bank froze my аccount 😡 for no reason and kept my salary for three weeks, \
             support just copies the same answer, stay away from this bank!!! https://t.co/x1 @nordlys_care";
        assert_eq!(shingles(SMEAR, Lang::En), shingles(noisy, Lang::En));
    }

    #[test]
    fn reworded_copies_land_between_unrelated_and_identical() {
        let reworded =
            "Nordlys bank froze my account without any reason and held my salary for three weeks, \
             support just pastes the same reply, stay away from this bank";
        let unrelated = "I opened a savings account with Nordlys last spring and the app has been \
             easy to use, the card arrived in two days";
        let s = sim(SMEAR, reworded, Lang::En);
        assert!((0.3..0.8).contains(&s), "reworded: {s}");
        assert!(sim(SMEAR, unrelated, Lang::En) < 0.1);
        assert_eq!(sim(SMEAR, SMEAR, Lang::En), 1.0);
    }

    #[test]
    fn russian_word_forms_agree_through_stems() {
        let a = "Нордлис списал деньги с карты дважды и поддержка не отвечает уже неделю никому";
        let b = "Нордлис списали деньги с карты дважды и поддержка не ответила уже неделю никому";
        assert!(sim(a, b, Lang::Ru) > 0.6, "{}", sim(a, b, Lang::Ru));
    }

    #[test]
    fn chinese_without_spaces_is_compared_by_character_pairs() {
        let a = "诺德利斯银行无缘无故冻结了我的账户，客服一直复制同样的回答，大家千万别用";
        let b = "诺德利斯银行无缘无故冻结了我的账户，客服一直复制同样的回复，大家千万别用！";
        let c = "我在诺德利斯开了一个储蓄账户，应用很好用，卡两天就到了";
        assert!(sim(a, b, Lang::Zh) > 0.8, "{}", sim(a, b, Lang::Zh));
        assert!(sim(a, c, Lang::Zh) < 0.2, "{}", sim(a, c, Lang::Zh));
    }

    #[test]
    fn short_texts_use_character_pieces() {
        let a = shingles("Nordlys scam!!", Lang::En);
        assert!(!a.is_empty());
        assert_eq!(a, shingles("nordlys  SCAM", Lang::En));
        assert!(shingles("", Lang::En).is_empty());
        assert_eq!(minhash(&[]), None);
    }

    #[test]
    fn sketches_estimate_jaccard_and_bands_find_close_copies() {
        let texts = [
            SMEAR.to_string(),
            format!("{SMEAR} today"),
            "Nordlys bank froze my account without any reason and held my salary for three weeks, \
             support just pastes the same reply, stay away from this bank"
                .to_string(),
            "The weather in Aarhus was lovely this weekend and the harbour festival drew a big crowd of families"
                .to_string(),
        ];
        let sets: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t, Lang::En)).collect();
        let sketches: Vec<Sketch> = sets.iter().map(|s| minhash(s).unwrap()).collect();
        for i in 0..texts.len() {
            for j in 0..texts.len() {
                let exact = jaccard(&sets[i], &sets[j]);
                let est = sketches[i].similarity(&sketches[j]);
                assert!(
                    (exact - est).abs() < 0.15,
                    "{i},{j}: exact {exact}, est {est}"
                );
            }
        }
        let shares_band =
            |a: &Sketch, b: &Sketch| a.bands().iter().zip(b.bands().iter()).any(|(x, y)| x == y);
        assert!(
            shares_band(&sketches[0], &sketches[1]),
            "a near copy is a candidate"
        );
        assert!(
            !shares_band(&sketches[0], &sketches[3]),
            "an unrelated text is not"
        );
    }
}
