//! The fetcher against a real HTTP server on loopback: politeness, safety
//! limits and conditional GET, with millisecond timings.

use hearsay::config::{Config, CrawlConfig};
use hearsay::crawl::{FetchError, Fetched, Fetcher, Page, Validators};
use hearsay::demo::web::{Reply, Web};
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

/// A crawl config with tiny timings; `extra` lines (`key = value`) go into
/// `[crawl]`, replacing the defaults below.
fn crawl_config(extra: &str) -> CrawlConfig {
    const DEFAULTS: [&str; 8] = [
        "per_host_delay_ms = 0",
        "connect_timeout_ms = 500",
        "request_timeout_ms = 2000",
        "read_timeout_ms = 1000",
        "retries = 2",
        "retry_base_ms = 5",
        "retry_max_ms = 50",
        "robots_ttl = \"1h\"",
    ];
    let key = |line: &str| line.split('=').next().unwrap_or("").trim().to_string();
    let overridden: Vec<String> = extra.lines().map(key).collect();
    let mut text = String::from("[crawl]\n");
    for line in DEFAULTS.iter().filter(|l| !overridden.contains(&key(l))) {
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(extra);
    text.push('\n');
    Config::parse(&text, Path::new("test.toml"))
        .expect("test config is valid")
        .crawl
}

fn fetcher(extra: &str) -> Fetcher {
    Fetcher::new(&crawl_config(extra)).expect("fetcher builds")
}

/// A loopback server with an allow-all robots.txt.
async fn web() -> Web {
    let web = Web::start_local().await.expect("loopback server starts");
    web.route("/robots.txt", Reply::text("User-agent: *\nAllow: /\n"));
    web
}

fn open() -> Fetcher {
    fetcher("allow_private_addresses = true")
}

fn page(result: Result<Fetched, FetchError>) -> Page {
    match result {
        Ok(Fetched::Page(p)) => p,
        other => panic!("expected a page, got {other:?}"),
    }
}

#[tokio::test]
async fn fetches_a_page_with_its_validators() {
    let web = web().await;
    web.route("/a", Reply::html("<p>hello</p>").with_validators());
    let p = page(open().fetch(&web.url("/a"), None).await);
    assert_eq!(p.status, 200);
    assert_eq!(p.body, b"<p>hello</p>");
    assert_eq!(p.url, web.url("/a"));
    assert_eq!(p.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(p.validators.etag.is_some());
    assert!(p.validators.last_modified.is_some());
    let ua = web.requests()[0].header("user-agent").unwrap().to_string();
    assert!(ua.starts_with("Hearsay/"), "{ua}");
}

#[tokio::test]
async fn conditional_get_answers_not_modified() {
    let web = web().await;
    web.route("/feed", Reply::xml("<rss/>").with_validators());
    let f = open();
    let first = page(f.fetch(&web.url("/feed"), None).await);
    let second = f.fetch(&web.url("/feed"), Some(&first.validators)).await;
    assert!(matches!(second, Ok(Fetched::NotModified)), "{second:?}");
    let last = web.requests().into_iter().last().unwrap();
    assert_eq!(
        last.header("if-none-match"),
        first.validators.etag.as_deref()
    );
    assert_eq!(
        last.header("if-modified-since"),
        first.validators.last_modified.as_deref()
    );

    // Only Last-Modified known: still a 304.
    let lm_only = Validators {
        etag: None,
        last_modified: first.validators.last_modified.clone(),
    };
    let third = f.fetch(&web.url("/feed"), Some(&lm_only)).await;
    assert!(matches!(third, Ok(Fetched::NotModified)), "{third:?}");

    // A changed body gets a new ETag: the page comes back.
    web.route("/feed", Reply::xml("<rss>new</rss>").with_validators());
    let fourth = page(
        f.fetch(
            &web.url("/feed"),
            Some(&Validators {
                etag: first.validators.etag.clone(),
                last_modified: None,
            }),
        )
        .await,
    );
    assert_eq!(fourth.body, b"<rss>new</rss>");
}

#[tokio::test]
async fn not_found_and_gone_are_gone() {
    let web = web().await;
    web.route("/gone", Reply::status(410));
    let f = open();
    let missing = f.fetch(&web.url("/missing"), None).await;
    assert!(
        matches!(missing, Ok(Fetched::Gone { status: 404 })),
        "{missing:?}"
    );
    let gone = f.fetch(&web.url("/gone"), None).await;
    assert!(
        matches!(gone, Ok(Fetched::Gone { status: 410 })),
        "{gone:?}"
    );
    // 403 is not evidence of deletion.
    web.route("/forbidden", Reply::status(403));
    let forbidden = f.fetch(&web.url("/forbidden"), None).await;
    assert!(
        matches!(forbidden, Err(FetchError::Status { code: 403, .. })),
        "{forbidden:?}"
    );
}

#[tokio::test]
async fn server_errors_are_retried() {
    let web = web().await;
    web.route_seq(
        "/flaky",
        vec![Reply::status(500), Reply::status(503), Reply::html("ok")],
    );
    let p = page(open().fetch(&web.url("/flaky"), None).await);
    assert_eq!(p.body, b"ok");
    assert_eq!(web.hits("/flaky"), 3);

    // Retries run out: the last status is reported.
    web.route("/down", Reply::status(502));
    let err = open().fetch(&web.url("/down"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Status { code: 502, .. }), "{err}");
    assert!(err.is_transient());
    assert_eq!(web.hits("/down"), 3, "1 try + 2 retries");
}

#[tokio::test]
async fn too_many_requests_honours_retry_after() {
    let web = web().await;
    web.route_seq(
        "/busy",
        vec![
            Reply::status(429).with_header("retry-after", "0"),
            Reply::status(429).with_header("retry-after", "1"),
            Reply::html("done"),
        ],
    );
    // retry_max above one second, so Retry-After: 1 is honoured in full.
    let f = fetcher("allow_private_addresses = true\nretry_max_ms = 3000");
    let p = page(f.fetch(&web.url("/busy"), None).await);
    assert_eq!(p.body, b"done");
    let times: Vec<_> = web
        .requests()
        .into_iter()
        .filter(|r| r.path() == "/busy")
        .map(|r| r.at)
        .collect();
    assert_eq!(times.len(), 3);
    assert!(
        times[2] - times[1] >= Duration::from_millis(990),
        "waited {:?} after Retry-After: 1",
        times[2] - times[1]
    );

    // Retry-After beyond retry_max is capped; once retries run out the hint is kept.
    web.route(
        "/busy-long",
        Reply::status(429).with_header("retry-after", "3600"),
    );
    let started = std::time::Instant::now();
    let err = open()
        .fetch(&web.url("/busy-long"), None)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)), "{err}");
}

#[tokio::test]
async fn slow_answers_time_out() {
    let web = web().await;
    web.route(
        "/slow",
        Reply::html("late").with_delay(Duration::from_secs(3)),
    );
    let f = fetcher("allow_private_addresses = true\nrequest_timeout_ms = 200");
    let started = std::time::Instant::now();
    let err = f.fetch(&web.url("/slow"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));

    // A body that stalls between chunks hits the read timeout.
    web.route(
        "/stall",
        Reply::html(vec![b'a'; 64]).with_trickle(16, Duration::from_millis(400)),
    );
    let f = fetcher("allow_private_addresses = true\nread_timeout_ms = 100");
    let err = f.fetch(&web.url("/stall"), None).await.unwrap_err();
    assert!(
        matches!(err, FetchError::Timeout { phase, .. } if phase.contains("chunk")),
        "{err}"
    );
}

#[tokio::test]
async fn gzip_bomb_is_cut_off() {
    let web = web().await;
    // 256 MiB inflated, a few hundred KiB on the wire; the cap is 1 MiB.
    web.route("/bomb", Reply::gzip_bomb(256 * 1024 * 1024));
    let f = fetcher("allow_private_addresses = true\nmax_body_bytes = 1048576");
    let peak_before = peak_rss_bytes();
    let err = f.fetch(&web.url("/bomb"), None).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 1048576, .. }),
        "{err}"
    );
    if let (Some(before), Some(after)) = (peak_before, peak_rss_bytes()) {
        // Inflating it all would add 256 MiB to the peak.
        assert!(
            after.saturating_sub(before) < 64 * 1024 * 1024,
            "peak memory grew by {} bytes",
            after - before
        );
    }
    // A small compressed page is decoded transparently.
    web.route("/small-gz", Reply::gzip_bomb(1000));
    let p = page(f.fetch(&web.url("/small-gz"), None).await);
    assert_eq!(p.body, vec![0u8; 1000]);
    let asked = web.requests().into_iter().last().unwrap();
    assert!(asked
        .header("accept-encoding")
        .unwrap_or("")
        .contains("gzip"));
}

/// The process's peak resident memory (Linux), for the decompression-bomb test.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[tokio::test]
async fn oversized_page_is_refused() {
    let web = web().await;
    web.route("/big", Reply::html(vec![b'x'; 20_000]));
    // Trickled: no early Content-Length verdict, the streaming cap decides.
    web.route(
        "/big-stream",
        Reply::html(vec![b'x'; 20_000]).with_trickle(4096, Duration::ZERO),
    );
    web.route("/fits", Reply::html(vec![b'x'; 10_000]));
    let f = fetcher("allow_private_addresses = true\nmax_body_bytes = 10000");
    for path in ["/big", "/big-stream"] {
        let err = f.fetch(&web.url(path), None).await.unwrap_err();
        assert!(
            matches!(err, FetchError::TooLarge { limit: 10000, .. }),
            "{path}: {err}"
        );
    }
    assert_eq!(
        page(f.fetch(&web.url("/fits"), None).await).body.len(),
        10_000
    );
}

#[tokio::test]
async fn redirects_are_followed_and_loops_refused() {
    let web = web().await;
    web.route("/old", Reply::redirect(301, "/new"));
    web.route("/new", Reply::html("moved"));
    let f = open();
    let p = page(f.fetch(&web.url("/old"), None).await);
    assert_eq!(p.url, web.url("/new"));
    assert_eq!(p.body, b"moved");

    web.route("/loop-a", Reply::redirect(302, "/loop-b"));
    web.route("/loop-b", Reply::redirect(302, "/loop-a"));
    let err = f.fetch(&web.url("/loop-a"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::RedirectLoop { .. }), "{err}");

    for i in 0..5 {
        web.route(
            &format!("/chain{i}"),
            Reply::redirect(307, &format!("/chain{}", i + 1)),
        );
    }
    web.route("/chain5", Reply::html("end"));
    let short = fetcher("allow_private_addresses = true\nmax_redirects = 3");
    let err = short.fetch(&web.url("/chain0"), None).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooManyRedirects { max: 3, .. }),
        "{err}"
    );
    assert_eq!(page(f.fetch(&web.url("/chain0"), None).await).body, b"end");

    web.route("/ftp", Reply::redirect(302, "ftp://example.org/file"));
    let err = f.fetch(&web.url("/ftp"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::UnsupportedScheme { .. }), "{err}");
}

#[tokio::test]
async fn allow_addresses_is_literal_on_every_hop() {
    let web = web().await;
    let port = web.addr().port();
    // Same port on a second loopback address when free, so only the IP differs.
    let second = match Web::start(SocketAddr::from(([127, 0, 0, 2], port))).await {
        Ok(web) => web,
        Err(_) => Web::start(SocketAddr::from(([127, 0, 0, 2], 0)))
            .await
            .expect("second loopback address binds"),
    };
    second.route("/robots.txt", Reply::text(""));
    second.route("/target", Reply::html("should never be fetched"));
    web.route("/here", Reply::html("allowed"));
    web.route(
        "/to-second",
        Reply::redirect(302, second.url("/target").as_str()),
    );
    web.route(
        "/to-localhost",
        Reply::redirect(302, &format!("http://localhost:{port}/here")),
    );

    let f = fetcher(&format!("allow_addresses = [\"127.0.0.1:{port}\"]"));
    assert_eq!(
        page(f.fetch(&web.url("/here"), None).await).body,
        b"allowed"
    );

    let err = f.fetch(&web.url("/to-second"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
    assert!(err.to_string().contains("127.0.0.2"), "{err}");
    assert_eq!(second.requests().len(), 0, "nothing reached 127.0.0.2");

    let before = web.hits("/here");
    let err = f.fetch(&web.url("/to-localhost"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
    assert_eq!(
        web.hits("/here"),
        before,
        "localhost:{port} was not fetched"
    );
}

#[tokio::test]
async fn private_addresses_are_refused_by_default() {
    let web = web().await;
    web.route("/a", Reply::html("private"));
    let f = fetcher("");
    let err = f.fetch(&web.url("/a"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
    assert!(!err.is_skip() && !err.is_transient());

    // A name resolving to loopback is refused after resolution, robots.txt included.
    let by_name = url::Url::parse(&format!("http://localhost:{}/a", web.addr().port())).unwrap();
    let err = f.fetch(&by_name, None).await.unwrap_err();
    assert!(matches!(err, FetchError::Blocked { .. }), "{err}");
    assert!(f.allowed(&by_name).await.is_err());
    assert!(web.requests().is_empty(), "{:?}", web.requests());
}

#[tokio::test]
async fn robots_disallow_skips_without_fetching() {
    let web = Web::start_local().await.unwrap();
    web.route(
        "/robots.txt",
        Reply::text(
            "User-agent: *\nDisallow: /private\n\nUser-agent: Hearsay\nDisallow: /secret\n",
        ),
    );
    web.route("/secret/page", Reply::html("no"));
    web.route(
        "/private/page",
        Reply::html("our group does not disallow this"),
    );
    let f = open();
    let err = f.fetch(&web.url("/secret/page"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::RobotsDisallowed { .. }), "{err}");
    assert!(err.is_skip());
    assert_eq!(web.hits("/secret/page"), 0);
    assert!(!f.allowed(&web.url("/secret/other")).await.unwrap());
    // Our own group replaces `*`: its rules alone apply.
    assert!(f.allowed(&web.url("/private/page")).await.unwrap());
    page(f.fetch(&web.url("/private/page"), None).await);
    assert_eq!(web.hits("/robots.txt"), 1, "robots.txt is cached");

    // A disallowed redirect target is not fetched either.
    web.route("/jump", Reply::redirect(302, "/secret/page"));
    let err = f.fetch(&web.url("/jump"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::RobotsDisallowed { .. }), "{err}");
    assert_eq!(web.hits("/secret/page"), 0);
}

#[tokio::test]
async fn robots_server_error_disallows_and_missing_allows() {
    let broken = Web::start_local().await.unwrap();
    broken.route("/robots.txt", Reply::status(503));
    broken.route("/page", Reply::html("hidden"));
    let f = open();
    let err = f.fetch(&broken.url("/page"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::RobotsUnavailable { .. }), "{err}");
    assert!(
        !err.is_skip(),
        "an unavailable robots.txt is a failure, not a polite skip"
    );
    assert_eq!(broken.hits("/page"), 0);
    assert!(!f.allowed(&broken.url("/other")).await.unwrap());

    let missing = Web::start_local().await.unwrap();
    missing.route("/page", Reply::html("open"));
    assert_eq!(
        page(f.fetch(&missing.url("/page"), None).await).body,
        b"open"
    );
    assert_eq!(missing.hits("/robots.txt"), 1);
}

#[tokio::test]
async fn robots_verdicts_expire() {
    let web = Web::start_local().await.unwrap();
    web.route_seq(
        "/robots.txt",
        vec![Reply::status(500), Reply::text("User-agent: *\nAllow: /\n")],
    );
    web.route("/page", Reply::html("back"));
    let f = fetcher("allow_private_addresses = true\nretries = 0\nrobots_ttl = \"1s\"");
    let err = f.fetch(&web.url("/page"), None).await.unwrap_err();
    assert!(matches!(err, FetchError::RobotsUnavailable { .. }), "{err}");
    // Cached: no second robots.txt request within the TTL.
    assert!(!f.allowed(&web.url("/page")).await.unwrap());
    assert_eq!(web.hits("/robots.txt"), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(page(f.fetch(&web.url("/page"), None).await).body, b"back");
    assert_eq!(web.hits("/robots.txt"), 2);
}

#[tokio::test]
async fn per_host_concurrency_holds_across_callers() {
    let web = web().await;
    let slow = Duration::from_millis(150);
    web.route("/slow", Reply::html("x").with_delay(slow));
    let f = fetcher("allow_private_addresses = true\nper_host_concurrency = 1");
    let (url_a, url_b) = (web.url("/slow?a"), web.url("/slow?b"));
    let (a, b) = tokio::join!(f.fetch(&url_a, None), f.fetch(&url_b, None));
    page(a);
    page(b);
    let times: Vec<_> = web
        .requests()
        .into_iter()
        .filter(|r| r.path() == "/slow")
        .map(|r| r.at)
        .collect();
    assert_eq!(times.len(), 2);
    let gap = times[1] - times[0];
    assert!(
        gap >= slow - Duration::from_millis(10),
        "second request overlapped: {gap:?}"
    );
}

#[tokio::test]
async fn per_host_spacing_holds_across_callers() {
    let web = web().await;
    for i in 0..4 {
        web.route(&format!("/p{i}"), Reply::html("x"));
    }
    let delay = Duration::from_millis(100);
    let f = fetcher(
        "allow_private_addresses = true\nper_host_delay_ms = 100\nper_host_concurrency = 4",
    );
    let mut tasks = Vec::new();
    for i in 0..4 {
        let f = f.clone();
        let url = web.url(&format!("/p{i}"));
        tasks.push(tokio::spawn(async move {
            f.fetch(&url, None).await.map(|_| ())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let times: Vec<_> = web.requests().into_iter().map(|r| r.at).collect();
    assert_eq!(times.len(), 5, "robots.txt + 4 pages");
    for pair in times.windows(2) {
        // Starts are spaced by the client; the server logs arrival, which
        // scheduling on a busy machine can shift by a few milliseconds.
        assert!(
            pair[1] - pair[0] >= delay - Duration::from_millis(25),
            "{:?}",
            pair[1] - pair[0]
        );
    }
}

#[tokio::test]
async fn crawl_delay_raises_spacing_up_to_the_cap() {
    let web = Web::start_local().await.unwrap();
    web.route(
        "/robots.txt",
        Reply::text("User-agent: *\nCrawl-delay: 60\n"),
    );
    web.route("/a", Reply::html("a"));
    web.route("/b", Reply::html("b"));
    let f = fetcher("allow_private_addresses = true\nmax_crawl_delay_ms = 150");
    page(f.fetch(&web.url("/a"), None).await);
    page(f.fetch(&web.url("/b"), None).await);
    let times: Vec<_> = web.requests().into_iter().map(|r| r.at).collect();
    let gap = times[2] - times[1];
    assert!(gap >= Duration::from_millis(125), "{gap:?}");
    assert!(gap < Duration::from_secs(5), "capped, not 60 s: {gap:?}");
}

#[tokio::test]
async fn non_text_content_is_refused() {
    let web = web().await;
    web.route(
        "/logo.png",
        Reply::ok("image/png", vec![0x89, b'P', b'N', b'G']),
    );
    web.route("/raw", Reply::ok("application/octet-stream", "bytes"));
    web.route("/feed.json", Reply::ok("application/feed+json", "{}"));
    let f = open();
    for path in ["/logo.png", "/raw"] {
        let err = f.fetch(&web.url(path), None).await.unwrap_err();
        assert!(
            matches!(err, FetchError::ContentType { .. }),
            "{path}: {err}"
        );
    }
    page(f.fetch(&web.url("/feed.json"), None).await);
}

#[tokio::test]
async fn connection_refused_is_a_network_error() {
    // Bind then drop to find a closed port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let f = fetcher("allow_private_addresses = true\nretries = 0");
    let url = url::Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    let err = f.fetch(&url, None).await.unwrap_err();
    // robots.txt unreachable: the site is skipped for now, with the reason.
    assert!(matches!(err, FetchError::RobotsUnavailable { .. }), "{err}");
    assert!(err.to_string().contains("refused"), "{err}");
}
