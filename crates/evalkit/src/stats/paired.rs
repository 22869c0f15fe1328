//! Paired tests between two models on the same test set: paired t-test and Wilcoxon signed-rank
//! (scipy's defaults).

use super::dist::{normal_cdf, normal_sf, t_sf};
use crate::{Error, Result, check};

/// A test statistic and its two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestResult {
    /// The statistic (t for the t-test; min(R+, R−) for Wilcoxon).
    pub statistic: f64,
    /// Two-sided p-value.
    pub pvalue: f64,
}

fn diffs(a: &[f64], b: &[f64]) -> Result<Vec<f64>> {
    check::pair(a, b, "a / b")?;
    check::finite(a, "a")?;
    check::finite(b, "b")?;
    Ok(a.iter().zip(b).map(|(x, y)| x - y).collect())
}

/// Paired two-sided t-test on `a − b` (scipy `ttest_rel`), n − 1 degrees of freedom.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::NonFinite`],
/// [`Error::TooFewSamples`] (n < 2), [`Error::Undefined`] when all differences are equal (zero
/// variance; scipy returns ±inf or NaN).
///
/// ```
/// let r = evalkit::stats::paired_t_test(&[1.0, 2.0, 3.0, 4.0], &[1.5, 1.5, 2.0, 3.0]).unwrap();
/// assert!((r.statistic - 2f64.sqrt()).abs() < 1e-12);
/// ```
pub fn paired_t_test(a: &[f64], b: &[f64]) -> Result<TestResult> {
    let d = diffs(a, b)?;
    let n = d.len();
    if n < 2 {
        return Err(Error::TooFewSamples {
            what: "paired t-test",
            need: 2,
            got: n,
        });
    }
    let m = d.iter().sum::<f64>() / n as f64;
    let var = d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
    if var == 0.0 {
        return Err(Error::Undefined(
            "paired t-test: all differences are equal".into(),
        ));
    }
    let t = m / (var / n as f64).sqrt();
    let pvalue = (2.0 * t_sf(t.abs(), (n - 1) as f64)).min(1.0);
    Ok(TestResult {
        statistic: t,
        pvalue,
    })
}

/// Exact null pmf of R+ for n untied ranks (scipy `_get_wilcoxon_distr`).
fn wilcoxon_pmf(n: usize) -> Vec<f64> {
    let mut c = vec![1.0];
    for k in 1..=n {
        let m = c.len();
        let mut next = vec![0.0; k * (k + 1) / 2 + 1];
        let len = next.len();
        for i in 0..m {
            next[i] += c[i] * 0.5;
            next[len - m + i] += c[i] * 0.5;
        }
        c = next;
    }
    c
}

/// Wilcoxon signed-rank test on `a − b` with scipy's defaults (`zero_method="wilcox"`: zero
/// differences dropped; `correction=False`; `method="auto"`): exact null distribution when
/// n ≤ 50 with no ties and no zeros; exact enumeration of all sign flips when n ≤ 13 otherwise;
/// normal approximation with tie correction else. `n` counts pairs before dropping zeros, as
/// scipy does.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::NonFinite`],
/// [`Error::Undefined`] when every difference is zero.
///
/// ```
/// let a = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
/// let b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
/// let r = evalkit::stats::wilcoxon(&a, &b).unwrap();
/// assert_eq!(r.statistic, 5.0);
/// assert!((r.pvalue - 0.0390625).abs() < 1e-15);
/// ```
pub fn wilcoxon(a: &[f64], b: &[f64]) -> Result<TestResult> {
    let d_all = diffs(a, b)?;
    let n_total = d_all.len();
    let d: Vec<f64> = d_all.iter().copied().filter(|&x| x != 0.0).collect();
    let n_zero = n_total - d.len();
    if d.is_empty() {
        return Err(Error::Undefined(
            "wilcoxon: all differences are zero".into(),
        ));
    }
    let abs: Vec<f64> = d.iter().map(|x| x.abs()).collect();
    let r = crate::rank::average_ranks(&abs);
    let r_plus: f64 = d.iter().zip(&r).filter(|p| *p.0 > 0.0).map(|p| p.1).sum();
    let r_minus: f64 = d.iter().zip(&r).filter(|p| *p.0 < 0.0).map(|p| p.1).sum();
    // tie groups
    let mut sorted = abs.clone();
    sorted.sort_by(f64::total_cmp);
    let mut ties = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&v| v == sorted[i]).count();
        ties.push(j as f64);
        i += j;
    }
    let has_ties = ties.iter().any(|&t| t > 1.0);
    let statistic = r_plus.min(r_minus);
    let count = d.len() as f64;
    let pvalue = if n_total <= 50 && !has_ties && n_zero == 0 {
        let pmf = wilcoxon_pmf(d.len());
        let mean = count * (count + 1.0) / 4.0;
        let cdf = |k: f64| -> f64 {
            if k < 0.0 {
                return 0.0;
            }
            let k = (k as usize).min(pmf.len() - 1);
            pmf[..=k].iter().sum()
        };
        let sf = |k: f64| -> f64 {
            let k = (k.max(0.0) as usize).min(pmf.len());
            pmf[k..].iter().sum()
        };
        let cdf_s = |k: f64| if k <= mean { cdf(k) } else { 1.0 - sf(k + 1.0) };
        let sf_s = |k: f64| if k <= mean { sf(k) } else { 1.0 - cdf(k - 1.0) };
        (2.0 * sf_s(r_plus.floor()).min(cdf_s(r_plus.ceil()))).clamp(0.0, 1.0)
    } else if n_total <= 13 {
        sign_flip_pvalue(&d, &r, r_plus)
    } else {
        let mn = count * (count + 1.0) * 0.25;
        let tie: f64 = ties.iter().map(|t| t * t * t - t).sum();
        let se = ((count * (count + 1.0) * (2.0 * count + 1.0) - tie / 2.0) / 24.0).sqrt();
        let z = (r_plus - mn) / se;
        (2.0 * normal_cdf(z).min(normal_sf(z))).min(1.0)
    };
    Ok(TestResult { statistic, pvalue })
}

/// Exact two-sided p-value over all 2^n sign assignments (scipy's `permutation_test` with exact
/// enumeration, relative tolerance 1e-14).
fn sign_flip_pvalue(d: &[f64], r: &[f64], observed: f64) -> f64 {
    let n = d.len();
    let total = 1u64 << n;
    let gamma = (observed * 1e-14).abs();
    let (mut ge, mut le) = (0u64, 0u64);
    for mask in 0..total {
        let s: f64 = (0..n).filter(|&i| mask >> i & 1 == 1).map(|i| r[i]).sum();
        if s >= observed - gamma {
            ge += 1;
        }
        if s <= observed + gamma {
            le += 1;
        }
    }
    (2.0 * (ge.min(le) as f64) / total as f64).clamp(0.0, 1.0)
}
