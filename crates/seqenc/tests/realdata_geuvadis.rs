//! GeneRAIN binning on real counts: ../shared/data/geuvadis-lcl-85-counts (85 LCL samples x
//! 10,101 genes, integer read counts, see its PROVENANCE.md).

use seqenc::binning::{
    BinReference, ExprMatrix, LIBRARY_SIZE, RefConfig, bin_by_gene, top_genes, zscore_quantile_bins,
};
use std::io::BufReader;
use std::path::PathBuf;

fn load() -> ExprMatrix {
    let shared = std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    let p = shared.join("data/geuvadis-lcl-85-counts/humanGender_counts.genes_x_samples.tsv.gz");
    let f = std::fs::File::open(&p).expect("counts file");
    ExprMatrix::read_tsv(
        BufReader::new(flate2::read::GzDecoder::new(f)),
        &p.display().to_string(),
    )
    .expect("parse")
}

#[test]
#[ignore = "reads ../shared; run with `cargo test -- --ignored`"]
fn generain_binning_on_geuvadis() {
    let raw = load();
    assert_eq!((raw.n_genes(), raw.n_samples()), (10_101, 85));
    assert_eq!(raw.samples[0], "NA20502");
    let norm = raw.normalize_log(LIBRARY_SIZE);
    // library size: sum over genes of 10^v - 1 is 10M for every sample
    for s in 0..norm.n_samples() {
        let total: f64 = (0..norm.n_genes())
            .map(|g| 10f64.powf(norm.get(g, s)) - 1.0)
            .sum();
        assert!(
            (total / LIBRARY_SIZE - 1.0).abs() < 1e-9,
            "sample {s}: {total}"
        );
    }
    let b = bin_by_gene(&norm, 2000).expect("bins");
    let reference = BinReference::build(
        &norm,
        RefConfig {
            fraction: 1.0,
            min_keep: 1,
            n_bins: 2000,
        },
    )
    .expect("ref");
    for g in 0..raw.n_genes() {
        let v = norm.gene(g);
        let nz = v.iter().filter(|&&x| x > 0.0).count();
        for s in 0..raw.n_samples() {
            let bin = b.get(g, s);
            assert_eq!(bin == 1, raw.get(g, s) == 0.0, "gene {g} sample {s}");
            assert!(bin <= 2000);
            assert!(reference.bin_value(g, v[s]) <= bin);
            for t in 0..raw.n_samples() {
                if v[s] < v[t] {
                    assert!(bin <= b.get(g, t));
                }
            }
        }
        // with all 85 samples expressed, the top sample reaches 2 + floor(84 * 1999 / 85) = 1977
        if nz == 85 {
            assert_eq!((0..85).map(|s| b.get(g, s)).max(), Some(1977));
        }
    }
    for s in 0..raw.n_samples() {
        let gb: Vec<u16> = (0..raw.n_genes()).map(|g| b.get(g, s)).collect();
        let t = top_genes(&gb, &norm.sample(s), 2048, 100).expect("top");
        assert_eq!(t.genes.len(), 2048);
        assert!(t.bins.iter().all(|&x| (1..=100).contains(&x)));
        assert_eq!(t.bins[0], 100);
        let newb = reference.bin_sample(&norm.sample(s)).expect("bin sample");
        assert!(
            newb.iter()
                .zip(&gb)
                .all(|(a, b)| a <= b && (*a == 1) == (*b == 1))
        );
    }
    let z = zscore_quantile_bins(&norm, 100).expect("z bins");
    let mut counts = vec![0usize; 101];
    z.bins.iter().for_each(|&x| counts[x as usize] += 1);
    let total = raw.n_genes() * raw.n_samples();
    assert!(
        counts[1..]
            .iter()
            .all(|&c| c == total / 100 || c == total / 100 + 1),
        "{counts:?}"
    );
}
