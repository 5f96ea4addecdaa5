//! A fuzzer on stable Rust for capgap's inputs: the questionnaire loader, the model
//! loader, the region loader, and (less often) the whole pipeline through the real
//! binary (`validate`, `score --format csv`, `plan --format csv`, `report`) on
//! questionnaires that the loader accepted.
//!
//! Run: `cargo bench --bench fuzz -- --execs 10000000 --jobs 2` (stops at whichever
//! of `--execs N` and `--seconds S` comes first). Other options: `--seed X`,
//! `--crashes DIR` (default `target/fuzz-crashes`), `--pipeline-every N` (executions
//! per worker between two runs of the binary, default 50000), `--slow-ms MS` (an
//! input slower than this twice is saved, default 1000), `--hang-seconds S` (a
//! worker stuck this long on one input is reported as a hang, default 20; six times
//! that for a run of the binary).
//!
//! Seeds come from the repository (the model, the mini model, the region groups, the
//! examples and every test fixture) and from the generators in `support/synth.rs`
//! (compact and assessor-style questionnaires, the latter filled in from
//! `capgap template`). Each execution takes an input from the corpus and applies one
//! to eight mutations: byte-level (flip, set, insert or delete bytes, splice from
//! another input) and structure-aware (delete, duplicate, swap or re-indent a line,
//! replace a key or a value with a token from a dictionary of YAML syntax, field
//! names, the model's ids and hostile values, CRLF, a BOM, a second document). An
//! input is kept in the corpus when it produces a set of diagnostics not seen before
//! (the only feedback available without coverage instrumentation).
//!
//! Every panic is caught (`catch_unwind`), deduplicated by its location, and saved
//! with its input and backtrace to the crashes folder. Findings that are not crashes
//! are counted and saved too: a diagnostic whose line lies outside the file,
//! messages in library or Rust wording (`Option<`, `deserialize`, ...), and (on one
//! questionnaire in 16) broken relations between loads: a file that loads must pass
//! `parse_only`, `--strict` changes severities only, CRLF line ends or a byte-order
//! mark change no diagnostic or position, a `---` line in front moves every position
//! one line down and changes nothing else. The last line
//! printed is the summary to quote: executions, time, executions/s, crashes, hangs,
//! slow inputs, findings. The process exits 0 whatever it finds: it reports.

#[path = "support/synth.rs"]
#[allow(dead_code)]
mod synth;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use capgap::model::Model;
use synth::Rng;

/// Inputs are never grown beyond this (the loader refuses 8 MiB anyway).
const MAX_INPUT: usize = 512 * 1024;
/// At most this many inputs are added to a worker's corpus by feedback.
const MAX_KEPT: usize = 3000;
/// Library and Rust wording that must not reach a user.
const LIBRARY_WORDING: &[&str] = &[
    "Option<",
    "Vec<",
    "String>",
    "serde",
    "deserializ",
    "saphyr",
    "libyaml",
    "from_str",
    "ignore_binary",
    "invalid type:",
    "struct ",
    "enum ",
    "unwrap",
    "panicked",
];

#[derive(Clone)]
struct Options {
    execs: u64,
    seconds: u64,
    jobs: usize,
    seed: u64,
    crashes: PathBuf,
    pipeline_every: u64,
    slow: Duration,
    hang: Duration,
}

impl Options {
    fn parse() -> Options {
        let args: Vec<String> = std::env::args().collect();
        let value = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        let number = |name: &str, default: u64| {
            value(name).map_or(default, |v| {
                v.replace('_', "").parse().unwrap_or_else(|_| {
                    eprintln!("fuzz: {name} wants a whole number, not `{v}`");
                    std::process::exit(2)
                })
            })
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
        Options {
            execs: number("--execs", 1_000_000),
            seconds: number("--seconds", u64::MAX),
            jobs: number("--jobs", cores).clamp(1, 64) as usize,
            seed: number("--seed", 0x5eed),
            crashes: value("--crashes").map_or_else(
                || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes"),
                PathBuf::from,
            ),
            pipeline_every: number("--pipeline-every", 50_000).max(1),
            slow: Duration::from_millis(number("--slow-ms", 1000)),
            hang: Duration::from_secs(number("--hang-seconds", 20)),
        }
    }
}

/// Which part of capgap an input is fed to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Target {
    Questionnaire,
    Model,
    Regions,
    Pipeline,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Questionnaire => "questionnaire",
            Target::Model => "model",
            Target::Regions => "regions",
            Target::Pipeline => "pipeline",
        }
    }
}

/// Everything the workers share.
struct Shared {
    options: Options,
    model: Model,
    /// Whole questionnaires (the examples, fixtures, generated files).
    questionnaires: Vec<Vec<u8>>,
    /// Small questionnaires cut from those: the header and a few answers. Most
    /// executions start from one of these, since a short input runs many times faster.
    fragments: Vec<Vec<u8>>,
    models: Vec<Vec<u8>>,
    regions: Vec<Vec<u8>>,
    dictionary: Vec<Vec<u8>>,
    keys: Vec<Vec<u8>>,
    binary: PathBuf,
    started: Instant,
    execs: AtomicU64,
    pipeline_runs: AtomicU64,
    stop: AtomicBool,
    /// Crash locations already saved, slow and hung inputs, findings by kind.
    crashes: Mutex<BTreeMap<String, (Target, u64)>>,
    slow: AtomicU64,
    hangs: Mutex<Vec<String>>,
    findings: Mutex<BTreeMap<String, u64>>,
}

/// What a worker is running now, for the hang watchdog.
struct Current {
    started: Instant,
    target: Target,
    input: Vec<u8>,
    /// Running an input now (a finished or idle worker is not hung).
    busy: bool,
    reported: bool,
}

thread_local! {
    /// The message, location and backtrace of the last panic on this thread.
    static PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
    /// Inside a target: a panic there is a finding; elsewhere it is the harness's own.
    static IN_TARGET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn main() {
    let options = Options::parse();
    std::fs::create_dir_all(&options.crashes).unwrap_or_else(|e| {
        eprintln!("fuzz: cannot create {}: {e}", options.crashes.display());
        std::process::exit(2)
    });
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map_or_else(
            || "unknown".to_owned(),
            |l| format!("{}:{}", l.file(), l.line()),
        );
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture();
        if !IN_TARGET.with(std::cell::Cell::get) {
            eprintln!("fuzz: the harness itself panicked at {location}: {message}");
        }
        PANIC.with(|p| {
            *p.borrow_mut() = Some((location, format!("{message}\n\n{backtrace}")));
        });
    }));

    let shared = Arc::new(seeds(options.clone()));
    eprintln!(
        "fuzz: {} questionnaire, {} model and {} region seeds; {} jobs; up to {} executions{}; crashes to {}",
        shared.questionnaires.len() + shared.fragments.len(),
        shared.models.len(),
        shared.regions.len(),
        options.jobs,
        options.execs,
        if options.seconds == u64::MAX {
            String::new()
        } else {
            format!(" or {} s", options.seconds)
        },
        options.crashes.display()
    );

    let currents: Vec<Arc<Mutex<Current>>> = (0..options.jobs)
        .map(|_| {
            Arc::new(Mutex::new(Current {
                started: Instant::now(),
                target: Target::Questionnaire,
                input: Vec::new(),
                busy: false,
                reported: true,
            }))
        })
        .collect();
    let workers: Vec<_> = currents
        .iter()
        .enumerate()
        .map(|(job, current)| {
            let shared = Arc::clone(&shared);
            let current = Arc::clone(current);
            std::thread::Builder::new()
                .name(format!("fuzz-{job}"))
                .stack_size(64 << 20)
                .spawn(move || worker(&shared, &current, job as u64))
                .expect("a worker thread")
        })
        .collect();

    // Progress, deadlines and the hang watchdog.
    let mut last_print = Instant::now();
    while !workers.iter().all(|w| w.is_finished()) {
        std::thread::sleep(Duration::from_millis(200));
        let elapsed = shared.started.elapsed();
        if elapsed.as_secs() >= options.seconds {
            shared.stop.store(true, Ordering::Relaxed);
        }
        let mut hung = 0;
        for current in &currents {
            let mut current = current.lock().unwrap_or_else(|e| e.into_inner());
            // Eight questionnaires through four commands may take a while on a busy machine.
            let limit = if current.target == Target::Pipeline {
                options.hang * 6
            } else {
                options.hang
            };
            if current.busy && current.started.elapsed() > limit {
                hung += 1;
                if !current.reported {
                    current.reported = true;
                    let name = save(
                        &options.crashes,
                        &format!("hang-{}", current.target.name()),
                        &current.input,
                        &format!("no result after {} s on this input", options.hang.as_secs()),
                    );
                    eprintln!("fuzz: HANG ({}) saved as {name}", current.target.name());
                    shared.hangs.lock().expect("hangs").push(name);
                }
            }
        }
        // A hung worker never comes back: stop the others and report.
        if hung > 0 && hung + workers.iter().filter(|w| w.is_finished()).count() >= workers.len() {
            break;
        }
        if last_print.elapsed() >= Duration::from_secs(30) {
            last_print = Instant::now();
            let execs = shared.execs.load(Ordering::Relaxed);
            eprintln!(
                "fuzz: {execs} executions, {:.0}/s, {} crashes, {} findings",
                execs as f64 / elapsed.as_secs_f64(),
                shared.crashes.lock().expect("crashes").len(),
                shared.findings.lock().expect("findings").len()
            );
        }
    }
    shared.stop.store(true, Ordering::Relaxed);
    let finished: Vec<_> = workers.into_iter().filter(|w| w.is_finished()).collect();
    let lost = finished
        .into_iter()
        .map(|w| w.join())
        .filter(Result::is_err)
        .count();
    if lost > 0 {
        println!(
            "fuzz: {lost} worker(s) stopped early on a panic in the harness itself (see above)"
        );
    }
    summary(&shared);
}

fn summary(shared: &Shared) {
    let elapsed = shared.started.elapsed().as_secs_f64();
    let execs = shared.execs.load(Ordering::Relaxed);
    let crashes = shared.crashes.lock().expect("crashes");
    let findings = shared.findings.lock().expect("findings");
    let hangs = shared.hangs.lock().expect("hangs");
    for (location, (target, count)) in crashes.iter() {
        println!("crash: {} at {location} ({count} inputs)", target.name());
    }
    for (kind, count) in findings.iter() {
        println!("finding: {kind} ({count} inputs)");
    }
    for hang in hangs.iter() {
        println!("hang: {hang}");
    }
    println!(
        "fuzz: {execs} executions in {elapsed:.0} s ({:.0}/s, {} jobs, {} pipeline runs of the binary): {} crashes, {} hangs, {} slow inputs, {} kinds of finding; saved in {}",
        execs as f64 / elapsed.max(1e-9),
        shared.options.jobs,
        shared.pipeline_runs.load(Ordering::Relaxed),
        crashes.len(),
        hangs.len(),
        shared.slow.load(Ordering::Relaxed),
        findings.len(),
        shared.options.crashes.display()
    );
}

/// Reads the seeds from the repository and the generators.
fn seeds(options: Options) -> Shared {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_capgap"));
    let model = capgap::load::load_model(
        "<built-in>",
        capgap::load::DEFAULT_MODEL.as_bytes().to_vec(),
    )
    .expect("the built-in model is valid");
    let mut questionnaires = Vec::new();
    let mut models = Vec::new();
    let mut regions = vec![capgap::load::DEFAULT_REGIONS.as_bytes().to_vec()];
    for folder in ["questionnaires", "tests"] {
        for entry in walkdir::WalkDir::new(repo.join(folder))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
                continue;
            }
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            let top_level = |key: &[u8]| bytes.split(|&b| b == b'\n').any(|l| l.starts_with(key));
            if top_level(b"domains:") {
                models.extend(trimmed_models(&bytes));
                models.push(bytes);
            } else if top_level(b"groups:") {
                regions.push(bytes);
            } else {
                questionnaires.push(bytes);
            }
        }
    }
    let mut rng = Rng::new(options.seed);
    for i in 0..24 {
        let text = synth::compact(&model, &mut rng, &synth::Compact::default(), i);
        questionnaires.push(text.into_bytes());
    }
    if let Ok(templates) = synth::templates(&binary, &model) {
        for (i, template) in templates.iter().enumerate() {
            questionnaires.push(template.text.clone().into_bytes());
            let text = synth::realistic(&mut rng, template, &synth::Realistic::default(), i, i % 2);
            questionnaires.push(text);
        }
    }

    let mut fragments = Vec::new();
    for seed in &questionnaires {
        for _ in 0..24 {
            fragments.push(fragment(&mut rng, seed));
        }
    }

    let mut dictionary: Vec<Vec<u8>> = DICTIONARY.iter().map(|s| s.as_bytes().to_vec()).collect();
    let mut keys: Vec<Vec<u8>> = KEYS.iter().map(|s| s.as_bytes().to_vec()).collect();
    for (_, practice) in model.practices() {
        keys.push(practice.id.clone().into_bytes());
    }
    for id in model
        .domains
        .iter()
        .map(|d| &d.id)
        .chain(model.interventions.iter().map(|i| &i.id))
        .chain(model.sectors.iter().map(|s| &s.id))
        .chain(model.responses.iter().map(|r| &r.id))
    {
        dictionary.push(id.clone().into_bytes());
        keys.push(id.clone().into_bytes());
    }
    Shared {
        options,
        model,
        questionnaires,
        fragments,
        models,
        regions,
        dictionary,
        keys,
        binary,
        started: Instant::now(),
        execs: AtomicU64::new(0),
        pipeline_runs: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        crashes: Mutex::new(BTreeMap::new()),
        slow: AtomicU64::new(0),
        hangs: Mutex::new(Vec::new()),
        findings: Mutex::new(BTreeMap::new()),
    }
}

/// YAML syntax, scalars of every type and hostile values.
const DICTIONARY: &[&str] = &[
    "",
    "~",
    "null",
    "na",
    "fully",
    "Fully",
    "FULLY",
    "yes",
    "no",
    "true",
    "off",
    "0",
    "1",
    "-1",
    "1.5",
    "1e308",
    "-1e308",
    "1e-320",
    ".nan",
    ".inf",
    "-.inf",
    "0x1F",
    "0o17",
    "0777",
    "+12",
    "99999999999999999999999999",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "2026-1-1",
    "9999-12-31",
    "2026-09-14T10:00:00Z",
    "[]",
    "{}",
    "[a, b]",
    "[[[[[[[[",
    "{ response: fully }",
    "{ response: na, note: x }",
    "{ response: fully, evidence: [a, b], note: \"n\" }",
    "|",
    "|-\n    text\n",
    ">\n  folded\n",
    "|2\n",
    "'quoted ''x'''",
    "'",
    "\"",
    "\"\\u0000\"",
    "\"\\x1b[31m\"",
    "\"\\a\\b\\v\"",
    "\"\\uD800\"",
    "\"\\U0001F600\"",
    "\"\\N\\_\\L\\P\"",
    "&a x",
    "*a",
    "&a [1, 2]",
    "!!str x",
    "!!int 3",
    "!!binary aGk=",
    "!custom x",
    "!<tag:x> y",
    "<<: *a",
    "? complex\n: value",
    "- item",
    "# comment",
    " #",
    "KH",
    "kh",
    "XX",
    "EU",
    "NO",
    "red",
    "amber+strict",
    "AMBER",
    "clear",
    "cicmm@1.0.0",
    "cicmm@2.0.0",
    "cicmm@1",
    "cicmm@x",
    "other@1.0.0",
    "@",
    "Ünïcødé 電力 ☃",
    "\u{202e}rtl",
    "\u{feff}",
    "\u{0}",
    "\u{7}",
    "\r",
    "\t",
    "=cmd|' /C calc'!A0",
    "+SUM(1)",
    "-2+3",
    "@SUM(1)",
    "<script>alert(1)</script>",
    "{{name}}",
    "../../etc/passwd",
    "/dev/zero",
    "CON",
    "a/b",
    "ASSET-1",
    "ASSET-1A",
    "ASSET-99z",
    "asset-1a",
    "%YAML 1.1",
    "---",
    "...",
    "\n---\n",
    "\n...\n",
    ": ",
    " : ",
    ":",
    "-",
    "- - -",
    "%TAG ! tag:x:",
    "0.0",
    "-0",
    "1_000",
];

/// Field names of questionnaires, models and region files, and near misses.
const KEYS: &[&str] = &[
    "model",
    "country",
    "sector",
    "operator",
    "operator_id",
    "assessed_on",
    "assessor",
    "tlp",
    "weight",
    "targets",
    "answers",
    "response",
    "evidence",
    "note",
    "workforce",
    "staff",
    "needed",
    "in_training",
    "id",
    "version",
    "title",
    "levels",
    "level",
    "name",
    "description",
    "responses",
    "credit",
    "achieves",
    "sectors",
    "domains",
    "practices",
    "question",
    "guidance",
    "refs",
    "interventions",
    "kind",
    "cost_usd",
    "roles",
    "training",
    "seats",
    "default",
    "groups",
    "countries",
    "en",
    "fr",
    "ja",
    "Model",
    "answer",
    "operatorid",
    "assesed_on",
    "respons",
    "notes",
    "?",
    "<<",
    "\"answers\"",
    "'country'",
];

fn worker(shared: &Shared, current: &Mutex<Current>, job: u64) {
    let mut rng = Rng::new(shared.options.seed ^ (job + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut kept: Vec<Vec<u8>> = Vec::new();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut accepted: Vec<Vec<u8>> = Vec::new();
    let mut since_pipeline = 0u64;
    let per_worker = shared.options.execs.div_ceil(shared.options.jobs as u64);
    let mut done = 0u64;
    let scratch = tempfile::tempdir().expect("a temp dir");
    while done < per_worker && !shared.stop.load(Ordering::Relaxed) {
        done += 1;
        since_pipeline += 1;
        if since_pipeline >= shared.options.pipeline_every && !accepted.is_empty() {
            since_pipeline = 0;
            pipeline(shared, current, scratch.path(), &accepted, &mut rng);
            shared.pipeline_runs.fetch_add(1, Ordering::Relaxed);
            shared.execs.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        // Whole questionnaires 0.5%, small ones 89.5%, models 8%, region files 2%.
        let draw = rng.next() % 1000;
        let (target, pool) = match draw {
            0..=4 => (Target::Questionnaire, &shared.questionnaires),
            5..=899 => (Target::Questionnaire, &shared.fragments),
            900..=979 => (Target::Model, &shared.models),
            _ => (Target::Regions, &shared.regions),
        };
        // Feedback inputs are questionnaires; mix them with the seeds.
        let base = if target == Target::Questionnaire
            && !kept.is_empty()
            && rng.next().is_multiple_of(2)
        {
            &kept[(rng.next() % kept.len() as u64) as usize]
        } else {
            pick(&mut rng, pool)
        };
        // Large models cost a hundred small inputs: mutate them far less often.
        if target == Target::Model && base.len() > 20_000 && !rng.next().is_multiple_of(16) {
            done -= 1;
            continue;
        }
        let mut input = base.clone();
        let rounds = 1 + rng.next() % 8;
        for _ in 0..rounds {
            mutate(&mut rng, &mut input, shared, pool);
        }
        input.truncate(MAX_INPUT);
        {
            let mut c = current.lock().unwrap_or_else(|e| e.into_inner());
            c.started = Instant::now();
            c.target = target;
            c.input.clear();
            c.input.extend_from_slice(&input);
            c.busy = true;
            c.reported = false;
        }
        IN_TARGET.with(|t| t.set(true));
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            execute(shared, target, &input, &mut rng)
        }));
        let elapsed = started.elapsed();
        shared.execs.fetch_add(1, Ordering::Relaxed);
        match outcome {
            Ok(result) => {
                // On a busy machine a thread can wait a second for a core: an input
                // counts as slow only when it is slow a second time.
                let again = (elapsed > shared.options.slow).then(|| {
                    let started = Instant::now();
                    let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        execute(shared, target, &input, &mut rng)
                    }));
                    started.elapsed()
                });
                IN_TARGET.with(|t| t.set(false));
                current.lock().unwrap_or_else(|e| e.into_inner()).busy = false;
                if let Some(again) = again.filter(|t| *t > shared.options.slow) {
                    shared.slow.fetch_add(1, Ordering::Relaxed);
                    save(
                        &shared.options.crashes,
                        &format!("slow-{}", target.name()),
                        &input,
                        &format!(
                            "took {} ms, then {} ms",
                            elapsed.as_millis(),
                            again.as_millis()
                        ),
                    );
                }
                for finding in &result.findings {
                    record_finding(shared, finding, &input);
                }
                if seen.insert(result.signature)
                    && target == Target::Questionnaire
                    && input.len() <= 8192
                {
                    if kept.len() < MAX_KEPT {
                        kept.push(input.clone());
                    } else {
                        let at = (rng.next() % MAX_KEPT as u64) as usize;
                        kept[at] = input.clone();
                    }
                }
                if result.accepted && target == Target::Questionnaire {
                    if accepted.len() < 40 {
                        accepted.push(input);
                    } else {
                        let at = (rng.next() % 40) as usize;
                        accepted[at] = input;
                    }
                }
            }
            Err(_) => {
                IN_TARGET.with(|t| t.set(false));
                current.lock().unwrap_or_else(|e| e.into_inner()).busy = false;
                let (location, detail) = PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| ("unknown".to_owned(), String::new()));
                record_crash(shared, target, &location, &detail, &input);
            }
        }
    }
    current.lock().unwrap_or_else(|e| e.into_inner()).busy = false;
}

fn pick<'a>(rng: &mut Rng, pool: &'a [Vec<u8>]) -> &'a Vec<u8> {
    &pool[(rng.next() % pool.len() as u64) as usize]
}

/// What one execution found.
struct Outcome {
    /// A hash of the diagnostics' kinds: new ones keep the input in the corpus.
    signature: u64,
    /// The input loaded as a valid questionnaire.
    accepted: bool,
    findings: Vec<String>,
}

fn execute(shared: &Shared, target: Target, input: &[u8], rng: &mut Rng) -> Outcome {
    let mut findings = Vec::new();
    let mut signature = std::collections::hash_map::DefaultHasher::new();
    let mut accepted = false;
    // YAML breaks lines at LF, CRLF and a lone CR.
    let count_lines = |bytes: &[u8]| {
        let breaks = bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
            .count();
        breaks as u64 + 1
    };
    let mut check =
        |diagnostics: &[capgap::diag::Diagnostic], lines: u64, findings: &mut Vec<String>| {
            for d in diagnostics {
                // Rendering is part of what users get: it must not panic either.
                let _ = d.render(false);
                let _ = d.to_string();
                shape(&d.message).hash(&mut signature);
                d.severity.to_string().hash(&mut signature);
                if d.line > lines {
                    findings.push(format!(
                        "{}: diagnostic beyond the last line: {}",
                        target.name(),
                        shape(&d.message)
                    ));
                }
                // What the user wrote is quoted in messages: only the rest is checked.
                let text = unquoted(&format!(
                    "{} {}",
                    d.message,
                    d.help.as_deref().unwrap_or("")
                ));
                if let Some(word) = LIBRARY_WORDING.iter().find(|w| text.contains(*w)) {
                    findings.push(format!(
                        "{}: library wording `{word}`: {}",
                        target.name(),
                        shape(&text)
                    ));
                }
            }
        };
    match target {
        Target::Questionnaire => {
            let strict = rng.next().is_multiple_of(8);
            let loaded = capgap::load::load_questionnaire(
                &shared.model,
                "fuzz.yaml",
                input.to_vec(),
                strict,
            );
            check(&loaded.diagnostics, count_lines(input), &mut findings);
            if let Some(questionnaire) = &loaded.questionnaire {
                accepted = true;
                let _ = capgap::score::score(&shared.model, questionnaire);
            }
            if rng.next().is_multiple_of(16) {
                findings.extend(metamorphic(shared, input, strict, &loaded));
            }
        }
        Target::Model => {
            match capgap::load::load_model("fuzz-model.yaml", input.to_vec()) {
                Ok(model) => {
                    // A model that loads must be usable: score a questionnaire under it.
                    let seed = pick(rng, &shared.fragments);
                    let loaded =
                        capgap::load::load_questionnaire(&model, "q.yaml", seed.clone(), false);
                    check(&loaded.diagnostics, count_lines(seed), &mut findings);
                    if let Some(questionnaire) = &loaded.questionnaire {
                        let _ = capgap::score::score(&model, questionnaire);
                    }
                }
                Err(diagnostics) => check(&diagnostics, count_lines(input), &mut findings),
            }
        }
        Target::Regions => {
            let text = String::from_utf8_lossy(input);
            if let Err(diagnostics) = capgap::load::load_regions("fuzz-regions.yaml", &text) {
                check(&diagnostics, count_lines(input), &mut findings);
            }
        }
        Target::Pipeline => unreachable!("the pipeline runs the binary"),
    }
    Outcome {
        signature: signature.finish(),
        accepted,
        findings,
    }
}

/// Properties that relate one load to others (findings, not crashes): a file that
/// loads also parses (`parse_only`); `--strict` changes severities only; the same file
/// with CRLF line ends, or with a byte-order mark, gets the same diagnostics at the
/// same positions.
fn metamorphic(
    shared: &Shared,
    input: &[u8],
    strict: bool,
    loaded: &capgap::load::Loaded,
) -> Vec<String> {
    let mut findings = Vec::new();
    let load = |bytes: Vec<u8>, strict: bool| {
        capgap::load::load_questionnaire(&shared.model, "fuzz.yaml", bytes, strict)
    };
    let key = |l: &capgap::load::Loaded| {
        let mut key: Vec<(u64, u64, String)> = l
            .diagnostics
            .iter()
            // Numbers blanked: a byte offset in a message moves with a BOM or CRLF.
            .map(|d| (d.line, d.col, shape(&d.message)))
            .collect();
        key.sort();
        key
    };
    let first_difference = |a: &capgap::load::Loaded, b: &capgap::load::Loaded| {
        let (a, b) = (key(a), key(b));
        a.iter()
            .zip(b.iter())
            .find(|(x, y)| x != y)
            .map(|(x, _)| shape(&x.2))
            .or_else(|| a.get(b.len()).or(b.get(a.len())).map(|x| shape(&x.2)))
            .unwrap_or_default()
    };
    if loaded.questionnaire.is_some() && !capgap::load::parse_only("fuzz.yaml", input.to_vec()) {
        findings.push("questionnaire: loads, yet parse_only says it does not parse".to_owned());
    }
    let other = load(input.to_vec(), !strict);
    if key(&other) != key(loaded) {
        findings.push(format!(
            "questionnaire: --strict changes the diagnostics, not only their severity: {}",
            first_difference(loaded, &other)
        ));
    }
    let plain = !input.contains(&b'\r') && !input.starts_with("\u{feff}".as_bytes());
    if plain && std::str::from_utf8(input).is_ok() {
        let mut crlf = Vec::with_capacity(input.len() + input.len() / 16);
        for &b in input {
            if b == b'\n' {
                crlf.push(b'\r');
            }
            crlf.push(b);
        }
        let with_crlf = load(crlf, strict);
        if key(&with_crlf) != key(loaded)
            || with_crlf.questionnaire.is_some() != loaded.questionnaire.is_some()
        {
            findings.push(format!(
                "questionnaire: CRLF line ends change the diagnostics: {}",
                first_difference(loaded, &with_crlf)
            ));
        }
        // A `---` line in front moves every position one line down, and changes nothing else.
        // Only for a single document with content: another `---`, `...` or a directive
        // would make the marker start a second document, and an empty file stays empty.
        let lines = || input.split(|&b| b == b'\n');
        let single =
            !lines().any(|l| l.starts_with(b"---") || l.starts_with(b"...") || l.starts_with(b"%"));
        let content = lines().any(|l| {
            let l = l.trim_ascii();
            !l.is_empty() && !l.starts_with(b"#")
        });
        if single && content {
            let mut marked = b"---\n".to_vec();
            marked.extend_from_slice(input);
            let with_marker = load(marked, strict);
            let moved: Vec<(u64, u64, String)> = key(&with_marker)
                .into_iter()
                .map(|(line, col, message)| (line.saturating_sub(1), col, message))
                .collect();
            if moved != key(loaded)
                || with_marker.questionnaire.is_some() != loaded.questionnaire.is_some()
            {
                findings.push(format!(
                    "questionnaire: a `---` line in front changes the diagnostics: {}",
                    first_difference(loaded, &with_marker)
                ));
            }
        }
        let mut bom = "\u{feff}".as_bytes().to_vec();
        bom.extend_from_slice(input);
        let with_bom = load(bom, strict);
        if key(&with_bom) != key(loaded)
            || with_bom.questionnaire.is_some() != loaded.questionnaire.is_some()
        {
            findings.push(format!(
                "questionnaire: a byte-order mark changes the diagnostics: {}",
                first_difference(loaded, &with_bom)
            ));
        }
    }
    findings
}

/// A message without its backtick-quoted parts.
fn unquoted(message: &str) -> String {
    message
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join("`…`")
}

/// A message with quoted parts and numbers blanked, so that findings and corpus
/// feedback count kinds of message, not instances.
fn shape(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(120));
    let mut quoted = None;
    for c in message.chars() {
        match quoted {
            Some(end) if c == end => {
                quoted = None;
                out.push(c);
            }
            Some(_) => {}
            None if c == '`' || c == '"' || c == '\'' => {
                quoted = Some(c);
                out.push(c);
                out.push('…');
            }
            None if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            None => out.push(c),
        }
        if out.len() > 120 {
            break;
        }
    }
    out
}

/// Runs the binary over up to eight questionnaires that the loader accepted: score,
/// plan and a full report, checking that it never panics or dies of a signal.
fn pipeline(
    shared: &Shared,
    current: &Mutex<Current>,
    scratch: &Path,
    accepted: &[Vec<u8>],
    rng: &mut Rng,
) {
    let input = scratch.join("in");
    let _ = std::fs::remove_dir_all(&input);
    let _ = std::fs::remove_dir_all(scratch.join("out"));
    if std::fs::create_dir_all(&input).is_err() {
        return;
    }
    let mut bundle = Vec::new();
    for i in 0..8.min(accepted.len()) {
        let file = pick(rng, accepted);
        let _ = std::fs::write(input.join(format!("q{i}.yaml")), file);
        bundle.extend_from_slice(format!("# ---- q{i}.yaml ----\n").as_bytes());
        bundle.extend_from_slice(file);
        bundle.push(b'\n');
    }
    {
        let mut c = current.lock().unwrap_or_else(|e| e.into_inner());
        c.started = Instant::now();
        c.target = Target::Pipeline;
        c.input.clone_from(&bundle);
        c.busy = true;
        c.reported = false;
    }
    let out = scratch.join("out");
    // Options that change what the pipeline does, one set per run.
    let variants: [&[&str]; 5] = [
        &[],
        &["--strict"],
        &["--jobs", "1"],
        &["--lang", "fr"],
        &["--tlp-max", "amber"],
    ];
    let variant = variants[(rng.next() % variants.len() as u64) as usize];
    let report_variant: &[&str] =
        if variant.starts_with(&["--lang"]) || variant.starts_with(&["--tlp-max"]) {
            variant
        } else {
            &[]
        };
    let global: &[&str] = if report_variant.is_empty() {
        variant
    } else {
        &[]
    };
    let runs: [Vec<&str>; 4] = [
        vec!["validate"],
        vec!["score", "--format", "csv"],
        vec!["plan", "--format", "csv", "--budget", "250000"],
        [
            &["report", "-o", out.to_str().unwrap_or("out")],
            report_variant,
        ]
        .concat(),
    ];
    for args in runs {
        let output = Command::new(&shared.binary)
            .arg("-q")
            .args(global)
            .args(&args)
            .arg(&input)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        let Ok(output) = output else {
            continue;
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        let died = output.status.code().is_none_or(|code| code == 101);
        if died || stderr.contains("panicked") {
            let location = stderr
                .lines()
                .find(|l| l.contains("panicked at"))
                .map_or_else(
                    || format!("capgap {} ({})", args[0], output.status),
                    str::to_owned,
                );
            record_crash(shared, Target::Pipeline, &location, &stderr, &bundle);
        } else if output.status.code() == Some(2) {
            // Valid questionnaires, yet the command could not run: worth a look.
            let first = stderr.lines().next().unwrap_or_default();
            let finding = format!("pipeline: capgap {} exited 2: {}", args[0], shape(first));
            record_finding(shared, &finding, &bundle);
        }
    }
    current.lock().unwrap_or_else(|e| e.into_inner()).busy = false;
}

fn record_crash(shared: &Shared, target: Target, location: &str, detail: &str, input: &[u8]) {
    let mut crashes = shared.crashes.lock().unwrap_or_else(|e| e.into_inner());
    let entry = crashes.entry(location.to_owned()).or_insert((target, 0));
    entry.1 += 1;
    if entry.1 == 1 {
        let name = save(
            &shared.options.crashes,
            &format!("crash-{}", target.name()),
            input,
            &format!("{location}\n{detail}"),
        );
        eprintln!(
            "fuzz: CRASH in {} at {location}: saved as {name}",
            target.name()
        );
    }
}

fn record_finding(shared: &Shared, finding: &str, input: &[u8]) {
    let mut findings = shared.findings.lock().unwrap_or_else(|e| e.into_inner());
    let count = findings.entry(finding.to_owned()).or_insert(0);
    *count += 1;
    if *count == 1 && findings.len() <= 200 {
        save(&shared.options.crashes, "finding", input, finding);
    }
}

/// Saves an input and what happened to it; returns the input's file name.
fn save(dir: &Path, kind: &str, input: &[u8], detail: &str) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    input.hash(&mut hasher);
    let name = format!("{kind}-{:016x}.yaml", hasher.finish());
    let _ = std::fs::write(dir.join(&name), input);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), detail);
    name
}

/// Smaller models cut from a large one: every top-level section kept, but only the
/// first one, two or three domains (so a target may name a domain that is gone).
fn trimmed_models(model: &[u8]) -> Vec<Vec<u8>> {
    if model.len() < 20_000 {
        return Vec::new();
    }
    let lines: Vec<&[u8]> = model.split_inclusive(|&b| b == b'\n').collect();
    let Some(domains) = lines.iter().position(|l| l.starts_with(b"domains:")) else {
        return Vec::new();
    };
    let end = lines[domains + 1..]
        .iter()
        .position(|l| l.first().is_some_and(u8::is_ascii_alphabetic))
        .map_or(lines.len(), |p| domains + 1 + p);
    let starts: Vec<usize> = (domains + 1..end)
        .filter(|&i| lines[i].starts_with(b"  - id:"))
        .collect();
    (1..=3)
        .filter(|&keep| keep < starts.len())
        .map(|keep| {
            let mut out = Vec::new();
            for line in lines[..starts[keep]].iter().chain(&lines[end..]) {
                out.extend_from_slice(line);
            }
            out
        })
        .collect()
}

/// A small questionnaire cut from a whole one: its header (comments mostly dropped)
/// and a run of one to eight lines from its answers.
fn fragment(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let lines: Vec<&[u8]> = seed.split_inclusive(|&b| b == b'\n').collect();
    let answers = lines
        .iter()
        .position(|l| l.starts_with(b"answers:"))
        .unwrap_or(lines.len().min(12));
    let mut out = Vec::with_capacity(1024);
    for line in &lines[..answers] {
        if !line.trim_ascii_start().starts_with(b"#") || rng.next().is_multiple_of(8) {
            out.extend_from_slice(line);
        }
    }
    if answers < lines.len() {
        out.extend_from_slice(lines[answers]);
        let body = &lines[answers + 1..];
        if !body.is_empty() {
            let start = (rng.next() % body.len() as u64) as usize;
            let take = (1 + rng.next() % 8) as usize;
            for line in &body[start..(start + take).min(body.len())] {
                out.extend_from_slice(line);
            }
        }
    }
    out
}

// ── mutations ────────────────────────────────────────────────────────────────────

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, shared: &Shared, pool: &[Vec<u8>]) {
    let len = input.len();
    let at = |rng: &mut Rng, len: usize| (rng.next() % (len as u64 + 1)) as usize;
    match rng.next() % 20 {
        // Byte level.
        0 if len > 0 => {
            let i = at(rng, len - 1);
            input[i] ^= 1 << (rng.next() % 8);
        }
        1 if len > 0 => {
            let i = at(rng, len - 1);
            input[i] = INTERESTING_BYTES[(rng.next() % INTERESTING_BYTES.len() as u64) as usize];
        }
        2 => {
            let i = at(rng, len);
            let byte = INTERESTING_BYTES[(rng.next() % INTERESTING_BYTES.len() as u64) as usize];
            input.insert(i, byte);
        }
        3 if len > 0 => {
            let i = at(rng, len - 1);
            let n = (1 + rng.next() % 64) as usize;
            input.drain(i..(i + n).min(len));
        }
        4 if len > 0 => {
            let i = at(rng, len - 1);
            let n = (1 + rng.next() % 256) as usize;
            let piece = input[i..(i + n).min(len)].to_vec();
            let j = at(rng, len);
            input.splice(j..j, piece);
        }
        5 => {
            // Splice from another input of the same kind, at line starts.
            let other = pick(rng, pool);
            let (a, b) = (
                line_start(input, at(rng, len)),
                line_start(other, at(rng, other.len())),
            );
            input.truncate(a);
            input.extend_from_slice(&other[b..]);
        }
        6 => {
            let token = pick(rng, &shared.dictionary).clone();
            let i = at(rng, len);
            input.splice(i..i, token);
        }
        // Line level.
        7..=9 => {
            let token = pick(rng, &shared.dictionary).clone();
            replace_value(rng, input, &token);
        }
        10 | 11 => {
            let key = pick(rng, &shared.keys).clone();
            replace_key(rng, input, &key);
        }
        12 => {
            let (s, e) = random_line(rng, input);
            input.drain(s..e);
        }
        13 => {
            let (s, e) = random_line(rng, input);
            let line = input[s..e].to_vec();
            let j = line_start(input, at(rng, input.len()));
            input.splice(j..j, line);
        }
        14 => {
            let (s, e) = random_line(rng, input);
            let prefix: &[u8] = match rng.next() % 6 {
                0 => b"\t",
                1 => b" ",
                2 => b"  ",
                3 => b"        ",
                4 => b"- ",
                _ => b"#",
            };
            if rng.next().is_multiple_of(3) && e > s && input[s] == b' ' {
                input.remove(s);
            } else {
                input.splice(s..s, prefix.iter().copied());
            }
        }
        15 => {
            // A new line: key, value, at some indentation.
            let key = pick(rng, &shared.keys).clone();
            let value = pick(rng, &shared.dictionary).clone();
            let indent = (rng.next() % 4 * 2) as usize;
            let mut line = vec![b' '; indent];
            line.extend_from_slice(&key);
            line.extend_from_slice(b": ");
            line.extend_from_slice(&value);
            line.push(b'\n');
            let j = line_start(input, at(rng, len));
            input.splice(j..j, line);
        }
        // Whole file.
        16 => {
            let mut out = Vec::with_capacity(len + len / 16);
            for &b in input.iter() {
                if b == b'\n' {
                    out.push(b'\r');
                }
                out.push(b);
            }
            *input = out;
        }
        17 => {
            let prefix: &[u8] = match rng.next() % 4 {
                0 => "\u{feff}".as_bytes(),
                1 => b"---\n",
                2 => b"%YAML 1.2\n---\n",
                _ => b"\xff\xfe",
            };
            input.splice(0..0, prefix.iter().copied());
        }
        18 => {
            let cut = at(rng, len);
            input.truncate(cut);
        }
        _ => {
            let suffix: &[u8] = match rng.next() % 4 {
                0 => b"\n---\nmodel: x\n",
                1 => b"\n...\n",
                2 => b"\nanswers:\n  ASSET-1a: fully\n",
                _ => b"\n  extra: [",
            };
            input.extend_from_slice(suffix);
        }
    }
}

const INTERESTING_BYTES: &[u8] = &[
    0, 7, 9, 10, 13, 27, b' ', b':', b'-', b'#', b'\'', b'"', b'[', b']', b'{', b'}', b',', b'&',
    b'*', b'!', b'|', b'>', b'%', b'@', b'`', b'?', b'\\', 0x7f, 0x80, 0xc3, 0xe2, 0xef, 0xf0,
    0xff,
];

/// The start of the line that holds byte `i`.
fn line_start(bytes: &[u8], i: usize) -> usize {
    let i = i.min(bytes.len());
    bytes[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1)
}

/// A random line's byte range, its newline included.
fn random_line(rng: &mut Rng, bytes: &[u8]) -> (usize, usize) {
    let s = line_start(bytes, (rng.next() % (bytes.len() as u64 + 1)) as usize);
    let e = bytes[s..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| s + p + 1);
    (s, e)
}

/// Replaces the value after `: ` (or after `- `) on a random line.
fn replace_value(rng: &mut Rng, input: &mut Vec<u8>, token: &[u8]) {
    for _ in 0..8 {
        let (s, e) = random_line(rng, input);
        let line = &input[s..e];
        let end = if line.ends_with(b"\r\n") {
            e - 2
        } else if line.ends_with(b"\n") {
            e - 1
        } else {
            e
        };
        let found = line
            .windows(2)
            .position(|w| w == b": " || w == b"- ")
            .map(|p| s + p + 2)
            .or_else(|| line.ends_with(b":\n").then_some(end));
        if let Some(v) = found {
            let mut replacement = Vec::with_capacity(token.len() + 1);
            if v == end && !line.ends_with(b": \n") {
                replacement.push(b' ');
            }
            replacement.extend_from_slice(token);
            input.splice(v..end, replacement);
            return;
        }
    }
}

/// Replaces the key of a random `key:` line, keeping its indentation.
fn replace_key(rng: &mut Rng, input: &mut Vec<u8>, key: &[u8]) {
    for _ in 0..8 {
        let (s, e) = random_line(rng, input);
        let line = &input[s..e];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        if let Some(colon) = line.iter().position(|&b| b == b':')
            && colon > indent
        {
            input.splice(s + indent..s + colon, key.iter().copied());
            return;
        }
    }
}
