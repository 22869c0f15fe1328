//! miREx: Xpresso plus miRNA features — a baseline Xpresso, miRNA selection on the TRAINING
//! genes' residuals (most negative Spearman ρ, TopK 10), then Xpresso with the selected
//! miRNA × target values.
//!
//! ```sh
//! cargo run --release -p seq2expr-examples --example mirex -- \
//!     GENOME.fa GENES.gtf TPM.tsv TARGETSCAN.txt MIRNA_EXPRESSION.tsv OUT_DIR
//! ```
//!
//! Without arguments it runs on the tiny synthetic world plus a TargetScan table and a miRNA
//! expression table written here that plant one repressing miRNA: `hsa-miR-1-3p` targets 40 %
//! of the genes (seeded), whose expression is divided by 16; 19 decoy miRNAs target genes at
//! random. miREx should select `hsa-mir-1` first, with a negative ρ.

use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};

use datasets::mirex::TargetWeight;
use pipeline::mirex::{MirnaInputs, train_mirex};
use pipeline::{InputSpec, PrepOptions, TrainSettings, prepare};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> pipeline::Result<()> {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let mut opts = PrepOptions::default();
    let mut settings = TrainSettings::default();
    let (fasta, gtf, table, targetscan, mirna, out) = if args.len() >= 6 {
        (
            args[0].clone(),
            args[1].clone(),
            args[2].clone(),
            args[3].clone(),
            args[4].clone(),
            args[5].clone(),
        )
    } else {
        let dir = PathBuf::from("seq2expr-mirex-example");
        let world = datasets::synth::generate(&datasets::synth::SynthConfig::tiny())?;
        let p = world.write_to_dir(&dir.join("world"))?;
        (opts.upstream, opts.downstream) = (1000, 499);
        settings.preset = "demo".into();
        (settings.train.max_epochs, settings.train.n_runs) = (60, 1);
        let (expr, ts, me) = plant_mirna(&p.expression, &dir)?;
        (p.fasta, p.gtf, expr, ts, me, dir.join("model"))
    };
    let inputs = MirnaInputs {
        targetscan,
        mirna_expression: mirna,
        mirna_column: "expression".into(),
        weight: TargetWeight::Score,
        species: 9606,
    };
    let genes = prepare(&fasta, &gtf, Some(&table), &opts)?;
    let spec = InputSpec::xpresso(&opts, &genes.label_names);
    let selection = models::mirex::MirnaSelection::TopK(10);
    let report = train_mirex(&genes, &spec, &inputs, selection, &settings, &out)?;
    println!(
        "baseline test R² {:.3}; miREx {:.3} with {} miRNAs ({})",
        report.baseline.r2.estimate,
        report.mirex.r2.estimate,
        report.selected.len(),
        report
            .selected
            .iter()
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

/// Writes the planted miRNA inputs next to `expression` (see the module docs): the rescaled
/// expression table, the TargetScan table and the miRNA expression table.
fn plant_mirna(expression: &Path, dir: &Path) -> pipeline::Result<(PathBuf, PathBuf, PathBuf)> {
    let io = |e: std::io::Error| pipeline::Error::Usage(format!("writing the miRNA tables: {e}"));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let text = std::fs::read_to_string(expression).map_err(io)?;
    let mut lines = text.lines();
    let mut expr = format!("{}\n", lines.next().unwrap_or_default());
    let mut ts = String::from(
        "Gene ID\tGene Symbol\tTranscript ID\tGene Tax ID\tmiRNA\tSite Type\tUTR_start\t\
         UTR end\tcontext++ score\tcontext++ score percentile\tweighted context++ score\t\
         weighted context++ score percentile\n",
    );
    for line in lines {
        let mut f = line.split('\t');
        let id = f.next().unwrap_or_default();
        let targeted = rng.random_bool(0.4);
        let scale = if targeted { 1.0 / 16.0 } else { 1.0 };
        let vals: Vec<String> = f
            .map(|x| format!("{:.4}", x.parse::<f64>().unwrap_or(0.0) * scale))
            .collect();
        expr.push_str(&format!("{id}\t{}\n", vals.join("\t")));
        let mut site = |mirna: &str, score: f64| {
            ts.push_str(&format!(
                "{id}\tG\tT1\t9606\t{mirna}\t2\t10\t17\t{score}\t90\t{score}\t90\n"
            ));
        };
        if targeted {
            site("hsa-miR-1-3p", -0.8);
        }
        for d in 0..19 {
            if rng.random_bool(0.3) {
                site(
                    &format!("hsa-miR-{}-5p", 100 + d),
                    -rng.random_range(0.1..0.9),
                );
            }
        }
    }
    let mut mirna = String::from("miRNA\texpression\nhsa-miR-1-3p\t500\n");
    for d in 0..19 {
        mirna.push_str(&format!("hsa-miR-{}-5p\t{}\n", 100 + d, 50 + 10 * d));
    }
    let paths = (
        dir.join("expression.tsv"),
        dir.join("targetscan.txt"),
        dir.join("mirna.tsv"),
    );
    std::fs::write(&paths.0, expr).map_err(io)?;
    std::fs::write(&paths.1, ts).map_err(io)?;
    std::fs::write(&paths.2, mirna).map_err(io)?;
    Ok(paths)
}
