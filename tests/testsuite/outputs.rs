//! Outputs never leak or destroy data (SPEC §6, §7): the report folder is owned,
//! locked and switched whole (also under kill -9 and a second run), nothing of an
//! input left out by `--tlp-max` or anonymised appears, pseudonyms are keyed and
//! stable, links are not followed, page names do not collide, `-o` never replaces
//! an input, and usage errors are errors, not panics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{capgap, fixture, root, stderr_of};

/// An example questionnaire (power, KH, TLP amber+strict) as text.
fn example() -> String {
    std::fs::read_to_string(
        root().join("questionnaires/examples/kh/kh-cardamom-transmission-2026.yaml"),
    )
    .expect("the example exists")
}

/// The example with another operator, id and TLP.
fn variant(name: &str, id: &str, tlp: &str) -> String {
    example()
        .replace(
            "operator: \"Cardamom Grid Transmission Company\"",
            &format!("operator: \"{name}\""),
        )
        .replace(
            "operator_id: kh-cardamom-transmission",
            &format!("operator_id: {id}"),
        )
        .replace("tlp: amber+strict", &format!("tlp: {tlp}"))
}

/// An invalid variant: it has an unknown field.
fn invalid_variant(name: &str, id: &str, tlp: &str) -> String {
    format!("{}\nnot_a_field: 1\n", variant(name, id, tlp))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// `n` distinct operators (TLP green), for runs that take a while.
fn many(dir: &Path, n: usize) {
    for i in 0..n {
        let text = variant(
            &format!("Generated Grid {i}"),
            &format!("kh-gen-{i}"),
            "green",
        );
        write(dir, &format!("gen-{i:04}.yaml"), &text);
    }
}

/// Every file under `dir`, relative, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().display().to_string();
            (relative, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn all_text(dir: &Path) -> String {
    tree(dir)
        .into_values()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

fn key() -> PathBuf {
    fixture("outputs/anonymize.key")
}

fn report(inputs: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    capgap()
        .arg("report")
        .arg(inputs)
        .arg("-o")
        .arg(out)
        .args(extra)
        .output()
        .expect("runs")
}

fn examples() -> PathBuf {
    root().join("questionnaires/examples")
}

#[test]
fn a_reused_folder_holds_exactly_the_last_runs_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("R");
    let first = report(&examples(), &out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    assert!(
        out.join("operators/kh-cardamom-transmission.html")
            .is_file()
    );

    let strict = ["--tlp-max", "amber", "--anonymize", "--anonymize-key"];
    let mut args: Vec<&str> = strict.to_vec();
    let key = key();
    args.push(key.to_str().unwrap());
    let second = report(&examples(), &out, &args);
    assert_eq!(second.status.code(), Some(0), "{}", stderr_of(&second));
    let fresh = dir.path().join("fresh");
    report(&examples(), &fresh, &args);
    let (reused, fresh) = (tree(&out), tree(&fresh));
    assert_eq!(
        reused.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "the reused folder has exactly the files of a fresh run"
    );
    let text = all_text(&out);
    assert!(!text.contains("TLP:RED"));
    // No real name, id or file name of any example is left, in any file.
    for entry in walkdir::WalkDir::new(examples()) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".yaml") {
            continue;
        }
        assert!(!text.contains(&name), "the file name {name} is left");
        let source = std::fs::read_to_string(entry.path()).unwrap();
        for line in source.lines() {
            for field in ["operator: ", "operator_id: "] {
                if let Some(value) = line.strip_prefix(field) {
                    let value = value.split(" #").next().unwrap().trim().trim_matches('"');
                    assert!(!text.contains(value), "`{value}` is left");
                }
            }
        }
    }
    // Nothing of the run is left beside the folder.
    assert_eq!(names_in(dir.path()), ["R", "fresh"]);
}

#[test]
fn a_folder_that_is_neither_empty_nor_a_report_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write(dir.path(), "mine/notes.txt", "my notes");
    let output = report(&examples().join("fj"), &dir.path().join("mine"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("is not empty and is not a capgap report"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "my notes");
    assert_eq!(names_in(&dir.path().join("mine")), ["notes.txt"]);
    assert_eq!(names_in(dir.path()), ["mine"]);

    let root_dir = report(&examples().join("fj"), Path::new("/"), &[]);
    assert_eq!(root_dir.status.code(), Some(2), "{}", stderr_of(&root_dir));

    // An empty folder is fine, and so is a file's place refused.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let empty = report(&examples().join("fj"), &dir.path().join("empty"), &[]);
    assert_eq!(empty.status.code(), Some(0), "{}", stderr_of(&empty));
    let file = report(&examples().join("fj"), &notes, &[]);
    assert_eq!(file.status.code(), Some(2));
    assert!(stderr_of(&file).contains("is not a folder"));
}

#[cfg(unix)]
#[test]
fn links_are_refused_for_the_output_folder_and_templates() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    let output = report(&examples().join("fj"), &link, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("is a symbolic link"));
    assert!(names_in(&elsewhere).is_empty());

    let templates = dir.path().join("templates");
    let export = capgap()
        .args(["templates", "export"])
        .arg(&templates)
        .output()
        .unwrap();
    assert!(export.status.success());
    let secret = write(dir.path(), "secret.txt", "SECRET-PASSWORD-LINE");
    std::fs::remove_file(templates.join("footer.hbs")).unwrap();
    std::os::unix::fs::symlink(&secret, templates.join("footer.hbs")).unwrap();
    let out = dir.path().join("R");
    let output = report(
        &examples().join("fj"),
        &out,
        &["--templates", templates.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("footer.hbs: is a symbolic link"),
        "{stderr}"
    );
    assert!(!stderr.contains("SECRET-PASSWORD"));
    assert!(!out.exists());

    // `templates export --force` replaces the link, never writes through it.
    let again = capgap()
        .args(["templates", "export"])
        .arg(&templates)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr_of(&again).contains("pass --force to overwrite them"));
    let forced = capgap()
        .args(["templates", "export", "--force"])
        .arg(&templates)
        .output()
        .unwrap();
    assert!(forced.status.success(), "{}", stderr_of(&forced));
    assert_eq!(
        std::fs::read_to_string(&secret).unwrap(),
        "SECRET-PASSWORD-LINE"
    );
    assert!(
        !std::fs::symlink_metadata(templates.join("footer.hbs"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn a_link_planted_in_an_earlier_report_is_replaced_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("R");
    let first = report(&examples().join("fj"), &out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    let outside = dir.path().join("outside");
    write(&outside, "keep.txt", "keep");
    std::fs::remove_dir_all(out.join("operators")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("operators")).unwrap();
    let second = report(&examples().join("fj"), &out, &[]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr_of(&second));
    assert_eq!(
        names_in(&outside),
        ["keep.txt"],
        "nothing written through the link"
    );
    let operators = std::fs::symlink_metadata(out.join("operators")).unwrap();
    assert!(operators.is_dir() && !operators.file_type().is_symlink());
}

/// Waits until `ready` holds, for at most a minute.
fn wait_for(mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if ready() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

fn binary() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("capgap"));
    cmd.env_remove("CAPGAP_CHROME")
        .env(
            "XDG_CONFIG_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("config"),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// The staging folders beside `out`.
fn staging_beside(out: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".capgap-staging-"))
        .map(|e| e.path())
        .collect()
}

#[test]
fn a_run_killed_while_writing_pages_leaves_the_old_report() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    many(&inputs, 150);
    let out = dir.path().join("R");
    let old = report(&examples().join("fj"), &out, &[]);
    assert_eq!(old.status.code(), Some(0), "{}", stderr_of(&old));
    let before = tree(&out);

    let mut child = binary()
        .arg("report")
        .arg(&inputs)
        .arg("-o")
        .arg(&out)
        .spawn()
        .unwrap();
    // Kill it once it has written some pages into its staging folder.
    let started = wait_for(|| {
        staging_beside(&out)
            .iter()
            .any(|s| std::fs::read_dir(s.join("operators")).is_ok_and(|d| d.count() > 0))
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(started, "the run never reached the page phase");
    assert_eq!(tree(&out), before, "the old report, whole and unmixed");
    assert!(
        !staging_beside(&out).is_empty(),
        "the killed run's staging folder"
    );

    // The next run cleans up after the killed one.
    let next = report(
        &examples().join("fj"),
        &out,
        &["--anonymize", "--anonymize-key", key().to_str().unwrap()],
    );
    assert_eq!(next.status.code(), Some(0), "{}", stderr_of(&next));
    assert!(staging_beside(&out).is_empty());
    assert_eq!(names_in(dir.path()), ["R", "inputs"]);
}

/// The PDF phase, with a stand-in browser that says when it starts and then hangs
/// for a few seconds (it writes nothing): the run is killed while it waits.
#[cfg(unix)]
#[test]
fn a_run_killed_while_printing_pdfs_leaves_the_old_report() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("R");
    let old = report(&examples().join("fj"), &out, &[]);
    assert_eq!(old.status.code(), Some(0), "{}", stderr_of(&old));
    let before = tree(&out);
    let started = dir.path().join("browser-started");
    let browser = write(
        dir.path(),
        "browser.sh",
        &format!(
            "#!/bin/sh\ntouch '{}'\nsleep 3\nexit 1\n",
            started.display()
        ),
    );
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = binary()
        .env("CAPGAP_CHROME", &browser)
        .arg("report")
        .arg(examples())
        .arg("-o")
        .arg(&out)
        .arg("--pdf")
        .spawn()
        .unwrap();
    let printing = wait_for(|| started.exists());
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(printing, "the run never reached the PDF phase");
    assert_eq!(tree(&out), before, "the old report, whole and unmixed");
    let next = report(&examples().join("fj"), &out, &[]);
    assert_eq!(next.status.code(), Some(0), "{}", stderr_of(&next));
    assert!(staging_beside(&out).is_empty());
}

#[test]
fn a_failed_pdf_names_the_page_in_the_report_folder_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("R");
    let output = capgap()
        .env("CAPGAP_CHROME", "/bin/false")
        .arg("report")
        .arg(examples().join("fj"))
        .arg("-o")
        .arg(&out)
        .arg("--pdf")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("could not be printed to PDF"), "{stderr}");
    assert!(stderr.contains(&format!("{}/", out.display())), "{stderr}");
    assert!(!stderr.contains("capgap-staging"), "{stderr}");
    assert!(
        names_in(dir.path()).is_empty(),
        "{:?}",
        names_in(dir.path())
    );
}

#[test]
fn a_second_run_into_the_same_folder_is_refused_while_the_first_writes() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    many(&inputs, 100);
    let out = dir.path().join("R");
    let lock = dir.path().join(".R.capgap-lock");
    let mut first = binary()
        .arg("report")
        .arg(&inputs)
        .arg("-o")
        .arg(&out)
        .spawn()
        .unwrap();
    assert!(wait_for(|| lock.exists()), "the first run took the lock");
    let second = report(&examples().join("fj"), &out, &["--lang", "fr"]);
    let status = first.wait().unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(
        stderr_of(&second).contains("another capgap run is writing"),
        "{}",
        stderr_of(&second)
    );
    assert!(status.success());
    // The folder is the first run's report alone: 100 operators, no example's page.
    let pages = names_in(&out.join("operators"));
    assert_eq!(pages.len(), 100);
    assert!(pages.iter().all(|p| p.starts_with("kh-gen-")));
    assert!(!lock.exists(), "the lock is removed at the end");
}

/// Inputs for the leak tests: a green and a red valid questionnaire, an invalid red
/// one and an invalid amber one.
fn leak_inputs(dir: &Path) -> PathBuf {
    let inputs = dir.join("inputs");
    write(
        &inputs,
        "green.yaml",
        &variant("Open Grid", "kh-open-grid", "green"),
    );
    write(
        &inputs,
        "kh-secret-red-valid.yaml",
        &variant("Secret Red Utility", "kh-secret-red-utility", "red"),
    );
    write(
        &inputs,
        "kh-secret-red-broken.yaml",
        &invalid_variant("Secret Broken Utility", "kh-secret-broken", "red"),
    );
    write(
        &inputs,
        "amber-broken.yaml",
        &invalid_variant("Amber Broken Utility", "kh-amber-broken", "amber"),
    );
    inputs
}

#[test]
fn nothing_of_a_left_out_input_appears_in_messages_or_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = leak_inputs(dir.path());
    let out = dir.path().join("R");
    let output = report(&inputs, &out, &["--tlp-max", "amber"]);
    assert_eq!(output.status.code(), Some(1), "the amber file is invalid");
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("reported on 1 of 4 file(s); 2 left out by --tlp-max amber"),
        "{stderr}"
    );
    assert!(
        stderr.contains("amber-broken.yaml"),
        "a kept invalid file is named"
    );
    let text = all_text(&out);
    for leaked in [&stderr, &text] {
        assert!(!leaked.contains("secret"), "{leaked}");
        assert!(!leaked.contains("Secret"));
    }
    assert!(text.contains("Reported on 1 of 4 file(s); 2 left out by --tlp-max amber."));
    assert!(!text.contains("No input file was excluded"));

    for command in [["score", "--format"], ["plan", "--format"]] {
        let output = capgap()
            .args(command)
            .arg("json")
            .arg(&inputs)
            .args(["--tlp-max", "amber"])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            stderr_of(&output),
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(!all.to_lowercase().contains("secret"), "{all}");
    }
}

#[test]
fn anonymised_runs_name_no_operator_or_file_in_messages() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = leak_inputs(dir.path());
    let out = dir.path().join("R");
    let key = key();
    let output = report(
        &inputs,
        &out,
        &["--anonymize", "--anonymize-key", key.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(stderr.contains("excluded 2 invalid file(s)"), "{stderr}");
    let text = all_text(&out);
    for leaked in [&stderr, &text] {
        for secret in [
            "secret",
            "Secret",
            "amber-broken",
            "Amber Broken",
            "kh-open-grid",
            "Open Grid",
        ] {
            assert!(!leaked.contains(secret), "`{secret}` in {leaked}");
        }
    }
    assert!(
        text.contains(
            "2 invalid input file(s) were excluded; their names and errors are withheld."
        )
    );
    // One KH power group of two operators: the country page says it is small.
    let country = std::fs::read_to_string(out.join("countries/KH.html")).unwrap();
    assert!(
        country.contains("Only 2 Electric power operator(s) here (fewer than 3)"),
        "{country}"
    );
    assert!(stderr.contains("fewer than 3 operators (--min-group): KH power (2)"));
}

/// The pseudonym of the FJ operator in a report's scores.
fn pseudonym_of(out: &Path) -> String {
    let scores: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("scores.json")).unwrap()).unwrap();
    scores
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["country"] == "FJ")
        .map(|s| s["operator_id"].as_str().unwrap().to_owned())
        .expect("the FJ operator")
}

#[test]
fn pseudonyms_are_keyed_and_stable_whatever_else_the_run_holds() {
    let dir = tempfile::tempdir().unwrap();
    let key = key();
    let key_args = ["--anonymize", "--anonymize-key", key.to_str().unwrap()];
    let all = dir.path().join("all");
    report(&examples(), &all, &key_args);
    let alone = dir.path().join("alone");
    report(&examples().join("fj"), &alone, &key_args);
    let pseudonym = pseudonym_of(&all);
    assert_eq!(pseudonym, pseudonym_of(&alone));
    assert!(pseudonym.starts_with("FJ-POWER-") && pseudonym.len() == "FJ-POWER-".len() + 6);
    assert_ne!(pseudonym, "FJ-POWER-01");

    // Another key, made on first use with mode 0600, gives another pseudonym.
    let new_key = dir.path().join("keys/new.key");
    let other = dir.path().join("other");
    let output = report(
        &examples().join("fj"),
        &other,
        &["--anonymize", "--anonymize-key", new_key.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(stderr_of(&output).contains("created the anonymisation key"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&new_key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_ne!(pseudonym_of(&other), pseudonym);
    let again = dir.path().join("again");
    report(
        &examples().join("fj"),
        &again,
        &["--anonymize", "--anonymize-key", new_key.to_str().unwrap()],
    );
    assert_eq!(pseudonym_of(&again), pseudonym_of(&other));
}

#[test]
fn one_duplicate_round_rule_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    write(
        &inputs,
        "a-green.yaml",
        &variant("Twin Grid", "kh-twin", "green"),
    );
    write(
        &inputs,
        "b-red.yaml",
        &variant("Twin Grid", "kh-twin", "red"),
    );
    let run = |args: &[&str]| -> Option<i32> {
        capgap()
            .args(args)
            .arg(&inputs)
            .output()
            .unwrap()
            .status
            .code()
    };
    // The red one is left out first, so there is no duplicate.
    assert_eq!(run(&["score", "--tlp-max", "green"]), Some(0));
    assert_eq!(run(&["plan", "--tlp-max", "green"]), Some(0));
    assert_eq!(
        run(&["score", "--aggregates", "--tlp-max", "green"]),
        Some(0)
    );
    // Without it, every command reports the second file of the round.
    assert_eq!(run(&["validate"]), Some(1));
    assert_eq!(run(&["score"]), Some(1));
    assert_eq!(run(&["plan"]), Some(1));
    assert_eq!(run(&["score", "--aggregates"]), Some(1));
    let output = capgap()
        .args(["score", "--format", "json"])
        .arg(&inputs)
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains("b-red.yaml: error: a second questionnaire for operator `kh-twin`"),
        "{stderr}"
    );
    assert!(stderr.contains("the first is"), "{stderr}");
    let scores: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        scores.as_array().unwrap().len(),
        1,
        "the first file is kept"
    );
}

#[test]
fn page_names_never_collide() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    write(
        &inputs,
        "upper.yaml",
        &variant("Upper Grid", "KH-A", "green"),
    );
    write(
        &inputs,
        "lower.yaml",
        &variant("Lower Grid", "kh-a", "green"),
    );
    let other = variant("Suffix Grid", "kh-a-2", "green");
    write(&inputs, "suffix.yaml", &other);
    let out = dir.path().join("R");
    let output = report(&inputs, &out, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let pages = names_in(&out.join("operators"));
    assert_eq!(pages.len(), 3, "{pages:?}");
    let lower: std::collections::BTreeSet<String> =
        pages.iter().map(|p| p.to_lowercase()).collect();
    assert_eq!(lower.len(), 3, "unique ignoring case: {pages:?}");
    // The country page links to each of them.
    let country = std::fs::read_to_string(out.join("countries/KH.html")).unwrap();
    for page in &pages {
        assert!(
            country.contains(&format!("operators/{page}")),
            "no link to {page}"
        );
    }
}

#[test]
fn outputs_never_replace_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("inputs");
    let q = write(
        &inputs,
        "q.yaml",
        &variant("Input Grid", "kh-input", "green"),
    );
    let original = std::fs::read(&q).unwrap();
    for args in [
        vec!["score", "--format", "json"],
        vec!["plan", "--format", "csv"],
    ] {
        let output = capgap()
            .args(&args)
            .arg(&inputs)
            .arg("-o")
            .arg(&q)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr_of(&output).contains("it is the input"),
            "{}",
            stderr_of(&output)
        );
        assert_eq!(std::fs::read(&q).unwrap(), original);
    }

    // `template -o` refuses an existing file unless --force.
    let output = capgap()
        .args(["template", "--sector", "power", "-o"])
        .arg(&q)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr_of(&output).contains("pass --force to replace it"));
    assert_eq!(std::fs::read(&q).unwrap(), original);
    let blank = dir.path().join("blank.yaml");
    std::fs::write(&blank, "old").unwrap();
    let forced = capgap()
        .args(["template", "--sector", "power", "--force", "-o"])
        .arg(&blank)
        .output()
        .unwrap();
    assert!(forced.status.success(), "{}", stderr_of(&forced));
    assert_ne!(std::fs::read_to_string(&blank).unwrap(), "old");
}

#[cfg(unix)]
#[test]
fn score_with_no_valid_input_leaves_the_old_output_and_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.yaml",
        &invalid_variant("Bad", "kh-bad", "green"),
    );
    let out = write(dir.path(), "scores.json", "[\"earlier results\"]\n");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let output = capgap()
        .args(["score", "--format", "json"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "[\"earlier results\"]\n"
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
    assert_eq!(names_in(dir.path()), ["bad.yaml", "scores.json"]);
}

#[test]
fn a_failed_report_leaves_no_folder_it_created() {
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    capgap()
        .args(["templates", "export"])
        .arg(&templates)
        .output()
        .unwrap();
    let operator = std::fs::read_to_string(templates.join("operator.hbs")).unwrap();
    std::fs::write(
        templates.join("operator.hbs"),
        operator.replacen("{{operator.name}}", "{{operator.nmae}}", 1),
    )
    .unwrap();
    let out = dir.path().join("new/nested/R");
    let output = report(
        &examples().join("fj"),
        &out,
        &["--templates", templates.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr_of(&output);
    assert!(!stderr.contains("capgap-staging"), "{stderr}");
    assert!(stderr.contains("new/nested/R/operators/"), "{stderr}");
    assert!(
        stderr.contains("the page has no field `operator.nmae`"),
        "{stderr}"
    );
    assert!(
        !dir.path().join("new").exists(),
        "{:?}",
        names_in(dir.path())
    );
}

#[test]
fn jobs_are_capped_with_a_usage_error() {
    for jobs in ["0", "100000", "many"] {
        let output = capgap()
            .args(["-j", jobs, "validate"])
            .arg(examples().join("fj"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "-j {jobs}");
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains("write a number of threads from 1 to 512"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"));
    }
}
