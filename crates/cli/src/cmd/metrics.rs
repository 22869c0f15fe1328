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
//! A metric undefined for the input is `null` and its reason is under `"errors"`.
//! `--bootstrap N --seed S` adds `"ci"`: a 95 % percentile bootstrap interval per metric.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;

use clap::ValueEnum;
use evalkit::stats::{BootstrapConfig, bootstrap_ci};
use evalkit::{Average, AverageMethod, ZeroDivision};
use serde_json::{Map, Value, json};

use crate::error::{CliError, CliResult};

/// A regression metric over `(y_true, y_pred)`.
type RegressionMetric = fn(&[f64], &[f64]) -> evalkit::Result<f64>;
/// A clustering metric over `(labels_true, labels_pred)`.
type ClusteringMetric = fn(&[i64], &[i64]) -> evalkit::Result<f64>;

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
            None => header = Some(fields),
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

type MetricFn<'a> = Box<dyn Fn(&[usize]) -> evalkit::Result<f64> + Sync + 'a>;

fn pick<T: Copy>(v: &[T], idx: &[usize]) -> Vec<T> {
    idx.iter().map(|&i| v[i]).collect()
}

fn prf<'a>(t: &'a [i64], p: &'a [i64], avg: Average, which: usize) -> MetricFn<'a> {
    Box::new(move |i: &[usize]| {
        let r =
            evalkit::precision_recall_f1(&pick(t, i), &pick(p, i), None, avg, ZeroDivision::Zero)?;
        Ok([r.precision, r.recall, r.f1][which])
    })
}

fn classification<'a>(
    task: Task,
    t: &'a [i64],
    p: Option<&'a [i64]>,
    s: Option<&'a [f64]>,
) -> Vec<(String, Option<MetricFn<'a>>)> {
    let mut m: Vec<(String, Option<MetricFn<'a>>)> = Vec::new();
    let names = ["precision", "recall", "f1"];
    if let Some(p) = p {
        m.push((
            "accuracy".into(),
            Some(Box::new(move |i: &[usize]| {
                evalkit::accuracy(&pick(t, i), &pick(p, i))
            })),
        ));
        if task == Task::Binary {
            for (w, n) in names.iter().enumerate() {
                m.push((n.to_string(), Some(prf(t, p, Average::Binary, w))));
            }
        } else {
            for (avg, suffix) in [
                (Average::Macro, ""),
                (Average::Micro, "_micro"),
                (Average::Weighted, "_weighted"),
            ] {
                for (w, n) in names.iter().enumerate() {
                    m.push((format!("{n}{suffix}"), Some(prf(t, p, avg, w))));
                }
            }
        }
        m.push((
            "mcc".into(),
            Some(Box::new(move |i: &[usize]| {
                evalkit::mcc(&pick(t, i), &pick(p, i))
            })),
        ));
    } else {
        for n in ["accuracy", "precision", "recall", "f1", "mcc"] {
            m.push((n.into(), None));
        }
    }
    if task == Task::Binary {
        let auc: Option<MetricFn<'a>> = s.map(|s| -> MetricFn<'a> {
            Box::new(move |i: &[usize]| evalkit::roc_auc(&pick(t, i), &pick(s, i)))
        });
        let ap: Option<MetricFn<'a>> = s.map(|s| -> MetricFn<'a> {
            Box::new(move |i: &[usize]| evalkit::average_precision(&pick(t, i), &pick(s, i)))
        });
        m.push(("roc_auc".into(), auc));
        m.push(("average_precision".into(), ap));
    }
    m
}

fn regression<'a>(t: &'a [f64], p: &'a [f64]) -> Vec<(String, Option<MetricFn<'a>>)> {
    let fs: [(&str, RegressionMetric); 6] = [
        ("r2", evalkit::r2),
        ("pearson_r2", evalkit::pearson_r2),
        ("mse", evalkit::mse),
        ("mae", evalkit::mae),
        ("pearson", evalkit::pearson),
        ("spearman", evalkit::spearman),
    ];
    fs.into_iter()
        .map(|(n, f)| -> (String, Option<MetricFn<'a>>) {
            (
                n.into(),
                Some(Box::new(move |i: &[usize]| f(&pick(t, i), &pick(p, i)))),
            )
        })
        .collect()
}

fn clustering<'a>(t: &'a [i64], p: &'a [i64]) -> Vec<(String, Option<MetricFn<'a>>)> {
    let nmi =
        |a: &[i64], b: &[i64]| evalkit::normalized_mutual_info(a, b, AverageMethod::Arithmetic);
    let ami = |a: &[i64], b: &[i64]| evalkit::adjusted_mutual_info(a, b, AverageMethod::Arithmetic);
    let fs: [(&str, ClusteringMetric); 10] = [
        ("rand_index", evalkit::rand_index),
        ("adjusted_rand_index", evalkit::adjusted_rand_index),
        ("mutual_info", evalkit::mutual_info),
        ("normalized_mutual_info", nmi),
        ("adjusted_mutual_info", ami),
        ("fowlkes_mallows", evalkit::fowlkes_mallows),
        ("homogeneity", evalkit::homogeneity),
        ("completeness", evalkit::completeness),
        ("v_measure", evalkit::v_measure),
        (
            "variation_of_information",
            evalkit::variation_of_information,
        ),
    ];
    fs.into_iter()
        .map(|(n, f)| -> (String, Option<MetricFn<'a>>) {
            (
                n.into(),
                Some(Box::new(move |i: &[usize]| f(&pick(t, i), &pick(p, i)))),
            )
        })
        .collect()
}

/// Computes the JSON report for a parsed table (public to the crate for tests).
fn report(task: Task, table: &Table, bootstrap: usize, seed: u64) -> CliResult<Value> {
    let n = table.rows.len();
    if n == 0 {
        return Err(evalkit::Error::Empty("input rows").into());
    }
    let (ti, tf, pi, pf, si);
    let metrics = match task {
        Task::Binary | Task::Multiclass => {
            ti = table.column::<i64>("y_true", "an integer label")?;
            let need_pred = task == Task::Multiclass || !table.has("y_score");
            pi = if need_pred || table.has("y_pred") {
                Some(table.column::<i64>("y_pred", "an integer label")?)
            } else {
                None
            };
            si = if task == Task::Binary && table.has("y_score") {
                Some(table.column::<f64>("y_score", "a number")?)
            } else {
                None
            };
            classification(task, &ti, pi.as_deref(), si.as_deref())
        }
        Task::Regression => {
            tf = table.column::<f64>("y_true", "a number")?;
            pf = table.column::<f64>("y_pred", "a number")?;
            regression(&tf, &pf)
        }
        Task::Clustering => {
            ti = table.column::<i64>("labels_true", "an integer id")?;
            pi = Some(table.column::<i64>("labels_pred", "an integer id")?);
            clustering(&ti, pi.as_deref().unwrap_or_default())
        }
    };
    let ident: Vec<usize> = (0..n).collect();
    let (mut out, mut errors, mut cis) = (Map::new(), Map::new(), Map::new());
    let cfg = BootstrapConfig {
        n_resamples: bootstrap,
        level: 0.95,
        seed,
    };
    for (name, f) in &metrics {
        let Some(f) = f else {
            out.insert(name.clone(), Value::Null);
            errors.insert(
                name.clone(),
                json!("the input lacks the column this metric needs"),
            );
            continue;
        };
        match f(&ident) {
            Ok(v) => {
                out.insert(name.clone(), json!(v));
                if bootstrap > 0 {
                    let ci = bootstrap_ci(n, &cfg, f)?;
                    cis.insert(
                        name.clone(),
                        json!({"lower": ci.lower, "upper": ci.upper, "n_failed": ci.n_failed}),
                    );
                }
            }
            Err(e) => {
                out.insert(name.clone(), Value::Null);
                errors.insert(name.clone(), json!(e.to_string()));
            }
        }
    }
    out.insert("n".into(), json!(n));
    out.insert("task".into(), json!(format!("{task:?}").to_lowercase()));
    out.insert("errors".into(), Value::Object(errors));
    if bootstrap > 0 {
        let meta: BTreeMap<&str, Value> = [
            ("level", json!(0.95)),
            ("n_resamples", json!(bootstrap)),
            ("seed", json!(seed)),
        ]
        .into();
        cis.insert("_settings".into(), json!(meta));
        out.insert("ci".into(), Value::Object(cis));
    }
    Ok(Value::Object(out))
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
    println!(
        "{}",
        serde_json::to_string_pretty(&v).map_err(|e| CliError::Usage(e.to_string()))?
    );
    Ok(())
}
