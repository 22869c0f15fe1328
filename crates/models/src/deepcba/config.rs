//! [`DeepCbaConfig`]: the DeepCBA architecture, its two maize presets, validation and the
//! TensorFlow 'same' padding / pooling arithmetic.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Largest anchor accepted (bases): bounds the allocation of a forward pass.
pub const MAX_ANCHOR_LEN: usize = 1_000_000;

/// The two published maize models of DeepCBA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeepCbaPreset {
    /// Promoter–promoter interactions: two 3,000-bp anchors, BiLSTM(128)
    /// (`maize_ppi_model.py`, checked against the deepcba oracle).
    Ppi,
    /// Promoter–distal interactions: two 1,500-bp anchors, BiLSTM(64) (`maize_pdi_model.py`,
    /// whose published Input shape cannot be built; geometry derived, see the module docs).
    Pdi,
}

impl std::str::FromStr for DeepCbaPreset {
    type Err = Error;

    /// `ppi` or `pdi` (case-insensitive).
    ///
    /// ```
    /// use models::deepcba::DeepCbaPreset;
    /// assert_eq!("PDI".parse::<DeepCbaPreset>().unwrap(), DeepCbaPreset::Pdi);
    /// assert!("rice".parse::<DeepCbaPreset>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "ppi" => Ok(Self::Ppi),
            "pdi" => Ok(Self::Pdi),
            _ => Err(Error::Config(format!(
                "unknown DeepCBA preset '{s}' (expected ppi or pdi)"
            ))),
        }
    }
}

/// Configuration of DeepCBA (two CNN–BiLSTM paths joined by dot-product attention).
///
/// Per path: `filters.len()` blocks of [Conv1d (k = `kernel`) → BN → ReLU → Conv1d ('same') →
/// BN → ReLU → MaxPool `pool` ('same') → Dropout `dropout`]; the very first conv is 'valid'
/// (Keras' Conv2D (4, k) over the one-hot image), every other one 'same' (TF split:
/// `(k − 1) / 2` zeros before, the rest after). Then the channels-last activation
/// `[W, C]` is regrouped row-major into `lstm_steps` time steps of `W·C / lstm_steps` values
/// (Keras `Reshape`), a bidirectional LSTM (`lstm_units` each way, concatenated forward
/// first), Luong dot attention (query = promoter path, value = key = partner path), flatten,
/// Dropout `head_dropout`, Dense `dense_units` ReLU, Dense `n_outputs`.
///
/// ```
/// let c = models::deepcba::DeepCbaConfig::ppi();
/// assert_eq!((c.anchor_len, c.lstm_units, c.lstm_input()), (3000, 128, 128));
/// assert_eq!(c.flatten_len(), 768);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeepCbaConfig {
    /// Length of each anchor (promoter and partner) in bases.
    pub anchor_len: usize,
    /// Filters of the two convolutions of each block, in order (`[64, 128, 64]`).
    pub filters: Vec<usize>,
    /// Convolution kernel width (8).
    pub kernel: usize,
    /// Max-pool window = stride, TF 'same' padding (8).
    pub pool: usize,
    /// Dropout after every pool (0.3).
    pub dropout: f64,
    /// Time steps of the reshape before the BiLSTM (3).
    pub lstm_steps: usize,
    /// Units of each direction of the BiLSTM (128 ppi, 64 pdi).
    pub lstm_units: usize,
    /// Dropout after the flatten (0.3).
    pub head_dropout: f64,
    /// Units of the hidden dense layer (64, ReLU).
    pub dense_units: usize,
    /// Output units (1).
    pub n_outputs: usize,
    /// BatchNormalization epsilon (Keras default 1e-3).
    pub bn_epsilon: f64,
    /// BatchNormalization momentum, Keras convention: `moving = m·moving + (1 − m)·batch`
    /// (0.99). burn's momentum is `1 − bn_momentum`.
    pub bn_momentum: f64,
    /// Whether the model has the partner path. `false` = promoter-only ablation: the
    /// attention takes the promoter path as its own value (self-attention).
    pub partner: bool,
}

impl DeepCbaConfig {
    /// The maize promoter–promoter model (`maize_ppi_model.py`): 2 × 3,000 bp, BiLSTM(128).
    pub fn ppi() -> Self {
        Self {
            anchor_len: 3000,
            filters: vec![64, 128, 64],
            kernel: 8,
            pool: 8,
            dropout: 0.3,
            lstm_steps: 3,
            lstm_units: 128,
            head_dropout: 0.3,
            dense_units: 64,
            n_outputs: 1,
            bn_epsilon: 1e-3,
            bn_momentum: 0.99,
            partner: true,
        }
    }

    /// The maize promoter–distal model (`maize_pdi_model.py` with two 1,500-bp anchors):
    /// pool3 is `[3, 64]`, the `Reshape((3, 64))` keeps it, BiLSTM(64), flatten 384.
    ///
    /// ```
    /// let c = models::deepcba::DeepCbaConfig::pdi();
    /// assert_eq!(c.stage_lens(), vec![1493, 187, 24, 3]);
    /// assert_eq!((c.lstm_input(), c.flatten_len()), (64, 384));
    /// ```
    pub fn pdi() -> Self {
        Self {
            anchor_len: 1500,
            lstm_units: 64,
            ..Self::ppi()
        }
    }

    /// The configuration of a preset.
    pub fn preset(p: DeepCbaPreset) -> Self {
        match p {
            DeepCbaPreset::Ppi => Self::ppi(),
            DeepCbaPreset::Pdi => Self::pdi(),
        }
    }

    /// This configuration without the partner path (promoter-only ablation).
    pub fn without_partner(mut self) -> Self {
        self.partner = false;
        self
    }

    /// Lengths along the path: after the first ('valid') conv, then after each pool.
    /// Call on a validated configuration (saturates instead of panicking otherwise).
    pub fn stage_lens(&self) -> Vec<usize> {
        let mut l = (self.anchor_len + 1).saturating_sub(self.kernel);
        let mut out = vec![l];
        for _ in &self.filters {
            l = same_pool_geometry(l, self.pool).0;
            out.push(l);
        }
        out
    }

    /// Width of one LSTM input step: `W · C / lstm_steps` (positions × channels of the last
    /// pool, regrouped).
    pub fn lstm_input(&self) -> usize {
        let w = self.stage_lens().last().copied().unwrap_or(0);
        let c = self.filters.last().copied().unwrap_or(0);
        (w * c) / self.lstm_steps.max(1)
    }

    /// Length of the flattened attention output: `lstm_steps · 2 · lstm_units`.
    pub fn flatten_len(&self) -> usize {
        self.lstm_steps * 2 * self.lstm_units
    }

    /// Checks every number (a typed [`Error::Config`] naming the field).
    ///
    /// ```
    /// let mut c = models::deepcba::DeepCbaConfig::ppi();
    /// c.lstm_steps = 5; // 6 positions × 64 channels do not split into 5 steps
    /// assert!(c.validate().unwrap_err().to_string().contains("lstm_steps"));
    /// ```
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(Error::Config(format!("DeepCBA: {m}")));
        if self.kernel == 0 || self.pool == 0 {
            return bad(format!(
                "kernel ({}) and pool ({}) must be >= 1",
                self.kernel, self.pool
            ));
        }
        if self.anchor_len < self.kernel || self.anchor_len > MAX_ANCHOR_LEN {
            return bad(format!(
                "anchor_len {} must be in {}..={MAX_ANCHOR_LEN}",
                self.anchor_len, self.kernel
            ));
        }
        if self.filters.is_empty() || self.filters.iter().any(|&f| f == 0 || f > 4096) {
            return bad(format!(
                "filters {:?} must be 1..=4096, at least one block",
                self.filters
            ));
        }
        for (name, v) in [
            ("lstm_units", self.lstm_units),
            ("dense_units", self.dense_units),
            ("n_outputs", self.n_outputs),
            ("lstm_steps", self.lstm_steps),
        ] {
            if v == 0 || v > 65_536 {
                return bad(format!("{name} = {v} must be in 1..=65536"));
            }
        }
        for (name, p) in [
            ("dropout", self.dropout),
            ("head_dropout", self.head_dropout),
        ] {
            if !(0.0..1.0).contains(&p) {
                return bad(format!("{name} = {p} must be in [0, 1)"));
            }
        }
        if !(self.bn_epsilon.is_finite() && self.bn_epsilon > 0.0) {
            return bad(format!("bn_epsilon = {} must be > 0", self.bn_epsilon));
        }
        if !(0.0..1.0).contains(&self.bn_momentum) {
            return bad(format!(
                "bn_momentum = {} must be in [0, 1)",
                self.bn_momentum
            ));
        }
        let w = self.stage_lens().last().copied().unwrap_or(0);
        let c = self.filters.last().copied().unwrap_or(0);
        if (w * c) % self.lstm_steps != 0 || w * c < self.lstm_steps {
            return bad(format!(
                "lstm_steps = {} does not divide the last pool's {w} positions × {c} channels",
                self.lstm_steps
            ));
        }
        Ok(())
    }
}

/// TensorFlow's 'same' padding of a stride-1 convolution with kernel `k`: `(before, after)`
/// = `((k − 1) / 2, k − 1 − before)`; an even kernel puts the extra zero *after*.
///
/// ```
/// use models::deepcba::same_conv_padding;
/// assert_eq!(same_conv_padding(8), (3, 4));
/// assert_eq!(same_conv_padding(5), (2, 2));
/// ```
pub fn same_conv_padding(kernel: usize) -> (usize, usize) {
    let total = kernel.saturating_sub(1);
    (total / 2, total - total / 2)
}

/// TensorFlow's 'same' max-pool with window = stride = `pool` over `len` positions:
/// `(out, before, after)` with `out = ⌈len / pool⌉`, `total = (out − 1)·pool + pool − len`,
/// `before = total / 2` (not PyTorch's `ceil_mode`, which pads only after).
///
/// ```
/// use models::deepcba::same_pool_geometry;
/// assert_eq!(same_pool_geometry(2993, 8), (375, 3, 4)); // windows [8j − 3, 8j + 4]
/// assert_eq!(same_pool_geometry(375, 8), (47, 0, 1));
/// assert_eq!(same_pool_geometry(16, 8), (2, 0, 0));
/// ```
pub fn same_pool_geometry(len: usize, pool: usize) -> (usize, usize, usize) {
    let pool = pool.max(1);
    let out = len.div_ceil(pool);
    let total = (out * pool).saturating_sub(len);
    (out, total / 2, total - total / 2)
}
