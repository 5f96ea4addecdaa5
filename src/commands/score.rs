//! `capgap score`: score questionnaires and print the scores as a table, JSON,
//! JSON lines or CSV (SPEC §6), to standard output or a file written whole.

use std::fmt::Write as _;

use anyhow::Result;

use super::{Context, Outcome, emit, report_batch, run_batch};
use crate::cli::{ScoreArgs, ScoreFormat};
use crate::model::Model;
use crate::score::QuestionnaireScore;

pub fn run(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    let results = run_batch(context, &args.paths);
    let (scores, outcome) = report_batch(context, results, "scored");
    let bytes = match args.format {
        ScoreFormat::Table => table(&context.model, &scores).into_bytes(),
        ScoreFormat::Json => {
            let mut out = serde_json::to_vec_pretty(&scores)?;
            out.push(b'\n');
            out
        }
        ScoreFormat::Jsonl => {
            let mut out = Vec::new();
            for score in &scores {
                serde_json::to_writer(&mut out, score)?;
                out.push(b'\n');
            }
            out
        }
        ScoreFormat::Csv => csv(&context.model, &scores)?,
        ScoreFormat::Aggregates => anyhow::bail!("aggregates are not available yet"),
    };
    emit(args.output.as_deref(), &bytes)?;
    Ok(outcome)
}

/// A readable block per questionnaire: the header line, then one row per domain.
pub fn table(model: &Model, scores: &[QuestionnaireScore]) -> String {
    let mut out = String::new();
    for score in scores {
        let index = score.index.map_or("-".to_owned(), |i| format!("{i:.1}"));
        let _ = writeln!(
            out,
            "{}  {} {} {}  {}  index {index}  targets met {}/{}",
            score.file,
            score.country,
            score.sector,
            score.operator_id,
            score.assessed_on,
            score.targets_met,
            score.domains_scored
        );
        let _ = writeln!(
            out,
            "  {:<16} {:>5} {:>6} {:>3} {:>6}  GAP PRACTICES",
            "DOMAIN", "LEVEL", "TARGET", "GAP", "IMPL"
        );
        for domain in &score.domains {
            let level = domain.level.map_or("-".to_owned(), |l| l.to_string());
            let gap = domain.gap.map_or("-".to_owned(), |g| g.to_string());
            let implementation = domain
                .implementation
                .map_or("-".to_owned(), |i| format!("{:.0}%", i * 100.0));
            let gaps: Vec<&str> = score
                .gaps
                .iter()
                .filter(|g| g.domain == domain.id)
                .map(|g| g.practice.as_str())
                .collect();
            let _ = writeln!(
                out,
                "  {:<16} {level:>5} {:>6} {gap:>3} {implementation:>6}  {}",
                domain.id,
                domain.target,
                gaps.join(" ")
            );
        }
        if let Some(top) = score.gaps.first() {
            let name = model
                .practice_ref(&top.practice)
                .map(|at| model.practice(at).question.en().to_owned());
            let _ = writeln!(
                out,
                "  fix first: {} (priority {:.2}) {}",
                top.practice,
                top.priority,
                name.unwrap_or_default()
            );
        }
        out.push('\n');
    }
    out
}

/// One row per questionnaire and domain, with the response counts as columns.
pub fn csv(model: &Model, scores: &[QuestionnaireScore]) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
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
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(model.responses.iter().map(|r| r.id.clone()));
    header.extend([
        "na".to_owned(),
        "unanswered".to_owned(),
        "gap_practices".to_owned(),
    ]);
    writer.write_record(&header)?;
    let optional = |v: Option<String>| v.unwrap_or_default();
    for score in scores {
        for domain in &score.domains {
            let mut row = vec![
                score.file.clone(),
                score.model.clone(),
                score.country.clone(),
                score.sector.clone(),
                score.operator_id.clone(),
                score.assessed_on.to_string(),
                optional(score.index.map(|i| format!("{i:.4}"))),
                score.targets_met.to_string(),
                domain.id.clone(),
                optional(domain.level.map(|l| l.to_string())),
                domain.target.to_string(),
                optional(domain.gap.map(|g| g.to_string())),
                optional(domain.implementation.map(|i| format!("{i:.4}"))),
            ];
            row.extend(domain.counts.scale.iter().map(|(_, n)| n.to_string()));
            row.push(domain.counts.na.to_string());
            row.push(domain.counts.unanswered.to_string());
            let gaps: Vec<&str> = score
                .gaps
                .iter()
                .filter(|g| g.domain == domain.id)
                .map(|g| g.practice.as_str())
                .collect();
            row.push(gaps.join(";"));
            writer.write_record(&row)?;
        }
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}
