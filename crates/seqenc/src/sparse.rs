//! A compressed sparse row (CSR) matrix: the output of k-mer counting and TF-IDF, the input of the
//! logistic-regression baseline.

/// A CSR matrix of `f64` values. Row `i` holds columns `indices[indptr[i]..indptr[i+1]]` with
/// values `data[indptr[i]..indptr[i+1]]`; columns within a row are sorted ascending and unique.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CsrMatrix {
    /// Number of rows.
    pub n_rows: usize,
    /// Number of columns.
    pub n_cols: usize,
    /// Row pointers, length `n_rows + 1`.
    pub indptr: Vec<usize>,
    /// Column index of each stored value.
    pub indices: Vec<u32>,
    /// Stored values.
    pub data: Vec<f64>,
}

impl CsrMatrix {
    /// The stored `(column, value)` pairs of row `i`.
    ///
    /// ```
    /// let m = seqenc::sparse::CsrMatrix { n_rows: 1, n_cols: 3, indptr: vec![0, 2], indices: vec![0, 2], data: vec![1.0, 2.0] };
    /// assert_eq!(m.row(0).collect::<Vec<_>>(), vec![(0, 1.0), (2, 2.0)]);
    /// ```
    pub fn row(&self, i: usize) -> impl Iterator<Item = (u32, f64)> + '_ {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        self.indices[a..b]
            .iter()
            .copied()
            .zip(self.data[a..b].iter().copied())
    }

    /// Number of stored values.
    pub fn nnz(&self) -> usize {
        self.data.len()
    }
}
