//! Xpresso's gene-structure ("half-life") features per transcript, from the annotation and the
//! genome sequence.
//!
//! ## Columns (Xpresso's order, [`HalfLifeFeatures::COLUMNS`])
//! 1. 5' UTR length
//! 2. CDS length
//! 3. intron length (sum over the transcript's introns)
//! 4. 3' UTR length
//! 5. GC fraction of the spliced 5' UTR
//! 6. GC fraction of the spliced CDS
//! 7. GC fraction of the spliced 3' UTR
//! 8. ORF exon density: number of CDS segments × 1000 / CDS length
//!
//! ## Lengths
//! [`LengthConvention::Biological`] (default) counts bases: a GTF segment `start..=end` (1-based
//! closed) has `end - start + 1`. [`LengthConvention::XpressoQuirk`] reproduces Xpresso's original
//! computation, `end - start` per segment (one base short per UTR/CDS segment and per intron).
//! CDS segments are taken as annotated (GENCODE/Ensembl GTF: stop codon excluded); UTRs as
//! annotated (GENCODE `UTR` classified 5'/3', see [`genome_io::annotation`]).
//!
//! ## Missing values
//! A transcript without a 5' (3') UTR has length 0 and GC `None`; a CDS-less transcript has CDS
//! length 0 and GC and exon density `None`; GC is also `None` when the segment has no A/C/G/T
//! (all `N`). [`HalfLifeFeatures::to_array`] encodes `None` as `f64::NAN`, to be imputed later (e.g.
//! with the training-split mean) before z-scoring. GC is strand-invariant (complementing keeps
//! G+C), so the spliced segments are not reverse-complemented for it.

use rayon::prelude::*;

use crate::Result;
use genome_io::annotation::{Interval, Transcript};
use genome_io::fasta::SequenceSource;
use genome_io::seq::gc_fraction;

/// How segment lengths are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LengthConvention {
    /// `end - start + 1` per 1-based segment: the number of bases.
    #[default]
    Biological,
    /// `end - start` per 1-based segment, as Xpresso computed it.
    XpressoQuirk,
}

/// The eight gene-structure features of one transcript.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HalfLifeFeatures {
    /// 5' UTR length.
    pub utr5_len: u64,
    /// CDS length.
    pub cds_len: u64,
    /// Total intron length.
    pub intron_len: u64,
    /// 3' UTR length.
    pub utr3_len: u64,
    /// GC fraction of the spliced 5' UTR.
    pub utr5_gc: Option<f64>,
    /// GC fraction of the spliced CDS.
    pub cds_gc: Option<f64>,
    /// GC fraction of the spliced 3' UTR.
    pub utr3_gc: Option<f64>,
    /// CDS segments × 1000 / CDS length.
    pub orf_exon_density: Option<f64>,
}

impl HalfLifeFeatures {
    /// Column names in Xpresso's order.
    pub const COLUMNS: [&'static str; 8] = [
        "utr5_len",
        "cds_len",
        "intron_len",
        "utr3_len",
        "utr5_gc",
        "cds_gc",
        "utr3_gc",
        "orf_exon_density",
    ];

    /// The features in [`Self::COLUMNS`] order, `None` as `NaN`.
    pub fn to_array(&self) -> [f64; 8] {
        let o = |v: Option<f64>| v.unwrap_or(f64::NAN);
        [
            self.utr5_len as f64,
            self.cds_len as f64,
            self.intron_len as f64,
            self.utr3_len as f64,
            o(self.utr5_gc),
            o(self.cds_gc),
            o(self.utr3_gc),
            o(self.orf_exon_density),
        ]
    }
}

fn seg_len(iv: &Interval, conv: LengthConvention) -> u64 {
    match conv {
        LengthConvention::Biological => iv.len(),
        LengthConvention::XpressoQuirk => iv.len().saturating_sub(1),
    }
}

fn sum_len(ivs: &[Interval], conv: LengthConvention) -> u64 {
    ivs.iter().map(|iv| seg_len(iv, conv)).sum()
}

/// Introns between consecutive exons (sorted ascending), 0-based half-open.
fn introns(exons: &[Interval]) -> Vec<Interval> {
    exons
        .windows(2)
        .filter(|w| w[1].start > w[0].end)
        .map(|w| Interval {
            start: w[0].end,
            end: w[1].start,
        })
        .collect()
}

fn spliced_gc<S: SequenceSource + ?Sized>(
    source: &S,
    chrom: &str,
    ivs: &[Interval],
    buf: &mut Vec<u8>,
) -> Result<Option<f64>> {
    let mut all = Vec::new();
    for iv in ivs {
        source.fetch_into(chrom, iv.start, iv.end, buf)?;
        all.extend_from_slice(buf);
    }
    Ok(gc_fraction(&all))
}

/// The features of one transcript.
///
/// ```
/// use genome_io::annotation::read_gtf;
/// use genome_io::fasta::InMemoryGenome;
/// use datasets::features::{transcript_features, LengthConvention};
/// let g = InMemoryGenome::from_records([("c", "AAGGCCTTAAGGCCTTAAGG")]).unwrap();
/// let gtf = "\
/// c\tX\texon\t1\t6\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";
/// c\tX\texon\t11\t20\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";
/// c\tX\tfive_prime_utr\t1\t2\t.\t+\t.\tgene_id \"G\"; transcript_id \"T\";
/// c\tX\tCDS\t3\t6\t.\t+\t0\tgene_id \"G\"; transcript_id \"T\";
/// c\tX\tCDS\t11\t12\t.\t+\t2\tgene_id \"G\"; transcript_id \"T\";
/// ";
/// let ann = read_gtf(gtf.as_bytes(), std::path::Path::new("<memory>")).unwrap();
/// let (_, t) = ann.transcript("T").unwrap();
/// let f = transcript_features(&g, t, LengthConvention::Biological).unwrap();
/// assert_eq!((f.utr5_len, f.cds_len, f.intron_len, f.utr3_len), (2, 6, 4, 0));
/// assert_eq!((f.utr5_gc, f.cds_gc, f.utr3_gc), (Some(0.0), Some(1.0), None)); // AA, GGCC+GG
/// assert_eq!(f.orf_exon_density, Some(2.0 * 1000.0 / 6.0));
/// let q = transcript_features(&g, t, LengthConvention::XpressoQuirk).unwrap();
/// assert_eq!((q.utr5_len, q.cds_len, q.intron_len), (1, 4, 3));
/// ```
pub fn transcript_features<S: SequenceSource + ?Sized>(
    source: &S,
    tx: &Transcript,
    conv: LengthConvention,
) -> Result<HalfLifeFeatures> {
    let mut buf = Vec::new();
    let cds_len = sum_len(&tx.cds, conv);
    let gc = |ivs: &[Interval], buf: &mut Vec<u8>| -> Result<Option<f64>> {
        if ivs.is_empty() {
            Ok(None)
        } else {
            spliced_gc(source, &tx.chrom, ivs, buf)
        }
    };
    Ok(HalfLifeFeatures {
        utr5_len: sum_len(&tx.five_prime_utr, conv),
        cds_len,
        intron_len: sum_len(&introns(&tx.exons), conv),
        utr3_len: sum_len(&tx.three_prime_utr, conv),
        utr5_gc: gc(&tx.five_prime_utr, &mut buf)?,
        cds_gc: gc(&tx.cds, &mut buf)?,
        utr3_gc: gc(&tx.three_prime_utr, &mut buf)?,
        orf_exon_density: (cds_len > 0).then(|| tx.cds.len() as f64 * 1000.0 / cds_len as f64),
    })
}

/// The features of many transcripts, computed in parallel, in input order.
pub fn features_for<S: SequenceSource + ?Sized>(
    source: &S,
    transcripts: &[&Transcript],
    conv: LengthConvention,
) -> Result<Vec<HalfLifeFeatures>> {
    transcripts
        .par_iter()
        .map(|t| transcript_features(source, t, conv))
        .collect()
}
