//! GTF annotation from memory ([`read_gtf_with`], both detail levels).
#![no_main]
use std::path::Path;

use genome_io::annotation::{Detail, read_gtf_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let detail = if flags & 1 == 1 {
        Detail::Full
    } else {
        Detail::Spans
    };
    let _ = read_gtf_with(rest, Path::new("fuzz.gtf"), detail);
});
