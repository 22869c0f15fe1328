//! The model seam: what the one training loop, checkpoints, best-of-N, prediction and weight
//! import are generic over (ADR 0010).
//!
//! * [`ModelConfig`] — a serialisable architecture that builds its module ([`TrainableModel`])
//!   on a device and says which [`Objective`] it is trained for.
//! * [`TrainableModel`] — a burn [`Module`] with one batched forward pass from its input type
//!   to `[batch, outputs]`.
//! * [`Examples`] — a data set that gathers a mini-batch of inputs onto a device and exposes
//!   its [`Targets`] as plain numbers (the loop computes validation loss and metrics on the
//!   host, in `f64`).
//!
//! Xpresso and miREx ([`crate::XpressoConfig`] with [`crate::XpressoData`]) are the first
//! implementations. A token-id encoder fits unchanged: its `Input` is `(ids, attention_mask)`
//! tensors, its `Examples` gathers padded id rows, and a classification head trains with
//! [`Objective::CrossEntropy`]; a self-supervised model (masked-LM) returns its per-example
//! loss as its single output and trains with [`Objective::ModelLoss`].

use crate::{Error, Result};
use burn::module::Module;
use burn::nn::loss::{CrossEntropyLossConfig, MseLoss, Reduction};
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What a model is trained to minimise, and how validation is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Mean squared error over every output column; validation metric: the mean over outputs
    /// of R² = 1 − RSS/TSS (evalkit's [`r2_strict`](evalkit::r2_strict); NaN for a constant
    /// column).
    Mse,
    /// Softmax cross-entropy over `outputs` logits with integer class targets; validation
    /// metric: Matthews correlation (evalkit's multi-class MCC).
    CrossEntropy,
    /// The model's single output *is* its per-example loss (masked-LM pretraining); the loop
    /// minimises its mean; validation metric: minus the mean loss.
    ModelLoss,
}

/// Targets of a data set, row-aligned with its examples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Targets<'a> {
    /// Unlabelled (prediction only).
    None,
    /// Real values `[n, width]`, row-major (regression, one column per output).
    Values {
        /// The values.
        values: &'a [f32],
        /// Columns per example.
        width: usize,
    },
    /// One class index per example (classification).
    Classes(&'a [u32]),
}

impl Targets<'_> {
    /// Number of labelled examples (0 when unlabelled).
    pub fn len(&self) -> usize {
        match self {
            Targets::None => 0,
            Targets::Values { values, width } => values.len() / (*width).max(1),
            Targets::Classes(c) => c.len(),
        }
    }

    /// Whether there are no targets.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A serialisable model architecture (saved as `config.json` in a model directory).
pub trait ModelConfig:
    Clone + std::fmt::Debug + PartialEq + Serialize + DeserializeOwned + Send + Sync
{
    /// The module this configuration builds.
    type Model: TrainableModel;

    /// A short name of the architecture (`xpresso`, `bert`, …), saved with the weights.
    fn kind(&self) -> &'static str;

    /// Checks the numbers (a typed [`Error::Config`] naming the field).
    fn validate(&self) -> Result<()>;

    /// Builds the module on `device` (call `device.seed(..)` first for a reproducible
    /// initialisation; use an autodiff device for training).
    fn init_model(&self, device: &Device) -> Result<Self::Model>;

    /// Number of output columns of [`TrainableModel::forward_input`].
    fn n_outputs(&self) -> usize;

    /// The training objective.
    fn objective(&self) -> Objective {
        Objective::Mse
    }
}

/// A burn module with one batched forward pass.
pub trait TrainableModel: Module {
    /// One mini-batch of inputs, already on the model's device.
    type Input;

    /// The forward pass.
    ///
    /// # Shapes
    /// - output: `[batch, n_outputs]` (regression values, class logits, or a per-example loss)
    fn forward_input(&self, input: Self::Input) -> Tensor<2>;

    /// The device of the model's parameters (predictions are computed there).
    fn device(&self) -> Device;
}

/// A data set the loop can batch for model input type `I`.
pub trait Examples<I>: Sync {
    /// Number of examples.
    fn len(&self) -> usize;

    /// Whether there is no example.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gathers the examples `idx` (in that order) into one input batch on `device`.
    fn inputs(&self, idx: &[usize], device: &Device) -> I;

    /// The targets, row-aligned with the examples.
    fn targets(&self) -> Targets<'_>;

    /// Checks shapes and finiteness; `need_targets` for training and validation sets. `what`
    /// names the set in errors (`train`, `valid`, `predict`).
    fn validate(&self, what: &str, need_targets: bool) -> Result<()>;

    /// A stable 64-bit digest of the inputs and targets: a run directory is resumed only when
    /// the data that made it has the same fingerprint.
    fn fingerprint(&self) -> u64;
}

/// Checks that a data set fits a configuration before anything is trained or predicted.
pub trait FitsConfig<C: ModelConfig> {
    /// A typed error naming the mismatch (sequence length, feature width, outputs).
    fn check_fits(&self, cfg: &C) -> Result<()>;
}

impl Objective {
    /// The mean mini-batch loss of `output` against `targets` rows `idx`, on `device`.
    ///
    /// # Shapes
    /// - `output`: `[batch, outputs]`
    /// - returned: `[1]`
    pub(crate) fn loss(
        self,
        output: Tensor<2>,
        targets: Targets<'_>,
        idx: &[usize],
        device: &Device,
    ) -> Result<Tensor<1>> {
        match (self, targets) {
            (Objective::Mse, Targets::Values { values, width }) => {
                let mut y = Vec::with_capacity(idx.len() * width);
                for &i in idx {
                    y.extend_from_slice(&values[i * width..(i + 1) * width]);
                }
                let y = Tensor::from_data(TensorData::new(y, [idx.len(), width]), device);
                Ok(MseLoss::new().forward(output, y, Reduction::Mean))
            }
            (Objective::CrossEntropy, Targets::Classes(classes)) => {
                let y: Vec<i64> = idx.iter().map(|&i| i64::from(classes[i])).collect();
                let y = Tensor::<1, Int>::from_data(TensorData::new(y, [idx.len()]), device);
                let ce = CrossEntropyLossConfig::new().init(device);
                Ok(ce.forward(output, y))
            }
            (Objective::ModelLoss, _) => Ok(output.mean()),
            (obj, t) => Err(Error::Config(format!(
                "objective {obj:?} cannot be trained on targets of kind {}",
                match t {
                    Targets::None => "none",
                    Targets::Values { .. } => "values",
                    Targets::Classes(_) => "classes",
                }
            ))),
        }
    }

    /// `(loss, metric)` of host-side predictions `[n, outputs]` against `targets`, in `f64`.
    /// Higher metrics are better. A metric that is undefined (constant targets) is NaN.
    pub fn evaluate(self, pred: &[f32], outputs: usize, targets: Targets<'_>) -> (f64, f64) {
        match (self, targets) {
            (Objective::Mse, Targets::Values { values, width }) if width == outputs => {
                mse_mean_r2(pred, values, width)
            }
            (Objective::CrossEntropy, Targets::Classes(classes)) => {
                cross_entropy_mcc(pred, outputs, classes)
            }
            (Objective::ModelLoss, _) => {
                let n = pred.len().max(1) as f64;
                let m = pred.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
                (m, -m)
            }
            _ => (f64::NAN, f64::NAN),
        }
    }
}

/// `(MSE over every value, mean over columns of R²)`; R² of a constant column is NaN and the
/// mean is then NaN.
pub fn mse_mean_r2(pred: &[f32], y: &[f32], width: usize) -> (f64, f64) {
    let width = width.max(1);
    let n = y.len() / width;
    let sq: f64 = pred
        .iter()
        .zip(y)
        .map(|(&p, &t)| (f64::from(p) - f64::from(t)).powi(2))
        .sum();
    let mse = sq / (y.len().max(1)) as f64;
    let mut r2_sum = 0.0;
    for j in 0..width {
        let t: Vec<f64> = (0..n).map(|i| f64::from(y[i * width + j])).collect();
        let p: Vec<f64> = (0..n).map(|i| f64::from(pred[i * width + j])).collect();
        r2_sum += evalkit::r2_strict(&t, &p).unwrap_or(f64::NAN);
    }
    (mse, r2_sum / width as f64)
}

fn cross_entropy_mcc(logits: &[f32], classes_n: usize, y: &[u32]) -> (f64, f64) {
    let c = classes_n.max(1);
    let mut loss = 0.0;
    let mut pred = Vec::with_capacity(y.len());
    for (row, &t) in logits.chunks(c).zip(y) {
        let max = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        let lse = row
            .iter()
            .map(|&v| f64::from(v - max).exp())
            .sum::<f64>()
            .ln()
            + f64::from(max);
        loss += lse - f64::from(row.get(t as usize).copied().unwrap_or(f32::NAN));
        let arg = row
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(i, _)| i as i64);
        pred.push(arg);
    }
    let truth: Vec<i64> = y.iter().map(|&t| i64::from(t)).collect();
    let mcc = evalkit::mcc(&truth, &pred).unwrap_or(f64::NAN);
    (loss / y.len().max(1) as f64, mcc)
}

/// FNV-1a over 8-byte words (a fixed, documented digest for data fingerprints, so that
/// [`Examples`] implementations outside this crate digest their data the same way).
///
/// ```
/// let mut h = models::seam::FNV_OFFSET;
/// models::seam::fnv_words(&mut h, b"ACGT");
/// assert_ne!(h, models::seam::FNV_OFFSET);
/// ```
pub fn fnv_words(h: &mut u64, bytes: &[u8]) {
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        *h ^= u64::from_le_bytes(w);
        *h = h.wrapping_mul(0x0100_0000_01b3);
    }
    for &b in chunks.remainder() {
        *h ^= u64::from(b);
        *h = h.wrapping_mul(0x0100_0000_01b3);
    }
}

/// The FNV-1a offset basis.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
