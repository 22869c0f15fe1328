//! Bad input to the `lm` encoders gives typed errors (tiny configurations built here; no
//! shared data needed), plus hand-derived checks of blocks that have no oracle.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use burn::tensor::{Device, Tensor, TensorData};
use models::Error;
use models::lm::bert::{BertConfig, BertForSequenceClassification};
use models::lm::blocks::{Activation, Collect, GatedMlp, alibi_slopes};
use models::lm::weights::{Loader, RawTensor, TensorFile};
use models::lm::{LmModel, load_dir};
use serde_json::json;
use std::path::Path;

fn tiny_cfg() -> BertConfig {
    let mut c = BertConfig::tiny(69);
    c.model_type = Some("bert".into());
    c.architectures = Some(vec!["BertForSequenceClassification".into()]);
    c
}

fn tiny_file(dev: &Device) -> TensorFile {
    let c = tiny_cfg();
    let m = BertForSequenceClassification::build(&c, &mut Loader::random(dev, 0.02, 7));
    LmModel::BertClassifier(m).export().file
}

fn write_dir(dir: &Path, cfg: &serde_json::Value, file: &TensorFile) {
    std::fs::write(dir.join("config.json"), cfg.to_string()).unwrap();
    file.write(&dir.join("model.safetensors")).unwrap();
}

fn dnabert3_vocab() -> Vec<String> {
    let mut v: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(seqenc::tokenizer::vocab::kmers_atcg(3));
    v
}

#[test]
fn unknown_model_type_names_the_field() {
    let dev = Device::flex();
    let tmp = tempfile::tempdir().unwrap();
    let mut cfg = serde_json::to_value(tiny_cfg()).unwrap();
    cfg["model_type"] = json!("t5");
    write_dir(tmp.path(), &cfg, &tiny_file(&dev));
    match load_dir(tmp.path(), &dev).unwrap_err() {
        Error::UnknownArchitecture { field, value, path } => {
            assert_eq!(field, "model_type");
            assert_eq!(value, "\"t5\"");
            assert!(path.ends_with("config.json"));
        }
        e => panic!("unexpected {e}"),
    }
    cfg["model_type"] = json!("bert");
    cfg["architectures"] = json!(["BertForTokenClassification"]);
    write_dir(tmp.path(), &cfg, &tiny_file(&dev));
    let e = load_dir(tmp.path(), &dev).unwrap_err();
    assert!(
        matches!(&e, Error::UnknownArchitecture { field, .. } if field == "architectures"),
        "{e}"
    );
    cfg["architectures"] = json!(["BertForSequenceClassification"]);
    cfg["position_embedding_type"] = json!("relative_key");
    write_dir(tmp.path(), &cfg, &tiny_file(&dev));
    let e = load_dir(tmp.path(), &dev).unwrap_err();
    assert!(
        matches!(&e, Error::UnknownArchitecture { field, .. } if field == "position_embedding_type"),
        "{e}"
    );
}

#[test]
fn heads_must_divide_hidden() {
    let mut c = tiny_cfg();
    c.num_attention_heads = 3;
    let e = c.init(&Device::flex()).unwrap_err();
    assert!(
        matches!(&e, Error::Config(m) if m.contains("not divisible")),
        "{e}"
    );
}

#[test]
fn missing_misshaped_and_unexpected_tensors_in_one_error() {
    let dev = Device::flex();
    let tmp = tempfile::tempdir().unwrap();
    let mut f = tiny_file(&dev);
    f.tensors.remove("bert.pooler.dense.bias");
    f.tensors.insert(
        "bert.encoder.layer.0.attention.self.query.weight".into(),
        RawTensor {
            shape: vec![8, 4],
            values: vec![0.0; 32],
        },
    );
    f.tensors.insert(
        "extra.weight".into(),
        RawTensor {
            shape: vec![2],
            values: vec![1.0, 2.0],
        },
    );
    // known-absent / ignorable buffers are not reported
    f.tensors.insert(
        "bert.embeddings.position_ids".into(),
        RawTensor {
            shape: vec![1, 32],
            values: vec![0.0; 32],
        },
    );
    write_dir(tmp.path(), &serde_json::to_value(tiny_cfg()).unwrap(), &f);
    match load_dir(tmp.path(), &dev).unwrap_err() {
        Error::WeightMismatch { path, problems } => {
            assert!(path.ends_with("model.safetensors"));
            assert_eq!(problems.len(), 3, "{problems:?}");
            let all = problems.join("\n");
            assert!(
                all.contains("missing tensor bert.pooler.dense.bias"),
                "{all}"
            );
            assert!(
                all.contains("bert.encoder.layer.0.attention.self.query.weight: shape [8, 4]"),
                "{all}"
            );
            assert!(all.contains("unexpected tensor extra.weight"), "{all}");
        }
        e => panic!("unexpected {e}"),
    }
}

#[test]
fn truncated_safetensors_names_file_and_tensor() {
    let dev = Device::flex();
    let tmp = tempfile::tempdir().unwrap();
    write_dir(
        tmp.path(),
        &serde_json::to_value(tiny_cfg()).unwrap(),
        &tiny_file(&dev),
    );
    let st = tmp.path().join("model.safetensors");
    let bytes = std::fs::read(&st).unwrap();
    std::fs::write(&st, &bytes[..bytes.len() - 10]).unwrap();
    match load_dir(tmp.path(), &dev).unwrap_err() {
        Error::Checkpoint { path, msg } => {
            assert_eq!(path, st);
            // keys are sorted: the last tensor in the file is the last one cut
            assert!(
                msg.contains("truncated") && msg.contains("tensor classifier.weight"),
                "{msg}"
            );
        }
        e => panic!("unexpected {e}"),
    }
}

#[test]
fn vocabulary_must_fit_the_embeddings() {
    let dev = Device::flex();
    let tmp = tempfile::tempdir().unwrap();
    let cfg = serde_json::to_value(tiny_cfg()).unwrap();
    write_dir(tmp.path(), &cfg, &tiny_file(&dev));
    let mut vocab = dnabert3_vocab();
    std::fs::write(tmp.path().join("vocab.txt"), vocab.join("\n") + "\n").unwrap();
    let lm = load_dir(tmp.path(), &dev).expect("69 tokens, 69 rows");
    let tok = lm.tokenizer.as_ref().expect("tokenizer");
    assert_eq!(tok.vocab_size(), 69);
    assert_eq!(tok.encode(b"ACGT").unwrap().ids.len(), 4); // [CLS] ACG CGT [SEP]
    vocab.push("AAAA".into());
    std::fs::write(tmp.path().join("vocab.txt"), vocab.join("\n") + "\n").unwrap();
    match load_dir(tmp.path(), &dev).unwrap_err() {
        Error::VocabMismatch {
            vocab, rows, path, ..
        } => {
            assert_eq!((vocab, rows), (70, 69));
            assert!(path.ends_with("vocab.txt"));
        }
        e => panic!("unexpected {e}"),
    }
    // NT v1: <eos>/<bos> past the last embedding row are accepted
    let mut nt: Vec<String> = (0..4105).map(|i| format!("t{i}")).collect();
    nt.extend(["<eos>".to_string(), "<bos>".to_string()]);
    models::lm::tokenizer::check_vocab(Path::new("vocab.txt"), &nt, 4105).expect("NT v1 exception");
    assert!(models::lm::tokenizer::check_vocab(Path::new("vocab.txt"), &nt, 4104).is_err());
}

#[test]
fn token_out_of_vocab_and_too_long_inputs_are_typed() {
    let dev = Device::flex();
    let tmp = tempfile::tempdir().unwrap();
    write_dir(
        tmp.path(),
        &serde_json::to_value(tiny_cfg()).unwrap(),
        &tiny_file(&dev),
    );
    let lm = load_dir(tmp.path(), &dev).unwrap();
    let e = lm
        .forward(&[vec![2, 5, 3], vec![2, 69, 3]], Collect::default(), &dev)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::TokenOutOfVocab {
                row: 1,
                pos: 1,
                id: 69,
                vocab: 69
            }
        ),
        "{e}"
    );
    let long = vec![5u32; 33];
    let e = lm
        .forward(std::slice::from_ref(&long), Collect::default(), &dev)
        .unwrap_err();
    assert!(
        matches!(
            e,
            Error::InputTooLong {
                row: 0,
                len: 33,
                max: 32
            }
        ),
        "{e}"
    );
    // chunked: pieces of 30 content tokens + [CLS]/[SEP]
    let pieces = models::lm::chunk::split(&long, 30, &[2], &[3]);
    assert_eq!(pieces.iter().map(Vec::len).collect::<Vec<_>>(), vec![32, 5]);
    let out = lm
        .forward(&pieces, Collect::default(), &dev)
        .expect("chunks fit");
    assert_eq!(out.logits.unwrap().dims(), [2, 2]);
}

#[test]
fn alibi_slopes_interpolate_non_power_of_two_heads() {
    assert_eq!(alibi_slopes(3), vec![0.0625, 0.00390625, 0.25]);
    assert_eq!(alibi_slopes(8)[0], 0.5);
    assert_eq!(alibi_slopes(12).len(), 12);
}

/// NT v2's bias-free SwiGLU feed-forward has no oracle: the expected values are computed here
/// independently with plain loops (`silu(x W1[:I]ᵀ) * (x W1[I:]ᵀ)`, then `W2`), from the same
/// HF-layout `[out, in]` weights the loader reads.
#[test]
fn swiglu_matches_hand_computation() {
    let dev = Device::flex();
    let (h, i) = (3usize, 2usize);
    let w1: Vec<f32> = (0..2 * i * h).map(|k| ((k as f32) * 0.37).sin()).collect(); // [2I, H]
    let w2: Vec<f32> = (0..h * i).map(|k| ((k as f32) * 0.91).cos()).collect(); // [H, I]
    let x: Vec<f32> = vec![0.5, -1.0, 2.0, 0.1, 0.2, -0.3];
    let mut f = TensorFile::default();
    f.tensors.insert(
        "ffn.intermediate.dense.weight".into(),
        RawTensor {
            shape: vec![2 * i, h],
            values: w1.clone(),
        },
    );
    f.tensors.insert(
        "ffn.output.dense.weight".into(),
        RawTensor {
            shape: vec![h, i],
            values: w2.clone(),
        },
    );
    let mut l = Loader::new(&f, &dev);
    let mlp = GatedMlp {
        gated_layers: l.linear("ffn.intermediate.dense", h, 2 * i, false),
        wo: l.linear("ffn.output.dense", i, h, false),
        act: Activation::Silu,
    };
    l.finish().expect("all used");
    let got = mlp.forward(Tensor::<3>::from_data(
        TensorData::new(x.clone(), [1, 2, h]),
        &dev,
    ));
    let got = got.into_data().try_to_vec::<f32>().unwrap();
    let silu = |v: f32| v / (1.0 + (-v).exp());
    for t in 0..2 {
        let xt = &x[t * h..(t + 1) * h];
        let g: Vec<f32> = (0..2 * i)
            .map(|o| (0..h).map(|k| w1[o * h + k] * xt[k]).sum())
            .collect();
        let u: Vec<f32> = (0..i).map(|j| silu(g[j]) * g[i + j]).collect();
        for o in 0..h {
            let want: f32 = (0..i).map(|j| w2[o * i + j] * u[j]).sum();
            assert!(
                (got[t * h + o] - want).abs() < 1e-6,
                "token {t} out {o}: {} vs {want}",
                got[t * h + o]
            );
        }
    }
}

#[test]
fn nt_v2_config_builds_rotary_swiglu_and_round_trips() {
    let dev = Device::flex();
    let cfg = json!({
        "model_type": "esm", "architectures": ["EsmForMaskedLM"], "vocab_size": 4107,
        "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 12,
        "position_embedding_type": "rotary", "add_bias_fnn": false, "token_dropout": false,
        "tie_word_embeddings": false, "some_unknown_field": 1
    });
    let (arch, c) = models::lm::auto::parse_config(&cfg, Path::new("config.json")).unwrap();
    let models::lm::LmConfig::Esm(ec) = &c else {
        panic!()
    };
    let m = models::lm::esm::EsmForMaskedLM::build(ec, &mut Loader::random(&dev, 0.02, 3));
    let file = LmModel::EsmMaskedLm(m).export().file;
    assert_eq!(
        file.tensors["esm.encoder.layer.0.intermediate.dense.weight"].shape,
        vec![24, 8]
    );
    assert!(
        !file
            .tensors
            .contains_key("esm.encoder.layer.0.intermediate.dense.bias")
    );
    assert!(
        file.tensors
            .contains_key("esm.encoder.layer.0.attention.self.rotary_embeddings.inv_freq")
    );
    let back = models::lm::auto::build_model(arch, &c, &file, &dev).expect("reload");
    let ids = Tensor::from_data(TensorData::new(vec![3i64, 10, 11, 12], [1, 4]), &dev);
    let mask = Tensor::from_data(TensorData::new(vec![1i64; 4], [1, 4]), &dev);
    let out = back.forward(ids, mask, Collect::ALL);
    assert_eq!(out.mlm_logits.unwrap().dims(), [1, 4, 4107]);
    assert_eq!(out.encoder.hidden_states.len(), 2);
}
