//! SPEC §11: a report in Japanese or French has no English left in its chrome.
//! Every page kind (operator, country, portfolio, with the coordination and
//! programme sections) is rendered in ja and fr, and every word of every text node,
//! `title`/`aria-label` attribute and SVG text is checked: it must come from that
//! language's string table, from the data (questionnaires, programmes, the model's
//! text as the page shows it, country names), or be a code such as `TLP`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use capgap::i18n::{Entry, Lang, Strings};
use capgap::load::tree::{self, Kind, Node};

use crate::support::{capgap, fixture, root, stderr_of};

/// Codes and names that are the same in every language.
const CODES: &[&str] = &[
    "capgap", "TLP", "CLEAR", "GREEN", "AMBER", "STRICT", "RED", "USD", "C2M2", "scores", "json",
    "plan", "csv", "OT", "IT", "k", "M", "B",
];

/// The words of `text`: runs of Latin letters (the only script English can hide in).
fn latin_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        !(c.is_alphabetic() && (c.is_ascii() || ('\u{C0}'..='\u{24F}').contains(&c)))
    })
    .filter(|w| !w.is_empty())
}

/// The keys whose values come from a closed set the string tables name.
const CLOSED_SETS: &[&str] = &["status", "kind"];

/// Every scalar of a YAML file, except the English of a text map that has `lang` and
/// the values of `CLOSED_SETS`.
fn yaml_words(path: &Path, lang: &str, out: &mut BTreeSet<String>) {
    fn walk(node: &Node, lang: &str, out: &mut BTreeSet<String>) {
        match &node.kind {
            Kind::Scalar { text, .. } => {
                out.extend(latin_words(text).map(str::to_lowercase));
            }
            Kind::Seq(items) => items.iter().for_each(|n| walk(n, lang, out)),
            Kind::Map(entries) => {
                let has = |key: &str| {
                    entries
                        .iter()
                        .any(|(k, _)| k.scalar().map(|s| s.0) == Some(key))
                };
                let text_map = has("en") && has(lang);
                for (key, value) in entries {
                    let key = key.scalar().map_or("", |s| s.0);
                    // A closed set's value (`status: delivered`, `kind: tooling`) is
                    // shown through the string table, never as written.
                    if (text_map && key != lang) || CLOSED_SETS.contains(&key) {
                        continue;
                    }
                    walk(value, lang, out);
                }
            }
        }
    }
    let text = fs::read_to_string(path).unwrap();
    if let Ok(Some(root)) = tree::parse(&text) {
        walk(&root, lang, out);
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_owned());
        return;
    }
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The words a page in `lang` may show: its table, the data, the codes.
fn allowed_words(lang: Lang, inputs: &[PathBuf]) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    let strings = Strings::builtin(lang);
    for key in strings.keys() {
        let texts = match strings.entry(key).unwrap() {
            Entry::Text(text) => vec![text.clone()],
            Entry::Plural { one, other } => vec![one.clone(), other.clone()],
        };
        for text in texts {
            // Placeholders and inline markup are not words a reader sees.
            let text = text
                .split('{')
                .map(|p| p.split_once('}').map_or(p, |(_, rest)| rest))
                .collect::<String>();
            let text: String = text
                .split('<')
                .map(|p| p.split_once('>').map_or(p, |(_, rest)| rest))
                .collect();
            words.extend(latin_words(&text).map(str::to_lowercase));
        }
    }
    for &(code, _) in capgap::country::COUNTRIES {
        words.insert(code.to_lowercase());
        words.extend(
            latin_words(capgap::country::name_in(code, lang).unwrap()).map(str::to_lowercase),
        );
    }
    let mut files = Vec::new();
    for input in inputs {
        yaml_files(input, &mut files);
    }
    for file in files {
        // The pages list their input files.
        words.extend(latin_words(&file.display().to_string()).map(str::to_lowercase));
        yaml_words(&file, lang.code(), &mut words);
    }
    words.extend(CODES.iter().map(|c| c.to_lowercase()));
    words
}

/// The text a reader sees in `html`: text nodes (outside `<style>`), SVG text, and
/// the `title` and `aria-label` attributes.
fn visible_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push(unescape(&rest[..start]));
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start + 1..start + end];
        for attr in ["title=\"", "aria-label=\""] {
            let mut t = tag;
            while let Some(i) = t.find(attr) {
                let value = &t[i + attr.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                out.push(unescape(value));
                t = &t[i + attr.len()..];
            }
        }
        rest = &rest[start + end + 1..];
        if tag.starts_with("style") {
            rest = &rest[rest.find("</style>").unwrap_or(0)..];
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&#8202;", " ")
        .replace("&amp;", "&")
}

/// Renders a report of `inputs` in `lang` and returns every English-looking word
/// left on its pages, with the page it is on.
fn leftovers(lang: Lang, model: Option<&Path>, inputs: &[PathBuf], extra: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let mut cmd = capgap();
    if let Some(model) = model {
        cmd.arg("--model").arg(model);
    }
    let output = cmd
        .arg("report")
        .args(inputs)
        .arg("-o")
        .arg(&out)
        .args(["--lang", lang.code()])
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.code() != Some(2), "{}", stderr_of(&output));
    let mut all_inputs: Vec<PathBuf> = inputs.to_vec();
    all_inputs.push(model.map_or_else(|| root().join("questionnaires/model.yaml"), Path::to_owned));
    all_inputs.push(root().join("questionnaires/regions.yaml"));
    for (i, arg) in extra.iter().enumerate() {
        if i > 0 && extra[i - 1] == "--programmes" {
            all_inputs.push(root().join(arg));
        }
    }
    let allowed = allowed_words(lang, &all_inputs);
    let mut pages = Vec::new();
    for sub in ["", "countries", "operators"] {
        for entry in fs::read_dir(out.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                pages.push(path);
            }
        }
    }
    assert!(pages.len() >= 3, "{pages:?}");
    let mut found = BTreeSet::new();
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
        for text in visible_text(&html) {
            for word in latin_words(&text) {
                let lower = word.to_lowercase();
                // A label cut short in a chart ("démoc…") is the start of a word.
                let cut = text.contains(&format!("{word}…"))
                    && allowed.iter().any(|w| w.starts_with(&lower));
                if word.chars().count() >= 2 && !cut && !allowed.contains(&lower) {
                    let name = page.strip_prefix(&out).unwrap().display().to_string();
                    found.insert(format!("{word} ({name}: {})", text.trim()));
                }
            }
        }
    }
    found.into_iter().collect()
}

fn check(lang: Lang) {
    let examples = root().join("questionnaires/examples");
    let mut left = leftovers(lang, None, &[examples], &["--budget", "2M"]);
    let programmes = fixture("programmes/good.yaml").display().to_string();
    left.extend(leftovers(
        lang,
        Some(&root().join("tests/fixtures/mini-model.yaml")),
        &[fixture("programmes/run")],
        &["--programmes", &programmes, "--budget", "100k"],
    ));
    left.truncate(40);
    assert!(
        left.is_empty(),
        "English left on the {lang} pages:\n{}",
        left.join("\n")
    );
}

#[test]
fn japanese_pages_have_no_english_chrome() {
    check(Lang::Ja);
}

#[test]
fn french_pages_have_no_english_chrome() {
    check(Lang::Fr);
}

#[test]
fn an_unknown_language_is_a_usage_error_listing_the_languages() {
    let dir = tempfile::tempdir().unwrap();
    let output = capgap()
        .arg("report")
        .arg(root().join("questionnaires/examples"))
        .arg("-o")
        .arg(dir.path().join("r"))
        .args(["--lang", "de"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("unknown language `de`") && stderr.contains("en, ja, fr"),
        "{stderr}"
    );
    assert!(!dir.path().join("r").exists());
}

/// Every key the Rust code looks up (`get("…")`, `fmt("…"`, `plural("…"`) and every
/// key built from a closed set (TLP classes, intervention kinds, programme statuses,
/// months) is in every string table.
#[test]
fn every_key_the_code_uses_is_in_every_table() {
    let mut keys = BTreeSet::new();
    let mut sources = Vec::new();
    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    rust_files(&root().join("src"), &mut sources);
    for file in sources {
        let text = fs::read_to_string(&file).unwrap();
        for call in ["get(\"", "fmt(\"", "plural(\"", "form(\""] {
            for piece in text.split(call).skip(1) {
                let Some(key) = piece.split('"').next() else {
                    continue;
                };
                if key.contains('.')
                    && key.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)
                    })
                {
                    keys.insert(key.to_owned());
                }
            }
        }
    }
    for class in ["clear", "green", "amber", "amber-strict", "red"] {
        keys.insert(format!("tlp.sharing.{class}"));
    }
    for kind in capgap::model::InterventionKind::ALL {
        keys.insert(format!("kind.{}", kind.as_str()));
    }
    for status in capgap::programmes::ProgrammeStatus::ALL {
        keys.insert(format!("programmes.status.{}", status.as_str()));
    }
    for month in 1..=12 {
        keys.insert(format!("date.month.{month}"));
    }
    assert!(keys.len() > 100, "only {} keys found", keys.len());
    for lang in Lang::ALL {
        let strings = Strings::builtin(lang);
        let missing: Vec<&String> = keys.iter().filter(|k| strings.entry(k).is_none()).collect();
        assert!(missing.is_empty(), "strings/{lang}.yaml lacks {missing:?}");
    }
}

#[test]
fn region_names_are_in_the_language_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, header, row) in [
        ("ja", "ASEAN、インド太平洋", "太平洋島嶼国"),
        ("fr", "Indo-Pacifique", "Îles du Pacifique"),
    ] {
        let out = dir.path().join(lang);
        let output = capgap()
            .args(["report", "questionnaires/examples", "--lang", lang, "-o"])
            .arg(&out)
            .current_dir(root())
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", stderr_of(&output));
        let country = fs::read_to_string(out.join("countries/KH.html")).unwrap();
        assert!(country.contains(header), "{lang}: KH names its regions");
        let portfolio = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(portfolio.contains(row), "{lang}: the portfolio names {row}");
        for english in ["Indo-Pacific<", "Pacific Islands", "South Asia<"] {
            assert!(!portfolio.contains(english), "{lang}: `{english}` left");
        }
    }
}
