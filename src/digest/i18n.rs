//! The words of digest and alert mails in each digest language.
//!
//! One table per language, in its own file (`i18n/ru.rs`...), so a translator
//! reads and edits one block and the renderer never holds a phrase of its own. Placeholders are `{name}`;
//! counted phrases carry their plural forms ([`Forms`]), because Russian needs
//! three («1 упоминание, 2 упоминания, 5 упоминаний») and Chinese none.

use crate::model::{CampaignKind, Flag, Intent, Lang, Sentiment, Status};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

mod da;
mod en;
mod ru;
mod zh;

use {da::DA, en::EN, ru::RU, zh::ZH};

/// A counted phrase with `{n}` in it: one, few (Russian 2–4) and many.
pub struct Forms {
    pub one: &'static str,
    pub few: &'static str,
    pub many: &'static str,
}

/// English and Danish: singular and plural only.
const fn two(one: &'static str, other: &'static str) -> Forms {
    Forms {
        one,
        few: other,
        many: other,
    }
}

/// Chinese: no plural forms.
const fn same(all: &'static str) -> Forms {
    Forms {
        one: all,
        few: all,
        many: all,
    }
}

/// Everything a mail says that is not data. Fields with `{…}` are templates
/// for [`fill`]; arrays follow the order of the model's `ALL` constants.
pub struct Words {
    /// The language these words are in (`Other` is served by English).
    pub lang: Lang,
    /// The HTML `lang` attribute.
    pub html_lang: &'static str,
    /// chrono formats for a local date-and-time and for a date.
    pub datetime_fmt: &'static str,
    pub date_fmt: &'static str,
    /// Units of a duration and what separates number, unit and parts.
    pub units: [&'static str; 3],
    pub unit_sep: &'static str,
    /// Between subject parts and list items.
    pub list_sep: &'static str,
    /// "33 %" (ru, da) or "33%" (en, zh).
    pub percent_space: bool,

    pub digest_title: &'static str,
    pub alert_title: &'static str,
    pub alert_as_of: &'static str,
    pub brands: &'static str,
    pub period: &'static str,
    pub first_period: &'static str,
    pub mentions: &'static str,
    pub negative: &'static str,
    pub was: &'static str,
    pub by_lang: &'static str,
    /// In `Lang::ALL` order.
    pub lang_names: [&'static str; 5],
    pub nothing_new: &'static str,

    pub needs_reply: &'static str,
    pub reply_rule: &'static str,
    pub nothing_waiting: &'static str,
    pub waves: &'static str,
    pub no_waves: &'static str,
    pub complaints: &'static str,
    pub questions: &'static str,
    pub incidents: &'static str,
    pub praise: &'static str,
    pub moderation: &'static str,
    pub moderation_note: &'static str,
    pub sources: &'static str,
    pub sources_ok: &'static str,
    pub urgent: &'static str,
    pub new_waves: &'static str,
    pub new_spikes: &'static str,

    pub not_a_link: &'static str,
    pub edited: &'static str,
    pub before: &'static str,
    pub deleted: &'static str,
    pub intent: &'static str,
    pub sentiment: &'static str,
    pub flags: &'static str,
    pub unlabelled: &'static str,
    pub status: &'static str,
    pub rule_broken: &'static str,
    pub waiting_overdue: &'static str,
    pub waiting_left: &'static str,
    pub overdue_badge: &'static str,
    pub suggested: &'static str,
    pub fill_config: &'static str,
    pub missing: &'static str,
    pub intents: [&'static str; 5],
    pub sentiments: [&'static str; 3],
    pub flag_names: [&'static str; 8],
    pub statuses: [&'static str; 4],
    pub kinds: [&'static str; 3],
    /// `active`, `quiet`.
    pub wave_status: [&'static str; 2],
    /// The score's signals in words, in the order of `campaigns::detect::SIGNALS`.
    pub signal_names: [&'static str; crate::campaigns::detect::SIGNALS.len()],

    pub score: &'static str,
    pub new_badge: &'static str,
    pub first_last: &'static str,
    pub phrases: &'static str,
    pub signals: &'static str,
    pub what_to_do: &'static str,
    pub campaign: &'static str,

    pub spike: &'static str,
    /// `hour`, `day`.
    pub spans: [&'static str; 2],
    pub count_vs: &'static str,
    pub negative_vs: &'static str,
    pub causes: &'static str,
    pub cause_words: &'static str,
    pub cause_sources: &'static str,
    pub cause_authors: &'static str,

    pub failing: &'static str,
    pub failing_no_time: &'static str,
    pub in_a_row: Forms,
    pub silent_since: &'static str,
    pub never_ok: &'static str,

    pub n_mentions: Forms,
    pub n_voices: Forms,
    pub n_sites: Forms,

    pub s_overdue: Forms,
    pub s_needs: Forms,
    /// In `CampaignKind::ALL` order.
    pub s_kinds: [Forms; 3],
    pub s_spikes: Forms,
    pub s_sources: Forms,
    pub s_nothing: &'static str,
    pub s_alert: &'static str,
}

/// The words for a digest language; anything but ru, zh, da is English.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ru => &RU,
        Lang::Zh => &ZH,
        Lang::Da => &DA,
        Lang::En | Lang::Other => &EN,
    }
}

/// Russian plural form for `n`: 1, 21, 101 → one; 2–4, 22–24 → few; else many
/// (11–14 are many).
pub fn plural_ru<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let (last, last_two) = (n % 10, n % 100);
    if (11..=14).contains(&last_two) {
        many
    } else if last == 1 {
        one
    } else if (2..=4).contains(&last) {
        few
    } else {
        many
    }
}

/// Replaces each `{key}` in `template` by its value, in one pass, so a value
/// that itself contains `{…}` (crawled text does) is never substituted again.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after
            .find('}')
            .and_then(|close| args.iter().find(|(k, _)| *k == &after[..close]))
            .map(|(k, v)| (k.len(), *v));
        match value {
            Some((key_len, v)) => {
                out.push_str(v);
                rest = &after[key_len + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Words {
    /// `forms` for `n`, with `{n}` filled in.
    pub fn count(&self, forms: &Forms, n: usize) -> String {
        let form = match self.lang {
            Lang::Ru => plural_ru(n as u64, forms.one, forms.few, forms.many),
            _ if n == 1 => forms.one,
            _ => forms.many,
        };
        fill(form, &[("n", &n.to_string())])
    }

    /// A local date and time, e.g. "24.11.2026 08:00" or "2026年11月24日 08:00".
    pub fn datetime(&self, t: DateTime<Utc>, tz: Tz) -> String {
        t.with_timezone(&tz).format(self.datetime_fmt).to_string()
    }

    /// A local date, for subjects.
    pub fn date(&self, t: DateTime<Utc>, tz: Tz) -> String {
        t.with_timezone(&tz).format(self.date_fmt).to_string()
    }

    /// Whole minutes as "1 h 25 min", "2 d 3 h" (minutes dropped past a day),
    /// "1小时25分钟"; zero is "0 min".
    pub fn duration(&self, minutes: i64) -> String {
        let minutes = minutes.max(0);
        let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
        let parts: Vec<(i64, &str)> = if days > 0 {
            vec![(days, self.units[0]), (hours, self.units[1])]
        } else {
            vec![(hours, self.units[1]), (mins, self.units[2])]
        };
        let shown: Vec<String> = parts
            .iter()
            .filter(|(v, _)| *v > 0)
            .map(|(v, unit)| format!("{v}{}{unit}", self.unit_sep))
            .collect();
        if shown.is_empty() {
            format!("0{}{}", self.unit_sep, self.units[2])
        } else {
            shown.join(self.unit_sep)
        }
    }

    /// A share in [0, 1] as a whole percentage.
    pub fn percent(&self, share: f64) -> String {
        let value = (share * 100.0).round() as i64;
        if self.percent_space {
            format!("{value}\u{a0}%")
        } else {
            format!("{value}%")
        }
    }

    pub fn lang_name(&self, lang: Lang) -> &'static str {
        let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(4);
        self.lang_names[i]
    }

    pub fn intent_name(&self, intent: Intent) -> &'static str {
        let i = Intent::ALL.iter().position(|x| *x == intent).unwrap_or(4);
        self.intents[i]
    }

    pub fn sentiment_name(&self, sentiment: Sentiment) -> &'static str {
        match sentiment {
            Sentiment::Negative => self.sentiments[0],
            Sentiment::Neutral => self.sentiments[1],
            Sentiment::Positive => self.sentiments[2],
        }
    }

    pub fn flag_name(&self, flag: Flag) -> &'static str {
        let i = Flag::ALL.iter().position(|x| *x == flag).unwrap_or(0);
        self.flag_names[i]
    }

    pub fn status_name(&self, status: Status) -> &'static str {
        let i = Status::ALL.iter().position(|x| *x == status).unwrap_or(0);
        self.statuses[i]
    }

    pub fn kind_name(&self, kind: CampaignKind) -> &'static str {
        let i = CampaignKind::ALL
            .iter()
            .position(|x| *x == kind)
            .unwrap_or(0);
        self.kinds[i]
    }

    pub fn kind_count(&self, kind: CampaignKind, n: usize) -> String {
        let i = CampaignKind::ALL
            .iter()
            .position(|x| *x == kind)
            .unwrap_or(0);
        self.count(&self.s_kinds[i], n)
    }

    /// A wave's `active`/`quiet` in words; anything else as stored.
    pub fn wave_status_name<'a>(&self, status: &'a str) -> &'a str {
        match status {
            "active" => self.wave_status[0],
            "quiet" => self.wave_status[1],
            other => other,
        }
    }

    /// A campaign signal's name in words; an unknown one as stored.
    pub fn signal_name<'a>(&self, name: &'a str) -> &'a str {
        crate::campaigns::detect::SIGNALS
            .iter()
            .position(|n| *n == name)
            .map_or(name, |i| self.signal_names[i])
    }

    /// A spike's `hour`/`day` in words; anything else as stored.
    pub fn span_name<'a>(&self, span: &'a str) -> &'a str {
        match span {
            "hour" => self.spans[0],
            "day" => self.spans[1],
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn russian_plural_forms() {
        let f = |n| plural_ru(n, "упоминание", "упоминания", "упоминаний");
        assert_eq!(f(1), "упоминание");
        assert_eq!(f(2), "упоминания");
        assert_eq!(f(4), "упоминания");
        assert_eq!(f(5), "упоминаний");
        assert_eq!(f(0), "упоминаний");
        assert_eq!(f(11), "упоминаний");
        assert_eq!(f(12), "упоминаний");
        assert_eq!(f(14), "упоминаний");
        assert_eq!(f(21), "упоминание");
        assert_eq!(f(22), "упоминания");
        assert_eq!(f(111), "упоминаний");
        assert_eq!(f(101), "упоминание");
        assert_eq!(RU.count(&RU.n_mentions, 3), "3 упоминания");
        assert_eq!(EN.count(&EN.n_mentions, 1), "1 mention");
        assert_eq!(DA.count(&DA.n_mentions, 2), "2 omtaler");
        assert_eq!(ZH.count(&ZH.n_mentions, 2), "2 条提及");
    }

    #[test]
    fn durations_and_dates_per_language() {
        assert_eq!(RU.duration(85), "1 ч 25 мин");
        assert_eq!(DA.duration(85), "1 t 25 min");
        assert_eq!(EN.duration(85), "1 h 25 min");
        assert_eq!(ZH.duration(85), "1小时25分钟");
        assert_eq!(EN.duration(60), "1 h");
        assert_eq!(EN.duration(0), "0 min");
        assert_eq!(EN.duration(3 * 1440 + 125), "3 d 2 h");
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 7, 0, 0).unwrap();
        let tz: Tz = "Europe/Copenhagen".parse().unwrap();
        assert_eq!(RU.datetime(t, tz), "24.11.2026 08:00");
        assert_eq!(DA.datetime(t, tz), "24.11.2026 08.00");
        assert_eq!(EN.datetime(t, tz), "24 Nov 2026 08:00");
        assert_eq!(ZH.datetime(t, tz), "2026年11月24日 08:00");
    }

    #[test]
    fn fill_substitutes_once() {
        let out = fill("waiting {w} — overdue by {o}", &[("w", "{o}"), ("o", "5")]);
        assert_eq!(out, "waiting {o} — overdue by 5");
        assert_eq!(fill("{unknown} {", &[]), "{unknown} {");
    }
}
