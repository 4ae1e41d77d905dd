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

use crate::matcher::normalize;

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

/// One token unmasked: normalised, symbols dropped or read, repeats collapsed.
fn unmask(token: &str) -> String {
    // Symbols first, so normalisation sees "sh!t" as "shit".
    let lettered: String = token
        .chars()
        .map(|c| symbol_letter(c).unwrap_or(c))
        .collect();
    let normalized = normalize(&lettered).text;
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
    normalize(token)
        .text
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

/// Whether `word` starts with `root`, each `*` in the word standing for one
/// letter of the root or for none (a decoration).
pub fn starts_with_masked(word: &str, root: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    let r: Vec<char> = root.chars().collect();
    prefix_match(&w, &r)
}

/// Whether `word` is exactly `root`, each `*` standing for one letter or none.
pub fn equals_masked(word: &str, root: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    let r: Vec<char> = root.chars().collect();
    full_match(&w, &r)
}

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

/// Whether `word` contains `root` anywhere (Chinese, or `*root*` patterns).
/// A match starts on the root's first character as written: a wildcard may
/// hide a later character ("傻🅱"), never all of them ("🙂🙂" is no swear word).
pub fn contains_masked(word: &str, root: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let r: Vec<char> = root.chars().collect();
    let Some(&first) = r.first() else {
        return false;
    };
    (0..chars.len()).any(|i| chars[i] == first && prefix_match(&chars[i..], &r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.key).collect()
    }

    #[test]
    fn masks_come_off() {
        assert_eq!(keys("f.u.c.k this"), ["fuck", "this"]);
        assert_eq!(keys("fuuuuck"), ["fuck"]);
        assert_eq!(keys("f u c k you"), ["fuck", "you"]);
        assert_eq!(keys("sh!t"), ["sh*t"]);
        assert_eq!(keys("f*ck"), ["f*ck"]);
        assert_eq!(keys("х🙈й"), ["х*й"]);
        assert!(starts_with_masked("х*й", "хуй"));
        assert!(
            starts_with_masked("нор*длис", "нордлис"),
            "a star may be decoration"
        );
        assert_eq!(keys("бляяяя"), ["бля"]);
        assert_eq!(keys("lo\u{200b}rt"), ["lort"]);
        assert!(starts_with_masked("f*ck", "fuck"));
        assert!(starts_with_masked("п**дец", "пизд"));
        assert!(!starts_with_masked("fork", "fuck"));
        assert!(contains_masked("你个傻*", "傻逼"));
        assert!(
            !contains_masked("双**月", "傻逼"),
            "wildcards alone match nothing"
        );
        assert_eq!(unspaced_key("双11活动？？😋"), "双11活动*");
    }

    #[test]
    fn homoglyphs_and_digits_fold_into_the_word_script() {
        // Latin "x" and "y" inside a Cyrillic word, a digit for a letter.
        assert_eq!(keys("пи3дец"), keys("пиздец"));
        assert_eq!(keys("fuсk"), ["fuck"], "Cyrillic с inside a Latin word");
    }
}
