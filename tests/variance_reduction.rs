//! `--variance-reduction`: control-variate intervals are honest (they cover a value known
//! in closed form at their nominal rate, with no bias worth the name), narrower where the
//! controls explain the metric, and byte-identical for any thread count.

mod common;

use common::{assert_same_files, json, run_ok, scenario, temp_dir};
use feidi::model::metrics::total;
use feidi::model::Prepared;
use feidi::runner::{self, Precision, RunSettings, VarianceReduction};
use feidi::scenario::Scenario;
use feidi::stats::DEFAULT_CONFIDENCE;

/// A chain of fixed chances on Poisson arrivals, drained: every candidate admitted at
/// `rate` a month over `months` passes incubation with 0.8 and the host stage with 0.5
/// and then lands (there is no landing model), so landings are Poisson with mean
/// rate × months × 0.4; the home stage then completes 0.9 of them. One series bin keeps
/// the runs' bookkeeping small.
fn chain(rate: f64, months: f64) -> Scenario {
    chain_breaking(rate, months, 0.0)
}

/// The same chain on a link whose cooperation breaks down at `hazard_per_year`: the
/// enclave then closes and admits no one, so admissions are the arrivals up to the
/// breakdown or the horizon, with mean rate × (1 − e^{−μh}) / μ for the monthly hazard μ.
fn chain_breaking(rate: f64, months: f64, hazard_per_year: f64) -> Scenario {
    scenario(&format!(
        r#"
        [scenario]
        name = "chain"
        horizon = "{months} months"
        bin = "{months} months"
        drain = true
        sectors = ["any"]

        [[city]]
        id = "host"
        role = "host"
        province = "P"

        [[city]]
        id = "home"
        role = "home"
        province = "Q"

        [[link]]
        home = "home"
        host = "host"
        travel_time = "2 hours"
        breakdown_hazard = "{hazard_per_year} per year"

        [[enclave]]
        id = "e"
        owner = "home"
        host = "host"
        seats = 100000

        [[flow]]
        host = "host"
        sector = "any"
        rate = "{rate} per month"

        [[stage]]
        name = "incubation"
        place = "enclave"
        duration = {{ dist = "exponential", mean = "6 months" }}
        success = 0.8

        [[stage]]
        name = "acceleration"
        place = "host"
        duration = {{ dist = "uniform", min = "1 months", max = "5 months" }}
        success = 0.5

        [[stage]]
        name = "pilot"
        place = "home"
        duration = {{ dist = "gamma", mean = "8 months", sd = "2 months" }}
        success = 0.9
        "#
    ))
}

/// Each macro-replication's estimate and half-width of `metric` by each of `methods`,
/// over `macro_replications` runs of `replications` each (run `k` draws seed `k + 1`;
/// the methods see the same replications, and the runs share the cores).
fn estimates(
    sc: &Scenario,
    metric: usize,
    methods: &[VarianceReduction],
    macro_replications: u64,
    replications: u64,
) -> Vec<Vec<(f64, f64)>> {
    use rayon::prelude::*;
    let prepared = Prepared::new(sc).observing_controls(true);
    // `auto` keeps everything every method needs: the controls and the pilot.
    let rule = Precision::default().with_variance_reduction(VarianceReduction::Auto);
    (0..macro_replications)
        .into_par_iter()
        .map(|k| {
            let settings = RunSettings {
                seed: k + 1,
                point: 0,
                replications,
            };
            let (mut results, _) = runner::run_serial(&prepared, settings, &rule).unwrap();
            methods
                .iter()
                .map(|&method| {
                    results.variance_reduction = method;
                    let e = results.estimate(metric, DEFAULT_CONFIDENCE);
                    (e.mean, e.half_width)
                })
                .collect()
        })
        .collect()
}

/// Nominal 95 % intervals of plain Monte Carlo, `control` and `auto` cover the true mean
/// 93–97 % of the time over 1,000 macro-replications of 192 (a binomial standard error
/// of 0.7 points, so the band is about ±3 of them), and each method's mean error is
/// below the standard error of one of its estimates.
#[test]
fn control_and_auto_intervals_cover_a_known_mean_at_their_nominal_rate() {
    let (rate, months) = (0.5, 36.0);
    let truth = rate * months * 0.8 * 0.5;
    let methods = [
        VarianceReduction::Off,
        VarianceReduction::Control,
        VarianceReduction::Auto,
    ];
    let runs = estimates(&chain(rate, months), total::LANDED_HOME, &methods, 1000, 192);
    for (i, method) in methods.iter().enumerate() {
        let runs: Vec<(f64, f64)> = runs.iter().map(|r| r[i]).collect();
        let covered = runs.iter().filter(|(m, h)| (m - truth).abs() <= *h).count() as f64 / runs.len() as f64;
        let bias = runs.iter().map(|(m, _)| m - truth).sum::<f64>() / runs.len() as f64;
        let standard_error = runs.iter().map(|(_, h)| h).sum::<f64>() / runs.len() as f64 / 1.96;
        eprintln!("{method:?}: coverage {covered}, bias {bias}, standard error {standard_error}");
        assert!(
            (0.93..=0.97).contains(&covered),
            "{method:?}: 95 % intervals covered the truth {truth} in {covered} of the runs"
        );
        assert!(
            bias.abs() < standard_error,
            "{method:?}: bias {bias} against a standard error of {standard_error}"
        );
    }
}

/// The breakdown controls keep intervals honest where a rare breakdown of cooperation
/// decides the figure: over 1,000 macro-replications of 384 on a link that breaks down
/// before the horizon in about 6 % of replications (so about 22 per macro-replication),
/// nominal 95 % intervals of admissions cover the closed-form mean 93–97 % of the time
/// with `control` and `auto` (binomial standard error 0.7 points), their mean error is
/// below one standard error, and the controls need far fewer replications than plain
/// Monte Carlo for the same precision. With one residual variance for all replications
/// `control` covered 83 % here at 192 replications; with the strata, at 192, `auto`
/// covered 93.2 % (it falls back to plain Monte Carlo when the pilot saw too few
/// breakdowns to fit their effect, and such pilots also pull the plain mean).
#[test]
fn breakdown_controls_cover_a_known_mean_when_rare_breakdowns_decide_the_figure() {
    let (rate, months, per_year): (f64, f64, f64) = (2.0, 36.0, 0.02);
    let mu = per_year / 12.0;
    let truth = rate * (1.0 - (-mu * months).exp()) / mu;
    let methods = [
        VarianceReduction::Off,
        VarianceReduction::Control,
        VarianceReduction::Auto,
    ];
    let runs = estimates(
        &chain_breaking(rate, months, per_year),
        total::ADMITTED,
        &methods,
        1000,
        384,
    );
    let same = runs.iter().filter(|r| r[2] == r[0]).count();
    eprintln!("auto used plain Monte Carlo in {same} of the runs");
    let mut mean_half_width = Vec::new();
    for (i, method) in methods.iter().enumerate() {
        let runs: Vec<(f64, f64)> = runs.iter().map(|r| r[i]).collect();
        let covered = runs.iter().filter(|(m, h)| (m - truth).abs() <= *h).count() as f64 / runs.len() as f64;
        let bias = runs.iter().map(|(m, _)| m - truth).sum::<f64>() / runs.len() as f64;
        let half_width = runs.iter().map(|(_, h)| h).sum::<f64>() / runs.len() as f64;
        let sd = (runs.iter().map(|(m, _)| (m - truth).powi(2)).sum::<f64>() / runs.len() as f64).sqrt();
        eprintln!("{method:?}: coverage {covered}, bias {bias}, mean half-width {half_width}, actual sd {sd}");
        assert!(
            (0.93..=0.97).contains(&covered),
            "{method:?}: 95 % intervals covered the truth {truth} in {covered} of the runs"
        );
        assert!(bias.abs() < half_width / 1.96, "{method:?}: bias {bias}");
        mean_half_width.push(half_width);
    }
    // Admissions are the arrivals up to the breakdown: the controls must at least halve
    // the interval (a 4× saving in replications).
    assert!(
        mean_half_width[1] < mean_half_width[0] / 2.0,
        "control {} against plain {}",
        mean_half_width[1],
        mean_half_width[0]
    );
}

#[test]
fn the_controls_narrow_the_interval_where_arrivals_and_chances_drive_the_metric() {
    let sc = chain(2.0, 60.0);
    let prepared = Prepared::new(&sc).observing_controls(true);
    let settings = RunSettings {
        seed: 9,
        point: 0,
        replications: 256,
    };
    let rule = Precision::default().with_variance_reduction(VarianceReduction::Auto);
    let (results, _) = runner::run_serial(&prepared, settings, &rule).unwrap();
    for metric in [total::LANDED_HOME, total::ADMITTED, total::COMPLETED] {
        let e = results.estimate(metric, DEFAULT_CONFIDENCE);
        assert!(
            e.controls.iter().any(|c| c == "arrivals"),
            "metric {metric} kept no arrivals control: {e:?}"
        );
        // Landings are Poisson, their count thinned from the arrivals by the chances
        // the controls observe: the controls must at least halve the variance.
        assert!(
            e.half_width < e.plain_half_width / 2f64.sqrt(),
            "metric {metric}: {e:?}"
        );
    }
    // Every arrival is admitted: the arrivals control explains admissions exactly.
    let admitted = results.estimate(total::ADMITTED, DEFAULT_CONFIDENCE);
    assert!((admitted.mean - 120.0).abs() < 1e-6, "{admitted:?}");
    // Off, the same replications give the plain figures.
    let (plain, _) = runner::run_serial(&prepared, settings, &Precision::default()).unwrap();
    let e = plain.estimate(total::LANDED_HOME, DEFAULT_CONFIDENCE);
    assert!(e.controls.is_empty() && e.half_width == e.plain_half_width);
    assert_eq!(
        e.plain_half_width,
        results
            .estimate(total::LANDED_HOME, DEFAULT_CONFIDENCE)
            .plain_half_width
    );
}

#[test]
fn a_candidate_limit_switches_the_arrivals_control_off() {
    let limited = scenario(
        &std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap().replace(
            "horizon = \"10 years\"",
            "horizon = \"10 years\"\ncandidate_limit = 2000",
        ),
    );
    let prepared = Prepared::new(&limited).observing_controls(true);
    let settings = RunSettings {
        seed: 2,
        point: 0,
        replications: 128,
    };
    let rule = Precision::default().with_variance_reduction(VarianceReduction::Control);
    let (results, _) = runner::run_serial(&prepared, settings, &rule).unwrap();
    let e = results.estimate(total::HOST_CANDIDATES, DEFAULT_CONFIDENCE);
    assert!(!e.controls.iter().any(|c| c == "arrivals"), "{e:?}");
}

#[test]
fn variance_reduction_gives_the_same_bytes_for_one_and_two_threads_and_stops_no_later() {
    let dir = temp_dir("threads");
    let run = |threads: &str, method: &str, name: &str| {
        let out = dir.join(name);
        run_ok(&[
            "run",
            "scenarios/kunshan-sjtu.toml",
            "-n",
            "2000",
            "--threads",
            threads,
            "--variance-reduction",
            method,
            "--precision",
            "landed_home_real=0.25",
            "--out",
            out.to_str().unwrap(),
        ]);
        json(&out.join("summary.json"))
    };
    let one = run("1", "auto", "auto-1");
    run("2", "auto", "auto-2");
    assert_same_files(
        &dir.join("auto-1"),
        &dir.join("auto-2"),
        &["summary.json", "series.csv"],
    );
    let plain = run("2", "off", "off");
    assert_eq!(one["variance_reduction"], "auto");
    let landed = &one["metrics"]["landed_home_real"];
    assert_eq!(landed["variance_reduction"]["method"], "control", "{landed}");
    assert!(landed["variance_reduction"]["narrowing"].as_f64().unwrap() > 1.0);
    let stopped = |s: &serde_json::Value| s["replications"].as_u64().unwrap();
    assert!(
        stopped(&one) < stopped(&plain),
        "the narrower interval meets the target sooner: {} against {}",
        stopped(&one),
        stopped(&plain)
    );
    // Off, summary.json has none of the new keys.
    assert!(plain.get("variance_reduction").is_none());
    assert!(plain["metrics"]["landed_home_real"].get("variance_reduction").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}
