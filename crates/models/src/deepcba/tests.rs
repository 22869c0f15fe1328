//! Unit tests on hand examples: 'same' padding and pooling arithmetic, the regrouping, the
//! Keras LSTM gate mapping, shapes, parameter count and the import's typed errors.

use super::ops::{conv_padded, max_pool_same, regroup_channels_last};
use super::*;
use crate::lm::weights::{RawTensor, TensorFile};
use burn::module::{Module, Param};
use burn::nn::conv::Conv1dConfig;
use burn::tensor::{Device, Tensor, TensorData};

fn host<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().convert::<f32>().try_to_vec::<f32>().unwrap()
}

fn t3(v: Vec<f32>, shape: [usize; 3]) -> Tensor<3> {
    Tensor::from_data(TensorData::new(v, shape), &Device::default())
}

#[test]
fn same_padding_and_pool_geometry_by_hand() {
    // TF: before = floor((k-1)/2)
    assert_eq!(same_conv_padding(8), (3, 4));
    assert_eq!(same_conv_padding(1), (0, 0));
    assert_eq!(same_conv_padding(2), (0, 1));
    assert_eq!(same_conv_padding(3), (1, 1));
    // out = ceil(L/8); total = 8·out − L; before = total/2
    assert_eq!(same_pool_geometry(2993, 8), (375, 3, 4));
    assert_eq!(same_pool_geometry(375, 8), (47, 0, 1));
    assert_eq!(same_pool_geometry(47, 8), (6, 0, 1));
    assert_eq!(same_pool_geometry(1493, 8), (187, 1, 2));
    assert_eq!(same_pool_geometry(187, 8), (24, 2, 3));
    assert_eq!(same_pool_geometry(24, 8), (3, 0, 0));
    assert_eq!(same_pool_geometry(5, 2), (3, 0, 1));
    assert_eq!(same_pool_geometry(1, 8), (1, 3, 4));
    assert_eq!(DeepCbaConfig::ppi().stage_lens(), vec![2993, 375, 47, 6]);
}

#[test]
fn same_pool_shifts_windows_as_tensorflow() {
    // L = 5, pool 4: out 2, total 3 → 1 before, 2 after: windows [-1..2], [3..6] → {0,1,2}, {3,4}
    let x = t3(vec![5.0, 1.0, 2.0, 9.0, 3.0], [1, 1, 5]);
    assert_eq!(host(max_pool_same(x, 4)), vec![5.0, 9.0]);
    // all-negative inputs: the padded cells never win
    let x = t3(vec![-5.0, -1.0, -2.0, -9.0, -3.0], [1, 1, 5]);
    assert_eq!(host(max_pool_same(x, 4)), vec![-1.0, -3.0]);
}

#[test]
fn same_conv_pads_three_before_four_after() {
    // kernel 8 with a single 1 at tap j: out[w] = x[w + j − 3] (zeros outside)
    let dev = Device::default();
    let x: Vec<f32> = (1..=10).map(|v| v as f32).collect();
    for (j, want) in [
        (0usize, vec![0., 0., 0., 1., 2., 3., 4., 5., 6., 7.]),
        (7, vec![5., 6., 7., 8., 9., 10., 0., 0., 0., 0.]),
    ] {
        let mut conv = Conv1dConfig::new(1, 1, 8).init(&dev);
        let mut w = vec![0.0f32; 8];
        w[j] = 1.0;
        conv.weight = Param::from_tensor(t3(w, [1, 1, 8]));
        conv.bias = Some(Param::from_tensor(Tensor::zeros([1], &dev)));
        let (b, a) = same_conv_padding(8);
        assert_eq!(
            host(conv_padded(&conv, t3(x.clone(), [1, 1, 10]), b, a)),
            want
        );
    }
}

#[test]
fn regroup_is_row_major_over_position_then_channel() {
    // [C=2, W=4] channels-first: a[w][c] = 10·w + c → steps 2: [[0,1,10,11],[20,21,30,31]]
    let mut v = vec![0.0f32; 8];
    for c in 0..2 {
        for w in 0..4 {
            v[c * 4 + w] = (10 * w + c) as f32;
        }
    }
    let r = regroup_channels_last(t3(v, [1, 2, 4]), 2);
    assert_eq!(r.dims(), [1, 2, 4]);
    assert_eq!(host(r), vec![0., 1., 10., 11., 20., 21., 30., 31.]);
}

/// A tiny configuration: anchor 11 → conv1 8 → pool 4 (C 2) → 2 steps of 4, LSTM 1 unit.
fn tiny() -> DeepCbaConfig {
    DeepCbaConfig {
        anchor_len: 11,
        filters: vec![2],
        kernel: 4,
        pool: 2,
        lstm_steps: 2,
        lstm_units: 1,
        dense_units: 3,
        ..DeepCbaConfig::ppi()
    }
}

/// Keras-named tensors for `cfg`, value `fill(key, i)` at flat index `i`.
fn keras_file(cfg: &DeepCbaConfig, fill: impl Fn(&str, usize) -> f32) -> TensorFile {
    let mut f = TensorFile::default();
    for (k, shape) in keras_weight_shapes(cfg) {
        let n = shape.iter().product();
        let values = (0..n).map(|i| fill(&k, i)).collect();
        f.tensors.insert(k, RawTensor { shape, values });
    }
    f
}

#[test]
fn keras_lstm_gates_map_to_i_f_c_o() {
    // One LSTM step by hand: zero the whole path except the LSTM biases, so x_t = 0 and
    // z = bias = [i, f, c, o]; h = σ(o)·tanh(σ(i)·tanh(c)) (c0 = 0, f irrelevant).
    let cfg = tiny().without_partner();
    let bias = [0.3f32, -7.0, 0.8, -0.2];
    let file = keras_file(&cfg, |k, i| {
        if k.ends_with("moving_variance") {
            1.0 - 1e-3
        } else if k.ends_with("lstm_cell/bias") {
            bias[i]
        } else {
            0.0
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.safetensors");
    file.write(&p).unwrap();
    let dev = Device::default();
    let m = load_keras_weights(&p, &cfg, &dev).unwrap();
    let tr = m.forward_trace(Tensor::zeros([1, 4, 11], &dev), None);
    let bilstm = host(tr.promoter.last().unwrap().1.clone());
    let sig = |v: f32| 1.0 / (1.0 + (-v).exp());
    let h1 = sig(bias[3]) * (sig(bias[0]) * bias[2].tanh()).tanh();
    // step 2 of either direction: c = σ(f)·c1 + σ(i)·tanh(c), recurrent kernel 0
    let c1 = sig(bias[0]) * bias[2].tanh();
    let h2 = sig(bias[3]) * (sig(bias[1]) * c1 + c1).tanh();
    // [t][fwd, bwd]: forward reads t = 0, 1; backward reads t = 1, 0
    let want = [h1, h2, h2, h1];
    for (g, w) in bilstm.iter().zip(want) {
        assert!((g - w).abs() < 1e-6, "{bilstm:?} vs {want:?}");
    }
}

#[test]
fn import_names_the_missing_or_misshapen_key() {
    let cfg = tiny();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.safetensors");
    let dev = Device::default();
    let mut f = keras_file(&cfg, |_, _| 0.5);
    f.write(&p).unwrap();
    assert!(load_keras_weights(&p, &cfg, &dev).is_ok());
    f.tensors.remove("batch_normalization_3/moving_mean");
    f.write(&p).unwrap();
    match load_keras_weights(&p, &cfg, &dev) {
        Err(crate::Error::MissingWeight { key, .. }) => {
            assert_eq!(key, "batch_normalization_3/moving_mean");
        }
        other => panic!("{other:?}"),
    }
    let mut f = keras_file(&cfg, |_, _| 0.5);
    f.tensors.get_mut("dense/kernel").unwrap().shape = vec![3, 4];
    f.write(&p).unwrap();
    let e = load_keras_weights(&p, &cfg, &dev).unwrap_err();
    assert!(matches!(e, crate::Error::WeightShape { ref key, .. } if key == "dense/kernel"));
    assert!(e.to_string().contains("dense/kernel"), "{e}");
    // Keras 2 names with `:0` load too
    let mut f2 = TensorFile::default();
    for (k, v) in keras_file(&cfg, |_, _| 0.5).tensors {
        f2.tensors.insert(format!("{k}:0"), v);
    }
    f2.write(&p).unwrap();
    assert!(load_keras_weights(&p, &cfg, &dev).is_ok());
}

#[test]
fn presets_shapes_and_parameter_count() {
    let dev = Device::default();
    let cfg = DeepCbaConfig::ppi();
    let m = cfg.init(&dev).unwrap();
    // burn also counts the frozen, all-ones BN gamma (Keras `scale=False` has none); both
    // count beta and the moving statistics
    let bn_channels: usize = 2 * 2 * cfg.filters.iter().sum::<usize>();
    assert_eq!(m.num_params() - bn_channels, 1_239_169);
    for cfg in [DeepCbaConfig::pdi(), DeepCbaConfig::pdi().without_partner()] {
        let m = cfg.init(&dev).unwrap();
        let x = || Tensor::zeros([2, 4, cfg.anchor_len], &dev);
        let tr = m.forward_trace(x(), cfg.partner.then(x));
        assert_eq!(tr.output.dims(), [2, 1]);
        assert_eq!(tr.flatten.dims(), [2, 384]);
        assert_eq!(tr.promoter.last().unwrap().1.dims(), [2, 3, 128]);
        assert_eq!(tr.partner.len(), if cfg.partner { 26 - 3 } else { 0 });
    }
}
