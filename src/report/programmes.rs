//! The report's sections on donors' programmes (SPEC §8): the portfolio's
//! coordination view (countries × intervention kinds: who funds what and what is
//! left uncovered, with charts whose numbers are printed), and the country page's
//! programmes, overlaps and outcomes. Outcomes always come with the caveat that a
//! before/after change is not proof of cause. Pure: builds view models from the
//! programmes, the plan and the portfolio; no IO.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::paths::country_page_path;
use super::view::Chart;
use crate::charts::bars::{Ranking, RankingRow, ranking};
use crate::model::InterventionKind;
use crate::programmes::{OperatorOutcome, OutcomeSummary, Outcomes, Overlap, Programme};
use crate::questionnaire::Tlp;

use super::ReportContext;

/// What the report knows of programmes: the run's, after `--tlp-max`, with the
/// portfolio's operator ids.
#[derive(Debug, Clone, Copy)]
pub struct ProgrammeInputs<'a> {
    pub programmes: &'a [Programme],
    pub overlaps: &'a [Overlap],
    pub outcomes: &'a Outcomes,
}

/// The sentence every outcome table carries (in English; reports print the
/// string table's `outcomes.caveat_lead`).
pub const CAVEAT: &str = "A before/after change is not proof of cause: operators also change for reasons no programme paid for, and an assessment is one assessor's reading on one day.";

/// The portfolio page's coordination section.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinationView {
    pub programme_count: usize,
    /// Donors, sorted, each once.
    pub donors: Vec<String>,
    pub statuses: Vec<StatusCount>,
    /// The matrix columns: intervention kinds.
    pub kinds: Vec<String>,
    /// One row per country of the report.
    pub countries: Vec<CoordinationRow>,
    /// Benefit left to the plan (uncovered), per country; its table is `countries`.
    pub uncovered_chart: Chart,
    /// Benefit covered by programmes, per country; its table is `countries`.
    pub covered_chart: Chart,
    /// Plan candidates whose every operator a programme covers: not ranked.
    pub covered: Vec<CoveredRow>,
    pub programmes: Vec<ProgrammeRow>,
    /// One sentence per overlap.
    pub overlaps: Vec<String>,
    pub outcomes: OutcomesView,
}

/// A candidate of the aid plan that programmes cover entirely.
#[derive(Debug, Clone, Serialize)]
pub struct CoveredRow {
    pub country_code: String,
    pub country_name: String,
    pub country_page: String,
    pub sector_name: String,
    pub intervention_id: String,
    pub intervention_name: String,
    pub operators: usize,
    /// The benefit its operators' gaps would have counted.
    pub benefit: f64,
    pub donors: Vec<String>,
    pub programmes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: String,
    pub count: usize,
    /// Sum of the amounts given.
    pub amount_usd: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoordinationRow {
    pub code: String,
    pub name: String,
    pub page: String,
    /// One per `CoordinationView::kinds` column.
    pub cells: Vec<CoordinationCell>,
    pub covered_benefit: f64,
    pub uncovered_benefit: f64,
}

/// One country and intervention kind.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinationCell {
    /// `Donor (status)` in the page's language, sorted, each once.
    pub funders: Vec<String>,
    /// Ranked candidates left (operators no programme covers).
    pub open: usize,
    /// Their benefit.
    pub open_benefit: f64,
}

/// One programme as a table row.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeRow {
    pub id: String,
    pub donor: String,
    pub implementer: Option<String>,
    pub title: String,
    pub status: String,
    pub start: String,
    pub end: String,
    pub amount_usd: Option<f64>,
    pub tlp: String,
    /// `KH power · OT security training (every operator)`, one per cover shown.
    pub covers: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomesView {
    /// Per delivered programme measured.
    pub programmes: Vec<OutcomeRow>,
    /// Per intervention kind.
    pub kinds: Vec<OutcomeRow>,
    /// Per operator and intervention (country pages).
    pub measurements: Vec<MeasurementRow>,
    pub caveat: String,
}

/// Outcome figures with the number of operators behind them.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    pub label: String,
    pub donor: String,
    pub operators: usize,
    pub gaps_before: usize,
    pub gaps_after: usize,
    pub closed: usize,
    pub benefit_realised: f64,
    pub planned_benefit: f64,
    pub cost_usd: Option<f64>,
    pub cost_per_closed_usd: Option<f64>,
}

/// One operator's before/after for one intervention of a delivered programme.
#[derive(Debug, Clone, Serialize)]
pub struct MeasurementRow {
    pub programme: String,
    pub donor: String,
    pub operator: String,
    pub operator_page: Option<String>,
    pub intervention: String,
    pub before_on: String,
    pub after_on: String,
    pub gaps_before: usize,
    pub gaps_after: usize,
    pub closed: usize,
    pub priority_before: f64,
    pub priority_after: f64,
    pub benefit_realised: f64,
    pub cost_share_usd: Option<f64>,
}

/// The country page's programmes section.
#[derive(Debug, Clone, Serialize)]
pub struct CountryProgrammesView {
    pub programmes: Vec<ProgrammeRow>,
    pub overlaps: Vec<String>,
    pub outcomes: OutcomesView,
}

/// A page's TLP raised to the strictest programme shown on it (all of them on the
/// portfolio, those covering `country` on a country page).
pub fn page_tlp(ctx: &ReportContext<'_>, country: Option<&str>, tlp: Tlp) -> Tlp {
    ctx.programmes.map_or(tlp, |inputs| {
        inputs
            .programmes
            .iter()
            .filter(|p| country.is_none_or(|code| p.covers.iter().any(|c| c.country == code)))
            .map(|p| p.tlp)
            .fold(tlp, Tlp::max)
    })
}

/// The portfolio's coordination section; `None` without `--programmes`.
pub fn coordination(ctx: &ReportContext<'_>) -> Option<CoordinationView> {
    let inputs = ctx.programmes?;

    let mut donors: BTreeSet<String> = BTreeSet::new();
    let mut funders: BTreeMap<(&str, &str), BTreeSet<String>> = BTreeMap::new();
    for p in inputs.programmes {
        donors.insert(p.donor.clone());
        for c in &p.covers {
            let kind = ctx.model.interventions[c.intervention_at].kind;
            funders
                .entry((c.country.as_str(), kind.as_str()))
                .or_default()
                .insert(
                    ctx.strings.fmt(
                        "coordination.funder",
                        &[
                            ("donor", &p.donor),
                            (
                                "status",
                                &ctx.strings
                                    .get(&format!("programmes.status.{}", p.status.as_str())),
                            ),
                        ],
                    ),
                );
        }
    }
    let countries: Vec<CoordinationRow> = ctx
        .portfolio
        .countries
        .iter()
        .filter_map(|a| match &a.scope {
            crate::aggregate::Scope::Country { country } => Some(country.as_str()),
            _ => None,
        })
        .map(|code| {
            let cells = InterventionKind::ALL
                .iter()
                .map(|kind| {
                    let open: Vec<_> = ctx
                        .plan
                        .candidates
                        .iter()
                        .filter(|c| c.country == code && c.kind == *kind)
                        .collect();
                    CoordinationCell {
                        funders: funders
                            .get(&(code, kind.as_str()))
                            .map(|s| s.iter().cloned().collect())
                            .unwrap_or_default(),
                        open: open.len(),
                        open_benefit: open.iter().map(|c| c.benefit).sum(),
                    }
                })
                .collect();
            let in_country = |c: &&crate::plan::AidCandidate| c.country == code;
            CoordinationRow {
                code: code.to_owned(),
                name: ctx.country_name(code),
                page: country_page_path(code),
                cells,
                covered_benefit: ctx
                    .plan
                    .candidates
                    .iter()
                    .chain(&ctx.plan.covered)
                    .filter(in_country)
                    .map(|c| c.covered_benefit)
                    .sum(),
                uncovered_benefit: ctx
                    .plan
                    .candidates
                    .iter()
                    .filter(in_country)
                    .map(|c| c.benefit)
                    .sum(),
            }
        })
        .collect();
    let chart = |title: &str, value: fn(&CoordinationRow) -> f64| {
        let mut rows: Vec<RankingRow> = countries
            .iter()
            .map(|r| RankingRow {
                label: r.name.clone(),
                value: value(r),
            })
            .collect();
        rows.sort_by(|a, b| b.value.total_cmp(&a.value));
        let title = title.to_owned();
        Chart {
            svg: ranking(
                &Ranking {
                    title: title.clone(),
                    value_name: ctx.strings.get("chart.benefit_sum").to_owned(),
                    max_value: None,
                    rows,
                },
                ctx.strings,
            ),
            title,
        }
    };
    let uncovered_chart = chart(ctx.strings.get("chart.uncovered.title"), |r| {
        r.uncovered_benefit
    });
    let covered_chart = chart(ctx.strings.get("chart.covered.title"), |r| {
        r.covered_benefit
    });
    let statuses = crate::programmes::ProgrammeStatus::ALL
        .iter()
        .map(|status| {
            let of: Vec<&Programme> = inputs
                .programmes
                .iter()
                .filter(|p| p.status == *status)
                .collect();
            StatusCount {
                status: ctx
                    .strings
                    .get(&format!("programmes.status.{}", status.as_str()))
                    .to_owned(),
                count: of.len(),
                amount_usd: of.iter().filter_map(|p| p.amount_usd).sum(),
            }
        })
        .collect();
    Some(CoordinationView {
        programme_count: inputs.programmes.len(),
        donors: donors.into_iter().collect(),
        statuses,
        kinds: InterventionKind::ALL
            .iter()
            .map(|k| ctx.kind_name(*k))
            .collect(),
        countries,
        uncovered_chart,
        covered_chart,
        covered: ctx
            .plan
            .covered
            .iter()
            .map(|c| CoveredRow {
                country_code: c.country.clone(),
                country_name: ctx.country_name(&c.country),
                country_page: country_page_path(&c.country),
                sector_name: ctx.sector_name(&c.sector),
                intervention_id: c.intervention.clone(),
                intervention_name: ctx.model.interventions[c.intervention_at]
                    .name
                    .get(ctx.lang)
                    .to_owned(),
                operators: c.covered_operators.len(),
                benefit: c.covered_benefit,
                donors: c.covered_by.clone(),
                programmes: c.programmes.clone(),
            })
            .collect(),
        programmes: programme_rows(ctx, inputs, None),
        overlaps: inputs
            .overlaps
            .iter()
            .map(|o| overlap_sentence(ctx, o))
            .collect(),
        outcomes: OutcomesView {
            programmes: inputs
                .outcomes
                .programmes
                .iter()
                .map(|s| outcome_row(s, s.key.clone()))
                .collect(),
            kinds: inputs
                .outcomes
                .kinds
                .iter()
                .map(|s| outcome_row(s, ctx.strings.get(&format!("kind.{}", s.key)).to_owned()))
                .collect(),
            measurements: Vec::new(),
            caveat: ctx.strings.get("outcomes.caveat_lead").to_owned(),
        },
    })
}

/// The country page's section; `None` without `--programmes`.
pub fn country_programmes(ctx: &ReportContext<'_>, code: &str) -> Option<CountryProgrammesView> {
    let inputs = ctx.programmes?;
    let measurements: Vec<&OperatorOutcome> = inputs
        .outcomes
        .measurements
        .iter()
        .filter(|m| m.country == code)
        .collect();
    // Per programme, over this country's operators only.
    let mut ids: Vec<&str> = measurements.iter().map(|m| m.programme.as_str()).collect();
    ids.dedup();
    let programme_outcomes = ids
        .into_iter()
        .filter_map(|id| {
            let rows: Vec<OperatorOutcome> = measurements
                .iter()
                .filter(|m| m.programme == id)
                .map(|m| (*m).clone())
                .collect();
            let programme = inputs.programmes.iter().find(|p| p.id == id)?;
            let outcomes = crate::programmes::outcomes_of(&rows);
            outcomes
                .programmes
                .first()
                .map(|s| outcome_row(s, format!("{} — {}", programme.id, programme.title)))
        })
        .collect();
    Some(CountryProgrammesView {
        programmes: programme_rows(ctx, inputs, Some(code)),
        overlaps: inputs
            .overlaps
            .iter()
            .filter(|o| o.country == code)
            .map(|o| overlap_sentence(ctx, o))
            .collect(),
        outcomes: OutcomesView {
            programmes: programme_outcomes,
            kinds: Vec::new(),
            measurements: measurements
                .iter()
                .map(|m| measurement_row(ctx, m))
                .collect(),
            caveat: ctx.strings.get("outcomes.caveat_lead").to_owned(),
        },
    })
}

fn programme_rows(
    ctx: &ReportContext<'_>,
    inputs: ProgrammeInputs<'_>,
    country: Option<&str>,
) -> Vec<ProgrammeRow> {
    let mut rows: Vec<ProgrammeRow> = inputs
        .programmes
        .iter()
        .filter(|p| country.is_none_or(|code| p.covers.iter().any(|c| c.country == code)))
        .map(|p| ProgrammeRow {
            id: p.id.clone(),
            donor: p.donor.clone(),
            implementer: p.implementer.clone(),
            title: p.title.clone(),
            status: ctx
                .strings
                .get(&format!("programmes.status.{}", p.status.as_str()))
                .to_owned(),
            start: p.start.to_string(),
            end: p.end.to_string(),
            amount_usd: p.amount_usd,
            tlp: p.tlp.label(),
            covers: p
                .covers
                .iter()
                .filter(|c| country.is_none_or(|code| c.country == code))
                .map(|c| {
                    let name = ctx.model.interventions[c.intervention_at]
                        .name
                        .get(ctx.lang);
                    let whom = match &c.operators {
                        None => ctx.strings.get("programmes.every_operator").to_owned(),
                        Some(ids) if ids.is_empty() => {
                            ctx.strings.get("programmes.no_operator").to_owned()
                        }
                        Some(ids) => ids.join(", "),
                    };
                    format!(
                        "{} {} · {name} ({whom})",
                        c.country,
                        ctx.sector_name(&c.sector)
                    )
                })
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| (&a.status, &a.id).cmp(&(&b.status, &b.id)));
    rows
}

fn outcome_row(s: &OutcomeSummary, label: String) -> OutcomeRow {
    OutcomeRow {
        label,
        donor: s.donor.clone(),
        operators: s.operators,
        gaps_before: s.gaps_before,
        gaps_after: s.gaps_after,
        closed: s.closed,
        benefit_realised: s.benefit_realised,
        planned_benefit: s.planned_benefit,
        cost_usd: s.cost,
        cost_per_closed_usd: s.cost_per_closed,
    }
}

fn measurement_row(ctx: &ReportContext<'_>, m: &OperatorOutcome) -> MeasurementRow {
    let history = ctx.portfolio.operators.iter().find(|o| {
        o.current.country == m.country
            && o.current.sector == m.sector
            && o.current.operator_id == m.operator_id
    });
    MeasurementRow {
        programme: m.programme.clone(),
        donor: m.donor.clone(),
        operator: history.map_or_else(|| m.operator_id.clone(), |o| o.current.operator.clone()),
        operator_page: history.map(|o| ctx.operator_page(o)),
        intervention: ctx.model.interventions[m.intervention_at]
            .name
            .get(ctx.lang)
            .to_owned(),
        before_on: m.before_on.to_string(),
        after_on: m.after_on.to_string(),
        gaps_before: m.gaps_before,
        gaps_after: m.gaps_after,
        closed: m.closed,
        priority_before: m.priority_before,
        priority_after: m.priority_after,
        benefit_realised: m.benefit_realised,
        cost_share_usd: m.cost_share,
    }
}

/// An overlap of two programmes in the report's words ([`Overlap::sentence`] is the
/// command line's).
fn overlap_sentence(ctx: &ReportContext<'_>, o: &Overlap) -> String {
    let s = ctx.strings;
    let whom = if o.every_operator {
        s.get("programmes.every_operator").to_owned()
    } else {
        o.operators.join(", ")
    };
    let intervention = ctx.model.intervention(&o.intervention).map_or_else(
        || o.intervention.clone(),
        |i| i.name.get(ctx.lang).to_owned(),
    );
    s.fmt(
        "programmes.overlap",
        &[
            ("first", &o.first),
            ("first_donor", &o.first_donor),
            ("second", &o.second),
            ("second_donor", &o.second_donor),
            ("intervention", &intervention),
            ("country", &ctx.country_name(&o.country)),
            ("sector", &ctx.sector_name(&o.sector)),
            ("operators", &whom),
            ("from", &s.date(&o.from.to_string())),
            ("to", &s.date(&o.to.to_string())),
        ],
    )
}
