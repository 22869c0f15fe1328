//! DeepCBA (Plant Communications 2024, `Jie-Lii/DeepCBA`): expression from a promoter and its
//! chromatin-interacting partner, reproducing the upstream Keras `buildModel()`.
//!
//! # Architecture
//!
//! Two paths of identical shape and separate weights (promoter = Keras path a, partner =
//! path b). Per path, three blocks (`filters` 64, 128, 64) of
//! Conv1d (k 8) → BatchNorm → ReLU → Conv1d (k 8, 'same') → BatchNorm → ReLU →
//! MaxPool 8 ('same') → Dropout 0.3; the first conv of the path is 'valid' (Keras'
//! Conv2D (4, 8) over the `4 × L` one-hot image). Then a Keras `Reshape((3, ·))` of the
//! channels-last `[W, C]` activation (step `t` = positions `2t, 2t+1` side by side for ppi),
//! a bidirectional LSTM (forward half first). Head: Luong dot attention
//! (`softmax(q·vᵀ)·v`, no scaling, query = promoter path, value = key = partner path),
//! flatten (row-major), Dropout 0.3, Dense 64 ReLU, Dense 1.
//!
//! TensorFlow semantics kept (the oracle's traps): 'same' with the even kernel pads 3 before
//! and 4 after ([`same_conv_padding`]); 'same' pooling pads `total / 2` before
//! ([`same_pool_geometry`]: 2993 → 375 with windows `[8j − 3, 8j + 4]`); BatchNorm epsilon
//! 1e-3 and no gamma (`scale=False`: gamma is fixed at 1 and frozen); LSTM gates
//! `i, f, c, o` with one bias.
//!
//! Input layout: one-hot **channels-first** `[B, 4, anchor_len]`, rows A, C, G, T, N (and
//! every non-ACGT base) an all-zero column — the upstream `data_encode` layout `(n, 4, L)`.
//!
//! # Presets
//!
//! * [`DeepCbaConfig::ppi`] — promoter–promoter: 2 × 3,000 bp, pool3 `[6, 64]` →
//!   `Reshape((3, 128))`, BiLSTM(128), flatten 768 (1,239,169 parameters). Checked against the
//!   `deepcba` oracle (the upstream file run by Keras, every activation).
//! * [`DeepCbaConfig::pdi`] — promoter–distal: 2 × 1,500 bp. **Not covered by the oracle**:
//!   the upstream `maize_pdi_model.py` hard-codes `Input(4, 6000, 1)`, which cannot reach its
//!   `Reshape((3, 64))`; its first conv's `input_shape=[4, 1500, 1]` and the 1.5-kb data
//!   point to 1,500-bp anchors. Derived geometry: 1493 → pool 187 → 24 → 3, `[3, 64]` kept
//!   by the reshape, BiLSTM(64), flatten 384.
//!
//! # BatchNorm, dropout, LSTM
//!
//! burn's [`BatchNorm`](burn::nn::BatchNorm) (epsilon from the config, burn momentum
//! `1 − 0.99`) and [`Dropout`](burn::nn::Dropout): training mode on an autodiff device,
//! inference (moving statistics, identity dropout) after `.valid()` or on a plain device.
//! The LSTM is burn's [`BiLstm`](burn::nn::BiLstm): its per-gate linears map one-to-one onto
//! Keras' column blocks `i, f, c, o` of `kernel` / `recurrent_kernel`, its reverse direction
//! writes step `t` at position `t` (Keras' re-aligned backward half) and its output is
//! `[forward, backward]` — so no LSTM of our own is needed. Keras has one bias per gate: the
//! hidden transforms are built without bias, so the parameters (and their gradients) are
//! exactly Keras'.
//!
//! # Promoter-only ablation
//!
//! `partner: false` ([`DeepCbaConfig::without_partner`]) drops path b; the attention then
//! takes the promoter path as query *and* value (self-attention). Every head shape stays the
//! same (flatten `3 · 2H`), so the model is the upstream one with the partner input replaced
//! by the promoter.
//!
//! # Converting the authors' `.h5` model
//!
//! [`load_keras_weights`] reads a safetensors file keyed by Keras variable path
//! ([`keras_weight_shapes`]). From an `.h5` file (whole model or weights only), in Python with
//! the authors' model file on the path (TensorFlow 2 / Keras, `safetensors`, `numpy`):
//!
//! ```text
//! from maize_ppi_model import buildModel            # pdi: first set Input to (4, 3000, 1)
//! from safetensors.numpy import save_file
//! m = buildModel()                                  # fresh session: canonical layer names
//! m.load_weights("maize_ppi.h5")                    # same topology, any layer numbering
//! save_file({getattr(w, "path", w.name).removesuffix(":0"): w.numpy() for w in m.weights},
//!           "deepcba_ppi.safetensors")
//! ```
//!
//! Building the model afresh before loading gives the canonical names (`conv2d` .. `conv2d_11`,
//! `bidirectional_1/forward_lstm_1/...`) even when the checkpoint was saved from a session that
//! numbered its layers otherwise; Keras 3 names the variables by `path`, Keras 2 by `name`
//! with a `:0` suffix (both accepted).

mod config;
mod host;
mod keras;
mod model;
mod ops;

pub use config::{
    DeepCbaConfig, DeepCbaPreset, MAX_ANCHOR_LEN, same_conv_padding, same_pool_geometry,
};
pub use keras::{keras_weight_shapes, load_keras_weights};
pub use model::{DeepCba, DeepCbaBatch, DeepCbaPath, DeepCbaTrace};

#[cfg(test)]
mod tests;
