//! The data files capgap writes — `score --format csv|json`, `plan --format csv` and
//! the report's `scores.csv`, `scores.json`, `gaps.csv`, `plan.csv` — agree: the same
//! columns, numbers, order and file mode; CSV on disk begins with a byte-order mark
//! (standard output has none) and no text cell can run as a spreadsheet formula.

use std::path::Path;

use crate::support::{fixture, mini};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `capgap --model mini ARGS` in the fixture folder, on its two files by name
/// (the first is called `=cmd.yaml`, so its path is a formula too).
fn run(args: &[&str], dir: Option<&Path>) -> std::process::Output {
    let mut cmd = mini();
    cmd.current_dir(fixture("data_files")).args(args);
    cmd.args(["=cmd.yaml", "electricite.yaml"]);
    if let Some(dir) = dir {
        cmd.arg("-o").arg(dir);
    }
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    output
}

fn cells(csv: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn no_formula(name: &str, csv: &[u8]) {
    for row in cells(csv.strip_prefix(BOM).unwrap_or(csv)) {
        for cell in row {
            let first = cell.chars().next();
            let risky = first.is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
            assert!(
                !risky || cell.parse::<f64>().is_ok(),
                "{name}: a formula cell {cell:?}"
            );
        }
    }
}

#[test]
fn csv_on_disk_has_a_bom_and_no_formula_cells() {
    let stdout = run(&["score", "--format", "csv"], None).stdout;
    assert!(!stdout.starts_with(BOM), "standard output has no BOM");
    no_formula("score --format csv", &stdout);
    let rows = cells(&stdout);
    let header = &rows[0];
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(
        rows[1][at("operator")],
        "'=HYPERLINK(\"http://example.org\",\"open\")"
    );
    assert_eq!(rows[1][at("file")], "'=cmd.yaml");
    assert_eq!(rows[1][at("tlp")], "green");
    assert_eq!(
        rows.last().unwrap()[at("operator")],
        "Électricité du Cambodge"
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scores.csv");
    run(&["score", "--format", "csv"], Some(&file));
    let on_disk = std::fs::read(&file).unwrap();
    assert!(on_disk.starts_with(BOM), "a CSV file begins with a BOM");
    assert_eq!(&on_disk[BOM.len()..], stdout.as_slice());

    let plan = dir.path().join("plan.csv");
    run(&["plan", "--format", "csv"], Some(&plan));
    assert!(std::fs::read(&plan).unwrap().starts_with(BOM));

    let report = dir.path().join("report");
    run(&["report"], Some(&report));
    for name in ["scores.csv", "gaps.csv", "plan.csv"] {
        let bytes = std::fs::read(report.join(name)).unwrap();
        assert!(bytes.starts_with(BOM), "{name} begins with a BOM");
        no_formula(name, &bytes);
    }
    // The report's scores.csv is `score -o scores.csv`, byte for byte.
    assert_eq!(std::fs::read(report.join("scores.csv")).unwrap(), on_disk);
    let gaps = std::fs::read(report.join("gaps.csv")).unwrap();
    let gaps = cells(&gaps[BOM.len()..]);
    assert!(gaps[0].contains(&"tlp".to_owned()));
}

#[test]
fn json_in_the_same_order_and_precision_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report");
    run(&["report"], Some(&report));
    let from_score: serde_json::Value =
        serde_json::from_slice(&run(&["score", "--format", "json"], None).stdout).unwrap();
    let from_report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("scores.json")).unwrap()).unwrap();
    assert_eq!(
        from_score, from_report,
        "the same records in the same order"
    );
    let files: Vec<&str> = from_score
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["=cmd.yaml", "electricite.yaml"], "input order");

    // Every number has at most six decimal places (six significant digits below 0.1),
    // in JSON and in CSV alike.
    fn check(value: &serde_json::Value, numbers: &mut usize) {
        match value {
            serde_json::Value::Number(n) => {
                let v = n.as_f64().unwrap();
                let text = format!("{v}");
                let decimals = text.split_once('.').map_or("", |(_, d)| d);
                let significant = decimals.trim_start_matches('0');
                assert!(
                    decimals.len() <= 6 || (v.abs() < 0.1 && significant.len() <= 6),
                    "{v}"
                );
                *numbers += 1;
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| check(v, numbers)),
            serde_json::Value::Object(map) => map.values().for_each(|v| check(v, numbers)),
            _ => {}
        }
    }
    let mut numbers = 0;
    check(&from_score, &mut numbers);
    let aggregates: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("aggregates.json")).unwrap()).unwrap();
    check(&aggregates, &mut numbers);
    assert!(numbers > 100);
    let csv = run(&["score", "--format", "csv"], None).stdout;
    let rows = cells(&csv);
    let at = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    // Each CSV implementation cell is the JSON number, as written.
    for row in &rows[1..] {
        let domain = from_score
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["file"].as_str().map(|f| f.trim_start_matches('\''))
                    == Some(row[at("file")].trim_start_matches('\''))
            })
            .and_then(|s| {
                s["domains"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|d| d["id"] == row[at("domain")].as_str())
            })
            .unwrap();
        let json = domain["implementation"].as_f64().map(|v| format!("{v}"));
        assert_eq!(json.as_deref().unwrap_or(""), row[at("implementation")]);
    }
}

#[cfg(unix)]
#[test]
fn score_files_and_report_files_have_one_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scores.json");
    run(&["score", "--format", "json"], Some(&file));
    let report = dir.path().join("report");
    run(&["report"], Some(&report));
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&file), mode(&report.join("scores.json")));
    assert_ne!(mode(&file), 0o600, "not tempfile's private mode");
}
