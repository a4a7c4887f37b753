//! Calibration as a study: the calibration file read and checked, approximate Bayesian
//! computation run ([`crate::calibrate`]), and posterior.csv and calibration.json written.

use super::{thread_pool, write_file, Cancel, Error, Progress, Unit};
use crate::calibrate::{self, Calibration};
use crate::results::{sha256_hex, CalibrationFile, FileRecord, Manifest, ResultFile, Study};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A calibration to run.
#[derive(Clone, Debug)]
pub struct CalibrateRequest {
    /// The calibration file.
    pub file: PathBuf,
    /// Output directory (`results/<calibration name>` when `None`).
    pub out: Option<PathBuf>,
    /// Worker threads (all cores when `None`); results do not depend on it.
    pub threads: Option<usize>,
    /// Replace a calibration already in the output directory.
    pub force: bool,
}

/// A finished calibration.
pub struct CalibrateOutcome {
    /// The calibration's name.
    pub name: String,
    /// The base scenario file.
    pub scenario_file: String,
    /// Particles per generation.
    pub particles: usize,
    /// Replications per particle.
    pub replications: u64,
    /// Master seed.
    pub seed: u64,
    /// The posterior table, as the terminal shows it.
    pub table: String,
    /// Parameter sets simulated in all.
    pub simulated: usize,
    /// Wall-clock time.
    pub elapsed: Duration,
    /// Where the results are.
    pub out: PathBuf,
}

/// Runs the calibration and writes posterior.csv and calibration.json.
pub fn calibrate(
    request: &CalibrateRequest,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<CalibrateOutcome, Error> {
    let loaded = Calibration::load(&request.file)?;
    let c = &loaded.calibration;
    let out = request.out.clone().map_or_else(|| super::default_out(&c.name), Ok)?;
    let _lock = super::prepare_output_dir(
        &out,
        request.force,
        &["calibration.json"],
        "a calibration (calibration.json)",
        "feidi calibrate",
    )?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled {
            dir: None,
            kept: 0,
            what: super::Kept::DesignPoints,
        });
    }
    let pool = thread_pool(request.threads)?;
    let report = |generation: usize, accepted: usize, simulated: usize| {
        progress.advance(
            Unit::Particles { generation, simulated },
            accepted as u64,
            c.particles as u64,
        )
    };
    let started = Instant::now();
    let posterior = calibrate::run(&loaded, &pool, &report, &|| cancel.is_cancelled());
    progress.finish();
    let posterior = match posterior {
        Ok(p) => p,
        // Nothing is kept part-way: the same file runs again to the same bytes.
        Err(_) if cancel.is_cancelled() => {
            return Err(Error::Cancelled {
                dir: None,
                kept: 0,
                what: super::Kept::DesignPoints,
            })
        }
        Err(e) => return Err(Error::Failed(e)),
    };
    let elapsed = started.elapsed();
    let scenario_file = c.scenario.display().to_string();
    let cannot =
        |name: &str, e: std::io::Error| Error::Failed(format!("cannot write {}: {e}", out.join(name).display()));
    let posterior_csv = calibrate::posterior_csv(&loaded, &posterior);
    write_file(&out, "posterior.csv", posterior_csv.as_bytes())?;
    let calibration = calibrate::calibration_file(&loaded, &scenario_file, &posterior);
    let calibration_record = calibration.write(&out).map_err(|e| cannot(CalibrationFile::NAME, e))?;
    // The manifest last: it lists what the directory holds.
    let manifest = Manifest {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        study: Study::Calibration,
        scenario_file: Some(scenario_file.clone()),
        sweep_sha256: None,
        calibration_sha256: Some(sha256_hex(&loaded.bytes)),
        optimization_sha256: None,
        scenario_sha256: sha256_hex(&loaded.base_bytes),
        seed: c.seed,
        replications: None,
        replications_per_point: None,
        replications_per_particle: Some(c.replications),
        points: None,
        replications_per_block: crate::runner::BLOCK,
        files: vec![
            FileRecord::of("posterior.csv", posterior_csv.as_bytes()),
            calibration_record,
        ],
    };
    manifest.write(&out).map_err(|e| cannot(Manifest::NAME, e))?;
    Ok(CalibrateOutcome {
        name: c.name.clone(),
        scenario_file,
        particles: c.particles,
        replications: c.replications,
        seed: c.seed,
        table: calibrate::table(&loaded, &posterior),
        simulated: posterior.generations.iter().map(|g| g.simulated).sum(),
        elapsed,
        out,
    })
}
