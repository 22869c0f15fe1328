//! `seq2expr baseline`: fit and evaluate baselines.
//!
//! `seq2expr baseline lr --train CSV --test CSV --features tfidf:3-6|kmer:3-6 [--C 1.0]`:
//! L2 logistic regression (scikit-learn's lbfgs objective, `models::lr`) on character n-gram
//! TF-IDF (scikit-learn `TfidfVectorizer(analyzer="char")` semantics, fitted on train) or raw
//! k-mer counts. Prints a metrics JSON (metrics of evalkit's registry, `evalkit::report`, with
//! percentile bootstrap CIs over the test examples) and writes per-example predictions
//! (`label<TAB>prediction<TAB>score...`).

use std::path::{Path, PathBuf};

use evalkit::report::{Inputs, Task, report_only};
use evalkit::stats::BootstrapConfig;
use datasets::dataset::{Example, read_dataset_file};
use models::lr::{LogisticRegression, LogisticRegressionConfig};
use seqenc::sparse::CsrMatrix;

use crate::error::{CliError, CliResult};
use crate::output::print_stdout;

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

enum Features {
    Tfidf(usize, usize),
    Kmer(usize, usize),
}

fn parse_features(s: &str) -> CliResult<Features> {
    let bad = || {
        CliError::Usage(format!(
            "--features {s:?}: expected tfidf:A-B or kmer:A-B (e.g. tfidf:3-6)"
        ))
    };
    let (kind, range) = s.split_once(':').ok_or_else(bad)?;
    let (a, b) = range.split_once('-').ok_or_else(bad)?;
    let (a, b): (usize, usize) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    match kind {
        "tfidf" => Ok(Features::Tfidf(a, b)),
        "kmer" => Ok(Features::Kmer(a, b)),
        _ => Err(bad()),
    }
}

fn featurize(
    f: &Features,
    train: &[Example],
    test: &[Example],
) -> CliResult<(CsrMatrix, CsrMatrix)> {
    let tr: Vec<&str> = train.iter().map(|e| e.sequence.as_str()).collect();
    let te: Vec<&str> = test.iter().map(|e| e.sequence.as_str()).collect();
    Ok(match *f {
        Features::Tfidf(a, b) => {
            let cfg = seqenc::tfidf::TfidfConfig {
                ngram_range: (a, b),
                ..Default::default()
            };
            let (v, x) = seqenc::tfidf::TfidfVectorizer::fit_transform(&tr, cfg)?;
            (x, v.transform(&te))
        }
        Features::Kmer(a, b) => {
            let k = seqenc::kmer::KmerCounter::new(a, b)?;
            (k.transform(&tr), k.transform(&te))
        }
    })
}

fn lr(a: LrArgs) -> CliResult {
    let features = parse_features(&a.features)?;
    let train = read_dataset_file(&a.train)?;
    let test = read_dataset_file(&a.test)?;
    if test.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no test examples",
            a.test.display()
        )));
    }
    let (xtr, xte) = featurize(&features, &train, &test)?;
    let ytr: Vec<u32> = train.iter().map(|e| e.label).collect();
    let cfg = LogisticRegressionConfig {
        c: a.c,
        tol: a.tol,
        max_iter: a.max_iter,
        ..Default::default()
    };
    let model = LogisticRegression::fit(&xtr, &ytr, &cfg)?;
    let proba = model.predict_proba(&xte)?;
    let pred: Vec<i64> = model.predict(&xte)?.into_iter().map(i64::from).collect();
    let yte: Vec<i64> = test.iter().map(|e| i64::from(e.label)).collect();
    let binary = model.classes == [0, 1];
    let score: Vec<f64> = proba.iter().map(|p| p[p.len() - 1]).collect();

    let boot = BootstrapConfig {
        n_resamples: a.bootstrap,
        level: 0.95,
        seed: a.seed,
    };
    let n = yte.len();
    let metrics = metrics_json(binary, &yte, &pred, &score, &boot)?;
    let pred_path = a
        .predictions
        .clone()
        .unwrap_or_else(|| default_predictions(&a.test));
    write_predictions(&pred_path, &model.classes, &yte, &pred, &proba)?;
    let out = serde_json::json!({
        "model": "logistic_regression",
        "features": a.features,
        "C": a.c,
        "train": a.train.display().to_string(),
        "test": a.test.display().to_string(),
        "n_train": train.len(),
        "n_test": n,
        "n_features": xtr.n_cols,
        "classes": model.classes,
        "n_iter": model.n_iter,
        "converged": model.converged,
        "bootstrap": { "n_resamples": a.bootstrap, "level": 0.95, "seed": a.seed },
        "metrics": metrics,
        "predictions": pred_path.display().to_string(),
    });
    let text = serde_json::to_string_pretty(&out)
        .map_err(|e| CliError::Usage(format!("metrics JSON: {e}")))?;
    print_stdout(&(text + "\n"))
}

/// The registry metrics a baseline reports: binary (label 1) or macro-averaged multiclass
/// precision/recall/F1, accuracy and MCC; for binary models also ROC AUC and average precision.
const METRICS: [&str; 7] = [
    "accuracy",
    "precision",
    "recall",
    "f1",
    "mcc",
    "roc_auc",
    "average_precision",
];

/// `metric -> {estimate, lower, upper, n_failed}` from the evalkit registry, every metric with a
/// bootstrap interval. A label metric that is undefined, or whose interval is, fails the run;
/// a score metric (ROC AUC, average precision) is `{"error": reason}` instead.
fn metrics_json(
    binary: bool,
    y: &[i64],
    pred: &[i64],
    score: &[f64],
    boot: &BootstrapConfig,
) -> CliResult<serde_json::Map<String, serde_json::Value>> {
    if boot.n_resamples == 0 {
        return Err(evalkit::Error::InvalidArgument("n_resamples must be > 0".into()).into());
    }
    let (task, names, score) = if binary {
        (Task::Binary, &METRICS[..], Some(score))
    } else {
        (Task::Multiclass, &METRICS[..5], None)
    };
    let inputs = Inputs::Classification {
        y_true: y,
        y_pred: Some(pred),
        y_score: score,
    };
    let report = report_only(task, inputs, names, boot)?;
    let mut out = serde_json::Map::new();
    for m in &report.metrics {
        let by_score = matches!(m.name, "roc_auc" | "average_precision");
        let json = match (m.value, m.ci) {
            (Some(estimate), Some(ci)) => serde_json::json!({
                "estimate": estimate, "lower": ci.lower, "upper": ci.upper, "n_failed": ci.n_failed
            }),
            _ => {
                let reason = m.error.as_ref().or(m.ci_error.as_ref());
                let reason = reason.cloned().unwrap_or_default();
                if !by_score {
                    return Err(CliError::Usage(format!("metric {}: {reason}", m.name)));
                }
                serde_json::json!({ "error": reason })
            }
        };
        out.insert(m.name.to_string(), json);
    }
    Ok(out)
}

fn default_predictions(test: &Path) -> PathBuf {
    let name = test
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "test".into());
    let stem = name.split('.').next().unwrap_or("test").to_string();
    test.with_file_name(format!("{stem}.lr_predictions.tsv"))
}

fn write_predictions(
    path: &Path,
    classes: &[u32],
    y: &[i64],
    pred: &[i64],
    proba: &[Vec<f64>],
) -> CliResult {
    genome_io::atomic::write_atomic(path, |w| {
        write!(w, "label\tprediction")?;
        if classes.len() == 2 {
            writeln!(w, "\tscore")?;
        } else {
            classes.iter().try_for_each(|c| write!(w, "\tp_{c}"))?;
            writeln!(w)?;
        }
        for ((t, p), pr) in y.iter().zip(pred).zip(proba) {
            write!(w, "{t}\t{p}")?;
            if classes.len() == 2 {
                write!(w, "\t{}", pr[1])?;
            } else {
                pr.iter().try_for_each(|v| write!(w, "\t{v}"))?;
            }
            writeln!(w)?;
        }
        Ok(())
    })?;
    Ok(())
}
