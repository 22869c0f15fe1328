//! Multiclass ROC AUC (one-vs-rest and one-vs-one, macro averaged) and probabilistic losses.

use super::ranking::roc_auc;
use crate::{Error, Result, check};

fn check_proba(y_true: &[i64], proba: &[f64], n_classes: usize) -> Result<()> {
    if n_classes < 2 {
        return Err(Error::InvalidArgument("n_classes must be >= 2".into()));
    }
    if y_true.is_empty() {
        return Err(Error::Empty("y_true"));
    }
    if proba.len() != y_true.len() * n_classes {
        return Err(Error::LengthMismatch {
            what: "proba (n x n_classes, row-major) / y_true",
            left: proba.len(),
            right: y_true.len() * n_classes,
        });
    }
    check::finite(proba, "proba")?;
    if let Some(i) = y_true
        .iter()
        .position(|&y| y < 0 || y as usize >= n_classes)
    {
        return Err(Error::InvalidLabel {
            label: y_true[i],
            index: i,
            reason: "multiclass labels must be 0..n_classes",
        });
    }
    Ok(())
}

/// One-vs-rest ROC AUC, macro averaged (scikit-learn `roc_auc_score(multi_class="ovr",
/// average="macro")`). `proba` is row-major `n x n_classes`; labels are `0..n_classes`.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`],
/// [`Error::NonFinite`], [`Error::SingleClass`] when some class is absent from `y_true`.
///
/// ```
/// let p = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7];
/// assert_eq!(evalkit::roc_auc_ovr_macro(&[0, 1, 2], &p, 3).unwrap(), 1.0);
/// ```
pub fn roc_auc_ovr_macro(y_true: &[i64], proba: &[f64], n_classes: usize) -> Result<f64> {
    check_proba(y_true, proba, n_classes)?;
    let mut sum = 0.0;
    for c in 0..n_classes {
        let y: Vec<i64> = y_true.iter().map(|&t| i64::from(t as usize == c)).collect();
        let s: Vec<f64> = proba.iter().skip(c).step_by(n_classes).copied().collect();
        sum += roc_auc(&y, &s)?;
    }
    Ok(sum / n_classes as f64)
}

/// One-vs-one ROC AUC, macro averaged (Hand & Till; scikit-learn `multi_class="ovo"`): for each
/// pair `a < b`, the mean of AUC(a vs b on scores of a) and AUC(b vs a on scores of b) over the
/// samples of classes a and b.
///
/// Errors: as [`roc_auc_ovr_macro`].
///
/// ```
/// let p = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7];
/// assert_eq!(evalkit::roc_auc_ovo_macro(&[0, 1, 2], &p, 3).unwrap(), 1.0);
/// ```
pub fn roc_auc_ovo_macro(y_true: &[i64], proba: &[f64], n_classes: usize) -> Result<f64> {
    check_proba(y_true, proba, n_classes)?;
    let (mut sum, mut m) = (0.0, 0usize);
    for a in 0..n_classes {
        for b in a + 1..n_classes {
            let idx: Vec<usize> = (0..y_true.len())
                .filter(|&i| y_true[i] as usize == a || y_true[i] as usize == b)
                .collect();
            let ya: Vec<i64> = idx
                .iter()
                .map(|&i| i64::from(y_true[i] as usize == a))
                .collect();
            let yb: Vec<i64> = ya.iter().map(|&v| 1 - v).collect();
            let sa: Vec<f64> = idx.iter().map(|&i| proba[i * n_classes + a]).collect();
            let sb: Vec<f64> = idx.iter().map(|&i| proba[i * n_classes + b]).collect();
            sum += (roc_auc(&ya, &sa)? + roc_auc(&yb, &sb)?) / 2.0;
            m += 1;
        }
    }
    Ok(sum / m as f64)
}

/// Binary log loss in nats, `-mean(y ln p + (1-y) ln(1-p))`, probabilities clipped to
/// `[eps, 1 - eps]` with `eps = 1e-15`.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`], [`Error::NonFinite`].
///
/// ```
/// let l = evalkit::log_loss(&[0, 1], &[0.5, 0.5]).unwrap();
/// assert!((l - std::f64::consts::LN_2).abs() < 1e-15);
/// ```
pub fn log_loss(y_true: &[i64], y_score: &[f64]) -> Result<f64> {
    let n = check::pair(y_true, y_score, "y_true / y_score")?;
    check::binary_labels(y_true, "y_true")?;
    check::finite(y_score, "y_score")?;
    let s: f64 = y_true
        .iter()
        .zip(y_score)
        .map(|(&y, &p)| {
            let p = p.clamp(1e-15, 1.0 - 1e-15);
            if y == 1 { -p.ln() } else { -(1.0 - p).ln() }
        })
        .sum();
    Ok(s / n as f64)
}

/// Brier score, `mean((y - p)^2)` for labels 0/1.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`], [`Error::NonFinite`].
///
/// ```
/// assert_eq!(evalkit::brier(&[0, 1], &[0.5, 1.0]).unwrap(), 0.125);
/// ```
pub fn brier(y_true: &[i64], y_score: &[f64]) -> Result<f64> {
    let n = check::pair(y_true, y_score, "y_true / y_score")?;
    check::binary_labels(y_true, "y_true")?;
    check::finite(y_score, "y_score")?;
    let s: f64 = y_true
        .iter()
        .zip(y_score)
        .map(|(&y, &p)| (y as f64 - p).powi(2))
        .sum();
    Ok(s / n as f64)
}
