//! GeneRAIN binning: property tests, the hand-checked table of the docs, typed errors.

use proptest::prelude::*;
use seqenc::Error;
use seqenc::binning::{BinReference, ExprMatrix, RefConfig, bin_by_gene, top_genes};

fn matrix(rows: Vec<Vec<f64>>) -> ExprMatrix {
    let ns = rows.first().map_or(0, Vec::len);
    ExprMatrix::from_rows(
        (0..rows.len()).map(|g| format!("g{g}")).collect(),
        (0..ns).map(|s| format!("s{s}")).collect(),
        rows,
    )
    .expect("matrix")
}

/// Rows of non-negative values with many zeros and ties (values drawn from a small set).
fn rows() -> impl Strategy<Value = Vec<Vec<f64>>> {
    (1usize..40).prop_flat_map(|ns| {
        proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![Just(0.0), (1u32..20).prop_map(f64::from), 0.0f64..1e4],
                ns,
            ),
            1..6,
        )
    })
}

proptest! {
    #[test]
    fn bin_by_gene_properties(rows in rows(), n_bins in 2u16..50) {
        let m = matrix(rows);
        let b = bin_by_gene(&m, n_bins).expect("bins");
        for g in 0..m.n_genes() {
            let v = m.gene(g);
            let bins: Vec<u16> = (0..m.n_samples()).map(|s| b.get(g, s)).collect();
            for s in 0..v.len() {
                prop_assert_eq!(bins[s] == 1, v[s] == 0.0); // bin 1 iff zero
                prop_assert!(bins[s] >= 1 && bins[s] <= n_bins);
                for t in 0..v.len() {
                    if v[s] < v[t] {
                        prop_assert!(bins[s] <= bins[t]); // monotone within a gene
                    }
                }
            }
            // equal-count bins 2..=n_bins within +-1
            let mut counts = vec![0usize; n_bins as usize + 1];
            bins.iter().filter(|&&x| x > 1).for_each(|&x| counts[x as usize] += 1);
            let c = &counts[2..];
            let (lo, hi) = (c.iter().min().copied().unwrap_or(0), c.iter().max().copied().unwrap_or(0));
            prop_assert!(hi - lo <= 1, "counts {:?}", c);
            // a full reference reproduces the bins of distinct values
            let r = BinReference::build(&m, RefConfig { fraction: 1.0, min_keep: 1, n_bins }).expect("ref");
            for s in 0..v.len() {
                let distinct = v.iter().filter(|&&x| x == v[s]).count() == 1;
                let nb = r.bin_value(g, v[s]);
                if distinct { prop_assert_eq!(nb, bins[s]); }
                prop_assert!(nb <= bins[s]); // a tie gets the bin of its first member
            }
        }
    }

    #[test]
    fn top_genes_properties(vals in proptest::collection::vec(prop_oneof![Just(0.0), 0.0f64..100.0], 1..300), top in 1usize..100) {
        let m = matrix(vals.iter().map(|&v| vec![v, 1.0]).collect());
        let gb: Vec<u16> = bin_by_gene(&m, 2000).expect("bins").bins.chunks(2).map(|c| c[0]).collect();
        let t = top_genes(&gb, &vals, top, 100).expect("top");
        prop_assert_eq!(t.genes.len(), top.min(vals.len()));
        for w in t.bins.windows(2) { prop_assert!(w[0] >= w[1]); } // descending order
        for (i, &g) in t.genes.iter().enumerate() {
            prop_assert_eq!(t.unexpressed[i], vals[g as usize] == 0.0);
            prop_assert_eq!(t.bins[i] == 1, t.unexpressed[i]);
        }
        let mut counts = vec![0usize; 101];
        t.bins.iter().filter(|&&b| b > 1).for_each(|&b| counts[b as usize] += 1);
        let c = &counts[2..];
        prop_assert!(c.iter().max().copied().unwrap_or(0) - c.iter().min().copied().unwrap_or(0) <= 1);
    }
}

/// The worked table in docs (derived by hand from the documented rule, 5 bins: non-zero ranks
/// r = 0..5 of n = 6 values get 2 + floor(4r/6) = 2, 2, 3, 4, 4, 5; the three tied 2.0 values are
/// ranked in sample order, so the third one lands in bin 3).
#[test]
fn hand_checked_table() {
    let m = matrix(vec![vec![0.0, 5.0, 2.0, 2.0, 0.0, 9.0, 3.0, 2.0]]);
    assert_eq!(
        bin_by_gene(&m, 5).expect("bins").bins,
        vec![1, 4, 2, 2, 1, 5, 4, 3]
    );
}

#[test]
fn bad_matrices_are_typed_errors() {
    let r = ExprMatrix::from_rows(
        vec!["a".into(), "b".into()],
        vec!["x".into(), "y".into()],
        vec![vec![1.0, 2.0], vec![1.0]],
    );
    assert!(
        matches!(
            r,
            Err(Error::Ragged {
                line: 2,
                expected: 2,
                found: 1,
                ..
            })
        ),
        "{r:?}"
    );
    for bad in [f64::NAN, f64::INFINITY, -1.0] {
        let r = ExprMatrix::from_rows(vec!["a".into()], vec!["x".into()], vec![vec![bad]]);
        assert!(
            matches!(r, Err(Error::BadValue { row: 0, col: 0, .. })),
            "{r:?}"
        );
    }
    let r = ExprMatrix::read_tsv("gene_id\ta\tb\ng1\t1\t2\ng2\t3\n".as_bytes(), "m.tsv");
    assert!(matches!(r, Err(Error::Ragged { line: 3, .. })), "{r:?}");
    let r = ExprMatrix::read_tsv("gene_id\ta\ng1\tnan\n".as_bytes(), "m.tsv");
    assert!(matches!(r, Err(Error::BadValue { .. })), "{r:?}");
    let r = ExprMatrix::read_tsv("gene_id\ta\ng1\tx1\n".as_bytes(), "m.tsv");
    assert!(matches!(r, Err(Error::Parse { line: 2, .. })), "{r:?}");
    let reference =
        BinReference::build(&matrix(vec![vec![1.0, 2.0]]), RefConfig::default()).expect("ref");
    assert!(matches!(
        reference.bin_sample(&[f64::NAN]),
        Err(Error::BadValue { .. })
    ));
    assert!(matches!(
        reference.bin_sample(&[1.0, 2.0]),
        Err(Error::Ragged { .. })
    ));
    assert!(matches!(
        top_genes(&[1, 2], &[0.0], 5, 100),
        Err(Error::Ragged { .. })
    ));
    assert!(matches!(
        top_genes(&[2], &[f64::INFINITY], 5, 100),
        Err(Error::BadValue { .. })
    ));
}
