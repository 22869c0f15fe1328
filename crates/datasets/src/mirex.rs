//! miRNA expression vectors and miREx's per-gene feature vector.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use crate::error::MirexError;
use crate::{Error, Result};
use genome_io::expression::{ColumnSelection, DuplicatePolicy, TableOptions, read_table};
use genome_io::targetscan::{TargetMatrix, normalize_mirna_name};

/// One expression value per miRNA, keyed by normalised name ([`normalize_mirna_name`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MirnaExpression {
    names: Vec<String>,
    values: Vec<f64>,
    index: HashMap<String, usize>,
}

impl MirnaExpression {
    /// Builds the vector from `(name, value)` pairs, normalising names; names that collide
    /// after normalisation (the `-5p` and `-3p` arms of one precursor) are combined by
    /// `policy` (`Sum` adds the arms, like precursor-level counts; `Error` rejects them with
    /// [`MirexError::InvalidArgument`]). Order is that of first appearance.
    ///
    /// ```
    /// use genome_io::expression::DuplicatePolicy;
    /// use datasets::mirex::MirnaExpression;
    /// let e = MirnaExpression::from_pairs(
    ///     [("hsa-miR-21-5p", 100.0), ("hsa-miR-21-3p", 5.0), ("hsa-let-7a-5p", 7.0)],
    ///     DuplicatePolicy::Sum,
    /// ).unwrap();
    /// assert_eq!(e.get("hsa-mir-21"), Some(105.0));
    /// assert_eq!(e.names(), ["hsa-mir-21", "hsa-let-7a"]);
    /// ```
    pub fn from_pairs<I, S>(pairs: I, policy: DuplicatePolicy) -> Result<Self>
    where
        I: IntoIterator<Item = (S, f64)>,
        S: AsRef<str>,
    {
        let mut e = MirnaExpression::default();
        let mut counts: Vec<u32> = Vec::new();
        let mut raw_first: Vec<String> = Vec::new();
        for (name, v) in pairs {
            if !v.is_finite() {
                return Err(MirexError::InvalidArgument(format!(
                    "miRNA {:?}: non-finite expression {v}",
                    name.as_ref()
                ))
                .into());
            }
            let n = normalize_mirna_name(name.as_ref());
            match e.index.get(&n) {
                Some(&i) => {
                    if policy == DuplicatePolicy::Error {
                        return Err(MirexError::InvalidArgument(format!(
                            "miRNAs {:?} and {:?} both normalise to {n:?}; choose a duplicate policy (sum or mean)",
                            raw_first[i],
                            name.as_ref()
                        )).into());
                    }
                    e.values[i] += v;
                    counts[i] += 1;
                }
                None => {
                    e.index.insert(n.clone(), e.names.len());
                    e.names.push(n);
                    e.values.push(v);
                    counts.push(1);
                    raw_first.push(name.as_ref().to_owned());
                }
            }
        }
        if policy == DuplicatePolicy::Mean {
            e.values
                .iter_mut()
                .zip(&counts)
                .for_each(|(v, &c)| *v /= f64::from(c));
        }
        Ok(e)
    }

    /// Normalised names, in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Values, in the order of [`MirnaExpression::names`].
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Number of miRNAs.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there is no miRNA.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The value of a miRNA, looked up by its normalised name (the argument is normalised too).
    pub fn get(&self, name: &str) -> Option<f64> {
        self.index
            .get(&normalize_mirna_name(name))
            .map(|&i| self.values[i])
    }

    /// Keeps only these miRNAs, in this order (e.g. the k selected by a miREx selection step);
    /// unknown names are an [`MirexError::InvalidArgument`].
    ///
    /// ```
    /// # use genome_io::expression::DuplicatePolicy; use datasets::mirex::MirnaExpression;
    /// let e = MirnaExpression::from_pairs([("a", 1.0), ("b", 2.0)], DuplicatePolicy::Error).unwrap();
    /// assert_eq!(e.select(&["b"]).unwrap().values(), [2.0]);
    /// ```
    pub fn select<S: AsRef<str>>(&self, names: &[S]) -> Result<Self> {
        let pairs = names
            .iter()
            .map(|n| {
                self.get(n.as_ref())
                    .map(|v| (n.as_ref().to_owned(), v))
                    .ok_or_else(|| {
                        MirexError::InvalidArgument(format!("unknown miRNA {:?}", n.as_ref()))
                            .into()
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        MirnaExpression::from_pairs(pairs, DuplicatePolicy::Error)
    }
}

/// Reads a miRNA expression table: miRNA id in the first column, the value in the column named
/// `value_column` (other columns ignored; tab or comma separated, detected from the header;
/// e.g. `Embryonic_stem_cells,_Average_RPM` in Xpresso's Denzler et al. table). Names are
/// normalised and colliding arms combined by `policy` (see [`MirnaExpression::from_pairs`]).
///
/// ```
/// use genome_io::expression::DuplicatePolicy; use datasets::mirex::read_mirna_expression;
/// let t = "miRNA_ID\tseed\tRPM\nmmu-let-7a-5p\tGAGGUAG\t76.4\nmmu-let-7a-1-3p\tUAUACAA\t7.3\n";
/// let e = read_mirna_expression(t.as_bytes(), "m.txt".as_ref(), "RPM", DuplicatePolicy::Sum).unwrap();
/// assert_eq!(e.get("mmu-let-7a"), Some(76.4));
/// assert_eq!(e.get("mmu-let-7a-1"), Some(7.3));
/// ```
pub fn read_mirna_expression<R: BufRead>(
    reader: R,
    path: &Path,
    value_column: &str,
    policy: DuplicatePolicy,
) -> Result<MirnaExpression> {
    let opts = TableOptions {
        columns: ColumnSelection::Names(vec![value_column.to_owned()]),
        ..Default::default()
    };
    let t = read_table(reader, path, &opts)?;
    MirnaExpression::from_pairs(t.gene_ids().iter().zip(t.values().iter().copied()), policy)
        .map_err(|e| match e {
            Error::Mirex(MirexError::InvalidArgument(m)) => {
                MirexError::InvalidArgument(format!("{}: {m}", path.display())).into()
            }
            other => other,
        })
}

/// Per-gene weight of a (gene, miRNA) pair in miREx's vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TargetWeight {
    /// The summed weighted context++ score (0 if not targeted) — miREx's `ScoreMatrix`.
    #[default]
    Score,
    /// 1 if the pair has at least one row in the TargetScan table, else 0. (miREx's
    /// `TargetMatrix` set 1 where the summed score was non-zero; the two differ only for pairs
    /// whose scores sum to exactly 0.)
    Targeted,
}

/// miREx features of a list of genes: a dense genes × miRNAs matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct MirexFeatures {
    /// The genes, in the order requested.
    pub genes: Vec<String>,
    /// The miRNA columns: those of the expression vector, in its order.
    pub mirnas: Vec<String>,
    /// `values[g * mirnas.len() + i] = w(gene g, miRNA i) × expression(miRNA i)`.
    pub values: Vec<f64>,
    /// Requested genes absent from the target matrix (their rows are all zero, as in miREx).
    pub genes_without_targets: usize,
    /// Expression miRNAs that are no column of the target matrix (their column is all zero).
    pub mirnas_not_in_targets: usize,
}

/// Builds miREx's per-gene vector `x_i = w(gene, miRNA_i) × expression(miRNA_i)` for every
/// requested gene, over the miRNAs of `expression` (in its order). Genes are looked up exactly,
/// then version-stripped.
///
/// ```
/// use genome_io::expression::DuplicatePolicy;
/// use datasets::mirex::{mirex_features, MirnaExpression, TargetWeight};
/// use genome_io::targetscan::TargetMatrix;
/// let m = TargetMatrix::from_triplets([("G1", "mir-1", -0.5), ("G2", "mir-7", -0.25)]);
/// let e = MirnaExpression::from_pairs([("mir-1", 10.0), ("mir-7", 2.0)], DuplicatePolicy::Error).unwrap();
/// let f = mirex_features(&m, &["G1", "G3"], &e, TargetWeight::Score);
/// assert_eq!(f.values, vec![-5.0, 0.0, 0.0, 0.0]);
/// assert_eq!(f.genes_without_targets, 1);
/// let f = mirex_features(&m, &["G2"], &e, TargetWeight::Targeted);
/// assert_eq!(f.values, vec![0.0, 2.0]);
/// ```
pub fn mirex_features<S: AsRef<str>>(
    matrix: &TargetMatrix,
    genes: &[S],
    expression: &MirnaExpression,
    weight: TargetWeight,
) -> MirexFeatures {
    let k = expression.len();
    let cols: Vec<Option<usize>> = expression
        .names()
        .iter()
        .map(|n| matrix.mirna_index(n))
        .collect();
    // matrix column -> position in the expression vector
    let mut pos: HashMap<usize, usize> = HashMap::with_capacity(k);
    for (i, c) in cols.iter().enumerate() {
        if let Some(c) = c {
            pos.insert(*c, i);
        }
    }
    let mut values = vec![0.0; genes.len() * k];
    let mut missing = 0;
    for (g, gene) in genes.iter().enumerate() {
        let Some(r) = matrix.gene_index(gene.as_ref()) else {
            missing += 1;
            continue;
        };
        for e in matrix.row(r) {
            if let Some(&i) = pos.get(&e.mirna) {
                let w = match weight {
                    TargetWeight::Score => e.score,
                    TargetWeight::Targeted => 1.0,
                };
                values[g * k + i] = w * expression.values()[i];
            }
        }
    }
    MirexFeatures {
        genes: genes.iter().map(|g| g.as_ref().to_owned()).collect(),
        mirnas: expression.names().to_vec(),
        values,
        genes_without_targets: missing,
        mirnas_not_in_targets: cols.iter().filter(|c| c.is_none()).count(),
    }
}
