//! Fuzz target: any bytes as a sweep file must give a sweep or located errors, never a
//! panic; the design points of a valid sweep are then set into a small base scenario
//! (tests/valid/minimal.toml) and validated as scenarios, which must not panic either.
#![no_main]

use feidi::scenario::{decode, Scenario};
use feidi::sweep::{apply, Sweep};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const BASE: &str = include_str!("../../tests/valid/minimal.toml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode("fuzz.toml", data) else { return };
    let Ok(sweep) = Sweep::from_toml("fuzz.toml", text, Path::new(".")) else { return };
    let base: toml::Table = toml::from_str(BASE).expect("the base scenario is valid TOML");
    // Validating a scenario takes a while: the first few points are enough.
    for point in sweep.points.iter().take(8) {
        let mut doc = base.clone();
        let mut ok = true;
        for (parameter, value) in sweep.parameters.iter().zip(&point.values) {
            if let Some(value) = value {
                ok &= apply(&mut doc, &parameter.path, value.clone()).is_ok();
            }
        }
        if !ok {
            continue;
        }
        if let Ok(text) = toml::to_string(&doc) {
            let _ = Scenario::from_toml("point.toml", &text);
        }
    }
});
