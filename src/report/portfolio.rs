//! The portfolio page's view model, for donors. First the decision: a summary in
//! words generated from the data (what to fund first, what the budget buys, the
//! largest gaps by domain, what changed over each panel), then the evidence (domains
//! by operators at target, practices by response, the heatmap of implementation,
//! index between rounds, regions and sectors compared, the funded package by country
//! and kind, the aid plan's cost/benefit curve), then the directory and the run.

use serde::Serialize;

use super::paths::country_page_path;
use super::view::{
    CandidateRow, Chart, DomainChangeRow, DomainColumn, DomainStanding, LevelCell, PageMeta,
    PanelTrend, SummaryPoint,
};
use crate::aggregate::{Aggregate, Scope};
use crate::charts;
use crate::model::InterventionKind;

use super::{ReportContext, largest_gaps, panel_trend};
use crate::i18n::Strings;

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
                name: ctx.country_name(country),
                page: country_page_path(country),
                index: aggregate.index,
                index_trend: panel_trend(aggregate, ctx.strings),
                targets_met: aggregate.targets_met,
                domains_scored: aggregate.domains_scored,
                at_target: aggregate.domains.iter().map(|d| d.at_target).sum(),
                operator_domains: aggregate.domains.iter().map(|d| d.operators).sum(),
                cells: ctx.aggregate_cells(aggregate),
                operators,
            })
        })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name));

    let heatmap = {
        let title = ctx.strings.get("chart.heatmap.title").to_owned();
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
            svg: charts::heatmap::heatmap(&chart, ctx.strings),
        }
    };

    // Countries by the share of their operators' domains at target: it tells a
    // country where most operators are at target from one where none is, which the
    // weakest operator's level does not.
    let mut furthest_below: Vec<CountryGap> = portfolio
        .countries
        .iter()
        .filter_map(|a| {
            let Scope::Country { country } = &a.scope else {
                return None;
            };
            let at_target: usize = a.domains.iter().map(|d| d.at_target).sum();
            let operator_domains: usize = a.domains.iter().map(|d| d.operators).sum();
            (operator_domains > at_target).then(|| CountryGap {
                code: country.clone(),
                name: ctx.country_name(country),
                page: country_page_path(country),
                at_target,
                operator_domains,
                share_at_target: at_target as f64 / operator_domains as f64,
                median_gap: a
                    .domains
                    .iter()
                    .filter_map(|d| d.level_median.map(|m| d.target.saturating_sub(m)))
                    .sum(),
                index: a.index,
            })
        })
        .collect();
    furthest_below.sort_by(|a, b| {
        a.share_at_target
            .total_cmp(&b.share_at_target)
            .then_with(|| b.median_gap.cmp(&a.median_gap))
            .then_with(|| a.index.unwrap_or(0.0).total_cmp(&b.index.unwrap_or(0.0)))
    });
    furthest_below.truncate(TOP);

    // The biggest domain changes across countries.
    let mut improved = Vec::new();
    let mut worsened = Vec::new();
    for aggregate in &portfolio.countries {
        let (Scope::Country { country }, Some(trend)) = (&aggregate.scope, &aggregate.trend) else {
            continue;
        };
        let name = ctx.country_name(country);
        let page = Some(country_page_path(country));
        let panel = Some((trend.panel, trend.operators));
        improved.extend(ctx.domain_changes(&name, page.clone(), &trend.change, panel, true));
        worsened.extend(ctx.domain_changes(&name, page, &trend.change, panel, false));
    }
    let key = |c: &super::view::DomainChangeRow| {
        c.level_trend.as_ref().map_or(0.0, |t| t.delta) * 1000.0
            + c.implementation_trend.as_ref().map_or(0.0, |t| t.delta)
    };
    improved.sort_by(|a, b| key(b).total_cmp(&key(a)));
    worsened.sort_by(|a, b| key(a).total_cmp(&key(b)));
    improved.truncate(TOP);
    worsened.truncate(TOP);

    let plan = ctx.plan;
    let chart = (!plan.candidates.is_empty()).then(|| {
        let title = ctx.strings.get("chart.plan.title").to_owned();
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
            svg: charts::plan::cost_benefit(&chart, ctx.strings),
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
        funded_benefit: plan.selected_benefit,
        funded_share: if plan.total_benefit > 0.0 {
            plan.selected_benefit / plan.total_benefit
        } else {
            0.0
        },
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
    let standings = ctx.standings(total);
    let standings_chart = standings_chart(&standings, ctx.strings);
    let index_trend = panel_trend(total, ctx.strings);
    let groups = groups(ctx);
    let package = package(ctx);
    let people = super::workforce::portfolio_people(ctx);
    let mut summary = summary(ctx, &standings, &package);
    summary.extend(
        people
            .as_ref()
            .map(|p| super::workforce::summary_point(ctx, &p.overall)),
    );
    PortfolioPage {
        meta: ctx.meta(
            ctx.strings.get("portfolio.title").to_owned(),
            super::programmes::page_tlp(ctx, None, total.tlp),
            ctx.files_of(portfolio.operators.iter()),
        ),
        summary,
        standings,
        standings_chart,
        practices_chart: ctx.practices_chart(
            ctx.strings
                .get("chart.portfolio_practices.title")
                .to_owned(),
            portfolio.current_scores(),
        ),
        trend_chart: trend_chart(ctx),
        index_trend,
        groups_chart: groups_chart(&groups, ctx.strings),
        groups,
        package,
        totals,
        domains: ctx.domain_columns(),
        heatmap,
        countries,
        furthest_below,
        improved,
        worsened,
        plan: plan_view,
        coordination: super::programmes::coordination(ctx),
        people,
        run: RunSummary {
            files_read: run.files_read,
            questionnaires_used,
            left_out: run.left_out.clone(),
            excluded,
        },
    }
}

fn standings_chart(standings: &[DomainStanding], s: &Strings) -> Chart {
    let title = s.get("chart.standings.title").to_owned();
    let chart = charts::bars::Ranking {
        title: title.clone(),
        value_name: s.get("chart.standings.value").to_owned(),
        max_value: Some(100.0),
        rows: standings
            .iter()
            .map(|d| charts::bars::RankingRow {
                label: d.id.clone(),
                value: 100.0 * d.at_target as f64 / d.operators.max(1) as f64,
            })
            .collect(),
    };
    Chart {
        title,
        svg: charts::bars::ranking(&chart, s),
    }
}

/// "Cambodia (1 of 3 assessed twice)": a panel's label when it is not every member.
fn panel_label(name: &str, trend: &PanelTrend, s: &Strings) -> String {
    if trend.whole {
        name.to_owned()
    } else {
        s.fmt(
            "chart.panel_label",
            &[
                ("name", &name),
                ("panel", &trend.panel),
                ("count", &trend.operators),
            ],
        )
    }
}

/// The index of each panel (countries, then the portfolio) between rounds.
fn trend_chart(ctx: &ReportContext<'_>) -> Option<Chart> {
    let portfolio = ctx.portfolio;
    let mut rows: Vec<charts::arrows::ArrowRow> = Vec::new();
    if let Some(trend) = panel_trend(&portfolio.total, ctx.strings) {
        rows.push(charts::arrows::ArrowRow {
            label: panel_label(ctx.strings.get("nav.portfolio"), &trend, ctx.strings),
            from: trend.previous,
            to: trend.current,
        });
    }
    let mut countries: Vec<(String, PanelTrend)> = portfolio
        .countries
        .iter()
        .filter_map(|a| {
            let Scope::Country { country } = &a.scope else {
                return None;
            };
            Some((ctx.country_name(country), panel_trend(a, ctx.strings)?))
        })
        .collect();
    countries.sort_by(|a, b| b.1.trend.delta.total_cmp(&a.1.trend.delta));
    rows.extend(
        countries
            .iter()
            .map(|(name, trend)| charts::arrows::ArrowRow {
                label: panel_label(name, trend, ctx.strings),
                from: trend.previous,
                to: trend.current,
            }),
    );
    if rows.is_empty() {
        return None;
    }
    let s = ctx.strings;
    let title = s.get("chart.portfolio_trend.title").to_owned();
    let chart = charts::arrows::Arrows {
        title: title.clone(),
        value_name: s.get("chart.portfolio_trend.value").to_owned(),
        max_value: Some(100.0),
        from_name: s.get("th.previous_round").to_owned(),
        to_name: s.get("chart.latest_round").to_owned(),
        decimals: 1,
        rows,
    };
    Some(Chart {
        title,
        svg: charts::arrows::arrows(&chart, s),
    })
}

fn group_row(ctx: &ReportContext<'_>, name: String, aggregate: &Aggregate) -> GroupRow {
    let weakest = aggregate
        .domains
        .iter()
        .enumerate()
        .filter(|(_, d)| d.operators > 0 && d.at_target < d.operators)
        .min_by(|(_, a), (_, b)| {
            let share =
                |d: &crate::aggregate::AggregateDomain| d.at_target as f64 / d.operators as f64;
            share(a).total_cmp(&share(b))
        });
    GroupRow {
        name,
        countries: aggregate.countries.len(),
        operators: aggregate.operator_count,
        index: aggregate.index,
        index_trend: panel_trend(aggregate, ctx.strings),
        at_target: aggregate.domains.iter().map(|d| d.at_target).sum(),
        operator_domains: aggregate.domains.iter().map(|d| d.operators).sum(),
        weakest_domain: weakest.map(|(d, _)| ctx.domain_name(d)),
    }
}

/// Regions in file order, then sectors across countries in model order.
fn groups(ctx: &ReportContext<'_>) -> Vec<GroupRow> {
    let portfolio = ctx.portfolio;
    let regions = portfolio.regions.iter().map(|a| {
        let name = match &a.scope {
            Scope::Region { region, name } => ctx.region_name(region, name),
            _ => String::new(),
        };
        group_row(ctx, name, a)
    });
    let sectors = portfolio.sectors.iter().map(|a| {
        let name = match &a.scope {
            Scope::Sector { sector } => ctx.strings.fmt(
                "portfolio.sector_group",
                &[("sector", &ctx.sector_name(sector))],
            ),
            _ => String::new(),
        };
        group_row(ctx, name, a)
    });
    regions.chain(sectors).collect()
}

fn groups_chart(groups: &[GroupRow], s: &Strings) -> Chart {
    let title = s.get("chart.groups.title").to_owned();
    let chart = charts::bars::Ranking {
        title: title.clone(),
        value_name: s.get("chart.groups.value").to_owned(),
        max_value: Some(100.0),
        rows: groups
            .iter()
            .filter_map(|g| {
                Some(charts::bars::RankingRow {
                    label: g.name.clone(),
                    value: g.index?,
                })
            })
            .collect(),
    };
    Chart {
        title,
        svg: charts::bars::ranking(&chart, s),
    }
}

/// The funded package (with a budget) or every candidate (without), by country
/// and by intervention kind, with its stacked chart.
fn package(ctx: &ReportContext<'_>) -> PackageView {
    let plan = ctx.plan;
    let funded = plan.budget.is_some();
    let taken: Vec<&crate::plan::AidCandidate> =
        plan.candidates.iter().filter(|c| c.selected).collect();
    let total = plan.total_benefit;
    let row = |label: String, group: &[&crate::plan::AidCandidate]| PackageRow {
        label,
        candidates: group.len(),
        cost_usd: group.iter().map(|c| c.cost).sum(),
        benefit: group.iter().map(|c| c.benefit).sum(),
        share_of_total: if total > 0.0 {
            group.iter().map(|c| c.benefit).sum::<f64>() / total
        } else {
            0.0
        },
    };
    let mut countries: Vec<&str> = taken.iter().map(|c| c.country.as_str()).collect();
    countries.sort_unstable();
    countries.dedup();
    let mut by_country: Vec<PackageRow> = countries
        .iter()
        .map(|code| {
            let group: Vec<_> = taken
                .iter()
                .copied()
                .filter(|c| c.country == *code)
                .collect();
            row(ctx.country_name(code), &group)
        })
        .collect();
    by_country.sort_by(|a, b| b.cost_usd.total_cmp(&a.cost_usd));
    let kinds: Vec<InterventionKind> = InterventionKind::ALL
        .into_iter()
        .filter(|k| taken.iter().any(|c| c.kind == *k))
        .collect();
    let mut by_kind: Vec<PackageRow> = kinds
        .iter()
        .map(|kind| {
            let group: Vec<_> = taken.iter().copied().filter(|c| c.kind == *kind).collect();
            row(ctx.kind_name(*kind), &group)
        })
        .collect();
    by_kind.sort_by(|a, b| b.cost_usd.total_cmp(&a.cost_usd));
    let chart = (!taken.is_empty()).then(|| {
        let title = if funded {
            ctx.strings.get("chart.package.funded_title")
        } else {
            ctx.strings.get("chart.package.all_title")
        }
        .to_owned();
        let rows = by_country
            .iter()
            .map(|r| {
                let code = countries
                    .iter()
                    .find(|code| ctx.country_name(code) == r.label)
                    .copied()
                    .unwrap_or_default();
                charts::stacked::StackedRow {
                    label: r.label.clone(),
                    values: kinds
                        .iter()
                        .map(|k| {
                            taken
                                .iter()
                                .filter(|c| c.country == code && c.kind == *k)
                                .map(|c| c.cost)
                                .sum()
                        })
                        .collect(),
                }
            })
            .collect();
        let chart = charts::stacked::Stacked {
            title: title.clone(),
            value_name: ctx.strings.get("chart.cost_usd").to_owned(),
            unit: charts::stacked::Unit::Usd,
            series: kinds.iter().map(|k| ctx.kind_name(*k)).collect(),
            neutral_tail: 0,
            rows,
        };
        Chart {
            title,
            svg: charts::stacked::stacked(&chart, ctx.strings),
        }
    });
    PackageView {
        funded,
        by_country,
        by_kind,
        chart,
    }
}

/// The decision in words, generated from the data.
fn summary(
    ctx: &ReportContext<'_>,
    standings: &[DomainStanding],
    package: &PackageView,
) -> Vec<SummaryPoint> {
    let plan = ctx.plan;
    let portfolio = ctx.portfolio;
    let s = ctx.strings;
    let usd = |amount: f64| s.usd(amount);
    let mut out = Vec::new();
    let funded: Vec<&crate::plan::AidCandidate> =
        plan.candidates.iter().filter(|c| c.selected).collect();
    if let Some(text) = ctx.fund_first(&funded) {
        out.push(SummaryPoint {
            heading: s.get("summary.fund_first").to_owned(),
            text,
        });
    }

    let share = |benefit: f64| {
        if plan.total_benefit > 0.0 {
            s.pct(benefit / plan.total_benefit, 1)
        } else {
            s.pct(0.0, 0)
        }
    };
    let all_cost: f64 = plan.candidates.iter().map(|c| c.cost).sum();
    let buys = match plan.budget {
        Some(budget) => s.plural(
            "summary.budget_buys",
            plan.candidates.len() as u64,
            &[
                ("budget", &usd(budget)),
                ("funded", &plan.selected_count),
                ("cost", &usd(plan.selected_cost)),
                ("bought", &s.count(plan.selected_benefit)),
                ("total", &s.count(plan.total_benefit)),
                ("share", &share(plan.selected_benefit)),
                ("all_cost", &usd(all_cost)),
            ],
        ),
        None => s.plural(
            "summary.no_budget",
            plan.candidates.len() as u64,
            &[
                ("cost", &usd(all_cost)),
                ("total", &s.count(plan.total_benefit)),
            ],
        ),
    };
    let spread = |rows: &[PackageRow]| -> Vec<String> {
        rows.iter()
            .take(3)
            .map(|r| {
                s.fmt(
                    "summary.share",
                    &[("label", &r.label), ("cost", &usd(r.cost_usd))],
                )
            })
            .collect()
    };
    let breakdown = if package.by_country.is_empty() {
        String::new()
    } else {
        format!(
            "{}{}",
            s.get("sentence.space"),
            s.fmt(
                "summary.largest_shares",
                &[
                    ("countries", &s.list(&spread(&package.by_country))),
                    ("kinds", &s.list(&spread(&package.by_kind))),
                ],
            )
        )
    };
    if !plan.candidates.is_empty() {
        out.push(SummaryPoint {
            heading: s.get("summary.what_budget_buys").to_owned(),
            text: format!("{buys}{breakdown}"),
        });
    }
    if let Some(text) = largest_gaps(standings, ctx.strings) {
        out.push(SummaryPoint {
            heading: s.get("summary.largest_gaps").to_owned(),
            text,
        });
    }

    let mut changed = vec![ctx.what_changed(&portfolio.total)];
    let country = |c: &crate::aggregate::CountryChange| {
        s.fmt(
            "summary.country_change",
            &[
                ("country", &ctx.country_name(&c.country)),
                (
                    "change",
                    &format!(
                        "{}{}",
                        if c.change > 0.0 { "+" } else { "−" },
                        s.number(c.change.abs(), 1)
                    ),
                ),
                ("panel", &c.panel),
                ("count", &c.operators),
            ],
        )
    };
    if let Some(best) = portfolio.most_improved_countries.first() {
        changed.push(s.fmt(
            "summary.most_improved_country",
            &[("country", &country(best))],
        ));
    }
    if let Some(worst) = portfolio.most_worsened_countries.first() {
        changed.push(s.fmt(
            "summary.most_worsened_country",
            &[("country", &country(worst))],
        ));
    }
    out.push(SummaryPoint {
        heading: s.get("portfolio.heading.changes").to_owned(),
        text: changed.join(s.get("sentence.space")),
    });
    out
}

// The page's view model, rendered by `crate::render`.

/// A link to an operator page.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorLink {
    pub name: String,
    pub page: String,
    pub sector_name: String,
}

// ---------------------------------------------------------------------------
// Operator page: `operators/<id>.html`.

/// One line of the funded package's breakdown (by country, or by intervention kind).
#[derive(Debug, Clone, Serialize)]
pub struct PackageRow {
    pub label: String,
    pub candidates: usize,
    pub cost_usd: f64,
    /// Priority points bought.
    pub benefit: f64,
    /// `benefit` / the benefit of every candidate, 0..1.
    pub share_of_total: f64,
}

/// What the budget (or, without one, every candidate) buys.
#[derive(Debug, Clone, Serialize)]
pub struct PackageView {
    /// True with a budget: the package is the funded candidates; false: all of them.
    pub funded: bool,
    pub by_country: Vec<PackageRow>,
    pub by_kind: Vec<PackageRow>,
    /// Stacked bars, country × intervention kind; its tables are the two above.
    pub chart: Option<Chart>,
}

/// A region or a sector across countries, for the comparison table.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// "ASEAN", or "Sector: Rail".
    pub name: String,
    pub countries: usize,
    pub operators: usize,
    pub index: Option<f64>,
    pub index_trend: Option<PanelTrend>,
    /// Operator × domain pairs at target, out of `operator_domains`.
    pub at_target: usize,
    pub operator_domains: usize,
    /// Name of the domain with the fewest operators at target.
    pub weakest_domain: Option<String>,
}

/// Every country, for donors.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioPage {
    pub meta: PageMeta,
    /// The decision in words, for the first printed page.
    pub summary: Vec<SummaryPoint>,
    pub totals: PortfolioTotals,
    /// Domains across the portfolio, fewest operators at target first.
    pub standings: Vec<DomainStanding>,
    /// Operators at target per domain (bars with their values); table: `standings`.
    pub standings_chart: Chart,
    /// Practices of every current operator by response, per domain (stacked bars).
    pub practices_chart: Chart,
    /// Index between rounds per country and for the portfolio, over each panel;
    /// `None` when no operator was assessed twice. Its table is `countries`.
    pub trend_chart: Option<Chart>,
    /// The portfolio's own panel trend.
    pub index_trend: Option<PanelTrend>,
    /// Regions, then sectors across countries.
    pub groups: Vec<GroupRow>,
    /// Index per region and per sector (bars with their values); table: `groups`.
    pub groups_chart: Chart,
    pub package: PackageView,
    /// The columns of `countries[].cells`, in model order.
    pub domains: Vec<DomainColumn>,
    /// Countries × domains heatmap; its table is `countries`.
    pub heatmap: Chart,
    /// Every country, in the order to print (e.g. by name).
    pub countries: Vec<CountryRow>,
    /// Countries with the smallest share of operator domains at target, worst first
    /// (then the larger median gap, the lower index).
    pub furthest_below: Vec<CountryGap>,
    /// Most improved domains across countries, best first.
    pub improved: Vec<DomainChangeRow>,
    /// Most worsened domains across countries, worst first.
    pub worsened: Vec<DomainChangeRow>,
    pub plan: PlanView,
    /// Who funds what (`--programmes`): `coordination.hbs`.
    pub coordination: Option<crate::report::programmes::CoordinationView>,
    /// People needed per cyber role and the training plans (SPEC §9); `None` when
    /// no operator reported a workforce.
    pub people: Option<crate::report::workforce::PortfolioPeople>,
    pub run: RunSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortfolioTotals {
    pub countries: usize,
    pub operators: usize,
    /// Sector names present.
    pub sectors: Vec<String>,
    /// Mean index over all current operators.
    pub index: Option<f64>,
    /// Domain × operator pairs at target, out of those with a level.
    pub targets_met: usize,
    pub domains_scored: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryRow {
    pub code: String,
    pub name: String,
    pub page: String,
    pub index: Option<f64>,
    pub index_trend: Option<PanelTrend>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// Operator × domain pairs at target, out of `operator_domains`.
    pub at_target: usize,
    pub operator_domains: usize,
    /// One per `PortfolioPage::domains` column.
    pub cells: Vec<LevelCell>,
    /// The country's operators, for the directory of pages.
    pub operators: Vec<OperatorLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountryGap {
    pub code: String,
    pub name: String,
    pub page: String,
    /// Operator × domain pairs at target, out of `operator_domains`, and the share.
    pub at_target: usize,
    pub operator_domains: usize,
    pub share_at_target: f64,
    /// Sum over domains of target minus the weighted median level, at least 0 each.
    pub median_gap: u32,
    pub index: Option<f64>,
}

/// The ranked aid plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    /// `--budget`, when given.
    pub budget_usd: Option<f64>,
    /// With a budget: the cost and number of the funded candidates.
    pub funded_cost_usd: Option<f64>,
    pub funded_count: Option<usize>,
    /// Over all candidates.
    pub total_cost_usd: f64,
    pub total_benefit: f64,
    /// The benefit of the funded candidates (all of them without a budget), and
    /// its share of `total_benefit`, 0..1.
    pub funded_benefit: f64,
    pub funded_share: f64,
    /// The candidates listed, in rank order: every funded one and at least the
    /// first few dozen (`plan.csv` has all).
    pub candidates: Vec<CandidateRow>,
    /// How many candidates there are in all.
    pub count: usize,
    /// Cost/benefit chart; its table is `candidates`.
    pub chart: Option<Chart>,
}

/// What the run read and what it left out.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// Questionnaire files read.
    pub files_read: usize,
    /// Questionnaires behind the report (current and previous rounds).
    pub questionnaires_used: usize,
    /// Sentences such as "3 questionnaires above TLP:AMBER left out".
    pub left_out: Vec<String>,
    /// Invalid files, with their first error. When anonymised, put "withheld" as
    /// the path.
    pub excluded: Vec<ExcludedFile>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExcludedFile {
    pub path: String,
    pub error: String,
}
