//! Errors of GeneRAIN data preparation and of prepared directories.

use std::path::PathBuf;

/// What [`super::prepare`] and [`super::PreparedDir`] can fail with, beyond the errors of the
/// matrix reader (wrapped in [`crate::Error::Genome`]) and of I/O.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PrepareError {
    /// A setting out of range or settings that contradict each other.
    #[error("GeneRAIN prepare: {0}")]
    Settings(String),
    /// No sample passed the sample filters.
    #[error(
        "{}: no sample left after filtering: {n_samples} samples, {dropped_total} with total counts < {min_total}, {dropped_genes} more with <= {min_genes} expressed genes (lower the thresholds for small or pre-normalised data)",
        path.display()
    )]
    NoSamples {
        /// The input matrix.
        path: PathBuf,
        /// Samples in the input.
        n_samples: usize,
        /// Samples dropped by the total-count filter.
        dropped_total: usize,
        /// Samples dropped by the expressed-genes filter.
        dropped_genes: usize,
        /// The total-count threshold.
        min_total: f64,
        /// The expressed-genes threshold.
        min_genes: usize,
    },
    /// No gene passed the duplicate and mean filters.
    #[error("{}: no gene left: {n_genes} genes, {dropped_mean} with mean <= {min_mean}", path.display())]
    NoGenes {
        /// The input matrix.
        path: PathBuf,
        /// Genes in the input.
        n_genes: usize,
        /// Genes dropped by the mean filter.
        dropped_mean: usize,
        /// The mean threshold.
        min_mean: f64,
    },
    /// A `--reference` directory that does not fit the input or the settings.
    #[error("reference {}: {msg}", dir.display())]
    Reference {
        /// The reference directory.
        dir: PathBuf,
        /// What disagrees.
        msg: String,
    },
    /// A prepared directory whose files are missing, malformed or disagree with each other.
    #[error("prepared directory {}: {file}: {msg}", dir.display())]
    Prepared {
        /// The directory.
        dir: PathBuf,
        /// The file concerned.
        file: String,
        /// What is wrong.
        msg: String,
    },
    /// A record index past the end of `tokens.bin`.
    #[error("record {index} out of range: the directory holds {len} records")]
    OutOfRange {
        /// The index asked for.
        index: usize,
        /// The number of records.
        len: usize,
    },
}
