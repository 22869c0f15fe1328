//! The metrics TSV of `seq2expr metrics` (the reader and report of
//! `crates/cli/src/cmd/metrics.rs`, compiled here from that file, since the CLI crate has no
//! library): the input is written to a file and `metrics::run` is called on it with the task
//! and bootstrap count of the first byte; the JSON it would print is discarded.
#![no_main]
use libfuzzer_sys::fuzz_target;

/// The CLI's error type, reduced to the variants `metrics.rs` uses.
mod error {
    #[derive(Debug, thiserror::Error)]
    pub enum CliError {
        #[error(transparent)]
        Eval(#[from] evalkit::Error),
        #[error("{0}")]
        Usage(String),
        #[error("{context}: {source}")]
        Io {
            context: String,
            #[source]
            source: std::io::Error,
        },
    }
    pub type CliResult<T = ()> = Result<T, CliError>;
}

/// Output that goes nowhere.
mod output {
    pub fn print_stdout(_text: &str) -> super::error::CliResult {
        Ok(())
    }
}

#[allow(dead_code, missing_docs)]
#[path = "../../crates/cli/src/cmd/metrics.rs"]
mod metrics;

fuzz_target!(|data: &[u8]| {
    let Some((&f, rest)) = data.split_first() else {
        return;
    };
    let task = [
        metrics::Task::Binary,
        metrics::Task::Multiclass,
        metrics::Task::Regression,
        metrics::Task::Clustering,
    ][usize::from(f & 3)];
    let input = seq2expr_fuzz::write_file("metrics.tsv", rest);
    let args = metrics::Args {
        task,
        input,
        bootstrap: usize::from((f >> 2) & 3),
        seed: u64::from(f >> 4),
    };
    let _ = metrics::run(args);
});
