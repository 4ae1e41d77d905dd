//! HTML building blocks: escaping, the page frame, server-rendered SVG
//! charts and word diffs. Crawled text is untrusted: everything from the
//! store passes through [`esc`], links only for http(s), and the Content
//! Security Policy allows no inline script at all.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Escapes text for HTML content and attribute values (and drops control
/// and bidi-override characters): the digest's one escaping function.
pub use crate::digest::render::markup::esc;

/// A link to a crawled URL: an `<a>` only for http(s), else inert text.
pub fn external_link(url: &str, text: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">{}</a>",
            esc(u.as_str()),
            esc(text)
        ),
        _ => format!("<span class=\"inert\">{}</span>", esc(text)),
    }
}

/// At most `max` characters on one line, with "…" when cut.
pub fn clip(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A local time for a person.
pub fn when(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

/// No script but our own file, no style but our own file, nothing from outside.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub const CSS: &str = include_str!("static/app.css");
pub const JS: &str = include_str!("static/app.js");

/// A whole page: the frame, the navigation, `body`.
pub fn page(title: &str, active: &str, user: &str, body: &str) -> Response {
    let nav = [
        ("/", "Overview"),
        ("/search", "Search"),
        ("/campaigns", "Campaigns"),
    ]
    .iter()
    .map(|(href, label)| {
        let class = if *label == active {
            " class=\"active\""
        } else {
            ""
        };
        format!("<a href=\"{href}\"{class}>{label}</a>")
    })
    .collect::<String>();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · Hearsay</title><link rel=\"stylesheet\" href=\"/static/app.css\">\
         <script src=\"/static/app.js\" defer></script></head><body>\
         <header><strong>Hearsay</strong><nav>{nav}</nav><span class=\"user\">{}</span></header>\
         <main>{body}</main></body></html>",
        esc(title),
        esc(user)
    );
    html_response(html)
}

pub fn html_response(html: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        html,
    )
        .into_response()
}

/// Stacked bars per day: (label, negative, neutral, positive).
pub fn sentiment_chart(days: &[(String, usize, usize, usize)]) -> String {
    let (w, h, pad) = (720.0_f64, 180.0_f64, 20.0_f64);
    let max = days
        .iter()
        .map(|(_, a, b, c)| a + b + c)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bw = (w - pad) / days.len().max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"Mentions per day by sentiment\">",
        h + pad
    );
    for (i, (label, neg, neu, pos)) in days.iter().enumerate() {
        let x = pad + i as f64 * bw;
        let mut y = h;
        for (n, class) in [(*neg, "neg"), (*neu, "neu"), (*pos, "pos")] {
            let bh = n as f64 / max * (h - 10.0);
            if n > 0 {
                y -= bh;
                svg.push_str(&format!(
                    "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\"><title>{} {class}: {n}</title></rect>",
                    (bw - 2.0).max(1.0),
                    esc(label)
                ));
            }
        }
        if i % 7 == 0 {
            svg.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"{:.1}\">{}</text>",
                h + 14.0,
                esc(label)
            ));
        }
    }
    svg.push_str(&format!(
        "<text x=\"0\" y=\"12\">{}</text></svg>",
        max as usize
    ));
    svg
}

/// A campaign's members per hour as bars.
pub fn timeline_chart(points: &[(String, usize)]) -> String {
    let (w, h) = (720.0_f64, 140.0_f64);
    let max = points.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    // Bars no wider than 40 px, so a short wave does not look like a wall.
    let bw = (w / points.len().max(1) as f64).min(40.0);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"Timeline\">",
        h + 18.0
    );
    for (i, (label, n)) in points.iter().enumerate() {
        let bh = *n as f64 / max * (h - 10.0);
        let x = i as f64 * bw;
        svg.push_str(&format!(
            "<rect class=\"neg\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\"><title>{}: {n}</title></rect>",
            h - bh,
            (bw - 2.0).max(1.0),
            esc(label)
        ));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{:.1}\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            h + 14.0,
            esc(&first.0),
            (bw * points.len() as f64).max(200.0),
            h + 14.0,
            esc(&last.0)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The words removed and added between two texts, as `<del>`/`<ins>`.
pub fn word_diff(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_words(old, new);
    let mut out = String::new();
    for change in diff.iter_all_changes() {
        let text = esc(change.value());
        match change.tag() {
            ChangeTag::Equal => out.push_str(&text),
            ChangeTag::Delete => out.push_str(&format!("<del>{text}</del>")),
            ChangeTag::Insert => out.push_str(&format!("<ins>{text}</ins>")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawled_markup_stays_text() {
        let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'";
        let e = esc(evil);
        assert!(!e.contains('<') && !e.contains('"') && !e.contains('\''));
        let link = external_link("javascript:alert(1)", "click");
        assert!(!link.contains("href"), "{link}");
        assert!(external_link("https://example.org/a?b=1&c=2", "x")
            .contains("href=\"https://example.org/a?b=1&amp;c=2\""));
        let d = word_diff("the <b>app</b> works", "the app <script>fails</script>");
        assert!(
            d.contains("<del>") && d.contains("<ins>") && !d.contains("<script>"),
            "{d}"
        );
    }
}
