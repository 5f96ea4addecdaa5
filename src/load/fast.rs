//! The fast reader: builds the same positioned tree as the general parser
//! (`tree::parse`), with the same positions, for the shape questionnaires are written
//! in: block mappings and sequences indented with spaces, comment and blank lines
//! (skipped with memchr, filled-in templates are mostly comments), blank values,
//! plain scalars on one line, single- and double-quoted scalars on one line (all
//! YAML escapes), one-line flow lists and mappings (nested), literal and folded block
//! scalars (`|`, `|-`, `|+`, `>`, `>-`, `>+`), CRLF line ends. On anything else it
//! gives up (`None`) and the general parser reads that file: tabs, control
//! characters, anchors, aliases, tags, directives, document markers, multi-line
//! plain or quoted scalars, explicit keys, quoted keys, more-indented folded lines,
//! anything a YAML parser would call an error. It never decides an error itself,
//! so it cannot change a verdict; a property test (`tests.rs`) checks it against the
//! general parser on generated questionnaire-shaped files. No IO.

use std::borrow::Cow;

use super::tree::{Kind, Node, Pos, Style};

/// The deepest block nesting the reader follows (questionnaires use three levels).
const MAX_BLOCK_DEPTH: usize = 16;
/// The deepest flow nesting the reader follows.
const MAX_FLOW_DEPTH: usize = 4;

/// Reads `text` (without a byte-order mark) into the tree, or `None` when the file
/// is outside the shape described above.
pub fn read(text: &str) -> Option<Node<'_>> {
    if !plain_bytes(text.as_bytes()) {
        return None;
    }
    let mut reader = Reader {
        text,
        next: 0,
        line_no: 0,
        peeked: None,
    };
    let first = reader.peek()?;
    if first.indent != 0 {
        return None;
    }
    let root = reader.block_map(0, 0)?;
    // Everything was read: a line less indented than the root cannot exist.
    if reader.peek().is_some() {
        return None;
    }
    Some(root)
}

/// No tab, no control character (C0 but line ends, DEL, C1), no lone CR and no
/// byte-order mark inside the text: the general parser decides about those.
fn plain_bytes(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // The rare bytes only; everything else is ordinary text.
        if b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xef {
            match b {
                b'\n' => {}
                b'\r' => {
                    if bytes.get(i + 1) != Some(&b'\n') {
                        return false;
                    }
                }
                0xc2 => {
                    if bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) {
                        return false;
                    }
                }
                0xef => {
                    if bytes.get(i + 1) == Some(&0xbb) && bytes.get(i + 2) == Some(&0xbf) {
                        return false;
                    }
                }
                _ => return false,
            }
        }
        i += 1;
    }
    true
}

/// A line with content (not blank, not a comment).
#[derive(Clone, Copy)]
struct Line<'a> {
    /// 1-based.
    no: u32,
    indent: usize,
    /// The whole line without its line end.
    raw: &'a str,
    /// Byte offset where the next line starts.
    next: usize,
}

impl<'a> Line<'a> {
    fn content(&self) -> &'a str {
        &self.raw[self.indent..]
    }
}

struct Reader<'a> {
    text: &'a str,
    /// Byte offset of the next unread line.
    next: usize,
    /// The number of the last line read.
    line_no: u32,
    peeked: Option<Line<'a>>,
}

/// The position of byte `at` of `line` (1-based column in characters).
fn pos_in(line: &Line<'_>, at: usize) -> Pos {
    let before = &line.raw[..at];
    let col = if before.is_ascii() {
        at
    } else {
        before.chars().count()
    };
    Pos {
        line: line.no,
        col: u32::try_from(col + 1).unwrap_or(u32::MAX),
    }
}

fn chars(text: &str) -> u32 {
    let n = if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Reader<'a> {
    /// The next raw line, or `None` at the end of the text.
    fn raw_line(&mut self) -> Option<Line<'a>> {
        if self.next >= self.text.len() {
            return None;
        }
        let rest = &self.text.as_bytes()[self.next..];
        let (end, next) = match memchr::memchr(b'\n', rest) {
            Some(i) => (self.next + i, self.next + i + 1),
            None => (self.text.len(), self.text.len()),
        };
        let mut raw = &self.text[self.next..end];
        if let Some(stripped) = raw.strip_suffix('\r') {
            raw = stripped;
        }
        self.line_no += 1;
        self.next = next;
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        Some(Line {
            no: self.line_no,
            indent,
            raw,
            next,
        })
    }

    /// The next line with content, skipping blank and comment lines.
    fn peek(&mut self) -> Option<Line<'a>> {
        if let Some(line) = self.peeked {
            return Some(line);
        }
        loop {
            let line = self.raw_line()?;
            let content = line.content();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            self.peeked = Some(line);
            return Some(line);
        }
    }

    fn take(&mut self) {
        self.peeked = None;
    }

    /// A block mapping whose keys are at `indent`; the next line is its first key.
    fn block_map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_BLOCK_DEPTH {
            return None;
        }
        let mut entries = Vec::new();
        let mut pos = None;
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            self.take();
            let content = line.content();
            let key_len = key_length(content)?;
            let key_pos = pos_in(&line, indent);
            pos.get_or_insert(key_pos);
            let key = Node {
                pos: key_pos,
                kind: Kind::Scalar {
                    text: Cow::Borrowed(&content[..key_len]),
                    style: Style::Plain,
                    width: u32::try_from(key_len).unwrap_or(0),
                },
            };
            // After the `:`: spaces, then the value (or nothing).
            let after = indent + key_len + 1;
            let value_at =
                after + (line.raw[after..].len() - line.raw[after..].trim_start_matches(' ').len());
            let value_text = &line.raw[value_at..];
            let value = if value_text.is_empty() || value_text.starts_with('#') {
                self.nested(indent, pos_in(&line, after - 1), depth)?
            } else {
                let value = self.inline_value(&line, value_at, indent)?;
                // A value on the key's line has no children.
                if let Some(next) = self.peek()
                    && next.indent > indent
                {
                    return None;
                }
                value
            };
            entries.push((key, value));
        }
        Some(Node {
            pos: pos?,
            kind: Kind::Map(entries),
        })
    }

    /// The value of a key with nothing after its `:`: a nested mapping or sequence
    /// on the next lines, or a blank value right after the key (`null_pos`).
    fn nested(&mut self, indent: usize, null_pos: Pos, depth: usize) -> Option<Node<'a>> {
        let blank = Node {
            pos: null_pos,
            kind: Kind::Scalar {
                text: Cow::Borrowed(""),
                style: Style::Plain,
                width: 0,
            },
        };
        let Some(next) = self.peek() else {
            return Some(blank);
        };
        let is_entry = is_seq_entry(next.content());
        if next.indent > indent {
            if is_entry {
                self.block_seq(next.indent, false, depth + 1)
            } else {
                self.block_map(next.indent, depth + 1)
            }
        } else if next.indent == indent && is_entry {
            self.block_seq(indent, true, depth + 1)
        } else {
            Some(blank)
        }
    }

    /// A block sequence whose `-` are at `indent`. `indentless`: at the same
    /// indentation as the key it belongs to.
    fn block_seq(&mut self, indent: usize, indentless: bool, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_BLOCK_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        let mut pos = None;
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let content = line.content();
            if !is_seq_entry(content) {
                if indentless {
                    break;
                }
                return None;
            }
            self.take();
            let dash = pos_in(&line, indent);
            let value_at =
                indent + 1 + (content[1..].len() - content[1..].trim_start_matches(' ').len());
            let rest = &line.raw[value_at..];
            let item = if rest.is_empty() {
                // `-` alone: a blank item, unless something nested follows.
                if self.peek().is_some_and(|n| n.indent > indent) {
                    return None;
                }
                Node {
                    pos: pos_in(&line, value_at),
                    kind: Kind::Scalar {
                        text: Cow::Borrowed(""),
                        style: Style::Plain,
                        width: 0,
                    },
                }
            } else {
                if rest.starts_with('#') || rest.starts_with('|') || rest.starts_with('>') {
                    return None;
                }
                let item = self.inline_value(&line, value_at, indent)?;
                if self.peek().is_some_and(|n| n.indent > indent) {
                    return None;
                }
                item
            };
            if pos.is_none() {
                pos = Some(if indentless { item.pos } else { dash });
            }
            items.push(item);
        }
        Some(Node {
            pos: pos?,
            kind: Kind::Seq(items),
        })
    }

    /// A value that starts on the key's (or the `-`'s) line at byte `at`; `indent` is
    /// the indentation of its key, for block scalars.
    fn inline_value(&mut self, line: &Line<'a>, at: usize, indent: usize) -> Option<Node<'a>> {
        let rest = &line.raw[at..];
        let first = rest.as_bytes()[0];
        let (node, end) = match first {
            b'"' => double_quoted(line, at)?,
            b'\'' => single_quoted(line, at)?,
            b'[' | b'{' => flow(line, at, 0)?,
            b'|' | b'>' => return self.block_scalar(line, at, indent),
            b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'?' | b':' | b',' | b']' | b'}' | b'#' => {
                return None;
            }
            b'-' if rest.len() == 1 || rest.as_bytes()[1] == b' ' => return None,
            _ => return plain_block(line, at),
        };
        if !trailing_ok(&line.raw[end..]) {
            return None;
        }
        Some(node)
    }

    /// A literal or folded block scalar whose header starts at byte `at`.
    fn block_scalar(&mut self, line: &Line<'a>, at: usize, indent: usize) -> Option<Node<'a>> {
        let header = &line.raw[at..];
        let folded = header.starts_with('>');
        let (chomp, header_len) = match header.as_bytes().get(1) {
            Some(b'-') => (Chomp::Strip, 2),
            Some(b'+') => (Chomp::Keep, 2),
            _ => (Chomp::Clip, 1),
        };
        let after = &header[header_len..];
        if !(after.is_empty() || (after.starts_with(' ') && trailing_ok(after))) {
            return None;
        }
        // The content: raw lines until one with content is less indented.
        let mut lines: Vec<Line<'a>> = Vec::new();
        let mut content_indent = None;
        let mut leading_blank_max = 0;
        loop {
            let save = (self.next, self.line_no);
            let Some(raw) = self.raw_line() else { break };
            let blank = raw.indent == raw.raw.len();
            match content_indent {
                None if blank => {
                    leading_blank_max = leading_blank_max.max(raw.raw.len());
                    lines.push(raw);
                }
                None => {
                    if raw.indent <= indent {
                        return None;
                    }
                    if leading_blank_max > raw.indent {
                        return None;
                    }
                    content_indent = Some(raw.indent);
                    lines.push(raw);
                }
                Some(ci) if blank => {
                    if raw.raw.len() > ci {
                        return None;
                    }
                    lines.push(raw);
                }
                Some(ci) if raw.indent >= ci => {
                    if folded && raw.indent > ci {
                        return None;
                    }
                    lines.push(raw);
                }
                Some(_) => {
                    (self.next, self.line_no) = save;
                    break;
                }
            }
        }
        let ci = content_indent?;
        // A block scalar that ends the file without a line end: leave it to the parser.
        let last_content = lines.iter().rposition(|l| l.indent != l.raw.len())?;
        if lines.last()?.next == self.text.len() && !self.text.ends_with('\n') {
            return None;
        }
        let first_content = lines.iter().position(|l| l.indent != l.raw.len())?;
        let pos = pos_in(&lines[first_content], ci);
        // Trailing blank lines (kept only with `+`).
        let trailing = lines.len() - 1 - last_content;
        let body = &lines[..=last_content];
        let mut text = String::new();
        if folded {
            let mut pending_breaks = 0usize;
            let mut started = false;
            for l in body {
                if l.indent == l.raw.len() {
                    pending_breaks += 1;
                    continue;
                }
                if started {
                    if pending_breaks == 0 {
                        text.push(' ');
                    } else {
                        text.extend(std::iter::repeat_n('\n', pending_breaks));
                    }
                } else {
                    text.extend(std::iter::repeat_n('\n', pending_breaks));
                }
                pending_breaks = 0;
                started = true;
                text.push_str(&l.raw[ci..]);
            }
        } else {
            for l in body {
                if l.raw.len() > ci {
                    text.push_str(&l.raw[ci..]);
                }
                text.push('\n');
            }
            text.pop();
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => text.push('\n'),
            Chomp::Keep => {
                text.push('\n');
                text.extend(std::iter::repeat_n('\n', trailing));
            }
        }
        // Lines after the block that are more indented than the key are errors.
        if self.peek().is_some_and(|n| n.indent > indent) {
            return None;
        }
        Some(Node {
            pos,
            kind: Kind::Scalar {
                text: Cow::Owned(text),
                style: if folded {
                    Style::Folded
                } else {
                    Style::Literal
                },
                width: 0,
            },
        })
    }
}

#[derive(Clone, Copy)]
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// Whether the line is a block sequence entry (`- x` or `-`).
fn is_seq_entry(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The length of a plain key followed by `:` and a space or the line end; `None`
/// for anything else (quoted or unusual keys go to the general parser).
fn key_length(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let first = *bytes.first()?;
    if !(first.is_ascii_alphanumeric() || first == b'_') {
        return None;
    }
    let len = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))?;
    if bytes[len] != b':' {
        return None;
    }
    match bytes.get(len + 1) {
        None | Some(b' ') => Some(len),
        _ => None,
    }
}

/// What may follow a value on its line: spaces, then nothing or a ` #` comment.
fn trailing_ok(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// A plain scalar in block context from byte `at` to the line end or ` #`.
fn plain_block<'a>(line: &Line<'a>, at: usize) -> Option<Node<'a>> {
    let rest = &line.raw[at..];
    let bytes = rest.as_bytes();
    // The scalar ends at ` #` or the line end; `: ` inside it would be a mapping.
    let mut end = rest.len();
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b'#', b':', &bytes[from..]) {
        let i = from + i;
        if bytes[i] == b'#' {
            if i > 0 && bytes[i - 1] == b' ' {
                end = i;
                break;
            }
        } else if matches!(bytes.get(i + 1), None | Some(b' ')) {
            return None;
        }
        from = i + 1;
    }
    let text = rest[..end].trim_end_matches(' ');
    if text.ends_with(':') {
        return None;
    }
    if text.starts_with("---") || text.starts_with("...") {
        return None;
    }
    Some(Node {
        pos: pos_in(line, at),
        kind: Kind::Scalar {
            text: Cow::Borrowed(text),
            style: Style::Plain,
            width: chars(text),
        },
    })
}

/// A double-quoted scalar on one line: (node, byte after the closing quote).
fn double_quoted<'a>(line: &Line<'a>, at: usize) -> Option<(Node<'a>, usize)> {
    let raw = line.raw;
    let body_start = at + 1;
    let bytes = raw.as_bytes();
    let mut i = body_start;
    let mut owned: Option<String> = None;
    let mut run_start = body_start;
    loop {
        let offset = memchr::memchr2(b'"', b'\\', &bytes[i..])?;
        let j = i + offset;
        if bytes[j] == b'"' {
            return Some(closed_quote(line, at, owned, run_start..j, Style::Double));
        }
        // An escape.
        let s = owned.get_or_insert_with(String::new);
        s.push_str(&raw[run_start..j]);
        let code = *bytes.get(j + 1)?;
        let mut next = j + 2;
        let c = match code {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let digits = match code {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = raw.get(next..next + digits)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                next += digits;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        s.push(c);
        i = next;
        run_start = next;
    }
}

/// A single-quoted scalar on one line: (node, byte after the closing quote).
fn single_quoted<'a>(line: &Line<'a>, at: usize) -> Option<(Node<'a>, usize)> {
    let raw = line.raw;
    let bytes = raw.as_bytes();
    let body_start = at + 1;
    let mut i = body_start;
    let mut owned: Option<String> = None;
    loop {
        let j = i + memchr::memchr(b'\'', &bytes[i..])?;
        if bytes.get(j + 1) == Some(&b'\'') {
            let s = owned.get_or_insert_with(String::new);
            s.push_str(&raw[i..=j]);
            i = j + 2;
            continue;
        }
        return Some(closed_quote(line, at, owned, i..j, Style::Single));
    }
}

/// A quoted scalar opened at byte `at` whose closing quote is at `rest.end`: the
/// text unescaped so far (`owned`, `None` while the body needs no unescaping) and
/// the raw run `rest` before the quote; (node, byte after the closing quote).
fn closed_quote<'a>(
    line: &Line<'a>,
    at: usize,
    owned: Option<String>,
    rest: std::ops::Range<usize>,
    style: Style,
) -> (Node<'a>, usize) {
    let raw = line.raw;
    let end = rest.end + 1;
    let text = match owned {
        None => Cow::Borrowed(&raw[at + 1..rest.end]),
        Some(mut s) => {
            s.push_str(&raw[rest]);
            Cow::Owned(s)
        }
    };
    let node = Node {
        pos: pos_in(line, at),
        kind: Kind::Scalar {
            text,
            style,
            width: chars(&raw[at..end]),
        },
    };
    (node, end)
}

fn skip_spaces(raw: &str, mut at: usize) -> usize {
    let bytes = raw.as_bytes();
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// A flow collection on one line starting at byte `at` (`[` or `{`).
fn flow<'a>(line: &Line<'a>, at: usize, depth: usize) -> Option<(Node<'a>, usize)> {
    if depth >= MAX_FLOW_DEPTH {
        return None;
    }
    let raw = line.raw;
    let bytes = raw.as_bytes();
    let is_map = bytes[at] == b'{';
    let close = if is_map { b'}' } else { b']' };
    let pos = pos_in(line, at);
    let mut i = skip_spaces(raw, at + 1);
    let mut items = Vec::new();
    let mut entries = Vec::new();
    if bytes.get(i) == Some(&close) {
        let kind = if is_map {
            Kind::Map(entries)
        } else {
            Kind::Seq(items)
        };
        return Some((Node { pos, kind }, i + 1));
    }
    loop {
        if is_map {
            let (key, end) = flow_plain(line, i, true)?;
            // `key: value`
            if bytes.get(end) != Some(&b':') || bytes.get(end + 1) != Some(&b' ') {
                return None;
            }
            let value_at = skip_spaces(raw, end + 1);
            let (value, end) = flow_node(line, value_at, depth)?;
            entries.push((key, value));
            i = end;
        } else {
            let (item, end) = flow_node(line, i, depth)?;
            items.push(item);
            i = end;
        }
        i = skip_spaces(raw, i);
        match bytes.get(i) {
            Some(b',') => {
                i = skip_spaces(raw, i + 1);
                // No empty entries or trailing commas.
                if matches!(bytes.get(i), Some(b',' | b']' | b'}') | None) {
                    return None;
                }
            }
            Some(&b) if b == close => {
                let kind = if is_map {
                    Kind::Map(entries)
                } else {
                    Kind::Seq(items)
                };
                return Some((Node { pos, kind }, i + 1));
            }
            _ => return None,
        }
    }
}

/// A node inside a flow collection: quoted, plain or a nested collection.
fn flow_node<'a>(line: &Line<'a>, at: usize, depth: usize) -> Option<(Node<'a>, usize)> {
    let (node, end) = match line.raw.as_bytes().get(at)? {
        b'"' => double_quoted(line, at)?,
        b'\'' => single_quoted(line, at)?,
        b'[' | b'{' => flow(line, at, depth + 1)?,
        _ => flow_plain(line, at, false)?,
    };
    // A quoted item followed by `:` would be a one-pair mapping.
    let after = skip_spaces(line.raw, end);
    if line.raw.as_bytes().get(after) == Some(&b':') {
        return None;
    }
    Some((node, end))
}

/// A plain scalar inside a flow collection, up to `,`, `]`, `}` or `:`; `key`: it
/// is a mapping key (the `:` must follow).
fn flow_plain<'a>(line: &Line<'a>, at: usize, key: bool) -> Option<(Node<'a>, usize)> {
    let raw = line.raw;
    let bytes = raw.as_bytes();
    let first = *bytes.get(at)?;
    if matches!(
        first,
        b'&' | b'*'
            | b'!'
            | b'%'
            | b'@'
            | b'`'
            | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'"'
            | b'\''
            | b'|'
            | b'>'
    ) || (first == b'-' && matches!(bytes.get(at + 1), None | Some(b' ')))
    {
        return None;
    }
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b',' | b']' | b'}' => break,
            b':' => {
                if key {
                    break;
                }
                return None;
            }
            b'[' | b'{' => return None,
            b'#' if bytes[i - 1] == b' ' => return None,
            _ => i += 1,
        }
    }
    if i >= bytes.len() {
        return None;
    }
    let text = raw[at..i].trim_end_matches(' ');
    if text.is_empty() {
        return None;
    }
    let end = at + text.len();
    Some((
        Node {
            pos: pos_in(line, at),
            kind: Kind::Scalar {
                text: Cow::Borrowed(text),
                style: Style::Plain,
                width: chars(text),
            },
        },
        end,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let general = super::super::tree::parse(text)
            .expect("parses")
            .expect("content");
        let fast = read(text).unwrap_or_else(|| panic!("the fast reader gave up on {text:?}"));
        assert_eq!(fast, general, "{text:?}");
    }

    #[test]
    fn reads_the_questionnaire_shape_like_the_general_parser() {
        same(
            "model: cicmm@1.0.0\ncountry:  # c\n# x\nanswers:\n  A-1: fully   # x\n  A-2:\n  A-3:\n    response: \"na\"\n    note: |\n      line one\n      two\n    evidence: [a, \"b c\"]\n  A-4: {response: x, note: 'it''s'}\n",
        );
        same("a:\r\n  - x\r\n  - 'y'\r\nb:\r\n- z\r\n");
        same("a: >-\n  folded\n  text\n\n  more\nb: \"\\u00e9\\t\\x41\"\n");
        same("a: Société – Nord\nb: [é, x]\n");
        same("a: |+\n  x\n\n\nb: 1\n");
    }

    /// Every shipped example is in the shape: the fast reader reads it, exactly as the
    /// general parser does.
    #[test]
    fn reads_every_example() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/questionnaires/examples");
        let mut read = 0;
        for entry in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_some_and(|e| e == "yaml") {
                let bytes = std::fs::read(entry.path()).expect("readable");
                let text = super::super::yaml::text_of("example", bytes).expect("text");
                same(&text);
                read += 1;
            }
        }
        assert!(read >= 20, "{read} examples");
    }

    #[test]
    fn gives_up_outside_the_shape() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "---\na: 1\n",
            "a:\n\tb: 1\n",
            "a: x\n  y\n",
            "a: \"x\n  y\"\n",
            "\"a\": 1\n",
            "a: b: c\n",
            "a: [x,\n  y]\n",
        ] {
            assert!(read(text).is_none(), "{text:?}");
        }
    }
}
