//! Window output: FASTA exactly as `bedtools getfasta -s -name` writes it, BED6 and a TSV of
//! metadata. Files are written atomically ([`crate::atomic::write_atomic`]); any other writer
//! (stdout) is streamed.
//!
//! ## Formats
//! * **FASTA**: `>NAME::chrom:start-end(strand)` with the 0-based half-open genomic interval
//!   actually read, then the oriented sequence on one line (bedtools 2.30 `-s -name`).
//! * **BED6**: `chrom  start  end  name  0  strand`, 0-based half-open.
//! * **TSV**: header [`TSV_HEADER`]; `tss` is **1-based**, `start`/`end` are **0-based
//!   half-open** (as in the BED), `tss_index` is 0-based in the oriented sequence, missing values
//!   are `.`, `clipped_left`/`clipped_right` are `true`/`false` (genomic left/right end reached;
//!   under `pad` these windows were padded there).

use std::io::{self, Write};
use std::path::Path;

use crate::fasta::SequenceSource;
use crate::windows::{Window, for_each_sequence};
use crate::{Error, Result};

/// Output format of [`write_windows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// bedtools-style FASTA.
    Fasta,
    /// BED6.
    Bed,
    /// Metadata table.
    Tsv,
}

/// The TSV header line (without newline).
pub const TSV_HEADER: &str = "gene_id\tgene_name\ttranscript_id\tbiotype\tchrom\tstrand\ttss\tstart\tend\ttss_index\tclipped_left\tclipped_right";

/// The FASTA header (without `>`) bedtools `getfasta -s -name` writes for `w`.
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::windows::Window;
/// let w = Window { name: "T1".into(), gene_id: "G".into(), gene_name: None, transcript_id: None,
///     biotype: None, chrom: "chr1".into(), strand: Strand::Reverse, tss0: 150, start: 100,
///     end: 200, pad_5p: 0, pad_3p: 0, tss_index: 49, clipped_left: false, clipped_right: false };
/// assert_eq!(genome_io::output::fasta_header(&w), "T1::chr1:100-200(-)");
/// ```
pub fn fasta_header(w: &Window) -> String {
    format!(
        "{}::{}:{}-{}({})",
        w.name,
        w.chrom,
        w.start,
        w.end,
        w.strand.as_char()
    )
}

/// Writes one FASTA record (header line, sequence on one line).
pub fn write_fasta_record<W: Write + ?Sized>(
    out: &mut W,
    w: &Window,
    seq: &[u8],
) -> io::Result<()> {
    write_getfasta_header(out, &w.name, &w.chrom, w.start, w.end, w.strand.as_char())?;
    out.write_all(seq)?;
    out.write_all(b"\n")
}

/// Writes the header line `>NAME::chrom:start-end(STRAND)` (and its newline) of
/// `bedtools getfasta -s -name`; `strand` is written as given (it may be empty for BED input).
pub(crate) fn write_getfasta_header<W: Write + ?Sized>(
    out: &mut W,
    name: &str,
    chrom: &str,
    start: u64,
    end: u64,
    strand: impl std::fmt::Display,
) -> io::Result<()> {
    writeln!(out, ">{name}::{chrom}:{start}-{end}({strand})")
}

/// Writes one BED6 line.
pub fn write_bed_record<W: Write + ?Sized>(out: &mut W, w: &Window) -> io::Result<()> {
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t0\t{}",
        w.chrom,
        w.start,
        w.end,
        w.name,
        w.strand.as_char()
    )
}

/// Writes one TSV line (see [`TSV_HEADER`]).
pub fn write_tsv_record<W: Write + ?Sized>(out: &mut W, w: &Window) -> io::Result<()> {
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| ".".into());
    writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        w.gene_id,
        opt(&w.gene_name),
        opt(&w.transcript_id),
        opt(&w.biotype),
        w.chrom,
        w.strand.as_char(),
        w.tss0 + 1,
        w.start,
        w.end,
        w.tss_index,
        w.clipped_left,
        w.clipped_right
    )
}

/// Streams `windows` in `format` to `out` (sequences are extracted only for FASTA).
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::fasta::InMemoryGenome;
/// use genome_io::output::{write_windows, OutputFormat};
/// use genome_io::tss::Tss;
/// use genome_io::windows::{plan_windows, EndPolicy, WindowSpec};
/// let g = InMemoryGenome::from_records([("c", "AACCGGTTac")]).unwrap();
/// let t = Tss { gene_id: "G".into(), gene_name: None, transcript_id: Some("T".into()),
///               biotype: None, chrom: "c".into(), strand: Strand::Reverse, pos0: 8 };
/// let plan = plan_windows(&g, &[t], &WindowSpec::new(1, 2, EndPolicy::Skip)).unwrap();
/// let mut out = Vec::new();
/// write_windows(&g, &plan.windows, OutputFormat::Fasta, &mut out, |_| {}).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), ">T::c:6-10(-)\ngtAA\n");
/// ```
pub fn write_windows<S, P>(
    source: &S,
    windows: &[Window],
    format: OutputFormat,
    out: &mut dyn Write,
    progress: P,
) -> Result<()>
where
    S: SequenceSource + ?Sized,
    P: Fn(usize),
{
    let io_err = |e| Error::io("<output>", e);
    match format {
        OutputFormat::Fasta => for_each_sequence(
            source,
            windows,
            |w, s| write_fasta_record(out, w, s).map_err(io_err),
            progress,
        )?,
        OutputFormat::Bed => {
            for w in windows {
                write_bed_record(out, w).map_err(io_err)?;
            }
            progress(windows.len());
        }
        OutputFormat::Tsv => {
            writeln!(out, "{TSV_HEADER}").map_err(io_err)?;
            for w in windows {
                write_tsv_record(out, w).map_err(io_err)?;
            }
            progress(windows.len());
        }
    }
    out.flush().map_err(io_err)
}

/// Like [`write_windows`], into the file `path`, atomically: on any error the previous file (or
/// none) stays in place, never a partial one.
pub fn write_windows_to_path<S, P>(
    source: &S,
    windows: &[Window],
    format: OutputFormat,
    path: &Path,
    progress: P,
) -> Result<()>
where
    S: SequenceSource + ?Sized,
    P: Fn(usize),
{
    crate::atomic::write_atomic_with(path, |w| {
        write_windows(source, windows, format, w, &progress)
    })
}
