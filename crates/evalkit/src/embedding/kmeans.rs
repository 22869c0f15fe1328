//! Seeded k-means: greedy k-means++ initialisation, `n_init` restarts, Lloyd iterations.
//!
//! The algorithm is scikit-learn's `KMeans(algorithm="lloyd")`: the tolerance is relative to the
//! mean per-column variance of the data; an iteration whose labels equal the previous ones stops
//! the run ("strict convergence"), otherwise it stops once the summed squared centre shift is
//! `<= tol`, after which the labels are recomputed against the final centres. An empty cluster
//! takes the point farthest from its centre as its new centre. The restart with the lowest
//! inertia wins (the earliest on ties). Random numbers differ from scikit-learn's, so only runs
//! from the same initial centres ([`kmeans_from`]) reproduce scikit-learn's partition exactly.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{Matrix, sq_dist};
use crate::{Error, Result};

/// Options of [`kmeans()`]; the defaults are scikit-learn's (`n_init = 10` as before 1.4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KMeansConfig {
    /// Number of clusters (`1..=n_rows`).
    pub k: usize,
    /// Number of k-means++ restarts (`>= 1`).
    pub n_init: usize,
    /// Lloyd iterations per restart (`>= 1`).
    pub max_iter: usize,
    /// Relative tolerance on the summed squared centre shift (`>= 0`).
    pub tol: f64,
    /// Seed of the ChaCha8 stream of restart `r` (stream number `r`).
    pub seed: u64,
}

impl Default for KMeansConfig {
    fn default() -> Self {
        KMeansConfig {
            k: 8,
            n_init: 10,
            max_iter: 300,
            tol: 1e-4,
            seed: 0,
        }
    }
}

/// A fitted k-means partition.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeans {
    /// Cluster centres, `k × n_cols`.
    pub centers: Matrix,
    /// Cluster of every row (`0..k`).
    pub labels: Vec<usize>,
    /// Sum of squared distances of the rows to their centres.
    pub inertia: f64,
    /// Lloyd iterations run by the winning restart.
    pub n_iter: usize,
}

fn nearest(x: &[f64], centers: &Matrix) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for c in 0..centers.n_rows {
        let d = sq_dist(x, centers.row(c));
        if d < best.1 {
            best = (c, d);
        }
    }
    best
}

fn assign(x: &Matrix, centers: &Matrix) -> Vec<(usize, f64)> {
    (0..x.n_rows)
        .into_par_iter()
        .map(|i| nearest(x.row(i), centers))
        .collect()
}

fn lloyd(x: &Matrix, init: Matrix, max_iter: usize, tol_abs: f64) -> KMeans {
    let (k, d) = (init.n_rows, x.n_cols);
    let mut centers = init;
    let mut old_labels: Option<Vec<usize>> = None;
    let mut n_iter = 0;
    for it in 0..max_iter {
        n_iter = it + 1;
        let a = assign(x, &centers);
        let labels: Vec<usize> = a.iter().map(|p| p.0).collect();
        let mut sums = vec![0.0; k * d];
        let mut counts = vec![0usize; k];
        for (i, &l) in labels.iter().enumerate() {
            counts[l] += 1;
            sums[l * d..(l + 1) * d]
                .iter_mut()
                .zip(x.row(i))
                .for_each(|(s, v)| *s += v);
        }
        let empty: Vec<usize> = (0..k).filter(|&c| counts[c] == 0).collect();
        if !empty.is_empty() {
            let mut far: Vec<usize> = (0..x.n_rows).collect();
            far.sort_by(|&i, &j| a[j].1.total_cmp(&a[i].1).then(i.cmp(&j)));
            for (&c, &i) in empty.iter().zip(&far) {
                let l = labels[i];
                if counts[l] > 1 {
                    counts[l] -= 1;
                    sums[l * d..(l + 1) * d]
                        .iter_mut()
                        .zip(x.row(i))
                        .for_each(|(s, v)| *s -= v);
                }
                counts[c] = 1;
                sums[c * d..(c + 1) * d].copy_from_slice(x.row(i));
            }
        }
        let mut new = Matrix {
            n_rows: k,
            n_cols: d,
            data: sums,
        };
        for (c, &count) in counts.iter().enumerate() {
            let n = count.max(1) as f64;
            new.data[c * d..(c + 1) * d]
                .iter_mut()
                .for_each(|v| *v /= n);
        }
        let shift: f64 = (0..k).map(|c| sq_dist(new.row(c), centers.row(c))).sum();
        centers = new;
        if old_labels.as_ref() == Some(&labels) {
            break;
        }
        if shift <= tol_abs {
            break;
        }
        old_labels = Some(labels);
    }
    let a = assign(x, &centers);
    KMeans {
        labels: a.iter().map(|p| p.0).collect(),
        inertia: a.iter().map(|p| p.1).sum(),
        centers,
        n_iter,
    }
}

/// Greedy k-means++ (scikit-learn's, `2 + ⌊ln k⌋` candidates per step).
fn kmeans_pp(x: &Matrix, k: usize, rng: &mut ChaCha8Rng) -> Matrix {
    let n = x.n_rows;
    let first = rng.random_range(0..n);
    let mut chosen = vec![first];
    let mut closest: Vec<f64> = (0..n).map(|i| sq_dist(x.row(i), x.row(first))).collect();
    let mut pot: f64 = closest.iter().sum();
    let trials = 2 + (k as f64).ln().floor() as usize;
    for _ in 1..k {
        let mut cum = Vec::with_capacity(n);
        let mut acc = 0.0;
        for v in &closest {
            acc += v;
            cum.push(acc);
        }
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
            let r = rng.random::<f64>() * pot;
            let cand = cum.partition_point(|&c| c <= r).min(n - 1);
            let d: Vec<f64> = (0..n)
                .map(|i| sq_dist(x.row(i), x.row(cand)).min(closest[i]))
                .collect();
            let p: f64 = d.iter().sum();
            if best.as_ref().is_none_or(|b| p < b.0) {
                best = Some((p, cand, d));
            }
        }
        let (p, cand, d) = best.expect("at least two trials");
        chosen.push(cand);
        closest = d;
        pot = p;
    }
    x.select_rows(&chosen)
}

fn tol_abs(x: &Matrix, tol: f64) -> f64 {
    let (n, d) = (x.n_rows as f64, x.n_cols);
    let mut var_sum = 0.0;
    for j in 0..d {
        let mean = (0..x.n_rows).map(|i| x.data[i * d + j]).sum::<f64>() / n;
        var_sum += (0..x.n_rows)
            .map(|i| (x.data[i * d + j] - mean).powi(2))
            .sum::<f64>()
            / n;
    }
    tol * var_sum / d.max(1) as f64
}

fn check(x: &Matrix, k: usize, max_iter: usize, tol: f64) -> Result<()> {
    if x.n_rows == 0 || x.n_cols == 0 {
        return Err(Error::Empty("k-means data"));
    }
    if k == 0 || k > x.n_rows {
        return Err(Error::InvalidArgument(format!(
            "k-means with k = {k} clusters on {} rows (need 1 <= k <= rows)",
            x.n_rows
        )));
    }
    if max_iter == 0 || !(tol >= 0.0 && tol.is_finite()) {
        return Err(Error::InvalidArgument(format!(
            "k-means needs max_iter >= 1 and a finite tol >= 0 (max_iter = {max_iter}, tol = {tol})"
        )));
    }
    Ok(())
}

/// k-means with `n_init` seeded k-means++ restarts (see the module documentation).
///
/// Errors: [`Error::Empty`] (no rows or columns), [`Error::InvalidArgument`] (k = 0, k larger
/// than the number of rows, `n_init` or `max_iter` = 0, a bad `tol`).
///
/// ```
/// use evalkit::embedding::{KMeansConfig, Matrix, kmeans};
/// let x = Matrix::new(6, 1, vec![0.0, 1.0, 2.0, 10.0, 11.0, 12.0]).unwrap();
/// let km = kmeans(&x, &KMeansConfig { k: 2, seed: 7, ..Default::default() }).unwrap();
/// assert!((km.inertia - 4.0).abs() < 1e-12);
/// assert!(kmeans(&x, &KMeansConfig { k: 7, ..Default::default() }).is_err());
/// ```
pub fn kmeans(x: &Matrix, cfg: &KMeansConfig) -> Result<KMeans> {
    check(x, cfg.k, cfg.max_iter, cfg.tol)?;
    if cfg.n_init == 0 {
        return Err(Error::InvalidArgument("k-means needs n_init >= 1".into()));
    }
    let tol = tol_abs(x, cfg.tol);
    let mut best: Option<KMeans> = None;
    for r in 0..cfg.n_init {
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        rng.set_stream(r as u64);
        let init = kmeans_pp(x, cfg.k, &mut rng);
        let run = lloyd(x, init, cfg.max_iter, tol);
        if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
            best = Some(run);
        }
    }
    Ok(best.expect("n_init >= 1"))
}

/// One Lloyd run from the given initial centres (`init.n_rows` = k), as scikit-learn's
/// `KMeans(init=centres, n_init=1)`.
///
/// Errors: as [`kmeans()`]; [`Error::LengthMismatch`] when `init` has another number of
/// columns than `x`.
///
/// ```
/// use evalkit::embedding::{Matrix, kmeans_from};
/// let x = Matrix::new(4, 1, vec![0.0, 1.0, 9.0, 10.0]).unwrap();
/// let init = Matrix::new(2, 1, vec![0.0, 1.0]).unwrap();
/// let km = kmeans_from(&x, &init, 300, 0.0).unwrap();
/// assert_eq!(km.labels, [0, 0, 1, 1]);
/// assert_eq!(km.centers.data, [0.5, 9.5]);
/// ```
pub fn kmeans_from(x: &Matrix, init: &Matrix, max_iter: usize, tol: f64) -> Result<KMeans> {
    check(x, init.n_rows, max_iter, tol)?;
    if init.n_cols != x.n_cols {
        return Err(Error::LengthMismatch {
            what: "k-means initial centres vs data columns",
            left: init.n_cols,
            right: x.n_cols,
        });
    }
    Ok(lloyd(x, init.clone(), max_iter, tol_abs(x, tol)))
}
