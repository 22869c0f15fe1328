//! Fine-tuning an encoder checkpoint for sequence classification or regression on GUE-style
//! CSVs (`sequence,label`): what `seq2expr lm finetune` does.
//!
//! The preset is the lncRNA study's: AdamW lr 3e-5, batch 32, 50 warm-up steps then linear
//! decay to 0, weight decay 0.01; with LoRA (r 8, alpha 16, dropout 0.05 on query/value) lr
//! 1e-4. Early stopping and the best epoch by validation MCC (classification) or MSE
//! (regression); best of N seeds by validation only; test metrics with bootstrap 95 % CIs.
//! Inputs longer than the model's positions are truncated to its first `max_position_embeddings
//! − 2` content tokens (DNABERT's `max_seq_length` rule). BERT/DNABERT train with their
//! `hidden_dropout_prob` (embeddings, layer outputs, classifier; not the attention
//! probabilities); the ESM and DNABERT-2 encoders without dropout (their adapters with it).
//!
//! `OUT/` receives `metrics.json` (test metrics under `metrics`, e.g. `metrics.mcc.estimate`),
//! `predictions.tsv`, `learning_curve.svg`, `model/` (an HF checkpoint directory —
//! `config.json`, `model.safetensors` with any adapter merged, the tokenizer files — that
//! `seq2expr lm predict` and transformers load; with LoRA also `model/adapter/` in PEFT's
//! layout) and `train/` (resumable runs).

use std::path::Path;

use datasets::dataset::read_dataset_file;
use evalkit::plots::{learning_curve_svg, read_metrics_log, write_svg};
use evalkit::stats::BootstrapConfig;
use models::lm::lora::LoraSpec;
use models::lm::train::{LmData, LmTask, LmTrainConfig};
use models::lm::{LmModel, tokenizer::load_tokenizer};
use models::{Resume, Selection, TrainConfig, select_device};
use rayon::prelude::*;
use seqenc::tokenizer::Tokenizer;
use serde_json::{Value, json};

use crate::baseline::{metrics_json, regression_metrics_json, write_predictions};
use crate::error::io_err;
use crate::{Error, Result};

/// Classification or regression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinetuneTask {
    /// Integer class labels `0..K`.
    Classification,
    /// Real-valued labels.
    Regression,
}

impl std::str::FromStr for FinetuneTask {
    type Err = Error;

    /// ```
    /// use pipeline::lm::finetune::FinetuneTask;
    /// assert_eq!("regression".parse::<FinetuneTask>().unwrap(), FinetuneTask::Regression);
    /// assert!("ranking".parse::<FinetuneTask>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "classification" => Ok(Self::Classification),
            "regression" => Ok(Self::Regression),
            _ => Err(Error::Usage(format!(
                "--task must be classification or regression, got {s:?}"
            ))),
        }
    }
}

/// Settings of [`lm_finetune`].
#[derive(Debug, Clone, PartialEq)]
pub struct FinetuneSettings {
    /// The task.
    pub task: FinetuneTask,
    /// LoRA adapters (only they and the head train).
    pub lora: Option<LoraSpec>,
    /// Peak learning rate.
    pub lr: f64,
    /// Maximum epochs.
    pub epochs: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Gradient accumulation steps.
    pub accumulate: usize,
    /// Linear warm-up steps.
    pub warmup_steps: usize,
    /// AdamW weight decay.
    pub weight_decay: f32,
    /// Early-stopping patience in epochs (0 = never stop early).
    pub patience: usize,
    /// Seed of the first run.
    pub seed: u64,
    /// Runs (seeds `seed..seed + n_runs`); the best by validation is kept.
    pub n_runs: usize,
    /// Bootstrap resamples of the test set.
    pub bootstrap: usize,
    /// Device name (`cpu`, `wgpu[:N]`, `cuda[:N]`).
    pub device: Option<String>,
    /// Whether an existing `OUT/train` from other data or settings is replaced.
    pub resume: Resume,
    /// Progress bars.
    pub progress: bool,
}

impl FinetuneSettings {
    /// The study's preset (lr 3e-5, or 1e-4 with LoRA; batch 32; 50 warm-up steps; weight
    /// decay 0.01; up to 10 epochs, patience 3; one run; 1,000 resamples).
    pub fn preset(task: FinetuneTask, lora: bool) -> Self {
        Self {
            task,
            lora: lora.then(LoraSpec::default),
            lr: if lora { 1e-4 } else { 3e-5 },
            epochs: 10,
            batch_size: 32,
            accumulate: 1,
            warmup_steps: 50,
            weight_decay: 0.01,
            patience: 3,
            seed: 0,
            n_runs: 1,
            bootstrap: 1000,
            device: None,
            resume: Resume::IfSame,
            progress: true,
        }
    }

    /// The training-loop configuration.
    pub fn train_config(&self) -> TrainConfig {
        let select = match self.task {
            FinetuneTask::Classification => Selection::Metric,
            FinetuneTask::Regression => Selection::Loss,
        };
        TrainConfig {
            patience: self.patience,
            seed: self.seed,
            n_runs: self.n_runs,
            progress: self.progress,
            accumulate: self.accumulate,
            ..TrainConfig::adamw_warmup(
                self.lr,
                self.warmup_steps,
                self.weight_decay,
                0.999,
                1e-8,
                self.batch_size,
                self.epochs,
                select,
            )
        }
    }

    /// Checks every number before anything is read or written.
    ///
    /// # Errors
    /// [`Error::Usage`], [`Error::Models`].
    pub fn validate(&self) -> Result<()> {
        self.train_config().validate()?;
        if let Some(l) = &self.lora {
            l.validate()?;
        }
        if let Some(d) = &self.device {
            models::check_device_name(d)?;
        }
        if self.bootstrap == 0 || self.bootstrap > 1_000_000 {
            return Err(Error::Usage(format!(
                "--bootstrap {} is not in 1..=1,000,000",
                self.bootstrap
            )));
        }
        if !(self.weight_decay.is_finite() && self.weight_decay >= 0.0) {
            return Err(Error::Usage(format!(
                "weight decay {} is not ≥ 0",
                self.weight_decay
            )));
        }
        Ok(())
    }
}

/// Labelled sequences of one split.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Split {
    pub seqs: Vec<String>,
    pub classes: Option<Vec<u32>>,
    pub values: Option<Vec<f32>>,
}

fn read_split(path: &Path, task: FinetuneTask, what: &str) -> Result<Split> {
    let s = match task {
        FinetuneTask::Classification => {
            let ex = read_dataset_file(path)?;
            Split {
                classes: Some(ex.iter().map(|e| e.label).collect()),
                seqs: ex.into_iter().map(|e| e.sequence).collect(),
                values: None,
            }
        }
        FinetuneTask::Regression => read_regression_csv(path)?,
    };
    if s.seqs.is_empty() {
        return Err(Error::Usage(format!(
            "{}: the {what} split has no examples",
            path.display()
        )));
    }
    Ok(s)
}

/// `sequence,label` with a real label per row.
fn read_regression_csv(path: &Path) -> Result<Split> {
    let text =
        std::fs::read_to_string(path).map_err(io_err(format!("reading {}", path.display())))?;
    let bad = |line: u64, msg: String| Error::Input {
        path: path.display().to_string(),
        line,
        msg,
    };
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("").trim();
    if header != "sequence,label" {
        return Err(bad(
            1,
            format!("header {header:?} is not \"sequence,label\""),
        ));
    }
    let (mut seqs, mut values) = (Vec::new(), Vec::new());
    for (i, l) in lines.enumerate() {
        let n = i as u64 + 2;
        if l.trim().is_empty() {
            continue;
        }
        let (s, v) = l
            .split_once(',')
            .ok_or_else(|| bad(n, "expected sequence,label".into()))?;
        let v: f32 = v
            .trim()
            .parse()
            .map_err(|_| bad(n, format!("label {v:?} is not a number")))?;
        if !v.is_finite() {
            return Err(bad(n, format!("label {v} is not finite")));
        }
        seqs.push(s.trim().to_string());
        values.push(v);
    }
    Ok(Split {
        seqs,
        classes: None,
        values: Some(values),
    })
}

/// Keeps at most `max` tokens of an encoding with specials: its first `max − 1` tokens and its
/// last one (`[CLS]`, the first content tokens, `[SEP]`; DNABERT's `max_seq_length` rule).
pub(crate) fn truncate(e: &mut seqenc::tokenizer::Encoding, max: Option<usize>) {
    if let Some(m) = max
        && e.ids.len() > m
        && m >= 2
    {
        let (id, span) = (e.ids[e.ids.len() - 1], e.spans[e.spans.len() - 1]);
        e.ids.truncate(m - 1);
        e.spans.truncate(m - 1);
        e.ids.push(id);
        e.spans.push(span);
    }
}

/// Tokenizes `seqs` with specials, truncated by [`truncate`].
pub(crate) fn tokenize(
    tok: &dyn Tokenizer,
    seqs: &[String],
    max_len: Option<usize>,
) -> Result<Vec<Vec<u32>>> {
    seqs.par_iter()
        .map(|s| {
            let mut e = tok.encode(s.as_bytes())?;
            truncate(&mut e, max_len);
            Ok(e.ids)
        })
        .collect()
}

/// Writes an HF checkpoint directory: `config.json`, `model.safetensors` (adapters merged),
/// the tokenizer files of `tokenizer_from`, and with adapters `adapter/` in PEFT's layout.
pub(crate) fn write_hf_dir(
    out: &Path,
    config_json: &Value,
    model: &LmModel,
    tokenizer_from: &Path,
    lora: Option<&LoraSpec>,
) -> Result<()> {
    std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
    let text = format!("{config_json:#}");
    models::checkpoint::atomic_write(&out.join("config.json"), text.as_bytes())?;
    let ex = model.export();
    ex.file.write(&out.join("model.safetensors"))?;
    for f in [
        "vocab.txt",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
    ] {
        let src = tokenizer_from.join(f);
        if src.exists() && src != out.join(f) {
            let bytes =
                std::fs::read(&src).map_err(io_err(format!("reading {}", src.display())))?;
            models::checkpoint::atomic_write(&out.join(f), &bytes)?;
        }
    }
    if let Some(spec) = lora {
        let ad = out.join("adapter");
        std::fs::create_dir_all(&ad).map_err(io_err(format!("creating {}", ad.display())))?;
        let cfg = format!("{:#}", spec.to_peft_json(".."));
        models::checkpoint::atomic_write(&ad.join("adapter_config.json"), cfg.as_bytes())?;
        ex.peft_file()
            .write(&ad.join("adapter_model.safetensors"))?;
    }
    Ok(())
}

/// Inputs of one fine-tuning job.
#[derive(Debug, Clone, Copy)]
pub struct FinetuneInputs<'a> {
    /// HF checkpoint directory (or `config.json` + tokenizer files without weights).
    pub model: &'a Path,
    /// Training CSV.
    pub train: &'a Path,
    /// Validation CSV (early stopping, best run).
    pub dev: &'a Path,
    /// Test CSV (reported metrics).
    pub test: &'a Path,
}

/// Fine-tunes `inp.model` and evaluates it on the test split; returns what `metrics.json`
/// holds.
///
/// # Errors
/// Bad settings, unreadable or malformed CSVs (naming file and line), an empty split, a
/// single class in train, a test/dev class the training set lacks, a checkpoint directory
/// without a tokenizer, model and I/O errors.
pub fn lm_finetune(inp: FinetuneInputs<'_>, s: &FinetuneSettings, out: &Path) -> Result<Value> {
    s.validate()?;
    let (config_json, _, lm_cfg) = models::lm::auto::read_config(inp.model)?;
    let tok = load_tokenizer(inp.model, lm_cfg.vocab_size())?.ok_or_else(|| {
        Error::Usage(format!(
            "{}: no vocab.txt or tokenizer.json to tokenize sequences with",
            inp.model.display()
        ))
    })?;
    let train = read_split(inp.train, s.task, "train")?;
    let dev = read_split(inp.dev, s.task, "dev")?;
    let test = read_split(inp.test, s.task, "test")?;
    let task = match s.task {
        FinetuneTask::Classification => {
            let c = train.classes.as_deref().unwrap_or_default();
            let k = c.iter().max().map_or(0, |&m| m as usize + 1);
            let distinct = c.iter().collect::<std::collections::BTreeSet<_>>().len();
            if distinct < 2 {
                return Err(Error::Usage(format!(
                    "{}: the training set has a single class",
                    inp.train.display()
                )));
            }
            for (p, sp) in [(inp.dev, &dev), (inp.test, &test)] {
                if let Some(y) = sp
                    .classes
                    .as_ref()
                    .and_then(|c| c.iter().find(|&&y| y as usize >= k))
                {
                    return Err(Error::Usage(format!(
                        "{}: class {y} does not occur in the training set (classes 0..{k})",
                        p.display()
                    )));
                }
            }
            LmTask::Classification { classes: k }
        }
        FinetuneTask::Regression => LmTask::Regression,
    };
    let weights = models::lm::auto::weights_file(inp.model);
    let cfg = LmTrainConfig::new(config_json, weights.clone(), task, s.lora.clone())?;
    let max_len = lm_cfg.max_len();
    let data = |sp: &Split| -> Result<LmData> {
        Ok(LmData {
            rows: tokenize(tok.as_ref(), &sp.seqs, max_len)?,
            classes: sp.classes.clone(),
            values: sp.values.clone(),
            pad_id: lm_cfg.pad_id(),
            masking: None,
        })
    };
    let (dtrain, ddev, dtest) = (data(&train)?, data(&dev)?, data(&test)?);
    let device = select_device(s.device.as_deref())?;
    std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
    let tc = s.train_config();
    let report = models::train_best_of(
        &dtrain,
        &ddev,
        &cfg,
        &tc,
        &out.join("train"),
        &device,
        s.resume,
    )?;
    let model = models::load_weights(&cfg, &report.model_path, &device)?;
    let outputs = models::predict(&model, &dtest, 64)?;
    let boot = BootstrapConfig {
        n_resamples: s.bootstrap,
        level: 0.95,
        seed: s.seed,
    };
    let pred_path = out.join("predictions.tsv");
    let metrics = match &cfg.task {
        LmTask::Classification { classes } => {
            let k = *classes;
            let proba: Vec<Vec<f64>> = outputs.chunks(k).map(softmax).collect();
            let pred: Vec<i64> = proba.iter().map(|p| argmax(p) as i64).collect();
            let y: Vec<i64> = test
                .classes
                .iter()
                .flatten()
                .map(|&c| i64::from(c))
                .collect();
            let score: Vec<f64> = proba.iter().map(|p| p[k - 1]).collect();
            let cls: Vec<u32> = (0..k as u32).collect();
            write_predictions(&pred_path, &cls, &y, &pred, &proba)?;
            metrics_json(k == 2, &y, &pred, &score, &boot)?
        }
        _ => {
            let y: Vec<f64> = test
                .values
                .iter()
                .flatten()
                .map(|&v| f64::from(v))
                .collect();
            let p: Vec<f64> = outputs.iter().map(|&v| f64::from(v)).collect();
            write_regression_predictions(&pred_path, &y, &p)?;
            regression_metrics_json(&y, &p, &boot)?
        }
    };
    write_hf_dir(
        &out.join("model"),
        &cfg.config_json,
        &model,
        inp.model,
        s.lora.as_ref(),
    )?;
    let best = &report.runs[report.best_run];
    let log_path = report.run_dirs[report.best_run].join("metrics.csv");
    if let Ok(f) = std::fs::File::open(&log_path)
        && let Ok(log) = read_metrics_log(f, &log_path.display().to_string())
    {
        write_svg(
            &out.join("learning_curve.svg"),
            &learning_curve_svg(&log, "fine-tuning (best run)")?,
        )?;
    }
    let summary = json!({
        "model": inp.model.display().to_string(),
        "initialisation": if weights.is_some() { "checkpoint" } else { "random (config.json only)" },
        "task": match s.task { FinetuneTask::Classification => "classification", FinetuneTask::Regression => "regression" },
        "lora": s.lora,
        "settings": {
            "lr": s.lr, "epochs": s.epochs, "batch_size": s.batch_size, "accumulate": s.accumulate,
            "warmup_steps": s.warmup_steps, "weight_decay": s.weight_decay.to_string().parse::<f64>().unwrap_or(f64::NAN), "patience": s.patience,
            "seed": s.seed, "n_runs": s.n_runs,
        },
        "n_train": dtrain.rows.len(), "n_dev": ddev.rows.len(), "n_test": dtest.rows.len(),
        "best_run": report.best_run,
        "best_epoch": best.best_epoch,
        "best_valid": match s.task {
            FinetuneTask::Classification => json!({"mcc": -best.best_valid_loss}),
            FinetuneTask::Regression => json!({"mse": best.best_valid_loss}),
        },
        "bootstrap": { "n_resamples": s.bootstrap, "level": 0.95, "seed": s.seed },
        "metrics": metrics,
        "predictions": pred_path.display().to_string(),
        "model_dir": out.join("model").display().to_string(),
    });
    let text = format!("{summary:#}\n");
    models::checkpoint::atomic_write(&out.join("metrics.json"), text.as_bytes())?;
    Ok(summary)
}

fn softmax(row: &[f32]) -> Vec<f64> {
    let m = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
    let e: Vec<f64> = row.iter().map(|&v| f64::from(v - m).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

fn argmax(p: &[f64]) -> usize {
    p.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

fn write_regression_predictions(path: &Path, y: &[f64], p: &[f64]) -> Result<()> {
    outfile::write_atomic(path, |w| {
        writeln!(w, "label\tprediction")?;
        y.iter()
            .zip(p)
            .try_for_each(|(t, v)| writeln!(w, "{t}\t{v}"))
    })
    .map_err(io_err(format!("writing {}", path.display())))
}
