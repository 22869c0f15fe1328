//! # evalkit
//!
//! Metrics (classification, regression, clustering) exact to scikit-learn and scipy, confidence
//! intervals and paired tests, streaming accumulators, and SVG plots.
//!
//! Degenerate input (empty, mismatched lengths, constant vectors for correlations, one class for
//! AUC) returns an [`Error`] instead of NaN; the table in [`error`] lists which case gives which
//! error. Where scikit-learn defines a value for a degenerate case (MCC 0 for a constant
//! prediction, `zero_division`, R² of a constant `y_true`) the same value is returned.
//!
//! ```
//! let auc = evalkit::roc_auc(&[0, 1, 1, 0], &[0.2, 0.9, 0.6, 0.3]).unwrap();
//! assert_eq!(auc, 1.0);
//! assert!(matches!(evalkit::roc_auc(&[1, 1], &[0.2, 0.9]), Err(evalkit::Error::SingleClass(_))));
//! ```

mod buffer;
mod check;
pub mod classification;
pub mod clustering;
pub mod embedding;
pub mod error;
pub mod motifs;
pub mod plots;
mod rank;
pub mod regression;
pub mod report;
mod sort;
pub mod stats;
pub mod streaming;

pub use classification::{
    Average, BestF1, ConfusionMatrix, PrCurve, Prf, RocCurve, ZeroDivision, accuracy,
    average_precision, best_f1_threshold, brier, log_loss, mcc, precision_recall_curve,
    precision_recall_f1, roc_auc, roc_auc_ovo_macro, roc_auc_ovr_macro, roc_curve,
};
pub use clustering::{
    AverageMethod, ClusteringScores, Contingency, adjusted_mutual_info, adjusted_rand_index,
    clustering_scores, completeness, fowlkes_mallows, homogeneity, mutual_info,
    normalized_mutual_info, rand_index, v_measure, variation_of_information,
};
pub use error::{Error, MemeProblem, Result};
pub use regression::{
    Correlation, mae, mse, pearson, pearson_r2, pearson_test, r2, r2_strict, rank_average,
    spearman, spearman_test,
};
pub use streaming::{ConfusionAccumulator, RegressionAccumulator};
