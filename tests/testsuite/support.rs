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
