//! Atomic file output: write to a temporary file in the target's directory, then rename (the
//! workspace's `outfile` crate, with this crate's errors).
//!
//! A crash or an error half-way leaves the previous file (or no file) in place, never a partial one.
//! A path that names a device or a named pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in
//! place instead: there is no file to replace, and a rename would put a regular file in its stead.

use std::io::Write;
use std::path::Path;

use crate::{Error, Result};

/// Writes a file atomically: `write` fills a buffered writer on a temporary file next to `path`,
/// which is flushed, synced and renamed over `path` only if `write` returns `Ok`. On Unix the
/// file gets mode 0644 (like a file created with `File::create` under the usual umask).
/// An I/O error of `write` is reported with `path`; see [`write_atomic_with`] for a writer
/// that returns this crate's errors or a value. A device or named pipe is written in place
/// (see the module docs).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.txt");
/// genome_io::atomic::write_atomic(&path, |w| Ok(w.write_all(b"hello\n")?)).unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"hello\n");
/// ```
pub fn write_atomic<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> std::io::Result<()>,
{
    write_atomic_with(path, |w| write(w).map_err(|e| Error::io(path, e)))
}

/// Like [`write_atomic`], for a `write` that returns this crate's [`Result`]: its error is
/// returned unchanged (the file is not replaced), and its value is returned once the file is in
/// place.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.txt");
/// let n = genome_io::atomic::write_atomic_with(&path, |w| {
///     w.write_all(b"abc").map_err(|e| genome_io::Error::io("<out>", e))?;
///     Ok(3)
/// })
/// .unwrap();
/// assert_eq!((n, std::fs::read(&path).unwrap()), (3, b"abc".to_vec()));
/// ```
pub fn write_atomic_with<T, F>(path: &Path, write: F) -> Result<T>
where
    F: FnOnce(&mut dyn Write) -> Result<T>,
{
    outfile::write_atomic_with(path, write, |p, e| Error::io(p, e))
}
