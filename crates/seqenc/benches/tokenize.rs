//! DNABERT 6-mer tokenization of 10,000 x 512 bp (the HF comparison batch of
//! scripts/bench_tokenize.py: same seeded generator is NOT shared, only the shape).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use seqenc::tokenizer::{CaseMode, DnaBert, EncodeOptions, Tokenizer};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let t = DnaBert::new(6, CaseMode::AsIs).expect("tokenizer");
    let batch = common::random_seqs(10_000, 512, 9);
    let opts = EncodeOptions::default();
    let mut g = c.benchmark_group("dnabert6_10000x512");
    g.throughput(Throughput::Elements(10_000));
    g.sample_size(20);
    g.bench_function("encode_batch_all_threads", |b| {
        b.iter(|| t.encode_batch(black_box(&batch), &opts).expect("encode"))
    });
    let single = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    g.bench_function("encode_batch_1thread", |b| {
        b.iter(|| single.install(|| t.encode_batch(black_box(&batch), &opts).expect("encode")))
    });
    g.bench_function("kmer_ids_into_1thread", |b| {
        let mut ids = Vec::with_capacity(600);
        b.iter(|| {
            for s in &batch {
                ids.clear();
                t.kmer_ids_into(black_box(s.as_bytes()), &mut ids);
            }
            ids.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
