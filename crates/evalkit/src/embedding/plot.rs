//! Box plot with the points overlaid, one box per group.

use plotters::prelude::*;

use crate::plots::{padded_range, perr};
use crate::{Error, Result, check};

const COLORS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
];

/// Linear-interpolation quantile of sorted values (numpy's default).
pub(crate) fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    let h = (v.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// One box per `(name, values)` group (median, quartiles, whiskers at the extreme values
/// within 1.5 IQR) with every value drawn as a point, spread sideways by its rank so the
/// drawing is deterministic; an optional dashed reference line at `reference`.
///
/// Errors: [`Error::Empty`] (no group, or a group without values), [`Error::NonFinite`],
/// [`Error::Plot`].
///
/// ```
/// let svg = evalkit::embedding::box_strip_svg(
///     "ROC AUC per gene set", "ROC AUC", &[("emb", &[0.6, 0.7, 0.9][..])], Some(0.5)).unwrap();
/// assert!(svg.contains("emb"));
/// ```
pub fn box_strip_svg(
    title: &str,
    y_desc: &str,
    groups: &[(&str, &[f64])],
    reference: Option<f64>,
) -> Result<String> {
    if groups.is_empty() || groups.iter().any(|g| g.1.is_empty()) {
        return Err(Error::Empty("box plot groups"));
    }
    for g in groups {
        check::finite(g.1, "box plot values")?;
    }
    let all = groups
        .iter()
        .flat_map(|g| g.1.iter().copied())
        .chain(reference);
    let (lo, hi) = padded_range(all)?;
    let n = groups.len();
    let names: Vec<String> = groups.iter().map(|g| g.0.to_string()).collect();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, crate::plots::SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), lo..hi)
            .map_err(perr)?;
        let fmt = |x: &f64| crate::plots::category_label(&names, *x);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&fmt)
            .y_desc(y_desc)
            .draw()
            .map_err(perr)?;
        if let Some(r) = reference {
            let dashes = (0..2 * n).map(|i| {
                let x0 = -0.5 + i as f64 * 0.5;
                PathElement::new([(x0, r), (x0 + 0.3, r)], BLACK.mix(0.5))
            });
            chart.draw_series(dashes).map_err(perr)?;
        }
        for (g, (_, vals)) in groups.iter().enumerate() {
            let color = COLORS[g % COLORS.len()];
            let x = g as f64;
            let mut v = vals.to_vec();
            v.sort_by(f64::total_cmp);
            let (q1, med, q3) = (
                quantile_sorted(&v, 0.25),
                quantile_sorted(&v, 0.5),
                quantile_sorted(&v, 0.75),
            );
            let iqr = q3 - q1;
            let wlo = v
                .iter()
                .copied()
                .find(|&a| a >= q1 - 1.5 * iqr)
                .unwrap_or(q1);
            let whi = v
                .iter()
                .rev()
                .copied()
                .find(|&a| a <= q3 + 1.5 * iqr)
                .unwrap_or(q3);
            chart
                .draw_series([Rectangle::new(
                    [(x - 0.25, q1), (x + 0.25, q3)],
                    color.mix(0.25).filled(),
                )])
                .map_err(perr)?;
            let lines = [
                vec![(x - 0.25, med), (x + 0.25, med)],
                vec![(x, q3), (x, whi)],
                vec![(x, q1), (x, wlo)],
                vec![(x - 0.1, whi), (x + 0.1, whi)],
                vec![(x - 0.1, wlo), (x + 0.1, wlo)],
            ];
            chart
                .draw_series(
                    lines
                        .into_iter()
                        .map(|p| PathElement::new(p, color.stroke_width(2))),
                )
                .map_err(perr)?;
            let m = vals.len().max(2) as f64;
            chart
                .draw_series(vals.iter().enumerate().map(|(i, &y)| {
                    let dx = -0.2 + 0.4 * (i as f64) / (m - 1.0);
                    Circle::new((x + dx, y), 2, color.mix(0.7).filled())
                }))
                .map_err(perr)?;
        }
        root.present().map_err(perr)?;
    }
    Ok(s)
}
