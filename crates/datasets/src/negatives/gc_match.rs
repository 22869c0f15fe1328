//! GC-matched background sampling from a tiling of the genome (the method of gReLU's
//! `get_gc_matched_intervals`, on a finer grid).
//!
//! Every usable record is cut into tiles of the window length whose starts lie on a grid of
//! stride `length / phases` from a seeded random offset; `phases` (1 to 16) is chosen so that the
//! genome yields about four million tiles, so that a small genome still offers many candidates
//! and a large one is tiled without overlap. A tile is a candidate unless it overlaps an excluded
//! region or holds a byte other than `ACGTacgt`. Candidates are binned by their exact number of
//! G/C bases (prefix sums over each chunk read, so a tile costs O(1) whatever the stride).
//!
//! The targets (positive `j % n` for `j` in `0..count`) are then visited in a seeded random
//! order; each takes a uniformly chosen tile from the nonempty bin nearest to it within the
//! tolerance. A drawn tile that overlaps a window already taken is discarded and another is
//! drawn, so windows are distinct and never overlap each other.
//!
//! Unlike rejection sampling, the work is one streaming pass over the records plus
//! `O(count × bins searched)`, whatever the tolerance, and the memory is 16 bytes per candidate
//! tile. A target with no tile left within its tolerance is known at once and reported
//! ([`RejectionReport::unmatched_targets`]).

use std::collections::BTreeMap;

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::background::{
    BackgroundConfig, BackgroundWindow, RejectionReport, overlaps, overlaps_accepted,
};
use crate::Result;
use crate::error::NegativesError;
use genome_io::fasta::SequenceSource;

/// Bases fetched per read while tiling.
const CHUNK_BASES: u64 = 1 << 20;
/// Tiles aimed at over the whole genome when choosing the grid stride.
const TARGET_TILES: u64 = 1 << 22;
/// Most tiles per window length (the stride is at least `length / MAX_PHASES`).
const MAX_PHASES: u64 = 16;

/// The candidate tiles of one record: `(start, number of G/C)` and the rejection counts.
#[derive(Default)]
struct RecordTiles {
    tiles: Vec<(u64, u32)>,
    candidates: u64,
    excluded: u64,
    ambiguous: u64,
}

/// Byte class: bit 0 = G/C, bit 1 = anything but `ACGTacgt` (N, IUPAC, gap).
const CLASS: [u8; 256] = {
    let mut t = [2u8; 256];
    let mut i = 0;
    while i < 4 {
        let (at, gc) = (b"AaTt"[i], b"GgCc"[i]);
        t[at as usize] = 0;
        t[gc as usize] = 1;
        i += 1;
    }
    t
};

/// Tiles of length `len` starting at `offset + k·stride` in one record of length `rec_len`,
/// read in chunks of about [`CHUNK_BASES`].
fn tile_record<S: SequenceSource + ?Sized>(
    src: &S,
    name: &str,
    rec_len: u64,
    excl: &[(u64, u64)],
    (len, stride, offset): (u64, u64, u64),
    prefix: &mut Vec<(u32, u32)>,
) -> Result<RecordTiles> {
    let mut out = RecordTiles::default();
    let n_tiles = (rec_len - len - offset) / stride + 1;
    let per_chunk = (CHUNK_BASES / stride).max(1);
    let mut buf = Vec::new();
    let mut k = 0u64;
    while k < n_tiles {
        let k_end = (k + per_chunk).min(n_tiles);
        let s0 = offset + k * stride;
        src.fetch_into(name, s0, offset + (k_end - 1) * stride + len, &mut buf)?;
        // prefix[i] = (G/C, non-ACGT) counts of buf[..i].
        prefix.clear();
        prefix.push((0, 0));
        let (mut gc, mut bad) = (0u32, 0u32);
        for &b in &buf {
            let c = CLASS[b as usize];
            gc += u32::from(c & 1);
            bad += u32::from(c >> 1);
            prefix.push((gc, bad));
        }
        for t in k..k_end {
            let start = offset + t * stride;
            let (i, j) = ((start - s0) as usize, (start - s0 + len) as usize);
            out.candidates += 1;
            if overlaps(excl, start, start + len) {
                out.excluded += 1;
            } else if prefix[j].1 != prefix[i].1 {
                out.ambiguous += 1;
            } else {
                out.tiles.push((start, prefix[j].0 - prefix[i].0));
            }
        }
        k = k_end;
    }
    Ok(out)
}

/// The nonempty bin nearest to target fraction `t` among bins `b` (fraction `b / len`) with
/// `|b / len − t| ≤ tol`; ties go to the lower bin.
fn nearest_bin(bins: &[Vec<(u32, u64)>], len: u64, t: f64, tol: f64) -> Option<usize> {
    if t.is_nan() {
        return None;
    }
    let lf = len as f64;
    let dist = |b: usize| (b as f64 / lf - t).abs();
    // Ordered in bins rather than fractions, so that ties are exact.
    let (c, bin_dist) = (t * lf, |b: usize, c: f64| (b as f64 - c).abs());
    let lo = ((t - tol) * lf).floor().max(0.0) as usize;
    let hi = (((t + tol) * lf).ceil().max(0.0) as usize).min(len as usize);
    (lo.saturating_sub(1)..=hi)
        .filter(|&b| !bins[b].is_empty() && dist(b) <= tol + 1e-12)
        .min_by(|&a, &b| bin_dist(a, c).total_cmp(&bin_dist(b, c)).then(a.cmp(&b)))
}

/// GC-matched sampling; `recs` are the usable records `(name, length)` and `excl` their merged
/// excluded intervals. See the module documentation.
pub(super) fn sample<S: SequenceSource + ?Sized>(
    src: &S,
    recs: &[(String, u64)],
    excl: &[Vec<(u64, u64)>],
    targets: &[f64],
    tol: f64,
    cfg: &BackgroundConfig,
    rng: &mut ChaCha8Rng,
) -> Result<(Vec<BackgroundWindow>, RejectionReport)> {
    let (count, len) = (cfg.count, cfg.length);
    let one_phase: u64 = recs.iter().map(|(_, l)| (l - len) / len + 1).sum();
    let phases = (TARGET_TILES / one_phase.max(1)).clamp(1, MAX_PHASES.min(len));
    let stride = len / phases;
    let offsets: Vec<u64> = recs
        .iter()
        .map(|(_, l)| rng.random_range(0..stride.min(l - len + 1)))
        .collect();
    let per_record: Vec<RecordTiles> = recs
        .par_iter()
        .zip(excl.par_iter())
        .zip(offsets.par_iter())
        .map_init(Vec::new, |prefix, (((name, l), ex), &off)| {
            tile_record(src, name, *l, ex, (len, stride, off), prefix)
        })
        .collect::<Result<_>>()?;
    let mut report = RejectionReport::default();
    let mut bins: Vec<Vec<(u32, u64)>> = vec![Vec::new(); len as usize + 1];
    for (ri, r) in per_record.into_iter().enumerate() {
        report.candidates += r.candidates;
        report.excluded_region += r.excluded;
        report.ambiguous_base += r.ambiguous;
        for (start, gc) in r.tiles {
            bins[gc as usize].push((ri as u32, start));
        }
    }
    let mut order: Vec<usize> = (0..count).collect();
    order.shuffle(rng);
    let mut taken: Vec<BTreeMap<u64, u64>> = vec![BTreeMap::new(); recs.len()];
    let mut out = Vec::with_capacity(count);
    for j in order {
        let target = targets[j % targets.len()];
        let hit = loop {
            let Some(b) = nearest_bin(&bins, len, target, tol) else {
                break None;
            };
            let bin = &mut bins[b];
            let (ri, start) = bin.swap_remove(rng.random_range(0..bin.len()));
            if overlaps_accepted(&taken[ri as usize], start, start + len, len) {
                report.overlaps_accepted += 1;
            } else {
                break Some((ri as usize, start));
            }
        };
        let Some((ri, start)) = hit else {
            report.unmatched_targets += 1;
            continue;
        };
        taken[ri].insert(start, start + len);
        let name = &recs[ri].0;
        let mut seq = Vec::with_capacity(len as usize);
        src.fetch_into(name, start, start + len, &mut seq)?;
        out.push(BackgroundWindow {
            chrom: name.clone(),
            start,
            end: start + len,
            seq,
        });
    }
    report.accepted = out.len() as u64;
    report.gc_mismatch = report.candidates
        - report.excluded_region
        - report.ambiguous_base
        - report.overlaps_accepted
        - report.accepted;
    if report.unmatched_targets > 0 {
        return Err(NegativesError::BackgroundExhausted {
            wanted: count,
            got: out.len(),
            report: Box::new(report),
        }
        .into());
    }
    Ok((out, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_bin_within_tolerance() {
        let mut bins = vec![Vec::new(); 11];
        bins[3].push((0, 0));
        bins[7].push((0, 10));
        // Target 0.5 with tolerance 0.2: bins 3..=7 allowed, 3 and 7 equally near -> lower.
        assert_eq!(nearest_bin(&bins, 10, 0.5, 0.2), Some(3));
        assert_eq!(nearest_bin(&bins, 10, 0.62, 0.1), Some(7));
        assert_eq!(nearest_bin(&bins, 10, 0.5, 0.1), None);
        assert_eq!(nearest_bin(&bins, 10, 0.0, 0.3), Some(3));
        assert_eq!(nearest_bin(&bins, 10, 1.0, 0.3), Some(7));
        assert_eq!(nearest_bin(&bins, 10, f64::NAN, 1.0), None);
    }
}
