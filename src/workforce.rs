//! The cyber workforce of SPEC §9: shortfalls per role, their sums for every
//! aggregate, and the training plan per country, region and the portfolio, net of
//! the people other donors' programmes already train. Pure: takes the model, the
//! aggregated portfolio and the programmes, does no IO and re-checks nothing (the
//! loader resolved every role and intervention id).
//!
//! Rules, beyond the letter of SPEC §9 where it is silent:
//!
//! - **Who counts.** Only current rounds count, and only the roles an operator
//!   reports: a role missing from a `workforce` section is unknown, not zero. Each
//!   aggregate says how many of its operators reported a workforce (`reporting`)
//!   and, per role, how many reported that role (`operators`).
//! - **Aggregate sums** (staff, needed, in training, shortfall) are sums over the
//!   operators' own numbers, so one operator's surplus never hides another's
//!   shortfall.
//! - **The delivered intervention.** A role may be trained by several
//!   interventions; the model lists them first choice first, and the plan delivers
//!   the first one (its `seats` and cost) and lists the others as alternatives.
//! - **Deliveries** are per (scope, role): `ceil(shortfall / seats)`, each costing
//!   the intervention's `cost_usd` (one delivery, as the aid plan costs one
//!   operator). Two roles trained by the same course are not pooled into one
//!   delivery. A region's (and the portfolio's) shortfall is pooled before
//!   rounding up, as a regional centre would train people of several countries
//!   together, so a region may need fewer deliveries than its countries' sum.
//! - **Programmes' trainees.** A cover with `trainees` counts when its programme
//!   covers that operator in the sense of SPEC §8 (planned or funded, or delivered
//!   and ended after the operator's current round: people trained before the round
//!   are already in its numbers). Its trainees fill, in the model's role order,
//!   the shortfall of each role its intervention trains (any position in the role's
//!   list), and within a role the shortfall of its covered operators in portfolio
//!   order; people left over once those shortfalls are filled are not carried to
//!   other operators. Programmes are taken by id, their covers in file order. The
//!   remaining shortfall of every scope is then the sum of its operators' remaining
//!   shortfalls, so countries and regions always agree.

use serde::Serialize;

use crate::aggregate::{Aggregate, Portfolio, Scope};
use crate::model::Model;
use crate::programmes::Programme;

/// The workforce of a portfolio.
#[derive(Debug, Clone, Serialize)]
pub struct Workforce {
    /// One per aggregate of the portfolio, in the order of `output::csv::all_aggregates`.
    pub aggregates: Vec<AggregateWorkforce>,
    /// Per country (by code), then region (file order), then the portfolio; roles
    /// in model order; only roles with a shortfall before programmes.
    pub training_plan: Vec<TrainingLine>,
}

/// The workforce of one aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateWorkforce {
    pub scope: Scope,
    /// The aggregate's operators.
    pub operators: usize,
    /// How many of them reported a workforce.
    pub reporting: usize,
    /// The roles at least one of them reported, in model order.
    pub roles: Vec<RoleTotals>,
}

/// Sums over the operators that reported one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleTotals {
    pub role: String,
    /// How many operators reported this role.
    pub operators: usize,
    pub staff: u64,
    pub needed: u64,
    pub in_training: u64,
    /// The sum of the operators' shortfalls, before programmes.
    pub shortfall: u64,
}

/// One line of the training plan: a role in a country, a region or the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingLine {
    pub scope: Scope,
    pub role: String,
    /// How many operators there reported the role.
    pub operators: usize,
    /// The sum of their shortfalls (SPEC §9), before programmes.
    pub shortfall_before_programmes: u64,
    /// People other programmes train for it (their covers' `trainees`).
    pub programme_trainees: u64,
    /// Ids of those programmes, sorted.
    pub programmes: Vec<String>,
    /// What is left to train: `shortfall_before_programmes - programme_trainees`.
    pub shortfall: u64,
    /// Every intervention that trains the role, first choice first.
    pub interventions: Vec<String>,
    /// The one the plan delivers: the first.
    pub intervention: String,
    pub seats: u32,
    /// `ceil(shortfall / seats)`.
    pub deliveries: u64,
    /// `deliveries × cost_usd` of the intervention.
    pub cost_usd: f64,
}

/// One operator's numbers for one role, and what programmes fill of its shortfall.
#[derive(Debug, Clone, Copy, Default)]
struct Need {
    reported: bool,
    shortfall: u64,
    trainees: u64,
}

/// The workforce of a portfolio, net of the programmes' trainees.
pub fn workforce(model: &Model, portfolio: &Portfolio, programmes: &[Programme]) -> Workforce {
    let roles = model.roles.len();
    // needs[operator][role]
    let mut needs: Vec<Vec<Need>> = portfolio
        .operators
        .iter()
        .map(|operator| {
            let mut row = vec![Need::default(); roles];
            for staffing in &operator.current.workforce {
                let (r, _) = model.role(&staffing.role).expect("the loader checks roles");
                row[r] = Need {
                    reported: true,
                    shortfall: u64::from(staffing.shortfall()),
                    trainees: 0,
                };
            }
            row
        })
        .collect();
    // which programmes' trainees reached (operator, role)
    let mut sources: Vec<Vec<Vec<&str>>> = vec![vec![Vec::new(); roles]; needs.len()];

    let mut ordered: Vec<&Programme> = programmes.iter().collect();
    ordered.sort_by(|a, b| a.id.cmp(&b.id));
    for programme in ordered {
        for cover in &programme.covers {
            let Some(mut left) = cover.trainees.map(u64::from).filter(|t| *t > 0) else {
                continue;
            };
            let covered: Vec<usize> = portfolio
                .operators
                .iter()
                .enumerate()
                .filter(|(_, o)| {
                    let current = &o.current;
                    let live =
                        programme.status.is_commitment() || programme.end > current.assessed_on;
                    live && cover.includes(
                        &current.country,
                        &current.sector,
                        &cover.intervention,
                        &current.operator_id,
                    )
                })
                .map(|(i, _)| i)
                .collect();
            for (r, role) in model.roles.iter().enumerate() {
                if !role.training.contains(&cover.intervention) {
                    continue;
                }
                for &o in &covered {
                    let need = &mut needs[o][r];
                    let take = left.min(need.shortfall - need.trainees);
                    if take > 0 {
                        need.trainees += take;
                        left -= take;
                        sources[o][r].push(&programme.id);
                    }
                }
            }
        }
    }

    let all = portfolio
        .country_sectors
        .iter()
        .chain(&portfolio.countries)
        .chain(&portfolio.regions)
        .chain(&portfolio.sectors)
        .chain(std::iter::once(&portfolio.total));
    let aggregates = all
        .map(|aggregate| aggregate_workforce(model, aggregate, &needs, portfolio))
        .collect();
    let training_plan = portfolio
        .countries
        .iter()
        .chain(&portfolio.regions)
        .chain(std::iter::once(&portfolio.total))
        .flat_map(|aggregate| training_lines(model, aggregate, &needs, &sources))
        .collect();
    Workforce {
        aggregates,
        training_plan,
    }
}

fn aggregate_workforce(
    model: &Model,
    aggregate: &Aggregate,
    needs: &[Vec<Need>],
    portfolio: &Portfolio,
) -> AggregateWorkforce {
    let members = &aggregate.operator_indices;
    let roles = model
        .roles
        .iter()
        .enumerate()
        .filter_map(|(r, role)| {
            let mut totals = RoleTotals {
                role: role.id.clone(),
                operators: 0,
                staff: 0,
                needed: 0,
                in_training: 0,
                shortfall: 0,
            };
            for &o in members {
                let Some(staffing) = portfolio.operators[o]
                    .current
                    .workforce
                    .iter()
                    .find(|s| s.role == role.id)
                else {
                    continue;
                };
                totals.operators += 1;
                totals.staff += u64::from(staffing.staff);
                totals.needed += u64::from(staffing.needed);
                totals.in_training += u64::from(staffing.in_training);
                totals.shortfall += needs[o][r].shortfall;
            }
            (totals.operators > 0).then_some(totals)
        })
        .collect();
    AggregateWorkforce {
        scope: aggregate.scope.clone(),
        operators: aggregate.operator_count,
        reporting: members
            .iter()
            .filter(|&&o| !portfolio.operators[o].current.workforce.is_empty())
            .count(),
        roles,
    }
}

fn training_lines(
    model: &Model,
    aggregate: &Aggregate,
    needs: &[Vec<Need>],
    sources: &[Vec<Vec<&str>>],
) -> Vec<TrainingLine> {
    let members = &aggregate.operator_indices;
    model
        .roles
        .iter()
        .enumerate()
        .filter_map(|(r, role)| {
            let reported = members.iter().filter(|&&o| needs[o][r].reported).count();
            let before: u64 = members.iter().map(|&o| needs[o][r].shortfall).sum();
            if before == 0 {
                return None;
            }
            let trainees: u64 = members.iter().map(|&o| needs[o][r].trainees).sum();
            let mut programmes: Vec<String> = members
                .iter()
                .flat_map(|&o| sources[o][r].iter().map(|id| (*id).to_owned()))
                .collect();
            programmes.sort();
            programmes.dedup();
            let first = role.training.first().expect("the loader checks roles");
            let intervention = model
                .intervention(first)
                .expect("the loader checks interventions");
            let shortfall = before - trainees;
            let deliveries = shortfall.div_ceil(u64::from(intervention.seats));
            Some(TrainingLine {
                scope: aggregate.scope.clone(),
                role: role.id.clone(),
                operators: reported,
                shortfall_before_programmes: before,
                programme_trainees: trainees,
                programmes,
                shortfall,
                interventions: role.training.clone(),
                intervention: intervention.id.clone(),
                seats: intervention.seats,
                deliveries,
                cost_usd: intervention.cost_of(usize::try_from(deliveries).unwrap_or(usize::MAX)),
            })
        })
        .collect()
}

impl Workforce {
    /// The workforce of an aggregate, by scope.
    pub fn of(&self, scope: &Scope) -> Option<&AggregateWorkforce> {
        self.aggregates.iter().find(|a| &a.scope == scope)
    }

    /// The training plan of one scope (a country, a region or the portfolio).
    pub fn plan_of<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a TrainingLine> + 'a {
        self.training_plan.iter().filter(move |l| &l.scope == scope)
    }

    /// Whether any operator reported a workforce.
    pub fn is_reported(&self) -> bool {
        self.aggregates.iter().any(|a| a.reporting > 0)
    }
}

#[cfg(test)]
mod tests;
