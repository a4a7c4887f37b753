//! `feidi sweep`, `feidi sweep resume`, `feidi sweep plan` and `feidi merge`.
//!
//! A sweep's results directory holds its plan (what is being run, with the hashes of the
//! sweep and scenario files) and one row file per finished design point, each written
//! whole and renamed into place. Killing the process loses at most the points in
//! progress; `resume` runs only the missing ones; shards write the same row files for
//! their share of the points, and `merge` assembles them. The final points.csv is built
//! from the row files in point order, so every route gives the same bytes.

use super::{guard_work, prepare_output_dir, say, thread_pool, Failure, SweepArgs};
use crate::model::{metrics, Prepared};
use crate::results::sensitivity::{
    Effects, Method, MetricEffects, MorrisEffect, OatEffect, SensitivityFile, SobolEffect,
};
use crate::results::SweepPlan as Plan;
use crate::results::{points, sha256_hex, write_atomic, FileRecord, Manifest, ResultFile, Study, CONFIDENCE};
use crate::runner::{self, RunSettings};
use crate::scenario::Scenario;
use crate::sweep::{apply, Sweep};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PLAN: &str = Plan::NAME;
const ROWS: &str = "rows";
const SERIES: &str = "series";

/// Set by Ctrl-C: run no further design points.
static STOP: AtomicBool = AtomicBool::new(false);

/// A sweep file with its base scenario, every point validated.
struct Loaded {
    path: PathBuf,
    sweep: Sweep,
    sweep_bytes: Vec<u8>,
    base: toml::Table,
    base_bytes: Vec<u8>,
    first: Scenario,
    header: String,
    expected_candidates: f64,
}

/// The base scenario with a design point's values set, validated; errors name the point.
fn point_scenario(base: &toml::Table, sweep: &Sweep, point: usize) -> Result<Scenario, String> {
    let label = &sweep.points[point].label;
    let name = format!("{} (point {point}, {label})", sweep.scenario.display());
    let mut doc = base.clone();
    for (parameter, value) in sweep.parameters.iter().zip(&sweep.points[point].values) {
        if let Some(value) = value {
            apply(&mut doc, &parameter.path, value.clone())
                .map_err(|why| format!("error: {name}: {} = {value}: {why}", parameter.path))?;
        }
    }
    let text = toml::to_string(&doc).map_err(|e| format!("error: {name}: cannot write the point's scenario: {e}"))?;
    Scenario::from_toml(&name, &text).map_err(|d| d.to_string())
}

fn load(path: &Path) -> Result<Loaded, Failure> {
    let (sweep, sweep_bytes) = Sweep::from_file(path)?;
    let (_, base_bytes) = Scenario::from_file(&sweep.scenario)?;
    let text = std::str::from_utf8(&base_bytes).unwrap_or_default();
    let base: toml::Table =
        toml::from_str(text).map_err(|e| Failure::Input(format!("{}: {e}", sweep.scenario.display())))?;
    // Every point is validated before any runs: a night's work never stops at point 700.
    let mut problems = Vec::new();
    let mut expected_candidates = 0.0;
    for p in 0..sweep.points.len() {
        match point_scenario(&base, &sweep, p) {
            Ok(sc) => expected_candidates += sc.expected_candidates(),
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Input(problems.join("\n")));
    }
    let first = point_scenario(&base, &sweep, 0).map_err(Failure::Input)?;
    let parameters: Vec<String> = sweep.parameters.iter().map(|p| p.path.to_string()).collect();
    let header = points::header(&parameters, &metrics::totals_for(&first));
    Ok(Loaded {
        path: path.to_path_buf(),
        sweep,
        sweep_bytes,
        base,
        base_bytes,
        first,
        header,
        expected_candidates,
    })
}

/// Whether `path` looks like a sweep file (it has a top-level `[sweep]` table).
pub(super) fn is_sweep_file(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.split(|&b| b == b'\n').any(|line| line.trim_ascii() == b"[sweep]"))
}

/// `feidi validate` for a sweep file: the file, its base scenario and every point.
pub(super) fn check(path: &Path) -> Result<String, Failure> {
    let loaded = load(path)?;
    Ok(format!(
        "{}: ok — sweep \"{}\": {} design points × {} replications of {}\n",
        path.display(),
        loaded.sweep.name,
        loaded.sweep.points.len(),
        loaded.sweep.replications,
        loaded.sweep.scenario.display()
    ))
}

/// Shard K of N from `--shard K/N` or a scheduler's environment.
fn shard(flag: Option<&str>) -> Result<Option<(usize, usize)>, Failure> {
    let env = |k: &str| std::env::var(k).ok();
    let (k, n, from) = match flag {
        Some(text) => {
            let (k, n) = text
                .split_once('/')
                .ok_or_else(|| Failure::Input(format!("--shard takes K/N, found `{text}`")))?;
            (k.to_string(), n.to_string(), "--shard")
        }
        None => match [
            ("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT"),
            ("JOB_COMPLETION_INDEX", "JOB_COMPLETIONS"),
            ("PBS_ARRAY_INDEX", "PBS_ARRAY_COUNT"),
        ]
        .iter()
        .find_map(|(k, n)| Some((env(k)?, env(n)?, *k)))
        {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    let parse = |s: &str| {
        s.trim()
            .parse::<usize>()
            .map_err(|_| Failure::Input(format!("{from}: `{s}` is not a whole number")))
    };
    let (k, n) = (parse(&k)?, parse(&n)?);
    if n == 0 || k >= n {
        return Err(Failure::Input(format!(
            "{from}: shard {k} of {n} does not exist (shards count from 0 to N-1; for Slurm use --array=0-{})",
            n.saturating_sub(1)
        )));
    }
    Ok(Some((k, n)))
}

fn read_plan(dir: &Path) -> Result<Plan, Failure> {
    if !dir.join(PLAN).is_file() {
        return Err(Failure::Input(format!(
            "{} is not a sweep's results directory (it has no {PLAN})",
            dir.display()
        )));
    }
    Plan::read(dir).map_err(|e| Failure::Input(e.to_string()))
}

/// Runs `feidi sweep ...`.
pub(super) fn command(args: SweepArgs) -> Result<(), Failure> {
    let words: Vec<&str> = args.words.iter().map(|w| w.to_str().unwrap_or("")).collect();
    match words.as_slice() {
        ["plan", _] => plan(&args.words[1]),
        ["resume", _] => resume(&args.words[1], args.threads),
        [_] => start(&args),
        _ => Err(Failure::Input(
            "usage: feidi sweep SWEEP.toml | feidi sweep resume DIR | feidi sweep plan SWEEP.toml".to_string(),
        )),
    }
}

/// `feidi sweep plan`: the size of the sweep and a time estimate from a short trial.
fn plan(path: &Path) -> Result<(), Failure> {
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
    )
    .map_err(|e| Failure::Runtime(e.to_string()))?;
    let per_replication = started.elapsed().as_secs_f64() / trial as f64;
    let runs = sweep.points.len() as u64 * sweep.replications;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let estimate = per_replication * runs as f64 / threads as f64;
    say(&format!(
        "{}: {} design points × {} replications = {runs} runs; about {} on {threads} threads \
         (from a trial of {trial} replications of point 0)\n",
        sweep.name,
        sweep.points.len(),
        sweep.replications,
        duration_text(estimate)
    ))
}

fn duration_text(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{seconds:.0} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

fn start(args: &SweepArgs) -> Result<(), Failure> {
    let loaded = load(&args.words[0])?;
    let shard = shard(args.shard.as_deref())?;
    // One replication of every point is the sweep's unit of work.
    guard_work(loaded.expected_candidates, loaded.sweep.replications, args.force)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(&loaded.sweep.name));
    if out.join(PLAN).exists() && !args.force {
        return Err(Failure::Input(format!(
            "{} holds a sweep already; continue it with `feidi sweep resume {}`, or add --force to start over",
            out.display(),
            out.display()
        )));
    }
    prepare_output_dir(&out, args.force)?;
    if args.force {
        // Starting over: earlier rows must not be mistaken for this run's.
        let _ = std::fs::remove_dir_all(out.join(ROWS));
        let _ = std::fs::remove_file(out.join(PLAN));
    }
    let plan = Plan {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        sweep_file: std::fs::canonicalize(&loaded.path).unwrap_or(loaded.path.clone()),
        sweep_sha256: sha256_hex(&loaded.sweep_bytes),
        scenario_sha256: sha256_hex(&loaded.base_bytes),
        seed: loaded.sweep.seed,
        replications_per_point: loaded.sweep.replications,
        points: loaded.sweep.points.len(),
        shard,
        excel: args.excel,
    };
    plan.write(&out)
        .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", out.join(PLAN).display())))?;
    run(&loaded, &plan, &out, args.threads)
}

fn resume(dir: &Path, threads: Option<usize>) -> Result<(), Failure> {
    let plan = read_plan(dir)?;
    let loaded = load(&plan.sweep_file)?;
    let check = |what: &str, then: &str, now: String| {
        if then == now {
            Ok(())
        } else {
            Err(Failure::Input(format!(
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
    run(&loaded, &plan, dir, threads)
}

fn row_path(dir: &Path, point: usize) -> PathBuf {
    dir.join(ROWS).join(format!("{point:08}.csv"))
}

fn series_path(dir: &Path, point: usize) -> PathBuf {
    dir.join(SERIES).join(format!("{point:08}.csv"))
}

/// Runs the points of `plan` that have no row yet, then assembles the results (for a
/// whole sweep; a shard waits for `feidi merge`).
fn run(loaded: &Loaded, plan: &Plan, dir: &Path, threads: Option<usize>) -> Result<(), Failure> {
    let sweep = &loaded.sweep;
    for sub in [ROWS, SERIES] {
        std::fs::create_dir_all(dir.join(sub))
            .map_err(|e| Failure::Runtime(format!("cannot create {}: {e}", dir.join(sub).display())))?;
    }
    let mine = |p: &usize| plan.shard.is_none_or(|(k, n)| p % n == k);
    let todo: Vec<usize> = (0..sweep.points.len())
        .filter(mine)
        .filter(|&p| !row_path(dir, p).exists())
        .collect();
    let total_mine = (0..sweep.points.len()).filter(mine).count();
    let already = total_mine - todo.len();
    if already > 0 {
        eprintln!(
            "{already} of {total_mine} design points already done; running the other {}",
            todo.len()
        );
    }
    let metric_names = metrics::totals_for(&loaded.first);
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    // A first Ctrl-C asks for a clean stop; the handler can be set once per process.
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::Relaxed) {
            std::process::exit(130);
        }
        eprintln!("\nstopping after the points in progress are abandoned; Ctrl-C again to quit at once");
    });
    let started = Instant::now();
    let done = AtomicUsize::new(0);
    let last_report = Mutex::new(Instant::now());
    let run_point = |p: usize| -> Result<(), Failure> {
        let scenario = point_scenario(&loaded.base, sweep, p).map_err(Failure::Input)?;
        if metrics::totals_for(&scenario) != metric_names {
            return Err(Failure::Input(format!(
                "point {p} reports other metrics than point 0 (a tax party differs?); points.csv needs the same columns for every point"
            )));
        }
        let prepared = Prepared::new(&scenario);
        // Sensitivity designs compare points, so every point runs on the streams of
        // point 0 (common random numbers); other designs keep one stream set per point.
        let stream_point = if sweep.design.common_random_numbers() {
            0
        } else {
            p as u32
        };
        let settings = RunSettings {
            seed: sweep.seed,
            point: stream_point,
            replications: sweep.replications,
        };
        let results = if sweep.precision.is_empty() {
            runner::run_serial(&prepared, settings)
        } else {
            let names = metrics::totals_for(&scenario);
            let targets: Vec<(usize, f64)> = sweep
                .precision
                .iter()
                .map(|(name, target)| {
                    let index = names.iter().position(|m| &m.name == name).ok_or_else(|| {
                        Failure::Input(format!(
                            "sweep.precision names `{name}`, which point {p} does not report"
                        ))
                    })?;
                    Ok((index, *target))
                })
                .collect::<Result<_, Failure>>()?;
            runner::run_until(&prepared, settings, &targets)
        }
        .map_err(|e| Failure::Runtime(e.to_string()))?;
        let summaries: Vec<_> = results.totals.iter().map(|a| a.summary(CONFIDENCE)).collect();
        let values: Vec<String> = sweep.points[p]
            .values
            .iter()
            .map(|v| match v {
                Some(toml::Value::String(s)) => s.clone(),
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
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", series_path(dir, p).display())))?;
        let row = points::row(p, &sweep.points[p].label, results.replications, &values, &summaries);
        write_atomic(&row_path(dir, p), row.as_bytes())
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", row_path(dir, p).display())))?;
        let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
        let mut last = last_report.lock().unwrap_or_else(|e| e.into_inner());
        // On a terminal a live line; in a log a line every few seconds.
        let every = if terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(5)
        };
        if last.elapsed() > every || finished == todo.len() {
            *last = Instant::now();
            let elapsed = started.elapsed().as_secs_f64();
            let left = elapsed / finished as f64 * (todo.len() - finished) as f64;
            let width = 30;
            let filled = width * finished / todo.len().max(1);
            let line = format!(
                "[{}{}] {finished}/{} design points, {elapsed:.0} s, about {} left",
                "#".repeat(filled),
                "-".repeat(width - filled),
                todo.len(),
                duration_text(left)
            );
            if terminal {
                eprint!("\r{line}   ");
                if finished == todo.len() {
                    eprintln!();
                }
            } else {
                eprintln!("{line}");
            }
        }
        Ok(())
    };
    let outcome: Result<(), Failure> = {
        use rayon::prelude::*;
        thread_pool(threads)?.install(|| {
            todo.par_iter().try_for_each(|&p| {
                // After Ctrl-C no new point starts; points in progress are abandoned.
                if STOP.load(Ordering::Relaxed) {
                    return Err(Failure::Interrupted(String::new()));
                }
                run_point(p)
            })
        })
    };
    if let Err(Failure::Interrupted(_)) = outcome {
        let kept = std::fs::read_dir(dir.join(ROWS)).map_or(0, |d| d.count());
        return Err(Failure::Interrupted(format!(
            "stopped: {kept} design points are done and kept in {}; continue with `feidi sweep resume {}`",
            dir.display(),
            dir.display()
        )));
    }
    outcome?;
    match plan.shard {
        Some((k, n)) => say(&format!(
            "shard {k} of {n}: {total_mine} design points in {}; combine the shards with `feidi merge --out DIR SHARD_DIR...`\n",
            dir.display()
        )),
        None => {
            assemble(loaded, plan, dir, &[dir.to_path_buf()], plan.excel)?;
            say(&format!(
                "{} design points × {} replications in {:.1} s; results in {}\n",
                sweep.points.len(),
                sweep.replications,
                started.elapsed().as_secs_f64(),
                dir.display()
            ))
        }
    }
}

/// Writes points.csv and manifest.json into `out` from the row files in `sources`.
fn assemble(loaded: &Loaded, plan: &Plan, out: &Path, sources: &[PathBuf], excel: bool) -> Result<(), Failure> {
    let mut csv = if excel { String::from("\u{feff}") } else { String::new() };
    csv.push_str(&loaded.header);
    for p in 0..plan.points {
        let row = sources
            .iter()
            .map(|d| row_path(d, p))
            .find(|path| path.exists())
            .ok_or_else(|| Failure::Input(format!("design point {p} has no results in {}", describe(sources))))?;
        let text = std::fs::read_to_string(&row)
            .map_err(|e| Failure::Runtime(format!("cannot read {}: {e}", row.display())))?;
        csv.push_str(&text);
    }
    let write = |name: &str, bytes: &[u8]| {
        write_atomic(&out.join(name), bytes)
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", out.join(name).display())))
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
fn sensitivity(loaded: &Loaded, csv: &str) -> Result<Option<SensitivityFile>, Failure> {
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
        .map_err(|why| Failure::Runtime(format!("cannot read back points.csv: {why}")))?;
    let names: Vec<String> = sweep.parameters.iter().map(|p| p.path.to_string()).collect();
    let k = names.len();
    let morris_design = match sweep.design {
        Design::Morris { trajectories, levels } => {
            Some(morris::design(k, trajectories, levels, sweep.seed).map_err(Failure::Input)?)
        }
        _ => None,
    };
    let mut out = Vec::new();
    for info in metrics::totals_for(&loaded.first) {
        let column = table
            .column(&format!("{}.mean", info.name))
            .ok_or_else(|| Failure::Runtime(format!("points.csv has no column {}.mean", info.name)))?;
        let y = table.numbers(column);
        let effects = match &sweep.design {
            Design::Oat { .. } => Effects::Oat(
                oat::effects(k, &y)
                    .map_err(Failure::Runtime)?
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
                        .map_err(Failure::Runtime)?
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
                    .map_err(Failure::Runtime)?
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

fn describe(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `feidi merge --out DIR SHARD_DIR...`: checks that the shards belong to one sweep and
/// cover it, then writes exactly what an unsharded run writes.
pub(super) fn merge(out: &Path, shards: &[PathBuf], excel: bool) -> Result<(), Failure> {
    let plans: Vec<Plan> = shards.iter().map(|d| read_plan(d)).collect::<Result<_, _>>()?;
    let first = &plans[0];
    let n = first.shard.map_or(1, |(_, n)| n);
    let mut seen = vec![false; n];
    for (dir, plan) in shards.iter().zip(&plans) {
        let same = Plan {
            shard: first.shard,
            excel: first.excel,
            sweep_file: first.sweep_file.clone(),
            ..plan.clone()
        };
        if &same != first || plan.shard.map_or(1, |(_, m)| m) != n {
            return Err(Failure::Input(format!(
                "{} belongs to another sweep than {} (its plan differs)",
                dir.display(),
                shards[0].display()
            )));
        }
        let k = plan.shard.map_or(0, |(k, _)| k);
        if std::mem::replace(&mut seen[k], true) {
            return Err(Failure::Input(format!("shard {k} is given twice")));
        }
    }
    if let Some(missing) = seen.iter().position(|s| !s) {
        return Err(Failure::Input(format!(
            "shard {missing} of {n} is missing from the list"
        )));
    }
    let loaded = load(&first.sweep_file)?;
    if sha256_hex(&loaded.sweep_bytes) != first.sweep_sha256 || sha256_hex(&loaded.base_bytes) != first.scenario_sha256
    {
        return Err(Failure::Input(format!(
            "the sweep or scenario file has changed since the shards ran ({})",
            first.sweep_file.display()
        )));
    }
    std::fs::create_dir_all(out).map_err(|e| Failure::Runtime(format!("cannot create {}: {e}", out.display())))?;
    let whole = Plan {
        shard: None,
        excel,
        ..first.clone()
    };
    std::fs::create_dir_all(out.join(SERIES))
        .map_err(|e| Failure::Runtime(format!("cannot create {}: {e}", out.join(SERIES).display())))?;
    for p in 0..first.points {
        let from = shards
            .iter()
            .map(|d| series_path(d, p))
            .find(|f| f.exists())
            .ok_or_else(|| Failure::Input(format!("design point {p} has no series in {}", describe(shards))))?;
        let bytes =
            std::fs::read(&from).map_err(|e| Failure::Runtime(format!("cannot read {}: {e}", from.display())))?;
        write_atomic(&series_path(out, p), &bytes)
            .map_err(|e| Failure::Runtime(format!("cannot write {}: {e}", series_path(out, p).display())))?;
    }
    assemble(&loaded, &whole, out, shards, excel)?;
    say(&format!(
        "{} shards merged: {} design points; results in {}\n",
        n,
        first.points,
        out.display()
    ))
}
