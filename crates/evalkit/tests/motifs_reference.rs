//! evalkit::motifs against tangermeme / memelite: tests/fixtures/motifs/motifs.json, written by
//! tests/fixtures/motifs/gen_motifs.py (versions in the JSON and the fixtures README).
//!
//! * recursive seqlets: the set of (example, start, end) exactly; attribution sums to 1e-9
//!   (absolute, scaled by max(1, |x|)); p-values to relative 1e-9.
//! * tomtom, every (query, target) pair of three parameter sets: integer score, offset,
//!   overlap and strand exactly; p-values to relative 1e-9 (the summation orders are memelite's).
//! * MEME reading: db.meme parsed by evalkit equals memelite's `read_meme` exactly.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::{Checker, fixture};
use evalkit::motifs::{self, SeqletParams, Strand, TomtomParams};
use serde_json::Value;
use std::path::PathBuf;

fn matrix(v: &Value) -> Vec<[f64; 4]> {
    v.as_array()
        .expect("matrix")
        .iter()
        .map(|r| {
            let r = common::f64s(r);
            [r[0], r[1], r[2], r[3]]
        })
        .collect()
}

fn fx() -> Value {
    fixture("motifs/motifs.json")
}

#[test]
fn meme_reader_matches_memelite() {
    let fx = fx();
    let p = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/motifs/db.meme"
    ));
    let f = motifs::read_meme_file(&p).unwrap();
    let names: Vec<String> = f
        .motifs
        .iter()
        .map(|m| format!("{} {}", m.id, m.alt.clone().unwrap_or_default()))
        .collect();
    let want: Vec<String> = fx["meme"]["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, want);
    for (m, w) in f.motifs.iter().zip(fx["meme"]["pwms"].as_array().unwrap()) {
        assert_eq!(m.probs, matrix(w), "motif {}", m.id);
        assert_eq!(m.nsites, Some(20.0));
        assert_eq!(
            m.url.as_deref(),
            Some(format!("http://example.org/{}", m.id).as_str())
        );
    }
}

#[test]
fn recursive_seqlets_match_tangermeme() {
    let fx = fx();
    let x: Vec<Vec<f64>> = fx["attributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(common::f64s)
        .collect();
    let mut ck = Checker::default();
    for case in fx["seqlets"].as_array().unwrap() {
        let pj = &case["params"];
        let u = |k: &str| pj[k].as_u64().unwrap() as usize;
        let params = SeqletParams {
            threshold: pj["threshold"].as_f64().unwrap(),
            min_seqlet_len: u("min_seqlet_len"),
            max_seqlet_len: u("max_seqlet_len"),
            additional_flanks: u("additional_flanks"),
            n_bins: u("n_bins"),
        };
        let name = format!("{params:?}");
        let mut got = motifs::recursive_seqlets(&x, &params).unwrap();
        let mut want: Vec<(usize, usize, usize, f64, f64)> = case["seqlets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let r = r.as_array().unwrap();
                let i = |k: usize| r[k].as_u64().unwrap() as usize;
                (
                    i(0),
                    i(1),
                    i(2),
                    r[3].as_f64().unwrap(),
                    r[4].as_f64().unwrap(),
                )
            })
            .collect();
        assert!(!want.is_empty(), "{name}: the fixture calls no seqlet");
        got.sort_by_key(|s| (s.example, s.start));
        want.sort_by_key(|w| (w.0, w.1));
        let spans = |v: Vec<(usize, usize, usize)>| v;
        assert_eq!(
            spans(got.iter().map(|s| (s.example, s.start, s.end)).collect()),
            spans(want.iter().map(|w| (w.0, w.1, w.2)).collect()),
            "{name}: seqlet spans"
        );
        for (g, w) in got.iter().zip(&want) {
            let c = format!("{name} seqlet {}:{}-{}", g.example, g.start, g.end);
            ck.num(&c, "attribution", g.attribution, w.3);
            ck.pval(&c, "p-value", g.p_value, w.4);
        }
    }
    ck.finish("recursive seqlets", 30);
}

#[test]
fn tomtom_matches_memelite() {
    let fx = fx();
    let targets: Vec<Vec<[f64; 4]>> = fx["meme"]["pwms"]
        .as_array()
        .unwrap()
        .iter()
        .map(matrix)
        .collect();
    let queries: Vec<Vec<[f64; 4]>> = fx["queries"]["pwms"]
        .as_array()
        .unwrap()
        .iter()
        .map(matrix)
        .collect();
    let mut ck = Checker::default();
    let mut exact_fail = Vec::new();
    for case in fx["tomtom"].as_array().unwrap() {
        let pj = &case["params"];
        let mut params = TomtomParams::default();
        if let Some(v) = pj.get("n_target_bins") {
            params.n_target_bins = v.as_u64().map(|b| b as usize);
        }
        if let Some(v) = pj.get("reverse_complement") {
            params.reverse_complement = v.as_bool().unwrap();
        }
        if let Some(v) = pj.get("n_score_bins") {
            params.n_score_bins = v.as_u64().unwrap() as usize;
        }
        let hits = motifs::tomtom(&queries, &targets, &params).unwrap();
        for (qi, row) in hits.iter().enumerate() {
            for (ti, h) in row.iter().enumerate() {
                let c = format!("{pj} query {qi} target {ti}");
                let at = |k: &str| case[k][qi][ti].as_f64().unwrap();
                ck.pval(&c, "p-value", h.p_value, at("p_value"));
                let strand = if h.strand == Strand::Reverse {
                    1.0
                } else {
                    0.0
                };
                let got = (h.score as f64, h.offset as f64, h.overlap as f64, strand);
                let want = (at("score"), at("offset"), at("overlap"), at("strand"));
                ck.checked += 1;
                if got != want {
                    exact_fail.push(format!(
                        "{c}: (score, offset, overlap, strand) {got:?} vs {want:?}"
                    ));
                }
            }
        }
    }
    ck.failures.extend(exact_fail);
    ck.finish("tomtom", 3 * 6 * 6 * 2);
}
