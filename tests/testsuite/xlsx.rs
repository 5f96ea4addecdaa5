//! Spreadsheets both ways (SPEC §10): workbooks filled as a person would (from the
//! template, with blank cells, a typo, extra rows, a moved column) score exactly
//! like their YAML twins or are reported at the right cell; hostile workbooks are
//! refused; the report's `capgap.xlsx` read back (calamine, and LibreOffice when it
//! is installed) equals the CSV files.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{Formula, Workbook};

use crate::support::{capgap, fixture, mini, stderr_of, stdout_of};

/// A cell a test writes.
#[derive(Clone, Debug)]
enum Cell {
    Text(&'static str),
    Number(f64),
    Formula(&'static str),
}

use Cell::{Number, Text};

/// A workbook with the sheets Questionnaire (field, value) and Answers (the
/// columns in `header`'s order, one row per `rows` entry; `None` rows are blank).
fn book(path: &Path, fields: &[(&str, Cell)], header: &[&str], rows: &[Option<Vec<Cell>>]) {
    book_with_workforce(path, fields, header, rows, &[]);
}

/// `book`, and when `workforce` has rows a sheet Workforce (role, name, staff,
/// needed, in_training) with them.
fn book_with_workforce(
    path: &Path,
    fields: &[(&str, Cell)],
    header: &[&str],
    rows: &[Option<Vec<Cell>>],
    workforce: &[Vec<Cell>],
) {
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("Questionnaire").unwrap();
    ws.write_string(0, 0, "field").unwrap();
    ws.write_string(0, 1, "value").unwrap();
    for (i, (field, value)) in fields.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, *field).unwrap();
        put(ws, row, 1, value);
    }
    let ws = workbook.add_worksheet();
    ws.set_name("Answers").unwrap();
    for (col, name) in header.iter().enumerate() {
        ws.write_string(0, col as u16, *name).unwrap();
    }
    for (i, cells) in rows.iter().enumerate() {
        for (col, cell) in cells.iter().flatten().enumerate() {
            put(ws, i as u32 + 1, col as u16, cell);
        }
    }
    if !workforce.is_empty() {
        let ws = workbook.add_worksheet();
        ws.set_name("Workforce").unwrap();
        for (col, name) in ["role", "name", "staff", "needed", "in_training"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, col as u16, *name).unwrap();
        }
        for (i, cells) in workforce.iter().enumerate() {
            for (col, cell) in cells.iter().enumerate() {
                put(ws, i as u32 + 1, col as u16, cell);
            }
        }
    }
    workbook.save(path).unwrap();
}

fn put(ws: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, cell: &Cell) {
    match cell {
        Text("") => {}
        Text(t) => {
            ws.write_string(row, col, *t).unwrap();
        }
        Number(n) => {
            ws.write_number(row, col, *n).unwrap();
        }
        Cell::Formula(f) => {
            ws.write_formula(row, col, Formula::new(*f).set_result("fully"))
                .unwrap();
        }
    }
}

fn mini_fields() -> Vec<(&'static str, Cell)> {
    vec![
        ("model", Text("mini@1.2.0")),
        ("country", Text("KH")),
        ("sector", Text("power")),
        ("operator", Text("Example Grid")),
        ("assessed_on", Text("2026-09-14")),
        ("tlp", Text("green")),
        ("weight", Number(1.5)),
        ("targets.ASSET", Number(3.0)),
    ]
}

const MINI_YAML_HEAD: &str = "model: mini@1.2.0\ncountry: KH\nsector: power\noperator: Example Grid\nassessed_on: 2026-09-14\ntlp: green\nweight: 1.5\ntargets: { ASSET: 3 }\n";

/// `score --format json` of each file, without the `file` field: what must match.
fn scores(mut cmd: assert_cmd::Command, files: &[&Path]) -> Vec<serde_json::Value> {
    let output = cmd
        .args(["score", "--format", "json"])
        .args(files)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let mut value: Vec<serde_json::Value> =
        serde_json::from_str(&stdout_of(&output)).expect("JSON");
    for v in &mut value {
        v.as_object_mut().unwrap().remove("file");
    }
    value
}

fn validate(mut cmd: assert_cmd::Command, path: &Path) -> (Option<i32>, String) {
    let output = cmd.arg("validate").arg(path).output().expect("runs");
    (output.status.code(), stderr_of(&output))
}

#[test]
fn a_workbook_filled_as_a_person_would_scores_like_its_yaml_twin() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("q.xlsx");
    // A moved column (response first, the practice third), a column of the
    // assessor's own, blank rows, a row left blank, evidence on two lines, a note.
    book(
        &xlsx,
        &mini_fields(),
        &["response", "my comments", "Practice", "note", "evidence"],
        &[
            Some(vec![Text("fully"), Text(""), Text("ASSET-1a")]),
            None,
            Some(vec![
                Text(" largely "),
                Text("checked twice"),
                Text("ASSET-1b"),
                Text(""),
                Text("Register v3\nSite visit 2026"),
            ]),
            Some(vec![Text(""), Text(""), Text("ASSET-2a")]),
            Some(vec![
                Text("na"),
                Text(""),
                Text("ASSET-3a"),
                Text("no such assets here"),
            ]),
            Some(vec![Text("partially"), Text(""), Text("SITUATION-1a")]),
            Some(vec![Text("not"), Text(""), Text("SITUATION-2a")]),
            Some(vec![Text("fully"), Text(""), Text("SITUATION-2b")]),
            None,
            None,
            Some(vec![Text(""), Text("a person's remark below the table")]),
        ],
    );
    let yaml = dir.path().join("q.yaml");
    std::fs::write(
        &yaml,
        format!(
            "{MINI_YAML_HEAD}answers:\n  ASSET-1a: fully\n  ASSET-1b:\n    response: largely\n    evidence: [Register v3, Site visit 2026]\n  ASSET-2a:\n  ASSET-3a: {{ response: na, note: no such assets here }}\n  SITUATION-1a: partially\n  SITUATION-2a: not\n  SITUATION-2b: fully\n"
        ),
    )
    .unwrap();
    let (xlsx_scores, yaml_scores) = (scores(mini(), &[&xlsx]), scores(mini(), &[&yaml]));
    assert_eq!(xlsx_scores, yaml_scores);
    assert_eq!(xlsx_scores[0]["operator_id"], "example-grid");
    // The same warnings, at the cell: ASSET-2a and SITUATION-3a are unanswered.
    let (code, stderr) = validate(mini(), &xlsx);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("2 applicable practice(s) left unanswered: ASSET-2a, SITUATION-3a"),
        "{stderr}"
    );
    assert!(stderr.contains("q.xlsx:Answers!C1"), "{stderr}");
}

/// `score --aggregates --format json`'s workforce block of the files.
fn workforce_block(mut cmd: assert_cmd::Command, files: &[&Path]) -> serde_json::Value {
    let output = cmd
        .args(["score", "--aggregates", "--format", "json"])
        .args(files)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let value: serde_json::Value = serde_json::from_str(&stdout_of(&output)).expect("JSON");
    value["workforce"].clone()
}

#[test]
fn a_workforce_sheet_scores_like_its_yaml_twin() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("people.xlsx");
    // A row with all counts blank (the role is not reported), a blank in_training,
    // a note of the person's own beside the table.
    book_with_workforce(
        &xlsx,
        &mini_fields(),
        &["practice", "response"],
        &[Some(vec![Text("ASSET-1a"), Text("fully")])],
        &[
            vec![
                Text("analyst"),
                Text("SOC analyst"),
                Number(0.0),
                Number(3.0),
                Number(1.0),
            ],
            vec![
                Text("ot-engineer"),
                Text("OT security engineer"),
                Number(1.0),
                Number(4.0),
            ],
        ],
    );
    let yaml = dir.path().join("people.yaml");
    std::fs::write(
        &yaml,
        format!(
            "{MINI_YAML_HEAD}answers:\n  ASSET-1a: fully\nworkforce:\n  ot-engineer: {{ staff: 1, needed: 4 }}\n  analyst: {{ staff: 0, needed: 3, in_training: 1 }}\n"
        ),
    )
    .unwrap();
    let (a, b) = (scores(mini(), &[&xlsx]), scores(mini(), &[&yaml]));
    assert_eq!(a, b);
    let (a, b) = (
        workforce_block(mini(), &[&xlsx]),
        workforce_block(mini(), &[&yaml]),
    );
    assert_eq!(a, b);
    let roles = &a["aggregates"][0]["roles"];
    assert_eq!(roles[0]["role"], "ot-engineer", "{a}");
    assert_eq!(roles[0]["shortfall"], 3, "{a}");
    assert_eq!(roles[1]["shortfall"], 2, "{a}");

    // Only one role filled: the other is not reported, as in a YAML file without it.
    book_with_workforce(
        &xlsx,
        &mini_fields(),
        &["practice", "response"],
        &[Some(vec![Text("ASSET-1a"), Text("fully")])],
        &[
            vec![Text("ot-engineer"), Text(""), Text(""), Text(""), Text("")],
            vec![Text("analyst"), Text(""), Number(2.0), Number(2.0)],
        ],
    );
    std::fs::write(
        &yaml,
        format!("{MINI_YAML_HEAD}answers:\n  ASSET-1a: fully\nworkforce:\n  analyst: {{ staff: 2, needed: 2 }}\n"),
    )
    .unwrap();
    let (a, b) = (
        workforce_block(mini(), &[&xlsx]),
        workforce_block(mini(), &[&yaml]),
    );
    assert_eq!(a, b);
    assert_eq!(a["aggregates"][0]["roles"][0]["role"], "analyst", "{a}");
}

#[test]
fn bad_workforce_cells_are_reported_at_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("people.xlsx");
    book_with_workforce(
        &xlsx,
        &mini_fields(),
        &["practice", "response"],
        &[Some(vec![Text("ASSET-1a"), Text("fully")])],
        &[
            vec![Text("ot-enginer"), Text(""), Number(1.0), Number(4.0)],
            vec![Text("analyst"), Text(""), Number(-1.0), Number(2.5)],
            vec![Text(""), Text("a note"), Number(3.0)],
            vec![
                Text("analyst"),
                Text(""),
                Text(""),
                Number(2.0),
                Text("one"),
            ],
        ],
    );
    let (code, stderr) = validate(mini(), &xlsx);
    assert_eq!(code, Some(1), "{stderr}");
    for expected in [
        "error: unknown role `ot-enginer`\n --> ",
        "people.xlsx:Workforce!A2\n  |\n2 | ot-enginer\n",
        "did you mean `ot-engineer`?",
        "people.xlsx:Workforce!C3\n",
        "staff must be a whole number from 0, found -1",
        "people.xlsx:Workforce!D3\n",
        "expected needed (a whole number)",
        "people.xlsx:Workforce!C4\n",
        "numbers in a row without a role id",
        "people.xlsx:Workforce!A5\n",
        "duplicate key `analyst` (first on row 3 of Workforce)",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    // The duplicate row's own cells are not checked again, as in YAML.
    assert!(!stderr.contains("Workforce!E5"), "{stderr}");
    let at = |s: &str| stderr.find(s).unwrap();
    assert!(at("Answers!A1") < at("Workforce!A2"));
    assert!(at("Workforce!A2") < at("Workforce!C3"));
}

#[test]
fn the_template_has_a_workforce_sheet_when_the_model_has_roles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    capgap()
        .args(["template", "--sector", "power", "--lang", "ja"])
        .args(["--country", "KH", "--operator", "Grid", "-o"])
        .arg(&path)
        .assert()
        .success();
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert!(book.sheet_names().contains(&"Workforce".to_owned()));
    let sheet = book.worksheet_range("Workforce").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "role",
            "name",
            "description",
            "staff",
            "needed",
            "in_training"
        ]
    );
    assert_eq!(rows[1][0], "ot-security-engineer");
    assert_eq!(rows[1][1], "OTセキュリティエンジニア");
    assert!(rows[1][2].starts_with("SCADA、"), "{:?}", rows[1]);
    assert!(rows[1][3..].iter().all(String::is_empty), "{:?}", rows[1]);
    // Whole numbers from 0 in the three count columns of every role.
    let last = rows.len();
    let xml = part(&path, "xl/worksheets/sheet4.xml");
    assert!(xml.contains(&format!("sqref=\"D2:F{last}\"")), "{xml}");
    assert!(
        xml.contains("type=\"whole\" operator=\"greaterThanOrEqual\""),
        "{xml}"
    );
    // In Japanese: the notes on the header cells, the sheet on how to fill it.
    let notes = part(&path, "xl/comments3.xml");
    assert!(
        notes.contains("在籍：現在この役割に就いている人数。"),
        "{notes}"
    );
    assert!(book.sheet_names().contains(&"記入方法".to_owned()));
    // The blank template is still valid: no role is reported.
    let (code, stderr) = validate(capgap(), &path);
    assert_eq!(code, Some(0), "{stderr}");

    // A model without roles: no Workforce sheet.
    let text =
        std::fs::read_to_string(crate::support::fixture("../../fixtures/mini-model.yaml")).unwrap();
    let without: String = text
        .lines()
        .filter(|l| {
            !["roles:", "  - { id: ot-engineer", "  - { id: analyst"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!without.contains("ot-engineer"));
    let model = dir.path().join("no-roles.yaml");
    std::fs::write(&model, without).unwrap();
    let plain = dir.path().join("plain.xlsx");
    capgap()
        .arg("--model")
        .arg(&model)
        .args(["template", "--sector", "power", "-o"])
        .arg(&plain)
        .assert()
        .success();
    let book: Xlsx<_> = open_workbook(&plain).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["How to fill", "Questionnaire", "Answers"]
    );
}

#[test]
fn hand_made_questionnaire_sheets_are_read_across_or_down() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("q.yaml");
    std::fs::write(
        &yaml,
        format!("{MINI_YAML_HEAD}answers:\n  ASSET-1a: fully\n  SITUATION-1a: partially\n"),
    )
    .unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 9, 14).unwrap();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let mut files = Vec::new();
    for layout in ["across", "down"] {
        let mut workbook = Workbook::new();
        let ws = workbook.add_worksheet();
        ws.set_name("Questionnaire").unwrap();
        for (i, (field, value)) in mini_fields().iter().enumerate() {
            let (key, at) = match layout {
                "across" => ((0, i as u16), (1, i as u16)),
                _ => ((i as u32, 0), (i as u32, 1)),
            };
            ws.write_string(key.0, key.1, *field).unwrap();
            if *field == "assessed_on" {
                // A date typed into a spreadsheet is a date cell, shown its own way.
                ws.write_datetime_with_format(at.0, at.1, &date, &date_format)
                    .unwrap();
            } else {
                put(ws, at.0, at.1, value);
            }
        }
        let ws = workbook.add_worksheet();
        ws.set_name("answers").unwrap();
        for (r, row) in [
            ["Practice", "Response"],
            ["ASSET-1a", "fully"],
            ["SITUATION-1a", "partially"],
        ]
        .iter()
        .enumerate()
        {
            for (c, text) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
        let path = dir.path().join(format!("{layout}.xlsx"));
        workbook.save(&path).unwrap();
        files.push(path);
    }
    let twin = scores(mini(), &[&yaml]);
    for file in &files {
        assert_eq!(scores(mini(), &[file]), twin, "{}", file.display());
    }
}

/// The text of one part of a workbook's archive.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_template_workbook_is_made_for_people() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    let output = mini()
        .args(["template", "--sector", "power", "--lang", "fr", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Mode d'emploi", "Questionnaire", "Answers", "Workforce"]
    );
    let how = book.worksheet_range("Mode d'emploi").unwrap();
    assert_eq!(
        how.get((0, 0)),
        Some(&Data::String("Mini modèle — Electric power".into()))
    );
    // The wording is French, the names capgap reads stay English: the steps, the
    // help column, the notes on the header cells and the drop-down's messages.
    let steps: Vec<String> = how.rows().map(|r| r[0].to_string()).collect();
    assert!(
        steps[2].starts_with("1. Sur la feuille Questionnaire, remplissez"),
        "{steps:?}"
    );
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("5. Sur la feuille Workforce")),
        "{steps:?}"
    );
    assert!(
        steps.iter().any(|s| s.contains("na = sans objet")),
        "{steps:?}"
    );
    let fields = book.worksheet_range("Questionnaire").unwrap();
    assert_eq!(fields.get((0, 0)), Some(&Data::String("field".into())));
    assert_eq!(fields.get((0, 2)), Some(&Data::String("à remplir".into())));
    let notes = part(&path, "xl/comments2.xml");
    assert!(notes.contains("Réponse : choisissez-en une"), "{notes}");
    let answers_xml = part(&path, "xl/worksheets/sheet3.xml");
    assert!(
        answers_xml.contains("errorTitle=\"Réponse inconnue\""),
        "{answers_xml}"
    );
    let answers = book.worksheet_range("Answers").unwrap();
    let header: Vec<String> = answers
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "practice", "domain", "level", "question", "guidance", "response", "evidence", "note"
        ]
    );
    // One row per applicable practice: the power sector has 8 of the 9.
    let practices: Vec<String> = answers.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(practices.len(), 8);
    assert!(!practices.contains(&"RAIL-1a".to_owned()));
    // The response column is a drop-down of the responses and `na`; the header
    // row is frozen; questions wrap.
    let sheet = part(&path, "xl/worksheets/sheet3.xml");
    assert!(sheet.contains("sqref=\"F2:F9\""), "{sheet}");
    assert!(
        sheet.contains("<formula1>\"fully,largely,partially,not,na\"</formula1>"),
        "{sheet}"
    );
    assert!(sheet.contains("ySplit=\"1\""), "{sheet}");
    assert!(part(&path, "xl/styles.xml").contains("wrapText=\"1\""));
    // The same inputs give the same bytes.
    let again = dir.path().join("again.xlsx");
    mini()
        .args(["template", "--sector", "power", "--lang", "fr", "-o"])
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(&again).unwrap()
    );
}

#[test]
fn the_template_filled_in_scores_like_its_yaml_twin() {
    // In every language: the wording is translated, the names capgap reads are not.
    for lang in ["en", "ja", "fr"] {
        the_template_filled_in(lang);
    }
}

fn the_template_filled_in(lang: &str) {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.xlsx");
    let output = capgap()
        .args(["template", "--sector", "power", "--country", "KH"])
        .args(["--lang", lang, "--operator", "Test Grid", "-o"])
        .arg(&template)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let output = capgap()
        .args(["model", "--format", "json"])
        .output()
        .unwrap();
    let model: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let responses: Vec<String> = model["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();

    // Read the template back, fill each practice's response (every seventh left
    // blank, every eleventh `na` with a note) and write it out as a person's copy.
    let mut read: Xlsx<_> = open_workbook(&template).unwrap();
    let mut workbook = Workbook::new();
    let mut yaml = String::new();
    let mut answers = String::from("answers:\n");
    let mut workforce = String::from("workforce:\n");
    for name in read.sheet_names() {
        let range = read.worksheet_range(&name).unwrap();
        let ws = workbook.add_worksheet();
        ws.set_name(&name).unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        let column = |n: &str| header.iter().position(|h| h == n).unwrap() as u16;
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Data::String(s) => {
                        ws.write_string(r as u32, c as u16, s).unwrap();
                    }
                    Data::Float(f) => {
                        ws.write_number(r as u32, c as u16, *f).unwrap();
                    }
                    Data::Empty => {}
                    other => panic!("unexpected template cell {other:?}"),
                }
            }
            if name == "Questionnaire" && r > 0 {
                let field = row[0].to_string();
                let value = match field.as_str() {
                    "assessed_on" => "2026-09-14".to_owned(),
                    "assessor" => "Field team".to_owned(),
                    _ => row[1].to_string(),
                };
                ws.write_string(r as u32, 1, &value).unwrap();
                if !value.is_empty() {
                    yaml.push_str(&format!("{field}: \"{value}\"\n"));
                }
            }
            // Every second role is reported, every third without in_training.
            if name == "Workforce" && r > 0 && r % 2 == 1 {
                let role = row[0].to_string();
                let (staff, needed) = (r as f64 - 1.0, r as f64 + 2.0);
                ws.write_number(r as u32, column("staff"), staff).unwrap();
                ws.write_number(r as u32, column("needed"), needed).unwrap();
                if r % 3 == 0 {
                    workforce.push_str(&format!(
                        "  {role}: {{ staff: {staff}, needed: {needed} }}\n"
                    ));
                } else {
                    ws.write_number(r as u32, column("in_training"), 1.0)
                        .unwrap();
                    workforce.push_str(&format!(
                        "  {role}: {{ staff: {staff}, needed: {needed}, in_training: 1 }}\n"
                    ));
                }
            }
            if name == "Answers" && r > 0 {
                let practice = row[0].to_string();
                let response = &responses[r % responses.len()];
                if r % 7 == 0 {
                    answers.push_str(&format!("  {practice}:\n"));
                } else if r % 11 == 0 {
                    ws.write_string(r as u32, column("response"), "na").unwrap();
                    ws.write_string(r as u32, column("note"), "not here")
                        .unwrap();
                    answers.push_str(&format!(
                        "  {practice}: {{ response: na, note: not here }}\n"
                    ));
                } else {
                    ws.write_string(r as u32, column("response"), response)
                        .unwrap();
                    answers.push_str(&format!("  {practice}: {response}\n"));
                }
            }
        }
    }
    let filled = dir.path().join("filled.xlsx");
    workbook.save(&filled).unwrap();
    let twin = dir.path().join("filled.yaml");
    assert!(workforce.lines().count() > 2, "{workforce}");
    std::fs::write(&twin, yaml + &answers + &workforce).unwrap();
    let (a, b) = (scores(capgap(), &[&filled]), scores(capgap(), &[&twin]));
    assert_eq!(a, b);
    assert!(a[0]["index"].as_f64().unwrap() > 0.0);
    let (a, b) = (
        workforce_block(capgap(), &[&filled]),
        workforce_block(capgap(), &[&twin]),
    );
    assert_eq!(a, b);
    assert!(!a["aggregates"][0]["roles"].as_array().unwrap().is_empty());
}

#[test]
fn a_typo_a_formula_and_a_wrong_type_are_reported_at_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("typo.xlsx");
    let mut fields = mini_fields();
    fields[1] = ("country", Text("kh"));
    fields[6] = ("weight", Text("heavy"));
    book(
        &xlsx,
        &fields,
        &["practice", "response", "note"],
        &[
            Some(vec![Text("ASSET-1a"), Text("partialy")]),
            Some(vec![Text("ASSET-1b"), Cell::Formula("=\"fully\"")]),
            Some(vec![Text("ASSET-1x"), Text("fully")]),
            Some(vec![Text("ASSET-1a"), Text("fully")]),
            Some(vec![Text(""), Text("fully")]),
            Some(vec![Text("RAIL-1a"), Number(1.0)]),
        ],
    );
    let (code, stderr) = validate(mini(), &xlsx);
    assert_eq!(code, Some(1), "{stderr}");
    for expected in [
        "error: `kh` is not an ISO 3166-1 alpha-2 country code\n --> ",
        "typo.xlsx:Questionnaire!B3\n",
        "country codes are upper case: `KH`",
        "typo.xlsx:Questionnaire!B8",
        "expected weight (a number), found the text `heavy`",
        "error: unknown response `partialy`\n --> ",
        "typo.xlsx:Answers!B2\n  |\n2 | partialy\n  | ^^^^^^^^\n",
        "did you mean `partially`?",
        "typo.xlsx:Answers!B3",
        "this cell holds a formula",
        "type the value; formulas are not read",
        "typo.xlsx:Answers!A4",
        "unknown practice `ASSET-1x`",
        "typo.xlsx:Answers!A5",
        "duplicate key `ASSET-1a` (first on row 2 of Answers)",
        "typo.xlsx:Answers!B6",
        "an answer in a row without a practice id",
        "typo.xlsx:Answers!A7",
        "practice `RAIL-1a` does not apply to the power sector",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    // Sheet by sheet, then row by row.
    let at = |s: &str| stderr.find(s).unwrap();
    assert!(at("Questionnaire!B3") < at("Questionnaire!B8"));
    assert!(at("Questionnaire!B8") < at("Answers!B2"));
    assert!(at("Answers!B2") < at("Answers!B3"));
}

#[test]
fn a_misnamed_column_or_sheet_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("cols.xlsx");
    book(
        &xlsx,
        &mini_fields(),
        &["practice", "respnse"],
        &[Some(vec![Text("ASSET-1a"), Text("fully")])],
    );
    let (code, stderr) = validate(mini(), &xlsx);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the sheet `Answers` has no column `response`"),
        "{stderr}"
    );
    assert!(stderr.contains("cols.xlsx:Answers!B1"), "{stderr}");
    assert!(stderr.contains("did you mean `response`?"), "{stderr}");

    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("Sheet1").unwrap();
    workbook.save(&xlsx).unwrap();
    let (code, stderr) = validate(mini(), &xlsx);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the workbook has no sheet `Questionnaire`"),
        "{stderr}"
    );
}

/// A copy of a workbook with one part replaced (or added).
fn with_part(from: &Path, to: &Path, name: &str, content: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    let mut replaced = false;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let entry_name = entry.name().unwrap().into_owned();
        out.start_file(&entry_name, options).unwrap();
        if entry_name == name {
            out.write_all(content).unwrap();
            replaced = true;
        } else {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            out.write_all(&bytes).unwrap();
        }
    }
    if !replaced {
        out.start_file(name, options).unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn hostile_workbooks_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    book(
        &good,
        &mini_fields(),
        &["practice", "response"],
        &[Some(vec![Text("ASSET-1a"), Text("fully")])],
    );
    let refused = |name: &str, expected: &str| {
        let path = dir.path().join(name);
        let started = std::time::Instant::now();
        let (code, stderr) = validate(mini(), &path);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(started.elapsed().as_secs() < 20, "{name} took too long");
        assert!(std::fs::metadata(&path).unwrap().len() < 1024 * 1024);
    };

    std::fs::write(dir.path().join("text.xlsx"), "model: mini@1.2.0\n").unwrap();
    refused(
        "text.xlsx",
        "not an Excel workbook: the file is not a zip archive",
    );

    // 65 MiB of zeros compress to about 65 KiB.
    let zeros = vec![0u8; 65 * 1024 * 1024];
    with_part(
        &good,
        &dir.path().join("bomb.xlsx"),
        "xl/media/zeros.bin",
        &zeros,
    );
    drop(zeros);
    refused("bomb.xlsx", "the workbook unpacks to more than 64 MiB");

    // 2 MiB of one repeated byte: compressed far more than any sheet is.
    let dense = vec![b'a'; 2 * 1024 * 1024];
    with_part(
        &good,
        &dir.path().join("dense.xlsx"),
        "xl/media/a.bin",
        &dense,
    );
    refused("dense.xlsx", "compressed more than 200 to 1");

    let sst = b"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"4000000000\"><si><t>x</t></si></sst>";
    with_part(
        &good,
        &dir.path().join("sst.xlsx"),
        "xl/sharedStrings.xml",
        sst,
    );
    refused("sst.xlsx", "more than 200000 distinct texts");

    // A value far down the sheet (a person's stray keystroke, or a hostile
    // dimension): refused, not a billion-cell grid.
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    ws.set_name("Questionnaire").unwrap();
    ws.write_string(0, 0, "field").unwrap();
    ws.write_string(0, 1, "value").unwrap();
    ws.write_string(1_048_000, 16_000, "x").unwrap();
    workbook.add_worksheet().set_name("Answers").unwrap();
    workbook.save(dir.path().join("huge.xlsx")).unwrap();
    refused("huge.xlsx", "the sheet `Questionnaire` is too large");

    let mut bytes = std::fs::read(&good).unwrap();
    let len = bytes.len();
    bytes.truncate(len / 2);
    std::fs::write(dir.path().join("cut.xlsx"), bytes).unwrap();
    refused("cut.xlsx", "not an Excel workbook");
}

#[test]
fn folders_pick_up_workbooks_but_not_lock_files() {
    let dir = tempfile::tempdir().unwrap();
    book(
        &dir.path().join("a.xlsx"),
        &mini_fields(),
        &["practice", "response"],
        &[Some(vec![Text("ASSET-1a"), Text("fully")])],
    );
    std::fs::write(dir.path().join("~$a.xlsx"), b"\x00lock").unwrap();
    std::fs::write(
        dir.path().join("b.YAML"),
        format!(
            "{}answers:\n",
            MINI_YAML_HEAD.replace("2026-09-14", "2026-10-01")
        ),
    )
    .unwrap();
    let (code, stderr) = validate(mini(), dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("checked 2 file(s): 2 valid"), "{stderr}");
}

/// A report of the programmes fixtures (mini model, with programmes and outcomes),
/// once per test run.
fn report_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("xlsx-report");
        let _ = std::fs::remove_dir_all(&dir);
        let output = mini()
            .arg("report")
            .arg(fixture("programmes/run"))
            .arg("--programmes")
            .arg(fixture("programmes/good.yaml"))
            .arg("-o")
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        dir
    })
}

/// The rows of a CSV file (byte-order mark dropped).
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Whether a cell read back holds the CSV's text (numbers compared as numbers).
fn same(cell: &str, csv: &str) -> bool {
    cell == csv
        || matches!((cell.parse::<f64>(), csv.parse::<f64>()), (Ok(a), Ok(b)) if (a - b).abs() <= 1e-9 * b.abs().max(1.0))
}

fn assert_sheet_equals(sheet: &str, read: &[Vec<String>], csv: &[Vec<String>]) {
    assert_eq!(read.len(), csv.len(), "{sheet}: rows");
    for (r, (a, b)) in read.iter().zip(csv).enumerate() {
        // A reader drops trailing blank cells.
        let width = a.len().max(b.len());
        for c in 0..width {
            let (x, y) = (
                a.get(c).map_or("", String::as_str),
                b.get(c).map_or("", String::as_str),
            );
            assert!(same(x, y), "{sheet} row {r} column {c}: {x:?} != {y:?}");
        }
    }
}

fn calamine_rows(
    book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    sheet: &str,
) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(f) => f.to_string(),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_report_workbook_equals_the_csv_files() {
    let dir = report_dir();
    let mut book: Xlsx<_> = open_workbook(dir.join("capgap.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Scores",
            "Domains",
            "Gaps",
            "Plan",
            "Aggregates",
            "Programmes",
            "Outcomes"
        ]
    );
    for (sheet, file) in [
        ("Domains", "scores.csv"),
        ("Gaps", "gaps.csv"),
        ("Plan", "plan.csv"),
        ("Programmes", "programmes.csv"),
        ("Outcomes", "outcomes.csv"),
    ] {
        let csv = csv_rows(&std::fs::read(dir.join(file)).unwrap());
        assert_sheet_equals(sheet, &calamine_rows(&mut book, sheet), &csv);
    }
    // Numbers are numbers, text that would run as a formula is defused.
    let domains = book.worksheet_range("Domains").unwrap();
    let header: Vec<String> = domains
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let index = header.iter().position(|h| h == "index").unwrap();
    assert!(matches!(domains.get((1, index)), Some(Data::Float(_))));
    for row in domains.rows() {
        for cell in row {
            if let Data::String(s) = cell {
                assert!(!s.starts_with(['=', '+', '@']), "{s}");
            }
        }
    }

    // Aggregates: as `score --aggregates --format csv` prints them.
    let output = mini()
        .args(["score", "--aggregates", "--format", "csv"])
        .arg(fixture("programmes/run"))
        .output()
        .unwrap();
    let csv = csv_rows(&output.stdout);
    assert_sheet_equals("Aggregates", &calamine_rows(&mut book, "Aggregates"), &csv);

    // Scores: one row per questionnaire, as in scores.json.
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(dir.join("scores.json")).unwrap()).unwrap();
    let rows = calamine_rows(&mut book, "Scores");
    assert_eq!(rows.len(), json.len() + 1);
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    for (row, score) in rows[1..].iter().zip(&json) {
        assert_eq!(
            row[col("operator_id")],
            score["operator_id"].as_str().unwrap()
        );
        let index = score["index"]
            .as_f64()
            .map(|f| f.to_string())
            .unwrap_or_default();
        assert!(same(&row[col("index")], &index), "{row:?}");
        assert_eq!(
            row[col("gap_practices")],
            score["gaps"].as_array().unwrap().len().to_string()
        );
    }
}

/// LibreOffice's `soffice --headless --convert-to FILTER --outdir OUT FILE`, with a
/// profile of its own; `None` (and a note) when LibreOffice is not installed.
fn soffice(filter: &str, out: &Path, file: &Path) -> Option<std::process::Output> {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok()
    }) else {
        eprintln!(
            "SKIPPED: soffice (LibreOffice) is not installed; CI installs libreoffice-calc-nogui"
        );
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out)
        .arg(file)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    Some(output)
}

#[test]
fn a_template_saved_again_by_libreoffice_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.xlsx");
    // In French: the notes on header cells and the translated sheet survive too.
    let output = mini()
        .args(["template", "--sector", "rail", "--country", "FJ"])
        .args(["--lang", "fr", "-o"])
        .arg(&template)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let out = dir.path().join("saved");
    if soffice("xlsx:Calc MS Excel 2007 XML", &out, &template).is_none() {
        return;
    }
    let (code, stderr) = validate(mini(), &out.join("t.xlsx"));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("8 applicable practice(s) left unanswered"),
        "{stderr}"
    );
    assert!(stderr.contains("`operator` is blank"), "{stderr}");
}

#[test]
fn the_report_workbook_opens_in_libreoffice() {
    let dir = report_dir();
    let out = tempfile::tempdir().unwrap();
    // Every sheet to its own CSV (sheet -1), UTF-8 (76), values unformatted.
    let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
    let Some(output) = soffice(filter, out.path(), &dir.join("capgap.xlsx")) else {
        return;
    };
    for (sheet, file) in [
        ("Domains", "scores.csv"),
        ("Gaps", "gaps.csv"),
        ("Plan", "plan.csv"),
    ] {
        let converted = out.path().join(format!("capgap-{sheet}.csv"));
        let read = csv_rows(&std::fs::read(&converted).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; soffice said {}",
                converted.display(),
                stdout_of(&output)
            )
        }));
        let csv = csv_rows(&std::fs::read(dir.join(file)).unwrap());
        assert_sheet_equals(sheet, &read, &csv);
    }
}

#[test]
fn the_report_workbook_is_the_same_bytes_every_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut books = Vec::new();
    for run in ["a", "b"] {
        let out = dir.path().join(run);
        let output = mini()
            .arg("report")
            .arg(fixture("report/panel"))
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert!(output.status.code() != Some(2), "{}", stderr_of(&output));
        books.push(std::fs::read(out.join("capgap.xlsx")).unwrap());
    }
    assert_eq!(books[0], books[1]);
}
