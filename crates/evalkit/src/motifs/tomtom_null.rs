//! The per-query part of Tomtom: column scores against every (unique) target column, their
//! median-centred integer bins, and the null distributions of alignment scores (memelite's
//! `_integer_distances_and_histogram` and `_p_value_backgrounds`, same operations in the same
//! order).

/// Integer scores of one query against the unique target columns.
pub(super) struct Binned {
    /// `gamma[col][l]`: binned score of unique target column `col` against query column
    /// `nq − 1 − l`, minus `offset`.
    pub gamma: Vec<Vec<i64>>,
    /// Histogram per query column over bins `0..=n_bins`, weighted by column counts.
    pub f: Vec<Vec<f64>>,
    /// The bin of a zero (median-level) column score.
    pub offset: usize,
}

/// Approximate median by binning (memelite's `_binned_median`): `n_median_bins` bins over
/// `[lo, hi]`, the mean of the values in the bin where half the weight is reached.
fn binned_median(
    x: &[f64],
    counts: &[u64],
    lo: f64,
    hi: f64,
    n_median_bins: usize,
    halfway: f64,
) -> f64 {
    let range = hi - lo;
    if range == 0.0 {
        return lo;
    }
    let zb: Vec<usize> = x
        .iter()
        .map(|&v| (((v - lo) / range * (n_median_bins - 1) as f64) as usize).min(n_median_bins - 1))
        .collect();
    let mut cnt = vec![0u64; n_median_bins];
    for (&z, &c) in zb.iter().zip(counts) {
        cnt[z] += c;
    }
    let mut count = 0u64;
    for (b, &cb) in cnt.iter().enumerate() {
        count += cb;
        if count as f64 >= halfway {
            let mut s = 0.0;
            for ((&z, &v), &c) in zb.iter().zip(x).zip(counts) {
                if z == b {
                    s += v * c as f64;
                }
            }
            return s / cb as f64;
        }
    }
    lo
}

/// Column scores `−‖q − t‖₂` (0 for a zero distance), medians, integer bins and histograms.
pub(super) fn bin_scores(
    query: &[[f64; 4]],
    cols: &[[f64; 4]],
    norms: &[f64],
    counts: &[u64],
    n_bins: usize,
    n_median_bins: usize,
) -> Binned {
    let nq = query.len();
    let total: u64 = counts.iter().sum();
    let halfway = total as f64 / 2.0;
    let mut g = vec![Vec::new(); nq];
    let mut med = vec![0.0; nq];
    let (mut zmin, mut zmax) = (9999999.9f64, -9999999.9f64);
    for (i, q) in query.iter().enumerate() {
        let xn = ((q[0] * q[0] + q[1] * q[1]) + q[2] * q[2]) + q[3] * q[3];
        let x2 = [2.0 * q[0], 2.0 * q[1], 2.0 * q[2], 2.0 * q[3]];
        let row: Vec<f64> = cols
            .iter()
            .zip(norms)
            .map(|(y, &yn)| {
                let mut z = xn + yn;
                z -= x2[0] * y[0];
                z -= x2[1] * y[1];
                z -= x2[2] * y[2];
                z -= x2[3] * y[3];
                if z > 0.0 { -z.sqrt() } else { 0.0 }
            })
            .collect();
        let (lo, hi) = row
            .iter()
            .fold((9999999.9f64, -9999999.9f64), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        med[i] = binned_median(&row, counts, lo, hi, n_median_bins, halfway);
        zmin = zmin.min(lo - med[i]);
        zmax = zmax.max(hi - med[i]);
        g[i] = row;
    }
    let i_min = zmin.floor() as i64;
    let bin_scale = (n_bins as f64 / f64::max(zmax - i_min as f64, 1.0)).floor() as i64;
    let offset = (-i_min * bin_scale).max(0) as usize;
    let w: Vec<f64> = counts.iter().map(|&c| c as f64 / total as f64).collect();
    let mut gamma = vec![vec![0i64; nq]; cols.len()];
    let mut f = vec![vec![0.0; n_bins + 1]; nq];
    for i in 0..nq {
        let m = med[i] + i_min as f64;
        let k = nq - i - 1;
        for (j, &v) in g[i].iter().enumerate() {
            let x = ((v - m) * bin_scale as f64 + 0.5)
                .floor()
                .clamp(0.0, n_bins as f64) as usize;
            f[i][x] += w[j];
            gamma[j][k] = x as i64 - offset as i64;
        }
    }
    Binned { gamma, f, offset }
}

/// pdf of the maximum of two independent scores, `x` (pdf) and `y` (pdf with its cumulative
/// sum `yc`), written over `x`.
fn pairwise_max(x: &mut [f64], y: &[f64], yc: &[f64]) {
    let mut xc = 0.0;
    for i in 0..x.len() {
        xc += x[i];
        x[i] = x[i] * yc[i] + y[i] * xc - x[i] * y[i];
    }
}

/// Survival tables `b[t][s − 1] = P(best alignment score ≥ s)` against a target of length `t`,
/// for the `t` in `needed` (index `t`; others left empty).
pub(super) fn backgrounds(
    f: &[Vec<f64>],
    n_bins: usize,
    offset: usize,
    needed: &[bool],
) -> Vec<Vec<f64>> {
    let nq = f.len();
    let n = n_bins * nq + nq * offset;
    let t_max = needed.len() - 1;
    // a[i][j - i]: pdf of the summed score of query columns i..=j aligned (each unaligned query
    // column scoring `offset`), and its cumulative sum.
    let mut a: Vec<Vec<Vec<f64>>> = vec![Vec::new(); nq];
    let mut ac: Vec<Vec<Vec<f64>>> = vec![Vec::new(); nq];
    for i in 0..nq {
        for j in i..nq {
            let c = offset * (nq - j + i - 1);
            let mut row = vec![0.0; n + 1];
            if i == j {
                for (l, &v) in f[j].iter().enumerate() {
                    row[l + c] = v;
                }
            } else {
                let prev = &a[i][j - i - 1];
                let nz: Vec<(usize, f64)> = f[j]
                    .iter()
                    .copied()
                    .enumerate()
                    .filter(|p| p.1 != 0.0)
                    .collect();
                for k in 0..=n_bins * j {
                    let pa = prev[k + c + offset];
                    if pa == 0.0 {
                        continue;
                    }
                    for &(l, fv) in &nz {
                        row[k + c + l] += pa * fv;
                    }
                }
            }
            let cap = n_bins * (j + 1) + c;
            let mut acc = 0.0;
            let csum: Vec<f64> = row
                .iter()
                .enumerate()
                .map(|(k, &v)| {
                    acc += v;
                    if k >= cap { 1.0 } else { acc }
                })
                .collect();
            a[i].push(row);
            ac[i].push(csum);
        }
    }
    let span = |i: usize, j: usize| (&a[i][j - i][..n], &ac[i][j - i][..n]);
    let mut b: Vec<Vec<f64>> = vec![Vec::new(); t_max + 1];
    // Targets at least as long as the query: every overhang on both sides, then full overlaps.
    if t_max >= nq {
        let mut cur = span(0, 0).0.to_vec();
        if nq > 1 {
            let (y, yc) = span(nq - 1, nq - 1);
            pairwise_max(&mut cur, y, yc);
        }
        let mut keep = |t: usize, cur: &Vec<f64>| {
            if needed[t] {
                b[t] = cur.clone();
            }
        };
        if nq == 1 {
            keep(1, &cur);
        }
        for i in 2..nq {
            let (y, yc) = span(0, i - 1);
            pairwise_max(&mut cur, y, yc);
            let (y, yc) = span(nq - i, nq - 1);
            pairwise_max(&mut cur, y, yc);
        }
        for t in nq.max(2)..=t_max {
            let (y, yc) = span(0, nq - 1);
            pairwise_max(&mut cur, y, yc);
            keep(t, &cur);
        }
    }
    // Targets shorter than the query: every placement inside it and the overhangs.
    for (t, row) in b.iter_mut().enumerate().take(nq.min(t_max + 1)).skip(1) {
        if !needed[t] {
            continue;
        }
        let mut cur = span(0, t - 1).0.to_vec();
        for j in 1..=nq - t {
            let (y, yc) = span(j, j + t - 1);
            pairwise_max(&mut cur, y, yc);
        }
        for j in 0..t - 1 {
            let (y, yc) = span(0, j);
            pairwise_max(&mut cur, y, yc);
            let (y, yc) = span(nq - 1 - j, nq - 1);
            pairwise_max(&mut cur, y, yc);
        }
        *row = cur;
    }
    // pdf -> survival at score j + 1, summed from the top, clamped to [0, 1].
    for row in b.iter_mut().filter(|r| !r.is_empty()) {
        let mut acc = 0.0f64;
        for v in row.iter_mut().rev() {
            let p = *v;
            *v = acc.clamp(0.0, 1.0);
            acc += p;
        }
    }
    b
}
