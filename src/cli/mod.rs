//! The `feidi` command line: argument parsing and the commands. This is the only module
//! that touches the terminal, and with `output` the only one that touches files.

use crate::model::metrics;
use crate::model::Prepared;
use crate::results::{summary_table, RunReport};
use crate::runner::{self, RunSettings};
use crate::scenario::{Diagnostics, Scenario};
mod calibrate;
mod compare;
mod discover;
mod sweep;

use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Simulate science-and-technology enclaves (科创飞地): projects scouted in a host city,
/// incubated there, and landed — or lost — at home.
#[derive(Parser, Debug)]
#[command(name = "feidi", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run replications of a scenario and write summary.json, series.csv and manifest.json.
    Run(RunArgs),
    /// Check scenario, sweep and calibration files and report every problem with its location.
    Validate {
        /// Scenario, sweep or calibration files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run every design point of a sweep file and write points.csv and manifest.json.
    Sweep(SweepArgs),
    /// Compare alternatives (scenario files) on common random numbers: each one's means,
    /// paired differences with confidence intervals, wins, and a ranking.
    Compare(compare::CompareArgs),
    /// Combine the directories of a sharded sweep into what an unsharded run writes.
    Merge {
        /// The combined results directory.
        #[arg(long)]
        out: PathBuf,
        /// The shards' results directories.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Start points.csv with a UTF-8 byte-order mark, so that Excel shows Chinese text.
        #[arg(long)]
        excel: bool,
    },
    /// Draw the charts of a run, sweep, comparison or calibration directory (PNG and SVG
    /// in DIR/charts/), from its result files alone.
    Plot(PlotArgs),
    /// Write DIR/report.html: one self-contained page with the summary, every chart, the
    /// assumptions and the method (charts are drawn too).
    Report(PlotArgs),
    /// Find the region of a finished sweep's parameters where conditions on the results
    /// hold (PRIM scenario discovery); writes discovery.json.
    Discover(discover::DiscoverArgs),
    /// Find the settings that reproduce reported figures (ABC-SMC); write posterior.csv
    /// and calibration.json.
    Calibrate(calibrate::CalibrateArgs),
    /// Measure model events per second of one replication's event loop (set-up excluded).
    Bench {
        /// The scenario to time.
        #[arg(default_value = "scenarios/bench/four-stage.toml")]
        scenario: PathBuf,
        /// How many timed runs.
        #[arg(long, default_value_t = 5)]
        runs: u32,
        /// Master seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// `feidi sweep SWEEP.toml`, `feidi sweep resume DIR`, `feidi sweep plan SWEEP.toml`.
#[derive(clap::Args, Debug)]
pub(crate) struct SweepArgs {
    /// A sweep file to run; or `resume` followed by a results directory; or `plan`
    /// followed by a sweep file.
    #[arg(required = true, num_args = 1..=2, value_names = ["SWEEP | resume DIR | plan SWEEP"])]
    words: Vec<PathBuf>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(short, long)]
    threads: Option<usize>,
    /// Output directory (default: results/<sweep name>).
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Replace results already in the output directory.
    #[arg(long)]
    force: bool,
    /// Start points.csv with a UTF-8 byte-order mark, so that Excel shows Chinese text.
    #[arg(long)]
    excel: bool,
    /// Run only shard K of N (points p with p mod N = K, K from 0); taken from
    /// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, JOB_COMPLETION_INDEX/JOB_COMPLETIONS or
    /// PBS_ARRAY_INDEX/PBS_ARRAY_COUNT when those are set.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
}

/// `feidi plot DIR` and `feidi report DIR`.
#[derive(clap::Args, Debug)]
pub(crate) struct PlotArgs {
    /// A results directory written by run, sweep, compare or calibrate.
    dir: PathBuf,
    /// Language of labels and titles: en or zh.
    #[arg(long, default_value = "en", value_parser = crate::plot::Lang::parse)]
    lang: crate::plot::Lang,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// The scenario file (TOML).
    scenario: PathBuf,
    /// Number of Monte Carlo replications.
    #[arg(short = 'n', long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=crate::engine::rng::MAX_REPLICATIONS))]
    replications: u64,
    /// Master seed: the same seed gives byte-identical results.
    #[arg(short, long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(short, long)]
    threads: Option<usize>,
    /// Output directory (default: results/<scenario name>).
    #[arg(short, long)]
    out: Option<PathBuf>,
    /// Print summary.json to standard output instead of the table.
    #[arg(long)]
    json: bool,
    /// Replace results already in the output directory.
    #[arg(long)]
    force: bool,
    /// Also draw the charts and write report.html in the output directory.
    #[arg(long)]
    report: bool,
    /// Language of the charts and report: en or zh.
    #[arg(long, default_value = "en", value_parser = crate::plot::Lang::parse)]
    lang: crate::plot::Lang,
    /// Re-run one replication alone, given as POINT:REPLICATION (or REPLICATION for
    /// point 0), and print its totals; writes no files.
    #[arg(long, value_name = "POINT:REP", value_parser = parse_replay)]
    replay: Option<(u32, u64)>,
    /// Stop early, in whole blocks of 64 replications, once METRIC's 95 % confidence
    /// half-width is at or below HALFWIDTH (repeatable: every target must be met);
    /// --replications is then the cap.
    #[arg(long, value_name = "METRIC=HALFWIDTH", value_parser = parse_precision)]
    precision: Vec<(String, f64)>,
}

/// Parses `METRIC=HALFWIDTH` of `--precision`.
pub(crate) fn parse_precision(text: &str) -> Result<(String, f64), String> {
    let (metric, width) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not METRIC=HALFWIDTH, such as landing_rate=0.01"))?;
    let width: f64 = width.trim().parse().map_err(|_| {
        format!(
            "`{}` is not a number (the target 95 % confidence half-width)",
            width.trim()
        )
    })?;
    if !(width.is_finite() && width > 0.0) {
        return Err(format!("the target half-width must be a number above 0, found {width}"));
    }
    Ok((metric.trim().to_string(), width))
}

/// Resolves `--precision` metric names to indices in `names`, with a suggestion for a
/// misspelt one.
pub(crate) fn precision_targets(
    precision: &[(String, f64)],
    names: &[metrics::MetricInfo],
    what: &str,
) -> Result<Vec<(usize, f64)>, Failure> {
    precision
        .iter()
        .map(|(name, target)| {
            let index = names.iter().position(|m| &m.name == name).ok_or_else(|| {
                let hint = crate::scenario::nearest(name, names.iter().map(|m| m.name.as_str()))
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
                Failure::Input(format!("--precision {name}={target}: {what} no metric `{name}`{hint}"))
            })?;
            Ok((index, *target))
        })
        .collect()
}

/// The stopping-rule record for `targets` (indices into `names`), with the half-width
/// each reached.
pub(crate) fn stopping_record(
    names: &[metrics::MetricInfo],
    targets: &[(usize, f64)],
    reached: impl Fn(usize) -> f64,
    cap: u64,
    replications: u64,
    stop: runner::Stop,
) -> crate::results::Stopping {
    crate::results::Stopping {
        cap,
        replications,
        met: stop == runner::Stop::Met,
        targets: targets
            .iter()
            .map(|&(m, target)| {
                let r = reached(m);
                crate::results::StoppingTarget {
                    metric: names[m].name.clone(),
                    half_width: target,
                    reached: r.is_finite().then_some(r),
                }
            })
            .collect(),
    }
}

/// The failure of a run's replication, with the command that re-runs it alone.
pub(crate) fn replication_failure(e: runner::ReplicationFailure) -> Failure {
    Failure::Runtime(format!(
        "{e}\n  re-run it alone with: feidi run SCENARIO --seed {} --replay {}:{}",
        e.seed, e.point, e.replication
    ))
}

fn parse_replay(text: &str) -> Result<(u32, u64), String> {
    let (point, replication) = match text.split_once(':') {
        Some((p, r)) => (p, r),
        None => ("0", text),
    };
    let point = point
        .trim()
        .parse()
        .map_err(|_| format!("`{point}` is not a design point number"))?;
    let replication = replication
        .trim()
        .parse()
        .map_err(|_| format!("`{replication}` is not a replication number"))?;
    Ok((point, replication))
}

/// A failure, with the exit code it deserves.
#[derive(Debug)]
pub enum Failure {
    /// Bad input (a scenario file or an argument): exit code 2.
    Input(String),
    /// Something went wrong while working (an unwritable directory): exit code 1.
    Runtime(String),
    /// The user stopped the work (Ctrl-C); finished work is kept: exit code 130.
    Interrupted(String),
}

impl Failure {
    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Input(_) => 2,
            Failure::Runtime(_) => 1,
            Failure::Interrupted(_) => 130,
        }
    }

    /// The message for standard error.
    pub fn message(&self) -> &str {
        match self {
            Failure::Input(m) | Failure::Runtime(m) | Failure::Interrupted(m) => m,
        }
    }
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Input(d.to_string())
    }
}

/// Writes to standard output; a reader that has gone away (`feidi run ... | head`) is
/// not an error worth a panic, so output just stops.
pub(crate) fn say(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Runtime(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Runs the parsed command line.
pub fn main(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run(args),
        Command::Validate { files } => validate(&files),
        Command::Sweep(args) => sweep::command(args),
        Command::Compare(args) => compare::command(args),
        Command::Merge { out, shards, excel } => sweep::merge(&out, &shards, excel),
        Command::Plot(args) => plot(&args),
        Command::Report(args) => write_report(&args).map(|_| ()),
        Command::Discover(args) => discover::command(args),
        Command::Bench { scenario, runs, seed } => bench(&scenario, runs, seed),
        Command::Calibrate(args) => calibrate::command(args),
    }
}

impl From<crate::plot::PlotError> for Failure {
    fn from(e: crate::plot::PlotError) -> Self {
        use crate::plot::PlotError;
        match e {
            PlotError::Input(_) | PlotError::NotResults(_) => Failure::Input(e.to_string()),
            PlotError::Draw(_) | PlotError::Write { .. } => Failure::Runtime(e.to_string()),
        }
    }
}

fn plot(args: &PlotArgs) -> Result<(), Failure> {
    let files = crate::plot::plot(&args.dir, args.lang)?;
    say(&format!(
        "{} charts (PNG and SVG) in {}\n",
        files.len(),
        crate::plot::charts_dir(&args.dir).display()
    ))
}

fn write_report(args: &PlotArgs) -> Result<PathBuf, Failure> {
    let path = crate::report::report(&args.dir, args.lang)?;
    say(&format!("report: {}\n", path.display()))?;
    Ok(path)
}

fn bench(path: &Path, runs: u32, seed: u64) -> Result<(), Failure> {
    let (scenario, _) = Scenario::from_file(path)?;
    let prepared = Prepared::new(&scenario);
    let mut rates = Vec::new();
    for run in 0..runs.max(1) {
        let key = crate::engine::rng::StreamKey {
            seed,
            point: 0,
            replication: run as u64,
        };
        let (outcome, loop_time) = prepared.simulate_timed(key);
        let rate = outcome.events as f64 / loop_time.as_secs_f64().max(1e-12);
        say(&format!(
            "run {run}: model events {}  loop {:.4} s  {:.2} M events/s\n",
            outcome.events,
            loop_time.as_secs_f64(),
            rate / 1e6
        ))?;
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    say(&format!(
        "median {:.2} M events/s over {} runs of {}\n",
        rates[rates.len() / 2] / 1e6,
        rates.len(),
        scenario.name
    ))
}

fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut problems = Vec::new();
    for file in files {
        if sweep::is_sweep_file(file) {
            match sweep::check(file) {
                Ok(text) => say(&text)?,
                Err(e) => problems.push(e.message().to_string()),
            }
            continue;
        }
        if calibrate::is_calibration_file(file) {
            match calibrate::check(file) {
                Ok(text) => say(&text)?,
                Err(e) => problems.push(e.message().to_string()),
            }
            continue;
        }
        match Scenario::from_file(file) {
            Ok((scenario, _)) => say(&format!(
                "{}: ok — scenario \"{}\": {} cities, {} enclaves, {} stages\n",
                file.display(),
                scenario.name,
                scenario.cities.len(),
                scenario.enclaves.len(),
                scenario.stages.len()
            ))?,
            Err(d) => problems.push(d.to_string()),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(problems.join("\n")))
    }
}

fn run(args: RunArgs) -> Result<(), Failure> {
    let (scenario, bytes) = Scenario::from_file(&args.scenario)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("results").join(&scenario.name));
    if let Some((point, replication)) = args.replay {
        return replay(&scenario, args.seed, point, replication);
    }
    let totals = metrics::totals_for(&scenario);
    let targets = precision_targets(&args.precision, &totals, "the scenario reports")?;
    guard_work(scenario.expected_candidates(), args.replications, args.force)?;
    prepare_output_dir(&out, args.force)?;
    let pool = thread_pool(args.threads)?;
    let prepared = Prepared::new(&scenario);
    let settings = RunSettings {
        seed: args.seed,
        point: 0,
        replications: args.replications,
    };
    let progress = Progress::new(args.replications);
    let started = Instant::now();
    let rule = runner::Precision::new(targets);
    let (results, stop) =
        runner::run(&pool, &prepared, settings, &rule, &|done| progress.update(done)).map_err(replication_failure)?;
    let stopping = if rule.targets.is_empty() {
        None
    } else {
        let record = stopping_record(
            &totals,
            &rule.targets,
            |m| results.totals[m].half_width(rule.confidence),
            args.replications,
            results.replications,
            stop,
        );
        Some(record)
    };
    progress.finish();
    let elapsed = started.elapsed();

    let series = metrics::series(&scenario);
    let file = args.scenario.display().to_string();
    let report = RunReport {
        scenario_name: &scenario.name,
        scenario_title: &scenario.title,
        scenario_file: &file,
        scenario_bytes: &bytes,
        seed: args.seed,
        horizon_months: scenario.horizon,
        bin_months: scenario.bin_width,
        totals: &totals,
        series: &series,
        results: &results,
        stopping: stopping.as_ref(),
    };
    report
        .write(&out)
        .map_err(|e| Failure::Runtime(format!("cannot write results to {}: {e}", out.display())))?;
    if args.json {
        say(&report.summary_json())?;
    } else {
        // Metrics of mechanisms the scenario does not use are zero throughout: the
        // table leaves them out (summary.json keeps every one).
        let (rows, hidden): (Vec<_>, Vec<_>) = totals
            .iter()
            .zip(&results.totals)
            .enumerate()
            .map(|(i, (info, a))| (i, info, a.summary(crate::results::CONFIDENCE)))
            .partition(|(i, _, s)| *i <= metrics::total::SEAT_MONTHS || s.min != 0.0 || s.max != 0.0);
        let rows: Vec<_> = rows.into_iter().map(|(_, info, s)| (info, s)).collect();
        let note = if hidden.is_empty() {
            String::new()
        } else {
            format!(
                "({} metrics zero in every replication are left out here; see summary.json)\n",
                hidden.len()
            )
        };
        let stopped = stopping.as_ref().map_or(String::new(), |s| s.describe());
        say(&format!(
            "{} — {} replications, seed {}\n{}{note}{stopped}{:.1} s, {:.2} million model events per second; results in {}\n",
            scenario.title,
            results.replications,
            args.seed,
            summary_table(&rows),
            elapsed.as_secs_f64(),
            results.events as f64 / elapsed.as_secs_f64().max(1e-9) / 1e6,
            out.display()
        ))?;
    }
    if args.report {
        write_report(&PlotArgs {
            dir: out,
            lang: args.lang,
        })?;
    }
    Ok(())
}

/// Model events per second per thread assumed for estimates: the reference model's
/// measured speed on a modest machine (BENCHMARKS.md), rounded down.
const EVENTS_PER_SECOND: f64 = 5e6;
/// Model events per candidate assumed for estimates: an arrival and about four stages.
const EVENTS_PER_CANDIDATE: f64 = 5.0;
/// Longest estimated run accepted without `--force`.
const MAX_ESTIMATED_HOURS: f64 = 24.0;

/// Refuses, with the estimate, a run whose expected work is absurd, unless forced.
pub(crate) fn guard_work(candidates_per_replication: f64, replications: u64, force: bool) -> Result<(), Failure> {
    let events = candidates_per_replication * EVENTS_PER_CANDIDATE * replications as f64;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let hours = events / EVENTS_PER_SECOND / threads / 3600.0;
    if hours > MAX_ESTIMATED_HOURS && !force {
        return Err(Failure::Input(format!(
            "this run would handle about {events:.2e} model events ({candidates_per_replication:.2e} candidates per replication × {replications} replications), \
             roughly {hours:.0} hours on {threads} threads; reduce the replications or the horizon, or add --force to run it anyway"
        )));
    }
    Ok(())
}

/// Runs one replication alone and prints its totals.
fn replay(scenario: &Scenario, seed: u64, point: u32, replication: u64) -> Result<(), Failure> {
    let prepared = Prepared::new(scenario);
    let key = crate::engine::rng::StreamKey {
        seed,
        point,
        replication,
    };
    let outcome = runner::run_one(&prepared, key).map_err(|e| Failure::Runtime(e.to_string()))?;
    let mut text = format!("replication {replication} of design point {point}, seed {seed}\n");
    for (info, value) in metrics::totals_for(scenario).iter().zip(&outcome.totals) {
        text.push_str(&format!(
            "{:<28} {:>16} {}\n",
            info.name,
            crate::results::figure(*value),
            info.unit
        ));
    }
    say(&text)
}

/// A pool of `threads` workers (all cores when `None`).
pub(crate) fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Failure> {
    let threads = threads.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Failure::Runtime(format!("cannot start {threads} worker threads: {e}")))
}

/// Creates the output directory and checks it is writable before any work starts; a
/// directory that already holds results is replaced only with `--force`.
pub(crate) fn prepare_output_dir(dir: &Path, force: bool) -> Result<(), Failure> {
    if !force && dir.join("manifest.json").exists() {
        return Err(Failure::Input(format!(
            "{} already holds results (manifest.json); choose another --out or add --force to replace them",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Runtime(format!("cannot create output directory {}: {e}", dir.display())))?;
    let probe = dir.join(format!(".feidi-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| Failure::Runtime(format!("output directory {} is not writable: {e}", dir.display())))
}

/// Progress on standard error: a live counter on a terminal, a line every few seconds
/// in a log, nothing for short runs.
struct Progress {
    total: u64,
    terminal: bool,
    started: Instant,
    last: std::sync::Mutex<Instant>,
}

impl Progress {
    fn new(total: u64) -> Self {
        let now = Instant::now();
        Progress {
            total,
            terminal: std::io::stderr().is_terminal(),
            started: now,
            last: std::sync::Mutex::new(now),
        }
    }

    fn update(&self, done: u64) {
        let every = if self.terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(10)
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.elapsed() < every || done >= self.total {
            return;
        }
        *last = Instant::now();
        let elapsed = self.started.elapsed().as_secs_f64();
        let eta = elapsed / done.max(1) as f64 * (self.total - done) as f64;
        let line = format!(
            "{done}/{} replications, {:.0}%, about {eta:.0} s left",
            self.total,
            100.0 * done as f64 / self.total as f64
        );
        if self.terminal {
            eprint!("\r{line}   ");
        } else {
            eprintln!("{line}");
        }
    }

    fn finish(&self) {
        if self.terminal && self.started.elapsed() > Duration::from_millis(200) {
            eprint!("\r{}\r", " ".repeat(60));
        }
    }
}
