//! Criterion benches: ROC AUC and Spearman on 10 million scores; clustering metrics on 1 million
//! labels with 10,000 clusters. Data are generated from a fixed seed (ChaCha8). The
//! `calibration_*` benches time the standard library's sort of the bare scores, to set the
//! ranking benches against what the machine at hand can do.
//!
//! Run: `cargo bench -p seq2expr-evalkit --bench metrics` (set `RAYON_NUM_THREADS=1` for one core).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

fn scores(n: usize) -> (Vec<i64>, Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(20240601);
    let y: Vec<i64> = (0..n).map(|_| i64::from(rng.random_bool(0.3))).collect();
    let s: Vec<f64> = y
        .iter()
        .map(|&v| v as f64 * 0.8 + rng.random::<f64>())
        .collect();
    let t: Vec<f64> = s.iter().map(|&v| v + rng.random::<f64>() * 0.5).collect();
    (y, s, t)
}

fn bench_ranking(c: &mut Criterion) {
    let n = 10_000_000;
    let (y, s, t) = scores(n);
    let mut g = c.benchmark_group("ranking_10M");
    g.sample_size(10);
    g.bench_function("roc_auc", |b| {
        b.iter(|| evalkit::roc_auc(black_box(&y), black_box(&s)).unwrap())
    });
    g.bench_function("average_precision", |b| {
        b.iter(|| evalkit::average_precision(black_box(&y), black_box(&s)).unwrap())
    });
    g.bench_function("spearman", |b| {
        b.iter(|| evalkit::spearman(black_box(&s), black_box(&t)).unwrap())
    });
    g.bench_function("pearson", |b| {
        b.iter(|| evalkit::pearson(black_box(&s), black_box(&t)).unwrap())
    });
    // Calibration: the standard library's sort of one sample's bare values (no index, no
    // ranks), by `f64::total_cmp` and as `u64` bits (order-preserving here: every score is
    // non-negative). A sort-based Spearman sorts both samples' keys and more, so twice this
    // is the yardstick for it on the machine at hand.
    let bits: Vec<u64> = s.iter().map(|v| v.to_bits()).collect();
    calibrate(&mut g, "calibration_sort_unstable_f64", &s, |v| {
        v.sort_unstable_by(f64::total_cmp)
    });
    calibrate(&mut g, "calibration_sort_unstable_u64", &bits, |v| {
        v.sort_unstable()
    });
    g.finish();
}

/// Times `sort` on a fresh copy of `data`; the copy is made outside the timed routine.
fn calibrate<T: Clone>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    data: &[T],
    sort: impl Fn(&mut Vec<T>),
) {
    g.bench_function(name, |b| {
        b.iter_batched(
            || data.to_vec(),
            |mut v| {
                sort(&mut v);
                v
            },
            BatchSize::LargeInput,
        )
    });
}

fn bench_clustering(c: &mut Criterion) {
    let n = 1_000_000;
    let k = 10_000;
    let mut rng = ChaCha8Rng::seed_from_u64(20240603);
    let a: Vec<i64> = (0..n).map(|_| rng.random_range(0..k)).collect();
    let b: Vec<i64> = a
        .iter()
        .map(|&x| {
            if rng.random_bool(0.3) {
                rng.random_range(0..k)
            } else {
                x
            }
        })
        .collect();
    let mut g = c.benchmark_group("clustering_1M_10k");
    g.sample_size(10);
    g.bench_function("contingency", |bch| {
        bch.iter(|| evalkit::Contingency::new(black_box(&a), black_box(&b)).unwrap())
    });
    g.bench_function("all_scores_incl_ami", |bch| {
        bch.iter(|| evalkit::clustering_scores(black_box(&a), black_box(&b)).unwrap())
    });
    g.bench_function("adjusted_rand_index", |bch| {
        bch.iter(|| evalkit::adjusted_rand_index(black_box(&a), black_box(&b)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench_ranking, bench_clustering);
criterion_main!(benches);
