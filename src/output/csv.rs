//! Every CSV capgap writes, and the rule they share (SPEC §10): a file written to
//! disk begins with a UTF-8 byte-order mark, so spreadsheets read accented names
//! right (standard output has none); no cell begins with `=`, `+`, `-`, `@`, a tab
//! or a carriage return unless it is a number — such text gets a leading `'`, so a
//! spreadsheet shows it instead of running it as a formula. Numbers follow
//! [`super::number`].
//!
//! The documents: `score --format csv` and `scores.csv` (one row per questionnaire
//! and domain), `gaps.csv` (one row per gap practice of a current round),
//! `plan.csv` / `plan --format csv` (one row per candidate), `score --aggregates
//! --format csv` (one row per aggregate and domain), `workforce.csv` (one row per
//! aggregate and reported role, with the training plan where there is one), and the
//! one-row-per-questionnaire table of `capgap.xlsx`'s Scores sheet.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use super::{number, optional_number};
use crate::aggregate::{Aggregate, Portfolio, Scope};
use crate::model::Model;
use crate::plan::AidPlan;
use crate::score::QuestionnaireScore;
use crate::workforce::Workforce;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What goes before a CSV written to `path` (`None`: standard output): the mark for
/// a file, nothing for standard output or a device such as `/dev/stdout`.
pub fn preamble(path: Option<&Path>) -> &'static [u8] {
    match path {
        Some(path) if !std::fs::metadata(path).is_ok_and(|m| !m.is_file()) => BOM,
        _ => b"",
    }
}

/// A cell as it may be written: text that a spreadsheet would take for a formula
/// gets a leading `'`; numbers (`-5`, `+1.5e3`) are left alone.
pub fn cell(text: &str) -> Cow<'_, str> {
    let risky = text
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !text.parse::<f64>().is_ok_and(f64::is_finite) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// CSV rows written to `W` (in memory by default), every cell through [`cell`].
pub struct Rows<W: Write = Vec<u8>> {
    writer: csv::Writer<W>,
}

impl Default for Rows {
    fn default() -> Self {
        Rows::new(Vec::new())
    }
}

impl<W: Write> Rows<W> {
    pub fn new(out: W) -> Self {
        Rows {
            writer: csv::Writer::from_writer(out),
        }
    }

    pub fn row<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for c in cells {
            self.writer.write_field(cell(c.as_ref()).as_bytes())?;
        }
        // An empty record after the fields ends the row.
        self.writer.write_record(None::<&[u8]>)
    }

    /// Flushes the rows and gives the writer back.
    pub fn into_inner(self) -> csv::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error().into())
    }
}

impl Rows {
    /// The rows' bytes (no byte-order mark: that belongs to the whole file).
    pub fn into_bytes(self) -> csv::Result<Vec<u8>> {
        self.into_inner()
    }
}

/// The header of `score --format csv` and `scores.csv`: response counts as columns.
pub fn score_header(model: &Model) -> Vec<String> {
    let mut header: Vec<String> = [
        "file",
        "model",
        "country",
        "sector",
        "operator_id",
        "assessed_on",
        "index",
        "targets_met",
        "domain",
        "level",
        "target",
        "gap",
        "implementation",
    ]
    .map(str::to_owned)
    .into();
    header.extend(model.responses.iter().map(|r| r.id.clone()));
    // The operator's name and TLP come last, so the columns of earlier versions keep
    // their positions.
    header.extend(["na", "unanswered", "gap_practices", "operator", "tlp"].map(str::to_owned));
    header
}

/// One questionnaire's rows: one per domain.
pub fn score_rows<W: Write>(
    rows: &mut Rows<W>,
    model: &Model,
    score: &QuestionnaireScore,
) -> csv::Result<()> {
    for (d, (def, domain)) in model.domains.iter().zip(&score.domains).enumerate() {
        let mut row = vec![
            score.file.clone(),
            score.model.clone(),
            score.country.clone(),
            score.sector.clone(),
            score.operator_id.clone(),
            score.assessed_on.to_string(),
            optional_number(score.index),
            score.targets_met.to_string(),
            def.id.clone(),
            domain.level.map(|l| l.to_string()).unwrap_or_default(),
            domain.target.to_string(),
            domain.gap.map(|g| g.to_string()).unwrap_or_default(),
            optional_number(domain.implementation),
        ];
        row.extend(domain.counts.scale.iter().map(|n| n.to_string()));
        row.push(domain.counts.na.to_string());
        row.push(domain.counts.unanswered.to_string());
        let gaps: Vec<&str> = score
            .gaps
            .iter()
            .filter(|g| g.practice.domain == d)
            .map(|g| model.practice(g.practice).id.as_str())
            .collect();
        row.push(gaps.join(";"));
        row.push(score.operator.clone());
        row.push(score.tlp.as_str().to_owned());
        rows.row(row)?;
    }
    Ok(())
}

/// A whole scores CSV: header and every questionnaire's rows.
pub fn scores<'a>(
    model: &Model,
    scores: impl IntoIterator<Item = &'a QuestionnaireScore>,
) -> csv::Result<Vec<u8>> {
    write_scores(Vec::new(), model, scores)
}

/// [`scores`] into `out`, for files too large to build in memory first.
pub fn write_scores<'a, W: Write>(
    out: W,
    model: &Model,
    scores: impl IntoIterator<Item = &'a QuestionnaireScore>,
) -> csv::Result<W> {
    let mut rows = Rows::new(out);
    rows.row(score_header(model))?;
    for score in scores {
        score_rows(&mut rows, model, score)?;
    }
    rows.into_inner()
}

/// One row per questionnaire (the per-questionnaire fields of `scores.json`): the
/// Scores sheet of `capgap.xlsx`.
pub fn questionnaires<'a>(
    scores: impl IntoIterator<Item = &'a QuestionnaireScore>,
) -> csv::Result<Vec<u8>> {
    let mut rows = Rows::default();
    rows.row([
        "file",
        "model",
        "country",
        "sector",
        "operator_id",
        "operator",
        "assessed_on",
        "tlp",
        "weight",
        "index",
        "targets_met",
        "domains_scored",
        "gap_practices",
    ])?;
    for score in scores {
        rows.row([
            score.file.clone(),
            score.model.clone(),
            score.country.clone(),
            score.sector.clone(),
            score.operator_id.clone(),
            score.operator.clone(),
            score.assessed_on.to_string(),
            score.tlp.as_str().to_owned(),
            number(score.weight).unwrap_or_default(),
            optional_number(score.index),
            score.targets_met.to_string(),
            score.domains_scored.to_string(),
            score.gaps.len().to_string(),
        ])?;
    }
    rows.into_bytes()
}

/// `gaps.csv`: every gap practice of the given rounds, highest priority first per
/// round, into `out`.
pub fn write_gaps<'a, W: Write>(
    out: W,
    model: &Model,
    scores: impl IntoIterator<Item = &'a QuestionnaireScore>,
) -> csv::Result<W> {
    let mut rows = Rows::new(out);
    rows.row([
        "country",
        "sector",
        "operator_id",
        "operator",
        "tlp",
        "assessed_on",
        "rank",
        "practice",
        "domain",
        "level",
        "response",
        "priority",
        "interventions",
    ])?;
    for score in scores {
        for (rank, gap) in score.gaps.iter().enumerate() {
            let practice = model.practice(gap.practice);
            let interventions = practice.interventions.join(";");
            rows.row([
                score.country.as_str(),
                &score.sector,
                &score.operator_id,
                &score.operator,
                score.tlp.as_str(),
                &score.assessed_on.to_string(),
                &(rank + 1).to_string(),
                &practice.id,
                &model.domains[gap.practice.domain].id,
                &gap.level.to_string(),
                model.response_id(gap.response),
                &number(gap.priority).unwrap_or_default(),
                &interventions,
            ])?;
        }
    }
    rows.into_inner()
}

/// `plan.csv` and `plan --format csv`: one row per candidate in rank order, lists
/// joined with `;`.
pub fn plan(plan: &AidPlan) -> csv::Result<Vec<u8>> {
    let mut rows = Rows::default();
    rows.row([
        "rank",
        "country",
        "sector",
        "intervention",
        "intervention_name",
        "kind",
        "operators",
        "practices",
        "benefit",
        "cost",
        "benefit_per_dollar",
        "cumulative_cost",
        "selected",
        "covered_by",
        "covered_operators",
        "programmes",
    ])?;
    // Ranked candidates first, then the fully covered ones (no rank).
    for c in plan.candidates.iter().chain(&plan.covered) {
        rows.row([
            if c.rank > 0 {
                c.rank.to_string()
            } else {
                String::new()
            },
            c.country.clone(),
            c.sector.clone(),
            c.intervention.clone(),
            c.intervention_name.clone(),
            c.kind.as_str().to_owned(),
            c.operators.join(";"),
            c.practices.join(";"),
            number(c.benefit).unwrap_or_default(),
            number(c.cost).unwrap_or_default(),
            number(c.benefit_per_dollar).unwrap_or_default(),
            number(c.cumulative_cost).unwrap_or_default(),
            c.selected.to_string(),
            c.covered_by.join(";"),
            c.covered_operators.join(";"),
            c.programmes.join(";"),
        ])?;
    }
    rows.into_bytes()
}

/// `score --aggregates --format csv`: one row per aggregate and domain, country ×
/// sector first, then countries, regions, sectors and the portfolio; the trend columns
/// hold the aggregate's panel (its operators assessed twice, `trend_panel` of them):
/// previous, current and `change = current - previous` (SPEC §5).
pub fn aggregates(portfolio: &Portfolio) -> csv::Result<Vec<u8>> {
    let mut rows = Rows::default();
    rows.row([
        "scope",
        "region",
        "country",
        "sector",
        "operators",
        "tlp",
        "index",
        "targets_met",
        "domains_scored",
        "domain",
        "level",
        "target",
        "gap",
        "implementation",
        "operators_scored",
        "level_median",
        "at_target",
        "trend_panel",
        "index_previous",
        "index_current",
        "index_change",
        "level_previous",
        "level_current",
        "level_change",
        "implementation_change",
    ])?;
    for aggregate in all_aggregates(portfolio) {
        let (scope, region, country, sector) = scope_columns(&aggregate.scope);
        let trend = aggregate.trend.as_ref();
        for (d, domain) in aggregate.domains.iter().enumerate() {
            let change = trend.map(|t| &t.change.domains[d]);
            rows.row([
                scope.to_owned(),
                region.to_owned(),
                country.to_owned(),
                sector.to_owned(),
                aggregate.operator_count.to_string(),
                aggregate.tlp.as_str().to_owned(),
                optional_number(aggregate.index),
                aggregate.targets_met.to_string(),
                aggregate.domains_scored.to_string(),
                domain.id.clone(),
                domain.level.map(|l| l.to_string()).unwrap_or_default(),
                domain.target.to_string(),
                domain.gap.map(|g| g.to_string()).unwrap_or_default(),
                optional_number(domain.implementation),
                domain.operators.to_string(),
                domain
                    .level_median
                    .map(|l| l.to_string())
                    .unwrap_or_default(),
                domain.at_target.to_string(),
                trend.map(|t| t.panel.to_string()).unwrap_or_default(),
                optional_number(trend.and_then(|t| t.change.index.previous)),
                optional_number(trend.and_then(|t| t.change.index.current)),
                optional_number(trend.and_then(|t| t.change.index.change)),
                optional_level(change.and_then(|c| c.level.previous)),
                optional_level(change.and_then(|c| c.level.current)),
                change
                    .and_then(|c| c.level.change)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                optional_number(change.and_then(|c| c.implementation.change)),
            ])?;
        }
    }
    rows.into_bytes()
}

/// `workforce.csv` (SPEC §9): one row per aggregate and role its operators reported,
/// in the order of [`all_aggregates`] and the model's roles: the sums of staff,
/// needed, in training and shortfall, then, for countries, regions and the
/// portfolio where there is a shortfall, the training plan (programme trainees, the
/// shortfall left, the intervention delivered, seats, deliveries, cost).
pub fn workforce(portfolio: &Portfolio, workforce: &Workforce) -> csv::Result<Vec<u8>> {
    let mut rows = Rows::default();
    rows.row([
        "scope",
        "region",
        "country",
        "sector",
        "operators",
        "reporting",
        "tlp",
        "role",
        "role_operators",
        "staff",
        "needed",
        "in_training",
        "shortfall",
        "programme_trainees",
        "shortfall_after_programmes",
        "intervention",
        "seats",
        "deliveries",
        "cost_usd",
        "programmes",
    ])?;
    for (aggregate, people) in all_aggregates(portfolio).zip(&workforce.aggregates) {
        let (scope, region, country, sector) = scope_columns(&aggregate.scope);
        for role in &people.roles {
            let line = workforce
                .plan_of(&aggregate.scope)
                .find(|l| l.role == role.role);
            let mut cells = vec![
                scope.to_owned(),
                region.to_owned(),
                country.to_owned(),
                sector.to_owned(),
                people.operators.to_string(),
                people.reporting.to_string(),
                aggregate.tlp.as_str().to_owned(),
                role.role.clone(),
                role.operators.to_string(),
                role.staff.to_string(),
                role.needed.to_string(),
                role.in_training.to_string(),
                role.shortfall.to_string(),
            ];
            match line {
                Some(line) => cells.extend([
                    line.programme_trainees.to_string(),
                    line.shortfall.to_string(),
                    line.intervention.clone(),
                    line.seats.to_string(),
                    line.deliveries.to_string(),
                    optional_number(Some(line.cost_usd)),
                    line.programmes.join(" "),
                ]),
                None => cells.extend(std::iter::repeat_n(String::new(), 7)),
            }
            rows.row(cells)?;
        }
    }
    rows.into_bytes()
}

/// Every aggregate of the portfolio in the order of its JSON: country × sector,
/// countries, regions, sectors, the portfolio.
pub fn all_aggregates(portfolio: &Portfolio) -> impl Iterator<Item = &Aggregate> {
    portfolio
        .country_sectors
        .iter()
        .chain(&portfolio.countries)
        .chain(&portfolio.regions)
        .chain(&portfolio.sectors)
        .chain(std::iter::once(&portfolio.total))
}

fn optional_level(level: Option<u32>) -> String {
    level.map(|l| l.to_string()).unwrap_or_default()
}

/// (scope kind, region id, country, sector) of an aggregate.
fn scope_columns(scope: &Scope) -> (&'static str, &str, &str, &str) {
    match scope {
        Scope::CountrySector { country, sector } => ("country_sector", "", country, sector),
        Scope::Country { country } => ("country", "", country, ""),
        Scope::Sector { sector } => ("sector", "", "", sector),
        Scope::Region { region, .. } => ("region", region, "", ""),
        Scope::Portfolio => ("portfolio", "", "", ""),
    }
}

#[cfg(test)]
mod tests {
    use super::{Rows, cell};

    #[test]
    fn formulas_are_defused_numbers_are_not() {
        for (text, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-inf", "'-inf"),
            ("-5", "-5"),
            ("+1.5e3", "+1.5e3"),
            ("-0.25", "-0.25"),
            ("kh-edc", "kh-edc"),
            ("", ""),
            ("Électricité", "Électricité"),
        ] {
            assert_eq!(cell(text), written, "{text:?}");
        }
        let mut rows = Rows::default();
        rows.row(["=1+1", "a,b"]).unwrap();
        assert_eq!(rows.into_bytes().unwrap(), b"'=1+1,\"a,b\"\n");
    }
}
