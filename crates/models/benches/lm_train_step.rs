//! Train-step time of the BERT-small encoder (6 layers, hidden 512, 8 heads, FFN 2048) with a
//! sequence-classification head: forward + backward + AdamW on a batch of 8 × 512 random
//! tokens with random labels, from random weights (seed 0). With `lora`, r 8 adapters on
//! query/value (base frozen, head trainable), as PEFT does.
//!
//! `cargo bench -p seq2expr-models --bench lm_train_step -- [full|lora] [REPS] [DEVICE]`
//!
//! Prints the median of REPS timed steps (after one warm-up step) and the peak RSS; the peer is
//! `scripts/bench_lm_train_torch.py` (transformers + PyTorch, and PEFT for `lora`).

use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::{AdamWConfig, GradientsParams};
use burn::tensor::{Int, Tensor, TensorData};
use models::lm::Collect;
use models::lm::lora::LoraSpec;
use models::lm::train::{LmTask, LmTrainConfig};
use models::select_device;
use serde_json::json;
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BATCH: usize = 8;
const LEN: usize = 512;

mod common;
use common::peak_rss_mb;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let mode = args.next().unwrap_or_else(|| "full".into());
    let reps: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(3);
    let dev = select_device(args.next().as_deref())?.autodiff();
    let cfg = json!({
        "model_type": "bert", "architectures": ["BertModel"], "vocab_size": 4101,
        "hidden_size": 512, "num_hidden_layers": 6, "num_attention_heads": 8,
        "intermediate_size": 2048, "max_position_embeddings": 512, "type_vocab_size": 2,
        "hidden_act": "gelu", "pad_token_id": 0, "layer_norm_eps": 1e-12,
    });
    let lora = (mode == "lora").then(LoraSpec::default);
    let task = LmTrainConfig::new(cfg, None, LmTask::Classification { classes: 2 }, lora)?;
    let mut model = task.build(&dev, 0)?;
    let ids: Vec<i64> = (0..BATCH * LEN)
        .map(|i| 5 + (i * 7919 % 4096) as i64)
        .collect();
    let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [BATCH, LEN]), &dev);
    let mask = Tensor::<2, Int>::ones([BATCH, LEN], &dev);
    let y = Tensor::<1, Int>::from_data(
        TensorData::new(vec![0i64, 1, 1, 0, 1, 0, 0, 1], [BATCH]),
        &dev,
    );
    let mut optim = AdamWConfig::new().with_weight_decay(0.01).init();
    let ce = CrossEntropyLossConfig::new().init(&dev);
    let mut times = Vec::new();
    for r in 0..=reps {
        let t0 = Instant::now();
        let logits = model
            .forward(ids.clone(), mask.clone(), Collect::default())
            .logits
            .ok_or("no logits")?;
        let loss = ce.forward(logits, y.clone());
        let _: f32 = loss.clone().into_scalar();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optim.step(3e-5, model, grads);
        // the CPU backend runs each op eagerly: the step is done when `step` returns
        if r > 0 {
            times.push(t0.elapsed().as_secs_f64());
        }
    }
    times.sort_by(f64::total_cmp);
    let med = times[times.len() / 2];
    println!(
        "{mode}: train step median {med:.3} s over {reps} steps ({:.0} tokens/s), peak RSS {:.0} MB",
        (BATCH * LEN) as f64 / med,
        peak_rss_mb().unwrap_or(f64::NAN)
    );
    Ok(())
}
