//! Property tests: for random genomes written with random line widths and `\n` or `\r\n`, the
//! indexed (plain and bgzip) readers and the stream reader serve exactly what an in-memory
//! genome built from the same `(name, sequence)` pairs serves, for random ranges.

use std::io::Write;
use std::path::Path;

use genome_io::fasta::{
    BgzfFasta, FastaOptions, InMemoryGenome, IndexedFasta, SequenceSource, open_fasta, write_fai,
};
use proptest::prelude::*;

/// Writes records as FASTA with `width` bases per line and the given line terminator.
fn to_fasta(records: &[(String, Vec<u8>)], width: usize, eol: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, seq) in records {
        out.extend_from_slice(format!(">{name} some description{eol}").as_bytes());
        for line in seq.chunks(width) {
            out.extend_from_slice(line);
            out.extend_from_slice(eol.as_bytes());
        }
    }
    out
}

fn bgzip(data: &[u8], path: &Path) -> std::io::Result<()> {
    let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(path)?);
    // Small blocks so that fetches cross block boundaries.
    for chunk in data.chunks(97) {
        w.write_all(chunk)?;
        w.flush()?;
    }
    w.finish().map(drop)
}

fn genome() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let base = proptest::sample::select(b"ACGTNacgtnRY".to_vec());
    proptest::collection::vec(proptest::collection::vec(base, 1..400), 1..5).prop_map(|seqs| {
        seqs.into_iter()
            .enumerate()
            .map(|(i, s)| (format!("chr{i}"), s))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn indexed_readers_equal_in_memory(
        records in genome(),
        width in 1usize..90,
        crlf in any::<bool>(),
        ranges in proptest::collection::vec((0usize..5, any::<u64>(), any::<u64>()), 1..40),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let reference = InMemoryGenome::from_records(records.clone())?;
        let text = to_fasta(&records, width, eol);
        let dir = tempfile::tempdir()?;
        let fa = dir.path().join("g.fa");
        std::fs::write(&fa, &text)?;
        let built = IndexedFasta::open(&fa)?; // index built in memory
        write_fai(&fa)?;
        let with_fai = IndexedFasta::open(&fa)?; // index read from disk
        let bgz = dir.path().join("g.fa.bgz");
        bgzip(&text, &bgz)?;
        let bgzf = BgzfFasta::open(&bgz)?;
        let streamed = InMemoryGenome::from_reader(&text[..])?;
        let opened = open_fasta(&bgz, &FastaOptions::default())?;
        let sources: [&dyn SequenceSource; 5] = [&built, &with_fai, &bgzf, &streamed, &opened];
        for src in sources {
            prop_assert_eq!(src.names(), reference.names());
        }
        for (k, a, b) in ranges {
            let (name, seq) = &records[k % records.len()];
            let len = seq.len() as u64;
            let (s, e) = (a % (len + 1), b % (len + 1));
            let (s, e) = (s.min(e), s.max(e));
            let expected = reference.fetch(name, s, e)?;
            prop_assert_eq!(&expected[..], &seq[s as usize..e as usize]);
            for src in sources {
                prop_assert_eq!(src.seq_len(name), Some(len));
                prop_assert_eq!(&src.fetch(name, s, e)?, &expected);
                // 1-based closed view of the same range.
                if s < e {
                    prop_assert_eq!(&src.fetch_one_based(name, s + 1, e)?, &expected);
                }
                prop_assert!(src.fetch(name, s, len + 1).is_err());
            }
        }
    }
}
