//! File identity, shared by everything that must not confuse two paths for one
//! file or one file for two: `-o FILE` against the inputs, the report folder's lock,
//! and theme files checked not to have been swapped for a link while opened. No IO:
//! it compares metadata the caller has read.

use std::fs::Metadata;

/// Whether two metadata describe the same file (device and inode on Unix).
#[cfg(unix)]
pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Whether two metadata describe the same file (size and times elsewhere).
#[cfg(not(unix))]
pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.len() == b.len()
        && a.modified().ok() == b.modified().ok()
        && a.created().ok() == b.created().ok()
}
