//! Gene-embedding analysis on dense `f64` rows: seeded k-means ([`kmeans()`]), PCA and
//! truncated SVD ([`pca()`], [`truncated_svd`]), cosine nearest neighbours
//! ([`cosine_neighbors`]) and a box/strip plot of per-group values ([`box_strip_svg`]).
//!
//! Everything here is deterministic: k-means draws from a ChaCha8 stream seeded by the caller,
//! the decompositions have no randomness, and parallel work (rayon) is combined in a fixed
//! order, so results do not depend on the number of threads.
//!
//! ```
//! use evalkit::embedding::{KMeansConfig, Matrix, kmeans};
//! let x = Matrix::new(4, 1, vec![0.0, 0.1, 10.0, 10.1]).unwrap();
//! let km = kmeans(&x, &KMeansConfig { k: 2, ..Default::default() }).unwrap();
//! assert_eq!(km.labels[0], km.labels[1]);
//! assert_ne!(km.labels[0], km.labels[2]);
//! ```

mod eigen;
mod kmeans;
mod neighbors;
mod pca;
mod plot;

pub use eigen::symmetric_eigen;
pub use kmeans::{KMeans, KMeansConfig, kmeans, kmeans_from};
pub use neighbors::cosine_neighbors;
pub use pca::{Pca, Svd, pca, truncated_svd};
pub use plot::box_strip_svg;

use crate::{Error, Result};

/// A dense row-major matrix (`n_rows × n_cols`, `data[i * n_cols + j]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Number of rows.
    pub n_rows: usize,
    /// Number of columns.
    pub n_cols: usize,
    /// Row-major values, `n_rows * n_cols` of them.
    pub data: Vec<f64>,
}

impl Matrix {
    /// Wraps row-major `data`.
    ///
    /// Errors: [`Error::LengthMismatch`] when `data.len() != n_rows * n_cols`,
    /// [`Error::NonFinite`] on a NaN or infinite value.
    ///
    /// ```
    /// let m = evalkit::embedding::Matrix::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    /// assert_eq!(m.row(1), &[3.0, 4.0]);
    /// assert!(evalkit::embedding::Matrix::new(2, 2, vec![1.0]).is_err());
    /// ```
    pub fn new(n_rows: usize, n_cols: usize, data: Vec<f64>) -> Result<Self> {
        let want = n_rows.checked_mul(n_cols).ok_or_else(|| {
            Error::InvalidArgument(format!("{n_rows} × {n_cols} overflows usize"))
        })?;
        if data.len() != want {
            return Err(Error::LengthMismatch {
                what: "matrix data vs n_rows * n_cols",
                left: data.len(),
                right: want,
            });
        }
        crate::check::finite(&data, "matrix")?;
        Ok(Matrix {
            n_rows,
            n_cols,
            data,
        })
    }

    /// Builds a matrix from equal-length rows.
    ///
    /// Errors: [`Error::Empty`] (no rows), [`Error::LengthMismatch`] (ragged),
    /// [`Error::NonFinite`].
    ///
    /// ```
    /// let m = evalkit::embedding::Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0]]).unwrap();
    /// assert_eq!((m.n_rows, m.n_cols), (2, 2));
    /// ```
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Self> {
        let n_cols = rows.first().ok_or(Error::Empty("matrix rows"))?.len();
        let mut data = Vec::with_capacity(rows.len() * n_cols);
        for r in rows {
            if r.len() != n_cols {
                return Err(Error::LengthMismatch {
                    what: "matrix rows",
                    left: r.len(),
                    right: n_cols,
                });
            }
            data.extend_from_slice(r);
        }
        Matrix::new(rows.len(), n_cols, data)
    }

    /// Row `i` as a slice (panics when `i >= n_rows`, like slice indexing).
    ///
    /// ```
    /// let m = evalkit::embedding::Matrix::new(1, 3, vec![1.0, 2.0, 3.0]).unwrap();
    /// assert_eq!(m.row(0).len(), 3);
    /// ```
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.n_cols..(i + 1) * self.n_cols]
    }

    /// A new matrix holding the rows `idx`, in that order (panics on an index out of range).
    ///
    /// ```
    /// let m = evalkit::embedding::Matrix::new(3, 1, vec![1.0, 2.0, 3.0]).unwrap();
    /// assert_eq!(m.select_rows(&[2, 0]).data, [3.0, 1.0]);
    /// ```
    pub fn select_rows(&self, idx: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(idx.len() * self.n_cols);
        for &i in idx {
            data.extend_from_slice(self.row(i));
        }
        Matrix {
            n_rows: idx.len(),
            n_cols: self.n_cols,
            data,
        }
    }
}

/// Squared Euclidean distance of two equal-length slices.
pub(crate) fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}
