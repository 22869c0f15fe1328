//! FASTA access: in-memory genomes and indexed files behind one [`SequenceSource`] trait.
//!
//! # Readers
//! | input | reader | random access |
//! |---|---|---|
//! | plain FASTA (+ `.fai`, built in memory when missing) | [`IndexedFasta`] | yes: positional reads, no lock |
//! | bgzip FASTA + `.fai` + `.gzi` (both built in memory when missing) | [`BgzfFasta`] | yes: BGZF blocks |
//! | plain gzip FASTA | [`InMemoryGenome`] | **no**: decompressed once into memory |
//!
//! [`open_fasta`] picks the reader from the file's magic bytes (gzip vs BGZF extra field), not
//! from its extension.
//!
//! # Coordinates
//! [`SequenceSource::fetch_into`] and [`SequenceSource::fetch`] take **0-based half-open**
//! `[start, end)` coordinates (BED convention); [`SequenceSource::fetch_one_based`] and
//! [`SequenceSource::fetch_region`] take **1-based closed** coordinates (samtools / GTF
//! convention), converted in one place by [`crate::coords`].
//!
//! # Case and names
//! Case is preserved (soft-masking survives) unless [`FastaOptions::uppercase`] is set.
//! Chromosome aliasing (`chr9` ↔ `9`, `chrM` ↔ `MT`) is off unless [`FastaOptions::chrom_alias`]
//! is set; without it a name that only an alias would match fails with
//! [`FastaError::UnknownSequence`] whose message suggests `--chrom-alias`.
//!
//! ```
//! use genome_io::fasta::{FastaOptions, InMemoryGenome, SequenceSource};
//! let g = InMemoryGenome::from_reader(&b">9 chr nine\nACGTacgtNN\n"[..])?
//!     .with_options(&FastaOptions { uppercase: false, chrom_alias: true });
//! assert_eq!(g.fetch("chr9", 2, 6)?, b"GTac");          // 0-based half-open
//! assert_eq!(g.fetch_region("chr9:3-6")?, b"GTac");      // 1-based closed
//! # Ok::<(), genome_io::Error>(())
//! ```

mod bgzf;
mod catalog;
mod fai;
mod indexed;
mod memory;
mod scan;

use std::path::Path;

pub use self::bgzf::{BgzfFasta, build_gzi};
pub use self::catalog::chrom_aliases;
pub use self::fai::{FaiRecord, build_fai, fai_path, read_fai, write_fai, write_fai_to};
pub use self::indexed::IndexedFasta;
pub use self::memory::InMemoryGenome;
use crate::{Error, FastaError, Result, coords::Region};

/// Anything that can serve sub-sequences of named records: an in-memory genome, a plain FASTA with
/// a `.fai`, a bgzip FASTA with `.fai` + `.gzi`.
///
/// Coordinates are **0-based half-open**. Implementations are `Sync` so that extraction can run
/// in parallel with rayon.
pub trait SequenceSource: Sync {
    /// Record names in file order.
    fn names(&self) -> Vec<String>;
    /// Length of the named record, or `None` when the record is absent.
    fn seq_len(&self, name: &str) -> Option<u64>;
    /// Clears `buf` and fills it with bases `[start, end)` of record `name`, case preserved
    /// (unless the source was opened with [`FastaOptions::uppercase`]).
    ///
    /// Errors when the record is absent or the range is out of bounds (`start > end` or
    /// `end > seq_len`).
    fn fetch_into(&self, name: &str, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<()>;

    /// Bases `[start, end)` (0-based half-open) of record `name` in a new vector.
    ///
    /// ```
    /// use genome_io::fasta::{InMemoryGenome, SequenceSource};
    /// let g = InMemoryGenome::from_records([("chr1", "ACGTAC")])?;
    /// assert_eq!(g.fetch("chr1", 1, 4)?, b"CGT");
    /// assert!(g.fetch("chr1", 4, 7).is_err());
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    fn fetch(&self, name: &str, start: u64, end: u64) -> Result<Vec<u8>> {
        let mut buf = Vec::new();
        self.fetch_into(name, start, end, &mut buf)?;
        Ok(buf)
    }

    /// Bases `start1..=end1` (**1-based closed**, as in GTF or samtools) of record `name`.
    ///
    /// ```
    /// use genome_io::fasta::{InMemoryGenome, SequenceSource};
    /// let g = InMemoryGenome::from_records([("chr1", "ACGTAC")])?;
    /// assert_eq!(g.fetch_one_based("chr1", 2, 4)?, b"CGT");
    /// assert!(g.fetch_one_based("chr1", 0, 4).is_err());
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    fn fetch_one_based(&self, name: &str, start1: u64, end1: u64) -> Result<Vec<u8>> {
        let (start, end) = crate::coords::one_based_to_half_open(start1, end1)?;
        self.fetch(name, start, end)
    }

    /// Bases of a samtools-style region `name:start-end` (**1-based closed**, commas allowed) or
    /// of a whole record (`name` alone). Unlike samtools, a range past the record end is an
    /// error, not silently truncated.
    ///
    /// ```
    /// use genome_io::fasta::{InMemoryGenome, SequenceSource};
    /// let g = InMemoryGenome::from_records([("chr1", "ACGTAC")])?;
    /// assert_eq!(g.fetch_region("chr1:2-4")?, b"CGT");
    /// assert_eq!(g.fetch_region("chr1")?, b"ACGTAC");
    /// assert!(g.fetch_region("chr1:5-9").is_err());
    /// # Ok::<(), genome_io::Error>(())
    /// ```
    fn fetch_region(&self, region: &str) -> Result<Vec<u8>> {
        let r = Region::parse_one_based(region)?;
        let end = if r.end == u64::MAX && !region.contains(':') {
            // A bare name means the whole record; an absent one errors in `fetch`.
            self.seq_len(&r.name).unwrap_or(0)
        } else {
            r.end
        };
        self.fetch(&r.name, r.start, end)
    }
}

impl<S: SequenceSource + ?Sized> SequenceSource for Box<S> {
    fn names(&self) -> Vec<String> {
        (**self).names()
    }
    fn seq_len(&self, name: &str) -> Option<u64> {
        (**self).seq_len(name)
    }
    fn fetch_into(&self, name: &str, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<()> {
        (**self).fetch_into(name, start, end, buf)
    }
}

impl<S: SequenceSource + ?Sized> SequenceSource for &S {
    fn names(&self) -> Vec<String> {
        (**self).names()
    }
    fn seq_len(&self, name: &str) -> Option<u64> {
        (**self).seq_len(name)
    }
    fn fetch_into(&self, name: &str, start: u64, end: u64, buf: &mut Vec<u8>) -> Result<()> {
        (**self).fetch_into(name, start, end, buf)
    }
}

/// How sequences are served. Both options are off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FastaOptions {
    /// Uppercase fetched bases (drops soft-masking). Default `false`: case preserved.
    pub uppercase: bool,
    /// Resolve absent names through chromosome aliases (`chr9` ↔ `9`, `chrM` ↔ `MT`, see
    /// [`chrom_aliases`]). Default `false`: names must match exactly.
    pub chrom_alias: bool,
}

/// The container format of a FASTA file, detected from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FastaFormat {
    /// Uncompressed text.
    Plain,
    /// gzip without the BGZF extra field: no random access.
    Gzip,
    /// Blocked gzip (bgzip): random access with a `.gzi`.
    Bgzf,
}

/// Detects the container format of `path` from its magic bytes (`1f 8b` = gzip; gzip with the
/// `BC` extra subfield = BGZF); anything else is treated as plain text.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("x.fa");
/// std::fs::write(&p, ">a\nACGT\n").unwrap();
/// assert_eq!(genome_io::fasta::detect_format(&p)?, genome_io::fasta::FastaFormat::Plain);
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn detect_format(path: &Path) -> Result<FastaFormat> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(format_of(&head[..n]))
}

/// Classifies a file by its first bytes (see [`detect_format`]).
fn format_of(head: &[u8]) -> FastaFormat {
    if head.len() < 3 || head[..3] != [0x1f, 0x8b, 0x08] {
        return FastaFormat::Plain;
    }
    // BGZF: FLG.FEXTRA set, XLEN >= 6, first subfield 'B' 'C' with SLEN 2 (SAM spec 4.1).
    let bgzf = head.len() >= 16
        && head[3] & 0x04 != 0
        && u16::from_le_bytes([head[10], head[11]]) >= 6
        && head[12..16] == [b'B', b'C', 2, 0];
    if bgzf {
        FastaFormat::Bgzf
    } else {
        FastaFormat::Gzip
    }
}

/// Opens any FASTA (plain, gzip or bgzip, detected by magic bytes) with the right reader:
///
/// * plain: [`IndexedFasta`] with `<path>.fai` (built in memory, not written, when missing);
/// * bgzip: [`BgzfFasta`] with `<path>.fai` and `<path>.gzi` (each built in memory when missing);
/// * gzip: [`InMemoryGenome`], decompressed once (no random access). A gzip file larger than
///   [`GZIP_IN_MEMORY_LIMIT`] is a [`FastaError::GzipTooLarge`] that says how to bgzip it (call
///   [`InMemoryGenome::from_path`] directly to load a large one whole anyway).
///
/// ```
/// use genome_io::fasta::{open_fasta, FastaOptions, SequenceSource};
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("g.fa");
/// std::fs::write(&p, ">chr1\nACGT\nac\n").unwrap();
/// let g = open_fasta(&p, &FastaOptions { uppercase: true, chrom_alias: false })?;
/// assert_eq!(g.fetch("chr1", 2, 6)?, b"GTAC");
/// assert!(g.fetch("1", 0, 1).unwrap_err().to_string().contains("--chrom-alias"));
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn open_fasta(path: impl AsRef<Path>, opts: &FastaOptions) -> Result<Box<dyn SequenceSource>> {
    open_fasta_limited(path.as_ref(), opts, GZIP_IN_MEMORY_LIMIT)
}

fn open_fasta_limited(
    path: &Path,
    opts: &FastaOptions,
    gzip_limit: u64,
) -> Result<Box<dyn SequenceSource>> {
    Ok(match detect_format(path)? {
        FastaFormat::Plain => Box::new(IndexedFasta::open(path)?.with_options(opts)),
        FastaFormat::Bgzf => Box::new(BgzfFasta::open(path)?.with_options(opts)),
        FastaFormat::Gzip => {
            let len = std::fs::metadata(path)
                .map_err(|e| Error::io(path, e))?
                .len();
            if len > gzip_limit {
                return Err(FastaError::GzipTooLarge {
                    path: path.to_path_buf(),
                    compressed_mb: len >> 20,
                    limit_mb: gzip_limit >> 20,
                }
                .into());
            }
            Box::new(InMemoryGenome::from_path(path)?.with_options(opts))
        }
    })
}

/// Largest plain-gzip FASTA (compressed bytes, 256 MiB: about a gigabase of sequence once
/// decompressed) that [`open_fasta`] reads whole into memory.
pub const GZIP_IN_MEMORY_LIMIT: u64 = 256 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_plain_gzip_fasta_is_refused_with_the_bgzip_recipe() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.fa.gz");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b">chr1\nACGTACGT\n").unwrap();
        std::fs::write(&p, gz.finish().unwrap()).unwrap();
        let opts = FastaOptions::default();
        // Under the limit: read whole.
        let g = open_fasta_limited(&p, &opts, 1 << 20).unwrap();
        assert_eq!(g.fetch("chr1", 0, 4).unwrap(), b"ACGT");
        // Over it: a typed error naming the file and bgzip, not gigabytes of memory.
        let e = open_fasta_limited(&p, &opts, 8).err().unwrap();
        assert!(
            matches!(e, Error::Fasta(FastaError::GzipTooLarge { .. })),
            "{e}"
        );
        let msg = e.to_string();
        assert!(msg.contains("g.fa.gz") && msg.contains("bgzip"), "{msg}");
    }

    #[test]
    fn magic_bytes_classify_formats() {
        assert_eq!(format_of(b">chr1\nACGT"), FastaFormat::Plain);
        assert_eq!(format_of(b""), FastaFormat::Plain);
        let gzip = [
            0x1f, 0x8b, 0x08, 0x08, 0, 0, 0, 0, 0, 0xff, b'g', b'e', 0, 0, 0, 0,
        ];
        assert_eq!(format_of(&gzip), FastaFormat::Gzip);
        let bgzf = [
            0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, 0xff, 6, 0, b'B', b'C', 2, 0,
        ];
        assert_eq!(format_of(&bgzf), FastaFormat::Bgzf);
    }
}
