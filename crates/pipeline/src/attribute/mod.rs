//! Attributions of every model kind through one interface: what `seq2expr attribute` does.
//!
//! | method | one-hot models (Xpresso, miREx) | HF checkpoints (BERT, DNABERT-2, NT) |
//! |---|---|---|
//! | `ism` | `f(x_ic) − f(x)` per position × base ([`models::attribution::ism`]) | the same, each mutant re-tokenized ([`sequence_ism`]) |
//! | `saliency` | `∂f/∂x` per position × base | `‖∂f/∂E_t‖` of each token embedding, shared among its nucleotides |
//! | `grad-input` | `∂f/∂x · x` | `Σ_d ∂f/∂E_t,d · E_t,d`, shared among its nucleotides (totals kept) |
//! | `integrated-gradients` | midpoint rule, `--steps` points, all-zero or dinucleotide-shuffled baseline | — |
//! | `attention` | — | last layer, `[CLS]` → token, heads summed, k-mer mean, L2-normalised |
//! | `rollout` | — | Abnar & Zuidema: head mean, `+ I`, row-normalised, multiplied through the layers; `[CLS]` row |
//!
//! `f` is output `--target` (0-based): the regression output, or a class logit. One-hot
//! models get their side inputs (gene-structure and miRNA features) at 0 after scaling, i.e.
//! the training-set mean: attributions are of the sequence alone. A base other than A, C, G,
//! T is `N`, an all-zero column: its gradient × input is 0, and its ISM row holds four real
//! substitutions. For one-hot gradient methods the hypothetical (mean-centred per position)
//! contributions are written too, as DeepLIFT/SHAP users expect.
//!
//! Files in `OUT/`:
//! * `attributions.tsv`: `id, position, base, score`, positions 0-based from the sequence
//!   start. Matrix methods (one-hot gradients, ISM) give four rows per position, bases A, C,
//!   G, T; track methods one row with the sequence's own base. With `--input-ids`, `position`
//!   is the token index and `base` the token id.
//! * `attributions.npy`: `float32` `[n, L, 4]` (matrix) or `[n, L]` (track), `L` the longest
//!   sequence, shorter rows padded with NaN; `hypothetical.npy` likewise for one-hot gradients.
//! * `sequences.tsv`: `id, length, output, sequence` (`output` = `f(x)` where computed).
//! * `summary.json`: method, target, layout, counts and settings.
//! * `plots/N_ID.logo.svg`: a sequence logo of what each base contributes ([`contributions`])
//!   for the first `plots` sequences, and for ISM `plots/N_ID.ism.svg`, the heatmap of the
//!   deltas (positions `plot_range`, default the ISM window, else the first 1,000).

mod npy;
mod plot;
mod run;
mod scorer;
mod tokens;

pub use npy::{npy_header, read_npy_f32, write_f32};
pub use plot::contributions;
pub(crate) use plot::one_hot_any;
pub use run::{AttributeInput, attribute};
pub use scorer::{LmScorer, OneHotScorer, Scorer, sequence_ism};
pub(crate) use tokens::nucleotide_scores;

use std::ops::Range;
use std::path::Path;

use models::lm::LoadedLm;

use crate::model_dir::ModelDir;
use crate::{Error, Result};

/// An attribution method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// In-silico saturation mutagenesis.
    Ism,
    /// Plain gradients.
    Saliency,
    /// Gradient × input.
    GradInput,
    /// Integrated gradients.
    IntegratedGradients,
    /// Attention importance (DNABERT's recipe).
    Attention,
    /// Attention rollout.
    Rollout,
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Ism => "ism",
            Self::Saliency => "saliency",
            Self::GradInput => "grad-input",
            Self::IntegratedGradients => "integrated-gradients",
            Self::Attention => "attention",
            Self::Rollout => "rollout",
        })
    }
}

impl std::str::FromStr for Method {
    type Err = Error;

    /// ```
    /// use pipeline::attribute::Method;
    /// assert_eq!("grad-input".parse::<Method>().unwrap(), Method::GradInput);
    /// assert!("deeplift".parse::<Method>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "ism" => Self::Ism,
            "saliency" => Self::Saliency,
            "grad-input" => Self::GradInput,
            "integrated-gradients" => Self::IntegratedGradients,
            "attention" => Self::Attention,
            "rollout" => Self::Rollout,
            _ => {
                return Err(Error::Usage(format!(
                    "unknown --method {s:?}: use ism, saliency, grad-input, integrated-gradients, attention or rollout"
                )));
            }
        })
    }
}

/// The integrated-gradients baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    /// Every base absent (all-zero one-hot).
    Zero,
    /// A dinucleotide-shuffled copy of the sequence (seeded).
    Shuffle,
}

impl std::str::FromStr for Baseline {
    type Err = Error;

    /// ```
    /// assert!("shuffle".parse::<pipeline::attribute::Baseline>().is_ok());
    /// assert!("mean".parse::<pipeline::attribute::Baseline>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "zero" => Ok(Self::Zero),
            "shuffle" => Ok(Self::Shuffle),
            _ => Err(Error::Usage(format!(
                "unknown --baseline {s:?}: use zero or shuffle"
            ))),
        }
    }
}

/// Settings of [`attribute`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeSettings {
    /// The method.
    pub method: Method,
    /// The output attributed (0-based).
    pub target: usize,
    /// ISM: the positions mutated (0-based half-open), default all.
    pub window: Option<Range<usize>>,
    /// Integrated gradients: path points (midpoint rule).
    pub steps: usize,
    /// Integrated gradients: the baseline.
    pub baseline: Baseline,
    /// Seed of the shuffled baseline.
    pub seed: u64,
    /// Sequences (or mutants, or path points) per forward pass.
    pub batch_size: usize,
    /// SVG plots for the first this many sequences (`plots/`).
    pub plots: usize,
    /// Positions plotted (0-based half-open); default the ISM window, else the first 1,000.
    pub plot_range: Option<Range<usize>>,
}

impl Default for AttributeSettings {
    fn default() -> Self {
        Self {
            method: Method::GradInput,
            target: 0,
            window: None,
            steps: 64,
            baseline: Baseline::Zero,
            seed: 0,
            batch_size: 64,
            plots: 4,
            plot_range: None,
        }
    }
}

impl AttributeSettings {
    /// Checks the settings before anything is read or written.
    ///
    /// # Errors
    /// [`Error::Usage`] for a zero batch, zero or more than 100,000 steps, an empty window.
    pub fn validate(&self) -> Result<()> {
        if self.batch_size == 0 || self.batch_size > 1 << 16 {
            return Err(Error::Usage("--batch-size must be 1..=65536".into()));
        }
        if self.steps == 0 || self.steps > 100_000 {
            return Err(Error::Usage("--steps must be 1..=100000".into()));
        }
        if let Some(w) = &self.window
            && w.start >= w.end
        {
            return Err(Error::Usage(format!(
                "--window {}..{} is empty",
                w.start, w.end
            )));
        }
        Ok(())
    }
}

/// A model to explain: a trained one-hot model directory or an HF checkpoint.
#[derive(Debug)]
#[non_exhaustive]
pub enum Explainer {
    /// A directory written by `seq2expr train` / `train mirex` (Xpresso network).
    OneHot(Box<ModelDir>),
    /// An HF checkpoint directory (`config.json` + weights + tokenizer).
    Lm(Box<LoadedLm>),
}

impl Explainer {
    /// Opens `dir` on `device` (made an autodiff device: gradient methods need it, and a
    /// forward pass is unaffected): a directory with `inputs.json` is a trained one-hot model,
    /// any other an HF checkpoint.
    ///
    /// # Errors
    /// The loaders' errors.
    pub fn open(dir: &Path, device: &models::Device) -> Result<Self> {
        let dev = device.clone().autodiff();
        // Frozen: no parameter gradients and dropout off, still on the autodiff device.
        if dir.join(crate::model_dir::INPUTS_FILE).is_file() {
            let mut d = ModelDir::open(dir, &dev)?;
            d.model = models::attribution::frozen(d.model);
            Ok(Self::OneHot(Box::new(d)))
        } else {
            let mut lm = models::lm::load_dir(dir, &dev)?;
            lm.model = models::attribution::frozen(lm.model);
            Ok(Self::Lm(Box::new(lm)))
        }
    }

    /// The [`OneHotScorer`] of a one-hot model: side inputs at 0 after scaling (the training
    /// mean); `None` for an HF checkpoint.
    pub fn one_hot_scorer(&self, batch: usize) -> Option<OneHotScorer<'_>> {
        match self {
            Self::OneHot(d) => Some(one_hot_of(d, batch)),
            Self::Lm(_) => None,
        }
    }

    /// A [`Scorer`] of this model (side inputs at the training mean for one-hot models).
    pub fn scorer(&self, device: &models::Device, batch: usize) -> Box<dyn Scorer + '_> {
        match self {
            Self::OneHot(d) => Box::new(one_hot_of(d, batch)),
            Self::Lm(lm) => Box::new(LmScorer {
                lm,
                device: device.clone().autodiff(),
                batch,
            }),
        }
    }
}

fn one_hot_of(d: &ModelDir, batch: usize) -> OneHotScorer<'_> {
    OneHotScorer {
        model: &d.model,
        side: vec![0.0; d.saved.model.n_features],
        len: d.saved.model.input_len,
        batch,
    }
}
