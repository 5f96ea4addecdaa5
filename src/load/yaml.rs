//! The file layer shared by every loader: reading a file defensively (regular files
//! only, size checked before reading and never more than the cap read, binary and
//! non-UTF-8 refused), the source text that diagnostics quote, "did you mean".
//! Questionnaires, models and regions are read into the positioned tree (`tree.rs`);
//! [`parse`] (serde-saphyr with positions and budgets) remains for loaders that
//! deserialize into raw types directly.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diag::{Diagnostic, Severity};

/// Source lines longer than this are not quoted under a diagnostic.
const MAX_SNIPPET_BYTES: usize = 1_000;

/// Input files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Parser options: YAML 1.2 booleans (`yes`, `no`, `on`, `off` stay strings) and
/// budgets well above any real questionnaire or model but far below what hurts.
pub fn options() -> serde_saphyr::Options {
    let budget = serde_saphyr::budget! {
        max_depth: 32,
        max_aliases: 1_000,
        max_anchors: 1_000,
        max_nodes: 200_000,
        max_events: 1_000_000,
        max_total_scalar_bytes: MAX_FILE_BYTES,
    };
    serde_saphyr::options! {
        strict_booleans: true,
        budget: budget,
        with_snippet: false,
    }
}

/// One input file's text with its path, for positioned diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a str,
    pub text: &'a str,
}

impl<'a> Source<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        Source { path, text }
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

    /// An error at a spanned value, underlining the value.
    pub fn error<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        self.at_location(Severity::Error, at.referenced, message)
    }

    /// A warning at a spanned value.
    pub fn warning<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        self.at_location(Severity::Warning, at.referenced, message)
    }

    pub fn at_location(
        &self,
        severity: Severity,
        location: Location,
        message: impl Into<String>,
    ) -> Diagnostic {
        let width = usize::try_from(location.span().len()).unwrap_or(1);
        self.at(severity, location.line(), location.column(), width, message)
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
        let before = &bytes[..offset];
        let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let col = (offset
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1)) as u64
            + 1;
        Diagnostic {
            line,
            col,
            ..Diagnostic::file(
                Severity::Error,
                path,
                format!("not a YAML text file: {what} at byte {offset}"),
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

/// Parses `text` into `T`, turning a parser error into a positioned diagnostic.
/// `fields` are the top-level field names, for "did you mean" on unknown fields.
pub fn parse<T: de::DeserializeOwned>(
    source: Source<'_>,
    fields: &[&str],
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(source.text, options())
        .map_err(|err| parse_error(source, &err, fields))
}

fn parse_error(source: Source<'_>, err: &serde_saphyr::Error, fields: &[&str]) -> Diagnostic {
    let plain = err.without_snippet();
    let message = first_line(&plain.to_string());
    let mut diag = match plain.location().or_else(|| err.location()) {
        Some(location) if location.line() > 0 => source.at(
            Severity::Error,
            location.line(),
            location.column(),
            1,
            message.clone(),
        ),
        _ => Diagnostic::file(Severity::Error, source.path, message.clone()),
    };
    if let Some(unknown) = backticked_after(&message, "unknown field `") {
        let field_list: Vec<&str> = expected_fields(&message).unwrap_or_else(|| fields.to_vec());
        diag.width = unknown.chars().count();
        diag.message = format!("unknown field `{unknown}`");
        diag.help = Some(match nearest(unknown, field_list.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("expected one of: {}", field_list.join(", ")),
        });
    } else if ["budget", "depth", "alias", "recursion", "limit"]
        .iter()
        .any(|w| message.contains(w))
    {
        diag.help = Some(
            "the file nests too deeply or expands too many aliases to be a questionnaire".into(),
        );
    } else if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        diag.message = format!("duplicate key `{key}`");
        diag.width = key.chars().count();
        diag.help =
            Some("each key may appear once in a mapping; remove or merge the repeated one".into());
    } else if message.contains("duplicate") {
        diag.help =
            Some("each key may appear once in a mapping; remove or merge the repeated one".into());
    }
    diag
}

/// The message without serde-saphyr's own position suffix.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = match line.rfind(" at line ") {
        Some(at) => &line[..at],
        None => line,
    };
    let line = line.trim_start_matches("error: ").trim();
    line.to_owned()
}

fn backticked_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let start = message.find(prefix)? + prefix.len();
    let end = message[start..].find('`')?;
    Some(&message[start..start + end])
}

/// The field list of serde's "expected one of `a`, `b`" message.
fn expected_fields(message: &str) -> Option<Vec<&str>> {
    let start = message.find("expected one of ")? + "expected one of ".len();
    let fields: Vec<&str> = message[start..]
        .split(", ")
        .map(|f| f.trim().trim_matches('`'))
        .filter(|f| !f.is_empty())
        .collect();
    (!fields.is_empty()).then_some(fields)
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

/// A YAML mapping kept in file order with the position of every key, for files read
/// with [`parse`]. A blank value (`key:`) is empty.
#[derive(Debug)]
pub struct SpannedMap<V, K = Spanned<String>>(pub Vec<(K, V)>);

impl<V, K> Default for SpannedMap<V, K> {
    fn default() -> Self {
        SpannedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>, K: Deserialize<'de>> Deserialize<'de> for SpannedMap<V, K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V, K>(PhantomData<(V, K)>);
        impl<'de, V: Deserialize<'de>, K: Deserialize<'de>> Visitor<'de> for MapVisitor<V, K> {
            type Value = SpannedMap<V, K>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of keys to values")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(SpannedMap(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(SpannedMap(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16).min(4096));
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(SpannedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// A text field as written: a plain string, or a map of language codes to strings.
#[derive(Debug)]
pub enum RawText {
    Plain(String),
    Languages(Vec<(String, String)>),
}

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = RawText;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a string, or a map of language codes to strings ({ en: ..., fr: ... })",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawText::Plain(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(RawText::Plain(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, String>()? {
                    entries.push(entry);
                }
                Ok(RawText::Languages(entries))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// A list of strings that may also be written as a single string.
#[derive(Debug, Default)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<String>()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }
}

impl schemars::JsonSchema for RawText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A string, or a map of language codes to strings with `en` required.",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "required": ["en"], "additionalProperties": { "type": "string" } }
            ]
        })
    }
}

impl schemars::JsonSchema for OneOrMany {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StringOrList".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" } }]
        })
    }
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
        let err = text_of("x.yaml", b"# only a comment\n\n".to_vec()).unwrap_err();
        assert_eq!(err.message, "the file is empty");
    }
}
