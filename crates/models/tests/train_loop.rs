//! Training-loop tests on synthetic data generated here with a seeded RNG (tiny models, CPU).

use burn::tensor::Device;
use models::seam::mse_mean_r2;
use models::train::{RunState, STATE_FILE};
use models::{
    ConvLayerConfig, DenseLayerConfig, Error, LrSchedule, OptimizerKind, Resume, Selection,
    TrainConfig, XpressoConfig, XpressoData, predict, train_best_of, train_run, train_run_on,
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
        n_outputs: 1,
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
        select_by: Selection::Loss,
        accumulate: 1,
        devices: 1,
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
    let report = train_best_of(
        &train,
        &valid,
        &model_cfg,
        &cfg,
        dir.path(),
        &dev,
        Resume::IfSame,
    )
    .expect("train");
    assert_eq!(report.runs.len(), 2);
    let best = &report.runs[report.best_run];
    assert!(
        report
            .runs
            .iter()
            .all(|r| r.best_valid_loss >= best.best_valid_loss)
    );
    let (saved, model) = models::load_trained::<XpressoConfig>(dir.path(), &dev).expect("load");
    assert_eq!(saved.model, model_cfg);
    let pred = predict(&model, &test, 64).expect("predict");
    let (_, r2) = mse_mean_r2(&pred, &test.labels, 1);
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

#[test]
fn other_data_or_settings_never_resume_an_old_run() {
    let _guard = rng_lock();
    let (train, valid) = (planted(64, 40, 10), planted(16, 40, 11));
    let dir = tempfile::tempdir().expect("tmp");
    let (model_cfg, cfg, dev) = (tiny(40, 0.0), quick(1), Device::flex());
    let run = |t: &XpressoData, c: &TrainConfig, r: Resume| {
        train_best_of(t, &valid, &model_cfg, c, dir.path(), &dev, r)
    };
    let first = run(&train, &cfg, Resume::IfSame).expect("first");
    // The same data and settings resume (here: return the finished run).
    assert_eq!(
        run(&train, &cfg, Resume::IfSame).expect("same").runs,
        first.runs
    );
    // Other data: refused, naming the data.
    let other = planted(64, 40, 12);
    let err = run(&other, &cfg, Resume::IfSame).expect_err("other data");
    assert!(matches!(err, Error::RunMismatch { .. }), "{err}");
    assert!(err.to_string().contains("data"), "{err}");
    // Other settings: refused, naming the setting.
    let mut lr = cfg.clone();
    lr.lr = 1e-3;
    let err = run(&train, &lr, Resume::IfSame).expect_err("other lr");
    assert!(err.to_string().contains("lr"), "{err}");
    // A changed progress flag is not a different run.
    let mut quiet = cfg.clone();
    quiet.progress = true;
    assert!(run(&train, &quiet, Resume::IfSame).is_ok());
    // Fresh: the old runs are replaced, and the new run is the one of the new data.
    let fresh = run(&other, &cfg, Resume::Fresh).expect("fresh");
    let direct = tempfile::tempdir().expect("tmp2");
    let want = train_best_of(
        &other,
        &valid,
        &model_cfg,
        &cfg,
        direct.path(),
        &dev,
        Resume::IfSame,
    )
    .expect("direct");
    assert_eq!(fresh.runs, want.runs);
}

#[test]
fn bases_and_one_hot_give_the_same_predictions() {
    let _guard = rng_lock();
    let onehot = planted(20, 40, 13);
    // Rebuild the bases from the one-hot columns (A, C, G, T; all-zero = N).
    let mut bases = Vec::new();
    let models::Sequences::OneHot(v) = &onehot.sequences else {
        panic!("one-hot expected")
    };
    for i in 0..onehot.n {
        for t in 0..40 {
            let c = (0..4).find(|&c| v[i * 160 + c * 40 + t] == 1.0);
            bases.push(c.map_or(b'N', |c| b"ACGT"[c]));
        }
    }
    let from_bases =
        XpressoData::from_bases(bases, onehot.features.clone(), onehot.labels.clone(), 40, 1)
            .expect("bases");
    let dev = Device::flex();
    dev.seed(3);
    let model = tiny(40, 0.0).init(&dev).expect("init");
    let (a, b) = (
        predict(&model, &onehot, 7).expect("a"),
        predict(&model, &from_bases, 7).expect("b"),
    );
    assert_eq!(a, b);
    use models::Examples;
    assert_ne!(onehot.fingerprint(), planted(20, 40, 14).fingerprint());
}

#[test]
fn two_outputs_learn_two_labels() {
    let _guard = rng_lock();
    // Output 0: motif copies; output 1: minus the copies plus 1 (a second tissue).
    let with_two = |d: XpressoData| {
        let labels = d.labels.iter().flat_map(|&y| [y, 1.0 - y]).collect();
        XpressoData { labels, ..d }
            .with_outputs(2)
            .expect("2 outputs")
    };
    let (train, valid, test) = (
        with_two(planted(512, 60, 15)),
        with_two(planted(128, 60, 16)),
        with_two(planted(128, 60, 17)),
    );
    let mut model_cfg = tiny(60, 0.0);
    model_cfg.n_outputs = 2;
    let mut cfg = quick(20);
    cfg.patience = 5;
    let dir = tempfile::tempdir().expect("tmp");
    let dev = Device::flex();
    train_best_of(
        &train,
        &valid,
        &model_cfg,
        &cfg,
        dir.path(),
        &dev,
        Resume::IfSame,
    )
    .expect("train");
    let (_, model) = models::load_trained::<XpressoConfig>(dir.path(), &dev).expect("load");
    let pred = predict(&model, &test, 64).expect("predict");
    assert_eq!(pred.len(), 2 * test.n);
    for j in 0..2 {
        let col = |v: &[f32]| v.iter().skip(j).step_by(2).copied().collect::<Vec<f32>>();
        let (_, r2) = mse_mean_r2(&col(&pred), &col(&test.labels), 1);
        assert!(r2 > 0.5, "output {j}: test R² = {r2}");
    }
    // A one-output model refuses two-column data.
    let err = train_best_of(
        &train,
        &valid,
        &tiny(60, 0.0),
        &cfg,
        dir.path(),
        &dev,
        Resume::Fresh,
    )
    .expect_err("mismatch");
    assert!(err.to_string().contains("label columns"), "{err}");
}

/// Two devices with batch B take the same first step as one device with batch 2B: the shards'
/// losses are scaled by shard/step and their gradients summed by `step_multi`. burn-flex has
/// one CPU device, so it is listed twice (the fork, sharding and `step_multi` paths all run).
#[test]
fn two_devices_equal_one_device_with_the_doubled_batch() {
    let _guard = rng_lock();
    let (train, valid) = (planted(32, 40, 12), planted(16, 40, 13));
    let model_cfg = tiny(40, 0.0);
    let dev = Device::flex();
    let run = |batch: usize, devices: &[Device]| {
        let mut cfg = quick(1);
        (cfg.batch_size, cfg.devices) = (batch, devices.len());
        // Plain SGD: Adam's first step is blind to the gradient's scale.
        cfg.optimizer = OptimizerKind::Sgd {
            momentum: 0.0,
            nesterov: false,
        };
        let dir = tempfile::tempdir().expect("tmp");
        train_run_on(
            &model_cfg,
            &cfg,
            5,
            &train,
            &valid,
            dir.path(),
            devices,
            None,
        )
        .expect("run");
        let st = RunState::load(&dir.path().join(STATE_FILE)).expect("state");
        let w = dir
            .path()
            .join(st.weights_file.as_deref().expect("weights"));
        let model = models::checkpoint::load_weights(&model_cfg, &w, &dev).expect("load");
        (
            predict(&model, &valid, 64).expect("predict"),
            st.history[0].train_loss,
        )
    };
    let (one, loss_one) = run(32, std::slice::from_ref(&dev));
    let (two, loss_two) = run(16, &[dev.clone(), dev.clone()]);
    assert!(
        (loss_one - loss_two).abs() < 1e-6,
        "{loss_one} vs {loss_two}"
    );
    let worst = one
        .iter()
        .zip(&two)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst < 1e-5, "predictions differ by {worst}");
    // A device count that disagrees with the settings is refused before training.
    let mut cfg = quick(1);
    cfg.devices = 2;
    let dir = tempfile::tempdir().expect("tmp");
    let err = train_run_on(
        &model_cfg,
        &cfg,
        5,
        &train,
        &valid,
        dir.path(),
        &[dev],
        None,
    )
    .expect_err("mismatch");
    assert!(err.to_string().contains("2 device(s) but 1"), "{err}");
}
