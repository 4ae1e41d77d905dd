//! What PR staff can find: every language, word forms, masked spellings, filters.

use crate::common::{comments_page, crawl_once, Fixture, BRANDS, LIST_SOURCE};
use hearsay::config::Config;
use hearsay::model::Lang;
use hearsay::store::{self, SearchQuery, SearchResult};

async fn indexed_thread() -> (Fixture, Config) {
    let fx = Fixture::new().await;
    fx.html(
        "/thread",
        &comments_page(
            &[
                ("ru1", "ivan", "Вчера я перевёл деньги через Нордлис, и платёж завис на сутки. Поддержка молчит."),
                ("ru2", "olga", "Пользуюсь Нордлисом третий год, тарифы честные, приложение удобное."),
                ("zh1", "wang", "我昨天用了诺德利斯的应用转账，速度很快，客服也很耐心。"),
                ("da1", "mette", "Jeg har brugt Nordlys i et år nu, og kundeservicen svarer altid hurtigt og venligt."),
                ("en1", "troll42", "N.o.r.d.l.y.s is the worst scam ever, everybody knows it, total garbage company."),
                ("en2", "sam", "Stayed at the Nordlys Hotel in Tromsø, lovely view of the northern lights."),
                ("en3", "kim", "My Nоrdlys card stopped working abroad, anyone else seeing this problem today?"),
            ],
            None,
        ),
    );
    let config = fx.config(&format!("{BRANDS}{LIST_SOURCE}"));
    let report = crawl_once(&config).await;
    assert_eq!(
        report.sources[0].outcome,
        hearsay::pipeline::Outcome::Ok,
        "{report:?}"
    );
    (fx, config)
}

fn run(config: &Config, q: SearchQuery) -> Vec<SearchResult> {
    let (st, index) = store::open_for_reading(&config.state_path(), &config.index_dir()).unwrap();
    store::search(&index, &st, &SearchQuery { limit: 20, ..q }).unwrap()
}

fn text(q: &str) -> SearchQuery {
    SearchQuery {
        text: q.into(),
        ..Default::default()
    }
}

fn authors(results: &[SearchResult]) -> Vec<String> {
    let mut a: Vec<String> = results
        .iter()
        .filter_map(|r| r.mention.author.clone())
        .collect();
    a.sort();
    a
}

#[tokio::test(flavor = "multi_thread")]
async fn russian_inflected_forms_find_each_other() {
    let (_fx, config) = indexed_thread().await;
    // "Нордлисом" (instrumental) finds "Нордлис" (nominative) and itself.
    let hits = run(&config, text("нордлисом"));
    assert_eq!(authors(&hits), vec!["ivan", "olga"]);
    let hits = run(&config, text("тариф"));
    assert_eq!(authors(&hits), vec!["olga"], "stemming: тариф finds тарифы");
    assert!(
        hits[0].snippet.contains("<b>"),
        "highlighted: {}",
        hits[0].snippet
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn chinese_without_spaces_is_searchable() {
    let (_fx, config) = indexed_thread().await;
    let hits = run(&config, text("诺德利斯"));
    assert_eq!(authors(&hits), vec!["wang"]);
    assert_eq!(hits[0].mention.lang, Lang::Zh);
    let hits = run(&config, text("客服"));
    assert_eq!(
        authors(&hits),
        vec!["wang"],
        "any two-character word inside the text"
    );
    assert!(
        hits[0].snippet.contains("<b>客服</b>") || hits[0].snippet.contains("<b>客</b>"),
        "{}",
        hits[0].snippet
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn masked_spellings_are_found_through_the_brand() {
    let (_fx, config) = indexed_thread().await;
    // "N.o.r.d.l.y.s" and "Nоrdlys" (Cyrillic о) are Nordlys mentions the text tokenizer cannot see.
    let hits = run(&config, text("nordlys"));
    let found = authors(&hits);
    assert!(
        found.contains(&"troll42".to_string()) && found.contains(&"kim".to_string()),
        "{found:?}"
    );
    assert!(
        !found.contains(&"sam".to_string()),
        "the excluded hotel is no mention: {found:?}"
    );
    let troll = hits
        .iter()
        .find(|r| r.mention.author.as_deref() == Some("troll42"))
        .unwrap();
    assert!(
        troll.snippet.contains("<b>N.o.r.d.l.y.s</b>"),
        "snippet marks the masked form: {}",
        troll.snippet
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_and_field_syntax() {
    let (fx, config) = indexed_thread().await;
    let da = run(
        &config,
        SearchQuery {
            lang: Some(Lang::Da),
            ..text("")
        },
    );
    assert_eq!(authors(&da), vec!["mette"]);
    let hits = run(&config, text("lang:ru AND author:olga"));
    assert_eq!(authors(&hits), vec!["olga"]);
    let site = fx.web.addr().ip().to_string();
    let hits = run(&config, text(&format!("site:\"{site}\" AND brand:nordlys")));
    assert_eq!(hits.len(), 6, "{:?}", authors(&hits));
    let hits = run(
        &config,
        SearchQuery {
            brand: Some("Nordlys".into()),
            ..text("\"kundeservicen svarer\"")
        },
    );
    assert_eq!(
        authors(&hits),
        vec!["mette"],
        "phrase query with a brand filter"
    );
    // Comments carry a published date of 2026-11-20; a window after it finds none.
    let later = chrono::DateTime::parse_from_rfc3339("2026-11-21T00:00:00Z")
        .unwrap()
        .to_utc();
    let none = run(
        &config,
        SearchQuery {
            since: Some(later),
            ..text("nordlys")
        },
    );
    assert!(none.is_empty());
    let bad = store::open_for_reading(&config.state_path(), &config.index_dir())
        .map(|(st, ix)| store::search(&ix, &st, &text("nordlys AND (")));
    assert!(
        matches!(bad, Ok(Err(store::StoreError::Query(_)))),
        "a bad query is a clear error"
    );
}
