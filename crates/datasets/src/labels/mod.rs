//! Expression labels for classification tasks.
//!
//! - [`label_by_percentile`]: the lncRNA promoter study's rule — a gene is *high* if above the
//!   75th percentile in every tissue, *low* if below the 25th in every tissue (thresholds
//!   configurable; percentiles as numpy's default, see [`percentile`]).
//! - [`join_to_annotation`]: match table genes to annotation records by gene id (versions
//!   stripped) or gene name, with counts; zero matches is a typed error.
//! - [`balance_by_downsampling`]: seeded down-sampling to equal class sizes.

mod balance;
mod join;
mod percentile;

pub use balance::balance_by_downsampling;
pub use join::{Join, JoinKey, JoinReport, JoinedGene, join_to_annotation};
pub use percentile::{
    ExpressionClass, PercentileLabels, PercentileRule, label_by_percentile, percentile,
};
