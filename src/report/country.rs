//! The country page's view model: the country overall and per sector, each
//! operator's levels side by side, the weakest domains, the trend since the
//! previous round, and the country's candidates in the aid plan.

use crate::aggregate::{Aggregate, Scope};
use crate::render::pages::{
    AggregateRow, CandidateTable, CountryHeader, CountryPage, CountryTrend, LevelCell, OperatorRow,
    Trend, WeakDomain,
};

use super::{ReportContext, country_name, panel_trend};

/// How many weakest domains the page lists.
const WEAKEST: usize = 5;

/// The page of one country; `None` when the portfolio has no such country.
pub fn country_page(ctx: &ReportContext<'_>, code: &str) -> Option<CountryPage> {
    let portfolio = ctx.portfolio;
    let overall = portfolio.country(code)?;
    let name = country_name(code);
    let sectors: Vec<&Aggregate> = portfolio.sectors_of(code).collect();

    let aggregate_row = |label: String, aggregate: &Aggregate| AggregateRow {
        label,
        operators: aggregate.operator_count,
        index: aggregate.index,
        index_trend: panel_trend(aggregate),
        targets_met: aggregate.targets_met,
        domains_scored: aggregate.domains_scored,
        cells: ctx.aggregate_cells(aggregate),
    };

    let mut members: Vec<_> = portfolio.members(overall).collect();
    members.sort_by(|a, b| {
        let sector_rank = |s: &str| {
            ctx.model
                .sectors
                .iter()
                .position(|x| x.id == s)
                .unwrap_or(usize::MAX)
        };
        (sector_rank(&a.current.sector), &a.current.operator)
            .cmp(&(sector_rank(&b.current.sector), &b.current.operator))
    });
    let operators = members
        .iter()
        .map(|o| {
            let s = &o.current;
            OperatorRow {
                name: s.operator.clone(),
                page: ctx.operator_page(o),
                sector_name: ctx.sector_name(&s.sector),
                assessed_on: s.assessed_on.to_string(),
                index: s.index,
                index_trend: o
                    .trend
                    .as_ref()
                    .and_then(|t| t.index.change)
                    .map(|d| Trend::new(d, 1)),
                targets_met: s.targets_met,
                domains_scored: s.domains_scored,
                cells: s
                    .domains
                    .iter()
                    .map(|d| LevelCell {
                        level: d.level,
                        target: Some(d.target),
                        gap: d.gap,
                        implementation: d.implementation,
                        trend: o
                            .trend
                            .as_ref()
                            .and_then(|t| t.domains.iter().find(|c| c.id == d.id))
                            .and_then(|c| c.level.change)
                            .map(Trend::levels),
                        weakest: None,
                        at_target: None,
                        operators: None,
                    })
                    .collect(),
            }
        })
        .collect();

    let weakest = overall
        .weakest_domains
        .iter()
        .filter_map(|id| overall.domain(id))
        .filter(|d| d.gap.is_some_and(|g| g > 0))
        .take(WEAKEST)
        .map(|d| WeakDomain {
            id: d.id.clone(),
            name: ctx.domain_name(&d.id),
            level: d.level,
            target: Some(d.target),
            gap: d.gap,
            implementation: d.implementation,
            operators_below: members
                .iter()
                .filter(|o| {
                    o.current
                        .domains
                        .iter()
                        .any(|x| x.id == d.id && x.gap.is_some_and(|g| g > 0))
                })
                .count(),
            operators: d.operators,
        })
        .collect();

    let trend = overall.trend.as_ref().map(|t| {
        let panel = Some((t.panel, t.operators));
        let previous_on = members
            .iter()
            .filter_map(|o| o.previous_on)
            .max()
            .map(|d| d.to_string())
            .unwrap_or_default();
        CountryTrend {
            previous_on,
            improved: ctx.domain_changes(&name, None, &t.change, panel, true),
            worsened: ctx.domain_changes(&name, None, &t.change, panel, false),
        }
    });

    let regions = ctx
        .regions
        .iter()
        .filter(|r| r.countries.iter().any(|c| c == code))
        .map(|r| r.name.clone())
        .collect();
    let chart = Some(ctx.levels_chart(format!("{name}: level per domain against target"), overall));
    let sectors = sectors
        .iter()
        .map(|a| {
            let sector = match &a.scope {
                Scope::CountrySector { sector, .. } => ctx.sector_name(sector),
                _ => String::new(),
            };
            aggregate_row(sector, a)
        })
        .collect();
    Some(CountryPage {
        meta: ctx.meta(
            format!("{name} — cybersecurity capability of critical infrastructure"),
            overall.tlp,
            ctx.files_of(members.iter().copied()),
        ),
        country: CountryHeader {
            code: code.to_owned(),
            name,
            regions,
        },
        domains: ctx.domain_columns(),
        overall: aggregate_row("All sectors".to_owned(), overall),
        sectors,
        operators,
        weakest,
        trend,
        plan: {
            let (candidates, count) = ctx.candidate_rows(Some(code), 25);
            CandidateTable {
                budget_usd: ctx.plan.budget,
                candidates,
                count,
            }
        },
        chart,
    })
}
