//! Oracle: HF ESM in the Nucleotide Transformer layouts (`../shared/oracles/esm-nt-v1`,
//! absolute positions from input ids; `../shared/oracles/esm-rotary`, rotary + tied decoder),
//! loaded through `lm::load_dir`, every tensor of `reference.json` to 1e-4 (padded rows
//! included).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use lm_common::*;
use models::lm::{Collect, LmModel, load_dir};
use serde_json::Value;

fn slice_and_lse(all: &[f32], v: usize, slice: &[u32]) -> (Vec<f32>, Vec<f32>) {
    let mut sl = Vec::new();
    let mut lse = Vec::new();
    for row in all.chunks(v) {
        sl.extend(slice.iter().map(|&i| row[i as usize]));
        let m = row.iter().cloned().fold(f32::MIN, f32::max);
        lse.push(m + row.iter().map(|x| ((x - m) as f64).exp()).sum::<f64>().ln() as f32);
    }
    (sl, lse)
}

fn check(name: &str, rotary: bool) {
    let r = reference(name);
    let dev = models::select_device(None).expect("device");
    let ids = || int2(&r["input_ids"], &dev);
    let mask = || int2(&r["attention_mask"], &dev);

    // sequence classification, with every per-layer tensor
    let cls = load_dir(&oracle(name).join("seqcls"), &dev).expect("load seqcls");
    let LmModel::EsmClassifier(m) = &cls.model else {
        panic!("expected EsmForSequenceClassification")
    };
    assert_eq!(m.esm.position_embeddings.is_none(), rotary);
    if !rotary {
        closet(
            "position_ids_hf",
            m.esm.position_ids(ids()).float(),
            &r["position_ids_hf"],
        );
    }
    let out = cls.model.forward(ids(), mask(), Collect::ALL);
    closet(
        "last_hidden_state",
        out.encoder.last_hidden_state.clone(),
        &r["last_hidden_state"],
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

    // MLM: full vectors at the listed positions, the vocabulary slice and logsumexp everywhere
    let mlm = load_dir(&oracle(name).join("mlm"), &dev).expect("load mlm");
    let out = mlm.model.forward(ids(), mask(), Collect::default());
    closet(
        "mlm last_hidden_state",
        out.encoder.last_hidden_state,
        &r["last_hidden_state"],
    );
    let logits = out.mlm_logits.expect("mlm logits");
    let [_, l, v] = logits.dims();
    let all = host(logits);
    let mut full = Vec::new();
    for p in rows(&r["mlm_full_positions"]) {
        let s = (p[0] as usize * l + p[1] as usize) * v;
        full.extend_from_slice(&all[s..s + v]);
    }
    close("mlm_full_logits", &full, &r["mlm_full_logits"]);
    let slice: Vec<u32> = values(&r["mlm_vocab_slice"])
        .into_iter()
        .map(|x| x as u32)
        .collect();
    let (sl, lse) = slice_and_lse(&all, v, &slice);
    close("mlm_logits_vocab_slice", &sl, &r["mlm_logits_vocab_slice"]);
    close("mlm_logits_logsumexp", &lse, &r["mlm_logits_logsumexp"]);

    // the padding-aware embeddings variant (EsmEmbeddings given the attention mask)
    let ma: &Value = &r["mask_aware"];
    let mut cls = cls;
    if let LmModel::EsmClassifier(m) = &mut cls.model {
        m.esm.mask_aware_embeddings = true;
        closet(
            "mask_aware.embeddings_output",
            m.esm.embed(ids(), mask()),
            &ma["embeddings_output"],
        );
    }
    let out = cls.model.forward(ids(), mask(), Collect::default());
    closet(
        "mask_aware.last_hidden_state",
        out.encoder.last_hidden_state,
        &ma["last_hidden_state"],
    );
    closet(
        "mask_aware.classification_logits",
        out.logits.expect("logits"),
        &ma["classification_logits"],
    );
}

#[test]
#[ignore = "reads ../shared"]
fn nt_v1_reproduces_every_tensor() {
    check("esm-nt-v1", false);
}

#[test]
#[ignore = "reads ../shared"]
fn esm_rotary_reproduces_every_tensor() {
    let r = reference("esm-rotary");
    let inv = models::lm::blocks::Rotary { head_dim: 12 }.inv_freq();
    close("rotary.inv_freq", &inv, &r["rotary"]["inv_freq"]);
    check("esm-rotary", true);
}

#[test]
#[ignore = "reads ../shared"]
fn esm_export_matches_the_oracle_key_sets() {
    let dev = models::select_device(None).expect("device");
    for name in ["esm-nt-v1", "esm-rotary"] {
        let r = reference(name);
        for sub in ["seqcls", "mlm"] {
            let lm = load_dir(&oracle(name).join(sub), &dev).expect("load");
            let got = lm.model.export().file.shapes();
            let mut want: std::collections::BTreeMap<String, Vec<usize>> = serde_json::from_value(
                r["safetensors_keys"][format!("{sub}/model.safetensors")].clone(),
            )
            .expect("keys");
            // the contact head is read past (unused by every head) and not written back
            want.retain(|k, _| !k.starts_with("esm.contact_head."));
            assert_eq!(got, want, "{name}/{sub}");
        }
    }
}

#[test]
#[ignore = "reads ../shared"]
fn nt_vocabularies_load_beside_the_checkpoints_and_reproduce_the_ids() {
    let dev = models::select_device(None).expect("device");
    for name in ["esm-nt-v1", "esm-rotary"] {
        let r = reference(name);
        let dir = with_tokenizer(
            &oracle(name).join("mlm"),
            &oracle(name).join("vocab.txt"),
            "vocab.txt",
        );
        // NT v1: 4,107 tokens over 4,105 embedding rows (<eos>/<bos> have none) is accepted
        let lm = load_dir(dir.path(), &dev).expect("load with vocab.txt");
        assert_eq!(lm.tokenizer.as_ref().unwrap().vocab_size(), 4107);
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
}
