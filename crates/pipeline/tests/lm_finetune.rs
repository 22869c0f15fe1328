//! `lm finetune` / `lm pretrain` / `lm importance` on a tiny DNABERT-3 encoder: a planted-motif
//! task learnt from random init, regression, LoRA, the files written, an HF directory that
//! loads again, and the typed errors of bad inputs.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use pipeline::lm::finetune::{FinetuneInputs, FinetuneSettings, FinetuneTask, lm_finetune};
use pipeline::lm::pretrain::{SmallEncoder, write_small_encoder};
use rand::{Rng, SeedableRng};

fn encoder(dir: &Path) {
    let e = SmallEncoder {
        k: 3,
        hidden: 32,
        layers: 2,
        heads: 2,
        max_len: 64,
    };
    write_small_encoder(dir, &e).unwrap();
}

fn write_csv(path: &Path, n: usize, seed: u64, regression: bool) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut s = String::from("sequence,label\n");
    for i in 0..n {
        let mut q: Vec<u8> = (0..40).map(|_| b"ACGT"[rng.random_range(0..4)]).collect();
        let pos = i % 2 == 1;
        if pos {
            let at = rng.random_range(0..32);
            q[at..at + 8].copy_from_slice(b"TATAAAAG");
        }
        let label = if regression {
            format!(
                "{}",
                if pos { 2.0 } else { -1.0 } + rng.random::<f64>() * 0.1
            )
        } else {
            format!("{}", u8::from(pos))
        };
        s += &format!("{},{label}\n", String::from_utf8(q).unwrap());
    }
    std::fs::write(path, s).unwrap();
}

fn settings(task: FinetuneTask, lora: bool) -> FinetuneSettings {
    let mut s = FinetuneSettings::preset(task, lora);
    s.lr = 2e-3;
    s.epochs = 10;
    s.warmup_steps = 10;
    s.bootstrap = 200;
    s.progress = false;
    s
}

#[test]
fn finetune_learns_a_planted_motif_and_writes_an_hf_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    encoder(&d.join("enc"));
    write_csv(&d.join("train.csv"), 320, 1, false);
    write_csv(&d.join("dev.csv"), 80, 2, false);
    write_csv(&d.join("test.csv"), 80, 3, false);
    let inp = FinetuneInputs {
        model: &d.join("enc"),
        train: &d.join("train.csv"),
        dev: &d.join("dev.csv"),
        test: &d.join("test.csv"),
    };
    let out = d.join("out");
    let r = lm_finetune(inp, &settings(FinetuneTask::Classification, false), &out).unwrap();
    let mcc = r["metrics"]["mcc"]["estimate"].as_f64().unwrap();
    assert!(mcc > 0.5, "test MCC {mcc}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(saved["metrics"]["mcc"]["estimate"].as_f64(), Some(mcc));
    let pred = std::fs::read_to_string(out.join("predictions.tsv")).unwrap();
    assert_eq!(pred.lines().next(), Some("label\tprediction\tscore"));
    assert_eq!(pred.lines().count(), 81);
    // the exported directory is a sequence classifier that loads again
    let dev = models::select_device(Some("cpu")).unwrap();
    let lm = models::lm::load_dir(&out.join("model"), &dev).unwrap();
    assert_eq!(
        lm.architecture.head,
        models::lm::Head::SequenceClassification
    );
    assert_eq!(lm.config.labels(), 2);

    // LoRA on top of it: only the adapter and head train; the adapter is saved in PEFT layout
    let inp2 = FinetuneInputs {
        model: &out.join("model"),
        ..inp
    };
    let mut s = settings(FinetuneTask::Classification, true);
    s.epochs = 1;
    let r2 = lm_finetune(inp2, &s, &d.join("lora")).unwrap();
    assert!(r2["metrics"]["mcc"]["estimate"].as_f64().unwrap() > 0.3);
    for f in ["adapter_config.json", "adapter_model.safetensors"] {
        assert!(d.join("lora/model/adapter").join(f).exists(), "{f}");
    }
    let again = models::lm::load_dir(&out.join("model"), &dev)
        .unwrap()
        .with_adapter(&d.join("lora/model/adapter"), &dev)
        .unwrap();
    assert_eq!(again.lora.as_ref().unwrap().r, 8);
}

#[test]
fn regression_reports_mse() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    encoder(&d.join("enc"));
    write_csv(&d.join("train.csv"), 320, 4, true);
    write_csv(&d.join("dev.csv"), 40, 5, true);
    write_csv(&d.join("test.csv"), 40, 6, true);
    let inp = FinetuneInputs {
        model: &d.join("enc"),
        train: &d.join("train.csv"),
        dev: &d.join("dev.csv"),
        test: &d.join("test.csv"),
    };
    let mut s = settings(FinetuneTask::Regression, false);
    s.batch_size = 16;
    let r = lm_finetune(inp, &s, &d.join("out")).unwrap();
    let mse = r["metrics"]["mse"]["estimate"].as_f64().unwrap();
    // the labels' variance is ~2.25: a model that learnt anything beats predicting a constant
    assert!(mse.is_finite() && mse < 2.25, "test MSE {mse}");
    let pred = std::fs::read_to_string(d.join("out/predictions.tsv")).unwrap();
    assert_eq!(pred.lines().next(), Some("label\tprediction"));
}

#[test]
fn bad_inputs_are_typed_errors_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    encoder(&d.join("enc"));
    write_csv(&d.join("ok.csv"), 20, 7, false);
    let cases: [(&str, &str, &str); 4] = [
        ("noheader.csv", "ACGTACGT,1\nACGTTTTT,0\n", "noheader.csv"),
        (
            "badlabel.csv",
            "sequence,label\nACGTACGT,x\n",
            "badlabel.csv",
        ),
        ("empty.csv", "sequence,label\n", "empty.csv"),
        (
            "oneclass.csv",
            "sequence,label\nACGTACGT,1\nACGTTTTA,1\n",
            "single class",
        ),
    ];
    for (name, text, want) in cases {
        std::fs::write(d.join(name), text).unwrap();
        let inp = FinetuneInputs {
            model: &d.join("enc"),
            train: &d.join(name),
            dev: &d.join("ok.csv"),
            test: &d.join("ok.csv"),
        };
        let e = lm_finetune(
            inp,
            &settings(FinetuneTask::Classification, false),
            &d.join("o"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains(want), "{name}: {e}");
    }
    // a regression label that is not a number
    std::fs::write(d.join("r.csv"), "sequence,label\nACGTACGT,high\n").unwrap();
    let inp = FinetuneInputs {
        model: &d.join("enc"),
        train: &d.join("r.csv"),
        dev: &d.join("r.csv"),
        test: &d.join("r.csv"),
    };
    let e = lm_finetune(
        inp,
        &settings(FinetuneTask::Regression, false),
        &d.join("o"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("r.csv:2") && e.contains("not a number"), "{e}");
    // a LoRA target that names no module
    let mut s = settings(FinetuneTask::Classification, true);
    s.lora.as_mut().unwrap().target_modules = vec!["dense_h_to_4h".into()];
    let inp = FinetuneInputs {
        model: &d.join("enc"),
        train: &d.join("ok.csv"),
        dev: &d.join("ok.csv"),
        test: &d.join("ok.csv"),
    };
    let e = lm_finetune(inp, &s, &d.join("o2")).unwrap_err().to_string();
    assert!(e.contains("dense_h_to_4h"), "{e}");
}
