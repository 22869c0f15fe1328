//! A prepared GeneRAIN directory: its files, the `tokens.bin` record layout and random access.

use std::fs::File;
use std::path::{Path, PathBuf};

use seqenc::binning::{BinReference, SampleTokens};

use super::PrepareError;
use crate::{Error, Result};

/// The magic bytes opening `tokens.bin`.
pub const MAGIC: &[u8; 8] = b"S2XGRAIN";
/// Bytes of the `tokens.bin` header.
pub const HEADER_BYTES: u64 = 32;
/// Bytes of one record holding `top_n` genes.
///
/// ```
/// assert_eq!(pipeline::generain::record_bytes(2048), 12288);
/// ```
pub fn record_bytes(top_n: usize) -> u64 {
    6 * top_n as u64
}

/// One row of `genes.tsv` (the vocabulary).
#[derive(Debug, Clone, PartialEq)]
pub struct GeneEntry {
    /// The gene id of the input (first column).
    pub id: String,
    /// The symbol (empty when the input has none).
    pub symbol: String,
    /// Mean normalised expression over the samples the vocabulary was built on.
    pub mean: f64,
}

fn bad(dir: &Path, file: &str, msg: impl Into<String>) -> Error {
    PrepareError::Prepared {
        dir: dir.to_path_buf(),
        file: file.to_string(),
        msg: msg.into(),
    }
    .into()
}

fn read_text(dir: &Path, file: &str) -> Result<String> {
    std::fs::read_to_string(dir.join(file)).map_err(|e| bad(dir, file, e.to_string()))
}

/// Reads `genes.tsv` (header `index gene_id symbol mean`).
pub(crate) fn read_genes(dir: &Path) -> Result<Vec<GeneEntry>> {
    let text = read_text(dir, "genes.tsv")?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let ok = f.len() == 4 && f[0].parse::<usize>().ok() == Some(out.len());
        let mean = f.get(3).and_then(|m| m.parse::<f64>().ok());
        match (ok, mean) {
            (true, Some(mean)) => out.push(GeneEntry {
                id: f[1].to_string(),
                symbol: f[2].to_string(),
                mean,
            }),
            _ => {
                return Err(bad(
                    dir,
                    "genes.tsv",
                    format!("line {}: malformed {line:?}", i + 1),
                ));
            }
        }
    }
    Ok(out)
}

/// Writes `genes.tsv`.
pub(crate) fn genes_tsv(genes: &[GeneEntry]) -> String {
    let mut s = String::from("index\tgene_id\tsymbol\tmean\n");
    for (i, g) in genes.iter().enumerate() {
        s.push_str(&format!("{i}\t{}\t{}\t{}\n", g.id, g.symbol, g.mean));
    }
    s
}

/// Serialises a [`BinReference`] to safetensors: `values` (F32, all kept values, gene after
/// gene), `offsets` (I64, `n_genes + 1`; gene `g` owns `values[offsets[g]..offsets[g+1]]`), and
/// metadata `n_bins` (the only key, so the bytes are reproducible).
pub(crate) fn reference_bytes(r: &BinReference) -> Result<Vec<u8>> {
    let values: Vec<u8> = r
        .kept
        .iter()
        .flatten()
        .flat_map(|&v| (v as f32).to_le_bytes())
        .collect();
    let mut offsets = Vec::with_capacity(8 * (r.kept.len() + 1));
    let mut o = 0i64;
    offsets.extend_from_slice(&o.to_le_bytes());
    for k in &r.kept {
        o += k.len() as i64;
        offsets.extend_from_slice(&o.to_le_bytes());
    }
    let st = |e: safetensors::SafeTensorError| Error::Usage(format!("bin reference: {e}"));
    let n = values.len() / 4;
    let tv = safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![n], &values)
        .map_err(st)?;
    let to = safetensors::tensor::TensorView::new(
        safetensors::Dtype::I64,
        vec![r.kept.len() + 1],
        &offsets,
    )
    .map_err(st)?;
    // one metadata key: safetensors keeps the metadata in a HashMap, so several keys would be
    // written in a different order by each process and the file would not be reproducible
    let meta = [("n_bins".to_string(), r.n_bins.to_string())];
    safetensors::serialize(
        [("offsets", to), ("values", tv)],
        Some(meta.into_iter().collect()),
    )
    .map_err(st)
}

/// Reads `bin_reference.safetensors` for the genes of `genes.tsv`.
pub(crate) fn read_reference(dir: &Path, genes: &[GeneEntry]) -> Result<BinReference> {
    let file = "bin_reference.safetensors";
    let bytes = std::fs::read(dir.join(file)).map_err(|e| bad(dir, file, e.to_string()))?;
    let st =
        safetensors::SafeTensors::deserialize(&bytes).map_err(|e| bad(dir, file, e.to_string()))?;
    let get = |name: &str, dtype| {
        let t = st.tensor(name).map_err(|e| bad(dir, file, e.to_string()))?;
        if t.dtype() != dtype || t.shape().len() != 1 {
            return Err(bad(
                dir,
                file,
                format!("tensor {name} is not a 1-d {dtype:?}"),
            ));
        }
        Ok(t.data().to_vec())
    };
    let values: Vec<f64> = get("values", safetensors::Dtype::F32)?
        .chunks_exact(4)
        .map(|c| f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]])))
        .collect();
    let offsets: Vec<i64> = get("offsets", safetensors::Dtype::I64)?
        .chunks_exact(8)
        .map(|c| i64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect();
    if offsets.len() != genes.len() + 1 {
        return Err(bad(
            dir,
            file,
            format!(
                "{} genes, genes.tsv has {}",
                offsets.len().saturating_sub(1),
                genes.len()
            ),
        ));
    }
    let (_, meta) = safetensors::SafeTensors::read_metadata(&bytes)
        .map_err(|e| bad(dir, file, e.to_string()))?;
    let n_bins = meta
        .metadata()
        .as_ref()
        .and_then(|m| m.get("n_bins"))
        .and_then(|b| b.parse::<u16>().ok())
        .filter(|&b| b >= 2)
        .ok_or_else(|| bad(dir, file, "no valid n_bins in the metadata"))?;
    let mut kept = Vec::with_capacity(genes.len());
    for w in offsets.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a < 0 || b < a || b as usize > values.len() {
            return Err(bad(dir, file, format!("bad offsets {a}..{b}")));
        }
        let k = values[a as usize..b as usize].to_vec();
        if k.windows(2).any(|p| p[1] < p[0]) || k.iter().any(|v| !v.is_finite() || *v <= 0.0) {
            return Err(bad(
                dir,
                file,
                "kept values must be positive, finite and sorted",
            ));
        }
        kept.push(k);
    }
    Ok(BinReference {
        genes: genes.iter().map(|g| g.id.clone()).collect(),
        kept,
        n_bins,
    })
}

/// An opened prepared directory: the vocabulary, the sample ids and random access to the
/// per-sample model tokens of `tokens.bin`.
///
/// `tokens.bin` is a [`HEADER_BYTES`]-byte header followed by one fixed-size record per kept
/// sample (in `samples.tsv` order). All integers are little-endian.
///
/// | offset | type | field |
/// |---|---|---|
/// | 0 | `[u8; 8]` | magic [`MAGIC`] (`S2XGRAIN`) |
/// | 8 | `u32` | layout version, 1 |
/// | 12 | `u32` | `top_n` = L, genes per record (`min(settings.top_n, n_genes)`) |
/// | 16 | `u64` | number of records |
/// | 24 | `u32` | number of genes in `genes.tsv` |
/// | 28 | `u16` | number of token bins (100) |
/// | 30 | `u16` | 0 |
///
/// Record `i` starts at `HEADER_BYTES + i · 6L`: `L × u32` gene indices (rows of `genes.tsv`,
/// highest expression first) then `L × u16` bins in `1..=token_bins`. A bin of 1 marks an
/// unexpressed gene ([`seqenc::binning::top_genes`] gives expressed genes bins ≥ 2), which is
/// how [`SampleTokens::unexpressed`] is restored.
#[derive(Debug)]
pub struct PreparedDir {
    dir: PathBuf,
    genes: Vec<GeneEntry>,
    samples: Vec<String>,
    top_n: usize,
    token_bins: u16,
    file: File,
    settings: serde_json::Value,
}

impl PreparedDir {
    /// Opens `dir` and checks that its files agree: `prepare.json`, `genes.tsv`, `samples.tsv`,
    /// `bin_reference.safetensors` and the `tokens.bin` header and size.
    pub fn open(dir: &Path) -> Result<PreparedDir> {
        let json: serde_json::Value = serde_json::from_str(&read_text(dir, "prepare.json")?)
            .map_err(|e| bad(dir, "prepare.json", e.to_string()))?;
        let layout = &json["layout"];
        let num = |v: &serde_json::Value, name: &str| {
            v.as_u64()
                .ok_or_else(|| bad(dir, "prepare.json", format!("no layout.{name}")))
        };
        let (top_n, n_rec, n_genes) = (
            num(&layout["top_n"], "top_n")?,
            num(&layout["n_records"], "n_records")?,
            num(&layout["n_genes"], "n_genes")?,
        );
        let token_bins = u16::try_from(num(&layout["token_bins"], "token_bins")?)
            .map_err(|_| bad(dir, "prepare.json", "token_bins out of range"))?;
        let genes = read_genes(dir)?;
        let samples: Vec<String> = read_text(dir, "samples.tsv")?
            .lines()
            .skip(1)
            .map(String::from)
            .collect();
        if genes.len() as u64 != n_genes {
            return Err(bad(
                dir,
                "genes.tsv",
                format!("{} genes, prepare.json says {n_genes}", genes.len()),
            ));
        }
        if samples.len() as u64 != n_rec {
            return Err(bad(
                dir,
                "samples.tsv",
                format!("{} samples, prepare.json says {n_rec}", samples.len()),
            ));
        }
        read_reference(dir, &genes)?;
        let path = dir.join("tokens.bin");
        let mut file = File::open(&path).map_err(|e| bad(dir, "tokens.bin", e.to_string()))?;
        let mut h = [0u8; HEADER_BYTES as usize];
        std::io::Read::read_exact(&mut file, &mut h)
            .map_err(|e| bad(dir, "tokens.bin", e.to_string()))?;
        let u32_at = |o: usize| u64::from(u32::from_le_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]));
        let header_ok = &h[..8] == MAGIC
            && u32_at(8) == 1
            && u32_at(12) == top_n
            && u64::from_le_bytes(h[16..24].try_into().unwrap_or([0; 8])) == n_rec
            && u32_at(24) == n_genes
            && u16::from_le_bytes([h[28], h[29]]) == token_bins;
        if !header_ok {
            return Err(bad(dir, "tokens.bin", "header disagrees with prepare.json"));
        }
        let size = file
            .metadata()
            .map_err(|e| bad(dir, "tokens.bin", e.to_string()))?
            .len();
        let want = HEADER_BYTES + n_rec * record_bytes(top_n as usize);
        if size != want {
            return Err(bad(
                dir,
                "tokens.bin",
                format!("{size} bytes, the layout needs {want}"),
            ));
        }
        Ok(PreparedDir {
            dir: dir.to_path_buf(),
            genes,
            samples,
            top_n: top_n as usize,
            token_bins,
            file,
            settings: json,
        })
    }

    /// Number of records (kept samples).
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Whether there are no records (never true for a directory [`super::prepare`] wrote).
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Number of genes in the vocabulary.
    pub fn n_genes(&self) -> usize {
        self.genes.len()
    }

    /// Genes per record.
    pub fn top_n(&self) -> usize {
        self.top_n
    }

    /// Number of token bins (bins are in `1..=token_bins`).
    pub fn token_bins(&self) -> u16 {
        self.token_bins
    }

    /// The vocabulary (`genes.tsv`); record gene indices point into it.
    pub fn genes(&self) -> &[GeneEntry] {
        &self.genes
    }

    /// The sample ids in record order (`samples.tsv`).
    pub fn samples(&self) -> &[String] {
        &self.samples
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `prepare.json` as written (settings, filter counts, layout, fingerprint).
    pub fn info(&self) -> &serde_json::Value {
        &self.settings
    }

    /// Loads the stored per-gene binning reference.
    pub fn reference(&self) -> Result<BinReference> {
        read_reference(&self.dir, &self.genes)
    }

    /// Record `i`, read from disk (one positioned read; nothing else is cached).
    pub fn get(&self, i: usize) -> Result<SampleTokens> {
        if i >= self.len() {
            return Err(PrepareError::OutOfRange {
                index: i,
                len: self.len(),
            }
            .into());
        }
        let l = self.top_n;
        let mut buf = vec![0u8; record_bytes(l) as usize];
        let off = HEADER_BYTES + i as u64 * record_bytes(l);
        super::prepare_spill::read_at(&self.file, &mut buf, off)
            .map_err(|e| bad(&self.dir, "tokens.bin", format!("record {i}: {e}")))?;
        let (g, b) = buf.split_at(4 * l);
        let genes: Vec<u32> = g
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let bins: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        if genes.iter().any(|&x| x as usize >= self.genes.len())
            || bins.iter().any(|&x| x < 1 || x > self.token_bins)
        {
            return Err(bad(
                &self.dir,
                "tokens.bin",
                format!("record {i} holds a gene index or bin out of range"),
            ));
        }
        Ok(SampleTokens {
            unexpressed: bins.iter().map(|&x| x == 1).collect(),
            genes,
            bins,
        })
    }
}
