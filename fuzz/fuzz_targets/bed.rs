//! BED regions from memory ([`BedReader`]), then [`extract_bed`] of the same BED against a
//! small in-memory genome.
#![no_main]
use genome_io::bed::{BedReader, extract_bed};
use genome_io::fasta::InMemoryGenome;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for r in BedReader::new(data, "fuzz.bed").take(10_000) {
        if r.is_err() {
            break;
        }
    }
    let g =
        InMemoryGenome::from_records([("chr1", "ACGTACGTNNacgtAAAACCCCGGGGTTTT"), ("c", "ACG")])
            .expect("fixed genome");
    let mut out = Vec::new();
    let _ = extract_bed(&g, BedReader::new(data, "fuzz.bed"), &mut out);
});
