//! Every malformed table in tests/fixtures/malformed/tables gives its typed error and line.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::PathBuf;

use genome_io::expression::{LongOptions, TableOptions, open_long, open_table};
use genome_io::{Error, TableError};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/malformed/tables"
    ))
    .join(name)
}

fn read(name: &str) -> Error {
    match open_table(&fixture(name), &TableOptions::default()) {
        Ok(t) => panic!(
            "{name}: expected an error, got a {}x{} table",
            t.n_genes(),
            t.n_columns()
        ),
        Err(e) => e,
    }
}

#[test]
fn ragged_row() {
    match read("ragged_row.tsv") {
        Error::Table(TableError::RaggedRow {
            line,
            expected,
            found,
            path,
        }) => {
            assert_eq!((line, expected, found), (3, 3, 2));
            assert!(path.ends_with("ragged_row.tsv"));
        }
        e => panic!("wrong error {e:?}"),
    }
}

#[test]
fn duplicate_id_names_both_lines() {
    let e = read("duplicate_id.tsv");
    match &e {
        Error::Table(TableError::DuplicateId {
            line,
            first_line,
            id,
            ..
        }) => {
            assert_eq!((*line, *first_line, id.as_str()), (4, 2, "g1"));
        }
        e => panic!("wrong error {e:?}"),
    }
    let msg = e.to_string();
    assert!(msg.contains(":4:") && msg.contains("line 2"), "{msg}");
}

#[test]
fn non_numeric_value() {
    match read("non_numeric.csv") {
        Error::Table(TableError::NonNumeric {
            line,
            column,
            column_name,
            value,
            ..
        }) => {
            assert_eq!(
                (line, column, column_name.as_str(), value.as_str()),
                (3, 3, "s2", "high")
            );
        }
        e => panic!("wrong error {e:?}"),
    }
}

#[test]
fn nan_and_infinite_values() {
    for f in ["nan_value.tsv", "inf_value.tsv"] {
        match read(f) {
            Error::Table(TableError::NonFinite { line, column, .. }) => {
                assert_eq!((line, column), (2, 3), "{f}")
            }
            e => panic!("{f}: wrong error {e:?}"),
        }
    }
}

#[test]
fn empty_and_header_only() {
    for f in ["empty.tsv", "header_only.tsv"] {
        assert!(
            matches!(read(f), Error::Table(TableError::Empty { .. })),
            "{f}"
        );
    }
}

#[test]
fn bad_gct_headers() {
    for (f, want_line) in [
        ("bad_gct_version.gct", 1),
        ("bad_gct_dims.gct", 2),
        ("bad_gct_rowcount.gct", 2),
        ("bad_gct_header_cols.gct", 3),
    ] {
        match read(f) {
            Error::Table(TableError::GctHeader { line, .. }) => assert_eq!(line, want_line, "{f}"),
            e => panic!("{f}: wrong error {e:?}"),
        }
    }
}

#[test]
fn long_format_duplicate_and_missing_cells() {
    let opts = LongOptions {
        name_column: None,
        ..Default::default()
    };
    match open_long(&fixture("long_duplicate_cell.tsv"), &opts) {
        Err(Error::Table(TableError::DuplicateCell {
            line,
            first_line,
            gene,
            column,
            ..
        })) => {
            assert_eq!(
                (line, first_line, gene.as_str(), column.as_str()),
                (4, 2, "g1", "liver")
            );
        }
        r => panic!("wrong result {r:?}"),
    }
    match open_long(&fixture("long_missing_cell.tsv"), &opts) {
        Err(Error::Table(TableError::MissingCell {
            missing,
            gene,
            column,
            ..
        })) => {
            assert_eq!(
                (missing, gene.as_str(), column.as_str()),
                (1, "g2", "brain")
            );
        }
        r => panic!("wrong result {r:?}"),
    }
    // the same file is accepted when missing cells are filled explicitly
    let filled = LongOptions {
        fill_missing: Some(0.0),
        ..opts
    };
    let t = open_long(&fixture("long_missing_cell.tsv"), &filled).unwrap();
    assert_eq!(t.row_of("g2"), Some(&[3.0, 0.0][..]));
}

#[test]
fn missing_requested_column() {
    let opts = TableOptions {
        columns: genome_io::expression::ColumnSelection::Names(vec!["nope".into()]),
        ..Default::default()
    };
    let e = open_table(&fixture("duplicate_id.tsv"), &opts).unwrap_err();
    assert!(
        matches!(e, Error::Table(TableError::MissingColumn { ref column, .. }) if column == "nope"),
        "{e:?}"
    );
}
