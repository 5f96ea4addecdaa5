//! Test fixtures shared by the aggregation, plan and confidentiality tests: the
//! mini model of `tests/fixtures/mini-model.yaml` and a builder of
//! [`QuestionnaireScore`] values, so tests state levels, implementations and gap
//! practices directly instead of writing questionnaires. Test-only; no IO.

use crate::load::load_model;
use crate::model::Model;
use crate::questionnaire::{Date, Tlp};
use crate::score::{
    DomainScore, EvidenceCoverage, GapPractice, QuestionnaireScore, ResponseCounts,
};

/// The mini test model: domains ASSET (weight 1), SITUATION (weight 2) and RAIL
/// (weight 1, rail only); power targets 2 with SITUATION 3, rail targets 2;
/// interventions `inventory` ($50k), `monitoring` ($120k), `training` ($20k).
pub(crate) fn mini_model() -> Model {
    let text = include_str!("../../tests/fixtures/mini-model.yaml");
    load_model("mini-model.yaml", text.as_bytes().to_vec()).expect("the test model is valid")
}

/// Builds one questionnaire score over the mini model.
pub(crate) struct ScoreBuilder {
    model: Model,
    score: QuestionnaireScore,
}

/// Starts a score from `"COUNTRY sector operator_id YYYY-MM-DD"`; every domain
/// starts without a level, at the sector's target.
pub(crate) fn operator(key: &str) -> ScoreBuilder {
    let parts: Vec<&str> = key.split_whitespace().collect();
    let [country, sector, operator_id, date] = parts[..] else {
        panic!("a score key is `COUNTRY sector operator_id date`, not `{key}`")
    };
    let model = mini_model();
    let sector_def = model.sector(sector).expect("a sector of the mini model");
    let domains = model
        .domains
        .iter()
        .map(|domain| DomainScore {
            level: None,
            target: sector_def.target(&domain.id),
            gap: None,
            implementation: None,
            counts: ResponseCounts {
                scale: vec![0; model.responses.len()],
                na: 0,
                unanswered: 0,
            },
        })
        .collect();
    let score = QuestionnaireScore {
        file: format!("questionnaires/{country}/{operator_id}-{date}.yaml"),
        model: model.reference(),
        country: country.to_owned(),
        sector: sector.to_owned(),
        operator: format!("{operator_id} Holdings"),
        operator_id: operator_id.to_owned(),
        assessed_on: Date::parse(date).expect("a valid date"),
        tlp: Tlp::Amber,
        weight: 1.0,
        index: None,
        targets_met: 0,
        domains_scored: 0,
        domains,
        gaps: Vec::new(),
        evidence: EvidenceCoverage::default(),
        workforce: Vec::new(),
    };
    ScoreBuilder { model, score }
}

impl ScoreBuilder {
    pub(crate) fn weight(mut self, weight: f64) -> Self {
        self.score.weight = weight;
        self
    }

    pub(crate) fn tlp(mut self, tlp: Tlp) -> Self {
        self.score.tlp = tlp;
        self
    }

    pub(crate) fn name(mut self, name: &str) -> Self {
        self.score.operator = name.to_owned();
        self
    }

    pub(crate) fn file(mut self, file: &str) -> Self {
        self.score.file = file.to_owned();
        self
    }

    fn domain_mut(&mut self, id: &str) -> &mut DomainScore {
        let d = self
            .model
            .domains
            .iter()
            .position(|d| d.id == id)
            .unwrap_or_else(|| panic!("no domain `{id}` in the mini model"));
        &mut self.score.domains[d]
    }

    /// Overrides a domain's target.
    pub(crate) fn target(mut self, domain: &str, target: u32) -> Self {
        self.domain_mut(domain).target = target;
        self
    }

    /// Sets a domain's level and implementation.
    pub(crate) fn domain(mut self, id: &str, level: u32, implementation: f64) -> Self {
        let domain = self.domain_mut(id);
        domain.level = Some(level);
        domain.implementation = Some(implementation);
        self
    }

    /// Adds a gap practice with the given priority.
    pub(crate) fn gap(mut self, practice: &str, priority: f64) -> Self {
        let at = self
            .model
            .practice_ref(practice)
            .expect("a practice of the mini model");
        let (not, _) = self
            .model
            .response("not")
            .expect("a response of the mini model");
        self.score.gaps.push(GapPractice {
            practice: at,
            level: self.model.practice(at).level,
            response: Some(not),
            priority,
        });
        self
    }

    /// Fills in gaps, index and targets met as SPEC §4 derives them.
    pub(crate) fn build(mut self) -> QuestionnaireScore {
        for domain in &mut self.score.domains {
            domain.gap = domain
                .level
                .map(|level| domain.target.saturating_sub(level));
        }
        let scored: Vec<(f64, f64)> = self
            .model
            .domains
            .iter()
            .zip(&self.score.domains)
            .filter_map(|(def, domain)| domain.implementation.map(|i| (def.weight, i)))
            .collect();
        let weights: f64 = scored.iter().map(|(w, _)| w).sum();
        self.score.index = (!scored.is_empty())
            .then(|| 100.0 * scored.iter().map(|(w, i)| w * i).sum::<f64>() / weights);
        self.score.targets_met = self
            .score
            .domains
            .iter()
            .filter(|d| d.gap == Some(0))
            .count();
        self.score.domains_scored = self
            .score
            .domains
            .iter()
            .filter(|d| d.level.is_some())
            .count();
        // Highest priority first, ties in the order given, as `score` leaves them.
        self.score
            .gaps
            .sort_by(|a, b| b.priority.total_cmp(&a.priority));
        self.score
    }
}
