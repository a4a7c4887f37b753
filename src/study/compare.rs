//! `feidi compare A.toml B.toml [C.toml ...]`: alternatives run on common random
//! numbers, block by block in lockstep, with paired differences and a ranking.

use super::{check_work, precision_targets, stopping_record, thread_pool, write_file, Cancel, Error, Progress, Unit};
use crate::model::metrics::{self, MetricInfo};
use crate::model::Prepared;
use crate::results::compare::{AlternativeRef, CompareReport};
use crate::results::{FileRecord, Manifest, ResultFile, RunReport, Stopping, Study};
use crate::runner::{self, Alternative};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Alternatives to compare.
#[derive(Clone, Debug)]
pub struct CompareRequest {
    /// Two or more scenario files (their scenario names must differ).
    pub scenarios: Vec<PathBuf>,
    /// Replications of each alternative (the cap when there are precision targets).
    pub replications: u64,
    /// Master seed, shared by every alternative.
    pub seed: u64,
    /// Worker threads (all cores when `None`); results do not depend on it.
    pub threads: Option<usize>,
    /// Output directory: compare.json, compare.csv and `alternatives/<name>/`.
    pub out: PathBuf,
    /// Replace a comparison already there.
    pub force: bool,
    /// Run work estimated at over a day (refused otherwise).
    pub allow_long: bool,
    /// Start compare.csv with a UTF-8 byte-order mark, so that Excel shows Chinese text.
    pub excel: bool,
    /// The metric that ranks the alternatives (one with a better direction).
    pub rank_by: String,
    /// Stop once every pair's paired difference of each (metric, half-width) is precise.
    pub precision: Vec<(String, f64)>,
    /// How means, paired differences and their intervals are estimated.
    pub variance_reduction: runner::VarianceReduction,
}

/// A finished comparison.
pub struct CompareOutcome {
    /// The ranking and paired-difference table, as the terminal shows it.
    pub table: String,
    /// How the stopping rule ended, when there were precision targets.
    pub stopping: Option<Stopping>,
    /// Wall-clock time of the replications.
    pub elapsed: Duration,
    /// Model events handled over all alternatives.
    pub events: u64,
    /// Replications of each alternative.
    pub replications: u64,
    /// Where the results are.
    pub out: PathBuf,
}

/// One loaded alternative.
struct Loaded {
    file: PathBuf,
    scenario: Scenario,
    bytes: Vec<u8>,
}

/// Runs the alternatives in lockstep on common random numbers, ranks them, and writes
/// compare.json, compare.csv and each alternative's run files.
pub fn compare(request: &CompareRequest, progress: &dyn Progress, cancel: &Cancel) -> Result<CompareOutcome, Error> {
    let args = request;
    let loaded = load(&args.scenarios)?;
    let first = &loaded[0];
    for other in &loaded[1..] {
        if other.scenario.horizon != first.scenario.horizon || other.scenario.bin_width != first.scenario.bin_width {
            return Err(Error::Input(format!(
                "{} and {} cannot be compared replication by replication: horizon {} and bin {} months against horizon {} and bin {} months; give every alternative the same [scenario] horizon and bin",
                first.file.display(),
                other.file.display(),
                months(first.scenario.horizon),
                first.scenario.bin_width,
                months(other.scenario.horizon),
                other.scenario.bin_width
            )));
        }
    }
    // The compared metrics: the totals every alternative reports (per-party tax only
    // where the parties agree), in the first alternative's order.
    let all: Vec<Vec<MetricInfo>> = loaded.iter().map(|l| metrics::totals_for(&l.scenario)).collect();
    let compared: Vec<MetricInfo> = all[0]
        .iter()
        .filter(|m| all.iter().all(|names| names.iter().any(|n| n.name == m.name)))
        .cloned()
        .collect();
    let indices: Vec<Vec<usize>> = all
        .iter()
        .map(|names| {
            compared
                .iter()
                .map(|m| {
                    names
                        .iter()
                        .position(|n| n.name == m.name)
                        .expect("compared metrics are common")
                })
                .collect()
        })
        .collect();
    let rank_by = compared.iter().position(|m| m.name == args.rank_by).ok_or_else(|| {
        let hint = crate::scenario::nearest(&args.rank_by, compared.iter().map(|m| m.name.as_str()))
            .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
        Error::Input(format!(
            "rank by {}: not a metric every alternative reports{hint}",
            args.rank_by
        ))
    })?;
    if metrics::better(&args.rank_by).is_none() {
        let ranked: Vec<&str> = compared
            .iter()
            .filter(|m| metrics::better(&m.name).is_some())
            .map(|m| m.name.as_str())
            .collect();
        return Err(Error::Input(format!(
            "rank by {}: this metric has no better direction, so it cannot rank; choose one of {}",
            args.rank_by,
            ranked.join(", ")
        )));
    }
    let targets = precision_targets(&args.precision, &compared, "every alternative must report; there is")?;
    let candidates: f64 = loaded.iter().map(|l| l.scenario.expected_candidates()).sum();
    check_work(candidates, args.replications, args.allow_long)?;
    let _lock = prepare_compare_dir(&args.out, args.force)?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled {
            dir: None,
            kept: 0,
            what: super::Kept::DesignPoints,
        });
    }

    let pool = thread_pool(args.threads)?;
    let observe = args.variance_reduction != runner::VarianceReduction::Off;
    let prepared: Vec<Prepared<'_>> = loaded
        .iter()
        .map(|l| Prepared::new(&l.scenario).observing_controls(observe))
        .collect();
    let marginal = metrics::marginal_indices(&compared);
    let alternatives: Vec<Alternative<'_>> = prepared
        .iter()
        .zip(&indices)
        .map(|(prepared, metrics)| Alternative {
            prepared,
            point: 0,
            metrics: metrics.clone(),
            marginal,
        })
        .collect();
    let started = Instant::now();
    let rule = runner::Precision::new(targets).with_variance_reduction(args.variance_reduction);
    let outcome = runner::run_compare(&pool, &alternatives, args.seed, args.replications, &rule, &|done| {
        progress.advance(Unit::Replications, done, args.replications);
        !cancel.is_cancelled()
    });
    progress.finish();
    let (comparison, stop) = outcome.map_err(|failure| Error::Replication {
        scenario: args.scenarios[failure_alternative(&failure, &alternatives)].clone(),
        failure,
        design_point: None,
    })?;
    if stop == runner::Stop::Cancelled {
        return Err(Error::Cancelled {
            dir: None,
            kept: 0,
            what: super::Kept::DesignPoints,
        });
    }
    let elapsed = started.elapsed();
    let stopping = (!rule.targets.is_empty()).then(|| {
        stopping_record(
            &compared,
            &rule.targets,
            |m| comparison.widest_half_width(m, rule.confidence),
            args.replications,
            comparison.replications,
            stop,
        )
    });

    let write_error = |path: &Path, e: std::io::Error| Error::Failed(format!("cannot write {}: {e}", path.display()));
    let files: Vec<String> = loaded.iter().map(|l| l.file.display().to_string()).collect();
    let mut records = Vec::new();
    for (i, l) in loaded.iter().enumerate() {
        let dir = super::named_path(&args.out.join("alternatives"), &l.scenario.name)?;
        let report = RunReport {
            scenario_name: &l.scenario.name,
            scenario_title: &l.scenario.title,
            scenario_file: &files[i],
            scenario_bytes: &l.bytes,
            seed: args.seed,
            horizon_months: l.scenario.horizon,
            bin_months: l.scenario.bin_width,
            totals: &all[i],
            series: &metrics::series(&l.scenario),
            results: &comparison.alternatives[i],
            stopping: stopping.as_ref(),
        };
        report.write(&dir).map_err(|e| write_error(&dir, e))?;
        // The alternative's own manifest, which lists its files, checked in turn.
        let name = format!("alternatives/{}/{}", l.scenario.name, Manifest::NAME);
        let bytes = std::fs::read(args.out.join(&name))
            .map_err(|e| Error::Failed(format!("cannot read back {}: {e}", args.out.join(&name).display())))?;
        records.push(FileRecord::of(&name, &bytes));
    }
    let refs: Vec<AlternativeRef<'_>> = loaded
        .iter()
        .zip(&files)
        .map(|(l, file)| AlternativeRef {
            name: &l.scenario.name,
            title: &l.scenario.title,
            file,
            bytes: &l.bytes,
        })
        .collect();
    let report = CompareReport {
        alternatives: &refs,
        seed: args.seed,
        horizon_months: first.scenario.horizon,
        bin_months: first.scenario.bin_width,
        metrics: &compared,
        indices: &indices,
        rank_by,
        comparison: &comparison,
        stopping: stopping.as_ref(),
    };
    let csv = report.csv(args.excel);
    write_file(&args.out, "compare.csv", csv.as_bytes())?;
    records.push(FileRecord::of("compare.csv", csv.as_bytes()));
    records.push(
        report
            .file()
            .write(&args.out)
            .map_err(|e| write_error(&args.out.join(crate::results::CompareFile::NAME), e))?,
    );
    // manifest.json last: its presence says the comparison is complete.
    let manifest = Manifest {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        study: Study::Compare,
        scenario_file: None,
        sweep_sha256: None,
        calibration_sha256: None,
        optimization_sha256: None,
        scenario_sha256: String::new(),
        seed: args.seed,
        replications: Some(comparison.replications),
        replications_per_point: None,
        replications_per_particle: None,
        points: None,
        replications_per_block: runner::BLOCK,
        files: records,
    };
    manifest
        .write(&args.out)
        .map_err(|e| write_error(&args.out.join(Manifest::NAME), e))?;
    Ok(CompareOutcome {
        table: report.table(),
        stopping,
        elapsed,
        events: comparison.alternatives.iter().map(|r| r.events).sum(),
        replications: comparison.replications,
        out: args.out.clone(),
    })
}

/// Which alternative a failing replication belongs to: replications are deterministic,
/// so the failing one is found by running that replication of each alternative again.
fn failure_alternative(failure: &runner::ReplicationFailure, alternatives: &[Alternative<'_>]) -> usize {
    let key = crate::engine::rng::StreamKey {
        seed: failure.seed,
        point: failure.point,
        replication: failure.replication,
    };
    alternatives
        .iter()
        .position(|alt| runner::run_one(alt.prepared, key).is_err())
        .unwrap_or(0)
}

fn months(horizon: Option<f64>) -> String {
    horizon.map_or("none".to_string(), |h| format!("{h} months"))
}

/// Reads and validates every alternative (reporting every file's problems together) and
/// checks that their scenario names, which name them in the results, are unique.
fn load(files: &[PathBuf]) -> Result<Vec<Loaded>, Error> {
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match Scenario::from_file(file) {
            Ok((scenario, bytes)) => loaded.push(Loaded {
                file: file.clone(),
                scenario,
                bytes,
            }),
            Err(d) => problems.push(d.to_string()),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems.join("\n")));
    }
    for (i, a) in loaded.iter().enumerate() {
        if let Some(b) = loaded[..i].iter().find(|b| b.scenario.name == a.scenario.name) {
            return Err(Error::Input(format!(
                "{} and {} both have [scenario] name = \"{}\"; alternatives are named by it in the results, so give each a different name",
                b.file.display(),
                a.file.display(),
                a.scenario.name
            )));
        }
    }
    Ok(loaded)
}

/// Creates the output directory and checks it is writable; one that already holds a
/// comparison is replaced only with `--force`.
fn prepare_compare_dir(dir: &Path, force: bool) -> Result<super::lock::DirLock, Error> {
    super::prepare_output_dir(
        dir,
        force,
        &["compare.json", "alternatives", "manifest.json"],
        "a comparison (compare.json or alternatives/)",
        "feidi compare",
    )
}
