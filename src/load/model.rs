//! Loading the capability model: YAML → raw types with positions → a validated
//! [`Model`], collecting every problem (duplicate ids, unknown levels, sectors,
//! domains and interventions, out-of-range credits, weights and costs) so the
//! model's author sees the whole list at once.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::yaml::{self, RawText, Source, SpannedMap, nearest};
use crate::diag::{Diagnostic, Severity};
use crate::model::{
    Domain, Intervention, InterventionKind, Level, Model, NOT_APPLICABLE, Practice, ResponseDef,
    Sector,
};
use crate::text::Text;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawModel {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[schemars(with = "String")]
    version: Spanned<String>,
    #[schemars(with = "RawText")]
    title: Spanned<RawText>,
    levels: Vec<RawLevel>,
    responses: Vec<RawResponse>,
    sectors: Vec<RawSector>,
    domains: Vec<RawDomain>,
    #[serde(default)]
    interventions: Vec<RawIntervention>,
}

const MODEL_FIELDS: &[&str] = &[
    "id",
    "version",
    "title",
    "levels",
    "responses",
    "sectors",
    "domains",
    "interventions",
];

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    #[schemars(with = "u32")]
    level: Spanned<u32>,
    #[schemars(with = "RawText")]
    name: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    description: Option<Spanned<RawText>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[schemars(with = "RawText")]
    label: Spanned<RawText>,
    #[schemars(with = "f64")]
    credit: Spanned<f64>,
    #[schemars(with = "bool")]
    achieves: Spanned<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSector {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[schemars(with = "RawText")]
    name: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, u32>")]
    targets: SpannedMap<Spanned<u32>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[schemars(with = "RawText")]
    name: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    description: Option<Spanned<RawText>>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    weight: Option<Spanned<f64>>,
    practices: Vec<RawPractice>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[schemars(with = "u32")]
    level: Spanned<u32>,
    #[schemars(with = "RawText")]
    question: Spanned<RawText>,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    guidance: Option<Spanned<RawText>>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    sectors: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    weight: Option<Spanned<f64>>,
    #[serde(default)]
    refs: Vec<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    interventions: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawIntervention {
    #[schemars(with = "String")]
    id: Spanned<String>,
    #[schemars(with = "RawText")]
    name: Spanned<RawText>,
    #[schemars(with = "String")]
    kind: Spanned<String>,
    #[schemars(with = "f64")]
    cost_usd: Spanned<f64>,
    #[serde(default)]
    #[schemars(with = "Option<RawText>")]
    description: Option<Spanned<RawText>>,
}

/// Parses and validates a model. On failure, every problem found.
pub fn load_model(path: &str, bytes: Vec<u8>) -> Result<Model, Vec<Diagnostic>> {
    let text = yaml::text_of(path, bytes).map_err(|d| vec![d])?;
    let source = Source::new(path, &text);
    let raw: RawModel = yaml::parse(source, MODEL_FIELDS).map_err(|d| vec![d])?;
    let mut check = Checker {
        source,
        problems: Vec::new(),
    };
    let model = check.model(raw);
    if check.problems.is_empty() {
        Ok(model)
    } else {
        Err(check.problems)
    }
}

struct Checker<'a> {
    source: Source<'a>,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error<T>(&mut self, at: &Spanned<T>, message: String, help: Option<String>) {
        let mut diag = self.source.error(at, message);
        diag.help = help;
        self.problems.push(diag);
    }

    fn text(&mut self, raw: Spanned<RawText>, field: &str) -> Text {
        match raw.value {
            RawText::Plain(en) => Text::plain(en),
            RawText::Languages(entries) => {
                let mut en = None;
                let mut others = Vec::new();
                for (code, text) in entries {
                    if code == "en" {
                        en = Some(text);
                    } else {
                        others.push((code, text));
                    }
                }
                match en {
                    Some(en) => Text::with_translations(en, others),
                    None => {
                        let at = Spanned {
                            value: (),
                            referenced: raw.referenced,
                            defined: raw.defined,
                        };
                        self.error(
                            &at,
                            format!("`{field}` has no English text"),
                            Some(
                                "add an `en:` entry; it is the fallback for every language".into(),
                            ),
                        );
                        Text::default()
                    }
                }
            }
        }
    }

    fn unique(&mut self, seen: &mut HashSet<String>, id: &Spanned<String>, what: &str) {
        if !seen.insert(id.value.clone()) {
            self.error(
                id,
                format!("duplicate {what} id `{}`", id.value),
                Some(format!("every {what} id must be unique")),
            );
        }
    }

    fn positive(&mut self, value: Option<Spanned<f64>>, what: &str) -> f64 {
        match value {
            None => 1.0,
            Some(v) if v.value.is_finite() && v.value > 0.0 => v.value,
            Some(v) => {
                self.error(
                    &v,
                    format!("{what} must be a positive number, found {}", v.value),
                    None,
                );
                1.0
            }
        }
    }

    fn model(&mut self, raw: RawModel) -> Model {
        if !is_model_id(&raw.id.value) {
            self.error(
                &raw.id,
                format!("model id `{}` must use only a-z, 0-9 and -", raw.id.value),
                None,
            );
        }
        let version = semver::Version::parse(raw.version.value.trim()).unwrap_or_else(|e| {
            self.error(
                &raw.version,
                format!("version `{}` is not semver: {e}", raw.version.value),
                Some("write it as MAJOR.MINOR.PATCH, e.g. 1.0.0".into()),
            );
            semver::Version::new(0, 0, 0)
        });
        let title = self.text(raw.title, "title");

        let mut levels: Vec<Level> = Vec::new();
        for level in raw.levels {
            if level.level.value == 0 {
                self.error(
                    &level.level,
                    "level 0 is built in (no level achieved); model levels start at 1".into(),
                    None,
                );
            } else if levels.iter().any(|l| l.level == level.level.value) {
                self.error(
                    &level.level,
                    format!("duplicate level {}", level.level.value),
                    None,
                );
            }
            let number = level.level.value;
            levels.push(Level {
                level: number,
                name: self.text(level.name, "name"),
                description: level
                    .description
                    .map(|d| self.text(d, "description"))
                    .unwrap_or_default(),
            });
        }
        levels.sort_by_key(|l| l.level);
        let level_list = levels
            .iter()
            .map(|l| l.level.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let known_level = |n: u32| levels.iter().any(|l| l.level == n);

        let mut responses = Vec::new();
        let mut seen = HashSet::new();
        for response in raw.responses {
            self.unique(&mut seen, &response.id, "response");
            if response.id.value == NOT_APPLICABLE {
                self.error(
                    &response.id,
                    "`na` is built in and cannot be redefined".into(),
                    None,
                );
            }
            let credit = response.credit.value;
            if !(0.0..=1.0).contains(&credit) {
                self.error(
                    &response.credit,
                    format!("credit must be between 0 and 1, found {credit}"),
                    None,
                );
            }
            responses.push(ResponseDef {
                id: response.id.value,
                label: self.text(response.label, "label"),
                credit,
                achieves: response.achieves.value,
            });
        }

        let domain_ids: Vec<String> = raw.domains.iter().map(|d| d.id.value.clone()).collect();
        let mut sectors = Vec::new();
        let mut seen = HashSet::new();
        for sector in raw.sectors {
            self.unique(&mut seen, &sector.id, "sector");
            let mut default_target = None;
            let mut targets = Vec::new();
            for (key, level) in sector.targets.0 {
                if !known_level(level.value) {
                    self.error(
                        &level,
                        format!(
                            "target level {} is not one of the model's levels ({level_list})",
                            level.value
                        ),
                        None,
                    );
                }
                if key.value == "default" {
                    default_target = Some(level.value);
                } else if domain_ids.contains(&key.value) {
                    targets.push((key.value, level.value));
                } else {
                    let help = nearest(&key.value, domain_ids.iter().map(String::as_str))
                        .map(|near| format!("did you mean `{near}`?"))
                        .or_else(|| Some("targets name `default` or a domain id".into()));
                    self.error(
                        &key,
                        format!("target names an unknown domain `{}`", key.value),
                        help,
                    );
                }
            }
            if default_target.is_none() {
                let missing: Vec<&str> = domain_ids
                    .iter()
                    .map(String::as_str)
                    .filter(|d| !targets.iter().any(|(t, _)| t == d))
                    .collect();
                if !missing.is_empty() {
                    self.error(
                        &sector.id,
                        format!(
                            "sector `{}` has no `default` target and no target for {}",
                            sector.id.value,
                            missing.join(", ")
                        ),
                        Some("add `default: 2` (or another level) to its targets".into()),
                    );
                }
            }
            sectors.push(Sector {
                id: sector.id.value,
                name: self.text(sector.name, "name"),
                default_target,
                targets,
            });
        }
        let sector_ids: Vec<String> = sectors.iter().map(|s| s.id.clone()).collect();
        let intervention_ids: Vec<String> = raw
            .interventions
            .iter()
            .map(|i| i.id.value.clone())
            .collect();

        let mut domains = Vec::new();
        let mut seen_domains = HashSet::new();
        let mut seen_practices = HashSet::new();
        for domain in raw.domains {
            self.unique(&mut seen_domains, &domain.id, "domain");
            if !is_domain_id(&domain.id.value) {
                self.error(
                    &domain.id,
                    format!(
                        "domain id `{}` must start with A-Z and use only A-Z, 0-9 and -",
                        domain.id.value
                    ),
                    None,
                );
            }
            let weight = self.positive(domain.weight, "weight");
            if let Some(description) = domain.description {
                self.text(description, "description");
            }
            let mut practices = Vec::new();
            for practice in domain.practices {
                self.unique(&mut seen_practices, &practice.id, "practice");
                if !known_level(practice.level.value) {
                    self.error(
                        &practice.level,
                        format!(
                            "level {} is not one of the model's levels ({level_list})",
                            practice.level.value
                        ),
                        None,
                    );
                }
                if let Some(sectors) = &practice.sectors {
                    for sector in sectors {
                        if !sector_ids.contains(&sector.value) {
                            let help =
                                nearest(&sector.value, sector_ids.iter().map(String::as_str))
                                    .map(|n| format!("did you mean `{n}`?"))
                                    .unwrap_or_else(|| {
                                        format!(
                                            "the model's sectors are: {}",
                                            sector_ids.join(", ")
                                        )
                                    });
                            self.error(
                                sector,
                                format!("unknown sector `{}`", sector.value),
                                Some(help),
                            );
                        }
                    }
                }
                for intervention in &practice.interventions {
                    if !intervention_ids.contains(&intervention.value) {
                        let help = nearest(
                            &intervention.value,
                            intervention_ids.iter().map(String::as_str),
                        )
                        .map(|n| format!("did you mean `{n}`?"));
                        self.error(
                            intervention,
                            format!("unknown intervention `{}`", intervention.value),
                            help,
                        );
                    }
                }
                practices.push(Practice {
                    id: practice.id.value,
                    level: practice.level.value,
                    question: self.text(practice.question, "question"),
                    guidance: practice
                        .guidance
                        .map(|g| self.text(g, "guidance"))
                        .unwrap_or_default(),
                    sectors: practice
                        .sectors
                        .map(|s| s.into_iter().map(|s| s.value).collect()),
                    weight: self.positive(practice.weight, "weight"),
                    refs: practice.refs,
                    interventions: practice
                        .interventions
                        .into_iter()
                        .map(|i| i.value)
                        .collect(),
                });
            }
            domains.push(Domain {
                id: domain.id.value,
                name: self.text(domain.name, "name"),
                weight,
                practices,
            });
        }

        let mut interventions = Vec::new();
        let mut seen = HashSet::new();
        for intervention in raw.interventions {
            self.unique(&mut seen, &intervention.id, "intervention");
            let kind = InterventionKind::parse(&intervention.kind.value).unwrap_or_else(|| {
                let kinds: Vec<&str> = InterventionKind::ALL.iter().map(|k| k.as_str()).collect();
                self.error(
                    &intervention.kind,
                    format!("unknown intervention kind `{}`", intervention.kind.value),
                    Some(format!("use one of: {}", kinds.join(", "))),
                );
                InterventionKind::Advisory
            });
            let cost = intervention.cost_usd.value;
            if !(cost.is_finite() && cost > 0.0) {
                self.error(
                    &intervention.cost_usd,
                    format!("cost_usd must be a positive number, found {cost}"),
                    None,
                );
            }
            interventions.push(Intervention {
                id: intervention.id.value,
                name: self.text(intervention.name, "name"),
                kind,
                cost_usd: cost,
                description: intervention
                    .description
                    .map(|d| self.text(d, "description"))
                    .unwrap_or_default(),
            });
        }
        if levels.is_empty() {
            self.problems.push(self.source.at(
                Severity::Error,
                1,
                1,
                1,
                "the model defines no levels",
            ));
        }
        if responses.is_empty() {
            self.problems.push(self.source.at(
                Severity::Error,
                1,
                1,
                1,
                "the model defines no responses",
            ));
        }

        let mut model = Model {
            id: raw.id.value,
            version,
            title,
            levels,
            responses,
            sectors,
            domains,
            interventions,
            practice_index: Default::default(),
            domain_offsets: Vec::new(),
        };
        model.index_practices();
        model
    }
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

/// The JSON Schema (draft-07) of a capability model, generated from the types above.
pub fn schema() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawModel>()
}
