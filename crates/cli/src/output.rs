//! Writing to stdout without panicking.
//!
//! `println!` panics when stdout cannot be written (`> /dev/full`, or a pipe whose reader has
//! gone: `| head -c1`). The subcommands write through these functions instead:
//!
//! - a **broken pipe** (the reader closed stdout early) is a quiet success: nothing more is
//!   written, nothing is printed on stderr and the exit status is 0 (the reader asked for no
//!   more, as with `head`);
//! - any other write error is a [`CliError::Stdout`] (exit status 1, `error: writing stdout`
//!   with the cause on stderr).

use std::io::{self, Write};

use crate::error::{CliError, CliResult};

/// Writes `text` (as is: add the final newline yourself) to stdout and flushes it.
///
/// Errors: a [`CliError::Stdout`] for a failed write or flush, except a broken pipe, which is a
/// quiet success (see the module documentation).
pub fn print_stdout(text: &str) -> CliResult {
    with_stdout(|w| w.write_all(text.as_bytes()).map_err(CliError::Stdout))?;
    Ok(())
}

/// Prints `v` as pretty JSON and a newline (see [`print_stdout`]).
///
/// Errors: as [`print_stdout`]; a value that cannot be serialised.
pub fn print_json(v: &impl serde::Serialize) -> CliResult {
    let text =
        serde_json::to_string_pretty(v).map_err(|e| CliError::Usage(format!("JSON: {e}")))?;
    print_stdout(&(text + "\n"))
}

/// Runs `write` on a buffered, locked stdout and flushes it.
///
/// Returns `Ok(None)` on a broken pipe anywhere in `write`'s error chain or in the flush: the
/// caller then stops quietly with success (skipping any summary on stderr). `write` should
/// report its own stdout errors as [`CliError::Stdout`]; a failed flush is one.
pub fn with_stdout<T>(
    write: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'_>>) -> CliResult<T>,
) -> CliResult<Option<T>> {
    let mut w = io::BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let r = write(&mut w).and_then(|v| w.flush().map(|()| v).map_err(CliError::Stdout));
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            // Drop what is still buffered: writing it again would fail the same way.
            let _ = w.into_parts();
            if is_broken_pipe(&e) { Ok(None) } else { Err(e) }
        }
    }
}

/// Whether `e`, or an error in its source chain, is an I/O error of kind
/// [`io::ErrorKind::BrokenPipe`].
pub fn is_broken_pipe(e: &CliError) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<io::Error>()
            && io.kind() == io::ErrorKind::BrokenPipe
        {
            return true;
        }
        cur = err.source();
    }
    false
}

/// A spinner counting `{pos} <what>` on stderr, only when stderr is a terminal.
pub fn spinner(what: &str) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        if let Ok(s) = indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {{pos}} {what} ({{elapsed}})"
        )) {
            b.set_style(s);
        }
        b
    })
}
