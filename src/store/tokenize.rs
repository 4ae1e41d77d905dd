//! Tokenizers for the index: words for alphabetic scripts (lowercased, ё→е),
//! overlapping character bigrams for Han/Kana/Hangul runs, because tantivy's
//! default tokenizer finds nothing inside Chinese text written without spaces.

//!
//! All languages share one `body` field: each document's text starts with a
//! marker naming its language, and [`BodyTokenizer`] analyses the rest with
//! that language's stemmer. One field means a word common to Danish and
//! English documents is one posting list, not a union of two (the search
//! benchmark's common-term p99 was 12x a one-field index with a field per language).

use crate::model::Lang;
use rust_stemmers::Algorithm;
use tantivy::tokenizer::{
    AsciiFoldingFilter, BoxTokenStream, LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer,
    Token, TokenStream, Tokenizer, TokenizerManager,
};

/// Languages in marker order.
pub const LANGS: [Lang; 5] = [Lang::Ru, Lang::En, Lang::Da, Lang::Zh, Lang::Other];

/// The private-use character that starts a body of this language.
pub fn marker(lang: Lang) -> char {
    let i = LANGS.iter().position(|l| *l == lang).unwrap_or(4);
    char::from_u32(0xE000 + i as u32).unwrap_or('\u{E004}')
}

/// One language's analysis: words (CJK as bigrams), then its stemmer (Snowball
/// for ru/en/da, none for zh, ASCII folding for the rest).
pub fn analyzer(lang: Lang) -> TextAnalyzer {
    let words = || {
        TextAnalyzer::builder(WordTokenizer::default()).filter(RemoveLongFilter::limit(MAX_TOKEN))
    };
    match lang {
        Lang::Ru => TextAnalyzer::from(StemmedWords::new(Algorithm::Russian)),
        Lang::En => TextAnalyzer::from(StemmedWords::new(Algorithm::English)),
        Lang::Da => TextAnalyzer::from(StemmedWords::new(Algorithm::Danish)),
        Lang::Zh => words().build(),
        Lang::Other => words().filter(AsciiFoldingFilter).build(),
    }
}

/// Tokens this long or longer are dropped (as tantivy's `RemoveLongFilter`).
const MAX_TOKEN: usize = 64;

/// Stems kept per analyzer: words follow Zipf's law, so a bounded cache
/// answers most tokens without running Snowball (and without its allocation
/// per changed word), which was the largest part of per-document analysis.
const STEM_CACHE: usize = 50_000;

/// Words, then a Snowball stemmer with a cache of word → stem.
#[derive(Clone)]
pub struct StemmedWords {
    words: WordTokenizer,
    algorithm: Algorithm,
    cache: foldhash::HashMap<Box<str>, Box<str>>,
}

impl StemmedWords {
    fn new(algorithm: Algorithm) -> StemmedWords {
        StemmedWords {
            words: WordTokenizer::default(),
            algorithm,
            cache: Default::default(),
        }
    }
}

impl Tokenizer for StemmedWords {
    type TokenStream<'a> = StemmedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemmedStream<'a> {
        StemmedStream {
            words: self.words.token_stream(text),
            stemmer: rust_stemmers::Stemmer::create(self.algorithm),
            cache: &mut self.cache,
        }
    }
}

pub struct StemmedStream<'a> {
    words: WordStream<'a>,
    stemmer: rust_stemmers::Stemmer,
    cache: &'a mut foldhash::HashMap<Box<str>, Box<str>>,
}

impl TokenStream for StemmedStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if !self.words.advance() {
                return false;
            }
            let token = self.words.token_mut();
            if token.text.len() >= MAX_TOKEN {
                continue;
            }
            if let Some(stem) = self.cache.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return true;
            }
            let stem = self.stemmer.stem(&token.text).into_owned();
            if self.cache.len() < STEM_CACHE {
                self.cache
                    .insert(token.text.as_str().into(), stem.as_str().into());
            }
            token.text = stem;
            return true;
        }
    }
    fn token(&self) -> &Token {
        self.words.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.words.token_mut()
    }
}

/// Registers Hearsay's analyzers on an index under the names the schema uses.
pub fn register(manager: &TokenizerManager) {
    manager.register("hs_body", BodyTokenizer::default());
    manager.register("hs_plain", analyzer(Lang::Other));
    manager.register(
        "hs_raw",
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// The analyzers a query in `lang` is parsed with: the body field analysed as
/// that language (a query has no marker).
pub fn query_manager(lang: Lang) -> TokenizerManager {
    let manager = TokenizerManager::default();
    register(&manager);
    manager.register("hs_body", analyzer(lang));
    manager
}

/// Reads the language marker and analyses the rest of the text with that
/// language's analyzer; unmarked text is analysed as `other`.
#[derive(Clone)]
pub struct BodyTokenizer {
    analyzers: Vec<TextAnalyzer>,
}

impl Default for BodyTokenizer {
    fn default() -> Self {
        BodyTokenizer {
            analyzers: LANGS.iter().map(|l| analyzer(*l)).collect(),
        }
    }
}

impl Tokenizer for BodyTokenizer {
    type TokenStream<'a> = BoxTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BoxTokenStream<'a> {
        let mut chars = text.chars();
        let (i, rest) = match chars.next().map(|c| c as u32) {
            Some(c @ 0xE000..=0xE004) => ((c - 0xE000) as usize, chars.as_str()),
            _ => (4, text),
        };
        self.analyzers[i].token_stream(rest)
    }
}

/// Splits into lowercase words, and CJK runs into overlapping bigrams.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    /// A CJK run's characters, reused across documents.
    run: Vec<(usize, char)>,
}

/// Streams tokens, reusing one `Token` (indexing is the hot path: no
/// allocation per token).
pub struct WordStream<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    run: &'a mut Vec<(usize, char)>,
    /// Next bigram start inside `run`.
    run_at: usize,
    token: Token,
    position: usize,
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((from, to)) = self.next_in_run() {
                self.emit_run(from, to);
                return true;
            }
            let Some(&(start, c)) = self.chars.peek() else {
                return false;
            };
            if is_cjk(c) {
                self.run.clear();
                self.run_at = 0;
                while let Some(&(i, c)) = self.chars.peek() {
                    if !is_cjk(c) {
                        break;
                    }
                    self.run.push((i, c));
                    self.chars.next();
                }
            } else if is_word_char(c) {
                self.token.text.clear();
                let mut end = start;
                while let Some(&(i, c)) = self.chars.peek() {
                    if !is_word_char(c) || is_cjk(c) {
                        break;
                    }
                    push_lower(&mut self.token.text, c);
                    end = i + c.len_utf8();
                    self.chars.next();
                }
                self.set(start, end);
                return true;
            } else {
                self.chars.next();
            }
        }
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl WordStream<'_> {
    /// The next unigram (a lone CJK character) or bigram of the pending run, as indexes into it.
    fn next_in_run(&mut self) -> Option<(usize, usize)> {
        let n = self.run.len();
        let at = self.run_at;
        let span = match n {
            1 if at == 0 => (0, 0),
            _ if at + 1 < n => (at, at + 1),
            _ => {
                self.run.clear();
                return None;
            }
        };
        self.run_at += 1;
        Some(span)
    }

    fn emit_run(&mut self, from: usize, to: usize) {
        let (start, _) = self.run[from];
        let (last, c) = self.run[to];
        self.token.text.clear();
        for &(_, ch) in &self.run[from..=to] {
            self.token.text.push(ch);
        }
        self.set(start, last + c.len_utf8());
    }

    fn set(&mut self, from: usize, to: usize) {
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.position_length = 1;
        self.position += 1;
    }
}

/// `char::is_alphanumeric`, with the scripts indexed most answered without
/// the Unicode table lookup (it dominated indexing profiles).
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7F}' => false,
        'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' | '\u{4E00}'..='\u{9FFF}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Appends `c` lowercased, with ё folded into е (Russian writes both).
fn push_lower(out: &mut String, c: char) {
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        'а'..='я' => out.push(c),
        'А'..='Я' => out.push(char::from_u32(c as u32 + 32).unwrap_or(c)),
        _ if c.is_ascii() => out.push(c),
        _ => {
            for lower in c.to_lowercase() {
                out.push(if lower == 'ё' { 'е' } else { lower });
            }
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F)
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.run.clear();
        WordStream {
            chars: text.char_indices().peekable(),
            run: &mut self.run,
            run_at: 0,
            token: Token::default(),
            position: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let mut tok = WordTokenizer::default();
        let mut stream = tok.token_stream(s);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn chinese_becomes_bigrams_latin_words() {
        assert_eq!(
            texts("用诺德利斯app"),
            vec!["用诺", "诺德", "德利", "利斯", "app"]
        );
    }

    #[test]
    fn lone_cjk_character_offsets_and_positions() {
        let mut tok = WordTokenizer::default();
        let mut stream = tok.token_stream("a 好 bc 诺德");
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        let expected = [
            ("a", 0, 1, 0),
            ("好", 2, 5, 1),
            ("bc", 6, 8, 2),
            ("诺德", 9, 15, 3),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(t, a, b, p)| (t.to_string(), *a, *b, *p))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn the_marker_picks_the_language_analysis() {
        let mut body = BodyTokenizer::default();
        let mut tokens = |s: &str| {
            let mut stream = body.token_stream(s);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        let ru = format!("{}Банками", marker(Lang::Ru));
        assert_eq!(tokens(&ru), vec!["банк"]);
        let en = format!("{}running banks", marker(Lang::En));
        assert_eq!(tokens(&en), vec!["run", "bank"]);
        let zh = format!("{}诺德利斯", marker(Lang::Zh));
        assert_eq!(tokens(&zh), vec!["诺德", "德利", "利斯"]);
        // Unmarked text is `other`: folded, not stemmed.
        assert_eq!(tokens("Café running"), vec!["cafe", "running"]);
    }

    #[test]
    fn yo_folded_and_lowercased() {
        assert_eq!(texts("Всё ЕЩЁ"), vec!["все", "еще"]);
    }
}
