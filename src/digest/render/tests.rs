//! Tests of the digest and alert renderings.
use super::*;
use crate::model::{Answer, Intent, Mention, MentionId, Sentiment, Status};
use crate::respond::Suggestion;
use chrono::{Duration, TimeZone};
use std::collections::BTreeMap;

const XSS_TITLE: &str = "<script>alert(1)</script>";
const XSS_TEXT: &str = "<img src=x onerror=alert(1)> and \"quotes\" & 'apostrophes'";
const XSS_URL: &str = "javascript:alert(1)";

/// 24.11.2026 at `h:m` UTC (Moscow is three hours ahead).
fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).unwrap()
}

fn mention(id: &str, title: &str, intent: Intent, flags: &[Flag]) -> Mention {
    let mut reasons = BTreeMap::new();
    reasons.insert("intent".to_string(), format!("{} cue", intent.as_str()));
    for f in flags {
        reasons.insert(f.as_str().to_string(), format!("{} cue", f.as_str()));
    }
    Mention {
        id: MentionId::from_raw(id),
        url: format!("https://forum.example/t/{id}"),
        source: "forum".into(),
        site: "forum.example".into(),
        brands: vec!["Nordlys".into()],
        lang: Lang::Ru,
        title: title.into(),
        author: Some("anna".into()),
        published: Some(at(3, 0)),
        first_seen: at(3, 5),
        fetched: at(3, 5),
        text: format!("text of {title}"),
        matches: Vec::new(),
        versions: 1,
        deleted: false,
        backlog: false,
        labels: Some(Labels {
            sentiment: Sentiment::Negative,
            sentiment_score: -0.6,
            intent,
            flags: flags.iter().copied().collect(),
            reasons,
        }),
        answer: Answer::default(),
        overrides: Default::default(),
        muted: false,
    }
}

fn entry(m: Mention) -> Entry {
    Entry {
        mention: m,
        change: Change::New,
        urgency: Urgency::None,
        waited: None,
        suggestion: None,
    }
}

fn waiting(title: &str, minutes: i64, urgency: Urgency) -> Entry {
    Entry {
        urgency,
        waited: Some(Duration::minutes(minutes)),
        suggestion: Some(Suggestion {
            text: "We are looking into it.".into(),
            rule: "complaint: acknowledge [PLAYBOOK: Speed]".into(),
            missing_slots: Vec::new(),
        }),
        ..entry(mention(title, title, Intent::Complaint, &[]))
    }
}

fn wave() -> Wave {
    Wave {
        id: "camp-1".into(),
        kind: CampaignKind::Coordinated,
        status: "active".into(),
        score: 0.82,
        size: 5,
        voices: 2,
        sites: vec!["a.example".into()],
        first_seen: at(1, 0),
        last_seen: at(4, 0),
        summary: "Nordlys steals your data".into(),
        phrases: vec!["steals your data".into()],
        signals: vec![("fresh_voices".into(), 0.9, 0.3)],
        suggestion: "Post a calm rebuttal where the claim spreads.".into(),
        new: true,
    }
}

fn spike() -> SpikeNote {
    SpikeNote {
        brand: "Nordlys".into(),
        span: "hour".into(),
        start: at(2, 0),
        end: at(3, 0),
        count: 34,
        baseline: 5.2,
        negative_share: 0.6,
        baseline_negative_share: 0.2,
        top_terms: vec!["data".into()],
        top_sources: vec!["forum".into()],
        top_authors: Vec::new(),
        campaign: Some("camp-1".into()),
    }
}

fn empty(lang: Lang) -> DigestContent {
    DigestContent {
        name: "daily".into(),
        lang,
        brands: vec!["Nordlys".into()],
        timezone: "Europe/Moscow".parse().unwrap(),
        since: Some(at(5, 0) - Duration::hours(24)),
        until: at(5, 0),
        reply_window: std::time::Duration::from_secs(3600),
        totals: Totals::default(),
        previous: None,
        needs_reply: Vec::new(),
        waves: Vec::new(),
        spikes: Vec::new(),
        complaints: Vec::new(),
        questions: Vec::new(),
        incidents: Vec::new(),
        praise: Vec::new(),
        moderation: Vec::new(),
        sources: Vec::new(),
    }
}

/// Something in every section.
fn full(lang: Lang) -> DigestContent {
    let totals = |mentions, negative, ru, en| Totals {
        mentions,
        negative,
        by_lang: BTreeMap::from([(Lang::Ru, ru), (Lang::En, en)]),
    };
    DigestContent {
        totals: totals(12, 4, 8, 4),
        previous: Some(totals(10, 2, 5, 5)),
        needs_reply: vec![
            waiting("Late complaint", 85, Urgency::Overdue),
            waiting("Fresh complaint", 12, Urgency::Now),
        ],
        waves: vec![wave()],
        spikes: vec![spike()],
        complaints: vec![entry(mention(
            "c",
            "Answered complaint",
            Intent::Complaint,
            &[],
        ))],
        questions: vec![entry(mention("q", "A question", Intent::Question, &[]))],
        incidents: vec![entry(mention("i", "Outage", Intent::Incident, &[]))],
        praise: vec![entry(mention("p", "Love it", Intent::Praise, &[]))],
        moderation: vec![entry(mention("m", "Rude", Intent::Other, &[Flag::Insult]))],
        sources: vec![
            SourceNote {
                name: "Blog".into(),
                url: "https://blog.example/feed".into(),
                problem: SourceProblem::Failing {
                    error: "timeout".into(),
                    at: Some(at(4, 0)),
                    count: 3,
                },
            },
            SourceNote {
                name: "Shop reviews".into(),
                url: "https://shop.example/reviews".into(),
                problem: SourceProblem::Silent { last_success: None },
            },
        ],
        ..empty(lang)
    }
}

/// Positions of `needles` in `haystack`, panicking on a missing one.
fn positions(haystack: &str, needles: &[String]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            haystack
                .find(n.as_str())
                .unwrap_or_else(|| panic!("no {n:?}"))
        })
        .collect()
}

fn assert_increasing(pos: &[usize]) {
    assert!(pos.windows(2).all(|p| p[0] < p[1]), "out of order: {pos:?}");
}

const IDS: [&str; 8] = [
    "needs-reply",
    "waves",
    "complaints",
    "questions",
    "incidents",
    "praise",
    "moderation",
    "sources",
];

#[test]
fn sections_come_in_order_in_both_parts() {
    let r = digest(&full(Lang::En));
    let ids: Vec<String> = IDS.iter().map(|id| format!("<h2 id=\"{id}\"")).collect();
    assert_increasing(&positions(&r.html, &ids));
    let headings: Vec<String> = [
        "Needs a reply now",
        "Waves and spikes",
        "Complaints",
        "Questions",
        "Incidents",
        "Praise to thank",
        "Moderation: rules broken",
        "Sources: silence is not calm",
    ]
    .iter()
    .map(|h| format!("\n## {h}\n"))
    .collect();
    assert_increasing(&positions(&r.text, &headings));
}

#[test]
fn overdue_mention_comes_first_and_is_marked() {
    let r = digest(&full(Lang::En));
    for part in [&r.text, &r.html] {
        let order = ["Late complaint", "Fresh complaint"].map(String::from);
        assert_increasing(&positions(part, &order));
        assert!(
            part.contains("waiting 1 h 25 min — overdue by 25 min"),
            "{part}"
        );
        assert!(part.contains("waiting 12 min, 48 min left"));
        // The mark belongs to the late one only.
        let mark = positions(part, &["OVERDUE".into()])[0];
        assert!(mark < part.find("Late complaint").unwrap());
        assert_eq!(part.matches("OVERDUE").count(), 1);
    }
    assert!(r.text.contains("! [OVERDUE] Late complaint"));
    assert!(r.html.contains("border-left:4px solid #dc2626"));
    assert_eq!(
        r.subject,
        "[Hearsay] daily: 1 reply overdue, 1 coordinated attack, 1 needs a reply now, 1 spike — 24 Nov 2026"
    );
}

#[test]
fn edited_entry_shows_the_earlier_wording_and_deleted_is_marked() {
    let mut c = empty(Lang::En);
    let mut edited = entry(mention("e", "New title", Intent::Complaint, &[]));
    edited.change = Change::Edited {
        earlier_title: "Old title".into(),
        earlier_text: "Old angry text".into(),
    };
    let mut deleted = entry(mention("d", "Gone post", Intent::Complaint, &[]));
    deleted.change = Change::Deleted;
    c.complaints = vec![edited, deleted];
    let r = digest(&c);
    assert!(
        r.text.contains("[edited since the last digest]"),
        "{}",
        r.text
    );
    assert!(r.text.contains("Before: Old title"));
    assert!(r.text.contains("> Old angry text"));
    assert!(r
        .text
        .contains("[deleted from the page since the last digest]"));
    assert!(r.html.contains(">Old title</s>"));
    assert!(r
        .html
        .contains("text-decoration:line-through;color:#71717a;"));
    assert!(r
        .html
        .contains("deleted from the page since the last digest"));
}

#[test]
fn crawled_markup_and_javascript_links_are_inert() {
    let mut m = mention("x", XSS_TITLE, Intent::Complaint, &[Flag::Spam]);
    m.text = XSS_TEXT.into();
    m.author = Some("\"><script>alert(2)</script>".into());
    m.url = XSS_URL.into();
    m.source = "<b onmouseover=alert(3)>src</b>".into();
    m.labels
        .as_mut()
        .unwrap()
        .reasons
        .insert("spam".into(), XSS_TITLE.into());
    let mut e = waiting("y", 5, Urgency::Now);
    e.mention = m;
    e.suggestion.as_mut().unwrap().text = XSS_TEXT.into();
    let mut bad_wave = wave();
    bad_wave.summary = XSS_TITLE.into();
    bad_wave.phrases = vec![XSS_TEXT.into()];
    let mut c = full(Lang::En);
    c.needs_reply = vec![e];
    c.waves = vec![bad_wave];
    c.sources[0].url = XSS_URL.into();
    c.sources[0].problem = SourceProblem::Failing {
        error: XSS_TEXT.into(),
        at: None,
        count: 1,
    };
    let html = digest(&c).html;
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(!html.contains("href=\"javascript:"));
    for tag in html.split('<').skip(1) {
        let inside = &tag[..tag.find('>').unwrap_or(tag.len())];
        for attack in ["onerror", "onmouseover", "javascript:"] {
            assert!(!inside.contains(attack), "{attack} in <{inside}>");
        }
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&quot;quotes&quot; &amp; &#39;apostrophes&#39;"));
    assert!(html.contains("javascript:alert(1)<span"), "shown as text");
    assert!(html.contains("(not a web link)"));
    // The plain text shows it as written: it is not interpreted there.
    let text = digest(&c).text;
    assert!(text.contains(XSS_TITLE));
}

#[test]
fn each_language_has_its_own_words() {
    let cases = [
        (
            Lang::Ru,
            "Ждут ответа сейчас",
            "Источники: тишина",
            "жалоба",
            "24.11.2026 08:00",
        ),
        (
            Lang::Zh,
            "需要立即回复",
            "没有消息不等于平安",
            "投诉",
            "2026年11月24日 08:00",
        ),
        (
            Lang::Da,
            "Skal besvares nu",
            "stilhed er ikke",
            "klage",
            "24.11.2026 08.00",
        ),
        (
            Lang::En,
            "Needs a reply now",
            "silence is not calm",
            "complaint",
            "24 Nov 2026 08:00",
        ),
        (
            Lang::Other,
            "Needs a reply now",
            "silence is not calm",
            "complaint",
            "24 Nov 2026",
        ),
    ];
    for (lang, heading, sources, label, date) in cases {
        let r = digest(&full(lang));
        for part in [&r.text, &r.html] {
            for needle in [heading, sources, label, date] {
                assert!(part.contains(needle), "{lang}: no {needle:?}");
            }
        }
        if !matches!(lang, Lang::En | Lang::Other) {
            assert!(
                !r.text.contains("Needs a reply now"),
                "{lang} speaks English"
            );
        }
    }
    let ru = digest(&full(Lang::Ru));
    assert!(
        ru.text.contains("5 упоминаний · 2 голоса · 1 сайт"),
        "{}",
        ru.text
    );
    assert!(ru.text.contains("1 ч 25 мин"));
    assert!(ru.text.contains("скоординированная атака"));
    assert!(
        ru.text.contains("новые авторы 0.90"),
        "signals in words: {}",
        ru.text
    );
    assert!(ru.subject.starts_with("[Hearsay] daily: 1 ответ просрочен"));
    assert!(ru.html.contains("<html lang=\"ru\">"));
    assert!(digest(&full(Lang::Zh)).text.contains("1小时25分钟"));
}

#[test]
fn empty_digest_is_the_short_form() {
    let r = digest(&empty(Lang::En));
    assert_eq!(r.subject, "[Hearsay] daily: nothing new — 24 Nov 2026");
    assert!(r.text.contains("Nothing new in this period."));
    assert!(r.text.contains("## Sources: silence is not calm"));
    assert!(r.text.contains("All sources healthy."));
    assert!(!r.text.contains("## Needs a reply now"));
    assert!(r.html.contains("id=\"sources\""));
    assert!(!r.html.contains("id=\"needs-reply\""));
    assert!(r.text.lines().count() < 15, "{}", r.text);
}

#[test]
fn quiet_sections_still_say_they_were_checked() {
    let mut c = empty(Lang::En);
    c.totals.mentions = 1;
    c.praise = vec![entry(mention("p", "Love it", Intent::Praise, &[]))];
    let r = digest(&c);
    for line in [
        "Nothing waiting for a reply.",
        "No waves or spikes.",
        "All sources healthy.",
    ] {
        assert!(r.text.contains(line) && r.html.contains(line), "{line}");
    }
    assert!(
        !r.html.contains("id=\"complaints\""),
        "empty lists are left out"
    );
}

#[test]
fn html_is_self_contained_and_fits_a_phone() {
    let html = digest(&full(Lang::En)).html;
    let lower = html.to_lowercase();
    for banned in [
        "<script", "<link", "<style", "@import", "url(", "<img", "src=",
    ] {
        assert!(!lower.contains(banned), "{banned}");
    }
    let widths = regex::Regex::new(r"width:\s*(\d+)px").unwrap();
    for cap in widths.captures_iter(&html) {
        assert!(cap[1].parse::<u32>().unwrap() <= 640, "{}", &cap[0]);
    }
    assert!(html.contains("max-width:640px;width:100%"));
    assert!(html.contains("word-break:break-word;overflow-wrap:anywhere;"));
    assert!(html.contains("name=\"viewport\""));
    assert!(!html.contains("<table"), "no wide tables");
}

#[test]
fn header_compares_with_the_previous_period() {
    let r = digest(&full(Lang::En));
    for part in [&r.text, &r.html] {
        assert!(part.contains("12 (+2)"), "{part}");
        assert!(part.contains("33% (was 20%)"));
        assert!(part.contains("23 Nov 2026 08:00 – 24 Nov 2026 08:00 (Europe/Moscow)"));
    }
    assert!(
        r.text.contains("Russian ████████████████████ 8 (+3)"),
        "{}",
        r.text
    );
    assert!(r.text.contains("English ██████████ 4 (-1)"));
    assert!(r.html.contains("width:100%;\">&nbsp;") && r.html.contains("width:50%;\">"));

    let mut first = full(Lang::En);
    first.since = None;
    first.previous = None;
    let r = digest(&first);
    assert!(r
        .text
        .contains("first digest — everything found up to 24 Nov 2026 08:00"));
    assert!(!r.text.contains("(was") && !r.text.contains("12 (+"));
}

#[test]
fn entries_show_labels_status_rules_and_drafts() {
    let mut c = full(Lang::En);
    let answered = &mut c.complaints[0].mention.answer;
    answered.status = Status::Answered;
    answered.status_by = Some("oleg".into());
    answered.status_at = Some(at(4, 30));
    c.questions[0].suggestion = Some(Suggestion {
        text: "No draft: set `contact` for Nordlys".into(),
        rule: "question: answer fully".into(),
        missing_slots: vec!["contact".into()],
    });
    let r = digest(&c);
    for part in [&r.text, &r.html] {
        assert!(part.contains("Intent: complaint (complaint cue) · Tone: negative"));
        assert!(part.contains("answered (oleg, 24 Nov 2026 07:30)"));
        assert!(
            part.contains("Rule broken: </strong>insult — insult cue")
                || part.contains("Rule broken: insult — insult cue")
        );
        assert!(part.contains("missing: contact"));
        assert!(part.contains("complaint: acknowledge [PLAYBOOK: Speed]"));
        assert!(part.contains("https://forum.example/t/c"));
        assert!(part.contains("forum · anna · 24 Nov 2026 06:00"));
    }
    assert!(r
        .text
        .contains("[Fill in the config] No draft: set `contact`"));
    assert!(r.html.contains("href=\"https://forum.example/t/c\""));
}

#[test]
fn waves_spikes_and_sources_are_described() {
    let r = digest(&full(Lang::En));
    for needle in [
        "coordinated attack · score 0.82 · camp-1",
        "5 mentions · 2 voices · 1 site: a.example",
        "active · first seen 24 Nov 2026 04:00, last 24 Nov 2026 07:00",
        "first-time voices 0.90 × 0.30",
        "Spike: Nordlys · hour",
        "34 mentions, usually 5.2 · negative 60%, usually 20%",
        "words: data; sources: forum",
        "failed 24 Nov 2026 07:00, 3 times in a row: timeout",
        "never crawled successfully",
    ] {
        assert!(r.text.contains(needle), "no {needle:?} in\n{}", r.text);
    }
}

#[test]
fn alert_puts_the_most_urgent_first() {
    let c = AlertContent {
        lang: Lang::En,
        timezone: "Europe/Moscow".parse().unwrap(),
        at: at(5, 0),
        reply_window: std::time::Duration::from_secs(3600),
        urgent: vec![
            waiting("Late complaint", 70, Urgency::Overdue),
            waiting("Fresh complaint", 5, Urgency::Now),
            waiting("Other", 9, Urgency::Now),
        ],
        waves: vec![wave()],
        spikes: vec![spike()],
    };
    let r = alert(&c);
    assert_eq!(
        r.subject,
        "[Hearsay] Alert: 1 reply overdue, 1 coordinated attack, 2 need a reply now, 1 spike"
    );
    let ids = ["urgent", "waves", "spikes"].map(|id| format!("<h2 id=\"{id}\""));
    assert_increasing(&positions(&r.html, &ids));
    assert!(r.text.contains("## Urgent: waiting for a reply"));
    assert!(r.text.contains("waiting 1 h 10 min — overdue by 10 min"));
}

#[test]
fn text_part_has_no_control_characters_and_snippets_are_cut() {
    let mut m = mention("z", "Bell\u{7}title\r\nnext", Intent::Complaint, &[]);
    m.text = "ж".repeat(1000);
    let mut c = empty(Lang::Ru);
    c.complaints = vec![entry(m)];
    let mut r = digest(&c);
    r.subject = String::new();
    assert!(
        !r.text.chars().any(|ch| ch.is_control() && ch != '\n'),
        "{:?}",
        r.text
    );
    assert!(r.text.contains("Belltitle next"));
    let snippet = r.text.lines().find(|l| l.contains("жжж")).unwrap();
    assert!(snippet.ends_with("ж…"));
    assert_eq!(snippet.matches('ж').count(), SNIPPET_CHARS);
    let mut named = empty(Lang::En);
    named.name = "daily\r\nBcc: someone@example.org".into();
    assert!(!digest(&named).subject.contains('\n'));
}
