//! Shared helpers: the binary under test and fixture paths.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `capgap` binary, with a clean environment: no browser, and a config folder
/// of the tests' own (where `--anonymize` keeps its key), never the user's.
pub fn capgap() -> Command {
    let mut cmd = Command::cargo_bin("capgap").expect("the capgap binary is built");
    cmd.env_remove("CAPGAP_CHROME");
    cmd.env(
        "XDG_CONFIG_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("config"),
    );
    cmd
}

/// `capgap --model <mini model>`.
pub fn mini() -> Command {
    let mut cmd = capgap();
    cmd.arg("--model")
        .arg(root().join("tests/fixtures/mini-model.yaml"));
    cmd
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path relative to `tests/testsuite/fixtures/`.
pub fn fixture(path: &str) -> PathBuf {
    root().join("tests/testsuite/fixtures").join(path)
}

/// Runs in the repository root so paths in messages are short and stable.
pub fn in_root(mut cmd: Command) -> Command {
    cmd.current_dir(root());
    cmd
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[allow(dead_code)]
pub fn exists(path: &Path) -> bool {
    path.exists()
}

/// A report file's text for "does it mention X" checks: a workbook's cells (every
/// sheet, tab-separated), any other file as UTF-8 text.
pub fn file_text(path: &Path) -> String {
    use calamine::Reader;
    if path.extension().is_some_and(|e| e == "xlsx") {
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut text = String::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).expect("a sheet");
            for row in range.rows() {
                let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
                text.push_str(&cells.join("\t"));
                text.push('\n');
            }
        }
        return text;
    }
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
