//! Strand-aware windows around TSSs, extracted in parallel with a deterministic order.
//!
//! ## Geometry
//! A window spans `upstream` bases 5' of the TSS, the TSS base itself (counted once) and
//! `downstream` bases 3' of it: length `upstream + downstream + 1`. With the 0-based TSS `p`:
//! * `+`: genomic `[p - upstream, p + downstream + 1)`;
//! * `-`: genomic `[p - downstream, p + upstream + 1)`, reverse-complemented (IUPAC-aware,
//!   case-preserving) so that the sequence reads 5'→3' on the transcript strand.
//!
//! The lncRNA study's `l` bp windows ("−(l−50) … +50" with the TSS counted as +1) are
//! `upstream = l - 50, downstream = 49` (300 bp: `--upstream 250 --downstream 49`, TSS at index
//! 250); Xpresso's 10,500 bp window (−7000..+3499, TSS at index 7000) is `upstream = 7000,
//! downstream = 3499`. [`WindowSpec::genomic_span`] is the one place this geometry is computed.
//!
//! ## Chromosome ends ([`EndPolicy`], chosen explicitly)
//! * `Skip`: windows that would cross a chromosome end are dropped and counted (bedtools drops
//!   windows past the end and aborts on a negative start; we never abort).
//! * `Clip`: the window is cut at the end and counted; `tss_index` moves accordingly.
//! * `Pad`: cut like `Clip`, then filled with `N` on the missing side(s) so every sequence has the
//!   full length and `tss_index == upstream`.
//!
//! [`Window::start`]/[`Window::end`] are always the genomic bases actually read (**0-based
//! half-open**, inside the chromosome), which is what the BED output and the bedtools-style FASTA
//! header show. `clipped_left`/`clipped_right` refer to the genomic left/right end.
//!
//! ## Chromosome names
//! Names are looked up in the [`SequenceSource`] (which may resolve aliases when opened with
//! `chrom_alias`); windows carry the FASTA's spelling so the BED output works with that FASTA.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::annotation::Strand;
use crate::fasta::{SequenceSource, chrom_aliases};
use crate::seq::reverse_complement_in_place;
use crate::tss::Tss;
use crate::{Result, WindowsError};

/// The longest window allowed on a genome whose chromosomes are all shorter (under
/// [`EndPolicy::Pad`] such a window is mostly `N`).
pub const MAX_SHORT_GENOME_WINDOW: u64 = 1_000_000;

/// What to do with windows that cross a chromosome end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndPolicy {
    /// Drop them (and count them).
    Skip,
    /// Cut them at the chromosome end (and count them).
    Clip,
    /// Cut them and fill the missing bases with `N` to full length.
    Pad,
}

/// Window geometry and policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowSpec {
    /// Bases 5' of the TSS.
    pub upstream: u64,
    /// Bases 3' of the TSS (the TSS base itself is extra).
    pub downstream: u64,
    /// Chromosome-end policy.
    pub ends: EndPolicy,
    /// Drop (and count) TSSs on chromosomes absent from the FASTA instead of failing.
    pub skip_missing_chroms: bool,
}

impl WindowSpec {
    /// A spec with the given sizes and end policy; missing chromosomes are an error.
    pub fn new(upstream: u64, downstream: u64, ends: EndPolicy) -> Self {
        WindowSpec {
            upstream,
            downstream,
            ends,
            skip_missing_chroms: false,
        }
    }

    /// Full window length `upstream + downstream + 1` (saturating at `u64::MAX`).
    pub fn len(&self) -> u64 {
        self.upstream
            .saturating_add(self.downstream)
            .saturating_add(1)
    }

    /// Always false: a window holds at least the TSS base.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Genomic `[start, end)` (0-based half-open, before any clipping: `start` may be negative
    /// and `end` past the chromosome end) of the window around the 0-based TSS `pos0`.
    ///
    /// ```
    /// use genome_io::annotation::Strand;
    /// use genome_io::windows::{EndPolicy, WindowSpec};
    /// let spec = WindowSpec::new(250, 49, EndPolicy::Skip);
    /// assert_eq!(spec.genomic_span(1000, Strand::Forward), (750, 1050));
    /// assert_eq!(spec.genomic_span(1000, Strand::Reverse), (951, 1251));
    /// assert_eq!(spec.genomic_span(10, Strand::Forward).0, -240);
    /// ```
    pub fn genomic_span(&self, pos0: u64, strand: Strand) -> (i128, i128) {
        let (p, up, down) = (
            i128::from(pos0),
            i128::from(self.upstream),
            i128::from(self.downstream),
        );
        match strand {
            Strand::Forward => (p - up, p + down + 1),
            Strand::Reverse => (p - down, p + up + 1),
        }
    }
}

/// One planned window (coordinates checked against the FASTA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Record name: transcript id (gene id for gene-level TSSs).
    pub name: String,
    /// `gene_id`.
    pub gene_id: String,
    /// `gene_name`, if any.
    pub gene_name: Option<String>,
    /// `transcript_id`, if any.
    pub transcript_id: Option<String>,
    /// Gene biotype, if any.
    pub biotype: Option<String>,
    /// Chromosome, FASTA spelling.
    pub chrom: String,
    /// Strand.
    pub strand: Strand,
    /// 0-based TSS position.
    pub tss0: u64,
    /// 0-based start of the genomic bases read.
    pub start: u64,
    /// 0-based exclusive end of the genomic bases read.
    pub end: u64,
    /// `N`s prepended to the oriented sequence (only under [`EndPolicy::Pad`]).
    pub pad_5p: u64,
    /// `N`s appended to the oriented sequence (only under [`EndPolicy::Pad`]).
    pub pad_3p: u64,
    /// 0-based index of the TSS base in the oriented (and padded) sequence.
    pub tss_index: u64,
    /// The window reached past the chromosome start (genomic left).
    pub clipped_left: bool,
    /// The window reached past the chromosome end (genomic right).
    pub clipped_right: bool,
}

impl Window {
    /// Length of the sequence this window yields.
    pub fn len(&self) -> u64 {
        self.end - self.start + self.pad_5p + self.pad_3p
    }

    /// True when the sequence would be empty (never, for planned windows).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Counts of what the end and chromosome policies did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndReport {
    /// TSSs considered.
    pub total: usize,
    /// Windows kept.
    pub kept: usize,
    /// Dropped by [`EndPolicy::Skip`].
    pub skipped: usize,
    /// Cut by [`EndPolicy::Clip`].
    pub clipped: usize,
    /// Filled by [`EndPolicy::Pad`].
    pub padded: usize,
    /// Dropped because the chromosome is absent (with `skip_missing_chroms`).
    pub missing_chrom: usize,
}

/// Windows plus the report of the policies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowPlan {
    /// Windows in TSS order.
    pub windows: Vec<Window>,
    /// What the policies did.
    pub report: EndReport,
}

/// The FASTA's spelling of `chrom` and its length.
fn resolve<S: SequenceSource + ?Sized>(
    source: &S,
    names: &HashSet<String>,
    chrom: &str,
) -> Option<(String, u64)> {
    let len = source.seq_len(chrom)?;
    if names.contains(chrom) {
        return Some((chrom.to_string(), len));
    }
    let alias = chrom_aliases(chrom).into_iter().find(|a| names.contains(a));
    Some((alias.unwrap_or_else(|| chrom.to_string()), len))
}

/// Plans the windows of `tss` against the chromosome lengths of `source`. Validates everything
/// before anything is extracted: an absent chromosome or a TSS past its chromosome end is an error.
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::fasta::InMemoryGenome;
/// use genome_io::tss::Tss;
/// use genome_io::windows::{plan_windows, EndPolicy, WindowSpec};
/// let g = InMemoryGenome::from_records([("c", "ACGTACGTAC")]).unwrap();
/// let t = Tss { gene_id: "G".into(), gene_name: None, transcript_id: Some("T".into()),
///               biotype: None, chrom: "c".into(), strand: Strand::Reverse, pos0: 1 };
/// let plan = plan_windows(&g, &[t], &WindowSpec::new(2, 3, EndPolicy::Pad)).unwrap();
/// let w = &plan.windows[0];
/// assert_eq!((w.start, w.end, w.pad_5p, w.pad_3p, w.tss_index), (0, 4, 0, 2, 2));
/// assert_eq!(plan.report.padded, 1);
/// ```
pub fn plan_windows<S: SequenceSource + ?Sized>(
    source: &S,
    tss: &[Tss],
    spec: &WindowSpec,
) -> Result<WindowPlan> {
    let names: HashSet<String> = source.names().into_iter().collect();
    // sizes from users are bounded before anything is allocated: no window may be longer
    // than the longest chromosome (+1 for the TSS base), or 1 Mb on a genome of short contigs
    let longest = names
        .iter()
        .filter_map(|n| source.seq_len(n))
        .max()
        .unwrap_or(0);
    let len = u128::from(spec.upstream) + u128::from(spec.downstream) + 1;
    if !tss.is_empty() && len > u128::from(longest.max(MAX_SHORT_GENOME_WINDOW)) + 1 {
        return Err(WindowsError::WindowTooLong {
            upstream: spec.upstream,
            downstream: spec.downstream,
            longest,
        }
        .into());
    }
    let mut cache: HashMap<&str, Option<(String, u64)>> = HashMap::new();
    let mut plan = WindowPlan::default();
    plan.report.total = tss.len();
    for t in tss {
        let resolved = cache
            .entry(t.chrom.as_str())
            .or_insert_with(|| resolve(source, &names, &t.chrom));
        let Some((chrom, len)) = resolved.clone() else {
            if spec.skip_missing_chroms {
                plan.report.missing_chrom += 1;
                continue;
            }
            let hint = match chrom_aliases(&t.chrom)
                .into_iter()
                .find(|a| names.contains(a))
            {
                Some(a) => {
                    format!("; the FASTA has {a:?}: pass --chrom-alias to map chromosome names")
                }
                None => String::new(),
            };
            return Err(WindowsError::ChromosomeNotInFasta {
                chrom: t.chrom.clone(),
                feature: t.name().to_string(),
                hint,
            }
            .into());
        };
        if t.pos0 >= len {
            return Err(WindowsError::TssOutsideChromosome {
                feature: t.name().to_string(),
                chrom,
                tss1: t.pos1(),
                chrom_len: len,
            }
            .into());
        }
        let (raw_start, raw_end) = spec.genomic_span(t.pos0, t.strand);
        let len_i = i128::from(len);
        let (clipped_left, clipped_right) = (raw_start < 0, raw_end > len_i);
        let cut = clipped_left || clipped_right;
        let (start, end) = (raw_start.max(0) as u64, raw_end.min(len_i) as u64);
        let (left_over, right_over) = ((-raw_start).max(0) as u64, (raw_end - len_i).max(0) as u64);
        let (mut pad_5p, mut pad_3p) = (0, 0);
        match spec.ends {
            EndPolicy::Skip if cut => {
                plan.report.skipped += 1;
                continue;
            }
            EndPolicy::Clip if cut => plan.report.clipped += 1,
            EndPolicy::Pad if cut => {
                plan.report.padded += 1;
                (pad_5p, pad_3p) = match t.strand {
                    Strand::Forward => (left_over, right_over),
                    Strand::Reverse => (right_over, left_over),
                };
            }
            _ => {}
        }
        let in_read = match t.strand {
            Strand::Forward => t.pos0 - start,
            Strand::Reverse => end - 1 - t.pos0,
        };
        plan.windows.push(Window {
            name: t.name().to_string(),
            gene_id: t.gene_id.clone(),
            gene_name: t.gene_name.clone(),
            transcript_id: t.transcript_id.clone(),
            biotype: t.biotype.clone(),
            chrom,
            strand: t.strand,
            tss0: t.pos0,
            start,
            end,
            pad_5p,
            pad_3p,
            tss_index: pad_5p + in_read,
            clipped_left,
            clipped_right,
        });
    }
    plan.report.kept = plan.windows.len();
    Ok(plan)
}

/// Fills `buf` with the oriented (reverse-complemented on `-`), padded sequence of `w`.
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::fasta::InMemoryGenome;
/// use genome_io::tss::Tss;
/// use genome_io::windows::{extract_window, plan_windows, EndPolicy, WindowSpec};
/// let g = InMemoryGenome::from_records([("c", "AACCgtTT")]).unwrap();
/// let t = Tss { gene_id: "G".into(), gene_name: None, transcript_id: None, biotype: None,
///               chrom: "c".into(), strand: Strand::Reverse, pos0: 4 };
/// let plan = plan_windows(&g, &[t], &WindowSpec::new(1, 5, EndPolicy::Pad)).unwrap();
/// let mut buf = Vec::new();
/// extract_window(&g, &plan.windows[0], &mut buf).unwrap();
/// assert_eq!(buf, b"acGGTTN"); // genomic AACCgt reverse-complemented, then one N
/// assert_eq!(buf[plan.windows[0].tss_index as usize], b'c'); // complement of the TSS base 'g'
/// ```
pub fn extract_window<S: SequenceSource + ?Sized>(
    source: &S,
    w: &Window,
    buf: &mut Vec<u8>,
) -> Result<()> {
    buf.clear();
    let mut seq = std::mem::take(buf);
    source.fetch_into(&w.chrom, w.start, w.end, &mut seq)?;
    if w.strand == Strand::Reverse {
        reverse_complement_in_place(&mut seq);
    }
    if w.pad_5p == 0 && w.pad_3p == 0 {
        *buf = seq;
        return Ok(());
    }
    buf.reserve(w.len() as usize);
    buf.resize(w.pad_5p as usize, b'N');
    buf.extend_from_slice(&seq);
    buf.resize(buf.len() + w.pad_3p as usize, b'N');
    Ok(())
}

/// Windows extracted per parallel batch by [`for_each_sequence`].
pub const BATCH: usize = 1024;

/// Extracts every window in parallel (rayon, batches of [`BATCH`]) and hands the sequences to
/// `sink` in the order of `windows`, on the calling thread, while the next batch is extracted.
/// Memory holds two batches of sequences at a time; `progress` is called with the number of
/// windows done after each batch. Stops at the first error.
///
/// ```
/// use genome_io::annotation::Strand;
/// use genome_io::fasta::InMemoryGenome;
/// use genome_io::tss::Tss;
/// use genome_io::windows::{for_each_sequence, plan_windows, EndPolicy, WindowSpec};
/// let g = InMemoryGenome::from_records([("c", "ACGTACGTAC")]).unwrap();
/// let tss: Vec<Tss> = (0..10).map(|p| Tss { gene_id: "G".into(), gene_name: None,
///     transcript_id: None, biotype: None, chrom: "c".into(), strand: Strand::Forward, pos0: p }).collect();
/// let plan = plan_windows(&g, &tss, &WindowSpec::new(0, 0, EndPolicy::Skip)).unwrap();
/// let mut seen = Vec::new();
/// for_each_sequence(&g, &plan.windows, |_, s| { seen.extend_from_slice(s); Ok(()) }, |_| {}).unwrap();
/// assert_eq!(seen, b"ACGTACGTAC");
/// ```
pub fn for_each_sequence<S, F, P>(
    source: &S,
    windows: &[Window],
    mut sink: F,
    progress: P,
) -> Result<()>
where
    S: SequenceSource + ?Sized,
    F: FnMut(&Window, &[u8]) -> Result<()>,
    P: Fn(usize),
{
    let extract = |batch: &[Window]| -> Vec<Result<Vec<u8>>> {
        batch
            .par_iter()
            .map(|w| {
                let mut buf = Vec::with_capacity(w.len() as usize);
                extract_window(source, w, &mut buf).map(|()| buf)
            })
            .collect()
    };
    let mut batches = windows.chunks(BATCH);
    let mut cur = batches.next().map(|b| (b, extract(b)));
    let mut done = 0;
    while let Some((batch, seqs)) = cur.take() {
        // The next batch is extracted on the pool while this one goes to `sink` here.
        let ahead = batches.next();
        let sunk = rayon::in_place_scope(|scope| {
            if let Some(b) = ahead {
                scope.spawn(|_| cur = Some((b, extract(b))));
            }
            batch.iter().zip(seqs).try_for_each(|(w, s)| sink(w, &s?))
        });
        sunk?;
        done += batch.len();
        progress(done);
    }
    Ok(())
}
