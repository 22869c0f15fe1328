//! Window extraction throughput: plan + parallel extraction + bedtools-style FASTA formatting,
//! from an in-memory genome and from an indexed plain FASTA on disk.
//!
//! Run: `cargo bench -p seq2expr-genome-io --bench windows`

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use genome_io::annotation::Strand;
use genome_io::fasta::{InMemoryGenome, IndexedFasta, SequenceSource};
use genome_io::output::{OutputFormat, write_windows};
use genome_io::tss::Tss;
use genome_io::windows::{EndPolicy, WindowSpec, plan_windows};
use rand::{Rng, SeedableRng};

const CHROM_LEN: usize = 4_000_000;
const N_TSS: usize = 20_000;

fn genome(rng: &mut rand_chacha::ChaCha8Rng) -> Vec<(String, Vec<u8>)> {
    (0..2)
        .map(|c| {
            (
                format!("chr{c}"),
                (0..CHROM_LEN)
                    .map(|_| b"ACGTacgt"[rng.random_range(0..8)])
                    .collect(),
            )
        })
        .collect()
}

fn tss(rng: &mut rand_chacha::ChaCha8Rng) -> Vec<Tss> {
    (0..N_TSS)
        .map(|i| Tss {
            gene_id: format!("G{i}"),
            gene_name: None,
            transcript_id: Some(format!("T{i}")),
            biotype: None,
            chrom: format!("chr{}", i % 2),
            strand: if rng.random_bool(0.5) {
                Strand::Forward
            } else {
                Strand::Reverse
            },
            pos0: rng.random_range(0..CHROM_LEN as u64),
        })
        .collect()
}

fn bench_source<S: SequenceSource + ?Sized>(c: &mut Criterion, label: &str, g: &S, tss: &[Tss]) {
    let mut group = c.benchmark_group(format!("windows/{label}"));
    group.sample_size(10);
    for (name, up, down) in [("300bp", 249u64, 50u64), ("10500bp", 7000, 3499)] {
        let spec = WindowSpec::new(up, down, EndPolicy::Pad);
        group.throughput(Throughput::Elements(tss.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let plan = plan_windows(g, tss, &spec).expect("plan");
                let mut sink = std::io::sink();
                write_windows(g, &plan.windows, OutputFormat::Fasta, &mut sink, |_| {})
                    .expect("write");
                black_box(plan.report.kept)
            })
        });
    }
    group.finish();
}

fn windows(c: &mut Criterion) {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
    let records = genome(&mut rng);
    let tss = tss(&mut rng);
    let mem = InMemoryGenome::from_records(records.iter().map(|(n, s)| (n.clone(), s.clone())))
        .expect("genome");
    bench_source(c, "in-memory", &mem, &tss);
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("g.fa");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    for (n, s) in &records {
        writeln!(f, ">{n}").expect("w");
        for line in s.chunks(60) {
            f.write_all(line).expect("w");
            f.write_all(b"\n").expect("w");
        }
    }
    drop(f);
    let indexed = IndexedFasta::open(&path).expect("indexed");
    bench_source(c, "indexed-fasta", &indexed, &tss);
}

criterion_group!(benches, windows);
criterion_main!(benches);
