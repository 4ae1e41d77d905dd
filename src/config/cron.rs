//! Cron expressions: the `cron` crate's 6–7 field form, plus classic 5-field
//! crontab lines translated faithfully or refused.
//!
//! Translation rule: prepend `0` seconds; renumber day-of-week from crontab's
//! 0–7 (0 and 7 = Sunday) to the crate's 1–7 (Sunday = 1). Crontab ORs a
//! restricted day-of-month with a restricted day-of-week while the crate ANDs
//! them, so a line restricting both is refused rather than silently changed.

use std::str::FromStr;

/// Parses a schedule, translating a 5-field crontab line first.
pub fn parse_schedule(expr: &str) -> Result<cron::Schedule, String> {
    let expr = expr.trim();
    let translated = if expr.starts_with('@') {
        expr.to_string()
    } else {
        let fields: Vec<&str> = expr.split_whitespace().collect();
        match fields.len() {
            5 => translate_crontab(&fields)?,
            6 | 7 => expr.to_string(),
            n => {
                return Err(format!(
                    "expected 5 fields (crontab) or 6-7 fields (seconds first), got {n}"
                ))
            }
        }
    };
    cron::Schedule::from_str(&translated).map_err(|e| format!("invalid cron expression: {e}"))
}

fn translate_crontab(fields: &[&str]) -> Result<String, String> {
    let (minute, hour, dom, month, dow) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
    let restricted = |f: &str| f != "*" && f != "?";
    if restricted(dom) && restricted(dow) {
        return Err(format!(
            "crontab `{}` restricts both day-of-month and day-of-week, which crontab ORs but this scheduler ANDs; \
             use two sources or the 6-field form",
            fields.join(" ")
        ));
    }
    let dow = if restricted(dow) {
        translate_dow(dow)?
    } else {
        "*".to_string()
    };
    Ok(format!("0 {minute} {hour} {dom} {month} {dow}"))
}

/// Expands a crontab day-of-week field to the crate's numbering.
fn translate_dow(field: &str) -> Result<String, String> {
    let mut days = [false; 7]; // index 0 = Sunday
    for part in field.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<usize>()
                    .map_err(|_| format!("bad step in `{part}`"))?,
            ),
            None => (part, 1),
        };
        if step == 0 {
            return Err(format!("zero step in `{part}`"));
        }
        let (lo, hi) = if range == "*" {
            (0, 6)
        } else if let Some((a, b)) = range.split_once('-') {
            (dow_number(a)?, dow_number(b)?)
        } else {
            let d = dow_number(range)?;
            (d, if part.contains('/') { 6 } else { d })
        };
        if lo > hi {
            return Err(format!("day-of-week range `{range}` runs backwards"));
        }
        for d in (lo..=hi).step_by(step) {
            days[d % 7] = true;
        }
    }
    let list: Vec<String> = (0..7)
        .filter(|&d| days[d])
        .map(|d| (d + 1).to_string())
        .collect();
    Ok(list.join(","))
}

fn dow_number(s: &str) -> Result<usize, String> {
    const NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    if let Some(i) = NAMES.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Ok(i);
    }
    match s.parse::<usize>() {
        Ok(n) if n <= 7 => Ok(n),
        _ => Err(format!("bad day of week `{s}` (0-7 or sun-sat)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, TimeZone, Timelike, Utc};

    #[test]
    fn six_fields_pass_through() {
        assert!(parse_schedule("0 */15 * * * *").is_ok());
    }

    #[test]
    fn crontab_weekday_renumbered() {
        // Classic "at 09:30 on Monday-Friday".
        let s = parse_schedule("30 9 * * 1-5").unwrap();
        let after = Utc.with_ymd_and_hms(2026, 11, 21, 0, 0, 0).unwrap(); // a Saturday
        let next = s.after(&after).next().unwrap();
        assert_eq!(next.weekday(), chrono::Weekday::Mon);
        assert_eq!((next.hour(), next.minute(), next.second()), (9, 30, 0));
    }

    #[test]
    fn crontab_sunday_as_zero_and_seven() {
        for expr in ["0 12 * * 0", "0 12 * * 7", "0 12 * * sun"] {
            let s = parse_schedule(expr).unwrap();
            let after = Utc.with_ymd_and_hms(2026, 11, 23, 13, 0, 0).unwrap(); // a Monday
            assert_eq!(
                s.after(&after).next().unwrap().weekday(),
                chrono::Weekday::Sun,
                "{expr}"
            );
        }
    }

    #[test]
    fn crontab_dom_and_dow_refused() {
        let err = parse_schedule("0 12 1 * 1").unwrap_err();
        assert!(err.contains("ORs"), "{err}");
    }

    #[test]
    fn garbage_refused() {
        assert!(parse_schedule("every hour").is_err());
        assert!(parse_schedule("61 * * * *").is_err());
    }
}
