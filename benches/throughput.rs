//! Throughput and memory of `capgap score` on two corpora (see `support/synth.rs`
//! and `benches/README.md`): **realistic** questionnaires, filled in from `capgap
//! template` the way assessors do, and **compact** ones. For each corpus, from one
//! run of this program:
//!
//! - questionnaires/s and MB/s of `score` end to end (the real binary, whole-process
//!   wall time, `--jobs 2`) and of a parse-only pass (`capgap::load::parse_only`, in
//!   process, all threads): the floor, and the ratio score / parse-only;
//! - `score --jobs 1` against `--jobs 2`;
//! - peak RSS of `score` on N files and on 4N files (the median of five runs each);
//! - the cost of warnings: the same N/2 files once with a warning in each (blank
//!   answers, `na` without a note) and once with none;
//! - the ratio against the Python reference tool (`benches/reference.py`, PyYAML with
//!   libyaml's CSafeLoader, checked before it is timed) on the same files.
//!
//! Targets are printed beside the results as `ok` or `MISSED` (issue 8): score at least
//! 25x faster than Python on each corpus, a file with warnings costs at most 1.2x one
//! without, peak RSS flat from N to 4N (at most 1.25x). The program never fails on a
//! missed target: it reports.
//!
//! Run: `cargo bench --bench throughput`. Options after `--` (or environment
//! variables): `--n N` (`BENCH_N`, realistic files, default 1000), `--compact-n N`
//! (`BENCH_COMPACT_N`, default 2000), `--repeat K` (`BENCH_REPEAT`, timings are the
//! best of K interleaved runs, default 3; Python runs min(K, 2) times), `--keep DIR`
//! (write the corpora into DIR and leave them there, e.g. for `crosscheck.py`),
//! `--no-python`, `--report N` (also time `capgap report` on N compact files),
//! `--seed S` (`BENCH_SEED`, other files with the same proportions, default 0),
//! `--realistic name=share,...` and `--compact name=share,...` (change proportions;
//! the names are the fields of `synth::Realistic` and `synth::Compact`).

#[path = "support/synth.rs"]
mod synth;

/// The same allocator as the `capgap` binary, so parse-only is a fair floor.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// The targets of issue 8.
const PYTHON_TARGET: f64 = 25.0;
const WARNINGS_TARGET: f64 = 1.2;
const RSS_TARGET: f64 = 1.25;

struct Options {
    n: usize,
    compact_n: usize,
    repeat: usize,
    keep: Option<PathBuf>,
    python: bool,
    report: Option<usize>,
    seed: u64,
    realistic: synth::Realistic,
    compact: synth::Compact,
}

impl Options {
    fn parse() -> Options {
        let args: Vec<String> = std::env::args().collect();
        let flag = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let number = |name: &str, env: &str, default: usize| {
            flag(name)
                .or_else(|| std::env::var(env).ok())
                .map_or(default, |v| {
                    v.replace('_', "").parse().unwrap_or_else(|_| {
                        eprintln!("throughput: {name} wants a whole number, not `{v}`");
                        std::process::exit(2)
                    })
                })
        };
        Options {
            n: number("--n", "BENCH_N", 1000).max(2),
            compact_n: number("--compact-n", "BENCH_COMPACT_N", 2000).max(2),
            repeat: number("--repeat", "BENCH_REPEAT", 3).max(1),
            keep: flag("--keep").map(PathBuf::from),
            python: !args.iter().any(|a| a == "--no-python"),
            report: flag("--report").and_then(|v| v.parse().ok()),
            seed: number("--seed", "BENCH_SEED", 0) as u64,
            realistic: proportions(
                flag("--realistic"),
                synth::Realistic::default(),
                synth::Realistic::set,
            ),
            compact: proportions(
                flag("--compact"),
                synth::Compact::default(),
                synth::Compact::set,
            ),
        }
    }
}

/// `name=value,name=value` applied to a corpus's default proportions.
fn proportions<P>(
    given: Option<String>,
    mut params: P,
    set: fn(&mut P, &str, f64) -> Result<(), String>,
) -> P {
    for pair in given
        .iter()
        .flat_map(|g| g.split(','))
        .filter(|p| !p.is_empty())
    {
        let parsed = pair
            .split_once('=')
            .and_then(|(name, value)| Some((name.trim(), value.trim().parse::<f64>().ok()?)))
            .filter(|(_, value)| (0.0..=1.0).contains(value));
        let result = match parsed {
            Some((name, value)) => set(&mut params, name, value),
            None => Err(format!(
                "`{pair}` is not name=share with a share from 0 to 1"
            )),
        };
        if let Err(message) = result {
            eprintln!("throughput: {message}");
            std::process::exit(2);
        }
    }
    params
}

/// One corpus on disk: N files in `n/` (`part0`), 4N under `all/` (`part0` to
/// `part3`), and the warnings twins `clean/` and `warned/` of N/2 files each.
struct CorpusDirs {
    name: &'static str,
    n: PathBuf,
    all: PathBuf,
    clean: PathBuf,
    warned: PathBuf,
    stats: synth::Corpus,
    stats_all: synth::Corpus,
    twins: usize,
}

/// A target's verdict, collected for the closing summary.
struct Verdict {
    what: String,
    ok: bool,
}

fn main() {
    let options = Options::parse();
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_capgap"));
    let model = capgap::load::load_model(
        "<built-in>",
        capgap::load::DEFAULT_MODEL.as_bytes().to_vec(),
    )
    .expect("the built-in model is valid");
    let temp = tempfile::tempdir().expect("a temp dir");
    let root = options
        .keep
        .clone()
        .unwrap_or_else(|| temp.path().to_owned());

    let started = Instant::now();
    let templates = match synth::templates(&binary, &model) {
        Ok(templates) => templates,
        Err(e) => {
            println!("throughput: cannot make templates with `capgap template`: {e}");
            return;
        }
    };
    let corpora = [
        make_corpus(
            "realistic",
            &root,
            options.n,
            options.seed,
            |dir, count, seed, first, warnings| {
                let params = synth::Realistic {
                    warnings,
                    ..options.realistic.clone()
                };
                synth::write_realistic(&templates, dir, count, seed, first, &params)
            },
        ),
        make_corpus(
            "compact",
            &root,
            options.compact_n,
            options.seed,
            |dir, count, seed, first, warnings| {
                let params = synth::Compact {
                    warnings,
                    ..options.compact.clone()
                };
                synth::write_compact(&model, dir, count, seed, first, &params)
            },
        ),
    ];
    println!(
        "corpora generated in {:.1} s; timings are the best of {} interleaved runs; {} cores; load average {}",
        started.elapsed().as_secs_f64(),
        options.repeat,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        load_average()
    );

    let python = options.python && python_ready();
    let mut verdicts = Vec::new();
    for corpus in &corpora {
        measure(&binary, corpus, &options, python, &mut verdicts);
    }
    if let Some(count) = options.report {
        report(&binary, &model, &root, count, options.repeat);
    }

    println!("\ntargets (issue 8):");
    for verdict in &verdicts {
        println!(
            "  {:<7} {}",
            if verdict.ok { "ok" } else { "MISSED" },
            verdict.what
        );
    }
    println!(
        "bench finished in {:.0} s (load average {}){}",
        started.elapsed().as_secs_f64(),
        load_average(),
        options
            .keep
            .as_ref()
            .map(|k| format!("; corpora kept in {}", k.display()))
            .unwrap_or_default()
    );
}

type Writer<'a> =
    dyn Fn(&Path, usize, u64, usize, synth::Warnings) -> std::io::Result<synth::Corpus> + 'a;

fn make_corpus(
    name: &'static str,
    root: &Path,
    n: usize,
    seed: u64,
    write: impl Fn(&Path, usize, u64, usize, synth::Warnings) -> std::io::Result<synth::Corpus>,
) -> CorpusDirs {
    let write: &Writer<'_> = &write;
    let base = root.join(name);
    let _ = std::fs::remove_dir_all(&base);
    let all = base.join("all");
    let mut stats_all = synth::Corpus::default();
    let mut stats = synth::Corpus::default();
    for part in 0..4 {
        // Operator numbers never repeat across parts: no two files are the same round.
        let corpus = write(
            &all.join(format!("part{part}")),
            n,
            seed.wrapping_mul(1000) + 42 + part as u64,
            part * n,
            synth::Warnings::Mixed,
        )
        .expect("the corpus is written");
        if part == 0 {
            stats = corpus;
        }
        stats_all.files += corpus.files;
        stats_all.bytes += corpus.bytes;
        stats_all.with_warnings += corpus.with_warnings;
    }
    let twins = n / 2;
    let clean = base.join("clean");
    let warned = base.join("warned");
    let twin_seed = seed.wrapping_mul(1000) + 7;
    write(&clean, twins, twin_seed, 0, synth::Warnings::None).expect("the corpus is written");
    write(&warned, twins, twin_seed, 0, synth::Warnings::Every).expect("the corpus is written");
    CorpusDirs {
        name,
        n: all.join("part0"),
        all,
        clean,
        warned,
        stats,
        stats_all,
        twins,
    }
}

fn measure(
    binary: &Path,
    corpus: &CorpusDirs,
    options: &Options,
    python: bool,
    verdicts: &mut Vec<Verdict>,
) {
    let n = corpus.stats.files;
    let mb_n = mb(corpus.stats.bytes);
    println!(
        "\n{} corpus: N = {n} files, {mb_n:.1} MB ({} with warnings); 4N = {} files, {:.1} MB; twins: {} files each",
        corpus.name,
        corpus.stats.with_warnings,
        corpus.stats_all.files,
        mb(corpus.stats_all.bytes),
        corpus.twins
    );
    let score = |jobs: &str| -> Vec<String> {
        ["score", "--format", "jsonl", "-q", "--jobs", jobs]
            .map(str::to_owned)
            .to_vec()
    };
    let mut problems = Vec::new();
    // Warm the page cache, and check that capgap accepts every file.
    for dir in [&corpus.n, &corpus.clean, &corpus.warned] {
        let run = run(binary, &score("2"), dir);
        if !run.ok {
            problems.push(format!("{}: {}", dir.display(), run.stderr));
        }
    }
    let _ = parse_only(&corpus.n);

    let mut best = Timings::default();
    let python_runs = if python { options.repeat.min(2) } else { 0 };
    for round in 0..options.repeat {
        best.parse = best.parse.min(parse_only(&corpus.n));
        best.score_2 = best.score_2.min(run(binary, &score("2"), &corpus.n).time);
        best.score_1 = best.score_1.min(run(binary, &score("1"), &corpus.n).time);
        best.clean = best.clean.min(run(binary, &score("2"), &corpus.clean).time);
        best.warned = best
            .warned
            .min(run(binary, &score("2"), &corpus.warned).time);
        if round < python_runs {
            best.python = best.python.min(reference(&corpus.n));
        }
    }
    let rss_n = median_peak_rss(binary, &score("2"), &corpus.n);
    let rss_4n = median_peak_rss(binary, &score("2"), &corpus.all);

    let line = |what: &str, t: Duration| {
        println!(
            "  {what:<28} {:>9.0} files/s {:>8.1} MB/s  {:>7.3} s",
            n as f64 / t.as_secs_f64(),
            mb_n / t.as_secs_f64(),
            t.as_secs_f64()
        );
    };
    line("parse-only (in process)", best.parse);
    line("score --jobs 2", best.score_2);
    line("score --jobs 1", best.score_1);
    if python {
        line("Python reference", best.python);
    }
    let ratio = best.score_2.as_secs_f64() / best.parse.as_secs_f64();
    println!("  score / parse-only:          {ratio:.2}x");
    let speedup = best.score_1.as_secs_f64() / best.score_2.as_secs_f64();
    println!("  --jobs 1 -> --jobs 2:        {speedup:.2}x faster");
    let mut verdict = |what: String, ok: bool| {
        println!("  {what}  {}", if ok { "ok" } else { "MISSED" });
        verdicts.push(Verdict {
            what: format!("{}: {what}", corpus.name),
            ok,
        });
    };
    if python {
        let times = best.python.as_secs_f64() / best.score_2.as_secs_f64();
        verdict(
            format!(
                "score vs Python: {times:.1}x faster ({:.3} s vs {:.3} s; target >= {PYTHON_TARGET}x)",
                best.score_2.as_secs_f64(),
                best.python.as_secs_f64()
            ),
            times >= PYTHON_TARGET,
        );
    } else {
        println!(
            "  Python reference: skipped (needs python3 with PyYAML built with libyaml: pip install pyyaml)"
        );
    }
    let cost = best.warned.as_secs_f64() / best.clean.as_secs_f64();
    verdict(
        format!(
            "warnings cost: {cost:.2}x ({} files with warnings {:.3} s, without {:.3} s; target <= {WARNINGS_TARGET}x)",
            corpus.twins,
            best.warned.as_secs_f64(),
            best.clean.as_secs_f64()
        ),
        cost <= WARNINGS_TARGET,
    );
    match (rss_n, rss_4n) {
        (Some(small), Some(large)) => {
            let growth = large as f64 / small as f64;
            verdict(
                format!(
                    "peak RSS N -> 4N: {:.1} MB -> {:.1} MB = {growth:.2}x (target <= {RSS_TARGET}x)",
                    small as f64 / 1024.0,
                    large as f64 / 1024.0
                ),
                growth <= RSS_TARGET,
            );
        }
        _ => println!("  peak RSS: not measured (no /usr/bin/time and no /proc)"),
    }
    for problem in problems {
        println!("  NOTE: capgap did not accept every file: {problem}");
    }
}

#[derive(Clone, Copy)]
struct Timings {
    parse: Duration,
    score_2: Duration,
    score_1: Duration,
    clean: Duration,
    warned: Duration,
    python: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            parse: Duration::MAX,
            score_2: Duration::MAX,
            score_1: Duration::MAX,
            clean: Duration::MAX,
            warned: Duration::MAX,
            python: Duration::MAX,
        }
    }
}

/// The 1-minute load average, so that a reader can tell a busy machine's numbers.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

/// Walks, reads and parses every file into the loader's raw types, in parallel.
fn parse_only(dir: &Path) -> Duration {
    let started = Instant::now();
    let (files, _) = capgap::load::walk::input_files(&[dir.to_path_buf()], false);
    let parsed = files
        .par_iter()
        .filter(|path| {
            std::fs::read(path)
                .is_ok_and(|bytes| capgap::load::parse_only(&path.display().to_string(), bytes))
        })
        .count();
    let elapsed = started.elapsed();
    if parsed != files.len() {
        println!(
            "  NOTE: parse-only read {parsed} of {} files in {}",
            files.len(),
            dir.display()
        );
    }
    elapsed
}

struct Run {
    time: Duration,
    ok: bool,
    stderr: String,
}

/// Runs capgap on `dir` with stdout discarded: whole-process wall time, and whether it
/// exited 0 (else the first lines of what it said).
fn run(binary: &Path, args: &[String], dir: &Path) -> Run {
    let started = Instant::now();
    let output = Command::new(binary)
        .args(args)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    let time = started.elapsed();
    match output {
        Ok(output) => Run {
            time,
            ok: output.status.success(),
            stderr: String::from_utf8_lossy(&output.stderr)
                .lines()
                .take(6)
                .collect::<Vec<_>>()
                .join(" | "),
        },
        Err(e) => Run {
            time,
            ok: false,
            stderr: format!("cannot run {}: {e}", binary.display()),
        },
    }
}

/// The median of five [`peak_rss`] samples: one run's peak moves by several MB with
/// the allocator and thread timing, more than the growth being measured.
fn median_peak_rss(binary: &Path, args: &[String], dir: &Path) -> Option<u64> {
    let mut samples: Vec<u64> = (0..5).filter_map(|_| peak_rss(binary, args, dir)).collect();
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied()
}

/// Peak resident set size of capgap on `dir`, in KiB: from `getrusage` of the child
/// as `/usr/bin/time` reports it, else polled from /proc (VmHWM).
fn peak_rss(binary: &Path, args: &[String], dir: &Path) -> Option<u64> {
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        let out = tempfile::NamedTempFile::new().ok()?;
        let status = Command::new(time)
            .args(["-f", "%M", "-o"])
            .arg(out.path())
            .arg(binary)
            .args(args)
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        let text = std::fs::read_to_string(out.path()).ok()?;
        if status.code().is_some()
            && let Some(kib) = text.lines().last().and_then(|l| l.trim().parse().ok())
        {
            return Some(kib);
        }
    }
    let mut child = Command::new(binary)
        .args(args)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    while child.try_wait().ok()?.is_none() {
        let hwm = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            });
        peak = peak.max(hwm);
        std::thread::sleep(Duration::from_millis(2));
    }
    peak
}

/// Whether the Python reference can run the way it is meant to: python3 with PyYAML
/// built with libyaml, and `reference.py`'s loader derived from the C loader.
fn python_ready() -> bool {
    let benches = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches");
    let check = "import sys, yaml; sys.path.insert(0, sys.argv[1]); import reference; \
                 assert yaml.__with_libyaml__ and issubclass(reference.Loader, yaml.CSafeLoader)";
    let ok = Command::new("python3")
        .args(["-c", check])
        .arg(&benches)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!(
            "Python reference: not available (needs python3 and PyYAML with libyaml: pip install pyyaml)"
        );
    }
    ok
}

/// Whole-process wall time of the Python reference on `dir`.
fn reference(dir: &Path) -> Duration {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reference.py");
    let started = Instant::now();
    let status = Command::new("python3")
        .arg(&script)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let elapsed = started.elapsed();
    if !status.is_ok_and(|s| s.success()) {
        println!("  NOTE: benches/reference.py failed on {}", dir.display());
    }
    elapsed
}

/// `capgap report` on `count` compact files against `score` on the same files.
fn report(binary: &Path, model: &capgap::model::Model, root: &Path, count: usize, repeat: usize) {
    let dir = root.join("report-set");
    let _ = std::fs::remove_dir_all(&dir);
    let corpus = synth::write_compact(model, &dir, count, 44, 0, &synth::Compact::default())
        .expect("the corpus is written");
    let args = ["score", "--format", "jsonl", "-q"].map(str::to_owned);
    let score = (0..repeat)
        .map(|_| run(binary, &args, &dir).time)
        .min()
        .unwrap_or_default();
    let out = root.join("report-out");
    let _ = std::fs::remove_dir_all(&out);
    let report_args =
        ["report", "-q", "-o", out.to_str().unwrap_or("report-out")].map(str::to_owned);
    let report = run(binary, &report_args, &dir);
    println!(
        "\nreport on {} compact files ({:.1} MB): {:.3} s vs score {:.3} s = {:.2}x{}",
        corpus.files,
        mb(corpus.bytes),
        report.time.as_secs_f64(),
        score.as_secs_f64(),
        report.time.as_secs_f64() / score.as_secs_f64(),
        if report.ok {
            String::new()
        } else {
            format!(" (NOTE: report failed: {})", report.stderr)
        }
    );
}
