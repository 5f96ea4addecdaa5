//! Scoring of one questionnaire against the model, exactly as SPEC §4: per-domain
//! level (C2M2's cumulative rule), implementation, target, gap and gap practices with
//! their priority, then the overall index and targets met. Pure: no IO, no checks
//! (the loader has already resolved every id). Scores point into the model by index
//! (domains in model order, [`PracticeRef`], response positions); ids are written
//! only when a score is serialised, through [`QuestionnaireScore::record`].

use serde::Serialize;

use crate::model::{Model, PracticeRef};
use crate::questionnaire::{Date, Questionnaire, Response, Staffing, Tlp};

mod record;
pub use record::ScoreRecord;

/// The scores of one questionnaire. Serialised through [`QuestionnaireScore::record`],
/// which writes the model's ids.
#[derive(Debug, Clone)]
pub struct QuestionnaireScore {
    pub file: String,
    pub model: String,
    pub country: String,
    pub sector: String,
    pub operator: String,
    pub operator_id: String,
    pub assessed_on: Date,
    pub tlp: Tlp,
    pub weight: f64,
    /// 0..100 over the domains with a level; `None` when no domain has one.
    pub index: Option<f64>,
    /// Domains with gap 0, out of `domains_scored`.
    pub targets_met: usize,
    /// Domains with a level.
    pub domains_scored: usize,
    /// One entry per model domain, in model order: `domains[d]` is `model.domains[d]`.
    pub domains: Vec<DomainScore>,
    /// Gap practices, highest priority first (ties in model order).
    pub gaps: Vec<GapPractice>,
    pub evidence: EvidenceCoverage,
    /// The cyber workforce per role (SPEC §9), in model role order; left out of
    /// the JSON when the questionnaire has none.
    pub workforce: Vec<Staffing>,
}

/// One domain of one questionnaire; which domain is its position in
/// [`QuestionnaireScore::domains`].
#[derive(Debug, Clone)]
pub struct DomainScore {
    /// `None` when the domain has no assessed practice.
    pub level: Option<u32>,
    pub target: u32,
    /// `target - level`, at least 0; `None` without a level.
    pub gap: Option<u32>,
    /// Weighted mean credit, 0..1; `None` without assessed practices.
    pub implementation: Option<f64>,
    pub counts: ResponseCounts,
}

/// How many applicable practices got each response, plus `na` and `unanswered`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseCounts {
    /// One count per model response, in model order: `scale[r]` is `model.responses[r]`.
    pub scale: Vec<usize>,
    pub na: usize,
    pub unanswered: usize,
}

/// An assessed practice at or below its domain's target whose response does not achieve.
#[derive(Debug, Clone)]
pub struct GapPractice {
    /// The practice; its domain is `practice.domain`.
    pub practice: PracticeRef,
    pub level: u32,
    /// The response's position in `model.responses`; `None` when unanswered.
    pub response: Option<usize>,
    pub priority: f64,
}

/// Share of achieving answers that cite evidence.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct EvidenceCoverage {
    pub achieving: usize,
    pub with_evidence: usize,
}

impl EvidenceCoverage {
    pub fn ratio(self) -> Option<f64> {
        (self.achieving > 0).then(|| self.with_evidence as f64 / self.achieving as f64)
    }
}

/// What scoring needs to know of one assessed practice.
struct Assessed {
    level: u32,
    weight: f64,
    credit: f64,
    achieves: bool,
}

/// Scores a validated questionnaire. The questionnaire's sector exists in the model.
pub fn score(model: &Model, questionnaire: &Questionnaire) -> QuestionnaireScore {
    let sector = model
        .sector(&questionnaire.sector)
        .expect("the loader checks the sector");
    let mut domains = Vec::with_capacity(model.domains.len());
    let mut gaps = Vec::new();
    let mut evidence = EvidenceCoverage::default();
    let mut assessed = Vec::new();

    for (d, domain) in model.domains.iter().enumerate() {
        let target = questionnaire
            .target_override(&domain.id)
            .unwrap_or_else(|| sector.target(&domain.id));
        let mut counts = ResponseCounts {
            scale: vec![0; model.responses.len()],
            na: 0,
            unanswered: 0,
        };
        assessed.clear();
        for (p, practice) in domain.practices.iter().enumerate() {
            if !practice.applies_to(&questionnaire.sector) {
                continue;
            }
            let at = PracticeRef {
                domain: d,
                practice: p,
            };
            let answer = questionnaire
                .answers
                .get(model.flat_index(at))
                .and_then(Option::as_ref);
            let (response, credit, achieves) = match answer.map(|a| a.response) {
                Some(Response::NotApplicable) => {
                    counts.na += 1;
                    continue;
                }
                Some(Response::Scale(r)) => {
                    counts.scale[r] += 1;
                    let def = &model.responses[r];
                    if def.achieves {
                        evidence.achieving += 1;
                        if answer.is_some_and(|a| !a.evidence.is_empty()) {
                            evidence.with_evidence += 1;
                        }
                    }
                    (Some(r), def.credit, def.achieves)
                }
                Some(Response::Blank) | None => {
                    counts.unanswered += 1;
                    (None, 0.0, false)
                }
            };
            assessed.push(Assessed {
                level: practice.level,
                weight: practice.weight,
                credit,
                achieves,
            });
            if practice.level <= target && !achieves {
                let levels_below = f64::from(target - practice.level + 1);
                gaps.push(GapPractice {
                    practice: at,
                    level: practice.level,
                    response,
                    priority: domain.weight * practice.weight * (1.0 - credit) * levels_below,
                });
            }
        }
        let level = domain_level(model, &assessed);
        let implementation = (!assessed.is_empty()).then(|| {
            let weights: f64 = assessed.iter().map(|a| a.weight).sum();
            assessed.iter().map(|a| a.weight * a.credit).sum::<f64>() / weights
        });
        domains.push(DomainScore {
            level,
            target,
            gap: level.map(|level| target.saturating_sub(level)),
            implementation,
            counts,
        });
    }

    // Highest priority first; the sort is stable, so ties keep model order.
    gaps.sort_by(|a, b| b.priority.total_cmp(&a.priority));

    let scored: Vec<(f64, f64)> = model
        .domains
        .iter()
        .zip(&domains)
        .filter_map(|(domain, score)| score.implementation.map(|i| (domain.weight, i)))
        .collect();
    let weights: f64 = scored.iter().map(|(w, _)| w).sum();
    let index = (!scored.is_empty())
        .then(|| 100.0 * scored.iter().map(|(w, i)| w * i).sum::<f64>() / weights);

    QuestionnaireScore {
        file: questionnaire.file.clone(),
        model: questionnaire.model.clone(),
        country: questionnaire.country.clone(),
        sector: questionnaire.sector.clone(),
        operator: questionnaire.operator.clone(),
        operator_id: questionnaire.operator_id.clone(),
        assessed_on: questionnaire.assessed_on,
        tlp: questionnaire.tlp,
        weight: questionnaire.weight,
        index,
        targets_met: domains.iter().filter(|d| d.gap == Some(0)).count(),
        domains_scored: domains.iter().filter(|d| d.level.is_some()).count(),
        domains,
        gaps,
        evidence,
        workforce: questionnaire.workforce.clone(),
    }
}

/// C2M2's cumulative rule: the highest level L such that every assessed practice at
/// or below L achieves and at least one assessed practice is at or below L; 0 when no
/// level qualifies; `None` when nothing is assessed.
fn domain_level(model: &Model, assessed: &[Assessed]) -> Option<u32> {
    if assessed.is_empty() {
        return None;
    }
    let qualifies = |level: u32| {
        let mut at_or_below = assessed.iter().filter(|a| a.level <= level).peekable();
        at_or_below.peek().is_some() && at_or_below.all(|a| a.achieves)
    };
    Some(
        model
            .levels
            .iter()
            .map(|l| l.level)
            .filter(|&level| qualifies(level))
            .max()
            .unwrap_or(0),
    )
}

#[cfg(test)]
mod tests;
