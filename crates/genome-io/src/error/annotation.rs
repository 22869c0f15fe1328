//! Errors of annotation reading ([`crate::annotation`]) and of TSS windows ([`crate::windows`]).

use std::path::PathBuf;

/// Errors of GTF/GFF3 reading.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnnotationError {
    /// A malformed or inconsistent GTF/GFF3 record, with its 1-based line number.
    #[error("{}:{line}: {kind}", path.display())]
    Record {
        /// The annotation file (`<memory>` for in-memory input).
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: u64,
        /// What was wrong.
        kind: AnnotationErrorKind,
    },
}

/// Errors of promoter windows, where the annotation meets the FASTA ([`crate::windows`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WindowsError {
    /// A chromosome named by the annotation is absent from the FASTA; `hint` suggests
    /// `--chrom-alias` when an alias (`chr9` <-> `9`, `chrM` <-> `MT`) would match.
    #[error("chromosome {chrom:?} (used by {feature}) is not in the FASTA{hint}")]
    ChromosomeNotInFasta {
        /// The annotation's chromosome name.
        chrom: String,
        /// The first transcript or gene on it.
        feature: String,
        /// Empty, or a suggestion starting with `"; "`.
        hint: String,
    },
    /// A TSS that lies outside its chromosome as the FASTA gives it (annotation and FASTA disagree).
    #[error(
        "TSS of {feature} at {chrom}:{tss1} (1-based) is beyond the chromosome end ({chrom_len} bp in the FASTA)"
    )]
    TssOutsideChromosome {
        /// Transcript or gene id.
        feature: String,
        /// Chromosome name (FASTA naming).
        chrom: String,
        /// 1-based TSS position.
        tss1: u64,
        /// Chromosome length in the FASTA.
        chrom_len: u64,
    },
    /// A window longer than every chromosome of the FASTA and than 1 Mb (under `pad` it would
    /// be mostly `N`s; such sizes are refused before anything is allocated).
    #[error(
        "a window of {upstream} + 1 + {downstream} bases is longer than every chromosome of the FASTA (the longest has {longest} bp) and than 1 Mb"
    )]
    WindowTooLong {
        /// Bases upstream.
        upstream: u64,
        /// Bases downstream.
        downstream: u64,
        /// The longest chromosome.
        longest: u64,
    },
}

/// What was wrong with one GTF/GFF3 line (see [`AnnotationError::Record`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnnotationErrorKind {
    /// Fewer than the 9 tab-separated columns GTF/GFF3 require.
    #[error("expected 9 tab-separated columns, found {found}")]
    TooFewColumns {
        /// Number of columns found.
        found: usize,
    },
    /// A start or end column that is not a positive integer.
    #[error("{column} {value:?} is not a positive integer (coordinates are 1-based)")]
    BadCoordinate {
        /// `start` or `end`.
        column: &'static str,
        /// The text found.
        value: String,
    },
    /// start > end.
    #[error("start {start} > end {end}")]
    StartAfterEnd {
        /// 1-based start.
        start: u64,
        /// 1-based end.
        end: u64,
    },
    /// A strand column other than `+`, `-` (or `.`/`?` where allowed).
    #[error("unknown strand {0:?} (expected '+' or '-')")]
    BadStrand(String),
    /// The attribute column cannot be parsed.
    #[error("malformed attributes: {0}")]
    BadAttributes(String),
    /// A required attribute is missing.
    #[error("missing attribute {0}")]
    MissingAttribute(&'static str),
    /// A feature that refers to a transcript never defined and carries no gene information.
    #[error(
        "{feature} refers to unknown transcript {transcript:?} and carries no gene information"
    )]
    UnknownTranscript {
        /// The feature type (`exon`, `CDS`, ...).
        feature: String,
        /// The transcript id referred to.
        transcript: String,
    },
    /// A record that contradicts an earlier one (other chromosome or strand, other gene).
    #[error("{0}")]
    Inconsistent(String),
}
