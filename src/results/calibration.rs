//! calibration.json: a calibration's settings, each target against its posterior
//! predictive, each parameter's prior range and posterior summary, and the tolerance
//! schedule.

use super::file::json_result_file;
use serde::{Deserialize, Serialize};

/// The base scenario of a calibration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibratedScenario {
    /// Short name.
    pub name: String,
    /// The file as given in the calibration file.
    pub file: String,
    /// SHA-256 of the file.
    pub sha256: String,
}

/// One target against the accepted particles' statistics (weighted mean and 5–95 %
/// range). Undefined figures are `None` (null).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetFit {
    /// The metric.
    pub metric: String,
    /// The statistic of it compared (such as `mean`).
    pub statistic: String,
    /// The reported figure.
    pub value: f64,
    /// The tolerance around it.
    pub tolerance: f64,
    /// Weighted mean of the accepted particles' statistic.
    pub posterior_mean: Option<f64>,
    /// Its weighted 5th percentile.
    pub posterior_p5: Option<f64>,
    /// Its weighted 95th percentile.
    pub posterior_p95: Option<f64>,
}

/// One calibrated parameter: prior range and weighted posterior summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParameterPosterior {
    /// The parameter's path in the scenario.
    pub path: String,
    /// Lower end of the uniform prior.
    pub prior_min: f64,
    /// Upper end.
    pub prior_max: f64,
    /// Whether it takes whole numbers.
    pub integer: bool,
    /// Unit, if given.
    pub unit: Option<String>,
    /// Posterior mean.
    pub mean: Option<f64>,
    /// Posterior standard deviation.
    pub sd: Option<f64>,
    /// Posterior 5th percentile.
    pub p5: Option<f64>,
    /// Posterior median.
    pub p50: Option<f64>,
    /// Posterior 95th percentile.
    pub p95: Option<f64>,
}

/// One generation of the tolerance schedule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generation {
    /// Its tolerance (null when undefined).
    pub epsilon: Option<f64>,
    /// Particles accepted.
    pub accepted: usize,
    /// Parameter sets simulated.
    pub simulated: usize,
}

/// calibration.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationFile {
    /// feidi version that wrote it.
    pub feidi_version: String,
    /// The calibration's name.
    pub name: String,
    /// The base scenario.
    pub scenario: CalibratedScenario,
    /// Master seed.
    pub seed: u64,
    /// Replications per particle.
    pub replications_per_particle: u64,
    /// Share of particles kept per generation.
    pub quantile: f64,
    /// Each target.
    pub targets: Vec<TargetFit>,
    /// Each calibrated parameter.
    pub parameters: Vec<ParameterPosterior>,
    /// The tolerance schedule.
    pub generations: Vec<Generation>,
    /// Accepted particles.
    pub particles: usize,
    /// Why the calibration stopped before its last generation, if it did.
    pub stopped_early: Option<String>,
}

json_result_file!(CalibrationFile, "calibration.json");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::file::testing::round_trip;

    #[test]
    fn calibration_reads_back_and_a_damaged_file_is_named() {
        let file = CalibrationFile {
            feidi_version: "0.1.0".into(),
            name: "k".into(),
            scenario: CalibratedScenario {
                name: "s".into(),
                file: "s.toml".into(),
                sha256: "ff".into(),
            },
            seed: 7,
            replications_per_particle: 4,
            quantile: 0.5,
            targets: vec![TargetFit {
                metric: "landed_home".into(),
                statistic: "mean".into(),
                value: 12.0,
                tolerance: 2.0,
                posterior_mean: Some(11.5),
                posterior_p5: None,
                posterior_p95: Some(14.0),
            }],
            parameters: vec![ParameterPosterior {
                path: "enclave[0].seats".into(),
                prior_min: 10.0,
                prior_max: 100.0,
                integer: true,
                unit: None,
                mean: Some(50.0),
                sd: Some(5.0),
                p5: Some(40.0),
                p50: Some(50.0),
                p95: None,
            }],
            generations: vec![Generation {
                epsilon: None,
                accepted: 100,
                simulated: 300,
            }],
            particles: 100,
            stopped_early: Some("budget".into()),
        };
        round_trip(&file, "calibration");
    }
}
