//! miREx vectors from a TargetScan matrix and miRNA expression, on inline data.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use datasets::mirex::{MirnaExpression, TargetWeight, mirex_features};
use genome_io::expression::DuplicatePolicy;
use genome_io::targetscan::{TargetScanOptions, read_targetscan};

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
fn targeted_weight_differs_from_score_only_in_value() {
    let (m, _) = read_targetscan(
        SUMMARY.as_bytes(),
        "sc.txt".as_ref(),
        &TargetScanOptions::default(),
    )
    .unwrap();
    let e = MirnaExpression::from_pairs(
        [
            ("hsa-miR-21-5p", 10.0),
            ("hsa-miR-1-3p", 2.0),
            ("hsa-miR-9-5p", 1.0),
        ],
        DuplicatePolicy::Error,
    )
    .unwrap();
    let genes = ["ENST00000000233", "ENST00000000412", "ENST_UNKNOWN"];
    let s = mirex_features(&m, &genes, &e, TargetWeight::Score);
    assert_eq!(s.mirnas, ["hsa-mir-21", "hsa-mir-1", "hsa-mir-9"]);
    let want = [-0.08 * 10.0, -0.2 * 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    for (g, w) in s.values.iter().zip(want) {
        assert!((g - w).abs() < 1e-12, "{:?}", s.values);
    }
    assert_eq!((s.genes_without_targets, s.mirnas_not_in_targets), (1, 1));
    let t = mirex_features(&m, &genes, &e, TargetWeight::Targeted);
    assert_eq!(
        t.values,
        vec![10.0, 2.0, 0.0, 10.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    );
}
