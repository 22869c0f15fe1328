//! Weight files: atomic writes, safetensors save/load through burn-store, and a name/shape check
//! that turns a config/weights mismatch into an error listing every offending tensor.

use crate::seam::ModelConfig;
use crate::xpresso::XpressoConfig;
use crate::{Error, Result, canonical_ids};
use burn::module::Module;
use burn::store::{BurnToPyTorchAdapter, ModuleAdapter, ModuleSnapshot, SafetensorsStore};
use burn::tensor::Device;
use std::collections::BTreeMap;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file in the same directory, fsync, rename;
/// the workspace's [`outfile`] writer), creating the directory.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    outfile::write_atomic(path, |w| w.write_all(bytes)).map_err(|e| Error::Checkpoint {
        path: path.to_path_buf(),
        msg: e.to_string(),
    })
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

impl XpressoConfig {
    /// Every parameter's name and shape in burn layout (Linear weights `[in, out]`), in order.
    pub fn param_shapes(&self) -> Vec<(String, Vec<usize>)> {
        let mut v = Vec::new();
        let mut ch = 4;
        for (i, c) in self.conv.iter().enumerate() {
            v.push((format!("convs.{i}.weight"), vec![c.filters, ch, c.kernel]));
            v.push((format!("convs.{i}.bias"), vec![c.filters]));
            ch = c.filters;
        }
        let mut w = self.concat_len();
        for (j, d) in self.dense.iter().enumerate() {
            v.push((format!("dense.{j}.weight"), vec![w, d.units]));
            v.push((format!("dense.{j}.bias"), vec![d.units]));
            w = d.units;
        }
        v.push(("out.weight".into(), vec![w, 1]));
        v.push(("out.bias".into(), vec![1]));
        v
    }
}

/// Names and shapes of every tensor of `model`, in burn layout (`pytorch = false`, Linear
/// weights `[in, out]`) or PyTorch layout (`pytorch = true`, `[out, in]`).
pub fn tensor_shapes<M: Module>(model: &M, pytorch: bool) -> Vec<(String, Vec<usize>)> {
    let adapter: Option<Box<dyn ModuleAdapter>> = if pytorch {
        Some(Box::new(BurnToPyTorchAdapter))
    } else {
        None
    };
    model
        .collect(None, adapter, false)
        .into_iter()
        .map(|t| (t.name.clone(), t.shape.to_vec()))
        .collect()
}

/// Serialises the model's weights to safetensors bytes (burn layout, f32).
pub fn weights_to_bytes<M: Module>(model: &M) -> Result<Vec<u8>> {
    let mut store = SafetensorsStore::from_bytes(None).metadata("producer", "seq2expr");
    model
        .save_into(&mut store)
        .map_err(|e| Error::Config(format!("cannot serialise weights: {e}")))?;
    let bytes = store
        .get_bytes()
        .map_err(|e| Error::Config(format!("cannot serialise weights: {e}")))?;
    Ok(canonical_header(bytes))
}

/// The same safetensors bytes with the JSON header's keys (`__metadata__` included) in sorted
/// order, so that identical weights give identical files (the store writes its metadata map in
/// a random order). Bytes that do not parse are returned unchanged.
fn canonical_header(bytes: Vec<u8>) -> Vec<u8> {
    let Some(len) = bytes
        .get(..8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])) as usize)
    else {
        return bytes;
    };
    let Some(header) = bytes.get(8..8usize.saturating_add(len)) else {
        return bytes;
    };
    // serde_json's map is a BTreeMap here: serialising sorts every object's keys
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(header) else {
        return bytes;
    };
    let Ok(mut text) = serde_json::to_vec(&v) else {
        return bytes;
    };
    while text.len() % 8 != 0 {
        text.push(b' ');
    }
    let mut out = Vec::with_capacity(bytes.len() + 8);
    out.extend_from_slice(&(text.len() as u64).to_le_bytes());
    out.extend_from_slice(&text);
    out.extend_from_slice(&bytes[8 + len..]);
    out
}

/// Saves the model's weights as safetensors at `path`, atomically.
pub fn save_weights<M: Module>(model: &M, path: &Path) -> Result<()> {
    atomic_write(path, &weights_to_bytes(model)?)
}

/// Reads the names, shapes and dtypes of a safetensors file, rejecting corrupt/truncated data.
pub(crate) fn inspect(path: &Path, bytes: &[u8]) -> Result<BTreeMap<String, Vec<usize>>> {
    let st = safetensors::SafeTensors::deserialize(bytes).map_err(|e| Error::Checkpoint {
        path: path.to_path_buf(),
        msg: e.to_string(),
    })?;
    let mut out = BTreeMap::new();
    for (name, view) in st.tensors() {
        if view.dtype() != safetensors::Dtype::F32 {
            return Err(Error::Checkpoint {
                path: path.to_path_buf(),
                msg: format!("tensor '{name}' has dtype {:?}, expected F32", view.dtype()),
            });
        }
        out.insert(name, view.shape().to_vec());
    }
    Ok(out)
}

/// Compares `expected` (name → shape) with what a file holds; one line per problem.
pub(crate) fn diff_shapes(
    expected: &[(String, Vec<usize>)],
    found: &BTreeMap<String, Vec<usize>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, shape) in expected {
        match found.get(name) {
            None => problems.push(format!(
                "missing tensor '{name}' (expected shape {shape:?})"
            )),
            Some(s) if s != shape => problems.push(format!(
                "tensor '{name}' has shape {s:?}, the configuration expects {shape:?}"
            )),
            Some(_) => {}
        }
    }
    for (name, s) in found {
        if !expected.iter().any(|(n, _)| n == name) {
            problems.push(format!("unexpected tensor '{name}' with shape {s:?}"));
        }
    }
    problems
}

/// Builds a model for `cfg` on `device` and loads the safetensors weights at `path` (as written
/// by [`save_weights`]). Corrupt or truncated files give [`Error::Checkpoint`]; names or shapes
/// that do not match `cfg` give [`Error::WeightMismatch`] listing all of them.
pub fn load_weights<C: ModelConfig>(cfg: &C, path: &Path, device: &Device) -> Result<C::Model> {
    let bytes = read_file(path)?;
    let found = inspect(path, &bytes)?;
    let mut model = canonical_ids(cfg.init_model(device)?);
    let problems = diff_shapes(&tensor_shapes(&model, false), &found);
    if !problems.is_empty() {
        return Err(Error::WeightMismatch {
            path: path.to_path_buf(),
            problems,
        });
    }
    let mut store = SafetensorsStore::from_bytes(Some(bytes));
    model.load_from(&mut store).map_err(|e| Error::Checkpoint {
        path: path.to_path_buf(),
        msg: e.to_string(),
    })?;
    Ok(model)
}

#[cfg(test)]
mod canonical_tests {
    #![allow(clippy::unwrap_used)]

    /// Identical weights serialise to identical bytes (the metadata map's order is random per
    /// map: 20 serialisations used to disagree), and the result still parses.
    #[test]
    fn identical_weights_give_identical_files() {
        let cfg = crate::XpressoConfig::oracle_tiny();
        let model = cfg.init(&crate::select_device(None).unwrap()).unwrap();
        let first = super::weights_to_bytes(&model).unwrap();
        for _ in 0..20 {
            assert_eq!(super::weights_to_bytes(&model).unwrap(), first);
        }
        let st = safetensors::SafeTensors::deserialize(&first).unwrap();
        assert!(st.names().iter().any(|n| n.starts_with("convs.0")));
        let header_len = u64::from_le_bytes(first[..8].try_into().unwrap()) as usize;
        assert_eq!(header_len % 8, 0);
    }
}
