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

pub mod contacts;
pub mod eval;
pub mod lexicon;
pub mod mask;
pub mod model;
mod reading;
pub mod repeats;

use crate::model::Lang;
pub use crate::model::{Flag, Intent, Labels, Sentiment};
use lexicon::Lexicon;
use model::IntentModel;
use reading::Reading;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

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
    pub const KNOBS: [&'static str; 16] = [
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
        "before_contrast",
        "troll_to_other",
    ];
    const DEFAULTS: [f32; 16] = [
        1.0, 1.0, 1.0, 1.0, 1.5, 0.4, 0.4, 0.9, 0.2, 0.35, 1.0, 1.0, 2.0, 1.0, 0.5, 0.6,
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

/// One language's rules and, once trained, its learned intent model.
struct Language {
    lex: Lexicon,
    w: Weights,
    model: Option<Arc<IntentModel>>,
}

/// The classifier: one compiled lexicon (and intent model) per language.
pub struct Classifier {
    langs: HashMap<Lang, Language>,
}

impl Classifier {
    /// The lexicons shipped in `src/classify/lexicons/`, with intent models
    /// trained on the shipped examples (once per process: they never change).
    pub fn built_in() -> Result<Classifier, ClassifyError> {
        static MODELS: OnceLock<HashMap<Lang, Arc<IntentModel>>> = OnceLock::new();
        let mut c = Self::from_texts(&lexicon::BUILT_IN)?;
        let models = MODELS.get_or_init(|| {
            c.train(&model::built_in_examples());
            c.langs
                .iter()
                .filter_map(|(lang, l)| Some((*lang, l.model.clone()?)))
                .collect()
        });
        for (lang, l) in &mut c.langs {
            l.model = models.get(lang).cloned();
        }
        Ok(c)
    }

    /// Lexicons given as (language code, TOML text), rules only (see [`Classifier::train`]).
    pub fn from_texts(lexicons: &[(&str, &str)]) -> Result<Classifier, ClassifyError> {
        let mut langs = HashMap::new();
        for (code, text) in lexicons {
            let lex = Lexicon::parse(code, text, &format!("{code}.toml"))?;
            let w = Weights::for_lexicon(&lex);
            let lang = Lang::parse(code).unwrap_or_default();
            langs.insert(
                lang,
                Language {
                    lex,
                    w,
                    model: None,
                },
            );
        }
        Ok(Classifier { langs })
    }

    /// Learns each language's intent model from labelled examples (the
    /// rules' scores are among its features, so this follows the lexicons).
    /// A language without examples keeps its rules alone.
    pub fn train(&mut self, examples: &[eval::Example]) {
        for (lang, l) in &mut self.langs {
            let mine: Vec<&eval::Example> = examples
                .iter()
                .filter(|e| Lang::parse(&e.lang) == Some(*lang))
                .collect();
            l.model = None;
            if mine.is_empty() {
                continue;
            }
            let texts: Vec<Text<'_>> = mine
                .iter()
                .map(|e| Text::new(e.title.as_deref().unwrap_or(""), &e.text))
                .collect();
            let read: Vec<Reading<'_>> = texts
                .iter()
                .map(|t| Reading::new(&l.lex, &l.w, t))
                .collect();
            let featurizer = model::Featurizer::new(&l.lex.lang);
            let data: Vec<(model::Features<'_>, Intent)> = read
                .iter()
                .zip(&mine)
                .map(|(r, e)| {
                    let intent = Intent::parse(&e.intent).unwrap_or(Intent::Other);
                    (r.features(&featurizer), intent)
                })
                .collect();
            l.model = Some(Arc::new(IntentModel::train(featurizer, &data)));
        }
    }

    /// Built-in lexicons, each replaced by `<dir>/<lang>.toml` where that file
    /// exists. The intent models learn from `<dir>/train/*.jsonl` when that
    /// folder exists (empty: rules alone), else from the shipped examples.
    pub fn with_dir(dir: &Path) -> Result<Classifier, ClassifyError> {
        let mut c = Self::from_texts(&lexicon::BUILT_IN)?;
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
            let w = Weights::for_lexicon(&lex);
            let lang = Lang::parse(code).unwrap_or_default();
            c.langs.insert(
                lang,
                Language {
                    lex,
                    w,
                    model: None,
                },
            );
        }
        let train_dir = dir.join("train");
        let examples = if train_dir.is_dir() {
            eval::load(&train_dir)?
        } else {
            model::built_in_examples()
        };
        c.train(&examples);
        Ok(c)
    }

    /// Labels one mention (see [`Classifier::classify_text`]).
    pub fn classify(&self, title: &str, text: &str, lang: Lang, ctx: &Context) -> Labels {
        self.classify_text(&Text::new(title, text), lang, ctx)
    }

    /// Labels one mention. Text in a language without a lexicon (`other`) is
    /// read with the English one: brand names and swear words travel.
    pub fn classify_text(&self, text: &Text<'_>, lang: Lang, ctx: &Context) -> Labels {
        let Some(l) = self.langs.get(&lang).or_else(|| self.langs.get(&Lang::En)) else {
            return Labels {
                sentiment: Sentiment::Neutral,
                sentiment_score: 0.0,
                intent: Intent::Other,
                flags: BTreeSet::new(),
                reasons: BTreeMap::new(),
            };
        };
        Reading::new(&l.lex, &l.w, text).labels(ctx, l.model.as_deref())
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
            title: crate::matcher::normalize_text(title),
            body: crate::matcher::normalize_text(body),
        }
    }

    /// The body's repeat fingerprint ([`repeats::fingerprint`]).
    pub fn fingerprint(&self) -> Option<String> {
        repeats::fingerprint_normalized(&self.body)
    }

    /// Title and body as the automaton scans them, a sentence apart.
    fn padded(&self) -> String {
        let mut padded = lexicon::padded_normalized(&self.title);
        if padded.len() > 1 {
            padded.push_str(lexicon::SENTENCE_BREAK);
            padded.push(' ');
        }
        padded.push_str(lexicon::padded_normalized(&self.body).trim_start());
        padded
    }
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
manual = ["the manual", "instructions"]
"#;

    const ZH: &str = r#"
[flags]
obscene = ["操你", "傻逼", "sb"]
obscene_allow = ["操作", "公共wc"]
obscene_alone = ["草", "艹", "tm", "wc", "md"]
"#;

    fn classify(text: &str, ctx: &Context) -> Labels {
        Classifier::from_texts(&[("en", EN), ("zh", ZH)])
            .unwrap()
            .classify("", text, Lang::En, ctx)
    }

    #[test]
    fn a_complaint_about_the_instructions_gets_the_manual_reason() {
        let ctx = Context::default();
        let l = classify(
            "charged twice, and the instructions never said the fee applies",
            &ctx,
        );
        assert_eq!(l.intent, Intent::Complaint);
        assert!(
            l.reasons["manual"].contains("«instructions»"),
            "{:?}",
            l.reasons
        );
        // Not a complaint: no manual reason (a question about the manual is just a question).
        let q = classify("how do i find the manual for the app?", &ctx);
        assert!(!q.reasons.contains_key("manual"), "{:?}", q.reasons);
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
    fn chinese_swear_words_count_alone_and_never_inside_words() {
        let zh = Classifier::from_texts(&[("zh", ZH)]).unwrap();
        let read = |t: &str| {
            zh.classify("", t, Lang::Zh, &Context::default())
                .has(Flag::Obscene)
        };
        for text in [
            "草 又崩了",
            "艹，宽带又断了",
            "我tm服了",
            "快马我TM服了",
            "草\u{200b} 崩了",
            "wc泰鲁这个月话费怎么198了",
            "md一中午白干",
        ] {
            assert!(read(text), "{text}");
        }
        for text in [
            "买了草莓和草原酸奶",
            "这个操作太复杂",
            "草地上野餐",
            "ATM机取不了钱",
            "页面html乱码",
            "诺德利斯™新卡",
            "7nm芯片",
            "订单号MD1003****8812，显示已送达",
            "机场的公共WC很脏",
        ] {
            assert!(!read(text), "{text}");
        }
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

    #[test]
    fn the_built_in_classifier_learns_intent_and_an_empty_train_dir_keeps_rules() {
        let built_in = Classifier::built_in().unwrap();
        let l = built_in.classify(
            "",
            "Hvornår åbner Nordlys i Aarhus?",
            Lang::Da,
            &Context::default(),
        );
        assert_eq!(l.intent, Intent::Question);
        assert!(l.reasons["intent"].contains("model"), "{:?}", l.reasons);
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("train")).unwrap();
        let rules = Classifier::with_dir(dir.path()).unwrap();
        let l = rules.classify(
            "",
            "Hvornår åbner Nordlys i Aarhus?",
            Lang::Da,
            &Context::default(),
        );
        assert!(!l.reasons["intent"].contains("model"), "{:?}", l.reasons);
    }
}
