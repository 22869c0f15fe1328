//! `seq2expr generain`: GeneRAIN expression models, the parts built so far.
//!
//! * `generain prepare --input COUNTS --out DIR [--orientation genes-by-samples|samples-by-genes]
//!   [--symbols] [--gene-key id|symbol] [--reference DIR] ...`: GeneRAIN's sample filters,
//!   library-size normalisation, `log10(x + 1)`, Binning-By-Gene and the per-sample top-N
//!   re-binning into `DIR` (`pipeline::generain::prepare`); prints the summary JSON.
//! * `generain evaluate --embedding NAME=TSV ... --gmt SETS.gmt --out DIR [--expression M]`:
//!   gene-embedding tables scored on gene sets (cross-validated logistic regression AUCs,
//!   k-means ARI, neighbours) beside PCA and co-expression baselines
//!   (`pipeline::generain::evaluate`); prints the summary JSON.
//!
//! * `generain train --prepared DIR --model pred-expr|pred-genes|gpt --out OUT [--epochs N]
//!   [--batch-size B] [--lr LR] [--devices cpu,cpu] ...`: trains on the prepared samples
//!   (`pipeline::generain::train`), exports `OUT/model/` in HF layout; prints the summary JSON.
//!
//! `embed` and `perturb` are not built yet.

use std::path::PathBuf;

use genome_io::matrix::Orientation;
use models::Resume;
use models::generain::GeneRainKind;
use pipeline::generain::evaluate::{EvaluateSettings, evaluate_embeddings};
use pipeline::generain::train::{TrainSettings, generain_train};
use pipeline::generain::{GeneKey, PrepareSettings, prepare};

use crate::error::{CliError, CliResult};
use crate::output::print_json;

/// Arguments of `seq2expr generain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: GeneRainCommand,
}

#[derive(clap::Subcommand, Debug)]
enum GeneRainCommand {
    /// Count matrix → binned per-sample gene tokens (GeneRAIN's normalisation and binning).
    Prepare(PrepareArgs),
    /// Train a Pred_Expr, Pred_Genes or GPT model on a prepared directory.
    Train(TrainArgs),
    /// Score gene-embedding tables on gene sets beside PCA / co-expression baselines.
    Evaluate(EvaluateArgs),
}

#[derive(clap::Args, Debug)]
struct PrepareArgs {
    /// Count matrix: TSV, CSV or GCT, plain or gzip.
    #[arg(long)]
    input: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// `genes-by-samples` (one gene per row) or `samples-by-genes`.
    #[arg(long, default_value = "genes-by-samples")]
    orientation: String,
    /// Genes × samples TSV/CSV: the second column holds gene symbols.
    #[arg(long)]
    symbols: bool,
    /// Key genes by `id` or `symbol`.
    #[arg(long, default_value = "id")]
    gene_key: String,
    /// Reuse this earlier prepare's vocabulary and bin reference.
    #[arg(long)]
    reference: Option<PathBuf>,
    /// Samples need total counts >= this.
    #[arg(long, default_value_t = 1e6)]
    min_total_counts: f64,
    /// Samples need more than this many genes with a count > 0.
    #[arg(long, default_value_t = 2000)]
    min_expressed_genes: usize,
    /// Genes per sample record.
    #[arg(long, default_value_t = 2048)]
    top_n: usize,
    /// Bins of the per-sample re-binning.
    #[arg(long, default_value_t = 100)]
    token_bins: u16,
    /// Memory for the in-memory blocks, in MiB.
    #[arg(long, default_value_t = 512)]
    memory_mb: usize,
}

#[derive(clap::Args, Debug)]
struct TrainArgs {
    /// A `generain prepare` output directory.
    #[arg(long)]
    prepared: PathBuf,
    /// `pred-expr`, `pred-genes` or `gpt`.
    #[arg(long)]
    model: String,
    /// Output directory (`train/` checkpoints, `model/` HF export, `summary.json`).
    #[arg(long)]
    out: PathBuf,
    /// Hidden size (GeneRAIN: 200).
    #[arg(long, default_value_t = 64)]
    hidden_size: usize,
    /// Transformer layers (GeneRAIN: 6).
    #[arg(long, default_value_t = 2)]
    layers: usize,
    /// Attention heads (GeneRAIN: 4).
    #[arg(long, default_value_t = 4)]
    heads: usize,
    /// Feed-forward size (GeneRAIN: 800).
    #[arg(long, default_value_t = 256)]
    intermediate_size: usize,
    /// Peak learning rate (OneCycle).
    #[arg(long, default_value_t = 1e-4)]
    lr: f64,
    /// Epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Samples per step (over all devices).
    #[arg(long, default_value_t = 8)]
    batch_size: usize,
    /// Batches accumulated per optimiser step.
    #[arg(long, default_value_t = 1)]
    accumulate: usize,
    /// Fraction of the samples held out for validation.
    #[arg(long, default_value_t = 0.1)]
    valid_fraction: f64,
    /// Seed of the split, initialisation, shuffling and masks.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Devices of every step, e.g. `cpu`, `cuda:0,cuda:1` (default `BURN_DEVICE` or the CPU).
    #[arg(long)]
    devices: Option<String>,
    /// Start over instead of resuming a matching run in `OUT/train/`.
    #[arg(long)]
    fresh: bool,
}

#[derive(clap::Args, Debug)]
struct EvaluateArgs {
    /// An embedding table as `NAME=PATH` (TSV: gene, then the dimensions); repeat for several.
    #[arg(long = "embedding", required = true)]
    embeddings: Vec<String>,
    /// Gene sets (GMT, plain or gzip).
    #[arg(long)]
    gmt: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Normalised expression (genes × samples) for the `pca` and `coexpr` baselines.
    #[arg(long)]
    expression: Option<PathBuf>,
    /// Cross-validation folds.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Seed of the folds and of k-means.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Cosine nearest neighbours written per gene (0: none).
    #[arg(long, default_value_t = 0)]
    neighbors: usize,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    match args.command {
        GeneRainCommand::Prepare(a) => prepare_cmd(a),
        GeneRainCommand::Train(a) => train_cmd(a),
        GeneRainCommand::Evaluate(a) => evaluate_cmd(a),
    }
}

fn prepare_cmd(a: PrepareArgs) -> CliResult {
    let orientation = match a.orientation.as_str() {
        "genes-by-samples" => Orientation::GenesBySamples,
        "samples-by-genes" => Orientation::SamplesByGenes,
        o => {
            return Err(CliError::Usage(format!(
                "unknown --orientation {o:?} (genes-by-samples or samples-by-genes)"
            )));
        }
    };
    let gene_key = match a.gene_key.as_str() {
        "id" => GeneKey::Id,
        "symbol" => GeneKey::Symbol,
        k => {
            return Err(CliError::Usage(format!(
                "unknown --gene-key {k:?} (id or symbol)"
            )));
        }
    };
    let mut s = PrepareSettings::new(a.input, orientation, a.out);
    s.matrix.symbol_column = a.symbols;
    s.gene_key = gene_key;
    s.reference = a.reference;
    s.min_total_counts = a.min_total_counts;
    s.min_expressed_genes = a.min_expressed_genes;
    s.top_n = a.top_n;
    s.token_bins = a.token_bins;
    s.memory_mb = a.memory_mb;
    s.progress = true;
    print_json(&prepare(&s)?)
}

fn train_cmd(a: TrainArgs) -> CliResult {
    let s = TrainSettings {
        model: GeneRainKind::parse(&a.model)?,
        hidden_size: a.hidden_size,
        num_hidden_layers: a.layers,
        num_attention_heads: a.heads,
        intermediate_size: a.intermediate_size,
        lr: a.lr,
        epochs: a.epochs,
        batch_size: a.batch_size,
        accumulate: a.accumulate,
        valid_fraction: a.valid_fraction,
        seed: a.seed,
        devices: a.devices,
        resume: if a.fresh {
            Resume::Fresh
        } else {
            Resume::IfSame
        },
        ..TrainSettings::default()
    };
    print_json(&generain_train(&a.prepared, &s, &a.out)?)
}

fn evaluate_cmd(a: EvaluateArgs) -> CliResult {
    let mut embeddings = Vec::with_capacity(a.embeddings.len());
    for e in &a.embeddings {
        let Some((name, path)) = e.split_once('=') else {
            return Err(CliError::Usage(format!(
                "--embedding {e:?} is not NAME=PATH"
            )));
        };
        embeddings.push((name.to_string(), PathBuf::from(path)));
    }
    let mut s = EvaluateSettings::new(embeddings, a.gmt, a.out);
    s.expression = a.expression;
    s.folds = a.folds;
    s.seed = a.seed;
    s.neighbors = a.neighbors;
    print_json(&evaluate_embeddings(&s)?)
}
