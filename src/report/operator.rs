//! The operator page's view model: executive summary, domains against targets, the
//! radar chart, the domain × level grid, gap practices with guidance and
//! interventions, and the answers (notes and evidence left out when anonymised).

use crate::aggregate::OperatorHistory;
use crate::charts;
use crate::model::PracticeRef;
use crate::questionnaire::{AnswerSheet, Response};
use crate::render::country_page_path;
use crate::render::pages::{
    AnswerDomain, AnswerRow, Chart, EvidenceShare, GapDetail, GridCell, GridDomain, GridLevel,
    InterventionRef, OperatorDomain, OperatorHeader, OperatorPage, OperatorSummary, ResponseMark,
    Trend,
};

use super::{ReportContext, country_name};

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
    let trend = history.trend.as_ref();
    let response_of = |at: PracticeRef, practice_id: &str| -> ResponseMark {
        match sheet.and_then(|sheet| sheet.response(model.flat_index(at))) {
            Some(Response::Scale(i)) => ctx.legend.mark(&model.responses[i].id),
            Some(Response::NotApplicable) => ctx.legend.mark(crate::model::NOT_APPLICABLE),
            Some(Response::Blank) => ctx.legend.mark("unanswered"),
            None if sheet.is_some() => ctx.legend.mark("unanswered"),
            None => score
                .gaps
                .iter()
                .find(|g| g.practice == practice_id)
                .map_or_else(
                    || ctx.legend.mark("unanswered"),
                    |g| ctx.legend.mark(&g.response),
                ),
        }
    };

    let gaps: Vec<GapDetail> = score
        .gaps
        .iter()
        .enumerate()
        .filter_map(|(i, gap)| {
            let at = model.practice_ref(&gap.practice)?;
            let practice = model.practice(at);
            Some(GapDetail {
                body: ctx
                    .practice_html
                    .get(&gap.practice)
                    .cloned()
                    .unwrap_or_default(),
                rank: i + 1,
                practice: gap.practice.clone(),
                domain_id: gap.domain.clone(),
                domain_name: ctx.domain_name(&gap.domain),
                level: gap.level,
                response: ctx.legend.mark(&gap.response),
                priority: gap.priority,
                question: practice.question.get(lang).to_owned(),
                guidance: practice.guidance.get(lang).to_owned(),
                refs: practice.refs.clone(),
                interventions: practice
                    .interventions
                    .iter()
                    .filter_map(|id| model.intervention(id))
                    .map(|i| InterventionRef {
                        id: i.id.clone(),
                        name: i.name.get(lang).to_owned(),
                        kind: i.kind.as_str().to_owned(),
                        cost_usd: i.cost_usd,
                    })
                    .collect(),
            })
        })
        .collect();

    let domains: Vec<OperatorDomain> = score
        .domains
        .iter()
        .map(|d| {
            let change = trend.and_then(|t| t.domains.iter().find(|c| c.id == d.id));
            OperatorDomain {
                id: d.id.clone(),
                name: ctx.domain_name(&d.id),
                level: d.level,
                target: d.target,
                gap: d.gap,
                implementation: d.implementation,
                level_trend: change.and_then(|c| c.level.change).map(Trend::levels),
                implementation_trend: change
                    .and_then(|c| c.implementation.change)
                    .map(|delta| Trend::new(delta * 100.0, 0)),
                gap_count: score.gaps.iter().filter(|g| g.domain == d.id).count(),
            }
        })
        .collect();

    let radar = {
        let title = "Level per domain against target".to_owned();
        let chart = charts::radar::RadarChart {
            title: title.clone(),
            max_level: ctx.max_level(),
            current_name: format!("Current ({})", score.assessed_on),
            target_name: "Target".to_owned(),
            domains: score
                .domains
                .iter()
                .map(|d| charts::radar::RadarDomain {
                    id: d.id.clone(),
                    current: d.level.map(f64::from),
                    target: f64::from(d.target),
                })
                .collect(),
        };
        Chart {
            title,
            svg: charts::radar::radar(&chart),
        }
    };

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
                            response: response_of(*at, &p.id),
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
                        response: response_of(*at, &p.id),
                        note: note.map(str::to_owned),
                        evidence: evidence.to_vec(),
                    }
                })
                .collect(),
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
    let title = format!("{} — cybersecurity capability assessment", score.operator);
    OperatorPage {
        meta: ctx.meta(title, history.tlp, files),
        operator: OperatorHeader {
            name: score.operator.clone(),
            id: score.operator_id.clone(),
            country_code: score.country.clone(),
            country_name: country_name(&score.country),
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
                .map(|delta| Trend::new(delta, 1)),
            targets_met: score.targets_met,
            domains_scored: score.domains_scored,
            gap_count: gaps.len(),
            evidence,
            top_gaps,
        },
        domains,
        radar,
        grid,
        gaps,
        answers,
        notes_shown: !ctx.anonymized,
    }
}
