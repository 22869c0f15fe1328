#!/usr/bin/env bash
# Builds the large synthetic world used by the benchmarks (320 Mb, 8 chromosomes, 70,000 genes,
# ~240,000 transcripts): genome.fa(.fai), annotation.gtf, expression.tsv, truth.tsv.
#
#   scripts/gen_big_genome.sh [OUT_DIR] [SEED]        (defaults: /tmp/seq2expr-big, 1)
#
# Generation streams chromosome by chromosome (genome_io::synth::generate_to_dir). Keep the output
# outside the repository. Set PRESET=demo|tiny for smaller worlds.
set -euo pipefail
OUT=${1:-/tmp/seq2expr-big}
SEED=${2:-1}
PRESET=${PRESET:-big}
cd "$(dirname "$0")/.."
cargo build --release -q -p seq2expr-datasets --example synth_world
BIN=${CARGO_TARGET_DIR:-target}/release/examples/synth_world
/usr/bin/time -f "synth_world: %e s wall, peak RSS %M KB" "$BIN" --preset "$PRESET" --seed "$SEED" --out "$OUT"
ls -l "$OUT"
