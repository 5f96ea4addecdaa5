//! The portfolio pipeline shared by `score --aggregates`, `plan` and `report`:
//! score every file, leave out what `--tlp-max` excludes, drop duplicate rounds,
//! apply `--anonymize`, then aggregate. Prints the run summary, which says what was
//! left out and why.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::aggregate::{Portfolio, aggregate, drop_duplicate_rounds};
use crate::cli::ConfidentialityArgs;
use crate::confidential::{Pseudonyms, WithheldScore, anonymize, filter_tlp};
use crate::load::{self, Region};
use crate::questionnaire::{AnswerSheet, legacy_id_matches};
use crate::score::QuestionnaireScore;

use super::{BatchSummary, Context, Outcome, for_each_file};
use crate::score::score;

/// (country, sector, operator id, assessment date).
pub type SourceKey = (String, String, String, crate::questionnaire::Date);

/// Everything after scoring and aggregation.
pub struct Prepared {
    pub portfolio: Portfolio,
    pub regions: Vec<Region>,
    /// Questionnaires left out by `--tlp-max`.
    pub withheld: Vec<WithheldScore>,
    /// Real id → pseudonym, when anonymizing.
    pub pseudonyms: Option<Pseudonyms>,
    /// The answers of each operator's current round, by (country, sector, operator
    /// id as in the portfolio, date); kept only when asked for (`report`).
    pub sheets: HashMap<SourceKey, AnswerSheet>,
    /// Each score's position among the inputs (`None` when anonymizing: the order of
    /// the files would hint at the names behind the pseudonyms).
    pub input_order: Option<HashMap<SourceKey, usize>>,
    /// Invalid files and duplicate rounds, one line each (first error).
    pub excluded: Vec<String>,
    pub files: usize,
    pub outcome: Outcome,
}

/// Scores, filters, anonymizes and aggregates the questionnaires under `paths`.
/// With `keep_answers`, each questionnaire's answers are kept in compact form for
/// the operator pages (without notes, evidence or assessor when anonymizing).
pub fn prepare(
    context: &Context,
    paths: &[PathBuf],
    confidentiality: &ConfidentialityArgs,
    verb: &str,
    keep_answers: bool,
) -> Prepared {
    let mut summary = BatchSummary::default();
    let mut scores: Vec<QuestionnaireScore> = Vec::new();
    let mut sheets: HashMap<SourceKey, AnswerSheet> = HashMap::new();
    let details = !confidentiality.anonymize;
    let process = |model: &crate::model::Model,
                   questionnaire: &crate::questionnaire::Questionnaire| {
        let sheet = keep_answers.then(|| AnswerSheet::new(model, questionnaire, details));
        (score(model, questionnaire), sheet)
    };
    for_each_file(context, paths, process, |item| {
        if let Some((score, sheet)) = summary.take(context, item) {
            if let Some(sheet) = sheet {
                sheets.insert(key_of(&score), sheet);
            }
            scores.push(score);
        }
    });

    let withheld = match confidentiality.tlp_max {
        Some(max) => {
            let (kept, withheld) = filter_tlp(scores, max);
            scores = kept;
            withheld
        }
        None => Vec::new(),
    };
    match_legacy_ids(context, &mut scores, &mut sheets, confidentiality.anonymize);
    let (scores, duplicates) = drop_duplicate_rounds(scores);
    for duplicate in &duplicates {
        context.print(duplicate);
        summary.excluded.push(duplicate.to_string());
    }
    summary.processed -= duplicates.len().min(summary.processed);
    let input_order = (!confidentiality.anonymize).then(|| {
        scores
            .iter()
            .enumerate()
            .map(|(i, s)| (key_of(s), i))
            .collect()
    });
    let (scores, pseudonyms) = if confidentiality.anonymize {
        let (scores, pseudonyms) = anonymize(scores);
        sheets = sheets
            .into_iter()
            .map(|((country, sector, id, date), sheet)| {
                let id = pseudonyms
                    .id(&country, &sector, &id)
                    .map_or(id, str::to_owned);
                ((country, sector, id, date), sheet)
            })
            .collect();
        (scores, Some(pseudonyms))
    } else {
        (scores, None)
    };
    let regions = load::load_regions("<built-in regions>", load::DEFAULT_REGIONS)
        .expect("the built-in regions are valid");
    let (portfolio, _) = aggregate(&context.model, &regions, scores);
    // Only current rounds get a page.
    let current: std::collections::HashSet<SourceKey> =
        portfolio.current_scores().map(key_of).collect();
    sheets.retain(|key, _| current.contains(key));

    let outcome = summary.finish(context, verb);
    if !withheld.is_empty() {
        let max = confidentiality
            .tlp_max
            .map(|t| t.label())
            .unwrap_or_default();
        eprintln!(
            "left out {} questionnaire(s) marked above {max} (--tlp-max)",
            withheld.len()
        );
        if !confidentiality.anonymize && !context.global.quiet {
            for w in &withheld {
                eprintln!("  {} ({})", w.file, w.tlp.label());
            }
        }
    }
    Prepared {
        portfolio,
        regions,
        withheld,
        pseudonyms,
        sheets,
        input_order,
        excluded: summary.excluded,
        files: summary.total,
        outcome,
    }
}

impl Prepared {
    /// Every round of every operator, in the order `score` prints them: input order,
    /// or by operator (portfolio order, oldest round first) when anonymizing.
    pub fn all_scores(&self) -> Vec<&QuestionnaireScore> {
        let mut all: Vec<&QuestionnaireScore> = self
            .portfolio
            .operators
            .iter()
            .flat_map(|o| o.earlier.iter().chain(std::iter::once(&o.current)))
            .collect();
        if let Some(order) = &self.input_order {
            all.sort_by_cached_key(|s| order.get(&key_of(s)).copied().unwrap_or(usize::MAX));
        }
        all
    }
}

/// Gives a round whose default id changed with transliteration the old id, when
/// earlier rounds of the operator carry that one (see [`legacy_id_matches`]), and
/// says so: the file should name its `operator_id` (anonymised: without naming it).
fn match_legacy_ids(
    context: &Context,
    scores: &mut [QuestionnaireScore],
    sheets: &mut HashMap<SourceKey, AnswerSheet>,
    anonymize: bool,
) {
    let rounds: Vec<_> = scores
        .iter()
        .map(|s| {
            (
                s.country.as_str(),
                s.sector.as_str(),
                s.operator.as_str(),
                s.operator_id.as_str(),
            )
        })
        .collect();
    let matches = legacy_id_matches(&rounds);
    if anonymize && !matches.is_empty() {
        context.note(&format!(
            "warning: {} round(s) without operator_id matched to earlier rounds by the id older capgap \
versions derived from the name\n  = help: run without --anonymize to see which files should name their operator_id",
            matches.len()
        ));
    }
    for (i, old) in matches {
        let score = &mut scores[i];
        if !anonymize {
            context.note(&format!(
            "warning: {}: operator `{}` has no operator_id; matched to its earlier rounds by `{old}`, \
the id older capgap versions derived from the name (now `{}`)\n  = help: add `operator_id: {old}` to the file",
            score.file, score.operator, score.operator_id
            ));
        }
        let sheet = sheets.remove(&key_of(score));
        score.operator_id = old;
        if let Some(sheet) = sheet {
            sheets.insert(key_of(score), sheet);
        }
    }
}

fn key_of(score: &QuestionnaireScore) -> SourceKey {
    (
        score.country.clone(),
        score.sector.clone(),
        score.operator_id.clone(),
        score.assessed_on,
    )
}
