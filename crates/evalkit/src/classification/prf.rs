//! Precision, recall and F1 with scikit-learn's averaging and `zero_division` semantics.

use super::ConfusionMatrix;
use crate::{Error, Result, check};

/// What a 0/0 precision, recall or F1 becomes (scikit-learn's `zero_division`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZeroDivision {
    /// 0.0 (scikit-learn's default, `"warn"` without the warning).
    #[default]
    Zero,
    /// 1.0.
    One,
    /// Return [`Error::ZeroDivision`].
    Error,
}

impl ZeroDivision {
    fn value(self, what: &'static str) -> Result<f64> {
        match self {
            Self::Zero => Ok(0.0),
            Self::One => Ok(1.0),
            Self::Error => Err(Error::ZeroDivision(what)),
        }
    }

    fn div(self, num: f64, den: f64, what: &'static str) -> Result<f64> {
        if den == 0.0 {
            self.value(what)
        } else {
            Ok(num / den)
        }
    }
}

/// How per-class scores are combined (scikit-learn's `average`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// Only the positive label 1 (labels must be 0/1).
    Binary,
    /// Unweighted mean over the labels.
    Macro,
    /// Global counts of true positives, predictions and truths.
    Micro,
    /// Mean weighted by each label's support in `y_true`.
    Weighted,
}

/// Precision, recall and F1 for one class or one averaging.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// 2 tp / (2 tp + fp + fn).
    pub f1: f64,
}

fn prf_from(tp: f64, pred: f64, tru: f64, zd: ZeroDivision) -> Result<Prf> {
    Ok(Prf {
        precision: zd.div(tp, pred, "precision")?,
        recall: zd.div(tp, tru, "recall")?,
        f1: zd.div(2.0 * tp, tru + pred, "f1")?,
    })
}

impl ConfusionMatrix {
    /// Per-class precision, recall and F1, in the order of [`labels`](Self::labels).
    ///
    /// Errors: [`Error::ZeroDivision`] only with [`ZeroDivision::Error`].
    pub fn per_class(&self, zd: ZeroDivision) -> Result<Vec<Prf>> {
        self.class_sums()
            .iter()
            .map(|&(tp, p, t)| prf_from(tp as f64, p as f64, t as f64, zd))
            .collect()
    }

    /// Averaged precision, recall and F1 over the matrix's labels. [`Average::Binary`] reports the
    /// class labelled 1 (fails with [`Error::InvalidLabel`] if 1 is not a label, or if a label
    /// other than 0/1 exists).
    pub fn prf(&self, average: Average, zd: ZeroDivision) -> Result<Prf> {
        let sums = self.class_sums();
        match average {
            Average::Binary => {
                if let Some(&l) = self.labels().iter().find(|&&l| l != 0 && l != 1) {
                    return Err(Error::InvalidLabel {
                        label: l,
                        index: 0,
                        reason: "average=binary needs labels 0/1",
                    });
                }
                let c = self.labels().iter().position(|&l| l == 1);
                let (tp, p, t) = c.map_or((0, 0, 0), |c| sums[c]);
                prf_from(tp as f64, p as f64, t as f64, zd)
            }
            Average::Micro => {
                let (tp, p, t) = sums
                    .iter()
                    .fold((0u64, 0u64, 0u64), |a, s| (a.0 + s.0, a.1 + s.1, a.2 + s.2));
                prf_from(tp as f64, p as f64, t as f64, zd)
            }
            Average::Macro => {
                let per = self.per_class(zd)?;
                let k = per.len() as f64;
                Ok(Prf {
                    precision: per.iter().map(|x| x.precision).sum::<f64>() / k,
                    recall: per.iter().map(|x| x.recall).sum::<f64>() / k,
                    f1: per.iter().map(|x| x.f1).sum::<f64>() / k,
                })
            }
            Average::Weighted => {
                let total_true: u64 = sums.iter().map(|s| s.2).sum();
                if total_true == 0 {
                    // scikit-learn's special case for all-zero weights.
                    let v = zd.value("weighted average with zero support")?;
                    let pred_total: u64 = sums.iter().map(|s| s.1).sum();
                    return Ok(if pred_total == 0 {
                        Prf {
                            precision: v,
                            recall: v,
                            f1: v,
                        }
                    } else {
                        Prf {
                            precision: 0.0,
                            recall: v,
                            f1: 0.0,
                        }
                    });
                }
                let per = self.per_class(zd)?;
                let w = total_true as f64;
                let avg = |f: &dyn Fn(&Prf) -> f64| {
                    per.iter()
                        .zip(&sums)
                        .map(|(x, s)| f(x) * s.2 as f64)
                        .sum::<f64>()
                        / w
                };
                Ok(Prf {
                    precision: avg(&|x| x.precision),
                    recall: avg(&|x| x.recall),
                    f1: avg(&|x| x.f1),
                })
            }
        }
    }
}

/// Precision, recall and F1 of `y_pred` against `y_true` (scikit-learn's
/// `precision_recall_fscore_support`). `labels = None` uses the labels present in either input;
/// with [`Average::Binary`] the inputs must be 0/1 and the positive label is 1.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::InvalidLabel`],
/// [`Error::ZeroDivision`] (only with [`ZeroDivision::Error`]).
///
/// ```
/// use evalkit::{precision_recall_f1, Average, ZeroDivision};
/// let r = precision_recall_f1(&[0, 1, 1, 0], &[1, 1, 0, 0], None, Average::Binary, ZeroDivision::Zero).unwrap();
/// assert_eq!((r.precision, r.recall, r.f1), (0.5, 0.5, 0.5));
/// // no predicted positive: precision is 0/0 -> zero_division
/// let r = precision_recall_f1(&[0, 1], &[0, 0], None, Average::Binary, ZeroDivision::One).unwrap();
/// assert_eq!((r.precision, r.recall), (1.0, 0.0));
/// ```
pub fn precision_recall_f1(
    y_true: &[i64],
    y_pred: &[i64],
    labels: Option<&[i64]>,
    average: Average,
    zero_division: ZeroDivision,
) -> Result<Prf> {
    if average == Average::Binary {
        check::pair(y_true, y_pred, "y_true / y_pred")?;
        check::binary_labels(y_true, "y_true")?;
        check::binary_labels(y_pred, "y_pred")?;
        let cm = ConfusionMatrix::new(y_true, y_pred, Some(&[0, 1]))?;
        return cm.prf(average, zero_division);
    }
    ConfusionMatrix::new(y_true, y_pred, labels)?.prf(average, zero_division)
}
