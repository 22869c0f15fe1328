//! Applying a trained model directory to a genome + annotation.

use std::path::Path;

use crate::error::{Error, Result};
use crate::mirex::{MirnaInputs, mirna_matrix};
use crate::model_dir::ModelDir;
use crate::prepare::{Prepared, prepare};

/// Rebuilds the inputs of `dir`'s model for every gene of `fasta` + `gtf` (with labels from
/// `expression` when given) and predicts them: `(inputs, [n, outputs] predictions)`.
///
/// A miREx model needs its miRNA inputs (`mirna`); they are restricted to the miRNAs it was
/// trained with, in its order.
pub fn predict_genes(
    dir: &ModelDir,
    fasta: &Path,
    gtf: &Path,
    expression: Option<&Path>,
    mirna: Option<&MirnaInputs>,
    chrom_alias: bool,
) -> Result<(Prepared, Vec<f64>)> {
    let opts = dir.spec.prep_options(chrom_alias)?;
    let mut prepared = prepare(fasta, gtf, expression, &opts)?;
    if !dir.spec.mirnas.is_empty() {
        let Some(m) = mirna else {
            return Err(Error::Usage(format!(
                "this is a miREx model ({} miRNAs): give --targetscan and --mirna-expression",
                dir.spec.mirnas.len()
            )));
        };
        let feats = mirna_matrix(&prepared, m, Some(&dir.spec.mirnas))?;
        prepared.append_features(&feats.values, feats.mirnas.len())?;
    }
    let y = dir.predict(&prepared)?;
    Ok((prepared, y))
}
