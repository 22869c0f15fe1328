//! Gradient methods: saliency, gradient × input, integrated gradients, hypothetical
//! contributions.

use super::{OneHotModel, check_input, to_position_major};
use crate::{Error, Result};
use burn::tensor::{Tensor, TensorData};

/// `(f(x_b) for each row, ∂f/∂x_b summed per row)` of a batch `[n, 4, len]` for output
/// `target`; gradients channels-first per row.
fn batch_grad<M: OneHotModel>(
    model: &M,
    rows: Vec<f32>,
    len: usize,
    side: &[f32],
    target: usize,
) -> Result<(Vec<f32>, Vec<f32>)> {
    let device = model.onehot_device();
    if !device.is_autodiff() {
        return Err(Error::Config(
            "gradient attributions need the model on an autodiff device \
             (device.clone().autodiff())"
                .into(),
        ));
    }
    // Frozen: no parameter gradients, and dropout off (its flag), on the autodiff device.
    let model = model.clone().freeze();
    let model = &model;
    let n = rows.len() / (4 * len);
    let x = Tensor::<3>::from_data(TensorData::new(rows, [n, 4, len]), &device).require_grad();
    let y = model.forward_onehot(x.clone(), side);
    let k = y.dims()[1];
    if target >= k {
        return Err(Error::Config(format!(
            "target output {target} does not exist (the model has {k} outputs)"
        )));
    }
    let picked = y.slice([0..n, target..target + 1]);
    let values = picked
        .clone()
        .into_data()
        .try_to_vec::<f32>()
        .map_err(|e| Error::Config(format!("cannot read outputs: {e:?}")))?;
    // Rows are independent, so the gradient of the sum is each row's own gradient.
    let grads = picked.sum().backward();
    let g = x
        .grad(&grads)
        .ok_or_else(|| Error::Config("no gradient reached the input".into()))?;
    let g = g
        .into_data()
        .try_to_vec::<f32>()
        .map_err(|e| Error::Config(format!("cannot read gradients: {e:?}")))?;
    Ok((values, g))
}

/// `(gradient, gradient × input)` of output `target` at `onehot` (`[4, len]`), both
/// position-major `[L][4]`. The model must be on an autodiff device.
///
/// ```
/// use burn::tensor::Device;
/// let cfg = models::XpressoConfig::oracle_tiny();
/// let model = cfg.init(&Device::flex().autodiff()).unwrap();
/// let x = vec![0f32; 4 * cfg.input_len]; // all N
/// let (g, gx) = models::attribution::gradients(&model, &x, cfg.input_len, &[0.0; 8], 0).unwrap();
/// assert_eq!(g.len(), 4 * cfg.input_len);
/// assert!(gx.iter().all(|&v| v == 0.0)); // × input: 0 where no base is present
/// ```
pub fn gradients<M: OneHotModel>(
    model: &M,
    onehot: &[f32],
    len: usize,
    side: &[f32],
    target: usize,
) -> Result<(Vec<f32>, Vec<f32>)> {
    check_input(onehot, len, "gradients")?;
    let (_, g) = batch_grad(model, onehot.to_vec(), len, side, target)?;
    let gx: Vec<f32> = g.iter().zip(onehot).map(|(a, b)| a * b).collect();
    Ok((to_position_major(&g, len), to_position_major(&gx, len)))
}

/// The result of [`integrated_gradients`].
#[derive(Debug, Clone, PartialEq)]
pub struct IntegratedGradients {
    /// Attributions, position-major `[L][4]`.
    pub attributions: Vec<f32>,
    /// `f(x)`.
    pub output: f32,
    /// `f(x')` at the baseline.
    pub output_at_baseline: f32,
    /// `Σ IG − (f(x) − f(x'))`: the Riemann error (0 for an exact integral).
    pub completeness_gap: f32,
}

/// Integrated gradients of output `target` from `baseline` to `onehot` (both `[4, len]`),
/// `steps` points of the midpoint rule, `batch` path points per forward pass. The model must
/// be on an autodiff device.
///
/// Baselines: all-zero (`vec![0.0; 4 * len]`, every base absent) or a dinucleotide-shuffled
/// one-hot of the same sequence.
///
/// ```
/// use burn::tensor::Device;
/// let cfg = models::XpressoConfig::oracle_tiny();
/// let model = cfg.init(&Device::flex().autodiff()).unwrap();
/// let mut x = vec![0f32; 4 * cfg.input_len];
/// for i in 0..cfg.input_len { x[(i % 4) * cfg.input_len + i] = 1.0; }
/// let zero = vec![0f32; x.len()];
/// let ig = models::attribution::integrated_gradients(&model, &x, &zero, cfg.input_len,
///     &[0.0; 8], 0, 256, 64).unwrap();
/// // Completeness: the attributions add up to f(x) − f(x') up to the Riemann error.
/// let sum: f32 = ig.attributions.iter().sum();
/// assert!((sum - (ig.output - ig.output_at_baseline) - ig.completeness_gap).abs() < 1e-4);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn integrated_gradients<M: OneHotModel>(
    model: &M,
    onehot: &[f32],
    baseline: &[f32],
    len: usize,
    side: &[f32],
    target: usize,
    steps: usize,
    batch: usize,
) -> Result<IntegratedGradients> {
    check_input(onehot, len, "integrated gradients")?;
    check_input(baseline, len, "integrated gradients baseline")?;
    if steps == 0 || steps > 100_000 {
        return Err(Error::Config(format!(
            "integrated gradients needs 1..=100000 steps, got {steps}"
        )));
    }
    let per = 4 * len;
    let diff: Vec<f32> = onehot.iter().zip(baseline).map(|(x, b)| x - b).collect();
    let mut sum = vec![0f32; per];
    let alphas: Vec<f32> = (1..=steps)
        .map(|k| (k as f32 - 0.5) / steps as f32)
        .collect();
    for part in alphas.chunks(batch.max(1)) {
        let mut rows = Vec::with_capacity(part.len() * per);
        for &a in part {
            rows.extend(baseline.iter().zip(&diff).map(|(b, d)| b + a * d));
        }
        let (_, g) = batch_grad(model, rows, len, side, target)?;
        for row in g.chunks(per) {
            for (s, v) in sum.iter_mut().zip(row) {
                *s += v;
            }
        }
    }
    let ig: Vec<f32> = sum
        .iter()
        .zip(&diff)
        .map(|(s, d)| d * s / steps as f32)
        .collect();
    let (ends, _) = batch_grad(
        model,
        onehot.iter().chain(baseline).copied().collect(),
        len,
        side,
        target,
    )?;
    let total: f32 = ig.iter().sum();
    Ok(IntegratedGradients {
        attributions: to_position_major(&ig, len),
        output: ends[0],
        output_at_baseline: ends[1],
        completeness_gap: total - (ends[0] - ends[1]),
    })
}

/// Hypothetical contributions from a position-major `[L][4]` gradient: each position's four
/// values minus their mean (mean-centred, as DeepLIFT/SHAP users read them).
///
/// ```
/// let h = models::attribution::hypothetical(&[1.0, 2.0, 3.0, 6.0]);
/// assert_eq!(h, vec![-2.0, -1.0, 0.0, 3.0]);
/// ```
pub fn hypothetical(gradient: &[f32]) -> Vec<f32> {
    gradient
        .chunks(4)
        .flat_map(|p| {
            let m = p.iter().sum::<f32>() / p.len().max(1) as f32;
            p.iter().map(move |v| v - m)
        })
        .collect()
}
