//! Binning-By-Gene and binning new samples against a stored reference.

use super::ExprMatrix;
use crate::error::{Error, Result};
use rayon::prelude::*;

/// Bins of a genes × samples matrix, gene-major like [`ExprMatrix`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinnedMatrix {
    /// Number of genes (rows).
    pub n_genes: usize,
    /// Number of samples (columns).
    pub n_samples: usize,
    /// Bins, `bins[g * n_samples + s]`, each in `1..=n_bins`.
    pub bins: Vec<u16>,
}

impl BinnedMatrix {
    /// Bin of gene `g` in sample `s`.
    pub fn get(&self, g: usize, s: usize) -> u16 {
        self.bins[g * self.n_samples + s]
    }
}

/// The equal-count bin of 0-based rank `r` among `n` non-zero values: `2 + floor(r·(B−1)/n)`
/// with `B = n_bins`, so ranks are cut into `B − 1` bins `2..=B` whose sizes differ by ≤ 1.
fn rank_bin(r: usize, n: usize, n_bins: u16) -> u16 {
    let b = u64::from(n_bins) - 1;
    (2 + (r as u64 * b) / n as u64) as u16
}

fn check_bins(n_bins: u16) -> Result<()> {
    if n_bins < 2 {
        return Err(Error::InvalidArgument(format!(
            "n_bins must be >= 2, got {n_bins}"
        )));
    }
    Ok(())
}

/// Binning-By-Gene (GeneRAIN): for every gene, across all samples, a zero value gets bin 1;
/// the non-zero values are sorted ascending and their 0-based rank `r` (of `n`) gives bin
/// `2 + floor(r · (n_bins − 1) / n)`, i.e. `n_bins − 1` equal-count bins `2..=n_bins`
/// (GeneRAIN: `n_bins = 2000`). **Ties** are broken by sort order: a stable sort by value, so
/// equal values keep sample order and may land in adjacent bins. Input is usually the output
/// of [`ExprMatrix::normalize_log`]. Genes are processed in parallel.
///
/// ```
/// use seqenc::binning::{ExprMatrix, bin_by_gene};
/// let m = ExprMatrix::from_rows(vec!["g".into()], (0..5).map(|i| i.to_string()).collect(),
///     vec![vec![0.0, 3.0, 1.0, 2.0, 0.0]]).unwrap();
/// // non-zero values 1,2,3 get ranks 0,1,2 -> bins 2, 2+floor(1*4/3)=3, 2+floor(2*4/3)=4
/// assert_eq!(bin_by_gene(&m, 5).unwrap().bins, vec![1, 4, 2, 3, 1]);
/// ```
pub fn bin_by_gene(m: &ExprMatrix, n_bins: u16) -> Result<BinnedMatrix> {
    check_bins(n_bins)?;
    let ns = m.n_samples();
    let mut bins = vec![1u16; m.n_genes() * ns];
    if ns > 0 {
        bins.par_chunks_mut(ns).enumerate().for_each(|(g, out)| {
            let vals = m.gene(g);
            let mut order: Vec<usize> = (0..ns).filter(|&s| vals[s] > 0.0).collect();
            order.sort_by(|&a, &b| vals[a].total_cmp(&vals[b])); // stable: ties keep sample order
            let n = order.len();
            for (r, &s) in order.iter().enumerate() {
                out[s] = rank_bin(r, n, n_bins);
            }
        });
    }
    Ok(BinnedMatrix {
        n_genes: m.n_genes(),
        n_samples: ns,
        bins,
    })
}

/// How much of each gene's distribution a [`BinReference`] keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefConfig {
    /// Fraction of each gene's non-zero values kept (GeneRAIN keeps 0.5 % of samples: 0.005).
    pub fraction: f64,
    /// Keep at least this many values per gene (capped at the number of non-zero values); our
    /// addition so that small cohorts still get a usable reference.
    pub min_keep: usize,
    /// Number of bins (GeneRAIN: 2000).
    pub n_bins: u16,
}

impl Default for RefConfig {
    fn default() -> Self {
        RefConfig {
            fraction: 0.005,
            min_keep: 100,
            n_bins: 2000,
        }
    }
}

/// A stored per-gene reference for binning new samples: for every gene, `m` evenly spaced
/// order statistics of its sorted non-zero training values (`m = max(ceil(fraction·n),
/// min_keep)`, capped at `n`; the value at rank `floor((i + 0.5)·n/m)` for `i < m`).
///
/// A new value `v` of gene `g`: 0 → bin 1; otherwise `p = #{kept values < v}` gives bin
/// `2 + floor(p · (n_bins − 1) / m)`, clamped to `2..=n_bins` (the rule of [`bin_by_gene`]
/// with `p` as the rank); a gene with no non-zero reference value puts every non-zero value
/// in `n_bins`. With `fraction = 1` the training values get exactly their [`bin_by_gene`]
/// bins when a gene's values are distinct (tied values all get the bin of the first of the
/// tie).
///
/// ```
/// use seqenc::binning::{BinReference, ExprMatrix, RefConfig};
/// let m = ExprMatrix::from_rows(vec!["g".into()], (0..4).map(|i| i.to_string()).collect(),
///     vec![vec![1.0, 2.0, 3.0, 4.0]]).unwrap();
/// let r = BinReference::build(&m, RefConfig { fraction: 1.0, min_keep: 1, n_bins: 5 }).unwrap();
/// assert_eq!(r.bin_sample(&[0.0]).unwrap(), vec![1]);
/// assert_eq!(r.bin_sample(&[10.0]).unwrap(), vec![5]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BinReference {
    /// Gene ids, in matrix row order.
    pub genes: Vec<String>,
    /// Sorted kept non-zero values per gene.
    pub kept: Vec<Vec<f64>>,
    /// Number of bins.
    pub n_bins: u16,
}

impl BinReference {
    /// Builds the reference from a (normalised) training matrix.
    pub fn build(m: &ExprMatrix, cfg: RefConfig) -> Result<Self> {
        check_bins(cfg.n_bins)?;
        if !(cfg.fraction > 0.0 && cfg.fraction <= 1.0) {
            return Err(Error::InvalidArgument(format!(
                "fraction must be in (0, 1], got {}",
                cfg.fraction
            )));
        }
        let kept = (0..m.n_genes())
            .into_par_iter()
            .map(|g| {
                let mut nz: Vec<f64> = m.gene(g).iter().copied().filter(|&v| v > 0.0).collect();
                nz.sort_by(f64::total_cmp);
                let n = nz.len();
                let want = ((cfg.fraction * n as f64).ceil() as usize)
                    .max(cfg.min_keep)
                    .min(n);
                (0..want)
                    .map(|i| nz[((2 * i + 1) * n) / (2 * want)])
                    .collect()
            })
            .collect();
        Ok(BinReference {
            genes: m.genes.clone(),
            kept,
            n_bins: cfg.n_bins,
        })
    }

    /// Bin of value `v` for gene `g` (see the type's documentation).
    pub fn bin_value(&self, g: usize, v: f64) -> u16 {
        if v <= 0.0 {
            return 1;
        }
        let r = &self.kept[g];
        if r.is_empty() {
            return self.n_bins;
        }
        let lt = r.partition_point(|&x| x < v) as u64;
        let b = 2 + lt * u64::from(self.n_bins - 1) / r.len() as u64;
        b.min(u64::from(self.n_bins)) as u16
    }

    /// Bins one new sample (values in reference gene order, already normalised like the
    /// training data). Wrong length or non-finite/negative values are errors.
    pub fn bin_sample(&self, values: &[f64]) -> Result<Vec<u16>> {
        if values.len() != self.kept.len() {
            return Err(Error::Ragged {
                origin: "<sample>".into(),
                line: 1,
                expected: self.kept.len(),
                found: values.len(),
            });
        }
        values
            .iter()
            .enumerate()
            .map(|(g, &v)| {
                if v.is_finite() && v >= 0.0 {
                    Ok(self.bin_value(g, v))
                } else {
                    Err(Error::BadValue {
                        origin: "<sample>".into(),
                        row: g,
                        col: 0,
                        value: v,
                    })
                }
            })
            .collect()
    }
}
