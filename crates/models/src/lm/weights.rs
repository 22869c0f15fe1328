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

/// One tensor of a weight file, widened to f32 (row-major).
#[derive(Debug, Clone, PartialEq)]
pub struct RawTensor {
    /// Shape as stored.
    pub shape: Vec<usize>,
    /// Values, row-major.
    pub values: Vec<f32>,
}

/// All tensors of one safetensors file, by name.
#[derive(Debug, Clone, Default)]
pub struct TensorFile {
    /// The file they came from (for error messages).
    pub path: PathBuf,
    /// The tensors.
    pub tensors: BTreeMap<String, RawTensor>,
}

fn bad(path: &Path, msg: impl Into<String>) -> Error {
    Error::Checkpoint {
        path: path.to_path_buf(),
        msg: msg.into(),
    }
}

fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exp = u32::from((h >> 10) & 0x1f);
    let man = u32::from(h & 0x3ff);
    let bits = match (exp, man) {
        (0, 0) => sign,
        (0, m) => {
            // subnormal: normalise
            let mut e = 127 - 15 + 1;
            let mut m = m;
            while m & 0x400 == 0 {
                m <<= 1;
                e -= 1;
            }
            sign | (e << 23) | ((m & 0x3ff) << 13)
        }
        (0x1f, m) => sign | 0x7f80_0000 | (m << 13),
        (e, m) => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

impl TensorFile {
    /// Reads a safetensors file (F32, F16, BF16 or F64 tensors, widened/narrowed to f32).
    ///
    /// # Errors
    /// [`Error::Io`] when unreadable; [`Error::Checkpoint`] naming the file and, for a
    /// truncated file, the first tensor whose bytes are missing.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        Self::parse(&bytes, path)
    }

    /// Parses safetensors bytes; `path` only names the source in errors.
    ///
    /// # Errors
    /// [`Error::Checkpoint`] for a malformed or truncated buffer.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Self> {
        if bytes.len() < 8 {
            return Err(bad(
                path,
                format!("{} bytes: too short for a safetensors header", bytes.len()),
            ));
        }
        let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")) as usize;
        let header = bytes.get(8..8usize.saturating_add(n)).ok_or_else(|| {
            bad(
                path,
                format!("header of {n} bytes but the file has {}", bytes.len()),
            )
        })?;
        let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(header)
            .map_err(|e| bad(path, format!("header is not JSON: {e}")))?;
        let data = &bytes[8 + n..];
        let mut tensors = BTreeMap::new();
        for (name, info) in header {
            if name == "__metadata__" {
                continue;
            }
            let dtype = info["dtype"].as_str().unwrap_or("?").to_string();
            let shape: Vec<usize> = info["shape"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_u64().map(|x| x as usize))
                        .collect()
                })
                .ok_or_else(|| bad(path, format!("tensor {name}: no shape")))?;
            let off = info["data_offsets"]
                .as_array()
                .ok_or_else(|| bad(path, format!("tensor {name}: no data_offsets")))?;
            let (start, end) = match (
                off.first().and_then(|v| v.as_u64()),
                off.get(1).and_then(|v| v.as_u64()),
            ) {
                (Some(s), Some(e)) if s <= e => (s as usize, e as usize),
                _ => return Err(bad(path, format!("tensor {name}: bad data_offsets"))),
            };
            let raw = data.get(start..end).ok_or_else(|| {
                bad(path, format!("truncated: tensor {name} needs bytes {start}..{end} but the data section has {}", data.len()))
            })?;
            let count: usize = shape.iter().product();
            let width = match dtype.as_str() {
                "F32" => 4,
                "F16" | "BF16" => 2,
                "F64" => 8,
                other => {
                    return Err(bad(
                        path,
                        format!("tensor {name}: unsupported dtype {other}"),
                    ));
                }
            };
            if raw.len() != count * width {
                return Err(bad(
                    path,
                    format!(
                        "tensor {name}: {} bytes for shape {shape:?} of {dtype}",
                        raw.len()
                    ),
                ));
            }
            let values: Vec<f32> = match dtype.as_str() {
                "F32" => raw
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
                    .collect(),
                "F64" => raw
                    .chunks_exact(8)
                    .map(|c| f64::from_le_bytes(c.try_into().expect("8")) as f32)
                    .collect(),
                "BF16" => raw
                    .chunks_exact(2)
                    .map(|c| f32::from_bits(u32::from(u16::from_le_bytes([c[0], c[1]])) << 16))
                    .collect(),
                _ => raw
                    .chunks_exact(2)
                    .map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]])))
                    .collect(),
            };
            tensors.insert(name, RawTensor { shape, values });
        }
        Ok(Self {
            path: path.to_path_buf(),
            tensors,
        })
    }

    /// Writes the tensors as an f32 safetensors file (keys sorted).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be written.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut header = serde_json::Map::new();
        let mut offset = 0usize;
        for (name, t) in &self.tensors {
            let len = t.values.len() * 4;
            header.insert(
                name.clone(),
                serde_json::json!({"dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + len]}),
            );
            offset += len;
        }
        let mut head = serde_json::to_vec(&header).expect("json");
        while !(head.len() + 8).is_multiple_of(8) {
            head.push(b' ');
        }
        let mut out = Vec::with_capacity(8 + head.len() + offset);
        out.extend_from_slice(&(head.len() as u64).to_le_bytes());
        out.extend_from_slice(&head);
        for t in self.tensors.values() {
            for v in &t.values {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        std::fs::write(path, out).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })
    }

    /// Names and shapes of every tensor.
    pub fn shapes(&self) -> BTreeMap<String, Vec<usize>> {
        self.tensors
            .iter()
            .map(|(k, v)| (k.clone(), v.shape.clone()))
            .collect()
    }
}

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
