//! The metric lists, one per task: the only place a metric is added to the reports.

use super::Task;
use crate::{Average, AverageMethod, Result, ZeroDivision};

/// What a metric reads, with its function.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// Two label vectors: `(y_true, y_pred)` or `(labels_true, labels_pred)`.
    Labels(fn(&[i64], &[i64]) -> Result<f64>),
    /// Labels and scores of class 1: `(y_true, y_score)`.
    Scores(fn(&[i64], &[f64]) -> Result<f64>),
    /// Two real vectors: `(y_true, y_pred)`.
    Reals(fn(&[f64], &[f64]) -> Result<f64>),
}

/// One entry of the registry.
#[derive(Clone, Copy)]
pub(crate) struct Spec {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
}

fn prf(t: &[i64], p: &[i64], avg: Average, which: usize) -> Result<f64> {
    let r = crate::precision_recall_f1(t, p, None, avg, ZeroDivision::Zero)?;
    Ok([r.precision, r.recall, r.f1][which])
}

/// `precision`, `recall`, `f1` for one averaging, as non-capturing closures (fn pointers).
macro_rules! prf_specs {
    ($avg:expr, $p:literal, $r:literal, $f:literal) => {
        [
            Spec {
                name: $p,
                kind: Kind::Labels(|t, p| prf(t, p, $avg, 0)),
            },
            Spec {
                name: $r,
                kind: Kind::Labels(|t, p| prf(t, p, $avg, 1)),
            },
            Spec {
                name: $f,
                kind: Kind::Labels(|t, p| prf(t, p, $avg, 2)),
            },
        ]
    };
}

fn labels(name: &'static str, f: fn(&[i64], &[i64]) -> Result<f64>) -> Spec {
    Spec {
        name,
        kind: Kind::Labels(f),
    }
}

fn scores(name: &'static str, f: fn(&[i64], &[f64]) -> Result<f64>) -> Spec {
    Spec {
        name,
        kind: Kind::Scores(f),
    }
}

fn reals(name: &'static str, f: fn(&[f64], &[f64]) -> Result<f64>) -> Spec {
    Spec {
        name,
        kind: Kind::Reals(f),
    }
}

/// The metrics of a task, in report order.
pub(crate) fn specs(task: Task) -> Vec<Spec> {
    match task {
        Task::Binary => {
            let mut v = vec![labels("accuracy", crate::accuracy)];
            v.extend(prf_specs!(Average::Binary, "precision", "recall", "f1"));
            v.push(labels("mcc", crate::mcc));
            v.push(scores("roc_auc", crate::roc_auc));
            v.push(scores("average_precision", crate::average_precision));
            v
        }
        Task::Multiclass => {
            let mut v = vec![labels("accuracy", crate::accuracy)];
            v.extend(prf_specs!(Average::Macro, "precision", "recall", "f1"));
            v.extend(prf_specs!(
                Average::Micro,
                "precision_micro",
                "recall_micro",
                "f1_micro"
            ));
            v.extend(prf_specs!(
                Average::Weighted,
                "precision_weighted",
                "recall_weighted",
                "f1_weighted"
            ));
            v.push(labels("mcc", crate::mcc));
            v
        }
        Task::Regression => vec![
            reals("r2", crate::r2),
            reals("pearson_r2", crate::pearson_r2),
            reals("mse", crate::mse),
            reals("mae", crate::mae),
            reals("pearson", crate::pearson),
            reals("spearman", crate::spearman),
        ],
        Task::Clustering => vec![
            labels("rand_index", crate::rand_index),
            labels("adjusted_rand_index", crate::adjusted_rand_index),
            labels("mutual_info", crate::mutual_info),
            labels("normalized_mutual_info", |a, b| {
                crate::normalized_mutual_info(a, b, AverageMethod::Arithmetic)
            }),
            labels("adjusted_mutual_info", |a, b| {
                crate::adjusted_mutual_info(a, b, AverageMethod::Arithmetic)
            }),
            labels("fowlkes_mallows", crate::fowlkes_mallows),
            labels("homogeneity", crate::homogeneity),
            labels("completeness", crate::completeness),
            labels("v_measure", crate::v_measure),
            labels("variation_of_information", crate::variation_of_information),
        ],
    }
}
