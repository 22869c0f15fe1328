//! Motifs from attributions: what `seq2expr motifs` does.
//!
//! Input: an `attribute` output directory (`summary.json`, `sequences.tsv`,
//! `attributions.npy`). Each sequence's contributions `c[i][b]` (what its base `b` at `i`
//! contributes) are
//! * ISM: `−mean_b' delta[i][b']` on the sequence's base (the delta mean-centred per position,
//!   projected on the observed base, as tangermeme aggregates ISM);
//! * gradient methods (`grad-input`, `integrated-gradients`, `saliency`) and tracks: the value
//!   on the sequence's base.
//!
//! Seqlets are called on `Σ_b c[i][b]` with tangermeme's recursive method
//! ([`evalkit::motifs::recursive_seqlets`]: p-values of windowed sums against a null from the
//! track itself, thresholded, grown recursively between a minimum and maximum length), clustered
//! ([`evalkit::motifs::cluster_seqlets`]: seed by decreasing attribution, Tomtom p-value under a
//! threshold, both strands; the strongest `max_cluster_seqlets` only, as it compares every pair), and each cluster's PWM compared with a MEME database
//! ([`evalkit::motifs::tomtom_best`]: memelite's Tomtom — column scores `−‖q − t‖₂`, centred
//! and binned per query column against every database column, summed over the alignment, the
//! p-value of the best offset from the exact null of those sums, both strands).
//!
//! Every seqlet is also annotated with its best database match (tangermeme's
//! `annotate_seqlets`: Tomtom of the seqlet's own bases against the database).
//!
//! Files in `OUT/`: `seqlets.tsv` (`id, start, end, attribution, p_value, match, match_p,
//! match_strand, match_start, cluster, tss_offset`: `match_start` is the first base of the
//! matched motif's footprint, `tss_offset` the same relative to `--tss-index`), `matches.tsv`
//! (per database motif: the seqlets matching it with p under `match_p`, their median and most
//! common position), `motifs.tsv` (per cluster: size, consensus, the best database matches with
//! p-value, offset and strand), `motifs.meme` (the clusters' PWMs), `logos/cluster_N.svg` (CWM
//! logo) and `logos/cluster_N.pwm.svg`.

use std::path::Path;

use evalkit::motifs::{
    ClusterParams, Motif, SeqletParams, Strand, TomtomParams, cluster_seqlets, read_meme_file,
    recursive_seqlets, tomtom_best, write_meme_file,
};
use evalkit::plots::{attribution_logo_svg, pwm_logo_svg, write_svg};
use serde_json::{Value, json};

use crate::attribute::read_npy_f32;
use crate::error::io_err;
use crate::{Error, Result};

/// Settings of [`find_motifs`].
#[derive(Debug, Clone)]
pub struct MotifSettings {
    /// Seqlet calling.
    pub seqlets: SeqletParams,
    /// Clustering.
    pub cluster: ClusterParams,
    /// Database matches kept per cluster.
    pub matches: usize,
    /// Clusters smaller than this are not reported.
    pub min_cluster: usize,
    /// Index of the TSS in every sequence (adds `tss_offset` to `seqlets.tsv`).
    pub tss_index: Option<usize>,
    /// Seqlets clustered (the strongest by attribution; clustering compares every pair).
    pub max_cluster_seqlets: usize,
    /// A seqlet counts for a database motif in `matches.tsv` when its Tomtom p-value is below.
    pub match_p: f64,
}

impl Default for MotifSettings {
    fn default() -> Self {
        Self {
            seqlets: SeqletParams::default(),
            cluster: ClusterParams::default(),
            matches: 3,
            min_cluster: 10,
            tss_index: None,
            match_p: 0.01,
            max_cluster_seqlets: 2000,
        }
    }
}

/// One sequence of an attribution directory: id, one-hot and contributions `[L][4]`.
type Example = (String, Vec<[f64; 4]>, Vec<[f64; 4]>);

fn read_dir(dir: &Path) -> Result<(String, Vec<Example>)> {
    let bad = |m: String| Error::Usage(format!("{}: {m}", dir.display()));
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("summary.json"))
            .map_err(io_err(format!("reading {}/summary.json", dir.display())))?,
    )
    .map_err(|e| bad(format!("summary.json: {e}")))?;
    let method = summary["method"].as_str().unwrap_or("").to_string();
    if summary["tokens"].as_bool() == Some(true) {
        return Err(bad(
            "attributions of token ids have no bases to find motifs in".into(),
        ));
    }
    let text = std::fs::read_to_string(dir.join("sequences.tsv"))
        .map_err(io_err(format!("reading {}/sequences.tsv", dir.display())))?;
    let (shape, v) = read_npy_f32(&dir.join("attributions.npy"))?;
    let width = match shape.len() {
        3 if shape[2] == 4 => 4,
        2 => 1,
        _ => return Err(bad(format!("attributions.npy has shape {shape:?}"))),
    };
    let (n, l) = (shape[0], shape[1]);
    let mut out = Vec::new();
    for (r, line) in text.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 4 || r >= n {
            return Err(bad(format!(
                "sequences.tsv line {} does not match attributions.npy",
                r + 2
            )));
        }
        let x = crate::attribute::one_hot_any(f[3].as_bytes())?;
        if x.len() > l {
            return Err(bad(format!(
                "sequence {} is longer than attributions.npy rows",
                f[0]
            )));
        }
        let row = &v[r * l * width..(r + 1) * l * width];
        let contrib = crate::attribute::contributions(&method, width, row, &x);
        out.push((f[0].to_string(), x, contrib));
    }
    Ok((method, out))
}

fn strand(s: Strand) -> &'static str {
    if s == Strand::Forward { "+" } else { "-" }
}

fn consensus(p: &[[f64; 4]]) -> String {
    p.iter()
        .map(|r| {
            let (b, m) = r
                .iter()
                .enumerate()
                .fold((0, 0.0), |a, (i, &v)| if v > a.1 { (i, v) } else { a });
            if m < 0.5 {
                'N'
            } else {
                ['A', 'C', 'G', 'T'][b]
            }
        })
        .collect()
}

/// Seqlets, motifs and database matches of the attribution directory `dir` (see the module
/// docs), written to `out`; returns the summary.
///
/// # Errors
/// An unreadable attribution directory or MEME file, bad settings, I/O errors.
pub fn find_motifs(dir: &Path, meme: &Path, s: &MotifSettings, out: &Path) -> Result<Value> {
    let db = read_meme_file(meme)?;
    let (method, ex) = read_dir(dir)?;
    let tracks: Vec<Vec<f64>> = ex
        .iter()
        .map(|e| e.2.iter().map(|r| r.iter().sum()).collect())
        .collect();
    let seqlets = recursive_seqlets(&tracks, &s.seqlets)?;
    let onehots: Vec<&[[f64; 4]]> = ex.iter().map(|e| e.1.as_slice()).collect();
    let contribs: Vec<&[[f64; 4]]> = ex.iter().map(|e| e.2.as_slice()).collect();
    // clustering compares every pair: only the strongest seqlets take part
    let mut order: Vec<usize> = (0..seqlets.len()).collect();
    order.sort_by(|&a, &b| seqlets[b].attribution.total_cmp(&seqlets[a].attribution));
    order.truncate(s.max_cluster_seqlets);
    let top: Vec<_> = order.iter().map(|&i| seqlets[i].clone()).collect();
    let mut clusters = if top.is_empty() {
        Vec::new()
    } else {
        cluster_seqlets(&top, &onehots, &contribs, &s.cluster)?
    };
    for c in &mut clusters {
        c.seed = order[c.seed];
        for m in &mut c.members {
            m.seqlet = order[m.seqlet];
        }
    }
    let kept: Vec<_> = clusters
        .iter()
        .filter(|c| c.members.len() >= s.min_cluster)
        .collect();
    let queries: Vec<Vec<[f64; 4]>> = kept.iter().map(|c| c.pwm.clone()).collect();
    let hits = if queries.is_empty() {
        Vec::new()
    } else {
        tomtom_best(&queries, &db.motifs, &TomtomParams::default(), s.matches)?
    };
    std::fs::create_dir_all(out.join("logos"))
        .map_err(io_err(format!("creating {}", out.display())))?;
    let name = |t: usize| {
        let m = &db.motifs[t];
        m.alt
            .clone()
            .map_or_else(|| m.id.clone(), |a| format!("{} {a}", m.id))
    };
    // every seqlet annotated with its best database match (tangermeme's annotate_seqlets:
    // Tomtom of the seqlet's bases against the database)
    let seqlet_seqs: Vec<Vec<[f64; 4]>> = seqlets
        .iter()
        .map(|sl| ex[sl.example].1[sl.start..sl.end].to_vec())
        .collect();
    let annotations = if seqlet_seqs.is_empty() {
        Vec::new()
    } else {
        tomtom_best(&seqlet_seqs, &db.motifs, &TomtomParams::default(), 1)?
    };
    let mut cluster_of = vec![None; seqlets.len()];
    for (k, c) in kept.iter().enumerate() {
        for m in &c.members {
            cluster_of[m.seqlet] = Some(k);
        }
    }
    let sp = out.join("seqlets.tsv");
    outfile::write_atomic(&sp, |w| {
        writeln!(
            w,
            "id\tstart\tend\tattribution\tp_value\tmatch\tmatch_p\tmatch_strand\tmatch_start\tcluster\ttss_offset"
        )?;
        for (q, sl) in seqlets.iter().enumerate() {
            let c = cluster_of[q].map_or(".".into(), |k: usize| k.to_string());
            let (m, mp, ms, mstart) = annotations.get(q).and_then(|h| h.first()).map_or(
                (".".to_string(), f64::NAN, ".", sl.start as i64),
                |h| (name(h.target), h.p_value, strand(h.strand), sl.start as i64 - h.offset),
            );
            let off = s.tss_index.map_or(".".into(), |t| (mstart - t as i64).to_string());
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t{m}\t{mp}\t{ms}\t{mstart}\t{c}\t{off}",
                ex[sl.example].0, sl.start, sl.end, sl.attribution, sl.p_value
            )?;
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", sp.display())))?;
    // per database motif: the seqlets matching it, and where (relative to the TSS)
    let mut per: Vec<Vec<i64>> = vec![Vec::new(); db.motifs.len()];
    for (q, sl) in seqlets.iter().enumerate() {
        if let Some(h) = annotations.get(q).and_then(|h| h.first())
            && h.p_value < s.match_p
        {
            let at = sl.start as i64 - h.offset - s.tss_index.map_or(0, |t| t as i64);
            per[h.target].push(at);
        }
    }
    let mut recovered = Vec::new();
    let xp = out.join("matches.tsv");
    outfile::write_atomic(&xp, |w| {
        let pos = if s.tss_index.is_some() { "tss_offset" } else { "position" };
        writeln!(w, "motif\tseqlets\tmedian_{pos}\tmode_{pos}\tmode_count")?;
        for (t, v) in per.iter_mut().enumerate() {
            v.sort_unstable();
            let median = v.get(v.len() / 2).copied();
            let mut mode = (0i64, 0usize);
            for g in v.chunk_by(|a, b| a == b) {
                if g.len() > mode.1 {
                    mode = (g[0], g.len());
                }
            }
            let med = median.map_or(".".into(), |m| m.to_string());
            writeln!(w, "{}\t{}\t{med}\t{}\t{}", name(t), v.len(), mode.0, mode.1)?;
            recovered.push(json!({"motif": name(t), "seqlets": v.len(), "median": median, "mode": mode.0, "mode_count": mode.1}));
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", xp.display())))?;
    let mp = out.join("motifs.tsv");
    let mut table = Vec::new();
    outfile::write_atomic(&mp, |w| {
        writeln!(w, "cluster\tsize\tconsensus\tmatch\tp_value\toffset\tstrand\tother_matches")?;
        for (k, c) in kept.iter().enumerate() {
            let h = hits.get(k).map(Vec::as_slice).unwrap_or(&[]);
            let (m, p, o, st) = h.first().map_or((".".to_string(), f64::NAN, 0, "."), |b| {
                (name(b.target), b.p_value, b.offset, if b.strand == Strand::Forward { "+" } else { "-" })
            });
            let others: Vec<String> = h.iter().skip(1).map(|x| format!("{}:{:.2e}", name(x.target), x.p_value)).collect();
            writeln!(w, "{k}\t{}\t{}\t{m}\t{p}\t{o}\t{st}\t{}", c.members.len(), consensus(&c.pwm), others.join(","))?;
            table.push(json!({"cluster": k, "size": c.members.len(), "consensus": consensus(&c.pwm), "match": m, "p_value": p}));
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", mp.display())))?;
    let found: Vec<Motif> = kept
        .iter()
        .enumerate()
        .map(|(k, c)| Motif::new(&format!("cluster_{k}"), c.pwm.clone()))
        .collect::<std::result::Result<_, _>>()?;
    write_meme_file(&out.join("motifs.meme"), &found, db.background)?;
    for (k, c) in kept.iter().enumerate() {
        write_svg(
            &out.join(format!("logos/cluster_{k}.svg")),
            &attribution_logo_svg(&format!("cluster {k}: contributions ({method})"), &c.cwm, 0)?,
        )?;
        write_svg(
            &out.join(format!("logos/cluster_{k}.pwm.svg")),
            &pwm_logo_svg(
                &format!("cluster {k}: PWM ({} seqlets)", c.members.len()),
                &c.pwm,
            )?,
        )?;
    }
    Ok(json!({
        "attributions": dir.display().to_string(),
        "method": method,
        "database": meme.display().to_string(),
        "database_motifs": db.motifs.len(),
        "sequences": ex.len(),
        "seqlets": seqlets.len(),
        "clusters": clusters.len(),
        "matches": recovered,
        "reported": table,
        "out": out.display().to_string(),
    }))
}
