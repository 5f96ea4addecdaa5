//! `--programmes FILE` on `plan` and `report` (SPEC §8): reads the files, prints
//! their problems and what `--tlp-max` left out, puts the run's pseudonyms in place
//! of operator ids when anonymizing, and warns of overlaps on the command line.
//! Also the plan table's lines about coverage and a donor's commitments.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::pipeline::Prepared;
use super::{Context, Outcome};
use crate::cli::ConfidentialityArgs;
use crate::diag::{Diagnostic, Severity};
use crate::load;
use crate::plan::AidPlan;
use crate::programmes::{OperatorKey, Outcomes, Overlap, Programme, outcomes, overlaps};
use crate::report::programmes::ProgrammeInputs;

/// What an anonymised report shows in place of a programme's title, which often
/// names the operator it was for.
pub const WITHHELD_TITLE: &str = "(title withheld: --anonymize)";

/// The programmes of a run, ready for planning and the reports.
#[derive(Debug)]
pub struct ProgrammeRun {
    /// Valid, within `--tlp-max`, with operator ids as the portfolio has them.
    pub programmes: Vec<Programme>,
    pub overlaps: Vec<Overlap>,
    pub outcomes: Outcomes,
    /// How many programmes `--tlp-max` left out.
    pub withheld: usize,
    /// Programmes files left out for an error, with their first error.
    pub excluded: Vec<String>,
    /// `SomeInvalid` when a programmes file had an error.
    pub outcome: Outcome,
}

/// Loads `paths` against the prepared portfolio. Without paths, an empty run.
pub fn load_for(
    context: &Context,
    prepared: &Prepared,
    paths: &[PathBuf],
    confidentiality: &ConfidentialityArgs,
) -> ProgrammeRun {
    if paths.is_empty() {
        return ProgrammeRun {
            programmes: Vec::new(),
            overlaps: Vec::new(),
            outcomes: Outcomes::default(),
            withheld: 0,
            excluded: Vec::new(),
            outcome: Outcome::Clean,
        };
    }
    let mut unreadable = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        let display = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => files.push((display, bytes)),
            Err(err) => {
                let message = if path.is_dir() {
                    "is a folder; --programmes takes a programmes file".to_owned()
                } else {
                    format!("cannot read: {}", io_words(&err))
                };
                unreadable.push(Diagnostic::file(Severity::Error, &display, message));
            }
        }
    }
    let loaded = load::load_programmes(
        &context.model,
        load::RunOperators {
            known: &prepared.known_operators,
            visible: &prepared.visible_operators,
        },
        confidentiality.tlp_max,
        files,
    );
    let mut excluded: Vec<String> = unreadable.iter().map(ToString::to_string).collect();
    for diagnostic in unreadable.iter().chain(&loaded.diagnostics) {
        context.print(diagnostic);
    }
    excluded.extend(loaded.excluded);

    let run: Vec<OperatorKey> = prepared
        .portfolio
        .operators
        .iter()
        .map(|o| {
            (
                o.current.country.clone(),
                o.current.sector.clone(),
                o.current.operator_id.clone(),
            )
        })
        .collect();
    let in_run: BTreeSet<&OperatorKey> = run.iter().collect();
    let mut programmes = loaded.programmes;
    if confidentiality.anonymize {
        for programme in &mut programmes {
            programme.title = WITHHELD_TITLE.to_owned();
        }
    }
    for cover in programmes.iter_mut().flat_map(|p| p.covers.iter_mut()) {
        if let Some(ids) = &mut cover.operators {
            // Real ids become the run's pseudonyms; an operator the run left out
            // (`--tlp-max`) is dropped, so no figure depends on it.
            *ids = ids
                .iter()
                .filter_map(|id| match &prepared.pseudonyms {
                    Some(pseudonyms) => pseudonyms
                        .id(&cover.country, &cover.sector, id)
                        .map(str::to_owned),
                    None => Some(id.clone()),
                })
                .filter(|id| {
                    in_run.contains(&(cover.country.clone(), cover.sector.clone(), id.clone()))
                })
                .collect();
        }
    }

    let overlaps = overlaps(&programmes, &run);
    if !context.global.quiet {
        for overlap in &overlaps {
            eprintln!("warning: {}", overlap.sentence());
        }
    }
    let rounds = prepared
        .portfolio
        .operators
        .iter()
        .flat_map(|o| std::iter::once(&o.current).chain(&o.earlier));
    let outcomes = outcomes(&context.model, &programmes, rounds);

    if !context.global.quiet || !excluded.is_empty() {
        eprintln!(
            "read {} programme(s) from {} of {} programmes file(s)",
            programmes.len(),
            paths.len() - excluded.len().min(paths.len()),
            paths.len()
        );
        if !excluded.is_empty() {
            eprintln!("excluded {} invalid programmes file(s):", excluded.len());
            for line in &excluded {
                eprintln!("  {line}");
            }
        }
    }
    if let Some(withheld) = withheld_phrase(loaded.withheld, confidentiality) {
        eprintln!("left out {withheld} (--tlp-max)");
    }
    ProgrammeRun {
        programmes,
        overlaps,
        outcomes,
        withheld: loaded.withheld,
        outcome: if excluded.is_empty() {
            Outcome::Clean
        } else {
            Outcome::SomeInvalid
        },
        excluded,
    }
}

impl ProgrammeRun {
    /// The programmes as the report's page builder takes them.
    pub fn inputs(&self) -> ProgrammeInputs<'_> {
        ProgrammeInputs {
            programmes: &self.programmes,
            overlaps: &self.overlaps,
            outcomes: &self.outcomes,
        }
    }
}

/// The one wording of what `--tlp-max` left out of the programmes, for the command
/// line and the report alike: `2 programme(s) marked above TLP:AMBER`; `None` when
/// nothing was.
fn withheld_phrase(withheld: usize, confidentiality: &ConfidentialityArgs) -> Option<String> {
    let max = confidentiality.tlp_max.filter(|_| withheld > 0)?;
    Some(format!(
        "{withheld} programme(s) marked above {}",
        max.label()
    ))
}

/// The report's sentences on the programmes left out: by `--tlp-max`, and files
/// with an error (named with their first error, unless anonymizing).
/// In the report's language (`strings`); the errors themselves stay as the
/// command line prints them.
pub fn notices(
    run: &ProgrammeRun,
    confidentiality: &ConfidentialityArgs,
    strings: &crate::i18n::Strings,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(max) = confidentiality.tlp_max.filter(|_| run.withheld > 0) {
        out.push(strings.fmt(
            "notice.programmes_withheld",
            &[("count", &run.withheld), ("max", &max.label())],
        ));
    }
    if !run.excluded.is_empty() {
        if confidentiality.anonymize {
            out.push(strings.fmt(
                "notice.programmes_files_excluded",
                &[("count", &run.excluded.len())],
            ));
        } else {
            for line in &run.excluded {
                out.push(strings.fmt("notice.programmes_file_excluded", &[("error", line)]));
            }
        }
    }
    out
}

/// Refuses `-o FILE` when it is one of the programmes files: an output never
/// destroys an input.
pub fn refuse_overwrite(output: Option<&std::path::Path>, paths: &[PathBuf]) -> anyhow::Result<()> {
    let Some(output) = output else {
        return Ok(());
    };
    let Ok(target) = output.canonicalize() else {
        return Ok(());
    };
    if paths
        .iter()
        .any(|p| p.canonicalize().is_ok_and(|p| p == target))
    {
        anyhow::bail!(
            "-o {} is one of the programmes files; choose another output file",
            output.display()
        );
    }
    Ok(())
}

/// A text cell that a spreadsheet would read as a formula, made inert (SPEC §10).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `programmes.csv` (one row per programme and cover), `outcomes.csv` (one row per
/// operator and intervention measured) and `programmes.json` (programmes,
/// overlaps and outcomes with their summaries), for the report folder. CSV files
/// on disk begin with a UTF-8 byte-order mark.
pub fn data_files(run: &ProgrammeRun) -> anyhow::Result<Vec<(&'static str, Vec<u8>)>> {
    const BOM: &[u8] = "\u{feff}".as_bytes();
    let finish = |writer: csv::Writer<Vec<u8>>| -> anyhow::Result<Vec<u8>> {
        let mut out = BOM.to_vec();
        out.extend(writer.into_inner().map_err(|e| e.into_error())?);
        Ok(out)
    };
    let mut programmes = csv::Writer::from_writer(Vec::new());
    programmes.write_record([
        "id",
        "donor",
        "implementer",
        "title",
        "status",
        "start",
        "end",
        "amount_usd",
        "tlp",
        "country",
        "sector",
        "intervention",
        "operators",
        "trainees",
    ])?;
    for p in &run.programmes {
        for c in &p.covers {
            programmes.write_record([
                cell(&p.id),
                cell(&p.donor),
                cell(p.implementer.as_deref().unwrap_or_default()),
                cell(&p.title),
                p.status.as_str().to_owned(),
                p.start.to_string(),
                p.end.to_string(),
                number(p.amount_usd),
                p.tlp.as_str().to_owned(),
                cell(&c.country),
                cell(&c.sector),
                cell(&c.intervention),
                // Empty: every operator of the country and sector.
                c.operators
                    .as_ref()
                    .map(|ids| cell(&ids.join(";")))
                    .unwrap_or_default(),
                c.trainees.map(|t| t.to_string()).unwrap_or_default(),
            ])?;
        }
    }
    let mut outcomes = csv::Writer::from_writer(Vec::new());
    outcomes.write_record([
        "programme",
        "donor",
        "country",
        "sector",
        "operator_id",
        "intervention",
        "kind",
        "before_on",
        "after_on",
        "gaps_before",
        "gaps_after",
        "closed",
        "priority_before",
        "priority_after",
        "benefit_realised",
        "planned_benefit",
        "cost_share_usd",
    ])?;
    for m in &run.outcomes.measurements {
        outcomes.write_record([
            cell(&m.programme),
            cell(&m.donor),
            cell(&m.country),
            cell(&m.sector),
            cell(&m.operator_id),
            cell(&m.intervention),
            m.kind.as_str().to_owned(),
            m.before_on.to_string(),
            m.after_on.to_string(),
            m.gaps_before.to_string(),
            m.gaps_after.to_string(),
            m.closed.to_string(),
            format!("{:.6}", m.priority_before),
            format!("{:.6}", m.priority_after),
            format!("{:.6}", m.benefit_realised),
            format!("{:.6}", m.planned_benefit),
            number(m.cost_share),
        ])?;
    }
    #[derive(serde::Serialize)]
    struct Json<'a> {
        programmes: &'a [Programme],
        overlaps: &'a [Overlap],
        outcomes: &'a Outcomes,
    }
    let mut json = serde_json::to_vec_pretty(&Json {
        programmes: &run.programmes,
        overlaps: &run.overlaps,
        outcomes: &run.outcomes,
    })?;
    json.push(b'\n');
    Ok(vec![
        ("programmes.csv", finish(programmes)?),
        ("outcomes.csv", finish(outcomes)?),
        ("programmes.json", json),
    ])
}

/// An IO error in lower-case words, without the OS error number.
fn io_words(err: &std::io::Error) -> &'static str {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file",
        std::io::ErrorKind::PermissionDenied => "permission denied",
        _ => "the file could not be read",
    }
}

/// The worse of two outcomes.
pub fn worse(a: Outcome, b: Outcome) -> Outcome {
    if a == Outcome::SomeInvalid || b == Outcome::SomeInvalid {
        Outcome::SomeInvalid
    } else {
        Outcome::Clean
    }
}

/// The plan table's lines before the ranking: a donor's commitments (`--donor`);
/// empty without one.
pub fn plan_header(plan: &AidPlan) -> String {
    let mut out = String::new();
    if let Some(donor) = &plan.donor {
        if plan.commitments.is_empty() {
            let _ = writeln!(
                out,
                "no programme of donor `{donor}` in the programmes files"
            );
        } else {
            let _ = writeln!(out, "commitments of {donor}:");
            for c in &plan.commitments {
                let amount = c
                    .amount_usd
                    .map_or_else(|| "amount not given".to_owned(), |a| format!("${a:.0}"));
                let _ = writeln!(
                    out,
                    "  {:<30} {:<9} {:>16}  {}  ({})",
                    c.id,
                    c.status.as_str(),
                    amount,
                    c.title,
                    c.covers.join("; ")
                );
            }
            if let Some(budget) = plan.budget {
                let _ = writeln!(
                    out,
                    "budget ${budget:.0} less ${:.0} planned or funded leaves ${:.0} for the candidates",
                    plan.committed,
                    (budget - plan.committed).max(0.0)
                );
            }
        }
        let _ = writeln!(out);
    }
    out
}

/// The plan table's lines after the ranking: what programmes cover and the cap per
/// country; empty when neither applies.
pub fn plan_footer(plan: &AidPlan) -> String {
    let mut out = String::new();
    // With `--donor`: its own commitments first, then other donors' coverage.
    let own = |c: &&crate::plan::AidCandidate| {
        plan.donor.as_ref().is_some_and(|donor| {
            c.covered_by
                .iter()
                .any(|d| d.to_lowercase() == donor.to_lowercase())
        })
    };
    let groups = [
        (
            plan.donor
                .as_ref()
                .map(|d| format!("covered by {d}'s own programmes, not ranked:")),
            plan.covered.iter().filter(own).collect::<Vec<_>>(),
        ),
        (
            Some(if plan.donor.is_some() {
                "covered by other donors' programmes, not ranked:".to_owned()
            } else {
                "covered by programmes, not ranked:".to_owned()
            }),
            plan.covered.iter().filter(|c| !own(c)).collect(),
        ),
    ];
    for (heading, covered) in groups {
        let Some(heading) = heading.filter(|_| !covered.is_empty()) else {
            continue;
        };
        let _ = writeln!(out);
        let _ = writeln!(out, "{heading}");
        for c in covered {
            let _ = writeln!(
                out,
                "  {} {:<8} {:<32} {} operator(s): {} ({})",
                c.country,
                c.sector,
                c.intervention,
                c.covered_operators.len(),
                c.covered_by.join(", "),
                c.programmes.join(", ")
            );
        }
    }
    let partly = plan
        .candidates
        .iter()
        .filter(|c| !c.covered_operators.is_empty())
        .count();
    if partly > 0 {
        let _ = writeln!(
            out,
            "{partly} ranked candidate(s) count only their uncovered operators (see covered_by in --format json)"
        );
    }
    if let Some(cap) = plan.max_per_country {
        let _ = writeln!(
            out,
            "no country takes more than ${cap:.0} (--max-per-country)"
        );
    }
    out
}
