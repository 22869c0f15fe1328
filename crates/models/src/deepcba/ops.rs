//! Tensor operations of DeepCBA with TensorFlow semantics: padded convolution as one GEMM,
//! 'same' max-pooling, the channels-last regrouping before the LSTM and Luong dot attention.

use super::config::same_pool_geometry;
use burn::nn::conv::Conv1d;
use burn::tensor::Tensor;
use burn::tensor::activation::softmax;
use burn::tensor::ops::PadMode;

/// A stride-1 convolution with `before` / `after` zero padding (cross-correlation, as Keras),
/// computed as one matrix product per batch element: the `k` shifted copies of the padded
/// input and a row of ones are stacked into `[B, k·C + 1, L_out]` patches and multiplied by
/// `[weight | bias]` viewed as `[out, k·C + 1]`. The same numbers as `Conv1d::forward` with
/// explicit padding, but every gradient is a GEMM (burn-flex's Conv1d weight gradient is a
/// convolution whose kernel is the whole sequence; see `xpresso::conv_same`).
///
/// # Shapes
/// - `x`: `[batch, in_channels, length]`
/// - output: `[batch, out_channels, length + before + after − k + 1]`
pub(crate) fn conv_padded(conv: &Conv1d, x: Tensor<3>, before: usize, after: usize) -> Tensor<3> {
    let [b, c, l] = x.dims();
    let w = conv.weight.val();
    let [out, _, k] = w.dims();
    let padded = if before + after > 0 {
        x.pad([(before, after)], PadMode::Constant(0.0))
    } else {
        x
    };
    let lo = l + before + after + 1 - k;
    // Row j·C + c of the patches is channel c shifted by j; the weight [out, C, k] is permuted
    // to [out, k, C] to match.
    let mut rows: Vec<Tensor<3>> = (0..k)
        .map(|j| padded.clone().slice([0..b, 0..c, j..j + lo]))
        .collect();
    let mut w = w.swap_dims(1, 2).reshape([out, k * c]);
    if let Some(bias) = &conv.bias {
        rows.push(Tensor::ones([b, 1, lo], &padded.device()));
        w = Tensor::cat(vec![w, bias.val().reshape([out, 1])], 1);
    }
    let patches = Tensor::cat(rows, 1);
    let depth = patches.dims()[1];
    w.reshape([1, out, depth])
        .expand([b, out, depth])
        .matmul(patches)
}

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
