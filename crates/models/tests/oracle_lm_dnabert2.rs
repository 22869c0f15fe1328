//! Oracle: DNABERT-2 / MosaicBERT run with the upstream remote code
//! (`../shared/oracles/dnabert2`): ALiBi, fused Wqkv, GLU, −10000 mask, zeroed padded
//! outputs; every tensor of `reference.json` to 1e-4 (padded rows included).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use lm_common::*;
use models::lm::blocks::{alibi_bias, alibi_slopes};
use models::lm::{Collect, LmModel, load_dir};

#[test]
#[ignore = "reads ../shared"]
fn dnabert2_reproduces_every_tensor() {
    let r = reference("dnabert2");
    let dev = models::select_device(None).expect("device");
    close("alibi.slopes", &alibi_slopes(2), &r["alibi"]["slopes"]);
    let l = r["input_ids"][0].as_array().expect("row").len();
    closet(
        "alibi.bias_heads_LxL",
        alibi_bias(2, l, &dev),
        &r["alibi"]["bias_heads_LxL"],
    );
    let ids = || int2(&r["input_ids"], &dev);
    let mask = || int2(&r["attention_mask"], &dev);

    let cls = load_dir(&oracle("dnabert2").join("seqcls"), &dev).expect("load seqcls");
    assert!(matches!(cls.model, LmModel::DnaBert2Classifier(_)));
    let out = cls.model.forward(ids(), mask(), Collect::ALL);
    closet(
        "last_hidden_state",
        out.encoder.last_hidden_state.clone(),
        &r["last_hidden_state"],
    );
    closet(
        "pooled_output",
        out.encoder.pooled_output.clone().expect("pooled"),
        &r["pooled_output"],
    );
    closet(
        "classification_logits",
        out.logits.clone().expect("logits"),
        &r["classification_logits"],
    );
    let b = r["input_ids"].as_array().expect("rows").len();
    let mut hs = Vec::new();
    for i in 0..b {
        for h in &out.encoder.hidden_states {
            hs.extend(host(row(h, i)));
        }
    }
    close("hidden_states", &hs, &r["hidden_states"]);
    for (key, want) in r["attentions"].as_object().expect("attentions") {
        let i: usize = key.parse().expect("row");
        let mut att = Vec::new();
        for a in &out.encoder.attentions {
            att.extend(host(row(a, i)));
        }
        close(&format!("attentions[{key}]"), &att, want);
    }

    let mlm = load_dir(&oracle("dnabert2").join("mlm"), &dev).expect("load mlm");
    let out = mlm.model.forward(ids(), mask(), Collect::default());
    let logits = out.mlm_logits.expect("mlm logits");
    let [_, l, v] = logits.dims();
    let all = host(logits);
    let mut full = Vec::new();
    for p in rows(&r["mlm_full_positions"]) {
        let s = (p[0] as usize * l + p[1] as usize) * v;
        full.extend_from_slice(&all[s..s + v]);
    }
    close("mlm_full_logits", &full, &r["mlm_full_logits"]);
    let slice: Vec<usize> = values(&r["mlm_vocab_slice"])
        .into_iter()
        .map(|x| x as usize)
        .collect();
    let mut sl = Vec::new();
    let mut lse = Vec::new();
    for rowv in all.chunks(v) {
        sl.extend(slice.iter().map(|&i| rowv[i]));
        let m = rowv.iter().cloned().fold(f32::MIN, f32::max);
        lse.push(
            m + rowv
                .iter()
                .map(|x| ((x - m) as f64).exp())
                .sum::<f64>()
                .ln() as f32,
        );
    }
    close("mlm_logits_vocab_slice", &sl, &r["mlm_logits_vocab_slice"]);
    close("mlm_logits_logsumexp", &lse, &r["mlm_logits_logsumexp"]);
}

#[test]
#[ignore = "reads ../shared"]
fn dnabert2_export_matches_the_oracle_key_set() {
    let r = reference("dnabert2");
    let dev = models::select_device(None).expect("device");
    for sub in ["seqcls", "mlm"] {
        let lm = load_dir(&oracle("dnabert2").join(sub), &dev).expect("load");
        let want: std::collections::BTreeMap<String, Vec<usize>> = serde_json::from_value(
            r["safetensors_keys"][format!("{sub}/model.safetensors")].clone(),
        )
        .expect("keys");
        assert_eq!(lm.model.export().file.shapes(), want, "{sub}");
    }
}

#[test]
#[ignore = "reads ../shared"]
fn bpe_tokenizer_loads_beside_the_checkpoint_and_reproduces_the_ids() {
    let r = reference("dnabert2");
    let dev = models::select_device(None).expect("device");
    let tok = oracle("tokenize").join("bpe4096/tokenizer.json");
    let dir = with_tokenizer(&oracle("dnabert2").join("seqcls"), &tok, "tokenizer.json");
    let lm = load_dir(dir.path(), &dev).expect("load with tokenizer.json");
    let skip: Vec<Vec<u32>> = r["mask_token_indices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v.as_array()
                .map(|a| a.iter().map(|x| x.as_u64().unwrap() as u32).collect())
                .unwrap_or_default()
        })
        .collect();
    same_ids(
        &lm,
        &r["seqs"],
        &r["input_ids"],
        &r["attention_mask"],
        &skip,
    );
}
