//! The report's page builder: turns the portfolio (aggregates, histories, the aid
//! plan) and, for operator pages, the re-read questionnaire into the pages' view
//! models, with their charts. Each page's view model lives beside its builder
//! (`operator`, `country`, `portfolio`), the parts they share in `view`, the page
//! paths in `paths`; `crate::render` renders them and nothing here depends on it. Pure: no IO; the `report` command reads
//! files and writes pages.

pub mod country;
pub mod operator;
pub mod paths;
pub mod portfolio;
pub mod programmes;
pub mod view;
pub mod workforce;

use std::collections::HashMap;

pub use country::country_page;
pub use operator::operator_page;
pub use portfolio::{RunFacts, portfolio_page};

use crate::aggregate::{Aggregate, AggregateDomain, OperatorHistory, Portfolio};
use crate::charts;
use crate::country as iso;
use crate::i18n::{Lang, Strings};
use crate::load::Region;
use crate::model::Model;
use crate::plan::{AidCandidate, AidPlan};
use crate::questionnaire::Tlp;
use paths::{country_page_path, operator_page_path, operator_page_paths};
use view::{
    CandidateRow, Chart, DomainChangeRow, DomainColumn, DomainStanding, InterventionRef, LevelCell,
    ModelLegend, PageMeta, PanelTrend, PracticeText, Provenance, TlpBanner, TrendView,
};

/// What every page of one report shares.
pub struct ReportContext<'a> {
    pub model: &'a Model,
    pub portfolio: &'a Portfolio,
    pub regions: &'a [Region],
    pub plan: &'a AidPlan,
    pub lang: &'a str,
    /// The report's wording in `lang` (the theme's table, with any override).
    pub strings: &'a Strings,
    pub anonymized: bool,
    /// `YYYY-MM-DD`.
    pub generated_on: String,
    /// Sentences on what the run left out (e.g. by `--tlp-max`), for every page.
    pub notices: Vec<String>,
    pub legend: ModelLegend,
    /// Each practice's text as HTML (`practice.hbs`), rendered once per report: one
    /// per practice in model order (by `Model::flat_index`), empty until rendered.
    pub practice_html: Vec<String>,
    /// Sentences for one country's page only, by country code (small groups).
    pub country_notices: HashMap<String, Vec<String>>,
    /// Operator page path by (country, sector, operator id).
    pages: HashMap<(String, String, String), String>,
    /// Donors' programmes (`--programmes`), for the coordination sections.
    pub programmes: Option<programmes::ProgrammeInputs<'a>>,
    /// The workforce and training plan (SPEC §9); `None` leaves the sections out.
    pub workforce: Option<&'a crate::workforce::Workforce>,
    /// Per sector: how many current operators it has and, per model domain, the sum
    /// of their implementation where the domain has a level and how many they are
    /// (for the peer comparison of the operator pages, without a pass over every
    /// operator for each page).
    sector_totals: HashMap<String, (usize, Vec<(f64, usize)>)>,
}

impl<'a> ReportContext<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        model: &'a Model,
        portfolio: &'a Portfolio,
        regions: &'a [Region],
        plan: &'a AidPlan,
        lang: &'a str,
        anonymized: bool,
        generated_on: String,
        notices: Vec<String>,
    ) -> Self {
        let pages = portfolio
            .operators
            .iter()
            .map(|o| {
                let s = &o.current;
                (s.country.clone(), s.sector.clone(), s.operator_id.clone())
            })
            .zip(operator_page_paths(portfolio.operators.iter().map(|o| {
                let s = &o.current;
                (
                    s.country.as_str(),
                    s.sector.as_str(),
                    s.operator_id.as_str(),
                )
            })))
            .collect();
        let mut sector_totals: HashMap<String, (usize, Vec<(f64, usize)>)> = HashMap::new();
        for score in portfolio.current_scores() {
            let (operators, totals) = sector_totals
                .entry(score.sector.clone())
                .or_insert_with(|| (0, vec![(0.0, 0); model.domains.len()]));
            *operators += 1;
            for (total, domain) in totals.iter_mut().zip(&score.domains) {
                if let Some(i) = domain.level.and(domain.implementation) {
                    total.0 += i;
                    total.1 += 1;
                }
            }
        }
        ReportContext {
            sector_totals,
            model,
            portfolio,
            regions,
            plan,
            lang,
            strings: Strings::builtin(Lang::parse(lang).unwrap_or_default()),
            anonymized,
            generated_on,
            notices,
            legend: ModelLegend::new(model, lang),
            practice_html: Vec::new(),
            country_notices: HashMap::new(),
            pages,
            programmes: None,
            workforce: None,
        }
    }

    /// The other current operators of `score`'s sector: how many they are, and per
    /// model domain their mean implementation where the domain has a level.
    fn sector_peers(&self, score: &crate::score::QuestionnaireScore) -> (usize, Vec<Option<f64>>) {
        let Some((operators, totals)) = self.sector_totals.get(&score.sector) else {
            return (0, vec![None; self.model.domains.len()]);
        };
        let means = totals
            .iter()
            .enumerate()
            .map(|(d, &(sum, count))| {
                let own = score.domains[d].level.and(score.domains[d].implementation);
                let (sum, count) = match own {
                    Some(i) => (sum - i, count.saturating_sub(1)),
                    None => (sum, count),
                };
                (count > 0).then(|| sum / count as f64)
            })
            .collect();
        (operators.saturating_sub(1), means)
    }

    /// Words the report with `strings` (the theme's table, overrides included).
    pub fn set_strings(&mut self, strings: &'a Strings) {
        self.strings = strings;
        self.legend = ModelLegend::new_in(self.model, self.lang, strings);
    }

    /// The text of every practice in model order, to render once with `practice.hbs`.
    pub fn practice_texts(&self) -> Vec<PracticeText> {
        self.model
            .practices()
            .map(|(at, practice)| PracticeText {
                question: practice.question.get(self.lang).to_owned(),
                guidance: practice.guidance.get(self.lang).to_owned(),
                refs: practice.refs.clone(),
                interventions: self
                    .model
                    .interventions_of(at)
                    .map(|i| InterventionRef {
                        id: i.id.clone(),
                        name: i.name.get(self.lang).to_owned(),
                        kind: self.kind_name(i.kind),
                        cost_usd: i.cost_usd,
                    })
                    .collect(),
            })
            .collect()
    }

    /// The page path of an operator, from the report root.
    pub fn operator_page(&self, operator: &OperatorHistory) -> String {
        let s = &operator.current;
        self.pages
            .get(&(s.country.clone(), s.sector.clone(), s.operator_id.clone()))
            .cloned()
            .unwrap_or_else(|| operator_page_path(&s.operator_id))
    }

    fn meta(&self, title: String, tlp: Tlp, files: Vec<String>) -> PageMeta {
        PageMeta {
            lang: self.lang.to_owned(),
            title,
            tlp: TlpBanner::new_in(tlp, self.strings),
            model: self.legend.clone(),
            provenance: Provenance::new(
                self.model.reference(),
                self.generated_on.clone(),
                files,
                self.anonymized,
            ),
            notices: self.notices.clone(),
        }
    }

    fn domain_columns(&self) -> Vec<DomainColumn> {
        self.model
            .domains
            .iter()
            .map(|d| DomainColumn {
                id: d.id.clone(),
                name: d.name.get(self.lang).to_owned(),
            })
            .collect()
    }

    /// The name of model domain number `d`.
    fn domain_name(&self, d: usize) -> String {
        self.model.domains[d].name.get(self.lang).to_owned()
    }

    /// An intervention kind in the report's language.
    pub fn kind_name(&self, kind: crate::model::InterventionKind) -> String {
        self.strings
            .get(&format!("kind.{}", kind.as_str()))
            .to_owned()
    }

    /// A region's name in the report's language (`regions.yaml` text), or `fallback`.
    pub fn region_name(&self, id: &str, fallback: &str) -> String {
        self.regions
            .iter()
            .find(|r| r.id == id)
            .map_or_else(|| fallback.to_owned(), |r| r.name.get(self.lang).to_owned())
    }

    /// A country's name in the report's language, or its code when unknown.
    pub fn country_name(&self, code: &str) -> String {
        country_name_in(code, self.strings.lang())
    }

    pub fn sector_name(&self, id: &str) -> String {
        self.model
            .sector(id)
            .map_or_else(|| id.to_owned(), |s| s.name.get(self.lang).to_owned())
    }

    /// The files behind some operators: every round the page draws on.
    fn files_of<'b>(&self, operators: impl Iterator<Item = &'b OperatorHistory>) -> Vec<String> {
        let mut files: Vec<String> = operators
            .flat_map(|o| o.earlier.iter().chain(std::iter::once(&o.current)))
            .map(|s| s.file.clone())
            .collect();
        files.sort();
        files
    }

    /// Plan candidates as table rows, optionally for one country: every funded one
    /// and at least the first `at_least`; with the number of candidates in all.
    fn candidate_rows(&self, country: Option<&str>, at_least: usize) -> (Vec<CandidateRow>, usize) {
        let all: Vec<&AidCandidate> = self
            .plan
            .candidates
            .iter()
            .filter(|c| country.is_none_or(|code| c.country == code))
            .collect();
        let funded = if self.plan.budget.is_some() {
            all.iter().filter(|c| c.selected).count()
        } else {
            0
        };
        let rows = all
            .iter()
            .enumerate()
            .take_while(|(i, _)| {
                *i < at_least.max(funded) || (self.plan.budget.is_some() && all[*i].selected)
            })
            .map(|(_, c)| self.candidate_row(c))
            .collect();
        (rows, all.len())
    }

    fn candidate_row(&self, c: &AidCandidate) -> CandidateRow {
        let gap_practices = self
            .portfolio
            .operators
            .iter()
            .filter(|o| o.current.country == c.country && o.current.sector == c.sector)
            .filter(|o| c.operators.contains(&o.current.operator_id))
            .map(|o| {
                o.current
                    .gaps
                    .iter()
                    .filter(|g| c.practices.contains(&self.model.practice(g.practice).id))
                    .count()
            })
            .sum();
        CandidateRow {
            rank: c.rank,
            country_code: c.country.clone(),
            country_name: self.country_name(&c.country),
            country_page: country_page_path(&c.country),
            sector_name: self.sector_name(&c.sector),
            intervention_id: c.intervention.clone(),
            intervention_name: self.model.interventions[c.intervention_at]
                .name
                .get(self.lang)
                .to_owned(),
            kind: self.kind_name(c.kind),
            operators: c.operators.len(),
            gap_practices,
            benefit: c.benefit,
            cost_usd: c.cost,
            benefit_per_100k_usd: c.benefit_per_dollar * 100_000.0,
            funded: self.plan.budget.map(|_| c.selected),
        }
    }

    /// Level cells of an aggregate, one per model domain: the weighted median level
    /// against target, with the weakest level and how many operators are at target.
    fn aggregate_cells(&self, aggregate: &Aggregate) -> Vec<LevelCell> {
        aggregate
            .domains
            .iter()
            .map(|domain| level_cell(Some(domain)))
            .collect()
    }

    /// Domain changes of a trend as rows, most improved (or worsened) first.
    fn domain_changes(
        &self,
        scope: &str,
        scope_page: Option<String>,
        change: &crate::aggregate::Trend,
        panel: Option<(usize, usize)>,
        improved: bool,
    ) -> Vec<DomainChangeRow> {
        let mut rows: Vec<(usize, &crate::aggregate::DomainChange)> = change
            .domains
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                let level = d.level.change.unwrap_or(0);
                let implementation = d.implementation.change.unwrap_or(0.0);
                if improved {
                    level > 0 || (level == 0 && implementation > 1e-9)
                } else {
                    level < 0 || (level == 0 && implementation < -1e-9)
                }
            })
            .collect();
        let key = |d: &crate::aggregate::DomainChange| {
            (d.level.change.unwrap_or(0) as f64) * 1000.0 + d.implementation.change.unwrap_or(0.0)
        };
        rows.sort_by(|(_, a), (_, b)| {
            let (a, b) = (key(a), key(b));
            if improved {
                b.total_cmp(&a)
            } else {
                a.total_cmp(&b)
            }
        });
        rows.into_iter()
            .map(|(i, d)| DomainChangeRow {
                scope: scope.to_owned(),
                scope_page: scope_page.clone(),
                domain_id: d.id.clone(),
                domain_name: self.domain_name(i),
                level_before: d.level.previous,
                level_now: d.level.current,
                panel: panel.map(|p| p.0),
                operators: panel.map(|p| p.1),
                level_trend: d.level.change.map(TrendView::levels),
                implementation_trend: d
                    .implementation
                    .change
                    .map(|delta| TrendView::new(delta * 100.0, 0)),
            })
            .collect()
    }

    /// The practices of some rounds by response, one stacked bar per domain (the
    /// C2M2 report's view): fully, largely, ... then not applicable and unanswered.
    fn practices_chart<'b>(
        &self,
        title: String,
        scores: impl Iterator<Item = &'b crate::score::QuestionnaireScore>,
    ) -> Chart {
        let responses = self.model.responses.len();
        let mut counts = vec![vec![0.0; responses + 2]; self.model.domains.len()];
        for score in scores {
            for (row, domain) in counts.iter_mut().zip(&score.domains) {
                for (i, n) in domain.counts.scale.iter().enumerate() {
                    row[i] += *n as f64;
                }
                row[responses] += domain.counts.na as f64;
                row[responses + 1] += domain.counts.unanswered as f64;
            }
        }
        let chart = charts::stacked::Stacked {
            title: title.clone(),
            value_name: self.strings.get("chart.practices_answers").to_owned(),
            unit: charts::stacked::Unit::Count,
            series: self
                .legend
                .responses
                .iter()
                .map(|r| r.label.clone())
                .collect(),
            neutral_tail: 2,
            rows: self
                .model
                .domains
                .iter()
                .zip(counts)
                .filter(|(_, values)| values.iter().any(|v| *v > 0.0))
                .map(|(d, values)| charts::stacked::StackedRow {
                    label: d.id.clone(),
                    values,
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::stacked::stacked(&chart, self.strings),
        }
    }

    /// "Fund first": the first three of `candidates` (in rank order) in words.
    fn fund_first(&self, candidates: &[&AidCandidate]) -> Option<String> {
        let first: Vec<String> = candidates
            .iter()
            .take(3)
            .map(|c| {
                let name = self.model.interventions[c.intervention_at]
                    .name
                    .get(self.lang);
                let s = self.strings;
                s.plural(
                    "summary.candidate",
                    c.operators.len() as u64,
                    &[
                        ("intervention", &name),
                        ("country", &self.country_name(&c.country)),
                        ("sector", &self.sector_name(&c.sector).to_lowercase()),
                        ("points", &s.count(c.benefit)),
                        ("cost", &s.usd(c.cost)),
                    ],
                )
            })
            .collect();
        (!first.is_empty()).then(|| {
            self.strings
                .fmt("summary.sentence", &[("text", &self.strings.list(&first))])
        })
    }

    /// The domains of an aggregate, fewest operators at target first (then lower
    /// median, lower implementation, model order).
    fn standings(&self, aggregate: &Aggregate) -> Vec<DomainStanding> {
        let mut rows: Vec<DomainStanding> = aggregate
            .domains
            .iter()
            .enumerate()
            .filter(|(_, d)| d.operators > 0)
            .map(|(i, d)| DomainStanding {
                id: d.id.clone(),
                name: self.domain_name(i),
                at_target: d.at_target,
                operators: d.operators,
                median: d.level_median,
                weakest: d.level,
                target: d.target,
                implementation: d.implementation,
            })
            .collect();
        let share = |d: &DomainStanding| d.at_target as f64 / d.operators.max(1) as f64;
        rows.sort_by(|a, b| {
            share(a)
                .total_cmp(&share(b))
                .then_with(|| a.median.cmp(&b.median))
                .then_with(|| {
                    a.implementation
                        .unwrap_or(0.0)
                        .total_cmp(&b.implementation.unwrap_or(0.0))
                })
        });
        rows
    }

    /// "What changed" for an aggregate: its panel's index and its most improved
    /// and worsened domains, with the panel's size.
    fn what_changed(&self, aggregate: &Aggregate) -> String {
        let s = self.strings;
        let (Some(t), Some(trend)) = (
            panel_trend(aggregate, self.strings),
            aggregate.trend.as_ref(),
        ) else {
            return s.get("summary.no_trend").to_owned();
        };
        let args: [(&str, &dyn std::fmt::Display); 5] = [
            ("panel", &t.panel),
            ("count", &t.operators),
            ("previous", &s.number(t.previous, 1)),
            ("current", &s.number(t.current, 1)),
            ("change", &t.trend.text),
        ];
        let mut text = if t.whole {
            s.fmt("summary.trend.whole", &args)
        } else {
            s.fmt("summary.trend.panel", &args)
        };
        let domain = |at: Option<usize>| -> Option<String> {
            let at = at?;
            let d = &trend.change.domains[at];
            let change = d.implementation.change?;
            let points = format!(
                "{}{}",
                if change >= 0.0 { "+" } else { "−" },
                s.number(100.0 * change.abs(), 0)
            );
            let name = self.domain_name(at);
            Some(match (d.level.previous, d.level.current) {
                (Some(a), Some(b)) if a != b => s.fmt(
                    "summary.trend.domain_level",
                    &[
                        ("domain", &name),
                        ("before", &a),
                        ("after", &b),
                        ("points", &points),
                    ],
                ),
                _ => s.fmt(
                    "summary.trend.domain",
                    &[("domain", &name), ("points", &points)],
                ),
            })
        };
        let mut domains = Vec::new();
        if let Some(text) = domain(trend.change.most_improved) {
            domains.push(s.fmt("summary.trend.most_improved", &[("domain", &text)]));
        }
        if let Some(text) = domain(trend.change.most_worsened) {
            domains.push(s.fmt("summary.trend.most_worsened", &[("domain", &text)]));
        }
        if !domains.is_empty() {
            text.push_str(s.get("sentence.space"));
            text.push_str(&s.fmt(
                "summary.trend.over_those",
                &[("domains", &domains.join(s.get("summary.trend.separator")))],
            ));
        }
        text
    }

    fn max_level(&self) -> u32 {
        self.model.levels.iter().map(|l| l.level).max().unwrap_or(0)
    }
}

fn level_cell(cell: Option<&AggregateDomain>) -> LevelCell {
    let median = cell.and_then(|c| c.level_median);
    let target = cell.map(|c| c.target);
    LevelCell {
        level: median,
        target,
        gap: median.zip(target).map(|(m, t)| t.saturating_sub(m)),
        implementation: cell.and_then(|c| c.implementation),
        trend: None,
        weakest: cell.and_then(|c| c.level),
        at_target: cell.filter(|c| c.level.is_some()).map(|c| c.at_target),
        operators: cell.filter(|c| c.level.is_some()).map(|c| c.operators),
    }
}

/// The change in an aggregate's index over its panel, in points.
fn panel_trend(aggregate: &Aggregate, strings: &Strings) -> Option<PanelTrend> {
    let trend = aggregate.trend.as_ref()?;
    let index = trend.change.index;
    let (previous, current, change) = (index.previous?, index.current?, index.change?);
    Some(PanelTrend {
        trend: TrendView::new_in(change, 1, strings),
        previous,
        current,
        panel: trend.panel,
        operators: trend.operators,
        whole: trend.is_whole(),
    })
}

/// "Largest gaps": the three domains with the fewest operators at target, in words.
fn largest_gaps(standings: &[DomainStanding], s: &Strings) -> Option<String> {
    let gaps: Vec<String> = standings
        .iter()
        .filter(|d| d.at_target < d.operators)
        .take(3)
        .map(|d| {
            s.plural(
                "summary.largest_gap",
                d.operators as u64,
                &[
                    ("domain", &d.name),
                    ("id", &d.id),
                    ("at", &d.at_target),
                    (
                        "median",
                        &d.median.map_or("—".to_owned(), |m| m.to_string()),
                    ),
                    ("target", &d.target),
                ],
            )
        })
        .collect();
    (!gaps.is_empty()).then(|| s.fmt("summary.sentence", &[("text", &s.list(&gaps))]))
}

/// The country's English name, or its code when unknown.
pub fn country_name(code: &str) -> String {
    iso::name(code).map_or_else(|| code.to_owned(), str::to_owned)
}

/// The country's name in `lang`, or its code when unknown.
pub fn country_name_in(code: &str, lang: Lang) -> String {
    iso::name_in(code, lang).map_or_else(|| code.to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests;
