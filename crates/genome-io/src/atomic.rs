//! Atomic file output: write to a temporary file in the target's directory, then rename.
//!
//! A crash or an error half-way leaves the previous file (or no file) in place, never a partial one.
//! A path that names a device or a named pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in
//! place instead: there is no file to replace, and a rename would put a regular file in its stead.

use std::io::{BufWriter, Write};
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
    if is_stream(path) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        let mut w = BufWriter::new(file);
        let value = write(&mut w)?;
        w.flush().map_err(|e| Error::io(path, e))?;
        return Ok(value);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".seq2expr-").suffix(".tmp");
    // Temporary files are created 0600; the output is an ordinary file (0644 before umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let tmp = builder.tempfile_in(dir).map_err(|e| Error::io(dir, e))?;
    let mut w = BufWriter::new(tmp);
    let value = write(&mut w)?;
    let tmp = w
        .into_inner()
        .map_err(|e| Error::io(path, e.into_error()))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(value)
}

/// Whether `path` names an existing device, named pipe or socket (`/dev/null`, `/dev/stdout`, a
/// FIFO): such a path is written in place, since renaming a file over it would replace it.
pub(crate) fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt");
        std::fs::write(&path, b"old").unwrap();
        let r = write_atomic(&path, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary file must be removed");
    }

    #[cfg(unix)]
    #[test]
    fn output_is_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.txt");
        write_atomic(&path, |w| w.write_all(b"x")).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o444, 0o444, "mode {mode:o}");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success(), "mkfifo");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, |w| w.write_all(b"through the pipe")).unwrap();
        let kind = std::fs::metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced by {kind:?}");
        assert_eq!(reader.join().unwrap(), b"through the pipe");
    }
}
