//! The values of a report: task, inputs, metric values, the report and its JSON.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{Error, Result};

/// The error of a metric whose input column is absent.
pub const MISSING_INPUT: &str = "the input lacks the column this metric needs";

/// The kind of prediction task, which decides the metrics of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// Labels 0/1 with optional scores of class 1.
    Binary,
    /// Integer class labels.
    Multiclass,
    /// Real-valued targets.
    Regression,
    /// Two partitions (integer cluster ids).
    Clustering,
}

impl Task {
    /// The lower-case name (`"binary"`, `"multiclass"`, `"regression"`, `"clustering"`).
    ///
    /// ```
    /// assert_eq!(evalkit::report::Task::Multiclass.as_str(), "multiclass");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Task::Binary => "binary",
            Task::Multiclass => "multiclass",
            Task::Regression => "regression",
            Task::Clustering => "clustering",
        }
    }
}

/// The inputs of a report.
#[derive(Debug, Clone, Copy)]
pub enum Inputs<'a> {
    /// Binary or multiclass labels; either of `y_pred` and `y_score` may be absent.
    Classification {
        /// True labels.
        y_true: &'a [i64],
        /// Predicted labels.
        y_pred: Option<&'a [i64]>,
        /// Scores of class 1 (binary only; ignored for multiclass).
        y_score: Option<&'a [f64]>,
    },
    /// Real-valued targets and predictions.
    Regression {
        /// True values.
        y_true: &'a [f64],
        /// Predictions.
        y_pred: &'a [f64],
    },
    /// Two partitions.
    Clustering {
        /// Reference cluster ids.
        labels_true: &'a [i64],
        /// Predicted cluster ids.
        labels_pred: &'a [i64],
    },
}

/// A percentile bootstrap interval of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Resamples on which the metric was undefined (skipped).
    pub n_failed: usize,
}

/// One metric of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricValue {
    /// Registry name (snake_case), e.g. `"roc_auc"`.
    pub name: &'static str,
    /// The value; `None` when the metric is undefined for the input or its input is absent.
    pub value: Option<f64>,
    /// Why `value` is `None` (the evalkit error, or [`MISSING_INPUT`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The bootstrap interval, when one was asked for and the value is defined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci: Option<Interval>,
    /// Why the interval is missing although the value is defined (the metric failed on every
    /// resample).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci_error: Option<String>,
}

/// The bootstrap settings a report was computed with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapSettings {
    /// Confidence level.
    pub level: f64,
    /// Number of resamples.
    pub n_resamples: usize,
    /// Seed.
    pub seed: u64,
}

/// The metrics of one task on one input, in registry order.
///
/// It serialises as [`Report::to_json`] (the JSON `seq2expr metrics` prints).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The task.
    pub task: Task,
    /// Number of examples.
    pub n: usize,
    /// The metrics.
    pub metrics: Vec<MetricValue>,
    /// Bootstrap settings, when intervals were computed (`n_resamples > 0`).
    pub bootstrap: Option<BootstrapSettings>,
}

impl Report {
    /// The metric named `name`, if the report has it.
    ///
    /// ```
    /// use evalkit::report::report_clustering;
    /// let none = evalkit::stats::BootstrapConfig { n_resamples: 0, ..Default::default() };
    /// let r = report_clustering(&[0, 0, 1, 1], &[1, 1, 0, 0], &none).unwrap();
    /// assert_eq!(r.get("adjusted_rand_index").unwrap().value, Some(1.0));
    /// assert!(r.get("no_such_metric").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&MetricValue> {
        self.metrics.iter().find(|m| m.name == name)
    }

    /// The flat JSON object: one key per metric (its value or `null`), `n`, `task`, `errors`
    /// (metric -> reason, for every `null`) and, with a bootstrap, `ci` (metric -> `{lower,
    /// upper, n_failed}` plus `_settings: {level, n_resamples, seed}`).
    ///
    /// ```
    /// use evalkit::report::report_classification;
    /// use evalkit::report::Task;
    /// let none = evalkit::stats::BootstrapConfig { n_resamples: 0, ..Default::default() };
    /// let r = report_classification(Task::Binary, &[0, 1, 1], Some(&[0, 1, 0]), None, &none)
    ///     .unwrap();
    /// let j = r.to_json();
    /// assert!(j["roc_auc"].is_null());
    /// assert_eq!(j["errors"]["roc_auc"], evalkit::report::MISSING_INPUT);
    /// assert_eq!(j["task"], "binary");
    /// assert!(j.get("ci").is_none());
    /// ```
    pub fn to_json(&self) -> Value {
        let (mut out, mut errors, mut cis) = (Map::new(), Map::new(), Map::new());
        for m in &self.metrics {
            let name = m.name.to_string();
            match m.value {
                Some(v) => {
                    out.insert(name.clone(), json!(v));
                    if let Some(ci) = &m.ci {
                        cis.insert(
                            name,
                            json!({"lower": ci.lower, "upper": ci.upper, "n_failed": ci.n_failed}),
                        );
                    }
                }
                None => {
                    out.insert(name.clone(), Value::Null);
                    errors.insert(name, json!(m.error.clone().unwrap_or_default()));
                }
            }
        }
        out.insert("n".into(), json!(self.n));
        out.insert("task".into(), json!(self.task.as_str()));
        out.insert("errors".into(), Value::Object(errors));
        if let Some(b) = &self.bootstrap {
            cis.insert(
                "_settings".into(),
                json!({"level": b.level, "n_resamples": b.n_resamples, "seed": b.seed}),
            );
            out.insert("ci".into(), Value::Object(cis));
        }
        Value::Object(out)
    }

    /// Fails with [`Error::Undefined`] if a defined metric got no interval (it failed on every
    /// resample), for callers that treat that as an error of the input.
    ///
    /// ```
    /// use evalkit::report::report_regression;
    /// let cfg = evalkit::stats::BootstrapConfig { n_resamples: 20, level: 0.95, seed: 1 };
    /// let r = report_regression(&[1.0, 2.0, 4.0, 3.0], &[1.5, 2.0, 3.0, 3.5], &cfg).unwrap();
    /// assert!(r.require_intervals().is_ok());
    /// ```
    pub fn require_intervals(&self) -> Result<()> {
        match self.metrics.iter().find_map(|m| m.ci_error.as_ref()) {
            // `ci_error` is the bootstrap's error as displayed; give back that error's text.
            Some(e) => Err(Error::Undefined(
                e.strip_prefix("undefined: ").unwrap_or(e).to_string(),
            )),
            None => Ok(()),
        }
    }
}

impl Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

/// The regression report of one output column of a multi-output model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnReport {
    /// The column (output) name.
    pub column: String,
    /// Its report.
    pub report: Report,
}
