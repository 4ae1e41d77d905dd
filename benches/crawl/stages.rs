//! Hearsay's own per-page stages, timed one at a time on one thread over the
//! bodies B_fetch fetched: where the end-to-end time goes, beside the bare
//! baselines. Informational (no gate). lingua loads its models lazily: a
//! warm-up pass (timed apart) loads them, so this step and the end-to-end
//! crawl after it measure the steady state.

use crate::baselines::Bodies;
use hearsay::config::BrandConfig;
use hearsay::matcher::Matcher;
use std::error::Error;
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn Error>>;

pub struct Stages {
    /// `extract::decode` + `extract::extract_article`.
    pub extract: Duration,
    /// `extract::detect_lang` on title + text.
    pub lang: Duration,
    /// `Matcher::find` on title and text.
    pub matching: Duration,
    /// Pages in which the matcher found a brand.
    pub matched: usize,
    /// `Classifier::classify` on the matched pages (no author history), the
    /// fastest of three passes: what classification costs a crawl, apart
    /// from storing the labels.
    pub classify: Duration,
    /// `detect_lang` over the first 200 texts, untimed in `lang`: lingua
    /// loads its models lazily on first use, once per process.
    pub lang_warmup: Duration,
}

pub fn run(urls: &[Vec<String>], bodies: &Bodies, brands: &[BrandConfig]) -> Res<Stages> {
    let now = chrono::Utc::now();
    let mut articles = Vec::new();
    let t = Instant::now();
    for (list, host) in urls.iter().zip(bodies) {
        for (url, body) in list.iter().zip(host) {
            let url = url::Url::parse(url)?;
            let html = hearsay::extract::decode(body, Some("text/html; charset=utf-8"));
            let a = hearsay::extract::extract_article(&html, &url, now, chrono_tz::UTC);
            articles.push((a.title, a.text));
        }
    }
    let extract = t.elapsed();
    let t = Instant::now();
    for (title, text) in articles.iter().take(200) {
        std::hint::black_box(hearsay::extract::detect_lang(
            &format!("{title}\n{text}"),
            None,
        ));
    }
    let lang_warmup = t.elapsed();
    let t = Instant::now();
    let mut langs = 0usize;
    for (title, text) in &articles {
        let sample = format!("{title}\n{text}");
        langs += hearsay::extract::detect_lang(&sample, None) as usize;
    }
    let lang = t.elapsed();
    std::hint::black_box(langs);
    let matcher = Matcher::new(brands)?;
    let t = Instant::now();
    let mentions: Vec<&(String, String)> = articles
        .iter()
        .filter(|(title, text)| !matcher.find(title, text).is_empty())
        .collect();
    let matching = t.elapsed();
    let matched = mentions.len();
    // Trained before the clock starts, as a crawler is before it crawls.
    let classifier = hearsay::classify::Classifier::built_in()?;
    let langs: Vec<hearsay::model::Lang> = mentions
        .iter()
        .map(|(title, text)| hearsay::extract::detect_lang(&format!("{title}\n{text}"), None))
        .collect();
    let ctx = hearsay::classify::Context::default();
    // The fastest of three passes: one pass is short enough for a noisy
    // neighbour to double it.
    let classify = (0..3)
        .map(|_| {
            let t = Instant::now();
            for ((title, text), lang) in mentions.iter().zip(&langs) {
                std::hint::black_box(classifier.classify(title, text, *lang, &ctx));
            }
            t.elapsed()
        })
        .min()
        .unwrap_or_default();
    Ok(Stages {
        extract,
        lang,
        matching,
        matched,
        classify,
        lang_warmup,
    })
}
