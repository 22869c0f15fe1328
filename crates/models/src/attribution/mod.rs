//! Attributions of one-hot sequence models: in-silico saturation mutagenesis, saliency,
//! gradient × input, integrated gradients and hypothetical (mean-centred) contributions.
//!
//! Every method works on any [`OneHotModel`] — a model whose input is a one-hot sequence
//! `[batch, 4, L]` (channels-first A, C, G, T; an all-zero column is `N`) plus side inputs
//! that stay fixed at the example's own values (never mutated, baselined or attributed).
//! Xpresso and miREx implement it.
//!
//! **Layout of the results**: position-major `[L][4]` (index `4 · i + c`), columns A, C, G, T,
//! as tangermeme and the oracle in `../shared/oracles/attribution-cnn` write them.
//!
//! * [`ism`]: `f(x_ic) − f(x)` for every position `i` of a window and base `c`; the reference
//!   base is exactly 0; at an `N` position all four bases are real substitutions.
//! * [`gradients`]: `∂f/∂x` (saliency), and `∂f/∂x · x` (gradient × input, 0 at absent bases
//!   and `N`). Needs the model on an autodiff device.
//! * [`integrated_gradients`]: `(x − x') · (1/M) Σ_{k=1..M} ∂f/∂x at x' + ((k − ½)/M)(x − x')`
//!   (the midpoint Riemann rule with `M` steps), with its completeness gap
//!   `Σ IG − (f(x) − f(x'))`.
//! * [`hypothetical`]: DeepLIFT/SHAP-style hypothetical contributions from a gradient: each
//!   position's four values minus their mean (what each base would contribute if it were
//!   there).

pub mod attention;
mod grad;
mod ism;
mod local_ism;
pub mod tokens;

pub use grad::{IntegratedGradients, gradients, hypothetical, integrated_gradients};
pub use ism::{Ism, ism};
pub use local_ism::xpresso_ism;

use crate::xpresso::Xpresso;
use crate::{Error, Result};
use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};

/// `model` made ready for attribution on an autodiff device: parameters need no gradient
/// and dropout is off (burn's `Module::freeze`), while gradients still flow to the inputs.
/// A model loaded on an autodiff device is otherwise in training mode: its dropout is active.
///
/// ```
/// use burn::tensor::Device;
/// let cfg = models::XpressoConfig::oracle_tiny();
/// let m = models::attribution::frozen(cfg.init(&Device::flex().autodiff()).unwrap());
/// let x = vec![0f32; 4 * cfg.input_len];
/// assert!(models::attribution::gradients(&m, &x, cfg.input_len, &[0.0; 8], 0).is_ok());
/// ```
pub fn frozen<M: Module>(model: M) -> M {
    model.freeze()
}

/// A model of one-hot sequences with fixed per-example side inputs.
pub trait OneHotModel: Module {
    /// The forward pass of `onehot` variants of one example whose side inputs are `side`.
    ///
    /// # Shapes
    /// - `onehot`: `[batch, 4, L]`
    /// - output: `[batch, outputs]`
    fn forward_onehot(&self, onehot: Tensor<3>, side: &[f32]) -> Tensor<2>;

    /// The device of the parameters.
    fn onehot_device(&self) -> Device;
}

impl OneHotModel for Xpresso {
    fn forward_onehot(&self, onehot: Tensor<3>, side: &[f32]) -> Tensor<2> {
        let side = side_rows(side, onehot.dims()[0], &onehot.device());
        self.forward(onehot, side)
    }

    fn onehot_device(&self) -> Device {
        crate::seam::TrainableModel::device(self)
    }
}

/// `side` repeated for `n` rows: `[n, side.len()]`.
pub(crate) fn side_rows(side: &[f32], n: usize, device: &Device) -> Tensor<2> {
    let mut rows = Vec::with_capacity(n * side.len());
    for _ in 0..n {
        rows.extend_from_slice(side);
    }
    Tensor::from_data(TensorData::new(rows, [n, side.len()]), device)
}

/// Checks a one-hot buffer of `4 × len` values and a target output.
pub(crate) fn check_input(onehot: &[f32], len: usize, what: &str) -> Result<()> {
    if len == 0 || onehot.len() != 4 * len {
        return Err(Error::Data {
            what: what.into(),
            msg: format!(
                "one-hot buffer of {} values is not 4 x {len} (channels-first)",
                onehot.len()
            ),
        });
    }
    if let Some(i) = onehot.iter().position(|v| !v.is_finite()) {
        return Err(Error::Data {
            what: what.into(),
            msg: format!("one-hot value {i} is not finite"),
        });
    }
    Ok(())
}

/// Runs `onehot` rows (`[n][4·L]`, channels-first each) through the model in batches and
/// returns output `target` of each row.
///
/// # Errors
/// [`Error::Config`] for a `target` past the outputs.
pub fn outputs_of<M: OneHotModel>(
    model: &M,
    rows: &[f32],
    len: usize,
    side: &[f32],
    target: usize,
    batch: usize,
) -> Result<Vec<f32>> {
    let device = model.onehot_device();
    let per = 4 * len;
    let n = rows.len() / per;
    let mut out = Vec::with_capacity(n);
    for start in (0..n).step_by(batch.max(1)) {
        let end = (start + batch.max(1)).min(n);
        let x = Tensor::<3>::from_data(
            TensorData::new(rows[start * per..end * per].to_vec(), [end - start, 4, len]),
            &device,
        );
        let y = model.forward_onehot(x, side);
        let k = y.dims()[1];
        if target >= k {
            return Err(Error::Config(format!(
                "target output {target} does not exist (the model has {k} outputs)"
            )));
        }
        let v = y
            .into_data()
            .try_to_vec::<f32>()
            .map_err(|e| Error::Config(format!("cannot read outputs: {e:?}")))?;
        out.extend(v.chunks(k).map(|r| r[target]));
    }
    Ok(out)
}

/// Channels-first `[4][L]` → position-major `[L][4]`.
///
/// ```
/// let pm = models::attribution::to_position_major(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 2);
/// assert_eq!(pm, vec![1.0, 3.0, 5.0, 7.0, 2.0, 4.0, 6.0, 8.0]);
/// ```
pub fn to_position_major(cf: &[f32], len: usize) -> Vec<f32> {
    let mut out = vec![0f32; 4 * len];
    for c in 0..4 {
        for i in 0..len {
            out[4 * i + c] = cf[c * len + i];
        }
    }
    out
}
