//! Safetensors files in memory: read (f32, f16, bf16 widened to f32) and written atomically.

#[allow(clippy::wildcard_imports)]
use super::*;

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

pub(super) fn bad(path: &Path, msg: impl Into<String>) -> Error {
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

/// Widens (or narrows) the little-endian bytes of one tensor of safetensors dtype `dtype`
/// (`F32`, `F16`, `BF16`, `F64`) to f32, checking the byte count against `shape`.
pub(super) fn decode(
    name: &str,
    dtype: &str,
    shape: &[usize],
    raw: &[u8],
    path: &Path,
) -> Result<Vec<f32>> {
    let count: usize = shape.iter().product();
    let width = match dtype {
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
    Ok(match dtype {
        "F32" => raw
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        "F64" => raw
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) as f32)
            .collect(),
        "BF16" => raw
            .chunks_exact(2)
            .map(|c| f32::from_bits(u32::from(u16::from_le_bytes([c[0], c[1]])) << 16))
            .collect(),
        _ => raw
            .chunks_exact(2)
            .map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]])))
            .collect(),
    })
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
            let values = decode(&name, &dtype, &shape, raw, path)?;
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
        let mut head = serde_json::Value::Object(header).to_string().into_bytes();
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
        outfile::write_atomic(path, |w| w.write_all(&out)).map_err(|source| Error::Io {
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
