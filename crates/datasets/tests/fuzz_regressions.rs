//! Inputs found by the fuzz harness (`fuzz/`, see docs/fuzzing.md), minimised by hand: each one
//! panicked before its fix and must now give a typed error.

use datasets::dataset::read_kmer_tsv;

/// `fuzz/kmer_tsv`: a first k-mer with a multi-byte character (`Ǽ` is 2 bytes, so `ǼG` has
/// "length" 3) made the overlap check slice the sequence inside that character.
#[test]
fn kmer_tsv_multibyte_first_kmer_is_an_error_not_a_panic() {
    let data = "sequence\tlabel\n\u{1fc}G CGT\t1\n";
    let err = read_kmer_tsv(data.as_bytes(), "k.tsv").unwrap_err();
    assert!(err.to_string().contains("k.tsv"), "{err}");
    // The same line with ASCII k-mers still reads.
    let (ex, k) = read_kmer_tsv("sequence\tlabel\nACG CGT\t1\n".as_bytes(), "k.tsv").unwrap();
    assert_eq!((ex[0].sequence.as_str(), k), ("ACGT", 3));
}
