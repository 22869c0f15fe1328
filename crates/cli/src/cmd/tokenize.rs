//! `seq2expr tokenize` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr tokenize`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`tokenize` is not available yet".into()))
}
