//! `vocab.txt` files from memory ([`Vocab::read`]), then every tokenizer built on them (DNABERT
//! k = 3..=6, Nucleotide Transformer, characters) encoding and decoding a short sequence.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seqenc::tokenizer::{
    CaseMode, CharTokenizer, DnaBert, NucleotideTransformer, Tokenizer, vocab::Vocab,
};

fn exercise(t: &dyn Tokenizer, seq: &[u8]) {
    if let Ok(e) = t.encode_raw(seq) {
        let _ = t.decode(&e.ids);
    }
    let _ = t.decode(&[0, 1, 2, 3, 4, 5, 4095, 4106, u32::MAX]);
    let _ = (t.wrap_ids(), t.special_tokens(), t.vocab_size());
}

fuzz_target!(|data: &[u8]| {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let Ok(vocab) = Vocab::read(rest, "fuzz/vocab.txt") else {
        return;
    };
    let case = if f & 1 == 1 {
        CaseMode::Upper
    } else {
        CaseMode::AsIs
    };
    let seq = b"ACGTNacgtnRYACGTACGTTTGACCA";
    let k = 3 + usize::from((f >> 1) & 3);
    if let Ok(t) = DnaBert::from_vocab(vocab.clone(), k, case) {
        exercise(&t, seq);
    }
    if let Ok(t) = NucleotideTransformer::from_vocab(vocab.clone(), case) {
        exercise(&t, seq);
    }
    if let Ok(t) = CharTokenizer::from_vocab(vocab, case) {
        exercise(&t, seq);
    }
});
