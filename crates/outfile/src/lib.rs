//! Output files written atomically, shared by the seq2expr crates.
//!
//! [`write_atomic_with`] fills a temporary file in the target's directory and renames it over the
//! target only once everything was written and synced: a crash or an error half-way leaves the
//! previous file (or none) in place, never a partial one. A path that names a device or a named
//! pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written in place instead: there is no file to
//! replace, and a rename would put a regular file in its stead.

use std::io::{self, BufWriter, Write};
use std::path::Path;

/// [`write_atomic_with`] with plain I/O errors: the common case of writing bytes.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("a.txt");
/// outfile::write_atomic(&path, |w| w.write_all(b"x")).unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"x");
/// ```
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    write_atomic_with(path, write, |p, e| {
        io::Error::new(e.kind(), format!("{}: {e}", p.display()))
    })
}

/// Writes `path` atomically: `write` fills a buffered writer on a temporary file next to `path`,
/// which is flushed, synced and renamed over `path` only if `write` returns `Ok`; on Unix the
/// file gets mode 0644 (like a file created with `File::create` under the usual umask). An error
/// of `write` is returned unchanged; an I/O error of the file itself is turned into `E` by
/// `io_error`, with the path it concerns (the directory when the temporary file cannot be made).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.txt");
/// let n = outfile::write_atomic_with(
///     &path,
///     |w| w.write_all(b"hello\n").map(|()| 6),
///     |_, e| e,
/// )
/// .unwrap();
/// assert_eq!((n, std::fs::read(&path).unwrap()), (6, b"hello\n".to_vec()));
/// ```
pub fn write_atomic_with<T, E>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T, E>,
    io_error: impl Fn(&Path, io::Error) -> E,
) -> Result<T, E> {
    if is_stream(path) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        let mut w = BufWriter::new(file);
        let value = write(&mut w)?;
        w.flush().map_err(|e| io_error(path, e))?;
        return Ok(value);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    sweep_stale(dir);
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TMP_PREFIX}{}-", std::process::id());
    builder.prefix(&prefix).suffix(TMP_SUFFIX);
    // Temporary files are created 0600; the output is an ordinary file (0644 before umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let tmp = builder.tempfile_in(dir).map_err(|e| io_error(dir, e))?;
    let _live = Live::register(tmp.path());
    let mut w = BufWriter::new(tmp);
    let value = write(&mut w)?;
    let tmp = w.into_inner().map_err(|e| io_error(path, e.into_error()))?;
    tmp.as_file().sync_all().map_err(|e| io_error(path, e))?;
    tmp.persist(path).map_err(|e| io_error(path, e.error))?;
    Ok(value)
}

/// Temporary files are named `.seq2expr-<pid>-<random>.tmp` in the target's directory.
const TMP_PREFIX: &str = ".seq2expr-";
const TMP_SUFFIX: &str = ".tmp";

/// The temporary files this process is writing now (removed by [`remove_temporaries`]).
static LIVE: std::sync::Mutex<Vec<std::path::PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Registers a temporary file for the time it is being written.
struct Live(std::path::PathBuf);

impl Live {
    fn register(p: &Path) -> Self {
        if let Ok(mut v) = LIVE.lock() {
            v.push(p.to_path_buf());
        }
        Live(p.to_path_buf())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Ok(mut v) = LIVE.lock()
            && let Some(i) = v.iter().position(|p| *p == self.0)
        {
            v.swap_remove(i);
        }
    }
}

/// Removes every temporary file this process is writing: call it from a SIGINT / SIGTERM
/// handler before exiting, so that an interrupted run leaves nothing behind (destructors do
/// not run when the process is killed by a signal).
///
/// ```
/// outfile::remove_temporaries(); // nothing being written: a no-op
/// ```
pub fn remove_temporaries() {
    // try_lock: a signal may arrive while the list is being changed; then there is nothing
    // safe to do but leave the sweep of the next run to clean up
    if let Ok(v) = LIVE.try_lock() {
        for p in v.iter() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Removes temporaries of our own naming left in `dir` by processes that no longer run (a
/// kill -9, a power cut). Only `.seq2expr-<pid>-*.tmp` files whose `<pid>` is not a live
/// process are touched; on systems without `/proc` nothing is removed.
fn sweep_stale(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(pid) = name
            .strip_prefix(TMP_PREFIX)
            .filter(|_| name.ends_with(TMP_SUFFIX))
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != me && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether `path` names an existing device, named pipe or socket.
fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
        write_atomic_with(path, |w| w.write_all(bytes), |_, e| e)
    }

    #[test]
    fn failed_write_leaves_previous_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.txt");
        std::fs::write(&path, b"old").expect("write old");
        let r: io::Result<()> = write_atomic_with(
            &path,
            |w| {
                w.write_all(b"partial")?;
                Err(io::Error::other("boom"))
            },
            |_, e| e,
        );
        assert!(r.is_err());
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(leftovers, 1, "temporary file must be removed");
    }

    /// A temporary of a process that no longer runs is swept at the next write into the same
    /// directory; files of other naming, and of a live process, are left alone.
    #[test]
    fn stale_temporaries_are_swept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dead = dir.path().join(".seq2expr-4294967294-abc.tmp");
        let live = dir
            .path()
            .join(format!(".seq2expr-{}-abc.tmp", std::process::id()));
        let other = dir.path().join(".seq2expr-notes.tmp");
        for p in [&dead, &live, &other] {
            std::fs::write(p, b"x").expect("write");
        }
        write(&dir.path().join("out.txt"), b"y").expect("write out");
        assert!(!dead.exists());
        assert!(live.exists() && other.exists());
    }

    #[test]
    fn io_errors_name_the_path_they_concern() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("missing");
        let r = write_atomic_with(&missing.join("x.txt"), |_| Ok(()), |p, _| p.to_path_buf());
        assert_eq!(r, Err::<(), _>(missing));
    }

    #[cfg(unix)]
    #[test]
    fn output_is_world_readable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.txt");
        write(&path, b"x").expect("write");
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o444, 0o444, "mode {mode:o}");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_written_in_place() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.expect("mkfifo runs").success(), "mkfifo");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).expect("read the pipe"))
        };
        write(&fifo, b"through the pipe").expect("write");
        let kind = std::fs::metadata(&fifo).expect("stat").file_type();
        assert!(kind.is_fifo(), "the pipe was replaced by {kind:?}");
        assert_eq!(reader.join().expect("reader"), b"through the pipe");
    }
}
