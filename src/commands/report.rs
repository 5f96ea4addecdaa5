//! `capgap report`: the HTML pages for operators, countries and the donor
//! portfolio, with their data (`scores.json`, `scores.csv`, `gaps.csv`, `plan.csv`,
//! `aggregates.json`) and, with `--pdf`, a PDF beside each page. Everything is
//! rendered into a staging folder inside `-o DIR` and moved into place only when
//! every file is ready, so a failed run writes nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

use super::pipeline::{Prepared, prepare};
use super::{Context, Outcome, require_inputs, today};
use crate::cli::{ReportArgs, TemplatesCommand};
use crate::output;
use crate::plan::{AidPlan, plan};
use crate::render::pdf::{self, Chrome, PrintJob};
use crate::render::{
    Theme, country_page_path, render_portfolio, render_practice, write_country, write_operator,
};
use crate::report::{ReportContext, RunFacts, country_page, operator_page, portfolio_page};

pub fn run(context: &Context, args: &ReportArgs) -> Result<Outcome> {
    require_inputs(context, &args.paths)?;
    // Everything that can stop the run is checked before any work is done.
    let theme = Theme::load(args.templates.as_deref())?;
    for warning in theme.warnings() {
        context.note(&format!("warning: {warning}"));
    }
    let chrome = if args.pdf {
        Some(Chrome::find()?)
    } else {
        None
    };
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create the output folder {}", args.output.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".capgap-staging-")
        .tempdir_in(&args.output)
        .with_context(|| format!("cannot write to {}", args.output.display()))?;

    let prepared = prepare(
        context,
        &args.paths,
        &args.confidentiality,
        "reported on",
        true,
    );
    let plan = plan(
        &context.model,
        prepared.portfolio.current_scores(),
        args.budget,
    );
    let mut notices = Vec::new();
    if !prepared.withheld.is_empty() {
        let max = args
            .confidentiality
            .tlp_max
            .map(|t| t.label())
            .unwrap_or_default();
        notices.push(format!(
            "{} questionnaire(s) marked above {max} were left out of this report.",
            prepared.withheld.len()
        ));
    }
    if args.confidentiality.anonymize {
        notices.push(
            "Anonymised: operators carry pseudonyms; assessors, notes, evidence and file names are withheld.".into(),
        );
    }
    let mut ctx = ReportContext::new(
        &context.model,
        &prepared.portfolio,
        &prepared.regions,
        &plan,
        &args.lang,
        args.confidentiality.anonymize,
        today().to_string(),
        notices.clone(),
    );
    // The model's text of each practice is rendered once, not once per page.
    ctx.practice_html = ctx
        .practice_texts()
        .into_iter()
        .map(|(id, text)| Ok((id, render_practice(&theme, &text)?)))
        .collect::<Result<_>>()?;

    let (pages, data) = rayon::join(
        || write_pages(&ctx, &theme, &prepared, staging.path()),
        || write_data(context, &prepared, &plan, staging.path()),
    );
    let pages = pages?;
    data?;
    if let Some(chrome) = &chrome {
        print_pdfs(context, chrome, staging.path(), &pages)?;
    }
    let moved = move_into_place(staging.path(), &args.output)?;
    drop(staging);
    context.note(&format!(
        "wrote {} page(s) and {} other file(s) to {}; open {}",
        pages.len(),
        moved - pages.len() * if chrome.is_some() { 2 } else { 1 },
        args.output.display(),
        args.output.join("index.html").display()
    ));
    Ok(prepared.outcome)
}

/// Renders every page into `dir`; returns their paths relative to it.
fn write_pages(
    ctx: &ReportContext<'_>,
    theme: &Theme,
    prepared: &Prepared,
    dir: &Path,
) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir.join("operators"))?;
    std::fs::create_dir_all(dir.join("countries"))?;
    let portfolio = &prepared.portfolio;
    let operator_pages: Vec<String> = portfolio
        .operators
        .par_iter()
        .map(|history| -> Result<String> {
            let s = &history.current;
            let key = (
                s.country.clone(),
                s.sector.clone(),
                s.operator_id.clone(),
                s.assessed_on,
            );
            let page = operator_page(ctx, history, prepared.sheets.get(&key));
            let path = ctx.operator_page(history);
            write_with(dir, &path, |out| write_operator(theme, &page, out))?;
            Ok(path)
        })
        .collect::<Result<_>>()?;
    let country_pages: Vec<String> = portfolio
        .countries
        .par_iter()
        .filter_map(|aggregate| match &aggregate.scope {
            crate::aggregate::Scope::Country { country } => Some(country.as_str()),
            _ => None,
        })
        .map(|code| -> Result<String> {
            let page = country_page(ctx, code).expect("the country is in the portfolio");
            let path = country_page_path(code);
            write_with(dir, &path, |out| write_country(theme, &page, out))?;
            Ok(path)
        })
        .collect::<Result<_>>()?;
    let run = RunFacts {
        files_read: prepared.files,
        excluded: prepared.excluded.clone(),
        left_out: ctx.notices.clone(),
    };
    let html = render_portfolio(theme, &portfolio_page(ctx, &run))?;
    write(dir, "index.html", html.as_bytes())?;
    let mut pages = vec!["index.html".to_owned()];
    pages.extend(country_pages);
    pages.extend(operator_pages);
    Ok(pages)
}

/// The data beside the pages, for spreadsheets and scripts (`crate::output`'s
/// formats; the CSV files begin with a byte-order mark).
fn write_data(context: &Context, prepared: &Prepared, plan: &AidPlan, dir: &Path) -> Result<()> {
    let portfolio = &prepared.portfolio;
    let all = prepared.all_scores();
    let model = &context.model;
    // Compact: for 10,000 questionnaires the pretty form is several times larger.
    write_with(dir, "scores.json", |mut out| {
        output::json::to_writer(&mut out, &all, false)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    write_with(dir, "scores.csv", |out| {
        out.write_all(output::csv::BOM)?;
        output::csv::write_scores(out, model, all.iter().copied())?;
        Ok(())
    })?;
    write_with(dir, "gaps.csv", |out| {
        out.write_all(output::csv::BOM)?;
        output::csv::write_gaps(out, model, portfolio.current_scores())?;
        Ok(())
    })?;
    let plan_csv = output::csv::plan(plan)?;
    write(dir, "plan.csv", &[output::csv::BOM, &plan_csv].concat())?;
    write_with(dir, "aggregates.json", |mut out| {
        output::json::to_writer(&mut out, portfolio, true)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    Ok(())
}

/// Prints every page to a PDF beside it, in parallel.
fn print_pdfs(context: &Context, chrome: &Chrome, dir: &Path, pages: &[String]) -> Result<()> {
    let jobs: Vec<PrintJob> = pages
        .iter()
        .map(|page| {
            let html = dir.join(page);
            PrintJob {
                pdf: html.with_extension("pdf"),
                html,
            }
        })
        .collect();
    let threads = context
        .global
        .jobs
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    let failures = pdf::print_all(chrome, &jobs, threads, pdf::DEFAULT_TIMEOUT)?;
    if let Some(first) = failures.first() {
        bail!(
            "{} page(s) could not be printed to PDF; first: {}: {}",
            failures.len(),
            first.html.display(),
            first.error
        );
    }
    Ok(())
}

fn write(dir: &Path, relative: &str, bytes: &[u8]) -> Result<()> {
    write_with(dir, relative, |out| Ok(out.write_all(bytes)?))
}

/// Creates `dir/relative` and lets `fill` write into it through a buffer.
fn write_with(
    dir: &Path,
    relative: &str,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    let path = dir.join(relative);
    let file = File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = BufWriter::with_capacity(64 * 1024, file);
    fill(&mut out)
        .and_then(|()| Ok(out.flush()?))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Moves every file from the staging folder into the output folder, keeping the
/// layout; returns how many files were moved.
fn move_into_place(staging: &Path, output: &Path) -> Result<usize> {
    let mut moved = 0;
    for entry in walkdir::WalkDir::new(staging)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry?;
        let relative = entry
            .path()
            .strip_prefix(staging)
            .expect("under the staging folder");
        let target: PathBuf = output.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .with_context(|| format!("cannot create {}", target.display()))?;
        } else {
            std::fs::rename(entry.path(), &target)
                .with_context(|| format!("cannot write {}", target.display()))?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// `capgap templates export DIR`.
pub fn export_templates(context: &Context, command: &TemplatesCommand) -> Result<Outcome> {
    let TemplatesCommand::Export { dir, force } = command;
    let written = Theme::export(dir, *force)?;
    context.note(&format!(
        "wrote {} template file(s) to {}; edit them and pass `--templates {}` to `capgap report`",
        written.len(),
        dir.display(),
        dir.display()
    ));
    Ok(Outcome::Clean)
}
