//! Errors of VCF reading ([`crate::vcf`]).

use std::path::PathBuf;

/// Errors of VCF reading: a malformed data line, with the file and its 1-based line number.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VcfError {
    /// A malformed VCF data line (see [`VcfErrorKind`]).
    #[error("{}:{line}: {kind}", path.display())]
    Record {
        /// The VCF file (`<memory>` for in-memory input).
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: u64,
        /// What was wrong.
        kind: VcfErrorKind,
    },
}

impl VcfError {
    /// 1-based line number of the offending line.
    pub fn line(&self) -> u64 {
        match self {
            VcfError::Record { line, .. } => *line,
        }
    }

    /// What was wrong.
    pub fn kind(&self) -> &VcfErrorKind {
        match self {
            VcfError::Record { kind, .. } => kind,
        }
    }
}

/// What was wrong with one VCF data line (see [`VcfError::Record`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VcfErrorKind {
    /// Fewer than the 8 tab-separated fixed columns (`CHROM POS ID REF ALT QUAL FILTER INFO`).
    #[error("expected at least 8 tab-separated columns, found {found}")]
    TooFewColumns {
        /// Number of columns found.
        found: usize,
    },
    /// An empty CHROM, or one holding white space.
    #[error("CHROM {0:?} is empty or holds white space")]
    BadChrom(String),
    /// A POS that is not a positive integer (VCF positions are 1-based; 0 is only allowed for
    /// telomeric breakends, which this reader does not support).
    #[error("POS {0:?} is not a positive integer (VCF positions are 1-based)")]
    BadPos(String),
    /// An empty or missing (`.`) REF.
    #[error("REF is empty or missing ('.')")]
    EmptyRef,
    /// A REF or (non-symbolic) ALT allele with a base other than A, C, G, T, N (any case).
    #[error("{column} {value:?} holds a base other than A, C, G, T, N")]
    BadBases {
        /// `REF` or `ALT`.
        column: &'static str,
        /// The allele as written.
        value: String,
    },
    /// An empty ALT allele (e.g. `A,,C`).
    #[error("ALT has an empty allele")]
    EmptyAlt,
    /// A line that is not UTF-8 in its first 8 columns.
    #[error("the fixed columns are not UTF-8")]
    NotUtf8,
    /// The first 7 columns of a line are longer than the reader's limit (bounded memory).
    #[error("the fixed columns CHROM..FILTER exceed {limit} bytes")]
    LineTooLong {
        /// The limit, bytes.
        limit: usize,
    },
}
