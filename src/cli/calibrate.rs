//! `feidi calibrate CAL.toml --out DIR`: approximate Bayesian computation of a scenario's
//! settings from reported figures, writing posterior.csv and calibration.json.

use super::{say, thread_pool, Failure};
use crate::calibrate::{self, Calibration};
use crate::results::calibration::CalibrationFile;
use crate::results::{sha256_hex, write_atomic, FileRecord, Manifest, ResultFile, Study};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `feidi calibrate` arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct CalibrateArgs {
    /// The calibration file (TOML).
    file: PathBuf,
    /// Output directory (default: results/<calibration name>).
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(short, long)]
    threads: Option<usize>,
    /// Replace results already in the output directory.
    #[arg(long)]
    force: bool,
}

/// Whether `path` looks like a calibration file (it has a top-level `[calibration]` table).
pub(super) fn is_calibration_file(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        bytes
            .split(|&b| b == b'\n')
            .any(|line| line.trim_ascii() == b"[calibration]")
    })
}

/// `feidi validate` for a calibration file: the file, its base scenario, every key path
/// and both ends of every prior range.
pub(super) fn check(path: &Path) -> Result<String, Failure> {
    let loaded = Calibration::load(path)?;
    let c = &loaded.calibration;
    Ok(format!(
        "{}: ok — calibration \"{}\": {} targets, {} parameters, {} particles × {} generations of {}\n",
        path.display(),
        c.name,
        c.targets.len(),
        c.parameters.len(),
        c.particles,
        c.generations,
        c.scenario.display()
    ))
}

/// Runs `feidi calibrate`.
pub(super) fn command(args: CalibrateArgs) -> Result<(), Failure> {
    let loaded = Calibration::load(&args.file)?;
    let c = &loaded.calibration;
    let out = args.out.clone().unwrap_or_else(|| Path::new("results").join(&c.name));
    if !args.force && out.join("calibration.json").exists() {
        return Err(Failure::Input(format!(
            "{} already holds a calibration (calibration.json); choose another --out or add --force to replace it",
            out.display()
        )));
    }
    std::fs::create_dir_all(&out)
        .map_err(|e| Failure::Runtime(format!("cannot create output directory {}: {e}", out.display())))?;
    let pool = thread_pool(args.threads)?;
    let terminal = std::io::stderr().is_terminal();
    let progress = |generation: usize, accepted: usize, simulated: usize| {
        if terminal {
            eprint!(
                "\rgeneration {generation}: {accepted}/{} accepted, {simulated} simulated   ",
                c.particles
            );
        }
    };
    let started = Instant::now();
    let posterior = calibrate::run(&loaded, &pool, &progress).map_err(Failure::Runtime)?;
    if terminal {
        eprint!("\r{}\r", " ".repeat(70));
    }
    let elapsed = started.elapsed();
    let scenario_file = c.scenario.display().to_string();
    let cannot =
        |name: &str, e: std::io::Error| Failure::Runtime(format!("cannot write {}: {e}", out.join(name).display()));
    let posterior_csv = calibrate::posterior_csv(&loaded, &posterior);
    write_atomic(&out.join("posterior.csv"), posterior_csv.as_bytes()).map_err(|e| cannot("posterior.csv", e))?;
    let calibration = calibrate::calibration_file(&loaded, &scenario_file, &posterior);
    let calibration_record = calibration.write(&out).map_err(|e| cannot(CalibrationFile::NAME, e))?;
    // The manifest last: it lists what the directory holds.
    let manifest = Manifest {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        study: Study::Calibration,
        scenario_file: Some(scenario_file.clone()),
        sweep_sha256: None,
        calibration_sha256: Some(sha256_hex(&loaded.bytes)),
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
    let simulated: usize = posterior.generations.iter().map(|g| g.simulated).sum();
    say(&format!(
        "calibration \"{}\" of {} — {} particles, {} replication(s) each, seed {}\n{}{:.1} s, {} simulated parameter sets; results in {}\n",
        c.name,
        scenario_file,
        c.particles,
        c.replications,
        c.seed,
        calibrate::table(&loaded, &posterior),
        elapsed.as_secs_f64(),
        simulated,
        out.display()
    ))
}
