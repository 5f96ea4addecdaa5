//! People per cyber role (SPEC §9): one stacked bar per role, split into the
//! people in post, the people in training and the shortfall, so the bar's length
//! is what the operators need (or more, where some have a surplus) and the
//! shortfall is the part still to train. One measure, people, with every segment and
//! total printed on the bar. Built on [`super::stacked`]; pure: data in, SVG out.

use super::stacked::{Stacked, StackedRow, Unit, stacked};
use crate::i18n::Strings;

/// One role's people, summed over the operators that reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct RolePeople {
    /// The role's name, in the report's language.
    pub label: String,
    pub staff: u64,
    pub in_training: u64,
    pub shortfall: u64,
}

/// The words of the chart, in the report's language.
#[derive(Debug, Clone, PartialEq)]
pub struct PeopleWords {
    pub title: String,
    /// The x axis, e.g. "People".
    pub value_name: String,
    /// The three series: in post, in training, short.
    pub series: [String; 3],
}

/// [`people_per_role`] with the chart's own wording (its description) from `s`.
pub fn people_per_role(words: &PeopleWords, roles: &[RolePeople], s: &Strings) -> String {
    stacked(
        &Stacked {
            title: words.title.clone(),
            value_name: words.value_name.clone(),
            unit: Unit::Count,
            series: words.series.to_vec(),
            neutral_tail: 1,
            rows: roles
                .iter()
                .map(|r| StackedRow {
                    label: r.label.clone(),
                    values: vec![r.staff as f64, r.in_training as f64, r.shortfall as f64],
                })
                .collect(),
        },
        s,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::testing::{check, text_boxes};
    use crate::i18n::Lang;

    fn words() -> PeopleWords {
        PeopleWords {
            title: "People per role".into(),
            value_name: "People".into(),
            series: ["In post".into(), "In training".into(), "Short".into()],
        }
    }

    #[test]
    fn each_role_is_a_bar_of_people_with_its_total() {
        let svg = people_per_role(
            &words(),
            &[
                RolePeople {
                    label: "OT security engineer".into(),
                    staff: 3,
                    in_training: 1,
                    shortfall: 7,
                },
                RolePeople {
                    label: "SOC <analyst> & co".into(),
                    staff: 0,
                    in_training: 0,
                    shortfall: 5,
                },
            ],
            Strings::builtin(Lang::En),
        );
        check(&svg);
        let texts: Vec<String> = text_boxes(&svg).into_iter().map(|b| b.text).collect();
        // 3 + 1 + 7 = 11 people, printed at the end of the bar; each segment in it.
        for text in [
            "11",
            "7",
            "3",
            "5",
            "In post",
            "In training",
            "Short",
            "People",
        ] {
            assert!(texts.iter().any(|t| t == text), "{text} in {texts:?}");
        }
        assert!(texts.iter().any(|t| t == "SOC <analyst> & co"), "{texts:?}");
        assert!(!svg.contains("<analyst>"));
    }

    #[test]
    fn no_roles_still_draw() {
        check(&people_per_role(&words(), &[], Strings::builtin(Lang::En)));
    }
}
