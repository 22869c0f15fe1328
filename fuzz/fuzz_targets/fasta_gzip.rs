//! FASTA from a file whose format (plain, gzip, bgzip) is detected by magic bytes
//! ([`InMemoryGenome::from_path`]; the seeds are gzip members), then a few fetches.
#![no_main]
use genome_io::fasta::InMemoryGenome;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = seq2expr_fuzz::write_file("in.fa.gz", data);
    if let Ok(g) = InMemoryGenome::from_path(&p) {
        seq2expr_fuzz::probe_source(&g);
    }
});
