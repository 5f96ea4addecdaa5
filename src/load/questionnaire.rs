//! Loading one questionnaire: bytes → text → the positioned tree (the fast reader,
//! or the general parser where it gives up) → a validated [`Questionnaire`] plus
//! every diagnostic (errors that exclude the file, warnings that do not), all found
//! in one pass over the tree. Each problem points at the offending key or value.
//! A new field goes in [`FIELDS`] and in `validate`, a new check in `validate`.

use super::check::{Checker, Fields, MAX_EVIDENCE_ITEMS, MAX_NAME_CHARS, MAX_NOTE_CHARS, shown};
use super::tree::{self, Kind, Node};
use super::yaml::{self, Source, nearest};
use crate::diag::{Diagnostic, Severity, has_errors};
use crate::model::{Model, NOT_APPLICABLE};
use crate::questionnaire::{
    Answer, Questionnaire, Response, Staffing, Tlp, is_valid_operator_id, slug,
};

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
    "workforce",
];

const ANSWER_FIELDS: &[&str] = &["response", "evidence", "note"];
const STAFFING_FIELDS: &[&str] = &["staff", "needed", "in_training"];

/// The most people one operator may report for one role.
const MAX_HEADCOUNT: u32 = 100_000;

/// The result of loading one questionnaire file.
#[derive(Debug)]
pub struct Loaded {
    /// `None` when there was an error (or a warning under `--strict`).
    pub questionnaire: Option<Questionnaire>,
    pub diagnostics: Vec<Diagnostic>,
    /// A workbook's TLP as its cell declares it, read also when the file is invalid
    /// (`None` for YAML, whose text is scanned instead, or when it cannot be read).
    pub declared_tlp: Option<Tlp>,
}

/// Reads a questionnaire's text into the tree: the fast reader where it can, else
/// the general parser. Either way the same tree with the same positions.
pub(crate) fn read_tree(text: &str) -> Result<Option<Node<'_>>, tree::SyntaxError> {
    match super::fast::read(text) {
        Some(node) => Ok(Some(node)),
        None => tree::parse(text),
    }
}

/// A syntax error as a diagnostic.
pub(crate) fn syntax_diagnostic(source: Source<'_>, err: tree::SyntaxError) -> Diagnostic {
    source
        .at(
            Severity::Error,
            u64::from(err.pos.line),
            u64::from(err.pos.col),
            1,
            err.message,
        )
        .with_help(err.help)
}

/// Parses and validates one questionnaire against the model.
pub fn load_questionnaire(model: &Model, path: &str, bytes: Vec<u8>, strict: bool) -> Loaded {
    if super::xlsx::is_workbook(path) {
        return super::xlsx::load_workbook(model, path, &bytes, strict);
    }
    let failed = |d: Diagnostic| Loaded {
        questionnaire: None,
        diagnostics: vec![d],
        declared_tlp: None,
    };
    let text = match yaml::text_of(path, bytes) {
        Ok(text) => text,
        Err(d) => return failed(d),
    };
    let source = Source::new(path, &text);
    let root = match read_tree(&text) {
        Ok(Some(root)) => root,
        Ok(None) => return failed(yaml::empty_file(path)),
        Err(err) => return failed(syntax_diagnostic(source, err)),
    };
    let mut check = Checker::new(source);
    let questionnaire = validate(model, &mut check, &root);
    let mut diagnostics = check.out;
    diagnostics.sort_by_key(|d| (d.line, d.col));
    finish(questionnaire, diagnostics, strict, None)
}

/// The verdict: `--strict` makes warnings errors; any error drops the questionnaire.
pub(super) fn finish(
    questionnaire: Option<Questionnaire>,
    mut diagnostics: Vec<Diagnostic>,
    strict: bool,
    declared_tlp: Option<Tlp>,
) -> Loaded {
    if strict {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    Loaded {
        questionnaire: questionnaire.filter(|_| !has_errors(&diagnostics)),
        diagnostics,
        declared_tlp,
    }
}

/// Parses only, into the tree, with the reader `load_questionnaire` would use for
/// this file: the floor that `score` is measured against.
pub fn parse_only(path: &str, bytes: Vec<u8>) -> bool {
    if super::xlsx::is_workbook(path) {
        return super::xlsx::read_only(path, &bytes);
    }
    yaml::text_of(path, bytes)
        .ok()
        .is_some_and(|text| matches!(read_tree(&text), Ok(Some(_))))
}

pub(super) fn validate(
    model: &Model,
    check: &mut Checker<'_>,
    root: &Node<'_>,
) -> Option<Questionnaire> {
    let fields = check.fields(root, "a questionnaire", FIELDS)?;
    if !matches!(root.kind, Kind::Map(_)) {
        // A blank document: every field is missing; say so once.
        check.error(
            root,
            "the questionnaire has no fields",
            Some("start from `capgap template --sector SECTOR`".into()),
        );
        return None;
    }

    let reference = check
        .required(
            &fields,
            "model",
            &format!(
                "write the model this questionnaire answers, e.g. `model: {}`",
                model.reference()
            ),
        )
        .and_then(|node| {
            let r = check.word(node, "a model reference (id@version)", || {
                format!("write it as id@version, e.g. `{}`", model.reference())
            })?;
            check_model_reference(model, check, node, r);
            Some(r.to_owned())
        });

    let country = check
        .required(
            &fields,
            "country",
            "write the ISO 3166-1 alpha-2 code, e.g. `country: KH`",
        )
        .and_then(|node| check.country(node));

    let sector_ids = || {
        model
            .sectors
            .iter()
            .map(|s| s.id.as_str())
            .collect::<Vec<_>>()
    };
    let sector = check
        .required(
            &fields,
            "sector",
            &format!(
                "write one of the model's sectors: {}",
                sector_ids().join(", ")
            ),
        )
        .and_then(|node| {
            let id = check.word(node, "a sector", || {
                format!("the model's sectors are: {}", sector_ids().join(", "))
            })?;
            let sector = model.sector(id);
            if sector.is_none() {
                let ids = sector_ids();
                let help = nearest(id, ids.iter().copied())
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("the model's sectors are: {}", ids.join(", ")));
                check.error(node, format!("unknown sector `{}`", shown(id)), Some(help));
            }
            sector
        });

    let operator = check
        .required(
            &fields,
            "operator",
            "write the operator's name, e.g. `operator: Example Grid Company`",
        )
        .and_then(|node| {
            let name = check.text(node, "the operator name", MAX_NAME_CHARS)?;
            let name = name.trim().to_owned();
            if name.is_empty() {
                check.error(
                    node,
                    "the operator name is empty",
                    Some("write the operator's name".into()),
                );
                return None;
            }
            Some(name)
        });

    let operator_id = match check.optional(&fields, "operator_id") {
        None => operator.as_deref().map(slug),
        Some(node) => check
            .word(node, "an operator id", || {
                "use letters, digits, `-`, `_` and `.`, e.g. kh-example-grid".into()
            })
            .and_then(|id| {
                if is_valid_operator_id(id) {
                    Some(id.to_owned())
                } else {
                    check.error(
                        node,
                        format!("operator_id `{}` is not a safe identifier", shown(id)),
                        Some("use letters, digits, `-`, `_` and `.`, starting with a letter or digit, e.g. kh-example-grid".into()),
                    );
                    None
                }
            }),
    };

    let date_help = "write the date as YYYY-MM-DD, e.g. 2026-09-14, and check that the day exists";
    let assessed_on = check
        .required(&fields, "assessed_on", date_help)
        .and_then(|node| check.date(node, date_help));

    let assessor = check
        .optional(&fields, "assessor")
        .and_then(|node| check.text(node, "the assessor", MAX_NAME_CHARS))
        .filter(|a| !a.trim().is_empty());

    let tlp = match check.optional(&fields, "tlp") {
        None => Tlp::default(),
        Some(node) => check.tlp(node).unwrap_or_default(),
    };

    let weight = match check.optional(&fields, "weight") {
        None => Some(1.0),
        Some(node) => check.weight(node, "weight"),
    };

    let targets = check
        .optional(&fields, "targets")
        .map_or_else(Vec::new, |node| targets(model, check, node));

    let answers = match fields.get("answers") {
        None => {
            check.required(
                &fields,
                "answers",
                "add `answers:` with one line per practice, as `capgap template` writes them",
            );
            None
        }
        Some((key, node)) => answers(model, check, key, node, sector),
    };

    let workforce = check
        .optional(&fields, "workforce")
        .map_or_else(Vec::new, |node| workforce(model, check, node));

    Some(Questionnaire {
        file: check.source.path.to_owned(),
        model: reference?,
        country: country?,
        sector: sector?.id.clone(),
        operator: operator?,
        operator_id: operator_id?,
        assessed_on: assessed_on?,
        assessor,
        tlp,
        weight: weight?,
        targets,
        answers: answers?,
        workforce,
    })
}

/// The `workforce` section (SPEC §9): role id → `{ staff, needed, in_training }`,
/// whole numbers from 0 (`in_training` optional). Returned in the model's role order.
fn workforce(model: &Model, check: &mut Checker<'_>, node: &Node<'_>) -> Vec<Staffing> {
    let role_ids = || model.roles.iter().map(|r| r.id.as_str());
    let entries: &[(Node<'_>, Node<'_>)] = match &node.kind {
        Kind::Map(entries) => entries,
        _ if node.is_null() => &[],
        _ => {
            check.expected(
                node,
                "the workforce (one `ROLE-ID: { staff: N, needed: N }` line per role)",
                Some("see `capgap template --sector SECTOR` for the roles".into()),
            );
            return Vec::new();
        }
    };
    let mut out: Vec<(usize, Staffing)> = Vec::new();
    for (key, value, id) in check.keys(entries) {
        let known = model.role(id);
        if known.is_none() {
            let help = nearest(id, role_ids())
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    let ids: Vec<&str> = role_ids().collect();
                    if ids.is_empty() {
                        "the model defines no workforce roles".to_owned()
                    } else {
                        format!("the model's roles are: {}", ids.join(", "))
                    }
                });
            check.error(key, format!("unknown role `{}`", shown(id)), Some(help));
        }
        if value.is_null() {
            check.error(
                value,
                format!("role `{id}` has no numbers"),
                Some("write `{ staff: N, needed: N }`, or remove the line".into()),
            );
            continue;
        }
        let Some(fields) = check.fields(value, "the role's numbers", STAFFING_FIELDS) else {
            continue;
        };
        let mut count = |field: &str, required: bool| -> Option<u32> {
            let help = match field {
                "staff" => "the people in this role today, e.g. `staff: 1`",
                "needed" => "the people the operator needs in this role, e.g. `needed: 3`",
                _ => "the people being trained for this role now, e.g. `in_training: 1`",
            };
            let node = if required {
                check.required(&fields, field, help)?
            } else {
                match check.optional(&fields, field) {
                    Some(node) => node,
                    None => return Some(0),
                }
            };
            let n = check.integer(node, field, help)?;
            if n > MAX_HEADCOUNT {
                check.error(
                    node,
                    format!("{field} must be at most {MAX_HEADCOUNT}, found {n}"),
                    Some(help.into()),
                );
                return None;
            }
            Some(n)
        };
        let staff = count("staff", true);
        let needed = count("needed", true);
        let in_training = count("in_training", false);
        if let (Some((index, role)), Some(staff), Some(needed), Some(in_training)) =
            (known, staff, needed, in_training)
        {
            out.push((
                index,
                Staffing {
                    role: role.id.clone(),
                    staff,
                    needed,
                    in_training,
                },
            ));
        }
    }
    out.sort_by_key(|(index, _)| *index);
    out.into_iter().map(|(_, staffing)| staffing).collect()
}

fn targets(model: &Model, check: &mut Checker<'_>, node: &Node<'_>) -> Vec<(String, u32)> {
    let Kind::Map(entries) = &node.kind else {
        check.expected(
            node,
            "target levels per domain (e.g. `{ SITUATION: 3 }`)",
            None,
        );
        return Vec::new();
    };
    let levels: Vec<String> = model.levels.iter().map(|l| l.level.to_string()).collect();
    let level_help = format!("use one of: {}", levels.join(", "));
    let mut out = Vec::new();
    for (key, value, id) in check.keys(entries) {
        if model.domain(id).is_none() {
            let help = nearest(id, model.domains.iter().map(|d| d.id.as_str()))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    let ids: Vec<&str> = model.domains.iter().map(|d| d.id.as_str()).collect();
                    format!("the model's domains are: {}", ids.join(", "))
                });
            check.error(
                key,
                format!("target names an unknown domain `{}`", shown(id)),
                Some(help),
            );
            continue;
        }
        let Some(level) = check.integer(value, "a target level", &level_help) else {
            continue;
        };
        if model.levels.iter().any(|l| l.level == level) {
            out.push((id.to_owned(), level));
        } else {
            check.error(
                value,
                format!("target level {level} is not one of the model's levels"),
                Some(level_help.clone()),
            );
        }
    }
    out
}

/// The answers, by practice. `None` only when `answers` is not a mapping.
fn answers(
    model: &Model,
    check: &mut Checker<'_>,
    answers_key: &Node<'_>,
    node: &Node<'_>,
    sector: Option<&crate::model::Sector>,
) -> Option<Vec<Option<Answer>>> {
    let entries: &[(Node<'_>, Node<'_>)] = match &node.kind {
        Kind::Map(entries) => entries,
        _ if node.is_null() => &[],
        _ => {
            check.expected(
                node,
                "the answers (one `PRACTICE-ID: response` line per practice)",
                Some(
                    "write the answers under `answers:`, indented, as `capgap template` does"
                        .into(),
                ),
            );
            return None;
        }
    };
    let mut answers: Vec<Option<Answer>> = vec![None; model.practice_count()];
    let response_list = || {
        let mut ids: Vec<&str> = model.responses.iter().map(|r| r.id.as_str()).collect();
        ids.push(NOT_APPLICABLE);
        ids
    };
    let response_help = || format!("valid responses: {}", response_list().join(", "));
    // A file of thousands of made-up keys gets a bounded list, not one error each.
    const MAX_UNKNOWN_REPORTED: usize = 50;
    let mut unknown = 0usize;
    // Practices with an answer, valid or not: only the others are reported unanswered.
    let mut answered = vec![false; model.practice_count()];
    let mut seen = vec![0u32; model.practice_count()];
    for (key, value) in entries {
        let Some((id, _)) = key.scalar() else {
            check.error(
                key,
                "a practice id must be a plain name, not a list or a mapping",
                None,
            );
            continue;
        };
        let Some(at) = model.practice_ref(id) else {
            unknown += 1;
            if unknown > MAX_UNKNOWN_REPORTED {
                continue;
            }
            let help = nearest(id, model.practice_ids())
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    "see `capgap template --sector SECTOR` for the practice ids".into()
                });
            check.error(key, format!("unknown practice `{}`", shown(id)), Some(help));
            continue;
        };
        let flat = model.flat_index(at);
        if seen[flat] != 0 {
            check.error(
                key,
                format!(
                    "duplicate key `{id}` (first on {})",
                    check.source.line_name(seen[flat])
                ),
                Some("each practice may be answered once; remove or merge the repeated one".into()),
            );
            continue;
        }
        seen[flat] = key.pos.line.max(1);
        let practice = model.practice(at);
        if !value.is_null() {
            answered[flat] = true;
        }
        if let Some(sector) = sector.filter(|s| !practice.applies_to(&s.id)) {
            let applies = practice.sectors.as_deref().unwrap_or_default().join(", ");
            check.error(
                key,
                format!("practice `{id}` does not apply to the {} sector", sector.id),
                Some(format!("it applies to: {applies}; remove this answer")),
            );
            continue;
        }
        let expected_short = "a response id (one of the model's responses or `na`) or the long form with `response:`";
        let (response_node, evidence, note) = match &value.kind {
            _ if value.is_null() => (None, Vec::new(), None),
            Kind::Scalar { .. } => (Some(value), Vec::new(), None),
            Kind::Map(_) => {
                let Some(long) = check.fields(value, "an answer", ANSWER_FIELDS) else {
                    continue;
                };
                let (response, evidence, note) = long_answer(check, &long);
                (response, evidence, note)
            }
            Kind::Seq(_) => {
                check.expected(value, expected_short, Some(response_help()));
                continue;
            }
        };
        let response = match response_node {
            None => Response::Blank,
            Some(r) => {
                let Some(text) = check.word(r, "a response id", response_help) else {
                    continue;
                };
                if text == NOT_APPLICABLE {
                    if note.is_none() {
                        check.warning(
                            r,
                            format!("`{id}` is marked `na` without a note"),
                            Some("use the long form with `note:` to say why the practice does not apply".into()),
                        );
                    }
                    Response::NotApplicable
                } else if let Some((index, _)) = model.response(text) {
                    Response::Scale(index)
                } else {
                    let ids = response_list();
                    let help = match nearest(text, ids.iter().copied()) {
                        Some(near) => {
                            format!("did you mean `{near}`? valid responses: {}", ids.join(", "))
                        }
                        None => format!("valid responses: {}", ids.join(", ")),
                    };
                    check.error(r, format!("unknown response `{}`", shown(text)), Some(help));
                    continue;
                }
            }
        };
        answers[flat] = Some(Answer {
            response,
            evidence,
            note,
        });
    }

    if unknown > MAX_UNKNOWN_REPORTED {
        check.error(
            answers_key,
            format!(
                "{} more unknown practice ids are not listed",
                unknown - MAX_UNKNOWN_REPORTED
            ),
            Some("is this a questionnaire for another model? pass it with --model FILE".into()),
        );
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
            check.warning(
                answers_key,
                format!(
                    "{} applicable practice(s) left unanswered: {}{more}",
                    unanswered.len(),
                    shown.join(", ")
                ),
                Some("unanswered practices count as not implemented; answer them or mark them `na` with a note".into()),
            );
        }
    }
    Some(answers)
}

/// The long form: the response node (if any), the evidence and the note.
fn long_answer<'n, 'a>(
    check: &mut Checker<'_>,
    long: &Fields<'n, 'a>,
) -> (Option<&'n Node<'a>>, Vec<String>, Option<String>) {
    let response = check.optional(long, "response");
    let evidence = check
        .optional(long, "evidence")
        .map_or_else(Vec::new, |node| {
            check.texts(node, "an evidence item", MAX_EVIDENCE_ITEMS, MAX_NOTE_CHARS)
        });
    let note = check
        .optional(long, "note")
        .and_then(|node| check.text(node, "the note", MAX_NOTE_CHARS))
        .filter(|n| !n.trim().is_empty());
    (response, evidence, note)
}

fn check_model_reference(model: &Model, check: &mut Checker<'_>, node: &Node<'_>, reference: &str) {
    let loaded = model.reference();
    let Some((id, version)) = reference.trim().split_once('@') else {
        check.error(
            node,
            format!("`{}` is not a model reference", shown(reference)),
            Some(format!("write it as id@version, e.g. `{loaded}`")),
        );
        return;
    };
    let Ok(version) = semver::Version::parse(version) else {
        check.error(
            node,
            format!("`{}` is not a semver version", shown(version)),
            Some(format!("write it as id@version, e.g. `{loaded}`")),
        );
        return;
    };
    if id != model.id {
        check.error(
            node,
            format!(
                "this questionnaire is for model `{}`, but the loaded model is `{}`",
                shown(id),
                model.id
            ),
            Some("pass the right model with --model FILE".into()),
        );
    } else if version.major != model.version.major
        || (version.major == 0 && version.minor != model.version.minor)
    {
        check.error(
            node,
            format!("this questionnaire is for {id}@{version}, but the loaded model is {loaded}: the major versions differ"),
            Some("questionnaires must be answered against the same major version of the model; pass the right model with --model FILE".into()),
        );
    }
}
