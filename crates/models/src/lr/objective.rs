//! The penalised log-loss of scikit-learn's `LogisticRegression(solver="lbfgs")` and its
//! gradient, evaluated in parallel over fixed row chunks (deterministic for any thread count).
//!
//! Parameters are laid out feature-major: `w[j * k + c]` for feature `j` and output `c`, followed
//! by the `k` intercepts. The objective is scikit-learn's scaled by `1 / (C n)`:
//! `f = (1/n) Σ_i loss_i + ||W||² / (2 C n)` (the intercepts are not penalised), which has the
//! same minimiser as `C Σ_i loss_i + ||W||² / 2`.

use rayon::prelude::*;
use seqenc::sparse::CsrMatrix;

/// Rows per parallel chunk; fixed so the summation order does not depend on the thread count.
const CHUNK: usize = 1024;

/// Targets of one fit: binary `{0, 1}` (one output) or class indices (softmax, `k` outputs).
pub(crate) enum Target<'a> {
    Binary(&'a [bool]),
    Multinomial(&'a [usize]),
}

/// `log(1 + exp(z))` without overflow.
#[inline]
pub(crate) fn log1pexp(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Logistic sigmoid without overflow.
#[inline]
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Linear scores of row `i`: `z[c] = b[c] + Σ_j x_ij w[j k + c]`.
#[inline]
pub(crate) fn scores_row(x: &CsrMatrix, i: usize, w: &[f64], b: &[f64], z: &mut [f64]) {
    let k = z.len();
    z.copy_from_slice(b);
    for p in x.indptr[i]..x.indptr[i + 1] {
        let (j, v) = (x.indices[p] as usize, x.data[p]);
        let wj = &w[j * k..j * k + k];
        for c in 0..k {
            z[c] += v * wj[c];
        }
    }
}

/// Writes softmax(z) into `z` and returns log-sum-exp(z).
#[inline]
pub(crate) fn softmax_in_place(z: &mut [f64]) -> f64 {
    let m = z.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let mut s = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    for v in z.iter_mut() {
        *v /= s;
    }
    m + s.ln()
}

/// Objective value and gradient (written into `grad`) at `params`.
pub(crate) fn value_and_grad(
    x: &CsrMatrix,
    target: &Target<'_>,
    k: usize,
    c_reg: f64,
    fit_intercept: bool,
    params: &[f64],
    grad: &mut [f64],
) -> f64 {
    let d = x.n_cols;
    let n = x.n_rows;
    let (w, b) = params.split_at(d * k);
    let n_chunks = n.div_ceil(CHUNK);
    let parts: Vec<(f64, Vec<f64>)> = (0..n_chunks)
        .into_par_iter()
        .map(|ch| {
            let mut g = vec![0.0; (d + 1) * k];
            let mut z = vec![0.0; k];
            let mut loss = 0.0;
            for i in ch * CHUNK..((ch + 1) * CHUNK).min(n) {
                scores_row(x, i, w, b, &mut z);
                match target {
                    Target::Binary(y) => {
                        let yi = if y[i] { 1.0 } else { 0.0 };
                        loss += log1pexp(z[0]) - yi * z[0];
                        z[0] = sigmoid(z[0]) - yi;
                    }
                    Target::Multinomial(y) => {
                        let zy = z[y[i]];
                        loss += softmax_in_place(&mut z) - zy;
                        z[y[i]] -= 1.0;
                    }
                }
                for p in x.indptr[i]..x.indptr[i + 1] {
                    let (j, v) = (x.indices[p] as usize, x.data[p]);
                    let gj = &mut g[j * k..j * k + k];
                    for c in 0..k {
                        gj[c] += v * z[c];
                    }
                }
                for c in 0..k {
                    g[d * k + c] += z[c];
                }
            }
            (loss, g)
        })
        .collect();
    grad.iter_mut().for_each(|v| *v = 0.0);
    let mut loss = 0.0;
    for (l, g) in &parts {
        loss += l;
        grad.iter_mut().zip(g).for_each(|(a, b)| *a += b);
    }
    let inv_n = 1.0 / n as f64;
    let lam = 1.0 / (c_reg * n as f64);
    let mut pen = 0.0;
    for (gv, wv) in grad[..d * k].iter_mut().zip(w) {
        *gv = *gv * inv_n + lam * wv;
        pen += wv * wv;
    }
    for gv in grad[d * k..].iter_mut() {
        *gv = if fit_intercept { *gv * inv_n } else { 0.0 };
    }
    loss * inv_n + 0.5 * lam * pen
}
