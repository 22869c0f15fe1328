//! Gene × sample (or gene × tissue) expression tables.
//!
//! Readers for wide delimited tables (TSV/CSV with or without a header, see [`read_table`]), GCT
//! 1.2 files ([`read_gct`]) and long "gene, column, value" tables that are pivoted to wide
//! ([`read_long`]); all are generic over [`std::io::BufRead`], and [`open_table`] /
//! [`open_long`] open plain or gzip-compressed files by path. Every reader rejects ragged rows,
//! non-numeric and non-finite values (with file, line and column) and duplicate gene ids (naming
//! both lines) unless a [`DuplicatePolicy`] that aggregates was chosen.
//!
//! Gene ids may carry Ensembl version suffixes (`ENSG00000141510.17`); set
//! [`TableOptions::strip_version`] to key the table by the unversioned id (see [`strip_version`]).

mod long;
mod table;
mod text;
mod wide;

use std::borrow::Cow;

pub use long::{LongOptions, open_long, read_long};
pub use table::{ExpressionTable, Summary};
pub use text::{Delimiter, open_maybe_gz};
pub use wide::{open_table, read_gct, read_table};

pub(crate) use text::{Lines, parse_value, preview, split_fields};

/// What to do when a gene id occurs on more than one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicatePolicy {
    /// Reject the table with [`crate::TableError::DuplicateId`] naming both lines (default).
    #[default]
    Error,
    /// Keep one row per gene holding the element-wise sum of its rows.
    Sum,
    /// Keep one row per gene holding the element-wise mean of its rows.
    Mean,
}

/// Which columns of a wide table hold values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ColumnSelection {
    /// Every column except the id, name and skipped ones (default).
    #[default]
    All,
    /// The columns whose header name starts with this prefix (e.g. `nTPM_`).
    Prefix(String),
    /// These header names, in this order.
    Names(Vec<String>),
    /// These 0-based column indices, in this order.
    Indices(Vec<usize>),
}

/// What to do with a missing value: an empty field or `NA` (R's missing-value marker) in a
/// value column. `NaN` and infinities are never accepted.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum MissingValues {
    /// Reject the table with [`crate::TableError::NonNumeric`] (default).
    #[default]
    Error,
    /// Drop the rows that have one; [`ExpressionTable::dropped_rows`] counts them.
    DropRow,
    /// Replace it by this value.
    Fill(f64),
}

/// Options for [`read_table`], [`read_gct`] and [`open_table`].
///
/// Column indices are **0-based**; errors report 1-based line and column numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct TableOptions {
    /// Field separator (default [`Delimiter::Auto`]; GCT is always tab-separated).
    pub delimiter: Delimiter,
    /// Whether the first non-empty line is a header (default `true`). Without a header, value
    /// columns are named `column_N` with N the 1-based column number.
    pub has_header: bool,
    /// 0-based index of the gene id column (default 0).
    pub id_column: usize,
    /// 0-based index of an optional gene name / description column (default `None`; GCT uses
    /// its `Description` column).
    pub name_column: Option<usize>,
    /// 0-based indices of further non-numeric columns to ignore (default none).
    pub skip_columns: Vec<usize>,
    /// Which columns hold values (default [`ColumnSelection::All`]).
    pub columns: ColumnSelection,
    /// Strip Ensembl version suffixes from gene ids before keying (default `false`).
    pub strip_version: bool,
    /// Duplicate gene ids: error (default), sum or mean.
    pub duplicates: DuplicatePolicy,
    /// Empty or `NA` values: error (default), drop the row, or fill.
    pub missing: MissingValues,
}

impl Default for TableOptions {
    fn default() -> Self {
        TableOptions {
            delimiter: Delimiter::Auto,
            has_header: true,
            id_column: 0,
            name_column: None,
            skip_columns: Vec::new(),
            columns: ColumnSelection::All,
            strip_version: false,
            duplicates: DuplicatePolicy::Error,
            missing: MissingValues::Error,
        }
    }
}

/// Removes an Ensembl version suffix: a final `.N` with N all digits, also before a `_PAR_Y`
/// (or other `_…`) tail as in GENCODE's pseudo-autosomal copies. Other ids are returned unchanged.
///
/// ```
/// use genome_io::expression::strip_version;
/// assert_eq!(strip_version("ENSG00000141510.17"), "ENSG00000141510");
/// assert_eq!(strip_version("ENSG00000182378.14_PAR_Y"), "ENSG00000182378_PAR_Y");
/// assert_eq!(strip_version("ENSG00000141510"), "ENSG00000141510");
/// assert_eq!(strip_version("HLA-A.x"), "HLA-A.x");
/// ```
pub fn strip_version(id: &str) -> Cow<'_, str> {
    let Some(dot) = id.rfind('.') else {
        return Cow::Borrowed(id);
    };
    let rest = &id[dot + 1..];
    let (digits, tail) = match rest.find('_') {
        Some(u) => (&rest[..u], &rest[u..]),
        None => (rest, ""),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Cow::Borrowed(id);
    }
    if tail.is_empty() {
        Cow::Borrowed(&id[..dot])
    } else {
        Cow::Owned(format!("{}{}", &id[..dot], tail))
    }
}
