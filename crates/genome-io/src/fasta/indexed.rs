//! Plain FASTA + `.fai`: random access by offset arithmetic and positional reads.
//!
//! Hand-written instead of noodles' `fasta::io::IndexedReader` because that reader seeks a shared
//! handle (`&mut self`), so parallel extraction would need a lock or one file handle per thread.
//! Here every fetch is one `pread` (`FileExt::read_exact_at`) of exactly the bytes covering the
//! range, straight into the caller's buffer, followed by an in-place removal of line terminators:
//! `&self` only, `Sync` without a lock, and memory bounded by the largest fetch.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use super::catalog::Catalog;
use super::fai::{FaiRecord, build_fai, fai_path, read_fai};
use super::{FastaOptions, SequenceSource};
use crate::{Error, FastaError, Result};

/// Where the bases of one record sit in the (uncompressed) byte stream, from its `.fai` line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub offset: u64,
    pub len: u64,
    /// Bases per full line (>= 1).
    pub lb: u64,
    /// Bytes per full line, terminator included (> `lb`).
    pub lw: u64,
}

impl Layout {
    pub(crate) fn from_fai(r: &FaiRecord) -> Self {
        Layout {
            offset: r.position(),
            len: r.length(),
            lb: r.line_base_count().get(),
            lw: r.line_width().get(),
        }
    }

    /// Byte offset of base `i` (0-based). Saturates instead of overflowing on absurd `.fai`
    /// values, which then fail the size checks.
    pub(crate) fn byte_of(&self, i: u64) -> u64 {
        let full_lines = (i / self.lb).saturating_mul(self.lw);
        self.offset
            .saturating_add(full_lines)
            .saturating_add(i % self.lb)
    }

    /// One past the byte of the last base (`offset` for an empty record).
    pub(crate) fn end_byte(&self) -> u64 {
        match self.len {
            0 => self.offset,
            n => self.byte_of(n - 1).saturating_add(1),
        }
    }

    /// The byte range `[a, b)` holding bases `[start, end)`; requires `start < end`.
    pub(crate) fn raw_range(&self, start: u64, end: u64) -> (u64, u64) {
        (self.byte_of(start), self.byte_of(end - 1).saturating_add(1))
    }
}

/// Removes line terminators, in place, from the raw bytes of bases `[start, ..)` read from byte
/// `raw_start`, and checks that terminators and bases sit where the layout says. Returns a
/// description of the first disagreement.
pub(crate) fn strip_terminators(
    buf: &mut Vec<u8>,
    start: u64,
    raw_start: u64,
    l: &Layout,
) -> std::result::Result<(), String> {
    let lb = l.lb as usize;
    let t = (l.lw - l.lb) as usize;
    let n = buf.len();
    let mut col = (start % l.lb) as usize;
    let (mut r, mut w) = (0usize, 0usize);
    while r < n {
        let take = (lb - col).min(n - r);
        if let Some(k) = memchr::memchr3(b'\n', b'\r', b'>', &buf[r..r + take]) {
            let at = raw_start + (r + k) as u64;
            return Err(format!(
                "byte {at} is {:?}, a base was expected",
                buf[r + k] as char
            ));
        }
        buf.copy_within(r..r + take, w);
        w += take;
        r += take;
        if r < n {
            let term = &buf[r..(r + t).min(n)];
            let ok = term.len() == t
                && term[t - 1] == b'\n'
                && term[..t - 1].iter().all(|&b| b == b'\r');
            if !ok {
                let at = raw_start + r as u64;
                return Err(format!(
                    "no line terminator at byte {at} (line width {})",
                    l.lw
                ));
            }
            r += t;
            col = 0;
        }
    }
    buf.truncate(w);
    Ok(())
}

/// A plain (uncompressed) FASTA served through its `.fai` without loading it.
///
/// `Sync` with no lock: each fetch is a positional read. Opening checks every `.fai` record
/// against the file (the byte before each record's first base is a newline, a terminator follows
/// its last base and its first full line, and the file is long enough), and each fetch checks the
/// terminators it skips, so an index that disagrees with its FASTA gives
/// [`FastaError::FaiMismatch`] naming the `.fai`, never wrong bases.
#[derive(Debug)]
pub struct IndexedFasta {
    path: PathBuf,
    fai: PathBuf,
    file: File,
    layouts: Vec<Layout>,
    catalog: Catalog,
    uppercase: bool,
}

impl IndexedFasta {
    /// Opens `path` with `<path>.fai`, or builds the index in memory (one scan, nothing written;
    /// see [`super::write_fai`] to persist it) when that file does not exist.
    ///
    /// ```
    /// use genome_io::fasta::{IndexedFasta, SequenceSource};
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("g.fa");
    /// std::fs::write(&p, ">chr1\nACGT\nacgt\nNN\n").unwrap();
    /// let g = IndexedFasta::open(&p)?;
    /// assert_eq!(g.fetch("chr1", 2, 9)?, b"GTacgtN");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let fai = fai_path(path);
        if fai.exists() {
            Self::open_with_fai(path, &fai)
        } else {
            Self::from_records(path, fai, build_fai(path)?)
        }
    }

    /// Opens `path` with the given `.fai` file.
    ///
    /// ```
    /// use genome_io::fasta::{IndexedFasta, SequenceSource};
    /// let dir = tempfile::tempdir().unwrap();
    /// let (p, fai) = (dir.path().join("g.fa"), dir.path().join("other.fai"));
    /// std::fs::write(&p, ">chr1\nACGT\nAC\n").unwrap();
    /// std::fs::write(&fai, "chr1\t6\t6\t4\t5\n").unwrap();
    /// assert_eq!(IndexedFasta::open_with_fai(&p, &fai)?.fetch("chr1", 3, 6)?, b"TAC");
    /// std::fs::write(&fai, "chr1\t6\t6\t3\t4\n").unwrap(); // wrong line length
    /// let err = IndexedFasta::open_with_fai(&p, &fai).unwrap_err();
    /// assert!(matches!(err, genome_io::Error::Fasta(genome_io::FastaError::FaiMismatch { .. })));
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn open_with_fai(path: impl AsRef<Path>, fai: impl AsRef<Path>) -> Result<Self> {
        let fai = fai.as_ref();
        Self::from_records(path.as_ref(), fai.to_path_buf(), read_fai(fai)?)
    }

    fn from_records(path: &Path, fai: PathBuf, records: Vec<FaiRecord>) -> Result<Self> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let file_len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        let layouts: Vec<Layout> = records.iter().map(Layout::from_fai).collect();
        let entries = records.iter().map(|r| (r.name().to_string(), r.length()));
        let catalog = Catalog::new(path, entries);
        let g = IndexedFasta {
            path: path.to_path_buf(),
            fai,
            file,
            layouts,
            catalog,
            uppercase: false,
        };
        for (i, l) in g.layouts.iter().enumerate() {
            g.validate(i, l, file_len)?;
        }
        Ok(g)
    }

    /// Cheap consistency checks of one `.fai` record against the file (4 small reads): the
    /// header line before the first base names the record, line starts and ends agree.
    fn validate(&self, i: usize, l: &Layout, file_len: u64) -> Result<()> {
        let name = self.catalog.name(i);
        let mismatch = |msg: String| {
            Error::Fasta(FastaError::FaiMismatch {
                fai: self.fai.clone(),
                fasta: self.path.clone(),
                name: name.to_string(),
                msg,
            })
        };
        if l.len == 0 {
            return Ok(());
        }
        let end = l.end_byte();
        if end > file_len {
            return Err(FastaError::Truncated {
                path: self.path.clone(),
                msg: format!(
                    "{} says record {name:?} ends at byte {end}, the file has {file_len} bytes",
                    self.fai.display()
                ),
            }
            .into());
        }
        let byte = |at: u64| -> Result<u8> {
            let mut b = [0u8; 1];
            self.file
                .read_exact_at(&mut b, at)
                .map_err(|e| Error::io(&self.path, e))?;
            Ok(b[0])
        };
        if l.offset == 0 || byte(l.offset - 1)? != b'\n' {
            return Err(mismatch(format!(
                "offset {} is not the start of a line",
                l.offset
            )));
        }
        // the line before the first base must be this record's header: a `.fai` whose names
        // disagree with the FASTA would serve one chromosome's bases under another's name
        // (one small read: a header longer than the window is not checked)
        let span = l.offset.min(name.len() as u64 + 256);
        let mut prev = vec![0u8; span as usize];
        self.file
            .read_exact_at(&mut prev, l.offset - span)
            .map_err(|e| Error::io(&self.path, e))?;
        prev.pop(); // the '\n' ending the header line
        if prev.last() == Some(&b'\r') {
            prev.pop();
        }
        let start = prev.iter().rposition(|&b| b == b'\n').map(|i| i + 1);
        if start.is_some() || span == l.offset {
            let header = &prev[start.unwrap_or(0)..];
            let id = header
                .strip_prefix(b">")
                .and_then(|h| h.split(|b| b.is_ascii_whitespace()).next());
            if id != Some(name.as_bytes()) {
                return Err(mismatch(format!(
                    "the FASTA header before offset {} is {:?}, not >{name}",
                    l.offset,
                    String::from_utf8_lossy(&header[..header.len().min(80)])
                )));
            }
        }
        if end < file_len && !matches!(byte(end)?, b'\n' | b'\r') {
            return Err(mismatch(format!(
                "no line terminator after the last base (byte {end})"
            )));
        }
        if l.len > l.lb && byte(l.offset + l.lw - 1)? != b'\n' {
            return Err(mismatch(format!(
                "the first line is not {} bytes long",
                l.lw
            )));
        }
        Ok(())
    }

    /// Applies [`FastaOptions`] (uppercasing, chromosome aliasing).
    ///
    /// ```
    /// use genome_io::fasta::{FastaOptions, IndexedFasta, SequenceSource};
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("g.fa");
    /// std::fs::write(&p, ">9\nacgT\n").unwrap();
    /// let g = IndexedFasta::open(&p)?.with_options(&FastaOptions { uppercase: true, chrom_alias: true });
    /// assert_eq!(g.fetch("chr9", 0, 4)?, b"ACGT");
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn with_options(mut self, opts: &FastaOptions) -> Self {
        self.uppercase = opts.uppercase;
        self.catalog.set_alias(opts.chrom_alias);
        self
    }

    /// The FASTA file.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let p = dir.path().join("g.fa");
    /// std::fs::write(&p, ">a\nA\n").unwrap();
    /// assert_eq!(genome_io::fasta::IndexedFasta::open(&p)?.path(), p);
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl SequenceSource for IndexedFasta {
    fn names(&self) -> Vec<String> {
        self.catalog.names()
    }

    fn seq_len(&self, name: &str) -> Option<u64> {
        self.catalog.lookup(name).map(|i| self.catalog.len_of(i))
    }

    fn fetch_into(&self, name: &str, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<()> {
        let i = self.catalog.check(name, start, end)?;
        buf.clear();
        if start == end {
            return Ok(());
        }
        let l = &self.layouts[i];
        let (a, b) = l.raw_range(start, end);
        buf.resize((b - a) as usize, 0);
        self.file.read_exact_at(buf, a).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                Error::Fasta(FastaError::Truncated {
                    path: self.path.clone(),
                    msg: format!("file ends before byte {b} ({name}:{start}-{end})"),
                })
            } else {
                Error::io(&self.path, e)
            }
        })?;
        strip_terminators(buf, start, a, l).map_err(|msg| FastaError::FaiMismatch {
            fai: self.fai.clone(),
            fasta: self.path.clone(),
            name: self.catalog.name(i).to_string(),
            msg,
        })?;
        if self.uppercase {
            buf.make_ascii_uppercase();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_handles_columns_and_crlf() {
        let l = Layout {
            offset: 0,
            len: 10,
            lb: 4,
            lw: 6,
        };
        // bases 2..9 of "ACGT\r\nacgt\r\nNN\r\n"
        let (a, b) = l.raw_range(2, 9);
        let mut raw = b"ACGT\r\nacgt\r\nNN\r\n"[a as usize..b as usize].to_vec();
        assert_eq!(strip_terminators(&mut raw, 2, a, &l), Ok(()));
        assert_eq!(raw, b"GTacgtN");
        let mut bad = b"ACGTxyacgt".to_vec();
        assert!(strip_terminators(&mut bad, 0, 0, &l).is_err());
    }
}

#[cfg(test)]
mod name_check_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A `.fai` whose offsets are right but whose names are swapped is refused, naming the
    /// header it found (it used to serve chr2's bases as chr1).
    #[test]
    fn fai_names_must_match_the_headers() {
        let dir = tempfile::tempdir().unwrap();
        let (p, fai) = (dir.path().join("g.fa"), dir.path().join("g.fa.fai"));
        std::fs::write(&p, ">chr1 first\nACGT\n>chr2\nGGCC\n").unwrap();
        std::fs::write(&fai, "chr1\t4\t12\t4\t5\nchr2\t4\t23\t4\t5\n").unwrap();
        assert_eq!(
            IndexedFasta::open_with_fai(&p, &fai)
                .unwrap()
                .fetch("chr2", 0, 4)
                .unwrap(),
            b"GGCC"
        );
        std::fs::write(&fai, "chr2\t4\t12\t4\t5\nchr1\t4\t23\t4\t5\n").unwrap();
        let err = IndexedFasta::open_with_fai(&p, &fai)
            .unwrap_err()
            .to_string();
        assert!(err.contains("chr1 first") && err.contains(">chr2"), "{err}");
    }
}
