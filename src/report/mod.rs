//! The report's page builder: turns the portfolio (aggregates, histories, the aid
//! plan) and, for operator pages, the re-read questionnaire into the view models of
//! `crate::render::pages`, with their charts. Pure: no IO; the `report` command reads
//! files and writes pages.

mod country;
mod operator;
mod portfolio;

use std::collections::HashMap;

pub use country::country_page;
pub use operator::operator_page;
pub use portfolio::{RunFacts, portfolio_page};

use crate::aggregate::{Aggregate, AggregateDomain, OperatorHistory, Portfolio};
use crate::charts;
use crate::country as iso;
use crate::load::Region;
use crate::model::Model;
use crate::plan::{AidCandidate, AidPlan};
use crate::questionnaire::Tlp;
use crate::render::pages::{
    CandidateRow, Chart, DomainChange, DomainColumn, InterventionRef, LevelCell, ModelLegend,
    PageMeta, PanelTrend, PracticeText, Provenance, TlpBanner, Trend,
};
use crate::render::{country_page_path, operator_page_path};

/// What every page of one report shares.
pub struct ReportContext<'a> {
    pub model: &'a Model,
    pub portfolio: &'a Portfolio,
    pub regions: &'a [Region],
    pub plan: &'a AidPlan,
    pub lang: &'a str,
    pub anonymized: bool,
    /// `YYYY-MM-DD`.
    pub generated_on: String,
    /// Sentences on what the run left out (e.g. by `--tlp-max`), for every page.
    pub notices: Vec<String>,
    pub legend: ModelLegend,
    /// Each practice's text as HTML (`practice.hbs`), rendered once per report.
    pub practice_html: HashMap<String, String>,
    /// Operator page path by (country, sector, operator id).
    pages: HashMap<(String, String, String), String>,
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
        // Operator ids are unique within a country and sector; where one is used in
        // several, its pages are told apart by country and sector.
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for operator in &portfolio.operators {
            *uses
                .entry(operator.current.operator_id.as_str())
                .or_default() += 1;
        }
        let pages = portfolio
            .operators
            .iter()
            .map(|o| {
                let s = &o.current;
                let stem = if uses[s.operator_id.as_str()] > 1 {
                    format!(
                        "{}-{}-{}",
                        s.operator_id,
                        s.country.to_ascii_lowercase(),
                        s.sector
                    )
                } else {
                    s.operator_id.clone()
                };
                (
                    (s.country.clone(), s.sector.clone(), s.operator_id.clone()),
                    operator_page_path(&stem),
                )
            })
            .collect();
        ReportContext {
            model,
            portfolio,
            regions,
            plan,
            lang,
            anonymized,
            generated_on,
            notices,
            legend: ModelLegend::new(model, lang),
            practice_html: HashMap::new(),
            pages,
        }
    }

    /// The text of every practice, to render once with `practice.hbs`.
    pub fn practice_texts(&self) -> Vec<(String, PracticeText)> {
        self.model
            .practices()
            .map(|(_, practice)| {
                let text = PracticeText {
                    question: practice.question.get(self.lang).to_owned(),
                    guidance: practice.guidance.get(self.lang).to_owned(),
                    refs: practice.refs.clone(),
                    interventions: practice
                        .interventions
                        .iter()
                        .filter_map(|id| self.model.intervention(id))
                        .map(|i| InterventionRef {
                            id: i.id.clone(),
                            name: i.name.get(self.lang).to_owned(),
                            kind: i.kind.as_str().to_owned(),
                            cost_usd: i.cost_usd,
                        })
                        .collect(),
                };
                (practice.id.clone(), text)
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
            tlp: TlpBanner::new(tlp),
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

    fn domain_name(&self, id: &str) -> String {
        self.model
            .domain(id)
            .map_or_else(|| id.to_owned(), |d| d.name.get(self.lang).to_owned())
    }

    fn sector_name(&self, id: &str) -> String {
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
                    .filter(|g| c.practices.contains(&g.practice))
                    .count()
            })
            .sum();
        CandidateRow {
            rank: c.rank,
            country_code: c.country.clone(),
            country_name: country_name(&c.country),
            country_page: country_page_path(&c.country),
            sector_name: self.sector_name(&c.sector),
            intervention_id: c.intervention.clone(),
            intervention_name: self.model.intervention(&c.intervention).map_or_else(
                || c.intervention_name.clone(),
                |i| i.name.get(self.lang).to_owned(),
            ),
            kind: c.kind.as_str().to_owned(),
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
        self.model
            .domains
            .iter()
            .map(|domain| level_cell(aggregate.domain(&domain.id)))
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
    ) -> Vec<DomainChange> {
        let mut rows: Vec<&crate::aggregate::DomainChange> = change
            .domains
            .iter()
            .filter(|d| {
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
        rows.sort_by(|a, b| {
            let (a, b) = (key(a), key(b));
            if improved {
                b.total_cmp(&a)
            } else {
                a.total_cmp(&b)
            }
        });
        rows.into_iter()
            .map(|d| DomainChange {
                scope: scope.to_owned(),
                scope_page: scope_page.clone(),
                domain_id: d.id.clone(),
                domain_name: self.domain_name(&d.id),
                level_before: d.level.previous,
                level_now: d.level.current,
                panel: panel.map(|p| p.0),
                operators: panel.map(|p| p.1),
                level_trend: d.level.change.map(Trend::levels),
                implementation_trend: d
                    .implementation
                    .change
                    .map(|delta| Trend::new(delta * 100.0, 0)),
            })
            .collect()
    }

    /// The domain-levels chart of an aggregate against its targets.
    fn levels_chart(&self, title: String, aggregate: &Aggregate) -> Chart {
        let rows = aggregate
            .domains
            .iter()
            .map(|d| {
                // The panel's previous level is comparable with the aggregate's
                // current one only when the panel is every member.
                let previous = aggregate
                    .trend
                    .as_ref()
                    .filter(|t| t.is_whole())
                    .and_then(|t| t.change.domains.iter().find(|c| c.id == d.id))
                    .and_then(|c| c.level.previous)
                    .map(f64::from);
                charts::bars::DomainLevelRow {
                    label: d.id.clone(),
                    current: d.level.map(f64::from),
                    target: f64::from(d.target),
                    previous,
                }
            })
            .collect();
        let chart = charts::bars::DomainLevels {
            title: title.clone(),
            max_level: self.max_level(),
            rows,
        };
        Chart {
            title,
            svg: charts::bars::domain_levels(&chart),
        }
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
            for (d, domain) in score.domains.iter().enumerate() {
                let Some(row) = counts.get_mut(d) else {
                    continue;
                };
                for (i, (_, n)) in domain.counts.scale.iter().enumerate().take(responses) {
                    row[i] += *n as f64;
                }
                row[responses] += domain.counts.na as f64;
                row[responses + 1] += domain.counts.unanswered as f64;
            }
        }
        let chart = charts::stacked::Stacked {
            title: title.clone(),
            value_name: "Practices (operator × practice answers)".to_owned(),
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
            svg: charts::stacked::stacked(&chart),
        }
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
fn panel_trend(aggregate: &Aggregate) -> Option<PanelTrend> {
    let trend = aggregate.trend.as_ref()?;
    let index = trend.change.index;
    let (previous, current, change) = (index.previous?, index.current?, index.change?);
    Some(PanelTrend {
        trend: Trend::new(change, 1),
        previous,
        current,
        panel: trend.panel,
        operators: trend.operators,
        whole: trend.is_whole(),
    })
}

/// The country's name, or its code when unknown.
pub fn country_name(code: &str) -> String {
    iso::name(code).map_or_else(|| code.to_owned(), str::to_owned)
}
