//! The whole-or-nothing writer behind `-o FILE`: an [`Output`] is standard
//! output, a device written in place (`-o /dev/null`), or a temporary file beside
//! the target that [`Output::finish`] renames into place, so a failed run never
//! leaves half a file or replaces a good one. [`emit`] writes one buffer that way;
//! [`finish_output`] leaves an existing file alone when no questionnaire was valid.
//! Refusing an output that is one of the run's inputs is the commands' business
//! (`commands::refuse_input_as_output`): it needs the run's inputs and options.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

/// An output written whole or not at all: standard output, a device written in
/// place, or a temporary file beside the target renamed into place by `finish`.
pub enum Output {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    Device(std::io::BufWriter<std::fs::File>, PathBuf),
    File(std::io::BufWriter<tempfile::NamedTempFile>, PathBuf),
}

impl Output {
    /// Opens `-o FILE`, or standard output without one.
    pub fn create(path: Option<&Path>) -> Result<Output> {
        let Some(path) = path else {
            return Ok(Output::Stdout(std::io::BufWriter::new(std::io::stdout())));
        };
        // A device or a pipe (`-o /dev/null`) is written in place, never replaced.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            return Ok(Output::Device(
                std::io::BufWriter::new(file),
                path.to_owned(),
            ));
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        if path.is_dir() {
            bail!("{} is a folder; give a file name with -o", path.display());
        }
        let file =
            new_file_beside(dir).with_context(|| format!("cannot write to {}", dir.display()))?;
        Ok(Output::File(std::io::BufWriter::new(file), path.to_owned()))
    }

    /// Writes bytes; a closed standard output (`| head`) is not an error.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let result = match self {
            Output::Stdout(w) => w.write_all(bytes),
            Output::Device(w, _) => w.write_all(bytes),
            Output::File(w, _) => w.write_all(bytes),
        };
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.with_context(|| format!("cannot write {}", self.name())),
        }
    }

    fn name(&self) -> String {
        match self {
            Output::Stdout(_) => "standard output".to_owned(),
            Output::Device(_, path) | Output::File(_, path) => path.display().to_string(),
        }
    }

    /// Drops a file output unwritten: an existing file at its path is left as it
    /// was. Standard output and devices have been written already.
    pub fn abandon(self) -> Result<()> {
        match self {
            Output::File(..) => Ok(()),
            other => other.finish(),
        }
    }

    /// Whether this output replaces a file (and so can be left untouched).
    pub fn is_file(&self) -> bool {
        matches!(self, Output::File(..))
    }

    /// Flushes and, for a file, renames it into place.
    pub fn finish(self) -> Result<()> {
        let name = self.name();
        match self {
            Output::Stdout(mut w) => match w.flush() {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            },
            Output::Device(mut w, _) => w.flush().with_context(|| format!("cannot write {name}")),
            Output::File(w, path) => {
                let file = w
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("cannot write {name}"))?;
                file.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {name}"))?;
                Ok(())
            }
        }
    }
}

/// Puts a file output in place, unless no questionnaire was valid: an existing
/// file is then left as it was rather than replaced by an empty one.
/// `note` is told why, for the run's notices.
pub fn finish_output(output: Output, processed: usize, note: impl FnOnce(&str)) -> Result<()> {
    if processed == 0 && output.is_file() {
        output.abandon()?;
        note("no valid questionnaire: the output file was not written");
        return Ok(());
    }
    output.finish()
}

/// A temporary file in `dir` with the mode a new file gets (0666 less the umask,
/// usually 0644, like the report's files) rather than tempfile's private 0600.
fn new_file_beside(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Writes to `-o FILE` (whole or not at all) or to standard output.
pub fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    let mut out = Output::create(output)?;
    out.write(bytes)?;
    out.finish()
}
