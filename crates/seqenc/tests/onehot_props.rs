//! One-hot encoding: property tests and N policy.

use proptest::prelude::*;
use seqenc::Error;
use seqenc::onehot::{Layout, NPolicy, OneHot};

/// Channel of each base in A, C, G, T order, derived from the documented channel order.
fn channel(b: u8) -> Option<usize> {
    b"ACGT".iter().position(|&x| x == b.to_ascii_uppercase())
}

proptest! {
    #[test]
    fn acgt_rows_sum_to_one_in_both_layouts(s in "[ACGTacgt]{0,300}") {
        let oh = OneHot::new(NPolicy::Error);
        let last = oh.encode(s.as_bytes(), Layout::ChannelsLast).expect("encode");
        let first = oh.encode(s.as_bytes(), Layout::ChannelsFirst).expect("encode");
        let l = s.len();
        for (i, b) in s.bytes().enumerate() {
            let row = &last[4 * i..4 * i + 4];
            prop_assert_eq!(row.iter().sum::<f32>(), 1.0);
            let c = channel(b).expect("ACGT");
            prop_assert_eq!(row[c], 1.0);
            for ch in 0..4 {
                prop_assert_eq!(first[ch * l + i], row[ch]); // [4, L] is the transpose of [L, 4]
            }
        }
    }

    #[test]
    fn n_policy_is_followed(s in "[ACGTNnRY]{1,200}") {
        for (policy, fill) in [(NPolicy::Zeros, 0.0f32), (NPolicy::Uniform, 0.25)] {
            let x = OneHot::new(policy).encode(s.as_bytes(), Layout::ChannelsLast).expect("encode");
            for (i, b) in s.bytes().enumerate() {
                let row = &x[4 * i..4 * i + 4];
                match channel(b) {
                    Some(_) => prop_assert_eq!(row.iter().sum::<f32>(), 1.0),
                    None => prop_assert!(row.iter().all(|&v| v == fill)),
                }
            }
        }
        let first_bad = s.bytes().position(|b| channel(b).is_none());
        let r = OneHot::new(NPolicy::Error).encode(s.as_bytes(), Layout::ChannelsFirst);
        match first_bad {
            None => prop_assert!(r.is_ok()),
            Some(p) => {
                let ok = matches!(r, Err(Error::InvalidBase { pos, .. }) if pos == p);
                prop_assert!(ok, "expected InvalidBase at {}", p);
            }
        }
    }

    #[test]
    fn u8_encoding_equals_the_f32_one(s in "[ACGTNacgtn]{0,200}", pad in 0usize..5) {
        for policy in [NPolicy::Zeros, NPolicy::Error] {
            let oh = OneHot::new(policy);
            for layout in [Layout::ChannelsFirst, Layout::ChannelsLast] {
                let n = 4 * (s.len() + pad);
                let (mut f, mut u) = (vec![9.0f32; n], vec![9u8; n]);
                let rf = oh.encode_into(s.as_bytes(), layout, &mut f);
                let ru = oh.encode_u8_into(s.as_bytes(), layout, &mut u);
                prop_assert_eq!(rf.is_ok(), ru.is_ok());
                if rf.is_ok() {
                    let back: Vec<f32> = u.iter().map(|&v| f32::from(v)).collect();
                    prop_assert_eq!(back, f);
                }
            }
        }
    }

    #[test]
    fn batch_equals_single_encodings_zero_padded(seqs in proptest::collection::vec("[ACGTN]{0,50}", 0..8)) {
        let oh = OneHot::new(NPolicy::Uniform);
        for layout in [Layout::ChannelsFirst, Layout::ChannelsLast] {
            let x = oh.encode_batch(&seqs, 50, layout).expect("batch");
            prop_assert_eq!(x.len(), seqs.len() * 200);
            for (i, s) in seqs.iter().enumerate() {
                let mut one = vec![0.0f32; 200];
                oh.encode_into(s.as_bytes(), layout, &mut one).expect("into");
                prop_assert_eq!(&x[i * 200..(i + 1) * 200], &one[..]);
                let single = oh.encode(s.as_bytes(), Layout::ChannelsLast).expect("single");
                prop_assert_eq!(one.iter().sum::<f32>(), single.iter().sum::<f32>());
            }
        }
    }
}

#[test]
fn batch_errors_name_the_sequence() {
    let oh = OneHot::new(NPolicy::Error);
    let r = oh.encode_batch(&["ACGT", "ACNT"], 4, Layout::ChannelsLast);
    assert!(
        matches!(
            r,
            Err(Error::InvalidBase {
                index: 1,
                pos: 2,
                byte: 'N'
            })
        ),
        "{r:?}"
    );
    let r = oh.encode_batch(&["ACGT", "ACGTA"], 4, Layout::ChannelsLast);
    assert!(
        matches!(
            r,
            Err(Error::SequenceTooLong {
                index: 1,
                len: 5,
                max: 4
            })
        ),
        "{r:?}"
    );
}
