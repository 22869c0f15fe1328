//! `seq2expr metrics` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr metrics`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`metrics` is not available yet".into()))
}
