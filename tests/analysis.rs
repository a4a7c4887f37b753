//! The sensitivity and discovery mathematics of `feidi::analysis` against functions with
//! known answers: Sobol indices of the Ishigami function, Morris statistics and
//! one-at-a-time effects of functions whose effects are known by hand, and PRIM on
//! points whose cases of interest fill a known box.
//!
//! Run with `cargo test --test analysis`.

mod common;

use feidi::analysis::{morris, oat, prim, sobol};
use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};
use std::f64::consts::PI;

/// The Ishigami function (Ishigami & Homma 1990) on [-π, π]^3, from unit coordinates.
fn ishigami(u: &[f64], a: f64, b: f64) -> f64 {
    let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

/// Analytic indices for a = 7, b = 0.1 (Saltelli et al. 2008, Global Sensitivity
/// Analysis: The Primer, §4.9; V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2 = 13.845).
const S1: [f64; 3] = [0.3139, 0.4424, 0.0];
const ST: [f64; 3] = [0.5576, 0.4424, 0.2437];

/// Base rows for the Ishigami checks: 2^13, so 5 × 8192 = 40,960 model runs.
const N: usize = 1 << 13;

fn ishigami_indices(a: f64, b: f64, seed: u64) -> Vec<sobol::Index> {
    let design = sobol::design(3, N, seed).unwrap();
    let y: Vec<f64> = design.iter().map(|u| ishigami(u, a, b)).collect();
    sobol::indices(3, &y, 0.95, seed).unwrap()
}

#[test]
fn ishigami_sobol_indices_match_the_analytic_values() {
    let found = ishigami_indices(7.0, 0.1, 1);
    for (i, ix) in found.iter().enumerate() {
        eprintln!(
            "x{}: S1 {:.4} [{:.4}, {:.4}] (analytic {:.4})   ST {:.4} [{:.4}, {:.4}] (analytic {:.4})",
            i + 1,
            ix.first,
            ix.first_low,
            ix.first_high,
            S1[i],
            ix.total,
            ix.total_low,
            ix.total_high,
            ST[i]
        );
    }
    for (i, ix) in found.iter().enumerate() {
        // Tolerance: with N = 8192 base rows the bootstrap standard errors of the
        // Jansen estimators here are at most about 0.008 (the widest 95 % interval, for
        // S1 of x2 and x3, spans about ±0.016). 0.03 is more than three standard errors,
        // so an honest estimator fails this by chance with probability below 0.3 %, while
        // swapping the first-order and total estimators (errors of 0.24 and more) or
        // dropping the b·x3⁴ term (ST3 → 0) misses by far more.
        assert!(
            (ix.first - S1[i]).abs() < 0.03,
            "S1 of x{}: {} vs {}",
            i + 1,
            ix.first,
            S1[i]
        );
        assert!(
            (ix.total - ST[i]).abs() < 0.03,
            "ST of x{}: {} vs {}",
            i + 1,
            ix.total,
            ST[i]
        );
        // The 95 % bootstrap intervals cover the analytic values.
        assert!(
            ix.first_low <= S1[i] && S1[i] <= ix.first_high,
            "S1 of x{}: {ix:?}",
            i + 1
        );
        assert!(
            ix.total_low <= ST[i] && ST[i] <= ix.total_high,
            "ST of x{}: {ix:?}",
            i + 1
        );
        assert!(ix.first_low < ix.first_high && ix.total_low < ix.total_high);
    }
    // x3 acts only through its interaction with x1: S1 ≈ 0 but ST well above 0.
    assert!(found[2].total - found[2].first > 0.2);
}

#[test]
fn a_wrong_model_is_caught_by_the_intervals() {
    // Ishigami without its interaction term (b = 0): x3 does nothing, so its total index
    // is 0 and the analytic value 0.2437 of the real function lies far outside the
    // interval; the checks above would fail for this model.
    let wrong = ishigami_indices(7.0, 0.0, 1);
    assert!(wrong[2].total_high < ST[2] - 0.1, "{:?}", wrong[2]);
    // Without it x1 acts alone: S1 of x1 falls to 0.5 / 6.625 = 0.075.
    assert!(wrong[0].first_high < S1[0] - 0.1, "{:?}", wrong[0]);
}

#[test]
fn sobol_indices_of_a_linear_function_are_its_variance_shares() {
    // f = Σ cᵢ uᵢ with independent uniform uᵢ: Sᵢ = S_Tᵢ = cᵢ² / Σ cⱼ².
    let c = [4.0, 2.0, 1.0, 0.0];
    let sum: f64 = c.iter().map(|v| v * v).sum();
    let design = sobol::design(4, 4096, 9).unwrap();
    let y: Vec<f64> = design
        .iter()
        .map(|u| u.iter().zip(&c).map(|(u, c)| u * c).sum())
        .collect();
    let found = sobol::indices(4, &y, 0.95, 9).unwrap();
    for (i, ix) in found.iter().enumerate() {
        let share = c[i] * c[i] / sum;
        assert!((ix.first - share).abs() < 0.02, "S1 {i}: {ix:?} vs {share}");
        assert!((ix.total - share).abs() < 0.02, "ST {i}: {ix:?} vs {share}");
    }
    // Same seed, same bits; another seed, other intervals.
    assert_eq!(found, sobol::indices(4, &y, 0.95, 9).unwrap());
    assert_ne!(found, sobol::indices(4, &y, 0.95, 10).unwrap());
}

#[test]
fn sobol_inputs_are_checked_not_trusted() {
    assert!(sobol::design(0, 10, 1).is_err());
    assert!(sobol::design(3, 1, 1).is_err());
    assert!(sobol::indices(3, &[1.0; 7], 0.95, 1).is_err());
    // A constant output has no variance to share: NaN, not a panic.
    let flat = sobol::indices(2, &[5.0; 8], 0.95, 1).unwrap();
    assert!(flat[0].first.is_nan() && flat[0].total_high.is_nan());
}

#[test]
fn morris_recovers_the_coefficients_of_a_linear_function() {
    // f(u) = Σ cᵢ uᵢ: every elementary effect of parameter i is exactly cᵢ (the change
    // per whole unit range), so μ = cᵢ, μ* = |cᵢ| and σ = 0.
    let c = [3.0, -5.0, 0.5, 0.0, 1.0];
    let design = morris::design(5, 12, 4, 7).unwrap();
    let y: Vec<f64> = design
        .points
        .iter()
        .map(|u| u.iter().zip(&c).map(|(u, c)| u * c).sum())
        .collect();
    let found = morris::effects(&design, &y).unwrap();
    for (i, e) in found.iter().enumerate() {
        assert!((e.mu - c[i]).abs() < 1e-9, "μ {i}: {e:?}");
        assert!((e.mu_star - c[i].abs()).abs() < 1e-9, "μ* {i}: {e:?}");
        assert!(e.sigma.abs() < 1e-9, "σ {i}: {e:?}");
    }
    // The ranking by μ*: x2, x1, x5, x3, x4.
    let mut order: Vec<usize> = (0..5).collect();
    order.sort_by(|&a, &b| found[b].mu_star.total_cmp(&found[a].mu_star));
    assert_eq!(order, [1, 0, 4, 2, 3]);
}

#[test]
fn morris_sigma_flags_nonlinearity_and_interaction() {
    // u1 is linear (σ = 0); u2 enters squared, u3 and u4 only through their product
    // (σ > 0); u5 not at all (μ* = σ = 0).
    let f = |u: &[f64]| 2.0 * u[0] + 4.0 * u[1] * u[1] + 3.0 * u[2] * u[3];
    let design = morris::design(5, 30, 4, 11).unwrap();
    let y: Vec<f64> = design.points.iter().map(|u| f(u)).collect();
    let found = morris::effects(&design, &y).unwrap();
    assert!(found[0].sigma < 1e-9 && (found[0].mu_star - 2.0).abs() < 1e-9);
    for e in &found[1..4] {
        assert!(e.sigma > 0.3, "{found:?}");
    }
    assert_eq!(found[4].mu_star, 0.0);
    assert_eq!(found[4].sigma, 0.0);
    assert!(morris::effects(&design, &y[1..]).is_err());
}

#[test]
fn one_at_a_time_effects_of_a_known_function() {
    // f = 2 + 3u1 − 4u2 + u1·u3 at base (0.5, 0.5, 0.5): f(base) = 2 + 1.5 − 2 + 0.25 =
    // 1.75; u1 from 0 to 1 gives 0 → 3.5; u2 gives 3.75 → −0.25; u3 gives 1.5 → 2.0.
    let f = |u: &[f64]| 2.0 + 3.0 * u[0] - 4.0 * u[1] + u[0] * u[2];
    let design = oat::design(&[0.5, 0.5, 0.5]);
    assert_eq!(design.len(), oat::points(3));
    let y: Vec<f64> = design.iter().map(|u| f(u)).collect();
    let found = oat::effects(3, &y).unwrap();
    let expect = [(0.0, 3.5), (3.75, -0.25), (1.5, 2.0)];
    for (e, (low, high)) in found.iter().zip(expect) {
        assert_eq!(e.baseline, 1.75);
        assert!(
            (e.at_low - low).abs() < 1e-12 && (e.at_high - high).abs() < 1e-12,
            "{e:?}"
        );
    }
    assert!((found[1].swing() + 4.0).abs() < 1e-12);
    assert!(oat::effects(3, &y[..6]).is_err());
}

/// Points uniform in [0, 1]^3 (or with a parameter on 11 levels), interesting inside
/// 0.2 ≤ x1 ≤ 0.6 and x2 ≥ 0.5, with a share `noise` of labels flipped at random.
fn box_data(n: usize, noise: f64, seed: u64) -> (Vec<Vec<f64>>, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut u = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut x = Vec::new();
    let mut y = Vec::new();
    for _ in 0..n {
        let row = vec![u(), u(), (u() * 10.0).round() / 10.0];
        let inside = (0.2..=0.6).contains(&row[0]) && row[1] >= 0.5;
        y.push(inside != (u() < noise));
        x.push(row);
    }
    (x, y)
}

#[test]
fn prim_finds_a_known_box() {
    let (x, y) = box_data(4000, 0.0, 3);
    let settings = prim::Settings {
        min_coverage: 0.8,
        ..prim::Settings::default()
    };
    let found = prim::discover(&x, &y, settings).unwrap();
    assert!((found.base_density - 0.2).abs() < 0.03);
    let b = &found.boxes[0];
    assert!(b.density > 0.9 && b.coverage >= 0.8, "{b:?}");
    // x1 restricted near [0.2, 0.6], x2 near [0.5, 1], x3 left alone.
    assert!(
        (b.limits[0].0 - 0.2).abs() < 0.06 && (b.limits[0].1 - 0.6).abs() < 0.06,
        "{b:?}"
    );
    assert!((b.limits[1].0 - 0.5).abs() < 0.06, "{b:?}");
    assert_eq!(b.limits[2], found.bounds[2], "{b:?}");
    // The trajectory starts from every point and trades coverage for density.
    assert_eq!(found.trajectory[0].points, 4000);
    assert_eq!(found.trajectory[0].coverage, 1.0);
    assert!(found.trajectory.windows(2).all(|w| w[1].points < w[0].points));
    assert!(found.trajectory.last().unwrap().density >= b.density);
}

#[test]
fn prim_with_noise_and_pasting_still_finds_the_box() {
    let (x, y) = box_data(4000, 0.05, 5);
    let plain = prim::discover(&x, &y, prim::Settings::default()).unwrap();
    let pasted = prim::discover(
        &x,
        &y,
        prim::Settings {
            paste: true,
            ..prim::Settings::default()
        },
    )
    .unwrap();
    for found in [&plain, &pasted] {
        let b = &found.boxes[0];
        assert!(b.density > 0.75 && b.coverage >= 0.5, "{b:?}");
        assert!(
            b.limits[0].0 > 0.1 && b.limits[0].1 < 0.7 && b.limits[1].0 > 0.4,
            "{b:?}"
        );
    }
    assert!(pasted.boxes[0].density >= plain.boxes[0].density);
    // Bad input is an error, not a panic.
    assert!(prim::discover(&x, &y[1..], prim::Settings::default()).is_err());
    assert!(prim::discover(&[vec![f64::NAN]], &[true], prim::Settings::default()).is_err());
}

// ---- End to end: sensitivity sweeps and `feidi discover` -------------------------------

use common::{example_sweep, feidi, json, run_ok, temp_path};
use std::path::PathBuf;

/// A shipped example sweep made light (few replications and points), as a temporary file.
fn light(example: &str, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut edits = edits.to_vec();
    edits.insert(0, ("replications = 100", "replications = 8"));
    example_sweep(example, name, &edits)
}

#[test]
fn one_at_a_time_points_share_their_random_numbers() {
    // With the seats' base at their minimum, the "seats low" point is the base point
    // again; on common random numbers it gives exactly the baseline's outputs.
    let file = light(
        "dazu-tornado.toml",
        "oat-crn",
        &[("integer = true\nbase = 110", "integer = true\nbase = 40")],
    );
    let dir = temp_path("oat-crn");
    run_ok(&["sweep", file.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    let s = json(&dir.join("sensitivity.json"));
    assert_eq!(s["method"], "oat");
    assert_eq!(s["confidence"], 0.95);
    assert_eq!(s["parameters"].as_array().unwrap().len(), 5);
    let metrics = s["metrics"].as_array().unwrap();
    let landing = metrics.iter().find(|m| m["metric"] == "landing_rate").unwrap();
    assert_eq!(landing["unit"], "share");
    let seats = &landing["effects"][0];
    assert_eq!(seats["parameter"], "enclave[0].seats");
    assert_eq!(
        (seats["low"].as_f64(), seats["high"].as_f64()),
        (Some(40.0), Some(250.0))
    );
    for m in metrics {
        let e = &m["effects"][0];
        assert_eq!(e["output_at_low"], e["baseline_output"], "{}", m["metric"]);
    }
    // The reach moves the landings (more candidates met): the high end differs.
    let reach = &landing["effects"][2];
    assert_ne!(reach["output_at_low"], reach["output_at_high"]);
}

#[test]
fn sensitivity_results_are_the_same_bytes_for_threads_shards_and_merge() {
    let file = light(
        "dazu-morris.toml",
        "morris",
        &[("trajectories = 10", "trajectories = 3")],
    );
    let sweep = file.to_str().unwrap();
    let one = temp_path("morris-1");
    let two = temp_path("morris-2");
    run_ok(&["sweep", sweep, "--out", one.to_str().unwrap(), "--threads", "1"]);
    run_ok(&["sweep", sweep, "--out", two.to_str().unwrap(), "--threads", "2"]);
    let shards: Vec<PathBuf> = (0..2).map(|k| temp_path(&format!("morris-shard{k}"))).collect();
    for (k, dir) in shards.iter().enumerate() {
        run_ok(&[
            "sweep",
            sweep,
            "--out",
            dir.to_str().unwrap(),
            "--shard",
            &format!("{k}/2"),
        ]);
        assert!(!dir.join("sensitivity.json").exists(), "a shard alone has no indices");
    }
    let merged = temp_path("morris-merged");
    run_ok(&[
        "merge",
        "--out",
        merged.to_str().unwrap(),
        shards[0].to_str().unwrap(),
        shards[1].to_str().unwrap(),
    ]);
    let reference = std::fs::read(one.join("sensitivity.json")).unwrap();
    for dir in [&two, &merged] {
        assert!(
            std::fs::read(dir.join("sensitivity.json")).unwrap() == reference,
            "{}",
            dir.display()
        );
        assert!(std::fs::read(dir.join("points.csv")).unwrap() == std::fs::read(one.join("points.csv")).unwrap());
    }
    let s = json(&one.join("sensitivity.json"));
    assert_eq!(s["method"], "morris");
    let e = &s["metrics"][0]["effects"][0];
    for key in ["parameter", "mu", "mu_star", "sigma"] {
        assert!(e.get(key).is_some(), "{key} missing in {e}");
    }
    // Scenario discovery over the same points.
    let out = run_ok(&[
        "discover",
        one.to_str().unwrap(),
        "--where",
        "landing_rate >= 0.1",
        "--where",
        "candidates > 0",
    ]);
    assert!(out.contains("box 1: coverage"), "{out}");
    let d = json(&one.join("discovery.json"));
    assert_eq!(d["points"], 18);
    assert!(d["base_density"].as_f64().unwrap() > 0.0);
    assert!(d["trajectory"][0]["coverage"] == 1.0);
    for bad in ["landing_rat >= 0.1", "landing_rate => 0.1", "landing_rate >= much"] {
        let out = feidi(&["discover", one.to_str().unwrap(), "--where", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(bad), "{bad}: {err}");
    }
    let none = feidi(&[
        "discover",
        temp_path("nothing").to_str().unwrap(),
        "--where",
        "landing_rate >= 0",
    ]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn a_sobol_indices_sweep_writes_intervals_for_every_parameter() {
    let file = light("dazu-sobol-indices.toml", "sobol", &[("samples = 64", "samples = 4")]);
    let dir = temp_path("sobol");
    run_ok(&["sweep", file.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    let csv = std::fs::read_to_string(dir.join("points.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 4 * 7);
    assert!(csv.lines().nth(3).unwrap().starts_with("2,AB0 0,"), "{csv}");
    let s = json(&dir.join("sensitivity.json"));
    assert_eq!(s["method"], "sobol");
    let landing = s["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == "landing_rate")
        .unwrap();
    assert_eq!(landing["effects"].as_array().unwrap().len(), 5);
    for e in landing["effects"].as_array().unwrap() {
        let f = |k: &str| e[k].as_f64().unwrap_or_else(|| panic!("{k} in {e}"));
        assert!(
            f("first_low") <= f("first_high") && f("total_low") <= f("total_high"),
            "{e}"
        );
    }
}
