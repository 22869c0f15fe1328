//! Oracle test: the tiny PyTorch CNN of `../shared/oracles/cnn` (weights + every activation).

use burn::tensor::{Device, Tensor, TensorData};
use models::{Error, KeyMapping, XpressoConfig, import_pytorch_safetensors};
use serde_json::Value;
use std::path::PathBuf;

fn oracle_dir() -> PathBuf {
    let shared = std::env::var("SEQ2EXPR_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string());
    PathBuf::from(shared).join("oracles/cnn")
}

fn flat(v: &Value, out: &mut Vec<f32>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
        Value::Number(n) => out.push(n.as_f64().expect("number") as f32),
        _ => panic!("unexpected JSON value"),
    }
}

fn values(v: &Value) -> Vec<f32> {
    let mut out = Vec::new();
    flat(v, &mut out);
    out
}

fn close<const D: usize>(name: &str, got: Tensor<D>, want: &Value) {
    let got = got.into_data().try_to_vec::<f32>().expect("f32");
    let want = values(want);
    assert_eq!(got.len(), want.len(), "{name}: length");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!((g - w).abs() <= 1e-5, "{name}[{i}]: got {g}, want {w}");
    }
}

fn reference() -> Value {
    let text = std::fs::read_to_string(oracle_dir().join("reference.json")).expect("reference");
    serde_json::from_str(&text).expect("json")
}

/// Runs on the device named by `BURN_DEVICE` (CPU when unset), so the same test checks wgpu:
/// `BURN_DEVICE=wgpu cargo test -p seq2expr-models --features wgpu --test oracle_cnn`.
#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn reproduces_every_activation() {
    let r = reference();
    let dev = models::select_device(None).expect("device");
    let cfg = XpressoConfig::oracle_tiny();
    let mapping = KeyMapping::pytorch_xpresso(&cfg);
    let model = import_pytorch_safetensors(
        &cfg,
        &oracle_dir().join("weights.safetensors"),
        &mapping,
        &dev,
    )
    .expect("import");
    let x = Tensor::<3>::from_data(TensorData::new(values(&r["onehot"]), [4, 4, 40]), &dev);
    let side = Tensor::<2>::from_data(TensorData::new(values(&r["side"]), [4, 8]), &dev);
    let t = model.forward_trace(x.clone(), side.clone());
    let a = &r["activations"];
    close("conv1_out", t.conv[0].clone(), &a["conv1_out"]);
    close("relu1_out", t.relu[0].clone(), &a["relu1_out"]);
    close("pool1_out", t.pool[0].clone(), &a["pool1_out"]);
    close("flatten_out", t.flatten, &a["flatten_out"]);
    close("concat_out", t.concat, &a["concat_out"]);
    close("fc1_out", t.dense[0].clone(), &a["fc1_out"]);
    close("relu2_out", t.dense_relu[0].clone(), &a["relu2_out"]);
    close("output", t.output, &a["output"]);
    close("forward", model.forward(x, side), &r["output"]);
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn mismatching_config_lists_names_and_shapes() {
    let dev = Device::flex();
    let mut cfg = XpressoConfig::oracle_tiny();
    cfg.dense[0].units = 32;
    let mapping = KeyMapping::pytorch_xpresso(&cfg);
    let err = import_pytorch_safetensors(
        &cfg,
        &oracle_dir().join("weights.safetensors"),
        &mapping,
        &dev,
    )
    .expect_err("must not load");
    let Error::WeightMismatch { problems, .. } = &err else {
        panic!("wrong error: {err}");
    };
    let text = err.to_string();
    assert!(text.contains("fc1.weight") && text.contains("[16, 88]") && text.contains("[32, 88]"));
    assert!(text.contains("fc1.bias"));
    assert!(text.contains("fc2.weight"));
    assert_eq!(problems.len(), 3, "{text}");
}
