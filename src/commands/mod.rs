//! The commands, one file each, and what they share: the loaded model, the batch
//! runner that loads and scores many files in parallel while keeping only scores,
//! diagnostics printing, and writing outputs whole or not at all.

pub mod model;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod schema;
pub mod score;
pub mod template;
pub mod validate;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

use crate::cli::GlobalArgs;
use crate::diag::{Diagnostic, Severity};
use crate::load;
use crate::model::Model;
use crate::questionnaire::{Date, Questionnaire};

/// How a command ended, for the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every input was valid.
    Clean,
    /// Some inputs were invalid; the rest were processed and the outputs written.
    SomeInvalid,
}

/// What every command gets: the model and the global options.
pub struct Context {
    pub model: Model,
    pub global: GlobalArgs,
    /// Whether stderr is a terminal (colours, progress bar).
    pub terminal: bool,
}

impl Context {
    /// Loads the model (`--model` or the built-in one). An invalid model ends the run.
    pub fn new(global: GlobalArgs) -> Result<Context> {
        let terminal = std::io::stderr().is_terminal();
        let (path, bytes) = match &global.model {
            Some(path) => {
                let bytes = std::fs::read(path)
                    .with_context(|| format!("cannot read the model {}", path.display()))?;
                (path.display().to_string(), bytes)
            }
            None => (
                "<built-in model>".to_owned(),
                load::DEFAULT_MODEL.as_bytes().to_vec(),
            ),
        };
        let model = load::load_model(&path, bytes).map_err(|problems| {
            for problem in &problems {
                eprintln!("{}", problem.render(terminal));
            }
            anyhow::anyhow!(
                "the model {path} is invalid ({} problem(s))",
                problems.len()
            )
        })?;
        if let Some(jobs) = global.jobs {
            if jobs == 0 {
                bail!("--jobs must be at least 1");
            }
            // A second call fails only when a pool already exists, which is fine.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build_global();
        }
        Ok(Context {
            model,
            global,
            terminal,
        })
    }

    /// Prints one diagnostic to stderr, with its snippet.
    pub fn print(&self, diagnostic: &Diagnostic) {
        if self.global.quiet && diagnostic.severity == Severity::Warning {
            return;
        }
        eprintln!("{}", diagnostic.render(self.terminal));
    }

    /// A note on stderr, unless `--quiet`.
    pub fn note(&self, message: &str) {
        if !self.global.quiet {
            eprintln!("{message}");
        }
    }
}

/// How many files are loaded in parallel before their results are handed on in
/// order: bounds memory whatever the number of files.
const CHUNK: usize = 512;

/// Streams the input files under `paths` through `process` in parallel, chunk by
/// chunk, and hands each result to `sink` in input order. Paths that cannot be
/// walked or read come first, as results without a value.
pub fn for_each_file<T: Send>(
    context: &Context,
    paths: &[PathBuf],
    process: impl Fn(&Model, &Questionnaire) -> T + Sync,
    mut sink: impl FnMut(BatchItem<T>) + Send,
) {
    let (files, walk_problems) = load::walk::input_files(paths, context.global.follow_links);
    for problem in walk_problems {
        sink(BatchItem {
            path: problem.path.clone(),
            score: None,
            diagnostics: vec![problem],
        });
    }
    let progress = progress_bar(context, files.len());
    // The previous chunk's results are handed on while the next chunk is loaded, so no
    // core waits for the output to be written.
    let mut pending: Option<Vec<BatchItem<T>>> = None;
    for chunk in files.chunks(CHUNK) {
        let (items, ()) = rayon::join(
            || {
                chunk
                    .par_iter()
                    .map(|path| load_one(context, path, &process))
                    .collect::<Vec<_>>()
            },
            || {
                if let Some(done) = pending.take() {
                    done.into_iter().for_each(&mut sink);
                }
            },
        );
        if let Some(bar) = &progress {
            bar.inc(chunk.len() as u64);
        }
        pending = Some(items);
    }
    if let Some(done) = pending {
        done.into_iter().for_each(&mut sink);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
}

fn load_one<T>(
    context: &Context,
    path: &Path,
    process: &impl Fn(&Model, &Questionnaire) -> T,
) -> BatchItem<T> {
    let display = path.display().to_string();
    match std::fs::read(path) {
        Err(err) => BatchItem {
            diagnostics: vec![Diagnostic::file(
                Severity::Error,
                &display,
                format!("cannot read: {err}"),
            )],
            path: display,
            score: None,
        },
        Ok(bytes) => {
            let loaded =
                load::load_questionnaire(&context.model, &display, bytes, context.global.strict);
            BatchItem {
                score: loaded.questionnaire.map(|q| process(&context.model, &q)),
                diagnostics: loaded.diagnostics,
                path: display,
            }
        }
    }
}

/// A file's result with any per-questionnaire value (a score, usually).
pub struct BatchItem<T> {
    pub path: String,
    pub score: Option<T>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> BatchItem<T> {
    pub fn first_error(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    }
}

/// Stops the run (exit 2, nothing written) when `paths` hold no questionnaire and
/// nothing that could not be read: a mistyped folder is a usage problem, not an
/// empty success.
pub fn require_inputs(context: &Context, paths: &[PathBuf]) -> Result<()> {
    let (files, problems) = load::walk::input_files(paths, context.global.follow_links);
    if files.is_empty() && problems.is_empty() {
        let given: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        bail!(
            "no questionnaires in {}: no *.yaml or *.yml files found (hidden files and folders are skipped)",
            given.join(", ")
        );
    }
    Ok(())
}

fn progress_bar(context: &Context, files: usize) -> Option<indicatif::ProgressBar> {
    if !context.terminal || context.global.quiet || files < 200 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} questionnaires {wide_bar} {eta}",
        )
        .expect("a valid template"),
    );
    Some(bar)
}

/// Remembers which file holds each assessment round (country, sector, operator id,
/// date), to report a second questionnaire for the same round (SPEC §5).
#[derive(Default)]
pub struct RoundRegistry {
    seen: std::collections::HashMap<(String, String, String, Date), String>,
}

impl RoundRegistry {
    /// The round's key, for `for_each_file`'s workers.
    pub fn key(questionnaire: &Questionnaire) -> (String, String, String, Date) {
        (
            questionnaire.country.clone(),
            questionnaire.sector.clone(),
            questionnaire.operator_id.clone(),
            questionnaire.assessed_on,
        )
    }

    /// Records `path` for its round; an error naming both files when the round is taken.
    pub fn check(&mut self, key: (String, String, String, Date), path: &str) -> Option<Diagnostic> {
        match self.seen.get(&key) {
            Some(first) => {
                let (country, sector, operator, date) = &key;
                Some(
                    Diagnostic::file(
                        Severity::Error,
                        path,
                        format!(
                            "a second questionnaire for operator `{operator}` ({country}, {sector}) assessed on {date}; the first is {first}"
                        ),
                    )
                    .with_help("each operator has one questionnaire per assessment date: remove one, or correct its date or operator_id"),
                )
            }
            None => {
                self.seen.insert(key, path.to_owned());
                None
            }
        }
    }
}

/// Counts what a batch did, prints errors as they come (warnings are counted, not
/// shown: `validate` shows them), and ends with a summary that lists every excluded
/// file with its first error.
#[derive(Default)]
pub struct BatchSummary {
    pub total: usize,
    pub processed: usize,
    pub warnings: usize,
    /// One line per excluded file: its first error.
    pub excluded: Vec<String>,
}

impl BatchSummary {
    /// Takes one result: prints its errors, returns its value when the file was valid.
    pub fn take<T>(&mut self, context: &Context, item: BatchItem<T>) -> Option<T> {
        self.total += 1;
        for diagnostic in &item.diagnostics {
            match diagnostic.severity {
                Severity::Error => context.print(diagnostic),
                Severity::Warning => self.warnings += 1,
            }
        }
        match item.score {
            Some(value) => {
                self.processed += 1;
                Some(value)
            }
            None => {
                let line = item
                    .first_error()
                    .map(ToString::to_string)
                    .unwrap_or_else(|| item.path.clone());
                self.excluded.push(line);
                None
            }
        }
    }

    /// Prints the summary (`verb` says what was done to the valid files).
    pub fn finish(&self, context: &Context, verb: &str) -> Outcome {
        if !context.global.quiet || !self.excluded.is_empty() {
            let mut summary = format!("{verb} {} of {} file(s)", self.processed, self.total);
            if self.warnings > 0 {
                summary.push_str(&format!(
                    "; {} warning(s), run `capgap validate` to see them",
                    self.warnings
                ));
            }
            if self.total == 0 {
                summary.push_str("; no *.yaml or *.yml files found");
            }
            eprintln!("{summary}");
            if !self.excluded.is_empty() {
                eprintln!("excluded {} invalid file(s):", self.excluded.len());
                for line in &self.excluded {
                    eprintln!("  {line}");
                }
            }
        }
        if self.excluded.is_empty() {
            Outcome::Clean
        } else {
            Outcome::SomeInvalid
        }
    }
}

/// An output written whole or not at all: standard output, a device written in
/// place, or a temporary file beside the target renamed into place by `finish`.
pub enum Output {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    Device(std::io::BufWriter<std::fs::File>, PathBuf),
    File(std::io::BufWriter<tempfile::NamedTempFile>, PathBuf),
}

impl Output {
    /// Opens `-o FILE`, or standard output without one.
    pub fn create(path: Option<&Path>) -> Result<Output> {
        let Some(path) = path else {
            return Ok(Output::Stdout(std::io::BufWriter::new(std::io::stdout())));
        };
        // A device or a pipe (`-o /dev/null`) is written in place, never replaced.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            return Ok(Output::Device(
                std::io::BufWriter::new(file),
                path.to_owned(),
            ));
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let file =
            new_file_beside(dir).with_context(|| format!("cannot write to {}", dir.display()))?;
        Ok(Output::File(std::io::BufWriter::new(file), path.to_owned()))
    }

    /// Writes bytes; a closed standard output (`| head`) is not an error.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let result = match self {
            Output::Stdout(w) => w.write_all(bytes),
            Output::Device(w, _) => w.write_all(bytes),
            Output::File(w, _) => w.write_all(bytes),
        };
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.with_context(|| format!("cannot write {}", self.name())),
        }
    }

    fn name(&self) -> String {
        match self {
            Output::Stdout(_) => "standard output".to_owned(),
            Output::Device(_, path) | Output::File(_, path) => path.display().to_string(),
        }
    }

    /// Flushes and, for a file, renames it into place.
    pub fn finish(self) -> Result<()> {
        let name = self.name();
        match self {
            Output::Stdout(mut w) => match w.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            },
            Output::Device(mut w, _) => w.flush().with_context(|| format!("cannot write {name}")),
            Output::File(w, path) => {
                let file = w
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("cannot write {name}"))?;
                file.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {name}"))?;
                Ok(())
            }
        }
    }
}

/// A temporary file in `dir` with the mode a new file gets (0666 less the umask,
/// usually 0644, like the report's files) rather than tempfile's private 0600.
fn new_file_beside(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Writes to `-o FILE` (whole or not at all) or to standard output.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    let mut out = Output::create(output)?;
    out.write(bytes)?;
    out.finish()
}

/// Today's date (UTC) from the system clock.
pub fn today() -> Date {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::parse(&format!("{year:04}-{month:02}-{day:02}")).unwrap_or(Date {
        year: 2026,
        month: 1,
        day: 1,
    })
}
