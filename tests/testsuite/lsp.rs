//! `capgap lsp`, driven over stdio as an editor would: initialize, open a file,
//! wait for its diagnostics and compare them with what `capgap validate` prints for
//! the same file (same messages, same lines and columns, UTF-16 converted back),
//! change it, complete, hover, shut down.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{fixture, mini, root, stderr_of};

/// A language client over the server's stdin and stdout.
struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(model: Option<&Path>) -> Client {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("capgap"));
        if let Some(model) = model {
            command.arg("--model").arg(model);
        }
        let mut child = command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("capgap lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let (send, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if stdout.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                stdout.read_exact(&mut body).expect("a whole message");
                let value: Value = serde_json::from_slice(&body).expect("JSON-RPC");
                if send.send(value).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            messages,
            next_id: 1,
        };
        let init = client.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        let capabilities = &init["result"]["capabilities"];
        assert!(capabilities["hoverProvider"] == true, "{init}");
        assert!(capabilities["completionProvider"].is_object(), "{init}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).expect("JSON");
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("written");
        self.stdin.write_all(&body).expect("written");
        self.stdin.flush().expect("flushed");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn next(&self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.next();
            if message["id"] == id {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.next();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"]
                    .as_array()
                    .expect("a list")
                    .clone();
            }
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Vec<Value> {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        self.diagnostics(uri)
    }

    fn finish(mut self) {
        let shutdown = self.request("shutdown", Value::Null);
        assert!(shutdown["error"].is_null(), "{shutdown}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        assert!(status.success(), "{status}");
    }
}

/// A problem as (severity, message, line, column), 1-based in characters.
type Problem = (String, String, u64, u64);

/// What `capgap validate` prints for one file, read from its rendered output.
fn validate(model: Option<&Path>, path: &Path) -> Vec<Problem> {
    let mut command = match model {
        Some(model) => {
            let mut c = crate::support::capgap();
            c.arg("--model").arg(model);
            c
        }
        None => crate::support::capgap(),
    };
    let output = command.arg("validate").arg(path).output().expect("runs");
    let stderr = stderr_of(&output);
    let mut found: Vec<Problem> = Vec::new();
    for line in stderr.lines() {
        for severity in ["error", "warning"] {
            if let Some(message) = line.strip_prefix(&format!("{severity}: ")) {
                found.push((severity.into(), message.into(), 0, 0));
            }
        }
        if let Some(location) = line.trim_start().strip_prefix("--> ") {
            let mut parts = location.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok());
            let line = parts.next().and_then(|l| l.parse().ok());
            if let (Some(line), Some(col), Some(last)) = (line, col, found.last_mut()) {
                last.2 = line;
                last.3 = col;
            }
        }
    }
    found
}

/// The server's diagnostics in capgap's terms: 1-based lines, columns in characters.
fn from_lsp(text: &str, diagnostics: &[Value]) -> Vec<Problem> {
    diagnostics
        .iter()
        .map(|d| {
            let severity = match d["severity"].as_u64() {
                Some(1) => "error",
                Some(2) => "warning",
                other => panic!("severity {other:?}"),
            };
            let message = d["message"].as_str().expect("a message").to_owned();
            let start = &d["range"]["start"];
            let (line, units) = (
                start["line"].as_u64().unwrap(),
                start["character"].as_u64().unwrap(),
            );
            if line == 0 && units == 0 && d["range"]["end"] == *start {
                // A problem of the whole file (or at its very start).
                return (severity.into(), message, 0, 0);
            }
            let source = text.split('\n').nth(line as usize).unwrap_or("");
            let (mut chars, mut seen) = (0u64, 0u64);
            for c in source.chars() {
                if seen >= units {
                    break;
                }
                seen += c.len_utf16() as u64;
                chars += 1;
            }
            if line == 0 && source.starts_with('\u{feff}') {
                chars -= 1;
            }
            (severity.into(), message, line + 1, chars + 1)
        })
        .collect()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    out.sort();
    let mut files = Vec::new();
    for path in out {
        if path.is_dir() {
            files.extend(yaml_files(&path));
        } else if path.extension().is_some_and(|e| e == "yaml") {
            files.push(path);
        }
    }
    files
}

fn mini_model() -> PathBuf {
    root().join("tests/fixtures/mini-model.yaml")
}

#[test]
fn diagnostics_are_validate_s_on_every_broken_fixture() {
    let model = mini_model();
    let mut client = Client::start(Some(&model));
    let mut compared = 0;
    let dir = fixture("diagnostics");
    let files: Vec<PathBuf> = yaml_files(&dir)
        .into_iter()
        .filter(|p| !p.starts_with(dir.join("model")))
        .collect();
    for path in files {
        // An editor can only hold text: files that are not UTF-8 never reach a server.
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let published = client.open(&uri(&path), &text);
        let expected = validate(Some(&model), &path);
        assert!(!expected.is_empty(), "{} has problems", path.display());
        assert_eq!(from_lsp(&text, &published), expected, "{}", path.display());
        compared += 1;
    }
    assert!(compared >= 20, "{compared} files compared");
    client.finish();
}

#[test]
fn diagnostics_follow_changes_and_completion_and_hover_know_the_sector() {
    let mut client = Client::start(None);
    let path = root().join("questionnaires/examples/kh/kh-mekong-lowland-power-2025.yaml");
    let text = std::fs::read_to_string(&path).expect("an example");
    let uri = uri(&path);
    assert_eq!(
        from_lsp(&text, &client.open(&uri, &text)),
        validate(None, &path)
    );

    // A change: a misspelt response after non-ASCII text on its line (UTF-16
    // columns differ from characters there), an impossible date, a list for a name.
    let changed = text
        .replacen(
            "ASSET-1a: largely",
            "ASSET-1a: { note: \"Électricité du Mékong 𝒳\", response: largly }",
            1,
        )
        .replacen("assessed_on: 2025-03-18", "assessed_on: 2025-02-30", 1)
        .replacen(
            "operator: \"Mekong Lowland Power Company\"",
            "operator: [\"Électricité du Mékong 𝒳\", 3]",
            1,
        );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": changed }] }),
    );
    let published = client.diagnostics(&uri);
    let dir = tempfile::tempdir().expect("a temp dir");
    let copy = dir.path().join("changed.yaml");
    std::fs::write(&copy, &changed).expect("written");
    let expected = validate(None, &copy);
    assert!(
        expected.iter().any(|p| p.1 == "unknown response `largly`"),
        "{expected:?}"
    );
    assert!(
        expected.iter().any(|p| p.1.contains("2025-02-30")),
        "{expected:?}"
    );
    assert_eq!(from_lsp(&changed, &published), expected);

    // Completion of a practice id in a power file: power practices only.
    let line = changed
        .lines()
        .position(|l| l.starts_with("  ASSET-1b:"))
        .unwrap();
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 4 } }),
    );
    let items = completion["result"].as_array().expect("items");
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    let model: Value = serde_json::from_slice(
        &crate::support::capgap()
            .args(["model", "--format", "json"])
            .output()
            .expect("runs")
            .stdout,
    )
    .expect("JSON");
    let practices: Vec<&Value> = model["domains"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["practices"].as_array().unwrap())
        .collect();
    let applies = |p: &Value| {
        p["sectors"]
            .as_array()
            .is_none_or(|s| s.iter().any(|s| s == "power"))
    };
    let power: Vec<&str> = practices
        .iter()
        .filter(|p| applies(p))
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(labels, power, "every power practice, nothing else");
    assert!(!labels.contains(&"ASSET-2f"), "a rail-only practice");

    // Completion of a response after a practice id.
    let line = changed
        .lines()
        .position(|l| l.starts_with("  ASSET-1c:"))
        .unwrap();
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 12 } }),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert_eq!(labels, ["fully", "largely", "partially", "not", "na"]);

    // Hover on a practice id: its question and guidance, once.
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": 4 } }),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .expect("markdown");
    let practice = practices.iter().find(|p| p["id"] == "ASSET-1c").unwrap();
    // Model text is a string or a map of languages; the server runs in English.
    let english =
        |v: &serde_json::Value| v.as_str().or_else(|| v["en"].as_str()).unwrap().to_owned();
    let question = english(&practice["question"]);
    assert_eq!(shown.matches(&question).count(), 1, "{shown}");
    assert!(shown.contains(&english(&practice["guidance"])), "{shown}");

    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(client.diagnostics(&uri).is_empty(), "closing clears them");
    client.finish();
}

#[test]
fn an_unknown_language_is_a_usage_error() {
    let output = mini().args(["lsp", "--lang", "xx"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("unknown language `xx`"));
}
