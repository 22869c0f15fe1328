//! DeLong's test for two correlated ROC AUCs (same samples, two score vectors), in the fast
//! midrank form of Sun & Xu (2014): `O(n log n)`.

use super::dist::normal_sf;
use crate::rank::average_ranks;
use crate::{Error, Result, check};

/// Result of [`delong_test`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeLong {
    /// AUC of scores A.
    pub auc_a: f64,
    /// AUC of scores B.
    pub auc_b: f64,
    /// Estimated variance of AUC_A − AUC_B.
    pub var_diff: f64,
    /// z = (AUC_A − AUC_B) / sqrt(var_diff).
    pub z: f64,
    /// Two-sided p-value 2·(1 − Φ(|z|)).
    pub pvalue: f64,
}

/// Placement values (V10 per positive, V01 per negative) of one score vector.
fn placements(y: &[i64], s: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let pos: Vec<f64> = y
        .iter()
        .zip(s)
        .filter(|p| *p.0 == 1)
        .map(|p| *p.1)
        .collect();
    let neg: Vec<f64> = y
        .iter()
        .zip(s)
        .filter(|p| *p.0 == 0)
        .map(|p| *p.1)
        .collect();
    let all: Vec<f64> = pos.iter().chain(&neg).copied().collect();
    let (m, n) = (pos.len(), neg.len());
    let r = average_ranks(&all);
    let rx = average_ranks(&pos);
    let ry = average_ranks(&neg);
    let v10 = (0..m).map(|i| (r[i] - rx[i]) / n as f64).collect();
    let v01 = (0..n)
        .map(|j| 1.0 - (r[m + j] - ry[j]) / m as f64)
        .collect();
    (v10, v01)
}

fn cov(a: &[f64], b: &[f64]) -> f64 {
    let k = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / k, b.iter().sum::<f64>() / k);
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - ma) * (y - mb))
        .sum::<f64>()
        / (k - 1.0)
}

/// DeLong test of H0: AUC_A = AUC_B for two scorings of the same labelled samples (labels 0/1).
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`],
/// [`Error::NonFinite`], [`Error::SingleClass`], [`Error::TooFewSamples`] (fewer than 2 positives
/// or negatives), [`Error::Undefined`] (zero variance, e.g. identical scorings).
///
/// ```
/// let y = [0, 0, 0, 1, 1, 1, 0, 1];
/// let a = [0.1, 0.2, 0.3, 0.8, 0.7, 0.9, 0.4, 0.35];
/// let b = [0.3, 0.1, 0.5, 0.4, 0.6, 0.2, 0.7, 0.8];
/// let r = evalkit::stats::delong_test(&y, &a, &b).unwrap();
/// assert_eq!(r.auc_a, evalkit::roc_auc(&y, &a).unwrap());
/// assert!(r.pvalue > 0.0 && r.pvalue <= 1.0);
/// ```
pub fn delong_test(y_true: &[i64], score_a: &[f64], score_b: &[f64]) -> Result<DeLong> {
    check::pair(y_true, score_a, "y_true / score_a")?;
    check::pair(y_true, score_b, "y_true / score_b")?;
    check::binary_labels(y_true, "y_true")?;
    check::finite(score_a, "score_a")?;
    check::finite(score_b, "score_b")?;
    let m = y_true.iter().filter(|&&v| v == 1).count();
    let n = y_true.len() - m;
    if m == 0 || n == 0 {
        return Err(Error::SingleClass("DeLong test"));
    }
    if m < 2 || n < 2 {
        return Err(Error::TooFewSamples {
            what: "DeLong test (per class)",
            need: 2,
            got: m.min(n),
        });
    }
    let ((a10, a01), (b10, b01)) = rayon::join(
        || placements(y_true, score_a),
        || placements(y_true, score_b),
    );
    let auc_a = a10.iter().sum::<f64>() / m as f64;
    let auc_b = b10.iter().sum::<f64>() / m as f64;
    let s10 = cov(&a10, &a10) + cov(&b10, &b10) - 2.0 * cov(&a10, &b10);
    let s01 = cov(&a01, &a01) + cov(&b01, &b01) - 2.0 * cov(&a01, &b01);
    let var_diff = s10 / m as f64 + s01 / n as f64;
    if var_diff <= 0.0 || !var_diff.is_finite() {
        return Err(Error::Undefined(
            "DeLong test: zero variance of the AUC difference".into(),
        ));
    }
    let z = (auc_a - auc_b) / var_diff.sqrt();
    Ok(DeLong {
        auc_a,
        auc_b,
        var_diff,
        z,
        pvalue: (2.0 * normal_sf(z.abs())).min(1.0),
    })
}
