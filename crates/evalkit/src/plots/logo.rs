//! Sequence logos: attribution logos (signed heights) and PWM logos (information content).
//! Letters are drawn as filled glyph polygons stretched to their box (no fonts needed), coloured
//! A green, C blue, G orange, T red.

use super::{SIZE, perr};
use crate::motifs::information_content;
use crate::{Error, Result};
use plotters::prelude::*;

/// Letter colours A, C, G, T.
pub(crate) const LETTER_COLOURS: [RGBColor; 4] = [
    RGBColor(16, 150, 72),
    RGBColor(37, 92, 153),
    RGBColor(247, 179, 43),
    RGBColor(214, 40, 57),
];

type Poly = Vec<(f64, f64)>;

fn arc(r_out: f64, r_in: f64, from_deg: f64, to_deg: f64) -> Poly {
    let n = 24;
    let pt = |r: f64, k: usize| {
        let a = (from_deg + (to_deg - from_deg) * k as f64 / n as f64).to_radians();
        (0.5 + r * a.cos(), 0.5 + r * a.sin())
    };
    let mut p: Poly = (0..=n).map(|k| pt(r_out, k)).collect();
    p.extend((0..=n).rev().map(|k| pt(r_in, k)));
    p
}

/// Glyph of letter `b` (0..4 = A, C, G, T) as polygons in the unit square (y up).
fn glyph(b: usize) -> Vec<Poly> {
    let rect = |x0: f64, y0: f64, x1: f64, y1: f64| vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)];
    match b {
        0 => vec![
            vec![(0.0, 0.0), (0.2, 0.0), (0.6, 1.0), (0.4, 1.0)],
            vec![(0.8, 0.0), (1.0, 0.0), (0.6, 1.0), (0.4, 1.0)],
            vec![(0.26, 0.28), (0.74, 0.28), (0.68, 0.44), (0.32, 0.44)],
        ],
        1 => vec![arc(0.5, 0.32, 40.0, 320.0)],
        2 => vec![
            arc(0.5, 0.32, 40.0, 360.0),
            rect(0.55, 0.36, 1.0, 0.52),
            rect(0.82, 0.1, 1.0, 0.52),
        ],
        _ => vec![rect(0.0, 0.82, 1.0, 1.0), rect(0.4, 0.0, 0.6, 0.82)],
    }
}

/// The letter boxes of one column: `(letter, bottom, top)`, positives stacked upwards from 0
/// (largest on top), negatives downwards (largest magnitude at the bottom).
fn stack(col: &[f64; 4]) -> Vec<(usize, f64, f64)> {
    let mut order: Vec<usize> = (0..4).collect();
    order.sort_by(|&a, &b| col[a].abs().total_cmp(&col[b].abs()));
    let (mut up, mut down) = (0.0, 0.0);
    let mut out = Vec::new();
    for b in order {
        let v = col[b];
        if v > 0.0 {
            out.push((b, up, up + v));
            up += v;
        } else if v < 0.0 {
            out.push((b, down + v, down));
            down += v;
        }
    }
    out
}

fn logo_svg(
    title: &str,
    ydesc: &str,
    heights: &[[f64; 4]],
    start: i64,
    yrange: (f64, f64),
) -> Result<String> {
    let n = heights.len() as f64;
    let (x0, x1) = (start as f64 - 0.5, start as f64 + n - 0.5);
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(x0..x1, yrange.0..yrange.1)
            .map_err(perr)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("position")
            .y_desc(ydesc)
            .draw()
            .map_err(perr)?;
        for (i, col) in heights.iter().enumerate() {
            let xl = start as f64 + i as f64 - 0.45;
            for (b, lo, hi) in stack(col) {
                for poly in glyph(b) {
                    let pts: Vec<(f64, f64)> = poly
                        .iter()
                        .map(|&(u, v)| (xl + 0.9 * u, lo + (hi - lo) * v))
                        .collect();
                    chart
                        .draw_series(std::iter::once(Polygon::new(
                            pts,
                            LETTER_COLOURS[b].filled(),
                        )))
                        .map_err(perr)?;
                }
            }
        }
        chart
            .draw_series(LineSeries::new(
                [(x0, 0.0), (x1, 0.0)],
                BLACK.stroke_width(1),
            ))
            .map_err(perr)?;
        root.present().map_err(perr)?;
    }
    Ok(s)
}

fn check(m: &[[f64; 4]], what: &'static str) -> Result<()> {
    if m.is_empty() {
        return Err(Error::Empty(what));
    }
    match m.iter().flatten().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::NonFinite { what, index: i / 4 }),
        None => Ok(()),
    }
}

/// Logo of an attribution matrix `[L][A, C, G, T]` (e.g. attribution × one-hot, or
/// hypothetical attributions): each letter's height is its value, positive values stacked above
/// the axis, negative below. The x axis numbers positions from `start`.
///
/// Errors: [`Error::Empty`], [`Error::NonFinite`] (index = position), [`Error::Plot`].
///
/// ```
/// let attr = [[0.0, 0.0, 0.8, 0.0], [0.5, 0.0, 0.0, -0.2], [0.0, -0.3, 0.0, 0.0]];
/// let svg = evalkit::plots::attribution_logo_svg("seqlet 3", &attr, 100).unwrap();
/// assert!(svg.contains("seqlet 3") && svg.contains("<polygon"));
/// ```
pub fn attribution_logo_svg(title: &str, attr: &[[f64; 4]], start: i64) -> Result<String> {
    check(attr, "attribution matrix")?;
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for c in attr {
        lo = lo.min(c.iter().filter(|v| **v < 0.0).sum());
        hi = hi.max(c.iter().filter(|v| **v > 0.0).sum());
    }
    if lo == hi {
        hi = 1.0;
    }
    let pad = (hi - lo) * 0.05;
    logo_svg(title, "attribution", attr, start, (lo - pad, hi + pad))
}

/// Information-content logo of a probability matrix `[L][A, C, G, T]`: letter height =
/// probability × information content (bits, uniform background), y axis 0–2 bits.
///
/// Errors: [`Error::Empty`], [`Error::NonFinite`], [`Error::InvalidArgument`] for a negative
/// probability, [`Error::Plot`].
///
/// ```
/// let pwm = [[0.97, 0.01, 0.01, 0.01], [0.25; 4], [0.1, 0.1, 0.7, 0.1]];
/// let svg = evalkit::plots::pwm_logo_svg("TATA-box", &pwm).unwrap();
/// assert!(svg.contains("bits"));
/// assert!(evalkit::plots::pwm_logo_svg("x", &[[-0.1, 0.5, 0.3, 0.3]]).is_err());
/// ```
pub fn pwm_logo_svg(title: &str, probs: &[[f64; 4]]) -> Result<String> {
    check(probs, "probability matrix")?;
    if let Some(i) = probs.iter().position(|c| c.iter().any(|&p| p < 0.0)) {
        return Err(Error::InvalidArgument(format!(
            "negative probability at position {i}"
        )));
    }
    let ic = information_content(probs);
    let h: Vec<[f64; 4]> = probs
        .iter()
        .zip(&ic)
        .map(|(c, &b)| c.map(|p| p * b.max(0.0)))
        .collect();
    logo_svg(title, "information (bits)", &h, 1, (0.0, 2.05))
}
