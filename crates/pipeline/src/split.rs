//! The seeded 80/10/10 gene split, stratified by label quartile.

use datasets::splits::{Split, SplitConfig, stratified_split};

use crate::error::{Error, Result};
use crate::prepare::Prepared;

/// Row indices of the train, validation and test genes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitRows {
    /// Training rows.
    pub train: Vec<usize>,
    /// Validation rows.
    pub valid: Vec<usize>,
    /// Test rows.
    pub test: Vec<usize>,
}

/// Seeded train / validation / test assignment of `labels` (stratified by label quartile).
pub fn split(labels: &[f64], cfg: &SplitConfig) -> Result<Vec<Split>> {
    let mut sorted: Vec<f64> = labels.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return Err(Error::Usage("no genes to split".into()));
    }
    let q = |p: f64| sorted[((sorted.len() - 1) as f64 * p) as usize];
    let cuts = [q(0.25), q(0.5), q(0.75)];
    let strata: Vec<u8> = labels
        .iter()
        .map(|&y| cuts.iter().filter(|&&c| y > c).count() as u8)
        .collect();
    Ok(stratified_split(&strata, None::<&[u8]>, cfg)?)
}

/// The seeded 80/10/10 split of `p`, stratified by the quartile of its first label column.
///
/// Errors when a gene has a non-finite label (naming the gene and the column) or when there
/// are too few genes for three non-empty parts.
pub fn split_rows(p: &Prepared, seed: u64) -> Result<SplitRows> {
    let k = p.n_outputs();
    if let Some(i) = p.labels.iter().position(|y| !y.is_finite()) {
        return Err(Error::Usage(format!(
            "gene {} has no finite expression label in column {:?}",
            p.windows[i / k].gene_id,
            p.label_names.get(i % k).map_or("", String::as_str)
        )));
    }
    if p.len() < 10 {
        return Err(Error::Usage(format!(
            "too few genes ({}) for a train/validation/test split",
            p.len()
        )));
    }
    let split_cfg = SplitConfig {
        train: 0.8,
        valid: 0.1,
        test: 0.1,
        seed,
    };
    let first: Vec<f64> = p.labels.iter().step_by(k).copied().collect();
    let splits = split(&first, &split_cfg)?;
    let rows = |s: Split| (0..p.len()).filter(|&i| splits[i] == s).collect::<Vec<_>>();
    let r = SplitRows {
        train: rows(Split::Train),
        valid: rows(Split::Valid),
        test: rows(Split::Test),
    };
    if r.train.is_empty() || r.valid.is_empty() || r.test.is_empty() {
        return Err(Error::Usage(format!(
            "too few genes ({}) for a train/validation/test split",
            p.len()
        )));
    }
    Ok(r)
}
