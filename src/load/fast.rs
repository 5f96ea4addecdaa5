//! The fastest path for questionnaires: a reader for the plain subset of YAML that
//! questionnaires are written in (block mappings two levels deep, plain and quoted
//! one-line scalars, one-line flow lists and maps, comments). It gives up (`None`) on
//! anything else — block scalars, multi-line values, anchors, tags, escapes it does not
//! know, document markers, tabs, duplicate keys, unknown fields, values a YAML parser
//! would read as null, booleans or numbers where text is expected — and the file then
//! goes to the general parsers. A questionnaire it reads is read exactly as the general
//! parsers read it; the tests in `questionnaire.rs` check that on every example.
//! No IO.

use serde_saphyr::{Location, Spanned};

use super::questionnaire::{RawAnswer, RawLongAnswer, RawQuestionnaire};
use super::yaml::{OneOrMany, SpannedMap};

/// Reads a questionnaire written in the plain subset, or `None`.
pub(crate) fn read(text: &str) -> Option<RawQuestionnaire> {
    let mut lines = Lines::new(text)?;
    let mut q = Partial::default();
    while let Some(line) = lines.next_line()? {
        if line.indent != 0 {
            return None;
        }
        let (key, value) = split_key(line.text)?;
        match key {
            "answers" => {
                if !value.is_empty() || q.answers.is_some() {
                    return None;
                }
                q.answers = Some(answers(&mut lines)?);
            }
            "targets" => {
                if q.targets.is_some() {
                    return None;
                }
                q.targets = Some(if value.is_empty() {
                    block_targets(&mut lines)?
                } else {
                    flow_targets(value)?
                });
            }
            _ => {
                let slot = match key {
                    "model" => &mut q.model,
                    "country" => &mut q.country,
                    "sector" => &mut q.sector,
                    "operator" => &mut q.operator,
                    "operator_id" => &mut q.operator_id,
                    "assessed_on" => &mut q.assessed_on,
                    "assessor" => &mut q.assessor,
                    "tlp" => &mut q.tlp,
                    "weight" => &mut q.weight,
                    _ => return None,
                };
                if slot.is_some() {
                    return None;
                }
                *slot = Some(value.to_owned());
            }
        }
    }
    q.finish()
}

/// Top-level values as written (still YAML text).
#[derive(Default)]
struct Partial {
    model: Option<String>,
    country: Option<String>,
    sector: Option<String>,
    operator: Option<String>,
    operator_id: Option<String>,
    assessed_on: Option<String>,
    assessor: Option<String>,
    tlp: Option<String>,
    weight: Option<String>,
    targets: Option<SpannedMap<Spanned<u32>>>,
    answers: Option<SpannedMap<Spanned<RawAnswer>>>,
}

impl Partial {
    fn finish(self) -> Option<RawQuestionnaire> {
        let required = |value: Option<String>| value.as_deref().and_then(text).map(spanned);
        let optional = |value: Option<String>| match value {
            None => Some(None),
            Some(v) if v.is_empty() => Some(None),
            Some(v) => text(&v).map(|t| Some(spanned(t))),
        };
        let weight = match self.weight {
            None => None,
            Some(w) => Some(spanned(number(&w)?)),
        };
        Some(RawQuestionnaire {
            model: required(self.model)?,
            country: required(self.country)?,
            sector: required(self.sector)?,
            operator: required(self.operator)?,
            operator_id: optional(self.operator_id)?,
            assessed_on: required(self.assessed_on)?,
            assessor: optional(self.assessor)?.map(|s| s.value),
            tlp: optional(self.tlp)?,
            weight,
            targets: self.targets.unwrap_or_default(),
            answers: spanned(self.answers?),
        })
    }
}

fn spanned<T>(value: T) -> Spanned<T> {
    Spanned {
        value,
        referenced: Location::UNKNOWN,
        defined: Location::UNKNOWN,
    }
}

/// The non-blank, non-comment lines of a file, with their indentation.
struct Lines<'a> {
    rest: std::str::Lines<'a>,
    peeked: Option<Line<'a>>,
}

#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    /// Without indentation and trailing comment.
    text: &'a str,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Option<Self> {
        if text.contains('\t') || text.contains('\r') && !text.contains("\r\n") {
            return None;
        }
        Some(Lines {
            rest: text.lines(),
            peeked: None,
        })
    }

    /// The next line; `Some(None)` at the end; `None` when a line is outside the subset.
    fn next_line(&mut self) -> Option<Option<Line<'a>>> {
        if let Some(line) = self.peeked.take() {
            return Some(Some(line));
        }
        for raw in self.rest.by_ref() {
            let content = raw.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if content.starts_with("---") || content.starts_with("...") || content.starts_with('%')
            {
                return None;
            }
            let text = strip_comment(content)?.trim_end_matches(' ');
            return Some(Some(Line {
                indent: raw.len() - content.len(),
                text,
            }));
        }
        Some(None)
    }

    /// The next line if it is indented exactly `indent`; `Some(None)` when the next line
    /// is less indented (the block ends); `None` when it is more indented than expected.
    fn child(&mut self, indent: usize) -> Option<Option<Line<'a>>> {
        let Some(line) = self.next_line()? else {
            return Some(None);
        };
        if line.indent == indent {
            Some(Some(line))
        } else if line.indent < indent {
            self.peeked = Some(line);
            Some(None)
        } else {
            None
        }
    }
}

/// The line without a trailing ` # comment`, minding quotes; `None` for a line whose
/// quotes do not close on it.
fn strip_comment(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => i += 1,
            Some(q) if b == q => {
                if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None if (b == b'"' || b == b'\'')
                && (i == 0 || matches!(bytes[i - 1], b' ' | b'[' | b',' | b'{')) =>
            {
                quote = Some(b);
            }
            None if b == b'#' && i > 0 && bytes[i - 1] == b' ' => return Some(&line[..i]),
            None => {}
        }
        i += 1;
    }
    quote.is_none().then_some(line)
}

/// `key: value` or `key:` → (key, value); keys are plain words.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let rest = &line[colon + 1..];
    if key.is_empty()
        || !key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return None;
    }
    if rest.is_empty() {
        return Some((key, ""));
    }
    let value = rest.strip_prefix(' ')?.trim_start_matches(' ');
    Some((key, value))
}

/// A one-line scalar as text: plain, "double-quoted" or 'single-quoted'. `None` for
/// what YAML would not read as that text (null, booleans, numbers, flow or block
/// indicators, escapes other than `\"` and `\\`).
fn text(value: &str) -> Option<String> {
    if let Some(inner) = value.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next()? {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    _ => return None,
                },
                '"' => return None,
                c => out.push(c),
            }
        }
        return Some(out);
    }
    if let Some(inner) = value.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        return Some(inner.replace("''", "'"));
    }
    plain(value).map(str::to_owned)
}

/// A plain scalar that YAML 1.2 reads as a string, or `None`.
fn plain(value: &str) -> Option<&str> {
    let first = value.bytes().next()?;
    if b"-?:,[]{}#&*!|>'\"%@`".contains(&first)
        && !(first == b'-' && value.len() > 1 && !value.starts_with("- "))
    {
        return None;
    }
    if value.contains(": ") || value.contains(" #") || value.ends_with(':') {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "null" | "~" | "true" | "false" | ".inf" | "-.inf" | "+.inf" | ".nan"
    ) {
        return None;
    }
    if looks_numeric(value) {
        return None;
    }
    Some(value)
}

/// Whether YAML might read a plain scalar as a number (conservatively: anything
/// Rust reads as a float, with or without `_`, and 0x / 0o / 0b prefixes).
fn looks_numeric(value: &str) -> bool {
    let body = value
        .strip_prefix(['+', '-'])
        .unwrap_or(value)
        .to_ascii_lowercase();
    body.starts_with("0x")
        || body.starts_with("0o")
        || body.starts_with("0b")
        || body.parse::<f64>().is_ok()
        || body.replace('_', "").parse::<f64>().is_ok()
}

/// A plain decimal number (weights), as YAML reads it.
fn number(value: &str) -> Option<f64> {
    let ok = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && value.bytes().filter(|&b| b == b'.').count() <= 1
        && !value.starts_with('.')
        && !value.ends_with('.')
        && !(value.len() > 1 && value.starts_with('0') && !value.starts_with("0."));
    ok.then(|| value.parse().ok()).flatten()
}

/// A target level: a plain unsigned integer.
fn level(value: &str) -> Option<u32> {
    let ok = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && !(value.len() > 1 && value.starts_with('0'));
    ok.then(|| value.parse().ok()).flatten()
}

/// `[a, "b", 'c']` on one line, items as text.
fn flow_list(value: &str) -> Option<Vec<String>> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(Vec::new());
    }
    split_flow(inner)?
        .into_iter()
        .map(|item| text(item.trim()))
        .collect()
}

/// `{ A: 3, B: 2 }` on one line.
fn flow_targets(value: &str) -> Option<SpannedMap<Spanned<u32>>> {
    let inner = value.strip_prefix('{')?.strip_suffix('}')?.trim();
    let mut entries = Vec::new();
    if !inner.is_empty() {
        for item in split_flow(inner)? {
            let (key, value) = split_key(item.trim())?;
            entries.push((spanned(key.to_owned()), spanned(level(value)?)));
        }
    }
    unique(SpannedMap(entries))
}

/// Splits flow items on commas outside quotes; `None` on nested collections.
fn split_flow(inner: &str) -> Option<Vec<&str>> {
    let mut items = Vec::new();
    let (mut start, mut quote) = (0, None);
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(b'"') if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if matches!(b, b'[' | b']' | b'{' | b'}') => return None,
            None if b == b',' => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            None => {}
        }
        i += 1;
    }
    items.push(&inner[start..]);
    Some(items)
}

fn unique<V>(map: SpannedMap<V>) -> Option<SpannedMap<V>> {
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(map.0.len());
    map.0
        .iter()
        .all(|(key, _)| seen.insert(key.value.as_str()))
        .then_some(map)
}

/// `targets:` followed by `  DOMAIN: level` lines.
fn block_targets(lines: &mut Lines<'_>) -> Option<SpannedMap<Spanned<u32>>> {
    let mut entries = Vec::new();
    while let Some(line) = lines.child(2)? {
        let (key, value) = split_key(line.text)?;
        entries.push((spanned(key.to_owned()), spanned(level(value)?)));
    }
    unique(SpannedMap(entries))
}

/// `answers:` followed by `  ID: response`, `  ID:` (blank) or the long form.
fn answers(lines: &mut Lines<'_>) -> Option<SpannedMap<Spanned<RawAnswer>>> {
    let mut entries = Vec::new();
    while let Some(line) = lines.child(2)? {
        let (key, value) = split_key(line.text)?;
        let answer = if value.is_empty() {
            match lines.child(4)? {
                None => RawAnswer::Blank,
                Some(first) => RawAnswer::Long(long_answer(lines, first)?),
            }
        } else {
            RawAnswer::Short(text(value)?)
        };
        entries.push((spanned(key.to_owned()), spanned(answer)));
    }
    unique(SpannedMap(entries))
}

/// The fields of a long-form answer, starting with `first`.
fn long_answer<'a>(lines: &mut Lines<'a>, first: Line<'a>) -> Option<RawLongAnswer> {
    let mut answer = RawLongAnswer {
        response: None,
        evidence: OneOrMany::default(),
        note: None,
    };
    let (mut seen_evidence, mut line) = (false, Some(first));
    while let Some(current) = line {
        let (key, value) = split_key(current.text)?;
        match key {
            "response" if answer.response.is_none() => {
                answer.response = Some(spanned(text(value)?))
            }
            "note" if answer.note.is_none() => answer.note = Some(text(value)?),
            "evidence" if !seen_evidence => {
                seen_evidence = true;
                answer.evidence = OneOrMany(if value.starts_with('[') {
                    flow_list(value)?
                } else if value.is_empty() {
                    let mut items = Vec::new();
                    while let Some(item) = lines.child(6)? {
                        items.push(text(item.text.strip_prefix("- ")?.trim_start_matches(' '))?);
                    }
                    items
                } else {
                    vec![text(value)?]
                });
            }
            _ => return None,
        }
        line = lines.child(4)?;
    }
    Some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "model: cicmm@1.0.0\ncountry: NO  # Norway, not a boolean\nsector: power\noperator: \"Grid \\\"A\\\" & Co\"\nassessed_on: 2026-09-14\n";

    /// Reads `HEAD` + `rest`; `Some` with the answers' keys when the subset reader takes it.
    fn check(rest: &str) -> Option<Vec<String>> {
        read(&format!("{HEAD}{rest}")).map(|q| {
            q.answers
                .value
                .0
                .into_iter()
                .map(|(k, _)| k.value)
                .collect()
        })
    }

    #[test]
    fn reads_the_plain_subset() {
        let q = read(&format!("{HEAD}tlp: amber+strict\nweight: 1.5\ntargets: {{ SITUATION: 3 }}\nanswers:\n  A-1a: fully\n  A-1b:\n  A-1c:\n    response: na\n    note: 'it''s gone'\n    evidence:\n      - \"x, y\"\n      - plain # comment\n")).expect("plain");
        assert_eq!(q.country.value, "NO");
        assert_eq!(q.operator.value, "Grid \"A\" & Co");
        assert_eq!(q.weight.map(|w| w.value), Some(1.5));
        assert_eq!(q.targets.0[0].1.value, 3);
        let answers = &q.answers.value.0;
        assert!(matches!(answers[1].1.value, RawAnswer::Blank));
        let RawAnswer::Long(long) = &answers[2].1.value else {
            panic!("long form")
        };
        assert_eq!(long.note.as_deref(), Some("it's gone"));
        assert_eq!(long.evidence.0, ["x, y", "plain"]);
        assert_eq!(check("answers:\n").map(|k| k.len()), Some(0));
    }

    #[test]
    fn gives_up_on_anything_else() {
        for rest in [
            "answers:\n  A-1a: true\n",
            "answers:\n  A-1a: 1\n",
            "answers:\n  A-1a: null\n",
            "answers:\n  A-1a: fully\n  A-1a: not\n",
            "answers:\n  A-1a: &x fully\n",
            "answers:\n  A-1a:\n    note: |\n      text\n",
            "answers:\n  A-1a:\n    note: \"tab\\tbed\"\n",
            "answers:\n  A-1a:\n    evidence: [[x]]\n",
            "answers:\n    A-1a: fully\n",
            "answers:\n  A-1a: fully\nunknown: x\n",
            "answers:\n  A-1a: \"unclosed\n",
            "---\nanswers:\n",
            "assesed_on: 2026-01-01\nanswers:\n",
            "weight: 01\nanswers:\n",
        ] {
            assert_eq!(check(rest), None, "{rest:?}");
        }
        assert!(read("model: x\n").is_none(), "required fields");
    }
}
