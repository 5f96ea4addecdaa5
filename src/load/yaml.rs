//! The file layer shared by every loader: reading a file defensively (regular files
//! only, size checked before reading and never more than the cap read, binary and
//! non-UTF-8 refused), the source text that diagnostics quote, "did you mean".
//! Every loader then reads the text into the positioned tree (`tree.rs`).

use crate::diag::{Diagnostic, Severity};

/// Source lines longer than this are not quoted under a diagnostic.
const MAX_SNIPPET_BYTES: usize = 1_000;

/// Input files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// One input file's text with its path, for positioned diagnostics. A workbook
/// has no text: its positions are cells, and `cells` holds what they show.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub cells: Option<&'a super::xlsx::Cells>,
}

impl<'a> Source<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Source {
            path,
            text,
            cells: None,
        }
    }

    /// A workbook's positions, for diagnostics at its cells.
    pub fn workbook(path: &'a str, cells: &'a super::xlsx::Cells) -> Self {
        Source {
            path,
            text: "",
            cells: Some(cells),
        }
    }

    /// Where a position's line is, in words: `line 7`, or in a workbook `row 7`.
    pub fn line_name(&self, line: u32) -> String {
        match self.cells {
            Some(cells) => cells.row_name(line),
            None => format!("line {line}"),
        }
    }

    /// A diagnostic at a 1-based line and column, with the source line attached.
    pub fn at(
        &self,
        severity: Severity,
        line: u64,
        col: u64,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        if let Some(cells) = self.cells {
            return cells.at(self.path, severity, line, col, message);
        }
        // A very long line (a hostile file) is not quoted: the position is enough.
        let source_line = (line > 0)
            .then(|| self.line(line as usize))
            .flatten()
            .filter(|l| l.len() <= MAX_SNIPPET_BYTES)
            .map(str::to_owned);
        Diagnostic {
            severity,
            path: self.path.to_owned(),
            line,
            col: col.max(1),
            message: message.into(),
            help: None,
            source_line,
            width,
            cell: None,
        }
    }

    /// The text of 1-based line `line`, without its line end.
    fn line(&self, line: usize) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = match line {
            0 => return None,
            1 => 0,
            n => memchr::memchr_iter(b'\n', bytes).nth(n - 2)? + 1,
        };
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let text = &self.text[start..end];
        Some(text.strip_suffix('\r').unwrap_or(text))
    }
}

/// Checks the bytes of a file and returns its text, or a diagnostic that says why
/// it cannot be read as YAML (empty, too large, binary, not UTF-8).
pub fn text_of(path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::file(
            Severity::Error,
            path,
            format!(
                "the file is too large ({} bytes; the limit is {MAX_FILE_BYTES})",
                bytes.len()
            ),
        ));
    }
    let binary = |offset: usize, what: &str| {
        let (line, col) = char_position(&bytes, offset);
        Diagnostic {
            line,
            col,
            ..Diagnostic::file(
                Severity::Error,
                path,
                format!("not a YAML text file: it holds {what}"),
            )
        }
        .with_help(
            "questionnaires are UTF-8 text; was a binary or a spreadsheet file saved as .yaml?",
        )
    };
    if let Some(offset) = memchr::memchr(0, &bytes) {
        return Err(binary(offset, "a NUL byte"));
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        return Err(binary(e.valid_up_to(), "invalid UTF-8"));
    }
    let text = String::from_utf8(bytes).expect("checked above");
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    if text
        .trim()
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(empty_file(path));
    }
    Ok(text)
}

/// The 1-based line and column in characters of byte `offset`, as every other
/// diagnostic counts them: a leading byte-order mark is not counted, and a byte that
/// is not valid UTF-8 counts as one character.
fn char_position(bytes: &[u8], offset: usize) -> (u64, u64) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let offset = offset.saturating_sub(bytes.len() - body.len());
    let before = &body[..offset.min(body.len())];
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, col)
}

/// "the file is empty".
pub fn empty_file(path: &str) -> Diagnostic {
    Diagnostic::file(Severity::Error, path, "the file is empty")
        .with_help("start from `capgap template --sector SECTOR`")
}

/// Reads an input file defensively: it must be a regular file (not a FIFO, a
/// device such as /dev/zero or a folder) of at most [`MAX_FILE_BYTES`], checked
/// before reading, and at most one byte more than the cap is ever read (a file
/// that grows meanwhile is still refused). The error is a lowercase sentence.
pub fn read_input(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let too_large =
        |size: u64| format!("the file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})");
    let meta = std::fs::metadata(path).map_err(|e| io_words(&e))?;
    if !meta.is_file() {
        return Err(if meta.is_dir() {
            "this is a folder, not a file".into()
        } else {
            "not a regular file (a device, a pipe or a socket); capgap reads ordinary files only"
                .into()
        });
    }
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io_words(&e))?;
    // Checked again on the open file: the path may have been swapped since.
    let meta = file.metadata().map_err(|e| io_words(&e))?;
    if !meta.is_file() {
        return Err("not a regular file; capgap reads ordinary files only".into());
    }
    let mut bytes =
        Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0).min(MAX_FILE_BYTES) + 1);
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_words(&e))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// An IO error in plain words, without the OS error number.
fn io_words(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = err.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            format!("cannot read: {}", text.to_lowercase())
        }
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(distance, c)| *distance <= (c.chars().count() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let fields = ["assessed_on", "assessor", "answers"];
        assert_eq!(nearest("assesed_on", fields), Some("assessed_on"));
        assert_eq!(nearest("colour", fields), None);
    }

    #[test]
    fn refuses_binary_and_empty_files() {
        let err = text_of("x.yaml", b"model: a\n\x00\x01".to_vec()).unwrap_err();
        assert_eq!((err.line, err.col), (2, 1));
        let err = text_of("x.yaml", vec![0xff, 0xfe, b'a']).unwrap_err();
        assert!(err.message.contains("UTF-8"), "{}", err.message);
        let err = text_of("x.yaml", "\u{feff}name: \"é\u{0}\"\n".as_bytes().to_vec()).unwrap_err();
        assert_eq!((err.line, err.col), (1, 9), "{}", err.message);
        assert_eq!(err.message, "not a YAML text file: it holds a NUL byte");
        let mut bytes = "a: 1\nnote: é".as_bytes().to_vec();
        bytes.push(0xff);
        let err = text_of("x.yaml", bytes).unwrap_err();
        assert_eq!((err.line, err.col), (2, 8), "{}", err.message);
        assert!(err.message.contains("invalid UTF-8"), "{}", err.message);
        let err = text_of("x.yaml", b"# only a comment\n\n".to_vec()).unwrap_err();
        assert_eq!(err.message, "the file is empty");
    }
}
