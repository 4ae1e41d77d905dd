//! `[web]`: where `hearsay serve` listens and who may come in from off
//! loopback. Tokens live in environment variables, never in the file.

use super::raw::RawWeb;
use super::{ConfigError, Validator};
use std::collections::HashSet;
use std::net::SocketAddr;

/// `[web]`, validated.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Default `127.0.0.1:8080`; `--bind` overrides it.
    pub bind: SocketAddr,
    pub users: Vec<WebUser>,
}

/// A person allowed in with a token; the token is read from `token_env`
/// when the server starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUser {
    pub name: String,
    pub token_env: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            users: Vec::new(),
        }
    }
}

impl Validator<'_> {
    pub(super) fn web(&self, raw: Option<&RawWeb>) -> Result<WebConfig, ConfigError> {
        let Some(raw) = raw else {
            return Ok(WebConfig::default());
        };
        let bind = match &raw.bind {
            None => WebConfig::default().bind,
            Some(b) => b.get_ref().trim().parse().or_else(|_| {
                self.err(
                    "web.bind",
                    b.span(),
                    format!(
                        "`{}` is not an address:port such as 127.0.0.1:8080",
                        b.get_ref()
                    ),
                )
            })?,
        };
        let mut names = HashSet::new();
        let mut users = Vec::new();
        for u in &raw.users {
            let name = u.name.get_ref().trim().to_string();
            if name.is_empty() || !names.insert(name.clone()) {
                return self.err(
                    "web.users.name",
                    u.name.span(),
                    "must be a name of its own (not empty, not twice)",
                );
            }
            let var = u.token_env.get_ref().trim();
            if var.is_empty() || !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return self.err(
                    "web.users.token_env",
                    u.token_env.span(),
                    "must name an environment variable (letters, digits, _), not hold the token",
                );
            }
            users.push(WebUser {
                name,
                token_env: var.to_string(),
            });
        }
        Ok(WebConfig { bind, users })
    }
}
