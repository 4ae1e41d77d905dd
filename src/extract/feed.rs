//! RSS 0.9x/1.0/2.0, Atom and JSON Feed via feed-rs, with a sanitising
//! second parse for the broken feeds real sites serve (bare `&`, control
//! characters, HTML entities, junk before the root, a missing RSS version).
//!
//! feed-rs invents an id (a hash of link and title, or a random UUID) for an
//! entry without one; Hearsay's ids must never depend on that, so the parser
//! is built with an id generator that leaves missing ids empty, and an empty
//! id becomes `guid: None`.

use super::charset;
use super::text::{collapse_whitespace, html_to_text};
use super::urls::resolve_http;
use super::ExtractError;
use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Feed, FeedType, Person};
use regex::Regex;
use std::sync::LazyLock;
use url::Url;

/// One feed entry, reduced to what a mention needs.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedEntry {
    /// The entry's own guid / id; `None` when the feed gave none.
    pub guid: Option<String>,
    /// The entry's link, resolved against the feed URL; http(s) only.
    pub link: Option<Url>,
    pub title: String,
    /// Plain text (HTML stripped), full content preferred over the summary.
    pub text: String,
    /// The feed carries only a summary or an obvious teaser: fetch the page for full text.
    pub summary_only: bool,
    /// Entry author's name, else the feed's.
    pub author: Option<String>,
    /// RSS pubDate / dc:date; Atom published, else updated; JSON date_published.
    pub published: Option<DateTime<Utc>>,
}

/// A parsed feed.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedFeed {
    pub title: String,
    pub entries: Vec<FeedEntry>,
}

/// Parses a feed body; on failure tries once more on a sanitised copy and
/// reports the first parse's error if both fail.
pub fn parse_feed(
    body: &[u8],
    content_type: Option<&str>,
    feed_url: &Url,
) -> Result<ParsedFeed, ExtractError> {
    let text = prepare(body, content_type);
    let first_error = match parse_text(&text, feed_url) {
        Ok(feed) => return Ok(convert(feed, feed_url)),
        Err(e) => e,
    };
    let cleaned = sanitise(&text);
    parse_text(&cleaned, feed_url)
        .map(|feed| convert(feed, feed_url))
        .map_err(|_| ExtractError::Feed {
            reason: first_error.to_string(),
        })
}

/// Decodes with our charset rules and removes the XML declaration, whose
/// `encoding` would make quick-xml decode the (now UTF-8) text a second time.
fn prepare(body: &[u8], content_type: Option<&str>) -> String {
    static XML_DECL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*<\?xml[^>]*\?>").expect("static regex"));
    let text = charset::decode(body, content_type);
    match XML_DECL.find(&text) {
        Some(decl) => text.get(decl.end()..).unwrap_or_default().to_string(),
        None => text,
    }
}

fn parse_text(text: &str, feed_url: &Url) -> Result<Feed, feed_rs::parser::ParseFeedError> {
    feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        .id_generator(|_links, _title, _uri| String::new())
        .build()
        .parse(text.as_bytes())
}

/// The second chance: drop junk before the root, characters XML forbids,
/// escape bare `&` and `<`, map HTML entities to character references, and
/// give an `<rss>` root without a known version the version 2.0.
fn sanitise(text: &str) -> String {
    let start = text.find(['<', '{']).unwrap_or(0);
    let text = text.get(start..).unwrap_or_default();
    let allowed = |c: &char| !matches!(*c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if text.starts_with('{') {
        return text.chars().filter(allowed).collect();
    }
    let cleaned: String = text.chars().filter(allowed).collect();
    fix_rss_version(&escape_markup(&cleaned))
}

/// Escapes `&` that does not start a valid reference and `<` that cannot
/// start markup, leaving CDATA sections untouched.
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut rest = text;
    while let Some(pos) = rest.find(['&', '<']) {
        out.push_str(rest.get(..pos).unwrap_or_default());
        let tail = rest.get(pos..).unwrap_or_default();
        if tail.starts_with("<![CDATA[") {
            let end = tail.find("]]>").map_or(tail.len(), |e| e + 3);
            out.push_str(tail.get(..end).unwrap_or_default());
            rest = tail.get(end..).unwrap_or_default();
            continue;
        }
        if let Some(after) = tail.strip_prefix('<') {
            let starts_markup = after
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || matches!(c, '/' | '!' | '?' | '_' | ':'));
            out.push_str(if starts_markup { "<" } else { "&lt;" });
            rest = after;
            continue;
        }
        let after = tail.get(1..).unwrap_or_default();
        let (replacement, consumed) = reference_replacement(after);
        out.push_str(&replacement);
        rest = after.get(consumed..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// What to write for an `&` followed by `after`, and how many bytes of
/// `after` that replaces: `&` when a valid XML reference follows, a numeric
/// reference for a known HTML entity name, else `&amp;`.
fn reference_replacement(after: &str) -> (String, usize) {
    static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|([A-Za-z][A-Za-z0-9]{0,31}));")
            .expect("static regex")
    });
    let Some(c) = REFERENCE.captures(after) else {
        return ("&amp;".to_string(), 0);
    };
    let Some(name) = c.get(1).map(|m| m.as_str()) else {
        return ("&".to_string(), 0);
    };
    if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
        return ("&".to_string(), 0);
    }
    match html_entity(name) {
        // "&#8230" replaces "&hellip"; the ';' stays in the input.
        Some(code) => (format!("&#{code}"), name.len()),
        None => ("&amp;".to_string(), 0),
    }
}

/// The HTML entities that turn up in feeds (XML knows only five).
fn html_entity(name: &str) -> Option<u32> {
    Some(match name {
        "nbsp" => 160,
        "iexcl" => 161,
        "copy" => 169,
        "laquo" => 171,
        "shy" => 173,
        "reg" => 174,
        "deg" => 176,
        "middot" => 183,
        "raquo" => 187,
        "times" => 215,
        "ndash" => 8211,
        "mdash" => 8212,
        "lsquo" => 8216,
        "rsquo" => 8217,
        "sbquo" => 8218,
        "ldquo" => 8220,
        "rdquo" => 8221,
        "bdquo" => 8222,
        "bull" => 8226,
        "hellip" => 8230,
        "euro" => 8364,
        "trade" => 8482,
        _ => return None,
    })
}

/// feed-rs reads `<rss>` only with version 2.0, 0.91 or 0.92.
fn fix_rss_version(text: &str) -> String {
    static RSS_ROOT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"<rss\b([^>]*)>").expect("static regex"));
    static VERSION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"\sversion\s*=\s*["']([^"']*)["']"#).expect("static regex"));
    let Some(root) = RSS_ROOT.captures(text) else {
        return text.to_string();
    };
    let (Some(whole), Some(attrs)) = (root.get(0), root.get(1)) else {
        return text.to_string();
    };
    let version = VERSION.captures(attrs.as_str()).and_then(|c| c.get(1));
    if matches!(version.map(|v| v.as_str()), Some("2.0" | "0.91" | "0.92")) {
        return text.to_string();
    }
    let attrs = VERSION.replace_all(attrs.as_str(), "");
    format!(
        "{}<rss version=\"2.0\"{}>{}",
        text.get(..whole.start()).unwrap_or_default(),
        attrs,
        text.get(whole.end()..).unwrap_or_default()
    )
}

fn convert(feed: Feed, feed_url: &Url) -> ParsedFeed {
    let feed_author = first_name(&feed.authors);
    let title = feed
        .title
        .as_ref()
        .map(|t| one_line(&t.content))
        .unwrap_or_default();
    let is_atom = feed.feed_type == FeedType::Atom;
    let entries = feed
        .entries
        .into_iter()
        .map(|entry| convert_entry(entry, feed_url, is_atom, feed_author.as_deref()))
        .collect();
    ParsedFeed { title, entries }
}

fn convert_entry(
    entry: Entry,
    feed_url: &Url,
    is_atom: bool,
    feed_author: Option<&str>,
) -> FeedEntry {
    let guid = Some(entry.id.trim().to_string()).filter(|id| !id.is_empty());
    // RSS: a guid is a permalink unless isPermaLink="false", which feed-rs
    // does not expose; an absolute http(s) guid is the best link left.
    let link = entry_link(&entry, feed_url).or_else(|| {
        let guid = guid.as_deref().filter(|_| !is_atom)?;
        Url::parse(guid)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
    });
    let title = entry
        .title
        .as_ref()
        .map(|t| one_line(&t.content))
        .unwrap_or_default();
    let content = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .map(html_to_text)
        .filter(|t| !t.is_empty());
    let summary = entry
        .summary
        .as_ref()
        .map(|s| html_to_text(&s.content))
        .filter(|t| !t.is_empty());
    let has_full_content = content.is_some();
    let text = content.or(summary).unwrap_or_default();
    let summary_only = !has_full_content || looks_like_teaser(&text);
    let author = first_name(&entry.authors).or_else(|| feed_author.map(str::to_string));
    // RSS sets `updated` from pubDate, so only Atom's own <updated> counts.
    let published = if is_atom {
        entry.published.or(entry.updated)
    } else {
        entry.published
    };
    FeedEntry {
        guid,
        link,
        title,
        text,
        summary_only,
        author,
        published,
    }
}

/// The alternate (or only) link of an entry, resolved against the feed URL.
fn entry_link(entry: &Entry, feed_url: &Url) -> Option<Url> {
    let is_alternate = |rel: Option<&str>| rel.is_none_or(|r| r.eq_ignore_ascii_case("alternate"));
    entry
        .links
        .iter()
        .filter(|l| is_alternate(l.rel.as_deref()))
        .chain(entry.links.iter())
        .find_map(|l| resolve_http(feed_url, &l.href))
}

/// The first usable name; "mail@example.org (Name)" becomes "Name".
fn first_name(people: &[Person]) -> Option<String> {
    people.iter().find_map(|p| {
        // feed-rs reads RSS 2.0 `<author>` as an e-mail address: the text goes
        // to `email` and the name is the placeholder "author", whether the
        // text is "Ivan Petrov" or "ivan@example.org (Ivan Petrov)".
        let raw = match &p.email {
            Some(email) if p.name == "author" => email,
            _ => &p.name,
        };
        let name = one_line(raw);
        let name = match (name.find('('), name.rfind(')')) {
            (Some(open), Some(close)) if open < close && name.contains('@') => name
                .get(open + 1..close)
                .map(str::trim)
                .unwrap_or_default()
                .to_string(),
            _ => name,
        };
        Some(name).filter(|n| !n.is_empty())
    })
}

/// Entry or feed titles may carry markup or entities; one line of plain text.
fn one_line(s: &str) -> String {
    collapse_whitespace(&html_to_text(s))
}

/// Text that announces it continues elsewhere.
fn looks_like_teaser(text: &str) -> bool {
    const MARKERS: &[&str] = &[
        "…",
        "...",
        "[…]",
        "[...]",
        "read more",
        "continue reading",
        "читать далее",
        "читать дальше",
        "подробнее",
        "阅读全文",
        "阅读更多",
        "læs mere",
        "les mer",
        "läs mer",
    ];
    let tail: String = text
        .trim_end()
        .trim_end_matches(['»', '→', '>', '.', ' '])
        .chars()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    let tail_raw = text.trim_end();
    MARKERS.iter().any(|m| tail.ends_with(m))
        || tail_raw.ends_with("...")
        || tail_raw.ends_with('…')
}

#[cfg(test)]
#[path = "feed_tests.rs"]
mod tests;
