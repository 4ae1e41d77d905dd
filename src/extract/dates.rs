//! Dates as sources write them: machine formats (RFC 3339, RFC 2822, ISO)
//! and the human forms comment threads show in Russian, Chinese, Danish or
//! Norwegian, and English ("вчера в 14:32", "11月20日", "for 3 timer siden").
//!
//! Local forms are read in the configured timezone; relative forms count back
//! from `now`; a date without a year takes the latest year that is not in the
//! future. Anything unrecognised is `None`: a wrong date is worse than none,
//! because `published` is never back-filled and drives every "when" rule.

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;
use regex::Regex;
use std::sync::LazyLock;

/// Longer strings are prose, not a date field.
const MAX_DATE_LEN: usize = 200;

/// Parses a date found in a feed, a `<meta>`, a `<time>` or a comment.
pub fn parse_date(s: &str, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    let raw = s.trim();
    if raw.is_empty() || raw.len() > MAX_DATE_LEN {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(raw) {
        return Some(dt.with_timezone(&Utc));
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(raw) {
        return Some(dt.with_timezone(&Utc));
    }
    let text = normalise(raw);
    parse_iso(&text, tz)
        .or_else(|| parse_ago(&text, now))
        .or_else(|| parse_chinese(&text, now, tz))
        .or_else(|| parse_human(&text, now, tz))
}

/// A W3C datetime as used by sitemaps' `<lastmod>`: `YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, or a full timestamp; dates without a zone are UTC.
pub fn parse_w3c(s: &str) -> Option<DateTime<Utc>> {
    static YEAR_MONTH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{4})(?:-(\d{2}))?$").expect("static regex"));
    let s = s.trim();
    if let Some(c) = YEAR_MONTH.captures(s) {
        let year = c.get(1)?.as_str().parse().ok()?;
        let month = c.get(2).map_or(Some(1), |m| m.as_str().parse().ok())?;
        let date = NaiveDate::from_ymd_opt(year, month, 1)?;
        return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.with_timezone(&Utc));
    }
    parse_iso(&normalise(s), Tz::UTC)
}

/// Lowercase, one plain space between words, full-width punctuation folded.
fn normalise(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '：' => ':',
            '，' => ',',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `2026-11-20`, `2026-11-20 14:32`, `2026/11/20T14:32:05.123+0300`, ...
fn parse_iso(text: &str, tz: Tz) -> Option<DateTime<Utc>> {
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[t ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)? ?(z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$",
        )
        .expect("static regex")
    });
    let c = ISO.captures(text)?;
    let date = ymd(num(&c, 1)?, num(&c, 2)?, num(&c, 3)?)?;
    let time = hms(
        num(&c, 4).unwrap_or(0),
        num(&c, 5).unwrap_or(0),
        num(&c, 6).unwrap_or(0),
    )?;
    let naive = date.and_time(time);
    match c.get(7).map(|m| m.as_str()) {
        None => local_to_utc(naive, tz),
        Some(zone) => {
            let offset = parse_offset(zone)?;
            offset
                .from_local_datetime(&naive)
                .single()
                .map(|dt| dt.with_timezone(&Utc))
        }
    }
}

/// "3 hours ago", "5 минут назад", "3小时前", "for 3 timer siden", "just now".
fn parse_ago(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    static JUST_NOW: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:just now|right now|только что|lige nu|akkurat nå|nyss)\b|刚刚|剛剛")
            .expect("static regex")
    });
    static AGO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?:\b(\d+|an?|one) (seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago\b)",
            r"|(?:(?:\b(\d+) )?\b(секунд[уы]?|сек\.?|минут[уы]?|мин\.?|час(?:а|ов)?|ч\.?|дн(?:я|ей)|день|сутки|суток|недел[юиь]|месяц(?:а|ев)?|год(?:а)?|лет) назад\b)",
            r"|(?:(\d+|[一二两兩三四五六七八九十]+) ?(秒钟?|秒鐘?|分钟|分鐘|个?小时|個?小時|天|日|周|週|星期|个月|個月|年)前)",
            r"|(?:\b(?:for |för )?(\d+|en|et|ett) (sekund(?:er)?|minut(?:ter|er)?|minutt(?:er)?|timer?|timm(?:e|ar)|dag(?:e|ar|er)?|uger?|uker?|veck(?:a|or)|måned(?:er)?|månad(?:er)?|år) (?:siden|sedan)\b)",
        ))
        .expect("static regex")
    });
    if JUST_NOW.is_match(text) {
        return Some(now);
    }
    let c = AGO.captures(text)?;
    let (count, unit) = [(1, 2), (3, 4), (5, 6), (7, 8)]
        .iter()
        .find_map(|&(n, u)| Some((c.get(n).map(|m| m.as_str()), c.get(u)?.as_str())))?;
    let count = match count {
        None => 1,
        Some(word) => count_word(word)?,
    };
    let seconds = unit_seconds(unit)?.checked_mul(count)?;
    now.checked_sub_signed(Duration::try_seconds(seconds)?)
}

/// "11月20日", "2026年11月20日 14:32", "昨天 14:32", "今天 下午 2:05".
fn parse_chinese(text: &str, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:(\d{4}) ?年 ?)?(\d{1,2}) ?月 ?(\d{1,2}) ?[日号號]").expect("static regex")
    });
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(上午|下午|晚上|凌晨|中午|早上)? ?(\d{1,2}):(\d{2})(?::(\d{2}))?")
            .expect("static regex")
    });
    let (date_part, rest) = if let Some(c) = DATE.captures(text) {
        let whole = c.get(0)?;
        let parts = DateParts {
            year: num(&c, 1),
            month: num(&c, 2)?,
            day: num(&c, 3)?,
        };
        (Found::Date(parts), remove(text, whole.range()))
    } else if let Some(days) = chinese_relative_day(text) {
        (Found::DaysBack(days), text.to_string())
    } else {
        return None;
    };
    let time = match TIME.captures(&rest) {
        None => NaiveTime::MIN,
        Some(t) => {
            let mut hour = num(&t, 2)?;
            let afternoon = matches!(t.get(1).map(|m| m.as_str()), Some("下午" | "晚上" | "中午"));
            if afternoon && hour < 12 {
                hour += 12;
            }
            hms(hour, num(&t, 3)?, num(&t, 4).unwrap_or(0))?
        }
    };
    date_part.resolve(time, now, tz)
}

fn chinese_relative_day(text: &str) -> Option<u32> {
    if text.contains("前天") {
        Some(2)
    } else if text.contains("昨天") {
        Some(1)
    } else if text.contains("今天") {
        Some(0)
    } else {
        None
    }
}

/// Russian, English, Danish/Norwegian forms with month names, numeric dates,
/// "yesterday/вчера/i går" and a time with optional am/pm.
fn parse_human(text: &str, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})([./])(\d{1,2})[./](\d{4}|\d{2}))\b")
            .expect("static regex")
    });
    static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\d{1,2})(?:\.|-?го|-?е|st|nd|rd|th)? (\p{L}+)\.?,?(?: (\d{4})\b)?")
            .expect("static regex")
    });
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\p{L}+)\.? (\d{1,2})(?:st|nd|rd|th)?\b,?(?: (\d{4})\b)?")
            .expect("static regex")
    });
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(\d{1,2})(?:[:.](\d{2})(?:[:.](\d{2}))?(?: ?([ap])\.?m\.?\b)?| ?([ap])\.?m\.?\b)",
        )
        .expect("static regex")
    });

    let mut found: Option<(Found, std::ops::Range<usize>)> = None;
    if let Some(c) = NUMERIC.captures(text) {
        let range = c.get(0)?.range();
        let parts = if c.get(1).is_some() {
            DateParts {
                year: num(&c, 1),
                month: num(&c, 2)?,
                day: num(&c, 3)?,
            }
        } else {
            let (mut day, mut month) = (num(&c, 4)?, num(&c, 6)?);
            // A slash date with a "month" above 12 is American (M/D/Y).
            if c.get(5).map(|m| m.as_str()) == Some("/") && month > 12 && day <= 12 {
                std::mem::swap(&mut day, &mut month);
            }
            let year = num(&c, 7)?;
            DateParts {
                year: Some(if year < 100 { 2000 + year } else { year }),
                month,
                day,
            }
        };
        found = Some((Found::Date(parts), range));
    }
    if found.is_none() {
        found = DAY_MONTH.captures_iter(text).find_map(|c| {
            let month = month_number(c.get(2)?.as_str())?;
            let parts = DateParts {
                year: num(&c, 3),
                month,
                day: num(&c, 1)?,
            };
            Some((Found::Date(parts), c.get(0)?.range()))
        });
    }
    if found.is_none() {
        found = MONTH_DAY.captures_iter(text).find_map(|c| {
            let month = month_number(c.get(1)?.as_str())?;
            let parts = DateParts {
                year: num(&c, 3),
                month,
                day: num(&c, 2)?,
            };
            Some((Found::Date(parts), c.get(0)?.range()))
        });
    }
    let (date_part, rest) = match found {
        Some((part, range)) => (part, remove(text, range)),
        None => (Found::DaysBack(relative_day(text)?), text.to_string()),
    };
    let time = match TIME.captures(&rest) {
        None => NaiveTime::MIN,
        Some(t) => {
            let mut hour = num(&t, 1)?;
            let minute = num(&t, 2).unwrap_or(0);
            let meridiem = t.get(4).or_else(|| t.get(5)).map(|m| m.as_str());
            match meridiem {
                Some("p") if hour < 12 => hour += 12,
                Some("a") if hour == 12 => hour = 0,
                Some(_) if hour > 12 => return None,
                None if t.get(2).is_none() => return None,
                _ => {}
            }
            hms(hour, minute, num(&t, 3).unwrap_or(0))?
        }
    };
    let zone = explicit_offset(&rest);
    match (zone, date_part) {
        (Some(offset), Found::Date(parts)) if parts.year.is_some() => {
            let date = ymd(parts.year?, parts.month, parts.day)?;
            offset
                .from_local_datetime(&date.and_time(time))
                .single()
                .map(|dt| dt.with_timezone(&Utc))
        }
        (_, part) => part.resolve(time, now, tz),
    }
}

/// "сегодня/today/i dag" = 0, "вчера/yesterday/i går" = 1, "позавчера/i forgårs" = 2.
fn relative_day(text: &str) -> Option<u32> {
    static DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(позавчера|вчера|сегодня|day before yesterday|yesterday|today|i ?forgårs|forgårs|i ?går|i ?dag)\b")
            .expect("static regex")
    });
    let word = DAY.captures(text)?.get(1)?.as_str();
    Some(match word {
        "позавчера" | "day before yesterday" => 2,
        w if w.contains("forgårs") => 2,
        "вчера" | "yesterday" => 1,
        w if w.contains("går") => 1,
        _ => 0,
    })
}

/// A trailing "UTC", "GMT", "+03:00" or "+0300" after a human date.
fn explicit_offset(text: &str) -> Option<FixedOffset> {
    static ZONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:\b(?:utc|gmt)\b ?([+-]\d{1,2}(?::?\d{2})?)?)|(?:(?:^|\s)([+-]\d{2}:?\d{2})\b)",
        )
        .expect("static regex")
    });
    let c = ZONE.captures(text)?;
    match c.get(1).or_else(|| c.get(2)) {
        None => FixedOffset::east_opt(0),
        Some(m) => parse_offset(m.as_str()),
    }
}

/// `z`, `utc`, `+03`, `+0300`, `-03:30`.
fn parse_offset(zone: &str) -> Option<FixedOffset> {
    if matches!(zone, "z" | "utc" | "gmt") {
        return FixedOffset::east_opt(0);
    }
    let sign = match zone.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 | 4 => {
            let split = digits.len() - 2;
            (
                digits.get(..split)?.parse::<i32>().ok()?,
                digits.get(split..)?.parse::<i32>().ok()?,
            )
        }
        _ => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// Month number from a month name or abbreviation in English, Russian
/// (nominative and genitive), Danish, Norwegian or Swedish.
fn month_number(word: &str) -> Option<u32> {
    const NAMES: [&[&str]; 12] = [
        &["january", "januar", "januari", "январь", "января", "янв"],
        &[
            "february",
            "februar",
            "februari",
            "февраль",
            "февраля",
            "фев",
        ],
        &["march", "marts", "mars", "март", "марта", "мар"],
        &["april", "апрель", "апреля", "апр"],
        &["may", "maj", "mai", "май", "мая"],
        &["june", "juni", "июнь", "июня", "июн"],
        &["july", "juli", "июль", "июля", "июл"],
        &["august", "augusti", "август", "августа", "авг"],
        &["september", "сентябрь", "сентября", "сен"],
        &["october", "oktober", "октябрь", "октября", "окт"],
        &["november", "ноябрь", "ноября", "ноя"],
        &["december", "desember", "декабрь", "декабря", "дек"],
    ];
    let word = word.trim_end_matches('.');
    let letters = word.chars().count();
    if letters < 3 {
        return None;
    }
    // Exact names first ("мая", "maj"), then abbreviations as prefixes of a
    // full name ("sept", "нояб", "okt"), never shorter than three letters.
    let exact = NAMES.iter().position(|names| names.contains(&word));
    let prefix = || {
        NAMES.iter().position(|names| {
            names
                .iter()
                .any(|name| name.chars().count() > 3 && name.starts_with(word))
        })
    };
    exact
        .or_else(prefix)
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn count_word(word: &str) -> Option<i64> {
    match word {
        "a" | "an" | "one" | "en" | "et" | "ett" => Some(1),
        w if w.chars().all(|c| c.is_ascii_digit()) => w.parse().ok(),
        w => chinese_number(w),
    }
}

/// 一 … 九十九, enough for "三小时前" and "二十分钟前".
fn chinese_number(word: &str) -> Option<i64> {
    let digit = |c: char| match c {
        '一' => Some(1),
        '二' | '两' | '兩' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let chars: Vec<char> = word.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

fn unit_seconds(unit: &str) -> Option<i64> {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 3600;
    const DAY: i64 = 86_400;
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| unit.starts_with(p));
    if starts(&["sec", "сек", "秒", "sek"]) {
        Some(1)
    } else if starts(&["mon", "месяц", "个月", "個月", "måne", "måna"]) {
        Some(30 * DAY)
    } else if starts(&["min", "мин", "分"]) {
        Some(MINUTE)
    } else if starts(&[
        "hour",
        "hr",
        "час",
        "ч",
        "小时",
        "小時",
        "个小时",
        "個小時",
        "tim",
    ]) {
        Some(HOUR)
    } else if starts(&["day", "дн", "день", "сут", "天", "日", "dag"]) {
        Some(DAY)
    } else if starts(&["week", "недел", "周", "週", "星期", "uge", "uke", "veck"]) {
        Some(7 * DAY)
    } else if starts(&["year", "год", "лет", "年", "år"]) {
        Some(365 * DAY)
    } else {
        None
    }
}

/// A calendar date whose year may be missing.
#[derive(Clone, Copy, Debug)]
struct DateParts {
    year: Option<i32>,
    month: u32,
    day: u32,
}

/// What the text said about the day.
#[derive(Clone, Copy, Debug)]
enum Found {
    Date(DateParts),
    /// 0 = today, 1 = yesterday, ... in `tz` relative to `now`.
    DaysBack(u32),
}

impl Found {
    fn resolve(self, time: NaiveTime, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let today = now.with_timezone(&tz).date_naive();
        match self {
            Found::DaysBack(days) => {
                let date = today.checked_sub_signed(Duration::days(i64::from(days)))?;
                local_to_utc(date.and_time(time), tz)
            }
            Found::Date(DateParts {
                year: Some(year),
                month,
                day,
            }) => local_to_utc(ymd(year, month, day)?.and_time(time), tz),
            Found::Date(DateParts {
                year: None,
                month,
                day,
            }) => {
                // The latest year in which this day and time is not in the
                // future; a few years back covers 29 February.
                (0..8).find_map(|back| {
                    let date = ymd(today.year() - back, month, day)?;
                    local_to_utc(date.and_time(time), tz).filter(|dt| *dt <= now)
                })
            }
        }
    }
}

/// Local wall time → UTC; in a DST gap the first valid instant after it.
fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|dt| dt.with_timezone(&Utc))
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1900..=2200).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn hms(hour: u32, minute: u32, second: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(hour, minute, second.min(59))
}

fn num<T: std::str::FromStr>(c: &regex::Captures<'_>, i: usize) -> Option<T> {
    c.get(i)?.as_str().parse().ok()
}

/// `text` with `range` (byte offsets from a regex match) replaced by a space.
fn remove(text: &str, range: std::ops::Range<usize>) -> String {
    let before = text.get(..range.start).unwrap_or_default();
    let after = text.get(range.end..).unwrap_or_default();
    format!("{before} {after}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;
    use chrono_tz::Europe::{Copenhagen, Moscow};

    /// Friday 2026-11-20 12:00 UTC (15:00 in Moscow, 20:00 in Shanghai, 13:00 in Copenhagen).
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap())
    }

    fn p(s: &str, tz: Tz) -> Option<DateTime<Utc>> {
        parse_date(s, now(), tz)
    }

    #[test]
    fn machine_formats() {
        assert_eq!(
            p("2026-11-20T14:32:00+03:00", Moscow),
            utc(2026, 11, 20, 11, 32)
        );
        assert_eq!(
            p("2026-11-20T14:32:00.250Z", Moscow),
            utc(2026, 11, 20, 14, 32).map(|t| t + Duration::milliseconds(250))
        );
        assert_eq!(
            p("2026-11-20T14:32:00+0300", Tz::UTC),
            utc(2026, 11, 20, 11, 32)
        );
        assert_eq!(
            p("Fri, 20 Nov 2026 14:32:00 GMT", Moscow),
            utc(2026, 11, 20, 14, 32)
        );
        assert_eq!(
            p("Fri, 20 Nov 2026 14:32:00 +0300", Moscow),
            utc(2026, 11, 20, 11, 32)
        );
        assert_eq!(p("2026-11-20", Moscow), utc(2026, 11, 19, 21, 0));
        assert_eq!(p("2026-11-20 14:32", Moscow), utc(2026, 11, 20, 11, 32));
        assert_eq!(p("2026-11-20T14:32", Tz::UTC), utc(2026, 11, 20, 14, 32));
    }

    #[test]
    fn russian_forms() {
        assert_eq!(p("20.11.2026 14:32", Moscow), utc(2026, 11, 20, 11, 32));
        assert_eq!(p("20.11.2026", Moscow), utc(2026, 11, 19, 21, 0));
        assert_eq!(p("20 ноября 2026", Moscow), utc(2026, 11, 19, 21, 0));
        assert_eq!(p("20 ноября 2026 в 9:05", Moscow), utc(2026, 11, 20, 6, 5));
        // 14:32 today in Moscow is still ahead (now is 15:00 MSK): this year.
        assert_eq!(p("20 ноября в 14:32", Moscow), utc(2026, 11, 20, 11, 32));
        // 16:00 today would be in the future: it was last year.
        assert_eq!(p("20 ноября в 16:00", Moscow), utc(2025, 11, 20, 13, 0));
        assert_eq!(p("вчера в 14:32", Moscow), utc(2026, 11, 19, 11, 32));
        assert_eq!(p("Сегодня в 9:05", Moscow), utc(2026, 11, 20, 6, 5));
        assert_eq!(p("позавчера в 23:10", Moscow), utc(2026, 11, 18, 20, 10));
        assert_eq!(p("3 часа назад", Moscow), utc(2026, 11, 20, 9, 0));
        assert_eq!(p("5 минут назад", Moscow), utc(2026, 11, 20, 11, 55));
        assert_eq!(p("час назад", Moscow), utc(2026, 11, 20, 11, 0));
        assert_eq!(p("1 марта", Moscow), utc(2026, 2, 28, 21, 0));
        assert_eq!(p("только что", Moscow), Some(now()));
    }

    #[test]
    fn chinese_forms() {
        assert_eq!(p("11月20日", Shanghai), utc(2026, 11, 19, 16, 0));
        assert_eq!(p("12月24日", Shanghai), utc(2025, 12, 23, 16, 0));
        assert_eq!(
            p("2026年11月20日 14:32", Shanghai),
            utc(2026, 11, 20, 6, 32)
        );
        assert_eq!(p("昨天 14:32", Shanghai), utc(2026, 11, 19, 6, 32));
        assert_eq!(p("今天 下午 2:05", Shanghai), utc(2026, 11, 20, 6, 5));
        assert_eq!(p("3小时前", Shanghai), utc(2026, 11, 20, 9, 0));
        assert_eq!(p("三天前", Shanghai), utc(2026, 11, 17, 12, 0));
        assert_eq!(p("二十分钟前", Shanghai), utc(2026, 11, 20, 11, 40));
    }

    #[test]
    fn danish_and_norwegian_forms() {
        assert_eq!(p("i går kl. 14.32", Copenhagen), utc(2026, 11, 19, 13, 32));
        assert_eq!(p("I dag kl. 09:05", Copenhagen), utc(2026, 11, 20, 8, 5));
        assert_eq!(p("20. november 2026", Copenhagen), utc(2026, 11, 19, 23, 0));
        assert_eq!(
            p("3. okt. 2026 kl. 10.15", Copenhagen),
            utc(2026, 10, 3, 8, 15)
        );
        assert_eq!(p("for 3 timer siden", Copenhagen), utc(2026, 11, 20, 9, 0));
        assert_eq!(p("for en uge siden", Copenhagen), utc(2026, 11, 13, 12, 0));
        assert_eq!(p("20. desember 2025", Copenhagen), utc(2025, 12, 19, 23, 0));
    }

    #[test]
    fn english_forms() {
        assert_eq!(
            p("yesterday at 2:32 pm", Tz::UTC),
            utc(2026, 11, 19, 14, 32)
        );
        assert_eq!(p("Today at 12:15 AM", Tz::UTC), utc(2026, 11, 20, 0, 15));
        assert_eq!(p("3 hours ago", Tz::UTC), utc(2026, 11, 20, 9, 0));
        assert_eq!(p("an hour ago", Tz::UTC), utc(2026, 11, 20, 11, 0));
        assert_eq!(p("Nov 20, 2026", Tz::UTC), utc(2026, 11, 20, 0, 0));
        assert_eq!(
            p("November 3rd, 2026 at 5pm", Tz::UTC),
            utc(2026, 11, 3, 17, 0)
        );
        assert_eq!(
            p("Posted on 20 Nov 2026 14:32 UTC", Moscow),
            utc(2026, 11, 20, 14, 32)
        );
        assert_eq!(p("11/20/2026", Tz::UTC), utc(2026, 11, 20, 0, 0));
    }

    #[test]
    fn junk_is_none() {
        for junk in [
            "",
            "   ",
            "Nordlys",
            "version 2.10",
            "14:32",
            "page 3 of 12",
            "32.13.2026",
            "31 февраля 2026",
            "2026-02-30",
            "marketing 12",
            "99 hours",
            "25:61 yesterday",
            "9999999999999999999 hours ago",
            "年月日",
        ] {
            assert_eq!(p(junk, Moscow), None, "{junk:?}");
        }
        let long = "20 ноября ".repeat(50);
        assert_eq!(p(&long, Moscow), None);
    }

    #[test]
    fn w3c_lastmod() {
        assert_eq!(parse_w3c("2026-11-20"), utc(2026, 11, 20, 0, 0));
        assert_eq!(parse_w3c("2026-11"), utc(2026, 11, 1, 0, 0));
        assert_eq!(
            parse_w3c("2026-11-20T14:32:00+01:00"),
            utc(2026, 11, 20, 13, 32)
        );
        assert_eq!(
            parse_w3c("2026-11-20T14:32+01:00"),
            utc(2026, 11, 20, 13, 32)
        );
        assert_eq!(parse_w3c("soon"), None);
    }
}
