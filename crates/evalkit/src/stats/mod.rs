//! Statistics for reporting: bootstrap CIs, mean ± CI over runs, paired tests, DeLong, and the
//! normal / Student-t distribution functions they need.

mod delong;
pub(crate) mod dist;
mod paired;
mod resample;

pub use delong::{DeLong, delong_test};
pub use dist::{beta_inc, erfc, ln_gamma, normal_cdf, normal_ppf, normal_sf, t_cdf, t_ppf, t_sf};
pub use paired::{TestResult, paired_t_test, wilcoxon};
pub use resample::{
    BootstrapCi, BootstrapConfig, MAX_RESAMPLES, MeanCi, PairedBootstrap, bootstrap_ci, mean_ci,
    paired_bootstrap,
};
