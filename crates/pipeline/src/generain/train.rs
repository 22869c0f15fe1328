//! GeneRAIN training on a prepared directory: what `seq2expr generain train` does.
//!
//! The samples of `tokens.bin` are split once, seeded, into training and validation sets
//! (`valid_fraction`, at least one sample each); every batch reads its samples from disk and
//! builds the model inputs ([`seqenc::binning::InputConfig`]) with masks drawn from a generator
//! seeded by the run's seed and the batch's sample indices, so a resumed run masks every batch
//! as the uninterrupted run did. AdamW (weight decay 0.01) with PyTorch's OneCycle schedule
//! (peak `lr`, 20 % warm-up, `div_factor` 5), gradient accumulation, several devices per step
//! (`devices`), an epoch checkpoint with exact resume (`OUT/train/`), `metrics.csv` and
//! `learning_curve.svg`; the best epoch's model is exported to `OUT/model/` in HF layout
//! (`BertForMaskedLM` / `GPT2LMHeadModel`: `config.json` + `model.safetensors`, which
//! transformers loads and `seq2expr lm forward` runs with the gene positions).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use evalkit::plots::{learning_curve_svg, read_metrics_log, write_svg};
use models::generain::{GeneRain, GeneRainBatch, GeneRainConfig, GeneRainKind};
use models::{Device, Examples, FitsConfig, LrSchedule, Resume, Selection, Targets, TrainConfig};
use rand::SeedableRng;
use seqenc::binning::{GeneRainModel, InputConfig, MaskConfig};
use serde_json::{Value, json};

use super::PreparedDir;
use crate::error::io_err;
use crate::{Error, Result};

/// Settings of [`generain_train`]; `Default` gives a small model and GeneRAIN's optimiser.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainSettings {
    /// Which of the three models.
    pub model: GeneRainKind,
    /// Hidden size (GeneRAIN: 200).
    pub hidden_size: usize,
    /// Transformer layers (GeneRAIN: 6).
    pub num_hidden_layers: usize,
    /// Attention heads (GeneRAIN: 4).
    pub num_attention_heads: usize,
    /// Feed-forward size (GeneRAIN: 800).
    pub intermediate_size: usize,
    /// Dropout (GeneRAIN: 0.05).
    pub dropout: f64,
    /// Fraction of tokens selected for masking (BERT layouts; GeneRAIN: 0.15).
    pub mask_fraction: f64,
    /// Peak learning rate of the OneCycle schedule (GeneRAIN: 1e-4).
    pub lr: f64,
    /// Epochs.
    pub epochs: usize,
    /// Samples per batch (per step, over all devices).
    pub batch_size: usize,
    /// Batches accumulated per optimiser step.
    pub accumulate: usize,
    /// Fraction of the samples held out for validation.
    pub valid_fraction: f64,
    /// Seed of the split, the initialisation, the shuffling and the masks.
    pub seed: u64,
    /// Devices (`cpu`, `cuda:0,cuda:1`, ...; default `BURN_DEVICE` or the CPU).
    pub devices: Option<String>,
    /// What to do with an existing `OUT/train/`.
    pub resume: Resume,
    /// Progress bars on stderr.
    pub progress: bool,
}

impl Default for TrainSettings {
    fn default() -> Self {
        Self {
            model: GeneRainKind::PredExpr,
            hidden_size: 64,
            num_hidden_layers: 2,
            num_attention_heads: 4,
            intermediate_size: 256,
            dropout: 0.05,
            mask_fraction: 0.15,
            lr: 1e-4,
            epochs: 10,
            batch_size: 8,
            accumulate: 1,
            valid_fraction: 0.1,
            seed: 0,
            devices: None,
            resume: Resume::IfSame,
            progress: true,
        }
    }
}

/// The model configuration for `prepared` (vocabulary, sequence length and bins from it).
///
/// # Errors
/// [`Error::Models`] for sizes the encoder refuses.
pub fn model_config(s: &TrainSettings, prepared: &PreparedDir) -> Result<GeneRainConfig> {
    let mut c = GeneRainConfig::published(s.model, prepared.n_genes());
    c.max_len = prepared.top_n();
    c.n_bins = prepared.token_bins();
    c.hidden_size = s.hidden_size;
    c.num_hidden_layers = s.num_hidden_layers;
    c.num_attention_heads = s.num_attention_heads;
    c.intermediate_size = s.intermediate_size;
    c.hidden_dropout_prob = s.dropout;
    models::ModelConfig::validate(&c)?;
    Ok(c)
}

fn seqenc_model(k: GeneRainKind) -> GeneRainModel {
    match k {
        GeneRainKind::PredExpr => GeneRainModel::PredExpr,
        GeneRainKind::PredGenes => GeneRainModel::PredGenes,
        GeneRainKind::Gpt => GeneRainModel::Gpt,
    }
}

/// Samples of a prepared directory as training examples of a GeneRAIN model.
pub struct GeneRainData<'a> {
    prepared: &'a PreparedDir,
    rows: Vec<usize>,
    input: InputConfig,
    seed: u64,
    /// The first error met while reading a batch (training then stops with it).
    error: Mutex<Option<String>>,
}

impl<'a> GeneRainData<'a> {
    /// The samples `rows` of `prepared`, built for `cfg` with masks seeded by `seed`.
    ///
    /// # Errors
    /// [`Error::Usage`] for an input configuration seqenc refuses.
    pub fn new(
        prepared: &'a PreparedDir,
        rows: Vec<usize>,
        cfg: &GeneRainConfig,
        mask_fraction: f64,
        seed: u64,
    ) -> Result<Self> {
        let mut input = InputConfig::new(seqenc_model(cfg.model), cfg.n_genes);
        input.n_bins = cfg.n_bins;
        input.max_len = cfg.max_len;
        input.masking = MaskConfig {
            fraction: mask_fraction,
            ..input.masking
        };
        input
            .validate()
            .map_err(|e| Error::Usage(format!("GeneRAIN inputs: {e}")))?;
        Ok(Self {
            prepared,
            rows,
            input,
            seed,
            error: Mutex::new(None),
        })
    }

    /// The first read or build error met by a batch, if any.
    pub fn take_error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|mut e| e.take())
    }

    fn fail(&self, msg: String) {
        if let Ok(mut e) = self.error.lock() {
            e.get_or_insert(msg);
        }
    }
}

impl Examples<GeneRainBatch> for GeneRainData<'_> {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn inputs(&self, idx: &[usize], device: &Device) -> GeneRainBatch {
        let (n, l) = (idx.len(), self.input.max_len);
        let mut h = self.seed ^ 0x9e37_79b9_7f4a_7c15;
        for &i in idx {
            h = (h ^ i as u64).wrapping_mul(0x0100_0000_01b3);
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(h);
        let (mut ids, mut pos, mut mask) =
            (vec![0i64; n * l], vec![0i64; n * l], vec![0i64; n * l]);
        let mut labels = vec![seqenc::binning::IGNORE_INDEX; n * l];
        for (b, &i) in idx.iter().enumerate() {
            let row = self.rows.get(i).copied().unwrap_or(usize::MAX);
            let built = self
                .prepared
                .get(row)
                .map_err(|e| e.to_string())
                .and_then(|t| self.input.build(&t, &mut rng).map_err(|e| e.to_string()));
            match built {
                Ok(x) => {
                    let r = b * l..b * l + x.len.min(l);
                    for (k, j) in r.enumerate() {
                        ids[j] = i64::from(x.input_ids[k]);
                        pos[j] = i64::from(x.position_ids[k]);
                        mask[j] = i64::from(x.attention_mask[k]);
                        labels[j] = x.labels[k];
                    }
                }
                Err(e) => self.fail(format!("sample {row}: {e}")),
            }
        }
        // the four vectors hold n × l values by construction
        GeneRainBatch::from_host(ids, pos, mask, labels, [n, l], device).unwrap_or_else(|e| {
            self.fail(e.to_string());
            let z = || vec![0i64; n * l];
            GeneRainBatch::from_host(z(), z(), z(), z(), [n, l], device)
                .unwrap_or_else(|_| unreachable!("n × l zeros"))
        })
    }

    fn targets(&self) -> Targets<'_> {
        Targets::None
    }

    fn validate(&self, what: &str, _need_targets: bool) -> models::Result<()> {
        if self.rows.is_empty() {
            return Err(models::Error::Data {
                what: what.into(),
                msg: "no samples".into(),
            });
        }
        Ok(())
    }

    fn fingerprint(&self) -> u64 {
        let mut h = models::seam::FNV_OFFSET;
        let fp = self.prepared.info()["fingerprint"].to_string();
        models::seam::fnv_words(&mut h, fp.as_bytes());
        let rows: Vec<u8> = self
            .rows
            .iter()
            .flat_map(|r| (*r as u64).to_le_bytes())
            .collect();
        models::seam::fnv_words(&mut h, &rows);
        models::seam::fnv_words(&mut h, &self.seed.to_le_bytes());
        models::seam::fnv_words(&mut h, &self.input.masking.fraction.to_le_bytes());
        h
    }
}

impl FitsConfig<GeneRainConfig> for GeneRainData<'_> {
    fn check_fits(&self, cfg: &GeneRainConfig) -> models::Result<()> {
        if cfg.n_genes != self.input.n_genes || cfg.max_len < self.prepared.top_n() {
            return Err(models::Error::Config(format!(
                "the model has {} genes and {} positions per sample; the data {} and {}",
                cfg.n_genes,
                cfg.max_len,
                self.input.n_genes,
                self.prepared.top_n()
            )));
        }
        Ok(())
    }
}

/// Seeded split of `n` samples into (train, valid) index lists.
fn split(n: usize, valid_fraction: f64, seed: u64) -> Result<(Vec<usize>, Vec<usize>)> {
    if n < 2 || !(0.0..1.0).contains(&valid_fraction) {
        return Err(Error::Usage(format!(
            "{n} samples with a validation fraction of {valid_fraction}: need >= 2 samples and a \
             fraction in [0, 1)"
        )));
    }
    let mut idx: Vec<usize> = (0..n).collect();
    rand::seq::SliceRandom::shuffle(
        idx.as_mut_slice(),
        &mut rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x5_9117),
    );
    let n_valid = ((n as f64 * valid_fraction).round() as usize).clamp(1, n - 1);
    let valid = idx[..n_valid].to_vec();
    Ok((idx[n_valid..].to_vec(), valid))
}

/// Trains a GeneRAIN model on `prepared` into `out` and returns the summary JSON (also
/// written as `OUT/summary.json`).
///
/// # Errors
/// Bad settings (before anything is written), a prepared directory that cannot be read, a
/// sample that cannot be read or built (named), the training loop's errors.
pub fn generain_train(prepared: &Path, s: &TrainSettings, out: &Path) -> Result<Value> {
    let p = PreparedDir::open(prepared)?;
    let cfg = model_config(s, &p)?;
    let tc = TrainConfig {
        seed: s.seed,
        progress: s.progress,
        accumulate: s.accumulate,
        schedule: LrSchedule::OneCycle {
            pct_start: 0.2,
            div_factor: 5.0,
            final_div_factor: 1e4,
        },
        ..TrainConfig::adamw_warmup(
            s.lr,
            0,
            0.01,
            0.999,
            1e-8,
            s.batch_size,
            s.epochs,
            Selection::Loss,
        )
    };
    let devices = models::select_devices(s.devices.as_deref())?;
    let tc = TrainConfig {
        devices: devices.len(),
        ..tc
    };
    tc.validate()?;
    let (train_rows, valid_rows) = split(p.len(), s.valid_fraction, s.seed)?;
    let train = GeneRainData::new(&p, train_rows, &cfg, s.mask_fraction, s.seed)?;
    let valid = GeneRainData::new(&p, valid_rows, &cfg, s.mask_fraction, s.seed ^ 0x5eed)?;
    std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
    let report = models::train_best_of_on(
        &train,
        &valid,
        &cfg,
        &tc,
        &out.join("train"),
        &devices,
        s.resume,
    );
    if let Some(e) = train.take_error().or_else(|| valid.take_error()) {
        return Err(Error::Usage(format!("{}: {e}", prepared.display())));
    }
    let report = report?;
    let model: GeneRain = models::load_weights(&cfg, &report.model_path, &devices[0])?;
    export(&out.join("model"), &cfg, &model)?;
    let log_path = report.run_dirs[0].join("metrics.csv");
    let f = std::fs::File::open(&log_path)
        .map_err(io_err(format!("reading {}", log_path.display())))?;
    let log = read_metrics_log(f, &log_path.display().to_string())?;
    let title = format!("GeneRAIN {}", s.model.name());
    write_svg(
        &out.join("learning_curve.svg"),
        &learning_curve_svg(&log, &title)?,
    )?;
    let run = &report.runs[0];
    let summary = json!({
        "prepared": prepared.display().to_string(),
        "model": s.model.name(),
        "config": cfg.hf_config(),
        "n_train": train.len(),
        "n_valid": valid.len(),
        "settings": {
            "lr": s.lr, "epochs": s.epochs, "batch_size": s.batch_size,
            "accumulate": s.accumulate, "mask_fraction": s.mask_fraction,
            "valid_fraction": s.valid_fraction, "seed": s.seed, "devices": devices.len(),
        },
        "best_epoch": run.best_epoch,
        "best_valid_loss": run.best_valid_loss,
        "epochs_run": run.epochs,
        "model_dir": out.join("model").display().to_string(),
    });
    models::checkpoint::atomic_write(
        &out.join("summary.json"),
        format!("{summary:#}\n").as_bytes(),
    )?;
    Ok(summary)
}

/// Writes `config.json` and `model.safetensors` (HF key names) of `model` into `dir`.
///
/// # Errors
/// I/O errors naming the file.
pub fn export(dir: &Path, cfg: &GeneRainConfig, model: &GeneRain) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
    let text = format!("{:#}\n", cfg.hf_config());
    models::checkpoint::atomic_write(&dir.join("config.json"), text.as_bytes())?;
    model
        .lm
        .export()
        .file
        .write(&dir.join("model.safetensors"))?;
    Ok(dir.to_path_buf())
}
