//! Campaign detection at scale (issue 5; BENCHMARKS.md quotes it): for N
//! synthetic mentions over 30 days in a real SQLite store, the time and peak
//! memory of what runs after each crawl (`detect::detect_stored`: load the
//! sketches, LSH candidates, Jaccard verification, clustering, scoring),
//! beside B_scan, a bare read of the same stored sketches.
//!
//! `cargo bench --bench campaigns -- [--quick] [--sizes N,N] [--seed S] [--skip-full] [--dir DIR]`
//!
//! Each measurement runs in a fresh child process (the binary re-executes
//! itself with `--measure`), so each peak (VmHWM) is its own. Every size is
//! stored first; then B_scan and detection run five rounds over the sizes in
//! turn, and the medians are reported. Exit status:
//! 0 when every target holds, 1 when one fails, 2 on an error.

mod corpus;
#[path = "../common/machine.rs"]
mod machine;

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use hearsay::campaigns::detect::{detect, detect_stored, Params};
use hearsay::model::Campaign;
use hearsay::store::{SqliteStore, StateStore};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub type Res<T> = Result<T, Box<dyn Error>>;

/// Targets of the issue.
const MAX_SECONDS_AT_1M: f64 = 60.0;
const MAX_TIMES_SCAN: f64 = 5.0;
const MAX_GROWTH_10X: f64 = 12.0;
const MAX_PEAK_MIB: f64 = 2048.0;

/// The crawl bench's last recorded full crawl (BENCHMARKS.md, fourth
/// session, run 24): 7.09 s for 20,000 pages holding 2,363 mentions.
const CRAWL_SECONDS: f64 = 7.09;
const CRAWL_MENTIONS: f64 = 2363.0;

const MEASURE_FLAG: &str = "--measure";

struct Opts {
    sizes: Vec<usize>,
    seed: u64,
    quick: bool,
    full: bool,
    /// Keep the stores here (for profiling a step by hand) instead of a temp dir.
    dir: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Res<Opts> {
    let quick = args.iter().any(|a| a == "--quick");
    let mut o = Opts {
        sizes: if quick {
            vec![10_000, 100_000]
        } else {
            vec![100_000, 1_000_000]
        },
        seed: 7,
        quick,
        full: true,
        dir: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?
            }
            "--seed" => o.seed = value()?.parse()?,
            "--skip-full" => o.full = false,
            "--dir" => o.dir = Some(value()?.into()),
            // cargo bench appends --bench to a harness = false target.
            "--quick" | "--bench" => {}
            other => {
                return Err(
                    format!("unknown argument `{other}` (see benches/campaigns/main.rs)").into(),
                )
            }
        }
    }
    if o.sizes.is_empty() || o.sizes.contains(&0) {
        return Err("--sizes wants positive numbers".into());
    }
    Ok(o)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(MEASURE_FLAG) {
        if let Err(e) = measure(&args[1..]) {
            eprintln!("campaigns bench child: {e}");
            std::process::exit(2);
        }
        return;
    }
    let result = parse_args(&args).and_then(|o| run(&o));
    match result {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        Err(e) => {
            eprintln!("campaigns bench failed: {e}");
            std::process::exit(2);
        }
    }
}

/// The 30 days the posts span: a fixed start, so every run stores the same
/// corpus; "now" is their end, as if the crawl had just read the last post.
fn window() -> (DateTime<Utc>, DateTime<Utc>) {
    let start = Utc
        .with_ymd_and_hms(2026, 10, 1, 0, 0, 0)
        .single()
        .expect("a valid date");
    (start, start + Span::days(30))
}

/// One size's figures.
struct Row {
    n: usize,
    filled: corpus::Filled,
    scan: Step,
    detect: Step,
    full: Option<Step>,
}

/// What a child reports: seconds of the clock, peak MiB, and a line of detail.
struct Step {
    seconds: f64,
    peak_mib: f64,
    detail: String,
}

fn run(o: &Opts) -> Res<bool> {
    let tmp = tempfile::tempdir()?;
    let dir = o.dir.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let (start, now) = window();
    println!(
        "campaign detection bench: sizes {:?}, seed {}{}; {} cores, {}",
        o.sizes,
        o.seed,
        if o.quick { " (quick)" } else { "" },
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        machine::cpu_model()
    );
    // Every size stored first and flushed to disk, then the sizes measured
    // in turn, round after round: the growth ratio compares timings taken
    // under the same conditions, not the first size's against the second's
    // taken while the kernel was still writing a 1.7 GB store back.
    let mut stored = Vec::new();
    for &n in &o.sizes {
        let path = dir.join(format!("state-{n}.sqlite"));
        let t = Instant::now();
        let filled = corpus::fill(&path, o.seed, n, start, now)?;
        println!(
            "N = {n}: stored {} mentions ({} in waves) in {:.1} s: generate {:.1} s, sketch {:.1} s, ingest {:.1} s; store {:.0} MiB",
            filled.mentions,
            filled.wave_posts,
            t.elapsed().as_secs_f64(),
            filled.generate.as_secs_f64(),
            filled.sketch.as_secs_f64(),
            filled.ingest.as_secs_f64(),
            filled.db_bytes as f64 / 1048576.0
        );
        flush(&path)?;
        stored.push((n, path, filled));
    }
    let mut scans: Vec<Vec<Step>> = stored.iter().map(|_| Vec::new()).collect();
    let mut detects: Vec<Vec<Step>> = stored.iter().map(|_| Vec::new()).collect();
    for round in 1..=RUNS {
        for (k, (n, path, _)) in stored.iter().enumerate() {
            let scan = child(path, "scan")?;
            let detect = child(path, "detect")?;
            println!(
                "  round {round}, N = {n}: B_scan {:.2} s, detection {:.2} s, peak {:.0} MiB",
                scan.seconds, detect.seconds, detect.peak_mib
            );
            scans[k].push(scan);
            detects[k].push(detect);
        }
    }
    let mut rows = Vec::new();
    for (((n, path, filled), scan), detect) in stored.into_iter().zip(scans).zip(detects) {
        let (scan, detect) = (median(scan), median(detect));
        println!(
            "N = {n}: B_scan {:.2} s, detection {:.2} s (medians of {RUNS}); {}",
            scan.seconds, detect.seconds, detect.detail
        );
        let full = if o.full {
            let f = child(&path, "full")?;
            println!(
                "  wave_items + detect {:.2} s, peak {:.0} MiB ({})",
                f.seconds, f.peak_mib, f.detail
            );
            Some(f)
        } else {
            None
        };
        rows.push(Row {
            n,
            filled,
            scan,
            detect,
            full,
        });
        if o.dir.is_none() {
            std::fs::remove_file(&path).ok();
            std::fs::remove_file(format!("{}-wal", path.display())).ok();
        }
    }
    Ok(report(o, &rows))
}

/// Timed runs per step and size: the median is reported (one run of a
/// quarter-second step moved the 10× ratio by a tenth either way), with the
/// highest peak of them.
const RUNS: usize = 5;

/// The median time of a step's runs, with the highest peak.
fn median(mut all: Vec<Step>) -> Step {
    let peak = all.iter().map(|s| s.peak_mib).fold(0.0, f64::max);
    all.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let mut mid = all.swap_remove(all.len() / 2);
    mid.peak_mib = peak;
    mid
}

/// Writes a store's file (and its WAL) through to disk, so that writing it
/// back does not share the machine with the timed steps.
fn flush(path: &Path) -> Res<()> {
    for file in [
        path.to_path_buf(),
        PathBuf::from(format!("{}-wal", path.display())),
    ] {
        if file.exists() {
            std::fs::File::open(&file)?.sync_all()?;
        }
    }
    Ok(())
}

/// Runs one step in a fresh process of this binary.
fn child(path: &Path, step: &str) -> Res<Step> {
    let out = Command::new(std::env::current_exe()?)
        .arg(MEASURE_FLAG)
        .arg(path)
        .arg(step)
        .output()?;
    if !out.status.success() {
        return Err(format!(
            "step {step} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let text = String::from_utf8(out.stdout)?;
    let line = text.lines().last().ok_or("a child printed nothing")?;
    let mut parts = line.splitn(3, '\t');
    let mut next = || parts.next().ok_or("a short report line");
    Ok(Step {
        seconds: next()?.parse()?,
        peak_mib: next()?.parse()?,
        detail: next()?.to_string(),
    })
}

/// The child: `--measure PATH scan|detect|full`; prints `seconds\tpeak\tdetail`.
fn measure(args: &[String]) -> Res<()> {
    let [path, step] = args else {
        return Err("--measure PATH STEP".into());
    };
    let path = PathBuf::from(path);
    // `RUST_LOG=hearsay::campaigns=debug` prints detection's phases.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let (since, _) = window();
    let (seconds, detail) = match step.as_str() {
        "scan" => {
            // Once untimed: the file is in the page cache, as after the
            // crawl that just wrote it; detection runs after it too.
            bare_scan(&path, since)?;
            let t = Instant::now();
            let (rows, fold) = bare_scan(&path, since)?;
            (
                t.elapsed().as_secs_f64(),
                format!("{rows} sketches, fold {fold:x}"),
            )
        }
        "detect" => {
            let store = SqliteStore::open(&path)?;
            let t = Instant::now();
            let found = detect_stored(&store, since, &Params::default())?;
            let seconds = t.elapsed().as_secs_f64();
            let peak = peak_mib();
            // Informational, after the peak was read: the loading step alone.
            let t = Instant::now();
            let wave = store.wave_sketches(since)?;
            let load = t.elapsed().as_secs_f64();
            println!(
                "{seconds}\t{peak}\t{}; of which wave_sketches {load:.2} s for {} mentions",
                summary(&found),
                wave.len()
            );
            return Ok(());
        }
        "full" => {
            let store = SqliteStore::open(&path)?;
            let t = Instant::now();
            let items = store.wave_items(since)?;
            let found = detect(&items, &Params::default());
            (t.elapsed().as_secs_f64(), summary(&found))
        }
        other => return Err(format!("unknown step {other}").into()),
    };
    println!("{seconds}\t{}\t{detail}", peak_mib());
    Ok(())
}

/// B_scan: every stored sketch of the window read with plain rusqlite (the
/// rows detection reads, no order), folded into one number so nothing is
/// optimised away.
fn bare_scan(path: &Path, since: DateTime<Utc>) -> Res<(usize, u64)> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare(
        "SELECT sketch FROM items
         WHERE is_mention = 1 AND not_about_us = 0 AND deleted = 0 AND effective >= ?1
           AND sketch IS NOT NULL",
    )?;
    let mut rows = stmt.query([since.timestamp_millis()])?;
    let (mut n, mut fold) = (0usize, 0u64);
    while let Some(r) = rows.next()? {
        let bytes = r.get_ref(0)?.as_blob()?;
        for chunk in bytes.chunks_exact(8) {
            fold = fold.rotate_left(5) ^ u64::from_le_bytes(chunk.try_into()?);
        }
        n += 1;
    }
    Ok((n, fold))
}

/// Campaigns by kind, and a digest of their members and kinds: equal
/// digests from `detect` and `full` say both paths found the same.
fn summary(found: &[Campaign]) -> String {
    let mut kinds = std::collections::BTreeMap::new();
    let mut groups: Vec<String> = Vec::new();
    for c in found {
        *kinds.entry(c.kind.as_str()).or_insert(0usize) += 1;
        let mut members: Vec<&str> = c.members.iter().map(|m| m.as_str()).collect();
        members.sort_unstable();
        groups.push(format!(
            "{}:{:.6}:{}",
            c.kind.as_str(),
            c.score,
            members.join(",")
        ));
    }
    groups.sort();
    let digest = groups
        .join("|")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!(
        "{} campaigns {:?}, {} mentions in them, digest {digest:016x}",
        found.len(),
        kinds,
        found.iter().map(|c| c.members.len()).sum::<usize>()
    )
}

/// Peak resident memory (VmHWM) of this process, in MiB.
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn pass(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

/// Prints the Markdown summary and the targets; true when all hold.
fn report(o: &Opts, rows: &[Row]) -> bool {
    println!("\n| N | stored | B_scan | detection | detection / B_scan | peak (detection) | peak (B_scan) | wave_items + detect |");
    println!("|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} ({} in waves) | {:.2} s | {:.2} s | {:.1}× | {:.0} MiB | {:.0} MiB | {} |",
            r.n,
            r.filled.mentions,
            r.filled.wave_posts,
            r.scan.seconds,
            r.detect.seconds,
            r.detect.seconds / r.scan.seconds,
            r.detect.peak_mib,
            r.scan.peak_mib,
            r.full.as_ref().map_or("—".into(), |f| format!(
                "{:.2} s, {:.0} MiB",
                f.seconds, f.peak_mib
            ))
        );
    }
    println!("\n| N | found (detection) | same as wave_items + detect |\n|---|---|---|");
    for r in rows {
        let digest = |s: &Step| {
            s.detail
                .split("digest ")
                .nth(1)
                .map(|d| d[..16].to_string())
        };
        let same = r.full.as_ref().map_or("—", |f| {
            if digest(f) == digest(&r.detect) {
                "yes"
            } else {
                "NO"
            }
        });
        println!("| {} | {} | {same} |", r.n, r.detect.detail);
    }
    println!("\n| N | sketching per mention | share of a crawl (crawl bench: {:.1} ms per mention) |\n|---|---|---|",
        CRAWL_SECONDS / CRAWL_MENTIONS * 1000.0);
    for r in rows {
        let per = r.filled.sketch.as_secs_f64() / r.filled.mentions as f64;
        println!(
            "| {} | {:.1} µs | {:.2} % |",
            r.n,
            per * 1e6,
            100.0 * per * CRAWL_MENTIONS / CRAWL_SECONDS
        );
    }
    let mut gates: Vec<(String, bool)> = Vec::new();
    let largest = rows.iter().max_by_key(|r| r.n).expect("at least one size");
    if !o.quick && largest.n >= 1_000_000 {
        gates.push((
            format!(
                "detection at {} in {:.1} s < {MAX_SECONDS_AT_1M} s",
                largest.n, largest.detect.seconds
            ),
            largest.detect.seconds < MAX_SECONDS_AT_1M,
        ));
    }
    for r in rows {
        let times = r.detect.seconds / r.scan.seconds;
        gates.push((
            format!(
                "N = {}: detection {times:.1}× B_scan ≤ {MAX_TIMES_SCAN}×",
                r.n
            ),
            times <= MAX_TIMES_SCAN,
        ));
        gates.push((
            format!(
                "N = {}: peak {:.0} MiB < {MAX_PEAK_MIB} MiB",
                r.n, r.detect.peak_mib
            ),
            r.detect.peak_mib < MAX_PEAK_MIB,
        ));
    }
    if let [small, large] = rows {
        let growth = large.detect.seconds / small.detect.seconds;
        gates.push((
            format!(
                "{}× the mentions: {growth:.1}× the time ≤ {MAX_GROWTH_10X}× (scaled to 10×: ≤ {:.1})",
                large.n / small.n,
                MAX_GROWTH_10X * (large.n / small.n) as f64 / 10.0
            ),
            growth <= MAX_GROWTH_10X * (large.n / small.n) as f64 / 10.0,
        ));
    }
    println!("\nTargets:");
    for (name, ok) in &gates {
        println!("- {} {name}", pass(*ok));
    }
    gates.iter().all(|(_, ok)| *ok)
}
