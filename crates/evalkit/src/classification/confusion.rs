//! Confusion matrices, accuracy, balanced accuracy and Matthews correlation.

use crate::{Error, Result, check};

/// A `k x k` confusion matrix: rows = true label, columns = predicted label (scikit-learn's
/// convention; for binary labels `[0, 1]` it is `[[TN, FP], [FN, TP]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionMatrix {
    labels: Vec<i64>,
    counts: Vec<u64>,
}

impl ConfusionMatrix {
    /// Counts `(y_true, y_pred)` pairs. `labels = None` uses the sorted union of the labels present
    /// (as scikit-learn does); `Some(labels)` fixes the rows/columns (labels may be absent from the
    /// data) and fails with [`Error::InvalidLabel`] on a label not in the list.
    ///
    /// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`],
    /// [`Error::InvalidArgument`] (duplicate entries in `labels`).
    ///
    /// ```
    /// use evalkit::ConfusionMatrix;
    /// let cm = ConfusionMatrix::new(&[0, 1, 1, 0], &[0, 1, 0, 0], None).unwrap();
    /// assert_eq!(cm.to_rows(), vec![vec![2, 0], vec![1, 1]]);
    /// ```
    pub fn new(y_true: &[i64], y_pred: &[i64], labels: Option<&[i64]>) -> Result<Self> {
        check::pair(y_true, y_pred, "y_true / y_pred")?;
        let labels: Vec<i64> = match labels {
            Some(l) => {
                let mut s = l.to_vec();
                s.sort_unstable();
                s.dedup();
                if s.len() != l.len() || l.is_empty() {
                    return Err(Error::InvalidArgument(
                        "labels must be non-empty and without duplicates".into(),
                    ));
                }
                l.to_vec()
            }
            None => {
                let mut s: Vec<i64> = y_true.iter().chain(y_pred).copied().collect();
                s.sort_unstable();
                s.dedup();
                s
            }
        };
        let mut order: Vec<(i64, usize)> = labels.iter().copied().zip(0..).collect();
        order.sort_unstable();
        let pos = |v: i64, i: usize| -> Result<usize> {
            order
                .binary_search_by_key(&v, |p| p.0)
                .map(|j| order[j].1)
                .map_err(|_| Error::InvalidLabel {
                    label: v,
                    index: i,
                    reason: "label not in the given labels",
                })
        };
        let k = labels.len();
        let mut counts = vec![0u64; k * k];
        for (i, (&t, &p)) in y_true.iter().zip(y_pred).enumerate() {
            counts[pos(t, i)? * k + pos(p, i)?] += 1;
        }
        Ok(Self { labels, counts })
    }

    /// Builds a matrix from row-major counts (rows = true). Used by streaming accumulators.
    pub(crate) fn from_counts(labels: Vec<i64>, counts: Vec<u64>) -> Self {
        Self { labels, counts }
    }

    /// The labels of rows and columns, in order.
    pub fn labels(&self) -> &[i64] {
        &self.labels
    }

    /// Number of classes `k`.
    pub fn n_classes(&self) -> usize {
        self.labels.len()
    }

    /// Count of samples with true class index `t` and predicted class index `p` (0-based indices
    /// into [`labels`](Self::labels)). Panics if an index is out of range (a programming error).
    pub fn get(&self, t: usize, p: usize) -> u64 {
        self.counts[t * self.n_classes() + p]
    }

    /// The matrix as rows (rows = true label).
    pub fn to_rows(&self) -> Vec<Vec<u64>> {
        self.counts
            .chunks(self.n_classes().max(1))
            .map(|r| r.to_vec())
            .collect()
    }

    /// Total number of samples.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Per class: (true positives, predicted count, true count).
    pub(crate) fn class_sums(&self) -> Vec<(u64, u64, u64)> {
        let k = self.n_classes();
        (0..k)
            .map(|c| {
                let tp = self.get(c, c);
                let pred: u64 = (0..k).map(|t| self.get(t, c)).sum();
                let tru: u64 = (0..k).map(|p| self.get(c, p)).sum();
                (tp, pred, tru)
            })
            .collect()
    }

    /// Fraction of correct predictions.
    pub fn accuracy(&self) -> f64 {
        let diag: u64 = (0..self.n_classes()).map(|c| self.get(c, c)).sum();
        diag as f64 / self.total() as f64
    }

    /// Mean recall over classes present in `y_true` (scikit-learn `balanced_accuracy_score`).
    pub fn balanced_accuracy(&self) -> f64 {
        let (sum, m) = self
            .class_sums()
            .iter()
            .filter(|s| s.2 > 0)
            .fold((0.0, 0usize), |(a, m), s| {
                (a + s.0 as f64 / s.2 as f64, m + 1)
            });
        sum / m as f64
    }

    /// Matthews correlation coefficient, multiclass generalisation (Gorodkin's R_K), exactly as
    /// scikit-learn computes it; 0.0 when either marginal is constant (scikit-learn's value).
    pub fn mcc(&self) -> f64 {
        let sums = self.class_sums();
        let n = self.total() as f64;
        let correct: f64 = sums.iter().map(|s| s.0 as f64).sum();
        let tp: f64 = sums.iter().map(|s| s.2 as f64 * s.1 as f64).sum();
        let pp: f64 = sums.iter().map(|s| (s.1 as f64).powi(2)).sum();
        let tt: f64 = sums.iter().map(|s| (s.2 as f64).powi(2)).sum();
        let cov_ytyp = correct * n - tp;
        let cov_ypyp = n * n - pp;
        let cov_ytyt = n * n - tt;
        if cov_ypyp * cov_ytyt == 0.0 {
            return 0.0;
        }
        cov_ytyp / (cov_ytyt * cov_ypyp).sqrt()
    }
}

/// Accuracy of `y_pred` against `y_true`.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`].
///
/// ```
/// assert_eq!(evalkit::accuracy(&[0, 1, 2, 2], &[0, 1, 1, 2]).unwrap(), 0.75);
/// ```
pub fn accuracy(y_true: &[i64], y_pred: &[i64]) -> Result<f64> {
    let n = check::pair(y_true, y_pred, "y_true / y_pred")?;
    let ok = y_true.iter().zip(y_pred).filter(|(a, b)| a == b).count();
    Ok(ok as f64 / n as f64)
}

/// Matthews correlation coefficient (binary or multiclass) over the labels present; 0.0 for a
/// constant prediction or constant truth (scikit-learn's value).
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`].
///
/// ```
/// let m = evalkit::mcc(&[0, 0, 1, 1], &[0, 1, 1, 1]).unwrap();
/// assert!((m - 1.0 / 3f64.sqrt()).abs() < 1e-12);
/// assert_eq!(evalkit::mcc(&[0, 1, 1], &[1, 1, 1]).unwrap(), 0.0);
/// ```
pub fn mcc(y_true: &[i64], y_pred: &[i64]) -> Result<f64> {
    Ok(ConfusionMatrix::new(y_true, y_pred, None)?.mcc())
}
