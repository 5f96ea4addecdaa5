//! The portfolio page's view model, for donors: the heatmap of countries against
//! domains, region summaries, the countries furthest below target, the most
//! improved and most worsened domains, the aid plan with its cost/benefit chart, and
//! what the run left out.

use crate::aggregate::Scope;
use crate::charts;
use crate::render::country_page_path;
use crate::render::pages::{
    Chart, CountryGap, CountryRow, ExcludedFile, OperatorLink, PlanView, PortfolioPage,
    PortfolioTotals, RegionRow, RunSummary,
};

use super::{ReportContext, country_name, panel_trend};

/// How many countries and domain changes the summary lists.
const TOP: usize = 8;

/// What the run read and left out, for the page's run summary.
pub struct RunFacts {
    pub files_read: usize,
    /// One line per excluded file: `path:line:col: error: message`.
    pub excluded: Vec<String>,
    pub left_out: Vec<String>,
}

/// The portfolio page.
pub fn portfolio_page(ctx: &ReportContext<'_>, run: &RunFacts) -> PortfolioPage {
    let portfolio = ctx.portfolio;
    let mut countries: Vec<CountryRow> = portfolio
        .countries
        .iter()
        .filter_map(|aggregate| {
            let Scope::Country { country } = &aggregate.scope else {
                return None;
            };
            let mut operators: Vec<OperatorLink> = portfolio
                .members(aggregate)
                .map(|o| OperatorLink {
                    name: o.current.operator.clone(),
                    page: ctx.operator_page(o),
                    sector_name: ctx.sector_name(&o.current.sector),
                })
                .collect();
            operators.sort_by(|a, b| (&a.sector_name, &a.name).cmp(&(&b.sector_name, &b.name)));
            Some(CountryRow {
                code: country.clone(),
                name: country_name(country),
                page: country_page_path(country),
                index: aggregate.index,
                index_trend: panel_trend(aggregate),
                targets_met: aggregate.targets_met,
                domains_scored: aggregate.domains_scored,
                cells: ctx.aggregate_cells(aggregate),
                operators,
            })
        })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name));

    let heatmap = {
        let title =
            "Implementation by country and domain (% of practice credit, printed in each cell)"
                .to_owned();
        let chart = charts::heatmap::Heatmap {
            title: title.clone(),
            columns: ctx.model.domains.iter().map(|d| d.id.clone()).collect(),
            rows: countries
                .iter()
                .map(|row| charts::heatmap::HeatmapRow {
                    label: row.name.clone(),
                    cells: row
                        .cells
                        .iter()
                        .map(|c| {
                            c.level.and(c.implementation).map(|implementation| {
                                charts::heatmap::HeatmapCell { implementation }
                            })
                        })
                        .collect(),
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::heatmap::heatmap(&chart),
        }
    };

    let regions = portfolio
        .regions
        .iter()
        .map(|aggregate| {
            let name = match &aggregate.scope {
                Scope::Region { name, .. } => name.clone(),
                _ => String::new(),
            };
            RegionRow {
                name,
                countries: aggregate.countries.len(),
                operators: aggregate.operator_count,
                index: aggregate.index,
                targets_met: aggregate.targets_met,
                domains_scored: aggregate.domains_scored,
                weakest_domain: aggregate
                    .weakest_domains
                    .first()
                    .filter(|id| {
                        aggregate
                            .domain(id)
                            .is_some_and(|d| d.gap.is_some_and(|g| g > 0))
                    })
                    .map(|id| ctx.domain_name(id)),
            }
        })
        .collect();

    let furthest_below = portfolio
        .furthest_below_target
        .iter()
        .filter(|standing| standing.total_gap > 0)
        .take(TOP)
        .map(|standing| {
            let aggregate = portfolio.country(&standing.country);
            CountryGap {
                code: standing.country.clone(),
                name: country_name(&standing.country),
                page: country_page_path(&standing.country),
                total_gap: standing.total_gap,
                domains_below: aggregate
                    .map(|a| {
                        a.domains
                            .iter()
                            .filter(|d| d.gap.is_some_and(|g| g > 0))
                            .count()
                    })
                    .unwrap_or(0),
                domains_scored: standing.domains_scored,
                index: standing.index,
            }
        })
        .collect();

    // The biggest domain changes across countries.
    let mut improved = Vec::new();
    let mut worsened = Vec::new();
    for aggregate in &portfolio.countries {
        let (Scope::Country { country }, Some(trend)) = (&aggregate.scope, &aggregate.trend) else {
            continue;
        };
        let name = country_name(country);
        let page = Some(country_page_path(country));
        let panel = Some((trend.panel, trend.operators));
        improved.extend(ctx.domain_changes(&name, page.clone(), &trend.change, panel, true));
        worsened.extend(ctx.domain_changes(&name, page, &trend.change, panel, false));
    }
    let key = |c: &crate::render::pages::DomainChange| {
        c.level_trend.as_ref().map_or(0.0, |t| t.delta) * 1000.0
            + c.implementation_trend.as_ref().map_or(0.0, |t| t.delta)
    };
    improved.sort_by(|a, b| key(b).total_cmp(&key(a)));
    worsened.sort_by(|a, b| key(a).total_cmp(&key(b)));
    improved.truncate(TOP);
    worsened.truncate(TOP);

    let plan = ctx.plan;
    let chart = (!plan.candidates.is_empty()).then(|| {
        let title =
            "Cumulative benefit against cumulative cost of the ranked candidates".to_owned();
        let chart = charts::plan::CostBenefitChart {
            title: title.clone(),
            budget_usd: plan.budget,
            candidates: plan
                .candidates
                .iter()
                .map(|c| charts::plan::CostBenefitPoint {
                    cost_usd: c.cost,
                    benefit: c.benefit,
                    funded: c.selected,
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::plan::cost_benefit(&chart),
        }
    });
    let total_cost: f64 = plan.candidates.iter().map(|c| c.cost).sum();
    let (candidates, count) = ctx.candidate_rows(None, 50);
    let plan_view = PlanView {
        budget_usd: plan.budget,
        funded_cost_usd: plan.budget.map(|_| plan.selected_cost),
        funded_count: plan.budget.map(|_| plan.selected_count),
        total_cost_usd: total_cost,
        total_benefit: plan.total_benefit,
        candidates,
        count,
        chart,
    };

    let total = &portfolio.total;
    let mut sectors: Vec<String> = ctx
        .model
        .sectors
        .iter()
        .filter(|s| portfolio.operators.iter().any(|o| o.current.sector == s.id))
        .map(|s| s.name.get(ctx.lang).to_owned())
        .collect();
    sectors.dedup();
    let current: Vec<f64> = portfolio.current_scores().filter_map(|s| s.index).collect();
    let totals = PortfolioTotals {
        countries: countries.len(),
        operators: portfolio.operators.len(),
        sectors,
        index: (!current.is_empty()).then(|| current.iter().sum::<f64>() / current.len() as f64),
        targets_met: portfolio.current_scores().map(|s| s.targets_met).sum(),
        domains_scored: portfolio.current_scores().map(|s| s.domains_scored).sum(),
    };
    let questionnaires_used = portfolio
        .operators
        .iter()
        .map(|o| o.earlier.len() + 1)
        .sum();
    let excluded = run
        .excluded
        .iter()
        .map(|line| {
            let (path, error) = line.split_once(": error: ").unwrap_or((line.as_str(), ""));
            let path = if ctx.anonymized {
                "withheld".to_owned()
            } else {
                path.to_owned()
            };
            ExcludedFile {
                path,
                error: error.to_owned(),
            }
        })
        .collect();
    PortfolioPage {
        meta: ctx.meta(
            "Cybersecurity capability of critical infrastructure — donor portfolio".to_owned(),
            total.tlp,
            ctx.files_of(portfolio.operators.iter()),
        ),
        totals,
        domains: ctx.domain_columns(),
        heatmap,
        countries,
        regions,
        furthest_below,
        improved,
        worsened,
        plan: plan_view,
        run: RunSummary {
            files_read: run.files_read,
            questionnaires_used,
            left_out: run.left_out.clone(),
            excluded,
        },
    }
}
