//! [`ModelDir`]: everything a trained expression model needs to be used again, in one
//! directory, and the checks that make a mismatch a typed error instead of a panic.
//!
//! | file | what |
//! |---|---|
//! | `config.json` | architecture, training settings, data fingerprint (models' [`SavedConfig`]) |
//! | `model.safetensors` | weights of the best run's best epoch |
//! | `inputs.json` | [`InputSpec`]: window geometry, transcript policy, encoding, features, labels, miRNAs |
//! | `feature_scaler.json` | [`FeatureScaler`] fitted on the training genes |
//! | `metrics.json`, `predictions.tsv`, `*.svg` | test-set evaluation |
//! | `run-XX/` | per-run metrics logs and checkpoints (resumable) |

use std::path::{Path, PathBuf};

use genome_io::tss::TssPolicy;
use models::{Device, SavedConfig, Xpresso, XpressoConfig, XpressoData};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, io_err};
use crate::prepare::{LabelSpec, PrepOptions, Prepared};
use crate::scaler::FeatureScaler;

/// Input description saved next to a trained model.
pub const INPUTS_FILE: &str = "inputs.json";
/// Feature scaler (training-split statistics) saved next to a trained model.
pub const SCALER_FILE: &str = "feature_scaler.json";
/// Test-set metrics.
pub const METRICS_FILE: &str = "metrics.json";
/// Test-set predictions.
pub const PREDICTIONS_FILE: &str = "predictions.tsv";

/// How a model's inputs were built; saved as `inputs.json` so that prediction rebuilds exactly
/// the same inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputSpec {
    /// `xpresso` or `mirex`.
    pub model: String,
    /// Bases upstream of the TSS.
    pub upstream: u64,
    /// Bases downstream of the TSS (the TSS excluded).
    pub downstream: u64,
    /// Transcript policy (`longest-cds`, `canonical`, `all`, `gene`).
    pub transcripts: String,
    /// Sequence encoding: `onehot-acgt` (channels-first A, C, G, T; other bases all-zero).
    #[serde(default = "default_encoding")]
    pub encoding: String,
    /// Whether the 8 gene-structure features are used.
    pub gene_features: bool,
    /// Label transform, in words.
    pub label: String,
    /// Which expression values are the labels.
    #[serde(default)]
    pub labels: LabelSpec,
    /// Label (output) names, in output order.
    #[serde(default = "default_label_names")]
    pub label_names: Vec<String>,
    /// miREx: the selected miRNAs (normalised names), in feature order.
    #[serde(default)]
    pub mirnas: Vec<String>,
    /// miREx: `score` (summed weighted context++ × expression) or `targeted` (1 × expression).
    #[serde(default)]
    pub mirna_weight: Option<String>,
}

fn default_encoding() -> String {
    "onehot-acgt".into()
}

fn default_label_names() -> Vec<String> {
    vec!["median".into()]
}

impl InputSpec {
    /// The spec of an Xpresso model built with `opts`, for the labels of `p`.
    pub fn xpresso(opts: &PrepOptions, label_names: &[String]) -> Self {
        InputSpec {
            model: "xpresso".into(),
            upstream: opts.upstream,
            downstream: opts.downstream,
            transcripts: opts.policy.name().into(),
            encoding: default_encoding(),
            gene_features: opts.features,
            label: opts.labels.describe(),
            labels: opts.labels.clone(),
            label_names: label_names.to_vec(),
            mirnas: Vec::new(),
            mirna_weight: None,
        }
    }

    /// The preparation options that rebuild these inputs.
    pub fn prep_options(&self, chrom_alias: bool) -> Result<PrepOptions> {
        let policy: TssPolicy = self.transcripts.parse().map_err(Error::Usage)?;
        Ok(PrepOptions {
            upstream: self.upstream,
            downstream: self.downstream,
            policy,
            features: self.gene_features,
            labels: self.labels.clone(),
            chrom_alias,
            ..Default::default()
        })
    }
}

/// Builds the [`XpressoData`] of the selected rows: bases, scaled features, labels.
pub fn subset(
    p: &Prepared,
    rows: &[usize],
    scaler: &FeatureScaler,
    with_labels: bool,
) -> Result<XpressoData> {
    if scaler.width() != p.n_features {
        return Err(Error::Usage(format!(
            "the feature scaler has {} columns, the inputs have {}",
            scaler.width(),
            p.n_features
        )));
    }
    let (l, f, k) = (p.seq_len, p.n_features, p.n_outputs());
    let mut bases = Vec::with_capacity(rows.len() * l);
    let mut features = Vec::with_capacity(rows.len() * f);
    let mut labels = Vec::with_capacity(if with_labels { rows.len() * k } else { 0 });
    for &i in rows {
        bases.extend_from_slice(&p.bases[i * l..(i + 1) * l]);
        if f > 0 {
            features.extend(scaler.apply(&p.features[i * f..(i + 1) * f]));
        }
        if with_labels {
            labels.extend(p.labels[i * k..(i + 1) * k].iter().map(|&v| v as f32));
        }
    }
    let data = XpressoData::from_bases(bases, features, Vec::new(), l, f)?;
    Ok(XpressoData { labels, ..data }.with_outputs(k)?)
}

/// A trained model directory, loaded and checked for consistency.
#[derive(Debug, Clone)]
pub struct ModelDir {
    /// The directory.
    pub path: PathBuf,
    /// `inputs.json`.
    pub spec: InputSpec,
    /// `feature_scaler.json`.
    pub scaler: FeatureScaler,
    /// `config.json`.
    pub saved: SavedConfig<XpressoConfig>,
    /// The network, on the device it was opened for.
    pub model: Xpresso,
}

fn read_json<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Result<T> {
    let path = dir.join(name);
    let text =
        std::fs::read_to_string(&path).map_err(io_err(format!("reading {}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| Error::ModelDir {
        dir: dir.to_path_buf(),
        msg: format!("{name} is not valid: {e}"),
    })
}

/// Writes `value` as pretty JSON to `path`, atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json = serde_json::to_vec_pretty(value).map_err(|e| Error::Usage(format!("JSON: {e}")))?;
    outfile::write_atomic(path, |w| w.write_all(&json))
        .map_err(io_err(format!("writing {}", path.display())))
}

impl ModelDir {
    /// Saves the input description and the scaler next to a model trained in `dir`.
    pub fn save_inputs(dir: &Path, spec: &InputSpec, scaler: &FeatureScaler) -> Result<()> {
        write_json(&dir.join(INPUTS_FILE), spec)?;
        write_json(&dir.join(SCALER_FILE), scaler)
    }

    /// Opens a directory written by [`crate::train_xpresso`] (or `seq2expr train`) and checks
    /// that its files agree: window length, feature width and outputs of `inputs.json` and
    /// `feature_scaler.json` against `config.json` and the weights.
    pub fn open(path: &Path, device: &Device) -> Result<Self> {
        let spec: InputSpec = read_json(path, INPUTS_FILE)?;
        let scaler: FeatureScaler = read_json(path, SCALER_FILE)?;
        let (saved, model) = models::load_trained::<XpressoConfig>(path, device)?;
        let dir = Self {
            path: path.to_path_buf(),
            spec,
            scaler,
            saved,
            model,
        };
        dir.check()?;
        Ok(dir)
    }

    fn bad(&self, msg: String) -> Error {
        Error::ModelDir {
            dir: self.path.clone(),
            msg,
        }
    }

    fn check(&self) -> Result<()> {
        let cfg = &self.saved.model;
        let len = self.spec.prep_options(false)?.window_len()?;
        if len != cfg.input_len {
            return Err(self.bad(format!(
                "{INPUTS_FILE} gives windows of {len} bases, config.json a model of input_len {}",
                cfg.input_len
            )));
        }
        if self.scaler.width() != cfg.n_features {
            return Err(self.bad(format!(
                "{SCALER_FILE} scales {} features, config.json expects {}",
                self.scaler.width(),
                cfg.n_features
            )));
        }
        if self.spec.label_names.len() != cfg.n_outputs {
            return Err(self.bad(format!(
                "{INPUTS_FILE} names {} outputs, config.json has {}",
                self.spec.label_names.len(),
                cfg.n_outputs
            )));
        }
        Ok(())
    }

    /// Predicts every gene of `p` (`[n, outputs]`, row-major, label scale), after checking
    /// that `p` has the model's window length and feature width.
    pub fn predict(&self, p: &Prepared) -> Result<Vec<f64>> {
        let cfg = &self.saved.model;
        if p.seq_len != cfg.input_len || p.n_features != cfg.n_features {
            return Err(self.bad(format!(
                "the inputs have windows of {} bases and {} features, the model expects {} and {}",
                p.seq_len, p.n_features, cfg.input_len, cfg.n_features
            )));
        }
        let rows: Vec<usize> = (0..p.len()).collect();
        let mut out = Vec::with_capacity(p.len() * cfg.n_outputs);
        // Batches of genes, so that only one batch is one-hot encoded at a time.
        for chunk in rows.chunks(4096) {
            let data = subset(p, chunk, &self.scaler, false)?;
            out.extend(
                models::predict(&self.model, &data, 256)?
                    .into_iter()
                    .map(f64::from),
            );
        }
        Ok(out)
    }
}
