//! The workforce sections of the pages (SPEC §9): an operator's people per role
//! beside its scores, a country's people per role with its training plan, and on the
//! portfolio the people needed per role across every operator (with a chart), the
//! portfolio's training plan and each region's. Pure: builds view models from
//! [`crate::workforce::Workforce`], in the report's language; `None` wherever no
//! operator behind the page reported a workforce, so the section is left out.

use serde::Serialize;

use super::ReportContext;
use super::view::{Chart, SummaryPoint};
use crate::aggregate::{OperatorHistory, Scope};
use crate::charts::{self, workforce::PeopleWords, workforce::RolePeople};
use crate::workforce::{AggregateWorkforce, TrainingLine};

/// One role's people: one operator's, or summed over an aggregate's operators.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleRow {
    pub role: String,
    pub name: String,
    pub description: String,
    /// How many operators reported this role (1 on an operator page).
    pub operators: usize,
    pub staff: u64,
    pub needed: u64,
    pub in_training: u64,
    pub shortfall: u64,
}

/// An operator's people per role, for its page.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorPeople {
    pub rows: Vec<PeopleRow>,
    pub needed: u64,
    pub shortfall: u64,
}

/// One line of a training plan, in words and numbers.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingRow {
    pub role: String,
    pub name: String,
    pub operators: usize,
    pub shortfall_before_programmes: u64,
    pub programme_trainees: u64,
    /// Ids of the programmes whose trainees count here.
    pub programmes: Vec<String>,
    /// What is left to train.
    pub shortfall: u64,
    pub intervention: String,
    /// The other interventions that train the role, by name.
    pub alternatives: Vec<String>,
    pub seats: u32,
    pub deliveries: u64,
    pub cost_usd: f64,
}

/// A training plan with its totals.
#[derive(Debug, Clone, Serialize)]
pub struct TrainingPlanView {
    pub rows: Vec<TrainingRow>,
    pub deliveries: u64,
    pub cost_usd: f64,
    /// Whether any programme trainees reduced it.
    pub programmes_counted: bool,
}

/// The people of a country or of the portfolio, and its training plan.
#[derive(Debug, Clone, Serialize)]
pub struct AreaPeople {
    /// Operators that reported a workforce, out of `operators`.
    pub reporting: usize,
    pub operators: usize,
    pub rows: Vec<PeopleRow>,
    pub needed: u64,
    pub shortfall: u64,
    /// People per role: in post, in training, short; its table is `rows`.
    pub chart: Chart,
    pub plan: TrainingPlanView,
}

/// A region's training plan, for the portfolio page.
#[derive(Debug, Clone, Serialize)]
pub struct RegionPlan {
    pub name: String,
    pub countries: usize,
    pub plan: TrainingPlanView,
}

/// The portfolio's workforce section.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioPeople {
    pub overall: AreaPeople,
    pub regions: Vec<RegionPlan>,
}

/// An operator's people per role; `None` when its current round has no workforce.
pub fn operator_people(
    ctx: &ReportContext<'_>,
    history: &OperatorHistory,
) -> Option<OperatorPeople> {
    ctx.workforce?;
    let staffing = &history.current.workforce;
    if staffing.is_empty() {
        return None;
    }
    let rows: Vec<PeopleRow> = staffing
        .iter()
        .map(|s| {
            let (name, description) = role_words(ctx, &s.role);
            PeopleRow {
                role: s.role.clone(),
                name,
                description,
                operators: 1,
                staff: u64::from(s.staff),
                needed: u64::from(s.needed),
                in_training: u64::from(s.in_training),
                shortfall: u64::from(s.shortfall()),
            }
        })
        .collect();
    Some(OperatorPeople {
        needed: rows.iter().map(|r| r.needed).sum(),
        shortfall: rows.iter().map(|r| r.shortfall).sum(),
        rows,
    })
}

/// A country's people and training plan; `None` when none of its operators reported.
pub fn country_people(ctx: &ReportContext<'_>, code: &str) -> Option<AreaPeople> {
    area_people(
        ctx,
        &Scope::Country {
            country: code.to_owned(),
        },
        &ctx.strings.fmt(
            "people.chart.country",
            &[("country", &ctx.country_name(code))],
        ),
    )
}

/// The portfolio's people, its training plan and each region's; `None` when no
/// operator reported a workforce.
pub fn portfolio_people(ctx: &ReportContext<'_>) -> Option<PortfolioPeople> {
    let workforce = ctx.workforce?;
    let overall = area_people(
        ctx,
        &Scope::Portfolio,
        ctx.strings.get("people.chart.portfolio"),
    )?;
    let regions = ctx
        .portfolio
        .regions
        .iter()
        .filter(|region| {
            workforce
                .of(&region.scope)
                .is_some_and(|people| people.reporting > 0)
        })
        .filter_map(|region| {
            let Scope::Region { region: id, name } = &region.scope else {
                return None;
            };
            Some(RegionPlan {
                name: ctx.region_name(id, name),
                countries: region.countries.len(),
                plan: plan_view(ctx, workforce.plan_of(&region.scope)),
            })
        })
        .collect();
    Some(PortfolioPeople { overall, regions })
}

fn area_people(ctx: &ReportContext<'_>, scope: &Scope, title: &str) -> Option<AreaPeople> {
    let workforce = ctx.workforce?;
    let people = workforce.of(scope).filter(|p| p.reporting > 0)?;
    let rows = people_rows(ctx, people);
    let chart_rows: Vec<RolePeople> = rows
        .iter()
        .map(|r| RolePeople {
            label: r.name.clone(),
            staff: r.staff,
            in_training: r.in_training,
            shortfall: r.shortfall,
        })
        .collect();
    let s = ctx.strings;
    let words = PeopleWords {
        title: title.to_owned(),
        value_name: s.get("people.chart.value").to_owned(),
        series: [
            s.get("people.series.staff").to_owned(),
            s.get("people.series.in_training").to_owned(),
            s.get("people.series.shortfall").to_owned(),
        ],
    };
    Some(AreaPeople {
        reporting: people.reporting,
        operators: people.operators,
        needed: rows.iter().map(|r| r.needed).sum(),
        shortfall: rows.iter().map(|r| r.shortfall).sum(),
        chart: Chart {
            title: title.to_owned(),
            svg: charts::workforce::people_per_role(&words, &chart_rows, s),
        },
        rows,
        plan: plan_view(ctx, workforce.plan_of(scope)),
    })
}

fn people_rows(ctx: &ReportContext<'_>, people: &AggregateWorkforce) -> Vec<PeopleRow> {
    people
        .roles
        .iter()
        .map(|r| {
            let (name, description) = role_words(ctx, &r.role);
            PeopleRow {
                role: r.role.clone(),
                name,
                description,
                operators: r.operators,
                staff: r.staff,
                needed: r.needed,
                in_training: r.in_training,
                shortfall: r.shortfall,
            }
        })
        .collect()
}

fn plan_view<'a>(
    ctx: &ReportContext<'_>,
    lines: impl Iterator<Item = &'a TrainingLine>,
) -> TrainingPlanView {
    let intervention_name = |id: &str| {
        ctx.model
            .intervention(id)
            .map_or_else(|| id.to_owned(), |i| i.name.get(ctx.lang).to_owned())
    };
    let rows: Vec<TrainingRow> = lines
        .map(|line| TrainingRow {
            role: line.role.clone(),
            name: role_words(ctx, &line.role).0,
            operators: line.operators,
            shortfall_before_programmes: line.shortfall_before_programmes,
            programme_trainees: line.programme_trainees,
            programmes: line.programmes.clone(),
            shortfall: line.shortfall,
            intervention: intervention_name(&line.intervention),
            alternatives: line
                .interventions
                .iter()
                .filter(|id| **id != line.intervention)
                .map(|id| intervention_name(id))
                .collect(),
            seats: line.seats,
            deliveries: line.deliveries,
            cost_usd: line.cost_usd,
        })
        .collect();
    TrainingPlanView {
        deliveries: rows.iter().map(|r| r.deliveries).sum(),
        cost_usd: rows.iter().map(|r| r.cost_usd).sum(),
        programmes_counted: rows.iter().any(|r| r.programme_trainees > 0),
        rows,
    }
}

/// The people of a country or of the portfolio in words, for the page's summary.
pub fn summary_point(ctx: &ReportContext<'_>, people: &AreaPeople) -> SummaryPoint {
    let s = ctx.strings;
    let mut text = vec![s.plural(
        "summary.people.reported",
        people.operators as u64,
        &[
            ("reporting", &people.reporting),
            ("shortfall", &people.shortfall),
            ("needed", &people.needed),
        ],
    )];
    let worst = people
        .rows
        .iter()
        .filter(|r| r.shortfall > 0)
        .max_by(|a, b| a.shortfall.cmp(&b.shortfall).then(b.role.cmp(&a.role)));
    if let Some(role) = worst {
        text.push(s.fmt(
            "summary.people.largest",
            &[("role", &role.name), ("shortfall", &role.shortfall)],
        ));
        let trainees: u64 = people.plan.rows.iter().map(|r| r.programme_trainees).sum();
        let cost = s.usd(people.plan.cost_usd);
        text.push(if trainees > 0 {
            s.plural(
                "summary.people.plan_after",
                people.plan.deliveries,
                &[("cost", &cost), ("trainees", &trainees)],
            )
        } else {
            s.plural(
                "summary.people.plan",
                people.plan.deliveries,
                &[("cost", &cost)],
            )
        });
    }
    SummaryPoint {
        heading: s.get("summary.people").to_owned(),
        // Japanese sentences follow each other without a space.
        text: text.join(if s.lang() == crate::i18n::Lang::Ja {
            ""
        } else {
            " "
        }),
    }
}

/// A role's name and description in the report's language.
fn role_words(ctx: &ReportContext<'_>, id: &str) -> (String, String) {
    ctx.model.role(id).map_or_else(
        || (id.to_owned(), String::new()),
        |(_, role)| {
            (
                role.name.get(ctx.lang).to_owned(),
                role.description.get(ctx.lang).to_owned(),
            )
        },
    )
}
