//! One module per subcommand.

pub mod attribute;
pub mod baseline;
pub mod dataset;
pub mod deepcba;
pub mod demo;
pub mod generain;
pub mod lm;
pub mod lm_train;
pub mod metrics;
pub mod motifs;
pub mod predict;
pub mod reproduce;
pub mod tokenize;
pub mod train;
pub mod variants;
pub mod windows;
