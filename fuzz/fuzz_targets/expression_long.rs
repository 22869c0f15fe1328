//! Long (gene, sample, value) expression tables from memory ([`read_long`]), HPA layout by
//! default, a fill value for missing cells when the first byte is odd.
#![no_main]
use std::path::Path;

use genome_io::expression::{LongOptions, Summary, read_long};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let opts = LongOptions {
        strip_version: f & 2 == 2,
        fill_missing: (f & 1 == 1).then_some(0.0),
        ..Default::default()
    };
    if let Ok(t) = read_long(rest, Path::new("fuzz.tsv"), &opts) {
        let _ = t.summarize(Summary::Mean);
    }
});
