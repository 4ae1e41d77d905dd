//! The web page in a real headless Chromium (WebDriver): search in Russian
//! and Chinese, apply a filter, open a mention and its versions, mark it
//! answered and see it persist after a reload, open a campaign and its
//! timeline, and check the XSS fixture does not execute.

use crate::common::smtp::free_port;
use crate::common::webdriver::Browser;
use crate::web::{crawled, edited_with_campaign};
use std::net::SocketAddr;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread")]
async fn pr_staff_search_filter_open_mark_and_follow_a_campaign_in_chromium() {
    let (fx, config) = crawled().await;
    let bind = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let state = hearsay::web::AppState::open(Arc::new(config.clone()), bind).unwrap();
    let (ru, _, campaign) = edited_with_campaign(&fx, &config, state.store.as_ref()).await;
    let stop = hearsay::schedule::Stop::default();
    let server = tokio::spawn(hearsay::web::serve(state.clone(), bind, stop.clone()));
    let base = format!("http://{bind}");
    let b = Browser::start(1200, 1000).await;

    // Search in Russian (a word form) through the form; the URL holds the query.
    b.goto(&format!("{base}/search")).await;
    b.type_into("input[name=q]", "нордлиса").await;
    b.click("form.search button[type=submit]").await;
    b.wait_url("q=%D0%BD").await;
    let first = b.text("article.mention").await;
    assert!(first.contains("Нордлис"), "{first}");
    assert!(
        b.current_url().await.contains("q=%D0%BD"),
        "the query is in the URL"
    );
    // And in Chinese, without spaces.
    b.type_into("input[name=q]", "房租").await;
    b.click("form.search button[type=submit]").await;
    b.wait_url("q=%E6%88%BF").await;
    assert!(b.text("article.mention").await.contains("房租"));

    // Apply a filter from the facets.
    b.goto(&format!("{base}/search")).await;
    assert_eq!(b.text("#total").await, "4");
    b.click("a[data-facet=\"lang=ru\"]").await;
    b.wait_url("lang=ru").await;
    assert_eq!(b.text("#total").await, "1");

    // Open the mention and its versions; mark it answered; reload.
    b.click("article.mention a").await;
    b.wait_url("/mentions/").await;
    let versions = b.text("#versions").await;
    assert!(
        versions.contains("version 2") && versions.contains("version 1"),
        "{versions}"
    );
    let diff = b
        .exec("return document.querySelectorAll('#versions ins, #versions del').length")
        .await;
    assert!(diff.as_u64().unwrap() > 0, "the diff is marked");
    let page = b.current_url().await;
    b.click("select[name=status] option[value=answered]").await;
    b.type_into("input[name=note]", "replied in the thread")
        .await;
    b.click("#status-form button[type=submit]").await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.wait_url("/mentions/").await;
    b.goto(&page).await;
    let status = b.text("#status").await;
    assert!(
        status.starts_with("answered") && status.contains("local"),
        "{status}"
    );
    assert!(status.contains("replied in the thread"));
    let stored = state.store.mention(&ru).unwrap().unwrap();
    assert_eq!(stored.answer.status.as_str(), "answered");

    // The campaign and its timeline.
    b.goto(&format!("{base}/campaigns")).await;
    b.click(&format!("a[href=\"/campaigns/{campaign}\"]")).await;
    b.wait_url(&format!("/campaigns/{campaign}")).await;
    let bars = b
        .exec("return document.querySelectorAll('#timeline svg rect').length")
        .await;
    assert!(bars.as_u64().unwrap() >= 1, "timeline bars: {bars}");
    assert!(b.text("#answer").await.contains("refute"));

    // The XSS fixture is shown, and nothing of it ran.
    b.goto(&format!("{base}/search?q=stole")).await;
    let shown = b.text("article.mention").await;
    assert!(
        shown.contains("<script>alert(1)</script>"),
        "shown as text: {shown}"
    );
    let alert = b.try_call("GET", "/alert/text").await;
    assert_eq!(alert["error"], "no such alert", "a script ran: {alert}");
    let injected = b
        .exec("return document.querySelectorAll('main script, main img').length")
        .await;
    assert_eq!(injected.as_u64(), Some(0));

    if std::env::var_os("HEARSAY_UPDATE_SCREENSHOTS").is_some() {
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
        b.goto(&format!("{base}/search?q=nordlys")).await;
        b.screenshot(&docs.join("web-search.png")).await;
        b.goto(&format!("{base}/campaigns/{campaign}")).await;
        b.screenshot(&docs.join("web-campaign.png")).await;
    }
    drop(b);
    stop.request();
    let _ = server.await;
}
