//! `seq2expr baseline`: fit and evaluate baselines.
//!
//! `seq2expr baseline lr --train CSV --test CSV --features tfidf:3-6|kmer:3-6 [--C 1.0]`:
//! L2 logistic regression (scikit-learn's lbfgs objective, `models::lr`) on character n-gram
//! TF-IDF (scikit-learn `TfidfVectorizer(analyzer="char")` semantics, fitted on train) or raw
//! k-mer counts (`pipeline::baseline`). Prints a metrics JSON (metrics of evalkit's registry, `evalkit::report`, with
//! percentile bootstrap CIs over the test examples) and writes per-example predictions
//! (`label<TAB>prediction<TAB>score...`).

use std::path::PathBuf;

use pipeline::baseline::{LrSettings, default_predictions, lr_baseline};

use crate::error::CliResult;
use crate::output::print_json;

/// Arguments of `seq2expr baseline`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: BaselineCommand,
}

#[derive(clap::Subcommand, Debug)]
enum BaselineCommand {
    /// Logistic regression on TF-IDF n-grams or k-mer counts.
    Lr(LrArgs),
}

#[derive(clap::Args, Debug)]
struct LrArgs {
    /// Training set (GUE CSV `sequence,label`, or DNABERT k-mer TSV; optionally .gz).
    #[arg(long)]
    train: PathBuf,
    /// Test set (same formats).
    #[arg(long)]
    test: PathBuf,
    /// Features: `tfidf:A-B` (character n-grams, A <= n <= B) or `kmer:A-B` (k-mer counts).
    #[arg(long, default_value = "tfidf:3-6")]
    features: String,
    /// Inverse regularisation strength (scikit-learn's C).
    #[arg(long = "C", default_value_t = 1.0)]
    c: f64,
    /// Gradient tolerance of the solver (max |grad| of the objective divided by C n).
    #[arg(long, default_value_t = 1e-8)]
    tol: f64,
    /// Maximum L-BFGS iterations.
    #[arg(long, default_value_t = 1000)]
    max_iter: usize,
    /// Predictions TSV (default: `<test>.lr_predictions.tsv` next to the test file).
    #[arg(long)]
    predictions: Option<PathBuf>,
    /// Bootstrap resamples for the confidence intervals.
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 0)]
    seed: u64,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    match args.command {
        BaselineCommand::Lr(a) => lr(a),
    }
}

fn lr(a: LrArgs) -> CliResult {
    let settings = LrSettings {
        features: a.features,
        c: a.c,
        tol: a.tol,
        max_iter: a.max_iter,
        bootstrap: a.bootstrap,
        seed: a.seed,
    };
    let predictions = a
        .predictions
        .unwrap_or_else(|| default_predictions(&a.test));
    let report = lr_baseline(&a.train, &a.test, &settings, &predictions)?;
    print_json(&report)
}
