//! Optimization as a study: the optimization file read and checked, the search run
//! generation by generation (each generation saved as it ends, so that a killed run
//! resumes with the same bits), the finalists' selection with its guarantee, the
//! recommended setting compared with the base scenario on common random numbers, and
//! optimize.json and evaluations.csv written.
//!
//! Random streams: the search evaluates every candidate on the streams of design point
//! 0 (common random numbers within and across generations); the selection draws fresh
//! replications from point 1, so that the luck which favoured a candidate in the search
//! does not carry into its guarantee; the comparison with the base scenario draws from
//! point 2.

use super::{thread_pool, write_file, Cancel, Error, Progress, Unit};
use crate::engine::rng::StreamKey;
use crate::model::{metrics, Prepared};
use crate::optimize::search::{self, Evaluation};
use crate::optimize::select;
use crate::optimize::{Goal, LeverKind, Loaded, Optimization};
use crate::results::marginal::MarginalCost;
use crate::results::optimize::{
    AgainstBase, ConstraintCheck, ConstraintRecord, Estimate, EvaluationRecord, GenerationCheckpoint, LeverRecord,
    ObjectiveRecord, OptimizeFile, PairedDifference, Recommended, SelectionRecord,
};
use crate::results::{sha256_hex, write_atomic, FileRecord, Manifest, ResultFile, Study, CONFIDENCE};
use crate::runner::{self, Alternative, RunSettings};
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Folder of the finished generations' checkpoints.
const GENERATIONS: &str = "generations";
/// The random streams of the search, the selection and the comparison.
const SEARCH_STREAMS: u32 = 0;
const SELECTION_STREAMS: u32 = 1;
const COMPARISON_STREAMS: u32 = 2;
/// Selection replications taken at once from each surviving finalist.
const SELECTION_BATCH: u64 = 16;
/// Metrics tracked for every candidate besides the objectives and constraints.
const ALWAYS_TRACKED: [&str; 2] = [metrics::MARGINAL_BENEFIT, metrics::MARGINAL_OUTLAY];
/// Metrics compared between the recommended setting and the base scenario, besides the
/// tracked ones.
const COMPARED: [&str; 4] = [
    "cost_per_real_landing_yuan",
    "landing_rate",
    "home_tax_yuan",
    "admitted",
];

/// An optimization to run.
#[derive(Clone, Debug)]
pub struct OptimizeRequest {
    /// The optimization file.
    pub file: PathBuf,
    /// Output directory (`results/<name>` when `None`).
    pub out: Option<PathBuf>,
    /// Worker threads (all cores when `None`); results do not depend on it.
    pub threads: Option<usize>,
    /// Replace an optimization already in the output directory.
    pub force: bool,
    /// Continue an unfinished optimization of the same file in the output directory.
    pub resume: bool,
    /// Start evaluations.csv with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
}

/// A finished optimization.
pub struct OptimizeOutcome {
    /// Its results.
    pub file: OptimizeFile,
    /// Candidates evaluated in this session (not counting resumed generations).
    pub evaluated: usize,
    /// Wall-clock time.
    pub elapsed: Duration,
    /// Where the results are.
    pub out: PathBuf,
    /// The base scenario file.
    pub scenario: PathBuf,
}

/// The metrics tracked for each candidate: objectives, constraints, then real landings
/// and outlay, each once.
fn tracked(o: &Optimization) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let names = o
        .objectives
        .iter()
        .map(|x| x.metric.as_str())
        .chain(o.constraints.iter().map(|c| c.metric.as_str()))
        .chain(ALWAYS_TRACKED);
    for name in names {
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    out
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Runs the optimization and writes its results.
pub fn optimize(request: &OptimizeRequest, progress: &dyn Progress, cancel: &Cancel) -> Result<OptimizeOutcome, Error> {
    let loaded = Optimization::load(&request.file)?;
    let o = &loaded.optimization;
    let out = request.out.clone().map_or_else(|| super::default_out(&o.name), Ok)?;
    let _lock = if request.resume {
        // The finished generations stay; the directory reads as unfinished until the new
        // manifest is written.
        let lock = super::open_output_dir(&out, "feidi optimize")?;
        super::check_writable(&out)?;
        let _ = std::fs::remove_file(out.join(Manifest::NAME));
        lock
    } else {
        super::prepare_output_dir(
            &out,
            request.force,
            &["optimize.json", GENERATIONS],
            "an optimization (optimize.json or generations/)",
            "feidi optimize",
        )?
    };
    let file_sha = sha256_hex(&loaded.bytes);
    let base_sha = sha256_hex(&loaded.base_bytes);
    let mut records: Vec<EvaluationRecord> = Vec::new();
    let mut first_generation = 0;
    if request.resume {
        (records, first_generation) = resumed(&out, &file_sha, &base_sha, progress)?;
    }
    std::fs::create_dir_all(out.join(GENERATIONS))
        .map_err(|e| Error::Failed(format!("cannot create {}: {e}", out.join(GENERATIONS).display())))?;
    let pool = thread_pool(request.threads)?;
    let names = metrics::totals_for(&loaded.scenario);
    let tracked = tracked(o);
    let index_of = |name: &str| {
        names
            .iter()
            .position(|m| m.name == name)
            .expect("checked against the base")
    };
    let tracked_index: Vec<usize> = tracked.iter().map(|n| index_of(n)).collect();
    let domains: Vec<search::Domain> = o.levers.iter().map(|l| l.domain()).collect();
    let settings = search::Settings {
        population: o.population,
        generations: o.generations,
        seed: o.seed,
    };
    let started = Instant::now();
    let total = (o.population * o.generations) as u64;
    let mut evaluated = 0;
    for g in first_generation..o.generations {
        if cancel.is_cancelled() {
            progress.finish();
            return Err(Error::Cancelled {
                dir: Some(out.clone()),
                kept: g,
                what: super::Kept::Generations,
            });
        }
        let history: Vec<Evaluation> = records.iter().map(|r| evaluation_of(o, r)).collect();
        let candidates = search::generation(&domains, &settings, g, &history, loaded.start.as_deref());
        let fresh: Vec<EvaluationRecord> = pool.install(|| {
            candidates
                .par_iter()
                .map(|levers| evaluate(&loaded, g, levers, &tracked, &tracked_index))
                .collect::<Result<_, Error>>()
        })?;
        evaluated += fresh.len();
        let checkpoint = GenerationCheckpoint {
            optimization_sha256: file_sha.clone(),
            scenario_sha256: base_sha.clone(),
            generation: g,
            evaluations: fresh.clone(),
        };
        let path = checkpoint_path(&out, g);
        write_atomic(&path, &crate::results::file::json_bytes(&checkpoint))
            .map_err(|e| Error::Failed(format!("cannot write {}: {e}", path.display())))?;
        records.extend(fresh);
        progress.advance(Unit::Candidates, records.len() as u64, total);
    }
    progress.finish();
    let history: Vec<Evaluation> = records.iter().map(|r| evaluation_of(o, r)).collect();
    let ranked = search::rank(&history);
    let mut file = OptimizeFile {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        name: o.name.clone(),
        scenario_title: loaded.scenario.title.clone(),
        seed: o.seed,
        confidence: CONFIDENCE,
        population: o.population,
        generations: o.generations,
        replications: o.replications,
        levers: lever_records(&loaded),
        objectives: o
            .objectives
            .iter()
            .map(|x| ObjectiveRecord {
                metric: x.metric.clone(),
                goal: x.goal.name().to_string(),
            })
            .collect(),
        constraints: o
            .constraints
            .iter()
            .map(|c| ConstraintRecord {
                metric: c.metric.clone(),
                bound: c.bound.name().to_string(),
                value: c.bound.value(),
            })
            .collect(),
        evaluations: records,
        pareto_front: Vec::new(),
        selection: None,
        recommended: None,
        against_base: None,
    };
    if o.objectives.len() == 2 {
        let feasible: Vec<usize> = (0..history.len()).filter(|&i| history[i].feasible()).collect();
        let mut front = search::fronts(&history, &feasible)
            .into_iter()
            .next()
            .unwrap_or_default();
        // One entry per distinct setting, ordered by the first objective.
        front.dedup_by(|a, b| history[*a].levers == history[*b].levers);
        front.sort_by(|&a, &b| history[b].objectives[0].total_cmp(&history[a].objectives[0]));
        file.pareto_front = front;
    } else {
        let mut finalists: Vec<usize> = Vec::new();
        for &i in ranked.iter().filter(|&&i| history[i].feasible()) {
            if finalists.len() == o.selection.finalists {
                break;
            }
            if !finalists.iter().any(|&f| history[f].levers == history[i].levers) {
                finalists.push(i);
            }
        }
        if finalists.is_empty() {
            return Err(Error::Failed(format!(
                "no candidate of the {} evaluated met the constraints; widen the levers' ranges or relax the constraints (evaluations are kept in {})",
                history.len(),
                out.join(GENERATIONS).display()
            )));
        }
        if cancel.is_cancelled() {
            return Err(Error::Cancelled {
                dir: Some(out.clone()),
                kept: o.generations,
                what: super::Kept::Generations,
            });
        }
        progress.note(&format!(
            "selecting the best of {} finalists on fresh replications (Kim–Nelson, δ = {}, α = {})",
            finalists.len(),
            crate::results::format::number(o.selection.delta),
            o.selection.alpha
        ));
        let selection = select(
            &loaded,
            &pool,
            &file.evaluations,
            &finalists,
            index_of(&o.objectives[0].metric),
        )?;
        let chosen = finalists[selection.chosen];
        file.selection = Some(selection);
        let (recommended, against) = against_base(&loaded, &pool, &file.evaluations[chosen], chosen, &names)?;
        file.recommended = Some(recommended);
        file.against_base = Some(against);
    }
    let csv = file.evaluations_csv(request.bom);
    write_file(&out, "evaluations.csv", csv.as_bytes())?;
    let cannot =
        |name: &str, e: std::io::Error| Error::Failed(format!("cannot write {}: {e}", out.join(name).display()));
    let record = file.write(&out).map_err(|e| cannot(OptimizeFile::NAME, e))?;
    let manifest = Manifest {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        study: Study::Optimization,
        scenario_file: Some(o.scenario.display().to_string()),
        sweep_sha256: None,
        calibration_sha256: None,
        optimization_sha256: Some(file_sha),
        scenario_sha256: base_sha,
        seed: o.seed,
        replications: None,
        replications_per_point: Some(o.replications),
        replications_per_particle: None,
        points: None,
        replications_per_block: runner::BLOCK,
        files: vec![FileRecord::of("evaluations.csv", csv.as_bytes()), record],
    };
    manifest.write(&out).map_err(|e| cannot(Manifest::NAME, e))?;
    Ok(OptimizeOutcome {
        file,
        evaluated,
        elapsed: started.elapsed(),
        out,
        scenario: o.scenario.clone(),
    })
}

fn checkpoint_path(out: &Path, generation: usize) -> PathBuf {
    out.join(GENERATIONS).join(format!("{generation:04}.json"))
}

/// The evaluations of the generations already finished in `out`, and the first
/// generation still to run; a checkpoint of another file is refused.
fn resumed(
    out: &Path,
    file_sha: &str,
    base_sha: &str,
    progress: &dyn Progress,
) -> Result<(Vec<EvaluationRecord>, usize), Error> {
    let mut records = Vec::new();
    let mut generation = 0;
    loop {
        let path = checkpoint_path(out, generation);
        if !path.is_file() {
            break;
        }
        let checkpoint: GenerationCheckpoint = crate::results::file::read_json(&path)
            .map_err(|e| Error::Failed(format!("{e}; start again with --force")))?;
        if checkpoint.optimization_sha256 != file_sha || checkpoint.scenario_sha256 != base_sha {
            return Err(Error::Input(format!(
                "{} was written for another version of the optimization file or its base scenario; start again with --force",
                path.display()
            )));
        }
        records.extend(checkpoint.evaluations);
        generation += 1;
    }
    if generation > 0 {
        progress.note(&format!(
            "{generation} generations already done ({} candidates); going on from generation {}",
            records.len(),
            generation + 1
        ));
    }
    Ok((records, generation))
}

/// The search's view of a saved evaluation.
fn evaluation_of(o: &Optimization, r: &EvaluationRecord) -> Evaluation {
    Evaluation {
        levers: r.coordinates.clone(),
        objectives: o
            .objectives
            .iter()
            .map(|x| x.goal.orient(r.mean(&x.metric).unwrap_or(f64::NAN)))
            .map(|x| if x.is_nan() { f64::NEG_INFINITY } else { x })
            .collect(),
        violation: r.violation,
    }
}

/// The lever values as set in the scenario file.
fn shown(o: &Optimization, levers: &[f64]) -> Vec<String> {
    o.overrides(levers)
        .map(|(_, v)| match v {
            toml::Value::String(s) => s,
            other => other.to_string(),
        })
        .collect()
}

/// Evaluates one candidate on the search's streams.
fn evaluate(
    loaded: &Loaded,
    generation: usize,
    levers: &[f64],
    tracked: &[String],
    tracked_index: &[usize],
) -> Result<EvaluationRecord, Error> {
    let o = &loaded.optimization;
    let values = shown(o, levers);
    let scenario = match o.scenario_at(&loaded.base, levers, "candidate") {
        Ok(s) => s,
        Err(why) => {
            return Ok(EvaluationRecord {
                generation,
                levers: values,
                coordinates: levers.to_vec(),
                metrics: Vec::new(),
                feasible: false,
                violation: f64::MAX,
                refused: Some(why),
            })
        }
    };
    let method = runner::VarianceReduction::from_name(o.variance_reduction).unwrap_or_default();
    let prepared = Prepared::new(&scenario).observing_controls(method != runner::VarianceReduction::Off);
    let settings = RunSettings {
        seed: o.seed,
        point: SEARCH_STREAMS,
        replications: o.replications,
    };
    let rule = runner::Precision::default().with_variance_reduction(method);
    let (results, _) =
        runner::run_serial(&prepared, settings, &rule).map_err(|failure| replication_error(loaded, failure))?;
    let names = metrics::totals_for(&scenario);
    let metrics: Vec<Estimate> = tracked
        .iter()
        .zip(tracked_index)
        .map(|(name, &i)| {
            let s = results.summary(i, CONFIDENCE);
            Estimate {
                metric: name.clone(),
                unit: names[i].unit.to_string(),
                mean: finite(s.mean),
                ci_low: finite(s.ci_low),
                ci_high: finite(s.ci_high),
            }
        })
        .collect();
    let record = EvaluationRecord {
        generation,
        levers: values,
        coordinates: levers.to_vec(),
        metrics,
        feasible: false,
        violation: 0.0,
        refused: None,
    };
    let violation: f64 = o
        .constraints
        .iter()
        .map(|c| c.bound.violation(record.mean(&c.metric).unwrap_or(f64::NAN)))
        .sum();
    Ok(EvaluationRecord {
        feasible: violation <= 0.0,
        violation: if violation.is_finite() { violation } else { f64::MAX },
        ..record
    })
}

fn replication_error(loaded: &Loaded, failure: runner::ReplicationFailure) -> Error {
    Error::Replication {
        failure,
        scenario: loaded.optimization.scenario.clone(),
        design_point: None,
    }
}

/// The finalists' scenarios, prepared.
fn scenario_of(loaded: &Loaded, record: &EvaluationRecord) -> Result<Scenario, Error> {
    loaded
        .optimization
        .scenario_at(&loaded.base, &record.coordinates, "finalist")
        .map_err(Error::Failed)
}

/// Kim–Nelson among the finalists on fresh replications.
fn select(
    loaded: &Loaded,
    pool: &rayon::ThreadPool,
    records: &[EvaluationRecord],
    finalists: &[usize],
    objective: usize,
) -> Result<SelectionRecord, Error> {
    let o = &loaded.optimization;
    let goal = o.objectives[0].goal;
    let scenarios: Vec<Scenario> = finalists
        .iter()
        .map(|&f| scenario_of(loaded, &records[f]))
        .collect::<Result<_, _>>()?;
    let prepared: Vec<Prepared<'_>> = scenarios.iter().map(Prepared::new).collect();
    let settings = select::Settings {
        delta: o.selection.delta,
        alpha: o.selection.alpha,
        first_stage: o.selection.first_stage,
        cap: o.selection.cap,
        batch: SELECTION_BATCH,
    };
    let mut observe = |which: &[usize], from: u64, to: u64| -> Result<Vec<Vec<f64>>, Error> {
        pool.install(|| {
            which
                .par_iter()
                .map(|&k| {
                    (from..to)
                        .map(|replication| {
                            let key = StreamKey {
                                seed: o.seed,
                                point: SELECTION_STREAMS,
                                replication,
                            };
                            let outcome =
                                runner::run_one(&prepared[k], key).map_err(|f| replication_error(loaded, f))?;
                            let x = outcome.totals[objective];
                            if x.is_nan() {
                                return Err(Error::Input(format!(
                                    "the objective {} is undefined in replication {replication} of a finalist; choose an objective defined in every replication",
                                    o.objectives[0].metric
                                )));
                            }
                            Ok(goal.orient(x))
                        })
                        .collect()
                })
                .collect()
        })
    };
    let outcome = select::kim_nelson(finalists.len(), &settings, &mut observe)?;
    Ok(SelectionRecord {
        procedure: "Kim–Nelson (fully sequential, common random numbers)".to_string(),
        finalists: finalists.to_vec(),
        delta: o.selection.delta,
        alpha: o.selection.alpha,
        first_stage: o.selection.first_stage,
        means: outcome.means.iter().map(|&m| goal.orient(m)).collect(),
        replications: outcome.observations,
        eliminated_after: outcome.eliminated_after,
        chosen: outcome.best,
        guaranteed: outcome.guaranteed,
    })
}

/// The recommended setting against the base scenario on common random numbers.
fn against_base(
    loaded: &Loaded,
    pool: &rayon::ThreadPool,
    record: &EvaluationRecord,
    evaluation: usize,
    names: &[metrics::MetricInfo],
) -> Result<(Recommended, AgainstBase), Error> {
    let o = &loaded.optimization;
    let chosen = scenario_of(loaded, record)?;
    let chosen_names = metrics::totals_for(&chosen);
    let mut compared: Vec<String> = tracked(o);
    for extra in COMPARED {
        if !compared.iter().any(|c| c == extra) {
            compared.push(extra.to_string());
        }
    }
    compared.retain(|m| names.iter().any(|n| &n.name == m) && chosen_names.iter().any(|n| &n.name == m));
    let position = |list: &[metrics::MetricInfo], name: &str| list.iter().position(|m| m.name == name);
    let indices = |list: &[metrics::MetricInfo]| -> Vec<usize> {
        compared
            .iter()
            .map(|m| position(list, m).expect("kept above"))
            .collect()
    };
    let marginal = compared
        .iter()
        .position(|m| m == metrics::MARGINAL_OUTLAY)
        .zip(compared.iter().position(|m| m == metrics::MARGINAL_BENEFIT));
    let prepared = [Prepared::new(&chosen), Prepared::new(&loaded.scenario)];
    let alternatives = [
        Alternative {
            prepared: &prepared[0],
            point: COMPARISON_STREAMS,
            metrics: indices(&chosen_names),
            marginal,
        },
        Alternative {
            prepared: &prepared[1],
            point: COMPARISON_STREAMS,
            metrics: indices(names),
            marginal,
        },
    ];
    let (comparison, _) = runner::run_compare(
        pool,
        &alternatives,
        o.seed,
        o.selection.compare_replications,
        &runner::Precision::default(),
        &|_| true,
    )
    .map_err(|f| replication_error(loaded, f))?;
    let estimate = |alternative: usize, k: usize| {
        let s = comparison.alternatives[alternative].summary(alternatives[alternative].metrics[k], CONFIDENCE);
        (finite(s.mean), finite(s.ci_low), finite(s.ci_high))
    };
    let unit = |name: &str| {
        names
            .iter()
            .find(|m| m.name == name)
            .map_or(String::new(), |m| m.unit.to_string())
    };
    let metrics_of_chosen: Vec<Estimate> = compared
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let (mean, ci_low, ci_high) = estimate(0, k);
            Estimate {
                metric: name.clone(),
                unit: unit(name),
                mean,
                ci_low,
                ci_high,
            }
        })
        .collect();
    let constraints = o
        .constraints
        .iter()
        .map(|c| {
            let e = metrics_of_chosen.iter().find(|e| e.metric == c.metric);
            let (mean, low, high) = e.map_or((None, None, None), |e| (e.mean, e.ci_low, e.ci_high));
            let inside = |x: Option<f64>| x.is_some_and(|x| c.bound.violation(x) <= 0.0);
            let status = if inside(low) && inside(high) {
                "met"
            } else if inside(mean) {
                "borderline"
            } else {
                "not met"
            };
            ConstraintCheck {
                metric: c.metric.clone(),
                bound: c.bound.name().to_string(),
                value: c.bound.value(),
                status: status.to_string(),
            }
        })
        .collect();
    let pair = &comparison.pairs[0];
    let differences = compared
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let d = &pair.differences[k];
            let (low, high) = d.interval(CONFIDENCE);
            PairedDifference {
                metric: name.clone(),
                unit: unit(name),
                base: estimate(1, k).0,
                recommended: estimate(0, k).0,
                mean: finite(d.mean()),
                ci_low: finite(low),
                ci_high: finite(high),
            }
        })
        .collect();
    let recommended = Recommended {
        evaluation,
        levers: record.levers.clone(),
        metrics: metrics_of_chosen,
        constraints,
    };
    let against = AgainstBase {
        replications: comparison.replications,
        differences,
        marginal: marginal.map(|_| MarginalCost::new("recommended", "base", &pair.marginal, CONFIDENCE)),
    };
    Ok((recommended, against))
}

/// The levers as optimize.json describes them.
fn lever_records(loaded: &Loaded) -> Vec<LeverRecord> {
    loaded
        .optimization
        .levers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let base = loaded
                .start
                .as_ref()
                .map(|s| l.setting(s[i]))
                .or_else(|| crate::scenario::lookup(&loaded.base, &l.path).cloned())
                .map(|v| match v {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                });
            match &l.kind {
                LeverKind::Range { min, max, integer, .. } => LeverRecord {
                    path: l.path.to_string(),
                    kind: if *integer { "integer" } else { "range" }.to_string(),
                    min: Some(*min),
                    max: Some(*max),
                    choices: Vec::new(),
                    base,
                },
                LeverKind::Choices(values) => LeverRecord {
                    path: l.path.to_string(),
                    kind: "choice".to_string(),
                    min: None,
                    max: None,
                    choices: values
                        .iter()
                        .map(|v| match v {
                            toml::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect(),
                    base,
                },
            }
        })
        .collect()
}

/// Whether the goal of the first objective is to maximize (for words).
pub fn maximizes(file: &OptimizeFile) -> bool {
    file.objectives.first().is_none_or(|o| o.goal == Goal::Maximize.name())
}
