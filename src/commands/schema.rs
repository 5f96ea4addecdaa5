//! `capgap schema`: the JSON Schema (draft-07) of a questionnaire or a model, for
//! editors (yaml-language-server). The questionnaire schema is generated from the
//! loader's types, then given the loaded model's sectors, practice ids (with their
//! questions) and responses, so editors can complete and check them.

use anyhow::Result;
use serde_json::{Value, json};

use super::{Context, Outcome};
use crate::cli::{SchemaArgs, SchemaKind};
use crate::load;
use crate::model::{Model, NOT_APPLICABLE};
use crate::output::writer::emit;

pub fn run(context: &Context, args: &SchemaArgs) -> Result<Outcome> {
    let schema = match args.kind {
        SchemaKind::Questionnaire => questionnaire_schema(&context.model),
        SchemaKind::Model => load::model_schema().to_value(),
    };
    let mut bytes = serde_json::to_vec_pretty(&schema)?;
    bytes.push(b'\n');
    emit(None, &bytes)?;
    Ok(Outcome::Clean)
}

/// The questionnaire schema with the model's ids filled in.
pub fn questionnaire_schema(model: &Model) -> Value {
    let mut schema = load::questionnaire_schema().to_value();
    schema["title"] = json!(format!("capgap questionnaire for {}", model.reference()));
    let properties = &mut schema["properties"];
    properties["sector"]["enum"] = json!(model.sectors.iter().map(|s| &s.id).collect::<Vec<_>>());
    properties["tlp"]["enum"] = json!(["clear", "green", "amber", "amber+strict", "red", null]);
    properties["model"]["pattern"] = json!(format!(
        "^{}@{}\\.",
        regex_escape(&model.id),
        model.version.major
    ));
    properties["country"]["pattern"] = json!("^[A-Z]{2}$");
    properties["assessed_on"]["pattern"] = json!("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    let mut responses: Vec<Value> = model.responses.iter().map(|r| json!(r.id)).collect();
    responses.push(json!(NOT_APPLICABLE));
    let response_help = model
        .responses
        .iter()
        .map(|r| format!("{} = {}", r.id, r.label.en()))
        .chain(std::iter::once(format!(
            "{NOT_APPLICABLE} = not applicable"
        )))
        .collect::<Vec<_>>()
        .join("; ");
    let practices: serde_json::Map<String, Value> = model
        .domains
        .iter()
        .flat_map(|d| &d.practices)
        .map(|p| {
            let description = format!("{} (level {}) {}", p.id, p.level, p.question.en());
            let answer = json!({
                "description": description,
                "anyOf": [
                    { "type": "null" },
                    { "enum": responses, "description": response_help },
                    { "type": "object", "additionalProperties": false, "properties": {
                        "response": { "enum": responses },
                        "evidence": { "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }] },
                        "note": { "type": ["string", "null"] }
                    } }
                ]
            });
            (p.id.clone(), answer)
        })
        .collect();
    properties["answers"] = json!({
        "description": "One answer per practice id.",
        "type": ["object", "null"],
        "additionalProperties": false,
        "properties": practices,
    });
    let domains: Vec<&String> = model.domains.iter().map(|d| &d.id).collect();
    let levels: Vec<u32> = model.levels.iter().map(|l| l.level).collect();
    properties["targets"] = json!({
        "description": "Target level overrides per domain id.",
        "type": ["object", "null"],
        "propertyNames": { "enum": domains },
        "additionalProperties": { "enum": levels },
    });
    schema
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_ascii_alphanumeric() {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}
