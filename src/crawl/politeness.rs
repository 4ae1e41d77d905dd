//! Per-host politeness: a cap on requests in flight and a minimum spacing
//! between request starts, held across every caller of one fetcher so that
//! all sources on a host share them. Also the retry timing (Retry-After,
//! capped exponential backoff).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// Limits of every host seen, keyed by `host:port`.
#[derive(Debug)]
pub struct Hosts {
    concurrency: usize,
    base_delay: Duration,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
}

#[derive(Debug)]
struct Host {
    permits: Arc<Semaphore>,
    slots: Mutex<Slots>,
}

#[derive(Debug)]
struct Slots {
    /// Earliest start of the next request.
    next: Instant,
    /// Spacing in force: the configured delay, raised by a robots Crawl-delay.
    delay: Duration,
}

/// Held while a request to a host is in flight; dropping it frees the slot.
#[derive(Debug)]
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

impl Hosts {
    pub fn new(concurrency: usize, base_delay: Duration) -> Hosts {
        Hosts {
            concurrency: concurrency.max(1),
            base_delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, key: &str) -> Arc<Host> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
        hosts
            .entry(key.to_string())
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Arc::new(Semaphore::new(self.concurrency)),
                    slots: Mutex::new(Slots {
                        next: Instant::now(),
                        delay: self.base_delay,
                    }),
                })
            })
            .clone()
    }

    /// Waits for a free slot on `key` and for its spacing, then returns the turn.
    /// Start times are reserved under a lock, so concurrent callers get starts at
    /// least one spacing apart even when several requests may be in flight.
    pub async fn turn(&self, key: &str) -> Turn {
        let host = self.host(key);
        let permit = host
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        let start = {
            let mut slots = host.slots.lock().unwrap_or_else(|e| e.into_inner());
            let start = slots.next.max(Instant::now());
            slots.next = start + slots.delay;
            start
        };
        tokio::time::sleep_until(start).await;
        Turn { _permit: permit }
    }

    /// Raises a host's spacing to a robots.txt Crawl-delay (already capped);
    /// never lowers it below the configured delay.
    pub fn set_crawl_delay(&self, key: &str, crawl_delay: Option<Duration>) {
        let host = self.host(key);
        let mut slots = host.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.delay = self.base_delay.max(crawl_delay.unwrap_or_default());
    }
}

/// The wait before retry number `attempt` (0-based): the server's Retry-After
/// when given, else `base * 2^attempt`; both capped by `max`.
pub fn retry_wait(
    attempt: u32,
    retry_after: Option<Duration>,
    base: Duration,
    max: Duration,
) -> Duration {
    let wait =
        retry_after.unwrap_or_else(|| base.saturating_mul(2u32.saturating_pow(attempt.min(20))));
    wait.min(max)
}

/// Parses a Retry-After value: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
/// A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// IMF-fixdate, obsolete RFC 850 and asctime forms, all in GMT.
fn parse_http_date(value: &str) -> Option<SystemTime> {
    use chrono::{DateTime, NaiveDateTime};
    let utc = if let Ok(d) = DateTime::parse_from_rfc2822(value) {
        d.to_utc()
    } else {
        let naive = NaiveDateTime::parse_from_str(value, "%A, %d-%b-%y %H:%M:%S GMT")
            .or_else(|_| NaiveDateTime::parse_from_str(value, "%a %b %e %H:%M:%S %Y"))
            .ok()?;
        naive.and_utc()
    };
    let secs = u64::try_from(utc.timestamp()).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn retry_after_seconds() {
        assert_eq!(
            parse_retry_after("0", SystemTime::now()),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after(" 120 ", SystemTime::now()),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after("-1", SystemTime::now()), None);
        assert_eq!(parse_retry_after("soon", SystemTime::now()), None);
    }

    #[test]
    fn retry_after_http_dates() {
        // 1994-11-06T08:49:37Z = 784111777
        let now = at(784_111_777 - 30);
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                parse_retry_after(form, now),
                Some(Duration::from_secs(30)),
                "{form}"
            );
        }
        // In the past: retry now.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at(784_111_777 + 5)),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        assert_eq!(retry_wait(0, None, base, max), Duration::from_millis(100));
        assert_eq!(retry_wait(2, None, base, max), Duration::from_millis(400));
        assert_eq!(retry_wait(10, None, base, max), max);
        assert_eq!(retry_wait(50, None, base, max), max);
        assert_eq!(
            retry_wait(0, Some(Duration::from_secs(3600)), base, max),
            max
        );
        assert_eq!(
            retry_wait(3, Some(Duration::ZERO), base, max),
            Duration::ZERO
        );
    }

    // The paused clock makes the spacing exact, whatever else the machine is doing.
    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_across_callers() {
        let delay = Duration::from_millis(40);
        let hosts = Arc::new(Hosts::new(4, delay));
        let mut tasks = Vec::new();
        for _ in 0..3 {
            let hosts = hosts.clone();
            tasks.push(tokio::spawn(async move {
                let _turn = hosts.turn("h:80").await;
                Instant::now()
            }));
        }
        let mut starts = Vec::new();
        for t in tasks {
            starts.push(t.await.unwrap());
        }
        starts.sort();
        for pair in starts.windows(2) {
            assert!(pair[1] - pair[0] >= delay, "{:?}", pair[1] - pair[0]);
        }
        // Another host is not held back by this one's spacing.
        let t1 = Instant::now();
        let _other = hosts.turn("other:80").await;
        assert!(t1.elapsed() < delay);
    }

    #[tokio::test(start_paused = true)]
    async fn concurrency_is_capped_and_crawl_delay_raises_spacing() {
        let hosts = Hosts::new(1, Duration::ZERO);
        let first = hosts.turn("h:80").await;
        let second = tokio::time::timeout(Duration::from_millis(30), hosts.turn("h:80")).await;
        assert!(second.is_err(), "a second request must wait for the first");
        drop(first);
        let crawl_delay = Duration::from_millis(60);
        hosts.set_crawl_delay("h:80", Some(crawl_delay));
        drop(hosts.turn("h:80").await);
        let t = Instant::now();
        let _b = hosts.turn("h:80").await;
        assert!(t.elapsed() >= crawl_delay - Duration::from_millis(1));
    }
}
