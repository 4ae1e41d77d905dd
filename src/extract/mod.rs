//! Feeds, pages and sitemaps → items with text, dates, canonical URLs and language.
//!
//! Everything here is a pure function over bytes or strings already fetched by
//! [`crate::crawl`]: no I/O, no global state except the language detector that
//! is built once. Hostile input (wrong charsets, broken XML, deeply nested or
//! truncated HTML) never panics; it yields less data or an [`ExtractError`].
//!
//! - [`charset`]: bytes → `String` (BOM, header, `<meta>`/XML prescan, detector).
//! - [`feed`]: RSS/Atom/JSON Feed via feed-rs, with a sanitising second parse.
//! - [`html`]: one article per page, or many items (comments, reviews) per page.
//! - [`text`]: HTML → plain text with paragraph breaks, boilerplate dropped.
//! - [`dates`]: machine and human dates in Russian, Chinese, Danish, English.
//! - [`urls`]: canonical URLs so one article reached three ways is one mention.
//! - [`sitemap`]: sitemaps and sitemap indexes (XML, gzip or plain text).
//! - [`lang`]: ru / zh / da / en / other, never forcing Norwegian into Danish.

pub mod charset;
pub mod dates;
pub mod feed;
pub mod html;
pub mod lang;
pub mod sitemap;
pub mod text;
pub mod urls;

pub use charset::decode;
pub use dates::parse_date;
pub use feed::{parse_feed, FeedEntry, ParsedFeed};
pub use html::{extract_article, extract_list, extract_page, Article, Links, ListPage, PageItem};
pub use lang::detect_lang;
pub use sitemap::{parse_sitemap, Sitemap};
pub use text::html_to_text;
pub use urls::canonical_url;

/// Why a body could not be turned into items.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The body is not a feed feed-rs can read, even after sanitising it.
    #[error("not a readable RSS, Atom or JSON feed ({reason}); check that the source URL points at the feed itself")]
    Feed { reason: String },
    /// The body is neither an XML sitemap, a sitemap index nor a plain-text URL list.
    #[error("not a readable sitemap ({reason}); check that the source URL points at sitemap.xml or a sitemap index")]
    Sitemap { reason: String },
}

#[cfg(test)]
mod tests {
    //! Hostile input: every entry point on truncated and mutated documents.
    use super::*;
    use crate::config::Selectors;
    use chrono::{TimeZone, Utc};

    const SAMPLES: &[&str] = &[
        r#"<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Т</title><item><title>Нордлис &amp; co</title><link>/a</link><guid>g</guid><pubDate>Fri, 20 Nov 2026 14:32:00 +0300</pubDate><description><![CDATA[<p>текст</p>]]></description></item></channel></rss>"#,
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title>诺德利斯</title><link href="x"/><updated>2026-11-20T00:00:00Z</updated><content type="html">&lt;p&gt;好&lt;/p&gt;</content></entry></feed>"#,
        r#"{"version":"https://jsonfeed.org/version/1.1","title":"j","items":[{"id":"1","url":"/p","content_text":"Nordlys"}]}"#,
        r#"<html lang="da"><head><link rel="canonical" href="/x"><meta property="article:published_time" content="2026-11-20"></head><body><article><h1>Nordlys</h1><p>Godt <a href="/y">link</a></p><time datetime="i går kl. 14.32">x</time></article><div class="c" id="c1"><span class="a">Ole</span><span class="d">3 timer siden</span>Fint</div><a class="n" href="?p=2">n</a></body></html>"#,
        "<urlset><url><loc>https://example.org/a</loc><lastmod>2026-11</lastmod></url></urlset>",
    ];

    #[test]
    fn every_entry_point_survives_truncation_and_mutation() {
        let url = url::Url::parse("https://example.org/feed").expect("url");
        let now = Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap();
        let selectors = Selectors {
            item: ".c".into(),
            author: Some(".a".into()),
            date: Some(".d".into()),
            next: Some("a.n".into()),
            ..Selectors::default()
        };
        let mut state: u64 = 7;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for sample in SAMPLES {
            let bytes = sample.as_bytes();
            for round in 0..60 {
                let mut body = bytes[..next() % (bytes.len() + 1)].to_vec();
                if round % 2 == 1 && !body.is_empty() {
                    for _ in 0..4 {
                        let at = next() % body.len();
                        body[at] = (next() % 256) as u8;
                    }
                }
                let text = decode(&body, None);
                let _ = parse_feed(&body, Some("application/xml"), &url);
                let _ = parse_sitemap(&body);
                let _ = extract_article(&text, &url, now, chrono_tz::Europe::Copenhagen);
                let _ = extract_list(&text, &url, &selectors, now, chrono_tz::Asia::Shanghai);
                let _ = detect_lang(&text, None);
                for start in (0..text.len())
                    .step_by(17)
                    .filter(|i| text.is_char_boundary(*i))
                {
                    let piece: String = text[start..].chars().take(40).collect();
                    let _ = parse_date(&piece, now, chrono_tz::Europe::Moscow);
                }
            }
        }
    }
}
