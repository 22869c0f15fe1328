//! A bgzip FASTA with `.fai` and `.gzi` (input: `FLAGS FASTA SEP FAI SEP GZI`).
//!
//! Flag bit 0: compress the FASTA part with a BGZF writer (blocks of a few bytes, so that the
//! `.gzi` has entries) instead of taking it as raw (possibly corrupt) BGZF bytes. Bit 1: build
//! both indexes ([`BgzfFasta::open`] without index files) instead of reading the given ones.
#![no_main]
use std::io::Write;

use genome_io::fasta::{BgzfFasta, build_gzi};
use libfuzzer_sys::fuzz_target;

fn bgzf(text: &[u8], block: usize) -> Vec<u8> {
    let mut w = noodles::bgzf::io::Writer::new(Vec::new());
    for chunk in text.chunks(block.max(1)) {
        w.write_all(chunk).expect("in-memory write");
        w.flush().expect("in-memory flush");
    }
    w.finish().expect("in-memory finish")
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let parts = seq2expr_fuzz::split_parts(rest, 3);
    let gz = if flags & 1 == 1 {
        bgzf(parts[0], usize::from(flags >> 2) + 1)
    } else {
        parts[0].to_vec()
    };
    let p = seq2expr_fuzz::write_file("g.fa.gz", &gz);
    let opened = if flags & 2 == 2 {
        seq2expr_fuzz::remove_file("g.fa.gz.fai");
        seq2expr_fuzz::remove_file("g.fa.gz.gzi");
        let _ = build_gzi(&p);
        BgzfFasta::open(&p)
    } else {
        let fai = seq2expr_fuzz::write_file("g.fa.gz.fai", parts[1]);
        let gzi = seq2expr_fuzz::write_file("g.fa.gz.gzi", parts[2]);
        BgzfFasta::open_with_indexes(&p, &fai, &gzi)
    };
    if let Ok(g) = opened {
        seq2expr_fuzz::probe_source(&g);
    }
});
