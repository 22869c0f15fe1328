//! `pytorch_model.bin` (a `torch.save`d state dict) read through `pytorch-reader` (ADR 0012):
//! the pickle is parsed without Python, tensors are widened to f32 like safetensors ones.

use pytorch_reader::{DType, PytorchReader};

use super::file::{bad, decode};
#[allow(clippy::wildcard_imports)]
use super::*;

impl TensorFile {
    /// Reads a weight file by its extension: `.bin` as a PyTorch pickle
    /// ([`TensorFile::read_pytorch`]), anything else as safetensors ([`TensorFile::read`]).
    ///
    /// # Errors
    /// As the reader chosen.
    pub fn read_any(path: &Path) -> Result<Self> {
        if path.extension().is_some_and(|e| e == "bin") {
            Self::read_pytorch(path)
        } else {
            Self::read(path)
        }
    }

    /// Reads a PyTorch checkpoint (`pytorch_model.bin`: the zip container of torch >= 1.6 or
    /// the legacy pickle stream before it, as `torch.save` writes them; a state dict nested
    /// under `state_dict` or `model` in a training checkpoint is found, the other entries of
    /// such a checkpoint are left out). Float tensors (F32, F16, BF16, F64) are widened to
    /// f32; integer and boolean buffers (such as `position_ids`) are converted to f32 values
    /// so that nothing is dropped silently.
    ///
    /// ```no_run
    /// let f = models::lm::weights::TensorFile::read_pytorch("pytorch_model.bin".as_ref()).unwrap();
    /// println!("{} tensors", f.tensors.len());
    /// ```
    ///
    /// # Errors
    /// [`Error::Checkpoint`] naming the file (and the tensor) for an unreadable, truncated or
    /// unsupported checkpoint.
    pub fn read_pytorch(path: &Path) -> Result<Self> {
        let mut reader = PytorchReader::new(path).map_err(|e| bad(path, e.to_string()))?;
        // The reader names a nested tensor by its dotted path (`state_dict.bert.…`). When the
        // root holds a dict under `state_dict` or `model`, that dict is the state dict; a flat
        // dict whose names merely begin with `model.` has no such key and is kept as it is.
        for key in ["state_dict", "model"] {
            let prefix = format!("{key}.");
            if reader.keys().iter().any(|k| k.starts_with(&prefix))
                && let Ok(r) = PytorchReader::with_top_level_key(path, key)
                && !r.is_empty()
            {
                reader = r;
                break;
            }
        }
        let mut tensors = BTreeMap::new();
        for (name, t) in reader.into_tensors() {
            let shape = t.shape().to_vec();
            // the reader's error names the tensor and its storage
            let raw = t.read().map_err(|e| bad(path, e.to_string()))?;
            let values = match t.dtype() {
                DType::F32 => decode(&name, "F32", &shape, &raw, path)?,
                DType::F16 => decode(&name, "F16", &shape, &raw, path)?,
                DType::BF16 => decode(&name, "BF16", &shape, &raw, path)?,
                DType::F64 => decode(&name, "F64", &shape, &raw, path)?,
                other => integers(&name, other, &shape, &raw, path)?,
            };
            tensors.insert(name, RawTensor { shape, values });
        }
        Ok(Self {
            path: path.to_path_buf(),
            tensors,
        })
    }
}

/// Integer and boolean buffers as f32 values (little-endian bytes).
fn integers(
    name: &str,
    dtype: DType,
    shape: &[usize],
    raw: &[u8],
    path: &Path,
) -> Result<Vec<f32>> {
    let width = dtype.size();
    let count: usize = shape.iter().product();
    if raw.len() != count * width {
        return Err(bad(
            path,
            format!(
                "tensor {name}: {} bytes for shape {shape:?} of {dtype:?}",
                raw.len()
            ),
        ));
    }
    let signed = matches!(dtype, DType::I64 | DType::I32 | DType::I16 | DType::I8);
    Ok(raw
        .chunks_exact(width)
        .map(|c| {
            let mut b = [0u8; 8];
            b[..width].copy_from_slice(c);
            if signed && c[width - 1] & 0x80 != 0 {
                b[width..].fill(0xff);
            }
            if signed {
                i64::from_le_bytes(b) as f32
            } else {
                u64::from_le_bytes(b) as f32
            }
        })
        .collect())
}
