//! `seq2expr predict`: apply a model directory written by `seq2expr train` to a genome +
//! annotation ([`pipeline::predict_genes`]).
//!
//! The model directory holds `model.safetensors` + `config.json` (the network), `inputs.json`
//! (window geometry, transcript policy, encoding, features, labels, selected miRNAs) and
//! `feature_scaler.json` (training-split statistics), so the inputs are rebuilt exactly as in
//! training; a directory whose files disagree with each other or with the inputs is an error.

use std::path::PathBuf;

use pipeline::mirex::{MirnaInputs, target_weight};
use pipeline::{ModelDir, predict_genes, regression_summary, write_predictions};

use crate::error::{CliError, CliResult};
use crate::output::print_stdout;

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
    /// (`tss0` 0-based; `y_pred` on the label scale, log10(expression + 0.1); one
    /// `y_true:NAME`/`y_pred:NAME` pair per output for multi-output models).
    #[arg(long)]
    pub out: PathBuf,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    pub device: Option<String>,
    /// Match chromosome names across FASTA and GTF (`chr9` ↔ `9`, `chrM` ↔ `MT`).
    #[arg(long)]
    pub chrom_alias: bool,
    /// Bootstrap resamples for the R² intervals (with `--expression`).
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    if args.bootstrap > 1_000_000 {
        return Err(CliError::Usage(
            "--bootstrap is more than 1,000,000 resamples".into(),
        ));
    }
    let device = models::select_device(args.device.as_deref())?;
    let dir = ModelDir::open(&args.model, &device)?;
    let mirna = match (&args.targetscan, &args.mirna_expression) {
        (Some(ts), Some(me)) => Some(MirnaInputs {
            targetscan: ts.clone(),
            mirna_expression: me.clone(),
            mirna_column: args.mirna_column.clone(),
            weight: target_weight(dir.spec.mirna_weight.as_deref().unwrap_or("score"))?,
            species: args.species,
        }),
        (None, None) => None,
        _ => {
            return Err(CliError::Usage(
                "give both --targetscan and --mirna-expression, or neither".into(),
            ));
        }
    };
    if mirna.is_some() && dir.spec.mirnas.is_empty() {
        return Err(CliError::Usage(format!(
            "{} is an Xpresso model without miRNA inputs: --targetscan and --mirna-expression \
             do not apply",
            args.model.display()
        )));
    }
    let (prepared, y_pred) = predict_genes(
        &dir,
        &args.fasta,
        &args.gtf,
        args.expression.as_deref(),
        mirna.as_ref(),
        args.chrom_alias,
    )?;
    let rows: Vec<usize> = (0..prepared.len()).collect();
    let y_true = args.expression.as_ref().map(|_| prepared.labels.clone());
    write_predictions(&args.out, &prepared, &rows, y_true.as_deref(), &y_pred)?;
    eprintln!("{} genes predicted -> {}", rows.len(), args.out.display());
    if let Some(t) = &y_true {
        let summary = regression_summary(t, &y_pred, &prepared.label_names, args.bootstrap, 0)?;
        let json = serde_json::to_string_pretty(&summary)
            .map_err(|e| CliError::Usage(format!("JSON: {e}")))?;
        print_stdout(&(json + "\n"))?;
    }
    Ok(())
}
