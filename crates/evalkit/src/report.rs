//! Metric reports: the one registry of the metrics computed per task, with optional percentile
//! bootstrap intervals, as serde-serialisable values.
//!
//! The lists (names, order, functions, scikit-learn defaults) live in one place, so a metric is
//! added once and appears in every report: `seq2expr metrics`, `seq2expr baseline` and training
//! pipelines all read them from here.
//!
//! | task | metrics |
//! |---|---|
//! | [`Task::Binary`] | `accuracy`, `precision`, `recall`, `f1` (label 1), `mcc`, `roc_auc`, `average_precision` |
//! | [`Task::Multiclass`] | `accuracy`, `precision`, `recall`, `f1` (macro over the labels present), `*_micro`, `*_weighted`, `mcc` |
//! | [`Task::Regression`] | `r2` (`r2_score`), `pearson_r2`, `mse`, `mae`, `pearson`, `spearman` |
//! | [`Task::Clustering`] | `rand_index`, `adjusted_rand_index`, `mutual_info`, `normalized_mutual_info`, `adjusted_mutual_info` (arithmetic), `fowlkes_mallows`, `homogeneity`, `completeness`, `v_measure`, `variation_of_information` |
//!
//! `zero_division` is 0. A metric undefined for the input has no value and an error string; one
//! whose input column is absent (no `y_pred`, or no `y_score`) has the error
//! [`MISSING_INPUT`]. With `n_resamples > 0` every defined metric gets a 95 % (the configured
//! level) percentile bootstrap interval.
//!
//! ```
//! use evalkit::report::{report_regression, MetricValue};
//! use evalkit::stats::BootstrapConfig;
//! let none = BootstrapConfig { n_resamples: 0, ..Default::default() };
//! let r = report_regression(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.5], &none).unwrap();
//! assert_eq!(r.get("mae").and_then(|m| m.value), Some(0.5 / 3.0));
//! assert_eq!(r.to_json()["n"], 3);
//! ```

mod registry;
#[cfg(test)]
mod tests;
mod types;

use crate::stats::{BootstrapConfig, bootstrap_ci};
use crate::{Error, Result};
use registry::{Kind, specs};
pub use types::{
    BootstrapSettings, ColumnReport, Inputs, Interval, MISSING_INPUT, MetricValue, Report, Task,
};

/// The metric names of a task, in report order.
///
/// ```
/// let names = evalkit::report::metric_names(evalkit::report::Task::Regression);
/// assert_eq!(names, ["r2", "pearson_r2", "mse", "mae", "pearson", "spearman"]);
/// ```
pub fn metric_names(task: Task) -> Vec<&'static str> {
    specs(task).iter().map(|s| s.name).collect()
}

/// The report of every registry metric of `task` on `inputs`.
///
/// `cfg.n_resamples == 0` computes no intervals. Errors: [`Error::Empty`] for no examples,
/// [`Error::LengthMismatch`] for inputs of different lengths, [`Error::InvalidArgument`] for
/// inputs of another task or a bootstrap level outside (0, 1). Undefined metrics are not errors:
/// they are recorded in the report.
///
/// ```
/// use evalkit::report::{report, Inputs, Task};
/// let cfg = evalkit::stats::BootstrapConfig { n_resamples: 50, level: 0.95, seed: 3 };
/// let y = [0, 1, 1, 0, 1, 0];
/// let s = [0.1, 0.8, 0.7, 0.4, 0.3, 0.2];
/// let inputs = Inputs::Classification { y_true: &y, y_pred: None, y_score: Some(&s) };
/// let r = report(Task::Binary, inputs, &cfg).unwrap();
/// let auc = r.get("roc_auc").unwrap();
/// assert!((auc.value.unwrap() - 8.0 / 9.0).abs() < 1e-12);
/// assert!(auc.ci.unwrap().lower <= auc.value.unwrap());
/// assert!(r.get("accuracy").unwrap().value.is_none());
/// ```
pub fn report(task: Task, inputs: Inputs<'_>, cfg: &BootstrapConfig) -> Result<Report> {
    report_only(task, inputs, &metric_names(task), cfg)
}

/// As [`report`], for the registry metrics named in `names` only (kept in registry order).
/// An unknown name is an [`Error::InvalidArgument`].
///
/// ```
/// use evalkit::report::{report_only, Inputs, Task};
/// let none = evalkit::stats::BootstrapConfig { n_resamples: 0, ..Default::default() };
/// let inputs = Inputs::Regression { y_true: &[1.0, 2.0, 3.0], y_pred: &[1.0, 2.0, 4.0] };
/// let r = report_only(Task::Regression, inputs, &["mse", "mae"], &none).unwrap();
/// assert_eq!(r.metrics.len(), 2);
/// assert_eq!(r.get("mse").unwrap().value, Some(1.0 / 3.0));
/// assert!(report_only(Task::Regression, inputs, &["auc"], &none).is_err());
/// ```
pub fn report_only(
    task: Task,
    inputs: Inputs<'_>,
    names: &[&str],
    cfg: &BootstrapConfig,
) -> Result<Report> {
    let all = specs(task);
    if let Some(bad) = names.iter().find(|n| !all.iter().any(|s| s.name == **n)) {
        return Err(Error::InvalidArgument(format!(
            "no metric `{bad}` for the {} task",
            task.as_str()
        )));
    }
    let n = check_inputs(task, &inputs)?;
    if cfg.n_resamples > 0 && !(cfg.level > 0.0 && cfg.level < 1.0) {
        return Err(Error::InvalidArgument(format!(
            "level {} not in (0, 1)",
            cfg.level
        )));
    }
    let ident: Vec<usize> = (0..n).collect();
    let mut metrics = Vec::new();
    for spec in all.iter().filter(|s| names.contains(&s.name)) {
        let mut m = MetricValue {
            name: spec.name,
            value: None,
            error: None,
            ci: None,
            ci_error: None,
        };
        let Some(f) = metric_fn(spec.kind, &inputs) else {
            m.error = Some(MISSING_INPUT.to_string());
            metrics.push(m);
            continue;
        };
        match f(&ident) {
            Ok(v) => {
                m.value = Some(v);
                if cfg.n_resamples > 0 {
                    match bootstrap_ci(n, cfg, &f) {
                        Ok(ci) => {
                            m.ci = Some(Interval {
                                lower: ci.lower,
                                upper: ci.upper,
                                n_failed: ci.n_failed,
                            })
                        }
                        Err(e) => m.ci_error = Some(e.to_string()),
                    }
                }
            }
            Err(e) => m.error = Some(e.to_string()),
        }
        metrics.push(m);
    }
    Ok(Report {
        task,
        n,
        metrics,
        bootstrap: (cfg.n_resamples > 0).then_some(BootstrapSettings {
            level: cfg.level,
            n_resamples: cfg.n_resamples,
            seed: cfg.seed,
        }),
    })
}

/// The binary or multiclass report ([`report`] with [`Inputs::Classification`]).
///
/// ```
/// use evalkit::report::{report_classification, Task};
/// let none = evalkit::stats::BootstrapConfig { n_resamples: 0, ..Default::default() };
/// let r = report_classification(Task::Multiclass, &[0, 1, 2, 2], Some(&[0, 1, 1, 2]), None, &none)
///     .unwrap();
/// assert_eq!(r.get("accuracy").unwrap().value, Some(0.75));
/// assert_eq!(r.get("recall_micro").unwrap().value, Some(0.75));
/// ```
pub fn report_classification(
    task: Task,
    y_true: &[i64],
    y_pred: Option<&[i64]>,
    y_score: Option<&[f64]>,
    cfg: &BootstrapConfig,
) -> Result<Report> {
    let inputs = Inputs::Classification {
        y_true,
        y_pred,
        y_score,
    };
    report(task, inputs, cfg)
}

/// The regression report ([`report`] with [`Task::Regression`]).
///
/// ```
/// use evalkit::report::report_regression;
/// let none = evalkit::stats::BootstrapConfig { n_resamples: 0, ..Default::default() };
/// let r = report_regression(&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0], &none).unwrap();
/// assert_eq!(r.get("mse").unwrap().value, Some(2.0 / 3.0));
/// assert!(r.get("pearson").unwrap().error.as_deref().unwrap().contains("constant"));
/// ```
pub fn report_regression(y_true: &[f64], y_pred: &[f64], cfg: &BootstrapConfig) -> Result<Report> {
    report(Task::Regression, Inputs::Regression { y_true, y_pred }, cfg)
}

/// The clustering report ([`report`] with [`Task::Clustering`]).
///
/// ```
/// use evalkit::report::report_clustering;
/// let none = evalkit::stats::BootstrapConfig { n_resamples: 0, ..Default::default() };
/// let r = report_clustering(&[0, 0, 1, 1], &[0, 0, 0, 0], &none).unwrap();
/// assert_eq!(r.get("homogeneity").unwrap().value, Some(0.0));
/// assert_eq!(r.get("completeness").unwrap().value, Some(1.0));
/// ```
pub fn report_clustering(
    labels_true: &[i64],
    labels_pred: &[i64],
    cfg: &BootstrapConfig,
) -> Result<Report> {
    let inputs = Inputs::Clustering {
        labels_true,
        labels_pred,
    };
    report(Task::Clustering, inputs, cfg)
}

/// One regression report per output column of a multi-output model, in the order given:
/// `columns` holds `(name, y_true, y_pred)` per output. Column names must be distinct
/// ([`Error::InvalidArgument`]); each column is checked as in [`report`].
///
/// ```
/// use evalkit::report::report_regression_columns;
/// let none = evalkit::stats::BootstrapConfig { n_resamples: 0, ..Default::default() };
/// let (t1, p1) = ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]);
/// let (t2, p2) = ([0.0, 1.0, 0.0], [0.5, 0.5, 0.5]);
/// let cols = [("liver", &t1[..], &p1[..]), ("brain", &t2[..], &p2[..])];
/// let r = report_regression_columns(&cols, &none).unwrap();
/// assert_eq!(r[0].column, "liver");
/// assert_eq!(r[0].report.get("r2").unwrap().value, Some(1.0));
/// assert_eq!(r[1].report.get("mae").unwrap().value, Some(0.5));
/// let json = serde_json::to_value(&r).unwrap();
/// assert_eq!(json[1]["report"]["mae"], 0.5);
/// ```
pub fn report_regression_columns<S: AsRef<str>>(
    columns: &[(S, &[f64], &[f64])],
    cfg: &BootstrapConfig,
) -> Result<Vec<ColumnReport>> {
    let mut out: Vec<ColumnReport> = Vec::with_capacity(columns.len());
    for (name, t, p) in columns {
        let name = name.as_ref();
        if out.iter().any(|c| c.column == name) {
            return Err(Error::InvalidArgument(format!(
                "duplicate output column `{name}`"
            )));
        }
        out.push(ColumnReport {
            column: name.to_string(),
            report: report_regression(t, p, cfg)?,
        });
    }
    Ok(out)
}

fn pair_len(a: usize, b: usize, what: &'static str) -> Result<usize> {
    if a != b {
        return Err(Error::LengthMismatch {
            what,
            left: a,
            right: b,
        });
    }
    if a == 0 {
        return Err(Error::Empty(what));
    }
    Ok(a)
}

/// Checks that `inputs` suit `task` and are paired; returns the number of examples.
fn check_inputs(task: Task, inputs: &Inputs<'_>) -> Result<usize> {
    match (task, inputs) {
        (
            Task::Binary | Task::Multiclass,
            Inputs::Classification {
                y_true,
                y_pred,
                y_score,
            },
        ) => {
            if let Some(p) = y_pred {
                pair_len(y_true.len(), p.len(), "y_true / y_pred")?;
            }
            if let Some(s) = y_score {
                pair_len(y_true.len(), s.len(), "y_true / y_score")?;
            }
            pair_len(y_true.len(), y_true.len(), "y_true")
        }
        (Task::Regression, Inputs::Regression { y_true, y_pred }) => {
            pair_len(y_true.len(), y_pred.len(), "y_true / y_pred")
        }
        (
            Task::Clustering,
            Inputs::Clustering {
                labels_true,
                labels_pred,
            },
        ) => pair_len(
            labels_true.len(),
            labels_pred.len(),
            "labels_true / labels_pred",
        ),
        _ => Err(Error::InvalidArgument(format!(
            "inputs do not suit the {} task",
            task.as_str()
        ))),
    }
}

type IndexedMetric<'a> = Box<dyn Fn(&[usize]) -> Result<f64> + Sync + 'a>;

fn pick<T: Copy>(v: &[T], idx: &[usize]) -> Vec<T> {
    idx.iter().map(|&i| v[i]).collect()
}

/// The metric as a function of example indices, or `None` when its input is absent.
fn metric_fn<'a>(kind: Kind, inputs: &Inputs<'a>) -> Option<IndexedMetric<'a>> {
    match (kind, *inputs) {
        (Kind::Labels(f), Inputs::Classification { y_true, y_pred, .. }) => {
            let p = y_pred?;
            Some(Box::new(move |i| f(&pick(y_true, i), &pick(p, i))))
        }
        (
            Kind::Labels(f),
            Inputs::Clustering {
                labels_true,
                labels_pred,
            },
        ) => Some(Box::new(move |i| {
            f(&pick(labels_true, i), &pick(labels_pred, i))
        })),
        (
            Kind::Scores(f),
            Inputs::Classification {
                y_true, y_score, ..
            },
        ) => {
            let s = y_score?;
            Some(Box::new(move |i| f(&pick(y_true, i), &pick(s, i))))
        }
        (Kind::Reals(f), Inputs::Regression { y_true, y_pred }) => {
            Some(Box::new(move |i| f(&pick(y_true, i), &pick(y_pred, i))))
        }
        _ => None,
    }
}
