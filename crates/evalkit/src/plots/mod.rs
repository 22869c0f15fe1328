//! SVG plots (plotters, SVG backend only, no font dependencies: text is written as SVG `<text>`
//! elements and laid out with plotters' naive size estimate). Each `*_svg` function returns the
//! SVG document as a `String`; [`write_svg`] writes it atomically.

mod charts;
mod heatmap;
mod learning;
mod logo;
mod profile;

pub use charts::{MetricBar, ci_bar_svg, pr_svg, roc_svg, scatter_svg};
pub use heatmap::ism_heatmap_svg;
pub use learning::{LearningLog, learning_curve_svg, read_metrics_log};
pub use logo::{attribution_logo_svg, pwm_logo_svg};
pub use profile::profile_svg;

use crate::{Error, Result};
use std::path::Path;

/// Plot size in pixels.
pub(crate) const SIZE: (u32, u32) = (720, 540);

/// Maps any plotters error to [`Error::Plot`].
pub(crate) fn perr<E: std::fmt::Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}

/// Writes `svg` to `path` atomically: a temporary file in the same directory, flushed and
/// renamed over `path`, so readers never see a half-written plot. A device or named pipe
/// (`/dev/stdout`, a FIFO) is written in place, as a rename would put a regular file in its
/// stead.
///
/// Errors: [`Error::Io`] naming the path.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("x.svg");
/// evalkit::plots::write_svg(&p, "<svg/>").unwrap();
/// assert_eq!(std::fs::read_to_string(&p).unwrap(), "<svg/>");
/// ```
pub fn write_svg(path: &Path, svg: &str) -> Result<()> {
    let io = |p: &Path, source| Error::Io {
        context: format!("writing {}", p.display()),
        source,
    };
    outfile::write_atomic_with(
        path,
        |w| w.write_all(svg.as_bytes()).map_err(|e| io(path, e)),
        io,
    )
}

/// The label of a categorical x axis at `x`: the name of category `x` where `x` is a whole
/// number in range, nothing between the categories.
pub(crate) fn category_label(names: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() < 1e-9 && i >= 0.0 {
        names.get(i as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

/// Range of finite values padded by 5 % (or ±0.5 around a constant).
pub(crate) fn padded_range(v: impl Iterator<Item = f64>) -> Result<(f64, f64)> {
    let (lo, hi) = v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return Err(Error::Empty("plot data"));
    }
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    Ok((lo - pad, hi + pad))
}
