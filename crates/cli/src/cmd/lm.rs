//! `seq2expr lm`: HF checkpoint directories (BERT / DNABERT, DNABERT-2, Nucleotide Transformer)
//! run on token ids (`lm forward`) or on sequences (`lm embed`, `lm predict`); see
//! [`pipeline::lm`].

use std::io::Write;
use std::path::PathBuf;

use models::lm::Collect;
use pipeline::lm::{Pool, SeqInput, lm_embed, lm_forward, lm_predict};

use crate::error::{CliError, CliResult};
use crate::output::with_stdout;

/// Arguments of `seq2expr lm`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: LmCommand,
}

#[derive(clap::Subcommand, Debug)]
enum LmCommand {
    /// Token ids in (one JSON object per line), every output tensor out (one JSON object per line).
    Forward(ForwardArgs),
    /// One pooled embedding per sequence (TSV).
    Embed(EmbedArgs),
    /// The classification or regression head's outputs per sequence (TSV).
    Predict(PredictArgs),
    /// Fine-tune for sequence classification or regression (full or LoRA), with test metrics.
    Finetune(super::lm_train::FinetuneArgs),
    /// Masked-LM pretraining from a FASTA or a text file, exported in HF layout.
    Pretrain(super::lm_train::PretrainArgs),
    /// Attention importance per nucleotide and its mean profile (DNABERT's recipe).
    Importance(super::lm_train::ImportanceArgs),
}

#[derive(clap::Args, Debug)]
struct ForwardArgs {
    /// Checkpoint directory: config.json + model.safetensors or pytorch_model.bin (+ vocab.txt /
    /// tokenizer.json).
    #[arg(long)]
    model: PathBuf,
    /// One JSON object per line: {"input_ids": [...], "attention_mask": [...]} (mask, token_type_ids
    /// and position_ids optional); `-` reads standard input.
    #[arg(long)]
    input_ids: PathBuf,
    /// Also print every layer's attention probabilities (layers × heads × L × L).
    #[arg(long)]
    attentions: bool,
    /// Also print the embeddings output and every layer's output ((layers + 1) × L × H).
    #[arg(long)]
    hidden_states: bool,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    device: Option<String>,
}

#[derive(clap::Args, Debug)]
struct SeqArgs {
    /// Checkpoint directory with its tokenizer (vocab.txt or tokenizer.json).
    #[arg(long)]
    model: PathBuf,
    /// Sequences, one per line (or `id<TAB>sequence`).
    #[arg(long, conflicts_with = "fasta", required_unless_present = "fasta")]
    input: Option<PathBuf>,
    /// Sequences from a FASTA file (record names as ids).
    #[arg(long)]
    fasta: Option<PathBuf>,
    /// Output TSV.
    #[arg(long)]
    out: PathBuf,
    /// Sequences per batch.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=4096))]
    batch_size: u64,
    /// Device: cpu, wgpu, wgpu:N, cuda or cuda:N (default: BURN_DEVICE, else cpu).
    #[arg(long)]
    device: Option<String>,
}

#[derive(clap::Args, Debug)]
struct EmbedArgs {
    #[command(flatten)]
    seqs: SeqArgs,
    /// `cls` (first token) or `mean` (all tokens of the input, padding excluded).
    #[arg(long, default_value = "mean")]
    pool: String,
}

#[derive(clap::Args, Debug)]
struct PredictArgs {
    #[command(flatten)]
    seqs: SeqArgs,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    match args.command {
        LmCommand::Forward(a) => forward(a),
        LmCommand::Embed(a) => {
            let pool: Pool = a.pool.parse()?;
            sequences(&a.seqs, |lm, input, out, device, progress| {
                lm_embed(
                    lm,
                    input,
                    pool,
                    a.seqs.batch_size as usize,
                    out,
                    device,
                    progress,
                )
            })
        }
        LmCommand::Predict(a) => sequences(&a.seqs, |lm, input, out, device, progress| {
            lm_predict(lm, input, a.seqs.batch_size as usize, out, device, progress)
        }),
        LmCommand::Finetune(a) => super::lm_train::finetune(a),
        LmCommand::Pretrain(a) => super::lm_train::pretrain(a),
        LmCommand::Importance(a) => super::lm_train::importance(a),
    }
}

fn forward(a: ForwardArgs) -> CliResult {
    if let Some(d) = a.device.as_deref() {
        models::check_device_name(d)?;
    }
    let reader: Box<dyn std::io::BufRead> = if a.input_ids.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(&a.input_ids).map_err(|e| CliError::Io {
            context: format!("opening {}", a.input_ids.display()),
            source: e,
        })?;
        Box::new(std::io::BufReader::new(f))
    };
    let device = models::select_device(a.device.as_deref())?;
    let lm = models::lm::load_dir(&a.model, &device)?;
    let collect = Collect {
        attentions: a.attentions,
        hidden_states: a.hidden_states,
    };
    let name = a.input_ids.display().to_string();
    with_stdout(|w| {
        lm_forward(&lm, reader, &name, collect, &device, |line| {
            writeln!(w, "{line}").map_err(|source| pipeline::Error::Io {
                context: "writing stdout".into(),
                source,
            })
        })?;
        Ok(())
    })?;
    Ok(())
}

fn sequences(
    a: &SeqArgs,
    run: impl FnOnce(
        &models::lm::LoadedLm,
        SeqInput<'_>,
        &std::path::Path,
        &models::Device,
        &mut dyn FnMut(usize),
    ) -> pipeline::Result<usize>,
) -> CliResult {
    if let Some(d) = a.device.as_deref() {
        models::check_device_name(d)?;
    }
    let input = match (&a.input, &a.fasta) {
        (Some(p), _) => SeqInput::Lines(p),
        (None, Some(p)) => SeqInput::Fasta(p),
        (None, None) => return Err(CliError::Usage("give --input or --fasta".into())),
    };
    let device = models::select_device(a.device.as_deref())?;
    let lm = models::lm::load_dir(&a.model, &device)?;
    let bar = crate::output::spinner("sequences");
    let mut progress = |n: usize| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    };
    let n = run(&lm, input, &a.out, &device, &mut progress)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    eprintln!("{n} sequences -> {}", a.out.display());
    Ok(())
}
