//! Reading and writing HF-layout safetensors for the encoders.
//!
//! The modules of [`crate::lm`] are built *from* a [`TensorFile`] by name: every module asks a
//! [`Loader`] for the tensors it needs under its HF key (`bert.encoder.layer.0.attention.self.query`),
//! so the key map is the module tree itself and every deviation (missing tensor, wrong shape,
//! left-over tensor) is collected and reported at once in [`Error::WeightMismatch`].
//! PyTorch `Linear.weight` is `[out, in]`; burn's `Linear` stores `[in, out]`: the loader
//! transposes on the way in and the [`Exporter`] on the way out.

use crate::{Error, Result};
use burn::module::Param;
use burn::nn::{Embedding, LayerNorm, LayerNormConfig, Linear};
use burn::tensor::{Device, Tensor, TensorData};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod file;
pub use file::{RawTensor, TensorFile};

/// Builds modules from a [`TensorFile`] by HF key, collecting every problem.
#[derive(Debug)]
pub struct Loader<'a> {
    file: Option<&'a TensorFile>,
    rng: rand_chacha::ChaCha8Rng,
    std: f32,
    device: Device,
    used: BTreeSet<String>,
    problems: Vec<String>,
}

impl<'a> Loader<'a> {
    /// A loader placing tensors on `device`.
    pub fn new(file: &'a TensorFile, device: &Device) -> Self {
        use rand::SeedableRng;
        Self {
            file: Some(file),
            rng: rand_chacha::ChaCha8Rng::seed_from_u64(0),
            std: 0.02,
            device: device.clone(),
            used: BTreeSet::new(),
            problems: Vec::new(),
        }
    }

    /// A loader without a file: every tensor is freshly initialised as HF does for BERT/ESM
    /// (`N(0, std²)` weights, zero biases, LayerNorm weight 1), deterministically from `seed`.
    pub fn random(device: &Device, std: f32, seed: u64) -> Self {
        use rand::SeedableRng;
        Self {
            file: None,
            rng: rand_chacha::ChaCha8Rng::seed_from_u64(seed),
            std,
            device: device.clone(),
            used: BTreeSet::new(),
            problems: Vec::new(),
        }
    }

    /// Whether the file holds `name` (marks nothing; false for a random loader).
    pub fn has(&self, name: &str) -> bool {
        self.file.is_some_and(|f| f.tensors.contains_key(name))
    }

    fn random_values(&mut self, name: &str, n: usize) -> Vec<f32> {
        use rand::Rng;
        let lower = name.to_ascii_lowercase();
        if name.ends_with("bias") {
            return vec![0.0; n];
        }
        if lower.contains("norm") && name.ends_with(".weight") {
            return vec![1.0; n];
        }
        // Box-Muller
        (0..n)
            .map(|_| {
                let u1: f32 = self.rng.random::<f32>().max(f32::MIN_POSITIVE);
                let u2: f32 = self.rng.random::<f32>();
                self.std * (-2.0 * u1.ln()).sqrt() * (std::f32::consts::TAU * u2).cos()
            })
            .collect()
    }

    /// The raw values of `name` with the expected `shape`; records a problem and returns
    /// zeros when it is missing or mis-shaped.
    pub fn raw(&mut self, name: &str, shape: &[usize]) -> Vec<f32> {
        let n: usize = shape.iter().product();
        let Some(file) = self.file else {
            return self.random_values(name, n);
        };
        match file.tensors.get(name) {
            None => {
                self.problems
                    .push(format!("missing tensor {name} (expected shape {shape:?})"));
                vec![0.0; n]
            }
            Some(t) => {
                self.used.insert(name.to_string());
                if t.shape != shape {
                    self.problems.push(format!(
                        "tensor {name}: shape {:?} in the file, the model expects {shape:?}",
                        t.shape
                    ));
                    vec![0.0; n]
                } else {
                    t.values.clone()
                }
            }
        }
    }

    /// A tensor of rank `D` under `name`.
    pub fn tensor<const D: usize>(&mut self, name: &str, shape: [usize; D]) -> Tensor<D> {
        let v = self.raw(name, &shape);
        Tensor::from_data(TensorData::new(v, shape), &self.device)
    }

    /// A PyTorch `nn.Linear` under `prefix` (`prefix.weight` `[out, in]`, `prefix.bias`).
    pub fn linear(&mut self, prefix: &str, d_in: usize, d_out: usize, bias: bool) -> Linear {
        let w: Tensor<2> = self.tensor(&format!("{prefix}.weight"), [d_out, d_in]);
        let b = bias.then(|| Param::from_tensor(self.tensor(&format!("{prefix}.bias"), [d_out])));
        Linear {
            weight: Param::from_tensor(w.transpose()),
            bias: b,
        }
    }

    /// A PyTorch `nn.LayerNorm` under `prefix` (`weight`, `bias`).
    pub fn layer_norm(&mut self, prefix: &str, d: usize, eps: f64) -> LayerNorm {
        let mut ln = LayerNormConfig::new(d).with_epsilon(eps).init(&self.device);
        ln.gamma = Param::from_tensor(self.tensor(&format!("{prefix}.weight"), [d]));
        ln.beta = Some(Param::from_tensor(
            self.tensor(&format!("{prefix}.bias"), [d]),
        ));
        ln
    }

    /// A PyTorch `nn.Embedding` under `prefix` (`prefix.weight` `[n, d]`).
    pub fn embedding(&mut self, prefix: &str, n: usize, d: usize) -> Embedding {
        Embedding {
            weight: Param::from_tensor(self.tensor(&format!("{prefix}.weight"), [n, d])),
        }
    }

    /// Marks tensors as known and unused (buffers such as `position_ids`, rotary `inv_freq`,
    /// heads this model does not have): every key for which `ignore` is true.
    pub fn ignore(&mut self, ignore: impl Fn(&str) -> bool) {
        let Some(file) = self.file else { return };
        for k in file.tensors.keys() {
            if ignore(k) {
                self.used.insert(k.clone());
            }
        }
    }

    /// Ends loading: one [`Error::WeightMismatch`] listing missing, mis-shaped and unexpected
    /// tensors, or `Ok`.
    ///
    /// # Errors
    /// When anything did not match.
    pub fn finish(mut self) -> Result<()> {
        let Some(file) = self.file else { return Ok(()) };
        for (k, t) in &file.tensors {
            if !self.used.contains(k) {
                self.problems
                    .push(format!("unexpected tensor {k} (shape {:?})", t.shape));
            }
        }
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(Error::WeightMismatch {
                path: file.path.clone(),
                problems: self.problems,
            })
        }
    }
}

/// Collects module weights under HF key names for [`TensorFile::write`].
#[derive(Debug, Default)]
pub struct Exporter {
    /// The tensors gathered so far.
    pub file: TensorFile,
}

fn to_raw<const D: usize>(t: Tensor<D>) -> RawTensor {
    let shape = t.dims().to_vec();
    let values = t
        .into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .expect("f32 tensor");
    RawTensor { shape, values }
}

impl Exporter {
    /// Adds a tensor as is.
    pub fn tensor<const D: usize>(&mut self, name: &str, t: Tensor<D>) {
        self.file.tensors.insert(name.to_string(), to_raw(t));
    }

    /// Adds a `Linear` as PyTorch `[out, in]` weight (+ bias).
    pub fn linear(&mut self, prefix: &str, l: &Linear) {
        self.tensor(&format!("{prefix}.weight"), l.weight.val().transpose());
        if let Some(b) = &l.bias {
            self.tensor(&format!("{prefix}.bias"), b.val());
        }
    }

    /// Adds a `LayerNorm` (`weight`, `bias`).
    pub fn layer_norm(&mut self, prefix: &str, ln: &LayerNorm) {
        self.tensor(&format!("{prefix}.weight"), ln.gamma.val());
        if let Some(b) = &ln.beta {
            self.tensor(&format!("{prefix}.bias"), b.val());
        }
    }

    /// Adds an `Embedding` (`prefix.weight`).
    pub fn embedding(&mut self, prefix: &str, e: &Embedding) {
        self.tensor(&format!("{prefix}.weight"), e.weight.val());
    }
}
