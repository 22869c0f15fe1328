//! Errors of expression tables ([`crate::expression`]) and TargetScan tables ([`crate::targetscan`]).

use std::path::PathBuf;

/// Errors of tab-separated tables (expression tables, GCT, and the rows of TargetScan tables).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// A data row whose number of fields differs from the header's (or the first row's).
    #[error("{}:{line}: row has {found} fields, expected {expected}", path.display())]
    RaggedRow {
        /// The table file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Number of fields in the header (or first data row).
        expected: usize,
        /// Number of fields on this line.
        found: usize,
    },
    /// A table value that does not parse as a number.
    #[error("{}:{line}: column {column} ({column_name:?}): {value:?} is not a number", path.display())]
    NonNumeric {
        /// The table file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// Column name from the header (or `column_N` without a header).
        column_name: String,
        /// The offending text.
        value: String,
    },
    /// A table value that parses but is NaN or infinite.
    #[error("{}:{line}: column {column} ({column_name:?}): {value:?} is not finite (NaN or infinite values are not allowed)", path.display())]
    NonFinite {
        /// The table file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// 1-based column number.
        column: usize,
        /// Column name from the header (or `column_N` without a header).
        column_name: String,
        /// The offending text.
        value: String,
    },
    /// The same gene id on two rows of a table (after version stripping, if requested).
    #[error("{}:{line}: duplicate gene id {id:?} (first on line {first_line}); choose a duplicate policy (sum or mean) to aggregate", path.display())]
    DuplicateId {
        /// The table file.
        path: PathBuf,
        /// 1-based line number of the second occurrence.
        line: u64,
        /// 1-based line number of the first occurrence.
        first_line: u64,
        /// The repeated id.
        id: String,
    },
    /// A table with no data (an empty file, a header without rows, or no value columns).
    #[error("{}: {msg}", path.display())]
    Empty {
        /// The table file.
        path: PathBuf,
        /// What was missing.
        msg: String,
    },
    /// A first line that reads as data, in a table that should have a header.
    #[error("{}:{line}: the first line looks like data, not a header ({msg}); the table needs a header line (gene id, then one name per column)", path.display())]
    NoHeader {
        /// The table file.
        path: PathBuf,
        /// The line.
        line: u64,
        /// Why it looks like data.
        msg: String,
    },
    /// A column requested by name (or index) that the table does not have.
    #[error("{}: no column {column:?} (columns: {available})", path.display())]
    MissingColumn {
        /// The table file.
        path: PathBuf,
        /// The requested column.
        column: String,
        /// The columns the table has (possibly abbreviated).
        available: String,
    },
    /// A malformed GCT preamble: version line, dimension line or column header.
    #[error("{}:{line}: invalid GCT file: {msg}", path.display())]
    GctHeader {
        /// The GCT file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was wrong.
        msg: String,
    },
    /// A long-format table that leaves gene × column cells without a value.
    #[error("{}: {missing} gene x column cells have no value, e.g. gene {gene:?} in column {column:?}", path.display())]
    MissingCell {
        /// The table file.
        path: PathBuf,
        /// Number of empty cells.
        missing: usize,
        /// One gene with a missing cell.
        gene: String,
        /// The column of that cell.
        column: String,
    },
    /// A long-format table that gives the same gene × column cell twice.
    #[error("{}:{line}: gene {gene:?} in column {column:?} already given on line {first_line}", path.display())]
    DuplicateCell {
        /// The table file.
        path: PathBuf,
        /// 1-based line number of the second occurrence.
        line: u64,
        /// 1-based line number of the first occurrence.
        first_line: u64,
        /// The gene.
        gene: String,
        /// The column (sample / tissue).
        column: String,
    },
}

/// Errors specific to TargetScan tables (malformed rows are [`TableError`]s).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TargetScanError {
    /// A TargetScan table whose header lacks a required column.
    #[error("{}: not a TargetScan {layout} table: {msg}", path.display())]
    Header {
        /// The TargetScan file.
        path: PathBuf,
        /// The layout expected (context++ scores or Summary_Counts).
        layout: String,
        /// What was missing.
        msg: String,
    },
}
