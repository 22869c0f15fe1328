#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets under fuzz/corpus/<target>/ (git-ignored) from
# small slices (a few KB at most) of ../shared (or $SEQ2EXPR_SHARED), of the malformed-input
# fixtures of crates/genome-io/tests/fixtures, and of a few inline examples.
# Usage: fuzz/seed.sh   (re-running it refreshes the seeds; corpus entries found by fuzzing stay)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
shared="${SEQ2EXPR_SHARED:-$here/../../shared}"
[ -d "$shared" ] || shared="$here/../shared"
[ -d "$shared" ] || { echo "seed.sh: no shared data at $shared (set SEQ2EXPR_SHARED)" >&2; exit 1; }
exec python3 - "$here" "$shared" <<'PY'
import glob, gzip, json, os, struct, sys, zlib

here, shared = sys.argv[1], sys.argv[2]
fixtures = os.path.join(here, "..", "crates", "genome-io", "tests", "fixtures", "malformed")
SEP = b"\n#~#\n"
MAX = 4096

def seed(target, name, data):
    d = os.path.join(here, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data[:MAX] if isinstance(data, bytes) else data.encode()[:MAX])

def head(path, n_bytes=3000, n_lines=None):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        data = f.read(n_bytes if n_lines is None else 1 << 20)
    if n_lines is not None:
        data = b"".join(data.splitlines(True)[:n_lines])[:n_bytes]
    return data

def lines_cut(data, n_fields, sep=b"\t"):
    return b"".join(sep.join(l.rstrip(b"\r\n").split(sep)[:n_fields]) + b"\n" for l in data.splitlines())

def sh(*parts):
    p = os.path.join(shared, *parts)
    return p if os.path.exists(p) else None

def fai_of(fa):
    out, off, name, length, lb, lw, start = [], 0, None, 0, 0, 0, 0
    for line in fa.splitlines(True):
        if line.startswith(b">"):
            if name is not None:
                out.append(b"%s\t%d\t%d\t%d\t%d\n" % (name, length, start, lb, lw))
            name, length, lb, lw = (line[1:].split() or [b""])[0], 0, 0, 0
            start = off + len(line)
        else:
            if lb == 0:
                lb, lw = len(line.rstrip(b"\r\n")), len(line)
            length += len(line.rstrip(b"\r\n"))
        off += len(line)
    if name is not None:
        out.append(b"%s\t%d\t%d\t%d\t%d\n" % (name, length, start, lb, lw))
    return b"".join(out)

# --- FASTA -----------------------------------------------------------------------------------
fastas = []
g = sh("oracles", "genome", "genome.fa.gz")
if g:
    fastas.append(("genome", head(g, 2000, 30)))
w = sh("oracles", "genome", "windows", "prom300.samtools.fa")
if w:
    fastas.append(("prom300", head(w, 2000, 12)))
fastas.append(("inline", b">chr1 desc\nACGTNacgt\nAC\n>chr2\nGGGG\nTT\n"))
for p in sorted(glob.glob(os.path.join(fixtures, "fasta", "*.fa"))):
    fastas.append((os.path.basename(p), open(p, "rb").read()[:MAX]))
for name, fa in fastas:
    seed("fasta_plain", name, fa)
    seed("fasta_gzip", name + ".gz", gzip.compress(fa))
    seed("fai", name, fa + SEP + fai_of(fa))
    seed("bgzf_gzi", name + ".build", b"\x03" + fa)           # bgzf-compress, build indexes
    seed("bgzf_gzi", name + ".fai", b"\x05" + fa + SEP + fai_of(fa) + SEP + b"\0" * 8)
for p in sorted(glob.glob(os.path.join(fixtures, "fasta", "*.fa.gz"))):
    raw = open(p, "rb").read()[:MAX]
    seed("fasta_gzip", os.path.basename(p), raw)
    fai = p + ".fai"
    if os.path.exists(fai):
        seed("bgzf_gzi", os.path.basename(p), b"\x00" + raw + SEP + open(fai, "rb").read() + SEP + b"\0" * 8)
for p in sorted(glob.glob(os.path.join(fixtures, "fasta", "*.fa.fai"))):
    fa = open(p[:-4], "rb").read()
    seed("fai", os.path.basename(p), fa + SEP + open(p, "rb").read())
real = sh("data", "grch38-chr9-1mb-ensembl91", "Homo_sapiens.GRCh38.dna_sm.primary_assembly_chr9_1_1000000.fa.fai")
if real:
    seed("fai", "grch38-fai-only", b">9\nNNNN\n" + SEP + open(real, "rb").read())

# --- annotation ------------------------------------------------------------------------------
a = sh("oracles", "genome", "annotation.gtf")
if a:
    seed("gtf", "oracle", b"\x01" + head(a, 3000, 20))
    seed("gtf", "oracle-spans", b"\x00" + head(a, 3000, 20))
r = sh("data", "grch38-chr9-1mb-ensembl91", "Homo_sapiens.GRCh38.91_chr9_1_1000000.gtf.gz")
if r:
    seed("gtf", "ensembl", b"\x01" + head(r, 3500, 14))
for p in sorted(glob.glob(os.path.join(fixtures, "gtf", "*.gtf"))):
    seed("gtf", os.path.basename(p), b"\x01" + open(p, "rb").read())
gff = (b"##gff-version 3\n"
       b"chr1\t.\tgene\t10\t200\t.\t+\t.\tID=g1;Name=G1;biotype=protein_coding\n"
       b"chr1\t.\tmRNA\t10\t200\t.\t+\t.\tID=t1;Parent=g1;transcript_type=protein_coding\n"
       b"chr1\t.\texon\t10\t50\t.\t+\t.\tID=e1;Parent=t1\n"
       b"chr1\t.\tCDS\t20\t50\t.\t+\t0\tParent=t1\n"
       b"chr1\t.\texon\t100\t200\t.\t+\t.\tParent=t1\n"
       b"chr2\t.\tgene\t5\t80\t.\t-\t.\tID=g2;gene_name=X%3BY\n"
       b"chr2\t.\tlnc_RNA\t5\t80\t.\t-\t.\tID=t2;Parent=g2\n###\n##FASTA\n>chr1\nACGT\n")
seed("gff3", "inline", b"\x01" + gff)
seed("gff3", "inline-spans", b"\x00" + gff)
for p in sorted(glob.glob(os.path.join(fixtures, "gtf", "*.gff3"))):
    seed("gff3", os.path.basename(p), b"\x01" + open(p, "rb").read())

# --- BED -------------------------------------------------------------------------------------
for p in sorted(glob.glob(os.path.join(shared, "oracles", "genome", "windows", "*.bed")))[:3]:
    seed("bed", os.path.basename(p), head(p, 1500, 10))
b = sh("data", "xpresso-labels", "hg38_promoters_cage_corrected.bed.gz")
if b:
    seed("bed", "xpresso", head(b, 1500, 10))
seed("bed", "inline", b"track name=x\nbrowser position chr1\nchr1\t2\t6\tn1\t0\t-\nchr1\t3\t3\te\t0\t+\nc\t0\t3\nz\t1\t2\n")

# --- expression tables ---------------------------------------------------------------------------
gv = sh("data", "geuvadis-lcl-85-counts", "humanGender_counts.genes_x_samples.tsv.gz")
if gv:
    seed("expression_table", "geuvadis", b"\x00" + lines_cut(head(gv, 1 << 16, 12), 6))
hp = sh("data", "hpa-tcga-tissue-expression", "hpa-cell-type-expression.csv.gz")
if hp:
    seed("expression_table", "hpa", b"\x0a" + lines_cut(head(hp, 1 << 16, 12), 6, b","))
gc = sh("data", "gencode-v36-genes", "gencode.v36.annotation.genes.tsv.gz")
if gc:
    seed("expression_table", "gencode", b"\x18" + head(gc, 1500, 10))
for p in sorted(glob.glob(os.path.join(fixtures, "tables", "*.[tc]sv"))):
    seed("expression_table", os.path.basename(p), b"\x00" + open(p, "rb").read())
    seed("expression_long", os.path.basename(p), b"\x00" + open(p, "rb").read())
gct = (b"#1.2\n3\t2\nName\tDescription\tliver\tbrain\n"
       b"ENSG1.1\tTP53\t1.5\t2\nENSG2\tEGFR\tNA\t4e3\nENSG2.3\tX\t0\t-1\n")
seed("expression_gct", "inline", b"\x00" + gct)
seed("expression_gct", "inline-dup", b"\x07" + gct)
for p in sorted(glob.glob(os.path.join(fixtures, "tables", "*.gct"))):
    seed("expression_gct", os.path.basename(p), b"\x00" + open(p, "rb").read())
seed("expression_long", "hpa", b"\x00Gene\tGene name\tTissue\tnTPM\nENSG1.2\tA\tliver\t1\nENSG1.2\tA\tbrain\t2\n"
     b"ENSG2\tB\tbrain\t5\nENSG2\tB\tliver\t0\n")
seed("expression_long", "hpa-missing", b"\x03Gene\tGene name\tTissue\tnTPM\nENSG1.2\tA\tliver\t1\nENSG2\tB\tbrain\t5\n")

# --- TargetScan ----------------------------------------------------------------------------------
ts = sh("data", "targetscan7-sample", "test", "output", "Targets.BL_PCT.context_scores.txt")
if ts:
    seed("targetscan", "context", b"\x00" + head(ts, 3500, 6))
    seed("targetscan", "context-human", b"\x1d" + head(ts, 3500, 6))
seed("targetscan", "inline", b"\x00Gene ID\tGene Symbol\tTranscript ID\tGene Tax ID\tmiRNA\tSite Type\tUTR_start\t"
     b"UTR end\tcontext++ score\tcontext++ score percentile\tweighted context++ score\t"
     b"weighted context++ score percentile\nENSG1.2\tA\tENST1.1\t9606\thsa-miR-21-5p\t2\t10\t16\t-0.2\t80\t-0.15\t80\n"
     b"ENSG1.2\tA\tENST1.1\t10090\thsa-miR-21-5p\t2\t10\t16\t-0.2\t80\t-0.9\t80\n")
seed("targetscan", "summary", b"\x02Transcript ID\tGene Symbol\tmiRNA family\tSpecies ID\tTotal num conserved sites\t"
     b"Cumulative weighted context++ score\nENST1.1\tA\tmiR-21-5p\t9606\t1\t-0.3\n")
for p in sorted(glob.glob(os.path.join(fixtures, "tables", "targetscan*.txt"))):
    seed("targetscan", os.path.basename(p), b"\x00" + open(p, "rb").read())

# --- VCF -----------------------------------------------------------------------------------------
vcf = (b"##fileformat=VCFv4.2\n##contig=<ID=chr1,length=28>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
       b"chr1\t9\trs1\tA\tG\t50\tPASS\t.\nchr1\t11\t.\tC\tCAA,T\t.\t.\tDP=3\nchr1\t12\t.\tGTA\tG\t.\t.\t.\n"
       b"chr1\t13\t.\tT\t<DEL>\t.\t.\tSVTYPE=DEL\nchr1\t14\t.\tA\tA]chr2:5]\t.\t.\t.\nchr1\t15\t.\tC\t*\t.\t.\t.\n"
       b"chr2\t1\t.\tN\tA\t.\t.\t.\n")
seed("vcf", "inline", b"\x00" + vcf)
seed("vcf", "inline-rev-keep", b"\x0b" + vcf)

# --- metrics TSV ---------------------------------------------------------------------------------
def metrics_tsv(cols):
    names = list(cols)
    n = min(len(cols[c]) for c in names)
    rows = ["\t".join(names)] + ["\t".join(str(cols[c][i]) for c in names) for i in range(min(n, 40))]
    return ("\n".join(rows) + "\n").encode()
def first_case(obj, keys):
    # The oracle JSONs hold cases with input arrays; take the first case that has all `keys`.
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            if all(k in o and isinstance(o[k], list) for k in keys):
                return o
            stack.extend(o.values())
        elif isinstance(o, list):
            stack.extend(o)
    return None
for fname, task, keys, out in [("classification.json", 0, ["y_true", "y_pred"], ["y_true", "y_pred"]),
                               ("regression.json", 2, ["y_true", "y_pred"], ["y_true", "y_pred"]),
                               ("clustering.json", 3, ["labels_true", "labels_pred"], ["labels_true", "labels_pred"])]:
    p = sh("oracles", "metrics", fname)
    case = first_case(json.load(open(p)), keys) if p else None
    if case:
        seed("metrics_tsv", fname, bytes([task]) + metrics_tsv({k: case[k] for k in out}))
seed("metrics_tsv", "binary-scores", b"\x04y_true\ty_pred\ty_score\n1\t1\t0.9\n0\t1\t0.6\n0\t0\t0.1\n1\t0\t0.4\n")
seed("metrics_tsv", "multiclass", b"\x01y_true\ty_pred\n0\t0\n1\t2\n2\t2\n2\t1\n")
seed("metrics_tsv", "regression", b"\x02y_true\ty_pred\textra\n1.5\t1.4\tx\n2\t2.5\ty\n-1e3\tNaN\tz\n")
seed("metrics_tsv", "clustering", b"\x03labels_true\tlabels_pred\n0\t1\n0\t1\n1\t0\n2\t2\n")

# --- datasets --------------------------------------------------------------------------------------
dv = sh("data", "dnabert-prom-core-dev", "dev.seq.tsv.gz")
if dv:
    rows = head(dv, 1 << 16, 12).splitlines()[1:]
    seed("gue_csv", "dnabert-dev", b"sequence,label\n" + b"".join(r.replace(b"\t", b",") + b"\n" for r in rows))
seed("gue_csv", "inline", b"sequence,label\r\nACGT,1\nacgtn,0\n\nTTGA , 2\n")
k6 = sh("data", "dnabert-prom-core-dev", "dev.6mer.tsv.gz")
if k6:
    seed("kmer_tsv", "dnabert-dev", head(k6, 3500, 4))
seed("kmer_tsv", "inline", b"sequence\tlabel\nACG CGT GTA\t1\nTTT TTG\t0\n")

# --- tokenizers ------------------------------------------------------------------------------------
for k in (3, 4):
    p = sh("oracles", "tokenize", "dnabert_vocab", "bert-config-%d" % k, "vocab.txt")
    if p:
        seed("vocab_txt", "dnabert%d" % k, bytes([(k - 3) << 1]) + open(p, "rb").read())
        seed("vocab_txt", "dnabert%d-upper" % k, bytes([((k - 3) << 1) | 1]) + open(p, "rb").read())
seed("vocab_txt", "chars", b"\x00[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nA\nC\nG\nT\nN\n")
seed("vocab_txt", "nt-specials", b"\x01<unk>\n<pad>\n<mask>\n<cls>\n<eos>\n<bos>\nA\nT\nC\nG\nN\nAAAAAA\n")
for k in (3, 4):
    p = sh("oracles", "tokenize", "kmer%d_wordlevel_tokenizer.json" % k)
    if p:
        seed("tokenizer_json", "kmer%d" % k, open(p, "rb").read())
seed("tokenizer_json", "bpe-inline", json.dumps({
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": 0, "content": "[UNK]", "single_word": False, "lstrip": False,
                      "rstrip": False, "normalized": False, "special": True}],
    "normalizer": None, "pre_tokenizer": None, "post_processor": None, "decoder": None,
    "model": {"type": "BPE", "dropout": None, "unk_token": "[UNK]", "continuing_subword_prefix": None,
              "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
              "vocab": {"[UNK]": 0, "A": 1, "C": 2, "G": 3, "T": 4, "AC": 5, "GT": 6, "ACGT": 7},
              "merges": ["A C", "G T", "AC GT"]}}))

# --- models: config.json and safetensors ---------------------------------------------------------
for p in sorted(glob.glob(os.path.join(shared, "oracles", "*", "*", "config.json"))):
    seed("hf_config", p.split(os.sep)[-3] + "-" + p.split(os.sep)[-2], open(p, "rb").read())
def safetensors(tensors, meta=True):
    header, data = {}, b""
    if meta:
        header["__metadata__"] = {"format": "pt"}
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data
seed("safetensors_header", "mixed", safetensors({
    "a.weight": ("F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
    "b.bias": ("F16", [3], struct.pack("<3H", 0x3c00, 0x0001, 0x7c00)),
    "c": ("BF16", [1, 2], struct.pack("<2H", 0x3f80, 0xff80)),
    "d": ("F64", [1], struct.pack("<d", 2.5)),
    "e": ("F32", [0, 3], b"")}))
seed("safetensors_header", "scalar-nometa", safetensors({"s": ("F32", [], struct.pack("<f", 7))}, meta=False))
for p in sorted(glob.glob(os.path.join(shared, "oracles", "*", "*", "model.safetensors")))[:3]:
    with open(p, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        if n <= 3500:
            seed("safetensors_header", p.split(os.sep)[-3] + "-header", struct.pack("<Q", n) + f.read(n))
print("seeded:", ", ".join("%s=%d" % (t, len(os.listdir(os.path.join(here, "corpus", t))))
                           for t in sorted(os.listdir(os.path.join(here, "corpus")))))
PY
