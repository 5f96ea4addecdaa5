//! `capgap score`: the output formats carry SPEC §6's fields, bad files are skipped
//! and named, and `-o` writes whole files.

use serde_json::Value;

use crate::support::{capgap, fixture, in_root, mini, stderr_of, stdout_of};

fn score_json(args: &[&str]) -> (Vec<Value>, std::process::Output) {
    let output = in_root(mini())
        .arg("score")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let scores: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    (scores.as_array().expect("an array").clone(), output)
}

#[test]
fn json_has_the_fields_of_the_spec() {
    let (scores, output) = score_json(&["tests/testsuite/fixtures/validate/good"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(scores.len(), 2);
    // Sorted walk: fj-rail-2026.yaml before kh-grid-2026.yaml.
    let kh = &scores[1];
    for field in [
        "file",
        "model",
        "country",
        "sector",
        "operator_id",
        "assessed_on",
        "index",
        "targets_met",
        "domains",
        "gaps",
    ] {
        assert!(kh.get(field).is_some(), "missing {field}");
    }
    assert_eq!(kh["operator_id"], "kh-example-grid");
    let asset = &kh["domains"][0];
    assert_eq!(asset["id"], "ASSET");
    assert_eq!(
        (
            asset["level"].as_u64(),
            asset["target"].as_u64(),
            asset["gap"].as_u64()
        ),
        (Some(1), Some(2), Some(1))
    );
    // (1 + 2 x 0.75 + 0.25 + 0) / 5
    assert!((asset["implementation"].as_f64().unwrap() - 0.55).abs() < 1e-9);
    assert_eq!(asset["counts"]["fully"], 1);
    assert_eq!(asset["counts"]["unanswered"], 0);
    let situation = &kh["domains"][1];
    assert_eq!(situation["counts"]["na"], 1);
    // 1a fully, 2a largely, 2b na, 3a not: level 2 against the power target 3.
    assert_eq!(
        (situation["level"].as_u64(), situation["gap"].as_u64()),
        (Some(2), Some(1))
    );
    let gaps = kh["gaps"].as_array().expect("gaps");
    let first = &gaps[0];
    for field in ["practice", "domain", "level", "response", "priority"] {
        assert!(first.get(field).is_some(), "gap lacks {field}");
    }
    // The default operator_id is the slug of the name.
    assert_eq!(scores[0]["operator_id"], "example-rail");
}

#[test]
fn jsonl_and_csv() {
    let output = in_root(mini())
        .args([
            "score",
            "--format",
            "jsonl",
            "tests/testsuite/fixtures/validate/good",
        ])
        .output()
        .expect("runs");
    let stdout = stdout_of(&output);
    assert_eq!(stdout.lines().count(), 2);
    for line in stdout.lines() {
        serde_json::from_str::<Value>(line).expect("one JSON object per line");
    }
    let output = in_root(mini())
        .args([
            "score",
            "--format",
            "csv",
            "tests/testsuite/fixtures/validate/good",
        ])
        .output()
        .expect("runs");
    let stdout = stdout_of(&output);
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header = reader.headers().expect("a header").clone();
    assert_eq!(&header[8], "domain");
    // 2 questionnaires x 3 domains.
    assert_eq!(reader.records().count(), 6);
}

#[test]
fn bad_files_are_skipped_named_and_exit_1() {
    let (scores, output) = score_json(&["tests/testsuite/fixtures/validate"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(scores.len(), 2, "both good files are still scored");
    let stderr = stderr_of(&output);
    assert!(stderr.contains("excluded 15 invalid file(s)"), "{stderr}");
    assert!(
        stderr.contains("broken/bad-country.yaml:2:10: error:"),
        "{stderr}"
    );
}

#[test]
fn output_file_is_written_whole_and_unwritable_output_exits_2() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("scores.json");
    let output = mini()
        .args(["score", "--format", "json", "-o"])
        .arg(&out)
        .arg(fixture("validate/good"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let written: Value =
        serde_json::from_slice(&std::fs::read(&out).expect("written")).expect("JSON");
    assert_eq!(written.as_array().map(Vec::len), Some(2));

    let output = mini()
        .args(["score", "-o", "/nonexistent-dir/x/scores.json"])
        .arg(fixture("validate/good"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr_of(&output).contains("/nonexistent-dir/x"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn an_invalid_model_exits_2_with_every_problem() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let model = dir.path().join("model.yaml");
    let text =
        std::fs::read_to_string(crate::support::root().join("tests/fixtures/mini-model.yaml"))
            .expect("read");
    let broken = text
        .replace("credit: 0.75", "credit: 1.5")
        .replace(
            "interventions: [training] }\ninterventions",
            "interventions: [trainig] }\ninterventions",
        )
        .replace(
            "targets: { default: 2 }",
            "targets: { default: 2, ASSETS: 4 }",
        );
    std::fs::write(&model, broken).expect("written");
    let output = crate::support::capgap()
        .arg("--model")
        .arg(&model)
        .arg("score")
        .arg(fixture("validate/good"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    for needle in [
        "credit must be between 0 and 1",
        "unknown intervention `trainig`",
        "did you mean `ASSET`?",
        "target level 4",
    ] {
        assert!(stderr.contains(needle), "expected {needle} in:\n{stderr}");
    }
    assert!(output.stdout.is_empty());
}

#[test]
fn aggregates_honour_the_format() {
    let run = |format: &[&str]| {
        let output = in_root(capgap())
            .args(["score", "--aggregates", "questionnaires/examples/kh"])
            .args(format)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{format:?}: {}",
            stderr_of(&output)
        );
        stdout_of(&output)
    };
    // JSON stays the default, for scripts written against it.
    let json: Value = serde_json::from_str(&run(&[])).expect("JSON by default");
    assert_eq!(
        json,
        serde_json::from_str::<Value>(&run(&["--format", "json"])).unwrap()
    );
    let kh = &json["countries"][0];
    let table = run(&["--format", "table"]);
    assert!(
        table.contains("KH (all sectors)  3 operator(s)")
            && table.contains("portfolio  3 operator(s)"),
        "{table}"
    );
    let csv = run(&["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let country = rows
        .iter()
        .find(|r| &r[at("scope")] == "country" && &r[at("domain")] == "ASSET")
        .expect("a row for KH and ASSET");
    assert_eq!(
        &country[at("index")],
        kh["index"].as_f64().unwrap().to_string()
    );
    assert_eq!(
        &country[at("implementation")],
        kh["domains"][0]["implementation"]
            .as_f64()
            .unwrap()
            .to_string()
    );
    let lines = run(&["--format", "jsonl"]);
    for line in lines.lines() {
        let aggregate: Value = serde_json::from_str(line).expect("one aggregate per line");
        assert!(aggregate["scope"]["kind"].is_string());
    }
}
