#!/usr/bin/env python3
"""Writes a VCF of N random SNVs (sorted, REF from the genome, uppercase, no N) for the
variant-scoring benchmark in docs/benchmarks.md.

    python3 scripts/gen_snv_vcf.py GENOME.fa N SEED > snvs.vcf
"""
import random
import sys


def main():
    fasta, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    chroms, name, buf = {}, None, []
    for line in open(fasta):
        if line.startswith(">"):
            if name:
                chroms[name] = "".join(buf)
            name, buf = line[1:].split()[0], []
        else:
            buf.append(line.strip())
    chroms[name] = "".join(buf)
    rng = random.Random(seed)
    total = sum(len(s) for s in chroms.values())
    names = list(chroms)
    out = sys.stdout
    out.write("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    picks = []
    while len(picks) < n:
        g = rng.randrange(total)
        for c in names:
            if g < len(chroms[c]):
                break
            g -= len(chroms[c])
        b = chroms[c][g].upper()
        if b in "ACGT":
            picks.append((names.index(c), g, b))
    picks.sort()
    for ci, g, b in picks:
        alt = rng.choice([x for x in "ACGT" if x != b])
        out.write(f"{names[ci]}\t{g + 1}\t.\t{b}\t{alt}\t.\t.\t.\n")


if __name__ == "__main__":
    main()
