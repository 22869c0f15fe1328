//! GeneRAIN expression binning.
//!
//! Pipeline: [`ExprMatrix`] (genes × samples, raw counts) → [`ExprMatrix::normalize_log`]
//! (library size to 10 M, `log10(x + 1)`) → [`bin_by_gene`] (Binning-By-Gene, bins 1..=2000)
//! → [`top_genes`] (per sample: the 2048 highest genes, re-binned into 100 bins). New samples
//! are binned against a stored [`BinReference`]; [`zscore_quantile_bins`] is the z-score +
//! direct-quantile variant. See each item for the exact rule.
//!
//! # Worked example (Binning-By-Gene, one gene, 8 samples, `n_bins = 5`)
//!
//! Zeros get bin 1. The 6 non-zero values are sorted with a stable sort (ties keep sample
//! order) and rank `r` gets `2 + floor(r · (5 − 1) / 6)`:
//!
//! | sample | s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7 |
//! |---|---|---|---|---|---|---|---|---|
//! | value | 0 | 5 | 2 | 2 | 0 | 9 | 3 | 2 |
//! | rank of non-zero | – | 4 | 0 | 1 | – | 5 | 3 | 2 |
//! | bin | 1 | 4 | 2 | 2 | 1 | 5 | 4 | 3 |
//!
//! The three tied `2`s take ranks 0, 1, 2 in sample order, so `s7` lands in bin 3 while `s2`
//! and `s3` stay in bin 2: that is what "ties broken by sort order" means here. Bins 2..=5
//! hold 2, 1, 2, 1 values (equal counts within ±1). This table is checked by the test
//! `hand_checked_table`.
//!
//! ```
//! use seqenc::binning::{ExprMatrix, bin_by_gene};
//! let m = ExprMatrix::from_rows(vec!["g".into()], (0..8).map(|i| format!("s{i}")).collect(),
//!     vec![vec![0.0, 5.0, 2.0, 2.0, 0.0, 9.0, 3.0, 2.0]]).unwrap();
//! assert_eq!(bin_by_gene(&m, 5).unwrap().bins, vec![1, 4, 2, 2, 1, 5, 4, 3]);
//! ```

mod by_gene;
mod inputs;
mod mask;
mod sample;

pub use by_gene::{BinReference, BinnedMatrix, RefConfig, bin_by_gene};
pub use inputs::{
    EXPR_MASK_ID, GENE_OFFSET, GENERAIN_MAX_LEN, GENERAIN_N_BINS, GeneRainModel, IGNORE_INDEX,
    InputConfig, MAX_GENES, MAX_LEN_LIMIT, ModelInput, PAD_ID, gene_token, position_table,
    token_gene, vocab_size,
};
pub use mask::{MaskAction, MaskConfig, Masked, bert_mask};
pub use sample::{SampleTokens, top_genes, zscore_quantile_bins};

use crate::error::{Error, Result};
use std::io::BufRead;

/// GeneRAIN's library size after normalisation.
pub const LIBRARY_SIZE: f64 = 1e7;

/// A dense genes × samples matrix of non-negative finite values, stored gene-major:
/// `values[g * n_samples + s]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprMatrix {
    /// Gene ids (rows).
    pub genes: Vec<String>,
    /// Sample ids (columns).
    pub samples: Vec<String>,
    /// Values, gene-major.
    pub values: Vec<f64>,
}

impl ExprMatrix {
    /// Builds a matrix from rows (one per gene); ragged rows and NaN/infinite/negative values
    /// are errors.
    ///
    /// ```
    /// use seqenc::binning::ExprMatrix;
    /// let m = ExprMatrix::from_rows(vec!["g1".into()], vec!["s1".into(), "s2".into()], vec![vec![1.0, 0.0]]).unwrap();
    /// assert_eq!(m.get(0, 0), 1.0);
    /// assert!(ExprMatrix::from_rows(vec!["g".into()], vec!["s".into()], vec![vec![f64::NAN]]).is_err());
    /// ```
    pub fn from_rows(
        genes: Vec<String>,
        samples: Vec<String>,
        rows: Vec<Vec<f64>>,
    ) -> Result<Self> {
        if rows.len() != genes.len() {
            return Err(Error::InvalidArgument(format!(
                "{} gene ids for {} rows",
                genes.len(),
                rows.len()
            )));
        }
        let mut values = Vec::with_capacity(rows.len() * samples.len());
        for (g, r) in rows.iter().enumerate() {
            if r.len() != samples.len() {
                return Err(Error::Ragged {
                    origin: "<memory>".into(),
                    line: g + 1,
                    expected: samples.len(),
                    found: r.len(),
                });
            }
            for (s, &v) in r.iter().enumerate() {
                check_value(v, "<memory>", g, s)?;
            }
            values.extend_from_slice(r);
        }
        Ok(ExprMatrix {
            genes,
            samples,
            values,
        })
    }

    /// Reads a TSV: header `gene_id<TAB>sample…`, then one row per gene
    /// (`id<TAB>value…`). Errors name the line.
    ///
    /// ```
    /// let tsv = "gene_id\tA\tB\ng1\t5\t0\ng2\t1\t3\n";
    /// let m = seqenc::binning::ExprMatrix::read_tsv(tsv.as_bytes(), "<inline>").unwrap();
    /// assert_eq!((m.n_genes(), m.n_samples()), (2, 2));
    /// ```
    pub fn read_tsv<R: BufRead>(reader: R, origin: &str) -> Result<Self> {
        let mut lines = reader.lines();
        let io = |line: usize, e: std::io::Error| Error::Parse {
            origin: origin.to_string(),
            line,
            message: e.to_string(),
        };
        let header = match lines.next() {
            Some(h) => h.map_err(|e| io(1, e))?,
            None => {
                return Err(Error::Parse {
                    origin: origin.into(),
                    line: 1,
                    message: "empty file".into(),
                });
            }
        };
        let samples: Vec<String> = header
            .trim_end_matches('\r')
            .split('\t')
            .skip(1)
            .map(String::from)
            .collect();
        let (mut genes, mut values) = (Vec::new(), Vec::new());
        for (i, line) in lines.enumerate() {
            let ln = i + 2;
            let line = line.map_err(|e| io(ln, e))?;
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            genes.push(f.next().unwrap_or_default().to_string());
            let row: Vec<&str> = f.collect();
            if row.len() != samples.len() {
                return Err(Error::Ragged {
                    origin: origin.into(),
                    line: ln,
                    expected: samples.len(),
                    found: row.len(),
                });
            }
            for (s, x) in row.iter().enumerate() {
                let v: f64 = x.trim().parse().map_err(|_| Error::Parse {
                    origin: origin.into(),
                    line: ln,
                    message: format!("column {}: {x:?} is not a number", s + 2),
                })?;
                check_value(v, origin, genes.len() - 1, s)?;
                values.push(v);
            }
        }
        Ok(ExprMatrix {
            genes,
            samples,
            values,
        })
    }

    /// Number of genes (rows).
    pub fn n_genes(&self) -> usize {
        self.genes.len()
    }

    /// Number of samples (columns).
    pub fn n_samples(&self) -> usize {
        self.samples.len()
    }

    /// Value of gene `g` in sample `s`.
    pub fn get(&self, g: usize, s: usize) -> f64 {
        self.values[g * self.n_samples() + s]
    }

    /// The values of gene `g` across samples.
    pub fn gene(&self, g: usize) -> &[f64] {
        let n = self.n_samples();
        &self.values[g * n..(g + 1) * n]
    }

    /// The values of sample `s` across genes (a copy).
    pub fn sample(&self, s: usize) -> Vec<f64> {
        (0..self.n_genes()).map(|g| self.get(g, s)).collect()
    }

    /// GeneRAIN normalisation: each sample is scaled to a library size of `library_size`
    /// (10 M in GeneRAIN, [`LIBRARY_SIZE`]) then `log10(x + 1)`. A sample whose counts sum to
    /// zero stays all zero.
    ///
    /// ```
    /// let m = seqenc::binning::ExprMatrix::from_rows(vec!["a".into(), "b".into()], vec!["s".into()],
    ///     vec![vec![1.0], vec![3.0]]).unwrap();
    /// let n = m.normalize_log(1e7);
    /// assert!((n.get(0, 0) - (2.5e6f64 + 1.0).log10()).abs() < 1e-12);
    /// ```
    pub fn normalize_log(&self, library_size: f64) -> ExprMatrix {
        let (ng, ns) = (self.n_genes(), self.n_samples());
        let mut lib = vec![0.0f64; ns];
        for g in 0..ng {
            for (s, l) in lib.iter_mut().enumerate() {
                *l += self.values[g * ns + s];
            }
        }
        let mut values = self.values.clone();
        for g in 0..ng {
            for s in 0..ns {
                let v = &mut values[g * ns + s];
                *v = if lib[s] > 0.0 {
                    (*v * library_size / lib[s] + 1.0).log10()
                } else {
                    0.0
                };
            }
        }
        ExprMatrix {
            genes: self.genes.clone(),
            samples: self.samples.clone(),
            values,
        }
    }
}

fn check_value(v: f64, origin: &str, row: usize, col: usize) -> Result<()> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(Error::BadValue {
            origin: origin.to_string(),
            row,
            col,
            value: v,
        })
    }
}
