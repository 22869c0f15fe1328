//! Masked-LM pretraining of an encoder from a FASTA (random N-free windows, seeded) or a text
//! file of sequences: what `seq2expr lm pretrain` does.
//!
//! The model comes from a directory holding `config.json` and the tokenizer (`vocab.txt` /
//! `tokenizer.json`); with `model.safetensors` there, pretraining continues from those weights.
//! Masking: 15 % selected, 80/10/10 ([`models::lm::mlm`]); for an overlapping DNABERT k-mer
//! vocabulary the k k-mers sharing a sampled nucleotide are masked together (span = k, found by
//! tokenizing a probe sequence). AdamW with linear warm-up and decay, gradient accumulation,
//! an epoch checkpoint with exact resume (`OUT/train/`), a progress bar and `metrics.csv`; the
//! result is exported to `OUT/model/` in HF layout (`*ForMaskedLM`, which transformers loads).
//!
//! FASTA windows: a record is drawn with probability proportional to its length, then a start
//! uniformly; windows holding anything but A, C, G, T (either case; upper-cased) are redrawn
//! (at most 1,000 tries per window). Only the windows are read (random access through the
//! `.fai` / `.gzi`, or the in-memory copy of a plain-gzip file), never the whole genome.

use std::path::Path;

use evalkit::plots::{learning_curve_svg, read_metrics_log, write_svg};
use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use models::lm::mlm::{MaskTokens, MaskingConfig};
use models::lm::tokenizer::load_tokenizer;
use models::lm::train::{LmData, LmTask, LmTrainConfig};
use models::{Resume, Selection, TrainConfig, select_device};
use rand::{Rng, SeedableRng};
use seqenc::tokenizer::Tokenizer;
use serde_json::{Value, json};

use super::finetune::{tokenize, write_hf_dir};
use crate::error::io_err;
use crate::{Error, Result};

/// Where pretraining sequences come from.
#[derive(Debug, Clone, Copy)]
pub enum PretrainSource<'a> {
    /// `n` random N-free windows of `len` bases from a FASTA.
    Fasta {
        /// The genome.
        path: &'a Path,
        /// Window length in bases.
        len: usize,
        /// Number of windows (5 % more are drawn for validation).
        n: usize,
    },
    /// One sequence per line (blank lines skipped).
    Text(&'a Path),
}

/// Settings of [`lm_pretrain`].
#[derive(Debug, Clone, PartialEq)]
pub struct PretrainSettings {
    /// Fraction of content tokens selected (0.15).
    pub mask_probability: f64,
    /// Span masking `k` (`None`: k of an overlapping k-mer vocabulary, else 1).
    pub span: Option<usize>,
    /// Peak learning rate.
    pub lr: f64,
    /// Epochs over the training windows.
    pub epochs: usize,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Mini-batches per optimizer step.
    pub accumulate: usize,
    /// Linear warm-up steps.
    pub warmup_steps: usize,
    /// AdamW weight decay.
    pub weight_decay: f32,
    /// Seed of windows, masking, init and shuffling.
    pub seed: u64,
    /// Device name.
    pub device: Option<String>,
    /// Whether runs in `OUT/train` from other data or settings are replaced.
    pub resume: Resume,
    /// Progress bars.
    pub progress: bool,
}

impl Default for PretrainSettings {
    /// 15 % masking, lr 1e-3 (a small encoder from random init), 10 epochs, batch 32, 100
    /// warm-up steps, weight decay 0.01, seed 0.
    fn default() -> Self {
        Self {
            mask_probability: 0.15,
            span: None,
            lr: 1e-3,
            epochs: 10,
            batch_size: 32,
            accumulate: 1,
            warmup_steps: 100,
            weight_decay: 0.01,
            seed: 0,
            device: None,
            resume: Resume::IfSame,
            progress: true,
        }
    }
}

impl PretrainSettings {
    fn train_config(&self) -> TrainConfig {
        TrainConfig {
            seed: self.seed,
            progress: self.progress,
            accumulate: self.accumulate,
            ..TrainConfig::adamw_warmup(
                self.lr,
                self.warmup_steps,
                self.weight_decay,
                0.98,
                1e-6,
                self.batch_size,
                self.epochs,
                Selection::Loss,
            )
        }
    }
}

const MAX_WINDOWS: usize = 10_000_000;

/// Draws `n` N-free windows of `len` bases (seeded; see the module docs).
///
/// # Errors
/// A genome without a record of at least `len` bases, too many failed draws, FASTA errors.
pub fn sample_windows(
    g: &dyn SequenceSource,
    len: usize,
    n: usize,
    seed: u64,
) -> Result<Vec<String>> {
    if len == 0 || n == 0 || n > MAX_WINDOWS || len > 1 << 20 {
        return Err(Error::Usage(format!(
            "window length {len} (1..=1,048,576) × count {n} (1..={MAX_WINDOWS})"
        )));
    }
    let recs: Vec<(String, u64)> = g
        .names()
        .into_iter()
        .filter_map(|c| g.seq_len(&c).map(|l| (c, l)))
        .filter(|(_, l)| *l >= len as u64)
        .collect();
    let total: u64 = recs.iter().map(|(_, l)| l - len as u64 + 1).sum();
    if total == 0 {
        return Err(Error::Usage(format!("no FASTA record is {len} bases long")));
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(n);
    let mut buf = Vec::with_capacity(len);
    while out.len() < n {
        let mut tries = 0;
        loop {
            tries += 1;
            if tries > 1000 {
                return Err(Error::Usage(format!(
                    "1,000 draws in a row hit a base other than A/C/G/T: the genome is mostly N \
                     at window length {len}"
                )));
            }
            let mut x = rng.random_range(0..total);
            let (name, start) = recs
                .iter()
                .find_map(|(c, l)| {
                    let span = l - len as u64 + 1;
                    if x < span {
                        Some((c, x))
                    } else {
                        x -= span;
                        None
                    }
                })
                .unwrap_or((&recs[0].0, 0));
            g.fetch_into(name, start, start + len as u64, &mut buf)?;
            if buf
                .iter()
                .all(|b| matches!(b, b'A' | b'C' | b'G' | b'T' | b'a' | b'c' | b'g' | b't'))
            {
                out.push(String::from_utf8_lossy(&buf).to_ascii_uppercase());
                break;
            }
        }
    }
    Ok(out)
}

fn read_lines(path: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).map_err(io_err(format!("reading {}", path.display())))?;
    let v: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if v.len() < 2 {
        return Err(Error::Usage(format!(
            "{}: fewer than 2 sequences",
            path.display()
        )));
    }
    Ok(v)
}

/// `k` when the tokenizer spells overlapping k-mers (DNABERT), else 1.
pub fn kmer_span(tok: &dyn Tokenizer) -> usize {
    let Ok(enc) = tok.encode_raw(b"ACGTACGTACGTACGT") else {
        return 1;
    };
    let spans: Vec<_> = enc.spans.iter().flatten().collect();
    match spans.as_slice() {
        [a, b, ..] if b.start < a.end => a.end - a.start,
        _ => 1,
    }
}

/// The mask token and the ids never selected (every special token of the vocabulary).
///
/// # Errors
/// A vocabulary without a mask token.
pub fn mask_tokens(tok: &dyn Tokenizer, rows: usize) -> Result<MaskTokens> {
    let sp = tok.special_tokens();
    let mask_id = sp
        .mask
        .ok_or_else(|| Error::Usage("the tokenizer has no mask token".into()))?;
    let special: Vec<u32> = [sp.pad, sp.unk, sp.cls, sp.sep, sp.mask, sp.bos, sp.eos]
        .into_iter()
        .flatten()
        .collect();
    Ok(MaskTokens {
        mask_id,
        special,
        vocab: tok.vocab_size().min(rows),
    })
}

/// Pretrains the encoder of `model_dir` on `source`, writing `OUT/train/` (resumable run),
/// `OUT/model/` (HF masked-LM checkpoint), `OUT/metrics.json` and `OUT/learning_curve.svg`.
/// Returns the summary written to `metrics.json`.
///
/// # Errors
/// Bad settings, a directory without tokenizer or mask token, unreadable inputs, model errors.
pub fn lm_pretrain(
    model_dir: &Path,
    source: PretrainSource<'_>,
    s: &PretrainSettings,
    out: &Path,
) -> Result<Value> {
    s.train_config().validate()?;
    if let Some(d) = &s.device {
        models::check_device_name(d)?;
    }
    let (config_json, _, lm_cfg) = models::lm::auto::read_config(model_dir)?;
    let tok = load_tokenizer(model_dir, lm_cfg.vocab_size())?.ok_or_else(|| {
        Error::Usage(format!(
            "{}: no vocab.txt or tokenizer.json",
            model_dir.display()
        ))
    })?;
    let span = s.span.unwrap_or_else(|| kmer_span(tok.as_ref()));
    let masking = MaskingConfig {
        probability: s.mask_probability,
        span,
        ..MaskingConfig::default()
    };
    masking.validate()?;
    let tokens = mask_tokens(tok.as_ref(), lm_cfg.vocab_size())?;
    let seqs = match source {
        PretrainSource::Fasta { path, len, n } => {
            let opts = FastaOptions {
                uppercase: true,
                chrom_alias: false,
            };
            let g = open_fasta(path, &opts)?;
            sample_windows(g.as_ref(), len, n + (n / 20).max(1), s.seed)?
        }
        PretrainSource::Text(p) => read_lines(p)?,
    };
    let n_valid = (seqs.len() / 20).max(1);
    let (valid_seqs, train_seqs) = seqs.split_at(n_valid);
    let rows = |v: &[String], seed: u64| -> Result<LmData> {
        Ok(LmData {
            rows: tokenize(tok.as_ref(), v, lm_cfg.max_len())?,
            classes: None,
            values: None,
            pad_id: lm_cfg.pad_id(),
            masking: Some((masking.clone(), tokens.clone(), seed)),
        })
    };
    let train = rows(train_seqs, s.seed)?;
    let valid = rows(valid_seqs, s.seed ^ 0x5eed)?;
    let task = LmTask::MaskedLm {
        masking: masking.clone(),
        tokens,
    };
    let weights = models::lm::auto::weights_file(model_dir);
    let cfg = LmTrainConfig::new(config_json, weights.clone(), task, None)?;
    let device = select_device(s.device.as_deref())?;
    std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
    let report = models::train_best_of(
        &train,
        &valid,
        &cfg,
        &s.train_config(),
        &out.join("train"),
        &device,
        s.resume,
    )?;
    let model = models::load_weights(&cfg, &report.model_path, &device)?;
    write_hf_dir(
        &out.join("model"),
        &cfg.config_json,
        &model,
        model_dir,
        None,
    )?;
    let log_path = report.run_dirs[0].join("metrics.csv");
    let f = std::fs::File::open(&log_path)
        .map_err(io_err(format!("reading {}", log_path.display())))?;
    let log = read_metrics_log(f, &log_path.display().to_string())?;
    write_svg(
        &out.join("learning_curve.svg"),
        &learning_curve_svg(&log, "masked-LM pretraining")?,
    )?;
    let run = &report.runs[0];
    let summary = json!({
        "model": model_dir.display().to_string(),
        "initialisation": if weights.is_some() { "checkpoint" } else { "random (config.json only)" },
        "n_train": train.rows.len(),
        "n_valid": valid.rows.len(),
        "masking": masking,
        "settings": {
            "lr": s.lr, "epochs": s.epochs, "batch_size": s.batch_size, "accumulate": s.accumulate,
            "warmup_steps": s.warmup_steps, "weight_decay": s.weight_decay.to_string().parse::<f64>().unwrap_or(f64::NAN), "seed": s.seed,
        },
        "best_epoch": run.best_epoch,
        "best_valid_mlm_loss": run.best_valid_loss,
        "best_valid_perplexity": run.best_valid_loss.exp(),
        "model_dir": out.join("model").display().to_string(),
    });
    let text = format!("{summary:#}\n");
    models::checkpoint::atomic_write(&out.join("metrics.json"), text.as_bytes())?;
    Ok(summary)
}

/// The small encoder [`write_small_encoder`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmallEncoder {
    /// DNABERT k (vocabulary 4^k + 5).
    pub k: usize,
    /// Hidden size.
    pub hidden: usize,
    /// Layers.
    pub layers: usize,
    /// Attention heads.
    pub heads: usize,
    /// Position-table rows (longest input in tokens).
    pub max_len: usize,
}

impl Default for SmallEncoder {
    /// DNABERT 3-mers, hidden 64, 2 layers, 2 heads (FFN 4 × hidden), 512 positions.
    fn default() -> Self {
        Self {
            k: 3,
            hidden: 64,
            layers: 2,
            heads: 2,
            max_len: 512,
        }
    }
}

/// Writes `config.json` (HF `BertForMaskedLM`) and the DNABERT `vocab.txt` of a small
/// randomly initialised encoder into `dir`.
///
/// # Errors
/// A `k` outside 3..=6, heads not dividing hidden, I/O errors.
pub fn write_small_encoder(dir: &Path, e: &SmallEncoder) -> Result<()> {
    if !(3..=6).contains(&e.k) || e.heads == 0 || !e.hidden.is_multiple_of(e.heads) || e.max_len < 8
    {
        return Err(Error::Usage(format!(
            "small encoder {e:?}: k 3..=6, heads dividing hidden, max_len ≥ 8"
        )));
    }
    let tok = seqenc::tokenizer::DnaBert::new(e.k, seqenc::tokenizer::CaseMode::default())?;
    let vocab = tok.vocab().tokens().join("\n") + "\n";
    let cfg = json!({
        "model_type": "bert",
        "architectures": ["BertForMaskedLM"],
        "vocab_size": tok.vocab_size(),
        "hidden_size": e.hidden,
        "num_hidden_layers": e.layers,
        "num_attention_heads": e.heads,
        "intermediate_size": 4 * e.hidden,
        "hidden_act": "gelu",
        "max_position_embeddings": e.max_len,
        "type_vocab_size": 2,
        "pad_token_id": 0,
        "layer_norm_eps": 1e-12,
        "initializer_range": 0.02,
    });
    std::fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
    models::checkpoint::atomic_write(&dir.join("vocab.txt"), vocab.as_bytes())?;
    models::checkpoint::atomic_write(&dir.join("config.json"), format!("{cfg:#}\n").as_bytes())?;
    Ok(())
}
