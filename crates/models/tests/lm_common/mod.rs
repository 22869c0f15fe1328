//! Helpers shared by the `oracle_lm_*` tests.
#![allow(dead_code)]

use burn::tensor::{Device, Int, Tensor, TensorData};
use serde_json::Value;
use std::path::PathBuf;

/// `$SEQ2EXPR_SHARED/oracles/<name>`, default `../shared` beside the checkout.
pub fn oracle(name: &str) -> PathBuf {
    let shared = std::env::var("SEQ2EXPR_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string());
    PathBuf::from(shared).join("oracles").join(name)
}

pub fn reference(name: &str) -> Value {
    let text =
        std::fs::read_to_string(oracle(name).join("reference.json")).expect("reference.json");
    serde_json::from_str(&text).expect("json")
}

fn flat(v: &Value, out: &mut Vec<f32>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
        Value::Number(n) => out.push(n.as_f64().expect("number") as f32),
        other => panic!("unexpected JSON value {other}"),
    }
}

pub fn values(v: &Value) -> Vec<f32> {
    let mut out = Vec::new();
    flat(v, &mut out);
    out
}

pub fn rows(v: &Value) -> Vec<Vec<u32>> {
    v.as_array()
        .expect("rows")
        .iter()
        .map(|r| values(r).into_iter().map(|x| x as u32).collect())
        .collect()
}

pub fn int2(v: &Value, dev: &Device) -> Tensor<2, Int> {
    let r = rows(v);
    let (b, l) = (r.len(), r[0].len());
    let flat: Vec<i64> = r.into_iter().flatten().map(i64::from).collect();
    Tensor::from_data(TensorData::new(flat, [b, l]), dev)
}

pub fn host<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_to_vec::<f32>()
        .expect("f32")
}

/// Asserts `got` equals `want` to 1e-4 and returns (and prints) the max abs error.
pub fn close(name: &str, got: &[f32], want: &Value) -> f32 {
    let want = values(want);
    assert_eq!(got.len(), want.len(), "{name}: length");
    let mut max = 0f32;
    let mut at = 0;
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        let e = (g - w).abs();
        assert!(!e.is_nan(), "{name}[{i}]: NaN (got {g}, want {w})");
        if e > max {
            max = e;
            at = i;
        }
    }
    eprintln!("{name}: max abs error {max:.3e}");
    assert!(
        max <= 1e-4,
        "{name}[{at}]: got {}, want {} (error {max})",
        got[at],
        want[at]
    );
    max
}

pub fn closet<const D: usize>(name: &str, got: Tensor<D>, want: &Value) -> f32 {
    close(name, &host(got), want)
}

/// Row `r` of a batch tensor.
pub fn row<const D: usize>(t: &Tensor<D>, r: usize) -> Tensor<D> {
    t.clone().narrow(0, r, 1)
}

/// A temporary checkpoint directory: `config.json` + `model.safetensors` of `src` and the
/// tokenizer file `tok` copied in as `as_name`.
pub fn with_tokenizer(
    src: &std::path::Path,
    tok: &std::path::Path,
    as_name: &str,
) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    for f in ["config.json", "model.safetensors"] {
        std::fs::copy(src.join(f), tmp.path().join(f)).expect("copy");
    }
    std::fs::copy(tok, tmp.path().join(as_name)).expect("copy tokenizer");
    tmp
}

/// Asserts the tokenizer reproduces `input_ids` row by row (real tokens only), skipping
/// positions listed in `skip` (e.g. `<mask>` substitutions).
pub fn same_ids(
    lm: &models::lm::LoadedLm,
    seqs: &Value,
    ids: &Value,
    mask: &Value,
    skip: &[Vec<u32>],
) {
    let tok = lm.tokenizer.as_ref().expect("tokenizer");
    for (r, ((s, want), m)) in seqs
        .as_array()
        .unwrap()
        .iter()
        .zip(rows(ids))
        .zip(rows(mask))
        .enumerate()
    {
        let got = tok
            .encode(s.as_str().unwrap().as_bytes())
            .expect("encode")
            .ids;
        let n = m.iter().filter(|&&x| x == 1).count();
        assert_eq!(got.len(), n, "row {r} length");
        for (p, (g, w)) in got.iter().zip(&want).enumerate() {
            if skip.get(r).is_some_and(|s| s.contains(&(p as u32))) {
                continue;
            }
            assert_eq!(g, w, "row {r} position {p}");
        }
    }
}
