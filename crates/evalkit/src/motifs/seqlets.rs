//! Seqlet calling: tangermeme's recursive seqlet algorithm (`tangermeme.seqlet.recursive_seqlets`,
//! tangermeme 1.6), re-implemented.
//!
//! 1. **Bins.** Every attribution of every example is placed in one of `n_bins` integer bins
//!    spanning `[min, max]` of all attributions: `bin = floor((x − min) / w)` clamped to
//!    `[0, n_bins − 1]`, `w = (max − min) / (n_bins − 1)`.
//! 2. **Null.** With `f` the histogram of bins (as frequencies), the null of a span of length
//!    `k` is the sum of `k` independent draws from `f` (`f` convolved `k` times); its survival
//!    function `P(S_k ≥ s)` is summed from the top so small tails keep their precision.
//! 3. **P-values.** A span `[a, a + k)` gets `p(a, k) = P(S_k ≥ Σ bins)`.
//! 4. **Recursive property.** A span of length `k` is a candidate when every sub-span of length
//!    `≥ min_seqlet_len` inside it (the "triangle") has `p < threshold`. Lengths are visited from
//!    `max_seqlet_len` down to `min_seqlet_len`; within a length the candidates are visited by
//!    increasing `max(p(a, j), j = min..=k)` (stable, so ties by start) and a candidate is called
//!    when none of its positions is in a seqlet already called in that example.
//! 5. The reported span is widened by `additional_flanks` on each side (clipped to the
//!    example), its attribution sum is taken over the widened span, its p-value is the span's
//!    own `p(a, k)` (before widening). Seqlets are returned by increasing p-value.
//!
//! The p-values rank spans; they are not error rates (attributions are correlated along the
//! sequence and the null contains the signal). Only positive seqlets are called: call on the
//! negated track for negative ones.

use crate::{Error, Result};

/// Parameters of [`recursive_seqlets`] (defaults are tangermeme's).
#[derive(Debug, Clone, PartialEq)]
pub struct SeqletParams {
    /// P-value threshold every span of a seqlet's triangle must be below (default 0.01).
    pub threshold: f64,
    /// Shortest seqlet, and shortest sub-span checked by the recursive property (default 4).
    pub min_seqlet_len: usize,
    /// Longest seqlet (default 25).
    pub max_seqlet_len: usize,
    /// Positions added on each side after calling; called seqlets never overlap, widened ones
    /// may (default 0).
    pub additional_flanks: usize,
    /// Number of bins of the attribution histogram (default 1000).
    pub n_bins: usize,
}

impl Default for SeqletParams {
    fn default() -> Self {
        SeqletParams {
            threshold: 0.01,
            min_seqlet_len: 4,
            max_seqlet_len: 25,
            additional_flanks: 0,
            n_bins: 1000,
        }
    }
}

/// A called seqlet.
#[derive(Debug, Clone, PartialEq)]
pub struct Seqlet {
    /// Index of the example (track).
    pub example: usize,
    /// 0-based start (inclusive), flanks included.
    pub start: usize,
    /// 0-based end (exclusive), flanks included.
    pub end: usize,
    /// Sum of the attributions over `start..end`.
    pub attribution: f64,
    /// P-value of the called span (without flanks) under the null of step 2.
    pub p_value: f64,
}

/// `rcdfs[k][s] = P(S_k ≥ s)`, built as tangermeme builds it (same additions in the same order).
fn null_survival(bins: &[usize], n_bins: usize, max_len: usize) -> Vec<Vec<f64>> {
    let mut counts = vec![0usize; n_bins];
    for &b in bins {
        counts[b] += 1;
    }
    let n = bins.len() as f64;
    let f: Vec<f64> = counts.iter().map(|&c| c as f64 / n).collect();
    let nz: Vec<usize> = (0..n_bins).rev().filter(|&j| f[j] != 0.0).collect(); // descending j
    let mut rcdfs = vec![vec![0.0; n_bins * max_len + 1]; max_len + 1];
    let mut prev: Vec<f64> = Vec::new();
    for (len, row) in rcdfs.iter_mut().enumerate().skip(1) {
        let cur: Vec<f64> = if len == 1 {
            f.clone()
        } else {
            let n_prev = prev.len(); // n_bins·(len − 1) − 1 nonzero-able entries (rest are 0)
            // cur[m] = Σ_i prev[i] f[m − i] over ascending i (descending j = m − i)
            (0..n_bins * len - 1)
                .map(|m| {
                    let mut acc = 0.0;
                    for &j in &nz {
                        if j <= m && m - j < n_prev {
                            acc += prev[m - j] * f[j];
                        }
                    }
                    acc
                })
                .collect()
        };
        for i in (0..cur.len()).rev() {
            row[i] = row[i + 1] + cur[i];
        }
        prev = cur;
    }
    rcdfs
}

/// Calls seqlets on per-position attribution tracks `x[example][position]` (the "projected"
/// attributions, e.g. Σ over bases of attribution × one-hot) with tangermeme's recursive
/// algorithm (see the module docs). Tracks may differ in length.
///
/// Errors: [`Error::Empty`] (no tracks or all empty), [`Error::NonFinite`],
/// [`Error::InvalidArgument`] for `threshold` NaN or above 1, `min_seqlet_len` 0 or above
/// `max_seqlet_len`, `n_bins < 2`. A constant input calls no seqlet.
///
/// ```
/// use evalkit::motifs::{recursive_seqlets, SeqletParams};
/// let mut x = vec![0.0; 30];
/// for (i, v) in x.iter_mut().enumerate() { *v = 0.01 * (i % 3) as f64; }
/// for v in &mut x[12..18] { *v = 1.0; }
/// let s = recursive_seqlets(&[x], &SeqletParams::default()).unwrap();
/// assert_eq!((s[0].example, s[0].start, s[0].end), (0, 12, 18));
/// assert!((s[0].attribution - 6.0).abs() < 1e-12 && s[0].p_value < 0.01);
/// ```
pub fn recursive_seqlets<T: AsRef<[f64]>>(x: &[T], p: &SeqletParams) -> Result<Vec<Seqlet>> {
    if p.threshold.is_nan() || p.threshold > 1.0 {
        return Err(Error::InvalidArgument(format!(
            "threshold must be a p-value of at most 1, got {}",
            p.threshold
        )));
    }
    if p.min_seqlet_len == 0 || p.min_seqlet_len > p.max_seqlet_len || p.n_bins < 2 {
        return Err(Error::InvalidArgument(format!(
            "need 1 <= min_seqlet_len <= max_seqlet_len and n_bins >= 2 (got {}, {}, {})",
            p.min_seqlet_len, p.max_seqlet_len, p.n_bins
        )));
    }
    let all = || x.iter().flat_map(|r| r.as_ref().iter().copied());
    if all().next().is_none() {
        return Err(Error::Empty("attribution tracks"));
    }
    if let Some(i) = all().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            what: "attributions (flattened)",
            index: i,
        });
    }
    let (lo, hi) = all().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if lo == hi {
        return Ok(Vec::new());
    }
    let width = (hi - lo) / (p.n_bins - 1) as f64;
    let bin = |v: f64| ((v - lo) / width).floor().clamp(0.0, (p.n_bins - 1) as f64) as usize;
    let bins: Vec<Vec<usize>> = x
        .iter()
        .map(|r| r.as_ref().iter().map(|&v| bin(v)).collect())
        .collect();
    let flat: Vec<usize> = bins.iter().flatten().copied().collect();
    let rcdfs = null_survival(&flat, p.n_bins, p.max_seqlet_len);
    let (kmin, kmax) = (p.min_seqlet_len, p.max_seqlet_len);

    let mut out = Vec::new();
    for (ex, (row, brow)) in x.iter().zip(&bins).enumerate() {
        let row = row.as_ref();
        let l = row.len();
        let mut bcs = vec![0usize; l + 1];
        let mut xcs = vec![0.0f64; l + 1];
        for j in 0..l {
            bcs[j + 1] = bcs[j] + brow[j];
            xcs[j + 1] = xcs[j] + row[j];
        }
        // pmax[k][a]: max p over prefixes of length kmin..=k; tri[k][a]: max over the triangle.
        let mut pmax = vec![Vec::new(); kmax + 1];
        let mut tri = vec![Vec::new(); kmax + 1];
        for k in kmin..=kmax.min(l) {
            let mut pk = vec![0.0; l - k + 1];
            let mut tk = vec![0.0; l - k + 1];
            for a in 0..=l - k {
                let pv = rcdfs[k][bcs[a + k] - bcs[a]];
                let prev_p = if k > kmin { pmax[k - 1][a] } else { 0.0 };
                let prev_t = if k > kmin { tri[k - 1][a + 1] } else { 0.0 };
                pk[a] = f64::max(pv, prev_p);
                tk[a] = f64::max(pk[a], prev_t);
            }
            pmax[k] = pk;
            tri[k] = tk;
        }
        let mut called = vec![false; l];
        for k in (kmin..=kmax.min(l)).rev() {
            let mut cand: Vec<usize> = (0..=l - k).filter(|&a| tri[k][a] < p.threshold).collect();
            cand.sort_by(|&a, &b| pmax[k][a].total_cmp(&pmax[k][b]));
            for a in cand {
                if called[a..a + k].iter().any(|&c| c) {
                    continue;
                }
                called[a..a + k].iter_mut().for_each(|c| *c = true);
                let pv = rcdfs[k][bcs[a + k] - bcs[a]];
                let end = (a + k + p.additional_flanks).min(l);
                let start = a.saturating_sub(p.additional_flanks);
                out.push(Seqlet {
                    example: ex,
                    start,
                    end,
                    attribution: xcs[end] - xcs[start],
                    p_value: pv,
                });
            }
        }
    }
    out.sort_by(|a, b| a.p_value.total_cmp(&b.p_value));
    Ok(out)
}
