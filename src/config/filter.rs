//! Filters as a person types them (CLI flags, web query strings) → a
//! validated [`MentionFilter`]. One parser, so `--status` and `?status=`
//! accept the same words and fail with the same message.

use super::time::parse_time;
use crate::model::{Flag, Intent, Lang, Sentiment, Status, Urgency};
use crate::store::{MentionFilter, UrgencyFilter};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::time::Duration;

pub const FLAG_NAMES: &str =
    "obscene, insult, troll, spam, ad, suspected_fake, constructive, needs_reply";

/// Filter values as typed; empty strings count as absent (an HTML form sends them).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct FilterText {
    pub brand: Option<String>,
    pub lang: Option<String>,
    pub source: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub intent: Option<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    pub status: Option<String>,
    pub urgency: Option<String>,
    pub sentiment: Option<String>,
    #[serde(default)]
    pub muted: bool,
}

/// A bad value: which filter (as `name` spells it, e.g. `--status` or `status`) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}: {message}")]
pub struct FilterError {
    pub name: String,
    pub message: String,
}

/// A value that was typed, trimmed; an empty one is absent.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl FilterText {
    /// Validates every value; `prefix` is how a filter's name is shown in
    /// errors (`"--"` on the command line, `""` on the web).
    pub fn parse(
        &self,
        prefix: &str,
        tz: Tz,
        now: DateTime<Utc>,
        window: Duration,
    ) -> Result<MentionFilter, FilterError> {
        let err = |name: &str, message: String| FilterError {
            name: format!("{prefix}{name}"),
            message,
        };
        let time = |name: &str, v: &Option<String>| -> Result<Option<DateTime<Utc>>, FilterError> {
            given(v)
                .map(|s| parse_time(s, tz, now).map_err(|m| err(name, m)))
                .transpose()
        };
        let one = |name: &str, v: &Option<String>, parse: &dyn Fn(&str) -> bool, known: &str| {
            match given(v) {
                Some(x) if !parse(x) => Err(err(name, format!("unknown value `{x}` ({known})"))),
                other => Ok(other.map(str::to_string)),
            }
        };
        let lang = one(
            "lang",
            &self.lang,
            &|x| Lang::parse(x).is_some(),
            "ru, zh, da, en, other",
        )?
        .and_then(|x| Lang::parse(&x));
        let intent = one(
            "intent",
            &self.intent,
            &|x| Intent::parse(x).is_some(),
            "question, complaint, praise, incident, other",
        )?
        .and_then(|x| Intent::parse(&x));
        let status = one(
            "status",
            &self.status,
            &|x| Status::parse(x).is_some(),
            "new, answered, resolved, ignored",
        )?
        .and_then(|x| Status::parse(&x));
        let sentiment = one(
            "sentiment",
            &self.sentiment,
            &|x| Sentiment::parse(x).is_some(),
            "negative, neutral, positive",
        )?
        .and_then(|x| Sentiment::parse(&x));
        let urgency = one(
            "urgency",
            &self.urgency,
            &|x| Urgency::parse(x).is_some(),
            "now, overdue, none",
        )?
        .and_then(|x| Urgency::parse(&x))
        .map(|want| UrgencyFilter { want, now, window });
        let flags = self
            .flags
            .iter()
            .flat_map(|f| f.split(','))
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|x| {
                Flag::parse(x)
                    .ok_or_else(|| err("flag", format!("unknown flag `{x}` ({FLAG_NAMES})")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MentionFilter {
            brand: given(&self.brand).map(str::to_string),
            lang,
            source: given(&self.source).map(str::to_string),
            site: None,
            since: time("since", &self.since)?,
            until: time("until", &self.until)?,
            include_deleted: false,
            intent,
            flags,
            status,
            sentiment,
            urgency,
            include_muted: self.muted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(t: &FilterText, prefix: &str) -> Result<MentionFilter, FilterError> {
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 24, 12, 0, 0).unwrap();
        t.parse(prefix, Tz::Europe__Moscow, now, Duration::from_secs(3600))
    }

    #[test]
    fn a_form_s_empty_values_are_absent_and_flags_split_on_commas() {
        let t = FilterText {
            lang: Some(" ".into()),
            status: Some("".into()),
            flags: vec!["spam, troll".into(), "".into()],
            since: Some("2026-11-20".into()),
            ..Default::default()
        };
        let f = parse(&t, "").unwrap();
        assert_eq!(f.lang, None);
        assert_eq!(f.status, None);
        assert_eq!(f.flags, vec![Flag::Spam, Flag::Troll]);
        // A day starts at midnight in the configured zone (Moscow, UTC+3).
        assert_eq!(f.since.unwrap().to_rfc3339(), "2026-11-19T21:00:00+00:00");
    }

    #[test]
    fn a_bad_value_names_its_filter_as_the_user_typed_it() {
        let t = FilterText {
            status: Some("maybe".into()),
            ..Default::default()
        };
        let cli = parse(&t, "--").unwrap_err();
        assert_eq!(cli.name, "--status");
        assert!(cli.message.contains("new, answered, resolved, ignored"));
        assert_eq!(parse(&t, "").unwrap_err().name, "status");
        let t = FilterText {
            flags: vec!["spam,nope".into()],
            ..Default::default()
        };
        assert!(parse(&t, "").unwrap_err().to_string().contains("nope"));
        let t = FilterText {
            urgency: Some("now".into()),
            sentiment: Some("negative".into()),
            ..Default::default()
        };
        let f = parse(&t, "").unwrap();
        assert_eq!(f.urgency.unwrap().want, Urgency::Now);
        assert_eq!(f.sentiment, Some(Sentiment::Negative));
    }
}
