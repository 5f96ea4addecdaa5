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
use crate::i18n::{Lang, Strings};
use crate::load::xlsx::is_workbook;
use crate::model::{Model, NOT_APPLICABLE};
use crate::output;
use crate::output::writer::emit;
use crate::questionnaire::{Date, slug};

/// The schema file the template's first line points editors to, beside the
/// questionnaire, when `--schema` does not name another: one per sector, so that
/// completion offers that sector's practices only.
pub fn schema_file(sector: &str) -> String {
    format!("capgap-questionnaire-{sector}.schema.json")
}

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
    if let Some(schema) = args
        .schema
        .as_deref()
        .filter(|s| s.is_empty() || s.chars().any(char::is_control))
    {
        bail!(
            "--schema `{}` is not a path or URL on one line",
            schema.escape_debug()
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
    write_schema(context, args)?;
    Ok(Outcome::Clean)
}

/// Writes the schema the template's first line names beside `-o FILE`, unless
/// `--schema` names another or the file is already there (it is kept).
fn write_schema(context: &Context, args: &TemplateArgs) -> Result<()> {
    let name = schema_file(&args.sector);
    if args.schema.is_some() {
        return Ok(());
    }
    let Some(output) = &args.output else {
        context.note(&format!(
            "the first line names {name} for editors; write it beside the questionnaire with \
             `capgap schema questionnaire --sector {} > {name}`",
            args.sector
        ));
        return Ok(());
    };
    let path = output.with_file_name(&name);
    if path.symlink_metadata().is_ok() {
        context.note(&format!(
            "kept the schema file {} for editors",
            path.display()
        ));
        return Ok(());
    }
    let sector = context.model.sector(&args.sector).expect("checked by run");
    let schema = crate::load::schema::questionnaire(&context.model, Some(sector), &args.lang);
    emit(Some(&path), &super::schema::to_bytes(&schema))?;
    context.note(&format!(
        "wrote the schema file {} for editors",
        path.display()
    ));
    Ok(())
}

/// The template text. Its comments are worded by the string table of `--lang`
/// (`template.*` keys); the keys and values the loader reads stay as they are.
pub fn template(model: &Model, args: &TemplateArgs, today: Date) -> String {
    let lang = args.lang.as_str();
    let t = Strings::builtin(Lang::parse(lang).unwrap_or_default());
    let sector = model.sector(&args.sector).expect("checked by the caller");
    let mut out = String::new();
    let schema = args
        .schema
        .clone()
        .unwrap_or_else(|| schema_file(&sector.id));
    let _ = writeln!(out, "# yaml-language-server: $schema={schema}");
    let title = t.fmt(
        "template.title",
        &[
            ("model", &model.title.get(lang)),
            ("sector", &sector.name.get(lang)),
        ],
    );
    top_comment(&mut out, &title);
    if args.schema.is_none() {
        top_comment(&mut out, t.get("template.schema_made"));
        let _ = writeln!(
            out,
            "#   capgap schema questionnaire --sector {} > {}",
            sector.id,
            schema_file(&sector.id)
        );
    }
    top_comment(&mut out, t.get("template.instructions"));
    let _ = writeln!(out, "#   ASSET-1a:");
    let _ = writeln!(out, "#     response: largely");
    let _ = writeln!(
        out,
        "#     evidence: [{}]",
        quoted(t.get("template.example_evidence"))
    );
    let _ = writeln!(
        out,
        "#     note: {}",
        quoted(t.get("template.example_note"))
    );
    top_comment(&mut out, t.get("template.check"));
    out.push('\n');
    let _ = writeln!(out, "model: {}", model.reference());
    match &args.country {
        Some(code) => {
            let name = country::name_in(code, t.lang()).unwrap_or_default();
            let _ = writeln!(out, "country: {code}  # {name}");
        }
        None => {
            let _ = writeln!(out, "country:  # {}", t.get("template.country_hint"));
        }
    }
    let _ = writeln!(out, "sector: {}", sector.id);
    match &args.operator {
        Some(name) => {
            let _ = writeln!(out, "operator: {}", quoted(name));
            let _ = writeln!(
                out,
                "operator_id: {}  # {}",
                slug(name),
                t.get("template.operator_id_kept")
            );
        }
        None => {
            let _ = writeln!(out, "operator:  # {}", t.get("template.operator_hint"));
            let _ = writeln!(out, "# operator_id: {}", t.get("template.operator_id_hint"));
        }
    }
    let _ = writeln!(out, "assessed_on: {today}");
    let _ = writeln!(out, "assessor:  # {}", t.get("template.assessor_hint"));
    let _ = writeln!(
        out,
        "tlp: amber  # clear | green | amber | amber+strict | red"
    );
    let _ = writeln!(out, "# weight: 1.0  # {}", t.get("template.weight_hint"));
    let _ = writeln!(
        out,
        "# targets: {{ SITUATION: 3 }}  # {}\n",
        t.get("template.targets_hint")
    );

    let responses: Vec<String> = model
        .responses
        .iter()
        .map(|r| format!("{} ({})", r.id, r.label.get(lang)))
        .chain(std::iter::once(format!(
            "{NOT_APPLICABLE} ({})",
            t.get("template.not_applicable")
        )))
        .collect();
    let responses = t.fmt(
        "template.responses",
        &[("responses", &responses.join(" | "))],
    );
    let _ = writeln!(out, "# {responses}");
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
        let heading = t.fmt(
            "template.domain",
            &[
                ("id", &domain.id),
                ("name", &domain.name.get(lang)),
                ("target", &sector.target(&domain.id)),
            ],
        );
        let _ = writeln!(out, "\n  # ── {heading} ──");
        for practice in practices {
            let level = model.level_name(practice.level, lang).unwrap_or_default();
            comment(
                &mut out,
                &t.fmt(
                    "template.practice",
                    &[
                        ("id", &practice.id),
                        ("level", &practice.level),
                        ("level_name", &level),
                        ("question", &practice.question.get(lang)),
                    ],
                ),
            );
            if !practice.guidance.en().is_empty() {
                comment(
                    &mut out,
                    &t.fmt(
                        "template.guidance",
                        &[("guidance", &practice.guidance.get(lang))],
                    ),
                );
            }
            let _ = writeln!(out, "  {}:", practice.id);
        }
    }
    workforce_section(&mut out, model, lang, t);
    out
}

/// The optional `workforce` section (SPEC §9), commented out: one line per model
/// role with its description, for the assessor to uncomment and fill in.
fn workforce_section(out: &mut String, model: &Model, lang: &str, t: &Strings) {
    let Some(first) = model.roles.first() else {
        return;
    };
    let _ = writeln!(out, "\n# ── {} ──", t.get("template.workforce_heading"));
    top_comment(out, t.get("template.workforce_intro"));
    let _ = writeln!(out, "# workforce:");
    for role in &model.roles {
        let mut text = String::new();
        comment(
            &mut text,
            &format!("{}: {}", role.name.get(lang), role.description.get(lang)),
        );
        for line in text.lines() {
            let _ = writeln!(out, "# {line}");
        }
        let example = if role.id == first.id {
            "{ staff: 1, needed: 2, in_training: 0 }"
        } else {
            "{ staff: 0, needed: 0 }"
        };
        let _ = writeln!(out, "#   {}: {example}", role.id);
    }
}

/// A top-level comment block (`# ...`), wrapped like [`comment`].
fn top_comment(out: &mut String, text: &str) {
    wrapped(out, text, "#", "# ");
}

/// A comment block wrapped at 96 columns, indented under `answers:`. Lines break at
/// ASCII spaces, so the no-break spaces of French text (before `?`, inside `« »`) keep
/// their words together, and, since Japanese has no spaces, next to any CJK character
/// except before closing punctuation (`、。）」`) or after opening brackets. CJK
/// characters count two columns.
fn comment(out: &mut String, text: &str) {
    wrapped(out, text, "  #", "  #   ");
}

/// `text` wrapped at 96 columns, after `first` on its first line and `rest` on the others.
fn wrapped(out: &mut String, text: &str, first: &str, rest: &str) {
    const COLUMNS: usize = 96;
    let mut line = String::from(first);
    let mut width = line.len();
    for word in text.split_ascii_whitespace() {
        for (n, piece) in pieces(word).into_iter().enumerate() {
            let piece_width: usize = piece.chars().map(columns).sum();
            let space = usize::from(n == 0);
            if width + space + piece_width > COLUMNS && width > 4 {
                out.push_str(&line);
                out.push('\n');
                line = String::from(rest);
                width = line.len();
            } else if space == 1 {
                line.push(' ');
                width += 1;
            }
            line.push_str(piece);
            width += piece_width;
        }
    }
    out.push_str(&line);
    out.push('\n');
}

/// A word cut where a line may break inside it: next to CJK characters, keeping
/// closing punctuation with what it closes and opening brackets with what they open.
fn pieces(word: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    for (at, c) in word.char_indices() {
        if let Some(before) = previous {
            let cjk = is_cjk(c) || is_cjk(before);
            if cjk
                && !"、。，．・：；？！）」』】〕ーぁぃぅぇぉっゃゅょァィゥェォッャュョ".contains(c)
                && !"（「『【〔".contains(before)
            {
                pieces.push(&word[start..at]);
                start = at;
            }
        }
        previous = Some(c);
    }
    pieces.push(&word[start..]);
    pieces
}

/// Chinese, Japanese and Korean characters and full-width forms, which take two columns.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ff60}')
}

/// The columns a character takes in a terminal or editor.
fn columns(c: char) -> usize {
    if is_cjk(c) { 2 } else { 1 }
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let mut out = String::new();
        comment(&mut out, text);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines, expected);
        for line in lines {
            assert!(line.chars().map(columns).sum::<usize>() <= 96, "{line}");
        }
    }

    #[test]
    fn japanese_wraps_between_characters_and_keeps_punctuation_with_its_text() {
        let question = "重要なOTシステム（SCADAサーバや信号制御サーバ、HMIおよびエンジニアリングのプロジェクトデータ、コントローラのプログラム）のバックアップを取得していますか。";
        check(
            question,
            &[
                "  # 重要なOTシステム（SCADAサーバや信号制御サーバ、HMIおよびエンジニアリングのプロジェクトデー",
                "  #   タ、コントローラのプログラム）のバックアップを取得していますか。",
            ],
        );
    }

    #[test]
    fn french_keeps_no_break_spaces_and_breaks_at_ascii_spaces() {
        let question = "Participez-vous à des exercices cyber nationaux ou régionaux avec le CSIRT national, le régulateur et d'autres opérateurs d'infrastructures critiques\u{202f}?";
        check(
            question,
            &[
                "  # Participez-vous à des exercices cyber nationaux ou régionaux avec le CSIRT national, le",
                "  #   régulateur et d'autres opérateurs d'infrastructures critiques\u{202f}?",
            ],
        );
    }
}
