//! Digest and alert mails as plain text and HTML (inline CSS, no scripts,
//! nothing loaded from outside), in the digest's language.
//!
//! Sections are built once as `markup::Block`s and written out twice, so
//! the two parts of a multipart/alternative mail never disagree. Everything
//! crawled is untrusted: it is escaped by the markup writer, and a URL
//! becomes a link only when it is http(s). The words come from `i18n`, one
//! file per language.
//!
//! The playbook shows through: the reply window against every waiting
//! mention, the rule broken next to every moderation case, earlier wording
//! of edited mentions (keep every version), and a sources section that is
//! always there, because a silent source is not a calm one.

pub(crate) mod markup;

use super::content::{
    AlertContent, Change, DigestContent, Entry, Rendered, SourceNote, SourceProblem, SpikeNote,
    Totals, Wave,
};
use super::i18n::{self, fill, Words};
use crate::model::{CampaignKind, Flag, Labels, Lang, Urgency};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use markup::{Bar, Block, Span, WebUrl};

/// Characters of a mention's text shown in a mail; the link has the rest.
const SNIPPET_CHARS: usize = 400;
/// Characters of a title, a wave summary's line or an error message.
const LINE_CHARS: usize = 200;
/// Parts of a subject line before it gets too long to read.
const SUBJECT_PARTS: usize = 4;
/// Moderation flags: the community rules a mention can break.
const RULE_FLAGS: [Flag; 5] = [
    Flag::Obscene,
    Flag::Insult,
    Flag::Spam,
    Flag::Ad,
    Flag::Troll,
];

/// Subject, text and HTML of a digest mail. An empty digest is a short
/// "nothing new" mail that still shows the header and the sources section.
pub fn digest(c: &DigestContent) -> Rendered {
    let cx = Cx::new(c.lang, c.timezone, c.reply_window);
    let w = cx.w;
    let mut doc = digest_header(c, &cx);
    if c.is_empty() {
        doc.push(para_text(w.nothing_new));
    } else {
        doc.extend(needs_reply_section(
            "needs-reply",
            w.needs_reply,
            &c.needs_reply,
            &cx,
        ));
        doc.extend(waves_section(&c.waves, &c.spikes, &cx));
        for (id, heading, entries) in [
            ("complaints", w.complaints, &c.complaints),
            ("questions", w.questions, &c.questions),
            ("incidents", w.incidents, &c.incidents),
            ("praise", w.praise, &c.praise),
        ] {
            doc.extend(entries_section(id, heading, None, entries, &cx));
        }
        let note = Some(w.moderation_note);
        doc.extend(entries_section(
            "moderation",
            w.moderation,
            note,
            &c.moderation,
            &cx,
        ));
    }
    doc.extend(sources_section(&c.sources, &cx));
    finish(digest_subject(c, &cx), &doc, w)
}

/// Subject, text and HTML of an alert mail: urgent mentions, new campaigns
/// and new spikes, the most urgent first in the subject.
pub fn alert(c: &AlertContent) -> Rendered {
    let cx = Cx::new(c.lang, c.timezone, c.reply_window);
    let w = cx.w;
    let as_of = fill(w.alert_as_of, &[("t", &cx.time(c.at))]);
    let mut doc = vec![
        Block::Title(w.alert_title.to_string()),
        para_text(&format!("{as_of} ({})", c.timezone.name())),
    ];
    if !c.urgent.is_empty() {
        doc.extend(needs_reply_section("urgent", w.urgent, &c.urgent, &cx));
    }
    if !c.waves.is_empty() {
        doc.push(heading("waves", w.new_waves));
        doc.extend(c.waves.iter().map(|wave| wave_card(wave, &cx)));
    }
    if !c.spikes.is_empty() {
        doc.push(heading("spikes", w.new_spikes));
        doc.extend(c.spikes.iter().map(|spike| spike_card(spike, &cx)));
    }
    let parts = urgent_parts(&c.urgent, &c.waves, c.spikes.len(), &cx);
    let subject = if parts.is_empty() {
        format!("[Hearsay] {}", w.s_alert)
    } else {
        format!("[Hearsay] {}: {}", w.s_alert, parts.join(w.list_sep))
    };
    finish(subject, &doc, w)
}

fn finish(subject: String, doc: &[Block], w: &Words) -> Rendered {
    // A subject is one header line: no line breaks, whatever a name contains.
    let subject = one_line(&markup::clean(&subject));
    Rendered {
        text: markup::to_text(doc),
        html: markup::to_html(doc, w.html_lang, &subject),
        subject,
    }
}

/// What every part of one mail needs: its words, zone and reply window.
struct Cx {
    w: &'static Words,
    tz: Tz,
    /// The playbook's reply window in whole minutes.
    window_min: i64,
}

impl Cx {
    fn new(lang: Lang, tz: Tz, window: std::time::Duration) -> Cx {
        let window_min = i64::try_from(window.as_secs().div_ceil(60)).unwrap_or(i64::MAX);
        Cx {
            w: i18n::words(lang),
            tz,
            window_min,
        }
    }

    fn time(&self, t: DateTime<Utc>) -> String {
        self.w.datetime(t, self.tz)
    }

    /// Past the reply window: flagged by the collector or by its wait.
    fn is_overdue(&self, e: &Entry) -> bool {
        e.urgency == Urgency::Overdue
            || e.waited.is_some_and(|w| w.num_minutes() >= self.window_min)
    }

    /// "waiting 1 h 25 min — overdue by 25 min" or "waiting 12 min, 48 min left".
    fn waiting(&self, waited: chrono::Duration) -> String {
        let w = self.w;
        let mins = waited.num_minutes().max(0);
        let waited_text = w.duration(mins);
        if mins >= self.window_min {
            let over = w.duration(mins - self.window_min);
            fill(w.waiting_overdue, &[("w", &waited_text), ("o", &over)])
        } else {
            let left = w.duration(self.window_min - mins);
            fill(w.waiting_left, &[("w", &waited_text), ("l", &left)])
        }
    }
}

// ------------------------------------------------------------------ header

fn digest_header(c: &DigestContent, cx: &Cx) -> Vec<Block> {
    let w = cx.w;
    let period = match c.since {
        Some(since) => format!("{} – {}", cx.time(since), cx.time(c.until)),
        None => fill(w.first_period, &[("t", &cx.time(c.until))]),
    };
    let prev = c.previous.as_ref();
    let mentions = with_change(c.totals.mentions, prev.map(|p| p.mentions));
    let mut negative = w.percent(c.totals.negative_share());
    if let Some(p) = prev {
        let was = fill(w.was, &[("x", &w.percent(p.negative_share()))]);
        negative.push_str(&format!(" ({was})"));
    }
    let mut doc = vec![
        Block::Title(fill(w.digest_title, &[("name", &c.name)])),
        labelled(w.brands, &c.brands.join(w.list_sep)),
        labelled(w.period, &format!("{period} ({})", c.timezone.name())),
        labelled(w.mentions, &mentions),
        labelled(w.negative, &negative),
    ];
    if !c.totals.by_lang.is_empty() {
        doc.push(Block::Para(vec![Span::Strong(format!("{}:", w.by_lang))]));
        doc.push(Block::Bars(lang_bars(&c.totals, prev, w)));
    }
    doc
}

/// "12 (+5)", "3 (-2)", "4 (±0)"; just the count without a previous period.
fn with_change(now: usize, before: Option<usize>) -> String {
    match before {
        None => now.to_string(),
        Some(b) if now > b => format!("{now} (+{})", now - b),
        Some(b) if now < b => format!("{now} (-{})", b - now),
        Some(_) => format!("{now} (±0)"),
    }
}

fn lang_bars(totals: &Totals, prev: Option<&Totals>, w: &Words) -> Vec<Bar> {
    totals
        .by_lang
        .iter()
        .map(|(lang, n)| {
            let before = prev.map(|p| p.by_lang.get(lang).copied().unwrap_or(0));
            let change = with_change(*n, before);
            // The note is what follows the count: " (+3)" or nothing.
            let note = change
                .strip_prefix(&n.to_string())
                .unwrap_or("")
                .to_string();
            Bar {
                label: w.lang_name(*lang).to_string(),
                value: *n,
                note,
            }
        })
        .collect()
}

// ------------------------------------------------------------------ sections

/// Always shown, also when empty: an empty section proves the check ran.
fn needs_reply_section(id: &'static str, title: &str, entries: &[Entry], cx: &Cx) -> Vec<Block> {
    let w = cx.w;
    let rule = fill(w.reply_rule, &[("w", &w.duration(cx.window_min))]);
    let mut doc = vec![heading(id, title), Block::Para(vec![Span::Small(rule)])];
    if entries.is_empty() {
        doc.push(para_text(w.nothing_waiting));
    }
    doc.extend(entries.iter().map(|e| entry_card(e, cx)));
    doc
}

/// Always shown: "no waves" is news too.
fn waves_section(waves: &[Wave], spikes: &[SpikeNote], cx: &Cx) -> Vec<Block> {
    let mut doc = vec![heading("waves", cx.w.waves)];
    if waves.is_empty() && spikes.is_empty() {
        doc.push(para_text(cx.w.no_waves));
    }
    doc.extend(waves.iter().map(|wave| wave_card(wave, cx)));
    doc.extend(spikes.iter().map(|spike| spike_card(spike, cx)));
    doc
}

/// A list of mentions; omitted when empty, to keep the mail short.
fn entries_section(
    id: &'static str,
    title: &str,
    note: Option<&str>,
    entries: &[Entry],
    cx: &Cx,
) -> Vec<Block> {
    if entries.is_empty() {
        return Vec::new();
    }
    let mut doc = vec![heading(id, title)];
    if let Some(note) = note {
        doc.push(Block::Para(vec![Span::Small(note.to_string())]));
    }
    doc.extend(entries.iter().map(|e| entry_card(e, cx)));
    doc
}

/// Always shown, and its heading says why: silence is not calm.
fn sources_section(sources: &[SourceNote], cx: &Cx) -> Vec<Block> {
    let mut doc = vec![heading("sources", cx.w.sources)];
    if sources.is_empty() {
        doc.push(para_text(cx.w.sources_ok));
    }
    doc.extend(sources.iter().map(|s| source_card(s, cx)));
    doc
}

// ------------------------------------------------------------------ cards

/// One mention: what was said, where, by whom, what the classifier and the
/// people made of it, and the draft reply.
fn entry_card(e: &Entry, cx: &Cx) -> Block {
    let w = cx.w;
    let m = &e.mention;
    let overdue = cx.is_overdue(e);
    let mut head = Vec::new();
    if overdue {
        head.push(mark(w.overdue_badge, true));
        head.push(Span::Text(" ".into()));
    }
    let title = if m.title.trim().is_empty() {
        &m.text
    } else {
        &m.title
    };
    head.push(Span::Text(truncate(&one_line(title), LINE_CHARS)));
    let author = m.author.as_deref().map(one_line).filter(|a| !a.is_empty());
    let meta = [
        one_line(&m.source),
        author.unwrap_or_else(|| "—".into()),
        cx.time(m.effective_time()),
    ]
    .join(" · ");
    let mut body = vec![Block::Sub(head), para_text(&meta)];
    if let Some(waited) = e.waited {
        let text = cx.waiting(waited);
        body.push(Block::Para(vec![if overdue {
            Span::Strong(text)
        } else {
            Span::Text(text)
        }]));
    }
    body.extend(change_blocks(&e.change, w));
    body.push(quote(&m.text));
    body.push(Block::Para(link(&m.url, w)));
    body.extend(label_blocks(m.labels.as_ref(), w));
    body.push(status_block(e, cx));
    body.extend(suggestion_blocks(e, w));
    Block::Card {
        alarm: overdue,
        body,
    }
}

/// Edited: the mark and the wording as mailed before. Deleted: the mark; the
/// card keeps the last text (the playbook: keep every version).
fn change_blocks(change: &Change, w: &Words) -> Vec<Block> {
    match change {
        Change::New => Vec::new(),
        Change::Deleted => vec![Block::Para(vec![mark(w.deleted, false)])],
        Change::Edited {
            earlier_title,
            earlier_text,
        } => {
            let mut doc = vec![Block::Para(vec![mark(w.edited, false)])];
            let mut before = vec![Span::Strong(format!("{} ", w.before))];
            if !earlier_title.trim().is_empty() {
                before.push(Span::Struck(truncate(&one_line(earlier_title), LINE_CHARS)));
            }
            doc.push(Block::Para(before));
            if !earlier_text.trim().is_empty() {
                doc.push(Block::Quote {
                    text: truncate(&tidy(earlier_text), SNIPPET_CHARS),
                    struck: true,
                });
            }
            doc
        }
    }
}

/// Intent and tone with their reasons, other flags, and in its own line the
/// community rules broken, so a removal always names its rule.
fn label_blocks(labels: Option<&Labels>, w: &Words) -> Vec<Block> {
    let Some(l) = labels else {
        return vec![Block::Para(vec![Span::Small(w.unlabelled.to_string())])];
    };
    let reason = |key: &str| l.reasons.get(key).map(|r| one_line(r));
    let with_reason = |name: &str, key: &str| match reason(key) {
        Some(r) if !r.is_empty() => format!("{name} ({r})"),
        _ => name.to_string(),
    };
    let mut parts = vec![
        format!(
            "{}: {}",
            w.intent,
            with_reason(w.intent_name(l.intent), "intent")
        ),
        format!(
            "{}: {}",
            w.sentiment,
            with_reason(w.sentiment_name(l.sentiment), "sentiment")
        ),
    ];
    let other: Vec<String> = l
        .flags
        .iter()
        .filter(|f| !RULE_FLAGS.contains(f))
        .map(|f| with_reason(w.flag_name(*f), f.as_str()))
        .collect();
    if !other.is_empty() {
        parts.push(format!("{}: {}", w.flags, other.join(w.list_sep)));
    }
    let mut doc = vec![Block::Para(vec![Span::Small(parts.join(" · "))])];
    let broken: Vec<String> = RULE_FLAGS
        .iter()
        .filter(|f| l.has(**f))
        .map(|f| match reason(f.as_str()) {
            Some(r) if !r.is_empty() => format!("{} — {r}", w.flag_name(*f)),
            _ => w.flag_name(*f).to_string(),
        })
        .collect();
    if !broken.is_empty() {
        doc.push(Block::Para(vec![
            Span::Strong(format!("{}: ", w.rule_broken)),
            Span::Text(broken.join("; ")),
        ]));
    }
    doc
}

/// "Status: answered (anna, 24 Nov 2026 09:10) — note".
fn status_block(e: &Entry, cx: &Cx) -> Block {
    let a = &e.mention.answer;
    let mut text = cx.w.status_name(a.status).to_string();
    let who_when: Vec<String> = [
        a.status_by.as_deref().map(one_line),
        a.status_at.map(|t| cx.time(t)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !who_when.is_empty() {
        text.push_str(&format!(" ({})", who_when.join(", ")));
    }
    if let Some(note) = a.status_note.as_deref().filter(|n| !n.trim().is_empty()) {
        text.push_str(&format!(" — {}", truncate(&one_line(note), LINE_CHARS)));
    }
    Block::Para(vec![
        Span::Strong(format!("{}: ", cx.w.status)),
        Span::Text(text),
    ])
}

/// The draft, or, when the brand's config lacks a slot, the note saying
/// what to fill in (shown as a to-do, never as a reply to post).
fn suggestion_blocks(e: &Entry, w: &Words) -> Vec<Block> {
    let Some(s) = &e.suggestion else {
        return Vec::new();
    };
    let rule = Block::Para(vec![Span::Small(s.rule.clone())]);
    if s.missing_slots.is_empty() {
        return vec![
            Block::Para(vec![Span::Strong(format!("{}:", w.suggested))]),
            Block::Quote {
                text: tidy(&s.text),
                struck: false,
            },
            rule,
        ];
    }
    let missing = fill(w.missing, &[("slots", &s.missing_slots.join(", "))]);
    vec![
        Block::Para(vec![
            mark(w.fill_config, false),
            Span::Text(format!(" {}", s.text.trim())),
        ]),
        Block::Para(vec![Span::Small(missing)]),
        rule,
    ]
}

/// A campaign: what kind, how big, where, what it says, and what to do.
fn wave_card(wave: &Wave, cx: &Cx) -> Block {
    let w = cx.w;
    let mut head = Vec::new();
    if wave.new {
        head.push(mark(w.new_badge, false));
        head.push(Span::Text(" ".into()));
    }
    head.push(Span::Text(format!(
        "{} · {} {:.2} · ",
        w.kind_name(wave.kind),
        w.score,
        wave.score
    )));
    head.push(Span::Small(one_line(&wave.id)));
    let mut size = [
        w.count(&w.n_mentions, wave.size),
        w.count(&w.n_voices, wave.voices),
        w.count(&w.n_sites, wave.sites.len()),
    ]
    .join(" · ");
    if !wave.sites.is_empty() {
        size.push_str(&format!(": {}", short_list(&wave.sites, 8, w)));
    }
    let seen = fill(
        w.first_last,
        &[
            ("a", &cx.time(wave.first_seen)),
            ("b", &cx.time(wave.last_seen)),
        ],
    );
    let mut body = vec![
        Block::Sub(head),
        para_text(&size),
        labelled(
            w.status,
            &format!("{} · {seen}", w.wave_status_name(&wave.status)),
        ),
        quote(&wave.summary),
    ];
    if !wave.phrases.is_empty() {
        let phrases: Vec<String> = wave.phrases.iter().map(|p| one_line(p)).collect();
        body.push(labelled(w.phrases, &phrases.join(" · ")));
    }
    if !wave.signals.is_empty() {
        let signals: Vec<String> = wave
            .signals
            .iter()
            .take(3)
            .map(|(name, value, weight)| {
                format!(
                    "{} {value:.2} × {weight:.2}",
                    one_line(cx.w.signal_name(name))
                )
            })
            .collect();
        body.push(labelled(w.signals, &signals.join("; ")));
    }
    if !wave.suggestion.trim().is_empty() {
        body.push(labelled(w.what_to_do, &tidy(&wave.suggestion)));
    }
    Block::Card {
        alarm: wave.kind == CampaignKind::Coordinated,
        body,
    }
}

/// A spike: the brand, when, how far above usual, and its likely causes.
fn spike_card(s: &SpikeNote, cx: &Cx) -> Block {
    let w = cx.w;
    let title = fill(w.spike, &[("brand", &one_line(&s.brand))]);
    let count = w.count(&w.n_mentions, s.count);
    let counts = fill(
        w.count_vs,
        &[("n", &count), ("b", &format!("{:.1}", s.baseline))],
    );
    let tone = fill(
        w.negative_vs,
        &[
            ("x", &w.percent(s.negative_share)),
            ("y", &w.percent(s.baseline_negative_share)),
        ],
    );
    let mut body = vec![
        Block::Sub(vec![Span::Text(format!(
            "{title} · {}",
            w.span_name(&s.span)
        ))]),
        para_text(&format!("{} – {}", cx.time(s.start), cx.time(s.end))),
        para_text(&format!("{counts} · {tone}")),
    ];
    let causes: Vec<String> = [
        (w.cause_words, &s.top_terms),
        (w.cause_sources, &s.top_sources),
        (w.cause_authors, &s.top_authors),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
    .map(|(name, list)| format!("{name}: {}", short_list(list, 8, w)))
    .collect();
    if !causes.is_empty() {
        body.push(labelled(w.causes, &causes.join("; ")));
    }
    if let Some(id) = &s.campaign {
        body.push(labelled(w.campaign, &one_line(id)));
    }
    Block::Card { alarm: false, body }
}

/// A failing or silent source, with its address to check.
fn source_card(s: &SourceNote, cx: &Cx) -> Block {
    let w = cx.w;
    let problem = match &s.problem {
        SourceProblem::Failing { error, at, count } => {
            let when = match at {
                Some(t) => fill(w.failing, &[("t", &cx.time(*t))]),
                None => w.failing_no_time.to_string(),
            };
            let times = w.count(&w.in_a_row, *count as usize);
            vec![
                Span::Strong(format!("{when}, {times}: ")),
                Span::Text(truncate(&one_line(error), LINE_CHARS)),
            ]
        }
        SourceProblem::Silent {
            last_success: Some(t),
        } => vec![Span::Strong(fill(w.silent_since, &[("t", &cx.time(*t))]))],
        SourceProblem::Silent { last_success: None } => {
            vec![Span::Strong(w.never_ok.to_string())]
        }
    };
    Block::Card {
        alarm: true,
        body: vec![
            Block::Sub(vec![Span::Text(one_line(&s.name))]),
            Block::Para(link(&s.url, w)),
            Block::Para(problem),
        ],
    }
}

// ------------------------------------------------------------------ subjects

/// "[Hearsay] daily-ru: 1 reply overdue, 1 coordinated attack — 24 Nov 2026".
fn digest_subject(c: &DigestContent, cx: &Cx) -> String {
    let w = cx.w;
    let mut parts = urgent_parts(&c.needs_reply, &c.waves, c.spikes.len(), cx);
    if !c.sources.is_empty() {
        parts.push(w.count(&w.s_sources, c.sources.len()));
    }
    if parts.is_empty() {
        parts.push(if c.totals.mentions > 0 {
            w.count(&w.n_mentions, c.totals.mentions)
        } else {
            w.s_nothing.to_string()
        });
    }
    parts.truncate(SUBJECT_PARTS);
    format!(
        "[Hearsay] {}: {} — {}",
        c.name,
        parts.join(w.list_sep),
        w.date(c.until, cx.tz)
    )
}

/// Subject parts, most urgent first: overdue replies, attacks, replies due
/// now, other waves, spikes. Zero counts are left out.
fn urgent_parts(entries: &[Entry], waves: &[Wave], spikes: usize, cx: &Cx) -> Vec<String> {
    let w = cx.w;
    let overdue = entries.iter().filter(|e| cx.is_overdue(e)).count();
    let now = entries.len() - overdue;
    let kinds = |kind| waves.iter().filter(|wave| wave.kind == kind).count();
    let (attacks, organic, repeats) = (
        kinds(CampaignKind::Coordinated),
        kinds(CampaignKind::Organic),
        kinds(CampaignKind::SpamRepeat),
    );
    let counted = [
        (overdue, w.count(&w.s_overdue, overdue)),
        (attacks, w.kind_count(CampaignKind::Coordinated, attacks)),
        (now, w.count(&w.s_needs, now)),
        (organic, w.kind_count(CampaignKind::Organic, organic)),
        (repeats, w.kind_count(CampaignKind::SpamRepeat, repeats)),
        (spikes, w.count(&w.s_spikes, spikes)),
    ];
    counted
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, text)| text)
        .collect()
}

// ------------------------------------------------------------------ helpers

fn heading(id: &'static str, text: &str) -> Block {
    Block::Heading {
        id,
        text: text.to_string(),
    }
}

fn para_text(text: &str) -> Block {
    Block::Para(vec![Span::Text(text.to_string())])
}

/// "Label: value", the label in bold.
fn labelled(label: &str, value: &str) -> Block {
    Block::Para(vec![
        Span::Strong(format!("{label}: ")),
        Span::Text(value.to_string()),
    ])
}

fn mark(text: &str, alarm: bool) -> Span {
    Span::Mark {
        text: text.to_string(),
        alarm,
    }
}

/// Crawled text as a quote, tidied and cut to the snippet length.
fn quote(text: &str) -> Block {
    Block::Quote {
        text: truncate(&tidy(text), SNIPPET_CHARS),
        struck: false,
    }
}

/// A link when the URL is http(s); otherwise the address as inert text.
fn link(raw: &str, w: &Words) -> Vec<Span> {
    match WebUrl::parse(raw) {
        Some(url) => vec![Span::Link(url)],
        None => vec![
            Span::Text(truncate(&one_line(raw), LINE_CHARS)),
            Span::Small(format!(" {}", w.not_a_link)),
        ],
    }
}

/// Up to `max` items, then "+N".
fn short_list(items: &[String], max: usize, w: &Words) -> String {
    let mut shown: Vec<String> = items.iter().take(max).map(|s| one_line(s)).collect();
    if items.len() > max {
        shown.push(format!("+{}", items.len() - max));
    }
    shown.join(w.list_sep)
}

/// Whitespace runs (line breaks too) as single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lines trimmed, runs of blank lines as one: page text keeps its paragraphs
/// without the layout's empty space.
fn tidy(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().map(one_line) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// At most `max` characters, cut on a char boundary, with "…" when cut.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
    }
}

#[cfg(test)]
mod tests;
