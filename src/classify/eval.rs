//! Scores the classifier against a labelled set (`tests/data/classify/`):
//! intent accuracy and macro-F1 per language, precision and recall per flag.
//! `hearsay eval DIR` prints it; the test suite asserts the floors on the
//! held-out half, which no rule was tuned on.

use super::repeats::{Histories, Post};
use super::{Classifier, ClassifyError, Flag, Intent, Labels, Sentiment};
use crate::model::Lang;
use crate::store::AuthorHistory;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One labelled mention, as the set's JSON lines hold it.
#[derive(Clone, Debug, Deserialize)]
pub struct Example {
    pub id: String,
    pub lang: String,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub thread: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub published: String,
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
    pub intent: String,
    pub sentiment: String,
    #[serde(default)]
    pub flags: Vec<String>,
}

/// The flags a labelled set carries (`needs_reply` is derived, not labelled).
pub fn scored_flags() -> impl Iterator<Item = Flag> {
    Flag::ALL.into_iter().filter(|f| *f != Flag::NeedsReply)
}

/// Reads every `*.jsonl` in `dir`, checking each line's labels.
pub fn load(dir: &Path) -> Result<Vec<Example>, ClassifyError> {
    let read_err = |path: &Path, source| ClassifyError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| read_err(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| read_err(&path, e))?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let bad = |reason: String| ClassifyError::Data {
                path: path.clone(),
                line: n + 1,
                reason,
            };
            let ex: Example = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
            if Intent::parse(&ex.intent).is_none() {
                return Err(bad(format!("unknown intent `{}`", ex.intent)));
            }
            if Sentiment::parse(&ex.sentiment).is_none() {
                return Err(bad(format!("unknown sentiment `{}`", ex.sentiment)));
            }
            if let Some(f) = ex.flags.iter().find(|f| Flag::parse(f).is_none()) {
                return Err(bad(format!("unknown flag `{f}`")));
            }
            out.push(ex);
        }
    }
    Ok(out)
}

/// Classifies every example with the context a crawl would have had: per
/// language, in time order, first posts and repeats as the store tracks them.
pub fn predict(classifier: &Classifier, examples: &[Example]) -> Vec<Labels> {
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&examples[a], &examples[b]);
        (&x.lang, &x.published, &x.id).cmp(&(&y.lang, &y.published, &y.id))
    });
    // One history per language: the sets are separate crawls.
    let mut histories: BTreeMap<String, Histories> = BTreeMap::new();
    let mut out: Vec<Option<Labels>> = vec![None; examples.len()];
    for i in order {
        let ex = &examples[i];
        let text = super::Text::new(ex.title.as_deref().unwrap_or(""), &ex.text);
        let print = text.fingerprint();
        let post = Post {
            id: &ex.id,
            author: &ex.author,
            thread: &ex.thread,
            fingerprint: print.as_deref(),
        };
        let history = histories.entry(ex.lang.clone()).or_default();
        let ctx = history.context(&post, &AuthorHistory::default());
        let lang = Lang::parse(&ex.lang).unwrap_or_default();
        let labels = classifier.classify_text(&text, lang, &ctx);
        history.record(&post, &labels);
        out[i] = Some(labels);
    }
    out.into_iter().flatten().collect()
}

/// Precision and recall of one flag.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    /// Pools `other` into these counts.
    pub fn add(&mut self, other: &Counts) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// 1.0 when there was nothing to find: an empty class is not a failure.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores of one language.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LangReport {
    pub n: usize,
    pub intent_accuracy: f64,
    pub intent_macro_f1: f64,
    pub sentiment_accuracy: f64,
    pub intents: BTreeMap<String, Counts>,
    pub flags: BTreeMap<String, Counts>,
    /// Misread examples: id, what was expected, what came out.
    #[serde(skip)]
    pub errors: Vec<String>,
}

/// Scores per language.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub langs: BTreeMap<String, LangReport>,
}

/// Compares predictions with the labels.
pub fn score(examples: &[Example], predicted: &[Labels]) -> Report {
    let mut report = Report::default();
    for (ex, got) in examples.iter().zip(predicted) {
        let r = report.langs.entry(ex.lang.clone()).or_default();
        r.n += 1;
        let gold_intent = Intent::parse(&ex.intent).unwrap_or(Intent::Other);
        if gold_intent == got.intent {
            r.intent_accuracy += 1.0;
        }
        if Sentiment::parse(&ex.sentiment) == Some(got.sentiment) {
            r.sentiment_accuracy += 1.0;
        }
        for i in Intent::ALL {
            let c = r.intents.entry(i.as_str().into()).or_default();
            match (gold_intent == i, got.intent == i) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                _ => {}
            }
        }
        let mut wrong = Vec::new();
        if gold_intent != got.intent {
            wrong.push(format!(
                "intent {} → {}",
                gold_intent.as_str(),
                got.intent.as_str()
            ));
        }
        for f in scored_flags() {
            let gold = ex.flags.iter().any(|g| g == f.as_str());
            let c = r.flags.entry(f.as_str().into()).or_default();
            match (gold, got.has(f)) {
                (true, true) => c.tp += 1,
                (false, true) => {
                    c.fp += 1;
                    wrong.push(format!("+{}", f.as_str()));
                }
                (true, false) => {
                    c.fn_ += 1;
                    wrong.push(format!("-{}", f.as_str()));
                }
                _ => {}
            }
        }
        if !wrong.is_empty() {
            let text: String = ex.text.chars().take(140).collect();
            r.errors.push(format!(
                "{}: {}\n    {}\n    why: {}",
                ex.id,
                wrong.join(", "),
                text.replace('\n', " "),
                got.reasons.get("intent").cloned().unwrap_or_default()
            ));
        }
    }
    for r in report.langs.values_mut() {
        let n = r.n.max(1) as f64;
        r.intent_accuracy /= n;
        r.sentiment_accuracy /= n;
        let present: Vec<&Counts> = r.intents.values().filter(|c| c.tp + c.fn_ > 0).collect();
        r.intent_macro_f1 =
            present.iter().map(|c| c.f1()).sum::<f64>() / present.len().max(1) as f64;
    }
    report
}

impl Report {
    /// The Markdown tables BENCHMARKS.md quotes.
    pub fn markdown(&self) -> String {
        let mut s = String::from(
            "| Language | n | intent accuracy | intent macro-F1 | sentiment accuracy |\n|---|---|---|---|---|\n",
        );
        for (lang, r) in &self.langs {
            s.push_str(&format!(
                "| {lang} | {} | {:.3} | {:.3} | {:.3} |\n",
                r.n, r.intent_accuracy, r.intent_macro_f1, r.sentiment_accuracy
            ));
        }
        s.push_str("\nFlag precision / recall (support) per language:\n\n| Flag |");
        for lang in self.langs.keys() {
            s.push_str(&format!(" {lang} |"));
        }
        s.push_str("\n|---|");
        s.push_str(&"---|".repeat(self.langs.len()));
        s.push('\n');
        for f in scored_flags() {
            s.push_str(&format!("| {} |", f.as_str()));
            for r in self.langs.values() {
                let c = r.flags.get(f.as_str()).cloned().unwrap_or_default();
                s.push_str(&format!(
                    " {:.2} / {:.2} ({}) |",
                    c.precision(),
                    c.recall(),
                    c.tp + c.fn_
                ));
            }
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_is_named_by_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let good = r#"{"id":"x-1","lang":"en","text":"Nordlys?","intent":"question","sentiment":"neutral"}"#;
        let bad =
            r#"{"id":"x-2","lang":"en","text":"Nordlys!","intent":"rant","sentiment":"neutral"}"#;
        std::fs::write(dir.path().join("en.jsonl"), format!("{good}\n{bad}\n")).unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("en.jsonl:2"), "{err}");
        assert!(err.contains("unknown intent `rant`"), "{err}");
        std::fs::write(dir.path().join("en.jsonl"), format!("{good}\n")).unwrap();
        assert_eq!(load(dir.path()).unwrap().len(), 1);
    }
}
