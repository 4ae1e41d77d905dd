//! Gathers one digest period from the store: which mentions it covers (by
//! store change number, so a back-dated item is never skipped), which
//! section each belongs to, the waves and spikes, and the sources to check.

use super::content::{
    Change, DigestContent, Entry, SourceNote, SourceProblem, SpikeNote, Totals, Wave,
};
use super::DigestError;
use crate::campaigns::view::CampaignView;
use crate::config::{Config, DigestConfig};
use crate::model::{Flag, Intent, Mention, Sentiment, SpikeRecord, Urgency};
use crate::respond::Responder;
use crate::store::{DigestRun, Mailed, StateStore};
use chrono::{DateTime, Duration, Utc};

/// Flags that put a mention in the moderation section.
const MODERATED: [Flag; 5] = [
    Flag::Obscene,
    Flag::Insult,
    Flag::Spam,
    Flag::Ad,
    Flag::Troll,
];

/// Flags after which a mention is not listed under its intent (nothing is owed).
const NOTHING_OWED: [Flag; 3] = [Flag::Troll, Flag::Spam, Flag::Ad];

/// A period gathered and ready to close.
#[derive(Clone, Debug)]
pub struct Gathered {
    pub content: DigestContent,
    /// The run that closing this period records.
    pub run: DigestRun,
    /// What this period mails, to remember for the next one.
    pub mailed: Vec<Mailed>,
}

/// Reads the period of digest `d` that closes at `now`.
pub fn period(
    st: &dyn StateStore,
    config: &Config,
    responder: &Responder,
    d: &DigestConfig,
    now: DateTime<Utc>,
) -> Result<Gathered, DigestError> {
    let previous = st.last_digest_run(&d.name)?;
    let upto_seq = st.last_seq()?;
    let after_seq = previous.as_ref().map_or(0, |r| r.upto_seq);
    let first_window = Duration::from_std(d.first_window).unwrap_or(Duration::days(1));
    let since = previous
        .as_ref()
        .map_or(now - first_window, |r| r.closed_at);
    let window = config.replies.window;

    let changed: Vec<(Mention, i64)> = st
        .mentions_changed(after_seq, upto_seq)?
        .into_iter()
        .filter(|(m, _)| covers(d, &m.brands))
        .collect();
    let ids: Vec<_> = changed.iter().map(|(m, _)| m.id.clone()).collect();
    let earlier = st.mailed(&d.name, &ids)?;

    let mut entries = Vec::new();
    let mut mailed = Vec::new();
    for (m, first_seq) in changed {
        let change = match earlier.get(&m.id) {
            Some(before) if m.deleted && !before.deleted => Change::Deleted,
            Some(before) if m.versions > before.versions => Change::Edited {
                earlier_title: before.title.clone(),
                earlier_text: before.text.clone(),
            },
            // Mailed, and only its labels or status moved since.
            Some(_) => continue,
            None => {
                let inserted_now = match &previous {
                    Some(_) if first_seq > 0 => first_seq > after_seq,
                    _ => m.first_seen >= since,
                };
                if !inserted_now {
                    continue;
                }
                Change::New
            }
        };
        mailed.push(Mailed {
            item_id: m.id.clone(),
            versions: m.versions,
            deleted: m.deleted,
            title: m.title.clone(),
            text: m.text.clone(),
        });
        entries.push(entry(config, responder, m, change, now, window));
    }

    let totals = totals(&entries);
    let previous_totals = previous
        .as_ref()
        .and_then(|r| serde_json::from_value::<Totals>(r.totals.clone()).ok());
    let mut content = DigestContent {
        name: d.name.clone(),
        lang: d.language,
        brands: if d.brands.is_empty() {
            config.brands.iter().map(|b| b.name.clone()).collect()
        } else {
            d.brands.clone()
        },
        timezone: config.timezone,
        since: previous.as_ref().map(|r| r.closed_at),
        until: now,
        reply_window: window,
        totals: totals.clone(),
        previous: previous_totals,
        needs_reply: Vec::new(),
        waves: waves(st, d, since, now)?,
        spikes: Vec::new(),
        complaints: Vec::new(),
        questions: Vec::new(),
        incidents: Vec::new(),
        praise: Vec::new(),
        moderation: Vec::new(),
        sources: sources(st, config, since, now)?,
    };
    content.spikes = spikes(st, d, since, &content.waves)?;
    sort_into_sections(&mut content, entries);

    let run = DigestRun {
        name: d.name.clone(),
        period: previous.as_ref().map_or(1, |r| r.period + 1),
        upto_seq,
        closed_at: now,
        totals: serde_json::to_value(&totals).unwrap_or_default(),
    };
    Ok(Gathered {
        content,
        run,
        mailed,
    })
}

/// The digest covers a mention of one of its brands (all brands when it names none).
fn covers(d: &DigestConfig, brands: &[String]) -> bool {
    d.brands.is_empty()
        || brands
            .iter()
            .any(|b| d.brands.iter().any(|w| w.eq_ignore_ascii_case(b)))
}

/// One mention as listed, with its urgency and draft reply as of `now`.
pub(super) fn entry(
    config: &Config,
    responder: &Responder,
    mention: Mention,
    change: Change,
    now: DateTime<Utc>,
    window: std::time::Duration,
) -> Entry {
    let (urgency, _) = mention.urgency(now, window);
    let waited = now - mention.effective_time();
    let suggestion = crate::respond::reading::suggestion(&mention, config, responder, now);
    let owed = matches!(urgency, Urgency::Now | Urgency::Overdue);
    Entry {
        mention,
        change,
        urgency,
        waited: owed.then_some(waited),
        suggestion,
    }
}

fn totals(entries: &[Entry]) -> Totals {
    let mut t = Totals::default();
    for e in entries {
        t.mentions += 1;
        if e.mention
            .labels
            .as_ref()
            .is_some_and(|l| l.sentiment == Sentiment::Negative)
        {
            t.negative += 1;
        }
        *t.by_lang.entry(e.mention.lang).or_default() += 1;
    }
    t
}

/// Puts each entry in its sections: owed a reply (only there), moderation,
/// and its intent unless nothing is owed (troll, spam, ad).
fn sort_into_sections(c: &mut DigestContent, entries: Vec<Entry>) {
    for e in entries {
        let Some(labels) = e.mention.labels.clone() else {
            // Not classified yet: counted in the header, listed in no section.
            continue;
        };
        let moderated = MODERATED.iter().any(|f| labels.has(*f));
        let owed_nothing = NOTHING_OWED.iter().any(|f| labels.has(*f));
        if moderated {
            c.moderation.push(e.clone());
        }
        if matches!(e.urgency, Urgency::Now | Urgency::Overdue) {
            c.needs_reply.push(e);
            continue;
        }
        if owed_nothing {
            continue;
        }
        match labels.intent {
            Intent::Complaint => c.complaints.push(e),
            Intent::Question => c.questions.push(e),
            Intent::Incident => c.incidents.push(e),
            Intent::Praise => c.praise.push(e),
            Intent::Other => {}
        }
    }
    // Overdue first, then the longest waiting.
    c.needs_reply.sort_by_key(|e| {
        (
            e.urgency != Urgency::Overdue,
            std::cmp::Reverse(e.waited.unwrap_or_default()),
        )
    });
}

fn waves(
    st: &dyn StateStore,
    d: &DigestConfig,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<Wave>, DigestError> {
    let mut out = Vec::new();
    // `campaigns` reads each one's members too.
    for c in st.campaigns(Some(since), None)? {
        let v = CampaignView::read(st, &c, now)?;
        if !v.members.iter().any(|m| covers(d, &m.brands)) {
            continue;
        }
        out.push(wave(&v, since, d.language));
    }
    // Attacks first, then the highest score.
    out.sort_by(|a, b| {
        (a.kind != crate::model::CampaignKind::Coordinated)
            .cmp(&(b.kind != crate::model::CampaignKind::Coordinated))
            .then(b.score.total_cmp(&a.score))
    });
    Ok(out)
}

/// A campaign as a mail shows it.
pub(super) fn wave(v: &CampaignView, since: DateTime<Utc>, lang: crate::model::Lang) -> Wave {
    let c = &v.campaign;
    Wave {
        id: c.id.clone(),
        kind: c.kind,
        status: v.status.to_string(),
        score: c.score,
        size: v.members.len(),
        voices: v.voices.len(),
        sites: v.sites.iter().cloned().collect(),
        first_seen: c.first_seen,
        last_seen: c.last_seen,
        summary: c.summary.clone(),
        phrases: c.phrases.clone(),
        signals: v.top_signals().into_iter().take(4).collect(),
        suggestion: v.suggestion_in(lang),
        new: c.first_seen >= since,
    }
}

fn spikes(
    st: &dyn StateStore,
    d: &DigestConfig,
    since: DateTime<Utc>,
    waves: &[Wave],
) -> Result<Vec<SpikeNote>, DigestError> {
    Ok(st
        .spikes_since(since)?
        .iter()
        .filter(|s| covers(d, std::slice::from_ref(&s.brand)))
        .map(|s| spike_note(s, waves))
        .collect())
}

/// A stored spike episode as a mail shows it; its campaign is the wave
/// active over the same time, if any.
pub(super) fn spike_note(s: &SpikeRecord, waves: &[Wave]) -> SpikeNote {
    let d = &s.detail;
    let f = |k: &str| d.get(k).and_then(|v| v.as_f64()).unwrap_or(0.0);
    let strings = |k: &str| -> Vec<String> {
        d.get(k)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| match x {
                        serde_json::Value::String(s) => Some(s.clone()),
                        // (name, count) pairs
                        serde_json::Value::Array(p) => {
                            p.first().and_then(|n| n.as_str()).map(str::to_string)
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let campaign = waves
        .iter()
        .filter(|w| w.first_seen <= s.end && w.last_seen >= s.start)
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .map(|w| w.id.clone());
    SpikeNote {
        brand: s.brand.clone(),
        span: s.span.clone(),
        start: s.start,
        end: s.end,
        count: f("count") as usize,
        baseline: f("baseline"),
        negative_share: f("negative_share"),
        baseline_negative_share: f("baseline_negative_share"),
        top_terms: strings("top_terms"),
        top_sources: strings("top_sources"),
        top_authors: strings("top_authors"),
        campaign,
    }
}

/// Sources that failed last time, or that should have succeeded since the
/// last digest by their schedule and did not: silence is not calm.
fn sources(
    st: &dyn StateStore,
    config: &Config,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<SourceNote>, DigestError> {
    let states = st.source_states()?;
    let mut out = Vec::new();
    for s in &config.sources {
        let state = states.iter().find(|x| x.name == s.name);
        let last_success = state.and_then(|x| x.last_success);
        let failing = state.and_then(|x| {
            let at = x.last_error_at?;
            let error = x.last_error.clone()?;
            (last_success.is_none_or(|ok| at > ok)).then_some(SourceProblem::Failing {
                error,
                at: Some(at),
                count: x.error_count,
            })
        });
        let problem = failing.or_else(|| {
            // Due by its schedule after its last success (or since the
            // period began), with a grace of a quarter of its interval.
            let from = last_success
                .unwrap_or(since)
                .max(since - Duration::days(30));
            let mut fires = s.schedule.cron.after(&from);
            let due = fires.next()?;
            let after = fires.next().unwrap_or(due);
            let grace = ((after - due) / 4).max(Duration::minutes(5));
            let silent = last_success.is_none_or(|ok| ok < since) && due + grace < now;
            silent.then_some(SourceProblem::Silent { last_success })
        });
        if let Some(problem) = problem {
            out.push(SourceNote {
                name: s.name.clone(),
                url: s.url.to_string(),
                problem,
            });
        }
    }
    Ok(out)
}
