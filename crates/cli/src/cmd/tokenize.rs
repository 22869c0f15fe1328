//! `seq2expr tokenize`: one sequence per input line, one line of token ids (or spans) out.

use crate::error::{CliError, CliResult};
use crate::output;
use seqenc::tokenizer::{CaseMode, EncodeOptions, Encoding, Tokenizer, TokenizerSpec};
use std::io::{BufRead, Write};
use std::path::PathBuf;

/// Lines encoded per parallel batch.
const BATCH: usize = 4096;

/// What to print for each sequence.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// Token ids separated by single spaces, special tokens included.
    Ids,
    /// One `start-end` per token (0-based, half-open nucleotide span); `*` for special tokens.
    Spans,
}

/// Arguments of `seq2expr tokenize`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// `dnabert:K` (K = 3..6), `nt6[:VOCAB]`, `bpe:TOKENIZER_JSON` or `char`.
    #[arg(long)]
    pub tokenizer: String,
    /// Vocabulary file (`vocab.txt`, one token per line) for `dnabert:K`, `nt6` or `char`;
    /// default: the built-in vocabulary.
    #[arg(long)]
    pub vocab: Option<PathBuf>,
    /// Input file with one sequence per line (default: standard input).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Truncate every encoding to at most N tokens, special tokens kept (HF `truncation=True`).
    /// Without it, DNABERT inputs of 510+ k-mers are split into `[CLS] … [SEP]` pieces of 510.
    #[arg(long)]
    pub max_len: Option<usize>,
    /// Print token ids or nucleotide spans.
    #[arg(long, value_enum, default_value_t = Emit::Ids)]
    pub emit: Emit,
    /// Upper-case sequences before tokenizing (DNABERT's own tokenizer does not: lowercase
    /// k-mers become the `[UNK]` token).
    #[arg(long)]
    pub uppercase: bool,
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let case = if args.uppercase {
        CaseMode::Upper
    } else {
        CaseMode::AsIs
    };
    let spec: TokenizerSpec = args.tokenizer.parse()?;
    if args.uppercase && matches!(spec, TokenizerSpec::Bpe(_)) {
        return Err(CliError::Usage(
            "--uppercase is not available for bpe".into(),
        ));
    }
    run_with(&spec.build(args.vocab.as_deref(), case)?, &args)
}

/// Refuses what is not a sequence: a FASTA header (`>`, a FASTA file given as lines) and
/// non-ASCII text (it would be tokenized byte by byte).
fn check_line(name: &str, line: usize, text: &str) -> CliResult {
    let bad = |msg: String| CliError::Usage(format!("{name}: line {line}: {msg}"));
    if text.starts_with('>') {
        return Err(bad(
            "a FASTA header: the input is one sequence per line (extract the sequences first, e.g. `grep -v '>'`, or use `lm embed --fasta`)".into(),
        ));
    }
    if let Some((col, c)) = text.char_indices().find(|(_, c)| !c.is_ascii()) {
        return Err(bad(format!(
            "non-ASCII character {c:?} at byte {}: sequences are ASCII letters",
            col + 1
        )));
    }
    Ok(())
}

fn run_with<T: Tokenizer>(t: &T, args: &Args) -> CliResult {
    if let Some(m) = args.max_len
        && m < 2
    {
        return Err(CliError::Usage(format!(
            "--max-len {m}: at least 2 (the specials [CLS] and [SEP] alone take 2)"
        )));
    }
    let (name, reader): (String, Box<dyn BufRead>) = match &args.input {
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| CliError::Io {
                context: format!("opening {}", p.display()),
                source: e,
            })?;
            (
                p.display().to_string(),
                Box::new(std::io::BufReader::new(f)),
            )
        }
        None => ("<stdin>".into(), Box::new(std::io::stdin().lock())),
    };
    let opts = EncodeOptions {
        max_len: args.max_len,
        ..Default::default()
    };
    let mut batch: Vec<String> = Vec::with_capacity(BATCH);
    let mut lines = reader.lines().enumerate().peekable();
    // A reader that closed stdout early (`| head`) ends the run quietly (see `output`).
    output::with_stdout(|out| {
        while lines.peek().is_some() {
            batch.clear();
            for (i, line) in lines.by_ref().take(BATCH) {
                let mut line = line.map_err(|e| CliError::Io {
                    context: format!("{name}: line {}", i + 1),
                    source: e,
                })?;
                if line.ends_with('\r') {
                    line.pop();
                }
                check_line(&name, i + 1, &line)?;
                batch.push(line);
            }
            for e in t.encode_batch(&batch, &opts)? {
                writeln!(out, "{}", format_encoding(&e, args.emit)).map_err(CliError::Stdout)?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

fn format_encoding(e: &Encoding, emit: Emit) -> String {
    let items: Vec<String> = match emit {
        Emit::Ids => e.ids.iter().map(u32::to_string).collect(),
        Emit::Spans => e
            .spans
            .iter()
            .map(|s| s.map_or_else(|| "*".to_string(), |s| format!("{}-{}", s.start, s.end)))
            .collect(),
    };
    items.join(" ")
}
