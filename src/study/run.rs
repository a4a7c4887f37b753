//! Running one scenario: its replications, a stopping rule, the result files; one
//! replication alone (replay); and the speed of the event loop (bench).

use super::{
    check_work, precision_targets, prepare_output_dir, stopping_record, thread_pool, Cancel, Error, Progress, Unit,
};
use crate::model::metrics::{self, MetricInfo};
use crate::model::Prepared;
use crate::results::{RunReport, Stopping};
use crate::runner::{self, Results, RunSettings};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct RunRequest {
    /// The scenario file.
    pub scenario: PathBuf,
    /// Replications (the cap when there are precision targets).
    pub replications: u64,
    /// Master seed: the same seed gives byte-identical results.
    pub seed: u64,
    /// Worker threads (all cores when `None`); results do not depend on it.
    pub threads: Option<usize>,
    /// Output directory (`results/<scenario name>` when `None`).
    pub out: Option<PathBuf>,
    /// Replace results already in the output directory.
    pub force: bool,
    /// Run work estimated at over a day (refused otherwise).
    pub allow_long: bool,
    /// Stop once every (metric, half-width) target's confidence half-width is reached.
    pub precision: Vec<(String, f64)>,
    /// How each total's mean and interval are estimated (off: plain Monte Carlo).
    pub variance_reduction: runner::VarianceReduction,
}

/// A finished run.
pub struct RunOutcome {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Where the result files are.
    pub out: PathBuf,
    /// The totals' names and units, in results order.
    pub totals: Vec<MetricInfo>,
    /// The statistics.
    pub results: Results,
    /// How the stopping rule ended, when there were precision targets.
    pub stopping: Option<Stopping>,
    /// Wall-clock time of the replications.
    pub elapsed: Duration,
    /// The text of summary.json, as written.
    pub summary_json: String,
}

/// Runs the replications of `request`, writes summary.json, series.csv, manifest.json
/// and scenario.toml, and gives the statistics.
pub fn run(request: &RunRequest, progress: &dyn Progress, cancel: &Cancel) -> Result<RunOutcome, Error> {
    let (scenario, bytes) = Scenario::from_file(&request.scenario)?;
    let out = request
        .out
        .clone()
        .map_or_else(|| super::default_out(&scenario.name), Ok)?;
    let totals = metrics::totals_for(&scenario);
    let targets = precision_targets(&request.precision, &totals, "the scenario reports")?;
    check_work(scenario.expected_candidates(), request.replications, request.allow_long)?;
    let created = !out.exists();
    let lock = prepare_output_dir(
        &out,
        request.force,
        &["manifest.json"],
        "results (manifest.json)",
        "feidi run",
    )?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled {
            dir: None,
            kept: 0,
            what: super::Kept::DesignPoints,
        });
    }
    let pool = thread_pool(request.threads)?;
    let observe = request.variance_reduction != runner::VarianceReduction::Off;
    let prepared = Prepared::new(&scenario).observing_controls(observe);
    let settings = RunSettings {
        seed: request.seed,
        point: 0,
        replications: request.replications,
    };
    let report = |done: u64| {
        progress.advance(Unit::Replications, done, request.replications);
        !cancel.is_cancelled()
    };
    let started = Instant::now();
    let rule = runner::Precision::new(targets).with_variance_reduction(request.variance_reduction);
    let outcome = runner::run(&pool, &prepared, settings, &rule, &report);
    progress.finish();
    let (results, stop) = outcome.map_err(|failure| Error::Replication {
        failure,
        scenario: request.scenario.clone(),
        design_point: None,
    })?;
    if stop == runner::Stop::Cancelled {
        // Nothing is written: a cancelled run leaves no partial result files, and no
        // empty folder it made itself.
        drop(lock);
        if created {
            let _ = std::fs::remove_dir(&out);
        }
        return Err(Error::Cancelled {
            dir: None,
            kept: 0,
            what: super::Kept::DesignPoints,
        });
    }
    let elapsed = started.elapsed();
    let stopping = (!rule.targets.is_empty()).then(|| {
        stopping_record(
            &totals,
            &rule.targets,
            |m| results.half_width(m, rule.confidence),
            request.replications,
            results.replications,
            stop,
        )
    });
    let series = metrics::series(&scenario);
    let file = request.scenario.display().to_string();
    let report = RunReport {
        scenario_name: &scenario.name,
        scenario_title: &scenario.title,
        scenario_file: &file,
        scenario_bytes: &bytes,
        seed: request.seed,
        horizon_months: scenario.horizon,
        bin_months: scenario.bin_width,
        totals: &totals,
        series: &series,
        results: &results,
        stopping: stopping.as_ref(),
    };
    report
        .write(&out)
        .map_err(|e| Error::Failed(format!("cannot write results to {}: {e}", out.display())))?;
    let summary_json = report.summary_json();
    Ok(RunOutcome {
        scenario,
        out,
        totals,
        results,
        stopping,
        elapsed,
        summary_json,
    })
}

/// One replication run alone.
pub struct Replayed {
    /// The scenario.
    pub scenario: Scenario,
    /// Each total with its value in this replication.
    pub totals: Vec<(MetricInfo, f64)>,
}

/// Runs replication `replication` of design point `point` (whose random streams it
/// draws) of the scenario file alone; writes nothing.
pub fn replay(path: &Path, seed: u64, point: u32, replication: u64) -> Result<Replayed, Error> {
    let (scenario, _) = Scenario::from_file(path)?;
    let prepared = Prepared::new(&scenario);
    let key = crate::engine::rng::StreamKey {
        seed,
        point,
        replication,
    };
    let outcome = runner::run_one(&prepared, key).map_err(|failure| Error::Replication {
        failure,
        scenario: path.to_path_buf(),
        design_point: None,
    })?;
    let totals = metrics::totals_for(&scenario).into_iter().zip(outcome.totals).collect();
    Ok(Replayed { scenario, totals })
}

/// One timed run of the event loop.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// Model events handled.
    pub events: u64,
    /// Time in the event loop (set-up excluded).
    pub loop_time: Duration,
}

/// Times `runs` replications' event loops of the scenario file, one after another.
pub fn bench(path: &Path, runs: u32, seed: u64) -> Result<(Scenario, Vec<Timing>), Error> {
    let (scenario, _) = Scenario::from_file(path)?;
    let prepared = Prepared::new(&scenario);
    let timings = (0..runs.max(1))
        .map(|run| {
            let key = crate::engine::rng::StreamKey {
                seed,
                point: 0,
                replication: run as u64,
            };
            let (outcome, loop_time) = prepared.simulate_timed(key);
            Timing {
                events: outcome.events,
                loop_time,
            }
        })
        .collect();
    Ok((scenario, timings))
}
