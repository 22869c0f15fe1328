//! `seq2expr predict` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr predict`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`predict` is not available yet".into()))
}
