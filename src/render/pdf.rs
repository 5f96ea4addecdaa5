//! Printing report pages to PDF with a headless Chromium. Finds the browser
//! (`CAPGAP_CHROME`, else well-known names on `PATH`), runs it once per page with
//! a fresh profile and networking off, kills it after a timeout, and writes each
//! PDF through a temporary file renamed into place, so a PDF is whole or absent.
//! Many pages print in parallel on a bounded pool; each failure is reported with
//! its page. Touches only the page files, their PDFs and temporary profiles.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

/// The environment variable naming the browser to use.
pub const CHROME_ENV: &str = "CAPGAP_CHROME";

/// Names tried on `PATH`, in order.
const CANDIDATES: &[&str] = &[
    "chromium-headless-shell",
    "chromium",
    "google-chrome",
    "google-chrome-stable",
];

/// Absolute paths tried when nothing is found on `PATH`.
const KNOWN_PATHS: &[&str] = &[
    "/usr/lib/chromium-headless-shell/chromium-headless-shell",
    "/usr/lib/chromium/chromium-headless-shell",
    "/usr/lib/chromium/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/// How long one page may take before the browser is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A headless Chromium to print with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chrome {
    path: PathBuf,
}

/// One page to print.
#[derive(Debug, Clone)]
pub struct PrintJob {
    pub html: PathBuf,
    pub pdf: PathBuf,
}

/// A page that did not print, and why.
#[derive(Debug)]
pub struct PrintFailure {
    pub html: PathBuf,
    pub error: anyhow::Error,
}

impl Chrome {
    /// The browser named by `CAPGAP_CHROME`, else the first of the known names
    /// found on `PATH`, else a known install location.
    pub fn find() -> Result<Chrome> {
        let env = std::env::var_os(CHROME_ENV);
        let path = std::env::var_os("PATH");
        Chrome::find_in(env, path.as_deref())
    }

    /// `find` with the environment given explicitly.
    pub fn find_in(
        env_choice: Option<OsString>,
        path_var: Option<&std::ffi::OsStr>,
    ) -> Result<Chrome> {
        if let Some(choice) = env_choice.filter(|c| !c.is_empty()) {
            let choice = PathBuf::from(choice);
            let resolved = if choice.components().count() > 1 {
                choice.is_file().then(|| choice.clone())
            } else {
                path_var.and_then(|p| search_path(p, &choice.to_string_lossy()))
            };
            return match resolved {
                Some(path) => Ok(Chrome { path }),
                None => bail!("{CHROME_ENV}={}: no such browser", choice.display()),
            };
        }
        let on_path =
            path_var.and_then(|p| CANDIDATES.iter().find_map(|name| search_path(p, name)));
        let known = || {
            KNOWN_PATHS
                .iter()
                .map(PathBuf::from)
                .find(|path| path.is_file())
        };
        match on_path.or_else(known) {
            Some(path) => Ok(Chrome { path }),
            None => bail!(
                "no headless Chromium found; install chromium-headless-shell or set {CHROME_ENV}"
            ),
        }
    }

    /// The browser at `path`, unchecked.
    pub fn at(path: impl Into<PathBuf>) -> Chrome {
        Chrome { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Prints `html` to `pdf`. The PDF appears only when printing succeeded;
    /// the browser is killed after `timeout`.
    pub fn print(&self, html: &Path, pdf: &Path, timeout: Duration) -> Result<()> {
        let html = std::path::absolute(html)
            .with_context(|| format!("{}: cannot resolve the path", html.display()))?;
        if !html.is_file() {
            bail!("{}: no such page", html.display());
        }
        let dir = pdf
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = pdf
            .file_name()
            .with_context(|| format!("{}: not a file name", pdf.display()))?;
        let partial = dir.join(format!(
            ".{}.{}-{}.partial",
            name.to_string_lossy(),
            std::process::id(),
            next_serial()
        ));
        let result = self.print_to(&html, &partial, timeout).and_then(|()| {
            fs::rename(&partial, pdf).with_context(|| format!("{}: cannot write", pdf.display()))
        });
        if result.is_err() {
            let _ = fs::remove_file(&partial);
        }
        result
    }

    fn print_to(&self, html: &Path, out: &Path, timeout: Duration) -> Result<()> {
        let profile = tempfile::Builder::new()
            .prefix("capgap-chrome-")
            .tempdir()
            .context("cannot create a temporary browser profile")?;
        let log_path = profile.path().join("capgap-browser.log");
        let log = fs::File::create(&log_path)
            .with_context(|| format!("{}: cannot create", log_path.display()))?;
        let out_abs = std::path::absolute(out)
            .with_context(|| format!("{}: cannot resolve the path", out.display()))?;
        let mut command = Command::new(&self.path);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--mute-audio",
                "--no-pdf-header-footer",
                "--run-all-compositor-stages-before-draw",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--print-to-pdf={}", out_abs.display()))
            .arg(file_url(html))
            .stdin(Stdio::null())
            .stdout(log.try_clone().context("cannot share the browser log")?)
            .stderr(log);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so a timeout can end the renderers too.
            command.process_group(0);
        }
        let mut child = command
            .spawn()
            .with_context(|| format!("{}: cannot start the browser", self.path.display()))?;
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().context("cannot wait for the browser")? {
                break status;
            }
            if started.elapsed() >= timeout {
                kill_group(&mut child);
                bail!(
                    "{}: the browser did not finish within {} s",
                    html.display(),
                    timeout.as_secs()
                );
            }
            thread::sleep(Duration::from_millis(50));
        };
        let log = fs::read_to_string(&log_path).unwrap_or_default();
        let tail = last_lines(&log, 3);
        if !status.success() {
            bail!("{}: the browser failed ({status}){tail}", html.display());
        }
        let head = fs::read(out)
            .map(|bytes| bytes.starts_with(b"%PDF-"))
            .unwrap_or(false);
        if !head {
            bail!("{}: the browser wrote no PDF{tail}", html.display());
        }
        Ok(())
    }
}

/// Prints every job on at most `threads` browsers at once; returns the failures,
/// in job order.
pub fn print_all(
    chrome: &Chrome,
    jobs: &[PrintJob],
    threads: usize,
    timeout: Duration,
) -> Result<Vec<PrintFailure>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .context("cannot start the print workers")?;
    let results: Vec<Result<()>> = pool.install(|| {
        jobs.par_iter()
            .map(|job| chrome.print(&job.html, &job.pdf, timeout))
            .collect()
    });
    Ok(jobs
        .iter()
        .zip(results)
        .filter_map(|(job, result)| {
            result.err().map(|error| PrintFailure {
                html: job.html.clone(),
                error,
            })
        })
        .collect())
}

fn search_path(path_var: &std::ffi::OsStr, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path_var)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `file://` URL of an absolute path, percent-encoding all but unreserved bytes.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut url = String::from("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.' | b'~') {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

fn next_serial() -> u64 {
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

fn last_lines(log: &str, count: usize) -> String {
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = &lines[lines.len().saturating_sub(count)..];
    if tail.is_empty() {
        String::new()
    } else {
        format!(": {}", tail.join(" | "))
    }
}

/// Kills the browser and everything it started.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/é#.html")),
            "file:///tmp/a%20b/%C3%A9%23.html"
        );
    }

    #[test]
    fn finding_the_browser() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("chromium");
        fs::write(&fake, "").unwrap();
        let path_var = dir.path().as_os_str().to_owned();

        let found = Chrome::find_in(None, Some(&path_var)).unwrap();
        assert_eq!(found.path(), fake);
        let named = Chrome::find_in(Some(fake.clone().into()), None).unwrap();
        assert_eq!(named.path(), fake);
        let by_name = Chrome::find_in(Some("chromium".into()), Some(&path_var)).unwrap();
        assert_eq!(by_name.path(), fake);
        let missing = Chrome::find_in(Some("/nowhere/chrome".into()), Some(&path_var)).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "CAPGAP_CHROME=/nowhere/chrome: no such browser"
        );
    }

    #[cfg(unix)]
    fn fake_browser(dir: &Path, body: &str) -> Chrome {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("fake-chrome");
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        Chrome::at(path)
    }

    /// A fake browser that writes `%PDF-` to the `--print-to-pdf=` path, or fails
    /// for pages whose name contains "bad".
    #[cfg(unix)]
    const FAKE_PRINTER: &str = r#"for arg in "$@"; do
  case "$arg" in --print-to-pdf=*) out="${arg#--print-to-pdf=}";; file://*) url="$arg";; esac
done
case "$url" in *bad*) echo "page crashed" >&2; exit 3;; esac
printf '%%PDF-1.7 fake' > "$out""#;

    #[cfg(unix)]
    #[test]
    fn prints_many_pages_and_reports_failures() {
        let dir = tempfile::tempdir().unwrap();
        let chrome = fake_browser(dir.path(), FAKE_PRINTER);
        let mut jobs = Vec::new();
        for name in ["a", "bad", "c d"] {
            let html = dir.path().join(format!("{name}.html"));
            fs::write(&html, "<!DOCTYPE html>").unwrap();
            jobs.push(PrintJob {
                pdf: html.with_extension("pdf"),
                html,
            });
        }
        let failures = print_all(&chrome, &jobs, 2, Duration::from_secs(20)).unwrap();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].html, jobs[1].html);
        let message = failures[0].error.to_string();
        assert!(
            message.contains("the browser failed") && message.contains("page crashed"),
            "{message}"
        );
        assert_eq!(fs::read(&jobs[0].pdf).unwrap(), b"%PDF-1.7 fake");
        assert!(jobs[2].pdf.is_file());
        assert!(!jobs[1].pdf.exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_hung_browser_is_killed_and_leaves_no_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let chrome = fake_browser(dir.path(), "sleep 30");
        let html = dir.path().join("page.html");
        fs::write(&html, "<!DOCTYPE html>").unwrap();
        let pdf = dir.path().join("page.pdf");
        let started = Instant::now();
        let error = chrome
            .print(&html, &pdf, Duration::from_millis(300))
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10));
        assert!(
            error.to_string().contains("did not finish within"),
            "{error}"
        );
        assert!(!pdf.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_browser_that_writes_nothing_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let chrome = fake_browser(dir.path(), "exit 0");
        let html = dir.path().join("page.html");
        fs::write(&html, "<!DOCTYPE html>").unwrap();
        let pdf = dir.path().join("page.pdf");
        let error = chrome
            .print(&html, &pdf, Duration::from_secs(20))
            .unwrap_err();
        assert!(error.to_string().contains("wrote no PDF"), "{error}");
        assert!(!pdf.exists());
    }
}
