//! STUB with the agreed API; replaced by the crawl helper's work at merge.
use crate::config::CrawlConfig;

#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    #[error("client: {0}")]
    Client(String),
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("disallowed by robots.txt: {url}")]
    RobotsDisallowed { url: String },
    #[error("other: {0}")]
    Other(String),
}

impl FetchError {
    pub fn is_skip(&self) -> bool {
        matches!(self, FetchError::RobotsDisallowed { .. })
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

pub struct Page {
    pub url: url::Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub body: Vec<u8>,
}

pub enum Fetched {
    Page(Page),
    NotModified,
    Gone { status: u16 },
}

#[derive(Clone)]
pub struct Fetcher;

impl Fetcher {
    pub fn new(_cfg: &CrawlConfig) -> Result<Fetcher, CrawlError> {
        todo!()
    }
    pub async fn fetch(&self, _url: &url::Url, _v: Option<&Validators>) -> Result<Fetched, FetchError> {
        todo!()
    }
    pub async fn allowed(&self, _url: &url::Url) -> Result<bool, FetchError> {
        todo!()
    }
}
