//! Every file in tests/fixtures/malformed/gtf gives a typed error naming the file, the 1-based
//! line and what was wrong — never a panic, never a partial annotation.

use std::path::PathBuf;

use genome_io::annotation::{Detail, read_annotation, read_annotation_with};
use genome_io::error::AnnotationErrorKind as K;
use genome_io::{AnnotationError, Error};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/malformed/gtf"
    ))
    .join(name)
}

fn fail(name: &str) -> (u64, K, String) {
    let path = fixture(name);
    // The spans-only reader validates the same lines and must fail the same way.
    let spans = read_annotation_with(&path, Detail::Spans).map(|a| a.genes.len());
    let full = read_annotation(&path);
    assert_eq!(
        spans.map_err(|e| e.to_string()),
        full.as_ref()
            .map(|a| a.genes.len())
            .map_err(ToString::to_string),
        "{name}: Detail::Spans and Detail::Full disagree"
    );
    match full {
        Ok(a) => panic!("{name}: parsed {} genes instead of failing", a.genes.len()),
        Err(e @ Error::Annotation(AnnotationError::Record { .. })) => {
            let msg = e.to_string();
            let Error::Annotation(AnnotationError::Record {
                path: p,
                line,
                kind,
            }) = e
            else {
                unreachable!()
            };
            assert_eq!(p, path, "{name}: error names the file");
            assert!(
                msg.starts_with(&format!("{}:{line}: ", path.display())),
                "{msg}"
            );
            (line, kind, msg)
        }
        Err(e) => panic!("{name}: unexpected error {e:?}"),
    }
}

#[test]
fn too_few_columns() {
    let (line, kind, _) = fail("too_few_columns.gtf");
    assert_eq!((line, kind), (4, K::TooFewColumns { found: 8 }));
    let (line, kind, _) = fail("gff3_too_few_columns.gff3");
    assert_eq!((line, kind), (3, K::TooFewColumns { found: 5 }));
}

#[test]
fn start_after_end() {
    assert_eq!(fail("start_after_end.gtf").0..=4, 4..=4);
    assert_eq!(
        fail("start_after_end.gtf").1,
        K::StartAfterEnd {
            start: 300,
            end: 200
        }
    );
    assert_eq!(
        fail("gff3_start_after_end.gff3").1,
        K::StartAfterEnd {
            start: 900,
            end: 100
        }
    );
    assert_eq!(fail("gff3_start_after_end.gff3").0, 2);
}

#[test]
fn non_numeric_or_non_positive_coordinates() {
    let cases = [
        ("non_numeric_start.gtf", "start", "abc"),
        ("non_numeric_end.gtf", "end", "2e5"),
        ("zero_start.gtf", "start", "0"),
        ("negative_start.gtf", "start", "-5"),
    ];
    for (file, column, value) in cases {
        let (line, kind, msg) = fail(file);
        assert_eq!(line, 4, "{file}");
        assert_eq!(
            kind,
            K::BadCoordinate {
                column,
                value: value.into()
            },
            "{file}"
        );
        assert!(msg.contains(value), "{msg}");
    }
}

#[test]
fn unknown_or_missing_strand() {
    assert_eq!(fail("unknown_strand.gtf").0, 4);
    assert_eq!(fail("unknown_strand.gtf").1, K::BadStrand("x".into()));
    assert_eq!(fail("unstranded_exon.gtf").1, K::BadStrand(".".into()));
}

#[test]
fn missing_ids() {
    assert_eq!(
        fail("missing_gene_id_on_gene.gtf"),
        (
            2,
            K::MissingAttribute("gene_id"),
            fail("missing_gene_id_on_gene.gtf").2
        )
    );
    assert_eq!(fail("missing_gene_id_on_transcript.gtf").0, 3);
    assert_eq!(
        fail("missing_gene_id_on_transcript.gtf").1,
        K::MissingAttribute("gene_id")
    );
    assert_eq!(fail("missing_transcript_id.gtf").0, 4);
    assert_eq!(
        fail("missing_transcript_id.gtf").1,
        K::MissingAttribute("transcript_id")
    );
    assert_eq!(fail("gff3_gene_without_id.gff3").0, 3);
    assert_eq!(
        fail("gff3_gene_without_id.gff3").1,
        K::MissingAttribute("ID")
    );
    assert_eq!(fail("gff3_exon_without_parent.gff3").0, 4);
    assert_eq!(
        fail("gff3_exon_without_parent.gff3").1,
        K::MissingAttribute("Parent")
    );
}

#[test]
fn exon_of_an_unknown_transcript() {
    let (line, kind, msg) = fail("exon_of_unknown_transcript.gtf");
    assert_eq!(line, 5);
    assert_eq!(
        kind,
        K::UnknownTranscript {
            feature: "exon".into(),
            transcript: "T9".into()
        }
    );
    assert!(msg.contains("T9"), "{msg}");
    // GFF3: the blank line 4 still counts, so the exon is line 5.
    let (line, kind, _) = fail("gff3_exon_unknown_parent.gff3");
    assert_eq!(line, 5);
    assert_eq!(
        kind,
        K::UnknownTranscript {
            feature: "exon".into(),
            transcript: "transcript:T2".into()
        }
    );
}

#[test]
fn malformed_attributes() {
    let (line, kind, _) = fail("unterminated_quote.gtf");
    assert_eq!(line, 4);
    assert!(matches!(kind, K::BadAttributes(_)), "{kind:?}");
}

#[test]
fn inconsistent_records() {
    for file in ["exon_on_other_strand.gtf", "exon_on_other_chrom.gtf"] {
        let (line, kind, _) = fail(file);
        assert_eq!(line, 4, "{file}");
        assert!(matches!(kind, K::Inconsistent(_)), "{file}: {kind:?}");
    }
    let (line, kind, msg) = fail("transcript_changes_gene.gtf");
    assert_eq!(line, 5);
    assert!(
        matches!(kind, K::Inconsistent(_)) && msg.contains("G2"),
        "{msg}"
    );
}

#[test]
fn truncated_gzip_is_an_io_error_naming_the_file() {
    let path = fixture("truncated.gtf.gz");
    match read_annotation(&path) {
        Err(Error::Io { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn there_are_at_least_twelve_fixtures() {
    let n = std::fs::read_dir(fixture("")).expect("dir").count();
    assert!(n >= 12, "{n}");
}
