//! Checks that the demo web serves what `config/demo.toml` crawls and shows
//! what the demo promises: legacy charsets, teasers, pagination, robots, dates.

use super::*;
use crate::config::Config;
use crate::model::SourceKind;
use std::collections::HashMap;
use std::path::Path;

const DEMO_TOML: &str = include_str!("../../../config/demo.toml");

/// (ip, path and query) → reply, over every host.
fn routes(port: u16) -> HashMap<(Ipv4Addr, String), Reply> {
    let mut all = HashMap::new();
    for h in hosts(port) {
        for (path, reply) in h.routes {
            let key = (h.ip, path);
            assert!(!all.contains_key(&key), "route {key:?} defined twice");
            all.insert(key, reply);
        }
    }
    all
}

fn reply<'a>(all: &'a HashMap<(Ipv4Addr, String), Reply>, url: &str) -> &'a Reply {
    let u = url::Url::parse(url).expect("absolute URL");
    let ip: Ipv4Addr = u.host_str().unwrap_or_default().parse().expect("IPv4 host");
    let mut path = u.path().to_string();
    if let Some(q) = u.query() {
        path = format!("{path}?{q}");
    }
    all.get(&(ip, path))
        .unwrap_or_else(|| panic!("no route for {url}"))
}

fn header<'a>(r: &'a Reply, name: &str) -> &'a str {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

fn utf8(r: &Reply) -> String {
    String::from_utf8(r.body.clone()).expect("utf-8 body")
}

#[test]
fn demo_config_loads_and_every_source_is_served() {
    let config = Config::parse(DEMO_TOML, Path::new("config/demo.toml")).expect("demo.toml");
    assert!(config.crawl.allow_private_addresses);
    assert_eq!(config.timezone, chrono_tz::Europe::Moscow);
    let nordlys = config.brand("Nordlys").expect("brand Nordlys");
    assert!(nordlys.aliases.iter().any(|a| a == "Нордлис"));
    assert!(nordlys.aliases.iter().any(|a| a == "诺德利斯"));
    assert_eq!(nordlys.exclude, ["nordlys hotel"]);
    assert!(config.brand("Fjordbank").is_some());
    let all = routes(8787);
    let kinds: Vec<SourceKind> = config.sources.iter().map(|s| s.kind).collect();
    for kind in [
        SourceKind::Feed,
        SourceKind::Page,
        SourceKind::Site,
        SourceKind::Sitemap,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} source");
    }
    for s in &config.sources {
        assert_eq!(s.url.port(), Some(8787), "{}", s.name);
        let r = reply(&all, s.url.as_str());
        // ru-forum-rss is the one deliberate failure.
        let expected = if s.name == "ru-forum-rss" { 500 } else { 200 };
        assert_eq!(r.status, expected, "{}", s.name);
    }
}

#[test]
fn legacy_charsets_are_not_utf8_and_decode_back() {
    let all = routes(8787);
    let cases = [
        (
            "http://127.0.0.1:8787/rss.xml",
            WINDOWS_1251,
            "Нордлис",
            "encoding=\"windows-1251\"",
        ),
        (
            "http://127.0.0.1:8787/posts/nordlys-tarify.html",
            WINDOWS_1251,
            "Нордлис",
            "<meta charset=\"windows-1251\">",
        ),
        (
            "http://127.0.0.5:8787/thread/8848.html",
            GBK,
            "诺德利斯",
            "<meta charset=\"gbk\">",
        ),
        (
            "http://127.0.0.5:8787/news/2031.html",
            GBK,
            "诺德利斯",
            "<meta charset=\"gbk\">",
        ),
    ];
    for (url, encoding, brand, declaration) in cases {
        let r = reply(&all, url);
        assert!(
            std::str::from_utf8(&r.body).is_err(),
            "{url} is valid UTF-8"
        );
        let (text, had_errors) = encoding.decode_without_bom_handling(&r.body);
        assert!(!had_errors, "{url}");
        assert!(text.contains(brand), "{url}");
        assert!(text.contains(declaration), "{url}");
    }
    let feed = reply(&all, "http://127.0.0.1:8787/rss.xml");
    assert_eq!(
        header(feed, "content-type"),
        "application/rss+xml; charset=windows-1251"
    );
    // The GBK pages declare their charset only in <meta>.
    let gbk = reply(&all, "http://127.0.0.5:8787/thread/8848.html");
    assert_eq!(header(gbk, "content-type"), "text/html");
}

#[test]
fn rss_teasers_are_shorter_than_their_pages() {
    let all = routes(8787);
    let (rss, _) = WINDOWS_1251
        .decode_without_bom_handling(&reply(&all, "http://127.0.0.1:8787/rss.xml").body);
    let links: Vec<&str> = rss
        .split("<link>")
        .skip(2) // the channel's own link
        .filter_map(|s| s.split("</link>").next())
        .collect();
    let teasers: Vec<&str> = rss
        .split("<description>")
        .skip(2)
        .filter_map(|s| s.split("</description>").next())
        .collect();
    assert_eq!(links.len(), content::RU_BLOG.len());
    assert_eq!(teasers.len(), links.len());
    for (link, teaser) in links.iter().zip(&teasers) {
        assert!(teaser.ends_with('…'), "{teaser}");
        let (page, _) = WINDOWS_1251.decode_without_bom_handling(&reply(&all, link).body);
        let article = page.split("<article>").nth(1).expect("main <article>");
        assert!(
            article.chars().count() > 2 * teaser.chars().count(),
            "{link}"
        );
        assert!(
            page.contains("<nav>") && page.contains("<footer>"),
            "{link}"
        );
    }
}

#[test]
fn forum_has_paginated_comments_with_spam_repeats() {
    let all = routes(8787);
    let page1 = utf8(reply(&all, "http://127.0.0.2:8787/forum/t/4512"));
    let page2 = utf8(reply(&all, "http://127.0.0.2:8787/forum/t/4512?page=2"));
    assert!(page1.contains("class=\"next\" rel=\"next\" href=\"/forum/t/4512?page=2\""));
    assert!(
        !page2.contains("class=\"next\""),
        "the last page has no next link"
    );
    let ids: Vec<&str> = [&page1, &page2]
        .iter()
        .flat_map(|p| p.split("<div class=\"comment\" id=\"").skip(1))
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(ids.len() >= 12, "{ids:?}");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "DOM ids repeat: {ids:?}");
    let spam = esc(content::RU_SPAM);
    assert!(page1.matches(&spam).count() + page2.matches(&spam).count() >= 3);
    for masked in [
        "N.o.r.d.l.y.s",
        "Nоrdlys",
        "N0rdlys",
        "Нордлисом",
        "вчера в 14:32",
    ] {
        assert!(page1.contains(masked) || page2.contains(masked), "{masked}");
    }
}

#[test]
fn sitemap_lists_a_private_page_that_robots_disallows() {
    let all = routes(8787);
    let sitemap = utf8(reply(&all, "http://127.0.0.6:8787/sitemap.xml"));
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    assert_eq!(locs.len(), content::NEWS.len() + 1);
    assert_eq!(sitemap.matches("<lastmod>").count(), locs.len());
    for loc in &locs {
        assert_eq!(reply(&all, loc).status, 200, "{loc}");
    }
    let private: Vec<&&str> = locs.iter().filter(|l| l.contains("/private/")).collect();
    assert_eq!(private.len(), 1);
    assert!(utf8(reply(&all, private[0])).contains("Nordlys"));
    let robots = utf8(reply(&all, "http://127.0.0.6:8787/robots.txt"));
    assert!(robots.contains("User-agent: *\nDisallow: /private/\n"));
}

#[test]
fn feeds_mix_fresh_items_with_a_backlog() {
    let all = routes(8787);
    let now = Utc::now();
    let (rss, _) = WINDOWS_1251
        .decode_without_bom_handling(&reply(&all, "http://127.0.0.1:8787/rss.xml").body);
    let mut ages: Vec<Span> = rss
        .split("<pubDate>")
        .skip(1)
        .filter_map(|s| s.split("</pubDate>").next())
        .map(|d| {
            now - DateTime::parse_from_rfc2822(d)
                .expect("RFC 2822 pubDate")
                .with_timezone(&Utc)
        })
        .collect();
    let atom = utf8(reply(&all, "http://127.0.0.3:8787/atom.xml"));
    let json: serde_json::Value =
        serde_json::from_slice(&reply(&all, "http://127.0.0.4:8787/feed.json").body)
            .expect("JSON Feed");
    let json_dates = json["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["date_published"].as_str().unwrap_or_default().to_string());
    let atom_dates = atom
        .split("<published>")
        .skip(1)
        .filter_map(|s| s.split("</published>").next())
        .map(str::to_string);
    for d in json_dates.chain(atom_dates) {
        let t = DateTime::parse_from_rfc3339(&d)
            .expect("RFC 3339 date")
            .with_timezone(&Utc);
        ages.push(now - t);
    }
    assert!(
        ages.iter().all(|a| *a >= Span::zero()),
        "a date in the future"
    );
    assert!(ages.iter().any(|a| *a < Span::hours(6)), "nothing fresh");
    assert!(ages.iter().any(|a| *a > Span::days(7)), "no backlog");
    assert!(atom.contains("The Nordlys app has been down since morning"));
    let home = utf8(reply(&all, "http://127.0.0.3:8787/"));
    assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
}

#[test]
fn local_comment_dates_read_as_forums_print_them() {
    // 2025-11-21 12:00 UTC is 15:00 in Moscow.
    let clock = Clock {
        now: DateTime::parse_from_rfc3339("2025-11-21T12:00:00Z")
            .expect("time")
            .with_timezone(&Utc),
    };
    let span = |s: &str| format!("<span class=\"date\">{s}</span>");
    assert_eq!(
        clock.comment_date(When::YesterdayAt(14, 32), "ru"),
        span("вчера в 14:32")
    );
    assert_eq!(
        clock.comment_date(When::MinutesAgo(30), "ru"),
        span("сегодня в 14:30")
    );
    // 16 hours before 15:00 is yesterday.
    assert_eq!(
        clock.comment_date(When::MinutesAgo(16 * 60), "zh"),
        span("昨天 23:00")
    );
    assert_eq!(
        clock.comment_date(When::DaysAgoShort(1, 10, 15), "zh"),
        span("11月20日 10:15")
    );
    assert_eq!(
        clock.comment_date(When::DaysAgoLong(40, 10, 15), "zh"),
        span("2025年10月12日 10:15")
    );
    assert_eq!(
        clock.comment_date(When::DaysAgoLong(9, 19, 4), "ru"),
        span("12 ноября 2025 в 19:04")
    );
    assert_eq!(
        clock.comment_date(When::HoursAgo(2), "ru"),
        "<time class=\"date\" datetime=\"2025-11-21T10:00:00+00:00\">21 ноября 2025 в 13:00</time>"
    );
}

#[test]
fn every_internal_link_resolves() {
    let all = routes(8787);
    for ((ip, path), r) in &all {
        if r.status != 200 || !header(r, "content-type").starts_with("text/html") {
            continue;
        }
        // hrefs are ASCII, so a lossy read works for every charset.
        let html = String::from_utf8_lossy(&r.body);
        for href in html
            .split("href=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
        {
            let target = href.split('#').next().unwrap_or_default();
            let url = if target.starts_with('/') {
                format!("http://{ip}:8787{target}")
            } else {
                target.to_string()
            };
            assert!(!target.is_empty(), "empty href on {ip}{path}");
            reply(&all, &url);
        }
    }
}

#[test]
fn texts_cover_exclusions_and_unbranded_items() {
    let all = routes(8787);
    let hotel = utf8(reply(
        &all,
        "http://127.0.0.4:8787/indlaeg/weekend-i-skagen.html",
    ));
    let article = hotel.split("<article>").nth(1).unwrap_or_default();
    // Every "Nordlys" in the hotel post is inside the excluded phrase.
    assert_eq!(
        article.matches("Nordlys").count(),
        article.matches("Nordlys Hotel").count()
    );
    let unbranded = utf8(reply(
        &all,
        "http://127.0.0.6:8787/articles/budget-phones.html",
    ));
    let main = unbranded
        .split("<main>")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .unwrap_or_default();
    assert!(!main.contains("Nordlys") && !main.contains("Fjordbank"));
    let both = utf8(reply(
        &all,
        "http://127.0.0.3:8787/posts/nordlys-vs-fjordbank.html",
    ));
    assert!(both.contains("Nordlys") && both.contains("Fjordbank"));
}
