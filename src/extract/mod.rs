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
pub use html::{extract_article, extract_list, Article, ListPage, PageItem};
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
