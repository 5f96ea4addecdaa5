//! The benchmark's generators (`benches/support/synth.rs`) make what `benches/README.md`
//! says: realistic files that keep every comment of `capgap template`, files capgap
//! accepts, and warnings (blank answers, `na` without a note) exactly in the files
//! meant to have them, so the bench's "warnings cost" compares like with like.

#[path = "../../benches/support/synth.rs"]
#[allow(dead_code)]
mod synth;

use std::path::Path;
use std::sync::OnceLock;

use crate::support::capgap;

fn model() -> capgap::model::Model {
    capgap::load::load_model(
        "<built-in>",
        capgap::load::DEFAULT_MODEL.as_bytes().to_vec(),
    )
    .expect("the built-in model is valid")
}

/// `capgap template` outputs, made once for the module's tests.
fn templates() -> &'static [synth::Template] {
    static TEMPLATES: OnceLock<Vec<synth::Template>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        synth::templates(Path::new(env!("CARGO_BIN_EXE_capgap")), &model())
            .expect("capgap template runs")
    })
}

/// `score --format jsonl` on `dir`: the exit status and the number of scored files.
fn scored(dir: &Path, strict: bool) -> (i32, usize) {
    let mut cmd = capgap();
    cmd.args(["-q", "score", "--format", "jsonl"]);
    if strict {
        cmd.arg("--strict");
    }
    let output = cmd.arg(dir).output().expect("capgap runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let records = stdout.lines().filter(|l| l.starts_with('{')).count();
    (output.status.code().unwrap_or(-1), records)
}

/// Mixed files are all accepted; the warning-free twin passes `--strict` whole; in
/// the warned twin every file fails `--strict`.
fn check(write: impl Fn(&Path, synth::Warnings) -> synth::Corpus) {
    let temp = tempfile::tempdir().expect("a temp dir");
    let mixed = write(&temp.path().join("mixed"), synth::Warnings::Mixed);
    let clean = write(&temp.path().join("clean"), synth::Warnings::None);
    let warned = write(&temp.path().join("warned"), synth::Warnings::Every);
    assert!(mixed.with_warnings > 0 && mixed.with_warnings < mixed.files);
    assert_eq!(clean.with_warnings, 0);
    assert_eq!(warned.with_warnings, warned.files);

    assert_eq!(scored(&temp.path().join("mixed"), false), (0, mixed.files));
    assert_eq!(scored(&temp.path().join("clean"), true), (0, clean.files));
    assert_eq!(scored(&temp.path().join("warned"), true), (1, 0));
}

#[test]
fn realistic_corpus_is_accepted_with_warnings_where_meant() {
    let templates = templates();
    check(|dir, warnings| {
        let params = synth::Realistic {
            warnings,
            ..Default::default()
        };
        synth::write_realistic(templates, dir, 8, 5, 0, &params).expect("written")
    });
}

#[test]
fn compact_corpus_is_accepted_with_warnings_where_meant() {
    let model = model();
    check(|dir, warnings| {
        let params = synth::Compact {
            warnings,
            ..Default::default()
        };
        synth::write_compact(&model, dir, 16, 5, 0, &params).expect("written")
    });
}

#[test]
fn realistic_files_keep_every_template_comment_with_crlf_and_bom() {
    let templates = templates();
    let temp = tempfile::tempdir().expect("a temp dir");
    let params = synth::Realistic {
        crlf: 1.0,
        bom: 1.0,
        ..Default::default()
    };
    let corpus =
        synth::write_realistic(&templates[..1], temp.path(), 2, 9, 0, &params).expect("written");
    let comments = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| l.trim_start().starts_with('#'))
            .map(str::to_owned)
            .collect()
    };
    let expected = comments(&templates[0].text);
    assert!(expected.len() > 100, "the template has its comments");
    let mut files = 0;
    for entry in walkdir::WalkDir::new(temp.path()) {
        let entry = entry.expect("readable");
        if !entry.file_type().is_file() {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(entry.path()).expect("readable");
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM");
        let text = String::from_utf8(bytes).expect("UTF-8");
        let text = text.trim_start_matches('\u{feff}');
        assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
        // The template's header comments are kept; `weight:` may have been uncommented.
        let kept: Vec<String> = comments(text)
            .into_iter()
            .filter(|c| expected.contains(c))
            .collect();
        let missing: Vec<&String> = expected
            .iter()
            .filter(|c| !kept.contains(c) && !c.starts_with("# weight:"))
            .collect();
        assert!(missing.is_empty(), "comments lost: {missing:?}");
    }
    assert_eq!(files, corpus.files);
    assert_eq!(scored(temp.path(), false), (0, corpus.files));
}
