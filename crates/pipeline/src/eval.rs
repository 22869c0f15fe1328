//! Test-set summaries of expression models: R² in both forms with bootstrap CIs, MSE and
//! Spearman, per output column; and the predictions TSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use evalkit::stats::{BootstrapCi, BootstrapConfig, bootstrap_ci};
use serde::{Deserialize, Serialize};

use crate::error::{Result, io_err};
use crate::prepare::Prepared;

/// An estimate with a percentile bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ci {
    /// Point estimate.
    pub estimate: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

impl From<BootstrapCi> for Ci {
    fn from(c: BootstrapCi) -> Self {
        Ci {
            estimate: c.estimate,
            lower: c.lower,
            upper: c.upper,
        }
    }
}

/// Regression figures of one output column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputMetrics {
    /// 1 − RSS/TSS with its bootstrap CI.
    pub r2: Ci,
    /// Squared Pearson correlation (Xpresso's "R²") with its bootstrap CI; `null` when
    /// undefined (constant predictions, e.g. a collapsed model).
    pub pearson_r2: Option<Ci>,
    /// MSE.
    pub mse: f64,
    /// Spearman ρ (`null` when undefined).
    pub spearman: Option<f64>,
}

/// Test-set figures written to `metrics.json`.
///
/// The top-level `r2`, `pearson_r2`, `mse` and `spearman` are those of the first output;
/// `outputs` holds every output by name when the model has more than one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalSummary {
    /// Training genes.
    pub n_train: usize,
    /// Validation genes.
    pub n_valid: usize,
    /// Test genes.
    pub n_test: usize,
    /// 1 − RSS/TSS on the test set, with its bootstrap CI.
    pub r2: Ci,
    /// Squared Pearson correlation on the test set, with its bootstrap CI (`null` when
    /// undefined).
    pub pearson_r2: Option<Ci>,
    /// Test MSE.
    pub mse: f64,
    /// Test Spearman ρ (`null` when undefined).
    pub spearman: Option<f64>,
    /// Best validation score of the chosen run (MSE under the default selection).
    pub best_valid_mse: f64,
    /// Index of the run kept (by validation).
    pub best_run: usize,
    /// Per output, by name (only for multi-output models).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub outputs: BTreeMap<String, OutputMetrics>,
}

/// Figures of one column of predictions (`y_true`, `y_pred` of equal length).
pub fn output_metrics(
    y_true: &[f64],
    y_pred: &[f64],
    resamples: usize,
    seed: u64,
) -> Result<OutputMetrics> {
    let boot = BootstrapConfig {
        n_resamples: resamples.max(1),
        level: 0.95,
        seed,
    };
    let pick = |idx: &[usize], v: &[f64]| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let r2 = bootstrap_ci(y_true.len(), &boot, |idx| {
        evalkit::r2(&pick(idx, y_true), &pick(idx, y_pred))
    })?;
    // Undefined when the predictions are constant: reported as null, not an error.
    let pr2 = bootstrap_ci(y_true.len(), &boot, |idx| {
        evalkit::pearson_r2(&pick(idx, y_true), &pick(idx, y_pred))
    })
    .ok();
    Ok(OutputMetrics {
        r2: r2.into(),
        pearson_r2: pr2.map(Ci::from),
        mse: evalkit::mse(y_true, y_pred)?,
        spearman: evalkit::spearman(y_true, y_pred).ok(),
    })
}

/// The summary of `[n, names.len()]` row-major predictions against labels; split sizes and
/// run fields are left at zero / NaN.
pub fn regression_summary(
    y_true: &[f64],
    y_pred: &[f64],
    names: &[String],
    resamples: usize,
    seed: u64,
) -> Result<EvalSummary> {
    let k = names.len().max(1);
    let column = |v: &[f64], j: usize| v.iter().skip(j).step_by(k).copied().collect::<Vec<_>>();
    let mut outputs = BTreeMap::new();
    let mut first = None;
    for j in 0..k {
        let m = output_metrics(&column(y_true, j), &column(y_pred, j), resamples, seed)?;
        if j == 0 {
            first = Some(m.clone());
        }
        if let (true, Some(name)) = (k > 1, names.get(j)) {
            outputs.insert(name.clone(), m);
        }
    }
    let first = first.ok_or_else(|| crate::Error::Usage("no output column".into()))?;
    Ok(EvalSummary {
        n_train: 0,
        n_valid: 0,
        n_test: y_true.len() / k,
        r2: first.r2,
        pearson_r2: first.pearson_r2,
        mse: first.mse,
        spearman: first.spearman,
        best_valid_mse: f64::NAN,
        best_run: 0,
        outputs,
    })
}

/// `0.123` or `n/a`.
pub fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"))
}

/// Writes `gene_id gene_name transcript_id chrom strand tss0 [y_true] y_pred` for `rows`
/// (`tss0` 0-based). With several outputs the value columns are `y_true:NAME` and
/// `y_pred:NAME` per output, in output order.
pub fn write_predictions(
    path: &Path,
    p: &Prepared,
    rows: &[usize],
    y_true: Option<&[f64]>,
    y_pred: &[f64],
) -> Result<()> {
    let k = p.n_outputs();
    let mut s = String::from("gene_id\tgene_name\ttranscript_id\tchrom\tstrand\ttss0");
    let cols = |prefix: &str| -> String {
        if k == 1 {
            format!("\t{prefix}")
        } else {
            p.label_names
                .iter()
                .map(|n| format!("\t{prefix}:{n}"))
                .collect()
        }
    };
    if y_true.is_some() {
        s.push_str(&cols("y_true"));
    }
    s.push_str(&cols("y_pred"));
    s.push('\n');
    for (r, &i) in rows.iter().enumerate() {
        let w = &p.windows[i];
        let _ = write!(
            s,
            "{}\t{}\t{}\t{}\t{}\t{}",
            w.gene_id,
            w.gene_name.as_deref().unwrap_or(""),
            w.transcript_id.as_deref().unwrap_or(""),
            w.chrom,
            w.strand.as_char(),
            w.tss0
        );
        if let Some(t) = y_true {
            for v in &t[r * k..(r + 1) * k] {
                let _ = write!(s, "\t{v}");
            }
        }
        for v in &y_pred[r * k..(r + 1) * k] {
            let _ = write!(s, "\t{v}");
        }
        s.push('\n');
    }
    outfile::write_atomic(path, |w| w.write_all(s.as_bytes()))
        .map_err(io_err(format!("writing {}", path.display())))
}
