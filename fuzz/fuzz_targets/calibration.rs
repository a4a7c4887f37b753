//! Fuzz target: any bytes as a calibration file must give a calibration or located
//! errors, never a panic; a calibration that reads is then checked against a small base
//! scenario (tests/valid/minimal.toml) — key paths, both ends of every prior, target
//! metrics — which must not panic either.
#![no_main]

use feidi::calibrate::Calibration;
use feidi::scenario::decode;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const BASE: &str = include_str!("../../tests/valid/minimal.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode("fuzz.toml", data) else { return };
    let Ok(calibration) = Calibration::from_toml("fuzz.toml", text, Path::new(".")) else { return };
    if let Ok((_, base, _)) = calibration.against("fuzz.toml", text, "minimal.toml", BASE) {
        // The middle of every prior, as a run's first particles would set it.
        let middle: Vec<f64> = calibration
            .parameters
            .iter()
            .map(|p| {
                let x = (p.min + p.max) / 2.0;
                if p.integer { x.round() } else { x }
            })
            .collect();
        let _ = calibration.scenario_at(&base, &middle, "middle.toml");
    }
});
