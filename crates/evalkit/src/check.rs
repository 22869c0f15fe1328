//! Input validation shared by all metrics.

use crate::{Error, Result};

/// Fails with [`Error::Empty`] or [`Error::LengthMismatch`] unless both slices are non-empty and of
/// equal length.
pub(crate) fn pair<A, B>(a: &[A], b: &[B], what: &'static str) -> Result<usize> {
    if a.len() != b.len() {
        return Err(Error::LengthMismatch {
            what,
            left: a.len(),
            right: b.len(),
        });
    }
    if a.is_empty() {
        return Err(Error::Empty(what));
    }
    Ok(a.len())
}

/// Fails with [`Error::NonFinite`] at the first NaN or infinite value.
pub(crate) fn finite(x: &[f64], what: &'static str) -> Result<()> {
    match x.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(Error::NonFinite { what, index }),
        None => Ok(()),
    }
}

/// Fails with [`Error::InvalidLabel`] unless every label is 0 or 1.
pub(crate) fn binary_labels(y: &[i64], what: &'static str) -> Result<()> {
    match y.iter().position(|&v| v != 0 && v != 1) {
        Some(index) => Err(Error::InvalidLabel {
            label: y[index],
            index,
            reason: if what == "y_true" {
                "binary y_true must be 0 or 1"
            } else {
                "binary y_pred must be 0 or 1"
            },
        }),
        None => Ok(()),
    }
}
