//! [`XpressoData`]: the in-memory inputs of Xpresso / miREx as plain `f32` buffers.

use crate::{Error, Result};
use burn::tensor::{Device, Tensor, TensorData};

/// A set of examples for Xpresso or miREx.
///
/// * `onehot`: `n * 4 * seq_len` values, row-major `[n, 4, seq_len]` — channels-first, channel
///   order A, C, G, T (as produced by seqenc's one-hot encoder; N = all-zero column).
/// * `features`: `n * n_features` values, row-major `[n, n_features]` (gene-structure features,
///   for miREx followed by the selected miRNA values; may be empty with `n_features = 0`).
/// * `labels`: `n` targets (empty for prediction-only data).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XpressoData {
    /// One-hot sequences `[n, 4, seq_len]`, row-major.
    pub onehot: Vec<f32>,
    /// Side features `[n, n_features]`, row-major.
    pub features: Vec<f32>,
    /// Labels `[n]` (empty when unlabelled).
    pub labels: Vec<f32>,
    /// Number of examples.
    pub n: usize,
    /// Sequence length in bases.
    pub seq_len: usize,
    /// Width of the side-feature vector.
    pub n_features: usize,
}

impl XpressoData {
    /// Builds a data set and checks that the buffer lengths agree with `n`, `seq_len` and
    /// `n_features` (labels may be empty).
    ///
    /// ```
    /// let d = models::XpressoData::new(vec![0.0; 2 * 4 * 3], vec![1.0; 2], vec![0.5, 1.5], 3, 1)
    ///     .unwrap();
    /// assert_eq!(d.n, 2);
    /// ```
    pub fn new(
        onehot: Vec<f32>,
        features: Vec<f32>,
        labels: Vec<f32>,
        seq_len: usize,
        n_features: usize,
    ) -> Result<Self> {
        let per = 4 * seq_len;
        if per == 0 || !onehot.len().is_multiple_of(per) {
            return Err(data_err(
                "input",
                format!(
                    "one-hot buffer of {} values is not a multiple of 4 x {seq_len}",
                    onehot.len()
                ),
            ));
        }
        let n = onehot.len() / per;
        let d = Self {
            onehot,
            features,
            labels,
            n,
            seq_len,
            n_features,
        };
        d.check_shapes("input")?;
        Ok(d)
    }

    fn check_shapes(&self, what: &str) -> Result<()> {
        if self.onehot.len() != self.n * 4 * self.seq_len {
            return Err(data_err(
                what,
                "one-hot buffer length != n * 4 * seq_len".into(),
            ));
        }
        if self.features.len() != self.n * self.n_features {
            return Err(data_err(
                what,
                format!(
                    "feature buffer has {} values, expected n ({}) x n_features ({})",
                    self.features.len(),
                    self.n,
                    self.n_features
                ),
            ));
        }
        if !self.labels.is_empty() && self.labels.len() != self.n {
            return Err(data_err(
                what,
                format!("{} labels for {} examples", self.labels.len(), self.n),
            ));
        }
        Ok(())
    }

    /// Checks shapes and that every input and label is finite (a NaN label names its example).
    pub fn validate(&self, what: &str, need_labels: bool) -> Result<()> {
        self.check_shapes(what)?;
        if need_labels && self.labels.len() != self.n {
            return Err(data_err(what, "labels are required".into()));
        }
        if need_labels && self.n == 0 {
            return Err(data_err(what, "no examples".into()));
        }
        if let Some(i) = self.labels.iter().position(|v| !v.is_finite()) {
            return Err(data_err(
                what,
                format!("label of example {i} is {}", self.labels[i]),
            ));
        }
        if let Some(i) = self.features.iter().position(|v| !v.is_finite()) {
            return Err(data_err(
                what,
                format!(
                    "feature {} of example {} is {}",
                    i % self.n_features.max(1),
                    i / self.n_features.max(1),
                    self.features[i]
                ),
            ));
        }
        if let Some(i) = self.onehot.iter().position(|v| !v.is_finite()) {
            let per = 4 * self.seq_len;
            return Err(data_err(
                what,
                format!("one-hot value of example {} is not finite", i / per),
            ));
        }
        Ok(())
    }

    /// Gathers the examples `idx` into tensors on `device`: `([b, 4, L], [b, F], [b, 1])`
    /// (the label tensor is zeros when the set is unlabelled).
    pub fn batch(&self, idx: &[usize], device: &Device) -> (Tensor<3>, Tensor<2>, Tensor<2>) {
        let (per, f) = (4 * self.seq_len, self.n_features);
        let mut x = Vec::with_capacity(idx.len() * per);
        let mut feat = Vec::with_capacity(idx.len() * f);
        let mut y = Vec::with_capacity(idx.len());
        for &i in idx {
            x.extend_from_slice(&self.onehot[i * per..(i + 1) * per]);
            feat.extend_from_slice(&self.features[i * f..(i + 1) * f]);
            y.push(self.labels.get(i).copied().unwrap_or(0.0));
        }
        let b = idx.len();
        (
            Tensor::from_data(TensorData::new(x, [b, 4, self.seq_len]), device),
            Tensor::from_data(TensorData::new(feat, [b, f]), device),
            Tensor::from_data(TensorData::new(y, [b, 1]), device),
        )
    }
}

pub(crate) fn data_err(what: &str, msg: String) -> Error {
    Error::Data {
        what: what.to_string(),
        msg,
    }
}
