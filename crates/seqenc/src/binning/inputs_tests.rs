use super::*;
use crate::binning::top_genes;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Genes 3, 1, 2 expressed (bins 3, 2, 2), gene 0 unexpressed; 5 genes, length 6.
fn sample() -> SampleTokens {
    SampleTokens {
        genes: vec![3, 1, 2, 0],
        bins: vec![3, 2, 2, 1],
        unexpressed: vec![false, false, false, true],
    }
}

fn cfg(model: GeneRainModel, fraction: f64, mask_prob: f64, random_prob: f64) -> InputConfig {
    InputConfig {
        max_len: 6,
        masking: MaskConfig {
            fraction,
            mask_prob,
            random_prob,
        },
        ..InputConfig::new(model, 5)
    }
}

fn rng() -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(7)
}

#[test]
fn pred_expr_hand_checked() {
    let x = cfg(GeneRainModel::PredExpr, 0.0, 0.8, 0.1)
        .build(&sample(), &mut rng())
        .unwrap();
    assert_eq!(x.input_ids, vec![1, 2, 2, 3, 0, 0]);
    assert_eq!(x.position_ids, vec![1, 2, 3, 4, 0, 0]);
    assert_eq!(x.attention_mask, vec![0, 1, 1, 1, 0, 0]);
    assert_eq!(x.labels, vec![-100; 6]);
    assert_eq!(x.len, 4);
    // everything selected, all left unchanged: labels = true bins of the expressed genes
    let x = cfg(GeneRainModel::PredExpr, 1.0, 0.0, 0.0)
        .build(&sample(), &mut rng())
        .unwrap();
    assert_eq!(x.input_ids, vec![1, 2, 2, 3, 0, 0]);
    assert_eq!(x.labels, vec![-100, 2, 2, 3, -100, -100]);
    assert_eq!(x.actions[0], MaskAction::None);
    assert!(x.actions[1..4].iter().all(|&a| a == MaskAction::Unchanged));
}

#[test]
fn pred_genes_hand_checked() {
    let x = cfg(GeneRainModel::PredGenes, 1.0, 1.0, 0.0)
        .build(&sample(), &mut rng())
        .unwrap();
    // gene tokens 4, 2, 3 (expressed, in expression order) then 1 (unexpressed), mask = 6
    assert_eq!(x.input_ids, vec![6, 6, 6, 1, 0, 0]);
    assert_eq!(x.labels, vec![4, 2, 3, -100, -100, -100]);
    assert_eq!(x.position_ids, vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(x.attention_mask, vec![1, 1, 1, 0, 0, 0]);
    let c = cfg(GeneRainModel::PredGenes, 1.0, 0.0, 1.0);
    let x = c.build(&sample(), &mut rng()).unwrap();
    assert!(x.input_ids[..3].iter().all(|t| (1..=5).contains(t)));
    assert_eq!(x.input_ids[3..], [1, 0, 0]);
    assert_eq!((c.vocab_size(), c.position_table()), (7, 6));
}

#[test]
fn gpt_hand_checked() {
    let c = cfg(GeneRainModel::Gpt, 1.0, 1.0, 0.0); // masking is ignored
    let x = c.build(&sample(), &mut rng()).unwrap();
    assert_eq!(x.input_ids, vec![4, 2, 3, 1, 0, 0]);
    assert_eq!(x.labels, vec![4, 2, 3, -100, -100, -100]);
    assert_eq!(x.attention_mask, vec![1, 1, 1, 0, 0, 0]);
    assert_eq!(x.position_ids, vec![0, 1, 2, 3, 4, 5]);
    assert!(x.actions.iter().all(|&a| a == MaskAction::None));
    assert_eq!((c.vocab_size(), c.mask_id()), (6, None));
}

#[test]
fn sizes_match_the_oracles() {
    // gpt2-generain: vocab 300 = 299 genes + pad; bert-pred-expr: vocab 101, positions 300
    assert_eq!(vocab_size(GeneRainModel::Gpt, 299), 300);
    assert_eq!(vocab_size(GeneRainModel::PredExpr, 299), 101);
    assert_eq!(position_table(GeneRainModel::PredExpr, 299), 300);
    assert_eq!(vocab_size(GeneRainModel::PredGenes, 299), 301);
    assert_eq!(position_table(GeneRainModel::PredGenes, 299), 2048);
    assert_eq!(token_gene(gene_token(298), 299), Some(298));
    assert_eq!(token_gene(300, 299), None);
}

#[test]
fn bad_samples_are_refused() {
    let c = cfg(GeneRainModel::Gpt, 0.15, 0.8, 0.1);
    let bad = |f: &dyn Fn(&mut SampleTokens), model| {
        let mut s = sample();
        f(&mut s);
        InputConfig { model, ..c }
            .build(&s, &mut rng())
            .unwrap_err()
            .to_string()
    };
    let gpt = GeneRainModel::Gpt;
    assert!(bad(&|s| s.genes[0] = 5, gpt).contains("outside the 5 genes"));
    assert!(bad(&|s| s.genes[1] = 3, gpt).contains("occurs twice"));
    assert!(bad(&|s| s.bins[0] = 101, gpt).contains("bin 101"));
    assert!(bad(&|s| s.bins[3] = 2, gpt).contains("unexpressed genes have bin 1"));
    assert!(bad(&|s| s.bins.truncate(3), gpt).contains("ragged"));
    assert!(bad(&|s| s.bins.swap(0, 1), gpt).contains("descending expression order"));
    assert!(
        bad(
            &|s| {
                s.bins[2] = 1;
                s.unexpressed.swap(2, 3);
            },
            GeneRainModel::PredGenes
        )
        .contains("order")
    );
    // Pred_Expr does not need expression order
    let mut s = sample();
    s.bins.swap(0, 1);
    assert!(
        InputConfig {
            model: GeneRainModel::PredExpr,
            ..c
        }
        .build(&s, &mut rng())
        .is_ok()
    );
    let short = InputConfig { max_len: 3, ..c };
    assert!(
        short
            .build(&sample(), &mut rng())
            .unwrap_err()
            .to_string()
            .contains("max_len 3")
    );
    let none = InputConfig { n_genes: 0, ..c };
    assert!(none.build(&sample(), &mut rng()).is_err());
}

/// Samples from `top_genes` over random gene bins: 300 genes, top 256, ~30 % unexpressed.
fn random_samples(n: usize, seed: u64) -> Vec<SampleTokens> {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            let gb: Vec<u16> = (0..300)
                .map(|_| {
                    if r.random::<f64>() < 0.3 {
                        1
                    } else {
                        r.random_range(2..=2000)
                    }
                })
                .collect();
            let v: Vec<f64> = gb
                .iter()
                .map(|&b| f64::from(b) + r.random::<f64>())
                .collect();
            top_genes(&gb, &v, 256, 100).unwrap()
        })
        .collect()
}

#[test]
fn masking_statistics() {
    let samples = random_samples(300, 11);
    for model in [GeneRainModel::PredExpr, GeneRainModel::PredGenes] {
        let c = InputConfig {
            max_len: 260,
            ..InputConfig::new(model, 300)
        };
        let mask_id = c.mask_id().unwrap();
        let mut r = ChaCha8Rng::seed_from_u64(99);
        let (mut eligible, mut selected, mut masked, mut random, mut same) = (0, 0, 0, 0, 0);
        let mut input_is_mask = 0;
        let mut random_sum = 0u64;
        for s in &samples {
            let x = c.build(s, &mut r).unwrap();
            assert_eq!(x.input_ids.len(), 260);
            for i in 0..260 {
                let expressed = x.attention_mask[i] == 1;
                let act = x.actions[i];
                if !expressed {
                    // never an unexpressed gene (or a pad) masked or in the loss
                    assert_eq!((act, x.labels[i]), (MaskAction::None, IGNORE_INDEX));
                    continue;
                }
                eligible += 1;
                assert_eq!(x.labels[i] != IGNORE_INDEX, act.is_selected());
                match act {
                    MaskAction::None => {}
                    MaskAction::Mask => masked += 1,
                    MaskAction::Random => {
                        random += 1;
                        random_sum += u64::from(x.input_ids[i]);
                    }
                    MaskAction::Unchanged => {
                        same += 1;
                        assert_eq!(i64::from(x.input_ids[i]), x.labels[i]);
                    }
                }
                if act.is_selected() {
                    selected += 1;
                    input_is_mask += usize::from(x.input_ids[i] == mask_id);
                }
            }
        }
        let f = |a: usize, b: usize| a as f64 / b as f64;
        // ~53,000 eligible positions: the sd of the fraction is ~0.0016
        assert!(
            (f(selected, eligible) - 0.15).abs() < 0.01,
            "{model:?} {selected}/{eligible}"
        );
        // ~8,000 selected: sd ~0.0045 (80 %) and ~0.0034 (10 %)
        assert!(
            (f(masked, selected) - 0.8).abs() < 0.02,
            "{model:?} mask {masked}/{selected}"
        );
        assert!(
            (f(random, selected) - 0.1).abs() < 0.015,
            "{model:?} random {random}"
        );
        assert!(
            (f(same, selected) - 0.1).abs() < 0.015,
            "{model:?} unchanged {same}"
        );
        // the mask token appears exactly at the Mask positions (random tokens never draw it)
        assert_eq!(input_is_mask, masked);
        // random tokens are uniform over 1..=100 bins or 1..=300 genes: mean 50.5 or 150.5
        let mean = random_sum as f64 / random as f64;
        let expected = if model == GeneRainModel::PredExpr {
            50.5
        } else {
            150.5
        };
        assert!(
            (mean - expected).abs() < expected * 0.1,
            "{model:?} random mean {mean}"
        );
    }
}

#[test]
fn same_seed_same_input() {
    let s = &random_samples(1, 5)[0];
    let c = InputConfig {
        max_len: 256,
        ..InputConfig::new(GeneRainModel::PredGenes, 300)
    };
    let a = c.build(s, &mut ChaCha8Rng::seed_from_u64(1)).unwrap();
    assert_eq!(a, c.build(s, &mut ChaCha8Rng::seed_from_u64(1)).unwrap());
    assert_ne!(a, c.build(s, &mut ChaCha8Rng::seed_from_u64(2)).unwrap());
}
