//! `capgap schema` and `capgap model`: draft-07 schemas generated from the types,
//! with the model's ids filled in; a model summary.

use serde_json::Value;

use crate::support::{capgap, mini, stdout_of};

fn schema(kind: &str) -> Value {
    let output = mini().args(["schema", kind]).output().expect("runs");
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn questionnaire_schema_knows_the_model() {
    let schema = schema("questionnaire");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in [
        "model",
        "country",
        "sector",
        "operator",
        "assessed_on",
        "answers",
    ] {
        assert!(required.contains(&field), "{field} required");
    }
    assert_eq!(
        schema["properties"]["sector"]["enum"],
        serde_json::json!(["power", "rail"])
    );
    let answers = &schema["properties"]["answers"]["anyOf"][1];
    assert!(answers["properties"]["RAIL-1a"].is_object());
    assert_eq!(answers["additionalProperties"], false);
    assert_eq!(
        schema["additionalProperties"], false,
        "unknown fields are errors"
    );
}

#[test]
fn a_sector_s_schema_has_only_its_practices() {
    let output = mini()
        .args(["schema", "questionnaire", "--sector", "rail"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        crate::support::stderr_of(&output)
    );
    let schema: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        schema["properties"]["sector"]["enum"],
        serde_json::json!(["rail"])
    );
    let answers = &schema["properties"]["answers"]["anyOf"][1]["properties"];
    assert!(answers["RAIL-1a"].is_object());
    assert!(
        answers.get("SITUATION-2b").is_none(),
        "power-only practices are left out"
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        !text.contains("\"format\""),
        "no formats strict validators refuse"
    );

    let output = mini()
        .args(["schema", "questionnaire", "--sector", "water"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        crate::support::stderr_of(&output)
            .contains("unknown sector `water`; the model's sectors are: power, rail")
    );
}

#[test]
fn model_schema_and_summary() {
    let schema = schema("model");
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(schema["properties"]["domains"].is_object());
    let output = mini().arg("model").output().expect("runs");
    let stdout = stdout_of(&output);
    assert!(stdout.contains("mini@1.2.0"), "{stdout}");
    assert!(
        stdout.contains("3 domains, 9 practices, 2 sectors, 3 interventions"),
        "{stdout}"
    );
    let output = capgap()
        .args(["model", "--format", "json"])
        .output()
        .expect("runs");
    let model: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(model["domains"].as_array().is_some_and(|d| !d.is_empty()));
}

#[test]
fn the_shipped_schema_file_is_up_to_date() {
    let output = capgap()
        .args(["schema", "questionnaire"])
        .output()
        .expect("runs");
    let shipped = std::fs::read(
        crate::support::root().join("questionnaires/capgap-questionnaire.schema.json"),
    )
    .expect("the schema file is shipped");
    assert!(
        output.stdout == shipped,
        "regenerate it: capgap schema questionnaire > questionnaires/capgap-questionnaire.schema.json"
    );
}
