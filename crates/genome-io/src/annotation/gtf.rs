//! GTF (GENCODE / Ensembl flavours) → [`Annotation`], on top of noodles-gtf.
//!
//! Coordinates in the file are 1-based closed; the model stores 0-based half-open intervals.
//! Kept feature types: `gene`, `transcript`, `exon`, `CDS`, `UTR`, `five_prime_utr` (`5UTR`),
//! `three_prime_utr` (`3UTR`), `start_codon`, `stop_codon`; others are validated (columns,
//! coordinates) and ignored. `gene` and `transcript` lines are optional: transcripts and genes
//! are built from the lines that name them. A feature line without `gene_id` is accepted only
//! when its transcript was declared on an earlier line.
//!
//! The file is read in blocks of whole lines; each batch of blocks is parsed on the rayon pool
//! while one thread applies the previous batch to the model in file order, so an error names
//! the same (first) line as a line-by-line reader would (`gtf_events.rs`). With one rayon
//! thread the file is parsed and applied line by line.

use std::io::BufRead;
use std::path::Path;

use rayon::prelude::*;

use super::Detail;
use super::blocks::LineBlocks;
use super::builder::Builder;
use super::gtf_events::{Parsed, apply_block, apply_stream, parse_block};
use super::model::{Annotation, Interval, Strand};
use crate::error::AnnotationErrorKind as K;
use crate::{Error, Result};

/// Reads a GTF stream. `path` only labels errors (use `Path::new("<memory>")` for in-memory data).
///
/// ```
/// use genome_io::annotation::{read_gtf, Interval, Strand};
/// let gtf = "chr1\tX\texon\t101\t200\t.\t-\t.\tgene_id \"G1\"; transcript_id \"T1\"; gene_type \"lncRNA\";\n";
/// let ann = read_gtf(gtf.as_bytes(), std::path::Path::new("<memory>")).unwrap();
/// let (gene, tx) = ann.transcript("T1").unwrap();
/// assert_eq!(gene.biotype.as_deref(), Some("lncRNA"));
/// assert_eq!(tx.exons, vec![Interval { start: 100, end: 200 }]);
/// assert_eq!((tx.strand, tx.tss0() + 1), (Strand::Reverse, 200)); // 1-based TSS = end on '-'
/// ```
pub fn read_gtf<R: BufRead + Send>(reader: R, path: &Path) -> Result<Annotation> {
    read_gtf_with(reader, path, Detail::Full)
}

/// [`read_gtf`] keeping only what `detail` asks for (see [`Detail`]).
///
/// ```
/// use genome_io::annotation::{read_gtf_with, Detail};
/// let gtf = "chr1\tX\texon\t101\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n";
/// let ann = read_gtf_with(gtf.as_bytes(), std::path::Path::new("<memory>"), Detail::Spans).unwrap();
/// let (_, tx) = ann.transcript("T1").unwrap();
/// assert!(tx.exons.is_empty());
/// assert_eq!(tx.tss0(), 100);
/// ```
pub fn read_gtf_with<R: BufRead + Send>(
    reader: R,
    path: &Path,
    detail: Detail,
) -> Result<Annotation> {
    // One thread gains nothing from blocks, and would pay for storing the events.
    let blocks = (rayon::current_num_threads() > 1).then_some(BLOCK_BYTES);
    read_gtf_blocks(reader, path, detail, blocks)
}

/// Bytes per block of lines parsed by one task.
const BLOCK_BYTES: usize = 1 << 20;
/// Blocks read, then parsed in parallel, per batch and per rayon thread. A block takes about
/// 2 MB with its events, and two batches are held at a time.
const BLOCKS_PER_THREAD: usize = 4;

/// [`read_gtf_with`] in blocks of about `block_bytes`, or line by line for `None`. Each batch
/// of blocks is parsed in parallel (rayon) into events; the builder takes one batch's events in
/// file order, on one thread, while the next batch is read and parsed.
pub(crate) fn read_gtf_blocks<R: BufRead + Send>(
    reader: R,
    path: &Path,
    detail: Detail,
    block_bytes: Option<usize>,
) -> Result<Annotation> {
    let mut b = Builder::new(path.to_path_buf(), detail);
    let Some(block_bytes) = block_bytes else {
        apply_stream(reader, &mut b, path)?;
        return b.finish();
    };
    let mut blocks = LineBlocks::new(reader, block_bytes);
    let batch_blocks = BLOCKS_PER_THREAD * rayon::current_num_threads();
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut read_and_parse = || -> Result<Vec<Parsed>> {
        batch.resize_with(batch_blocks, Vec::new);
        let mut filled = 0;
        while filled < batch_blocks
            && blocks
                .read_block(&mut batch[filled])
                .map_err(|e| Error::io(path, e))?
        {
            filled += 1;
        }
        Ok(batch[..filled]
            .par_iter()
            .map(|bytes| parse_block(bytes))
            .collect())
    };
    let mut offset = 0u64;
    let mut parsed = read_and_parse()?;
    while !parsed.is_empty() {
        let (applied, next) = rayon::join(
            || {
                parsed
                    .into_iter()
                    .try_for_each(|p| apply_block(&mut b, p, &mut offset, path))
            },
            &mut read_and_parse,
        );
        applied?;
        parsed = next?;
    }
    b.finish()
}

/// Number of tab-separated columns of a line.
pub(crate) fn n_columns(raw: &[u8]) -> usize {
    raw.split(|&c| c == b'\t').count()
}

/// The raw text of column `i` (0-based), for error messages.
pub(crate) fn column(raw: &[u8], i: usize) -> String {
    raw.split(|&c| c == b'\t')
        .nth(i)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .unwrap_or_default()
}

/// Validated 1-based coordinates → 0-based half-open interval.
pub(crate) fn interval(
    b: &Builder,
    lineno: u64,
    raw: &[u8],
    start: std::io::Result<noodles::core::Position>,
    end: std::io::Result<noodles::core::Position>,
) -> Result<Interval> {
    check_interval(raw, start, end).map_err(|kind| b.err(lineno, kind))
}

/// [`interval`], saying only what was wrong.
pub(crate) fn check_interval(
    raw: &[u8],
    start: std::io::Result<noodles::core::Position>,
    end: std::io::Result<noodles::core::Position>,
) -> std::result::Result<Interval, K> {
    let s = start.map_err(|_| K::BadCoordinate {
        column: "start",
        value: column(raw, 3),
    })?;
    let e = end.map_err(|_| K::BadCoordinate {
        column: "end",
        value: column(raw, 4),
    })?;
    let (s, e) = (usize::from(s) as u64, usize::from(e) as u64);
    if s > e {
        return Err(K::StartAfterEnd { start: s, end: e });
    }
    Ok(Interval::from_one_based(s, e))
}

/// `+`/`-` → strand; anything else (including `.`) is an error for the kept features.
pub(crate) fn strand(
    b: &Builder,
    lineno: u64,
    raw: &[u8],
    s: std::io::Result<noodles::gff::feature::record::Strand>,
) -> Result<Strand> {
    check_strand(raw, s).map_err(|kind| b.err(lineno, kind))
}

/// [`strand`], saying only what was wrong.
pub(crate) fn check_strand(
    raw: &[u8],
    s: std::io::Result<noodles::gff::feature::record::Strand>,
) -> std::result::Result<Strand, K> {
    use noodles::gff::feature::record::Strand as S;
    match s {
        Ok(S::Forward) => Ok(Strand::Forward),
        Ok(S::Reverse) => Ok(Strand::Reverse),
        _ => Err(K::BadStrand(column(raw, 6))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Genes with and without `gene`/`transcript` lines, features before their transcript line,
    /// a feature line without `gene_id` after its transcript, transcripts whose lines are not
    /// contiguous, repeated tags, comments, blank and ignored lines.
    const GTF: &str = "#!genome-build test\n\
chr1\tX\tgene\t100\t900\t.\t+\t.\tgene_id \"G1\"; gene_name \"A\"; gene_type \"protein_coding\";\n\
chr1\tX\ttranscript\t100\t900\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\"; tag \"basic\"; tag \"CCDS\";\n\
chr1\tX\texon\t100\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n\
chr1\tX\tCDS\t150\t200\t.\t+\t0\tgene_id \"G1\"; transcript_id \"T1\";\n\
\n\
chr1\tX\texon\t150\t300\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T2\"; transcript_name \"A-2\";\n\
chr1\tX\tUTR\t100\t149\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";\n\
chr1\tX\tsimilarity\t1\t5\t.\t.\t.\tgene_id \"G9\";\n\
chr1\tX\texon\t800\t900\t.\t+\t.\ttranscript_id \"T1\";\n\
chr1\tX\texon\t400\t500\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T2\";\n\
# a comment\n\
chr2\tX\texon\t50\t60\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T3\"; gene_name \"Q\"; transcript_type \"lncRNA\";\n\
chr2\tX\texon\t10\t20\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T3\";\n\
chr2\tX\ttranscript\t10\t60\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T3\"; transcript_support_level \"1\";\n\
chr2\tX\tstop_codon\t10\t12\t.\t-\t0\tgene_id \"G2\"; transcript_id \"T3\";";

    /// The result of reading `text` in blocks of `size` bytes (`None`: line by line, as with
    /// one thread): the annotation, or the error as displayed (it names the line).
    fn read(text: &[u8], size: Option<usize>) -> std::result::Result<Annotation, String> {
        read_gtf_blocks(text, Path::new("t.gtf"), Detail::Full, size).map_err(|e| e.to_string())
    }

    #[test]
    fn every_block_size_gives_the_line_by_line_result() {
        let whole = read(GTF.as_bytes(), None).expect("valid GTF");
        let (gene, t1) = whole.transcript("T1").expect("T1");
        assert_eq!((gene.name.as_deref(), t1.tags.len()), (Some("A"), 2));
        assert_eq!(t1.exons.len(), 2);
        let (g2, t3) = whole.transcript("T3").expect("T3");
        assert_eq!(g2.name.as_deref(), Some("Q"));
        assert_eq!(
            (t3.biotype.as_deref(), t3.support_level.as_deref()),
            (Some("lncRNA"), Some("1"))
        );
        for size in 1..=GTF.len() + 1 {
            assert_eq!(
                read(GTF.as_bytes(), Some(size)).as_ref(),
                Ok(&whole),
                "block size {size}"
            );
        }
    }

    #[test]
    fn the_first_error_in_file_order_is_reported_at_every_block_size() {
        let lines: Vec<&str> = GTF.lines().collect();
        // (line to insert after, bad line, what the error names): a parse error, and errors
        // found only against earlier lines (another gene, an unknown transcript, another
        // chromosome).
        let bad = [
            (
                3,
                "chr1\tX\texon\t300\t200\t.\t+\t.\tgene_id \"G1\"; transcript_id \"T1\";",
                "300",
            ),
            (
                3,
                "chr1\tX\texon\t300\t400\t.\t+\t.\tgene_id \"G7\"; transcript_id \"T1\";",
                "G7",
            ),
            (
                9,
                "chr1\tX\texon\t300\t400\t.\t+\t.\ttranscript_id \"T8\";",
                "T8",
            ),
            (
                13,
                "chr3\tX\texon\t70\t80\t.\t-\t.\tgene_id \"G2\"; transcript_id \"T3\";",
                "chr3",
            ),
        ];
        for (after, line, names) in bad {
            let mut with: Vec<&str> = lines.clone();
            with.insert(after, line);
            // A second malformed line later must not be the one reported.
            with.push("chr9\tX\texon\tx\t1\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";");
            let text = with.join("\n");
            let want = format!("t.gtf:{}:", after + 1);
            let whole = read(text.as_bytes(), None).expect_err("malformed");
            assert!(whole.contains(&want) && whole.contains(names), "{whole}");
            for size in [1, 2, 7, 40, 100, 333, text.len()] {
                assert_eq!(
                    read(text.as_bytes(), Some(size)),
                    Err(whole.clone()),
                    "size {size}"
                );
            }
        }
    }
}
