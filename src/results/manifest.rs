//! manifest.json: what a results directory holds and what made it, one schema for a
//! run (and each compared alternative), a sweep, a comparison and a calibration. It is
//! written last and is the directory's completeness marker ([`super::complete`]).

use super::file::json_result_file;
use serde::{Deserialize, Serialize};

/// One file of a results directory, as manifest.json lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// File name inside the directory.
    pub name: String,
    /// Length in bytes.
    pub bytes: usize,
    /// Lowercase hex SHA-256 of the bytes.
    pub sha256: String,
}

/// The kind of study that wrote a results directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Study {
    /// `feidi run`, or one alternative of `feidi compare` (not written: the default).
    #[default]
    Run,
    /// `feidi sweep` or `feidi merge`.
    Sweep,
    /// `feidi calibrate`.
    Calibration,
    /// `feidi compare` (each alternative's own folder has a run's manifest).
    Compare,
    /// `feidi optimize`.
    Optimization,
}

impl Study {
    fn is_run(&self) -> bool {
        *self == Study::Run
    }
}

/// manifest.json. The keys a run writes come always or never per kind of study; the
/// optional ones are left out when absent, so a run's manifest keeps its keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// feidi version that wrote the directory.
    pub feidi_version: String,
    /// What kind of study this is (left out for a run).
    #[serde(default, skip_serializing_if = "Study::is_run")]
    pub study: Study,
    /// A run's scenario file, as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_file: Option<String>,
    /// A sweep's sweep file's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep_sha256: Option<String>,
    /// A calibration's calibration file's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration_sha256: Option<String>,
    /// An optimization's optimization file's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimization_sha256: Option<String>,
    /// The (base) scenario file's SHA-256 (left out for a comparison, whose
    /// alternatives' manifests have theirs).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// A run's replications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<u64>,
    /// A sweep's replications per design point (the cap under a precision target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications_per_point: Option<u64>,
    /// A calibration's replications per particle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications_per_particle: Option<u64>,
    /// A sweep's number of design points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// Replications per block of the ordered merge (results depend on it).
    pub replications_per_block: u64,
    /// The files written, in order.
    pub files: Vec<FileRecord>,
}

json_result_file!(Manifest, "manifest.json");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::file::testing::round_trip;

    #[test]
    fn a_manifest_reads_back_and_a_damaged_one_is_named() {
        let manifest = Manifest {
            feidi_version: "0.1.0".into(),
            study: Study::Sweep,
            scenario_file: None,
            sweep_sha256: Some("ab".into()),
            calibration_sha256: None,
            optimization_sha256: None,
            scenario_sha256: "cd".into(),
            seed: 1,
            replications: None,
            replications_per_point: Some(100),
            replications_per_particle: None,
            points: Some(11),
            replications_per_block: 64,
            files: vec![FileRecord::of("points.csv", b"x\n")],
        };
        round_trip(&manifest, "manifest");
    }

    #[test]
    fn a_run_manifest_keeps_its_keys() {
        let manifest = Manifest {
            feidi_version: "0.1.0".into(),
            study: Study::Run,
            scenario_file: Some("a.toml".into()),
            sweep_sha256: None,
            calibration_sha256: None,
            optimization_sha256: None,
            scenario_sha256: "cd".into(),
            seed: 3,
            replications: Some(200),
            replications_per_point: None,
            replications_per_particle: None,
            points: None,
            replications_per_block: 64,
            files: Vec::new(),
        };
        let text = String::from_utf8(crate::results::ResultFile::to_bytes(&manifest)).unwrap();
        let keys: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("  \"")?.split('"').next())
            .collect();
        assert_eq!(
            keys,
            [
                "feidi_version",
                "scenario_file",
                "scenario_sha256",
                "seed",
                "replications",
                "replications_per_block",
                "files"
            ]
        );
    }
}
