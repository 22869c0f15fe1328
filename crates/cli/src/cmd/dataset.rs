//! `seq2expr dataset` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr dataset`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`dataset` is not available yet".into()))
}
