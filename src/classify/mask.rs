//! Obscenity under masking: the playbook asks to filter swear words "including
//! ones masked by emoji, digits, and mixed Cyrillic and Latin letters".
//!
//! Words are first normalised like brand names (homoglyphs folded into the
//! word's script, digits read as letters, zero-width characters dropped),
//! then unmasked here: symbols inside a word removed ("f.u.c.k", "х🙈й"),
//! `*` kept as a wildcard for one hidden letter ("f*ck", "п**дец"), spaced
//! single letters joined ("f u c k"), and runs of one letter collapsed
//! ("fuuuck", "бляяя"). Roots are then looked for at the start of each word
//! (or anywhere in Chinese), and a word on the allow list ("употреблять",
//! "Scunthorpe", "操作") never counts.

use crate::matcher::normalize_text;

/// A word as written and as unmasked.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The whitespace-separated token of the original text.
    pub surface: String,
    /// Lowercase, unmasked, repeats collapsed; `*` stands for a hidden letter.
    pub key: String,
}

/// Symbols people use for letters, beyond the digits `normalize` already reads.
fn symbol_letter(c: char) -> Option<char> {
    Some(match c {
        '@' => 'a',
        '$' => 's',
        // "sh1t", "п1зда", "sh!t": an i, an l or an и; a wildcard covers all three.
        '!' | '|' | '1' => '*',
        '€' => 'e',
        _ => return None,
    })
}

/// Unmasks a text into words (see the module docs).
pub fn words(text: &str) -> Vec<Word> {
    words_with(text, unmask)
}

/// The words of unspaced (Chinese) text, keyed by [`unspaced_key`].
pub fn unspaced_words(text: &str) -> Vec<Word> {
    words_with(text, unspaced_key)
}

fn words_with(text: &str, unmask: fn(&str) -> String) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut spaced: Vec<Word> = Vec::new();
    for surface in text.split_whitespace() {
        let key = unmask(surface);
        if key.is_empty() {
            continue;
        }
        // A lone letter may be part of "f u c k": gather a run of them.
        if key.chars().count() == 1 && key.chars().all(char::is_alphabetic) {
            spaced.push(Word {
                surface: surface.to_string(),
                key,
            });
            continue;
        }
        flush_spaced(&mut spaced, &mut out);
        out.push(Word {
            surface: surface.to_string(),
            key,
        });
    }
    flush_spaced(&mut spaced, &mut out);
    out
}

fn flush_spaced(spaced: &mut Vec<Word>, out: &mut Vec<Word>) {
    if spaced.len() >= 2 {
        let surface = spaced
            .iter()
            .map(|w| w.surface.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let key: String = spaced.iter().map(|w| w.key.as_str()).collect();
        out.push(Word {
            surface,
            key: collapse(&key),
        });
    } else {
        out.append(spaced);
    }
    spaced.clear();
}

/// Punctuation at a word's edges, which every unmasking drops anyway.
const EDGE_PUNCTUATION: &[char] = &[
    '.', ',', ';', ':', '!', '?', '"', '\'', '(', ')', '«', '»', '，', '。', '！', '？', '、',
    '；', '：', '“', '”', '（', '）',
];

/// A word of plain letters of one script (most words of most texts) needs
/// no normalisation beyond lowercase and ё→е: no masks, no look-alikes, no
/// digits. Skipping `normalize` for it keeps classification cheap in a crawl.
fn plain_word(token: &str) -> Option<String> {
    let t = token.trim_matches(EDGE_PUNCTUATION);
    if t.is_empty() {
        return None;
    }
    if t.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(t.to_ascii_lowercase());
    }
    if t.chars()
        .all(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
    {
        let lower = |c: char| match c {
            'ё' | 'Ё' => 'е',
            'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
            _ => c,
        };
        return Some(t.chars().map(lower).collect());
    }
    if t.chars().all(|c| matches!(c, '\u{4E00}'..='\u{9FFF}')) {
        return Some(t.to_string());
    }
    None
}

/// One token unmasked: normalised, symbols dropped or read, repeats collapsed.
fn unmask(token: &str) -> String {
    if let Some(word) = plain_word(token) {
        return collapse(&word);
    }
    // Symbols first, so normalisation sees "sh!t" as "shit".
    let lettered: String = token
        .chars()
        .map(|c| symbol_letter(c).unwrap_or(c))
        .collect();
    let normalized = normalize_text(&lettered);
    // Punctuation separates masked letters ("f.u.c.k"); a star or an emoji
    // stands for one ("f*ck", "х🙈й").
    let kept: String = normalized
        .chars()
        .filter_map(|c| match c {
            _ if c.is_alphanumeric() => Some(c),
            '*' | '#' | '?' => Some('*'),
            _ if !c.is_ascii() && !is_punctuation(c) => Some('*'),
            _ => None,
        })
        .collect();
    let trimmed = kept.trim_matches('*');
    // A masked letter inside a word, not decoration around it ("**", "*wow*").
    collapse(if trimmed.chars().any(char::is_alphabetic) {
        trimmed
    } else {
        ""
    })
}

/// A token of unspaced (Chinese) text unmasked: only emoji and pictographs
/// stand for a hidden character. Digits and ASCII or fullwidth punctuation
/// are left as they are or dropped, since "双11", "11:30" or "？？" are
/// ordinary text there, and two wildcards in a row would match any root.
pub fn unspaced_key(token: &str) -> String {
    if let Some(word) = plain_word(token) {
        return word;
    }
    normalize_text(token)
        .chars()
        .filter_map(|c| match c {
            _ if c.is_alphanumeric() => Some(c),
            _ if !c.is_ascii() && !is_punctuation(c) && !matches!(c, '\u{FF00}'..='\u{FFEF}') => {
                Some('*')
            }
            _ => None,
        })
        .collect()
}

/// Chinese text with a mask spaced out ("你是s b吧", "傻 子"): a single space
/// between two Chinese characters or lone Latin letters goes, so the word is
/// read whole. "usb 坏了" keeps its space: "usb" is a word, not a letter.
pub fn join_spaced_letters(text: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: Option<usize>| i.and_then(|i| chars.get(i).copied());
    let latin = |i: Option<usize>| at(i).is_some_and(|c| c.is_ascii_alphabetic());
    let cjk = |i: Option<usize>| at(i).is_some_and(|c| matches!(c, '\u{4E00}'..='\u{9FFF}'));
    let joinable = |i: usize| {
        if chars[i] != ' ' || i == 0 {
            return false;
        }
        let (left, right) = (Some(i - 1), Some(i + 1));
        let lone_left = latin(left) && !latin(i.checked_sub(2));
        let lone_right = latin(right) && !latin(Some(i + 2));
        (cjk(left) || lone_left) && (cjk(right) || lone_right)
    };
    if !(0..chars.len()).any(joinable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let joined: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, _)| !joinable(i))
        .map(|(_, c)| *c)
        .collect();
    std::borrow::Cow::Owned(joined)
}

/// The runs of one script in an unspaced word's key: Chinese characters,
/// Latin letters, and anything else (digits, masks) as separators.
/// "我tm服了" gives "我", "tm", "服了"; "7nm工艺" gives "nm", "工艺".
pub fn script_runs(key: &str) -> impl Iterator<Item = &str> {
    let class = |c: char| {
        if matches!(c, '\u{4E00}'..='\u{9FFF}') {
            1
        } else if c.is_ascii_alphabetic() {
            2
        } else {
            0
        }
    };
    let mut rest = key;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| class(c) != 0)?;
        rest = &rest[start..];
        let kind = rest.chars().next().map(class)?;
        let end = rest.find(|c: char| class(c) != kind).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some(run)
    })
}

fn is_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{00A0}'..='\u{00BF}' | '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF0F}')
}

/// Collapses runs of one char ("fuuuck" → "fuck"); roots are collapsed too,
/// so legitimate double letters compare equal on both sides.
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last || c == '*' {
            out.push(c);
        }
        last = Some(c);
    }
    out
}

/// Where in a word a lexicon root must sit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `root*`: the word starts with it.
    Start,
    /// `root`: the word is it.
    Whole,
    /// `*root*`, and every root in unspaced text: anywhere in the word.
    Anywhere,
}

/// An obscenity root, normalised and collapsed once when the lexicon loads
/// (matching runs for every word of every mention).
#[derive(Debug, Clone)]
pub struct Root {
    text: String,
    chars: Vec<char>,
    place: Place,
}

impl Root {
    /// `None` for a pattern with nothing left after normalising.
    pub fn parse(pattern: &str, unspaced: bool) -> Option<Root> {
        let normalized = normalize_text(pattern.trim());
        let text = collapse(normalized.trim_matches('*'));
        if text.is_empty() {
            return None;
        }
        let place = if unspaced || (normalized.starts_with('*') && normalized.ends_with('*')) {
            Place::Anywhere
        } else if normalized.ends_with('*') {
            Place::Start
        } else {
            Place::Whole
        };
        Some(Root {
            chars: text.chars().collect(),
            text,
            place,
        })
    }

    /// Whether the root sits in `key` (an unmasked word, where `*` may hide a letter).
    pub fn matches(&self, key: &str) -> bool {
        if !key.contains('*') {
            return match self.place {
                Place::Start => key.starts_with(&self.text),
                Place::Whole => key == self.text,
                Place::Anywhere => key.contains(&self.text),
            };
        }
        let w: Vec<char> = key.chars().collect();
        match self.place {
            Place::Start => prefix_match(&w, &self.chars),
            Place::Whole => full_match(&w, &self.chars),
            Place::Anywhere => contains_chars(&w, &self.chars),
        }
    }
}

/// A lexicon's roots, arranged so a plain word (no `*`) meets only the roots
/// that share its first letter, and the "anywhere" roots in one automaton
/// pass: every word of every mention goes through here.
#[derive(Debug, Clone)]
pub struct Roots {
    all: Vec<Root>,
    /// Whole roots, for words without wildcards: one set lookup.
    whole: foldhash::HashSet<String>,
    /// Start roots, for words without wildcards: one anchored automaton
    /// search, which stops at the first byte no root continues with.
    start: Option<aho_corasick::AhoCorasick>,
    /// Anywhere roots, for words without wildcards.
    anywhere: Option<aho_corasick::AhoCorasick>,
}

impl Roots {
    pub fn new(all: Vec<Root>) -> Roots {
        let mut whole: foldhash::HashSet<String> = Default::default();
        let (mut start, mut inside) = (Vec::new(), Vec::new());
        for root in &all {
            match root.place {
                Place::Anywhere => inside.push(root.text.clone()),
                Place::Start => start.push(root.text.clone()),
                Place::Whole => {
                    whole.insert(root.text.clone());
                }
            }
        }
        let start = (!start.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .start_kind(aho_corasick::StartKind::Anchored)
                    .build(&start)
                    .ok()
            })
            .flatten();
        let anywhere = if inside.is_empty() {
            None
        } else {
            aho_corasick::AhoCorasick::new(&inside).ok()
        };
        Roots {
            all,
            whole,
            start,
            anywhere,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Which of `keys` hold a root ([`Roots::matches`] of each): the
    /// "anywhere" roots in one automaton pass over the keys joined by
    /// newlines (no root holds one), not one search per word of a page.
    pub fn matching(&self, keys: &[&str]) -> Vec<bool> {
        let mut hit = vec![false; keys.len()];
        if let Some(ac) = &self.anywhere {
            let mut joined = String::with_capacity(keys.iter().map(|k| k.len() + 1).sum());
            let mut starts = Vec::with_capacity(keys.len());
            for key in keys {
                starts.push(joined.len());
                joined.push_str(key);
                joined.push('\n');
            }
            for m in ac.find_iter(&joined) {
                hit[starts.partition_point(|&s| s <= m.start()) - 1] = true;
            }
        }
        for (key, hit) in keys.iter().zip(&mut hit) {
            *hit = *hit || self.matches_beside_anywhere(key);
        }
        hit
    }

    /// Whether any root sits in `key` (see [`Root::matches`]).
    pub fn matches(&self, key: &str) -> bool {
        self.matches_beside_anywhere(key)
            || (!key.contains('*') && self.anywhere.as_ref().is_some_and(|ac| ac.is_match(key)))
    }

    /// [`Roots::matches`] but for the "anywhere" automaton on a key without
    /// wildcards, which [`Roots::matching`] runs over all keys at once. A key
    /// with wildcards is compared with every root; one without meets the
    /// whole roots in a set and the start roots in one anchored search.
    fn matches_beside_anywhere(&self, key: &str) -> bool {
        if key.contains('*') {
            return self.all.iter().any(|r| r.matches(key));
        }
        self.whole.contains(key)
            || self.start.as_ref().is_some_and(|ac| {
                let input = aho_corasick::Input::new(key).anchored(aho_corasick::Anchored::Yes);
                ac.is_match(input)
            })
    }
}

/// `w` is exactly `r`, each `*` in `w` standing for one char of `r` or none.
fn full_match(w: &[char], r: &[char]) -> bool {
    match (w.split_first(), r.split_first()) {
        (None, None) => true,
        (Some((&'*', w_rest)), _) => {
            full_match(w_rest, r)
                || r.split_first()
                    .is_some_and(|(_, r_rest)| full_match(w_rest, r_rest))
        }
        (Some((&wc, w_rest)), Some((&rc, r_rest))) => wc == rc && full_match(w_rest, r_rest),
        _ => false,
    }
}

/// `w` starts with `r`, each `*` in `w` standing for one char of `r` or none.
fn prefix_match(w: &[char], r: &[char]) -> bool {
    let Some((&rc, r_rest)) = r.split_first() else {
        return true;
    };
    match w.split_first() {
        Some((&'*', w_rest)) => prefix_match(w_rest, r_rest) || prefix_match(w_rest, r),
        Some((&wc, w_rest)) => wc == rc && prefix_match(w_rest, r_rest),
        None => false,
    }
}

/// `r` is inside `w`, starting on its first char as written: a wildcard may
/// hide a later char ("傻🅱"), never all of them ("🙂🙂" is no swear word).
fn contains_chars(chars: &[char], r: &[char]) -> bool {
    let Some(&first) = r.first() else {
        return false;
    };
    (0..chars.len()).any(|i| chars[i] == first && prefix_match(&chars[i..], r))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `word` starts with `root` (a `root*` pattern).
    fn starts_with(word: &str, root: &str) -> bool {
        Root::parse(&format!("{root}*"), false)
            .unwrap()
            .matches(word)
    }

    /// Whether `root` is anywhere in `word` (unspaced text).
    fn inside(word: &str, root: &str) -> bool {
        Root::parse(root, true).unwrap().matches(word)
    }

    fn keys(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.key).collect()
    }

    #[test]
    fn one_pass_over_all_words_agrees_with_each_word_alone() {
        let roots = Roots::new(
            ["*fuck*", "shit*", "twat", "*傻逼*", "妈的"]
                .iter()
                .filter_map(|p| Root::parse(p, false))
                .collect(),
        );
        let keys = [
            "hello",
            "motherfucker",
            "shitty",
            "twats",
            "twat",
            "f*ck",
            "sh*t",
            "",
            "fuck",
            "我傻逼了",
            "妈的",
            "他妈的",
            "ok",
            "fu",
            "ck",
        ];
        let one_pass = roots.matching(&keys);
        let alone: Vec<bool> = keys.iter().map(|k| roots.matches(k)).collect();
        assert_eq!(one_pass, alone);
        assert_eq!(alone.iter().filter(|h| **h).count(), 8, "{alone:?}");
    }

    #[test]
    fn masks_come_off() {
        assert_eq!(keys("f.u.c.k this"), ["fuck", "this"]);
        assert_eq!(keys("fuuuuck"), ["fuck"]);
        assert_eq!(keys("f u c k you"), ["fuck", "you"]);
        assert_eq!(keys("sh!t"), ["sh*t"]);
        assert_eq!(keys("f*ck"), ["f*ck"]);
        assert_eq!(keys("х🙈й"), ["х*й"]);
        assert!(starts_with("х*й", "хуй"));
        assert!(
            starts_with("нор*длис", "нордлис"),
            "a star may be decoration"
        );
        assert_eq!(keys("бляяяя"), ["бля"]);
        assert_eq!(keys("lo\u{200b}rt"), ["lort"]);
        assert!(starts_with("f*ck", "fuck"));
        assert!(starts_with("п**дец", "пизд"));
        assert!(!starts_with("fork", "fuck"));
        assert!(inside("你个傻*", "傻逼"));
        assert!(!inside("双**月", "傻逼"), "wildcards alone match nothing");
        assert_eq!(unspaced_key("双11活动？？😋"), "双11活动*");
    }

    #[test]
    fn script_runs_split_chinese_from_latin() {
        fn runs(k: &str) -> Vec<&str> {
            script_runs(k).collect()
        }
        assert_eq!(runs("我tm服了"), ["我", "tm", "服了"]);
        assert_eq!(runs("7nm工艺"), ["nm", "工艺"]);
        assert_eq!(runs("草"), ["草"]);
        assert_eq!(runs("html页面"), ["html", "页面"]);
        assert!(runs("123").is_empty());
    }

    #[test]
    fn lone_latin_letters_glued_to_chinese_are_joined() {
        assert_eq!(join_spaced_letters("你是s b吧"), "你是sb吧");
        assert_eq!(join_spaced_letters("一群s b客服"), "一群sb客服");
        assert_eq!(join_spaced_letters("usb port坏了"), "usb port坏了");
        assert_eq!(join_spaced_letters("没问题"), "没问题");
        assert_eq!(join_spaced_letters("傻 b 公司"), "傻b公司");
        assert_eq!(
            join_spaced_letters("北极光 hello world"),
            "北极光 hello world"
        );
    }

    #[test]
    fn plain_words_take_the_fast_path_to_the_same_key() {
        for token in [
            "Nordlys,",
            "«Нордлисом»",
            "ЁЛКИ!",
            "傻逼。",
            "Hello?",
            "Fuuuck",
        ] {
            let slow = {
                let lettered: String = token
                    .chars()
                    .map(|c| symbol_letter(c).unwrap_or(c))
                    .collect();
                let n = normalize_text(&lettered);
                let kept: String = n.chars().filter(|c| c.is_alphanumeric()).collect();
                collapse(&kept)
            };
            assert_eq!(unmask(token), slow, "{token}");
        }
        assert_eq!(unspaced_key("傻逼。"), "傻逼");
    }

    #[test]
    fn homoglyphs_and_digits_fold_into_the_word_script() {
        // Latin "x" and "y" inside a Cyrillic word, a digit for a letter.
        assert_eq!(keys("пи3дец"), keys("пиздец"));
        assert_eq!(keys("fuсk"), ["fuck"], "Cyrillic с inside a Latin word");
    }
}
