//! DeepCBA (promoter + chromatin-interacting partner → expression): what `seq2expr deepcba`
//! does. [`forward`]: the upstream Keras model's weights run on pairs of anchor sequences.

pub mod forward;

pub use forward::{AnchorPairs, deepcba_forward, parse_pairs, read_pairs};
