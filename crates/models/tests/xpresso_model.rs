//! Architecture, checkpoint and bad-input tests (tiny models, CPU).

use burn::module::Module;
use burn::store::ModuleSnapshot;
use burn::tensor::Device;
use models::{Error, XpressoConfig, XpressoData, load_weights, save_weights};

#[test]
fn published_preset_has_112485_parameters() {
    let cfg = XpressoConfig::xpresso_human();
    assert_eq!(cfg.num_params(), 112_485);
    // Count on the real burn module too (lazy shapes, no allocation of the big conv output).
    let model = cfg.init(&Device::flex()).expect("init");
    assert_eq!(model.num_params(), 112_485);
}

#[test]
fn manual_preset_is_valid_and_shapes_follow_the_module() {
    for cfg in [
        XpressoConfig::xpresso_manual(),
        XpressoConfig::xpresso_human(),
        XpressoConfig::oracle_tiny(),
    ] {
        cfg.validate().expect("valid");
        let model = cfg.init(&Device::flex()).expect("init");
        let mut got: Vec<(String, Vec<usize>)> = model
            .collect(None, None, false)
            .into_iter()
            .map(|t| (t.name.clone(), t.shape.to_vec()))
            .collect();
        got.sort();
        let mut want = cfg.param_shapes();
        want.sort();
        assert_eq!(got, want);
    }
}

#[test]
fn pooling_that_empties_the_sequence_is_a_config_error() {
    let mut cfg = XpressoConfig::xpresso_human();
    cfg.input_len = 200; // 200 / 30 = 6, then pool 10 > 6
    let err = cfg.init(&Device::flex()).expect_err("invalid");
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("shrinks")),
        "{err}"
    );
}

#[test]
fn wrong_feature_width_is_rejected() {
    let cfg = XpressoConfig::oracle_tiny();
    assert!(matches!(cfg.check_input(40, 7), Err(Error::Config(_))));
    assert!(matches!(cfg.check_input(41, 8), Err(Error::Config(_))));
}

#[test]
fn nan_label_is_a_data_error_naming_the_example() {
    let d = XpressoData::new(vec![0.0; 3 * 4 * 5], vec![], vec![1.0, f32::NAN, 2.0], 5, 0)
        .expect("shapes");
    let err = d.validate("train", true).expect_err("nan");
    assert!(matches!(err, Error::Data { .. }));
    assert!(err.to_string().contains("example 1"), "{err}");
}

#[test]
fn checkpoint_roundtrip_truncation_and_mismatch() {
    let dev = Device::flex();
    let dir = tempfile::tempdir().expect("tmp");
    let cfg = XpressoConfig::oracle_tiny();
    dev.seed(1);
    let model = cfg.init(&dev).expect("init");
    let path = dir.path().join("w.safetensors");
    save_weights(&model, &path).expect("save");
    let back = load_weights(&cfg, &path, &dev).expect("load");
    let w0 = model.convs[0].weight.val().into_data();
    let w1 = back.convs[0].weight.val().into_data();
    assert_eq!(w0, w1);

    // truncated file
    let bytes = std::fs::read(&path).expect("read");
    let cut = dir.path().join("cut.safetensors");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let err = load_weights(&cfg, &cut, &dev).expect_err("truncated");
    assert!(matches!(err, Error::Checkpoint { .. }), "{err}");

    // garbage file
    let junk = dir.path().join("junk.safetensors");
    std::fs::write(&junk, b"not a safetensors file at all").expect("write");
    assert!(matches!(
        load_weights(&cfg, &junk, &dev),
        Err(Error::Checkpoint { .. })
    ));

    // config that does not match the weights
    let mut other = cfg.clone();
    other.conv[0].filters = 6;
    let err = load_weights(&other, &path, &dev).expect_err("mismatch");
    let text = err.to_string();
    assert!(matches!(err, Error::WeightMismatch { .. }));
    assert!(
        text.contains("convs.0.weight") && text.contains("[8, 4, 6]"),
        "{text}"
    );
    assert!(text.contains("[6, 4, 6]"), "{text}");
}

/// `Xpresso::forward` computes each conv block its own way (GEMM over stacked shifted inputs,
/// pool before ReLU). Its output and every parameter gradient must equal those of the published
/// block order built from burn's own modules: `Conv1d::forward` (explicit 'same' padding) →
/// ReLU → max-pool.
#[test]
fn forward_gradients_match_burns_conv_relu_pool() {
    use burn::tensor::activation::relu;
    use burn::tensor::{Tensor, TensorData};
    use models::{ConvLayerConfig, DenseLayerConfig};

    let cfg = XpressoConfig {
        input_len: 60,
        conv: vec![
            ConvLayerConfig {
                filters: 8,
                kernel: 6,
                pool: 3,
            },
            ConvLayerConfig {
                filters: 4,
                kernel: 5,
                pool: 2,
            },
        ],
        dense: vec![DenseLayerConfig {
            units: 16,
            dropout: 0.0,
        }],
        n_features: 3,
        n_outputs: 1,
    };
    let dev = Device::flex().autodiff();
    dev.seed(11);
    let model = cfg.init(&dev).expect("init");
    let (b, l) = (5, cfg.input_len);
    let x: Vec<f32> = (0..b * 4 * l)
        .map(|i| ((i * 7919 % 13) as f32 - 6.0) / 6.0)
        .collect();
    let f: Vec<f32> = (0..b * 3).map(|i| (i % 5) as f32 / 5.0).collect();
    let input = || {
        (
            Tensor::<3>::from_data(TensorData::new(x.clone(), [b, 4, l]), &dev),
            Tensor::<2>::from_data(TensorData::new(f.clone(), [b, 3]), &dev),
        )
    };
    let loss = |y: Tensor<2>| (y.clone() * y).sum();

    let (xs, fs) = input();
    let got = model.forward(xs, fs);
    let got_grads = loss(got.clone()).backward();

    let (mut h, fs) = input();
    for (conv, pool) in model.convs.iter().zip(&model.pools) {
        h = pool.forward(relu(conv.forward(h)));
    }
    let mut h = Tensor::cat(vec![h.flatten(1, 2), fs], 1);
    for lin in &model.dense {
        h = relu(lin.forward(h));
    }
    let want = model.out.forward(h);
    let want_grads = loss(want.clone()).backward();

    let close = |what: &str, a: Tensor<1>, b: Tensor<1>| {
        let a = a.into_data().try_to_vec::<f32>().expect("f32");
        let b = b.into_data().try_to_vec::<f32>().expect("f32");
        assert_eq!(a.len(), b.len(), "{what}");
        let scale = b.iter().fold(1e-3f32, |m, v| m.max(v.abs()));
        for (i, (p, q)) in a.iter().zip(&b).enumerate() {
            assert!((p - q).abs() <= 1e-5 * scale, "{what}[{i}]: {p} vs {q}");
        }
    };
    close("output", got.flatten(0, 1), want.flatten(0, 1));
    for (i, conv) in model.convs.iter().enumerate() {
        let w = &conv.weight;
        let (gw, ww) = (
            w.grad(&got_grads).expect("weight grad"),
            w.grad(&want_grads).expect("weight grad"),
        );
        close(
            &format!("convs.{i}.weight"),
            gw.flatten(0, 2),
            ww.flatten(0, 2),
        );
        let bias = conv.bias.as_ref().expect("bias");
        close(
            &format!("convs.{i}.bias"),
            bias.grad(&got_grads).expect("bias grad"),
            bias.grad(&want_grads).expect("bias grad"),
        );
    }
    for (i, lin) in model.dense.iter().chain([&model.out]).enumerate() {
        close(
            &format!("dense.{i}.weight"),
            lin.weight.grad(&got_grads).expect("grad").flatten(0, 1),
            lin.weight.grad(&want_grads).expect("grad").flatten(0, 1),
        );
    }
}
