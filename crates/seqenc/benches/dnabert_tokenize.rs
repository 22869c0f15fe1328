//! Times DNABERT k-mer tokenization of a file of sequences (one per line) for
//! scripts/bench_tokenize.py, and writes the ids (one line per sequence) for the comparison
//! with HF `BertTokenizerFast`.
//!
//! `cargo bench -p seq2expr-seqenc --bench dnabert_tokenize -- SEQS.txt K REPEATS IDS_OUT.txt`
//! prints `{"threads": T, "median_s": ...}` lines for 1 thread and all threads.

use seqenc::tokenizer::{CaseMode, DnaBert, EncodeOptions, Tokenizer};
use std::io::Write;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo bench` passes `--bench`; flags are not ours.
    let a: Vec<String> = std::env::args().filter(|a| !a.starts_with("--")).collect();
    if a.len() != 5 {
        return Err("usage: bench_dnabert SEQS.txt K REPEATS IDS_OUT.txt".into());
    }
    let seqs: Vec<String> = std::fs::read_to_string(&a[1])?
        .lines()
        .map(String::from)
        .collect();
    let k: usize = a[2].parse()?;
    let reps: usize = a[3].parse()?;
    let t = DnaBert::new(k, CaseMode::AsIs)?;
    let opts = EncodeOptions::default();
    let all = rayon::current_num_threads();
    for threads in [1, all] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let times: Vec<f64> = (0..reps)
            .map(|_| {
                let t0 = Instant::now();
                let out = pool.install(|| t.encode_batch(&seqs, &opts));
                let dt = t0.elapsed().as_secs_f64();
                std::hint::black_box(out.map(|v| v.len()).unwrap_or(0));
                dt
            })
            .collect();
        println!(
            "{{\"threads\": {threads}, \"median_s\": {}, \"n\": {}}}",
            median(times),
            seqs.len()
        );
    }
    let enc = t.encode_batch(&seqs, &opts)?;
    let mut f = std::io::BufWriter::new(std::fs::File::create(&a[4])?);
    for e in enc {
        let s: Vec<String> = e.ids.iter().map(u32::to_string).collect();
        writeln!(f, "{}", s.join(" "))?;
    }
    Ok(())
}
