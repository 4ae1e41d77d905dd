//! Language of a mention: ru, zh, da, en, or other.
//!
//! lingua only knows the languages compiled in, and always answers one of
//! them, so two guards surround it: Swedish and both Norwegians are loaded
//! so they are not forced into Danish, and script/stop-word checks send
//! Ukrainian, Bulgarian, German, French and the like to `Other` instead of
//! the nearest loaded language.

use crate::model::Lang;
use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use std::collections::HashMap;
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

/// The first `max` characters of `text`, without copying.
fn head(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

/// Detects the language of a mention's text; `fallback` (the source's
/// language) is used when the text is too short or too ambiguous to tell.
pub fn detect_lang(text: &str, fallback: Option<Lang>) -> Lang {
    let undecided = fallback.unwrap_or(Lang::Other);
    let sample = head(text, MAX_CHARS);
    let counts = ScriptCounts::of(sample);

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
        let russian = counts.looks_russian() && !has_south_slavic_words(sample);
        return if russian { Lang::Ru } else { Lang::Other };
    }

    // Plain English or Danish announce themselves in their function words;
    // lingua (a fifth of a millisecond a page) decides only the rest.
    if counts.foreign_latin == 0 && counts.cyrillic * 10 < counts.letters {
        if let Some(lang) = FunctionWords::of(lingua_sample(sample)).clear_winner(&counts) {
            return lang;
        }
    }

    by_lingua(sample, &counts, undecided)
}

/// lingua's verdict, checked against what the script counts and function words allow.
fn by_lingua(sample: &str, counts: &ScriptCounts, undecided: Lang) -> Lang {
    let confidences = DETECTOR.compute_language_confidence_values(lingua_sample(sample));
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
    if lang == Lang::Ru && (!counts.looks_russian() || has_south_slavic_words(sample)) {
        return Lang::Other;
    }
    if matches!(lang, Lang::En | Lang::Da)
        && (counts.foreign_latin * 100 > counts.latin || !has_stop_words(sample, lang))
    {
        return Lang::Other;
    }
    lang
}

/// Calls `f` with each word of `text`, lowercased into one reused buffer.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for ch in text.chars().chain(std::iter::once(' ')) {
        if ch.is_ascii_alphabetic() {
            word.push(ch.to_ascii_lowercase());
        } else if ch == '\'' || (!ch.is_ascii() && ch.is_alphabetic()) {
            word.extend(ch.to_lowercase());
        } else if !word.is_empty() {
            f(word.trim_matches('\''));
            word.clear();
        }
    }
}

/// Hits on function words that only one of the nearby languages uses.
#[derive(Default, Debug)]
struct FunctionWords {
    words: usize,
    en: usize,
    da: usize,
    no: usize,
    sv: usize,
    /// German, Dutch, French, Spanish, Italian, Portuguese.
    other: usize,
}

impl FunctionWords {
    /// In English alone among the languages lingua would weigh against it.
    const EN: &'static [&'static str] = &[
        "the", "and", "of", "is", "that", "with", "this", "you", "they", "have", "are", "from",
        "would", "which", "were", "been", "what", "there", "their", "about", "your", "our", "it",
        "was", "but", "not", "be", "my", "i'm", "it's", "don't", "can't", "didn't", "we", "just",
        "will", "has", "had", "he", "she", "his", "its", "than", "then", "when", "who", "into",
        "out", "these", "those", "could", "should", "some", "very", "through", "without", "during",
        "while", "where", "how", "why", "only", "them", "him", "if", "because", "much", "many",
        "any", "other", "after",
    ];
    /// Danish, spelled differently in both Norwegians (Swedish is told apart by
    /// its own words and letters, so a few shared with Swedish are here).
    const DA: &'static [&'static str] = &[
        "af",
        "noget",
        "nogen",
        "nogle",
        "bliver",
        "lidt",
        "hvad",
        "havde",
        "købt",
        "købte",
        "sådan",
        "altid",
        "siger",
        "sige",
        "gør",
        "tak",
        "hjælp",
        "spørgsmål",
        "efter",
        "mig",
        "dig",
        "sig",
        "nu",
        "blev",
        "vores",
        "jeres",
        "igen",
        "uge",
        "ugen",
        "sidste",
        "næste",
        "måske",
        "desværre",
        "endnu",
        "lige",
        "rigtig",
        "rigtigt",
        "bruger",
        "brugere",
        "brugerne",
        "uden",
        "tilbage",
        "gennem",
        "mellem",
        "jer",
        "os",
        "hende",
        "tager",
        "giver",
        "andet",
        "bedste",
        "blive",
        "sprog",
        "købe",
        "spørger",
    ];
    const NO: &'static [&'static str] = &[
        "av", "meg", "deg", "seg", "hva", "noe", "noen", "blir", "ble", "litt", "mye", "hadde",
        "ikkje", "eg", "ein", "berre", "kva", "etter", "nå", "kjøpt", "kjøpte", "gjør", "takk",
        "alltid", "aldri", "hjelp", "veldig", "fikk", "gikk", "sier", "noko", "ho",
    ];
    const SV: &'static [&'static str] = &[
        "och", "är", "inte", "jag", "att", "för", "också", "mycket", "hade", "vad", "hur", "någon",
        "något", "några", "ska", "från", "även", "tack", "hjälp", "bara", "köpte",
    ];
    /// Frequent in German, Dutch, French, Spanish, Italian or Portuguese and
    /// never Danish words (German "der" and French "et" are, so they are left out).
    const OTHER: &'static [&'static str] = &[
        "die", "das", "und", "ist", "nicht", "ich", "mit", "auf", "ein", "eine", "het", "een",
        "van", "niet", "ik", "zijn", "le", "la", "les", "est", "une", "des", "pas", "je", "que",
        "qui", "dans", "pour", "avec", "el", "los", "las", "y", "es", "por", "con", "una", "para",
        "pero", "il", "che", "di", "non", "sono", "não", "uma",
    ];

    fn of(text: &str) -> FunctionWords {
        // Word → the lists holding it (bits in list order): one lookup per
        // word instead of a scan of all five lists.
        static LISTS: LazyLock<HashMap<&'static str, u8>> = LazyLock::new(|| {
            let mut m = HashMap::new();
            let lists = [
                FunctionWords::EN,
                FunctionWords::DA,
                FunctionWords::NO,
                FunctionWords::SV,
                FunctionWords::OTHER,
            ];
            for (bit, list) in lists.iter().enumerate() {
                for w in *list {
                    *m.entry(*w).or_default() |= 1 << bit;
                }
            }
            m
        });
        let mut fw = FunctionWords::default();
        for_each_word(text, |w| {
            fw.words += 1;
            let bits = LISTS.get(w).copied().unwrap_or(0);
            let hit = |bit: u8| usize::from(bits & (1 << bit) != 0);
            fw.en += hit(0);
            fw.da += hit(1);
            fw.no += hit(2);
            fw.sv += hit(3);
            fw.other += hit(4);
        });
        fw
    }

    /// English or Danish when the evidence is lopsided; `None` sends the text to lingua.
    fn clear_winner(&self, counts: &ScriptCounts) -> Option<Lang> {
        let rivals_en = self.da + self.no + self.sv + self.other;
        if counts.nordic == 0
            && self.en >= 5
            && self.en * 100 >= self.words * 15
            && rivals_en * 8 <= self.en
        {
            return Some(Lang::En);
        }
        // Swedish writes ä/ö where Danish writes æ/ø; both Norwegians share Danish letters,
        // so Danish needs its own spellings and none of theirs.
        if counts.swedish == 0
            && self.da >= 3
            && self.no + self.sv == 0
            && self.other + self.en <= 1
            && self.words >= 12
        {
            return Some(Lang::Da);
        }
        None
    }
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
    /// æ ø å: Danish and Norwegian, never English.
    nordic: usize,
    /// ä ö: Swedish (and German), never Danish.
    swedish: usize,
}

impl ScriptCounts {
    fn of(text: &str) -> Self {
        let mut c = ScriptCounts::default();
        for ch in text.chars() {
            // Ranges first: `is_alphabetic` and `to_lowercase` outside ASCII are
            // table lookups, and this loop sees every character of every page.
            match ch {
                'a'..='z' | 'A'..='Z' => c.latin += 1,
                _ if ch.is_ascii() => continue,
                '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' => {
                    c.han += 1
                }
                '\u{3040}'..='\u{30FF}' if ch.is_alphabetic() => c.kana += 1,
                'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' => {
                    c.cyrillic += 1;
                    if matches!(ch, 'ы' | 'э' | 'Ы' | 'Э') {
                        c.russian_only += 1;
                    }
                }
                '\u{0400}'..='\u{04FF}' if ch.is_alphabetic() => {
                    c.cyrillic += 1;
                    c.non_russian_cyrillic += 1;
                }
                '\u{00C0}'..='\u{024F}' if ch.is_alphabetic() => {
                    c.latin += 1;
                    let lower = ch.to_lowercase().next().unwrap_or(ch);
                    match lower {
                        'æ' | 'ø' | 'å' => c.nordic += 1,
                        'ä' | 'ö' => c.swedish += 1,
                        'é' | 'è' | 'ê' | 'ó' | 'ò' | 'ô' => {}
                        _ => c.foreign_latin += 1,
                    }
                }
                _ if ch.is_alphabetic() => c.other_script += 1,
                _ => continue,
            }
            c.letters += 1;
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
    let south_slavic = |w: &str| {
        matches!(
            w,
            "сме"
                | "съм"
                | "ще"
                | "във"
                | "със"
                | "са"
                | "е"
                | "беше"
                | "този"
                | "тази"
                | "които"
                | "който"
                | "която"
                | "какво"
                | "защо"
                | "тук"
                | "ние"
                | "вие"
                | "ги"
                | "нещо"
                | "сега"
        )
    };
    let (mut words, mut hits) = (0, 0);
    let letter = |c: char| matches!(c, 'а'..='я' | 'А'..='Я') || c.is_alphabetic();
    for w in text.split(|c: char| !letter(c)).filter(|w| !w.is_empty()) {
        words += 1;
        // The longest listed word has five letters (ten bytes in Cyrillic):
        // only short words are worth lowercasing.
        if w.len() <= 10 {
            let lower = w.chars().any(char::is_uppercase).then(|| w.to_lowercase());
            hits += usize::from(south_slavic(lower.as_deref().unwrap_or(w)));
        }
    }
    hits >= 2 && hits * 100 >= words * 5
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
    let (mut words, mut hits) = (0, 0);
    for_each_word(text, |w| {
        words += 1;
        hits += usize::from(list.contains(&w));
    });
    words < 6 || hits * 100 >= words * 8
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

    /// Where the function-word shortcut decides, lingua must agree; and it must
    /// decide ordinary English and Danish prose, or it saves nothing.
    #[test]
    fn the_function_word_shortcut_agrees_with_lingua() {
        let texts = [
            (Some(Lang::En), "I switched to Nordlys last spring because the fees were lower, and honestly the app has been the best part of it. You can freeze a card in two taps and the support team answers within the hour."),
            (Some(Lang::En), "Has anyone else had their transfer stuck for three days? I contacted support on Monday and they said it was being looked at, but there is still nothing in my account."),
            (Some(Lang::Da), "Jeg har været kunde i banken i fire år, og jeg har aldrig haft problemer før. Men i sidste uge blev min overførsel afvist uden forklaring, og det tog lidt tid at finde ud af hvad der var sket."),
            (Some(Lang::Da), "Hvad sker der med jeres hjemmeside? Jeg har prøvet at logge ind hele formiddagen, og den bliver ved med at vise en fejl. Tak for hjælpen på forhånd."),
            (None, "Jeg har vært kunde i banken i fire år, og jeg har aldri hatt problemer før. Men i forrige uke ble overføringen min avvist uten forklaring, og det tok litt tid å finne ut hva som hadde skjedd."),
            (None, "Eg har vore kunde i banken i fire år, og eg har aldri hatt problem før. Men i førre veke vart overføringa mi avvist utan forklaring, og det tok litt tid å finne ut kva som hadde skjedd."),
            (None, "Jag har varit kund i banken i fyra år och jag har aldrig haft problem förut. Men förra veckan blev min överföring avvisad utan förklaring, och det tog lite tid att ta reda på vad som hade hänt."),
            (None, "Ich bin seit vier Jahren Kunde der Bank und hatte nie Probleme. Aber letzte Woche wurde meine Überweisung ohne Erklärung abgelehnt, und es dauerte eine Weile."),
            (None, "Ik ben al vier jaar klant bij de bank en ik heb nooit problemen gehad. Maar vorige week werd mijn overboeking zonder uitleg geweigerd, en het duurde even."),
            (None, "The Nordlys app er god, men the support is slow og jeg forstår ikke hvorfor de ikke svarer."),
            // Reporting prose with few pronouns: Danish spellings Norwegian lacks decide.
            (Some(Lang::Da), "Vi testede det nye abonnement uden problemer. Kunderne fik pengene tilbage gennem appen, og banken lancerede en ny funktion mellem jul og nytår."),
            (None, "Vi testet det nye abonnementet uten problemer. Kundene fikk pengene tilbake gjennom appen, og banken lanserte en ny funksjon mellom jul og nyttår."),
            (Some(Lang::En), "According to our editors, bank customers tested the credit card without much trouble. Students compared the annual subscription with the old one, and reporters said the app was fast."),
        ];
        for (expected_shortcut, text) in texts {
            let sample = head(text, MAX_CHARS);
            let counts = ScriptCounts::of(sample);
            let shortcut = FunctionWords::of(lingua_sample(sample)).clear_winner(&counts);
            if let Some(expected) = expected_shortcut {
                assert_eq!(shortcut, Some(expected), "shortcut should decide: {text}");
            }
            if let Some(lang) = shortcut {
                assert_eq!(by_lingua(sample, &counts, Lang::Other), lang, "{text}");
            }
            if expected_shortcut.is_none() {
                assert_eq!(shortcut, None, "left to lingua: {text}");
            }
        }
    }
}
