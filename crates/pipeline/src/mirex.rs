//! miREx end to end: a baseline Xpresso, miRNA selection on the training genes' residuals, and
//! Xpresso with the selected miRNA × target features.

use std::path::{Path, PathBuf};

use datasets::mirex::{MirexFeatures, TargetWeight, mirex_features, read_mirna_expression};
use genome_io::expression::DuplicatePolicy;
use genome_io::targetscan::{TargetScanOptions, open_targetscan};
use models::mirex::{MirnaSelection, residuals, select_mirnas};
use serde::Serialize;

use crate::error::{Error, Result, io_err};
use crate::eval::EvalSummary;
use crate::model_dir::{InputSpec, subset, write_json};
use crate::prepare::Prepared;
use crate::xpresso::{TrainSettings, train_xpresso};

/// Where the miRNA side inputs come from and how they are selected.
#[derive(Debug, Clone, PartialEq)]
pub struct MirnaInputs {
    /// TargetScan table: context++ scores or `Summary_Counts` (plain or gzip).
    pub targetscan: PathBuf,
    /// miRNA expression table: miRNA id in the first column.
    pub mirna_expression: PathBuf,
    /// Column of the miRNA expression table holding the value.
    pub mirna_column: String,
    /// Pair weight: summed weighted context++ score, or 1 if targeted.
    pub weight: TargetWeight,
    /// Keep TargetScan rows of this NCBI taxonomy id (9606 = human).
    pub species: u32,
}

/// The pair weight named `score` or `targeted`.
///
/// ```
/// assert!(pipeline::mirex::target_weight("score").is_ok());
/// assert!(pipeline::mirex::target_weight("both").is_err());
/// ```
pub fn target_weight(name: &str) -> Result<TargetWeight> {
    match name {
        "score" => Ok(TargetWeight::Score),
        "targeted" => Ok(TargetWeight::Targeted),
        other => Err(Error::Usage(format!(
            "unknown miRNA weight {other:?} (score|targeted)"
        ))),
    }
}

/// The selection named `topk`, `abscorr` or `all`, with `k` miRNAs.
///
/// ```
/// assert!(pipeline::mirex::mirna_selection("topk", 10).is_ok());
/// assert!(pipeline::mirex::mirna_selection("topk", 0).is_err());
/// ```
pub fn mirna_selection(name: &str, k: usize) -> Result<MirnaSelection> {
    if k == 0 && name != "all" {
        return Err(Error::Usage("--k must be > 0".into()));
    }
    match name {
        "topk" => Ok(MirnaSelection::TopK(k)),
        "abscorr" => Ok(MirnaSelection::AbsCorr(k)),
        "all" => Ok(MirnaSelection::AllMirna),
        other => Err(Error::Usage(format!(
            "unknown --selection {other:?} (topk|abscorr|all)"
        ))),
    }
}

/// What [`train_mirex`] returns and writes to `mirex.json`.
#[derive(Debug, Clone, Serialize)]
pub struct MirexReport {
    /// The baseline Xpresso model (no miRNAs), same split and seeds.
    pub baseline: EvalSummary,
    /// miREx with the selected miRNAs.
    pub mirex: EvalSummary,
    /// Selected miRNAs with the Spearman ρ used to rank them (null for `all`).
    pub selected: Vec<(String, Option<f64>)>,
    /// Genes without any TargetScan row (their miRNA features are 0).
    pub genes_without_targets: usize,
}

/// Reads the TargetScan table and the miRNA expression and returns miREx's gene × miRNA
/// matrix for the genes of `p`, with the miRNA names. `only` restricts (and orders) the
/// miRNAs.
pub fn mirna_matrix(
    p: &Prepared,
    inputs: &MirnaInputs,
    only: Option<&[String]>,
) -> Result<MirexFeatures> {
    let ts_opts = TargetScanOptions {
        species: Some(inputs.species),
        ..Default::default()
    };
    let (matrix, stats) = open_targetscan(&inputs.targetscan, &ts_opts)?;
    if stats.kept == 0 {
        return Err(Error::Usage(format!(
            "{}: none of its {} rows is of --species {} ({} of other species)",
            inputs.targetscan.display(),
            stats.rows,
            inputs.species,
            stats.other_species
        )));
    }
    let path = &inputs.mirna_expression;
    let file = std::fs::File::open(path).map_err(io_err(format!("reading {}", path.display())))?;
    let mut expr = read_mirna_expression(
        std::io::BufReader::new(file),
        path,
        &inputs.mirna_column,
        DuplicatePolicy::Sum,
    )?;
    if let Some(names) = only {
        expr = expr.select(names)?;
    }
    let feats = mirex_features(&matrix, &p.gene_ids(), &expr, inputs.weight);
    if feats.mirnas.is_empty() {
        return Err(Error::Usage(format!(
            "no miRNA of {} has an expression value in {} (check --species {} and the miRNA names)",
            inputs.targetscan.display(),
            path.display(),
            inputs.species
        )));
    }
    Ok(feats)
}

/// Baseline Xpresso in `out/baseline`, miRNA selection on the training genes' residuals, then
/// miREx in `out`; writes `out/mirex.json`.
pub fn train_mirex(
    prepared: &Prepared,
    spec: &InputSpec,
    inputs: &MirnaInputs,
    selection: MirnaSelection,
    settings: &TrainSettings,
    out: &Path,
) -> Result<MirexReport> {
    settings.validate()?;
    // Check the selection and read and check the miRNA inputs before training anything: a
    // `k` of 0 would otherwise only fail in `select_mirnas`, after the whole baseline.
    if let MirnaSelection::TopK(0) | MirnaSelection::AbsCorr(0) = selection {
        return Err(Error::Usage("--k must be > 0".into()));
    }
    let feats = mirna_matrix(prepared, inputs, None)?;
    let n_mirna = feats.mirnas.len();
    let base = train_xpresso(prepared, spec, settings, &out.join("baseline"))?;
    // Residuals of the TRAINING genes only (no test data enters the selection).
    let train = subset(prepared, &base.rows.train, &base.scaler, true)?;
    let fitted = models::predict(&base.model, &train, 256)?;
    let resid = residuals(&train.labels, &fitted);
    let train_mirna: Vec<f32> = base
        .rows
        .train
        .iter()
        .flat_map(|&i| {
            feats.values[i * n_mirna..(i + 1) * n_mirna]
                .iter()
                .map(|&v| v as f32)
        })
        .collect();
    let chosen = select_mirnas(&resid, &train_mirna, n_mirna, selection)?;
    if chosen.is_empty() {
        return Err(Error::Usage(format!(
            "none of the {n_mirna} miRNAs varies over the training genes' targets, so none \
             has a defined correlation with the residuals"
        )));
    }
    let mut with_mirna = prepared.clone();
    let extra: Vec<f64> = (0..prepared.len())
        .flat_map(|i| chosen.iter().map(move |c| (i, c.index)))
        .map(|(i, j)| feats.values[i * n_mirna + j])
        .collect();
    with_mirna.append_features(&extra, chosen.len())?;
    let names: Vec<String> = chosen
        .iter()
        .map(|c| feats.mirnas[c.index].clone())
        .collect();
    let mspec = InputSpec {
        model: "mirex".into(),
        mirnas: names.clone(),
        mirna_weight: Some(
            match inputs.weight {
                TargetWeight::Score => "score",
                _ => "targeted",
            }
            .into(),
        ),
        ..spec.clone()
    };
    let mirex = train_xpresso(&with_mirna, &mspec, settings, out)?;
    let report = MirexReport {
        baseline: base.summary,
        mirex: mirex.summary,
        selected: names
            .into_iter()
            .zip(chosen.iter().map(|c| c.rho.is_finite().then_some(c.rho)))
            .collect(),
        genes_without_targets: feats.genes_without_targets,
    };
    write_json(&out.join("mirex.json"), &report)?;
    Ok(report)
}
