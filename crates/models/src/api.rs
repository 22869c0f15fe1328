//! High-level entry points for the CLI: train Xpresso/miREx with best-of-N runs, load the
//! result, predict.

use crate::checkpoint::{atomic_write, load_weights, read_file};
use crate::data::XpressoData;
use crate::train::{BEST_WEIGHTS, RunSummary, TrainConfig, train_run};
use crate::xpresso::{Xpresso, XpressoConfig};
use crate::{Error, Result};
use burn::tensor::Device;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Final model weights in the output directory (best run's best epoch).
pub const MODEL_WEIGHTS: &str = "model.safetensors";
/// Model + training configuration in the output directory.
pub const MODEL_CONFIG: &str = "config.json";
/// The [`TrainReport`] as JSON.
pub const REPORT_FILE: &str = "report.json";

/// What `config.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedConfig {
    /// Architecture.
    pub model: XpressoConfig,
    /// Training settings.
    pub train: TrainConfig,
}

/// Result of [`train_xpresso`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    /// Every run, in seed order.
    pub runs: Vec<RunSummary>,
    /// Index into `runs` of the run chosen by validation loss (never by test data).
    pub best_run: usize,
    /// Directory of each run (`run-00`, `run-01`, …), with `metrics.csv` inside.
    pub run_dirs: Vec<PathBuf>,
    /// Path of the chosen weights (`out_dir/model.safetensors`).
    pub model_path: PathBuf,
}

/// Trains `cfg.n_runs` runs (seeds `cfg.seed + k`) in `out_dir/run-XX`, picks the run with the
/// lowest best validation MSE, and writes `model.safetensors`, `config.json` and `report.json`
/// to `out_dir`. Interrupted runs are resumed when called again with the same `out_dir`.
pub fn train_xpresso(
    train: &XpressoData,
    valid: &XpressoData,
    model: &XpressoConfig,
    cfg: &TrainConfig,
    out_dir: &Path,
    device: &Device,
) -> Result<TrainReport> {
    model.validate()?;
    cfg.validate()?;
    let saved = SavedConfig {
        model: model.clone(),
        train: cfg.clone(),
    };
    atomic_write(&out_dir.join(MODEL_CONFIG), &to_json(&saved)?)?;
    let mut runs = Vec::new();
    let mut run_dirs = Vec::new();
    for k in 0..cfg.n_runs {
        let dir = out_dir.join(format!("run-{k:02}"));
        let seed = cfg.seed.wrapping_add(k as u64);
        runs.push(train_run(
            model, cfg, seed, train, valid, &dir, device, None,
        )?);
        run_dirs.push(dir);
    }
    let best_run = runs
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.best_valid_loss.total_cmp(&b.1.best_valid_loss))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let model_path = out_dir.join(MODEL_WEIGHTS);
    atomic_write(
        &model_path,
        &read_file(&run_dirs[best_run].join(BEST_WEIGHTS))?,
    )?;
    let report = TrainReport {
        runs,
        best_run,
        run_dirs,
        model_path,
    };
    atomic_write(&out_dir.join(REPORT_FILE), &to_json(&report)?)?;
    Ok(report)
}

/// Loads the model written by [`train_xpresso`] from `out_dir` onto `device`.
pub fn load_trained(out_dir: &Path, device: &Device) -> Result<(SavedConfig, Xpresso)> {
    let p = out_dir.join(MODEL_CONFIG);
    let saved: SavedConfig =
        serde_json::from_slice(&read_file(&p)?).map_err(|e| Error::Checkpoint {
            path: p.clone(),
            msg: e.to_string(),
        })?;
    let model = load_weights(&saved.model, &out_dir.join(MODEL_WEIGHTS), device)?;
    Ok((saved, model))
}

fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(v).map_err(|e| Error::Config(e.to_string()))
}
