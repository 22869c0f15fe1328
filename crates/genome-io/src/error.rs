//! The one error type of `genome-io`.
//!
//! Every variant names the file (and, where there is one, the line or record) and what was wrong,
//! so that a user can fix their input without reading the source.

use std::path::PathBuf;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while reading genomes, annotations and tables.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- common ----
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
    // ---- fasta / sequences (module fasta, seq, coords) ----
    /// Sequence data (or garbage) before the first `>` header line of a FASTA file.
    #[error("{}:{line}: expected a '>' header line before any sequence data (or the file has no record)", path.display())]
    FastaNoHeader {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: u64,
    },
    /// A FASTA header line without a name (`>` alone, or `>` followed by white space).
    #[error("{}:{line}: FASTA header line has no sequence name", path.display())]
    FastaEmptyName {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the header.
        line: u64,
    },
    /// A FASTA record with a header but no sequence.
    #[error("{}:{line}: FASTA record {name:?} has no sequence", path.display())]
    FastaEmptyRecord {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the record's header.
        line: u64,
        /// Record name.
        name: String,
    },
    /// Two FASTA records with the same name.
    #[error("{}:{line}: duplicate FASTA record name {name:?} (first seen on line {first_line})", path.display())]
    FastaDuplicateName {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the second header.
        line: u64,
        /// The repeated name.
        name: String,
        /// 1-based line number of the first header with that name.
        first_line: u64,
    },
    /// A byte that cannot be part of a sequence line (white space, control or non-ASCII byte).
    #[error("{}:{line}: invalid byte 0x{byte:02x} in the sequence of record {name:?}", path.display())]
    FastaInvalidByte {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Record name.
        name: String,
        /// The offending byte.
        byte: u8,
    },
    /// Sequence lines of uneven length, which makes a `.fai` index impossible.
    #[error("{}:{line}: record {name:?}: {msg} (all lines but the last must have the same length to be indexed)", path.display())]
    FastaRaggedLines {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: u64,
        /// Record name.
        name: String,
        /// What differed.
        msg: String,
    },
    /// A FASTA (or its compressed stream) that ends early.
    #[error("{}: truncated file: {msg}", path.display())]
    FastaTruncated {
        /// The FASTA file.
        path: PathBuf,
        /// What was cut off.
        msg: String,
    },
    /// A malformed `.fai` line (missing or non-numeric field, zero line length, duplicate name).
    #[error("{}:{line}: invalid .fai record: {msg}", path.display())]
    FaiParse {
        /// The `.fai` file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was wrong.
        msg: String,
    },
    /// A `.fai` index that does not describe its FASTA file.
    #[error("{}: index does not match {} (record {name:?}): {msg}; delete the index to rebuild it", fai.display(), fasta.display())]
    FaiMismatch {
        /// The `.fai` file.
        fai: PathBuf,
        /// The FASTA file it should describe.
        fasta: PathBuf,
        /// The record where the disagreement was found.
        name: String,
        /// What disagreed.
        msg: String,
    },
    /// A bgzip FASTA whose BGZF blocks or `.gzi` index are unusable.
    #[error("{}: {msg}", path.display())]
    Bgzf {
        /// The bgzip file or its `.gzi`.
        path: PathBuf,
        /// What was wrong.
        msg: String,
    },
    /// A plain-gzip FASTA too large to decompress whole into memory (gzip has no random access).
    #[error(
        "{}: plain gzip FASTA of {compressed_mb} MB (over the {limit_mb} MB limit for reading a gzip FASTA whole into memory, it has no random access); recompress it with `zcat {0} | bgzip > genome.fa.gz && samtools faidx genome.fa.gz` (bgzip + .fai + .gzi give random access), or decompress it to a plain FASTA",
        path.display()
    )]
    GzipTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, MB.
        compressed_mb: u64,
        /// The limit, MB.
        limit_mb: u64,
    },
    /// A sequence name absent from the FASTA; `hint` suggests `--chrom-alias` when an alias exists.
    #[error("{}: no sequence named {name:?}{hint}", path.display())]
    UnknownSequence {
        /// The FASTA file (`<memory>` for in-memory genomes).
        path: PathBuf,
        /// The requested name.
        name: String,
        /// Empty, or a suggestion starting with `"; "`.
        hint: String,
    },
    /// A fetch outside a record (`start > end` or `end > length`), 0-based half-open.
    #[error("{}: {name}:{start}-{end} (0-based half-open) is outside the record (length {len})", path.display())]
    FetchOutOfRange {
        /// The FASTA file (`<memory>` for in-memory genomes).
        path: PathBuf,
        /// Record name.
        name: String,
        /// Requested 0-based start.
        start: u64,
        /// Requested 0-based exclusive end.
        end: u64,
        /// Record length.
        len: u64,
    },
    // ---- annotation / tss / windows / output ----
    /// A malformed or inconsistent GTF/GFF3 record, with its 1-based line number.
    #[error("{}:{line}: {kind}", path.display())]
    Annotation {
        /// The annotation file (`<memory>` for in-memory input).
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: u64,
        /// What was wrong.
        kind: AnnotationErrorKind,
    },
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
    // ---- synth ----
    // ---- expression / targetscan / features ----
    /// A data row whose number of fields differs from the header's (or the first row's).
    #[error("{}:{line}: row has {found} fields, expected {expected}", path.display())]
    TableRaggedRow {
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
    TableNonNumeric {
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
    TableNonFinite {
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
    TableDuplicateId {
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
    TableEmpty {
        /// The table file.
        path: PathBuf,
        /// What was missing.
        msg: String,
    },
    /// A column requested by name (or index) that the table does not have.
    #[error("{}: no column {column:?} (columns: {available})", path.display())]
    TableMissingColumn {
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
    TableMissingCell {
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
    TableDuplicateCell {
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
    /// A TargetScan table whose header lacks a required column.
    #[error("{}: not a TargetScan {layout} table: {msg}", path.display())]
    TargetScanHeader {
        /// The TargetScan file.
        path: PathBuf,
        /// The layout expected (context++ scores or Summary_Counts).
        layout: String,
        /// What was missing.
        msg: String,
    },
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

// ---- annotation / tss / windows / output (error kinds) ----
/// What was wrong with one GTF/GFF3 line (see [`Error::Annotation`]).
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
