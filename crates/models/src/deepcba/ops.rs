//! Tensor operations of DeepCBA with TensorFlow semantics: padded convolution as one GEMM,
//! 'same' max-pooling, the channels-last regrouping before the LSTM and Luong dot attention.

use super::config::same_pool_geometry;
use burn::tensor::Tensor;
use burn::tensor::activation::softmax;
use burn::tensor::ops::PadMode;

/// The padded convolution as one GEMM, shared with Xpresso.
pub(crate) use crate::xpresso::conv_padded;

/// TensorFlow `MaxPooling` with window = stride = `pool` and 'same' padding: `⌈L / pool⌉`
/// outputs, `total / 2` padded cells before and the rest after (see
/// [`same_pool_geometry`](super::same_pool_geometry)); padded cells never win (−∞).
///
/// # Shapes
/// - `x`: `[batch, channels, length]`
/// - output: `[batch, channels, ⌈length / pool⌉]`
pub(crate) fn max_pool_same(x: Tensor<3>, pool: usize) -> Tensor<3> {
    let [b, c, l] = x.dims();
    let (out, before, after) = same_pool_geometry(l, pool);
    let x = if before + after > 0 {
        x.pad([(before, after)], PadMode::Constant(f32::NEG_INFINITY))
    } else {
        x
    };
    x.reshape([b, c, out, pool]).max_dim(3).reshape([b, c, out])
}

/// Keras `Reshape((steps, W·C / steps))` of a channels-last `[W, C]` activation: row-major
/// over (position, channel), so step `t` holds whole positions `t·W/steps ..` one after the
/// other (`x[t, j] = a[(t·D + j) / C, (t·D + j) % C]`, `D = W·C / steps`).
///
/// # Shapes
/// - `x`: `[batch, channels, positions]` (channels-first)
/// - output: `[batch, steps, positions · channels / steps]`
pub(crate) fn regroup_channels_last(x: Tensor<3>, steps: usize) -> Tensor<3> {
    let [b, c, w] = x.dims();
    x.swap_dims(1, 2).reshape([b, steps, w * c / steps])
}

/// Luong dot-product attention (Keras `Attention()`, `use_scale=False`, no projections, no
/// mask): `scores = q·vᵀ`, softmax over the value positions, `out = weights·v`.
///
/// # Shapes
/// - `query`: `[batch, Tq, d]`, `value` (= key): `[batch, Tv, d]`
/// - output: `(out [batch, Tq, d], scores [batch, Tq, Tv], weights [batch, Tq, Tv])`
pub(crate) fn dot_attention(
    query: Tensor<3>,
    value: Tensor<3>,
) -> (Tensor<3>, Tensor<3>, Tensor<3>) {
    let scores = query.matmul(value.clone().swap_dims(1, 2));
    let weights = softmax(scores.clone(), 2);
    let out = weights.clone().matmul(value);
    (out, scores, weights)
}
