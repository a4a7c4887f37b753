//! The command line's words: commands, their flags, and the flag groups they share.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Simulate science-and-technology enclaves (科创飞地): projects scouted in a host city,
/// incubated there, and landed — or lost — at home.
#[derive(Parser, Debug)]
#[command(name = "feidi", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand, Debug)]
pub(super) enum Command {
    /// Run replications of a scenario and write summary.json, series.csv and manifest.json.
    Run(RunArgs),
    /// Check scenario, sweep and calibration files and report every problem with its location.
    Validate {
        /// Scenario, sweep or calibration files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run every design point of a sweep file (`feidi sweep run SWEEP.toml`, or just
    /// `feidi sweep SWEEP.toml`), continue one, estimate one, or merge its shards.
    Sweep(SweepCommand),
    /// Compare alternatives (scenario files) on common random numbers: each one's means,
    /// paired differences with confidence intervals, wins, and a ranking.
    Compare(CompareArgs),
    /// Combine the directories of a sharded sweep into what an unsharded run writes (the
    /// same as `feidi sweep merge`).
    Merge(MergeArgs),
    /// Draw the charts of a run, sweep, comparison or calibration directory (PNG and SVG
    /// in DIR/charts/), from its result files alone.
    Plot(PlotArgs),
    /// Write DIR/report.html: one self-contained page with the summary, every chart, the
    /// assumptions and the method (charts and the workbook results.xlsx are written too).
    /// Given several directories (or --out), write one combined report with a part per
    /// directory and a table of contents.
    Report(ReportArgs),
    /// Write DIR/results.xlsx (results.zh.xlsx with --lang zh): an Excel workbook of the
    /// results, numbers as numbers, from the result files alone.
    Workbook(PlotArgs),
    /// Find the region of a finished sweep's parameters where conditions on the results
    /// hold (PRIM scenario discovery); writes discovery.json.
    Discover(DiscoverArgs),
    /// Find the settings that reproduce reported figures (ABC-SMC); write posterior.csv
    /// and calibration.json.
    Calibrate(CalibrateArgs),
    /// Find the setting of a scenario's levers that gives the best objective under
    /// constraints (evolutionary search, then Kim–Nelson selection with a guarantee);
    /// write optimize.json and evaluations.csv.
    Optimize(OptimizeArgs),
    /// Start the what-if desk in a browser: a local web server on 127.0.0.1 (a free
    /// port unless --port), whose address is printed; nothing is opened by itself.
    Studio(StudioArgs),
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

/// `--threads`, shared by every command that simulates.
#[derive(Args, Debug, Clone, Copy)]
pub(super) struct Threads {
    /// Worker threads, 1 to 1024 (default: all cores). Results do not depend on it.
    #[arg(short, long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

impl Threads {
    /// The requested worker count, if any.
    pub fn count(self) -> Option<usize> {
        self.threads.map(usize::from)
    }
}

/// `--out` (optional) and `--force`, shared by commands that write a results directory.
#[derive(Args, Debug, Clone)]
pub(super) struct Output {
    /// Output directory (default: results/<name in the file>).
    #[arg(short, long)]
    pub out: Option<PathBuf>,
    /// Replace results already in the output directory (feidi's own files there are
    /// removed first).
    #[arg(long)]
    pub force: bool,
}

/// `--allow-long`, shared by commands that simulate many replications.
#[derive(Args, Debug, Clone, Copy)]
pub(super) struct WorkLimit {
    /// Run work estimated at over a day, which is otherwise refused with the estimate.
    #[arg(long)]
    pub allow_long: bool,
}

/// `--no-bom` (and the older `--excel`, now the default).
#[derive(Args, Debug, Clone, Copy)]
pub(super) struct Excel {
    /// Write points.csv and compare.csv without the UTF-8 byte-order mark they start
    /// with by default (the mark makes Excel read Chinese text right when the file is
    /// opened by double-click; tools that choke on it can do without).
    #[arg(long)]
    pub no_bom: bool,
    /// Accepted for older scripts: the byte-order mark is the default now.
    #[arg(long, hide = true, conflicts_with = "no_bom")]
    pub excel: bool,
}

impl Excel {
    /// Whether the CSV files meant for Excel start with a byte-order mark.
    pub fn bom(self) -> bool {
        !self.no_bom
    }
}

/// `--lang`.
#[derive(Args, Debug, Clone, Copy)]
pub(super) struct Language {
    /// Language of labels, titles and the report: en or zh.
    #[arg(long, default_value = "en", value_parser = crate::plot::Lang::parse)]
    pub lang: crate::plot::Lang,
}

/// `--seed` and `--precision`, shared by run and compare.
#[derive(Args, Debug, Clone)]
pub(super) struct Replicate {
    /// Master seed: the same seed gives byte-identical results.
    #[arg(short, long, default_value_t = 1)]
    pub seed: u64,
    /// Stop early, in whole blocks of 64 replications, once METRIC's 95 % confidence
    /// half-width (of each paired difference, for compare) is at or below HALFWIDTH
    /// (repeatable: every target must be met); --replications is then the cap.
    #[arg(long, value_name = "METRIC=HALFWIDTH", value_parser = parse_precision)]
    pub precision: Vec<(String, f64)>,
    /// How means and intervals are estimated: off (plain Monte Carlo), control (each
    /// total adjusted by internal control variates whose means feidi knows exactly), or
    /// auto (controls kept only for the totals whose interval they narrowed over the
    /// first 128 replications). --precision counts the interval of the method used.
    #[arg(long, value_name = "METHOD", default_value = "off", value_parser = parse_variance_reduction)]
    pub variance_reduction: crate::study::VarianceReduction,
}

/// Parses `--variance-reduction`.
fn parse_variance_reduction(text: &str) -> Result<crate::study::VarianceReduction, String> {
    crate::study::VarianceReduction::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = crate::study::VarianceReduction::ALL.iter().map(|m| m.name()).collect();
        format!("expected one of {}, found `{text}`", names.join(", "))
    })
}

#[derive(Args, Debug)]
pub(super) struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Number of Monte Carlo replications.
    #[arg(short = 'n', long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=crate::engine::rng::MAX_REPLICATIONS))]
    pub replications: u64,
    #[command(flatten)]
    pub replicate: Replicate,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub work: WorkLimit,
    /// Print summary.json to standard output instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Also draw the charts and write report.html and results.xlsx in the output directory.
    #[arg(long)]
    pub report: bool,
    #[command(flatten)]
    pub language: Language,
    /// Re-run one replication alone, given as POINT:REPLICATION (or REPLICATION for
    /// point 0), and print its totals; writes no files.
    #[arg(long, value_name = "POINT:REP", value_parser = parse_replay)]
    pub replay: Option<(u32, u64)>,
}

/// `feidi sweep ...`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(super) struct SweepCommand {
    #[command(subcommand)]
    pub action: Option<SweepAction>,
    /// `feidi sweep SWEEP.toml` is `feidi sweep run SWEEP.toml`.
    #[command(flatten)]
    pub run: SweepRunArgs,
}

#[derive(Subcommand, Debug)]
pub(super) enum SweepAction {
    /// Run every design point of a sweep file and write points.csv and manifest.json.
    Run(SweepRunArgs),
    /// Continue a stopped sweep in its results directory: only missing points run.
    Resume {
        /// The sweep's results directory.
        dir: PathBuf,
        #[command(flatten)]
        threads: Threads,
    },
    /// Print a sweep's size and an estimate of its time from a short trial.
    Plan {
        /// The sweep file.
        file: PathBuf,
    },
    /// Combine the directories of a sharded sweep into what an unsharded run writes.
    Merge(MergeArgs),
}

#[derive(Args, Debug)]
pub(super) struct SweepRunArgs {
    /// The sweep file (TOML).
    #[arg(required = true)]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub work: WorkLimit,
    #[command(flatten)]
    pub excel: Excel,
    /// Run only shard K of N (points p with p mod N = K, K from 0); taken from
    /// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, JOB_COMPLETION_INDEX/JOB_COMPLETIONS or
    /// PBS_ARRAY_INDEX/PBS_ARRAY_COUNT when those are set.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

#[derive(Args, Debug)]
pub(super) struct MergeArgs {
    /// The combined results directory.
    #[arg(long)]
    pub out: PathBuf,
    /// The shards' results directories.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Replace results already in the combined directory.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub excel: Excel,
}

/// `feidi report DIR [DIR …] [--out FILE_OR_DIR]`.
#[derive(Args, Debug)]
pub(super) struct ReportArgs {
    /// Results directories written by run, sweep, compare or calibrate: one gives
    /// DIR/report.html, several one combined report.
    #[arg(required = true, num_args = 1.., value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Where the combined report goes: a file ending in .html, or a directory that gets
    /// combined-report.html (combined-report.zh.html with --lang zh). Default: the current
    /// directory.
    #[arg(long, value_name = "FILE_OR_DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub language: Language,
}

/// `feidi plot DIR`, `feidi report DIR` and `feidi workbook DIR`.
#[derive(Args, Debug)]
pub(super) struct PlotArgs {
    /// A results directory written by run, sweep, compare or calibrate.
    pub dir: PathBuf,
    #[command(flatten)]
    pub language: Language,
}

#[derive(Args, Debug)]
pub(super) struct CompareArgs {
    /// Two or more scenario files: the alternatives (their scenario names must differ).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Replications of each alternative (the cap when --precision is given).
    #[arg(short = 'n', long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(2..=crate::engine::rng::MAX_REPLICATIONS))]
    pub replications: u64,
    #[command(flatten)]
    pub replicate: Replicate,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub work: WorkLimit,
    /// Output directory: compare.json, compare.csv and alternatives/<name>/.
    #[arg(short, long)]
    pub out: PathBuf,
    /// Replace results already in the output directory.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub excel: Excel,
    /// The metric that ranks the alternatives (one with a better direction).
    #[arg(long, value_name = "METRIC", default_value = "landing_rate")]
    pub rank_by: String,
}

#[derive(Args, Debug)]
pub(super) struct DiscoverArgs {
    /// A finished sweep's results directory (with points.csv).
    pub dir: PathBuf,
    /// A condition on a metric's mean per design point, such as "landing_rate >= 0.3"
    /// (operators >=, <=, >, <); give several to require all of them. A column of
    /// points.csv such as "landing_rate.p95" may be named instead of a metric.
    #[arg(long = "where", value_name = "CONDITION", required = true)]
    pub conditions: Vec<String>,
    /// Share of the box's points removed by each peel.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Smallest share of all points a box may hold.
    #[arg(long, default_value_t = 0.05)]
    pub min_support: f64,
    /// The box shown is the densest with at least this coverage.
    #[arg(long, default_value_t = 0.5)]
    pub min_coverage: f64,
    /// Widen the chosen box again while that raises its density (pasting).
    #[arg(long)]
    pub paste: bool,
    /// Most boxes to find (each further one among the points outside the earlier ones).
    #[arg(long, default_value_t = 1)]
    pub boxes: usize,
}

#[derive(Args, Debug)]
pub(super) struct CalibrateArgs {
    /// The calibration file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub output: Output,
    #[command(flatten)]
    pub threads: Threads,
}

#[derive(Args, Debug)]
pub(super) struct OptimizeArgs {
    /// The optimization file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub output: Output,
    /// Continue an unfinished optimization of the same file in the output directory
    /// (the generations finished are kept; the result is the same bits).
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    #[command(flatten)]
    pub threads: Threads,
    #[command(flatten)]
    pub excel: Excel,
    #[command(flatten)]
    pub language: Language,
}

/// Parses `METRIC=HALFWIDTH` of `--precision`.
fn parse_precision(text: &str) -> Result<(String, f64), String> {
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

/// Parses `POINT:REP` (or `REP`) of `--replay`.
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

/// `feidi studio`.
#[derive(Args, Debug)]
pub(super) struct StudioArgs {
    /// A scenario file or a directory of them to offer (default: scenarios/), inside the
    /// working directory.
    pub place: Option<PathBuf>,
    /// Port to listen on (default: a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Listen on another address than 127.0.0.1 (such as 0.0.0.0); a random token is
    /// then printed and every request must carry it.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::IpAddr>,
    #[command(flatten)]
    pub language: Language,
}
