//! Hearsay's benchmark (BENCHMARKS.md quotes it): bare-library baselines,
//! end-to-end crawl throughput, indexing and search latency at scale, peak memory.
//!
//! `cargo bench --bench crawl -- [--pages N] [--hosts N] [--mentions N] [--seed S]
//! [--queries N] [--workers N] [--quick] [--no-pin] [--skip-crawl] [--skip-search] [--dump-page HOST:PAGE]`
//!
//! Not a test and not in CI: it takes minutes and its figures depend on the machine.
//! The end-to-end crawl runs four times, each into a fresh directory: with
//! classification, without, without, with; each kind's time is the mean of
//! its two, so neither gains from coming second.
//! Exit status: 0 when every gate passes, 1 when one fails, 2 on an error.

mod baselines;
mod corpus;
mod fixtures;
#[path = "../common/machine.rs"]
mod machine;
mod search;
mod stages;
mod words;

use hearsay::config::Config;
use hearsay::pipeline::Crawler;
use hearsay::store::MentionFilter;
use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn Error>>;

/// The crawler's budget, mirrored by B_fetch: sources (hosts) crawled at once,
/// and requests per host (`per_host_concurrency`, also the sitemap walker's
/// page fetches in flight).
const HOSTS_AT_ONCE: usize = 8;
const PER_HOST: usize = 4;

#[derive(Clone, Debug)]
struct Opts {
    pages: usize,
    hosts: usize,
    mentions: u64,
    seed: u64,
    queries: usize,
    workers: usize,
    quick: bool,
    pin: bool,
    crawl: bool,
    search: bool,
    serve: bool,
    /// `HOST:PAGE`: print that generated page and exit (to eyeball the corpus).
    dump: Option<(usize, usize)>,
}

fn parse_args() -> Res<Opts> {
    let mut o = Opts {
        pages: 20_000,
        hosts: 200,
        mentions: 1_000_000,
        seed: 42,
        queries: 200,
        workers: 2,
        quick: false,
        pin: true,
        crawl: true,
        search: true,
        serve: false,
        dump: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--quick") {
        (o.pages, o.hosts, o.mentions, o.queries, o.quick) = (2_000, 40, 50_000, 50, true);
    }
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> Res<String> {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value").into())
        };
        match a.as_str() {
            "--pages" => o.pages = value(a)?.parse()?,
            "--hosts" => o.hosts = value(a)?.parse()?,
            "--mentions" => o.mentions = value(a)?.parse()?,
            "--seed" => o.seed = value(a)?.parse()?,
            "--queries" => o.queries = value(a)?.parse()?,
            "--workers" => o.workers = value(a)?.parse()?,
            "--quick" => {}
            "--no-pin" => o.pin = false,
            "--skip-crawl" => o.crawl = false,
            "--skip-search" => o.search = false,
            "--dump-page" => {
                let v = value(a)?;
                let (h, p) = v.split_once(':').ok_or("--dump-page wants HOST:PAGE")?;
                o.dump = Some((h.parse()?, p.parse()?));
            }
            fixtures::SERVE_FLAG => o.serve = true,
            // cargo bench appends --bench to a harness = false target.
            "--bench" => {}
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see the top of benches/crawl/main.rs)"
                )
                .into())
            }
        }
    }
    if o.hosts == 0 || o.hosts > 250 * 250 || o.pages < o.hosts || o.workers == 0 || o.queries == 0
    {
        return Err("need 1 <= hosts <= pages, hosts <= 62500, workers >= 1, queries >= 1".into());
    }
    Ok(o)
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("crawl bench: {e}");
            std::process::exit(2);
        }
    };
    if opts.serve {
        if let Err(e) = fixtures::serve(opts.seed, opts.pages, opts.hosts) {
            eprintln!("fixture server: {e}");
            std::process::exit(2);
        }
        return;
    }
    if let Some((h, p)) = opts.dump {
        let host = corpus::host(
            opts.seed,
            h,
            corpus::pages_of(h, opts.pages, opts.hosts),
            8080,
        );
        match host.pages.get(p) {
            Some(page) => println!(
                "<!-- {}{} {:?} -->\n{}",
                host.origin, page.path, page.plant, page.html
            ),
            None => eprintln!("host {h} has {} pages", host.pages.len()),
        }
        return;
    }
    match run(&opts) {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("crawl bench failed: {e}");
            std::process::exit(2);
        }
    }
}

/// Peak resident memory (VmHWM) of a process, in MiB.
/// Writes back every dirty page (`sync`), untimed, before a timed step: a
/// step that runs while its predecessor's files are still being written
/// pays for them (a crawl ran 40 % slower after three others; an index
/// build timed right after the store's gigabyte read below its gate).
fn write_back() -> std::io::Result<()> {
    std::process::Command::new("sync").status().map(drop)
}

fn peak_mib(pid: Option<u32>) -> Option<f64> {
    let path = match pid {
        Some(p) => format!("/proc/{p}/status"),
        None => "/proc/self/status".to_string(),
    };
    let status = std::fs::read_to_string(path).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Resets this process's VmHWM to its current RSS, so each step reports its own peak.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |m| format!("{m:.0} MiB"))
}

fn taskset_works() -> bool {
    Command::new("taskset")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Pins every thread of this process (and so every later one) to `core`.
fn pin_self(core: usize) -> bool {
    Command::new("taskset")
        .args([
            "-a",
            "-p",
            "-c",
            &core.to_string(),
            &std::process::id().to_string(),
        ])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn per_sec(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

/// Collected output: table rows and gates.
#[derive(Default)]
struct Report {
    rows: Vec<String>,
    search_rows: Vec<String>,
    gates: Vec<(String, bool)>,
    memory: Vec<String>,
}

impl Report {
    fn gate(&mut self, name: String, pass: bool) {
        println!("  {} {name}", if pass { "PASS" } else { "FAIL" });
        self.gates.push((name, pass));
    }
}

fn run(o: &Opts) -> Res<bool> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pin = o.pin && cores >= 2 && taskset_works();
    let pinned_here = pin && pin_self(0);
    let server_core = pinned_here.then_some(1);
    println!("# Hearsay crawl bench");
    println!(
        "machine: {cores} cores ({}), {} kernel {}",
        machine::cpu_model(),
        mib(std::fs::read_to_string("/proc/meminfo").ok().and_then(|m| {
            m.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
                .map(|k| k / 1024.0)
        })),
        std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "size: {} pages over {} hosts, {} mentions, {} queries per class, seed {}{}",
        o.pages,
        o.hosts,
        o.mentions,
        o.queries,
        o.seed,
        if o.quick { " (--quick)" } else { "" }
    );
    if pinned_here {
        println!("pinning: measured side on core 0 (taskset -a -p), fixture server on core 1 (taskset -c 1)");
    } else {
        println!(
            "pinning: none (--no-pin, one core, or no taskset); thread budgets below still hold"
        );
    }
    println!(
        "threads: measured async steps on a tokio runtime of {} worker(s) + blocking pool (max 4); \
         B_extract, B_store, search: 1 thread; tantivy writers: 1 indexing thread, 64 MB; fixture server: 1 tokio thread",
        o.workers
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(o.workers)
        .max_blocking_threads(4)
        .thread_name("bench-worker")
        .enable_all()
        .build()?;
    let mut report = Report::default();
    if o.crawl {
        crawl_steps(o, &rt, server_core, &mut report)?;
    }
    if o.search {
        search_steps(o, &mut report)?;
    }
    print_summary(o, &report);
    Ok(report.gates.iter().all(|(_, pass)| *pass))
}

/// What the generator planted, for the count the crawl must find.
#[derive(Default)]
struct Planted {
    mentions: usize,
    masked: usize,
    hotel: usize,
    sidebar: usize,
    per_lang: BTreeMap<&'static str, usize>,
    /// URLs of the pages that must become mentions.
    urls: std::collections::HashSet<String>,
}

fn crawl_steps(
    o: &Opts,
    rt: &tokio::runtime::Runtime,
    server_core: Option<usize>,
    report: &mut Report,
) -> Res<()> {
    println!(
        "\n## crawl: starting the fixture web ({} hosts, {} pages) ...",
        o.hosts, o.pages
    );
    let t = Instant::now();
    let fixtures = fixtures::Fixtures::start(o.seed, o.pages, o.hosts, server_core)?;
    let port = fixtures.port;
    let mut urls: Vec<Vec<String>> = Vec::with_capacity(o.hosts);
    let mut planted = Planted::default();
    let mut html_bytes = 0usize;
    for i in 0..o.hosts {
        let host = corpus::host(o.seed, i, corpus::pages_of(i, o.pages, o.hosts), port);
        urls.push(
            host.pages
                .iter()
                .map(|p| format!("{}{}", host.origin, p.path))
                .collect(),
        );
        for p in &host.pages {
            html_bytes += p.html.len();
            if p.plant.is_mention() {
                planted.mentions += 1;
                planted.urls.insert(format!("{}{}", host.origin, p.path));
                *planted.per_lang.entry(host.lex.code).or_default() += 1;
            }
            match p.plant {
                corpus::Plant::Masked => planted.masked += 1,
                corpus::Plant::Hotel => planted.hotel += 1,
                corpus::Plant::SidebarOnly => planted.sidebar += 1,
                _ => {}
            }
        }
    }
    let pages: usize = urls.iter().map(Vec::len).sum();
    println!(
        "  serving on port {port} (server pid {}, {}) after {}; {} pages, {:.1} MiB of HTML, mean {:.1} KiB/page",
        fixtures.pid(),
        fixtures.pinned.as_deref().unwrap_or("unpinned"),
        secs(t.elapsed()),
        pages,
        html_bytes as f64 / 1048576.0,
        html_bytes as f64 / pages as f64 / 1024.0
    );
    println!(
        "  planted: {} mentions ({} masked spellings), {} excluded \"Nordlys Hotel\" pages, {} sidebar-only decoys; per language {:?}",
        planted.mentions, planted.masked, planted.hotel, planted.sidebar, planted.per_lang
    );

    let tmp = tempfile::tempdir()?;
    let data = tmp.path().join("e2e");
    let mut toml = format!(
        "timezone = \"UTC\"\n[storage]\ndir = '{}'\n[crawl]\nallow_private_addresses = true\nuser_agent = \"HearsayBench/0.1\"\n\
         per_host_delay_ms = 0\nper_host_concurrency = {PER_HOST}\nconcurrency = {HOSTS_AT_ONCE}\nretries = 1\nretry_base_ms = 50\n\
         retry_max_ms = 200\nfetch_full_text = false\n\n[[brands]]\nname = \"Nordlys\"\naliases = [\"Нордлис\", \"诺德利斯\"]\n\
         exclude = [\"nordlys hotel\"]\n",
        data.display()
    );
    for (i, list) in urls.iter().enumerate() {
        let _ = write!(
            toml,
            "\n[[sources]]\nname = \"host-{i}\"\nurl = \"http://{}:{port}/sitemap.xml\"\nkind = \"sitemap\"\nmax_pages = {}\n",
            corpus::host_ip(i),
            list.len() + 10
        );
    }
    let config = Config::parse(&toml, &tmp.path().join("bench.toml"))?;
    // The same crawl into its own directory, mentions left unlabelled: the
    // baseline for what classification costs.
    let plain_toml = toml.replace(
        &format!("dir = '{}'", data.display()),
        &format!("dir = '{}'", tmp.path().join("plain").display()),
    );
    let plain_config = Config::parse(&plain_toml, &tmp.path().join("plain.toml"))?;
    // Each crawl again, each into a fresh directory, in the reverse order
    // (with, without, without, with): the first crawl of a run meets a colder
    // machine, and a one-sided order moved the with / without ratio by a
    // tenth between runs.
    let again = |toml: &str, from: &std::path::Path, to: &str| {
        Config::parse(
            &toml.replace(
                &format!("dir = '{}'", from.display()),
                &format!("dir = '{}'", tmp.path().join(to).display()),
            ),
            &tmp.path().join(format!("{to}.toml")),
        )
    };
    let config_again = again(&toml, &data, "e2e-again")?;
    let plain_config_again = again(&plain_toml, &tmp.path().join("plain"), "plain-again")?;
    reset_peak();
    let (bodies, fetch_time) = rt.block_on(baselines::fetch(&urls, HOSTS_AT_ONCE, PER_HOST))?;
    let b_fetch = per_sec(pages, fetch_time);
    println!(
        "  B_fetch   {:>9.0} pages/s  ({} for {pages})",
        b_fetch,
        secs(fetch_time)
    );
    let (extracted, extract_time) = baselines::extract(&urls, &bodies)?;
    let b_extract = per_sec(pages, extract_time);
    println!(
        "  B_extract {:>9.0} pages/s  ({})",
        b_extract,
        secs(extract_time)
    );
    let st = stages::run(&urls, &bodies, &config.brands)?;
    drop(bodies);
    let (h_extract, h_lang, h_match) = (
        per_sec(pages, st.extract),
        per_sec(pages, st.lang),
        per_sec(pages, st.matching),
    );
    println!(
        "  Hearsay stages, 1 thread: extract {h_extract:.0} pages/s, detect_lang {h_lang:.0}/s (warm-up of 200 {}), matcher {h_match:.0}/s ({} pages matched), classify {:.0} mentions/s",
        secs(st.lang_warmup),
        st.matched,
        per_sec(st.matched, st.classify)
    );
    let store_time = baselines::store(tmp.path(), &extracted)?;
    let b_store = per_sec(pages, store_time);
    println!(
        "  B_store   {:>9.0} rows/s   ({})",
        b_store,
        secs(store_time)
    );
    let bare_index_dir = tmp.path().join("bare-index");
    std::fs::create_dir_all(&bare_index_dir)?;
    let index_time = baselines::index(&bare_index_dir, &extracted)?;
    let b_index = per_sec(pages, index_time);
    println!(
        "  B_index   {:>9.0} docs/s   ({})",
        b_index,
        secs(index_time)
    );
    drop(extracted);
    let bound = 1.0 / (1.0 / b_fetch + 1.0 / b_extract + 1.0 / b_store + 1.0 / b_index);
    println!("  serial bound {bound:.0} pages/s");
    let baseline_peak = peak_mib(None);
    let threads = format!("{} workers", o.workers);
    report.rows.push(format!("| B_fetch (bare reqwest GET) | {threads}, {HOSTS_AT_ONCE} hosts × {PER_HOST} in flight | {pages} pages | {} | {b_fetch:.0} pages/s |", secs(fetch_time)));
    report.rows.push(format!("| B_extract (bare scraper parse + text) | 1 | {pages} pages | {} | {b_extract:.0} pages/s |", secs(extract_time)));
    report.rows.push(format!(
        "| B_store (bare rusqlite, 1 tx per host) | 1 | {pages} rows | {} | {b_store:.0} rows/s |",
        secs(store_time)
    ));
    report.rows.push(format!("| B_index (bare tantivy, 1 text field) | 1 indexing thread, 64 MB | {pages} docs | {} | {b_index:.0} docs/s |", secs(index_time)));
    report.rows.push(format!(
        "| serial bound 1/(Σ 1/B) | | | | {bound:.0} pages/s |"
    ));
    report.rows.push(format!(
        "| Hearsay `decode` + `extract_article` (info) | 1 | {pages} pages | {} | {h_extract:.0} pages/s |",
        secs(st.extract)
    ));
    report.rows.push(format!(
        "| Hearsay `detect_lang` (info) | 1 | {pages} texts | {} | {h_lang:.0} texts/s |",
        secs(st.lang)
    ));
    report.rows.push(format!(
        "| Hearsay `Matcher::find` (info) | 1 | {pages} texts | {} | {h_match:.0} texts/s |",
        secs(st.matching)
    ));
    report.rows.push(format!(
        "| Hearsay `Classifier::classify` (info) | 1 | {} mentions | {} | {:.0} mentions/s |",
        st.matched,
        secs(st.classify),
        per_sec(st.matched, st.classify)
    ));

    // One timed crawl into `config`'s fresh directory: its report, its time,
    // and the crawler (for what it stored).
    let timed = |config: Config, classify: bool| {
        rt.block_on(async {
            let mut crawler = Crawler::open(config)?;
            if !classify {
                crawler = crawler.without_classifier();
            }
            let t = Instant::now();
            let crawl = crawler.crawl_all(None, None).await?;
            Ok::<_, Box<dyn Error>>((crawl, t.elapsed(), crawler))
        })
    };
    // The baselines' files first.
    write_back()?;
    reset_peak();
    let (crawl, e2e_time, crawler) = timed(config, true)?;
    let e2e_peak = peak_mib(None);
    let stored: std::collections::HashSet<String> = crawler
        .store
        .mentions(&MentionFilter::default(), None)?
        .into_iter()
        .map(|m| m.url)
        .collect();
    drop(crawler);
    // Between crawls, untimed: the last crawl's files go and the page cache
    // is written back, so no crawl pays for its predecessor's writeback
    // (after three crawls ~1 GB was dirty, and the fourth ran 40 % slower).
    let settle = |dir: &std::path::Path| -> Result<(), Box<dyn Error>> {
        std::fs::remove_dir_all(dir)?;
        write_back()?;
        Ok(())
    };
    settle(&data)?;
    let plain_first = timed(plain_config, false)?.1;
    settle(&tmp.path().join("plain"))?;
    let plain_second = timed(plain_config_again, false)?.1;
    settle(&tmp.path().join("plain-again"))?;
    let e2e_second = timed(config_again, true)?.1;
    println!(
        "  crawls in order: with classification {}, without {}, without {}, with {}",
        secs(e2e_time),
        secs(plain_first),
        secs(plain_second),
        secs(e2e_second)
    );
    let e2e_time = (e2e_time + e2e_second) / 2;
    let plain_time = (plain_first + plain_second) / 2;
    let server_peak = peak_mib(Some(fixtures.pid()));
    fixtures.stop()?;
    let items: usize = crawl.sources.iter().map(|s| s.items).sum();
    let fetched: usize = crawl.sources.iter().map(|s| s.pages_fetched).sum();
    let errors: usize = crawl.sources.iter().map(|s| s.errors.len()).sum();
    let skipped: usize = crawl.sources.iter().map(|s| s.skipped.len()).sum();
    let mut found_lang: BTreeMap<String, usize> = BTreeMap::new();
    for s in &crawl.sources {
        for (l, n) in &s.langs {
            *found_lang.entry(l.clone()).or_default() += n;
        }
    }
    let e2e = per_sec(items, e2e_time);
    let ratio = e2e / bound;
    println!(
        "  end to end {e2e:.0} pages/s ({}, mean of two crawls, for {items} items; {fetched} fetches incl. sitemaps; {} failed sources, {errors} URL errors, {skipped} skipped)",
        secs(e2e_time),
        crawl.failed()
    );
    for s in crawl
        .sources
        .iter()
        .filter(|s| !s.errors.is_empty() || !matches!(s.outcome, hearsay::pipeline::Outcome::Ok))
        .take(3)
    {
        println!(
            "    e.g. {}: {:?} {:?}",
            s.name,
            s.outcome,
            s.errors.first()
        );
    }
    let missed: Vec<&String> = planted.urls.difference(&stored).collect();
    let extra: Vec<&String> = stored.difference(&planted.urls).collect();
    println!(
        "  mentions: planted {}, found {} (stored {}; page by page: {} missed, {} not planted); per language found {found_lang:?}",
        planted.mentions,
        crawl.new_mentions(),
        stored.len(),
        missed.len(),
        extra.len()
    );
    for url in missed.iter().take(3) {
        println!("    missed: {url}");
    }
    for url in extra.iter().take(3) {
        println!("    not planted: {url}");
    }
    report.rows.push(format!(
        "| **end to end** `Crawler::crawl_all` ({} sources; mean of two crawls) | {threads} + blocking pool; index 1 thread | {items} pages | {} | **{e2e:.0} pages/s** = {ratio:.2} × bound |",
        o.hosts,
        secs(e2e_time)
    ));
    report.gate(
        format!("end to end / serial bound = {ratio:.2} (gate >= 0.5, aim > 1.0)"),
        ratio >= 0.5,
    );
    let slowdown = e2e_time.as_secs_f64() / plain_time.as_secs_f64().max(1e-9);
    println!(
        "  without classification {:.0} pages/s ({}, mean of two): classifying {} mentions costs {:+.0} %",
        per_sec(items, plain_time),
        secs(plain_time),
        crawl.new_mentions(),
        (slowdown - 1.0) * 100.0
    );
    report.rows.push(format!(
        "| same crawl, mentions not classified (`without_classifier`; mean of two) | {threads} + blocking pool; index 1 thread | {items} pages | {} | {:.0} pages/s |",
        secs(plain_time),
        per_sec(items, plain_time)
    ));
    report.gate(
        format!("crawl with / without classification = {slowdown:.2} (gate <= 1.20)"),
        slowdown <= 1.2,
    );
    report.gate(
        format!("all {pages} pages crawled as items (got {items})"),
        items == pages,
    );
    report.gate(
        format!(
            "mentions found = planted ({} = {}), page by page ({} missed, {} not planted)",
            crawl.new_mentions(),
            planted.mentions,
            missed.len(),
            extra.len()
        ),
        crawl.new_mentions() == planted.mentions && missed.is_empty() && extra.is_empty(),
    );
    report.memory.push(format!(
        "| baselines (bodies of all pages in memory) | {} |",
        mib(baseline_peak)
    ));
    report
        .memory
        .push(format!("| end-to-end crawl | {} |", mib(e2e_peak)));
    report.memory.push(format!(
        "| fixture server (child process, all pages in memory) | {} |",
        mib(server_peak)
    ));
    Ok(())
}

fn search_steps(o: &Opts, report: &mut Report) -> Res<()> {
    println!(
        "\n## search: filling a store with {} mentions (ingest batches of 5000) ...",
        o.mentions
    );
    reset_peak();
    let tmp = tempfile::tempdir()?;
    let t = Instant::now();
    let s = search::run(o.seed, o.mentions, o.queries, tmp.path())?;
    let f = &s.fill;
    println!(
        "  took {}; ingest {:.0} mentions/s; store {:.0} MiB, Hearsay index {:.0} MiB, bare index {:.0} MiB",
        secs(t.elapsed()),
        f.ingest_rate,
        f.store_bytes as f64 / 1048576.0,
        f.index_bytes as f64 / 1048576.0,
        f.bare_bytes as f64 / 1048576.0
    );
    let ratio = f.hearsay_index_rate / f.bare_index_rate;
    println!(
        "  indexing: Hearsay catch_up {:.0} docs/s, bare tantivy {:.0} docs/s, ratio {ratio:.2}; reading changes alone {:.0}/s",
        f.hearsay_index_rate, f.bare_index_rate, f.read_rate
    );
    report.rows.push(format!(
        "| StateStore::ingest (batches of 5000) | 1 | {} mentions | | {:.0} mentions/s |",
        f.mentions, f.ingest_rate
    ));
    report.rows.push(format!("| B_index at scale (bare tantivy, body + brand + date) | 1 indexing thread, 64 MB | {} docs | | {:.0} docs/s |", f.mentions, f.bare_index_rate));
    report.rows.push(format!(
        "| **Hearsay indexing** (`catch_up`: changes → apply → commit) | 1 indexing thread, 64 MB | {} docs | | **{:.0} docs/s** = {ratio:.2} × B_index |",
        f.mentions, f.hearsay_index_rate
    ));
    report.rows.push(format!("| of which: reading changes (`changes_since`, 5000 per call) | 1 | {} changes | | {:.0} changes/s |", f.mentions, f.read_rate));
    report.gate(
        format!("indexing / B_index = {ratio:.2} (gate >= 0.7)"),
        ratio >= 0.7,
    );
    let ms = |us: u64| us as f64 / 1000.0;
    for c in &s.classes {
        let (hp50, hp99) = (search::pct(&c.hearsay, 0.5), search::pct(&c.hearsay, 0.99));
        let (fp50, fp99) = (search::pct(&c.full, 0.5), search::pct(&c.full, 0.99));
        let bare = if c.bare.is_empty() {
            "—".to_string()
        } else {
            format!(
                "{:.2} / {:.2}",
                ms(search::pct(&c.bare, 0.5)),
                ms(search::pct(&c.bare, 0.99))
            )
        };
        let bp99 = search::pct(&c.bare, 0.99).max(1);
        let vs = if c.bare.is_empty() {
            "—".into()
        } else {
            format!("{:.2}×", hp99 as f64 / bp99 as f64)
        };
        println!(
            "  {:<24} hearsay {:>7.2}/{:>7.2} ms  full {:>7.2}/{:>7.2} ms  bare {bare:>15} ms  p99 {vs}  hits {:.1}/{:.1}  e.g. {}",
            c.class,
            ms(hp50),
            ms(hp99),
            ms(fp50),
            ms(fp99),
            c.hits.0,
            c.hits.1,
            c.example
        );
        report.search_rows.push(format!(
            "| {} | `{}` | {:.2} / {:.2} | {:.2} / {:.2} | {bare} | {vs} | {:.1} / {:.1} |",
            c.class,
            c.example,
            ms(hp50),
            ms(hp99),
            ms(fp50),
            ms(fp99),
            c.hits.0,
            c.hits.1
        ));
        if !c.bare.is_empty() {
            let ok = hp99 <= 3 * bp99 && hp99 < 50_000;
            report.gate(
                format!(
                    "{}: Hearsay p99 {:.2} ms <= 3 × bare {:.2} ms and < 50 ms",
                    c.class,
                    ms(hp99),
                    ms(bp99)
                ),
                ok,
            );
            let full_ok = fp99 < 50_000;
            report.gate(
                format!(
                    "{}: full search (store join + snippets) p99 {:.2} ms < 50 ms",
                    c.class,
                    ms(fp99)
                ),
                full_ok,
            );
        }
    }
    report.memory.push(format!(
        "| fill: {} mentions ingested + both indexes built (bare inputs held in memory) | {} |",
        o.mentions,
        mib(f.peak_mib)
    ));
    report.memory.push(format!(
        "| queries at {} mentions (store + Hearsay index + bare index open) | {} |",
        o.mentions,
        mib(peak_mib(None))
    ));
    Ok(())
}

fn print_summary(o: &Opts, r: &Report) {
    println!("\n## summary (markdown)\n");
    println!("| Step | Threads | Work | Time | Throughput |\n|---|---|---|---|---|");
    for row in &r.rows {
        println!("{row}");
    }
    if !r.search_rows.is_empty() {
        println!(
            "\nSearch at {} mentions, {} queries per class, limit 20, each query's latency the median of 3 runs (p50 / p99 in ms):\n\n\
             | Class | Example | Hearsay `prepare`+`search` | full `store::search` (join + snippets) | bare tantivy | p99 Hearsay/bare | mean hits Hearsay / bare |\n\
             |---|---|---|---|---|---|---|",
            o.mentions, o.queries
        );
        for row in &r.search_rows {
            println!("{row}");
        }
    }
    println!("\n| Peak memory (VmHWM, reset per step) | |\n|---|---|");
    for row in &r.memory {
        println!("{row}");
    }
    println!("\nGates:");
    for (name, pass) in &r.gates {
        println!("- {} {name}", if *pass { "PASS" } else { "FAIL" });
    }
    let failed = r.gates.iter().filter(|(_, p)| !p).count();
    println!(
        "\n{} of {} gates passed",
        r.gates.len() - failed,
        r.gates.len()
    );
}
