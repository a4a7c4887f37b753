//! sweep-plan.json: what a sweep's results directory is running, to resume, merge and
//! chart it.

use super::file::json_result_file;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// sweep-plan.json: the sweep and base scenario files' hashes, the seed and the size of
/// the design, written before the first design point runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepPlan {
    /// feidi version that started the sweep.
    pub feidi_version: String,
    /// The sweep file (absolute when it could be resolved).
    pub sweep_file: PathBuf,
    /// SHA-256 of the sweep file.
    pub sweep_sha256: String,
    /// SHA-256 of the base scenario file.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per point (the cap under a precision target).
    pub replications_per_point: u64,
    /// Number of design points.
    pub points: usize,
    /// (K, N) when this directory holds shard K of N.
    #[serde(default)]
    pub shard: Option<(usize, usize)>,
    /// Whether points.csv starts with a byte-order mark for Excel.
    #[serde(default)]
    pub excel: bool,
}

json_result_file!(SweepPlan, "sweep-plan.json");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::file::testing::round_trip;

    #[test]
    fn a_plan_reads_back_and_a_damaged_one_is_named() {
        let plan = SweepPlan {
            feidi_version: "0.1.0".into(),
            sweep_file: "/x/sweep.toml".into(),
            sweep_sha256: "ab".into(),
            scenario_sha256: "cd".into(),
            seed: 1,
            replications_per_point: 100,
            points: 11,
            shard: Some((1, 3)),
            excel: true,
        };
        round_trip(&plan, "sweep-plan");
    }
}
