//! The README's commands, run as a new user types them: every line of a ```sh block
//! and every `$ `-prompted line of a console block, in order, through `sh -c` in a
//! scratch copy of the repository's `questionnaires/`, with the built `capgap` first
//! on `PATH`. Each must exit 0.
//!
//! Not run: `cargo ...` (the set-up, install and benchmark commands build and test
//! this very project), `python3 ...` (needs PyYAML), `export ...` (this test sets
//! `PATH` itself), and any command with `--pdf` (needs a headless Chromium).

use std::path::Path;

use crate::support::root;

/// The README's commands in order, each with its line number. A line ending in `\`
/// continues on the next one, as in a shell.
fn commands(readme: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut fence: Option<String> = None;
    let mut continued = false;
    for (n, line) in readme.lines().enumerate() {
        let trimmed = line.trim_start();
        if continued {
            let last = out.last_mut().expect("a command to continue");
            last.1.push(' ');
            last.1.push_str(trimmed.trim_end_matches('\\').trim_end());
            continued = trimmed.ends_with('\\');
            continue;
        }
        if let Some(info) = trimmed.strip_prefix("```") {
            fence = match fence {
                None => Some(info.trim().to_owned()),
                Some(_) => None,
            };
            continue;
        }
        let command = match fence.as_deref() {
            Some("sh") if !trimmed.is_empty() && !trimmed.starts_with('#') => trimmed,
            Some("") => match trimmed.strip_prefix("$ ") {
                Some(command) => command,
                None => continue,
            },
            _ => continue,
        };
        continued = command.ends_with('\\');
        out.push((n + 1, command.trim_end_matches('\\').trim_end().to_owned()));
    }
    out
}

fn skipped(command: &str) -> bool {
    ["cargo ", "python3 ", "export "]
        .iter()
        .any(|p| command.starts_with(p))
        || command.contains("--pdf")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn every_readme_command_runs_as_written() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let all = commands(&readme);
    let to_run: Vec<&(usize, String)> = all.iter().filter(|(_, c)| !skipped(c)).collect();
    assert!(
        to_run.len() >= 10 && to_run.iter().all(|(_, c)| c.starts_with("capgap ")),
        "the README's commands: {all:?}"
    );
    let scratch = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("questionnaires"),
        &scratch.path().join("questionnaires"),
    );
    let binary = assert_cmd::cargo::cargo_bin("capgap");
    let path = std::env::join_paths(std::iter::once(binary.parent().unwrap().to_owned()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    for (line, command) in to_run {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(scratch.path())
            .env("PATH", &path)
            .env_remove("CAPGAP_CHROME")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "README.md:{line}: `{command}` exited {:?}\n{}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // What the tour promised is there.
    for made in [
        "mekong.yaml",
        "report/index.html",
        "report-shared/index.html",
        "my-theme",
    ] {
        assert!(scratch.path().join(made).exists(), "{made}");
    }
}

#[test]
fn the_extractor_finds_sh_lines_and_prompts_only() {
    let text = "```sh\ncapgap a   # why\n# note\n\n```\n```\n$ capgap b\noutput\n```\n```yaml\n$ no\n```\n";
    let found: Vec<String> = commands(text).into_iter().map(|(_, c)| c).collect();
    assert_eq!(found, ["capgap a   # why", "capgap b"]);
}
