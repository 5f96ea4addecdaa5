//! `--programmes` (SPEC §8): the plan net of other donors' programmes (covered
//! operators removed, fully covered candidates listed but not ranked, the budget and
//! the cap per country), overlap warnings, `--donor`, errors at file:line:col, and
//! `--tlp-max` leaving a programme out of everything.

use serde_json::Value;

use crate::support::{in_root, mini, stderr_of, stdout_of};

const RUN: &str = "tests/testsuite/fixtures/programmes/run";
const GOOD: &str = "tests/testsuite/fixtures/programmes/good.yaml";

fn plan(args: &[&str]) -> (Vec<Value>, std::process::Output) {
    let output = in_root(mini())
        .args(["plan", RUN, "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let plan: Vec<Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("a JSON array: {}", stderr_of(&output)));
    (plan, output)
}

/// `rank CC sector intervention [operators] cost selected` per candidate, and
/// `covered CC sector intervention by donors` for the unranked ones.
fn lines(plan: &[Value]) -> Vec<String> {
    let list = |v: &Value| -> String {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    plan.iter()
        .map(|c| match c["rank"].as_u64() {
            Some(rank) => format!(
                "{rank} {} {} {} [{}] {} {}",
                c["country"].as_str().unwrap(),
                c["sector"].as_str().unwrap(),
                c["intervention"].as_str().unwrap(),
                list(&c["operators"]),
                c["cost"],
                if c["selected"] == true {
                    "selected"
                } else {
                    "skipped"
                }
            ),
            None => format!(
                "covered {} {} {} [{}] by {}",
                c["country"].as_str().unwrap(),
                c["sector"].as_str().unwrap(),
                c["intervention"].as_str().unwrap(),
                list(&c["covered_operators"]),
                list(&c["covered_by"])
            ),
        })
        .collect()
}

#[test]
fn covered_operators_leave_the_plan_and_fully_covered_candidates_are_not_ranked() {
    let (without, _) = plan(&[]);
    assert_eq!(
        lines(&without),
        [
            "1 FJ rail training [fj-r] 20000.0 selected",
            "2 KH power training [kh-a] 20000.0 selected",
            "3 KH power monitoring [kh-b] 120000.0 selected",
            "4 LA power monitoring [la-a] 120000.0 selected",
            "5 KH power inventory [kh-a kh-b] 100000.0 selected",
            "6 FJ rail monitoring [fj-r] 120000.0 selected",
        ]
    );
    let (with, output) = plan(&["--programmes", GOOD]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    // kh-b's inventory is funded by eu-inv; wb-inv was delivered before kh-a's
    // current round, so kh-a stays; LA monitoring and FJ training are covered.
    assert_eq!(
        lines(&with),
        [
            "1 KH power training [kh-a] 20000.0 selected",
            "2 KH power monitoring [kh-b] 120000.0 selected",
            "3 KH power inventory [kh-a] 50000.0 selected",
            "4 FJ rail monitoring [fj-r] 120000.0 selected",
            "covered FJ rail training [fj-r] by United States",
            "covered LA power monitoring [la-a] by Japan",
        ]
    );
    let inventory = &with[2];
    assert_eq!(
        inventory["covered_by"],
        serde_json::json!(["European Fund", "Other Fund"])
    );
    assert_eq!(inventory["covered_operators"], serde_json::json!(["kh-b"]));
    assert_eq!(inventory["benefit"].as_f64(), Some(1.0));
}

#[test]
fn the_budget_and_the_cap_per_country_are_both_honoured() {
    let (with, _) = plan(&[
        "--programmes",
        GOOD,
        "--budget",
        "300000",
        "--max-per-country",
        "150000",
    ]);
    assert_eq!(
        lines(&with)[..4],
        [
            "1 KH power training [kh-a] 20000.0 selected",
            "2 KH power monitoring [kh-b] 120000.0 selected",
            "3 KH power inventory [kh-a] 50000.0 skipped",
            "4 FJ rail monitoring [fj-r] 120000.0 selected",
        ]
    );
    let (tight, _) = plan(&["--programmes", GOOD, "--budget", "150000"]);
    let selected: Vec<bool> = tight.iter().map(|c| c["selected"] == true).collect();
    assert_eq!(selected, [true, true, false, false, false, false]);
}

#[test]
fn csv_has_covered_by_and_a_blank_rank_for_covered_candidates() {
    let output = in_root(mini())
        .args(["plan", RUN, "--format", "csv", "--programmes", GOOD])
        .output()
        .expect("runs");
    let text = stdout_of(&output);
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with("rank,country,sector,intervention"),
        "{header}"
    );
    assert!(
        header.contains("covered_by") && header.contains("covered_operators"),
        "{header}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with(",LA,power,monitoring,") && l.contains("Japan")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("3,KH,power,inventory,")
                && l.contains("European Fund;Other Fund")),
        "{text}"
    );
}

#[test]
fn overlaps_are_warned_naming_both_programmes_and_donors() {
    let (_, output) = plan(&["--programmes", GOOD]);
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("warning: programmes `eu-inv` (European Fund) and `eu2-inv` (Other Fund) both cover inventory in KH power (kh-b) from 2026-06-01 to 2026-12-31"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("both cover").count(), 1, "{stderr}");
}

#[test]
fn a_donor_sees_its_commitments_and_plans_the_rest_of_its_budget() {
    let output = in_root(mini())
        .args([
            "plan",
            RUN,
            "--programmes",
            GOOD,
            "--donor",
            "EUROPEAN fund",
            "--budget",
            "200000",
        ])
        .output()
        .expect("runs");
    let stdout = stdout_of(&output);
    assert!(stdout.contains("commitments of European Fund:"), "{stdout}");
    assert!(stdout.contains("eu-inv"), "{stdout}");
    assert!(
        stdout.contains("budget $200000 less $50000 planned or funded leaves $150000"),
        "{stdout}"
    );
    assert!(
        stdout.contains("covered by other donors' programmes, not ranked:\n  FJ rail"),
        "{stdout}"
    );
}

#[test]
fn errors_in_a_programmes_file_have_positions_and_exclude_it() {
    let output = in_root(mini())
        .args([
            "plan",
            RUN,
            "--programmes",
            "tests/testsuite/fixtures/programmes/broken.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    let broken = "tests/testsuite/fixtures/programmes/broken.yaml";
    for (position, message) in [
        ("5:13", "unknown status `finished`"),
        ("7:10", "`end` (2025-12-31) is before `start` (2026-01-01)"),
        (
            "8:17",
            "amount_usd must be a non-negative number of US dollars, found -10",
        ),
        ("11:53", "unknown intervention `inventry`"),
        ("11:75", "unknown operator `kh-z` in KH power"),
        ("12:20", "`ZZ` is not an ISO 3166-1 alpha-2 country code"),
    ] {
        assert!(
            stderr.contains(&format!("error: {message}\n  --> {broken}:{position}"))
                || stderr.contains(&format!("error: {message}\n --> {broken}:{position}")),
            "{message} at {position}:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("excluded 1 invalid programmes file(s)"),
        "{stderr}"
    );
    // The plan is still written, without the excluded file's programmes.
    assert!(stdout_of(&output).contains("LA power    monitoring"));
}

/// Every problem of a programmes file is reported in one run, each at its key or
/// value with a line of help and no library wording; the snapshot is what a donor's
/// analyst reads.
#[test]
fn every_problem_of_a_programmes_file_is_reported_at_once() {
    let file = "tests/testsuite/fixtures/programmes/several-problems.yaml";
    let output = in_root(mini())
        .args(["plan", RUN, "--programmes", file])
        .output()
        .expect("runs");
    let stderr = stderr_of(&output);
    for word in [
        "Option<",
        "serde",
        "deserialize",
        "invalid type",
        "granit",
        "saphyr",
    ] {
        assert!(!stderr.contains(word), "`{word}` in:\n{stderr}");
    }
    assert_eq!(stderr.matches("error: ").count(), 20, "{stderr}");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.bind(|| {
        insta::assert_snapshot!(
            "programmes-several-problems",
            format!("exit status: {:?}\n{stderr}", output.status.code())
        );
    });
}

#[test]
fn a_duplicate_id_across_files_names_the_first() {
    let output = in_root(mini())
        .args(["plan", RUN, "--programmes", GOOD, "--programmes", GOOD])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains(&format!(
            "duplicate programme id `eu-inv`; the first is at {GOOD}:2:9"
        )),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn tlp_max_leaves_a_programme_out_of_everything() {
    let (plan, output) = plan(&["--programmes", GOOD, "--tlp-max", "amber"]);
    let everything = format!("{}{}", stdout_of(&output), stderr_of(&output));
    for secret in ["us-rail", "United States", "confidential"] {
        assert!(!everything.contains(secret), "`{secret}` in:\n{everything}");
    }
    assert!(everything.contains("left out 1 programme(s) marked above TLP:AMBER (--tlp-max)"));
    // FJ rail training is no longer covered.
    assert_eq!(
        lines(&plan)[0],
        "1 FJ rail training [fj-r] 20000.0 selected"
    );
}

/// Runs `report` on the fixture run with the good programmes file; returns the
/// folder (inside the temp dir) and the output.
fn report(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, std::process::Output) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("report");
    let output = in_root(mini())
        .args(["report", RUN, "--programmes", GOOD, "-o"])
        .arg(&out)
        .args(extra)
        .output()
        .expect("runs");
    (dir, out, output)
}

fn read(path: &std::path::Path) -> String {
    crate::support::file_text(path)
}

#[test]
fn the_report_measures_outcomes_between_rounds_and_shows_who_funds_what() {
    let (_dir, out, output) = report(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    // kh-a before (2025-01-10): ASSET-1a (priority 2), ASSET-1b (3), ASSET-2a (1);
    // after (2026-01-10): ASSET-2a (1). Two closed; the whole amount is kh-a's.
    let outcomes = read(&out.join("outcomes.csv"));
    assert!(outcomes.starts_with('\u{feff}'), "a byte-order mark");
    let rows: Vec<&str> = outcomes.lines().skip(1).collect();
    assert_eq!(
        rows,
        [
            "wb-inv,World Bank,KH,power,kh-a,inventory,tooling,2025-01-10,2026-01-10,3,1,2,6.000000,1.000000,5.000000,6.000000,40000"
        ]
    );
    let programmes = read(&out.join("programmes.csv"));
    assert_eq!(
        programmes.lines().count(),
        6,
        "a header and one row per cover"
    );
    let json: Value = serde_json::from_str(&read(&out.join("programmes.json"))).unwrap();
    assert_eq!(
        json["outcomes"]["programmes"][0]["cost_per_closed"],
        20000.0
    );
    assert_eq!(json["outcomes"]["kinds"][0]["key"], "tooling");
    assert_eq!(json["overlaps"].as_array().unwrap().len(), 1);

    let index = read(&out.join("index.html"));
    for text in [
        "Who funds what",
        "not proof of cause",
        "Programmes eu-inv (European Fund) and eu2-inv (Other Fund) both cover",
        "Japan (planned)",
        "Covered by programmes, not ranked",
    ] {
        assert!(index.contains(text), "no `{text}` in index.html");
    }
    // The red programme raises the portfolio's label.
    assert!(index.contains("TLP:RED"));
    let kh = read(&out.join("countries/KH.html"));
    assert!(kh.contains("Donors&#x27; programmes") || kh.contains("Donors' programmes"));
    assert!(kh.contains("wb-inv") && kh.contains("not proof of cause"));
    assert!(!read(&out.join("countries/LA.html")).contains("wb-inv"));
}

#[test]
fn tlp_max_leaves_a_programme_out_of_every_report_file() {
    let (_dir, out, output) = report(&["--tlp-max", "amber"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let text = read(entry.path());
            for secret in ["us-rail", "United States", "confidential"] {
                assert!(
                    !text.contains(secret),
                    "`{secret}` in {}",
                    entry.path().display()
                );
            }
        }
    }
    assert!(
        read(&out.join("index.html"))
            .contains("1 programme(s) marked above TLP:AMBER were left out")
    );
}

#[test]
fn anonymized_reports_keep_donors_and_use_pseudonyms_for_operators() {
    let (_dir, out, output) = report(&["--anonymize"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let text = read(entry.path());
            for secret in ["kh-a", "kh-b", "Alpha Power", "Beta Grid"] {
                assert!(
                    !text.contains(secret),
                    "`{secret}` in {}",
                    entry.path().display()
                );
            }
        }
    }
    let programmes = read(&out.join("programmes.csv"));
    assert!(programmes.contains("European Fund") && programmes.contains("World Bank"));
    assert!(
        !programmes.contains("Asset inventory at Beta Grid"),
        "titles often name the operator"
    );
    let outcomes = read(&out.join("outcomes.csv"));
    assert_eq!(outcomes.lines().count(), 2, "{outcomes}");
}

#[test]
fn a_broken_programmes_file_is_named_on_the_report_and_plan_never_overwrites_one() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("report");
    let output = in_root(mini())
        .args(["report", RUN, "-o"])
        .arg(&out)
        .args([
            "--programmes",
            "tests/testsuite/fixtures/programmes/broken.yaml",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert!(
        read(&out.join("index.html"))
            .contains("A programmes file was left out of this report for an error")
    );

    let copy = dir.path().join("programmes.yaml");
    std::fs::copy(GOOD, &copy).unwrap();
    let before = read(&copy);
    let output = in_root(mini())
        .args(["plan", RUN, "--programmes"])
        .arg(&copy)
        .arg("-o")
        .arg(&copy)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("is one of the programmes files"));
    assert_eq!(read(&copy), before);
}
