//! Diagnostics: one problem in one input file, with its position, a message, an
//! optional label and one line of help, rendered rustc-style with a source snippet
//! (annotate-snippets) or as a single `path:line:col: severity: message` line. A
//! problem in a workbook has a cell instead (`path:Answers!F17`), and its snippet
//! is the cell's content on a line numbered by the cell's row.

use std::fmt;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: u64,
    /// 1-based, in characters.
    pub col: u64,
    pub message: String,
    /// One line of help: what to write instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The source line the position is on, for the snippet.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters to underline from `col`.
    #[serde(skip)]
    pub width: usize,
    /// In a workbook: the cell (`Answers!F17`); `line` is then its row and `col`
    /// its column, counted from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about the whole file (no position).
    pub fn file(severity: Severity, path: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.to_owned(),
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
            source_line: None,
            width: 0,
            cell: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `path:line:col` (`path:Sheet!CELL` in a workbook), or just the path when
    /// there is no position.
    pub fn location(&self) -> String {
        if let Some(cell) = &self.cell {
            format!("{}:{cell}", self.path)
        } else if self.line == 0 {
            self.path.clone()
        } else {
            format!("{}:{}:{}", self.path, self.line, self.col)
        }
    }

    /// The rustc-style form: header, snippet with a caret, help.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(&self.message);
        let location = self.location();
        let mut group = match &self.source_line {
            // A cell: its content on a line numbered by its row; where it is goes
            // under the title below (a snippet's path would get `:line:col`).
            Some(content) if self.cell.is_some() => {
                let end = char_to_byte(content, self.width.max(1));
                let snippet = Snippet::source(content.as_str())
                    .line_start(self.line as usize)
                    .annotation(AnnotationKind::Primary.span(0..end));
                title.element(snippet)
            }
            Some(line) if self.line > 0 => {
                let start = char_to_byte(line, self.col.saturating_sub(1) as usize);
                let end = char_to_byte(
                    line,
                    self.col.saturating_sub(1) as usize + self.width.max(1),
                );
                let snippet = Snippet::source(line.as_str())
                    .line_start(self.line as usize)
                    .path(self.path.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end.max(start)));
                title.element(snippet)
            }
            _ => title.element(annotate_snippets::Origin::path(location.as_str())),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: &[Group<'_>] = &[group];
        let rendered = renderer.render(report);
        match (&self.cell, &self.source_line) {
            (Some(_), Some(_)) => {
                let gutter = self.line.to_string().len();
                let arrow = format!("\n{:gutter$}--> {location}", "");
                match rendered.find('\n') {
                    Some(at) => format!("{}{arrow}{}", &rendered[..at], &rendered[at..]),
                    None => rendered + &arrow,
                }
            }
            _ => rendered,
        }
    }
}

fn char_to_byte(line: &str, chars: usize) -> usize {
    line.char_indices()
        .nth(chars)
        .map_or(line.len(), |(byte, _)| byte)
}

impl fmt::Display for Diagnostic {
    /// The one-line form, for summaries and logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity,
            self.message
        )
    }
}

/// Whether any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}
