//! Passes 3–5 of [`super::prepare`]: the gene-major spill files, Binning-By-Gene per block of
//! genes, and the per-sample records.
//!
//! Two anonymous temporary files in the output directory (`tempfile::tempfile_in`: unlinked at
//! once, so they vanish at the end, on error and even when the process is killed) hold the
//! kept samples × vocabulary genes, gene-major: the normalised values (f32, 4 bytes a cell) and
//! the gene bins (u16, 2 bytes a cell) — 6 bytes a cell on disk, 12 GB for 100,000 × 20,000.
//! Memory is bounded by `memory_mb` blocks: pass 3 buffers a block of samples (samples × genes
//! input) or one gene row, pass 4 reads a block of whole genes (all samples), pass 5 a block
//! of whole samples (all genes), with positioned reads and writes.

use std::fs::File;
use std::io::Write;

use genome_io::matrix::{MatrixRow, Orientation};
use rayon::prelude::*;
use seqenc::binning::{BinReference, ExprMatrix, RefConfig, bin_by_gene, top_genes};

use super::prepare::{PrepareSettings, bar};
use super::prepare_scan::{KeptSamples, Vocabulary, next, normalise, open};
use super::prepared::{HEADER_BYTES, MAGIC};
use crate::error::io_err;
use crate::{Error, Result};

/// Reads exactly `buf.len()` bytes at `off`.
pub(crate) fn read_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(f, buf, off)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = f.try_clone()?;
        f.seek(SeekFrom::Start(off))?;
        f.read_exact(buf)
    }
}

fn write_at(f: &File, buf: &[u8], off: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(f, buf, off)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, SeekFrom};
        let mut f = f.try_clone()?;
        f.seek(SeekFrom::Start(off))?;
        f.write_all(buf)
    }
}

/// The two gene-major spill files.
pub(crate) struct Spill {
    values: File,
    bins: File,
    n_samples: usize,
    n_genes: usize,
}

impl Spill {
    pub(crate) fn new(dir: &std::path::Path, n_samples: usize, n_genes: usize) -> Result<Spill> {
        let mk = || {
            tempfile::tempfile_in(dir).map_err(io_err(format!(
                "creating a temporary file in {}",
                dir.display()
            )))
        };
        Ok(Spill {
            values: mk()?,
            bins: mk()?,
            n_samples,
            n_genes,
        })
    }

    fn io(&self, what: &str) -> impl FnOnce(std::io::Error) -> Error {
        io_err(format!("GeneRAIN spill file ({what})"))
    }
}

fn f32_bytes(v: &[f32], out: &mut Vec<u8>) {
    out.clear();
    out.extend(v.iter().flat_map(|x| x.to_le_bytes()));
}

fn budget(s: &PrepareSettings) -> usize {
    s.memory_mb << 20
}

/// Pass 3: normalised values of kept samples × vocabulary genes into the values spill.
pub(crate) fn write_values(
    s: &PrepareSettings,
    sp: &Spill,
    kept: &KeptSamples,
    vocab: &Vocabulary,
) -> Result<()> {
    let (ns, ng) = (sp.n_samples, sp.n_genes);
    let mut r = open(s)?;
    let mut row = MatrixRow::default();
    let mut bytes = Vec::new();
    let pb = bar(s.progress, None, "GeneRAIN pass 3/5: normalised values");
    match r.orientation() {
        Orientation::GenesBySamples => {
            let mut vals = vec![0f32; ns];
            let mut g = 0;
            while next(&mut r, &mut row)? {
                if let Some(k) = vocab.of_input[g] {
                    for (j, (&i, &sc)) in kept.input.iter().zip(&kept.scale).enumerate() {
                        vals[j] = normalise(row.values[i], sc);
                    }
                    f32_bytes(&vals, &mut bytes);
                    write_at(&sp.values, &bytes, (k * ns * 4) as u64).map_err(sp.io("write"))?;
                }
                g += 1;
                pb.inc(1);
            }
        }
        Orientation::SamplesByGenes => {
            let block = (budget(s) / (ng * 8)).clamp(1, ns);
            let mut buf: Vec<f32> = Vec::with_capacity(block * ng);
            let (mut s_in, mut j0) = (0, 0);
            let mut col = vec![0f32; block];
            let mut flush = |buf: &mut Vec<f32>, j0: usize| -> Result<()> {
                let len = buf.len() / ng;
                for k in 0..ng {
                    for jl in 0..len {
                        col[jl] = buf[jl * ng + k];
                    }
                    f32_bytes(&col[..len], &mut bytes);
                    write_at(&sp.values, &bytes, ((k * ns + j0) * 4) as u64)
                        .map_err(sp.io("write"))?;
                }
                buf.clear();
                Ok(())
            };
            while next(&mut r, &mut row)? {
                if let Some(j) = kept.of_input[s_in] {
                    let sc = kept.scale[j];
                    buf.extend(vocab.input.iter().map(|&g| normalise(row.values[g], sc)));
                    if buf.len() == block * ng {
                        flush(&mut buf, j0)?;
                        j0 += block;
                    }
                }
                s_in += 1;
                pb.inc(1);
            }
            if !buf.is_empty() {
                flush(&mut buf, j0)?;
            }
        }
    }
    pb.finish_and_clear();
    Ok(())
}

/// Pass 4: Binning-By-Gene per block of whole genes (or, with a reference, its bins); returns
/// the reference values built (empty with a reference).
pub(crate) fn bin_genes(
    s: &PrepareSettings,
    sp: &Spill,
    reference: Option<&BinReference>,
) -> Result<Vec<Vec<f64>>> {
    let (ns, ng) = (sp.n_samples, sp.n_genes);
    // per cell: f32 read + two f64 copies (rows, matrix) + u16 bins + sort index
    let block = (budget(s) / (ns * 40)).clamp(1, ng);
    let cfg = RefConfig {
        fraction: s.ref_fraction,
        min_keep: s.ref_min_keep,
        n_bins: s.gene_bins,
    };
    let pb = bar(
        s.progress,
        Some(ng as u64),
        "GeneRAIN pass 4/5: Binning-By-Gene",
    );
    let mut kept = Vec::new();
    let mut raw = Vec::new();
    for k0 in (0..ng).step_by(block) {
        let gb = block.min(ng - k0);
        raw.resize(gb * ns * 4, 0);
        read_at(&sp.values, &mut raw, (k0 * ns * 4) as u64).map_err(sp.io("read"))?;
        let vals: Vec<f64> = raw
            .chunks_exact(4)
            .map(|c| f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect();
        let bins: Vec<u16> = match reference {
            Some(r) => vals
                .iter()
                .enumerate()
                .map(|(i, &v)| r.bin_value(k0 + i / ns, v))
                .collect(),
            None => {
                let rows: Vec<Vec<f64>> = vals.chunks(ns).map(<[f64]>::to_vec).collect();
                drop(vals);
                let m =
                    ExprMatrix::from_rows(vec![String::new(); gb], vec![String::new(); ns], rows)?;
                kept.extend(BinReference::build(&m, cfg)?.kept);
                bin_by_gene(&m, s.gene_bins)?.bins
            }
        };
        let b: Vec<u8> = bins.iter().flat_map(|x| x.to_le_bytes()).collect();
        write_at(&sp.bins, &b, (k0 * ns * 2) as u64).map_err(sp.io("write"))?;
        pb.inc(gb as u64);
    }
    pb.finish_and_clear();
    Ok(kept)
}

/// Pass 5: per block of whole samples, [`top_genes`] and the records of `tokens.bin` (header
/// first; layout in [`super::prepared`]).
pub(crate) fn write_records(
    s: &PrepareSettings,
    sp: &Spill,
    top_n: usize,
    w: &mut dyn Write,
) -> Result<()> {
    let (ns, ng) = (sp.n_samples, sp.n_genes);
    let wio = |e| Error::Io {
        context: "writing tokens.bin".into(),
        source: e,
    };
    let mut h = Vec::with_capacity(HEADER_BYTES as usize);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&1u32.to_le_bytes());
    h.extend_from_slice(&(top_n as u32).to_le_bytes());
    h.extend_from_slice(&(ns as u64).to_le_bytes());
    h.extend_from_slice(&(ng as u32).to_le_bytes());
    h.extend_from_slice(&s.token_bins.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    w.write_all(&h).map_err(wio)?;
    let block = (budget(s) / (ng * 12)).clamp(1, ns);
    let pb = bar(
        s.progress,
        Some(ns as u64),
        "GeneRAIN pass 5/5: sample tokens",
    );
    let (mut vb, mut bb) = (vec![0f32; block * ng], vec![0u16; block * ng]);
    let (mut rv, mut rb) = (Vec::new(), Vec::new());
    for j0 in (0..ns).step_by(block) {
        let sb = block.min(ns - j0);
        rv.resize(sb * 4, 0);
        rb.resize(sb * 2, 0);
        for k in 0..ng {
            read_at(&sp.values, &mut rv, ((k * ns + j0) * 4) as u64).map_err(sp.io("read"))?;
            read_at(&sp.bins, &mut rb, ((k * ns + j0) * 2) as u64).map_err(sp.io("read"))?;
            for jl in 0..sb {
                vb[jl * ng + k] = f32::from_le_bytes([
                    rv[4 * jl],
                    rv[4 * jl + 1],
                    rv[4 * jl + 2],
                    rv[4 * jl + 3],
                ]);
                bb[jl * ng + k] = u16::from_le_bytes([rb[2 * jl], rb[2 * jl + 1]]);
            }
        }
        let recs: Vec<Vec<u8>> = (0..sb)
            .into_par_iter()
            .map(|jl| -> Result<Vec<u8>> {
                let vals: Vec<f64> = vb[jl * ng..(jl + 1) * ng]
                    .iter()
                    .map(|&x| f64::from(x))
                    .collect();
                let t = top_genes(&bb[jl * ng..(jl + 1) * ng], &vals, top_n, s.token_bins)?;
                let mut rec = Vec::with_capacity(6 * top_n);
                rec.extend(t.genes.iter().flat_map(|g| g.to_le_bytes()));
                rec.extend(t.bins.iter().flat_map(|b| b.to_le_bytes()));
                Ok(rec)
            })
            .collect::<Result<_>>()?;
        for r in &recs {
            w.write_all(r).map_err(wio)?;
        }
        pb.inc(sb as u64);
    }
    pb.finish_and_clear();
    Ok(())
}
