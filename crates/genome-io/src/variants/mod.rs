//! Promoter windows with a variant applied: the alternative sequence of a TSS window.
//!
//! ## Overlap
//! A variant overlaps a [`Window`] when its REF span `[POS - 1, POS - 1 + len(REF))` (0-based
//! half-open) meets the genomic bases the window reads, `[start, end)`, on the same chromosome
//! (names compared directly or through [`chrom_aliases`]: `chr9` meets `9`). [`WindowIndex`]
//! finds the windows a variant overlaps.
//!
//! ## REF check
//! The whole REF (also its part outside a partly overlapping window) is compared with the genome,
//! case-insensitively. A mismatch is [`AltOutcome::RefMismatch`] with the genome's bases, and a
//! REF running past the chromosome end is [`AltOutcome::RefBeyondChromosome`]; neither builds a
//! sequence (not to be scored).
//!
//! ## The alternative window
//! The same genomic interval `[start, end)` with the allele applied, then oriented like the
//! reference window (reverse-complemented on `-`) and padded with the same `N`s under
//! [`EndPolicy::Pad`](crate::windows::EndPolicy::Pad). Genome bases keep their case; ALT bases
//! are inserted uppercase. An indel changes the length by `len(ALT) - len(REF)`. Every variant is
//! applied alone to the reference: overlapping variants are scored independently.
//!
//! **Partial overlap** (REF span crossing `start` or `end`): only the REF bases inside the window
//! are replaced. ALT is aligned to REF from its left end, as VCF anchors alleles: REF base `i`
//! becomes ALT base `i`; the bases ALT has beyond `len(REF)` belong to REF's last base, and REF
//! bases beyond `len(ALT)` are deleted. So the inside part `REF[k0..k1]` becomes
//! `ALT[min(k0, la)..e]` with `e = la` when REF's last base is inside (`k1 = len(REF)`), else
//! `min(k1, la)`. E.g. REF `ACGT` ALT `A` with the window ending after `C`: the window keeps `A`
//! and loses `C`. [`AltWindow::partial`] flags these.
//!
//! ## Fixed length ([`FixedLength`])
//! Models often need the reference length. In the oriented sequence the TSS sits at
//! [`Window::tss_index`] (`upstream` for unclipped windows):
//! * `Off`: the length changes with the indel.
//! * `AtEnd`: trim or pad with `N` at the end of the oriented sequence (the 3' end on the
//!   transcript strand, the `downstream` side: genomic right on `+`, genomic left on `-`).
//!   The TSS moves by the length change when the variant lies 5' of it.
//! * `KeepTss`: trim or pad at the 5' end (start of the string) when the variant lies wholly 5'
//!   of the TSS, else at the 3' end, so that the TSS stays at `tss_index` whenever the variant
//!   does not cover it.

mod index;

pub use self::index::WindowIndex;
use crate::Result;
use crate::annotation::Strand;
use crate::fasta::{SequenceSource, chrom_aliases};
use crate::seq::reverse_complement_in_place;
use crate::vcf::VcfRecord;
use crate::windows::Window;

/// How [`alt_window`] treats the length change of an indel (see the module docs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FixedLength {
    /// The alternative sequence is `len(ALT) - len(REF)` longer than the reference.
    #[default]
    Off,
    /// Trim or pad with `N` at the end of the oriented sequence (3', downstream side).
    AtEnd,
    /// Trim or pad on the variant's side of the TSS, keeping the TSS index.
    KeepTss,
}

/// Options of [`alt_window`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AltOptions {
    /// Length policy.
    pub fixed_length: FixedLength,
}

/// What [`alt_window`] built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AltWindow {
    /// The REF span crosses the window's start or end (see the module docs).
    pub partial: bool,
    /// Length of the alternative sequence minus the reference window's, before [`FixedLength`].
    pub length_change: i64,
    /// Index of the TSS base in the returned sequence; `None` when an indel covers the TSS.
    pub tss_index: Option<u64>,
}

/// The outcome of applying one variant to one window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AltOutcome {
    /// The variant's REF span does not meet the window.
    NoOverlap,
    /// REF disagrees with the genome (not scored).
    RefMismatch {
        /// The genome's bases over the REF span, case as in the FASTA.
        genome: String,
    },
    /// REF runs past the chromosome end (not scored).
    RefBeyondChromosome {
        /// Chromosome length in the FASTA.
        chrom_len: u64,
    },
    /// The alternative sequence was written to the buffer.
    Applied(AltWindow),
}

/// True when `a` and `b` name the same chromosome, directly or through an alias.
fn same_chrom(a: &str, b: &str) -> bool {
    a == b || chrom_aliases(a).iter().any(|x| x == b)
}

/// Whether the REF span of `v` meets the genomic bases of `w` (see the module docs).
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::fasta::InMemoryGenome;
/// use genome_io::tss::Tss;
/// use genome_io::variants::overlaps;
/// use genome_io::vcf::VcfRecord;
/// use genome_io::windows::{plan_windows, EndPolicy, WindowSpec};
/// let g = InMemoryGenome::from_records([("9", "ACGTACGTAC")]).unwrap();
/// let t = Tss { gene_id: "G".into(), gene_name: None, transcript_id: None, biotype: None,
///               chrom: "9".into(), strand: Strand::Forward, pos0: 4 };
/// let w = &plan_windows(&g, &[t], &WindowSpec::new(1, 1, EndPolicy::Skip)).unwrap().windows[0];
/// let v = |pos, r: &str| VcfRecord { chrom: "chr9".into(), pos, reference: r.into(), ..Default::default() };
/// assert!(overlaps(w, &v(4, "T")) && overlaps(w, &v(2, "GTA")) && !overlaps(w, &v(7, "G")));
/// ```
pub fn overlaps(w: &Window, v: &VcfRecord) -> bool {
    v.start0() < w.end && v.end0() > w.start && same_chrom(&w.chrom, &v.chrom)
}

/// Writes into `buf` the alternative sequence of window `w` with variant `v` applied (see the
/// module docs for overlap, REF check, partial overlaps and [`FixedLength`]); `buf` is left
/// empty unless the outcome is [`AltOutcome::Applied`]. Errors only when the genome cannot be
/// read (e.g. the window's chromosome is absent from `source`).
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::fasta::InMemoryGenome;
/// use genome_io::tss::Tss;
/// use genome_io::variants::{alt_window, AltOptions, AltOutcome, FixedLength};
/// use genome_io::vcf::VcfRecord;
/// use genome_io::windows::{plan_windows, EndPolicy, WindowSpec};
/// let g = InMemoryGenome::from_records([("c", "AACCGGTTAC")]).unwrap();
/// let t = Tss { gene_id: "G".into(), gene_name: None, transcript_id: None, biotype: None,
///               chrom: "c".into(), strand: Strand::Reverse, pos0: 5 };
/// let w = &plan_windows(&g, &[t], &WindowSpec::new(2, 2, EndPolicy::Skip)).unwrap().windows[0];
/// // genomic [3, 8) = CGGTT, oriented AACCG; the TSS base G (0-based 5) sits at index 2.
/// let v = VcfRecord { chrom: "c".into(), pos: 7, reference: "T".into(), alt: "TAA".into(),
///                     ..Default::default() };
/// let mut buf = Vec::new();
/// let out = alt_window(&g, w, &v, &AltOptions::default(), &mut buf)?;
/// assert_eq!(buf, b"ATTACCG"); // genomic CGGTAAT, reverse-complemented
/// assert!(matches!(out, AltOutcome::Applied(a) if a.length_change == 2 && a.tss_index == Some(4)));
/// let keep = AltOptions { fixed_length: FixedLength::KeepTss };
/// alt_window(&g, w, &v, &keep, &mut buf)?;
/// assert_eq!(buf, b"TACCG"); // trimmed on the 5' side: the TSS stays at index 2
/// let bad = VcfRecord { reference: "G".into(), ..v };
/// assert_eq!(alt_window(&g, w, &bad, &keep, &mut buf)?, AltOutcome::RefMismatch { genome: "T".into() });
/// # Ok::<(), genome_io::Error>(())
/// ```
pub fn alt_window<S: SequenceSource + ?Sized>(
    source: &S,
    w: &Window,
    v: &VcfRecord,
    opts: &AltOptions,
    buf: &mut Vec<u8>,
) -> Result<AltOutcome> {
    buf.clear();
    if !overlaps(w, v) {
        return Ok(AltOutcome::NoOverlap);
    }
    let (v0, v1) = (v.start0(), v.end0());
    let Some(chrom_len) = source.seq_len(&w.chrom) else {
        // The source's typed error (unknown sequence, with the --chrom-alias hint).
        source.fetch_into(&w.chrom, 0, 0, buf)?;
        return Ok(AltOutcome::RefBeyondChromosome { chrom_len: 0 });
    };
    if v1 > chrom_len {
        return Ok(AltOutcome::RefBeyondChromosome { chrom_len });
    }
    let (a, b) = (v0.min(w.start), v1.max(w.end));
    source.fetch_into(&w.chrom, a, b, buf)?;
    let genome_ref = &buf[(v0 - a) as usize..(v1 - a) as usize];
    if !genome_ref.eq_ignore_ascii_case(v.reference.as_bytes()) {
        let genome = String::from_utf8_lossy(genome_ref).into_owned();
        buf.clear();
        return Ok(AltOutcome::RefMismatch { genome });
    }
    // The part of the REF span inside the window, and the ALT bases that replace it.
    let (c0, c1) = (v0.max(w.start), v1.min(w.end));
    let (k0, k1) = ((c0 - v0) as usize, (c1 - v0) as usize);
    let (lr, la) = (v.reference.len(), v.alt.len());
    let s = k0.min(la);
    let e = if k1 == lr { la } else { k1.min(la) };
    let alt = &v.alt.as_bytes()[s..e];
    let length_change = alt.len() as i64 - (k1 - k0) as i64;
    buf.splice((c0 - a) as usize..(c1 - a) as usize, alt.iter().copied());
    buf.truncate(((w.end - a) as i64 + length_change) as usize);
    buf.drain(..(w.start - a) as usize);
    if w.strand == Strand::Reverse {
        reverse_complement_in_place(buf);
    }
    if w.pad_5p > 0 {
        buf.splice(0..0, std::iter::repeat_n(b'N', w.pad_5p as usize));
    }
    buf.resize(buf.len() + w.pad_3p as usize, b'N');

    // Where the clipped REF span sits in the oriented reference, relative to the TSS.
    let (o0, o1) = match w.strand {
        Strand::Forward => (w.pad_5p + c0 - w.start, w.pad_5p + c1 - w.start),
        Strand::Reverse => (w.pad_5p + w.end - c1, w.pad_5p + w.end - c0),
    };
    let five_prime = o1 <= w.tss_index;
    let mut tss_index = if five_prime {
        Some((w.tss_index as i64 + length_change) as u64)
    } else if o0 > w.tss_index || length_change == 0 {
        Some(w.tss_index)
    } else {
        None
    };
    let len = w.len() as usize;
    match opts.fixed_length {
        FixedLength::Off => {}
        FixedLength::KeepTss if five_prime => {
            if buf.len() > len {
                buf.drain(..buf.len() - len);
            } else {
                buf.splice(0..0, std::iter::repeat_n(b'N', len - buf.len()));
            }
            tss_index = Some(w.tss_index);
        }
        FixedLength::AtEnd | FixedLength::KeepTss => {
            buf.resize(len, b'N');
            tss_index = tss_index.filter(|&t| t < len as u64);
        }
    }
    Ok(AltOutcome::Applied(AltWindow {
        partial: v0 < w.start || v1 > w.end,
        length_change,
        tss_index,
    }))
}

#[cfg(test)]
mod tests;
