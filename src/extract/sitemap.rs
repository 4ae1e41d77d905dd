//! Sitemaps (`<urlset>`), sitemap indexes (`<sitemapindex>`), gzipped
//! sitemaps and plain-text URL lists.
//!
//! The format is tiny and regular, so a flat scan for `<url>`, `<loc>` and
//! `<lastmod>` replaces an XML parser; namespace prefixes, attributes,
//! CDATA, entities, a BOM and stray whitespace are tolerated.

use super::charset;
use super::dates::parse_w3c;
use super::ExtractError;
use chrono::{DateTime, Utc};
use regex::Regex;
use std::collections::HashSet;
use std::io::Read;
use std::sync::LazyLock;
use url::Url;

/// The protocol's own limit on an uncompressed sitemap; a gzip bomb stops here.
const MAX_UNCOMPRESSED: u64 = 50 * 1024 * 1024;

/// Pages listed in a sitemap and nested sitemaps listed in an index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sitemap {
    /// Page URLs with their `<lastmod>`, deduplicated, in order.
    pub pages: Vec<(Url, Option<DateTime<Utc>>)>,
    /// Sitemap URLs from a `<sitemapindex>`.
    pub sitemaps: Vec<Url>,
}

/// Parses a sitemap, a sitemap index, a gzipped one, or a plain-text list
/// of URLs (one per line). Only absolute http(s) URLs are kept.
pub fn parse_sitemap(body: &[u8]) -> Result<Sitemap, ExtractError> {
    let inflated;
    let body = if body.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(body)?;
        inflated.as_slice()
    } else {
        body
    };
    let text = charset::decode(body, None);
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.starts_with('<') {
        parse_xml(trimmed)
    } else {
        parse_plain(trimmed)
    }
}

fn gunzip(body: &[u8]) -> Result<Vec<u8>, ExtractError> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .take(MAX_UNCOMPRESSED + 1)
        .read_to_end(&mut out)
        .map_err(|e| ExtractError::Sitemap {
            reason: format!("broken gzip: {e}"),
        })?;
    if out.len() as u64 > MAX_UNCOMPRESSED {
        return Err(ExtractError::Sitemap {
            reason: format!("larger than {MAX_UNCOMPRESSED} bytes uncompressed"),
        });
    }
    Ok(out)
}

fn parse_xml(text: &str) -> Result<Sitemap, ExtractError> {
    static ROOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"<(?:[\w.-]+:)?(urlset|sitemapindex)\b").expect("static regex")
    });
    let root = ROOT
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
        .ok_or_else(|| ExtractError::Sitemap {
            reason: "no <urlset> or <sitemapindex> root element".to_string(),
        })?;
    let mut sitemap = Sitemap::default();
    let mut seen = HashSet::new();
    for (kind, inner) in elements(text, &["url", "sitemap"]) {
        let Some(url) = child_text(inner, "loc").and_then(|loc| http_url(&loc)) else {
            continue;
        };
        if !seen.insert(url.as_str().to_string()) {
            continue;
        }
        match (root, kind) {
            ("sitemapindex", "sitemap") => sitemap.sitemaps.push(url),
            ("urlset", "url") => {
                let lastmod = child_text(inner, "lastmod").and_then(|l| parse_w3c(&l));
                sitemap.pages.push((url, lastmod));
            }
            _ => {}
        }
    }
    Ok(sitemap)
}

fn parse_plain(text: &str) -> Result<Sitemap, ExtractError> {
    let mut sitemap = Sitemap::default();
    let mut seen = HashSet::new();
    for line in text.lines() {
        if let Some(url) = http_url(line) {
            if seen.insert(url.as_str().to_string()) {
                sitemap.pages.push((url, None));
            }
        }
    }
    if sitemap.pages.is_empty() && !text.trim().is_empty() {
        return Err(ExtractError::Sitemap {
            reason: "neither XML nor a list of http(s) URLs".to_string(),
        });
    }
    Ok(sitemap)
}

/// Text of the first `<loc>` or `<lastmod>` child (any namespace prefix),
/// CDATA and entities resolved.
fn child_text(inner: &str, name: &str) -> Option<String> {
    let names = [name];
    let (_, raw) = elements(inner, &names).next()?;
    let raw = raw.trim();
    let raw = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
        .unwrap_or(raw);
    Some(unescape_xml(raw.trim()))
}

/// The elements of `text` whose local name (after any namespace prefix) is
/// one of `names`, as (name, inner text). Flat: an element ends at the first
/// closing tag of any of `names`, which is all a sitemap needs. A hand-rolled
/// scan: the lazy-capture regex it replaces was a visible share of a crawl.
fn elements<'a>(
    text: &'a str,
    names: &'a [&'a str],
) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        let open = rest.find('<')?;
        rest = &rest[open + 1..];
        let Some((name, _)) = tag_name(rest, names) else {
            continue;
        };
        let Some(gt) = rest.find('>') else {
            rest = "";
            return None;
        };
        let body = &rest[gt + 1..];
        let mut at = 0;
        while let Some(close) = body[at..].find("</") {
            let start = at + close;
            let after = &body[start + 2..];
            if let Some((_, len)) = tag_name(after, names) {
                let tail = &after[len..];
                let spaces = tail.len() - tail.trim_start().len();
                if tail[spaces..].starts_with('>') {
                    rest = &tail[spaces + 1..];
                    return Some((name, &body[..start]));
                }
            }
            at = start + 2;
        }
        rest = "";
        return None;
    })
}

/// The name in `names` that the tag starting at `s` (just after `<` or
/// `</`) has as its local name, and the length of the whole tag name.
fn tag_name<'n>(s: &str, names: &[&'n str]) -> Option<(&'n str, usize)> {
    let is_name = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | ':');
    let len = s.find(|c: char| !is_name(c)).unwrap_or(s.len());
    let full = &s[..len];
    let local = full.rsplit(':').next().unwrap_or(full);
    let name = names.iter().copied().find(|n| *n == local)?;
    Some((name, len))
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

fn http_url(s: &str) -> Option<Url> {
    let url = Url::parse(s.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::io::Write;

    #[test]
    fn urlset_with_lastmod_namespace_and_bom() {
        let xml = "\u{feff}\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
            <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
              <url><loc> https://example.org/blog/nordlys?a=1&amp;b=2 </loc><lastmod>2026-11-20</lastmod></url>\n\
              <url>\n<loc><![CDATA[https://example.org/ru/нордлис]]></loc>\n<lastmod>2026-11-19T10:00:00+03:00</lastmod><changefreq>daily</changefreq></url>\n\
              <url><loc>https://example.org/blog/nordlys?a=1&amp;b=2</loc></url>\n\
              <url><loc>ftp://example.org/file</loc></url>\n\
              <url><loc>not a url</loc></url>\n\
            </urlset>";
        let map = parse_sitemap(xml.as_bytes()).expect("sitemap parses");
        assert!(map.sitemaps.is_empty());
        assert_eq!(map.pages.len(), 2);
        assert_eq!(
            map.pages[0].0.as_str(),
            "https://example.org/blog/nordlys?a=1&b=2"
        );
        assert_eq!(
            map.pages[0].1,
            Some(Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap())
        );
        assert_eq!(
            map.pages[1].0.path(),
            "/ru/%D0%BD%D0%BE%D1%80%D0%B4%D0%BB%D0%B8%D1%81"
        );
        assert_eq!(
            map.pages[1].1,
            Some(Utc.with_ymd_and_hms(2026, 11, 19, 7, 0, 0).unwrap())
        );
    }

    #[test]
    fn elements_are_found_by_local_name_only() {
        let xml = r#"<urlset><urlx><loc>http://a.example/no</loc></urlx>
            <s:url a="1"><s:loc >http://a.example/1</s:loc ></s:url >
            <url><lastmod>2024-01-02</lastmod><loc>http://a.example/2</loc></url>
            <url><loc>http://a.example/3"#;
        let found: Vec<(&str, &str)> = elements(xml, &["url", "sitemap"]).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            child_text(found[0].1, "loc").as_deref(),
            Some("http://a.example/1")
        );
        assert_eq!(
            child_text(found[1].1, "loc").as_deref(),
            Some("http://a.example/2")
        );
        assert_eq!(
            child_text(found[1].1, "lastmod").as_deref(),
            Some("2024-01-02")
        );
    }

    #[test]
    fn sitemap_index_with_prefixed_namespace() {
        let xml = r#"<?xml version="1.0"?>
            <sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sm:sitemap><sm:loc>https://example.org/sitemap-posts.xml</sm:loc><sm:lastmod>2026-11-20</sm:lastmod></sm:sitemap>
              <sm:sitemap><sm:loc>https://example.org/sitemap-pages.xml.gz</sm:loc></sm:sitemap>
            </sm:sitemapindex>"#;
        let map = parse_sitemap(xml.as_bytes()).expect("index parses");
        assert!(map.pages.is_empty());
        let urls: Vec<&str> = map.sitemaps.iter().map(Url::as_str).collect();
        assert_eq!(
            urls,
            [
                "https://example.org/sitemap-posts.xml",
                "https://example.org/sitemap-pages.xml.gz"
            ]
        );
    }

    #[test]
    fn gzipped_and_plain_text_sitemaps() {
        let plain = "https://example.org/a\r\n\n  https://example.org/b  \n# comment\nhttps://example.org/a\n";
        let map = parse_sitemap(plain.as_bytes()).expect("plain parses");
        assert_eq!(map.pages.len(), 2);

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<urlset><url><loc>https://example.org/x</loc></url></urlset>")
            .expect("gzip in memory");
        let bytes = gz.finish().expect("gzip in memory");
        let map = parse_sitemap(&bytes).expect("gzip parses");
        assert_eq!(map.pages[0].0.as_str(), "https://example.org/x");
    }

    #[test]
    fn html_and_garbage_are_errors_but_empty_urlset_is_not() {
        assert!(parse_sitemap(b"<html><body>Not found</body></html>").is_err());
        assert!(parse_sitemap(b"hello world").is_err());
        assert!(parse_sitemap(&[0x1f, 0x8b, 0, 1, 2]).is_err());
        let empty = parse_sitemap(b"<urlset></urlset>").expect("empty is fine");
        assert_eq!(empty, Sitemap::default());
    }
}
