//! `capgap template`: a blank questionnaire for one sector. Every applicable
//! practice is a key with an empty answer, preceded by its question, guidance and
//! the allowed responses as YAML comments, so an assessor can fill it in on site.
//! With `--format xlsx` (or `-o FILE.xlsx`) the same questionnaire is a workbook
//! (`output::xlsx::template_workbook`).

use std::fmt::Write as _;

use anyhow::{Result, bail};

use super::{Context, Outcome};
use crate::cli::{TemplateArgs, TemplateFormat};
use crate::country;
use crate::load::xlsx::is_workbook;
use crate::model::{Model, NOT_APPLICABLE};
use crate::output;
use crate::output::writer::emit;
use crate::questionnaire::{Date, slug};

/// The schema file name the template's first line points editors to.
pub const SCHEMA_FILE: &str = "capgap-questionnaire.schema.json";

pub fn run(context: &Context, args: &TemplateArgs) -> Result<Outcome> {
    let model = &context.model;
    if model.sector(&args.sector).is_none() {
        let ids: Vec<&str> = model.sectors.iter().map(|s| s.id.as_str()).collect();
        bail!(
            "unknown sector `{}`; the model's sectors are: {}",
            args.sector,
            ids.join(", ")
        );
    }
    if let Some(code) = args
        .country
        .as_ref()
        .filter(|code| !country::is_assigned(code))
    {
        bail!("`{code}` is not an ISO 3166-1 alpha-2 country code (e.g. KH, FJ, KE)");
    }
    if let Some(path) = args
        .output
        .as_deref()
        .filter(|p| p.symlink_metadata().is_ok())
    {
        if path.is_dir() {
            bail!("{} is a folder; give a file name with -o", path.display());
        }
        if !args.force {
            bail!(
                "{} already exists; pass --force to replace it, or give another file with -o",
                path.display()
            );
        }
    }
    let languages = languages(model);
    if !languages.contains(&args.lang.as_str()) {
        bail!(
            "unknown language `{}`; the model has texts in: {}",
            args.lang,
            languages.join(", ")
        );
    }
    let workbook = args.format == Some(TemplateFormat::Xlsx)
        || (args.format.is_none() && args.output.as_deref().is_some_and(is_workbook));
    if !workbook && args.output.as_deref().is_some_and(is_workbook) {
        bail!("--format yaml writes YAML: give the file a .yaml name, or use --format xlsx");
    }
    let bytes = if workbook {
        if args.output.is_none() {
            bail!("a workbook needs a file: give one with -o FILE.xlsx");
        }
        output::xlsx::template_workbook(&output::xlsx::TemplateFields {
            model,
            sector: &args.sector,
            lang: &args.lang,
            country: args.country.as_deref(),
            operator: args.operator.as_deref(),
            operator_id: args.operator.as_deref().map(slug),
            today: super::today(),
        })
        .map_err(anyhow::Error::msg)?
    } else {
        template(model, args, super::today()).into_bytes()
    };
    emit(args.output.as_deref(), &bytes)?;
    if let Some(path) = &args.output {
        context.note(&format!(
            "wrote {}; fill in the answers, then run `capgap validate {}`",
            path.display(),
            path.display()
        ));
    }
    Ok(Outcome::Clean)
}

/// The languages the model has any text in, English first (questions and guidance
/// without a translation fall back to English).
fn languages(model: &Model) -> Vec<&str> {
    let practices = model
        .practices()
        .flat_map(|(_, p)| [&p.question, &p.guidance]);
    let texts = std::iter::once(&model.title)
        .chain(model.levels.iter().flat_map(|l| [&l.name, &l.description]))
        .chain(model.responses.iter().map(|r| &r.label))
        .chain(model.sectors.iter().map(|s| &s.name))
        .chain(model.domains.iter().map(|d| &d.name))
        .chain(practices)
        .chain(
            model
                .interventions
                .iter()
                .flat_map(|i| [&i.name, &i.description]),
        );
    let mut found = vec!["en"];
    for lang in texts.flat_map(|text| text.languages()) {
        if !found.contains(&lang) {
            found.push(lang);
        }
    }
    found
}

/// The template text.
pub fn template(model: &Model, args: &TemplateArgs, today: Date) -> String {
    let lang = args.lang.as_str();
    let sector = model.sector(&args.sector).expect("checked by the caller");
    let mut out = String::new();
    let _ = writeln!(out, "# yaml-language-server: $schema={SCHEMA_FILE}");
    let _ = writeln!(
        out,
        "# {} — {} questionnaire",
        model.title.get(lang),
        sector.name.get(lang)
    );
    let _ = writeln!(out, "# Create the schema file for editor completion with:");
    let _ = writeln!(out, "#   capgap schema questionnaire > {SCHEMA_FILE}");
    let _ = writeln!(
        out,
        "# Answer every practice with one of the responses listed above it. Use `na` only when"
    );
    let _ = writeln!(
        out,
        "# the practice cannot apply to this operator, and say why in a note (long form):"
    );
    let _ = writeln!(out, "#   ASSET-1a:");
    let _ = writeln!(out, "#     response: largely");
    let _ = writeln!(out, "#     evidence: [\"Asset register v3, 2025\"]");
    let _ = writeln!(out, "#     note: \"Substation assets not yet covered\"");
    let _ = writeln!(
        out,
        "# Check the file with `capgap validate FILE` before leaving the site.\n"
    );
    let _ = writeln!(out, "model: {}", model.reference());
    match &args.country {
        Some(code) => {
            let name = country::name(code).unwrap_or_default();
            let _ = writeln!(out, "country: {code}  # {name}");
        }
        None => {
            let _ = writeln!(out, "country:  # ISO 3166-1 alpha-2, e.g. KH");
        }
    }
    let _ = writeln!(out, "sector: {}", sector.id);
    match &args.operator {
        Some(name) => {
            let _ = writeln!(out, "operator: {}", quoted(name));
            let _ = writeln!(out, "operator_id: {}  # stable across rounds", slug(name));
        }
        None => {
            let _ = writeln!(out, "operator:  # the operator's name");
            let _ = writeln!(
                out,
                "# operator_id: a stable id across rounds (default: made from the name)"
            );
        }
    }
    let _ = writeln!(out, "assessed_on: {today}");
    let _ = writeln!(out, "assessor:  # name or team");
    let _ = writeln!(
        out,
        "tlp: amber  # clear | green | amber | amber+strict | red"
    );
    let _ = writeln!(
        out,
        "# weight: 1.0  # the operator's share when aggregating its country"
    );
    let _ = writeln!(
        out,
        "# targets: {{ SITUATION: 3 }}  # overrides of the sector's target levels\n"
    );

    let responses: Vec<String> = model
        .responses
        .iter()
        .map(|r| format!("{} ({})", r.id, r.label.get(lang)))
        .chain(std::iter::once(format!(
            "{NOT_APPLICABLE} (not applicable)"
        )))
        .collect();
    let _ = writeln!(out, "# Responses: {}", responses.join(" | "));
    let _ = writeln!(out, "answers:");
    for domain in &model.domains {
        let practices: Vec<_> = domain
            .practices
            .iter()
            .filter(|p| p.applies_to(&sector.id))
            .collect();
        if practices.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n  # ── {} — {} (target level {}) ──",
            domain.id,
            domain.name.get(lang),
            sector.target(&domain.id)
        );
        for practice in practices {
            let level = model.level_name(practice.level, lang).unwrap_or_default();
            comment(
                &mut out,
                &format!(
                    "{} (level {} {level}): {}",
                    practice.id,
                    practice.level,
                    practice.question.get(lang)
                ),
            );
            if !practice.guidance.en().is_empty() {
                comment(
                    &mut out,
                    &format!("Guidance: {}", practice.guidance.get(lang)),
                );
            }
            let _ = writeln!(out, "  {}:", practice.id);
        }
    }
    out
}

/// A comment block wrapped at 96 columns, indented under `answers:`.
fn comment(out: &mut String, text: &str) {
    let mut line = String::from("  #");
    for word in text.split_whitespace() {
        if line.len() + word.len() + 1 > 96 && line.len() > 4 {
            out.push_str(&line);
            out.push('\n');
            line = String::from("  #  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}
