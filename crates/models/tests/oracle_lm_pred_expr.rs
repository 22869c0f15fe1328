//! Oracle: GeneRAIN `BERT_Pred_Expr` (`../shared/oracles/bert-pred-expr`): a HF
//! `BertForMaskedLM` whose `input_ids` are expression bins and whose `position_ids` are gene
//! ids. MLM logits, loss, hidden states and attentions with the gene positions, and the
//! contrast call without them (positions 0..L-1), to 1e-4.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use lm_common::*;
use models::lm::{Collect, LmModel, load_dir};
use serde_json::Value;

const NAME: &str = "bert-pred-expr";

/// HF's MLM loss from host logits `[B, L, V]`: mean CE over labels != -100 (f64).
fn mlm_loss(logits: &[f32], labels: &Value, l: usize) -> f64 {
    let labels: Vec<i64> = labels
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()))
        .collect();
    let v = logits.len() / labels.len();
    assert_eq!(labels.len() % l, 0);
    let (mut sum, mut n) = (0f64, 0usize);
    for (i, &y) in labels.iter().enumerate() {
        if y < 0 {
            continue;
        }
        let z = &logits[i * v..(i + 1) * v];
        let m = z.iter().fold(f64::MIN, |a, &x| a.max(f64::from(x)));
        let lse = m + z
            .iter()
            .map(|&x| (f64::from(x) - m).exp())
            .sum::<f64>()
            .ln();
        sum += lse - f64::from(z[y as usize]);
        n += 1;
    }
    sum / n as f64
}

/// The logits of the `masked_positions` `[[row, pos], ...]`.
fn at_masked(logits: &[f32], masked: &Value, l: usize, v: usize, take: usize) -> Vec<f32> {
    let mut out = Vec::new();
    for p in masked.as_array().unwrap().iter().take(take) {
        let (b, t) = (
            p[0].as_u64().unwrap() as usize,
            p[1].as_u64().unwrap() as usize,
        );
        out.extend_from_slice(&logits[(b * l + t) * v..(b * l + t + 1) * v]);
    }
    out
}

#[test]
#[ignore = "reads ../shared"]
fn pred_expr_honours_gene_ids_as_positions() {
    let r = reference(NAME);
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&oracle(NAME).join("model"), &dev).expect("load");
    assert!(matches!(lm.model, LmModel::BertMaskedLm(_)));
    assert_eq!(lm.config.position_table(), Some(300));
    let ids = int2(&r["input_ids"], &dev);
    let mask = int2(&r["attention_mask"], &dev);
    let pos = int2(&r["position_ids"], &dev);
    let [b, l] = ids.dims();
    let out = lm
        .model
        .forward_at(ids.clone(), mask.clone(), Some(pos), Collect::ALL)
        .expect("forward");
    let logits = out.mlm_logits.clone().expect("mlm logits");
    closet("mlm_logits", logits.clone(), &r["mlm_logits"]);
    let lg = host(logits);
    let v = lg.len() / (b * l);
    let masked = &r["masked_positions"];
    let n_masked = masked.as_array().unwrap().len();
    close(
        "mlm_logits_masked",
        &at_masked(&lg, masked, l, v, n_masked),
        &r["mlm_logits_masked"],
    );
    let loss = mlm_loss(&lg, &r["labels"], l);
    let want = r["mlm_loss"].as_f64().unwrap();
    eprintln!("mlm_loss: got {loss}, want {want}");
    assert!((loss - want).abs() <= 1e-5, "mlm_loss {loss} vs {want}");
    closet(
        "last_hidden_state",
        out.encoder.last_hidden_state.clone(),
        &r["last_hidden_state"],
    );
    let mut hs = Vec::new();
    for bi in 0..b {
        for h in &out.encoder.hidden_states {
            hs.extend(host(row(h, bi)));
        }
    }
    close("hidden_states", &hs, &r["hidden_states"]);
    let ar = r["attention_row"].as_u64().unwrap() as usize;
    let mut att = Vec::new();
    for a in &out.encoder.attentions {
        att.extend(host(row(a, ar)));
    }
    close("attentions (row 2)", &att, &r["attentions"]);

    // the same call without position_ids (0..L-1): HF's contrast values, and different
    let d = lm.model.forward(ids, mask, Collect::default());
    let dl = host(d.mlm_logits.expect("mlm logits"));
    close(
        "contrast_default_position_ids_logits_masked",
        &at_masked(&dl, masked, l, v, 2),
        &r["contrast_default_position_ids_logits_masked"],
    );
    let dloss = mlm_loss(&dl, &r["labels"], l);
    let dwant = r["contrast_default_position_ids_loss"].as_f64().unwrap();
    eprintln!("contrast loss: got {dloss}, want {dwant}");
    assert!((dloss - dwant).abs() <= 1e-5);
    assert!((dloss - loss).abs() > 1e-2, "gene positions must matter");
}

#[test]
#[ignore = "reads ../shared"]
fn pred_expr_host_rows_with_positions_match_and_bad_positions_are_refused() {
    let r = reference(NAME);
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&oracle(NAME).join("model"), &dev).expect("load");
    // host path: unpadded rows, their gene ids as positions
    let masks = rows(&r["attention_mask"]);
    let cut = |v: &Value| -> Vec<Vec<u32>> {
        rows(v)
            .into_iter()
            .zip(&masks)
            .map(|(row, m)| {
                row.into_iter()
                    .zip(m)
                    .filter(|(_, m)| **m == 1)
                    .map(|(x, _)| x)
                    .collect()
            })
            .collect()
    };
    let (bins, genes) = (cut(&r["input_ids"]), cut(&r["position_ids"]));
    let out = lm
        .forward_host_at(&bins, None, Some(&genes), Collect::default(), &dev)
        .expect("forward");
    let got: Vec<f32> = out[0].mlm_logits.clone().unwrap();
    close("row 0 mlm_logits (host)", &got, &r["mlm_logits"][0]);
    // a position outside the 300-row table and a length mismatch: typed errors, no panic
    let mut bad = genes.clone();
    bad[1][3] = 300;
    let e = lm
        .forward_host_at(&bins, None, Some(&bad), Collect::default(), &dev)
        .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("row 1") && msg.contains("300"), "{msg}");
    let mut short = genes;
    short[0].pop();
    let e = lm
        .forward_host_at(&bins, None, Some(&short), Collect::default(), &dev)
        .unwrap_err();
    assert!(e.to_string().contains("row 0"), "{e}");
}
