//! Streaming, mergeable accumulators for data that does not fit in memory: exact confusion
//! counts, and Welford / Chan numerically stable moments for MSE, MAE, R² and Pearson r.

use crate::{ConfusionMatrix, Error, Result, check};

/// Exact confusion counts over a fixed label set, fed in chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionAccumulator {
    cm: ConfusionMatrix,
}

impl ConfusionAccumulator {
    /// Starts with zero counts over `labels` (rows/columns in this order).
    ///
    /// Errors: [`Error::InvalidArgument`] (empty or duplicated labels).
    ///
    /// ```
    /// let mut acc = evalkit::ConfusionAccumulator::new(&[0, 1]).unwrap();
    /// acc.update(&[0, 1], &[0, 0]).unwrap();
    /// acc.update(&[1], &[1]).unwrap();
    /// assert_eq!(acc.matrix().to_rows(), vec![vec![1, 0], vec![1, 1]]);
    /// ```
    pub fn new(labels: &[i64]) -> Result<Self> {
        let mut s = labels.to_vec();
        s.sort_unstable();
        s.dedup();
        if s.len() != labels.len() || labels.is_empty() {
            return Err(Error::InvalidArgument(
                "labels must be non-empty and distinct".into(),
            ));
        }
        let k = labels.len();
        Ok(Self {
            cm: ConfusionMatrix::from_counts(labels.to_vec(), vec![0; k * k]),
        })
    }

    /// Adds a chunk. An empty chunk is allowed.
    ///
    /// Errors: [`Error::LengthMismatch`], [`Error::InvalidLabel`] (label not in the set; indices
    /// are within the chunk).
    pub fn update(&mut self, y_true: &[i64], y_pred: &[i64]) -> Result<()> {
        if y_true.is_empty() && y_pred.is_empty() {
            return Ok(());
        }
        let chunk = ConfusionMatrix::new(y_true, y_pred, Some(self.cm.labels()))?;
        self.add(&chunk);
        Ok(())
    }

    fn add(&mut self, other: &ConfusionMatrix) {
        let k = self.cm.n_classes();
        let counts: Vec<u64> = (0..k * k)
            .map(|i| self.cm.get(i / k, i % k) + other.get(i / k, i % k))
            .collect();
        self.cm = ConfusionMatrix::from_counts(self.cm.labels().to_vec(), counts);
    }

    /// Merges another accumulator (e.g. from another thread).
    ///
    /// Errors: [`Error::InvalidArgument`] if the label sets differ.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        if other.cm.labels() != self.cm.labels() {
            return Err(Error::InvalidArgument(
                "cannot merge different label sets".into(),
            ));
        }
        self.add(&other.cm);
        Ok(())
    }

    /// The confusion matrix so far (all metrics are methods on it).
    pub fn matrix(&self) -> &ConfusionMatrix {
        &self.cm
    }
}

/// Running moments of `(y_true, y_pred)` pairs (Welford updates, Chan merges).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RegressionAccumulator {
    n: u64,
    mean_t: f64,
    mean_p: f64,
    m2_t: f64,
    m2_p: f64,
    c_tp: f64,
    mean_se: f64,
    mean_ae: f64,
}

impl RegressionAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a chunk of pairs (an empty chunk is allowed).
    ///
    /// Errors: [`Error::LengthMismatch`], [`Error::NonFinite`].
    ///
    /// ```
    /// let mut acc = evalkit::RegressionAccumulator::new();
    /// acc.update(&[1.0, 2.0], &[2.0, 4.0]).unwrap();
    /// assert_eq!(acc.mse().unwrap(), 2.5);
    /// ```
    pub fn update(&mut self, y_true: &[f64], y_pred: &[f64]) -> Result<()> {
        if y_true.is_empty() && y_pred.is_empty() {
            return Ok(());
        }
        check::pair(y_true, y_pred, "y_true / y_pred")?;
        check::finite(y_true, "y_true")?;
        check::finite(y_pred, "y_pred")?;
        for (&t, &p) in y_true.iter().zip(y_pred) {
            self.n += 1;
            let n = self.n as f64;
            let dt = t - self.mean_t;
            self.mean_t += dt / n;
            let dp = p - self.mean_p;
            self.mean_p += dp / n;
            self.m2_t += dt * (t - self.mean_t);
            self.m2_p += dp * (p - self.mean_p);
            self.c_tp += dt * (p - self.mean_p);
            let e = t - p;
            self.mean_se += (e * e - self.mean_se) / n;
            self.mean_ae += (e.abs() - self.mean_ae) / n;
        }
        Ok(())
    }

    /// Merges another accumulator (Chan et al. pairwise update).
    pub fn merge(&mut self, o: &Self) {
        if o.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *o;
            return;
        }
        let (na, nb) = (self.n as f64, o.n as f64);
        let n = na + nb;
        let dt = o.mean_t - self.mean_t;
        let dp = o.mean_p - self.mean_p;
        self.m2_t += o.m2_t + dt * dt * na * nb / n;
        self.m2_p += o.m2_p + dp * dp * na * nb / n;
        self.c_tp += o.c_tp + dt * dp * na * nb / n;
        self.mean_t += dt * nb / n;
        self.mean_p += dp * nb / n;
        self.mean_se += (o.mean_se - self.mean_se) * nb / n;
        self.mean_ae += (o.mean_ae - self.mean_ae) * nb / n;
        self.n += o.n;
    }

    /// Number of pairs seen.
    pub fn count(&self) -> u64 {
        self.n
    }

    fn nonempty(&self) -> Result<()> {
        if self.n == 0 {
            Err(Error::Empty("regression accumulator"))
        } else {
            Ok(())
        }
    }

    /// Mean squared error. Errors: [`Error::Empty`].
    pub fn mse(&self) -> Result<f64> {
        self.nonempty()?;
        Ok(self.mean_se)
    }

    /// Mean absolute error. Errors: [`Error::Empty`].
    pub fn mae(&self) -> Result<f64> {
        self.nonempty()?;
        Ok(self.mean_ae)
    }

    /// R² = 1 − RSS/TSS with scikit-learn's values for constant `y_true` (see [`crate::r2`]).
    /// Errors: [`Error::Empty`].
    pub fn r2(&self) -> Result<f64> {
        self.nonempty()?;
        let rss = self.mean_se * self.n as f64;
        Ok(match (rss != 0.0, self.m2_t != 0.0) {
            (_, true) => 1.0 - rss / self.m2_t,
            (true, false) => 0.0,
            (false, false) => 1.0,
        })
    }

    /// Pearson r. Errors: [`Error::Empty`], [`Error::TooFewSamples`], [`Error::Constant`]
    /// (zero variance; note a streaming variance of a constant stream is exactly 0).
    pub fn pearson(&self) -> Result<f64> {
        self.nonempty()?;
        if self.n < 2 {
            return Err(Error::TooFewSamples {
                what: "correlation",
                need: 2,
                got: 1,
            });
        }
        if self.m2_t == 0.0 {
            return Err(Error::Constant("y_true"));
        }
        if self.m2_p == 0.0 {
            return Err(Error::Constant("y_pred"));
        }
        Ok((self.c_tp / (self.m2_t.sqrt() * self.m2_p.sqrt())).clamp(-1.0, 1.0))
    }
}
