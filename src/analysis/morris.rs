//! Morris elementary effects (Morris 1991, "Factorial sampling plans for preliminary
//! computational experiments", Technometrics 33(2)), with μ* from Campolongo, Cariboni
//! & Saltelli (2007, Environmental Modelling & Software 22(10)).
//!
//! Each parameter takes `levels` = p values on the grid {0, 1/(p−1), …, 1} of its unit
//! range. A trajectory starts at a random grid point and moves one parameter at a time,
//! in random order, by Δ = p / (2(p−1)) up or down; r trajectories of k + 1 points give
//! r elementary effects per parameter, EE = (f(x after the step) − f(x before)) / ±Δ,
//! the change of the output per whole range of the parameter. From them: μ (mean EE:
//! the direction), μ* (mean |EE|: the importance, robust to effects of both signs) and σ
//! (standard deviation of EE: nonlinearity or interactions). A linear function
//! f = Σ cᵢ uᵢ has EE = cᵢ for every step, so μ = cᵢ, μ* = |cᵢ| and σ = 0.

use super::{below, generator, streams};
use rand::Rng;

/// One step of a trajectory: which parameter moved, and by how much (±Δ).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    /// The parameter that changes.
    pub parameter: usize,
    /// Its change in unit coordinates: +Δ or −Δ.
    pub change: f64,
}

/// A Morris design: `trajectories` runs of k + 1 points each.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// Number of parameters.
    pub k: usize,
    /// The step Δ = p / (2(p − 1)).
    pub delta: f64,
    /// The points, trajectory after trajectory; point `t(k+1) + s` is step `s` of
    /// trajectory `t`, each a position in [0, 1] per parameter.
    pub points: Vec<Vec<f64>>,
    /// The steps, `k` per trajectory: step `tk + s` leads from point `t(k+1) + s` to
    /// point `t(k+1) + s + 1`.
    pub steps: Vec<Step>,
}

/// Number of design points: r trajectories of k + 1 points.
pub fn points(k: usize, trajectories: usize) -> usize {
    trajectories * (k + 1)
}

/// The design for `k` parameters, `trajectories` = r and an even number of `levels` = p
/// ≥ 2, drawn from ChaCha8 stream of `seed` reserved for Morris designs.
pub fn design(k: usize, trajectories: usize, levels: usize, seed: u64) -> Result<Design, String> {
    if levels < 2 || levels % 2 != 0 {
        return Err(format!(
            "Morris designs need an even number of levels of at least 2, found {levels}"
        ));
    }
    let mut rng = generator(seed, streams::MORRIS);
    let grid = (levels - 1) as f64;
    let delta = levels as f64 / (2.0 * grid);
    // Starting levels from which a step of Δ up stays on the grid: the lower half.
    let starts = levels / 2;
    let mut points = Vec::with_capacity(trajectories * (k + 1));
    let mut steps = Vec::with_capacity(trajectories * k);
    for _ in 0..trajectories {
        // For each parameter a pair of grid levels Δ apart, entered at the low or the
        // high one at random (the signs D* of Morris's orientation matrix).
        let mut x = Vec::with_capacity(k);
        let mut up = Vec::with_capacity(k);
        for _ in 0..k {
            let low = below(rng.next_u64(), starts) as f64 / grid;
            let rising = rng.next_u64() >> 63 == 0;
            x.push(if rising { low } else { low + delta });
            up.push(rising);
        }
        // A random order of the parameters (the permutation P* of the same matrix).
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            order.swap(i, below(rng.next_u64(), i + 1));
        }
        points.push(x.clone());
        for &i in &order {
            let change = if up[i] { delta } else { -delta };
            x[i] = (x[i] + change).clamp(0.0, 1.0);
            points.push(x.clone());
            steps.push(Step { parameter: i, change });
        }
    }
    Ok(Design {
        k,
        delta,
        points,
        steps,
    })
}

/// One parameter's Morris statistics, in the output's unit per whole range of the
/// parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effect {
    /// μ: the mean elementary effect.
    pub mu: f64,
    /// μ*: the mean absolute elementary effect.
    pub mu_star: f64,
    /// σ: the standard deviation of the elementary effects (divisor r − 1; NaN for r = 1).
    pub sigma: f64,
}

/// The elementary effects of each parameter from the outputs of `design`, in design
/// order; `result[i]` lists parameter i's effects, one per trajectory.
pub fn elementary_effects(design: &Design, outputs: &[f64]) -> Result<Vec<Vec<f64>>, String> {
    if outputs.len() != design.points.len() {
        return Err(format!(
            "the Morris design has {} points, found {} outputs",
            design.points.len(),
            outputs.len()
        ));
    }
    let k = design.k;
    let mut effects = vec![Vec::new(); k];
    for (n, step) in design.steps.iter().enumerate() {
        let (t, s) = (n / k.max(1), n % k.max(1));
        let before = outputs[t * (k + 1) + s];
        let after = outputs[t * (k + 1) + s + 1];
        effects[step.parameter].push((after - before) / step.change);
    }
    Ok(effects)
}

/// μ, μ* and σ of each parameter from the outputs of `design`, in design order. An
/// elementary effect is left out where either of its two outputs is not finite (a
/// metric with no value at a point); with none left the statistics are NaN.
pub fn effects(design: &Design, outputs: &[f64]) -> Result<Vec<Effect>, String> {
    Ok(elementary_effects(design, outputs)?
        .into_iter()
        .map(|mut ee| {
            ee.retain(|e| e.is_finite());
            let r = ee.len() as f64;
            let mu = ee.iter().sum::<f64>() / r;
            let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / r;
            let sigma = (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (r - 1.0)).sqrt();
            Effect {
                mu,
                mu_star,
                sigma: if ee.len() > 1 { sigma } else { f64::NAN },
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_moves_one_parameter_by_delta_on_the_grid() {
        let d = design(5, 20, 4, 3).unwrap();
        assert_eq!(d.points.len(), points(5, 20));
        assert!((d.delta - 2.0 / 3.0).abs() < 1e-12);
        for (n, step) in d.steps.iter().enumerate() {
            let (t, s) = (n / 5, n % 5);
            let (a, b) = (&d.points[t * 6 + s], &d.points[t * 6 + s + 1]);
            for i in 0..5 {
                let moved = b[i] - a[i];
                if i == step.parameter {
                    assert!((moved - step.change).abs() < 1e-12);
                } else {
                    assert_eq!(moved, 0.0);
                }
                // Every coordinate on the grid {0, 1/3, 2/3, 1}.
                assert!((b[i] * 3.0 - (b[i] * 3.0).round()).abs() < 1e-9 && (0.0..=1.0).contains(&b[i]));
            }
        }
        // Each trajectory moves each parameter exactly once.
        for t in 0..20 {
            let mut moved: Vec<usize> = d.steps[t * 5..t * 5 + 5].iter().map(|s| s.parameter).collect();
            moved.sort_unstable();
            assert_eq!(moved, [0, 1, 2, 3, 4]);
        }
        assert!(design(2, 2, 3, 1).is_err());
    }
}
