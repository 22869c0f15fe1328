//! Real data from ../shared/data: expression tables, percentile labels joined to GENCODE v36,
//! TargetScan 7 sample output and the Denzler et al. miRNA table. Expected shapes come from the
//! data sets' PROVENANCE.md; values are re-derived here with a separate, minimal parser.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use genome_io::expression::{
    ColumnSelection, DuplicatePolicy, MissingValues, Summary, TableOptions, open_maybe_gz,
    open_table,
};
use genome_io::labels::{
    ExpressionClass, JoinKey, PercentileRule, balance_by_downsampling, join_to_annotation,
    label_by_percentile,
};
use genome_io::targetscan::{
    MirnaExpression, TargetScanLayout, TargetScanOptions, TargetWeight, mirex_features,
    open_targetscan, read_mirna_expression,
};

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
            genome_io::Error::TableNonNumeric {
                line: 2132,
                column: 5,
                ..
            }
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

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn hpa_high_low_labels_joined_to_gencode() {
    let p = data("hpa-tcga-tissue-expression/pan-cancer-expression.csv.gz");
    let opts = TableOptions {
        name_column: Some(1),
        columns: ColumnSelection::Prefix("nTPM_".into()),
        missing: MissingValues::DropRow,
        ..Default::default()
    };
    let t = open_table(&p, &opts).unwrap();
    let labels = label_by_percentile(&t, &PercentileRule::default()).unwrap();
    let (lo, _, hi) = labels.counts();
    assert!(lo > 100 && hi > 100, "low {lo}, high {hi}");
    // annotation: GENCODE v36 genes (gene_id column 10, gene_name column 12), parsed independently
    let gencode = raw_rows(
        "gencode-v36-genes/gencode.v36.annotation.genes.tsv.gz",
        '\t',
    );
    assert_eq!(gencode.len() - 1, 60_660);
    let annot: Vec<(String, String)> = gencode[1..]
        .iter()
        .map(|r| (r[9].clone(), r[11].clone()))
        .collect();
    let j = join_to_annotation(
        t.gene_ids(),
        annot.iter().map(|(a, b)| (a, b)),
        JoinKey::GeneId,
    )
    .unwrap();
    // independent count: unversioned ids present on both sides. GENCODE's 44 `ENSG….N_PAR_Y`
    // records (Y copies of pseudo-autosomal genes) keep their `_PAR_Y` tail and so never match.
    let table_ids: HashSet<&str> = t.gene_ids().iter().map(String::as_str).collect();
    let want = annot
        .iter()
        .filter(|(id, _)| {
            !id.ends_with("_PAR_Y") && table_ids.contains(id.split('.').next().unwrap())
        })
        .count();
    assert_eq!(j.report.matched_records, want);
    assert!(want > 15_000, "{want}");
    // binary labels of matched genes, balanced
    let binary: Vec<u8> = j
        .matches
        .iter()
        .filter_map(|m| match labels.classes[m.table_index] {
            ExpressionClass::High => Some(1),
            ExpressionClass::Low => Some(0),
            ExpressionClass::Middle => None,
        })
        .collect();
    let keep = balance_by_downsampling(&binary, 2024).unwrap();
    let ones = keep.iter().filter(|&&i| binary[i] == 1).count();
    assert_eq!(ones * 2, keep.len());
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
fn denzler_mirna_expression_and_mirex_vectors() {
    let rel = "xpresso-labels/mouseESC_GSE76288_miRNA_counts_Denzler.txt.gz";
    let col = "Embryonic_stem_cells,_Average_RPM";
    let reader = open_maybe_gz(&data(rel)).unwrap();
    let e = read_mirna_expression(reader, &data(rel), col, DuplicatePolicy::Sum).unwrap();
    let raw = raw_rows(rel, '\t');
    // 1,278 miRNAs: the file has 1,279 non-empty lines including its header (PROVENANCE.md says
    // "1,279 mouse miRNAs", which counts the header line).
    assert_eq!(raw.len() - 1, 1_278);
    let ci = raw[0].iter().position(|h| h == col).unwrap();
    let mut want: HashMap<String, f64> = HashMap::new();
    for r in &raw[1..] {
        *want.entry(arm_free(&r[0])).or_default() += r[ci].parse::<f64>().unwrap();
    }
    assert_eq!(e.len(), want.len());
    for (k, v) in &want {
        assert!((e.get(k).unwrap() - v).abs() < 1e-9, "{k}");
    }
    // strict policy rejects the merged arms
    let strict = read_mirna_expression(
        open_maybe_gz(&data(rel)).unwrap(),
        &data(rel),
        col,
        DuplicatePolicy::Error,
    );
    assert!(strict.is_err());

    // miREx vectors of the mouse genes of the TargetScan sample
    let ts = "targetscan7-sample/test/output/Targets.BL_PCT.context_scores.txt";
    let (m, _) = open_targetscan(
        &data(ts),
        &TargetScanOptions {
            species: Some(10090),
            ..Default::default()
        },
    )
    .unwrap();
    let genes = ["CDC2L6", "FNDC3A", "LIN28B", "NLRP1"];
    let f = mirex_features(&m, &genes, &e, TargetWeight::Score);
    let t = mirex_features(&m, &genes, &e, TargetWeight::Targeted);
    assert_eq!(f.genes_without_targets, 1, "NLRP1 has human sites only");
    let k = e.len();
    let ts_raw = raw_rows(ts, '\t');
    for (gi, g) in genes.iter().enumerate() {
        let mut sums: HashMap<String, f64> = HashMap::new();
        for r in ts_raw[1..]
            .iter()
            .filter(|r| r[SPECIES] == "10090" && r[GENE] == *g)
        {
            *sums.entry(arm_free(&r[MIRBASE])).or_default() += r[WEIGHTED].parse::<f64>().unwrap();
        }
        for (i, name) in e.names().iter().enumerate() {
            let expr = want[name];
            let score = sums.get(name).copied();
            let x = f.values[gi * k + i];
            assert!((x - score.unwrap_or(0.0) * expr).abs() < 1e-9, "{g} {name}");
            assert_eq!(
                t.values[gi * k + i],
                if score.is_some() { expr } else { 0.0 }
            );
        }
    }
    assert!(
        f.values.iter().any(|&v| v < 0.0),
        "some targeted, expressed miRNA"
    );
    let _ = MirnaExpression::default();
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn shared_dir_is_readable() {
    let f = std::fs::File::open(data("geuvadis-lcl-85-counts/humanGender_samples.tsv")).unwrap();
    assert!(BufReader::new(f).lines().count() > 85);
}
