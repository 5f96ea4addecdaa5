//! The positioned YAML tree every capgap file is read into, and the general parser
//! that builds it from granit-parser's events. A scalar keeps its text (after escape
//! processing), its style and its position (1-based line, 1-based column in
//! characters, width on its line); sequences and mappings keep their entries in file
//! order with the position of every key. Nothing is typed here: validation
//! (`check.rs` and the loaders) decides what a scalar means, once, with YAML 1.2 core
//! rules. The parser enforces budgets (depth, nodes, aliases, scalar bytes) so alias
//! bombs and deep nesting fail fast, and turns every syntax error into one message
//! in an assessor's words with a line of help. No IO.

use std::borrow::Cow;

use granit_parser::{ErrorKind, Event, Options, Parser, ScalarStyle, Span};

/// A position in a file: 1-based line, 1-based column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// Where the node starts: the first character of a scalar (its opening quote, or
    /// for a block scalar the first character of its content), the `[` or `{` of a
    /// flow collection, the first key or entry of a block collection. A blank value
    /// (`key:`) sits right after its key.
    pub pos: Pos,
    pub kind: Kind<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind<'a> {
    Scalar {
        text: Cow<'a, str>,
        style: Style,
        /// Characters from `pos` to the end of the scalar when it ends on the same
        /// line (quotes included), else 0.
        width: u32,
    },
    Seq(Vec<Node<'a>>),
    /// Entries in file order, duplicates included (validation reports them).
    Map(Vec<(Node<'a>, Node<'a>)>),
}

/// What a scalar means under the YAML 1.2 core schema (quoted and block scalars are
/// always strings; `yes`, `no`, `on` and `off` stay strings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved<'t> {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(&'t str),
}

impl<'a> Node<'a> {
    /// The scalar's text and style, if it is a scalar.
    pub fn scalar(&self) -> Option<(&str, Style)> {
        match &self.kind {
            Kind::Scalar { text, style, .. } => Some((text, *style)),
            _ => None,
        }
    }

    /// Underline width for diagnostics (at least 1).
    pub fn width(&self) -> usize {
        match &self.kind {
            Kind::Scalar { width, .. } => (*width as usize).max(1),
            _ => 1,
        }
    }

    /// The scalar's YAML 1.2 core meaning; `None` for a collection.
    pub fn resolve(&self) -> Option<Resolved<'_>> {
        let (text, style) = self.scalar()?;
        Some(if style == Style::Plain {
            resolve_plain(text)
        } else {
            Resolved::Str(text)
        })
    }

    /// Whether the node is a null (blank, `~` or `null`).
    pub fn is_null(&self) -> bool {
        matches!(self.resolve(), Some(Resolved::Null))
    }

    /// The entries of a mapping.
    pub fn entries(&self) -> Option<&[(Node<'a>, Node<'a>)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// How many nodes the subtree holds (itself included).
    fn size(&self) -> usize {
        match &self.kind {
            Kind::Scalar { .. } => 1,
            Kind::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Kind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.size() + v.size())
                    .sum::<usize>()
            }
        }
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
pub fn resolve_plain(text: &str) -> Resolved<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let bytes = text.as_bytes();
    let first = bytes[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Resolved::Str(text);
    }
    if let Some(octal) = text.strip_prefix("0o") {
        if !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            return i128::from_str_radix(octal, 8).map_or(Resolved::Str(text), Resolved::Int);
        }
        return Resolved::Str(text);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return i128::from_str_radix(hex, 16).map_or(Resolved::Str(text), Resolved::Int);
        }
        return Resolved::Str(text);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i128>()
            .map_or_else(|_| float_or_str(text), Resolved::Int);
    }
    if is_core_float(digits) {
        return float_or_str(text);
    }
    Resolved::Str(text)
}

fn float_or_str(text: &str) -> Resolved<'_> {
    text.parse::<f64>()
        .map_or(Resolved::Str(text), Resolved::Float)
}

/// `( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?` without the sign.
fn is_core_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

/// A YAML syntax problem: it stops the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    pub help: String,
}

/// Budgets against hostile input, well above any real questionnaire or model.
pub const MAX_DEPTH: usize = 32;
pub const MAX_NODES: usize = 200_000;
pub const MAX_ALIASES: usize = 1_000;
pub const MAX_SCALAR_BYTES: usize = 16 * 1024 * 1024;

/// Parses one YAML document into a tree. `Ok(None)` for a document with no content.
pub fn parse(text: &str) -> Result<Option<Node<'_>>, SyntaxError> {
    let mut options = Options::default();
    options.emit_comments = false;
    options.flow_nesting_limit = MAX_DEPTH;
    options.block_nesting_limit = MAX_DEPTH;
    let parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        anchors: Vec::new(),
        root: None,
        nodes: 0,
        aliases: 0,
        scalar_bytes: 0,
        documents: 0,
    };
    for event in parser {
        match event {
            Ok((event, span)) => builder.event(event, span)?,
            Err(err) => {
                let marker = err.marker();
                return Err(scan_error(
                    text,
                    err.kind(),
                    to_pos(marker.line(), marker.col()),
                ));
            }
        }
    }
    Ok(builder.root)
}

fn to_pos(line: usize, col: usize) -> Pos {
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(col + 1).unwrap_or(u32::MAX),
    }
}

enum Frame<'a> {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node<'a>>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<(Node<'a>, Node<'a>)>,
        key: Option<Node<'a>>,
    },
}

struct Builder<'a, 't> {
    text: &'t str,
    stack: Vec<Frame<'a>>,
    anchors: Vec<(usize, Node<'a>, usize)>,
    root: Option<Node<'a>>,
    nodes: usize,
    aliases: usize,
    scalar_bytes: usize,
    documents: usize,
}

fn budget(pos: Pos, what: &str) -> SyntaxError {
    SyntaxError {
        pos,
        message: format!("the file {what}"),
        help: "no questionnaire or model looks like this; was the file generated by mistake?"
            .into(),
    }
}

impl<'a> Builder<'a, '_> {
    fn event(&mut self, event: Event<'a>, span: Span) -> Result<(), SyntaxError> {
        let pos = to_pos(span.start.line(), span.start.col());
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    let after_end_marker = !self
                        .text
                        .lines()
                        .nth(pos.line.saturating_sub(1) as usize)
                        .is_some_and(|l| l.starts_with("---"));
                    let help = if after_end_marker {
                        "a capgap file holds one document; remove the `...` line above this one"
                    } else {
                        "a capgap file holds one document; remove the `---` line or split the file"
                    };
                    return Err(SyntaxError {
                        pos,
                        message: "a second YAML document starts here".into(),
                        help: help.into(),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if tag.is_some() {
                    return Err(tag_error(span, pos));
                }
                self.scalar_bytes += text.len();
                if self.scalar_bytes > MAX_SCALAR_BYTES {
                    return Err(budget(pos, "holds too much text"));
                }
                let width = if span.end.line() == span.start.line() {
                    u32::try_from(span.end.col() - span.start.col()).unwrap_or(0)
                } else {
                    0
                };
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::Single,
                    ScalarStyle::DoubleQuoted => Style::Double,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                // granit writes an empty plain scalar as `~`; keep what the file says.
                let text = if style == Style::Plain && span.start == span.end {
                    Cow::Borrowed("")
                } else {
                    text
                };
                let node = Node {
                    pos,
                    kind: Kind::Scalar { text, style, width },
                };
                self.finish(node, anchor, 1)?;
            }
            Event::SequenceStart(_, anchor, tag) => {
                if tag.is_some() {
                    return Err(tag_error(span, pos));
                }
                self.open(pos)?;
                self.stack.push(Frame::Seq {
                    pos,
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(_, anchor, tag) => {
                if tag.is_some() {
                    return Err(tag_error(span, pos));
                }
                self.open(pos)?;
                self.stack.push(Frame::Map {
                    pos,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Frame::Seq { pos, anchor, items }) => (
                        Node {
                            pos,
                            kind: Kind::Seq(items),
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        pos,
                        anchor,
                        entries,
                        ..
                    }) => (
                        Node {
                            pos,
                            kind: Kind::Map(entries),
                        },
                        anchor,
                    ),
                    None => return Ok(()),
                };
                self.finish(node.0, node.1, 0)?;
            }
            Event::Alias(id) => {
                self.aliases += 1;
                if self.aliases > MAX_ALIASES {
                    return Err(budget(pos, "uses too many aliases (`*name`)"));
                }
                let Some((_, node, size)) = self.anchors.iter().rev().find(|(a, _, _)| *a == id)
                else {
                    return Err(SyntaxError {
                        pos,
                        message: "this alias names no anchor".into(),
                        help: "define the anchor (`&name`) before using it, or write the value out"
                            .into(),
                    });
                };
                let (mut node, size) = (node.clone(), *size);
                node.pos = pos;
                self.finish(node, 0, size)?;
            }
            Event::UnresolvedAlias(_) => {
                return Err(SyntaxError {
                    pos,
                    message: "this alias names no anchor".into(),
                    help: "define the anchor (`&name`) before using it, or write the value out"
                        .into(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, pos: Pos) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(budget(pos, "nests too deeply"));
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(budget(pos, "has too many entries"));
        }
        Ok(())
    }

    /// Adds a finished node to its parent; `added` is how many nodes it brings that
    /// were not counted yet.
    fn finish(&mut self, node: Node<'a>, anchor: usize, added: usize) -> Result<(), SyntaxError> {
        self.nodes += added;
        if self.nodes > MAX_NODES {
            return Err(budget(node.pos, "has too many entries (aliases included)"));
        }
        if anchor != 0 {
            let size = node.size();
            self.anchors.push((anchor, node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }
}

fn tag_error(span: Span, pos: Pos) -> SyntaxError {
    let pos = span.tag_start().map_or(pos, |m| to_pos(m.line(), m.col()));
    SyntaxError {
        pos,
        message: "YAML tags (such as `!!str`) are not used in capgap files".into(),
        help: "remove the tag; quote the value if it must stay text, e.g. \"1.0\"".into(),
    }
}

/// A syntax error in an assessor's words, with what to do.
fn scan_error(text: &str, kind: &ErrorKind, mut pos: Pos) -> SyntaxError {
    let is_tab = matches!(
        kind,
        ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabNotAllowed
            | ErrorKind::TabAtBlockScalarStart
            | ErrorKind::TabInPlainScalar
    );
    if is_tab {
        // The parser may stop at the token before the tab: point at the tab itself.
        if let Some((index, line)) = text
            .lines()
            .enumerate()
            .skip(pos.line.saturating_sub(1) as usize)
            .find(|(_, l)| l.contains('\t'))
        {
            let col = line[..line.find('\t').unwrap_or(0)].chars().count() + 1;
            pos = Pos {
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
                col: u32::try_from(col).unwrap_or(u32::MAX),
            };
        }
    }
    let line_text = text
        .lines()
        .nth(pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let previous_indent = text
        .lines()
        .take(pos.line.saturating_sub(1) as usize)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .last()
        .map(indent);
    let (message, help): (String, &str) = match kind {
        ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabAtBlockScalarStart
        | ErrorKind::TabInPlainScalar => (
            "a tab is used where YAML needs spaces".into(),
            "YAML indents with spaces, not tabs; replace the tab with spaces",
        ),
        ErrorKind::MappingValueNotAllowed
            if previous_indent.is_some_and(|p| indent(line_text) > p)
                && line_text.trim_start().contains(':') =>
        {
            pos.col = u32::try_from(indent(line_text) + 1).unwrap_or(u32::MAX);
            (
                "this key is indented further than the key above it".into(),
                "keys of one mapping start in the same column; remove the extra spaces (or give the key above no value of its own)",
            )
        }
        ErrorKind::MappingValueNotAllowed => (
            "a value cannot contain `: ` unless it is quoted".into(),
            "put the value in double quotes, e.g. note: \"Phase 1: done\"",
        ),
        ErrorKind::InvalidIndentation
        | ErrorKind::ExpectedBlockMappingKey
        | ErrorKind::ExpectedBlockSequenceEntry
        | ErrorKind::InvalidBlockScalarIndent
        | ErrorKind::InvalidQuotedScalarIndent
        | ErrorKind::InvalidFlowScalarIndent => (
            "this line is not indented like the lines around it".into(),
            "keys of one mapping start in the same column, and a value on its own line is indented under its key",
        ),
        ErrorKind::UnclosedQuotedScalar => (
            "a quoted value is not closed".into(),
            "end the value with the same quote it starts with; inside double quotes write \\\" for a quote",
        ),
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidUnicodeEscape
        | ErrorKind::InvalidLowSurrogateHexEscape
        | ErrorKind::InvalidLowSurrogate
        | ErrorKind::MissingLowSurrogate
        | ErrorKind::UnpairedLowSurrogate => (
            "unknown escape after a backslash in double quotes".into(),
            "write \\\\ for a backslash, or use single quotes, where a backslash is an ordinary character",
        ),
        ErrorKind::UnclosedFlowCollection { open } => (
            format!("a `{open}` is not closed"),
            "close the list with `]` or the mapping with `}`",
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => (
            format!("a `{open}` is closed by `{close}`"),
            "close a list with `]` and a mapping with `}`",
        ),
        ErrorKind::MisplacedFlowCollectionEnd => (
            "a closing bracket with no opening one".into(),
            "remove it, or quote the value if the bracket is part of the text",
        ),
        ErrorKind::RecursionLimitExceeded => (
            "the file nests too deeply".into(),
            "no questionnaire or model looks like this; was the file generated by mistake?",
        ),
        ErrorKind::UnexpectedCharacter { character } => (
            format!("`{}` cannot start a value here", character.escape_default()),
            "quote the value, e.g. note: \"@ control room\"",
        ),
        ErrorKind::CommentNotSeparated => (
            "a `#` comment must follow a space".into(),
            "put a space before `#`, or quote the value if `#` is part of it",
        ),
        ErrorKind::BlockSequenceEntryNotAllowed | ErrorKind::BlockEntryInFlowCollection => (
            "a list entry (`- `) cannot go here".into(),
            "put `- ` items on their own lines under the key, or write the list as [a, b]",
        ),
        ErrorKind::UnknownAnchor => (
            "this alias names no anchor".into(),
            "define the anchor (`&name`) before using it, or write the value out",
        ),
        ErrorKind::UnexpectedEof
        | ErrorKind::UnexpectedEofBlockMapping
        | ErrorKind::UnexpectedEofBlockSequence
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofImplicitFlowMapping => (
            "the file ends in the middle of a value".into(),
            "close the open quote or bracket",
        ),
        ErrorKind::InvalidSimpleKey | ErrorKind::SimpleKeyExpected => (
            "a key must fit on one line and end with `:`".into(),
            "write `key: value` on one line; quote a value that holds `: `",
        ),
        ErrorKind::ExpectedDocumentStart => (
            "this line is outside the YAML document".into(),
            "remove the `...` or `%` line above it; a value that starts with `%` must be quoted",
        ),
        ErrorKind::MissingDocumentEndBeforeDirective
        | ErrorKind::DuplicateVersionDirective
        | ErrorKind::UnsupportedYamlMajorVersion
        | ErrorKind::DuplicateTagDirective
        | ErrorKind::DirectiveDisallowed
        | ErrorKind::MissingYamlVersionSeparator
        | ErrorKind::MissingDirectiveName
        | ErrorKind::InvalidDirectiveName
        | ErrorKind::DirectiveByteLimitExceeded { .. }
        | ErrorKind::TooManyReservedDirectiveParams { .. }
        | ErrorKind::YamlVersionTooLong
        | ErrorKind::MissingYamlVersion
        | ErrorKind::InvalidDirectiveTerminator
        | ErrorKind::InvalidTagDirectiveTerminator
        | ErrorKind::ExpectedTagDirectiveBang => (
            "a line that starts with `%` is a YAML directive, which capgap files do not use".into(),
            "remove the line, or indent it under its key and quote it if it is part of a value, e.g. note: \"%50 done\"",
        ),
        ErrorKind::InvalidDocumentEnd => (
            "nothing may follow `...` on its line".into(),
            "remove the `...` (a capgap file needs no end marker), or quote the value if the dots are part of it",
        ),
        ErrorKind::ExpectedNodeContent => (
            "a value is missing or starts with a character YAML reserves".into(),
            "write a value after the key, and quote a value that starts with `&`, `*`, `!`, `|`, `>`, `%` or `@`",
        ),
        ErrorKind::ExpectedFlowMappingSeparator => (
            "a `{ }` mapping needs `,` between entries and `}` at its end".into(),
            "write it as {a: 1, b: 2}, or quote a value that holds a comma or a brace",
        ),
        ErrorKind::ExpectedFlowSequenceSeparator => (
            "a `[ ]` list needs `,` between items and `]` at its end".into(),
            "write it as [a, b], or quote an item that holds a comma or a bracket",
        ),
        ErrorKind::UndeclaredTagHandle
        | ErrorKind::ExpectedTagBang
        | ErrorKind::InvalidGlobalTagCharacter
        | ErrorKind::InvalidTagTerminator
        | ErrorKind::MissingTagUri
        | ErrorKind::UnclosedVerbatimTag
        | ErrorKind::InvalidTagEscape
        | ErrorKind::InvalidTagUtf8LeadingByte
        | ErrorKind::InvalidTagUtf8TrailingByte
        | ErrorKind::InvalidTagUtf8 => (
            "YAML tags (such as `!!str`) are not used in capgap files".into(),
            "remove the tag; quote the value if `!` is part of the text, e.g. note: \"!urgent\"",
        ),
        ErrorKind::BomInsideDocument => (
            "an invisible byte-order mark is inside the file".into(),
            "delete the invisible character U+FEFF at this position (it often comes from pasting two files together)",
        ),
        ErrorKind::CommentInterceptedScalar => (
            "a `#` comment interrupts a value that goes on over several lines".into(),
            "move the comment above the key, or put the value in quotes or after `|`",
        ),
        ErrorKind::ExpectedWhitespace => (
            "a space is missing after `?`, `-` or `:` here".into(),
            "put a space after the indicator, or quote the value if the character is part of it",
        ),
        ErrorKind::MissingAnchorOrAliasName => (
            "`&` or `*` cannot start a value unless it is quoted".into(),
            "quote the value, e.g. note: \"* pending\"",
        ),
        ErrorKind::InvalidBlockEntryWhitespace => (
            "a list entry's `-` must be followed by a space".into(),
            "write `- item` with a space after the dash; YAML indents with spaces, not tabs",
        ),
        ErrorKind::ZeroBlockScalarIndent => (
            "the indentation number after `|` or `>` cannot be 0".into(),
            "write `|` or `>` alone and indent the text under the key",
        ),
        ErrorKind::InvalidBlockScalarHeader => (
            "only a comment may follow `|` or `>` on its line".into(),
            "start the text on the next line, indented under the key; quote a one-line value that starts with `|` or `>`",
        ),
        ErrorKind::DocumentIndicatorInQuotedScalar => (
            "a line inside a quoted value starts with `---` or `...`".into(),
            "indent the lines of a quoted value under its key, or use a `|` block for long text",
        ),
        ErrorKind::InvalidTrailingSingleQuotedScalar => (
            "text follows the closing quote of this value".into(),
            "put the whole value inside the quotes (inside single quotes write '' for a quote); a `#` comment needs a space before it",
        ),
        ErrorKind::InvalidTrailingDoubleQuotedScalar => (
            "text follows the closing quote of this value".into(),
            "put the whole value inside the quotes (inside double quotes write \\\" for a quote); a `#` comment needs a space before it",
        ),
        ErrorKind::PlainScalarStartsWithDashFlowIndicator => (
            "a value cannot start with `-` followed by a bracket or a comma".into(),
            "quote the value, e.g. note: \"-[draft]\"",
        ),
        ErrorKind::MappingKeyNotAllowed => (
            "a `?` cannot start a key here".into(),
            "remove the `?`, or put the whole value in quotes if the `?` is part of it",
        ),
        ErrorKind::FlowMappingValueAdjacentCollection => (
            "inside `{ }`, a `:` cannot be followed directly by `[` or `{`".into(),
            "put a space after the colon, e.g. {a: [1, 2]}",
        ),
        ErrorKind::InvalidMappingValueWhitespace => (
            "a key's `:` must be followed by a space".into(),
            "write `key: value` with a space after the colon; YAML indents with spaces, not tabs",
        ),
        ErrorKind::InvalidColonPlacement => (
            "a `:` is misplaced inside brackets".into(),
            "quote items that hold a colon, e.g. [\"10:30\", b]",
        ),
        ErrorKind::AnchorCountOverflow => (
            "the file defines too many anchors (`&name`)".into(),
            "no questionnaire or model looks like this; was the file generated by mistake?",
        ),
        ErrorKind::InputDecoding { .. } | ErrorKind::InputIo { .. } => (
            "this part of the file is not UTF-8 text".into(),
            "save the file again as UTF-8 text",
        ),
        ErrorKind::InputByteLimitExceeded { .. } => (
            "the file is too large".into(),
            "no questionnaire or model looks like this; was the file generated by mistake?",
        ),
        // Kinds a string input cannot produce (parser stacks, adapters) and kinds a
        // later granit-parser adds: no library wording reaches the user.
        _ => (
            "this line is not valid YAML".into(),
            "check the quotes, colons and indentation on this line and the one above",
        ),
    };
    SyntaxError {
        pos,
        message,
        help: help.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Node<'_> {
        parse(text).expect("parses").expect("has content")
    }

    #[test]
    fn keeps_positions_styles_and_blank_values() {
        let tree = root("a: 1\nb:\nc: 'x'\n");
        let entries = tree.entries().unwrap();
        assert_eq!(entries[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(entries[0].1.pos, Pos { line: 1, col: 4 });
        assert_eq!(entries[1].1.scalar(), Some(("", Style::Plain)));
        assert!(entries[1].1.is_null());
        assert_eq!(entries[2].1.scalar(), Some(("x", Style::Single)));
        assert_eq!(entries[2].1.width(), 3);
    }

    #[test]
    fn resolves_yaml_1_2_core_scalars() {
        assert_eq!(resolve_plain("yes"), Resolved::Str("yes"));
        assert_eq!(resolve_plain("~"), Resolved::Null);
        assert_eq!(resolve_plain("1"), Resolved::Int(1));
        assert_eq!(resolve_plain("1e308"), Resolved::Float(1e308));
        assert_eq!(resolve_plain("2026-09-14"), Resolved::Str("2026-09-14"));
        assert_eq!(resolve_plain("1.0.0"), Resolved::Str("1.0.0"));
        assert_eq!(resolve_plain("-"), Resolved::Str("-"));
        assert_eq!(resolve_plain("0x1F"), Resolved::Int(31));
        assert_eq!(resolve_plain(".5"), Resolved::Float(0.5));
    }

    #[test]
    fn alias_bombs_and_deep_nesting_fail_fast() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let start = std::time::Instant::now();
        let err = parse(&bomb).unwrap_err();
        assert!(err.message.contains("too many"), "{err:?}");
        assert!(start.elapsed().as_secs_f64() < 1.0);
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nests too deeply"), "{err:?}");
    }

    #[test]
    fn syntax_errors_say_what_to_do() {
        let err = parse("a:\n\tb: 1\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
        assert!(err.help.contains("spaces, not tabs"), "{err:?}");
        let err = parse("a: 1\n  b: 2\n").unwrap_err();
        assert_eq!(err.pos.line, 2);
        assert_eq!(
            err.message,
            "this key is indented further than the key above it"
        );
        let err = parse("a: x\nb: c: d\n").unwrap_err();
        assert!(err.message.contains("quoted"), "{err:?}");
        let err = parse("---\na: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.pos.line, 3);
        let err = parse("a: !!str 1\n").unwrap_err();
        assert!(err.message.contains("tags"), "{err:?}");
    }

    /// Every syntax error a fuzzer found quoting the parser, in an assessor's words at
    /// the offending line.
    #[test]
    fn syntax_errors_never_quote_the_parser() {
        let cases: [(&str, (u32, u32), &str); 11] = [
            (
                "note: phase one # done\n  phase two\n",
                (1, 17),
                "comment interrupts",
            ),
            ("a: [x] ? y\n", (1, 8), "a `?` cannot start a key"),
            ("%YAML 1.2\na: 1\n", (2, 1), "outside the YAML document"),
            ("a: 1\n%YAML 1.2\n---\nb: 1\n", (2, 1), "YAML directive"),
            ("a: |x\n  b\n", (1, 4), "only a comment may follow `|`"),
            ("a: \"x\"y\n", (1, 7), "text follows the closing quote"),
            ("a: 'x'y\n", (1, 7), "text follows the closing quote"),
            ("{a: b c: d}\n", (1, 8), "needs `,` between entries"),
            ("a: 1\n\u{feff}b: 2\n", (2, 1), "byte-order mark"),
            ("... x\n", (1, 5), "nothing may follow `...`"),
            ("a: \"b\n---\nc\"\n", (1, 4), "starts with `---` or `...`"),
        ];
        for (text, (line, col), words) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(
                (err.pos.line, err.pos.col),
                (line, col),
                "{text:?}: {err:?}"
            );
            assert!(err.message.contains(words), "{text:?}: {err:?}");
            assert!(!err.message.contains('('), "{text:?}: {err:?}");
            assert!(!err.help.is_empty() && !err.help.contains('\n'), "{err:?}");
        }
        let err = parse("a: 1\n...\nb: 2\n").unwrap_err();
        assert!(err.help.contains("remove the `...` line"), "{err:?}");
    }

    #[test]
    fn the_fallback_quotes_no_library_text() {
        let err = scan_error(
            "a: 1\n",
            &ErrorKind::UnexpectedEndOfPlainScalar,
            Pos { line: 1, col: 4 },
        );
        assert_eq!(err.message, "this line is not valid YAML");
        assert_eq!(err.pos, Pos { line: 1, col: 4 });
        assert!(err.help.contains("quotes, colons and indentation"));
    }
}
