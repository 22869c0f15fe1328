//! Each plot renders and contains its expected elements (title text, number of markers/paths),
//! and files are written atomically.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use evalkit::plots::{self, MetricBar};

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The text content of every `<text>` element (plotters' SVG backend writes it on its own line).
fn texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = svg.lines();
    while let Some(l) = lines.next() {
        if l.trim_start().starts_with("<text") {
            out.push(lines.next().unwrap_or("").trim().to_string());
        }
    }
    out
}

fn has_text(svg: &str, t: &str) -> bool {
    texts(svg).iter().any(|x| x == t)
}

#[test]
fn scatter_has_title_with_r2_and_one_circle_per_point() {
    let t: Vec<f64> = (0..25).map(|i| i as f64 * 0.3).collect();
    let p: Vec<f64> = t
        .iter()
        .enumerate()
        .map(|(i, v)| v + ((i % 5) as f64 - 2.0) * 0.1)
        .collect();
    let r2 = evalkit::r2(&t, &p).unwrap();
    let svg = plots::scatter_svg(&t, &p, "held-out genes").unwrap();
    assert!(svg.starts_with("<svg"), "not an SVG document");
    assert!(
        has_text(&svg, &format!("held-out genes (R² = {r2:.4})")),
        "title with R² missing: {:?}",
        texts(&svg)
    );
    assert_eq!(count(&svg, "<circle"), 25, "one marker per point");
    assert!(count(&svg, "<polyline") >= 1, "identity line");
    assert!(
        has_text(&svg, "true") && has_text(&svg, "predicted"),
        "axis labels"
    );
}

#[test]
fn roc_and_pr_have_legend_and_one_path_per_curve() {
    let y = [0, 0, 1, 1, 0, 1, 0, 1, 1, 0];
    let a = [0.1, 0.3, 0.7, 0.8, 0.2, 0.65, 0.4, 0.9, 0.35, 0.5];
    let b = [0.5, 0.1, 0.2, 0.8, 0.6, 0.3, 0.7, 0.4, 0.9, 0.2];
    let (ra, rb) = (
        evalkit::roc_curve(&y, &a, true).unwrap(),
        evalkit::roc_curve(&y, &b, true).unwrap(),
    );
    let svg = plots::roc_svg("ROC, test set", &[("cnn", &ra), ("baseline", &rb)]).unwrap();
    let auc = evalkit::roc_auc(&y, &a).unwrap();
    assert!(has_text(&svg, "ROC, test set"));
    assert!(
        has_text(&svg, &format!("cnn (AUC = {auc:.4})")),
        "legend AUC equals roc_auc"
    );
    assert!(svg.contains("baseline (AUC ="));
    // 2 curves + diagonal + 2 legend swatches
    assert!(
        count(&svg, "<polyline") >= 5,
        "{} polylines",
        count(&svg, "<polyline")
    );
    let (pa, pb) = (
        evalkit::precision_recall_curve(&y, &a).unwrap(),
        evalkit::precision_recall_curve(&y, &b).unwrap(),
    );
    let svg = plots::pr_svg("PR", &[("cnn", &pa), ("baseline", &pb)]).unwrap();
    let ap = evalkit::average_precision(&y, &a).unwrap();
    assert!(
        has_text(&svg, &format!("cnn (AP = {ap:.4})")),
        "legend AP equals average_precision"
    );
    assert!(count(&svg, "<polyline") >= 4);
    assert!(has_text(&svg, "recall") && has_text(&svg, "precision"));
}

#[test]
fn learning_curve_from_log_with_extra_columns_and_missing_values() {
    let csv = "epoch,train_loss,valid_loss,valid_metric,lr,elapsed_s\n\
               1,1.00,1.10,0.50,0.001,3.2\n\
               2,0.80,,0.55,0.001,6.1\n\
               3,0.60,0.90,0.61,0.0005,9.0\n\
               4,0.50,0.85,0.62,0.0005,12.3\n";
    let log = plots::read_metrics_log(csv.as_bytes(), "metrics.csv").unwrap();
    assert_eq!(log.epoch, vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(log.valid_loss[1], None);
    let svg = plots::learning_curve_svg(&log, "CNN training").unwrap();
    assert!(
        has_text(&svg, "CNN training")
            && has_text(&svg, "train_loss")
            && has_text(&svg, "valid_loss")
    );
    assert_eq!(
        count(&svg, "<circle"),
        4 + 3,
        "markers: 4 train, 3 valid (one missing)"
    );
    // errors carry line numbers
    let bad = "epoch,train_loss,valid_loss\n1,0.5,0.6\n2,abc,0.5\n";
    let e = plots::read_metrics_log(bad.as_bytes(), "m.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("m.csv:3"), "{e}");
    let e = plots::read_metrics_log("epoch,loss\n1,2\n".as_bytes(), "m.csv")
        .unwrap_err()
        .to_string();
    assert!(e.contains("valid_loss") || e.contains("train_loss"), "{e}");
}

#[test]
fn ci_bar_chart_has_one_bar_and_three_whisker_paths_per_model() {
    let bars: Vec<MetricBar> = [
        ("cnn", 0.81, 0.78, 0.84),
        ("bert", 0.85, 0.82, 0.88),
        ("logreg", 0.70, 0.66, 0.74),
    ]
    .iter()
    .map(|&(m, v, l, u)| MetricBar {
        model: m.into(),
        value: v,
        lower: l,
        upper: u,
    })
    .collect();
    let svg = plots::ci_bar_svg("AUROC", &bars).unwrap();
    assert!(has_text(&svg, "AUROC with confidence intervals"));
    for m in ["cnn", "bert", "logreg"] {
        assert!(has_text(&svg, m), "x label {m}: {:?}", texts(&svg));
    }
    let rects = count(&svg, "<rect");
    assert!(rects >= 4, "background + 3 bars, got {rects}");
    assert!(count(&svg, "<polyline") >= 9, "3 whisker paths per model");
    assert!(plots::ci_bar_svg("x", &[]).is_err());
}

#[test]
fn write_svg_is_atomic_and_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roc.svg");
    plots::write_svg(&path, "<svg>old</svg>").unwrap();
    plots::write_svg(&path, "<svg>new</svg>").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "<svg>new</svg>");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temp files left behind");
    let e = plots::write_svg(&dir.path().join("missing/x.svg"), "<svg/>").unwrap_err();
    assert!(e.to_string().contains("missing"), "{e}");
}

#[test]
fn attribution_logo_draws_one_glyph_per_nonzero_value() {
    // glyph polygons per letter: A 3, C 1, G 3, T 2
    let attr = [
        [0.5, 0.0, 0.0, 0.0],
        [0.0, -0.3, 0.0, 0.0],
        [0.0, 0.0, 0.2, 0.1],
    ];
    let svg = plots::attribution_logo_svg("seqlet logo", &attr, 10).unwrap();
    assert!(has_text(&svg, "seqlet logo"));
    assert_eq!(count(&svg, "<polygon"), 3 + 1 + 3 + 2);
    // A green, C blue, G orange, T red
    for c in ["#109648", "#255C99", "#F7B32B", "#D62839"] {
        assert!(svg.contains(c), "colour {c} missing");
    }
    assert!(plots::attribution_logo_svg("x", &[], 0).is_err());
    assert!(plots::attribution_logo_svg("x", &[[f64::NAN, 0.0, 0.0, 0.0]], 0).is_err());
}

#[test]
fn pwm_logo_hides_uninformative_columns() {
    // a uniform column has zero information, so no letter is drawn there
    let svg = plots::pwm_logo_svg("pwm", &[[0.25; 4], [0.0, 0.0, 0.0, 1.0]]).unwrap();
    assert_eq!(count(&svg, "<polygon"), 2); // only the T of column 2 (2 polygons)
    assert!(has_text(&svg, "information (bits)"));
}

#[test]
fn ism_heatmap_has_a_cell_per_value_and_a_colour_bar() {
    let ism = [[0.0, -1.0, 0.5, 1.0], [0.2, 0.0, -0.2, 0.0]];
    let svg = plots::ism_heatmap_svg("ism", &ism, 0).unwrap();
    assert!(has_text(&svg, "ism"));
    for l in ["A", "C", "G", "T"] {
        assert!(has_text(&svg, l), "row label {l}");
    }
    // 8 cells + 64 colour-bar steps (+ background rectangles)
    assert!(count(&svg, "<rect") >= 8 + 64);
    assert!(
        svg.contains("#B2182B") && svg.contains("#2166AC"),
        "extremes of the colour map"
    );
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ism.svg");
    plots::write_svg(&p, &svg).unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), svg);
}
