//! Oracle test: DeepCBA ppi against `../shared/oracles/deepcba` (the upstream Keras
//! `buildModel()` with random weights, inference mode): every stored intermediate activation
//! of both paths (windows + full-length channel statistics for the long ones) and the head.
#![cfg(feature = "burn")]

use burn::tensor::{Device, Tensor, TensorData};
use models::deepcba::{DeepCbaConfig, load_keras_weights};
use models::lm::weights::TensorFile;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `$SEQ2EXPR_SHARED/oracles/deepcba`, default `../shared` beside the checkout.
fn oracle_dir() -> PathBuf {
    let shared = std::env::var("SEQ2EXPR_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string());
    PathBuf::from(shared).join("oracles/deepcba")
}

fn host<const D: usize>(t: &Tensor<D>) -> Vec<f32> {
    t.clone()
        .into_data()
        .convert::<f32>()
        .try_to_vec::<f32>()
        .expect("f32 tensor data")
}

/// Upstream `data_encode`: rows A, C, G, T; anything else an all-zero column. `[S, 4, L]`.
fn encode(seqs: &[&str], dev: &Device) -> Tensor<3> {
    let l = seqs[0].len();
    let mut v = vec![0.0f32; seqs.len() * 4 * l];
    for (s, seq) in seqs.iter().enumerate() {
        for (j, ch) in seq.bytes().enumerate() {
            if let Some(r) = b"ACGT".iter().position(|&b| b == ch) {
                v[(s * 4 + r) * l + j] = 1.0;
            }
        }
    }
    Tensor::from_data(TensorData::new(v, [seqs.len(), 4, l]), dev)
}

fn check(name: &str, got: &[f32], want: &[f32], abs: f32) -> f32 {
    assert_eq!(got.len(), want.len(), "{name}: length");
    let mut worst = 0.0f32;
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let d = (g - w).abs();
        assert!(
            d <= abs + 1e-4 * w.abs(),
            "{name}[{i}]: got {g}, want {w} (|diff| {d})"
        );
        worst = worst.max(d);
    }
    worst
}

/// A channels-first stage `[S, C, L]` as the oracle's NHWC `[S, 1, positions, C]`.
fn nhwc(v: &[f32], [s, c, l]: [usize; 3], positions: &[usize]) -> Vec<f32> {
    let mut out = Vec::with_capacity(s * positions.len() * c);
    for si in 0..s {
        for &p in positions {
            out.extend((0..c).map(|ci| v[(si * c + ci) * l + p]));
        }
    }
    out
}

/// Per-channel `(sum, sum of squares, max)` over the full length, in f64, as `[S, C]`.
fn stats(v: &[f32], [s, c, l]: [usize; 3]) -> [Vec<f32>; 3] {
    let (mut sum, mut sq, mut max) = (Vec::new(), Vec::new(), Vec::new());
    for row in v.chunks(l).take(s * c) {
        sum.push(row.iter().map(|&x| f64::from(x)).sum::<f64>() as f32);
        sq.push(row.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() as f32);
        max.push(row.iter().copied().fold(f32::NEG_INFINITY, f32::max));
    }
    [sum, sq, max]
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn reproduces_every_activation_and_the_output() {
    let dir = oracle_dir();
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reference.json")).unwrap())
            .unwrap();
    let acts = TensorFile::read(&dir.join("activations.safetensors")).unwrap();
    let dev = Device::default();
    let cfg = DeepCbaConfig::ppi();
    let model = load_keras_weights(&dir.join("weights.safetensors"), &cfg, &dev).unwrap();

    let samples = reference["samples"].as_array().unwrap();
    let a: Vec<&str> = samples
        .iter()
        .map(|s| s["anchor_a"].as_str().unwrap())
        .collect();
    let b: Vec<&str> = samples
        .iter()
        .map(|s| s["anchor_b"].as_str().unwrap())
        .collect();
    let (xa, xb) = (encode(&a, &dev), encode(&b, &dev));
    // the encoder against the oracle's row counts (both anchors together)
    let sums_a = host(&xa.clone().sum_dim(2));
    let sums_b = host(&xb.clone().sum_dim(2));
    for (s, want) in reference["input"]["row_sums"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        for r in 0..4 {
            let got = sums_a[s * 4 + r] + sums_b[s * 4 + r];
            assert_eq!(
                f64::from(got),
                want[r].as_f64().unwrap(),
                "row_sums[{s}][{r}]"
            );
        }
    }

    let tr = model.forward_trace(xa, Some(xb));
    let mut got: BTreeMap<String, (Vec<f32>, Vec<usize>)> = BTreeMap::new();
    for (p, stages) in [("a", &tr.promoter), ("b", &tr.partner)] {
        for (name, t) in stages {
            got.insert(format!("{p}/{name}"), (host(t), t.dims().to_vec()));
            if name == "bilstm" {
                let h = cfg.lstm_units;
                let [s, steps, _] = t.dims();
                let half = |lo: usize| host(&t.clone().slice([0..s, 0..steps, lo..lo + h]));
                got.insert(format!("{p}/bilstm_fwd"), (half(0), vec![s, steps, h]));
                got.insert(format!("{p}/bilstm_bwd"), (half(h), vec![s, steps, h]));
            }
        }
    }
    for (k, t) in [
        ("attention_scores", &tr.attention_scores),
        ("attention_weights", &tr.attention_weights),
        ("attention_output", &tr.attention_output),
    ] {
        got.insert(k.into(), (host(t), t.dims().to_vec()));
    }
    for (k, t) in [
        ("flatten", &tr.flatten),
        ("dense_preact", &tr.dense_preact),
        ("dense", &tr.dense),
        ("output", &tr.output),
    ] {
        got.insert(k.into(), (host(t), t.dims().to_vec()));
    }

    let mut checked = 0;
    for entry in reference["activations"]["index"].as_array().unwrap() {
        let key = entry["key"].as_str().unwrap();
        let (v, dims) = got
            .get(key)
            .unwrap_or_else(|| panic!("no Rust tensor for {key}"));
        let conv_stage = entry["shape"].as_array().unwrap().len() == 4;
        let stored = entry["stored"].as_str().unwrap();
        let worst = if conv_stage {
            let d: [usize; 3] = [dims[0], dims[1], dims[2]];
            if stored == "window" {
                let pos: Vec<usize> = entry["window_positions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_u64().unwrap() as usize)
                    .collect();
                let wk = entry["window_key"].as_str().unwrap();
                let w = check(wk, &nhwc(v, d, &pos), &acts.tensors[wk].values, 1e-4);
                let [sum, sq, max] = stats(v, d);
                for (suffix, g, abs) in
                    [("sum", sum, 1e-3), ("sumsq", sq, 1e-3), ("max", max, 1e-4)]
                {
                    let sk = format!("{key}/chan_{suffix}");
                    check(&sk, &g, &acts.tensors[&sk].values, abs);
                }
                w
            } else {
                let all: Vec<usize> = (0..d[2]).collect();
                check(key, &nhwc(v, d, &all), &acts.tensors[key].values, 1e-4)
            }
        } else {
            check(key, v, &acts.tensors[key].values, 1e-4)
        };
        println!("{key:24} max |diff| {worst:.2e}");
        checked += 1;
    }
    assert_eq!(checked, got.len(), "every Rust stage has an oracle tensor");
    // the output once more, from reference.json and from the plain forward pass
    let out = host(&model.forward(encode(&a, &dev), Some(encode(&b, &dev))));
    let want: Vec<f32> = reference["outputs"]["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_f64().unwrap() as f32)
        .collect();
    check("output (forward)", &out, &want, 1e-4);
}
