//! `seq2expr lm finetune`, `lm pretrain` and `lm importance`: training and explaining the
//! encoders (see [`pipeline::lm::finetune`], [`pipeline::lm::pretrain`],
//! [`pipeline::lm::importance`]).

use std::path::PathBuf;

use models::Resume;
use models::lm::lora::LoraSpec;
use pipeline::lm::finetune::{FinetuneInputs, FinetuneSettings, FinetuneTask, lm_finetune};

use crate::error::{CliError, CliResult};
use crate::output::print_json;

/// Arguments of `seq2expr lm finetune`.
#[derive(clap::Args, Debug)]
pub struct FinetuneArgs {
    /// HF checkpoint directory, or a directory with config.json + vocab.txt / tokenizer.json
    /// and no weights (random init).
    #[arg(long)]
    model: PathBuf,
    /// Training CSV (`sequence,label` header, as the dataset builders write).
    #[arg(long)]
    train: PathBuf,
    /// Validation CSV (early stopping and the best run).
    #[arg(long)]
    dev: PathBuf,
    /// Test CSV (the reported metrics).
    #[arg(long)]
    test: PathBuf,
    /// `classification` (integer labels) or `regression` (real labels).
    #[arg(long)]
    task: String,
    /// Train LoRA adapters (r 8, alpha 16, dropout 0.05) instead of every weight; lr 1e-4.
    #[arg(long)]
    lora: bool,
    /// LoRA rank.
    #[arg(long, requires = "lora")]
    lora_r: Option<usize>,
    /// LoRA alpha.
    #[arg(long, requires = "lora")]
    lora_alpha: Option<f64>,
    /// LoRA target modules, comma-separated (default query,value).
    #[arg(long, requires = "lora")]
    lora_targets: Option<String>,
    /// Peak learning rate (default 3e-5; 1e-4 with --lora).
    #[arg(long)]
    lr: Option<f64>,
    /// Maximum epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Mini-batch size.
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Mini-batches per optimizer step.
    #[arg(long, default_value_t = 1)]
    accumulate: usize,
    /// Linear warm-up steps.
    #[arg(long, default_value_t = 50)]
    warmup_steps: usize,
    /// AdamW weight decay.
    #[arg(long, default_value_t = 0.01)]
    weight_decay: f32,
    /// Early-stopping patience in epochs (0 = never).
    #[arg(long, default_value_t = 3)]
    patience: usize,
    /// Seed of the first run.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Independent runs; the best by validation is kept.
    #[arg(long, default_value_t = 1)]
    runs: usize,
    /// Bootstrap resamples of the test set.
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    device: Option<String>,
    /// Replace runs in OUT/train made from other data or settings.
    #[arg(long)]
    force: bool,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
}

impl FinetuneArgs {
    fn settings(&self) -> pipeline::Result<FinetuneSettings> {
        let task: FinetuneTask = self.task.parse()?;
        let mut s = FinetuneSettings::preset(task, self.lora);
        if let Some(l) = s.lora.as_mut() {
            let d = LoraSpec::default();
            l.r = self.lora_r.unwrap_or(d.r);
            l.lora_alpha = self.lora_alpha.unwrap_or(d.lora_alpha);
            if let Some(t) = &self.lora_targets {
                l.target_modules = t.split(',').map(|x| x.trim().to_string()).collect();
            }
        }
        if let Some(lr) = self.lr {
            s.lr = lr;
        }
        s.epochs = self.epochs;
        s.batch_size = self.batch_size;
        s.accumulate = self.accumulate;
        s.warmup_steps = self.warmup_steps;
        s.weight_decay = self.weight_decay;
        s.patience = self.patience;
        s.seed = self.seed;
        s.n_runs = self.runs;
        s.bootstrap = self.bootstrap;
        s.device = self.device.clone();
        s.resume = if self.force {
            Resume::Fresh
        } else {
            Resume::IfSame
        };
        s.validate()?;
        Ok(s)
    }
}

/// Runs `lm finetune`: prints the test metrics JSON (also in `OUT/metrics.json`).
pub fn finetune(a: FinetuneArgs) -> CliResult {
    let s = a.settings()?;
    let inputs = FinetuneInputs {
        model: &a.model,
        train: &a.train,
        dev: &a.dev,
        test: &a.test,
    };
    let report = lm_finetune(inputs, &s, &a.out)?;
    print_json(&report)
}

/// Arguments of `seq2expr lm pretrain`.
#[derive(clap::Args, Debug)]
pub struct PretrainArgs {
    /// Directory with config.json + vocab.txt / tokenizer.json (+ model.safetensors to continue
    /// from). Without it, a small DNABERT encoder is created in OUT/init (see --kmer, --hidden,
    /// --layers, --heads).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Genome FASTA to draw random N-free windows from.
    #[arg(long, conflicts_with = "text", required_unless_present = "text")]
    fasta: Option<PathBuf>,
    /// Text file, one sequence per line.
    #[arg(long)]
    text: Option<PathBuf>,
    /// Window length in bases (--fasta).
    #[arg(long, default_value_t = 300)]
    window: usize,
    /// Number of training windows (--fasta; 5 % more are drawn for validation).
    #[arg(long, default_value_t = 10_000)]
    windows: usize,
    /// Small encoder without --model: DNABERT k.
    #[arg(long, default_value_t = 3)]
    kmer: usize,
    /// Small encoder without --model: hidden size.
    #[arg(long, default_value_t = 64)]
    hidden: usize,
    /// Small encoder without --model: layers.
    #[arg(long, default_value_t = 2)]
    layers: usize,
    /// Small encoder without --model: attention heads.
    #[arg(long, default_value_t = 2)]
    heads: usize,
    /// Fraction of tokens selected for prediction.
    #[arg(long, default_value_t = 0.15)]
    mask_probability: f64,
    /// Span-masking k (default: k of an overlapping k-mer vocabulary, else 1).
    #[arg(long)]
    span: Option<usize>,
    /// Peak learning rate.
    #[arg(long, default_value_t = 1e-3)]
    lr: f64,
    /// Epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Mini-batch size.
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Mini-batches per optimizer step.
    #[arg(long, default_value_t = 1)]
    accumulate: usize,
    /// Linear warm-up steps.
    #[arg(long, default_value_t = 100)]
    warmup_steps: usize,
    /// AdamW weight decay.
    #[arg(long, default_value_t = 0.01)]
    weight_decay: f32,
    /// Seed of windows, masking, init and shuffling.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N.
    #[arg(long)]
    device: Option<String>,
    /// Replace a run in OUT/train made from other data or settings.
    #[arg(long)]
    force: bool,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
}

/// Runs `lm pretrain`: prints the summary JSON (also in `OUT/metrics.json`).
pub fn pretrain(a: PretrainArgs) -> CliResult {
    use pipeline::lm::pretrain::{
        PretrainSettings, PretrainSource, SmallEncoder, lm_pretrain, write_small_encoder,
    };
    let s = PretrainSettings {
        mask_probability: a.mask_probability,
        span: a.span,
        lr: a.lr,
        epochs: a.epochs,
        batch_size: a.batch_size,
        accumulate: a.accumulate,
        warmup_steps: a.warmup_steps,
        weight_decay: a.weight_decay,
        seed: a.seed,
        device: a.device.clone(),
        resume: if a.force {
            Resume::Fresh
        } else {
            Resume::IfSame
        },
        progress: true,
    };
    let source = match (&a.fasta, &a.text) {
        (Some(p), _) => PretrainSource::Fasta {
            path: p,
            len: a.window,
            n: a.windows,
        },
        (None, Some(p)) => PretrainSource::Text(p),
        (None, None) => return Err(CliError::Usage("give --fasta or --text".into())),
    };
    let model = match &a.model {
        Some(m) => m.clone(),
        None => {
            let dir = a.out.join("init");
            let e = SmallEncoder {
                k: a.kmer,
                hidden: a.hidden,
                layers: a.layers,
                heads: a.heads,
                max_len: (a.window + 2).max(SmallEncoder::default().max_len),
            };
            write_small_encoder(&dir, &e)?;
            dir
        }
    };
    let report = lm_pretrain(&model, source, &s, &a.out)?;
    print_json(&report)
}

/// Arguments of `seq2expr lm importance`.
#[derive(clap::Args, Debug)]
pub struct ImportanceArgs {
    /// Checkpoint directory with its tokenizer (e.g. `lm finetune`'s OUT/model).
    #[arg(long)]
    model: PathBuf,
    /// A labelled CSV/TSV dataset file, a FASTA, or a `.txt` file of one sequence per line.
    #[arg(long)]
    input: PathBuf,
    /// 0-based index of the TSS in every sequence (positions reported relative to it; the
    /// lncRNA promoters of length L have it at L − 50).
    #[arg(long)]
    tss_index: Option<usize>,
    /// With a labelled file: the label whose examples make the profile.
    #[arg(long, default_value_t = 1)]
    label: u32,
    /// Sequences per batch.
    #[arg(long, default_value_t = 16)]
    batch_size: usize,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N.
    #[arg(long)]
    device: Option<String>,
    /// Output directory (importance.tsv, profile.tsv, profile.svg).
    #[arg(long)]
    out: PathBuf,
}

/// Runs `lm importance`: prints a summary JSON.
pub fn importance(a: ImportanceArgs) -> CliResult {
    use pipeline::lm::importance::{ImportanceSettings, lm_importance};
    if let Some(d) = a.device.as_deref() {
        models::check_device_name(d)?;
    }
    if a.batch_size == 0 || a.batch_size > 4096 {
        return Err(CliError::Usage("--batch-size must be in 1..=4096".into()));
    }
    let device = models::select_device(a.device.as_deref())?;
    let lm = models::lm::load_dir(&a.model, &device)?;
    let s = ImportanceSettings {
        batch_size: a.batch_size,
        tss_index: a.tss_index,
        label: a.label,
    };
    let report = lm_importance(&lm, &a.input, &s, &a.out, &device, |_| {})?;
    print_json(&report)
}
