//! A small L-BFGS minimiser with a strong-Wolfe line search (Nocedal & Wright, algorithms 7.4,
//! 3.5 and 3.6), stopping rules as in SciPy's L-BFGS-B that scikit-learn uses:
//! `max |g_i| <= gtol`, or a relative decrease `(f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= ftol`
//! (both count as convergence, as in SciPy).

/// Solver options.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LbfgsOptions {
    pub max_iter: usize,
    pub gtol: f64,
    pub ftol: f64,
    pub history: usize,
    pub max_linesearch: usize,
}

/// Result of a minimisation.
#[derive(Debug, Clone)]
pub(crate) struct LbfgsResult {
    pub x: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `f` from `x0`. `fg(x, grad)` writes the gradient into `grad` and returns `f(x)`.
pub(crate) fn minimize<F>(mut fg: F, x0: Vec<f64>, opt: &LbfgsOptions) -> LbfgsResult
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut f = fg(&x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho: Vec<f64> = Vec::new();
    let mut d = vec![0.0; n];
    let mut xt = vec![0.0; n];
    let mut gt = vec![0.0; n];
    let mut alpha = vec![0.0; opt.history.max(1)];
    for iter in 0..opt.max_iter {
        let pg = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if pg <= opt.gtol {
            return LbfgsResult {
                x,
                iterations: iter,
                converged: true,
            };
        }
        // Two-loop recursion: d = -H g.
        d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g);
        let m = s_hist.len();
        for i in (0..m).rev() {
            alpha[i] = rho[i] * dot(&s_hist[i], &d);
            d.iter_mut()
                .zip(&y_hist[i])
                .for_each(|(d, y)| *d -= alpha[i] * y);
        }
        if m > 0 {
            let gamma = dot(&s_hist[m - 1], &y_hist[m - 1]) / dot(&y_hist[m - 1], &y_hist[m - 1]);
            d.iter_mut().for_each(|d| *d *= gamma);
        }
        for i in 0..m {
            let beta = rho[i] * dot(&y_hist[i], &d);
            d.iter_mut()
                .zip(&s_hist[i])
                .for_each(|(d, s)| *d += (alpha[i] - beta) * s);
        }
        let mut dg0 = dot(&d, &g);
        if dg0 >= 0.0 || !dg0.is_finite() {
            // Not a descent direction: restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho.clear();
            d.iter_mut().zip(&g).for_each(|(d, g)| *d = -g);
            dg0 = dot(&d, &g);
        }
        let step0 = if m == 0 {
            (1.0 / dot(&d, &d).sqrt()).min(1.0)
        } else {
            1.0
        };
        let Some((t, ft)) = line_search(
            &mut fg,
            &x,
            f,
            dg0,
            &d,
            step0,
            &mut xt,
            &mut gt,
            opt.max_linesearch,
        ) else {
            // No acceptable step: we are at the precision limit.
            return LbfgsResult {
                x,
                iterations: iter,
                converged: pg <= opt.gtol * 10.0,
            };
        };
        let s: Vec<f64> = d.iter().map(|d| t * d).collect();
        let y: Vec<f64> = gt.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        let f_old = f;
        x.copy_from_slice(&xt);
        g.copy_from_slice(&gt);
        f = ft;
        if sy > f64::EPSILON * dot(&y, &y) {
            if s_hist.len() == opt.history.max(1) {
                s_hist.remove(0);
                y_hist.remove(0);
                rho.remove(0);
            }
            s_hist.push(s);
            y_hist.push(y);
            rho.push(1.0 / sy);
        }
        if (f_old - f) / f_old.abs().max(f.abs()).max(1.0) <= opt.ftol {
            // SciPy reports this as success too ("REL_REDUCTION_OF_F_<=_FACTR*EPSMCH").
            return LbfgsResult {
                x,
                iterations: iter + 1,
                converged: true,
            };
        }
    }
    let pg = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    LbfgsResult {
        x,
        iterations: opt.max_iter,
        converged: pg <= opt.gtol,
    }
}

/// Strong-Wolfe line search along `d` from `x` (`f0`, directional derivative `dg0 < 0`).
/// On success `xt`, `gt` hold the accepted point and gradient; returns `(step, f)`.
#[allow(clippy::too_many_arguments)]
fn line_search<F>(
    fg: &mut F,
    x: &[f64],
    f0: f64,
    dg0: f64,
    d: &[f64],
    step0: f64,
    xt: &mut [f64],
    gt: &mut [f64],
    max_ls: usize,
) -> Option<(f64, f64)>
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    const C1: f64 = 1e-4;
    const C2: f64 = 0.9;
    let (mut lo, mut f_lo, mut dg_lo) = (0.0f64, f0, dg0);
    let mut hi: Option<(f64, f64)> = None;
    let mut t = step0;
    let mut eval = |t: f64, xt: &mut [f64], gt: &mut [f64]| {
        xt.iter_mut()
            .zip(x.iter().zip(d))
            .for_each(|(xt, (x, d))| *xt = x + t * d);
        let f = fg(xt, gt);
        (f, dot(gt, d))
    };
    for _ in 0..max_ls {
        let (ft, dgt) = eval(t, xt, gt);
        if !ft.is_finite() || ft > f0 + C1 * t * dg0 || ft >= f_lo && lo > 0.0 {
            hi = Some((t, if ft.is_finite() { ft } else { f64::MAX }));
        } else {
            if dgt.abs() <= -C2 * dg0 {
                return Some((t, ft));
            }
            if let Some((h, _)) = hi {
                if dgt * (h - lo) >= 0.0 {
                    hi = Some((lo, f_lo));
                }
            } else if dgt >= 0.0 {
                hi = Some((lo, f_lo));
            }
            (lo, f_lo, dg_lo) = (t, ft, dgt);
        }
        t = match hi {
            None => t * 2.0,
            Some((h, f_h)) => {
                // Minimiser of the quadratic through (lo, f_lo, dg_lo) and (h, f_h), safeguarded.
                let w = h - lo;
                let denom = 2.0 * (f_h - f_lo - dg_lo * w);
                let q = if denom > 0.0 {
                    lo - dg_lo * w * w / denom
                } else {
                    lo + 0.5 * w
                };
                let (a, b) = (lo.min(h), lo.max(h));
                let margin = 0.1 * (b - a);
                if q.is_finite() && q > a + margin && q < b - margin {
                    q
                } else {
                    0.5 * (lo + h)
                }
            }
        };
        if (t - lo).abs() <= f64::EPSILON * lo.abs().max(1e-300) {
            break;
        }
    }
    if lo > 0.0 {
        let (f, _) = eval(lo, xt, gt);
        Some((lo, f))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_rosenbrock() {
        // Rosenbrock's minimum is (1, 1) by construction.
        let fg = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        };
        let opt = LbfgsOptions {
            max_iter: 500,
            gtol: 1e-10,
            ftol: 0.0,
            history: 10,
            max_linesearch: 50,
        };
        let r = minimize(fg, vec![-1.2, 1.0], &opt);
        assert!(r.converged);
        assert!(
            (r.x[0] - 1.0).abs() < 1e-8 && (r.x[1] - 1.0).abs() < 1e-8,
            "{:?}",
            r.x
        );
    }
}
