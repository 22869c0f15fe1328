//! `seq2expr attribute`: attributions of a trained model or an HF checkpoint.

use std::path::PathBuf;

use pipeline::attribute::{AttributeInput, AttributeSettings, Explainer, attribute};
use pipeline::lm::SeqInput;

use crate::error::{CliError, CliResult};
use crate::output::{print_json, spinner};

/// Arguments of `seq2expr attribute`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A model directory of `seq2expr train` / `train mirex`, or an HF checkpoint directory.
    #[arg(long)]
    model: PathBuf,
    /// Sequences, one per line or `id<TAB>sequence`.
    #[arg(long, conflicts_with_all = ["fasta", "input_ids"])]
    input: Option<PathBuf>,
    /// Sequences in a FASTA file (plain, gzip or bgzip).
    #[arg(long, conflicts_with = "input_ids")]
    fasta: Option<PathBuf>,
    /// Token ids, the JSON lines of `lm forward` (HF checkpoints; scores per token).
    #[arg(long)]
    input_ids: Option<PathBuf>,
    /// ism, saliency, grad-input, integrated-gradients, attention or rollout.
    #[arg(long)]
    method: String,
    /// The output attributed (0-based: the regression output, or a class logit).
    #[arg(long, default_value_t = 0)]
    target: usize,
    /// ISM: mutate only positions START..END (0-based, half-open).
    #[arg(long)]
    window: Option<String>,
    /// Integrated gradients: path points of the midpoint rule.
    #[arg(long, default_value_t = 64)]
    steps: usize,
    /// Integrated gradients: zero (all bases absent) or shuffle (dinucleotide-shuffled).
    #[arg(long, default_value = "zero")]
    baseline: String,
    /// Seed of the shuffled baseline.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Sequences, mutants or path points per forward pass.
    #[arg(long, default_value_t = 64)]
    batch_size: usize,
    /// SVG logos (and ISM heatmaps) for the first N sequences.
    #[arg(long, default_value_t = 4)]
    plots: usize,
    /// Positions plotted, START..END (default: the ISM window, else the first 1,000).
    #[arg(long)]
    plot_range: Option<String>,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N.
    #[arg(long)]
    device: Option<String>,
    /// Output directory (attributions.tsv, attributions.npy, sequences.tsv, summary.json).
    #[arg(long)]
    out: PathBuf,
}

fn parse_range(flag: &str, w: &str) -> CliResult<std::ops::Range<usize>> {
    let bad = || {
        CliError::Usage(format!(
            "{flag} {w:?}: expected START..END (0-based, half-open)"
        ))
    };
    let (a, b) = w.split_once("..").ok_or_else(bad)?;
    let (a, b): (usize, usize) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a >= b {
        return Err(bad());
    }
    Ok(a..b)
}

/// Runs `seq2expr attribute`: prints the summary JSON.
pub fn run(a: Args) -> CliResult {
    let s = AttributeSettings {
        method: a.method.parse()?,
        target: a.target,
        window: a
            .window
            .as_deref()
            .map(|w| parse_range("--window", w))
            .transpose()?,
        steps: a.steps,
        baseline: a.baseline.parse()?,
        seed: a.seed,
        batch_size: a.batch_size,
        plots: a.plots,
        plot_range: a
            .plot_range
            .as_deref()
            .map(|w| parse_range("--plot-range", w))
            .transpose()?,
    };
    s.validate()?;
    if let Some(d) = a.device.as_deref() {
        models::check_device_name(d)?;
    }
    let input = match (&a.input, &a.fasta, &a.input_ids) {
        (Some(p), _, _) => AttributeInput::Sequences(SeqInput::Lines(p)),
        (_, Some(p), _) => AttributeInput::Sequences(SeqInput::Fasta(p)),
        (_, _, Some(p)) => AttributeInput::TokenIds(p),
        _ => {
            return Err(CliError::Usage(
                "give --input, --fasta or --input-ids".into(),
            ));
        }
    };
    let device = models::select_device(a.device.as_deref())?;
    let ex = Explainer::open(&a.model, &device)?;
    let bar = spinner("sequences");
    let summary = attribute(&ex, input, &s, &a.out, &device, |n| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    print_json(&summary)
}
