//! The lncRNA promoter study (arXiv 2411.03522) in one call: what `seq2expr reproduce lncrna`
//! does.
//!
//! 1. The four tasks are built from the genome ([`crate::lncrna::lncrna_dataset`]; task 3 only
//!    with an expression table) in `OUT/tasks/taskN[_LEN]/`.
//! 2. The LR + TF-IDF 3–6-gram baseline runs on each ([`crate::baseline::lr_baseline`]).
//! 3. Each language model is fine-tuned on each task ([`super::finetune::lm_finetune`]): the
//!    checkpoints given (study preset, lr 3e-5, or 1e-4 with LoRA), or — without any — a small
//!    DNABERT encoder pretrained here on the same genome ([`StudyPretrain`]: hidden 64,
//!    2 layers, 2 heads, 3-mers, 4,000 windows of 300 bp for 4 epochs by default) and
//!    fine-tuned at lr 1e-3 (a briefly pretrained small model, like a random-init one, does not
//!    move at 3e-5).
//! 4. `lengths` adds the Table-1 sweep (task 3, or task 2 without an expression table, at each
//!    window length); `kmers` the Table-4 sweep (a small encoder per k on the same task).
//! 5. `OUT/results.tsv`, `OUT/results.md` (Table-2 style: MCC, accuracy, F1 with 95 % CIs per
//!    task × model) and `OUT/results_mcc.svg`.

use std::path::{Path, PathBuf};

use datasets::dataset::lncrna::LncrnaConfig;
use evalkit::plots::{MetricBar, ci_bar_svg, write_svg};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::finetune::{FinetuneInputs, FinetuneSettings, FinetuneTask, lm_finetune};
use super::pretrain::{
    PretrainSettings, PretrainSource, SmallEncoder, lm_pretrain, write_small_encoder,
};
use crate::baseline::{LrSettings, lr_baseline};
use crate::error::io_err;
use crate::lncrna::lncrna_dataset;
use crate::{Error, Result};

/// How the small encoder is pretrained when no checkpoint is given (`--pretrain-config`, JSON
/// with any of these fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StudyPretrain {
    /// Hidden size.
    pub hidden: usize,
    /// Layers.
    pub layers: usize,
    /// Heads.
    pub heads: usize,
    /// Windows drawn from the genome.
    pub windows: usize,
    /// Window length.
    pub window: usize,
    /// Epochs.
    pub epochs: usize,
    /// Peak learning rate.
    pub lr: f64,
    /// Batch size.
    pub batch_size: usize,
    /// Learning rate of the fine-tuning of this encoder.
    pub finetune_lr: f64,
}

impl Default for StudyPretrain {
    fn default() -> Self {
        Self {
            hidden: 64,
            layers: 2,
            heads: 2,
            windows: 4000,
            window: 300,
            epochs: 4,
            lr: 1e-3,
            batch_size: 32,
            finetune_lr: 1e-3,
        }
    }
}

/// Inputs and settings of [`reproduce_lncrna`].
#[derive(Debug, Clone, PartialEq)]
pub struct StudySettings {
    /// Checkpoint directories fine-tuned with all weights.
    pub models: Vec<PathBuf>,
    /// Checkpoint directories fine-tuned with LoRA.
    pub lora_models: Vec<PathBuf>,
    /// The small encoder pretrained when no checkpoint is given.
    pub pretrain: StudyPretrain,
    /// Tasks (1–4; task 3 needs an expression table).
    pub tasks: Vec<u8>,
    /// Window length of the main table.
    pub length: u64,
    /// Table-1 sweep lengths.
    pub lengths: Vec<u64>,
    /// Table-4 sweep k values.
    pub kmers: Vec<usize>,
    /// Fine-tuning epochs.
    pub epochs: usize,
    /// Seed of the data sets, pretraining, fine-tuning and bootstrap.
    pub seed: u64,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// Device name.
    pub device: Option<String>,
    /// Progress bars.
    pub progress: bool,
}

impl Default for StudySettings {
    fn default() -> Self {
        Self {
            models: Vec::new(),
            lora_models: Vec::new(),
            pretrain: StudyPretrain::default(),
            tasks: vec![1, 2, 3, 4],
            length: 300,
            lengths: Vec::new(),
            kmers: Vec::new(),
            epochs: 10,
            seed: 0,
            bootstrap: 1000,
            device: None,
            progress: true,
        }
    }
}

/// One row of the results table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyRow {
    /// `table2`, `table1` (length sweep) or `table4` (k sweep).
    pub table: String,
    /// Task number.
    pub task: u8,
    /// Window length.
    pub length: u64,
    /// Model name.
    pub model: String,
    /// `(estimate, lower, upper)` of MCC, accuracy, F1.
    pub mcc: (f64, f64, f64),
    /// Accuracy.
    pub accuracy: (f64, f64, f64),
    /// F1.
    pub f1: (f64, f64, f64),
}

fn ci(m: &Value, name: &str) -> (f64, f64, f64) {
    let g = |k: &str| m[name][k].as_f64().unwrap_or(f64::NAN);
    (g("estimate"), g("lower"), g("upper"))
}

struct Ctx<'a> {
    fasta: &'a Path,
    gtf: &'a Path,
    expression: Option<&'a Path>,
    s: &'a StudySettings,
    out: &'a Path,
}

impl Ctx<'_> {
    fn task_dir(&self, task: u8, length: u64) -> Result<PathBuf> {
        let dir = self.out.join("tasks").join(format!("task{task}_{length}"));
        if !dir.join("test.csv").exists() {
            let cfg = LncrnaConfig {
                task,
                length,
                seed: self.s.seed,
                ..Default::default()
            };
            lncrna_dataset(self.fasta, self.gtf, self.expression, &cfg, &dir)?;
        }
        Ok(dir)
    }

    fn small(&self, k: usize) -> Result<PathBuf> {
        let p = &self.s.pretrain;
        let dir = self.out.join("pretrain").join(format!("dnabert{k}"));
        let done = dir.join("model").join("model.safetensors");
        if done.exists() {
            return Ok(dir.join("model"));
        }
        let e = SmallEncoder {
            k,
            hidden: p.hidden,
            layers: p.layers,
            heads: p.heads,
            max_len: (p.window.max(self.s.length as usize) + 2).max(512),
        };
        write_small_encoder(&dir.join("init"), &e)?;
        let ps = PretrainSettings {
            lr: p.lr,
            epochs: p.epochs,
            batch_size: p.batch_size,
            seed: self.s.seed,
            device: self.s.device.clone(),
            progress: self.s.progress,
            ..PretrainSettings::default()
        };
        let src = PretrainSource::Fasta {
            path: self.fasta,
            len: p.window,
            n: p.windows,
        };
        lm_pretrain(&dir.join("init"), src, &ps, &dir)?;
        Ok(dir.join("model"))
    }

    fn lm_row(&self, table: &str, task: u8, length: u64, m: &LmSpec) -> Result<StudyRow> {
        let (name, model, lora, lr) = (m.name.as_str(), m.dir.as_path(), m.lora, m.lr);
        let data = self.task_dir(task, length)?;
        let mut fs = FinetuneSettings::preset(FinetuneTask::Classification, lora);
        if let Some(lr) = lr {
            fs.lr = lr;
        }
        fs.epochs = self.s.epochs;
        fs.seed = self.s.seed;
        fs.bootstrap = self.s.bootstrap;
        fs.device = self.s.device.clone();
        fs.progress = self.s.progress;
        fs.resume = models::Resume::Fresh;
        let inp = FinetuneInputs {
            model,
            train: &data.join("train.csv"),
            dev: &data.join("dev.csv"),
            test: &data.join("test.csv"),
        };
        let out = self
            .out
            .join("finetune")
            .join(format!("{name}_task{task}_{length}"));
        let r = lm_finetune(inp, &fs, &out)?;
        Ok(row(table, task, length, name, &r["metrics"]))
    }

    fn lr_row(&self, table: &str, task: u8, length: u64) -> Result<StudyRow> {
        let data = self.task_dir(task, length)?;
        let s = LrSettings {
            bootstrap: self.s.bootstrap,
            seed: self.s.seed,
            ..LrSettings::default()
        };
        let r = lr_baseline(
            &data.join("train.csv"),
            &data.join("test.csv"),
            &s,
            &data.join("test.lr_predictions.tsv"),
        )?;
        Ok(row(table, task, length, "LR tf-idf 3-6", &r["metrics"]))
    }
}

/// A language model of the study: its name, directory, LoRA or not, and a learning rate
/// overriding the preset.
struct LmSpec {
    name: String,
    dir: PathBuf,
    lora: bool,
    lr: Option<f64>,
}

fn row(table: &str, task: u8, length: u64, model: &str, m: &Value) -> StudyRow {
    StudyRow {
        table: table.into(),
        task,
        length,
        model: model.into(),
        mcc: ci(m, "mcc"),
        accuracy: ci(m, "accuracy"),
        f1: ci(m, "f1"),
    }
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map_or_else(|| "model".into(), |n| n.to_string_lossy().into_owned())
}

/// Runs the study; returns every row of the results (also written to `OUT/results.*`).
///
/// # Errors
/// Bad settings (task outside 1–4, a k outside 3–6, task 3 requested explicitly without an
/// expression table), data-set building, training and I/O errors.
pub fn reproduce_lncrna(
    fasta: &Path,
    gtf: &Path,
    expression: Option<&Path>,
    s: &StudySettings,
    out: &Path,
) -> Result<Vec<StudyRow>> {
    if let Some(t) = s.tasks.iter().find(|t| !(1..=4).contains(*t)) {
        return Err(Error::Usage(format!("task {t} is not 1, 2, 3 or 4")));
    }
    if let Some(k) = s.kmers.iter().find(|k| !(3..=6).contains(*k)) {
        return Err(Error::Usage(format!("--kmers {k}: k must be 3..=6")));
    }
    if s.tasks.contains(&3) && expression.is_none() && s.tasks.len() == 1 {
        return Err(Error::Usage("task 3 needs --expression".into()));
    }
    std::fs::create_dir_all(out).map_err(io_err(format!("creating {}", out.display())))?;
    let cx = Ctx {
        fasta,
        gtf,
        expression,
        s,
        out,
    };
    let tasks: Vec<u8> = s
        .tasks
        .iter()
        .copied()
        .filter(|&t| t != 3 || expression.is_some())
        .collect();
    let mut lms: Vec<LmSpec> = Vec::new();
    for m in &s.models {
        lms.push(LmSpec {
            name: name_of(m),
            dir: m.clone(),
            lora: false,
            lr: None,
        });
    }
    for m in &s.lora_models {
        lms.push(LmSpec {
            name: format!("{}+LoRA", name_of(m)),
            dir: m.clone(),
            lora: true,
            lr: None,
        });
    }
    let small = |k: usize| -> Result<LmSpec> {
        Ok(LmSpec {
            name: format!("small DNABERT-{k} (pretrained here)"),
            dir: cx.small(k)?,
            lora: false,
            lr: Some(s.pretrain.finetune_lr),
        })
    };
    if lms.is_empty() {
        lms.push(small(3)?);
    }
    let mut rows = Vec::new();
    for &t in &tasks {
        rows.push(cx.lr_row("table2", t, s.length)?);
        for m in &lms {
            rows.push(cx.lm_row("table2", t, s.length, m)?);
        }
    }
    let sweep_task = if expression.is_some() { 3 } else { 2 };
    for &l in &s.lengths {
        rows.push(cx.lr_row("table1", sweep_task, l)?);
        for m in &lms {
            rows.push(cx.lm_row("table1", sweep_task, l, m)?);
        }
    }
    for &k in &s.kmers {
        rows.push(cx.lm_row("table4", sweep_task, s.length, &small(k)?)?);
    }
    write_results(out, &rows)?;
    Ok(rows)
}

fn write_results(out: &Path, rows: &[StudyRow]) -> Result<()> {
    let f = |v: (f64, f64, f64)| format!("{:.3} [{:.3}, {:.3}]", v.0, v.1, v.2);
    let tsv = out.join("results.tsv");
    outfile::write_atomic(&tsv, |w| {
        writeln!(w, "table\ttask\tlength\tmodel\tmcc\tmcc_lower\tmcc_upper\taccuracy\taccuracy_lower\taccuracy_upper\tf1\tf1_lower\tf1_upper")?;
        for r in rows {
            write!(w, "{}\t{}\t{}\t{}", r.table, r.task, r.length, r.model)?;
            for v in [r.mcc, r.accuracy, r.f1] {
                write!(w, "\t{}\t{}\t{}", v.0, v.1, v.2)?;
            }
            writeln!(w)?;
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", tsv.display())))?;
    let md = out.join("results.md");
    outfile::write_atomic(&md, |w| {
        for (table, title) in [
            (
                "table2",
                "Table 2: tasks × models (test set, 95 % bootstrap CIs)",
            ),
            ("table1", "Table 1: window length sweep"),
            ("table4", "Table 4: k-mer sweep"),
        ] {
            let sel: Vec<&StudyRow> = rows.iter().filter(|r| r.table == table).collect();
            if sel.is_empty() {
                continue;
            }
            writeln!(w, "## {title}\n")?;
            writeln!(w, "| task | length | model | MCC | accuracy | F1 |")?;
            writeln!(w, "|---|---|---|---|---|---|")?;
            for r in sel {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {} |",
                    r.task,
                    r.length,
                    r.model,
                    f(r.mcc),
                    f(r.accuracy),
                    f(r.f1)
                )?;
            }
            writeln!(w)?;
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", md.display())))?;
    let bars: Vec<MetricBar> = rows
        .iter()
        .filter(|r| r.table == "table2" && r.mcc.0.is_finite() && r.mcc.1.is_finite())
        .map(|r| MetricBar {
            model: format!("T{} {}", r.task, r.model),
            value: r.mcc.0,
            lower: r.mcc.1,
            upper: r.mcc.2,
        })
        .collect();
    if !bars.is_empty() {
        write_svg(
            &out.join("results_mcc.svg"),
            &ci_bar_svg("test MCC", &bars)?,
        )?;
    }
    Ok(())
}
