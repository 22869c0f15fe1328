//! Oracle tests against ../shared/oracles/tokenize (HF transformers/tokenizers outputs).

use seqenc::tokenizer::{
    Bpe, BpeTrainConfig, CaseMode, DnaBert, EncodeOptions, Padding, Span, Tokenizer,
};
use serde_json::Value;
use std::path::PathBuf;

fn shared() -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

fn oracle(rel: &str) -> PathBuf {
    shared().join("oracles/tokenize").join(rel)
}

fn json(rel: &str) -> Value {
    let s = std::fs::read_to_string(oracle(rel)).expect("oracle file readable");
    serde_json::from_str(&s).expect("oracle json")
}

fn ids(v: &Value) -> Vec<u32> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_u64().expect("id") as u32)
        .collect()
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn dnabert_all_kmer_cases_both_case_modes() {
    let d = json("dnabert_kmer_cases.json");
    let mut n = 0;
    for k in 3..=6usize {
        let by = &d["by_k"][k.to_string()];
        let vocab_file = oracle(by["vocab_file"].as_str().expect("vocab_file"));
        let as_is = DnaBert::from_vocab_file(&vocab_file, k, CaseMode::AsIs).expect("vocab loads");
        let upper = DnaBert::new(k, CaseMode::Upper).expect("built vocab");
        assert_eq!(
            as_is.vocab_size(),
            by["vocab_size"].as_u64().expect("size") as usize
        );
        // the built vocabulary is the file's, token for token
        assert_eq!(
            as_is.vocab().tokens(),
            DnaBert::new(k, CaseMode::AsIs)
                .expect("built")
                .vocab()
                .tokens()
        );
        for c in by["cases"].as_array().expect("cases") {
            let seq = c["seq"].as_str().expect("seq").as_bytes();
            let name = c["name"].as_str().expect("name");
            let e = as_is.encode(seq).expect("encode");
            assert_eq!(e.ids, ids(&c["ids"]), "k={k} case {name}");
            assert_eq!(e.attention_mask, vec![1; e.len()]);
            assert_eq!(
                as_is.encode_raw(seq).expect("raw").ids,
                ids(&c["ids_no_special"]),
                "k={k} {name}"
            );
            let toks: Vec<String> = e
                .ids
                .iter()
                .map(|&i| as_is.id_to_token(i).expect("token"))
                .collect();
            let want: Vec<String> = c["tokens"]
                .as_array()
                .expect("tokens")
                .iter()
                .map(|t| t.as_str().expect("t").to_string())
                .collect();
            assert_eq!(toks, want, "k={k} {name}");
            assert_eq!(
                upper.encode(seq).expect("encode").ids,
                ids(&c["ids_upper"]),
                "upper k={k} {name}"
            );
            // spans: specials None, k-mer i covers [i, i+k)
            assert_eq!(e.spans[0], None);
            assert_eq!(e.spans[e.len() - 1], None);
            for (i, s) in e.spans[1..e.len() - 1].iter().enumerate() {
                assert_eq!(
                    *s,
                    Some(Span {
                        start: i,
                        end: i + k
                    })
                );
            }
            n += 1;
        }
    }
    assert_eq!(n, 100);
    for (kmer, id) in d["spot_ids"].as_object().expect("spot ids") {
        let t = DnaBert::new(kmer.len(), CaseMode::AsIs).expect("built");
        assert_eq!(
            t.vocab().id(kmer),
            Some(id.as_u64().expect("id") as u32),
            "{kmer}"
        );
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn wordlevel_tokenizer_json_is_rejected_as_wrong_model() {
    let err = Bpe::from_file(&oracle("kmer3_wordlevel_tokenizer.json"))
        .expect_err("WordLevel is not BPE");
    assert!(err.to_string().contains("WordLevel"), "{err}");
}

fn bpe_cases(t: &Bpe, enc: &Value) {
    for c in enc["cases"].as_array().expect("cases") {
        let seq = c["seq"].as_str().expect("seq");
        let name = c["name"].as_str().expect("name");
        let e = t.encode(seq.as_bytes()).expect("encode");
        assert_eq!(e.ids, ids(&c["ids"]), "case {name}");
        assert_eq!(
            t.encode_raw(seq.as_bytes()).expect("raw").ids,
            ids(&c["ids_no_special"]),
            "{name}"
        );
        let mask: Vec<u8> = ids(&c["attention_mask"])
            .into_iter()
            .map(|x| x as u8)
            .collect();
        assert_eq!(e.attention_mask, mask, "{name}");
        let offs = c["offsets"].as_array().expect("offsets");
        for (i, o) in offs.iter().enumerate() {
            let (a, b) = (
                o[0].as_u64().expect("a") as usize,
                o[1].as_u64().expect("b") as usize,
            );
            let special = i == 0 || i == offs.len() - 1;
            let want = (!special).then_some(Span { start: a, end: b });
            assert_eq!(e.spans[i], want, "{name} token {i}");
        }
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn bpe_every_case_and_padded_batch() {
    let t = Bpe::from_file(&oracle("bpe4096/tokenizer.json")).expect("tokenizer.json loads");
    assert_eq!(t.vocab_size(), 4096);
    let enc = json("bpe4096/encodings.json");
    bpe_cases(&t, &enc);
    let pb = &enc["padded_batch"];
    let seqs: Vec<&str> = pb["seqs"]
        .as_array()
        .expect("seqs")
        .iter()
        .map(|s| s.as_str().expect("s"))
        .collect();
    let opts = EncodeOptions {
        max_len: None,
        padding: Padding::Longest,
    };
    let batch = t.encode_batch(&seqs, &opts).expect("batch");
    for (i, e) in batch.iter().enumerate() {
        assert_eq!(e.ids, ids(&pb["ids"][i]), "row {i}");
        let mask: Vec<u8> = ids(&pb["attention_mask"][i])
            .into_iter()
            .map(|x| x as u8)
            .collect();
        assert_eq!(e.attention_mask, mask, "row {i}");
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn bpe_retrained_on_the_oracle_corpus_saves_and_reloads() {
    use std::io::Read;
    let gz = std::fs::File::open(oracle("bpe4096/train_corpus.txt.gz")).expect("corpus");
    let mut text = String::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .expect("gunzip");
    let t = Bpe::train(text.lines(), &BpeTrainConfig::default()).expect("train");
    assert_eq!(t.vocab_size(), 4096);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("tokenizer.json");
    t.save(&path).expect("save");
    let back = Bpe::from_file(&path).expect("reload");
    let enc = json("bpe4096/encodings.json");
    for c in enc["cases"].as_array().expect("cases") {
        let s = c["seq"].as_str().expect("seq").as_bytes();
        assert_eq!(
            back.encode(s).expect("enc").ids,
            t.encode(s).expect("enc").ids
        );
    }
    // Same library version, same corpus and trainer settings as the oracle: same encodings.
    bpe_cases(&back, &enc);
}
