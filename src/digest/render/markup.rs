//! A mail as a few kinds of blocks, written out once as plain text and once as
//! HTML, so every section is built one time and both parts say the same.
//!
//! All strings in blocks are raw: crawled text goes in as found and is
//! escaped here, in one place, on the way out. A link exists only as a
//! [`WebUrl`], which only an http(s) URL can become.

/// An http or https URL: the only kind of crawled address that becomes an `href`.
#[derive(Clone, Debug)]
pub struct WebUrl(url::Url);

impl WebUrl {
    /// `None` for anything that does not parse or is not http(s)
    /// (`javascript:`, `data:`, relative paths...).
    pub fn parse(raw: &str) -> Option<WebUrl> {
        let url = url::Url::parse(raw.trim()).ok()?;
        matches!(url.scheme(), "http" | "https").then_some(WebUrl(url))
    }
}

/// A run of text inside a paragraph.
#[derive(Clone, Debug)]
pub enum Span {
    Text(String),
    Strong(String),
    Link(WebUrl),
    /// The earlier wording of an edited mention.
    Struck(String),
    /// Small print: playbook rules, ids.
    Small(String),
    /// A mark that must be seen: red when `alarm` (overdue), amber otherwise (edited).
    Mark {
        text: String,
        alarm: bool,
    },
}

/// A bar of the header's chart: a label, its value and a note after it.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub note: String,
}

/// One block of a mail, top to bottom.
#[derive(Clone, Debug)]
pub enum Block {
    Title(String),
    /// A section heading with its anchor id (ours, never crawled).
    Heading {
        id: &'static str,
        text: String,
    },
    /// The first line of a card.
    Sub(Vec<Span>),
    Para(Vec<Span>),
    /// Crawled text shown as a quote, keeping its line breaks.
    Quote {
        text: String,
        struck: bool,
    },
    Bars(Vec<Bar>),
    /// One mention, wave, spike or source; `alarm` draws it red.
    Card {
        alarm: bool,
        body: Vec<Block>,
    },
}

/// Characters never written to either part: C0/C1 controls other than
/// newline and tab (a stray CR or NUL in crawled text), and bidi overrides
/// that can make a link text read backwards.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text without the characters of [`unsafe_char`].
pub fn clean(text: &str) -> String {
    text.chars().filter(|c| !unsafe_char(*c)).collect()
}

/// HTML-escapes text for element content and quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if unsafe_char(c) => {}
            c => out.push(c),
        }
    }
    out
}

// ------------------------------------------------------------------ text

/// Width of the longest text bar, in █ characters.
const TEXT_BAR: usize = 20;

/// The plain-text part.
pub fn to_text(doc: &[Block]) -> String {
    let mut out = String::new();
    for block in doc {
        text_block(block, "", &mut out);
    }
    clean(&out)
}

fn text_block(block: &Block, indent: &str, out: &mut String) {
    match block {
        Block::Title(t) => {
            out.push_str(t);
            out.push('\n');
            out.push_str(&"=".repeat(t.chars().count().min(60)));
            out.push('\n');
        }
        Block::Heading { text, .. } => {
            // One blank line before a heading, whatever ended the block above.
            out.truncate(out.trim_end_matches('\n').len());
            out.push_str("\n\n## ");
            out.push_str(text);
            out.push_str("\n\n");
        }
        Block::Sub(spans) | Block::Para(spans) => {
            out.push_str(indent);
            out.push_str(&text_spans(spans).replace('\n', &format!("\n{indent}")));
            out.push('\n');
        }
        Block::Quote { text, .. } => {
            for line in text.lines() {
                out.push_str(indent);
                out.push_str("> ");
                out.push_str(line);
                out.push('\n');
            }
        }
        Block::Bars(bars) => {
            let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
            let width = bars.iter().map(|b| b.label.chars().count()).max();
            for bar in bars {
                let len = (bar.value * TEXT_BAR).div_ceil(max);
                let pad = width.unwrap_or(0) - bar.label.chars().count();
                out.push_str(&format!(
                    "{indent}  {}{} {} {}{}\n",
                    bar.label,
                    " ".repeat(pad),
                    "█".repeat(len),
                    bar.value,
                    bar.note
                ));
            }
        }
        Block::Card { alarm, body } => {
            let mut inner = String::new();
            for b in body {
                text_block(b, "  ", &mut inner);
            }
            // Every card line starts with the indent; the first gets the bullet.
            debug_assert!(inner.starts_with("  "));
            out.push_str(if *alarm { "! " } else { "* " });
            out.push_str(inner.get(2..).unwrap_or(""));
            out.push('\n');
        }
    }
}

fn text_spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) | Span::Strong(t) | Span::Struck(t) | Span::Small(t) => t.clone(),
            Span::Link(url) => url.0.as_str().to_string(),
            Span::Mark { text, .. } => format!("[{text}]"),
        })
        .collect()
}

// ------------------------------------------------------------------ HTML

// Inline styles only: some clients (Gmail among them) drop <style> blocks.
// One column, at most 640px wide, and everything wraps, so a 360px phone
// screen never scrolls sideways.
const WRAP: &str = "word-break:break-word;overflow-wrap:anywhere;";
const BODY: &str = "margin:0;padding:0;background:#f4f4f5;";
const FRAME: &str = "max-width:640px;width:100%;margin:0 auto;padding:12px;box-sizing:border-box;\
background:#ffffff;color:#18181b;font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.45;";
const H1: &str = "font-size:20px;line-height:1.3;margin:0 0 8px;";
const H2: &str =
    "font-size:17px;line-height:1.3;margin:22px 0 8px;padding-bottom:4px;border-bottom:2px solid #e4e4e7;";
const SUB: &str = "font-size:15px;font-weight:bold;margin:0 0 4px;";
const P: &str = "margin:4px 0;";
const QUOTE: &str =
    "margin:6px 0;padding:6px 10px;border-left:3px solid #d4d4d8;background:#f4f4f5;\
color:#3f3f46;white-space:pre-wrap;";
const STRUCK: &str = "text-decoration:line-through;color:#71717a;";
const CARD: &str =
    "margin:10px 0;padding:8px 10px;border:1px solid #e4e4e7;border-left:4px solid #a1a1aa;\
border-radius:4px;";
const CARD_ALARM: &str =
    "margin:10px 0;padding:8px 10px;border:1px solid #fecaca;border-left:4px solid #dc2626;\
border-radius:4px;background:#fef2f2;";
const LINK: &str = "color:#1d4ed8;";
const SMALL: &str = "font-size:12px;color:#71717a;";
const MARK_ALARM: &str =
    "display:inline-block;padding:0 6px;border-radius:3px;background:#dc2626;color:#ffffff;font-size:12px;font-weight:bold;";
const MARK_NOTE: &str =
    "display:inline-block;padding:0 6px;border-radius:3px;background:#fde68a;color:#78350f;font-size:12px;font-weight:bold;";
const BAR_LABEL: &str = "font-size:13px;margin:6px 0 2px;";
const BAR_TRACK: &str =
    "background:#e4e4e7;height:8px;line-height:8px;font-size:1px;border-radius:4px;width:100%;";
const BAR_FILL: &str =
    "background:#2563eb;height:8px;line-height:8px;font-size:1px;border-radius:4px;";

/// The HTML part: a whole document in `lang`, titled `title`.
pub fn to_html(doc: &[Block], lang: &str, title: &str) -> String {
    let mut out = String::with_capacity(8192);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(&esc(lang));
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n</head>\n", esc(title)));
    out.push_str(&format!(
        "<body style=\"{BODY}\">\n<div style=\"{FRAME}{WRAP}\">\n"
    ));
    for block in doc {
        html_block(block, &mut out);
    }
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

fn html_block(block: &Block, out: &mut String) {
    match block {
        Block::Title(t) => out.push_str(&format!("<h1 style=\"{H1}{WRAP}\">{}</h1>\n", esc(t))),
        Block::Heading { id, text } => out.push_str(&format!(
            "<h2 id=\"{}\" style=\"{H2}{WRAP}\">{}</h2>\n",
            esc(id),
            esc(text)
        )),
        Block::Sub(spans) => out.push_str(&format!(
            "<p style=\"{SUB}{WRAP}\">{}</p>\n",
            html_spans(spans)
        )),
        Block::Para(spans) => out.push_str(&format!(
            "<p style=\"{P}{WRAP}\">{}</p>\n",
            html_spans(spans)
        )),
        Block::Quote { text, struck } => {
            let extra = if *struck { STRUCK } else { "" };
            out.push_str(&format!(
                "<div style=\"{QUOTE}{extra}{WRAP}\">{}</div>\n",
                esc(text)
            ));
        }
        Block::Bars(bars) => {
            let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
            for bar in bars {
                let percent = (bar.value * 100).div_ceil(max);
                out.push_str(&format!(
                    "<div style=\"{BAR_LABEL}{WRAP}\">{} — <strong>{}</strong>{}</div>\n\
                     <div style=\"{BAR_TRACK}\"><div style=\"{BAR_FILL}width:{percent}%;\">&nbsp;</div></div>\n",
                    esc(&bar.label),
                    bar.value,
                    esc(&bar.note)
                ));
            }
        }
        Block::Card { alarm, body } => {
            let style = if *alarm { CARD_ALARM } else { CARD };
            out.push_str(&format!("<div style=\"{style}{WRAP}\">\n"));
            for b in body {
                html_block(b, out);
            }
            out.push_str("</div>\n");
        }
    }
}

fn html_spans(spans: &[Span]) -> String {
    let mut out = String::new();
    for span in spans {
        match span {
            Span::Text(t) => out.push_str(&esc(t)),
            Span::Strong(t) => out.push_str(&format!("<strong>{}</strong>", esc(t))),
            Span::Link(url) => out.push_str(&format!(
                "<a href=\"{href}\" style=\"{LINK}\" target=\"_blank\" rel=\"noopener noreferrer\">{href}</a>",
                href = esc(url.0.as_str())
            )),
            Span::Struck(t) => out.push_str(&format!("<s style=\"{STRUCK}\">{}</s>", esc(t))),
            Span::Small(t) => out.push_str(&format!("<span style=\"{SMALL}\">{}</span>", esc(t))),
            Span::Mark { text, alarm } => {
                let style = if *alarm { MARK_ALARM } else { MARK_NOTE };
                out.push_str(&format!("<span style=\"{style}\">{}</span>", esc(text)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_become_links() {
        assert!(WebUrl::parse("https://example.org/a?b=1").is_some());
        assert!(WebUrl::parse("http://example.org/").is_some());
        assert!(WebUrl::parse("javascript:alert(1)").is_none());
        assert!(WebUrl::parse("JavaScript:alert(1)").is_none());
        assert!(WebUrl::parse("data:text/html,<script>alert(1)</script>").is_none());
        assert!(WebUrl::parse("/relative").is_none());
    }

    #[test]
    fn escapes_markup_and_drops_controls() {
        assert_eq!(
            esc("<a href='x'>\"&\"</a>\u{0}\u{202E}"),
            "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;"
        );
        assert_eq!(clean("a\r\nb\tc\u{7}\u{1b}[31m"), "a\nb\tc[31m");
    }

    #[test]
    fn a_url_with_quotes_cannot_leave_its_attribute() {
        let url = WebUrl::parse("https://example.org/\"onmouseover=\"alert(1)").unwrap();
        let html = html_spans(&[Span::Link(url)]);
        assert!(!html.contains("\"onmouseover"), "{html}");
    }
}
