//! The output files of the evaluation, each written atomically; `summary.json` last.

use evalkit::embedding::{Matrix, box_strip_svg, cosine_neighbors};

use super::EvaluateSummary;
use super::data::Vocabulary;
use crate::Result;
use crate::error::io_err;

type Neighbours = Vec<Vec<(usize, f64)>>;

pub(super) fn write_outputs(
    s: &EvaluateSummary,
    vocab: &Vocabulary,
    embs: &[(String, String, Matrix)],
) -> Result<()> {
    let dir = &s.settings.out_dir;
    // Everything that can fail for another reason than I/O comes first.
    let nn: Vec<Neighbours> = if s.settings.neighbors > 0 {
        embs.iter()
            .map(|e| cosine_neighbors(&e.2, s.settings.neighbors))
            .collect::<evalkit::Result<_>>()?
    } else {
        Vec::new()
    };
    let groups: Vec<(&str, &[f64])> = s
        .embeddings
        .iter()
        .map(|e| (e.name.as_str(), e.set_auc.as_slice()))
        .collect();
    let svg = box_strip_svg(
        &format!("Gene-set membership ROC AUC ({} sets)", s.sets.len()),
        "ROC AUC (out-of-fold)",
        &groups,
        Some(0.5),
    )?;
    let json = serde_json::to_vec_pretty(s)
        .map_err(|e| crate::Error::Usage(format!("serialising the evaluation summary: {e}")))?;

    std::fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
    let path = dir.join("attributes.tsv");
    outfile::write_atomic(&path, |w| {
        writeln!(w, "embedding\tset\tn_members\tauc")?;
        for e in &s.embeddings {
            for (set, auc) in s.sets.iter().zip(&e.set_auc) {
                writeln!(w, "{}\t{}\t{}\t{auc}", e.name, set.name, set.n_members)?;
            }
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", path.display())))?;
    let path = dir.join("clustering.tsv");
    outfile::write_atomic(&path, |w| {
        writeln!(w, "embedding\tn_genes\tk\tari\tami\tfmi\tnmi\tvi\tinertia")?;
        for e in &s.embeddings {
            let c = &e.clustering;
            writeln!(
                w,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                e.name, s.partition_genes, s.k, c.ari, c.ami, c.fmi, c.nmi, c.vi, c.inertia
            )?;
        }
        Ok(())
    })
    .map_err(io_err(format!("writing {}", path.display())))?;
    if !nn.is_empty() {
        let path = dir.join("neighbors.tsv");
        outfile::write_atomic(&path, |w| {
            writeln!(
                w,
                "embedding\tgene_id\tsymbol\trank\tneighbor_id\tneighbor_symbol\tcosine"
            )?;
            for (e, lists) in embs.iter().zip(&nn) {
                for (g, list) in lists.iter().enumerate() {
                    for (r, &(j, cos)) in list.iter().enumerate() {
                        writeln!(
                            w,
                            "{}\t{}\t{}\t{}\t{}\t{}\t{cos}",
                            e.0,
                            vocab.ids[g],
                            vocab.symbols[g],
                            r + 1,
                            vocab.ids[j],
                            vocab.symbols[j]
                        )?;
                    }
                }
            }
            Ok(())
        })
        .map_err(io_err(format!("writing {}", path.display())))?;
    }
    evalkit::plots::write_svg(&dir.join("auc.svg"), &svg)?;
    let path = dir.join("summary.json");
    outfile::write_atomic(&path, |w| w.write_all(&json))
        .map_err(io_err(format!("writing {}", path.display())))?;
    Ok(())
}
