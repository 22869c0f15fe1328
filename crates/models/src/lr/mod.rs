//! L2-regularised logistic regression on sparse features (no burn): the TF-IDF / k-mer baseline.
//!
//! ## Objective
//! The same as scikit-learn's `LogisticRegression(penalty="l2", solver="lbfgs")`:
//! `min_{W,b}  C Σ_i loss_i(W x_i + b) + ½ ||W||²`, the intercepts `b` not penalised. For two
//! classes `loss` is the logistic loss of one score (one coefficient row, for the larger class
//! label); for more classes [`MultiClass::Multinomial`] uses the softmax cross-entropy over `K`
//! coefficient rows (scikit-learn's symmetric parametrisation, its only option for `lbfgs` since
//! 1.7) and [`MultiClass::OneVsRest`] fits `K` binary problems (as `OneVsRestClassifier`).
//! The objective is strictly convex in `W` (and in `b` on non-degenerate data), so any solver that
//! converges reaches the same optimum as scikit-learn's.
//!
//! ## Solver
//! L-BFGS with a strong-Wolfe line search, started from zero, stopped when the largest gradient
//! component of the objective divided by `C n` falls below `tol` (SciPy's `pgtol`, the meaning of
//! scikit-learn's `tol` for lbfgs) or the relative decrease of the objective falls below `ε` (SciPy,
//! hence scikit-learn, uses `64 ε`, which can stop it before a small `tol` is met). The gradient is
//! summed over fixed row chunks in parallel (rayon) and the chunk sums are added in order: fits are
//! deterministic and identical for any number of threads. There is nothing random to seed.

mod lbfgs;
mod objective;

use seqenc::sparse::CsrMatrix;

use crate::{Error, Result};
use objective::{Target, scores_row, sigmoid, softmax_in_place};

/// Multiclass strategy (ignored for two classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum MultiClass {
    /// Softmax over `K` coefficient rows, one joint fit.
    #[default]
    Multinomial,
    /// `K` independent binary fits; probabilities are the sigmoids normalised to sum to 1.
    OneVsRest,
}

/// Options of [`LogisticRegression::fit`]; the defaults are scikit-learn's except `tol`
/// (1e-4 there; 1e-8 here, cheap on sparse data and closer to the exact optimum).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogisticRegressionConfig {
    /// Inverse regularisation strength (`> 0`).
    pub c: f64,
    /// Fit an (unpenalised) intercept.
    pub fit_intercept: bool,
    /// Maximum L-BFGS iterations per fit.
    pub max_iter: usize,
    /// Stop when `max |∇f|` of the `1/(C n)`-scaled objective is `<= tol`.
    pub tol: f64,
    /// Number of L-BFGS correction pairs kept.
    pub history: usize,
    /// Multiclass strategy.
    pub multi_class: MultiClass,
}

impl Default for LogisticRegressionConfig {
    fn default() -> Self {
        Self {
            c: 1.0,
            fit_intercept: true,
            max_iter: 1000,
            tol: 1e-8,
            history: 10,
            multi_class: MultiClass::Multinomial,
        }
    }
}

/// A fitted logistic-regression model.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogisticRegression {
    /// Sorted distinct class labels seen in training.
    pub classes: Vec<u32>,
    /// Coefficients, one row per output (1 row for two classes, `K` otherwise), each of length
    /// `n_features`.
    pub coef: Vec<Vec<f64>>,
    /// Intercept of every output (0 without `fit_intercept`).
    pub intercept: Vec<f64>,
    /// Number of input features.
    pub n_features: usize,
    /// Multiclass strategy used.
    pub multi_class: MultiClass,
    /// L-BFGS iterations of every fit (one per OvR class).
    pub n_iter: Vec<usize>,
    /// Whether every fit met the gradient tolerance.
    pub converged: bool,
}

fn check_csr(x: &CsrMatrix) -> Result<()> {
    let bad = |m: String| Err(Error::LrInput(m));
    if x.indptr.len() != x.n_rows + 1 || x.indptr.first() != Some(&0) {
        return bad(format!(
            "indptr has length {} for {} rows (or does not start at 0)",
            x.indptr.len(),
            x.n_rows
        ));
    }
    if x.indptr.windows(2).any(|w| w[0] > w[1])
        || x.indptr[x.n_rows] != x.indices.len()
        || x.indices.len() != x.data.len()
    {
        return bad(
            "indptr is not non-decreasing or does not end at nnz (= indices.len() = data.len())"
                .into(),
        );
    }
    if let Some(j) = x.indices.iter().find(|&&j| j as usize >= x.n_cols) {
        return bad(format!("column index {j} >= n_cols {}", x.n_cols));
    }
    if let Some(p) = x.data.iter().position(|v| !v.is_finite()) {
        return bad(format!("non-finite feature value at stored entry {p}"));
    }
    Ok(())
}

impl LogisticRegression {
    /// Fits the model to the rows of `x` with labels `y`.
    ///
    /// Errors when `x` is malformed or has a different number of rows than `y`, when `y` holds
    /// fewer than two classes, or when `C <= 0`.
    ///
    /// ```
    /// use models::lr::{LogisticRegression, LogisticRegressionConfig};
    /// use seqenc::sparse::CsrMatrix;
    /// // One feature: positive for class 1, negative for class 0.
    /// let x = CsrMatrix { n_rows: 4, n_cols: 1, indptr: vec![0, 1, 2, 3, 4],
    ///                     indices: vec![0; 4], data: vec![-2.0, -1.0, 1.0, 2.0] };
    /// let m = LogisticRegression::fit(&x, &[0, 0, 1, 1], &LogisticRegressionConfig::default()).unwrap();
    /// assert!(m.coef[0][0] > 0.0);
    /// assert_eq!(m.predict(&x).unwrap(), vec![0, 0, 1, 1]);
    /// ```
    pub fn fit(x: &CsrMatrix, y: &[u32], cfg: &LogisticRegressionConfig) -> Result<Self> {
        check_csr(x)?;
        if x.n_rows != y.len() {
            return Err(Error::LrInput(format!(
                "{} rows but {} labels",
                x.n_rows,
                y.len()
            )));
        }
        if !(cfg.c > 0.0 && cfg.c.is_finite()) || cfg.tol.is_nan() || cfg.tol < 0.0 {
            return Err(Error::LrConfig(format!(
                "C must be finite and > 0 and tol >= 0 (C = {}, tol = {})",
                cfg.c, cfg.tol
            )));
        }
        let mut classes = y.to_vec();
        classes.sort_unstable();
        classes.dedup();
        if classes.len() < 2 {
            return Err(Error::LrSingleClass {
                classes: classes.len(),
            });
        }
        let d = x.n_cols;
        let opt = lbfgs::LbfgsOptions {
            max_iter: cfg.max_iter,
            gtol: cfg.tol,
            ftol: f64::EPSILON,
            history: cfg.history.max(1),
            max_linesearch: 50,
        };
        let solve = |target: Target<'_>, k: usize| {
            let fg = |p: &[f64], g: &mut [f64]| {
                objective::value_and_grad(x, &target, k, cfg.c, cfg.fit_intercept, p, g)
            };
            lbfgs::minimize(fg, vec![0.0; (d + 1) * k], &opt)
        };
        let unpack = |p: &[f64], k: usize, c: usize| -> (Vec<f64>, f64) {
            ((0..d).map(|j| p[j * k + c]).collect(), p[d * k + c])
        };
        let mut coef = Vec::new();
        let mut intercept = Vec::new();
        let mut n_iter = Vec::new();
        let mut converged = true;
        if classes.len() == 2 || cfg.multi_class == MultiClass::OneVsRest {
            let outputs: Vec<u32> = if classes.len() == 2 {
                vec![classes[1]]
            } else {
                classes.clone()
            };
            for cl in outputs {
                let yb: Vec<bool> = y.iter().map(|&v| v == cl).collect();
                let r = solve(Target::Binary(&yb), 1);
                let (w, b) = unpack(&r.x, 1, 0);
                coef.push(w);
                intercept.push(b);
                n_iter.push(r.iterations);
                converged &= r.converged;
            }
        } else {
            let k = classes.len();
            let yi: Vec<usize> = y
                .iter()
                .map(|v| classes.partition_point(|c| c < v))
                .collect();
            let r = solve(Target::Multinomial(&yi), k);
            for c in 0..k {
                let (w, b) = unpack(&r.x, k, c);
                coef.push(w);
                intercept.push(b);
            }
            n_iter.push(r.iterations);
            converged = r.converged;
        }
        Ok(Self {
            classes,
            coef,
            intercept,
            n_features: d,
            multi_class: cfg.multi_class,
            n_iter,
            converged,
        })
    }

    fn check_x(&self, x: &CsrMatrix) -> Result<()> {
        check_csr(x)?;
        if x.n_cols != self.n_features {
            return Err(Error::LrInput(format!(
                "{} feature columns, the model was fitted on {}",
                x.n_cols, self.n_features
            )));
        }
        Ok(())
    }

    /// Linear scores `x W^T + b`, one row per example, one column per coefficient row.
    ///
    /// ```
    /// # use models::lr::{LogisticRegression, MultiClass};
    /// let m = LogisticRegression { classes: vec![0, 1], coef: vec![vec![2.0]], intercept: vec![-1.0],
    ///     n_features: 1, multi_class: MultiClass::Multinomial, n_iter: vec![0], converged: true };
    /// let x = seqenc::sparse::CsrMatrix { n_rows: 1, n_cols: 1, indptr: vec![0, 1], indices: vec![0], data: vec![3.0] };
    /// assert_eq!(m.decision_function(&x).unwrap(), vec![vec![5.0]]);
    /// ```
    pub fn decision_function(&self, x: &CsrMatrix) -> Result<Vec<Vec<f64>>> {
        self.check_x(x)?;
        let k = self.coef.len();
        let mut w = vec![0.0; self.n_features * k];
        for (c, row) in self.coef.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                w[j * k + c] = *v;
            }
        }
        Ok((0..x.n_rows)
            .map(|i| {
                let mut z = vec![0.0; k];
                scores_row(x, i, &w, &self.intercept, &mut z);
                z
            })
            .collect())
    }

    /// Class probabilities, one row per example, columns in the order of [`Self::classes`].
    ///
    /// ```
    /// # use models::lr::{LogisticRegression, MultiClass};
    /// let m = LogisticRegression { classes: vec![0, 1], coef: vec![vec![0.0]], intercept: vec![0.0],
    ///     n_features: 1, multi_class: MultiClass::Multinomial, n_iter: vec![0], converged: true };
    /// let x = seqenc::sparse::CsrMatrix { n_rows: 1, n_cols: 1, indptr: vec![0, 0], indices: vec![], data: vec![] };
    /// assert_eq!(m.predict_proba(&x).unwrap(), vec![vec![0.5, 0.5]]);
    /// ```
    pub fn predict_proba(&self, x: &CsrMatrix) -> Result<Vec<Vec<f64>>> {
        let mut z = self.decision_function(x)?;
        for row in z.iter_mut() {
            if self.classes.len() == 2 {
                let p = sigmoid(row[0]);
                *row = vec![1.0 - p, p];
            } else if self.multi_class == MultiClass::OneVsRest {
                row.iter_mut().for_each(|v| *v = sigmoid(*v));
                let s: f64 = row.iter().sum();
                row.iter_mut().for_each(|v| *v /= s);
            } else {
                softmax_in_place(row);
            }
        }
        Ok(z)
    }

    /// Predicted class labels (the class with the largest score; ties: the first class).
    ///
    /// ```
    /// # use models::lr::{LogisticRegression, MultiClass};
    /// let m = LogisticRegression { classes: vec![3, 7], coef: vec![vec![1.0]], intercept: vec![0.0],
    ///     n_features: 1, multi_class: MultiClass::Multinomial, n_iter: vec![0], converged: true };
    /// let x = seqenc::sparse::CsrMatrix { n_rows: 2, n_cols: 1, indptr: vec![0, 1, 2], indices: vec![0, 0], data: vec![-1.0, 1.0] };
    /// assert_eq!(m.predict(&x).unwrap(), vec![3, 7]);
    /// ```
    pub fn predict(&self, x: &CsrMatrix) -> Result<Vec<u32>> {
        let z = self.decision_function(x)?;
        Ok(z.iter()
            .map(|row| {
                if self.classes.len() == 2 {
                    self.classes[usize::from(row[0] > 0.0)]
                } else {
                    let mut best = 0;
                    for (c, v) in row.iter().enumerate() {
                        if *v > row[best] {
                            best = c;
                        }
                    }
                    self.classes[best]
                }
            })
            .collect())
    }
}
