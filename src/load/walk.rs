//! Finding input files: each PATH argument is a file or a folder; folders are walked
//! recursively for `*.yaml`, `*.yml` and `*.xlsx` in sorted order, skipping hidden
//! entries, the `~$NAME.xlsx` lock files spreadsheet programs leave beside an open
//! workbook, and (unless asked) not following symbolic links.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Severity};

/// The input files under `paths`, in argument order then sorted order, and a
/// diagnostic for each path that could not be read.
pub fn input_files(paths: &[PathBuf], follow_links: bool) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.is_dir() {
            if path.exists() {
                files.push(path.clone());
            } else {
                problems.push(Diagnostic::file(
                    Severity::Error,
                    &path.display().to_string(),
                    "no such file or folder",
                ));
            }
            continue;
        }
        let walker = WalkDir::new(path)
            .follow_links(follow_links)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_input(entry.path()) => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(err) => {
                    let at = err.path().unwrap_or(path).display().to_string();
                    let message = err
                        .io_error()
                        .map_or_else(|| err.to_string(), ToString::to_string);
                    problems.push(Diagnostic::file(
                        Severity::Error,
                        &at,
                        format!("cannot read: {message}"),
                    ));
                }
            }
        }
    }
    (files, problems)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// A questionnaire by its name: YAML, or a workbook that is not a lock file.
fn is_input(path: &Path) -> bool {
    let lock = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    is_yaml(path) || (super::xlsx::is_workbook(path) && !lock)
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}
