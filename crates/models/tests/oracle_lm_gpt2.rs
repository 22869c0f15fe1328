//! Oracle: HF `GPT2LMHeadModel` (`../shared/oracles/gpt2-generain`, GeneRAIN-style gene ids)
//! loaded through `lm::load_dir`: logits, both losses, per-row losses, token NLLs, hidden
//! states, attentions of row 1, export → reload exact, row 1 alone == batch row 1.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use burn::tensor::{Int, Tensor, TensorData};
use lm_common::*;
use models::lm::gpt2::loss::{causal_lm_loss, causal_lm_row_losses};
use models::lm::{Collect, LmModel, load_dir};
use serde_json::Value;

const NAME: &str = "gpt2-generain";

/// `[B, L]` signed ids (labels may hold -100).
fn labels(v: &Value, dev: &models::Device) -> Tensor<2, Int> {
    let r: Vec<Vec<i64>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let row = row.as_array().unwrap();
            row.iter().map(|x| x.as_i64().unwrap()).collect()
        })
        .collect();
    let (b, l) = (r.len(), r[0].len());
    Tensor::from_data(TensorData::new(r.concat(), [b, l]), dev)
}

fn scalar(t: Tensor<1>) -> f32 {
    host(t)[0]
}

fn close_scalar(name: &str, got: f32, want: &Value) {
    let w = want.as_f64().unwrap() as f32;
    eprintln!("{name}: got {got}, want {w}");
    assert!((got - w).abs() <= 1e-5, "{name}: got {got}, want {w}");
}

#[test]
#[ignore = "reads ../shared"]
fn gpt2_reproduces_logits_losses_states_and_attentions() {
    let r = reference(NAME);
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&oracle(NAME).join("model"), &dev).expect("load");
    assert!(matches!(lm.model, LmModel::Gpt2LmHead(_)));
    let ids = int2(&r["input_ids"], &dev);
    let mask = int2(&r["attention_mask"], &dev);
    let [b, l] = ids.dims();
    let pos = Tensor::<2, Int>::from_data(
        TensorData::new(
            rows(&serde_json::json!([r["position_ids"]]))[0]
                .iter()
                .map(|&p| i64::from(p))
                .collect::<Vec<_>>(),
            [1, l],
        ),
        &dev,
    )
    .repeat_dim(0, b);
    let out = lm
        .model
        .forward_at(ids.clone(), mask.clone(), Some(pos), Collect::ALL)
        .expect("forward");
    let logits = out.lm_logits.clone().expect("lm logits");
    assert!(out.mlm_logits.is_none() && out.logits.is_none());
    closet("logits", logits.clone(), &r["logits"]);

    // losses: HF label shift, token-weighted mean over non -100 targets
    let l1 = scalar(causal_lm_loss(logits.clone(), ids.clone()));
    close_scalar(
        "loss_labels_eq_input_ids",
        l1,
        &r["loss_labels_eq_input_ids"],
    );
    let lab = labels(&r["labels_pad_ignored"], &dev);
    let l2 = scalar(causal_lm_loss(logits.clone(), lab.clone()));
    close_scalar("loss_labels_pad_ignored", l2, &r["loss_labels_pad_ignored"]);
    assert!(
        (l1 - l2).abs() > 1e-3,
        "the pad targets must change the loss"
    );
    let per_row = host(causal_lm_row_losses(logits.clone(), lab));
    close(
        "per_row_loss_pad_ignored",
        &per_row,
        &r["per_row_loss_pad_ignored"],
    );

    // token NLL: -log softmax(logits[b, t])[ids[b, t+1]], from the host logits in f64
    let lg = host(logits);
    let idr = rows(&r["input_ids"]);
    let v = lg.len() / (b * l);
    let mut nll = Vec::new();
    for (bi, row) in idr.iter().enumerate() {
        for t in 0..l - 1 {
            let z = &lg[(bi * l + t) * v..(bi * l + t + 1) * v];
            let m = z.iter().fold(f64::MIN, |a, &x| a.max(f64::from(x)));
            let lse = m + z
                .iter()
                .map(|&x| (f64::from(x) - m).exp())
                .sum::<f64>()
                .ln();
            nll.push((lse - f64::from(z[row[t + 1] as usize])) as f32);
        }
    }
    close("token_nll", &nll, &r["token_nll"]);

    // hidden states [row][3][L][H]: embeddings, after block 1, after ln_f
    assert_eq!(out.encoder.hidden_states.len(), 3);
    let mut hs = Vec::new();
    for bi in 0..b {
        for h in &out.encoder.hidden_states {
            hs.extend(host(row(h, bi)));
        }
    }
    close("hidden_states", &hs, &r["hidden_states"]);
    closet(
        "last_hidden_state == hidden_states[2]",
        out.encoder.last_hidden_state.clone(),
        &Value::Array((0..b).map(|bi| r["hidden_states"][bi][2].clone()).collect()),
    );
    let ar = r["attention_row"].as_u64().unwrap() as usize;
    let mut att = Vec::new();
    for a in &out.encoder.attentions {
        att.extend(host(row(a, ar)));
    }
    close("attentions (row 1)", &att, &r["attentions"]);

    // omitting position_ids gives the same (0..L-1) numbers
    let d = lm.model.forward(ids, mask, Collect::default());
    let diff = host(d.lm_logits.unwrap())
        .iter()
        .zip(&lg)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    assert!(diff <= 1e-6, "default positions differ by {diff}");
}

#[test]
#[ignore = "reads ../shared"]
fn gpt2_row_alone_matches_its_batch_row() {
    let r = reference(NAME);
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&oracle(NAME).join("model"), &dev).expect("load");
    let len = r["lengths"][1].as_u64().unwrap() as usize;
    let ids: Vec<u32> = rows(&r["input_ids"])[1][..len].to_vec();
    let alone = lm
        .forward_host(&[ids], None, Collect::default(), &dev)
        .expect("forward");
    let got = alone[0].lm_logits.clone().expect("lm logits");
    let l = r["input_ids"][1].as_array().unwrap().len();
    let v = got.len() / len;
    let want = values(&r["logits"][1]);
    assert_eq!(want.len(), l * v);
    let worst = got
        .iter()
        .zip(&want[..len * v])
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    eprintln!("row 1 alone vs batch: max abs error {worst:.3e}");
    assert!(worst <= 1e-5, "row 1 alone differs by {worst}");
}

#[test]
#[ignore = "reads ../shared"]
fn gpt2_export_reloads_exactly_in_hf_layout() {
    let r = reference(NAME);
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&oracle(NAME).join("model"), &dev).expect("load");
    let tmp = tempfile::tempdir().expect("tmp");
    lm.save_dir(tmp.path()).expect("save");
    let file = models::lm::weights::TensorFile::read(&tmp.path().join("model.safetensors"))
        .expect("read export");
    let shapes = file.shapes();
    let want = r["safetensors_keys"]["model/model.safetensors"]
        .as_object()
        .unwrap();
    let want_keys: std::collections::BTreeSet<&String> = want.keys().collect();
    let got_keys: std::collections::BTreeSet<&String> = shapes.keys().collect();
    assert_eq!(got_keys, want_keys, "exported keys");
    assert!(!shapes.contains_key("lm_head.weight"));
    for (k, s) in want {
        let s: Vec<usize> = s
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        assert_eq!(shapes[k], s, "{k}: Conv1D [in, out] layout kept");
    }
    let back = load_dir(tmp.path(), &dev).expect("reload");
    let ids = int2(&r["input_ids"], &dev);
    let mask = int2(&r["attention_mask"], &dev);
    let a = lm.model.forward(ids.clone(), mask.clone(), Collect::ALL);
    let b = back.model.forward(ids, mask, Collect::ALL);
    assert_eq!(host(a.lm_logits.unwrap()), host(b.lm_logits.unwrap()));
    for (x, y) in a.encoder.attentions.into_iter().zip(b.encoder.attentions) {
        assert_eq!(host(x), host(y));
    }
    closet(
        "reloaded last_hidden_state",
        b.encoder.last_hidden_state,
        &{
            let hs = &r["hidden_states"];
            Value::Array((0..4).map(|bi| hs[bi][2].clone()).collect())
        },
    );
}
