//! `seq2expr windows` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr windows`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`windows` is not available yet".into()))
}
