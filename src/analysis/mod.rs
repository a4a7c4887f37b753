//! Sensitivity analysis and scenario discovery: pure mathematics over the unit
//! hypercube. Each method generates its design points as positions in [0, 1]^k (one
//! coordinate per varied parameter) and computes its indices from a vector of model
//! outputs, one per design point, in design order. Nothing here knows about files,
//! sweeps or enclaves; the caller maps positions onto parameter ranges and runs the
//! model.
//!
//! - [`oat`]: one parameter at a time between its ends, the others at a base value
//!   (a tornado chart).
//! - [`morris`]: elementary effects along random trajectories (Morris 1991, with the
//!   μ* of Campolongo, Cariboni & Saltelli 2007).
//! - [`sobol`]: first-order and total Sobol indices from Saltelli sampling with the
//!   Jansen estimators and bootstrap confidence intervals (Saltelli et al. 2010).
//! - [`prim`]: the patient rule induction method (Friedman & Fisher 1999) for scenario
//!   discovery: boxes in parameter space where a condition on the outputs holds.

pub mod morris;
pub mod oat;
pub mod prim;
pub mod sobol;

use rand::rngs::ChaCha8Rng;
use rand::SeedableRng;

/// ChaCha8 stream numbers used by this module, far from the streams of replications
/// (those pack a design point below 2^24 into the top bits) and from the Latin
/// hypercube's stream (`u64::MAX`).
mod streams {
    /// Morris trajectories.
    pub const MORRIS: u64 = u64::MAX - 1;
    /// Bootstrap resampling of Sobol base rows.
    pub const BOOTSTRAP: u64 = u64::MAX - 2;
}

/// A ChaCha8 generator for `stream` of `seed`.
fn generator(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// A uniform whole number in `0..n` (`n` ≥ 1) from a raw 64-bit draw, by Lemire's
/// multiply-shift (bias below 2^-32 for the small `n` used here).
fn below(raw: u64, n: usize) -> usize {
    ((raw as u128 * n as u128) >> 64) as usize
}

/// The `q` quantile (0 ≤ q ≤ 1) of sorted values, interpolating linearly between order
/// statistics (the "type 7" definition of R and NumPy). NaN for no values.
fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert_eq!(quantile_sorted(&v, 0.625), 3.5);
        assert_eq!(quantile_sorted(&v, 1.0), 5.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn below_stays_in_range() {
        for raw in [0, 1, u64::MAX / 2, u64::MAX] {
            assert!(below(raw, 7) < 7);
        }
        assert_eq!(below(u64::MAX, 7), 6);
    }
}
