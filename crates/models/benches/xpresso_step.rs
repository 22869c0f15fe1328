//! Throughput of a full Xpresso train step (forward + backward + SGD-momentum update) on the
//! published architecture (10,500 bp, batch 128), and of inference.
//!
//! `cargo bench -p seq2expr-models --bench xpresso_step -- [steps] [device]`
//! (device: cpu | wgpu | cuda; wgpu/cuda need the matching feature).

use burn::nn::loss::{MseLoss, Reduction};
use burn::optim::GradientsParams;
use burn::tensor::{Tensor, TensorData};
use models::{TrainConfig, XpressoConfig, canonical_ids, select_device};
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; flags are not ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let steps: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(10);
    let dev = select_device(args.next().as_deref())?;
    let ad = dev.clone().autodiff();
    let cfg = XpressoConfig::xpresso_human();
    let (b, l) = (128usize, cfg.input_len);
    ad.seed(0);
    let mut model = canonical_ids(cfg.init(&ad)?);
    let mut optim = TrainConfig::xpresso().build_optimizer();
    // Deterministic pseudo-random one-hot batch.
    let mut x = vec![0.0f32; b * 4 * l];
    let mut s: u64 = 42;
    for i in 0..b {
        for t in 0..l {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let c = (s >> 62) as usize;
            x[i * 4 * l + c * l + t] = 1.0;
        }
    }
    let feats: Vec<f32> = (0..b * 8).map(|i| ((i % 17) as f32 - 8.0) / 8.0).collect();
    let y: Vec<f32> = (0..b).map(|i| (i % 5) as f32).collect();
    let make = |d| {
        (
            Tensor::<3>::from_data(TensorData::new(x.clone(), [b, 4, l]), d),
            Tensor::<2>::from_data(TensorData::new(feats.clone(), [b, 8]), d),
            Tensor::<2>::from_data(TensorData::new(y.clone(), [b, 1]), d),
        )
    };
    let loss_fn = MseLoss::new();
    let mut step = |model: models::Xpresso| {
        let (xt, ft, yt) = make(&ad);
        let loss = loss_fn.forward(model.forward(xt, ft), yt, Reduction::Mean);
        let _l: f32 = loss.clone().into_scalar();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        optim.step(5e-4, model, grads)
    };
    for _ in 0..2 {
        model = step(model);
    }
    let t0 = Instant::now();
    for _ in 0..steps {
        model = step(model);
    }
    let train_s = t0.elapsed().as_secs_f64() / steps as f64;
    let inf = models::train::predict(
        &model,
        &models::XpressoData::new(x.clone(), feats.clone(), vec![], l, 8)?,
        b,
    )?;
    let t1 = Instant::now();
    for _ in 0..steps {
        let _ = models::train::predict(
            &model,
            &models::XpressoData::new(x.clone(), feats.clone(), vec![], l, 8)?,
            b,
        )?;
    }
    let inf_s = t1.elapsed().as_secs_f64() / steps as f64;
    println!(
        "device={:?} batch={b} len={l} params={} train_step={:.1} ms ({:.1} samples/s) \
         inference={:.1} ms ({:.1} samples/s) [pred0={:.4}]",
        dev,
        cfg.num_params(),
        train_s * 1e3,
        b as f64 / train_s,
        inf_s * 1e3,
        b as f64 / inf_s,
        inf[0]
    );
    Ok(())
}
