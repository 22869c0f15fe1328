//! Plain FASTA read from memory ([`InMemoryGenome::from_reader`]), then a few fetches.
#![no_main]
use genome_io::fasta::{FastaOptions, InMemoryGenome};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(g) = InMemoryGenome::from_reader(data) {
        seq2expr_fuzz::probe_source(&g);
        let g = g.with_options(&FastaOptions {
            uppercase: true,
            ..Default::default()
        });
        seq2expr_fuzz::probe_source(&g);
    }
});
