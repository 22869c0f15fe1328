//! Safetensors files from memory ([`models::lm::weights::TensorFile::parse`]): the 8-byte header
//! length, the JSON header, dtypes, shapes and offsets, and the tensor bytes.
#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(f) = models::lm::weights::TensorFile::parse(data, Path::new("fuzz.safetensors")) {
        let _ = f.shapes();
    }
});
