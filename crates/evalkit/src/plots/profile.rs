//! Position profiles: one line per series over sequence positions (attribution or attention
//! importance averaged over sequences, relative to a TSS or to the sequence start).

use super::{SIZE, padded_range, perr};
use crate::{Error, Result};
use plotters::prelude::*;

/// Lines `(name, values)` over `positions` (shared x axis), with a dashed vertical line at
/// `mark` (e.g. the TSS at 0) when given.
///
/// Errors: [`Error::Empty`] (no series or positions), [`Error::LengthMismatch`]-style
/// [`Error::InvalidArgument`] for a series of another length, [`Error::Plot`].
///
/// ```
/// let svg = evalkit::plots::profile_svg("importance", "position (nt, TSS = 0)",
///     &[-2.0, -1.0, 0.0, 1.0], &[("positives", &[0.1, 0.4, 0.3, 0.2][..])], Some(0.0)).unwrap();
/// assert!(svg.contains("positives"));
/// ```
pub fn profile_svg(
    title: &str,
    xdesc: &str,
    positions: &[f64],
    series: &[(&str, &[f64])],
    mark: Option<f64>,
) -> Result<String> {
    if positions.is_empty() || series.is_empty() {
        return Err(Error::Empty("profile"));
    }
    if let Some((n, v)) = series.iter().find(|(_, v)| v.len() != positions.len()) {
        return Err(Error::InvalidArgument(format!(
            "series {n} has {} values for {} positions",
            v.len(),
            positions.len()
        )));
    }
    let (x0, x1) = padded_range(positions.iter().copied())?;
    let (y0, y1) = padded_range(series.iter().flat_map(|(_, v)| v.iter().copied()))?;
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(perr)?;
        chart
            .configure_mesh()
            .x_desc(xdesc)
            .y_desc("mean importance")
            .draw()
            .map_err(perr)?;
        if let Some(m) = mark {
            chart
                .draw_series(DashedLineSeries::new(
                    [(m, y0), (m, y1)],
                    6,
                    4,
                    BLACK.mix(0.5).stroke_width(1),
                ))
                .map_err(perr)?;
        }
        for (i, (name, v)) in series.iter().enumerate() {
            let c = super::charts::PALETTE[i % super::charts::PALETTE.len()];
            let pts: Vec<(f64, f64)> = positions.iter().copied().zip(v.iter().copied()).collect();
            chart
                .draw_series(LineSeries::new(pts, c.stroke_width(2)))
                .map_err(perr)?
                .label(*name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(perr)?;
        root.present().map_err(perr)?;
    }
    Ok(s)
}
