//! Calibration: find the settings of a scenario that reproduce reported figures.
//!
//! A calibration file ([`mod@file`]) names a base scenario, the reported figures (targets:
//! totals of `feidi run` with tolerances) and the settings to calibrate (key paths with
//! uniform prior ranges). [`abc`] runs approximate Bayesian computation over them,
//! knowing nothing of files; this module joins the two — each particle's values are set
//! into the base scenario, which is validated and simulated — and formats the results
//! (posterior.csv, calibration.json, the terminal table).

pub mod abc;
pub mod file;

pub use file::{Calibration, Loaded, Parameter, Statistic, Target};

use crate::engine::rng::StreamKey;
use crate::model::Prepared;
use crate::results::calibration::{CalibratedScenario, CalibrationFile, Generation, ParameterPosterior, TargetFit};
use std::fmt::Write as _;

/// What a calibration stopped by [`run`]'s `stop` fails with.
pub const STOPPED: &str = "the calibration was stopped";

/// Runs the calibration of `loaded` on `pool`; `progress(generation, accepted,
/// simulated)` is called as work finishes. Once `stop()` is true no further parameter
/// set is simulated and the run fails with [`STOPPED`] (a calibration keeps nothing
/// part-way: it is deterministic, so it is simply run again).
pub fn run(
    loaded: &Loaded,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(usize, usize, usize) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<abc::Posterior, String> {
    let c = &loaded.calibration;
    let priors: Vec<abc::Prior> = c
        .parameters
        .iter()
        .map(|p| abc::Prior {
            min: p.min,
            max: p.max,
            integer: p.integer,
        })
        .collect();
    let targets: Vec<abc::Target> = c
        .targets
        .iter()
        .map(|t| abc::Target {
            value: t.value,
            tolerance: t.tolerance,
        })
        .collect();
    let settings = abc::Settings {
        particles: c.particles,
        generations: c.generations,
        quantile: c.quantile,
        max_simulations: c.max_simulations,
        seed: c.seed,
    };
    let name = c.scenario.display().to_string();
    let simulate = |values: &[f64], seed: u64| -> Result<Vec<f64>, String> {
        if stop() {
            return Err(STOPPED.to_string());
        }
        let scenario = c.scenario_at(&loaded.base, values, &name)?;
        let prepared = Prepared::new(&scenario);
        let mut per_target = vec![Vec::with_capacity(c.replications as usize); c.targets.len()];
        for replication in 0..c.replications {
            let key = StreamKey {
                seed,
                point: 0,
                replication,
            };
            let outcome = crate::runner::run_one(&prepared, key).map_err(|e| e.to_string())?;
            for (list, &metric) in per_target.iter_mut().zip(&loaded.metrics) {
                list.push(outcome.totals[metric]);
            }
        }
        Ok(per_target
            .iter_mut()
            .zip(&c.targets)
            .map(|(list, t)| t.statistic.of(list))
            .collect())
    };
    abc::run(pool, &priors, &targets, settings, &simulate, progress)
}

/// Weighted summary of one column of the posterior.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Marginal {
    /// Weighted mean.
    pub mean: f64,
    /// Weighted standard deviation.
    pub sd: f64,
    /// Weighted 5th percentile.
    pub p5: f64,
    /// Weighted median.
    pub p50: f64,
    /// Weighted 95th percentile.
    pub p95: f64,
}

/// The weighted summary of `column(particle)` over the posterior's particles.
pub fn marginal(posterior: &abc::Posterior, column: impl Fn(&abc::Particle) -> f64) -> Marginal {
    let pairs: Vec<(f64, f64)> = posterior.particles.iter().map(|p| (column(p), p.weight)).collect();
    let (mean, sd) = abc::weighted_mean_sd(&pairs);
    Marginal {
        mean,
        sd,
        p5: abc::weighted_quantile(&pairs, 0.05),
        p50: abc::weighted_quantile(&pairs, 0.5),
        p95: abc::weighted_quantile(&pairs, 0.95),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// posterior.csv: one row per accepted particle of the final generation — its number,
/// the value of each parameter (one column per key path), each target's simulated
/// statistic, its distance and its weight.
pub fn posterior_csv(loaded: &Loaded, posterior: &abc::Posterior) -> String {
    let c = &loaded.calibration;
    let mut header = vec!["particle".to_string()];
    header.extend(c.parameters.iter().map(|p| csv_field(&p.path.to_string())));
    header.extend(
        c.targets
            .iter()
            .map(|t| csv_field(&format!("{} ({})", t.metric, t.statistic.name()))),
    );
    header.extend(["distance".to_string(), "weight".to_string()]);
    let mut out = header.join(",");
    out.push('\n');
    for (i, p) in posterior.particles.iter().enumerate() {
        let _ = write!(out, "{i}");
        for x in p.values.iter().chain(&p.statistics).chain([&p.distance, &p.weight]) {
            let _ = write!(out, ",{x}");
        }
        out.push('\n');
    }
    out
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// calibration.json: the run's settings, each target against its posterior predictive
/// (the weighted mean and 5–95 % range of the accepted particles' statistics), each
/// parameter's prior range and weighted posterior summary, and the tolerance schedule.
pub fn calibration_file(loaded: &Loaded, scenario_file: &str, posterior: &abc::Posterior) -> CalibrationFile {
    let c = &loaded.calibration;
    let targets = c
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let m = marginal(posterior, |p| p.statistics[k]);
            TargetFit {
                metric: t.metric.clone(),
                statistic: t.statistic.name().to_string(),
                value: t.value,
                tolerance: t.tolerance,
                posterior_mean: finite(m.mean),
                posterior_p5: finite(m.p5),
                posterior_p95: finite(m.p95),
            }
        })
        .collect();
    let parameters = c
        .parameters
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let m = marginal(posterior, |q| q.values[k]);
            ParameterPosterior {
                path: p.path.to_string(),
                prior_min: p.min,
                prior_max: p.max,
                integer: p.integer,
                unit: p.unit.clone(),
                mean: finite(m.mean),
                sd: finite(m.sd),
                p5: finite(m.p5),
                p50: finite(m.p50),
                p95: finite(m.p95),
            }
        })
        .collect();
    CalibrationFile {
        feidi_version: env!("CARGO_PKG_VERSION").to_string(),
        name: c.name.clone(),
        scenario: CalibratedScenario {
            name: loaded.scenario.name.clone(),
            file: scenario_file.to_string(),
            sha256: crate::results::sha256_hex(&loaded.base_bytes),
        },
        seed: c.seed,
        replications_per_particle: c.replications,
        quantile: c.quantile,
        targets,
        parameters,
        generations: posterior
            .generations
            .iter()
            .map(|g| Generation {
                epsilon: finite(g.epsilon),
                accepted: g.accepted,
                simulated: g.simulated,
            })
            .collect(),
        particles: posterior.particles.len(),
        stopped_early: posterior.stopped_early.clone(),
    }
}

/// The posterior table for the terminal.
pub fn table(loaded: &Loaded, posterior: &abc::Posterior) -> String {
    use crate::results::figure;
    let c = &loaded.calibration;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<34} {:>21} {:>10} {:>10} {:>10} {:>10} {:>10}",
        "parameter", "prior", "mean", "sd", "p5", "p50", "p95"
    );
    for (k, p) in c.parameters.iter().enumerate() {
        let m = marginal(posterior, |q| q.values[k]);
        let prior = crate::results::interval(p.min, p.max);
        let _ = writeln!(
            out,
            "{:<34} {:>21} {:>10} {:>10} {:>10} {:>10} {:>10}{}",
            p.path.to_string(),
            prior,
            figure(m.mean),
            figure(m.sd),
            figure(m.p5),
            figure(m.p50),
            figure(m.p95),
            p.unit.as_deref().map_or(String::new(), |u| format!(" {u}"))
        );
    }
    let _ = writeln!(
        out,
        "\n{:<34} {:>21} {:>10} {:>10} {:>10}",
        "target", "reported ± tolerance", "simulated", "p5", "p95"
    );
    for (k, t) in c.targets.iter().enumerate() {
        let m = marginal(posterior, |p| p.statistics[k]);
        let _ = writeln!(
            out,
            "{:<34} {:>21} {:>10} {:>10} {:>10}",
            format!("{} ({})", t.metric, t.statistic.name()),
            format!("{} ± {}", figure(t.value), figure(t.tolerance)),
            figure(m.mean),
            figure(m.p5),
            figure(m.p95)
        );
    }
    let _ = writeln!(out, "\ngeneration   epsilon   accepted   simulated");
    for (g, gen) in posterior.generations.iter().enumerate() {
        let _ = writeln!(
            out,
            "{g:>10} {:>9} {:>10} {:>11}",
            figure(gen.epsilon),
            gen.accepted,
            gen.simulated
        );
    }
    if let Some(why) = &posterior.stopped_early {
        let _ = writeln!(out, "stopped early: {why}");
    }
    out
}
