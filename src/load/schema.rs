//! The JSON Schemas (draft-07) of a questionnaire and a model, for editors. These
//! types exist only to describe the file formats to schemars; the loaders read the
//! positioned tree (`tree.rs`) and never build them. `capgap schema` fills in the
//! loaded model's ids.

#![allow(dead_code)]

use schemars::JsonSchema;

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestionnaire {
    /// The capability model this questionnaire answers, as id@version (e.g. cicmm@1.0.0).
    #[schemars(with = "String")]
    model: String,
    /// The operator's country, ISO 3166-1 alpha-2 in upper case (e.g. KH).
    #[schemars(with = "String")]
    country: String,
    /// The operator's sector, one of the model's sectors (e.g. power, rail).
    #[schemars(with = "String")]
    sector: String,
    /// The operator's name.
    #[schemars(with = "String")]
    operator: String,
    /// A stable id for the operator across rounds; default: a slug of the name.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    operator_id: Option<String>,
    /// The date of the assessment, YYYY-MM-DD.
    #[schemars(with = "String")]
    assessed_on: String,
    /// Who assessed (a name or a team).
    #[serde(default)]
    assessor: Option<String>,
    /// Traffic Light Protocol 2.0 label: clear, green, amber, amber+strict or red. Default amber.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    tlp: Option<String>,
    /// The operator's share when aggregating its country (> 0, default 1).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    weight: Option<f64>,
    /// Target level overrides per domain id.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, u32>")]
    targets: Unlisted,
    /// One answer per practice id: a response id, `na`, or { response, evidence, note }.
    #[schemars(with = "std::collections::BTreeMap<String, RawAnswer>")]
    answers: std::collections::BTreeMap<String, RawAnswer>,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLongAnswer {
    /// A response id of the model's scale, or `na`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    response: Option<String>,
    /// What the assessor saw: documents, records, observations.
    #[serde(default)]
    evidence: OneOrMany,
    /// A remark; required in practice for `na`.
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    #[schemars(with = "String")]
    id: String,
    #[schemars(with = "String")]
    version: String,
    #[schemars(with = "RawText")]
    title: RawText,
    levels: Vec<RawLevel>,
    responses: Vec<RawResponse>,
    sectors: Vec<RawSector>,
    domains: Vec<RawDomain>,
    #[serde(default)]
    interventions: Vec<RawIntervention>,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    #[schemars(with = "u32")]
    level: u32,
    #[schemars(with = "RawText")]
    name: RawText,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    description: Option<RawText>,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    #[schemars(with = "String")]
    id: String,
    #[schemars(with = "RawText")]
    label: RawText,
    #[schemars(with = "f64")]
    credit: f64,
    #[schemars(with = "bool")]
    achieves: bool,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSector {
    #[schemars(with = "String")]
    id: String,
    #[schemars(with = "RawText")]
    name: RawText,
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, u32>")]
    targets: Unlisted,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    #[schemars(with = "String")]
    id: String,
    #[schemars(with = "RawText")]
    name: RawText,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    description: Option<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    weight: Option<f64>,
    practices: Vec<RawPractice>,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    #[schemars(with = "String")]
    id: String,
    #[schemars(with = "u32")]
    level: u32,
    #[schemars(with = "RawText")]
    question: RawText,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    guidance: Option<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    sectors: Option<Vec<String>>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    weight: Option<f64>,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    interventions: Vec<String>,
}

#[derive(Debug, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawIntervention {
    #[schemars(with = "String")]
    id: String,
    #[schemars(with = "RawText")]
    name: RawText,
    #[schemars(with = "String")]
    kind: String,
    #[schemars(with = "f64")]
    cost_usd: f64,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    description: Option<RawText>,
}

/// An answer as written: blank, the short form (a response id) or the long form.
#[derive(Debug)]
pub struct RawAnswer;

impl JsonSchema for RawAnswer {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Answer".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let long = generator.subschema_for::<RawLongAnswer>();
        schemars::json_schema!({
            "description": "A response id (short form), `na`, blank (unanswered), or the long form with evidence and a note.",
            "anyOf": [{ "type": "null" }, { "type": "string" }, long]
        })
    }
}

/// The JSON Schema of a questionnaire.
pub fn questionnaire() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawQuestionnaire>()
}

/// The JSON Schema of a capability model.
pub fn model() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawModel>()
}

/// A field type the schema takes from `#[schemars(with)]`; it has no serialized
/// default, so the schema shows none.
#[derive(Debug, Default)]
pub struct Unlisted;

/// A text field as written: a plain string, or a map of language codes to strings.
#[derive(Debug)]
pub struct RawText;

impl JsonSchema for RawText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A string, or a map of language codes to strings with `en` required.",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "required": ["en"], "additionalProperties": { "type": "string" } }
            ]
        })
    }
}

/// A list of strings that may also be written as a single string.
#[derive(Debug, Default)]
pub struct OneOrMany;

impl JsonSchema for OneOrMany {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StringOrList".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }]
        })
    }
}
