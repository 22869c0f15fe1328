//! Learning curves from a metrics log CSV.

use super::{SIZE, padded_range, perr};
use crate::{Error, Result};
use plotters::prelude::*;
use std::io::Read;

/// Per-epoch losses read from a metrics log.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LearningLog {
    /// Epoch numbers as written in the log.
    pub epoch: Vec<f64>,
    /// Training loss per row (`None` for an empty field).
    pub train_loss: Vec<Option<f64>>,
    /// Validation loss per row (`None` for an empty field).
    pub valid_loss: Vec<Option<f64>>,
}

/// Reads a metrics log CSV whose header contains at least `epoch,train_loss,valid_loss` (in any
/// order; other columns such as `valid_metric`, `lr`, `elapsed_s` are ignored). An empty loss
/// field is a missing value. `name` is used in error messages (e.g. the file path).
///
/// Errors: [`Error::Parse`] with the 1-based line number (missing column, bad number, empty
/// epoch, wrong field count), [`Error::Empty`] when there are no rows.
///
/// ```
/// let csv = "epoch,train_loss,valid_loss,lr\n1,0.9,0.95,0.001\n2,0.7,,0.001\n";
/// let log = evalkit::plots::read_metrics_log(csv.as_bytes(), "log.csv").unwrap();
/// assert_eq!(log.valid_loss, vec![Some(0.95), None]);
/// ```
pub fn read_metrics_log<R: Read>(reader: R, name: &str) -> Result<LearningLog> {
    let perr_at = |line: usize, msg: String| Error::Parse {
        path: name.to_string(),
        line,
        msg,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = rdr
        .headers()
        .map_err(|e| perr_at(1, e.to_string()))?
        .clone();
    let col = |c: &str| {
        headers
            .iter()
            .position(|h| h == c)
            .ok_or_else(|| perr_at(1, format!("header lacks column `{c}`")))
    };
    let (ie, it, iv) = (col("epoch")?, col("train_loss")?, col("valid_loss")?);
    let mut log = LearningLog::default();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            perr_at(line, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        let num = |i: usize, what: &str| -> Result<Option<f64>> {
            let f = rec.get(i).unwrap_or("");
            if f.is_empty() {
                return Ok(None);
            }
            f.parse::<f64>()
                .map(Some)
                .map_err(|_| perr_at(line, format!("{what}: `{f}` is not a number")))
        };
        let epoch = num(ie, "epoch")?.ok_or_else(|| perr_at(line, "empty epoch".into()))?;
        log.epoch.push(epoch);
        log.train_loss.push(num(it, "train_loss")?);
        log.valid_loss.push(num(iv, "valid_loss")?);
    }
    if log.epoch.is_empty() {
        return Err(Error::Empty("metrics log rows"));
    }
    Ok(log)
}

/// Train and validation loss per epoch (two line series with point markers; missing values
/// break nothing, they are skipped).
///
/// Errors: [`Error::Empty`] (no finite loss), [`Error::Plot`].
///
/// ```
/// let csv = "epoch,train_loss,valid_loss\n1,0.9,0.95\n2,0.7,0.8\n";
/// let log = evalkit::plots::read_metrics_log(csv.as_bytes(), "log.csv").unwrap();
/// let svg = evalkit::plots::learning_curve_svg(&log, "CNN").unwrap();
/// assert!(svg.contains("valid_loss"));
/// ```
pub fn learning_curve_svg(log: &LearningLog, title: &str) -> Result<String> {
    let pts = |v: &[Option<f64>]| -> Vec<(f64, f64)> {
        log.epoch
            .iter()
            .zip(v)
            .filter_map(|(&e, l)| l.filter(|x| x.is_finite()).map(|l| (e, l)))
            .collect()
    };
    let (train, valid) = (pts(&log.train_loss), pts(&log.valid_loss));
    let (x0, x1) = padded_range(log.epoch.iter().copied())?;
    let (y0, y1) = padded_range(train.iter().chain(&valid).map(|p| p.1))?;
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(perr)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(perr)?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .y_desc("loss")
            .draw()
            .map_err(perr)?;
        let blue = RGBColor(31, 119, 180);
        let orange = RGBColor(255, 127, 14);
        for (name, p, c) in [("train_loss", train, blue), ("valid_loss", valid, orange)] {
            chart
                .draw_series(LineSeries::new(p.clone(), c.stroke_width(2)))
                .map_err(perr)?
                .label(name)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], c.stroke_width(2)));
            chart
                .draw_series(p.into_iter().map(|q| Circle::new(q, 3, c.filled())))
                .map_err(perr)?;
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
