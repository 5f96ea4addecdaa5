//! `capgap plan`: the aid plan of SPEC §5 — candidates (country, sector,
//! intervention) ranked by benefit per dollar, and with `--budget` what fits — as a
//! table (on a terminal, the funded candidates and the next 20 unless `--all` or
//! `--top N`), JSON (an array of every candidate in rank order) or CSV.

use std::io::IsTerminal;

use anyhow::Result;

use super::pipeline::prepare;
use super::{Context, Outcome, refuse_input_as_output, require_inputs};
use crate::cli::{PlanArgs, PlanFormat};
use crate::output::writer::{Output, finish_output};
use crate::output::{self, table::PlanRows};
use crate::plan::{PlanOptions, plan_with};

/// Candidates a terminal table lists beyond the funded ones.
const ON_A_TERMINAL: usize = 20;

pub fn run(context: &Context, args: &PlanArgs) -> Result<Outcome> {
    require_inputs(context, &args.paths)?;
    if let Some(output) = &args.output {
        refuse_input_as_output(context, output, &args.paths, &args.confidentiality)?;
    }
    super::programmes::refuse_overwrite(args.output.as_deref(), &args.programmes)?;
    let prepared = prepare(
        context,
        &args.paths,
        &args.confidentiality,
        "planned from",
        false,
    )?;
    let programmes =
        super::programmes::load_for(context, &prepared, &args.programmes, &args.confidentiality);
    let plan = plan_with(
        &context.model,
        prepared.portfolio.current_scores(),
        PlanOptions {
            budget: args.budget,
            max_per_country: args.max_per_country,
            programmes: &programmes.programmes,
            donor: args.donor.as_deref(),
        },
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
            let notes = super::programmes::plan_header(&plan);
            (notes + &output::table::plan(&plan, rows) + &super::programmes::plan_footer(&plan))
                .into_bytes()
        }
        PlanFormat::Json => {
            let all: Vec<_> = plan.candidates.iter().chain(&plan.covered).collect();
            output::json::to_vec(&all, true)?
        }
        PlanFormat::Csv => {
            let mut bytes = output::csv::preamble(args.output.as_deref()).to_vec();
            bytes.extend(output::csv::plan(&plan)?);
            bytes
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
