//! The commands, one file each, and what they share: the loaded model, the batch
//! runner that loads and scores many files in parallel while keeping only scores,
//! diagnostics printing, and writing outputs whole or not at all.

pub mod model;
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
use crate::questionnaire::Questionnaire;
use crate::score::{QuestionnaireScore, score};

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

/// Finds the input files under `paths`, loads, validates and scores each in
/// parallel, and returns the results in input order. Each file's document is
/// dropped as soon as it is scored: a run keeps scores, not documents.
/// Paths that cannot be walked come back as results without a score.
pub fn run_batch(context: &Context, paths: &[PathBuf]) -> Vec<BatchItem<QuestionnaireScore>> {
    run_batch_with(context, paths, |model, questionnaire| {
        score(model, questionnaire)
    })
}

/// [`run_batch`] with any per-questionnaire function.
pub fn run_batch_with<T: Send>(
    context: &Context,
    paths: &[PathBuf],
    process: impl Fn(&Model, &Questionnaire) -> T + Sync,
) -> Vec<BatchItem<T>> {
    let (files, walk_problems) = load::walk::input_files(paths, context.global.follow_links);
    let progress = progress_bar(context, files.len());
    let mut results: Vec<BatchItem<T>> = walk_problems
        .into_iter()
        .map(|d| BatchItem {
            path: d.path.clone(),
            score: None,
            diagnostics: vec![d],
        })
        .collect();
    let loaded: Vec<BatchItem<T>> = files
        .par_iter()
        .map(|path| {
            let display = path.display().to_string();
            let item = match std::fs::read(path) {
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
                    let loaded = load::load_questionnaire(
                        &context.model,
                        &display,
                        bytes,
                        context.global.strict,
                    );
                    BatchItem {
                        score: loaded.questionnaire.map(|q| process(&context.model, &q)),
                        diagnostics: loaded.diagnostics,
                        path: display,
                    }
                }
            };
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            item
        })
        .collect();
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    results.extend(loaded);
    results
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

/// Prints the errors of a batch (warnings are counted, not shown: `validate` shows
/// them) and a summary that lists every excluded file with its first error.
/// Returns the scores of the valid files and the outcome.
pub fn report_batch<T>(
    context: &Context,
    results: Vec<BatchItem<T>>,
    verb: &str,
) -> (Vec<T>, Outcome) {
    let total = results.len();
    let mut warnings = 0;
    let mut excluded = Vec::new();
    let mut scores = Vec::with_capacity(total);
    for result in results {
        for diagnostic in &result.diagnostics {
            match diagnostic.severity {
                Severity::Error => context.print(diagnostic),
                Severity::Warning => warnings += 1,
            }
        }
        match result.score {
            Some(score) => scores.push(score),
            None => excluded.push(
                result
                    .first_error()
                    .map(ToString::to_string)
                    .unwrap_or(result.path),
            ),
        }
    }
    if !context.global.quiet || !excluded.is_empty() {
        let mut summary = format!("{verb} {} of {total} file(s)", scores.len());
        if warnings > 0 {
            summary.push_str(&format!(
                "; {warnings} warning(s), run `capgap validate` to see them"
            ));
        }
        if total == 0 {
            summary.push_str("; no *.yaml or *.yml files found");
        }
        eprintln!("{summary}");
        if !excluded.is_empty() {
            eprintln!("excluded {} invalid file(s):", excluded.len());
            for line in &excluded {
                eprintln!("  {line}");
            }
        }
    }
    let outcome = if excluded.is_empty() {
        Outcome::Clean
    } else {
        Outcome::SomeInvalid
    };
    (scores, outcome)
}

/// Writes `bytes` to `path` whole or not at all: a temporary file in the same
/// folder, renamed into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write to {}", dir.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.flush())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Writes to `-o FILE` (whole or not at all) or to standard output.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => write_atomic(path, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                // A closed pipe (`capgap score . | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}
