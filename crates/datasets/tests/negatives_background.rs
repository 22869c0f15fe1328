//! Background window sampling: exclusion, N-freeness, GC matching, reproducibility, reports.
#![allow(clippy::unwrap_used)]

use datasets::error::NegativesError;
use datasets::negatives::{BackgroundConfig, BackgroundWindow, sample_background};
use genome_io::fasta::SequenceSource;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A minimal in-memory genome for the tests.
struct Mem(Vec<(String, Vec<u8>)>);

impl SequenceSource for Mem {
    fn names(&self) -> Vec<String> {
        self.0.iter().map(|(n, _)| n.clone()).collect()
    }
    fn seq_len(&self, name: &str) -> Option<u64> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.len() as u64)
    }
    fn fetch_into(
        &self,
        name: &str,
        start: u64,
        end: u64,
        buf: &mut Vec<u8>,
    ) -> genome_io::Result<()> {
        let s = &self.0.iter().find(|(n, _)| n == name).unwrap().1;
        buf.clear();
        buf.extend_from_slice(&s[start as usize..end as usize]);
        Ok(())
    }
}

/// Random genome with N runs and GC-rich / AT-rich halves.
fn genome(seed: u64) -> Mem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut recs = Vec::new();
    for (c, len) in [("chr1", 20_000usize), ("chr2", 12_000), ("chrM", 40)] {
        let mut s: Vec<u8> = (0..len)
            .map(|i| {
                let gc_rich = i < len / 2;
                let r: f64 = rng.random();
                let p = if gc_rich { 0.65 } else { 0.35 };
                if r < p / 2.0 {
                    b'G'
                } else if r < p {
                    b'c'
                } else if r < p + (1.0 - p) / 2.0 {
                    b'A'
                } else {
                    b't'
                }
            })
            .collect();
        for _ in 0..5 {
            let p = rng.random_range(0..len.saturating_sub(30).max(1));
            s[p..(p + 25).min(len)].fill(b'N');
        }
        recs.push((c.to_string(), s));
    }
    Mem(recs)
}

fn tss(seed: u64) -> Vec<(String, u64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xabc);
    (0..30)
        .map(|i| {
            (
                if i % 2 == 0 { "chr1" } else { "chr2" }.to_string(),
                rng.random_range(0..12_000),
            )
        })
        .collect()
}

/// The properties every sampled window set must have: length `len`, only `ACGTacgt`, the
/// genome's bases at its coordinates, no overlap with any TSS's excluded region
/// `[p - flank, p + flank + 1)`, and no overlap between two windows (without replacement).
fn check_windows(
    g: &Mem,
    t: &[(String, u64)],
    flank: u64,
    len: u64,
    w: &[BackgroundWindow],
) -> Result<(), TestCaseError> {
    for x in w {
        prop_assert_eq!(x.end - x.start, len);
        prop_assert!(x.seq.iter().all(|b| b"ACGTacgt".contains(b)));
        let mut buf = Vec::new();
        g.fetch_into(&x.chrom, x.start, x.end, &mut buf).unwrap();
        prop_assert_eq!(&buf, &x.seq);
        for (c, p) in t {
            let (lo, hi) = (p.saturating_sub(flank), p + flank + 1);
            prop_assert!(
                c != &x.chrom || x.end <= lo || x.start >= hi,
                "{:?} hits TSS {} {}",
                x,
                c,
                p
            );
        }
    }
    for (i, a) in w.iter().enumerate() {
        for b in &w[i + 1..] {
            prop_assert!(a.chrom != b.chrom || a.end <= b.start || b.end <= a.start);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn windows_avoid_excluded_regions_and_n(seed in any::<u64>(), flank in 0u64..400, len in 20u64..150) {
        let g = genome(seed);
        let t = tss(seed);
        let cfg = BackgroundConfig { length: len, count: 40, flank, seed, ..Default::default() };
        let (w, rep) = sample_background(&g, &t, None, &cfg).unwrap();
        prop_assert_eq!(w.len(), 40);
        prop_assert_eq!(rep.accepted, 40);
        prop_assert_eq!(rep.candidates, rep.accepted + rep.duplicate + rep.excluded_region
            + rep.overlaps_accepted + rep.ambiguous_base + rep.gc_mismatch);
        for x in &w {
            prop_assert!(x.chrom != "chrM" || len <= 40);
        }
        // Non-overlapping by default.
        check_windows(&g, &t, flank, len, &w)?;
        let again = sample_background(&g, &t, None, &cfg).unwrap();
        prop_assert_eq!(&again.0, &w);
        prop_assert_eq!(again.1, rep);
    }
}

#[test]
fn gc_matching_follows_the_positives() {
    let g = genome(11);
    let pos_gc = [0.30, 0.40, 0.62];
    let cfg = BackgroundConfig {
        length: 100,
        count: 30,
        flank: 50,
        gc_tolerance: Some(0.02),
        seed: 4,
        ..Default::default()
    };
    let (w, rep) = sample_background(&g, &tss(11), Some(&pos_gc), &cfg).unwrap();
    // Each target (10 of each positive's GC) is consumed by exactly one window within 2%.
    let mut gcs: Vec<f64> = w
        .iter()
        .map(|x| genome_io::seq::gc_fraction(&x.seq).unwrap())
        .collect();
    gcs.sort_by(f64::total_cmp);
    for (j, gc) in gcs.iter().enumerate() {
        let target = [0.30, 0.40, 0.62][j / 10];
        assert!(
            (gc - target).abs() <= 0.02 + 1e-12,
            "window {j}: gc {gc} for target {target}"
        );
    }
    assert!(
        rep.gc_mismatch > 0,
        "a 2% tolerance must reject some candidates: {rep:?}"
    );
    let other = sample_background(
        &g,
        &tss(11),
        Some(&pos_gc),
        &BackgroundConfig {
            seed: 5,
            ..cfg.clone()
        },
    )
    .unwrap();
    assert_ne!(other.0, w, "another seed gives other windows");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn gc_matched_windows_are_valid_distinct_and_reproducible(
        seed in any::<u64>(), flank in 0u64..200, len in 50u64..120, tol in 0.05f64..0.2,
    ) {
        let g = genome(seed);
        let t = tss(seed);
        let pos_gc = [0.35, 0.4, 0.65];
        let cfg = BackgroundConfig {
            length: len, count: 12, flank, gc_tolerance: Some(tol), seed, ..Default::default()
        };
        let (w, rep) = sample_background(&g, &t, Some(&pos_gc), &cfg).unwrap();
        prop_assert_eq!(w.len(), 12);
        prop_assert_eq!(rep.candidates, rep.accepted + rep.excluded_region + rep.ambiguous_base
            + rep.overlaps_accepted + rep.gc_mismatch);
        check_windows(&g, &t, flank, len, &w)?;
        let mut gcs: Vec<f64> =
            w.iter().map(|x| genome_io::seq::gc_fraction(&x.seq).unwrap()).collect();
        // Four windows per target, each within the tolerance of its target.
        gcs.sort_by(f64::total_cmp);
        for (j, gc) in gcs.iter().enumerate() {
            prop_assert!((gc - pos_gc[j / 4]).abs() <= tol + 1e-12, "{} for {}", gc, pos_gc[j / 4]);
        }
        let again = sample_background(&g, &t, Some(&pos_gc), &cfg).unwrap();
        prop_assert_eq!(&again.0, &w);
        prop_assert_eq!(again.1, rep);
    }
}

#[test]
fn impossible_requests_are_typed_errors_with_the_report() {
    let g = genome(3);
    // GC 0.99 with 0.1% tolerance cannot be met: known after one pass over the tiles.
    let cfg = BackgroundConfig {
        length: 100,
        count: 5,
        gc_tolerance: Some(0.001),
        ..Default::default()
    };
    match sample_background(&g, &[], Some(&[0.99]), &cfg) {
        Err(datasets::Error::Negatives(NegativesError::BackgroundExhausted {
            wanted: 5,
            got: 0,
            report,
        })) => {
            assert_eq!(report.unmatched_targets, 5);
            // A genome this small is tiled on the finest grid: stride 100 / 16 = 6 bp from an
            // offset in 0..6, over chr1 (20,000 bp) and chr2 (12,000 bp); chrM is too short.
            let tiles = |l: u64, off: u64| (l - 100 - off) / 6 + 1;
            let (lo, hi) = (
                tiles(20_000, 5) + tiles(12_000, 5),
                tiles(20_000, 0) + tiles(12_000, 0),
            );
            assert!((lo..=hi).contains(&report.candidates), "{report:?}");
            assert_eq!(
                report.gc_mismatch,
                report.candidates - report.ambiguous_base,
                "every N-free tile is left unused"
            );
        }
        other => panic!("expected BackgroundExhausted, got {other:?}"),
    }
    // Rejection sampling without GC matching stops at its candidate budget.
    let capped = BackgroundConfig {
        length: 100,
        count: 1000,
        max_candidates: 2000,
        ..Default::default()
    };
    match sample_background(&g, &[], None, &capped) {
        Err(datasets::Error::Negatives(NegativesError::BackgroundExhausted { report, .. })) => {
            assert_eq!(report.candidates, 2000)
        }
        other => panic!("expected BackgroundExhausted, got {other:?}"),
    }
    let too_long = BackgroundConfig {
        length: 1_000_000,
        ..Default::default()
    };
    assert!(matches!(
        sample_background(&g, &[], None, &too_long),
        Err(datasets::Error::Negatives(NegativesError::InvalidArgument(
            _
        )))
    ));
    let no_pos = BackgroundConfig {
        gc_tolerance: Some(0.05),
        ..Default::default()
    };
    assert!(matches!(
        sample_background(&g, &[], None, &no_pos),
        Err(datasets::Error::Negatives(NegativesError::InvalidArgument(
            _
        )))
    ));
    let unknown = BackgroundConfig {
        records: Some(vec!["chrZ".into()]),
        ..Default::default()
    };
    assert!(sample_background(&g, &[], None, &unknown).is_err());
}
