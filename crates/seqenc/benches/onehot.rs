//! One-hot throughput: single sequence on one thread, and a 10,000 x 512 bp batch (rayon).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use seqenc::onehot::{Layout, NPolicy, OneHot};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let oh = OneHot::new(NPolicy::Zeros);
    let one = common::random_seqs(1, 1 << 20, 7).remove(0);
    let mut out = vec![0.0f32; 4 * one.len()];
    let mut g = c.benchmark_group("onehot");
    g.throughput(Throughput::Bytes(one.len() as u64));
    for (name, layout) in [
        ("1Mbp_channels_last_1thread", Layout::ChannelsLast),
        ("1Mbp_channels_first_1thread", Layout::ChannelsFirst),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                oh.encode_into(black_box(one.as_bytes()), layout, &mut out)
                    .expect("encode")
            })
        });
    }
    let batch = common::random_seqs(10_000, 512, 8);
    g.throughput(Throughput::Bytes(10_000 * 512));
    g.sample_size(20);
    for (name, layout) in [
        ("batch10000x512_channels_last", Layout::ChannelsLast),
        ("batch10000x512_channels_first", Layout::ChannelsFirst),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                oh.encode_batch(black_box(&batch), 512, layout)
                    .expect("batch")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
