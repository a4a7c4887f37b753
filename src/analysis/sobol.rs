//! Variance-based (Sobol) sensitivity indices by Saltelli sampling.
//!
//! References: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto, S. Tarantola
//! (2010), "Variance based sensitivity analysis of model output. Design and estimator
//! for the total sensitivity index", Computer Physics Communications 181(2):259–270;
//! M. J. W. Jansen (1999), "Analysis of variance designs for model output", Computer
//! Physics Communications 117(1–2):35–43.
//!
//! Two independent N × k sample matrices A and B (the first and the last k dimensions of
//! one Owen-scrambled Sobol sequence, as Saltelli et al. 2010 recommend), and for each
//! parameter i the matrix A_B^(i): A with column i taken from B. The model runs on every
//! row of A, B and each A_B^(i): N(k + 2) runs. With V the variance of the outputs of A
//! and B together (2N values):
//!
//! - first order (Jansen 1999; Saltelli et al. 2010, table 2, estimator (f)):
//!   Sᵢ = (V − (1/2N) Σⱼ (f(B)ⱼ − f(A_B^(i))ⱼ)²) / V — B and A_B^(i) share only xᵢ;
//! - total (Jansen 1999; Saltelli et al. 2010, table 2, estimator (f)):
//!   S_Tᵢ = (1/2N) Σⱼ (f(A)ⱼ − f(A_B^(i))ⱼ)² / V — A and A_B^(i) differ only in xᵢ.
//!
//! Confidence intervals: the base rows j are resampled with replacement (a seeded
//! ChaCha8 stream, so the same seed gives the same intervals) and the indices
//! recomputed; the interval is the percentile interval of the resampled indices (Efron
//! & Tibshirani 1993, ch. 13).

use super::{below, generator, quantile_sorted, streams};
use rand::Rng;

/// Bootstrap resamples behind each confidence interval.
pub const RESAMPLES: usize = 1000;
/// Most base rows: the Sobol sequence used has 2^16 points.
pub const MAX_SAMPLES: usize = 1 << 16;
/// Most parameters: A and B take 2k of the sequence's 256 dimensions.
pub const MAX_PARAMETERS: usize = 128;

/// Number of design points: N base rows, each giving a row of A, of B and of every
/// A_B^(i).
pub fn points(k: usize, samples: usize) -> usize {
    samples * (k + 2)
}

/// The design for `k` parameters and `samples` = N base rows, scrambled by `seed`. The
/// points come in blocks of k + 2 per base row j: A's row j, B's row j, then row j of
/// A_B^(1) … A_B^(k).
pub fn design(k: usize, samples: usize, seed: u64) -> Result<Vec<Vec<f64>>, String> {
    if k == 0 || k > MAX_PARAMETERS {
        return Err(format!(
            "Sobol indices need 1 to {MAX_PARAMETERS} parameters, found {k}"
        ));
    }
    if !(2..=MAX_SAMPLES).contains(&samples) {
        return Err(format!(
            "Sobol indices need 2 to {MAX_SAMPLES} base samples, found {samples}"
        ));
    }
    let scramble = (seed ^ (seed >> 32)) as u32;
    let mut out = Vec::with_capacity(points(k, samples));
    for j in 0..samples {
        let draw = |d: usize| sobol_burley::sample(j as u32, d as u32, scramble) as f64;
        let a: Vec<f64> = (0..k).map(draw).collect();
        let b: Vec<f64> = (k..2 * k).map(draw).collect();
        out.push(a.clone());
        out.push(b.clone());
        for i in 0..k {
            let mut ab = a.clone();
            ab[i] = b[i];
            out.push(ab);
        }
    }
    Ok(out)
}

/// One parameter's indices with their confidence intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Index {
    /// First-order index Sᵢ: the share of the output's variance due to the parameter
    /// alone.
    pub first: f64,
    /// Lower end of Sᵢ's confidence interval.
    pub first_low: f64,
    /// Upper end of Sᵢ's confidence interval.
    pub first_high: f64,
    /// Total index S_Tᵢ: the share due to the parameter alone and in all its
    /// interactions.
    pub total: f64,
    /// Lower end of S_Tᵢ's confidence interval.
    pub total_low: f64,
    /// Upper end of S_Tᵢ's confidence interval.
    pub total_high: f64,
}

/// First-order and total indices of each of `k` parameters from the outputs of
/// [`design`] (in design order), with `confidence` (such as 0.95) percentile bootstrap
/// intervals from [`RESAMPLES`] resamples of the base rows drawn from `seed`. Indices
/// are NaN when the output does not vary (V = 0) or is not finite.
pub fn indices(k: usize, outputs: &[f64], confidence: f64, seed: u64) -> Result<Vec<Index>, String> {
    let width = k + 2;
    if k == 0 || outputs.len() % width != 0 || outputs.len() / width < 2 {
        return Err(format!(
            "a Saltelli design of {k} parameters has a multiple of {width} points (at least 2 base rows), found {} outputs",
            outputs.len()
        ));
    }
    let n = outputs.len() / width;
    let rows: Vec<usize> = (0..n).collect();
    let point = estimate(k, outputs, &rows);
    let mut rng = generator(seed, streams::BOOTSTRAP);
    let mut firsts = vec![Vec::with_capacity(RESAMPLES); k];
    let mut totals = vec![Vec::with_capacity(RESAMPLES); k];
    let mut sample = vec![0; n];
    for _ in 0..RESAMPLES {
        for s in sample.iter_mut() {
            *s = below(rng.next_u64(), n);
        }
        for (i, (first, total)) in estimate(k, outputs, &sample).into_iter().enumerate() {
            firsts[i].push(first);
            totals[i].push(total);
        }
    }
    let tail = (1.0 - confidence) / 2.0;
    let interval = |mut v: Vec<f64>| {
        if v.iter().any(|x| x.is_nan()) {
            return (f64::NAN, f64::NAN);
        }
        v.sort_by(f64::total_cmp);
        (quantile_sorted(&v, tail), quantile_sorted(&v, 1.0 - tail))
    };
    Ok(point
        .into_iter()
        .zip(firsts.into_iter().zip(totals))
        .map(|((first, total), (fs, ts))| {
            let (first_low, first_high) = interval(fs);
            let (total_low, total_high) = interval(ts);
            Index {
                first,
                first_low,
                first_high,
                total,
                total_low,
                total_high,
            }
        })
        .collect())
}

/// (Sᵢ, S_Tᵢ) of each parameter from the base rows listed in `rows` (with repeats when
/// resampled), by the Jansen estimators.
fn estimate(k: usize, y: &[f64], rows: &[usize]) -> Vec<(f64, f64)> {
    let width = k + 2;
    let n = rows.len() as f64;
    // V from the outputs of A and B together; two-pass for accuracy.
    let mean = rows.iter().map(|&j| y[j * width] + y[j * width + 1]).sum::<f64>() / (2.0 * n);
    let variance = rows
        .iter()
        .map(|&j| (y[j * width] - mean).powi(2) + (y[j * width + 1] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    (0..k)
        .map(|i| {
            let (mut first, mut total) = (0.0, 0.0);
            for &j in rows {
                let (a, b, ab) = (y[j * width], y[j * width + 1], y[j * width + 2 + i]);
                first += (b - ab).powi(2);
                total += (a - ab).powi(2);
            }
            if variance > 0.0 {
                ((variance - first / (2.0 * n)) / variance, total / (2.0 * n) / variance)
            } else {
                (f64::NAN, f64::NAN)
            }
        })
        .collect()
}
