//! The bare baselines: what each step costs with the libraries alone, no
//! Hearsay code in between. Their serial sum bounds a pipeline that does the
//! steps one after another; pipelining may beat it.

use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn Error>>;

/// Bodies per host, in sitemap order.
pub type Bodies = Vec<Vec<Vec<u8>>>;

/// B_fetch: plain reqwest GETs of every page URL. Same budget as the crawler:
/// `hosts_at_once` hosts in flight (its `[crawl].concurrency`), `per_host`
/// requests per host (its page fetches in flight and `per_host_concurrency`).
pub async fn fetch(
    urls: &[Vec<String>],
    hosts_at_once: usize,
    per_host: usize,
) -> Res<(Bodies, Duration)> {
    use futures_util::stream::{self, StreamExt, TryStreamExt};
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_idle_timeout(Duration::from_secs(30))
        .build()?;
    let client = &client;
    let started = Instant::now();
    let mut per_host_bodies: Vec<(usize, Vec<Vec<u8>>)> = stream::iter(urls.iter().enumerate())
        .map(|(h, list)| async move {
            let bodies: Vec<Vec<u8>> = stream::iter(list.iter())
                .map(|url| async move {
                    let resp = client.get(url).send().await?.error_for_status()?;
                    Ok::<_, reqwest::Error>(resp.bytes().await?.to_vec())
                })
                .buffered(per_host)
                .try_collect()
                .await?;
            Ok::<_, reqwest::Error>((h, bodies))
        })
        .buffer_unordered(hosts_at_once)
        .try_collect()
        .await?;
    let took = started.elapsed();
    per_host_bodies.sort_by_key(|(h, _)| *h);
    Ok((per_host_bodies.into_iter().map(|(_, b)| b).collect(), took))
}

/// A page reduced to what a store would keep.
pub struct Extracted {
    pub url: String,
    pub title: String,
    pub text: String,
}

/// B_extract: scraper parse and the text of `<h1>` and `<article>`, one thread.
pub fn extract(urls: &[Vec<String>], bodies: &Bodies) -> Res<(Vec<Vec<Extracted>>, Duration)> {
    let h1 = scraper::Selector::parse("h1").map_err(|e| e.to_string())?;
    let article = scraper::Selector::parse("article").map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut out = Vec::with_capacity(bodies.len());
    for (list, host_bodies) in urls.iter().zip(bodies) {
        let mut host = Vec::with_capacity(host_bodies.len());
        for (url, body) in list.iter().zip(host_bodies) {
            let html = std::str::from_utf8(body)?;
            let doc = scraper::Html::parse_document(html);
            let title = doc
                .select(&h1)
                .next()
                .map(|e| e.text().collect::<String>())
                .unwrap_or_default();
            let text = doc
                .select(&article)
                .flat_map(|e| e.text())
                .collect::<Vec<_>>()
                .join(" ");
            host.push(Extracted {
                url: url.clone(),
                title,
                text,
            });
        }
        out.push(host);
    }
    Ok((out, started.elapsed()))
}

/// B_store: one row per page, one transaction per host (as Hearsay stores one
/// source per transaction), WAL and `synchronous = NORMAL` like Hearsay's store.
pub fn store(dir: &Path, pages: &[Vec<Extracted>]) -> Res<Duration> {
    let conn = rusqlite::Connection::open(dir.join("bare.sqlite"))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(
        "CREATE TABLE pages (id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
                             text TEXT NOT NULL, fetched INTEGER NOT NULL)",
    )?;
    let mut conn = conn;
    let now = chrono::Utc::now().timestamp_millis();
    let started = Instant::now();
    for host in pages {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO pages (url, title, text, fetched) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for p in host {
                insert.execute(rusqlite::params![p.url, p.title, p.text, now])?;
            }
        }
        tx.commit()?;
    }
    Ok(started.elapsed())
}

/// B_index: tantivy adds of one text field (default tokenizer) and one commit,
/// with Hearsay's writer budget (one indexing thread, 64 MB).
pub fn index(dir: &Path, pages: &[Vec<Extracted>]) -> Res<Duration> {
    let mut schema = tantivy::schema::Schema::builder();
    let body = schema.add_text_field("body", tantivy::schema::TEXT);
    let index = tantivy::Index::create_in_dir(dir, schema.build())?;
    let mut writer =
        index.writer_with_num_threads::<tantivy::TantivyDocument>(1, 64 * 1024 * 1024)?;
    let started = Instant::now();
    for p in pages.iter().flatten() {
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(body, format!("{}\n{}", p.title, p.text));
        writer.add_document(doc)?;
    }
    writer.commit()?;
    Ok(started.elapsed())
}
