//! One fetch: redirect hops followed by hand (each hop guarded and checked
//! against robots.txt), retries, timeouts and the streamed, capped body.

use super::guard::{BlockedName, Reach};
use super::politeness::{parse_retry_after, retry_wait, Turn};
use super::robots::{self, Entry, Rules};
use super::{FetchError, Fetched, Fetcher, Page, Validators};
use futures_util::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;
use url::Url;

/// What one call of [`Fetcher::get`] is for.
struct Want<'a> {
    validators: Option<&'a Validators>,
    check_robots: bool,
    check_content_type: bool,
    body_cap: u64,
    /// Keep the first `body_cap` bytes instead of failing (robots.txt).
    truncate: bool,
}

impl Fetcher {
    /// Polite, safe GET: robots.txt, per-host spacing and concurrency, the
    /// address guard on every hop, time and size caps, retries.
    pub async fn fetch(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        let want = Want {
            validators,
            check_robots: true,
            check_content_type: true,
            body_cap: self.inner.limits.max_body_bytes,
            truncate: false,
        };
        self.get(url, &want).await
    }

    /// The robots.txt verdict for a URL, without fetching it. "Unavailable"
    /// robots.txt answers `false`; a refused address is an error.
    pub async fn allowed(&self, url: &Url) -> Result<bool, FetchError> {
        check_scheme(url)?;
        self.reach(url)?;
        let rules = self.robots_rules(url).await?;
        Ok(rules.allows(url))
    }

    /// Follows redirects by hand so that every hop is checked.
    async fn get(&self, start: &Url, want: &Want<'_>) -> Result<Fetched, FetchError> {
        let mut url = without_fragment(start);
        let mut seen = HashSet::from([url.clone()]);
        let mut redirects = 0;
        loop {
            check_scheme(&url)?;
            let reach = self.reach(&url)?;
            if want.check_robots {
                let rules = self.robots_rules(&url).await?;
                if let Rules::Unreachable { reason } = rules.as_ref() {
                    return Err(FetchError::RobotsUnavailable {
                        origin: url.origin().ascii_serialization(),
                        reason: reason.clone(),
                    });
                }
                if !rules.allows(&url) {
                    tracing::debug!(url = %display_url(&url), "robots.txt disallows");
                    return Err(FetchError::RobotsDisallowed {
                        url: display_url(&url),
                    });
                }
            }
            let (resp, turn, deadline) = self.send(&url, reach, want.validators).await?;
            let status = resp.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                drop(turn);
                let next = redirect_target(&url, resp.headers())?;
                redirects += 1;
                if !seen.insert(next.clone()) {
                    return Err(FetchError::RedirectLoop {
                        url: display_url(&next),
                    });
                }
                if redirects > self.inner.limits.max_redirects {
                    return Err(FetchError::TooManyRedirects {
                        url: display_url(start),
                        max: self.inner.limits.max_redirects,
                    });
                }
                tracing::debug!(from = %display_url(&url), to = %display_url(&next), status, "redirect");
                url = next;
                continue;
            }
            return match status {
                304 => Ok(Fetched::NotModified),
                404 | 410 => Ok(Fetched::Gone { status }),
                200..=299 => self.read_page(url, resp, want, deadline, turn).await,
                code => Err(FetchError::Status {
                    url: display_url(&url),
                    code,
                    retry_after: retry_after(resp.headers()),
                }),
            };
        }
    }

    /// The guard's verdict on a hop before anything is sent.
    fn reach(&self, url: &Url) -> Result<Reach, FetchError> {
        self.inner
            .guard
            .check_literal(url)
            .map_err(|ip| FetchError::Blocked {
                url: display_url(url),
                reason: format!("{ip} is not a global address"),
            })
    }

    /// Sends one GET, retrying 429, 5xx and connection failures. Returns the
    /// response with the host turn (held until the body is read) and the
    /// deadline of this attempt.
    async fn send(
        &self,
        url: &Url,
        reach: Reach,
        validators: Option<&Validators>,
    ) -> Result<(reqwest::Response, Turn, Instant), FetchError> {
        let limits = &self.inner.limits;
        let client = match reach {
            Reach::Any => &self.inner.open,
            Reach::GlobalOnly => &self.inner.guarded,
        };
        let key = host_key(url);
        let mut attempt = 0;
        loop {
            let turn = self.inner.hosts.turn(&key).await;
            let started = Instant::now();
            let deadline = started + limits.request_timeout;
            let request = client
                .get(url.clone())
                .headers(conditional_headers(validators));
            let result = tokio::time::timeout_at(deadline, request.send()).await;
            let ms = started.elapsed().as_millis() as u64;
            let retry_in = match result {
                Err(_) => {
                    return Err(FetchError::Timeout {
                        url: display_url(url),
                        phase: "waiting for",
                        after: limits.request_timeout,
                    })
                }
                Ok(Err(e)) => {
                    let err = network_error(url, &e, limits.connect_timeout);
                    tracing::debug!(url = %display_url(url), ms, error = %err, "request failed");
                    if matches!(err, FetchError::Blocked { .. }) || attempt >= limits.retries {
                        return Err(err);
                    }
                    retry_wait(attempt, None, limits.retry_base, limits.retry_max)
                }
                Ok(Ok(resp)) => {
                    let status = resp.status().as_u16();
                    tracing::debug!(url = %display_url(url), status, ms, "response");
                    if !(status == 429 || status >= 500) || attempt >= limits.retries {
                        return Ok((resp, turn, deadline));
                    }
                    let asked = retry_after(resp.headers());
                    retry_wait(attempt, asked, limits.retry_base, limits.retry_max)
                }
            };
            drop(turn);
            attempt += 1;
            tracing::info!(url = %display_url(url), attempt, wait_ms = retry_in.as_millis() as u64, "retrying");
            tokio::time::sleep(retry_in).await;
        }
    }

    async fn read_page(
        &self,
        url: Url,
        resp: reqwest::Response,
        want: &Want<'_>,
        deadline: Instant,
        turn: Turn,
    ) -> Result<Fetched, FetchError> {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let content_type = header_str(&headers, header::CONTENT_TYPE);
        if want.check_content_type {
            if let Some(ct) = &content_type {
                if !content_type_acceptable(ct) {
                    return Err(FetchError::ContentType {
                        url: display_url(&url),
                        content_type: ct.clone(),
                    });
                }
            }
        }
        let started = Instant::now();
        let body = self.read_body(&url, resp, want, deadline).await?;
        drop(turn);
        tracing::debug!(
            url = %display_url(&url),
            status,
            bytes = body.len(),
            ms = started.elapsed().as_millis() as u64,
            "body read"
        );
        Ok(Fetched::Page(Page {
            validators: Validators {
                etag: header_str(&headers, header::ETAG),
                last_modified: header_str(&headers, header::LAST_MODIFIED),
            },
            url,
            status,
            content_type,
            body,
        }))
    }

    /// Streams the decoded body, stopping at the cap so a decompression bomb
    /// costs at most `cap` bytes of memory.
    async fn read_body(
        &self,
        url: &Url,
        resp: reqwest::Response,
        want: &Want<'_>,
        deadline: Instant,
    ) -> Result<Vec<u8>, FetchError> {
        let limits = &self.inner.limits;
        let cap = want.body_cap;
        let too_large = || FetchError::TooLarge {
            url: display_url(url),
            limit: cap,
        };
        // Content-Length is the encoded size: decoded is at least as large.
        if resp.content_length().is_some_and(|n| n > cap) && !want.truncate {
            return Err(too_large());
        }
        let mut body = Vec::new();
        let mut stream = resp.bytes_stream();
        loop {
            let chunk_deadline = deadline.min(Instant::now() + limits.read_timeout);
            let next = match tokio::time::timeout_at(chunk_deadline, stream.next()).await {
                Ok(next) => next,
                Err(_) if chunk_deadline == deadline => {
                    return Err(FetchError::Timeout {
                        url: display_url(url),
                        phase: "reading",
                        after: limits.request_timeout,
                    })
                }
                Err(_) => {
                    return Err(FetchError::Timeout {
                        url: display_url(url),
                        phase: "waiting for the next chunk of",
                        after: limits.read_timeout,
                    })
                }
            };
            let Some(chunk) = next else {
                return Ok(body);
            };
            let chunk = chunk.map_err(|e| network_error(url, &e, limits.connect_timeout))?;
            let room = (cap as usize).saturating_sub(body.len());
            if chunk.len() > room {
                if want.truncate {
                    body.extend_from_slice(&chunk[..room]);
                    return Ok(body);
                }
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
    }

    /// The robots.txt rules for a URL's origin: cached, else fetched once
    /// (concurrent callers wait for the same request). Sets the host's Crawl-delay.
    async fn robots_rules(&self, url: &Url) -> Result<Arc<Rules>, FetchError> {
        let origin = url.origin().ascii_serialization();
        let slot = self.inner.robots.slot(&origin);
        let mut entry = slot.lock().await;
        if let Some(e) = entry.as_ref().filter(|e| e.fresh()) {
            return Ok(e.rules.clone());
        }
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        robots_url.set_fragment(None);
        let want = Want {
            validators: None,
            check_robots: false,
            check_content_type: false,
            body_cap: robots::MAX_ROBOTS_BYTES,
            truncate: true,
        };
        // Boxed: `get` may call back into this function for other URLs.
        let outcome = Box::pin(self.get(&robots_url, &want)).await;
        let rules = match outcome {
            Ok(Fetched::Page(page)) => Rules::parse(&self.inner.agent_token, &page.body),
            // RFC 9309 §2.3.1.3: "unavailable" (4xx) means no rules.
            Ok(Fetched::Gone { .. } | Fetched::NotModified) => Rules::AllowAll,
            Err(FetchError::Status { code, .. }) if (400..500).contains(&code) && code != 429 => {
                Rules::AllowAll
            }
            Err(FetchError::TooManyRedirects { .. }) => Rules::AllowAll,
            Err(e @ FetchError::Blocked { .. }) => return Err(e),
            // §2.3.1.4: "unreachable" (5xx, network): assume complete disallow.
            Err(e) => Rules::Unreachable {
                reason: e.to_string(),
            },
        };
        tracing::debug!(origin = %origin, rules = ?rules, "robots.txt");
        let crawl_delay = rules.crawl_delay(self.inner.limits.max_crawl_delay);
        self.inner
            .hosts
            .set_crawl_delay(&host_key(url), crawl_delay);
        let fresh = Entry::new(rules, self.inner.limits.robots_ttl);
        let rules = fresh.rules.clone();
        *entry = Some(fresh);
        Ok(rules)
    }
}

/// Politeness is per `host:port`, across schemes.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn check_scheme(url: &Url) -> Result<(), FetchError> {
    if matches!(url.scheme(), "http" | "https") && url.host().is_some() {
        Ok(())
    } else {
        Err(FetchError::UnsupportedScheme {
            url: display_url(url),
        })
    }
}

fn without_fragment(url: &Url) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    url
}

fn redirect_target(from: &Url, headers: &HeaderMap) -> Result<Url, FetchError> {
    let location = header_str(headers, header::LOCATION).unwrap_or_default();
    let bad = || FetchError::BadRedirect {
        url: display_url(from),
        location: location.clone(),
    };
    if location.trim().is_empty() {
        return Err(bad());
    }
    from.join(location.trim())
        .map(|u| without_fragment(&u))
        .map_err(|_| bad())
}

fn conditional_headers(validators: Option<&Validators>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let Some(v) = validators else {
        return headers;
    };
    let pairs = [
        (header::IF_NONE_MATCH, &v.etag),
        (header::IF_MODIFIED_SINCE, &v.last_modified),
    ];
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().and_then(|s| HeaderValue::from_str(s).ok()) {
            headers.insert(name, value);
        }
    }
    headers
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = header_str(headers, header::RETRY_AFTER)?;
    parse_retry_after(&value, SystemTime::now())
}

/// Maps a reqwest error, finding a guard refusal or a timeout in its chain.
fn network_error(url: &Url, err: &reqwest::Error, connect_timeout: Duration) -> FetchError {
    let mut reasons: Vec<String> = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(blocked) = e.downcast_ref::<BlockedName>() {
            return FetchError::Blocked {
                url: display_url(url),
                reason: blocked.to_string(),
            };
        }
        let text = e.to_string();
        // reqwest repeats the URL at the top; the causes say what happened.
        if !text.starts_with("error sending request") && !reasons.iter().any(|r| r == &text) {
            reasons.push(text);
        }
        source = e.source();
    }
    if err.is_timeout() {
        return FetchError::Timeout {
            url: display_url(url),
            phase: "connecting to",
            after: connect_timeout,
        };
    }
    FetchError::Network {
        url: display_url(url),
        reason: if reasons.is_empty() {
            "request failed".to_string()
        } else {
            reasons.join(": ")
        },
    }
}

/// Pages, feeds and sitemaps are text: HTML, XML (RSS, Atom, XHTML), JSON
/// (JSON Feed). Anything else — images, audio, video, PDF, archives,
/// octet-stream — is refused before its body is read.
pub fn content_type_acceptable(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty() {
        return true;
    }
    let Some((kind, sub)) = mime.split_once('/') else {
        return false;
    };
    kind == "text"
        || sub == "xml"
        || sub.ends_with("+xml")
        || sub == "json"
        || sub.ends_with("+json")
        || sub.contains("rss")
        || sub.contains("atom")
        || sub.contains("xhtml")
}

/// A URL fit for logs and error messages: password dropped, token-like
/// query values masked.
pub fn display_url(url: &Url) -> String {
    const SECRET_KEYS: [&str; 8] = [
        "token", "key", "secret", "pass", "auth", "sig", "session", "code",
    ];
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret = SECRET_KEYS
                    .iter()
                    .any(|s| k.to_ascii_lowercase().contains(s));
                let v = if secret { "***".into() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        if pairs.iter().any(|(_, v)| v == "***") {
            shown.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        for ok in [
            "text/html; charset=windows-1251",
            "text/plain",
            "application/xml",
            "application/rss+xml",
            "application/atom+xml",
            "application/xhtml+xml",
            "application/json",
            "application/feed+json",
            "application/x-rss",
            "",
        ] {
            assert!(content_type_acceptable(ok), "{ok}");
        }
        for bad in [
            "image/png",
            "audio/mpeg",
            "video/mp4",
            "application/pdf",
            "application/zip",
            "application/octet-stream",
            "font/woff2",
            "garbage",
        ] {
            assert!(!content_type_acceptable(bad), "{bad}");
        }
    }

    #[test]
    fn urls_in_logs_hide_secrets() {
        let u = Url::parse("http://bob:hunter2@example.org/feed?api_key=abc&page=2#x").unwrap();
        let shown = display_url(&u);
        assert!(
            !shown.contains("hunter2") && !shown.contains("abc"),
            "{shown}"
        );
        assert!(shown.contains("page=2"), "{shown}");
        let plain = Url::parse("http://example.org/a?b=c").unwrap();
        assert_eq!(display_url(&plain), "http://example.org/a?b=c");
    }

    #[test]
    fn redirect_targets_resolve_relative_locations() {
        let from = Url::parse("http://example.org/a/b").unwrap();
        let mut h = HeaderMap::new();
        h.insert(header::LOCATION, HeaderValue::from_static("../c#frag"));
        assert_eq!(
            redirect_target(&from, &h).unwrap().as_str(),
            "http://example.org/c"
        );
        assert!(matches!(
            redirect_target(&from, &HeaderMap::new()),
            Err(FetchError::BadRedirect { .. })
        ));
    }

    #[test]
    fn validators_become_conditional_headers() {
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: Some("Wed, 21 Oct 2015 07:28:00 GMT".into()),
        };
        let h = conditional_headers(Some(&v));
        assert_eq!(h[header::IF_NONE_MATCH], "\"abc\"");
        assert_eq!(
            h[header::IF_MODIFIED_SINCE],
            "Wed, 21 Oct 2015 07:28:00 GMT"
        );
        assert!(conditional_headers(None).is_empty());
    }
}
