//! k-means, PCA and truncated SVD against scikit-learn 1.9.1 / numpy 2.4.6.
//!
//! `tests/data/embedding_reference.json` was written by this script (run with
//! `/tmp/lncrna-venv/bin/python gen.py > crates/evalkit/tests/data/embedding_reference.json`):
//!
//! ```text
//! # Generates crates/evalkit/tests/data/embedding_reference.json (scikit-learn 1.9.1, numpy 2.4.6):
//! #   /tmp/lncrna-venv/bin/python gen_embedding_ref.py > crates/evalkit/tests/data/embedding_reference.json
//! import json
//! import numpy as np
//! from sklearn.cluster import KMeans
//! from sklearn.datasets import make_blobs
//! from sklearn.decomposition import PCA
//!
//! rng = np.random.default_rng(42)
//! out = {}
//! # PCA, tall (12 x 5) and wide (4 x 7)
//! for name, shape, k in [("pca_tall", (12, 5), 3), ("pca_wide", (4, 7), 3)]:
//!     x = rng.normal(size=shape) @ np.diag(np.linspace(3, 0.5, shape[1])) + 1.0
//!     p = PCA(n_components=k, svd_solver="full").fit(x)
//!     out[name] = dict(x=x.tolist(), k=k, explained_variance=p.explained_variance_.tolist(),
//!                      explained_variance_ratio=p.explained_variance_ratio_.tolist(),
//!                      singular_values=p.singular_values_.tolist(), components=p.components_.tolist(),
//!                      scores=p.transform(x).tolist())
//! # Large (subspace iteration path): x[i,j] = sum_r 10/(r+1) sin(0.01 (r+1) i + r) cos(0.013 (r+1) j + 2 r)
//! #                                  + 0.01 sin(i * j * 0.7 + 0.3)
//! n, m = 1100, 1030
//! i = np.arange(n)[:, None].astype(float); j = np.arange(m)[None, :].astype(float)
//! x = sum(10.0 / (r + 1) * np.sin(0.01 * (r + 1) * i + r) * np.cos(0.013 * (r + 1) * j + 2 * r) for r in range(5))
//! x = x + 0.01 * np.sin(i * j * 0.7 + 0.3)
//! out["svd_large"] = dict(n=n, m=m, singular_values=np.linalg.svd(x, compute_uv=False)[:3].tolist())
//! # k-means, well separated
//! xb, yb = make_blobs(n_samples=30, centers=[[0, 0], [10, 10], [-10, 10]], cluster_std=0.5, random_state=0)
//! km = KMeans(3, n_init=10, random_state=0).fit(xb)
//! out["kmeans_blobs"] = dict(x=xb.tolist(), labels=km.labels_.tolist(), inertia=float(km.inertia_))
//! # k-means, harder: uniform data, explicit init centres
//! xh = rng.uniform(size=(200, 3))
//! init = xh[:6]
//! km = KMeans(6, init=init, n_init=1, max_iter=300, tol=1e-4).fit(xh)
//! out["kmeans_init"] = dict(x=xh.tolist(), init=init.tolist(), labels=km.labels_.tolist(),
//!                           inertia=float(km.inertia_), centers=km.cluster_centers_.tolist(),
//!                           n_iter=int(km.n_iter_))
//! print(json.dumps(out))
//! ```

use evalkit::embedding::{KMeansConfig, Matrix, kmeans, kmeans_from, pca, truncated_svd};
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("data/embedding_reference.json"))
        .expect("embedding reference")
}

fn matrix(v: &Value) -> Matrix {
    let rows: Vec<Vec<f64>> = v
        .as_array()
        .expect("embedding reference")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("embedding reference")
                .iter()
                .map(|x| x.as_f64().expect("embedding reference"))
                .collect()
        })
        .collect();
    Matrix::from_rows(&rows).expect("embedding reference")
}

fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("embedding reference")
        .iter()
        .map(|x| x.as_f64().expect("embedding reference"))
        .collect()
}

fn labels(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("embedding reference")
        .iter()
        .map(|x| x.as_i64().expect("embedding reference"))
        .collect()
}

fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(
            (x - y).abs() <= tol * (1.0 + y.abs()),
            "{what}[{i}]: {x} vs {y}"
        );
    }
}

/// Rows equal up to one sign per row.
fn close_up_to_sign(a: &Matrix, b: &Matrix, tol: f64, what: &str) {
    assert_eq!((a.n_rows, a.n_cols), (b.n_rows, b.n_cols), "{what}: shape");
    for r in 0..a.n_rows {
        let s: f64 = a
            .row(r)
            .iter()
            .zip(b.row(r))
            .map(|(x, y)| x * y)
            .sum::<f64>()
            .signum();
        let flipped: Vec<f64> = a.row(r).iter().map(|x| x * s).collect();
        close(&flipped, b.row(r), tol, what);
    }
}

fn transpose(m: &Matrix) -> Matrix {
    let mut d = vec![0.0; m.data.len()];
    for i in 0..m.n_rows {
        for j in 0..m.n_cols {
            d[j * m.n_rows + i] = m.data[i * m.n_cols + j];
        }
    }
    Matrix::new(m.n_cols, m.n_rows, d).expect("embedding reference")
}

#[test]
fn pca_matches_sklearn_tall_and_wide() {
    let r = reference();
    for name in ["pca_tall", "pca_wide"] {
        let c = &r[name];
        let x = matrix(&c["x"]);
        let k = c["k"].as_u64().expect("embedding reference") as usize;
        let p = pca(&x, k).expect("embedding reference");
        close(
            &p.explained_variance,
            &vector(&c["explained_variance"]),
            1e-10,
            name,
        );
        close(
            &p.explained_variance_ratio,
            &vector(&c["explained_variance_ratio"]),
            1e-10,
            name,
        );
        close(
            &p.singular_values,
            &vector(&c["singular_values"]),
            1e-10,
            name,
        );
        close_up_to_sign(&p.components, &matrix(&c["components"]), 1e-8, name);
        // Scores column c flips with component c.
        close_up_to_sign(
            &transpose(&p.scores),
            &transpose(&matrix(&c["scores"])),
            1e-8,
            name,
        );
    }
}

#[test]
fn truncated_svd_subspace_path_matches_numpy() {
    // 1030 columns > MAX_JACOBI: the subspace iteration is used.
    let c = &reference()["svd_large"];
    let (n, m) = (
        c["n"].as_u64().expect("embedding reference") as usize,
        c["m"].as_u64().expect("embedding reference") as usize,
    );
    let mut data = Vec::with_capacity(n * m);
    for i in 0..n {
        for j in 0..m {
            let (i, j) = (i as f64, j as f64);
            let mut v = 0.0;
            for r in 0..5 {
                let rf = r as f64;
                v += 10.0 / (rf + 1.0)
                    * (0.01 * (rf + 1.0) * i + rf).sin()
                    * (0.013 * (rf + 1.0) * j + 2.0 * rf).cos();
            }
            data.push(v + 0.01 * (i * j * 0.7 + 0.3).sin());
        }
    }
    let x = Matrix::new(n, m, data).expect("embedding reference");
    let svd = truncated_svd(&x, 3).expect("embedding reference");
    close(&svd.s, &vector(&c["singular_values"]), 1e-9, "svd_large");
    // U diag(s) Vᵀ reproduces X's projection: u columns are unit vectors, orthogonal.
    for a in 0..3 {
        for b in 0..3 {
            let d: f64 = (0..n).map(|i| svd.u.row(i)[a] * svd.u.row(i)[b]).sum();
            assert!(
                (d - f64::from(u8::from(a == b))).abs() < 1e-9,
                "u[{a}]·u[{b}] = {d}"
            );
        }
    }
}

#[test]
fn kmeans_recovers_well_separated_blobs_like_sklearn() {
    let c = &reference()["kmeans_blobs"];
    let x = matrix(&c["x"]);
    let km = kmeans(
        &x,
        &KMeansConfig {
            k: 3,
            seed: 11,
            ..Default::default()
        },
    )
    .expect("embedding reference");
    let pred: Vec<i64> = km.labels.iter().map(|&l| l as i64).collect();
    assert_eq!(
        evalkit::adjusted_rand_index(&labels(&c["labels"]), &pred).expect("embedding reference"),
        1.0
    );
    close(
        &[km.inertia],
        &[c["inertia"].as_f64().expect("embedding reference")],
        1e-10,
        "inertia",
    );
    // Seeded: the same seed gives the same result.
    let again = kmeans(
        &x,
        &KMeansConfig {
            k: 3,
            seed: 11,
            ..Default::default()
        },
    )
    .expect("embedding reference");
    assert_eq!(km, again);
}

#[test]
fn kmeans_from_explicit_centres_matches_sklearn() {
    let c = &reference()["kmeans_init"];
    let x = matrix(&c["x"]);
    let km = kmeans_from(&x, &matrix(&c["init"]), 300, 1e-4).expect("embedding reference");
    let pred: Vec<i64> = km.labels.iter().map(|&l| l as i64).collect();
    assert_eq!(pred, labels(&c["labels"]));
    close(
        &[km.inertia],
        &[c["inertia"].as_f64().expect("embedding reference")],
        1e-10,
        "inertia",
    );
    close(
        &km.centers.data,
        &matrix(&c["centers"]).data,
        1e-10,
        "centres",
    );
    assert_eq!(
        km.n_iter as u64,
        c["n_iter"].as_u64().expect("embedding reference")
    );
}

#[test]
fn kmeans_rejects_k_larger_than_rows() {
    let x = Matrix::new(3, 1, vec![0.0, 1.0, 2.0]).expect("embedding reference");
    let e = kmeans(
        &x,
        &KMeansConfig {
            k: 4,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("k = 4 clusters on 3 rows"), "{e}");
}
