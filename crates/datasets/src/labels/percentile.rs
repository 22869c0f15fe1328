//! Percentiles with numpy's default definition and the all-columns high/low rule.

use crate::Result;
use crate::error::LabelsError;
use genome_io::expression::ExpressionTable;

/// The `q`-th percentile (0 ≤ q ≤ 100) of `values`, exactly as `numpy.percentile(values, q)`
/// with its default `method="linear"` (Hyndman & Fan type 7): sort, take the virtual index
/// `h = q/100 · (n − 1)` and interpolate linearly between the values at `⌊h⌋` and `⌊h⌋ + 1`
/// (numpy's `_lerp`, which computes `b − (b − a)(1 − t)` when `t ≥ 0.5`, is reproduced so
/// results agree bit for bit). Returns `None` for an empty slice, a NaN in the data or `q`
/// outside `[0, 100]`.
///
/// ```
/// use datasets::labels::percentile;
/// // numpy docs: np.percentile([10, 7, 4, 3, 2, 1], 50) == 3.5
/// assert_eq!(percentile(&[10.0, 7.0, 4.0, 3.0, 2.0, 1.0], 50.0), Some(3.5));
/// assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 25.0), Some(1.75));
/// assert_eq!(percentile(&[], 25.0), None);
/// ```
pub fn percentile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() || !(0.0..=100.0).contains(&q) || values.iter().any(|v| v.is_nan()) {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    Some(percentile_sorted(&v, q))
}

/// [`percentile`] on already sorted, NaN-free, non-empty data (not checked).
pub(crate) fn percentile_sorted(v: &[f64], q: f64) -> f64 {
    let n = v.len();
    let h = (q / 100.0) * (n as f64 - 1.0);
    let lo = h.floor();
    let t = h - lo;
    let i = (lo as usize).min(n - 1);
    let j = (i + 1).min(n - 1);
    let (a, b) = (v[i], v[j]);
    let d = b - a;
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

/// Class of a gene under the all-columns percentile rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExpressionClass {
    /// Below the low threshold in every column.
    Low,
    /// Neither high nor low.
    Middle,
    /// Above the high threshold in every column.
    High,
}

/// Thresholds of the high/low rule, as percentiles in `[0, 100]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PercentileRule {
    /// A gene is [`ExpressionClass::High`] if its value is strictly greater than this
    /// percentile of its column in every column (default 75).
    pub high: f64,
    /// A gene is [`ExpressionClass::Low`] if its value is strictly less than this percentile of
    /// its column in every column (default 25).
    pub low: f64,
}

impl Default for PercentileRule {
    fn default() -> Self {
        PercentileRule {
            high: 75.0,
            low: 25.0,
        }
    }
}

/// High/low labels of every gene of a table, with the per-column thresholds used.
#[derive(Debug, Clone, PartialEq)]
pub struct PercentileLabels {
    /// One class per table row, in table order.
    pub classes: Vec<ExpressionClass>,
    /// Per column: the `rule.high` percentile of that column over all genes of the table.
    pub high_thresholds: Vec<f64>,
    /// Per column: the `rule.low` percentile of that column over all genes of the table.
    pub low_thresholds: Vec<f64>,
}

impl PercentileLabels {
    /// Number of genes in each class: `(low, middle, high)`.
    ///
    /// ```
    /// use datasets::labels::{ExpressionClass::*, PercentileLabels};
    /// let l = PercentileLabels { classes: vec![Low, High, High], high_thresholds: vec![], low_thresholds: vec![] };
    /// assert_eq!(l.counts(), (1, 0, 2));
    /// ```
    pub fn counts(&self) -> (usize, usize, usize) {
        let c = |k| self.classes.iter().filter(|&&x| x == k).count();
        (
            c(ExpressionClass::Low),
            c(ExpressionClass::Middle),
            c(ExpressionClass::High),
        )
    }
}

/// Labels every gene of a gene × tissue table with the study's rule: **high** if its value is
/// above the `rule.high` percentile in *every* column, **low** if below the `rule.low`
/// percentile in every column, otherwise middle. Percentiles are computed per column over all
/// genes of the table (before any join to an annotation) with [`percentile`] (numpy's default
/// linear interpolation); comparisons are strict.
///
/// Errors: thresholds outside `[0, 100]` or `low > high` ([`LabelsError::InvalidArgument`](crate::error::LabelsError::InvalidArgument)); no high or
/// no low gene ([`LabelsError::Class`](crate::error::LabelsError::Class), with the counts).
///
/// ```
/// use genome_io::expression::ExpressionTable;
/// use datasets::labels::{label_by_percentile, ExpressionClass::*, PercentileRule};
/// let t = ExpressionTable::from_rows(
///     (1..=5).map(|i| format!("g{i}")).collect(),
///     vec!["liver".into(), "brain".into()],
///     vec![1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 5.5, 5.0, 6.0],
/// ).unwrap();
/// let l = label_by_percentile(&t, &PercentileRule::default()).unwrap();
/// // liver (1..5): q25 = 2, q75 = 4; brain (1, 2, 3, 5.5, 6): q25 = 2, q75 = 5.5
/// assert_eq!(l.low_thresholds, vec![2.0, 2.0]);
/// assert_eq!(l.high_thresholds, vec![4.0, 5.5]);
/// // g4 is above q75 in brain but not in liver, so it is not "high"
/// assert_eq!(l.classes, vec![Low, Middle, Middle, Middle, High]);
/// ```
pub fn label_by_percentile(
    table: &ExpressionTable,
    rule: &PercentileRule,
) -> Result<PercentileLabels> {
    let ok = |q: f64| (0.0..=100.0).contains(&q);
    if !ok(rule.high) || !ok(rule.low) || rule.low > rule.high {
        return Err(LabelsError::InvalidArgument(format!(
            "percentile thresholds must satisfy 0 <= low <= high <= 100 (low {}, high {})",
            rule.low, rule.high
        ))
        .into());
    }
    let m = table.n_columns();
    let mut high_t = Vec::with_capacity(m);
    let mut low_t = Vec::with_capacity(m);
    for j in 0..m {
        let mut col = table.column(j);
        col.sort_by(f64::total_cmp);
        high_t.push(percentile_sorted(&col, rule.high));
        low_t.push(percentile_sorted(&col, rule.low));
    }
    let classes: Vec<ExpressionClass> = (0..table.n_genes())
        .map(|i| {
            let row = table.row(i);
            if row.iter().zip(&high_t).all(|(v, t)| v > t) {
                ExpressionClass::High
            } else if row.iter().zip(&low_t).all(|(v, t)| v < t) {
                ExpressionClass::Low
            } else {
                ExpressionClass::Middle
            }
        })
        .collect();
    let labels = PercentileLabels {
        classes,
        high_thresholds: high_t,
        low_thresholds: low_t,
    };
    let (lo, mid, hi) = labels.counts();
    if lo == 0 || hi == 0 {
        return Err(LabelsError::Class {
            msg: format!(
                "the percentile rule (low < {}, high > {}) leaves a class empty",
                rule.low, rule.high
            ),
            counts: format!("low={lo}, middle={mid}, high={hi}"),
        }
        .into());
    }
    Ok(labels)
}
