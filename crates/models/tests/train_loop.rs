//! Training-loop tests on synthetic data generated here with a seeded RNG (tiny models, CPU).

use burn::tensor::Device;
use models::train::{RunState, STATE_FILE, mse_r2};
use models::{
    ConvLayerConfig, DenseLayerConfig, Error, LrSchedule, OptimizerKind, TrainConfig,
    XpressoConfig, XpressoData, predict, train_run, train_xpresso,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const MOTIF: &[u8] = b"TATAAT";

/// burn's device RNG (initialisation, dropout) is process-wide per backend: tests that train
/// on the CPU device take this lock so that one test's draws never interleave with another's.
static DEVICE_RNG: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn rng_lock() -> std::sync::MutexGuard<'static, ()> {
    DEVICE_RNG.lock().unwrap_or_else(|e| e.into_inner())
}

/// `n` random sequences of length `len`; each gets 0–3 copies of MOTIF planted at random
/// non-overlapping slots; label = copies + N(0, 0.1²)-ish noise (uniform, sd ≈ 0.1); one
/// Gaussian-free side feature of pure noise.
fn planted(n: usize, len: usize, seed: u64) -> XpressoData {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut onehot, mut feats, mut labels) = (Vec::new(), Vec::new(), Vec::new());
    let slots = len / 10;
    for _ in 0..n {
        let mut s: Vec<u8> = (0..len).map(|_| b"ACGT"[rng.random_range(0..4)]).collect();
        let copies = rng.random_range(0..4usize);
        let mut free: Vec<usize> = (0..slots).collect();
        for _ in 0..copies {
            let k = free.swap_remove(rng.random_range(0..free.len()));
            s[k * 10 + 2..k * 10 + 2 + MOTIF.len()].copy_from_slice(MOTIF);
        }
        let mut m = vec![0.0f32; 4 * len];
        for (t, b) in s.iter().enumerate() {
            let c = b"ACGT".iter().position(|x| x == b).unwrap_or(0);
            m[c * len + t] = 1.0;
        }
        onehot.extend(m);
        feats.push(rng.random_range(-1.0..1.0f32));
        labels.push(copies as f32 + rng.random_range(-0.17..0.17f32));
    }
    XpressoData::new(onehot, feats, labels, len, 1).expect("shapes")
}

fn tiny(len: usize, dropout: f64) -> XpressoConfig {
    XpressoConfig {
        input_len: len,
        conv: vec![ConvLayerConfig {
            filters: 8,
            kernel: 6,
            pool: 10,
        }],
        dense: vec![DenseLayerConfig { units: 16, dropout }],
        n_features: 1,
    }
}

fn quick(epochs: usize) -> TrainConfig {
    TrainConfig {
        optimizer: OptimizerKind::adam(),
        lr: 1e-2,
        schedule: LrSchedule::Constant,
        clip: None,
        batch_size: 32,
        max_epochs: epochs,
        patience: 0,
        seed: 7,
        n_runs: 1,
        progress: false,
    }
}

#[test]
fn learns_a_planted_motif() {
    let _guard = rng_lock();
    let (train, valid, test) = (
        planted(768, 60, 1),
        planted(128, 60, 2),
        planted(256, 60, 3),
    );
    let dir = tempfile::tempdir().expect("tmp");
    let model_cfg = tiny(60, 0.0);
    let mut cfg = quick(25);
    cfg.patience = 5;
    cfg.n_runs = 2;
    let dev = Device::flex();
    let report = train_xpresso(&train, &valid, &model_cfg, &cfg, dir.path(), &dev).expect("train");
    assert_eq!(report.runs.len(), 2);
    let best = &report.runs[report.best_run];
    assert!(
        report
            .runs
            .iter()
            .all(|r| r.best_valid_loss >= best.best_valid_loss)
    );
    let (saved, model) = models::load_trained(dir.path(), &dev).expect("load");
    assert_eq!(saved.model, model_cfg);
    let pred = predict(&model, &test, 64).expect("predict");
    let (_, r2) = mse_r2(&pred, &test.labels);
    // Chance level is R² ≈ 0 (labels are independent of everything but the motif count).
    assert!(r2 > 0.6, "test R² = {r2}");
    let csv = std::fs::read_to_string(report.run_dirs[0].join("metrics.csv")).expect("csv");
    assert!(csv.starts_with("epoch,train_loss,valid_loss,valid_metric,lr,elapsed_s\n"));
}

#[test]
fn resumed_run_equals_uninterrupted_run() {
    let _guard = rng_lock();
    let (train, valid) = (planted(96, 40, 4), planted(32, 40, 5));
    let model_cfg = tiny(40, 0.3); // dropout on: the RNG must be restored too
    let mut cfg = quick(4);
    cfg.optimizer = OptimizerKind::Sgd {
        momentum: 0.9,
        nesterov: false,
    };
    cfg.lr = 5e-3;
    cfg.schedule = LrSchedule::OneCycle {
        pct_start: 0.3,
        div_factor: 10.0,
        final_div_factor: 100.0,
    };
    let dev = Device::flex();
    let (a, b) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let full = train_run(&model_cfg, &cfg, 11, &train, &valid, a.path(), &dev, None).expect("a");
    let part = train_run(
        &model_cfg,
        &cfg,
        11,
        &train,
        &valid,
        b.path(),
        &dev,
        Some(2),
    )
    .expect("b1");
    assert_eq!(part.epochs, 2);
    assert!(!part.finished);
    let resumed =
        train_run(&model_cfg, &cfg, 11, &train, &valid, b.path(), &dev, None).expect("b2");
    assert_eq!(full, resumed);
    let (sa, sb) = (
        RunState::load(&a.path().join(STATE_FILE)).expect("state a"),
        RunState::load(&b.path().join(STATE_FILE)).expect("state b"),
    );
    assert_eq!(sa.epochs_done, 4);
    let losses = |s: &RunState| {
        s.history
            .iter()
            .map(|h| (h.train_loss, h.valid_loss))
            .collect::<Vec<_>>()
    };
    assert_eq!(losses(&sa), losses(&sb));
    let wa = std::fs::read(a.path().join(sa.weights_file.as_deref().expect("w"))).expect("wa");
    let wb = std::fs::read(b.path().join(sb.weights_file.as_deref().expect("w"))).expect("wb");
    // Compare tensors, not bytes: the safetensors header's metadata map has no fixed order.
    let (ta, tb) = (
        safetensors::SafeTensors::deserialize(&wa).expect("parse a"),
        safetensors::SafeTensors::deserialize(&wb).expect("parse b"),
    );
    let mut names = ta.names();
    names.sort();
    assert_eq!(names.len(), 6);
    for name in names {
        let (x, y) = (ta.tensor(name).expect("a"), tb.tensor(name).expect("b"));
        assert_eq!(x.shape(), y.shape(), "{name}");
        assert!(
            x.data() == y.data(),
            "final weights of '{name}' differ after resume"
        );
    }
}

#[test]
fn nan_label_stops_training_with_a_typed_error() {
    let _guard = rng_lock();
    let mut train = planted(16, 40, 6);
    train.labels[3] = f32::NAN;
    let valid = planted(8, 40, 7);
    let dir = tempfile::tempdir().expect("tmp");
    let err = train_run(
        &tiny(40, 0.0),
        &quick(1),
        0,
        &train,
        &valid,
        dir.path(),
        &Device::flex(),
        None,
    )
    .expect_err("nan");
    assert!(matches!(err, Error::Data { .. }), "{err}");
}

#[test]
fn corrupt_run_state_is_a_checkpoint_error() {
    let _guard = rng_lock();
    let (train, valid) = (planted(16, 40, 8), planted(8, 40, 9));
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join(STATE_FILE), b"{ \"version\": 1, \"seed\": ").expect("w");
    let err = train_run(
        &tiny(40, 0.0),
        &quick(1),
        0,
        &train,
        &valid,
        dir.path(),
        &Device::flex(),
        None,
    )
    .expect_err("corrupt");
    assert!(matches!(err, Error::Checkpoint { .. }), "{err}");
}
