//! Fuzz target: any bytes as a scenario file must give a scenario or located errors,
//! never a panic; a valid scenario must then simulate a few months without one.
#![no_main]

use feidi::engine::rng::StreamKey;
use feidi::model::Prepared;
use feidi::scenario::{decode, Scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode("fuzz.toml", data) else { return };
    let Ok(mut scenario) = Scenario::from_toml("fuzz.toml", text) else { return };
    // Keep each run short: a few simulated months, few candidates.
    scenario.horizon = Some(scenario.horizon.unwrap_or(6.0).min(6.0));
    scenario.bin_width = scenario.bin_width.max(1.0);
    scenario.warmup = 0.0;
    scenario.candidate_limit = Some(scenario.candidate_limit.unwrap_or(2_000).min(2_000));
    scenario.bursts.iter_mut().for_each(|b| b.times.retain(|&t| t < 6.0));
    if scenario.expected_candidates() > 1e5 {
        return;
    }
    let prepared = Prepared::new(&scenario);
    let _ = prepared.simulate(StreamKey { seed: 1, point: 0, replication: 0 });
});
