//! The aid plan of SPEC §5: which interventions, in which country and sector, close
//! the most capability gap per dollar, and which of them fit a budget. Pure: takes
//! the model and the current rounds' scores, does no IO.
//!
//! A candidate is (country, sector, intervention) where at least one current
//! operator there has a gap practice the intervention addresses. Its benefit is the
//! sum of priority(p) × the operator's `weight` over those gap practices and
//! operators; its cost is the intervention's `cost_usd` × the number of those
//! operators. Candidates are ranked by benefit per dollar, then larger benefit, then
//! country code, sector id and intervention id. With a budget, candidates are taken
//! in rank order while the total stays within the budget; one that does not fit is
//! skipped and later, cheaper ones may still be taken.
//!
//! Choices where SPEC §5 is silent:
//! - Benefit per dollar and benefit are compared at 12 significant digits, so that
//!   rounding in sums of priorities does not decide a tie the arithmetic says is one.
//! - A candidate fits when the running total plus its cost is within the budget plus
//!   half a cent.
//! - `cumulative_cost` is the running total of the selected candidates up to and
//!   including this one; for a skipped candidate it is the total before it.
//! - Ranks are 1-based and count every candidate, selected or not.
//! - `intervention_name` is the English name; reports in another language look the
//!   intervention up by id.
//!
//! Net of other donors' programmes (SPEC §8, [`plan_with`]): an operator whose gaps
//! for the intervention a programme covers leaves the candidate; benefit, cost and
//! practices count the uncovered operators only. A candidate with none left is not
//! ranked: it is listed in `covered` with the donors covering it (rank `null` in
//! JSON, blank in CSV). With a donor (`--donor`), its own planned and funded
//! programmes are its commitments: they cover like anyone's (the plan does not pay
//! twice for what the donor has already promised), and their amounts come off the
//! budget first. With `max_per_country`, a candidate is also skipped when its
//! country's selected total would pass the cap (the budget's skip rule, per country).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{InterventionKind, Model, PracticeRef};
use crate::programmes::{Programme, covering};
use crate::score::QuestionnaireScore;

/// Two costs within this many dollars are the same amount.
const HALF_A_CENT: f64 = 0.005;

/// The ranked candidates and what the budget buys.
#[derive(Debug, Clone, Serialize)]
pub struct AidPlan {
    /// In US dollars; `None` takes every candidate.
    pub budget: Option<f64>,
    /// Every candidate, best benefit per dollar first.
    pub candidates: Vec<AidCandidate>,
    pub selected_count: usize,
    /// Total cost of the selected candidates.
    pub selected_cost: f64,
    /// Total benefit of the selected candidates.
    pub selected_benefit: f64,
    /// Total benefit of every candidate: what closing every gap would bring.
    pub total_benefit: f64,
    /// No country takes more than this, in US dollars.
    pub max_per_country: Option<f64>,
    /// Candidates whose every operator is covered by a programme: not ranked.
    pub covered: Vec<AidCandidate>,
    /// The donor planned for (`--donor`), as its programmes spell it.
    pub donor: Option<String>,
    /// That donor's programmes, by id.
    pub commitments: Vec<Commitment>,
    /// The amounts of its planned and funded programmes, taken off the budget.
    pub committed: f64,
}

/// One programme of the donor planned for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub id: String,
    pub title: String,
    pub status: crate::programmes::ProgrammeStatus,
    pub amount_usd: Option<f64>,
    /// `CC sector intervention` per cover.
    pub covers: Vec<String>,
}

/// What to plan against besides the scores.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions<'p> {
    /// In US dollars; `None` takes every candidate.
    pub budget: Option<f64>,
    /// No country takes more than this from the budget.
    pub max_per_country: Option<f64>,
    /// Every donor's programmes (after `--tlp-max`).
    pub programmes: &'p [Programme],
    /// Plan for this donor (matched case-insensitively).
    pub donor: Option<&'p str>,
}

/// One intervention in one country and sector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AidCandidate {
    /// 1-based position in the ranking; 0 (`null` in JSON) when fully covered.
    #[serde(serialize_with = "rank_or_null")]
    pub rank: usize,
    pub country: String,
    pub sector: String,
    /// The intervention id.
    pub intervention: String,
    /// The intervention's position in `Model::interventions` (not serialised).
    #[serde(skip)]
    pub intervention_at: usize,
    pub intervention_name: String,
    pub kind: InterventionKind,
    /// Ids of the operators with a gap practice the intervention addresses, sorted.
    pub operators: Vec<String>,
    /// Ids of those gap practices, each once, in model order.
    pub practices: Vec<String>,
    pub benefit: f64,
    /// In US dollars.
    pub cost: f64,
    pub benefit_per_dollar: f64,
    /// Running total of the selected candidates' cost, this one included if selected.
    pub cumulative_cost: f64,
    /// Whether it is within the budget (always, without one).
    pub selected: bool,
    /// Donors whose programmes cover some of its operators, sorted, each once.
    pub covered_by: Vec<String>,
    /// Ids of those programmes, sorted.
    pub programmes: Vec<String>,
    /// Ids of the covered operators, sorted; they are not in `operators`.
    pub covered_operators: Vec<String>,
    /// The benefit the covered operators would have counted.
    pub covered_benefit: f64,
}

/// `rank` in JSON: `null` for a candidate that is not ranked (fully covered).
fn rank_or_null<S: serde::Serializer>(rank: &usize, serializer: S) -> Result<S::Ok, S::Error> {
    if *rank == 0 {
        serializer.serialize_none()
    } else {
        serializer.serialize_u64(*rank as u64)
    }
}

/// What one operator brings to one (country, sector, intervention).
struct OperatorGaps<'s> {
    id: &'s str,
    current_round: crate::questionnaire::Date,
    /// Its gap practices the intervention addresses, in model order.
    practices: Vec<(usize, usize)>,
    /// priority × operator weight of each, in the same order.
    benefits: Vec<f64>,
}

/// What is gathered for one (country, sector, intervention) before ranking: the
/// intervention's position in the model and its operators in id order.
struct Gathered<'s> {
    intervention: usize,
    operators: Vec<OperatorGaps<'s>>,
}

/// The sum of the operators' benefits, added one by one in operator and model
/// order, so that it does not depend on how they were grouped.
fn benefit_of(operators: &[OperatorGaps<'_>]) -> f64 {
    operators
        .iter()
        .flat_map(|g| g.benefits.iter())
        .fold(0.0, |sum, b| sum + b)
}

/// Builds the aid plan from the **current** round of each operator (one score per
/// operator, as [`crate::aggregate::Portfolio::current_scores`] gives them).
pub fn plan<'a>(
    model: &Model,
    current: impl IntoIterator<Item = &'a QuestionnaireScore>,
    budget: Option<f64>,
) -> AidPlan {
    plan_with(
        model,
        current,
        PlanOptions {
            budget,
            ..PlanOptions::default()
        },
    )
}

/// [`plan`] net of programmes, for a donor, with a cap per country.
pub fn plan_with<'a>(
    model: &Model,
    current: impl IntoIterator<Item = &'a QuestionnaireScore>,
    options: PlanOptions<'_>,
) -> AidPlan {
    // Sum in a fixed order (operator, then practice in model order), so the benefit
    // does not depend on the order the files were read in.
    let mut scores: Vec<&QuestionnaireScore> = current.into_iter().collect();
    scores.sort_by(|a, b| {
        (&a.country, &a.sector, &a.operator_id).cmp(&(&b.country, &b.sector, &b.operator_id))
    });

    let mut gathered: BTreeMap<(&str, &str, &str), Gathered> = BTreeMap::new();
    let interventions = &model.interventions;
    for score in scores {
        let mut gaps: Vec<(PracticeRef, f64)> = score
            .gaps
            .iter()
            .map(|gap| (gap.practice, gap.priority))
            .collect();
        gaps.sort_by_key(|(at, _)| (at.domain, at.practice));
        for (at, priority) in gaps {
            for &intervention in model.intervention_indices(at) {
                let key = (
                    score.country.as_str(),
                    score.sector.as_str(),
                    interventions[intervention].id.as_str(),
                );
                // Scores come sorted, so an operator's entries are the last ones.
                let operators = &mut gathered
                    .entry(key)
                    .or_insert_with(|| Gathered {
                        intervention,
                        operators: Vec::new(),
                    })
                    .operators;
                if operators.last().is_none_or(|g| g.id != score.operator_id) {
                    operators.push(OperatorGaps {
                        id: &score.operator_id,
                        current_round: score.assessed_on,
                        practices: Vec::new(),
                        benefits: Vec::new(),
                    });
                }
                let entry = operators.last_mut().expect("pushed above");
                entry.practices.push((at.domain, at.practice));
                entry.benefits.push(priority * score.weight);
            }
        }
    }

    let mut covered = Vec::new();
    let mut candidates: Vec<AidCandidate> = gathered
        .into_iter()
        .filter_map(|((country, sector, intervention), gathered)| {
            let def = &interventions[gathered.intervention];
            let mut donors = BTreeSet::new();
            let mut programme_ids = BTreeSet::new();
            let mut covered_gaps = Vec::new();
            let mut uncovered = Vec::new();
            for gaps in gathered.operators {
                let by = covering(
                    options.programmes,
                    country,
                    sector,
                    intervention,
                    gaps.id,
                    gaps.current_round,
                );
                if by.is_empty() {
                    uncovered.push(gaps);
                } else {
                    donors.extend(by.iter().map(|p| p.donor.clone()));
                    programme_ids.extend(by.iter().map(|p| p.id.clone()));
                    covered_gaps.push(gaps);
                }
            }
            let fully_covered = uncovered.is_empty();
            // A fully covered candidate still names the practices its operators lack.
            let practices: BTreeSet<(usize, usize)> = if fully_covered {
                &covered_gaps
            } else {
                &uncovered
            }
            .iter()
            .flat_map(|g| g.practices.iter().copied())
            .collect();
            let benefit = benefit_of(&uncovered);
            let covered_benefit = benefit_of(&covered_gaps);
            let covered_operators: Vec<String> =
                covered_gaps.iter().map(|g| g.id.to_owned()).collect();
            let cost = def.cost_of(uncovered.len());
            let candidate = AidCandidate {
                rank: 0,
                country: country.to_owned(),
                sector: sector.to_owned(),
                intervention: intervention.to_owned(),
                intervention_at: gathered.intervention,
                intervention_name: def.name.en().to_owned(),
                kind: def.kind,
                operators: uncovered.iter().map(|g| g.id.to_owned()).collect(),
                practices: practices
                    .into_iter()
                    .map(|(domain, practice)| {
                        model.practice(PracticeRef { domain, practice }).id.clone()
                    })
                    .collect(),
                benefit,
                cost,
                benefit_per_dollar: if fully_covered { 0.0 } else { benefit / cost },
                cumulative_cost: 0.0,
                selected: false,
                covered_by: donors.into_iter().collect(),
                programmes: programme_ids.into_iter().collect(),
                covered_operators,
                covered_benefit,
            };
            if fully_covered {
                covered.push(candidate);
                None
            } else {
                Some(candidate)
            }
        })
        .collect();
    candidates.sort_by(ranking);

    let donor = options.donor.map(str::trim);
    let mut commitments: Vec<Commitment> = donor
        .map(|name| {
            options
                .programmes
                .iter()
                .filter(|p| p.is_by(name))
                .map(|p| Commitment {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    status: p.status,
                    amount_usd: p.amount_usd,
                    covers: p
                        .covers
                        .iter()
                        .map(|c| format!("{} {} {}", c.country, c.sector, c.intervention))
                        .collect(),
                })
                .collect()
        })
        .unwrap_or_default();
    commitments.sort_by(|a, b| a.id.cmp(&b.id));
    let committed = commitments
        .iter()
        .filter(|c| c.status.is_commitment())
        .filter_map(|c| c.amount_usd)
        .fold(0.0, |sum, a| sum + a);
    let budget = options.budget;
    let available = budget.map(|b| (b - committed).max(0.0));

    let mut total = 0.0;
    let mut per_country: BTreeMap<String, f64> = BTreeMap::new();
    for (i, candidate) in candidates.iter_mut().enumerate() {
        candidate.rank = i + 1;
        let country_total = per_country.get(&candidate.country).copied().unwrap_or(0.0);
        candidate.selected = available
            .is_none_or(|budget| total + candidate.cost <= budget + HALF_A_CENT)
            && options
                .max_per_country
                .is_none_or(|cap| country_total + candidate.cost <= cap + HALF_A_CENT);
        if candidate.selected {
            total += candidate.cost;
            *per_country.entry(candidate.country.clone()).or_default() += candidate.cost;
        }
        candidate.cumulative_cost = total;
    }

    let selected = candidates.iter().filter(|c| c.selected);
    AidPlan {
        budget,
        selected_count: selected.clone().count(),
        selected_cost: total,
        // An empty f64 sum is -0.0; adding 0.0 makes it 0 (no "-0.00" in print).
        selected_benefit: selected.map(|c| c.benefit).sum::<f64>() + 0.0,
        total_benefit: candidates.iter().map(|c| c.benefit).sum::<f64>() + 0.0,
        candidates,
        max_per_country: options.max_per_country,
        covered,
        // As the programmes spell it, when the donor has any.
        donor: donor.map(|name| {
            options
                .programmes
                .iter()
                .find(|p| p.is_by(name))
                .map_or_else(|| name.to_owned(), |p| p.donor.clone())
        }),
        commitments,
        committed,
    }
}

/// Better first: benefit per dollar, larger benefit, then country, sector, intervention id.
fn ranking(a: &AidCandidate, b: &AidCandidate) -> Ordering {
    significant(b.benefit_per_dollar)
        .total_cmp(&significant(a.benefit_per_dollar))
        .then_with(|| significant(b.benefit).total_cmp(&significant(a.benefit)))
        .then_with(|| a.country.cmp(&b.country))
        .then_with(|| a.sector.cmp(&b.sector))
        .then_with(|| a.intervention.cmp(&b.intervention))
}

/// `x` rounded to 12 significant digits.
fn significant(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(11 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::fixture::{mini_model, operator};

    /// One line per candidate: rank, where, what, who, which practices, benefit, cost,
    /// cumulative cost and `selected` or `skipped`.
    fn render(candidate: &AidCandidate) -> String {
        format!(
            "{} {}/{} {} [{}] {} benefit {} cost {} cum {} {}",
            candidate.rank,
            candidate.country,
            candidate.sector,
            candidate.intervention,
            candidate.operators.join(" "),
            candidate.practices.join(","),
            candidate.benefit,
            candidate.cost,
            candidate.cumulative_cost,
            if candidate.selected {
                "selected"
            } else {
                "skipped"
            }
        )
    }

    /// Plans over `scores` with `model` and compares the candidates, one line each.
    fn check(
        model: &Model,
        scores: &[QuestionnaireScore],
        budget: Option<f64>,
        expect: &str,
    ) -> AidPlan {
        let plan = plan(model, scores, budget);
        let lines: Vec<String> = plan.candidates.iter().map(render).collect();
        let expect: Vec<&str> = expect
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, expect, "\n{}\n", lines.join("\n"));
        plan
    }

    #[test]
    fn ties_go_to_larger_benefit_then_country_sector_and_intervention() {
        let mut model = mini_model();
        for intervention in &mut model.interventions {
            intervention.cost_usd = 10_000.0;
        }
        let scores = [
            operator("LA power la-a 2026-01-01")
                .gap("ASSET-1a", 2.0)
                .build(),
            operator("KH rail kh-r 2026-01-01")
                .gap("ASSET-1a", 2.0)
                .build(),
            operator("KH power kh-a 2026-01-01")
                .gap("SITUATION-3a", 2.0)
                .gap("ASSET-1a", 2.0)
                .gap("SITUATION-1a", 10.0)
                .build(),
            operator("TH power th-a 2026-01-01")
                .gap("ASSET-2a", 2.0)
                .build(),
            operator("TH power th-b 2026-01-01")
                .gap("ASSET-2a", 2.0)
                .build(),
        ];
        // Monitoring has the best ratio; the rest tie at 2 per $10,000: TH's two
        // operators bring the larger benefit, then KH before LA, power before rail,
        // inventory before training.
        check(
            &model,
            &scores,
            None,
            "
            1 KH/power monitoring [kh-a] SITUATION-1a benefit 10 cost 10000 cum 10000 selected
            2 TH/power inventory [th-a th-b] ASSET-2a benefit 4 cost 20000 cum 30000 selected
            3 KH/power inventory [kh-a] ASSET-1a benefit 2 cost 10000 cum 40000 selected
            4 KH/power training [kh-a] SITUATION-3a benefit 2 cost 10000 cum 50000 selected
            5 KH/rail inventory [kh-r] ASSET-1a benefit 2 cost 10000 cum 60000 selected
            6 LA/power inventory [la-a] ASSET-1a benefit 2 cost 10000 cum 70000 selected
            ",
        );
    }

    /// Three candidates: monitoring ($120k, ratio 1e-4), inventory ($50k, 4e-5),
    /// training ($20k, 1e-5).
    fn three_candidates() -> Vec<QuestionnaireScore> {
        vec![
            operator("KH power kh-a 2026-01-01")
                .gap("SITUATION-1a", 12.0)
                .gap("ASSET-1a", 2.0)
                .gap("SITUATION-3a", 0.2)
                .build(),
        ]
    }

    #[test]
    fn a_candidate_over_budget_is_skipped_and_a_cheaper_later_one_taken() {
        let plan = check(
            &mini_model(),
            &three_candidates(),
            Some(150_000.0),
            "
            1 KH/power monitoring [kh-a] SITUATION-1a benefit 12 cost 120000 cum 120000 selected
            2 KH/power inventory [kh-a] ASSET-1a benefit 2 cost 50000 cum 120000 skipped
            3 KH/power training [kh-a] SITUATION-3a benefit 0.2 cost 20000 cum 140000 selected
            ",
        );
        assert_eq!((plan.selected_count, plan.selected_cost), (2, 140_000.0));
        assert!(
            (plan.selected_benefit - 12.2).abs() < 1e-9 && (plan.total_benefit - 14.2).abs() < 1e-9
        );
    }

    #[test]
    fn a_budget_spent_exactly_takes_every_candidate_that_fits() {
        check(
            &mini_model(),
            &three_candidates(),
            Some(170_000.0),
            "
            1 KH/power monitoring [kh-a] SITUATION-1a benefit 12 cost 120000 cum 120000 selected
            2 KH/power inventory [kh-a] ASSET-1a benefit 2 cost 50000 cum 170000 selected
            3 KH/power training [kh-a] SITUATION-3a benefit 0.2 cost 20000 cum 170000 skipped
            ",
        );
        let plan = plan(&mini_model(), &three_candidates(), Some(119_999.0));
        let selected: Vec<&str> = plan
            .candidates
            .iter()
            .filter(|c| c.selected)
            .map(|c| c.intervention.as_str())
            .collect();
        assert_eq!(selected, ["inventory", "training"]);
    }

    #[test]
    fn no_gaps_no_candidates() {
        let scores = [operator("KH power kh-a 2026-01-01")
            .domain("ASSET", 3, 1.0)
            .build()];
        let plan = check(&mini_model(), &scores, Some(1e6), "");
        assert_eq!(
            (
                plan.selected_count,
                plan.selected_cost,
                plan.selected_benefit
            ),
            (0, 0.0, 0.0)
        );
    }

    #[test]
    fn operator_weight_scales_benefit_and_cost_counts_operators() {
        let scores = [
            operator("KH power kh-c 2026-01-01")
                .gap("ASSET-2a", 1.0)
                .build(),
            operator("KH power kh-a 2026-01-01")
                .weight(2.5)
                .gap("ASSET-2a", 2.0)
                .gap("ASSET-1a", 1.0)
                .build(),
            operator("KH power kh-b 2026-01-01")
                .weight(0.5)
                .gap("ASSET-1a", 2.0)
                .build(),
        ];
        // 2.5 x (2 + 1) + 0.5 x 2 + 1 x 1 = 9.5; three operators x $50k.
        check(
            &mini_model(),
            &scores,
            None,
            "1 KH/power inventory [kh-a kh-b kh-c] ASSET-1a,ASSET-2a benefit 9.5 cost 150000 cum 150000 selected",
        );
    }

    #[test]
    fn json_and_csv_use_the_documented_field_names() {
        let plan = plan(&mini_model(), &three_candidates(), None);
        let json = serde_json::to_value(&plan.candidates).expect("serializable");
        let first = &json[0];
        for field in [
            "country",
            "sector",
            "intervention",
            "operators",
            "benefit",
            "cost",
            "selected",
        ] {
            assert!(first.get(field).is_some(), "no `{field}` in {first}");
        }
        assert_eq!(first["operators"], serde_json::json!(["kh-a"]));
        assert_eq!(first["kind"], "tooling");
        assert_eq!(first["intervention_name"], "OT monitoring");

        let scores = [
            operator("KH power kh-a 2026-01-01")
                .gap("ASSET-1a", 1.0)
                .build(),
            operator("KH power kh-b 2026-01-01")
                .gap("ASSET-2a", 1.0)
                .build(),
        ];
        // The CSV form (`crate::output::csv`) joins the lists with `;`.
        let bytes = crate::output::csv::plan(&super::plan(&mini_model(), &scores, None)).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let header = reader.headers().unwrap().clone();
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (&rows[0][column("operators")], &rows[0][column("practices")]),
            ("kh-a;kh-b", "ASSET-1a;ASSET-2a")
        );
        assert_eq!(&rows[0][column("kind")], "tooling");
    }

    fn check_with(
        scores: &[QuestionnaireScore],
        options: PlanOptions<'_>,
        expect: &str,
    ) -> AidPlan {
        let plan = plan_with(&mini_model(), scores, options);
        let mut lines: Vec<String> = plan.candidates.iter().map(render).collect();
        lines.extend(plan.covered.iter().map(|c| {
            format!(
                "covered {}/{} {} [{}] by {} ({})",
                c.country,
                c.sector,
                c.intervention,
                c.covered_operators.join(" "),
                c.covered_by.join(", "),
                c.programmes.join(" ")
            )
        }));
        let expect: Vec<&str> = expect
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, expect, "\n{}\n", lines.join("\n"));
        plan
    }

    fn two_countries() -> Vec<QuestionnaireScore> {
        vec![
            operator("KH power kh-a 2026-01-01")
                .gap("SITUATION-1a", 12.0)
                .gap("ASSET-1a", 2.0)
                .build(),
            operator("KH power kh-b 2026-01-01")
                .gap("ASSET-1a", 3.0)
                .gap("ASSET-2a", 1.0)
                .build(),
            operator("LA power la-a 2026-01-01")
                .gap("ASSET-1a", 4.0)
                .build(),
        ]
    }

    #[test]
    fn covered_operators_leave_their_candidate_and_fully_covered_ones_are_not_ranked() {
        use crate::programmes::tests::programme;
        let programmes = [
            programme(
                "eu-inv EU funded 2026-01-01 2027-01-01",
                &["KH power inventory kh-b"],
            ),
            // Delivered after kh-a's current round: still covered.
            programme(
                "jp-mon Japan delivered 2025-01-01 2026-02-01",
                &["KH power monitoring"],
            ),
            // Delivered before la-a's current round: not covered any more.
            programme(
                "us-inv US delivered 2025-01-01 2025-12-31",
                &["LA power inventory"],
            ),
        ];
        let plan = check_with(
            &two_countries(),
            PlanOptions {
                programmes: &programmes,
                ..PlanOptions::default()
            },
            "
            1 LA/power inventory [la-a] ASSET-1a benefit 4 cost 50000 cum 50000 selected
            2 KH/power inventory [kh-a] ASSET-1a benefit 2 cost 50000 cum 100000 selected
            covered KH/power monitoring [kh-a] by Japan (jp-mon)
            ",
        );
        assert_eq!(plan.candidates[1].covered_by, ["EU"]);
        assert_eq!(plan.candidates[1].covered_operators, ["kh-b"]);
        assert_eq!(plan.candidates[1].covered_benefit, 4.0);
        let json = serde_json::to_value(&plan.covered).expect("serializable");
        assert_eq!(json[0]["rank"], serde_json::Value::Null);
        assert_eq!(json[0]["covered_by"], serde_json::json!(["Japan"]));
        let csv = crate::output::csv::plan(&plan).expect("writable");
        let csv = String::from_utf8(csv).expect("UTF-8");
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 4, "{csv}");
        assert!(rows[3].starts_with(",KH,power,monitoring,"), "{csv}");
        assert!(rows[3].contains(",Japan,kh-a,jp-mon"), "{csv}");
    }

    #[test]
    fn a_country_cap_skips_like_the_budget_does() {
        let plan = check_with(
            &two_countries(),
            PlanOptions {
                budget: Some(200_000.0),
                max_per_country: Some(120_000.0),
                ..PlanOptions::default()
            },
            "
            1 KH/power monitoring [kh-a] SITUATION-1a benefit 12 cost 120000 cum 120000 selected
            2 LA/power inventory [la-a] ASSET-1a benefit 4 cost 50000 cum 170000 selected
            3 KH/power inventory [kh-a kh-b] ASSET-1a,ASSET-2a benefit 6 cost 100000 cum 170000 skipped
            ",
        );
        assert_eq!(plan.max_per_country, Some(120_000.0));
    }

    #[test]
    fn a_donor_s_commitments_cover_and_come_off_its_budget() {
        use crate::programmes::tests::programme;
        let programmes = [
            programme(
                "jp-inv Japan planned 2026-01-01 2027-01-01 30000",
                &["LA power inventory"],
            ),
            programme(
                "jp-old Japan delivered 2024-01-01 2024-06-01 99000",
                &["KH power training"],
            ),
            programme(
                "eu-inv EU funded 2026-01-01 2027-01-01 50000",
                &["KH power inventory kh-a"],
            ),
        ];
        let plan = check_with(
            &two_countries(),
            PlanOptions {
                budget: Some(190_000.0),
                programmes: &programmes,
                donor: Some("JAPAN"),
                ..PlanOptions::default()
            },
            "
            1 KH/power monitoring [kh-a] SITUATION-1a benefit 12 cost 120000 cum 120000 selected
            2 KH/power inventory [kh-b] ASSET-1a,ASSET-2a benefit 4 cost 50000 cum 120000 skipped
            covered LA/power inventory [la-a] by Japan (jp-inv)
            ",
        );
        let ids: Vec<&str> = plan.commitments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["jp-inv", "jp-old"]);
        // Only planned and funded amounts are committed: 190k - 30k leaves 160k.
        assert_eq!(plan.committed, 30_000.0);
        assert_eq!(plan.donor.as_deref(), Some("Japan"));
    }

    #[test]
    fn ratios_equal_up_to_rounding_still_tie() {
        assert_eq!(significant(0.1 + 0.2), significant(0.3));
        assert!(significant(1e-4) > significant(0.999_999e-4));
        assert_eq!(significant(0.0), 0.0);
    }
}
