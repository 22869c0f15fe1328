//! Wide, GCT, long and gzip tables on inline data; values checked against the text itself.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::io::Write;

use genome_io::expression::{
    ColumnSelection, Delimiter, DuplicatePolicy, LongOptions, Summary, TableOptions, open_table,
    read_gct, read_long, read_table,
};
use genome_io::{Error, TableError};

const TSV: &str = "gene_id\tsymbol\tliver\tbrain\tlung\n\
ENSG00000000003.15\tTSPAN6\t28.6\t2.5\t33\n\
\n\
ENSG00000000005.6\tTNMD\t0\t1e-1\t-2.5\r\n";

#[test]
fn tsv_with_names_versions_and_crlf() {
    let opts = TableOptions {
        name_column: Some(1),
        ..Default::default()
    };
    let t = read_table(TSV.as_bytes(), "t.tsv".as_ref(), &opts).unwrap();
    assert_eq!(t.gene_ids(), ["ENSG00000000003.15", "ENSG00000000005.6"]);
    assert_eq!(t.column_names(), ["liver", "brain", "lung"]);
    assert_eq!(t.row(1), [0.0, 0.1, -2.5]);
    assert_eq!(t.gene_names().unwrap(), ["TSPAN6", "TNMD"]);
    let stripped = read_table(
        TSV.as_bytes(),
        "t.tsv".as_ref(),
        &TableOptions {
            strip_version: true,
            ..opts
        },
    )
    .unwrap();
    assert_eq!(
        stripped.row_of("ENSG00000000003"),
        Some(&[28.6, 2.5, 33.0][..])
    );
    assert_eq!(stripped.row_of("ENSG00000000003.15"), None);
}

#[test]
fn csv_quoted_and_column_selection() {
    let csv =
        "\"id\",\"Symbol\",nTPM_liver,FPKM_LIHC,nTPM_brain\n\"g,1\",A,1,100,2\ng2,\"B\",3,300,4\n";
    let opts = TableOptions {
        skip_columns: vec![1],
        columns: ColumnSelection::Prefix("nTPM_".into()),
        ..Default::default()
    };
    let t = read_table(csv.as_bytes(), "t.csv".as_ref(), &opts).unwrap();
    assert_eq!(t.column_names(), ["nTPM_liver", "nTPM_brain"]);
    assert_eq!(t.row_of("g,1"), Some(&[1.0, 2.0][..]));
    let by_name = TableOptions {
        columns: ColumnSelection::Names(vec!["FPKM_LIHC".into()]),
        ..Default::default()
    };
    let t = read_table(csv.as_bytes(), "t.csv".as_ref(), &by_name).unwrap();
    assert_eq!(t.values(), [100.0, 300.0]);
}

#[test]
fn headerless_table_with_indices() {
    let data =
        "ENSG1\tENSMUSG1\tortholog_one2one\t1.5\t-0.5\nENSG2\tENSMUSG2\tortholog_one2one\t0\t2\n";
    let opts = TableOptions {
        has_header: false,
        columns: ColumnSelection::Indices(vec![4, 3]),
        delimiter: Delimiter::Tab,
        ..Default::default()
    };
    let t = read_table(data.as_bytes(), "o.txt".as_ref(), &opts).unwrap();
    assert_eq!(t.column_names(), ["column_5", "column_4"]);
    assert_eq!(t.row_of("ENSG1"), Some(&[-0.5, 1.5][..]));
}

#[test]
fn duplicates_error_sum_mean() {
    let data = "g\ta\tb\nx.1\t1\t2\ny\t5\t5\nx.2\t3\t6\n";
    let strip = TableOptions {
        strip_version: true,
        ..Default::default()
    };
    let e = read_table(data.as_bytes(), "d.tsv".as_ref(), &strip).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Table(TableError::DuplicateId {
                line: 4,
                first_line: 2,
                ..
            })
        ),
        "{e:?}"
    );
    let sum = read_table(
        data.as_bytes(),
        "d.tsv".as_ref(),
        &TableOptions {
            duplicates: DuplicatePolicy::Sum,
            ..strip.clone()
        },
    )
    .unwrap();
    assert_eq!(sum.gene_ids(), ["x", "y"]);
    assert_eq!(sum.row_of("x"), Some(&[4.0, 8.0][..]));
    let mean = read_table(
        data.as_bytes(),
        "d.tsv".as_ref(),
        &TableOptions {
            duplicates: DuplicatePolicy::Mean,
            ..strip
        },
    )
    .unwrap();
    assert_eq!(mean.row_of("x"), Some(&[2.0, 4.0][..]));
    assert_eq!(mean.row_of("y"), Some(&[5.0, 5.0][..]));
}

#[test]
fn summaries() {
    let data = "g\ta\tb\tc\ng1\t3\t1\t2\ng2\t10\t0\t2\n";
    let t = read_table(data.as_bytes(), "s.tsv".as_ref(), &TableOptions::default()).unwrap();
    assert_eq!(t.summarize(Summary::Median), vec![2.0, 2.0]);
    assert_eq!(t.summarize(Summary::Mean), vec![2.0, 4.0]);
}

#[test]
fn gct_and_gz_by_path() {
    let gct = "#1.2\n3\t2\nName\tDescription\tAdipose\tLiver\n\
ENSG1.4\tA\t1.5\t0\nENSG2.1\tB\t2\t3\nENSG3.9\tC\t0.25\t8\n";
    let t = read_gct(
        gct.as_bytes(),
        "x.gct".as_ref(),
        &TableOptions {
            strip_version: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(t.gene_ids(), ["ENSG1", "ENSG2", "ENSG3"]);
    assert_eq!(t.column(1), vec![0.0, 3.0, 8.0]);
    // the same GCT gzip-compressed, found by name and content
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.gct.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&p).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(gct.as_bytes()).unwrap();
    gz.finish().unwrap();
    let t2 = open_table(
        &p,
        &TableOptions {
            strip_version: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(t, t2);
}

#[test]
fn long_format_pivot() {
    let data = "Gene,Gene name,Tissue,nTPM\nENSG1.1,A,liver,1\nENSG2.1,B,liver,2\nENSG1.1,A,brain,3\nENSG2.1,B,brain,4\n";
    let opts = LongOptions {
        strip_version: true,
        ..Default::default()
    };
    let t = read_long(data.as_bytes(), "l.csv".as_ref(), &opts).unwrap();
    assert_eq!(t.gene_ids(), ["ENSG1", "ENSG2"]);
    assert_eq!(t.column_names(), ["liver", "brain"]);
    assert_eq!(t.values(), [1.0, 3.0, 2.0, 4.0]);
    assert_eq!(t.gene_names().unwrap(), ["A", "B"]);
}
