//! The folder `report -o DIR` owns (SPEC §6). A run builds the whole report in a
//! staging folder beside DIR (`.DIR.capgap-staging-XXXX`, same file system) and
//! then switches it with DIR in one atomic step (`renameat2(RENAME_EXCHANGE)` on
//! Linux; elsewhere two renames, with DIR missing for an instant but never mixed).
//! So a reader, or a run killed at any point, sees the old report or the new one,
//! never a mix, and DIR holds exactly the files of the last run that finished.
//!
//! What readers see: DIR is a stable path whose folder is replaced as a whole, so a
//! script that opens `DIR/index.html` after a run gets the new report; a page that is
//! already open, or a shell whose working folder is DIR, keeps the old folder (deleted
//! once switched). DIR is refused unless it is missing, empty, or an earlier capgap
//! report (it holds the marker file `.capgap-report`), so `-o ~` or `-o src` cannot
//! wipe a folder. A lock file beside DIR (`.DIR.capgap-lock`, advisory, removed at
//! the end of the run) stops a second run into the same DIR; staging folders of
//! killed runs (named and marked by capgap, and not locked by a live run since
//! their run held the lock) are removed by the next run. Messages name DIR and the
//! file in it, never the staging folder.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Component, Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use super::{io_reason, resolved};
use crate::files::same_file;

/// The marker file of a capgap report folder, and its first line.
pub const MARKER: &str = ".capgap-report";
const MARKER_TEXT: &str = "capgap report folder, format 1\n";

/// A report folder being written: locked, with its staging folder.
pub struct ReportDir {
    /// DIR as the user wrote it, for messages.
    shown: PathBuf,
    /// DIR with a resolved parent.
    target: PathBuf,
    parent: PathBuf,
    /// The staging folder until the switch.
    staging: Option<PathBuf>,
    /// Folders above DIR that this run created, deepest last, removed on failure.
    created: Vec<PathBuf>,
    lock: DirLock,
}

impl ReportDir {
    /// Checks that the report may go to `dir`, takes the lock, removes what killed
    /// runs left, and creates the staging folder. `inputs` (questionnaires, the
    /// templates folder) must not lie inside `dir`, which the switch replaces.
    pub fn open(dir: &Path, inputs: &[&Path]) -> Result<ReportDir> {
        let shown = dir.to_owned();
        let show = shown.display();
        let existing = match fs::symlink_metadata(dir) {
            Ok(meta) if meta.file_type().is_symlink() => bail!(
                "{show} is a symbolic link; give the folder itself with -o (capgap replaces the folder, not what the link points to)"
            ),
            Ok(meta) if !meta.is_dir() => {
                bail!("{show} is not a folder; give a new or empty folder with -o")
            }
            Ok(_) => true,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
            Err(err) => bail!(
                "cannot use {show} as the report folder: {}",
                io_reason(&err)
            ),
        };
        let mut created = Vec::new();
        let (parent, name) = if existing {
            let canonical = fs::canonicalize(dir).map_err(|err| {
                anyhow!(
                    "cannot use {show} as the report folder: {}",
                    io_reason(&err)
                )
            })?;
            match (canonical.parent(), canonical.file_name()) {
                (Some(parent), Some(name)) => (parent.to_owned(), name.to_owned()),
                _ => bail!(
                    "{show} is not empty and is not a capgap report; give a new or empty folder with -o"
                ),
            }
        } else {
            let name = match dir.components().next_back() {
                Some(Component::Normal(name)) => name.to_owned(),
                _ => bail!("{show} does not name a folder; give a new or empty folder with -o"),
            };
            let parent = match dir.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
                _ => PathBuf::from("."),
            };
            create_parents(&parent, &mut created).map_err(|err| {
                anyhow!(
                    "cannot create the folder {}: {}",
                    parent.display(),
                    io_reason(&err)
                )
            })?;
            let parent = fs::canonicalize(&parent).map_err(|err| {
                anyhow!(
                    "cannot use {} for the report: {}",
                    parent.display(),
                    io_reason(&err)
                )
            })?;
            (parent, name)
        };
        let target = parent.join(&name);
        let guard = Cleanup(created);

        let lock = lock(&parent, &name, &shown)?;
        if existing {
            check_owned(&target, &shown)?;
        }
        for input in inputs {
            if let Some(input) = resolved(input)
                && input.starts_with(&target)
            {
                bail!(
                    "{} is inside the report folder {show}, which each run replaces as a whole; keep inputs and templates outside it",
                    input.display()
                );
            }
        }
        remove_stale(&parent, &name);
        let staging = create_staging(&parent, &name, existing.then_some(target.as_path()))
            .map_err(|err| anyhow!("cannot write to {}: {}", parent.display(), io_reason(&err)))?;
        Ok(ReportDir {
            shown,
            target,
            parent,
            staging: Some(staging),
            created: guard.disarm(),
            lock,
        })
    }

    /// The staging folder the run writes into.
    pub fn staging(&self) -> &Path {
        self.staging.as_deref().expect("not switched yet")
    }

    /// How a message names `relative` in the report: `DIR/relative`.
    pub fn shown(&self, relative: &str) -> String {
        self.shown.join(relative).display().to_string()
    }

    /// Switches the staging folder with DIR, then removes the old report.
    pub fn commit(mut self) -> Result<()> {
        let staging = self.staging.take().expect("committed once");
        let show = self.shown.display().to_string();
        let fail =
            |err: std::io::Error| anyhow!("cannot write the report to {show}: {}", io_reason(&err));
        if fs::symlink_metadata(&self.target).is_ok() {
            if let Err(err) = exchange(&staging, &self.target) {
                self.staging = Some(staging);
                return Err(fail(err));
            }
            // The old report is now in the staging folder; a run killed before it is
            // removed leaves it to the next run's clean-up.
            let _ = fs::remove_dir_all(&staging);
        } else if let Err(err) = fs::rename(&staging, &self.target) {
            self.staging = Some(staging);
            return Err(fail(err));
        }
        self.created.clear();
        if let Ok(parent) = File::open(&self.parent) {
            let _ = parent.sync_all();
        }
        Ok(())
    }
}

impl Drop for ReportDir {
    fn drop(&mut self) {
        if let Some(staging) = self.staging.take() {
            let _ = fs::remove_dir_all(staging);
        }
        // The lock file goes first (the lock field is dropped after this), then the
        // folders above DIR that a failed run created.
        let _ = fs::remove_file(&self.lock.path);
        drop(Cleanup(std::mem::take(&mut self.created)));
    }
}

/// Removes the folders a failed run created above DIR, deepest first, if empty.
struct Cleanup(Vec<PathBuf>);

impl Cleanup {
    fn disarm(mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.0)
    }
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for dir in self.0.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// Creates `dir` and the folders above it that are missing, recording each.
fn create_parents(dir: &Path, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(path) = at.filter(|p| !p.as_os_str().is_empty()) {
        if fs::symlink_metadata(path).is_ok() {
            break;
        }
        missing.push(path.to_owned());
        at = path.parent();
    }
    for path in missing.into_iter().rev() {
        match fs::create_dir(&path) {
            Ok(()) => created.push(path),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

fn hidden(name: &std::ffi::OsStr, suffix: &str) -> OsString {
    let mut hidden = OsString::from(".");
    hidden.push(name);
    hidden.push(suffix);
    hidden
}

/// The lock of DIR: a file beside it, held for the whole run and removed (while
/// still held) at its end, so that nothing of the run stays outside DIR.
struct DirLock {
    path: PathBuf,
    _file: File,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Takes the lock of DIR, or says that another run holds it. A lock file that the
/// run holding it removed in the meantime is no lock: it is opened afresh.
fn lock(parent: &Path, name: &std::ffi::OsStr, shown: &Path) -> Result<DirLock> {
    let path = parent.join(hidden(name, ".capgap-lock"));
    let fail = |err: std::io::Error| {
        anyhow!(
            "cannot lock the report folder {}: {}",
            shown.display(),
            io_reason(&err)
        )
    };
    for _ in 0..16 {
        let file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(fail)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => bail!(
                "another capgap run is writing {}; wait for it to finish, or write to another folder",
                shown.display()
            ),
            Err(fs::TryLockError::Error(err)) => return Err(fail(err)),
        }
        let held = file.metadata().map_err(fail)?;
        if fs::metadata(&path).is_ok_and(|now| same_file(&now, &held)) {
            return Ok(DirLock { path, _file: file });
        }
    }
    bail!(
        "another capgap run is writing {}; wait for it to finish, or write to another folder",
        shown.display()
    )
}

/// Whether `dir` holds capgap's marker.
fn is_marked(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    fs::symlink_metadata(&marker).is_ok_and(|m| m.is_file() && m.len() < 1024)
        && fs::read_to_string(&marker).is_ok_and(|text| text.starts_with("capgap report folder"))
}

/// DIR may be replaced: it is empty or an earlier capgap report.
fn check_owned(target: &Path, shown: &Path) -> Result<()> {
    let mut entries = fs::read_dir(target).map_err(|err| {
        anyhow!(
            "cannot use {} as the report folder: {}",
            shown.display(),
            io_reason(&err)
        )
    })?;
    if entries.next().is_none() || is_marked(target) {
        return Ok(());
    }
    bail!(
        "{} is not empty and is not a capgap report; give a new or empty folder with -o (capgap replaces the whole folder)",
        shown.display()
    )
}

/// Removes the staging folders of DIR that killed runs left. The caller holds the
/// lock, so no live run owns one; only marked or empty ones are touched.
fn remove_stale(parent: &Path, name: &std::ffi::OsStr) {
    let prefix = hidden(name, ".capgap-staging-");
    let prefix = prefix.as_encoded_bytes();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        if !file_name.as_encoded_bytes().starts_with(prefix) {
            continue;
        }
        let path = entry.path();
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        if is_marked(&path) {
            let _ = fs::remove_dir_all(&path);
        } else {
            let _ = fs::remove_dir(&path); // only when empty
        }
    }
}

/// A new, marked staging folder beside DIR, with DIR's permissions when it exists
/// (else the user's umask, as for any new folder).
fn create_staging(
    parent: &Path,
    name: &std::ffi::OsStr,
    like: Option<&Path>,
) -> std::io::Result<PathBuf> {
    let mut attempt = 0u32;
    let staging = loop {
        let mut random = [0u8; 6];
        getrandom::fill(&mut random).map_err(|_| std::io::Error::other("no random bytes"))?;
        let tag: String = random.iter().map(|b| format!("{b:02x}")).collect();
        let path = parent.join(hidden(name, &format!(".capgap-staging-{tag}")));
        match fs::create_dir(&path) {
            Ok(()) => break path,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 8 => {
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    };
    let marked = fs::write(staging.join(MARKER), MARKER_TEXT).and_then(|()| {
        if let Some(old) = like {
            fs::set_permissions(&staging, fs::metadata(old)?.permissions())?;
        }
        Ok(())
    });
    if let Err(err) = marked {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }
    Ok(staging)
}

/// Swaps two folders atomically where the system can.
#[cfg(target_os = "linux")]
fn exchange(staging: &Path, target: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // A file system without RENAME_EXCHANGE.
        Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP) => {
            exchange_by_renames(staging, target)
        }
        Err(errno) => Err(errno.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(staging: &Path, target: &Path) -> std::io::Result<()> {
    exchange_by_renames(staging, target)
}

/// DIR to a marked side name, the staging folder to DIR, and the old report back to
/// the staging name (where `commit` removes it). DIR is missing for an instant, but
/// never holds a mix.
fn exchange_by_renames(staging: &Path, target: &Path) -> std::io::Result<()> {
    let mut aside = staging.as_os_str().to_owned();
    aside.push("-old");
    let aside = PathBuf::from(aside);
    fs::rename(target, &aside)?;
    if let Err(err) = fs::rename(staging, target) {
        let _ = fs::rename(&aside, target);
        return Err(err);
    }
    fs::rename(&aside, staging)
}
