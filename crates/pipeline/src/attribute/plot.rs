//! Contributions per base and the SVG plots of `attribute`.

use std::path::Path;

use evalkit::plots::{attribution_logo_svg, ism_heatmap_svg, write_svg};

use crate::Result;

/// What each observed base contributes, `[L][A, C, G, T]` (0 off the sequence's base):
/// for ISM, minus the mean delta of the position (tangermeme's aggregation: mean-centred, on
/// the observed base); for gradient methods and tracks, the value on the observed base.
/// `row` is `[L][4]` (`width` 4) or `[L]` (`width` 1); `onehot` the sequence's one-hot.
///
/// ```
/// let oh = evalkit::motifs::one_hot("AC").unwrap();
/// let c = pipeline::attribute::contributions("ism", 4, &[0.0, -1.0, -1.0, -2.0, 1.0, 0.0, 1.0, 2.0], &oh);
/// assert_eq!(c[0], [1.0, 0.0, 0.0, 0.0]);
/// assert_eq!(c[1], [0.0, -1.0, 0.0, 0.0]);
/// ```
pub fn contributions(
    method: &str,
    width: usize,
    row: &[f32],
    onehot: &[[f64; 4]],
) -> Vec<[f64; 4]> {
    onehot
        .iter()
        .enumerate()
        .map(|(i, oh)| {
            let s = if width == 1 {
                row.get(i).map_or(0.0, |&v| f64::from(v))
            } else {
                let d = row.get(4 * i..4 * i + 4).unwrap_or(&[0.0; 4]);
                if method == "ism" {
                    -d.iter().map(|&x| f64::from(x)).sum::<f64>() / 4.0
                } else {
                    (0..4).map(|b| oh[b] * f64::from(d[b])).sum()
                }
            };
            let mut c = [0.0; 4];
            (0..4).for_each(|b| c[b] = oh[b] * s);
            c
        })
        .collect()
}

/// One-hot `[L][A, C, G, T]` of a sequence in which any letter other than A, C, G, T (either
/// case) is `N` (all zero), as the models read it.
pub(crate) fn one_hot_any(seq: &[u8]) -> Result<Vec<[f64; 4]>> {
    let text: String = seq
        .iter()
        .map(|&b| {
            if b"ACGTacgt".contains(&b) {
                b as char
            } else {
                'N'
            }
        })
        .collect();
    Ok(evalkit::motifs::one_hot(&text)?)
}

/// A file-name-safe version of a sequence id.
fn safe(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if s.is_empty() { "seq".into() } else { s }
}

/// Writes `plots/<n>_<id>.logo.svg` (contributions over `range`) and, for ISM,
/// `plots/<n>_<id>.ism.svg` (the delta heatmap).
pub(crate) fn plot_row(
    out: &Path,
    (n, id): (usize, &str),
    method: &str,
    width: usize,
    row: &[f32],
    seq: &[u8],
    range: std::ops::Range<usize>,
) -> Result<()> {
    let dir = out.join("plots");
    std::fs::create_dir_all(&dir)
        .map_err(crate::error::io_err(format!("creating {}", dir.display())))?;
    let oh = one_hot_any(seq)?;
    let r = range.start.min(seq.len())..range.end.min(seq.len());
    let c = contributions(method, width, row, &oh);
    let name = format!("{n}_{}", safe(id));
    write_svg(
        &dir.join(format!("{name}.logo.svg")),
        &attribution_logo_svg(&format!("{id}: {method}"), &c[r.clone()], r.start as i64)?,
    )?;
    if method == "ism" && width == 4 {
        let m: Vec<[f64; 4]> = r
            .clone()
            .map(|i| std::array::from_fn(|b| f64::from(row[4 * i + b])))
            .collect();
        write_svg(
            &dir.join(format!("{name}.ism.svg")),
            &ism_heatmap_svg(&format!("{id}: ISM delta"), &m, r.start as i64)?,
        )?;
    }
    Ok(())
}
