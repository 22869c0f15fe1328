//! # evalkit
//!
//! Metrics (classification, regression, clustering) exact to scikit-learn and scipy, confidence
//! intervals and paired tests, streaming accumulators, and SVG plots.
//!
//! Degenerate input (empty, mismatched lengths, constant vectors for correlations, one class for
//! AUC) returns an [`Error`] instead of NaN.

pub mod error;

pub use error::{Error, Result};
