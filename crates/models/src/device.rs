//! Backend selection at run time: `cpu` (burn-flex, always available), `wgpu` and `cuda`
//! (behind the cargo features of the same names).
//!
//! burn 0.22 has no backend type parameter; the backend is carried by the [`Device`]. This module
//! turns a user-facing name (`--device cpu|wgpu|cuda` or the `BURN_DEVICE` environment variable)
//! into a device, with a typed error instead of burn's panic when the backend is not compiled in.
//!
//! The CUDA backend cannot be built offline (its build script downloads an LLVM bundle), so no CI
//! command enables `cuda`; `wgpu` builds offline and runs on lavapipe (CPU Vulkan) or a real GPU:
//! `BURN_DEVICE=wgpu cargo test -p models --features wgpu --test oracle_cnn` (the oracle test
//! runs on the device `BURN_DEVICE` names).

use crate::{Error, Result};
use burn::tensor::Device;

/// The backends seq2expr knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    /// burn-flex on the CPU (SIMD + rayon); always compiled in.
    Cpu,
    /// burn's wgpu backend (Vulkan/Metal/DX12); needs the `wgpu` feature.
    Wgpu,
    /// burn's CUDA backend; needs the `cuda` feature (cannot be built offline).
    Cuda,
}

impl DeviceKind {
    /// Parses `cpu`, `wgpu` or `cuda` (case-insensitive; `flex` is accepted for `cpu`).
    ///
    /// ```
    /// use models::device::DeviceKind;
    /// assert_eq!(DeviceKind::parse("CPU").unwrap(), DeviceKind::Cpu);
    /// assert!(DeviceKind::parse("tpu").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "cpu" | "flex" => Ok(Self::Cpu),
            "wgpu" => Ok(Self::Wgpu),
            "cuda" => Ok(Self::Cuda),
            _ => Err(Error::UnknownDevice(name.to_string())),
        }
    }

    /// The kind named by `BURN_DEVICE`, if that variable is set (`None` when unset or empty).
    pub fn from_env() -> Result<Option<Self>> {
        match std::env::var("BURN_DEVICE") {
            Ok(v) if !v.trim().is_empty() => Self::parse(&v).map(Some),
            _ => Ok(None),
        }
    }

    /// The lowercase name (`cpu`, `wgpu`, `cuda`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Wgpu => "wgpu",
            Self::Cuda => "cuda",
        }
    }

    /// Builds the burn device (without autodiff) for this kind.
    ///
    /// Errors with [`Error::DeviceUnavailable`] when the backend's feature is off.
    pub fn device(self) -> Result<Device> {
        match self {
            Self::Cpu => Ok(Device::flex()),
            Self::Wgpu => wgpu_device(),
            Self::Cuda => cuda_device(),
        }
    }
}

impl std::fmt::Display for DeviceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(feature = "wgpu")]
fn wgpu_device() -> Result<Device> {
    Ok(Device::wgpu(burn::tensor::DeviceKind::DefaultDevice))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Result<Device> {
    Err(Error::DeviceUnavailable {
        device: "wgpu".into(),
        feature: "wgpu",
    })
}

#[cfg(feature = "cuda")]
fn cuda_device() -> Result<Device> {
    Ok(Device::cuda(0))
}

#[cfg(not(feature = "cuda"))]
fn cuda_device() -> Result<Device> {
    Err(Error::DeviceUnavailable {
        device: "cuda".into(),
        feature: "cuda",
    })
}

/// Resolves the device to use: an explicit name wins, then `BURN_DEVICE`, then the CPU.
///
/// ```
/// let dev = models::device::select_device(Some("cpu")).unwrap();
/// assert!(!dev.is_autodiff());
/// ```
pub fn select_device(name: Option<&str>) -> Result<Device> {
    let kind = match name {
        Some(n) => DeviceKind::parse(n)?,
        None => DeviceKind::from_env()?.unwrap_or(DeviceKind::Cpu),
    };
    kind.device()
}
