//! The lncRNA promoter study reproduced end to end on the synthetic demo world: the four tasks,
//! the LR + TF-IDF baseline, and a small DNABERT-3 encoder pretrained on the world's genome then
//! fine-tuned on each task (Table-2-style results with 95 % CIs). To stay within a few minutes
//! on 2 cores it uses 150-bp windows (the study: 300), 1,000 pretraining windows for 2 epochs
//! and 2 fine-tuning epochs; the study's settings are the CLI's defaults:
//!
//! ```sh
//! seq2expr reproduce lncrna --fasta genome.fa --gtf annotation.gtf --expression expression.tsv \
//!     --lengths 300,500,1000,2000 --out OUT
//! ```
//!
//! ```sh
//! cargo run --release -p seq2expr-examples --example lncrna_lm [-- OUT_DIR [quick]]
//! ```
//!
//! `quick` (what CI could afford) uses the tiny world and fewer windows and epochs.

use std::path::PathBuf;

use pipeline::lm::study::{StudyPretrain, StudySettings, reproduce_lncrna};

fn main() -> pipeline::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = PathBuf::from(args.first().map_or("seq2expr-lncrna-lm", String::as_str));
    let quick = args.get(1).is_some_and(|a| a == "quick");
    let cfg = if quick {
        datasets::synth::SynthConfig::tiny()
    } else {
        datasets::synth::SynthConfig::demo()
    };
    let world = datasets::synth::generate(&cfg)?;
    let p = world.write_to_dir(&out.join("world"))?;
    let s = StudySettings {
        pretrain: StudyPretrain {
            windows: if quick { 600 } else { 1000 },
            window: 150,
            epochs: 2,
            ..StudyPretrain::default()
        },
        length: 150,
        epochs: if quick { 3 } else { 2 },
        ..StudySettings::default()
    };
    reproduce_lncrna(&p.fasta, &p.gtf, Some(&p.expression), &s, &out)?;
    let md = std::fs::read_to_string(out.join("results.md")).map_err(|e| pipeline::Error::Io {
        context: "reading results.md".into(),
        source: e,
    })?;
    println!("{md}");
    Ok(())
}
