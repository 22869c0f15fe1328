//! Cosine nearest neighbours of every row.

use rayon::prelude::*;

use super::Matrix;
use crate::{Error, Result};

/// The `k` rows most cosine-similar to each row (itself excluded), most similar first, ties by
/// the smaller row index. A zero row has cosine 0 with every row.
///
/// `O(n² d)`: every pair is compared (rows in parallel).
///
/// Errors: [`Error::InvalidArgument`] unless `1 <= k < n_rows`.
///
/// ```
/// use evalkit::embedding::{Matrix, cosine_neighbors};
/// let x = Matrix::new(3, 2, vec![1.0, 0.0, 2.0, 0.1, 0.0, 1.0]).unwrap();
/// let nn = cosine_neighbors(&x, 1).unwrap();
/// assert_eq!(nn[0][0].0, 1);
/// assert_eq!(nn[2][0].0, 1);
/// ```
pub fn cosine_neighbors(x: &Matrix, k: usize) -> Result<Vec<Vec<(usize, f64)>>> {
    let n = x.n_rows;
    if k == 0 || k >= n {
        return Err(Error::InvalidArgument(format!(
            "{k} nearest neighbours of {n} rows (need 1 <= k < rows)"
        )));
    }
    let norms: Vec<f64> = (0..n)
        .map(|i| x.row(i).iter().map(|v| v * v).sum::<f64>().sqrt())
        .collect();
    Ok((0..n)
        .into_par_iter()
        .map(|i| {
            let a = x.row(i);
            let mut sims: Vec<(usize, f64)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    let den = norms[i] * norms[j];
                    let d: f64 = a.iter().zip(x.row(j)).map(|(p, q)| p * q).sum();
                    (j, if den > 0.0 { d / den } else { 0.0 })
                })
                .collect();
            let cmp = |p: &(usize, f64), q: &(usize, f64)| q.1.total_cmp(&p.1).then(p.0.cmp(&q.0));
            if k < sims.len() {
                sims.select_nth_unstable_by(k - 1, cmp);
                sims.truncate(k);
            }
            sims.sort_by(cmp);
            sims
        })
        .collect())
}
