//! The country page's view model: a summary in words first (standing, what to fund
//! first, the largest gaps, what changed over the panel), then the country overall
//! and per sector, the domains by operators at target, implementation per domain,
//! practices by response, each operator's levels side by side, implementation
//! between rounds, and the country's candidates in the aid plan.

use serde::Serialize;

use super::view::{
    CandidateTable, Chart, DomainChangeRow, DomainColumn, DomainStanding, LevelCell, PageMeta,
    PanelTrend, SummaryPoint, TrendView,
};
use crate::aggregate::{Aggregate, Scope};
use crate::charts;

use super::{ReportContext, largest_gaps, panel_trend};

/// The page of one country; `None` when the portfolio has no such country.
pub fn country_page(ctx: &ReportContext<'_>, code: &str) -> Option<CountryPage> {
    let portfolio = ctx.portfolio;
    let overall = portfolio.country(code)?;
    let name = ctx.country_name(code);
    let sectors: Vec<&Aggregate> = portfolio.sectors_of(code).collect();

    let aggregate_row = |label: String, aggregate: &Aggregate| AggregateRow {
        label,
        operators: aggregate.operator_count,
        index: aggregate.index,
        index_trend: panel_trend(aggregate, ctx.strings),
        targets_met: aggregate.targets_met,
        domains_scored: aggregate.domains_scored,
        at_target: aggregate.domains.iter().map(|d| d.at_target).sum(),
        operator_domains: aggregate.domains.iter().map(|d| d.operators).sum(),
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
                    .map(|d| TrendView::new_in(d, 1, ctx.strings)),
                targets_met: s.targets_met,
                domains_scored: s.domains_scored,
                cells: s
                    .domains
                    .iter()
                    .enumerate()
                    .map(|(i, d)| LevelCell {
                        level: d.level,
                        target: Some(d.target),
                        gap: d.gap,
                        implementation: d.implementation,
                        trend: o
                            .trend
                            .as_ref()
                            .and_then(|t| t.domains[i].level.change)
                            .map(TrendView::levels),
                        weakest: None,
                        at_target: None,
                        operators: None,
                    })
                    .collect(),
            }
        })
        .collect();

    let s = ctx.strings;
    let standings = ctx.standings(overall);
    let mut summary = vec![SummaryPoint {
        heading: s.get("summary.standing").to_owned(),
        text: s.plural(
            "summary.country.standing",
            overall.operator_count as u64,
            &[
                (
                    "index",
                    &overall.index.map_or("—".to_owned(), |i| s.number(i, 1)),
                ),
                (
                    "met",
                    &overall.domains.iter().map(|d| d.at_target).sum::<usize>(),
                ),
                (
                    "pairs",
                    &overall.domains.iter().map(|d| d.operators).sum::<usize>(),
                ),
            ],
        ),
    }];
    let candidates: Vec<&crate::plan::AidCandidate> = ctx
        .plan
        .candidates
        .iter()
        .filter(|c| c.country == code && (ctx.plan.budget.is_none() || c.selected))
        .collect();
    if let Some(text) = ctx.fund_first(&candidates) {
        summary.push(SummaryPoint {
            heading: if ctx.plan.budget.is_some() {
                s.get("summary.funded_first").to_owned()
            } else {
                s.get("summary.fund_first").to_owned()
            },
            text,
        });
    } else {
        let best: Vec<&crate::plan::AidCandidate> = ctx
            .plan
            .candidates
            .iter()
            .filter(|c| c.country == code)
            .collect();
        if let Some(text) = ctx.fund_first(&best) {
            summary.push(SummaryPoint {
                heading: s.get("summary.best_outside_budget").to_owned(),
                text,
            });
        }
    }
    if let Some(text) = largest_gaps(&standings, ctx.strings) {
        summary.push(SummaryPoint {
            heading: s.get("summary.largest_gaps").to_owned(),
            text,
        });
    }
    summary.push(SummaryPoint {
        heading: s.get("portfolio.heading.changes").to_owned(),
        text: ctx.what_changed(overall),
    });
    let people = super::workforce::country_people(ctx, code);
    summary.extend(
        people
            .as_ref()
            .map(|p| super::workforce::summary_point(ctx, p)),
    );
    let trend_chart = overall.trend.as_ref().map(|t| {
        let title = if t.is_whole() {
            s.get("chart.country_trend.title").to_owned()
        } else {
            s.fmt(
                "chart.country_trend.panel_title",
                &[("panel", &t.panel), ("count", &t.operators)],
            )
        };
        let chart = charts::arrows::Arrows {
            title: title.clone(),
            value_name: s.get("chart.implementation_pct").to_owned(),
            max_value: Some(100.0),
            from_name: s.get("th.previous_round").to_owned(),
            to_name: s.get("chart.latest_round").to_owned(),
            decimals: 1,
            rows: t
                .change
                .domains
                .iter()
                .filter_map(|d| {
                    Some(charts::arrows::ArrowRow {
                        label: d.id.clone(),
                        from: 100.0 * d.implementation.previous?,
                        to: 100.0 * d.implementation.current?,
                    })
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::arrows::arrows(&chart, s),
        }
    });
    let practices_chart = ctx.practices_chart(
        s.fmt("chart.country_practices.title", &[("country", &name)]),
        members.iter().map(|o| &o.current),
    );

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
        .map(|r| r.name.get(ctx.lang).to_owned())
        .collect();
    let chart = Some({
        let title = s.plural(
            "chart.country_ranking.title",
            overall.operator_count as u64,
            &[("country", &name)],
        );
        let chart = charts::bars::Ranking {
            title: title.clone(),
            value_name: s.get("chart.implementation_pct").to_owned(),
            max_value: Some(100.0),
            rows: overall
                .domains
                .iter()
                .filter_map(|d| {
                    Some(charts::bars::RankingRow {
                        label: d.id.clone(),
                        value: 100.0 * d.level.and(d.implementation)?,
                    })
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::bars::ranking(&chart, s),
        }
    });
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
    let mut meta = ctx.meta(
        s.fmt("country.title", &[("country", &name)]),
        super::programmes::page_tlp(ctx, Some(code), overall.tlp),
        ctx.files_of(members.iter().copied()),
    );
    meta.notices
        .extend(ctx.country_notices.get(code).into_iter().flatten().cloned());
    Some(CountryPage {
        meta,
        country: CountryHeader {
            code: code.to_owned(),
            name,
            regions,
        },
        domains: ctx.domain_columns(),
        overall: aggregate_row(s.get("country.all_sectors").to_owned(), overall),
        sectors,
        operators,
        summary,
        standings,
        practices_chart,
        trend_chart,
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
        programmes: super::programmes::country_programmes(ctx, code),
        people,
    })
}

// The page's view model, rendered by `crate::render`.

/// One country: its sectors, its operators, its candidates in the aid plan.
#[derive(Debug, Clone, Serialize)]
pub struct CountryPage {
    pub meta: PageMeta,
    pub country: CountryHeader,
    /// The columns of `overall`, `sectors` and `operators`, in model order.
    pub domains: Vec<DomainColumn>,
    /// The country over all its operators.
    pub overall: AggregateRow,
    /// One row per sector with operators, in model order.
    pub sectors: Vec<AggregateRow>,
    /// Current operators, one row each.
    pub operators: Vec<OperatorRow>,
    /// The country in words: standing, what to fund first, largest gaps, what changed.
    pub summary: Vec<SummaryPoint>,
    /// Every domain with a level, fewest operators at target first.
    pub standings: Vec<DomainStanding>,
    /// Practices of the current operators by response, per domain (stacked bars).
    pub practices_chart: Chart,
    /// Implementation per domain between rounds over the panel; `None` without one.
    pub trend_chart: Option<Chart>,
    /// Since the previous round; `None` when there is only one round.
    pub trend: Option<CountryTrend>,
    /// The country's aid-plan candidates, in plan rank order.
    pub plan: CandidateTable,
    /// Implementation per domain over every current operator (bars with their
    /// values); the table is `overall` and `sectors`.
    pub chart: Option<Chart>,
    /// Donors' programmes here (`--programmes`): `country-programmes.hbs`.
    pub programmes: Option<crate::report::programmes::CountryProgrammesView>,
    /// People per cyber role and the training plan (SPEC §9): `people.hbs`; `None`
    /// when no operator here reported a workforce.
    pub people: Option<crate::report::workforce::AreaPeople>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryHeader {
    pub code: String,
    pub name: String,
    /// Names of the regions the country belongs to.
    pub regions: Vec<String>,
}

/// A country or sector aggregate (SPEC §5: level = the weakest operator's).
#[derive(Debug, Clone, Serialize)]
pub struct AggregateRow {
    /// `All sectors` or the sector's name.
    pub label: String,
    pub operators: usize,
    pub index: Option<f64>,
    pub index_trend: Option<PanelTrend>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// Operator × domain pairs at target, out of `operator_domains`.
    pub at_target: usize,
    pub operator_domains: usize,
    /// One per `CountryPage::domains` column.
    pub cells: Vec<LevelCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperatorRow {
    pub name: String,
    pub page: String,
    pub sector_name: String,
    pub assessed_on: String,
    pub index: Option<f64>,
    pub index_trend: Option<TrendView>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// One per `CountryPage::domains` column.
    pub cells: Vec<LevelCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryTrend {
    /// The previous round's latest assessment date, `YYYY-MM-DD`.
    pub previous_on: String,
    /// Most improved first.
    pub improved: Vec<DomainChangeRow>,
    /// Most worsened first.
    pub worsened: Vec<DomainChangeRow>,
}

// ---------------------------------------------------------------------------
// Portfolio page: `index.html`.
