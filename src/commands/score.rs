//! `capgap score`: score questionnaires and print the scores as a table, JSON,
//! JSON lines or CSV (SPEC §6), to standard output or a file written whole; with
//! `--aggregates`, the portfolio's aggregates in the same formats (JSON by default).
//! The formats themselves are `crate::output`'s.

use anyhow::Result;

use super::pipeline::prepare;
use super::{
    BatchSummary, Context, Outcome, Output, RoundRegistry, emit, for_each_file, require_inputs,
};
use crate::cli::{ScoreArgs, ScoreFormat};
use crate::confidential::WithheldScore;
use crate::model::Model;
use crate::output;
use crate::questionnaire::Questionnaire;
use crate::score::{QuestionnaireScore, score};

pub fn run(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    require_inputs(context, &args.paths)?;
    if args.aggregates || args.confidentiality.anonymize {
        return run_collected(context, args);
    }
    let mut output = Output::create(args.output.as_deref())?;
    let mut summary = BatchSummary::default();
    let format = args.format.unwrap_or(ScoreFormat::Table);
    let tlp_max = args.confidentiality.tlp_max;
    let mut withheld = Vec::new();
    let mut first = true;
    let mut failure = None;
    match format {
        ScoreFormat::Json => output.write(b"[")?,
        ScoreFormat::Csv => {
            let mut header = output::csv::Rows::default();
            header.row(output::csv::score_header(&context.model))?;
            output.write(output::csv::preamble(args.output.as_deref()))?;
            output.write(&header.into_bytes()?)?;
        }
        _ => {}
    }
    // Each worker formats its own questionnaire; the main thread only writes bytes in
    // order, so nothing but the current chunk is held in memory.
    let process = |model: &Model, questionnaire: &Questionnaire| {
        let key = RoundRegistry::key(questionnaire);
        if tlp_max.is_some_and(|max| questionnaire.tlp > max) {
            let withheld = WithheldScore {
                file: questionnaire.file.clone(),
                tlp: questionnaire.tlp,
            };
            return (key, Ok(Formatted::Withheld(withheld)));
        }
        (
            key,
            format_one(model, &score(model, questionnaire), format).map(Formatted::Bytes),
        )
    };
    // A second questionnaire for the same round is an error: the first one is kept.
    let mut rounds = RoundRegistry::default();
    for_each_file(context, &args.paths, process, |item| {
        let path = item.path.clone();
        let Some((key, formatted)) = summary.take(context, item) else {
            return;
        };
        if let Some(duplicate) = rounds.check(key, &path) {
            context.print(&duplicate);
            summary.processed -= 1;
            summary.excluded.push(duplicate.to_string());
            return;
        }
        let bytes = match formatted {
            Ok(Formatted::Bytes(bytes)) => bytes,
            Ok(Formatted::Withheld(w)) => {
                withheld.push(w);
                return;
            }
            Err(err) => {
                failure.get_or_insert(err);
                return;
            }
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
    output.finish()?;
    let outcome = summary.finish(context, "scored");
    if !withheld.is_empty() {
        let max = tlp_max.map(|t| t.label()).unwrap_or_default();
        eprintln!(
            "left out {} questionnaire(s) marked above {max} (--tlp-max)",
            withheld.len()
        );
    }
    Ok(outcome)
}

enum Formatted {
    Bytes(Vec<u8>),
    Withheld(WithheldScore),
}

/// `--aggregates` and `--anonymize` need every score before anything is written.
fn run_collected(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    let prepared = prepare(context, &args.paths, &args.confidentiality, "scored", false);
    let csv_preamble = output::csv::preamble(args.output.as_deref());
    let bytes = if args.aggregates {
        let portfolio = &prepared.portfolio;
        match args.format.unwrap_or(ScoreFormat::Json) {
            ScoreFormat::Json => output::json::to_vec(portfolio, true)?,
            ScoreFormat::Jsonl => {
                let mut out = Vec::new();
                for aggregate in output::csv::all_aggregates(portfolio) {
                    out.extend(output::json::to_vec(aggregate, false)?);
                }
                out
            }
            ScoreFormat::Csv => [csv_preamble, &output::csv::aggregates(portfolio)?].concat(),
            ScoreFormat::Table => output::table::aggregates(portfolio).into_bytes(),
        }
    } else {
        let scores = prepared.all_scores();
        match args.format.unwrap_or(ScoreFormat::Table) {
            ScoreFormat::Json => output::json::to_vec(&scores, true)?,
            ScoreFormat::Csv => [
                csv_preamble,
                &output::csv::scores(&context.model, scores.iter().copied())?,
            ]
            .concat(),
            format => {
                let mut out = Vec::new();
                for score in scores {
                    out.extend(format_one(&context.model, score, format)?);
                }
                out
            }
        }
    };
    emit(args.output.as_deref(), &bytes)?;
    Ok(prepared.outcome)
}

/// One questionnaire's scores in the output format.
fn format_one(model: &Model, score: &QuestionnaireScore, format: ScoreFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ScoreFormat::Table => {
            output::table::scores(model, std::slice::from_ref(score)).into_bytes()
        }
        ScoreFormat::Json => {
            let mut bytes = Vec::new();
            output::json::to_writer(&mut bytes, score, true)?;
            bytes
        }
        ScoreFormat::Jsonl => output::json::to_vec(score, false)?,
        ScoreFormat::Csv => {
            let mut rows = output::csv::Rows::default();
            output::csv::score_rows(&mut rows, score)?;
            rows.into_bytes()?
        }
    })
}
