//! Approximate Bayesian computation: rejection, then sequential Monte Carlo (ABC-SMC,
//! Toni et al. 2009, with the kernel of Beaumont et al. 2009), over uniform priors.
//!
//! This module knows nothing of files or scenarios: it proposes parameter vectors, asks
//! a `simulate` function for their summary statistics, and keeps those close to the
//! targets.
//!
//! * Distance: the largest of |statistic − value| / tolerance over the targets, so a
//!   distance of at most 1 means every target is within its tolerance.
//! * Generation 0 (rejection): `particles / quantile` draws from the prior; the
//!   `particles` closest are kept, and ε₀ is the largest distance kept.
//! * Generation t ≥ 1: ε_t is the `quantile` of the previous generation's distances.
//!   Each attempt picks an ancestor by weight, perturbs it with a Gaussian kernel whose
//!   variance in each parameter is twice the weighted variance of the previous
//!   population, redraws while the proposal lies outside the prior (without
//!   simulating), simulates, and is accepted when its distance is at most ε_t. The
//!   weight of an accepted particle is prior(θ) / Σ_j w_j K(θ | θ_j); the uniform prior
//!   is constant inside its box.
//! * Determinism: attempt `a` of generation `g` draws from its own ChaCha8 stream keyed
//!   by (seed, g, a), and the model's seed for it is derived from the same triple.
//!   Attempts run in parallel in fixed batches of `particles`, are collected in attempt
//!   order, and accepted in that order, so the result does not depend on the thread
//!   count.
//!
//! An integer parameter is held as a continuous value on [min − ½, max + ½) and rounded
//! before use, so that its prior is uniform over the integers and the kernel stays
//! continuous.

use crate::engine::rng::{mix64, open01};
use crate::math;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

/// A uniform prior on one parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Prior {
    /// Lower end.
    pub min: f64,
    /// Upper end (at least `min`).
    pub max: f64,
    /// Whether the parameter takes whole numbers only.
    pub integer: bool,
}

impl Prior {
    /// The support of the continuous value the algorithm moves.
    fn support(&self) -> (f64, f64) {
        if self.integer {
            (self.min - 0.5, self.max + 0.5)
        } else {
            (self.min, self.max)
        }
    }

    /// The value a simulation uses for the continuous value `x`.
    pub fn value(&self, x: f64) -> f64 {
        if self.integer {
            x.round().clamp(self.min, self.max)
        } else {
            x
        }
    }
}

/// A reported figure: the statistic should come out at `value`, give or take `tolerance`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    /// The reported figure.
    pub value: f64,
    /// How far from it a simulated statistic may be and still count as a match (above 0).
    pub tolerance: f64,
}

/// How to run the algorithm.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Accepted particles per generation.
    pub particles: usize,
    /// Generations: one rejection step, then `generations − 1` SMC steps.
    pub generations: usize,
    /// Quantile of the previous distances that sets the next tolerance (0 < q < 1).
    pub quantile: f64,
    /// Most simulations in one SMC generation before the run stops with the previous one.
    pub max_simulations: usize,
    /// Master seed.
    pub seed: u64,
}

/// One accepted parameter set.
#[derive(Clone, Debug, PartialEq)]
pub struct Particle {
    /// The continuous values the algorithm moves (see [`Prior::value`] for the used ones).
    pub theta: Vec<f64>,
    /// The values the simulation used.
    pub values: Vec<f64>,
    /// The simulated statistics, one per target.
    pub statistics: Vec<f64>,
    /// Distance to the targets.
    pub distance: f64,
    /// Normalized importance weight (the weights of a generation sum to 1).
    pub weight: f64,
}

/// What one generation did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Generation {
    /// The tolerance on the distance.
    pub epsilon: f64,
    /// Particles accepted.
    pub accepted: usize,
    /// Simulations run.
    pub simulated: usize,
}

/// The result: the final population and the history of the tolerance.
#[derive(Clone, Debug, PartialEq)]
pub struct Posterior {
    /// The accepted particles of the last completed generation, in acceptance order.
    pub particles: Vec<Particle>,
    /// Every generation run, the last possibly incomplete (see `stopped_early`).
    pub generations: Vec<Generation>,
    /// Why the run stopped before its last generation, if it did.
    pub stopped_early: Option<String>,
}

/// Distance of `statistics` from `targets`: the largest scaled deviation.
pub fn distance(statistics: &[f64], targets: &[Target]) -> f64 {
    statistics
        .iter()
        .zip(targets)
        .map(|(s, t)| {
            let d = (s - t.value).abs() / t.tolerance;
            if d.is_nan() {
                f64::INFINITY
            } else {
                d
            }
        })
        .fold(0.0, f64::max)
}

/// The seed of the model's random streams for attempt `attempt` of generation `generation`.
pub fn model_seed(seed: u64, generation: usize, attempt: usize) -> u64 {
    mix64(mix64(seed ^ 0x5EED_CA1B) ^ mix64(((generation as u64) << 40) ^ attempt as u64))
}

fn attempt_rng(seed: u64, generation: usize, attempt: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(mix64(seed ^ 0xABC0_5EED));
    rng.set_stream(((generation as u64) << 40) | attempt as u64);
    rng
}

fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    open01(rng.next_u64())
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller; open01 never gives 0.
    let (u, v) = (uniform(rng), uniform(rng));
    (-2.0 * math::ln(u)).sqrt() * math::cos(std::f64::consts::TAU * v)
}

/// Weighted quantile `q` of `(value, weight)` pairs (weights summing to 1).
pub fn weighted_quantile(pairs: &[(f64, f64)], q: f64) -> f64 {
    let mut sorted: Vec<(f64, f64)> = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = sorted.iter().map(|p| p.1).sum();
    let mut cumulative = 0.0;
    for &(x, w) in &sorted {
        cumulative += w;
        if cumulative >= q * total - 1e-12 {
            return x;
        }
    }
    sorted.last().map_or(f64::NAN, |p| p.0)
}

/// Weighted mean and standard deviation of `(value, weight)` pairs.
pub fn weighted_mean_sd(pairs: &[(f64, f64)]) -> (f64, f64) {
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = pairs.iter().map(|(x, w)| x * w).sum::<f64>() / total;
    let var = pairs.iter().map(|(x, w)| w * (x - mean).powi(2)).sum::<f64>() / total;
    (mean, var.max(0.0).sqrt())
}

/// A model: the statistics (one per target) for the used parameter values and a model
/// seed, or an error that stops the run.
pub type Simulate<'a> = dyn Fn(&[f64], u64) -> Result<Vec<f64>, String> + Sync + 'a;

/// The outcome of one attempt.
struct Attempt {
    theta: Vec<f64>,
    values: Vec<f64>,
    result: Result<Vec<f64>, String>,
}

/// Runs ABC rejection then ABC-SMC. `simulate(values, model_seed)` returns one statistic
/// per target, or an error that stops the run. Parallel work goes to `pool`.
pub fn run(
    pool: &rayon::ThreadPool,
    priors: &[Prior],
    targets: &[Target],
    settings: Settings,
    simulate: &Simulate<'_>,
    progress: &(dyn Fn(usize, usize, usize) + Sync),
) -> Result<Posterior, String> {
    let n = settings.particles.max(1);
    let evaluate = |generation: usize,
                    attempts: std::ops::Range<usize>,
                    propose: &(dyn Fn(&mut ChaCha8Rng) -> Option<Vec<f64>> + Sync)|
     -> Vec<Option<Attempt>> {
        pool.install(|| {
            attempts
                .into_par_iter()
                .map(|a| {
                    let mut rng = attempt_rng(settings.seed, generation, a);
                    let theta = propose(&mut rng)?;
                    let values: Vec<f64> = theta.iter().zip(priors).map(|(&x, p)| p.value(x)).collect();
                    let result = simulate(&values, model_seed(settings.seed, generation, a));
                    Some(Attempt { theta, values, result })
                })
                .collect()
        })
    };

    // Generation 0: rejection from the prior.
    let draws = ((n as f64 / settings.quantile).ceil() as usize).max(n);
    let from_prior = |rng: &mut ChaCha8Rng| -> Option<Vec<f64>> {
        Some(
            priors
                .iter()
                .map(|p| {
                    let (lo, hi) = p.support();
                    lo + uniform(rng) * (hi - lo)
                })
                .collect(),
        )
    };
    let mut candidates = Vec::with_capacity(draws);
    for attempt in evaluate(0, 0..draws, &from_prior).into_iter().flatten() {
        let statistics = attempt.result?;
        let distance = distance(&statistics, targets);
        candidates.push(Particle {
            theta: attempt.theta,
            values: attempt.values,
            statistics,
            distance,
            weight: 1.0 / n as f64,
        });
    }
    // Stable sort: ties keep draw order.
    candidates.sort_by(|a, b| a.distance.total_cmp(&b.distance));
    candidates.truncate(n);
    let mut population = candidates;
    let mut generations = vec![Generation {
        epsilon: population.last().map_or(f64::INFINITY, |p| p.distance),
        accepted: population.len(),
        simulated: draws,
    }];
    progress(0, population.len(), draws);
    let mut stopped_early = None;

    for generation in 1..settings.generations {
        let mut distances: Vec<f64> = population.iter().map(|p| p.distance).collect();
        distances.sort_by(f64::total_cmp);
        let index = ((settings.quantile * distances.len() as f64).ceil() as usize).clamp(1, distances.len()) - 1;
        let epsilon = distances[index];
        // The kernel: variance twice the weighted variance of the population.
        let sd: Vec<f64> = (0..priors.len())
            .map(|k| {
                let pairs: Vec<(f64, f64)> = population.iter().map(|p| (p.theta[k], p.weight)).collect();
                let (_, s) = weighted_mean_sd(&pairs);
                let (lo, hi) = priors[k].support();
                (2.0f64.sqrt() * s).max(1e-9 * (hi - lo)).max(1e-300)
            })
            .collect();
        let cumulative: Vec<f64> = population
            .iter()
            .scan(0.0, |c, p| {
                *c += p.weight;
                Some(*c)
            })
            .collect();
        let total_weight = cumulative.last().copied().unwrap_or(1.0);
        let inside = |theta: &[f64]| {
            theta.iter().zip(priors).all(|(&x, p)| {
                let (lo, hi) = p.support();
                x >= lo && x < hi
            })
        };
        let perturb = |rng: &mut ChaCha8Rng| -> Option<Vec<f64>> {
            for _ in 0..1000 {
                let u = uniform(rng) * total_weight;
                let ancestor = cumulative.partition_point(|&c| c < u).min(population.len() - 1);
                let theta: Vec<f64> = population[ancestor]
                    .theta
                    .iter()
                    .zip(&sd)
                    .map(|(&x, &s)| x + s * normal(rng))
                    .collect();
                if inside(&theta) {
                    return Some(theta);
                }
            }
            None
        };
        let mut accepted: Vec<Particle> = Vec::with_capacity(n);
        let mut simulated = 0;
        let mut next = 0;
        while accepted.len() < n && simulated < settings.max_simulations {
            let batch = n.min(settings.max_simulations - simulated).max(1);
            let results = evaluate(generation, next..next + batch, &perturb);
            next += batch;
            for attempt in results.into_iter().flatten() {
                simulated += 1;
                if accepted.len() >= n {
                    continue;
                }
                let statistics = attempt.result?;
                let d = distance(&statistics, targets);
                if d <= epsilon {
                    accepted.push(Particle {
                        theta: attempt.theta,
                        values: attempt.values,
                        statistics,
                        distance: d,
                        weight: 0.0,
                    });
                }
            }
            progress(generation, accepted.len(), simulated);
        }
        generations.push(Generation {
            epsilon,
            accepted: accepted.len(),
            simulated,
        });
        if accepted.len() < n {
            stopped_early = Some(format!(
                "generation {generation} accepted {} of {n} particles within {} simulations at ε = {epsilon:.4}; \
                 the posterior is generation {}'s",
                accepted.len(),
                settings.max_simulations,
                generation - 1
            ));
            break;
        }
        // Importance weights against the uniform prior.
        for particle in &mut accepted {
            let denominator: f64 = population
                .iter()
                .map(|old| {
                    let log_k: f64 = particle
                        .theta
                        .iter()
                        .zip(&old.theta)
                        .zip(&sd)
                        .map(|((x, y), s)| -0.5 * ((x - y) / s).powi(2))
                        .sum();
                    old.weight * math::exp(log_k)
                })
                .sum();
            particle.weight = if denominator > 0.0 { 1.0 / denominator } else { 0.0 };
        }
        let total: f64 = accepted.iter().map(|p| p.weight).sum();
        if total > 0.0 && total.is_finite() {
            accepted.iter_mut().for_each(|p| p.weight /= total);
        } else {
            accepted.iter_mut().for_each(|p| p.weight = 1.0 / n as f64);
        }
        population = accepted;
    }
    Ok(Posterior {
        particles: population,
        generations,
        stopped_early,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
    }

    /// A toy model: the statistic is the parameter plus noise of sd 0.5 drawn from the
    /// model seed; the target 3 with tolerance 0.5 must pull the posterior of a uniform
    /// prior on [0, 10] around 3.
    fn toy(values: &[f64], seed: u64) -> Result<Vec<f64>, String> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Ok(vec![values[0] + 0.5 * normal(&mut rng)])
    }

    fn settings() -> Settings {
        Settings {
            particles: 300,
            generations: 4,
            quantile: 0.5,
            max_simulations: 100_000,
            seed: 7,
        }
    }

    #[test]
    fn the_posterior_concentrates_on_the_target_and_tolerances_fall() {
        let priors = [Prior {
            min: 0.0,
            max: 10.0,
            integer: false,
        }];
        let targets = [Target {
            value: 3.0,
            tolerance: 0.5,
        }];
        let post = run(&pool(2), &priors, &targets, settings(), &toy, &|_, _, _| {}).unwrap();
        assert_eq!(post.particles.len(), 300);
        assert!(post.stopped_early.is_none());
        let eps: Vec<f64> = post.generations.iter().map(|g| g.epsilon).collect();
        assert!(eps.windows(2).all(|w| w[1] <= w[0]), "{eps:?}");
        let pairs: Vec<(f64, f64)> = post.particles.iter().map(|p| (p.values[0], p.weight)).collect();
        let (mean, sd) = weighted_mean_sd(&pairs);
        let sum: f64 = post.particles.iter().map(|p| p.weight).sum();
        assert!((sum - 1.0).abs() < 1e-9);
        assert!((mean - 3.0).abs() < 0.3, "mean {mean}");
        // Likelihood sd 0.5 plus the ABC tolerance: the posterior sd is near 0.5, far
        // below the prior's 2.9.
        assert!(sd > 0.2 && sd < 1.0, "sd {sd}");
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let priors = [
            Prior {
                min: 0.0,
                max: 10.0,
                integer: false,
            },
            Prior {
                min: 1.0,
                max: 5.0,
                integer: true,
            },
        ];
        let targets = [Target {
            value: 3.0,
            tolerance: 0.5,
        }];
        let s = Settings {
            particles: 50,
            generations: 3,
            ..settings()
        };
        let one = run(&pool(1), &priors, &targets, s, &toy, &|_, _, _| {}).unwrap();
        let two = run(&pool(2), &priors, &targets, s, &toy, &|_, _, _| {}).unwrap();
        assert_eq!(one, two);
        assert!(one
            .particles
            .iter()
            .all(|p| p.values[1].fract() == 0.0 && (1.0..=5.0).contains(&p.values[1])));
    }

    #[test]
    fn weighted_quantiles_and_moments() {
        let pairs = [(1.0, 0.25), (2.0, 0.25), (3.0, 0.5)];
        assert_eq!(weighted_quantile(&pairs, 0.05), 1.0);
        assert_eq!(weighted_quantile(&pairs, 0.5), 2.0);
        assert_eq!(weighted_quantile(&pairs, 0.95), 3.0);
        let (m, s) = weighted_mean_sd(&pairs);
        assert!((m - 2.25).abs() < 1e-12);
        assert!((s - (0.6875f64).sqrt()).abs() < 1e-12);
        assert_eq!(
            distance(
                &[4.0, 10.0],
                &[
                    Target {
                        value: 3.0,
                        tolerance: 2.0
                    },
                    Target {
                        value: 7.0,
                        tolerance: 1.0
                    }
                ]
            ),
            3.0
        );
    }
}
