//! MEME reader on malformed input (each error names file, line and motif) and the writer's
//! round trip.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use evalkit::motifs::{Motif, read_meme, write_meme};
use evalkit::{Error, MemeProblem};

const HEAD: &str = "MEME version 5\n\nALPHABET= ACGT\n\nstrands: + -\n\n\
    Background letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n";

fn err(text: &str) -> (usize, Option<String>, MemeProblem) {
    match read_meme(text.as_bytes(), "bad.meme") {
        Err(Error::Meme {
            path,
            line,
            motif,
            problem,
        }) => {
            assert_eq!(path, "bad.meme");
            (line, motif, problem)
        }
        other => panic!("expected a MEME error, got {other:?}"),
    }
}

fn motif(rows: &str, w: usize) -> String {
    format!("MOTIF M1 alt\nletter-probability matrix: alength= 4 w= {w} nsites= 5 E= 0\n{rows}")
}

#[test]
fn good_file_with_two_motifs_and_urls() {
    let text = format!(
        "{HEAD}{}URL u1\n\nMOTIF M2\nletter-probability matrix: alength= 4 w= 1\n0.1 0.2 0.3 0.4\n",
        motif("0.5 0.5 0 0\n0 0 0.5 0.5\n", 2)
    );
    let f = read_meme(text.as_bytes(), "x").unwrap();
    assert_eq!(f.version.as_deref(), Some("5"));
    assert_eq!(f.strands.as_deref(), Some("+ -"));
    assert_eq!(f.motifs.len(), 2);
    assert_eq!(f.motifs[0].url.as_deref(), Some("u1"));
    assert_eq!(f.motifs[1].alt, None);
    assert_eq!(f.motifs[1].probs, vec![[0.1, 0.2, 0.3, 0.4]]);
}

#[test]
fn wrong_row_width() {
    let (line, m, p) = err(&format!("{HEAD}{}", motif("0.5 0.5 0 0\n0.5 0.5 0\n", 2)));
    assert_eq!((line, m.as_deref()), (13, Some("M1")));
    assert_eq!(
        p,
        MemeProblem::RowWidth {
            expected: 4,
            got: 3
        }
    );
}

#[test]
fn width_mismatch_names_the_header_line() {
    let (line, m, p) = err(&format!("{HEAD}{}\n", motif("0.5 0.5 0 0\n", 3)));
    assert_eq!((line, m.as_deref()), (11, Some("M1")));
    assert_eq!(
        p,
        MemeProblem::WidthMismatch {
            declared: 3,
            rows: 1
        }
    );
    let (_, _, p) = err(&format!("{HEAD}{}", motif("0.5 0.5 0 0\n0.5 0.5 0 0\n", 1)));
    assert_eq!(
        p,
        MemeProblem::WidthMismatch {
            declared: 1,
            rows: 2
        }
    );
}

#[test]
fn non_numeric_value() {
    let (line, _, p) = err(&format!("{HEAD}{}", motif("0.5 0.5 x 0\n", 1)));
    assert_eq!(line, 12);
    assert_eq!(p, MemeProblem::NotANumber("x".into()));
}

#[test]
fn row_sum_tolerance_is_one_percent() {
    // 0.995 passes (rounding), 0.98 does not
    read_meme(
        format!("{HEAD}{}", motif("0.333 0.333 0.329 0\n", 1)).as_bytes(),
        "ok",
    )
    .unwrap();
    let (line, _, p) = err(&format!("{HEAD}{}", motif("0.33 0.33 0.32 0\n", 1)));
    assert_eq!(line, 12);
    assert!(
        matches!(p, MemeProblem::RowSum(s) if (s - 0.98).abs() < 1e-12),
        "{p:?}"
    );
    let (_, _, p) = err(&format!("{HEAD}{}", motif("1.2 -0.2 0 0\n", 1)));
    assert_eq!(p, MemeProblem::BadProbability(1.2));
}

#[test]
fn missing_or_foreign_alphabet() {
    let no_alpha = HEAD.replace("ALPHABET= ACGT\n", "");
    let (line, m, p) = err(&format!("{no_alpha}{}", motif("0.25 0.25 0.25 0.25\n", 1)));
    assert_eq!(
        (line, m.as_deref(), p),
        (10, Some("M1"), MemeProblem::MissingAlphabet)
    );
    let protein = HEAD.replace("ACGT", "ACDEFGHIKLMNPQRSTVWY");
    let (line, _, p) = err(&format!("{protein}{}", motif("0.25 0.25 0.25 0.25\n", 1)));
    assert_eq!(line, 3);
    assert!(matches!(p, MemeProblem::UnsupportedAlphabet(_)));
}

#[test]
fn no_motif_and_motif_without_matrix() {
    assert_eq!(err(HEAD).2, MemeProblem::NoMotifs);
    let (line, m, p) = err(&format!("{HEAD}MOTIF lonely\n\n"));
    assert_eq!((line, m.as_deref()), (10, Some("lonely")));
    assert!(matches!(p, MemeProblem::BadMotif(_)));
    let bad_bg = HEAD.replace("T 0.25", "T x");
    assert_eq!(err(&bad_bg).2, MemeProblem::NotANumber("x".into()));
}

#[test]
fn error_message_names_file_line_and_motif() {
    let e = read_meme(
        format!("{HEAD}{}", motif("0.5 0.5 x 0\n", 1)).as_bytes(),
        "db/jaspar.meme",
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "db/jaspar.meme:12: motif M1: `x` is not a number"
    );
}

#[test]
fn writer_round_trips() {
    let mut m = Motif::new("c0", vec![[0.1, 0.2, 0.3, 0.4], [0.7, 0.1, 0.1, 0.1]]).unwrap();
    m.alt = Some("cluster 0 (12 seqlets)".into());
    m.nsites = Some(12.0);
    m.url = Some("http://example.org".into());
    let mut buf = Vec::new();
    write_meme(&mut buf, std::slice::from_ref(&m), [0.3, 0.2, 0.2, 0.3]).unwrap();
    let f = read_meme(buf.as_slice(), "w").unwrap();
    assert_eq!(f.motifs, vec![m]);
    assert_eq!(f.background, [0.3, 0.2, 0.2, 0.3]);
    assert!(write_meme(&mut Vec::new(), &[], [0.25; 4]).is_err());
}
