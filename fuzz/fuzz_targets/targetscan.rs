//! TargetScan tables from memory ([`read_targetscan`]): layout auto-detected or forced, species
//! filter on or off, by the first byte.
#![no_main]
use std::path::Path;

use genome_io::targetscan::{TargetScanLayout, TargetScanOptions, read_targetscan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let opts = TargetScanOptions {
        layout: [
            None,
            Some(TargetScanLayout::ContextScores),
            Some(TargetScanLayout::SummaryCounts),
            None,
        ][usize::from(f & 3)],
        species: (f & 4 == 4).then_some(9606),
        strip_version: f & 8 == 8,
        normalize_mirna: f & 16 == 16,
        ..Default::default()
    };
    if let Ok((m, _)) = read_targetscan(rest, Path::new("fuzz.txt"), &opts) {
        for i in 0..m.n_genes().min(4) {
            let _ = m.row(i);
        }
    }
});
