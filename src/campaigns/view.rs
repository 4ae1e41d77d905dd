//! A campaign as people read it: the stored record plus what its members
//! show (voices, sites, languages, timeline, threads to answer in) and the
//! answer the playbook prescribes. The CLI, the digest and the web page
//! all show this one view. The answer follows the playbook: an attack is
//! refuted everywhere it is carried; organic anger is explained and fixed;
//! one author's repeats are moderated while the complaint is still solved.

use crate::model::{Campaign, CampaignKind, Mention};
use crate::store::{Result, StateStore};
use chrono::{DateTime, Duration, Timelike, Utc};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A campaign with no new member for this long is quiet.
pub const QUIET_AFTER: Duration = Duration::hours(24);

/// What an analyst sees of one campaign.
#[derive(Clone, Debug)]
pub struct CampaignView {
    pub campaign: Campaign,
    /// Its members still stored, oldest first.
    pub members: Vec<Mention>,
    /// Distinct voices: the author when known, else the site.
    pub voices: BTreeSet<String>,
    pub sites: BTreeSet<String>,
    pub langs: BTreeSet<String>,
    /// Members per hour (RFC 3339 of the hour's start).
    pub timeline: BTreeMap<String, usize>,
    /// `active`, or `quiet` after [`QUIET_AFTER`] without a new member.
    pub status: &'static str,
    /// What the playbook prescribes for this kind of wave.
    pub suggestion: String,
}

impl CampaignView {
    /// Reads the campaign's members from the store.
    pub fn read(st: &dyn StateStore, c: &Campaign, now: DateTime<Utc>) -> Result<CampaignView> {
        let mut members = Vec::new();
        for id in &c.members {
            if let Some(m) = st.mention(id)? {
                members.push(m);
            }
        }
        let voices = members
            .iter()
            .map(|m| m.author.clone().unwrap_or_else(|| m.site.clone()))
            .collect();
        let sites: BTreeSet<String> = members.iter().map(|m| m.site.clone()).collect();
        let langs = members.iter().map(|m| m.lang.to_string()).collect();
        let mut timeline: BTreeMap<String, usize> = BTreeMap::new();
        for m in &members {
            let t = m.effective_time();
            let hour = t
                .with_minute(0)
                .and_then(|t| t.with_second(0))
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(t);
            *timeline.entry(hour.to_rfc3339()).or_default() += 1;
        }
        // The pages to answer on: a comment's thread, not each comment.
        let threads: BTreeSet<&str> = members
            .iter()
            .map(|m| m.url.split('#').next().unwrap_or(&m.url))
            .collect();
        let status = if now - c.last_seen > QUIET_AFTER {
            "quiet"
        } else {
            "active"
        };
        let suggestion = answer(c.kind, sites.len(), &threads);
        Ok(CampaignView {
            campaign: c.clone(),
            members,
            voices,
            sites,
            langs,
            timeline,
            status,
            suggestion,
        })
    }

    /// The stable JSON of `hearsay campaign --json` and the web API.
    pub fn to_json(&self) -> Value {
        let c = &self.campaign;
        json!({
            "id": c.id,
            "kind": c.kind.as_str(),
            "status": self.status,
            "score": c.score,
            "members": c.members,
            "authors": self.voices,
            "sites": self.sites,
            "langs": self.langs,
            "first_seen": c.first_seen.to_rfc3339(),
            "last_seen": c.last_seen.to_rfc3339(),
            "timeline": self.timeline,
            "signals": c.signals,
            "summary": { "text": c.summary, "phrases": c.phrases },
            "suggestion": self.suggestion,
        })
    }

    /// Signals by weighted value, largest first: (name, value, weight).
    pub fn top_signals(&self) -> Vec<(String, f64, f64)> {
        let mut s: Vec<(String, f64, f64)> = self
            .campaign
            .signals
            .iter()
            .map(|(n, s)| (n.clone(), s.value, s.weight))
            .collect();
        s.sort_by(|a, b| (b.1 * b.2).total_cmp(&(a.1 * a.2)));
        s
    }

    pub fn kind(&self) -> CampaignKind {
        self.campaign.kind
    }
}

/// Threads listed in the answer; the rest are in the campaign's members.
const THREADS_SHOWN: usize = 20;

/// The answer for a wave of `kind` carried on `sites` sites in `threads`.
pub fn answer(kind: CampaignKind, sites: usize, threads: &BTreeSet<&str>) -> String {
    let where_ = threads
        .iter()
        .take(THREADS_SHOWN)
        .map(|t| format!("  - {t}"))
        .collect::<Vec<_>>()
        .join("\n");
    match kind {
        CampaignKind::Coordinated => format!(
            "Looks like a coordinated attack, not organic anger: refute, do not apologise.\n\
             1. Prepare the evidence first (facts, order records, screenshots); a badly prepared rebuttal makes it worse.\n\
             2. Publish one factual public statement, and post it as a reply in every place that carries the claim ({sites} site(s)):\n{where_}\n\
             3. To each single suspicious reviewer: ask for the order number, purchase date and other details.\n\
             4. Ask trusted voices (opinion leaders the audience trusts) to share the statement.\n\
             Do not answer each attacking post one by one, and delete nothing that is honest criticism."
        ),
        CampaignKind::Organic => format!(
            "Looks like organic anger after a real problem: explain and fix, do not refute.\n\
             1. Publish an explanation of what happened and what is being done, before the press does.\n\
             2. Answer the people who wrote, in their threads:\n{where_}\n\
             3. When it is fixed, post a \"solved\" follow-up in the same places."
        ),
        CampaignKind::SpamRepeat => format!(
            "One author repeating the same text under many posts:\n\
             keep the first post and answer it; remove the repeats, saying why; warn before banning;\n\
             and still solve the underlying complaint. Where it was posted:\n{where_}"
        ),
    }
}
