//! Posts' wording: phrase tables filled in, and the ways an attacker's copy
//! departs from its template.

use super::phrases::{self, Tables};
use super::rng::Rng;
use super::Difficulty;
use crate::model::Lang;

/// How a phrase's `{a|b|c}` slots are filled.
#[derive(Clone, Copy)]
pub(super) enum Fill {
    /// Any choice: background variety.
    Random,
    /// The template's own words.
    Own,
    /// The template's words, each slot swapped for a synonym with this chance.
    Swap(f64),
}

/// Who a phrase is about: what `%B` and `%O` become.
pub(super) struct Names<'a> {
    pub(super) brand: &'a str,
    pub(super) other: &'a str,
}

/// Appends `phrase` with its slots filled and names put in.
fn fill(out: &mut String, phrase: &str, names: &Names, mode: Fill, rng: &mut Rng) {
    let mut rest = phrase;
    while let Some(i) = rest.find(['{', '%']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(body) = tail.strip_prefix('{') {
            let Some(end) = body.find('}') else {
                out.push_str(tail);
                return;
            };
            let choices = &body[..end];
            let n = choices.matches('|').count() + 1;
            let k = match mode {
                Fill::Random => rng.below(n),
                Fill::Own => 0,
                Fill::Swap(p) if n > 1 && rng.chance(p) => 1 + rng.below(n - 1),
                Fill::Swap(_) => 0,
            };
            let choice = choices.split('|').nth(k).unwrap_or_default();
            fill(out, choice, names, Fill::Own, rng);
            rest = &body[end + 1..];
        } else {
            match tail.as_bytes().get(1) {
                Some(b'B') => out.push_str(names.brand),
                Some(b'O') => out.push_str(names.other),
                _ => {
                    out.push('%');
                    rest = &tail[1..];
                    continue;
                }
            }
            rest = &tail[2..];
        }
    }
    out.push_str(rest);
}

/// Sentences joined the way the language writes them.
pub(super) fn join(t: &Tables, sentences: &[String]) -> String {
    sentences
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(t.space)
}

pub(super) fn filled(phrase: &str, names: &Names, mode: Fill, rng: &mut Rng) -> String {
    let mut s = String::with_capacity(phrase.len() + 16);
    fill(&mut s, phrase, names, mode, rng);
    s
}

/// A background post: an opener, what it is about, sometimes a detail and a
/// sign-off; about Nordlys mostly, Fjordbank sometimes.
pub(super) fn background_text(t: &Tables, rng: &mut Rng) -> (String, String) {
    let names = if rng.chance(0.8) {
        Names {
            brand: rng.phrase(t.brand),
            other: t.other[0],
        }
    } else {
        Names {
            brand: t.other[0],
            other: t.brand[0],
        }
    };
    let body = match rng.below(20) {
        0..=5 => t.complaints,
        6..=10 => t.praise,
        11..=15 => t.questions,
        _ => t.neutral,
    };
    let mut parts = vec![
        filled(rng.phrase(t.openers), &names, Fill::Random, rng),
        filled(rng.phrase(body), &names, Fill::Random, rng),
    ];
    if rng.chance(0.7) {
        parts.push(filled(rng.phrase(t.details), &names, Fill::Random, rng));
    }
    if rng.chance(0.5) {
        parts.push(filled(rng.phrase(t.closings), &names, Fill::Random, rng));
    }
    let title = filled(rng.phrase(t.titles), &names, Fill::Random, rng);
    (title, join(t, &parts))
}

/// One attacker's copy of smear story `story`, as hard to recognise as `difficulty` says.
pub(super) fn smear_copy(
    t: &Tables,
    story: u8,
    difficulty: Difficulty,
    names: &Names,
    rng: &mut Rng,
) -> (String, String) {
    let style = match difficulty {
        Difficulty::Easy => Style::EASY,
        Difficulty::Medium => Style::MEDIUM,
        Difficulty::Hard => Style::HARD,
    };
    styled_copy(t, story, style, names, rng)
}

/// How a copy departs from its template; the numbers are tuned so that
/// copies of one template land in each difficulty's Jaccard band.
#[derive(Clone, Copy, Debug)]
pub(super) struct Style {
    /// Paraphrases each part may take (1: always the template's own).
    pub(super) paraphrases: usize,
    /// Chance that a slot takes a synonym.
    pub(super) swap: f64,
    /// Sentences in a random order.
    pub(super) reorder: bool,
    /// Emoji, shouting and a typo.
    pub(super) noise: bool,
    /// Letters swapped for look-alikes from the other script.
    pub(super) homoglyphs: usize,
}

impl Style {
    pub(super) const EASY: Style = Style {
        paraphrases: 1,
        swap: 0.0,
        reorder: false,
        noise: true,
        homoglyphs: 0,
    };
    pub(super) const MEDIUM: Style = Style {
        paraphrases: 1,
        swap: 0.1,
        reorder: true,
        noise: false,
        homoglyphs: 3,
    };
    pub(super) const HARD: Style = Style {
        paraphrases: 2,
        swap: 0.04,
        reorder: true,
        noise: false,
        homoglyphs: 0,
    };
}

pub(super) fn styled_copy(
    t: &Tables,
    story: u8,
    style: Style,
    names: &Names,
    rng: &mut Rng,
) -> (String, String) {
    let parts = t.smears[usize::from(story) % t.smears.len()].parts;
    let mode = if style.swap > 0.0 {
        Fill::Swap(style.swap)
    } else {
        Fill::Own
    };
    let mut rendered: Vec<String> = parts
        .iter()
        .map(|choices| {
            let k = rng.below(style.paraphrases.clamp(1, choices.len()));
            filled(choices[k], names, mode, rng)
        })
        .collect();
    let title = rendered.remove(0);
    if style.reorder {
        rng.shuffle(&mut rendered);
    }
    let mut text = join(t, &rendered);
    if style.noise {
        noise(t, &mut text, rng);
    }
    if style.homoglyphs > 0 {
        let count = rng.between(1, style.homoglyphs as u64) as usize;
        homoglyphs(t, &mut text, count, rng);
    }
    (title, text)
}

/// What copy-pasting people add: emoji, shouting, a typo.
fn noise(t: &Tables, text: &mut String, rng: &mut Rng) {
    if rng.chance(0.4) {
        typo(t, text, rng);
    }
    if rng.chance(0.6) {
        for _ in 0..rng.between(1, 3) {
            text.push(' ');
            text.push_str(rng.phrase(phrases::EMOJI));
        }
    }
    if rng.chance(0.3) {
        text.push_str("!!!");
    }
}

/// One slip of the finger: two neighbouring letters swapped in a long word
/// (for Chinese, a character dropped).
fn typo(t: &Tables, text: &mut String, rng: &mut Rng) {
    let chars: Vec<char> = text.chars().collect();
    if t.lang == Lang::Zh {
        let han: Vec<usize> = (0..chars.len())
            .filter(|&i| chars[i] > '\u{3400}' && chars[i].is_alphanumeric())
            .collect();
        if han.is_empty() {
            return;
        }
        let drop = han[rng.below(han.len())];
        *text = chars
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != drop)
            .map(|(_, c)| c)
            .collect();
        return;
    }
    // Interior positions of words of at least six letters.
    let mut spots = Vec::new();
    let mut run = 0;
    for (i, c) in chars.iter().enumerate() {
        if c.is_alphabetic() {
            run += 1;
        } else {
            if run >= 6 {
                spots.push(i - run + 2);
            }
            run = 0;
        }
    }
    if spots.is_empty() {
        return;
    }
    let at = spots[rng.below(spots.len())];
    let mut chars = chars;
    chars.swap(at, at + 1);
    *text = chars.into_iter().collect();
}

/// Swaps `count` letters for their look-alikes in the other script.
fn homoglyphs(t: &Tables, text: &mut String, count: usize, rng: &mut Rng) {
    let to_cyrillic = t.lang != Lang::Ru;
    let twin = |c: char| {
        phrases::HOMOGLYPHS.iter().find_map(|&(latin, cyrillic)| {
            if to_cyrillic && c == latin {
                Some(cyrillic)
            } else if !to_cyrillic && c == cyrillic {
                Some(latin)
            } else {
                None
            }
        })
    };
    let mut chars: Vec<char> = text.chars().collect();
    let spots: Vec<usize> = (0..chars.len())
        .filter(|&i| twin(chars[i]).is_some())
        .collect();
    for _ in 0..count.min(spots.len()) {
        let i = spots[rng.below(spots.len())];
        if let Some(c) = twin(chars[i]) {
            chars[i] = c;
        }
    }
    *text = chars.into_iter().collect();
}
