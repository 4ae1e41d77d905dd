//! Output a person reads at a glance: tables, colours on a terminal, local times.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
pub use comfy_table::Color as TableColor;
use comfy_table::{presets, Attribute, Cell, ContentArrangement, Table};
use std::io::{IsTerminal, Write};

/// How to print: colours or not, and in which time zone.
#[derive(Clone, Copy)]
pub struct Out {
    pub color: bool,
    pub tz: Tz,
}

impl Out {
    pub fn new(choice: crate::cli::Color, tz: Tz) -> Out {
        let color = match choice {
            crate::cli::Color::Always => true,
            crate::cli::Color::Never => false,
            crate::cli::Color::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Out { color, tz }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn red(&self, s: &str) -> String {
        self.paint("31", s)
    }
    pub fn green(&self, s: &str) -> String {
        self.paint("32", s)
    }
    pub fn yellow(&self, s: &str) -> String {
        self.paint("33", s)
    }
    pub fn cyan(&self, s: &str) -> String {
        self.paint("36", s)
    }

    /// Highlight markers for snippets: bold yellow on a terminal, [brackets] otherwise.
    pub fn marks(&self) -> (&'static str, &'static str) {
        if self.color {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("[", "]")
        }
    }

    /// A table sized to the terminal. Colours go through comfy-table's own
    /// styling ([`Out::cell`]): raw escape codes would break its column widths.
    pub fn table(&self, headers: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_HORIZONTAL_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if self.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t.set_header(
            headers
                .iter()
                .map(|h| Cell::new(h).add_attribute(Attribute::Bold)),
        );
        if !std::io::stdout().is_terminal() {
            t.set_width(160);
        }
        t
    }

    /// A table cell in a colour (when colours are on).
    pub fn cell(&self, text: impl ToString, color: Option<TableColor>) -> Cell {
        let cell = Cell::new(text.to_string());
        match color {
            Some(c) if self.color => cell.fg(c),
            _ => cell,
        }
    }

    /// "2026-11-23 14:05 (3h ago)" in the configured zone.
    pub fn when(&self, t: DateTime<Utc>) -> String {
        format!(
            "{} ({})",
            t.with_timezone(&self.tz).format("%Y-%m-%d %H:%M"),
            ago(t, Utc::now())
        )
    }

    pub fn when_opt(&self, t: Option<DateTime<Utc>>) -> String {
        t.map(|t| self.when(t)).unwrap_or_else(|| "-".into())
    }
}

/// "3h ago", "in 5m", "just now".
pub fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (now - t).num_seconds();
    let (n, future) = (secs.abs(), secs < 0);
    let span = match n {
        0..=59 => return "just now".into(),
        60..=3599 => format!("{}m", n / 60),
        3600..=86_399 => format!("{}h", n / 3600),
        _ => format!("{}d", n / 86_400),
    };
    if future {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

/// Writes a line to stdout; a closed pipe surfaces as an io error the binary treats as success.
pub fn println(line: impl AsRef<str>) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_ref().as_bytes())?;
    out.write_all(b"\n")
}

/// Shortens to `max` characters on one line.
pub fn clip(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}
