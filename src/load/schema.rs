//! The JSON Schemas (draft-07) of a questionnaire and a model, for editors and for
//! third-party validators. They are written out by hand as JSON values (not derived
//! from types) so that they use only standard draft-07 keywords and formats that
//! strict validators (ajv `strict: true`, the `jsonschema` crate) accept: no union
//! `type` lists, no non-standard `format`s, a `type` beside every keyword that needs
//! one. The questionnaire schema is built from the loaded model: its practice ids
//! (one description each, shown once on hover), its responses (every message about a
//! response lists them), and with a sector only the practices of that sector. The
//! schema is a help for editors; the loader (`questionnaire.rs`) stays the judge and
//! never reads it. Pure: no IO.

use serde_json::{Map, Value, json};

use super::check::{MAX_EVIDENCE_ITEMS, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_WEIGHT};
use crate::model::{InterventionKind, Model, NOT_APPLICABLE, Sector};
use crate::questionnaire::Tlp;

/// The draft the schemas are written in.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// An ISO date that exists: YYYY-MM-DD with the month's number of days, 29 February
/// only in leap years (as `Date::parse` accepts).
pub const DATE_PATTERN: &str = concat!(
    "^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])",
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)",
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))",
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29)$"
);

/// The control characters text may not hold anywhere (as `check::is_forbidden_control`;
/// tabs and line breaks, which block scalars may hold, are left to `capgap validate`).
/// Two-digit `\x` escapes read alike in ECMA-262 (ajv, editors) and Rust's regex.
const CONTROL: &str = r"\x00-\x08\x0B-\x1F\x7F-\x9F";

/// Text without forbidden control characters.
fn text_pattern() -> String {
    format!("^[^{CONTROL}]*$")
}

/// A semantic version, MAJOR.MINOR.PATCH with optional pre-release and build.
const SEMVER: &str = r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?";

/// The JSON Schema of a questionnaire for `model`: with `sector`, only that sector's
/// practices are answers; without, any sector, and each sector's answers are
/// limited to its practices. Descriptions are in `lang` where the model has it.
pub fn questionnaire(model: &Model, sector: Option<&Sector>, lang: &str) -> Value {
    let sectors: Vec<&Sector> = match sector {
        Some(s) => vec![s],
        None => model.sectors.iter().collect(),
    };
    let responses = response_values(model);
    let response_list = response_list(model, lang);
    let sector_help = sectors
        .iter()
        .map(|s| format!("{} ({})", s.id, s.name.get(lang)))
        .collect::<Vec<_>>()
        .join(", ");
    let domains: Vec<&str> = model.domains.iter().map(|d| d.id.as_str()).collect();
    let levels: Vec<u32> = model.levels.iter().map(|l| l.level).collect();
    let roles: Vec<&str> = model.roles.iter().map(|r| r.id.as_str()).collect();
    let countries: Vec<&str> = crate::country::COUNTRIES.iter().map(|(c, _)| *c).collect();
    let tlps: Vec<&str> = Tlp::ALL.iter().map(|t| t.as_str()).collect();

    let mut practices = Map::new();
    for domain in &model.domains {
        for practice in &domain.practices {
            if !sectors.iter().any(|s| practice.applies_to(&s.id)) {
                continue;
            }
            let level = model.level_name(practice.level, lang).unwrap_or_default();
            // The title is the hover's heading: the description does not repeat it.
            let title = format!(
                "{} — {}, level {} ({level})",
                practice.id,
                domain.name.get(lang),
                practice.level,
            );
            let mut description = practice.question.get(lang).to_owned();
            if !practice.guidance.en().is_empty() {
                description.push_str("\n\nGuidance: ");
                description.push_str(practice.guidance.get(lang));
            }
            if sector.is_none()
                && let Some(only) = &practice.sectors
            {
                description.push_str(&format!("\n\nSectors: {}", only.join(", ")));
            }
            description.push_str(&format!("\n\nResponses: {response_list}"));
            practices.insert(
                practice.id.clone(),
                json!({
                    "title": title,
                    "description": description,
                    "allOf": [{ "$ref": "#/definitions/answer" }],
                }),
            );
        }
    }

    let title = match sector {
        Some(s) => format!(
            "capgap questionnaire, {} sector ({})",
            s.id,
            model.reference()
        ),
        None => format!("capgap questionnaire ({})", model.reference()),
    };
    let major = if model.version.major == 0 {
        format!(r"0\.{}\.", model.version.minor)
    } else {
        format!(r"{}\.", model.version.major)
    };
    let model_pattern = format!(
        r"^{}@{major}{}$",
        regex_escape(&model.id),
        // The rest of the version after MAJOR. (or 0.MINOR.).
        if model.version.major == 0 {
            r"(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?"
        } else {
            r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?"
        }
    );

    let mut schema = json!({
        "$schema": DRAFT_07,
        "title": title,
        "description": "One operator's answers for one assessment round; check it with `capgap validate FILE`.",
        "type": "object",
        "additionalProperties": false,
        "required": ["model", "country", "sector", "operator", "assessed_on", "answers"],
        "properties": {
            "model": {
                "description": format!("The capability model this questionnaire answers, as id@version: {} (same major version).", model.reference()),
                "type": "string",
                "pattern": model_pattern,
            },
            "country": {
                "description": "The operator's country: an ISO 3166-1 alpha-2 code in upper case, e.g. KH.",
                "type": "string",
                "enum": countries,
            },
            "sector": {
                "description": format!("The operator's sector: {sector_help}."),
                "type": "string",
                "enum": sectors.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            },
            "operator": {
                "description": "The operator's name.",
                "type": "string",
                "pattern": format!(r"^[^{CONTROL}]*[^\s{CONTROL}][^{CONTROL}]*$"),
                "maxLength": MAX_NAME_CHARS,
            },
            "operator_id": {
                "description": "A stable id for the operator across rounds (letters, digits, `-`, `_`, `.`); default: made from the name.",
                "type": "string",
                "pattern": r"^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*$",
                "maxLength": 80,
            },
            "assessed_on": {
                "description": "The date of the assessment, YYYY-MM-DD (a day that exists), e.g. 2026-09-14.",
                "type": "string",
                "pattern": DATE_PATTERN,
            },
            "assessor": {
                "description": "Who assessed: a name or a team.",
                "anyOf": [{ "type": "null" }, { "type": "string", "maxLength": MAX_NAME_CHARS, "pattern": text_pattern() }],
            },
            "tlp": {
                "description": format!("Traffic Light Protocol 2.0 label: {}. Default amber.", tlps.join(", ")),
                "anyOf": [
                    { "type": "string", "enum": tlps },
                    { "type": "string", "pattern": tlp_pattern(&tlps) },
                ],
            },
            "weight": {
                "description": format!("The operator's share when aggregating its country: greater than 0, at most {MAX_WEIGHT}; default 1."),
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": MAX_WEIGHT,
            },
            "targets": {
                "description": format!("Overrides of the sector's target levels, per domain id; levels: {}.", join(&levels)),
                "type": "object",
                "propertyNames": { "enum": domains },
                "additionalProperties": { "type": "integer", "enum": levels },
            },
            "answers": {
                "description": format!("One answer per practice id: a response ({response_list}), blank (unanswered), or the long form with response, evidence and note."),
                "anyOf": [
                    { "type": "null" },
                    { "type": "object", "additionalProperties": false, "properties": practices },
                ],
            },
            "workforce": {
                "description": format!("The operator's cyber workforce per role id ({}): staff, needed and in_training (whole numbers from 0).", roles.join(", ")),
                "type": "object",
                "propertyNames": { "enum": roles },
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["staff", "needed"],
                    "properties": {
                        "staff": { "description": "People in the role now.", "type": "integer", "minimum": 0 },
                        "needed": { "description": "People the operator needs in the role.", "type": "integer", "minimum": 0 },
                        "in_training": { "description": "People being trained for the role.", "type": "integer", "minimum": 0 },
                    },
                },
            },
        },
        "definitions": {
            "answer": {
                "anyOf": [
                    { "enum": responses },
                    { "$ref": "#/definitions/long_answer" },
                ],
            },
            "long_answer": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "response": {
                        "description": format!("The response: {response_list}."),
                        "enum": responses,
                    },
                    "evidence": {
                        "description": "What the assessor saw: documents, records, observations (a text or a list of texts).",
                        "anyOf": [
                            { "type": "null" },
                            { "type": "string", "maxLength": MAX_NOTE_CHARS, "pattern": text_pattern() },
                            { "type": "array", "maxItems": MAX_EVIDENCE_ITEMS, "items": {
                                "anyOf": [{ "type": "null" }, { "type": "string", "maxLength": MAX_NOTE_CHARS, "pattern": text_pattern() }]
                            } },
                        ],
                    },
                    "note": {
                        "description": "A remark; say here why a practice is `na`.",
                        "anyOf": [{ "type": "null" }, { "type": "string", "maxLength": MAX_NOTE_CHARS, "pattern": text_pattern() }],
                    },
                },
            },
        },
    });
    if sector.is_none() {
        schema["allOf"] = Value::Array(
            model
                .sectors
                .iter()
                .map(|s| sector_rule(model, s))
                .collect(),
        );
    }
    schema
}

/// Without `--sector`: a questionnaire of sector S answers only S's practices.
fn sector_rule(model: &Model, sector: &Sector) -> Value {
    let ids: Vec<&str> = model
        .applicable(&sector.id)
        .map(|p| p.id.as_str())
        .collect();
    json!({
        "if": {
            "type": "object",
            "required": ["sector"],
            "properties": { "sector": { "const": sector.id } },
        },
        "then": {
            "type": "object",
            "properties": {
                "answers": {
                    "anyOf": [
                        { "type": "null" },
                        { "type": "object", "propertyNames": { "enum": ids } },
                    ],
                },
            },
        },
    })
}

/// The values an answer may take: the model's response ids, `na`, and blank.
fn response_values(model: &Model) -> Vec<Value> {
    model
        .responses
        .iter()
        .map(|r| json!(r.id))
        .chain([json!(NOT_APPLICABLE), Value::Null])
        .collect()
}

/// "fully (Fully implemented), ..., na (not applicable)".
fn response_list(model: &Model, lang: &str) -> String {
    model
        .responses
        .iter()
        .map(|r| format!("{} ({})", r.id, r.label.get(lang)))
        .chain([format!("{NOT_APPLICABLE} (not applicable)")])
        .collect::<Vec<_>>()
        .join(", ")
}

/// The TLP labels as capgap reads them: any case, with or without `TLP:`.
fn tlp_pattern(labels: &[&str]) -> String {
    let any_case = |text: &str| -> String {
        text.chars()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
                } else {
                    regex_escape(&c.to_string())
                }
            })
            .collect()
    };
    let labels: Vec<String> = labels.iter().map(|l| any_case(l)).collect();
    format!(r"^\s*(?:{}:)?(?:{})\s*$", any_case("tlp"), labels.join("|"))
}

fn join(values: &[u32]) -> String {
    values
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn regex_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if !c.is_ascii_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A text field: a string, or a map of language codes to strings with `en`.
fn text(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            { "type": "string" },
            {
                "type": "object",
                "required": ["en"],
                "properties": { "en": { "type": "string" } },
                "additionalProperties": { "type": "string" },
            },
        ],
    })
}

fn positive(description: &str, max: f64) -> Value {
    json!({ "description": description, "type": "number", "exclusiveMinimum": 0, "maximum": max })
}

fn id_list(description: &str) -> Value {
    json!({ "description": description, "type": "array", "items": { "type": "string" } })
}

/// The JSON Schema of a capability model (SPEC §2).
pub fn model() -> Value {
    let kinds: Vec<&str> = InterventionKind::ALL.iter().map(|k| k.as_str()).collect();
    let practice = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "level", "question"],
        "properties": {
            "id": { "description": "The practice id, unique across the model.", "type": "string" },
            "level": { "description": "One of the model's levels.", "type": "integer", "minimum": 0 },
            "question": text("The question the assessor asks."),
            "guidance": text("What a Fully answer looks like; what evidence to ask for."),
            "sectors": id_list("The sectors the practice applies to; absent: every sector."),
            "weight": positive("The practice's weight in its domain: greater than 0; default 1.", MAX_WEIGHT),
            "refs": id_list("References to frameworks (e.g. CSF 2.0 ID.AM-01)."),
            "interventions": id_list("The ids of the interventions that close this practice."),
        },
    });
    json!({
        "$schema": DRAFT_07,
        "title": "capgap capability model",
        "description": "Levels, the answer scale, sectors with their targets, domains with their practices, and aid interventions (see docs/model.md).",
        "type": "object",
        "additionalProperties": false,
        "required": ["id", "version", "title", "levels", "responses", "sectors", "domains"],
        "properties": {
            "id": { "description": "The model's id: a-z, 0-9 and -.", "type": "string", "pattern": "^[a-z0-9-]+$" },
            "version": { "description": "A semantic version, MAJOR.MINOR.PATCH.", "type": "string", "pattern": format!("^{SEMVER}$") },
            "title": text("The model's title."),
            "levels": {
                "description": "Maturity levels, lowest first.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["level", "name"],
                    "properties": {
                        "level": { "description": "The level's number.", "type": "integer", "minimum": 0 },
                        "name": text("The level's name."),
                        "description": text("What the level means."),
                    },
                },
            },
            "responses": {
                "description": "The answer scale; `na` is built in.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id", "label", "credit", "achieves"],
                    "properties": {
                        "id": { "description": "The response id assessors write.", "type": "string" },
                        "label": text("The response's label."),
                        "credit": { "description": "The share of implementation it counts for, 0 to 1.", "type": "number", "minimum": 0, "maximum": 1 },
                        "achieves": { "description": "Whether it counts as the practice achieved.", "type": "boolean" },
                    },
                },
            },
            "sectors": {
                "description": "The sectors questionnaires may name.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id", "name"],
                    "properties": {
                        "id": { "description": "The sector id.", "type": "string" },
                        "name": text("The sector's name."),
                        "targets": {
                            "description": "Target level per domain id, and `default` for the others.",
                            "type": "object",
                            "additionalProperties": { "type": "integer", "minimum": 0 },
                        },
                    },
                },
            },
            "domains": {
                "description": "The domains and their practices.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id", "name", "practices"],
                    "properties": {
                        "id": { "description": "The domain id: upper case, digits and -.", "type": "string", "pattern": "^[A-Z][A-Z0-9-]*$" },
                        "name": text("The domain's name."),
                        "description": text("What the domain covers."),
                        "weight": positive("The domain's weight in the index: greater than 0; default 1.", MAX_WEIGHT),
                        "practices": {
                            "type": "array",
                            "items": practice,
                        },
                    },
                },
            },
            "interventions": {
                "description": "Aid interventions.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id", "name", "kind", "cost_usd"],
                    "properties": {
                        "id": { "description": "The intervention id.", "type": "string" },
                        "name": text("The intervention's name."),
                        "kind": { "description": format!("One of: {}.", kinds.join(", ")), "type": "string", "enum": kinds },
                        "cost_usd": positive("The indicative cost in US dollars for one operator.", 1e10),
                        "description": text("What the intervention delivers."),
                        "seats": { "description": "People trained per delivery of a training intervention: a whole number from 1; default 20.", "type": "integer", "minimum": 1, "maximum": 10000 },
                    },
                },
            },
            "roles": {
                "description": "Cyber workforce roles (SPEC §9): the questionnaire's `workforce` section counts people per role.",
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id", "name", "training"],
                    "properties": {
                        "id": { "description": "The role id.", "type": "string" },
                        "name": text("The role's name."),
                        "description": text("What people in the role do."),
                        "training": id_list("The ids of the training interventions that build the role."),
                    },
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    //! The schemas checked by a third-party validator (the `jsonschema` crate, draft
    //! 07, unknown formats refused): they are valid draft-07, they accept what the
    //! loader accepts and reject what it rejects, on every example and fixture.

    use std::path::{Path, PathBuf};

    use serde_json::{Map, Value};

    use super::*;
    use crate::load::QUESTIONNAIRE_FIELDS as FIELDS;
    use crate::load::tree::{self, Kind, Node, Resolved};
    use crate::load::{DEFAULT_MODEL, load_model, load_questionnaire};
    use crate::questionnaire::Date;

    fn shipped_model() -> Model {
        load_model("model.yaml", DEFAULT_MODEL.as_bytes().to_vec()).expect("the model is valid")
    }

    fn validator(schema: &Value) -> jsonschema::Validator {
        jsonschema::draft7::meta::validate(schema).expect("valid draft-07");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_ignore_unknown_formats(false)
            .build(schema)
            .expect("the schema compiles")
    }

    /// A YAML node as JSON, with YAML 1.2 core scalars (as editors read them).
    fn json(node: &Node<'_>) -> Value {
        match &node.kind {
            Kind::Scalar { .. } => match node.resolve().expect("a scalar") {
                Resolved::Null => Value::Null,
                Resolved::Bool(b) => Value::Bool(b),
                Resolved::Int(i) => i64::try_from(i).map_or(Value::from(i as f64), Value::from),
                Resolved::Float(f) => Value::from(f),
                Resolved::Str(s) => Value::from(s),
            },
            Kind::Seq(items) => items.iter().map(json).collect(),
            Kind::Map(entries) => {
                let mut map = Map::new();
                for (key, value) in entries {
                    let key = key.scalar().map_or_else(String::new, |(t, _)| t.to_owned());
                    map.insert(key, json(value));
                }
                Value::Object(map)
            }
        }
    }

    fn yaml_files(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("a fixture folder")
            .map(|e| e.expect("an entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                out.extend(yaml_files(&path));
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(path);
            }
        }
        out
    }

    /// The file as JSON, and whether capgap's loader finds no error in it.
    fn read(model: &Model, path: &Path) -> (Value, bool) {
        let text = std::fs::read_to_string(path).expect("readable");
        let root = tree::parse(&text).expect("YAML").expect("a document");
        let loaded = load_questionnaire(model, "f.yaml", text.clone().into_bytes(), false);
        (json(&root), loaded.questionnaire.is_some())
    }

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn the_schemas_agree_with_the_loader_on_every_example_and_fixture() {
        let model = shipped_model();
        let any = validator(&questionnaire(&model, None, "en"));
        let sectors: Vec<(&str, jsonschema::Validator)> = model
            .sectors
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    validator(&questionnaire(&model, Some(s), "en")),
                )
            })
            .collect();
        let fixtures = root().join("tests/testsuite/fixtures/schema");
        let examples = yaml_files(&root().join("questionnaires/examples"));
        let valid = yaml_files(&fixtures.join("valid"));
        let invalid = yaml_files(&fixtures.join("invalid"));
        assert!(examples.len() > 20 && valid.len() >= 2 && invalid.len() >= 15);
        for path in examples.iter().chain(&valid) {
            let (value, loads) = read(&model, path);
            assert!(loads, "{} loads", path.display());
            let errors: Vec<String> = any.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            for (id, schema) in &sectors {
                assert_eq!(
                    schema.is_valid(&value),
                    value["sector"] == *id,
                    "{} against the {id} schema",
                    path.display()
                );
            }
        }
        for path in &invalid {
            let (value, loads) = read(&model, path);
            assert!(!loads, "{} is refused by the loader", path.display());
            assert!(!any.is_valid(&value), "{} is refused", path.display());
            for (id, schema) in &sectors {
                assert!(!schema.is_valid(&value), "{} by {id}", path.display());
            }
        }
    }

    #[test]
    fn the_model_schema_accepts_the_models() {
        let schema = validator(&model());
        for path in [
            "questionnaires/model.yaml",
            "tests/fixtures/mini-model.yaml",
        ] {
            let text = std::fs::read_to_string(root().join(path)).expect("readable");
            let value = json(&tree::parse(&text).expect("YAML").expect("a document"));
            let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{path}: {errors:?}");
        }
        let mut bad = json(&tree::parse(DEFAULT_MODEL).unwrap().unwrap());
        bad["domains"][0]["weight"] = Value::from(-1);
        assert!(!schema.is_valid(&bad), "a negative weight");
    }

    #[test]
    fn the_date_pattern_is_the_loader_s_date() {
        let date = validator(&serde_json::json!({ "type": "string", "pattern": DATE_PATTERN }));
        for year in [1900, 1999, 2000, 2023, 2024, 2026, 2100, 2400] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    assert_eq!(
                        date.is_valid(&Value::from(text.as_str())),
                        Date::parse(&text).is_some(),
                        "{text}"
                    );
                }
            }
        }
        for bad in [
            "2026-9-14",
            "26-09-14",
            "2026-09-14x",
            " 2026-09-14",
            "2026/09/14",
        ] {
            assert!(!date.is_valid(&Value::from(bad)), "{bad}");
        }
    }

    #[test]
    fn the_text_pattern_refuses_the_loader_s_control_characters_only() {
        let text = validator(&serde_json::json!({ "type": "string", "pattern": text_pattern() }));
        for c in (0u32..0x110000)
            .step_by(7)
            .chain(0..0xa0)
            .filter_map(char::from_u32)
        {
            let forbidden = super::super::check::is_forbidden_control(c);
            assert_eq!(
                text.is_valid(&Value::from(format!("a{c}b"))),
                !forbidden,
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn a_sector_s_schema_offers_only_its_practices_and_lists_the_responses() {
        let model = shipped_model();
        let power = model.sector("power").expect("a power sector");
        let schema = questionnaire(&model, Some(power), "en");
        let answers = &schema["properties"]["answers"]["anyOf"][1]["properties"];
        let offered: Vec<&String> = answers.as_object().expect("practices").keys().collect();
        let applicable: Vec<&String> = model.applicable("power").map(|p| &p.id).collect();
        assert_eq!(offered.len(), applicable.len());
        assert!(offered.iter().all(|id| applicable.contains(id)));
        let description = answers["ASSET-1a"]["description"].as_str().expect("text");
        for response in model.responses.iter().map(|r| r.id.as_str()).chain(["na"]) {
            assert!(
                description.contains(&format!("{response} (")),
                "{description}"
            );
        }
        let title = answers["ASSET-1a"]["title"].as_str().expect("a title");
        assert!(title.starts_with("ASSET-1a — "), "{title}");
        assert!(!description.contains("ASSET-1a"), "said once, in the title");
        let question = &model
            .practice(model.practice_ref("ASSET-1a").unwrap())
            .question;
        assert!(description.starts_with(question.en()), "{description}");
        for field in FIELDS {
            assert!(schema["properties"][field].is_object(), "{field}");
        }
    }
}
