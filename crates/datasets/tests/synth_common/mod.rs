//! Small independent readers for the synthetic-world tests (deliberately not the crate's parsers).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

/// FASTA records as (name, sequence), in file order.
pub fn read_fasta(path: &Path) -> Vec<(String, Vec<u8>)> {
    let text = std::fs::read(path).unwrap();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for line in text.split(|&b| b == b'\n') {
        if let Some(h) = line.strip_prefix(b">") {
            let name = String::from_utf8_lossy(h)
                .split_whitespace()
                .next()
                .unwrap()
                .to_string();
            out.push((name, Vec::new()));
        } else if !line.is_empty() {
            out.last_mut().unwrap().1.extend_from_slice(line);
        }
    }
    out
}

pub fn revcomp(s: &[u8]) -> Vec<u8> {
    s.iter()
        .rev()
        .map(|&b| match b {
            b'A' => b'T',
            b'C' => b'G',
            b'G' => b'C',
            b'T' => b'A',
            b'a' => b't',
            b'c' => b'g',
            b'g' => b'c',
            b't' => b'a',
            x => x,
        })
        .collect()
}

/// One GTF feature: 0-based half-open start/end.
#[derive(Debug, Clone)]
pub struct Feature {
    pub chrom: String,
    pub kind: String,
    pub start: u64,
    pub end: u64,
    pub strand: char,
    pub frame: String,
    pub attrs: Vec<(String, String)>,
}

impl Feature {
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

pub fn read_gtf(path: &Path) -> Vec<Feature> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 9, "bad GTF line {line}");
        let attrs = f[8]
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once(' ').unwrap();
                (k.to_string(), v.trim_matches('"').to_string())
            })
            .collect();
        out.push(Feature {
            chrom: f[0].into(),
            kind: f[2].into(),
            start: f[3].parse::<u64>().unwrap() - 1,
            end: f[4].parse().unwrap(),
            strand: f[6].chars().next().unwrap(),
            frame: f[7].into(),
            attrs,
        });
    }
    out
}

/// Features grouped by transcript_id (gene lines excluded), in file order.
pub fn by_transcript(features: &[Feature]) -> BTreeMap<String, Vec<Feature>> {
    let mut m: BTreeMap<String, Vec<Feature>> = BTreeMap::new();
    for f in features.iter().filter(|f| f.kind != "gene") {
        m.entry(f.attr("transcript_id").unwrap().to_string())
            .or_default()
            .push(f.clone());
    }
    m
}

/// Spliced sequence (5'->3' on the strand, uppercase) of the features of `kind`.
pub fn spliced(genome: &BTreeMap<String, Vec<u8>>, feats: &[Feature], kind: &str) -> Vec<u8> {
    let mut parts: Vec<&Feature> = feats.iter().filter(|f| f.kind == kind).collect();
    parts.sort_by_key(|f| f.start);
    let mut out = Vec::new();
    for f in &parts {
        out.extend_from_slice(&genome[&f.chrom][f.start as usize..f.end as usize]);
    }
    if parts.first().is_some_and(|f| f.strand == '-') {
        out = revcomp(&out);
    }
    out.make_ascii_uppercase();
    out
}

/// Rows of a TSV with a header, as maps column -> value.
pub fn read_tsv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split('\t')
        .map(String::from)
        .collect();
    let rows = lines
        .map(|l| {
            let v: Vec<&str> = l.split('\t').collect();
            assert_eq!(v.len(), header.len(), "ragged row {l}");
            header
                .iter()
                .cloned()
                .zip(v.into_iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// Sense-strand bases at offsets [off, off+len) of a TSS (0-based) on `strand`.
pub fn sense(seq: &[u8], tss0: u64, strand: char, off: i64, len: usize) -> Vec<u8> {
    let t = tss0 as i64;
    if strand == '+' {
        seq[(t + off) as usize..(t + off) as usize + len].to_vec()
    } else {
        let (s, e) = ((t - off - len as i64 + 1) as usize, (t - off + 1) as usize);
        revcomp(&seq[s..e])
    }
}

pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let mut sxy = 0.0;
    let mut sxx = 0.0;
    let mut syy = 0.0;
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    sxy / (sxx * syy).sqrt()
}

pub fn variance(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n
}
