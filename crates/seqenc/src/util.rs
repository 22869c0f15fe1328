//! Small internal helpers.

use crate::error::{Error, Result};
use std::path::Path;

/// Writes `bytes` to `path` atomically (a temporary file in the same directory, then a rename;
/// a device or named pipe is written in place: the workspace's `outfile` crate).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    outfile::write_atomic_with(path, |w| w.write_all(bytes), |_, e| e)
        .map_err(|e| Error::io(path, e))
}
