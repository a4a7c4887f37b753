//! Checking scenario, sweep, calibration and optimization files before a run: the kind of file is told
//! by its top-level table, and every problem is reported with its location.

use super::{Error, Progress};
use crate::scenario::Scenario;
use std::fmt;
use std::path::{Path, PathBuf};

/// What a valid file holds.
#[derive(Clone, Debug)]
pub enum Checked {
    /// A scenario file.
    Scenario {
        /// The file.
        file: PathBuf,
        /// The scenario's short name.
        name: String,
        /// Cities, enclaves and stages.
        cities: usize,
        /// Enclaves.
        enclaves: usize,
        /// Stages of a project's life.
        stages: usize,
    },
    /// A sweep file, its base scenario and every design point.
    Sweep {
        /// The file.
        file: PathBuf,
        /// The sweep's name.
        name: String,
        /// Design points.
        points: usize,
        /// Replications per point.
        replications: u64,
        /// The base scenario file.
        scenario: PathBuf,
    },
    /// A calibration file, its base scenario, key paths and prior ranges.
    Calibration {
        /// The file.
        file: PathBuf,
        /// The calibration's name.
        name: String,
        /// Reported figures to match.
        targets: usize,
        /// Calibrated settings.
        parameters: usize,
        /// Particles per generation.
        particles: usize,
        /// Generations.
        generations: usize,
        /// The base scenario file.
        scenario: PathBuf,
    },
    /// An optimization file, its base scenario, levers, objectives and constraints.
    Optimization {
        /// The file.
        file: PathBuf,
        /// The optimization's name.
        name: String,
        /// Levers searched.
        levers: usize,
        /// Settings the search evaluates.
        settings: usize,
        /// Replications per setting.
        replications: u64,
        /// The base scenario file.
        scenario: PathBuf,
    },
}

impl fmt::Display for Checked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Checked::Scenario {
                file,
                name,
                cities,
                enclaves,
                stages,
            } => {
                // "1 enclave", "2 enclaves": a count read by people.
                let count = |n: &usize, one: &str, many: &str| format!("{n} {}", if *n == 1 { one } else { many });
                write!(
                    f,
                    "{}: ok — scenario \"{name}\": {}, {}, {}",
                    file.display(),
                    count(cities, "city", "cities"),
                    count(enclaves, "enclave", "enclaves"),
                    count(stages, "stage", "stages")
                )
            }
            Checked::Sweep {
                file,
                name,
                points,
                replications,
                scenario,
            } => write!(
                f,
                "{}: ok — sweep \"{name}\": {points} design points × {replications} replications of {}",
                file.display(),
                scenario.display()
            ),
            Checked::Calibration {
                file,
                name,
                targets,
                parameters,
                particles,
                generations,
                scenario,
            } => write!(
                f,
                "{}: ok — calibration \"{name}\": {targets} targets, {parameters} parameters, {particles} particles × {generations} generations of {}",
                file.display(),
                scenario.display()
            ),
            Checked::Optimization {
                file,
                name,
                levers,
                settings,
                replications,
                scenario,
            } => write!(
                f,
                "{}: ok — optimization \"{name}\": {levers} levers, {settings} settings × {replications} replications in the search, of {}",
                file.display(),
                scenario.display()
            ),
        }
    }
}

/// Whether `bytes` has a top-level `[table]` line.
fn has_table(bytes: &[u8], table: &[u8]) -> bool {
    bytes.split(|&b| b == b'\n').any(|line| line.trim_ascii() == table)
}

/// Checks one file, of whichever kind it is. A sweep's size (points × replications) is
/// told to `progress` first, before its base scenario and values are checked.
pub fn check(path: &Path, progress: &dyn Progress) -> Result<Checked, Error> {
    // The kind is told from the bytes; an unreadable file is reported by the scenario
    // reader below, with its location.
    let bytes = std::fs::read(path).unwrap_or_default();
    if has_table(&bytes, b"[sweep]") {
        let file = super::sweep::read(path)?;
        progress.note(&format!(
            "{}: {} design points × {} replications; checking the base scenario {} and each value",
            path.display(),
            file.sweep.count,
            file.sweep.replications,
            file.sweep.scenario.display()
        ));
        let loaded = file.check(true)?;
        return Ok(Checked::Sweep {
            file: path.to_path_buf(),
            name: loaded.sweep.name.clone(),
            points: loaded.sweep.points.len(),
            replications: loaded.sweep.replications,
            scenario: loaded.sweep.scenario.clone(),
        });
    }
    if has_table(&bytes, b"[calibration]") {
        let loaded = crate::calibrate::Calibration::load(path)?;
        let c = &loaded.calibration;
        return Ok(Checked::Calibration {
            file: path.to_path_buf(),
            name: c.name.clone(),
            targets: c.targets.len(),
            parameters: c.parameters.len(),
            particles: c.particles,
            generations: c.generations,
            scenario: c.scenario.clone(),
        });
    }
    if has_table(&bytes, b"[optimize]") {
        let loaded = crate::optimize::Optimization::load(path)?;
        let o = &loaded.optimization;
        return Ok(Checked::Optimization {
            file: path.to_path_buf(),
            name: o.name.clone(),
            levers: o.levers.len(),
            settings: o.population * o.generations,
            replications: o.replications,
            scenario: o.scenario.clone(),
        });
    }
    let (scenario, _) = Scenario::from_file(path)?;
    Ok(Checked::Scenario {
        file: path.to_path_buf(),
        name: scenario.name,
        cities: scenario.cities.len(),
        enclaves: scenario.enclaves.len(),
        stages: scenario.stages.len(),
    })
}
