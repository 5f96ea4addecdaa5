//! Loading the country groups (`regions.yaml`) that countries are aggregated into.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::yaml::{self, Source};
use crate::country;
use crate::diag::Diagnostic;

/// A named group of countries (ASEAN, Pacific Islands, ...).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub description: String,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegions {
    groups: Vec<RawRegion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
    countries: Vec<Spanned<String>>,
}

/// Parses and checks the region groups.
pub fn load_regions(path: &str, text: &str) -> Result<Vec<Region>, Vec<Diagnostic>> {
    let source = Source::new(path, text);
    let raw: RawRegions = yaml::parse(source, &["groups"]).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let regions = raw
        .groups
        .into_iter()
        .map(|group| {
            for code in &group.countries {
                if !country::is_assigned(&code.value) {
                    problems.push(source.error(
                        code,
                        format!("`{}` is not an ISO 3166-1 alpha-2 code", code.value),
                    ));
                }
            }
            Region {
                id: group.id,
                name: group.name,
                description: group.description,
                countries: group.countries.into_iter().map(|c| c.value).collect(),
            }
        })
        .collect();
    if problems.is_empty() {
        Ok(regions)
    } else {
        Err(problems)
    }
}
