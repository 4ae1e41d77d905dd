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

use std::cmp::Ordering;
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
    /// Byte offsets in the original; `u32` keeps a 5 KB text's chars in
    /// cache and under the allocator's mmap threshold (see [`MAX_LEN`]).
    pub start: u32,
    pub end: u32,
}

/// Longest text normalised, 256 MiB; the rest of a longer one is ignored
/// (fetched bodies are capped far below). At this size byte offsets and char
/// indices fit `u32` even after NFKD's worst expansion (18 chars from one
/// 3-byte char).
pub const MAX_LEN: usize = 1 << 28;

/// Normalises `s` for matching, indexing and comparison (see the module docs).
pub fn normalize(s: &str) -> Normalized {
    let chars = normalize_chars(s);
    let mut text = String::with_capacity(s.len());
    let mut spans = Vec::with_capacity(chars.len());
    for nc in &chars {
        text.push(nc.c);
        spans.push(nc.start as usize..nc.end as usize);
    }
    Normalized { text, spans }
}

/// [`normalize`]'s text alone, for callers that never map back to the
/// original (classification, fingerprints, sketches): no span per char.
pub fn normalize_text(s: &str) -> String {
    normalize_chars(s).iter().map(|nc| nc.c).collect()
}

/// The char-level form of [`normalize`], used by the matcher.
pub(crate) fn normalize_chars(s: &str) -> Vec<NChar> {
    let s = truncate(s, MAX_LEN);
    let mut out: Vec<NChar> = Vec::with_capacity(s.len());
    for (start, c) in s.char_indices() {
        // Both fit: `s` is at most MAX_LEN bytes.
        let start = start as u32;
        let end = start + c.len_utf8() as u32;
        if fold_one(c, &mut |f| out.push(NChar { c: f, start, end })) == Folded::Accent {
            // Attach the accent's bytes to its base so a match's surface keeps it.
            if let Some(last) = out.last_mut() {
                if last.end == start {
                    last.end = end;
                    if c == BREVE && last.c == 'и' {
                        last.c = 'й';
                    }
                }
            }
        }
    }
    fold_words(&mut out);
    out
}

/// The combining breve: и followed by it is й.
pub(crate) const BREVE: char = '\u{306}';

/// What one original char became in [`fold_one`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Folded {
    /// Zero or more chars were emitted.
    Chars,
    /// Nothing: a zero-width or formatting char.
    Invisible,
    /// Nothing: an accent, which belongs to the char before it.
    Accent,
}

/// Normalises one original char, before the per-word folding: the part of
/// [`normalize_chars`] that needs no context.
pub(crate) fn fold_one(c: char, emit: &mut impl FnMut(char)) -> Folded {
    // The common letters first: ASCII, basic Cyrillic and CJK ideographs
    // need no table and are neither invisible nor accents.
    let quick = match c {
        _ if c.is_ascii() => Some(c.to_ascii_lowercase()),
        'а'..='я' | '\u{4E00}'..='\u{9FFF}' => Some(c),
        'А'..='Я' => char::from_u32(c as u32 + 32),
        _ => None,
    };
    if let Some(c) = quick {
        emit(c);
        return Folded::Chars;
    }
    if is_invisible(c) {
        return Folded::Invisible;
    }
    if is_diacritic(c) {
        return Folded::Accent;
    }
    fold_char(c, emit);
    Folded::Chars
}

/// The longest prefix of `s` of at most `max` bytes ending on a char boundary.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
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

/// `char::is_alphanumeric` with fast paths for the scripts we see most
/// (the general lookup dominated profiles of Russian and Chinese text).
pub(crate) fn is_letter_or_digit(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7F}' => false,
        '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}' => true,
        '\u{4E00}'..='\u{9FFF}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Lowercases and folds one non-ASCII char, emitting zero or more chars.
fn fold_char(c: char, emit: &mut impl FnMut(char)) {
    match c {
        // Fast paths: basic Cyrillic and CJK ideographs have no decomposition.
        'а'..='я' | '\u{4E00}'..='\u{9FFF}' => return emit(c),
        'А'..='Я' => return emit(char::from_u32(c as u32 + 32).unwrap_or(c)),
        'ё' | 'Ё' => return emit('е'),
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
pub(crate) const fn cyr_to_lat(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'в' => 'b',
        'г' => 'r',
        'е' => 'e',
        'и' => 'u',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' => 'o',
        'п' => 'n',
        'р' => 'p',
        'с' => 'c',
        'т' => 't',
        'у' => 'y',
        'х' => 'x',
        'ѕ' => 's',
        'і' => 'i',
        'ј' => 'j',
        'ԁ' => 'd',
        'һ' => 'h',
        'ӏ' => 'l',
        'ү' => 'y',
        _ => return None,
    })
}

/// Latin letters that look like a Cyrillic letter (upper or lower case,
/// e.g. H/Н, B/В, u/и, n/п, r/г).
fn lat_to_cyr(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'e' => 'е',
        'h' => 'н',
        'k' => 'к',
        'm' => 'м',
        'n' => 'п',
        'o' => 'о',
        'p' => 'р',
        'r' => 'г',
        't' => 'т',
        'u' => 'и',
        'x' => 'х',
        'y' => 'у',
        _ => return None,
    })
}

/// Greek letters that look like a Latin letter.
fn grk_to_lat(c: char) -> Option<char> {
    Some(match c {
        'α' => 'a',
        'β' => 'b',
        'ε' => 'e',
        'η' => 'n',
        'ι' => 'i',
        'κ' => 'k',
        'ν' => 'v',
        'ο' => 'o',
        'ρ' => 'p',
        'τ' => 't',
        'υ' => 'u',
        'χ' => 'x',
        _ => return None,
    })
}

/// Digits and symbols read as letters inside a Latin word.
fn leet_lat(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'l',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        '@' => 'a',
        '$' => 's',
        _ => return None,
    })
}

/// Digits and symbols read as letters inside a Cyrillic word.
fn leet_cyr(c: char) -> Option<char> {
    Some(match c {
        '0' => 'о',
        '3' => 'з',
        '4' => 'ч',
        '6' => 'б',
        '8' => 'в',
        '@' => 'а',
        _ => return None,
    })
}

/// Cyrillic look-alikes and Greek look-alikes as Latin, anything else unchanged.
/// The matcher compares words in this script-neutral "skeleton".
pub(crate) fn to_latin_lookalike(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    cyr_to_lat(c).or_else(|| grk_to_lat(c)).unwrap_or(c)
}

fn script_of(c: char) -> Option<Script> {
    match c {
        'a'..='z' | '\u{00E0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => Some(Script::Latin),
        '\u{0400}'..='\u{052F}' => Some(Script::Cyrillic),
        _ => None,
    }
}

/// A letter of `script` with no look-alike in the other one: it tells the script.
fn is_telling(c: char, script: Script) -> bool {
    if script_of(c) != Some(script) {
        return false;
    }
    match script {
        Script::Latin => lat_to_cyr(c).is_none(),
        Script::Cyrillic => cyr_to_lat(c).is_none(),
    }
}

pub(crate) fn is_word_part(c: char) -> bool {
    is_letter_or_digit(c) || c == '@' || c == '$'
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
    let (mut lat, mut cyr, mut greek, mut stand_ins, mut letters) = (0, 0, 0, 0, 0);
    for nc in word.iter() {
        match script_of(nc.c) {
            Some(Script::Latin) => lat += 1,
            Some(Script::Cyrillic) => cyr += 1,
            None if grk_to_lat(nc.c).is_some() => greek += 1,
            None if is_stand_in(nc.c) => stand_ins += 1,
            None => {}
        }
        letters += usize::from(is_letter_or_digit(nc.c) && !nc.c.is_ascii_digit());
    }
    let mixed = lat > 0 && cyr > 0;
    // Most words are in one script with nothing to read as a letter.
    if !mixed && greek == 0 && stand_ins == 0 {
        return;
    }
    let target = if mixed {
        // Letters with no look-alike tell the script; if none tell, the plain majority does.
        let lat_telling = word
            .iter()
            .filter(|nc| is_telling(nc.c, Script::Latin))
            .count();
        let cyr_telling = word
            .iter()
            .filter(|nc| is_telling(nc.c, Script::Cyrillic))
            .count();
        match (lat_telling.cmp(&cyr_telling), lat.cmp(&cyr)) {
            (Ordering::Greater, _) | (Ordering::Equal, Ordering::Greater) => Script::Latin,
            (Ordering::Less, _) | (Ordering::Equal, Ordering::Less) => Script::Cyrillic,
            (Ordering::Equal, Ordering::Equal) => return,
        }
    } else if lat > 0 {
        Script::Latin
    } else if cyr > 0 {
        Script::Cyrillic
    } else {
        return;
    };
    for nc in word.iter_mut() {
        let folded = match target {
            Script::Latin => cyr_to_lat(nc.c).or_else(|| grk_to_lat(nc.c)),
            Script::Cyrillic => lat_to_cyr(nc.c).or_else(|| grk_to_lat(nc.c).and_then(lat_to_cyr)),
        };
        if let Some(f) = folded {
            nc.c = f;
        }
    }
    if letters >= 2 && stand_ins > 0 {
        fold_stand_ins(word, target);
    }
}

fn is_stand_in(c: char) -> bool {
    c.is_ascii_digit() || c == '@' || c == '$'
}

/// Reads digits and `@`/`$` as letters where they stand between or next to
/// letters: "N0rdly5", "h4x0r", "4cme". Left alone: numbers of two or more
/// digits at a word's edge ("iphone15", "covid19"), and `@`/`$` at a word's
/// start ("@user", "$AAPL").
fn fold_stand_ins(word: &mut [NChar], target: Script) {
    let table = match target {
        Script::Latin => leet_lat,
        Script::Cyrillic => leet_cyr,
    };
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
            if let Some(f) = table(nc.c) {
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
    fn the_text_alone_is_the_text_of_the_full_form() {
        for s in [
            "Ｎｏｒｄｌｙｓ ﬁne",
            "НОРДЛИС и\u{306}",
            "Nørdlys\u{200b}app",
            "诺德利斯ＡＰＰ",
            "Cafe\u{301} 3о0",
            "",
        ] {
            assert_eq!(normalize_text(s), normalize(s).text, "{s:?}");
        }
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
