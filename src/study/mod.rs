//! Studies: what a planner asks feidi to do — run a scenario, sweep its levers, compare
//! alternatives, calibrate to reported figures, discover where conditions hold, and
//! validate files — each a library function that any front end (the command line, a
//! browser, a binding) drives.
//!
//! A study takes a request, a [`Progress`] to report to and a [`Cancel`] flag, writes its
//! result files through [`crate::results`], and returns a typed outcome or a typed
//! [`Error`]. It never prints, never reads environment variables and never chooses an
//! exit code: those are the front end's.

pub mod calibrate;
pub mod compare;
pub mod discover;
pub mod lock;
pub mod optimize;
pub mod run;
pub mod sweep;
mod sweep_check;
pub mod validate;

pub use crate::runner::VarianceReduction;

use crate::model::metrics::MetricInfo;
use crate::runner::ReplicationFailure;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// What a study counts as it works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Replications of one scenario (or of every alternative in lockstep).
    Replications,
    /// Design points of a sweep.
    DesignPoints,
    /// Candidates of an optimization evaluated.
    Candidates,
    /// Accepted particles of a calibration generation.
    Particles {
        /// The generation, from 0.
        generation: usize,
        /// Parameter sets simulated so far in this generation.
        simulated: usize,
    },
}

/// Where a study reports how far it has got. Calls may come from several threads.
pub trait Progress: Sync {
    /// `done` of `total` units are finished.
    fn advance(&self, unit: Unit, done: u64, total: u64);
    /// Something the user should know before the work goes on (such as points already
    /// done when a sweep resumes).
    fn note(&self, _text: &str) {}
    /// The work is over (finished, failed or cancelled).
    fn finish(&self) {}
}

/// A [`Progress`] that shows nothing: for tests and quiet callers.
pub struct Silent;

impl Progress for Silent {
    fn advance(&self, _unit: Unit, _done: u64, _total: u64) {}
}

/// A request to stop, set by the front end (Ctrl-C, a button) and read by the study
/// between units of work; work already finished and written is kept.
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    /// A flag not yet set.
    pub const fn new() -> Self {
        Cancel(AtomicBool::new(false))
    }

    /// Asks the study to stop; gives whether it had been asked already.
    pub fn cancel(&self) -> bool {
        self.0.swap(true, Ordering::Relaxed)
    }

    /// Whether a stop has been asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The expected size of a run refused as absurd.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkEstimate {
    /// Model events expected in all.
    pub events: f64,
    /// Expected candidate projects per replication.
    pub candidates_per_replication: f64,
    /// Replications (per design point for a sweep).
    pub replications: u64,
    /// Estimated wall-clock hours.
    pub hours: f64,
    /// Threads the estimate assumes.
    pub threads: usize,
}

/// Why a study did not finish.
#[derive(Debug)]
pub enum Error {
    /// Bad input: a file, a setting or a request; the message says where and what.
    Input(String),
    /// The output directory already holds results of this kind (`holds` names the file
    /// that shows it); they are replaced only when the request forces it.
    ResultsExist {
        /// The directory.
        dir: PathBuf,
        /// What it holds, such as "results (manifest.json)".
        holds: &'static str,
        /// Whether the work there can be continued instead (a sweep).
        resumable: bool,
    },
    /// Another running process holds the results directory (its lock file,
    /// [`lock::LOCK_FILE`]); one writer at a time.
    Locked {
        /// The directory.
        dir: PathBuf,
        /// Who holds it.
        holder: lock::Holder,
    },
    /// The expected work exceeds a day; run only when the request allows long work.
    TooMuchWork(WorkEstimate),
    /// A replication failed (a bug in feidi), with what is needed to run it alone.
    Replication {
        /// The failing replication and its random streams' design point.
        failure: ReplicationFailure,
        /// The scenario file that replays it.
        scenario: PathBuf,
        /// The sweep's design point, when it differs from the streams' point (points of
        /// sensitivity designs share the streams of point 0).
        design_point: Option<usize>,
    },
    /// Something failed while working, such as a directory that cannot be written.
    Failed(String),
    /// The study was cancelled; finished work is kept in `dir`.
    Cancelled {
        /// Where the finished work is.
        dir: Option<PathBuf>,
        /// How many units are kept.
        kept: usize,
        /// What the units are, and how the work is continued.
        what: Kept,
    },
}

/// What a cancelled study keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// Finished design points of a sweep (`feidi sweep resume DIR`).
    DesignPoints,
    /// Finished generations of an optimization (`feidi optimize FILE --resume`).
    Generations,
}

impl Error {
    /// Whether the error is the user's input rather than a failure while working.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Error::Input(_) | Error::ResultsExist { .. } | Error::Locked { .. } | Error::TooMuchWork(_)
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(m) | Error::Failed(m) => f.write_str(m),
            Error::ResultsExist { dir, holds, .. } => {
                write!(f, "{} already holds {holds}", dir.display())
            }
            Error::Locked { dir, holder } => {
                write!(f, "{} is in use by another feidi", dir.display())?;
                match holder.pid {
                    0 => write!(f, " ({})", holder.command),
                    pid if holder.host.is_empty() => write!(f, " (process {pid}: {})", holder.command),
                    pid => write!(f, " (process {pid} on {}: {})", holder.host, holder.command),
                }
            }
            Error::TooMuchWork(w) => write!(
                f,
                "this work would handle about {} model events ({} candidates per replication × {} replications), roughly {} hours on {} threads",
                crate::results::format::number(w.events),
                crate::results::format::number(w.candidates_per_replication),
                crate::results::format::number(w.replications as f64),
                crate::results::format::number(w.hours),
                w.threads
            ),
            Error::Replication {
                failure, design_point, ..
            } => match design_point {
                // Points of a sensitivity design share point 0's streams: the message
                // names the real design point and the streams it drew.
                Some(p) if *p as u64 != failure.point as u64 => write!(
                    f,
                    "replication {} of design point {p} (seed {}, on the random streams of point {}) failed: {}",
                    failure.replication, failure.seed, failure.point, failure.message
                ),
                _ => write!(f, "{failure}"),
            },
            Error::Cancelled { dir, kept, what } => match dir {
                Some(dir) => write!(
                    f,
                    "stopped: {kept} {} done and kept in {}",
                    match what {
                        Kept::DesignPoints => "design points are",
                        Kept::Generations => "generations of the search are",
                    },
                    dir.display()
                ),
                None => f.write_str("stopped before any result was written"),
            },
        }
    }
}

impl From<crate::input::Diagnostics> for Error {
    fn from(d: crate::input::Diagnostics) -> Self {
        Error::Input(d.to_string())
    }
}

/// A pool of `threads` workers (all cores when `None`).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Error> {
    let threads = threads.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Failed(format!("cannot start {threads} worker threads: {e}")))
}

/// Where results go when the request names no directory: `results/<name>`, refused
/// unless `name` is a plain file name (see [`named_path`]).
pub fn default_out(name: &str) -> Result<PathBuf, Error> {
    named_path(Path::new("results"), name)
}

/// `parent/name` for a name taken from an input file (a sweep's, a calibration's or a
/// scenario's name): the one way such a name becomes a path. Anything but a plain file
/// name ([`crate::input::check_plain_name`]: no `..`, `.`, empty, absolute, separators,
/// control characters, Windows device names or over 100 characters) is refused, so a
/// name can never lead outside `parent`.
pub fn named_path(parent: &Path, name: &str) -> Result<PathBuf, Error> {
    match crate::input::check_plain_name(name) {
        Ok(()) => Ok(parent.join(name)),
        Err(why) => Err(Error::Input(format!(
            "the name \"{}\" cannot name a folder in {}: expected {}, found {why}",
            name.escape_debug(),
            parent.display(),
            crate::input::PLAIN_NAME
        ))),
    }
}

/// Creates the output directory if needed and takes its lock for `command` (one writer
/// at a time; see [`lock`]).
pub(crate) fn open_output_dir(dir: &Path, command: &str) -> Result<lock::DirLock, Error> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::Failed(format!("cannot create output directory {}: {e}", dir.display())))?;
    let lock = lock::lock(dir, command)?;
    // The hidden temporary files of a writer that was killed here go on the next write.
    crate::results::complete::remove_leftovers(dir);
    Ok(lock)
}

/// Refuses a directory that already holds results (`marker`, shown as `holds`) unless
/// `force` is set.
pub(crate) fn check_no_results(dir: &Path, force: bool, marker: &[&str], holds: &'static str) -> Result<(), Error> {
    if !force && marker.iter().any(|m| dir.join(m).exists()) {
        return Err(Error::ResultsExist {
            dir: dir.to_path_buf(),
            holds,
            resumable: false,
        });
    }
    Ok(())
}

/// Checks that `dir` can be written, by writing and removing a small file.
pub(crate) fn check_writable(dir: &Path) -> Result<(), Error> {
    let probe = dir.join(format!(".feidi-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| Error::Failed(format!("output directory {} is not writable: {e}", dir.display())))
}

/// Every file feidi writes into a results directory (run, sweep, merge, comparison,
/// calibration, discovery, report). manifest.json, the completeness marker written
/// last, is removed first: results stopped half-way through their removal read as
/// incomplete.
const OWN_FILES: [&str; 16] = [
    "manifest.json",
    "optimize.json",
    "evaluations.csv",
    "summary.json",
    "series.csv",
    "scenario.toml",
    "points.csv",
    "sensitivity.json",
    "discovery.json",
    "sweep-plan.json",
    "compare.json",
    "compare.csv",
    "posterior.csv",
    "calibration.json",
    "report.html",
    "report.zh.html",
];
/// Every folder feidi writes into a results directory.
const OWN_DIRS: [&str; 7] = [
    "charts",
    "rows",
    "series",
    "checks",
    "failed-points",
    "alternatives",
    "generations",
];
/// Files that show a directory holds feidi's results.
const RESULT_MARKERS: [&str; 7] = [
    "manifest.json",
    "optimize.json",
    "sweep-plan.json",
    "summary.json",
    "compare.json",
    "calibration.json",
    "points.csv",
];

/// Removes the results feidi wrote into `dir` before, so that results written over them
/// (with `--force`) leave nothing of the old ones: only feidi's own files and folders,
/// and only in a directory that shows it holds feidi's results; anything else is kept.
pub(crate) fn remove_own_results(dir: &Path) -> Result<(), Error> {
    if !RESULT_MARKERS.iter().any(|m| dir.join(m).is_file()) {
        return Ok(());
    }
    let failed = |path: &Path, e: std::io::Error| Error::Failed(format!("cannot remove {}: {e}", path.display()));
    for name in OWN_FILES {
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(failed(&path, e)),
            _ => {}
        }
    }
    for name in OWN_DIRS {
        let path = dir.join(name);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).map_err(|e| failed(&path, e))?;
        }
    }
    Ok(())
}

/// Creates the output directory, takes its lock for `command` and checks it is writable
/// before any work starts; a directory that already holds results (`marker`, shown as
/// `holds`) is replaced only when `force` is set, and then feidi's earlier result files
/// there are removed first. The lock is held until the returned guard is dropped.
pub(crate) fn prepare_output_dir(
    dir: &Path,
    force: bool,
    marker: &[&str],
    holds: &'static str,
    command: &str,
) -> Result<lock::DirLock, Error> {
    let lock = open_output_dir(dir, command)?;
    check_no_results(dir, force, marker, holds)?;
    check_writable(dir)?;
    if force {
        remove_own_results(dir)?;
    }
    Ok(lock)
}

/// Model events per second per thread assumed for estimates: the reference model's
/// measured speed on a modest machine (BENCHMARKS.md), rounded down.
const EVENTS_PER_SECOND: f64 = 5e6;
/// Model events per candidate assumed for estimates: an arrival and about four stages.
const EVENTS_PER_CANDIDATE: f64 = 5.0;
/// Longest estimated run accepted without forcing.
const MAX_ESTIMATED_HOURS: f64 = 24.0;

/// Refuses, with the estimate, work whose expected size is absurd, unless allowed.
pub(crate) fn check_work(candidates_per_replication: f64, replications: u64, allow_long: bool) -> Result<(), Error> {
    let events = candidates_per_replication * EVENTS_PER_CANDIDATE * replications as f64;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let hours = events / EVENTS_PER_SECOND / threads as f64 / 3600.0;
    if hours > MAX_ESTIMATED_HOURS && !allow_long {
        return Err(Error::TooMuchWork(WorkEstimate {
            events,
            candidates_per_replication,
            replications,
            hours,
            threads,
        }));
    }
    Ok(())
}

/// Resolves precision targets (metric name, half-width) to indices in `names`, with a
/// suggestion for a misspelt name; `what` says whose metrics these are.
pub(crate) fn precision_targets(
    precision: &[(String, f64)],
    names: &[MetricInfo],
    what: &str,
) -> Result<Vec<(usize, f64)>, Error> {
    precision
        .iter()
        .map(|(name, target)| {
            let index = names.iter().position(|m| &m.name == name).ok_or_else(|| {
                let hint = crate::input::nearest(name, names.iter().map(|m| m.name.as_str()))
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
                Error::Input(format!(
                    "precision target {name}={target}: {what} no metric `{name}`{hint}"
                ))
            })?;
            Ok((index, *target))
        })
        .collect()
}

/// Writes `bytes` to `dir/name` whole (temporary name and rename).
pub(crate) fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), Error> {
    let path = dir.join(name);
    crate::results::write_atomic(&path, bytes)
        .map_err(|e| Error::Failed(format!("cannot write {}: {e}", path.display())))
}

/// The stopping-rule record for `targets` (indices into `names`), with the half-width
/// each reached.
pub(crate) fn stopping_record(
    names: &[MetricInfo],
    targets: &[(usize, f64)],
    reached: impl Fn(usize) -> f64,
    cap: u64,
    replications: u64,
    stop: crate::runner::Stop,
) -> crate::results::Stopping {
    crate::results::Stopping {
        cap,
        replications,
        met: stop == crate::runner::Stop::Met,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_lead_outside_the_results_folder() {
        for name in [
            "../../x", "..", ".", "", "/etc", "a/b", "a\\b", "NUL", "x\0", "lpt1.txt",
        ] {
            let refused = default_out(name);
            assert!(
                matches!(refused, Err(Error::Input(ref m)) if m.contains("cannot name a folder in results")),
                "{name:?} gave {refused:?}"
            );
        }
        assert_eq!(default_out("dazu").expect("a plain name"), Path::new("results/dazu"));
    }
}
