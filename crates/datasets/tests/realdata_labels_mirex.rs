//! Real data from ../shared/data: percentile labels of HPA expression joined to GENCODE v36, and
//! miREx vectors from the Denzler et al. miRNA table and the TargetScan 7 sample output. Values
//! are re-derived here with a separate, minimal parser.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Read};
use std::path::PathBuf;

use datasets::labels::{
    ExpressionClass, JoinKey, PercentileRule, balance_by_downsampling, join_to_annotation,
    label_by_percentile,
};
use datasets::mirex::{MirnaExpression, TargetWeight, mirex_features, read_mirna_expression};
use genome_io::expression::{
    ColumnSelection, DuplicatePolicy, MissingValues, TableOptions, open_maybe_gz, open_table,
};
use genome_io::targetscan::{TargetScanOptions, open_targetscan};

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
