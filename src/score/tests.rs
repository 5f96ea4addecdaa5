//! Scoring rules of SPEC §4, each checked on a small questionnaire over the test
//! model in `tests/fixtures/mini-model.yaml`.

use super::*;
use crate::load::{load_model, load_questionnaire};

fn model() -> Model {
    let text = include_str!("../../tests/fixtures/mini-model.yaml");
    load_model("mini-model.yaml", text.as_bytes().to_vec()).expect("the test model is valid")
}

/// Scores `answers` (YAML lines under `answers:`) for a power operator.
fn score_answers(sector: &str, extra: &str, answers: &str) -> QuestionnaireScore {
    let model = model();
    let yaml = format!(
        "model: mini@1.0.0\ncountry: KH\nsector: {sector}\noperator: Test Grid\nassessed_on: 2026-01-15\n{extra}answers:\n{answers}"
    );
    let loaded = load_questionnaire(&model, "q.yaml", yaml.into_bytes(), false);
    let questionnaire = loaded
        .questionnaire
        .unwrap_or_else(|| panic!("invalid test questionnaire: {:#?}", loaded.diagnostics));
    score(&model, &questionnaire)
}

/// Checks (level, implementation, gap) of one domain.
fn check(
    score: &QuestionnaireScore,
    domain: &str,
    level: Option<u32>,
    implementation: Option<f64>,
    gap: Option<u32>,
) {
    let d = &score.domains[domain_index(domain)];
    assert_eq!(d.level, level, "level of {domain}");
    assert_eq!(d.gap, gap, "gap of {domain}");
    match (d.implementation, implementation) {
        (Some(got), Some(want)) => assert!(
            (got - want).abs() < 1e-9,
            "implementation of {domain}: {got} != {want}"
        ),
        (got, want) => assert_eq!(got, want, "implementation of {domain}"),
    }
}

/// The position of a domain of the test model, as scores list them.
fn domain_index(id: &str) -> usize {
    model()
        .domains
        .iter()
        .position(|d| d.id == id)
        .expect("a domain of the test model")
}

/// A gap practice's id.
fn practice_id(gap: &GapPractice) -> String {
    model().practice(gap.practice).id.clone()
}

const ALL_FULLY: &str =
    "  ASSET-1a: fully\n  ASSET-1b: fully\n  ASSET-2a: fully\n  ASSET-3a: fully\n";

#[test]
fn everything_done_reaches_the_top_level() {
    let s = score_answers("power", "", ALL_FULLY);
    check(&s, "ASSET", Some(3), Some(1.0), Some(0));
}

#[test]
fn one_partial_answer_at_level_1_holds_the_domain_at_0() {
    let s = score_answers(
        "power",
        "",
        "  ASSET-1a: partially\n  ASSET-1b: fully\n  ASSET-2a: fully\n  ASSET-3a: fully\n",
    );
    // (0.25 + 2 + 1 + 1) / 5: ASSET-1b weighs 2.
    check(&s, "ASSET", Some(0), Some(4.25 / 5.0), Some(2));
}

#[test]
fn a_missing_level_2_practice_caps_at_1_even_with_level_3_done() {
    let s = score_answers(
        "power",
        "",
        "  ASSET-1a: fully\n  ASSET-1b: largely\n  ASSET-2a: not\n  ASSET-3a: fully\n",
    );
    check(
        &s,
        "ASSET",
        Some(1),
        Some((1.0 + 1.5 + 0.0 + 1.0) / 5.0),
        Some(1),
    );
}

#[test]
fn unanswered_counts_as_not_implemented() {
    let s = score_answers(
        "power",
        "",
        "  ASSET-1a: fully\n  ASSET-1b: fully\n  ASSET-3a: fully\n",
    );
    check(&s, "ASSET", Some(1), Some(4.0 / 5.0), Some(1));
    let d = &s.domains[0];
    assert_eq!(d.counts.unanswered, 1);
    let gap = s
        .gaps
        .iter()
        .find(|g| practice_id(g) == "ASSET-2a")
        .expect("a gap practice");
    assert_eq!(gap.response, None);
    assert!(
        (gap.priority - 1.0).abs() < 1e-9,
        "1 x 1 x (1 - 0) x (2 - 2 + 1)"
    );
}

#[test]
fn na_is_excluded_and_an_all_na_domain_has_no_level() {
    let na = |id: &str| format!("  {id}:\n    response: na\n    note: no such systems\n");
    let answers = format!(
        "{}{}{}{}{}{}{}",
        ALL_FULLY,
        na("SITUATION-1a"),
        na("SITUATION-2a"),
        na("SITUATION-2b"),
        na("SITUATION-3a"),
        "",
        ""
    );
    let s = score_answers("power", "", &answers);
    check(&s, "SITUATION", None, None, None);
    check(&s, "ASSET", Some(3), Some(1.0), Some(0));
    // SITUATION is left out of the index and of targets met; RAIL does not apply to power.
    check(&s, "RAIL", None, None, None);
    assert_eq!(s.index, Some(100.0));
    assert_eq!((s.targets_met, s.domains_scored), (1, 1));

    let s = score_answers(
        "power",
        "",
        "  ASSET-1a:\n    response: na\n    note: none\n  ASSET-1b: fully\n  ASSET-2a: partially\n  ASSET-3a: fully\n",
    );
    check(
        &s,
        "ASSET",
        Some(1),
        Some((2.0 + 0.25 + 1.0) / 4.0),
        Some(1),
    );
}

#[test]
fn weights_enter_implementation_priority_and_index() {
    let answers = format!(
        "{ALL_FULLY}  SITUATION-1a: fully\n  SITUATION-2a: partially\n  SITUATION-2b: not\n  SITUATION-3a: not\n"
    );
    let s = score_answers("power", "", &answers);
    check(&s, "SITUATION", Some(1), Some(1.25 / 4.0), Some(2));
    // Domain weight 2: index = 100 x (1 x 1.0 + 2 x 0.3125) / 3.
    let index = s.index.expect("an index");
    assert!(
        (index - 100.0 * (1.0 + 2.0 * 0.3125) / 3.0).abs() < 1e-9,
        "{index}"
    );
    // Gap practices: level <= target 3, not achieving. priority = dw x pw x (1 - credit) x (target - level + 1).
    let priorities: Vec<(String, f64)> = s
        .gaps
        .iter()
        .map(|g| (practice_id(g), g.priority))
        .collect();
    assert_eq!(
        priorities,
        [
            ("SITUATION-2b".to_owned(), 4.0),
            ("SITUATION-2a".to_owned(), 3.0),
            ("SITUATION-3a".to_owned(), 2.0)
        ]
    );
}

#[test]
fn target_overrides_and_sector_filtering() {
    let s = score_answers(
        "rail",
        "targets: { ASSET: 3 }\n",
        "  ASSET-1a: fully\n  ASSET-1b: fully\n  ASSET-2a: fully\n  RAIL-1a: largely\n",
    );
    // ASSET-3a is unanswered: level 2 against the overridden target 3.
    check(&s, "ASSET", Some(2), Some(4.0 / 5.0), Some(1));
    check(&s, "RAIL", Some(3), Some(0.75), Some(0));
    // SITUATION-2b is power-only: three applicable practices, all unanswered.
    let situation = &s.domains[domain_index("SITUATION")];
    assert_eq!(situation.counts.unanswered, 3);
    assert_eq!(situation.target, 2);
    check(&s, "SITUATION", Some(0), Some(0.0), Some(2));
}

#[test]
fn gap_practices_above_the_target_are_not_gaps() {
    let s = score_answers(
        "power",
        "",
        "  ASSET-1a: fully\n  ASSET-1b: fully\n  ASSET-2a: fully\n  ASSET-3a: not\n",
    );
    check(&s, "ASSET", Some(2), Some(0.8), Some(0));
    let asset = domain_index("ASSET");
    assert!(s.gaps.iter().all(|g| g.practice.domain != asset));
}

#[test]
fn evidence_coverage_counts_achieving_answers() {
    let s = score_answers(
        "power",
        "",
        "  ASSET-1a:\n    response: fully\n    evidence: [register v3]\n  ASSET-1b: largely\n  ASSET-2a:\n    response: partially\n    evidence: draft\n",
    );
    assert_eq!((s.evidence.achieving, s.evidence.with_evidence), (2, 1));
}

#[test]
fn a_record_writes_the_model_ids_in_place_of_indices() {
    let model = model();
    let s = score_answers(
        "power",
        "",
        "  ASSET-1a: fully\n  ASSET-2a: not\n  ASSET-3a: fully\n",
    );
    let json = serde_json::to_string(&s.record(&model)).expect("serialisable");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let ids: Vec<&str> = value["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .map(|d| d["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(ids, ["ASSET", "SITUATION", "RAIL"]);
    // The counts keep the model's order of responses, then `na` and `unanswered`.
    assert!(
        json.contains(
            r#""counts":{"fully":2,"largely":0,"partially":0,"not":1,"na":0,"unanswered":1}"#
        ),
        "{json}"
    );
    let gaps: Vec<(&str, &str, &str)> = value["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .filter(|g| g["domain"] == "ASSET")
        .map(|g| {
            (
                g["practice"].as_str().expect("a practice"),
                g["domain"].as_str().expect("a domain"),
                g["response"].as_str().expect("a response"),
            )
        })
        .collect();
    assert_eq!(
        gaps,
        [
            ("ASSET-1b", "ASSET", "unanswered"),
            ("ASSET-2a", "ASSET", "not")
        ]
    );
}
