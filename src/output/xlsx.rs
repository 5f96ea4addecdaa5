//! The workbooks capgap writes (SPEC §10), with rust_xlsxwriter: the questionnaire
//! template of `template --format xlsx` (sheets Questionnaire and Answers, the
//! response column a drop-down of the model's responses and `na`, a sheet Workforce
//! when the model has roles, and a sheet on how to fill it; its wording, in
//! `template --lang`, from the `workbook.*` keys of the string tables, while the
//! header names capgap reads stay English), and the report's `capgap.xlsx`, one
//! sheet per data table.
//!
//! A report sheet is made from the very CSV bytes the report writes (or would write,
//! for the tables that have no file), so the workbook equals the CSV files by
//! construction and a new table becomes a sheet by being listed: its text cells are
//! the CSV's (already formula-safe, `'`-prefixed where needed), and the columns named
//! as numeric hold numbers. Every sheet has a frozen header row, a filter, number
//! formats and the TLP label in its printed header. The bytes are deterministic: the
//! document's date is the report's (or template's), never the clock's time. Pure: no IO.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, Note, Workbook, Worksheet, XlsxError,
};

use crate::i18n::{Lang, Strings};
use crate::model::{Model, NOT_APPLICABLE};
use crate::questionnaire::{Date, Tlp};

/// One data table of the report as a sheet: its name, its CSV bytes (a leading
/// byte-order mark is skipped) and which of its columns hold numbers.
pub struct Sheet {
    pub name: &'static str,
    pub csv: Vec<u8>,
    pub numbers: Vec<String>,
}

impl Sheet {
    pub fn new(name: &'static str, csv: Vec<u8>, numbers: &[&str]) -> Sheet {
        Sheet {
            name,
            csv,
            numbers: numbers.iter().map(|n| (*n).to_owned()).collect(),
        }
    }
}

/// The most rows a sheet holds in Excel (the header row included).
pub const MAX_SHEET_ROWS: u32 = 1_048_576;
/// The most characters a cell holds in Excel.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The workbook of a report: one sheet per table, in order, with a sentence for each
/// table that did not fit Excel's limits (rows beyond 1,048,576 left out, text beyond
/// 32,767 characters cut; the CSV files hold everything).
pub fn report_workbook(
    sheets: &[Sheet],
    tlp: Tlp,
    date: Date,
) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut notes = Vec::new();
    let bytes = build_report(sheets, tlp, date, &mut notes)
        .map_err(|e| format!("cannot build capgap.xlsx: {e}"))?;
    Ok((bytes, notes))
}

fn build_report(
    sheets: &[Sheet],
    tlp: Tlp,
    date: Date,
    notes: &mut Vec<String>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // Level 3: 250,000 rows pack in two thirds of the time of the default level 6,
    // about 15% larger.
    workbook.set_zip_compression_level(3);
    properties(&mut workbook, "capgap report data", date)?;
    let header = Format::new()
        .set_bold()
        .set_background_color(0xD9E1F2)
        .set_align(FormatAlign::Top);
    let whole = Format::new().set_num_format("0");
    let decimal = Format::new().set_num_format("0.0######");
    for sheet in sheets {
        let body = sheet
            .csv
            .strip_prefix(super::csv::BOM)
            .unwrap_or(&sheet.csv);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body);
        // Rows go to a temporary file as they are written: a large portfolio's sheets
        // never sit in memory whole.
        let ws = workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(sheet.name)?;
        tlp_header(ws, tlp, sheet.name, date);
        let mut cut = 0usize;
        let mut numeric: Vec<bool> = Vec::new();
        let mut widths: Vec<usize> = Vec::new();
        let mut rows = 0u32;
        let mut columns = 0u16;
        for (r, record) in reader.records().enumerate() {
            let Ok(record) = record else { continue };
            let Some(row) = u32::try_from(r).ok().filter(|&r| r < MAX_SHEET_ROWS) else {
                notes.push(format!(
                    "capgap.xlsx: the sheet {} holds the first {} rows; the CSV file holds them all",
                    sheet.name,
                    MAX_SHEET_ROWS - 1
                ));
                break;
            };
            rows = row;
            for (c, field) in record.iter().enumerate() {
                let col = c as u16;
                columns = columns.max(col + 1);
                if widths.len() <= c {
                    widths.resize(c + 1, 8);
                }
                widths[c] = widths[c].max(field.chars().count().min(60));
                if row == 0 {
                    numeric.push(sheet.numbers.iter().any(|n| n == field));
                    ws.write_string_with_format(row, col, field, &header)?;
                    continue;
                }
                let number = numeric
                    .get(c)
                    .copied()
                    .unwrap_or(false)
                    .then(|| field.parse::<f64>().ok().filter(|f| f.is_finite()))
                    .flatten();
                match number {
                    Some(n) if n.fract() == 0.0 && !field.contains('.') => {
                        ws.write_number_with_format(row, col, n, &whole)?;
                    }
                    Some(n) => {
                        ws.write_number_with_format(row, col, n, &decimal)?;
                    }
                    None if field.is_empty() => {}
                    None if field.len() > MAX_CELL_CHARS
                        && field.chars().count() > MAX_CELL_CHARS =>
                    {
                        cut += 1;
                        let short: String = field.chars().take(MAX_CELL_CHARS - 1).collect();
                        ws.write_string(row, col, short + "…")?;
                    }
                    None => {
                        ws.write_string(row, col, field)?;
                    }
                }
            }
        }
        if cut > 0 {
            notes.push(format!(
                "capgap.xlsx: {cut} cell(s) of the sheet {} are cut at Excel's {MAX_CELL_CHARS} characters; the CSV file holds them whole",
                sheet.name
            ));
        }
        for (c, width) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*width as f64 + 2.0).min(62.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        if columns > 0 {
            ws.autofilter(0, 0, rows.max(1), columns - 1)?;
        }
    }
    workbook.save_to_buffer()
}

/// The TLP label (and what the sheet is) in every printed page's header.
fn tlp_header(ws: &mut Worksheet, tlp: Tlp, what: &str, date: Date) {
    ws.set_header(format!(
        "&L&\"-,Bold\"{}&C{}&R{date}",
        tlp.label(),
        what.replace('&', "&&")
    ));
    ws.set_landscape();
}

fn properties(workbook: &mut Workbook, title: &str, date: Date) -> Result<(), XlsxError> {
    let created = ExcelDateTime::from_ymd(date.year, date.month, date.day)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author("capgap")
            .set_creation_datetime(&created),
    );
    Ok(())
}

/// What the template's Questionnaire sheet says, field by field.
pub struct TemplateFields<'a> {
    pub model: &'a Model,
    pub sector: &'a str,
    pub lang: &'a str,
    pub country: Option<&'a str>,
    pub operator: Option<&'a str>,
    pub operator_id: Option<String>,
    pub today: Date,
}

/// The columns of the template's Answers sheet, as the reader finds them.
pub const ANSWER_HEADER: [&str; 8] = [
    "practice", "domain", "level", "question", "guidance", "response", "evidence", "note",
];

/// The columns of the template's Workforce sheet, as the reader finds them.
pub const WORKFORCE_HEADER: [&str; 6] = [
    "role",
    "name",
    "description",
    "staff",
    "needed",
    "in_training",
];

/// The questionnaire template as a workbook.
pub fn template_workbook(fields: &TemplateFields<'_>) -> Result<Vec<u8>, String> {
    build_template(fields).map_err(|e| format!("cannot build the workbook: {e}"))
}

fn build_template(t: &TemplateFields<'_>) -> Result<Vec<u8>, XlsxError> {
    let model = t.model;
    let lang = t.lang;
    // The workbook's own wording; a model language without a string table gets English.
    let s = Strings::builtin(Lang::parse(lang).unwrap_or_default());
    let sector = model.sector(t.sector).expect("checked by the caller");
    let mut workbook = Workbook::new();
    properties(
        &mut workbook,
        &format!("{} — {}", model.title.get(lang), sector.name.get(lang)),
        t.today,
    )?;
    let header = Format::new()
        .set_bold()
        .set_background_color(0xD9E1F2)
        .set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let input = Format::new()
        .set_background_color(0xFFF2CC)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let mut responses: Vec<String> = model.responses.iter().map(|r| r.id.clone()).collect();
    responses.push(NOT_APPLICABLE.to_owned());

    // How to fill it in.
    let ws = workbook.add_worksheet();
    if ws.set_name(s.get("workbook.sheet.how")).is_err() {
        ws.set_name("How to fill")?;
    }
    ws.set_column_width(0, 110)?;
    let scale: Vec<String> = model
        .responses
        .iter()
        .map(|r| format!("{} = {}", r.id, r.label.get(lang)))
        .chain(std::iter::once(format!(
            "{NOT_APPLICABLE} = {}",
            s.get("workbook.na")
        )))
        .collect();
    let mut steps: Vec<(String, Option<String>)> = vec![
        (s.get("workbook.how.questionnaire").to_owned(), None),
        (
            s.get("workbook.how.answers").to_owned(),
            Some(s.fmt(
                "workbook.how.responses",
                &[("responses", &scale.join(s.get("workbook.list_separator")))],
            )),
        ),
        (s.get("workbook.how.na").to_owned(), None),
        (s.get("workbook.how.evidence").to_owned(), None),
    ];
    if !model.roles.is_empty() {
        steps.push((s.get("workbook.how.workforce").to_owned(), None));
    }
    steps.push((s.get("workbook.how.values").to_owned(), None));
    steps.push((s.get("workbook.how.check").to_owned(), None));
    let mut lines = vec![
        format!("{} — {}", model.title.get(lang), sector.name.get(lang)),
        String::new(),
    ];
    for (i, (step, more)) in steps.into_iter().enumerate() {
        lines.push(format!("{}. {step}", i + 1));
        lines.extend(more.map(|more| format!("   {more}")));
    }
    for (row, line) in lines.iter().enumerate() {
        if row == 0 {
            ws.write_string_with_format(0, 0, line, &header)?;
        } else {
            ws.write_string_with_format(row as u32, 0, line, &wrap)?;
        }
    }

    // The header fields.
    let ws = workbook.add_worksheet();
    ws.set_name(crate::load::xlsx::QUESTIONNAIRE_SHEET)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(2, 80)?;
    for (col, name) in ["field", "value"].iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *name, &header)?;
        column_note(ws, s, 0, col as u16, name)?;
    }
    ws.write_string_with_format(0, 2, s.get("workbook.th.help"), &header)?;
    let country_help = match t
        .country
        .and_then(|code| crate::country::name_in(code, s.lang()))
    {
        Some(name) => s.fmt("workbook.field.country_named", &[("country", &name)]),
        None => s.get("workbook.field.country").to_owned(),
    };
    let field = |key: &str| s.get(key).to_owned();
    let labels: Vec<&str> = Tlp::ALL.iter().map(|t| t.as_str()).collect();
    let mut rows: Vec<(String, String, String)> = vec![
        (
            "model".into(),
            model.reference(),
            field("workbook.field.model"),
        ),
        (
            "country".into(),
            t.country.unwrap_or_default().into(),
            country_help,
        ),
        (
            "sector".into(),
            sector.id.clone(),
            s.fmt(
                "workbook.field.sector",
                &[("sector", &sector.name.get(lang))],
            ),
        ),
        (
            "operator".into(),
            t.operator.unwrap_or_default().into(),
            field("workbook.field.operator"),
        ),
        (
            "operator_id".into(),
            t.operator_id.clone().unwrap_or_default(),
            field("workbook.field.operator_id"),
        ),
        (
            "assessed_on".into(),
            t.today.to_string(),
            field("workbook.field.assessed_on"),
        ),
        (
            "assessor".into(),
            String::new(),
            field("workbook.field.assessor"),
        ),
        (
            "tlp".into(),
            "amber".into(),
            s.fmt("workbook.field.tlp", &[("labels", &labels.join(" | "))]),
        ),
        (
            "weight".into(),
            String::new(),
            field("workbook.field.weight"),
        ),
    ];
    for domain in &model.domains {
        rows.push((
            format!("targets.{}", domain.id),
            String::new(),
            s.fmt(
                "workbook.field.target",
                &[
                    ("domain", &domain.name.get(lang)),
                    ("level", &sector.target(&domain.id)),
                ],
            ),
        ));
    }
    for (i, (field, value, help)) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, field)?;
        if value.is_empty() {
            ws.write_blank(row, 1, &input)?;
        } else {
            ws.write_string_with_format(row, 1, value, &input)?;
        }
        ws.write_string_with_format(row, 2, help, &wrap)?;
        if field == "tlp" {
            ws.add_data_validation(
                row,
                1,
                row,
                1,
                &DataValidation::new().allow_list_strings(&labels)?,
            )?;
        }
        if field.starts_with("targets.") {
            let levels: Vec<String> = model.levels.iter().map(|l| l.level.to_string()).collect();
            let rule = DataValidation::new()
                .allow_list_strings(&levels)?
                .set_error_style(DataValidationErrorStyle::Warning);
            ws.add_data_validation(row, 1, row, 1, &rule)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;

    // The answers.
    let ws = workbook.add_worksheet();
    ws.set_name(crate::load::xlsx::ANSWERS_SHEET)?;
    for (col, (name, width)) in ANSWER_HEADER
        .iter()
        .zip([12, 12, 7, 60, 60, 14, 40, 40])
        .enumerate()
    {
        ws.write_string_with_format(0, col as u16, *name, &header)?;
        ws.set_column_width(col as u16, width)?;
        column_note(ws, s, 0, col as u16, name)?;
    }
    let mut row = 0u32;
    for domain in &model.domains {
        for practice in domain.practices.iter().filter(|p| p.applies_to(&sector.id)) {
            row += 1;
            ws.write_string_with_format(row, 0, &practice.id, &wrap)?;
            ws.write_string_with_format(row, 1, &domain.id, &wrap)?;
            ws.write_number_with_format(row, 2, f64::from(practice.level), &wrap)?;
            ws.write_string_with_format(row, 3, practice.question.get(lang), &wrap)?;
            ws.write_string_with_format(row, 4, practice.guidance.get(lang), &wrap)?;
            for col in 5..8 {
                ws.write_blank(row, col, &input)?;
            }
        }
    }
    if row > 0 {
        let labels: Vec<String> = model
            .responses
            .iter()
            .map(|r| format!("{} = {}", r.id, r.label.get(lang)))
            .collect();
        let message = labels.join(s.get("workbook.list_separator"));
        let rule = DataValidation::new()
            .allow_list_strings(&responses)?
            .set_input_title(limit(s.get("workbook.response.title"), 32))?
            .set_input_message(limit(&message, 255))?
            .set_error_title(limit(s.get("workbook.response.error_title"), 32))?
            .set_error_message(limit(
                &s.fmt(
                    "workbook.response.error",
                    &[("responses", &responses.join(", "))],
                ),
                255,
            ))?;
        ws.add_data_validation(1, 5, row, 5, &rule)?;
        ws.autofilter(0, 0, row, 7)?;
    }
    ws.set_freeze_panes(1, 1)?;

    // The workforce, when the model has roles.
    if !model.roles.is_empty() {
        let ws = workbook.add_worksheet();
        ws.set_name(crate::load::xlsx::WORKFORCE_SHEET)?;
        for (col, (name, width)) in WORKFORCE_HEADER
            .iter()
            .zip([24, 30, 70, 10, 10, 12])
            .enumerate()
        {
            ws.write_string_with_format(0, col as u16, *name, &header)?;
            ws.set_column_width(col as u16, width)?;
            column_note(ws, s, 0, col as u16, name)?;
        }
        let count = input.clone().set_num_format("0");
        for (i, role) in model.roles.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string_with_format(row, 0, &role.id, &wrap)?;
            ws.write_string_with_format(row, 1, role.name.get(lang), &wrap)?;
            ws.write_string_with_format(row, 2, role.description.get(lang), &wrap)?;
            for col in 3..6 {
                ws.write_blank(row, col, &count)?;
            }
        }
        let last = model.roles.len() as u32;
        let rule = DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_input_title(limit(s.get("workbook.count.title"), 32))?
            .set_input_message(limit(s.get("workbook.count.message"), 255))?
            .set_error_title(limit(s.get("workbook.count.error_title"), 32))?
            .set_error_message(limit(s.get("workbook.count.error"), 255))?;
        ws.add_data_validation(1, 3, last, 5, &rule)?;
        ws.set_freeze_panes(1, 1)?;
    }
    workbook.save_to_buffer()
}

/// A note on a header cell: the column's title and what it holds, in the reader's
/// language (the cell itself keeps the English name capgap reads).
fn column_note(
    ws: &mut Worksheet,
    s: &Strings,
    row: u32,
    col: u16,
    name: &str,
) -> Result<(), XlsxError> {
    let note = Note::new(s.get(&format!("workbook.column.{name}")))
        .add_author_prefix(false)
        .set_width(260)
        .set_height(80);
    ws.insert_note(row, col, &note)?;
    Ok(())
}

/// At most `max` characters (Excel's limits on a data validation's titles and
/// messages), cut with an ellipsis.
fn limit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}
