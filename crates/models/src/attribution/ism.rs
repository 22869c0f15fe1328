//! In-silico saturation mutagenesis.

use super::{OneHotModel, check_input, outputs_of};
use crate::{Error, Result};
use std::ops::Range;

/// The result of [`ism`].
#[derive(Debug, Clone, PartialEq)]
pub struct Ism {
    /// `f(x)` for the chosen output.
    pub reference: f32,
    /// `f(x_ic) − f(x)`, position-major `[L][4]` (positions outside the window are 0).
    pub delta: Vec<f32>,
    /// The positions mutated.
    pub window: Range<usize>,
}

/// Checks an ISM input and its window (default: the whole sequence).
pub(crate) fn ism_window(
    onehot: &[f32],
    len: usize,
    window: Option<Range<usize>>,
) -> Result<Range<usize>> {
    check_input(onehot, len, "ism")?;
    let window = window.unwrap_or(0..len);
    if window.start > window.end || window.end > len {
        return Err(Error::Config(format!(
            "ISM window {}..{} is outside the sequence of {len} bases",
            window.start, window.end
        )));
    }
    Ok(window)
}

/// Whether column `i` of `x` (`[4, len]`) is exactly the one-hot of base `c`.
fn is_base(x: &[f32], len: usize, i: usize, c: usize) -> bool {
    (0..4).all(|o| x[o * len + i] == if o == c { 1.0 } else { 0.0 })
}

/// Saturation mutagenesis of one sequence: every position of `window` (all when `None`) ×
/// every base, the mutants run in batches of `batch`.
///
/// `onehot` is `[4, len]` channels-first; `side` the example's side inputs; `target` the
/// output column. The reference base of a position gets exactly 0 (the mutant equals `x`);
/// an `N` position (all-zero column) gets four real substitutions.
///
/// ```
/// use burn::tensor::Device;
/// let cfg = models::XpressoConfig::oracle_tiny();
/// let model = cfg.init(&Device::flex()).unwrap();
/// let mut x = vec![0f32; 4 * cfg.input_len];
/// for i in 0..cfg.input_len { x[(i % 4) * cfg.input_len + i] = 1.0; } // ACGTACGT…
/// let r = models::attribution::ism(&model, &x, cfg.input_len, &[0.0; 8], 0, Some(0..3), 64)
///     .unwrap();
/// assert_eq!(r.delta[0], 0.0); // position 0 is A: its own base changes nothing
/// assert_eq!(r.delta[4 * 5 + 1], 0.0); // outside the window
/// ```
pub fn ism<M: OneHotModel>(
    model: &M,
    onehot: &[f32],
    len: usize,
    side: &[f32],
    target: usize,
    window: Option<Range<usize>>,
    batch: usize,
) -> Result<Ism> {
    let window = ism_window(onehot, len, window)?;
    let reference = outputs_of(model, onehot, len, side, target, 1)?[0];
    let mutants: Vec<(usize, usize)> = window
        .clone()
        .flat_map(|i| (0..4).map(move |c| (i, c)))
        .filter(|&(i, c)| !is_base(onehot, len, i, c))
        .collect();
    let mut delta = vec![0f32; 4 * len];
    // Build and run the mutants chunk by chunk, so memory stays at one chunk of sequences.
    let chunk = batch.max(1) * 8;
    let mut rows = Vec::with_capacity(chunk.min(mutants.len()) * 4 * len);
    for part in mutants.chunks(chunk) {
        rows.clear();
        for &(i, c) in part {
            let start = rows.len();
            rows.extend_from_slice(onehot);
            for o in 0..4 {
                rows[start + o * len + i] = if o == c { 1.0 } else { 0.0 };
            }
        }
        let out = outputs_of(model, &rows, len, side, target, batch)?;
        for (&(i, c), y) in part.iter().zip(out) {
            delta[4 * i + c] = y - reference;
        }
    }
    Ok(Ism {
        reference,
        delta,
        window,
    })
}
