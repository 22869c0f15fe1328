//! Import of weights saved by PyTorch (`model.state_dict()` → safetensors) with a declared key
//! mapping.
//!
//! Layouts: PyTorch `Conv1d.weight` is `[out, in, k]`, the same as burn's, and is copied as is;
//! PyTorch `Linear.weight` is `[out, in]` while burn stores `[in, out]`: burn-store's
//! `PyTorchToBurnAdapter` transposes every 2-D weight whose module is a burn `Linear` (it sees
//! the container type while applying), so the mapping only has to rename keys.

use crate::checkpoint::{diff_shapes, inspect, read_file, tensor_shapes};
use crate::seam::ModelConfig;
use crate::xpresso::XpressoConfig;
use crate::{Error, Result, canonical_ids};
use burn::store::{KeyRemapper, ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore};
use burn::tensor::Device;
use std::path::Path;

/// A declared renaming from PyTorch parameter names to the names of this crate's module
/// (`(pytorch_prefix, burn_prefix)` pairs applied to whole dot-separated prefixes).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyMapping {
    /// `(pytorch, burn)` prefixes, e.g. `("conv1", "convs.0")`.
    pub pairs: Vec<(String, String)>,
}

impl KeyMapping {
    /// The conventional PyTorch naming of an Xpresso-layout network, derived from `cfg`:
    /// `conv{i+1}` → `convs.{i}`, `fc{j+1}` → `dense.{j}` for hidden layers and the next
    /// `fc` → `out` (the cnn oracle's `conv1`, `fc1`, `fc2`).
    ///
    /// ```
    /// let m = models::KeyMapping::pytorch_xpresso(&models::XpressoConfig::oracle_tiny());
    /// assert_eq!(m.to_burn("fc2.weight").as_deref(), Some("out.weight"));
    /// ```
    pub fn pytorch_xpresso(cfg: &XpressoConfig) -> Self {
        let mut pairs: Vec<(String, String)> = (0..cfg.conv.len())
            .map(|i| (format!("conv{}", i + 1), format!("convs.{i}")))
            .collect();
        pairs.extend((0..cfg.dense.len()).map(|j| (format!("fc{}", j + 1), format!("dense.{j}"))));
        pairs.push((format!("fc{}", cfg.dense.len() + 1), "out".into()));
        Self { pairs }
    }

    /// Maps one PyTorch name; `None` when no declared prefix applies.
    pub fn to_burn(&self, name: &str) -> Option<String> {
        self.pairs.iter().find_map(|(pt, b)| {
            name.strip_prefix(pt.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .map(|rest| format!("{b}.{rest}"))
        })
    }

    /// Maps one burn name back to the PyTorch name.
    pub fn to_pytorch(&self, name: &str) -> Option<String> {
        self.pairs.iter().find_map(|(pt, b)| {
            name.strip_prefix(b.as_str())
                .and_then(|rest| rest.strip_prefix('.'))
                .map(|rest| format!("{pt}.{rest}"))
        })
    }

    fn remapper(&self) -> Result<KeyRemapper> {
        let pats: Vec<(String, String)> = self
            .pairs
            .iter()
            .map(|(pt, b)| (format!("^{}\\.", escape(pt)), format!("{b}.")))
            .collect();
        KeyRemapper::from_patterns(pats)
            .map_err(|e| Error::Config(format!("invalid key mapping: {e}")))
    }
}

fn escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let esc = !(c.is_ascii_alphanumeric() || c == '_');
            esc.then_some('\\').into_iter().chain(std::iter::once(c))
        })
        .collect()
}

/// Loads a PyTorch-layout safetensors file into a new model for `cfg`.
///
/// Every expected tensor is looked up under its PyTorch name (via `mapping`) and checked for the
/// PyTorch shape (Linear weights `[out, in]`) before anything is loaded; all problems are reported
/// together in [`Error::WeightMismatch`].
pub fn import_pytorch_safetensors<C: ModelConfig>(
    cfg: &C,
    path: &Path,
    mapping: &KeyMapping,
    device: &Device,
) -> Result<C::Model> {
    let bytes = read_file(path)?;
    let found = inspect(path, &bytes)?;
    let mut model = canonical_ids(cfg.init_model(device)?);
    let expected: Vec<(String, Vec<usize>)> = tensor_shapes(&model, true)
        .into_iter()
        .map(|(name, shape)| (mapping.to_pytorch(&name).unwrap_or(name), shape))
        .collect();
    let problems = diff_shapes(&expected, &found);
    if !problems.is_empty() {
        return Err(Error::WeightMismatch {
            path: path.to_path_buf(),
            problems,
        });
    }
    let mut store = SafetensorsStore::from_bytes(Some(bytes))
        .remap(mapping.remapper()?)
        .with_from_adapter(PyTorchToBurnAdapter);
    model.load_from(&mut store).map_err(|e| Error::Checkpoint {
        path: path.to_path_buf(),
        msg: e.to_string(),
    })?;
    Ok(model)
}
