//! One training run: epochs of shuffled mini-batches, validation, early stopping, checkpoints
//! and resume.

use super::config::{Selection, TrainConfig};
use super::state::{EpochRecord, RunState, mix, write_metrics};
use super::step::step_grads;
use crate::checkpoint::{atomic_write, load_weights, read_file, save_weights};
use crate::seam::{Examples, FitsConfig, ModelConfig, TrainableModel};
use crate::{Error, Result, canonical_ids};
use burn::module::Module;
use burn::tensor::{Bytes, Device};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use std::path::Path;
use std::time::Instant;

/// File names inside a run directory.
pub const STATE_FILE: &str = "state.json";
/// Best-by-validation weights of a run.
pub const BEST_WEIGHTS: &str = "best.safetensors";
/// Per-epoch metrics of a run.
pub const METRICS_FILE: &str = "metrics.csv";

/// Outcome of one run.
///
/// `best_valid_loss` is the selection score of the best epoch: the validation loss under
/// [`Selection::Loss`], minus the validation metric under [`Selection::Metric`] (lower is
/// better either way).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunSummary {
    /// The run's seed.
    pub seed: u64,
    /// Best validation score (lower is better; see above).
    pub best_valid_loss: f64,
    /// Epoch (1-based) of the best validation MSE.
    pub best_epoch: usize,
    /// Epochs trained.
    pub epochs: usize,
    /// Whether the run finished (early stop or max epochs) rather than being paused.
    pub finished: bool,
}

/// Predicts `data` in batches of `batch_size` with `model` (moved to the non-autodiff device,
/// dropout off). Returns `[n, outputs]` row-major.
pub fn predict<M, D>(model: &M, data: &D, batch_size: usize) -> Result<Vec<f32>>
where
    M: TrainableModel,
    D: Examples<M::Input> + ?Sized,
{
    data.validate("predict", false)?;
    let model = model.valid();
    let device = model.device();
    let mut out = Vec::new();
    let idx: Vec<usize> = (0..data.len()).collect();
    for chunk in idx.chunks(batch_size.max(1)) {
        let y = model.forward_input(data.inputs(chunk, &device)).into_data();
        let v = y
            .try_into_vec::<f32>()
            .map_err(|e| Error::Config(format!("cannot read predictions: {e:?}")))?;
        out.extend(v);
    }
    Ok(out)
}

fn progress(cfg: &TrainConfig, epochs: usize, seed: u64) -> ProgressBar {
    if !cfg.progress {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(epochs as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} epochs {msg}")
    {
        pb.set_style(style);
    }
    pb.set_prefix(format!("run seed {seed}"));
    pb
}

/// Trains (or resumes) one run in `dir` on one device (see [`train_run_on`]).
#[allow(clippy::too_many_arguments)]
pub fn train_run<C, D>(
    model_cfg: &C,
    cfg: &TrainConfig,
    seed: u64,
    train: &D,
    valid: &D,
    dir: &Path,
    device: &Device,
    stop_after: Option<usize>,
) -> Result<RunSummary>
where
    C: ModelConfig,
    D: Examples<<C::Model as TrainableModel>::Input> + FitsConfig<C>,
{
    let devices = std::slice::from_ref(device);
    train_run_on(model_cfg, cfg, seed, train, valid, dir, devices, stop_after)
}

/// Trains (or resumes) one run in `dir`, data-parallel over `devices` (one or more devices of
/// this machine; `cfg.devices` must equal `devices.len()`).
///
/// If `dir/state.json` exists the run continues from its last completed epoch with the saved
/// weights, optimizer state and counters; a finished run returns its summary at once. With
/// `stop_after = Some(e)` the session pauses after epoch `e` (the run stays resumable).
///
/// Every optimizer step sees `batch_size × devices × accumulate` examples (the effective
/// batch): mini-batches of `batch_size × devices` are split into one shard per device, the
/// model is `fork`ed onto each device, and the shards' gradients are summed by burn's
/// `ModuleOptimizer::step_multi` on the first device, which holds the model (ADR 0010).
#[allow(clippy::too_many_arguments)]
pub fn train_run_on<C, D>(
    model_cfg: &C,
    cfg: &TrainConfig,
    seed: u64,
    train: &D,
    valid: &D,
    dir: &Path,
    devices: &[Device],
    stop_after: Option<usize>,
) -> Result<RunSummary>
where
    C: ModelConfig,
    D: Examples<<C::Model as TrainableModel>::Input> + FitsConfig<C>,
{
    if devices.is_empty() || devices.len() != cfg.devices {
        return Err(Error::Config(format!(
            "the training settings name {} device(s) but {} were given",
            cfg.devices,
            devices.len()
        )));
    }
    let device = &devices[0];
    cfg.validate()?;
    model_cfg.validate()?;
    train.validate("train", true)?;
    valid.validate("valid", true)?;
    train.check_fits(model_cfg)?;
    valid.check_fits(model_cfg)?;
    let objective = model_cfg.objective();
    let outputs = model_cfg.n_outputs();
    let ad = device.clone().autodiff();
    let state_path = dir.join(STATE_FILE);
    let (mut state, mut model, mut optim) = if state_path.exists() {
        let st = RunState::load(&state_path)?;
        let w = st.weights_file.as_deref().unwrap_or("");
        let model = load_weights(model_cfg, &dir.join(w), &ad)?;
        let mut optim = cfg.build_optimizer();
        if let Some(o) = &st.optimizer_file {
            let p = dir.join(o);
            let bytes = Bytes::from_bytes_vec(read_file(&p)?);
            optim = optim.from_bytes(bytes).map_err(|e| Error::Checkpoint {
                path: p.clone(),
                msg: e.to_string(),
            })?;
        }
        (st, model, optim)
    } else {
        ad.seed(seed);
        let model = canonical_ids(model_cfg.init_model(&ad)?);
        (RunState::new(seed), model, cfg.build_optimizer())
    };
    let summary = |s: &RunState| RunSummary {
        seed: s.seed,
        best_valid_loss: s.best_valid_loss.unwrap_or(f64::INFINITY),
        best_epoch: s.best_epoch,
        epochs: s.epochs_done,
        finished: s.finished,
    };
    if state.finished {
        return Ok(summary(&state));
    }
    let n_train = train.len();
    let step_size = cfg.effective_batch();
    let steps_per_epoch = n_train.div_ceil(step_size);
    let total_steps = steps_per_epoch * cfg.max_epochs;
    let pb = progress(cfg, cfg.max_epochs, seed);
    pb.set_position(state.epochs_done as u64);
    let train_targets = train.targets();
    let ads: Vec<Device> = devices.iter().map(|d| d.clone().autodiff()).collect();
    let mut perm: Vec<usize> = (0..n_train).collect();
    for epoch in state.epochs_done + 1..=cfg.max_epochs {
        let t0 = Instant::now();
        let epoch_seed = mix(seed, epoch as u64);
        // The other devices first: one physical device listed twice ends on `epoch_seed`.
        for (i, d) in ads.iter().enumerate().skip(1) {
            d.seed(mix(epoch_seed, 0x5eed + i as u64));
        }
        ad.seed(epoch_seed);
        perm.sort_unstable();
        perm.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(epoch_seed));
        let (mut loss_sum, mut lr) = (0.0f64, cfg.lr);
        for group in perm.chunks(step_size) {
            let objective = (objective, train_targets);
            let grads = step_grads(&model, train, objective, group, cfg.batch_size, &ads, epoch)
                .inspect_err(|_| pb.finish_and_clear())?;
            loss_sum += grads.loss_sum;
            lr = cfg.schedule.lr_at(cfg.lr, state.global_step, total_steps);
            model = grads.apply(&mut optim, lr, model);
            state.global_step += 1;
        }
        let pred = predict(&model, valid, cfg.batch_size.max(256))?;
        let (valid_loss, valid_metric) = objective.evaluate(&pred, outputs, valid.targets());
        if !valid_loss.is_finite() {
            pb.finish_and_clear();
            return Err(Error::Diverged { epoch });
        }
        state.elapsed_s += t0.elapsed().as_secs_f64();
        // The selection score: lower is better (the loss, or minus the metric).
        let score = match cfg.select_by {
            Selection::Loss => valid_loss,
            Selection::Metric if valid_metric.is_finite() => -valid_metric,
            Selection::Metric => f64::INFINITY,
        };
        let improved = state.best_valid_loss.is_none_or(|b| score < b);
        if improved {
            state.best_valid_loss = Some(score);
            state.best_epoch = epoch;
            state.patience_counter = 0;
            save_weights(&model, &dir.join(BEST_WEIGHTS))?;
        } else {
            state.patience_counter += 1;
        }
        state.history.push(EpochRecord {
            epoch,
            train_loss: loss_sum / n_train as f64,
            valid_loss,
            valid_metric,
            lr,
            elapsed_s: state.elapsed_s,
        });
        write_metrics(&dir.join(METRICS_FILE), &state.history)?;
        state.epochs_done = epoch;
        state.finished =
            (cfg.patience > 0 && state.patience_counter >= cfg.patience) || epoch == cfg.max_epochs;
        checkpoint(&mut state, &model, &optim, dir)?;
        pb.set_message(format!(
            "valid loss {valid_loss:.4} metric {valid_metric:.3}"
        ));
        pb.set_position(epoch as u64);
        if state.finished || stop_after.is_some_and(|s| epoch >= s) {
            break;
        }
    }
    pb.finish_and_clear();
    Ok(summary(&state))
}

/// Writes weights and optimizer state under epoch-stamped names, then `state.json` (the commit
/// point), then removes the previous epoch's files.
fn checkpoint<M: Module>(
    state: &mut RunState,
    model: &M,
    optim: &burn::optim::ModuleOptimizer,
    dir: &Path,
) -> Result<()> {
    let (old_w, old_o) = (state.weights_file.take(), state.optimizer_file.take());
    let w = format!("ckpt-{:04}.safetensors", state.epochs_done);
    let o = format!("ckpt-{:04}.optim.bpk", state.epochs_done);
    save_weights(model, &dir.join(&w))?;
    let bytes = optim.into_bytes().map_err(|e| Error::Checkpoint {
        path: dir.join(&o),
        msg: e.to_string(),
    })?;
    atomic_write(&dir.join(&o), &bytes)?;
    state.weights_file = Some(w.clone());
    state.optimizer_file = Some(o.clone());
    state.save(&dir.join(STATE_FILE))?;
    for (old, new) in [(old_w, w), (old_o, o)] {
        if let Some(f) = old.filter(|f| *f != new) {
            // Best effort: a stale checkpoint file is harmless.
            let _ = std::fs::remove_file(dir.join(f));
        }
    }
    Ok(())
}
