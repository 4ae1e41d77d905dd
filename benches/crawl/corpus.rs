//! The seeded generator: a loopback web of hosts with realistic page shells
//! around four-language text, and short mention texts for the search index.
//!
//! Everything derives from one seed through splitmix64, so the fixture server
//! (a child process) and the measuring side generate the same corpus without
//! shipping it between them.

use crate::words::{self, BrandSentence, Lexicon, MASKED};
use std::fmt::Write as _;
use std::ops::Range;

/// splitmix64: tiny, fast, good enough for test data, no crate needed.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    /// An independent stream for a sub-part (a host, a batch), stable per `(seed, stream)`.
    pub fn fork(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant at these sizes.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn range(&mut self, lo: usize, hi_inclusive: usize) -> usize {
        lo + self.below(hi_inclusive - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// Skewed towards the front of the list: early entries become common terms.
    pub fn skewed<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        let u = self.unit();
        &xs[((u * u) * xs.len() as f64) as usize]
    }
}

/// Distinct rare proper names per language (three syllables from sixteen).
pub const NAMES: usize = 4096;

/// The `n`th rare name of a language: a place, person or product nobody else mentions.
pub fn rare_name(lex: &Lexicon, n: usize) -> String {
    let s = lex.syllables;
    let k = s.len();
    let raw = format!("{}{}{}", s[n % k], s[(n / k) % k], s[(n / (k * k)) % k]);
    capitalise(&raw)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One filler sentence; about a quarter name a rare place.
pub fn sentence(rng: &mut Rng, lex: &Lexicon) -> String {
    let opener = rng.chance(0.5).then(|| *rng.skewed(lex.openers));
    let subject = *rng.skewed(lex.subjects);
    let verb = *rng.skewed(lex.verbs);
    let object = *rng.skewed(lex.objects);
    let tail = rng.chance(0.6).then(|| *rng.skewed(lex.tails));
    let place = rng.chance(0.25).then(|| rare_name(lex, rng.below(NAMES)));
    let mut s = match (lex.code, opener) {
        ("en", Some(o)) => format!("{o}, {subject} {verb} the {object}"),
        ("en", None) => format!("{} {verb} the {object}", capitalise(subject)),
        ("da", Some(o)) => format!("{o} {verb} {subject} {object}"),
        ("zh", Some(o)) => format!("{o}，{subject}{verb}{object}"),
        ("zh", None) => format!("{subject}{verb}{object}"),
        (_, Some(o)) => format!("{o} {subject} {verb} {object}"),
        (_, None) => format!("{} {verb} {object}", capitalise(subject)),
    };
    if let Some(t) = tail {
        s.push_str(if lex.code == "zh" { "，" } else { " " });
        s.push_str(t);
    }
    if let Some(p) = place {
        let at = match lex.code {
            "ru" => " в городе ",
            "en" => " in ",
            "da" => " i ",
            _ => "，在",
        };
        s.push_str(at);
        s.push_str(&p);
    }
    s.push_str(lex.stop);
    s
}

/// Sentences joined into one paragraph.
pub fn paragraph(rng: &mut Rng, lex: &Lexicon, sentences: usize) -> String {
    let mut p = String::new();
    for i in 0..sentences {
        if i > 0 {
            p.push_str(lex.space);
        }
        p.push_str(&sentence(rng, lex));
    }
    p
}

/// A headline: an object phrase, sometimes with a rare name.
pub fn title(rng: &mut Rng, lex: &Lexicon) -> String {
    let object = capitalise(rng.skewed::<&str>(lex.objects));
    let tail = *rng.pick(lex.tails);
    if rng.chance(0.5) {
        let sep = if lex.code == "zh" { "：" } else { ": " };
        format!("{object}{sep}{tail}")
    } else {
        let name = rare_name(lex, rng.below(NAMES));
        let sep = if lex.code == "zh" { "，" } else { ", " };
        format!("{object}{sep}{name}")
    }
}

/// What a page or mention carries, for the count the bench checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plant {
    /// No brand anywhere.
    None,
    /// The brand (any alias or inflected form) in the main text: one mention.
    Brand,
    /// A masked spelling in the main text: one mention.
    Masked,
    /// Only "Nordlys Hotel", an excluded phrase: not a mention.
    Hotel,
    /// The brand only in the sidebar (a partner box): not a mention.
    SidebarOnly,
}

impl Plant {
    pub fn is_mention(self) -> bool {
        matches!(self, Plant::Brand | Plant::Masked)
    }
}

/// Pages per 1000 carrying each plant; the rest carry none.
const RATE_BRAND: f64 = 0.10;
const RATE_MASKED: f64 = 0.02;
const RATE_HOTEL: f64 = 0.01;
const RATE_SIDEBAR: f64 = 0.02;

fn draw_plant(rng: &mut Rng) -> Plant {
    let u = rng.unit();
    let mut edge = RATE_BRAND;
    if u < edge {
        return Plant::Brand;
    }
    edge += RATE_MASKED;
    if u < edge {
        return Plant::Masked;
    }
    edge += RATE_HOTEL;
    if u < edge {
        return Plant::Hotel;
    }
    edge += RATE_SIDEBAR;
    if u < edge {
        return Plant::SidebarOnly;
    }
    Plant::None
}

fn joined(s: &BrandSentence, form: &str) -> String {
    format!("{}{}{}", s.0, form, s.2)
}

/// One article page of a host.
pub struct Page {
    pub path: String,
    pub html: String,
    pub plant: Plant,
    /// `YYYY-MM-DD` for the sitemap.
    pub lastmod: String,
}

/// One host of the fixture web.
pub struct Host {
    pub lex: &'static Lexicon,
    /// `http://ip:port`, no trailing slash.
    pub origin: String,
    pub pages: Vec<Page>,
}

impl Host {
    pub fn sitemap(&self) -> String {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in &self.pages {
            let _ = writeln!(
                xml,
                "  <url><loc>{}{}</loc><lastmod>{}</lastmod></url>",
                self.origin, p.path, p.lastmod
            );
        }
        xml.push_str("</urlset>\n");
        xml
    }

    pub fn robots(&self) -> &'static str {
        "User-agent: *\nDisallow: /admin/\nDisallow: /search\nAllow: /\n"
    }
}

/// The loopback address of host `i`: 127.0.1.1 ... 127.0.1.250, then 127.0.2.1 ...
pub fn host_ip(i: usize) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::new(127, 0, 1 + (i / 250) as u8, 1 + (i % 250) as u8)
}

/// Pages of host `i` when `pages` are spread over `hosts`.
pub fn pages_of(i: usize, pages: usize, hosts: usize) -> usize {
    pages / hosts + usize::from(i < pages % hosts)
}

/// Host `i`'s language: Russian and English 30 % each, Danish and Chinese 20 %.
fn host_lex(rng: &mut Rng) -> &'static Lexicon {
    match rng.below(10) {
        0..=2 => &words::RU,
        3..=5 => &words::EN,
        6..=7 => &words::DA,
        _ => &words::ZH,
    }
}

/// Builds host `i` (deterministic in `seed` and `i`).
pub fn host(seed: u64, i: usize, pages: usize, port: u16) -> Host {
    let mut rng = Rng::fork(seed, i as u64 + 1);
    let lex = host_lex(&mut rng);
    let origin = format!("http://{}:{port}", host_ip(i));
    let site_name = format!(
        "{} {}",
        rare_name(lex, rng.below(NAMES)),
        lex.nav[rng.range(1, 3)]
    );
    let mut out = Vec::with_capacity(pages);
    for n in 0..pages {
        let plant = draw_plant(&mut rng);
        let section = *rng.pick(&lex.ui.sections);
        let path = format!("/{section}/{}-{n}.html", 1000 + rng.below(9000));
        let days_ago = rng.below(730) as i64;
        let date = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).expect("a valid date")
            - chrono::Duration::days(days_ago);
        let lastmod = date.format("%Y-%m-%d").to_string();
        let html = page_html(
            &mut rng,
            lex,
            &site_name,
            &format!("{origin}{path}"),
            &lastmod,
            plant,
        );
        out.push(Page {
            path,
            html,
            plant,
            lastmod,
        });
    }
    Host {
        lex,
        origin,
        pages: out,
    }
}

/// The page shell: header with navigation, article, sidebar, footer.
fn page_html(
    rng: &mut Rng,
    lex: &Lexicon,
    site: &str,
    url: &str,
    date: &str,
    plant: Plant,
) -> String {
    let mut headline = title(rng, lex);
    let brand_sentence = match plant {
        Plant::Brand => {
            let s = rng.pick(lex.brand);
            if rng.chance(0.2) {
                let sep = if lex.code == "zh" { "：" } else { ": " };
                let base = if lex.code == "ru" {
                    "Нордлис"
                } else if lex.code == "zh" {
                    "诺德利斯"
                } else {
                    "Nordlys"
                };
                headline = format!("{base}{sep}{headline}");
            }
            Some(joined(s, s.1))
        }
        Plant::Masked => Some(joined(rng.pick(lex.brand), rng.pick::<&str>(MASKED))),
        Plant::Hotel => Some(joined(&lex.hotel, lex.hotel.1)),
        _ => None,
    };
    let author = *rng.pick(lex.authors);
    let paragraphs = rng.range(4, 12);
    let brand_at = rng.below(paragraphs);
    let mut h = String::with_capacity(9000);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{headline} — {site}</title>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<link rel=\"canonical\" href=\"{url}\">\n\
         <meta name=\"author\" content=\"{author}\">\n<meta property=\"article:published_time\" content=\"{date}T09:30:00Z\">\n\
         <link rel=\"stylesheet\" href=\"/static/site.css\">\n<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml\">\n\
         <script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"Article\",\"headline\":\"{headline}\",\
         \"datePublished\":\"{date}T09:30:00Z\",\"author\":{{\"@type\":\"Person\",\"name\":\"{author}\"}},\"publisher\":\"{site}\"}}</script>\n\
         <script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n<header class=\"site-header\">\n\
         <a class=\"logo\" href=\"/\">{site}</a>\n<nav class=\"main-nav\"><ul>",
        code = lex.code,
    );
    for (k, item) in lex.nav.iter().enumerate() {
        let _ = write!(
            h,
            "<li><a href=\"/{}/\">{item}</a></li>",
            lex.ui.sections[k % 4]
        );
    }
    let _ = write!(
        h,
        "</ul></nav>\n<form class=\"search\" action=\"/search\"><input type=\"search\" name=\"q\" placeholder=\"{}\"></form>\n\
         </header>\n<main>\n<article class=\"post\">\n<h1>{headline}</h1>\n\
         <p class=\"byline\">{} <span class=\"author\">{author}</span> · <time datetime=\"{date}T09:30:00Z\">{date}</time></p>\n",
        lex.ui.search, lex.ui.by,
    );
    for k in 0..paragraphs {
        let sentences = rng.range(3, 6);
        let mut p = paragraph(rng, lex, sentences);
        if k == brand_at {
            if let Some(s) = &brand_sentence {
                p.push_str(lex.space);
                p.push_str(s);
            }
        }
        let _ = writeln!(h, "<p>{p}</p>");
    }
    h.push_str("<div class=\"share\"><a href=\"/share/vk\">VK</a> <a href=\"/share/x\">X</a> <a href=\"/share/fb\">Facebook</a> <a href=\"/share/mail\">E-mail</a></div>\n");
    let _ = write!(
        h,
        "</article>\n<section class=\"related\"><h2>{}</h2><ul>",
        lex.ui.popular
    );
    for _ in 0..4 {
        let _ = write!(
            h,
            "<li><a href=\"/{}/{}.html\"><img src=\"/img/{}.jpg\" alt=\"\">{}</a></li>",
            lex.ui.sections[0],
            rng.below(100_000),
            rng.below(10_000),
            title(rng, lex)
        );
    }
    let _ = write!(
        h,
        "</ul></section>\n<aside class=\"sidebar\">\n<h3>{}</h3>\n<ul>",
        lex.ui.popular
    );
    // Sidebar headlines come from the brand-free title generator.
    for _ in 0..5 {
        let _ = write!(
            h,
            "<li><a href=\"/{}/{}.html\">{}</a></li>",
            lex.ui.sections[2],
            rng.below(100_000),
            title(rng, lex)
        );
    }
    let _ = write!(h, "</ul>\n<h3>{}</h3>\n<p class=\"tags\">", lex.ui.tags);
    for _ in 0..8 {
        let _ = write!(
            h,
            "<a href=\"/tag/{n}\">{}</a> ",
            rng.skewed(lex.objects),
            n = rng.below(500)
        );
    }
    h.push_str("</p>\n");
    if plant == Plant::SidebarOnly {
        h.push_str("<div class=\"partner\"><a href=\"https://nordlys.example/\">Nordlys</a> — partner</div>\n");
    }
    let _ = write!(
        h,
        "</aside>\n</main>\n<footer class=\"site-footer\">\n<p>© 2025 {site}. {}</p>\n<ul><li><a href=\"/about\">{}</a></li>\
         <li><a href=\"/contact\">{}</a></li><li><a href=\"/rss.xml\">RSS</a></li></ul>\n</footer>\n<div class=\"cookie-banner\" hidden><p>Cookies.</p><button>OK</button></div>\n\
         <script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());</script>\n</body>\n</html>\n",
        lex.ui.rights, lex.ui.about, lex.ui.contact,
    );
    h
}

/// A short text for the search index (a comment or post), with its brands.
pub struct MentionDoc {
    pub lang: &'static Lexicon,
    pub title: String,
    pub text: String,
    pub author: String,
    /// Days before the reference date; `None`: no date of its own.
    pub days_ago: Option<u32>,
    pub brands: Vec<&'static str>,
    /// (brand, byte range in `text`, surface form).
    pub matches: Vec<(&'static str, Range<usize>, String)>,
}

fn fjordbank(lex: &Lexicon) -> BrandSentence {
    match lex.code {
        "ru" => ("Счёт в ", "Фьордбанке", " открыли за один день."),
        "da" => ("", "Fjordbank", " hævede gebyrerne igen."),
        "zh" => ("", "Fjordbank", "又提高了手续费。"),
        _ => ("", "Fjordbank", " raised its fees again."),
    }
}

/// Mention `n` of the search corpus (deterministic in `seed` and `n`).
pub fn mention(seed: u64, n: u64) -> MentionDoc {
    let mut rng = Rng::fork(seed ^ 0x5EA2_C400, n);
    let lex = words::ALL[match rng.below(10) {
        0..=2 => 0,
        3..=5 => 1,
        6..=7 => 2,
        _ => 3,
    }];
    let brands: Vec<&'static str> = match rng.below(10) {
        0..=6 => vec!["Nordlys"],
        7..=8 => vec!["Fjordbank"],
        _ => vec!["Nordlys", "Fjordbank"],
    };
    let title = if rng.chance(0.3) {
        String::new()
    } else {
        title(&mut rng, lex)
    };
    let sentences = rng.range(2, 5);
    let mut text = String::new();
    let mut matches = Vec::new();
    let brand_after = rng.below(sentences);
    for k in 0..sentences {
        if k > 0 {
            text.push_str(lex.space);
        }
        text.push_str(&sentence(&mut rng, lex));
        if k == brand_after {
            for brand in &brands {
                let s = if *brand == "Nordlys" {
                    *rng.pick(lex.brand)
                } else {
                    fjordbank(lex)
                };
                text.push_str(lex.space);
                text.push_str(s.0);
                let start = text.len();
                text.push_str(s.1);
                matches.push((*brand, start..text.len(), s.1.to_string()));
                text.push_str(s.2);
            }
        }
    }
    let days_ago = (!rng.chance(0.1)).then(|| rng.below(730) as u32);
    let author = rng.pick(lex.authors).to_string();
    MentionDoc {
        lang: lex,
        title,
        text,
        author,
        days_ago,
        brands,
        matches,
    }
}
