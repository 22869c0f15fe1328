//! `seq2expr lm forward` on GeneRAIN's two HF layouts (../shared/oracles): `BERT_Pred_Expr`
//! (a `BertForMaskedLM` whose `position_ids` are gene ids) and the GPT-2 LM head; the last
//! hidden state and the logits of every real token equal transformers' to 1e-4, and the
//! Pred_Expr run without the gene positions does not (so the positions are honoured).
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::{run, seq2expr};

fn oracle(name: &str) -> (PathBuf, Value) {
    let shared = std::env::var("SEQ2EXPR_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string());
    let dir = PathBuf::from(shared).join("oracles").join(name);
    let r = serde_json::from_str(&std::fs::read_to_string(dir.join("reference.json")).unwrap())
        .unwrap();
    (dir.join("model"), r)
}

/// Runs `lm forward` on the oracle's rows (with `position_ids` when `positions`) and returns
/// the worst |diff| of (last hidden state, logits) over the real tokens.
fn worst(name: &str, positions: bool) -> (f64, f64) {
    let (model, r) = oracle(name);
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("ids.jsonl");
    let rows = r["input_ids"].as_array().unwrap().len();
    let mut text = String::new();
    for i in 0..rows {
        let mut o = serde_json::json!({
            "input_ids": r["input_ids"][i],
            "attention_mask": r["attention_mask"][i],
        });
        if positions {
            let p = &r["position_ids"];
            // a shared 1-D position row (GPT-2) or one row per example (Pred_Expr)
            o["position_ids"] = if p[0].is_array() {
                p[i].clone()
            } else {
                p.clone()
            };
        }
        text.push_str(&format!("{o}\n"));
    }
    std::fs::write(&input, text).unwrap();
    let out = run(seq2expr()
        .args(["lm", "forward", "--model"])
        .arg(&model)
        .arg("--input-ids")
        .arg(&input));
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), rows);
    let logits_key = if r.get("mlm_logits").is_some() {
        "mlm_logits"
    } else {
        "logits"
    };
    let hidden = |i: usize| -> Value {
        match r.get("last_hidden_state") {
            Some(h) => h[i].clone(),
            None => {
                // `hidden_states[row][layer]`: the last layer's entry (after `ln_f`)
                let hs = r["hidden_states"][i].as_array().unwrap();
                hs[hs.len() - 1].clone()
            }
        }
    };
    let (mut wh, mut wl) = (0f64, 0f64);
    for (i, line) in lines.iter().enumerate() {
        let mask = r["attention_mask"][i].as_array().unwrap();
        let want_h = hidden(i);
        for (t, m) in mask.iter().enumerate() {
            if m.as_i64() != Some(1) {
                continue;
            }
            let pairs = [
                (&line["last_hidden_state"][t], &want_h[t], &mut wh),
                (&line["logits"][t], &r[logits_key][i][t], &mut wl),
            ];
            for (got, want, w) in pairs {
                let (g, e) = (got.as_array().unwrap(), want.as_array().unwrap());
                assert_eq!(g.len(), e.len(), "{name} row {i} token {t}");
                for (a, b) in g.iter().zip(e) {
                    *w = w.max((a.as_f64().unwrap() - b.as_f64().unwrap()).abs());
                }
            }
        }
    }
    (wh, wl)
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn pred_expr_uses_the_gene_ids_as_positions() {
    let (h, l) = worst("bert-pred-expr", true);
    assert!(h < 1e-4 && l < 1e-4, "hidden {h}, logits {l}");
    let (h, _) = worst("bert-pred-expr", false);
    assert!(
        h > 1e-2,
        "without the gene positions the output should differ ({h})"
    );
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn gpt2_lm_head_matches_transformers() {
    let (h, l) = worst("gpt2-generain", false);
    assert!(h < 1e-4 && l < 1e-4, "hidden {h}, logits {l}");
    let (h, l) = worst("gpt2-generain", true);
    assert!(
        h < 1e-4 && l < 1e-4,
        "explicit 0..L positions: hidden {h}, logits {l}"
    );
}
