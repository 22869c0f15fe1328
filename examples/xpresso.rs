//! Xpresso on a FASTA + GTF + expression table: the published set-up (−7000..+3499 windows of
//! the longest-CDS transcript, 8 gene-structure features, log10(median + 0.1) labels, the
//! `human` architecture, SGD lr 5e-4 momentum 0.9, batch 128, patience 7, best of 10 runs).
//!
//! ```sh
//! cargo run --release -p seq2expr-examples --example xpresso -- GENOME.fa GENES.gtf TPM.tsv OUT_DIR [EPOCHS RUNS]
//! ```
//!
//! Without arguments it runs on a small synthetic world with a short window and few epochs,
//! so the program can be tried in seconds.

use std::path::PathBuf;

use pipeline::{InputSpec, ModelDir, PrepOptions, TrainSettings, prepare, train_xpresso};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> pipeline::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = PrepOptions::default();
    let mut settings = TrainSettings::default();
    let (fasta, gtf, table, out) = if args.len() >= 4 {
        let p = |i: usize| PathBuf::from(&args[i]);
        (p(0), p(1), p(2), p(3))
    } else {
        // A quick run on the tiny synthetic world.
        let dir = PathBuf::from("seq2expr-xpresso-example");
        let world = datasets::synth::generate(&datasets::synth::SynthConfig::tiny())?;
        let p = world.write_to_dir(&dir.join("world"))?;
        (opts.upstream, opts.downstream) = (1000, 499);
        settings.preset = "demo".into();
        (settings.train.max_epochs, settings.train.n_runs) = (60, 1);
        (p.fasta, p.gtf, p.expression, dir.join("model"))
    };
    if let (Some(e), Some(r)) = (args.get(4), args.get(5)) {
        settings.train.max_epochs = e.parse().map_err(|_| usage("EPOCHS"))?;
        settings.train.n_runs = r.parse().map_err(|_| usage("RUNS"))?;
    }
    let genes = prepare(&fasta, &gtf, Some(&table), &opts)?;
    let spec = InputSpec::xpresso(&opts, &genes.label_names);
    let trained = train_xpresso(&genes, &spec, &settings, &out)?;
    let s = &trained.summary;
    println!(
        "{} genes; test R² {:.3} [{:.3}, {:.3}] -> {}",
        genes.len(),
        s.r2.estimate,
        s.r2.lower,
        s.r2.upper,
        out.display()
    );
    // The model directory is self-contained: reopen it and predict again.
    let dir = ModelDir::open(&out, &models::select_device(None)?)?;
    let (_, y) = pipeline::predict_genes(&dir, &fasta, &gtf, None, None, false)?;
    println!("re-predicted {} genes from {}", y.len(), out.display());
    Ok(())
}

fn usage(what: &str) -> pipeline::Error {
    pipeline::Error::Usage(format!("{what} must be a whole number"))
}
