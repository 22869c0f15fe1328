//! Criterion benches: region fetch (plain + `.fai`, bgzip + `.gzi`, in memory) for 300 bp and
//! 10.5 kb windows, single-threaded and with rayon, and reverse complement.
//!
//! Input: a deterministic 20 Mb synthetic genome (4 × 5 Mb records, 60 bp lines, soft-masked
//! runs) written to a temporary directory, so the bench needs no external data.
//! Run: `cargo bench -p seq2expr-genome-io --bench fasta`.

// `criterion_group!` generates an undocumented `pub fn`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::Write;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use genome_io::fasta::{BgzfFasta, InMemoryGenome, IndexedFasta, SequenceSource};
use genome_io::seq::{reverse_complement, reverse_complement_in_place};
use rayon::prelude::*;

const RECORDS: usize = 4;
const RECORD_LEN: usize = 5_000_000;

/// SplitMix64: a tiny deterministic generator (no rand dependency needed here).
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn synthetic_genome(seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut s = seed;
    (0..RECORDS)
        .map(|r| {
            let mut seq: Vec<u8> = (0..RECORD_LEN)
                .map(|_| b"ACGT"[(next(&mut s) % 4) as usize])
                .collect();
            for _ in 0..500 {
                let start = (next(&mut s) % (RECORD_LEN as u64 - 2_000)) as usize;
                seq[start..start + 1_000].make_ascii_lowercase();
            }
            (format!("chr{}", r + 1), seq)
        })
        .collect()
}

fn write_fasta(records: &[(String, Vec<u8>)], w: &mut impl Write) -> std::io::Result<()> {
    for (name, seq) in records {
        writeln!(w, ">{name}")?;
        for line in seq.chunks(60) {
            w.write_all(line)?;
            w.write_all(b"\n")?;
        }
    }
    Ok(())
}

fn windows(n: usize, len: u64, seed: u64) -> Vec<(String, u64, u64)> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            let r = next(&mut s) as usize % RECORDS;
            let start = next(&mut s) % (RECORD_LEN as u64 - len);
            (format!("chr{}", r + 1), start, start + len)
        })
        .collect()
}

fn setup(dir: &Path) -> (IndexedFasta, BgzfFasta, InMemoryGenome) {
    let records = synthetic_genome(42);
    let fa = dir.join("bench.fa");
    let mut text = Vec::new();
    write_fasta(&records, &mut text).expect("write to memory");
    std::fs::write(&fa, &text).expect("write bench FASTA");
    let bgz = dir.join("bench.fa.gz");
    let mut w = noodles::bgzf::io::Writer::new(std::fs::File::create(&bgz).expect("create"));
    w.write_all(&text).expect("bgzip");
    w.finish().expect("finish bgzip");
    let plain = IndexedFasta::open(&fa).expect("open plain");
    let bgzf = BgzfFasta::open(&bgz).expect("open bgzf");
    let mem = InMemoryGenome::from_records(records).expect("in-memory genome");
    (plain, bgzf, mem)
}

fn bench_fetch(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, bgzf, mem) = setup(dir.path());
    let sources: [(&str, &dyn SequenceSource); 3] =
        [("indexed", &plain), ("bgzf", &bgzf), ("memory", &mem)];
    for len in [300u64, 10_500] {
        let wins = windows(1_000, len, 7);
        let mut g = c.benchmark_group(format!("fetch_{len}bp_x1000"));
        g.throughput(Throughput::Bytes(len * wins.len() as u64));
        g.sample_size(20);
        for (label, src) in sources {
            g.bench_with_input(BenchmarkId::new("serial", label), &wins, |b, wins| {
                let mut buf = Vec::new();
                b.iter(|| {
                    for (n, s, e) in wins {
                        src.fetch_into(n, *s, *e, &mut buf).expect("fetch");
                        black_box(&buf);
                    }
                })
            });
            g.bench_with_input(BenchmarkId::new("rayon", label), &wins, |b, wins| {
                b.iter(|| {
                    wins.par_iter().for_each_init(Vec::new, |buf, (n, s, e)| {
                        src.fetch_into(n, *s, *e, buf).expect("fetch");
                        black_box(&buf);
                    })
                })
            });
        }
        g.finish();
    }
}

fn bench_revcomp(c: &mut Criterion) {
    let records = synthetic_genome(1);
    let seq = records[0].1[..10_500].to_vec();
    let mut g = c.benchmark_group("reverse_complement_10500bp");
    g.throughput(Throughput::Bytes(seq.len() as u64));
    g.bench_function("alloc", |b| {
        b.iter(|| black_box(reverse_complement(black_box(&seq))))
    });
    let mut buf = seq.clone();
    g.bench_function("in_place", |b| {
        b.iter(|| reverse_complement_in_place(black_box(&mut buf)))
    });
    g.finish();
}

criterion_group!(benches, bench_fetch, bench_revcomp);
criterion_main!(benches);
