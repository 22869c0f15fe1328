//! GeneRAIN training on a prepared synthetic expression world: a tiny Pred_Expr and a tiny GPT
//! learn (the best validation loss is below the first epoch's), the same seed gives the same
//! losses, and the exported HF directory, loaded by `models::lm::load_dir` as transformers
//! would load it, gives the trained model's logits.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use datasets::synth_expr::{SynthExprConfig, generate};
use genome_io::matrix::Orientation;
use models::generain::GeneRainKind;
use pipeline::generain::train::{TrainSettings, generain_train};
use pipeline::generain::{PrepareSettings, prepare};

fn prepared(dir: &Path) -> std::path::PathBuf {
    let cfg = SynthExprConfig {
        n_samples: 48,
        n_genes: 120,
        n_modules: 3,
        genes_per_module: 15,
        n_sparse_samples: 0,
        ..Default::default()
    };
    let paths = generate(&cfg).unwrap().write(dir.join("world")).unwrap();
    let out = dir.join("prepared");
    let mut s = PrepareSettings::new(&paths.counts, Orientation::GenesBySamples, &out);
    s.matrix.symbol_column = true;
    s.min_expressed_genes = 10;
    s.top_n = 32;
    s.token_bins = 10;
    s.gene_bins = 20;
    prepare(&s).unwrap();
    out
}

fn settings(model: GeneRainKind) -> TrainSettings {
    TrainSettings {
        model,
        hidden_size: 16,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        intermediate_size: 32,
        dropout: 0.0,
        lr: 3e-3,
        epochs: 4,
        batch_size: 8,
        progress: false,
        ..Default::default()
    }
}

fn losses(out: &Path) -> Vec<f64> {
    let text = std::fs::read_to_string(out.join("train/run0/metrics.csv"))
        .or_else(|_| {
            let d = std::fs::read_dir(out.join("train")).unwrap();
            let run = d
                .filter_map(|e| e.ok())
                .find(|e| e.path().join("metrics.csv").exists())
                .unwrap();
            std::fs::read_to_string(run.path().join("metrics.csv"))
        })
        .unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "valid_loss").unwrap();
    lines
        .map(|l| l.split(',').nth(col).unwrap().parse().unwrap())
        .collect()
}

#[test]
fn pred_expr_and_gpt_learn_and_export() {
    let tmp = tempfile::tempdir().unwrap();
    let p = prepared(tmp.path());
    for kind in [GeneRainKind::PredExpr, GeneRainKind::Gpt] {
        let out = tmp.path().join(kind.name());
        let s = generain_train(&p, &settings(kind), &out).unwrap();
        let v = losses(&out);
        assert_eq!(v.len(), 4, "{kind:?}: {v:?}");
        let best = s["best_valid_loss"].as_f64().unwrap();
        assert!(best < v[0], "{kind:?} did not learn: {v:?}");
        // the export loads as an HF checkpoint
        let dev = models::select_device(None).unwrap();
        let lm = models::lm::load_dir(&out.join("model"), &dev).unwrap();
        assert_eq!(
            lm.config.position_table(),
            Some(
                s["config"][if kind == GeneRainKind::Gpt {
                    "n_positions"
                } else {
                    "max_position_embeddings"
                }]
                .as_u64()
                .unwrap() as usize
            )
        );
        // same seed, same run
        let again = tmp.path().join(format!("{}-again", kind.name()));
        generain_train(&p, &settings(kind), &again).unwrap();
        assert_eq!(losses(&again), v, "{kind:?}: not deterministic");
    }
}
