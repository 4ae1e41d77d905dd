//! One text read against one lexicon: which cues fired and where, what
//! negation and a "but" do to them, and the labels that follow, each with
//! the words that made it.

use super::contacts;
use super::lexicon::{self, Lexicon};
use super::mask;
use super::model::{Features, Featurizer, IntentModel, CLASSES, DENSE};
use super::{Context, Flag, Intent, Labels, Sentiment, Text, Weights};
use std::collections::{BTreeMap, BTreeSet};

/// Where negation and contrast can reach in the padded text.
struct Layout {
    /// Byte offset of every space in the padded text (word `i` starts after space `i`).
    spaces: Vec<usize>,
    /// Word indices of sentence and clause break words.
    breaks: Vec<usize>,
}

impl Layout {
    fn new(padded: &str) -> Layout {
        let spaces: Vec<usize> = padded.match_indices(' ').map(|(i, _)| i).collect();
        let breaks = padded
            .split(' ')
            .enumerate()
            .filter(|(_, w)| lexicon::is_break(w))
            // split yields "" before the leading space: word i is piece i.
            .map(|(i, _)| i)
            .collect();
        Layout { spaces, breaks }
    }

    /// The word a byte offset falls in.
    fn word_at(&self, offset: usize) -> usize {
        self.spaces.partition_point(|&s| s < offset)
    }

    /// Whether a break word lies strictly between two words.
    fn broken(&self, from: usize, to: usize) -> bool {
        self.breaks.iter().any(|&b| from < b && b < to)
    }
}

/// How a text is written, counted in one pass over its characters.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Shape {
    /// Words (runs of letters or digits).
    words: usize,
    /// Runs of digits: amounts, dates, order numbers.
    numbers: usize,
    /// Words of three or more letters, all capitals: shouting.
    shouted: usize,
    /// "!" and "！".
    exclamations: usize,
    /// Spans in quotation marks: a phrase held up at arm's length.
    quotes: usize,
}

impl Shape {
    fn of(text: &str) -> Shape {
        let mut s = Shape::default();
        // The current run: its length in letters, and whether all are capitals.
        let (mut letters, mut upper, mut digits) = (0usize, true, false);
        let mut open_quote = false;
        let mut previous = ' ';
        let end_run = |s: &mut Shape, letters: usize, upper: bool, digits: bool| {
            if letters > 0 || digits {
                s.words += 1;
            }
            if digits {
                s.numbers += 1;
            }
            if letters >= 3 && upper {
                s.shouted += 1;
            }
        };
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if let Some(capital) = letter_case(c) {
                letters += 1;
                upper &= capital;
            } else if c.is_ascii_digit() {
                digits = true;
            } else if matches!(c, '\'' | '’')
                && letter_case(previous).is_some()
                && chars.peek().is_some_and(|&n| letter_case(n).is_some())
            {
                // it's, don't: an apostrophe inside a word
            } else {
                end_run(&mut s, letters, upper, digits);
                (letters, upper, digits) = (0, true, false);
                match c {
                    '!' | '！' => s.exclamations += 1,
                    // „so“ closes with the mark English opens with.
                    '»' | '”' | '“' | '」' | '』' | '’' if open_quote => {
                        s.quotes += 1;
                        open_quote = false;
                    }
                    '«' | '“' | '„' | '「' | '『' | '‘' => open_quote = true,
                    // Straight quotes open at a word's start and close at its end.
                    '"' | '\'' if open_quote => {
                        s.quotes += 1;
                        open_quote = false;
                    }
                    '"' | '\''
                        if !(letter_case(previous).is_some() || previous.is_ascii_digit()) =>
                    {
                        open_quote = true
                    }
                    _ => {}
                }
            }
            previous = c;
        }
        end_run(&mut s, letters, upper, digits);
        s
    }
}

/// Whether `c` is a letter, and if so whether a capital, with fast paths for
/// the scripts we read most (the general Unicode lookup is slow, and this
/// runs over every character of every mention).
fn letter_case(c: char) -> Option<bool> {
    match c {
        'a'..='z' => Some(false),
        'A'..='Z' => Some(true),
        '\0'..='\u{7F}' => None,
        '\u{0400}'..='\u{042F}' => Some(true),
        '\u{0430}'..='\u{045F}' => Some(false),
        '\u{4E00}'..='\u{9FFF}' => Some(false),
        _ if c.is_alphabetic() => Some(c.is_uppercase()),
        _ => None,
    }
}

/// A negator's reach: the next two words of its clause (spaced text), or the
/// next character of its clause (Chinese, where 不 sits right before 好).
fn negates(lex: &Lexicon, layout: &Layout, padded: &str, neg: (usize, usize), cue: usize) -> bool {
    let (start, end) = neg;
    if lex.unspaced {
        return end <= cue && cue - end <= 3 && !padded[end..cue].contains(' ');
    }
    let (n, w) = (layout.word_at(start), layout.word_at(cue));
    n < w && w - n <= 2 && !layout.broken(n, w)
}

/// One text read against one lexicon: the cues found, by list.
pub(super) struct Reading<'a> {
    w: &'a Weights,
    lex: &'a Lexicon,
    text: &'a str,
    /// The text as the automaton scanned it (see [`lexicon::padded_words`]).
    pub(super) padded: String,
    /// list name → patterns found (each once) and their weight: cues before
    /// a "but" weigh less than the clause after it.
    hits: BTreeMap<&'a str, Vec<(&'a str, f32)>>,
    positive: f32,
    negative: f32,
    /// The words unmasked, for obscenity and masked insults.
    words: Vec<mask::Word>,
    /// Swear words and insults found (masking undone), as the author wrote them.
    obscene: Vec<String>,
    insults: Vec<String>,
}

impl<'a> Reading<'a> {
    pub(super) fn new(lex: &'a Lexicon, w: &'a Weights, source: &'a Text<'_>) -> Reading<'a> {
        let text: &str = &source.raw;
        let mut padded = source.padded();
        if lex.unspaced {
            padded = mask::join_spaced_letters(&padded).into_owned();
        }
        let found = lex.find(&padded);
        let layout = Layout::new(&padded);
        let negators: Vec<(usize, usize)> = found
            .iter()
            .filter(|h| h.cue.list == "sentiment.negators")
            .map(|h| (h.start, h.end))
            .collect();
        // The last "but" that has something after it: what comes before weighs less.
        let pivot = found
            .iter()
            .filter(|h| h.cue.list == "sentiment.contrast" && h.end + 2 < padded.len())
            .map(|h| h.start)
            .max();
        let mut hits: BTreeMap<&str, Vec<(&str, f32)>> = BTreeMap::new();
        let (mut positive, mut negative) = (0.0, 0.0);
        for hit in &found {
            let weight = match pivot {
                Some(p) if hit.start < p => w.get("before_contrast"),
                _ => 1.0,
            };
            let list = hits.entry(hit.cue.list.as_str()).or_default();
            match list.iter_mut().find(|(p, _)| *p == hit.cue.pattern) {
                Some(seen) => seen.1 = seen.1.max(weight),
                None => list.push((hit.cue.pattern.as_str(), weight)),
            }
            let polarity = match hit.cue.list.as_str() {
                "sentiment.positive" => 1.0,
                "sentiment.negative" => -1.0,
                _ => continue,
            };
            let negated = negators
                .iter()
                .any(|&n| negates(lex, &layout, &padded, n, hit.start));
            match (polarity > 0.0) != negated {
                true => positive += weight,
                false => negative += weight,
            }
        }
        let words = if lex.obscene.is_empty() && lex.insult.is_empty() {
            Vec::new()
        } else if lex.unspaced {
            mask::unspaced_words(&mask::join_spaced_letters(text))
        } else {
            mask::words(text)
        };
        let mut reading = Reading {
            w,
            lex,
            text,
            padded,
            hits,
            positive,
            negative,
            words,
            obscene: Vec::new(),
            insults: Vec::new(),
        };
        reading.obscene = reading.obscene_words();
        reading.insults = reading.find_insults();
        reading
    }

    fn list(&self, name: &str) -> &[(&'a str, f32)] {
        self.hits.get(name).map_or(&[], Vec::as_slice)
    }

    fn has(&self, name: &str) -> bool {
        !self.list(name).is_empty()
    }

    /// Distinct cues of a list, each by its weight.
    fn count(&self, name: &str) -> f32 {
        self.list(name).iter().map(|(_, w)| w).sum()
    }

    fn quoted(&self, name: &str) -> String {
        self.list(name)
            .iter()
            .map(|(p, _)| format!("«{}»", p.trim_matches('*')))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(super) fn labels(&self, ctx: &Context, model: Option<&IntentModel>) -> Labels {
        let mut reasons = BTreeMap::new();
        let mut flags = BTreeSet::new();
        let ad = self.ad();
        let intent = match &ad {
            // An ad is no question or complaint of a customer, whatever it says.
            Some(why) => {
                reasons.insert("intent".into(), format!("other: an ad ({why})"));
                Intent::Other
            }
            None => self.intent(model, &mut reasons),
        };
        let (sentiment, score) = self.sentiment(intent, &mut reasons);

        let obscene = &self.obscene;
        if !obscene.is_empty() {
            flags.insert(Flag::Obscene);
            reasons.insert(
                "obscene".into(),
                format!("swear words (masking undone): {}", obscene.join(", ")),
            );
        }
        let insults = &self.insults;
        if !insults.is_empty() {
            flags.insert(Flag::Insult);
            reasons.insert(
                "insult".into(),
                format!(
                    "abuse aimed at a person or the company (masking undone): {}",
                    insults.join(", ")
                ),
            );
        }
        let constructive = self.has("flags.constructive");
        if constructive {
            flags.insert(Flag::Constructive);
            reasons.insert(
                "constructive".into(),
                format!(
                    "criticism or advice with a concrete suggestion: {}",
                    self.quoted("flags.constructive")
                ),
            );
        }
        if let Some(why) = &ad {
            flags.insert(Flag::Ad);
            flags.insert(Flag::Spam);
            reasons.insert("ad".into(), why.clone());
            reasons.insert("spam".into(), format!("unauthorised advertising ({why})"));
        }
        if let Some(rep) = &ctx.repeat {
            flags.insert(Flag::Spam);
            reasons.insert(
                "spam".into(),
                format!(
                    "the same text as the author's earlier post {} (posted before under {} other thread{}); the first is kept",
                    rep.first,
                    rep.earlier,
                    if rep.earlier == 1 { "" } else { "s" }
                ),
            );
        }
        let detail = self.has_detail();
        // The playbook's three "no"s: no concern, no reasoned claim, nothing
        // constructive; then bait, an insult, or the author's history.
        let reasoned = self.has("flags.claim");
        let troll_cues = self.count("flags.troll") * self.w.get("troll_cue");
        let provoking = troll_cues >= 1.0
            || (flags.contains(&Flag::Insult) && intent == Intent::Other)
            || (ctx.troll_history && sentiment == Sentiment::Negative);
        if provoking && !reasoned && !intent.is_concern() && !constructive && ad.is_none() {
            flags.insert(Flag::Troll);
            let mut why = String::from("no concern, no reasoned claim, nothing constructive");
            if troll_cues > 0.0 {
                why.push_str(&format!("; bait: {}", self.quoted("flags.troll")));
            }
            if !insults.is_empty() {
                why.push_str("; insults");
            }
            if ctx.troll_history {
                why.push_str("; the author trolled before");
            }
            reasons.insert("troll".into(), why);
        }
        // A complaint about what the instructions say (or that the author did
        // not read them): the playbook's "your fault for not reading the
        // manual" case, answered calmly and never with "read the manual".
        if intent == Intent::Complaint && self.has("flags.manual") {
            reasons.insert(
                "manual".into(),
                format!(
                    "it turns on the instructions or terms: {}",
                    self.quoted("flags.manual")
                ),
            );
        }
        if intent == Intent::Complaint && ctx.first_post && !detail && ctx.repeat.is_none() {
            flags.insert(Flag::SuspectedFake);
            reasons.insert(
                "suspected_fake".into(),
                "a complaint with no order, date, place or product detail, from an author never seen before".into(),
            );
        }
        if intent.is_concern() && !flags.contains(&Flag::Troll) && !flags.contains(&Flag::Spam) {
            flags.insert(Flag::NeedsReply);
            reasons.insert(
                "needs_reply".into(),
                format!("a {} the brand owes an answer", intent.as_str()),
            );
        }
        Labels {
            sentiment,
            sentiment_score: score,
            intent,
            flags,
            reasons,
        }
    }

    /// Why the text is an unauthorised ad, if it is: promotion words plus
    /// links, phone numbers or messenger handles.
    fn ad(&self) -> Option<String> {
        let links = contacts::count(self.text);
        let score = self.count("flags.ad") * self.w.get("ad_cue")
            + (links.min(2) as f32) * self.w.get("ad_link");
        if score < self.w.get("ad_min") {
            return None;
        }
        let mut why = format!("promotion: {}", self.quoted("flags.ad"));
        if links > 0 {
            why.push_str(&format!("; {links} link(s) or contact(s)"));
        }
        Some(why)
    }

    /// Question marks as evidence of a question: a plain "?" is one, "??" or
    /// "?!" is as often exasperation and counts half.
    fn question_marks(&self) -> f32 {
        let (mut plain, mut exasperated) = (0, 0);
        // The current run of ? and ! marks: its length and how many are "?".
        // Bytes, not chars: a long page is scanned at memory speed. The
        // fullwidth marks are EF BC 9F (？) and EF BC 81 (！).
        let (mut run, mut marks) = (0, 0);
        let bytes = self.text.as_bytes();
        let mut i = 0;
        while i <= bytes.len() {
            let fullwidth = bytes.get(i) == Some(&0xEF) && bytes.get(i + 1) == Some(&0xBC);
            let (mark, width) = match bytes.get(i) {
                Some(b'?') => (Some(true), 1),
                Some(b'!') => (Some(false), 1),
                _ if fullwidth && bytes.get(i + 2) == Some(&0x9F) => (Some(true), 3),
                _ if fullwidth && bytes.get(i + 2) == Some(&0x81) => (Some(false), 3),
                _ => (None, 1),
            };
            i += width;
            match mark {
                Some(true) => (run, marks) = (run + 1, marks + 1),
                Some(false) => run += 1,
                None => {
                    match (run, marks) {
                        (_, 0) => {}
                        (1, _) => plain += 1,
                        _ => exasperated += 1,
                    }
                    (run, marks) = (0, 0);
                }
            }
        }
        match (plain, exasperated) {
            (0, 0) => 0.0,
            (0, _) => 0.5,
            (1, _) => 1.0,
            _ => 1.25,
        }
    }

    /// The rules' score of each class, in [`CLASSES`] order.
    fn rule_scores(&self) -> [f32; 5] {
        let w = self.w;
        let net = self.positive - self.negative;
        [
            self.count("intent.question") * w.get("question_cue")
                + self.question_marks() * w.get("question_mark"),
            self.count("intent.complaint") * w.get("complaint_cue")
                + (-net).max(0.0) * w.get("negative_to_complaint"),
            self.count("intent.praise") * w.get("praise_cue")
                + net.max(0.0) * w.get("positive_to_praise"),
            self.count("intent.incident") * w.get("incident_cue"),
            // Bait ("who even", "lol") makes a rhetorical "?" no question.
            w.get("other_base") + self.count("flags.troll") * w.get("troll_to_other"),
        ]
    }

    /// What the learned model reads besides the words: the rules' scores,
    /// the sentiment sums, and signals of how the text is written (see
    /// [`super::model::DENSE_NAMES`]).
    pub(super) fn dense(&self) -> [f32; DENSE] {
        let r = self.rule_scores();
        let shape = Shape::of(self.text);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let grievance = self.negative
            + self.count("intent.complaint")
            + self.count("signals.repeat")
            + self.count("signals.waiting");
        [
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            self.positive,
            self.negative,
            self.question_marks(),
            (shape.exclamations as f32).min(3.0),
            flag(!self.obscene.is_empty()),
            flag(!self.insults.is_empty()),
            self.count("signals.repeat"),
            self.count("signals.waiting"),
            self.count("signals.why"),
            self.count("signals.news"),
            self.count("signals.reply"),
            self.count("signals.sarcasm"),
            self.count("flags.experience"),
            flag(self.has_detail()),
            self.count("flags.notice"),
            (shape.quotes as f32).min(3.0),
            (shape.numbers as f32).ln_1p(),
            (shape.shouted as f32).min(3.0),
            self.count("signals.self").ln_1p(),
            self.count("signals.you").ln_1p(),
            self.count("signals.we").ln_1p(),
            (shape.words as f32).ln_1p() / 3.0,
            // Praise words beside a grievance: sarcasm, or a mixed review.
            self.positive.min(grievance),
            // An irony marker beside a grievance: sarcasm.
            self.count("signals.sarcasm").min(grievance),
            self.count("flags.troll"),
            self.count("flags.constructive"),
            self.count("signals.scope"),
            self.count("signals.change"),
        ]
    }

    /// Everything the model reads of this text: its words, the rule cues
    /// that fired (so the model learns how far to trust each), and [`Reading::dense`].
    pub(super) fn features(&self, featurizer: &Featurizer) -> Features<'_> {
        let cues = self
            .hits
            .iter()
            .filter(|(list, _)| {
                list.starts_with("intent.")
                    || list.starts_with("signals.")
                    || list.starts_with("sentiment.p")
                    || list.starts_with("sentiment.neg")
            })
            .flat_map(|(_, found)| found.iter().map(|(pattern, _)| *pattern));
        featurizer.features(&self.padded, self.dense(), cues)
    }

    fn intent(
        &self,
        model: Option<&IntentModel>,
        reasons: &mut BTreeMap<String, String>,
    ) -> Intent {
        let scores = self.rule_scores();
        // "Other" unless a class beats it; ties go to the earlier class.
        let mut best = 4;
        for i in 0..4 {
            if scores[i] > scores[best] {
                best = i;
            }
        }
        let (rule_best, rule_score) = (CLASSES[best], scores[best]);
        let Some(model) = model else {
            reasons.insert(
                "intent".into(),
                format!(
                    "{} (score {rule_score:.1}): {}",
                    rule_best.as_str(),
                    self.rule_why(rule_best)
                ),
            );
            return rule_best;
        };
        let features = self.features(&model.featurizer);
        let prediction = model.predict(&features);
        let (intent, p) = prediction.best();
        let mut why = format!("{} (model {p:.2}): ", intent.as_str());
        let rules = self.rule_why(intent);
        if intent != Intent::Other || self.has("flags.troll") {
            why.push_str(&format!("rules: {rules}"));
        }
        if !prediction.top_words.is_empty() {
            if !why.ends_with(": ") {
                why.push_str("; ");
            }
            let words: Vec<String> = prediction
                .top_words
                .iter()
                .map(|w| format!("«{w}»"))
                .collect();
            why.push_str(&format!("words {}", words.join(", ")));
        }
        if why.ends_with(": ") {
            why.push_str("nothing points elsewhere");
        }
        reasons.insert("intent".into(), why);
        intent
    }

    /// The rule cues behind a class.
    fn rule_why(&self, intent: Intent) -> String {
        let net = self.positive - self.negative;
        match intent {
            Intent::Other if self.has("flags.troll") => format!(
                "bait {} outweighs any question, complaint, praise or incident cue",
                self.quoted("flags.troll")
            ),
            Intent::Other => {
                "no question, complaint, praise or incident cue outweighs the rest".to_string()
            }
            i => {
                let list = format!("intent.{}", i.as_str());
                let mut parts = Vec::new();
                if self.has(&list) {
                    parts.push(self.quoted(&list));
                }
                if i == Intent::Question && self.question_marks() > 0.0 {
                    parts.push("question mark".into());
                }
                if i == Intent::Complaint && net < 0.0 {
                    parts.push(format!(
                        "negative words {}",
                        self.quoted("sentiment.negative")
                    ));
                }
                if i == Intent::Praise && net > 0.0 {
                    parts.push(format!(
                        "positive words {}",
                        self.quoted("sentiment.positive")
                    ));
                }
                if self.has("sentiment.contrast") {
                    parts.push(format!(
                        "what follows {} weighs more",
                        self.quoted("sentiment.contrast")
                    ));
                }
                if parts.is_empty() {
                    parts.push("no rule cue".into());
                }
                parts.join("; ")
            }
        }
    }

    fn sentiment(
        &self,
        intent: Intent,
        reasons: &mut BTreeMap<String, String>,
    ) -> (Sentiment, f32) {
        let (p, n) = (self.positive, self.negative);
        let lexical = (p - n) / (p + n + 1.0);
        // An official notice (planned works, new terms) is news, not anger.
        let notice = self.has("flags.notice");
        let bias = match intent {
            Intent::Incident if notice => 0.0,
            Intent::Complaint | Intent::Incident => -self.w.get("intent_sentiment"),
            Intent::Praise => self.w.get("intent_sentiment"),
            _ => 0.0,
        };
        let score = (lexical + bias).clamp(-1.0, 1.0);
        let t = self.w.get("sentiment_threshold");
        let label = if score <= -t {
            Sentiment::Negative
        } else if score >= t {
            Sentiment::Positive
        } else {
            Sentiment::Neutral
        };
        let leans = if notice && intent == Intent::Incident {
            format!(
                "an official notice ({}) leans nowhere",
                self.quoted("flags.notice")
            )
        } else {
            format!("{} leans it", intent.as_str())
        };
        reasons.insert(
            "sentiment".into(),
            format!(
                "{} ({score:+.2}): {p} positive, {n} negative word(s) after negation; {leans}",
                label.as_str(),
            ),
        );
        (label, score)
    }

    /// Swear words found after unmasking, as the author wrote them.
    fn obscene_words(&self) -> Vec<String> {
        let mut found = self.masked_matches(&self.lex.obscene, &self.lex.obscene_allow);
        if self.lex.obscene_alone.is_empty() {
            return found;
        }
        // As written, before masks are joined ("草 美食达" stays two words).
        let alone = &self.lex.obscene_alone;
        for token in self.text.split_whitespace() {
            let key = crate::matcher::normalize_text(token);
            // Most tokens hold none of the words at all: only those that do
            // have allowed words ("公共wc", the toilet) blanked out, as for
            // masked words, and their runs read.
            if !alone.iter().any(|a| key.contains(a.as_str())) {
                continue;
            }
            let key = without_allowed(&key, &self.lex.obscene_allow);
            if !mask::script_runs(&key)
                .any(|run| !is_code(&key, run) && alone.iter().any(|a| a == run))
            {
                continue;
            }
            let surface = format!("«{token}»");
            if !found.contains(&surface) {
                found.push(surface);
            }
        }
        found
    }

    /// Insults: listed phrases as written, and listed words under masking
    /// ("ид1от", "i d i o t", "дeбил" with a Latin e).
    fn find_insults(&self) -> Vec<String> {
        let mut found: Vec<String> = self
            .list("flags.insult")
            .iter()
            .map(|(p, _)| format!("«{}»", p.trim_matches('*')))
            .collect();
        for word in self.masked_matches(&self.lex.insult, &self.lex.ignore) {
            let bare = word.trim_matches(['«', '»']).to_lowercase();
            if !found.iter().any(|f| f.to_lowercase().contains(&bare)) {
                found.push(word);
            }
        }
        found
    }

    /// Words of the text (unmasked) where one of `roots` sits, none of `allow` vetoing it.
    fn masked_matches(&self, roots: &mask::Roots, allow: &[String]) -> Vec<String> {
        if roots.is_empty() {
            return Vec::new();
        }
        let mut found = Vec::new();
        let keys: Vec<&str> = self.words.iter().map(|w| w.key.as_str()).collect();
        for (word, hit) in self.words.iter().zip(roots.matching(&keys)) {
            // Allowed words are looked at only when a root matched: they can
            // only veto, and most words match nothing.
            if !hit {
                continue;
            }
            let hit = if self.lex.unspaced {
                roots.matches(&without_allowed(&word.key, allow))
            } else {
                !allow.iter().any(|a| word.key.starts_with(a.as_str()))
            };
            if hit {
                found.push(format!("«{}»", word.surface));
            }
        }
        found
    }

    /// Something a real customer could be asked about: an order number, a
    /// date, an amount, a branch, a model (lexicon `detail`), or any number.
    fn has_detail(&self) -> bool {
        if self.has("flags.detail") {
            return true;
        }
        self.text
            .split(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '/' | ':' | '-')))
            .any(|t| {
                let digits = t.chars().filter(char::is_ascii_digit).count();
                digits >= 3 || (digits >= 2 && t.contains(['.', '/', ':']))
            })
    }
}

/// `run` (a script run of `key`, see [`mask::script_runs`]) is Latin beside
/// a digit: a code ("MD1003", "7nm"), not a word.
fn is_code(key: &str, run: &str) -> bool {
    let at = run.as_ptr() as usize - key.as_ptr() as usize;
    let before = key[..at].chars().next_back();
    let after = key[at + run.len()..].chars().next();
    run.is_ascii()
        && [before, after]
            .into_iter()
            .flatten()
            .any(|c| c.is_ascii_digit())
}

/// `key` with every allowed word blanked out, so a root inside one ("操" in
/// "操作", "wc" in "公共wc") is not seen, but the same root beside it is.
/// Unspaced text has no word boundaries to decide this by.
fn without_allowed(key: &str, allow: &[String]) -> String {
    let mut key = key.to_string();
    for allowed in allow {
        if key.contains(allowed.as_str()) {
            key = key.replace(allowed.as_str(), " ");
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::super::{Classifier, Context, Flag, Intent, Labels, Lang, Sentiment};

    /// Small lexicons of our own: the shipped ones change as they are tuned.
    const EN: &str = r#"
[intent]
question = ["anyone know"]
complaint = ["refund", "charged twice"]
praise = ["thank*"]
incident = ["outage", "maintenance"]
[sentiment]
positive = ["great", "good", "👍", "❤"]
negative = ["bad", "awful", "slow", "😡"]
negators = ["not", "never"]
contrast = ["but"]
[flags]
insult = ["idiots", "clowns", "идиот*", "дебил*"]
troll = ["lol", "🤡"]
ad = ["promo code"]
constructive = ["please add"]
claim = ["because"]
notice = ["dear customers"]
"#;

    const ZH: &str = r#"
ignore = ["好像", "usb"]
[sentiment]
positive = ["好"]
negative = ["慢"]
negators = ["不"]
[flags]
insult = ["sb", "傻子"]
"#;

    fn read(text: &str, lang: Lang) -> Labels {
        Classifier::from_texts(&[("en", EN), ("zh", ZH)])
            .unwrap()
            .classify("", text, lang, &Context::default())
    }

    fn en(text: &str) -> Labels {
        read(text, Lang::En)
    }

    #[test]
    fn shape_counts_numbers_shouting_quotes_and_exclamations() {
        let s = super::Shape::of("Why is the 'free' plan £12 now?! TWICE the price, a joke!");
        assert_eq!(
            (s.numbers, s.shouted, s.quotes, s.exclamations),
            (1, 1, 1, 2)
        );
        let s = super::Shape::of("it's the “best” bank, don't «смеши» „godt“");
        assert_eq!(s.quotes, 3, "apostrophes inside words are no quotes");
        assert_eq!(s.shouted, 0);
    }

    #[test]
    fn signals_and_the_texts_shape_reach_the_model() {
        let lex = super::Lexicon::parse(
            "en",
            r#"
[sentiment]
positive = ["great"]
negative = ["broken"]
[signals]
repeat = ["again"]
why = ["why"]
sarcasm = ["🙃"]
"#,
            "test",
        )
        .unwrap();
        let w = super::Weights::for_lexicon(&lex);
        let at = |name: &str| {
            super::super::model::DENSE_NAMES
                .iter()
                .position(|n| *n == name)
                .unwrap()
        };
        let text = super::Text::new("", "Why is the app broken AGAIN? Great job 👏");
        let dense = super::Reading::new(&lex, &w, &text).dense();
        assert_eq!(dense[at("repeat")], 1.0);
        assert_eq!(dense[at("why")], 1.0);
        assert_eq!(dense[at("shouting")], 1.0);
        assert_eq!(dense[at("praise beside grievance")], 1.0, "sarcasm's shape");
        assert_eq!(
            dense[at("irony beside grievance")],
            0.0,
            "no irony marker listed"
        );
        let ironic = super::Text::new("", "Down again, great 🙃");
        let dense = super::Reading::new(&lex, &w, &ironic).dense();
        assert_eq!(dense[at("irony beside grievance")], 1.0);
        let plain = super::Text::new("", "Great app");
        let dense = super::Reading::new(&lex, &w, &plain).dense();
        assert_eq!(
            dense[at("repeat")] + dense[at("praise beside grievance")],
            0.0
        );
    }

    #[test]
    fn emoji_are_cues() {
        assert_eq!(en("Nordlys 👍👍").sentiment, Sentiment::Positive);
        assert_eq!(
            en("Nordlys ❤️").sentiment,
            Sentiment::Positive,
            "with U+FE0F"
        );
        assert_eq!(en("Nordlys again 😡").sentiment, Sentiment::Negative);
        let troll = en("Nordlys 🤡🤡");
        assert!(troll.has(Flag::Troll), "{:?}", troll.reasons);
    }

    #[test]
    fn masked_insults_are_found() {
        for text in [
            "Nordlys ид1оты",
            "Nordlys are i d i o t s",
            "Nordlys дeбилы",
            "Nordlys are id*ots",
        ] {
            let l = en(text);
            assert!(l.has(Flag::Insult), "{text}: {:?}", l.reasons);
        }
        assert!(!en("Nordlys identity check").has(Flag::Insult));
    }

    #[test]
    fn constructive_advice_counts_on_praise_too() {
        let l = en("Thanks Nordlys, great app, please add dark mode");
        assert_eq!(l.intent, Intent::Praise);
        assert!(l.has(Flag::Constructive), "{:?}", l.reasons);
    }

    #[test]
    fn an_insult_with_a_reasoned_claim_is_no_troll() {
        assert!(en("Nordlys clowns").has(Flag::Troll));
        let claim = en("Nordlys clowns, because the app logs everyone out");
        assert!(claim.has(Flag::Insult) && !claim.has(Flag::Troll));
    }

    #[test]
    fn an_ad_is_intent_other() {
        let l = en("Charged twice, refund? Get 20% with promo code X at deals.example.shop");
        assert!(l.has(Flag::Ad), "{:?}", l.reasons);
        assert_eq!(l.intent, Intent::Other, "{:?}", l.reasons);
        assert!(!l.has(Flag::NeedsReply));
    }

    #[test]
    fn a_plain_question_mark_is_a_question_and_bait_is_not() {
        assert_eq!(en("Is Nordlys open on Sunday?").intent, Intent::Question);
        assert_ne!(en("Nordlys again?!").intent, Intent::Question);
        assert_eq!(en("who uses Nordlys lol?").intent, Intent::Other);
        assert_eq!(en("anyone know the Nordlys fee").intent, Intent::Question);
    }

    #[test]
    fn negation_stops_at_a_sentence_end() {
        assert_eq!(en("Nordlys is not good").sentiment, Sentiment::Negative);
        assert_eq!(en("Not again. Good Nordlys").sentiment, Sentiment::Positive);
        assert_eq!(en("Not me, good Nordlys").sentiment, Sentiment::Positive);
    }

    #[test]
    fn the_clause_after_but_weighs_more() {
        let l = en("Nordlys app is good but slow and awful");
        assert_eq!(l.sentiment, Sentiment::Negative, "{:?}", l.reasons);
        let l = en("Slow, awful delivery but great and good support");
        assert_eq!(l.sentiment, Sentiment::Positive, "{:?}", l.reasons);
    }

    #[test]
    fn an_official_notice_of_an_incident_is_neutral() {
        let notice = en("Dear customers, Nordlys maintenance on Sunday night");
        assert_eq!(notice.intent, Intent::Incident);
        assert_eq!(notice.sentiment, Sentiment::Neutral, "{:?}", notice.reasons);
        assert_eq!(en("Nordlys outage again").sentiment, Sentiment::Negative);
    }

    #[test]
    fn chinese_one_char_cues_negators_and_glued_masks() {
        let zh = |t: &str| read(t, Lang::Zh);
        assert_eq!(zh("北极光服务好").sentiment, Sentiment::Positive);
        assert_eq!(
            zh("北极光好像换了",).sentiment,
            Sentiment::Neutral,
            "好像 is no 好"
        );
        assert_eq!(
            zh("北极光服务不好").sentiment,
            Sentiment::Negative,
            "不 negates 好"
        );
        assert_eq!(zh("北极光不快，很慢").sentiment, Sentiment::Negative);
        assert!(zh("北极光客服是s b吧").has(Flag::Insult));
        assert!(zh("北极光客服是傻 子").has(Flag::Insult));
        assert!(
            !zh("北极光的USB线坏了").has(Flag::Insult),
            "USB holds no sb"
        );
    }
}
