//! [`XpressoData`]: the inputs of Xpresso / miREx — sequences, side features and targets —
//! and its [`Examples`] implementation for the training loop.

use crate::seam::{Examples, FNV_OFFSET, FitsConfig, Targets, fnv_words};
use crate::xpresso::XpressoConfig;
use crate::{Error, Result};
use burn::tensor::{Device, Tensor, TensorData};
use seqenc::onehot::{Layout, NPolicy, OneHot};

/// How the sequences of an [`XpressoData`] are held.
#[derive(Debug, Clone, PartialEq)]
pub enum Sequences {
    /// One-hot `[n, 4, seq_len]`, row-major, channels-first (A, C, G, T).
    OneHot(Vec<f32>),
    /// Bases `[n, seq_len]` (one byte per base, any case), one-hot encoded batch by batch
    /// (A, C, G, T; every other byte, `N` included, gives an all-zero column). Sixteen times
    /// smaller than [`Sequences::OneHot`]: 20,000 windows of 10,500 bp take 210 MB.
    Bases(Vec<u8>),
}

/// A set of examples for Xpresso or miREx.
///
/// * sequences: see [`Sequences`]; one window of `seq_len` bases per example.
/// * `features`: `n * n_features` values, row-major `[n, n_features]` (gene-structure features,
///   for miREx followed by the selected miRNA values; may be empty with `n_features = 0`).
/// * `labels`: `n * n_outputs` targets, row-major `[n, n_outputs]` (empty when unlabelled).
#[derive(Debug, Clone, PartialEq)]
pub struct XpressoData {
    /// The sequences.
    pub sequences: Sequences,
    /// Side features `[n, n_features]`, row-major.
    pub features: Vec<f32>,
    /// Labels `[n, n_outputs]`, row-major (empty when unlabelled).
    pub labels: Vec<f32>,
    /// Number of examples.
    pub n: usize,
    /// Sequence length in bases.
    pub seq_len: usize,
    /// Width of the side-feature vector.
    pub n_features: usize,
    /// Label columns per example (1 for a single expression value).
    pub n_outputs: usize,
}

impl XpressoData {
    /// Builds a data set from one-hot sequences (`[n, 4, seq_len]`) and checks that the buffer
    /// lengths agree with `n`, `seq_len` and `n_features` (labels: one per example, or empty).
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
        let per = 4usize.saturating_mul(seq_len);
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
        Self::build(
            Sequences::OneHot(onehot),
            n,
            features,
            labels,
            seq_len,
            n_features,
        )
    }

    /// Builds a data set from bases (`[n, seq_len]`, one byte per base), encoded to one-hot
    /// only when a batch is gathered.
    ///
    /// ```
    /// let d = models::XpressoData::from_bases(b"ACGTNNacgt".to_vec(), vec![], vec![1.0, 2.0], 5, 0)
    ///     .unwrap();
    /// assert_eq!((d.n, d.seq_len), (2, 5));
    /// ```
    pub fn from_bases(
        bases: Vec<u8>,
        features: Vec<f32>,
        labels: Vec<f32>,
        seq_len: usize,
        n_features: usize,
    ) -> Result<Self> {
        if seq_len == 0 || !bases.len().is_multiple_of(seq_len) {
            return Err(data_err(
                "input",
                format!(
                    "base buffer of {} bytes is not a multiple of the window length {seq_len}",
                    bases.len()
                ),
            ));
        }
        let n = bases.len() / seq_len;
        Self::build(
            Sequences::Bases(bases),
            n,
            features,
            labels,
            seq_len,
            n_features,
        )
    }

    fn build(
        sequences: Sequences,
        n: usize,
        features: Vec<f32>,
        labels: Vec<f32>,
        seq_len: usize,
        n_features: usize,
    ) -> Result<Self> {
        let d = Self {
            sequences,
            features,
            labels,
            n,
            seq_len,
            n_features,
            n_outputs: 1,
        };
        d.check_shapes("input")?;
        Ok(d)
    }

    /// Declares `k` label columns per example (the labels buffer must then hold `n × k`
    /// values, row-major).
    ///
    /// ```
    /// // two windows of 4 bases, two label columns each
    /// let d = models::XpressoData::from_bases(b"ACGTACGT".to_vec(), vec![], vec![1., 2., 3., 4.], 4, 0);
    /// assert!(d.is_err()); // four labels are not one per example ...
    /// let d = models::XpressoData::from_bases(b"ACGTACGT".to_vec(), vec![], vec![], 4, 0).unwrap();
    /// let d = models::XpressoData { labels: vec![1., 2., 3., 4.], ..d };
    /// assert_eq!(d.with_outputs(2).unwrap().n_outputs, 2); // ... but two per example
    /// ```
    pub fn with_outputs(mut self, k: usize) -> Result<Self> {
        if k == 0 {
            return Err(data_err(
                "input",
                "the number of outputs must be > 0".into(),
            ));
        }
        self.n_outputs = k;
        self.check_shapes("input")?;
        Ok(self)
    }

    fn check_shapes(&self, what: &str) -> Result<()> {
        let seq_values = match &self.sequences {
            Sequences::OneHot(v) => (v.len(), 4 * self.seq_len),
            Sequences::Bases(v) => (v.len(), self.seq_len),
        };
        if self.n.checked_mul(seq_values.1) != Some(seq_values.0) {
            return Err(data_err(
                what,
                "sequence buffer length != n x window length".into(),
            ));
        }
        if self.n.checked_mul(self.n_features) != Some(self.features.len()) {
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
        if !self.labels.is_empty() && self.labels.len() != self.n * self.n_outputs {
            return Err(data_err(
                what,
                format!(
                    "{} label values for {} examples x {} outputs",
                    self.labels.len(),
                    self.n,
                    self.n_outputs
                ),
            ));
        }
        Ok(())
    }

    /// Gathers the examples `idx` into tensors on `device`: `([b, 4, L], [b, F])`.
    pub fn batch(&self, idx: &[usize], device: &Device) -> (Tensor<3>, Tensor<2>) {
        let (per, f, l) = (4 * self.seq_len, self.n_features, self.seq_len);
        let mut x = vec![0f32; idx.len() * per];
        let mut feat = Vec::with_capacity(idx.len() * f);
        let encoder = OneHot::new(NPolicy::Zeros);
        for (k, &i) in idx.iter().enumerate() {
            let dst = &mut x[k * per..(k + 1) * per];
            match &self.sequences {
                Sequences::OneHot(v) => dst.copy_from_slice(&v[i * per..(i + 1) * per]),
                Sequences::Bases(v) => {
                    // The length is right by construction, the only error encode_into has
                    // under NPolicy::Zeros; on any other the column stays zero.
                    let _ = encoder.encode_into(&v[i * l..(i + 1) * l], Layout::ChannelsFirst, dst);
                }
            }
            feat.extend_from_slice(&self.features[i * f..(i + 1) * f]);
        }
        let b = idx.len();
        (
            Tensor::from_data(TensorData::new(x, [b, 4, self.seq_len]), device),
            Tensor::from_data(TensorData::new(feat, [b, f]), device),
        )
    }

    /// Checks shapes and that every input and label is finite (a NaN label names its example).
    pub fn validate(&self, what: &str, need_labels: bool) -> Result<()> {
        self.check_shapes(what)?;
        if need_labels && self.labels.len() != self.n * self.n_outputs {
            return Err(data_err(what, "labels are required".into()));
        }
        if need_labels && self.n == 0 {
            return Err(data_err(what, "no examples".into()));
        }
        if let Some(i) = self.labels.iter().position(|v| !v.is_finite()) {
            return Err(data_err(
                what,
                format!(
                    "label {} of example {} is {}",
                    i % self.n_outputs,
                    i / self.n_outputs,
                    self.labels[i]
                ),
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
        if let Sequences::OneHot(v) = &self.sequences
            && let Some(i) = v.iter().position(|v| !v.is_finite())
        {
            let per = 4 * self.seq_len;
            return Err(data_err(
                what,
                format!("one-hot value of example {} is not finite", i / per),
            ));
        }
        Ok(())
    }

    /// The rows `idx` of this set, in that order (a train/validation/test subset).
    pub fn subset(&self, idx: &[usize]) -> Result<Self> {
        if let Some(&bad) = idx.iter().find(|&&i| i >= self.n) {
            return Err(data_err(
                "subset",
                format!("row {bad} is out of range ({} examples)", self.n),
            ));
        }
        let (l, f, k) = (self.seq_len, self.n_features, self.n_outputs);
        let sequences = match &self.sequences {
            Sequences::OneHot(v) => Sequences::OneHot(
                idx.iter()
                    .flat_map(|&i| v[i * 4 * l..(i + 1) * 4 * l].iter().copied())
                    .collect(),
            ),
            Sequences::Bases(v) => Sequences::Bases(
                idx.iter()
                    .flat_map(|&i| v[i * l..(i + 1) * l].iter().copied())
                    .collect(),
            ),
        };
        let pick = |v: &[f32], w: usize| -> Vec<f32> {
            idx.iter()
                .flat_map(|&i| v[i * w..(i + 1) * w].iter().copied())
                .collect()
        };
        let labels = if self.labels.is_empty() {
            Vec::new()
        } else {
            pick(&self.labels, k)
        };
        Ok(Self {
            sequences,
            features: pick(&self.features, f),
            labels,
            n: idx.len(),
            seq_len: l,
            n_features: f,
            n_outputs: k,
        })
    }
}

impl Examples<(Tensor<3>, Tensor<2>)> for XpressoData {
    fn len(&self) -> usize {
        self.n
    }

    fn inputs(&self, idx: &[usize], device: &Device) -> (Tensor<3>, Tensor<2>) {
        self.batch(idx, device)
    }

    fn targets(&self) -> Targets<'_> {
        if self.labels.is_empty() {
            Targets::None
        } else {
            Targets::Values {
                values: &self.labels,
                width: self.n_outputs,
            }
        }
    }

    fn validate(&self, what: &str, need_labels: bool) -> Result<()> {
        XpressoData::validate(self, what, need_labels)
    }

    fn fingerprint(&self) -> u64 {
        let mut h = FNV_OFFSET;
        for v in [self.n, self.seq_len, self.n_features, self.n_outputs] {
            fnv_words(&mut h, &(v as u64).to_le_bytes());
        }
        match &self.sequences {
            Sequences::OneHot(v) => fnv_f32(&mut h, v),
            Sequences::Bases(v) => fnv_words(&mut h, v),
        }
        fnv_f32(&mut h, &self.features);
        fnv_f32(&mut h, &self.labels);
        h
    }
}

impl FitsConfig<XpressoConfig> for XpressoData {
    fn check_fits(&self, cfg: &XpressoConfig) -> Result<()> {
        cfg.check_input(self.seq_len, self.n_features)?;
        if !self.labels.is_empty() && self.n_outputs != cfg.n_outputs {
            return Err(Error::Config(format!(
                "the data has {} label columns, the model predicts {}",
                self.n_outputs, cfg.n_outputs
            )));
        }
        Ok(())
    }
}

fn fnv_f32(h: &mut u64, v: &[f32]) {
    for x in v {
        fnv_words(h, &x.to_bits().to_le_bytes());
    }
}

pub(crate) fn data_err(what: &str, msg: String) -> Error {
    Error::Data {
        what: what.to_string(),
        msg,
    }
}
