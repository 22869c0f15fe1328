//! Evaluation of gene embeddings against gene sets (GeneRAIN, Su et al. 2025, "gene embedding
//! evaluation"): set-membership prediction, clustering against a gene-set partition, and the
//! same for expression baselines, side by side.
//!
//! # Inputs
//! * Embedding tables, each `(name, path)`: TSV with a header, `gene_id  symbol  d0 … d(k−1)`,
//!   one row per gene (plain or gzip; ragged or non-numeric rows are errors naming file and
//!   line; Ensembl version suffixes are stripped from the ids).
//! * A GMT file ([`genome_io::gmt`]); set genes are matched to the vocabulary by symbol, or
//!   else by gene id.
//! * Optionally an expression matrix, genes × samples of normalised values (`gene_id` then one
//!   column per sample), from which two baselines of the same dimension as the first embedding
//!   (or [`EvaluateSettings::baseline_dim`]) are computed, named `pca` and `coexpr`: the PCA
//!   scores of the genes (sample columns centred), and the co-expression embedding — the top
//!   eigenvectors of the gene–gene Pearson correlation matrix scaled by √eigenvalue, computed
//!   as the SVD of the row-standardised matrix (a constant gene gets the zero vector).
//!
//! All embeddings are evaluated on the **same genes**: those present in every table (and in the
//! expression matrix), in the first table's order, with the first table's symbols.
//!
//! # Method
//! * **Sets**: a set is evaluated when it has `min_genes..=max_genes` members in the vocabulary
//!   and at least `folds` non-members.
//! * **Attribute prediction**: per set, stratified `folds`-fold cross-validation (members and
//!   non-members shuffled separately, seeded per set) of L2 logistic regression (`C = lr_c`,
//!   L-BFGS, features standardised with the training folds' mean and sd) from the embedding to
//!   membership over all genes; the ROC AUC of the pooled out-of-fold scores.
//! * **Clustering**: overlapping sets are resolved by keeping only the genes that belong to
//!   exactly one evaluated set (genes in several, or in none, are left out); their set is the
//!   true label. k-means (k-means++, `n_init` seeded restarts, Lloyd) on those genes' raw
//!   embedding rows, with k = the number of sets that keep at least one gene (or
//!   [`EvaluateSettings::n_clusters`]), scored by ARI, AMI, FMI, NMI and VI.
//!
//! # Outputs (written atomically, only after everything was computed)
//! | file | content |
//! |---|---|
//! | `attributes.tsv` | `embedding set n_members auc` |
//! | `clustering.tsv` | `embedding n_genes k ari ami fmi nmi vi inertia` |
//! | `neighbors.tsv` | with `neighbors > 0`: `embedding gene_id symbol rank neighbor_id neighbor_symbol cosine` |
//! | `auc.svg` | box/strip plot of the per-set AUCs of every embedding |
//! | `summary.json` | settings, counts, AUC summaries and clustering scores ([`EvaluateSummary`]); last |
//!
//! ```
//! use pipeline::generain::evaluate::{EvaluateSettings, evaluate_embeddings};
//! let dir = tempfile::tempdir().unwrap();
//! let (emb, gmt) = (dir.path().join("e.tsv"), dir.path().join("s.gmt"));
//! let mut t = String::from("gene_id\tsymbol\td0\td1\n");
//! for i in 0..40 {
//!     let x = if i < 20 { 5.0 } else { -5.0 };
//!     t += &format!("g{i}\tS{i}\t{}\t{}\n", x + (i % 7) as f64 * 0.1, (i % 5) as f64 * 0.1);
//! }
//! std::fs::write(&emb, t).unwrap();
//! let a: Vec<String> = (0..20).map(|i| format!("S{i}")).collect();
//! let b: Vec<String> = (20..40).map(|i| format!("S{i}")).collect();
//! std::fs::write(&gmt, format!("A\t\t{}\nB\t\t{}\n", a.join("\t"), b.join("\t"))).unwrap();
//! let s = EvaluateSettings::new(vec![("toy".into(), emb)], gmt, dir.path().join("out"));
//! let summary = evaluate_embeddings(&s).unwrap();
//! assert_eq!(summary.embeddings[0].auc.median, 1.0);
//! assert_eq!(summary.embeddings[0].clustering.ari, 1.0);
//! ```

#[path = "evaluate_data.rs"]
mod data;
#[path = "evaluate_error.rs"]
mod error;
#[path = "evaluate_out.rs"]
mod out;
#[path = "evaluate_score.rs"]
mod score;

use std::path::PathBuf;

use evalkit::embedding::Matrix;

pub use error::EvaluateError;
pub use score::ClusterScores;

use crate::Result;

/// Largest number of folds, restarts and neighbours accepted.
const MAX_FOLDS: usize = 100;
const MAX_N_INIT: usize = 1000;
const MAX_NEIGHBORS: usize = 1000;
const MAX_DIM: usize = 4096;

/// Settings of [`evaluate_embeddings`]; [`EvaluateSettings::new`] gives the defaults.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EvaluateSettings {
    /// Embedding tables as `(name, path)`; names unique, without tabs or newlines, and not
    /// `pca`/`coexpr` when `expression` is given.
    pub embeddings: Vec<(String, PathBuf)>,
    /// The GMT file (plain or gzip).
    pub gmt: PathBuf,
    /// Expression matrix (genes × samples, normalised) for the `pca` and `coexpr` baselines.
    pub expression: Option<PathBuf>,
    /// Dimension of the baselines (default: that of the first embedding; `1..=4096`).
    pub baseline_dim: Option<usize>,
    /// Cross-validation folds (default 5; `2..=100`).
    pub folds: usize,
    /// Seed of the folds and of k-means (default 0).
    pub seed: u64,
    /// Fewest members a set needs in the vocabulary (default 10; `>= folds`).
    pub min_genes: usize,
    /// Most members a set may have in the vocabulary (default 500).
    pub max_genes: usize,
    /// Inverse L2 strength of the logistic regression (default 1.0).
    pub lr_c: f64,
    /// k of k-means (default: the number of sets in the partition).
    pub n_clusters: Option<usize>,
    /// k-means++ restarts (default 10; `1..=1000`).
    pub n_init: usize,
    /// Cosine nearest neighbours written per gene (default 0: no `neighbors.tsv`; `<= 1000`).
    pub neighbors: usize,
    /// Output directory (created if missing).
    pub out_dir: PathBuf,
}

impl EvaluateSettings {
    /// The defaults for these inputs (no expression baselines).
    ///
    /// ```
    /// let s = pipeline::generain::evaluate::EvaluateSettings::new(
    ///     vec![("generain".into(), "emb.tsv".into())], "h.gmt".into(), "out".into());
    /// assert_eq!((s.folds, s.min_genes, s.max_genes, s.n_init), (5, 10, 500, 10));
    /// ```
    pub fn new(embeddings: Vec<(String, PathBuf)>, gmt: PathBuf, out_dir: PathBuf) -> Self {
        EvaluateSettings {
            embeddings,
            gmt,
            expression: None,
            baseline_dim: None,
            folds: 5,
            seed: 0,
            min_genes: 10,
            max_genes: 500,
            lr_c: 1.0,
            n_clusters: None,
            n_init: 10,
            neighbors: 0,
            out_dir,
        }
    }

    fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(EvaluateError::Settings(m).into());
        if self.embeddings.is_empty() {
            return bad("at least one embedding table is needed".into());
        }
        let mut names: Vec<&str> = self.embeddings.iter().map(|e| e.0.as_str()).collect();
        if self.expression.is_some() {
            names.extend(["pca", "coexpr"]);
        }
        for (i, n) in names.iter().enumerate() {
            if n.is_empty() || n.contains(['\t', '\n', '\r']) {
                return bad(format!(
                    "embedding name {n:?} is empty or has a tab or newline"
                ));
            }
            if names[..i].contains(n) {
                return bad(format!(
                    "embedding name {n:?} is used twice (pca and coexpr name the baselines)"
                ));
            }
        }
        if !(2..=MAX_FOLDS).contains(&self.folds) {
            return bad(format!("folds = {} (need 2..={MAX_FOLDS})", self.folds));
        }
        if self.min_genes < self.folds || self.max_genes < self.min_genes {
            return bad(format!(
                "need folds <= min_genes <= max_genes (folds {}, min_genes {}, max_genes {})",
                self.folds, self.min_genes, self.max_genes
            ));
        }
        if !(self.lr_c > 0.0 && self.lr_c.is_finite()) {
            return bad(format!("lr_c = {} (need a finite value > 0)", self.lr_c));
        }
        if !(1..=MAX_N_INIT).contains(&self.n_init) || self.neighbors > MAX_NEIGHBORS {
            return bad(format!(
                "n_init = {}, neighbors = {} (need 1..={MAX_N_INIT}, 0..={MAX_NEIGHBORS})",
                self.n_init, self.neighbors
            ));
        }
        if self.n_clusters == Some(0) || self.baseline_dim.is_some_and(|d| d == 0 || d > MAX_DIM) {
            return bad(format!(
                "n_clusters = {:?}, baseline_dim = {:?} (need >= 1, and baseline_dim <= {MAX_DIM})",
                self.n_clusters, self.baseline_dim
            ));
        }
        Ok(())
    }
}

/// Distribution of the per-set AUCs of one embedding (quartiles by linear interpolation).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AucSummary {
    /// Number of sets.
    pub count: usize,
    /// Median AUC.
    pub median: f64,
    /// First quartile.
    pub q1: f64,
    /// Third quartile.
    pub q3: f64,
    /// `q3 − q1`.
    pub iqr: f64,
    /// Fraction of sets with AUC > 0.5.
    pub frac_above_half: f64,
}

/// The results of one embedding.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EmbeddingResult {
    /// Its name (`pca` / `coexpr` for the baselines).
    pub name: String,
    /// `table` (read from a file) or `baseline`.
    pub source: String,
    /// Dimension.
    pub dim: usize,
    /// Summary of the per-set AUCs.
    pub auc: AucSummary,
    /// AUC of every evaluated set, in [`EvaluateSummary::sets`] order.
    pub set_auc: Vec<f64>,
    /// k-means scores against the partition.
    pub clustering: ClusterScores,
}

/// One evaluated gene set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SetInfo {
    /// Its name in the GMT.
    pub name: String,
    /// Members in the vocabulary.
    pub n_members: usize,
    /// Members in no other evaluated set (its part of the clustering partition).
    pub n_exclusive: usize,
}

/// What [`evaluate_embeddings`] found (also written as `summary.json`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EvaluateSummary {
    /// The settings used.
    pub settings: EvaluateSettings,
    /// Genes common to all inputs (the vocabulary).
    pub n_genes: usize,
    /// Sets in the GMT.
    pub gmt_sets: usize,
    /// Distinct genes in the GMT, and how many of them are in the vocabulary.
    pub gmt_genes: (usize, usize),
    /// The evaluated sets, in GMT order.
    pub sets: Vec<SetInfo>,
    /// Genes in the clustering partition.
    pub partition_genes: usize,
    /// k of k-means.
    pub k: usize,
    /// One entry per embedding: the tables in order, then `pca` and `coexpr`.
    pub embeddings: Vec<EmbeddingResult>,
}

fn auc_summary(v: &[f64]) -> AucSummary {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (s.len() - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        s[lo] + (h - lo as f64) * (s[hi] - s[lo])
    };
    let (q1, q3) = (q(0.25), q(0.75));
    AucSummary {
        count: s.len(),
        median: q(0.5),
        q1,
        q3,
        iqr: q3 - q1,
        frac_above_half: s.iter().filter(|&&a| a > 0.5).count() as f64 / s.len() as f64,
    }
}

/// Runs the evaluation described in the module documentation and writes its outputs into
/// `settings.out_dir`.
///
/// Errors: [`EvaluateError`] (settings, too few common genes, no GMT gene in the vocabulary,
/// no set in the size range, no partition, k larger than the partition's genes, a baseline
/// dimension too large); [`crate::Error::Genome`] for unreadable, ragged or non-numeric tables
/// and malformed GMT lines (naming file and line); [`crate::Error::Io`] for the outputs.
pub fn evaluate_embeddings(settings: &EvaluateSettings) -> Result<EvaluateSummary> {
    let s = settings;
    s.validate()?;
    let tables = s
        .embeddings
        .iter()
        .map(|(_, p)| data::read_embedding(p))
        .collect::<Result<Vec<_>>>()?;
    let expr = s
        .expression
        .as_deref()
        .map(data::read_expression)
        .transpose()?;
    let vocab = data::common_genes(&tables, expr.as_ref(), s.min_genes + s.folds)?;
    let n = vocab.ids.len();
    if s.neighbors >= n {
        return Err(EvaluateError::Settings(format!(
            "neighbors = {} but only {n} genes are common to all inputs",
            s.neighbors
        ))
        .into());
    }
    let mut embs: Vec<(String, String, Matrix)> = Vec::new();
    for ((name, _), t) in s.embeddings.iter().zip(&tables) {
        embs.push((name.clone(), "table".into(), data::rows_of(t, &vocab)?));
    }
    if let (Some(e), Some(p)) = (&expr, &s.expression) {
        let dim = s.baseline_dim.unwrap_or(tables[0].n_columns());
        for (name, m) in data::baselines(e, p, &vocab, dim)? {
            embs.push((name, "baseline".into(), m));
        }
    }
    drop(tables);

    let gmt = genome_io::gmt::read_gmt(&s.gmt)?;
    let (members, distinct, found) = data::map_sets(&gmt, &vocab);
    if found == 0 {
        return Err(EvaluateError::NoGenesInVocabulary {
            path: s.gmt.clone(),
            n_sets: gmt.len(),
            n_genes: distinct,
            vocabulary: n,
        }
        .into());
    }
    let chosen: Vec<usize> = (0..gmt.len())
        .filter(|&i| {
            let m = members[i].len();
            (s.min_genes..=s.max_genes).contains(&m) && n - m >= s.folds
        })
        .collect();
    if chosen.is_empty() {
        return Err(EvaluateError::NoSets {
            path: s.gmt.clone(),
            min_genes: s.min_genes,
            max_genes: s.max_genes,
            largest: members.iter().map(Vec::len).max().unwrap_or(0),
            folds: s.folds,
        }
        .into());
    }
    let set_members: Vec<Vec<usize>> = chosen.iter().map(|&i| members[i].clone()).collect();

    // Partition: genes in exactly one chosen set.
    let mut count = vec![0usize; n];
    let mut owner = vec![0usize; n];
    for (c, m) in set_members.iter().enumerate() {
        for &g in m {
            count[g] += 1;
            owner[g] = c;
        }
    }
    let genes: Vec<usize> = (0..n).filter(|&g| count[g] == 1).collect();
    let mut exclusive = vec![0usize; chosen.len()];
    genes.iter().for_each(|&g| exclusive[owner[g]] += 1);
    let labels: Vec<i64> = genes.iter().map(|&g| owner[g] as i64).collect();
    let parts = exclusive.iter().filter(|&&e| e > 0).count();
    if parts < 2 {
        return Err(EvaluateError::Partition(parts).into());
    }
    let k = s.n_clusters.unwrap_or(parts);
    if k > genes.len() {
        return Err(EvaluateError::TooManyClusters {
            k,
            genes: genes.len(),
        }
        .into());
    }

    let mut results = Vec::new();
    for (name, source, x) in &embs {
        let set_auc = score::membership_auc(x, &set_members, s.folds, s.seed, s.lr_c)?;
        let clustering = score::cluster(x, &genes, &labels, k, s.n_init, s.seed)?;
        results.push(EmbeddingResult {
            name: name.clone(),
            source: source.clone(),
            dim: x.n_cols,
            auc: auc_summary(&set_auc),
            set_auc,
            clustering,
        });
    }
    let summary = EvaluateSummary {
        settings: s.clone(),
        n_genes: n,
        gmt_sets: gmt.len(),
        gmt_genes: (distinct, found),
        sets: chosen
            .iter()
            .zip(&set_members)
            .zip(&exclusive)
            .map(|((&i, m), &e)| SetInfo {
                name: gmt[i].name.clone(),
                n_members: m.len(),
                n_exclusive: e,
            })
            .collect(),
        partition_genes: genes.len(),
        k,
        embeddings: results,
    };
    out::write_outputs(&summary, &vocab, &embs)?;
    Ok(summary)
}
