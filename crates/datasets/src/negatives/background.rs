//! Background (non-promoter) windows sampled from a genome outside promoter regions.
//!
//! ## Coordinates
//! TSS positions are **0-based** (the first base of a record is 0). The excluded region around a
//! TSS at `p` is `[p - flank, p + flank + 1)` (0-based half-open, clamped at 0), i.e. `flank`
//! bases on each side plus the TSS itself. Sampled windows are 0-based half-open `[start, end)`
//! on the forward strand.
//!
//! ## Sampling without GC matching
//! A candidate is a record drawn with probability proportional to its number of possible window
//! starts, then a uniform start. It is rejected when it is (in this order of checks) a start
//! already accepted (without replacement), overlapping an excluded region, overlapping an
//! accepted window (unless `allow_overlap`), or containing a base other than `ACGTacgt`.
//! Candidates are drawn with replacement, so a rejected start drawn again is counted again under
//! its reason; the memory is that of the accepted windows only. Everything is driven by one
//! `ChaCha8Rng` seeded with `seed`.
//!
//! ## Sampling with GC matching
//! With `gc_tolerance` set, windows come from a seeded tiling of the genome instead (the method of
//! gReLU's `get_gc_matched_intervals`): the targets are the GC fractions of positives
//! `0, 1, …, count − 1` (cycling when `count` exceeds the positives), and each takes a random
//! N-free, non-excluded tile from the GC bin nearest to it within the tolerance. Windows never
//! overlap each other (`allow_overlap` and `max_candidates` do not apply), the pass over the
//! genome is streamed and parallel over records, and targets that cannot be met are known after
//! that one pass.

use std::collections::{BTreeMap, HashMap};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Result;
use crate::error::NegativesError;
use genome_io::fasta::SequenceSource;

/// Options of [`sample_background`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BackgroundConfig {
    /// Window length in bp (> 0).
    pub length: u64,
    /// Number of windows wanted.
    pub count: usize,
    /// Bases excluded on each side of every TSS.
    pub flank: u64,
    /// GC tolerance (absolute fraction, e.g. `0.02`) for GC matching; `None` = no matching.
    pub gc_tolerance: Option<f64>,
    /// Allow accepted windows to overlap each other (starts are always distinct); ignored with
    /// GC matching, whose windows never overlap.
    pub allow_overlap: bool,
    /// Give up after this many candidates (0 = `1000 × count`, at least 100,000); ignored with
    /// GC matching, which examines every tile once.
    pub max_candidates: u64,
    /// Records to sample from; `None` = every record of the source.
    pub records: Option<Vec<String>>,
    /// Seed of the `ChaCha8Rng`.
    pub seed: u64,
}

impl Default for BackgroundConfig {
    fn default() -> Self {
        Self {
            length: 300,
            count: 1000,
            flank: 1000,
            gc_tolerance: None,
            allow_overlap: false,
            max_candidates: 0,
            records: None,
            seed: 0,
        }
    }
}

/// One accepted background window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BackgroundWindow {
    /// Record name.
    pub chrom: String,
    /// 0-based start.
    pub start: u64,
    /// 0-based exclusive end.
    pub end: u64,
    /// Forward-strand bases, case as in the source.
    pub seq: Vec<u8>,
}

/// How many candidates were drawn, accepted and rejected, per reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RejectionReport {
    /// Candidates drawn.
    pub candidates: u64,
    /// Candidates accepted.
    pub accepted: u64,
    /// Start already accepted before (without GC matching).
    pub duplicate: u64,
    /// Overlap with an excluded (TSS ± flank) region.
    pub excluded_region: u64,
    /// Overlap with an already accepted window (without GC matching).
    pub overlaps_accepted: u64,
    /// Contained `N` or another non-`ACGT` byte.
    pub ambiguous_base: u64,
    /// With GC matching: usable tiles left unused, because no target still unfilled was
    /// within the tolerance of their GC.
    pub gc_mismatch: u64,
    /// With GC matching: targets for which no tile was left within the tolerance.
    #[serde(default)]
    pub unmatched_targets: u64,
}

/// Sorted, merged half-open intervals of one record.
fn merged(mut iv: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    iv.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(iv.len());
    for (s, e) in iv {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// True when `[s, e)` intersects one of the sorted, disjoint intervals `iv`.
pub(super) fn overlaps(iv: &[(u64, u64)], s: u64, e: u64) -> bool {
    let i = iv.partition_point(|&(_, end)| end <= s);
    i < iv.len() && iv[i].0 < e
}

/// True when `[s, e)` intersects an accepted window (map start -> end, windows may overlap).
pub(super) fn overlaps_accepted(acc: &BTreeMap<u64, u64>, s: u64, e: u64, len: u64) -> bool {
    // Any accepted window starting in (s - len, e) overlaps, all windows having length `len`.
    acc.range(s.saturating_sub(len - 1)..e).next().is_some()
}

/// Samples `cfg.count` background windows of `cfg.length` bp from `src`, outside `±cfg.flank` bp
/// of every TSS in `tss` (`(record, 0-based position)`), N-free, optionally GC-matched to
/// `positives_gc` (see the module documentation for both methods), without replacement, seeded.
///
/// Returns the windows in sampling order and the rejection report. TSSs on records absent from
/// `src` are ignored. Errors when the configuration is invalid, GC matching is asked for without
/// positives, no record is long enough, or not enough windows can be found
/// ([`NegativesError::BackgroundExhausted`], with the report): without GC matching when
/// `cfg.max_candidates` are drawn before `cfg.count` windows are accepted, with GC matching when
/// a target has no tile left within the tolerance.
///
/// ```
/// use datasets::negatives::{sample_background, BackgroundConfig};
/// # struct Mem(Vec<u8>);
/// # impl genome_io::fasta::SequenceSource for Mem {
/// #     fn names(&self) -> Vec<String> { vec!["chr1".into()] }
/// #     fn seq_len(&self, n: &str) -> Option<u64> { (n == "chr1").then(|| self.0.len() as u64) }
/// #     fn fetch_into(&self, _: &str, s: u64, e: u64, b: &mut Vec<u8>) -> genome_io::Result<()> {
/// #         b.clear(); b.extend_from_slice(&self.0[s as usize..e as usize]); Ok(())
/// #     }
/// # }
/// let genome = Mem(b"ACGT".repeat(500));
/// let cfg = BackgroundConfig { length: 50, count: 5, flank: 100, seed: 3, ..Default::default() };
/// let (w, report) = sample_background(&genome, &[("chr1".into(), 1000)], None, &cfg).unwrap();
/// assert_eq!(w.len(), 5);
/// assert!(w.iter().all(|w| w.end <= 900 || w.start >= 1101));
/// assert_eq!(report.accepted, 5);
/// ```
pub fn sample_background<S: SequenceSource + ?Sized>(
    src: &S,
    tss: &[(String, u64)],
    positives_gc: Option<&[f64]>,
    cfg: &BackgroundConfig,
) -> Result<(Vec<BackgroundWindow>, RejectionReport)> {
    let len = cfg.length;
    if len == 0 {
        return Err(
            NegativesError::InvalidArgument("background window length must be > 0".into()).into(),
        );
    }
    let targets: Option<(&[f64], f64)> = match (cfg.gc_tolerance, positives_gc) {
        (None, _) => None,
        (Some(t), _) if !(t >= 0.0 && t.is_finite()) => {
            return Err(NegativesError::InvalidArgument(format!(
                "GC tolerance must be a finite value >= 0, got {t}"
            ))
            .into());
        }
        (Some(t), Some(p)) if !p.is_empty() => Some((p, t)),
        (Some(_), _) => {
            return Err(NegativesError::InvalidArgument(
                "GC matching needs the GC fractions of at least one positive".into(),
            )
            .into());
        }
    };
    let names = cfg.records.clone().unwrap_or_else(|| src.names());
    // Records long enough, with their cumulative number of window starts.
    let mut recs: Vec<(String, u64)> = Vec::new();
    let mut cum: Vec<u64> = Vec::new();
    let mut total = 0u64;
    for name in names {
        let Some(l) = src.seq_len(&name) else {
            return Err(NegativesError::InvalidArgument(format!(
                "background record {name:?} is not in the FASTA"
            ))
            .into());
        };
        if l >= len {
            total += l - len + 1;
            cum.push(total);
            recs.push((name, l));
        }
    }
    if total == 0 {
        return Err(NegativesError::InvalidArgument(format!(
            "no record is at least {len} bp long"
        ))
        .into());
    }
    let index: HashMap<&str, usize> = recs
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    let mut excl: Vec<Vec<(u64, u64)>> = vec![Vec::new(); recs.len()];
    for (chrom, p) in tss {
        if let Some(&i) = index.get(chrom.as_str()) {
            excl[i].push((
                p.saturating_sub(cfg.flank),
                p.saturating_add(cfg.flank).saturating_add(1),
            ));
        }
    }
    let excl: Vec<Vec<(u64, u64)>> = excl.into_iter().map(merged).collect();

    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    if let Some((targets, tol)) = targets {
        return super::gc_match::sample(src, &recs, &excl, targets, tol, cfg, &mut rng);
    }
    let max = if cfg.max_candidates > 0 {
        cfg.max_candidates
    } else {
        (cfg.count as u64 * 1000).max(100_000)
    };
    let mut report = RejectionReport::default();
    let mut accepted: Vec<BTreeMap<u64, u64>> = vec![BTreeMap::new(); recs.len()];
    let mut out = Vec::with_capacity(cfg.count);
    let mut buf = Vec::with_capacity(len as usize);
    while out.len() < cfg.count {
        if report.candidates >= max {
            return Err(NegativesError::BackgroundExhausted {
                wanted: cfg.count,
                got: out.len(),
                report: Box::new(report),
            }
            .into());
        }
        report.candidates += 1;
        let r = rng.random_range(0..total);
        let ri = cum.partition_point(|&c| c <= r);
        let start = r - if ri == 0 { 0 } else { cum[ri - 1] };
        let end = start + len;
        if accepted[ri].contains_key(&start) {
            report.duplicate += 1;
            continue;
        }
        if overlaps(&excl[ri], start, end) {
            report.excluded_region += 1;
            continue;
        }
        if !cfg.allow_overlap && overlaps_accepted(&accepted[ri], start, end, len) {
            report.overlaps_accepted += 1;
            continue;
        }
        src.fetch_into(&recs[ri].0, start, end, &mut buf)?;
        if !buf
            .iter()
            .all(|b| matches!(b | 0x20, b'a' | b'c' | b'g' | b't'))
        {
            report.ambiguous_base += 1;
            continue;
        }
        accepted[ri].insert(start, end);
        report.accepted += 1;
        out.push(BackgroundWindow {
            chrom: recs[ri].0.clone(),
            start,
            end,
            seq: buf.clone(),
        });
    }
    Ok((out, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_helpers() {
        let iv = merged(vec![(10, 20), (15, 30), (40, 50)]);
        assert_eq!(iv, vec![(10, 30), (40, 50)]);
        assert!(!overlaps(&iv, 0, 10));
        assert!(overlaps(&iv, 0, 11));
        assert!(!overlaps(&iv, 30, 40));
        assert!(overlaps(&iv, 49, 60));
        let mut acc = BTreeMap::new();
        acc.insert(100, 110);
        assert!(!overlaps_accepted(&acc, 90, 100, 10));
        assert!(overlaps_accepted(&acc, 91, 101, 10));
        assert!(overlaps_accepted(&acc, 109, 119, 10));
        assert!(!overlaps_accepted(&acc, 110, 120, 10));
    }
}
