//! Forward throughput (tokens/s) of small DNA encoders: batch 8 × 512 tokens, random weights
//! (seed 0), no padding, nothing collected but the last hidden state.
//!
//! `cargo bench -p seq2expr-models --bench lm_forward -- CONFIG [REPS] [DEVICE] [EXPORT_DIR]`
//!
//! CONFIG: `bert-small` (HF BERT: 6 layers, hidden 512, 8 heads, FFN 2048, 512 positions),
//! `esm-rotary-small` (HF ESM with rotary positions and a GELU MLP, same sizes),
//! `nt-v2-small` (ESM rotary with the bias-free SwiGLU of NT v2) or `dnabert2-small`
//! (MosaicBERT: ALiBi, fused QKV, GLU). With EXPORT_DIR the random model is also written there
//! in HF layout (`config.json` + `model.safetensors`) so that `scripts/bench_lm_torch.py` runs
//! transformers on the very same weights. Prints the median of REPS timed forwards (after one
//! warm-up) and the process's peak RSS.

use burn::tensor::{Int, Tensor, TensorData};
use models::lm::Collect;
use models::lm::auto::LmModel;
use models::lm::bert::BertConfig;
use models::lm::dnabert2::DnaBert2Config;
use models::lm::esm::EsmConfig;
use models::select_device;
use serde_json::{Value, json};
use std::time::Instant;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BATCH: usize = 8;
const LEN: usize = 512;

fn config(name: &str) -> Option<Value> {
    let common = json!({
        "hidden_size": 512, "num_hidden_layers": 6, "num_attention_heads": 8,
        "intermediate_size": 2048, "layer_norm_eps": 1e-12, "initializer_range": 0.02,
    });
    let mut c = match name {
        "bert-small" => json!({
            "model_type": "bert", "architectures": ["BertModel"], "vocab_size": 4101,
            "max_position_embeddings": 512, "type_vocab_size": 2, "hidden_act": "gelu",
            "pad_token_id": 0,
        }),
        "esm-rotary-small" | "nt-v2-small" => json!({
            "model_type": "esm", "architectures": ["EsmModel"], "vocab_size": 4107,
            "max_position_embeddings": 2050, "position_embedding_type": "rotary",
            "pad_token_id": 1, "mask_token_id": 2, "token_dropout": false,
            "emb_layer_norm_before": false, "tie_word_embeddings": false,
        }),
        "dnabert2-small" => json!({
            "model_type": "bert", "architectures": ["BertModel"], "vocab_size": 4096,
            "alibi_starting_size": 512, "hidden_act": "gelu", "pad_token_id": 0,
            "auto_map": {"AutoModel": "bert_layers.BertModel"},
        }),
        _ => return None,
    };
    if name == "nt-v2-small" {
        c["add_bias_fnn"] = json!(false);
    }
    for (k, v) in common.as_object()?.iter() {
        c[k] = v.clone();
    }
    Some(c)
}

mod common;
use common::peak_rss_mb;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; flags are not ours.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let name = args.next().unwrap_or_else(|| "bert-small".into());
    let reps: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5);
    let dev = select_device(args.next().as_deref())?;
    let export = args.next();
    let cfg_json = config(&name).ok_or_else(|| format!("unknown config {name}"))?;
    let (model, vocab) = match name.as_str() {
        "bert-small" => {
            let c: BertConfig = serde_json::from_value(cfg_json.clone())?;
            (LmModel::Bert(c.init(&dev)?), c.vocab_size)
        }
        "dnabert2-small" => {
            let c: DnaBert2Config = serde_json::from_value(cfg_json.clone())?;
            (LmModel::DnaBert2(c.init(&dev)?), c.vocab_size)
        }
        _ => {
            let c: EsmConfig = serde_json::from_value(cfg_json.clone())?;
            (LmModel::Esm(c.init(&dev)?), c.vocab_size)
        }
    };
    if let Some(dir) = &export {
        let dir = std::path::Path::new(dir);
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("config.json"), format!("{cfg_json:#}"))?;
        model.export().file.write(&dir.join("model.safetensors"))?;
    }
    // Deterministic ids, away from the special tokens (ids 0..5).
    let mut s: u64 = 42;
    let ids: Vec<i64> = (0..BATCH * LEN)
        .map(|_| {
            s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            5 + ((s >> 33) as usize % (vocab - 5)) as i64
        })
        .collect();
    let run = || {
        let x = Tensor::<2, Int>::from_data(TensorData::new(ids.clone(), [BATCH, LEN]), &dev);
        let m = Tensor::<2, Int>::ones([BATCH, LEN], &dev);
        let out = model.forward(x, m, Collect::default());
        // Reading the result back waits for the device.
        out.encoder.last_hidden_state.into_data()
    };
    let _ = run();
    let mut times: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            let _ = run();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{name}: batch {BATCH} x {LEN} tokens, median {:.3} s of {} -> {:.0} tokens/s, peak RSS {:.0} MB",
        median,
        times.len(),
        (BATCH * LEN) as f64 / median,
        peak_rss_mb().unwrap_or(f64::NAN)
    );
    Ok(())
}
