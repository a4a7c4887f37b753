//! Helpers shared by the model's test files: building scenarios, running replications,
//! 99 % confidence intervals and the accounting identity.
#![allow(dead_code)] // each test file uses its own subset

use feidi::engine::rng::StreamKey;
use feidi::model::metrics::total;
use feidi::model::{Outcome, Prepared};
use feidi::scenario::Scenario;
use feidi::stats::student::t_quantile;

/// A scenario from TOML text; a test scenario must be valid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml("test.toml", text).unwrap_or_else(|e| panic!("test scenario is invalid:\n{e}"))
}

/// Replications 0..`replications` of point 0 with `seed`, in order.
pub fn outcomes(sc: &Scenario, replications: u64, seed: u64) -> Vec<Outcome> {
    let prepared = Prepared::new(sc);
    (0..replications)
        .map(|r| {
            prepared.simulate(StreamKey {
                seed,
                point: 0,
                replication: r,
            })
        })
        .collect()
}

/// Mean and 99 % confidence half-width (Student t) of per-replication values.
pub fn ci99(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, t_quantile(0.995, n - 1.0) * (var / n).sqrt())
}

/// Asserts that every candidate ends in exactly one final state (no warm-up).
pub fn assert_accounted(t: &[f64]) {
    let ends = t[total::REJECTED]
        + t[total::TURNED_AWAY]
        + t[total::FAILED]
        + t[total::LEAKED_HOST]
        + t[total::LEAKED_ELSEWHERE]
        + t[total::COMPLETED]
        + t[total::STRANDED]
        + t[total::LOST_TO_RIVALS]
        + t[total::IN_PROGRESS];
    assert_eq!(t[total::CANDIDATES], ends, "{t:?}");
}
