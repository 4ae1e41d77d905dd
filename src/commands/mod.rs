//! One function per subcommand: load config, call the library, print.

mod answer;
mod campaigns;
mod digest;

use crate::cli::{Cli, Command, ExitCode, ExportFormat, Filters};
use crate::output::{self, clip, println, Out, TableColor};
use anyhow::{Context, Result};
use chrono::Utc;
use hearsay::config::Config;
use hearsay::model::{Lang, Mention, MentionId, Urgency};
use hearsay::pipeline::{CrawlReport, Crawler, Outcome, Progress, SourceReport};
use hearsay::store::{self, MentionFilter, SearchQuery, StateStore};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;

/// The mention or thing asked for does not exist.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct NotFound(pub String);

pub async fn dispatch(cli: Cli) -> Result<ExitCode> {
    let config_path = cli.config.clone();
    let load = || Config::load(&config_path);
    match cli.command {
        Command::Demo { port, serve } => demo(&cli, port, serve).await,
        Command::Check => check(&cli, load()?),
        Command::Run { serve, bind } => run(&cli, load()?, serve.then_some(bind)).await,
        Command::Serve { bind } => serve(load()?, bind).await,
        Command::Crawl {
            ref source,
            strict,
            json,
        } => crawl(&cli, load()?, source.as_deref(), strict, json).await,
        Command::Search {
            ref query,
            ref filters,
            limit,
            json,
        } => search(&cli, load()?, query, filters, limit, json),
        Command::Mentions {
            ref filters,
            all,
            limit,
            deleted,
            json,
        } => mentions(
            &cli,
            load()?,
            filters,
            (!all).then_some(limit),
            deleted,
            json,
        ),
        Command::Mention {
            ref id,
            versions,
            json,
        } => mention(&cli, load()?, id, versions, json),
        Command::Export {
            format,
            ref filters,
            ref output,
        } => export(load()?, format, filters, output.as_deref()),
        Command::Sources { json } => sources(&cli, load()?, json),
        Command::Reindex => reindex(load()?),
        Command::Rematch => rematch(load()?).await,
        Command::Reclassify { all } => reclassify(load()?, all).await,
        Command::Campaigns {
            ref since,
            ref kind,
            json,
        } => campaigns::campaigns(&cli, load()?, since.as_deref(), kind.as_deref(), json),
        Command::Campaign { ref id, json } => campaigns::campaign(&cli, load()?, id, json),
        Command::Spikes { sensitivity, json } => {
            campaigns::spikes(&cli, load()?, sensitivity.into(), json)
        }
        Command::Mark {
            ref id,
            status,
            ref by,
            ref note,
        } => answer::mark(&cli, load()?, id, status, by.clone(), note.clone()),
        Command::Label {
            ref id,
            ref intent,
            ref flags,
            not_about_us,
            ref by,
        } => answer::label(
            &cli,
            load()?,
            id,
            intent.as_deref(),
            flags,
            not_about_us,
            by.clone(),
        ),
        Command::Mute {
            kind,
            ref value,
            ref by,
            ref note,
            json,
        } => answer::mute(
            &cli,
            load()?,
            kind.zip(value.clone()),
            by.clone(),
            note.clone(),
            json,
        ),
        Command::Digest { ref action } => digest::run(&cli, load()?, action),
        Command::Unmute { kind, ref value } => answer::unmute(&cli, load()?, kind, value),
        Command::Eval {
            ref dir,
            ref lexicons,
            errors,
            ref lang,
            json,
        } => eval(dir, lexicons.as_deref(), errors, lang.as_deref(), json),
    }
}

fn out(cli: &Cli, config: &Config) -> Out {
    Out::new(cli.color, config.timezone)
}

fn check(cli: &Cli, config: Config) -> Result<ExitCode> {
    let o = out(cli, &config);
    // The reply templates are config the brand edits: a draft that would mix
    // forms of address or lack a slot is caught here, not in front of a customer.
    let responder = hearsay::respond::Responder::load(&config.replies.templates)?;
    let problems = responder.lint();
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        eprintln!(
            "{} problem(s) in the reply templates under {}",
            problems.len(),
            config.replies.templates.display()
        );
        return Ok(ExitCode::Config);
    }
    // Secrets live in the environment, which may differ where Hearsay runs:
    // a missing one is a warning here, an error when it is needed.
    let secrets = config
        .smtp
        .iter()
        .filter_map(|s| s.password_env.as_deref().map(|v| ("smtp.password_env", v)))
        .chain(
            config
                .web
                .users
                .iter()
                .map(|u| ("web.users.token_env", u.token_env.as_str())),
        );
    for (key, var) in secrets {
        if std::env::var_os(var).is_none() {
            eprintln!(
                "{} `{key}` names {var}, which is not set in this environment",
                o.yellow("warning:")
            );
        }
    }
    println(format!(
        "{} {}: {} brand(s), {} source(s), {} digest(s), data in {}",
        o.green("ok"),
        config.path.display(),
        config.brands.len(),
        config.sources.len(),
        config.digests.len(),
        config.storage.dir.display()
    ))?;
    Ok(ExitCode::Ok)
}

/// A progress bar over sources on a terminal; log lines otherwise.
fn progress_for(total: usize) -> (Option<ProgressBar>, Progress) {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} crawling [{bar:30}] {pos}/{len} sources  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    });
    let b = bar.clone();
    let progress: Progress = Arc::new(move |r: &SourceReport| match &b {
        Some(bar) => {
            bar.inc(1);
            bar.set_message(r.name.clone());
        }
        None => {
            tracing::info!(source = %r.name, outcome = ?r.outcome, items = r.items, "source done")
        }
    });
    (bar, progress)
}

async fn crawl(
    cli: &Cli,
    config: Config,
    only: Option<&str>,
    strict: bool,
    json: bool,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let total = if only.is_some() {
        1
    } else {
        config.sources.len()
    };
    let crawler = Crawler::open(config)?;
    let (bar, progress) = progress_for(total);
    let report = crawler.crawl_all(only, Some(progress)).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if json {
        println(serde_json::to_string(&report)?)?;
    } else {
        print_report(&o, &report)?;
    }
    // Alerts and due digests go out after a one-off crawl too (from cron, say).
    if crawler.config.smtp.is_some() {
        let tick = hearsay::digest::tick(
            crawler.store.as_ref(),
            &crawler.config,
            &digest::responder(&crawler.config)?,
            &digest::mailer(&crawler.config)?,
            Utc::now(),
            Utc::now(),
        )?;
        if !json && tick.delivery.attempted() > 0 {
            println(tick.delivery.to_string())?;
        }
    }
    Ok(if strict && report.failed() > 0 {
        ExitCode::SourcesFailed
    } else {
        ExitCode::Ok
    })
}

fn print_report(o: &Out, report: &CrawlReport) -> Result<()> {
    let mut t = o.table(&[
        "source", "kind", "status", "pages", "304", "items", "new", "edits", "deleted", "why",
    ]);
    for s in &report.sources {
        let (status, why) = match &s.outcome {
            Outcome::Ok => (o.cell("ok", Some(TableColor::Green)), String::new()),
            Outcome::Skipped(r) => (o.cell("skipped", Some(TableColor::Yellow)), r.clone()),
            Outcome::Failed(r) => (o.cell("failed", Some(TableColor::Red)), r.clone()),
        };
        let mut why = why;
        if why.is_empty() {
            if let Some((url, reason)) = s.skipped.first().or(s.errors.first()) {
                let more = s.skipped.len() + s.errors.len() - 1;
                why = format!(
                    "{reason} ({url}){}",
                    if more > 0 {
                        format!(" +{more} more")
                    } else {
                        String::new()
                    }
                );
            }
        }
        t.add_row(vec![
            o.cell(&s.name, None),
            o.cell(&s.kind, None),
            status,
            o.cell(s.pages_fetched, None),
            o.cell(s.not_modified, None),
            o.cell(s.items, None),
            o.cell(s.new_mentions, None),
            o.cell(s.new_versions, None),
            o.cell(s.deleted, None),
            o.cell(clip(&why, 70), None),
        ]);
    }
    println(t.to_string())?;
    let secs = (report.finished - report.started).num_milliseconds() as f64 / 1000.0;
    println(format!(
        "{} sources in {secs:.1}s: {} new mention(s), {} failed",
        report.sources.len(),
        o.bold(&report.new_mentions().to_string()),
        if report.failed() > 0 {
            o.red(&report.failed().to_string())
        } else {
            "0".into()
        }
    ))?;
    Ok(())
}

/// `hearsay serve`: the web page until Ctrl-C.
async fn serve(config: Config, bind: Option<std::net::SocketAddr>) -> Result<ExitCode> {
    let bind = bind.unwrap_or(config.web.bind);
    let state = hearsay::web::AppState::open(Arc::new(config), bind)?;
    let stop = hearsay::schedule::Stop::default();
    let on_signal = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_signal.request();
        }
    });
    eprintln!("serving on http://{bind}/ ; Ctrl-C stops");
    hearsay::web::serve(state, bind, stop).await?;
    Ok(ExitCode::Ok)
}

async fn run(
    cli: &Cli,
    config: Config,
    serve: Option<Option<std::net::SocketAddr>>,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let crawler = Crawler::open(config)?;
    let stop = hearsay::schedule::Stop::default();
    // The web page shares the crawler's store and index: one process.
    if let Some(bind) = serve {
        let bind = bind.unwrap_or(crawler.config.web.bind);
        let state = hearsay::web::AppState::with(
            crawler.config.clone(),
            crawler.store.clone(),
            crawler.index.clone(),
            bind,
        )?;
        eprintln!("serving on http://{bind}/");
        let web_stop = stop.clone();
        tokio::spawn(async move {
            if let Err(e) = hearsay::web::serve(state, bind, web_stop).await {
                tracing::error!(error = %e, "the web page stopped");
            }
        });
    }
    let on_signal = stop.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping after the current crawl commits (Ctrl-C again to quit now)");
            on_signal.request();
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(130);
            }
        }
    });
    eprintln!(
        "crawling {} source(s) on their schedules; Ctrl-C stops",
        crawler.config.sources.len()
    );
    // On a terminal, one line per source as it finishes; logs otherwise.
    let progress: Option<Progress> = std::io::stderr().is_terminal().then(|| {
        Arc::new(move |r: &SourceReport| {
            let status = match &r.outcome {
                Outcome::Ok => o.green("ok"),
                Outcome::Skipped(why) => o.yellow(&format!("skipped: {why}")),
                Outcome::Failed(why) => o.red(&format!("failed: {why}")),
            };
            eprintln!(
                "  {} {status} ({} new, {} edited)",
                r.name, r.new_mentions, r.new_versions
            );
        }) as Progress
    });
    // Digests, alerts and the outbox, beside the crawl.
    if crawler.config.smtp.is_some() {
        let mailer = Arc::new(digest::mailer(&crawler.config)?);
        let responder = Arc::new(digest::responder(&crawler.config)?);
        eprintln!(
            "mailing {} digest(s){} on their schedules",
            crawler.config.digests.len(),
            if crawler.config.alerts.is_some() {
                " and alerts"
            } else {
                ""
            }
        );
        tokio::spawn(hearsay::schedule::mail(
            crawler.store.clone(),
            crawler.config.clone(),
            responder,
            mailer,
            stop.clone(),
            move |tick| {
                for c in &tick.closed {
                    let _ = println(format!(
                        "digest {} #{}: {} mention(s), {} message(s) queued",
                        c.name, c.period, c.mentions, c.queued
                    ));
                }
                if tick.delivery.attempted() > 0 {
                    let _ = println(tick.delivery.to_string());
                }
            },
        ));
    }
    hearsay::schedule::run(&crawler, stop, progress, |report| {
        let _ = println(format!(
            "{} crawled {} source(s): {} new mention(s), {} failed",
            o.dim(
                &Utc::now()
                    .with_timezone(&o.tz)
                    .format("%H:%M:%S")
                    .to_string()
            ),
            report.sources.len(),
            report.new_mentions(),
            report.failed()
        ));
    })
    .await?;
    Ok(ExitCode::Ok)
}

/// Filters as typed → validated filter values.
fn filter_of(config: &Config, f: &Filters) -> Result<MentionFilter> {
    if let Some(source) = &f.source {
        if !config.sources.iter().any(|s| &s.name == source) {
            tracing::warn!(%source, "no source with this name in the config; filtering anyway");
        }
    }
    let text = hearsay::config::FilterText {
        brand: f.brand.clone(),
        lang: f.lang.clone(),
        source: f.source.clone(),
        since: f.since.clone(),
        until: f.until.clone(),
        intent: f.intent.clone(),
        flags: f.flags.clone(),
        status: f.status.clone(),
        urgency: f.urgency.clone(),
        sentiment: f.sentiment.clone(),
        muted: f.muted,
    };
    Ok(text.parse("--", config.timezone, Utc::now(), config.replies.window)?)
}

fn open_read(config: &Config) -> Result<(store::SqliteStore, store::SearchIndex)> {
    Ok(store::open_for_reading(
        &config.state_path(),
        &config.index_dir(),
    )?)
}

fn search(
    cli: &Cli,
    config: Config,
    query: &str,
    filters: &Filters,
    limit: usize,
    json: bool,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let f = filter_of(&config, filters)?;
    let (st, index) = open_read(&config)?;
    let q = SearchQuery {
        text: query.to_string(),
        filter: f,
        limit,
    };
    let results = store::search(&index, &st, &q)?;
    let reading = answer::Reading::new(&config)?;
    let (now, window) = (reading.now, reading.window);
    if json {
        for r in &results {
            let mut value = answer::view(&r.mention, &reading);
            value["score"] = r.score.into();
            value["snippet"] = r.snippet.clone().into();
            println(serde_json::to_string(&value)?)?;
        }
        return Ok(ExitCode::Ok);
    }
    if results.is_empty() {
        println(o.dim("no mentions match"))?;
        return Ok(ExitCode::Ok);
    }
    let (open, close) = o.marks();
    for r in &results {
        let m = &r.mention;
        println(format!(
            "{}  {}  {}  {}  {}",
            o.cyan(m.id.as_str()),
            o.bold(&clip(
                if m.title.is_empty() { &m.url } else { &m.title },
                70
            )),
            o.dim(&format!("[{}] {}", m.lang, m.brands.join(","))),
            o.dim(&m.source),
            o.dim(&format!("score {:.2}", r.score))
        ))?;
        if m.labels.is_some() {
            println(format!(
                "    {}  {}",
                answer::labels_cell(m),
                answer::answer_cell(&o, m, now, window)
            ))?;
        }
        println(format!(
            "    {}",
            clip(&r.highlighted.marked(open, close), 400)
        ))?;
        println(format!(
            "    {}{}",
            o.dim(&format!(
                "{} · {} · {}",
                m.author.as_deref().unwrap_or("-"),
                o.when(m.effective_time()),
                m.url
            )),
            if m.deleted {
                o.red(" · deleted at source")
            } else {
                String::new()
            }
        ))?;
    }
    Ok(ExitCode::Ok)
}

fn mentions(
    cli: &Cli,
    config: Config,
    filters: &Filters,
    limit: Option<usize>,
    deleted: bool,
    json: bool,
) -> Result<ExitCode> {
    let o = out(cli, &config);
    let mut f = filter_of(&config, filters)?;
    f.include_deleted = deleted;
    let st = store::SqliteStore::open(&config.state_path())?;
    let list = st.mentions(&f, limit)?;
    let reading = answer::Reading::new(&config)?;
    let (now, window) = (reading.now, reading.window);
    if json {
        for m in &list {
            println(serde_json::to_string(&answer::view(m, &reading))?)?;
        }
        return Ok(ExitCode::Ok);
    }
    print_mentions(&o, &list, now, window)?;
    Ok(ExitCode::Ok)
}

fn print_mentions(
    o: &Out,
    list: &[Mention],
    now: chrono::DateTime<Utc>,
    window: std::time::Duration,
) -> Result<()> {
    let mut t = o.table(&[
        "id", "when", "lang", "brands", "source", "author", "labels", "answer", "text",
    ]);
    for m in list {
        let text = if m.title.is_empty() {
            m.text.clone()
        } else {
            format!("{} — {}", m.title, m.text)
        };
        let mut flags = String::new();
        if m.versions > 1 {
            flags.push_str(&format!(" (v{})", m.versions));
        }
        if m.deleted {
            flags.push_str(" (deleted)");
        }
        t.add_row(vec![
            m.id.to_string(),
            output::ago(m.effective_time(), Utc::now()),
            m.lang.to_string(),
            m.brands.join(","),
            m.source.clone(),
            clip(m.author.as_deref().unwrap_or("-"), 20),
            answer::labels_cell(m),
            answer::answer_cell(o, m, now, window),
            format!("{}{}", clip(&text, 70), flags),
        ]);
    }
    println(t.to_string())?;
    println(o.dim(&format!("{} mention(s)", list.len())))?;
    Ok(())
}

fn mention(cli: &Cli, config: Config, id: &str, versions: bool, json: bool) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = store::SqliteStore::open(&config.state_path())?;
    let id = MentionId::from_raw(id.trim());
    let m = st
        .mention(&id)?
        .ok_or_else(|| NotFound(format!("no mention with id {id}")))?;
    let history = if versions {
        st.versions(&id)?
    } else {
        Vec::new()
    };
    let reading = answer::Reading::new(&config)?;
    if json {
        let mut value = answer::view(&m, &reading);
        if versions {
            value["history"] = serde_json::to_value(&history)?;
        }
        println(serde_json::to_string(&value)?)?;
        return Ok(ExitCode::Ok);
    }
    println(format!("{}  {}", o.cyan(m.id.as_str()), o.bold(&m.title)))?;
    let rows = [
        ("url", m.url.clone()),
        ("source", m.source.clone()),
        ("brands", m.brands.join(", ")),
        ("lang", m.lang.to_string()),
        ("author", m.author.clone().unwrap_or_else(|| "-".into())),
        ("published", o.when_opt(m.published)),
        ("first seen", o.when(m.first_seen)),
        ("fetched", o.when(m.fetched)),
        ("versions", m.versions.to_string()),
        (
            "deleted",
            if m.deleted {
                o.red("yes, at its source (text kept)")
            } else {
                "no".into()
            },
        ),
    ];
    for (k, v) in rows {
        println(format!("  {:<11} {v}", o.dim(k)))?;
    }
    answer::print_answer(&o, &m, &reading)?;
    for bm in &m.matches {
        println(format!(
            "  {:<11} {} as \"{}\" in {:?} at {}..{}",
            o.dim("match"),
            bm.brand,
            bm.text,
            bm.field,
            bm.start,
            bm.end
        ))?;
    }
    println("")?;
    println(&m.text)?;
    for v in &history {
        println("")?;
        println(o.bold(&format!("— version {} · seen {}", v.number, o.when(v.seen))))?;
        if !v.title.is_empty() {
            println(o.bold(&v.title))?;
        }
        println(&v.text)?;
    }
    if let Some(s) = reading.suggestion(&m) {
        answer::print_suggestion(&o, &s)?;
    }
    Ok(ExitCode::Ok)
}

fn export(
    config: Config,
    format: ExportFormat,
    filters: &Filters,
    output: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let f = filter_of(&config, filters)?;
    let st = store::SqliteStore::open(&config.state_path())?;
    let list = st.mentions(&f, None)?;
    let text = match format {
        ExportFormat::Jsonl => store::export::jsonl(&list),
        ExportFormat::Csv => store::export::csv(&list),
    };
    match output {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} mention(s) written to {}", list.len(), path.display());
        }
        None => {
            use std::io::Write;
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
    }
    Ok(ExitCode::Ok)
}

fn sources(cli: &Cli, config: Config, json: bool) -> Result<ExitCode> {
    let o = out(cli, &config);
    let st = store::SqliteStore::open(&config.state_path())?;
    let states = st.source_states()?;
    let mut rows = Vec::new();
    for s in &config.sources {
        let state =
            hearsay::sources::state_for(s, states.iter().find(|st| st.name == s.name).cloned());
        rows.push((s, state));
    }
    if json {
        for v in hearsay::sources::health(&config.sources, &states) {
            println(serde_json::to_string(&v)?)?;
        }
        return Ok(ExitCode::Ok);
    }
    let mut t = o.table(&[
        "source",
        "kind",
        "schedule",
        "last success",
        "last error",
        "errors",
        "items",
        "next check",
    ]);
    for (s, state) in &rows {
        let error = match (&state.last_error, state.last_error_at) {
            (Some(e), Some(at)) => {
                let color = if state.error_count > 0 {
                    TableColor::Red
                } else {
                    TableColor::DarkGrey
                };
                o.cell(
                    format!("{} ({})", clip(e, 50), output::ago(at, Utc::now())),
                    Some(color),
                )
            }
            _ => o.cell("-", None),
        };
        let next = match state.next_check {
            None => "now (never crawled)".into(),
            Some(t) if t <= Utc::now() => "now".into(),
            Some(t) => output::ago(t, Utc::now()),
        };
        let last_success = state.last_success.map(|t| output::ago(t, Utc::now()));
        t.add_row(vec![
            o.cell(&s.name, None),
            o.cell(s.kind.as_str(), None),
            o.cell(&s.schedule.expr, None),
            o.cell(last_success.unwrap_or_else(|| "never".into()), None),
            error,
            o.cell(state.error_count, None),
            o.cell(state.items_seen, None),
            o.cell(next, None),
        ]);
    }
    println(t.to_string())?;
    Ok(ExitCode::Ok)
}

fn reindex(config: Config) -> Result<ExitCode> {
    let st = store::SqliteStore::open(&config.state_path())?;
    let index = store::SearchIndex::open_writer(&config.index_dir())?;
    let n = index.rebuild(&st)?;
    println(format!(
        "reindexed {} mention(s) from {} store change(s)",
        index.len(),
        n
    ))?;
    Ok(ExitCode::Ok)
}

async fn rematch(config: Config) -> Result<ExitCode> {
    let retention = config.storage.retention;
    let crawler = Crawler::open(config)?;
    let st = crawler.store.clone();
    let texts = st.texts_for_rematch()?;
    let (mut gained, mut lost) = (0, 0);
    for t in &texts {
        let matches = crawler.matcher().find(&t.title, &t.text);
        let brands = crawler.matcher().brands_in(&matches);
        if brands != t.brands {
            gained += usize::from(t.brands.is_empty() && !brands.is_empty());
            lost += usize::from(!t.brands.is_empty() && brands.is_empty());
            // Items that matched nothing were stored without a language.
            let lang = (t.brands.is_empty() && !brands.is_empty()).then(|| {
                let hint = crawler
                    .config
                    .sources
                    .iter()
                    .find(|s| s.name == t.source)
                    .and_then(|s| s.lang);
                hearsay::pipeline::detect_item_lang(&t.title, &t.text, hint)
            });
            st.set_matches(&t.id, &brands, &matches, lang)?;
        }
    }
    let cutoff = Utc::now()
        - chrono::Duration::from_std(retention).unwrap_or_else(|_| chrono::Duration::days(30));
    let purged = st.purge_unmatched(cutoff)?;
    // New mentions have no labels yet; `reclassify` syncs the index.
    let labelled = crawler.reclassify(false).await?;
    println(format!(
        "rematched {} stored item(s): {gained} became mentions, {lost} no longer match; {labelled} classified; {purged} unmatched text(s) past retention dropped",
        texts.len()
    ))?;
    Ok(ExitCode::Ok)
}

async fn reclassify(config: Config, all: bool) -> Result<ExitCode> {
    let crawler = Crawler::open(config)?;
    let n = crawler.reclassify(all).await?;
    println(format!(
        "classified {n} mention(s){}",
        if all { "" } else { " that had no labels" }
    ))?;
    Ok(ExitCode::Ok)
}

async fn demo(cli: &Cli, port: u16, serve: bool) -> Result<ExitCode> {
    let path = if cli.config == std::path::Path::new(hearsay::config::DEFAULT_PATH) {
        std::path::PathBuf::from("config/demo.toml")
    } else {
        cli.config.clone()
    };
    let mut config = Config::load(&path)?;
    let web = hearsay::demo::serve(port)
        .await
        .context("cannot start the demo web on loopback")?;
    hearsay::demo::retarget(&mut config, web.port);
    // The demo starts from an empty data directory each time, so its summary shows a first crawl.
    if config.storage.dir.file_name().is_some_and(|n| n == "demo") && config.storage.dir.exists() {
        std::fs::remove_dir_all(&config.storage.dir)
            .with_context(|| format!("cannot clear {}", config.storage.dir.display()))?;
    }
    let o = out(cli, &config);
    println(format!(
        "{} demo web on {} loopback hosts, port {} ({} sources in {})",
        o.bold("hearsay demo:"),
        web.servers.len(),
        web.port,
        config.sources.len(),
        path.display()
    ))?;
    let total = config.sources.len();
    let crawler = Crawler::open(config)?;
    let (bar, progress) = progress_for(total);
    let report = crawler.crawl_all(None, Some(progress)).await?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    print_report(&o, &report)?;
    demo_summary(&o, &crawler, &report, &path)?;
    if serve {
        eprintln!("serving the demo web until Ctrl-C");
        tokio::signal::ctrl_c().await?;
    }
    drop(web);
    Ok(ExitCode::Ok)
}

/// Writes each configured digest as the mail it would be (.html, .txt,
/// .eml), so a user without an SMTP server can open it.
fn demo_digests(o: &Out, crawler: &Crawler) -> Result<()> {
    let config = &crawler.config;
    if config.digests.is_empty() {
        return Ok(());
    }
    let responder = digest::responder(config)?;
    let dir = config.storage.dir.join("digests");
    println(format!(
        "\n{}",
        o.bold("digests (not sent; open them in a browser or mail client)")
    ))?;
    for d in &config.digests {
        let p = hearsay::digest::preview(
            crawler.store.as_ref(),
            config,
            &responder,
            d,
            Utc::now(),
            &dir,
        )?;
        println(format!("  {} — {}", d.name, p.subject))?;
        println(format!("    {}\n    {}", p.html.display(), p.eml.display()))?;
    }
    Ok(())
}

fn demo_summary(
    o: &Out,
    crawler: &Crawler,
    report: &CrawlReport,
    path: &std::path::Path,
) -> Result<()> {
    let all = crawler.store.mentions(&MentionFilter::default(), None)?;
    let mut per_lang = std::collections::BTreeMap::<String, usize>::new();
    let mut per_brand = std::collections::BTreeMap::<String, usize>::new();
    for m in &all {
        *per_lang.entry(m.lang.to_string()).or_default() += 1;
        for b in &m.brands {
            *per_brand.entry(b.clone()).or_default() += 1;
        }
    }
    println("")?;
    let langs: Vec<String> = per_lang.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let brands: Vec<String> = per_brand.iter().map(|(b, n)| format!("{b} {n}")).collect();
    println(format!(
        "{} {} mention(s) — by language: {} — by brand: {}",
        o.bold("found"),
        all.len(),
        langs.join(", "),
        brands.join(", ")
    ))?;
    demo_answers(o, crawler, &all)?;
    demo_waves(o, crawler)?;
    demo_digests(o, crawler)?;
    let skipped: Vec<_> = report
        .sources
        .iter()
        .flat_map(|s| s.skipped.iter().map(move |k| (&s.name, k)))
        .collect();
    for (name, (url, why)) in skipped.iter().take(5) {
        println(format!("  {} {name}: {url} — {why}", o.yellow("skipped")))?;
    }
    let samples = [
        "нордлисом",
        "诺德利斯",
        "\"nordlys app\"",
        "brand:Nordlys AND lang:da",
    ];
    for q in samples {
        println("")?;
        println(format!("{} {}", o.bold("search"), o.cyan(q)))?;
        let query = SearchQuery {
            text: q.into(),
            limit: 3,
            ..Default::default()
        };
        let results = store::search(&crawler.index, crawler.store.as_ref(), &query)?;
        if results.is_empty() {
            println(o.dim("  no results"))?;
        }
        let (open, close) = o.marks();
        for r in results {
            println(format!(
                "  {} [{}] {}",
                o.cyan(r.mention.id.as_str()),
                r.mention.lang,
                clip(&r.highlighted.marked(open, close), 150)
            ))?;
        }
    }
    println("")?;
    println(format!(
        "try: {}",
        o.bold(&format!(
            "cargo run --release -- --config {} search 'нордлис OR nordlys' --since 7d",
            path.display()
        ))
    ))?;
    Ok(())
}

/// Campaigns detection found, strongest first, and the day's spikes.
fn demo_waves(o: &Out, crawler: &Crawler) -> Result<()> {
    let campaigns = crawler.store.campaigns(None, None)?;
    println("")?;
    if campaigns.is_empty() {
        println(format!("{} none", o.bold("campaigns")))?;
    }
    for c in campaigns.iter().take(3) {
        println(format!(
            "{} {} {} · score {:.2} · {} mention(s): {}",
            o.bold("campaign"),
            o.cyan(&c.id),
            c.kind.as_str(),
            c.score,
            c.members.len(),
            clip(&c.summary, 70)
        ))?;
    }
    if let Some(c) = campaigns.first() {
        println(o.dim(&format!(
            "  evidence and the suggested answer: cargo run --release -- --config config/demo.toml campaign {}",
            c.id
        )))?;
    }
    Ok(())
}

/// What the classifier found, the reply queue, and one suggested draft.
fn demo_answers(o: &Out, crawler: &Crawler, all: &[Mention]) -> Result<()> {
    let reading = answer::Reading::new(&crawler.config)?;
    let mut intents = std::collections::BTreeMap::<&str, usize>::new();
    let mut flags = std::collections::BTreeMap::<&str, usize>::new();
    let mut queue = (0, 0);
    for m in all {
        let Some(l) = &m.labels else { continue };
        *intents.entry(l.intent.as_str()).or_default() += 1;
        for f in &l.flags {
            *flags.entry(f.as_str()).or_default() += 1;
        }
        match m.urgency(reading.now, reading.window).0 {
            Urgency::Now => queue.0 += 1,
            Urgency::Overdue => queue.1 += 1,
            Urgency::None => {}
        }
    }
    let join = |m: &std::collections::BTreeMap<&str, usize>| {
        m.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println(format!("{} {}", o.bold("labelled"), join(&intents)))?;
    println(format!("  {} {}", o.dim("flags"), join(&flags)))?;
    println(format!(
        "  {} {} to answer now, {} overdue (`hearsay mentions --urgency overdue`)",
        o.dim("reply queue"),
        queue.0,
        queue.1
    ))?;
    // A complaint shows the playbook's fullest draft; any drafted mention will do.
    let pick = all
        .iter()
        .filter_map(|m| reading.suggestion(m).map(|s| (m, s)))
        .filter(|(_, s)| s.missing_slots.is_empty())
        .max_by_key(|(m, s)| (s.rule.starts_with("complaint"), m.lang == Lang::Ru));
    if let Some((m, s)) = pick {
        println("")?;
        println(format!(
            "{} for {} [{}] {}",
            o.bold("suggested reply"),
            o.cyan(m.id.as_str()),
            m.lang,
            clip(&m.text, 90)
        ))?;
        println(format!("  {}", o.dim(&format!("rule: {}", s.rule))))?;
        for line in s.text.lines() {
            println(format!("  {line}"))?;
        }
    }
    Ok(())
}

/// Scores the classifier on a labelled set; no config needed.
fn eval(
    dir: &std::path::Path,
    lexicons: Option<&std::path::Path>,
    errors: bool,
    lang: Option<&str>,
    json: bool,
) -> Result<ExitCode> {
    use hearsay::classify::{eval, Classifier};
    let classifier = match lexicons {
        Some(d) => Classifier::with_dir(d)?,
        None => Classifier::built_in()?,
    };
    let mut examples = eval::load(dir)?;
    if let Some(l) = lang {
        examples.retain(|e| e.lang == l);
    }
    let predicted = eval::predict(&classifier, &examples);
    let report = eval::score(&examples, &predicted);
    if json {
        println(serde_json::to_string(&report)?)?;
        return Ok(ExitCode::Ok);
    }
    if errors {
        for (lang, r) in &report.langs {
            println(format!("## {lang}: {} misread", r.errors.len()))?;
            for e in &r.errors {
                println(format!("  {e}"))?;
            }
        }
    }
    println(report.markdown())?;
    Ok(ExitCode::Ok)
}
