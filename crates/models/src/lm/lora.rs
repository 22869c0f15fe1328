//! LoRA (Hu et al. 2021) on the encoders' linear layers, in HF PEFT's layout.
//!
//! A targeted linear computes `y = x Wᵀ + b + s · dropout(x) Aᵀ Bᵀ` with `A` `[r, in]`, `B`
//! `[out, r]` (PEFT's storage), `s = alpha / r`. `A` starts uniform in `±1/√in` (PEFT's
//! Kaiming-uniform with `a = √5`) and `B` at zero, so an untrained adapter leaves every output
//! bit-identical. Targets are matched as PEFT matches a list: a module whose HF name equals the
//! target or ends with `.target` (`query`, `value`, `attention.self.key`, `Wqkv`).
//!
//! With an adapter, only the adapter tensors and the task head (PEFT's `modules_to_save` for a
//! sequence-classification task: `classifier`, `score`) train; the base weights are frozen.
//! [`super::LoadedLm::merge_lora`] folds `s · B A` into `W` (bias unchanged) for inference;
//! adapters alone are saved and loaded as `adapter_config.json` + `adapter_model.safetensors`
//! under PEFT's key names (`base_model.model.<module>.lora_A.weight`).

use crate::{Error, Result};
use burn::module::{Module, Param};
use burn::nn::{Dropout, DropoutConfig, Linear};
use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

/// Head modules that train (and are saved with the adapter) next to the LoRA tensors.
pub const MODULES_TO_SAVE: [&str; 2] = ["classifier", "score"];

/// PEFT's key prefix in `adapter_model.safetensors`.
pub const PEFT_PREFIX: &str = "base_model.model.";

fn d_r() -> usize {
    8
}
fn d_alpha() -> f64 {
    16.0
}
fn d_dropout() -> f64 {
    0.05
}
fn d_targets() -> Vec<String> {
    vec!["query".into(), "value".into()]
}

/// What to adapt and how (the fields of PEFT's `adapter_config.json` that matter here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoraSpec {
    /// Rank `r`.
    #[serde(default = "d_r")]
    pub r: usize,
    /// `lora_alpha` (scaling = alpha / r).
    #[serde(default = "d_alpha")]
    pub lora_alpha: f64,
    /// Dropout on the adapter's input during training.
    #[serde(default = "d_dropout")]
    pub lora_dropout: f64,
    /// Module names to adapt (PEFT `target_modules`).
    #[serde(default = "d_targets")]
    pub target_modules: Vec<String>,
    /// rsLoRA scaling `alpha / √r` (PEFT `use_rslora`).
    #[serde(default)]
    pub use_rslora: bool,
}

impl Default for LoraSpec {
    /// The study's preset: r 8, alpha 16, dropout 0.05, on `query` and `value`.
    fn default() -> Self {
        Self {
            r: d_r(),
            lora_alpha: d_alpha(),
            lora_dropout: d_dropout(),
            target_modules: d_targets(),
            use_rslora: false,
        }
    }
}

impl LoraSpec {
    /// The factor `s` applied to `B A`.
    ///
    /// ```
    /// assert_eq!(models::lm::lora::LoraSpec::default().scaling(), 2.0);
    /// ```
    pub fn scaling(&self) -> f64 {
        if self.use_rslora {
            self.lora_alpha / (self.r as f64).sqrt()
        } else {
            self.lora_alpha / self.r as f64
        }
    }

    /// Checks rank, alpha, dropout and targets.
    ///
    /// # Errors
    /// [`Error::Config`] naming the field.
    pub fn validate(&self) -> Result<()> {
        if self.r == 0 || self.r > 4096 {
            return Err(Error::Config(format!("LoRA r = {} (1..=4096)", self.r)));
        }
        if !(self.lora_alpha.is_finite() && self.lora_alpha > 0.0) {
            return Err(Error::Config(format!(
                "lora_alpha = {} is not > 0",
                self.lora_alpha
            )));
        }
        if !(0.0..1.0).contains(&self.lora_dropout) {
            return Err(Error::Config(format!(
                "lora_dropout = {} is not in [0, 1)",
                self.lora_dropout
            )));
        }
        if self.target_modules.is_empty() || self.target_modules.iter().any(|t| t.is_empty()) {
            return Err(Error::Config("LoRA target_modules is empty".into()));
        }
        Ok(())
    }

    /// Reads a PEFT `adapter_config.json` (`peft_type` must be `LORA`; DoRA and other
    /// variants are refused).
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Config`].
    pub fn read_peft(path: &std::path::Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::Config(format!("{}: not JSON: {e}", path.display())))?;
        let bad = |m: String| Error::Config(format!("{}: {m}", path.display()));
        match v["peft_type"].as_str() {
            Some("LORA") => {}
            other => return Err(bad(format!("peft_type {other:?} is not \"LORA\""))),
        }
        if v["use_dora"].as_bool() == Some(true) {
            return Err(bad("DoRA adapters are not supported".into()));
        }
        if v["target_modules"].is_string() {
            return Err(bad(
                "target_modules given as a regular expression is not supported; list the names"
                    .into(),
            ));
        }
        let spec: Self = serde_json::from_value(v).map_err(|e| bad(e.to_string()))?;
        spec.validate().map_err(|e| bad(e.to_string()))?;
        Ok(spec)
    }

    /// The `adapter_config.json` PEFT writes for this adapter (`SEQ_CLS` task: the head is
    /// saved with the adapter).
    pub fn to_peft_json(&self, base_model: &str) -> serde_json::Value {
        let mut targets = self.target_modules.clone();
        targets.sort();
        serde_json::json!({
            "peft_type": "LORA",
            "task_type": "SEQ_CLS",
            "base_model_name_or_path": base_model,
            "r": self.r,
            "lora_alpha": self.lora_alpha,
            "lora_dropout": self.lora_dropout,
            "target_modules": targets,
            "modules_to_save": MODULES_TO_SAVE,
            "bias": "none",
            "fan_in_fan_out": false,
            "use_rslora": self.use_rslora,
            "use_dora": false,
            "init_lora_weights": true,
            "inference_mode": true,
        })
    }

    /// Whether the module named `name` (HF key prefix, e.g.
    /// `bert.encoder.layer.0.attention.self.query`) is a target; returns the matching target.
    pub fn target_of(&self, name: &str) -> Option<&str> {
        self.target_modules
            .iter()
            .find(|t| name == t.as_str() || name.ends_with(&format!(".{t}")))
            .map(String::as_str)
    }
}

/// The low-rank update of one linear layer (burn layout: `a` `[in, r]`, `b` `[r, out]`).
#[derive(Module, Debug)]
pub struct LoraAdapter {
    /// `Aᵀ`: `[in, r]`.
    pub a: Param<Tensor<2>>,
    /// `Bᵀ`: `[r, out]` (zero at initialisation).
    pub b: Param<Tensor<2>>,
    /// Dropout on the adapter input (training only).
    pub dropout: Dropout,
    /// `alpha / r`.
    #[module(skip)]
    pub scaling: f64,
}

impl LoraAdapter {
    /// A new adapter from its factors in burn layout.
    pub fn new(a: Tensor<2>, b: Tensor<2>, scaling: f64, dropout: f64) -> Self {
        Self {
            a: Param::from_tensor(a),
            b: Param::from_tensor(b),
            dropout: DropoutConfig::new(dropout).init(),
            scaling,
        }
    }

    /// `s · B A` in burn layout (`[in, out]`, to add to a burn `Linear` weight).
    pub fn delta(&self) -> Tensor<2> {
        self.a.val().matmul(self.b.val()).mul_scalar(self.scaling)
    }
}

/// A linear layer that may carry a LoRA adapter.
#[derive(Module, Debug)]
pub struct LoraLinear {
    /// The base layer (frozen when an adapter is attached).
    pub base: Linear,
    /// The adapter, if this module is a target.
    pub adapter: Option<LoraAdapter>,
}

impl From<Linear> for LoraLinear {
    fn from(base: Linear) -> Self {
        Self {
            base,
            adapter: None,
        }
    }
}

impl LoraLinear {
    /// `x Wᵀ + b (+ s · dropout(x) Aᵀ Bᵀ)`.
    ///
    /// # Shapes
    /// * `x`: `[B, L, in]` → `[B, L, out]`
    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        match &self.adapter {
            None => self.base.forward(x),
            Some(ad) => {
                let y = self.base.forward(x.clone());
                let low = ad
                    .dropout
                    .forward(x)
                    .matmul(ad.a.val().unsqueeze())
                    .matmul(ad.b.val().unsqueeze());
                y + low.mul_scalar(ad.scaling)
            }
        }
    }

    /// The weight with the adapter folded in (burn layout `[in, out]`).
    pub fn merged_weight(&self) -> Tensor<2> {
        match &self.adapter {
            None => self.base.weight.val(),
            Some(ad) => self.base.weight.val() + ad.delta(),
        }
    }
}
