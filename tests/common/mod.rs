//! Shared test helpers: a loopback fixture web, temp data dirs, configs.
#![allow(dead_code)]

pub mod chromium;
pub mod smtp;
pub mod webdriver;

use hearsay::config::Config;
use hearsay::demo::web::{Reply, Web};
use hearsay::pipeline::{CrawlReport, Crawler};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A loopback web plus a temp data directory.
pub struct Fixture {
    pub web: Web,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub async fn new() -> Fixture {
        let web = Web::start(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("start fixture web");
        Fixture {
            web,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Base URL of the fixture web, without trailing slash.
    pub fn base(&self) -> String {
        self.web.url("/").as_str().trim_end_matches('/').to_string()
    }

    /// Writes a config (brands and sources from `body`, `{base}` replaced) next to the data dir.
    pub fn config_file(&self, body: &str) -> PathBuf {
        let text = format!(
            r#"timezone = "Europe/Moscow"
[storage]
dir = "data"
[crawl]
allow_private_addresses = true
per_host_delay_ms = 0
connect_timeout_ms = 1000
request_timeout_ms = 3000
read_timeout_ms = 2000
retries = 1
retry_base_ms = 10
retry_max_ms = 50
{}
"#,
            body.replace("{base}", &self.base())
        );
        let path = self.dir.path().join("hearsay.toml");
        std::fs::write(&path, text).expect("write config");
        path
    }

    pub fn config(&self, body: &str) -> Config {
        let path = self.config_file(body);
        Config::load(&path).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn html(&self, path: &str, body: &str) {
        self.web.route(
            path,
            Reply::ok("text/html; charset=utf-8", body.as_bytes().to_vec()),
        );
    }

    pub fn xml(&self, path: &str, body: &str) {
        self.web.route(
            path,
            Reply::ok(
                "application/rss+xml; charset=utf-8",
                body.as_bytes().to_vec(),
            ),
        );
    }
}

/// Crawls every source once with a fresh crawler (as a new process would).
pub async fn crawl_once(config: &Config) -> CrawlReport {
    let crawler = Crawler::open(config.clone()).expect("open crawler");
    crawler.crawl_all(None, None).await.expect("crawl")
}

/// The brands' block most tests use.
pub const BRANDS: &str = r#"
[[brands]]
name = "Nordlys"
aliases = ["Нордлис", "诺德利斯"]
exclude = ["nordlys hotel"]
"#;

/// An RSS 2.0 feed; each item: (guid, link, title, description, pubDate).
pub fn rss(items: &[(&str, &str, &str, &str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Fixture</title><link>http://example.org/</link><description>d</description>\n",
    );
    for (guid, link, title, desc, date) in items {
        s.push_str("<item>");
        if !guid.is_empty() {
            s.push_str(&format!("<guid isPermaLink=\"false\">{guid}</guid>"));
        }
        if !link.is_empty() {
            s.push_str(&format!("<link>{link}</link>"));
        }
        s.push_str(&format!(
            "<title>{title}</title><description>{desc}</description>"
        ));
        if !date.is_empty() {
            s.push_str(&format!("<pubDate>{date}</pubDate>"));
        }
        s.push_str("</item>\n");
    }
    s.push_str("</channel></rss>\n");
    s
}

/// A page with comments `(id, author, text)` and an optional next link.
pub fn comments_page(comments: &[(&str, &str, &str)], next: Option<&str>) -> String {
    let mut s = String::from(
        "<html><head><title>Thread</title></head><body><nav>Forum menu Nordlys home</nav><main>",
    );
    for (id, author, text) in comments {
        s.push_str(&format!(
            "<div class=\"comment\" id=\"{id}\"><span class=\"author\">{author}</span><time datetime=\"2026-11-20T10:00:00Z\">20.11</time><p class=\"body\">{text}</p></div>"
        ));
    }
    if let Some(next) = next {
        s.push_str(&format!("<a class=\"next\" href=\"{next}\">next</a>"));
    }
    s.push_str("</main><footer>© Nordlys fan forum</footer></body></html>");
    s
}

pub const LIST_SOURCE: &str = r#"
[[sources]]
name = "forum"
url = "{base}/thread"
kind = "page"
[sources.selectors]
item = "div.comment"
author = ".author"
date = "time"
text = ".body"
next = "a.next"
"#;

/// The real binary against a config, as a user runs it (no colours).
pub fn hearsay(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearsay"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run hearsay")
}

/// A `kind = "page"` source whose comments are `div.comment` blocks with
/// `.author`, `time` and `.body` (as `comments_page` writes them).
pub fn comment_source(name: &str, path: &str) -> String {
    format!(
        r#"
[[sources]]
name = "{name}"
url = "{{base}}{path}"
kind = "page"
[sources.selectors]
item = "div.comment"
author = ".author"
date = "time"
text = ".body"
"#
    )
}

/// A forum thread: comments `(id, author, text, minutes ago)`, dated
/// relative to now (as `comment_source` reads them).
pub fn dated_thread(comments: &[(&str, &str, &str, i64)]) -> String {
    let mut s = String::from("<html><head><title>Thread</title></head><body><main>");
    for (id, author, text, ago) in comments {
        let at = (chrono::Utc::now() - chrono::Duration::minutes(*ago)).to_rfc3339();
        s.push_str(&format!(
            "<div class=\"comment\" id=\"{id}\"><span class=\"author\">{author}</span><time datetime=\"{at}\">{at}</time><p class=\"body\">{text}</p></div>"
        ));
    }
    s.push_str("</main></body></html>");
    s
}

/// Runs a command that must succeed and returns its JSON lines.
pub fn json_lines(config: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = hearsay(config, args);
    assert!(
        out.status.success(),
        "hearsay {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}
