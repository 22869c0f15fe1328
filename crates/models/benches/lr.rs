//! Logistic-regression fit on 50,000 × 5,000 sparse features (200 stored values per row, like a
//! TF-IDF of 3–6-mers over ~70–300 bp sequences), labels from a planted sparse linear model.
//!
//! `cargo bench -p seq2expr-models --bench lr`; figures in docs/bench-notes/lncrna.md.

use criterion::{Criterion, criterion_group, criterion_main};
use models::lr::{LogisticRegression, LogisticRegressionConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use seqenc::sparse::CsrMatrix;

/// Seeded synthetic problem: `n` rows, `d` columns, `nnz_row` distinct columns per row.
fn problem(n: usize, d: usize, nnz_row: usize) -> (CsrMatrix, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let w: Vec<f64> = (0..d).map(|_| rng.random_range(-1.0..1.0)).collect();
    let mut indptr = vec![0usize];
    let mut indices = Vec::with_capacity(n * nnz_row);
    let mut data = Vec::with_capacity(n * nnz_row);
    let mut y = Vec::with_capacity(n);
    let mut cols: Vec<u32> = Vec::with_capacity(nnz_row);
    for _ in 0..n {
        cols.clear();
        while cols.len() < nnz_row {
            let j = rng.random_range(0..d as u32);
            if !cols.contains(&j) {
                cols.push(j);
            }
        }
        cols.sort_unstable();
        let mut z = 0.0;
        let vals: Vec<f64> = cols.iter().map(|_| rng.random_range(0.0..0.15)).collect();
        for (j, v) in cols.iter().zip(&vals) {
            z += w[*j as usize] * v;
        }
        y.push(u32::from(z * 4.0 + rng.random_range(-1.0..1.0) > 0.0));
        indices.extend_from_slice(&cols);
        data.extend_from_slice(&vals);
        indptr.push(indices.len());
    }
    (
        CsrMatrix {
            n_rows: n,
            n_cols: d,
            indptr,
            indices,
            data,
        },
        y,
    )
}

fn bench(c: &mut Criterion) {
    let (x, y) = problem(50_000, 5_000, 200);
    for tol in [1e-4, 1e-8] {
        // One untimed fit to report the work done (iterations), next to the criterion figures.
        let cfg = LogisticRegressionConfig {
            tol,
            ..Default::default()
        };
        let t = std::time::Instant::now();
        if let Ok(m) = LogisticRegression::fit(&x, &y, &cfg) {
            eprintln!(
                "tol {tol:e}: {} L-BFGS iterations, converged {}, {:.2?}",
                m.n_iter[0],
                m.converged,
                t.elapsed()
            );
        }
    }
    let mut g = c.benchmark_group("lr");
    g.sample_size(10);
    for (name, tol) in [
        ("fit_50000x5000_tol1e-4", 1e-4),
        ("fit_50000x5000_tol1e-8", 1e-8),
    ] {
        let cfg = LogisticRegressionConfig {
            tol,
            ..Default::default()
        };
        g.bench_function(name, |b| {
            b.iter(|| LogisticRegression::fit(&x, &y, &cfg).map(|m| m.n_iter[0]))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
