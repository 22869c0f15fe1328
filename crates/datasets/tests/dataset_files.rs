//! GUE CSV and DNABERT k-mer TSV round trips, the real DNABERT file, and malformed input.
#![allow(clippy::unwrap_used)]

use datasets::dataset::{
    Example, read_csv, read_dataset_file, read_kmer_tsv, write_csv, write_csv_file, write_kmer_tsv,
    write_kmer_tsv_file,
};
use datasets::error::DatasetError;
use proptest::prelude::*;

proptest! {
    #[test]
    fn round_trips(seqs in proptest::collection::vec(("[ACGTN]{1,80}", 0u32..4), 0..20), k in 1usize..7) {
        let ex: Vec<Example> = seqs.into_iter().map(|(sequence, label)| Example { sequence, label }).collect();
        let mut csv = Vec::new();
        write_csv(&mut csv, &ex).unwrap();
        prop_assert_eq!(&read_csv(&csv[..], "m").unwrap(), &ex);
        // k-mer TSV keeps sequences of length >= k exactly.
        let long: Vec<Example> = ex.iter().filter(|e| e.sequence.len() >= k).cloned().collect();
        let mut tsv = Vec::new();
        write_kmer_tsv(&mut tsv, &long, k).unwrap();
        let (back, kk) = read_kmer_tsv(&tsv[..], "m").unwrap();
        prop_assert_eq!(&back, &long);
        if !long.is_empty() { prop_assert_eq!(kk, k); }
    }
}

#[test]
fn malformed_lines_name_the_line() {
    let cases: [(&str, u64); 6] = [
        ("seq,label\nACGT,1\n", 1),
        ("sequence,label\nACGT,1\nACGT\n", 3),
        ("sequence,label\nACGT,1\r\nAC-T,0\n", 3),
        ("sequence,label\nACGT,x\n", 2),
        ("sequence,label\n\nACGT,1,2\n", 3),
        ("sequence,label\n,1\n", 2),
    ];
    for (data, line) in cases {
        match read_csv(data.as_bytes(), "in.csv") {
            Err(datasets::Error::Dataset(DatasetError::Record { line: l, path, .. })) => {
                assert_eq!(l, line, "{data:?}");
                assert_eq!(path.to_str(), Some("in.csv"));
            }
            other => panic!("{data:?}: expected DatasetRecord, got {other:?}"),
        }
    }
    let tsv: [(&str, u64); 4] = [
        ("sequence\tlabel\nACG CGT\t1\nACG GTA\t0\n", 3),
        ("sequence\tlabel\nACG CG\t1\n", 2),
        ("sequence\tlabel\nACG CGT\t1\nACGT CGTA\t1\n", 3),
        ("seq\tlabel\nACG\t1\n", 1),
    ];
    for (data, line) in tsv {
        match read_kmer_tsv(data.as_bytes(), "in.tsv") {
            Err(datasets::Error::Dataset(DatasetError::Record { line: l, .. })) => {
                assert_eq!(l, line, "{data:?}")
            }
            other => panic!("{data:?}: expected DatasetRecord, got {other:?}"),
        }
    }
    assert!(read_csv(&b""[..], "e").is_err());
}

#[test]
fn files_are_written_atomically_and_read_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let ex = vec![
        Example {
            sequence: "ACGTACGT".into(),
            label: 1,
        },
        Example {
            sequence: "TTTTGGGG".into(),
            label: 0,
        },
    ];
    write_csv_file(dir.path().join("a.csv"), &ex).unwrap();
    write_kmer_tsv_file(dir.path().join("a.tsv"), &ex, 3).unwrap();
    assert_eq!(read_dataset_file(dir.path().join("a.csv")).unwrap(), ex);
    assert_eq!(read_dataset_file(dir.path().join("a.tsv")).unwrap(), ex);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary files left"
    );
    assert!(read_dataset_file(dir.path().join("a.txt")).is_err());
}
