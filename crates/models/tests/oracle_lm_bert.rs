//! Oracle: HF BERT (`../shared/oracles/bert`): sequence classification and MLM checkpoints
//! loaded through `lm::load_dir`, every tensor of `reference.json` to 1e-4.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use lm_common::*;
use models::lm::{Collect, LmModel, load_dir};

#[test]
#[ignore = "reads ../shared"]
fn bert_seqcls_reproduces_every_tensor() {
    let r = reference("bert");
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&oracle("bert").join("seqcls"), &dev).expect("load");
    assert!(matches!(lm.model, LmModel::BertClassifier(_)));
    let out = lm.model.forward(
        int2(&r["input_ids"], &dev),
        int2(&r["attention_mask"], &dev),
        Collect::ALL,
    );
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
    let mut att = Vec::new();
    for a in &out.encoder.attentions {
        att.extend(host(row(a, 0)));
    }
    close("attentions_example0", &att, &r["attentions_example0"]);
    let mut hs = Vec::new();
    for h in &out.encoder.hidden_states {
        hs.extend(host(row(h, 0)));
    }
    close("hidden_states_example0", &hs, &r["hidden_states_example0"]);
    // the host-side entry point (padding + checks) gives the same numbers
    let ids: Vec<Vec<u32>> = rows(&r["input_ids"])
        .into_iter()
        .zip(rows(&r["attention_mask"]))
        .map(|(i, m)| {
            i.into_iter()
                .zip(m)
                .filter(|(_, m)| *m == 1)
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let out2 = lm.forward(&ids, Collect::default(), &dev).expect("forward");
    closet(
        "classification_logits (host batch)",
        out2.logits.expect("logits"),
        &r["classification_logits"],
    );
}

#[test]
#[ignore = "reads ../shared"]
fn bert_mlm_reproduces_selected_logits() {
    let r = reference("bert");
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&oracle("bert").join("mlm"), &dev).expect("load");
    let out = lm.model.forward(
        int2(&r["input_ids"], &dev),
        int2(&r["attention_mask"], &dev),
        Collect::default(),
    );
    closet(
        "mlm last_hidden_state",
        out.encoder.last_hidden_state,
        &r["last_hidden_state"],
    );
    let logits = out.mlm_logits.expect("mlm logits");
    let [_, l, v] = logits.dims();
    let all = host(logits);
    let mut sel = Vec::new();
    for (b, pos) in rows(&r["mlm_positions"]).iter().enumerate() {
        for &p in pos {
            let s = (b * l + p as usize) * v;
            sel.extend_from_slice(&all[s..s + v]);
        }
    }
    close("mlm_logits_selected", &sel, &r["mlm_logits_selected"]);
}

#[test]
#[ignore = "reads ../shared"]
fn bert_export_matches_the_oracle_key_set() {
    let r = reference("bert");
    let dev = models::select_device(None).expect("device");
    for sub in ["seqcls", "mlm"] {
        let lm = load_dir(&oracle("bert").join(sub), &dev).expect("load");
        let exported = lm.model.export().file.shapes();
        let want: std::collections::BTreeMap<String, Vec<usize>> = serde_json::from_value(
            r["safetensors_keys"][format!("{sub}/model.safetensors")].clone(),
        )
        .expect("keys");
        assert_eq!(exported, want, "{sub}");
        // and the written directory loads again to the same logits
        let tmp = tempfile::tempdir().expect("tmp");
        lm.save_dir(tmp.path()).expect("save");
        let back = load_dir(tmp.path(), &dev).expect("reload");
        let a = lm.model.forward(
            int2(&r["input_ids"], &dev),
            int2(&r["attention_mask"], &dev),
            Collect::default(),
        );
        let b = back.model.forward(
            int2(&r["input_ids"], &dev),
            int2(&r["attention_mask"], &dev),
            Collect::default(),
        );
        assert_eq!(
            host(a.encoder.last_hidden_state),
            host(b.encoder.last_hidden_state)
        );
    }
}

#[test]
#[ignore = "reads ../shared"]
fn dnabert_vocab_loads_beside_the_checkpoint_and_reproduces_the_ids() {
    let r = reference("bert");
    let dev = models::select_device(None).expect("device");
    let vocab = oracle("tokenize").join("dnabert_vocab/bert-config-3/vocab.txt");
    let dir = with_tokenizer(&oracle("bert").join("seqcls"), &vocab, "vocab.txt");
    let lm = load_dir(dir.path(), &dev).expect("load with vocab.txt");
    same_ids(&lm, &r["seqs"], &r["input_ids"], &r["attention_mask"], &[]);
}
