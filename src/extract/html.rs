//! HTML pages → one article, or many items (comments, reviews) per page.
//!
//! Only the main content counts: navigation, sidebars, footers, share
//! buttons, cookie banners, bylines and link URLs are dropped before the
//! matcher sees the text, so a brand in a menu is not a mention.

use super::dates::parse_date;
use super::text::{collapse_whitespace, element_text, is_never_text};
use super::urls::{canonical_permalink, canonical_url, resolve_http};
use crate::config::Selectors;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use scraper::{ElementRef, Html, Selector};
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

/// The main content of an article page and what the crawler needs from it.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    pub canonical: Url,
    pub title: String,
    pub text: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub html_lang: Option<String>,
}

/// Where a page leads, for the site walker only: resolving every `<a href>`
/// of every page a feed or sitemap names would be work thrown away.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Links {
    /// `<link rel=alternate>` RSS, Atom and JSON feeds, for feed auto-discovery.
    pub feeds: Vec<Url>,
    /// Absolute http(s) `<a href>` targets, fragments dropped, deduplicated, in order.
    pub links: Vec<Url>,
}

/// One comment or review on a list page.
#[derive(Clone, Debug, PartialEq)]
pub struct PageItem {
    /// DOM id of the item, or of an `<a name>` / element id inside it.
    pub anchor: Option<String>,
    /// The item's own link (selector `permalink`), else the page's canonical URL plus `#anchor`.
    pub permalink: Option<Url>,
    pub title: Option<String>,
    pub text: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
}

/// A page split into items by configured selectors.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPage {
    pub canonical: Url,
    pub title: String,
    pub items: Vec<PageItem>,
    /// The next page of the list, if any (never the page itself).
    pub next: Option<Url>,
}

/// Compiles a selector written in this file; they are all valid.
fn sel(css: &'static str) -> Selector {
    Selector::parse(css).unwrap_or_else(|_| panic!("static selector {css} must parse"))
}

macro_rules! selector {
    ($css:literal) => {{
        static SELECTOR: LazyLock<Selector> = LazyLock::new(|| sel($css));
        &*SELECTOR
    }};
}

/// Extracts the main content and metadata of an article page.
pub fn extract_article(html: &str, page_url: &Url, now: DateTime<Utc>, tz: Tz) -> Article {
    let doc = Html::parse_document(html);
    let base = document_base(&doc, page_url);
    article_of(&doc, &base, page_url, now, tz)
}

/// [`extract_article`] plus the page's feeds and links, from one parse.
pub fn extract_page(html: &str, page_url: &Url, now: DateTime<Utc>, tz: Tz) -> (Article, Links) {
    let doc = Html::parse_document(html);
    let base = document_base(&doc, page_url);
    let links = Links {
        feeds: feed_links(&doc, &base),
        links: page_links(&doc, &base),
    };
    (article_of(&doc, &base, page_url, now, tz), links)
}

fn article_of(doc: &Html, base: &Url, page_url: &Url, now: DateTime<Utc>, tz: Tz) -> Article {
    let main = main_content(doc);

    let strict = |e: ElementRef<'_>| is_boilerplate(e, Mode::Article);
    let mut text = element_text(main, &strict);
    if text.is_empty() {
        // A layout wrapper with a class like "has-sidebar" can swallow
        // everything; tag and role rules alone are better than nothing.
        text = element_text(main, &|e| is_structural_boilerplate(e, Mode::Article));
    }

    let title = meta_content(
        doc,
        selector!(r#"meta[property="og:title"], meta[name="og:title"]"#),
    )
    .or_else(|| first_text(main, selector!("h1")))
    .or_else(|| first_text(doc.root_element(), selector!("title")))
    .or_else(|| first_text(doc.root_element(), selector!("h1")))
    .unwrap_or_default();

    Article {
        canonical: canonical_of(doc, base, page_url),
        title,
        text,
        author: article_author(doc, main),
        published: article_published(doc, main, now, tz),
        html_lang: doc
            .root_element()
            .attr("lang")
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string),
    }
}

/// Splits a page into items with the configured selectors. Each selector
/// except `item` (and `next`, which is page-wide) is evaluated inside the
/// item, ignoring matches that belong to an item nested inside it (threaded
/// comments), so a reply's text never counts twice.
pub fn extract_list(
    html: &str,
    page_url: &Url,
    selectors: &Selectors,
    now: DateTime<Utc>,
    tz: Tz,
) -> ListPage {
    let doc = Html::parse_document(html);
    let base = document_base(&doc, page_url);
    let canonical = canonical_of(&doc, &base, page_url);
    let title = meta_content(&doc, selector!(r#"meta[property="og:title"]"#))
        .or_else(|| first_text(doc.root_element(), selector!("title")))
        .or_else(|| first_text(doc.root_element(), selector!("h1")))
        .unwrap_or_default();
    let compiled = CompiledSelectors::new(selectors);

    let items: Vec<ElementRef<'_>> = match &compiled.item {
        Some(item) => doc.select(item).collect(),
        None => Vec::new(),
    };
    let item_ids: HashSet<_> = items.iter().map(|e| e.id()).collect();
    let is_item = |e: ElementRef<'_>| item_ids.contains(&e.id());

    let items = items
        .iter()
        .filter_map(|&item| list_item(item, &compiled, &is_item, &base, &canonical, now, tz))
        .collect();
    let next = next_page(&doc, compiled.next.as_ref(), &base).filter(|next| {
        canonical_url(next) != canonical && canonical_url(next) != canonical_url(page_url)
    });
    ListPage {
        canonical,
        title,
        items,
        next,
    }
}

/// The configured selectors, compiled once per page; an invalid one (the
/// config validates them, so only from code) matches nothing.
struct CompiledSelectors {
    item: Option<Selector>,
    text: Option<Selector>,
    author: Option<Selector>,
    date: Option<Selector>,
    title: Option<Selector>,
    permalink: Option<Selector>,
    next: Option<Selector>,
}

impl CompiledSelectors {
    fn new(s: &Selectors) -> Self {
        let compile = |css: Option<&String>| css.and_then(|c| Selector::parse(c).ok());
        CompiledSelectors {
            item: compile(Some(&s.item)),
            text: compile(s.text.as_ref()),
            author: compile(s.author.as_ref()),
            date: compile(s.date.as_ref()),
            title: compile(s.title.as_ref()),
            permalink: compile(s.permalink.as_ref()),
            next: compile(s.next.as_ref()),
        }
    }
}

fn list_item(
    item: ElementRef<'_>,
    sel: &CompiledSelectors,
    is_item: &dyn Fn(ElementRef<'_>) -> bool,
    base: &Url,
    canonical: &Url,
    now: DateTime<Utc>,
    tz: Tz,
) -> Option<PageItem> {
    // Matches of a sub-selector that belong to this item, not to a nested one.
    let own = |selector: Option<&Selector>| -> Vec<ElementRef<'_>> {
        let Some(selector) = selector else {
            return Vec::new();
        };
        item.select(selector)
            .filter(|found| owner_item(*found, is_item) == Some(item))
            .collect()
    };
    let authors = own(sel.author.as_ref());
    let dates = own(sel.date.as_ref());
    let titles = own(sel.title.as_ref());
    let permalinks = own(sel.permalink.as_ref());
    let text_nodes = own(sel.text.as_ref());

    let author = authors
        .first()
        .map(|e| short_text(*e))
        .filter(|a| !a.is_empty());
    let title = titles
        .first()
        .map(|e| short_text(*e))
        .filter(|t| !t.is_empty());
    let published = dates.iter().find_map(|e| element_date(*e, now, tz));

    let skip_in_item = |e: ElementRef<'_>| {
        is_item(e)
            || is_boilerplate(e, Mode::List)
            || authors.contains(&e)
            || dates.contains(&e)
            || titles.contains(&e)
            || permalinks.contains(&e)
    };
    let text = if sel.text.is_some() {
        text_nodes
            .iter()
            .map(|e| {
                element_text(*e, &|inner| {
                    is_item(inner) || is_boilerplate(inner, Mode::List)
                })
            })
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        let text = element_text(item, &skip_in_item);
        if text.is_empty() {
            // Class names can be too eager here too; fall back to the structural rules.
            element_text(item, &|e| {
                is_item(e)
                    || is_structural_boilerplate(e, Mode::List)
                    || authors.contains(&e)
                    || dates.contains(&e)
                    || titles.contains(&e)
                    || permalinks.contains(&e)
            })
        } else {
            text
        }
    };
    if text.is_empty() && title.is_none() {
        return None;
    }

    let anchor = item_anchor(item, is_item);
    let permalink = permalinks
        .iter()
        .find_map(|e| link_of(*e))
        .and_then(|href| resolve_http(base, href))
        .map(|url| canonical_permalink(&url))
        .or_else(|| {
            let anchor = anchor.as_deref()?;
            let mut url = canonical.clone();
            url.set_fragment(Some(anchor));
            Some(url)
        });
    Some(PageItem {
        anchor,
        permalink,
        title,
        text,
        author,
        published,
    })
}

/// The nearest item that contains `element` (excluding `element` itself).
fn owner_item<'a>(
    element: ElementRef<'a>,
    is_item: &dyn Fn(ElementRef<'_>) -> bool,
) -> Option<ElementRef<'a>> {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|ancestor| is_item(*ancestor))
}

/// The item's id, else the first `<a name>` or id inside it that is not in a nested item.
fn item_anchor(item: ElementRef<'_>, is_item: &dyn Fn(ElementRef<'_>) -> bool) -> Option<String> {
    let clean = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(id) = item.value().id().and_then(clean) {
        return Some(id);
    }
    item.select(selector!("a[name], [id]"))
        .filter(|e| owner_item(*e, is_item) == Some(item))
        .find_map(|e| e.value().id().or_else(|| e.attr("name")).and_then(clean))
}

/// `href` of the element, or of the first link inside it.
fn link_of(element: ElementRef<'_>) -> Option<&str> {
    element
        .attr("href")
        .or_else(|| element.select(selector!("a[href]")).next()?.attr("href"))
}

/// A date element: `datetime`, `content` and `title` attributes first (they
/// hold the full date while the text says "3 hours ago"), then the text.
fn element_date(element: ElementRef<'_>, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    ["datetime", "content", "title"]
        .iter()
        .filter_map(|attr| element.attr(attr))
        .find_map(|value| parse_date(value, now, tz))
        .or_else(|| parse_date(&short_text(element), now, tz))
}

fn next_page(doc: &Html, configured: Option<&Selector>, base: &Url) -> Option<Url> {
    let href = match configured {
        Some(selector) => doc.select(selector).find_map(link_of),
        None => doc
            .select(selector!(
                r#"link[rel~="next"][href], a[rel~="next"][href]"#
            ))
            .find_map(|e| e.attr("href")),
    }?;
    let mut next = resolve_http(base, href)?;
    next.set_fragment(None);
    Some(next)
}

/// What kind of page the boilerplate rules are cleaning.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An article: comment threads and bylines are not part of its text.
    Article,
    /// A comment or review: the item itself may be called "comment".
    List,
}

/// Tag, role and attribute rules: always safe to apply.
fn is_structural_boilerplate(e: ElementRef<'_>, mode: Mode) -> bool {
    const TAGS: &[&str] = &[
        "nav", "header", "footer", "aside", "form", "menu", "dialog", "script", "style",
        "noscript", "template",
    ];
    const ROLES: &[&str] = &[
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "menu",
        "menubar",
        "dialog",
        "alertdialog",
    ];
    let element = e.value();
    if is_never_text(e) || element.attr("hidden").is_some() {
        return true;
    }
    // A comment's own <header>/<footer> holds its author and date: dropped as
    // bylines below in article mode, but in a list item it is the author
    // selector's job, and the footer often holds the "reply" link only.
    if mode == Mode::Article && TAGS.contains(&element.name()) {
        return true;
    }
    if mode == Mode::List && matches!(element.name(), "nav" | "form" | "menu" | "dialog") {
        return true;
    }
    let attr_is = |name: &str, values: &[&str]| {
        element
            .attr(name)
            .is_some_and(|v| values.iter().any(|x| v.trim().eq_ignore_ascii_case(x)))
    };
    attr_is("role", ROLES)
        || attr_is("aria-hidden", &["true"])
        || attr_is("rel", &["author"])
        || attr_is("itemprop", &["author"])
}

/// Structural rules plus class/id names that mark navigation, sidebars,
/// share buttons, cookie banners, comment forms and bylines.
fn is_boilerplate(e: ElementRef<'_>, mode: Mode) -> bool {
    if is_structural_boilerplate(e, mode) {
        return true;
    }
    let element = e.value();
    let names = element
        .attr("class")
        .unwrap_or_default()
        .split_whitespace()
        .chain(element.id());
    names
        .into_iter()
        .any(|name| is_boilerplate_name(name, mode))
}

/// Matches class or id names word by word ("site-nav", "sidebar_left",
/// "share-buttons"), ignoring state classes ("has-sidebar").
fn is_boilerplate_name(name: &str, mode: Mode) -> bool {
    const WORDS: &[&str] = &[
        "nav",
        "navbar",
        "navigation",
        "menu",
        "sidebar",
        "footer",
        "breadcrumb",
        "breadcrumbs",
        "share",
        "sharing",
        "social",
        "cookie",
        "cookies",
        "consent",
        "banner",
        "advert",
        "ads",
        "promo",
        "newsletter",
        "subscribe",
        "popup",
        "modal",
        "widget",
        "pagination",
        "pager",
        "related",
        "byline",
        "author",
        "respond",
        "skip",
        "meta",
        "reply",
        "actions",
        "vote",
        "votes",
    ];
    const ARTICLE_WORDS: &[&str] = &["comment", "comments", "commentform", "disqus"];
    let name = name.to_ascii_lowercase();
    if ["has-", "with-", "no-", "is-"]
        .iter()
        .any(|p| name.starts_with(p))
    {
        return false;
    }
    if name.contains("comment-form")
        || name.contains("comment_form")
        || name.contains("commentform")
    {
        return true;
    }
    name.split(['-', '_']).any(|word| {
        WORDS.contains(&word) || (mode == Mode::Article && ARTICLE_WORDS.contains(&word))
    })
}

/// `<article>` (the longest outermost one), `[itemprop=articleBody]`,
/// `<main>`, `[role=main]`, else `<body>`.
fn main_content(doc: &Html) -> ElementRef<'_> {
    let articles: Vec<ElementRef<'_>> = doc
        .select(selector!("article"))
        .filter(|a| {
            !a.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|p| p.value().name() == "article" || is_boilerplate(p, Mode::Article))
        })
        .collect();
    let longest = articles
        .into_iter()
        .max_by_key(|a| a.text().map(str::len).sum::<usize>());
    longest
        .or_else(|| doc.select(selector!(r#"[itemprop="articleBody"]"#)).next())
        .or_else(|| doc.select(selector!("main")).next())
        .or_else(|| doc.select(selector!(r#"[role="main"]"#)).next())
        .or_else(|| doc.select(selector!("body")).next())
        .unwrap_or_else(|| doc.root_element())
}

fn article_author(doc: &Html, main: ElementRef<'_>) -> Option<String> {
    // In order of trust, each read only if those before gave nothing usable
    // (every one is a walk of the whole page).
    let candidates: [&dyn Fn() -> Option<String>; 5] = [
        &|| meta_content(doc, selector!(r#"meta[name="author"]"#)),
        &|| {
            meta_content(doc, selector!(r#"meta[property="article:author"]"#))
                .filter(|a| Url::parse(a).is_err())
        },
        &|| {
            doc.select(selector!(r#"[itemprop="author"]"#))
                .next()
                .and_then(|e| {
                    first_text(e, selector!(r#"[itemprop="name"]"#))
                        .or_else(|| e.attr("content").map(collapse_whitespace))
                        .or_else(|| Some(short_text(e)))
                })
        },
        &|| first_text(doc.root_element(), selector!(r#"[rel~="author"]"#)),
        &|| {
            first_text(
                main,
                selector!(".byline, .author, .post-author, .entry-author"),
            )
        },
    ];
    candidates
        .iter()
        .filter_map(|read| read())
        .map(|a| strip_by_prefix(&a))
        .find(|a| !a.is_empty() && a.chars().count() <= 100)
}

fn strip_by_prefix(author: &str) -> String {
    let lower = author.to_lowercase();
    for prefix in ["by ", "автор: ", "автор ", "af ", "作者：", "作者:"] {
        if lower.starts_with(prefix) {
            // `prefix` is ASCII or has the same byte length in `author`.
            if let Some(rest) = author.get(prefix.len()..) {
                return collapse_whitespace(rest);
            }
        }
    }
    collapse_whitespace(author)
}

fn article_published(
    doc: &Html,
    main: ElementRef<'_>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Option<DateTime<Utc>> {
    let metas = selector!(
        r#"meta[property="article:published_time"], meta[itemprop="datePublished"], meta[name="pubdate"], meta[name="date"], meta[name="DC.date.issued"], meta[name="dc.date"]"#
    );
    doc.select(metas)
        .filter_map(|m| m.attr("content"))
        .find_map(|v| parse_date(v, now, tz))
        .or_else(|| {
            doc.select(selector!(r#"[itemprop="datePublished"]"#))
                .find_map(|e| element_date(e, now, tz))
        })
        .or_else(|| {
            main.select(selector!("time[datetime]"))
                .find_map(|e| e.attr("datetime").and_then(|v| parse_date(v, now, tz)))
        })
}

/// `<base href>` resolved against the page URL, else the page URL.
fn document_base(doc: &Html, page_url: &Url) -> Url {
    doc.select(selector!("base[href]"))
        .next()
        .and_then(|b| resolve_http(page_url, b.attr("href")?))
        .unwrap_or_else(|| page_url.clone())
}

/// `<link rel=canonical>` (resolved, normalised), else the normalised page URL.
fn canonical_of(doc: &Html, base: &Url, page_url: &Url) -> Url {
    doc.select(selector!("link[rel][href]"))
        .filter(|l| has_rel(*l, "canonical"))
        .find_map(|l| resolve_http(base, l.attr("href")?))
        .map(|u| canonical_url(&u))
        .unwrap_or_else(|| canonical_url(page_url))
}

fn feed_links(doc: &Html, base: &Url) -> Vec<Url> {
    const FEED_TYPES: &[&str] = &[
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/json",
        "application/rdf+xml",
    ];
    let mut feeds = Vec::new();
    for link in doc.select(selector!("link[rel][href][type]")) {
        let kind = link
            .attr("type")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !has_rel(link, "alternate") || !FEED_TYPES.contains(&kind.as_str()) {
            continue;
        }
        if let Some(url) = link.attr("href").and_then(|h| resolve_http(base, h)) {
            if !feeds.contains(&url) {
                feeds.push(url);
            }
        }
    }
    feeds
}

fn page_links(doc: &Html, base: &Url) -> Vec<Url> {
    let mut seen = HashSet::new();
    let mut links = Vec::new();
    for a in doc.select(selector!("a[href], area[href]")) {
        let Some(mut url) = a.attr("href").and_then(|h| resolve_http(base, h)) else {
            continue;
        };
        url.set_fragment(None);
        if seen.insert(url.as_str().to_string()) {
            links.push(url);
        }
    }
    links
}

fn has_rel(element: ElementRef<'_>, rel: &str) -> bool {
    element
        .attr("rel")
        .is_some_and(|v| v.split_whitespace().any(|r| r.eq_ignore_ascii_case(rel)))
}

fn meta_content(doc: &Html, selector: &Selector) -> Option<String> {
    doc.select(selector)
        .filter_map(|m| m.attr("content"))
        .map(collapse_whitespace)
        .find(|c| !c.is_empty())
}

fn first_text(scope: ElementRef<'_>, selector: &Selector) -> Option<String> {
    scope
        .select(selector)
        .map(short_text)
        .find(|t| !t.is_empty())
}

/// The element's text on one line (titles, names, dates).
fn short_text(element: ElementRef<'_>) -> String {
    collapse_whitespace(&element_text(element, &|_| false))
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
