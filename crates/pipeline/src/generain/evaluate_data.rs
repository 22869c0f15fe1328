//! Inputs of the evaluation: embedding tables on a common vocabulary, gene sets mapped to it,
//! and the expression baselines.

use std::collections::HashMap;
use std::path::Path;

use evalkit::embedding::{Matrix, pca, truncated_svd};
use genome_io::expression::{Delimiter, ExpressionTable, TableOptions, open_table};
use genome_io::gmt::GeneSet;

use super::EvaluateError;
use crate::Result;

/// The embeddings restricted to the genes common to all inputs, in the first table's order.
pub(super) struct Vocabulary {
    /// Unversioned gene ids.
    pub ids: Vec<String>,
    /// Symbols (from the first embedding table).
    pub symbols: Vec<String>,
}

/// One embedding table read with the embedding layout (`gene_id symbol d0 …`, header line).
pub(super) fn read_embedding(path: &Path) -> Result<ExpressionTable> {
    let opts = TableOptions {
        delimiter: Delimiter::Tab,
        name_column: Some(1),
        strip_version: true,
        ..Default::default()
    };
    let t = open_table(path, &opts)?;
    let bad = |msg: &str| EvaluateError::EmbeddingTable {
        path: path.to_path_buf(),
        msg: msg.into(),
    };
    if t.gene_names().is_none() {
        return Err(bad("no symbol column (expected `gene_id symbol d0 d1 …`)").into());
    }
    if t.n_columns() == 0 {
        return Err(bad("no dimension column after `gene_id symbol`").into());
    }
    if t.n_genes() == 0 {
        return Err(bad("no gene rows").into());
    }
    Ok(t)
}

/// The expression matrix (genes × samples, `gene_id` then one column per sample).
pub(super) fn read_expression(path: &Path) -> Result<ExpressionTable> {
    let opts = TableOptions {
        strip_version: true,
        ..Default::default()
    };
    Ok(open_table(path, &opts)?)
}

/// Genes in every table (and the expression matrix), in the first table's order.
pub(super) fn common_genes(
    tables: &[ExpressionTable],
    expression: Option<&ExpressionTable>,
    need: usize,
) -> Result<Vocabulary> {
    let first = &tables[0];
    let names = first.gene_names().unwrap_or_default();
    let mut v = Vocabulary {
        ids: Vec::new(),
        symbols: Vec::new(),
    };
    for (i, id) in first.gene_ids().iter().enumerate() {
        let everywhere = tables[1..].iter().all(|t| t.gene_index(id).is_some())
            && expression.is_none_or(|e| e.gene_index(id).is_some());
        if everywhere {
            v.ids.push(id.clone());
            v.symbols.push(names.get(i).cloned().unwrap_or_default());
        }
    }
    if v.ids.len() < need {
        return Err(EvaluateError::TooFewCommonGenes {
            common: v.ids.len(),
            need,
            with_expression: expression.is_some(),
        }
        .into());
    }
    Ok(v)
}

/// The rows of `t` for the vocabulary, as a dense matrix.
pub(super) fn rows_of(t: &ExpressionTable, vocab: &Vocabulary) -> Result<Matrix> {
    let mut data = Vec::with_capacity(vocab.ids.len() * t.n_columns());
    for id in &vocab.ids {
        data.extend_from_slice(t.row_of(id).unwrap_or_default());
    }
    Ok(Matrix::new(vocab.ids.len(), t.n_columns(), data)?)
}

/// Every set's members as sorted vocabulary indices (a GMT gene matches a symbol, or else an
/// unversioned gene id; a symbol shared by several genes selects all of them), with the number
/// of distinct GMT genes and how many of them matched: `(members, distinct, found)`.
pub(super) fn map_sets(sets: &[GeneSet], vocab: &Vocabulary) -> (Vec<Vec<usize>>, usize, usize) {
    let mut by_symbol: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in vocab.symbols.iter().enumerate() {
        by_symbol.entry(s.as_str()).or_default().push(i);
    }
    let by_id: HashMap<&str, usize> = vocab
        .ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut distinct: HashMap<&str, bool> = HashMap::new();
    let members = sets
        .iter()
        .map(|set| {
            let mut m = Vec::new();
            for g in &set.genes {
                let hit = match by_symbol.get(g.as_str()) {
                    Some(v) => {
                        m.extend_from_slice(v);
                        true
                    }
                    None => match by_id.get(genome_io::expression::strip_version(g).as_ref()) {
                        Some(&i) => {
                            m.push(i);
                            true
                        }
                        None => false,
                    },
                };
                *distinct.entry(g.as_str()).or_default() |= hit;
            }
            m.sort_unstable();
            m.dedup();
            m
        })
        .collect();
    let found = distinct.values().filter(|&&h| h).count();
    (members, distinct.len(), found)
}

/// The two expression baselines of dimension `dim` on the vocabulary's genes:
///
/// * `pca`: the genes' scores (`U S`) on the top principal axes of the gene × sample matrix
///   with every sample column centred;
/// * `coexpr`: every gene's row standardised across samples (mean 0, population sd 1; a constant
///   gene stays 0), then `U S / √m` of its SVD: the top eigenvectors of the gene–gene Pearson
///   correlation matrix `Z Zᵀ / m`, each scaled by the square root of its eigenvalue (so that
///   dot products approximate correlations), computed without forming the genes × genes matrix.
pub(super) fn baselines(
    expr: &ExpressionTable,
    path: &Path,
    vocab: &Vocabulary,
    dim: usize,
) -> Result<[(String, Matrix); 2]> {
    let x = rows_of(expr, vocab)?;
    let max = x.n_rows.min(x.n_cols);
    if dim > max || dim == 0 {
        return Err(EvaluateError::BaselineDim {
            path: path.to_path_buf(),
            dim,
            max,
        }
        .into());
    }
    let p = pca(&x, dim)?;
    let m = x.n_cols as f64;
    let mut z = x;
    for r in z.data.chunks_mut(z.n_cols) {
        let mean = r.iter().sum::<f64>() / m;
        let sd = (r.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / m).sqrt();
        r.iter_mut()
            .for_each(|v| *v = if sd > 0.0 { (*v - mean) / sd } else { 0.0 });
    }
    let svd = truncated_svd(&z, dim)?;
    let mut co = svd.u.clone();
    for r in co.data.chunks_mut(dim) {
        r.iter_mut()
            .zip(&svd.s)
            .for_each(|(a, s)| *a *= s / m.sqrt());
    }
    Ok([("pca".into(), p.scores), ("coexpr".into(), co)])
}
