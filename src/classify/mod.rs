//! Classify: what a mention is (question, complaint, praise, incident), how
//! it feels, and what a moderator must know (obscene, insult, troll, spam,
//! ad, suspected fake, constructive, needs a reply), each with a reason.
//!
//! Rules over per-language lexicons ([`lexicon`]), not a downloaded model:
//! every label can say which words or signals fired, a brand can edit the
//! lists, and everything runs offline. Signals that need more than the text
//! (the author's first post? a repeat of their earlier post?) come in a
//! [`Context`] the caller builds from the store (or, in evaluation, from the
//! labelled set in time order).

pub mod eval;
pub mod lexicon;
pub mod mask;
pub mod repeats;

use crate::model::Lang;
pub use crate::model::{Flag, Intent, Labels, Sentiment};
use lexicon::Lexicon;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Errors of the classify stage.
#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    /// A lexicon file does not parse or names an unknown list.
    #[error("lexicon {origin}: {reason}")]
    Lexicon { origin: String, reason: String },
    /// A lexicon or evaluation file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A labelled evaluation line is malformed.
    #[error("{path}:{line}: {reason}")]
    Data {
        path: std::path::PathBuf,
        line: usize,
        reason: String,
    },
}

/// What the text alone cannot tell.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// No earlier item by this author (by effective time).
    pub first_post: bool,
    /// This post repeats the author's earlier one under another thread.
    pub repeat: Option<repeats::Repeat>,
    /// The author was flagged as a troll before.
    pub troll_history: bool,
}

/// Numeric knobs; a lexicon's `[weights]` overrides them for its language.
#[derive(Clone, Debug)]
pub struct Weights(BTreeMap<&'static str, f32>);

impl Weights {
    pub const KNOBS: [&'static str; 14] = [
        "question_cue",
        "question_mark",
        "complaint_cue",
        "praise_cue",
        "incident_cue",
        "negative_to_complaint",
        "positive_to_praise",
        "other_base",
        "sentiment_threshold",
        "intent_sentiment",
        "ad_cue",
        "ad_link",
        "ad_min",
        "troll_cue",
    ];
    const DEFAULTS: [f32; 14] = [
        1.0, 1.5, 1.0, 1.0, 1.5, 0.4, 0.4, 0.9, 0.2, 0.35, 1.0, 1.0, 2.0, 1.0,
    ];

    fn for_lexicon(lex: &Lexicon) -> Weights {
        let mut map: BTreeMap<&'static str, f32> =
            Self::KNOBS.into_iter().zip(Self::DEFAULTS).collect();
        for (k, v) in &lex.weights {
            if let Some(knob) = Self::KNOBS.iter().find(|n| **n == k.as_str()) {
                map.insert(knob, *v);
            }
        }
        Weights(map)
    }

    fn get(&self, knob: &str) -> f32 {
        self.0.get(knob).copied().unwrap_or(0.0)
    }
}

/// The classifier: one compiled lexicon per language.
pub struct Classifier {
    langs: HashMap<Lang, (Lexicon, Weights)>,
}

impl Classifier {
    /// The lexicons shipped in `src/classify/lexicons/`.
    pub fn built_in() -> Result<Classifier, ClassifyError> {
        Self::from_texts(&lexicon::BUILT_IN)
    }

    /// Lexicons given as (language code, TOML text).
    pub fn from_texts(lexicons: &[(&str, &str)]) -> Result<Classifier, ClassifyError> {
        let mut langs = HashMap::new();
        for (code, text) in lexicons {
            let lex = Lexicon::parse(code, text, &format!("{code}.toml"))?;
            let weights = Weights::for_lexicon(&lex);
            langs.insert(Lang::parse(code).unwrap_or_default(), (lex, weights));
        }
        Ok(Classifier { langs })
    }

    /// Built-in lexicons, each replaced by `<dir>/<lang>.toml` where that file exists.
    pub fn with_dir(dir: &Path) -> Result<Classifier, ClassifyError> {
        let mut c = Self::built_in()?;
        for (code, _) in lexicon::BUILT_IN {
            let path = dir.join(format!("{code}.toml"));
            if !path.exists() {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|source| ClassifyError::Read {
                path: path.clone(),
                source,
            })?;
            let lex = Lexicon::parse(code, &text, &path.display().to_string())?;
            let weights = Weights::for_lexicon(&lex);
            c.langs
                .insert(Lang::parse(code).unwrap_or_default(), (lex, weights));
        }
        Ok(c)
    }

    /// Labels one mention (see [`Classifier::classify_text`]).
    pub fn classify(&self, title: &str, text: &str, lang: Lang, ctx: &Context) -> Labels {
        self.classify_text(&Text::new(title, text), lang, ctx)
    }

    /// Labels one mention. Text in a language without a lexicon (`other`) is
    /// read with the English one: brand names and swear words travel.
    pub fn classify_text(&self, text: &Text<'_>, lang: Lang, ctx: &Context) -> Labels {
        let Some((lex, w)) = self.langs.get(&lang).or_else(|| self.langs.get(&Lang::En)) else {
            return Labels {
                sentiment: Sentiment::Neutral,
                sentiment_score: 0.0,
                intent: Intent::Other,
                flags: BTreeSet::new(),
                reasons: BTreeMap::new(),
            };
        };
        Reading::new(lex, w, text).labels(ctx)
    }
}

/// A mention's title and text, normalised once for every check that reads
/// them (the fingerprint, the cue scan): normalising a page costs more than
/// classifying it.
pub struct Text<'a> {
    /// Title and text as written, one line apart.
    raw: std::borrow::Cow<'a, str>,
    title: String,
    body: String,
}

impl<'a> Text<'a> {
    pub fn new(title: &str, body: &'a str) -> Text<'a> {
        let raw = if title.is_empty() {
            std::borrow::Cow::Borrowed(body)
        } else {
            std::borrow::Cow::Owned(format!("{title}\n{body}"))
        };
        Text {
            raw,
            title: crate::matcher::normalize(title).text,
            body: crate::matcher::normalize(body).text,
        }
    }

    /// The body's repeat fingerprint ([`repeats::fingerprint`]).
    pub fn fingerprint(&self) -> Option<String> {
        repeats::fingerprint_normalized(&self.body)
    }

    /// Title and body as the automaton scans them (a line break is a word
    /// break, so normalising the two apart reads the same as together).
    fn padded(&self) -> String {
        let mut padded = lexicon::padded_normalized(&self.title);
        padded.push_str(lexicon::padded_normalized(&self.body).trim_start());
        padded
    }
}

/// One text read against one lexicon: the cues found, by list.
struct Reading<'a> {
    w: &'a Weights,
    lex: &'a Lexicon,
    text: &'a str,
    /// list name → patterns found (each once).
    hits: BTreeMap<&'a str, Vec<&'a str>>,
    positive: f32,
    negative: f32,
}

impl<'a> Reading<'a> {
    fn new(lex: &'a Lexicon, w: &'a Weights, source: &'a Text<'_>) -> Reading<'a> {
        let text: &str = &source.raw;
        let padded = source.padded();
        let found = lex.find(&padded);
        // Word index of each byte offset: a negator flips the next two words.
        let spaces: Vec<usize> = padded.match_indices(' ').map(|(i, _)| i).collect();
        let word_at = |offset: usize| spaces.partition_point(|&s| s < offset);
        let negator_words: Vec<usize> = found
            .iter()
            .filter(|(c, _)| c.list == "sentiment.negators")
            .map(|(_, at)| word_at(*at))
            .collect();
        let mut hits: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let (mut positive, mut negative) = (0.0, 0.0);
        for (cue, at) in &found {
            let list = hits.entry(cue.list.as_str()).or_default();
            if !list.contains(&cue.pattern.as_str()) {
                list.push(cue.pattern.as_str());
            }
            let polarity = match cue.list.as_str() {
                "sentiment.positive" => 1.0,
                "sentiment.negative" => -1.0,
                _ => continue,
            };
            let word = word_at(*at);
            let negated = negator_words
                .iter()
                .any(|n| *n < word && word - *n <= 2 || (*n == word && lex.unspaced));
            match (polarity > 0.0) != negated {
                true => positive += 1.0,
                false => negative += 1.0,
            }
        }
        Reading {
            w,
            lex,
            text,
            hits,
            positive,
            negative,
        }
    }

    fn list(&self, name: &str) -> &[&'a str] {
        self.hits.get(name).map_or(&[], Vec::as_slice)
    }

    fn count(&self, name: &str) -> f32 {
        self.list(name).len() as f32
    }

    fn quoted(&self, name: &str) -> String {
        self.list(name)
            .iter()
            .map(|p| format!("«{}»", p.trim_matches('*')))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn labels(&self, ctx: &Context) -> Labels {
        let mut reasons = BTreeMap::new();
        let mut flags = BTreeSet::new();
        let intent = self.intent(&mut reasons);
        let (sentiment, score) = self.sentiment(intent, &mut reasons);

        let obscene = self.obscene_words();
        if !obscene.is_empty() {
            flags.insert(Flag::Obscene);
            reasons.insert(
                "obscene".into(),
                format!("swear words (masking undone): {}", obscene.join(", ")),
            );
        }
        if !self.list("flags.insult").is_empty() {
            flags.insert(Flag::Insult);
            reasons.insert(
                "insult".into(),
                format!(
                    "abuse aimed at a person or the company: {}",
                    self.quoted("flags.insult")
                ),
            );
        }
        let constructive = !self.list("flags.constructive").is_empty()
            && (sentiment != Sentiment::Positive || intent == Intent::Complaint);
        if constructive {
            flags.insert(Flag::Constructive);
            reasons.insert(
                "constructive".into(),
                format!(
                    "criticism with a concrete suggestion: {}",
                    self.quoted("flags.constructive")
                ),
            );
        }
        let links = count_links(self.text);
        let ad_score = self.count("flags.ad") * self.w.get("ad_cue")
            + (links.min(2) as f32) * self.w.get("ad_link");
        if ad_score >= self.w.get("ad_min") {
            flags.insert(Flag::Ad);
            flags.insert(Flag::Spam);
            let mut why = format!("promotion: {}", self.quoted("flags.ad"));
            if links > 0 {
                why.push_str(&format!("; {links} link(s) or contact(s)"));
            }
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
        let troll_cues = self.count("flags.troll") * self.w.get("troll_cue");
        let provoking = troll_cues >= 1.0
            || (flags.contains(&Flag::Insult) && intent == Intent::Other)
            || (ctx.troll_history && sentiment == Sentiment::Negative);
        if provoking && !intent.is_concern() && !constructive && !flags.contains(&Flag::Ad) {
            flags.insert(Flag::Troll);
            let mut why = String::from("no concern, no reasoned claim, nothing constructive");
            if troll_cues > 0.0 {
                why.push_str(&format!("; bait: {}", self.quoted("flags.troll")));
            }
            if ctx.troll_history {
                why.push_str("; the author trolled before");
            }
            reasons.insert("troll".into(), why);
        }
        let detail = self.has_detail();
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

    fn intent(&self, reasons: &mut BTreeMap<String, String>) -> Intent {
        let w = self.w;
        let question_marks = self.text.matches(['?', '？']).count().min(2) as f32;
        let net = self.positive - self.negative;
        let scores = [
            (
                Intent::Question,
                self.count("intent.question") * w.get("question_cue")
                    + question_marks * w.get("question_mark") / 2.0,
            ),
            (
                Intent::Complaint,
                self.count("intent.complaint") * w.get("complaint_cue")
                    + (-net).max(0.0) * w.get("negative_to_complaint"),
            ),
            (
                Intent::Praise,
                self.count("intent.praise") * w.get("praise_cue")
                    + net.max(0.0) * w.get("positive_to_praise"),
            ),
            (
                Intent::Incident,
                self.count("intent.incident") * w.get("incident_cue"),
            ),
        ];
        let (best, score) =
            scores
                .iter()
                .copied()
                .fold((Intent::Other, w.get("other_base")), |acc, s| {
                    if s.1 > acc.1 {
                        s
                    } else {
                        acc
                    }
                });
        let why = match best {
            Intent::Other => {
                "no question, complaint, praise or incident cue outweighs the rest".to_string()
            }
            Intent::Question if self.list("intent.question").is_empty() => {
                "question mark".to_string()
            }
            i => {
                let list = format!("intent.{}", i.as_str());
                let mut parts = Vec::new();
                if !self.list(&list).is_empty() {
                    parts.push(self.quoted(&list));
                }
                if i == Intent::Question && question_marks > 0.0 {
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
                parts.join("; ")
            }
        };
        reasons.insert(
            "intent".into(),
            format!("{} (score {score:.1}): {why}", best.as_str()),
        );
        best
    }

    fn sentiment(
        &self,
        intent: Intent,
        reasons: &mut BTreeMap<String, String>,
    ) -> (Sentiment, f32) {
        let (p, n) = (self.positive, self.negative);
        let lexical = (p - n) / (p + n + 1.0);
        let bias = match intent {
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
        reasons.insert(
            "sentiment".into(),
            format!(
                "{} ({score:+.2}): {p} positive, {n} negative word(s) after negation; {} leans it",
                label.as_str(),
                intent.as_str()
            ),
        );
        (label, score)
    }

    /// Swear words found after unmasking, as the author wrote them.
    fn obscene_words(&self) -> Vec<String> {
        let lex = self.lex;
        if lex.obscene.is_empty() {
            return Vec::new();
        }
        let words = if lex.unspaced {
            mask::unspaced_words(self.text)
        } else {
            mask::words(self.text)
        };
        let mut found = Vec::new();
        for word in words {
            // Allowed words are looked at only when a root matched: they can
            // only veto, and most words match nothing.
            if !lex.obscene.matches(&word.key) {
                continue;
            }
            let swear = if lex.unspaced {
                // No word boundaries: blank out allowed words ("操作"), so the
                // root inside them ("操") is not seen, but "操你妈" beside them is.
                let mut key = word.key.clone();
                for allowed in &lex.obscene_allow {
                    key = key.replace(allowed.as_str(), " ");
                }
                lex.obscene.matches(&key)
            } else {
                !lex.obscene_allow
                    .iter()
                    .any(|a| word.key.starts_with(a.as_str()))
            };
            if swear {
                found.push(format!("«{}»", word.surface));
            }
        }
        found
    }

    /// Something a real customer could be asked about: an order number, a
    /// date, an amount, a branch, a model (lexicon `detail`), or any number.
    fn has_detail(&self) -> bool {
        if !self.list("flags.detail").is_empty() {
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

/// Links and contacts in a text: URLs, bare domains, @handles, messenger ids.
fn count_links(text: &str) -> usize {
    text.split_whitespace()
        .filter(|t| {
            let t = t.trim_matches(|c: char| !c.is_alphanumeric() && c != '@');
            let lower = t.to_lowercase();
            lower.starts_with("http")
                || lower.starts_with("www.")
                || lower.contains("t.me/")
                || (t.starts_with('@') && t.len() > 3)
                || [
                    ".com", ".ru", ".dk", ".cn", ".net", ".org", ".io", ".shop", ".xyz", ".top",
                ]
                .iter()
                .any(|tld| lower.ends_with(tld) || lower.contains(&format!("{tld}/")))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small lexicon of our own: the shipped ones change as they are tuned.
    const EN: &str = r#"
[intent]
question = ["how do i", "can i"]
complaint = ["refund", "charged twice"]
praise = ["thank*"]
incident = ["outage", "is down"]
[sentiment]
positive = ["great", "good"]
negative = ["bad", "awful", "slow"]
negators = ["not", "never"]
[flags]
obscene = ["fuck*", "shit*", "cunt*"]
obscene_allow = ["scunthorpe", "shitake"]
insult = ["idiots", "clowns"]
troll = ["lol", "who even uses"]
ad = ["promo code", "earn"]
constructive = ["you should", "please add"]
detail = ["order"]
"#;

    const ZH: &str = r#"
[flags]
obscene = ["操你", "傻逼", "sb"]
obscene_allow = ["操作"]
"#;

    fn classify(text: &str, ctx: &Context) -> Labels {
        Classifier::from_texts(&[("en", EN), ("zh", ZH)])
            .unwrap()
            .classify("", text, Lang::En, ctx)
    }

    #[test]
    fn masked_swearing_is_obscene_and_false_friends_are_not() {
        let ctx = Context::default();
        for text in [
            "this is f*cking slow",
            "f.u.c.k Nordlys",
            "sh1t service",
            "fuuuuck",
        ] {
            assert!(classify(text, &ctx).has(Flag::Obscene), "{text}");
        }
        for text in [
            "Nordlys opened in Scunthorpe",
            "shitake risotto at the Nordlys party",
        ] {
            assert!(!classify(text, &ctx).has(Flag::Obscene), "{text}");
        }
        let zh = Classifier::from_texts(&[("zh", ZH)]).unwrap();
        let read = |t: &str| zh.classify("", t, Lang::Zh, &ctx).has(Flag::Obscene);
        assert!(!read("这个操作太复杂了"));
        assert!(read("操作太复杂了，操你的"));
        assert!(read("傻\u{200b}逼公司"));
        assert!(!read("双11的订单号1003****8812，11:30还没到？？😋😋"));
    }

    #[test]
    fn intent_and_negated_sentiment() {
        let ctx = Context::default();
        let q = classify("How do I change my PIN in the Nordlys app?", &ctx);
        assert_eq!(q.intent, Intent::Question);
        assert!(q.has(Flag::NeedsReply));
        assert!(q.reasons["intent"].contains("how do i"), "{:?}", q.reasons);
        let c = classify("Nordlys charged twice and the app is not good", &ctx);
        assert_eq!(c.intent, Intent::Complaint);
        assert_eq!(c.sentiment, Sentiment::Negative, "«not good» is negative");
        let p = classify("Thanks Nordlys, great support", &ctx);
        assert_eq!(
            (p.intent, p.sentiment),
            (Intent::Praise, Sentiment::Positive)
        );
        assert!(!p.has(Flag::NeedsReply));
    }

    #[test]
    fn ads_repeats_trolls_and_unverifiable_complaints() {
        let first = Context {
            first_post: true,
            ..Default::default()
        };
        let ad = classify("Earn 500$ a day, promo code at www.example.xyz", &first);
        assert!(ad.has(Flag::Ad) && ad.has(Flag::Spam), "{:?}", ad.reasons);
        let repeat = Context {
            repeat: Some(repeats::Repeat {
                first: "abc".into(),
                earlier: 1,
            }),
            ..Default::default()
        };
        let spam = classify("Nordlys charged twice, refund now", &repeat);
        assert!(spam.has(Flag::Spam) && !spam.has(Flag::NeedsReply));
        assert!(spam.reasons["spam"].contains("abc"));
        let troll = classify("lol who even uses Nordlys, clowns", &Context::default());
        assert!(
            troll.has(Flag::Troll) && troll.has(Flag::Insult),
            "{:?}",
            troll.reasons
        );
        let vague = classify("Awful bank, charged twice, refund never came", &first);
        assert!(vague.has(Flag::SuspectedFake), "{:?}", vague.reasons);
        let detailed = classify("Order 48213 charged twice on 12.10, refund please", &first);
        assert!(!detailed.has(Flag::SuspectedFake));
        let known = classify(
            "Awful bank, charged twice, refund never came",
            &Context::default(),
        );
        assert!(!known.has(Flag::SuspectedFake), "not a first-seen author");
        let advice = classify(
            "The app is slow, you should cache the balance",
            &Context::default(),
        );
        assert!(advice.has(Flag::Constructive));
    }
}
