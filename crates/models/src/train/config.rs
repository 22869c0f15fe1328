//! [`TrainConfig`]: optimizer, learning-rate schedule, clipping, early stopping, seeds.

use crate::{Error, Result};
use burn::optim::momentum::MomentumConfig;
use burn::optim::{
    AdamConfig, AdamWConfig, ModuleOptimizer, SgdConfig, grad_clipping::GradientClipping,
};
use serde::{Deserialize, Serialize};

/// Which optimizer to use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum OptimizerKind {
    /// SGD with (heavy-ball) momentum, no dampening (= Keras / PyTorch `SGD(momentum=m)`).
    Sgd {
        /// Momentum factor (0 = plain SGD).
        momentum: f64,
        /// Nesterov momentum.
        nesterov: bool,
    },
    /// Adam.
    Adam {
        /// beta1.
        beta1: f32,
        /// beta2.
        beta2: f32,
        /// epsilon.
        epsilon: f32,
    },
    /// AdamW (decoupled weight decay).
    AdamW {
        /// beta1.
        beta1: f32,
        /// beta2.
        beta2: f32,
        /// epsilon.
        epsilon: f32,
        /// Decoupled weight decay.
        weight_decay: f32,
    },
}

impl OptimizerKind {
    /// Adam with the usual defaults (0.9, 0.999, 1e-8).
    pub fn adam() -> Self {
        Self::Adam {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        }
    }

    /// AdamW with the usual defaults and weight decay 0.01.
    pub fn adamw() -> Self {
        Self::AdamW {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            weight_decay: 0.01,
        }
    }
}

/// Learning-rate schedule; the rate at optimizer step `t` (0-based) of `total` steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LrSchedule {
    /// Always `TrainConfig::lr`.
    Constant,
    /// Linear warm-up from 0 over `warmup_steps`, then linear decay to `final_fraction × lr`.
    LinearWarmupDecay {
        /// Warm-up length in steps.
        warmup_steps: usize,
        /// Rate at the end of training, as a fraction of the peak.
        final_fraction: f64,
    },
    /// OneCycle (Smith 2018, cosine annealing form as in PyTorch `OneCycleLR`): from
    /// `lr / div_factor` up to `lr` over `pct_start` of training, then down to
    /// `lr / (div_factor × final_div_factor)`.
    OneCycle {
        /// Fraction of the steps spent increasing.
        pct_start: f64,
        /// Initial rate = lr / div_factor.
        div_factor: f64,
        /// Final rate = initial / final_div_factor.
        final_div_factor: f64,
    },
}

impl LrSchedule {
    /// The learning rate at step `step` of `total` for peak rate `lr`.
    ///
    /// ```
    /// use models::LrSchedule;
    /// let s = LrSchedule::LinearWarmupDecay { warmup_steps: 10, final_fraction: 0.0 };
    /// assert!((s.lr_at(1e-3, 5, 110) - 5e-4).abs() < 1e-12);
    /// assert!((s.lr_at(1e-3, 10, 110) - 1e-3).abs() < 1e-12);
    /// ```
    pub fn lr_at(&self, lr: f64, step: usize, total: usize) -> f64 {
        let total = total.max(1);
        match *self {
            Self::Constant => lr,
            Self::LinearWarmupDecay {
                warmup_steps,
                final_fraction,
            } => {
                if step < warmup_steps {
                    lr * step as f64 / warmup_steps as f64
                } else {
                    let span = total.saturating_sub(warmup_steps).max(1) as f64;
                    let p = ((step - warmup_steps) as f64 / span).min(1.0);
                    lr * (1.0 - p * (1.0 - final_fraction))
                }
            }
            Self::OneCycle {
                pct_start,
                div_factor,
                final_div_factor,
            } => {
                let initial = lr / div_factor;
                let min = initial / final_div_factor;
                let up = ((pct_start * total as f64).floor() - 1.0).max(1.0);
                let down = (total as f64 - 1.0 - up).max(1.0);
                let s = step as f64;
                let cos = |a: f64, b: f64, p: f64| {
                    b + (a - b) * (1.0 + (std::f64::consts::PI * p.min(1.0)).cos()) / 2.0
                };
                if s <= up {
                    cos(initial, lr, s / up)
                } else {
                    cos(lr, min, (s - up) / down)
                }
            }
        }
    }
}

/// Gradient clipping, applied per parameter tensor by burn's optimizer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Clipping {
    /// Clamp every gradient component to `[-v, v]`.
    Value(f32),
    /// Rescale each parameter's gradient to L2 norm ≤ v.
    Norm(f32),
}

/// Which validation figure picks the best epoch (early stopping) and the best run (best-of-N).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Selection {
    /// The lowest validation loss (Xpresso: MSE).
    #[default]
    Loss,
    /// The highest validation metric of the objective (R² for regression, MCC for
    /// classification).
    Metric,
}

impl std::str::FromStr for OptimizerKind {
    type Err = Error;

    /// `sgd` (momentum 0.9, Xpresso's), `adam` or `adamw` (weight decay 0.01).
    ///
    /// ```
    /// let o: models::OptimizerKind = "adamw".parse().unwrap();
    /// assert!(matches!(o, models::OptimizerKind::AdamW { .. }));
    /// assert!("rmsprop".parse::<models::OptimizerKind>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sgd" => Ok(Self::Sgd {
                momentum: 0.9,
                nesterov: false,
            }),
            "adam" => Ok(Self::adam()),
            "adamw" => Ok(Self::adamw()),
            other => Err(Error::Config(format!(
                "unknown optimizer {other:?} (sgd|adam|adamw)"
            ))),
        }
    }
}

impl OptimizerKind {
    /// The default peak learning rate of this optimizer (5e-4 for SGD as in Xpresso, 1e-3 for
    /// Adam/AdamW).
    pub fn default_lr(&self) -> f64 {
        match self {
            Self::Sgd { .. } => 5e-4,
            _ => 1e-3,
        }
    }
}

impl LrSchedule {
    /// Parses a schedule name: `constant`, `warmup` (linear warm-up over `warmup_steps`, then
    /// linear decay to 0) or `onecycle` (PyTorch's `OneCycleLR` defaults: 30 % up, div 25,
    /// final div 1e4).
    ///
    /// ```
    /// use models::LrSchedule;
    /// assert_eq!(LrSchedule::parse("constant", 0).unwrap(), LrSchedule::Constant);
    /// assert!(LrSchedule::parse("cosine", 0).is_err());
    /// ```
    pub fn parse(name: &str, warmup_steps: usize) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "constant" => Ok(Self::Constant),
            "warmup" => Ok(Self::LinearWarmupDecay {
                warmup_steps,
                final_fraction: 0.0,
            }),
            "onecycle" => Ok(Self::OneCycle {
                pct_start: 0.3,
                div_factor: 25.0,
                final_div_factor: 1e4,
            }),
            other => Err(Error::Config(format!(
                "unknown schedule {other:?} (constant|warmup|onecycle)"
            ))),
        }
    }
}

/// Everything about a training run except the model architecture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Optimizer.
    pub optimizer: OptimizerKind,
    /// Peak learning rate.
    pub lr: f64,
    /// Learning-rate schedule.
    pub schedule: LrSchedule,
    /// Optional gradient clipping.
    pub clip: Option<Clipping>,
    /// Mini-batch size.
    pub batch_size: usize,
    /// Maximum number of epochs.
    pub max_epochs: usize,
    /// Stop after this many epochs without a better validation loss (0 = never stop early).
    pub patience: usize,
    /// Seed of the first run (weight init, dropout, shuffling).
    pub seed: u64,
    /// Number of independent runs (seeds `seed`, `seed + 1`, …); the best by validation is kept.
    pub n_runs: usize,
    /// Show a progress bar (only drawn when stderr is a terminal).
    pub progress: bool,
    /// What picks the best epoch and run.
    #[serde(default)]
    pub select_by: Selection,
    /// Gradient accumulation: mini-batches per optimizer step (1 = none). The gradient of a
    /// step is the mean over its `batch_size × accumulate` examples.
    #[serde(default = "one")]
    pub accumulate: usize,
    /// Devices of one machine the mini-batches are split over (data parallelism; 1 = one
    /// device). Each device takes `batch_size` examples, so the effective batch of a step is
    /// `batch_size × devices × accumulate` ([`TrainConfig::effective_batch`]).
    #[serde(default = "one")]
    pub devices: usize,
}

fn one() -> usize {
    1
}

impl TrainConfig {
    /// Xpresso's published training: SGD lr 5e-4 momentum 0.9, MSE, batch 128, early stopping
    /// with patience 7 (up to 100 epochs), best of N = 10 runs by validation.
    pub fn xpresso() -> Self {
        Self {
            optimizer: OptimizerKind::Sgd {
                momentum: 0.9,
                nesterov: false,
            },
            lr: 5e-4,
            schedule: LrSchedule::Constant,
            clip: None,
            batch_size: 128,
            max_epochs: 100,
            patience: 7,
            seed: 0,
            n_runs: 10,
            progress: true,
            select_by: Selection::Loss,
            accumulate: 1,
            devices: 1,
        }
    }

    /// AdamW (β 0.9/`beta2`, ε `epsilon`, decoupled weight decay) with linear warm-up over
    /// `warmup_steps` then linear decay to 0, one run, no clipping — the transformer recipe
    /// the encoders' fine-tuning and pretraining use; `select_by` picks the best epoch.
    #[allow(clippy::too_many_arguments)]
    pub fn adamw_warmup(
        lr: f64,
        warmup_steps: usize,
        weight_decay: f32,
        beta2: f32,
        epsilon: f32,
        batch_size: usize,
        max_epochs: usize,
        select_by: Selection,
    ) -> Self {
        Self {
            optimizer: OptimizerKind::AdamW {
                beta1: 0.9,
                beta2,
                epsilon,
                weight_decay,
            },
            lr,
            schedule: LrSchedule::LinearWarmupDecay {
                warmup_steps,
                final_fraction: 0.0,
            },
            clip: None,
            batch_size,
            max_epochs,
            patience: 0,
            seed: 0,
            n_runs: 1,
            progress: true,
            select_by,
            accumulate: 1,
            devices: 1,
        }
    }

    /// Checks the numbers (positive batch size, epochs, runs; finite positive lr).
    pub fn validate(&self) -> Result<()> {
        if [
            self.batch_size,
            self.max_epochs,
            self.n_runs,
            self.accumulate,
            self.devices,
        ]
        .contains(&0)
        {
            return Err(Error::Config(
                "batch_size, max_epochs, n_runs, accumulate and devices must be > 0".into(),
            ));
        }
        if self.devices > 64 {
            return Err(Error::Config(format!(
                "{} devices is more than 64",
                self.devices
            )));
        }
        if self.effective_batch() > 1 << 24 {
            return Err(Error::Config(format!(
                "batch_size {} × devices {} × accumulate {} is more than 2^24 examples per step",
                self.batch_size, self.devices, self.accumulate
            )));
        }
        if self.n_runs > 1000 {
            return Err(Error::Config(format!(
                "n_runs {} is more than 1000",
                self.n_runs
            )));
        }
        if !(self.lr.is_finite() && self.lr > 0.0) {
            return Err(Error::Config(format!(
                "learning rate {} is not > 0",
                self.lr
            )));
        }
        Ok(())
    }

    /// Examples per optimizer step: `batch_size × devices × accumulate` (saturating).
    ///
    /// ```
    /// let mut cfg = models::TrainConfig::xpresso();
    /// (cfg.batch_size, cfg.devices, cfg.accumulate) = (32, 2, 4);
    /// assert_eq!(cfg.effective_batch(), 256);
    /// ```
    pub fn effective_batch(&self) -> usize {
        self.batch_size
            .saturating_mul(self.devices)
            .saturating_mul(self.accumulate)
    }

    /// Builds the burn optimizer (with clipping) for this configuration.
    pub fn build_optimizer(&self) -> ModuleOptimizer {
        let optim = match &self.optimizer {
            OptimizerKind::Sgd { momentum, nesterov } => {
                let m = (*momentum > 0.0).then(|| {
                    MomentumConfig::new()
                        .with_momentum(*momentum)
                        .with_dampening(0.0)
                        .with_nesterov(*nesterov)
                });
                SgdConfig::new().with_momentum(m).init()
            }
            OptimizerKind::Adam {
                beta1,
                beta2,
                epsilon,
            } => AdamConfig::new()
                .with_beta_1(*beta1)
                .with_beta_2(*beta2)
                .with_epsilon(*epsilon)
                .init(),
            OptimizerKind::AdamW {
                beta1,
                beta2,
                epsilon,
                weight_decay,
            } => AdamWConfig::new()
                .with_beta_1(*beta1)
                .with_beta_2(*beta2)
                .with_epsilon(*epsilon)
                .with_weight_decay(*weight_decay)
                .init(),
        };
        match self.clip {
            Some(Clipping::Value(v)) => optim.with_grad_clipping(GradientClipping::Value(v)),
            Some(Clipping::Norm(v)) => optim.with_grad_clipping(GradientClipping::Norm(v)),
            None => optim,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_cycle_endpoints() {
        let s = LrSchedule::OneCycle {
            pct_start: 0.25,
            div_factor: 25.0,
            final_div_factor: 1e4,
        };
        let total = 100;
        assert!((s.lr_at(1.0, 0, total) - 1.0 / 25.0).abs() < 1e-12);
        // peak at step floor(0.25 * 100) - 1 = 24
        assert!((s.lr_at(1.0, 24, total) - 1.0).abs() < 1e-12);
        assert!((s.lr_at(1.0, 99, total) - 1.0 / 25.0 / 1e4).abs() < 1e-12);
        for t in 0..total - 1 {
            let (a, b) = (s.lr_at(1.0, t, total), s.lr_at(1.0, t + 1, total));
            assert!(if t < 24 { b >= a } else { b <= a }, "step {t}");
        }
    }

    #[test]
    fn warmup_decay_and_constant() {
        let s = LrSchedule::LinearWarmupDecay {
            warmup_steps: 4,
            final_fraction: 0.1,
        };
        assert_eq!(s.lr_at(2.0, 0, 14), 0.0);
        assert!((s.lr_at(2.0, 14, 14) - 0.2).abs() < 1e-12);
        assert_eq!(LrSchedule::Constant.lr_at(0.3, 7, 10), 0.3);
    }

    #[test]
    fn invalid_numbers_are_config_errors() {
        let mut c = TrainConfig::xpresso();
        c.batch_size = 0;
        assert!(matches!(c.validate(), Err(Error::Config(_))));
        let mut c = TrainConfig::xpresso();
        c.lr = f64::NAN;
        assert!(c.validate().is_err());
    }
}
