//! The commands, one file each, and what they share: the loaded model, the batch
//! runner that loads and scores many files in parallel while keeping only scores,
//! the batch summary that applies `--tlp-max`, invalid files and duplicate rounds
//! alike in every command, diagnostics printing, and writing outputs whole or not
//! at all, never over one of the run's inputs. Messages name user paths in plain
//! words (`io_reason`, `user_message`), never temporary files.

pub mod lsp;
pub mod model;
pub mod pipeline;
pub mod plan;
pub mod programmes;
pub mod report;
mod report_dir;
pub mod schema;
pub mod score;
pub mod template;
pub mod validate;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use rayon::prelude::*;

use crate::cli::GlobalArgs;
use crate::confidential;
use crate::diag::{Diagnostic, Severity};
use crate::files::same_file;
use crate::load;
use crate::model::Model;
use crate::questionnaire::{Date, Questionnaire, Tlp};
use crate::rounds::{RoundKey, Rounds};

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
                let bytes = load::yaml::read_input(path).map_err(|problem| {
                    anyhow::anyhow!("cannot read the model {}: {problem}", path.display())
                })?;
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
            tlp: None,
            round: None,
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
    match load::yaml::read_input(path) {
        Err(problem) => BatchItem {
            diagnostics: vec![Diagnostic::file(Severity::Error, &display, problem)],
            path: display,
            score: None,
            tlp: None,
            round: None,
        },
        Ok(bytes) => {
            // An invalid file's TLP is read from its text, so that `--tlp-max` can leave
            // it out unnamed; a valid file's is the validated one.
            // A workbook's is read from its `tlp` cell by the loader.
            let declared = if load::xlsx::is_workbook(path) {
                None
            } else {
                confidential::declared_tlp(&bytes)
            };
            let loaded =
                load::load_questionnaire(&context.model, &display, bytes, context.global.strict);
            let (tlp, round) = match &loaded.questionnaire {
                Some(q) => (Some(q.tlp), Some(RoundKey::of(q))),
                None => (declared.or(loaded.declared_tlp), None),
            };
            BatchItem {
                score: loaded.questionnaire.map(|q| process(&context.model, &q)),
                diagnostics: loaded.diagnostics,
                path: display,
                tlp,
                round,
            }
        }
    }
}

/// A file's result with any per-questionnaire value (a score, usually).
pub struct BatchItem<T> {
    pub path: String,
    pub score: Option<T>,
    pub diagnostics: Vec<Diagnostic>,
    /// The questionnaire's TLP; for an invalid file the one its text declares, and
    /// `None` when that cannot be read.
    pub tlp: Option<Tlp>,
    /// The assessment round of a valid questionnaire.
    pub round: Option<RoundKey>,
}

impl<T> BatchItem<T> {
    pub fn first_error(&self) -> Option<&Diagnostic> {
        self.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    }
}

/// An error as the user reads it: each cause in turn, `: `-separated, with system
/// errors in plain words (no `(os error N)`).
pub fn user_message(err: &anyhow::Error) -> String {
    err.chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_reason(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// An IO error's reason in plain words, without Rust's `(os error N)` suffix.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or folder".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::AlreadyExists => "it already exists".to_owned(),
        ErrorKind::IsADirectory => "it is a folder".to_owned(),
        ErrorKind::NotADirectory => "a part of the path is not a folder".to_owned(),
        ErrorKind::StorageFull => "no space left on the device".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
        ErrorKind::DirectoryNotEmpty => "the folder is not empty".to_owned(),
        ErrorKind::CrossesDevices => "it is on another file system".to_owned(),
        _ => {
            let text = err.to_string();
            let text = match text.find(" (os error") {
                Some(at) => text[..at].to_owned(),
                None => text,
            };
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
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

/// Counts what a batch did and applies the rules every batch shares: inputs above
/// `--tlp-max` are left out before anything else (counted, never named, their errors
/// never printed), invalid files are excluded with their first error, and a second
/// questionnaire for a round is excluded ([`Rounds`]). Errors are printed as they come
/// (warnings are counted, not shown: `validate` shows them); with `--anonymize` they
/// are counted, not printed, because they name files and operators. `finish` prints
/// the summary.
#[derive(Default)]
pub struct BatchSummary {
    pub total: usize,
    pub processed: usize,
    pub warnings: usize,
    /// Files left out by `--tlp-max`, valid or not.
    pub left_out: usize,
    /// (country, sector, operator id) of the valid questionnaires left out by
    /// `--tlp-max`: a programmes file may name them, a message may not.
    pub withheld_operators: std::collections::BTreeSet<(String, String, String)>,
    /// Files excluded as invalid or as a duplicate round.
    pub invalid: usize,
    /// One line per excluded file: its first error; empty when names are withheld.
    pub excluded: Vec<String>,
    tlp_max: Option<Tlp>,
    withhold_names: bool,
    rounds: Rounds,
}

impl BatchSummary {
    /// A summary for a batch with these confidentiality options.
    pub fn new(tlp_max: Option<Tlp>, anonymize: bool) -> BatchSummary {
        BatchSummary {
            tlp_max,
            withhold_names: anonymize,
            ..BatchSummary::default()
        }
    }

    /// Takes one result: returns its value when the file is valid, within
    /// `--tlp-max`, and the first of its round; otherwise counts why not.
    pub fn take<T>(&mut self, context: &Context, item: BatchItem<T>) -> Option<T> {
        self.total += 1;
        // An unreadable TLP is not "above": the file is then named like any other.
        if let Some(max) = self.tlp_max
            && item.tlp.is_some_and(|tlp| tlp > max)
        {
            self.left_out += 1;
            if let Some(round) = item.round {
                self.withheld_operators
                    .insert((round.country, round.sector, round.operator_id));
            }
            return None;
        }
        for diagnostic in &item.diagnostics {
            match diagnostic.severity {
                Severity::Error if !self.withhold_names => context.print(diagnostic),
                Severity::Error => {}
                Severity::Warning => self.warnings += 1,
            }
        }
        let Some(value) = item.score else {
            let line = item
                .first_error()
                .map(ToString::to_string)
                .unwrap_or_else(|| item.path.clone());
            self.exclude(line);
            return None;
        };
        if let Some(round) = item.round
            && let Some(duplicate) = self.rounds.check(round, &item.path)
        {
            if !self.withhold_names {
                context.print(&duplicate);
            }
            self.exclude(duplicate.to_string());
            return None;
        }
        self.processed += 1;
        Some(value)
    }

    fn exclude(&mut self, line: String) {
        self.invalid += 1;
        if !self.withhold_names {
            self.excluded.push(line);
        }
    }

    /// What `--tlp-max` left out, in the words of the command line:
    /// `reported on 26 of 31 file(s); 5 left out by --tlp-max amber`.
    pub fn counts(&self, verb: &str) -> String {
        let mut line = format!("{verb} {} of {} file(s)", self.processed, self.total);
        if let Some(max) = self.tlp_max.filter(|_| self.left_out > 0) {
            line.push_str(&format!(
                "; {} left out by --tlp-max {}",
                self.left_out,
                max.as_str()
            ));
        }
        line
    }

    /// The sentence for a report on invalid files whose names are withheld.
    pub fn withheld_notice(&self) -> Option<String> {
        (self.withhold_names && self.invalid > 0).then(|| {
            format!(
                "{} invalid input file(s) were excluded; their names and errors are withheld.",
                self.invalid
            )
        })
    }

    /// Prints the summary (`verb` says what was done to the valid files).
    pub fn finish(&self, context: &Context, verb: &str) -> Outcome {
        if !context.global.quiet || self.invalid > 0 {
            let mut summary = self.counts(verb);
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
            if self.withhold_names && self.invalid > 0 {
                eprintln!(
                    "excluded {} invalid file(s); their names and errors are withheld by --anonymize: run `capgap validate` on the inputs to see them",
                    self.invalid
                );
            } else if !self.excluded.is_empty() {
                eprintln!("excluded {} invalid file(s):", self.excluded.len());
                for line in &self.excluded {
                    eprintln!("  {line}");
                }
            }
        }
        if self.invalid == 0 {
            Outcome::Clean
        } else {
            Outcome::SomeInvalid
        }
    }
}

/// Refuses `-o FILE` when it is one of the run's inputs (a questionnaire under
/// `inputs`, the `--model` file, the anonymisation key), compared by file identity,
/// so that an output never replaces the data it was made from. Nothing has been
/// written yet.
pub fn refuse_input_as_output(
    context: &Context,
    output: &Path,
    inputs: &[PathBuf],
    confidentiality: &crate::cli::ConfidentialityArgs,
) -> Result<()> {
    let key = confidentiality
        .anonymize
        .then(|| confidentiality.key_path().ok())
        .flatten();
    // The key may not exist yet: the run would create it, then write over it.
    if let Some(key) = &key
        && resolved(key).is_some_and(|key| resolved(output) == Some(key))
    {
        bail!(
            "refusing to write the output to {}: it is the anonymisation key; give another file with -o",
            output.display()
        );
    }
    let Ok(target) = std::fs::metadata(output) else {
        return Ok(()); // A file that does not exist yet is no input.
    };
    if !target.is_file() {
        return Ok(());
    }
    let (files, _) = load::walk::input_files(inputs, context.global.follow_links);
    let is_target = |path: &Path| std::fs::metadata(path).is_ok_and(|m| same_file(&m, &target));
    if let Some(input) = files
        .iter()
        .map(PathBuf::as_path)
        .chain(context.global.model.as_deref())
        .chain(key.as_deref())
        .find(|path| is_target(path))
    {
        bail!(
            "refusing to write the output to {}: it is the input {}; give another file with -o",
            output.display(),
            input.display()
        );
    }
    Ok(())
}

/// Where `path` is or would be: its canonical form, or its parent's and its name when
/// it does not exist yet (a key file that the run will create).
pub(crate) fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(path) = std::fs::canonicalize(path) {
        return Some(path);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::canonicalize(parent).ok().map(|p| p.join(name))
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
