//! The CLI's error type: every library error plus usage and I/O errors.

/// Everything a subcommand can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// An error from genome-io.
    #[error(transparent)]
    Genome(#[from] genome_io::Error),
    /// An error from datasets.
    #[error(transparent)]
    Datasets(#[from] datasets::Error),
    /// An error from seqenc.
    #[error(transparent)]
    Seqenc(#[from] seqenc::Error),
    /// An error from models.
    #[error(transparent)]
    Models(#[from] models::Error),
    /// An error from evalkit.
    #[error(transparent)]
    Eval(#[from] evalkit::Error),
    /// An error from the pipeline.
    #[error(transparent)]
    Pipeline(#[from] pipeline::Error),
    /// A bad combination of options or a malformed argument.
    #[error("{0}")]
    Usage(String),
    /// Writing or flushing stdout failed (other than a broken pipe, see `output`).
    #[error("writing stdout")]
    Stdout(#[source] std::io::Error),
    /// An I/O error with context.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Result alias for subcommands.
pub type CliResult<T = ()> = Result<T, CliError>;
