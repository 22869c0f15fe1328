//! The one error type of `evalkit`.
//!
//! Which degenerate input gives which error:
//!
//! | input | error |
//! |---|---|
//! | an empty slice (any metric, test or plot) | [`Error::Empty`] |
//! | two slices of different lengths | [`Error::LengthMismatch`] |
//! | NaN or infinite score / value | [`Error::NonFinite`] |
//! | a constant vector for Pearson / Spearman / `pearson_r2` / `r2_strict` | [`Error::Constant`] |
//! | only one class in `y_true` for ROC AUC, ROC curve, DeLong (and AP without positives) | [`Error::SingleClass`] |
//! | a label outside `{0, 1}` for a binary metric, or not in `labels` | [`Error::InvalidLabel`] |
//! | `zero_division = ZeroDivision::Error` and a 0/0 precision, recall or F1 | [`Error::ZeroDivision`] |
//! | too few samples for a statistic (e.g. a t-test on one pair) | [`Error::TooFewSamples`] |
//! | a bad argument (confidence level outside (0, 1), zero resamples, ...) | [`Error::InvalidArgument`] |
//! | a statistic undefined for this input (zero variance of differences, ...) | [`Error::Undefined`] |
//! | malformed CSV metrics log | [`Error::Parse`] |
//! | malformed MEME motif file | [`Error::Meme`] (file, line, motif, [`MemeProblem`]) |
//! | a file could not be written / read | [`Error::Io`] |
//! | plotters failed to draw | [`Error::Plot`] |

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while computing metrics or drawing plots.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input slice was empty.
    #[error("empty input: {0}")]
    Empty(&'static str),
    /// Two inputs that must be paired had different lengths.
    #[error("length mismatch: {what} ({left} vs {right})")]
    LengthMismatch {
        /// Which inputs were compared.
        what: &'static str,
        /// Length of the first input.
        left: usize,
        /// Length of the second input.
        right: usize,
    },
    /// A value was NaN or infinite.
    #[error("non-finite value in {what} at index {index}")]
    NonFinite {
        /// Which input.
        what: &'static str,
        /// 0-based index of the first offending value.
        index: usize,
    },
    /// An input is constant, so a correlation (or a strict R²) is undefined.
    #[error("{0} is constant: the metric is undefined")]
    Constant(&'static str),
    /// `y_true` holds only one class, so a ranking metric (ROC AUC, ...) is undefined.
    #[error("only one class present in y_true: {0} is undefined")]
    SingleClass(&'static str),
    /// A label was not valid for the metric (binary metrics need 0/1).
    #[error("invalid label {label} at index {index}: {reason}")]
    InvalidLabel {
        /// The offending label.
        label: i64,
        /// 0-based index.
        index: usize,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// A 0/0 occurred and [`crate::ZeroDivision::Error`] was requested.
    #[error("zero division in {0}")]
    ZeroDivision(&'static str),
    /// Too few samples for the statistic.
    #[error("too few samples for {what}: need at least {need}, got {got}")]
    TooFewSamples {
        /// The statistic.
        what: &'static str,
        /// Minimum needed.
        need: usize,
        /// Number given.
        got: usize,
    },
    /// An argument was out of range.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The statistic is undefined for this input.
    #[error("undefined: {0}")]
    Undefined(String),
    /// A metrics log could not be parsed.
    #[error("{path}:{line}: {msg}")]
    Parse {
        /// The file (or `<reader>`).
        path: String,
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        msg: String,
    },
    /// An I/O error with its context.
    #[error("{context}: {source}")]
    Io {
        /// What was being done (includes the path).
        context: String,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// Plotters failed to draw.
    #[error("plot error: {0}")]
    Plot(String),
    /// A MEME motif file is malformed.
    #[error("{path}:{line}: {}{problem}", motif.as_ref().map(|m| format!("motif {m}: ")).unwrap_or_default())]
    Meme {
        /// The file (or the name given for a reader).
        path: String,
        /// 1-based line number (the last line for a problem found at the end of the file).
        line: usize,
        /// The id of the motif being read, if any.
        motif: Option<String>,
        /// What was wrong.
        problem: MemeProblem,
    },
}

/// What is wrong in a MEME file ([`Error::Meme`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MemeProblem {
    /// No `ALPHABET=` line before the first motif (and no `alength= 4` to imply DNA).
    #[error("no ALPHABET= line before the first motif")]
    MissingAlphabet,
    /// An alphabet other than DNA `ACGT`.
    #[error("unsupported alphabet `{0}` (only ACGT)")]
    UnsupportedAlphabet(String),
    /// A matrix row with a number of values other than 4 (or `alength`).
    #[error("row has {got} values, expected {expected}")]
    RowWidth {
        /// Values expected per row.
        expected: usize,
        /// Values found.
        got: usize,
    },
    /// `w=` disagrees with the number of rows that follow.
    #[error("w= {declared} but {rows} matrix rows")]
    WidthMismatch {
        /// The declared width.
        declared: usize,
        /// Rows actually present.
        rows: usize,
    },
    /// A field that should be a number is not.
    #[error("`{0}` is not a number")]
    NotANumber(String),
    /// A probability that is negative, above 1 or not finite.
    #[error("probability {0} outside [0, 1]")]
    BadProbability(f64),
    /// A row (or the background) that does not sum to 1 within 0.01.
    #[error("row sums to {0}, not 1 (tolerance 0.01)")]
    RowSum(f64),
    /// A `letter-probability matrix:` line without a usable `w=` or `alength=`.
    #[error("bad matrix header: {0}")]
    BadHeader(String),
    /// A `MOTIF` line without an id, or a motif without a matrix.
    #[error("{0}")]
    BadMotif(String),
    /// The file holds no motif.
    #[error("no MOTIF in the file")]
    NoMotifs,
}
