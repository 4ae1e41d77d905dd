//! The pipeline end to end: crawl a loopback web, store versions, index, search.

use crate::common::{comments_page, crawl_once, rss, Fixture, BRANDS, LIST_SOURCE};
use hearsay::demo::web::Reply;
use hearsay::model::{Lang, MentionId};
use hearsay::pipeline::Outcome;
use hearsay::store::{self, MentionFilter, SearchQuery, SqliteStore, StateStore};

fn store_of(config: &hearsay::config::Config) -> SqliteStore {
    SqliteStore::open(&config.state_path()).expect("open store")
}

fn article(title: &str, text: &str) -> String {
    format!("<html><head><title>{title}</title></head><body><nav>Home · About</nav><article><h1>{title}</h1><p>{text}</p></article><footer>© blog</footer></body></html>")
}

fn feed_source(path: &str) -> String {
    format!("{BRANDS}\n[[sources]]\nname = \"feed\"\nurl = \"{{base}}{path}\"\nkind = \"feed\"\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn edited_entry_becomes_a_new_version_and_roll_off_is_not_deletion() {
    let fx = Fixture::new().await;
    let base = fx.base();
    let a = format!("{base}/posts/a");
    let b = format!("{base}/posts/b");
    fx.xml(
        "/feed.xml",
        &rss(&[
            (
                "",
                &a,
                "Nordlys app review",
                "The Nordlys app is fast and the support answered within an hour, thank you.",
                "Fri, 20 Nov 2026 10:00:00 +0000",
            ),
            (
                "",
                &b,
                "Second post",
                "I switched to Nordlys last month because the tariff was clear and fair to me.",
                "Fri, 20 Nov 2026 11:00:00 +0000",
            ),
        ]),
    );
    // Descriptions are teasers: the full text comes from each post's page.
    fx.html(
        "/posts/a",
        &article(
            "Nordlys app review",
            "The Nordlys app is fast and the support answered within an hour, thank you so much.",
        ),
    );
    fx.html(
        "/posts/b",
        &article(
            "Second post",
            "I switched to Nordlys last month because the tariff was clear and fair to me.",
        ),
    );
    fx.html(
        "/posts/c",
        &article(
            "Third",
            "Нордлис снова поднял тарифы, очень недоволен Нордлисом и его поддержкой.",
        ),
    );
    let config = fx.config(&feed_source("/feed.xml"));
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].outcome, Outcome::Ok, "{report:?}");
    assert_eq!(report.sources[0].new_mentions, 2);

    // The author edits post a; post b rolls out of the feed; post c arrives.
    let c = format!("{base}/posts/c");
    fx.xml(
        "/feed.xml",
        &rss(&[
            (
                "",
                &a,
                "Nordlys app review (updated)",
                "Update: the Nordlys app crashed twice today after the update.",
                "Fri, 20 Nov 2026 10:00:00 +0000",
            ),
            (
                "",
                &c,
                "Third",
                "Нордлис снова поднял тарифы, очень недоволен Нордлисом.",
                "Sat, 21 Nov 2026 09:00:00 +0000",
            ),
        ]),
    );
    fx.html(
        "/posts/a",
        &article(
            "Nordlys app review (updated)",
            "Update: the Nordlys app crashed twice today after the update.",
        ),
    );
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].new_versions, 1, "{report:?}");
    assert_eq!(report.sources[0].new_mentions, 1);

    let st = store_of(&config);
    let all = st
        .mentions(
            &MentionFilter {
                include_deleted: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    assert_eq!(all.len(), 3, "a, b and c are all kept");
    let ma = all.iter().find(|m| m.url.ends_with("/posts/a")).unwrap();
    assert_eq!(ma.versions, 2);
    assert!(ma.text.contains("crashed twice"), "latest text is current");
    let versions = st.versions(&ma.id).unwrap();
    assert_eq!(versions.len(), 2);
    assert!(
        versions[0].text.contains("fast"),
        "the first version is never overwritten"
    );
    let mb = all.iter().find(|m| m.url.ends_with("/posts/b")).unwrap();
    assert!(!mb.deleted, "rolling out of a feed is not deletion");
    assert_eq!(mb.versions, 1);
    let mc = all.iter().find(|m| m.url.ends_with("/posts/c")).unwrap();
    assert_eq!(mc.lang, Lang::Ru);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_answering_404_or_410_is_marked_deleted_and_keeps_its_text() {
    let fx = Fixture::new().await;
    fx.html(
        "/article",
        "<html><head><title>Nordlys outage</title></head><body><article><h1>Nordlys outage</h1>\
         <p>The Nordlys app has been down since morning and nobody answers the phone at all.</p></article></body></html>",
    );
    let config = fx.config(&format!(
        "{BRANDS}\n[[sources]]\nname = \"page\"\nurl = \"{{base}}/article\"\nkind = \"page\"\n"
    ));
    crawl_once(&config).await;
    let st = store_of(&config);
    let before = st.mentions(&MentionFilter::default(), None).unwrap();
    assert_eq!(before.len(), 1);
    assert!(!before[0].deleted);

    fx.web.route(
        "/article",
        Reply {
            status: 410,
            ..Reply::ok("text/html", "gone")
        },
    );
    crawl_once(&config).await;
    let after = st.mention(&before[0].id).unwrap().unwrap();
    assert!(after.deleted, "410 is positive evidence of deletion");
    assert!(
        after.text.contains("down since morning"),
        "a deleted mention keeps its last text"
    );
    assert!(
        st.mentions(&MentionFilter::default(), None)
            .unwrap()
            .is_empty(),
        "hidden from default listings"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_comment_is_deleted_only_when_its_page_still_shows_its_neighbours() {
    let fx = Fixture::new().await;
    let three = [
        (
            "c1",
            "anna",
            "Nordlys support fixed my card in ten minutes, great job.",
        ),
        (
            "c2",
            "boris",
            "Нордлис опять списал комиссию дважды, верните деньги.",
        ),
        (
            "c3",
            "chen",
            "Does Nordlys work in Denmark as well as in Norway?",
        ),
    ];
    fx.html("/thread", &comments_page(&three, None));
    let config = fx.config(&format!("{BRANDS}{LIST_SOURCE}"));
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].new_mentions, 3, "{report:?}");

    // c2 disappears while c1 and c3 remain: c2 was deleted.
    fx.html("/thread", &comments_page(&[three[0], three[2]], None));
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].deleted, 1, "{report:?}");
    let st = store_of(&config);
    let c2 = st
        .mentions(
            &MentionFilter {
                include_deleted: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    let c2 = c2.iter().find(|m| m.url.ends_with("#c2")).expect("c2 kept");
    assert!(c2.deleted);
    assert_eq!(c2.author.as_deref(), Some("boris"));

    // A page showing none of its comments (broken layout) proves nothing.
    fx.html("/thread", &comments_page(&[], None));
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].deleted, 0);
    assert_eq!(
        st.mentions(&MentionFilter::default(), None).unwrap().len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn comments_across_pagination_are_separate_mentions() {
    let fx = Fixture::new().await;
    fx.html(
        "/thread",
        &comments_page(
            &[
                ("c1", "anna", "Nordlys is great"),
                ("c2", "bo", "Nordlys is slow today"),
            ],
            Some("/thread?page=2"),
        ),
    );
    fx.html(
        "/thread?page=2",
        &comments_page(&[("c3", "cy", "Нордлиса не хватает в Дании")], None),
    );
    let config = fx.config(&format!("{BRANDS}{LIST_SOURCE}"));
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].pages_fetched, 2);
    assert_eq!(report.sources[0].new_mentions, 3, "{report:?}");
    let st = store_of(&config);
    let all = st.mentions(&MentionFilter::default(), None).unwrap();
    let authors: Vec<_> = all.iter().filter_map(|m| m.author.clone()).collect();
    for a in ["anna", "bo", "cy"] {
        assert!(authors.iter().any(|x| x == a), "{authors:?}");
    }
    assert!(
        all.iter().all(|m| !m.text.contains("Forum menu")),
        "navigation is not text"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unchanged_feed_answers_304_and_is_not_parsed_again() {
    let fx = Fixture::new().await;
    let body = rss(&[(
        "g1",
        "",
        "Nordlys",
        "Nordlys is my bank and I like the new app a lot.",
        "",
    )]);
    fx.web.route(
        "/feed.xml",
        Reply::ok("application/rss+xml", body.into_bytes()).with_header("etag", "\"v1\""),
    );
    let config = fx.config(&feed_source("/feed.xml"));
    crawl_once(&config).await;
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].not_modified, 1, "{report:?}");
    assert_eq!(report.sources[0].pages_fetched, 0);
    assert!(matches!(report.sources[0].outcome, Outcome::Skipped(_)));
    let sent = fx.web.requests();
    let last = sent
        .iter()
        .rev()
        .find(|r| r.path_and_query == "/feed.xml")
        .unwrap();
    assert!(
        last.headers
            .iter()
            .any(|(k, v)| k == "if-none-match" && v == "\"v1\""),
        "{:?}",
        last.headers
    );
    // The entry without a link is keyed by its guid and still stored once.
    assert_eq!(
        store_of(&config)
            .mentions(&MentionFilter::default(), None)
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_failing_source_never_stops_the_others() {
    let fx = Fixture::new().await;
    fx.web.route(
        "/broken.xml",
        Reply {
            status: 500,
            ..Reply::ok("text/plain", "boom")
        },
    );
    fx.xml("/garbage.xml", "this is <not a feed at all");
    fx.xml(
        "/good.xml",
        &rss(&[(
            "g",
            "",
            "t",
            "Nordlys answered my question about the tariff quickly.",
            "",
        )]),
    );
    let config = fx.config(&format!(
        "{BRANDS}
[[sources]]
name = \"broken\"
url = \"{{base}}/broken.xml\"
[[sources]]
name = \"garbage\"
url = \"{{base}}/garbage.xml\"
[[sources]]
name = \"good\"
url = \"{{base}}/good.xml\"
"
    ));
    let report = crawl_once(&config).await;
    let by = |n: &str| report.sources.iter().find(|s| s.name == n).unwrap().clone();
    assert!(
        matches!(by("broken").outcome, Outcome::Failed(ref r) if r.contains("500")),
        "{:?}",
        by("broken")
    );
    assert!(
        matches!(by("garbage").outcome, Outcome::Failed(ref r) if r.contains("feed")),
        "{:?}",
        by("garbage")
    );
    assert_eq!(by("good").outcome, Outcome::Ok);
    assert_eq!(by("good").new_mentions, 1);
    let st = store_of(&config);
    let broken = st.source_state("broken").unwrap().unwrap();
    assert_eq!(broken.error_count, 1);
    assert!(broken.last_error.unwrap().contains("500"));
    assert!(
        broken.next_check.unwrap() > chrono::Utc::now(),
        "a failing source is backed off"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn teaser_entries_take_the_full_text_of_their_page() {
    let fx = Fixture::new().await;
    let link = format!("{}/post?utm_source=rss", fx.base());
    fx.xml(
        "/feed.xml",
        &rss(&[("", &link, "Нордлис и тарифы", "Мы сравнили тарифы…", "")]),
    );
    let page = "<html><head><meta charset=\"windows-1251\"><title>x</title></head><body><nav>Меню сайта</nav><article><h1>Нордлис и тарифы</h1>\
        <p>Мы сравнили тарифы пяти банков. Нордлис оказался дешевле всех, но поддержка Нордлиса отвечает медленно, иногда по два дня.</p></article>\
        <aside>Реклама: Нордлис кредит</aside></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(page);
    fx.web.route(
        "/post",
        Reply::ok("text/html; charset=windows-1251", bytes.into_owned()),
    );
    let config = fx.config(&feed_source("/feed.xml"));
    let report = crawl_once(&config).await;
    assert_eq!(report.sources[0].new_mentions, 1, "{report:?}");
    let st = store_of(&config);
    let m = &st.mentions(&MentionFilter::default(), None).unwrap()[0];
    assert!(
        m.text.contains("поддержка Нордлиса отвечает медленно"),
        "{}",
        m.text
    );
    assert!(
        !m.text.contains("Меню сайта") && !m.text.contains("Реклама"),
        "{}",
        m.text
    );
    assert!(
        !m.url.contains("utm_source"),
        "tracking parameters dropped: {}",
        m.url
    );
    assert_eq!(m.lang, Lang::Ru);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crash_between_store_and_index_commit_is_replayed_without_duplicates() {
    let fx = Fixture::new().await;
    fx.xml(
        "/feed.xml",
        &rss(&[(
            "g",
            "",
            "t",
            "Nordlys keeps every version of what was said.",
            "",
        )]),
    );
    let config = fx.config(&feed_source("/feed.xml"));
    crawl_once(&config).await;
    // Simulate a kill -9 after the store committed but before the index did:
    // write straight to the store, as the crawler does first.
    let st = store_of(&config);
    let late = observed(
        "http://example.org/late",
        "Nordlys late arrival survives a crash",
    );
    let key = late.item.key.clone();
    st.ingest(&[late], chrono::Utc::now(), None).unwrap();
    drop(st);
    // The next process replays the store into the index, twice without harm.
    for _ in 0..2 {
        let crawler = hearsay::pipeline::Crawler::open(config.clone()).unwrap();
        let q = SearchQuery {
            text: "arrival".into(),
            limit: 10,
            ..Default::default()
        };
        let hits = store::search(&crawler.index, crawler.store.as_ref(), &q).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].mention.id, key.id());
        assert_eq!(crawler.index.len(), 2, "no duplicates after replay");
    }
    let _: MentionId = key.id();
}

#[tokio::test(flavor = "multi_thread")]
async fn old_items_of_a_first_crawl_are_backlog() {
    let fx = Fixture::new().await;
    fx.xml(
        "/feed.xml",
        &rss(&[
            (
                "old",
                "",
                "old",
                "Nordlys was mentioned long ago in this old post.",
                "Mon, 02 Jan 2023 10:00:00 +0000",
            ),
            (
                "new",
                "",
                "new",
                "Nordlys is mentioned right now in a fresh post.",
                &chrono::Utc::now().to_rfc2822(),
            ),
        ]),
    );
    let config = fx.config(&feed_source("/feed.xml"));
    crawl_once(&config).await;
    let all = store_of(&config)
        .mentions(&MentionFilter::default(), None)
        .unwrap();
    let old = all.iter().find(|m| m.text.contains("long ago")).unwrap();
    let new = all.iter().find(|m| m.text.contains("right now")).unwrap();
    assert!(old.backlog && !new.backlog);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teaser_whose_page_is_gone_is_kept_with_the_feed_text_and_flagged_deleted() {
    let fx = Fixture::new().await;
    let link = format!("{}/removed", fx.base());
    fx.xml(
        "/feed.xml",
        &rss(&[(
            "",
            &link,
            "Nordlys",
            "Nordlys cancelled my card without warning…",
            "",
        )]),
    );
    fx.web.route(
        "/removed",
        Reply {
            status: 404,
            ..Reply::ok("text/html", "not here")
        },
    );
    let config = fx.config(&feed_source("/feed.xml"));
    for _ in 0..2 {
        crawl_once(&config).await;
    }
    let st = store_of(&config);
    let all = st
        .mentions(
            &MentionFilter {
                include_deleted: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].deleted, "its URL answers 404");
    assert!(all[0].text.contains("cancelled my card"), "nothing is lost");
    assert_eq!(
        all[0].versions, 1,
        "a second crawl neither revives nor re-versions it"
    );
}

/// Regression: a post reached through a discovered feed and through its own
/// page was stored as two versions on its very first crawl.
#[tokio::test(flavor = "multi_thread")]
async fn site_crawl_reads_discovered_feeds_without_inventing_versions() {
    let fx = Fixture::new().await;
    let base = fx.base();
    fx.html(
        "/",
        "<html><head><title>Blog</title><link rel=\"alternate\" type=\"application/atom+xml\" href=\"/atom.xml\"></head>\
         <body><nav><a href=\"/post-1\">Post 1</a> <a href=\"/about\">About</a> <a href=\"http://other.example/x\">elsewhere</a></nav></body></html>",
    );
    fx.html("/post-1", &article("Nordlys outage", "The Nordlys app has been down since morning. Payments fail and support lines are busy for hours."));
    fx.html(
        "/about",
        &article(
            "About",
            "A blog about banking apps in the north, written by one person in her spare time.",
        ),
    );
    let atom = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Blog</title><id>urn:blog</id><updated>2026-11-20T10:00:00Z</updated>\
         <entry><id>urn:post-1</id><title>Nordlys outage</title><link href=\"{base}/post-1\"/><updated>2026-11-20T10:00:00Z</updated>\
         <content type=\"html\">&lt;p&gt;The Nordlys app has been down since morning.&lt;/p&gt;</content></entry></feed>"
    );
    fx.web.route(
        "/atom.xml",
        Reply::ok("application/atom+xml", atom.into_bytes()),
    );
    let config = fx.config(&format!(
        "{BRANDS}\n[[sources]]\nname = \"site\"\nurl = \"{{base}}/\"\nkind = \"site\"\ndepth = 1\n"
    ));
    for round in 0..2 {
        let report = crawl_once(&config).await;
        assert_eq!(report.sources[0].outcome, Outcome::Ok, "{report:?}");
        assert_eq!(
            report.sources[0].new_versions, 0,
            "round {round}: {report:?}"
        );
    }
    assert_eq!(
        fx.web.hits("/atom.xml"),
        2,
        "the feed was discovered through <link rel=alternate>"
    );
    let all = store_of(&config)
        .mentions(&MentionFilter::default(), None)
        .unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].versions, 1);
    assert!(
        all[0].text.contains("support lines are busy"),
        "the fuller page text wins: {}",
        all[0].text
    );
    assert_eq!(
        all[0].published.map(|t| t.to_rfc3339()),
        Some("2026-11-20T10:00:00+00:00".into()),
        "the feed's date is kept"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_post_seen_by_two_sources_is_one_mention_without_flip_flopping_versions() {
    let fx = Fixture::new().await;
    let base = fx.base();
    let post = format!("{base}/post");
    // The feed carries full content; the sitemap leads to the page, whose main text differs a little.
    let feed = |extra: &str| {
        format!(
            "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>b</title><id>urn:b</id><updated>2026-11-20T10:00:00Z</updated>{extra}\
             <entry><id>urn:p</id><title>Nordlys fees</title><link href=\"{post}\"/><updated>2026-11-20T10:00:00Z</updated>\
             <content type=\"html\">Nordlys raised its fees again.</content></entry></feed>"
        )
    };
    fx.web.route(
        "/atom.xml",
        Reply::ok("application/atom+xml", feed("").into_bytes()),
    );
    fx.html("/post", &article("Nordlys fees", "Nordlys raised its fees again. Here is the table of old and new prices for every plan."));
    fx.xml("/sitemap.xml", &format!("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{post}</loc></url></urlset>"));
    let config = fx.config(&format!(
        "{BRANDS}
[[sources]]
name = \"feed\"
url = \"{{base}}/atom.xml\"
[[sources]]
name = \"sitemap\"
url = \"{{base}}/sitemap.xml\"
kind = \"sitemap\"
"
    ));
    crawl_once(&config).await;
    // The feed changes (a new entry elsewhere), so both sources parse the post again.
    fx.web.route(
        "/atom.xml",
        Reply::ok(
            "application/atom+xml",
            feed("<entry><id>urn:q</id><title>q</title><content>other</content></entry>")
                .into_bytes(),
        ),
    );
    fx.html("/post", &article("Nordlys fees", "Nordlys raised its fees again. Here is the table of old and new prices for every plan. "));
    crawl_once(&config).await;
    let st = store_of(&config);
    let all = st.mentions(&MentionFilter::default(), None).unwrap();
    assert_eq!(all.len(), 1, "one mention, keyed by its canonical URL");
    assert_eq!(all[0].versions, 1, "two sources' views are not edits");
}

fn observed(url: &str, text: &str) -> hearsay::store::Observed {
    let url = url::Url::parse(url).unwrap();
    hearsay::store::Observed {
        item: hearsay::model::Item {
            key: hearsay::model::ItemKey::url(&url),
            url: url.to_string(),
            title: "t".into(),
            text: text.into(),
            author: None,
            published: None,
        },
        source: "feed".into(),
        container: None,
        lang: Lang::En,
        brands: vec!["Nordlys".into()],
        matches: vec![],
        labels: None,
        fingerprint: None,
        sketch: None,
        shingles: None,
    }
}

#[test]
fn an_item_edited_between_two_applies_stays_one_document() {
    // New items are added without a delete; an edit of one before the index
    // committed must still replace the uncommitted document.
    let dir = tempfile::tempdir().unwrap();
    let st = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let index = hearsay::store::SearchIndex::open_writer(&dir.path().join("index")).unwrap();
    let now = chrono::Utc::now();
    st.ingest(
        &[observed("http://example.org/a", "Nordlys first words")],
        now,
        None,
    )
    .unwrap();
    let first = st.changes_since(0, 100).unwrap();
    assert!(first[0].is_new);
    index.apply(&first).unwrap();
    st.ingest(
        &[observed("http://example.org/a", "Nordlys second words")],
        now,
        None,
    )
    .unwrap();
    let second = st.changes_since(first[0].seq, 100).unwrap();
    assert!(!second[0].is_new, "an edited item is not new");
    index.apply(&second).unwrap();
    index.commit(second[0].seq).unwrap();
    assert_eq!(index.len(), 1);
}

#[test]
fn a_store_from_before_first_seq_is_migrated_and_its_items_replaced_in_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let st = SqliteStore::open(&path).unwrap();
    st.ingest(
        &[observed("http://example.org/a", "Nordlys old row")],
        chrono::Utc::now(),
        None,
    )
    .unwrap();
    drop(st);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("ALTER TABLE items DROP COLUMN first_seq")
        .unwrap();
    drop(conn);
    let st = SqliteStore::open(&path).unwrap();
    let changes = st.changes_since(0, 100).unwrap();
    assert_eq!(changes.len(), 1);
    assert!(
        !changes[0].is_new,
        "an old row's history is unknown: replace it"
    );
    st.ingest(
        &[observed("http://example.org/b", "Nordlys new row")],
        chrono::Utc::now(),
        None,
    )
    .unwrap();
    assert!(st.changes_since(changes[0].seq, 100).unwrap()[0].is_new);
}

#[test]
fn every_version_is_kept_once_in_order_also_in_a_store_of_the_old_layout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let st = SqliteStore::open(&path).unwrap();
    let t0 = chrono::Utc::now() - chrono::Duration::hours(3);
    let at = |h: i64| t0 + chrono::Duration::hours(h);
    let url = "http://example.org/a";
    let id = hearsay::model::ItemKey::url(&url::Url::parse(url).unwrap()).id();
    for (h, text) in [(0, "Nordlys one"), (1, "Nordlys two"), (2, "Nordlys three")] {
        st.ingest(&[observed(url, text)], at(h), None).unwrap();
    }
    // Seen again unchanged: no new version, and the seen times stay.
    st.ingest(&[observed(url, "Nordlys three")], at(3), None)
        .unwrap();
    let read = |st: &SqliteStore| {
        st.versions(&id)
            .unwrap()
            .into_iter()
            .map(|v| (v.number, v.text, v.seen.timestamp_millis()))
            .collect::<Vec<_>>()
    };
    let ms = |h: i64| at(h).timestamp_millis();
    let expected = vec![
        (1, "Nordlys one".to_string(), ms(0)),
        (2, "Nordlys two".to_string(), ms(1)),
        (3, "Nordlys three".to_string(), ms(2)),
    ];
    assert_eq!(read(&st), expected);
    assert_eq!(st.mention(&id).unwrap().unwrap().versions, 3);

    // A store written before the current version lived only in `items` holds
    // it in `versions` too: read once, and an edit does not lose or repeat it.
    drop(st);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO versions (item_id, number, title, text, author, published, seen)
         SELECT id, versions, title, text, author, published, changed_at FROM items",
        [],
    )
    .unwrap();
    drop(conn);
    let st = SqliteStore::open(&path).unwrap();
    assert_eq!(read(&st), expected);
    st.ingest(&[observed(url, "Nordlys four")], at(4), None)
        .unwrap();
    let mut more = expected.clone();
    more.push((4, "Nordlys four".to_string(), ms(4)));
    assert_eq!(read(&st), more);
}

#[test]
fn author_keys_of_an_older_store_are_recomputed_so_a_cyrillic_author_can_be_muted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let st = SqliteStore::open(&path).unwrap();
    let mut o = observed("http://example.org/a", "Нордлис опять списал деньги");
    o.item.author = Some("Иван Петров".into());
    st.ingest(&[o], chrono::Utc::now(), None).unwrap();
    drop(st);
    // What SQLite's ASCII-only lower() wrote before the key was computed in Rust.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE items SET author_key = lower(author); DELETE FROM meta WHERE key = 'author_key_v2';",
    )
    .unwrap();
    let stale: String = conn
        .query_row("SELECT author_key FROM items", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stale, "Иван Петров", "lower() leaves Cyrillic as it was");
    drop(conn);

    let st = SqliteStore::open(&path).unwrap();
    st.mute(&hearsay::store::Mute {
        kind: hearsay::store::MuteKind::Author,
        value: "иван петров".into(),
        by: None,
        note: None,
        at: chrono::Utc::now(),
    })
    .unwrap();
    let all = st
        .mentions(
            &MentionFilter {
                include_muted: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
    assert!(all[0].muted, "the recomputed key meets the mute");
}

#[test]
fn unmatched_texts_past_retention_are_dropped_with_their_versions_and_mentions_kept() {
    let dir = tempfile::tempdir().unwrap();
    let st = SqliteStore::open(&dir.path().join("state.db")).unwrap();
    let t0 = chrono::Utc::now() - chrono::Duration::days(40);
    let unmatched = |text: &str| {
        let mut o = observed("http://example.org/other", text);
        o.brands.clear();
        o
    };
    let minute = chrono::Duration::minutes(1);
    st.ingest(
        &[
            unmatched("weather words"),
            observed("http://example.org/m", "Nordlys words"),
        ],
        t0,
        None,
    )
    .unwrap();
    st.ingest(&[unmatched("weather words, edited")], t0 + minute, None)
        .unwrap();
    let other = st.id_by_url("http://example.org/other").unwrap().unwrap();
    let kept = |st: &SqliteStore| -> Vec<String> {
        let mut t: Vec<String> = st
            .texts_for_rematch()
            .unwrap()
            .into_iter()
            .map(|s| s.text)
            .collect();
        t.sort();
        t
    };
    assert_eq!(kept(&st), ["Nordlys words", "weather words, edited"]);

    assert_eq!(
        st.purge_unmatched(t0 - minute).unwrap(),
        0,
        "not yet past retention"
    );
    assert_eq!(
        st.purge_unmatched(t0 + chrono::Duration::hours(1)).unwrap(),
        1
    );
    assert_eq!(kept(&st), ["Nordlys words"], "the mention's text stays");
    let versions = st.versions(&other).unwrap();
    assert!(
        !versions.is_empty() && versions.iter().all(|v| v.text.is_empty()),
        "{versions:?}"
    );
    assert_eq!(
        st.purge_unmatched(t0 + chrono::Duration::hours(1)).unwrap(),
        0,
        "once"
    );

    // Changed after its purge: kept again until the next purge, then dropped whole.
    st.ingest(
        &[unmatched("weather words, third")],
        t0 + chrono::Duration::hours(2),
        None,
    )
    .unwrap();
    assert_eq!(kept(&st).len(), 2);
    assert_eq!(
        st.purge_unmatched(t0 + chrono::Duration::hours(3)).unwrap(),
        1
    );
    assert_eq!(kept(&st), ["Nordlys words"]);
    assert!(st
        .versions(&other)
        .unwrap()
        .iter()
        .all(|v| v.text.is_empty()));
}
