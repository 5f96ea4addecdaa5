//! `capgap report`: the HTML pages for operators, countries and the donor
//! portfolio, with their data (`scores.json`, `scores.csv`, `gaps.csv`, `plan.csv`,
//! `aggregates.json`, `workforce.csv`, and all of them as sheets of `capgap.xlsx`) and, with `--pdf`, a PDF beside each page. Everything is
//! rendered into a staging folder beside `-o DIR` and switched with DIR in one
//! step only when every file is ready (`report_dir`), so a failed or killed run
//! leaves the old report as it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use rayon::prelude::*;

use super::pipeline::{Prepared, prepare};
use super::report_dir::ReportDir;
use super::{Context, Outcome, io_reason, require_inputs, today};
use crate::cli::{ReportArgs, TemplatesCommand};
use crate::output;
use crate::output::xlsx::Sheet;
use crate::plan::{AidPlan, PlanOptions, plan_with};
use crate::render::pdf::{self, Chrome, PrintJob};
use crate::render::{Theme, render_portfolio, render_practice, write_country, write_operator};
use crate::report::paths::country_page_path;
use crate::report::{ReportContext, RunFacts, country_page, operator_page, portfolio_page};
use crate::rounds::RoundKey;

pub fn run(context: &Context, args: &ReportArgs) -> Result<Outcome> {
    require_inputs(context, &args.paths)?;
    // Everything that can stop the run is checked before any work is done.
    let lang = crate::i18n::Lang::parse(&args.lang).map_err(|e| anyhow!("--lang: {e}"))?;
    let theme = Theme::load_in(args.templates.as_deref(), lang)?;
    for warning in theme.warnings() {
        context.note(&format!("warning: {warning}"));
    }
    let chrome = if args.pdf {
        Some(Chrome::find()?)
    } else {
        None
    };
    let mut inputs: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    inputs.extend(args.templates.as_deref());
    inputs.extend(context.global.model.as_deref());
    let key = args
        .confidentiality
        .anonymize
        .then(|| args.confidentiality.key_path())
        .transpose()?;
    inputs.extend(key.as_deref());
    let out = ReportDir::open(&args.output, &inputs)?;

    let prepared = prepare(
        context,
        &args.paths,
        &args.confidentiality,
        "reported on",
        true,
    )?;
    if let Some(cap) = args
        .max_per_country
        .filter(|b| !(b.is_finite() && *b >= 0.0))
    {
        bail!("--max-per-country must be a non-negative number of US dollars, not {cap}");
    }
    let programmes =
        super::programmes::load_for(context, &prepared, &args.programmes, &args.confidentiality);
    let plan = plan_with(
        &context.model,
        prepared.portfolio.current_scores(),
        PlanOptions {
            budget: args.budget,
            max_per_country: args.max_per_country,
            programmes: &programmes.programmes,
            donor: None,
        },
    );
    let people =
        crate::workforce::workforce(&context.model, &prepared.portfolio, &programmes.programmes);
    let strings = theme.strings();
    let left_out = left_out_notices(&prepared, args.confidentiality.tlp_max, strings);
    let mut notices = left_out.clone();
    notices.extend(super::programmes::notices(
        &programmes,
        &args.confidentiality,
        strings,
    ));
    if args.confidentiality.anonymize {
        notices.push(strings.get("notice.anonymised").to_owned());
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
    ctx.set_strings(theme.strings());
    for group in &prepared.small_groups {
        let notice = strings.fmt(
            "notice.small_group",
            &[
                ("count", &group.operators),
                ("sector", &ctx.sector_name(&group.sector)),
                ("min", &args.confidentiality.min_group),
            ],
        );
        ctx.country_notices
            .entry(group.country.clone())
            .or_default()
            .push(notice);
    }
    ctx.programmes = (!args.programmes.is_empty()).then(|| programmes.inputs());
    ctx.workforce = Some(&people);
    // The model's text of each practice is rendered once, not once per page.
    ctx.practice_html = ctx
        .practice_texts()
        .into_iter()
        .map(|text| render_practice(&theme, &text))
        .collect::<Result<_>>()?;

    let programme_files = if args.programmes.is_empty() {
        Vec::new()
    } else {
        super::programmes::data_files(&programmes)?
    };
    let (pages, data) = rayon::join(
        || write_pages(&ctx, &theme, &prepared, &left_out, &out),
        || write_data(context, &prepared, &plan, &people, programme_files, &out),
    );
    let pages = pages?;
    let data = data?;
    if let Some(chrome) = &chrome {
        print_pdfs(context, chrome, &out, &pages)?;
    }
    out.commit()?;
    let pdfs = if chrome.is_some() { pages.len() } else { 0 };
    context.note(&format!(
        "wrote {} page(s){} and {data} data file(s) to {}; open {}",
        pages.len(),
        if pdfs > 0 {
            format!(", {pdfs} PDF(s)")
        } else {
            String::new()
        },
        args.output.display(),
        args.output.join("index.html").display()
    ));
    Ok(super::programmes::worse(
        prepared.outcome,
        programmes.outcome,
    ))
}

/// Renders every page into `dir`; returns their paths relative to it.
/// What the run left out (`--tlp-max`, invalid files whose names are withheld),
/// in the report's language; in English the words of the run summary.
fn left_out_notices(
    prepared: &Prepared,
    tlp_max: Option<crate::questionnaire::Tlp>,
    strings: &crate::i18n::Strings,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(max) = tlp_max.filter(|_| prepared.tlp_left_out > 0) {
        out.push(strings.fmt(
            "notice.tlp_left_out",
            &[
                ("processed", &prepared.processed),
                ("total", &prepared.files),
                ("left", &prepared.tlp_left_out),
                ("max", &max.as_str()),
            ],
        ));
    }
    if prepared.invalid_withheld > 0 {
        out.push(strings.fmt(
            "notice.invalid_withheld",
            &[("count", &prepared.invalid_withheld)],
        ));
    }
    out
}

fn write_pages(
    ctx: &ReportContext<'_>,
    theme: &Theme,
    prepared: &Prepared,
    left_out: &[String],
    dir: &ReportDir,
) -> Result<Vec<String>> {
    for folder in ["operators", "countries"] {
        std::fs::create_dir(dir.staging().join(folder))
            .map_err(|err| anyhow!("cannot write {}: {}", dir.shown(folder), io_reason(&err)))?;
    }
    let portfolio = &prepared.portfolio;
    let operator_pages: Vec<String> = portfolio
        .operators
        .par_iter()
        .map(|history| -> Result<String> {
            let key = RoundKey::of_score(&history.current);
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
        left_out: left_out.to_vec(),
    };
    let html = render_portfolio(theme, &portfolio_page(ctx, &run))?;
    write(dir, "index.html", html.as_bytes())?;
    let mut pages = vec!["index.html".to_owned()];
    pages.extend(country_pages);
    pages.extend(operator_pages);
    Ok(pages)
}

/// The data beside the pages, for spreadsheets and scripts (`crate::output`'s
/// formats; the CSV files begin with a byte-order mark); returns how many files.
/// With `--programmes`, their data files too. Then `capgap.xlsx` (SPEC §10): each
/// sheet is made from the same CSV bytes as its file, so the workbook equals the CSV
/// files.
fn write_data(
    context: &Context,
    prepared: &Prepared,
    plan: &AidPlan,
    people: &crate::workforce::Workforce,
    programme_files: Vec<(&'static str, Vec<u8>)>,
    dir: &ReportDir,
) -> Result<usize> {
    let portfolio = &prepared.portfolio;
    let all = prepared.all_scores();
    let model = &context.model;
    // Compact: for 10,000 questionnaires the pretty form is several times larger.
    write_with(dir, "scores.json", |mut out| {
        let records: Vec<_> = all.iter().map(|s| s.record(model)).collect();
        output::json::to_writer(&mut out, &records, false)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    let scores_csv = output::csv::scores(model, all.iter().copied())?;
    write(dir, "scores.csv", &[output::csv::BOM, &scores_csv].concat())?;
    let gaps_csv = output::csv::write_gaps(Vec::new(), model, portfolio.current_scores())?;
    write(dir, "gaps.csv", &[output::csv::BOM, &gaps_csv].concat())?;
    let plan_csv = output::csv::plan(plan)?;
    write(dir, "plan.csv", &[output::csv::BOM, &plan_csv].concat())?;
    write_with(dir, "aggregates.json", |mut out| {
        output::json::to_writer(
            &mut out,
            &output::json::WithWorkforce::new(portfolio, people),
            true,
        )?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    let mut domain_numbers = vec![
        "index",
        "targets_met",
        "level",
        "target",
        "gap",
        "implementation",
        "na",
        "unanswered",
    ];
    domain_numbers.extend(model.responses.iter().map(|r| r.id.as_str()));
    let mut sheets = vec![
        Sheet::new(
            "Scores",
            output::csv::questionnaires(all.iter().copied())?,
            &[
                "weight",
                "index",
                "targets_met",
                "domains_scored",
                "gap_practices",
            ],
        ),
        Sheet::new("Domains", scores_csv, &domain_numbers),
        Sheet::new("Gaps", gaps_csv, &["rank", "level", "priority"]),
        Sheet::new(
            "Plan",
            plan_csv,
            &[
                "rank",
                "benefit",
                "cost",
                "benefit_per_dollar",
                "cumulative_cost",
            ],
        ),
        Sheet::new(
            "Aggregates",
            output::csv::aggregates(portfolio)?,
            &[
                "operators",
                "index",
                "targets_met",
                "domains_scored",
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
            ],
        ),
    ];
    let workforce_csv = output::csv::workforce(portfolio, people)?;
    write(
        dir,
        "workforce.csv",
        &[output::csv::BOM, &workforce_csv].concat(),
    )?;
    if people.is_reported() {
        sheets.push(Sheet::new(
            "Workforce",
            workforce_csv,
            &[
                "operators",
                "reporting",
                "role_operators",
                "staff",
                "needed",
                "in_training",
                "shortfall",
                "programme_trainees",
                "shortfall_after_programmes",
                "seats",
                "deliveries",
                "cost_usd",
            ],
        ));
    }
    // scores.json, scores.csv, gaps.csv, plan.csv, aggregates.json, workforce.csv
    let mut written = 6;
    for (name, bytes) in programme_files {
        write(dir, name, &bytes)?;
        written += 1;
        if let Some(sheet) = programme_sheet(name, bytes) {
            sheets.push(sheet);
        }
    }
    let tlp = portfolio.total.tlp;
    let (workbook, cut) =
        output::xlsx::report_workbook(&sheets, tlp, today()).map_err(anyhow::Error::msg)?;
    for note in cut {
        context.note(&format!("warning: {note}"));
    }
    write(dir, "capgap.xlsx", &workbook)?;
    Ok(written + 1)
}

/// The sheet of a programmes data file (`programmes.csv`, `outcomes.csv`).
fn programme_sheet(file: &str, csv: Vec<u8>) -> Option<Sheet> {
    match file {
        "programmes.csv" => Some(Sheet::new("Programmes", csv, &["amount_usd", "trainees"])),
        "outcomes.csv" => Some(Sheet::new(
            "Outcomes",
            csv,
            &[
                "gaps_before",
                "gaps_after",
                "closed",
                "priority_before",
                "priority_after",
                "benefit_realised",
                "planned_benefit",
                "cost_share_usd",
            ],
        )),
        _ => None,
    }
}

/// Prints every page to a PDF beside it, in parallel.
fn print_pdfs(context: &Context, chrome: &Chrome, dir: &ReportDir, pages: &[String]) -> Result<()> {
    let jobs: Vec<PrintJob> = pages
        .iter()
        .map(|page| {
            let html = dir.staging().join(page);
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
        // The browser's words may name the staging folder: name DIR instead.
        let staging = dir.staging().display().to_string();
        let error = first
            .error
            .to_string()
            .replace(&staging, dir.shown("").trim_end_matches('/'));
        bail!(
            "{} page(s) could not be printed to PDF; first: {error}",
            failures.len()
        );
    }
    Ok(())
}

fn write(dir: &ReportDir, relative: &str, bytes: &[u8]) -> Result<()> {
    write_with(dir, relative, |out| Ok(out.write_all(bytes)?))
}

/// Creates `relative` in the staging folder (a new file: nothing that is already
/// there, a link included, is written through) and lets `fill` write into it
/// through a buffer. Errors name the file as it will be in DIR.
fn write_with(
    dir: &ReportDir,
    relative: &str,
    fill: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    let path = dir.staging().join(relative);
    let shown = dir.shown(relative);
    let file = File::options()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|err| anyhow!("cannot write {shown}: {}", io_reason(&err)))?;
    let mut out = BufWriter::with_capacity(64 * 1024, file);
    fill(&mut out)
        .and_then(|()| Ok(out.flush()?))
        .map_err(|err| match err.downcast_ref::<std::io::Error>() {
            Some(io) => anyhow!("cannot write {shown}: {}", io_reason(io)),
            None => anyhow!("cannot write {shown}: {err}"),
        })
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
