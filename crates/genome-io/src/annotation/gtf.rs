//! GTF (GENCODE / Ensembl flavours) → [`Annotation`], on top of noodles-gtf.
//!
//! Coordinates in the file are 1-based closed; the model stores 0-based half-open intervals.
//! Kept feature types: `gene`, `transcript`, `exon`, `CDS`, `UTR`, `five_prime_utr` (`5UTR`),
//! `three_prime_utr` (`3UTR`), `start_codon`, `stop_codon`; others are validated (columns,
//! coordinates) and ignored. `gene` and `transcript` lines are optional: transcripts and genes
//! are built from the lines that name them. A feature line without `gene_id` is accepted only
//! when its transcript was declared on an earlier line.

use std::borrow::Cow;
use std::io::BufRead;
use std::path::Path;

use noodles::gtf;

use super::Detail;
use super::builder::{Builder, GeneInfo, Kind, Loc, TxInfo};
use super::gtf_attrs::AttrIndex;
use super::lines::LineCounter;
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
pub fn read_gtf<R: BufRead>(reader: R, path: &Path) -> Result<Annotation> {
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
pub fn read_gtf_with<R: BufRead>(reader: R, path: &Path, detail: Detail) -> Result<Annotation> {
    let mut rdr = gtf::io::Reader::new(LineCounter::new(reader));
    let mut line = gtf::Line::default();
    let mut b = Builder::new(path.to_path_buf(), detail);
    let mut attrs = AttrIndex::default();
    loop {
        let n = rdr.read_line(&mut line).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        let lineno = rdr.get_ref().current_line();
        let raw: &[u8] = line.as_ref();
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Some(rec) = line.as_record() else {
            continue;
        };
        let rec = rec.map_err(|_| {
            b.err(
                lineno,
                K::TooFewColumns {
                    found: n_columns(raw),
                },
            )
        })?;
        gtf_record(&mut b, &rec, raw, lineno, &mut attrs)?;
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
    let s = start.map_err(|_| {
        b.err(
            lineno,
            K::BadCoordinate {
                column: "start",
                value: column(raw, 3),
            },
        )
    })?;
    let e = end.map_err(|_| {
        b.err(
            lineno,
            K::BadCoordinate {
                column: "end",
                value: column(raw, 4),
            },
        )
    })?;
    let (s, e) = (usize::from(s) as u64, usize::from(e) as u64);
    if s > e {
        return Err(b.err(lineno, K::StartAfterEnd { start: s, end: e }));
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
    use noodles::gff::feature::record::Strand as S;
    match s {
        Ok(S::Forward) => Ok(Strand::Forward),
        Ok(S::Reverse) => Ok(Strand::Reverse),
        _ => Err(b.err(lineno, K::BadStrand(column(raw, 6)))),
    }
}

fn kind_of(ty: &[u8]) -> Option<Option<Kind>> {
    Some(Some(match ty {
        b"gene" | b"transcript" => return Some(None),
        b"exon" => Kind::Exon,
        b"CDS" => Kind::Cds,
        b"UTR" => Kind::Utr,
        b"five_prime_utr" | b"5UTR" | b"five_prime_UTR" => Kind::FivePrimeUtr,
        b"three_prime_utr" | b"3UTR" | b"three_prime_UTR" => Kind::ThreePrimeUtr,
        b"start_codon" => Kind::StartCodon,
        b"stop_codon" => Kind::StopCodon,
        _ => return None,
    }))
}

/// The ninth column (everything after the eighth tab).
fn attribute_column(raw: &[u8]) -> &[u8] {
    let mut rest = raw;
    for _ in 0..8 {
        match memchr::memchr(b'\t', rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return &[],
        }
    }
    rest
}

fn gtf_record(
    b: &mut Builder,
    rec: &gtf::Record<'_>,
    raw: &[u8],
    lineno: u64,
    attrs: &mut AttrIndex,
) -> Result<()> {
    let iv = interval(b, lineno, raw, rec.start(), rec.end())?;
    let ty: &[u8] = rec.ty().as_ref();
    let Some(kind) = kind_of(ty) else {
        return Ok(());
    };
    let strand = strand(b, lineno, raw, rec.strand())?;
    let col = attribute_column(raw);
    attrs
        .index(col)
        .map_err(|e| b.err(lineno, K::BadAttributes(e.to_string())))?;
    let first = |key: &[u8]| attrs.first(col, key);
    let owned = |key: &[u8]| first(key).map(Cow::into_owned);
    let all = |key: &[u8]| -> Vec<String> { attrs.values(col, key).map(Cow::into_owned).collect() };
    let chrom = String::from_utf8_lossy(rec.reference_sequence_name().as_ref());
    let loc = Loc {
        line: lineno,
        chrom: &chrom,
        strand,
        iv,
    };
    let gene_id = first(b"gene_id");
    let gene = |id: &str| GeneInfo {
        id: id.to_string(),
        name: owned(b"gene_name"),
        biotype: owned(b"gene_type").or_else(|| owned(b"gene_biotype")),
    };
    if ty == b"gene" {
        let id = gene_id.ok_or_else(|| b.err(lineno, K::MissingAttribute("gene_id")))?;
        b.gene(&gene(&id), &loc, true)?;
        return Ok(());
    }
    let tx_id = first(b"transcript_id")
        .ok_or_else(|| b.err(lineno, K::MissingAttribute("transcript_id")))?;
    let tx = || TxInfo {
        id: tx_id.to_string(),
        name: owned(b"transcript_name"),
        biotype: owned(b"transcript_type").or_else(|| owned(b"transcript_biotype")),
        tags: all(b"tag"),
        support_level: owned(b"transcript_support_level"),
    };
    match (kind, gene_id) {
        (None, Some(gid)) => b.transcript(&gene(&gid), &tx(), &loc, true),
        (None, None) => Err(b.err(lineno, K::MissingAttribute("gene_id"))),
        (Some(k), gid) => {
            if let Some(gid) = gid {
                match b.gene_of(&tx_id) {
                    None => b.transcript(&gene(&gid), &tx(), &loc, false)?,
                    Some(known) if known != gid => {
                        let msg = format!(
                            "transcript {tx_id:?} was given gene {known:?} before, now {gid:?}"
                        );
                        return Err(b.err(lineno, K::Inconsistent(msg)));
                    }
                    Some(_) => {}
                }
            }
            b.feature(&tx_id, &String::from_utf8_lossy(ty), k, &loc)
        }
    }
}
