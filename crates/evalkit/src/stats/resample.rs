//! Seeded percentile bootstrap, paired bootstrap and mean ± t-based CI over repeated runs.

use super::dist::t_ppf;
use crate::{Error, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Settings of a bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapConfig {
    /// Number of resamples (each of size n, drawn with replacement).
    pub n_resamples: usize,
    /// Confidence level in (0, 1), e.g. 0.95.
    pub level: f64,
    /// Seed: resample `r` uses ChaCha8 seeded with `seed` on stream `r`, so results do not depend
    /// on the number of threads.
    pub seed: u64,
}

impl Default for BootstrapConfig {
    /// 1000 resamples, 95 %, seed 0.
    fn default() -> Self {
        Self {
            n_resamples: 1000,
            level: 0.95,
            seed: 0,
        }
    }
}

/// A point estimate with a percentile confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapCi {
    /// The metric on the original sample (identity indices).
    pub estimate: f64,
    /// Lower bound (the (1 − level)/2 percentile, numpy's linear interpolation).
    pub lower: f64,
    /// Upper bound (the (1 + level)/2 percentile).
    pub upper: f64,
    /// Resamples on which the metric returned an error (e.g. one class only); they are skipped.
    pub n_failed: usize,
}

/// The most bootstrap resamples one call takes (their statistics are kept to sort them).
pub const MAX_RESAMPLES: usize = 10_000_000;

fn validate(n: usize, cfg: &BootstrapConfig) -> Result<()> {
    if n == 0 {
        return Err(Error::Empty("bootstrap sample"));
    }
    if cfg.n_resamples == 0 {
        return Err(Error::InvalidArgument("n_resamples must be > 0".into()));
    }
    if cfg.n_resamples > MAX_RESAMPLES {
        return Err(Error::InvalidArgument(format!(
            "{} bootstrap resamples: at most {MAX_RESAMPLES} (each keeps 32 bytes, a budget of 320 MB; \
             1,000–10,000 is the usual range)",
            cfg.n_resamples
        )));
    }
    if !(cfg.level > 0.0 && cfg.level < 1.0) {
        return Err(Error::InvalidArgument(format!(
            "level {} not in (0, 1)",
            cfg.level
        )));
    }
    Ok(())
}

/// The `r`-th resample of `0..n` (with replacement).
pub(crate) fn resample(n: usize, seed: u64, r: usize) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(r as u64);
    (0..n).map(|_| rng.random_range(0..n)).collect()
}

/// numpy `percentile(..., method="linear")` of sorted data, `q` in [0, 1].
pub(crate) fn percentile_sorted(v: &[f64], q: f64) -> f64 {
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (pos - lo as f64) * (v[hi] - v[lo])
}

fn ci_from(mut stats: Vec<f64>, level: f64) -> (f64, f64) {
    stats.sort_by(f64::total_cmp);
    let a = (1.0 - level) / 2.0;
    (
        percentile_sorted(&stats, a),
        percentile_sorted(&stats, 1.0 - a),
    )
}

/// Percentile bootstrap CI of any metric of `n` samples. `metric` receives the indices of a
/// resample (with repetition) and computes the metric on those samples; resamples where it fails
/// are counted in `n_failed` and skipped.
///
/// Errors: [`Error::Empty`] (n = 0), [`Error::InvalidArgument`], the metric's own error on the
/// original sample, [`Error::Undefined`] if every resample failed.
///
/// ```
/// use evalkit::stats::{bootstrap_ci, BootstrapConfig};
/// let (t, p) = ([1.0, 2.0, 3.0, 4.0, 5.0], [1.1, 1.9, 3.2, 3.8, 5.1]);
/// let ci = bootstrap_ci(5, &BootstrapConfig { n_resamples: 200, level: 0.9, seed: 7 }, |idx| {
///     let (a, b): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (t[i], p[i])).unzip();
///     evalkit::mae(&a, &b)
/// }).unwrap();
/// assert!(ci.lower <= ci.estimate && ci.estimate <= ci.upper);
/// ```
pub fn bootstrap_ci<F>(n: usize, cfg: &BootstrapConfig, metric: F) -> Result<BootstrapCi>
where
    F: Fn(&[usize]) -> Result<f64> + Sync,
{
    validate(n, cfg)?;
    let ident: Vec<usize> = (0..n).collect();
    let estimate = metric(&ident)?;
    let all: Vec<Option<f64>> = (0..cfg.n_resamples)
        .into_par_iter()
        .map(|r| {
            metric(&resample(n, cfg.seed, r))
                .ok()
                .filter(|v| v.is_finite())
        })
        .collect();
    let ok: Vec<f64> = all.iter().flatten().copied().collect();
    if ok.is_empty() {
        return Err(Error::Undefined(
            "bootstrap: the metric failed on every resample".into(),
        ));
    }
    let (lower, upper) = ci_from(ok.clone(), cfg.level);
    Ok(BootstrapCi {
        estimate,
        lower,
        upper,
        n_failed: cfg.n_resamples - ok.len(),
    })
}

/// Result of a paired bootstrap comparing model A with model B.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedBootstrap {
    /// metric(A) − metric(B) on the original sample, with its percentile CI.
    pub delta: BootstrapCi,
    /// Two-sided p-value: `min(1, 2 · min(frac(Δ* <= 0), frac(Δ* >= 0)))` over resamples.
    pub pvalue: f64,
}

/// Paired bootstrap: both metrics are evaluated on the same resampled indices each time.
///
/// Errors: as [`bootstrap_ci`].
///
/// ```
/// use evalkit::stats::{paired_bootstrap, BootstrapConfig};
/// let y = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
/// let good = [0.1, 1.0, 2.1, 2.9, 4.0, 5.2];
/// let bad = [1.0, 0.0, 3.0, 2.0, 5.0, 3.0];
/// let mse_of = |p: [f64; 6]| move |idx: &[usize]| {
///     let (a, b): (Vec<f64>, Vec<f64>) = idx.iter().map(|&i| (y[i], p[i])).unzip();
///     evalkit::mse(&a, &b)
/// };
/// let cfg = BootstrapConfig { n_resamples: 500, level: 0.95, seed: 1 };
/// let r = paired_bootstrap(6, &cfg, mse_of(good), mse_of(bad)).unwrap();
/// assert!(r.delta.estimate < 0.0);
/// ```
pub fn paired_bootstrap<FA, FB>(
    n: usize,
    cfg: &BootstrapConfig,
    metric_a: FA,
    metric_b: FB,
) -> Result<PairedBootstrap>
where
    FA: Fn(&[usize]) -> Result<f64> + Sync,
    FB: Fn(&[usize]) -> Result<f64> + Sync,
{
    validate(n, cfg)?;
    let ident: Vec<usize> = (0..n).collect();
    let estimate = metric_a(&ident)? - metric_b(&ident)?;
    let deltas: Vec<f64> = (0..cfg.n_resamples)
        .into_par_iter()
        .filter_map(|r| {
            let idx = resample(n, cfg.seed, r);
            let d = metric_a(&idx).ok()? - metric_b(&idx).ok()?;
            d.is_finite().then_some(d)
        })
        .collect();
    if deltas.is_empty() {
        return Err(Error::Undefined(
            "paired bootstrap: every resample failed".into(),
        ));
    }
    let m = deltas.len() as f64;
    let le = deltas.iter().filter(|&&d| d <= 0.0).count() as f64 / m;
    let ge = deltas.iter().filter(|&&d| d >= 0.0).count() as f64 / m;
    let n_failed = cfg.n_resamples - deltas.len();
    let (lower, upper) = ci_from(deltas, cfg.level);
    Ok(PairedBootstrap {
        delta: BootstrapCi {
            estimate,
            lower,
            upper,
            n_failed,
        },
        pvalue: (2.0 * le.min(ge)).min(1.0),
    })
}

/// Mean over repeated runs with a t-distribution CI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanCi {
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 denominator).
    pub sd: f64,
    /// mean − t_{(1+level)/2, n−1} · sd / √n.
    pub lower: f64,
    /// mean + t_{(1+level)/2, n−1} · sd / √n.
    pub upper: f64,
}

/// Mean and t-based confidence interval of values from repeated runs (e.g. seeds).
///
/// Errors: [`Error::TooFewSamples`] (n < 2), [`Error::NonFinite`], [`Error::InvalidArgument`].
///
/// ```
/// let ci = evalkit::stats::mean_ci(&[0.80, 0.82, 0.78, 0.81, 0.79], 0.95).unwrap();
/// assert!((ci.mean - 0.8).abs() < 1e-12);
/// // scipy: t.ppf(0.975, 4) * std(ddof=1) / sqrt(5)
/// assert!((ci.upper - ci.mean - 2.7764451051977987 * 0.015811388300841896 / 5f64.sqrt()).abs() < 1e-12);
/// ```
pub fn mean_ci(values: &[f64], level: f64) -> Result<MeanCi> {
    let n = values.len();
    if n < 2 {
        return Err(Error::TooFewSamples {
            what: "mean CI",
            need: 2,
            got: n,
        });
    }
    crate::check::finite(values, "values")?;
    if !(level > 0.0 && level < 1.0) {
        return Err(Error::InvalidArgument(format!(
            "level {level} not in (0, 1)"
        )));
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let h = t_ppf((1.0 + level) / 2.0, (n - 1) as f64) * sd / (n as f64).sqrt();
    Ok(MeanCi {
        mean,
        sd,
        lower: mean - h,
        upper: mean + h,
    })
}
