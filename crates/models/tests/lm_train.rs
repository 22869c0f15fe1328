//! Training the encoders through the model seam: masking statistics and DNABERT span masking,
//! and a tiny BERT fine-tuned on a planted-motif task (pretraining and resume: `lm_resume.rs`).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use models::lm::mlm::{IGNORE, MaskTokens, MaskingConfig};
use models::lm::train::{LmData, LmTask, LmTrainConfig};
use models::{LrSchedule, OptimizerKind, Selection, TrainConfig, predict, train_run};
use rand::{Rng, SeedableRng};
use seqenc::tokenizer::{CaseMode, DnaBert, Tokenizer};

const SPECIAL: [u32; 5] = [0, 1, 2, 3, 4];

fn tokens() -> MaskTokens {
    MaskTokens {
        mask_id: 4,
        special: SPECIAL.to_vec(),
        vocab: 69,
    }
}

fn tiny_bert(arch: &str) -> serde_json::Value {
    serde_json::json!({
        "model_type": "bert", "architectures": [arch], "vocab_size": 69, "hidden_size": 32,
        "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
        "max_position_embeddings": 64, "pad_token_id": 0, "type_vocab_size": 2,
        "hidden_act": "gelu", "layer_norm_eps": 1e-12
    })
}

fn random_seq(rng: &mut impl Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| b"ACGT"[rng.random_range(0..4)]).collect()
}

#[test]
fn masking_rates_are_15_80_10_10_and_specials_are_never_selected() {
    let cfg = MaskingConfig::default();
    let tok = tokens();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let (mut content, mut selected, mut masked, mut random, mut kept) = (0, 0, 0, 0, 0);
    for _ in 0..2000 {
        let mut row = vec![2u32];
        row.extend((0..48).map(|_| rng.random_range(5..69u32)));
        row.extend([3, 0, 0]);
        let (ids, labels) = cfg.apply(&row, &tok, &mut rng);
        for (i, (&id, &lab)) in ids.iter().zip(&labels).enumerate() {
            if SPECIAL.contains(&row[i]) {
                assert_eq!(lab, IGNORE, "special token selected");
                assert_eq!(id, row[i]);
                continue;
            }
            content += 1;
            if lab == IGNORE {
                assert_eq!(id, row[i]);
                continue;
            }
            selected += 1;
            assert_eq!(lab, i64::from(row[i]));
            if id == 4 {
                masked += 1;
            } else if id == row[i] {
                kept += 1;
            } else {
                assert!(
                    !SPECIAL.contains(&id),
                    "random replacement is a special token"
                );
                random += 1;
            }
        }
    }
    let f = |a: usize, b: usize| a as f64 / b as f64;
    // binomial standard errors: ~0.0007 for the selection rate, ~0.004 for the splits
    assert!(
        (f(selected, content) - 0.15).abs() < 0.005,
        "{}",
        f(selected, content)
    );
    assert!((f(masked, selected) - 0.8).abs() < 0.015);
    // a random draw equal to the original id counts as kept: 0.1 × 1/64 moves between them
    assert!((f(random, selected) - 0.1 * 63.0 / 64.0).abs() < 0.012);
    assert!((f(kept, selected) - (0.1 + 0.1 / 64.0)).abs() < 0.012);
}

#[test]
fn span_masking_covers_exactly_the_kmers_sharing_a_nucleotide() {
    // with one sampled nucleotide per row, the masked k-mers are exactly those containing it
    for k in 3..=6 {
        let cfg = MaskingConfig {
            probability: 0.0001,
            span: k,
            ..MaskingConfig::default()
        };
        let tok = tokens();
        let t = 40; // k-mer tokens of a 40 + k − 1 nt sequence
        let mut row = vec![2u32];
        row.extend(std::iter::repeat_n(10u32, t));
        row.push(3);
        let mut seen = 0;
        for seed in 0..20_000u64 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let sel = cfg.select(&row, &tok, &mut rng);
            let idx: Vec<usize> = (0..row.len()).filter(|&i| sel[i]).collect();
            if idx.is_empty() {
                continue;
            }
            let (lo, hi) = (idx[0] - 1, idx[idx.len() - 1] - 1); // content positions
            if hi - lo + 1 != idx.len() || hi - lo + 1 > k {
                continue; // two nucleotides sampled (rare): not the single-span case
            }
            seen += 1;
            // the nucleotide n shared by k-mers lo..=hi: n = hi (k-mer j spans j..j+k-1)
            let n = if lo == 0 && hi + 1 < k {
                hi
            } else {
                lo + k - 1
            };
            let want: Vec<usize> = (n.saturating_sub(k - 1)..=n.min(t - 1)).collect();
            let got: Vec<usize> = idx.iter().map(|i| i - 1).collect();
            assert_eq!(got, want, "k = {k}");
            assert!(!sel[0] && !sel[t + 1], "[CLS]/[SEP] selected");
        }
        assert!(seen > 10, "k = {k}: only {seen} single spans");
    }
}

fn planted(n: usize, seed: u64) -> (Vec<Vec<u32>>, Vec<u32>) {
    let tok = DnaBert::new(3, CaseMode::default()).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let (mut rows, mut y) = (Vec::new(), Vec::new());
    for i in 0..n {
        let mut s = random_seq(&mut rng, 40);
        let label = (i % 2) as u32;
        if label == 1 {
            let at = rng.random_range(0..32);
            s[at..at + 8].copy_from_slice(b"TATAAAAG");
        }
        rows.push(tok.encode(&s).unwrap().ids);
        y.push(label);
    }
    (rows, y)
}

fn quick(lr: f64, epochs: usize, batch: usize) -> TrainConfig {
    TrainConfig {
        optimizer: OptimizerKind::adamw(),
        lr,
        schedule: LrSchedule::LinearWarmupDecay {
            warmup_steps: 10,
            final_fraction: 0.0,
        },
        clip: None,
        batch_size: batch,
        max_epochs: epochs,
        patience: 0,
        seed: 3,
        n_runs: 1,
        progress: false,
        select_by: Selection::Metric,
        accumulate: 1,
        devices: 1,
    }
}

#[test]
fn tiny_bert_learns_a_planted_motif() {
    let dev = models::select_device(Some("cpu")).unwrap();
    let (rows, y) = planted(480, 1);
    let data = |r: &[Vec<u32>], c: &[u32]| LmData {
        rows: r.to_vec(),
        classes: Some(c.to_vec()),
        values: None,
        pad_id: 0,
        masking: None,
    };
    let train = data(&rows[..320], &y[..320]);
    let valid = data(&rows[320..400], &y[320..400]);
    let test = data(&rows[400..], &y[400..]);
    let cfg = LmTrainConfig::new(
        tiny_bert("BertForMaskedLM"),
        None,
        LmTask::Classification { classes: 2 },
        None,
    )
    .unwrap();
    assert_eq!(
        cfg.config_json["architectures"][0],
        "BertForSequenceClassification"
    );
    let tmp = tempfile::tempdir().unwrap();
    let tc = quick(1e-3, 6, 32);
    let s = train_run(&cfg, &tc, 3, &train, &valid, tmp.path(), &dev, None).unwrap();
    assert!(
        s.best_valid_loss < -0.5,
        "validation MCC {}",
        -s.best_valid_loss
    );
    let model = models::load_weights(&cfg, &tmp.path().join("best.safetensors"), &dev).unwrap();
    let logits = predict(&model, &test, 64).unwrap();
    let pred: Vec<i64> = logits.chunks(2).map(|r| i64::from(r[1] > r[0])).collect();
    let truth: Vec<i64> = y[400..].iter().map(|&v| i64::from(v)).collect();
    let mcc = evalkit::mcc(&truth, &pred).unwrap();
    assert!(mcc > 0.6, "test MCC {mcc}");
}
