//! `capgap plan`: the aid plan of SPEC §5 — candidates (country, sector,
//! intervention) ranked by benefit per dollar, and with `--budget` what fits — as a
//! table (on a terminal, the funded candidates and the next 20 unless `--all` or
//! `--top N`), JSON (an array of every candidate in rank order) or CSV.

use std::io::IsTerminal;

use anyhow::Result;

use super::pipeline::prepare;
use super::{Context, Outcome, emit, require_inputs};
use crate::cli::{PlanArgs, PlanFormat};
use crate::output::{self, table::PlanRows};
use crate::plan::plan;

/// Candidates a terminal table lists beyond the funded ones.
const ON_A_TERMINAL: usize = 20;

pub fn run(context: &Context, args: &PlanArgs) -> Result<Outcome> {
    require_inputs(context, &args.paths)?;
    let prepared = prepare(
        context,
        &args.paths,
        &args.confidentiality,
        "planned from",
        false,
    );
    let plan = plan(
        &context.model,
        prepared.portfolio.current_scores(),
        args.budget,
    );
    let bytes = match args.format {
        PlanFormat::Table => {
            let terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let rows = match (args.all, args.top) {
                (true, _) => PlanRows::All,
                (false, Some(n)) => PlanRows::Top(n),
                (false, None) if terminal => PlanRows::Top(ON_A_TERMINAL),
                (false, None) => PlanRows::All,
            };
            output::table::plan(&plan, rows).into_bytes()
        }
        PlanFormat::Json => output::json::to_vec(&plan.candidates, true)?,
        PlanFormat::Csv => {
            let mut bytes = output::csv::preamble(args.output.as_deref()).to_vec();
            bytes.extend(output::csv::plan(&plan)?);
            bytes
        }
    };
    emit(args.output.as_deref(), &bytes)?;
    Ok(prepared.outcome)
}
