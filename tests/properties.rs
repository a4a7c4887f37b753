//! Property tests: distributions draw within their bounds, units convert exactly, and the
//! validator answers every mutation of a valid file with a scenario or located errors.

use feidi::dist::Distribution;
use feidi::engine::rng::KeyedStream;
use feidi::scenario::Scenario;
use feidi::units::parse_duration;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn bounded_distributions_draw_within_their_bounds(
        a in 0.0f64..100.0, span in 0.001f64..100.0, at in 0.0f64..1.0, key in any::<u64>()
    ) {
        let (min, max) = (a, a + span);
        let mode = min + at * span;
        for d in [
            Distribution::uniform(min, max).unwrap(),
            Distribution::triangular(min, mode, max).unwrap(),
            Distribution::pert(min, mode, max).unwrap(),
        ] {
            let mut rng = KeyedStream::new(key, 0);
            for _ in 0..50 {
                let x = d.sample(&mut rng);
                prop_assert!(x >= min - 1e-9 && x <= max + 1e-9, "{d:?} drew {x}");
            }
        }
    }

    #[test]
    fn positive_distributions_draw_finite_non_negative_values(
        median in 0.01f64..1000.0, ratio in 1.01f64..20.0, shape in 0.1f64..10.0, key in any::<u64>()
    ) {
        for d in [
            Distribution::lognormal_median_p90(median, median * ratio).unwrap(),
            Distribution::gamma_mean_sd(median, median / shape).unwrap(),
            Distribution::weibull(median, shape).unwrap(),
            Distribution::exponential(median).unwrap(),
        ] {
            prop_assert!(d.mean().is_finite() && d.mean() > 0.0);
            let mut rng = KeyedStream::new(key, 1);
            for _ in 0..50 {
                let x = d.sample(&mut rng);
                prop_assert!(x.is_finite() && x >= 0.0, "{d:?} drew {x}");
            }
        }
    }

    #[test]
    fn durations_in_months_and_years_convert_exactly(months in 0u32..100_000, years in 0u32..5_000) {
        prop_assert_eq!(parse_duration(&format!("{months} months")).unwrap(), months as f64);
        prop_assert_eq!(parse_duration(&format!("{years} years")).unwrap(), years as f64 * 12.0);
    }

    #[test]
    fn the_validator_answers_any_changed_value_without_panicking(
        line in 0usize..63, replacement in prop_oneof![
            Just("-1".to_string()), Just("1e308".to_string()), Just("\"\"".to_string()),
            Just("[]".to_string()), Just("{}".to_string()), Just("\"0 months\"".to_string()),
            Just("nan".to_string()), Just("true".to_string()), "[a-z0-9 ._\"-]{0,12}",
        ]
    ) {
        let text = std::fs::read_to_string("tests/valid/minimal.toml").unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let line = line % lines.len();
        if let Some((key, _)) = lines[line].split_once(" = ") {
            lines[line] = format!("{key} = {replacement}");
        }
        match Scenario::from_toml("mutated.toml", &lines.join("\n")) {
            Ok(_) => {}
            Err(diagnostics) => {
                prop_assert!(!diagnostics.0.is_empty());
                for d in &diagnostics.0 {
                    prop_assert!(d.line >= 1 && d.column >= 1, "unlocated: {d}");
                }
            }
        }
    }
}
