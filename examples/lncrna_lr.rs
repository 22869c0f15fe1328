//! The lncRNA promoter study's baseline: one of its four tasks built from a FASTA + GTF
//! (300 bp windows, −250..+49 around the TSS), then TF-IDF character 3–6-grams + L2 logistic
//! regression (scikit-learn's set-up), with bootstrap CIs on the test split.
//!
//! ```sh
//! cargo run --release -p seq2expr-examples --example lncrna_lr -- GENOME.fa GENES.gtf OUT_DIR [TASK]
//! ```
//!
//! Tasks 1 (real vs dinucleotide-shuffled), 2 (promoter vs genomic background) and 4
//! (protein-coding vs lncRNA) need no expression table. Without arguments it runs task 1 on the
//! small synthetic world.

use std::path::PathBuf;

use datasets::dataset::lncrna::LncrnaConfig;
use pipeline::baseline::{LrSettings, lr_baseline};
use pipeline::lncrna::lncrna_dataset;

fn main() -> pipeline::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (fasta, gtf, out) = if args.len() >= 3 {
        (
            PathBuf::from(&args[0]),
            PathBuf::from(&args[1]),
            PathBuf::from(&args[2]),
        )
    } else {
        let dir = PathBuf::from("seq2expr-lncrna-example");
        let world = datasets::synth::generate(&datasets::synth::SynthConfig::tiny())?;
        let p = world.write_to_dir(&dir.join("world"))?;
        (p.fasta, p.gtf, dir.join("task1"))
    };
    let task = match args.get(3) {
        Some(t) => t
            .parse()
            .map_err(|_| pipeline::Error::Usage("TASK must be 1, 2 or 4".into()))?,
        None => 1,
    };
    let cfg = LncrnaConfig {
        task,
        ..Default::default()
    };
    let summary = lncrna_dataset(&fasta, &gtf, None, &cfg, &out)?;
    println!(
        "task {task}: {} positives, {} negatives -> {}",
        summary.counts.total_positive(),
        summary.counts.total_negative(),
        out.display()
    );
    let report = lr_baseline(
        &out.join("train.csv"),
        &out.join("test.csv"),
        &LrSettings::default(),
        &out.join("test.lr_predictions.tsv"),
    )?;
    for m in ["accuracy", "f1", "mcc", "roc_auc"] {
        let v = &report["metrics"][m];
        println!(
            "{m:>9}: {:.3} [{:.3}, {:.3}]",
            v["estimate"].as_f64().unwrap_or(f64::NAN),
            v["lower"].as_f64().unwrap_or(f64::NAN),
            v["upper"].as_f64().unwrap_or(f64::NAN)
        );
    }
    Ok(())
}
