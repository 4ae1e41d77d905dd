//! Command-line interface: one subcommand per job, and the exit codes.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Hearsay listens to what blogs, feeds, forums and review pages say about your brand.
#[derive(Parser, Debug)]
#[command(name = "hearsay", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Config file (relative paths inside it are relative to the file).
    #[arg(long, short, global = true, env = "HEARSAY_CONFIG", default_value = hearsay::config::DEFAULT_PATH)]
    pub config: PathBuf,

    /// Colours on the terminal: auto, always or never.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start the bundled demo web on loopback, crawl it into index/demo/ and show what was found.
    Demo {
        /// Port for the demo web (another is picked if it is busy).
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Keep serving the demo web after the crawl, until Ctrl-C.
        #[arg(long)]
        serve: bool,
    },
    /// Crawl each source on its schedule until Ctrl-C (stops after the current commit).
    Run {
        /// Also serve the web page (one process for crawl, schedules and web).
        #[arg(long)]
        serve: bool,
        /// Address for the web page (default: `[web] bind`, else 127.0.0.1:8080).
        #[arg(long, requires = "serve")]
        bind: Option<std::net::SocketAddr>,
    },
    /// Serve the search and campaign pages and the JSON API until Ctrl-C.
    /// Off loopback it needs [[web.users]] with tokens.
    Serve {
        /// Address to listen on (default: `[web] bind`, else 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
    },
    /// Crawl every source (or one) once, now.
    Crawl {
        /// Only this source.
        #[arg(long)]
        source: Option<String>,
        /// Exit non-zero when any source failed.
        #[arg(long)]
        strict: bool,
        /// Print the crawl report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Full-text search over mentions, ranked, with highlighted snippets.
    Search {
        /// tantivy query syntax: words, "phrases", AND/OR/NOT, brand:, lang:, site:, author:, source:.
        query: String,
        #[command(flatten)]
        filters: Filters,
        /// Most results to show.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// List mentions, newest first.
    Mentions {
        #[command(flatten)]
        filters: Filters,
        /// Every mention (no limit).
        #[arg(long)]
        all: bool,
        /// Most mentions to show (ignored with --all).
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Include mentions deleted at their source.
        #[arg(long)]
        deleted: bool,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
    /// Show one mention; with --versions, every stored version of its text.
    Mention {
        id: String,
        #[arg(long)]
        versions: bool,
        #[arg(long)]
        json: bool,
    },
    /// Export mentions as CSV or JSON lines to stdout (or --output).
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[command(flatten)]
        filters: Filters,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Health of each source: last success, last error and why, items seen, next check.
    Sources {
        #[arg(long)]
        json: bool,
    },
    /// Validate the config; exits non-zero naming file, line and key of any problem.
    Check,
    /// Rebuild the search index from the state store.
    Reindex,
    /// Re-apply brands, aliases and exclusions to every stored item (after editing them).
    /// Items that became mentions are then classified.
    Rematch,
    /// Classify stored mentions again: the unlabelled ones, or every one with --all
    /// (after an upgrade changed the classifier). Corrections made with `label` stay.
    Reclassify {
        /// Every mention, not only those never labelled.
        #[arg(long)]
        all: bool,
    },
    /// Mail digests: preview one, close its period and send it now, or see the outbox.
    Digest {
        #[command(subcommand)]
        action: DigestAction,
    },
    /// Campaigns found among the mentions: coordinated attacks, organic waves, spam repeats.
    Campaigns {
        /// Only campaigns active since T (RFC 3339, YYYY-MM-DD, or 90m / 2h / 7d).
        #[arg(long)]
        since: Option<String>,
        /// coordinated, organic or spam_repeat.
        #[arg(long)]
        kind: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One campaign: who, where, when, why it was flagged, and the suggested answer.
    Campaign {
        /// The campaign's id (as `campaigns` shows it; a merged id leads to its successor).
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Volume and tone spikes per brand: the last hour against the 12 before, the last day against 14.
    Spikes {
        /// How readily a rise counts: low, normal, high.
        #[arg(long, value_enum, default_value = "normal")]
        sensitivity: SensitivityArg,
        #[arg(long)]
        json: bool,
    },
    /// Record where a mention's answer stands: answered, resolved, ignored (or new again).
    Mark {
        /// The mention's id (as `mentions` shows it).
        id: String,
        #[arg(value_enum)]
        status: MarkStatus,
        /// Who answered (shown in lists, JSON and digests).
        #[arg(long)]
        by: Option<String>,
        /// A note, e.g. the ticket number or what was promised.
        #[arg(long)]
        note: Option<String>,
    },
    /// Correct the classifier: set the intent, add or remove flags, or dismiss a
    /// false match. Corrections survive new versions, reclassification and reindexing.
    Label {
        id: String,
        /// question, complaint, praise, incident, other.
        #[arg(long)]
        intent: Option<String>,
        /// `+troll` adds a flag, `-spam` removes one; repeatable.
        #[arg(long = "flag", allow_hyphen_values = true)]
        flags: Vec<String>,
        /// The mention is not about the brand: it leaves lists, search and digests.
        #[arg(long)]
        not_about_us: bool,
        #[arg(long)]
        by: Option<String>,
    },
    /// Mute an author or a site: their mentions are kept but leave lists,
    /// search, urgency and alerts. With no arguments, list the mutes.
    Mute {
        #[arg(value_enum, requires = "value")]
        kind: Option<MuteArg>,
        /// The author's name (any case) or the site's host.
        value: Option<String>,
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        note: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Undo a mute.
    Unmute {
        #[arg(value_enum)]
        kind: MuteArg,
        value: String,
    },
    /// Score the classifier against a labelled set (JSON lines, as in tests/data/classify/).
    Eval {
        /// Directory of `*.jsonl` files (one labelled mention per line).
        dir: std::path::PathBuf,
        /// Lexicons to use instead of the built-in ones (`<lang>.toml` files).
        #[arg(long)]
        lexicons: Option<std::path::PathBuf>,
        /// Print every misread example (id, expected vs got, the intent's reason).
        #[arg(long)]
        errors: bool,
        /// Only this language.
        #[arg(long)]
        lang: Option<String>,
        /// The report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Filters shared by search, mentions and export.
#[derive(Subcommand, Debug)]
pub enum DigestAction {
    /// Render what digest NAME would mail now, without closing its period:
    /// writes NAME.html, NAME.txt and NAME.eml and prints their paths.
    Preview {
        name: String,
        /// Folder for the files (default: `previews/` in the data directory).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Close digest NAME's period now and send it, with anything else waiting in the outbox.
    Send { name: String },
    /// Send everything waiting in the outbox now (after an SMTP outage).
    Retry,
    /// The outbox: each message, its recipient, and whether it was sent, is
    /// waiting for a retry (and why), or was refused.
    Status {
        #[arg(long, default_value_t = 30)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug, Default, Clone)]
pub struct Filters {
    /// Only mentions of this brand.
    #[arg(long)]
    pub brand: Option<String>,
    /// Only this language: ru, zh, da, en, other.
    #[arg(long)]
    pub lang: Option<String>,
    /// Only this source (its config name).
    #[arg(long)]
    pub source: Option<String>,
    /// From this time: RFC 3339, YYYY-MM-DD (configured timezone), or relative 90m, 2h, 7d.
    #[arg(long)]
    pub since: Option<String>,
    /// Before this time (same forms as --since).
    #[arg(long)]
    pub until: Option<String>,
    /// Only this intent: question, complaint, praise, incident, other.
    #[arg(long)]
    pub intent: Option<String>,
    /// Only mentions carrying this flag (repeatable: all must hold), e.g. troll, needs_reply.
    #[arg(long = "flag")]
    pub flags: Vec<String>,
    /// Only this answer status: new, answered, resolved, ignored.
    #[arg(long)]
    pub status: Option<String>,
    /// Only this urgency, computed now: now (inside the reply window), overdue, none.
    #[arg(long)]
    pub urgency: Option<String>,
    /// negative, neutral or positive.
    #[arg(long)]
    pub sentiment: Option<String>,
    /// Include mentions of muted authors and sites.
    #[arg(long)]
    pub muted: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum MarkStatus {
    New,
    Answered,
    Resolved,
    Ignored,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum MuteArg {
    Author,
    Site,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

/// Process exit codes (documented in README.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Success; a crawl completed even if some sources failed (they are reported).
    Ok = 0,
    /// An unexpected error.
    Failure = 1,
    /// Bad command-line usage (clap's own code).
    Usage = 2,
    /// The config file is missing or invalid.
    Config = 3,
    /// The state store or index could not be opened or written.
    Storage = 4,
    /// `--strict`: at least one source failed.
    SourcesFailed = 5,
    /// The mention or source asked for does not exist.
    NotFound = 6,
    /// Mail was not delivered: it waits in the outbox for a retry, or was refused.
    MailUndelivered = 7,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

/// `spikes --sensitivity`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SensitivityArg {
    Low,
    Normal,
    High,
}

impl From<SensitivityArg> for hearsay::campaigns::spikes::Sensitivity {
    fn from(s: SensitivityArg) -> Self {
        match s {
            SensitivityArg::Low => Self::Low,
            SensitivityArg::Normal => Self::Normal,
            SensitivityArg::High => Self::High,
        }
    }
}
