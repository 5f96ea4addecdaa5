//! `capgap score`: score questionnaires and print the scores as a table, JSON,
//! JSON lines or CSV (SPEC §6), to standard output or a file written whole; with
//! `--aggregates`, the portfolio's aggregates in the same formats (JSON by default),
//! with the workforce sums and the training plan of SPEC §9 (net of `--programmes`).
//! The formats themselves are `crate::output`'s.

use anyhow::Result;

use super::pipeline::prepare;
use super::{
    BatchSummary, Context, Outcome, for_each_file, refuse_input_as_output, require_inputs,
};
use crate::cli::{ScoreArgs, ScoreFormat};
use crate::model::Model;
use crate::output;
use crate::output::writer::{Output, finish_output};
use crate::questionnaire::Questionnaire;
use crate::score::{QuestionnaireScore, score};
use crate::workforce::workforce;

pub fn run(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    require_inputs(context, &args.paths)?;
    if let Some(output) = &args.output {
        refuse_input_as_output(context, output, &args.paths, &args.confidentiality)?;
    }
    if args.aggregates || args.confidentiality.anonymize {
        return run_collected(context, args);
    }
    let mut output = Output::create(args.output.as_deref())?;
    let mut summary = BatchSummary::new(args.confidentiality.tlp_max, false);
    let format = args.format.unwrap_or(ScoreFormat::Table);
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
    finish_output(output, summary.processed, |note| context.note(note))?;
    Ok(outcome)
}

/// `--aggregates` and `--anonymize` need every score before anything is written.
fn run_collected(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    super::programmes::refuse_overwrite(args.output.as_deref(), &args.programmes)?;
    let prepared = prepare(context, &args.paths, &args.confidentiality, "scored", false)?;
    let programmes =
        super::programmes::load_for(context, &prepared, &args.programmes, &args.confidentiality);
    let csv_preamble = output::csv::preamble(args.output.as_deref());
    let bytes = if args.aggregates {
        let portfolio = &prepared.portfolio;
        let people = workforce(&context.model, portfolio, &programmes.programmes);
        match args.format.unwrap_or(ScoreFormat::Json) {
            ScoreFormat::Json => {
                output::json::to_vec(&output::json::WithWorkforce::new(portfolio, &people), true)?
            }
            ScoreFormat::Jsonl => {
                let mut out = Vec::new();
                for (aggregate, people) in
                    output::csv::all_aggregates(portfolio).zip(&people.aggregates)
                {
                    let line = output::json::AggregateLine::new(aggregate, people);
                    out.extend(output::json::to_vec(&line, false)?);
                }
                out
            }
            ScoreFormat::Csv => [csv_preamble, &output::csv::aggregates(portfolio)?].concat(),
            ScoreFormat::Table => (output::table::aggregates(portfolio)
                + &output::table::workforce(&people))
                .into_bytes(),
        }
    } else {
        let scores = prepared.all_scores();
        match args.format.unwrap_or(ScoreFormat::Table) {
            ScoreFormat::Json => {
                let records: Vec<_> = scores.iter().map(|s| s.record(&context.model)).collect();
                output::json::to_vec(&records, true)?
            }
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
    let mut output = Output::create(args.output.as_deref())?;
    output.write(&bytes)?;
    finish_output(output, prepared.processed, |note| context.note(note))?;
    Ok(super::programmes::worse(
        prepared.outcome,
        programmes.outcome,
    ))
}

/// One questionnaire's scores in the output format.
fn format_one(model: &Model, score: &QuestionnaireScore, format: ScoreFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ScoreFormat::Table => {
            output::table::scores(model, std::slice::from_ref(score)).into_bytes()
        }
        ScoreFormat::Json => {
            let mut bytes = Vec::new();
            output::json::to_writer(&mut bytes, &score.record(model), true)?;
            bytes
        }
        ScoreFormat::Jsonl => output::json::to_vec(&score.record(model), false)?,
        ScoreFormat::Csv => {
            let mut rows = output::csv::Rows::default();
            output::csv::score_rows(&mut rows, model, score)?;
            rows.into_bytes()?
        }
    })
}
