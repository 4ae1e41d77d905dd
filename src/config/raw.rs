//! The config file as written: serde types that reject unknown keys.
//!
//! Values that need checking are wrapped in `Spanned` so a validation error
//! can name the line they stand on.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub timezone: Option<Spanned<String>>,
    #[serde(default)]
    pub storage: RawStorage,
    #[serde(default)]
    pub crawl: RawCrawl,
    #[serde(default)]
    pub brands: Vec<RawBrand>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub replies: RawReplies,
    pub smtp: Option<Spanned<RawSmtp>>,
    #[serde(default)]
    pub digests: Vec<RawDigest>,
    pub alerts: Option<Spanned<RawAlerts>>,
    pub web: Option<RawWeb>,
}

/// `[web]`: the search and campaign pages (`hearsay serve`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeb {
    pub bind: Option<Spanned<String>>,
    #[serde(default)]
    pub users: Vec<RawWebUser>,
}

/// `[[web.users]]`: a person allowed in from off loopback, by token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWebUser {
    pub name: Spanned<String>,
    /// The environment variable holding the token, never the token.
    pub token_env: Spanned<String>,
}

/// `[smtp]`: where digests and alerts are handed over.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSmtp {
    pub host: Spanned<String>,
    pub port: Option<Spanned<u16>>,
    pub tls: Option<Spanned<String>>,
    pub ca_file: Option<Spanned<String>>,
    pub username: Option<Spanned<String>>,
    /// The name of the environment variable holding the password, never the password.
    pub password_env: Option<Spanned<String>>,
    pub from: Spanned<String>,
    pub timeout: Option<Spanned<String>>,
    pub retry_base: Option<Spanned<String>>,
    pub retry_max: Option<Spanned<String>>,
}

/// One `[[digests]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDigest {
    pub name: Spanned<String>,
    pub to: Spanned<Vec<String>>,
    pub schedule: Spanned<String>,
    pub brands: Option<Spanned<Vec<String>>>,
    pub language: Option<Spanned<String>>,
    pub send_empty: Option<bool>,
    pub first_window: Option<Spanned<String>>,
}

/// `[alerts]`: what is mailed at once instead of waiting for a digest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlerts {
    pub to: Spanned<Vec<String>>,
    pub urgent: Option<bool>,
    pub campaigns: Option<bool>,
    pub spikes: Option<bool>,
    pub batch: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
}

/// `[replies]`: how fast the playbook wants an answer, and where the brand's
/// reply templates live.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawReplies {
    pub window: Option<Spanned<String>>,
    pub templates: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawStorage {
    pub dir: Option<Spanned<String>>,
    /// How long the text of items that match no brand is kept, for `rematch`.
    pub retention: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawCrawl {
    pub schedule: Option<Spanned<String>>,
    pub allow_private_addresses: Option<bool>,
    pub allow_addresses: Option<Spanned<Vec<String>>>,
    pub user_agent: Option<Spanned<String>>,
    pub per_host_delay_ms: Option<u64>,
    pub per_host_concurrency: Option<Spanned<u64>>,
    pub backlog: Option<Spanned<String>>,
    pub concurrency: Option<Spanned<u64>>,
    pub connect_timeout_ms: Option<Spanned<u64>>,
    pub request_timeout_ms: Option<Spanned<u64>>,
    pub read_timeout_ms: Option<Spanned<u64>>,
    pub max_body_bytes: Option<Spanned<u64>>,
    pub max_redirects: Option<Spanned<u64>>,
    pub retries: Option<u32>,
    pub retry_base_ms: Option<u64>,
    pub retry_max_ms: Option<u64>,
    pub max_crawl_delay_ms: Option<u64>,
    pub robots_ttl: Option<Spanned<String>>,
    pub error_backoff_max: Option<Spanned<String>>,
    pub fetch_full_text: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBrand {
    pub name: Spanned<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub query: Option<Spanned<String>>,
    #[serde(default)]
    pub own_sites: Vec<String>,
    /// The brand's own account names, whose posts answer a thread.
    pub authors: Option<Spanned<Vec<String>>>,
    pub product: Option<Spanned<String>>,
    pub contact_email: Option<Spanned<String>>,
    pub contact_phone: Option<Spanned<String>>,
    pub hours: Option<Spanned<String>>,
    /// Language code → "formal" | "informal".
    pub address: Option<Spanned<RawAddress>>,
}

/// `[brands.address]`: language code → form, both spanned for errors.
pub type RawAddress = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: Option<Spanned<String>>,
    pub url: Spanned<String>,
    pub kind: Option<Spanned<String>>,
    pub schedule: Option<Spanned<String>>,
    pub lang: Option<Spanned<String>>,
    pub depth: Option<u32>,
    pub max_pages: Option<Spanned<u64>>,
    pub selectors: Option<RawSelectors>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSelectors {
    pub item: Option<Spanned<String>>,
    pub text: Option<Spanned<String>>,
    pub author: Option<Spanned<String>>,
    pub date: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub permalink: Option<Spanned<String>>,
    pub next: Option<Spanned<String>>,
}
