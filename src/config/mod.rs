//! Configuration: TOML in, validated types out, once.
//!
//! `raw` mirrors the file (unknown keys rejected); [`Config::load`] checks
//! every value and resolves relative paths against the config file's folder.
//! After load no code re-checks the config.

mod cron;
mod filter;
mod mail;
mod raw;
mod replies;
pub mod time;
mod web;

use crate::model::{Lang, SourceKind};
use chrono_tz::Tz;
use raw::{RawConfig, RawSelectors, RawSource};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::Spanned;

pub use self::cron::parse_schedule;
pub use self::filter::{FilterError, FilterText, FLAG_NAMES};
pub use self::mail::{AlertsConfig, DigestConfig, SmtpConfig, Tls};
pub use self::replies::{Address, RepliesConfig, ADDRESS_LANGS};
pub use self::web::{WebConfig, WebUser};

/// Errors found while loading a config file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML or has an unknown key or a wrong type.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// A value is well-formed TOML but not acceptable.
    #[error("{path}:{line}: `{key}`: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        key: String,
        message: String,
    },
}

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this was loaded from.
    pub path: PathBuf,
    pub timezone: Tz,
    pub storage: StorageConfig,
    pub crawl: CrawlConfig,
    pub brands: Vec<BrandConfig>,
    pub sources: Vec<SourceConfig>,
    pub replies: RepliesConfig,
    /// Where mail goes; digests can be previewed without it.
    pub smtp: Option<SmtpConfig>,
    pub digests: Vec<DigestConfig>,
    pub alerts: Option<AlertsConfig>,
    pub web: WebConfig,
}

#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// Data directory: `state.sqlite` and `tantivy/`.
    pub dir: PathBuf,
    /// How long text of items matching no brand is kept for `rematch`.
    pub retention: Duration,
}

/// Crawl limits; every time is in milliseconds in the file so tests can use tiny ones.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    pub schedule: Schedule,
    pub allow_private_addresses: bool,
    /// `host:port` targets allowed even when they resolve to private addresses.
    pub allow_addresses: Vec<HostPort>,
    pub user_agent: String,
    pub per_host_delay: Duration,
    pub per_host_concurrency: usize,
    /// On a source's first crawl, items older than this are stored but never "new".
    pub backlog: Duration,
    /// Sources crawled at once.
    pub concurrency: usize,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Longest wait for the next chunk of a body.
    pub read_timeout: Duration,
    /// Cap on *decoded* body bytes.
    pub max_body_bytes: u64,
    pub max_redirects: usize,
    /// Retries of 429/5xx/network errors within one fetch.
    pub retries: u32,
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Cap on a robots.txt Crawl-delay.
    pub max_crawl_delay: Duration,
    pub robots_ttl: Duration,
    /// Longest a failing source is backed off.
    pub error_backoff_max: Duration,
    /// Fetch the linked page when a feed entry carries only a teaser.
    pub fetch_full_text: bool,
}

/// A `host:port` pair from `allow_addresses`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostPort {
    pub host: String,
    pub port: u16,
}

/// A parsed cron schedule with the text it came from.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub expr: String,
    pub cron: ::cron::Schedule,
}

/// A brand to listen for, and what its replies say. `Default` is for tests
/// that need a brand without the file (an empty `address` means the defaults).
#[derive(Debug, Clone, Default)]
pub struct BrandConfig {
    pub name: String,
    /// Name and aliases together, name first.
    pub aliases: Vec<String>,
    pub exclude: Vec<String>,
    pub query: Option<String>,
    /// Hosts of the brand's own sites (lowercase, no `www.`).
    pub own_sites: Vec<String>,
    /// The brand's own account names: their posts answer a thread.
    pub authors: Vec<String>,
    /// Reply slot `product`: what the brand sells, as replies name it.
    pub product: Option<String>,
    /// Reply slot `contact` (with `contact_phone`): where a dispute moves off the public page.
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// Reply slot `hours`: when the brand's support answers.
    pub hours: Option<String>,
    /// Form of address per language; every analysed language has an entry.
    pub address: BTreeMap<Lang, Address>,
}

impl BrandConfig {
    /// `author` is one of the brand's own accounts (case-blind in any script;
    /// no allocation: the crawl asks for every item).
    pub fn is_own_author(&self, author: &str) -> bool {
        let author = author.trim();
        !author.is_empty()
            && self.authors.iter().any(|a| {
                a.chars()
                    .flat_map(char::to_lowercase)
                    .eq(author.chars().flat_map(char::to_lowercase))
            })
    }

    /// `site` (a lowercase host) is one of the brand's own hosts or a subdomain of one.
    pub fn is_own_site(&self, site: &str) -> bool {
        self.own_sites.iter().any(|own| {
            site.strip_suffix(own.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
        })
    }

    /// The form replies in `lang` use (the default for a language not listed).
    pub fn address_for(&self, lang: Lang) -> Address {
        self.address
            .get(&lang)
            .copied()
            .unwrap_or_else(|| Address::default_for(lang))
    }
}

#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub name: String,
    pub url: url::Url,
    pub kind: SourceKind,
    /// Own schedule, else `[crawl].schedule`.
    pub schedule: Schedule,
    /// Language assumed for texts too short to detect.
    pub lang: Option<Lang>,
    /// Link depth for `site` sources.
    pub depth: u32,
    /// Page budget: pages for `site`/`sitemap`, pagination steps for `page`.
    pub max_pages: usize,
    pub selectors: Option<Selectors>,
}

/// CSS selectors that split a page into items (comments, reviews).
#[derive(Debug, Clone, Default)]
pub struct Selectors {
    pub item: String,
    pub text: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub permalink: Option<String>,
    pub next: Option<String>,
}

/// Where the config is taken from when `--config` is not given.
pub const DEFAULT_PATH: &str = "config/hearsay.toml";

impl Config {
    /// Reads, parses and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Parses and validates config text as if read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            ConfigError::Syntax {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().replace("unknown field", "unknown key"),
            }
        })?;
        Validator { text, path }.config(raw)
    }

    /// The brand with this name, ignoring case.
    pub fn brand(&self, name: &str) -> Option<&BrandConfig> {
        self.brands
            .iter()
            .find(|b| b.name.eq_ignore_ascii_case(name))
    }

    /// The digest with this name.
    pub fn digest(&self, name: &str) -> Option<&DigestConfig> {
        self.digests.iter().find(|d| d.name == name)
    }

    pub fn index_dir(&self) -> PathBuf {
        self.storage.dir.join("tantivy")
    }

    pub fn state_path(&self) -> PathBuf {
        self.storage.dir.join("state.sqlite")
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map(|i| i + 1).unwrap_or(0) + 1;
    (line, column)
}

struct Validator<'a> {
    text: &'a str,
    path: &'a Path,
}

impl Validator<'_> {
    fn err<T>(
        &self,
        key: &str,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Result<T, ConfigError> {
        Err(ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: line_col(self.text, span.start).0,
            key: key.to_string(),
            message: message.into(),
        })
    }

    fn base_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    fn duration(
        &self,
        key: &str,
        value: &Option<Spanned<String>>,
        default: Duration,
    ) -> Result<Duration, ConfigError> {
        match value {
            None => Ok(default),
            Some(v) => time::parse_duration(v.get_ref()).or_else(|m| self.err(key, v.span(), m)),
        }
    }

    fn millis(
        &self,
        key: &str,
        value: &Option<Spanned<u64>>,
        default: u64,
        min: u64,
    ) -> Result<Duration, ConfigError> {
        match value {
            None => Ok(Duration::from_millis(default)),
            Some(v) if *v.get_ref() < min => self.err(
                key,
                v.span(),
                format!("must be at least {min}, got {}", v.get_ref()),
            ),
            Some(v) => Ok(Duration::from_millis(*v.get_ref())),
        }
    }

    fn schedule(&self, key: &str, value: &Spanned<String>) -> Result<Schedule, ConfigError> {
        match parse_schedule(value.get_ref()) {
            Ok(cron) => Ok(Schedule {
                expr: value.get_ref().clone(),
                cron,
            }),
            Err(m) => self.err(key, value.span(), m),
        }
    }

    fn config(&self, raw: RawConfig) -> Result<Config, ConfigError> {
        let timezone = match &raw.timezone {
            None => Tz::UTC,
            Some(tz) => match tz.get_ref().parse::<Tz>() {
                Ok(tz) => tz,
                Err(_) => {
                    return self.err(
                        "timezone",
                        tz.span(),
                        format!(
                            "unknown time zone `{}` (use an IANA name such as Europe/Moscow)",
                            tz.get_ref()
                        ),
                    )
                }
            },
        };
        let dir = match &raw.storage.dir {
            None => self.base_dir().join("../index"),
            Some(d) if d.get_ref().trim().is_empty() => {
                return self.err("storage.dir", d.span(), "must not be empty")
            }
            Some(d) => self.base_dir().join(d.get_ref()),
        };
        let storage = StorageConfig {
            dir,
            retention: self.duration(
                "storage.retention",
                &raw.storage.retention,
                Duration::from_secs(30 * 86_400),
            )?,
        };
        let crawl = self.crawl(&raw.crawl)?;
        let mut brands = Vec::new();
        let mut brand_names = HashSet::new();
        for b in &raw.brands {
            let name = b.name.get_ref().trim().to_string();
            if name.is_empty() {
                return self.err("brands.name", b.name.span(), "must not be empty");
            }
            if !brand_names.insert(name.to_lowercase()) {
                return self.err(
                    "brands.name",
                    b.name.span(),
                    format!("brand `{name}` is defined twice"),
                );
            }
            if let Some(q) = &b.query {
                if let Err(m) = crate::matcher::validate_query(q.get_ref()) {
                    return self.err("brands.query", q.span(), m);
                }
            }
            let mut aliases = vec![name.clone()];
            aliases.extend(
                b.aliases
                    .iter()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty()),
            );
            let reply = self.brand_replies(b)?;
            brands.push(BrandConfig {
                name,
                aliases,
                exclude: b.exclude.clone(),
                query: b.query.as_ref().map(|q| q.get_ref().clone()),
                own_sites: b.own_sites.iter().map(|s| normalise_site(s)).collect(),
                authors: reply.authors,
                product: reply.product,
                contact_email: reply.contact_email,
                contact_phone: reply.contact_phone,
                hours: reply.hours,
                address: reply.address,
            });
        }
        let mut sources = Vec::new();
        let mut names = HashSet::new();
        for s in &raw.sources {
            let source = self.source(s, &crawl)?;
            if !names.insert(source.name.clone()) {
                let span = s.name.as_ref().map(|n| n.span()).unwrap_or(s.url.span());
                return self.err(
                    "sources.name",
                    span,
                    format!(
                        "source name `{}` is used twice; give each source its own `name`",
                        source.name
                    ),
                );
            }
            sources.push(source);
        }
        let replies = self.replies(&raw.replies)?;
        let smtp = raw.smtp.as_ref().map(|s| self.smtp(s)).transpose()?;
        let digests = self.digests(&raw.digests, &brands)?;
        let alerts = raw.alerts.as_ref().map(|a| self.alerts(a)).transpose()?;
        let web = self.web(raw.web.as_ref())?;
        if smtp.is_none() {
            let needs = raw
                .digests
                .first()
                .map(|d| ("digests", d.name.span()))
                .or(raw.alerts.as_ref().map(|a| ("alerts", a.span())));
            if let Some((key, span)) = needs {
                return self.err(
                    key,
                    span,
                    "digests and alerts are mailed: add an [smtp] section (host, port, from)",
                );
            }
        }
        Ok(Config {
            path: self.path.to_path_buf(),
            timezone,
            storage,
            crawl,
            brands,
            sources,
            replies,
            smtp,
            digests,
            alerts,
            web,
        })
    }

    fn crawl(&self, c: &raw::RawCrawl) -> Result<CrawlConfig, ConfigError> {
        let schedule = match &c.schedule {
            Some(s) => self.schedule("crawl.schedule", s)?,
            None => Schedule {
                expr: "0 */15 * * * *".into(),
                cron: parse_schedule("0 */15 * * * *").expect("default schedule parses"),
            },
        };
        let mut allow_addresses = Vec::new();
        if let Some(list) = &c.allow_addresses {
            for entry in list.get_ref() {
                match parse_host_port(entry) {
                    Some(hp) => allow_addresses.push(hp),
                    None => {
                        return self.err(
                            "crawl.allow_addresses",
                            list.span(),
                            format!("`{entry}` is not host:port"),
                        )
                    }
                }
            }
        }
        let user_agent = match &c.user_agent {
            Some(ua) if ua.get_ref().trim().is_empty() => {
                return self.err("crawl.user_agent", ua.span(), "must not be empty")
            }
            Some(ua) => ua.get_ref().clone(),
            None => format!(
                "Hearsay/{} (+https://github.com/hearsay/hearsay)",
                env!("CARGO_PKG_VERSION")
            ),
        };
        let positive =
            |key: &str, v: &Option<Spanned<u64>>, default: u64| -> Result<u64, ConfigError> {
                match v {
                    None => Ok(default),
                    Some(v) if *v.get_ref() == 0 => self.err(key, v.span(), "must be at least 1"),
                    Some(v) => Ok(*v.get_ref()),
                }
            };
        let max_redirects = match &c.max_redirects {
            Some(v) if *v.get_ref() > 10 => {
                return self.err(
                    "crawl.max_redirects",
                    v.span(),
                    format!("at most 10 redirects are followed, got {}", v.get_ref()),
                )
            }
            Some(v) => *v.get_ref() as usize,
            None => 10,
        };
        Ok(CrawlConfig {
            schedule,
            allow_private_addresses: c.allow_private_addresses.unwrap_or(false),
            allow_addresses,
            user_agent,
            per_host_delay: Duration::from_millis(c.per_host_delay_ms.unwrap_or(1000)),
            per_host_concurrency: positive(
                "crawl.per_host_concurrency",
                &c.per_host_concurrency,
                2,
            )? as usize,
            backlog: self.duration("crawl.backlog", &c.backlog, Duration::from_secs(7 * 86_400))?,
            concurrency: positive("crawl.concurrency", &c.concurrency, 8)? as usize,
            connect_timeout: self.millis(
                "crawl.connect_timeout_ms",
                &c.connect_timeout_ms,
                10_000,
                1,
            )?,
            request_timeout: self.millis(
                "crawl.request_timeout_ms",
                &c.request_timeout_ms,
                30_000,
                1,
            )?,
            read_timeout: self.millis("crawl.read_timeout_ms", &c.read_timeout_ms, 15_000, 1)?,
            max_body_bytes: positive("crawl.max_body_bytes", &c.max_body_bytes, 10 * 1024 * 1024)?,
            max_redirects,
            retries: c.retries.unwrap_or(2),
            retry_base: Duration::from_millis(c.retry_base_ms.unwrap_or(1000)),
            retry_max: Duration::from_millis(c.retry_max_ms.unwrap_or(60_000)),
            max_crawl_delay: Duration::from_millis(c.max_crawl_delay_ms.unwrap_or(30_000)),
            robots_ttl: self.robots_ttl(&c.robots_ttl)?,
            error_backoff_max: self.duration(
                "crawl.error_backoff_max",
                &c.error_backoff_max,
                Duration::from_secs(86_400),
            )?,
            fetch_full_text: c.fetch_full_text.unwrap_or(true),
        })
    }

    /// RFC 9309: a cached robots.txt should not be used for more than 24 hours.
    fn robots_ttl(&self, value: &Option<Spanned<String>>) -> Result<Duration, ConfigError> {
        let day = Duration::from_secs(86_400);
        let ttl = self.duration("crawl.robots_ttl", value, day)?;
        match value {
            Some(v) if ttl > day => {
                self.err("crawl.robots_ttl", v.span(), "at most 24h (RFC 9309)")
            }
            _ => Ok(ttl),
        }
    }

    fn source(&self, s: &RawSource, crawl: &CrawlConfig) -> Result<SourceConfig, ConfigError> {
        let url = match url::Url::parse(s.url.get_ref().trim()) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => u,
            Ok(u) => {
                return self.err(
                    "sources.url",
                    s.url.span(),
                    format!("`{u}` is not an http(s) URL"),
                )
            }
            Err(e) => {
                return self.err(
                    "sources.url",
                    s.url.span(),
                    format!("`{}` is not a URL: {e}", s.url.get_ref()),
                )
            }
        };
        let kind = match &s.kind {
            None => SourceKind::Feed,
            Some(k) => match k.get_ref().as_str() {
                "feed" => SourceKind::Feed,
                "page" => SourceKind::Page,
                "site" => SourceKind::Site,
                "sitemap" => SourceKind::Sitemap,
                other => {
                    return self.err(
                        "sources.kind",
                        k.span(),
                        format!("unknown kind `{other}` (feed, page, site or sitemap)"),
                    )
                }
            },
        };
        let name = match &s.name {
            Some(n) if n.get_ref().trim().is_empty() => {
                return self.err("sources.name", n.span(), "must not be empty")
            }
            Some(n) => n.get_ref().trim().to_string(),
            None => url
                .host_str()
                .unwrap_or("source")
                .trim_start_matches("www.")
                .to_string(),
        };
        let schedule = match &s.schedule {
            Some(sch) => self.schedule("sources.schedule", sch)?,
            None => crawl.schedule.clone(),
        };
        let lang = match &s.lang {
            None => None,
            Some(l) => match Lang::parse(l.get_ref()) {
                Some(lang) => Some(lang),
                None => {
                    return self.err(
                        "sources.lang",
                        l.span(),
                        format!(
                            "unknown language `{}` (ru, zh, da, en or other)",
                            l.get_ref()
                        ),
                    )
                }
            },
        };
        let selectors = match &s.selectors {
            None => None,
            Some(sel) => Some(self.selectors(sel, &s.url)?),
        };
        let max_pages = match &s.max_pages {
            Some(v) if *v.get_ref() == 0 => {
                return self.err("sources.max_pages", v.span(), "must be at least 1")
            }
            Some(v) => *v.get_ref() as usize,
            None => match kind {
                SourceKind::Page => 20,
                _ => 200,
            },
        };
        Ok(SourceConfig {
            name,
            url,
            kind,
            schedule,
            lang,
            depth: s.depth.unwrap_or(2),
            max_pages,
            selectors,
        })
    }

    fn selectors(
        &self,
        sel: &RawSelectors,
        at: &Spanned<String>,
    ) -> Result<Selectors, ConfigError> {
        let check =
            |key: &str, v: &Option<Spanned<String>>| -> Result<Option<String>, ConfigError> {
                match v {
                    None => Ok(None),
                    Some(v) => match scraper::Selector::parse(v.get_ref()) {
                        Ok(_) => Ok(Some(v.get_ref().clone())),
                        Err(e) => self.err(
                            key,
                            v.span(),
                            format!("invalid CSS selector `{}`: {e}", v.get_ref()),
                        ),
                    },
                }
            };
        let item = match check("sources.selectors.item", &sel.item)? {
            Some(i) => i,
            None => {
                return self.err(
                    "sources.selectors.item",
                    at.span(),
                    "selectors need `item`, the CSS selector of one comment or review",
                )
            }
        };
        Ok(Selectors {
            item,
            text: check("sources.selectors.text", &sel.text)?,
            author: check("sources.selectors.author", &sel.author)?,
            date: check("sources.selectors.date", &sel.date)?,
            title: check("sources.selectors.title", &sel.title)?,
            permalink: check("sources.selectors.permalink", &sel.permalink)?,
            next: check("sources.selectors.next", &sel.next)?,
        })
    }
}

fn parse_host_port(entry: &str) -> Option<HostPort> {
    let (host, port) = entry.trim().rsplit_once(':')?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(HostPort {
        host,
        port: port.parse().ok()?,
    })
}

fn normalise_site(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    let host = url::Url::parse(&s)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| s.split('/').next().unwrap_or("").to_string());
    host.trim_start_matches("www.").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_site_means_the_host_or_a_subdomain() {
        let brand = BrandConfig {
            own_sites: vec!["nordlys.example".into()],
            ..BrandConfig::default()
        };
        assert!(brand.is_own_site("nordlys.example"));
        assert!(brand.is_own_site("blog.nordlys.example"));
        assert!(!brand.is_own_site("notnordlys.example"));
        assert!(!brand.is_own_site("nordlys.example.org"));
    }

    #[test]
    fn own_author_is_case_blind_in_any_script() {
        let brand = BrandConfig {
            authors: vec!["Nordlys_Care".into(), "Поддержка Нордлис".into()],
            ..BrandConfig::default()
        };
        assert!(brand.is_own_author(" nordlys_care "));
        assert!(brand.is_own_author("ПОДДЕРЖКА нордлис"));
        assert!(!brand.is_own_author("nordlys_car"));
        assert!(!brand.is_own_author(""));
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("config/test.toml"))
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let err = parse("[crawl]\nuser_agent = \"x\"\nshedule = \"0 * * * * *\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("config/test.toml:3:"), "{err}");
        assert!(err.contains("shedule"), "{err}");
    }

    #[test]
    fn bad_cron_names_line_and_key() {
        let err =
            parse("\n[[sources]]\nurl = \"http://example.org/feed\"\nschedule = \"every day\"\n")
                .unwrap_err()
                .to_string();
        assert!(
            err.starts_with("config/test.toml:4: `sources.schedule`"),
            "{err}"
        );
    }

    #[test]
    fn bad_url_names_key() {
        let err = parse("[[sources]]\nurl = \"ftp://example.org/feed\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`sources.url`") && err.contains(":2:"),
            "{err}"
        );
    }

    #[test]
    fn relative_dir_is_relative_to_config_file() {
        let c = parse("[storage]\ndir = \"../index\"\n").unwrap();
        assert_eq!(c.storage.dir, Path::new("config/../index"));
    }

    #[test]
    fn defaults() {
        let c = parse("").unwrap();
        assert_eq!(c.timezone, Tz::UTC);
        assert!(!c.crawl.allow_private_addresses);
        assert_eq!(c.crawl.max_redirects, 10);
    }

    #[test]
    fn source_name_defaults_to_host() {
        let c = parse("[[sources]]\nurl = \"https://www.example.org/feed.xml\"\n").unwrap();
        assert_eq!(c.sources[0].name, "example.org");
        assert_eq!(c.sources[0].kind, SourceKind::Feed);
    }
}
