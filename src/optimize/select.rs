//! The final selection of `feidi optimize`: Kim and Nelson's fully sequential
//! ranking-and-selection procedure (KN; Kim & Nelson, ACM TOMACS 11(3), 2001), which
//! returns the best of `k` simulated settings within an indifference zone `δ` with
//! probability at least `1 − α`, using common random numbers across the settings.
//!
//! Each setting is first observed `n0` times; the variance of every pairwise difference
//! sets how long the pair must be watched. Then one more observation of each surviving
//! setting is taken at a time, and a setting is eliminated as soon as its mean falls
//! below another's by more than a margin that shrinks with the observations. The
//! procedure ends when one setting is left, or at the last observation any pair needed
//! (then the best mean wins). The guarantee holds for normal observations whose best
//! mean exceeds every other by at least `δ` (the indifference-zone formulation); when
//! the settings are closer than `δ`, the procedure promises nothing about which of them
//! it returns, and any of them is, by the planner's own `δ`, as good.

/// How the selection runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Indifference zone: a difference in the objective smaller than this does not
    /// matter to the planner.
    pub delta: f64,
    /// Allowed probability of a wrong selection.
    pub alpha: f64,
    /// First-stage observations of each setting (at least 2).
    pub first_stage: u64,
    /// Most observations of any setting; when reached before the procedure ends, the best
    /// mean wins and the guarantee does not hold.
    pub cap: u64,
    /// Observations taken at once from each surviving setting after the first stage (the
    /// screening still looks at them one by one, so this changes only the work wasted
    /// on a setting eliminated mid-batch, never the selection).
    pub batch: u64,
}

/// What the selection found.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Index of the selected setting.
    pub best: usize,
    /// Observations of each setting used by the screening.
    pub observations: Vec<u64>,
    /// Each setting's mean over its observations.
    pub means: Vec<f64>,
    /// After how many observations each setting was eliminated (`None` for the best).
    pub eliminated_after: Vec<Option<u64>>,
    /// Whether the procedure ended by its own rule (the guarantee holds) rather than at
    /// the cap.
    pub guaranteed: bool,
}

/// Gives, for each setting listed, its observations `from..to`.
pub type Observe<'o, E> = dyn FnMut(&[usize], u64, u64) -> Result<Vec<Vec<f64>>, E> + 'o;

/// Runs KN over `k` settings. `observe(settings, from, to)` gives, for each setting in
/// `settings`, its observations `from..to` (larger is better), the same observation
/// number of every setting drawn on common random numbers.
pub fn kim_nelson<E>(k: usize, settings: &Settings, observe: &mut Observe<'_, E>) -> Result<Outcome, E> {
    let n0 = settings.first_stage.max(2);
    let mut sums = vec![0.0; k];
    let mut observations = vec![0u64; k];
    let mut eliminated_after = vec![None; k];
    let means = |sums: &[f64], observations: &[u64]| -> Vec<f64> {
        sums.iter()
            .zip(observations)
            .map(|(s, &n)| s / n.max(1) as f64)
            .collect()
    };
    if k <= 1 {
        return Ok(Outcome {
            best: 0,
            observations,
            means: vec![f64::NAN; k],
            eliminated_after,
            guaranteed: true,
        });
    }
    let all: Vec<usize> = (0..k).collect();
    let first = observe(&all, 0, n0)?;
    for (i, values) in first.iter().enumerate() {
        sums[i] = values.iter().sum();
        observations[i] = n0;
    }
    // Variances of the pairwise differences over the first stage.
    let mut s2 = vec![vec![0.0; k]; k];
    for i in 0..k {
        for l in 0..k {
            if i == l {
                continue;
            }
            let d: Vec<f64> = first[i].iter().zip(&first[l]).map(|(a, b)| a - b).collect();
            let mean = d.iter().sum::<f64>() / n0 as f64;
            s2[i][l] = d.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n0 - 1) as f64;
        }
    }
    let eta = 0.5 * (crate::math::powf(2.0 * settings.alpha / (k - 1) as f64, -2.0 / (n0 - 1) as f64) - 1.0);
    let h2 = 2.0 * eta * (n0 - 1) as f64;
    let delta2 = settings.delta * settings.delta;
    // The last observation any pair needs: beyond it every margin is zero. Beyond the cap
    // it does not matter (the cap ends the procedure first), and a tiny δ must not
    // overflow it.
    let last = (0..k)
        .flat_map(|i| (0..k).filter(move |&l| l != i).map(move |l| (i, l)))
        .map(|(i, l)| (h2 * s2[i][l] / delta2).floor())
        .fold(0.0, f64::max)
        .min(settings.cap as f64) as u64;
    let mut alive: Vec<usize> = all.clone();
    let mut r = n0;
    // Screening at r observations: i survives unless some other survivor l has a mean
    // above i's by more than W_il(r).
    let screen = |alive: &[usize], sums: &[f64], r: u64| -> Vec<usize> {
        let mean = |i: usize| sums[i] / r as f64;
        alive
            .iter()
            .copied()
            .filter(|&i| {
                alive.iter().all(|&l| {
                    l == i || {
                        let w = (settings.delta / (2.0 * r as f64) * (h2 * s2[i][l] / delta2 - r as f64)).max(0.0);
                        mean(i) >= mean(l) - w
                    }
                })
            })
            .collect()
    };
    let mut guaranteed = true;
    'screening: loop {
        let survivors = screen(&alive, &sums, r);
        for &i in &alive {
            if !survivors.contains(&i) {
                eliminated_after[i] = Some(r);
            }
        }
        alive = survivors;
        if alive.len() <= 1 || r > last {
            break;
        }
        if r >= settings.cap {
            guaranteed = false;
            break;
        }
        let to = (r + settings.batch.max(1)).min(settings.cap).min(last + 1);
        let fetched = alive.clone();
        let batch = observe(&fetched, r, to)?;
        // One observation at a time, screening after each, so that the selection does
        // not depend on the batch size.
        for (step, at) in (r + 1..=to).enumerate() {
            for (column, &i) in fetched.iter().enumerate() {
                if alive.contains(&i) {
                    sums[i] += batch[column][step];
                    observations[i] += 1;
                }
            }
            let survivors = screen(&alive, &sums, at);
            for &i in &alive {
                if !survivors.contains(&i) {
                    eliminated_after[i] = Some(at);
                }
            }
            alive = survivors;
            if alive.len() <= 1 || at > last {
                break 'screening;
            }
        }
        r = to;
    }
    let all_means = means(&sums, &observations);
    // The best mean always survives its own screening; only undefined observations
    // could leave none, and then the best mean of all is taken.
    let candidates = if alive.is_empty() { &all } else { &alive };
    let best = candidates
        .iter()
        .copied()
        .max_by(|&a, &b| all_means[a].total_cmp(&all_means[b]).then(b.cmp(&a)))
        .unwrap_or(0);
    eliminated_after[best] = None;
    Ok(Outcome {
        best,
        observations,
        means: all_means,
        eliminated_after,
        guaranteed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::{Rng, SeedableRng};

    fn normal(rng: &mut ChaCha8Rng) -> f64 {
        let u = crate::engine::rng::open01(rng.next_u64());
        let v = crate::engine::rng::open01(rng.next_u64());
        (-2.0 * crate::math::ln(u)).sqrt() * crate::math::cos(std::f64::consts::TAU * v)
    }

    /// Observations of settings with true `means`, standard deviation 1, and a shared
    /// part (correlation 0.5 between settings: common random numbers), repetition `rep`.
    fn observer(means: &[f64], rep: u64) -> impl FnMut(&[usize], u64, u64) -> Result<Vec<Vec<f64>>, ()> + '_ {
        move |settings: &[usize], from: u64, to: u64| {
            Ok(settings
                .iter()
                .map(|&i| {
                    (from..to)
                        .map(|r| {
                            let mut shared = ChaCha8Rng::seed_from_u64(rep << 32 | r);
                            let mut own = ChaCha8Rng::seed_from_u64((rep << 32 | r) ^ (i as u64 + 1) << 56);
                            means[i] + 0.5f64.sqrt() * (normal(&mut shared) + normal(&mut own))
                        })
                        .collect()
                })
                .collect())
        }
    }

    const SETTINGS: Settings = Settings {
        delta: 0.5,
        alpha: 0.05,
        first_stage: 10,
        cap: 100_000,
        batch: 16,
    };

    /// The probability of correct selection in the least favourable configuration (the
    /// best exactly δ above four others), measured over 400 seeded repetitions, is at
    /// least 1 − α = 95 %. KN is conservative (measured here: 98 %), so a
    /// correct procedure passes reliably; choosing by the first-stage means alone, in the
    /// same repetitions, falls well short of 95 % (measured: 84 %), so the configuration is hard enough
    /// for the check to fail a procedure that stops too soon.
    #[test]
    fn kn_selects_the_best_with_probability_at_least_one_minus_alpha() {
        let means = [0.0, 0.0, 0.5, 0.0, 0.0];
        let repetitions = 400;
        let mut correct = 0;
        let mut naive = 0;
        let mut guaranteed = 0;
        for rep in 0..repetitions {
            let outcome = kim_nelson(5, &SETTINGS, &mut observer(&means, rep)).unwrap();
            correct += usize::from(outcome.best == 2);
            guaranteed += usize::from(outcome.guaranteed);
            let first = observer(&means, rep)(&[0, 1, 2, 3, 4], 0, SETTINGS.first_stage).unwrap();
            let mean = |v: &Vec<f64>| v.iter().sum::<f64>() / v.len() as f64;
            let best_first = (0..5)
                .max_by(|&a, &b| mean(&first[a]).total_cmp(&mean(&first[b])))
                .unwrap();
            naive += usize::from(best_first == 2);
        }
        assert_eq!(guaranteed, repetitions as usize);
        let pcs = correct as f64 / repetitions as f64;
        let naive = naive as f64 / repetitions as f64;
        // Shown with `cargo test --lib kn_selects -- --nocapture`.
        eprintln!("correct selection: KN {pcs}, first-stage means alone {naive}");
        assert!(pcs >= 0.95, "probability of correct selection {pcs}");
        assert!(naive < 0.9, "first-stage choice alone was right {naive} of the time");
    }

    #[test]
    fn a_clearly_best_setting_is_found_with_few_observations_and_the_batch_changes_nothing() {
        let means = [0.0, 3.0, 1.0];
        let one = kim_nelson(3, &Settings { batch: 1, ..SETTINGS }, &mut observer(&means, 7)).unwrap();
        let many = kim_nelson(3, &Settings { batch: 64, ..SETTINGS }, &mut observer(&means, 7)).unwrap();
        assert_eq!(one.best, 1);
        assert_eq!(one, many);
        assert!(one.observations.iter().all(|&n| n < 200), "{:?}", one.observations);
    }

    #[test]
    fn a_tiny_indifference_zone_ends_at_the_cap_instead_of_overflowing() {
        let means = [0.0, 0.1, 0.0];
        let settings = Settings {
            delta: 1e-12,
            cap: 40,
            ..SETTINGS
        };
        let outcome = kim_nelson(3, &settings, &mut observer(&means, 3)).unwrap();
        assert!(!outcome.guaranteed);
        assert!(outcome.observations.iter().all(|&n| n <= 40));
    }

    #[test]
    fn the_cap_ends_the_selection_without_a_guarantee() {
        let means = [0.0, 0.0];
        let outcome = kim_nelson(
            2,
            &Settings {
                cap: 30,
                delta: 0.01,
                ..SETTINGS
            },
            &mut observer(&means, 1),
        )
        .unwrap();
        assert!(!outcome.guaranteed);
        assert!(outcome.observations.iter().all(|&n| n <= 30));
    }
}
