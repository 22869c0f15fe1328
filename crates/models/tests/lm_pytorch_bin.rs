//! `pytorch_model.bin` checkpoints read through `TensorFile::read_pytorch` and `lm::load_dir`.
//!
//! The fixtures in `fixtures/bert-seqcls-pt/` were written by `fixtures/make_pytorch_bin.py`
//! (torch 2.15.0) from the bert oracle's `seqcls/model.safetensors`: the float32 state dict in
//! the zip container, an fp16 copy nested under `state_dict` with an int64 `position_ids`
//! buffer, and a bf16 copy in the legacy (non-zip) container. The tests that compare against
//! the oracle read `../shared` and are ignored like the other oracle tests; the rest use only
//! the committed fixtures.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod lm_common;
use lm_common::*;
use models::Error;
use models::lm::weights::TensorFile;
use models::lm::{Collect, LmModel, load_dir};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bert-seqcls-pt")
        .join(name)
}

/// A checkpoint directory holding the fixture's `config.json` and `bin` as `pytorch_model.bin`.
fn dir_with_bin(bin: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("config.json"), tmp.path().join("config.json")).unwrap();
    std::fs::write(tmp.path().join("pytorch_model.bin"), bin).unwrap();
    tmp
}

/// Token ids of a few DNA strings through the fixture's `vocab.txt` (3-mers).
fn some_ids(lm: &models::lm::LoadedLm) -> Vec<Vec<u32>> {
    let tok = lm.tokenizer.as_ref().expect("vocab.txt tokenizer");
    ["ACGTACGTTAGC", "GATTACA", "CCCNNGGGTTTAAACG"]
        .iter()
        .map(|s| tok.encode(s.as_bytes()).expect("encode").ids)
        .collect()
}

fn logits(lm: &models::lm::LoadedLm, ids: &[Vec<u32>]) -> Vec<f32> {
    let dev = models::select_device(None).expect("device");
    host(
        lm.forward(ids, Collect::default(), &dev)
            .expect("forward")
            .logits
            .expect("logits"),
    )
}

/// Every tensor of `want` is in `got` with the same shape and bit-identical values, and
/// `got` has no others.
fn assert_identical(got: &TensorFile, want: &TensorFile) {
    let names = |f: &TensorFile| f.tensors.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(got), names(want));
    for (name, w) in &want.tensors {
        let g = &got.tensors[name];
        assert_eq!(g.shape, w.shape, "{name}: shape");
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&g.values), bits(&w.values), "{name}: values");
    }
}

/// `got` equals `want` rounded to a float format with `mantissa` explicit bits (10 for fp16,
/// 7 for bf16): within half a unit in the last place, with `floor` for fp16 subnormals.
fn assert_rounded(got: &TensorFile, want: &TensorFile, mantissa: i32, floor: f32) -> f32 {
    let half_ulp = 2f32.powi(-(mantissa + 1));
    let mut max_rel = 0f32;
    for (name, w) in &want.tensors {
        let g = &got.tensors[name];
        assert_eq!(g.shape, w.shape, "{name}: shape");
        for (i, (a, b)) in g.values.iter().zip(&w.values).enumerate() {
            let err = (a - b).abs();
            assert!(
                err <= b.abs() * half_ulp || err <= floor,
                "{name}[{i}]: {a} is not {b} rounded to {mantissa} mantissa bits"
            );
            if b.abs() > 1e-3 {
                max_rel = max_rel.max(err / b.abs());
            }
        }
    }
    max_rel
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn fixture_dir_loads_from_pytorch_model_bin_with_its_vocab() {
    let dir = fixture("");
    assert!(!dir.join("model.safetensors").exists());
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&dir, &dev).expect("load pytorch_model.bin");
    assert!(matches!(lm.model, LmModel::BertClassifier(_)));
    // the model holds what the file holds: exporting gives the same tensors back
    let file = TensorFile::read_pytorch(&fixture("pytorch_model.bin")).expect("read");
    assert_eq!(file.tensors.len(), 41);
    assert_identical(&lm.model.export().file, &file);
    let l = logits(&lm, &some_ids(&lm));
    assert_eq!(l.len(), 3 * 2);
    assert!(l.iter().all(|x| x.is_finite()), "{l:?}");
}

#[test]
fn fp16_checkpoint_nested_under_state_dict_is_found_and_its_int_buffer_converted() {
    let want = TensorFile::read_pytorch(&fixture("pytorch_model.bin")).expect("f32");
    let mut got =
        TensorFile::read_pytorch(&fixture("pytorch_model.fp16-nested.bin")).expect("fp16");
    // the names are those of the state dict, not `state_dict.…`; `epoch` is no tensor
    let pos = got
        .tensors
        .remove("bert.embeddings.position_ids")
        .expect("int64 position_ids buffer");
    assert_eq!(pos.shape, vec![1, 64]);
    assert_eq!(pos.values, (0..64).map(|i| i as f32).collect::<Vec<_>>());
    // fp16 subnormals are multiples of 2^-24
    let rel = assert_rounded(&got, &want, 10, 2f32.powi(-25));
    eprintln!("fp16: max relative rounding {rel:.3e}");
    assert!(rel > 0.0, "the fp16 values should differ from the f32 ones");
    // and load_dir builds the model from it (position_ids is a known, unused buffer)
    let dev = models::select_device(None).expect("device");
    let f32_lm = load_dir(&fixture(""), &dev).expect("f32 dir");
    let dir = dir_with_bin(&std::fs::read(fixture("pytorch_model.fp16-nested.bin")).unwrap());
    let lm = load_dir(dir.path(), &dev).expect("fp16 dir");
    let ids = some_ids(&f32_lm);
    let d = max_abs_diff(&logits(&lm, &ids), &logits(&f32_lm, &ids));
    eprintln!("fp16 vs f32 logits: max abs difference {d:.3e}");
    assert!(d < 0.05, "{d}");
}

#[test]
fn bf16_checkpoint_in_the_legacy_container_reads() {
    let want = TensorFile::read_pytorch(&fixture("pytorch_model.bin")).expect("f32");
    let got =
        TensorFile::read_pytorch(&fixture("pytorch_model.bf16-legacy.bin")).expect("bf16 legacy");
    assert_eq!(got.tensors.len(), want.tensors.len());
    // bf16 has f32's exponent range: no subnormal floor needed
    let rel = assert_rounded(&got, &want, 7, 0.0);
    eprintln!("bf16: max relative rounding {rel:.3e}");
    assert!(rel > 0.0, "the bf16 values should differ from the f32 ones");
    let dev = models::select_device(None).expect("device");
    let dir = dir_with_bin(&std::fs::read(fixture("pytorch_model.bf16-legacy.bin")).unwrap());
    let lm = load_dir(dir.path(), &dev).expect("bf16 dir");
    assert!(matches!(lm.model, LmModel::BertClassifier(_)));
}

#[test]
fn model_safetensors_is_preferred_when_both_files_are_there() {
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&fixture(""), &dev).expect("load");
    // a broken pytorch_model.bin beside a good model.safetensors is never opened
    let dir = dir_with_bin(b"not a checkpoint");
    lm.model
        .export()
        .file
        .write(&dir.path().join("model.safetensors"))
        .unwrap();
    let back = load_dir(dir.path(), &dev).expect("safetensors first");
    assert_identical(&back.model.export().file, &lm.model.export().file);
}

#[test]
fn corrupt_pytorch_model_bin_is_a_checkpoint_error_naming_the_file() {
    let good = std::fs::read(fixture("pytorch_model.bin")).unwrap();
    let dev = models::select_device(None).expect("device");
    let check = |what: &str, bytes: &[u8], needle: Option<&str>| {
        let dir = dir_with_bin(bytes);
        match load_dir(dir.path(), &dev).unwrap_err() {
            Error::Checkpoint { path, msg } => {
                assert_eq!(path, dir.path().join("pytorch_model.bin"), "{what}");
                if let Some(n) = needle {
                    assert!(msg.contains(n), "{what}: {msg}");
                }
                eprintln!("{what}: {msg}");
            }
            e => panic!("{what}: unexpected {e}"),
        }
    };
    check("empty", &[], None);
    check(
        "not a checkpoint",
        b"definitely not a pickle or a zip",
        None,
    );
    check("truncated to half", &good[..good.len() / 2], None);
    check("truncated by one byte", &good[..good.len() - 1], None);
    // one flipped byte inside a tensor's storage: the zip entry's CRC fails on read
    let w = TensorFile::read_pytorch(&fixture("pytorch_model.bin")).unwrap();
    let bytes: Vec<u8> = w.tensors["classifier.weight"]
        .values
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let at = good
        .windows(bytes.len())
        .position(|win| win == bytes.as_slice())
        .expect("classifier.weight bytes in the file");
    let mut bad = good.clone();
    bad[at + bytes.len() / 2] ^= 0x40;
    check("flipped storage byte", &bad, Some("classifier.weight"));
}

#[test]
#[ignore = "reads ../shared"]
fn bin_tensors_equal_the_oracle_safetensors_exactly() {
    let want = TensorFile::read(&oracle("bert").join("seqcls/model.safetensors")).expect("oracle");
    let got = TensorFile::read_pytorch(&fixture("pytorch_model.bin")).expect("bin");
    assert_identical(&got, &want);
    // and through load_dir: the model built from the .bin exports the oracle's tensors
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&fixture(""), &dev).expect("load");
    assert_identical(&lm.model.export().file, &want);
}

#[test]
#[ignore = "reads ../shared"]
fn bin_checkpoint_reproduces_the_oracle_logits() {
    let r = reference("bert");
    let dev = models::select_device(None).expect("device");
    let lm = load_dir(&fixture(""), &dev).expect("load");
    let out = lm.model.forward(
        int2(&r["input_ids"], &dev),
        int2(&r["attention_mask"], &dev),
        Collect::default(),
    );
    closet(
        "last_hidden_state",
        out.encoder.last_hidden_state,
        &r["last_hidden_state"],
    );
    closet(
        "classification_logits",
        out.logits.expect("logits"),
        &r["classification_logits"],
    );
    // the vocab.txt beside the .bin gives the oracle's ids
    same_ids(&lm, &r["seqs"], &r["input_ids"], &r["attention_mask"], &[]);
}
