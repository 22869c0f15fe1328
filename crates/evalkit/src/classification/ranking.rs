//! Score-ranking metrics: ROC and precision-recall curves, ROC AUC, average precision, best-F1
//! threshold. All are sort-based (`O(n)` radix sort on the score bits, `O(n)` sweep), and tie
//! handling is scikit-learn's: samples with equal scores enter the curve together.

use crate::buffer::Zeroed;
use crate::sort::{f64_key, key_f64, radix_sort_by_key_with};
use crate::{Error, Result, check};

/// Splits scores by class and sorts each ascending (as order-preserving `u64` keys).
pub(crate) fn split_sorted(y_true: &[i64], y_score: &[f64]) -> Result<(Zeroed<u64>, Zeroed<u64>)> {
    check::pair(y_true, y_score, "y_true / y_score")?;
    check::binary_labels(y_true, "y_true")?;
    check::finite(y_score, "y_score")?;
    let n_pos = y_true.iter().map(|&y| y as usize).sum::<usize>();
    // One branch-free pass: every key is written to both arrays, and only the cursor of its
    // class advances (labels are 0/1, checked above); one spare slot each absorbs the writes
    // past the end.
    let mut pos = Zeroed::<u64>::new(n_pos + 1);
    let mut neg = Zeroed::<u64>::new(y_true.len() - n_pos + 1);
    let (mut i, mut j) = (0usize, 0usize);
    for (&y, &s) in y_true.iter().zip(y_score) {
        let k = f64_key(s);
        let y = y as usize;
        pos[i] = k;
        neg[j] = k;
        i += y;
        j += 1 - y;
    }
    pos.truncate(n_pos);
    neg.truncate(y_true.len() - n_pos);
    let sort = |v: &mut [u64]| radix_sort_by_key_with(v, &mut Zeroed::new(v.len()), |&k| k);
    rayon::join(|| sort(&mut pos), || sort(&mut neg));
    Ok((pos, neg))
}

/// Visits the distinct scores in decreasing order with the cumulative counts of positives and
/// negatives scored `>=` that value (scikit-learn's `_binary_clf_curve`).
pub(crate) fn walk(pos: &[u64], neg: &[u64], mut f: impl FnMut(u64, u64, u64)) {
    let (np, nn) = (pos.len(), neg.len());
    let (mut i, mut j) = (np, nn);
    while i > 0 || j > 0 {
        let k = match (i > 0, j > 0) {
            (true, true) => pos[i - 1].max(neg[j - 1]),
            (true, false) => pos[i - 1],
            _ => neg[j - 1],
        };
        while i > 0 && pos[i - 1] == k {
            i -= 1;
        }
        while j > 0 && neg[j - 1] == k {
            j -= 1;
        }
        f(k, (np - i) as u64, (nn - j) as u64);
    }
}

/// A ROC curve: `fpr[i]`, `tpr[i]` are the rates when predicting positive for
/// `score >= thresholds[i]`. `thresholds[0]` is `+inf` (the point (0, 0)), then decreasing.
#[derive(Debug, Clone, PartialEq)]
pub struct RocCurve {
    /// False positive rates, non-decreasing.
    pub fpr: Vec<f64>,
    /// True positive rates, non-decreasing.
    pub tpr: Vec<f64>,
    /// Decreasing thresholds; the first is `f64::INFINITY`.
    pub thresholds: Vec<f64>,
}

/// scikit-learn's `roc_curve(y_true, y_score, drop_intermediate=...)` for labels 0/1.
/// `drop_intermediate` removes points on straight segments (same points as scikit-learn).
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`],
/// [`Error::NonFinite`], [`Error::SingleClass`] (a rate would be 0/0).
///
/// ```
/// let c = evalkit::roc_curve(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8], false).unwrap();
/// assert_eq!(c.tpr, vec![0.0, 0.5, 0.5, 1.0, 1.0]);
/// assert_eq!(c.fpr, vec![0.0, 0.0, 0.5, 0.5, 1.0]);
/// assert_eq!(c.thresholds[0], f64::INFINITY);
/// ```
pub fn roc_curve(y_true: &[i64], y_score: &[f64], drop_intermediate: bool) -> Result<RocCurve> {
    let (pos, neg) = split_sorted(y_true, y_score)?;
    if pos.is_empty() || neg.is_empty() {
        return Err(Error::SingleClass("ROC curve"));
    }
    let (mut thr, mut tps, mut fps) = (Vec::new(), Vec::new(), Vec::new());
    walk(&pos, &neg, |k, tp, fp| {
        thr.push(key_f64(k));
        tps.push(tp as i64);
        fps.push(fp as i64);
    });
    if drop_intermediate && fps.len() > 2 {
        let m = fps.len();
        let keep: Vec<usize> = (0..m)
            .filter(|&i| {
                i == 0
                    || i == m - 1
                    || fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0
                    || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0
            })
            .collect();
        thr = keep.iter().map(|&i| thr[i]).collect();
        tps = keep.iter().map(|&i| tps[i]).collect();
        fps = keep.iter().map(|&i| fps[i]).collect();
    }
    let (p, n) = (pos.len() as f64, neg.len() as f64);
    let mut c = RocCurve {
        fpr: vec![0.0],
        tpr: vec![0.0],
        thresholds: vec![f64::INFINITY],
    };
    c.fpr.extend(fps.iter().map(|&f| f as f64 / n));
    c.tpr.extend(tps.iter().map(|&t| t as f64 / p));
    c.thresholds.extend(thr);
    Ok(c)
}

/// Area under the ROC curve for labels 0/1 (positive = 1), with scikit-learn's tie handling
/// (tied scores form one diagonal step, i.e. count 1/2). Computed exactly in integers.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`],
/// [`Error::NonFinite`], [`Error::SingleClass`] (scikit-learn returns NaN with a warning).
///
/// ```
/// let auc = evalkit::roc_auc(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8]).unwrap();
/// assert_eq!(auc, 0.75);
/// assert_eq!(evalkit::roc_auc(&[0, 1], &[0.5, 0.5]).unwrap(), 0.5);
/// ```
pub fn roc_auc(y_true: &[i64], y_score: &[f64]) -> Result<f64> {
    let (pos, neg) = split_sorted(y_true, y_score)?;
    auc_sorted(&pos, &neg)
}

/// ROC AUC from class-split sorted keys.
pub(crate) fn auc_sorted(pos: &[u64], neg: &[u64]) -> Result<f64> {
    if pos.is_empty() || neg.is_empty() {
        return Err(Error::SingleClass("ROC AUC"));
    }
    // 2 * area * P * N = sum over steps of dfp * (tp_prev + tp)
    let (mut area2, mut tp0, mut fp0) = (0u128, 0u64, 0u64);
    walk(pos, neg, |_, tp, fp| {
        area2 += u128::from(fp - fp0) * u128::from(tp0 + tp);
        tp0 = tp;
        fp0 = fp;
    });
    let denom = 2u128 * pos.len() as u128 * neg.len() as u128;
    Ok(area2 as f64 / denom as f64)
}

/// A precision-recall curve in scikit-learn's layout: `thresholds` increasing; `precision[i]`,
/// `recall[i]` are for `score >= thresholds[i]`; the last point is `(precision 1, recall 0)` and
/// has no threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct PrCurve {
    /// Precision, one more element than `thresholds`.
    pub precision: Vec<f64>,
    /// Recall, non-increasing, ends with 0.
    pub recall: Vec<f64>,
    /// Increasing distinct scores.
    pub thresholds: Vec<f64>,
}

/// scikit-learn's `precision_recall_curve(y_true, y_score)` (no intermediate points dropped).
///
/// Errors: as [`roc_auc`]; [`Error::SingleClass`] when `y_true` has no positive (scikit-learn
/// then sets recall to 1 with a warning).
///
/// ```
/// let c = evalkit::precision_recall_curve(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8]).unwrap();
/// assert_eq!(c.thresholds, vec![0.1, 0.35, 0.4, 0.8]);
/// assert_eq!(c.recall, vec![1.0, 1.0, 0.5, 0.5, 0.0]);
/// assert_eq!(c.precision, vec![0.5, 2.0 / 3.0, 0.5, 1.0, 1.0]);
/// ```
pub fn precision_recall_curve(y_true: &[i64], y_score: &[f64]) -> Result<PrCurve> {
    let (pos, neg) = split_sorted(y_true, y_score)?;
    if pos.is_empty() {
        return Err(Error::SingleClass("precision-recall curve (no positive)"));
    }
    let p = pos.len() as f64;
    let mut c = PrCurve {
        precision: Vec::new(),
        recall: Vec::new(),
        thresholds: Vec::new(),
    };
    walk(&pos, &neg, |k, tp, fp| {
        c.thresholds.push(key_f64(k));
        c.precision.push(tp as f64 / (tp + fp) as f64);
        c.recall.push(tp as f64 / p);
    });
    c.thresholds.reverse();
    c.precision.reverse();
    c.recall.reverse();
    c.precision.push(1.0);
    c.recall.push(0.0);
    Ok(c)
}

/// Average precision, scikit-learn's step-wise sum `Σ (R_i − R_{i−1}) P_i` (not trapezoidal).
///
/// Errors: as [`roc_auc`]; [`Error::SingleClass`] when `y_true` has no positive (scikit-learn
/// returns 0.0 with a warning). Only positives is fine (AP = 1).
///
/// ```
/// let ap = evalkit::average_precision(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8]).unwrap();
/// assert!((ap - (0.5 * 1.0 + 0.5 * 2.0 / 3.0)).abs() < 1e-15);
/// ```
pub fn average_precision(y_true: &[i64], y_score: &[f64]) -> Result<f64> {
    let (pos, neg) = split_sorted(y_true, y_score)?;
    if pos.is_empty() {
        return Err(Error::SingleClass("average precision (no positive)"));
    }
    let p = pos.len() as f64;
    let (mut ap, mut tp0) = (0.0, 0u64);
    walk(&pos, &neg, |_, tp, fp| {
        ap += ((tp as f64 / p) - (tp0 as f64 / p)) * (tp as f64 / (tp + fp) as f64);
        tp0 = tp;
    });
    Ok(ap.max(0.0))
}

/// The score threshold maximising F1 when predicting positive for `score >= threshold`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BestF1 {
    /// The threshold (one of the scores; the highest one among equal-F1 thresholds).
    pub threshold: f64,
    /// F1 at that threshold.
    pub f1: f64,
    /// Precision at that threshold.
    pub precision: f64,
    /// Recall at that threshold.
    pub recall: f64,
}

/// Best-F1 threshold over all distinct scores.
///
/// Errors: as [`precision_recall_curve`].
///
/// ```
/// let b = evalkit::best_f1_threshold(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8]).unwrap();
/// assert_eq!(b.threshold, 0.35);
/// assert!((b.f1 - 0.8).abs() < 1e-15);
/// ```
pub fn best_f1_threshold(y_true: &[i64], y_score: &[f64]) -> Result<BestF1> {
    let (pos, neg) = split_sorted(y_true, y_score)?;
    if pos.is_empty() {
        return Err(Error::SingleClass("best-F1 threshold (no positive)"));
    }
    let p = pos.len() as u64;
    let mut best: Option<BestF1> = None;
    walk(&pos, &neg, |k, tp, fp| {
        let f1 = 2.0 * tp as f64 / (p + tp + fp) as f64;
        if best.is_none_or(|b| f1 > b.f1) {
            best = Some(BestF1 {
                threshold: key_f64(k),
                f1,
                precision: tp as f64 / (tp + fp) as f64,
                recall: tp as f64 / p as f64,
            });
        }
    });
    best.ok_or(Error::Empty("y_score"))
}
