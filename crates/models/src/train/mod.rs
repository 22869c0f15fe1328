//! The training loop (own, small; see `docs/decisions/0006-training-loop.md`): SGD+momentum,
//! Adam, AdamW; constant / warm-up+decay / OneCycle schedules; gradient clipping; early stopping
//! on validation MSE; best checkpoint; seeded determinism; resume; best of N runs.

mod config;
mod run;
mod state;
mod step;

pub use config::{Clipping, LrSchedule, OptimizerKind, Selection, TrainConfig};
pub use run::{
    BEST_WEIGHTS, METRICS_FILE, RunSummary, STATE_FILE, predict, train_run, train_run_on,
};
pub use state::{EpochRecord, METRICS_HEADER, RunState, write_metrics};
