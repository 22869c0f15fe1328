//! Training an Xpresso-family model on prepared inputs: split, scaler, best-of-N, test-set
//! evaluation, predictions and plots, all in one model directory.

use std::path::{Path, PathBuf};

use evalkit::plots::{learning_curve_svg, read_metrics_log, scatter_svg, write_svg};
use models::{Resume, TrainConfig, Xpresso, XpressoConfig, select_device, train_best_of};

use crate::error::{Error, Result, io_err};
use crate::eval::{EvalSummary, fmt_opt, regression_summary, write_predictions};
use crate::model_dir::{InputSpec, METRICS_FILE, ModelDir, PREDICTIONS_FILE, subset, write_json};
use crate::prepare::Prepared;
use crate::scaler::FeatureScaler;
use crate::split::{SplitRows, split_rows};

/// How to train: architecture preset, training settings, evaluation and where to run.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSettings {
    /// Architecture preset (`human`, `manual`, `demo`; see [`XpressoConfig::preset`]); the
    /// input length, feature width and outputs follow the data.
    pub preset: String,
    /// Optimizer, schedule, batch, epochs, early stopping, runs, seed.
    pub train: TrainConfig,
    /// Bootstrap resamples for the test-set confidence intervals.
    pub bootstrap: usize,
    /// Device name (`cpu`, `wgpu[:N]`, `cuda[:N]`; `None`: `BURN_DEVICE`, else the CPU).
    pub device: Option<String>,
    /// Whether an existing output directory with other data or settings is replaced.
    pub resume: Resume,
}

impl Default for TrainSettings {
    /// Xpresso's published set-up: the `human` architecture, SGD lr 5e-4 momentum 0.9, batch
    /// 128, early stopping with patience 7, best of 10 runs by validation; 1,000 resamples.
    fn default() -> Self {
        TrainSettings {
            preset: "human".into(),
            train: TrainConfig::xpresso(),
            bootstrap: 1000,
            device: None,
            resume: Resume::IfSame,
        }
    }
}

impl TrainSettings {
    /// Checks every setting before anything is read or written: the preset name, the training
    /// numbers, the device name and the bootstrap count (at most 1,000,000).
    pub fn validate(&self) -> Result<()> {
        XpressoConfig::preset(&self.preset, 10_500, 8, 1)?;
        self.train.validate()?;
        if let Some(d) = &self.device {
            models::check_device_name(d)?;
        }
        if self.bootstrap > 1_000_000 {
            return Err(Error::Usage(format!(
                "--bootstrap {} is more than 1,000,000 resamples",
                self.bootstrap
            )));
        }
        Ok(())
    }
}

/// What [`train_xpresso`] returns.
#[derive(Debug, Clone)]
pub struct Trained {
    /// Test-set figures (also in `metrics.json`).
    pub summary: EvalSummary,
    /// The split used.
    pub rows: SplitRows,
    /// The feature transform fitted on the training rows.
    pub scaler: FeatureScaler,
    /// The kept model (best run by validation), on the training device.
    pub model: Xpresso,
    /// The model directory.
    pub dir: PathBuf,
}

/// Splits `p` (seeded by `settings.train.seed`), fits the scaler on the training genes,
/// trains best-of-N into `out`, evaluates on the held-out test genes and writes the model
/// directory ([`ModelDir`]): model, `inputs.json`, `feature_scaler.json`, `predictions.tsv`,
/// `metrics.json`, `pred_vs_true.svg`, `learning_curve.svg`.
pub fn train_xpresso(
    p: &Prepared,
    spec: &InputSpec,
    settings: &TrainSettings,
    out: &Path,
) -> Result<Trained> {
    settings.validate()?;
    let rows = split_rows(p, settings.train.seed)?;
    let model_cfg =
        XpressoConfig::preset(&settings.preset, p.seq_len, p.n_features, p.n_outputs())?;
    let device = select_device(settings.device.as_deref())?;
    std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
    let scaler = FeatureScaler::fit(&p.features, p.n_features, &rows.train, &p.log_columns);
    let train = subset(p, &rows.train, &scaler, true)?;
    let valid = subset(p, &rows.valid, &scaler, true)?;
    let report = train_best_of(
        &train,
        &valid,
        &model_cfg,
        &settings.train,
        out,
        &device,
        settings.resume,
    )?;
    drop((train, valid));
    ModelDir::save_inputs(out, spec, &scaler)?;
    let dir = ModelDir::open(out, &device)?;
    let test = p.rows(&rows.test);
    let test_rows: Vec<usize> = (0..test.len()).collect();
    let y_pred = dir.predict(&test)?;
    let k = p.n_outputs();
    let y_true = test.labels.clone();
    write_predictions(
        &out.join(PREDICTIONS_FILE),
        &test,
        &test_rows,
        Some(&y_true),
        &y_pred,
    )?;
    let best = &report.runs[report.best_run];
    let summary = EvalSummary {
        n_train: rows.train.len(),
        n_valid: rows.valid.len(),
        n_test: rows.test.len(),
        best_valid_mse: best.best_valid_loss,
        best_run: report.best_run,
        ..regression_summary(
            &y_true,
            &y_pred,
            &p.label_names,
            settings.bootstrap,
            settings.train.seed,
        )?
    };
    write_json(&out.join(METRICS_FILE), &summary)?;
    let title = format!(
        "test set: R² = {:.3}, Pearson R² = {}",
        summary.r2.estimate,
        fmt_opt(summary.pearson_r2.map(|c| c.estimate))
    );
    let first = |v: &[f64]| v.iter().step_by(k).copied().collect::<Vec<f64>>();
    write_svg(
        &out.join("pred_vs_true.svg"),
        &scatter_svg(&first(&y_true), &first(&y_pred), &title)?,
    )?;
    let log_path = report.run_dirs[report.best_run].join("metrics.csv");
    let log_file = std::fs::File::open(&log_path)
        .map_err(io_err(format!("reading {}", log_path.display())))?;
    let log = read_metrics_log(log_file, &log_path.display().to_string())?;
    write_svg(
        &out.join("learning_curve.svg"),
        &learning_curve_svg(&log, "training (best run)")?,
    )?;
    Ok(Trained {
        summary,
        rows,
        scaler,
        model: dir.model,
        dir: out.to_path_buf(),
    })
}
