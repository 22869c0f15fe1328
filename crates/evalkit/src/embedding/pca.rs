//! Truncated SVD and PCA of a dense matrix.
//!
//! ## Method
//! The top `k` right singular vectors are the top eigenvectors of the smaller Gram matrix
//! (`XᵀX`, or `XXᵀ` when `X` has fewer rows than columns, then mapped through `X`). When that
//! side has at most [`super::eigen::MAX_JACOBI`] dimensions the Gram matrix is diagonalised
//! exactly by Jacobi rotations; otherwise a block subspace iteration with `k + 10` vectors and a
//! Rayleigh–Ritz step runs until the Ritz values stop changing (relative `1e-12`, at most 500
//! iterations). Forming the Gram matrix squares the condition number: singular values far below
//! `sqrt(ε)·s₁` lose relative accuracy, which does not matter for a handful of leading
//! components. Signs: each right singular vector (PCA component) has its largest-magnitude entry
//! positive, and `u` follows.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::Matrix;
use super::eigen::{MAX_JACOBI, needs_flip, symmetric_eigen};
use crate::{Error, Result};

/// A rank-`k` SVD `X ≈ U diag(s) Vᵀ`.
#[derive(Debug, Clone, PartialEq)]
pub struct Svd {
    /// Left singular vectors, `n_rows × k` (a zero column for a zero singular value).
    pub u: Matrix,
    /// Singular values, descending.
    pub s: Vec<f64>,
    /// Right singular vectors as rows, `k × n_cols`.
    pub vt: Matrix,
}

/// A fitted PCA (as scikit-learn's `PCA(n_components=k)`, no whitening).
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Column means subtracted before the decomposition.
    pub mean: Vec<f64>,
    /// Principal axes as rows, `k × n_cols`.
    pub components: Matrix,
    /// Variance along each axis, `s² / (n − 1)`.
    pub explained_variance: Vec<f64>,
    /// `explained_variance` over the total variance of all columns.
    pub explained_variance_ratio: Vec<f64>,
    /// Singular values of the centred matrix.
    pub singular_values: Vec<f64>,
    /// The rows projected on the axes (`U diag(s)`), `n_rows × k`.
    pub scores: Matrix,
}

fn gram_t(x: &Matrix) -> Matrix {
    // XᵀX, m × m, rows summed in parallel and combined in order.
    let m = x.n_cols;
    let parts: Vec<Vec<f64>> = x
        .data
        .par_chunks(m * 256)
        .map(|chunk| {
            let mut g = vec![0.0; m * m];
            for r in chunk.chunks(m) {
                for (a, &ra) in r.iter().enumerate() {
                    if ra != 0.0 {
                        for (b, &rb) in r.iter().enumerate().skip(a) {
                            g[a * m + b] += ra * rb;
                        }
                    }
                }
            }
            g
        })
        .collect();
    let mut g = vec![0.0; m * m];
    for p in parts {
        g.iter_mut().zip(p).for_each(|(a, b)| *a += b);
    }
    for a in 0..m {
        for b in 0..a {
            g[a * m + b] = g[b * m + a];
        }
    }
    Matrix {
        n_rows: m,
        n_cols: m,
        data: g,
    }
}

fn transpose(x: &Matrix) -> Matrix {
    let mut data = vec![0.0; x.data.len()];
    for i in 0..x.n_rows {
        for j in 0..x.n_cols {
            data[j * x.n_rows + i] = x.data[i * x.n_cols + j];
        }
    }
    Matrix {
        n_rows: x.n_cols,
        n_cols: x.n_rows,
        data,
    }
}

/// `x · vᵀ` for `v` given as rows (`k × n_cols`): an `n_rows × k` matrix.
fn times_rows_t(x: &Matrix, v: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let cols: Vec<Vec<f64>> = v
        .par_iter()
        .map(|vr| (0..x.n_rows).map(|i| dot(x.row(i), vr)).collect())
        .collect();
    cols
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Orthonormalises `q` (rows) in place by modified Gram–Schmidt (twice, for stability).
fn orthonormalise(q: &mut [Vec<f64>]) {
    for _ in 0..2 {
        for i in 0..q.len() {
            for j in 0..i {
                let (a, b) = q.split_at_mut(i);
                let d = dot(&b[0], &a[j]);
                b[0].iter_mut().zip(&a[j]).for_each(|(x, y)| *x -= d * y);
            }
            let n = dot(&q[i], &q[i]).sqrt();
            if n > 0.0 {
                q[i].iter_mut().for_each(|x| *x /= n);
            }
        }
    }
}

/// Top right singular vectors (rows) and eigenvalues of `XᵀX` by subspace iteration.
fn subspace(x: &Matrix, k: usize) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
    let m = x.n_cols;
    let p = (k + 10).min(m.min(x.n_rows));
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed);
    let mut q: Vec<Vec<f64>> = (0..p)
        .map(|_| (0..m).map(|_| rng.random::<f64>() - 0.5).collect())
        .collect();
    orthonormalise(&mut q);
    let xt = transpose(x);
    let mut prev = vec![f64::INFINITY; k];
    for _ in 0..500 {
        let xq = times_rows_t(x, &q); // p rows of length n
        let mut z = times_rows_t(&xt, &xq); // p rows of length m: XᵀX q
        // Rayleigh–Ritz on span(q): T = Qᵀ XᵀX Q.
        let t: Vec<f64> = (0..p)
            .flat_map(|a| (0..p).map(move |b| (a, b)))
            .map(|(a, b)| 0.5 * (dot(&q[a], &z[b]) + dot(&q[b], &z[a])))
            .collect();
        let (vals, w) = symmetric_eigen(&Matrix {
            n_rows: p,
            n_cols: p,
            data: t,
        })?;
        let done = vals
            .iter()
            .zip(&prev)
            .all(|(a, b)| (a - b).abs() <= 1e-12 * vals[0].abs().max(1e-300));
        if done {
            let v: Vec<Vec<f64>> = (0..k)
                .map(|c| {
                    let mut r = vec![0.0; m];
                    for (a, qa) in q.iter().enumerate() {
                        let wa = w.row(c)[a];
                        r.iter_mut().zip(qa).for_each(|(x, y)| *x += wa * y);
                    }
                    r
                })
                .collect();
            return Ok((vals[..k].to_vec(), v));
        }
        prev = vals[..k].to_vec();
        orthonormalise(&mut z);
        q = z;
    }
    Err(Error::Undefined(
        "truncated SVD: subspace iteration did not converge in 500 iterations".into(),
    ))
}

/// Rank-`k` SVD of `x` (see the module documentation for the method and sign convention).
///
/// Errors: [`Error::InvalidArgument`] unless `1 <= k <= min(n_rows, n_cols)`.
///
/// ```
/// use evalkit::embedding::{Matrix, truncated_svd};
/// let x = Matrix::new(3, 2, vec![3.0, 0.0, 0.0, 2.0, 0.0, 0.0]).unwrap();
/// let svd = truncated_svd(&x, 2).unwrap();
/// assert!((svd.s[0] - 3.0).abs() < 1e-12 && (svd.s[1] - 2.0).abs() < 1e-12);
/// assert_eq!(svd.vt.row(0), &[1.0, 0.0]);
/// ```
pub fn truncated_svd(x: &Matrix, k: usize) -> Result<Svd> {
    let (n, m) = (x.n_rows, x.n_cols);
    if k == 0 || k > n.min(m) {
        return Err(Error::InvalidArgument(format!(
            "truncated SVD of rank {k} of a {n} × {m} matrix (need 1 <= k <= {})",
            n.min(m)
        )));
    }
    // Work on the side with fewer dimensions: `y` has at most as many columns as rows.
    let wide = m > n;
    let y = if wide { transpose(x) } else { x.clone() };
    let (vals, vrows) = if y.n_cols <= MAX_JACOBI {
        let (vals, vecs) = symmetric_eigen(&gram_t(&y))?;
        let rows = (0..k).map(|c| vecs.row(c).to_vec()).collect();
        (vals[..k].to_vec(), rows)
    } else {
        subspace(&y, k)?
    };
    let s: Vec<f64> = vals.iter().map(|v| v.max(0.0).sqrt()).collect();
    let tiny = s[0] * 1e-13 * (n.max(m) as f64);
    let mut other = times_rows_t(&y, &vrows); // y v = s u, k rows of length y.n_rows
    for (c, o) in other.iter_mut().enumerate() {
        if s[c] > tiny && s[c] > 0.0 {
            o.iter_mut().for_each(|v| *v /= s[c]);
        } else {
            o.iter_mut().for_each(|v| *v = 0.0);
        }
    }
    let (mut urows, mut vtrows) = if wide { (vrows, other) } else { (other, vrows) };
    for (u, v) in urows.iter_mut().zip(vtrows.iter_mut()) {
        if needs_flip(v) {
            u.iter_mut().for_each(|x| *x = -*x);
            v.iter_mut().for_each(|x| *x = -*x);
        }
    }
    let mut u = vec![0.0; n * k];
    for (c, ur) in urows.iter().enumerate() {
        for (i, v) in ur.iter().enumerate() {
            u[i * k + c] = *v;
        }
    }
    Ok(Svd {
        u: Matrix {
            n_rows: n,
            n_cols: k,
            data: u,
        },
        s,
        vt: Matrix {
            n_rows: k,
            n_cols: m,
            data: vtrows.concat(),
        },
    })
}

/// PCA of the rows of `x` onto `k` components: columns centred, then [`truncated_svd`].
///
/// Errors: [`Error::TooFewSamples`] for fewer than 2 rows; as [`truncated_svd`].
///
/// ```
/// use evalkit::embedding::{Matrix, pca};
/// let x = Matrix::new(4, 2, vec![1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0]).unwrap();
/// let p = pca(&x, 1).unwrap();
/// assert!((p.explained_variance_ratio[0] - 1.0).abs() < 1e-12);
/// assert!((p.components.row(0)[0] - 0.5f64.sqrt()).abs() < 1e-12);
/// ```
pub fn pca(x: &Matrix, k: usize) -> Result<Pca> {
    let (n, m) = (x.n_rows, x.n_cols);
    if n < 2 {
        return Err(Error::TooFewSamples {
            what: "PCA",
            need: 2,
            got: n,
        });
    }
    let mut mean = vec![0.0; m];
    for i in 0..n {
        mean.iter_mut().zip(x.row(i)).for_each(|(a, b)| *a += b);
    }
    mean.iter_mut().for_each(|a| *a /= n as f64);
    let mut c = x.clone();
    for r in c.data.chunks_mut(m) {
        r.iter_mut().zip(&mean).for_each(|(a, b)| *a -= b);
    }
    let total: f64 = c.data.iter().map(|v| v * v).sum();
    let svd = truncated_svd(&c, k)?;
    let explained_variance: Vec<f64> = svd.s.iter().map(|s| s * s / (n - 1) as f64).collect();
    let explained_variance_ratio = svd
        .s
        .iter()
        .map(|s| if total > 0.0 { s * s / total } else { 0.0 })
        .collect();
    let mut scores = svd.u.clone();
    for r in scores.data.chunks_mut(k) {
        r.iter_mut().zip(&svd.s).for_each(|(a, s)| *a *= s);
    }
    Ok(Pca {
        mean,
        components: svd.vt,
        explained_variance,
        explained_variance_ratio,
        singular_values: svd.s,
        scores,
    })
}
