//! Oracle test: ISM, gradient, gradient × input and integrated gradients of the tiny CNN of
//! `../shared/oracles/cnn`, against `../shared/oracles/attribution-cnn` (torch).

use burn::module::Module;
use burn::tensor::Device;
use models::attribution::{gradients, integrated_gradients, ism};
use models::{KeyMapping, XpressoConfig, import_pytorch_safetensors};
use serde_json::Value;
use std::path::PathBuf;

fn shared() -> PathBuf {
    PathBuf::from(
        std::env::var("SEQ2EXPR_SHARED")
            .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").into()),
    )
    .join("oracles")
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

fn json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

fn close(name: &str, got: &[f32], want: &[f32], tol: f32) {
    assert_eq!(got.len(), want.len(), "{name}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tol, "{name}[{i}]: got {g}, want {w}");
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn ism_gradients_and_integrated_gradients_match_torch() {
    let cnn = json(shared().join("cnn/reference.json"));
    let att = json(shared().join("attribution-cnn/reference.json"));
    let cfg = XpressoConfig::oracle_tiny();
    let l = cfg.input_len;
    let weights = shared().join("cnn/weights.safetensors");
    let mapping = KeyMapping::pytorch_xpresso(&cfg);
    let dev = models::select_device(None).expect("device");
    let plain = import_pytorch_safetensors(&cfg, &weights, &mapping, &dev).expect("import");
    let ad: Device = dev.clone().autodiff();
    let grad_model = import_pytorch_safetensors(&cfg, &weights, &mapping, &ad).expect("import");
    let onehot = values(&cnn["onehot"]);
    let side = values(&cnn["side"]);
    let steps = att["ig_steps"].as_u64().expect("steps") as usize;
    assert_eq!(steps, 64);
    for (b, case) in att["cases"].as_array().expect("cases").iter().enumerate() {
        let x = &onehot[b * 4 * l..(b + 1) * 4 * l];
        let s = &side[b * 8..(b + 1) * 8];
        let r = ism(&plain, x, l, s, 0, None, 64).expect("ism");
        close(
            &format!("case {b} output"),
            &[r.reference],
            &[case["output"].as_f64().expect("f") as f32],
            1e-5,
        );
        close(
            &format!("case {b} ism"),
            &r.delta,
            &values(&case["ism_delta"]),
            1e-5,
        );
        // The local (fastISM-style) computation matches the same reference.
        let fast =
            models::attribution::xpresso_ism(&plain, x, l, s, 0, None, 64).expect("fast ism");
        close(
            &format!("case {b} local ism"),
            &fast.delta,
            &values(&case["ism_delta"]),
            1e-5,
        );
        // The reference base is exactly 0.
        for i in 0..l {
            for c in 0..4 {
                if x[c * l + i] == 1.0 {
                    assert_eq!(r.delta[4 * i + c], 0.0, "case {b} ISM at its own base {i}");
                }
            }
        }
        let (g, gx) = gradients(&grad_model, x, l, s, 0).expect("gradients");
        close(
            &format!("case {b} gradient"),
            &g,
            &values(&case["gradient"]),
            1e-5,
        );
        close(
            &format!("case {b} grad x input"),
            &gx,
            &values(&case["grad_x_input"]),
            1e-5,
        );
        let zero = vec![0f32; 4 * l];
        let ig = integrated_gradients(&grad_model, x, &zero, l, s, 0, steps, 16).expect("ig");
        close(
            &format!("case {b} ig"),
            &ig.attributions,
            &values(&case["ig"]),
            1e-5,
        );
        close(
            &format!("case {b} f(baseline)"),
            &[ig.output_at_baseline],
            &[case["output_at_baseline"].as_f64().expect("f") as f32],
            1e-5,
        );
        close(
            &format!("case {b} completeness gap"),
            &[ig.completeness_gap],
            &[case["ig_completeness_gap"].as_f64().expect("f") as f32],
            1e-4,
        );
    }
}

/// Completeness and the exact-zero rule on a random model, without ../shared.
#[test]
fn integrated_gradients_are_complete_and_ism_of_the_reference_is_zero() {
    let cfg = XpressoConfig::oracle_tiny();
    let l = cfg.input_len;
    let ad = Device::flex().autodiff();
    ad.seed(5);
    let model = cfg.init(&ad).expect("init");
    let mut x = vec![0f32; 4 * l];
    for i in 0..l {
        x[((i * 7 + 3) % 4) * l + i] = 1.0;
    }
    let side = [0.3f32; 8];
    let zero = vec![0f32; 4 * l];
    // With many steps the midpoint rule converges: the gap shrinks towards 0.
    let coarse = integrated_gradients(&model, &x, &zero, l, &side, 0, 4, 4).expect("ig 4");
    let fine = integrated_gradients(&model, &x, &zero, l, &side, 0, 2048, 256).expect("ig");
    let sum: f32 = fine.attributions.iter().sum();
    let delta = fine.output - fine.output_at_baseline;
    assert!(
        (sum - delta).abs() <= 1e-3 * delta.abs().max(1.0),
        "{sum} vs {delta}"
    );
    assert!(fine.completeness_gap.abs() <= coarse.completeness_gap.abs() + 1e-6);
    let r = ism(&model.valid(), &x, l, &side, 0, None, 32).expect("ism");
    for i in 0..l {
        let c = (i * 7 + 3) % 4;
        assert_eq!(r.delta[4 * i + c], 0.0);
    }
    // A target that does not exist is a typed error.
    assert!(ism(&model.valid(), &x, l, &side, 3, None, 32).is_err());
}
