//! Scatter, ROC, PR and metric-with-CI bar charts.

use super::{SIZE, padded_range, perr};
use crate::{Error, PrCurve, Result, RocCurve, check};
use plotters::prelude::*;

pub(crate) const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// Predicted-vs-true scatter with the identity line; the title is `"{title} (R² = x.xxxx)"` with
/// R² = 1 − RSS/TSS ([`crate::r2`]).
///
/// Errors: as [`crate::r2`]; [`Error::Plot`].
///
/// ```
/// let svg = evalkit::plots::scatter_svg(&[1.0, 2.0, 3.0], &[1.1, 1.9, 3.2], "test set").unwrap();
/// assert!(svg.contains("R² = 0.97"));
/// ```
pub fn scatter_svg(y_true: &[f64], y_pred: &[f64], title: &str) -> Result<String> {
    let r2 = crate::r2(y_true, y_pred)?;
    let (lo, hi) = padded_range(y_true.iter().chain(y_pred).copied())?;
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{title} (R² = {r2:.4})"), ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(lo..hi, lo..hi)
            .map_err(perr)?;
        chart
            .configure_mesh()
            .x_desc("true")
            .y_desc("predicted")
            .draw()
            .map_err(perr)?;
        chart
            .draw_series(LineSeries::new([(lo, lo), (hi, hi)], BLACK.mix(0.4)))
            .map_err(perr)?;
        chart
            .draw_series(
                y_true
                    .iter()
                    .zip(y_pred)
                    .map(|(&t, &p)| Circle::new((t, p), 3, PALETTE[0].mix(0.6).filled())),
            )
            .map_err(perr)?;
        root.present().map_err(perr)?;
    }
    Ok(s)
}

fn curves_svg(
    title: &str,
    xdesc: &str,
    ydesc: &str,
    series: Vec<(String, Vec<(f64, f64)>)>,
    diagonal: bool,
) -> Result<String> {
    if series.is_empty() {
        return Err(Error::Empty("curves"));
    }
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..1.0, 0.0..1.02)
            .map_err(perr)?;
        chart
            .configure_mesh()
            .x_desc(xdesc)
            .y_desc(ydesc)
            .draw()
            .map_err(perr)?;
        if diagonal {
            chart
                .draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], BLACK.mix(0.3)))
                .map_err(perr)?;
        }
        for (i, (name, pts)) in series.into_iter().enumerate() {
            let c = PALETTE[i % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(pts, c.stroke_width(2)))
                .map_err(perr)?
                .label(name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(if diagonal {
                SeriesLabelPosition::LowerRight
            } else {
                SeriesLabelPosition::LowerLeft
            })
            .draw()
            .map_err(perr)?;
        root.present().map_err(perr)?;
    }
    Ok(s)
}

/// ROC curves of one or more models (legend `"{name} (AUC = x.xxxx)"`, AUC by trapezoid on the
/// given points) with the chance diagonal.
///
/// Errors: [`Error::Empty`] (no curve), [`Error::Plot`].
///
/// ```
/// let c = evalkit::roc_curve(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8], true).unwrap();
/// let svg = evalkit::plots::roc_svg("ROC", &[("cnn", &c)]).unwrap();
/// assert!(svg.contains("cnn (AUC = 0.7500)"));
/// ```
pub fn roc_svg(title: &str, curves: &[(&str, &RocCurve)]) -> Result<String> {
    let series = curves
        .iter()
        .map(|(name, c)| {
            let auc: f64 = c
                .fpr
                .windows(2)
                .zip(c.tpr.windows(2))
                .map(|(f, t)| (f[1] - f[0]) * (t[1] + t[0]) / 2.0)
                .sum();
            let pts = c.fpr.iter().copied().zip(c.tpr.iter().copied()).collect();
            (format!("{name} (AUC = {auc:.4})"), pts)
        })
        .collect();
    curves_svg(
        title,
        "false positive rate",
        "true positive rate",
        series,
        true,
    )
}

/// Precision-recall curves (step-wise, as average precision integrates them; legend
/// `"{name} (AP = x.xxxx)"`).
///
/// Errors: [`Error::Empty`], [`Error::Plot`].
///
/// ```
/// let c = evalkit::precision_recall_curve(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8]).unwrap();
/// let svg = evalkit::plots::pr_svg("PR", &[("cnn", &c)]).unwrap();
/// assert!(svg.contains("cnn (AP = 0.8333)"));
/// ```
pub fn pr_svg(title: &str, curves: &[(&str, &PrCurve)]) -> Result<String> {
    let series = curves
        .iter()
        .map(|(name, c)| {
            let ap: f64 = -c
                .recall
                .windows(2)
                .zip(&c.precision)
                .map(|(r, p)| (r[1] - r[0]) * p)
                .sum::<f64>();
            let mut pts = Vec::new();
            for i in (0..c.recall.len()).rev() {
                if let Some(&(_, prev_p)) = pts.last() {
                    pts.push((c.recall[i], prev_p));
                }
                pts.push((c.recall[i], c.precision[i]));
            }
            (format!("{name} (AP = {ap:.4})"), pts)
        })
        .collect();
    curves_svg(title, "recall", "precision", series, false)
}

/// One bar of [`ci_bar_svg`]: a model's metric value with its confidence interval.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricBar {
    /// Model name (x-axis label).
    pub model: String,
    /// Point estimate (bar height).
    pub value: f64,
    /// CI lower bound (whisker).
    pub lower: f64,
    /// CI upper bound (whisker).
    pub upper: f64,
}

/// Bar chart of one metric across models with CI whiskers.
///
/// Errors: [`Error::Empty`], [`Error::NonFinite`], [`Error::Plot`].
///
/// ```
/// use evalkit::plots::{ci_bar_svg, MetricBar};
/// let bars = [MetricBar { model: "cnn".into(), value: 0.8, lower: 0.75, upper: 0.85 }];
/// assert!(ci_bar_svg("AUROC", &bars).unwrap().contains("cnn"));
/// ```
pub fn ci_bar_svg(metric: &str, bars: &[MetricBar]) -> Result<String> {
    if bars.is_empty() {
        return Err(Error::Empty("bars"));
    }
    let vals: Vec<f64> = bars
        .iter()
        .flat_map(|b| [b.value, b.lower, b.upper])
        .collect();
    check::finite(&vals, "bar values")?;
    let (lo, hi) = padded_range(vals.iter().copied().chain([0.0]))?;
    let n = bars.len();
    let names: Vec<String> = bars.iter().map(|b| b.model.clone()).collect();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{metric} with confidence intervals"),
                ("sans-serif", 22),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), lo.min(0.0)..hi)
            .map_err(perr)?;
        let fmt = |x: &f64| crate::plots::category_label(&names, *x);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&fmt)
            .y_desc(metric)
            .draw()
            .map_err(perr)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, b)| {
                let x = i as f64;
                Rectangle::new(
                    [(x - 0.3, 0.0), (x + 0.3, b.value)],
                    PALETTE[i % 6].mix(0.7).filled(),
                )
            }))
            .map_err(perr)?;
        for (i, b) in bars.iter().enumerate() {
            let x = i as f64;
            let segs = [
                vec![(x, b.lower), (x, b.upper)],
                vec![(x - 0.1, b.lower), (x + 0.1, b.lower)],
                vec![(x - 0.1, b.upper), (x + 0.1, b.upper)],
            ];
            chart
                .draw_series(
                    segs.into_iter()
                        .map(|p| PathElement::new(p, BLACK.stroke_width(2))),
                )
                .map_err(perr)?;
        }
        root.present().map_err(perr)?;
    }
    Ok(s)
}
