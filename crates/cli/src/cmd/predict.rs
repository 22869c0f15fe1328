//! `seq2expr predict`: apply a model trained by `seq2expr train` to a genome + annotation.
//!
//! The model directory holds `model.safetensors` + `config.json` (the network), `inputs.json`
//! (window geometry, transcript policy, features, selected miRNAs) and `feature_scaler.json`
//! (training-split statistics), so the inputs are rebuilt exactly as in training.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use models::select_device;

use crate::cmd::train::{
    INPUTS_FILE, SCALER_FILE, mirna_matrix, regression_summary, target_weight, write_predictions,
};
use crate::cmd::windows::Transcripts;
use crate::error::{CliError, CliResult, io_err};
use crate::xpresso_data::{FeatureScaler, InputSpec, PrepOptions, prepare, subset};

/// Arguments of `seq2expr predict`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Directory written by `seq2expr train xpresso|mirex`.
    #[arg(long)]
    pub model: PathBuf,
    /// Genome FASTA.
    #[arg(long)]
    pub fasta: PathBuf,
    /// GTF or GFF3 annotation.
    #[arg(long)]
    pub gtf: PathBuf,
    /// Optional expression table: adds a `y_true` column and prints R² (both forms) with CIs.
    #[arg(long)]
    pub expression: Option<PathBuf>,
    /// miREx models: the TargetScan table.
    #[arg(long)]
    pub targetscan: Option<PathBuf>,
    /// miREx models: the miRNA expression table.
    #[arg(long)]
    pub mirna_expression: Option<PathBuf>,
    /// miREx models: the value column of the miRNA expression table.
    #[arg(long, default_value = "expression")]
    pub mirna_column: String,
    /// miREx models: TargetScan species (NCBI taxonomy id).
    #[arg(long, default_value_t = 9606)]
    pub species: u32,
    /// Output TSV: `gene_id gene_name transcript_id chrom strand tss0 [y_true] y_pred`
    /// (`tss0` 0-based; `y_pred` on the label scale, log10(expression + 0.1)).
    #[arg(long)]
    pub out: PathBuf,
    /// Device: cpu, wgpu or cuda (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    pub device: Option<String>,
    /// Match chromosome names across FASTA and GTF (`chr9` ↔ `9`, `chrM` ↔ `MT`).
    #[arg(long)]
    pub chrom_alias: bool,
    /// Bootstrap resamples for the R² intervals (with `--expression`).
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> CliResult<T> {
    let text =
        std::fs::read_to_string(path).map_err(io_err(format!("reading {}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{}: not a valid model file: {e}", path.display())))
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let spec: InputSpec = read_json(&args.model.join(INPUTS_FILE))?;
    let scaler: FeatureScaler = read_json(&args.model.join(SCALER_FILE))?;
    let transcripts = Transcripts::from_str(&spec.transcripts, true).map_err(|e| {
        CliError::Usage(format!(
            "{}: transcripts {e}",
            args.model.join(INPUTS_FILE).display()
        ))
    })?;
    let opts = PrepOptions {
        upstream: spec.upstream,
        downstream: spec.downstream,
        policy: transcripts.policy(),
        features: spec.gene_features,
        chrom_alias: args.chrom_alias,
        ..Default::default()
    };
    let mut prepared = prepare(&args.fasta, &args.gtf, args.expression.as_deref(), &opts)?;
    if !spec.mirnas.is_empty() {
        let (Some(ts), Some(me)) = (&args.targetscan, &args.mirna_expression) else {
            return Err(CliError::Usage(format!(
                "this is a miREx model ({} miRNAs): give --targetscan and --mirna-expression",
                spec.mirnas.len()
            )));
        };
        let weight = target_weight(spec.mirna_weight.as_deref().unwrap_or("score"))?;
        let feats = mirna_matrix(
            &prepared,
            ts,
            me,
            &args.mirna_column,
            weight,
            args.species,
            Some(&spec.mirnas),
        )?;
        prepared.append_features(&feats.values, feats.mirnas.len());
    }
    if scaler.mean.len() != prepared.n_features {
        return Err(CliError::Usage(format!(
            "the model expects {} side features, the inputs give {}",
            scaler.mean.len(),
            prepared.n_features
        )));
    }
    let device = select_device(args.device.as_deref())?;
    let (_, model) = models::load_trained(&args.model, &device)?;
    let rows: Vec<usize> = (0..prepared.len()).collect();
    let data = subset(&prepared, &rows, &scaler, false)?;
    let y_pred: Vec<f64> = models::predict(&model, &data, 256)?
        .into_iter()
        .map(f64::from)
        .collect();
    let y_true = args.expression.as_ref().map(|_| prepared.labels.clone());
    write_predictions(&args.out, &prepared, &rows, y_true.as_deref(), &y_pred)?;
    eprintln!("{} genes predicted -> {}", rows.len(), args.out.display());
    if let Some(t) = &y_true {
        let summary = regression_summary(t, &y_pred, args.bootstrap, 0)?;
        let json = serde_json::to_string_pretty(&summary)
            .map_err(|e| CliError::Usage(format!("JSON: {e}")))?;
        println!("{json}");
    }
    Ok(())
}
