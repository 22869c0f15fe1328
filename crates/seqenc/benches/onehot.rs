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
    let mut out_u8 = vec![0u8; 4 * one.len()];
    g.bench_function("1Mbp_channels_last_u8_1thread", |b| {
        b.iter(|| {
            oh.encode_u8_into(black_box(one.as_bytes()), Layout::ChannelsLast, &mut out_u8)
                .expect("encode")
        })
    });
    // One 512 bp sequence into a reused buffer that stays in cache: the encoder's own speed,
    // without the DRAM write bandwidth that bounds the 1 Mbp f32 case (16 bytes per base).
    let short = &one.as_bytes()[..512];
    let mut out_short = vec![0.0f32; 4 * 512];
    g.throughput(Throughput::Bytes(512));
    g.bench_function("512bp_channels_last_f32_in_cache", |b| {
        b.iter(|| {
            oh.encode_into(black_box(short), Layout::ChannelsLast, &mut out_short)
                .expect("encode")
        })
    });
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
