//! LoRA on a loaded checkpoint: attach fresh adapters or a HF PEFT adapter directory, merge
//! them into the base weights, and save the adapter alone in PEFT's layout.

use super::auto::{LoadedLm, build_with};
use super::lora::LoraSpec;
use super::weights::{Loader, TensorFile};
use crate::{Error, Result};
use burn::tensor::Device;
use std::path::Path;

/// PEFT's adapter configuration file.
pub const ADAPTER_CONFIG: &str = "adapter_config.json";
/// PEFT's adapter weights file.
pub const ADAPTER_WEIGHTS: &str = "adapter_model.safetensors";

impl LoadedLm {
    fn rebuild(
        mut self,
        spec: Option<LoraSpec>,
        adapter: Option<&TensorFile>,
        device: &Device,
        seed: u64,
    ) -> Result<Self> {
        let base = self.model.export().file;
        let mut l = Loader::new(&base, device).allow_fresh(&[], seed);
        if let Some(s) = &spec {
            s.validate()?;
            l = l.with_lora(s.clone(), adapter);
        }
        self.model = build_with(self.architecture, &self.config, l)?;
        self.lora = spec;
        Ok(self)
    }

    /// Attaches freshly initialised adapters (`A` uniform from `seed`, `B = 0`: the outputs are
    /// unchanged until the adapters train); the base weights are frozen.
    ///
    /// # Errors
    /// [`Error::Config`] for a bad spec or a target that names no module.
    pub fn add_lora(self, spec: LoraSpec, device: &Device, seed: u64) -> Result<Self> {
        self.rebuild(Some(spec), None, device, seed)
    }

    /// Loads a PEFT adapter directory (`adapter_config.json` + `adapter_model.safetensors`,
    /// `lora_A` `[r, in]`, `lora_B` `[out, r]`, head copies from `modules_to_save`).
    ///
    /// # Errors
    /// [`Error::Io`], [`Error::Config`], [`Error::WeightMismatch`] listing every adapter tensor
    /// whose rank or shape disagrees, that is missing, or that names no module.
    pub fn with_adapter(self, adapter_dir: &Path, device: &Device) -> Result<Self> {
        let spec = LoraSpec::read_peft(&adapter_dir.join(ADAPTER_CONFIG))?;
        let file = TensorFile::read(&adapter_dir.join(ADAPTER_WEIGHTS))?;
        self.rebuild(Some(spec), Some(&file), device, 0)
    }

    /// Folds every adapter into its base weight (`W + s·B A`; biases unchanged) and drops the
    /// adapters: the model is then a plain checkpoint of the same architecture.
    ///
    /// # Errors
    /// Only if rebuilding fails (it does not for a model built here).
    pub fn merge_lora(self, device: &Device) -> Result<Self> {
        self.rebuild(None, None, device, 0)
    }

    /// Writes the adapter alone as PEFT does (`adapter_config.json`, `adapter_model.safetensors`
    /// with the LoRA factors and the head under `base_model.model.`).
    ///
    /// # Errors
    /// [`Error::Config`] when no adapter is attached; [`Error::Io`].
    pub fn save_adapter(&self, out: &Path, base_model: &str) -> Result<()> {
        let Some(spec) = &self.lora else {
            return Err(Error::Config("the model carries no LoRA adapter".into()));
        };
        std::fs::create_dir_all(out).map_err(|source| Error::Io {
            path: out.into(),
            source,
        })?;
        let ex = self.model.export();
        let text = format!("{:#}", spec.to_peft_json(base_model));
        crate::checkpoint::atomic_write(&out.join(ADAPTER_CONFIG), text.as_bytes())?;
        ex.peft_file().write(&out.join(ADAPTER_WEIGHTS))
    }
}
