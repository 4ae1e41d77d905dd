use super::*;
use chrono::TimeZone;

fn feed_url() -> Url {
    Url::parse("https://blog.example.org/feed/").expect("test url")
}

fn parse(body: &str) -> ParsedFeed {
    parse_feed(body.as_bytes(), None, &feed_url()).expect("feed parses")
}

const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Блог о финансах</title>
  <link>https://blog.example.org/</link>
  <managingEditor>editor@example.org (Анна Петрова)</managingEditor>
  <item>
    <title>Обзор приложения Нордлис</title>
    <link>/2026/11/nordlis-review?utm_source=rss</link>
    <guid isPermaLink="false">post-1842</guid>
    <pubDate>Fri, 20 Nov 2026 14:32:00 +0300</pubDate>
    <dc:creator>Иван Смирнов</dc:creator>
    <description>Коротко: Нордлис удобен…</description>
    <content:encoded><![CDATA[<p>Мы неделю пользовались <a href="https://nordlys.example/">Нордлисом</a>.</p><p>Тарифы понятные.</p>]]></content:encoded>
  </item>
  <item>
    <title>Без guid</title>
    <link>https://blog.example.org/2026/11/no-guid</link>
    <description>&lt;p&gt;Только анонс, без полного текста.&lt;/p&gt;</description>
  </item>
</channel>
</rss>"#;

#[test]
fn rss2_full_content_relative_link_and_dates() {
    let feed = parse(RSS2);
    assert_eq!(feed.title, "Блог о финансах");
    assert_eq!(feed.entries.len(), 2);
    let first = &feed.entries[0];
    assert_eq!(first.guid.as_deref(), Some("post-1842"));
    assert_eq!(
        first.link.as_ref().map(Url::as_str),
        Some("https://blog.example.org/2026/11/nordlis-review?utm_source=rss")
    );
    assert_eq!(first.title, "Обзор приложения Нордлис");
    assert_eq!(
        first.text,
        "Мы неделю пользовались Нордлисом.\n\nТарифы понятные."
    );
    assert!(!first.summary_only);
    assert_eq!(first.author.as_deref(), Some("Иван Смирнов"));
    assert_eq!(
        first.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 11, 32, 0).unwrap())
    );
}

#[test]
fn entry_without_guid_has_none_and_a_stable_link() {
    let a = parse(RSS2);
    let b = parse(RSS2);
    let entry = &a.entries[1];
    assert_eq!(entry.guid, None, "feed-rs's invented id must not leak");
    assert_eq!(entry.link, b.entries[1].link);
    assert_eq!(
        entry.link.as_ref().map(Url::as_str),
        Some("https://blog.example.org/2026/11/no-guid")
    );
    assert_eq!(entry.text, "Только анонс, без полного текста.");
    assert!(entry.summary_only);
    assert_eq!(entry.published, None, "never back-filled");
}

#[test]
fn rss1_rdf() {
    let body = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example.org/">
    <title>Old school</title><link>https://old.example.org/</link><description>x</description>
  </channel>
  <item rdf:about="https://old.example.org/nordlys">
    <title>Nordlys tariff review</title>
    <link>https://old.example.org/nordlys</link>
    <description>We compared the Nordlys tariff with two others. Read more</description>
    <dc:date>2026-11-20T09:15:00Z</dc:date>
    <dc:creator>Jane Doe</dc:creator>
  </item>
</rdf:RDF>"#;
    let feed = parse(body);
    let entry = &feed.entries[0];
    assert_eq!(entry.title, "Nordlys tariff review");
    assert_eq!(entry.guid, None);
    assert_eq!(
        entry.link.as_ref().map(Url::as_str),
        Some("https://old.example.org/nordlys")
    );
    assert!(entry.summary_only);
    assert_eq!(entry.author.as_deref(), Some("Jane Doe"));
    assert_eq!(
        entry.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 15, 0).unwrap())
    );
}

#[test]
fn atom_published_else_updated_and_feed_author() {
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Nordisk &amp;amp; blog</title>
  <id>urn:uuid:feed</id><updated>2026-11-20T12:00:00Z</updated>
  <author><name>Mette Hansen</name></author>
  <entry>
    <title>Nordlys i praksis</title>
    <id>tag:example.dk,2026:1</id>
    <link rel="alternate" href="indlaeg/1"/>
    <link rel="replies" href="https://example.dk/indlaeg/1/comments"/>
    <published>2026-11-19T08:00:00+01:00</published>
    <updated>2026-11-20T08:00:00+01:00</updated>
    <content type="html">&lt;p&gt;Vi har brugt Nordlys i en måned.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Kun opdateret</title>
    <id>tag:example.dk,2026:2</id>
    <link href="https://example.dk/indlaeg/2"/>
    <updated>2026-11-18T10:00:00Z</updated>
    <summary>Et kort resumé.</summary>
  </entry>
</feed>"#;
    let feed = parse(body);
    assert_eq!(feed.title, "Nordisk & blog");
    let first = &feed.entries[0];
    assert_eq!(first.guid.as_deref(), Some("tag:example.dk,2026:1"));
    assert_eq!(
        first.link.as_ref().map(Url::as_str),
        Some("https://blog.example.org/feed/indlaeg/1")
    );
    assert_eq!(first.text, "Vi har brugt Nordlys i en måned.");
    assert!(!first.summary_only);
    assert_eq!(first.author.as_deref(), Some("Mette Hansen"));
    assert_eq!(
        first.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 19, 7, 0, 0).unwrap())
    );
    let second = &feed.entries[1];
    assert_eq!(
        second.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 18, 10, 0, 0).unwrap())
    );
    assert!(second.summary_only);
}

#[test]
fn json_feed() {
    let body = r#"{
      "version": "https://jsonfeed.org/version/1.1",
      "title": "诺德利斯 用户博客",
      "authors": [{"name": "王伟"}],
      "items": [
        {"id": "42", "url": "https://zh.example.org/p/42", "title": "诺德利斯 评测",
         "content_html": "<p>诺德利斯的新功能很好用。</p>", "date_published": "2026-11-20T10:00:00+08:00"},
        {"url": "https://zh.example.org/p/43", "content_text": "没有标题和编号的条目"}
      ]
    }"#;
    let feed =
        parse_feed(body.as_bytes(), Some("application/feed+json"), &feed_url()).expect("json feed");
    assert_eq!(feed.title, "诺德利斯 用户博客");
    let first = &feed.entries[0];
    assert_eq!(first.guid.as_deref(), Some("42"));
    assert_eq!(first.text, "诺德利斯的新功能很好用。");
    assert_eq!(first.author.as_deref(), Some("王伟"));
    assert_eq!(
        first.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap())
    );
    let second = &feed.entries[1];
    assert_eq!(second.guid, None);
    assert_eq!(second.text, "没有标题和编号的条目");
    assert_eq!(second.published, None);
}

#[test]
fn windows_1251_feed_with_declaration_and_without() {
    let body = RSS2.replace("UTF-8", "windows-1251");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&body);
    let feed = parse_feed(&bytes, Some("application/rss+xml"), &feed_url()).expect("declared 1251");
    assert_eq!(feed.entries[0].title, "Обзор приложения Нордлис");

    let undeclared = RSS2.replace(r#"<?xml version="1.0" encoding="UTF-8"?>"#, "");
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&undeclared);
    let feed = parse_feed(&bytes, Some("text/xml; charset=windows-1251"), &feed_url())
        .expect("header 1251");
    assert_eq!(feed.entries[0].title, "Обзор приложения Нордлис");
}

const BROKEN: &str = "\u{feff}  \n<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Tom & Jerry&nbsp;news</title>\
    <item><title>Nordlys & friends \u{1} ok</title><link>https://example.org/1</link>\
    <description>Price &lt; 100 & rising &hellip; really</description></item></channel></rss>";

#[test]
fn malformed_feed_is_recovered_by_the_second_parse() {
    assert!(
        parse_text(&prepare(BROKEN.as_bytes(), None), &feed_url()).is_err(),
        "first parse must fail"
    );
    let feed = parse(BROKEN);
    assert_eq!(feed.title, "Tom & Jerry news");
    assert_eq!(feed.entries[0].title, "Nordlys & friends ok");
    assert_eq!(feed.entries[0].text, "Price < 100 & rising … really");
}

#[test]
fn rss_without_version_and_leading_junk() {
    let body = "garbage before<rss><channel><title>t</title><item><title>Nordlys</title><guid>g1</guid></item></channel></rss>";
    let feed = parse(body);
    assert_eq!(feed.entries[0].guid.as_deref(), Some("g1"));
    assert_eq!(feed.entries[0].link, None);
}

#[test]
fn rss_permalink_guid_is_the_link_when_there_is_no_link() {
    let body = r#"<rss version="2.0"><channel><title>t</title>
        <item><title>a</title><guid>https://example.org/p/1</guid></item>
        <item><title>b</title><guid isPermaLink="false">urn:x:2</guid></item></channel></rss>"#;
    let feed = parse(body);
    assert_eq!(
        feed.entries[0].link.as_ref().map(Url::as_str),
        Some("https://example.org/p/1")
    );
    assert_eq!(feed.entries[1].link, None);
    assert_eq!(feed.entries[1].guid.as_deref(), Some("urn:x:2"));
}

#[test]
fn not_a_feed_is_an_error() {
    for body in [
        "<html><body>Hello</body></html>",
        "",
        "just text",
        "{\"not\": \"a feed\"",
    ] {
        let err = parse_feed(body.as_bytes(), None, &feed_url());
        assert!(matches!(err, Err(ExtractError::Feed { .. })), "{body:?}");
    }
}

#[test]
fn teaser_detection() {
    assert!(looks_like_teaser("Nordlys har lanceret en ny app…"));
    assert!(looks_like_teaser("Nordlys launched a new app... "));
    assert!(looks_like_teaser("Новый тариф Нордлис. Читать далее →"));
    assert!(looks_like_teaser("New tariff. Read more »"));
    assert!(!looks_like_teaser("Nordlys launched a new app."));
}

#[test]
fn sanitiser_keeps_cdata_and_valid_references() {
    let s = escape_markup("<a>x &amp; y &#38; &#x26; &foo; & <![CDATA[a & b < c]]> 1 < 2</a>");
    assert_eq!(
        s,
        "<a>x &amp; y &#38; &#x26; &amp;foo; &amp; <![CDATA[a & b < c]]> 1 &lt; 2</a>"
    );
}

#[test]
fn an_rss_author_without_an_email_is_the_person_not_the_word_author() {
    let xml = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>b</title><link>https://b.example/</link>
<item><title>t</title><link>https://b.example/p/1</link><author>Иван Петров</author><description>x</description></item>
<item><title>u</title><link>https://b.example/p/2</link><author>ivan@b.example (Иван Петров)</author><description>y</description></item>
</channel></rss>"#;
    let feed = parse_feed(xml.as_bytes(), None, &feed_url()).unwrap();
    let authors: Vec<Option<&str>> = feed.entries.iter().map(|e| e.author.as_deref()).collect();
    assert_eq!(authors, [Some("Иван Петров"), Some("Иван Петров")]);
}
