//! `seq2expr metrics`: metrics from a TSV of labels, predictions and scores, printed as one JSON
//! object.
//!
//! Input: a tab-separated file with a header line. Columns by task (other columns are ignored):
//! - `binary`: `y_true` (0/1), `y_pred` (0/1) and/or `y_score` (score of class 1);
//! - `multiclass`: `y_true`, `y_pred` (integer labels);
//! - `regression`: `y_true`, `y_pred` (numbers);
//! - `clustering`: `labels_true`, `labels_pred` (integer ids).
//!
//! Output keys (snake_case): binary/multiclass `accuracy`, `precision`, `recall`, `f1`, `mcc`,
//! (binary) `roc_auc`, `average_precision`; regression `r2`, `pearson_r2`, `mse`, `mae`,
//! `pearson`, `spearman`; clustering `rand_index`, `adjusted_rand_index`, `mutual_info`,
//! `normalized_mutual_info`, `adjusted_mutual_info`, `fowlkes_mallows`, `homogeneity`,
//! `completeness`, `v_measure`, `variation_of_information`. Defaults are scikit-learn's:
//! `zero_division` = 0; binary precision/recall/F1 are for label 1; multiclass `precision`,
//! `recall`, `f1` are macro averages over the labels present (plus `*_micro`, `*_weighted`);
//! clustering normalisations are arithmetic; `r2` is `r2_score` (1.0/0.0 for constant `y_true`).
//! The lists, names and defaults are evalkit's registry ([`evalkit::report`]).
//! A metric undefined for the input is `null` and its reason is under `"errors"`.
//! `--bootstrap N --seed S` adds `"ci"`: a 95 % percentile bootstrap interval per metric.

use std::io::BufRead;
use std::path::PathBuf;

use clap::ValueEnum;
use evalkit::report::{report_classification, report_clustering, report_regression};
use evalkit::stats::BootstrapConfig;
use serde_json::Value;

use crate::error::{CliError, CliResult};
use crate::output::print_stdout;

/// The kind of prediction task.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Task {
    /// Labels 0/1 with optional scores.
    Binary,
    /// Integer class labels.
    Multiclass,
    /// Real-valued targets.
    Regression,
    /// Two partitions (integer cluster ids).
    Clustering,
}

/// Arguments of `seq2expr metrics`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The task, which decides the columns read and the metrics computed.
    #[arg(long, value_enum)]
    pub task: Task,
    /// Input TSV with a header line.
    #[arg(long)]
    pub input: PathBuf,
    /// Number of bootstrap resamples for 95 % confidence intervals (0 = none).
    #[arg(long, default_value_t = 0)]
    pub bootstrap: usize,
    /// Seed of the bootstrap resampling.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

/// Parsed columns, by header name (raw strings kept per line for typed parsing).
struct Table {
    name: String,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

fn parse_err(path: &str, line: usize, msg: String) -> CliError {
    evalkit::Error::Parse {
        path: path.to_string(),
        line,
        msg,
    }
    .into()
}

fn read_table<R: BufRead>(r: R, name: &str) -> CliResult<Table> {
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, line) in r.lines().enumerate() {
        let line = line.map_err(|e| CliError::Io {
            context: format!("reading {name}"),
            source: e,
        })?;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<String> = line.split('\t').map(|s| s.trim().to_string()).collect();
        match &header {
            None => {
                if let Some(d) = fields
                    .iter()
                    .enumerate()
                    .find(|(i, f)| fields[..*i].contains(f))
                {
                    return Err(parse_err(
                        name,
                        1,
                        format!("the header names column `{}` twice", d.1),
                    ));
                }
                header = Some(fields);
            }
            Some(h) if h.len() != fields.len() => {
                return Err(parse_err(
                    name,
                    i + 1,
                    format!(
                        "expected {} tab-separated fields, found {}",
                        h.len(),
                        fields.len()
                    ),
                ));
            }
            Some(_) => rows.push((i + 1, fields)),
        }
    }
    let header = header.ok_or_else(|| parse_err(name, 1, "empty file: no header line".into()))?;
    Ok(Table {
        name: name.to_string(),
        header,
        rows,
    })
}

impl Table {
    fn has(&self, col: &str) -> bool {
        self.header.iter().any(|h| h == col)
    }

    fn column<T: std::str::FromStr>(&self, col: &str, kind: &str) -> CliResult<Vec<T>> {
        let j =
            self.header.iter().position(|h| h == col).ok_or_else(|| {
                parse_err(&self.name, 1, format!("header lacks the `{col}` column"))
            })?;
        self.rows
            .iter()
            .map(|(line, f)| {
                f[j].parse::<T>().map_err(|_| {
                    parse_err(
                        &self.name,
                        *line,
                        format!("column `{col}`: `{}` is not {kind}", f[j]),
                    )
                })
            })
            .collect()
    }
}

impl From<Task> for evalkit::report::Task {
    fn from(t: Task) -> Self {
        match t {
            Task::Binary => Self::Binary,
            Task::Multiclass => Self::Multiclass,
            Task::Regression => Self::Regression,
            Task::Clustering => Self::Clustering,
        }
    }
}

/// Computes the JSON report for a parsed table: the columns of the task, then the evalkit
/// registry's report ([`evalkit::report`]).
fn report(task: Task, table: &Table, bootstrap: usize, seed: u64) -> CliResult<Value> {
    if table.rows.is_empty() {
        return Err(evalkit::Error::Empty("input rows").into());
    }
    let cfg = BootstrapConfig {
        n_resamples: bootstrap,
        level: 0.95,
        seed,
    };
    let r = match task {
        Task::Binary | Task::Multiclass => {
            let t = table.column::<i64>("y_true", "an integer label")?;
            let need_pred = task == Task::Multiclass || !table.has("y_score");
            let p = if need_pred || table.has("y_pred") {
                Some(table.column::<i64>("y_pred", "an integer label")?)
            } else {
                None
            };
            let s = if task == Task::Binary && table.has("y_score") {
                Some(table.column::<f64>("y_score", "a number")?)
            } else {
                None
            };
            report_classification(task.into(), &t, p.as_deref(), s.as_deref(), &cfg)?
        }
        Task::Regression => {
            let t = table.column::<f64>("y_true", "a number")?;
            let p = table.column::<f64>("y_pred", "a number")?;
            report_regression(&t, &p, &cfg)?
        }
        Task::Clustering => {
            let t = table.column::<i64>("labels_true", "an integer id")?;
            let p = table.column::<i64>("labels_pred", "an integer id")?;
            report_clustering(&t, &p, &cfg)?
        }
    };
    r.require_intervals()?;
    Ok(r.to_json())
}

/// Runs the subcommand.
pub fn run(args: Args) -> CliResult {
    let name = args.input.display().to_string();
    let file = std::fs::File::open(&args.input).map_err(|e| CliError::Io {
        context: format!("opening {name}"),
        source: e,
    })?;
    let table = read_table(std::io::BufReader::new(file), &name)?;
    let v = report(args.task, &table, args.bootstrap, args.seed)?;
    let text = serde_json::to_string_pretty(&v).map_err(|e| CliError::Usage(e.to_string()))?;
    print_stdout(&(text + "\n"))
}
