//! `feidi calibrate` end to end: it recovers parameters the model itself produced the
//! figures from, gives the same bytes for 1 and 2 threads, and refuses bad files before
//! writing anything.
//!
//! Run with `cargo test --test calibrate`.

mod common;

use common::{feidi, json, temp_dir};
use feidi::model::metrics::total;
use feidi::model::Prepared;
use feidi::runner::{run_serial, Precision, RunSettings};
use feidi::scenario::Scenario;
use std::path::Path;

/// tests/valid/minimal.toml with 200 seats and no limit on pilot lines, so that
/// admissions follow the flow of candidates and landings follow the landing choice
/// rather than capacities: otherwise the figures could not tell the parameters apart.
fn base_scenario() -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/valid/minimal.toml"))
        .expect("read minimal.toml");
    assert!(text.contains("seats = 20\n") && text.contains("capacity = { pilot = 4 }\n"));
    text.replace("seats = 20\n", "seats = 200\n")
        .replace("capacity = { pilot = 4 }\n", "")
}

/// Mean and standard deviation of `metric` over `n` replications of `text`.
fn truth(text: &str, metric: usize, n: u64) -> (f64, f64) {
    let scenario = Scenario::from_toml("truth.toml", text).expect("the truth scenario validates");
    let prepared = Prepared::new(&scenario);
    let results = run_serial(
        &prepared,
        RunSettings {
            seed: 99,
            point: 0,
            replications: n,
        },
        &Precision::default(),
    )
    .expect("the truth runs")
    .0;
    let s = results.totals[metric].summary(0.95);
    (s.mean, s.sd)
}

#[allow(clippy::too_many_arguments)]
fn calibration_file(
    scenario: &Path,
    particles: usize,
    generations: usize,
    replications: u64,
    admitted: (f64, f64),
    landed: (f64, f64),
) -> String {
    format!(
        r#"[calibration]
name = "recovery"
scenario = "{}"
particles = {particles}
generations = {generations}
replications = {replications}
seed = 11

[[target]]
metric = "admitted"
value = {}
tolerance = {}

[[target]]
metric = "landed_home"
value = {}
tolerance = {}

[[parameter]]
path = "flow[0].rate"
min = 10
max = 100
unit = "per year"

[[parameter]]
path = "landing.host_constant"
min = -2.0
max = 3.0
"#,
        scenario.display(),
        admitted.0,
        admitted.1,
        landed.0,
        landed.1
    )
}

#[test]
fn calibration_recovers_the_parameters_that_produced_its_targets() {
    // The truth: 40 candidates a year in the first flow, host_constant 0.5 (minimal.toml's
    // values). Its expected figures, from 400 replications, become the targets.
    let base = base_scenario();
    const REPLICATIONS: u64 = 4;
    let (admitted, admitted_sd) = truth(&base, total::ADMITTED, 400);
    let (landed, landed_sd) = truth(&base, total::LANDED_HOME, 400);
    // Tolerance: the standard deviation of a particle's statistic (the mean of 4
    // replications) at the true values, sd / √4. A particle at the truth then lies
    // within one or two tolerances of both targets, so the last tolerance of the
    // schedule (ε about 2.5 after five generations) still accepts it — the 90 % interval
    // should cover the truth — while values whose figures differ by many such deviations
    // are refused, which makes the interval much narrower than the prior. Were the
    // parameters not applied, or the weights wrong, the posterior would stay near the
    // prior or drift off the truth, and the test would fail.
    let tol_admitted = admitted_sd / (REPLICATIONS as f64).sqrt();
    let tol_landed = landed_sd / (REPLICATIONS as f64).sqrt();
    let dir = temp_dir("recovery");
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, &base).unwrap();
    let cal = dir.join("recovery.toml");
    std::fs::write(
        &cal,
        calibration_file(
            &scenario,
            150,
            5,
            REPLICATIONS,
            (admitted, tol_admitted),
            (landed, tol_landed),
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let run = feidi(&["calibrate".as_ref(), cal.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let json = json(&out.join("calibration.json"));
    let report = format!(
        "targets admitted {admitted:.2} ± {tol_admitted:.2}, landed {landed:.2} ± {tol_landed:.2}\n{}",
        String::from_utf8_lossy(&run.stdout)
    );
    for (k, true_value) in [(0, 40.0), (1, 0.5)] {
        let p = &json["parameters"][k];
        let (lo, hi) = (p["p5"].as_f64().unwrap(), p["p95"].as_f64().unwrap());
        let prior = p["prior_max"].as_f64().unwrap() - p["prior_min"].as_f64().unwrap();
        assert!(
            lo <= true_value && true_value <= hi,
            "{}: the 90 % interval {lo}–{hi} misses the true {true_value}\n{report}",
            p["path"]
        );
        assert!(
            hi - lo < 0.6 * prior,
            "{}: the 90 % interval {lo}–{hi} is not much narrower than the prior's width {prior}\n{report}",
            p["path"]
        );
    }
    let generations = json["generations"].as_array().unwrap();
    assert_eq!(generations.len(), 5, "{report}");
    let eps: Vec<f64> = generations.iter().map(|g| g["epsilon"].as_f64().unwrap()).collect();
    assert!(eps.windows(2).all(|w| w[1] <= w[0]), "{eps:?}");
    assert_eq!(json["particles"], 150);
    let csv = std::fs::read_to_string(out.join("posterior.csv")).unwrap();
    assert_eq!(csv.lines().count(), 151);
    assert!(csv.starts_with(
        "particle,flow[0].rate,landing.host_constant,admitted (mean),landed_home (mean),distance,weight\n"
    ));
    eprintln!("{report}");
}

#[test]
fn calibration_gives_the_same_bytes_for_one_and_two_threads() {
    let base = base_scenario();
    let dir = temp_dir("threads");
    let scenario = dir.join("base.toml");
    std::fs::write(&scenario, &base).unwrap();
    let cal = dir.join("threads.toml");
    std::fs::write(&cal, calibration_file(&scenario, 30, 3, 2, (200.0, 20.0), (15.0, 3.0))).unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(format!("out-{threads}"));
        let run = feidi(&[
            "calibrate".as_ref(),
            cal.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--threads".as_ref(),
            threads.as_ref(),
        ]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        outputs.push((
            std::fs::read(out.join("posterior.csv")).unwrap(),
            std::fs::read(out.join("calibration.json")).unwrap(),
        ));
    }
    assert!(
        outputs[0].0 == outputs[1].0,
        "posterior.csv differs between 1 and 2 threads"
    );
    assert!(
        outputs[0].1 == outputs[1].1,
        "calibration.json differs between 1 and 2 threads"
    );
    // A second run into the same directory is refused without --force.
    let out = dir.join("out-1");
    let again = feidi(&["calibrate".as_ref(), cal.as_os_str(), "--out".as_ref(), out.as_os_str()]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn a_broken_calibration_file_writes_nothing_and_exits_with_code_2() {
    let dir = temp_dir("broken");
    let out = dir.join("out");
    let run = feidi(&[
        "calibrate".as_ref(),
        "tests/broken/cal_path_not_in_base.toml".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", String::from_utf8_lossy(&run.stderr));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("tests/broken/cal_path_not_in_base.toml:14:8: parameter[0].path"),
        "{stderr}"
    );
    assert!(!out.exists(), "{} was created", out.display());
}

#[test]
fn the_shipped_kunshan_calibration_validates() {
    let run = feidi(&["validate", "scenarios/calibration/kunshan-sjtu.toml"]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stdout).contains("ok — calibration \"kunshan-sjtu\""));
}
