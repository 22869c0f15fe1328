//! DNABERT k-mer TSV datasets from memory ([`datasets::dataset::read_kmer_tsv`]).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = datasets::dataset::read_kmer_tsv(data, "fuzz.tsv");
});
