//! Writes a synthetic world (genome.fa, genome.fa.fai, annotation.gtf, expression.tsv, truth.tsv).
//!
//! ```text
//! cargo run --release -p seq2expr-datasets --example synth_world -- --preset demo|big|tiny [--seed N] --out DIR
//! ```
//! The files are streamed chromosome by chromosome (`generate_to_dir`), so the 320 Mb `big` preset
//! holds one chromosome in memory at a time.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use datasets::synth::{SynthConfig, generate_to_dir};

const USAGE: &str = "usage: synth_world --preset demo|big|tiny [--seed N] --out DIR";

fn parse() -> Result<(SynthConfig, PathBuf), String> {
    let mut args = std::env::args().skip(1);
    let (mut preset, mut seed, mut out) = (None, None, None);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--preset" => preset = Some(value()?),
            "--seed" => {
                seed = Some(
                    value()?
                        .parse::<u64>()
                        .map_err(|e| format!("--seed: {e}"))?,
                )
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let mut cfg = match preset.as_deref().unwrap_or("demo") {
        "demo" => SynthConfig::demo(),
        "tiny" => SynthConfig::tiny(),
        "big" => SynthConfig::big(1),
        p => return Err(format!("unknown preset {p:?}\n{USAGE}")),
    };
    if let Some(s) = seed {
        cfg.seed = s;
    }
    Ok((
        cfg,
        out.ok_or_else(|| format!("--out is required\n{USAGE}"))?,
    ))
}

fn main() -> ExitCode {
    let (cfg, out) = match parse() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let t = Instant::now();
    match generate_to_dir(&cfg, &out) {
        Ok(p) => {
            let mb = cfg.chrom_lengths.iter().sum::<u64>() as f64 / 1e6;
            eprintln!(
                "wrote {} ({mb:.1} Mb, {} chromosomes, {} genes, seed {}) in {:.1} s",
                p.dir.display(),
                cfg.chrom_lengths.len(),
                cfg.protein_coding_genes + cfg.lncrna_genes,
                cfg.seed,
                t.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
