//! Polite, safe fetching: the one way Hearsay talks to the web.
//!
//! A [`Fetcher`] is built once per process and shared (it is cheap to clone):
//! every source on a host then shares that host's limits. Each
//! [`Fetcher::fetch`] obeys robots.txt ([`robots`]), waits for the host's
//! spacing and concurrency ([`politeness`]), refuses non-global addresses
//! after DNS resolution on every redirect hop ([`guard`]), caps time and
//! decoded body size, retries 429/5xx with capped backoff, and sends
//! conditional-GET validators so an unchanged page costs a 304.

mod fetch;
pub mod guard;
pub mod politeness;
pub mod robots;

use crate::config::CrawlConfig;
use guard::{Guard, GuardResolver};
use politeness::Hosts;
use robots::RobotsCache;
use std::sync::Arc;
use std::time::Duration;

pub use fetch::{content_type_acceptable, display_url};

/// Setting up the fetcher failed; fatal for a crawl, unlike [`FetchError`].
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// The HTTP client could not be built (TLS roots, resolver).
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
}

/// Why one URL could not be fetched. Recorded per source; never stops a crawl.
/// URLs in messages have passwords and token-like query values masked.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// robots.txt disallows this URL for our user-agent: skipped, not failed.
    #[error("robots.txt disallows {url}")]
    RobotsDisallowed { url: String },
    /// robots.txt could not be read (5xx or network error), so the whole site
    /// is treated as disallowed for now: skipped, tried again later.
    #[error("robots.txt of {origin} is unavailable ({reason}); the site is skipped for now")]
    RobotsUnavailable { origin: String, reason: String },
    /// The host is, or resolves to, a non-global address (loopback, private,
    /// link-local...) and is not allowed by `allow_private_addresses` / `allow_addresses`.
    #[error("refused to connect to {url}: {reason} (set crawl.allow_addresses or crawl.allow_private_addresses to allow it)")]
    Blocked { url: String, reason: String },
    /// Only http and https are fetched.
    #[error("unsupported URL scheme in {url}: only http and https are fetched")]
    UnsupportedScheme { url: String },
    /// More redirects than `crawl.max_redirects`.
    #[error("more than {max} redirects starting at {url}")]
    TooManyRedirects { url: String, max: usize },
    /// A redirect led back to a URL already visited in this fetch.
    #[error("redirect loop at {url}")]
    RedirectLoop { url: String },
    /// A redirect without a usable Location header.
    #[error("redirect from {url} has no usable location: {location:?}")]
    BadRedirect { url: String, location: String },
    /// The decoded body exceeds `crawl.max_body_bytes`.
    #[error("body of {url} is larger than {limit} bytes (crawl.max_body_bytes)")]
    TooLarge { url: String, limit: u64 },
    /// Connecting, waiting for the response, or waiting for the next body chunk took too long.
    #[error("timed out {phase} {url} after {after:?}")]
    Timeout {
        url: String,
        phase: &'static str,
        after: Duration,
    },
    /// An HTTP status that is neither content, a redirect, 304, 404 nor 410
    /// (after retries, for 429 and 5xx).
    #[error("{url} answered HTTP {code}")]
    Status {
        url: String,
        code: u16,
        /// The server's Retry-After on a 429/503, for backing the source off.
        retry_after: Option<Duration>,
    },
    /// The response is not text (an image, a PDF, an archive...).
    #[error("{url} is {content_type}, not a page or feed")]
    ContentType { url: String, content_type: String },
    /// Connection refused or reset, DNS failure, TLS error, bad compression...
    #[error("cannot fetch {url}: {reason}")]
    Network { url: String, reason: String },
}

impl FetchError {
    /// robots.txt said no: the URL is skipped, which is not a failure of the
    /// source. An unavailable robots.txt (5xx, network) also keeps us away, but
    /// it is a failure: the host is down and its health must say so.
    pub fn is_skip(&self) -> bool {
        matches!(self, FetchError::RobotsDisallowed { .. })
    }

    /// Likely to succeed later without any change on our side.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. }
            | FetchError::Network { .. }
            | FetchError::RobotsUnavailable { .. } => true,
            FetchError::Status { code, .. } => *code == 429 || *code >= 500,
            _ => false,
        }
    }

    /// The server asked us to wait this long (Retry-After on the last answer).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Conditional-GET validators remembered from the last fetch of a URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// What a fetch found.
#[derive(Debug)]
pub enum Fetched {
    /// New or changed content.
    Page(Page),
    /// 304: unchanged since the validators were issued; nothing was read.
    NotModified,
    /// 404 or 410: positive evidence that the resource is gone.
    Gone { status: u16 },
}

/// A fetched document.
#[derive(Debug, Clone)]
pub struct Page {
    /// The final URL, after redirects.
    pub url: url::Url,
    pub status: u16,
    /// The Content-Type header as sent (charset included), if any.
    pub content_type: Option<String>,
    /// Validators to send next time.
    pub validators: Validators,
    /// Raw (decompressed, not charset-decoded) bytes: `extract` decodes them.
    pub body: Vec<u8>,
}

/// The fetcher; clone it freely, clones share clients, limits and caches.
#[derive(Clone, Debug)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Resolves names through [`GuardResolver`]: global addresses only.
    guarded: reqwest::Client,
    /// Plain resolver, for hops the config explicitly allows.
    open: reqwest::Client,
    guard: Guard,
    hosts: Hosts,
    robots: RobotsCache,
    agent_token: String,
    limits: Limits,
}

/// The config values a fetch needs, copied once.
#[derive(Debug, Clone)]
struct Limits {
    connect_timeout: Duration,
    request_timeout: Duration,
    read_timeout: Duration,
    max_body_bytes: u64,
    max_redirects: usize,
    retries: u32,
    retry_base: Duration,
    retry_max: Duration,
    max_crawl_delay: Duration,
    robots_ttl: Duration,
}

impl Fetcher {
    pub fn new(cfg: &CrawlConfig) -> Result<Fetcher, CrawlError> {
        let builder = || {
            reqwest::Client::builder()
                .user_agent(cfg.user_agent.as_str())
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .connect_timeout(cfg.connect_timeout)
                .pool_idle_timeout(Duration::from_secs(30))
        };
        let guarded = builder()
            .dns_resolver(Arc::new(GuardResolver))
            .build()
            .map_err(CrawlError::Client)?;
        let open = builder().build().map_err(CrawlError::Client)?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                guarded,
                open,
                guard: Guard::new(cfg),
                hosts: Hosts::new(cfg.per_host_concurrency, cfg.per_host_delay),
                robots: RobotsCache::default(),
                agent_token: robots::product_token(&cfg.user_agent),
                limits: Limits {
                    connect_timeout: cfg.connect_timeout,
                    request_timeout: cfg.request_timeout,
                    read_timeout: cfg.read_timeout,
                    max_body_bytes: cfg.max_body_bytes,
                    max_redirects: cfg.max_redirects,
                    retries: cfg.retries,
                    retry_base: cfg.retry_base,
                    retry_max: cfg.retry_max,
                    max_crawl_delay: cfg.max_crawl_delay,
                    // RFC 9309 §2.4: a cached robots.txt should not be used beyond 24 hours.
                    robots_ttl: cfg.robots_ttl.min(Duration::from_secs(86_400)),
                },
            }),
        })
    }
}
