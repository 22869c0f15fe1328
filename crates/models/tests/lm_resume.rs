//! Masked-LM pretraining of a tiny BERT (dropout 0.1) through the one loop: the loss falls,
//! and a paused + resumed run equals an uninterrupted one bit for bit. Alone in its test
//! binary: burn's device RNG (dropout) is process-wide and re-seeded by every run's epochs, so a
//! concurrent training test would interleave with it.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use models::lm::mlm::{MaskTokens, MaskingConfig};
use models::lm::train::{LmData, LmTask, LmTrainConfig};
use models::{LrSchedule, OptimizerKind, Selection, TrainConfig, train_run};
use rand::{Rng, SeedableRng};
use seqenc::tokenizer::{CaseMode, DnaBert, Tokenizer};

fn tokens() -> MaskTokens {
    MaskTokens {
        mask_id: 4,
        special: vec![0, 1, 2, 3, 4],
        vocab: 69,
    }
}

fn random_seq(rng: &mut impl Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| b"ACGT"[rng.random_range(0..4)]).collect()
}

fn tiny_bert(arch: &str) -> serde_json::Value {
    serde_json::json!({
        "model_type": "bert", "architectures": [arch], "vocab_size": 69, "hidden_size": 32,
        "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64,
        "max_position_embeddings": 64, "pad_token_id": 0, "type_vocab_size": 2,
        "hidden_act": "gelu", "layer_norm_eps": 1e-12
    })
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

fn mlm_data(seed: u64, n: usize) -> LmData {
    let tok = DnaBert::new(3, CaseMode::default()).unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    // a repetitive "genome": the masked k-mers are predictable from their context
    let rows = (0..n)
        .map(|_| {
            let unit = random_seq(&mut rng, 3);
            let s: Vec<u8> = unit.iter().cycle().take(36).copied().collect();
            tok.encode(&s).unwrap().ids
        })
        .collect();
    LmData {
        rows,
        classes: None,
        values: None,
        pad_id: 0,
        masking: Some((
            MaskingConfig {
                span: 3,
                ..MaskingConfig::default()
            },
            tokens(),
            11,
        )),
    }
}

fn mlm_cfg() -> LmTrainConfig {
    LmTrainConfig::new(
        tiny_bert("BertForMaskedLM"),
        None,
        LmTask::MaskedLm {
            masking: MaskingConfig {
                span: 3,
                ..MaskingConfig::default()
            },
            tokens: tokens(),
        },
        None,
    )
    .unwrap()
}

#[test]
fn pretraining_loss_falls_and_resume_equals_an_uninterrupted_run() {
    let dev = models::select_device(Some("cpu")).unwrap();
    let (train, valid) = (mlm_data(5, 256), mlm_data(6, 64));
    let cfg = mlm_cfg();
    let mut tc = quick(5e-3, 5, 8);
    tc.select_by = Selection::Loss;
    tc.accumulate = 2;
    let a = tempfile::tempdir().unwrap();
    let full = train_run(&cfg, &tc, 9, &train, &valid, a.path(), &dev, None).unwrap();
    let log = std::fs::read_to_string(a.path().join("metrics.csv")).unwrap();
    let losses: Vec<f64> = log
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    assert_eq!(losses.len(), 5);
    assert!(
        losses[4] < losses[0] - 0.3,
        "validation MLM loss {losses:?}"
    );
    // ln(64) ≈ 4.16 is the loss of a uniform guess over the k-mers
    assert!(losses[4] < 3.0, "{losses:?}");

    let b = tempfile::tempdir().unwrap();
    train_run(&cfg, &tc, 9, &train, &valid, b.path(), &dev, Some(2)).unwrap();
    let resumed = train_run(&cfg, &tc, 9, &train, &valid, b.path(), &dev, None).unwrap();
    assert_eq!(resumed.best_valid_loss, full.best_valid_loss);
    let w = |d: &std::path::Path| {
        let m = models::load_weights(&cfg, &d.join("best.safetensors"), &dev).unwrap();
        m.export().file.tensors
    };
    let (wa, wb) = (w(a.path()), w(b.path()));
    assert_eq!(wa.len(), wb.len());
    for (k, t) in &wa {
        assert!(t.values == wb[k].values, "resumed weights differ in {k}");
    }
}
