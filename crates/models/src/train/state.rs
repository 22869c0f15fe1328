//! Run state, metrics log and the small numeric helpers of the training loop.

use crate::checkpoint::{atomic_write, read_file};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Header of the per-epoch metrics CSV (read by evalkit's learning-curve plot).
pub const METRICS_HEADER: &str = "epoch,train_loss,valid_loss,valid_metric,lr,elapsed_s";

/// One epoch of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Mean training MSE over the epoch's batches.
    pub train_loss: f64,
    /// Validation MSE.
    pub valid_loss: f64,
    /// Validation R² (1 − RSS/TSS).
    pub valid_metric: f64,
    /// Learning rate of the epoch's last step.
    pub lr: f64,
    /// Wall-clock seconds since the run started (summed over resumed sessions).
    pub elapsed_s: f64,
}

/// Everything besides weights and optimizer state needed to continue a run exactly.
///
/// The shuffling RNG and burn's device RNG (dropout) are re-seeded at the start of every epoch
/// from `(seed, epoch)`, so `seed` and `epochs_done` fully determine the random state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunState {
    /// Format version (1).
    pub version: u32,
    /// The run's seed.
    pub seed: u64,
    /// Completed epochs.
    pub epochs_done: usize,
    /// Optimizer steps taken.
    pub global_step: usize,
    /// Best validation loss so far (`None` before the first epoch).
    pub best_valid_loss: Option<f64>,
    /// Epoch of the best validation loss.
    pub best_epoch: usize,
    /// Epochs since the last improvement.
    pub patience_counter: usize,
    /// Summed wall-clock seconds.
    pub elapsed_s: f64,
    /// True once early stopping fired or `max_epochs` was reached.
    pub finished: bool,
    /// Weights file of the last completed epoch (relative to the run directory).
    pub weights_file: Option<String>,
    /// Optimizer-state file (burnpack) of the last completed epoch.
    pub optimizer_file: Option<String>,
    /// Per-epoch history.
    pub history: Vec<EpochRecord>,
}

impl RunState {
    /// A fresh state for `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            version: 1,
            seed,
            epochs_done: 0,
            global_step: 0,
            best_valid_loss: None,
            best_epoch: 0,
            patience_counter: 0,
            elapsed_s: 0.0,
            finished: false,
            weights_file: None,
            optimizer_file: None,
            history: Vec::new(),
        }
    }

    /// Reads a `state.json`; a corrupt file gives [`Error::Checkpoint`].
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = read_file(path)?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Checkpoint {
            path: path.to_path_buf(),
            msg: e.to_string(),
        })
    }

    /// Writes the state atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Checkpoint {
            path: path.to_path_buf(),
            msg: e.to_string(),
        })?;
        atomic_write(path, &json)
    }
}

/// Writes the metrics CSV (header [`METRICS_HEADER`]) for `history`, atomically.
pub fn write_metrics(path: &Path, history: &[EpochRecord]) -> Result<()> {
    let mut s = String::from(METRICS_HEADER);
    s.push('\n');
    for r in history {
        s.push_str(&format!(
            "{},{},{},{},{},{:.3}\n",
            r.epoch, r.train_loss, r.valid_loss, r.valid_metric, r.lr, r.elapsed_s
        ));
    }
    atomic_write(path, s.as_bytes())
}

/// SplitMix64 finaliser: derives independent per-epoch seeds from `(seed, epoch)`.
pub(crate) fn mix(seed: u64, epoch: u64) -> u64 {
    let mut z = seed ^ epoch.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
