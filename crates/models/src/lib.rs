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
//! import; `flex` (default) the CPU backend (burn-flex with SIMD and rayon). With `default-features = false` only the logistic-regression baseline ([`lr`])
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
//! ## The model seam
//!
//! One training loop, one checkpoint format, one best-of-N and one prediction function serve
//! every burn model through three small traits in [`seam`]: [`ModelConfig`] (a serialisable
//! architecture that builds its module and names its [`Objective`]), [`TrainableModel`] (one
//! batched forward pass to `[batch, outputs]`) and [`Examples`] (a data set that gathers
//! mini-batches and exposes its targets). Xpresso and miREx are the first implementations.
//!
//! ## Xpresso / miREx in five calls (feature `burn`)
//!
//! ```no_run
//! use models::{Resume, TrainConfig, XpressoConfig, XpressoData, select_device, train_best_of};
//! # fn main() -> models::Result<()> {
//! // bases [n, L] (or one-hot [n, 4, L] with `XpressoData::new`), features [n, F], labels [n]
//! let (l, f) = (10_500, 8);
//! let train = XpressoData::from_bases(vec![b'A'; 2 * l], vec![0.0; 2 * f], vec![1.0, 2.0], l, f)?;
//! let valid = train.clone();
//! let device = select_device(Some("cpu"))?; // or None: BURN_DEVICE, else CPU
//! let report = train_best_of(&train, &valid, &XpressoConfig::xpresso_human(),
//!                            &TrainConfig::xpresso(), "out".as_ref(), &device, Resume::IfSame)?;
//! let (_saved, model) = models::load_trained::<XpressoConfig>("out".as_ref(), &device)?;
//! let predictions: Vec<f32> = models::predict(&model, &valid, 256)?;
//! # let _ = (report, predictions); Ok(()) }
//! ```
//!
//! * [`train_best_of`] runs `n_runs` seeds in `out/run-XX/` (each with `metrics.csv`,
//!   `state.json`, epoch checkpoints, `best.safetensors`), keeps the best run *by validation*
//!   and writes `out/model.safetensors`, `out/config.json`, `out/report.json`. Calling it
//!   again on the same directory resumes interrupted runs exactly — only when the data
//!   fingerprint and settings are the same ([`Resume`]; otherwise [`Error::RunMismatch`]).
//! * miREx: select miRNAs on training-gene residuals with [`mirex::select_mirnas`], append them
//!   with [`mirex::append_mirna_features`], train with [`mirex::mirex_config`].
//! * PyTorch weights: [`import_pytorch_safetensors`] with a declared [`KeyMapping`].
//! * Errors are typed ([`Error`]); nothing a user supplies panics.

#[cfg(feature = "burn")]
pub mod api;
#[cfg(feature = "burn")]
pub mod attribution;
#[cfg(feature = "burn")]
pub mod checkpoint;
#[cfg(feature = "burn")]
pub mod data;
#[cfg(feature = "burn")]
pub mod deepcba;
#[cfg(feature = "burn")]
pub mod device;
pub mod error;
#[cfg(feature = "burn")]
pub mod generain;
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
pub mod seam;
#[cfg(feature = "burn")]
pub mod train;
#[cfg(feature = "burn")]
pub mod xpresso;

#[cfg(feature = "burn")]
pub use api::{Resume, SavedConfig, TrainReport, load_trained, train_best_of, train_best_of_on};
#[cfg(feature = "burn")]
pub use checkpoint::{load_weights, save_weights};
#[cfg(feature = "burn")]
pub use data::{Sequences, XpressoData};
#[cfg(feature = "burn")]
pub use device::{DeviceKind, check_device_name, select_device, select_devices};
pub use error::{Error, Result};
#[cfg(feature = "burn")]
pub use ids::canonical_ids;
#[cfg(feature = "burn")]
pub use import::{KeyMapping, import_pytorch_safetensors};
#[cfg(feature = "burn")]
pub use seam::{Examples, FitsConfig, ModelConfig, Objective, Targets, TrainableModel};
#[cfg(feature = "burn")]
pub use train::{
    Clipping, LrSchedule, OptimizerKind, Selection, TrainConfig, predict, train_run, train_run_on,
};
#[cfg(feature = "burn")]
pub use xpresso::{ConvLayerConfig, DenseLayerConfig, Xpresso, XpressoConfig, XpressoTrace};

/// Re-export of burn's run-time device handle.
#[cfg(feature = "burn")]
pub use burn::tensor::Device;
