//! The Xpresso CNN (Agarwal & Shendure 2020): configuration, module and presets.

mod config;
mod model;

pub use config::{ConvLayerConfig, DenseLayerConfig, XpressoConfig};
pub use model::{Xpresso, XpressoTrace};
pub(crate) use model::{conv_padded, conv_same};
