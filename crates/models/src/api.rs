//! Best-of-N training for any model of the seam ([`ModelConfig`]), loading the result, and the
//! guard that a run directory is resumed only by the data and settings that made it.

use crate::checkpoint::{atomic_write, load_weights, read_file};
use crate::seam::{Examples, FitsConfig, ModelConfig, TrainableModel};
use crate::train::{BEST_WEIGHTS, RunSummary, TrainConfig, train_run_on};
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
pub struct SavedConfig<C> {
    /// Architecture kind ([`ModelConfig::kind`]).
    #[serde(default)]
    pub kind: String,
    /// Architecture.
    pub model: C,
    /// Training settings.
    pub train: TrainConfig,
    /// Digest of the training and validation data ([`Examples::fingerprint`]), hex.
    #[serde(default)]
    pub data_fingerprint: String,
}

/// Result of [`train_best_of`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    /// Every run, in seed order.
    pub runs: Vec<RunSummary>,
    /// Index into `runs` of the run chosen by validation (never by test data).
    pub best_run: usize,
    /// Directory of each run (`run-00`, `run-01`, …), with `metrics.csv` inside.
    pub run_dirs: Vec<PathBuf>,
    /// Path of the chosen weights (`out_dir/model.safetensors`).
    pub model_path: PathBuf,
}

/// What to do with an output directory that already holds runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resume {
    /// Resume when the data fingerprint, architecture and training settings equal the saved
    /// ones; otherwise fail with [`Error::RunMismatch`] (nothing is touched).
    #[default]
    IfSame,
    /// Delete the previous runs (`run-XX/`, the model and report) and start afresh.
    Fresh,
}

/// Trains `cfg.n_runs` runs (seeds `cfg.seed + k`) in `out_dir/run-XX`, picks the run with the
/// best validation score ([`crate::Selection`]), and writes `model.safetensors`, `config.json`
/// and `report.json` to `out_dir`. Interrupted runs are resumed when called again with the same
/// data and settings (see [`Resume`]).
///
/// ```no_run
/// use models::{Resume, TrainConfig, XpressoConfig, XpressoData, select_device, train_best_of};
/// # fn main() -> models::Result<()> {
/// let data = XpressoData::from_bases(b"ACGT".repeat(40 * 25), vec![], vec![1.0; 40], 100, 0)?;
/// let mut cfg = XpressoConfig::demo();
/// (cfg.input_len, cfg.n_features) = (100, 0);
/// let device = select_device(Some("cpu"))?;
/// let report = train_best_of(&data, &data, &cfg, &TrainConfig::xpresso(), "out".as_ref(),
///                            &device, Resume::IfSame)?;
/// # let _ = report; Ok(()) }
/// ```
pub fn train_best_of<C, D>(
    train: &D,
    valid: &D,
    model: &C,
    cfg: &TrainConfig,
    out_dir: &Path,
    device: &Device,
    resume: Resume,
) -> Result<TrainReport>
where
    C: ModelConfig,
    D: Examples<<C::Model as TrainableModel>::Input> + FitsConfig<C>,
{
    let devices = std::slice::from_ref(device);
    train_best_of_on(train, valid, model, cfg, out_dir, devices, resume)
}

/// [`train_best_of`], data-parallel over `devices` (`cfg.devices` of them; see
/// [`crate::train::train_run_on`]).
pub fn train_best_of_on<C, D>(
    train: &D,
    valid: &D,
    model: &C,
    cfg: &TrainConfig,
    out_dir: &Path,
    devices: &[Device],
    resume: Resume,
) -> Result<TrainReport>
where
    C: ModelConfig,
    D: Examples<<C::Model as TrainableModel>::Input> + FitsConfig<C>,
{
    model.validate()?;
    cfg.validate()?;
    train.check_fits(model)?;
    valid.check_fits(model)?;
    let fingerprint = format!("{:016x}{:016x}", train.fingerprint(), valid.fingerprint());
    let saved = SavedConfig {
        kind: model.kind().to_string(),
        model: model.clone(),
        train: cfg.clone(),
        data_fingerprint: fingerprint,
    };
    prepare_out_dir(out_dir, &saved, resume)?;
    atomic_write(&out_dir.join(MODEL_CONFIG), &to_json(&saved)?)?;
    let mut runs = Vec::new();
    let mut run_dirs = Vec::new();
    for k in 0..cfg.n_runs {
        let dir = out_dir.join(format!("run-{k:02}"));
        let seed = cfg.seed.wrapping_add(k as u64);
        runs.push(train_run_on(
            model, cfg, seed, train, valid, &dir, devices, None,
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

/// Compares the saved `config.json` (if any) with `saved`; clears the directory's runs under
/// [`Resume::Fresh`]. The progress flag is not part of the comparison.
fn prepare_out_dir<C: ModelConfig>(
    out_dir: &Path,
    saved: &SavedConfig<C>,
    resume: Resume,
) -> Result<()> {
    let path = out_dir.join(MODEL_CONFIG);
    if !path.exists() {
        return Ok(());
    }
    if resume == Resume::Fresh {
        return clear_runs(out_dir);
    }
    let old: serde_json::Value =
        serde_json::from_slice(&read_file(&path)?).map_err(|e| Error::Checkpoint {
            path: path.clone(),
            msg: format!("config.json is not valid JSON: {e}"),
        })?;
    // Through text, as the saved file was: f32 fields print shorter than their f64 widening.
    let mut new: serde_json::Value =
        serde_json::from_slice(&to_json(saved)?).map_err(|e| Error::Config(e.to_string()))?;
    let mut old = old;
    for v in [&mut old, &mut new] {
        if let Some(t) = v.get_mut("train").and_then(|t| t.as_object_mut()) {
            t.remove("progress");
        }
    }
    let differing: Vec<String> = ["kind", "model", "train", "data_fingerprint"]
        .iter()
        .filter(|k| old.get(**k) != new.get(**k))
        .map(|k| match *k {
            "data_fingerprint" => "the training/validation data".to_string(),
            "model" => "the model architecture".to_string(),
            "train" => describe_train_diff(old.get("train"), new.get("train")),
            other => other.to_string(),
        })
        .collect();
    if differing.is_empty() {
        return Ok(());
    }
    Err(Error::RunMismatch {
        dir: out_dir.to_path_buf(),
        differing,
    })
}

fn describe_train_diff(old: Option<&serde_json::Value>, new: Option<&serde_json::Value>) -> String {
    let (Some(o), Some(n)) = (
        old.and_then(|v| v.as_object()),
        new.and_then(|v| v.as_object()),
    ) else {
        return "the training settings".into();
    };
    let keys: Vec<&str> = n
        .keys()
        .chain(o.keys())
        .filter(|k| o.get(*k) != n.get(*k))
        .map(String::as_str)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    format!("the training settings ({})", keys.join(", "))
}

fn clear_runs(out_dir: &Path) -> Result<()> {
    let entries = std::fs::read_dir(out_dir).map_err(|source| Error::Io {
        path: out_dir.to_path_buf(),
        source,
    })?;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let is_run = name.starts_with("run-") && e.path().is_dir();
        let res = if is_run {
            std::fs::remove_dir_all(e.path())
        } else if [MODEL_WEIGHTS, MODEL_CONFIG, REPORT_FILE].contains(&name.as_ref()) {
            std::fs::remove_file(e.path())
        } else {
            Ok(())
        };
        res.map_err(|source| Error::Io {
            path: e.path(),
            source,
        })?;
    }
    Ok(())
}

/// Loads the model written by [`train_best_of`] from `out_dir` onto `device`.
pub fn load_trained<C: ModelConfig>(
    out_dir: &Path,
    device: &Device,
) -> Result<(SavedConfig<C>, C::Model)> {
    let p = out_dir.join(MODEL_CONFIG);
    let saved: SavedConfig<C> =
        serde_json::from_slice(&read_file(&p)?).map_err(|e| Error::Checkpoint {
            path: p.clone(),
            msg: format!("config.json does not describe this model: {e}"),
        })?;
    saved.model.validate()?;
    let model = load_weights(&saved.model, &out_dir.join(MODEL_WEIGHTS), device)?;
    Ok((saved, model))
}

fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(v).map_err(|e| Error::Config(e.to_string()))
}
