//! `capgap plan`: the aid plan of SPEC §5 — candidates (country, sector,
//! intervention) ranked by benefit per dollar, and with `--budget` what fits — as a
//! table, JSON (an array of candidates in rank order) or CSV.

use std::fmt::Write as _;

use anyhow::{Result, bail};

use super::pipeline::prepare;
use super::{Context, Outcome, Output, finish_output, refuse_input_as_output};
use crate::cli::{PlanArgs, PlanFormat};
use crate::plan::{AidPlan, PlanOptions, plan_csv_rows, plan_with};

pub fn run(context: &Context, args: &PlanArgs) -> Result<Outcome> {
    if let Some(budget) = args.budget.filter(|b| !(b.is_finite() && *b >= 0.0)) {
        bail!("--budget must be a non-negative number of US dollars, not {budget}");
    }
    if let Some(output) = &args.output {
        refuse_input_as_output(context, output, &args.paths, &args.confidentiality)?;
    }
    super::programmes::refuse_overwrite(args.output.as_deref(), &args.programmes)?;
    if let Some(cap) = args
        .max_per_country
        .filter(|b| !(b.is_finite() && *b >= 0.0))
    {
        bail!("--max-per-country must be a non-negative number of US dollars, not {cap}");
    }
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
            let notes = super::programmes::plan_header(&plan);
            (notes + &table(&plan) + &super::programmes::plan_footer(&plan)).into_bytes()
        }
        PlanFormat::Json => {
            let all: Vec<_> = plan.candidates.iter().chain(&plan.covered).collect();
            let mut out = serde_json::to_vec_pretty(&all)?;
            out.push(b'\n');
            out
        }
        PlanFormat::Csv => csv(&plan)?,
    };
    let mut output = Output::create(args.output.as_deref())?;
    output.write(&bytes)?;
    finish_output(context, output, prepared.processed)?;
    Ok(super::programmes::worse(
        prepared.outcome,
        programmes.outcome,
    ))
}

/// The plan as CSV, one row per candidate.
pub fn csv(plan: &AidPlan) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in plan_csv_rows(plan) {
        writer.serialize(row)?;
    }
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// A readable table of the ranked candidates.
pub fn table(plan: &AidPlan) -> String {
    let mut out = String::new();
    if plan.candidates.is_empty() {
        return "no aid candidates: no current operator has a gap practice that an intervention addresses\n".into();
    }
    let _ = writeln!(
        out,
        "RANK  CC SECTOR   {:<32} {:>4} {:>9} {:>11} {:>9} {:>12}  FITS",
        "INTERVENTION", "OPS", "BENEFIT", "COST USD", "PER $1M", "CUMULATIVE"
    );
    for c in &plan.candidates {
        let fits = match plan.budget {
            None => "",
            Some(_) if c.selected => "yes",
            Some(_) => "no",
        };
        let _ = writeln!(
            out,
            "{:>4}  {:<2} {:<8} {:<32} {:>4} {:>9.2} {:>11.0} {:>9.1} {:>12.0}  {fits}",
            c.rank,
            c.country,
            c.sector,
            truncate(&c.intervention, 32),
            c.operators.len(),
            c.benefit,
            c.cost,
            c.benefit_per_dollar * 1e6,
            c.cumulative_cost,
        );
    }
    let _ = writeln!(out);
    match plan.budget {
        Some(budget) => {
            let _ = writeln!(
                out,
                "budget ${budget:.0}: {} of {} candidates fit, costing ${:.0} for a benefit of {:.2} of {:.2} in all",
                plan.selected_count,
                plan.candidates.len(),
                plan.selected_cost,
                plan.selected_benefit,
                plan.total_benefit
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{} candidates costing ${:.0} in all; pass --budget USD to see what fits",
                plan.candidates.len(),
                plan.selected_cost
            );
        }
    }
    out
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}
