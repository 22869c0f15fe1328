#!/usr/bin/env bash
# Peer comparison of TSS-window extraction: `seq2expr windows` vs `bedtools getfasta -s -name` vs
# `samtools faidx` on the same windows of the big synthetic world (issue 2, section 5).
#
#   scripts/bench_windows.sh [WORLD_DIR] [WORK_DIR]     (defaults: /tmp/seq2expr-big, /tmp/seq2expr-bench)
#   RUNS=5 LENGTHS="300:249:50 10500:7000:3499" S2E=target/release/seq2expr scripts/bench_windows.sh
#
# For each window length (LEN:UPSTREAM:DOWNSTREAM; the TSS base is counted once on top):
#  1. an independent BED of all transcript TSS windows is built from the GTF with awk, windows past
#     a chromosome end dropped (= --ends skip), and compared with `seq2expr windows --format bed`;
#  2. the three tools extract the sequences; outputs are checked for identity (seq2expr vs bedtools
#     byte for byte; samtools after removing headers and line wrapping, per strand);
#  3. hyperfine times each tool writing to /dev/null (warm page cache); /usr/bin/time -v gives
#     the peak RSS. `seq2expr` (GTF) includes parsing the GTF and computing the TSSs; `seq2expr-bed`
#     (`windows --bed`) and the peers get the same ready BED / region list.
# Needs: bedtools, samtools, hyperfine, python3 (for the summary). Keep WORK_DIR outside the repo.
set -euo pipefail
W=${1:-/tmp/seq2expr-big}
T=${2:-/tmp/seq2expr-bench}
RUNS=${RUNS:-5}
LENGTHS=${LENGTHS:-"300:249:50 10500:7000:3499"}
cd "$(dirname "$0")/.."
ROOT=$PWD
[ -f "$W/genome.fa" ] || scripts/gen_big_genome.sh "$W"
if [ -z "${S2E:-}" ]; then # S2E=/path/to/seq2expr skips the build
    cargo build --release -q -p seq2expr-cli
    S2E=$(realpath "${CARGO_TARGET_DIR:-target}/release/seq2expr")
fi
FA=$W/genome.fa
GTF=$W/annotation.gtf
mkdir -p "$T"
cd "$T"
echo "world: $W ($(awk '{s+=$2} END {printf "%.1f Mb", s/1e6}' "$FA.fai"), $(grep -c $'\ttranscript\t' "$GTF") transcripts)"
echo "tools: $(bedtools --version), $(samtools --version | head -1), $(hyperfine --version)"

seqs() { # FASTA on stdin -> one sequence per line (headers dropped, lines joined)
    awk '/^>/ { if (n++) print s; s = ""; next } { s = s $0 } END { if (n) print s }'
}

for spec in $LENGTHS; do
    IFS=: read -r L UP DOWN <<<"$spec"
    echo "== windows of $L bp: --upstream $UP --downstream $DOWN"
    awk -v up="$UP" -v down="$DOWN" -F'\t' '
        FNR == NR { len[$1] = $2; next }
        $3 == "transcript" {
            match($9, /transcript_id "[^"]+"/); id = substr($9, RSTART + 15, RLENGTH - 16)
            if ($7 == "+") { tss = $4 - 1; s = tss - up; e = tss + down + 1 }
            else { tss = $5 - 1; s = tss - down; e = tss + up + 1 }
            if (s >= 0 && e <= len[$1]) print $1 "\t" s "\t" e "\t" id "\t0\t" $7
        }' "$FA.fai" "$GTF" >"awk_$L.bed"
    "$S2E" windows --fasta "$FA" --gtf "$GTF" --upstream "$UP" --downstream "$DOWN" \
        --transcripts all --ends skip --format bed --out "s2e_$L.bed"
    cmp <(cut -f1,2,3,6 "awk_$L.bed" | sort) <(cut -f1,2,3,6 "s2e_$L.bed" | sort) &&
        echo "BED: seq2expr windows == independent awk windows ($(wc -l <"awk_$L.bed") windows)"
    awk '$6 == "+" { print $1 ":" $2 + 1 "-" $3 }' "s2e_$L.bed" >"plus_$L.reg"
    awk '$6 == "-" { print $1 ":" $2 + 1 "-" $3 }' "s2e_$L.bed" >"minus_$L.reg"

    S2E_CMD="$S2E windows --fasta $FA --gtf $GTF --upstream $UP --downstream $DOWN --transcripts all --ends skip --format fasta"
    S2E_BED_CMD="$S2E windows --fasta $FA --bed s2e_$L.bed"
    BT_CMD="bedtools getfasta -s -name -fi $FA -bed s2e_$L.bed"
    ST_CMD="samtools faidx -r plus_$L.reg $FA && samtools faidx -i -r minus_$L.reg $FA"

    # identity checks
    $S2E_CMD >"s2e_$L.fa"
    $BT_CMD >"bt_$L.fa"
    cmp "s2e_$L.fa" "bt_$L.fa" && echo "FASTA: seq2expr == bedtools getfasta -s -name (byte-identical)"
    $S2E_BED_CMD 2>/dev/null | cmp - "bt_$L.fa" && echo "FASTA: seq2expr --bed == bedtools getfasta -s -name (byte-identical)"
    samtools faidx -r "plus_$L.reg" "$FA" | seqs >"st_plus_$L.seq"
    samtools faidx -i -r "minus_$L.reg" "$FA" | seqs >"st_minus_$L.seq"
    awk '/^>/ { strand = substr($0, length($0) - 1, 1); next } strand == "+"' "s2e_$L.fa" >"s2e_plus_$L.seq"
    awk '/^>/ { strand = substr($0, length($0) - 1, 1); next } strand == "-"' "s2e_$L.fa" >"s2e_minus_$L.seq"
    cmp "s2e_plus_$L.seq" "st_plus_$L.seq" && cmp "s2e_minus_$L.seq" "st_minus_$L.seq" &&
        echo "FASTA: seq2expr == samtools faidx (-i on minus; same sequences after unwrapping)"
    rm -f "s2e_$L.fa" "bt_$L.fa" ./*_"$L".seq

    hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "hyperfine_$L.json" \
        -n seq2expr "$S2E_CMD > /dev/null" -n seq2expr-bed "$S2E_BED_CMD > /dev/null" -n bedtools "$BT_CMD > /dev/null" -n samtools "($ST_CMD) > /dev/null"
    for tool in seq2expr seq2expr-bed bedtools samtools; do
        case $tool in
        seq2expr) cmd=$S2E_CMD ;;
        seq2expr-bed) cmd=$S2E_BED_CMD ;;
        bedtools) cmd=$BT_CMD ;;
        samtools) cmd="samtools faidx -i -r minus_$L.reg $FA" ;; # the larger of its two calls
        esac
        /usr/bin/time -v bash -c "$cmd > /dev/null" 2>"rss_${tool}_$L.txt" >/dev/null
        echo "$tool peak RSS: $(awk -F': ' '/Maximum resident/ { printf "%.1f MB", $2 / 1024 }' "rss_${tool}_$L.txt")"
    done
done

python3 - "$T" $LENGTHS <<'EOF'
import json, re, sys
t = sys.argv[1]
print("\n| windows | tool | median (s) | min–max (s) | peak RSS (MB) | seq2expr (GTF) speed-up | seq2expr --bed speed-up |")
print("|---|---|---|---|---|---|---|")
for spec in sys.argv[2:]:
    L = spec.split(":")[0]
    res = {r["command"]: r for r in json.load(open(f"{t}/hyperfine_{L}.json"))["results"]}
    base = res["seq2expr"]["median"]
    bed = res["seq2expr-bed"]["median"]
    for tool in ("seq2expr", "seq2expr-bed", "bedtools", "samtools"):
        r = res[tool]
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{t}/rss_{tool}_{L}.txt").read())
        rss = f"{int(rss.group(1)) / 1024:.1f}" if rss else "?"
        ratio = "—" if tool.startswith("seq2expr") else f"{r['median'] / base:.2f}×"
        ratio_bed = "—" if tool.startswith("seq2expr") else f"{r['median'] / bed:.2f}×"
        print(f"| {L} bp | {tool} | {r['median']:.3f} | {r['min']:.3f}–{r['max']:.3f} | {rss} | {ratio} | {ratio_bed} |")
EOF
