//! The one error type of `seqenc`.

use std::path::PathBuf;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while encoding sequences or expression values.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An invalid argument or option value.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),

    // ---- I/O -------------------------------------------------------------------------------
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    // ---- vocabularies and tokenizers --------------------------------------------------------
    /// A token occurs twice in a vocabulary.
    #[error(
        "{origin}: line {line}: token {token:?} is duplicated (first seen on line {first_line})"
    )]
    DuplicateToken {
        /// The vocabulary file (or `<built-in>`).
        origin: String,
        /// 1-based line of the second occurrence.
        line: usize,
        /// 1-based line of the first occurrence.
        first_line: usize,
        /// The token.
        token: String,
    },
    /// A required (special or k-mer) token is absent from a vocabulary.
    #[error("{origin}: required token {token:?} is missing from the vocabulary")]
    MissingToken {
        /// The vocabulary file (or `<built-in>`).
        origin: String,
        /// The token.
        token: String,
    },
    /// A vocabulary does not have the size its model requires.
    #[error("{origin}: vocabulary has {found} tokens, expected {expected}")]
    VocabSize {
        /// The vocabulary file (or `<built-in>`).
        origin: String,
        /// Expected size (e.g. `5 + 4^k` for DNABERT).
        expected: usize,
        /// Actual size.
        found: usize,
    },
    /// A `tokenizer.json` could not be parsed, or holds another model than the one required.
    #[error("{origin}: bad tokenizer.json: {message}")]
    TokenizerJson {
        /// The file.
        origin: String,
        /// What was wrong.
        message: String,
    },
    /// The HF `tokenizers` library reported an error while encoding, decoding or training.
    #[error("tokenizers: {0}")]
    Tokenizers(String),
    /// A token id is outside the vocabulary.
    #[error("token id {id} is outside the vocabulary (size {vocab_size})")]
    UnknownId {
        /// The id.
        id: u32,
        /// Vocabulary size.
        vocab_size: usize,
    },

    // ---- sequences --------------------------------------------------------------------------
    /// An empty sequence (or corpus) was given where a non-empty one is required.
    #[error("sequence {index}: empty, but {what} needs a non-empty one")]
    EmptySequence {
        /// 0-based index of the sequence in its batch or corpus.
        index: usize,
        /// The operation that needed it.
        what: &'static str,
    },
    /// A byte that the chosen policy rejects (e.g. `N` under `NPolicy::Error`).
    #[error("sequence {index}, position {pos} (0-based): byte {byte:?} is not allowed here")]
    InvalidBase {
        /// 0-based sequence index in the batch.
        index: usize,
        /// 0-based position in the sequence.
        pos: usize,
        /// The offending byte, as a char.
        byte: char,
    },
    /// A sequence is longer than the requested fixed length.
    #[error("sequence {index}: length {len} exceeds the batch length {max}")]
    SequenceTooLong {
        /// 0-based sequence index in the batch.
        index: usize,
        /// Its length.
        len: usize,
        /// The fixed length.
        max: usize,
    },

    // ---- expression matrices ----------------------------------------------------------------
    /// A NaN, infinite or negative expression value.
    #[error(
        "{origin}: row {row}, column {col} (0-based): value {value} is not a finite non-negative number"
    )]
    BadValue {
        /// The file or `<memory>`.
        origin: String,
        /// 0-based row (gene).
        row: usize,
        /// 0-based column (sample).
        col: usize,
        /// The value.
        value: f64,
    },
    /// A row with another number of fields than the header/first row.
    #[error("{origin}: line {line}: {found} values, expected {expected} (ragged matrix)")]
    Ragged {
        /// The file or `<memory>`.
        origin: String,
        /// 1-based line (or 1-based row for in-memory data).
        line: usize,
        /// Expected number of values.
        expected: usize,
        /// Found number of values.
        found: usize,
    },
    /// A field that does not parse.
    #[error("{origin}: line {line}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// What was wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
