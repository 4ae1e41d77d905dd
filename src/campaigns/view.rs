//! A campaign as people read it: the stored record plus what its members
//! show (voices, sites, languages, timeline, threads to answer in) and the
//! answer the playbook prescribes. The CLI, the digest and the web page
//! all show this one view. The answer follows the playbook: an attack is
//! refuted everywhere it is carried; organic anger is explained and fixed;
//! one author's repeats are moderated while the complaint is still solved.

use crate::model::{Campaign, CampaignKind, Lang, Mention};
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
    /// What the playbook prescribes for this kind of wave (in English;
    /// [`CampaignView::suggestion_in`] for another language).
    pub suggestion: String,
    /// The pages to answer on: a comment's thread, not each comment.
    pub threads: BTreeSet<String>,
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
        let suggestion = answer(c.kind, sites.len(), &threads, Lang::En);
        let threads = threads.into_iter().map(str::to_string).collect();
        Ok(CampaignView {
            campaign: c.clone(),
            members,
            voices,
            sites,
            langs,
            timeline,
            status,
            suggestion,
            threads,
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

    /// The playbook's answer in `lang`.
    pub fn suggestion_in(&self, lang: Lang) -> String {
        let threads = self.threads.iter().map(String::as_str).collect();
        answer(self.campaign.kind, self.sites.len(), &threads, lang)
    }

    pub fn kind(&self) -> CampaignKind {
        self.campaign.kind
    }
}

/// Threads listed in the answer; the rest are in the campaign's members.
const THREADS_SHOWN: usize = 20;

/// The answer for a wave of `kind` carried on `sites` sites in `threads`,
/// in `lang` (English for a language without its own wording).
pub fn answer(kind: CampaignKind, sites: usize, threads: &BTreeSet<&str>, lang: Lang) -> String {
    let where_ = threads
        .iter()
        .take(THREADS_SHOWN)
        .map(|t| format!("  - {t}"))
        .collect::<Vec<_>>()
        .join("\n");
    use CampaignKind::*;
    match (lang, kind) {
        (Lang::Ru, Coordinated) => format!(
            "Похоже на скоординированную атаку, а не на стихийное недовольство: опровергайте, не извиняйтесь.\n\
             1. Сначала соберите доказательства (факты, данные заказов, скриншоты): плохо подготовленное опровержение только навредит.\n\
             2. Опубликуйте одно фактическое заявление и разместите его ответом везде, где звучит обвинение (сайтов: {sites}):\n{where_}\n\
             3. Каждому подозрительному автору отзыва: попросите номер заказа, дату покупки и другие подробности.\n\
             4. Попросите лидеров мнений, которым доверяет аудитория, поделиться заявлением.\n\
             Не отвечайте на каждый атакующий пост по отдельности и не удаляйте честную критику."
        ),
        (Lang::Ru, Organic) => format!(
            "Похоже на стихийное недовольство после реальной проблемы: объясняйте и исправляйте, не опровергайте.\n\
             1. Опубликуйте объяснение: что случилось и что делается, раньше, чем напишут СМИ.\n\
             2. Ответьте авторам в их обсуждениях:\n{where_}\n\
             3. Когда проблема решена, напишите об этом в тех же местах."
        ),
        (Lang::Ru, SpamRepeat) => format!(
            "Один автор повторяет один и тот же текст под многими постами:\n\
             оставьте первый пост и ответьте на него; повторы удалите, объяснив причину; предупредите перед баном;\n\
             и всё равно решите саму проблему. Где опубликовано:\n{where_}"
        ),
        (Lang::Zh, Coordinated) => format!(
            "这看起来是有组织的攻击，而不是自发的不满：请反驳，不要道歉。\n\
             1. 先准备证据（事实、订单记录、截图）；准备不充分的反驳只会让情况更糟。\n\
             2. 发布一份基于事实的公开声明，并在每个出现该说法的地方回复（{sites} 个网站）：\n{where_}\n\
             3. 对每个可疑的评论者：询问订单号、购买日期和其他细节。\n\
             4. 请受众信任的意见领袖转发声明。\n\
             不要逐条回复每个攻击帖，也不要删除任何真实的批评。"
        ),
        (Lang::Zh, Organic) => format!(
            "这看起来是真实问题引发的自发不满：请解释并解决，不要反驳。\n\
             1. 在媒体报道之前，发布说明：发生了什么，正在做什么。\n\
             2. 在各自的讨论中回复发帖的人：\n{where_}\n\
             3. 问题解决后，在相同的地方发布\u{201c}已解决\u{201d}的后续说明。"
        ),
        (Lang::Zh, SpamRepeat) => format!(
            "同一作者在许多帖子下重复同样的内容：\n\
             保留第一条并回复；删除重复内容并说明原因；封禁前先警告；\n\
             同时仍要解决其背后的投诉。发布位置：\n{where_}"
        ),
        (Lang::Da, Coordinated) => format!(
            "Det ligner et koordineret angreb, ikke spontan vrede: afvis påstanden, undskyld ikke.\n\
             1. Saml beviserne først (fakta, ordredata, skærmbilleder); et dårligt forberedt svar gør det værre.\n\
             2. Offentliggør én saglig erklæring, og svar med den alle steder, hvor påstanden står ({sites} sider):\n{where_}\n\
             3. Spørg hver mistænkelig anmelder om ordrenummer, købsdato og andre detaljer.\n\
             4. Bed stemmer, publikum har tillid til, om at dele erklæringen.\n\
             Svar ikke på hvert angrebsopslag for sig, og slet aldrig ærlig kritik."
        ),
        (Lang::Da, Organic) => format!(
            "Det ligner spontan vrede efter et reelt problem: forklar og ret fejlen, afvis ikke.\n\
             1. Offentliggør en forklaring på, hvad der skete, og hvad der bliver gjort, før pressen gør det.\n\
             2. Svar dem, der skrev, i deres tråde:\n{where_}\n\
             3. Når det er løst, så skriv det samme steder."
        ),
        (Lang::Da, SpamRepeat) => format!(
            "Én forfatter gentager den samme tekst under mange opslag:\n\
             behold det første opslag og svar på det; fjern gentagelserne med en begrundelse; advar før udelukkelse;\n\
             og løs stadig selve klagen. Hvor det blev skrevet:\n{where_}"
        ),
        (_, Coordinated) => format!(
            "Looks like a coordinated attack, not organic anger: refute, do not apologise.\n\
             1. Prepare the evidence first (facts, order records, screenshots); a badly prepared rebuttal makes it worse.\n\
             2. Publish one factual public statement, and post it as a reply in every place that carries the claim ({sites} site(s)):\n{where_}\n\
             3. To each single suspicious reviewer: ask for the order number, purchase date and other details.\n\
             4. Ask trusted voices (opinion leaders the audience trusts) to share the statement.\n\
             Do not answer each attacking post one by one, and delete nothing that is honest criticism."
        ),
        (_, Organic) => format!(
            "Looks like organic anger after a real problem: explain and fix, do not refute.\n\
             1. Publish an explanation of what happened and what is being done, before the press does.\n\
             2. Answer the people who wrote, in their threads:\n{where_}\n\
             3. When it is fixed, post a \"solved\" follow-up in the same places."
        ),
        (_, SpamRepeat) => format!(
            "One author repeating the same text under many posts:\n\
             keep the first post and answer it; remove the repeats, saying why; warn before banning;\n\
             and still solve the underlying complaint. Where it was posted:\n{where_}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The playbook's two opposite answers, in every language, naming where to answer.
    #[test]
    fn an_attack_is_refuted_and_organic_anger_explained_in_every_language() {
        let threads: BTreeSet<&str> = ["https://forum.example/t/1"].into_iter().collect();
        let refute = [
            (Lang::En, "refute"),
            (Lang::Ru, "опровергайте"),
            (Lang::Zh, "反驳"),
            (Lang::Da, "afvis"),
        ];
        for (lang, word) in refute {
            let attack = answer(CampaignKind::Coordinated, 3, &threads, lang);
            assert!(attack.contains(word), "{lang}: {attack}");
            assert!(attack.contains("https://forum.example/t/1"));
            assert!(attack.contains('3'));
            let organic = answer(CampaignKind::Organic, 3, &threads, lang);
            assert_ne!(attack, organic);
            assert!(organic.contains("https://forum.example/t/1"));
        }
        assert_eq!(
            answer(CampaignKind::SpamRepeat, 1, &threads, Lang::Other),
            answer(CampaignKind::SpamRepeat, 1, &threads, Lang::En)
        );
    }
}
