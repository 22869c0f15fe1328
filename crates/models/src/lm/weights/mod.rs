//! Reading and writing HF-layout safetensors for the encoders (and reading `pytorch_model.bin`,
//! `pytorch.rs`, ADR 0012).
//!
//! The modules of [`crate::lm`] are built *from* a [`TensorFile`] by name: every module asks a
//! [`Loader`] for the tensors it needs under its HF key (`bert.encoder.layer.0.attention.self.query`),
//! so the key map is the module tree itself and every deviation (missing tensor, wrong shape,
//! left-over tensor) is collected and reported at once in [`Error::WeightMismatch`].
//! PyTorch `Linear.weight` is `[out, in]`; burn's `Linear` stores `[in, out]`: the loader
//! transposes on the way in and the [`Exporter`] on the way out.

use super::lora::{LoraAdapter, LoraLinear, LoraSpec, MODULES_TO_SAVE, PEFT_PREFIX};
use crate::{Error, Result};
use burn::module::Param;
use burn::nn::{Embedding, LayerNorm, LayerNormConfig, Linear};
use burn::tensor::{Device, Tensor, TensorData};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod file;
mod pytorch;
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
    fresh: Vec<String>,
    initialised: Vec<String>,
    lora: Option<LoraSpec>,
    adapter: Option<&'a TensorFile>,
    adapter_used: BTreeSet<String>,
    lora_matched: BTreeSet<String>,
}

impl<'a> Loader<'a> {
    /// A loader placing tensors on `device`.
    pub fn new(file: &'a TensorFile, device: &Device) -> Self {
        Self {
            file: Some(file),
            ..Self::random(device, 0.02, 0)
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
            fresh: Vec::new(),
            initialised: Vec::new(),
            lora: None,
            adapter: None,
            adapter_used: BTreeSet::new(),
            lora_matched: BTreeSet::new(),
        }
    }

    /// Tensors under these key prefixes may be missing from the file: they are freshly
    /// initialised (`N(0, std²)` from `seed`, as for [`Loader::random`]) and listed by
    /// [`Loader::initialised`] — a new task head on a pretrained encoder.
    pub fn allow_fresh(mut self, prefixes: &[&str], seed: u64) -> Self {
        use rand::SeedableRng;
        self.fresh = prefixes.iter().map(|p| (*p).to_string()).collect();
        self.rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        self
    }

    /// Attaches LoRA adapters to the linears [`Loader::proj`] builds whose names match
    /// `spec`'s targets: from a PEFT `adapter_model.safetensors` when `adapter` is given (its
    /// `modules_to_save` head tensors replace the base head), else freshly initialised (B = 0).
    /// Every other tensor but the head is frozen.
    pub fn with_lora(mut self, spec: LoraSpec, adapter: Option<&'a TensorFile>) -> Self {
        self.lora = Some(spec);
        self.adapter = adapter;
        self
    }

    /// Names of the tensors that were freshly initialised because the file lacked them.
    pub fn initialised(&self) -> &[String] {
        &self.initialised
    }

    fn frozen(&self, name: &str) -> bool {
        self.lora.is_some()
            && !MODULES_TO_SAVE
                .iter()
                .any(|m| name.starts_with(&format!("{m}.")))
    }

    /// A parameter for tensor `name` (frozen when LoRA is attached and `name` is not part of
    /// the head).
    pub fn param<const D: usize>(&self, name: &str, t: Tensor<D>) -> Param<Tensor<D>> {
        let p = Param::from_tensor(t);
        if self.frozen(name) {
            p.set_require_grad(false)
        } else {
            p
        }
    }

    /// A linear layer that carries a LoRA adapter when its name is a target (see
    /// [`Loader::with_lora`]); otherwise [`Loader::linear`].
    pub fn proj(&mut self, prefix: &str, d_in: usize, d_out: usize, bias: bool) -> LoraLinear {
        let base = self.linear(prefix, d_in, d_out, bias);
        let Some(spec) = self.lora.clone() else {
            return base.into();
        };
        let Some(target) = spec.target_of(prefix) else {
            return base.into();
        };
        self.lora_matched.insert(target.to_string());
        let r = spec.r;
        let (a, b) = match self.adapter {
            Some(file) => {
                let mut get = |which: &str, shape: [usize; 2]| {
                    let key = format!("{PEFT_PREFIX}{prefix}.{which}.weight");
                    match file.tensors.get(&key) {
                        Some(t) if t.shape == shape => {
                            self.adapter_used.insert(key);
                            t.values.clone()
                        }
                        Some(t) => {
                            self.adapter_used.insert(key.clone());
                            self.problems.push(format!(
                                "adapter tensor {key}: shape {:?} in {}, r = {r} expects {shape:?}",
                                t.shape,
                                file.path.display()
                            ));
                            vec![0.0; shape[0] * shape[1]]
                        }
                        None => {
                            self.problems.push(format!(
                                "missing adapter tensor {key} (expected shape {shape:?}) in {}",
                                file.path.display()
                            ));
                            vec![0.0; shape[0] * shape[1]]
                        }
                    }
                };
                let a = get("lora_A", [r, d_in]);
                let b = get("lora_B", [d_out, r]);
                (a, b)
            }
            None => {
                use rand::Rng;
                let bound = 1.0 / (d_in as f32).sqrt();
                let a = (0..r * d_in)
                    .map(|_| self.rng.random_range(-bound..bound))
                    .collect();
                (a, vec![0.0; d_out * r])
            }
        };
        let a: Tensor<2> = Tensor::from_data(TensorData::new(a, [r, d_in]), &self.device);
        let b: Tensor<2> = Tensor::from_data(TensorData::new(b, [d_out, r]), &self.device);
        LoraLinear {
            base,
            adapter: Some(LoraAdapter::new(
                a.transpose(),
                b.transpose(),
                spec.scaling(),
                spec.lora_dropout,
            )),
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
        if let Some(ad) = self.adapter {
            let key = format!("{PEFT_PREFIX}{name}");
            if let Some(t) = ad.tensors.get(&key) {
                self.adapter_used.insert(key.clone());
                self.used.insert(name.to_string());
                if t.shape == shape {
                    return t.values.clone();
                }
                self.problems.push(format!(
                    "adapter tensor {key}: shape {:?}, the model expects {shape:?}",
                    t.shape
                ));
                return vec![0.0; n];
            }
        }
        match file.tensors.get(name) {
            None if self.fresh.iter().any(|p| name.starts_with(p.as_str())) => {
                self.initialised.push(name.to_string());
                self.random_values(name, n)
            }
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
        let bname = format!("{prefix}.bias");
        let b = bias.then(|| {
            let t = self.tensor(&bname, [d_out]);
            self.param(&bname, t)
        });
        Linear {
            weight: self.param(&format!("{prefix}.weight"), w.transpose()),
            bias: b,
        }
    }

    /// A PyTorch `nn.LayerNorm` under `prefix` (`weight`, `bias`).
    pub fn layer_norm(&mut self, prefix: &str, d: usize, eps: f64) -> LayerNorm {
        let mut ln = LayerNormConfig::new(d).with_epsilon(eps).init(&self.device);
        let (wn, bn) = (format!("{prefix}.weight"), format!("{prefix}.bias"));
        let g = self.tensor(&wn, [d]);
        ln.gamma = self.param(&wn, g);
        let b = self.tensor(&bn, [d]);
        ln.beta = Some(self.param(&bn, b));
        ln
    }

    /// A PyTorch `nn.Embedding` under `prefix` (`prefix.weight` `[n, d]`).
    pub fn embedding(&mut self, prefix: &str, n: usize, d: usize) -> Embedding {
        let name = format!("{prefix}.weight");
        let w = self.tensor(&name, [n, d]);
        Embedding {
            weight: self.param(&name, w),
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
        if let Some(spec) = &self.lora {
            let unmatched: Vec<&String> = spec
                .target_modules
                .iter()
                .filter(|t| !self.lora_matched.contains(t.as_str()))
                .collect();
            if !unmatched.is_empty() {
                return Err(Error::Config(format!(
                    "LoRA target(s) {unmatched:?} name no module of this model (adaptable: \
                     query, key, value for BERT/ESM; Wqkv for DNABERT-2)"
                )));
            }
        }
        if let Some(ad) = self.adapter {
            for (k, t) in &ad.tensors {
                if !self.adapter_used.contains(k) {
                    self.problems.push(format!(
                        "unexpected adapter tensor {k} (shape {:?}) in {}",
                        t.shape,
                        ad.path.display()
                    ));
                }
            }
        }
        let Some(file) = self.file else {
            return if self.problems.is_empty() {
                Ok(())
            } else {
                Err(Error::WeightMismatch {
                    path: PathBuf::from("(random init)"),
                    problems: self.problems,
                })
            };
        };
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
    /// The tensors gathered so far (LoRA adapters merged into their base weights).
    pub file: TensorFile,
    /// LoRA factors under PEFT key names (`base_model.model.<module>.lora_A.weight` `[r, in]`,
    /// `lora_B` `[out, r]`); empty without adapters.
    pub adapters: TensorFile,
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

    /// Adds a possibly adapted linear: the merged weight `W + s·B A` under `prefix`, and the
    /// factors under PEFT names in [`Exporter::adapters`].
    pub fn proj(&mut self, prefix: &str, l: &LoraLinear) {
        self.tensor(&format!("{prefix}.weight"), l.merged_weight().transpose());
        if let Some(b) = &l.base.bias {
            self.tensor(&format!("{prefix}.bias"), b.val());
        }
        if let Some(ad) = &l.adapter {
            let a = to_raw(ad.a.val().transpose());
            let b = to_raw(ad.b.val().transpose());
            let t = &mut self.adapters.tensors;
            t.insert(format!("{PEFT_PREFIX}{prefix}.lora_A.weight"), a);
            t.insert(format!("{PEFT_PREFIX}{prefix}.lora_B.weight"), b);
        }
    }

    /// The adapter file PEFT writes: the LoRA factors plus the head tensors
    /// (`modules_to_save`) under `base_model.model.`.
    pub fn peft_file(&self) -> TensorFile {
        let mut out = self.adapters.clone();
        for (k, t) in &self.file.tensors {
            if MODULES_TO_SAVE
                .iter()
                .any(|m| k.starts_with(&format!("{m}.")))
            {
                out.tensors.insert(format!("{PEFT_PREFIX}{k}"), t.clone());
            }
        }
        out
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
