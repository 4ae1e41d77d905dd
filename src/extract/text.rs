//! HTML → plain text: words and paragraph breaks only. Link URLs, scripts,
//! styles and markup never reach the text the matcher and the index see.

use scraper::{ElementRef, Html};

/// Elements whose contents are never readable text.
const NEVER_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "head", "select", "textarea", "button", "input", "video", "audio", "picture",
];

/// Elements that end a paragraph.
const PARAGRAPH: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "table",
    "figure",
    "hr",
    "address",
    "details",
    "form",
    "fieldset",
    "center",
];

/// Elements that end a line but not a paragraph.
const LINE: &[&str] = &[
    "br",
    "li",
    "tr",
    "dt",
    "dd",
    "figcaption",
    "summary",
    "caption",
];

/// Converts an HTML fragment (feed content, a description) to plain text:
/// paragraphs separated by "\n\n", lines by "\n", other whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    if !html.contains('<') && !html.contains('&') {
        return collapse_whitespace(html);
    }
    let fragment = Html::parse_fragment(html);
    element_text(fragment.root_element(), &|_| false)
}

/// True for elements that never hold readable text (scripts, styles, forms' controls).
pub fn is_never_text(element: ElementRef<'_>) -> bool {
    NEVER_TEXT.contains(&element.value().name())
}

/// The text under `root`, skipping [`is_never_text`] elements and every
/// element for which `skip` returns true (with its subtree). `root` itself
/// is never skipped. Iterative, so hostile nesting depth cannot overflow the stack.
pub fn element_text(root: ElementRef<'_>, skip: &dyn Fn(ElementRef<'_>) -> bool) -> String {
    let mut out = TextBuilder::default();
    let mut stack = vec![(*root, true)];
    while let Some((node, entering)) = stack.pop() {
        if let Some(text) = node.value().as_text() {
            out.push_text(text);
            continue;
        }
        let Some(element) = ElementRef::wrap(node) else {
            continue;
        };
        let level = break_of(element.value().name());
        if !entering {
            out.bump(level);
            continue;
        }
        let is_root = node.id() == root.id();
        if !is_root && (is_never_text(element) || skip(element)) {
            continue;
        }
        out.bump(level);
        stack.push((node, false));
        stack.extend(node.children().rev().map(|child| (child, true)));
    }
    out.finish()
}

/// The break an element makes (by its tag name).
fn break_of(name: &str) -> Break {
    if PARAGRAPH.contains(&name) {
        Break::Paragraph
    } else if LINE.contains(&name) {
        Break::Line
    } else if matches!(name, "td" | "th") {
        Break::Space
    } else {
        Break::None
    }
}

/// Whitespace runs → one space, trimmed; for titles, names and short fields.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The strongest break requested since the last word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Break {
    #[default]
    None,
    Space,
    Line,
    Paragraph,
}

#[derive(Default)]
struct TextBuilder {
    out: String,
    pending: Break,
}

impl TextBuilder {
    fn bump(&mut self, level: Break) {
        self.pending = self.pending.max(level);
    }

    fn push_text(&mut self, text: &str) {
        if text.starts_with(char::is_whitespace) {
            self.bump(Break::Space);
        }
        for (i, word) in text.split_whitespace().enumerate() {
            if i > 0 {
                self.bump(Break::Space);
            }
            self.flush();
            // Control characters (a feed's stray \u{1}) are never text.
            if word.chars().any(char::is_control) {
                self.out.extend(word.chars().filter(|c| !c.is_control()));
            } else {
                self.out.push_str(word);
            }
        }
        if text.ends_with(char::is_whitespace) {
            self.bump(Break::Space);
        }
    }

    fn flush(&mut self) {
        if !self.out.is_empty() {
            self.out.push_str(match self.pending {
                Break::None => "",
                Break::Space => " ",
                Break::Line => "\n",
                Break::Paragraph => "\n\n",
            });
        }
        self.pending = Break::None;
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lines_and_inline_markup() {
        let html = "<p>Nordlys <b>app</b> is   great.</p><p>Second&nbsp;para<br>next line</p>\
                    <ul><li>one</li><li>two</li></ul><script>var x = 'Nordlys';</script>";
        assert_eq!(
            html_to_text(html),
            "Nordlys app is great.\n\nSecond para\nnext line\n\none\ntwo"
        );
    }

    #[test]
    fn link_urls_and_styles_never_reach_text() {
        let html = r#"<div>Читайте <a href="https://nordlys.example/promo?x=1">обзор</a>.<style>.a{}</style></div>"#;
        assert_eq!(html_to_text(html), "Читайте обзор.");
    }

    #[test]
    fn plain_and_entity_text() {
        assert_eq!(html_to_text("  诺德利斯  很好 "), "诺德利斯 很好");
        assert_eq!(html_to_text("Tom &amp; Jerry"), "Tom & Jerry");
        assert_eq!(html_to_text(""), "");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(html_to_text("<p>Nord\u{1}lys\u{7f} ok</p>"), "Nordlys ok");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!(
            "{}deep{}",
            "<div><span>".repeat(20_000),
            "</span></div>".repeat(20_000)
        );
        assert_eq!(html_to_text(&html), "deep");
    }
}
