//! `.fai` (samtools FASTA index) reading, building and writing.
//!
//! The in-memory type is noodles' [`FaiRecord`] and the writer is noodles'; the reader is
//! hand-written (five tab-separated fields) so that every error names the `.fai` line and field.
//! A `.fai` describes the **uncompressed** bytes: for a bgzip FASTA, offsets are positions in the
//! decompressed stream (as `samtools faidx` writes them).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::num::NonZero;
use std::path::{Path, PathBuf};

use noodles::fasta::fai;

use super::scan::{Scanned, scan};
use super::{FastaFormat, detect_format};
use crate::{Error, FastaError, Result};

/// One `.fai` line: name, length, offset of the first base, bases per line, bytes per line
/// (noodles' type, re-exported).
pub use noodles::fasta::fai::Record as FaiRecord;

/// The conventional index path of a FASTA: `<fasta>.fai` (`genome.fa.gz` → `genome.fa.gz.fai`).
///
/// ```
/// use std::path::Path;
/// assert_eq!(genome_io::fasta::fai_path(Path::new("g/genome.fa")), Path::new("g/genome.fa.fai"));
/// ```
pub fn fai_path(fasta: &Path) -> PathBuf {
    let mut s = fasta.as_os_str().to_owned();
    s.push(".fai");
    PathBuf::from(s)
}

/// Reads a `.fai` file. Errors ([`FastaError::FaiParse`], with the line) on a missing or
/// non-numeric field, a zero line length, a line width not larger than its base count, or a
/// duplicate name.
///
/// ```
/// use genome_io::{Error, FastaError};
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("g.fa.fai");
/// std::fs::write(&p, "chr1\t10\t6\t4\t5\n").unwrap();
/// let recs = genome_io::fasta::read_fai(&p)?;
/// assert_eq!((recs[0].length(), recs[0].position()), (10, 6));
/// std::fs::write(&p, "chr1\tten\t6\t4\t5\n").unwrap();
/// let err = genome_io::fasta::read_fai(&p);
/// assert!(matches!(err, Err(Error::Fasta(FastaError::FaiParse { line: 1, .. }))));
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn read_fai(path: &Path) -> Result<Vec<FaiRecord>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::new();
    let mut names = HashSet::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = line.map_err(|e| Error::io(path, e))?;
        let bad = |msg: String| {
            Error::Fasta(FastaError::FaiParse {
                path: path.to_path_buf(),
                line: line_no,
                msg,
            })
        };
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != 5 {
            return Err(bad(format!(
                "expected 5 tab-separated fields, found {}",
                fields.len()
            )));
        }
        let num = |k: usize, what: &str| -> Result<u64> {
            fields[k].parse::<u64>().map_err(|_| {
                bad(format!(
                    "field {} ({what}) is not a non-negative integer: {:?}",
                    k + 1,
                    fields[k]
                ))
            })
        };
        let (len, offset) = (num(1, "length")?, num(2, "offset")?);
        let (bases, width) = (num(3, "line bases")?, num(4, "line width")?);
        let (Some(lb), Some(lw)) = (NonZero::new(bases), NonZero::new(width)) else {
            return Err(bad("line bases and line width must be > 0".into()));
        };
        if width <= bases {
            return Err(bad(format!(
                "line width {width} must exceed line bases {bases}"
            )));
        }
        if fields[0].is_empty() || !names.insert(fields[0].to_string()) {
            return Err(bad(format!(
                "empty or duplicate sequence name {:?}",
                fields[0]
            )));
        }
        out.push(FaiRecord::new(fields[0], len, offset, lb, lw));
    }
    Ok(out)
}

/// Converts scanned records to `.fai` records.
pub(crate) fn to_fai(scanned: &[Scanned]) -> Vec<FaiRecord> {
    scanned
        .iter()
        .map(|s| {
            // `scan` never yields an empty record, so both counts are >= 1.
            let lb = NonZero::new(s.line_bases).unwrap_or(NonZero::<u64>::MIN);
            let lw = NonZero::new(s.line_width).unwrap_or(NonZero::<u64>::MIN);
            FaiRecord::new(s.name.as_str(), s.len, s.offset, lb, lw)
        })
        .collect()
}

/// Builds the `.fai` records of a plain or bgzip FASTA by scanning it once (samtools-compatible:
/// identical to `samtools faidx` output for well-formed files). Plain gzip cannot be indexed.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("g.fa");
/// std::fs::write(&p, ">a x\nACGT\nAC\n>b\nA\n").unwrap();
/// let recs = genome_io::fasta::build_fai(&p)?;
/// assert_eq!((recs[1].length(), recs[1].position()), (1, 16));
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn build_fai(fasta: &Path) -> Result<Vec<FaiRecord>> {
    let file = std::fs::File::open(fasta).map_err(|e| Error::io(fasta, e))?;
    let scanned = match detect_format(fasta)? {
        FastaFormat::Plain => scan(BufReader::with_capacity(1 << 16, file), fasta, false, true)?,
        FastaFormat::Bgzf => {
            let r = noodles::bgzf::io::Reader::new(file);
            scan(BufReader::with_capacity(1 << 16, r), fasta, false, true)?
        }
        FastaFormat::Gzip => {
            return Err(Error::InvalidArgument(format!(
                "{}: plain gzip has no random access and cannot be indexed; recompress it with \
                 `bgzip` (or decompress it)",
                fasta.display()
            )));
        }
    };
    Ok(to_fai(&scanned))
}

/// Writes `.fai` records in samtools' text format (noodles' writer).
///
/// ```
/// use std::num::NonZero;
/// use genome_io::fasta::FaiRecord;
/// let (lb, lw) = (NonZero::new(4).unwrap(), NonZero::new(5).unwrap());
/// let recs = [FaiRecord::new("chr1", 10, 6, lb, lw)];
/// let mut out = Vec::new();
/// genome_io::fasta::write_fai_to(&recs, &mut out).unwrap();
/// assert_eq!(out, b"chr1\t10\t6\t4\t5\n");
/// ```
pub fn write_fai_to<W: Write>(records: &[FaiRecord], w: W) -> std::io::Result<()> {
    let mut writer = fai::io::Writer::new(w);
    writer.write_index(&fai::Index::from(records.to_vec()))
}

/// Builds the index of `fasta` (see [`build_fai`]) and writes it atomically to `<fasta>.fai`;
/// returns that path.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("g.fa");
/// std::fs::write(&p, ">chr1\nACGT\nAC\n").unwrap();
/// let fai = genome_io::fasta::write_fai(&p)?;
/// assert_eq!(std::fs::read_to_string(fai).unwrap(), "chr1\t6\t6\t4\t5\n");
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn write_fai(fasta: &Path) -> Result<PathBuf> {
    let records = build_fai(fasta)?;
    let out = fai_path(fasta);
    crate::atomic::write_atomic(&out, |w| write_fai_to(&records, w))?;
    Ok(out)
}
