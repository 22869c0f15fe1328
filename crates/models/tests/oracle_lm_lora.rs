//! Oracle: a HF PEFT LoRA adapter (`../shared/oracles/lora`, r 8, alpha 16 on query/value of
//! the tiny ESM classifier of `../shared/oracles/esm-nt-v1`, head in `modules_to_save`):
//! unmerged and merged logits to 1e-4 of PEFT's, merged = unmerged to 1e-5, an untrained
//! (B = 0) adapter bit-identical to the base model, a training step that changes only the
//! adapter and head tensors, PEFT save → load round trip, and the typed errors of bad adapters.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use burn::module::Module;
use burn::optim::{AdamWConfig, GradientsParams};
use lm_common::*;
use models::lm::lora::LoraSpec;
use models::lm::{Collect, load_dir};

fn base(dev: &models::Device) -> models::lm::LoadedLm {
    load_dir(&oracle("esm-nt-v1").join("seqcls"), dev).unwrap()
}

#[test]
#[ignore = "reads ../shared"]
fn peft_adapter_unmerged_and_merged_match_peft() {
    let r = reference("lora");
    let dev = models::select_device(None).unwrap();
    let ids = || int2(&r["input_ids"], &dev);
    let mask = || int2(&r["attention_mask"], &dev);
    let lm = base(&dev)
        .with_adapter(&oracle("lora").join("adapter"), &dev)
        .unwrap();
    assert_eq!(
        lm.lora.as_ref().unwrap().scaling(),
        r["scaling"].as_f64().unwrap()
    );
    let out = lm.model.forward(ids(), mask(), Collect::default());
    let unmerged = host(out.logits.unwrap());
    close("adapted_logits", &unmerged, &r["adapted_logits"]);
    let cls = out
        .encoder
        .last_hidden_state
        .narrow(1, 0, 1)
        .squeeze_dim::<2>(1);
    close(
        "adapted_cls_features",
        &host(cls),
        &r["adapted_cls_features"],
    );

    let merged = lm.merge_lora(&dev).unwrap();
    assert!(merged.lora.is_none());
    let m = host(
        merged
            .model
            .forward(ids(), mask(), Collect::default())
            .logits
            .unwrap(),
    );
    close("merged_logits", &m, &r["merged_logits"]);
    for (a, b) in m.iter().zip(&unmerged) {
        assert!((a - b).abs() <= 1e-5, "merged {a} vs unmerged {b}");
    }
    // the merged checkpoint has exactly the base names and shapes, and the target weights
    let ex = merged.model.export().file;
    let shapes = &r["merged_state_dict_shapes"];
    for (k, t) in &ex.tensors {
        let want: Vec<usize> = values(&shapes[k]).iter().map(|&x| x as usize).collect();
        assert_eq!(t.shape, want, "{k}");
    }
    // every base tensor is exported but ESM's contact head, which the loader skips
    for k in shapes.as_object().unwrap().keys() {
        assert!(
            ex.tensors.contains_key(k) || k.starts_with("esm.contact_head."),
            "{k}"
        );
    }
    for (k, w) in r["merged_target_weights"].as_object().unwrap() {
        close(k, &ex.tensors[k].values, w);
    }
}

#[test]
#[ignore = "reads ../shared"]
fn untrained_adapter_is_bit_identical_and_training_moves_only_adapters() {
    let r = reference("lora");
    let dev = models::select_device(None).unwrap();
    let ids = || int2(&r["input_ids"], &dev);
    let mask = || int2(&r["attention_mask"], &dev);
    let plain = base(&dev);
    let want = host(
        plain
            .model
            .forward(ids(), mask(), Collect::default())
            .logits
            .unwrap(),
    );
    let before = plain.model.export().file;
    let ad = dev.clone().autodiff();
    let lm = base(&ad).add_lora(LoraSpec::default(), &ad, 7).unwrap();
    let got = host(
        lm.model
            .valid()
            .forward(ids(), mask(), Collect::default())
            .logits
            .unwrap(),
    );
    assert_eq!(got, want, "B = 0 must leave the logits bit-identical");

    // one AdamW step on a cross-entropy loss
    let ids_ad = int2(&r["input_ids"], &ad);
    let mask_ad = int2(&r["attention_mask"], &ad);
    let logits = lm
        .model
        .forward(ids_ad, mask_ad, Collect::default())
        .logits
        .unwrap();
    let y = burn::tensor::Tensor::<1, burn::tensor::Int>::from_ints([0, 1, 1, 0], &ad);
    let loss = burn::nn::loss::CrossEntropyLossConfig::new()
        .init(&ad)
        .forward(logits, y);
    let grads = GradientsParams::from_grads(loss.backward(), &lm.model);
    let mut optim = AdamWConfig::new().init();
    let model = optim.step(1e-2, lm.model, grads);
    let ex = model.export();
    for (k, t) in &ex.file.tensors {
        let changed = t.values != before.tensors[k].values;
        let trainable = k.starts_with("classifier.")
            || k.ends_with("attention.self.query.weight")
            || k.ends_with("attention.self.value.weight");
        // merged query/value weights move through their adapters; everything else is frozen
        assert_eq!(changed, trainable, "{k}");
    }
    for t in ex.adapters.tensors.values() {
        assert!(t.values.iter().any(|&v| v != 0.0));
    }
}

#[test]
#[ignore = "reads ../shared"]
fn saved_adapter_reloads_and_bad_adapters_are_typed_errors() {
    let r = reference("lora");
    let dev = models::select_device(None).unwrap();
    let ids = || int2(&r["input_ids"], &dev);
    let mask = || int2(&r["attention_mask"], &dev);
    let lm = base(&dev)
        .with_adapter(&oracle("lora").join("adapter"), &dev)
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    lm.save_adapter(tmp.path(), "seqcls").unwrap();
    let again = base(&dev).with_adapter(tmp.path(), &dev).unwrap();
    let a = host(
        again
            .model
            .forward(ids(), mask(), Collect::default())
            .logits
            .unwrap(),
    );
    close("reloaded adapted_logits", &a, &r["adapted_logits"]);

    // a target that names no module
    let spec = LoraSpec {
        target_modules: vec!["nonexistent".into()],
        ..LoraSpec::default()
    };
    let e = base(&dev).add_lora(spec, &dev, 0).unwrap_err().to_string();
    assert!(
        e.contains("nonexistent") && e.contains("name no module"),
        "{e}"
    );

    // a rank that disagrees with the tensors
    let cfg_text = std::fs::read_to_string(tmp.path().join("adapter_config.json")).unwrap();
    let bad = cfg_text.replace("\"r\": 8", "\"r\": 4");
    assert_ne!(bad, cfg_text);
    std::fs::write(tmp.path().join("adapter_config.json"), bad).unwrap();
    let e = base(&dev).with_adapter(tmp.path(), &dev).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, models::Error::WeightMismatch { .. }), "{msg}");
    assert!(msg.contains("lora_A") && msg.contains("[4, 24]"), "{msg}");

    // not a LoRA adapter
    std::fs::write(
        tmp.path().join("adapter_config.json"),
        r#"{"peft_type": "IA3"}"#,
    )
    .unwrap();
    let e = base(&dev)
        .with_adapter(tmp.path(), &dev)
        .unwrap_err()
        .to_string();
    assert!(e.contains("IA3"), "{e}");
}
