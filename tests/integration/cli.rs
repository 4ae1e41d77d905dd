//! The binary as a user runs it: exit codes, messages, JSON contract.

use crate::common::{crawl_once, hearsay, rss, Fixture, BRANDS};
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_shipped_config_passes_check() {
    let mut n = 0;
    for entry in std::fs::read_dir("config").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let out = hearsay(&path, &["check"]);
            assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
            n += 1;
        }
    }
    assert!(n >= 2, "config/hearsay.toml and config/demo.toml at least");
}

#[test]
fn config_errors_name_file_line_and_key_and_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[crawl]\nuser_agent = \"x\"\nper_host_dealy_ms = 5\n",
            ":3:",
            "per_host_dealy_ms",
        ),
        (
            "[[sources]]\nurl = \"http://example.org/f\"\nschedule = \"0 61 * * *\"\n",
            ":3:",
            "sources.schedule",
        ),
        ("\n[[sources]]\nurl = \"not a url\"\n", ":3:", "sources.url"),
        ("timezone = \"Mars/Olympus\"\n", ":1:", "timezone"),
        ("[replies]\nwindow = \"0m\"\n", ":2:", "replies.window"),
        (
            "[[brands]]\nname = \"N\"\n[brands.address]\nfr = \"formal\"\n",
            ":4:",
            "brands.address.fr",
        ),
    ];
    for (text, line, key) in cases {
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, text).unwrap();
        let out = hearsay(&path, &["check"]);
        assert_eq!(out.status.code(), Some(3), "{text}");
        let err = stderr(&out);
        assert!(
            err.contains("bad.toml") && err.contains(line) && err.contains(key),
            "{text} → {err}"
        );
    }
    let out = hearsay(&dir.path().join("missing.toml"), &["check"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("missing.toml"));
}

#[tokio::test(flavor = "multi_thread")]
async fn json_output_keeps_the_contract_fields() {
    let fx = Fixture::new().await;
    fx.xml(
        "/feed.xml",
        &rss(&[(
            "g1",
            "",
            "Нордлис",
            "Поддержка Нордлиса ответила за пять минут, спасибо.",
            "Fri, 20 Nov 2026 10:00:00 +0000",
        )]),
    );
    let path = fx.config_file(&format!(
        "{BRANDS}\n[[sources]]\nname = \"feed\"\nurl = \"{{base}}/feed.xml\"\n"
    ));
    crawl_once(&hearsay::config::Config::load(&path).unwrap()).await;

    let out = hearsay(&path, &["search", "нордлис", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let v: serde_json::Value =
        serde_json::from_str(line.lines().next().expect("one result")).unwrap();
    for key in [
        "id",
        "url",
        "source",
        "brands",
        "lang",
        "title",
        "author",
        "published",
        "first_seen",
        "fetched",
        "text",
        "matches",
        "versions",
        "deleted",
        "score",
        "snippet",
    ] {
        assert!(v.get(key).is_some(), "search --json lacks {key}: {v}");
    }
    assert_eq!(v["brands"][0], "Nordlys");
    assert_eq!(v["lang"], "ru");
    assert_eq!(v["published"], "2026-11-20T10:00:00Z");
    let m = &v["matches"][0];
    let text = v["text"].as_str().unwrap();
    let (s, e) = (
        m["start"].as_u64().unwrap() as usize,
        m["end"].as_u64().unwrap() as usize,
    );
    let field = if m["field"] == "title" {
        v["title"].as_str().unwrap()
    } else {
        text
    };
    assert_eq!(
        &field[s..e],
        m["text"].as_str().unwrap(),
        "match offsets point at the surface form"
    );

    let out = hearsay(
        &path,
        &[
            "mentions",
            "--json",
            "--lang",
            "ru",
            "--since",
            "2026-11-19",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
    let id = v["id"].as_str().unwrap();
    let out = hearsay(&path, &["mention", id, "--versions"]);
    assert!(
        out.status.success() && stdout(&out).contains("version 1"),
        "{}",
        stdout(&out)
    );
    let out = hearsay(&path, &["mention", "0000000000000000"]);
    assert_eq!(out.status.code(), Some(6));
    let out = hearsay(&path, &["export", "--format", "csv"]);
    assert!(
        stdout(&out).starts_with("id,url,source,brands"),
        "{}",
        stdout(&out)
    );
    assert_eq!(stdout(&out).lines().count(), 2);
    let out = hearsay(&path, &["sources"]);
    assert!(stdout(&out).contains("feed"), "{}", stdout(&out));
    let out = hearsay(&path, &["search", "nordlys AND ("]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("query"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn strict_crawl_exits_5_when_a_source_fails() {
    let fx = Fixture::new().await;
    fx.web.route(
        "/down.xml",
        hearsay::demo::web::Reply {
            status: 503,
            ..hearsay::demo::web::Reply::ok("text/plain", "down")
        },
    );
    let path = fx.config_file(&format!(
        "{BRANDS}\n[[sources]]\nname = \"down\"\nurl = \"{{base}}/down.xml\"\n"
    ));
    let relaxed = hearsay(&path, &["crawl"]);
    assert_eq!(relaxed.status.code(), Some(0), "{}", stderr(&relaxed));
    assert!(stdout(&relaxed).contains("failed"), "{}", stdout(&relaxed));
    let strict = hearsay(&path, &["crawl", "--strict"]);
    assert_eq!(strict.status.code(), Some(5));
}

#[tokio::test(flavor = "multi_thread")]
async fn run_crawls_on_schedule_and_stops_cleanly_on_ctrl_c() {
    let fx = Fixture::new().await;
    fx.xml(
        "/feed.xml",
        &rss(&[(
            "g1",
            "",
            "t",
            "Nordlys is listening every second in this test.",
            "",
        )]),
    );
    // Every second, so the test sees at least two rounds.
    let path = fx.config_file(&format!(
        "{BRANDS}\n[[sources]]\nname = \"feed\"\nurl = \"{{base}}/feed.xml\"\nschedule = \"* * * * * *\"\n"
    ));
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearsay"))
        .arg("--config")
        .arg(&path)
        .arg("run")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start hearsay run");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while fx.web.hits("/feed.xml") < 2 {
        assert!(
            std::time::Instant::now() < deadline,
            "run never crawled twice"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().expect("run exits");
    assert_eq!(status.code(), Some(0), "Ctrl-C is a clean stop");
    let config = hearsay::config::Config::load(&path).unwrap();
    let st = hearsay::store::SqliteStore::open(&config.state_path()).unwrap();
    use hearsay::store::StateStore;
    assert_eq!(
        st.mentions(&Default::default(), None).unwrap().len(),
        1,
        "committed once, no duplicates"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn rematch_applies_a_new_alias_to_past_items() {
    let fx = Fixture::new().await;
    fx.xml(
        "/feed.xml",
        &rss(&[(
            "g1",
            "",
            "t",
            "Northlight Bank froze my card for a week without a word.",
            "",
        )]),
    );
    let source = "\n[[sources]]\nname = \"feed\"\nurl = \"{base}/feed.xml\"\n";
    let path = fx.config_file(&format!("{BRANDS}{source}"));
    assert!(hearsay(&path, &["crawl"]).status.success());
    assert_eq!(
        stdout(&hearsay(&path, &["mentions", "--json"]))
            .lines()
            .count(),
        0
    );

    // The brand learns its English trade name; past items are matched again.
    let with_alias = BRANDS.replace("aliases = [", "aliases = [\"Northlight Bank\", ");
    let path = fx.config_file(&format!("{with_alias}{source}"));
    let out = hearsay(&path, &["rematch"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 became mentions"),
        "{}",
        stdout(&out)
    );
    let found = stdout(&hearsay(&path, &["search", "froze", "--json"]));
    assert_eq!(
        found.lines().count(),
        1,
        "the rematched mention is searchable: {found}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_crawler_on_the_same_index_exits_4() {
    let fx = Fixture::new().await;
    fx.xml("/feed.xml", &rss(&[("g1", "", "t", "Nordlys", "")]));
    let path = fx.config_file(&format!(
        "{BRANDS}\n[[sources]]\nname = \"feed\"\nurl = \"{{base}}/feed.xml\"\n"
    ));
    let holder =
        hearsay::pipeline::Crawler::open(hearsay::config::Config::load(&path).unwrap()).unwrap();
    let out = hearsay(&path, &["crawl"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("locked"), "{}", stderr(&out));
    // Reading still works while the crawler holds the index.
    assert!(hearsay(&path, &["search", "nordlys"]).status.success());
    drop(holder);
}
