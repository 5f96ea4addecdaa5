//! The operator page's view model. A first page that stands alone: the summary in
//! words (standing, what to fix first, what changed, against sector peers), key
//! figures, domains against target and the top gap practices; then the evidence
//! (implementation radar with the previous round, levels against target, against
//! sector peers, practices by level and response, the domain × level grid); then,
//! as appendices, every gap practice with guidance and interventions and every
//! answer (notes and evidence left out when anonymised).

use serde::Serialize;

use super::paths::country_page_path;
use super::view::{Chart, InterventionRef, PageMeta, ResponseMark, SummaryPoint, TrendView};
use crate::aggregate::OperatorHistory;
use crate::charts;
use crate::model::PracticeRef;
use crate::questionnaire::{AnswerSheet, Response};

use super::ReportContext;

/// How many gap practices the executive summary lists.
const TOP_GAPS: usize = 5;

/// The page of one operator. `sheet` holds its current round's answers; without
/// it the grid and answers show what the scores hold.
pub fn operator_page(
    ctx: &ReportContext<'_>,
    history: &OperatorHistory,
    sheet: Option<&AnswerSheet>,
) -> OperatorPage {
    let score = &history.current;
    let model = ctx.model;
    let lang = ctx.lang;
    let s = ctx.strings;
    let trend = history.trend.as_ref();
    let response_of = |at: PracticeRef| -> ResponseMark {
        match sheet.and_then(|sheet| sheet.response(model.flat_index(at))) {
            Some(response) => ctx.legend.mark(response),
            None if sheet.is_some() => ctx.legend.mark(Response::Blank),
            None => ctx.legend.mark(
                score
                    .gaps
                    .iter()
                    .find(|g| g.practice == at)
                    .map_or(Response::Blank, |g| Response::of_scale(g.response)),
            ),
        }
    };

    let gaps: Vec<GapDetail> = score
        .gaps
        .iter()
        .enumerate()
        .map(|(i, gap)| {
            let practice = model.practice(gap.practice);
            let domain = &model.domains[gap.practice.domain];
            GapDetail {
                body: ctx
                    .practice_html
                    .get(model.flat_index(gap.practice))
                    .cloned()
                    .unwrap_or_default(),
                rank: i + 1,
                practice: practice.id.clone(),
                domain_id: domain.id.clone(),
                domain_name: domain.name.get(lang).to_owned(),
                level: gap.level,
                response: ctx.legend.mark(Response::of_scale(gap.response)),
                priority: gap.priority,
                question: practice.question.get(lang).to_owned(),
                guidance: practice.guidance.get(lang).to_owned(),
                refs: practice.refs.clone(),
                interventions: model
                    .interventions_of(gap.practice)
                    .map(|i| InterventionRef {
                        id: i.id.clone(),
                        name: i.name.get(lang).to_owned(),
                        kind: ctx.kind_name(i.kind),
                        cost_usd: i.cost_usd,
                    })
                    .collect(),
            }
        })
        .collect();

    // Sector peers: the other current operators of the same sector, every country.
    let (peer_count, peer_means) = ctx.sector_peers(score);
    let peer_mean = |d: usize| peer_means.get(d).copied().flatten();
    let domains: Vec<OperatorDomain> = model
        .domains
        .iter()
        .zip(&score.domains)
        .enumerate()
        .map(|(i, (def, d))| {
            let change = trend.map(|t| &t.domains[i]);
            OperatorDomain {
                id: def.id.clone(),
                name: def.name.get(lang).to_owned(),
                level: d.level,
                target: d.target,
                gap: d.gap,
                implementation: d.implementation,
                level_trend: change.and_then(|c| c.level.change).map(TrendView::levels),
                implementation_trend: change
                    .and_then(|c| c.implementation.change)
                    .map(|delta| TrendView::new(delta * 100.0, 0)),
                gap_count: score.gaps.iter().filter(|g| g.practice.domain == i).count(),
                peer_implementation: peer_mean(i),
                previous_implementation: change.and_then(|c| c.implementation.previous),
            }
        })
        .collect();

    let previous_on = history.previous_on.map(|d| d.to_string());
    let radar = {
        let title = s.get("chart.radar.title").to_owned();
        let chart = charts::radar::RadarChart {
            title: title.clone(),
            max_level: 4,
            current_name: s.fmt(
                "chart.current_round",
                &[("date", &s.date(&score.assessed_on.to_string()))],
            ),
            target_name: None,
            previous_name: previous_on
                .as_ref()
                .map(|d| s.fmt("chart.previous_round", &[("date", &s.date(d))])),
            ring_labels: [0.0, 0.25, 0.5, 0.75, 1.0].map(|r| s.pct(r, 0)).to_vec(),
            domains: domains
                .iter()
                .map(|d| charts::radar::RadarDomain {
                    id: d.id.clone(),
                    current: d.level.and(d.implementation).map(|i| 4.0 * i),
                    target: 0.0,
                    previous: d.previous_implementation.map(|i| 4.0 * i),
                    value_text: d.implementation.map(|i| s.pct(i, 0)),
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::radar::radar(&chart, s),
        }
    };
    let levels_chart = {
        let title = s.get("chart.levels.title").to_owned();
        let chart = charts::bars::DomainLevels {
            title: title.clone(),
            max_level: ctx.max_level(),
            rows: domains
                .iter()
                .enumerate()
                .map(|(i, d)| charts::bars::DomainLevelRow {
                    label: d.id.clone(),
                    current: d.level.map(f64::from),
                    target: f64::from(d.target),
                    previous: trend
                        .and_then(|t| t.domains[i].level.previous)
                        .map(f64::from),
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::bars::domain_levels(&chart, s),
        }
    };
    let peers_chart = (peer_count > 0).then(|| {
        let title = s.plural(
            "chart.peers.title",
            peer_count as u64,
            &[("sector", &ctx.sector_name(&score.sector).to_lowercase())],
        );
        let chart = charts::arrows::Arrows {
            title: title.clone(),
            value_name: s.get("chart.implementation_pct").to_owned(),
            max_value: Some(100.0),
            from_name: s.get("chart.peers.from").to_owned(),
            to_name: s.get("chart.peers.to").to_owned(),
            decimals: 1,
            rows: domains
                .iter()
                .filter_map(|d| {
                    Some(charts::arrows::ArrowRow {
                        label: d.id.clone(),
                        from: 100.0 * d.peer_implementation?,
                        to: 100.0 * d.level.and(d.implementation)?,
                    })
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::arrows::arrows(&chart, s),
        }
    });

    let mut grid = Vec::with_capacity(model.domains.len());
    let mut answers = Vec::with_capacity(model.domains.len());
    for (d, domain) in model.domains.iter().enumerate() {
        let applicable: Vec<(PracticeRef, &crate::model::Practice)> = domain
            .practices
            .iter()
            .enumerate()
            .filter(|(_, p)| p.applies_to(&score.sector))
            .map(|(p, practice)| {
                (
                    PracticeRef {
                        domain: d,
                        practice: p,
                    },
                    practice,
                )
            })
            .collect();
        grid.push(GridDomain {
            id: domain.id.clone(),
            name: domain.name.get(lang).to_owned(),
            levels: model
                .levels
                .iter()
                .map(|level| GridLevel {
                    level: level.level,
                    cells: applicable
                        .iter()
                        .filter(|(_, p)| p.level == level.level)
                        .map(|(at, p)| GridCell {
                            practice: p.id.clone(),
                            response: response_of(*at),
                        })
                        .collect(),
                })
                .collect(),
        });
        answers.push(AnswerDomain {
            id: domain.id.clone(),
            name: domain.name.get(lang).to_owned(),
            answers: applicable
                .iter()
                .map(|(at, p)| {
                    let (note, evidence) = match sheet.filter(|_| !ctx.anonymized) {
                        Some(sheet) => sheet.details(model.flat_index(*at)),
                        None => (None, &[][..]),
                    };
                    AnswerRow {
                        practice: p.id.clone(),
                        level: p.level,
                        question: p.question.get(lang).to_owned(),
                        response: response_of(*at),
                        note: note.map(str::to_owned),
                        evidence: evidence.to_vec(),
                    }
                })
                .collect(),
        });
    }

    let practices_chart = {
        let title = s.get("chart.practices_by_level.title").to_owned();
        let legend = &ctx.legend.responses;
        let rows = grid
            .iter()
            .flat_map(|g| {
                g.levels
                    .iter()
                    .filter(|l| !l.cells.is_empty())
                    .map(move |l| charts::stacked::StackedRow {
                        label: s.fmt(
                            "chart.domain_level_row",
                            &[("domain", &g.id), ("level", &l.level)],
                        ),
                        values: legend
                            .iter()
                            .map(|mark| {
                                l.cells.iter().filter(|c| c.response.id == mark.id).count() as f64
                            })
                            .collect(),
                    })
            })
            .collect();
        let chart = charts::stacked::Stacked {
            title: title.clone(),
            value_name: s.get("chart.practices").to_owned(),
            unit: charts::stacked::Unit::Count,
            series: legend.iter().map(|m| m.label.clone()).collect(),
            neutral_tail: 2,
            rows,
        };
        Chart {
            title,
            svg: charts::stacked::stacked(&chart, s),
        }
    };

    let mut summary_points = Vec::new();
    let below: Vec<String> = domains
        .iter()
        .filter(|d| d.gap.is_some_and(|g| g > 0))
        .map(|d| d.id.clone())
        .collect();
    summary_points.push(SummaryPoint {
        heading: s.get("summary.standing").to_owned(),
        text: {
            let index = score.index.map_or("—".to_owned(), |i| s.number(i, 1));
            let args: [(&str, &dyn std::fmt::Display); 4] = [
                ("index", &index),
                ("met", &score.targets_met),
                ("count", &score.domains_scored),
                ("below", &s.list(&below)),
            ];
            if below.is_empty() {
                s.fmt("summary.operator.standing", &args)
            } else {
                s.fmt("summary.operator.standing_below", &args)
            }
        },
    });
    let fixes: Vec<String> = gaps
        .iter()
        .take(3)
        .map(|g| {
            let args: [(&str, &dyn std::fmt::Display); 3] = [
                ("practice", &g.practice),
                ("domain", &g.domain_name),
                ("level", &g.level),
            ];
            match g.interventions.first() {
                Some(i) => {
                    let mut args = args.to_vec();
                    args.push(("intervention", &i.name));
                    s.fmt("summary.operator.fix_via", &args)
                }
                None => s.fmt("summary.operator.fix", &args),
            }
        })
        .collect();
    if !fixes.is_empty() {
        summary_points.push(SummaryPoint {
            heading: s.get("operator.heading.fix_first").to_owned(),
            text: s.plural(
                "summary.operator.fixes",
                gaps.len() as u64,
                &[("fixes", &s.list(&fixes))],
            ),
        });
    }
    summary_points.push(SummaryPoint {
        heading: s.get("portfolio.heading.changes").to_owned(),
        text: match (trend, &previous_on) {
            (Some(t), Some(on)) => {
                let (a, b) = (t.index.previous, t.index.current);
                let mut text = match (a, b) {
                    (Some(a), Some(b)) => s.fmt(
                        "summary.operator.index_change",
                        &[
                            ("date", &s.date(on)),
                            ("previous", &s.number(a, 1)),
                            ("current", &s.number(b, 1)),
                            ("change", &TrendView::new_in(b - a, 1, s).text),
                        ],
                    ),
                    _ => s.fmt("summary.operator.previous_round", &[("date", &s.date(on))]),
                };
                let named = |at: Option<usize>| at.map(|d| ctx.domain_name(d));
                if let Some(d) = named(t.most_improved) {
                    text.push_str(s.get("sentence.space"));
                    text.push_str(&s.fmt("summary.operator.most_improved", &[("domain", &d)]));
                }
                if let Some(d) = named(t.most_worsened) {
                    text.push_str(s.get("sentence.space"));
                    text.push_str(&s.fmt("summary.operator.most_worsened", &[("domain", &d)]));
                }
                text
            }
            _ => s.get("summary.operator.first_round").to_owned(),
        },
    });
    if peer_count > 0 {
        let ahead = domains
            .iter()
            .filter(|d| {
                d.level.is_some()
                    && d.implementation
                        .zip(d.peer_implementation)
                        .is_some_and(|(a, b)| a > b)
            })
            .count();
        let compared = domains
            .iter()
            .filter(|d| d.level.is_some() && d.peer_implementation.is_some())
            .count();
        summary_points.push(SummaryPoint {
            heading: s.get("summary.peers").to_owned(),
            text: s.plural(
                "summary.operator.peers",
                peer_count as u64,
                &[
                    ("sector", &ctx.sector_name(&score.sector).to_lowercase()),
                    ("ahead", &ahead),
                    ("compared", &compared),
                ],
            ),
        });
    }

    let evidence = EvidenceShare {
        achieving: score.evidence.achieving,
        with_evidence: score.evidence.with_evidence,
        share: score.evidence.ratio(),
    };
    // The summary prints the fields; the full list prints the pre-rendered body,
    // so its copies of the model text are left out of the page data.
    let top_gaps: Vec<GapDetail> = gaps.iter().take(TOP_GAPS).cloned().collect();
    let gaps: Vec<GapDetail> = gaps
        .into_iter()
        .map(|gap| GapDetail {
            question: String::new(),
            guidance: String::new(),
            refs: Vec::new(),
            interventions: Vec::new(),
            ..gap
        })
        .collect();
    let files = ctx.files_of(std::iter::once(history));
    let title = s.fmt("operator.title", &[("operator", &score.operator)]);
    OperatorPage {
        meta: ctx.meta(title, history.tlp, files),
        operator: OperatorHeader {
            name: score.operator.clone(),
            id: score.operator_id.clone(),
            country_code: score.country.clone(),
            country_name: ctx.country_name(&score.country),
            country_page: country_page_path(&score.country),
            sector_name: ctx.sector_name(&score.sector),
            assessed_on: score.assessed_on.to_string(),
            previous_assessed_on: history.previous_on.map(|d| d.to_string()),
            assessor: sheet
                .and_then(|sheet| sheet.assessor.clone())
                .filter(|_| !ctx.anonymized),
        },
        summary: OperatorSummary {
            index: score.index,
            index_trend: trend
                .and_then(|t| t.index.change)
                .map(|delta| TrendView::new_in(delta, 1, s)),
            targets_met: score.targets_met,
            domains_scored: score.domains_scored,
            gap_count: gaps.len(),
            evidence,
            top_gaps,
        },
        summary_points,
        domains,
        radar,
        levels_chart,
        peers_chart,
        practices_chart,
        grid,
        gaps,
        answers,
        notes_shown: !ctx.anonymized,
        people: super::workforce::operator_people(ctx, history),
    }
}

// The page's view model, rendered by `crate::render`.

/// One operator's current assessment round.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorPage {
    pub meta: PageMeta,
    pub operator: OperatorHeader,
    pub summary: OperatorSummary,
    /// The first page in words: standing, fix first, what changed, against peers.
    pub summary_points: Vec<SummaryPoint>,
    /// Every domain of the model, in model order.
    pub domains: Vec<OperatorDomain>,
    /// Radar chart: implementation per domain, with the previous round. The page
    /// prints `domains` as its table.
    pub radar: Chart,
    /// Level per domain against target, with the previous round.
    pub levels_chart: Chart,
    /// Implementation against the mean of the sector's other operators; `None`
    /// when the operator has no sector peer.
    pub peers_chart: Option<Chart>,
    /// Practices by level and response, per domain (stacked bars).
    pub practices_chart: Chart,
    /// The domain × level grid, a cell per applicable practice.
    pub grid: Vec<GridDomain>,
    /// Every gap practice, highest priority first.
    pub gaps: Vec<GapDetail>,
    /// The answers, by domain in model order.
    pub answers: Vec<AnswerDomain>,
    /// False when anonymised: notes, evidence and the assessor are left out and
    /// the page says so.
    pub notes_shown: bool,
    /// Its people per cyber role (SPEC §9); `None` without a `workforce` section.
    pub people: Option<crate::report::workforce::OperatorPeople>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperatorHeader {
    /// The name (a pseudonym when anonymised).
    pub name: String,
    pub id: String,
    pub country_code: String,
    pub country_name: String,
    pub country_page: String,
    pub sector_name: String,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// The previous round's date, when there is one.
    pub previous_assessed_on: Option<String>,
    /// `None` when absent or anonymised.
    pub assessor: Option<String>,
}

/// The executive summary, printed on the first A4 page.
#[derive(Debug, Clone, Serialize)]
pub struct OperatorSummary {
    /// 0..100.
    pub index: Option<f64>,
    /// Change in index since the previous round, in points.
    pub index_trend: Option<TrendView>,
    pub targets_met: usize,
    pub domains_scored: usize,
    /// The number of gap practices.
    pub gap_count: usize,
    pub evidence: EvidenceShare,
    /// The first five entries of `OperatorPage::gaps`.
    pub top_gaps: Vec<GapDetail>,
}

/// Share of achieving answers that cite evidence.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceShare {
    pub achieving: usize,
    pub with_evidence: usize,
    /// `with_evidence / achieving`; `None` when nothing achieves.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OperatorDomain {
    pub id: String,
    pub name: String,
    pub level: Option<u32>,
    pub target: u32,
    pub gap: Option<u32>,
    /// 0..1.
    pub implementation: Option<f64>,
    /// Change in level since the previous round.
    pub level_trend: Option<TrendView>,
    /// Change in implementation since the previous round, in percentage points.
    pub implementation_trend: Option<TrendView>,
    /// The number of gap practices in the domain.
    pub gap_count: usize,
    /// Mean implementation of the sector's other current operators with a level here.
    pub peer_implementation: Option<f64>,
    /// Implementation in the previous round.
    pub previous_implementation: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridDomain {
    pub id: String,
    pub name: String,
    /// One entry per model level, lowest first (empty `cells` when the domain has
    /// no applicable practice at that level).
    pub levels: Vec<GridLevel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridLevel {
    pub level: u32,
    pub cells: Vec<GridCell>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridCell {
    pub practice: String,
    pub response: ResponseMark,
}

/// A gap practice with what it takes to close it.
#[derive(Debug, Clone, Serialize)]
pub struct GapDetail {
    /// 1-based, by priority.
    pub rank: usize,
    pub practice: String,
    pub domain_id: String,
    pub domain_name: String,
    pub level: u32,
    pub response: ResponseMark,
    pub priority: f64,
    pub question: String,
    /// What a fully implemented answer looks like; may be empty.
    pub guidance: String,
    /// References to other frameworks (`CSF 2.0 ID.AM-01`).
    pub refs: Vec<String>,
    pub interventions: Vec<InterventionRef>,
    /// The question, guidance, interventions and refs as HTML, rendered once per
    /// practice per report from `practice.hbs` (already escaped); the full gap list
    /// prints this, the executive summary the fields above.
    pub body: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerDomain {
    pub id: String,
    pub name: String,
    pub answers: Vec<AnswerRow>,
}

/// One applicable practice and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct AnswerRow {
    pub practice: String,
    pub level: u32,
    pub question: String,
    pub response: ResponseMark,
    /// `None` when absent or anonymised.
    pub note: Option<String>,
    /// Empty when absent or anonymised.
    pub evidence: Vec<String>,
}

// ---------------------------------------------------------------------------
// Country page: `countries/<CC>.html`.
