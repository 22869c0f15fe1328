//! GCT expression tables from memory ([`read_gct`]).
#![no_main]
use std::path::Path;

use genome_io::expression::{DuplicatePolicy, MissingValues, Summary, TableOptions, read_gct};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let opts = TableOptions {
        strip_version: f & 1 == 1,
        duplicates: if f & 2 == 2 {
            DuplicatePolicy::Mean
        } else {
            DuplicatePolicy::Error
        },
        missing: if f & 4 == 4 {
            MissingValues::DropRow
        } else {
            MissingValues::Error
        },
        ..Default::default()
    };
    if let Ok(t) = read_gct(rest, Path::new("fuzz.gct"), &opts) {
        let _ = t.summarize(Summary::Median);
    }
});
