//! Regression metrics: R² (two definitions, named differently), MSE, MAE, Pearson, Spearman.

use crate::buffer::Zeroed;
use crate::rank::{BLOCK, CentredSums, IndexRanks, Ranker, Staging};
use crate::stats::dist::t_sf;
use crate::{Error, Result, check};

fn pair(y_true: &[f64], y_pred: &[f64]) -> Result<usize> {
    let n = check::pair(y_true, y_pred, "y_true / y_pred")?;
    check::finite(y_true, "y_true")?;
    check::finite(y_pred, "y_pred")?;
    Ok(n)
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn rss_tss(y_true: &[f64], y_pred: &[f64]) -> (f64, f64) {
    let m = mean(y_true);
    let rss = y_true
        .iter()
        .zip(y_pred)
        .map(|(t, p)| (t - p).powi(2))
        .sum();
    // an exactly constant y_true has TSS 0 even when its computed mean is off by rounding
    let tss = if is_constant(y_true) {
        0.0
    } else {
        y_true.iter().map(|t| (t - m).powi(2)).sum()
    };
    (rss, tss)
}

/// Coefficient of determination `1 − RSS/TSS` (miREx's R², scikit-learn `r2_score(y_true,
/// y_pred)`; argument order matters). Like scikit-learn's default (`force_finite=True`), a
/// constant `y_true` (TSS = 0) gives 1.0 for a perfect prediction and 0.0 otherwise; use
/// [`r2_strict`] to get an error instead.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::NonFinite`],
/// [`Error::TooFewSamples`] for one sample (undefined; scikit-learn returns NaN).
///
/// ```
/// assert!(evalkit::r2(&[1.0], &[1.0]).is_err());
/// let r2 = evalkit::r2(&[1.0, 2.0, 3.0], &[1.0, 2.0, 4.0]).unwrap();
/// assert!((r2 - 0.5).abs() < 1e-15);
/// assert_eq!(evalkit::r2(&[3.0, 3.0], &[2.0, 4.0]).unwrap(), 0.0);
/// ```
pub fn r2(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    let n = pair(y_true, y_pred)?;
    if n < 2 {
        // scikit-learn: "R^2 score is not well-defined with less than two samples" (NaN)
        return Err(Error::TooFewSamples {
            what: "R²",
            need: 2,
            got: n,
        });
    }
    let (rss, tss) = rss_tss(y_true, y_pred);
    Ok(match (rss != 0.0, tss != 0.0) {
        (_, true) => 1.0 - rss / tss,
        (true, false) => 0.0,
        (false, false) => 1.0,
    })
}

/// `1 − RSS/TSS`, failing with [`Error::Constant`] when `y_true` is constant (TSS = 0).
///
/// ```
/// assert!(evalkit::r2_strict(&[3.0, 3.0], &[2.0, 4.0]).is_err());
/// ```
pub fn r2_strict(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    pair(y_true, y_pred)?;
    let (rss, tss) = rss_tss(y_true, y_pred);
    if tss == 0.0 {
        return Err(Error::Constant("y_true"));
    }
    Ok(1.0 - rss / tss)
}

/// The "R²" Xpresso reports: the squared Pearson correlation `r²` (not `1 − RSS/TSS`; it ignores
/// bias and scale of the predictions).
///
/// Errors: as [`pearson`].
///
/// ```
/// let v = evalkit::pearson_r2(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]).unwrap();
/// assert!((v - 1.0).abs() < 1e-15);
/// ```
pub fn pearson_r2(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    Ok(pearson(y_true, y_pred)?.powi(2))
}

/// Mean squared error.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::NonFinite`].
///
/// ```
/// assert_eq!(evalkit::mse(&[1.0, 2.0], &[2.0, 4.0]).unwrap(), 2.5);
/// ```
pub fn mse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    let n = pair(y_true, y_pred)?;
    Ok(y_true
        .iter()
        .zip(y_pred)
        .map(|(t, p)| (t - p).powi(2))
        .sum::<f64>()
        / n as f64)
}

/// Mean absolute error.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::NonFinite`].
///
/// ```
/// assert_eq!(evalkit::mae(&[1.0, 2.0], &[2.0, 4.0]).unwrap(), 1.5);
/// ```
pub fn mae(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    let n = pair(y_true, y_pred)?;
    Ok(y_true
        .iter()
        .zip(y_pred)
        .map(|(t, p)| (t - p).abs())
        .sum::<f64>()
        / n as f64)
}

fn is_constant(x: &[f64]) -> bool {
    x.iter().all(|&v| v == x[0])
}

/// Pearson correlation of two non-constant vectors (two-pass, centred, as scipy).
fn pearson_raw(x: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0)
}

/// Pearson correlation coefficient r.
///
/// Errors: [`Error::Empty`], [`Error::LengthMismatch`], [`Error::NonFinite`],
/// [`Error::TooFewSamples`] (n < 2), [`Error::Constant`] (scipy returns NaN with a
/// `ConstantInputWarning`).
///
/// ```
/// let r = evalkit::pearson(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]).unwrap();
/// assert!((r - 0.5).abs() < 1e-15);
/// assert!(evalkit::pearson(&[1.0, 1.0], &[1.0, 2.0]).is_err());
/// ```
pub fn pearson(x: &[f64], y: &[f64]) -> Result<f64> {
    corr_input(x, y)?;
    Ok(pearson_raw(x, y))
}

fn corr_input(x: &[f64], y: &[f64]) -> Result<()> {
    let n = pair(x, y)?;
    if n < 2 {
        return Err(Error::TooFewSamples {
            what: "correlation",
            need: 2,
            got: n,
        });
    }
    if is_constant(x) {
        return Err(Error::Constant("y_true"));
    }
    if is_constant(y) {
        return Err(Error::Constant("y_pred"));
    }
    Ok(())
}

/// Spearman rank correlation ρ: Pearson correlation of the average ranks (ties share the mean
/// rank, as scipy `spearmanr`). Sort-based, `O(n)` radix sort.
///
/// Errors: as [`pearson`].
///
/// ```
/// let rho = evalkit::spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 4.0, 9.0, 16.0]).unwrap();
/// assert!((rho - 1.0).abs() < 1e-15);
/// ```
pub fn spearman(x: &[f64], y: &[f64]) -> Result<f64> {
    corr_input(x, y)?;
    // Pearson on the ranks, exactly: the mean of average ranks is (n + 1) / 2 whatever the ties,
    // so c = 2·rank − (n + 1) is the doubled centred rank, an integer; the sums of products
    // are exact (`CentredSums`), and the doubling cancels in the ratio. The ranks of `x` are
    // put in index order; those of `y` are paired with them one index block at a time.
    let n = x.len();
    // One thread: the second sample reuses the first one's buffers and stages its ranks behind
    // the first one's, so it faults in no new pages. (`Zeroed` buffers, huge pages when large,
    // are faulted in by the kernel as the ranking first writes them; nothing zeroes them twice.)
    let parallel = rayon::current_num_threads() > 1;
    let mut wx = Zeroed::<u64>::new(if parallel {
        n
    } else {
        IndexRanks::words_for(n) + n
    });
    let mut wy = Zeroed::<u64>::new(if parallel { n } else { 0 });
    let (rx, sy) = if parallel {
        rayon::join(
            || IndexRanks::of(x, &mut Ranker::default(), &mut wx).0,
            || Staging::of(y, &mut Ranker::default(), &mut wy),
        )
    } else {
        let mut ranker = Ranker::default();
        let (rx, rest) = IndexRanks::of(x, &mut ranker, &mut wx);
        (rx, Staging::of(y, &mut ranker, rest))
    };
    let mut sums = CentredSums::new(n);
    let mut block = vec![0u64; BLOCK];
    for b in 0..sy.blocks() {
        let len = sy.block(b, &mut block);
        sums.add(|k| rx.get(b * BLOCK + k), &block[..len]);
    }
    let (xy, xx, yy) = (sums.xy as f64, sums.xx as f64, sums.yy as f64);
    Ok((xy / (xx.sqrt() * yy.sqrt())).clamp(-1.0, 1.0))
}

/// 1-based average ranks (scipy `rankdata(method="average")`). Panics never; an empty slice gives
/// an empty vector. Inputs must be finite for a meaningful order (NaN is ordered by its bits).
///
/// ```
/// assert_eq!(evalkit::rank_average(&[10.0, 20.0, 10.0]), vec![1.5, 3.0, 1.5]);
/// ```
pub fn rank_average(x: &[f64]) -> Vec<f64> {
    crate::rank::average_ranks(x)
}

/// A correlation with its two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Correlation {
    /// r or ρ.
    pub statistic: f64,
    /// Two-sided p-value under the null of no correlation (`None` for n = 2, as scipy's NaN).
    pub pvalue: Option<f64>,
}

fn t_pvalue(r: f64, n: usize) -> Option<f64> {
    if n < 3 {
        return None;
    }
    let df = (n - 2) as f64;
    if r.abs() >= 1.0 {
        return Some(0.0);
    }
    let t = r * (df / ((1.0 - r) * (1.0 + r))).sqrt();
    Some((2.0 * t_sf(t.abs(), df)).min(1.0))
}

/// Pearson r with scipy's two-sided p-value (exact t distribution with n − 2 df). For n = 2 the
/// p-value is 1.0, as scipy reports.
///
/// Errors: as [`pearson`].
///
/// ```
/// let c = evalkit::pearson_test(&[1.0, 2.0, 3.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
/// assert!((c.statistic - 0.8).abs() < 1e-15);
/// ```
pub fn pearson_test(x: &[f64], y: &[f64]) -> Result<Correlation> {
    let r = pearson(x, y)?;
    let pvalue = if x.len() == 2 {
        Some(1.0)
    } else {
        t_pvalue(r, x.len())
    };
    Ok(Correlation {
        statistic: r,
        pvalue,
    })
}

/// Spearman ρ with scipy's two-sided p-value (t approximation with n − 2 df; `None` for n = 2).
///
/// Errors: as [`pearson`].
///
/// ```
/// let c = evalkit::spearman_test(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]).unwrap();
/// assert!((c.statistic - 0.5).abs() < 1e-15);
/// ```
pub fn spearman_test(x: &[f64], y: &[f64]) -> Result<Correlation> {
    let rho = spearman(x, y)?;
    Ok(Correlation {
        statistic: rho,
        pvalue: t_pvalue(rho, x.len()),
    })
}
