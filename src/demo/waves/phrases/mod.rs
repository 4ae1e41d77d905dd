//! The words of the wave corpora, per language: background chatter, incident
//! storms, smear stories and spam.
//!
//! A phrase may hold choices, `{froze|blocked|locked}`, `%B` for the brand
//! the post is about and `%O` for the bank it is compared with. The first
//! choice of a slot is the smear template's own wording; the others are its
//! synonyms (medium attacks swap some) or, in the background, simply variety. Smear stories are parallel across languages
//! (story *k* says the same thing everywhere), so a translated copy is the
//! same story in another table.

use crate::model::Lang;

mod da;
mod en;
mod ru;
mod zh;

use da::DA;
use en::EN;
use ru::RU;
use zh::ZH;

/// One smear story: each part a list of paraphrases, the first being the
/// template's own. Part 0 is the title.
pub struct Smear {
    pub parts: &'static [&'static [&'static str]],
}

/// One kind of real incident (outage, fee change) as people describe it.
pub struct Incident {
    pub titles: &'static [&'static str],
    pub reports: &'static [&'static str],
    pub effects: &'static [&'static str],
    pub reactions: &'static [&'static str],
}

pub struct Tables {
    pub lang: Lang,
    /// Between sentences (Chinese has none).
    pub space: &'static str,
    /// Hours east of UTC: the daily cycle follows local time.
    pub utc_offset: i64,
    /// The monitored brand as people write it here.
    pub brand: &'static [&'static str],
    /// Another bank people compare it with.
    pub other: &'static [&'static str],
    pub titles: &'static [&'static str],
    pub openers: &'static [&'static str],
    pub complaints: &'static [&'static str],
    pub praise: &'static [&'static str],
    pub questions: &'static [&'static str],
    pub neutral: &'static [&'static str],
    pub details: &'static [&'static str],
    pub closings: &'static [&'static str],
    pub incidents: [Incident; 2],
    pub smears: [Smear; 3],
    pub spam: &'static [&'static str],
    pub first_names: &'static [&'static str],
    pub last_names: &'static [&'static str],
    pub site_words: &'static [&'static str],
}

pub fn tables(lang: Lang) -> &'static Tables {
    match lang {
        Lang::Ru => &RU,
        Lang::Zh => &ZH,
        Lang::Da => &DA,
        _ => &EN,
    }
}

/// Noise for easy copies: sketches ignore it, people add it.
pub const EMOJI: &[&str] = &["😡", "🤬", "⚠️", "‼️", "👎", "😤", "🔥", "😱"];

/// Latin letters and their Cyrillic twins (and back): a medium copy swaps a few.
pub const HOMOGLYPHS: &[(char, char)] = &[
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('c', 'с'),
    ('x', 'х'),
    ('y', 'у'),
];
