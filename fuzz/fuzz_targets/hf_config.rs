//! HF `config.json` files from memory: JSON, then [`models::lm::auto::parse_config`] (family
//! detection, typed config, validation) and the derived sizes.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok((_, cfg)) = models::lm::auto::parse_config(&v, Path::new("fuzz/config.json")) {
        let _ = (
            cfg.vocab_size(),
            cfg.pad_id(),
            cfg.max_len(),
            cfg.hidden_size(),
            cfg.labels(),
        );
    }
});
