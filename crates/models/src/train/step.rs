//! The gradients of one optimizer step: gradient accumulation over mini-batches, each
//! mini-batch split over the devices of one machine (data parallelism with burn's own
//! primitives: `Module::fork`, `GradientsParams`, `MultiGradientsParams`,
//! `ModuleOptimizer::step_multi`; ADR 0010).

use crate::seam::{Examples, Objective, Targets, TrainableModel};
use crate::{Error, Result};
use burn::module::Module;
use burn::optim::{GradientsAccumulator, GradientsParams, ModuleOptimizer, MultiGradientsParams};
use burn::tensor::Device;

/// What one step computed: the summed per-example loss (for the epoch's mean) and the step's
/// gradients (of the mean loss over the step's examples).
pub(super) struct StepGrads {
    pub loss_sum: f64,
    grads: Grads,
}

enum Grads {
    One(GradientsParams),
    Multi(MultiGradientsParams),
}

impl StepGrads {
    /// Applies the step's gradients to `model`.
    pub fn apply<M: Module>(self, optim: &mut ModuleOptimizer, lr: f64, model: M) -> M {
        match self.grads {
            Grads::One(g) => optim.step(lr, model, g),
            Grads::Multi(g) => optim.step_multi(lr, model, g),
        }
    }
}

/// The loss of `shard` on `model` (already on `device`), scaled by `scale`, with its gradients.
fn shard_grads<M, D>(
    model: &M,
    train: &D,
    (objective, targets): (Objective, Targets<'_>),
    shard: &[usize],
    device: &Device,
    scale: f64,
) -> Result<(GradientsParams, f32)>
where
    M: TrainableModel,
    D: Examples<M::Input> + ?Sized,
{
    let out = model.forward_input(train.inputs(shard, device));
    let mut loss = objective.loss(out, targets, shard, device)?;
    let l: f32 = loss.clone().into_scalar();
    if scale != 1.0 {
        loss = loss.mul_scalar(scale);
    }
    Ok((GradientsParams::from_grads(loss.backward(), model), l))
}

/// Splits `chunk` into at most `n` contiguous shards of near-equal size.
pub(super) fn shards(chunk: &[usize], n: usize) -> Vec<&[usize]> {
    chunk
        .chunks(chunk.len().div_ceil(n.max(1)).max(1))
        .collect()
}

/// The gradients of the step over `group` (mini-batches of `batch × devices.len()` examples,
/// each split over `devices`, the autodiff devices; the first holds `model`).
///
/// Each shard's loss is scaled by `shard / group`, so that the sum of the shards' gradients is
/// the gradient of the mean loss over the whole group. With one device this is plain gradient
/// accumulation. Shards run on threads when the devices are distinct; on one physical device
/// listed several times they run one after the other (the device's RNG then sees the same
/// draws in the same order, so runs stay deterministic).
pub(super) fn step_grads<M, D>(
    model: &M,
    train: &D,
    objective: (Objective, Targets<'_>),
    group: &[usize],
    batch: usize,
    devices: &[Device],
    epoch: usize,
) -> Result<StepGrads>
where
    M: TrainableModel,
    D: Examples<M::Input> + ?Sized,
{
    let n = group.len() as f64;
    let mut loss_sum = 0.0f64;
    let diverged = |l: f32| {
        if l.is_finite() {
            Ok(())
        } else {
            Err(Error::Diverged { epoch })
        }
    };
    if devices.len() <= 1 {
        let device = model.device();
        let mut acc = GradientsAccumulator::new();
        for chunk in group.chunks(batch) {
            let scale = chunk.len() as f64 / n;
            let (g, l) = shard_grads(model, train, objective, chunk, &device, scale)?;
            diverged(l)?;
            loss_sum += f64::from(l) * chunk.len() as f64;
            acc.accumulate(model, g);
        }
        return Ok(StepGrads {
            loss_sum,
            grads: Grads::One(acc.grads()),
        });
    }
    let distinct = devices
        .iter()
        .enumerate()
        .all(|(i, d)| devices[..i].iter().all(|e| e != d));
    let mut multi = MultiGradientsParams::default();
    for chunk in group.chunks(batch * devices.len()) {
        let parts = shards(chunk, devices.len());
        let replicas: Vec<M> = parts
            .iter()
            .zip(devices)
            .enumerate()
            .map(|(i, (_, d))| match i {
                0 => model.clone(),
                _ => model.clone().fork(d),
            })
            .collect();
        let run = |(m, (shard, d)): (M, (&&[usize], &Device))| {
            shard_grads(&m, train, objective, shard, d, shard.len() as f64 / n)
                .map(|(g, l)| (g, l, shard.len(), d.clone()))
        };
        let results: Vec<Result<_>> = if distinct {
            std::thread::scope(|s| {
                let handles: Vec<_> = replicas
                    .into_iter()
                    .zip(parts.iter().zip(devices))
                    .map(|job| s.spawn(move || run(job)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(Error::Config("a training thread panicked".into()))
                        })
                    })
                    .collect()
            })
        } else {
            replicas
                .into_iter()
                .zip(parts.iter().zip(devices))
                .map(run)
                .collect()
        };
        for r in results {
            let (g, l, len, d) = r?;
            diverged(l)?;
            loss_sum += f64::from(l) * len as f64;
            multi.grads.push((g, d));
        }
    }
    Ok(StepGrads {
        loss_sum,
        grads: Grads::Multi(multi),
    })
}

#[cfg(test)]
mod tests {
    use super::shards;

    #[test]
    fn shards_split_evenly_and_keep_order() {
        let v: Vec<usize> = (0..7).collect();
        let s = shards(&v, 2);
        assert_eq!(s, vec![&[0, 1, 2, 3][..], &[4, 5, 6][..]]);
        assert_eq!(shards(&v[..1], 4), vec![&[0][..]]);
        assert_eq!(shards(&v, 1), vec![&v[..]]);
    }
}
