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
