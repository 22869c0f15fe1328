//! Classification metrics (binary and multiclass), exact to scikit-learn.
//!
//! Labels are `i64`; binary metrics need 0/1 with 1 the positive label. Scores are `f64`
//! (higher = more likely positive).

mod confusion;
mod multiclass;
mod prf;
pub(crate) mod ranking;

pub use confusion::{ConfusionMatrix, accuracy, mcc};
pub use multiclass::{brier, log_loss, roc_auc_ovo_macro, roc_auc_ovr_macro};
pub use prf::{Average, Prf, ZeroDivision, precision_recall_f1};
pub use ranking::{
    BestF1, PrCurve, RocCurve, average_precision, best_f1_threshold, precision_recall_curve,
    roc_auc, roc_curve,
};
