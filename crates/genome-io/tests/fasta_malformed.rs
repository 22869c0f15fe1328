//! Every malformed FASTA / `.fai` fixture gives its specific typed error, naming the file, and
//! never panics.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use genome_io::fasta::{FastaOptions, SequenceSource, open_fasta};
use genome_io::{Error, FastaError};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed/fasta")
}

/// Opens a fixture and fetches every record in full (some index errors only show on fetch).
fn open_and_read_all(path: &Path) -> genome_io::Result<()> {
    let g = open_fasta(path, &FastaOptions::default())?;
    for name in g.names() {
        let len = g.seq_len(&name).unwrap_or(0);
        g.fetch(&name, 0, len)?;
    }
    Ok(())
}

type Check = fn(&Error) -> bool;

/// (fixture, expected variant, 1-based line the error must name, if any).
const CASES: &[(&str, Check, Option<u64>)] = &[
    (
        "no_header.fa",
        |e| matches!(e, Error::Fasta(FastaError::NoHeader { .. })),
        Some(1),
    ),
    (
        "empty_file.fa",
        |e| matches!(e, Error::Fasta(FastaError::NoHeader { .. })),
        Some(1),
    ),
    (
        "binary_garbage.fa",
        |e| matches!(e, Error::Fasta(FastaError::NoHeader { .. })),
        Some(1),
    ),
    (
        "gzip_of_not_fasta.fa.gz",
        |e| matches!(e, Error::Fasta(FastaError::NoHeader { .. })),
        Some(1),
    ),
    (
        "empty_record.fa",
        |e| matches!(e, Error::Fasta(FastaError::EmptyRecord { name, .. }) if name == "chr2"),
        Some(3),
    ),
    (
        "duplicate_name.fa",
        |e| {
            matches!(e, Error::Fasta(FastaError::DuplicateName { name, first_line: 1, .. })
                if name == "chr1")
        },
        Some(5),
    ),
    (
        "empty_name.fa",
        |e| matches!(e, Error::Fasta(FastaError::EmptyName { .. })),
        Some(3),
    ),
    (
        "non_utf8_name.fa",
        |e| matches!(e, Error::Parse { .. }),
        Some(1),
    ),
    (
        "ragged_lines.fa",
        |e| matches!(e, Error::Fasta(FastaError::RaggedLines { .. })),
        Some(4),
    ),
    (
        "mixed_line_endings.fa",
        |e| matches!(e, Error::Fasta(FastaError::RaggedLines { .. })),
        Some(3),
    ),
    (
        "blank_line_inside.fa",
        |e| matches!(e, Error::Fasta(FastaError::RaggedLines { .. })),
        Some(4),
    ),
    (
        "space_in_sequence.fa",
        |e| matches!(e, Error::Fasta(FastaError::InvalidByte { byte: b' ', .. })),
        Some(3),
    ),
    (
        "fai_wrong_offset.fa",
        |e| matches!(e, Error::Fasta(FastaError::FaiMismatch { .. })),
        None,
    ),
    (
        "fai_wrong_width.fa",
        |e| matches!(e, Error::Fasta(FastaError::FaiMismatch { .. })),
        None,
    ),
    (
        "fai_too_long.fa",
        |e| matches!(e, Error::Fasta(FastaError::Truncated { .. })),
        None,
    ),
    (
        "fai_absurd_length.fa",
        |e| matches!(e, Error::Fasta(FastaError::Truncated { .. })),
        None,
    ),
    (
        "bgzf_fai_too_long.fa.gz",
        |e| matches!(e, Error::Fasta(FastaError::Truncated { .. })),
        None,
    ),
    (
        "fai_non_numeric.fa",
        |e| matches!(e, Error::Fasta(FastaError::FaiParse { .. })),
        Some(1),
    ),
    (
        "fai_too_few_fields.fa",
        |e| matches!(e, Error::Fasta(FastaError::FaiParse { .. })),
        Some(1),
    ),
    (
        "fai_zero_line_bases.fa",
        |e| matches!(e, Error::Fasta(FastaError::FaiParse { .. })),
        Some(1),
    ),
    (
        "truncated.fa.gz",
        |e| matches!(e, Error::Fasta(FastaError::Truncated { .. })),
        None,
    ),
    (
        "bgzf_no_eof_marker.fa.gz",
        |e| matches!(e, Error::Fasta(FastaError::Truncated { .. })),
        None,
    ),
];

#[test]
fn every_malformed_fixture_gives_its_typed_error() {
    let mut failures = Vec::new();
    for &(file, check, line) in CASES {
        let path = fixtures().join(file);
        let outcome = catch_unwind(AssertUnwindSafe(|| open_and_read_all(&path)));
        let msg = match outcome {
            Err(_) => format!("{file}: PANICKED"),
            Ok(Ok(())) => format!("{file}: opened without error"),
            Ok(Err(e)) if !check(&e) => format!("{file}: wrong variant: {e:?}"),
            Ok(Err(e)) => {
                let text = e.to_string();
                // The error names the FASTA (or its .fai, which shares the stem).
                let named = text.contains(file);
                let lined = line.is_none_or(|l| text.contains(&format!(":{l}:")));
                if named && lined {
                    continue;
                }
                format!("{file}: message lacks file or line {line:?}: {text}")
            }
        };
        failures.push(msg);
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_fixture_is_covered() {
    let listed: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(fixtures())
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_index = name.ends_with(".fai") || name.ends_with(".gzi") || name.ends_with(".md");
        if !is_index && !listed.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "fixtures without an expected error: {missing:?}"
    );
    assert!(CASES.len() >= 8);
}

#[test]
fn absent_name_suggests_chrom_alias_only_when_an_alias_exists() {
    let g = genome_io::fasta::InMemoryGenome::from_records([("9", "ACGT"), ("chrX", "AC")])
        .map_err(|e| e.to_string());
    let Ok(g) = g else { panic!("{g:?}") };
    for (name, hinted) in [("chr9", true), ("X", true), ("chr22", false)] {
        match g.fetch(name, 0, 1) {
            Err(e @ Error::Fasta(FastaError::UnknownSequence { .. })) => {
                assert_eq!(e.to_string().contains("--chrom-alias"), hinted, "{e}");
            }
            other => panic!("{name}: expected UnknownSequence, got {other:?}"),
        }
    }
}

#[test]
fn out_of_range_fetch_names_record_range_and_length() {
    let g = genome_io::fasta::InMemoryGenome::from_records([("chr1", "ACGTACGT")]);
    let Ok(g) = g else { panic!("{g:?}") };
    let err = g.fetch("chr1", 5, 9);
    assert!(
        matches!(
            &err,
            Err(Error::Fasta(FastaError::FetchOutOfRange { name, start: 5, end: 9, len: 8, .. }))
                if name == "chr1"
        ),
        "{err:?}"
    );
    assert!(matches!(
        g.fetch("chr1", 6, 5),
        Err(Error::Fasta(FastaError::FetchOutOfRange { .. }))
    ));
    assert!(matches!(
        g.fetch_one_based("chr1", 0, 3),
        Err(Error::InvalidArgument(_))
    ));
}
