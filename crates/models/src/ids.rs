//! Stable parameter ids.
//!
//! burn gives every parameter a random [`ParamId`]; optimizer state is keyed by it. Safetensors
//! files do not store ids, so a model re-created from a checkpoint would not find its optimizer
//! state. [`canonical_ids`] replaces the ids by a hash of the parameter's path, making them
//! identical for every model built from the same configuration.

use burn::module::{Module, ModuleMapper, Param, ParamId};
use burn::tensor::Tensor;

struct CanonicalIds {
    path: Vec<String>,
}

/// FNV-1a, 64 bit: a fixed, documented hash (std's hasher may change between releases).
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl ModuleMapper for CanonicalIds {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (_, tensor, mapper) = param.consume();
        let id = ParamId::from(fnv1a(&self.path.join(".")));
        Param::from_mapped_value(id, tensor, mapper)
    }
}

/// Returns `module` with every float parameter's id set to the FNV-1a hash of its path
/// (e.g. `convs.0.weight`). Initialises lazy parameters.
pub fn canonical_ids<M: Module>(module: M) -> M {
    module.map(&mut CanonicalIds { path: Vec::new() })
}
