//! Tokenizers for the index: words for alphabetic scripts (lowercased, ё→е),
//! overlapping character bigrams for Han/Kana/Hangul runs, because tantivy's
//! default tokenizer finds nothing inside Chinese text written without spaces.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Registers Hearsay's analyzers on an index under the names the schema uses.
pub fn register(manager: &tantivy::tokenizer::TokenizerManager) {
    let stemmed = |lang| {
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(64))
            .filter(Stemmer::new(lang))
            .build()
    };
    manager.register("hs_ru", stemmed(Language::Russian));
    manager.register("hs_en", stemmed(Language::English));
    manager.register("hs_da", stemmed(Language::Danish));
    manager.register(
        "hs_zh",
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(64))
            .build(),
    );
    manager.register(
        "hs_plain",
        TextAnalyzer::builder(WordTokenizer::default())
            .filter(RemoveLongFilter::limit(64))
            .filter(AsciiFoldingFilter)
            .build(),
    );
    manager.register(
        "hs_raw",
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
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
    fn yo_folded_and_lowercased() {
        assert_eq!(texts("Всё ЕЩЁ"), vec!["все", "еще"]);
    }
}
