//! TF-IDF equals scikit-learn's TfidfVectorizer(analyzer='char') to 1e-12
//! (fixture made by scripts/gen_tfidf_fixture.py, see tests/fixtures/README.md).

use seqenc::sparse::CsrMatrix;
use seqenc::tfidf::{Norm, TfidfConfig, TfidfVectorizer};
use serde_json::Value;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("str").to_string())
        .collect()
}

fn check(m: &CsrMatrix, want: &Value, what: &str) {
    let u = |k: &str| -> Vec<u64> {
        want[k]
            .as_array()
            .expect(k)
            .iter()
            .map(|x| x.as_u64().expect("int"))
            .collect()
    };
    assert_eq!(
        m.indptr.iter().map(|&x| x as u64).collect::<Vec<_>>(),
        u("indptr"),
        "{what}"
    );
    assert_eq!(
        m.indices.iter().map(|&x| u64::from(x)).collect::<Vec<_>>(),
        u("indices"),
        "{what}"
    );
    let data: Vec<f64> = want["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|x| x.as_f64().expect("f"))
        .collect();
    assert_eq!(m.data.len(), data.len());
    for (a, b) in m.data.iter().zip(&data) {
        assert!((a - b).abs() <= 1e-12, "{what}: {a} vs {b}");
    }
}

#[test]
fn matches_scikit_learn() {
    let text = include_str!("fixtures/tfidf_sklearn.json");
    let fx: Value = serde_json::from_str(text).expect("fixture");
    let train = strings(&fx["train_docs"]);
    let test = strings(&fx["test_docs"]);
    let cases = fx["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 7);
    for c in cases {
        let k = &c["config"];
        let r = k["ngram_range"].as_array().expect("range");
        let cfg = TfidfConfig {
            ngram_range: (
                r[0].as_u64().expect("a") as usize,
                r[1].as_u64().expect("b") as usize,
            ),
            lowercase: k["lowercase"].as_bool().unwrap_or(true),
            norm: match k["norm"].as_str() {
                Some("l2") => Norm::L2,
                Some("l1") => Norm::L1,
                _ => Norm::None,
            },
            use_idf: k["use_idf"].as_bool().unwrap_or(true),
            smooth_idf: k["smooth_idf"].as_bool().unwrap_or(true),
            sublinear_tf: k["sublinear_tf"].as_bool().unwrap_or(false),
        };
        let what = format!("{k}");
        let (v, xtr) = TfidfVectorizer::fit_transform(&train, cfg).expect("fit");
        assert_eq!(
            v.vocabulary(),
            strings(&c["vocabulary"]).as_slice(),
            "{what}"
        );
        if let Some(idf) = c["idf"].as_array() {
            for (a, b) in v.idf().iter().zip(idf) {
                assert!((a - b.as_f64().expect("idf")).abs() <= 1e-12, "{what}");
            }
        }
        assert_eq!(
            (xtr.n_rows, xtr.n_cols),
            (train.len(), v.vocabulary().len())
        );
        check(&xtr, &c["train"], &what);
        check(&v.transform(&test), &c["test"], &what);
    }
}

#[test]
fn empty_corpus_is_an_error() {
    let r = TfidfVectorizer::fit(&["", ""], TfidfConfig::default());
    assert!(
        matches!(r, Err(seqenc::Error::EmptySequence { .. })),
        "{r:?}"
    );
    let r = TfidfVectorizer::fit(
        &["AC"],
        TfidfConfig {
            ngram_range: (3, 2),
            ..Default::default()
        },
    );
    assert!(matches!(r, Err(seqenc::Error::InvalidArgument(_))), "{r:?}");
}
