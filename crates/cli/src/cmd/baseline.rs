//! `seq2expr baseline` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr baseline`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`baseline` is not available yet".into()))
}
