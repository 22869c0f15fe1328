//! `seq2expr deepcba forward`: the upstream Keras model's output for the oracle's three pairs
//! (`../shared/oracles/deepcba`, TensorFlow/Keras in inference mode) to 1e-4, and bad pairs
//! files rejected with the file and line named.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

mod common;
use common::{run, seq2expr};

fn oracle_dir() -> PathBuf {
    let shared = std::env::var("SEQ2EXPR_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string());
    PathBuf::from(shared).join("oracles/deepcba")
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn forward_prints_the_keras_output_per_pair() {
    let dir = oracle_dir();
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("reference.json")).unwrap())
            .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let pairs = tmp.path().join("pairs.tsv");
    let mut text = String::from("promoter\tpartner\n");
    for s in r["samples"].as_array().unwrap() {
        text.push_str(&format!(
            "{}\t{}\n",
            s["anchor_a"].as_str().unwrap(),
            s["anchor_b"].as_str().unwrap()
        ));
    }
    std::fs::write(&pairs, text).unwrap();
    let out = run(seq2expr()
        .args(["deepcba", "forward", "--preset", "ppi", "--keras-weights"])
        .arg(dir.join("weights.safetensors"))
        .arg("--input")
        .arg(&pairs));
    let want: Vec<f64> = r["outputs"]["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[0].as_f64().unwrap())
        .collect();
    let got: Vec<f64> = out.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(got.len(), want.len(), "{out}");
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() < 1e-4, "got {g}, Keras {w}");
    }
}

#[test]
fn bad_pairs_are_rejected_with_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let pairs = tmp.path().join("pairs.tsv");
    // a pair of the wrong anchor length on line 2; no weights are needed to find it
    std::fs::write(&pairs, "promoter\tpartner\nACGT\tACGT\n").unwrap();
    let o = seq2expr()
        .args(["deepcba", "forward", "--preset", "ppi", "--keras-weights"])
        .arg(tmp.path().join("missing.safetensors"))
        .arg("--input")
        .arg(&pairs)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("pairs.tsv") && err.contains('2'), "{err}");
    assert!(o.stdout.is_empty());
    let o = seq2expr()
        .args([
            "deepcba",
            "forward",
            "--preset",
            "xyz",
            "--keras-weights",
            "w",
        ])
        .args(["--input", "p"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("xyz"));
}
