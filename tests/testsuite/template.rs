//! `capgap template`: a blank questionnaire that parses, lists every applicable
//! practice, and validates once the answers are filled in.

use crate::support::{capgap, mini, stderr_of, stdout_of};

#[test]
fn a_blank_template_validates_with_warnings_only() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("t.yaml");
    let output = mini()
        .args([
            "template",
            "--sector",
            "rail",
            "--country",
            "FJ",
            "--operator",
            "Fiji \"Rail\" & Co",
            "-o",
        ])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.starts_with("# yaml-language-server: $schema="));
    assert!(text.contains("  RAIL-1a:\n"), "rail practices are listed");
    assert!(
        !text.contains("SITUATION-2b:"),
        "power-only practices are not"
    );
    assert!(
        text.contains("fully (Fully implemented)"),
        "responses are listed"
    );
    let output = mini().arg("validate").arg(&path).output().expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("8 applicable practice(s) left unanswered"));

    let filled = text.replace("  RAIL-1a:\n", "  RAIL-1a: fully\n");
    std::fs::write(&path, filled).expect("written");
    let output = mini().arg("validate").arg(&path).output().expect("runs");
    assert!(stderr_of(&output).contains("7 applicable practice(s) left unanswered"));
}

#[test]
fn french_questions_keep_their_punctuation_on_the_same_line() {
    let output = capgap()
        .args(["template", "--sector", "rail", "--lang", "fr"])
        .output()
        .unwrap();
    let text = stdout_of(&output);
    assert!(
        text.contains("\u{202f}?"),
        "no French question in the template"
    );
    for line in text.lines() {
        let words = line.trim_start().trim_start_matches('#').trim_start();
        assert!(
            !words.starts_with(['?', '!', ';', ':', '»']),
            "a line starts with punctuation: {line}"
        );
    }
}

#[test]
fn the_built_in_model_gives_a_template_for_each_sector() {
    for sector in ["power", "rail"] {
        let output = capgap()
            .args(["template", "--sector", sector])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
        assert!(stdout_of(&output).contains(&format!("sector: {sector}")));
    }
    let output = capgap()
        .args(["template", "--sector", "water"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("unknown sector `water`"));
}

#[test]
fn an_unknown_language_is_a_usage_error_listing_the_known_ones() {
    let output = capgap()
        .args(["template", "--sector", "power", "--lang", "xx"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown language `xx`") && stderr.contains("en, ja, fr"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
    let french = capgap()
        .args(["template", "--sector", "power", "--lang", "fr"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&french.stdout).contains("Électricité"));
}

#[test]
fn the_schema_line_names_a_file_that_exists() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("t.yaml");
    let output = mini()
        .args(["template", "--sector", "rail", "-o"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let text = std::fs::read_to_string(&path).expect("written");
    let first = text.lines().next().expect("a first line");
    let named = first
        .strip_prefix("# yaml-language-server: $schema=")
        .expect("the schema line");
    let schema_path = dir.path().join(named);
    let written = std::fs::read(&schema_path).expect("the schema file is written beside it");
    let expected = mini()
        .args(["schema", "questionnaire", "--sector", "rail"])
        .output()
        .expect("runs");
    assert!(written == expected.stdout, "the sector's schema");

    // A second template beside it keeps the file; --schema names another.
    std::fs::write(&schema_path, "{}").expect("written");
    let other = dir.path().join("u.yaml");
    let output = mini()
        .args(["template", "--sector", "rail", "-o"])
        .arg(&other)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(std::fs::read_to_string(&schema_path).unwrap(), "{}");
    let third = dir.path().join("v.yaml");
    let output = mini()
        .args([
            "template",
            "--sector",
            "power",
            "--schema",
            "../schemas/q.json",
            "-o",
        ])
        .arg(&third)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let text = std::fs::read_to_string(&third).expect("written");
    assert!(text.starts_with("# yaml-language-server: $schema=../schemas/q.json\n"));
    assert!(
        !dir.path()
            .join("capgap-questionnaire-power.schema.json")
            .exists()
    );
}

#[test]
fn the_template_comments_are_in_the_language_asked_for() {
    // English chrome of the YAML template; none of it may be left in ja or fr.
    let english = [
        "Answer every practice",
        "Check the file with",
        "Guidance:",
        "(level ",
        "target level",
        "Responses:",
        "not applicable",
        "Cyber workforce",
        "name or team",
    ];
    let expected = [
        ("ja", ["確認の目安: ", "回答: ", "サイバー人材（任意）"]),
        (
            "fr",
            [
                "Conseils\u{202f}: ",
                "Réponses\u{202f}: ",
                "Effectifs cyber (facultatif)",
            ],
        ),
    ];
    for (lang, words) in expected {
        let output = capgap()
            .args([
                "template",
                "--sector",
                "rail",
                "--country",
                "SN",
                "--lang",
                lang,
            ])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", stderr_of(&output));
        let text = stdout_of(&output);
        for word in english {
            assert!(!text.contains(word), "{lang}: `{word}` left in English");
        }
        for word in words {
            assert!(text.contains(word), "{lang}: no `{word}`");
        }
        let country = if lang == "ja" {
            "セネガル"
        } else {
            "Sénégal"
        };
        assert!(
            text.contains(&format!("country: SN  # {country}")),
            "{lang}"
        );
        // The keys and values the loader reads stay as they are.
        for key in ["answers:", "assessed_on:", "# workforce:", "tlp: amber"] {
            assert!(text.contains(key), "{lang}: no `{key}`");
        }
    }
}
