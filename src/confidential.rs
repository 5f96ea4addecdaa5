//! Confidentiality of scores (SPEC §7): `--tlp-max` leaves out questionnaires above
//! a TLP level, and `--anonymize` replaces operator names and ids with stable
//! pseudonyms and withholds source file paths. Pure: works on
//! [`QuestionnaireScore`]s before aggregation, does no IO.
//!
//! Pseudonyms: within each (country, sector), the distinct real operator ids are
//! sorted and numbered from 1, giving ids like `KH-POWER-01` and names like
//! `Power operator KH-01`. They are identical across runs on the same inputs, the
//! same for every round of an operator, and never derived from an operator's name
//! (only its id's rank among its peers). Adding or removing an operator in a country
//! and sector may renumber the others there. The real → pseudonym mapping is
//! returned for the reports (answers and pages keyed by operator) and is not
//! `Serialize`, so it cannot end up in an output by accident.
//!
//! Scores carry no assessor, notes or evidence; the reports must drop those from
//! questionnaires themselves when anonymizing.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::questionnaire::Tlp;
use crate::score::QuestionnaireScore;

/// What an anonymized score has in place of its source file path.
pub const WITHHELD_FILE: &str = "(withheld)";

/// A questionnaire left out by `--tlp-max`, for the run summary and the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WithheldScore {
    pub file: String,
    pub tlp: Tlp,
}

/// Keeps the scores whose TLP is at most `max`, in order; returns the others' file
/// and TLP, in order.
pub fn filter_tlp(
    scores: Vec<QuestionnaireScore>,
    max: Tlp,
) -> (Vec<QuestionnaireScore>, Vec<WithheldScore>) {
    let (kept, withheld): (Vec<_>, Vec<_>) = scores.into_iter().partition(|s| s.tlp <= max);
    let withheld = withheld
        .into_iter()
        .map(|s| WithheldScore {
            file: s.file,
            tlp: s.tlp,
        })
        .collect();
    (kept, withheld)
}

/// One operator's pseudonym.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pseudonym {
    pub country: String,
    pub sector: String,
    /// The real operator id.
    pub real_id: String,
    /// The pseudonymous id, e.g. `KH-POWER-01`.
    pub operator_id: String,
    /// The pseudonymous name, e.g. `Power operator KH-01`.
    pub operator: String,
}

/// The real → pseudonym mapping of one run, sorted by country, sector and real id.
#[derive(Debug, Clone, Default)]
pub struct Pseudonyms {
    entries: Vec<Pseudonym>,
}

impl Pseudonyms {
    /// The pseudonym of an operator by its real key.
    pub fn get(&self, country: &str, sector: &str, real_id: &str) -> Option<&Pseudonym> {
        self.entries
            .binary_search_by(|p| {
                (p.country.as_str(), p.sector.as_str(), p.real_id.as_str())
                    .cmp(&(country, sector, real_id))
            })
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The pseudonymous id of an operator by its real key.
    pub fn id(&self, country: &str, sector: &str, real_id: &str) -> Option<&str> {
        self.get(country, sector, real_id)
            .map(|p| p.operator_id.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &Pseudonym> {
        self.entries.iter()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Replaces every score's operator name and id with its pseudonym and withholds its
/// file path; returns the scores in the same order and the mapping.
pub fn anonymize(mut scores: Vec<QuestionnaireScore>) -> (Vec<QuestionnaireScore>, Pseudonyms) {
    let mut peers: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for score in &scores {
        peers
            .entry((score.country.as_str(), score.sector.as_str()))
            .or_default()
            .insert(score.operator_id.as_str());
    }
    let entries: Vec<Pseudonym> = peers
        .into_iter()
        .flat_map(|((country, sector), ids)| {
            ids.into_iter().enumerate().map(move |(i, real_id)| {
                let number = i + 1;
                Pseudonym {
                    country: country.to_owned(),
                    sector: sector.to_owned(),
                    real_id: real_id.to_owned(),
                    operator_id: format!("{country}-{}-{number:02}", sector.to_ascii_uppercase()),
                    operator: format!("{} operator {country}-{number:02}", sector_words(sector)),
                }
            })
        })
        .collect();
    let pseudonyms = Pseudonyms { entries };
    for score in &mut scores {
        let pseudonym = pseudonyms
            .get(&score.country, &score.sector, &score.operator_id)
            .expect("every score's operator has a pseudonym");
        score.operator_id = pseudonym.operator_id.clone();
        score.operator = pseudonym.operator.clone();
        score.file = WITHHELD_FILE.to_owned();
    }
    (scores, pseudonyms)
}

/// `power` → `Power`, `oil-gas` → `Oil gas`.
fn sector_words(sector: &str) -> String {
    let words = sector.replace(['-', '_'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::fixture::operator;

    /// Real operators: two KH power (one with two rounds), one KH rail, one FJ power.
    fn real_scores() -> Vec<QuestionnaireScore> {
        vec![
            operator("KH power zeta-grid 2026-01-01")
                .name("Zeta Grid Company")
                .file("kh/zeta-grid-2026.yaml")
                .build(),
            operator("KH power alpha-power 2026-01-01")
                .name("Alpha Power Corporation")
                .file("kh/alpha-power-2026.yaml")
                .tlp(Tlp::Red)
                .build(),
            operator("KH rail royal-railway 2026-01-01")
                .name("Royal Railway")
                .file("kh/royal-railway.yaml")
                .tlp(Tlp::Green)
                .build(),
            operator("KH power zeta-grid 2025-01-01")
                .name("Zeta Grid Co. (old name)")
                .file("kh/zeta-grid-2025.yaml")
                .build(),
            operator("FJ power fiji-electricity 2026-01-01")
                .name("Fiji Electricity Authority")
                .file("fj/fea.yaml")
                .tlp(Tlp::AmberStrict)
                .build(),
        ]
    }

    /// Anonymizes `scores` and compares `file operator_id "operator"` per score, in order.
    fn check(scores: Vec<QuestionnaireScore>, expect: &str) -> Pseudonyms {
        let (scores, pseudonyms) = anonymize(scores);
        let lines: Vec<String> = scores
            .iter()
            .map(|s| {
                format!(
                    "{} {} {} \"{}\"",
                    s.assessed_on, s.file, s.operator_id, s.operator
                )
            })
            .collect();
        let expect: Vec<&str> = expect
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, expect, "\n{}\n", lines.join("\n"));
        pseudonyms
    }

    #[test]
    fn pseudonyms_number_sorted_ids_within_country_and_sector_across_rounds() {
        let pseudonyms = check(
            real_scores(),
            r#"
            2026-01-01 (withheld) KH-POWER-02 "Power operator KH-02"
            2026-01-01 (withheld) KH-POWER-01 "Power operator KH-01"
            2026-01-01 (withheld) KH-RAIL-01 "Rail operator KH-01"
            2025-01-01 (withheld) KH-POWER-02 "Power operator KH-02"
            2026-01-01 (withheld) FJ-POWER-01 "Power operator FJ-01"
            "#,
        );
        assert_eq!(pseudonyms.len(), 4);
        assert_eq!(
            pseudonyms.id("KH", "power", "zeta-grid"),
            Some("KH-POWER-02")
        );
        assert_eq!(pseudonyms.id("KH", "rail", "zeta-grid"), None);
    }

    #[test]
    fn pseudonyms_do_not_depend_on_input_order() {
        let (forward, _) = anonymize(real_scores());
        let mut reversed = real_scores();
        reversed.reverse();
        let (mut backward, _) = anonymize(reversed);
        backward.reverse();
        let ids = |scores: &[QuestionnaireScore]| -> Vec<String> {
            scores
                .iter()
                .map(|s| format!("{} {}", s.operator_id, s.operator))
                .collect()
        };
        assert_eq!(ids(&forward), ids(&backward));
    }

    #[test]
    fn no_real_name_id_or_file_is_left_in_the_output() {
        let real = real_scores();
        let (anonymized, _) = anonymize(real.clone());
        let json = serde_json::to_string(&anonymized).expect("serializable");
        for score in &real {
            for secret in [&score.operator, &score.operator_id, &score.file] {
                assert!(
                    !json.contains(secret.as_str()),
                    "`{secret}` is still in {json}"
                );
            }
        }
    }

    #[test]
    fn tlp_max_keeps_scores_at_or_below_the_level() {
        let (kept, withheld) = filter_tlp(real_scores(), Tlp::Amber);
        let kept: Vec<&str> = kept.iter().map(|s| s.operator_id.as_str()).collect();
        assert_eq!(kept, ["zeta-grid", "royal-railway", "zeta-grid"]);
        assert_eq!(
            withheld,
            [
                WithheldScore {
                    file: "kh/alpha-power-2026.yaml".to_owned(),
                    tlp: Tlp::Red
                },
                WithheldScore {
                    file: "fj/fea.yaml".to_owned(),
                    tlp: Tlp::AmberStrict
                },
            ]
        );
        let (kept, withheld) = filter_tlp(real_scores(), Tlp::Red);
        assert_eq!((kept.len(), withheld.len()), (5, 0));
        let (kept, withheld) = filter_tlp(real_scores(), Tlp::Clear);
        assert_eq!((kept.len(), withheld.len()), (0, 5));
    }

    #[test]
    fn sector_ids_read_as_words() {
        assert_eq!(sector_words("power"), "Power");
        assert_eq!(sector_words("oil-gas"), "Oil gas");
        assert_eq!(sector_words(""), "");
    }
}
