//! BED regions in, strand-aware FASTA out: `bedtools getfasta -s -name` on an indexed genome,
//! streamed.
//!
//! ## Coordinates
//! BED is **0-based half-open**: `chrom start end` covers bases `start .. end - 1` (0-based).
//!
//! ## What is read
//! Tab-separated lines (plain, gzip or bgzip) of at least 3 fields: `chrom start end [name [score [strand ...]]]`.
//! Empty lines and lines starting with `#`, `track` or `browser` are skipped. The name is field
//! 4 (empty when absent) and the strand field 6 (`+`, `-` or `.`; empty when absent). A start
//! or end that is not a non-negative integer, `start > end`, fewer than 3 fields or another
//! strand value is an [`Error::Parse`] naming the file and the 1-based line.
//!
//! ## What is written (bedtools 2.30 `getfasta -s -name`)
//! `>NAME::chrom:start-end(STRAND)` then the sequence on one line, reverse-complemented when the
//! strand is `-`, case preserved. As bedtools does, a region of length 0, one that ends past its
//! chromosome, or one on a chromosome absent from the FASTA is skipped; [`BedReport`] counts
//! each kind.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::fasta::SequenceSource;
use crate::output::write_getfasta_header;
use crate::seq::reverse_complement_in_place;
/// Most regions read, extracted and written per batch.
const BATCH: usize = 4096;
/// A batch also ends once its regions add up to this many bases, which bounds the memory.
const BATCH_BASES: u64 = 4 << 20;
use crate::{Error, Result};

/// One BED region (see the module documentation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BedRegion {
    /// Chromosome.
    pub chrom: String,
    /// 0-based start.
    pub start: u64,
    /// 0-based exclusive end.
    pub end: u64,
    /// Field 4, or empty.
    pub name: String,
    /// Field 6 (`+`, `-`, `.`), or empty.
    pub strand: String,
}

/// A BED reader over any [`BufRead`].
///
/// ```
/// use genome_io::bed::{BedReader, BedRegion};
/// let text = "track name=x\nchr1\t10\t20\tr1\t0\t-\nchr2\t0\t5\n";
/// let mut r = BedReader::new(text.as_bytes(), "<mem>");
/// let mut reg = BedRegion::default();
/// assert!(r.read_region(&mut reg).unwrap());
/// assert_eq!((reg.chrom.as_str(), reg.start, reg.end, reg.strand.as_str()), ("chr1", 10, 20, "-"));
/// let rest: Vec<BedRegion> = r.collect::<Result<_, _>>().unwrap();
/// assert_eq!(rest[0].name, "");
/// ```
pub struct BedReader<R> {
    inner: R,
    path: PathBuf,
    line: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> BedReader<R> {
    /// Wraps `inner`; `path` names the input in errors.
    pub fn new(inner: R, path: impl Into<PathBuf>) -> Self {
        BedReader {
            inner,
            path: path.into(),
            line: 0,
            buf: Vec::new(),
        }
    }

    /// Reads the next region into `region`, reusing its buffers; `false` at the end of input.
    pub fn read_region(&mut self, region: &mut BedRegion) -> Result<bool> {
        loop {
            let Some(text) =
                crate::line::next_line(&mut self.inner, &mut self.buf, &mut self.line, &self.path)?
            else {
                return Ok(false);
            };
            if text.is_empty()
                || text.starts_with(b"#")
                || text.starts_with(b"track")
                || text.starts_with(b"browser")
            {
                continue;
            }
            return parse_line(text, region)
                .map(|()| true)
                .map_err(|msg| Error::Parse {
                    path: self.path.clone(),
                    line: self.line,
                    msg,
                });
        }
    }
}

impl<R: BufRead> Iterator for BedReader<R> {
    type Item = Result<BedRegion>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut r = BedRegion::default();
        self.read_region(&mut r)
            .map(|more| more.then_some(r))
            .transpose()
    }
}

/// Parses one data line into `region`; the error is the message.
fn parse_line(text: &[u8], region: &mut BedRegion) -> std::result::Result<(), String> {
    let mut fields = text.split(|&b| b == b'\t');
    let mut next = |what: &str| -> std::result::Result<&str, String> {
        let f = fields.next().ok_or_else(|| {
            format!("a BED line needs at least 3 tab-separated fields; no {what}")
        })?;
        std::str::from_utf8(f).map_err(|_| format!("BED {what} is not UTF-8"))
    };
    let chrom = next("chrom")?;
    let coord = |s: &str, what: &str| {
        s.parse::<u64>()
            .map_err(|_| format!("BED {what} {s:?} is not a non-negative integer"))
    };
    let start = coord(next("start")?, "start")?;
    let end = coord(next("end")?, "end")?;
    if start > end {
        return Err(format!("BED start {start} is greater than end {end}"));
    }
    let name = next("name").unwrap_or("");
    let _score = next("score");
    let strand = next("strand").unwrap_or("");
    if !matches!(strand, "" | "+" | "-" | ".") {
        return Err(format!("BED strand {strand:?} is not '+', '-' or '.'"));
    }
    region.chrom.clear();
    region.chrom.push_str(chrom);
    region.start = start;
    region.end = end;
    region.name.clear();
    region.name.push_str(name);
    region.strand.clear();
    region.strand.push_str(strand);
    Ok(())
}

/// How many regions [`extract_bed`] read, wrote and skipped (as bedtools skips them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BedReport {
    /// Data lines read.
    pub regions: u64,
    /// FASTA records written.
    pub written: u64,
    /// Skipped: length 0.
    pub empty: u64,
    /// Skipped: end past the chromosome end.
    pub beyond_end: u64,
    /// Skipped: chromosome absent from the FASTA.
    pub missing_chrom: u64,
}

/// Reads regions to extract into `batch` (up to its length, or [`BATCH_BASES`] bases), counting
/// the skipped ones; returns how many were kept.
fn read_batch<S, R>(
    source: &S,
    bed: &mut BedReader<R>,
    batch: &mut [BedRegion],
    report: &mut BedReport,
) -> Result<usize>
where
    S: SequenceSource + ?Sized,
    R: BufRead,
{
    let (mut n, mut bases) = (0, 0);
    while n < batch.len() && bases < BATCH_BASES && bed.read_region(&mut batch[n])? {
        report.regions += 1;
        let r = &batch[n];
        match source.seq_len(&r.chrom) {
            None => report.missing_chrom += 1,
            Some(_) if r.start == r.end => report.empty += 1,
            Some(len) if r.end > len => report.beyond_end += 1,
            Some(_) => {
                bases += r.end - r.start;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// One output record: the header line and the oriented sequence.
#[derive(Clone, Default)]
struct Record {
    header: Vec<u8>,
    seq: Vec<u8>,
}

/// Extracts and formats `regions` into `records`, in parallel.
fn extract_batch<S: SequenceSource + ?Sized>(
    source: &S,
    regions: &[BedRegion],
    records: &mut [Record],
) -> Result<()> {
    regions
        .par_iter()
        .zip(records.par_iter_mut())
        .try_for_each(|(r, rec)| {
            source.fetch_into(&r.chrom, r.start, r.end, &mut rec.seq)?;
            if r.strand == "-" {
                reverse_complement_in_place(&mut rec.seq);
            }
            rec.header.clear();
            write_getfasta_header(
                &mut rec.header,
                &r.name,
                &r.chrom,
                r.start,
                r.end,
                &r.strand,
            )
            .map_err(|e| Error::io("<output>", e))
        })
}

/// Extracts every region of `bed` from `source` as `bedtools getfasta -s -name` FASTA into
/// `out`, streaming: regions are extracted and formatted in parallel batches (at most 4,096
/// regions or about 4 Mb) while the next batch is read, so the memory holds two batches
/// whatever the size of the BED (and at least the largest region).
///
/// ```
/// use genome_io::bed::{BedReader, extract_bed};
/// use genome_io::fasta::InMemoryGenome;
/// let g = InMemoryGenome::from_records([("c", "ACGTACGTACGTTTGG")]).unwrap();
/// let bed = "c\t2\t6\tn1\t0\t-\nc\t3\t3\tempty\t0\t+\nz\t1\t2\n";
/// let mut out = Vec::new();
/// let rep = extract_bed(&g, BedReader::new(bed.as_bytes(), "<mem>"), &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), ">n1::c:2-6(-)\nGTAC\n");
/// assert_eq!((rep.regions, rep.written, rep.empty, rep.missing_chrom), (3, 1, 1, 1));
/// ```
pub fn extract_bed<S, R, W>(source: &S, mut bed: BedReader<R>, out: &mut W) -> Result<BedReport>
where
    S: SequenceSource + ?Sized,
    R: BufRead + Send,
    W: Write + ?Sized,
{
    let io_err = |e| Error::io("<output>", e);
    let mut report = BedReport::default();
    let mut cur: Vec<BedRegion> = vec![BedRegion::default(); BATCH];
    let mut next: Vec<BedRegion> = vec![BedRegion::default(); BATCH];
    let mut records: Vec<Record> = vec![Record::default(); BATCH];
    let mut n = read_batch(source, &mut bed, &mut cur, &mut report)?;
    while n > 0 {
        let (read, extracted) = rayon::join(
            || read_batch(source, &mut bed, &mut next, &mut report),
            || extract_batch(source, &cur[..n], &mut records[..n]),
        );
        extracted?;
        for rec in &records[..n] {
            out.write_all(&rec.header)
                .and_then(|()| out.write_all(&rec.seq))
                .and_then(|()| out.write_all(b"\n"))
                .map_err(io_err)?;
        }
        report.written += n as u64;
        n = read?;
        std::mem::swap(&mut cur, &mut next);
    }
    out.flush().map_err(io_err)?;
    Ok(report)
}

/// Opens a BED file, plain or gzip/bgzip-compressed, as a [`BedReader`].
///
/// ```
/// let e = genome_io::bed::open_bed("/no/such.bed").err().unwrap();
/// assert!(e.to_string().contains("/no/such.bed"));
/// ```
pub fn open_bed(path: impl AsRef<Path>) -> Result<BedReader<Box<dyn BufRead + Send>>> {
    let path = path.as_ref();
    Ok(BedReader::new(
        crate::expression::open_maybe_gz(path)?,
        path,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str) -> Result<Vec<BedRegion>> {
        BedReader::new(text.as_bytes(), "t.bed").collect()
    }

    #[test]
    fn fields_headers_and_line_endings() {
        let r = parse_all(
            "# c\ntrack x\nbrowser y\n\nc1\t0\t5\r\nc2\t1\t2\tn\t9\nc3\t3\t9\tm\t0\t-\tx\ty\n",
        )
        .unwrap();
        let got: Vec<(&str, u64, u64, &str, &str)> = r
            .iter()
            .map(|b| {
                (
                    b.chrom.as_str(),
                    b.start,
                    b.end,
                    b.name.as_str(),
                    b.strand.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("c1", 0, 5, "", ""),
                ("c2", 1, 2, "n", ""),
                ("c3", 3, 9, "m", "-")
            ]
        );
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        for (text, line, what) in [
            ("c\t1\n", 1, "at least 3"),
            ("c\t0\t1\nc\t-1\t5\n", 2, "non-negative integer"),
            ("c\tx\t5\n", 1, "non-negative integer"),
            ("#h\nc\t6\t5\n", 2, "greater than end"),
            ("c\t1\t5\tn\t0\t*\n", 1, "strand"),
        ] {
            match parse_all(text) {
                Err(Error::Parse { line: l, msg, path }) => {
                    assert_eq!((l, path.to_str()), (line, Some("t.bed")), "{text:?}");
                    assert!(msg.contains(what), "{text:?}: {msg}");
                }
                other => panic!("{text:?}: expected a parse error, got {other:?}"),
            }
        }
    }
}
