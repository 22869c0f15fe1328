//! Errors of the gene-embedding evaluation ([`super::evaluate_embeddings`]).

use std::path::PathBuf;

/// What [`super::evaluate_embeddings`] can fail with beyond the errors of the table and GMT
/// readers (ragged or non-numeric embedding rows, malformed GMT lines: [`crate::Error::Genome`],
/// naming file and line), of the metrics ([`crate::Error::Eval`]) and of I/O.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluateError {
    /// A setting out of range or settings that contradict each other.
    #[error("GeneRAIN evaluate: {0}")]
    Settings(String),
    /// An embedding table without a symbol column or without any dimension column.
    #[error("{}: {msg}", path.display())]
    EmbeddingTable {
        /// The table.
        path: PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// The embeddings (and the expression matrix) share too few genes.
    #[error("only {common} genes are common to all embeddings{}; at least {need} are needed", if *with_expression { " and the expression matrix" } else { "" })]
    TooFewCommonGenes {
        /// Genes in every input.
        common: usize,
        /// Minimum needed.
        need: usize,
        /// Whether the expression matrix took part in the intersection.
        with_expression: bool,
    },
    /// Not one gene of the GMT is in the embedding vocabulary (matched by symbol or id).
    #[error("{}: none of its {n_genes} distinct genes ({n_sets} sets) is in the embedding vocabulary of {vocabulary} genes (matched by symbol or gene id)", path.display())]
    NoGenesInVocabulary {
        /// The GMT file.
        path: PathBuf,
        /// Sets in the file.
        n_sets: usize,
        /// Distinct genes listed.
        n_genes: usize,
        /// Genes in the vocabulary.
        vocabulary: usize,
    },
    /// No set has between `min_genes` and `max_genes` members in the vocabulary.
    #[error("{}: no gene set has between {min_genes} and {max_genes} members in the vocabulary (largest: {largest}; and at least {folds} non-members are needed)", path.display())]
    NoSets {
        /// The GMT file.
        path: PathBuf,
        /// The lower bound.
        min_genes: usize,
        /// The upper bound.
        max_genes: usize,
        /// The largest set size found in the vocabulary.
        largest: usize,
        /// Folds of the cross-validation.
        folds: usize,
    },
    /// The clustering partition has fewer than two sets with genes of their own.
    #[error("clustering needs at least 2 gene sets with genes in no other chosen set; found {0}")]
    Partition(usize),
    /// More clusters were asked for than there are genes to cluster.
    #[error(
        "k-means with k = {k} clusters on {genes} genes of the partition (k must not exceed the genes)"
    )]
    TooManyClusters {
        /// Clusters asked for.
        k: usize,
        /// Genes in the partition.
        genes: usize,
    },
    /// A baseline dimension larger than the expression matrix allows.
    #[error("{}: baseline dimension {dim} exceeds min(genes, samples) = {max}", path.display())]
    BaselineDim {
        /// The expression matrix.
        path: PathBuf,
        /// Dimension asked for.
        dim: usize,
        /// Largest possible.
        max: usize,
    },
}
