//! Symmetric eigendecomposition by the cyclic Jacobi method.

use super::Matrix;
use crate::{Error, Result};

/// Largest symmetric matrix [`symmetric_eigen`] accepts (Jacobi is `O(n³)` per sweep).
pub const MAX_JACOBI: usize = 1024;

/// Eigenvalues (descending) and unit eigenvectors (`vectors.row(k)` belongs to `values[k]`)
/// of a symmetric matrix, by cyclic Jacobi rotations until the off-diagonal mass is below
/// `1e-15` of the total (at most 100 sweeps). Each eigenvector's sign is fixed so that its
/// largest-magnitude entry is positive.
///
/// Errors: [`Error::InvalidArgument`] for a non-square, asymmetric (beyond `1e-9` relative)
/// or larger than `MAX_JACOBI` (1024) matrix; [`Error::Empty`] for a 0 × 0 one.
///
/// ```
/// use evalkit::embedding::{Matrix, symmetric_eigen};
/// let a = Matrix::new(2, 2, vec![2.0, 1.0, 1.0, 2.0]).unwrap();
/// let (values, vectors) = symmetric_eigen(&a).unwrap();
/// assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
/// assert!((vectors.row(0)[0] - 0.5f64.sqrt()).abs() < 1e-12);
/// ```
pub fn symmetric_eigen(a: &Matrix) -> Result<(Vec<f64>, Matrix)> {
    let n = a.n_rows;
    if n != a.n_cols {
        return Err(Error::InvalidArgument(format!(
            "eigendecomposition of a non-square {} × {} matrix",
            a.n_rows, a.n_cols
        )));
    }
    if n == 0 {
        return Err(Error::Empty("matrix"));
    }
    if n > MAX_JACOBI {
        return Err(Error::InvalidArgument(format!(
            "symmetric_eigen: {n} × {n} is larger than {MAX_JACOBI} × {MAX_JACOBI}"
        )));
    }
    let scale = a
        .data
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()))
        .max(1e-300);
    for i in 0..n {
        for j in 0..i {
            if (a.data[i * n + j] - a.data[j * n + i]).abs() > 1e-9 * scale {
                return Err(Error::InvalidArgument(format!(
                    "matrix is not symmetric at ({i}, {j})"
                )));
            }
        }
    }
    let mut m = a.data.clone();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let total: f64 = m.iter().map(|x| x * x).sum();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[i * n + j] * m[i * n + j])
            .sum();
        if off <= 1e-30 * total || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = m[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let (app, aqq) = (m[p * n + p], m[q * n + q]);
                let theta = (aqq - app) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (m[k * n + p], m[k * n + q]);
                    m[k * n + p] = c * akp - s * akq;
                    m[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (m[p * n + k], m[q * n + k]);
                    m[p * n + k] = c * apk - s * aqk;
                    m[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[j * n + j].total_cmp(&m[i * n + i]).then(i.cmp(&j)));
    let values = order.iter().map(|&i| m[i * n + i]).collect();
    let mut vecs = Vec::with_capacity(n * n);
    for &c in &order {
        let mut col: Vec<f64> = (0..n).map(|k| v[k * n + c]).collect();
        flip_sign(&mut col);
        vecs.extend(col);
    }
    Ok((
        values,
        Matrix {
            n_rows: n,
            n_cols: n,
            data: vecs,
        },
    ))
}

/// Whether the largest-magnitude entry of `v` (the first such entry on ties) is negative.
pub(crate) fn needs_flip(v: &[f64]) -> bool {
    let mut best = 0;
    for (i, x) in v.iter().enumerate() {
        if x.abs() > v[best].abs() {
            best = i;
        }
    }
    v.get(best).is_some_and(|x| *x < 0.0)
}

/// Makes the largest-magnitude entry of `v` positive.
pub(crate) fn flip_sign(v: &mut [f64]) {
    if needs_flip(v) {
        v.iter_mut().for_each(|x| *x = -*x);
    }
}
