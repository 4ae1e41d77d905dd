//! The one normalisation every stage that compares words uses: matching,
//! the index and campaign detection must agree on what "the same word" is,
//! or a masked spelling found by one would be missed by the other.
//!
//! What it does, per character: compatibility decomposition (NFKD, so
//! fullwidth letters and ligatures fold), lowercase, Latin/Greek/Cyrillic
//! diacritics dropped (é→e, å→a, ё→е, but й stays й), a few letters that do
//! not decompose spelled out (æ→ae, ø→o, ß→ss), zero-width characters and
//! soft hyphens removed. Then, per word, the minority script's look-alike
//! letters are folded into the majority script (Latin "Nоrdlys" with a
//! Cyrillic о becomes "nordlys"), and digits standing in for letters are
//! read as letters ("N0rdly5" → "nordlys").
//!
//! The output is for comparison, not display: every normalised char keeps
//! the byte range of the original char it came from, so a match can point
//! at what the author actually wrote.

use std::ops::Range;
use unicode_normalization::char::decompose_compatible;

/// A normalised string and, for each of its chars, where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Byte range in the original string of each char of `text`, in order
    /// (`spans.len() == text.chars().count()`). Several normalised chars may
    /// share one range (a ligature "ﬁ" gives "f" and "i").
    pub spans: Vec<Range<usize>>,
}

impl Normalized {
    /// Original byte range covered by the normalised chars `chars` (char
    /// indices, end exclusive); `None` when the range is empty or out of bounds.
    pub fn original_range(&self, chars: Range<usize>) -> Option<Range<usize>> {
        if chars.start >= chars.end || chars.end > self.spans.len() {
            return None;
        }
        Some(self.spans[chars.start].start..self.spans[chars.end - 1].end)
    }
}

/// One normalised char and the original bytes it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NChar {
    pub c: char,
    pub start: usize,
    pub end: usize,
}

/// Normalises `s` for matching, indexing and comparison (see the module docs).
pub fn normalize(s: &str) -> Normalized {
    let chars = normalize_chars(s);
    let mut text = String::with_capacity(s.len());
    let mut spans = Vec::with_capacity(chars.len());
    for nc in &chars {
        text.push(nc.c);
        spans.push(nc.start..nc.end);
    }
    Normalized { text, spans }
}

/// The char-level form of [`normalize`], used by the matcher.
pub(crate) fn normalize_chars(s: &str) -> Vec<NChar> {
    let mut out: Vec<NChar> = Vec::with_capacity(s.len());
    for (start, c) in s.char_indices() {
        let end = start + c.len_utf8();
        if c.is_ascii() {
            out.push(NChar {
                c: c.to_ascii_lowercase(),
                start,
                end,
            });
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if is_diacritic(c) {
            // Attach the accent's bytes to its base so a match's surface keeps it.
            if let Some(last) = out.last_mut() {
                if last.end == start {
                    last.end = end;
                    if c == '\u{306}' && last.c == 'и' {
                        last.c = 'й';
                    }
                }
            }
            continue;
        }
        fold_char(c, &mut |f| out.push(NChar { c: f, start, end }));
    }
    fold_words(&mut out);
    out
}

/// Zero-width and formatting characters that trolls slip inside words.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{E0000}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Combining marks of alphabets we fold (Latin, Greek, Cyrillic accents).
/// Marks of other scripts (Devanagari vowel signs, kana voicing) carry
/// meaning and are kept.
fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Lowercases and folds one non-ASCII char, emitting zero or more chars.
fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    match c {
        'ё' | 'Ё' => return emit('е'),
        'й' | 'Й' => return emit('й'),
        'æ' | 'Æ' => {
            emit('a');
            return emit('e');
        }
        'œ' | 'Œ' => {
            emit('o');
            return emit('e');
        }
        'ß' | 'ẞ' => {
            emit('s');
            return emit('s');
        }
        'þ' | 'Þ' => {
            emit('t');
            return emit('h');
        }
        'ø' | 'Ø' => return emit('o'),
        'ł' | 'Ł' => return emit('l'),
        'đ' | 'Đ' | 'ð' | 'Ð' => return emit('d'),
        'ı' => return emit('i'),
        // Symbols NFKD would spell out as letters ("Nordlys™" must not become "nordlystm").
        '™' | '℠' | '©' | '®' | '℗' => return emit(c),
        _ => {}
    }
    // Hangul syllables and kana are whole units; NFKD would split them into
    // jamo or strip voicing marks.
    if matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{3040}'..='\u{30FF}') {
        return emit(c);
    }
    decompose_compatible(c, |d| {
        if is_diacritic(d) || is_invisible(d) {
            return;
        }
        if d.is_ascii() {
            return emit(d.to_ascii_lowercase());
        }
        for l in d.to_lowercase() {
            if !is_diacritic(l) {
                emit(l);
            }
        }
    });
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Script {
    Latin,
    Cyrillic,
}

/// Cyrillic letters that look like a Latin letter (lowercase, after folding).
const CYR_TO_LAT: &[(char, char)] = &[
    ('а', 'a'),
    ('в', 'b'),
    ('г', 'r'),
    ('е', 'e'),
    ('и', 'u'),
    ('к', 'k'),
    ('м', 'm'),
    ('н', 'h'),
    ('о', 'o'),
    ('п', 'n'),
    ('р', 'p'),
    ('с', 'c'),
    ('т', 't'),
    ('у', 'y'),
    ('х', 'x'),
    ('ѕ', 's'),
    ('і', 'i'),
    ('ј', 'j'),
    ('ԁ', 'd'),
    ('һ', 'h'),
    ('ӏ', 'l'),
    ('ү', 'y'),
];

/// Latin letters that look like a Cyrillic letter (upper or lower case,
/// e.g. H/Н, B/В, u/и, n/п, r/г).
const LAT_TO_CYR: &[(char, char)] = &[
    ('a', 'а'),
    ('b', 'в'),
    ('c', 'с'),
    ('e', 'е'),
    ('h', 'н'),
    ('k', 'к'),
    ('m', 'м'),
    ('n', 'п'),
    ('o', 'о'),
    ('p', 'р'),
    ('r', 'г'),
    ('t', 'т'),
    ('u', 'и'),
    ('x', 'х'),
    ('y', 'у'),
];

/// Greek letters that look like a Latin letter.
const GRK_TO_LAT: &[(char, char)] = &[
    ('α', 'a'),
    ('β', 'b'),
    ('ε', 'e'),
    ('η', 'n'),
    ('ι', 'i'),
    ('κ', 'k'),
    ('ν', 'v'),
    ('ο', 'o'),
    ('ρ', 'p'),
    ('τ', 't'),
    ('υ', 'u'),
    ('χ', 'x'),
];

/// Digits and symbols read as letters inside a Latin word.
const LEET_LAT: &[(char, char)] = &[
    ('0', 'o'),
    ('1', 'l'),
    ('3', 'e'),
    ('4', 'a'),
    ('5', 's'),
    ('7', 't'),
    ('8', 'b'),
    ('@', 'a'),
    ('$', 's'),
];

/// Digits and symbols read as letters inside a Cyrillic word.
const LEET_CYR: &[(char, char)] = &[
    ('0', 'о'),
    ('3', 'з'),
    ('4', 'ч'),
    ('6', 'б'),
    ('8', 'в'),
    ('@', 'а'),
];

fn lookup(table: &[(char, char)], c: char) -> Option<char> {
    table.iter().find(|(from, _)| *from == c).map(|(_, to)| *to)
}

/// Cyrillic look-alikes and Greek look-alikes as Latin, anything else unchanged.
/// The matcher compares words in this script-neutral "skeleton".
pub(crate) fn to_latin_lookalike(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    lookup(CYR_TO_LAT, c)
        .or_else(|| lookup(GRK_TO_LAT, c))
        .unwrap_or(c)
}

fn script_of(c: char) -> Option<Script> {
    match c {
        'a'..='z' | '\u{00E0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Some(Script::Latin),
        '\u{0400}'..='\u{052F}' => Some(Script::Cyrillic),
        _ => None,
    }
}

/// A letter whose script is unambiguous: it has no look-alike in the other one.
fn is_telling(c: char, script: Script) -> bool {
    match script {
        Script::Latin => lookup(LAT_TO_CYR, c).is_none(),
        Script::Cyrillic => lookup(CYR_TO_LAT, c).is_none(),
    }
}

fn is_word_part(c: char) -> bool {
    c.is_alphanumeric() || c == '@' || c == '$'
}

/// Folds each word's look-alikes and stand-in digits into its majority script.
fn fold_words(chars: &mut [NChar]) {
    let mut i = 0;
    while i < chars.len() {
        if !is_word_part(chars[i].c) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_word_part(chars[i].c) {
            i += 1;
        }
        fold_word(&mut chars[start..i]);
    }
}

fn fold_word(word: &mut [NChar]) {
    let (mut lat, mut cyr, mut lat_telling, mut cyr_telling, mut letters) = (0, 0, 0, 0, 0);
    for nc in word.iter() {
        if nc.c.is_alphabetic() {
            letters += 1;
        }
        match script_of(nc.c) {
            Some(Script::Latin) => {
                lat += 1;
                lat_telling += usize::from(is_telling(nc.c, Script::Latin));
            }
            Some(Script::Cyrillic) => {
                cyr += 1;
                cyr_telling += usize::from(is_telling(nc.c, Script::Cyrillic));
            }
            None => {}
        }
    }
    // Telling letters decide; when none tell (all look-alikes), the plain majority does.
    let target = match (lat_telling.cmp(&cyr_telling), lat.cmp(&cyr)) {
        (std::cmp::Ordering::Greater, _) => Script::Latin,
        (std::cmp::Ordering::Less, _) => Script::Cyrillic,
        (_, std::cmp::Ordering::Greater) => Script::Latin,
        (_, std::cmp::Ordering::Less) => Script::Cyrillic,
        _ => return,
    };
    for nc in word.iter_mut() {
        let folded = match target {
            Script::Latin => lookup(CYR_TO_LAT, nc.c).or_else(|| lookup(GRK_TO_LAT, nc.c)),
            Script::Cyrillic => lookup(LAT_TO_CYR, nc.c)
                .or_else(|| lookup(GRK_TO_LAT, nc.c).and_then(|l| lookup(LAT_TO_CYR, l))),
        };
        if let Some(f) = folded {
            nc.c = f;
        }
    }
    if letters >= 2 {
        fold_stand_ins(word, target);
    }
}

/// Reads digits and `@`/`$` as letters where they stand between or next to
/// letters: "N0rdly5", "h4x0r", "4cme". Left alone: numbers of two or more
/// digits at a word's edge ("iphone15", "covid19"), and `@`/`$` at a word's
/// start ("@user", "$AAPL").
fn fold_stand_ins(word: &mut [NChar], target: Script) {
    let table = match target {
        Script::Latin => LEET_LAT,
        Script::Cyrillic => LEET_CYR,
    };
    let is_stand_in = |c: char| c.is_ascii_digit() || c == '@' || c == '$';
    let mut i = 0;
    while i < word.len() {
        if !is_stand_in(word[i].c) {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < word.len() && is_stand_in(word[i].c) {
            i += 1;
        }
        let letter_before = run_start > 0;
        let letter_after = i < word.len();
        let interior = letter_before && letter_after;
        let single = i - run_start == 1;
        if !(interior || single) {
            continue;
        }
        if !letter_before && matches!(word[run_start].c, '@' | '$') {
            continue;
        }
        for nc in &mut word[run_start..i] {
            if let Some(f) = lookup(table, nc.c) {
                nc.c = f;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn folds_case_diacritics_yo_and_fullwidth() {
        assert_eq!(norm("NÓRDLYS"), "nordlys");
        assert_eq!(norm("Ｎｏｒｄｌｙｓ"), "nordlys");
        assert_eq!(norm("Берёза"), "береза");
        assert_eq!(norm("Йод и й"), "йод и й");
        assert_eq!(norm("Blåbær Øl Straße"), "blabaer ol strasse");
        // A decomposed й (и + combining breve) is still й.
        assert_eq!(norm("И\u{306}од"), "йод");
        assert_eq!(norm("ﬁsh"), "fish");
        assert_eq!(norm("Nordlys™"), "nordlys™");
    }

    #[test]
    fn removes_zero_width_and_soft_hyphens() {
        assert_eq!(norm("Nord\u{200B}l\u{00AD}y\u{2060}s\u{FEFF}"), "nordlys");
    }

    #[test]
    fn folds_homoglyphs_into_the_majority_script() {
        // Cyrillic о in a Latin word.
        assert_eq!(norm("Nоrdlys"), "nordlys");
        // Latin H, O, P, u, c in a Cyrillic word: Д and Л tell it is Cyrillic.
        assert_eq!(norm("HOPДЛuc"), "нордлис");
        // Greek omicron in a Latin word.
        assert_eq!(norm("Nοrdlys"), "nordlys");
        // Words in one script are never changed.
        assert_eq!(norm("copy сору"), "copy сору");
        assert_eq!(norm("Мама"), "мама");
    }

    #[test]
    fn reads_stand_in_digits_only_inside_words() {
        assert_eq!(norm("N0rdly5"), "nordlys");
        assert_eq!(norm("Н0рдлис"), "нордлис");
        assert_eq!(norm("N@rdly$"), "nardlys");
        assert_eq!(norm("2024 10k 4g @user $100"), "2024 10k 4g @user $100");
        assert_eq!(norm("iphone15 covid19"), "iphone15 covid19");
    }

    #[test]
    fn spans_point_at_original_bytes() {
        let s = "Ｎо\u{200B}rd";
        let n = normalize(s);
        assert_eq!(n.text, "nord");
        assert_eq!(n.spans.len(), 4);
        for span in &n.spans {
            assert!(s.is_char_boundary(span.start) && s.is_char_boundary(span.end));
        }
        assert_eq!(&s[n.spans[0].clone()], "Ｎ");
        assert_eq!(&s[n.spans[1].clone()], "о");
        assert_eq!(&s[n.spans[2].clone()], "r");
        assert_eq!(n.original_range(0..4), Some(0..s.len()));
        assert_eq!(n.original_range(2..2), None);
        // An accent stays with its base letter.
        let accented = "e\u{301}x";
        let n = normalize(accented);
        assert_eq!(n.text, "ex");
        assert_eq!(&accented[n.spans[0].clone()], "e\u{301}");
    }
}
