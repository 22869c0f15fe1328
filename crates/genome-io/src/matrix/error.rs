//! Errors of the streaming count-matrix reader ([`crate::matrix`]).

use std::path::PathBuf;

/// Everything a count matrix can be wrong with; every variant names the file and, where there is
/// one, the 1-based line and the column.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// A data row whose number of fields differs from the header's.
    #[error("{}:{line}: row {row_id:?} has {found} fields, the header has {expected}", path.display())]
    Ragged {
        /// The matrix file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The row's id (first field).
        row_id: String,
        /// Number of fields of the header.
        expected: usize,
        /// Number of fields on this line.
        found: usize,
    },
    /// A count that is not a number, or NaN / infinite, or negative.
    #[error("{}:{line}: row {row_id:?}, column {column} ({column_name:?}): {value:?} {why}", path.display())]
    BadCount {
        /// The matrix file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The row's id (first field).
        row_id: String,
        /// 1-based column number in the file.
        column: usize,
        /// The header name of that column.
        column_name: String,
        /// The offending text.
        value: Box<str>,
        /// What is wrong with it ("is not a number", "is negative", "is not finite").
        why: &'static str,
    },
    /// The same id twice: a sample id (or gene id) in the header, or on two rows.
    #[error("{}:{line}: duplicate {what} id {id:?} (first on {first})", path.display())]
    DuplicateId {
        /// The matrix file.
        path: PathBuf,
        /// 1-based line number of the second occurrence.
        line: u64,
        /// `"sample"` or `"gene"`.
        what: &'static str,
        /// The repeated id.
        id: String,
        /// Where the first occurrence is (`line N` or `column N`).
        first: String,
    },
    /// A matrix without value columns or without data rows.
    #[error("{}: empty matrix: {msg}", path.display())]
    Empty {
        /// The matrix file.
        path: PathBuf,
        /// What was missing.
        msg: String,
    },
    /// A malformed header or GCT preamble, or options that do not fit the file.
    #[error("{}:{line}: {msg}", path.display())]
    Header {
        /// The matrix file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was wrong.
        msg: String,
    },
    /// Reading the file failed (including gzip and UTF-8 errors).
    #[error("{}: {source}", path.display())]
    Io {
        /// The matrix file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}
