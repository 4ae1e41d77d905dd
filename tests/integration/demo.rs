//! The bundled demo crawled end to end: every source kind, four languages,
//! windows-1251 and GBK, robots.txt, a failing source.

use hearsay::config::Config;
use hearsay::model::Lang;
use hearsay::pipeline::{Crawler, Outcome};
use hearsay::store::{self, MentionFilter, SearchQuery};
use std::path::Path;

#[tokio::test(flavor = "multi_thread")]
async fn demo_web_is_crawled_in_four_languages_politely() {
    let web = hearsay::demo::serve(0).await.expect("demo web");
    let mut config = Config::load(Path::new("config/demo.toml")).expect("demo config loads");
    hearsay::demo::retarget(&mut config, web.port);
    let dir = tempfile::tempdir().unwrap();
    config.storage.dir = dir.path().to_path_buf();
    let crawler = Crawler::open(config).unwrap();
    let report = crawler.crawl_all(None, None).await.unwrap();

    let by = |n: &str| {
        report
            .sources
            .iter()
            .find(|s| s.name == n)
            .unwrap_or_else(|| panic!("no source {n}"))
    };
    assert!(
        matches!(by("ru-forum-rss").outcome, Outcome::Failed(ref r) if r.contains("500")),
        "{:?}",
        by("ru-forum-rss")
    );
    for s in report.sources.iter().filter(|s| s.name != "ru-forum-rss") {
        assert_eq!(s.outcome, Outcome::Ok, "{s:?}");
    }
    let robots = &by("nordic-tech").skipped;
    assert!(
        robots
            .iter()
            .any(|(u, why)| u.contains("/private/") && why.contains("robots")),
        "{robots:?}"
    );
    let private_hits: usize = web
        .servers
        .iter()
        .flat_map(|(_, _, w)| w.requests())
        .filter(|r| r.path_and_query.starts_with("/private/"))
        .count();
    assert_eq!(
        private_hits, 0,
        "robots.txt-disallowed pages are never fetched"
    );

    let all = crawler
        .store
        .mentions(&MentionFilter::default(), None)
        .unwrap();
    for lang in [Lang::Ru, Lang::Zh, Lang::Da, Lang::En, Lang::Other] {
        assert!(
            all.iter().any(|m| m.lang == lang),
            "no {lang} mention in {} mentions",
            all.len()
        );
    }
    assert!(
        all.iter()
            .all(|m| !m.text.to_lowercase().contains("nordlys hotel")
                || m.text.matches("Nordlys").count() > 1),
        "hotel-only texts are excluded"
    );
    // windows-1251 feed + pages: full text decoded from the article page,
    // and the feed's <author> is a person, not the word "author".
    assert!(all
        .iter()
        .any(|m| m.source == "ru-blog" && m.text.contains("Нордлис")));
    assert!(
        all.iter()
            .filter(|m| m.source == "ru-blog")
            .all(|m| m.author.as_deref() != Some("author")),
        "ru-blog authors are people"
    );
    // The forum's copy-pasted warning under several posts is one spam repeat.
    let campaigns = crawler.store.campaigns(None, None).unwrap();
    assert!(
        campaigns
            .iter()
            .any(|c| c.kind == hearsay::model::CampaignKind::SpamRepeat),
        "{campaigns:?}"
    );
    // The five first-time reviewers repeating one smear within two hours are
    // an attack, and none of the organic complaints is in it.
    let attack = campaigns
        .iter()
        .find(|c| c.kind == hearsay::model::CampaignKind::Coordinated)
        .unwrap_or_else(|| panic!("no coordinated campaign: {campaigns:?}"));
    let attack = crawler.store.campaign(&attack.id).unwrap().unwrap();
    assert_eq!(attack.members.len(), 5, "{attack:?}");
    for id in &attack.members {
        let m = crawler.store.mention(id).unwrap().unwrap();
        assert!(m.text.contains("froze my account"), "{}", m.text);
    }
    // GBK forum decoded.
    assert!(all
        .iter()
        .any(|m| m.source == "zh-forum" && m.text.contains("诺德利斯")));
    // A text naming both brands is one mention with both.
    assert!(
        all.iter().any(|m| m.brands.len() == 2),
        "one mention names Nordlys and Fjordbank"
    );

    for q in ["нордлисом", "诺德利斯", "nordlys"] {
        let hits = store::search(
            &crawler.index,
            crawler.store.as_ref(),
            &SearchQuery {
                text: q.into(),
                limit: 5,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(!hits.is_empty(), "search {q} finds something");
    }
}
