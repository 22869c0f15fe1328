//! The synthetic demo, as a program: the embedded synthetic world (genome + GTF + expression
//! with planted promoter elements) → 300 bp promoter windows → an Xpresso CNN trained on the
//! CPU, against a sequence-only model and a shuffled-label control, with test R² and CIs.
//!
//! ```sh
//! cargo run --release -p seq2expr-examples --example demo -- [OUT_DIR]
//! ```
//!
//! The same as `seq2expr demo`; writes `OUT_DIR/summary.json` and SVG plots (default
//! `seq2expr-demo-example`). About 45 s on 2 cores.

use pipeline::demo::{DemoOptions, run_demo};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> pipeline::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "seq2expr-demo-example".into());
    let opts = DemoOptions {
        out: out.into(),
        ..Default::default()
    };
    for r in run_demo(&opts, |line| eprintln!("{line}"))? {
        let s = &r.summary;
        println!(
            "{:<28} test R² {:.3} [{:.3}, {:.3}]",
            r.name, s.r2.estimate, s.r2.lower, s.r2.upper
        );
    }
    Ok(())
}
