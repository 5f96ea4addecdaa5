//! Other donors' programmes and what past aid achieved (SPEC §8): the validated
//! [`Programme`] types, which operators a programme *covers*, *overlaps* between
//! planned or funded programmes, and the *outcomes* of delivered ones measured
//! between an operator's rounds. Pure: takes programmes, the model and scores,
//! does no IO (the loader is `load/programmes.rs`).
//!
//! Choices where SPEC §8 is silent:
//! - A cover without `operators` covers every operator of its country and sector
//!   that the run knows (any round); that is also what "its covered operators" means
//!   for the cost share.
//! - Periods are closed intervals: two programmes overlap when each starts on or
//!   before the other ends, and they share at least one operator of the run (two
//!   covers of "every operator there" share every operator the run has there).
//! - Outcome rounds: *before* is the operator's latest round on or before `start`,
//!   *after* its first round after `end` (the pair that brackets the programme).
//! - Priorities before and after are sums of priority(p) over the gap practices the
//!   intervention addresses, not weighted; the *planned benefit* is the aid plan's
//!   benefit at the before round (priority × the operator's `weight`).
//! - The cost share of an operator is split evenly again over the interventions
//!   the programme covers for it, so that per-intervention and per-kind costs add up
//!   to the programme's amount for the operators measured.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{InterventionKind, Model};
use crate::questionnaire::{Date, Tlp};
use crate::score::QuestionnaireScore;

/// Where a programme is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProgrammeStatus {
    Planned,
    Funded,
    Delivered,
}

impl ProgrammeStatus {
    pub const ALL: [ProgrammeStatus; 3] = [
        ProgrammeStatus::Planned,
        ProgrammeStatus::Funded,
        ProgrammeStatus::Delivered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammeStatus::Planned => "planned",
            ProgrammeStatus::Funded => "funded",
            ProgrammeStatus::Delivered => "delivered",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Planned or funded: money promised, not yet spent.
    pub fn is_commitment(self) -> bool {
        matches!(self, ProgrammeStatus::Planned | ProgrammeStatus::Funded)
    }
}

/// One programme of aid, validated: every country, sector, intervention and
/// operator id it names exists, and `start <= end`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Programme {
    pub id: String,
    pub donor: String,
    pub implementer: Option<String>,
    pub title: String,
    pub status: ProgrammeStatus,
    pub start: Date,
    /// For `delivered`: when delivery finished.
    pub end: Date,
    pub amount_usd: Option<f64>,
    pub tlp: Tlp,
    pub covers: Vec<Cover>,
}

/// What a programme pays for in one country and sector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cover {
    pub country: String,
    pub sector: String,
    pub intervention: String,
    /// The intervention's position in `Model::interventions` (not serialised).
    #[serde(skip)]
    pub intervention_at: usize,
    /// `None`: every operator there.
    pub operators: Option<Vec<String>>,
    /// People trained, for the workforce plan (§9).
    pub trainees: Option<u32>,
}

impl Cover {
    /// Whether this cover pays for `intervention` at this operator.
    pub fn includes(
        &self,
        country: &str,
        sector: &str,
        intervention: &str,
        operator: &str,
    ) -> bool {
        self.country == country
            && self.sector == sector
            && self.intervention == intervention
            && self
                .operators
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|id| id == operator))
    }
}

impl Programme {
    /// Whether some cover of the programme pays for `intervention` at this operator,
    /// whatever its status.
    pub fn includes(
        &self,
        country: &str,
        sector: &str,
        intervention: &str,
        operator: &str,
    ) -> bool {
        self.covers
            .iter()
            .any(|c| c.includes(country, sector, intervention, operator))
    }

    /// SPEC §8 *covered*: planned or funded and paying for it, or delivered, paying
    /// for it and ended after the operator's current round (`current_round`).
    pub fn covers(
        &self,
        country: &str,
        sector: &str,
        intervention: &str,
        operator: &str,
        current_round: Date,
    ) -> bool {
        let live = self.status.is_commitment() || self.end > current_round;
        live && self.includes(country, sector, intervention, operator)
    }

    /// Whether its donor is `name`, ignoring case.
    pub fn is_by(&self, name: &str) -> bool {
        self.donor.trim().to_lowercase() == name.trim().to_lowercase()
    }
}

/// The programmes covering one operator's gaps for one intervention, by id.
pub fn covering<'p>(
    programmes: &'p [Programme],
    country: &str,
    sector: &str,
    intervention: &str,
    operator: &str,
    current_round: Date,
) -> Vec<&'p Programme> {
    let mut found: Vec<&Programme> = programmes
        .iter()
        .filter(|p| p.covers(country, sector, intervention, operator, current_round))
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// An operator known to the run: (country, sector, operator id).
pub type OperatorKey = (String, String, String);

/// Two planned or funded programmes paying for the same thing at the same time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// The programme with the smaller id.
    pub first: String,
    pub first_donor: String,
    pub second: String,
    pub second_donor: String,
    pub country: String,
    pub sector: String,
    pub intervention: String,
    /// The operators both cover, sorted; never empty.
    pub operators: Vec<String>,
    /// Whether both cover every operator there.
    pub every_operator: bool,
    /// The shared period.
    pub from: Date,
    pub to: Date,
}

impl Overlap {
    /// One line for the command line and the reports.
    pub fn sentence(&self) -> String {
        let whom = if self.every_operator {
            "every operator".to_owned()
        } else {
            self.operators.join(", ")
        };
        format!(
            "programmes `{}` ({}) and `{}` ({}) both cover {} in {} {} ({whom}) from {} to {}",
            self.first,
            self.first_donor,
            self.second,
            self.second_donor,
            self.intervention,
            self.country,
            self.sector,
            self.from,
            self.to
        )
    }
}

/// Which operators of one (country, sector, intervention) a programme pays for.
#[derive(Debug, Clone, PartialEq)]
enum Whom {
    Every,
    Listed(BTreeSet<String>),
}

/// A programme's covers merged per (country, sector, intervention).
fn covered_triples(programme: &Programme) -> BTreeMap<(&str, &str, &str), Whom> {
    let mut out: BTreeMap<(&str, &str, &str), Whom> = BTreeMap::new();
    for cover in &programme.covers {
        let key = (
            cover.country.as_str(),
            cover.sector.as_str(),
            cover.intervention.as_str(),
        );
        let whom = match &cover.operators {
            None => Whom::Every,
            Some(ids) => Whom::Listed(ids.iter().cloned().collect()),
        };
        let merged = match (out.remove(&key), whom) {
            (None, whom) => whom,
            (Some(Whom::Every), _) | (_, Whom::Every) => Whom::Every,
            (Some(Whom::Listed(mut a)), Whom::Listed(b)) => {
                a.extend(b);
                Whom::Listed(a)
            }
        };
        out.insert(key, merged);
    }
    out
}

/// Every overlap between planned or funded programmes, by first id, second id,
/// country, sector and intervention. `operators` are the run's operators, which
/// "every operator there" stands for.
pub fn overlaps(programmes: &[Programme], operators: &[OperatorKey]) -> Vec<Overlap> {
    let mut live: Vec<&Programme> = programmes
        .iter()
        .filter(|p| p.status.is_commitment())
        .collect();
    live.sort_by(|a, b| a.id.cmp(&b.id));
    let there = |country: &str, sector: &str| -> BTreeSet<String> {
        operators
            .iter()
            .filter(|(c, s, _)| c == country && s == sector)
            .map(|(_, _, id)| id.clone())
            .collect()
    };
    let mut out = Vec::new();
    for (i, a) in live.iter().enumerate() {
        let a_triples = covered_triples(a);
        for b in &live[i + 1..] {
            if a.id == b.id || a.start > b.end || b.start > a.end {
                continue;
            }
            let b_triples = covered_triples(b);
            for (key, a_whom) in &a_triples {
                let Some(b_whom) = b_triples.get(key) else {
                    continue;
                };
                let (country, sector, intervention) = *key;
                let (every, shared) = match (a_whom, b_whom) {
                    (Whom::Every, Whom::Every) => (true, there(country, sector)),
                    (Whom::Every, Whom::Listed(ids)) | (Whom::Listed(ids), Whom::Every) => {
                        (false, ids.clone())
                    }
                    (Whom::Listed(x), Whom::Listed(y)) => {
                        (false, x.intersection(y).cloned().collect())
                    }
                };
                if shared.is_empty() {
                    continue;
                }
                out.push(Overlap {
                    first: a.id.clone(),
                    first_donor: a.donor.clone(),
                    second: b.id.clone(),
                    second_donor: b.donor.clone(),
                    country: country.to_owned(),
                    sector: sector.to_owned(),
                    intervention: intervention.to_owned(),
                    operators: shared.into_iter().collect(),
                    every_operator: every,
                    from: a.start.max(b.start),
                    to: a.end.min(b.end),
                });
            }
        }
    }
    out
}

/// The operators a programme pays for, over all its covers, sorted.
pub fn covered_operators<'o>(
    programme: &Programme,
    operators: &'o [OperatorKey],
) -> BTreeSet<&'o OperatorKey> {
    operators
        .iter()
        .filter(|(country, sector, id)| {
            programme.covers.iter().any(|c| {
                c.country == *country
                    && c.sector == *sector
                    && c.operators
                        .as_ref()
                        .is_none_or(|ids| ids.iter().any(|x| x == id))
            })
        })
        .collect()
}

/// One delivered programme's outcome for one intervention at one operator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperatorOutcome {
    pub programme: String,
    pub donor: String,
    pub country: String,
    pub sector: String,
    pub operator_id: String,
    pub intervention: String,
    /// The intervention's position in `Model::interventions` (not serialised).
    #[serde(skip)]
    pub intervention_at: usize,
    pub kind: InterventionKind,
    /// The round on or before the programme's start.
    pub before_on: Date,
    /// The round after its end.
    pub after_on: Date,
    /// Gap practices the intervention addresses, in each round.
    pub gaps_before: usize,
    pub gaps_after: usize,
    /// Gap practices before that are no longer gap practices after.
    pub closed: usize,
    pub priority_before: f64,
    pub priority_after: f64,
    /// `priority_before - priority_after`.
    pub benefit_realised: f64,
    /// What the aid plan counted at the before round: priority × operator weight.
    pub planned_benefit: f64,
    /// This operator's and intervention's share of `amount_usd`, when given.
    pub cost_share: Option<f64>,
}

/// Outcome figures summed over several measurements.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeSummary {
    /// A programme id, or an intervention kind.
    pub key: String,
    /// The donor, for a programme; empty for a kind.
    pub donor: String,
    /// Distinct operators measured: the number behind every figure here.
    pub operators: usize,
    pub gaps_before: usize,
    pub gaps_after: usize,
    pub closed: usize,
    pub priority_before: f64,
    pub priority_after: f64,
    pub benefit_realised: f64,
    pub planned_benefit: f64,
    /// Sum of the cost shares; `None` when no measured programme gave an amount.
    pub cost: Option<f64>,
    /// `cost` over the practices closed where a cost share is known; `None` without
    /// a cost or with nothing closed.
    pub cost_per_closed: Option<f64>,
}

/// What delivered programmes achieved, measured between rounds.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcomes {
    /// By programme id, operator and intervention.
    pub measurements: Vec<OperatorOutcome>,
    /// One per delivered programme with at least one measurement, by id.
    pub programmes: Vec<OutcomeSummary>,
    /// One per intervention kind with at least one measurement, in model order.
    pub kinds: Vec<OutcomeSummary>,
}

/// The gap practices of `round` that model intervention number `intervention`
/// addresses: (practice id, priority).
fn addressed_gaps<'m>(
    model: &'m Model,
    round: &QuestionnaireScore,
    intervention: usize,
) -> BTreeMap<&'m str, f64> {
    round
        .gaps
        .iter()
        .filter(|gap| {
            model
                .intervention_indices(gap.practice)
                .contains(&intervention)
        })
        .map(|gap| (model.practice(gap.practice).id.as_str(), gap.priority))
        .collect()
}

/// The outcomes of the delivered programmes over every round of the run (current
/// and earlier, in any order).
pub fn outcomes<'a>(
    model: &Model,
    programmes: &[Programme],
    rounds: impl IntoIterator<Item = &'a QuestionnaireScore>,
) -> Outcomes {
    let mut by_operator: BTreeMap<OperatorKey, Vec<&QuestionnaireScore>> = BTreeMap::new();
    for round in rounds {
        by_operator
            .entry((
                round.country.clone(),
                round.sector.clone(),
                round.operator_id.clone(),
            ))
            .or_default()
            .push(round);
    }
    for list in by_operator.values_mut() {
        list.sort_by_key(|r| r.assessed_on);
    }
    let known: Vec<OperatorKey> = by_operator.keys().cloned().collect();

    let mut delivered: Vec<&Programme> = programmes
        .iter()
        .filter(|p| p.status == ProgrammeStatus::Delivered)
        .collect();
    delivered.sort_by(|a, b| a.id.cmp(&b.id));

    let mut measurements = Vec::new();
    for programme in delivered {
        let paid_for = covered_operators(programme, &known);
        let share = programme
            .amount_usd
            .filter(|_| !paid_for.is_empty())
            .map(|amount| amount / paid_for.len() as f64);
        for key in paid_for {
            let (country, sector, operator) = key;
            let rounds = &by_operator[key];
            let before = rounds
                .iter()
                .rev()
                .find(|r| r.assessed_on <= programme.start);
            let after = rounds.iter().find(|r| r.assessed_on > programme.end);
            let (Some(before), Some(after)) = (before, after) else {
                continue;
            };
            let interventions: BTreeSet<(&str, usize)> = programme
                .covers
                .iter()
                .filter(|c| c.includes(country, sector, &c.intervention, operator))
                .map(|c| (c.intervention.as_str(), c.intervention_at))
                .collect();
            for &(intervention, at) in &interventions {
                let def = &model.interventions[at];
                let was = addressed_gaps(model, before, at);
                let now = addressed_gaps(model, after, at);
                let priority_before = total(was.values().copied());
                let priority_after = total(now.values().copied());
                measurements.push(OperatorOutcome {
                    programme: programme.id.clone(),
                    donor: programme.donor.clone(),
                    country: country.clone(),
                    sector: sector.clone(),
                    operator_id: operator.clone(),
                    intervention: intervention.to_owned(),
                    intervention_at: at,
                    kind: def.kind,
                    before_on: before.assessed_on,
                    after_on: after.assessed_on,
                    gaps_before: was.len(),
                    gaps_after: now.len(),
                    closed: was.keys().filter(|p| !now.contains_key(*p)).count(),
                    priority_before,
                    priority_after,
                    benefit_realised: priority_before - priority_after,
                    planned_benefit: priority_before * before.weight,
                    cost_share: share.map(|s| s / interventions.len() as f64),
                });
            }
        }
    }

    summaries(measurements)
}

/// Per-programme and per-kind summaries of some measurements (e.g. one country's).
pub fn outcomes_of(measurements: &[OperatorOutcome]) -> Outcomes {
    summaries(measurements.to_vec())
}

fn summaries(measurements: Vec<OperatorOutcome>) -> Outcomes {
    let mut programmes_out = Vec::new();
    let mut ids: Vec<&str> = measurements.iter().map(|m| m.programme.as_str()).collect();
    ids.dedup();
    for id in ids {
        let rows: Vec<&OperatorOutcome> =
            measurements.iter().filter(|m| m.programme == id).collect();
        programmes_out.push(summarise(id, &rows[0].donor, &rows));
    }
    let mut kinds = Vec::new();
    for kind in InterventionKind::ALL {
        let rows: Vec<&OperatorOutcome> = measurements.iter().filter(|m| m.kind == kind).collect();
        if !rows.is_empty() {
            kinds.push(summarise(kind.as_str(), "", &rows));
        }
    }
    Outcomes {
        measurements,
        programmes: programmes_out,
        kinds,
    }
}

/// A sum that is `0.0`, not `-0.0`, when empty.
fn total(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |sum, v| sum + v)
}

fn summarise(key: &str, donor: &str, rows: &[&OperatorOutcome]) -> OutcomeSummary {
    let operators: BTreeSet<(&str, &str, &str)> = rows
        .iter()
        .map(|m| {
            (
                m.country.as_str(),
                m.sector.as_str(),
                m.operator_id.as_str(),
            )
        })
        .collect();
    let closed = rows.iter().map(|m| m.closed).sum();
    let costed: Vec<&&OperatorOutcome> = rows.iter().filter(|m| m.cost_share.is_some()).collect();
    let cost = (!costed.is_empty()).then(|| total(costed.iter().filter_map(|m| m.cost_share)));
    let closed_costed: usize = costed.iter().map(|m| m.closed).sum();
    OutcomeSummary {
        key: key.to_owned(),
        donor: donor.to_owned(),
        operators: operators.len(),
        gaps_before: rows.iter().map(|m| m.gaps_before).sum(),
        gaps_after: rows.iter().map(|m| m.gaps_after).sum(),
        closed,
        priority_before: total(rows.iter().map(|m| m.priority_before)),
        priority_after: total(rows.iter().map(|m| m.priority_after)),
        benefit_realised: total(rows.iter().map(|m| m.benefit_realised)),
        planned_benefit: total(rows.iter().map(|m| m.planned_benefit)),
        cost,
        cost_per_closed: cost
            .filter(|_| closed_costed > 0)
            .map(|c| c / closed_costed as f64),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::aggregate::fixture::{mini_model, operator};

    fn date(text: &str) -> Date {
        Date::parse(text).expect("a valid date")
    }

    /// A programme from `"id donor status start end [amount]"` and covers written
    /// `"CC sector intervention [op,op]"`, over the mini model's interventions.
    pub(crate) fn programme(head: &str, covers: &[&str]) -> Programme {
        programme_in(&mini_model(), head, covers)
    }

    /// [`programme`] over `model`'s interventions.
    pub(crate) fn programme_in(model: &Model, head: &str, covers: &[&str]) -> Programme {
        let parts: Vec<&str> = head.split_whitespace().collect();
        let covers = covers
            .iter()
            .map(|c| {
                let p: Vec<&str> = c.split_whitespace().collect();
                Cover {
                    country: p[0].to_owned(),
                    sector: p[1].to_owned(),
                    intervention: p[2].to_owned(),
                    intervention_at: model
                        .interventions
                        .iter()
                        .position(|i| i.id == p[2])
                        .expect("an intervention of the model"),
                    operators: p
                        .get(3)
                        .map(|ids| ids.split(',').map(str::to_owned).collect()),
                    trainees: None,
                }
            })
            .collect();
        Programme {
            id: parts[0].to_owned(),
            donor: parts[1].replace('_', " "),
            implementer: None,
            title: format!("{} programme", parts[0]),
            status: ProgrammeStatus::parse(parts[2]).expect("a status"),
            start: date(parts[3]),
            end: date(parts[4]),
            amount_usd: parts.get(5).map(|a| a.parse().expect("an amount")),
            tlp: Tlp::Amber,
            covers,
        }
    }

    fn keys(list: &[&str]) -> Vec<OperatorKey> {
        list.iter()
            .map(|k| {
                let p: Vec<&str> = k.split_whitespace().collect();
                (p[0].to_owned(), p[1].to_owned(), p[2].to_owned())
            })
            .collect()
    }

    /// Runs `what` ("covered", "overlaps" or "outcomes") and compares one line per result.
    fn check(lines: Vec<String>, expect: &str) {
        let expect: Vec<&str> = expect
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, expect, "\n{}\n", lines.join("\n"));
    }

    #[test]
    fn planned_and_funded_cover_and_delivered_only_until_reassessed() {
        let programmes = [
            programme(
                "a Japan planned 2027-01-01 2027-12-31",
                &["KH power inventory"],
            ),
            programme(
                "b EU funded 2020-01-01 2020-12-31",
                &["KH power monitoring kh-a"],
            ),
            programme(
                "c US delivered 2025-01-01 2026-03-31",
                &["KH power training"],
            ),
        ];
        let current = date("2026-01-15");
        let lines = ["inventory", "monitoring", "training"]
            .iter()
            .flat_map(|i| {
                ["kh-a", "kh-b"].map(|op| {
                    let ids: Vec<&str> = covering(&programmes, "KH", "power", i, op, current)
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect();
                    format!("{i} {op} [{}]", ids.join(" "))
                })
            })
            .collect();
        check(
            lines,
            "
            inventory kh-a [a]
            inventory kh-b [a]
            monitoring kh-a [b]
            monitoring kh-b []
            training kh-a [c]
            training kh-b [c]
            ",
        );
        // Reassessed after delivery ended: no longer covered.
        assert!(
            covering(
                &programmes,
                "KH",
                "power",
                "training",
                "kh-a",
                date("2026-04-01")
            )
            .is_empty()
        );
        // Ending on the day of the current round is not after it.
        assert!(
            covering(
                &programmes,
                "KH",
                "power",
                "training",
                "kh-a",
                date("2026-03-31")
            )
            .is_empty()
        );
        assert!(covering(&programmes, "LA", "power", "inventory", "kh-a", current).is_empty());
        assert!(programmes[1].is_by(" eu "));
    }

    #[test]
    fn overlaps_need_the_same_operator_and_period_and_a_live_status() {
        let programmes = [
            programme(
                "jp-1 Japan funded 2025-01-01 2025-12-31",
                &["KH power inventory"],
            ),
            programme(
                "eu-1 EU planned 2025-06-01 2026-06-30",
                &["KH power inventory kh-b", "KH power training kh-a"],
            ),
            programme(
                "us-1 US funded 2026-01-01 2026-12-31",
                &["KH power inventory kh-b"],
            ),
            programme(
                "wb-1 World_Bank delivered 2025-01-01 2025-12-31",
                &["KH power inventory"],
            ),
            programme(
                "au-1 Australia funded 2025-03-01 2025-04-01",
                &["KH power training kh-b", "KH power inventory"],
            ),
            // Nobody of the run in PG: no shared operator, no overlap.
            programme(
                "pg-1 Japan funded 2025-01-01 2025-12-31",
                &["PG power inventory"],
            ),
            programme(
                "pg-2 EU funded 2025-01-01 2025-12-31",
                &["PG power inventory"],
            ),
            programme(
                "cn-1 China planned 2025-01-01 2025-02-01",
                &["KH power inventory"],
            ),
        ];
        let run = keys(&["KH power kh-a", "KH power kh-b"]);
        let lines = overlaps(&programmes, &run)
            .iter()
            .map(|o| {
                format!(
                    "{} {} {} {}..{} [{}] every={}",
                    o.first,
                    o.second,
                    o.intervention,
                    o.from,
                    o.to,
                    o.operators.join(" "),
                    o.every_operator
                )
            })
            .collect();
        // us-1 starts after jp-1 ended and wb-1 is delivered; au-1 and eu-1 share
        // the period but not the training operator.
        check(
            lines,
            "
            au-1 jp-1 inventory 2025-03-01..2025-04-01 [kh-a kh-b] every=true
            cn-1 jp-1 inventory 2025-01-01..2025-02-01 [kh-a kh-b] every=true
            eu-1 jp-1 inventory 2025-06-01..2025-12-31 [kh-b] every=false
            eu-1 us-1 inventory 2026-01-01..2026-06-30 [kh-b] every=false
            ",
        );
    }

    fn outcome_lines(outcomes: &Outcomes) -> Vec<String> {
        let mut lines: Vec<String> = outcomes
            .measurements
            .iter()
            .map(|m| {
                format!(
                    "{} {} {} {}..{} gaps {}->{} closed {} priority {}->{} realised {} planned {} cost {:?}",
                    m.programme, m.operator_id, m.intervention, m.before_on, m.after_on,
                    m.gaps_before, m.gaps_after, m.closed, m.priority_before, m.priority_after,
                    m.benefit_realised, m.planned_benefit, m.cost_share
                )
            })
            .collect();
        for s in outcomes.programmes.iter().chain(&outcomes.kinds) {
            lines.push(format!(
                "= {} ops {} gaps {}->{} closed {} realised {} planned {} cost {:?} per closed {:?}",
                s.key, s.operators, s.gaps_before, s.gaps_after, s.closed,
                s.benefit_realised, s.planned_benefit, s.cost, s.cost_per_closed
            ));
        }
        lines
    }

    #[test]
    fn outcomes_compare_the_rounds_around_a_delivered_programme() {
        let model = mini_model();
        let rounds = [
            // kh-a: before (2024), between (2025-06), after (2026); the 2024 round
            // brackets the programme with the 2026 one.
            operator("KH power kh-a 2024-01-10")
                .weight(2.0)
                .gap("ASSET-1a", 3.0)
                .gap("ASSET-2a", 2.0)
                .gap("SITUATION-1a", 9.0)
                .build(),
            operator("KH power kh-a 2026-02-01")
                .gap("ASSET-2a", 1.5)
                .gap("ASSET-3a", 0.5)
                .build(),
            operator("KH power kh-a 2027-02-01").build(),
            // kh-b: no round before the start: not measured, but it shares the cost.
            operator("KH power kh-b 2025-06-01")
                .gap("ASSET-1a", 3.0)
                .build(),
            operator("KH power kh-b 2026-06-01").build(),
            // kh-c: only before.
            operator("KH power kh-c 2024-06-01")
                .gap("ASSET-1a", 3.0)
                .build(),
        ];
        let programmes = [
            programme(
                "inv Japan delivered 2024-03-01 2025-12-31 300000",
                &["KH power inventory", "KH power training kh-a"],
            ),
            programme(
                "mon EU delivered 2024-03-01 2025-12-31",
                &["KH power monitoring kh-a"],
            ),
            programme(
                "planned EU planned 2024-03-01 2025-12-31 1000",
                &["KH power inventory"],
            ),
        ];
        let outcomes = outcomes(&model, &programmes, &rounds);
        check(
            outcome_lines(&outcomes),
            "
            inv kh-a inventory 2024-01-10..2026-02-01 gaps 2->2 closed 1 priority 5->2 realised 3 planned 10 cost Some(50000.0)
            inv kh-a training 2024-01-10..2026-02-01 gaps 0->0 closed 0 priority 0->0 realised 0 planned 0 cost Some(50000.0)
            mon kh-a monitoring 2024-01-10..2026-02-01 gaps 1->0 closed 1 priority 9->0 realised 9 planned 18 cost None
            = inv ops 1 gaps 2->2 closed 1 realised 3 planned 10 cost Some(100000.0) per closed Some(100000.0)
            = mon ops 1 gaps 1->0 closed 1 realised 9 planned 18 cost None per closed None
            = training ops 1 gaps 0->0 closed 0 realised 0 planned 0 cost Some(50000.0) per closed None
            = tooling ops 1 gaps 3->2 closed 2 realised 12 planned 28 cost Some(50000.0) per closed Some(50000.0)
            ",
        );
    }
}
