//! Import of the upstream Keras model's weights from a safetensors file keyed by Keras
//! variable path (`conv2d/kernel`, `bidirectional/forward_lstm/lstm_cell/kernel`, ...; a
//! Keras 2 `:0` suffix is accepted too). See the [module docs](super) for the `.h5` → safetensors
//! recipe.
//!
//! Layouts: Conv2D kernel `[kh, kw, in, out]` → burn Conv1d `[out, kh·in, kw]` (the first
//! conv's `kh = 4` one-hot rows become its input channels); Dense kernel `[in, out]` = burn
//! `Linear` (`Row` layout) as is; LSTM `kernel [in, 4H]`, `recurrent_kernel [H, 4H]`,
//! `bias [4H]` are cut into the gate blocks `i, f, c, o` of burn's per-gate linears (the
//! hidden transforms carry no bias); BatchNorm `beta`, `moving_mean`, `moving_variance` (no
//! `gamma`: `scale=False`).

use super::config::DeepCbaConfig;
use super::model::{DeepCba, DeepCbaPath};
use crate::lm::weights::{RawTensor, TensorFile};
use crate::{Error, Result};
use burn::module::{Param, RunningState};
use burn::nn::{GateController, Linear};
use burn::tensor::{Device, Tensor, TensorData};
use std::path::Path;

/// `name` for index 0, `name_{i}` after it (Keras' layer numbering in a fresh session).
fn numbered(name: &str, i: usize) -> String {
    if i == 0 {
        name.to_string()
    } else {
        format!("{name}_{i}")
    }
}

/// The Keras variable paths and shapes the configuration reads, in load order: path a
/// (promoter, the attention query) convs and BNs numbered first, then path b (partner),
/// then `dense` and `dense_1`, as the upstream `buildModel()` names them in a fresh session.
///
/// ```
/// let keys = models::deepcba::keras_weight_shapes(&models::deepcba::DeepCbaConfig::ppi());
/// assert_eq!(keys.len(), 76);
/// assert_eq!(keys[0], ("conv2d/kernel".to_string(), vec![4, 8, 1, 64]));
/// assert!(keys.iter().any(|(k, s)| k == "conv2d_11/bias" && s == &vec![64]));
/// ```
pub fn keras_weight_shapes(cfg: &DeepCbaConfig) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    let paths = if cfg.partner { 2 } else { 1 };
    let per_path = 2 * cfg.filters.len();
    let (h, k) = (cfg.lstm_units, cfg.kernel);
    for p in 0..paths {
        let mut ch = 1;
        for i in 0..per_path {
            let f = cfg.filters[i / 2];
            let n = p * per_path + i;
            let conv = numbered("conv2d", n);
            let kh = if i == 0 { 4 } else { 1 };
            out.push((format!("{conv}/kernel"), vec![kh, k, ch, f]));
            out.push((format!("{conv}/bias"), vec![f]));
            let bn = numbered("batch_normalization", n);
            for w in ["beta", "moving_mean", "moving_variance"] {
                out.push((format!("{bn}/{w}"), vec![f]));
            }
            ch = f;
        }
        for dir in ["forward_lstm", "backward_lstm"] {
            let cell = format!(
                "{}/{}/lstm_cell",
                numbered("bidirectional", p),
                numbered(dir, p)
            );
            out.push((format!("{cell}/kernel"), vec![cfg.lstm_input(), 4 * h]));
            out.push((format!("{cell}/recurrent_kernel"), vec![h, 4 * h]));
            out.push((format!("{cell}/bias"), vec![4 * h]));
        }
    }
    out.push((
        "dense/kernel".into(),
        vec![cfg.flatten_len(), cfg.dense_units],
    ));
    out.push(("dense/bias".into(), vec![cfg.dense_units]));
    out.push((
        "dense_1/kernel".into(),
        vec![cfg.dense_units, cfg.n_outputs],
    ));
    out.push(("dense_1/bias".into(), vec![cfg.n_outputs]));
    out
}

struct Source<'a> {
    file: &'a TensorFile,
    device: Device,
}

impl Source<'_> {
    /// The tensor `key` (or `key:0`), checked against `shape`.
    fn get(&self, key: &str, shape: &[usize]) -> Result<&RawTensor> {
        let t = self
            .file
            .tensors
            .get(key)
            .or_else(|| self.file.tensors.get(&format!("{key}:0")))
            .ok_or_else(|| Error::MissingWeight {
                path: self.file.path.clone(),
                key: key.to_string(),
                expected: shape.to_vec(),
            })?;
        if t.shape != shape {
            return Err(Error::WeightShape {
                path: self.file.path.clone(),
                key: key.to_string(),
                expected: shape.to_vec(),
                found: t.shape.clone(),
            });
        }
        Ok(t)
    }

    fn tensor<const D: usize>(&self, key: &str, shape: [usize; D]) -> Result<Tensor<D>> {
        let t = self.get(key, &shape)?;
        Ok(Tensor::from_data(
            TensorData::new(t.values.clone(), shape),
            &self.device,
        ))
    }

    /// A Keras Conv2D kernel `[kh, kw, cin, cout]` as a burn Conv1d weight
    /// `[cout, kh·cin, kw]`: `w[o, r·cin + c, j] = K[r, j, c, o]`.
    fn conv_weight(&self, key: &str, shape: [usize; 4]) -> Result<Tensor<3>> {
        let [kh, kw, cin, cout] = shape;
        let k = &self.get(key, &shape)?.values;
        let mut w = vec![0.0f32; cout * kh * cin * kw];
        for r in 0..kh {
            for j in 0..kw {
                for c in 0..cin {
                    for o in 0..cout {
                        let src = ((r * kw + j) * cin + c) * cout + o;
                        w[(o * kh * cin + r * cin + c) * kw + j] = k[src];
                    }
                }
            }
        }
        Ok(Tensor::from_data(
            TensorData::new(w, [cout, kh * cin, kw]),
            &self.device,
        ))
    }

    fn linear(&self, lin: &mut Linear, name: &str, d_in: usize, d_out: usize) -> Result<()> {
        lin.weight = Param::from_tensor(self.tensor(&format!("{name}/kernel"), [d_in, d_out])?);
        lin.bias = Some(Param::from_tensor(
            self.tensor(&format!("{name}/bias"), [d_out])?,
        ));
        Ok(())
    }
}

/// Sets gate block `g` (order i, f, c, o) of a Keras LSTM cell into one burn gate.
fn set_gate(
    gate: &mut GateController,
    kernel: &Tensor<2>,
    rec: &Tensor<2>,
    bias: &Tensor<1>,
    g: usize,
    h: usize,
) {
    let cols = g * h..(g + 1) * h;
    let d_in = kernel.dims()[0];
    gate.input_transform.weight = Param::from_tensor(kernel.clone().slice([0..d_in, cols.clone()]));
    gate.input_transform.bias = Some(Param::from_tensor(bias.clone().slice([cols.clone()])));
    gate.hidden_transform.weight = Param::from_tensor(rec.clone().slice([0..h, cols]));
    gate.hidden_transform.bias = None;
}

fn load_path(
    src: &Source<'_>,
    path: &mut DeepCbaPath,
    cfg: &DeepCbaConfig,
    p: usize,
) -> Result<()> {
    let per_path = path.convs.len();
    let mut ch = 1;
    for (i, (conv, bn)) in path.convs.iter_mut().zip(path.norms.iter_mut()).enumerate() {
        let f = cfg.filters[i / 2];
        let n = p * per_path + i;
        let name = numbered("conv2d", n);
        let kh = if i == 0 { 4 } else { 1 };
        conv.weight = Param::from_tensor(
            src.conv_weight(&format!("{name}/kernel"), [kh, cfg.kernel, ch, f])?,
        );
        conv.bias = Some(Param::from_tensor(
            src.tensor(&format!("{name}/bias"), [f])?,
        ));
        let name = numbered("batch_normalization", n);
        bn.beta = Param::from_tensor(src.tensor(&format!("{name}/beta"), [f])?);
        bn.running_mean = RunningState::new(src.tensor(&format!("{name}/moving_mean"), [f])?);
        bn.running_var = RunningState::new(src.tensor(&format!("{name}/moving_variance"), [f])?);
        ch = f;
    }
    let (h, d_in) = (cfg.lstm_units, cfg.lstm_input());
    for (dir, lstm) in [
        ("forward_lstm", &mut path.bilstm.forward),
        ("backward_lstm", &mut path.bilstm.reverse),
    ] {
        let cell = format!(
            "{}/{}/lstm_cell",
            numbered("bidirectional", p),
            numbered(dir, p)
        );
        let kernel = src.tensor(&format!("{cell}/kernel"), [d_in, 4 * h])?;
        let rec = src.tensor(&format!("{cell}/recurrent_kernel"), [h, 4 * h])?;
        let bias = src.tensor(&format!("{cell}/bias"), [4 * h])?;
        set_gate(&mut lstm.input_gate, &kernel, &rec, &bias, 0, h);
        if let Some(f) = lstm.forget_gate.as_mut() {
            set_gate(f, &kernel, &rec, &bias, 1, h);
        }
        set_gate(&mut lstm.cell_gate, &kernel, &rec, &bias, 2, h);
        set_gate(&mut lstm.output_gate, &kernel, &rec, &bias, 3, h);
    }
    Ok(())
}

/// Builds [`DeepCba`] from a safetensors file holding the upstream Keras model's weights
/// under their Keras variable paths ([`keras_weight_shapes`] lists them; F32, F16, BF16 or
/// F64). Tensors the configuration does not read are ignored (a promoter-only configuration
/// reads path a alone). Returns the model in inference-ready form on a plain device (call
/// `.valid()` after loading onto an autodiff device for inference).
///
/// # Errors
/// [`Error::Io`] / [`Error::Checkpoint`] for an unreadable or malformed file;
/// [`Error::MissingWeight`] / [`Error::WeightShape`] naming the first Keras key that is
/// missing or shaped unlike `cfg` needs; [`Error::Config`] for an invalid `cfg`.
///
/// ```no_run
/// use models::deepcba::{DeepCbaConfig, load_keras_weights};
/// let dev = models::Device::default();
/// let model = load_keras_weights("deepcba_ppi.safetensors".as_ref(), &DeepCbaConfig::ppi(), &dev)?;
/// # Ok::<(), models::Error>(())
/// ```
pub fn load_keras_weights(path: &Path, cfg: &DeepCbaConfig, device: &Device) -> Result<DeepCba> {
    let file = TensorFile::read(path)?;
    let mut model = cfg.init(device)?;
    let src = Source {
        file: &file,
        device: device.clone(),
    };
    load_path(&src, &mut model.promoter, cfg, 0)?;
    if let Some(b) = model.partner.as_mut() {
        load_path(&src, b, cfg, 1)?;
    }
    src.linear(
        &mut model.dense,
        "dense",
        cfg.flatten_len(),
        cfg.dense_units,
    )?;
    src.linear(&mut model.out, "dense_1", cfg.dense_units, cfg.n_outputs)?;
    Ok(model)
}
