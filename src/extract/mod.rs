//! STUB with the agreed API; replaced by the extract helper's work at merge.
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("feed: {reason}")]
    Feed { reason: String },
}

pub struct FeedEntry {
    pub guid: Option<String>,
    pub link: Option<url::Url>,
    pub title: String,
    pub text: String,
    pub summary_only: bool,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
}
pub struct ParsedFeed {
    pub title: String,
    pub entries: Vec<FeedEntry>,
}
pub fn decode(_body: &[u8], _ct: Option<&str>) -> String {
    todo!()
}
pub fn parse_feed(_body: &[u8], _ct: Option<&str>, _u: &url::Url) -> Result<ParsedFeed, ExtractError> {
    todo!()
}
pub struct Article {
    pub canonical: url::Url,
    pub title: String,
    pub text: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    pub html_lang: Option<String>,
    pub feeds: Vec<url::Url>,
    pub links: Vec<url::Url>,
}
pub fn extract_article(_html: &str, _u: &url::Url, _now: DateTime<Utc>, _tz: chrono_tz::Tz) -> Article {
    todo!()
}
pub struct PageItem {
    pub anchor: Option<String>,
    pub permalink: Option<url::Url>,
    pub title: Option<String>,
    pub text: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
}
pub struct ListPage {
    pub canonical: url::Url,
    pub title: String,
    pub items: Vec<PageItem>,
    pub next: Option<url::Url>,
}
pub fn extract_list(_h: &str, _u: &url::Url, _s: &crate::config::Selectors, _n: DateTime<Utc>, _tz: chrono_tz::Tz) -> ListPage {
    todo!()
}
pub fn canonical_url(u: &url::Url) -> url::Url {
    u.clone()
}
pub struct Sitemap {
    pub pages: Vec<(url::Url, Option<DateTime<Utc>>)>,
    pub sitemaps: Vec<url::Url>,
}
pub fn parse_sitemap(_b: &[u8]) -> Result<Sitemap, ExtractError> {
    todo!()
}
pub fn parse_date(_s: &str, _n: DateTime<Utc>, _tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    None
}
pub fn detect_lang(_t: &str, f: Option<crate::model::Lang>) -> crate::model::Lang {
    f.unwrap_or_default()
}
