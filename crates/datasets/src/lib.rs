//! # datasets
//!
//! Dataset preparation for seq2expr, built on the readers of `genome-io`: the synthetic world
//! ([`synth`]), the lncRNA promoter tasks and GUE/DNABERT data-set files ([`dataset`]),
//! negative sets ([`negatives`]), expression labels ([`labels`]), stratified splits
//! ([`splits`]), gene-structure features ([`features`]) and miREx's miRNA feature vectors
//! ([`mirex`]), and a synthetic bulk-expression world with planted co-expression modules
//! ([`synth_expr`]).
//!
//! Positions follow `genome-io`: **0-based half-open** unless a function says otherwise.
//! This crate does not depend on burn.

pub mod dataset;
pub mod error;
pub mod features;
pub mod labels;
pub mod mirex;
pub mod negatives;
pub mod splits;
pub mod synth;
pub mod synth_expr;

pub use error::{Error, Result};
