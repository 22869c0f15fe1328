//! Errors of FASTA reading and sequence access ([`crate::fasta`], [`crate::seq`]).

use std::path::PathBuf;

/// Errors of FASTA parsing, `.fai`/`.gzi` indexes, compressed input and sequence fetches.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FastaError {
    /// Sequence data (or garbage) before the first `>` header line of a FASTA file.
    #[error("{}:{line}: expected a '>' header line before any sequence data (or the file has no record)", path.display())]
    NoHeader {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the offending line.
        line: u64,
    },
    /// A FASTA header line without a name (`>` alone, or `>` followed by white space).
    #[error("{}:{line}: FASTA header line has no sequence name", path.display())]
    EmptyName {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the header.
        line: u64,
    },
    /// A FASTA record with a header but no sequence.
    #[error("{}:{line}: FASTA record {name:?} has no sequence", path.display())]
    EmptyRecord {
        /// The FASTA file.
        path: PathBuf,
        /// 1-based line number of the record's header.
        line: u64,
        /// Record name.
        name: String,
    },
    /// Two FASTA records with the same name.
    #[error("{}:{line}: duplicate FASTA record name {name:?} (first seen on line {first_line})", path.display())]
    DuplicateName {
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
    InvalidByte {
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
    RaggedLines {
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
    Truncated {
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
}
