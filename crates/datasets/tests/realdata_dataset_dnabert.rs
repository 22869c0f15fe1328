//! DNABERT's real prom-core dev file (../shared/data/dnabert-prom-core-dev): the k-mer TSV reader
//! must rebuild exactly the plain sequences of `dev.seq.tsv.gz` (derived independently, see that
//! folder's PROVENANCE.md), and writing 6-mers back must give the original data lines byte for
//! byte (the original has CRLF line ends and the header `sequence  label`; ours LF and a tab).
#![allow(clippy::unwrap_used)]

use std::io::Read;
use std::path::PathBuf;

use datasets::dataset::{read_dataset_file, write_kmer_tsv};

fn shared() -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn dnabert_kmer_tsv_matches_plain_sequences_and_round_trips() {
    let dir = shared().join("data/dnabert-prom-core-dev");
    let kmers = read_dataset_file(dir.join("dev.6mer.tsv.gz")).unwrap();
    let plain = read_dataset_file(dir.join("dev.seq.tsv.gz")).unwrap();
    assert_eq!(kmers.len(), 5919);
    assert_eq!(kmers, plain);
    assert_eq!(kmers.iter().filter(|e| e.label == 1).count(), 2915);
    let mut original = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(dir.join("dev.6mer.tsv.gz")).unwrap())
        .read_to_end(&mut original)
        .unwrap();
    let mut out = Vec::new();
    write_kmer_tsv(&mut out, &kmers, 6).unwrap();
    let original = String::from_utf8(original).unwrap().replace('\r', "");
    let out = String::from_utf8(out).unwrap();
    assert_eq!(
        out.lines().skip(1).collect::<Vec<_>>(),
        original.lines().skip(1).collect::<Vec<_>>()
    );
}
