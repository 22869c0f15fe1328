//! Real data from ../shared/data: expression tables, percentile labels joined to GENCODE v36,
//! TargetScan 7 sample output and the Denzler et al. miRNA table. Expected shapes come from the
//! data sets' PROVENANCE.md; values are re-derived here with a separate, minimal parser.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use genome_io::expression::{ColumnSelection, MissingValues, Summary, TableOptions, open_table};
use genome_io::targetscan::{TargetScanLayout, TargetScanOptions, open_targetscan};

fn shared() -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

fn data(rel: &str) -> PathBuf {
    shared().join("data").join(rel)
}

/// Independent reader: all lines of a (gzip) text file, split on `delim`, `\r` trimmed.
fn raw_rows(rel: &str, delim: char) -> Vec<Vec<String>> {
    let f = std::fs::File::open(data(rel)).unwrap();
    let mut text = String::new();
    if rel.ends_with(".gz") {
        flate2::read::MultiGzDecoder::new(f)
            .read_to_string(&mut text)
            .unwrap();
    } else {
        BufReader::new(f).read_to_string(&mut text).unwrap();
    }
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty())
        .map(|l| l.split(delim).map(str::to_owned).collect())
        .collect()
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn geuvadis_counts_shape_and_values() {
    let t = open_table(
        &data("geuvadis-lcl-85-counts/humanGender_counts.genes_x_samples.tsv.gz"),
        &TableOptions::default(),
    )
    .unwrap();
    assert_eq!((t.n_genes(), t.n_columns()), (10_101, 85));
    assert_eq!(t.column_names()[0], "NA20502");
    // PROVENANCE: integer counts, median 510, max 285,004
    let mut all = t.values().to_vec();
    all.sort_by(f64::total_cmp);
    assert_eq!(all[all.len() - 1], 285_004.0);
    assert_eq!(all[all.len() / 2], 510.0);
    // every cell equals the text, parsed independently
    let raw = raw_rows(
        "geuvadis-lcl-85-counts/humanGender_counts.genes_x_samples.tsv.gz",
        '\t',
    );
    for row in &raw[1..] {
        let got = t.row_of(&row[0]).unwrap();
        let want: Vec<f64> = row[1..]
            .iter()
            .map(|v| v.parse::<i64>().unwrap() as f64)
            .collect();
        assert_eq!(got, &want[..], "{}", row[0]);
    }
    // median label of the first gene, by hand
    let mut first: Vec<f64> = raw[1][1..].iter().map(|v| v.parse().unwrap()).collect();
    first.sort_by(f64::total_cmp);
    assert_eq!(t.summarize(Summary::Median)[0], first[42]);
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn xpresso_orthologs_headerless() {
    let opts = TableOptions {
        has_header: false,
        skip_columns: vec![1, 2],
        ..Default::default()
    };
    let t = open_table(
        &data("xpresso-labels/1to1_orthologs_expression.txt.gz"),
        &opts,
    )
    .unwrap();
    assert_eq!((t.n_genes(), t.n_columns()), (15_348, 2));
    assert_eq!(t.column_names(), ["column_4", "column_5"]);
    assert_eq!(
        t.row_of("ENSG00000000005"),
        Some(&[-0.481486060122112, -0.950781977329818][..])
    );
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn hpa_tcga_and_cell_types() {
    let p = data("hpa-tcga-tissue-expression/pan-cancer-expression.csv.gz");
    let base = TableOptions {
        name_column: Some(1),
        missing: MissingValues::DropRow,
        ..Default::default()
    };
    // 771 genes have an empty cell somewhere (counted with awk); by default that is an error
    let strict = open_table(
        &p,
        &TableOptions {
            name_column: Some(1),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            strict,
            genome_io::Error::Table(genome_io::TableError::NonNumeric {
                line: 2132,
                column: 5,
                ..
            })
        ),
        "{strict:?}"
    );
    let all = open_table(&p, &base).unwrap();
    assert_eq!(
        (all.n_genes(), all.n_columns(), all.dropped_rows()),
        (19_784 - 771, 83, 771)
    );
    let filled = open_table(
        &p,
        &TableOptions {
            missing: MissingValues::Fill(0.0),
            ..base.clone()
        },
    )
    .unwrap();
    assert_eq!(filled.n_genes(), 19_784);
    let ntpm = open_table(
        &p,
        &TableOptions {
            columns: ColumnSelection::Prefix("nTPM_".into()),
            ..base.clone()
        },
    )
    .unwrap();
    assert_eq!(
        ntpm.dropped_rows(),
        700,
        "700 genes lack an nTPM value (awk)"
    );
    let fpkm = open_table(
        &p,
        &TableOptions {
            columns: ColumnSelection::Prefix("FPKM_".into()),
            ..base.clone()
        },
    )
    .unwrap();
    assert_eq!((ntpm.n_columns(), fpkm.n_columns()), (50, 33));
    assert_eq!(ntpm.gene_names().unwrap()[0], "TSPAN6");
    assert_eq!(ntpm.row_of("ENSG00000000003").unwrap()[0], 28.6);
    let cells = open_table(
        &data("hpa-tcga-tissue-expression/hpa-cell-type-expression.csv.gz"),
        &base,
    )
    .unwrap();
    assert_eq!((cells.n_genes(), cells.n_columns()), (20_082, 81));
}

/// Column positions in Targets.BL_PCT.context_scores.txt (header checked below).
const GENE: usize = 0;
const SPECIES: usize = 1;
const MIRBASE: usize = 2;
const WEIGHTED: usize = 30;

/// miREx's rule re-derived by tokens: lower-case, split on `-` and `.`, drop `3p`/`5p` tokens.
fn arm_free(name: &str) -> String {
    let l = name.to_lowercase();
    l.split(['-', '.'])
        .filter(|t| *t != "3p" && *t != "5p")
        .collect::<Vec<_>>()
        .join("-")
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn targetscan_context_scores_sample() {
    let rel = "targetscan7-sample/test/output/Targets.BL_PCT.context_scores.txt";
    let raw = raw_rows(rel, '\t');
    assert_eq!(raw[0][WEIGHTED], "weighted context++ score");
    assert_eq!(
        (
            raw[0][GENE].as_str(),
            raw[0][SPECIES].as_str(),
            raw[0][MIRBASE].as_str()
        ),
        ("Gene ID", "Species ID", "Mirbase ID")
    );
    for species in [9606u32, 10090] {
        let opts = TargetScanOptions {
            species: Some(species),
            ..Default::default()
        };
        let (m, stats) = open_targetscan(&data(rel), &opts).unwrap();
        assert_eq!(stats.layout, Some(TargetScanLayout::ContextScores));
        assert_eq!(stats.rows, 675);
        let mut want: HashMap<(String, String), (f64, u32)> = HashMap::new();
        for r in raw[1..]
            .iter()
            .filter(|r| r[SPECIES] == species.to_string())
        {
            let e = want
                .entry((r[GENE].clone(), arm_free(&r[MIRBASE])))
                .or_insert((0.0, 0));
            e.0 += r[WEIGHTED].parse::<f64>().unwrap();
            e.1 += 1;
        }
        assert_eq!(
            stats.kept,
            want.values().map(|v| v.1 as usize).sum::<usize>()
        );
        assert_eq!(m.nnz(), want.len());
        for ((g, mir), (s, n)) in &want {
            let e = m.entry(g, mir).unwrap_or_else(|| panic!("{g} {mir}"));
            assert!((e.score - s).abs() < 1e-9, "{g} {mir}: {} vs {s}", e.score);
            assert_eq!(e.sites, *n);
        }
    }
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn shared_dir_is_readable() {
    let f = std::fs::File::open(data("geuvadis-lcl-85-counts/humanGender_samples.tsv")).unwrap();
    assert!(BufReader::new(f).lines().count() > 85);
}
