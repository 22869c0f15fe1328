//! Errors of `seq2expr-datasets`, one enum per module wrapped in the crate's [`Error`].
//!
//! Every variant names the file (and, where there is one, the line or record) and what was wrong,
//! so that a user can fix their input without reading the source. Errors of the readers in
//! `genome-io` pass through unchanged as [`Error::GenomeIo`].

use std::path::PathBuf;

use crate::negatives::RejectionReport;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building data sets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error from a `genome-io` reader (FASTA, annotation, tables, windows).
    #[error(transparent)]
    GenomeIo(#[from] genome_io::Error),
    /// An I/O error on a named file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An error of the synthetic world ([`crate::synth`]).
    #[error(transparent)]
    Synth(#[from] SynthError),
    /// An error of negative-set sampling ([`crate::negatives`]).
    #[error(transparent)]
    Negatives(#[from] NegativesError),
    /// An error of label building ([`crate::labels`]).
    #[error(transparent)]
    Labels(#[from] LabelsError),
    /// An error of train/validation/test splitting ([`crate::splits`]).
    #[error(transparent)]
    Split(#[from] SplitError),
    /// An error of the task builders and data-set files ([`crate::dataset`]).
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    /// An error of miRNA expression vectors ([`crate::mirex`]).
    #[error(transparent)]
    Mirex(#[from] MirexError),
}

impl Error {
    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Errors of the synthetic world.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// An invalid configuration or a world that does not fit its configuration.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// Errors of negative-set sampling.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NegativesError {
    /// An invalid sampling option (zero width, empty genome, bad GC tolerance...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Background sampling could not find enough windows: it drew its maximum number of
    /// candidates, or (GC matching) some targets had no tile left within the tolerance.
    #[error("background sampling: only {got} of {wanted} windows after {} candidates (rejected: {} duplicate, {} in excluded regions, {} overlapping accepted windows, {} with N/ambiguous bases, {} GC mismatch; {} GC targets unmatched); relax the GC tolerance, flank or count", report.candidates, report.duplicate, report.excluded_region, report.overlaps_accepted, report.ambiguous_base, report.gc_mismatch, report.unmatched_targets)]
    BackgroundExhausted {
        /// Windows asked for.
        wanted: usize,
        /// Windows accepted.
        got: usize,
        /// Counts per rejection reason.
        report: Box<RejectionReport>,
    },
}

/// Errors of label building (percentile labels, joins, balancing).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LabelsError {
    /// An invalid labelling option (percentiles out of range, unknown column...).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Joining an expression table to an annotation matched no gene.
    #[error(
        "no gene of the expression table ({table_genes} genes, e.g. {table_example:?}) matches the annotation ({annotation_genes} genes, e.g. {annotation_example:?}) by {key}; 0 matched"
    )]
    JoinNoMatch {
        /// The join key (`gene id` or `gene name`).
        key: String,
        /// Number of genes in the table.
        table_genes: usize,
        /// Number of annotation records.
        annotation_genes: usize,
        /// First table key, to show the format.
        table_example: String,
        /// First annotation key, to show the format.
        annotation_example: String,
    },
    /// Labels that cannot be built or balanced (a class with zero members, no labels at all).
    #[error("cannot build labels: {msg} (class counts: {counts})")]
    Class {
        /// What was wrong.
        msg: String,
        /// Class counts as `name=count` pairs.
        counts: String,
    },
}

/// Errors of train/validation/test splitting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SplitError {
    /// Invalid fractions or a split that leaves a set empty.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// Errors of the lncRNA task builders and of data-set files (GUE CSV, DNABERT TSV).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatasetError {
    /// An invalid task option.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A malformed record in a dataset file (GUE CSV or DNABERT k-mer TSV), 1-based line.
    #[error("{}:{line}: {msg}", path.display())]
    Record {
        /// The dataset file (`<memory>` when read from a reader without a path).
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was wrong.
        msg: String,
    },
    /// A dataset task that yields no positive (or no negative) example.
    #[error("lncRNA task {task}: zero {class} examples ({detail})")]
    EmptyClass {
        /// Task number (1-4).
        task: u8,
        /// Which class is empty (`"positive"`, `"negative"`).
        class: &'static str,
        /// Counts that explain why.
        detail: String,
    },
    /// A promoter window shorter than the minimum the task needs.
    #[error(
        "window length {length} bp is shorter than the minimum {min} bp (the window spans l-50 bp upstream of the TSS, the TSS and 49 bp downstream)"
    )]
    WindowTooShort {
        /// Requested length.
        length: u64,
        /// Minimum length.
        min: u64,
    },
}

/// Errors of miRNA expression vectors and miREx features.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MirexError {
    /// A miRNA table that cannot be used (duplicate arm, unknown miRNA, bad value).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}
