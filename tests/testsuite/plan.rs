//! `capgap plan` and the portfolio pipeline: the JSON fields of the plan, the budget,
//! duplicate rounds, and aggregates with trends.

use serde_json::Value;

use crate::support::{capgap, fixture, mini, root, stderr_of};

fn plan_json(args: &[&str]) -> (Vec<Value>, std::process::Output) {
    let output = mini()
        .arg("plan")
        .arg(fixture("validate/good"))
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let plan: Vec<Value> = serde_json::from_slice(&output.stdout).expect("a JSON array");
    (plan, output)
}

#[test]
fn the_plan_is_ranked_and_has_the_spec_fields() {
    let (plan, output) = plan_json(&[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let ranked: Vec<(&str, &str)> = plan
        .iter()
        .map(|c| {
            (
                c["country"].as_str().unwrap(),
                c["intervention"].as_str().unwrap(),
            )
        })
        .collect();
    // FJ rail training 4/20000 first; then a tie at 1e-4 per dollar, broken by the
    // larger benefit (FJ monitoring, 12) before KH training (2); KH inventory last.
    assert_eq!(
        ranked,
        [
            ("FJ", "training"),
            ("FJ", "monitoring"),
            ("KH", "training"),
            ("KH", "inventory")
        ]
    );
    for field in [
        "country",
        "sector",
        "intervention",
        "operators",
        "benefit",
        "cost",
        "selected",
    ] {
        assert!(plan[0].get(field).is_some(), "missing {field}");
    }
    assert_eq!(
        plan[1]["benefit"].as_f64(),
        Some(12.0),
        "operator weight 2 doubles the benefit"
    );
    assert!(
        plan.iter().all(|c| c["selected"] == true),
        "without a budget every candidate is selected"
    );
}

#[test]
fn a_candidate_that_does_not_fit_is_skipped_and_a_cheaper_one_taken() {
    let (plan, _) = plan_json(&["--budget", "100000"]);
    let selected: Vec<bool> = plan
        .iter()
        .map(|c| c["selected"].as_bool().unwrap())
        .collect();
    // 20k fits; 120k does not; 20k fits (40k); 50k fits (90k).
    assert_eq!(selected, [true, false, true, true]);
}

#[test]
fn two_questionnaires_for_the_same_operator_and_date_name_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let good = fixture("validate/good/kh-grid-2026.yaml");
    std::fs::copy(&good, dir.path().join("a.yaml")).unwrap();
    std::fs::copy(&good, dir.path().join("b.yaml")).unwrap();
    let output = mini().arg("plan").arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("a.yaml") && stderr.contains("b.yaml"),
        "{stderr}"
    );
}

#[test]
fn aggregates_carry_countries_regions_and_trends() {
    let output = capgap()
        .args(["score", "--aggregates"])
        .arg(root().join("questionnaires/examples"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let portfolio: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let countries = portfolio["countries"].as_array().expect("countries");
    assert!(countries.len() >= 8);
    let with_trend = countries.iter().filter(|c| c["trend"].is_object()).count();
    assert!(with_trend >= 3, "countries with a trend: {with_trend}");
    let regions: Vec<&str> = portfolio["regions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["scope"]["name"].as_str())
        .collect();
    assert!(
        regions.contains(&"ASEAN") && regions.contains(&"Sub-Saharan Africa"),
        "{regions:?}"
    );
    // The weakest operator sets a country's level.
    let kh = countries
        .iter()
        .find(|c| c["scope"]["country"] == "KH")
        .expect("KH");
    let members = portfolio["operators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["current"]["country"] == "KH")
        .map(|o| o["current"]["domains"][0]["level"].as_u64().unwrap_or(0))
        .min();
    assert_eq!(kh["domains"][0]["level"].as_u64(), members);
}

fn plan_table(args: &[&str]) -> String {
    let output = mini()
        .arg("plan")
        .arg(fixture("validate/good"))
        .args(args)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    String::from_utf8(output.stdout).unwrap()
}

fn ranks(table: &str) -> Vec<usize> {
    table
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn the_table_lists_what_is_asked_for() {
    // Not a terminal: every candidate, as before.
    assert_eq!(ranks(&plan_table(&[])), [1, 2, 3, 4]);
    let top = plan_table(&["--top", "2"]);
    assert_eq!(ranks(&top), [1, 2]);
    assert!(
        top.contains("2 more candidate(s): --all or --top N"),
        "{top}"
    );
    // With a budget: every funded candidate (1, 3, 4 fit $100,000), then N more.
    let funded = plan_table(&["--top", "0", "--budget", "100k"]);
    assert!(funded.contains("budget $100,000: 3 of 4"), "{funded}");
    assert_eq!(ranks(&funded), [1, 3, 4]);
    assert!(funded.contains("1 more candidate(s)"), "{funded}");
    assert_eq!(
        ranks(&plan_table(&["--top", "1", "--budget", "100k"])),
        [1, 2, 3, 4]
    );
    assert_eq!(
        ranks(&plan_table(&["--all", "--budget", "100k"])),
        [1, 2, 3, 4]
    );
    // The data formats always hold every candidate.
    let (plan, _) = plan_json(&["--top", "1"]);
    assert_eq!(plan.len(), 4);
}

#[test]
fn rounds_with_the_old_default_id_still_match() {
    // 2025 carries `lectricit-du-cambodge`, the id capgap 0.1 derived from
    // "Électricité du Cambodge"; 2026 has no operator_id (now `electricite-du-cambodge`).
    let output = mini()
        .args(["score", "--aggregates"])
        .arg(fixture("legacy_ids"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let portfolio: Value = serde_json::from_slice(&output.stdout).unwrap();
    let operators = portfolio["operators"].as_array().unwrap();
    assert_eq!(operators.len(), 1, "one operator with two rounds");
    assert_eq!(operators[0]["rounds"], 2);
    assert_eq!(
        operators[0]["current"]["operator_id"],
        "lectricit-du-cambodge"
    );
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("kh-edc-2026.yaml")
            && stderr.contains("add `operator_id: lectricit-du-cambodge`"),
        "{stderr}"
    );
    // Anonymised, the warning names neither the file nor the operator.
    let output = mini()
        .args(["plan", "--anonymize"])
        .arg(fixture("legacy_ids"))
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("1 round(s) without operator_id matched"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("kh-edc") && !stderr.contains("lectricit"),
        "{stderr}"
    );
}

#[test]
fn default_ids_read_like_the_name() {
    let output = capgap()
        .args(["template", "--sector", "power", "--operator"])
        .arg("Tổng công ty Điện lực Việt Nam")
        .output()
        .unwrap();
    assert!(
        crate::support::stdout_of(&output).contains("operator_id: tong-cong-ty-dien-luc-viet-nam")
    );
}
