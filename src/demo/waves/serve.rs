//! A wave corpus on the loopback web: every site's posts under one host, so a
//! test starts one [`Web`](crate::demo::web::Web) and not hundreds.
//!
//! Each site is served at `/site/<host name>/feed.xml` (RSS 2.0 with the full
//! text in `content:encoded`) or, for review sites, `/site/<host
//! name>/reviews.html` (one `div.review` per review, with its stars). Items
//! link to `https://<host name>/p/<id>`: the site a crawler records for a
//! mention is its link's host, so the fictional host names survive the
//! single-host serving. Those links are never fetched — the full text is in
//! the feed, and the names end in `.example`, which never resolves.

use super::{Corpus, Post, Site};
use crate::demo::web::Reply;
use std::collections::HashMap;

/// Path and reply for every site, plus `/robots.txt` and `/truth.jsonl`.
/// `base` (`http://127.0.0.1:port`) only appears in the feeds' self links.
pub fn serve_routes(corpus: &Corpus, base: &str) -> Vec<(String, Reply)> {
    let mut by_site: HashMap<&str, Vec<&Post>> = HashMap::new();
    for post in &corpus.posts {
        by_site.entry(post.site.as_str()).or_default().push(post);
    }
    let mut routes = vec![
        (
            "/robots.txt".to_string(),
            Reply::text("User-agent: *\nAllow: /\n"),
        ),
        (
            "/truth.jsonl".to_string(),
            Reply::ok("application/x-ndjson", truth_json(corpus)),
        ),
    ];
    for site in &corpus.sites {
        let posts = by_site.remove(site.name.as_str()).unwrap_or_default();
        let path = site_path(site);
        let reply = if site.reviews {
            Reply::html(review_page(site, &posts))
        } else {
            Reply::ok(
                "application/rss+xml; charset=utf-8",
                rss(site, &posts, &format!("{base}{path}")),
            )
        };
        routes.push((path, reply.with_validators()));
    }
    routes
}

/// The truth file: one JSON object per line, one line per labelled event.
pub fn truth_json(corpus: &Corpus) -> String {
    corpus
        .truth
        .iter()
        .filter_map(|t| serde_json::to_string(t).ok())
        .map(|line| line + "\n")
        .collect()
}

/// The `[[sources]]` a config needs to crawl the corpus served at `base`:
/// paste after the `[crawl]` section (which must set
/// `allow_private_addresses = true`, as every loopback crawl does).
pub fn sources_toml(corpus: &Corpus, base: &str) -> String {
    let mut out = String::new();
    for site in &corpus.sites {
        let name = format!("wave-{}", site.name.trim_end_matches(".example"));
        let url = format!("{base}{}", site_path(site));
        let lang = site.lang.as_str();
        if site.reviews {
            out.push_str(&format!(
                "[[sources]]\nname = \"{name}\"\nurl = \"{url}\"\nkind = \"page\"\nlang = \"{lang}\"\n\n\
                 [sources.selectors]\nitem = \"div.review\"\ntitle = \".title\"\nauthor = \".author\"\n\
                 date = \"time\"\ntext = \".body\"\npermalink = \"a.permalink\"\n\n"
            ));
        } else {
            out.push_str(&format!(
                "[[sources]]\nname = \"{name}\"\nurl = \"{url}\"\nkind = \"feed\"\nlang = \"{lang}\"\n\n"
            ));
        }
    }
    out
}

fn site_path(site: &Site) -> String {
    let file = if site.reviews {
        "reviews.html"
    } else {
        "feed.xml"
    };
    format!("/site/{}/{file}", site.name)
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Newest first, as feeds are. The author goes in `dc:creator`: feed-rs
/// reads RSS's own `<author>` as an e-mail address and names the person "author".
fn rss(site: &Site, posts: &[&Post], self_url: &str) -> String {
    let items: String = posts
        .iter()
        .rev()
        .map(|p| {
            let url = p.permalink();
            format!(
                "<item>\n<title>{title}</title>\n<link>{url}</link>\n\
                 <guid isPermaLink=\"true\">{url}</guid>\n<pubDate>{date}</pubDate>\n\
                 <dc:creator>{author}</dc:creator>\n<content:encoded>{body}</content:encoded>\n</item>\n",
                title = esc(&p.title),
                date = p.published.to_rfc2822(),
                author = esc(&p.author),
                body = esc(&format!("<p>{}</p>", esc(&p.text))),
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n\
         <title>{name}</title>\n<link>https://{name}/</link>\n<description>{self_url}</description>\n\
         <language>{lang}</language>\n{items}</channel>\n</rss>\n",
        name = esc(&site.name),
        self_url = esc(self_url),
        lang = site.lang.as_str(),
    )
}

fn review_page(site: &Site, posts: &[&Post]) -> String {
    let items: String = posts
        .iter()
        .rev()
        .map(|p| {
            let stars = usize::from(p.stars.unwrap_or(0).min(5));
            format!(
                "<div class=\"review\" id=\"{id}\">\n<h3 class=\"title\">{title}</h3>\n\
                 <span class=\"rating\" data-stars=\"{stars}\">{filled}{empty} {stars}/5</span>\n\
                 <span class=\"author\">{author}</span>\n<time datetime=\"{dt}\">{dt}</time>\n\
                 <p class=\"body\">{text}</p>\n<a class=\"permalink\" href=\"{url}\">#</a>\n</div>\n",
                id = esc(&p.id),
                title = esc(&p.title),
                filled = "★".repeat(stars),
                empty = "☆".repeat(5 - stars),
                author = esc(&p.author),
                dt = p.published.to_rfc3339(),
                text = esc(&p.text),
                url = esc(&p.permalink()),
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{name}</title>\n</head>\n<body>\n<h1>{name}</h1>\n<section class=\"reviews\">\n\
         {items}</section>\n</body>\n</html>\n",
        lang = site.lang.as_str(),
        name = esc(&site.name),
    )
}
