//! Volume spikes: a brand's mentions (and the negative share of them) in
//! the last hour against the 12 hours before, and in the last day against
//! the 14 days before. A spike is reported with what stands out in it: the
//! words, sources and authors over-represented against the baseline.
//!
//! Counts are compared as Poisson rates: the excess over the baseline rate
//! in units of its standard deviation, `(n − λ) / √(λ + 1)` (the `+ 1` keeps
//! a quiet brand's first few mentions from being an alarm). The negative
//! share is compared the same way as a binomial proportion. `sensitivity`
//! moves the bar: `low` 4, `normal` 3, `high` 2 standard deviations.

use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

/// How readily a rise is called a spike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sensitivity {
    Low,
    #[default]
    Normal,
    High,
}

impl Sensitivity {
    fn z(self) -> f64 {
        match self {
            Sensitivity::Low => 4.0,
            Sensitivity::Normal => 3.0,
            Sensitivity::High => 2.0,
        }
    }
}

/// The two comparisons the playbook's "within the hour" and "today" need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Span {
    /// The last hour against the 12 hours before it.
    Hour,
    /// The last day against the 14 days before it.
    Day,
}

impl Span {
    /// (length of the window, number of equal windows in the baseline)
    fn shape(self) -> (Duration, i32) {
        match self {
            Span::Hour => (Duration::hours(1), 12),
            Span::Day => (Duration::days(1), 14),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Span::Hour => "hour",
            Span::Day => "day",
        }
    }
}

/// One mention as spike detection sees it.
#[derive(Clone, Debug)]
pub struct Point<'a> {
    pub at: DateTime<Utc>,
    pub negative: bool,
    pub source: &'a str,
    pub author: Option<&'a str>,
    pub text: &'a str,
}

/// A rise worth a look, with what it is made of.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Spike {
    pub span: Span,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub count: usize,
    /// Mean count per window in the baseline.
    pub baseline: f64,
    /// Standard deviations above the baseline rate.
    pub volume_z: f64,
    pub negative_share: f64,
    pub baseline_negative_share: f64,
    pub negative_z: f64,
    /// Words, sources and authors most over-represented, most first.
    pub top_terms: Vec<String>,
    pub top_sources: Vec<(String, usize)>,
    pub top_authors: Vec<(String, usize)>,
}

/// Each brand's spikes ending at `now`, over the stored mentions of the last [`LOOKBACK`].
pub fn current_in(
    store: &dyn crate::store::StateStore,
    brands: &[String],
    now: DateTime<Utc>,
    sensitivity: Sensitivity,
) -> Result<Vec<(String, Spike)>, crate::store::StoreError> {
    let mentions = store.mentions(
        &crate::store::MentionFilter {
            since: Some(now - LOOKBACK),
            ..Default::default()
        },
        None,
    )?;
    Ok(current(
        &mentions,
        brands.iter().map(String::as_str),
        now,
        sensitivity,
    ))
}

impl Spike {
    /// The stable JSON of `hearsay spikes --json` and `/api/spikes`.
    pub fn to_json(&self, brand: &str) -> serde_json::Value {
        serde_json::json!({
            "brand": brand,
            "span": self.span.as_str(),
            "start": self.start.to_rfc3339(),
            "end": self.end.to_rfc3339(),
            "count": self.count,
            "baseline": self.baseline,
            "volume_z": self.volume_z,
            "negative_share": self.negative_share,
            "baseline_negative_share": self.baseline_negative_share,
            "negative_z": self.negative_z,
            "top_terms": self.top_terms,
            "top_sources": self.top_sources,
            "top_authors": self.top_authors,
        })
    }
}

/// Each brand's spikes of either span ending at `now` among `mentions`
/// (which should reach back [`LOOKBACK`]).
pub fn current<'b>(
    mentions: &[crate::model::Mention],
    brands: impl IntoIterator<Item = &'b str>,
    now: DateTime<Utc>,
    sensitivity: Sensitivity,
) -> Vec<(String, Spike)> {
    let mut found = Vec::new();
    for brand in brands {
        let points = points_for(mentions, brand);
        for span in [Span::Hour, Span::Day] {
            if let Some(s) = detect(&points, now, span, sensitivity) {
                found.push((brand.to_string(), s));
            }
        }
    }
    found
}

/// One brand's mentions as spike detection sees them.
fn points_for<'a>(mentions: &'a [crate::model::Mention], brand: &str) -> Vec<Point<'a>> {
    mentions
        .iter()
        .filter(|m| m.brands.iter().any(|b| b == brand))
        .map(|m| Point {
            at: m.effective_time(),
            negative: m
                .labels
                .as_ref()
                .is_some_and(|l| l.sentiment == crate::model::Sentiment::Negative),
            source: &m.source,
            author: m.author.as_deref(),
            text: &m.text,
        })
        .collect()
}

/// How far back spike detection reads: the day span's 14-day baseline and the day itself.
pub const LOOKBACK: Duration = Duration::days(15);

/// Fewer mentions than this in the window are never a spike.
const MIN_COUNT: usize = 5;
/// How many of each kind of cause a spike names.
const TOP: usize = 5;

/// The spike of `span` ending at `now` among one brand's `points`, if any.
pub fn detect(
    points: &[Point<'_>],
    now: DateTime<Utc>,
    span: Span,
    sensitivity: Sensitivity,
) -> Option<Spike> {
    let (len, windows) = span.shape();
    let start = now - len;
    let base_start = start - len * windows;
    let (now_pts, base_pts): (Vec<&Point<'_>>, Vec<&Point<'_>>) = points
        .iter()
        .filter(|p| p.at > base_start && p.at <= now)
        .partition(|p| p.at > start);
    let count = now_pts.len();
    if count < MIN_COUNT {
        return None;
    }
    let baseline = base_pts.len() as f64 / f64::from(windows);
    let volume_z = (count as f64 - baseline) / (baseline + 1.0).sqrt();
    let neg = |pts: &[&Point<'_>]| pts.iter().filter(|p| p.negative).count();
    let negative_share = neg(&now_pts) as f64 / count as f64;
    // An empty baseline says nothing of the usual tone: assume a third negative.
    let baseline_negative_share = if base_pts.is_empty() {
        1.0 / 3.0
    } else {
        neg(&base_pts) as f64 / base_pts.len() as f64
    };
    let p = baseline_negative_share.clamp(0.05, 0.95);
    let negative_z = (negative_share - p) / (p * (1.0 - p) / count as f64).sqrt();
    let z = sensitivity.z();
    if volume_z < z && negative_z < z {
        return None;
    }
    Some(Spike {
        span,
        start,
        end: now,
        count,
        baseline,
        volume_z,
        negative_share,
        baseline_negative_share,
        negative_z,
        top_terms: top_terms(&now_pts, &base_pts),
        top_sources: top_by(&now_pts, |p| Some(p.source)),
        top_authors: top_by(&now_pts, |p| p.author),
    })
}

/// Most frequent values of `key` in the window.
fn top_by<'a>(
    pts: &[&Point<'a>],
    key: impl Fn(&Point<'a>) -> Option<&'a str>,
) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for p in pts {
        if let Some(k) = key(p).filter(|k| !k.trim().is_empty()) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut v: Vec<(String, usize)> = counts
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(TOP);
    v
}

/// Words in more of the window's mentions than the baseline would predict
/// (smoothed ratio of document frequencies), at least in two mentions.
fn top_terms(now: &[&Point<'_>], base: &[&Point<'_>]) -> Vec<String> {
    let df = |pts: &[&Point<'_>]| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for p in pts {
            let mut words: Vec<String> = crate::matcher::normalize_text(p.text)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 4 || w.chars().any(|c| c > '\u{2E80}'))
                .map(str::to_string)
                .collect();
            words.sort();
            words.dedup();
            for w in words {
                *m.entry(w).or_default() += 1;
            }
        }
        m
    };
    let (now_df, base_df) = (df(now), df(base));
    let (n_now, n_base) = (now.len().max(1) as f64, base.len().max(1) as f64);
    let mut scored: Vec<(f64, String)> = now_df
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(w, n)| {
            let before = base_df.get(&w).copied().unwrap_or(0) as f64;
            let lift = (n as f64 / n_now) / ((before + 1.0) / (n_base + 2.0));
            (lift * (n as f64).ln_1p(), w)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(TOP).map(|(_, w)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet_day(now: DateTime<Utc>) -> Vec<Point<'static>> {
        // Two mentions an hour for the 13 hours before `now`, one in three negative.
        (0..26)
            .map(|i| Point {
                at: now - Duration::minutes(30 * i + 61),
                negative: i % 3 == 0,
                source: "forum",
                author: Some(["ann", "bo", "cy", "di"][i as usize % 4]),
                text: [
                    "Nordlys app works fine",
                    "paid rent with Nordlys",
                    "Nordlys card arrived",
                ][i as usize % 3],
            })
            .collect()
    }

    #[test]
    fn a_burst_in_the_last_hour_is_a_spike_that_names_its_words() {
        let now = Utc::now();
        let mut pts = quiet_day(now);
        for i in 0..14 {
            pts.push(Point {
                at: now - Duration::minutes(2 * i + 1),
                negative: true,
                source: if i % 2 == 0 { "reviews" } else { "blog" },
                author: Some(["x1", "x2", "x3", "x4", "x5", "x6", "x7"][i as usize % 7]),
                text: "Nordlys outage: login fails, app down since noon",
            });
        }
        let s = detect(&pts, now, Span::Hour, Sensitivity::Normal).expect("a spike");
        assert_eq!(s.count, 14);
        assert!((s.baseline - 2.0).abs() < 0.2, "{}", s.baseline);
        assert!(s.volume_z > 3.0 && s.negative_z > 3.0, "{s:?}");
        assert!(
            s.top_terms.iter().any(|t| t == "outage" || t == "login"),
            "{:?}",
            s.top_terms
        );
        assert_eq!(s.top_sources[0].1, 7);
        assert_eq!(s.top_authors.len(), 5);
    }

    #[test]
    fn a_usual_hour_is_no_spike_and_sensitivity_moves_the_bar() {
        let now = Utc::now();
        let mut pts = quiet_day(now);
        // Six mentions this hour against two an hour: z = (6 − 2) / √3 ≈ 2.3,
        // the share negative as usual.
        for i in 0..6 {
            pts.push(Point {
                at: now - Duration::minutes(5 * i + 1),
                negative: i % 3 == 0,
                source: "forum",
                author: Some("ann"),
                text: "Nordlys app works fine",
            });
        }
        assert_eq!(detect(&pts, now, Span::Hour, Sensitivity::Normal), None);
        assert!(detect(&pts, now, Span::Hour, Sensitivity::High).is_some());
        assert_eq!(
            detect(&quiet_day(now), now, Span::Hour, Sensitivity::High),
            None
        );
    }

    #[test]
    fn a_turn_to_anger_at_usual_volume_is_a_spike_of_tone() {
        let now = Utc::now();
        let mut pts = quiet_day(now);
        for i in 0..8 {
            pts.push(Point {
                at: now - Duration::minutes(7 * i + 1),
                negative: true,
                source: "forum",
                author: Some("zed"),
                text: "Nordlys changed the fee again",
            });
        }
        let s = detect(&pts, now, Span::Hour, Sensitivity::Low).expect("tone spike");
        assert!(s.volume_z < 4.0 && s.negative_z >= 4.0, "{s:?}");
    }

    #[test]
    fn the_day_span_compares_with_two_weeks() {
        let now = Utc::now();
        let mut pts: Vec<Point<'static>> = (1..15)
            .flat_map(|d| {
                (0..3).map(move |k| Point {
                    at: now - Duration::days(d) - Duration::hours(k + 1),
                    negative: false,
                    source: "blog",
                    author: None,
                    text: "Nordlys review",
                })
            })
            .collect();
        assert_eq!(detect(&pts, now, Span::Day, Sensitivity::Normal), None);
        for h in 0..20 {
            pts.push(Point {
                at: now - Duration::hours(h),
                negative: false,
                source: "news",
                author: None,
                text: "Nordlys merger announced",
            });
        }
        let s = detect(&pts, now, Span::Day, Sensitivity::Normal).expect("day spike");
        assert!((s.baseline - 3.0).abs() < 0.01);
        assert_eq!(s.top_authors, vec![]);
    }
}
