//! Helpers shared by the fuzz targets: splitting one input into several files and a per-process
//! scratch directory (files are overwritten on every execution, not created anew).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Separator between the parts of a multi-file input (e.g. a FASTA and its `.fai`).
pub const SEP: &[u8] = b"\n#~#\n";

/// Splits `data` on [`SEP`] into exactly `n` parts (missing parts are empty, the last part keeps
/// any further separators).
pub fn split_parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut out = Vec::with_capacity(n);
    let mut rest = data;
    while out.len() + 1 < n {
        match rest.windows(SEP.len()).position(|w| w == SEP) {
            Some(i) => {
                out.push(&rest[..i]);
                rest = &rest[i + SEP.len()..];
            }
            None => break,
        }
    }
    out.push(rest);
    while out.len() < n {
        out.push(&[]);
    }
    out
}

/// The process's scratch directory (removed when the process exits normally).
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("scratch directory"))
        .path()
}

/// Writes `bytes` to `name` in the scratch directory and returns its path.
pub fn write_file(name: &str, bytes: &[u8]) -> PathBuf {
    let p = scratch().join(name);
    std::fs::write(&p, bytes).expect("write scratch file");
    p
}

/// Removes `name` from the scratch directory if present.
pub fn remove_file(name: &str) {
    let _ = std::fs::remove_file(scratch().join(name));
}

/// A few fetches over every record of `src` (start, middle, end, out of bounds), bounded so
/// that a huge declared length does not make one execution slow.
pub fn probe_source<S: genome_io::fasta::SequenceSource + ?Sized>(src: &S) {
    for name in src.names().iter().take(8) {
        let Some(len) = src.seq_len(name) else {
            continue;
        };
        let end = len.min(256);
        let _ = src.fetch(name, 0, end);
        let _ = src.fetch(name, len.saturating_sub(64), len);
        let _ = src.fetch(name, len / 2, (len / 2).saturating_add(16).min(len));
        let _ = src.fetch(name, len, len.saturating_add(1));
        let _ = src.fetch(name, 3, 1);
        let _ = src.fetch_region(&format!("{name}:1-10"));
    }
    let _ = src.fetch("__absent__", 0, 1);
}
