//! `capgap score`: score questionnaires and print the scores as a table, JSON,
//! JSON lines or CSV (SPEC §6), to standard output or a file written whole.

use std::fmt::Write as _;

use anyhow::Result;

use super::pipeline::prepare;
use super::{BatchSummary, Context, Outcome, Output, for_each_file, refuse_input_as_output};
use crate::cli::{ScoreArgs, ScoreFormat};
use crate::model::Model;
use crate::questionnaire::Questionnaire;
use crate::score::{QuestionnaireScore, score};

pub fn run(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    if let Some(output) = &args.output {
        refuse_input_as_output(context, output, &args.paths, &args.confidentiality)?;
    }
    if args.aggregates || args.confidentiality.anonymize {
        return run_collected(context, args);
    }
    let mut output = Output::create(args.output.as_deref())?;
    let mut summary = BatchSummary::new(args.confidentiality.tlp_max, false);
    let format = args.format;
    let mut first = true;
    let mut failure = None;
    match format {
        ScoreFormat::Json => output.write(b"[")?,
        ScoreFormat::Csv => output.write(&csv_header(&context.model)?)?,
        _ => {}
    }
    // Each worker formats its own questionnaire; the main thread only writes bytes in
    // order, so nothing but the current chunk is held in memory. What `--tlp-max`
    // leaves out and duplicate rounds are dropped by the summary, unwritten.
    let process = |model: &Model, questionnaire: &Questionnaire| {
        format_one(model, &score(model, questionnaire), format)
    };
    for_each_file(context, &args.paths, process, |item| {
        let bytes = match summary.take(context, item) {
            Some(Ok(bytes)) => bytes,
            Some(Err(err)) => {
                failure.get_or_insert(err);
                return;
            }
            None => return,
        };
        let separator: &[u8] = match (format, first) {
            (ScoreFormat::Json, true) => b"\n",
            (ScoreFormat::Json, false) => b",\n",
            _ => b"",
        };
        first = false;
        if let Err(err) = output.write(separator).and_then(|()| output.write(&bytes)) {
            failure.get_or_insert(err);
        }
    });
    if let Some(err) = failure {
        return Err(err);
    }
    if format == ScoreFormat::Json {
        output.write(b"\n]\n")?;
    }
    let outcome = summary.finish(context, "scored");
    super::finish_output(context, output, summary.processed)?;
    Ok(outcome)
}

/// `--aggregates` and `--anonymize` need every score before anything is written.
fn run_collected(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    let prepared = prepare(context, &args.paths, &args.confidentiality, "scored", false)?;
    let bytes = if args.aggregates {
        let mut out = serde_json::to_vec_pretty(&prepared.portfolio)?;
        out.push(b'\n');
        out
    } else {
        let scores: Vec<&QuestionnaireScore> = prepared
            .portfolio
            .operators
            .iter()
            .flat_map(|o| o.earlier.iter().chain(std::iter::once(&o.current)))
            .collect();
        let mut out = Vec::new();
        match args.format {
            ScoreFormat::Json => {
                out = serde_json::to_vec_pretty(&scores)?;
                out.push(b'\n');
            }
            ScoreFormat::Csv => {
                out.extend(csv_header(&context.model)?);
                for score in scores {
                    out.extend(csv_rows(std::slice::from_ref(score))?);
                }
            }
            format => {
                for score in scores {
                    out.extend(format_one(&context.model, score, format)?);
                }
            }
        }
        out
    };
    let mut output = Output::create(args.output.as_deref())?;
    output.write(&bytes)?;
    super::finish_output(context, output, prepared.processed)?;
    Ok(prepared.outcome)
}

/// One questionnaire's scores in the output format.
fn format_one(model: &Model, score: &QuestionnaireScore, format: ScoreFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ScoreFormat::Table => table(model, std::slice::from_ref(score)).into_bytes(),
        ScoreFormat::Json => serde_json::to_vec_pretty(score)?,
        ScoreFormat::Jsonl => {
            let mut line = serde_json::to_vec(score)?;
            line.push(b'\n');
            line
        }
        ScoreFormat::Csv => csv_rows(std::slice::from_ref(score))?,
    })
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
            let mut gaps: Vec<&str> = score
                .gaps
                .iter()
                .filter(|g| g.domain == domain.id)
                .map(|g| g.practice.as_str())
                .collect();
            // Highest priority first; the full list is in --format json or csv.
            let more = gaps.len().saturating_sub(5);
            gaps.truncate(5);
            let more = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {:<16} {level:>5} {:>6} {gap:>3} {implementation:>6}  {}{more}",
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

/// The CSV header: one row per questionnaire and domain, response counts as columns.
pub fn csv_header(model: &Model) -> Result<Vec<u8>> {
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
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// The CSV rows of some questionnaires (no header).
pub fn csv_rows(scores: &[QuestionnaireScore]) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
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
