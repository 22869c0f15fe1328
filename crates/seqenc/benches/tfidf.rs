//! TF-IDF (char 3..5-grams) fit + transform and k-mer counts on 1,000 x 512 bp.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use seqenc::kmer::KmerCounter;
use seqenc::tfidf::{TfidfConfig, TfidfVectorizer};
use std::hint::black_box;

mod common;

fn bench(c: &mut Criterion) {
    let docs = common::random_seqs(1_000, 512, 10);
    let mut g = c.benchmark_group("ngram_1000x512");
    g.throughput(Throughput::Bytes(1_000 * 512));
    g.sample_size(10);
    let cfg = TfidfConfig {
        ngram_range: (3, 5),
        ..Default::default()
    };
    g.bench_function("tfidf_fit_transform_3_5", |b| {
        b.iter(|| TfidfVectorizer::fit_transform(black_box(&docs), cfg).expect("fit"))
    });
    let v = TfidfVectorizer::fit(&docs, cfg).expect("fit");
    g.bench_function("tfidf_transform_3_5", |b| {
        b.iter(|| v.transform(black_box(&docs)))
    });
    let k = KmerCounter::new(3, 6).expect("counter");
    g.bench_function("kmer_counts_3_6", |b| {
        b.iter(|| k.transform(black_box(&docs)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
