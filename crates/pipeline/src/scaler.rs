//! [`FeatureScaler`]: the side-feature transform fitted on the training genes only.

use serde::{Deserialize, Serialize};

use crate::prepare::log_label;

/// Feature transform fitted on the training rows only: `log10(x + 0.1)` on the columns in
/// `log_columns` (Xpresso's: the four lengths and the exon density), then z-scoring with the
/// training mean and (population) standard deviation. Undefined values (GC of a missing UTR,
/// encoded NaN by genome-io) become 0 after scaling, i.e. the training mean.
///
/// Xpresso computed these statistics on all genes; fitting them on the training split only keeps
/// test genes from leaking into the inputs.
///
/// ```
/// use pipeline::FeatureScaler;
/// // two genes x one feature; fitted on both rows
/// let s = FeatureScaler::fit(&[1.0, 3.0], 1, &[0, 1], &[]);
/// assert_eq!(s.apply(&[3.0]), vec![1.0]);
/// assert_eq!(s.apply(&[f64::NAN]), vec![0.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureScaler {
    /// Columns that get `log10(x + 0.1)` before z-scoring.
    pub log_columns: Vec<usize>,
    /// Per-feature training mean (after the log transform).
    pub mean: Vec<f64>,
    /// Per-feature training standard deviation (1 where it is 0).
    pub sd: Vec<f64>,
}

impl FeatureScaler {
    /// Fits on the rows of `features` (`[n, width]`) selected by `rows`.
    pub fn fit(features: &[f64], width: usize, rows: &[usize], log_columns: &[usize]) -> Self {
        let mut scaler = FeatureScaler {
            log_columns: log_columns.to_vec(),
            mean: vec![0.0; width],
            sd: vec![1.0; width],
        };
        for j in 0..width {
            let vals: Vec<f64> = rows
                .iter()
                .map(|&i| scaler.transformed(j, features[i * width + j]))
                .filter(|x| x.is_finite())
                .collect();
            if vals.is_empty() {
                continue;
            }
            let m = vals.iter().sum::<f64>() / vals.len() as f64;
            let v = vals.iter().map(|x| (x - m).powi(2)).sum::<f64>() / vals.len() as f64;
            scaler.mean[j] = m;
            if v > 0.0 {
                scaler.sd[j] = v.sqrt();
            }
        }
        scaler
    }

    fn transformed(&self, column: usize, x: f64) -> f64 {
        if self.log_columns.contains(&column) {
            log_label(x)
        } else {
            x
        }
    }

    /// Number of features it transforms.
    pub fn width(&self) -> usize {
        self.mean.len()
    }

    /// Transforms one row.
    pub fn apply(&self, row: &[f64]) -> Vec<f32> {
        row.iter()
            .enumerate()
            .zip(self.mean.iter().zip(&self.sd))
            .map(|((j, &x), (&m, &s))| {
                let t = self.transformed(j, x);
                if t.is_finite() {
                    ((t - m) / s) as f32
                } else {
                    0.0
                }
            })
            .collect()
    }
}
