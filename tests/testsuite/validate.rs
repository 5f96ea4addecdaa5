//! `capgap validate`: every kind of broken file gives a positioned diagnostic, hostile
//! files fail fast without a panic, and a mixed batch exits 1.

use std::time::{Duration, Instant};

use crate::support::{in_root, mini, stderr_of};

const BROKEN: &str = "tests/testsuite/fixtures/validate/broken";

/// Validates one broken fixture and returns stderr; checks the exit status is 1.
fn broken(name: &str) -> String {
    let output = in_root(mini())
        .args(["validate", &format!("{BROKEN}/{name}.yaml")])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{name}: {}",
        stderr_of(&output)
    );
    stderr_of(&output)
}

/// Checks that the diagnostic names the file and the line:col, and says `needle`.
fn check(name: &str, at: &str, needle: &str) {
    let stderr = broken(name);
    let location = format!("{BROKEN}/{name}.yaml{at}");
    assert!(
        stderr.contains(&location),
        "{name}: expected `{location}` in:\n{stderr}"
    );
    assert!(
        stderr.contains(needle),
        "{name}: expected `{needle}` in:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
}

#[test]
fn structural_errors_point_at_the_line() {
    check("unknown-field", ":5:1", "did you mean `assessed_on`?");
    check(
        "missing-field",
        ":1:1",
        "missing required field `assessed_on`",
    );
    check("duplicate-key", ":12:3", "duplicate key `ASSET-1a`");
    check("malformed", ":10:13", "a quoted value is not closed");
}

#[test]
fn semantic_errors_point_at_the_key_or_value() {
    check(
        "unknown-response",
        ":10:13",
        "valid responses: fully, largely, partially, not, na",
    );
    check("unknown-practice", ":11:3", "did you mean `ASSET-1a`?");
    check(
        "wrong-sector",
        ":11:3",
        "does not apply to the power sector",
    );
    check(
        "bad-country",
        ":2:10",
        "`KHM` is not an ISO 3166-1 alpha-2 country code",
    );
    check(
        "impossible-date",
        ":6:14",
        "`2026-02-30` is not a valid date",
    );
    check("model-major", ":1:8", "major versions differ");
    check("bad-tlp", ":8:6", "not a TLP 2.0 label");
}

#[test]
fn hostile_files_fail_fast_and_never_panic() {
    for name in ["alias-bomb", "deep-nesting", "binary", "empty"] {
        let started = Instant::now();
        let stderr = broken(name);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{name} took {:?}",
            started.elapsed()
        );
        assert!(stderr.contains(&format!("{name}.yaml")), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    assert!(broken("empty").contains("the file is empty"));
    assert!(broken("binary").contains("not a YAML text file"));
}

#[test]
fn every_semantic_problem_of_a_file_is_listed() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("many.yaml");
    std::fs::write(
        &path,
        "model: mini@1.0.0\ncountry: XX\nsector: powr\noperator: A\nassessed_on: 2026-13-01\nanswers:\n  ASSET-1a: fuly\n  ASSET-9z: fully\n",
    )
    .expect("written");
    let output = mini().arg("validate").arg(&path).output().expect("runs");
    let stderr = stderr_of(&output);
    for needle in [":2:10", ":3:9", ":5:14", ":7:13", ":8:3", "5 error(s)"] {
        assert!(stderr.contains(needle), "expected {needle} in:\n{stderr}");
    }
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("warn.yaml");
    std::fs::write(
        &path,
        "model: mini@1.0.0\ncountry: KH\nsector: rail\noperator: A\nassessed_on: 2026-01-01\nanswers:\n  ASSET-1a: na\n",
    )
    .expect("written");
    let output = mini().arg("validate").arg(&path).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("marked `na` without a note"), "{stderr}");
    assert!(stderr.contains("left unanswered"), "{stderr}");
    let output = mini()
        .args(["--strict", "validate"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
}

#[test]
fn a_mixed_batch_exits_1_and_still_checks_the_good_files() {
    let output = in_root(mini())
        .args(["validate", "tests/testsuite/fixtures/validate"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("checked 17 file(s): 2 valid, 15 invalid"),
        "{stderr}"
    );
}

#[test]
fn the_rendered_diagnostic_has_a_snippet_and_help() {
    let stderr = broken("unknown-response");
    let error = stderr
        .split("\nerror")
        .nth(1)
        .expect("an error after the warning");
    insta::assert_snapshot!(format!("error{error}"));
}

/// Words of Rust, serde or the YAML library that must never reach an assessor.
const LIBRARY_WORDS: &[&str] = &[
    "Option<",
    "String",
    "serde",
    "deserialize",
    "invalid type",
    "granit",
    "saphyr",
    "ScanError",
    "panicked",
    "from_str",
];

/// What a user reads for one file: the exit status and stderr.
fn diagnostics_of(command: assert_cmd::Command, args: &[&str]) -> String {
    let output = in_root(command).args(args).output().expect("runs");
    let stderr = stderr_of(&output);
    for word in LIBRARY_WORDS {
        assert!(!stderr.contains(word), "{args:?}: `{word}` in:\n{stderr}");
    }
    format!("exit status: {:?}\n{stderr}", output.status.code())
}

/// One snapshot per broken file in `fixtures/diagnostics/` (questionnaires, checked
/// against the mini model) and `fixtures/diagnostics/model/` (models): adding a check
/// is dropping in a file and reviewing its new snapshot.
#[test]
fn every_broken_fixture_has_its_diagnostics_snapshot() {
    let files = |dir: &str| {
        let mut files: Vec<String> = std::fs::read_dir(crate::support::fixture(dir))
            .expect("the fixture folder")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".yaml"))
            .collect();
        files.sort();
        files
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.bind(|| {
        let questionnaires = files("diagnostics");
        assert!(questionnaires.len() >= 15, "{questionnaires:?}");
        for name in questionnaires {
            let path = format!("tests/testsuite/fixtures/diagnostics/{name}");
            let text = diagnostics_of(mini(), &["validate", &path]);
            assert!(text.starts_with("exit status: Some(1)"), "{text}");
            insta::assert_snapshot!(name.trim_end_matches(".yaml"), text);
        }
        for name in files("diagnostics/model") {
            let path = format!("tests/testsuite/fixtures/diagnostics/model/{name}");
            let text = diagnostics_of(crate::support::capgap(), &["--model", &path, "model"]);
            assert!(text.starts_with("exit status: Some(2)"), "{text}");
            insta::assert_snapshot!(format!("model-{}", name.trim_end_matches(".yaml")), text);
        }
    });
}

/// Files are checked before they are read: a FIFO, a device and a huge sparse file are
/// refused at once (no hang, no memory blow-up), as a questionnaire and as `--model`.
#[test]
fn special_and_huge_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let sparse = dir.path().join("huge.yaml");
    std::fs::File::create(&sparse)
        .and_then(|f| f.set_len(2 << 30))
        .expect("a sparse file");
    let started = Instant::now();
    let mut cmd = mini();
    cmd.arg("validate").arg(&sparse).arg("/dev/zero");
    if made {
        cmd.arg(&fifo);
    }
    let output = cmd.timeout(Duration::from_secs(20)).output().expect("runs");
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the file is too large (2147483648 bytes"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("not a regular file").count(),
        1 + usize::from(made),
        "{stderr}"
    );
    let output = crate::support::capgap()
        .arg("--model")
        .arg("/dev/zero")
        .arg("model")
        .timeout(Duration::from_secs(20))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("cannot read the model /dev/zero: not a regular file"));
    assert!(started.elapsed() < Duration::from_secs(10));
}
