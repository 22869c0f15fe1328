//! miREx: Xpresso with a miRNA vector concatenated after the convolutional part, and the
//! residual-based miRNA selection.
//!
//! The network is [`Xpresso`](crate::Xpresso) with a longer side-feature vector:
//! `[flatten(conv) ‖ gene features ‖ selected miRNA values]` ([`mirex_config`],
//! [`append_mirna_features`]).
//!
//! **Selection, without leakage.** Fit a baseline (Xpresso without miRNAs), predict the
//! *training* genes, take residuals `r = y − ŷ` (observed minus predicted: positive = the gene is
//! more expressed than the baseline expects) and correlate them (Spearman) with every miRNA's
//! per-gene values over the same training genes.
//!
//! * [`MirnaSelection::TopK`]: a repressing miRNA makes its targets *less* expressed than
//!   predicted. Its targeting strength is `|x_i|` (TargetScan's context++ scores are negative,
//!   so miREx's `x_i = score × expression` is ≤ 0; the 0/1 "targeted" weight gives ≥ 0; the
//!   magnitude covers both), so repression shows as a negative ρ(r, |x_i|); keep the `k`
//!   miRNAs with the most negative ρ. (The original code used test-gene residuals with the
//!   flipped sign ŷ − y; here the selection sees training genes only and the sign convention is
//!   the one stated.)
//! * [`MirnaSelection::AbsCorr`]: ρ(|r|, |x_i|), keep the `k` highest (miRNAs associated with
//!   large errors of either sign).
//! * [`MirnaSelection::AllMirna`]: keep every miRNA.

use crate::data::{XpressoData, data_err};
use crate::xpresso::XpressoConfig;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Which miRNAs to feed to miREx.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MirnaSelection {
    /// The `k` most negative Spearman ρ between residual `y − ŷ` and `|x_i|`.
    TopK(usize),
    /// The `k` highest Spearman ρ between `|y − ŷ|` and `|x_i|`.
    AbsCorr(usize),
    /// All miRNAs.
    AllMirna,
}

impl MirnaSelection {
    /// The published default: `TopK(10)`.
    pub fn published() -> Self {
        Self::TopK(10)
    }
}

/// A selected miRNA with its correlation (NaN for [`MirnaSelection::AllMirna`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectedMirna {
    /// Column index in the gene × miRNA matrix.
    pub index: usize,
    /// Spearman ρ used for ranking.
    pub rho: f64,
}

/// Residuals `y − ŷ` (observed minus predicted).
pub fn residuals(y: &[f32], y_hat: &[f32]) -> Vec<f64> {
    y.iter()
        .zip(y_hat)
        .map(|(&a, &b)| f64::from(a) - f64::from(b))
        .collect()
}

/// Spearman rank correlation: evalkit's (average ranks for ties), as `None` for fewer than 2
/// points, unequal lengths, non-finite values or a constant input.
///
/// ```
/// let rho = models::mirex::spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 40.0]).unwrap();
/// assert!((rho - 1.0).abs() < 1e-12);
/// ```
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    evalkit::spearman(a, b).ok().filter(|r| r.is_finite())
}

/// Selects miRNAs from TRAINING-gene residuals with [`spearman`] (evalkit's).
///
/// `mirna` is the training genes' gene × miRNA matrix, row-major `[n_genes, n_mirna]`, rows in
/// the same order as `residual`.
pub fn select_mirnas(
    residual: &[f64],
    mirna: &[f32],
    n_mirna: usize,
    selection: MirnaSelection,
) -> Result<Vec<SelectedMirna>> {
    select_mirnas_with(residual, mirna, n_mirna, selection, spearman)
}

/// [`select_mirnas`] with a caller-supplied correlation. miRNAs whose
/// correlation is undefined (constant column) are never selected by `TopK`/`AbsCorr`.
pub fn select_mirnas_with(
    residual: &[f64],
    mirna: &[f32],
    n_mirna: usize,
    selection: MirnaSelection,
    corr: impl Fn(&[f64], &[f64]) -> Option<f64>,
) -> Result<Vec<SelectedMirna>> {
    let n = residual.len();
    if n_mirna == 0 || mirna.len() != n * n_mirna {
        return Err(data_err(
            "miRNA matrix",
            format!("{} values for {n} genes x {n_mirna} miRNAs", mirna.len()),
        ));
    }
    if let Some(i) = residual.iter().position(|v| !v.is_finite()) {
        return Err(data_err(
            "residuals",
            format!("residual of gene {i} is not finite"),
        ));
    }
    let (target, k, sign) = match selection {
        MirnaSelection::AllMirna => {
            return Ok((0..n_mirna)
                .map(|index| SelectedMirna {
                    index,
                    rho: f64::NAN,
                })
                .collect());
        }
        MirnaSelection::TopK(k) => (residual.to_vec(), k, -1.0),
        MirnaSelection::AbsCorr(k) => (residual.iter().map(|r| r.abs()).collect(), k, 1.0),
    };
    if k == 0 {
        return Err(Error::Config("miRNA selection k must be > 0".into()));
    }
    let mut scored: Vec<SelectedMirna> = (0..n_mirna)
        .filter_map(|j| {
            let col: Vec<f64> = (0..n)
                .map(|i| f64::from(mirna[i * n_mirna + j]).abs())
                .collect();
            corr(&target, &col).map(|rho| SelectedMirna { index: j, rho })
        })
        .collect();
    // Highest sign*rho first; ties broken by column index for determinism.
    scored.sort_by(|a, b| {
        (sign * b.rho)
            .total_cmp(&(sign * a.rho))
            .then(a.index.cmp(&b.index))
    });
    scored.truncate(k);
    Ok(scored)
}

/// The miREx architecture: `base` with `n_selected` extra side features.
pub fn mirex_config(base: &XpressoConfig, n_selected: usize) -> XpressoConfig {
    XpressoConfig {
        n_features: base.n_features + n_selected,
        ..base.clone()
    }
}

/// Appends the selected miRNA columns of `mirna` (`[data.n, n_mirna]`, row-major, rows in
/// `data`'s order) after the existing side features.
pub fn append_mirna_features(
    data: &XpressoData,
    mirna: &[f32],
    n_mirna: usize,
    selected: &[SelectedMirna],
) -> Result<XpressoData> {
    if mirna.len() != data.n * n_mirna {
        return Err(data_err(
            "miRNA matrix",
            format!(
                "{} values for {} genes x {n_mirna} miRNAs",
                mirna.len(),
                data.n
            ),
        ));
    }
    if let Some(s) = selected.iter().find(|s| s.index >= n_mirna) {
        return Err(data_err(
            "miRNA selection",
            format!("index {} >= {n_mirna}", s.index),
        ));
    }
    let f = data.n_features + selected.len();
    let mut features = Vec::with_capacity(data.n * f);
    for i in 0..data.n {
        features.extend_from_slice(&data.features[i * data.n_features..(i + 1) * data.n_features]);
        features.extend(selected.iter().map(|s| mirna[i * n_mirna + s.index]));
    }
    Ok(XpressoData {
        features,
        n_features: f,
        ..data.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_ties_and_constant() {
        // ranks of [1,2,2,3] are [1,2.5,2.5,4]; against itself rho = 1
        let a = [1.0, 2.0, 2.0, 3.0];
        assert!((spearman(&a, &a).unwrap() - 1.0).abs() < 1e-12);
        assert!(spearman(&a, &[1.0; 4]).is_none());
        let rev = [3.0, 2.0, 2.0, 1.0];
        assert!((spearman(&a, &rev).unwrap() + 1.0).abs() < 1e-12);
    }

    #[test]
    fn topk_prefers_repressors() {
        // 5 genes, 3 miRNAs: column 0 targets the genes below prediction most strongly (a
        // repressor; negative context++-style values), column 1 those above it, column 2 is
        // constant (undefined correlation, never selected).
        let r = [-2.0, -1.0, 0.0, 1.0, 2.0];
        let mut m = Vec::new();
        for &ri in &r {
            m.extend_from_slice(&[(ri - 3.0) as f32, -(ri + 3.0) as f32, 1.0]);
        }
        let top = select_mirnas(&r, &m, 3, MirnaSelection::TopK(1)).unwrap();
        assert_eq!(top[0].index, 0);
        assert!((top[0].rho + 1.0).abs() < 1e-12);
        let all = select_mirnas(&r, &m, 3, MirnaSelection::AllMirna).unwrap();
        assert_eq!(all.len(), 3);
        let abs = select_mirnas(&r, &m, 3, MirnaSelection::AbsCorr(5)).unwrap();
        assert_eq!(abs.len(), 2);
    }
}
