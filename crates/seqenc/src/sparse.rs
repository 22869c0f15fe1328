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

    /// Stacks rows of sorted, unique `(column, value)` pairs into a matrix with `n_cols` columns.
    ///
    /// ```
    /// let m = seqenc::sparse::CsrMatrix::from_rows(vec![vec![(1, 2.0)], vec![], vec![(0, 1.0), (2, 3.0)]], 3);
    /// assert_eq!((m.indptr, m.indices, m.data), (vec![0, 1, 1, 3], vec![1, 0, 2], vec![2.0, 1.0, 3.0]));
    /// ```
    pub fn from_rows(rows: Vec<Vec<(u32, f64)>>, n_cols: usize) -> Self {
        let mut m = CsrMatrix {
            n_rows: rows.len(),
            n_cols,
            indptr: Vec::with_capacity(rows.len() + 1),
            ..Default::default()
        };
        m.indptr.push(0);
        for r in rows {
            for (j, v) in r {
                m.indices.push(j);
                m.data.push(v);
            }
            m.indptr.push(m.indices.len());
        }
        m
    }
}

/// Sorts column ids and counts their repeats: sorted, unique `(column, count)` pairs.
pub(crate) fn count_columns(mut cols: Vec<u32>) -> Vec<(u32, f64)> {
    cols.sort_unstable();
    let mut out: Vec<(u32, f64)> = Vec::new();
    for c in cols {
        match out.last_mut() {
            Some((j, v)) if *j == c => *v += 1.0,
            _ => out.push((c, 1.0)),
        }
    }
    out
}
