//! Shared helpers for the oracle tests: locating ../shared, loading JSON, and a checker that
//! collects every mismatch (naming case and metric) before failing.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// `$SEQ2EXPR_SHARED` or `<workspace>/../shared`.
pub fn shared() -> PathBuf {
    std::env::var_os("SEQ2EXPR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")))
}

/// Loads `shared/oracles/metrics/<name>`.
pub fn oracle(name: &str) -> Value {
    let p = shared().join("oracles/metrics").join(name);
    let s = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("parsing {}: {e}", p.display()))
}

/// Loads a fixture under `tests/fixtures/`.
pub fn fixture(name: &str) -> Value {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name);
    let s = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()));
    serde_json::from_str(&s).unwrap_or_else(|e| panic!("parsing {}: {e}", p.display()))
}

pub fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| match x {
            Value::String(s) if s == "inf" => f64::INFINITY,
            Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
            x => x.as_f64().expect("number"),
        })
        .collect()
}

pub fn i64s(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_i64().expect("int"))
        .collect()
}

/// Oracle scalar: number, "inf"/"-inf", or null (NaN) -> None.
pub fn scalar(v: &Value) -> Option<f64> {
    match v {
        Value::Null => None,
        Value::String(s) if s == "inf" => Some(f64::INFINITY),
        Value::String(s) if s == "-inf" => Some(f64::NEG_INFINITY),
        v => Some(v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))),
    }
}

/// |got − want| <= tol · max(1, |want|).
pub fn close(got: f64, want: f64, tol: f64) -> bool {
    if got == want {
        return true;
    }
    (got - want).abs() <= tol * want.abs().max(1.0)
}

/// Relative comparison for p-values (which can be tiny).
pub fn close_rel(got: f64, want: f64, tol: f64) -> bool {
    got == want || (got - want).abs() <= tol * want.abs() || (got - want).abs() < 1e-300
}

#[derive(Default)]
pub struct Checker {
    pub failures: Vec<String>,
    pub checked: usize,
}

impl Checker {
    pub fn num(&mut self, case: &str, metric: &str, got: f64, want: f64) {
        self.checked += 1;
        if !close(got, want, 1e-9) {
            self.failures
                .push(format!("{case} / {metric}: got {got:e}, oracle {want:e}"));
        }
    }

    pub fn pval(&mut self, case: &str, metric: &str, got: f64, want: f64) {
        self.checked += 1;
        if !close_rel(got, want, 1e-9) {
            self.failures
                .push(format!("{case} / {metric}: got {got:e}, oracle {want:e}"));
        }
    }

    /// Compares a Result against an oracle scalar: a number must match; null (NaN) must be an
    /// error.
    /// p-value of a correlation: relative 1e-9, but values below 1e-15 only need to be below
    /// 1e-15 (for |r| = 1 up to rounding, scipy's p-value is rounding noise of order 1e-24).
    pub fn pval_corr(&mut self, case: &str, metric: &str, got: f64, want: f64) {
        if got.abs() < 1e-15 && want.abs() < 1e-15 {
            self.checked += 1;
            return;
        }
        self.pval(case, metric, got, want)
    }

    pub fn res(&mut self, case: &str, metric: &str, got: evalkit::Result<f64>, want: &Value) {
        self.checked += 1;
        match (got, scalar(want)) {
            (Ok(g), Some(w)) => {
                self.checked -= 1;
                self.num(case, metric, g, w)
            }
            (Err(_), None) => {}
            (Ok(g), None) => self.failures.push(format!(
                "{case} / {metric}: got {g}, oracle null (expected an error)"
            )),
            (Err(e), Some(w)) => self
                .failures
                .push(format!("{case} / {metric}: error `{e}`, oracle {w}")),
        }
    }

    /// Expects an error (oracle value is null or a documented deviation).
    pub fn err<T: std::fmt::Debug>(&mut self, case: &str, metric: &str, got: evalkit::Result<T>) {
        self.checked += 1;
        if let Ok(v) = got {
            self.failures
                .push(format!("{case} / {metric}: expected an error, got {v:?}"));
        }
    }

    pub fn vec(&mut self, case: &str, metric: &str, got: &[f64], want: &[f64]) {
        self.checked += 1;
        if got.len() != want.len() || got.iter().zip(want).any(|(&g, &w)| !close(g, w, 1e-9)) {
            self.failures
                .push(format!("{case} / {metric}: got {got:?}, oracle {want:?}"));
        }
    }

    pub fn finish(self, what: &str, min_checked: usize) {
        assert!(
            self.failures.is_empty(),
            "{} mismatches in {what}:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
        assert!(
            self.checked >= min_checked,
            "{what}: only {} checks ran",
            self.checked
        );
        eprintln!("{what}: {} checks passed", self.checked);
    }
}
