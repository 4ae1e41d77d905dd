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
        TextAnalyzer::builder(WordTokenizer)
            .filter(RemoveLongFilter::limit(64))
            .filter(Stemmer::new(lang))
            .build()
    };
    manager.register("hs_ru", stemmed(Language::Russian));
    manager.register("hs_en", stemmed(Language::English));
    manager.register("hs_da", stemmed(Language::Danish));
    manager.register(
        "hs_zh",
        TextAnalyzer::builder(WordTokenizer)
            .filter(RemoveLongFilter::limit(64))
            .build(),
    );
    manager.register(
        "hs_plain",
        TextAnalyzer::builder(WordTokenizer)
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
pub struct WordTokenizer;

pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
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
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        let mut position = 0usize;
        let mut push = |tokens: &mut Vec<Token>, from: usize, to: usize, text: String| {
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text,
                position_length: 1,
            });
            position += 1;
        };
        let mut chars = text.char_indices().peekable();
        while let Some(&(start, c)) = chars.peek() {
            if is_cjk(c) {
                let mut run: Vec<(usize, char)> = Vec::new();
                while let Some(&(i, c)) = chars.peek() {
                    if !is_cjk(c) {
                        break;
                    }
                    run.push((i, c));
                    chars.next();
                }
                if run.len() == 1 {
                    let (i, c) = run[0];
                    push(&mut tokens, i, i + c.len_utf8(), c.to_string());
                }
                for pair in run.windows(2) {
                    let (i, a) = pair[0];
                    let (j, b) = pair[1];
                    push(&mut tokens, i, j + b.len_utf8(), format!("{a}{b}"));
                }
            } else if c.is_alphanumeric() {
                let mut word = String::new();
                let mut end = start;
                while let Some(&(i, c)) = chars.peek() {
                    if !c.is_alphanumeric() || is_cjk(c) {
                        break;
                    }
                    for lower in c.to_lowercase() {
                        word.push(match lower {
                            'ё' => 'е',
                            other => other,
                        });
                    }
                    end = i + c.len_utf8();
                    chars.next();
                }
                push(&mut tokens, start, end, word);
            } else {
                chars.next();
            }
        }
        VecTokenStream { tokens, next: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let mut tok = WordTokenizer;
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
    fn yo_folded_and_lowercased() {
        assert_eq!(texts("Всё ЕЩЁ"), vec!["все", "еще"]);
    }
}
