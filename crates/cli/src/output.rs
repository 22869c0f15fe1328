//! Writing to stdout without panicking.

use std::io::Write;

use crate::error::{CliError, CliResult};

/// Writes `text` and a newline to stdout and flushes. A closed pipe (`| head`) ends the
/// program quietly with status 0, as Unix tools do; any other write error is a typed error.
pub fn print_stdout(text: &str) -> CliResult {
    let mut out = std::io::stdout().lock();
    let res = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match res {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(source) => Err(CliError::Io {
            context: "writing to stdout".into(),
            source,
        }),
    }
}
