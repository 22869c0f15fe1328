//! Per-sample gene selection and re-binning, and the z-score + direct-quantile variant.

use super::{BinnedMatrix, ExprMatrix};
use crate::error::{Error, Result};
use rayon::prelude::*;

/// The model input of one sample: genes in descending expression order with their bins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleTokens {
    /// Gene indices (matrix rows), highest first.
    pub genes: Vec<u32>,
    /// Re-binned values, `1..=n_bins`; 1 for unexpressed genes.
    pub bins: Vec<u16>,
    /// True where the gene is unexpressed (its gene bin was 1, i.e. value 0).
    pub unexpressed: Vec<bool>,
}

/// Per-sample selection of the `top_n` genes (GeneRAIN: 2048) and re-binning into `n_bins`
/// quantile bins (GeneRAIN: 100).
///
/// Genes are ordered by gene bin (from [`super::bin_by_gene`]) descending, then normalised value
/// descending, then gene index ascending; the first `top_n` are kept. Among the kept genes
/// the `e` expressed ones (gene bin > 1) are ranked ascending (the reverse of that order) and
/// rank `r` gets bin `2 + floor(r · (n_bins − 1) / e)`; unexpressed genes stay at bin 1 and are
/// flagged (they fill the list only when fewer than `top_n` genes are expressed).
///
/// ```
/// use seqenc::binning::top_genes;
/// let t = top_genes(&[1, 7, 3, 9], &[0.0, 2.0, 1.0, 3.0], 3, 3).unwrap();
/// assert_eq!(t.genes, vec![3, 1, 2]);
/// assert_eq!(t.bins, vec![3, 2, 2]); // 3 expressed: ranks 0,1,2 -> 2+0, 2+0, 2+1 (ascending)
/// assert_eq!(t.unexpressed, vec![false; 3]);
/// ```
pub fn top_genes(
    gene_bins: &[u16],
    values: &[f64],
    top_n: usize,
    n_bins: u16,
) -> Result<SampleTokens> {
    if gene_bins.len() != values.len() {
        return Err(Error::Ragged {
            origin: "<sample>".into(),
            line: 1,
            expected: gene_bins.len(),
            found: values.len(),
        });
    }
    if n_bins < 2 {
        return Err(Error::InvalidArgument(format!(
            "n_bins must be >= 2, got {n_bins}"
        )));
    }
    if let Some((g, &v)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::BadValue {
            origin: "<sample>".into(),
            row: g,
            col: 0,
            value: v,
        });
    }
    let mut order: Vec<usize> = (0..gene_bins.len()).collect();
    order.sort_by(|&a, &b| {
        gene_bins[b]
            .cmp(&gene_bins[a])
            .then(values[b].total_cmp(&values[a]))
            .then(a.cmp(&b))
    });
    order.truncate(top_n);
    let e = order.iter().filter(|&&g| gene_bins[g] > 1).count();
    let b = u64::from(n_bins) - 1;
    let bins = order
        .iter()
        .enumerate()
        .map(|(i, &g)| {
            if gene_bins[g] > 1 {
                let r = (e - 1 - i) as u64; // expressed genes come first, in descending order
                (2 + r * b / e as u64) as u16
            } else {
                1
            }
        })
        .collect();
    Ok(SampleTokens {
        unexpressed: order.iter().map(|&g| gene_bins[g] <= 1).collect(),
        genes: order.iter().map(|&g| g as u32).collect(),
        bins,
    })
}

/// The z-score + direct-quantile variant: every gene is z-scored across samples
/// (`(x − mean) / sd`, population sd; a constant gene gives 0), then all z-scores of the
/// matrix are sorted together (stable: ties keep gene-major order) and rank `r` of `N` gets
/// bin `1 + floor(r · n_bins / N)` — equal-count quantile bins `1..=n_bins` with no special
/// zero bin. Input is usually the output of [`ExprMatrix::normalize_log`].
///
/// ```
/// use seqenc::binning::{ExprMatrix, zscore_quantile_bins};
/// let m = ExprMatrix::from_rows(vec!["g".into(), "h".into()], vec!["a".into(), "b".into()],
///     vec![vec![1.0, 3.0], vec![5.0, 5.0]]).unwrap();
/// // z: g = (-1, 1), h = (0, 0); sorted: -1, 0, 0, 1 -> bins 1, 1, 2, 2 with 2 bins
/// assert_eq!(zscore_quantile_bins(&m, 2).unwrap().bins, vec![1, 2, 1, 2]);
/// ```
pub fn zscore_quantile_bins(m: &ExprMatrix, n_bins: u16) -> Result<BinnedMatrix> {
    if n_bins < 1 {
        return Err(Error::InvalidArgument("n_bins must be >= 1".into()));
    }
    let ns = m.n_samples();
    let z: Vec<f64> = (0..m.n_genes())
        .into_par_iter()
        .flat_map_iter(|g| {
            let v = m.gene(g);
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let sd = (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt();
            v.iter()
                .map(move |x| if sd > 0.0 { (x - mean) / sd } else { 0.0 })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut order: Vec<usize> = (0..z.len()).collect();
    order.par_sort_by(|&a, &b| z[a].total_cmp(&z[b]));
    let total = z.len() as u64;
    let mut bins = vec![1u16; z.len()];
    for (r, &i) in order.iter().enumerate() {
        bins[i] = (1 + r as u64 * u64::from(n_bins) / total) as u16;
    }
    Ok(BinnedMatrix {
        n_genes: m.n_genes(),
        n_samples: ns,
        bins,
    })
}
