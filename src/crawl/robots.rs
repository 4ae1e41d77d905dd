//! robots.txt per RFC 9309: rules per origin, cached, fetched once at a time.
//!
//! Parsing and matching (groups by user-agent, longest match, `*` and `$`,
//! Allow winning ties) are texting_robots'; this module decides what a fetch
//! outcome means (4xx: no rules; 5xx or unreachable: disallow all for now) and
//! how long a verdict is kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use texting_robots::Robot;
use tokio::time::Instant;

/// RFC 9309 §2.5: crawlers must parse at least 500 KiB; the rest is ignored.
pub const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// How long "unreachable, disallow all" is kept before robots.txt is tried again.
const UNREACHABLE_TTL: Duration = Duration::from_secs(5 * 60);

/// What robots.txt says about an origin.
pub enum Rules {
    /// No robots.txt (4xx) or nothing usable in it: everything is allowed.
    AllowAll,
    /// robots.txt could not be fetched (5xx, network error): nothing is
    /// allowed until it can be read.
    Unreachable { reason: String },
    /// Parsed rules for our user-agent's group.
    Parsed(Box<Robot>),
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rules::AllowAll => f.write_str("AllowAll"),
            Rules::Unreachable { reason } => write!(f, "Unreachable({reason})"),
            Rules::Parsed(r) => write!(f, "Parsed(delay: {:?})", r.delay),
        }
    }
}

impl Rules {
    /// Parses a fetched robots.txt for `agent` (our product token). A file the
    /// parser rejects counts as having no usable rules.
    pub fn parse(agent: &str, body: &[u8]) -> Rules {
        match Robot::new(agent, body) {
            Ok(robot) => Rules::Parsed(Box::new(robot)),
            Err(e) => {
                tracing::warn!(error = %e, "robots.txt unparseable, treating as no rules");
                Rules::AllowAll
            }
        }
    }

    /// The verdict for a URL's path and query.
    pub fn allows(&self, url: &url::Url) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::Unreachable { .. } => false,
            Rules::Parsed(robot) => robot.allowed(url.as_str()),
        }
    }

    /// The Crawl-delay for our group, capped.
    pub fn crawl_delay(&self, cap: Duration) -> Option<Duration> {
        match self {
            Rules::Parsed(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(86_400.0)).min(cap)),
            _ => None,
        }
    }
}

/// The product token robots.txt groups are matched against:
/// `Hearsay/0.1 (+https://…)` → `Hearsay` (RFC 9309 §2.2.1).
pub fn product_token(user_agent: &str) -> String {
    let token: String = user_agent
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if token.is_empty() {
        "*".to_string()
    } else {
        token
    }
}

/// Cached verdicts per origin (`scheme://host:port`).
#[derive(Debug, Default)]
pub struct RobotsCache {
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Entry>>>>>,
}

#[derive(Debug)]
pub struct Entry {
    pub rules: Arc<Rules>,
    expires: Instant,
}

impl Entry {
    /// A verdict to keep for `ttl`; "unreachable" is kept only briefly.
    pub fn new(rules: Rules, ttl: Duration) -> Entry {
        let ttl = match rules {
            Rules::Unreachable { .. } => ttl.min(UNREACHABLE_TTL),
            _ => ttl,
        };
        Entry {
            rules: Arc::new(rules),
            expires: Instant::now() + ttl,
        }
    }

    pub fn fresh(&self) -> bool {
        Instant::now() < self.expires
    }
}

impl RobotsCache {
    /// The slot for an origin. Callers lock it across the fetch of robots.txt so
    /// concurrent fetches on one origin wait for a single robots.txt request.
    pub fn slot(&self, origin: &str) -> Arc<tokio::sync::Mutex<Option<Entry>>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(origin.to_string()).or_default().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str) -> url::Url {
        url::Url::parse(&format!("http://example.org{path}")).unwrap()
    }

    #[test]
    fn product_token_is_the_first_word() {
        assert_eq!(
            product_token("Hearsay/0.1 (+https://example.org/bot)"),
            "Hearsay"
        );
        assert_eq!(product_token("my-bot"), "my-bot");
        assert_eq!(product_token("/weird"), "*");
    }

    #[test]
    fn our_group_longest_match_and_allow_ties() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: hearsay\nDisallow: /private\nAllow: /private/open\nDisallow: /*.pdf$\nCrawl-delay: 2\n";
        let rules = Rules::parse("Hearsay", txt);
        assert!(rules.allows(&url("/blog/post")));
        assert!(!rules.allows(&url("/private/x")));
        assert!(rules.allows(&url("/private/open/y")));
        assert!(!rules.allows(&url("/files/a.pdf")));
        assert!(rules.allows(&url("/files/a.pdf?x=1")));
        assert_eq!(
            rules.crawl_delay(Duration::from_secs(30)),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            rules.crawl_delay(Duration::from_secs(1)),
            Some(Duration::from_secs(1))
        );

        let other = Rules::parse("Otherbot", txt);
        assert!(!other.allows(&url("/blog/post")));
    }

    #[test]
    fn unreachable_disallows_and_expires_soon() {
        let rules = Rules::Unreachable {
            reason: "500".into(),
        };
        assert!(!rules.allows(&url("/")));
        let entry = Entry::new(rules, Duration::from_secs(86_400));
        assert!(entry.expires <= Instant::now() + UNREACHABLE_TTL);
        assert!(entry.fresh());
    }

    #[test]
    fn large_files_parse() {
        let mut txt = String::from("User-agent: *\n");
        while txt.len() < 600 * 1024 {
            txt.push_str("Disallow: /some/long/path/segment/that/repeats\n");
        }
        txt.push_str("Disallow: /last\n");
        let rules = Rules::parse("Hearsay", txt.as_bytes());
        assert!(!rules.allows(&url("/last")));
        assert!(rules.allows(&url("/other")));
    }
}
