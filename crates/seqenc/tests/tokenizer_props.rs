//! Property tests and typed-error tests for the tokenizers.

use proptest::prelude::*;
use seqenc::Error;
use seqenc::tokenizer::vocab::{Vocab, kmers_atcg};
use seqenc::tokenizer::{
    Bpe, CaseMode, CharTokenizer, DnaBert, EncodeOptions, Encoding, NucleotideTransformer, Padding,
    Tokenizer,
};

fn acgt(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[ACGT]{{0,{max}}}")).expect("regex")
}

fn any_dna(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[ACGTNacgtnRY]{{0,{max}}}")).expect("regex")
}

/// Spans of the non-special tokens, in token order.
fn spans(e: &Encoding) -> Vec<(usize, usize)> {
    e.spans.iter().flatten().map(|s| (s.start, s.end)).collect()
}

/// Non-overlapping tokenizers: spans tile `[0, len)` exactly, in order.
fn assert_tiles(e: &Encoding, len: usize) {
    let mut pos = 0;
    for (a, b) in spans(e) {
        assert_eq!(a, pos);
        assert!(b > a);
        pos = b;
    }
    assert_eq!(pos, len);
}

fn small_bpe() -> Bpe {
    let corpus = [
        "ACGTACGTTTGACAACGT",
        "TTTTACGTACGTNNAC",
        "GGGCGCGCATATATAT",
        "ACACACACGTGTGT",
    ];
    let cfg = seqenc::tokenizer::BpeTrainConfig {
        vocab_size: 30,
        ..Default::default()
    };
    Bpe::train(corpus.iter().copied(), &cfg).expect("train")
}

proptest! {
    #[test]
    fn dnabert_spans_cover_in_order_and_decode_roundtrips(s in acgt(700), k in 3usize..=6) {
        let t = DnaBert::new(k, CaseMode::AsIs).expect("tokenizer");
        let raw = t.encode_raw(s.as_bytes()).expect("encode");
        let sp = spans(&raw);
        for (i, &(a, b)) in sp.iter().enumerate() {
            prop_assert_eq!((a, b), (i, i + k));
        }
        if s.len() >= k {
            prop_assert_eq!(sp.last().map(|x| x.1), Some(s.len()));
            prop_assert_eq!(t.decode(&t.encode(s.as_bytes()).expect("enc").ids).expect("dec"), s.clone());
        }
        // chunks: each at most 512 tokens, together the raw tokens in order
        let chunks = t.encode_chunks(s.as_bytes(), 512).expect("chunks");
        let joined: Vec<u32> = chunks.iter().flat_map(|c| c.ids[1..c.len() - 1].to_vec()).collect();
        prop_assert_eq!(joined, raw.ids);
        prop_assert!(chunks.iter().all(|c| c.len() <= 512));
    }

    #[test]
    fn nt_char_bpe_spans_tile_the_sequence(s in any_dna(200)) {
        let nt = NucleotideTransformer::new(CaseMode::AsIs).expect("nt");
        assert_tiles(&nt.encode(s.as_bytes()).expect("nt"), s.len());
        let ch = CharTokenizer::new(CaseMode::AsIs).expect("char");
        assert_tiles(&ch.encode(s.as_bytes()).expect("char"), s.len());
        assert_tiles(&small_bpe().encode(s.as_bytes()).expect("bpe"), s.len());
    }

    #[test]
    fn nt_char_bpe_decode_roundtrips(s in acgt(200)) {
        let nt = NucleotideTransformer::new(CaseMode::AsIs).expect("nt");
        prop_assert_eq!(nt.decode(&nt.encode(s.as_bytes()).expect("e").ids).expect("d"), s.clone());
        let ch = CharTokenizer::new(CaseMode::AsIs).expect("char");
        prop_assert_eq!(ch.decode(&ch.encode(s.as_bytes()).expect("e").ids).expect("d"), s.clone());
        let b = small_bpe();
        prop_assert_eq!(b.decode(&b.encode(s.as_bytes()).expect("e").ids).expect("d"), s.clone());
    }

    #[test]
    fn truncation_and_padding(s in acgt(100), max in 2usize..40) {
        let t = DnaBert::new(3, CaseMode::AsIs).expect("t");
        let full = t.encode(s.as_bytes()).expect("e");
        let e = t.encode_with(s.as_bytes(), &EncodeOptions { max_len: Some(max), padding: Padding::Fixed(max) }).expect("e");
        prop_assert_eq!(e.len(), max);
        prop_assert_eq!(e.ids[0], 2);
        let real = e.attention_mask.iter().filter(|&&m| m == 1).count();
        prop_assert_eq!(real, full.len().min(max));
        prop_assert_eq!(e.ids[real - 1], 3); // [SEP] kept
    }
}

#[test]
fn nt_rule_restarts_grid_after_n_and_uses_single_nucleotides() {
    let t = NucleotideTransformer::new(CaseMode::AsIs).expect("nt");
    let v = t.vocab();
    let id = |s: &str| v.id(s).expect("token");
    // 8 bases -> one 6-mer + 2 singles; N; 7 bases -> one 6-mer + 1 single
    let e = t.encode(b"ACGTACGGNTTTTTTA").expect("e");
    let want = [
        id("<cls>"),
        id("ACGTAC"),
        id("G"),
        id("G"),
        id("N"),
        id("TTTTTT"),
        id("A"),
    ];
    assert_eq!(e.ids, want);
    assert_eq!(v.len(), 4107);
    assert_eq!(
        (id("<unk>"), id("<pad>"), id("<mask>"), id("<cls>")),
        (0, 1, 2, 3)
    );
    assert_eq!(
        (
            id("AAAAAA"),
            id("GGGGGG"),
            id("A"),
            id("N"),
            id("<eos>"),
            id("<bos>")
        ),
        (4, 4099, 4100, 4104, 4105, 4106)
    );
    let upper = NucleotideTransformer::new(CaseMode::Upper).expect("nt");
    assert_eq!(upper.encode(b"acgtacggnttttttA").expect("e").ids, want);
}

#[test]
fn dnabert_long_input_is_split_into_510_pieces_like_dnabert() {
    let t = DnaBert::new(6, CaseMode::AsIs).expect("t");
    for (n_kmers, pieces) in [(509usize, 1usize), (510, 2), (1019, 2), (1020, 3)] {
        let s = "ACGT".repeat(300)[..n_kmers + 5].to_string();
        let e = t.encode(s.as_bytes()).expect("e");
        assert_eq!(
            e.ids.iter().filter(|&&i| i == 2).count(),
            pieces,
            "{n_kmers}"
        );
        assert_eq!(e.len(), n_kmers + 2 * pieces);
    }
}

fn dnabert_tokens(k: usize) -> Vec<String> {
    let mut v: Vec<String> = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        .map(String::from)
        .to_vec();
    v.extend(kmers_atcg(k));
    v
}

#[test]
fn bad_vocabularies_are_typed_errors() {
    // missing special token
    let mut v = dnabert_tokens(3);
    v[4] = "[MASKX]".into();
    let r = DnaBert::from_vocab(Vocab::from_tokens(v, "t").expect("v"), 3, CaseMode::AsIs);
    assert!(
        matches!(r, Err(Error::MissingToken { ref token, .. }) if token == "[MASK]"),
        "{r:?}"
    );
    // duplicated special token (read from text: names the line)
    let mut v = dnabert_tokens(3);
    v[4] = "[CLS]".into();
    let r = Vocab::read(v.join("\n").as_bytes(), "vocab.txt");
    assert!(
        matches!(
            r,
            Err(Error::DuplicateToken {
                line: 5,
                first_line: 3,
                ..
            })
        ),
        "{r:?}"
    );
    // wrong size (an extra token)
    let mut v = dnabert_tokens(3);
    v.push("EXTRA".into());
    let r = DnaBert::from_vocab(Vocab::from_tokens(v, "t").expect("v"), 3, CaseMode::AsIs);
    assert!(
        matches!(
            r,
            Err(Error::VocabSize {
                expected: 69,
                found: 70,
                ..
            })
        ),
        "{r:?}"
    );
    // k-mer vocabulary of another k
    let r = DnaBert::from_vocab(
        Vocab::from_tokens(dnabert_tokens(4), "t").expect("v"),
        3,
        CaseMode::AsIs,
    );
    assert!(matches!(r, Err(Error::VocabSize { .. })), "{r:?}");
    assert!(matches!(
        DnaBert::new(7, CaseMode::AsIs),
        Err(Error::InvalidArgument(_))
    ));
    // missing file
    let r = DnaBert::from_vocab_file(
        std::path::Path::new("/nonexistent/vocab.txt"),
        3,
        CaseMode::AsIs,
    );
    assert!(matches!(r, Err(Error::Io { .. })), "{r:?}");
}

#[test]
fn bad_tokenizer_json_is_a_typed_error() {
    for bad in ["", "{", "{\"version\": \"1.0\"}", "[1, 2]"] {
        assert!(
            matches!(
                Bpe::from_json(bad, "x.json"),
                Err(Error::TokenizerJson { .. })
            ),
            "{bad:?}"
        );
    }
    let wordlevel = r#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":[],
      "normalizer":null,"pre_tokenizer":null,"post_processor":null,"decoder":null,
      "model":{"type":"WordLevel","vocab":{"[UNK]":0,"A":1},"unk_token":"[UNK]"}}"#;
    let r = Bpe::from_json(wordlevel, "w.json");
    assert!(
        matches!(r, Err(Error::TokenizerJson { ref message, .. }) if message.contains("WordLevel")),
        "{r:?}"
    );
}

#[test]
fn empty_training_corpus_and_bad_chunk_length_are_errors() {
    let r = Bpe::train(["", ""].iter().copied(), &Default::default());
    assert!(matches!(r, Err(Error::EmptySequence { .. })), "{r:?}");
    let t = DnaBert::new(3, CaseMode::AsIs).expect("t");
    assert!(matches!(
        t.encode_chunks(b"ACGT", 2),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(t.decode(&[99_999]), Err(Error::UnknownId { .. })));
    assert!(matches!(
        small_bpe().encode("ACGTé".as_bytes()),
        Err(Error::InvalidBase { pos: 4, .. })
    ));
}
