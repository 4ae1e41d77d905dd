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
    /// Cue lists per flag: obscene, obscene_allow, insult, troll, ad,
    /// constructive, detail, manual, experience.
    #[serde(default)]
    pub flags: BTreeMap<String, Vec<String>>,
    /// Numeric knobs overriding [`super::Weights`] for this language.
    #[serde(default)]
    pub weights: BTreeMap<String, f32>,
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
}

/// The lists a lexicon may hold; anything else is a typo worth an error.
pub const INTENT_LISTS: [&str; 4] = ["question", "complaint", "praise", "incident"];
pub const FLAG_LISTS: [&str; 9] = [
    "obscene",
    "obscene_allow",
    "insult",
    "troll",
    "ad",
    "constructive",
    "detail",
    "manual",
    "experience",
];

/// One compiled cue list: which list a pattern belongs to and how it reads.
#[derive(Debug, Clone)]
pub struct Cue {
    /// `intent.question`, `sentiment.negative`, `flags.ad`, ...
    pub list: String,
    pub pattern: String,
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
        for (name, patterns) in &raw.flags {
            if !name.starts_with("obscene") {
                add(format!("flags.{name}"), patterns);
            }
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
        let obscene_allow = list("obscene_allow")
            .iter()
            .map(|p| {
                let n = crate::matcher::normalize(p).text;
                if unspaced {
                    n.trim_matches('*').to_string()
                } else {
                    super::mask::collapse(n.trim_end_matches('*'))
                }
            })
            .filter(|a| !a.is_empty())
            .collect();
        Ok(Lexicon {
            lang: lang.to_string(),
            automaton,
            cues,
            obscene,
            obscene_allow,
            weights: raw.weights,
            unspaced,
        })
    }

    /// Every cue found in `padded` (see [`padded_words`]), with where it starts
    /// (a word index for negation), each pattern once per position.
    pub fn find<'a>(&'a self, padded: &str) -> Vec<(&'a Cue, usize)> {
        self.automaton
            .find_overlapping_iter(padded)
            .map(|m| (&self.cues[m.pattern().as_usize()], m.start()))
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

/// Normalised words of `text`: letters, digits and inner apostrophes.
pub fn words_of(text: &str) -> Vec<String> {
    split_words(&crate::matcher::normalize(text).text)
        .map(str::to_string)
        .collect()
}

fn split_words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
}

/// The text as " w1 w2 w3 ", the form the automaton scans.
pub fn padded_words(text: &str) -> String {
    padded_normalized(&crate::matcher::normalize(text).text)
}

/// [`padded_words`] of a text already normalised (`matcher::normalize`).
pub fn padded_normalized(normalized: &str) -> String {
    let mut out = String::with_capacity(normalized.len() + 2);
    out.push(' ');
    for w in split_words(normalized) {
        out.push_str(w);
        out.push(' ');
    }
    out
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
            .map(|(c, _)| c.pattern.as_str())
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
    }

    #[test]
    fn built_in_lexicons_parse() {
        for (lang, text) in BUILT_IN {
            Lexicon::parse(lang, text, lang).unwrap();
        }
    }
}
