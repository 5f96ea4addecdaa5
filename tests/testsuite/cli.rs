//! The command line as a first-time user meets it: which options each command's
//! help lists, the exit status of a run with nothing to read, and budgets written
//! the way people write amounts.

use crate::support::{capgap, in_root, stderr_of, stdout_of};

fn help(command: &str) -> String {
    let output = capgap().args([command, "--help"]).output().unwrap();
    assert!(output.status.success(), "{command} --help");
    stdout_of(&output)
}

#[test]
fn batch_options_only_where_questionnaires_are_read() {
    for command in ["validate", "score", "plan", "report"] {
        let text = help(command);
        for option in ["--jobs", "--strict", "--follow-links"] {
            assert!(text.contains(option), "{command} --help lacks {option}");
        }
    }
    for command in ["template", "model", "schema", "theme"] {
        let text = help(command);
        for option in ["--jobs", "--strict", "--follow-links"] {
            assert!(!text.contains(option), "{command} --help lists {option}");
        }
    }
    // Still accepted before the command, as SPEC §6 lists them as global options.
    in_root(capgap())
        .args(["--jobs", "1", "--strict", "validate"])
        .arg("questionnaires/examples/kh")
        .assert()
        .success();
    in_root(capgap())
        .args([
            "validate",
            "questionnaires/examples/kh",
            "-j",
            "1",
            "--follow-links",
        ])
        .assert()
        .success();
}

#[test]
fn jobs_are_bounded() {
    for bad in ["0", "100000", "many"] {
        let output = in_root(capgap())
            .args(["validate", "questionnaires/examples/kh", "--jobs", bad])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "--jobs {bad}");
        assert!(stderr_of(&output).contains("from 1 to 512"), "--jobs {bad}");
    }
}

#[test]
fn help_texts_say_what_a_user_needs() {
    let validate = help("validate");
    for status in ["0 when", "1 when", "2 when"] {
        assert!(validate.contains(status), "validate --help: {status}");
    }
    let model = help("model");
    assert!(model.contains("Output format") && model.contains("every practice"));
    let report = help("report");
    assert!(
        report.contains("Without it the plan ranks every candidate"),
        "report --help says what the plan shows without --budget"
    );
    let top = stdout_of(&capgap().arg("--help").output().unwrap());
    assert!(
        top.contains("  theme ") && !top.contains("  templates "),
        "{top}"
    );
}

#[test]
fn theme_export_and_its_old_name() {
    let dir = tempfile::tempdir().unwrap();
    for (command, folder) in [("theme", "new"), ("templates", "old")] {
        capgap()
            .args([command, "export"])
            .arg(dir.path().join(folder))
            .assert()
            .success();
        assert!(dir.path().join(folder).join("operator.hbs").is_file());
    }
}

#[test]
fn nothing_to_read_is_a_usage_problem() {
    let empty = tempfile::tempdir().unwrap();
    for command in ["validate", "score", "plan"] {
        let output = capgap().arg(command).arg(empty.path()).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert!(
            stderr_of(&output).contains("no *.yaml or *.yml files found"),
            "{command}: {}",
            stderr_of(&output)
        );
    }
    let out = empty.path().join("report");
    let output = capgap()
        .arg("report")
        .arg(empty.path())
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(!out.exists(), "nothing written");
}

fn plan_summary(budget: &str) -> std::process::Output {
    in_root(capgap())
        .args([
            "plan",
            "questionnaires/examples",
            "--all",
            "--budget",
            budget,
        ])
        .output()
        .unwrap()
}

#[test]
fn budgets_as_people_write_them() {
    let reference = stdout_of(&plan_summary("1000000"));
    assert!(
        reference.contains("budget $1,000,000: 25 of 642"),
        "{reference}"
    );
    for written in ["1,000,000", "1e6", "1M", "$1M", "1000k"] {
        let output = plan_summary(written);
        assert!(output.status.success(), "{written}: {}", stderr_of(&output));
        assert_eq!(stdout_of(&output), reference, "{written}");
    }
    for bad in ["1,00", "one million", "-5", "1e400"] {
        let output = plan_summary(bad);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = stderr_of(&output);
        assert!(
            !stderr.contains("float") && (stderr.contains("US dollars")),
            "{bad}: {stderr}"
        );
    }
    let zero = stdout_of(&plan_summary("0"));
    assert!(
        zero.contains("benefit of 0.00 of") && !zero.contains("-0"),
        "{zero}"
    );
}

#[test]
fn report_takes_the_same_budgets() {
    let out = tempfile::tempdir().unwrap();
    in_root(capgap())
        .args([
            "report",
            "questionnaires/examples/kh",
            "--budget",
            "$2.5M",
            "-o",
        ])
        .arg(out.path().join("r"))
        .assert()
        .success();
    let bad = in_root(capgap())
        .args([
            "report",
            "questionnaires/examples/kh",
            "--budget",
            "1.2.3",
            "-o",
        ])
        .arg(out.path().join("bad"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(!out.path().join("bad").exists());
}
