//! # models
//!
//! burn 0.22 models for seq2expr: the Xpresso CNN and miREx, BERT-style DNA encoders, and a
//! logistic-regression baseline (no burn), plus the training loop, checkpoints and weight import.
//!
//! The backend is chosen at run time through burn's `Device` (CPU = burn-flex by default,
//! `wgpu` and `cuda` behind features).
//!
//! ## Features
//!
//! `burn` (default) builds the burn half: Xpresso, miREx, the training loop, checkpoints and
//! import. With `default-features = false` only the logistic-regression baseline ([`lr`])
//! remains, which needs no burn. `wgpu` adds the wgpu backend; `cuda` the CUDA backend (it
//! cannot be built offline: its build script downloads an LLVM bundle).
//!
//! ## Allocator
//!
//! Training allocates and frees activations of hundreds of megabytes per step. With glibc's
//! malloc each one is returned to the kernel and faulted back in, which halves CPU training
//! speed; binaries should use a retaining allocator (the `seq2expr` CLI uses `mimalloc` as its
//! `#[global_allocator]`; see `docs/decisions/0007-mimalloc.md`).
//!
//! ## Determinism
//!
//! A run's seed fixes the initialisation, the shuffling and dropout; the same seed gives the
//! same weights on the CPU. burn's device RNG is process-wide per backend, so two trainings
//! running *concurrently in one process* on the same backend interleave their draws; run them
//! one after the other (the CLI does).
//!
//! ## Xpresso / miREx in five calls (feature `burn`)
//!
//! ```no_run
//! use models::{TrainConfig, XpressoConfig, XpressoData, select_device, train_xpresso};
//! # fn main() -> models::Result<()> {
//! // one-hot [n, 4, L] channels-first (A,C,G,T), features [n, F], labels [n]
//! let (l, f) = (10_500, 8);
//! let train = XpressoData::new(vec![0.0; 2 * 4 * l], vec![0.0; 2 * f], vec![1.0, 2.0], l, f)?;
//! let valid = train.clone();
//! let device = select_device(Some("cpu"))?; // or None: BURN_DEVICE, else CPU
//! let report = train_xpresso(&train, &valid, &XpressoConfig::xpresso_human(),
//!                            &TrainConfig::xpresso(), "out".as_ref(), &device)?;
//! let (_saved, model) = models::load_trained("out".as_ref(), &device)?;
//! let predictions: Vec<f32> = models::predict(&model, &valid, 256)?;
//! # let _ = (report, predictions); Ok(()) }
//! ```
//!
//! * [`train_xpresso`] runs `n_runs` seeds in `out/run-XX/` (each with `metrics.csv`,
//!   `state.json`, epoch checkpoints, `best.safetensors`), keeps the best run *by validation
//!   loss* and writes `out/model.safetensors`, `out/config.json`, `out/report.json`. Calling it
//!   again on the same directory resumes interrupted runs exactly.
//! * miREx: select miRNAs on training-gene residuals with [`mirex::select_mirnas`], append them
//!   with [`mirex::append_mirna_features`], train with [`mirex::mirex_config`].
//! * PyTorch weights: [`import_pytorch_safetensors`] with a declared [`KeyMapping`].
//! * Errors are typed ([`Error`]); nothing a user supplies panics.

#[cfg(feature = "burn")]
pub mod api;
#[cfg(feature = "burn")]
pub mod checkpoint;
#[cfg(feature = "burn")]
pub mod data;
#[cfg(feature = "burn")]
pub mod device;
pub mod error;
#[cfg(feature = "burn")]
mod ids;
#[cfg(feature = "burn")]
pub mod import;
#[cfg(feature = "burn")]
pub mod lm;
pub mod lr;
#[cfg(feature = "burn")]
pub mod mirex;
#[cfg(feature = "burn")]
pub mod train;
#[cfg(feature = "burn")]
pub mod xpresso;

#[cfg(feature = "burn")]
pub use api::{SavedConfig, TrainReport, load_trained, train_xpresso};
#[cfg(feature = "burn")]
pub use checkpoint::{load_weights, save_weights};
#[cfg(feature = "burn")]
pub use data::XpressoData;
#[cfg(feature = "burn")]
pub use device::{DeviceKind, select_device};
pub use error::{Error, Result};
#[cfg(feature = "burn")]
pub use ids::canonical_ids;
#[cfg(feature = "burn")]
pub use import::{KeyMapping, import_pytorch_safetensors};
#[cfg(feature = "burn")]
pub use train::{Clipping, LrSchedule, OptimizerKind, TrainConfig, predict, train_run};
#[cfg(feature = "burn")]
pub use xpresso::{ConvLayerConfig, DenseLayerConfig, Xpresso, XpressoConfig, XpressoTrace};

/// Re-export of burn's run-time device handle.
#[cfg(feature = "burn")]
pub use burn::tensor::Device;
