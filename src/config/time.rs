//! Durations ("90m", "2h", "7d") and points in time as users type them.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use std::time::Duration;

/// Parses `30s`, `90m`, `2h`, `7d`, `2w` (a bare number is seconds).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a duration (use e.g. 90m, 2h, 7d)"))?;
    let secs = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        other => {
            return Err(format!(
                "unknown duration unit `{other}` in `{s}` (use s, m, h, d, w)"
            ))
        }
    };
    Ok(Duration::from_secs(n.saturating_mul(secs)))
}

/// Parses a point in time: RFC 3339, `YYYY-MM-DD` (midnight in `tz`), or a
/// relative duration meaning "that long before `now`".
pub fn parse_time(s: &str, tz: Tz, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        return tz
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| format!("`{s}` does not exist in {tz}"));
    }
    match parse_duration(s) {
        Ok(d) => Ok(now - chrono::Duration::from_std(d).map_err(|e| e.to_string())?),
        Err(_) => Err(format!(
            "`{s}` is not a time: use RFC 3339, YYYY-MM-DD, or a relative 90m / 2h / 7d"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90m").unwrap(), Duration::from_secs(5400));
        assert_eq!(
            parse_duration("7d").unwrap(),
            Duration::from_secs(7 * 86400)
        );
        assert!(parse_duration("7 parsecs").is_err());
    }

    #[test]
    fn times_in_zone() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let moscow: Tz = "Europe/Moscow".parse().unwrap();
        let t = parse_time("2026-11-20", moscow, now).unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 19, 21, 0, 0).unwrap());
        assert_eq!(
            parse_time("2h", moscow, now).unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
        );
        assert!(parse_time("2026-11-20T10:00:00Z", moscow, now).is_ok());
        assert!(parse_time("yesterday", moscow, now).is_err());
    }
}
