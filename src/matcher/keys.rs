//! The "key stream": normalised text reduced to what identifies a word, so
//! one literal scan finds every spelling of an alias.
//!
//! From the normalised chars it keeps letters and digits only, each turned
//! into its script-neutral look-alike (Cyrillic о and Latin o are one key,
//! so are I and l), with runs of the same key collapsed ("Nordlyyys",
//! "Нооордлис"). What was dropped between two keys is remembered as a
//! [`Gap`]: the checks after the scan use it to tell "N.o.r.d.l.y.s" (a
//! masked name) from "Nord. Lys" (two words), and to find word boundaries.

use super::normalize::{
    cyr_to_lat, fold_one, is_letter_or_digit, is_word_part, normalize_chars, to_latin_lookalike,
    truncate, Folded, NChar, BREVE, MAX_LEN,
};
use std::collections::HashSet;

/// What separates a key from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// Adjacent in the same word (zero-width characters do not count).
    None,
    /// Only emoji or pictographs: "Nord🔥lys" is one masked word.
    Soft,
    /// Exactly one apostrophe or hyphen: "Nordlys'ом", "Nordlys-а", "ACME-bank".
    Joiner,
    /// Anything else: spaces, punctuation, symbols, or the start of the text.
    Hard,
}

impl Gap {
    /// True when the gap separates words (a boundary), not only letters of one word.
    pub fn is_break(self) -> bool {
        !matches!(self, Gap::None)
    }

    /// True for gaps a masked spelling may not hide inside one word.
    pub fn is_visible(self) -> bool {
        matches!(self, Gap::Joiner | Gap::Hard)
    }
}

/// Writing systems that put spaces between words, or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Latin, Cyrillic, Greek, digits...: words have boundaries.
    Alpha,
    /// Han, kana, Hangul, Thai: an alias is found anywhere in a run.
    Cjk,
}

/// One key and the normalised chars it covers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Key {
    pub c: char,
    /// First and last normalised char (indices into `KeyStream::chars`).
    pub first: u32,
    pub last: u32,
    pub gap: Gap,
    pub class: Class,
}

/// A text as keys, plus the string of keys the automaton scans.
#[derive(Debug, Default)]
pub(crate) struct KeyStream {
    pub chars: Vec<NChar>,
    pub keys: Vec<Key>,
    /// The keys as a string, one char per key.
    pub text: String,
}

impl KeyStream {
    pub fn new(s: &str) -> KeyStream {
        Self::from_chars(normalize_chars(s))
    }

    fn from_chars(chars: Vec<NChar>) -> KeyStream {
        let mut keys: Vec<Key> = Vec::with_capacity(chars.len());
        let mut gap = GapBuilder::default();
        for (i, nc) in chars.iter().enumerate() {
            // Fits: see normalize::MAX_LEN.
            let i = i as u32;
            if !is_key_char(nc.c) {
                gap.push(nc.c);
                continue;
            }
            let k = key_of(nc.c);
            let g = if keys.is_empty() {
                Gap::Hard
            } else {
                gap.take()
            };
            gap = GapBuilder::default();
            if let Some(last) = keys.last_mut() {
                if last.c == k && !g.is_visible() {
                    last.last = i;
                    continue;
                }
            }
            keys.push(Key {
                c: k,
                first: i,
                last: i,
                gap: g,
                class: class_of(nc.c),
            });
        }
        let text: String = keys.iter().map(|k| k.c).collect();
        KeyStream { chars, keys, text }
    }

    /// Key indices of the byte range `start..end` of `text` (char
    /// boundaries), for scan results in order of their end: `cursor` carries
    /// the last end, so a page's hits cost one pass however many there are.
    pub fn key_range(
        &self,
        cursor: &mut (usize, usize),
        start: usize,
        end: usize,
    ) -> (usize, usize) {
        let count = |a: usize, b: usize| self.text.get(a..b).map_or(0, |s| s.chars().count());
        if self.text.len() == self.keys.len() {
            // One byte per key: offsets are indices.
            return (start, end);
        }
        if end < cursor.0 {
            *cursor = (0, 0);
        }
        cursor.1 += count(cursor.0, end);
        cursor.0 = end;
        (cursor.1 - count(start, end), cursor.1)
    }

    /// Original byte range covered by keys `start..end` (end exclusive, non-empty).
    pub fn original_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let first = self.keys.get(start)?;
        let last = self.keys.get(end.checked_sub(1)?)?;
        let a = self.chars.get(first.first as usize)?.start as usize;
        let b = self.chars.get(last.last as usize)?.end as usize;
        (a < b).then_some((a, b))
    }

    /// End (exclusive) of the run of keys from `start` glued to each other
    /// (no gap, same class): the rest of a word.
    pub fn word_end(&self, start: usize) -> usize {
        let Some(first) = self.keys.get(start) else {
            return start;
        };
        let mut end = start + 1;
        while let Some(k) = self.keys.get(end) {
            if k.gap.is_break() || k.class != first.class {
                break;
            }
            end += 1;
        }
        end
    }

    /// The keys `start..end` as a string.
    pub fn key_string(&self, start: usize, end: usize) -> String {
        self.keys
            .get(start..end)
            .map(|ks| ks.iter().map(|k| k.c).collect())
            .unwrap_or_default()
    }
}

/// The key text [`KeyStream::new`] would build, in one pass and without
/// positions: most texts name no brand, and this is enough to know it.
/// Written into `out`; false (and `out` unusable) where the text needs the
/// full stream: a word with digits or `@`/`$` beside letters (they read as
/// letters depending on the whole word), or a combining breve on и.
///
/// It can skip the per-word folding because that folding only swaps
/// look-alikes, which share a key anyway: the tests compare both paths.
pub(crate) fn quick_key_text(s: &str, out: &mut String) -> bool {
    out.clear();
    let mut q = QuickKeys {
        out,
        last_key: None,
        gap: GapBuilder::default(),
        stand_ins: 0,
        letters: 0,
        plain: true,
    };
    let mut last_char = None;
    for c in truncate(s, MAX_LEN).chars() {
        // ASCII and basic Cyrillic, most of every text, by table.
        if c.is_ascii() {
            q.push_ascii(c as u8);
            continue;
        }
        if let 'а'..='я' | 'А'..='Я' = c {
            // 'А'..='Я' is U+0410..U+042F, 'а'..='я' U+0430..U+044F.
            let i = (c as usize - 0x410) % 32;
            q.push_letter(CYRILLIC_KEYS[i]);
            last_char = Some(CYRILLIC_LOWER[i]);
            continue;
        }
        let folded = fold_one(c, &mut |f| {
            q.push(f);
            last_char = Some(f);
        });
        if folded == Folded::Accent && c == BREVE && last_char == Some('и') {
            return false;
        }
    }
    // The end closes the last word.
    q.push_ascii(b' ');
    q.plain
}

/// Basic Cyrillic а..я (and А..Я) as lowercase, and as keys ([`key_of`]).
const CYRILLIC_LOWER: [char; 32] = {
    let mut t = ['а'; 32];
    let mut i = 0;
    while i < 32 {
        t[i] = match char::from_u32(0x430 + i as u32) {
            Some(c) => c,
            None => 'а',
        };
        i += 1;
    }
    t
};
const CYRILLIC_KEYS: [char; 32] = {
    let mut t = CYRILLIC_LOWER;
    let mut i = 0;
    while i < 32 {
        // No Cyrillic letter here reads as 'i', so `key_of`'s i → l never applies.
        if let Some(k) = cyr_to_lat(t[i]) {
            t[i] = k;
        }
        i += 1;
    }
    t
};

/// Per ASCII byte: its key (0: not a key char) and the flags below.
const ASCII_KEYS: [(u8, u8); 128] = {
    let mut t = [(0u8, 0u8); 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let lower = c.to_ascii_lowercase();
        t[b] = match c {
            b'a'..=b'z' | b'A'..=b'Z' => (if lower == b'i' { b'l' } else { lower }, WORD | LETTER),
            b'0'..=b'9' => (c, WORD | STAND_IN),
            b'@' | b'$' => (0, WORD | STAND_IN),
            b'\'' | b'`' | b'-' => (0, JOINER),
            _ => (0, 0),
        };
        b += 1;
    }
    t
};
const WORD: u8 = 1;
const LETTER: u8 = 2;
const STAND_IN: u8 = 4;
const JOINER: u8 = 8;

/// The state of [`quick_key_text`]: the key loop of [`KeyStream::from_chars`]
/// plus the word counts that tell when the quick path does not apply.
struct QuickKeys<'a> {
    out: &'a mut String,
    last_key: Option<char>,
    gap: GapBuilder,
    /// Stand-ins and letters in the current word (as `normalize::fold_word` counts them).
    stand_ins: usize,
    letters: usize,
    plain: bool,
}

impl QuickKeys<'_> {
    /// Any normalised char.
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            return self.push_ascii(c as u8);
        }
        if is_word_part(c) {
            self.letters += usize::from(is_letter_or_digit(c));
        } else {
            self.end_word();
        }
        if is_key_char(c) {
            self.push_key(key_of(c));
        } else {
            self.gap.push(c);
        }
    }

    /// A lowercase ASCII char or any ASCII byte of the original (same thing after `fold_one`).
    #[inline]
    fn push_ascii(&mut self, b: u8) {
        let (key, flags) = ASCII_KEYS[usize::from(b & 0x7F)];
        if flags & WORD != 0 {
            self.stand_ins += usize::from(flags & STAND_IN != 0);
            self.letters += usize::from(flags & LETTER != 0);
        } else {
            self.end_word();
        }
        if key != 0 {
            self.push_key(char::from(key));
        } else {
            self.gap.visible += 1;
            self.gap.joiner = flags & JOINER != 0;
        }
    }

    /// A non-ASCII letter, as its key.
    #[inline]
    fn push_letter(&mut self, key: char) {
        self.letters += 1;
        self.push_key(key);
    }

    #[inline]
    fn end_word(&mut self) {
        if self.stand_ins > 0 && self.letters >= 2 {
            self.plain = false;
        }
        (self.stand_ins, self.letters) = (0, 0);
    }

    #[inline]
    fn push_key(&mut self, k: char) {
        let g = if self.last_key.is_none() {
            Gap::Hard
        } else {
            self.gap.take()
        };
        self.gap = GapBuilder::default();
        if self.last_key == Some(k) && !g.is_visible() {
            return;
        }
        self.last_key = Some(k);
        self.out.push(k);
    }
}

/// Accumulates the separators seen between two keys.
#[derive(Default)]
struct GapBuilder {
    soft: usize,
    visible: usize,
    joiner: bool,
}

impl GapBuilder {
    fn push(&mut self, c: char) {
        if is_soft_separator(c) {
            self.soft += 1;
        } else {
            self.visible += 1;
            self.joiner = is_joiner(c);
        }
    }

    fn take(&self) -> Gap {
        match (self.visible, self.soft) {
            (0, 0) => Gap::None,
            (0, _) => Gap::Soft,
            (1, 0) if self.joiner => Gap::Joiner,
            _ => Gap::Hard,
        }
    }
}

/// Letters, digits, and the marks of scripts whose marks we keep.
fn is_key_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_letter_or_digit(c) || unicode_normalization::char::is_combining_mark(c)
}

/// The script-neutral key of a normalised char: look-alikes share a key, and
/// so do i and l (a capital I and a lowercase l are the same glyph in most fonts).
pub(crate) fn key_of(c: char) -> char {
    match to_latin_lookalike(c) {
        'i' => 'l',
        k => k,
    }
}

fn class_of(c: char) -> Class {
    match c {
        '\u{0E00}'..='\u{0EFF}'
        | '\u{1100}'..='\u{11FF}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3130}'..='\u{318F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF66}'..='\u{FF9F}'
        | '\u{20000}'..='\u{2FA1F}' => Class::Cjk,
        _ => Class::Alpha,
    }
}

/// Emoji and pictographs: used as decoration inside a masked word.
fn is_soft_separator(c: char) -> bool {
    matches!(c,
        '\u{2190}'..='\u{21FF}' | '\u{2300}'..='\u{23FF}' | '\u{2460}'..='\u{24FF}'
        | '\u{25A0}'..='\u{27BF}' | '\u{2900}'..='\u{297F}' | '\u{2B00}'..='\u{2BFF}'
        | '\u{1F000}'..='\u{1FAFF}')
}

fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | 'ʼ' | '‘' | '`' | '-' | '‐' | '‑' | '‒' | '–'
    )
}

/// Russian case and number endings a brand name takes in running text.
const RUSSIAN_ENDINGS: &[&str] = &[
    "а", "я", "у", "ю", "ом", "ем", "ой", "ей", "ою", "ею", "е", "и", "ы", "ов", "ев", "ам", "ям",
    "ами", "ями", "ах", "ях", "ого", "его", "ому", "ему", "ым", "им", "ую", "юю", "ая", "яя", "ое",
    "ее", "ые", "ие", "ых", "их", "ыми", "ими", "ь", "й", "ю",
];

/// English and Danish endings: plural, possessive, Danish definite forms.
const LATIN_ENDINGS: &[&str] = &[
    "s", "es", "en", "et", "ens", "ets", "er", "ers", "erne", "ernes", "ene", "enes",
];

/// Every accepted ending, in key form (folded and collapsed like the text).
pub(crate) fn ending_set() -> HashSet<String> {
    RUSSIAN_ENDINGS
        .iter()
        .chain(LATIN_ENDINGS)
        .map(|e| KeyStream::new(e).text)
        .collect()
}

/// Russian letters a word may lose before taking an ending ("Лада" → "Лады").
pub(crate) fn is_russian_stem_vowel(c: char) -> bool {
    matches!(c, 'а' | 'я' | 'ь' | 'й' | 'о' | 'е')
}

/// An alias, exclude phrase or query term compiled for the automaton.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    /// The key string the automaton looks for.
    pub text: String,
    /// Number of keys.
    pub len: usize,
    /// Key positions (relative) preceded by a word gap in the alias itself:
    /// "acme bank" has one at 4, so "ACME-bank" and "acme  bank" match.
    pub word_gaps: Vec<usize>,
    /// Whether the first and last keys are alphabetic (need word boundaries).
    pub start_alpha: bool,
    pub end_alpha: bool,
    /// A Russian stem ("Лад" of "Лада"): an ending must follow.
    pub needs_ending: bool,
}

impl Pattern {
    /// Compiles a phrase, plus its Russian stem form when its last letter
    /// may change in declension. Empty when it has no letters or digits.
    pub fn compile(phrase: &str) -> Vec<Pattern> {
        let stream = KeyStream::new(phrase);
        let Some(first) = stream.keys.first() else {
            return Vec::new();
        };
        let Some(last) = stream.keys.last() else {
            return Vec::new();
        };
        let word_gaps: Vec<usize> = stream
            .keys
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, k)| k.gap.is_break())
            .map(|(i, _)| i)
            .collect();
        let full = Pattern {
            text: stream.text.clone(),
            len: stream.keys.len(),
            word_gaps,
            start_alpha: first.class == Class::Alpha,
            end_alpha: last.class == Class::Alpha,
            needs_ending: false,
        };
        let mut out = vec![full.clone()];
        let last_char = stream.chars.get(last.last as usize).map(|nc| nc.c);
        let last_word_len = stream.keys.len() - full.word_gaps.last().copied().unwrap_or(0);
        let stem_alone = last.first == last.last && last_word_len >= 4;
        if stem_alone && last_char.is_some_and(is_russian_stem_vowel) {
            let mut stem = full;
            stem.text.pop();
            stem.len -= 1;
            stem.needs_ending = true;
            out.push(stem);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_collapse_repeats_and_fold_scripts() {
        assert_eq!(KeyStream::new("Nordlyyys").text, "nordlys");
        assert_eq!(
            KeyStream::new("Нооордлис").text,
            KeyStream::new("нордлис").text
        );
        assert_eq!(
            KeyStream::new("NordIys").text,
            KeyStream::new("Nordlys").text
        );
        // Repeats across a visible gap are two keys (separate words).
        assert_eq!(KeyStream::new("book keeper").text, "bokkeper");
    }

    #[test]
    fn gaps_are_classified() {
        let s = KeyStream::new("a🔥b'c d-e");
        let gaps: Vec<Gap> = s.keys.iter().map(|k| k.gap).collect();
        assert_eq!(
            gaps,
            [Gap::Hard, Gap::Soft, Gap::Joiner, Gap::Hard, Gap::Joiner]
        );
    }

    /// The quick pass must give the full stream's key text wherever it
    /// claims to apply, or the matcher would miss mentions.
    #[test]
    fn quick_key_text_agrees_with_the_full_stream() {
        const ALPHABET: &[&str] = &[
            "N", "o", "r", "d", "l", "y", "s", "I", "i", "h", "u", "c", "a", "e", "p", "x", "b",
            "Н", "о", "р", "д", "л", "и", "с", "й", "ё", "Ё", "а", "у", "х", "в", "і", "ӏ", "ο",
            "ι", "ν", "α", "η", "0", "1", "3", "4", "5", "8", "15", "@", "$", " ", ".", "-", "'",
            "’", ",", "\u{200B}", "\u{00AD}", "\u{301}", "\u{306}", "🔥", "诺", "德", "利", "斯",
            "ﬁ", "Ｎ", "æ", "ø", "å", "ß", "™", "\n", "!",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut quick, mut full) = (0, 0);
        let mut out = String::new();
        for _ in 0..50_000 {
            let len = 1 + next(12);
            let s: String = (0..len).map(|_| ALPHABET[next(ALPHABET.len())]).collect();
            if quick_key_text(&s, &mut out) {
                assert_eq!(out, KeyStream::new(&s).text, "quick key text of {s:?}");
                quick += 1;
            } else {
                full += 1;
            }
        }
        // Both paths are exercised, the quick one mostly.
        assert!(quick > 25_000 && full > 1_000, "quick {quick}, full {full}");
        for s in [
            "Nоrdlys",
            "HOPДЛuc",
            "N.o.r.d.l.y.s",
            "Нордлисом",
            "Nord\u{200B}lys",
            "诺德利斯",
        ] {
            assert!(quick_key_text(s, &mut out), "{s}");
            assert_eq!(out, KeyStream::new(s).text);
        }
        for s in ["N0rdlys", "Н0рдлис", "N@rdly$", "И\u{306}од"] {
            assert!(!quick_key_text(s, &mut out), "{s} needs the full stream");
        }
    }

    #[test]
    fn stems_only_for_declinable_russian_words() {
        assert_eq!(Pattern::compile("Лада").len(), 2);
        assert_eq!(Pattern::compile("Нордлис").len(), 1);
        assert_eq!(Pattern::compile("Acme").len(), 1);
        assert!(Pattern::compile("!!!").is_empty());
        let bank = &Pattern::compile("Acme  Bank")[0];
        assert_eq!(bank.word_gaps, vec![4]);
    }
}
