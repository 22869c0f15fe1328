//! `seq2expr reproduce lncrna`: the lncRNA promoter study end to end (see
//! [`pipeline::lm::study`]).

use std::path::PathBuf;

use pipeline::lm::study::{StudyPretrain, StudySettings, reproduce_lncrna};

use crate::error::{CliError, CliResult};
use crate::output::print_stdout;

/// Arguments of `seq2expr reproduce`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: ReproduceCommand,
}

#[derive(clap::Subcommand, Debug)]
enum ReproduceCommand {
    /// The four lncRNA promoter tasks: LR TF-IDF and language models, Table-2-style results.
    Lncrna(LncrnaArgs),
}

fn list<T: std::str::FromStr>(s: &str, what: &str) -> Result<Vec<T>, CliError> {
    s.split(',')
        .filter(|x| !x.trim().is_empty())
        .map(|x| {
            x.trim()
                .parse()
                .map_err(|_| CliError::Usage(format!("{what}: {x:?} is not a number")))
        })
        .collect()
}

#[derive(clap::Args, Debug)]
struct LncrnaArgs {
    /// Genome FASTA.
    #[arg(long)]
    fasta: PathBuf,
    /// Gene annotation (GTF / GFF3).
    #[arg(long)]
    gtf: PathBuf,
    /// Gene × tissue expression table (task 3 and the sweeps on it).
    #[arg(long)]
    expression: Option<PathBuf>,
    /// HF checkpoint directories to fine-tune (repeatable).
    #[arg(long)]
    model: Vec<PathBuf>,
    /// HF checkpoint directories to fine-tune with LoRA (repeatable).
    #[arg(long)]
    lora_model: Vec<PathBuf>,
    /// JSON with the small encoder pretrained without --model (fields of StudyPretrain:
    /// hidden, layers, heads, windows, window, epochs, lr, batch_size, finetune_lr).
    #[arg(long)]
    pretrain_config: Option<PathBuf>,
    /// Tasks, comma-separated.
    #[arg(long, default_value = "1,2,3,4")]
    tasks: String,
    /// Window length of the main table.
    #[arg(long, default_value_t = 300)]
    length: u64,
    /// Table-1 sweep, e.g. 300,500,1000,2000.
    #[arg(long)]
    lengths: Option<String>,
    /// Table-4 sweep, e.g. 3,4,5,6.
    #[arg(long)]
    kmers: Option<String>,
    /// Fine-tuning epochs (early stopping on validation MCC).
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Bootstrap resamples.
    #[arg(long, default_value_t = 1000)]
    bootstrap: usize,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N.
    #[arg(long)]
    device: Option<String>,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let ReproduceCommand::Lncrna(a) = args.command;
    if let Some(d) = a.device.as_deref() {
        models::check_device_name(d)?;
    }
    let pretrain = match &a.pretrain_config {
        None => StudyPretrain::default(),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| CliError::Io {
                context: format!("reading {}", p.display()),
                source: e,
            })?;
            serde_json::from_str(&text)
                .map_err(|e| CliError::Usage(format!("{}: {e}", p.display())))?
        }
    };
    let s = StudySettings {
        models: a.model,
        lora_models: a.lora_model,
        pretrain,
        tasks: list(&a.tasks, "--tasks")?,
        length: a.length,
        lengths: a
            .lengths
            .as_deref()
            .map_or(Ok(Vec::new()), |l| list(l, "--lengths"))?,
        kmers: a
            .kmers
            .as_deref()
            .map_or(Ok(Vec::new()), |l| list(l, "--kmers"))?,
        epochs: a.epochs,
        seed: a.seed,
        bootstrap: a.bootstrap,
        device: a.device,
        progress: true,
    };
    let rows = reproduce_lncrna(&a.fasta, &a.gtf, a.expression.as_deref(), &s, &a.out)?;
    let md = std::fs::read_to_string(a.out.join("results.md")).map_err(|e| CliError::Io {
        context: "reading results.md".into(),
        source: e,
    })?;
    eprintln!(
        "{} result rows -> {}",
        rows.len(),
        a.out.join("results.tsv").display()
    );
    print_stdout(&md)
}
