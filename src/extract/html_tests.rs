use super::*;
use chrono::TimeZone;
use chrono_tz::Europe::Moscow;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap()
}

fn page_url() -> Url {
    Url::parse("https://blog.example.org/2026/11/nordlis?utm_source=tg#top").expect("test url")
}

const ARTICLE: &str = r#"<!doctype html>
<html lang="ru">
<head>
  <title>Обзор Нордлис — Блог</title>
  <meta property="og:title" content="Обзор приложения Нордлис">
  <meta name="author" content="Иван Смирнов">
  <meta property="article:published_time" content="2026-11-20T14:32:00+03:00">
  <link rel="canonical" href="/2026/11/nordlis/">
  <link rel="alternate" type="application/rss+xml" title="RSS" href="/feed/">
  <link rel="alternate" type="application/atom+xml" href="https://blog.example.org/atom.xml">
  <link rel="alternate" hreflang="en" href="/en/2026/11/nordlys/">
</head>
<body>
  <header class="site-header"><a href="/">Блог</a> <nav><a href="/nordlis-tag">Нордлис тег</a></nav></header>
  <div class="layout">
    <article class="post">
      <header><h1>Нордлис: неделя с приложением</h1><span class="byline">Автор: Иван Смирнов</span></header>
      <p>Мы неделю пользовались <a href="https://nordlys.example/promo?ref=blog">приложением Нордлис</a>.</p>
      <p>Тарифы понятные, но синхронизация иногда зависает.</p>
      <div class="share-buttons"><a href="https://vk.com/share?url=x">Поделиться Нордлис</a></div>
      <div class="post-tags">Теги: финансы</div>
    </article>
    <aside class="sidebar"><h3>Популярное</h3><a href="/top">Нордлис в топе</a></aside>
  </div>
  <div id="comments"><p>Комментарий про Нордлис</p></div>
  <footer>© 2026 Нордлис-фан <a href="mailto:me@example.org">почта</a> <a href="/about#team">О нас</a></footer>
  <div class="cookie-banner">Мы используем cookie</div>
  <script>var brand = "Нордлис";</script>
</body>
</html>"#;

#[test]
fn article_main_text_drops_nav_sidebar_footer_and_link_urls() {
    let a = extract_article(ARTICLE, &page_url(), now(), Moscow);
    assert_eq!(
        a.text,
        "Мы неделю пользовались приложением Нордлис.\n\nТарифы понятные, но синхронизация иногда зависает.\n\nТеги: финансы"
    );
    assert!(!a.text.contains("nordlys.example"));
    assert!(
        !a.text.contains("Иван"),
        "byline names stay out of the text"
    );
    assert_eq!(a.title, "Обзор приложения Нордлис");
    assert_eq!(
        a.canonical.as_str(),
        "https://blog.example.org/2026/11/nordlis/"
    );
    assert_eq!(a.author.as_deref(), Some("Иван Смирнов"));
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 11, 32, 0).unwrap())
    );
    assert_eq!(a.html_lang.as_deref(), Some("ru"));
    let (same, links) = extract_page(ARTICLE, &page_url(), now(), Moscow);
    assert_eq!(same, a, "extract_page reads the same article");
    let feeds: Vec<&str> = links.feeds.iter().map(Url::as_str).collect();
    assert_eq!(
        feeds,
        [
            "https://blog.example.org/feed/",
            "https://blog.example.org/atom.xml"
        ]
    );
}

#[test]
fn article_links_are_absolute_http_deduped_without_fragments() {
    let (_, links) = extract_page(ARTICLE, &page_url(), now(), Moscow);
    let links: Vec<&str> = links.links.iter().map(Url::as_str).collect();
    assert_eq!(
        links,
        [
            "https://blog.example.org/",
            "https://blog.example.org/nordlis-tag",
            "https://nordlys.example/promo?ref=blog",
            "https://vk.com/share?url=x",
            "https://blog.example.org/top",
            "https://blog.example.org/about",
        ]
    );
}

#[test]
fn page_without_article_uses_body_minus_boilerplate() {
    let html = r#"<html><head><title>Nordlys FAQ</title></head><body>
        <div id="main-nav"><a href="/">Home</a> Nordlys menu</div>
        <div class="content"><h2>Is Nordlys free?</h2><p>Yes, the basic tariff is free.</p>
        <time datetime="2026-11-19">yesterday</time></div>
        <div class="widget-area">Nordlys widget</div>
        <div role="navigation">More Nordlys links</div>
        </body></html>"#;
    let url = Url::parse("https://help.example.org/faq").expect("url");
    let a = extract_article(html, &url, now(), Tz::UTC);
    assert_eq!(a.title, "Nordlys FAQ");
    assert_eq!(
        a.text,
        "Is Nordlys free?\n\nYes, the basic tariff is free.\n\nyesterday"
    );
    assert_eq!(a.canonical.as_str(), "https://help.example.org/faq");
    assert_eq!(
        a.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 19, 0, 0, 0).unwrap())
    );
    assert_eq!(a.author, None);
    assert_eq!(a.html_lang, None);
}

#[test]
fn layout_class_that_looks_like_boilerplate_does_not_empty_the_page() {
    let html = r#"<body><div class="sidebar-layout"><p>Nordlys er godt.</p></div></body>"#;
    let url = Url::parse("https://example.dk/").expect("url");
    let a = extract_article(html, &url, now(), Tz::UTC);
    assert_eq!(a.text, "Nordlys er godt.");
}

#[test]
fn hostile_html_does_not_panic() {
    let url = Url::parse("https://example.org/").expect("url");
    for html in [
        "",
        "<",
        "<html><body><article>",
        "<a href='http://[::1'>x</a><link rel=canonical href='javascript:alert(1)'>",
        "<meta property=article:published_time content='not a date'><time datetime='2026-99-99'>",
        "\u{0}\u{feff}<p>\u{fffd}</p>",
    ] {
        let a = extract_article(html, &url, now(), Tz::UTC);
        assert_eq!(a.canonical.as_str(), "https://example.org/");
        assert_eq!(a.published, None);
    }
}

const FORUM: &str = r##"<html><head><title>Нордлис — отзывы</title>
<link rel="canonical" href="https://forum.example.org/t/nordlis"></head><body>
<nav><a href="/">Форум</a></nav>
<div class="comments">
  <div class="comment" id="c101">
    <div class="comment-meta"><span class="user">alex_77</span> <span class="date" title="2026-11-19T14:32:00+03:00">вчера в 14:32</span></div>
    <div class="comment-body"><p>Пользуюсь Нордлисом полгода, доволен.</p></div>
    <a class="reply" href="#reply-101">Ответить</a>
    <div class="comment" id="c102">
      <div class="comment-meta"><span class="user">marina</span> <span class="date">5 минут назад</span></div>
      <div class="comment-body"><p>А у меня Нордлис зависает.</p></div>
    </div>
  </div>
  <div class="comment">
    <a name="c103"></a>
    <span class="user">Ole</span> <span class="date">20 ноября в 9:05</span>
    <p>Nordlys virker fint for mig.</p>
    <a class="permalink" href="/t/nordlis?page=1&utm_source=x#c103">#</a>
  </div>
  <div class="comment" id="c104"><span class="user">ghost</span></div>
</div>
<div class="pager"><a class="next" href="/t/nordlis?page=2">Дальше</a></div>
</body></html>"##;

fn forum_selectors() -> Selectors {
    Selectors {
        item: ".comment".into(),
        text: None,
        author: Some(".user".into()),
        date: Some(".date".into()),
        title: None,
        permalink: Some("a.permalink".into()),
        next: Some(".pager a.next".into()),
    }
}

#[test]
fn list_page_items_with_anchors_authors_dates_and_next() {
    let url = Url::parse("https://forum.example.org/t/nordlis?utm_medium=x").expect("url");
    let page = extract_list(FORUM, &url, &forum_selectors(), now(), Moscow);
    assert_eq!(
        page.canonical.as_str(),
        "https://forum.example.org/t/nordlis"
    );
    assert_eq!(page.title, "Нордлис — отзывы");
    assert_eq!(
        page.next.as_ref().map(Url::as_str),
        Some("https://forum.example.org/t/nordlis?page=2")
    );
    assert_eq!(
        page.items.len(),
        3,
        "the empty comment is not an item: {:?}",
        page.items
    );

    let first = &page.items[0];
    assert_eq!(first.anchor.as_deref(), Some("c101"));
    assert_eq!(
        first.permalink.as_ref().map(Url::as_str),
        Some("https://forum.example.org/t/nordlis#c101")
    );
    assert_eq!(first.author.as_deref(), Some("alex_77"));
    assert_eq!(
        first.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 19, 11, 32, 0).unwrap())
    );
    assert_eq!(
        first.text, "Пользуюсь Нордлисом полгода, доволен.",
        "no reply's text, no names, no 'Ответить'"
    );

    let nested = &page.items[1];
    assert_eq!(nested.anchor.as_deref(), Some("c102"));
    assert_eq!(nested.author.as_deref(), Some("marina"));
    assert_eq!(
        nested.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 11, 55, 0).unwrap())
    );
    assert_eq!(nested.text, "А у меня Нордлис зависает.");

    let third = &page.items[2];
    assert_eq!(third.anchor.as_deref(), Some("c103"));
    assert_eq!(
        third.permalink.as_ref().map(Url::as_str),
        Some("https://forum.example.org/t/nordlis?page=1#c103")
    );
    assert_eq!(third.author.as_deref(), Some("Ole"));
    assert_eq!(
        third.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 6, 5, 0).unwrap())
    );
    assert_eq!(
        third.text, "Nordlys virker fint for mig.",
        "the permalink's '#' is not text"
    );
}

#[test]
fn list_text_and_title_selectors_and_rel_next_fallback() {
    let html = r#"<html><head><link rel="next" href="?p=3"></head><body>
      <section class="review"><h3>Отлично</h3><div class="txt">诺德利斯 很好用</div><b>Ли</b></section>
      <section class="review"><h3>Плохо</h3><div class="txt">Nordlys crashed twice.</div></section>
    </body></html>"#;
    let url = Url::parse("https://shop.example.org/reviews?p=2").expect("url");
    let selectors = Selectors {
        item: ".review".into(),
        text: Some(".txt".into()),
        title: Some("h3".into()),
        ..Selectors::default()
    };
    let page = extract_list(html, &url, &selectors, now(), Tz::UTC);
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].title.as_deref(), Some("Отлично"));
    assert_eq!(page.items[0].text, "诺德利斯 很好用");
    assert_eq!(page.items[0].anchor, None);
    assert_eq!(page.items[0].permalink, None);
    assert_eq!(page.items[1].text, "Nordlys crashed twice.");
    assert_eq!(
        page.next.as_ref().map(Url::as_str),
        Some("https://shop.example.org/reviews?p=3")
    );
}

#[test]
fn next_link_to_the_same_page_is_ignored() {
    let html = r#"<div class="c">Nordlys</div><a class="next" href="/list#top">next</a>"#;
    let url = Url::parse("https://example.org/list").expect("url");
    let selectors = Selectors {
        item: ".c".into(),
        next: Some("a.next".into()),
        ..Selectors::default()
    };
    let page = extract_list(html, &url, &selectors, now(), Tz::UTC);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next, None);
}
