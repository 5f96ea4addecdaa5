//! The cyber workforce of SPEC §9 end to end: shortfalls, their sums for every
//! aggregate and the training plan (after programmes' trainees) from `score
//! --aggregates` and `report`, checked against numbers worked out by hand for the
//! five operators of `fixtures/workforce/run/` on the mini model (roles
//! `ot-engineer` and `analyst`, both trained by `training`: 10 seats, $20,000).
//!
//! By hand, shortfall = max(0, needed - staff - in_training) per operator:
//! kh-a ot-engineer 6-1 = 5, analyst 4-0-1 = 3; kh-b ot-engineer 2-4 → 0 (a surplus
//! that fills nobody else's gap); kh-r ot-engineer 9-0-2 = 7; la-a ot-engineer 8,
//! analyst 1-1 = 0; la-r reported no workforce.

use serde_json::Value;

use crate::support::{fixture, mini, stdout_of};

fn aggregates(programmes: bool) -> Value {
    let mut cmd = mini();
    cmd.args(["score", "--aggregates"])
        .arg(fixture("workforce/run"));
    if programmes {
        cmd.arg("--programmes")
            .arg(fixture("workforce/programmes.yaml"));
    }
    let output = cmd.output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_str(&stdout_of(&output)).expect("JSON")
}

/// The workforce of the aggregate whose scope matches `kind` and `key = value`.
fn people<'v>(json: &'v Value, kind: &str, key: &str, value: &str) -> &'v Value {
    json["workforce"]["aggregates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["scope"]["kind"] == kind && (key.is_empty() || a["scope"][key] == value))
        .unwrap_or_else(|| panic!("no {kind} {value}"))
}

/// `[operators, staff, needed, in_training, shortfall]` of one role.
fn role(people: &Value, id: &str) -> [u64; 5] {
    let r = people["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == id)
        .unwrap_or_else(|| panic!("no role {id} in {people}"));
    ["operators", "staff", "needed", "in_training", "shortfall"].map(|f| r[f].as_u64().unwrap())
}

/// `(shortfall before programmes, trainees, shortfall, deliveries, cost)` of a plan line.
fn line(json: &Value, kind: &str, key: &str, value: &str, role: &str) -> (u64, u64, u64, u64, f64) {
    let l = json["workforce"]["training_plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            l["role"] == role
                && l["scope"]["kind"] == kind
                && (key.is_empty() || l["scope"][key] == value)
        })
        .unwrap_or_else(|| panic!("no plan line {kind} {value} {role}"));
    (
        l["shortfall_before_programmes"].as_u64().unwrap(),
        l["programme_trainees"].as_u64().unwrap(),
        l["shortfall"].as_u64().unwrap(),
        l["deliveries"].as_u64().unwrap(),
        l["cost_usd"].as_f64().unwrap(),
    )
}

#[test]
fn shortfalls_are_summed_for_every_aggregate() {
    let json = aggregates(false);
    let kh_power = people(&json, "country_sector", "sector", "power");
    assert_eq!(kh_power["scope"]["country"], "KH");
    assert_eq!(role(kh_power, "ot-engineer"), [2, 5, 8, 0, 5]);
    assert_eq!(role(kh_power, "analyst"), [1, 0, 4, 1, 3]);
    let kh = people(&json, "country", "country", "KH");
    assert_eq!(
        (kh["operators"].as_u64(), kh["reporting"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(role(kh, "ot-engineer"), [3, 5, 17, 2, 12]);
    let la = people(&json, "country", "country", "LA");
    assert_eq!(
        (la["operators"].as_u64(), la["reporting"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(role(la, "ot-engineer"), [1, 0, 8, 0, 8]);
    assert_eq!(role(la, "analyst"), [1, 1, 1, 0, 0]);
    let asean = people(&json, "region", "region", "asean");
    assert_eq!(role(asean, "ot-engineer"), [4, 5, 25, 2, 20]);
    let portfolio = people(&json, "portfolio", "", "");
    assert_eq!(role(portfolio, "ot-engineer"), [4, 5, 25, 2, 20]);
    assert_eq!(role(portfolio, "analyst"), [2, 1, 5, 1, 3]);
    // Each operator's own numbers, with its shortfall, are in the questionnaire scores.
    let output = mini()
        .args(["score", "--format", "json"])
        .arg(fixture("workforce/run/kh-b.yaml"))
        .output()
        .expect("runs");
    let scores: Value = serde_json::from_str(&stdout_of(&output)).unwrap();
    let kh_b = &scores[0]["workforce"][0];
    assert_eq!(kh_b["role"], "ot-engineer");
    assert_eq!(kh_b["shortfall"], 0);
}

#[test]
fn the_training_plan_rounds_deliveries_up_and_pools_a_region() {
    let json = aggregates(false);
    // KH: 12 people at 10 seats = 2 deliveries, $40,000; LA: 8 → 1.
    assert_eq!(
        line(&json, "country", "country", "KH", "ot-engineer"),
        (12, 0, 12, 2, 40_000.0)
    );
    assert_eq!(
        line(&json, "country", "country", "KH", "analyst"),
        (3, 0, 3, 1, 20_000.0)
    );
    assert_eq!(
        line(&json, "country", "country", "LA", "ot-engineer"),
        (8, 0, 8, 1, 20_000.0)
    );
    // ASEAN pools KH's 12 and LA's 8: 20 people, 2 deliveries (not 2 + 1).
    assert_eq!(
        line(&json, "region", "region", "asean", "ot-engineer"),
        (20, 0, 20, 2, 40_000.0)
    );
    // LA's analysts have no shortfall: no line.
    let lines = json["workforce"]["training_plan"].as_array().unwrap();
    assert!(
        !lines
            .iter()
            .any(|l| l["scope"]["country"] == "LA" && l["role"] == "analyst")
    );
}

#[test]
fn programme_trainees_come_off_the_shortfall_before_rounding() {
    // p-jp (funded) trains 4 at every KH power operator through `training`: they go
    // to ot-engineer first (the model's role order), at kh-a (5 → 1). p-eu was
    // delivered before la-a's round: already in la-a's numbers, not counted again.
    let json = aggregates(true);
    assert_eq!(
        line(&json, "country", "country", "KH", "ot-engineer"),
        (12, 4, 8, 1, 20_000.0)
    );
    assert_eq!(
        line(&json, "country", "country", "KH", "analyst"),
        (3, 0, 3, 1, 20_000.0)
    );
    assert_eq!(
        line(&json, "country", "country", "LA", "ot-engineer"),
        (8, 0, 8, 1, 20_000.0)
    );
    assert_eq!(
        line(&json, "region", "region", "asean", "ot-engineer"),
        (20, 4, 16, 2, 40_000.0)
    );
    assert_eq!(
        line(&json, "portfolio", "", "", "ot-engineer"),
        (20, 4, 16, 2, 40_000.0)
    );
    // The sums of the aggregates stay the operators' own numbers.
    assert_eq!(
        role(people(&json, "country", "country", "KH"), "ot-engineer"),
        [3, 5, 17, 2, 12]
    );
}

#[test]
fn the_report_gives_the_same_numbers_in_workforce_csv_and_on_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let output = mini()
        .arg("report")
        .arg(fixture("workforce/run"))
        .arg("-o")
        .arg(&out)
        .arg("--programmes")
        .arg(fixture("workforce/programmes.yaml"))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let csv = std::fs::read_to_string(out.join("workforce.csv")).unwrap();
    let csv = csv.trim_start_matches('\u{feff}');
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let cell = |row: &Vec<&str>, name: &str| {
        row[header.iter().position(|h| *h == name).unwrap()].to_owned()
    };
    let kh = rows
        .iter()
        .find(|r| r[0] == "country" && r[2] == "KH" && r[7] == "ot-engineer")
        .expect("a KH ot-engineer row");
    for (name, want) in [
        ("operators", "3"),
        ("reporting", "3"),
        ("staff", "5"),
        ("needed", "17"),
        ("in_training", "2"),
        ("shortfall", "12"),
        ("programme_trainees", "4"),
        ("shortfall_after_programmes", "8"),
        ("intervention", "training"),
        ("seats", "10"),
        ("deliveries", "1"),
        ("cost_usd", "20000"),
        ("programmes", "p-jp"),
    ] {
        assert_eq!(cell(kh, name), want, "{name}");
    }
    // A country × sector row has the sums but no plan.
    let kh_rail = rows
        .iter()
        .find(|r| r[0] == "country_sector" && r[3] == "rail" && r[7] == "ot-engineer")
        .unwrap();
    assert_eq!(
        (cell(kh_rail, "shortfall"), cell(kh_rail, "deliveries")),
        ("7".into(), String::new())
    );
    let aggregates: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("aggregates.json")).unwrap())
            .unwrap();
    assert_eq!(aggregates["workforce"]["training_plan"][0]["deliveries"], 1);

    let operator = std::fs::read_to_string(out.join("operators/kh-a.html")).unwrap();
    assert!(operator.contains("People in cyber roles"));
    assert!(operator.contains("OT security engineer"));
    // kh-a needs 6 + 4 people and is short of 5 + 3.
    assert!(operator.contains("8 of the 10 people needed"), "{operator}");
    let country = std::fs::read_to_string(out.join("countries/KH.html")).unwrap();
    assert!(country.contains("Training plan") && country.contains("<svg"));
    assert!(
        country.contains("p-jp"),
        "the programme whose trainees count is named"
    );
    let portfolio = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(portfolio.contains("Training plans by region"));
    assert!(portfolio.contains("People per cyber role, every operator"));
    // An operator without a workforce section has no such table.
    let la_r = std::fs::read_to_string(out.join("operators/la-r.html")).unwrap();
    assert!(!la_r.contains("People in cyber roles"));
}

#[test]
fn the_templates_workforce_section_lists_every_role_and_validates_once_uncommented() {
    let output = mini()
        .args(["template", "--sector", "power", "--country", "KH"])
        .args(["--operator", "Example Grid"])
        .output()
        .expect("runs");
    let template = stdout_of(&output);
    assert!(template.contains("# workforce:"));
    assert!(
        template.contains("Secures the control systems"),
        "role descriptions"
    );
    let uncommented: String = template
        .lines()
        .map(|line| {
            if line == "# workforce:" {
                "workforce:".to_owned()
            } else if let Some(role) = line
                .strip_prefix("#   ")
                .filter(|l| l.contains(": { staff"))
            {
                format!("  {role}")
            } else {
                line.to_owned()
            }
        })
        .map(|line| line + "\n")
        .collect();
    for role in ["ot-engineer", "analyst"] {
        assert!(
            uncommented.contains(&format!("\n  {role}: {{ staff:")),
            "{role}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.yaml");
    std::fs::write(&file, uncommented).unwrap();
    let output = mini()
        .args(["score", "--format", "json"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    let scores: Value = serde_json::from_str(&stdout_of(&output)).unwrap();
    assert_eq!(scores[0]["workforce"][0]["role"], "ot-engineer");
    assert_eq!(
        scores[0]["workforce"][0]["shortfall"], 1,
        "the example line: 1 of 2"
    );
}

#[test]
fn programmes_on_score_need_aggregates() {
    let output = mini()
        .arg("score")
        .arg(fixture("workforce/run"))
        .arg("--programmes")
        .arg(fixture("workforce/programmes.yaml"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(crate::support::stderr_of(&output).contains("--aggregates"));
}
