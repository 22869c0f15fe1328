//! Backend selection at run time: `cpu` (burn-flex, always available), `wgpu` and `cuda`
//! (behind the cargo features of the same names).
//!
//! burn 0.22 has no backend type parameter; the backend is carried by the [`Device`]. This module
//! turns a user-facing name (`--device cpu|wgpu[:N]|cuda[:N]` or the `BURN_DEVICE` environment variable)
//! into a device, with a typed error instead of burn's panic when the backend is not compiled in.
//!
//! The CUDA backend cannot be built offline (its build script downloads an LLVM bundle), so no CI
//! command enables `cuda`; `wgpu` builds offline and runs on lavapipe (CPU Vulkan) or a real GPU:
//! `BURN_DEVICE=wgpu cargo test -p seq2expr-models --features wgpu --test oracle_cnn` (the oracle test
//! runs on the device `BURN_DEVICE` names).

use crate::{Error, Result};
use burn::tensor::Device;

/// The backends seq2expr knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceKind {
    /// burn-flex on the CPU (SIMD + rayon); the `flex` feature (on by default).
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

    /// Builds the burn device (without autodiff) for this kind: the default adapter for
    /// wgpu, GPU 0 for CUDA.
    ///
    /// Errors with [`Error::DeviceUnavailable`] when the backend's feature is off.
    pub fn device(self) -> Result<Device> {
        self.device_at(None)
    }

    /// Builds the burn device with an index: the N-th discrete GPU for `wgpu`, GPU N for
    /// `cuda` (the CPU has no index).
    pub fn device_at(self, index: Option<usize>) -> Result<Device> {
        match self {
            Self::Cpu if index.is_some() => {
                Err(Error::UnknownDevice(format!("cpu:{}", index.unwrap_or(0))))
            }
            Self::Cpu => cpu_device(),
            Self::Wgpu => wgpu_device(index),
            Self::Cuda => cuda_device(index.unwrap_or(0)),
        }
    }

    /// Parses `cpu`, `wgpu`, `wgpu:N`, `cuda` or `cuda:N` into a kind and an optional index.
    ///
    /// ```
    /// use models::device::DeviceKind;
    /// assert_eq!(DeviceKind::parse_spec("wgpu:1").unwrap(), (DeviceKind::Wgpu, Some(1)));
    /// assert_eq!(DeviceKind::parse_spec("cuda").unwrap(), (DeviceKind::Cuda, None));
    /// assert!(DeviceKind::parse_spec("cuda:x").is_err());
    /// ```
    pub fn parse_spec(spec: &str) -> Result<(Self, Option<usize>)> {
        match spec.trim().split_once(':') {
            None => Ok((Self::parse(spec)?, None)),
            Some((kind, idx)) => {
                let kind = Self::parse(kind)?;
                let idx: usize = idx
                    .trim()
                    .parse()
                    .map_err(|_| Error::UnknownDevice(spec.to_string()))?;
                if kind == Self::Cpu {
                    return Err(Error::UnknownDevice(spec.to_string()));
                }
                Ok((kind, Some(idx)))
            }
        }
    }
}

impl std::fmt::Display for DeviceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(feature = "flex")]
fn cpu_device() -> Result<Device> {
    Ok(Device::flex())
}

#[cfg(not(feature = "flex"))]
fn cpu_device() -> Result<Device> {
    Err(Error::DeviceUnavailable {
        device: "cpu".into(),
        feature: "flex",
    })
}

#[cfg(feature = "wgpu")]
fn wgpu_device(index: Option<usize>) -> Result<Device> {
    Ok(Device::wgpu(match index {
        Some(i) => burn::tensor::DeviceKind::DiscreteGpu(i),
        None => burn::tensor::DeviceKind::DefaultDevice,
    }))
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device(_index: Option<usize>) -> Result<Device> {
    Err(Error::DeviceUnavailable {
        device: "wgpu".into(),
        feature: "wgpu",
    })
}

#[cfg(feature = "cuda")]
fn cuda_device(index: usize) -> Result<Device> {
    Ok(Device::cuda(index))
}

#[cfg(not(feature = "cuda"))]
fn cuda_device(_index: usize) -> Result<Device> {
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
    let env = std::env::var("BURN_DEVICE")
        .ok()
        .filter(|v| !v.trim().is_empty());
    match name.map(str::to_string).or(env) {
        Some(spec) => {
            let (kind, index) = DeviceKind::parse_spec(&spec)?;
            kind.device_at(index)
        }
        None => DeviceKind::Cpu.device(),
    }
}

/// Checks a device name without building the device (for validating arguments before any
/// work is done).
///
/// ```
/// assert!(models::device::check_device_name("wgpu:0").is_ok());
/// assert!(models::device::check_device_name("bogus").is_err());
/// ```
pub fn check_device_name(spec: &str) -> Result<()> {
    DeviceKind::parse_spec(spec).map(|_| ())
}

/// Resolves a comma-separated device list (`cuda:0,cuda:1`, `wgpu:0,wgpu:1`, `cpu`) for
/// data-parallel training; `None` is [`select_device`]'s single device. Every entry must be of
/// one kind; at most 64 entries; a device listed twice is an error unless it is the CPU
/// (burn-flex has one CPU device: `cpu,cpu` splits each batch in two on it, which gives the
/// same steps as one device with the doubled batch).
///
/// ```
/// let devs = models::device::select_devices(Some("cpu,cpu")).unwrap();
/// assert_eq!(devs.len(), 2);
/// assert!(models::device::select_devices(Some("cpu,wgpu:0")).is_err());
/// assert!(models::device::select_devices(Some("")).is_err());
/// ```
pub fn select_devices(spec: Option<&str>) -> Result<Vec<Device>> {
    let Some(spec) = spec else {
        return Ok(vec![select_device(None)?]);
    };
    let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) || parts.len() > 64 {
        return Err(Error::Config(format!(
            "device list '{spec}' must be 1 to 64 comma-separated names (cpu, wgpu:N, cuda:N)"
        )));
    }
    let specs = parts
        .iter()
        .map(|p| DeviceKind::parse_spec(p))
        .collect::<Result<Vec<_>>>()?;
    if specs.iter().any(|(k, _)| *k != specs[0].0) {
        return Err(Error::Config(format!(
            "device list '{spec}' mixes device kinds; use one kind"
        )));
    }
    for (i, s) in specs.iter().enumerate() {
        if s.0 != DeviceKind::Cpu && specs[..i].contains(s) {
            return Err(Error::Config(format!(
                "device list '{spec}' names {} twice",
                parts[i]
            )));
        }
    }
    specs.iter().map(|(k, i)| k.device_at(*i)).collect()
}
