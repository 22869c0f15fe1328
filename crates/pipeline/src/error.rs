//! The pipeline's error: every library error, wrapped transparently, plus usage errors.

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a study can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An error from genome-io (files, coordinates, tables).
    #[error(transparent)]
    Genome(#[from] genome_io::Error),
    /// An error from datasets (splits, features, miREx vectors, the synthetic world).
    #[error(transparent)]
    Datasets(#[from] datasets::Error),
    /// An error from seqenc.
    #[error(transparent)]
    Seqenc(#[from] seqenc::Error),
    /// An error from models (configuration, training, checkpoints).
    #[error(transparent)]
    Models(#[from] models::Error),
    /// An error from evalkit (metrics, plots).
    #[error(transparent)]
    Eval(#[from] evalkit::Error),
    /// An error of GeneRAIN data preparation or of a prepared directory.
    #[error(transparent)]
    Generain(#[from] crate::generain::PrepareError),
    /// An error of the GeneRAIN gene-embedding evaluation.
    #[error(transparent)]
    GenerainEvaluate(#[from] crate::generain::evaluate::EvaluateError),
    /// A bad setting or a combination of inputs that cannot work, said in words.
    #[error("{0}")]
    Usage(String),
    /// A model directory whose files disagree with each other or with the inputs.
    #[error("model directory {dir}: {msg}")]
    ModelDir {
        /// The directory.
        dir: std::path::PathBuf,
        /// What is wrong.
        msg: String,
    },
    /// A malformed line of an input file.
    #[error("{path}:{line}: {msg}")]
    Input {
        /// The file (`<stdin>` for standard input).
        path: String,
        /// 1-based line number.
        line: u64,
        /// What was wrong.
        msg: String,
    },
    /// Reading or writing a file failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, naming the file.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Wraps an I/O error with what was being done (`map_err(io_err(format!(..)))`).
pub(crate) fn io_err(context: String) -> impl FnOnce(std::io::Error) -> Error {
    move |source| Error::Io { context, source }
}
