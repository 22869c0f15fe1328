//! HF `tokenizer.json` files from memory ([`Bpe::from_json`]), then encoding and decoding a short
//! sequence.
#![no_main]
use libfuzzer_sys::fuzz_target;
use seqenc::tokenizer::{Bpe, Tokenizer};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = Bpe::from_json(text, "fuzz/tokenizer.json") {
        if let Ok(e) = t.encode_raw(b"ACGTNACGTACGTTTGACCAGGA") {
            let _ = t.decode(&e.ids);
        }
        let _ = t.decode(&[0, 1, 2, 3, 1000, u32::MAX]);
        let _ = (t.wrap_ids(), t.special_tokens(), t.vocab_size());
    }
});
