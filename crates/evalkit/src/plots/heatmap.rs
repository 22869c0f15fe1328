//! ISM (in-silico saturation mutagenesis) heatmap: rows A, C, G, T × positions, a diverging
//! colour map centred at 0 and a colour bar.

use super::{SIZE, perr};
use crate::{Error, Result};
use plotters::prelude::*;

/// Diverging blue–white–red colour for `t ∈ [−1, 1]` (0 is white).
pub(crate) fn diverging(t: f64) -> RGBColor {
    let t = t.clamp(-1.0, 1.0);
    let (r, g, b) = if t >= 0.0 {
        (178.0, 24.0, 43.0)
    } else {
        (33.0, 102.0, 172.0)
    };
    let a = t.abs();
    let mix = |c: f64| (255.0 + (c - 255.0) * a).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

/// Heatmap of `ism[position][A, C, G, T]` (e.g. the change in prediction when the base at that
/// position is mutated to that letter): one row per letter (A at the top), positions numbered
/// from `start`, colours scaled symmetrically to `±max |value|` with a colour bar.
///
/// Errors: [`Error::Empty`], [`Error::NonFinite`] (index = position), [`Error::Plot`].
///
/// ```
/// let ism = [[0.0, -0.4, 0.1, 0.2], [0.5, 0.0, -1.0, 0.3]];
/// let svg = evalkit::plots::ism_heatmap_svg("ISM, sequence 7", &ism, 0).unwrap();
/// assert!(svg.contains("ISM, sequence 7") && svg.contains("<rect"));
/// ```
pub fn ism_heatmap_svg(title: &str, ism: &[[f64; 4]], start: i64) -> Result<String> {
    if ism.is_empty() {
        return Err(Error::Empty("ISM matrix"));
    }
    if let Some(i) = ism.iter().flatten().position(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            what: "ISM matrix",
            index: i / 4,
        });
    }
    let vmax = ism.iter().flatten().fold(0.0f64, |a, v| a.max(v.abs()));
    let vmax = if vmax > 0.0 { vmax } else { 1.0 };
    let n = ism.len() as f64;
    let (x0, x1) = (start as f64 - 0.5, start as f64 + n - 0.5);
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let root = root.titled(title, ("sans-serif", 22)).map_err(perr)?;
        let (main, bar) = root.split_horizontally(SIZE.0 - 110);
        let mut chart = ChartBuilder::on(&main)
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(40)
            .build_cartesian_2d(x0..x1, 0.0f64..4.0)
            .map_err(perr)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("position")
            .y_labels(9)
            .y_label_formatter(&|v: &f64| {
                let r = v - 0.5;
                if (r - r.round()).abs() < 1e-6 && (0.0..4.0).contains(&r) {
                    ["T", "G", "C", "A"][r.round() as usize].to_string()
                } else {
                    String::new()
                }
            })
            .draw()
            .map_err(perr)?;
        let cells = ism.iter().enumerate().flat_map(|(i, col)| {
            let x = start as f64 + i as f64;
            (0..4).map(move |b| {
                let row = f64::from(3 - b as i32);
                Rectangle::new(
                    [(x - 0.5, row), (x + 0.5, row + 1.0)],
                    diverging(col[b] / vmax).filled(),
                )
            })
        });
        chart.draw_series(cells).map_err(perr)?;

        let mut cb = ChartBuilder::on(&bar)
            .margin_top(12)
            .margin_bottom(57)
            .margin_right(10)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..1.0, -vmax..vmax)
            .map_err(perr)?;
        cb.configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_labels(5)
            .y_label_style(("sans-serif", 13))
            .y_label_formatter(&|v| {
                if v.abs() < vmax * 1e-6 {
                    "0".into()
                } else {
                    format!("{v:.1e}")
                }
            })
            .draw()
            .map_err(perr)?;
        let steps = 64;
        cb.draw_series((0..steps).map(|k| {
            let a = -vmax + 2.0 * vmax * k as f64 / steps as f64;
            let b = -vmax + 2.0 * vmax * (k + 1) as f64 / steps as f64;
            Rectangle::new(
                [(0.0, a), (1.0, b)],
                diverging((a + b) / 2.0 / vmax).filled(),
            )
        }))
        .map_err(perr)?;
        root.present().map_err(perr)?;
    }
    Ok(s)
}
