//! Assessment rounds (SPEC §5): a round is one operator's assessment on one date,
//! keyed by (country, sector, operator id, date). This is the one home of the
//! duplicate-round rule that `validate`, `score`, `plan` and `report` all apply:
//! in input order, the first questionnaire of a round is kept and every later one
//! for the same round is an error naming the first. Inputs left out by `--tlp-max`
//! never take part (they are left out before rounds are counted), so a left-out file
//! can neither displace a kept one nor appear in an error. Pure: no IO.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Severity};
use crate::questionnaire::{Date, Questionnaire};
use crate::score::QuestionnaireScore;

/// One assessment round: whose, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoundKey {
    pub country: String,
    pub sector: String,
    pub operator_id: String,
    pub assessed_on: Date,
}

impl RoundKey {
    pub fn of(questionnaire: &Questionnaire) -> RoundKey {
        RoundKey {
            country: questionnaire.country.clone(),
            sector: questionnaire.sector.clone(),
            operator_id: questionnaire.operator_id.clone(),
            assessed_on: questionnaire.assessed_on,
        }
    }

    pub fn of_score(score: &QuestionnaireScore) -> RoundKey {
        RoundKey {
            country: score.country.clone(),
            sector: score.sector.clone(),
            operator_id: score.operator_id.clone(),
            assessed_on: score.assessed_on,
        }
    }
}

/// The rounds seen so far in a batch, with the file that holds each.
#[derive(Debug, Default)]
pub struct Rounds {
    seen: HashMap<RoundKey, String>,
}

impl Rounds {
    /// Records `path` as the questionnaire of round `key`. When the round already has
    /// one, returns the error for `path` (naming the first file) and records nothing.
    pub fn check(&mut self, key: RoundKey, path: &str) -> Option<Diagnostic> {
        if let Some(first) = self.seen.get(&key) {
            let RoundKey {
                country,
                sector,
                operator_id,
                assessed_on,
            } = &key;
            return Some(
                Diagnostic::file(
                    Severity::Error,
                    path,
                    format!(
                        "a second questionnaire for operator `{operator_id}` ({country}, {sector}) assessed on {assessed_on}; the first is {first}"
                    ),
                )
                .with_help("each operator has one questionnaire per assessment date: remove one, or correct its `assessed_on` or `operator_id`"),
            );
        }
        self.seen.insert(key, path.to_owned());
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str, date: &str) -> RoundKey {
        RoundKey {
            country: "KH".into(),
            sector: "power".into(),
            operator_id: id.into(),
            assessed_on: Date::parse(date).expect("a date"),
        }
    }

    #[test]
    fn the_first_file_of_a_round_is_kept_and_later_ones_are_errors() {
        let mut rounds = Rounds::default();
        assert!(rounds.check(key("a", "2026-01-01"), "one.yaml").is_none());
        assert!(rounds.check(key("a", "2025-01-01"), "older.yaml").is_none());
        assert!(rounds.check(key("b", "2026-01-01"), "other.yaml").is_none());
        let error = rounds
            .check(key("a", "2026-01-01"), "two.yaml")
            .expect("a duplicate");
        assert_eq!(error.path, "two.yaml");
        assert!(error.message.contains("the first is one.yaml"), "{error}");
        // The first stays the first.
        let error = rounds
            .check(key("a", "2026-01-01"), "three.yaml")
            .expect("a duplicate");
        assert!(error.message.contains("the first is one.yaml"), "{error}");
    }
}
