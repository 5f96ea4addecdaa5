//! Reading a questionnaire workbook (`.xlsx`, SPEC §10) into the same positioned tree
//! a YAML questionnaire becomes, so the one validation pass of `questionnaire.rs`
//! checks it with the same rules and words. A node's position is its cell: the line
//! carries the sheet and the row, the column the column, and [`Cells`] turns it back
//! into `FILE.xlsx:Answers!F17` with the cell's content as the snippet.
//!
//! The sheet `Questionnaire` holds the header fields, one per row under a header
//! row with `field` and `value` (targets as `targets.DOMAIN`); the sheet `Answers`
//! one answer per row under a header row naming `practice` and `response` (and
//! optionally `evidence`, one item per line, and `note`). Columns are found by their
//! header, so a moved column still reads; other columns (domain, question, ...) and
//! other sheets are for people and are not read; blank rows are skipped. The
//! optional sheet `Workforce` (header `role`, `staff`, `needed`, optionally
//! `in_training`) becomes the `workforce` mapping; a role whose counts are all blank
//! is left out.
//!
//! Typed cells map onto YAML's meanings: a text cell is quoted text (`yes` stays
//! text), a number cell a number, a true/false cell a boolean, a date cell an ISO
//! date, a blank cell a blank value. Formula and error cells are refused at their cell.
//!
//! A workbook is a zip archive of XML: before calamine inflates anything, the archive
//! is bounded here (entries, uncompressed total measured by inflating, compression
//! ratio, shared strings), and while reading, the rows, columns and cells of a sheet.
//! A hostile workbook is refused with a sentence, never a panic or an exhausted memory.

use std::io::{Cursor, Read, Write};

use calamine::{DataRef, Reader, Xlsx};
use rustc_hash::FxHashMap;

use super::check::Checker;
use super::questionnaire::{Loaded, finish, validate};
use super::tree::{Kind, Node, Pos, Style};
use super::yaml::{MAX_FILE_BYTES, Source, nearest};
use crate::diag::{Diagnostic, Severity};
use crate::model::Model;
use crate::questionnaire::Tlp;

/// The most entries a workbook's archive may hold (a questionnaire has about 15).
pub const MAX_ENTRIES: usize = 1_000;
/// The most bytes a workbook may inflate to, all entries together.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 64 * 1024 * 1024;
/// Entries larger than this may not be compressed more than [`MAX_RATIO`] to 1.
const RATIO_FLOOR_BYTES: u64 = 1024 * 1024;
/// The highest compression ratio of a large entry (ordinary sheets stay below 30).
pub const MAX_RATIO: u64 = 200;
/// The most shared strings (distinct texts) a workbook may declare or hold.
pub const MAX_SHARED_STRINGS: u64 = 200_000;
/// The most rows a sheet may use (a questionnaire has a few hundred).
pub const MAX_ROWS: u32 = 10_000;
/// The most columns a sheet may use.
pub const MAX_COLUMNS: u32 = 100;
/// The most non-blank cells a sheet may hold.
pub const MAX_CELLS: usize = 200_000;
/// A cell's content longer than this is not quoted under a diagnostic.
const MAX_SNIPPET_CHARS: usize = 200;
/// How far down a sheet its header row is looked for.
const HEADER_SEARCH_ROWS: u32 = 20;

/// The sheets capgap reads, in the order their problems are listed.
pub const QUESTIONNAIRE_SHEET: &str = "Questionnaire";
pub const ANSWERS_SHEET: &str = "Answers";
/// The optional sheet of the workforce (SPEC §9): one row per role.
pub const WORKFORCE_SHEET: &str = "Workforce";
/// The columns of the Answers sheet that are read.
const ANSWER_COLUMNS: &[&str] = &["practice", "response", "evidence", "note"];
/// The columns of the Workforce sheet that are read.
const WORKFORCE_COLUMNS: &[&str] = &["role", "staff", "needed", "in_training"];

/// Whether `path` names a workbook (`.xlsx`, any case).
pub fn is_workbook(path: impl AsRef<std::path::Path>) -> bool {
    path.as_ref()
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The cells behind a workbook's positions: sheet names and what each read cell
/// shows, for diagnostics.
#[derive(Debug, Default)]
pub struct Cells {
    sheets: Vec<&'static str>,
    shown: FxHashMap<(u32, u32), String>,
}

/// Rows per sheet in a position's line: line = (sheet + 1) * ROW_SPAN + row.
const ROW_SPAN: u32 = 1 << 20;

impl Cells {
    /// The position of a cell (0-based row and column) of sheet number `sheet`.
    fn pos(sheet: usize, row: u32, col: u32) -> Pos {
        Pos {
            line: (sheet as u32 + 1) * ROW_SPAN + row + 1,
            col: col + 1,
        }
    }

    /// (sheet name, 1-based row) of a position's line.
    fn sheet_row(&self, line: u32) -> (&'static str, u32) {
        let sheet = (line / ROW_SPAN).saturating_sub(1) as usize;
        let name = self
            .sheets
            .get(sheet)
            .copied()
            .unwrap_or(QUESTIONNAIRE_SHEET);
        (name, line % ROW_SPAN)
    }

    /// `row 17` of a position's line (for "first on row 17").
    pub fn row_name(&self, line: u32) -> String {
        let (sheet, row) = self.sheet_row(line);
        format!("row {row} of {sheet}")
    }

    /// A diagnostic at a cell, with the cell's content as the snippet.
    pub fn at(
        &self,
        path: &str,
        severity: Severity,
        line: u64,
        col: u64,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = (line as u32, (col as u32).max(1));
        let (sheet, row) = self.sheet_row(line);
        let shown = self.shown.get(&(line, col)).cloned();
        Diagnostic {
            line: u64::from(row),
            col: u64::from(col),
            width: shown.as_deref().map_or(0, |s| s.chars().count()),
            source_line: shown,
            cell: Some(format!("{sheet}!{}{row}", column_name(col - 1))),
            ..Diagnostic::file(severity, path, message)
        }
    }
}

/// `A`, `B`, ..., `Z`, `AA`, ... for a 0-based column.
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        name.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).expect("ASCII letters")
}

/// One read cell: its text and how YAML would have written it.
#[derive(Debug, Clone)]
struct CellValue {
    text: String,
    style: Style,
    formula: bool,
    error: Option<String>,
}

/// A sheet's non-blank cells by (0-based row, column).
type Grid = FxHashMap<(u32, u32), CellValue>;

/// Loads one questionnaire workbook: bounded, read into the tree, validated.
pub fn load_workbook(model: &Model, path: &str, bytes: &[u8], strict: bool) -> Loaded {
    let failed = |d: Diagnostic| Loaded {
        questionnaire: None,
        diagnostics: vec![d],
        declared_tlp: None,
    };
    let (grids, mut cells) = match read_workbook(path, bytes) {
        Ok(read) => read,
        Err(d) => return failed(d),
    };
    let mut early = Vec::new();
    let root = build_tree(path, &grids, &mut cells, &mut early);
    let declared_tlp = root.as_ref().and_then(declared_tlp);
    let Some(root) = root else {
        return Loaded {
            questionnaire: None,
            diagnostics: early,
            declared_tlp: None,
        };
    };
    let source = Source::workbook(path, &cells);
    let mut check = Checker::new(source);
    check.out = early;
    let questionnaire = validate(model, &mut check, &root);
    let mut diagnostics = check.out;
    // Sheet by sheet (Questionnaire, Answers, Workforce), then row and column.
    diagnostics.sort_by_key(|d| {
        let sheet = d.cell.as_deref().map(|cell| {
            [QUESTIONNAIRE_SHEET, ANSWERS_SHEET, WORKFORCE_SHEET]
                .iter()
                .position(|name| cell.split('!').next() == Some(*name))
        });
        (d.cell.is_some(), sheet, d.line, d.col)
    });
    finish(questionnaire, diagnostics, strict, declared_tlp)
}

/// Reads only (bounds and cells), for the parse-only floor of the benchmark.
pub fn read_only(path: &str, bytes: &[u8]) -> bool {
    read_workbook(path, bytes).is_ok()
}

/// The TLP the workbook's `tlp` row declares (amber when blank or absent).
fn declared_tlp(root: &Node<'_>) -> Option<Tlp> {
    let entries = root.entries()?;
    match entries
        .iter()
        .find(|(k, _)| k.scalar().is_some_and(|(t, _)| t == "tlp"))
    {
        None => Some(Tlp::Amber),
        Some((_, v)) if v.is_null() => Some(Tlp::Amber),
        Some((_, v)) => Tlp::parse(v.scalar()?.0),
    }
}

fn file_error(path: &str, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::file(Severity::Error, path, message).with_help(help)
}

const RESAVE_HELP: &str = "save it from your spreadsheet program as an Excel workbook (.xlsx), or start from `capgap template --format xlsx`";

/// The bounded archive, then the two sheets' cells.
fn read_workbook(path: &str, bytes: &[u8]) -> Result<(Vec<Option<Grid>>, Cells), Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_error(
            path,
            format!(
                "the file is too large ({} bytes; the limit is {MAX_FILE_BYTES})",
                bytes.len()
            ),
            "split the workbook, or remove pictures and unused sheets",
        ));
    }
    check_archive(bytes).map_err(|problem| file_error(path, problem, RESAVE_HELP))?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| {
        file_error(
            path,
            "the workbook cannot be read: it is damaged or not an Excel workbook",
            RESAVE_HELP,
        )
    })?;
    let names = workbook.sheet_names();
    let mut grids = Vec::new();
    let cells = Cells {
        sheets: vec![QUESTIONNAIRE_SHEET, ANSWERS_SHEET, WORKFORCE_SHEET],
        shown: FxHashMap::default(),
    };
    for wanted in [QUESTIONNAIRE_SHEET, ANSWERS_SHEET, WORKFORCE_SHEET] {
        let Some(name) = names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted)) else {
            grids.push(None);
            continue;
        };
        grids.push(Some(read_sheet(path, &mut workbook, name, wanted)?));
    }
    Ok((grids, cells))
}

/// Checks the archive before anything is parsed: the entry count, then every entry
/// inflated into a counter (declared sizes can lie), its ratio, and the shared
/// strings a workbook declares (calamine reserves room for that many).
fn check_archive(bytes: &[u8]) -> Result<(), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        "not an Excel workbook: the file is not a zip archive (an .xlsx file is one; a password-protected workbook is not)".to_owned()
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(format!(
            "the workbook holds {} parts; the limit is {MAX_ENTRIES}",
            zip.len()
        ));
    }
    let damaged = || "the workbook is damaged: a part of it cannot be unpacked".to_owned();
    let too_large = || {
        format!(
            "the workbook unpacks to more than {} MiB; the limit guards against zip bombs",
            MAX_UNCOMPRESSED_BYTES / (1024 * 1024)
        )
    };
    let mut total = 0u64;
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(|_| damaged())?;
        if entry.encrypted() {
            return Err("the workbook is encrypted; save a copy without a password".into());
        }
        let budget = MAX_UNCOMPRESSED_BYTES - total;
        if entry.size() > budget {
            return Err(too_large());
        }
        let mut counter = Counter::default();
        let inflated = std::io::copy(&mut (&mut entry).take(budget + 1), &mut counter)
            .map_err(|_| damaged())?;
        if inflated > budget {
            return Err(too_large());
        }
        if inflated > RATIO_FLOOR_BYTES && inflated / entry.compressed_size().max(1) > MAX_RATIO {
            return Err(format!(
                "a part of the workbook is compressed more than {MAX_RATIO} to 1, as zip bombs are; it is refused"
            ));
        }
        if counter.strings > MAX_SHARED_STRINGS
            || counter
                .declared_strings
                .is_some_and(|n| n > MAX_SHARED_STRINGS)
        {
            return Err(format!(
                "the workbook holds more than {MAX_SHARED_STRINGS} distinct texts; the limit is {MAX_SHARED_STRINGS}"
            ));
        }
        total += inflated;
    }
    Ok(())
}

/// Counts what an entry inflates to: its bytes, `<si` elements (shared strings) and
/// the `uniqueCount` its opening declares.
#[derive(Default)]
struct Counter {
    head: Vec<u8>,
    tail: Vec<u8>,
    strings: u64,
    declared_strings: Option<u64>,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        const HEAD: usize = 4096;
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(buf.len());
            self.head.extend_from_slice(&buf[..take]);
            if self.head.len() == HEAD || take == buf.len() {
                self.declared_strings = declared_count(&self.head);
            }
        }
        // An element split across two writes is still counted once.
        let mut joined = std::mem::take(&mut self.tail);
        joined.extend_from_slice(buf);
        for at in memchr::memmem::find_iter(&joined, b"<si") {
            if matches!(
                joined.get(at + 3),
                Some(b'>' | b' ' | b'/' | b'\t' | b'\n' | b'\r')
            ) {
                self.strings += 1;
            }
        }
        let keep = joined.len().min(3);
        // A `<si` in the last three bytes was not counted yet (its fourth byte is
        // still to come); anything else there cannot start one.
        self.tail = joined[joined.len() - keep..].to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `uniqueCount="N"` in the opening of a shared-strings part.
fn declared_count(head: &[u8]) -> Option<u64> {
    let at = memchr::memmem::find(head, b"uniqueCount")?;
    let rest = &head[at + b"uniqueCount".len()..];
    let digits: Vec<u8> = rest
        .iter()
        .skip_while(|b| matches!(b, b' ' | b'=' | b'"' | b'\''))
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    if digits.is_empty() {
        return None;
    }
    // More digits than u64 holds is more than any limit.
    Some(
        std::str::from_utf8(&digits)
            .ok()?
            .parse()
            .unwrap_or(u64::MAX),
    )
}

/// A sheet's non-blank cells, bounded in rows, columns and count.
fn read_sheet(
    path: &str,
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    shown_name: &str,
) -> Result<Grid, Diagnostic> {
    let unreadable = || {
        file_error(
            path,
            format!("the sheet `{shown_name}` cannot be read: the workbook is damaged"),
            RESAVE_HELP,
        )
    };
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|_| unreadable())?;
    let mut grid = Grid::default();
    while let Some(record) = reader
        .next_cell_with_formula_metadata()
        .map_err(|_| unreadable())?
    {
        let (row, col) = record.pos;
        let formula = record.formula.is_some();
        let Some(value) = cell_value(record.value, formula) else {
            continue;
        };
        if row >= MAX_ROWS || col >= MAX_COLUMNS || grid.len() >= MAX_CELLS {
            return Err(file_error(
                path,
                format!(
                    "the sheet `{shown_name}` is too large (a value in {}{}); the limit is {MAX_ROWS} rows, {MAX_COLUMNS} columns and {MAX_CELLS} cells",
                    column_name(col.min(16_383)),
                    u64::from(row) + 1
                ),
                "delete the rows and columns below and beside the table, then save again",
            ));
        }
        grid.insert((row, col), value);
    }
    Ok(grid)
}

/// What a cell holds, as YAML would have written it; `None` for a blank cell.
fn cell_value(value: DataRef<'_>, formula: bool) -> Option<CellValue> {
    let plain = |text: String| CellValue {
        text,
        style: Style::Plain,
        formula,
        error: None,
    };
    let text = |raw: &str| {
        // Line ends as a spreadsheet stores them; spaces around are not seen by people.
        let text = raw.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        Some(CellValue {
            style: if text.contains('\n') {
                Style::Literal
            } else {
                Style::Double
            },
            text: text.to_owned(),
            formula,
            error: None,
        })
    };
    match value {
        DataRef::Empty => formula.then(|| plain(String::new())),
        DataRef::String(s) => text(&s).or_else(|| formula.then(|| plain(String::new()))),
        DataRef::SharedString(s) => text(s).or_else(|| formula.then(|| plain(String::new()))),
        DataRef::Int(i) => Some(plain(i.to_string())),
        DataRef::Float(f) => Some(plain(number_text(f))),
        DataRef::Bool(b) => Some(plain(b.to_string())),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            Some(plain(if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
            }))
        }
        DataRef::DateTime(dt) => Some(plain(number_text(dt.as_f64()))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(plain(s)),
        DataRef::Error(e) => Some(CellValue {
            error: Some(e.to_string()),
            ..plain(e.to_string())
        }),
    }
}

/// A number cell as YAML would write it: whole numbers without a decimal point.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Builds the questionnaire tree. Problems of the workbook's shape (a missing sheet
/// or header) go to `out`; `None` when there is nothing to validate.
fn build_tree(
    path: &str,
    grids: &[Option<Grid>],
    cells: &mut Cells,
    out: &mut Vec<Diagnostic>,
) -> Option<Node<'static>> {
    let help = "start from `capgap template --sector SECTOR --format xlsx`";
    let Some(fields) = &grids[0] else {
        out.push(file_error(
            path,
            format!("the workbook has no sheet `{QUESTIONNAIRE_SHEET}`"),
            help,
        ));
        return None;
    };
    let Some(answers) = &grids[1] else {
        out.push(file_error(
            path,
            format!("the workbook has no sheet `{ANSWERS_SHEET}`"),
            help,
        ));
        return None;
    };
    let mut builder = Builder {
        cells,
        out,
        path,
        failed: false,
    };
    let mut entries = builder.fields(fields);
    if let Some(answers) = builder.answers(answers) {
        entries.push(answers);
    }
    if let Some(workforce) = grids[2].as_ref().and_then(|grid| builder.workforce(grid)) {
        entries.push(workforce);
    }
    if builder.failed {
        return None;
    }
    Some(Node {
        pos: Cells::pos(0, 0, 0),
        kind: Kind::Map(entries),
    })
}

struct Builder<'c> {
    cells: &'c mut Cells,
    out: &'c mut Vec<Diagnostic>,
    path: &'c str,
    /// A problem of shape that leaves nothing to validate.
    failed: bool,
}

type Entry = (Node<'static>, Node<'static>);

impl Builder<'_> {
    /// The node of a cell (a blank value where the cell is blank), remembered for
    /// diagnostics; formula and error cells are reported here.
    fn node(&mut self, grid: &Grid, sheet: usize, row: u32, col: u32) -> Node<'static> {
        let pos = Cells::pos(sheet, row, col);
        let Some(cell) = grid.get(&(row, col)) else {
            return blank(pos);
        };
        let first_line = cell.text.lines().next().unwrap_or_default();
        let mut shown: String = first_line.chars().take(MAX_SNIPPET_CHARS).collect();
        if shown.len() < cell.text.len() {
            shown.push('…');
        }
        self.cells.shown.insert((pos.line, pos.col), shown);
        let here = |cells: &Cells, message: String, help: &str| {
            cells
                .at(
                    self.path,
                    Severity::Error,
                    u64::from(pos.line),
                    u64::from(pos.col),
                    message,
                )
                .with_help(help)
        };
        if cell.formula {
            let d = here(
                self.cells,
                "this cell holds a formula".into(),
                "type the value; formulas are not read",
            );
            self.out.push(d);
            return blank(pos);
        }
        if let Some(error) = &cell.error {
            let d = here(
                self.cells,
                format!("this cell holds the error {error}"),
                "type the value",
            );
            self.out.push(d);
            return blank(pos);
        }
        Node {
            pos,
            kind: Kind::Scalar {
                text: cell.text.clone().into(),
                style: cell.style,
                width: cell.text.chars().count() as u32,
            },
        }
    }

    /// The header row within the first rows: the columns of `names` found in it
    /// (by name, any case), or a problem when `required` ones are missing.
    fn header(
        &mut self,
        grid: &Grid,
        sheet: usize,
        names: &[&'static str],
        required: &[&'static str],
    ) -> Option<(u32, Vec<Option<u32>>)> {
        let name_at = |row: u32, col: u32| {
            grid.get(&(row, col))
                .filter(|c| !c.formula && c.error.is_none())
                .map(|c| c.text.trim().to_lowercase())
        };
        let row = (0..HEADER_SEARCH_ROWS).find(|&row| {
            (0..MAX_COLUMNS).any(|col| name_at(row, col).as_deref() == Some(required[0]))
        });
        let sheet_name = self.cells.sheets[sheet];
        let Some(row) = row else {
            let d = self.cells.at(
                self.path,
                Severity::Error,
                u64::from(Cells::pos(sheet, 0, 0).line),
                1,
                format!(
                    "the sheet `{sheet_name}` has no header row naming the columns {}",
                    quoted(required)
                ),
            );
            self.out.push(d.with_help(format!(
                "put a row with {} above the table, as `capgap template --format xlsx` does",
                quoted(names)
            )));
            self.failed = true;
            return None;
        };
        let columns: Vec<Option<u32>> = names
            .iter()
            .map(|name| (0..MAX_COLUMNS).find(|&col| name_at(row, col).as_deref() == Some(*name)))
            .collect();
        for (name, col) in names.iter().zip(&columns) {
            if col.is_some() || !required.contains(name) {
                continue;
            }
            // A misspelt header is shown where it is.
            let headers: Vec<(u32, String)> = (0..MAX_COLUMNS)
                .filter_map(|col| name_at(row, col).map(|n| (col, n)))
                .filter(|(_, n)| !names.contains(&n.as_str()))
                .collect();
            let near = headers
                .iter()
                .find(|(_, n)| nearest(n, [*name]).is_some())
                .map(|(col, _)| *col);
            let at = Cells::pos(sheet, row, near.unwrap_or(0));
            if near.is_some() {
                self.node(grid, sheet, row, near.unwrap_or(0));
            }
            let d = self.cells.at(
                self.path,
                Severity::Error,
                u64::from(at.line),
                u64::from(at.col),
                format!("the sheet `{sheet_name}` has no column `{name}`"),
            );
            let help = if near.is_some() {
                format!("did you mean `{name}`? name the column `{name}` in the header row")
            } else {
                format!("add a column named `{name}` to the header row")
            };
            self.out.push(d.with_help(help));
            self.failed = true;
        }
        Some((row, columns))
    }

    /// The Questionnaire sheet's rows as the top-level entries.
    ///
    /// The template's layout is a header row `field`, `value` with one field per row
    /// below. A sheet made by hand may instead name the fields across a row with
    /// the values in the row below, or list them down a column without a header,
    /// the values in the next column: both are read too, found by the field names.
    fn fields(&mut self, grid: &Grid) -> Vec<Entry> {
        let is_field = |row: u32, col: u32| {
            grid.get(&(row, col)).is_some_and(|c| {
                let name = c.text.trim();
                super::questionnaire::FIELDS.contains(&name) || name.starts_with("targets.")
            })
        };
        let has_header = (0..HEADER_SEARCH_ROWS).any(|row| {
            (0..MAX_COLUMNS).any(|col| {
                grid.get(&(row, col))
                    .is_some_and(|c| c.text.trim().eq_ignore_ascii_case("field"))
            })
        });
        let across = (0..HEADER_SEARCH_ROWS)
            .find(|&row| (0..MAX_COLUMNS).filter(|&col| is_field(row, col)).count() >= 2);
        let down = (0..MAX_COLUMNS).find(|&col| {
            (0..HEADER_SEARCH_ROWS)
                .filter(|&row| is_field(row, col))
                .count()
                >= 2
        });
        let mut pairs: Vec<(u32, u32, u32, u32)> = Vec::new();
        let last = grid.keys().map(|(r, _)| *r).max().unwrap_or(0);
        match (has_header, across, down) {
            (false, Some(row), _) => {
                for col in (0..MAX_COLUMNS).filter(|&col| grid.contains_key(&(row, col))) {
                    pairs.push((row, col, row + 1, col));
                }
            }
            (false, None, Some(col)) => {
                for row in 0..=last {
                    pairs.push((row, col, row, col + 1));
                }
            }
            _ => {
                let Some((header, columns)) =
                    self.header(grid, 0, &["field", "value"], &["field", "value"])
                else {
                    return Vec::new();
                };
                let (Some(key_col), Some(value_col)) = (columns[0], columns[1]) else {
                    return Vec::new();
                };
                for row in header + 1..=last {
                    pairs.push((row, key_col, row, value_col));
                }
            }
        }
        let mut entries = Vec::new();
        let mut targets: Vec<Entry> = Vec::new();
        let mut targets_pos = None;
        for (key_row, key_col, value_row, value_col) in pairs {
            let key = self.node(grid, 0, key_row, key_col);
            let value = self.node(grid, 0, value_row, value_col);
            if key.is_null() {
                if !value.is_null() {
                    self.out.push(
                        self.cells
                            .at(
                                self.path,
                                Severity::Error,
                                u64::from(value.pos.line),
                                u64::from(value.pos.col),
                                "a value without a field name",
                            )
                            .with_help(
                                "write the field's name in the `field` column, or clear the value",
                            ),
                    );
                }
                continue;
            }
            let name = key.scalar().map(|(t, _)| t.to_owned()).unwrap_or_default();
            if let Some(domain) = name.strip_prefix("targets.") {
                targets_pos.get_or_insert(key.pos);
                let key = Node {
                    pos: key.pos,
                    kind: Kind::Scalar {
                        text: domain.trim().to_owned().into(),
                        style: Style::Double,
                        width: name.chars().count() as u32,
                    },
                };
                // A blank target is no override.
                if !value.is_null() {
                    targets.push((key, value));
                }
                continue;
            }
            entries.push((key, value));
        }
        if let Some(pos) = targets_pos {
            let key = Node {
                pos,
                kind: Kind::Scalar {
                    text: "targets".into(),
                    style: Style::Plain,
                    width: 1,
                },
            };
            let value = if targets.is_empty() {
                blank(pos)
            } else {
                Node {
                    pos,
                    kind: Kind::Map(targets),
                }
            };
            entries.push((key, value));
        }
        entries
    }

    /// The Answers sheet as the `answers` entry: one answer per row with a practice.
    fn answers(&mut self, grid: &Grid) -> Option<Entry> {
        let (header, columns) = self.header(grid, 1, ANSWER_COLUMNS, &["practice", "response"])?;
        let practice_col = columns[0]?;
        let response_col = columns[1]?;
        let key_pos = Cells::pos(1, header, practice_col);
        self.node(grid, 1, header, practice_col);
        let mut rows = Vec::new();
        let last = grid.keys().map(|(r, _)| *r).max().unwrap_or(0);
        for row in header + 1..=last {
            let practice = self.node(grid, 1, row, practice_col);
            let response = self.node(grid, 1, row, response_col);
            let evidence = columns[2].map(|col| self.node(grid, 1, row, col));
            let note = columns[3].map(|col| self.node(grid, 1, row, col));
            let answered = [Some(&response), evidence.as_ref(), note.as_ref()]
                .into_iter()
                .flatten()
                .find(|n| !n.is_null())
                .map(|n| n.pos);
            if practice.is_null() {
                if let Some(at) = answered {
                    self.out.push(
                        self.cells
                            .at(
                                self.path,
                                Severity::Error,
                                u64::from(at.line),
                                u64::from(at.col),
                                "an answer in a row without a practice id",
                            )
                            .with_help("write the practice id in the `practice` column of this row, or clear the row"),
                    );
                }
                continue;
            }
            let value = if answered.is_none() {
                blank(response.pos)
            } else {
                let mut long = Vec::new();
                let field = |name: &'static str, at: Pos| Node {
                    pos: at,
                    kind: Kind::Scalar {
                        text: name.into(),
                        style: Style::Plain,
                        width: 1,
                    },
                };
                let pos = response.pos;
                if !response.is_null() {
                    long.push((field("response", response.pos), response));
                }
                if let Some(evidence) = evidence.filter(|n| !n.is_null()) {
                    long.push((field("evidence", evidence.pos), evidence_items(evidence)));
                }
                if let Some(note) = note.filter(|n| !n.is_null()) {
                    long.push((field("note", note.pos), note));
                }
                Node {
                    pos,
                    kind: Kind::Map(long),
                }
            };
            rows.push((practice, value));
        }
        let key = Node {
            pos: key_pos,
            kind: Kind::Scalar {
                text: "answers".into(),
                style: Style::Plain,
                width: 1,
            },
        };
        Some((
            key,
            Node {
                pos: key_pos,
                kind: Kind::Map(rows),
            },
        ))
    }
}

impl Builder<'_> {
    /// The Workforce sheet as the `workforce` entry: role id → `{ staff, needed,
    /// in_training }`, one role per row with a role id and any count; a row whose
    /// counts are all blank is left out (the role is not reported). `None` when no
    /// row has a count, as a YAML questionnaire without `workforce`.
    fn workforce(&mut self, grid: &Grid) -> Option<Entry> {
        const SHEET: usize = 2;
        if grid.is_empty() {
            return None;
        }
        let (header, columns) =
            self.header(grid, SHEET, WORKFORCE_COLUMNS, &["role", "staff", "needed"])?;
        let role_col = columns[0]?;
        let key_pos = Cells::pos(SHEET, header, role_col);
        self.node(grid, SHEET, header, role_col);
        let last = grid.keys().map(|(r, _)| *r).max().unwrap_or(0);
        let mut rows = Vec::new();
        for row in header + 1..=last {
            let role = self.node(grid, SHEET, row, role_col);
            let counts: Vec<(&'static str, Node<'static>)> = WORKFORCE_COLUMNS[1..]
                .iter()
                .zip(&columns[1..])
                .filter_map(|(name, col)| col.map(|col| (*name, self.node(grid, SHEET, row, col))))
                .collect();
            let Some(first) = counts
                .iter()
                .find(|(_, n)| !n.is_null())
                .map(|(_, n)| n.pos)
            else {
                continue;
            };
            if role.is_null() {
                self.out.push(
                    self.cells
                        .at(
                            self.path,
                            Severity::Error,
                            u64::from(first.line),
                            u64::from(first.col),
                            "numbers in a row without a role id",
                        )
                        .with_help(
                            "write the role id in the `role` column of this row, or clear the row",
                        ),
                );
                continue;
            }
            // A blank staff or needed stays in, so that it is reported at its cell;
            // a blank in_training is 0, as in YAML.
            let fields = counts
                .into_iter()
                .filter(|(name, node)| *name != "in_training" || !node.is_null())
                .map(|(name, node)| {
                    let key = Node {
                        pos: node.pos,
                        kind: Kind::Scalar {
                            text: name.into(),
                            style: Style::Plain,
                            width: 1,
                        },
                    };
                    (key, node)
                })
                .collect();
            rows.push((
                role,
                Node {
                    pos: first,
                    kind: Kind::Map(fields),
                },
            ));
        }
        if rows.is_empty() {
            return None;
        }
        let key = Node {
            pos: key_pos,
            kind: Kind::Scalar {
                text: "workforce".into(),
                style: Style::Plain,
                width: 1,
            },
        };
        Some((
            key,
            Node {
                pos: key_pos,
                kind: Kind::Map(rows),
            },
        ))
    }
}

/// An evidence cell: one item per line.
fn evidence_items(node: Node<'static>) -> Node<'static> {
    let Some((text, Style::Literal)) = node.scalar() else {
        return node;
    };
    let items = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| Node {
            pos: node.pos,
            kind: Kind::Scalar {
                text: line.to_owned().into(),
                style: Style::Double,
                width: line.chars().count() as u32,
            },
        })
        .collect();
    Node {
        pos: node.pos,
        kind: Kind::Seq(items),
    }
}

fn blank(pos: Pos) -> Node<'static> {
    Node {
        pos,
        kind: Kind::Scalar {
            text: "".into(),
            style: Style::Plain,
            width: 0,
        },
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_columns_as_spreadsheets_do() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn reads_declared_shared_string_counts() {
        assert_eq!(
            declared_count(b"<sst xmlns=\"x\" count=\"3\" uniqueCount=\"2\">"),
            Some(2)
        );
        assert_eq!(
            declared_count(b"<sst uniqueCount='99999999999999999999999'>"),
            Some(u64::MAX)
        );
        assert_eq!(declared_count(b"<worksheet>"), None);
    }

    #[test]
    fn counts_shared_strings_split_across_writes() {
        let mut counter = Counter::default();
        counter.write_all(b"<sst><si><t>a</t></si><s").unwrap();
        counter
            .write_all(b"i><t>b</t></si><sis/><si/></sst>")
            .unwrap();
        assert_eq!(counter.strings, 3);
    }

    /// The built-in model's template, then the same bytes damaged in many ways: every
    /// load ends in a verdict, never a panic.
    #[test]
    fn damaged_workbooks_never_panic() {
        let model = crate::load::load_model("model.yaml", crate::load::DEFAULT_MODEL.into())
            .expect("the built-in model is valid");
        let bytes = crate::output::xlsx::template_workbook(&crate::output::xlsx::TemplateFields {
            model: &model,
            sector: "power",
            lang: "en",
            country: Some("KH"),
            operator: Some("Grid"),
            operator_id: None,
            today: crate::questionnaire::Date::parse("2026-09-14").unwrap(),
        })
        .unwrap();
        let loaded = load_workbook(&model, "t.xlsx", &bytes, false);
        assert!(loaded.questionnaire.is_some(), "{:?}", loaded.diagnostics);
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..300 {
            let mut damaged = bytes.clone();
            match round % 3 {
                0 => damaged.truncate((next() as usize) % bytes.len()),
                _ => {
                    for _ in 0..1 + next() % 8 {
                        let at = (next() as usize) % damaged.len();
                        damaged[at] = next() as u8;
                    }
                }
            }
            let loaded = load_workbook(&model, "t.xlsx", &damaged, false);
            if loaded.questionnaire.is_none() {
                assert!(!loaded.diagnostics.is_empty(), "round {round}");
            }
        }
    }

    #[test]
    fn cells_map_onto_yaml_meanings() {
        let v = cell_value(DataRef::Float(2.0), false).unwrap();
        assert_eq!((v.text.as_str(), v.style), ("2", Style::Plain));
        let v = cell_value(DataRef::Float(0.5), false).unwrap();
        assert_eq!(v.text, "0.5");
        let v = cell_value(DataRef::SharedString("  yes "), false).unwrap();
        assert_eq!((v.text.as_str(), v.style), ("yes", Style::Double));
        let v = cell_value(DataRef::String("a\r\nb".into()), false).unwrap();
        assert_eq!((v.text.as_str(), v.style), ("a\nb", Style::Literal));
        assert!(cell_value(DataRef::SharedString("   "), false).is_none());
        assert!(cell_value(DataRef::Empty, false).is_none());
        assert!(cell_value(DataRef::Empty, true).unwrap().formula);
    }
}
