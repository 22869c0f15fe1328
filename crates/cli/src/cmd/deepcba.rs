//! `seq2expr deepcba`: DeepCBA (promoter + chromatin-interacting partner → expression).
//!
//! `seq2expr deepcba forward --keras-weights W.safetensors --preset ppi|pdi --input PAIRS.tsv`:
//! runs the upstream Keras model's weights (a safetensors file keyed by Keras variable paths,
//! `models::deepcba::load_keras_weights`) in inference mode on every pair of `PAIRS.tsv`
//! (header `promoter<TAB>partner`, one pair of anchor sequences per line, each of the preset's
//! anchor length: 3,000 bp for `ppi`, 1,500 bp for `pdi`) and prints one line per pair, in file
//! order, with the model output (the outputs of a multi-output model tab-separated). The whole
//! input is validated before the weights are read.

use std::io::Write;
use std::path::PathBuf;

use models::deepcba::{DeepCbaConfig, DeepCbaPreset};

use crate::error::{CliError, CliResult};
use crate::output::with_stdout;

/// Arguments of `seq2expr deepcba`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: DeepCbaCommand,
}

#[derive(clap::Subcommand, Debug)]
enum DeepCbaCommand {
    /// Run the upstream Keras weights on pairs of anchor sequences (inference mode).
    Forward(ForwardArgs),
}

#[derive(clap::Args, Debug)]
struct ForwardArgs {
    /// The Keras weights as safetensors, keyed by Keras variable paths (`conv2d/kernel`, ...).
    #[arg(long)]
    keras_weights: PathBuf,
    /// `ppi` (promoter–promoter, 3,000-bp anchors) or `pdi` (promoter–distal, 1,500-bp anchors).
    #[arg(long)]
    preset: String,
    /// TSV with the header `promoter<TAB>partner` and one pair of anchor sequences per line.
    #[arg(long)]
    input: PathBuf,
    /// Device (`cpu`, `wgpu`, `cuda`, `cuda:N`; default: `BURN_DEVICE` or the CPU).
    #[arg(long)]
    device: Option<String>,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    match args.command {
        DeepCbaCommand::Forward(a) => forward(a),
    }
}

fn forward(a: ForwardArgs) -> CliResult {
    let preset: DeepCbaPreset = a.preset.parse()?;
    if let Some(d) = a.device.as_deref() {
        models::check_device_name(d)?;
    }
    let device = models::select_device(a.device.as_deref())?;
    let n_out = DeepCbaConfig::preset(preset).n_outputs.max(1);
    let out = pipeline::deepcba::deepcba_forward(&a.keras_weights, preset, &a.input, &device)?;
    with_stdout(|w| {
        for row in out.chunks(n_out) {
            let line: Vec<String> = row.iter().map(|v| v.to_string()).collect();
            writeln!(w, "{}", line.join("\t")).map_err(CliError::Stdout)?;
        }
        Ok(())
    })?;
    Ok(())
}
