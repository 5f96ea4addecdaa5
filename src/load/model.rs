//! Loading the capability model: bytes → the positioned tree → a validated
//! [`Model`], collecting every problem in one pass (missing, blank and unknown
//! fields, values of the wrong type, duplicate ids, unknown levels, sectors, domains
//! and interventions, out-of-range credits, weights, costs and seats, workforce
//! roles and the interventions that train them, over-long text and
//! control characters) so the model's author sees the whole list at once. A new
//! field goes in the field list of its mapping and in the matching function here.

use rustc_hash::FxHashSet;

use super::check::{Checker, Fields, MAX_MODEL_TEXT_CHARS, MAX_NAME_CHARS, shown};
use super::questionnaire::syntax_diagnostic;
use super::tree::{self, Kind, Node};
use super::yaml::{self, Source, nearest};
use crate::diag::{Diagnostic, Severity};
use crate::model::{
    DEFAULT_SEATS, Domain, Intervention, InterventionKind, Level, Model, NOT_APPLICABLE, Practice,
    ResponseDef, Role, Sector,
};
use crate::text::Text;

const MODEL_FIELDS: &[&str] = &[
    "id",
    "version",
    "title",
    "levels",
    "responses",
    "sectors",
    "domains",
    "interventions",
    "roles",
];
const LEVEL_FIELDS: &[&str] = &["level", "name", "description"];
const RESPONSE_FIELDS: &[&str] = &["id", "label", "credit", "achieves"];
const SECTOR_FIELDS: &[&str] = &["id", "name", "targets"];
const DOMAIN_FIELDS: &[&str] = &["id", "name", "description", "weight", "practices"];
const PRACTICE_FIELDS: &[&str] = &[
    "id",
    "level",
    "question",
    "guidance",
    "sectors",
    "weight",
    "refs",
    "interventions",
];
const INTERVENTION_FIELDS: &[&str] = &["id", "name", "kind", "cost_usd", "description", "seats"];
const ROLE_FIELDS: &[&str] = &["id", "name", "description", "training"];

/// The most people one delivery of a training intervention may train.
const MAX_SEATS: u32 = 10_000;

/// The largest indicative cost of one intervention for one operator.
const MAX_COST_USD: f64 = 1e10;

/// Parses and validates a model. On failure, every problem found.
pub fn load_model(path: &str, bytes: Vec<u8>) -> Result<Model, Vec<Diagnostic>> {
    let text = yaml::text_of(path, bytes).map_err(|d| vec![d])?;
    let source = Source::new(path, &text);
    let root = match tree::parse(&text) {
        Ok(Some(root)) => root,
        Ok(None) => return Err(vec![yaml::empty_file(path)]),
        Err(err) => return Err(vec![syntax_diagnostic(source, err)]),
    };
    let mut check = Checker::new(source);
    let model = model(&mut check, &root);
    let mut problems = check.out;
    problems.sort_by_key(|d| (d.line, d.col));
    match model {
        Some(model) if problems.is_empty() => Ok(model),
        _ => Err(problems),
    }
}

/// A text field: a string, or a map of language codes to strings with `en`.
pub(super) fn text(
    check: &mut Checker<'_>,
    node: &Node<'_>,
    field: &str,
    max: usize,
) -> Option<Text> {
    let what = format!("`{field}`");
    match &node.kind {
        Kind::Scalar { .. } if node.is_null() => {
            check.error(
                node,
                format!("`{field}` is blank"),
                Some("write the text, or a map of languages with `en:`".into()),
            );
            None
        }
        Kind::Scalar { .. } => check.text(node, &what, max).map(Text::plain),
        Kind::Seq(_) => {
            check.expected(
                node,
                &format!("{what} as text or a map of languages"),
                Some("write `name: text` or `name: { en: text, fr: texte }`".into()),
            );
            None
        }
        Kind::Map(entries) => {
            let mut en = None;
            let mut others = Vec::new();
            let mut ok = true;
            for (key, value, code) in check.keys(entries) {
                let is_code = (2..=8).contains(&code.len())
                    && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if !is_code {
                    check.error(
                        key,
                        format!("`{}` is not a language code", shown(code)),
                        Some("use codes such as en, fr, ja".into()),
                    );
                    ok = false;
                    continue;
                }
                match check.text(value, &what, max) {
                    Some(t) if code == "en" => en = Some(t),
                    Some(t) => others.push((code.to_owned(), t)),
                    None => ok = false,
                }
            }
            match en {
                Some(en) if ok => Some(Text::with_translations(en, others)),
                Some(_) => None,
                None => {
                    check.error(
                        node,
                        format!("`{field}` has no English text"),
                        Some("add an `en:` entry; it is the fallback for every language".into()),
                    );
                    None
                }
            }
        }
    }
}

/// A required text field.
fn required_text(
    check: &mut Checker<'_>,
    fields: &Fields<'_, '_>,
    field: &str,
    max: usize,
) -> Option<Text> {
    let node = check.required(fields, field, &format!("add `{field}:` with its text"))?;
    text(check, node, field, max)
}

/// An optional text field (absent = empty).
fn optional_text(
    check: &mut Checker<'_>,
    fields: &Fields<'_, '_>,
    field: &str,
    max: usize,
) -> Option<Text> {
    match check.optional(fields, field) {
        None => Some(Text::default()),
        Some(node) => text(check, node, field, max),
    }
}

/// The items of a list field, each checked to be a mapping with `allowed` fields.
/// The `id` text of every item that has one, for checking references before the
/// items themselves are read.
fn item_ids(items: &[Fields<'_, '_>]) -> Vec<String> {
    items
        .iter()
        .filter_map(|d| {
            d.get("id")
                .and_then(|(_, v)| v.scalar())
                .map(|(t, _)| t.to_owned())
        })
        .collect()
}

fn items<'n, 'a>(
    check: &mut Checker<'_>,
    node: &'n Node<'a>,
    what: &str,
    allowed: &[&'static str],
) -> Vec<Fields<'n, 'a>> {
    let Some(list) = check.list(node, what) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|item| {
            if item.is_null() {
                check.error(
                    item,
                    format!("an empty entry in {what}"),
                    Some("remove the lone `-`".into()),
                );
                return None;
            }
            check.fields(item, what, allowed)
        })
        .collect()
}

fn unique(
    check: &mut Checker<'_>,
    seen: &mut FxHashSet<String>,
    node: &Node<'_>,
    id: &str,
    what: &str,
) {
    if !seen.insert(id.to_owned()) {
        check.error(
            node,
            format!("duplicate {what} id `{}`", shown(id)),
            Some(format!("every {what} id must be unique")),
        );
    }
}

/// A required id field: (its node, its text).
fn required_id<'n, 'a>(
    check: &mut Checker<'_>,
    fields: &Fields<'n, 'a>,
    what: &str,
    seen: &mut FxHashSet<String>,
) -> Option<(&'n Node<'a>, String)> {
    let node = check.required(fields, "id", &format!("add `id:` with the {what}'s id"))?;
    let id = check.word(node, &format!("a {what} id"), || {
        "ids are short names without spaces".into()
    })?;
    unique(check, seen, node, id, what);
    Some((node, id.to_owned()))
}

fn optional_weight(check: &mut Checker<'_>, fields: &Fields<'_, '_>) -> Option<f64> {
    match check.optional(fields, "weight") {
        None => Some(1.0),
        Some(node) => check.weight(node, "weight"),
    }
}

fn model(check: &mut Checker<'_>, root: &Node<'_>) -> Option<Model> {
    let fields = check.fields(root, "a capability model", MODEL_FIELDS)?;
    if !matches!(root.kind, Kind::Map(_)) {
        check.error(
            root,
            "the model has no fields",
            Some("see docs/model.md for the format".into()),
        );
        return None;
    }
    let id = check
        .required(
            &fields,
            "id",
            "add `id:` with the model's id, e.g. `id: cicmm`",
        )
        .and_then(|node| {
            let id = check.word(node, "a model id", || "use only a-z, 0-9 and -".into())?;
            if !is_model_id(id) {
                check.error(
                    node,
                    format!("model id `{}` must use only a-z, 0-9 and -", shown(id)),
                    None,
                );
                return None;
            }
            Some(id.to_owned())
        });
    let version = check
        .required(
            &fields,
            "version",
            "add `version:` as MAJOR.MINOR.PATCH, e.g. 1.0.0",
        )
        .and_then(|node| {
            let text = check.word(node, "a version (MAJOR.MINOR.PATCH)", || {
                "write it as MAJOR.MINOR.PATCH, e.g. 1.0.0".into()
            })?;
            match semver::Version::parse(text.trim()) {
                Ok(v) => Some(v),
                Err(_) => {
                    check.error(
                        node,
                        format!("version `{}` is not a semantic version", shown(text)),
                        Some("write it as MAJOR.MINOR.PATCH, e.g. 1.0.0".into()),
                    );
                    None
                }
            }
        });
    let title = required_text(check, &fields, "title", MAX_NAME_CHARS);

    // Levels.
    let mut levels: Vec<Level> = Vec::new();
    let mut levels_ok = true;
    if let Some(node) = check.required(
        &fields,
        "levels",
        "add `levels:` with the maturity levels, lowest first",
    ) {
        for level in items(check, node, "a level", LEVEL_FIELDS) {
            let number = check
                .required(
                    &level,
                    "level",
                    "add `level:` with the level's number, from 1",
                )
                .and_then(|n| {
                    check
                        .integer(n, "a level number", "levels are numbered from 1")
                        .map(|v| (n, v))
                });
            let name = required_text(check, &level, "name", MAX_NAME_CHARS);
            let description = optional_text(check, &level, "description", MAX_MODEL_TEXT_CHARS);
            let Some((node, number)) = number else {
                levels_ok = false;
                continue;
            };
            if number == 0 {
                check.error(
                    node,
                    "level 0 is built in (no level achieved); model levels start at 1",
                    None,
                );
                levels_ok = false;
                continue;
            } else if levels.iter().any(|l| l.level == number) {
                check.error(node, format!("duplicate level {number}"), None);
                levels_ok = false;
                continue;
            }
            levels.push(Level {
                level: number,
                name: name.unwrap_or_default(),
                description: description.unwrap_or_default(),
            });
        }
        if levels.is_empty() && levels_ok {
            check.error(
                node,
                "the model defines no levels",
                Some("add at least one level, e.g. `- { level: 1, name: Initiated }`".into()),
            );
        }
    }
    levels.sort_by_key(|l| l.level);
    let level_list = levels
        .iter()
        .map(|l| l.level.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let known_level = |n: u32| levels.iter().any(|l| l.level == n);

    // Responses.
    let mut responses = Vec::new();
    if let Some(node) = check.required(
        &fields,
        "responses",
        "add `responses:` with the answer scale",
    ) {
        let mut seen = FxHashSet::default();
        for response in items(check, node, "a response", RESPONSE_FIELDS) {
            let id = required_id(check, &response, "response", &mut seen);
            if let Some((node, id)) = &id
                && id == NOT_APPLICABLE
            {
                check.error(
                    node,
                    "`na` is built in and cannot be redefined",
                    Some("remove this response; `na` is always available".into()),
                );
            }
            let label = required_text(check, &response, "label", MAX_NAME_CHARS);
            let credit = check.required(&response, "credit", "add `credit:` between 0 and 1").and_then(|n| {
                check.number(n, "credit", |c| (!(0.0..=1.0).contains(&c)).then(|| "must be between 0 and 1".to_owned()), "credit is the share of implementation this response counts for, from 0 to 1")
            });
            let achieves = check
                .required(
                    &response,
                    "achieves",
                    "add `achieves: true` or `achieves: false`",
                )
                .and_then(|n| check.boolean(n, "achieves"));
            if let (Some((_, id)), Some(label), Some(credit), Some(achieves)) =
                (id, label, credit, achieves)
            {
                responses.push(ResponseDef {
                    id,
                    label,
                    credit,
                    achieves,
                });
            }
        }
        if responses.is_empty() && !check.out.iter().any(|d| d.severity == Severity::Error) {
            check.error(node, "the model defines no responses", Some("add the answer scale, e.g. `- { id: fully, label: Fully implemented, credit: 1.0, achieves: true }`".into()));
        }
    }

    let domain_items = check
        .required(
            &fields,
            "domains",
            "add `domains:` with the model's domains and their practices",
        )
        .map(|node| items(check, node, "a domain", DOMAIN_FIELDS))
        .unwrap_or_default();
    let domain_ids = item_ids(&domain_items);
    let intervention_items = check
        .optional(&fields, "interventions")
        .map(|node| items(check, node, "an intervention", INTERVENTION_FIELDS))
        .unwrap_or_default();
    let intervention_ids = item_ids(&intervention_items);

    // Sectors.
    let mut sectors = Vec::new();
    if let Some(node) = check.required(
        &fields,
        "sectors",
        "add `sectors:` with the sectors and their targets",
    ) {
        let mut seen = FxHashSet::default();
        for sector in items(check, node, "a sector", SECTOR_FIELDS) {
            let id = required_id(check, &sector, "sector", &mut seen);
            let name = required_text(check, &sector, "name", MAX_NAME_CHARS);
            let mut default_target = None;
            let mut targets = Vec::new();
            if let Some(node) = check.optional(&sector, "targets") {
                if let Kind::Map(entries) = &node.kind {
                    for (key, value, domain) in check.keys(entries) {
                        let level = check.integer(
                            value,
                            "a target level",
                            &format!("the model's levels are: {level_list}"),
                        );
                        if let Some(level) = level.filter(|l| !known_level(*l)) {
                            check.error(value, format!("target level {level} is not one of the model's levels ({level_list})"), None);
                        }
                        if domain == "default" {
                            default_target = level;
                        } else if domain_ids.iter().any(|d| d == domain) {
                            if let Some(level) = level {
                                targets.push((domain.to_owned(), level));
                            }
                        } else {
                            let help = nearest(domain, domain_ids.iter().map(String::as_str))
                                .map(|near| format!("did you mean `{near}`?"))
                                .unwrap_or_else(|| "targets name `default` or a domain id".into());
                            check.error(
                                key,
                                format!("target names an unknown domain `{}`", shown(domain)),
                                Some(help),
                            );
                        }
                    }
                } else {
                    check.expected(
                        node,
                        "target levels per domain (e.g. `{ default: 2, SITUATION: 3 }`)",
                        None,
                    );
                }
            }
            let Some((id_node, id)) = id else { continue };
            if default_target.is_none() {
                let missing: Vec<&str> = domain_ids
                    .iter()
                    .map(String::as_str)
                    .filter(|d| !targets.iter().any(|(t, _)| t == d))
                    .collect();
                if !missing.is_empty() {
                    check.error(
                        id_node,
                        format!(
                            "sector `{id}` has no `default` target and no target for {}",
                            missing.join(", ")
                        ),
                        Some("add `default: 2` (or another level) to its targets".into()),
                    );
                }
            }
            sectors.push(Sector {
                id,
                name: name.unwrap_or_default(),
                default_target,
                targets,
            });
        }
    }
    let sector_ids: Vec<String> = sectors.iter().map(|s| s.id.clone()).collect();

    // Domains and practices.
    let mut domains = Vec::new();
    let mut seen_domains = FxHashSet::default();
    let mut seen_practices = FxHashSet::default();
    for domain in &domain_items {
        let id = check
            .required(domain, "id", "add `id:` with the domain's id, e.g. ASSET")
            .and_then(|node| {
                let id = check.word(node, "a domain id", || {
                    "domain ids start with A-Z and use A-Z, 0-9 and -".into()
                })?;
                unique(check, &mut seen_domains, node, id, "domain");
                if !is_domain_id(id) {
                    check.error(
                        node,
                        format!(
                            "domain id `{}` must start with A-Z and use only A-Z, 0-9 and -",
                            shown(id)
                        ),
                        None,
                    );
                }
                Some(id.to_owned())
            });
        let name = required_text(check, domain, "name", MAX_NAME_CHARS);
        optional_text(check, domain, "description", MAX_MODEL_TEXT_CHARS);
        let weight = optional_weight(check, domain);
        let mut practices = Vec::new();
        if let Some(node) = check.required(
            domain,
            "practices",
            "add `practices:` with the domain's practices",
        ) {
            for practice in items(check, node, "a practice", PRACTICE_FIELDS) {
                if let Some(p) = self_practice(
                    check,
                    &practice,
                    &mut seen_practices,
                    &known_level,
                    &level_list,
                    &sector_ids,
                    &intervention_ids,
                ) {
                    practices.push(p);
                }
            }
        }
        if let (Some(id), Some(name), Some(weight)) = (id, name, weight) {
            domains.push(Domain {
                id,
                name,
                weight,
                practices,
            });
        }
    }

    // Interventions.
    let mut interventions = Vec::new();
    let mut seen = FxHashSet::default();
    for intervention in &intervention_items {
        let id = required_id(check, intervention, "intervention", &mut seen);
        let name = required_text(check, intervention, "name", MAX_NAME_CHARS);
        let kinds: Vec<&str> = InterventionKind::ALL.iter().map(|k| k.as_str()).collect();
        let kind = check
            .required(
                intervention,
                "kind",
                &format!("add `kind:`, one of: {}", kinds.join(", ")),
            )
            .and_then(|node| {
                let text = check.word(node, "an intervention kind", || {
                    format!("use one of: {}", kinds.join(", "))
                })?;
                let kind = InterventionKind::parse(text);
                if kind.is_none() {
                    check.error(
                        node,
                        format!("unknown intervention kind `{}`", shown(text)),
                        Some(format!("use one of: {}", kinds.join(", "))),
                    );
                }
                kind
            });
        let cost = check
            .required(
                intervention,
                "cost_usd",
                "add `cost_usd:` with the indicative cost for one operator",
            )
            .and_then(|node| {
                check.number(
                    node,
                    "cost_usd",
                    |c| {
                        (!(c.is_finite() && c > 0.0 && c <= MAX_COST_USD)).then(|| {
                            format!("must be greater than 0 and at most {MAX_COST_USD:.0}")
                        })
                    },
                    "the indicative cost in US dollars for one operator, e.g. 60000",
                )
            });
        let description = optional_text(check, intervention, "description", MAX_MODEL_TEXT_CHARS);
        let seats = match check.optional(intervention, "seats") {
            None => Some(DEFAULT_SEATS),
            Some(node) => seats(check, node),
        };
        if let (
            Some((_, id)),
            Some(name),
            Some(kind),
            Some(cost_usd),
            Some(description),
            Some(seats),
        ) = (id, name, kind, cost, description, seats)
        {
            interventions.push(Intervention {
                id,
                name,
                kind,
                cost_usd,
                description,
                seats,
            });
        }
    }

    let roles = check
        .optional(&fields, "roles")
        .map(|node| roles(check, node, &intervention_ids))
        .unwrap_or_default();

    let mut model = Model {
        id: id?,
        version: version?,
        title: title?,
        levels,
        responses,
        sectors,
        domains,
        interventions,
        roles,
        practice_index: Default::default(),
        domain_offsets: Vec::new(),
        practice_interventions: Vec::new(),
    };
    model.index_practices();
    Some(model)
}

fn self_practice(
    check: &mut Checker<'_>,
    practice: &Fields<'_, '_>,
    seen: &mut FxHashSet<String>,
    known_level: &dyn Fn(u32) -> bool,
    level_list: &str,
    sector_ids: &[String],
    intervention_ids: &[String],
) -> Option<Practice> {
    let id = required_id(check, practice, "practice", seen);
    let level = check
        .required(
            practice,
            "level",
            &format!("add `level:`, one of: {level_list}"),
        )
        .and_then(|node| {
            let level = check.integer(
                node,
                "a level",
                &format!("the model's levels are: {level_list}"),
            )?;
            if !known_level(level) {
                check.error(
                    node,
                    format!("level {level} is not one of the model's levels ({level_list})"),
                    None,
                );
                return None;
            }
            Some(level)
        });
    let question = required_text(check, practice, "question", MAX_MODEL_TEXT_CHARS);
    let guidance = optional_text(check, practice, "guidance", MAX_MODEL_TEXT_CHARS);
    let sectors = match check.optional(practice, "sectors") {
        None => Some(None),
        Some(node) => check.list(node, "the practice's sectors").map(|list| {
            let mut ids = Vec::new();
            for item in list {
                let Some(sector) = check.word(item, "a sector id", || {
                    format!("the model's sectors are: {}", sector_ids.join(", "))
                }) else {
                    continue;
                };
                if !sector_ids.iter().any(|s| s == sector) {
                    let help = nearest(sector, sector_ids.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| {
                            format!("the model's sectors are: {}", sector_ids.join(", "))
                        });
                    check.error(
                        item,
                        format!("unknown sector `{}`", shown(sector)),
                        Some(help),
                    );
                }
                ids.push(sector.to_owned());
            }
            Some(ids)
        }),
    };
    let weight = optional_weight(check, practice);
    let refs = check
        .optional(practice, "refs")
        .map_or_else(Vec::new, |node| {
            check.texts(node, "a reference", 100, MAX_NAME_CHARS)
        });
    let mut interventions = Vec::new();
    if let Some(node) = check.optional(practice, "interventions") {
        for item in check
            .list(node, "the practice's interventions")
            .unwrap_or_default()
        {
            let Some(intervention) = check.word(item, "an intervention id", || {
                "name one of the model's interventions".into()
            }) else {
                continue;
            };
            if !intervention_ids.iter().any(|i| i == intervention) {
                let help = nearest(intervention, intervention_ids.iter().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?"));
                check.error(
                    item,
                    format!("unknown intervention `{}`", shown(intervention)),
                    help,
                );
            }
            interventions.push(intervention.to_owned());
        }
    }
    Some(Practice {
        id: id?.1,
        level: level?,
        question: question?,
        guidance: guidance?,
        sectors: sectors?,
        weight: weight?,
        refs,
        interventions,
    })
}

/// `seats`: people trained per delivery, a whole number from 1.
fn seats(check: &mut Checker<'_>, node: &Node<'_>) -> Option<u32> {
    let help = "the number of people one delivery trains, e.g. 20";
    let seats = check.integer(node, "seats", help)?;
    if !(1..=MAX_SEATS).contains(&seats) {
        check.error(
            node,
            format!("seats must be from 1 to {MAX_SEATS}, found {seats}"),
            Some(help.into()),
        );
        return None;
    }
    Some(seats)
}

/// The workforce roles (SPEC §9): ids unique, every training intervention known.
fn roles(check: &mut Checker<'_>, node: &Node<'_>, intervention_ids: &[String]) -> Vec<Role> {
    let mut roles = Vec::new();
    let mut seen = FxHashSet::default();
    for role in items(check, node, "a role", ROLE_FIELDS) {
        let id = required_id(check, &role, "role", &mut seen);
        let name = required_text(check, &role, "name", MAX_NAME_CHARS);
        let description = optional_text(check, &role, "description", MAX_MODEL_TEXT_CHARS);
        let mut training = Vec::new();
        let mut training_ok = true;
        let list = check
            .required(
                &role,
                "training",
                "add `training:` with the interventions that build the role",
            )
            .and_then(|node| check.list(node, "the role's training").map(|l| (node, l)));
        match list {
            None => training_ok = false,
            Some((node, list)) => {
                for item in list {
                    let Some(intervention) = check.word(item, "an intervention id", || {
                        "name one of the model's interventions".into()
                    }) else {
                        training_ok = false;
                        continue;
                    };
                    if !intervention_ids.iter().any(|i| i == intervention) {
                        let help =
                            nearest(intervention, intervention_ids.iter().map(String::as_str))
                                .map(|n| format!("did you mean `{n}`?"));
                        check.error(
                            item,
                            format!("unknown intervention `{}`", shown(intervention)),
                            help,
                        );
                        training_ok = false;
                    } else if training.iter().any(|t| t == intervention) {
                        check.error(
                            item,
                            format!("intervention `{}` is listed twice", shown(intervention)),
                            Some("name each training intervention once".into()),
                        );
                        training_ok = false;
                    } else {
                        training.push(intervention.to_owned());
                    }
                }
                if list.is_empty() {
                    check.error(
                        node,
                        "the role names no training intervention",
                        Some("list the interventions that build the role, e.g. `training: [ot-security-training]`".into()),
                    );
                    training_ok = false;
                }
            }
        }
        if let (Some((_, id)), Some(name), Some(description), true) =
            (id, name, description, training_ok)
        {
            roles.push(Role {
                id,
                name,
                description,
                training,
            });
        }
    }
    roles
}

fn is_model_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_domain_id(id: &str) -> bool {
    id.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
}
