//! The web page and its JSON API against a real store and index in a temp
//! dir, filled by a real crawl of a loopback fixture: axum's router in
//! process (with the peer address a socket would give), and once over a
//! real socket.

use crate::common::smtp::free_port;
use crate::common::{comment_source, crawl_once, dated_thread, hearsay, Fixture};
use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, StatusCode};
use hearsay::config::Config;
use hearsay::model::{CampaignKind, MentionId, Signal};
use hearsay::web::{self, AppState};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const BRAND: &str = r#"
[[brands]]
name = "Nordlys"
aliases = ["Нордлис", "诺德利斯"]
hours = "8:00–22:00"
contact_email = "care@nordlys.example"
"#;

pub const RU: &str = "Нордлис опять списал комиссию дважды, поддержка молчит уже третий день";
pub const ZH: &str = "诺德利斯的App今天完全打不开，房租都付不了，太耽误事了";
pub const EN: &str = "How do I reset my Nordlys card PIN in the app? Anyone know?";
pub const RU_EDITED: &str = "Нордлис опять списал комиссию дважды, деньги так и не вернули";
pub const XSS: &str = "Nordlys stole my money &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; terrible support";

/// A crawled store and index with mentions in three languages, one XSS
/// attempt, and a campaign over two of them.
pub async fn crawled() -> (Fixture, Config) {
    let fx = Fixture::new().await;
    fx.html(
        "/t",
        &dated_thread(&[
            ("c1", "oleg", RU, 20),
            ("c2", "li", ZH, 30),
            ("c3", "mia", EN, 10),
            ("c4", "eve", XSS, 40),
        ]),
    );
    let config = fx.config(&format!(
        "{BRAND}\n{}\n[[sources]]\nname = \"broken\"\nurl = \"{{base}}/gone.xml\"\nkind = \"feed\"\n",
        comment_source("forum", "/t")
    ));
    crawl_once(&config).await;
    (fx, config)
}

/// The Russian mention edited (a second version) and a coordinated campaign
/// stored over it and the XSS one, as detection would: returns the ids of
/// the Russian mention, the XSS mention and the campaign.
pub async fn edited_with_campaign(
    fx: &Fixture,
    config: &Config,
    store: &dyn hearsay::store::StateStore,
) -> (MentionId, MentionId, String) {
    fx.html(
        "/t",
        &dated_thread(&[
            ("c1", "oleg", RU_EDITED, 20),
            ("c2", "li", ZH, 30),
            ("c3", "mia", EN, 10),
            ("c4", "eve", XSS, 40),
        ]),
    );
    crawl_once(config).await;
    let all = store.mentions(&Default::default(), None).unwrap();
    let id_with = |needle: &str| -> MentionId {
        all.iter()
            .find(|m| m.text.contains(needle))
            .unwrap_or_else(|| panic!("no mention with {needle}"))
            .id
            .clone()
    };
    let (ru, xss) = (id_with("Нордлис"), id_with("stole my money"));
    let now = chrono::Utc::now();
    let campaign = store
        .save_campaigns(
            &[hearsay::model::Campaign {
                id: String::new(),
                kind: CampaignKind::Coordinated,
                score: 0.82,
                members: vec![ru.clone(), xss.clone()],
                first_seen: now - chrono::Duration::hours(3),
                last_seen: now,
                signals: [(
                    "voices".to_string(),
                    Signal {
                        value: 0.9,
                        weight: 2.0,
                    },
                )]
                .into(),
                summary: "Nordlys stole my money <script>alert(5)</script>".into(),
                phrases: vec!["stole my money".into()],
            }],
            now,
        )
        .unwrap()
        .remove(0);
    (ru, xss, campaign)
}

fn local() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 40000))
}

fn app(config: &Config, peer: SocketAddr) -> (AppState, axum::Router) {
    let state = AppState::open(Arc::new(config.clone()), local()).expect("open state");
    let router = web::router(state.clone()).layer(MockConnectInfo(peer));
    (state, router)
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    let res = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned(), headers)
}

async fn json(router: &axum::Router, uri: &str) -> Value {
    let (status, body, _) = get(router, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: {e}: {body}"))
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn id_of(results: &Value, text: &str) -> String {
    results
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["text"].as_str().is_some_and(|t| t.contains(text)))
        .unwrap_or_else(|| panic!("no result with {text}: {results}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_api_finds_russian_and_chinese_with_facets_filters_paging_and_export() {
    let (_fx, config) = crawled().await;
    let (_, router) = app(&config, local());
    // Russian word form and Chinese without spaces.
    let ru = json(&router, &format!("/api/search?q={}", enc("нордлиса"))).await;
    assert_eq!(ru["results"].as_array().unwrap().len(), 1, "{ru}");
    assert!(ru["results"][0]["snippet"]
        .as_str()
        .unwrap()
        .contains("<b>"));
    assert_eq!(ru["results"][0]["lang"], "ru");
    let zh = json(&router, &format!("/api/search?q={}", enc("房租"))).await;
    assert_eq!(zh["results"][0]["lang"], "zh", "{zh}");
    // Facets count what each filter value would give.
    let all = json(&router, "/api/search").await;
    assert_eq!(all["total"], 4);
    assert_eq!(all["facets"]["lang"]["ru"], 1);
    assert_eq!(all["facets"]["lang"]["zh"], 1);
    assert_eq!(all["facets"]["brand"]["Nordlys"], 4);
    assert!(
        all["facets"]["sentiment"]["negative"].as_u64().unwrap() >= 1,
        "{all}"
    );
    // A filter, and the CLI's field names on each result.
    let zh_only = json(&router, "/api/search?lang=zh").await;
    assert_eq!(zh_only["total"], 1);
    let r = &zh_only["results"][0];
    for field in [
        "id",
        "url",
        "source",
        "brands",
        "lang",
        "title",
        "author",
        "published",
        "first_seen",
        "text",
        "intent",
        "flags",
        "reasons",
        "status",
        "urgency",
        "suggestion",
    ] {
        assert!(r.get(field).is_some(), "field {field} missing: {r}");
    }
    // Paging.
    let p1 = json(&router, "/api/search?per=2&sort=time").await;
    let p2 = json(&router, "/api/search?per=2&sort=time&page=2").await;
    assert_eq!(p1["results"].as_array().unwrap().len(), 2);
    assert_eq!(p1["more"], true);
    assert_eq!(p2["results"].as_array().unwrap().len(), 2);
    assert_ne!(p1["results"][0]["id"], p2["results"][0]["id"]);
    // Newest first: c3 (10 min ago) leads.
    assert!(p1["results"][0]["text"].as_str().unwrap().contains("PIN"));
    // A bad filter value is a 400 naming it.
    let (status, body, _) = get(&router, "/api/search?status=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("status"), "{body}");
    // The current result as CSV.
    let (status, csv, headers) = get(&router, "/api/search?lang=ru&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("Нордлис"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_status_change_needs_the_csrf_token_records_the_user_and_shows_in_search_at_once() {
    let (_fx, config) = crawled().await;
    let (state, router) = app(&config, local());
    let all = json(&router, "/api/search").await;
    let id = id_of(&all["results"], "PIN");
    let post = |body: &str, csrf: Option<String>| {
        let mut req = Request::post(format!("/api/mentions/{id}/status"))
            .header("content-type", "application/json");
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.body(Body::from(body.to_string())).unwrap()
    };
    let res = router
        .clone()
        .oneshot(post(r#"{"status":"answered"}"#, None))
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "no CSRF token, no change"
    );
    let csrf = state.auth.csrf(web::auth::LOCAL_USER);
    let res = router
        .clone()
        .oneshot(post(
            r#"{"status":"answered","note":"replied in thread"}"#,
            Some(csrf),
        ))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let m = json(&router, &format!("/api/mentions/{id}")).await;
    assert_eq!(m["status"], "answered");
    assert_eq!(m["status_by"], "local");
    assert_eq!(m["status_note"], "replied in thread");
    assert_eq!(m["urgency"], "none");
    // Search sees it now, without a reindex.
    let answered = json(&router, "/api/search?status=answered").await;
    assert_eq!(answered["results"].as_array().unwrap().len(), 1);
    assert_eq!(answered["results"][0]["id"], id.as_str());
    // The CLI reads the same store.
    let out = hearsay(&config.path, &["mention", &id, "--json"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"status\":\"answered\""));
}

#[tokio::test(flavor = "multi_thread")]
async fn off_loopback_every_request_needs_a_token_and_changes_carry_the_users_name() {
    let (fx, _) = crawled().await;
    std::env::set_var("HEARSAY_TEST_WEB_TOKEN_ANNA", "anna-s3cret");
    let text = std::fs::read_to_string(fx.dir.path().join("hearsay.toml")).unwrap()
        + "\n[[web.users]]\nname = \"anna\"\ntoken_env = \"HEARSAY_TEST_WEB_TOKEN_ANNA\"\n";
    let path = fx.dir.path().join("web.toml");
    std::fs::write(&path, text).unwrap();
    let config = Config::load(&path).unwrap();
    let far = SocketAddr::from(([192, 168, 7, 9], 51000));
    let (_, router) = app(&config, far);
    for uri in [
        "/",
        "/search",
        "/api/search",
        "/api/sources",
        "/metrics",
        "/campaigns",
    ] {
        let (status, _, _) = get(&router, uri).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri} without a token");
    }
    let authed = |uri: &str| {
        Request::get(uri)
            .header("authorization", "Bearer anna-s3cret")
            .body(Body::empty())
            .unwrap()
    };
    let res = router.clone().oneshot(authed("/api/search")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bad = Request::get("/api/search")
        .header("authorization", "Bearer nope")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        router.clone().oneshot(bad).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    // A script with its token changes a status; the store records anna.
    let body = axum::body::to_bytes(
        router
            .clone()
            .oneshot(authed("/api/search?lang=ru"))
            .await
            .unwrap()
            .into_body(),
        1 << 20,
    )
    .await
    .unwrap();
    let v: Value = serde_json::from_slice(&body).unwrap();
    let id = v["results"][0]["id"].as_str().unwrap().to_string();
    let req = Request::post(format!("/api/mentions/{id}/status"))
        .header("authorization", "Bearer anna-s3cret")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"status":"resolved"}"#))
        .unwrap();
    assert_eq!(
        router.clone().oneshot(req).await.unwrap().status(),
        StatusCode::OK
    );
    let st = hearsay::store::SqliteStore::open(&config.state_path()).unwrap();
    let m = hearsay::store::StateStore::mention(&st, &MentionId::from_raw(id))
        .unwrap()
        .unwrap();
    assert_eq!(m.answer.status.as_str(), "resolved");
    assert_eq!(m.answer.status_by.as_deref(), Some("anna"));
    // The login form sets the token as a cookie for a browser.
    let login = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("token=anna-s3cret"))
        .unwrap();
    let res = router.clone().oneshot(login).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("HttpOnly"));

    // The server refuses to listen off loopback without users, and names a missing token.
    let plain = fx.dir.path().join("hearsay.toml");
    let out = hearsay(&plain, &["serve", "--bind", "0.0.0.0:0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[[web.users]]"));
    let missing = fx.dir.path().join("missing.toml");
    std::fs::write(
        &missing,
        std::fs::read_to_string(&plain).unwrap()
            + "\n[[web.users]]\nname = \"bo\"\ntoken_env = \"HEARSAY_TEST_NO_SUCH_TOKEN_BO\"\n",
    )
    .unwrap();
    let out = hearsay(&missing, &["serve", "--bind", "0.0.0.0:0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("HEARSAY_TEST_NO_SUCH_TOKEN_BO"));
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_render_crawled_html_inert_with_versions_campaigns_and_metrics() {
    let (fx, config) = crawled().await;
    let (state, router) = app(&config, local());
    let (ru, _, campaign) = edited_with_campaign(&fx, &config, state.store.as_ref()).await;
    let ids = [campaign];

    let (status, html, headers) = get(&router, "/search?q=stole").await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(
        !html.contains("<script>alert"),
        "crawled script reached the page"
    );
    assert!(!html.contains("<img src=x"), "crawled img reached the page");
    assert!(html.contains("&lt;script&gt;"));
    assert!(
        html.contains("data-facet=\"lang="),
        "facets beside the filters"
    );
    assert!(html.contains("data-facet=\"brand=Nordlys\""), "{html}");

    let (status, html, _) = get(&router, &format!("/mentions/{ru}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Versions (2)"), "{html}");
    assert!(
        html.contains("<del>") && html.contains("<ins>"),
        "a readable diff"
    );
    assert!(html.contains("name=\"csrf\""));
    assert!(
        html.contains("data-copy=\"reply\""),
        "a copy button for the suggested reply"
    );

    let (status, html, _) = get(&router, "/campaigns").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&ids[0]));
    let (status, html, _) = get(&router, &format!("/campaigns/{}", ids[0])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg") && html.contains("id=\"timeline\""));
    assert!(
        html.contains("refute"),
        "the playbook's answer to an attack"
    );
    assert!(!html.contains("<script>alert"));
    let c = json(&router, &format!("/api/campaigns/{}", ids[0])).await;
    assert_eq!(c["kind"], "coordinated");
    assert_eq!(c["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        json(&router, "/api/campaigns")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(json(&router, "/api/spikes").await.is_array());
    let sources = json(&router, "/api/sources").await;
    let broken = sources
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "broken")
        .unwrap();
    assert!(broken["last_error"].as_str().is_some(), "{broken}");

    let (status, html, _) = get(&router, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"needs-reply-now\"") && html.contains("<svg"));
    let (status, metrics, _) = get(&router, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        metrics.contains("# TYPE hearsay_stage_seconds_total counter"),
        "{metrics}"
    );
    assert!(
        metrics.contains("hearsay_mentions{lang=\"ru\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("hearsay_stage_items_total{stage=\"crawl\"}"));
    assert!(metrics.contains("hearsay_sources_failing 1"), "{metrics}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hearsay_serve_answers_over_a_real_socket() {
    let (_fx, config) = crawled().await;
    let port = free_port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearsay"))
        .arg("--config")
        .arg(&config.path)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/api/search?q={}", enc("诺德利斯"));
    let mut body = None;
    for _ in 0..100 {
        if let Ok(r) = client.get(&url).send().await {
            body = Some((r.status(), r.text().await.unwrap()));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let (status, body) = body.expect("hearsay serve answered");
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["results"][0]["lang"], "zh", "{v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn hearsay_run_serve_crawls_and_serves_in_one_process_with_the_crawlers_metrics() {
    // Never crawled, so `run` crawls at once.
    let fx = Fixture::new().await;
    fx.html("/t", &dated_thread(&[("c1", "oleg", RU, 20)]));
    let config = fx.config(&format!("{BRAND}\n{}", comment_source("forum", "/t")));
    let port = free_port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hearsay"))
        .arg("--config")
        .arg(&config.path)
        .args(["run", "--serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/metrics");
    let mut crawled_here = None;
    for _ in 0..150 {
        if let Ok(r) = client.get(&url).send().await {
            let text = r.text().await.unwrap();
            // The crawl stage's counter of this process: the crawler's own.
            let crawls = text
                .lines()
                .find(|l| l.starts_with("hearsay_stage_items_total{stage=\"crawl\"}"))
                .and_then(|l| l.split_whitespace().last())
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0);
            if crawls > 0 {
                crawled_here = Some(text);
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let search = client
        .get(format!("http://127.0.0.1:{port}/api/search?lang=ru"))
        .send()
        .await
        .map(|r| r.status());
    let _ = child.kill();
    let _ = child.wait();
    let metrics = crawled_here.expect("the web page of `run --serve` shows the crawl it ran");
    assert!(metrics.contains("hearsay_stage_seconds_total{stage=\"match\"}"));
    assert_eq!(search.unwrap(), reqwest::StatusCode::OK);
}
