//! The generative model of [`super`]: gene plan, sample plan and counts.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::ExprWorld;
use super::config::SynthExprConfig;
use crate::Result;

/// Expected fraction of a library that a near-zero-mean gene receives.
pub const LOW_MEAN_RATE: f64 = 1e-9;
/// Poisson draws with a mean below this use exact inversion, above it a rounded normal.
pub const POISSON_EXACT_BELOW: f64 = 30.0;

const GENE_STREAM: u64 = 0;
const SAMPLE_STREAM: u64 = 1;
/// Counts of sample `s` use stream `FIRST_COUNT_STREAM + s`.
const FIRST_COUNT_STREAM: u64 = 2;

fn stream(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Standard normal draw (Box-Muller, one value per call).
pub(crate) fn normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Poisson draw with mean `lambda >= 0`: multiplication (Knuth) below
/// [`POISSON_EXACT_BELOW`], `round(λ + √λ·z)` (at least 0) above.
pub(crate) fn poisson(rng: &mut impl Rng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda < POISSON_EXACT_BELOW {
        let limit = (-lambda).exp();
        let (mut k, mut p) = (0u32, rng.random::<f64>());
        while p > limit {
            k += 1;
            p *= rng.random::<f64>();
        }
        k
    } else {
        (lambda + lambda.sqrt() * normal(rng))
            .round()
            .clamp(0.0, u32::MAX as f64) as u32
    }
}

/// Fisher-Yates shuffle of `0..n`.
fn permutation(rng: &mut impl Rng, n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        v.swap(i, rng.random_range(0..=i));
    }
    v
}

/// Builds the world of `config` in memory (see the module docs for the model).
pub(crate) fn generate(config: &SynthExprConfig) -> Result<ExprWorld> {
    config.validate()?;
    let c = config;
    let (ng, ns) = (c.n_genes, c.n_samples);

    // ---- genes: roles, baselines, loadings --------------------------------------------
    let mut rng = stream(c.seed, GENE_STREAM);
    let perm = permutation(&mut rng, ng);
    let n_mod = c.n_modules * c.genes_per_module;
    let mut module_of = vec![None; ng];
    for (i, &g) in perm[..n_mod].iter().enumerate() {
        module_of[g] = Some(i / c.genes_per_module);
    }
    let low_end = n_mod + c.n_low_mean_genes;
    let mut low_mean_genes = perm[n_mod..low_end].to_vec();
    low_mean_genes.sort_unstable();
    let mut duplicated_symbols: Vec<(usize, usize)> = perm
        [low_end..low_end + 2 * c.n_duplicate_symbols]
        .chunks_exact(2)
        .map(|p| (p[0].min(p[1]), p[0].max(p[1])))
        .collect();
    duplicated_symbols.sort_unstable();
    let baseline: Vec<f64> = (0..ng).map(|_| c.baseline_sd * normal(&mut rng)).collect();
    let loading: Vec<f64> = (0..ng)
        .map(|g| {
            let w = c.module_effect * (0.6 + 0.8 * rng.random::<f64>());
            if module_of[g].is_some() { w } else { 0.0 }
        })
        .collect();
    let mut is_low = vec![false; ng];
    for &g in &low_mean_genes {
        is_low[g] = true;
    }

    // ---- samples: activities, libraries, planted failures ------------------------------
    let mut rng = stream(c.seed, SAMPLE_STREAM);
    let activity: Vec<f64> = (0..c.n_modules * ns).map(|_| normal(&mut rng)).collect();
    let max_library = c.library_median * 10f64.powf(4.0 * c.library_log10_sd);
    let mut library_size: Vec<f64> = (0..ns)
        .map(|_| {
            let l = c.library_median * 10f64.powf(c.library_log10_sd * normal(&mut rng));
            l.clamp(c.min_library.min(max_library), max_library)
        })
        .collect();
    let sample_perm = permutation(&mut rng, ns);
    let mut low_count_samples = sample_perm[..c.n_low_count_samples].to_vec();
    let n_sparse = if c.plants_sparse_samples() {
        c.n_sparse_samples
    } else {
        0
    };
    let mut sparse_samples = sample_perm[c.n_low_count_samples..][..n_sparse].to_vec();
    low_count_samples.sort_unstable();
    sparse_samples.sort_unstable();
    for &s in &low_count_samples {
        library_size[s] = c.low_count_library;
    }

    // ---- counts, one independent stream per sample --------------------------------------
    let columns: Vec<Vec<u32>> = (0..ns)
        .into_par_iter()
        .map(|s| {
            let mut rng = stream(c.seed, FIRST_COUNT_STREAM + s as u64);
            let mut eta: Vec<f64> = (0..ng)
                .map(|g| {
                    let a = module_of[g].map_or(0.0, |m| activity[m * ns + s]);
                    baseline[g] + loading[g] * a + c.noise_sd * normal(&mut rng)
                })
                .collect();
            if sparse_samples.binary_search(&s).is_ok() {
                let candidates: Vec<usize> = (0..ng).filter(|&g| !is_low[g]).collect();
                let keep = permutation(&mut rng, candidates.len());
                let mut kept = vec![false; ng];
                for &i in keep.iter().take(c.sparse_expressed) {
                    kept[candidates[i]] = true;
                }
                for (g, e) in eta.iter_mut().enumerate() {
                    if !kept[g] && !is_low[g] {
                        *e = f64::NEG_INFINITY;
                    }
                }
            }
            let shift = (0..ng)
                .filter(|&g| !is_low[g])
                .map(|g| eta[g])
                .fold(f64::NEG_INFINITY, f64::max);
            let z: f64 = (0..ng)
                .filter(|&g| !is_low[g])
                .map(|g| (eta[g] - shift).exp())
                .sum();
            (0..ng)
                .map(|g| {
                    let lambda = if is_low[g] {
                        library_size[s] * LOW_MEAN_RATE
                    } else {
                        library_size[s] * (eta[g] - shift).exp() / z
                    };
                    let k = poisson(&mut rng, lambda);
                    let drop = c.dropout_max * (-lambda / c.dropout_scale).exp();
                    if rng.random::<f64>() < drop { 0 } else { k }
                })
                .collect()
        })
        .collect();
    let mut counts = vec![0u32; ng * ns];
    for (s, col) in columns.iter().enumerate() {
        for (g, &k) in col.iter().enumerate() {
            counts[g * ns + s] = k;
        }
    }

    // ---- names ----------------------------------------------------------------------------
    let width = ng.to_string().len().max(5);
    let gene_ids: Vec<String> = (1..=ng).map(|i| format!("SYNG{i:0width$}")).collect();
    let mut symbols: Vec<String> = (1..=ng).map(|i| format!("SYM{i:0width$}")).collect();
    for &(a, b) in &duplicated_symbols {
        symbols[b] = symbols[a].clone();
    }
    Ok(ExprWorld {
        config: config.clone(),
        gene_ids,
        symbols,
        sample_ids: (1..=ns).map(|i| format!("S{i}")).collect(),
        module_of,
        loading,
        activity,
        library_size,
        counts,
        low_mean_genes,
        duplicated_symbols,
        low_count_samples,
        sparse_samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_mean_and_variance() {
        let mut r = stream(1, 9);
        for lambda in [0.5, 4.0, 29.0, 200.0] {
            let xs: Vec<f64> = (0..20_000)
                .map(|_| f64::from(poisson(&mut r, lambda)))
                .collect();
            let m = xs.iter().sum::<f64>() / xs.len() as f64;
            let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / xs.len() as f64;
            // sd of the mean: sqrt(λ / 20000) <= 0.1 λ^0.5 / 14
            assert!(
                (m - lambda).abs() < 5.0 * (lambda / 20_000f64).sqrt(),
                "{lambda}: {m}"
            );
            assert!((v / lambda - 1.0).abs() < 0.08, "{lambda}: var {v}");
        }
        assert_eq!(poisson(&mut r, 0.0), 0);
    }

    #[test]
    fn permutation_is_a_permutation() {
        let mut p = permutation(&mut stream(3, 0), 100);
        p.sort_unstable();
        assert_eq!(p, (0..100).collect::<Vec<_>>());
    }
}
