//! The two scores of an embedding: cross-validated set-membership AUC, and k-means against the
//! gene-set partition.

use evalkit::embedding::{KMeansConfig, Matrix, kmeans};
use models::lr::{LogisticRegression, LogisticRegressionConfig};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use seqenc::sparse::CsrMatrix;

use crate::Result;

/// Stratified fold of every gene (`0..folds`): members and non-members are shuffled separately
/// (ChaCha8, `seed`, stream `stream`) and dealt to the folds in turn.
pub(super) fn stratified_folds(y: &[bool], folds: usize, seed: u64, stream: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    let mut fold = vec![0; y.len()];
    for class in [true, false] {
        let mut idx: Vec<usize> = (0..y.len()).filter(|&i| y[i] == class).collect();
        idx.shuffle(&mut rng);
        for (k, i) in idx.into_iter().enumerate() {
            fold[i] = k % folds;
        }
    }
    fold
}

/// Rows `idx` of `x`, standardised with the mean and population sd of the rows `train`
/// (a constant column becomes 0), as a dense CSR matrix.
fn standardised(x: &Matrix, train: &[usize], idx: &[usize]) -> CsrMatrix {
    let d = x.n_cols;
    let n = train.len() as f64;
    let mut mean = vec![0.0; d];
    for &i in train {
        mean.iter_mut().zip(x.row(i)).for_each(|(a, b)| *a += b);
    }
    mean.iter_mut().for_each(|a| *a /= n);
    let mut sd = vec![0.0; d];
    for &i in train {
        sd.iter_mut()
            .zip(x.row(i))
            .zip(&mean)
            .for_each(|((s, v), m)| *s += (v - m) * (v - m));
    }
    sd.iter_mut().for_each(|s| *s = (*s / n).sqrt());
    let mut data = Vec::with_capacity(idx.len() * d);
    for &i in idx {
        for (j, v) in x.row(i).iter().enumerate() {
            data.push(if sd[j] > 0.0 {
                (v - mean[j]) / sd[j]
            } else {
                0.0
            });
        }
    }
    CsrMatrix {
        n_rows: idx.len(),
        n_cols: d,
        indptr: (0..=idx.len()).map(|r| r * d).collect(),
        indices: (0..idx.len()).flat_map(|_| 0..d as u32).collect(),
        data,
    }
}

/// Out-of-fold ROC AUC of L2 logistic regression from the embedding to membership of every set
/// (`members` as sorted row indices); sets are fitted in parallel, each with its own stream.
pub(super) fn membership_auc(
    x: &Matrix,
    members: &[Vec<usize>],
    folds: usize,
    seed: u64,
    c: f64,
) -> Result<Vec<f64>> {
    let cfg = LogisticRegressionConfig {
        c,
        tol: 1e-4,
        max_iter: 500,
        ..Default::default()
    };
    members
        .par_iter()
        .enumerate()
        .map(|(s, m)| {
            let mut y = vec![false; x.n_rows];
            m.iter().for_each(|&i| y[i] = true);
            let fold = stratified_folds(&y, folds, seed, s as u64);
            let mut score = vec![0.0; x.n_rows];
            for f in 0..folds {
                let train: Vec<usize> = (0..x.n_rows).filter(|&i| fold[i] != f).collect();
                let test: Vec<usize> = (0..x.n_rows).filter(|&i| fold[i] == f).collect();
                let yt: Vec<u32> = train.iter().map(|&i| u32::from(y[i])).collect();
                let model = LogisticRegression::fit(&standardised(x, &train, &train), &yt, &cfg)?;
                let z = model.decision_function(&standardised(x, &train, &test))?;
                for (&i, zi) in test.iter().zip(z) {
                    score[i] = zi[0];
                }
            }
            let labels: Vec<i64> = y.iter().map(|&b| i64::from(b)).collect();
            Ok(evalkit::roc_auc(&labels, &score)?)
        })
        .collect()
}

/// Clustering scores of one embedding against the partition.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClusterScores {
    /// Adjusted Rand index.
    pub ari: f64,
    /// Adjusted mutual information (arithmetic).
    pub ami: f64,
    /// Fowlkes–Mallows index.
    pub fmi: f64,
    /// Normalised mutual information (arithmetic).
    pub nmi: f64,
    /// Variation of information (nats).
    pub vi: f64,
    /// k-means inertia.
    pub inertia: f64,
}

/// k-means (`k` clusters, `n_init` seeded restarts) on the rows `genes` of `x`, scored against
/// `labels` (one per entry of `genes`).
pub(super) fn cluster(
    x: &Matrix,
    genes: &[usize],
    labels: &[i64],
    k: usize,
    n_init: usize,
    seed: u64,
) -> Result<ClusterScores> {
    let sub = x.select_rows(genes);
    let km = kmeans(
        &sub,
        &KMeansConfig {
            k,
            n_init,
            seed,
            ..Default::default()
        },
    )?;
    let pred: Vec<i64> = km.labels.iter().map(|&l| l as i64).collect();
    let s = evalkit::clustering_scores(labels, &pred)?;
    Ok(ClusterScores {
        ari: s.adjusted_rand_index,
        ami: s.adjusted_mutual_info,
        fmi: s.fowlkes_mallows,
        nmi: s.normalized_mutual_info,
        vi: s.variation_of_information,
        inertia: km.inertia,
    })
}
