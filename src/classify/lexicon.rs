//! Per-language word lists, read from TOML so a brand (or a maintainer
//! tuning against a labelled set) can change them without rebuilding.
//!
//! A pattern is one of:
//! - `слово`: the whole word;
//! - `жалоб*`: a word starting with `жалоб` (Russian endings, English plurals);
//! - `можно ли`, `how do i`: words in this order (each may end in `*`);
//! - `*拖欠*`: anywhere in the text, inside words too. In Chinese every
//!   pattern is matched anywhere, since words are not separated by spaces.
//!
//! Lists: `[intent]` cues per class, `[sentiment]` words, negators and
//! contrasts, `[flags]` cues per moderation flag, and `[signals]`, cues the
//! intent model weighs without their making a class ([`SIGNAL_LISTS`]).
//!
//! Text and patterns go through the same normalisation as brand matching
//! ([`crate::matcher::normalize`]), so "Жалоба" and "жалоба" are one word.

use super::ClassifyError;
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Lexicons shipped with Hearsay, compiled in.
pub const BUILT_IN: [(&str, &str); 4] = [
    ("ru", include_str!("lexicons/ru.toml")),
    ("zh", include_str!("lexicons/zh.toml")),
    ("da", include_str!("lexicons/da.toml")),
    ("en", include_str!("lexicons/en.toml")),
];

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLexicon {
    /// Cue lists per intent: question, complaint, praise, incident.
    #[serde(default)]
    pub intent: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub sentiment: RawSentiment,
    /// Cue lists per flag: obscene, obscene_allow, obscene_alone, insult, troll, ad,
    /// constructive, detail, manual, experience.
    #[serde(default)]
    pub flags: BTreeMap<String, Vec<String>>,
    /// Cue lists the intent model reads as signals beside the words, none
    /// of them a class on its own: see [`SIGNAL_LISTS`].
    #[serde(default)]
    pub signals: BTreeMap<String, Vec<String>>,
    /// Numeric knobs overriding [`super::Weights`] for this language.
    #[serde(default)]
    pub weights: BTreeMap<String, f32>,
    /// Words that contain a cue but are none (好像 ⊃ 好, "usb" ⊃ "sb").
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSentiment {
    #[serde(default)]
    pub positive: Vec<String>,
    #[serde(default)]
    pub negative: Vec<String>,
    /// Words that flip the sentiment of the next two words ("не", "not", "不").
    #[serde(default)]
    pub negators: Vec<String>,
    /// Words after which the clause weighs more ("но", "but", "men", "但是").
    #[serde(default)]
    pub contrast: Vec<String>,
}

/// The lists a lexicon may hold; anything else is a typo worth an error.
pub const INTENT_LISTS: [&str; 4] = ["question", "complaint", "praise", "incident"];
pub const FLAG_LISTS: [&str; 12] = [
    "obscene",
    "obscene_allow",
    "obscene_alone",
    "insult",
    "troll",
    "ad",
    "constructive",
    "detail",
    "manual",
    "experience",
    "notice",
    "claim",
];

/// Signal lists: things that happen again (`repeat`), waiting and time gone
/// by (`waiting`), asking why (`why`), a reporter's voice (`news`), an
/// answer to someone (`reply`), praise words said through gritted teeth
/// (`sarcasm`), who speaks to whom (`self`, `you`, `we`), how far a problem
/// reaches (`scope`) and what changed (`change`).
pub const SIGNAL_LISTS: [&str; 11] = [
    "repeat", "waiting", "why", "news", "reply", "sarcasm", "self", "you", "we", "scope", "change",
];

/// The list of words that hold a cue without being one.
const IGNORE: &str = "ignore";

/// One compiled cue list: which list a pattern belongs to and how it reads.
#[derive(Debug, Clone)]
pub struct Cue {
    /// `intent.question`, `sentiment.negative`, `flags.ad`, ...
    pub list: String,
    pub pattern: String,
}

/// A cue found in padded text, by byte range.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    pub cue: &'a Cue,
    pub start: usize,
    pub end: usize,
}

/// All of a language's cue lists in one automaton, plus the raw obscenity
/// lists (those are matched word by word, after unmasking).
pub struct Lexicon {
    pub lang: String,
    automaton: AhoCorasick,
    cues: Vec<Cue>,
    pub obscene: super::mask::Roots,
    /// Allowed words, ready to compare: prefixes of unmasked words, or (in
    /// unspaced text) substrings to blank out before roots are looked for.
    pub obscene_allow: Vec<String>,
    /// Unspaced text: swear words that count only standing alone, as a whole
    /// run of their script ("草" or "艹" between spaces or punctuation, "tm"
    /// between Chinese characters), never inside a word (草莓, html).
    pub obscene_alone: Vec<String>,
    /// Single-word insults, matched like obscenity so masking comes off.
    pub insult: super::mask::Roots,
    /// The `ignore` list, ready to compare like `obscene_allow`.
    pub ignore: Vec<String>,
    pub weights: BTreeMap<String, f32>,
    /// Chinese: patterns match anywhere.
    pub unspaced: bool,
}

impl Lexicon {
    /// Parses and compiles a lexicon; `origin` names the file in errors.
    pub fn parse(lang: &str, text: &str, origin: &str) -> Result<Lexicon, ClassifyError> {
        let raw: RawLexicon = toml::from_str(text).map_err(|e| ClassifyError::Lexicon {
            origin: origin.to_string(),
            reason: e.to_string(),
        })?;
        let unknown = |kind: &str, key: &str| ClassifyError::Lexicon {
            origin: origin.to_string(),
            reason: format!("unknown list `{kind}.{key}`"),
        };
        for key in raw.intent.keys() {
            if !INTENT_LISTS.contains(&key.as_str()) {
                return Err(unknown("intent", key));
            }
        }
        for key in raw.flags.keys() {
            if !FLAG_LISTS.contains(&key.as_str()) {
                return Err(unknown("flags", key));
            }
        }
        for key in raw.signals.keys() {
            if !SIGNAL_LISTS.contains(&key.as_str()) {
                return Err(unknown("signals", key));
            }
        }
        for key in raw.weights.keys() {
            if !super::Weights::KNOBS.contains(&key.as_str()) {
                return Err(unknown("weights", key));
            }
        }
        let unspaced = lang == "zh";
        let mut cues = Vec::new();
        let mut needles = Vec::new();
        let mut add = |list: String, patterns: &[String]| {
            for p in patterns {
                if let Some(needle) = needle(p, unspaced) {
                    needles.push(needle);
                    cues.push(Cue {
                        list: list.clone(),
                        pattern: p.clone(),
                    });
                }
            }
        };
        for (name, patterns) in &raw.intent {
            add(format!("intent.{name}"), patterns);
        }
        add("sentiment.positive".into(), &raw.sentiment.positive);
        add("sentiment.negative".into(), &raw.sentiment.negative);
        add("sentiment.negators".into(), &raw.sentiment.negators);
        add("sentiment.contrast".into(), &raw.sentiment.contrast);
        add(IGNORE.into(), &raw.ignore);
        for (name, patterns) in &raw.flags {
            if !name.starts_with("obscene") {
                add(format!("flags.{name}"), patterns);
            }
        }
        for (name, patterns) in &raw.signals {
            add(format!("signals.{name}"), patterns);
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&needles)
            .map_err(|e| ClassifyError::Lexicon {
                origin: origin.to_string(),
                reason: e.to_string(),
            })?;
        let list = |name: &str| raw.flags.get(name).map(Vec::as_slice).unwrap_or(&[]);
        let obscene = super::mask::Roots::new(
            list("obscene")
                .iter()
                .filter_map(|p| super::mask::Root::parse(p, unspaced))
                .collect(),
        );
        let allow = |patterns: &[String]| -> Vec<String> {
            patterns
                .iter()
                .map(|p| {
                    let n = crate::matcher::normalize_text(p);
                    if unspaced {
                        n.trim_matches('*').to_string()
                    } else {
                        super::mask::collapse(n.trim_end_matches('*'))
                    }
                })
                .filter(|a| !a.is_empty())
                .collect()
        };
        let obscene_allow = allow(list("obscene_allow"));
        let obscene_alone = list("obscene_alone")
            .iter()
            .map(|p| crate::matcher::normalize_text(p.trim()))
            .filter(|p| !p.is_empty())
            .collect();
        // Phrases ("you bunch") stay with the automaton; masks hide single words.
        let insult = super::mask::Roots::new(
            list("insult")
                .iter()
                .filter(|p| !p.trim().contains(' '))
                .filter_map(|p| super::mask::Root::parse(p, unspaced))
                .collect(),
        );
        let ignore = allow(&raw.ignore);
        Ok(Lexicon {
            lang: lang.to_string(),
            automaton,
            cues,
            obscene,
            obscene_allow,
            obscene_alone,
            insult,
            ignore,
            weights: raw.weights,
            unspaced,
        })
    }

    /// Every cue found in `padded` (see [`padded_words`]), with where it starts
    /// (a byte offset, for negation and contrast), each pattern once per
    /// position; cues inside an `ignore` word are left out.
    pub fn find<'a>(&'a self, padded: &str) -> Vec<Hit<'a>> {
        let mut found: Vec<(&Cue, usize, usize)> = self
            .automaton
            .find_overlapping_iter(padded)
            .map(|m| (&self.cues[m.pattern().as_usize()], m.start(), m.end()))
            .collect();
        let ignored: Vec<(usize, usize)> = found
            .iter()
            .filter(|(c, _, _)| c.list == IGNORE)
            .map(|&(_, s, e)| (s, e))
            .collect();
        if !ignored.is_empty() {
            found.retain(|&(c, s, e)| {
                c.list != IGNORE && !ignored.iter().any(|&(is, ie)| is <= s && e <= ie)
            });
        }
        found
            .into_iter()
            .map(|(cue, start, end)| Hit { cue, start, end })
            .collect()
    }
}

/// The needle a pattern becomes in the padded text: " word ", " stem", "phrase".
fn needle(pattern: &str, unspaced: bool) -> Option<String> {
    let p = pattern.trim();
    if p.is_empty() {
        return None;
    }
    let anywhere = unspaced || (p.starts_with('*') && p.ends_with('*') && p.len() > 2);
    let body = p.trim_matches('*');
    let words: Vec<String> = body
        .split_whitespace()
        .map(|w| words_of(w.trim_end_matches('*')).join(" "))
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    let joined = words.join(" ");
    if anywhere {
        return Some(joined);
    }
    let open = if p.ends_with('*') { "" } else { " " };
    Some(format!(" {joined}{open}"))
}

/// Normalised words of `text`: letters, digits and inner apostrophes, and
/// each emoji on its own.
pub fn words_of(text: &str) -> Vec<String> {
    padded_normalized(&crate::matcher::normalize_text(text))
        .split(' ')
        .filter(|w| !w.is_empty() && !is_break(w))
        .map(str::to_string)
        .collect()
}

/// The word standing for a sentence end in padded text.
pub const SENTENCE_BREAK: &str = ".";
/// The word standing for a clause break (comma, colon) in padded text.
pub const CLAUSE_BREAK: &str = ",";

/// Whether a word of padded text is a break, not a word.
pub fn is_break(word: &str) -> bool {
    word == SENTENCE_BREAK || word == CLAUSE_BREAK
}

/// Pictographs people use as words: 👍 😡 🤬 🤡 🙏 ❤ (skin tones and
/// variation selectors are not words).
pub fn is_emoji(c: char) -> bool {
    matches!(c,
        '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}' | '\u{1F000}'..='\u{1F3FA}'
        | '\u{1F400}'..='\u{1FAFF}')
}

/// The text as " w1 w2 , w3 . w4 ", the form the automaton scans: words,
/// emoji as words, and a break word where a sentence or clause ends.
pub fn padded_words(text: &str) -> String {
    padded_normalized(&crate::matcher::normalize_text(text))
}

/// [`padded_words`] of a text already normalised (`matcher::normalize`).
pub fn padded_normalized(normalized: &str) -> String {
    let mut out = String::with_capacity(normalized.len() + 2);
    out.push(' ');
    let mut word = String::new();
    // The strongest break seen since the last word: 0 none, 1 clause, 2 sentence.
    let mut pending = 0u8;
    let mut chars = normalized.chars().peekable();
    while let Some(c) = chars.next() {
        if crate::matcher::normalize::is_letter_or_digit(c) || c == '\'' {
            word.push(c);
            continue;
        }
        let after_digit = word.chars().last().is_some_and(|l| l.is_ascii_digit());
        push_word(&mut out, &mut word, &mut pending);
        if is_emoji(c) {
            push_word(&mut out, &mut c.to_string(), &mut pending);
            continue;
        }
        let next = chars.peek().copied();
        // "1.5", "12:30" and "e.g" inside a token are no breaks.
        let inside_token = next.is_some_and(char::is_alphanumeric) && (after_digit || c == '.');
        let strength = match c {
            _ if inside_token => 0,
            '.' | '!' | '?' | ';' | '…' | '。' | '！' | '？' | '；' | '\n' => 2,
            ',' | ':' | '，' | '、' | '：' | '(' | ')' | '（' | '）' => 1,
            _ => 0,
        };
        pending = pending.max(strength);
    }
    push_word(&mut out, &mut word, &mut pending);
    out
}

/// Appends a finished word (after the break before it, if any) to padded text.
fn push_word(out: &mut String, word: &mut String, pending: &mut u8) {
    let trimmed = word.trim_matches('\'');
    if trimmed.is_empty() {
        word.clear();
        return;
    }
    if *pending > 0 && out.len() > 1 {
        out.push_str(if *pending == 2 {
            SENTENCE_BREAK
        } else {
            CLAUSE_BREAK
        });
        out.push(' ');
    }
    *pending = 0;
    out.push_str(trimmed);
    out.push(' ');
    word.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_read_as_words_stems_phrases_and_substrings() {
        let lex = Lexicon::parse(
            "ru",
            r#"[intent]
complaint = ["жалоб*", "не работает", "ужас"]
question = ["подскажите"]
"#,
            "test",
        )
        .unwrap();
        let padded = padded_words("Пишу ЖАЛОБУ: приложение не работает, ужасно!");
        let found: Vec<&str> = lex
            .find(&padded)
            .iter()
            .map(|h| h.cue.pattern.as_str())
            .collect();
        assert_eq!(
            found,
            ["жалоб*", "не работает"],
            "«ужас» is a whole word, not «ужасно»"
        );
    }

    #[test]
    fn unknown_lists_are_named() {
        let err = Lexicon::parse("en", "[flags]\nobscen = [\"x\"]\n", "en.toml")
            .err()
            .unwrap();
        assert!(err.to_string().contains("flags.obscen"), "{err}");
        assert!(err.to_string().contains("en.toml"), "{err}");
        let err = Lexicon::parse("en", "[signals]\nrepeats = [\"again\"]\n", "en.toml")
            .err()
            .unwrap();
        assert!(err.to_string().contains("signals.repeats"), "{err}");
        let lex = Lexicon::parse("en", "[signals]\nrepeat = [\"again\"]\n", "en.toml").unwrap();
        let found = lex.find(&padded_words("down again"));
        assert_eq!(found[0].cue.list, "signals.repeat");
    }

    /// Regression: cues that fired inside ordinary words. Normalised, "tåge"
    /// (fog) is "tage" (take) and "før" (before) is "for"; 烫 (overheating)
    /// sits inside the dish 麻辣烫, 要关 (to be shut) inside 需要关注, 续费
    /// (renewal) inside 手续费, 服了 inside 客服了.
    #[test]
    fn built_in_cues_stay_out_of_ordinary_words() {
        for (lang, list, text) in [
            (
                "da",
                "intent.incident",
                "Kan jeg tage mit abonnement med til Norge?",
            ),
            ("da", "signals.change", "Tak for hjælpen"),
            ("zh", "intent.incident", "晚上美食达的麻辣烫"),
            ("zh", "intent.incident", "需要关注一下手续费"),
            ("zh", "signals.sarcasm", "我打了三次客服了"),
        ] {
            let (_, toml) = BUILT_IN.iter().find(|(l, _)| *l == lang).unwrap();
            let lex = Lexicon::parse(lang, toml, lang).unwrap();
            let found: Vec<&str> = lex
                .find(&padded_words(text))
                .iter()
                .filter(|h| h.cue.list == list)
                .map(|h| h.cue.pattern.as_str())
                .collect();
            assert!(found.is_empty(), "{text}: {list} {found:?}");
        }
    }

    #[test]
    fn built_in_lexicons_parse() {
        for (lang, text) in BUILT_IN {
            Lexicon::parse(lang, text, lang).unwrap();
        }
    }
}
