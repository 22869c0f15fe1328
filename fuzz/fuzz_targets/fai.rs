//! A FASTA and its `.fai` (input: `FASTA SEP FAI`): [`read_fai`], then
//! [`IndexedFasta::open_with_fai`] and fetches through the index; also [`build_fai`] on the FASTA.
#![no_main]
use genome_io::fasta::{IndexedFasta, build_fai, read_fai};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts = seq2expr_fuzz::split_parts(data, 2);
    let fa = seq2expr_fuzz::write_file("g.fa", parts[0]);
    let fai = seq2expr_fuzz::write_file("g.fa.fai", parts[1]);
    let _ = read_fai(&fai);
    if let Ok(g) = IndexedFasta::open_with_fai(&fa, &fai) {
        seq2expr_fuzz::probe_source(&g);
    }
    let _ = build_fai(&fa);
});
