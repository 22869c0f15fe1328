//! The lncRNA study's logistic-regression baseline: TF-IDF character n-grams (or k-mer counts)
//! + L2 logistic regression, evaluated with evalkit's registry and bootstrap intervals.
//!
//! `models::lr` solves scikit-learn's lbfgs objective; `seqenc::tfidf` has scikit-learn's
//! `TfidfVectorizer(analyzer="char")` semantics, fitted on the training set only.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use datasets::dataset::{Example, read_dataset_file};
use evalkit::report::{Inputs, Task, report_only};
use evalkit::stats::BootstrapConfig;
use models::lr::{LogisticRegression, LogisticRegressionConfig};
use seqenc::sparse::CsrMatrix;

use crate::error::{Error, Result, io_err};

/// The features of the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LrFeatures {
    /// TF-IDF of character n-grams, `a <= n <= b`.
    Tfidf(usize, usize),
    /// Raw k-mer counts, `a <= k <= b`.
    Kmer(usize, usize),
}

impl FromStr for LrFeatures {
    type Err = Error;

    /// `tfidf:A-B` or `kmer:A-B`.
    ///
    /// ```
    /// use pipeline::baseline::LrFeatures;
    /// assert_eq!("tfidf:3-6".parse::<LrFeatures>().unwrap(), LrFeatures::Tfidf(3, 6));
    /// assert!("tfidf:3".parse::<LrFeatures>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::Usage(format!(
                "--features {s:?}: expected tfidf:A-B or kmer:A-B (e.g. tfidf:3-6)"
            ))
        };
        let (kind, range) = s.split_once(':').ok_or_else(bad)?;
        let (a, b) = range.split_once('-').ok_or_else(bad)?;
        let (a, b): (usize, usize) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
        match kind {
            "tfidf" => Ok(Self::Tfidf(a, b)),
            "kmer" => Ok(Self::Kmer(a, b)),
            _ => Err(bad()),
        }
    }
}

/// Settings of [`lr_baseline`] (the defaults are the CLI's).
#[derive(Debug, Clone)]
pub struct LrSettings {
    /// The features, as given (`tfidf:3-6`); parsed by [`LrFeatures`].
    pub features: String,
    /// Inverse regularisation strength (scikit-learn's `C`).
    pub c: f64,
    /// Gradient tolerance of the solver.
    pub tol: f64,
    /// Maximum L-BFGS iterations.
    pub max_iter: usize,
    /// Bootstrap resamples of the test examples.
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
}

impl Default for LrSettings {
    fn default() -> Self {
        Self {
            features: "tfidf:3-6".into(),
            c: 1.0,
            tol: 1e-8,
            max_iter: 1000,
            bootstrap: 1000,
            seed: 0,
        }
    }
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

/// `<stem>.lr_predictions.tsv` beside the test file.
pub fn default_predictions(test: &Path) -> PathBuf {
    let name = test
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "test".into());
    let stem = name.split('.').next().unwrap_or("test").to_string();
    test.with_file_name(format!("{stem}.lr_predictions.tsv"))
}

/// Fits the baseline on `train`, evaluates it on `test` and writes per-example predictions
/// (`label<TAB>prediction<TAB>score`, or one `p_CLASS` column per class) to `predictions`
/// atomically. Returns the report the CLI prints (model, settings, sizes, convergence and
/// `metrics: {name: {estimate, lower, upper, n_failed}}`).
///
/// Errors: unreadable or malformed data-set files (naming file and line), no test example,
/// bad features, a label metric that is undefined on the test set.
pub fn lr_baseline(
    train_path: &Path,
    test_path: &Path,
    s: &LrSettings,
    predictions: &Path,
) -> Result<serde_json::Value> {
    let features: LrFeatures = s.features.parse()?;
    if s.bootstrap == 0 {
        return Err(evalkit::Error::InvalidArgument("n_resamples must be > 0".into()).into());
    }
    let train = read_dataset_file(train_path)?;
    let test = read_dataset_file(test_path)?;
    if test.is_empty() {
        return Err(Error::Usage(format!(
            "{}: no test examples",
            test_path.display()
        )));
    }
    let (xtr, xte) = featurize(features, &train, &test)?;
    let ytr: Vec<u32> = train.iter().map(|e| e.label).collect();
    let cfg = LogisticRegressionConfig {
        c: s.c,
        tol: s.tol,
        max_iter: s.max_iter,
        ..Default::default()
    };
    let model = LogisticRegression::fit(&xtr, &ytr, &cfg)?;
    let proba = model.predict_proba(&xte)?;
    let pred: Vec<i64> = model.predict(&xte)?.into_iter().map(i64::from).collect();
    let yte: Vec<i64> = test.iter().map(|e| i64::from(e.label)).collect();
    let binary = model.classes == [0, 1];
    let score: Vec<f64> = proba.iter().map(|p| p[p.len() - 1]).collect();
    let boot = BootstrapConfig {
        n_resamples: s.bootstrap,
        level: 0.95,
        seed: s.seed,
    };
    let metrics = metrics_json(binary, &yte, &pred, &score, &boot)?;
    write_predictions(predictions, &model.classes, &yte, &pred, &proba)?;
    Ok(serde_json::json!({
        "model": "logistic_regression",
        "features": s.features,
        "C": s.c,
        "train": train_path.display().to_string(),
        "test": test_path.display().to_string(),
        "n_train": train.len(),
        "n_test": yte.len(),
        "n_features": xtr.n_cols,
        "classes": model.classes,
        "n_iter": model.n_iter,
        "converged": model.converged,
        "bootstrap": { "n_resamples": s.bootstrap, "level": 0.95, "seed": s.seed },
        "metrics": metrics,
        "predictions": predictions.display().to_string(),
    }))
}

fn featurize(f: LrFeatures, train: &[Example], test: &[Example]) -> Result<(CsrMatrix, CsrMatrix)> {
    let tr: Vec<&str> = train.iter().map(|e| e.sequence.as_str()).collect();
    let te: Vec<&str> = test.iter().map(|e| e.sequence.as_str()).collect();
    Ok(match f {
        LrFeatures::Tfidf(a, b) => {
            let cfg = seqenc::tfidf::TfidfConfig {
                ngram_range: (a, b),
                ..Default::default()
            };
            let (v, x) = seqenc::tfidf::TfidfVectorizer::fit_transform(&tr, cfg)?;
            (x, v.transform(&te))
        }
        LrFeatures::Kmer(a, b) => {
            let k = seqenc::kmer::KmerCounter::new(a, b)?;
            (k.transform(&tr), k.transform(&te))
        }
    })
}

/// `metric -> {estimate, lower, upper, n_failed}` from the evalkit registry. A label metric
/// that is undefined, or whose interval is, fails the run; a score metric (ROC AUC, average
/// precision) is `{"error": reason}` instead.
pub(crate) fn metrics_json(
    binary: bool,
    y: &[i64],
    pred: &[i64],
    score: &[f64],
    boot: &BootstrapConfig,
) -> Result<serde_json::Map<String, serde_json::Value>> {
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
    report_json(task, inputs, names, boot)
}

/// `mse`, `mae`, `r2`, `pearson`, `spearman` with intervals (undefined ones as errors).
pub(crate) fn regression_metrics_json(
    y: &[f64],
    pred: &[f64],
    boot: &BootstrapConfig,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    let inputs = Inputs::Regression {
        y_true: y,
        y_pred: pred,
    };
    let names = ["mse", "mae", "r2", "pearson", "spearman"];
    report_json(Task::Regression, inputs, &names, boot)
}

fn report_json(
    task: Task,
    inputs: Inputs<'_>,
    names: &[&str],
    boot: &BootstrapConfig,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    let report = report_only(task, inputs, names, boot)?;
    let mut out = serde_json::Map::new();
    for m in &report.metrics {
        let by_score = matches!(
            m.name,
            "roc_auc" | "average_precision" | "r2" | "pearson" | "spearman"
        );
        let json = match (m.value, m.ci) {
            (Some(estimate), Some(ci)) => serde_json::json!({
                "estimate": estimate, "lower": ci.lower, "upper": ci.upper, "n_failed": ci.n_failed
            }),
            _ => {
                let reason = m.error.as_ref().or(m.ci_error.as_ref());
                let reason = reason.cloned().unwrap_or_default();
                if !by_score {
                    return Err(Error::Usage(format!("metric {}: {reason}", m.name)));
                }
                serde_json::json!({ "error": reason })
            }
        };
        out.insert(m.name.to_string(), json);
    }
    Ok(out)
}

pub(crate) fn write_predictions(
    path: &Path,
    classes: &[u32],
    y: &[i64],
    pred: &[i64],
    proba: &[Vec<f64>],
) -> Result<()> {
    outfile::write_atomic(path, |w| {
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
    })
    .map_err(io_err("writing the predictions".into()))
}
