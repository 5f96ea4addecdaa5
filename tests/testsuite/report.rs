//! `capgap report`: page structure, self-containment, escaping of hostile text,
//! confinement of output paths, TLP filtering and anonymisation, and a real PDF.

use std::path::{Path, PathBuf};

use crate::support::{capgap, fixture, mini, stderr_of};

/// Runs `capgap --model mini report <hostile fixtures> -o <tmp> ARGS` and returns the output folder.
fn report(extra: &[&str]) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("report");
    let output = mini()
        .arg("report")
        .arg(fixture("report/hostile"))
        .arg("-o")
        .arg(&out)
        .args(extra)
        .output()
        .expect("runs");
    (dir, out, output)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn html_pages(dir: &Path) -> Vec<(PathBuf, String)> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("utf-8");
            (p, text)
        })
        .collect()
}

#[test]
fn pages_are_self_contained_labelled_and_escaped() {
    let (_dir, out, output) = report(&[]);
    // The escape attempt is invalid (its operator_id): exit 1, the rest is written.
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("operator_id `../../outside` is not a safe identifier"));
    let pages = html_pages(&out);
    let names: Vec<String> = pages
        .iter()
        .map(|(p, _)| p.strip_prefix(&out).unwrap().display().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "countries/FJ.html",
            "countries/KH.html",
            "index.html",
            "operators/kh-hostile.html",
            "operators/secret-rail-company.html"
        ]
    );
    for (path, html) in &pages {
        let path = path.display();
        assert!(
            html.contains("http-equiv=\"Content-Security-Policy\""),
            "{path}: no CSP"
        );
        assert!(
            html.contains("default-src 'none'"),
            "{path}: CSP not restrictive"
        );
        assert!(html.contains("TLP:"), "{path}: no TLP label");
        assert!(!html.contains("<script"), "{path}: a script element");
        assert!(!html.contains("<img"), "{path}: an img element");
        assert!(!html.contains("<svg onload"), "{path}: unescaped note");
        assert!(
            !html.contains("href='javascript"),
            "{path}: unescaped evidence"
        );
        assert!(!html.contains("<link"), "{path}: an external stylesheet");
        let without_xmlns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
        assert!(
            !without_xmlns.contains("src=\"http"),
            "{path}: a remote resource"
        );
        assert!(
            !without_xmlns.contains("url(http"),
            "{path}: a remote resource in CSS"
        );
    }
    let operator = &pages[3].1;
    assert!(
        operator.contains("&lt;script&gt;alert("),
        "the operator name is shown, escaped"
    );
    assert!(operator.contains("<svg"), "charts are inline SVG");
    // The portfolio is as strict as its strictest input: the red questionnaire.
    assert!(pages[2].1.contains("TLP:RED"));
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let (dir, out, _) = report(&[]);
    for file in files_under(dir.path()) {
        assert!(file.starts_with(&out), "{} is outside -o", file.display());
    }
    let expected = [
        "aggregates.json",
        "gaps.csv",
        "index.html",
        "plan.csv",
        "scores.csv",
        "scores.json",
        "workforce.csv",
    ];
    for name in expected {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    assert!(!out.join("outside.html").exists());
    // No staging folder or lock is left behind; the only hidden file is the marker.
    for entry in std::fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with('.') || name == ".capgap-report", "{name}");
    }
    let beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["report"]);
}

#[test]
fn tlp_max_leaves_out_stricter_questionnaires_and_says_so() {
    let (_dir, out, output) = report(&["--tlp-max", "amber"]);
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("reported on 2 of 4 file(s); 1 left out by --tlp-max amber"),
        "{stderr}"
    );
    let all: String = html_pages(&out).into_iter().map(|(_, html)| html).collect();
    assert!(!all.contains("Secret Rail"), "the red operator is left out");
    assert!(!all.contains("TLP:RED"));
    assert!(all.contains("Reported on 2 of 4 file(s); 1 left out by --tlp-max amber."));
    assert!(!all.contains("No input file was excluded"));
    let scores = std::fs::read_to_string(out.join("scores.json")).unwrap();
    assert!(!scores.contains("Secret"));
    assert!(!out.join("countries/FJ.html").exists());
}

#[test]
fn anonymize_removes_names_notes_evidence_and_paths_everywhere() {
    let (_dir, out, _) = report(&["--anonymize"]);
    for file in files_under(&out) {
        let text = crate::support::file_text(&file);
        let name = file.display();
        for secret in [
            "Secret Rail",
            "secret-rail-company",
            "Jane Assessor",
            "Secret note",
            "Secret register",
            "kh-hostile",
            "alert('assessor')",
            ".yaml",
        ] {
            assert!(!text.contains(secret), "{name} contains `{secret}`");
        }
    }
    let pages: Vec<String> = std::fs::read_dir(out.join("operators"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    for page in &pages {
        let tag = page
            .strip_prefix("fj-rail-")
            .or_else(|| page.strip_prefix("kh-power-"))
            .and_then(|rest| rest.strip_suffix(".html"))
            .unwrap_or_else(|| panic!("{page} is not a pseudonym page"));
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_hexdigit()),
            "{page}"
        );
    }
}

#[test]
fn trends_show_on_the_operator_page() {
    let (_dir, out, _) = report(&[]);
    let html = std::fs::read_to_string(out.join("operators/kh-hostile.html")).unwrap();
    assert!(
        html.contains("Previous round"),
        "a second round gives a trend"
    );
    assert!(html.contains("1 June 2025"), "dates in words");
}

#[test]
fn a_template_typo_is_an_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    let output = capgap()
        .args(["templates", "export"])
        .arg(&templates)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(templates.join("operator.hbs").is_file() && templates.join("style.css").is_file());
    let operator = std::fs::read_to_string(templates.join("operator.hbs")).unwrap();
    std::fs::write(
        templates.join("operator.hbs"),
        operator.replacen(
            "<h1>{{operator.name}}</h1>",
            "<h1>{{operator.nmae}}</h1>",
            1,
        ),
    )
    .unwrap();
    let out = dir.path().join("report");
    let output = mini()
        .arg("report")
        .arg(fixture("validate/good"))
        .arg("-o")
        .arg(&out)
        .arg("--templates")
        .arg(&templates)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("operator.hbs"),
        "{}",
        stderr_of(&output)
    );
    assert!(
        files_under(&out).is_empty(),
        "nothing is written: {:?}",
        files_under(&out)
    );
}

#[test]
fn the_report_of_the_shipped_examples_has_every_page_kind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let examples = crate::support::root().join("questionnaires/examples");
    let output = capgap()
        .arg("report")
        .arg(&examples)
        .arg("-o")
        .arg(&out)
        .args(["--budget", "1000000"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let sections: Vec<&str> = index
        .match_indices("<section")
        .map(|(i, _)| {
            let rest = &index[i..];
            let id = rest.find("id=\"").map(|j| &rest[j + 4..]).unwrap_or("");
            &id[..id.find('"').unwrap_or(0)]
        })
        .collect();
    insta::assert_debug_snapshot!("portfolio_sections", sections);
    let countries = files_under(&out.join("countries"));
    assert!(countries.len() >= 8, "a page per country");
    let operators = files_under(&out.join("operators"));
    assert!(operators.len() >= 20, "a page per operator");
    // 642 candidates: the funded ones and the first fifty are listed, plan.csv has all.
    assert!(
        index.contains("candidates are listed"),
        "a long plan is cut, and says so"
    );
    let plan_rows = std::fs::read_to_string(out.join("plan.csv"))
        .unwrap()
        .lines()
        .count();
    assert!(
        plan_rows > 100,
        "plan.csv has every candidate: {plan_rows} lines"
    );
    for link in ["countries/", "operators/"] {
        assert!(
            index.contains(&format!("href=\"{link}")),
            "the portfolio links to {link}"
        );
    }
}

/// Prints the example report with the real browser and checks A4 and page counts.
#[test]
fn pdf_pages_are_a4() {
    // The same lookup as `report --pdf` (CAPGAP_CHROME, then the browsers on PATH).
    if capgap::render::pdf::Chrome::find().is_err() {
        // CI installs chromium-headless-shell; a developer machine without a browser
        // still checks the error message, and says that no PDF was printed.
        eprintln!("pdf_pages_are_a4: no headless Chromium here, so no PDF was printed");
        let (_dir, _out, output) = report(&["--pdf"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr_of(&output).contains("no headless Chromium found"));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let output = mini()
        .arg("report")
        .arg(fixture("validate/good"))
        .arg("-o")
        .arg(&out)
        .arg("--pdf")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let pdfs: Vec<PathBuf> = files_under(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert_eq!(pdfs.len(), 5, "index, 2 countries, 2 operators: {pdfs:?}");
    for pdf in pdfs {
        let info = std::process::Command::new("pdfinfo")
            .arg(&pdf)
            .output()
            .expect("pdfinfo (poppler-utils) is installed");
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("(A4)"), "{}: {info}", pdf.display());
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("a page count");
        assert!(
            (1..=40).contains(&pages),
            "{}: {pages} pages",
            pdf.display()
        );
    }
}

/// The number ending at byte `end` of `text` (digits and one dot), if any.
fn number_before(text: &str, end: usize) -> Option<f64> {
    let start = text[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, _)| i)?;
    text[start..end].parse().ok()
}

/// The number starting at byte `start` of `text`, and where it ends.
fn number_after(text: &str, start: usize) -> Option<(f64, usize)> {
    let len = text[start..]
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len() - start);
    Some((text[start..start + len].parse().ok()?, start + len))
}

/// Every "a → b (+c)" and "▲ +c among … : a → b" printed on a page agrees with
/// itself: the change is `b - a` to print precision and the arrow points its way.
fn assert_trends_agree(page: &str, html: &str) -> usize {
    let mut checked = 0;
    for (at, _) in html.match_indices(" → ") {
        let (Some(from), Some((to, end))) = (number_before(html, at), number_after(html, at + 5))
        else {
            continue;
        };
        let rest = &html[end..];
        let change = if let Some(signed) = rest.strip_prefix(" (") {
            // "a → b (+c)": the change printed after the values.
            let (sign, digits) = signed.split_at(signed.chars().next().map_or(0, char::len_utf8));
            let Some((c, _)) = number_after(digits, 0) else {
                continue;
            };
            match sign {
                "+" => Some(c),
                "−" => Some(-c),
                "±" => Some(0.0),
                _ => None,
            }
        } else {
            None
        };
        if let Some(change) = change {
            assert!(
                ((to - from) - change).abs() <= 0.11,
                "{page}: {from} → {to} printed with a change of {change}"
            );
            checked += 1;
        }
    }
    // "▲&#8202;+c</span> <small>among k of n operators assessed twice: a → b"
    for (at, _) in html.match_indices("operators assessed twice: ") {
        let start = at + "operators assessed twice: ".len();
        let Some((from, end)) = number_after(html, start) else {
            continue;
        };
        let Some((to, _)) = html[end..]
            .strip_prefix(" → ")
            .and_then(|_| number_after(html, end + " → ".len()))
        else {
            continue;
        };
        let before = &html[..at];
        let arrow_at = before
            .rfind("class=\"trend trend-")
            .expect("an arrow before the panel");
        let direction = &before[arrow_at + 19..arrow_at + 23];
        let expected = if to - from > 0.05 {
            "up\" "
        } else if from - to > 0.05 {
            "down"
        } else {
            "same"
        };
        assert_eq!(
            &direction[..expected.len()],
            expected,
            "{page}: arrow for {from} → {to}"
        );
        checked += 1;
    }
    checked
}

#[test]
fn aggregate_trends_are_over_the_panel_and_say_how_many_it_holds() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("report");
    let output = mini()
        .arg("report")
        .arg(fixture("report/panel"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("aggregates.json")).unwrap())
            .unwrap();
    // Alpha was assessed twice; Beta joined in 2026; Gamma was assessed in 2025 only.
    let trend = &json["countries"][0]["trend"];
    assert_eq!(
        (trend["panel"].as_u64(), trend["operators"].as_u64()),
        (Some(1), Some(3))
    );
    let index = &trend["index"];
    let (previous, current, change) = (
        index["previous"].as_f64().unwrap(),
        index["current"].as_f64().unwrap(),
        index["change"].as_f64().unwrap(),
    );
    assert!((current - previous - change).abs() < 1e-9);
    let printed = format!("among 1 of 3 operators assessed twice: {previous:.1} → {current:.1}");
    let country = std::fs::read_to_string(out.join("countries/KH.html")).unwrap();
    assert!(country.contains(&printed), "{printed} on the country page");
    assert!(country.contains(&format!("+{change:.1}")));
    let portfolio = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        portfolio.contains("Cambodia (1 of 3)"),
        "the panel size on the chart"
    );
    assert!(portfolio.contains(&format!("{previous:.1} → {current:.1} (+{change:.1})")));
    // Nowhere a trend that disagrees with the values beside it.
    let mut checked = 0;
    for (path, html) in html_pages(&out) {
        checked += assert_trends_agree(&path.display().to_string(), &html);
    }
    assert!(checked >= 4, "{checked} trends checked");
}

#[test]
fn printed_trends_agree_with_their_values_on_the_shipped_examples() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("report");
    let output = capgap()
        .arg("report")
        .arg(crate::support::root().join("questionnaires/examples"))
        .arg("-o")
        .arg(&out)
        .args(["--budget", "1000000"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let mut checked = 0;
    for (path, html) in html_pages(&out) {
        checked += assert_trends_agree(&path.display().to_string(), &html);
    }
    assert!(checked >= 20, "{checked} trends checked");
}
