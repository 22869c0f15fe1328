//! TargetScan readers on inline data and malformed fixtures; miRNA name normalisation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::PathBuf;

use genome_io::targetscan::{
    TargetScanLayout, TargetScanOptions, normalize_mirna_name, open_targetscan, read_targetscan,
};
use genome_io::{Error, TableError, TargetScanError};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/malformed/tables"
    ))
    .join(name)
}

#[test]
fn mirna_names_as_mirex() {
    for (raw, want) in [
        ("hsa-miR-21-5p", "hsa-mir-21"),
        ("hsa-miR-21-3p", "hsa-mir-21"),
        ("hsa-let-7a-5p", "hsa-let-7a"),
        ("hsa-miR-199a-3p", "hsa-mir-199a"),
        ("hsa-miR-4521", "hsa-mir-4521"),
        ("mmu-miR-1a-1-5p", "mmu-mir-1a-1"),
        ("hsa-miR-3p", "hsa-mir"), // miREx's str.replace removes the text anywhere
        (" HSA-MIR-155-5P ", "hsa-mir-155"),
    ] {
        assert_eq!(normalize_mirna_name(raw), want, "{raw}");
    }
}

/// TargetScan 8.0 `Summary_Counts.default_predictions.txt` header (column names as published on
/// targetscan.org's download page); the rows are made up for the test.
const SUMMARY: &str = "Transcript ID\tGene Symbol\tmiRNA family\tSpecies ID\tTotal num conserved sites\t\
Number of conserved 8mer sites\tNumber of conserved 7mer-m8 sites\tNumber of conserved 7mer-1a sites\t\
Total num nonconserved sites\tNumber of nonconserved 8mer sites\tNumber of nonconserved 7mer-m8 sites\t\
Number of nonconserved 7mer-1a sites\tNumber of 6mer sites\tRepresentative miRNA\tTotal context++ score\t\
Cumulative weighted context++ score\tAggregate PCT\tPrevious TargetScan publication(s)\n\
ENST00000000233.5\tARF5\tmiR-1-3p/206\t9606\t1\t0\t1\t0\t0\t0\t0\t0\t0\thsa-miR-1-3p\t-0.21\t-0.2\t0.3\t\n\
ENST00000000233.5\tARF5\tmiR-21-5p\t9606\t0\t0\t0\t0\t1\t0\t1\t0\t0\thsa-miR-21-5p\t-0.1\t-0.08\tNULL\t\n\
ENST00000000412.3\tM6PR\tmiR-21-5p\t9606\t0\t0\t0\t0\t1\t1\t0\t0\t0\thsa-miR-21-5p\t-0.3\tNULL\t0.1\t\n\
ENST00000000412.3\tM6PR\tmiR-21-5p\t10090\t0\t0\t0\t0\t1\t1\t0\t0\t0\tmmu-miR-21a-5p\t-0.3\t-0.25\t0.1\t\n";

#[test]
fn summary_counts_layout() {
    let (m, stats) = read_targetscan(
        SUMMARY.as_bytes(),
        "sc.txt".as_ref(),
        &TargetScanOptions::default(),
    )
    .unwrap();
    assert_eq!(stats.layout, Some(TargetScanLayout::SummaryCounts));
    assert_eq!(
        (
            stats.rows,
            stats.kept,
            stats.other_species,
            stats.missing_scores
        ),
        (4, 3, 1, 1)
    );
    assert_eq!(m.genes(), ["ENST00000000233", "ENST00000000412"]);
    assert_eq!(m.score("ENST00000000233", "hsa-mir-1"), Some(-0.2));
    assert_eq!(m.score("ENST00000000233.5", "hsa-mir-21"), Some(-0.08));
    // NULL score: targeted (one row) with score 0
    let e = m.entry("ENST00000000412", "hsa-mir-21").unwrap();
    assert_eq!((e.score, e.sites), (0.0, 1));
    // keyed by gene symbol and miRNA family instead
    let opts = TargetScanOptions {
        gene_column: Some("Gene Symbol".into()),
        mirna_column: Some("miRNA family".into()),
        species: None,
        ..Default::default()
    };
    let (m, _) = read_targetscan(SUMMARY.as_bytes(), "sc.txt".as_ref(), &opts).unwrap();
    assert_eq!(m.score("M6PR", "mir-21"), Some(-0.25));
    assert_eq!(m.entry("M6PR", "mir-21").unwrap().sites, 2);
}

#[test]
fn malformed_targetscan_tables() {
    match open_targetscan(
        &fixture("targetscan_no_score.txt"),
        &TargetScanOptions::default(),
    ) {
        Err(Error::TargetScan(TargetScanError::Header { msg, .. })) => {
            assert!(msg.contains("weighted context++ score"), "{msg}")
        }
        r => panic!("{r:?}"),
    }
    match open_targetscan(
        &fixture("targetscan_bad_score.txt"),
        &TargetScanOptions::default(),
    ) {
        Err(Error::Table(TableError::NonNumeric {
            line,
            column,
            value,
            ..
        })) => assert_eq!((line, column, value.as_str()), (3, 4, "strong")),
        r => panic!("{r:?}"),
    }
    // species filter on a file without a species column
    let no_species = "Gene ID\tmiRNA\tweighted context++ score\nG\thsa-miR-1\t-0.1\n";
    let e = read_targetscan(
        no_species.as_bytes(),
        "x".as_ref(),
        &TargetScanOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::TargetScan(TargetScanError::Header { .. })),
        "{e:?}"
    );
    let ok = TargetScanOptions {
        species: None,
        ..Default::default()
    };
    assert!(read_targetscan(no_species.as_bytes(), "x".as_ref(), &ok).is_ok());
    let ragged = "Gene ID\tmiRNA\tweighted context++ score\nG\thsa-miR-1\n";
    let e = read_targetscan(ragged.as_bytes(), "x".as_ref(), &ok).unwrap_err();
    assert!(
        matches!(e, Error::Table(TableError::RaggedRow { line: 2, .. })),
        "{e:?}"
    );
}
