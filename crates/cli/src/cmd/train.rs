//! `seq2expr train` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr train`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`train` is not available yet".into()))
}
