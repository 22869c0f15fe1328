//! `seq2expr demo` (under construction).

use crate::error::{CliError, CliResult};

/// Arguments of `seq2expr demo`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn run(_args: Args) -> CliResult {
    Err(CliError::Usage("`demo` is not available yet".into()))
}
