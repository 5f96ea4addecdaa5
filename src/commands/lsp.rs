//! `capgap lsp`: a language server for questionnaires over standard input and
//! output (JSON-RPC, lsp-server). On open and on every change it runs the very
//! loader `validate` runs (`load::load_questionnaire`, same model, same `--strict`)
//! on the editor's text and publishes its errors and warnings with the same messages
//! at the same places; rules across files (two files for one round) need the other
//! files and do not apply to one open file. It completes the practice ids of the
//! file's sector, responses, and the header's fields and values, and shows a
//! practice's question and guidance on hover. Positions: capgap counts 1-based lines
//! and characters; LSP counts 0-based lines and UTF-16 code units, converted here.
//! Nothing is written to disk and nothing but the protocol goes to standard output.

use std::collections::HashMap;

use super::{Context, Outcome};
use crate::cli::LspArgs;
use crate::diag::{Diagnostic, Severity};
use crate::load::{self, QUESTIONNAIRE_FIELDS};
use crate::model::{Model, NOT_APPLICABLE};
use crate::questionnaire::Tlp;
use anyhow::Result;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionParams, CompletionResponse,
    CompletionTextEdit, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, Documentation, Hover, HoverContents, HoverParams,
    HoverProviderCapability, Location, MarkupContent, MarkupKind, Position,
    PublishDiagnosticsParams, Range, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextEdit, Uri,
};

pub fn run(context: &Context, args: &LspArgs) -> Result<Outcome> {
    let (connection, io_threads) = Connection::stdio();
    let server = Server {
        model: &context.model,
        strict: context.global.strict || args.strict,
        lang: &args.lang,
        documents: HashMap::new(),
    };
    let served = serve(&connection, server);
    drop(connection);
    io_threads
        .join()
        .map_err(|e| anyhow::anyhow!("the editor connection failed: {e}"))?;
    served?;
    Ok(Outcome::Clean)
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection, mut server: Server<'_>) -> Result<()> {
    let (id, _params) = connection
        .initialize_start()
        .map_err(|e| anyhow::anyhow!("the editor did not start the session: {e}"))?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo { name: "capgap".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| anyhow::anyhow!("the editor did not start the session: {e}"))?;
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| anyhow::anyhow!("the editor did not end the session: {e}"))?
                {
                    return Ok(());
                }
                let response = server.request(request);
                connection.sender.send(response.into())?;
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    return Ok(());
                }
                if let Some(published) = server.notification(notification) {
                    let note =
                        Notification::new("textDocument/publishDiagnostics".into(), published);
                    connection.sender.send(note.into())?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// The open documents and what answers about them.
struct Server<'m> {
    model: &'m Model,
    strict: bool,
    lang: &'m str,
    /// Text per document URI.
    documents: HashMap<String, String>,
}

impl Server<'_> {
    fn request(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            "textDocument/completion" => request
                .extract::<CompletionParams>("textDocument/completion")
                .map(|(_, p)| {
                    let at = p.text_document_position;
                    let items = self
                        .documents
                        .get(at.text_document.uri.as_str())
                        .map(|text| completions(self.model, self.lang, text, at.position))
                        .unwrap_or_default();
                    serde_json::to_value(CompletionResponse::Array(items))
                }),
            "textDocument/hover" => {
                request
                    .extract::<HoverParams>("textDocument/hover")
                    .map(|(_, p)| {
                        let at = p.text_document_position_params;
                        let hover = self
                            .documents
                            .get(at.text_document.uri.as_str())
                            .and_then(|text| hover(self.model, self.lang, text, at.position));
                        serde_json::to_value(hover)
                    })
            }
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("capgap does not answer `{}`", request.method),
                );
            }
        };
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(_)) | Err(_) => Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                "the request's parameters are not valid".into(),
            ),
        }
    }

    /// Keeps the documents up to date; returns the diagnostics to publish.
    fn notification(&mut self, notification: Notification) -> Option<PublishDiagnosticsParams> {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let params: DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let doc = params.text_document;
                self.documents.insert(doc.uri.as_str().to_owned(), doc.text);
                Some(self.publish(doc.uri, Some(doc.version)))
            }
            "textDocument/didChange" => {
                let params: DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let uri = params.text_document.uri;
                let text = self.documents.get_mut(uri.as_str())?;
                for change in params.content_changes {
                    match change.range {
                        None => *text = change.text,
                        Some(range) => apply_edit(text, range, &change.text),
                    }
                }
                Some(self.publish(uri, Some(params.text_document.version)))
            }
            "textDocument/didClose" => {
                let params: DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let uri = params.text_document.uri;
                self.documents.remove(uri.as_str());
                Some(PublishDiagnosticsParams {
                    uri,
                    diagnostics: Vec::new(),
                    version: None,
                })
            }
            _ => None,
        }
    }

    fn publish(&self, uri: Uri, version: Option<i32>) -> PublishDiagnosticsParams {
        let text = self.documents.get(uri.as_str()).map_or("", String::as_str);
        let found = diagnostics(self.model, self.strict, uri.as_str(), text);
        let diagnostics = found.iter().map(|d| to_lsp(&uri, text, d)).collect();
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        }
    }
}

/// `validate`'s diagnostics for one file's text: the same loader, model and rules.
fn diagnostics(model: &Model, strict: bool, path: &str, text: &str) -> Vec<Diagnostic> {
    load::load_questionnaire(model, path, text.as_bytes().to_vec(), strict).diagnostics
}

/// A capgap diagnostic as an LSP one: the message as `validate` prints it, its help
/// as related information at the same place.
fn to_lsp(uri: &Uri, text: &str, d: &Diagnostic) -> LspDiagnostic {
    let range = if d.line == 0 {
        Range::default()
    } else {
        let line = d.line - 1;
        let start = d.col.saturating_sub(1) as usize;
        Range {
            start: position(text, line, start),
            end: position(text, line, start + d.width.max(1)),
        }
    };
    LspDiagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        source: Some("capgap".into()),
        message: d.message.clone(),
        related_information: d.help.as_ref().map(|help| {
            vec![DiagnosticRelatedInformation {
                location: Location {
                    uri: uri.clone(),
                    range,
                },
                message: format!("help: {help}"),
            }]
        }),
        ..LspDiagnostic::default()
    }
}

/// The lines of a text as capgap counts them (`\n` ends a line, a `\r` before it is
/// not part of it).
fn line_of(text: &str, line: u64) -> &str {
    let raw = text.split('\n').nth(line as usize).unwrap_or("");
    raw.strip_suffix('\r').unwrap_or(raw)
}

/// The LSP position of capgap's 0-based `line` and character `chars`: UTF-16 code
/// units (a position past the line's end stays past it, one unit per character, as
/// capgap counts it). A leading byte-order mark, which capgap does not count, is one
/// unit on the first line.
fn position(text: &str, line: u64, chars: usize) -> Position {
    let mut source = line_of(text, line);
    let mut units = 0;
    if line == 0
        && let Some(rest) = source.strip_prefix('\u{feff}')
    {
        source = rest;
        units = 1;
    }
    let within = source.chars().take(chars);
    let (mut counted, mut width) = (0, 0);
    for c in within {
        counted += 1;
        width += c.len_utf16();
    }
    units += width + (chars - counted);
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(units).unwrap_or(u32::MAX),
    }
}

/// The byte offset of an LSP position in `text` (clamped to its line's end).
fn offset(text: &str, at: Position) -> usize {
    let mut start = 0;
    for _ in 0..at.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        if units >= at.character as usize {
            return start + i;
        }
        units += c.len_utf16();
    }
    end
}

/// Applies an incremental change.
fn apply_edit(text: &mut String, range: Range, new_text: &str) {
    let start = offset(text, range.start);
    let end = offset(text, range.end).max(start);
    text.replace_range(start..end, new_text);
}

/// The word characters of ids, responses and field names.
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '@' | ':')
}

/// The file's sector as its `sector:` line says, if any.
fn sector_of(text: &str) -> Option<&str> {
    text.lines().find_map(|line| {
        let value = line.strip_prefix("sector:")?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then_some(value)
    })
}

/// What the line before the cursor is: which block it is in, how deep, and the key
/// it is the value of.
struct Place<'t> {
    /// The text of the line before the cursor.
    before: &'t str,
    /// The key of the top-level block the line is in (`answers`, ...).
    block: Option<&'t str>,
    /// The indentation of the block's first entry.
    entry_indent: Option<usize>,
}

fn place(text: &str, at: Position) -> Place<'_> {
    let lines: Vec<&str> = text.split('\n').collect();
    let line = lines.get(at.line as usize).copied().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut end = 0;
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= at.character as usize {
            break;
        }
        units += c.len_utf16();
        end = i + c.len_utf8();
    }
    let before = &line[..end];
    let mut block = None;
    let mut block_line = 0;
    for (n, above) in lines[..(at.line as usize).min(lines.len())]
        .iter()
        .enumerate()
        .rev()
    {
        let trimmed = above.trim_end();
        if trimmed.is_empty() || above.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        block = trimmed.split(':').next();
        block_line = n;
        break;
    }
    let entry_indent = lines
        .iter()
        .skip(block_line + 1)
        .take((at.line as usize).saturating_sub(block_line + 1))
        .find(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|l| l.len() - l.trim_start().len());
    Place {
        before,
        block,
        entry_indent,
    }
}

/// Completion at `at`: practice ids of the file's sector as keys under `answers:`,
/// responses after `response:` or a practice id, the long form's fields inside an
/// answer, and the header's fields and values.
fn completions(model: &Model, lang: &str, text: &str, at: Position) -> Vec<CompletionItem> {
    let place = place(text, at);
    let before = place.before;
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c) && *c != ':')
        .last()
        .map_or(before.len(), |(i, _)| i);
    let word_units = before[word_start..]
        .chars()
        .map(char::len_utf16)
        .sum::<usize>() as u32;
    let range = Range {
        start: Position {
            line: at.line,
            character: at.character.saturating_sub(word_units),
        },
        end: at,
    };
    let item = |label: &str, kind, detail: Option<String>, doc: Option<String>, sort: usize| {
        CompletionItem {
            label: label.to_owned(),
            kind: Some(kind),
            detail,
            documentation: doc.map(|value| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value,
                })
            }),
            sort_text: Some(format!("{sort:05}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: label.to_owned(),
            })),
            ..CompletionItem::default()
        }
    };
    let responses = || {
        model
            .responses
            .iter()
            .map(|r| (r.id.as_str(), r.label.get(lang).to_owned()))
            .chain([(NOT_APPLICABLE, "not applicable".to_owned())])
            .enumerate()
            .map(|(n, (id, label))| item(id, CompletionItemKind::ENUM_MEMBER, Some(label), None, n))
            .collect::<Vec<_>>()
    };
    let indent = before.len() - before.trim_start().len();
    let head = before[..word_start].trim();
    let in_answers = place.block == Some("answers") && indent > 0;
    let key_indent = place.entry_indent.unwrap_or(indent);

    // A value: `key: <cursor>`.
    if let Some(key) = head.strip_suffix(':') {
        if in_answers && key == "response" {
            return responses();
        }
        if in_answers && indent <= key_indent && model.practice_ref(key).is_some() {
            return responses();
        }
        if indent == 0 {
            return header_values(model, lang, key)
                .into_iter()
                .enumerate()
                .map(|(n, (value, detail))| {
                    item(&value, CompletionItemKind::VALUE, detail, None, n)
                })
                .collect();
        }
        return Vec::new();
    }
    if !head.is_empty() {
        return Vec::new();
    }
    // A key.
    if in_answers && indent <= key_indent {
        return practices(model, lang, text, &item);
    }
    if place.block == Some("answers") && indent == 0 {
        // Under `answers:` at the margin: the practice ids, indented as the other
        // answers.
        let pad = " ".repeat(place.entry_indent.filter(|&n| n > 0).unwrap_or(2));
        let mut items = practices(model, lang, text, &item);
        for practice in &mut items {
            if let Some(CompletionTextEdit::Edit(edit)) = &mut practice.text_edit {
                edit.new_text = format!("{pad}{}", edit.new_text);
            }
        }
        return items;
    }
    if in_answers {
        return ["response", "evidence", "note"]
            .iter()
            .enumerate()
            .map(|(n, f)| item(f, CompletionItemKind::FIELD, None, None, n))
            .collect();
    }
    if indent == 0 {
        return fields(text, &item);
    }
    Vec::new()
}

/// How a completion item is made: label, kind, detail, documentation, sort rank.
type MakeItem<'f> =
    dyn Fn(&str, CompletionItemKind, Option<String>, Option<String>, usize) -> CompletionItem + 'f;

/// The practice ids of the file's sector (every practice when the sector is unknown),
/// in the model's order.
fn practices(model: &Model, lang: &str, text: &str, item: &MakeItem<'_>) -> Vec<CompletionItem> {
    let sector = sector_of(text).filter(|s| model.sector(s).is_some());
    model
        .practices()
        .map(|(_, p)| p)
        .filter(|p| sector.is_none_or(|s| p.applies_to(s)))
        .enumerate()
        .map(|(n, p)| {
            let level = model.level_name(p.level, lang).unwrap_or_default();
            item(
                &p.id,
                CompletionItemKind::FIELD,
                Some(format!("level {} ({level})", p.level)),
                Some(practice_text(model, lang, p, None)),
                n,
            )
        })
        .collect()
}

/// The questionnaire's top-level fields that the text does not have yet.
fn fields(text: &str, item: &MakeItem<'_>) -> Vec<CompletionItem> {
    let present: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .collect();
    QUESTIONNAIRE_FIELDS
        .iter()
        .filter(|f| !present.contains(f))
        .enumerate()
        .map(|(n, f)| item(f, CompletionItemKind::FIELD, None, None, n))
        .collect()
}

/// The values a header field may take, with a detail each.
fn header_values(model: &Model, lang: &str, key: &str) -> Vec<(String, Option<String>)> {
    match key {
        "sector" => model
            .sectors
            .iter()
            .map(|s| (s.id.clone(), Some(s.name.get(lang).to_owned())))
            .collect(),
        "tlp" => Tlp::ALL
            .iter()
            .map(|t| (t.as_str().to_owned(), None))
            .collect(),
        "model" => vec![(model.reference(), Some(model.title.get(lang).to_owned()))],
        "country" => crate::country::COUNTRIES
            .iter()
            .map(|(code, name)| ((*code).to_owned(), Some((*name).to_owned())))
            .collect(),
        _ => Vec::new(),
    }
}

/// A practice in Markdown: id, domain and level, question, guidance, and whether it
/// applies to the file's sector.
fn practice_text(
    model: &Model,
    lang: &str,
    practice: &crate::model::Practice,
    sector: Option<&str>,
) -> String {
    let domain = model
        .domains
        .iter()
        .find(|d| d.practices.iter().any(|p| p.id == practice.id))
        .map_or("", |d| d.name.get(lang));
    let level = model.level_name(practice.level, lang).unwrap_or_default();
    let mut out = format!(
        "**{}** · {domain} · level {} ({level})\n\n{}",
        practice.id,
        practice.level,
        practice.question.get(lang)
    );
    if !practice.guidance.en().is_empty() {
        out.push_str(&format!("\n\n*Guidance:* {}", practice.guidance.get(lang)));
    }
    if let Some(sector) = sector.filter(|s| !practice.applies_to(s)) {
        let applies = practice.sectors.as_deref().unwrap_or_default().join(", ");
        out.push_str(&format!(
            "\n\nDoes not apply to the {sector} sector (only: {applies})."
        ));
    }
    out
}

/// Hover on a practice id (its question and guidance) or a response (its label).
fn hover(model: &Model, lang: &str, text: &str, at: Position) -> Option<Hover> {
    let line = line_of(text, u64::from(at.line));
    let cursor = offset(
        line,
        Position {
            line: 0,
            character: at.character,
        },
    );
    let is_id = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+');
    let start = line[..cursor]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_id(*c))
        .last()
        .map_or(cursor, |(i, _)| i);
    let end = line[cursor..]
        .char_indices()
        .find(|(_, c)| !is_id(*c))
        .map_or(line.len(), |(i, _)| cursor + i);
    let word = &line[start..end];
    if word.is_empty() || line.trim_start().starts_with('#') {
        return None;
    }
    let value = if let Some(at) = model.practice_ref(word) {
        let sector = sector_of(text).filter(|s| model.sector(s).is_some());
        practice_text(model, lang, model.practice(at), sector)
    } else if let Some((_, response)) = model.response(word) {
        format!(
            "**{}**: {} (credit {}{})",
            response.id,
            response.label.get(lang),
            response.credit,
            if response.achieves {
                ", achieves the practice"
            } else {
                ""
            }
        )
    } else if word == NOT_APPLICABLE {
        format!("**{NOT_APPLICABLE}**: not applicable; say why in a `note:`")
    } else {
        return None;
    };
    let units = |s: &str| s.chars().map(char::len_utf16).sum::<usize>() as u32;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(Range {
            start: Position {
                line: at.line,
                character: units(&line[..start]),
            },
            end: Position {
                line: at.line,
                character: units(&line[..end]),
            },
        }),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;

    /// For tests: the JSON the server would publish for `text`.
    fn published(model: &Model, text: &str) -> Value {
        let uri: Uri = "file:///q.yaml".parse().expect("a URI");
        let found = diagnostics(model, false, "q.yaml", text);
        serde_json::to_value(
            found
                .iter()
                .map(|d| to_lsp(&uri, text, d))
                .collect::<Vec<_>>(),
        )
        .expect("JSON")
    }

    fn model() -> Model {
        load::load_model("model.yaml", load::DEFAULT_MODEL.as_bytes().to_vec()).expect("valid")
    }

    const HEADER: &str = "model: cicmm@1.0.0\ncountry: KH\nsector: power\noperator: \"Ŝtàtion électrique 電力\"\nassessed_on: 2026-09-14\n";

    #[test]
    fn positions_are_utf16_after_non_ascii_text() {
        let model = model();
        let text = format!("{HEADER}answers:\n  ASSET-1a: fuly\n");
        let with_names = text.replace("operator: ", "operator: \"𝒳\" #\n# ");
        for text in [text, with_names] {
            let published = published(&model, &text);
            let error = published
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["message"] == "unknown response `fuly`")
                .expect("the error");
            let line = text.lines().position(|l| l.contains("fuly")).unwrap();
            assert_eq!(error["range"]["start"]["line"], line);
            assert_eq!(error["range"]["start"]["character"], 12);
            assert_eq!(error["range"]["end"]["character"], 16);
            assert_eq!(error["severity"], 1);
        }
        // Non-ASCII text before the column on the same line: UTF-16 units, not
        // characters (𝒳 is two units, é one).
        let text = format!("{HEADER}answers: {{ \"𝒳é\": fully, ASSET-1a: fuly }}\n");
        let published = published(&model, &text);
        let error = published
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["message"] == "unknown response `fuly`")
            .expect("the error");
        let line = text.lines().nth(5).unwrap();
        let before = &line[..line.find("fuly").unwrap()];
        assert_ne!(before.encode_utf16().count(), before.chars().count());
        assert_eq!(error["range"]["start"]["line"], 5);
        assert_eq!(
            error["range"]["start"]["character"],
            before.encode_utf16().count()
        );
        assert_eq!(
            error["range"]["end"]["character"],
            before.encode_utf16().count() + 4
        );
    }

    #[test]
    fn incremental_edits_count_utf16_units() {
        let mut text = "a: 𝒳é\nb: x\n".to_owned();
        apply_edit(
            &mut text,
            Range {
                start: Position {
                    line: 0,
                    character: 5,
                },
                end: Position {
                    line: 1,
                    character: 0,
                },
            },
            "!\n",
        );
        assert_eq!(text, "a: 𝒳!\nb: x\n");
    }

    fn labels(items: &[CompletionItem]) -> Vec<&str> {
        items.iter().map(|i| i.label.as_str()).collect()
    }

    fn at(text: &str, marker: &str) -> (String, Position) {
        let (line, row) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(marker))
            .expect("the marker");
        let character = row[..row.find(marker).unwrap()].encode_utf16().count() as u32;
        (
            text.replace(marker, ""),
            Position {
                line: line as u32,
                character,
            },
        )
    }

    #[test]
    fn completion_offers_the_sector_s_practices_and_the_responses() {
        let model = model();
        for sector in ["power", "rail"] {
            let text = format!(
                "{}answers:\n  ASSET-1a: fully\n  AS|\n",
                HEADER.replace("sector: power", &format!("sector: {sector}"))
            );
            let (text, position) = at(&text, "|");
            let items = completions(&model, "en", &text, position);
            let offered = labels(&items);
            let applicable: Vec<&str> = model.applicable(sector).map(|p| p.id.as_str()).collect();
            assert_eq!(offered, applicable, "{sector}");
            let CompletionTextEdit::Edit(edit) = items[0].text_edit.clone().unwrap() else {
                panic!("an edit")
            };
            assert_eq!(edit.range.start.character, 2);
        }
        let responses = ["fully", "largely", "partially", "not", "na"];
        for text in [
            format!("{HEADER}answers:\n  ASSET-1a: |\n"),
            format!("{HEADER}answers:\n  ASSET-1a: par|\n"),
            format!("{HEADER}answers:\n  ASSET-1a:\n    response: |\n"),
        ] {
            let (text, position) = at(&text, "|");
            assert_eq!(
                labels(&completions(&model, "en", &text, position)),
                responses
            );
        }
        let (text, position) = at(
            &format!("{HEADER}answers:\n  ASSET-1a:\n    response: na\n    |\n"),
            "|",
        );
        assert_eq!(
            labels(&completions(&model, "en", &text, position)),
            ["response", "evidence", "note"]
        );
        let (text, position) = at(&HEADER.replace("sector: power", "sector: |"), "|");
        assert_eq!(
            labels(&completions(&model, "en", &text, position)),
            ["power", "rail"]
        );
        let (text, position) = at(&format!("{HEADER}|"), "|");
        let fields = completions(&model, "en", &text, position);
        assert!(labels(&fields).contains(&"answers") && !labels(&fields).contains(&"sector"));
    }

    #[test]
    fn at_the_margin_under_answers_practice_ids_come_indented() {
        let model = model();
        let (text, position) = at(
            &format!("{HEADER}answers:\n    ASSET-1a: fully\nAS|\n"),
            "|",
        );
        let items = completions(&model, "en", &text, position);
        let CompletionTextEdit::Edit(edit) = items[0].text_edit.clone().unwrap() else {
            panic!("an edit")
        };
        assert_eq!(edit.new_text, format!("    {}", items[0].label));
        assert_eq!(edit.range.start.character, 0);
        assert_eq!(items.len(), model.applicable("power").count());
    }

    #[test]
    fn a_column_past_the_line_s_end_stays_past_it() {
        let text = "é\nab\n";
        assert_eq!(position(text, 0, 3).character, 3);
        assert_eq!(position("𝒳x", 0, 1).character, 2);
        assert_eq!(position("\u{feff}ab", 0, 1).character, 2);
    }

    #[test]
    fn hover_shows_the_question_and_guidance_once() {
        let model = model();
        let (text, position) = at(&format!("{HEADER}answers:\n  ASS|ET-1a: fully\n"), "|");
        let hover = hover(&model, "en", &text, position).expect("a hover");
        let HoverContents::Markup(content) = hover.contents else {
            panic!("markdown")
        };
        let practice = model.practice(model.practice_ref("ASSET-1a").unwrap());
        assert!(
            content.value.contains(practice.question.en()),
            "{}",
            content.value
        );
        assert!(
            content.value.contains(practice.guidance.en()),
            "{}",
            content.value
        );
        assert_eq!(content.value.matches(practice.question.en()).count(), 1);
        assert_eq!(hover.range.unwrap().start.character, 2);
        let (text, position) = at(&format!("{HEADER}answers:\n  ASSET-1a: ful|ly\n"), "|");
        let hover = super::hover(&model, "en", &text, position).expect("a hover");
        let HoverContents::Markup(content) = hover.contents else {
            panic!("markdown")
        };
        assert!(
            content.value.contains("Fully implemented"),
            "{}",
            content.value
        );
    }
}
