//! The demo web's content: six loopback hosts, each a small site of its own.
//!
//! | IP          | site                         | shows                                          |
//! |-------------|------------------------------|------------------------------------------------|
//! | 127.0.0.1   | Russian blog                 | RSS 2.0 in windows-1251, teasers → full pages   |
//! | 127.0.0.2   | Russian forum                | 14 comments over 2 pages, a feed answering 500 |
//! | 127.0.0.3   | English blog                 | Atom auto-discovery, canonical URL, full text  |
//! | 127.0.0.4   | Danish blog                  | JSON Feed, "Nordlys Hotel" exclusion           |
//! | 127.0.0.5   | Chinese forum and news (GBK) | `<meta charset="gbk">`, "昨天 22:10" dates      |
//! | 127.0.0.6   | Nordic news site             | sitemap, robots.txt `/private/`, reviews, nb/sv |
//!
//! The texts live in [`super::content`]; this file turns them into HTML,
//! feeds and sitemaps. Dates are computed from the real clock on every call
//! so the demo always has fresh items next to a backlog older than 7 days.

use super::content::{self, Article, Comment, Review, When};
use super::web::Reply;
use chrono::{DateTime, Datelike, Duration as Span, Timelike, Utc};
use chrono_tz::{Europe::Moscow, Tz};
use encoding_rs::{Encoding, GBK, UTF_8, WINDOWS_1251};
use std::net::Ipv4Addr;

/// The demo's hosts: each its own loopback IP, all on one port.
pub struct DemoHost {
    pub ip: Ipv4Addr,
    pub name: &'static str,
    /// Path and query (e.g. `/feed.xml`, `/forum/t/4512?page=2`) → reply.
    pub routes: Vec<(String, Reply)>,
}

/// Builds every host's routes; absolute URLs inside content use `http://{ip}:{port}`.
pub fn hosts(port: u16) -> Vec<DemoHost> {
    // Whole seconds: feeds and sitemaps look hand-written, not nanosecond-precise.
    let now = Utc::now();
    let now = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    let clock = Clock { now };
    vec![
        ru_blog(port, &clock),
        ru_forum(port, &clock),
        en_blog(port, &clock),
        da_blog(port, &clock),
        zh_site(port, &clock),
        news_site(port, &clock),
    ]
}

/// The fixed "now" every date of one build is computed from; local forms
/// ("вчера в 14:32") are written in Moscow time, the demo config's timezone.
struct Clock {
    now: DateTime<Utc>,
}

impl Clock {
    fn hours_ago(&self, hours: i64) -> DateTime<Utc> {
        self.now - Span::hours(hours)
    }

    fn local(&self, t: DateTime<Utc>) -> DateTime<Tz> {
        t.with_timezone(&Moscow)
    }

    /// `days` ago in local time at `hh:mm` (a wall-clock time, not a span).
    fn local_day_at(&self, days: i64, hh: u32, mm: u32) -> DateTime<Tz> {
        let date = self.local(self.now).date_naive() - Span::days(days);
        let naive = date.and_hms_opt(hh, mm, 0).unwrap_or_default();
        // Moscow has had no DST since 2014, so every wall-clock time exists once.
        naive
            .and_local_timezone(Moscow)
            .earliest()
            .unwrap_or_else(|| self.local(self.now))
    }

    /// The `<time>` or `<span>` a forum prints for a comment, in `lang` (ru or zh).
    fn comment_date(&self, when: When, lang: &str) -> String {
        let zh = lang == "zh";
        let local = |t: DateTime<Tz>| -> String {
            let days = (self.local(self.now).date_naive() - t.date_naive()).num_days();
            let hm = format!("{:02}:{:02}", t.hour(), t.minute());
            match (days, zh) {
                (0, false) => format!("сегодня в {hm}"),
                (0, true) => format!("今天 {hm}"),
                (1, false) => format!("вчера в {hm}"),
                (1, true) => format!("昨天 {hm}"),
                _ if zh => zh_date(t, true),
                _ => ru_date(t),
            }
        };
        match when {
            When::HoursAgo(h) => {
                let t = self.hours_ago(h);
                let human = if zh {
                    zh_date(self.local(t), true)
                } else {
                    ru_date(self.local(t))
                };
                format!(
                    r#"<time class="date" datetime="{}">{human}</time>"#,
                    t.to_rfc3339()
                )
            }
            When::MinutesAgo(m) => {
                let text = local(self.local(self.now - Span::minutes(m)));
                format!(r#"<span class="date">{text}</span>"#)
            }
            When::YesterdayAt(hh, mm) => {
                let text = local(self.local_day_at(1, hh, mm));
                format!(r#"<span class="date">{text}</span>"#)
            }
            When::DaysAgoShort(d, hh, mm) | When::DaysAgoLong(d, hh, mm) => {
                let t = self.local_day_at(d, hh, mm);
                let long = matches!(when, When::DaysAgoLong(..));
                let text = match (zh, long) {
                    (true, _) => zh_date(t, long),
                    (false, true) => ru_date(t),
                    (false, false) => format!(
                        "{} {} в {:02}:{:02}",
                        t.day(),
                        RU_MONTHS[t.month0() as usize],
                        t.hour(),
                        t.minute()
                    ),
                };
                format!(r#"<span class="date">{text}</span>"#)
            }
        }
    }
}

const RU_MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// "8 ноября 2025 в 19:04".
fn ru_date(t: DateTime<Tz>) -> String {
    let month = RU_MONTHS[t.month0() as usize];
    format!(
        "{} {month} {} в {:02}:{:02}",
        t.day(),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// "2025年10月2日 10:15", or without the year "11月20日 10:15".
fn zh_date(t: DateTime<Tz>, with_year: bool) -> String {
    let year = if with_year {
        format!("{}年", t.year())
    } else {
        String::new()
    };
    format!(
        "{year}{}月{}日 {:02}:{:02}",
        t.month(),
        t.day(),
        t.hour(),
        t.minute()
    )
}

// ------------------------------------------------------------------ markup

/// Escapes text for HTML and XML content and attribute values.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Encodes a page written as a Rust string into the site's charset.
fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
    let (bytes, _, lossy) = encoding.encode(text);
    // Our own texts must fit the charset: a lossy encode would put `&#…;`
    // references into feeds and pages and spoil the charset demonstration.
    debug_assert!(!lossy, "demo text does not fit {}", encoding.name());
    bytes.into_owned()
}

/// What every page of one site shares: the frame around the main content that
/// extraction must ignore.
struct Chrome {
    lang: &'static str,
    encoding: &'static Encoding,
    /// Sent in the content-type header too; `false` leaves only the `<meta>`.
    charset_in_header: bool,
    site: &'static str,
    base: String,
    nav: &'static [(&'static str, &'static str)],
    /// Sidebar HTML; may name the brand (an ad) to show it does not count.
    sidebar: &'static str,
    footer: &'static str,
}

impl Chrome {
    /// A full HTML document; `head` adds canonical/alternate/meta tags.
    fn page(&self, title: &str, head: &str, main: &str) -> Reply {
        let nav: String = self
            .nav
            .iter()
            .map(|(href, label)| format!(r#"<a href="{href}">{label}</a> "#))
            .collect();
        let charset = self.charset_name();
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"{charset}\">\n\
             <title>{title} — {site}</title>\n{head}</head>\n<body>\n\
             <header><a class=\"logo\" href=\"/\">{site}</a>\n<nav>{nav}</nav></header>\n\
             <div class=\"layout\">\n<main>\n{main}</main>\n\
             <aside class=\"sidebar\">{sidebar}</aside>\n</div>\n\
             <footer>{footer}</footer>\n</body>\n</html>\n",
            lang = self.lang,
            title = esc(title),
            site = self.site,
            sidebar = self.sidebar,
            footer = self.footer,
        );
        let content_type = if self.charset_in_header {
            format!("text/html; charset={charset}")
        } else {
            "text/html".to_string()
        };
        Reply::ok(&content_type, encode(self.encoding, &html))
    }

    fn charset_name(&self) -> &'static str {
        if self.encoding == GBK {
            "gbk"
        } else {
            self.encoding.name()
        }
    }

    /// An article page at `path` with canonical URL and published time.
    fn article(&self, path: &str, a: &Article, clock: &Clock) -> Reply {
        let published = clock.hours_ago(a.hours_ago).to_rfc3339();
        let head = format!(
            "<link rel=\"canonical\" href=\"{base}{path}\">\n\
             <meta property=\"article:published_time\" content=\"{published}\">\n\
             <meta name=\"author\" content=\"{author}\">\n",
            base = self.base,
            author = esc(a.author),
        );
        let main = format!(
            "<article>\n<h1>{title}</h1>\n<p class=\"byline\">{author}, \
             <time datetime=\"{published}\">{published}</time></p>\n{body}</article>\n",
            title = esc(a.title),
            author = esc(a.author),
            body = paragraphs(a),
        );
        self.page(a.title, &head, &main)
    }

    /// A front page listing `links` (href, title).
    fn index(&self, heading: &str, head: &str, links: &[(String, &str)]) -> Reply {
        let items: String = links
            .iter()
            .map(|(href, title)| format!("<li><a href=\"{href}\">{}</a></li>\n", esc(title)))
            .collect();
        self.page(
            heading,
            head,
            &format!(
                "<h1>{}</h1>\n<ul class=\"posts\">\n{items}</ul>\n",
                esc(heading)
            ),
        )
    }
}

fn paragraphs(a: &Article) -> String {
    a.paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", esc(p)))
        .collect()
}

/// The feed teaser: the article's opening, cut at a word, ending in "…".
fn teaser(a: &Article) -> String {
    let first = a.paragraphs.first().copied().unwrap_or_default();
    let mut cut = String::new();
    for word in first.split(' ') {
        if cut.chars().count() + word.chars().count() > 70 {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    format!("{}…", cut.trim_end_matches([',', '.', ':', ';']))
}

/// A comment list as forums print it: one element with a DOM id per comment.
fn comments(list: &[Comment], class: &str, prefix: &str, lang: &str, clock: &Clock) -> String {
    list.iter()
        .map(|c| {
            format!(
                "<div class=\"{class}\" id=\"{prefix}{id}\">\n<span class=\"author\">{author}</span>\n\
                 {date}\n<div class=\"body\">{text}</div>\n</div>\n",
                id = c.id,
                author = esc(c.author),
                date = clock.comment_date(c.when, lang),
                text = esc(c.text),
            )
        })
        .collect()
}

fn plain(status: u16, body: &str) -> Reply {
    Reply {
        status,
        ..Reply::ok("text/plain; charset=utf-8", body.as_bytes().to_vec())
    }
}

fn host(last_octet: u8, name: &'static str, routes: Vec<(String, Reply)>) -> DemoHost {
    DemoHost {
        ip: Ipv4Addr::new(127, 0, 0, last_octet),
        name,
        routes,
    }
}

fn base(last_octet: u8, port: u16) -> String {
    format!("http://127.0.0.{last_octet}:{port}")
}

// ------------------------------------------------------------------- hosts

/// 127.0.0.1: a Russian blog in windows-1251; the RSS feed has teasers only,
/// the linked pages the full text inside nav, sidebar (with an ad naming the
/// brand) and footer.
fn ru_blog(port: u16, clock: &Clock) -> DemoHost {
    let chrome = Chrome {
        lang: "ru",
        encoding: WINDOWS_1251,
        charset_in_header: true,
        site: "Деньги под контролем",
        base: base(1, port),
        nav: &[("/", "Главная"), ("/rss.xml", "RSS"), ("/posts/semeyny-byudzhet.html", "Бюджет")],
        sidebar: "<h3>Реклама</h3><p>Откройте счёт в Nordlys за пять минут — бесплатно!</p>\
                  <h3>Популярное</h3><ul><li>Как накопить на отпуск</li><li>Вклады или облигации</li></ul>",
        footer: "© Деньги под контролем. Перепечатка только со ссылкой. Nordlys и Fjordbank — товарные знаки их владельцев.",
    };
    let mut routes = Vec::new();
    let mut items = String::new();
    let mut links = Vec::new();
    for a in content::RU_BLOG {
        let path = format!("/posts/{}.html", a.slug);
        let url = format!("{}{path}", chrome.base);
        items.push_str(&format!(
            "<item>\n<title>{title}</title>\n<link>{url}</link>\n<guid isPermaLink=\"true\">{url}</guid>\n\
             <pubDate>{date}</pubDate>\n<author>{author}</author>\n<description>{teaser}</description>\n</item>\n",
            title = esc(a.title),
            date = clock.hours_ago(a.hours_ago).to_rfc2822(),
            author = esc(a.author),
            teaser = esc(&teaser(a)),
        ));
        routes.push((path.clone(), chrome.article(&path, a, clock)));
        links.push((path, a.title));
    }
    let rss = format!(
        "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<rss version=\"2.0\">\n<channel>\n\
         <title>{site}</title>\n<link>{base}/</link>\n<description>Личные финансы без паники</description>\n\
         <language>ru</language>\n{items}</channel>\n</rss>\n",
        site = chrome.site,
        base = chrome.base,
    );
    routes.push((
        "/rss.xml".into(),
        Reply::ok(
            "application/rss+xml; charset=windows-1251",
            encode(WINDOWS_1251, &rss),
        ),
    ));
    routes.push(("/".into(), chrome.index("Свежие записи", "", &links)));
    host(1, "ru-blog", routes)
}

/// 127.0.0.2: a Russian forum thread of 14 comments over two pages, and a
/// forum feed that answers 500 (one failing source must not stop the rest).
fn ru_forum(port: u16, clock: &Clock) -> DemoHost {
    let chrome = Chrome {
        lang: "ru",
        encoding: UTF_8,
        charset_in_header: true,
        site: "Финансовый форум",
        base: base(2, port),
        nav: &[("/", "Разделы"), ("/forum/t/4512", "Банки и приложения")],
        sidebar: "<h3>Правила</h3><p>Без мата, оскорблений и рекламы. Спам удаляется.</p>",
        footer: "Финансовый форум — общаемся с 2009 года.",
    };
    let thread = "/forum/t/4512";
    let title = "Nordlys — стоит ли переходить? Отзывы и проблемы";
    let pages = [content::RU_FORUM_PAGE1, content::RU_FORUM_PAGE2];
    let mut routes = Vec::new();
    for (n, list) in pages.iter().enumerate() {
        let page_no = n + 1;
        let path = if page_no == 1 {
            thread.to_string()
        } else {
            format!("{thread}?page={page_no}")
        };
        let pager = if page_no < pages.len() {
            format!(
                "<a class=\"next\" rel=\"next\" href=\"{thread}?page={}\">Следующая страница →</a>",
                page_no + 1
            )
        } else {
            format!("<a class=\"prev\" rel=\"prev\" href=\"{thread}\">← Предыдущая страница</a>")
        };
        let main = format!(
            "<h1>{}</h1>\n<p class=\"pages\">Страница {page_no} из {}</p>\n<section class=\"comments\">\n{}</section>\n\
             <nav class=\"pager\">{pager}</nav>\n",
            esc(title),
            pages.len(),
            comments(list, "comment", "c", "ru", clock),
        );
        routes.push((path, chrome.page(title, "", &main)));
    }
    routes.push(("/forum/rss.xml".into(), plain(500, "Internal Server Error")));
    routes.push((
        "/".into(),
        chrome.index("Разделы форума", "", &[(thread.to_string(), title)]),
    ));
    host(2, "ru-forum", routes)
}

/// 127.0.0.3: an English blog crawled as a `site`: its home page announces an
/// Atom feed (full content) and links one post with tracking parameters
/// that its canonical URL removes.
fn en_blog(port: u16, clock: &Clock) -> DemoHost {
    let chrome = Chrome {
        lang: "en",
        encoding: UTF_8,
        charset_in_header: true,
        site: "Fintech Notes",
        base: base(3, port),
        nav: &[
            ("/", "Home"),
            ("/about.html", "About"),
            ("/atom.xml", "Feed"),
        ],
        sidebar: "<h3>Sponsored</h3><p>Try Fjordbank savings goals today.</p>",
        footer: "Fintech Notes is an independent blog. Not financial advice.",
    };
    let mut routes = Vec::new();
    let mut entries = String::new();
    let mut links = Vec::new();
    for a in content::EN_BLOG {
        let path = format!("/posts/{}.html", a.slug);
        let url = format!("{}{path}", chrome.base);
        let published = clock.hours_ago(a.hours_ago).to_rfc3339();
        entries.push_str(&format!(
            "<entry>\n<title>{title}</title>\n<id>{url}</id>\n<link rel=\"alternate\" href=\"{url}\"/>\n\
             <published>{published}</published>\n<updated>{published}</updated>\n\
             <author><name>{author}</name></author>\n<content type=\"html\">{body}</content>\n</entry>\n",
            title = esc(a.title),
            author = esc(a.author),
            body = esc(&paragraphs(a)),
        ));
        let page = chrome.article(&path, a, clock);
        // The newest post is linked from the home page with tracking
        // parameters: the same page, one mention, by its canonical URL.
        let href = if a.hours_ago == content::EN_BLOG[0].hours_ago {
            let tracked = format!("{path}?utm_source=home&utm_medium=banner");
            routes.push((tracked.clone(), page.clone()));
            tracked
        } else {
            path.clone()
        };
        routes.push((path, page));
        links.push((href, a.title));
    }
    let updated = clock.hours_ago(content::EN_BLOG[0].hours_ago).to_rfc3339();
    let atom = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{site}</title>\n<id>{base}/</id>\n<link rel=\"self\" href=\"{base}/atom.xml\"/>\n\
         <link rel=\"alternate\" href=\"{base}/\"/>\n<updated>{updated}</updated>\n{entries}</feed>\n",
        site = chrome.site,
        base = chrome.base,
    );
    routes.push((
        "/atom.xml".into(),
        Reply::ok("application/atom+xml; charset=utf-8", atom),
    ));
    let alternate = "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Fintech Notes\" href=\"/atom.xml\">\n";
    routes.push(("/".into(), chrome.index("Latest posts", alternate, &links)));
    let about = "<h1>About</h1>\n<p>Fintech Notes is written by two people who compare banking apps, tariffs and budgeting tools so you do not have to.</p>\n";
    routes.push(("/about.html".into(), chrome.page("About", "", about)));
    host(3, "en-blog", routes)
}

/// 127.0.0.4: a Danish blog with a JSON Feed; one post is about "Nordlys
/// Hotel" (excluded), others name no brand or only Fjordbank.
fn da_blog(port: u16, clock: &Clock) -> DemoHost {
    let chrome = Chrome {
        lang: "da",
        encoding: UTF_8,
        charset_in_header: true,
        site: "Pengeguiden",
        base: base(4, port),
        nav: &[("/", "Forside"), ("/feed.json", "Feed")],
        sidebar: "<h3>Mest læst</h3><ul><li>Budget for studerende</li></ul>",
        footer: "Pengeguiden — privatøkonomi på almindeligt dansk.",
    };
    let mut routes = Vec::new();
    let mut items = Vec::new();
    let mut links = Vec::new();
    for a in content::DA_BLOG {
        let path = format!("/indlaeg/{}.html", a.slug);
        let url = format!("{}{path}", chrome.base);
        items.push(serde_json::json!({
            "id": url,
            "url": url,
            "title": a.title,
            "content_html": paragraphs(a),
            "date_published": clock.hours_ago(a.hours_ago).to_rfc3339(),
            "authors": [{ "name": a.author }],
            "language": "da",
        }));
        routes.push((path.clone(), chrome.article(&path, a, clock)));
        links.push((path, a.title));
    }
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": chrome.site,
        "home_page_url": format!("{}/", chrome.base),
        "feed_url": format!("{}/feed.json", chrome.base),
        "language": "da",
        "items": items,
    });
    let body = serde_json::to_vec_pretty(&feed).unwrap_or_default();
    routes.push((
        "/feed.json".into(),
        Reply::ok("application/feed+json; charset=utf-8", body),
    ));
    routes.push(("/".into(), chrome.index("Seneste indlæg", "", &links)));
    host(4, "da-blog", routes)
}

/// 127.0.0.5: a Chinese forum thread and a news article, both GBK, declared
/// only by `<meta charset="gbk">` (no charset in the header).
fn zh_site(port: u16, clock: &Clock) -> DemoHost {
    let chrome = Chrome {
        lang: "zh-CN",
        encoding: GBK,
        charset_in_header: false,
        site: "理财社区",
        base: base(5, port),
        nav: &[
            ("/", "首页"),
            ("/thread/8848.html", "银行讨论"),
            ("/news/2031.html", "新闻"),
        ],
        sidebar: "<h3>热门话题</h3><ul><li>信用卡还款技巧</li><li>诺德利斯官方活动</li></ul>",
        footer: "理财社区 版权所有",
    };
    let title = "诺德利斯App使用体验汇总";
    let main = format!(
        "<h1>{title}</h1>\n<section class=\"thread\">\n{}</section>\n",
        comments(content::ZH_THREAD, "post", "p", "zh", clock)
    );
    let news_path = format!("/news/{}.html", content::ZH_NEWS.slug);
    let routes = vec![
        (
            "/thread/8848.html".to_string(),
            chrome.page(title, "", &main),
        ),
        (
            news_path.clone(),
            chrome.article(&news_path, &content::ZH_NEWS, clock),
        ),
        (
            "/".to_string(),
            chrome.index(
                "理财社区",
                "",
                &[
                    ("/thread/8848.html".into(), title),
                    (news_path, content::ZH_NEWS.title),
                ],
            ),
        ),
    ];
    host(5, "zh-forum", routes)
}

/// 127.0.0.6: a Nordic news site found through its sitemap, with a robots.txt
/// that disallows `/private/` (a draft there names the brand and must never
/// be fetched), and a reader-review page.
fn news_site(port: u16, clock: &Clock) -> DemoHost {
    let chrome = Chrome {
        lang: "en",
        encoding: UTF_8,
        charset_in_header: true,
        site: "Nordic Tech",
        base: base(6, port),
        nav: &[
            ("/", "Front page"),
            ("/reviews/nordlys-app.html", "Reviews"),
        ],
        sidebar: "<h3>Most read</h3><ul><li>What happened during the Nordlys outage</li></ul>",
        footer: "Nordic Tech — news from the Nordic tech scene.",
    };
    let mut routes = Vec::new();
    let mut urls = String::new();
    let mut links = Vec::new();
    let private = [(&content::NEWS_PRIVATE, "/private")];
    let public = content::NEWS.iter().map(|a| (a, "/articles"));
    for (a, dir) in public.chain(private) {
        let path = format!("{dir}/{}.html", a.slug);
        urls.push_str(&format!(
            "<url><loc>{}{path}</loc><lastmod>{}</lastmod></url>\n",
            chrome.base,
            clock.hours_ago(a.hours_ago).to_rfc3339(),
        ));
        routes.push((path.clone(), chrome.article(&path, a, clock)));
        if dir != "/private" {
            links.push((path, a.title));
        }
    }
    let sitemap = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{urls}</urlset>\n"
    );
    routes.push((
        "/sitemap.xml".into(),
        Reply::ok("application/xml; charset=utf-8", sitemap),
    ));
    let robots = format!(
        "# Drafts are not for robots.\nUser-agent: *\nDisallow: /private/\n\nSitemap: {}/sitemap.xml\n",
        chrome.base
    );
    routes.push((
        "/robots.txt".into(),
        Reply::ok("text/plain; charset=utf-8", robots),
    ));
    routes.push((
        "/reviews/nordlys-app.html".into(),
        reviews(&chrome, content::REVIEWS, clock),
    ));
    routes.push(("/".into(), chrome.index("Nordic Tech", "", &links)));
    host(6, "nordic-tech", routes)
}

/// The review page: each review an item with author, date, stars, title and a permalink.
fn reviews(chrome: &Chrome, list: &[Review], clock: &Clock) -> Reply {
    let items: String = list
        .iter()
        .map(|r| {
            let stars = format!("{}{}", "★".repeat(r.stars.into()), "☆".repeat(5 - usize::from(r.stars.min(5))));
            let t = clock.hours_ago(r.hours_ago);
            format!(
                "<div class=\"review\" id=\"r{id}\">\n<h3 class=\"title\">{title}</h3>\n\
                 <span class=\"rating\" title=\"{n} out of 5 stars\">{stars} {n}/5</span>\n\
                 <span class=\"author\">{author}</span>\n<time datetime=\"{dt}\">{human}</time>\n\
                 <p class=\"body\">{text}</p>\n<a class=\"permalink\" href=\"/reviews/nordlys-app.html#r{id}\">Link</a>\n</div>\n",
                id = r.id,
                n = r.stars,
                title = esc(r.title),
                author = esc(r.author),
                dt = t.to_rfc3339(),
                human = t.format("%-d %B %Y"),
                text = esc(r.text),
            )
        })
        .collect();
    let main = format!("<h1>Reader reviews: the Nordlys app</h1>\n<section class=\"reviews\">\n{items}</section>\n");
    chrome.page("Reader reviews: the Nordlys app", "", &main)
}

#[cfg(test)]
mod tests;
