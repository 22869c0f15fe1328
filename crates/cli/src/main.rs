//! `seq2expr`: the command-line tool of the seq2expr workspace.

mod args;
mod cmd;
mod error;
mod output;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// mimalloc instead of the system allocator: training allocates and frees tensors of hundreds of
/// megabytes every step, and glibc returns each one to the kernel, so every step page-faults its
/// memory back in (see docs/decisions/0007-mimalloc.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// From a genome FASTA + GTF to trained, evaluated and explained sequence-to-expression models.
#[derive(Parser, Debug)]
#[command(name = "seq2expr", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per process: the variants' sizes do not matter.
#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Extract strand-aware TSS windows (FASTA, BED6 or TSV), byte-identical to `bedtools getfasta -s -name`.
    Windows(cmd::windows::Args),
    /// The whole slice on the embedded synthetic world: windows, one-hot, Xpresso training, R² vs controls.
    Demo(cmd::demo::Args),
    /// Tokenize sequences (one per line) with a DNABERT, NT, BPE or character tokenizer.
    Tokenize(cmd::tokenize::Args),
    /// Compute metrics from a TSV of labels, predictions and scores.
    Metrics(cmd::metrics::Args),
    /// Train Xpresso or miREx from FASTA + GTF + expression (+ TargetScan) and evaluate on held-out genes.
    Train(cmd::train::Args),
    /// Predict expression with a model trained by `seq2expr train`.
    Predict(cmd::predict::Args),
    /// Build datasets for the reference studies.
    Dataset(cmd::dataset::Args),
    /// Fit and evaluate baselines.
    Baseline(cmd::baseline::Args),
    /// DeepCBA: run the upstream Keras weights on promoter–partner anchor pairs.
    Deepcba(cmd::deepcba::Args),
    /// GeneRAIN expression models: prepare (binning) and evaluate (gene embeddings on gene sets).
    Generain(cmd::generain::Args),
    /// DNA language models from HF checkpoint directories: forward, embed, predict.
    Lm(cmd::lm::Args),
    /// Reproduce a reference study end to end (`reproduce lncrna`).
    Reproduce(cmd::reproduce::Args),
    /// Attribute model outputs to bases: ISM, saliency, gradient × input, integrated gradients, attention, rollout.
    Attribute(cmd::attribute::Args),
    /// Score VCF variants on the TSS windows they overlap (ref vs alt), or emit the ref/alt windows.
    Variants(cmd::variants::Args),
    /// Seqlets, motifs and MEME-database matches (Tomtom) from an `attribute` output directory.
    Motifs(cmd::motifs::Args),
}

/// Every subcommand takes a negative number as a value (`--upstream -1`), so that the value's
/// own check can say what is wrong with it, instead of clap's "unexpected argument '-1'".
fn negatives_as_values(cmd: clap::Command) -> clap::Command {
    cmd.allow_negative_numbers(true)
        .mut_subcommands(negatives_as_values)
}

fn parse() -> Cli {
    let matches = negatives_as_values(Cli::command()).get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn main() {
    // SIGINT / SIGTERM: remove the temporaries being written (destructors do not run when a
    // signal ends the process), then exit as the shell expects of an interrupted command
    let _ = ctrlc::set_handler(|| {
        outfile::remove_temporaries();
        std::process::exit(130);
    });
    let cli = parse();
    let result = match cli.command {
        Command::Windows(a) => cmd::windows::run(a),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Tokenize(a) => cmd::tokenize::run(a),
        Command::Metrics(a) => cmd::metrics::run(a),
        Command::Train(a) => cmd::train::run(a),
        Command::Predict(a) => cmd::predict::run(a),
        Command::Dataset(a) => cmd::dataset::run(a),
        Command::Baseline(a) => cmd::baseline::run(a),
        Command::Deepcba(a) => cmd::deepcba::run(a),
        Command::Generain(a) => cmd::generain::run(a),
        Command::Lm(a) => cmd::lm::run(a),
        Command::Reproduce(a) => cmd::reproduce::run(a),
        Command::Attribute(a) => cmd::attribute::run(a),
        Command::Variants(a) => cmd::variants::run(a),
        Command::Motifs(a) => cmd::motifs::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            eprintln!("  caused by: {s}");
            source = s.source();
        }
        std::process::exit(1);
    }
}
