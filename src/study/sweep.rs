//! Sweeps: every design point of a sweep file run, resumed after a stop, split into
//! shards and merged, and a sensitivity design's indices assembled.
//!
//! A sweep's results directory holds its plan (what is being run, with the hashes of the
//! sweep and scenario files) and one row file per finished design point, each written
//! whole and renamed into place. Killing the process loses at most the points in
//! progress; `resume` runs only the missing ones; shards write the same row files for
//! their share of the points, and `merge` assembles them. The final points.csv is built
//! from the row files in point order, so every route gives the same bytes.

use super::{
    check_no_results, check_work, check_writable, open_output_dir, thread_pool, Cancel, Error, Progress, Unit,
};
use crate::model::{metrics, Prepared};
use crate::results::marginal::MarginalCost;
use crate::results::sensitivity::{
    Effects, Method, MetricEffects, MorrisEffect, OatEffect, SensitivityFile, SobolEffect,
};
use crate::results::SweepPlan as Plan;
use crate::results::{points, sha256_hex, write_atomic, FileRecord, Manifest, ResultFile, Study, CONFIDENCE};
use crate::runner::{self, RunSettings};
use crate::scenario::{with_overrides, Scenario};
use crate::sweep::Sweep;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const PLAN: &str = Plan::NAME;
const ROWS: &str = "rows";
const SERIES: &str = "series";
/// Folder of each committed point's checksums (its row's and its series'), written
/// before the row, so that a committed row can be checked before it is used.
const CHECKS: &str = "checks";

/// A sweep file with its base scenario, every point validated.
pub struct Loaded {
    path: PathBuf,
    /// The sweep.
    pub sweep: Sweep,
    sweep_bytes: Vec<u8>,
    base: toml::Table,
    base_bytes: Vec<u8>,
    first: Scenario,
    header: String,
    /// Each parameter's unit, written in its points.csv header rather than in its cells.
    units: Vec<Option<String>>,
}

/// The base scenario with a design point's values set, validated; an error names the
/// sweep file, the point and its settings.
fn point_scenario(base: &toml::Table, sweep: &Sweep, sweep_file: &Path, point: usize) -> Result<Scenario, String> {
    let label = &sweep.points[point].label;
    let name = format!("{} (point {point}, {label})", sweep.scenario.display());
    with_overrides(base, point_overrides(sweep, point), &name)
        .map_err(|e| super::sweep_check::point_refused(&sweep_file.display().to_string(), sweep, point, &e))
}

/// The settings design point `point` changes in the base scenario.
fn point_overrides(sweep: &Sweep, point: usize) -> impl Iterator<Item = (&crate::scenario::KeyPath, toml::Value)> {
    sweep
        .parameters
        .iter()
        .zip(&sweep.points[point].values)
        .filter_map(|(parameter, value)| Some((&parameter.path, value.clone()?)))
}

/// The unit parameter `k`'s values share ("months" of "18.5 months"), which points.csv
/// writes in the column's header, the numbers alone in its cells; `None` for values that
/// are plain numbers or text.
fn parameter_unit(sweep: &Sweep, k: usize) -> Option<String> {
    let text = |v: &toml::Value| v.as_str().map(str::to_string);
    let values: Vec<String> = sweep
        .points
        .iter()
        .filter_map(|p| p.values.get(k)?.as_ref().map(text))
        .collect::<Option<_>>()?;
    points::common_unit(values.iter().map(String::as_str))
}

/// A sweep file as read, its size known and its design points not yet generated.
pub struct SweepFile {
    path: PathBuf,
    /// The sweep (without its points, except a list of variants).
    pub sweep: Sweep,
    bytes: Vec<u8>,
}

/// Reads a sweep file (quick: no design point is generated or checked yet).
pub fn read(path: &Path) -> Result<SweepFile, Error> {
    let (sweep, bytes) = Sweep::read_file(path)?;
    Ok(SweepFile {
        path: path.to_path_buf(),
        sweep,
        bytes,
    })
}

impl SweepFile {
    /// Checks the sweep against its base scenario (the base once, each key path once,
    /// each distinct value once; every point too for a small sweep), refuses work
    /// estimated at over a day unless `allow_long`, and only then generates the points.
    pub fn check(self, allow_long: bool) -> Result<Loaded, Error> {
        let SweepFile {
            path,
            mut sweep,
            bytes: sweep_bytes,
        } = self;
        let shown = path.display().to_string();
        let at = super::sweep_check::SweepText {
            file: &shown,
            text: std::str::from_utf8(&sweep_bytes).unwrap_or_default(),
        };
        let base = super::sweep_check::check_base(&sweep, &at)?;
        // One replication of every point is the sweep's unit of work; judged before a
        // single point is generated.
        check_work(base.expected_candidates, sweep.replications, allow_long)?;
        sweep.generate();
        if sweep.count <= super::sweep_check::CHECK_EVERY_POINT_UP_TO {
            super::sweep_check::check_every_point(&sweep, &base.table, &at)?;
        }
        let first = point_scenario(&base.table, &sweep, &path, 0).map_err(Error::Input)?;
        let units: Vec<Option<String>> = (0..sweep.parameters.len()).map(|k| parameter_unit(&sweep, k)).collect();
        let parameters: Vec<String> = sweep
            .parameters
            .iter()
            .zip(&units)
            .map(|(p, unit)| points::parameter_header(&p.path.to_string(), unit.as_deref()))
            .collect();
        let header = points::header(&parameters, &metrics::totals_for(&first), sweep.common_random_numbers);
        Ok(Loaded {
            path,
            sweep,
            sweep_bytes,
            base: base.table,
            base_bytes: base.bytes,
            first,
            header,
            units,
        })
    }
}

/// Reads a sweep file and its base scenario and checks them (see [`SweepFile::check`]),
/// whatever the work.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    read(path)?.check(true)
}

fn read_plan(dir: &Path) -> Result<Plan, Error> {
    if !dir.join(PLAN).is_file() {
        return Err(Error::Input(format!(
            "{} is not a sweep's results directory (it has no {PLAN})",
            dir.display()
        )));
    }
    Plan::read(dir).map_err(|e| Error::Input(e.to_string()))
}

/// The size of a sweep and the time it will take, from a short trial.
#[derive(Clone, Debug)]
pub struct Estimate {
    /// The sweep's name.
    pub name: String,
    /// Design points.
    pub points: usize,
    /// Replications per point.
    pub replications: u64,
    /// Replications timed in the trial (of point 0).
    pub trial: u64,
    /// Threads the estimate assumes (all cores).
    pub threads: usize,
    /// Estimated wall-clock seconds for the whole sweep.
    pub seconds: f64,
}

/// Estimates a sweep's size and time from a trial of up to one block of point 0.
pub fn estimate(path: &Path) -> Result<Estimate, Error> {
    let loaded = load(path)?;
    let sweep = &loaded.sweep;
    let prepared = Prepared::new(&loaded.first);
    let trial = sweep.replications.min(runner::BLOCK);
    let started = Instant::now();
    runner::run_serial(
        &prepared,
        RunSettings {
            seed: sweep.seed,
            point: 0,
            replications: trial,
        },
        &runner::Precision::default(),
    )
    .map_err(|failure| Error::Replication {
        failure,
        scenario: sweep.scenario.clone(),
        design_point: None,
    })?;
    let per_replication = started.elapsed().as_secs_f64() / trial as f64;
    // A sweep on common random numbers runs its baseline point once more, whole, to pair
    // the others with.
    let points = sweep.points.len() + usize::from(sweep.common_random_numbers);
    let runs = points as u64 * sweep.replications;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    Ok(Estimate {
        name: sweep.name.clone(),
        points: sweep.points.len(),
        replications: sweep.replications,
        trial,
        threads,
        seconds: per_replication * runs as f64 / threads as f64,
    })
}

/// A sweep to start.
#[derive(Clone, Debug)]
pub struct SweepRequest {
    /// The sweep file.
    pub file: PathBuf,
    /// Output directory (`results/<sweep name>` when `None`).
    pub out: Option<PathBuf>,
    /// Worker threads (all cores when `None`); results do not depend on it.
    pub threads: Option<usize>,
    /// Start over in a directory that holds a sweep.
    pub force: bool,
    /// Run work estimated at over a day (refused otherwise).
    pub allow_long: bool,
    /// Whether `--excel` was given (recorded in the plan; the byte-order mark it asked
    /// for is the default).
    pub excel: bool,
    /// Write points.csv without the UTF-8 byte-order mark it starts with by default (the
    /// mark makes Excel read Chinese text right).
    pub no_bom: bool,
    /// Run only shard K of N (points p with p mod N = K).
    pub shard: Option<(usize, usize)>,
}

/// A sweep (or a shard of one) whose points are all done.
#[derive(Clone, Debug)]
pub struct SweepOutcome {
    /// The results directory.
    pub dir: PathBuf,
    /// Design points of the whole sweep.
    pub points: usize,
    /// Replications per point.
    pub replications: u64,
    /// The shard this directory holds, if any (then points.csv waits for a merge).
    pub shard: Option<(usize, usize)>,
    /// Points this directory is responsible for.
    pub mine: usize,
    /// Wall-clock time of this call.
    pub elapsed: Duration,
}

/// Starts a sweep: checks every point, writes the plan, runs the points, and (for a
/// whole sweep) assembles points.csv and manifest.json.
pub fn start(request: &SweepRequest, progress: &dyn Progress, cancel: &Cancel) -> Result<SweepOutcome, Error> {
    if let Some((k, n)) = request.shard {
        if n == 0 || k >= n {
            return Err(Error::Input(format!(
                "shard {k} of {n} does not exist (shards count from 0 to N-1)"
            )));
        }
    }
    let loaded = read(&request.file)?.check(request.allow_long)?;
    let out = request
        .out
        .clone()
        .map_or_else(|| super::default_out(&loaded.sweep.name), Ok)?;
    let _lock = open_output_dir(&out, "feidi sweep")?;
    if out.join(PLAN).exists() && !request.force {
        return Err(Error::ResultsExist {
            dir: out,
            holds: "a sweep (sweep-plan.json)",
            resumable: true,
        });
    }
    check_no_results(&out, request.force, &["manifest.json"], "results (manifest.json)")?;
    check_writable(&out)?;
    if request.force {
        // Starting over: earlier rows, series and reports must not outlive this run.
        super::remove_own_results(&out)?;
    }
    let plan = Plan {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        sweep_file: std::fs::canonicalize(&loaded.path).unwrap_or(loaded.path.clone()),
        sweep_sha256: sha256_hex(&loaded.sweep_bytes),
        scenario_sha256: sha256_hex(&loaded.base_bytes),
        seed: loaded.sweep.seed,
        replications_per_point: loaded.sweep.replications,
        points: loaded.sweep.points.len(),
        shard: request.shard,
        excel: request.excel,
        no_bom: request.no_bom,
    };
    plan.write(&out)
        .map_err(|e| Error::Failed(format!("cannot write {}: {e}", out.join(PLAN).display())))?;
    run(&loaded, &plan, &out, request.threads, progress, cancel)
}

/// Continues the sweep in `dir`: runs only the points without a row yet.
pub fn resume(
    dir: &Path,
    threads: Option<usize>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<SweepOutcome, Error> {
    let plan = read_plan(dir)?;
    let _lock = super::lock::lock(dir, "feidi sweep resume")?;
    crate::results::complete::remove_leftovers(dir);
    let loaded = load(&plan.sweep_file)?;
    let check = |what: &str, then: &str, now: String| {
        if then == now {
            Ok(())
        } else {
            Err(Error::Input(format!(
                "{what} has changed since this sweep started (SHA-256 {} then, {} now); \
                 resuming would mix results of two different sweeps. Start a new sweep, or restore the file",
                &then[..12.min(then.len())],
                &now[..12]
            )))
        }
    };
    check(
        &format!("the sweep file {}", plan.sweep_file.display()),
        &plan.sweep_sha256,
        sha256_hex(&loaded.sweep_bytes),
    )?;
    check(
        &format!("the scenario file {}", loaded.sweep.scenario.display()),
        &plan.scenario_sha256,
        sha256_hex(&loaded.base_bytes),
    )?;
    run(&loaded, &plan, dir, threads, progress, cancel)
}

fn row_path(dir: &Path, point: usize) -> PathBuf {
    dir.join(ROWS).join(format!("{point:08}.csv"))
}

fn series_path(dir: &Path, point: usize) -> PathBuf {
    dir.join(SERIES).join(format!("{point:08}.csv"))
}

fn check_path(dir: &Path, point: usize) -> PathBuf {
    dir.join(CHECKS).join(format!("{point:08}.sha256"))
}

/// The checksum file of a point's row and series, in `sha256sum`'s format.
fn checks_text(point: usize, row: &[u8], series: &[u8]) -> String {
    format!(
        "{}  {ROWS}/{point:08}.csv\n{}  {SERIES}/{point:08}.csv\n",
        sha256_hex(row),
        sha256_hex(series)
    )
}

/// Checks design point `p`'s committed row (and its series) in `dir`: the row is one
/// whole row of `fields` fields, the series a whole table, and both have the checksums
/// recorded when they were committed. Gives what is wrong, naming the file.
fn verify_point(dir: &Path, p: usize, fields: usize) -> Result<(), String> {
    let (row_file, series_file, check_file) = (row_path(dir, p), series_path(dir, p), check_path(dir, p));
    let read = |path: &Path| std::fs::read(path).map_err(|e| format!("{}: cannot be read: {e}", path.display()));
    let row = read(&row_file)?;
    let text = std::str::from_utf8(&row).map_err(|_| format!("{}: it is not UTF-8 text", row_file.display()))?;
    points::check_row(text, p, fields).map_err(|why| format!("{}: {why}", row_file.display()))?;
    let series = read(&series_file)?;
    let table = std::str::from_utf8(&series).map_err(|_| format!("{}: it is not UTF-8 text", series_file.display()))?;
    points::check_table(table).map_err(|why| format!("{}: {why}", series_file.display()))?;
    let recorded = read(&check_file)?;
    if recorded != checks_text(p, &row, &series).as_bytes() {
        let recorded = String::from_utf8_lossy(&recorded);
        let mut lines = recorded.lines();
        let wrong = if lines.next().and_then(|l| l.split_whitespace().next()) != Some(&sha256_hex(&row)) {
            &row_file
        } else if lines.next().and_then(|l| l.split_whitespace().next()) != Some(&sha256_hex(&series)) {
            &series_file
        } else {
            &check_file
        };
        return Err(format!(
            "{}: its SHA-256 is not the one recorded in {} when it was written",
            wrong.display(),
            check_file.display()
        ));
    }
    Ok(())
}

/// The number of fields of a points.csv header.
fn header_fields(header: &str) -> usize {
    points::read_csv(header).map_or(0, |rows| rows.first().map_or(0, Vec::len))
}

/// Where a failing design point's scenario is written, so that its replication can be
/// run alone.
fn failed_point_path(dir: &Path, point: usize) -> PathBuf {
    dir.join("failed-points").join(format!("{point:08}.toml"))
}

/// The random streams design point `p` runs on: with common random numbers every point
/// draws those of point 0, so that points differ by their settings, not by luck;
/// otherwise each point has its own.
fn point_settings(sweep: &Sweep, p: usize) -> RunSettings {
    RunSettings {
        seed: sweep.seed,
        point: if sweep.common_random_numbers { 0 } else { p as u32 },
        replications: sweep.replications,
    }
}

/// The baseline point's totals in every replication (up to the cap), which the other
/// points of a sweep on common random numbers are paired with.
struct Baseline {
    totals: Vec<Vec<f64>>,
    /// Indices of the marginal cost's outlay and benefit among the totals.
    marginal: Option<(usize, usize)>,
}

/// Runs the baseline point of a sweep on common random numbers (every replication up to
/// the cap, whatever its stopping rule, so that any point can be paired with it);
/// `None` when the points do not share random streams.
fn baseline(
    loaded: &Loaded,
    pool: &rayon::ThreadPool,
    metric_names: &[metrics::MetricInfo],
    progress: &dyn Progress,
) -> Result<Option<Baseline>, Error> {
    let sweep = &loaded.sweep;
    if !sweep.common_random_numbers {
        return Ok(None);
    }
    let b = sweep.baseline;
    progress.note(&format!(
        "pairing every point with the baseline point {b} ({}): running its {} replications first",
        sweep.points[b].label, sweep.replications
    ));
    let scenario = point_scenario(&loaded.base, sweep, &loaded.path, b).map_err(Error::Input)?;
    let prepared = Prepared::new(&scenario);
    let totals =
        runner::baseline_totals(pool, &prepared, point_settings(sweep, b)).map_err(|failure| Error::Replication {
            failure,
            scenario: sweep.scenario.clone(),
            design_point: Some(b),
        })?;
    let position = |name: &str| metric_names.iter().position(|m| m.name == name);
    Ok(Some(Baseline {
        totals,
        marginal: position(metrics::MARGINAL_OUTLAY).zip(position(metrics::MARGINAL_BENEFIT)),
    }))
}

/// Runs one design point and commits its row (and series) to `dir`.
fn run_point(
    loaded: &Loaded,
    dir: &Path,
    p: usize,
    metric_names: &[metrics::MetricInfo],
    rule: &runner::Precision,
    baseline: Option<&Baseline>,
) -> Result<(), Error> {
    let sweep = &loaded.sweep;
    let scenario = point_scenario(&loaded.base, sweep, &loaded.path, p).map_err(Error::Input)?;
    if metrics::totals_for(&scenario) != metric_names {
        return Err(Error::Input(format!(
            "point {p} reports other metrics than point 0 (a tax party differs?); points.csv needs the same columns for every point"
        )));
    }
    let prepared =
        Prepared::new(&scenario).observing_controls(rule.variance_reduction != runner::VarianceReduction::Off);
    let settings = point_settings(sweep, p);
    let run = match baseline {
        Some(b) => runner::run_serial_paired(&prepared, settings, rule, &b.totals, b.marginal)
            .map(|(results, paired, _)| (results, Some(paired))),
        None => runner::run_serial(&prepared, settings, rule).map(|(results, _)| (results, None)),
    };
    let (results, paired) = match run {
        Ok(run) => run,
        Err(failure) => {
            // The point's own scenario file, so that the failing replication can be
            // replayed alone.
            let replay = failed_point_path(dir, p);
            let text = crate::scenario::overridden(&loaded.base, point_overrides(sweep, p))
                .ok()
                .and_then(|table| toml::to_string(&table).ok())
                .unwrap_or_default();
            let _ = std::fs::create_dir_all(replay.parent().unwrap_or(dir));
            let _ = write_atomic(&replay, text.as_bytes());
            return Err(Error::Replication {
                failure,
                scenario: replay,
                design_point: Some(p),
            });
        }
    };
    let summaries: Vec<_> = (0..results.totals.len())
        .map(|m| results.summary(m, CONFIDENCE))
        .collect();
    let values: Vec<String> = sweep.points[p]
        .values
        .iter()
        .enumerate()
        .map(|(k, v)| match v {
            // A quantity's number alone: its unit is in the column's header.
            Some(toml::Value::String(s)) => match loaded.units.get(k).and_then(Option::as_deref) {
                Some(unit) => s.strip_suffix(unit).map_or(s.as_str(), str::trim).to_string(),
                None => s.clone(),
            },
            Some(other) => other.to_string(),
            None => String::new(),
        })
        .collect();
    // The series first: a committed row promises that its series is there too.
    let series = crate::results::series_csv(
        &metrics::series(&scenario),
        &results.series,
        scenario.bin_width,
        scenario.horizon,
    );
    write_atomic(&series_path(dir, p), series.as_bytes())
        .map_err(|e| Error::Failed(format!("cannot write {}: {e}", series_path(dir, p).display())))?;
    let paired = paired.map(|paired| points::PairedFigures {
        differences: paired
            .differences
            .iter()
            .map(|d| {
                let (low, high) = d.interval(CONFIDENCE);
                (d.mean(), low, high)
            })
            .collect(),
        marginal: MarginalCost::new(
            &sweep.points[p].label,
            &sweep.points[sweep.baseline].label,
            &paired.marginal,
            CONFIDENCE,
        ),
    });
    let row = points::row(
        p,
        &sweep.points[p].label,
        results.replications,
        &values,
        &summaries,
        paired.as_ref(),
    );
    // The checksums before the row: a committed row always has them.
    let checks = checks_text(p, row.as_bytes(), series.as_bytes());
    write_atomic(&check_path(dir, p), checks.as_bytes())
        .map_err(|e| Error::Failed(format!("cannot write {}: {e}", check_path(dir, p).display())))?;
    write_atomic(&row_path(dir, p), row.as_bytes())
        .map_err(|e| Error::Failed(format!("cannot write {}: {e}", row_path(dir, p).display())))
}

/// Runs the points of `plan` that have no row yet, then assembles the results (for a
/// whole sweep; a shard waits for [`merge`]).
fn run(
    loaded: &Loaded,
    plan: &Plan,
    dir: &Path,
    threads: Option<usize>,
    progress: &dyn Progress,
    cancel: &Cancel,
) -> Result<SweepOutcome, Error> {
    let sweep = &loaded.sweep;
    for sub in [ROWS, SERIES, CHECKS] {
        std::fs::create_dir_all(dir.join(sub))
            .map_err(|e| Error::Failed(format!("cannot create {}: {e}", dir.join(sub).display())))?;
    }
    let mine = |p: &usize| plan.shard.is_none_or(|(k, n)| p % n == k);
    let fields = header_fields(&loaded.header);
    let todo: Vec<usize> = (0..sweep.points.len())
        .filter(mine)
        .filter(|&p| {
            if !row_path(dir, p).exists() {
                return true;
            }
            match verify_point(dir, p, fields) {
                Ok(()) => false,
                Err(why) => {
                    progress.note(&format!("design point {p} is damaged and runs again: {why}"));
                    true
                }
            }
        })
        .collect();
    let total_mine = (0..sweep.points.len()).filter(mine).count();
    let already = total_mine - todo.len();
    if already > 0 {
        progress.note(&format!(
            "{already} of {total_mine} design points already done; running the other {}",
            todo.len()
        ));
    }
    let metric_names = metrics::totals_for(&loaded.first);
    // Every point reports point 0's metrics (run_point checks it), so the precision
    // targets are resolved once, against point 0.
    let targets: Vec<(usize, f64)> = sweep
        .precision
        .iter()
        .map(|(name, target)| {
            let index = metric_names.iter().position(|m| &m.name == name).ok_or_else(|| {
                Error::Input(format!("sweep.precision names `{name}`, which point 0 does not report"))
            })?;
            Ok((index, *target))
        })
        .collect::<Result<_, Error>>()?;
    let method = runner::VarianceReduction::from_name(sweep.variance_reduction).unwrap_or_default();
    let rule = runner::Precision::new(targets).with_variance_reduction(method);
    let started = Instant::now();
    let done = AtomicUsize::new(0);
    let pool = thread_pool(threads)?;
    let baseline = if todo.is_empty() {
        None
    } else {
        baseline(loaded, &pool, &metric_names, progress)?
    };
    let outcome: Result<(), Error> = {
        use rayon::prelude::*;
        pool.install(|| {
            todo.par_iter().try_for_each(|&p| {
                // After a cancel no new point starts; points in progress are abandoned.
                if cancel.is_cancelled() {
                    return Err(Error::Cancelled {
                        dir: None,
                        kept: 0,
                        what: super::Kept::DesignPoints,
                    });
                }
                run_point(loaded, dir, p, &metric_names, &rule, baseline.as_ref())?;
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                progress.advance(Unit::DesignPoints, finished as u64, todo.len() as u64);
                Ok(())
            })
        })
    };
    progress.finish();
    if let Err(Error::Cancelled { .. }) = outcome {
        // Committed rows only, not a temporary file of a point in progress.
        let kept = (0..sweep.points.len()).filter(|&p| row_path(dir, p).is_file()).count();
        return Err(Error::Cancelled {
            dir: Some(dir.to_path_buf()),
            kept,
            what: super::Kept::DesignPoints,
        });
    }
    outcome?;
    if plan.shard.is_none() {
        assemble(loaded, plan, dir, &[dir.to_path_buf()], plan.bom())?;
    }
    Ok(SweepOutcome {
        dir: dir.to_path_buf(),
        points: sweep.points.len(),
        replications: sweep.replications,
        shard: plan.shard,
        mine: total_mine,
        elapsed: started.elapsed(),
    })
}

/// Writes points.csv and manifest.json into `out` from the row files in `sources`.
fn assemble(loaded: &Loaded, plan: &Plan, out: &Path, sources: &[PathBuf], bom: bool) -> Result<(), Error> {
    let mut csv = if bom { String::from("\u{feff}") } else { String::new() };
    csv.push_str(&loaded.header);
    for p in 0..plan.points {
        let row = row_path(&committed(sources, p, header_fields(&loaded.header))?, p);
        let text =
            std::fs::read_to_string(&row).map_err(|e| Error::Failed(format!("cannot read {}: {e}", row.display())))?;
        csv.push_str(&text);
    }
    let write = |name: &str, bytes: &[u8]| {
        write_atomic(&out.join(name), bytes)
            .map_err(|e| Error::Failed(format!("cannot write {}: {e}", out.join(name).display())))
    };
    write("points.csv", csv.as_bytes())?;
    let mut files = vec![FileRecord::of("points.csv", csv.as_bytes())];
    if let Some(file) = sensitivity(loaded, &csv)? {
        let bytes = file.to_bytes();
        write(SensitivityFile::NAME, &bytes)?;
        files.push(FileRecord::of(SensitivityFile::NAME, &bytes));
    }
    let manifest = Manifest {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        study: Study::Sweep,
        scenario_file: None,
        sweep_sha256: Some(plan.sweep_sha256.clone()),
        calibration_sha256: None,
        optimization_sha256: None,
        scenario_sha256: plan.scenario_sha256.clone(),
        seed: plan.seed,
        replications: None,
        replications_per_point: Some(plan.replications_per_point),
        replications_per_particle: None,
        points: Some(plan.points),
        replications_per_block: runner::BLOCK,
        files,
    };
    write(Manifest::NAME, &manifest.to_bytes())
}

/// sensitivity.json for a sensitivity design: the indices of every total metric,
/// computed from the per-point means in points.csv (`csv`); `None` for other designs.
fn sensitivity(loaded: &Loaded, csv: &str) -> Result<Option<SensitivityFile>, Error> {
    use crate::analysis::{morris, oat, sobol};
    use crate::sweep::{Design, Values};
    let sweep = &loaded.sweep;
    let method = match sweep.design.sensitivity_method() {
        Some("oat") => Method::Oat,
        Some("morris") => Method::Morris,
        Some(_) => Method::Sobol,
        None => return Ok(None),
    };
    let f = |x: f64| x.is_finite().then_some(x);
    let table = crate::results::points::PointsTable::parse(csv)
        .map_err(|why| Error::Failed(format!("cannot read back points.csv: {why}")))?;
    let names: Vec<String> = sweep.parameters.iter().map(|p| p.path.to_string()).collect();
    let k = names.len();
    let morris_design = match sweep.design {
        Design::Morris { trajectories, levels } => {
            Some(morris::design(k, trajectories, levels, sweep.seed).map_err(Error::Input)?)
        }
        _ => None,
    };
    let mut out = Vec::new();
    for info in metrics::totals_for(&loaded.first) {
        let column = table
            .column(&format!("{}.mean", info.name))
            .ok_or_else(|| Error::Failed(format!("points.csv has no column {}.mean", info.name)))?;
        let y = table.numbers(column);
        let effects = match &sweep.design {
            Design::Oat { .. } => Effects::Oat(
                oat::effects(k, &y)
                    .map_err(Error::Failed)?
                    .iter()
                    .zip(&sweep.parameters)
                    .zip(&names)
                    .map(|((e, p), name)| {
                        let (low, high) = match p.values {
                            Values::Range {
                                min,
                                max,
                                integer: true,
                                ..
                            } => (min.round(), max.round()),
                            Values::Range { min, max, .. } => (min, max),
                            Values::List(_) => (f64::NAN, f64::NAN),
                        };
                        OatEffect {
                            baseline_output: f(e.baseline),
                            high: f(high),
                            low: f(low),
                            output_at_high: f(e.at_high),
                            output_at_low: f(e.at_low),
                            parameter: name.clone(),
                        }
                    })
                    .collect(),
            ),
            Design::Morris { .. } => {
                let design = morris_design.as_ref().expect("a Morris design was built");
                Effects::Morris(
                    morris::effects(design, &y)
                        .map_err(Error::Failed)?
                        .iter()
                        .zip(&names)
                        .map(|(e, name)| MorrisEffect {
                            mu: f(e.mu),
                            mu_star: f(e.mu_star),
                            parameter: name.clone(),
                            sigma: f(e.sigma),
                        })
                        .collect(),
                )
            }
            _ => Effects::Sobol(
                sobol::indices(k, &y, CONFIDENCE, sweep.seed)
                    .map_err(Error::Failed)?
                    .iter()
                    .zip(&names)
                    .map(|(s, name)| SobolEffect {
                        first: f(s.first),
                        first_high: f(s.first_high),
                        first_low: f(s.first_low),
                        parameter: name.clone(),
                        total: f(s.total),
                        total_high: f(s.total_high),
                        total_low: f(s.total_low),
                    })
                    .collect(),
            ),
        };
        out.push(MetricEffects {
            effects,
            metric: info.name,
            unit: info.unit.to_string(),
        });
    }
    Ok(Some(SensitivityFile {
        confidence: CONFIDENCE,
        method,
        metrics: out,
        parameters: names,
    }))
}

/// The directory among `sources` that holds design point `p`'s committed row, checked
/// whole against its recorded checksums ([`verify_point`]); a damaged row is an error
/// naming its file.
fn committed(sources: &[PathBuf], p: usize, fields: usize) -> Result<PathBuf, Error> {
    let dir = sources
        .iter()
        .find(|d| row_path(d, p).exists())
        .ok_or_else(|| Error::Input(format!("design point {p} has no results in {}", describe(sources))))?;
    verify_point(dir, p, fields).map_err(|why| {
        Error::Input(format!(
            "design point {p} is damaged: {why}; resume the sweep in {} to run it again",
            dir.display()
        ))
    })?;
    Ok(dir.clone())
}

fn describe(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Merges the directories of a sharded sweep into `out`: checks that the shards belong
/// to one sweep and cover it, then writes exactly what an unsharded run writes. Gives
/// the number of shards and of design points. An `out` that already holds results is
/// replaced only when `force` is set; `bom` starts points.csv with a UTF-8 byte-order mark.
pub fn merge(out: &Path, shards: &[PathBuf], bom: bool, force: bool) -> Result<(usize, usize), Error> {
    if shards.is_empty() {
        return Err(Error::Input("no shard directories to merge".to_string()));
    }
    let plans: Vec<Plan> = shards.iter().map(|d| read_plan(d)).collect::<Result<_, _>>()?;
    let first = &plans[0];
    let n = first.shard.map_or(1, |(_, n)| n);
    let mut seen = vec![false; n];
    for (dir, plan) in shards.iter().zip(&plans) {
        let same = Plan {
            shard: first.shard,
            excel: first.excel,
            no_bom: first.no_bom,
            sweep_file: first.sweep_file.clone(),
            ..plan.clone()
        };
        if &same != first || plan.shard.map_or(1, |(_, m)| m) != n {
            return Err(Error::Input(format!(
                "{} belongs to another sweep than {} (its plan differs)",
                dir.display(),
                shards[0].display()
            )));
        }
        let k = plan.shard.map_or(0, |(k, _)| k);
        if std::mem::replace(&mut seen[k], true) {
            return Err(Error::Input(format!("shard {k} is given twice")));
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(Error::Input(format!("shard {missing} of {n} is missing from the list")));
    }
    let loaded = load(&first.sweep_file)?;
    if sha256_hex(&loaded.sweep_bytes) != first.sweep_sha256 || sha256_hex(&loaded.base_bytes) != first.scenario_sha256
    {
        return Err(Error::Input(format!(
            "the sweep or scenario file has changed since the shards ran ({})",
            first.sweep_file.display()
        )));
    }
    for dir in shards {
        if let Some(holder) = super::lock::holder(dir) {
            return Err(Error::Locked {
                dir: dir.clone(),
                holder,
            });
        }
    }
    let fields = header_fields(&loaded.header);
    let sources = (0..first.points)
        .map(|p| committed(shards, p, fields))
        .collect::<Result<Vec<_>, _>>()?;
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(dir) = shards.iter().find(|d| same(d, out)) {
        return Err(Error::Input(format!(
            "{} is both a shard and the merged output; merge into another directory",
            dir.display()
        )));
    }
    let _lock = open_output_dir(out, "feidi merge")?;
    check_no_results(
        out,
        force,
        &[
            Manifest::NAME,
            "points.csv",
            PLAN,
            "summary.json",
            "compare.json",
            "calibration.json",
        ],
        "results (manifest.json, points.csv or another result file)",
    )?;
    check_writable(out)?;
    if force {
        super::remove_own_results(out)?;
    }
    let whole = Plan {
        shard: None,
        no_bom: !bom,
        ..first.clone()
    };
    // The plan of the whole sweep, as an unsharded run writes it, so that readers know
    // the merged directory as a sweep.
    whole
        .write(out)
        .map_err(|e| Error::Failed(format!("cannot write {}: {e}", out.join(PLAN).display())))?;
    std::fs::create_dir_all(out.join(SERIES))
        .map_err(|e| Error::Failed(format!("cannot create {}: {e}", out.join(SERIES).display())))?;
    for (p, source) in sources.iter().enumerate() {
        let from = series_path(source, p);
        let bytes = std::fs::read(&from).map_err(|e| Error::Failed(format!("cannot read {}: {e}", from.display())))?;
        write_atomic(&series_path(out, p), &bytes)
            .map_err(|e| Error::Failed(format!("cannot write {}: {e}", series_path(out, p).display())))?;
    }
    assemble(&loaded, &whole, out, shards, bom)?;
    Ok((n, first.points))
}
