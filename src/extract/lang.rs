//! Language of a mention: ru, zh, da, en, or other.
//!
//! lingua only knows the languages compiled in, and always answers one of
//! them, so two guards surround it: Swedish and both Norwegians are loaded
//! so they are not forced into Danish, and script/stop-word checks send
//! Ukrainian, Bulgarian, German, French and the like to `Other` instead of
//! the nearest loaded language.

use crate::model::Lang;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use std::sync::LazyLock;

/// Fewer letters than this cannot be told apart reliably.
const MIN_LETTERS: usize = 20;
/// Enough text to decide; detection time grows with length.
const MAX_CHARS: usize = 2000;
/// Below this lingua confidence the text is "too short to tell".
const MIN_CONFIDENCE: f64 = 0.5;

static DETECTOR: LazyLock<LanguageDetector> = LazyLock::new(|| {
    LanguageDetectorBuilder::from_languages(&[
        Language::Russian,
        Language::Chinese,
        Language::Danish,
        Language::English,
        Language::Swedish,
        Language::Bokmal,
        Language::Nynorsk,
    ])
    .build()
});

/// lingua's cost grows with the text; a few sentences decide as well as a page
/// (the benchmark measured detection at half of the whole crawl with 2,000).
const LINGUA_CHARS: usize = 400;

/// The first `LINGUA_CHARS` characters, cut at a word boundary.
fn lingua_sample(sample: &str) -> &str {
    let Some((cut, _)) = sample.char_indices().nth(LINGUA_CHARS) else {
        return sample;
    };
    match sample[..cut].rfind(char::is_whitespace) {
        Some(space) if space > cut / 2 => &sample[..space],
        _ => &sample[..cut],
    }
}

/// Detects the language of a mention's text; `fallback` (the source's
/// language) is used when the text is too short or too ambiguous to tell.
pub fn detect_lang(text: &str, fallback: Option<Lang>) -> Lang {
    let undecided = fallback.unwrap_or(Lang::Other);
    let sample: String = text.chars().take(MAX_CHARS).collect();
    let counts = ScriptCounts::of(&sample);

    // A Han character carries about a word: a few of them outweigh a Latin
    // brand name ("这个应用 Nordlys 很好").
    let non_han = counts.letters - counts.han - counts.kana;
    if counts.han >= 4 && counts.han * 3 >= non_han {
        // Japanese mixes kana into its kanji; Chinese has none.
        return if counts.kana * 10 > counts.han {
            Lang::Other
        } else {
            Lang::Zh
        };
    }
    if counts.letters < MIN_LETTERS {
        return undecided;
    }
    if counts.other_script * 2 > counts.letters {
        return Lang::Other;
    }

    // Mostly Cyrillic: lingua's only Cyrillic model is Russian, so it would say
    // Russian anyway; the letter and word checks below are what decide.
    if counts.cyrillic * 10 >= counts.letters * 8 {
        let russian = counts.looks_russian() && !has_south_slavic_words(&sample);
        return if russian { Lang::Ru } else { Lang::Other };
    }

    let confidences = DETECTOR.compute_language_confidence_values(lingua_sample(&sample));
    let Some(&(best, confidence)) = confidences.first() else {
        return undecided;
    };
    if confidence < MIN_CONFIDENCE {
        return undecided;
    }
    let lang = match best {
        Language::Russian => Lang::Ru,
        Language::Chinese => Lang::Zh,
        Language::Danish => Lang::Da,
        Language::English => Lang::En,
        _ => return Lang::Other,
    };
    if lang == Lang::Ru && (!counts.looks_russian() || has_south_slavic_words(&sample)) {
        return Lang::Other;
    }
    if matches!(lang, Lang::En | Lang::Da)
        && (counts.foreign_latin * 100 > counts.latin || !has_stop_words(&sample, lang))
    {
        return Lang::Other;
    }
    lang
}

/// Letters by script, to catch what lingua cannot (it only knows seven languages).
#[derive(Default, Debug)]
struct ScriptCounts {
    letters: usize,
    han: usize,
    kana: usize,
    latin: usize,
    /// Latin letters with diacritics none of en/da/sv/no use (ü, ß, ñ, ç, ł, ...).
    foreign_latin: usize,
    cyrillic: usize,
    /// Cyrillic letters Russian does not have (і, ї, є, ґ, ў, ј, љ, њ, ћ, ђ, џ, ѓ, ќ, ...).
    non_russian_cyrillic: usize,
    /// ы and э: frequent in Russian, absent from Ukrainian, Bulgarian, Serbian.
    russian_only: usize,
    /// Letters of scripts we never detect (Arabic, Greek, Hangul, Devanagari, ...).
    other_script: usize,
}

impl ScriptCounts {
    fn of(text: &str) -> Self {
        let mut c = ScriptCounts::default();
        for ch in text.chars().filter(|ch| ch.is_alphabetic()) {
            c.letters += 1;
            let lower = ch.to_lowercase().next().unwrap_or(ch);
            match ch {
                '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' => {
                    c.han += 1
                }
                '\u{3040}'..='\u{30FF}' => c.kana += 1,
                'a'..='z' | 'A'..='Z' => c.latin += 1,
                '\u{0400}'..='\u{04FF}' => {
                    c.cyrillic += 1;
                    if matches!(lower, 'ы' | 'э') {
                        c.russian_only += 1;
                    } else if !matches!(lower, 'а'..='я' | 'ё') {
                        c.non_russian_cyrillic += 1;
                    }
                }
                '\u{00C0}'..='\u{024F}' => {
                    c.latin += 1;
                    if !matches!(
                        lower,
                        'æ' | 'ø' | 'å' | 'ä' | 'ö' | 'é' | 'è' | 'ê' | 'ó' | 'ò' | 'ô'
                    ) {
                        c.foreign_latin += 1;
                    }
                }
                _ => c.other_script += 1,
            }
        }
        c
    }

    /// Russian Cyrillic: no letters of other Cyrillic alphabets to speak of,
    /// and, in a long text, at least one ы or э.
    fn looks_russian(&self) -> bool {
        let foreign_letters =
            self.non_russian_cyrillic >= 2 && self.non_russian_cyrillic * 100 >= self.cyrillic;
        // ы/э make up about 2% of Russian letters: none in 150 is unlikely (< 4%).
        let missing_russian = self.cyrillic >= 150 && self.russian_only == 0;
        !foreign_letters && !missing_russian
    }
}

/// Bulgarian (and Macedonian) function words Russian does not have: the
/// Cyrillic lingua model is Russian only, so it would claim them.
fn has_south_slavic_words(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "сме",
        "съм",
        "ще",
        "във",
        "със",
        "са",
        "е",
        "беше",
        "този",
        "тази",
        "които",
        "който",
        "която",
        "какво",
        "защо",
        "тук",
        "ние",
        "вие",
        "ги",
        "нещо",
        "сега",
    ];
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let hits = words.iter().filter(|w| WORDS.contains(&w.as_str())).count();
    hits >= 2 && hits * 100 >= words.len() * 5
}

/// Whether a text lingua called English or Danish has that language's
/// function words: German or Dutch in Latin script would otherwise pass.
fn has_stop_words(text: &str, lang: Lang) -> bool {
    const EN: &[&str] = &[
        "the", "and", "of", "to", "a", "in", "is", "it", "that", "for", "on", "with", "as", "was",
        "this", "but", "are", "be", "not", "have", "you", "i", "my", "we", "they", "at", "or",
        "from", "so", "its", "has", "an", "our", "your", "their", "just",
    ];
    const DA: &[&str] = &[
        "og", "i", "at", "det", "en", "er", "til", "på", "som", "med", "for", "af", "der", "de",
        "ikke", "har", "jeg", "den", "et", "var", "vi", "men", "om", "så", "kan", "fra", "blev",
        "mig", "min", "mit", "vores", "hun", "han", "meget", "også", "efter", "da",
    ];
    let list = if lang == Lang::En { EN } else { DA };
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 6 {
        return true;
    }
    let hits = words.iter().filter(|w| list.contains(&w.as_str())).count();
    hits * 100 >= words.len() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_languages() {
        assert_eq!(
            detect_lang("Вчера я попробовал приложение Нордлис, и оно мне очень понравилось: быстро и удобно.", None),
            Lang::Ru
        );
        assert_eq!(
            detect_lang("我昨天试用了诺德利斯的应用，感觉非常好用。", None),
            Lang::Zh
        );
        assert_eq!(
            detect_lang(
                "I tried the Nordlys app yesterday and it was surprisingly good for the price.",
                None
            ),
            Lang::En
        );
        assert_eq!(
            detect_lang("Jeg prøvede Nordlys-appen i går, og den var overraskende god til prisen. Det er også nemt at komme i gang.", None),
            Lang::Da
        );
    }

    #[test]
    fn norwegian_and_swedish_are_not_danish() {
        assert_eq!(
            detect_lang("Jeg prøvde Nordlys-appen i går, og den var overraskende bra for prisen. Det er ikke noe å klage på, synes jeg.", None),
            Lang::Other
        );
        assert_eq!(
            detect_lang("Eg prøvde Nordlys-appen i går, og han var overraskande god for prisen. Det er ikkje noko å klaga på.", None),
            Lang::Other
        );
        assert_eq!(
            detect_lang("Jag testade Nordlys-appen igår och den var förvånansvärt bra för priset. Det är inget att klaga på.", None),
            Lang::Other
        );
    }

    #[test]
    fn other_cyrillic_and_latin_languages_are_other() {
        assert_eq!(
            detect_lang("Вчора я спробував застосунок Нордліс, і він мені дуже сподобався: швидко та зручно.", Some(Lang::Ru)),
            Lang::Other
        );
        assert_eq!(
            detect_lang("Ich habe gestern die Nordlys-App ausprobiert und sie war überraschend gut für den Preis.", None),
            Lang::Other
        );
        assert_eq!(
            detect_lang("J'ai essayé l'application Nordlys hier et elle était étonnamment bonne pour le prix.", None),
            Lang::Other
        );
        assert_eq!(
            detect_lang(
                "昨日、ノードリスのアプリを試してみました。とても便利です。",
                None
            ),
            Lang::Other
        );
    }

    #[test]
    fn ambiguous_scandinavian_takes_the_fallback() {
        let short_danish = "Nordlys er nede igen i dag, hvad sker der?";
        assert_eq!(detect_lang(short_danish, Some(Lang::Da)), Lang::Da);
        assert_eq!(detect_lang(short_danish, None), Lang::Other);
        assert_eq!(
            detect_lang(
                "Vi har vært kunder hos Nordlys i to år, og vi er veldig fornøyde med tjenesten.",
                Some(Lang::Da)
            ),
            Lang::Other,
            "confident Norwegian is not the Danish source's fallback"
        );
    }

    #[test]
    fn long_russian_passes_the_script_checks() {
        let text = "Мы клиенты Нордлис уже два года и очень довольны сервисом. ".repeat(10);
        assert_eq!(detect_lang(&text, None), Lang::Ru);
        let ukrainian = "Ми клієнти Нордліс вже два роки і дуже задоволені сервісом. ".repeat(10);
        assert_eq!(detect_lang(&ukrainian, Some(Lang::Ru)), Lang::Other);
    }

    #[test]
    fn short_text_takes_the_fallback() {
        assert_eq!(detect_lang("Nordlys!", Some(Lang::Da)), Lang::Da);
        assert_eq!(detect_lang("ok 👍", Some(Lang::Ru)), Lang::Ru);
        assert_eq!(detect_lang("Nordlys app", None), Lang::Other);
        assert_eq!(detect_lang("", Some(Lang::En)), Lang::En);
    }
}
