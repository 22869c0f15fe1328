//! `seq2expr lm forward|embed|predict` on the tiny HF BERT of ../shared/oracles/bert against
//! transformers' outputs in its reference.json (to 1e-4).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn shared() -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

fn reference() -> Value {
    let text = std::fs::read_to_string(shared().join("oracles/bert/reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn seq2expr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_seq2expr"))
        .args(args)
        .output()
        .unwrap()
}

fn flat(v: &Value, out: &mut Vec<f64>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
        Value::Number(n) => out.push(n.as_f64().unwrap()),
        _ => panic!("not a number: {v}"),
    }
}

fn assert_close(got: &Value, want: &Value, what: &str) {
    let (mut g, mut w) = (Vec::new(), Vec::new());
    flat(got, &mut g);
    flat(want, &mut w);
    assert_eq!(g.len(), w.len(), "{what}: lengths");
    let worst = g
        .iter()
        .zip(&w)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-4, "{what}: max |diff| {worst}");
}

/// The seqcls checkpoint plus the DNABERT 3-mer vocabulary its ids come from.
fn model_with_vocab(dir: &Path) -> PathBuf {
    let m = dir.join("seqcls");
    std::fs::create_dir_all(&m).unwrap();
    let o = shared().join("oracles");
    for f in ["config.json", "model.safetensors"] {
        std::fs::copy(o.join("bert/seqcls").join(f), m.join(f)).unwrap();
    }
    std::fs::copy(
        o.join("tokenize/dnabert_vocab/bert-config-3/vocab.txt"),
        m.join("vocab.txt"),
    )
    .unwrap();
    m
}

#[test]
#[ignore = "reads ../shared"]
fn lm_forward_gives_the_transformers_tensors() {
    let r = reference();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ids.jsonl");
    let lines: Vec<String> = (0..3)
        .map(|i| {
            serde_json::json!({
                "input_ids": r["input_ids"][i],
                "attention_mask": r["attention_mask"][i],
                "token_type_ids": r["token_type_ids"][i],
            })
            .to_string()
        })
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let model = shared().join("oracles/bert/seqcls");
    let o = seq2expr(&[
        "lm",
        "forward",
        "--model",
        model.to_str().unwrap(),
        "--input-ids",
        input.to_str().unwrap(),
        "--attentions",
        "--hidden-states",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 3);
    for (i, row) in out.iter().enumerate() {
        // Padded positions included: HF computes them too.
        assert_close(
            &row["last_hidden_state"],
            &r["last_hidden_state"][i],
            "last_hidden_state",
        );
        assert_close(
            &row["pooled_output"],
            &r["pooled_output"][i],
            "pooled_output",
        );
        assert_close(&row["logits"], &r["classification_logits"][i], "logits");
    }
    assert_close(
        &out[0]["attentions"],
        &r["attentions_example0"],
        "attentions",
    );
    assert_close(
        &out[0]["hidden_states"],
        &r["hidden_states_example0"],
        "hidden_states",
    );
}

#[test]
#[ignore = "reads ../shared"]
fn lm_predict_and_embed_tokenize_like_dnabert() {
    let r = reference();
    let dir = tempfile::tempdir().unwrap();
    let model = model_with_vocab(dir.path());
    let seqs = dir.path().join("seqs.txt");
    let text: String = r["seqs"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, s)| format!("s{i}\t{}\n", s.as_str().unwrap()))
        .collect();
    std::fs::write(&seqs, text).unwrap();
    let m = model.to_str().unwrap();
    let run = |cmd: &[&str], out: &Path| -> Vec<Vec<String>> {
        let mut args = vec!["lm"];
        args.extend_from_slice(cmd);
        args.extend([
            "--model",
            m,
            "--input",
            seqs.to_str().unwrap(),
            "--batch-size",
            "2",
        ]);
        args.extend(["--out", out.to_str().unwrap()]);
        let o = seq2expr(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(out)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').map(String::from).collect())
            .collect()
    };
    let pred = run(&["predict"], &dir.path().join("pred.tsv"));
    assert_eq!(pred[0], ["id", "logit_0", "logit_1"]);
    let emb = run(&["embed", "--pool", "cls"], &dir.path().join("emb.tsv"));
    assert_eq!(emb[0].len(), 1 + 32);
    for i in 0..3 {
        assert_eq!(pred[i + 1][0], format!("s{i}"));
        let logits: Vec<f64> = pred[i + 1][1..]
            .iter()
            .map(|x| x.parse().unwrap())
            .collect();
        assert_close(
            &serde_json::json!(logits),
            &r["classification_logits"][i],
            "logits",
        );
        let cls: Vec<f64> = emb[i + 1][1..].iter().map(|x| x.parse().unwrap()).collect();
        assert_close(
            &serde_json::json!(cls),
            &r["last_hidden_state"][i][0],
            "cls embedding",
        );
    }
}

#[test]
#[ignore = "reads ../shared"]
fn bad_lm_inputs_are_errors_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let model = shared().join("oracles/bert/seqcls");
    let cases = [
        ("{\"input_ids\": [2, 5, 3]}\nnot json\n", "ids.jsonl:2:"),
        (
            "{\"input_ids\": [2, 5], \"attention_mask\": [1]}\n",
            "1 values for 2 input_ids",
        ),
        ("{\"input_ids\": [2, 500, 3]}\n", "ids.jsonl:1:"),
        ("{\"input_ids\": []}\n", "input_ids is empty"),
    ];
    for (text, needle) in cases {
        let input = dir.path().join("ids.jsonl");
        std::fs::write(&input, text).unwrap();
        let o = seq2expr(&[
            "lm",
            "forward",
            "--model",
            model.to_str().unwrap(),
            "--input-ids",
            input.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{text:?}: {err}");
        assert!(err.contains(needle), "{text:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // A checkpoint without a tokenizer cannot embed sequences.
    let seqs = dir.path().join("s.txt");
    std::fs::write(&seqs, "ACGTACGT\n").unwrap();
    let out = dir.path().join("e.tsv");
    let o = seq2expr(&[
        "lm",
        "embed",
        "--model",
        model.to_str().unwrap(),
        "--input",
        seqs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("no tokenizer"), "{err}");
    assert!(!out.exists());
}

/// `attribute --input-ids` on the tiny DNABERT classifier: token scores of grad-input,
/// saliency and attention against `../shared/oracles/attribution-bert` (transformers).
#[test]
#[ignore = "reads ../shared"]
fn attribute_token_ids_match_the_attribution_oracle() {
    let shared = shared();
    let bert: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("oracles/bert/reference.json")).unwrap(),
    )
    .unwrap();
    let r: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("oracles/attribution-bert/reference.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("ids.jsonl");
    let lines: String = bert["input_ids"]
        .as_array()
        .unwrap()
        .iter()
        .zip(bert["attention_mask"].as_array().unwrap())
        .map(|(i, m)| {
            format!(
                "{}\n",
                serde_json::json!({"input_ids": i, "attention_mask": m})
            )
        })
        .collect();
    std::fs::write(&input, lines).unwrap();
    for (method, key) in [
        ("grad-input", "grad_x_input"),
        ("saliency", "grad_l2_norm"),
        ("attention", "cls_attention_last_layer_head_sum"),
    ] {
        let out = dir.path().join(method);
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_seq2expr"))
            .args(["attribute", "--model"])
            .arg(shared.join("oracles/bert/seqcls"))
            .arg("--input-ids")
            .arg(&input)
            .args(["--method", method, "--target", "1", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = std::fs::read_to_string(out.join("attributions.tsv")).unwrap();
        let mut got: std::collections::HashMap<(String, usize), f64> = Default::default();
        for l in text.lines().skip(1) {
            let f: Vec<&str> = l.split('\t').collect();
            got.insert(
                (f[0].to_string(), f[1].parse().unwrap()),
                f[3].parse().unwrap(),
            );
        }
        for (b, row) in r["rows"].as_array().unwrap().iter().enumerate() {
            let id = format!("line{}", b + 1);
            for (t, w) in row[key].as_array().unwrap().iter().enumerate() {
                let w = w.as_f64().unwrap();
                let g = got.get(&(id.clone(), t)).copied().unwrap_or(0.0);
                assert!((g - w).abs() <= 1e-5, "{method} {id} token {t}: {g} vs {w}");
            }
        }
    }
}
