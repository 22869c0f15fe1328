//! The one error type of `models`.

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while building, training, saving or loading models.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // ---- config / training / checkpoints (burn) ----
    /// An invalid model or training configuration.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A device name that is not `cpu`, `wgpu[:N]` or `cuda[:N]` (from `--device` or
    /// `BURN_DEVICE`).
    #[error("unknown device '{0}' (expected cpu, wgpu, wgpu:N, cuda or cuda:N)")]
    UnknownDevice(String),
    /// The requested backend was not compiled in (enable the named cargo feature of `models`).
    #[error("device '{device}' needs the `{feature}` feature of the models crate")]
    DeviceUnavailable {
        /// The device asked for.
        device: String,
        /// The cargo feature that provides it.
        feature: &'static str,
    },
    /// Input data that does not fit the model or is not usable (shape, NaN, empty split).
    #[error("invalid data ({what}): {msg}")]
    Data {
        /// Which input (e.g. "train", "valid", "predict").
        what: String,
        /// What was wrong, naming the record where possible.
        msg: String,
    },
    /// Reading or writing a file failed.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A checkpoint or weight file that is corrupt, truncated or of the wrong format.
    #[error("corrupt or unreadable checkpoint {path}: {msg}")]
    Checkpoint {
        /// The file.
        path: std::path::PathBuf,
        /// What was wrong.
        msg: String,
    },
    /// Weights whose names or shapes do not match the model configuration.
    #[error("weights in {path} do not match the model configuration:\n{}", .problems.join("\n"))]
    WeightMismatch {
        /// The weight file.
        path: std::path::PathBuf,
        /// One line per problem: missing, unexpected or wrongly shaped tensor (name and shapes).
        problems: Vec<String>,
    },
    /// A weight file that lacks a tensor the model needs (Keras import: the Keras variable path).
    #[error("{path}: missing weight `{key}` (expected shape {expected:?})")]
    MissingWeight {
        /// The weight file.
        path: std::path::PathBuf,
        /// The tensor name looked for.
        key: String,
        /// The shape the model needs.
        expected: Vec<usize>,
    },
    /// A tensor of a weight file whose shape does not fit the model configuration.
    #[error("{path}: weight `{key}` has shape {found:?}, the configuration needs {expected:?}")]
    WeightShape {
        /// The weight file.
        path: std::path::PathBuf,
        /// The tensor name.
        key: String,
        /// The shape the model needs.
        expected: Vec<usize>,
        /// The shape in the file.
        found: Vec<usize>,
    },
    /// An output directory holds runs made from other data or settings; resuming them would
    /// silently reuse the old model.
    #[error(
        "{dir} holds a model trained with different {}: use another output directory, or start \
         afresh (the CLI's --force) to replace it",
        .differing.join(" and ")
    )]
    RunMismatch {
        /// The output directory.
        dir: std::path::PathBuf,
        /// What differs (data, architecture, named training settings).
        differing: Vec<String>,
    },
    /// Training produced a non-finite loss (diverged).
    #[error("training diverged: non-finite loss at epoch {epoch}")]
    Diverged {
        /// The epoch (1-based) at which the loss became NaN or infinite.
        epoch: usize,
    },
    // ---- language-model encoders (lm) ----
    /// A `config.json` that names an architecture this crate does not implement, or lacks the
    /// field that decides it.
    #[error("{path}: unsupported model: field `{field}` = {value}")]
    UnknownArchitecture {
        /// The `config.json` read.
        path: std::path::PathBuf,
        /// The deciding field (`model_type`, `architectures`, `position_embedding_type`, ...).
        field: String,
        /// Its value as found (JSON), or `missing`.
        value: String,
    },
    /// A tokenizer whose vocabulary does not fit the checkpoint's embedding matrix.
    #[error("tokenizer {path} has {vocab} tokens but the embedding matrix has {rows} rows{}", .detail)]
    VocabMismatch {
        /// The vocabulary file (`vocab.txt` or `tokenizer.json`).
        path: std::path::PathBuf,
        /// Tokens in the vocabulary.
        vocab: usize,
        /// Rows of the word-embedding matrix (`vocab_size`).
        rows: usize,
        /// Extra explanation (may be empty).
        detail: String,
    },
    /// A token id that has no embedding row.
    #[error(
        "input row {row}, position {pos}: token id {id} is outside the vocabulary (size {vocab})"
    )]
    TokenOutOfVocab {
        /// Batch row.
        row: usize,
        /// Token position.
        pos: usize,
        /// The offending id.
        id: u32,
        /// Vocabulary size (embedding rows).
        vocab: usize,
    },
    /// An input longer than the model's position table (use chunking for long inputs).
    #[error(
        "input row {row} has {len} tokens but the model accepts at most {max} (split it with `lm::chunk`)"
    )]
    InputTooLong {
        /// Batch row.
        row: usize,
        /// Its length in tokens (special tokens included).
        len: usize,
        /// The model's maximum.
        max: usize,
    },
    // ---- logistic regression baseline ----
    /// Malformed or mismatched input to the logistic regression (CSR structure, row/label count,
    /// feature count at prediction).
    #[error("logistic regression input: {0}")]
    LrInput(String),
    /// Invalid logistic-regression options (`C <= 0`, negative tolerance).
    #[error("logistic regression options: {0}")]
    LrConfig(String),
    /// Training labels with fewer than two distinct classes.
    #[error("logistic regression needs at least 2 classes in the training labels, found {classes}")]
    LrSingleClass {
        /// Number of distinct classes found.
        classes: usize,
    },
}
