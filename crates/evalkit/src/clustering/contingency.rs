//! Sparse contingency table built by sorting (no dense `R x C` matrix), and its entropies.

use crate::sort::radix_sort_by_key;
use crate::{Result, check};

/// Sparse contingency table of two labelings: rows = sorted distinct `labels_true`, columns =
/// sorted distinct `labels_pred` (scikit-learn's `contingency_matrix` order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contingency {
    n: u64,
    row_labels: Vec<i64>,
    col_labels: Vec<i64>,
    rows: Vec<u64>,
    cols: Vec<u64>,
    cells: Vec<(u32, u32, u64)>,
}

fn dense_ids(x: &[i64]) -> (Vec<i64>, Vec<u32>) {
    let mut keyed: Vec<(u64, u32)> = x
        .iter()
        .enumerate()
        .map(|(i, &v)| ((v as u64) ^ (1 << 63), i as u32))
        .collect();
    radix_sort_by_key(&mut keyed, |p| p.0);
    let mut ids = vec![0u32; x.len()];
    let mut labels = Vec::new();
    for (j, &(k, i)) in keyed.iter().enumerate() {
        if j == 0 || keyed[j - 1].0 != k {
            labels.push((k ^ (1 << 63)) as i64);
        }
        ids[i as usize] = (labels.len() - 1) as u32;
    }
    (labels, ids)
}

impl Contingency {
    /// Builds the table in `O(n)` (radix sorts). Labels are arbitrary `i64` (−1 is an ordinary
    /// label). At most 2^32 − 1 samples.
    ///
    /// Errors: [`crate::Error::Empty`], [`crate::Error::LengthMismatch`].
    ///
    /// ```
    /// let c = evalkit::Contingency::new(&[0, 0, 1, 1], &[5, 7, 7, 7]).unwrap();
    /// assert_eq!(c.to_dense(), vec![vec![1, 1], vec![0, 2]]);
    /// ```
    pub fn new(labels_true: &[i64], labels_pred: &[i64]) -> Result<Self> {
        let n = check::pair(labels_true, labels_pred, "labels_true / labels_pred")?;
        let ((row_labels, u), (col_labels, v)) =
            rayon::join(|| dense_ids(labels_true), || dense_ids(labels_pred));
        let mut codes: Vec<u64> = u
            .iter()
            .zip(&v)
            .map(|(&a, &b)| (u64::from(a) << 32) | u64::from(b))
            .collect();
        radix_sort_by_key(&mut codes, |&c| c);
        let mut cells: Vec<(u32, u32, u64)> = Vec::new();
        for &c in &codes {
            match cells.last_mut() {
                Some(last) if (u64::from(last.0) << 32 | u64::from(last.1)) == c => last.2 += 1,
                _ => cells.push(((c >> 32) as u32, c as u32, 1)),
            }
        }
        let mut rows = vec![0u64; row_labels.len()];
        let mut cols = vec![0u64; col_labels.len()];
        for &(i, j, m) in &cells {
            rows[i as usize] += m;
            cols[j as usize] += m;
        }
        Ok(Self {
            n: n as u64,
            row_labels,
            col_labels,
            rows,
            cols,
            cells,
        })
    }

    /// Number of samples.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Sorted distinct true labels (rows).
    pub fn row_labels(&self) -> &[i64] {
        &self.row_labels
    }

    /// Sorted distinct predicted labels (columns).
    pub fn col_labels(&self) -> &[i64] {
        &self.col_labels
    }

    /// Row sums (class sizes of `labels_true`).
    pub fn row_sums(&self) -> &[u64] {
        &self.rows
    }

    /// Column sums (cluster sizes of `labels_pred`).
    pub fn col_sums(&self) -> &[u64] {
        &self.cols
    }

    /// Non-zero cells `(row, col, count)`, sorted by row then column.
    pub fn nonzero(&self) -> &[(u32, u32, u64)] {
        &self.cells
    }

    /// Dense matrix (only for small tables: allocates rows × cols).
    pub fn to_dense(&self) -> Vec<Vec<u64>> {
        let mut d = vec![vec![0u64; self.cols.len()]; self.rows.len()];
        for &(i, j, m) in &self.cells {
            d[i as usize][j as usize] = m;
        }
        d
    }

    /// scikit-learn's `pair_confusion_matrix` `[[C00, C01], [C10, C11]]` over ordered pairs
    /// (entries are twice the unordered counts).
    pub fn pair_confusion(&self) -> [[i128; 2]; 2] {
        let n = i128::from(self.n);
        let sum_sq: i128 = self.cells.iter().map(|c| i128::from(c.2).pow(2)).sum();
        let c01: i128 = self
            .cells
            .iter()
            .map(|c| i128::from(c.2) * i128::from(self.cols[c.1 as usize]))
            .sum::<i128>()
            - sum_sq;
        let c10: i128 = self
            .cells
            .iter()
            .map(|c| i128::from(c.2) * i128::from(self.rows[c.0 as usize]))
            .sum::<i128>()
            - sum_sq;
        [[n * n - c01 - c10 - sum_sq, c01], [c10, sum_sq - n]]
    }

    /// Mutual information I(U; V) in nats (scikit-learn `mutual_info_score`).
    pub fn mutual_info(&self) -> f64 {
        if self.rows.len() == 1 || self.cols.len() == 1 {
            return 0.0;
        }
        let total = self.n as f64;
        let log_total = total.ln();
        let mut mi = 0.0;
        for &(i, j, m) in &self.cells {
            let nm = m as f64 / total;
            let outer = (self.rows[i as usize] as f64) * (self.cols[j as usize] as f64);
            let log_outer = -outer.ln() + log_total + log_total;
            let v = nm * ((m as f64).ln() - log_total) + nm * log_outer;
            if v.abs() >= f64::EPSILON {
                mi += v;
            }
        }
        mi.max(0.0)
    }

    /// Entropy of `labels_true` in nats (scikit-learn `_entropy`).
    pub fn entropy_true(&self) -> f64 {
        entropy(&self.rows)
    }

    /// Entropy of `labels_pred` in nats.
    pub fn entropy_pred(&self) -> f64 {
        entropy(&self.cols)
    }
}

/// Entropy (nats) of a count vector, scikit-learn's formula.
pub(crate) fn entropy(counts: &[u64]) -> f64 {
    if counts.len() <= 1 {
        return 0.0;
    }
    let sum = counts.iter().sum::<u64>() as f64;
    let ls = sum.ln();
    -counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| (c as f64 / sum) * ((c as f64).ln() - ls))
        .sum::<f64>()
}
