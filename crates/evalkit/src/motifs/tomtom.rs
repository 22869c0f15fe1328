//! Tomtom-like motif comparison, re-implementing memelite's `tomtom` (the one tangermeme uses;
//! memelite 0.5), itself the "complete score" variant of Tomtom (Gupta et al. 2007).
//!
//! **Statistic.** For a query `Q` (width `n`) and a target `T` (width `t`):
//!
//! 1. Column score: `s(q, t) = −‖q − t‖₂` (Euclidean distance of the probability columns).
//! 2. Null per query column: the scores of that column against *every column of every target*
//!    of the database (both strands when `reverse_complement`). With `n_target_bins`, target
//!    columns whose letters fall in the same of `n_target_bins` bins (per letter, over the
//!    database's range) are merged into one representative (the first), weighted by their count,
//!    and scored as that representative.
//! 3. Each query column's scores are centred on their (binned) median and discretised to
//!    integers `0..=n_score_bins` with one scale for the whole query; a query column outside the
//!    overlap scores the median (the "complete score": overhangs are neither rewarded nor
//!    penalised).
//! 4. An alignment's score is the sum over all `n` query columns. For every offset
//!    `o ∈ [−(n−1), t−1]` (target column `o + c` faces query column `c`) the score is computed;
//!    the best offset is kept (ties: the first, unless a later one has
//!    `overlap > offset of the first`, memelite's rule).
//! 5. P-value: the null of an alignment score is the sum of independent column scores (span
//!    convolutions of the column histograms); the null of the best of the `n + t − 1` offsets is
//!    the maximum of those independent sums; `p = P(best ≥ observed)`.
//! 6. Both strands: the target's reverse complement is scored too,
//!    `p = 1 − (1 − min(p₊, p₋))²`, and the strand with the higher score is reported (the
//!    reverse one on a tie).
//!
//! The p-values depend on the database (step 2): with few targets they change with the choice
//! of targets (memelite warns under 25, MEME's tomtom under 50).

use super::tomtom_null::{backgrounds, bin_scores};
use super::{Motif, check_matrix, reverse_complement};
use crate::{Error, Result};
use std::collections::BTreeMap;

/// Parameters of [`tomtom`] (defaults are memelite's).
#[derive(Debug, Clone, PartialEq)]
pub struct TomtomParams {
    /// Integer bins of the centred column scores (`t` of the Tomtom paper; default 100).
    pub n_score_bins: usize,
    /// Bins of the approximate median (default 1000).
    pub n_median_bins: usize,
    /// Merge similar target columns (per-letter bins) for the null; `None` keeps every column
    /// (default `Some(100)`).
    pub n_target_bins: Option<usize>,
    /// Also compare against each target's reverse complement (default true).
    pub reverse_complement: bool,
}

impl Default for TomtomParams {
    fn default() -> Self {
        TomtomParams {
            n_score_bins: 100,
            n_median_bins: 1000,
            n_target_bins: Some(100),
            reverse_complement: true,
        }
    }
}

/// Orientation of the target in the best alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strand {
    /// The target as given.
    Forward,
    /// The target's reverse complement.
    Reverse,
}

/// The best alignment of one query against one target.
#[derive(Debug, Clone, PartialEq)]
pub struct TomtomHit {
    /// Index of the target in the database.
    pub target: usize,
    /// P-value of the best alignment (both strands combined when compared on both).
    pub p_value: f64,
    /// Integer alignment score (sum of binned column scores).
    pub score: i64,
    /// Target column facing query column 0 (negative: the query starts before the target), in
    /// the coordinates of the target as oriented by `strand` (for [`Strand::Reverse`], of the
    /// reverse-complemented target).
    pub offset: i64,
    /// Number of aligned columns.
    pub overlap: usize,
    /// Orientation of the target.
    pub strand: Strand,
}

impl AsRef<[[f64; 4]]> for Motif {
    fn as_ref(&self) -> &[[f64; 4]] {
        &self.probs
    }
}

/// Target columns after (optional) merging: unique columns, their norms, counts, and the
/// representative of each original column.
struct Columns {
    cols: Vec<[f64; 4]>,
    norms: Vec<f64>,
    counts: Vec<u64>,
    inv: Vec<usize>,
}

fn norm(c: &[f64; 4]) -> f64 {
    ((c[0] * c[0] + c[1] * c[1]) + c[2] * c[2]) + c[3] * c[3]
}

fn merge_columns(all: &[[f64; 4]], n_target_bins: Option<usize>) -> Columns {
    let Some(nb) = n_target_bins else {
        return Columns {
            cols: all.to_vec(),
            norms: all.iter().map(norm).collect(),
            counts: vec![1; all.len()],
            inv: (0..all.len()).collect(),
        };
    };
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    for c in all {
        for k in 0..4 {
            lo[k] = lo[k].min(c[k]);
            hi[k] = hi[k].max(c[k]);
        }
    }
    for k in 0..4 {
        if hi[k] == lo[k] {
            hi[k] = lo[k] + 1.0;
        }
    }
    let key = |c: &[f64; 4]| -> u64 {
        (0..4)
            .map(|k| {
                let v = ((c[k] - lo[k]) / (hi[k] - lo[k]) * (nb - 1) as f64).round_ties_even();
                v as u64 * (nb as u64).pow(k as u32)
            })
            .sum()
    };
    let mut first: BTreeMap<u64, (usize, u64)> = BTreeMap::new();
    let keys: Vec<u64> = all.iter().map(key).collect();
    for (i, &k) in keys.iter().enumerate() {
        first.entry(k).or_insert((i, 0)).1 += 1;
    }
    let rank: BTreeMap<u64, usize> = first.keys().enumerate().map(|(r, &k)| (k, r)).collect();
    let cols: Vec<[f64; 4]> = first.values().map(|&(i, _)| all[i]).collect();
    Columns {
        norms: cols.iter().map(norm).collect(),
        counts: first.values().map(|&(_, n)| n).collect(),
        inv: keys.iter().map(|k| rank[k]).collect(),
        cols,
    }
}

/// Compares every query against every target (see the module docs for the statistic).
/// Returns `hits[query][target]` in target order.
///
/// Errors: [`Error::Empty`] (no query, no target, or a width-0 matrix), [`Error::NonFinite`],
/// [`Error::InvalidArgument`] for an all-zero query or database, `n_score_bins`,
/// `n_median_bins` or `n_target_bins` below 2.
///
/// ```
/// use evalkit::motifs::{tomtom, one_hot, Strand, TomtomParams};
/// let db = [one_hot("TATAAAAG").unwrap(), one_hot("GGGGCGGGGC").unwrap(), one_hot("CCAAT").unwrap()];
/// let q = one_hot("ATTGG").unwrap(); // CCAAT, reverse complemented
/// let hits = tomtom(&[q], &db, &TomtomParams::default()).unwrap();
/// let best = hits[0].iter().min_by(|a, b| a.p_value.total_cmp(&b.p_value)).unwrap();
/// assert_eq!((best.target, best.offset, best.strand), (2, 0, Strand::Reverse));
/// ```
pub fn tomtom<Q: AsRef<[[f64; 4]]>, T: AsRef<[[f64; 4]]>>(
    queries: &[Q],
    targets: &[T],
    p: &TomtomParams,
) -> Result<Vec<Vec<TomtomHit>>> {
    if queries.is_empty() || targets.is_empty() {
        return Err(Error::Empty("tomtom queries or targets"));
    }
    if p.n_score_bins < 2 || p.n_median_bins < 2 || p.n_target_bins.is_some_and(|b| b < 2) {
        return Err(Error::InvalidArgument(
            "tomtom bins must be at least 2".into(),
        ));
    }
    for q in queries {
        check_matrix(q.as_ref(), "tomtom query")?;
    }
    for t in targets {
        check_matrix(t.as_ref(), "tomtom target")?;
    }
    let mut oriented: Vec<Vec<[f64; 4]>> = targets.iter().map(|t| t.as_ref().to_vec()).collect();
    if p.reverse_complement {
        oriented.extend(targets.iter().map(|t| reverse_complement(t.as_ref())));
    }
    let all: Vec<[f64; 4]> = oriented.iter().flatten().copied().collect();
    let zero = |m: &[[f64; 4]]| m.iter().all(|c| norm(c) == 0.0);
    if zero(&all) || queries.iter().all(|q| zero(q.as_ref())) {
        return Err(Error::InvalidArgument(
            "all-zero query set or database".into(),
        ));
    }
    let cols = merge_columns(&all, p.n_target_bins);
    let t_max = oriented.iter().map(Vec::len).max().unwrap_or(0);
    let mut needed = vec![false; t_max + 1];
    for t in &oriented {
        needed[t.len()] = true;
    }
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        let q = q.as_ref();
        let nq = q.len();
        let bz = bin_scores(
            q,
            &cols.cols,
            &cols.norms,
            &cols.counts,
            p.n_score_bins,
            p.n_median_bins,
        );
        let b = backgrounds(&bz.f, p.n_score_bins, bz.offset, &needed);
        let mut start = 0;
        let raw: Vec<(f64, i64, i64, usize)> = oriented
            .iter()
            .map(|t| {
                let nt = t.len();
                let mut sums = vec![(nq * bz.offset) as i64; nt + nq - 1];
                for k in 0..nt {
                    let g = &bz.gamma[cols.inv[start + k]];
                    for (l, &v) in g.iter().enumerate() {
                        sums[k + l] += v;
                    }
                }
                start += nt;
                best_alignment(&sums, nq, nt, &b[nt])
            })
            .collect();
        let n = targets.len();
        let hits = (0..n)
            .map(|i| {
                let (pf, sf, of, vf) = raw[i];
                let mut h = TomtomHit {
                    target: i,
                    p_value: pf,
                    score: sf,
                    offset: of,
                    overlap: vf,
                    strand: Strand::Forward,
                };
                if p.reverse_complement {
                    let (pr, sr, or, vr) = raw[i + n];
                    let pm = pf.min(pr);
                    h.p_value = pm * (2.0 - pm);
                    if sf <= sr {
                        (h.score, h.offset, h.overlap, h.strand) = (sr, or, vr, Strand::Reverse);
                    }
                }
                h
            })
            .collect();
        out.push(hits);
    }
    Ok(out)
}

/// Best offset of one (query, oriented target): `(p, score, offset, overlap)`.
fn best_alignment(sums: &[i64], nq: usize, nt: usize, surv: &[f64]) -> (f64, i64, i64, usize) {
    let m = sums.iter().copied().max().unwrap_or(0);
    let (mut bp, mut bs, mut bo, mut bv) = (1.0, 0i64, i64::MIN, 0usize);
    for (k, &s) in sums.iter().enumerate() {
        if s != m {
            continue;
        }
        let overlap = (k + 1).min(nq) - (k + 1).saturating_sub(nt);
        if s >= bs {
            if s == bs && bo >= overlap as i64 {
                continue;
            }
            bp = if s > 0 {
                surv[((s - 1) as usize).min(surv.len() - 1)]
            } else {
                1.0
            };
            (bs, bo, bv) = (s, k as i64 - nq as i64 + 1, overlap);
        }
    }
    (bp, bs, bo, bv)
}

/// [`tomtom`] keeping, per query, the `n_nearest` targets of smallest p-value, sorted by
/// p-value (stable: ties in target order).
///
/// Errors: as [`tomtom`].
///
/// ```
/// use evalkit::motifs::{tomtom_best, one_hot, TomtomParams};
/// let db = [one_hot("TATAAAAG").unwrap(), one_hot("GGGGCGGGGC").unwrap()];
/// let best = tomtom_best(&[one_hot("GGCGGG").unwrap()], &db, &TomtomParams::default(), 1).unwrap();
/// assert_eq!((best[0].len(), best[0][0].target, best[0][0].offset), (1, 1, 2));
/// ```
pub fn tomtom_best<Q: AsRef<[[f64; 4]]>, T: AsRef<[[f64; 4]]>>(
    queries: &[Q],
    targets: &[T],
    p: &TomtomParams,
    n_nearest: usize,
) -> Result<Vec<Vec<TomtomHit>>> {
    let mut all = tomtom(queries, targets, p)?;
    for hits in &mut all {
        hits.sort_by(|a, b| a.p_value.total_cmp(&b.p_value));
        hits.truncate(n_nearest);
    }
    Ok(all)
}
