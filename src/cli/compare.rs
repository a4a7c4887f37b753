//! `feidi compare A.toml B.toml [C.toml ...]`: alternatives run on common random
//! numbers, block by block in lockstep, with paired differences and a ranking.

use super::{guard_work, precision_targets, say, stopping_record, thread_pool, Failure, Progress};
use crate::model::metrics::{self, MetricInfo};
use crate::model::Prepared;
use crate::results::compare::{AlternativeRef, CompareReport};
use crate::results::{write_atomic, CompareFile, ResultFile, RunReport};
use crate::runner::{self, Alternative};
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `feidi compare`'s arguments.
#[derive(clap::Args, Debug)]
pub(crate) struct CompareArgs {
    /// Two or more scenario files: the alternatives (their scenario names must differ).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    scenarios: Vec<PathBuf>,
    /// Replications of each alternative (the cap when --precision is given).
    #[arg(short = 'n', long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(2..=crate::engine::rng::MAX_REPLICATIONS))]
    replications: u64,
    /// Master seed, shared by every alternative: the same seed gives byte-identical results.
    #[arg(short, long, default_value_t = 1)]
    seed: u64,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(short, long)]
    threads: Option<usize>,
    /// Output directory: compare.json, compare.csv and alternatives/<name>/.
    #[arg(short, long)]
    out: PathBuf,
    /// Replace results already in the output directory.
    #[arg(long)]
    force: bool,
    /// Start compare.csv with a UTF-8 byte-order mark, so that Excel shows Chinese text.
    #[arg(long)]
    excel: bool,
    /// The metric that ranks the alternatives (one with a better direction).
    #[arg(long, value_name = "METRIC", default_value = "landing_rate")]
    rank_by: String,
    /// Stop early, in whole blocks of 64 replications, once the 95 % confidence
    /// half-width of METRIC's paired difference is at or below HALFWIDTH for every pair
    /// (repeatable); --replications is then the cap.
    #[arg(long, value_name = "METRIC=HALFWIDTH", value_parser = super::parse_precision)]
    precision: Vec<(String, f64)>,
}

/// One loaded alternative.
struct Loaded {
    file: PathBuf,
    scenario: Scenario,
    bytes: Vec<u8>,
}

/// Runs `feidi compare`.
pub(crate) fn command(args: CompareArgs) -> Result<(), Failure> {
    let loaded = load(&args.scenarios)?;
    let first = &loaded[0];
    for other in &loaded[1..] {
        if other.scenario.horizon != first.scenario.horizon || other.scenario.bin_width != first.scenario.bin_width {
            return Err(Failure::Input(format!(
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
        Failure::Input(format!(
            "--rank-by {}: not a metric every alternative reports{hint}",
            args.rank_by
        ))
    })?;
    if metrics::better(&args.rank_by).is_none() {
        let ranked: Vec<&str> = compared
            .iter()
            .filter(|m| metrics::better(&m.name).is_some())
            .map(|m| m.name.as_str())
            .collect();
        return Err(Failure::Input(format!(
            "--rank-by {}: this metric has no better direction, so it cannot rank; choose one of {}",
            args.rank_by,
            ranked.join(", ")
        )));
    }
    let targets = precision_targets(&args.precision, &compared, "every alternative must report; there is")?;
    let candidates: f64 = loaded.iter().map(|l| l.scenario.expected_candidates()).sum();
    guard_work(candidates, args.replications, args.force)?;
    prepare_compare_dir(&args.out, args.force)?;

    let pool = thread_pool(args.threads)?;
    let prepared: Vec<Prepared<'_>> = loaded.iter().map(|l| Prepared::new(&l.scenario)).collect();
    let alternatives: Vec<Alternative<'_>> = prepared
        .iter()
        .zip(&indices)
        .map(|(prepared, metrics)| Alternative {
            prepared,
            point: 0,
            metrics: metrics.clone(),
        })
        .collect();
    let progress = Progress::new(args.replications);
    let started = Instant::now();
    let (comparison, stop) =
        runner::run_compare(&pool, &alternatives, args.seed, args.replications, &targets, &|done| {
            progress.update(done)
        })
        .map_err(|e| Failure::Runtime(e.to_string()))?;
    progress.finish();
    let elapsed = started.elapsed();
    let stopping = (!targets.is_empty()).then(|| {
        stopping_record(
            &compared,
            &targets,
            |m| {
                comparison
                    .pairs
                    .iter()
                    .map(|p| runner::moments_half_width(&p.differences[m]))
                    .fold(f64::NEG_INFINITY, |a, b| {
                        if a.is_nan() || b.is_nan() {
                            f64::NAN
                        } else {
                            a.max(b)
                        }
                    })
            },
            args.replications,
            comparison.replications,
            stop,
        )
    });

    let write_error =
        |path: &Path, e: std::io::Error| Failure::Runtime(format!("cannot write {}: {e}", path.display()));
    let files: Vec<String> = loaded.iter().map(|l| l.file.display().to_string()).collect();
    for (i, l) in loaded.iter().enumerate() {
        let dir = args.out.join("alternatives").join(&l.scenario.name);
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
    let csv_path = args.out.join("compare.csv");
    write_atomic(&csv_path, report.csv(args.excel).as_bytes()).map_err(|e| write_error(&csv_path, e))?;
    // compare.json last: its presence says the comparison is complete.
    let json_path = args.out.join(CompareFile::NAME);
    report.file().write(&args.out).map_err(|e| write_error(&json_path, e))?;
    let events: u64 = comparison.alternatives.iter().map(|r| r.events).sum();
    say(&format!(
        "{}{}{:.1} s, {:.2} million model events per second; results in {}\n",
        report.table(),
        stopping.as_ref().map_or(String::new(), |s| s.describe()),
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64().max(1e-9) / 1e6,
        args.out.display()
    ))
}

fn months(horizon: Option<f64>) -> String {
    horizon.map_or("none".to_string(), |h| format!("{h} months"))
}

/// Reads and validates every alternative (reporting every file's problems together) and
/// checks that their scenario names, which name them in the results, are unique.
fn load(files: &[PathBuf]) -> Result<Vec<Loaded>, Failure> {
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
        return Err(Failure::Input(problems.join("\n")));
    }
    for (i, a) in loaded.iter().enumerate() {
        if let Some(b) = loaded[..i].iter().find(|b| b.scenario.name == a.scenario.name) {
            return Err(Failure::Input(format!(
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
fn prepare_compare_dir(dir: &Path, force: bool) -> Result<(), Failure> {
    if !force && (dir.join("compare.json").exists() || dir.join("alternatives").exists()) {
        return Err(Failure::Input(format!(
            "{} already holds a comparison (compare.json or alternatives/); choose another --out or add --force to replace it",
            dir.display()
        )));
    }
    super::prepare_output_dir(dir, force)
}
