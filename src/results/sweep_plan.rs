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
    /// Whether `--excel` was given. It asked for points.csv's byte-order mark, which is
    /// the default now; kept as a record of the command.
    #[serde(default)]
    pub excel: bool,
    /// Whether points.csv is written without its byte-order mark (`--no-bom`); written
    /// only when set, so a default sweep's plan reads as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_bom: bool,
}

json_result_file!(SweepPlan, "sweep-plan.json");

impl SweepPlan {
    /// Whether points.csv starts with a UTF-8 byte-order mark, so that Excel reads
    /// Chinese text right (the default).
    pub fn bom(&self) -> bool {
        !self.no_bom
    }
}

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
            no_bom: true,
        };
        round_trip(&plan, "sweep-plan");
    }
}
