//! Oracle: attention importance of the tiny DNABERT classifier (`../shared/oracles/attribution-bert`,
//! computed by transformers + numpy): [CLS] attention of the last layer summed over heads, the
//! k-mer mean spread to nucleotides (L2-normalised), and attention rollout, to 1e-5, from the
//! attention probabilities our encoder computes.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use lm_common::*;
use models::attribution::attention::{cls_attention, rollout, spread_to_nucleotides};
use models::lm::{Collect, load_dir};

fn close64(name: &str, got: &[f64], want: &serde_json::Value) {
    let want = values(want);
    assert_eq!(got.len(), want.len(), "{name}: length");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!((g - f64::from(*w)).abs() <= 1e-5, "{name}[{i}]: {g} vs {w}");
    }
}

#[test]
#[ignore = "reads ../shared"]
fn attention_importance_and_rollout_match_the_reference() {
    let r = reference("attribution-bert");
    let bert = reference("bert");
    let dev = models::select_device(None).unwrap();
    let lm = load_dir(&oracle("bert").join("seqcls"), &dev).unwrap();
    let ids = int2(&bert["input_ids"], &dev);
    let mask = int2(&bert["attention_mask"], &dev);
    let out = lm.model.forward(
        ids,
        mask,
        Collect {
            attentions: true,
            hidden_states: false,
        },
    );
    let k = r["kmer"].as_u64().unwrap() as usize;
    let l = r["L"].as_u64().unwrap() as usize;
    let layers = out.encoder.attentions.len();
    let heads = out.encoder.attentions[0].dims()[1];
    for (b, row) in r["rows"].as_array().unwrap().iter().enumerate() {
        let per_layer: Vec<Vec<f32>> = out
            .encoder
            .attentions
            .iter()
            .map(|a| host(a.clone().narrow(0, b, 1)))
            .collect();
        let t = cls_attention(&per_layer[layers - 1], heads, l).unwrap();
        close64(
            "cls_attention",
            &t,
            &row["cls_attention_last_layer_head_sum"],
        );
        let n_kmers = row["n_kmers"].as_u64().unwrap() as usize;
        let n = n_kmers + k - 1;
        // token i (1..=n_kmers) is the k-mer at nucleotide i − 1
        let spans: Vec<Option<(usize, usize)>> = (0..l)
            .map(|i| (1..=n_kmers).contains(&i).then(|| (i - 1, i - 1 + k)))
            .collect();
        let s = spread_to_nucleotides(&t, &spans, n).unwrap();
        close64("kmer_mean_clean", &s, &row["kmer_mean_clean"]);
        let roll = rollout(&per_layer, heads, l).unwrap();
        close64("rollout_cls_row", &roll[..l], &row["rollout_cls_row"]);
        if b == 0 {
            close64("rollout_full", &roll, &row["rollout_full"]);
        }
    }
}

#[test]
#[ignore = "reads ../shared"]
fn embedding_gradient_x_input_matches_the_reference() {
    let r = reference("attribution-bert");
    let bert = reference("bert");
    let dev = models::select_device(None).unwrap().autodiff();
    let lm = load_dir(&oracle("bert").join("seqcls"), &dev).unwrap();
    let target = r["target_class"].as_u64().unwrap() as usize;
    let rows: Vec<Vec<u32>> = bert["input_ids"]
        .as_array()
        .unwrap()
        .iter()
        .zip(bert["attention_mask"].as_array().unwrap())
        .map(|(ids, m)| {
            ids.as_array()
                .unwrap()
                .iter()
                .zip(m.as_array().unwrap())
                .filter(|(_, m)| m.as_u64() == Some(1))
                .map(|(i, _)| i.as_u64().unwrap() as u32)
                .collect()
        })
        .collect();
    let got = lm.embedding_gradients(&rows, target, &dev).unwrap();
    for (b, row) in r["rows"].as_array().unwrap().iter().enumerate() {
        let want_gx = values(&row["grad_x_input"]);
        let want_gn = values(&row["grad_l2_norm"]);
        let n = rows[b].len();
        for (t, (&w, &wn)) in want_gx.iter().zip(&want_gn).enumerate() {
            // past the row's tokens the reference has its pads: exactly 0
            let (g, gn) = if t < n {
                (got[b].grad_x_input[t], got[b].grad_norm[t])
            } else {
                (0.0, 0.0)
            };
            assert!((g - w).abs() <= 1e-5, "row {b} token {t}: {g} vs {w}");
            assert!(
                (gn - wn).abs() <= 1e-5,
                "row {b} token {t} norm: {gn} vs {wn}"
            );
        }
        assert_eq!(
            want_gx.len(),
            bert["input_ids"][b].as_array().unwrap().len()
        );
    }
}
