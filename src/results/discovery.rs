//! discovery.json: the boxes of parameter space where a sweep's conditions hold (PRIM
//! scenario discovery). Keys are in alphabetical order, as the file has always had.

use super::file::json_result_file;
use serde::{Deserialize, Serialize};

/// A parameter's range: over all points, or a box's limit on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// Upper end.
    pub max: f64,
    /// Lower end.
    pub min: f64,
    /// The parameter's path.
    pub parameter: String,
}

/// A box found: the limits it sets (only the parameters it restricts) and its quality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoxFound {
    /// Share of all cases of interest inside the box.
    pub coverage: f64,
    /// Share of the points inside the box that are cases of interest.
    pub density: f64,
    /// The parameters it restricts, with their limits.
    pub limits: Vec<Range>,
    /// Number of points inside the box.
    pub points: usize,
}

/// One step of the peeling trajectory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrajectoryStep {
    /// Coverage of the box at this step.
    pub coverage: f64,
    /// Density of the box at this step.
    pub density: f64,
}

/// The PRIM settings used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiscoverySettings {
    /// Share of points peeled per step.
    pub alpha: f64,
    /// Least coverage of a box.
    pub min_coverage: f64,
    /// Least share of points inside a box.
    pub min_support: f64,
    /// Whether boxes were pasted back out after peeling.
    pub paste: bool,
}

/// discovery.json.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiscoveryFile {
    /// Share of all points that are cases of interest.
    pub base_density: f64,
    /// The boxes found, best first.
    pub boxes: Vec<BoxFound>,
    /// The conditions that make a case of interest, as given.
    pub conditions: Vec<String>,
    /// Every parameter's range over all points.
    pub parameters: Vec<Range>,
    /// Number of design points.
    pub points: usize,
    /// The settings.
    pub settings: DiscoverySettings,
    /// The peeling trajectory of the first box.
    pub trajectory: Vec<TrajectoryStep>,
}

json_result_file!(DiscoveryFile, "discovery.json");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::file::testing::round_trip;

    #[test]
    fn discovery_reads_back_and_a_damaged_file_is_named() {
        let range = |p: &str| Range {
            max: 2.5,
            min: -1.0,
            parameter: p.into(),
        };
        let file = DiscoveryFile {
            base_density: 0.25,
            boxes: vec![BoxFound {
                coverage: 0.8,
                density: 0.6,
                limits: vec![range("a")],
                points: 12,
            }],
            conditions: vec!["landing_rate > 0.3".into()],
            parameters: vec![range("a"), range("b")],
            points: 100,
            settings: DiscoverySettings {
                alpha: 0.05,
                min_coverage: 0.5,
                min_support: 0.05,
                paste: true,
            },
            trajectory: vec![TrajectoryStep {
                coverage: 1.0,
                density: 0.25,
            }],
        };
        round_trip(&file, "discovery");
    }
}
