//! # pipeline
//!
//! The studies of seq2expr end to end, as a library: what the `seq2expr` CLI does, callable
//! from Rust. It sits above the four libraries (`genome-io → seqenc → models → evalkit`) and
//! below the CLI, which is argument parsing plus one call of this crate.
//!
//! * [`prepare()`]: FASTA + GTF + expression table → model inputs ([`Prepared`]): one TSS per
//!   gene, oriented windows, gene-structure features, `log10(x + 0.1)` labels — the median, or
//!   one column per tissue ([`LabelSpec`]).
//! * [`split_rows`], [`FeatureScaler`]: the seeded 80/10/10 split and the training-split
//!   feature transform.
//! * [`train_xpresso`]: best-of-N training, test-set evaluation with bootstrap CIs,
//!   predictions and plots, into one [`ModelDir`] — the directory type that saves and loads
//!   everything a trained model needs (architecture, weights, encoding and input spec, scaler,
//!   training settings, data fingerprint, metrics).
//! * [`mirex::train_mirex`]: the miREx study; [`demo::run_demo`]: the synthetic demo.
//! * [`lncrna::lncrna_dataset`] and [`baseline::lr_baseline`]: the lncRNA promoter tasks and
//!   their TF-IDF + logistic-regression baseline.
//! * [`lm`]: HF checkpoint directories (BERT / DNABERT, DNABERT-2, Nucleotide Transformer) run
//!   on token ids, or on sequences into embeddings and predictions.
//!
//! ## Train and predict like the CLI, in a dozen lines
//!
//! ```no_run
//! use pipeline::{InputSpec, ModelDir, PrepOptions, TrainSettings, prepare, train_xpresso};
//! # fn main() -> pipeline::Result<()> {
//! let opts = PrepOptions::default(); // Xpresso: −7000..+3499, longest CDS, 8 features, median
//! let genes = prepare("genome.fa".as_ref(), "genes.gtf".as_ref(), Some("tpm.tsv".as_ref()), &opts)?;
//! let spec = InputSpec::xpresso(&opts, &genes.label_names);
//! let trained = train_xpresso(&genes, &spec, &TrainSettings::default(), "xpresso/".as_ref())?;
//! println!("test R² = {:.3}", trained.summary.r2.estimate);
//! // Later, anywhere: reopen the directory and predict another annotation.
//! let dir = ModelDir::open("xpresso/".as_ref(), &models::select_device(None)?)?;
//! let (inputs, y) = pipeline::predict_genes(&dir, "genome.fa".as_ref(), "other.gtf".as_ref(),
//!                                           None, None, false)?;
//! # let _ = (inputs, y); Ok(()) }
//! ```

pub mod attribute;
pub mod baseline;
pub mod deepcba;
pub mod demo;
pub mod error;
pub mod eval;
pub mod generain;
pub mod lm;
pub mod lncrna;
pub mod mirex;
pub mod model_dir;
pub mod motifs;
pub mod predict;
pub mod prepare;
pub mod scaler;
pub mod split;
pub mod variants;
pub mod xpresso;

pub use error::{Error, Result};
pub use eval::{Ci, EvalSummary, OutputMetrics, regression_summary, write_predictions};
pub use model_dir::{InputSpec, ModelDir, subset};
pub use predict::predict_genes;
pub use prepare::{LabelSpec, PrepOptions, Prepared, prepare, prepare_from};
pub use scaler::FeatureScaler;
pub use split::{SplitRows, split_rows};
pub use xpresso::{TrainSettings, Trained, train_xpresso};
