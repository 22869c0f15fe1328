//! Errors of `genome-io`, one enum per module wrapped in the crate's [`Error`].
//!
//! [`Error`] holds the errors shared by all readers ([`Error::Io`], [`Error::Parse`],
//! [`Error::InvalidArgument`]) and wraps, transparently (same message), the errors of each group
//! of modules: [`FastaError`] (FASTA, indexes, sequence fetches), [`AnnotationError`] (GTF/GFF3,
//! with an [`AnnotationErrorKind`]), [`WindowsError`] (TSS windows against the FASTA),
//! [`TableError`] (expression tables), [`TargetScanError`] and [`VcfError`] (VCF lines, with a
//! [`VcfErrorKind`]). Match on a wrapped error with e.g.
//! `Error::Fasta(FastaError::UnknownSequence { .. })`; build one with `FastaError::...{..}.into()`.
//!
//! Every variant names the file (and, where there is one, the line or record) and what was wrong,
//! so that a user can fix their input without reading the source.

mod annotation;
mod fasta;
mod table;
mod vcf;

use std::path::PathBuf;

pub use annotation::{AnnotationError, AnnotationErrorKind, WindowsError};
pub use fasta::FastaError;
pub use table::{TableError, TargetScanError};
pub use vcf::{VcfError, VcfErrorKind};

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while reading genomes, annotations and tables.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An I/O error on a named file.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A malformed record in a text file, with its 1-based line number.
    #[error("{}:{line}: {msg}", path.display())]
    Parse {
        /// The file involved.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was wrong.
        msg: String,
    },
    /// An invalid argument or option value.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// An error of FASTA reading or sequence access ([`crate::fasta`], [`crate::seq`]).
    #[error(transparent)]
    Fasta(#[from] FastaError),
    /// An error of GTF/GFF3 reading ([`crate::annotation`]).
    #[error(transparent)]
    Annotation(#[from] AnnotationError),
    /// An error of promoter windows: annotation and FASTA disagree ([`crate::windows`]).
    #[error(transparent)]
    Windows(#[from] WindowsError),
    /// An error of an expression (or TargetScan) table ([`crate::expression`]).
    #[error(transparent)]
    Table(#[from] TableError),
    /// An error specific to TargetScan tables ([`crate::targetscan`]).
    #[error(transparent)]
    TargetScan(#[from] TargetScanError),
    /// A malformed VCF line ([`crate::vcf`]).
    #[error(transparent)]
    Vcf(#[from] VcfError),
    /// An error of a streaming count matrix ([`crate::matrix`]).
    #[error(transparent)]
    Matrix(Box<crate::matrix::MatrixError>),
}

impl From<crate::matrix::MatrixError> for Error {
    fn from(e: crate::matrix::MatrixError) -> Self {
        Error::Matrix(Box::new(e))
    }
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
