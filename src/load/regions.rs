//! Loading the country groups (`regions.yaml`) that countries are aggregated into,
//! from the positioned tree, every problem at once.

use super::check::{Checker, MAX_MODEL_TEXT_CHARS, MAX_NAME_CHARS, shown};
use super::questionnaire::syntax_diagnostic;
use super::tree;
use super::yaml::Source;
use crate::country;
use crate::diag::Diagnostic;
use crate::text::Text;

/// A named group of countries (ASEAN, Pacific Islands, ...). Its name and
/// description are text like the model's: a string, or a map of languages.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Region {
    pub id: String,
    pub name: Text,
    pub description: Text,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
}

/// Parses and checks the region groups.
pub fn load_regions(path: &str, text: &str) -> Result<Vec<Region>, Vec<Diagnostic>> {
    let source = Source::new(path, text);
    let root = match tree::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => return Ok(Vec::new()),
        Err(err) => return Err(vec![syntax_diagnostic(source, err)]),
    };
    let mut check = Checker::new(source);
    let mut regions = Vec::new();
    if let Some(fields) = check.fields(&root, "the region groups", &["groups"]) {
        let groups = check.required(&fields, "groups", "add `groups:` with the country groups");
        let list = groups
            .and_then(|node| check.list(node, "the groups"))
            .unwrap_or_default();
        for group in list {
            let Some(group) = check.fields(
                group,
                "a group",
                &["id", "name", "description", "countries"],
            ) else {
                continue;
            };
            let id = check
                .required(&group, "id", "add `id:` with the group's id")
                .and_then(|n| {
                    check
                        .word(n, "a group id", || {
                            "ids are short names without spaces".into()
                        })
                        .map(str::to_owned)
                });
            let name = check
                .required(&group, "name", "add `name:` with the group's name")
                .and_then(|n| super::model::text(&mut check, n, "name", MAX_NAME_CHARS));
            let description = check
                .optional(&group, "description")
                .and_then(|n| {
                    super::model::text(&mut check, n, "description", MAX_MODEL_TEXT_CHARS)
                })
                .unwrap_or_default();
            let mut countries = Vec::new();
            if let Some(node) = check.required(
                &group,
                "countries",
                "add `countries:` with ISO 3166-1 alpha-2 codes",
            ) {
                for code_node in check.list(node, "the countries").unwrap_or_default() {
                    let Some(code) = check.word(code_node, "a country code", || {
                        "use ISO 3166-1 alpha-2 codes, e.g. KH".into()
                    }) else {
                        continue;
                    };
                    if country::is_assigned(code) {
                        countries.push(code.to_owned());
                    } else {
                        check.error(
                            code_node,
                            format!("`{}` is not an ISO 3166-1 alpha-2 code", shown(code)),
                            None,
                        );
                    }
                }
            }
            if let (Some(id), Some(name)) = (id, name) {
                regions.push(Region {
                    id,
                    name,
                    description,
                    countries,
                });
            }
        }
    }
    if check.out.is_empty() {
        Ok(regions)
    } else {
        Err(check.out)
    }
}
