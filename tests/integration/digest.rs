//! Digests and alerts delivered to a real SMTP server on loopback (aiosmtpd,
//! writing a Maildir), read back and parsed as MIME: both parts, every
//! section, inert crawled HTML, once-only periods across runs and edits,
//! outages, 4xx, 5xx, a connection dropped after the data, a missed period,
//! STARTTLS with a private CA, and the password kept out of every log.

use crate::common::smtp::{delivered, free_port, parse, Mail, SmtpServer};
use crate::common::{comment_source, dated_thread, hearsay, Fixture};
use chrono::{Duration, Utc};
use std::path::{Path, PathBuf};

const BRAND: &str = r#"
[[brands]]
name = "Nordlys"
aliases = ["Нордлис"]
contact_email = "care@nordlys.example"
hours = "8:00–22:00"
"#;

/// The digest's sections in the issue's order, by their HTML ids.
const SECTIONS: [&str; 8] = [
    "needs-reply",
    "waves",
    "complaints",
    "questions",
    "incidents",
    "praise",
    "moderation",
    "sources",
];

const QUESTION: &str = "How do I reset my Nordlys card PIN in the app? Anyone know?";
const COMPLAINT: &str =
    "Nordlys charged me twice for order 4411 on 12 November and support ignores my emails";
const COMPLAINT_EDITED: &str =
    "Nordlys charged me twice for order 4411 on 12 November; still no refund, support ignores me";
const PRAISE: &str = "Thank you Nordlys, the new app is great and support was really fast!";
const XSS: &str = "Nordlys lost my parcel 5512 and nobody answers, terrible &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt; see &lt;a href=\"javascript:alert(3)\"&gt;this&lt;/a&gt;";

fn thread(complaint: &str) -> String {
    dated_thread(&[
        ("c1", "mia", QUESTION, 10),
        ("c2", "bo", complaint, 180),
        ("c3", "kim", PRAISE, 30),
        ("c4", "&lt;b onmouseover=alert(4)&gt;eve", XSS, 45),
    ])
}

/// A fixture web with one thread and one broken source, and a config whose
/// `[smtp]` points at `port`; `extra` adds keys (digests, alerts, smtp options).
async fn setup(port: u16, smtp_extra: &str, extra: &str) -> (Fixture, PathBuf) {
    let fx = Fixture::new().await;
    fx.html("/t", &thread(COMPLAINT));
    let body = format!(
        r#"{BRAND}
{}
[[sources]]
name = "broken"
url = "{{base}}/gone.xml"
kind = "feed"

[smtp]
host = "127.0.0.1"
port = {port}
from = "Hearsay <hearsay@example.org>"
timeout = "5s"
retry_base = "0s"
{smtp_extra}

[[digests]]
name = "daily"
to = ["pr@example.org", "Anna <anna@example.org>"]
schedule = "0 0 8 * * *"
language = "en"
{extra}
"#,
        comment_source("forum", "/t")
    );
    let config = fx.config_file(&body);
    (fx, config)
}

fn run(config: &Path, args: &[&str]) -> (bool, String) {
    let out = hearsay(config, args);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn ok(config: &Path, args: &[&str]) -> String {
    let (success, text) = run(config, args);
    assert!(success, "hearsay {args:?} failed:\n{text}");
    text
}

fn mails(maildir: &Path) -> Vec<Mail> {
    delivered(maildir).iter().map(|m| parse(m)).collect()
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the HTML part:\n{html}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_digest_arrives_with_both_parts_every_section_and_inert_crawled_html() {
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "none""#, "").await;
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    ok(&config, &["crawl"]);
    let out = ok(&config, &["digest", "send", "daily"]);
    assert!(out.contains("2 sent"), "{out}");

    let got = mails(&server.maildir);
    assert_eq!(got.len(), 2, "one message per recipient");
    let mut ids: Vec<&str> = got.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2, "each recipient has its own Message-ID");
    assert!(ids
        .iter()
        .all(|id| id.starts_with("hearsay.digest.daily.1.")));
    let mut to: Vec<&str> = got.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, ["anna@example.org", "pr@example.org"]);

    let m = &got[0];
    assert_eq!(m.content_type, "multipart/alternative");
    assert!(
        !m.text.is_empty() && !m.html.is_empty(),
        "both parts: {m:?}"
    );
    assert!(m.subject.contains("daily"), "{}", m.subject);
    let html = &m.html;
    // Sections in the issue's order.
    let present: Vec<usize> = SECTIONS
        .iter()
        .filter_map(|id| html.find(&format!("id=\"{id}\"")))
        .collect();
    assert!(
        present.windows(2).all(|w| w[0] < w[1]),
        "sections out of order"
    );
    // The question and the overdue complaint need a reply now, overdue first.
    let needs = position(html, "id=\"needs-reply\"");
    let waves = position(html, "id=\"waves\"");
    let complaint = position(html, "charged me twice");
    let question = position(html, "reset my Nordlys card PIN");
    assert!(needs < complaint && complaint < question && question < waves);
    assert!(html.to_lowercase().contains("overdue"));
    // Praise to thank, with its draft reply naming the playbook rule.
    assert!(position(html, "id=\"praise\"") < position(html, "the new app is great"));
    assert!(
        html.contains("PLAYBOOK"),
        "suggested replies name their rule"
    );
    assert!(m.text.contains("reset my Nordlys card PIN") && m.text.contains("PLAYBOOK"));
    // Source health: the broken feed is named, silence is not calm.
    assert!(position(html, "id=\"sources\"") < position(html, "gone.xml"));
    // Crawled HTML is inert.
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script tag reached the HTML");
    assert!(!lower.contains("<img"), "an img tag reached the HTML");
    assert!(!lower.contains("href=\"javascript:"));
    assert!(!lower.contains("<b onmouseover"));
    assert!(html.contains("&lt;script&gt;"), "the script shows as text");
    // No external resources.
    assert!(!lower.contains("src=\"http") && !lower.contains("url(http"));
}

#[tokio::test(flavor = "multi_thread")]
async fn each_mention_is_mailed_once_and_once_more_after_an_edit() {
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "none""#, "").await;
    // A failing source is news in every digest; this test wants quiet periods.
    fx.xml("/gone.xml", &crate::common::rss(&[]));
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    ok(&config, &["crawl"]);
    ok(&config, &["digest", "send", "daily"]);
    assert_eq!(mails(&server.maildir).len(), 2);

    // Nothing new: the period closes without mail (send_empty = false).
    let out = ok(&config, &["digest", "send", "daily"]);
    assert!(out.contains("nothing new"), "{out}");
    assert_eq!(mails(&server.maildir).len(), 2);

    // The complaint is edited on its page and the praise removed (its
    // neighbours stay): each comes back once, marked, the edit with the earlier text.
    fx.html(
        "/t",
        &dated_thread(&[
            ("c1", "mia", QUESTION, 10),
            ("c2", "bo", COMPLAINT_EDITED, 180),
            ("c4", "&lt;b onmouseover=alert(4)&gt;eve", XSS, 45),
        ]),
    );
    ok(&config, &["crawl"]);
    ok(&config, &["digest", "send", "daily"]);
    let got = mails(&server.maildir);
    assert_eq!(got.len(), 4);
    let third = &got[2];
    assert!(third.message_id.starts_with("hearsay.digest.daily.3."));
    assert!(third.html.contains("still no refund"), "{}", third.html);
    assert!(
        third
            .html
            .contains(COMPLAINT.split(" and ").nth(1).unwrap()),
        "the earlier text is shown: {}",
        third.html
    );
    assert!(third.text.to_lowercase().contains("edited"));
    assert!(
        third.text.contains("deleted from the page"),
        "{}",
        third.text
    );
    assert!(
        third.text.contains("the new app is great"),
        "the deleted text is kept"
    );
    assert!(
        !third.html.contains("reset my Nordlys card PIN"),
        "an unchanged mention is not mailed twice"
    );
    let out = ok(&config, &["digest", "send", "daily"]);
    assert!(out.contains("nothing new"), "{out}");
    assert_eq!(mails(&server.maildir).len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_down_then_back_gets_the_digest_exactly_once() {
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "none""#, "").await;
    ok(&config, &["crawl"]);
    // Nobody listens: the digest waits in the outbox.
    let out = hearsay(&config, &["digest", "send", "daily"]);
    assert_eq!(
        out.status.code(),
        Some(7),
        "an undelivered digest is not a success"
    );
    let out = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.contains("2 waiting"), "{out}");
    let status = ok(&config, &["digest", "status", "--json"]);
    assert!(status.contains("\"status\":\"pending\""), "{status}");

    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    let out = ok(&config, &["digest", "retry"]);
    assert!(out.contains("2 sent"), "{out}");
    let out = ok(&config, &["digest", "retry"]);
    assert!(out.contains("0 sent"), "{out}");
    assert_eq!(mails(&server.maildir).len(), 2, "exactly one delivery each");
    let status = ok(&config, &["digest", "status", "--json"]);
    assert!(!status.contains("\"pending\""), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_451_is_retried_and_delivered_once() {
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "none""#, "").await;
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &["--fail-451", "2"]);
    ok(&config, &["crawl"]);
    let (success, out) = run(&config, &["digest", "send", "daily"]);
    assert!(!success && out.contains("2 waiting"), "{out}");
    let status = ok(&config, &["digest", "status", "--json"]);
    assert!(
        status.contains("451"),
        "the server's reply is kept: {status}"
    );
    let out = ok(&config, &["digest", "retry"]);
    assert!(out.contains("2 sent"), "{out}");
    assert_eq!(mails(&server.maildir).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_554_is_a_permanent_failure_reported_and_never_retried() {
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "none""#, "").await;
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &["--fail-554"]);
    ok(&config, &["crawl"]);
    let (success, out) = run(&config, &["digest", "send", "daily"]);
    assert!(!success && out.contains("2 refused"), "{out}");
    let status = ok(&config, &["digest", "status", "--json"]);
    assert!(status.contains("\"status\":\"failed\""), "{status}");
    assert!(status.contains("554"), "{status}");
    let out = ok(&config, &["digest", "retry"]);
    assert!(out.contains("0 sent"), "{out}");
    assert!(mails(&server.maildir).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_dropped_after_the_data_gives_at_most_one_duplicate_with_the_same_id() {
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "none""#, "").await;
    let server = SmtpServer::start(
        port,
        &fx.dir.path().join("mail"),
        &["--drop-after-data", "1"],
    );
    ok(&config, &["crawl"]);
    let _ = run(&config, &["digest", "send", "daily"]);
    let _ = run(&config, &["digest", "retry"]);
    let got = mails(&server.maildir);
    let first_rcpt: Vec<&Mail> = got.iter().filter(|m| m.to == got[0].to).collect();
    assert!(
        (1..=2).contains(&first_rcpt.len()),
        "one or two deliveries, never zero: {}",
        first_rcpt.len()
    );
    assert!(first_rcpt
        .iter()
        .all(|m| m.message_id == first_rcpt[0].message_id));
    let status = ok(&config, &["digest", "status", "--json"]);
    assert!(!status.contains("\"pending\""), "{status}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_period_missed_while_stopped_gives_one_catch_up_digest() {
    use hearsay::config::Config;
    use hearsay::store::{MailStore, SqliteStore, StateStore};
    let port = free_port();
    let (fx, path) = setup(port, r#"tls = "none""#, "").await;
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    // An hourly digest that last ran five hours ago.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("0 0 8 * * *", "0 0 * * * *");
    std::fs::write(&path, text).unwrap();
    ok(&path, &["crawl"]);
    let config = Config::load(&path).unwrap();
    let st = SqliteStore::open(&config.state_path()).unwrap();
    let responder = hearsay::respond::Responder::built_in();
    let d = &config.digests[0];
    let now = Utc::now();
    hearsay::digest::close(&st, &config, &responder, d, now - Duration::hours(5)).unwrap();
    let mailer = hearsay::digest::Mailer::new(config.smtp.as_ref().unwrap()).unwrap();
    let started = now;
    let first = hearsay::digest::tick(&st, &config, &responder, &mailer, started, now).unwrap();
    assert_eq!(first.closed.len(), 1, "one catch-up, not five");
    let again = hearsay::digest::tick(&st, &config, &responder, &mailer, started, now).unwrap();
    assert!(again.closed.is_empty(), "and not twice");
    assert_eq!(st.last_digest_run("daily").unwrap().unwrap().period, 2);
    assert!(st.last_seq().unwrap() > 0);
    // Period 1 was closed without a server (its messages sent now), period 2 is the catch-up.
    let got = mails(&server.maildir);
    let periods: std::collections::BTreeSet<&str> = got
        .iter()
        .map(|m| m.message_id.split('.').nth(3).unwrap())
        .collect();
    assert_eq!(periods.into_iter().collect::<Vec<_>>(), ["1", "2"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn starttls_with_a_private_ca_delivers_and_an_untrusted_certificate_does_not() {
    let certs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/certs");
    let tls_flags = [
        "--tls-cert",
        certs.join("server.pem").to_str().unwrap(),
        "--tls-key",
        certs.join("server.key").to_str().unwrap(),
    ]
    .map(str::to_string);
    let flags: Vec<&str> = tls_flags.iter().map(String::as_str).collect();

    // Without the CA the certificate is not trusted: nothing is sent in clear either.
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "starttls""#, "").await;
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &flags);
    ok(&config, &["crawl"]);
    let (success, out) = run(&config, &["digest", "send", "daily"]);
    assert!(!success && out.contains("2 waiting"), "{out}");
    assert!(mails(&server.maildir).is_empty());

    // With ca_file the same server is trusted.
    let ca = format!(
        "tls = \"starttls\"\nca_file = \"{}\"",
        certs.join("test-ca.pem").display()
    );
    let port = free_port();
    let (fx, config) = setup(port, &ca, "").await;
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &flags);
    ok(&config, &["crawl"]);
    let out = ok(&config, &["digest", "send", "daily"]);
    assert!(out.contains("2 sent"), "{out}");
    assert_eq!(mails(&server.maildir).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_smtp_password_appears_in_no_output_even_at_trace() {
    const SECRET: &str = "s3cret-Pa55-for-tests";
    let certs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/certs");
    let port = free_port();
    let smtp = format!(
        "tls = \"starttls\"\nca_file = \"{}\"\nusername = \"hearsay\"\npassword_env = \"HEARSAY_TEST_SMTP_PASSWORD\"",
        certs.join("test-ca.pem").display()
    );
    let (fx, config) = setup(
        port,
        &smtp,
        "[alerts]\nto = [\"duty@example.org\"]\nbatch = \"0s\"",
    )
    .await;
    let auth = format!("hearsay:{SECRET}");
    let server = SmtpServer::start(
        port,
        &fx.dir.path().join("mail"),
        &[
            "--tls-cert",
            certs.join("server.pem").to_str().unwrap(),
            "--tls-key",
            certs.join("server.key").to_str().unwrap(),
            "--auth",
            &auth,
        ],
    );
    let trace = "hearsay=trace,lettre=trace,hyper=trace,reqwest=trace,rustls=trace";
    let mut seen = String::new();
    for args in [
        &["crawl"][..],
        &["digest", "send", "daily"],
        &["digest", "status"],
        &["check"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hearsay"))
            .arg("--config")
            .arg(&config)
            .args(args)
            .env("RUST_LOG", trace)
            .env("HEARSAY_TEST_SMTP_PASSWORD", SECRET)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&out.stdout));
        seen.push_str(&String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{args:?}: {seen}");
    }
    assert!(
        mails(&server.maildir).len() >= 2,
        "authenticated delivery: {seen}"
    );
    assert!(seen.len() > 1000, "trace logging was on: {seen}");
    assert!(
        !seen.contains(SECRET),
        "the password leaked into the output"
    );
    use base64_free::contains_base64_of;
    assert!(!contains_base64_of(&seen, &format!("\0hearsay\0{SECRET}")));
    assert!(!contains_base64_of(&seen, SECRET), "AUTH LOGIN's form");

    // `check` warns of a secret missing from this environment, naming it.
    let out = hearsay(&config, &["check"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HEARSAY_TEST_SMTP_PASSWORD"));
    // And a missing variable is named, not guessed.
    let out = hearsay(&config, &["digest", "retry"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("HEARSAY_TEST_SMTP_PASSWORD"),
        "{err}"
    );
}

/// AUTH PLAIN sends base64("\0user\0password"): the log must not hold that either.
mod base64_free {
    pub fn contains_base64_of(haystack: &str, secret: &str) -> bool {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let b = secret.as_bytes();
        let mut out = String::new();
        for chunk in b.chunks(3) {
            let n = chunk.iter().fold(0u32, |n, c| (n << 8) | *c as u32) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        // Any long middle stretch of the encoding is enough to count.
        haystack.contains(&out[4..out.len().saturating_sub(4)])
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_urgent_mention_is_alerted_at_once_and_only_once() {
    let port = free_port();
    let (fx, config) = setup(
        port,
        r#"tls = "none""#,
        "[alerts]\nto = [\"duty@example.org\"]\nbatch = \"0s\"",
    )
    .await;
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    ok(&config, &["crawl"]);
    let got = mails(&server.maildir);
    assert_eq!(got.len(), 1, "one alert mail for the batch");
    let alert = &got[0];
    assert_eq!(alert.to, "duty@example.org");
    assert!(alert.message_id.starts_with("hearsay.alert."));
    assert!(
        alert.html.contains("reset my Nordlys card PIN"),
        "{}",
        alert.html
    );
    assert!(
        !alert.html.contains("charged me twice"),
        "an overdue mention is the digest's, not a new alert"
    );
    ok(&config, &["crawl"]);
    assert_eq!(
        mails(&server.maildir).len(),
        1,
        "no second alert for the same mention"
    );
}

/// A page that shows the digest in a phone-wide frame (headless Chromium
/// will not make its window narrower than 500 px) and measures it from
/// inside: the layout width against the frame's, and whether each section
/// heading is rendered on screen. `srcdoc` keeps the frame same-origin.
fn probe_page(digest_html: &str, width: u32) -> String {
    let srcdoc = digest_html.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        r#"<!doctype html><html><body style="margin:0">
<iframe id="phone" style="width:{width}px;height:800px;border:0" srcdoc="{srcdoc}"></iframe>
<script>
document.getElementById("phone").addEventListener("load", () => {{
  const f = document.getElementById("phone"), w = f.contentWindow, d = f.contentDocument;
  const ids = ["needs-reply","waves","complaints","questions","incidents","praise","moderation","sources"];
  const seen = {{}};
  for (const id of ids) {{
    const h = d.getElementById(id);
    if (!h) {{ seen[id] = "absent"; continue; }}
    const r = h.getBoundingClientRect(), s = w.getComputedStyle(h);
    const visible = r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= w.innerWidth + 1
      && s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity) > 0
      && parseFloat(s.fontSize) >= 12;
    seen[id] = visible ? "visible" : "hidden";
  }}
  const probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({{ vw: w.innerWidth, scroll: d.documentElement.scrollWidth, seen }});
  document.body.appendChild(probe);
}});
</script></body></html>"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_html_digest_fits_a_phone_screen_in_chromium_with_every_heading_visible() {
    use crate::common::chromium;
    use hearsay::config::Config;
    use hearsay::store::SqliteStore;
    // A long unbroken word and URL are the usual causes of sideways scroll.
    let port = free_port();
    let (fx, path) = setup(port, r#"tls = "none""#, "").await;
    let long = format!(
        "Nordlys charged me twice, order 4411, see https://example.org/{} and {}",
        "a".repeat(300),
        "Z".repeat(120)
    );
    fx.html(
        "/t",
        &dated_thread(&[
            ("c1", "mia", QUESTION, 10),
            ("c2", "bo", &long, 180),
            ("c3", "kim", PRAISE, 30),
            ("c4", "eve", XSS, 45),
            (
                "c5",
                "ole",
                "Nordlys the app is down, I cannot log in or pay since this morning",
                20,
            ),
        ]),
    );
    ok(&path, &["crawl"]);
    let config = Config::load(&path).unwrap();
    let st = SqliteStore::open(&config.state_path()).unwrap();
    let responder = hearsay::respond::Responder::built_in();
    let out = fx.dir.path().join("preview");
    let p = hearsay::digest::preview(
        &st,
        &config,
        &responder,
        &config.digests[0],
        Utc::now(),
        &out,
    )
    .unwrap();
    let html = std::fs::read_to_string(&p.html).unwrap();
    assert!(!html.contains("<script"), "the digest itself has no script");
    for width in [360, 390] {
        let probed = out.join(format!("probe-{width}.html"));
        std::fs::write(&probed, probe_page(&html, width)).unwrap();
        let dom = chromium::dump_dom(&probed, 800, 900);
        let json = dom
            .split("<pre id=\"probe\">")
            .nth(1)
            .and_then(|s| s.split("</pre>").next())
            .unwrap_or_else(|| panic!("the probe did not run: {dom}"))
            .replace("&quot;", "\"");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["vw"], width, "Chromium used the phone width");
        assert!(
            v["scroll"].as_u64().unwrap() <= width as u64,
            "sideways scroll at {width}px: {v}"
        );
        // Sections always shown, and every other one this digest has.
        for id in ["needs-reply", "waves", "praise", "sources"] {
            assert_eq!(v["seen"][id], "visible", "heading {id} at {width}px: {v}");
        }
        let seen = v["seen"].as_object().unwrap();
        assert!(
            seen.values().all(|s| s != "hidden"),
            "a heading is hidden at {width}px: {v}"
        );
    }
    // The README's picture, refreshed on request.
    if std::env::var_os("HEARSAY_UPDATE_SCREENSHOTS").is_some() {
        let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/digest-phone.png");
        chromium::screenshot(&p.html, 390, 1800, &png);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hearsay_run_mails_digests_on_their_schedule_beside_the_crawl() {
    let port = free_port();
    let (fx, config) = setup(
        port,
        r#"tls = "none""#,
        "[alerts]\nto = [\"duty@example.org\"]\nbatch = \"0s\"",
    )
    .await;
    // Every two seconds, so the test sees a scheduled digest quickly.
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("0 0 8 * * *", "*/2 * * * * *");
    std::fs::write(&config, text).unwrap();
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearsay"))
        .arg("--config")
        .arg(&config)
        .arg("run")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut got = Vec::new();
    while std::time::Instant::now() < deadline {
        got = mails(&server.maildir);
        let digested = got
            .iter()
            .any(|m| m.message_id.contains(".digest.") && m.html.contains("charged me twice"));
        let alerts = got
            .iter()
            .filter(|m| m.message_id.contains(".alert."))
            .count();
        if digested && alerts >= 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    let _ = child.kill();
    let _ = child.wait();
    let alert = got
        .iter()
        .find(|m| m.message_id.contains(".alert."))
        .expect("the urgent question was alerted by `run`");
    assert!(alert.html.contains("reset my Nordlys card PIN"));
    // The crawl and the first period race; some scheduled digest carries the complaint.
    assert!(
        got.iter()
            .any(|m| m.message_id.contains(".digest.daily.") && m.html.contains("charged me twice")),
        "a scheduled digest was mailed by `run` with the crawled complaint"
    );
    // Each mention goes out in one period only (per recipient).
    let with_complaint = got
        .iter()
        .filter(|m| m.to == "pr@example.org" && m.html.contains("charged me twice"))
        .count();
    assert_eq!(
        with_complaint, 1,
        "the complaint was mailed in one period only"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_period_is_mailed_as_a_short_note_only_with_send_empty() {
    let port = free_port();
    let (fx, config) = setup(
        port,
        r#"tls = "none""#,
        "[[digests]]\nname = \"quiet\"\nto = [\"q@example.org\"]\nschedule = \"0 0 8 * * *\"\nsend_empty = true",
    )
    .await;
    fx.xml("/gone.xml", &crate::common::rss(&[]));
    fx.html("/t", &dated_thread(&[]));
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    ok(&config, &["crawl"]);
    let out = ok(&config, &["digest", "send", "daily"]);
    assert!(out.contains("nothing new"), "{out}");
    ok(&config, &["digest", "send", "quiet"]);
    let got = mails(&server.maildir);
    assert_eq!(
        got.len(),
        1,
        "only the digest with send_empty mails an empty period"
    );
    assert_eq!(got[0].to, "q@example.org");
    assert!(
        got[0].text.contains("Nothing new in this period."),
        "{}",
        got[0].text
    );
    assert!(
        got[0].html.contains("id=\"sources\""),
        "silence is still checked"
    );
}

/// The id of the section a text is listed in: the last heading before it.
fn section_of(html: &str, needle: &str) -> String {
    let at = position(html, needle);
    let before = &html[..at];
    let mut best: Option<(usize, &str)> = None;
    for id in SECTIONS {
        if let Some(p) = before.rfind(&format!("id=\"{id}\"")) {
            if best.is_none_or(|(b, _)| p > b) {
                best = Some((p, id));
            }
        }
    }
    best.map(|(_, id)| id.to_string()).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_section_lists_its_own_mentions_with_labels_status_and_draft() {
    const INCIDENT: &str = "Nordlys app is down since this morning, nobody can log in or pay";
    const OBSCENE: &str = "Nordlys you fucking idiots, this is the worst bank ever";
    let port = free_port();
    let (fx, config) = setup(port, r#"tls = "none""#, "").await;
    fx.html(
        "/t",
        &dated_thread(&[
            ("c1", "mia", QUESTION, 10),
            ("c2", "bo", COMPLAINT, 180),
            ("c3", "kim", PRAISE, 30),
            ("c5", "ole", INCIDENT, 50),
            ("c6", "rex", OBSCENE, 40),
        ]),
    );
    let server = SmtpServer::start(port, &fx.dir.path().join("mail"), &[]);
    ok(&config, &["crawl"]);
    // The complaint and the incident were answered: they leave "needs a reply".
    let list = crate::common::json_lines(&config, &["mentions", "--json"]);
    for text in [COMPLAINT, INCIDENT] {
        let id = list
            .iter()
            .find(|m| m["text"].as_str() == Some(text))
            .unwrap_or_else(|| panic!("no mention {text}"))["id"]
            .as_str()
            .unwrap()
            .to_string();
        ok(&config, &["mark", &id, "answered", "--by", "anna"]);
    }
    ok(&config, &["digest", "send", "daily"]);
    let m = &mails(&server.maildir)[0];
    let html = &m.html;
    assert_eq!(section_of(html, "reset my Nordlys card PIN"), "needs-reply");
    assert_eq!(section_of(html, "charged me twice"), "complaints");
    assert_eq!(
        section_of(html, "app is down since this morning"),
        "incidents"
    );
    assert_eq!(section_of(html, "the new app is great"), "praise");
    assert_eq!(section_of(html, "gone.xml"), "sources");
    // An obscene post is listed for moderation with the rule it broke (and,
    // when it also raises a concern, under "needs a reply": the concern is
    // still answered).
    let moderation = &html[position(html, "id=\"moderation\"")..position(html, "id=\"sources\"")];
    assert!(moderation.contains("worst bank ever"), "{moderation}");
    assert!(moderation.to_lowercase().contains("obscen"), "{moderation}");
    assert!(!moderation.contains("reset my Nordlys card PIN"));
    let complaints = &html[position(html, "id=\"complaints\"")..position(html, "id=\"incidents\"")];
    assert!(complaints.contains("anna"), "who answered it: {complaints}");
    assert!(complaints.contains("«charged me»") || complaints.contains("charged me"));
    // The question's draft reply, with the rule it follows.
    let needs = &html[position(html, "id=\"needs-reply\"")..position(html, "id=\"waves\"")];
    assert!(needs.contains("question:"), "{needs}");
}
