//! BERT-family DNA encoders that load Hugging Face checkpoints: BERT / DNABERT, DNABERT-2
//! (MosaicBERT) and the Nucleotide Transformer (HF ESM, v1 absolute positions, v2 rotary +
//! SwiGLU), plus the two GeneRAIN expression-transformer layouts: HF GPT-2
//! (`GPT2LMHeadModel` over gene ids, [`gpt2`]) and BERT `BERT_Pred_Expr` (expression bins as
//! `input_ids`, gene ids as explicit `position_ids`, [`bert`]'s `forward_at`).
//!
//! * [`blocks`]: attention returning probabilities, masks, ALiBi, rotary, GLU feed-forwards.
//! * [`bert`], [`esm`], [`dnabert2`], [`gpt2`]: one `XxxConfig` (HF `config.json` field
//!   names) and the module tree per family, named after the HF keys so the key map is the
//!   tree itself. GPT-2's `Conv1D` weights are `[in, out]` (no transpose), its `c_attn` is
//!   `Q | K | V`, its head is tied to `wte`, and [`gpt2::loss`] is HF's shifted causal-LM loss.
//! * [`auto`]: one entry point that reads a checkpoint directory, picks the architecture from
//!   `config.json`, loads `model.safetensors` (or `pytorch_model.bin`) and the tokenizer, and
//!   exports back to HF layout.
//! * [`chunk`]: DNABERT-style splitting of long inputs.
//! * [`weights`]: safetensors reading/writing, `pytorch_model.bin` reading and the collecting
//!   [`weights::Loader`].

mod arch;
pub mod auto;
pub mod bert;
pub mod blocks;
pub mod chunk;
pub mod dnabert2;
pub mod esm;
pub mod gpt2;
pub mod host;
pub mod lora;
pub mod mlm;
pub mod peft;
pub mod tokenizer;
pub mod train;
pub mod weights;

pub use auto::{Architecture, Family, Head, LmConfig, LmModel, LmOutput, LoadedLm, load_dir};
pub use blocks::{Collect, EncoderOutput};
pub use host::RowOutput;
