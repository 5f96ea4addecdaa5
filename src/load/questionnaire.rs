//! Loading one questionnaire: YAML → raw types with positions → a validated
//! [`Questionnaire`] plus every diagnostic (errors that exclude the file, warnings
//! that do not). Semantic errors point at the offending key or value.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use super::yaml::{self, OneOrMany, PlainKey, Source, SpannedMap, nearest};
use crate::country;
use crate::diag::{Diagnostic, Severity, has_errors};
use crate::model::{Model, NOT_APPLICABLE};
use crate::questionnaire::{
    Answer, Date, Questionnaire, Response, Tlp, is_valid_operator_id, slug,
};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, bound(deserialize = "K: Deserialize<'de>"))]
#[schemars(bound = "")]
pub(crate) struct RawQuestionnaire<K = Spanned<String>> {
    /// The capability model this questionnaire answers, as id@version (e.g. cicmm@1.0.0).
    #[schemars(with = "String")]
    pub(super) model: Spanned<String>,
    /// The operator's country, ISO 3166-1 alpha-2 in upper case (e.g. KH).
    #[schemars(with = "String")]
    pub(super) country: Spanned<String>,
    /// The operator's sector, one of the model's sectors (e.g. power, rail).
    #[schemars(with = "String")]
    pub(super) sector: Spanned<String>,
    /// The operator's name.
    #[schemars(with = "String")]
    pub(super) operator: Spanned<String>,
    /// A stable id for the operator across rounds; default: a slug of the name.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) operator_id: Option<Spanned<String>>,
    /// The date of the assessment, YYYY-MM-DD.
    #[schemars(with = "String")]
    pub(super) assessed_on: Spanned<String>,
    /// Who assessed (a name or a team).
    #[serde(default)]
    pub(super) assessor: Option<String>,
    /// Traffic Light Protocol 2.0 label: clear, green, amber, amber+strict or red. Default amber.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) tlp: Option<Spanned<String>>,
    /// The operator's share when aggregating its country (> 0, default 1).
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub(super) weight: Option<Spanned<f64>>,
    /// Target level overrides per domain id.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, u32>")]
    pub(super) targets: SpannedMap<Spanned<u32>, K>,
    /// One answer per practice id: a response id, `na`, or { response, evidence, note }.
    #[schemars(with = "std::collections::BTreeMap<String, RawAnswer>")]
    pub(super) answers: Spanned<SpannedMap<Spanned<RawAnswer>, K>>,
}

/// The questionnaire's top-level fields, for "did you mean" on typos.
pub const FIELDS: &[&str] = &[
    "model",
    "country",
    "sector",
    "operator",
    "operator_id",
    "assessed_on",
    "assessor",
    "tlp",
    "weight",
    "targets",
    "answers",
];

/// An answer as written: blank, the short form (a response id) or the long form.
#[derive(Debug)]
pub(crate) enum RawAnswer {
    Blank,
    Short(String),
    Long(RawLongAnswer),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLongAnswer {
    /// A response id of the model's scale, or `na`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub(super) response: Option<Spanned<String>>,
    /// What the assessor saw: documents, records, observations.
    #[serde(default)]
    pub(super) evidence: OneOrMany,
    /// A remark; required in practice for `na`.
    #[serde(default)]
    pub(super) note: Option<String>,
}

impl<'de> Deserialize<'de> for RawAnswer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl<'de> Visitor<'de> for AnswerVisitor {
            type Value = RawAnswer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a response id (e.g. `fully`), `na`, or a map with `response`, `evidence` and `note`")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(RawAnswer::Blank)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(RawAnswer::Blank)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawAnswer::Short(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawLongAnswer::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawAnswer::Long)
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}

/// The result of loading one questionnaire file.
#[derive(Debug)]
pub struct Loaded {
    /// `None` when there was an error (or a warning under `--strict`).
    pub questionnaire: Option<Questionnaire>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates one questionnaire against the model.
pub fn load_questionnaire(model: &Model, path: &str, bytes: Vec<u8>, strict: bool) -> Loaded {
    let failed = |d: Diagnostic| Loaded {
        questionnaire: None,
        diagnostics: vec![d],
    };
    let text = match yaml::text_of(path, bytes) {
        Ok(text) => text,
        Err(d) => return failed(d),
    };
    let source = Source::new(path, &text);
    if let Some(questionnaire) = fast_path(model, source) {
        return Loaded {
            questionnaire: Some(questionnaire),
            diagnostics: Vec::new(),
        };
    }
    let raw: RawQuestionnaire = match yaml::parse(source, FIELDS) {
        Ok(raw) => raw,
        Err(d) => return failed(d),
    };
    let mut diagnostics = Vec::new();
    let questionnaire = validate(model, source, raw, &mut diagnostics);
    if strict {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    diagnostics.sort_by_key(|d| (d.line, d.col));
    Loaded {
        questionnaire: questionnaire.filter(|_| !has_errors(&diagnostics)),
        diagnostics,
    }
}

/// The fast path (see [`load_questionnaire`]): libyaml's port parses a plain
/// document into the same raw types, without positions. `None` sends the file
/// to the positioned parser: anything unusual (anchors, aliases, tags, merge
/// keys), any parse error, repeated keys, and any diagnostic at all.
fn fast_path(model: &Model, source: Source<'_>) -> Option<Questionnaire> {
    let raw = fast_parse(source.text)?;
    // Any unknown key means diagnostics: leave them to the positioned parser.
    if raw
        .answers
        .value
        .0
        .iter()
        .any(|(key, _)| model.practice_ref(&key.value).is_none())
    {
        return None;
    }
    let mut diagnostics = Vec::new();
    let questionnaire = validate(model, source, raw, &mut diagnostics);
    questionnaire.filter(|_| diagnostics.is_empty())
}

/// The fast parse alone; `None` when the file needs the positioned parser.
fn fast_parse(text: &str) -> Option<RawQuestionnaire> {
    if let Some(raw) = super::fast::read(text) {
        return Some(raw);
    }
    if !looks_plain(text) {
        return None;
    }
    let raw: RawQuestionnaire<PlainKey> = serde_norway::from_str(text).ok()?;
    // libyaml keeps repeated keys of a mapping that Rust reads as a list; the subset
    // reader and serde-saphyr refuse them, so leave such a file to serde-saphyr.
    if has_repeated_keys(&raw.answers.value.0) || has_repeated_keys(&raw.targets.0) {
        return None;
    }
    let answers = Spanned {
        value: raw.answers.value.spanned(),
        referenced: raw.answers.referenced,
        defined: raw.answers.defined,
    };
    Some(RawQuestionnaire {
        model: raw.model,
        country: raw.country,
        sector: raw.sector,
        operator: raw.operator,
        operator_id: raw.operator_id,
        assessed_on: raw.assessed_on,
        assessor: raw.assessor,
        tlp: raw.tlp,
        weight: raw.weight,
        targets: raw.targets.spanned(),
        answers,
    })
}

/// Whether a file has the shape of an ordinary questionnaire: no anchors, aliases,
/// tags or merge keys, flow collections at most two deep and block indentation of at
/// most 12 spaces. Anything else (hostile nesting included) goes to the positioned
/// parser, whose budgets refuse it quickly. `&`, `*` and `!` count only where a node
/// can start (line start, after `: `, `- `, `[`, `{` or `,`), so "O&M" in a note is plain.
fn looks_plain(text: &str) -> bool {
    const MAX_INDENT: usize = 12;
    const MAX_FLOW_DEPTH: usize = 2;
    if text.contains("<<") {
        return false;
    }
    let special = |rest: &str| {
        matches!(
            rest.trim_start_matches(' ').bytes().next(),
            Some(b'&' | b'*' | b'!')
        )
    };
    let mut flow_depth = 0usize;
    for line in text.lines() {
        let content = line.trim_start_matches(' ');
        if content.starts_with('#') || content.is_empty() {
            continue;
        }
        if line.len() - content.len() > MAX_INDENT || special(content) {
            return false;
        }
        if content.strip_prefix("- ").is_some_and(special) {
            return false;
        }
        let bytes = content.as_bytes();
        for (i, &byte) in bytes.iter().enumerate() {
            // Only ASCII bytes are matched below, so `i + 1` is a character boundary.
            let rest = || &content[i + 1..];
            match byte {
                b'[' | b'{' => {
                    flow_depth += 1;
                    if flow_depth > MAX_FLOW_DEPTH || special(rest()) {
                        return false;
                    }
                }
                b']' | b'}' => flow_depth = flow_depth.saturating_sub(1),
                b',' if special(rest()) => return false,
                b':' if rest().starts_with(' ') && special(rest()) => return false,
                _ => {}
            }
        }
    }
    true
}

fn has_repeated_keys<V>(entries: &[(PlainKey, V)]) -> bool {
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(entries.len());
    entries.iter().any(|(key, _)| !seen.insert(key.0.as_str()))
}

/// Parses only, into the raw types, with the parser `load_questionnaire` would use
/// for this file: the floor that `score` is measured against.
pub fn parse_only(path: &str, bytes: Vec<u8>) -> bool {
    yaml::text_of(path, bytes).ok().is_some_and(|text| {
        fast_parse(&text).is_some()
            || yaml::parse::<RawQuestionnaire>(Source::new(path, &text), FIELDS).is_ok()
    })
}

fn validate(
    model: &Model,
    source: Source<'_>,
    raw: RawQuestionnaire,
    out: &mut Vec<Diagnostic>,
) -> Option<Questionnaire> {
    check_model_reference(model, source, &raw.model, out);

    let country = raw.country.value.trim();
    if !country::is_assigned(country) {
        let upper = country.to_ascii_uppercase();
        let help = if country::is_assigned(&upper) {
            format!("country codes are upper case: `{upper}`")
        } else {
            "use the ISO 3166-1 alpha-2 code, e.g. KH for Cambodia, FJ for Fiji, KE for Kenya"
                .into()
        };
        push(
            out,
            source.error(
                &raw.country,
                format!("`{country}` is not an ISO 3166-1 alpha-2 country code"),
            ),
            Some(help),
        );
    }

    let sector = model.sector(&raw.sector.value);
    if sector.is_none() {
        let ids: Vec<&str> = model.sectors.iter().map(|s| s.id.as_str()).collect();
        let help = nearest(&raw.sector.value, ids.iter().copied())
            .map(|n| format!("did you mean `{n}`?"))
            .unwrap_or_else(|| format!("the model's sectors are: {}", ids.join(", ")));
        push(
            out,
            source.error(
                &raw.sector,
                format!("unknown sector `{}`", raw.sector.value),
            ),
            Some(help),
        );
    }

    let operator = raw.operator.value.trim().to_owned();
    if operator.is_empty() {
        push(
            out,
            source.error(&raw.operator, "the operator name is empty"),
            None,
        );
    }
    let operator_id = match &raw.operator_id {
        Some(id) => {
            if !is_valid_operator_id(&id.value) {
                push(
                out,
                    source.error(id, format!("operator_id `{}` is not a safe identifier", id.value)),
                    Some("use letters, digits, `-`, `_` and `.`, starting with a letter or digit, e.g. kh-example-grid".into()),
                );
            }
            id.value.clone()
        }
        None => slug(&operator),
    };

    let assessed_on = Date::parse(raw.assessed_on.value.trim());
    if assessed_on.is_none() {
        push(
            out,
            source.error(
                &raw.assessed_on,
                format!("`{}` is not a valid date", raw.assessed_on.value),
            ),
            Some(
                "write the date as YYYY-MM-DD, e.g. 2026-09-14, and check that the day exists"
                    .into(),
            ),
        );
    }

    let tlp = match &raw.tlp {
        None => Tlp::default(),
        Some(tlp) => Tlp::parse(&tlp.value).unwrap_or_else(|| {
            push(
                out,
                source.error(tlp, format!("`{}` is not a TLP 2.0 label", tlp.value)),
                Some("use one of: clear, green, amber, amber+strict, red".into()),
            );
            Tlp::default()
        }),
    };

    let weight = match &raw.weight {
        None => 1.0,
        Some(w) if w.value.is_finite() && w.value > 0.0 => w.value,
        Some(w) => {
            push(
                out,
                source.error(
                    w,
                    format!("weight must be a positive number, found {}", w.value),
                ),
                None,
            );
            1.0
        }
    };

    let mut targets = Vec::new();
    for (domain, level) in &raw.targets.0 {
        if model.domain(&domain.value).is_none() {
            let help = nearest(&domain.value, model.domains.iter().map(|d| d.id.as_str()))
                .map(|n| format!("did you mean `{n}`?"));
            push(
                out,
                source.error(
                    domain,
                    format!("target names an unknown domain `{}`", domain.value),
                ),
                help,
            );
        } else if !model.levels.iter().any(|l| l.level == level.value) {
            let levels: Vec<String> = model.levels.iter().map(|l| l.level.to_string()).collect();
            push(
                out,
                source.error(
                    level,
                    format!(
                        "target level {} is not one of the model's levels",
                        level.value
                    ),
                ),
                Some(format!("use one of: {}", levels.join(", "))),
            );
        } else {
            targets.push((domain.value.clone(), level.value));
        }
    }

    let mut answers: Vec<Option<Answer>> = vec![None; model.practice_count()];
    let response_list = || {
        let mut ids: Vec<&str> = model.responses.iter().map(|r| r.id.as_str()).collect();
        ids.push(NOT_APPLICABLE);
        ids
    };
    let answers_at = key_line(source, "answers")
        .map(|line| source.at(Severity::Warning, line, 1, "answers".len(), ""))
        .unwrap_or_else(|| source.warning(&raw.answers, ""));
    // A file of thousands of made-up keys gets a bounded list, not one error each.
    const MAX_UNKNOWN_REPORTED: usize = 50;
    let mut unknown = 0usize;
    // Practices with an answer, valid or not: only the others are reported unanswered.
    let mut answered = vec![false; model.practice_count()];
    for (key, answer) in raw.answers.value.0 {
        let Some(at) = model.practice_ref(&key.value) else {
            unknown += 1;
            if unknown > MAX_UNKNOWN_REPORTED {
                continue;
            }
            let help = nearest(&key.value, model.practice_ids())
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    "see `capgap template --sector SECTOR` for the practice ids".into()
                });
            push(
                out,
                source.error(&key, format!("unknown practice `{}`", key.value)),
                Some(help),
            );
            continue;
        };
        let practice = model.practice(at);
        if !matches!(answer.value, RawAnswer::Blank) {
            answered[model.flat_index(at)] = true;
        }
        if let Some(sector) = sector.filter(|s| !practice.applies_to(&s.id)) {
            let applies = practice.sectors.as_deref().unwrap_or_default().join(", ");
            push(
                out,
                source.error(
                    &key,
                    format!(
                        "practice `{}` does not apply to the {} sector",
                        key.value, sector.id
                    ),
                ),
                Some(format!("it applies to: {applies}; remove this answer")),
            );
            continue;
        }
        let (response_text, evidence, note) = match answer.value {
            RawAnswer::Blank => (None, Vec::new(), None),
            RawAnswer::Short(response) => (
                Some(Spanned {
                    value: response,
                    referenced: answer.referenced,
                    defined: answer.defined,
                }),
                Vec::new(),
                None,
            ),
            RawAnswer::Long(long) => (
                long.response,
                long.evidence.0,
                long.note.filter(|n| !n.trim().is_empty()),
            ),
        };
        let response = match &response_text {
            None => Response::Blank,
            Some(r) if r.value == NOT_APPLICABLE => {
                if note.is_none() {
                    out.push(
                        source
                            .warning(r, format!("`{}` is marked `na` without a note", key.value))
                            .with_help("use the long form with `note:` to say why the practice does not apply"),
                    );
                }
                Response::NotApplicable
            }
            Some(r) => match model.response(&r.value) {
                Some((index, _)) => Response::Scale(index),
                None => {
                    let ids = response_list();
                    let help = match nearest(&r.value, ids.iter().copied()) {
                        Some(near) => {
                            format!("did you mean `{near}`? valid responses: {}", ids.join(", "))
                        }
                        None => format!("valid responses: {}", ids.join(", ")),
                    };
                    out.push(
                        source
                            .error(r, format!("unknown response `{}`", r.value))
                            .with_help(help),
                    );
                    continue;
                }
            },
        };
        answers[model.flat_index(at)] = Some(Answer {
            response,
            evidence,
            note,
        });
    }

    if unknown > MAX_UNKNOWN_REPORTED {
        out.push(Diagnostic {
            severity: Severity::Error,
            message: format!(
                "{} more unknown practice ids are not listed",
                unknown - MAX_UNKNOWN_REPORTED
            ),
            help: Some(
                "is this a questionnaire for another model? pass it with --model FILE".into(),
            ),
            ..answers_at.clone()
        });
    }

    if let Some(sector) = sector {
        let unanswered: Vec<&str> = model
            .practices()
            .filter(|(at, practice)| {
                practice.applies_to(&sector.id) && !answered[model.flat_index(*at)]
            })
            .map(|(_, practice)| practice.id.as_str())
            .collect();
        if !unanswered.is_empty() {
            let shown: Vec<&str> = unanswered.iter().take(8).copied().collect();
            let more = if unanswered.len() > shown.len() {
                format!(" and {} more", unanswered.len() - shown.len())
            } else {
                String::new()
            };
            out.push(Diagnostic {
                message: format!("{} applicable practice(s) left unanswered: {}{more}", unanswered.len(), shown.join(", ")),
                help: Some("unanswered practices count as not implemented; answer them or mark them `na` with a note".into()),
                ..answers_at
            });
        }
    }

    Some(Questionnaire {
        file: source.path.to_owned(),
        model: raw.model.value,
        country: country.to_owned(),
        sector: sector?.id.clone(),
        operator,
        operator_id,
        assessed_on: assessed_on?,
        assessor: raw.assessor.filter(|a| !a.trim().is_empty()),
        tlp,
        weight,
        targets,
        answers,
    })
}

fn check_model_reference(
    model: &Model,
    source: Source<'_>,
    reference: &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let loaded = model.reference();
    let Some((id, version)) = reference.value.trim().split_once('@') else {
        push(
            out,
            source.error(
                reference,
                format!("`{}` is not a model reference", reference.value),
            ),
            Some(format!("write it as id@version, e.g. `{loaded}`")),
        );
        return;
    };
    let version = match semver::Version::parse(version) {
        Ok(v) => v,
        Err(_) => {
            push(
                out,
                source.error(reference, format!("`{version}` is not a semver version")),
                Some(format!("write it as id@version, e.g. `{loaded}`")),
            );
            return;
        }
    };
    if id != model.id {
        push(
            out,
            source.error(
                reference,
                format!(
                    "this questionnaire is for model `{id}`, but the loaded model is `{}`",
                    model.id
                ),
            ),
            Some("pass the right model with --model FILE".into()),
        );
    } else if version.major != model.version.major
        || (version.major == 0 && version.minor != model.version.minor)
    {
        push(
                out,
            source.error(reference, format!("this questionnaire is for {id}@{version}, but the loaded model is {loaded}: the major versions differ")),
            Some("questionnaires must be answered against the same major version of the model; pass the right model with --model FILE".into()),
        );
    }
}

fn push(out: &mut Vec<Diagnostic>, diagnostic: Diagnostic, help: Option<String>) {
    out.push(Diagnostic { help, ..diagnostic });
}

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

/// The JSON Schema (draft-07) of a questionnaire, generated from the types above.
pub fn schema() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawQuestionnaire>()
}

/// The 1-based line of a top-level key, found in the text.
fn key_line(source: Source<'_>, key: &str) -> Option<u64> {
    source
        .text
        .lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|index| index as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads every `*.yaml` under `dir` both ways and checks they agree; returns how
    /// many files the subset reader took.
    fn compare_parsers(model: &Model, dir: &str, require_fast: bool) -> (usize, usize) {
        let (mut compared, mut subset) = (0, 0);
        for entry in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_none_or(|e| e != "yaml") {
                continue;
            }
            let path = entry.path().display().to_string();
            let text = std::fs::read_to_string(entry.path()).expect("readable");
            let source = Source::new(&path, &text);
            let read = super::super::fast::read(&text).is_some();
            assert!(read || !require_fast, "{path}: the subset reader gave up");
            subset += usize::from(read);
            let Some(fast) = fast_path(model, source) else {
                continue;
            };
            let raw: RawQuestionnaire = yaml::parse(source, FIELDS).expect("parses");
            let mut diagnostics = Vec::new();
            let slow = validate(model, source, raw, &mut diagnostics).expect("valid");
            assert!(diagnostics.is_empty(), "{path}: {diagnostics:?}");
            assert_eq!(fast, slow, "{path}");
            compared += 1;
        }
        (compared, subset)
    }

    /// The fast paths must read every shipped example exactly as the positioned parser
    /// does. `CAPGAP_EQUIVALENCE_DIRS` (colon-separated) adds more folders, e.g. the
    /// benchmark's synthetic files written with `--keep`.
    #[test]
    fn both_parsers_read_the_examples_alike() {
        let model =
            crate::load::load_model("model.yaml", crate::load::DEFAULT_MODEL.as_bytes().to_vec())
                .expect("the default model is valid");
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires/examples");
        let (compared, _) = compare_parsers(&model, examples, true);
        assert!(compared >= 20, "{compared} examples compared");
        for dir in std::env::var("CAPGAP_EQUIVALENCE_DIRS")
            .unwrap_or_default()
            .split(':')
            .filter(|d| !d.is_empty())
        {
            let (compared, subset) = compare_parsers(&model, dir, false);
            eprintln!("{dir}: {compared} compared, {subset} read by the subset reader");
        }
    }

    #[test]
    fn unusual_files_take_the_positioned_parser() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "<<: {a: 1}\n",
            "a: [[[1]]]\n",
            "a:\n              b: 1\n",
            "a: *x\n",
            "- &a 1\n",
            "a: [1, *x]\n",
            "*a: 1\n",
        ] {
            assert!(!looks_plain(text), "{text:?}");
        }
        assert!(looks_plain(
            "operator: Société Électrique – Nord (R&D), [x]\n"
        ));
        assert!(looks_plain(
            "# comment with & and *\nanswers:\n  A-1a:\n    evidence: [\"O&M manual\"]\n    note: R&D, 3 * 4!\n"
        ));
    }
}
