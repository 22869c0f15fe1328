//! # models
//!
//! burn 0.22 models for seq2expr: the Xpresso CNN and miREx, BERT-style DNA encoders, and a
//! logistic-regression baseline (no burn), plus the training loop, checkpoints and weight import.
//!
//! The backend is chosen at run time through burn's `Device` (CPU = burn-flex by default,
//! `wgpu` and `cuda` behind features).

pub mod error;

pub use error::{Error, Result};
