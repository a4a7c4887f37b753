//! `feidi compare` and the stopping rule (`--precision`): common random numbers narrow
//! the interval of a difference, a scenario compared with itself differs by exactly
//! zero, results do not depend on the thread count, the obviously better alternative
//! ranks first, bad input is refused before anything is written, and runs stop when
//! their targets are met (or at the cap) identically for any thread count.

mod common;

use common::{assert_same_files, feidi, json, ok, temp_dir};
use feidi::model::metrics::{total, totals_for};
use feidi::model::Prepared;
use feidi::runner::{self, Alternative, RunSettings, Stop};
use feidi::scenario::Scenario;
use feidi::stats::DEFAULT_CONFIDENCE;
use serde_json::Value;
use std::path::Path;

/// Dazu over five years (to keep debug-build tests quick), named `name`, with `seats`.
fn dazu(name: &str, seats: u32) -> String {
    let text = std::fs::read_to_string("scenarios/dazu-chengdu.toml").unwrap();
    let out = text
        .replace("horizon = \"10 years\"", "horizon = \"5 years\"")
        .replace("name = \"dazu-chengdu\"", &format!("name = \"{name}\""))
        .replace("seats = 110", &format!("seats = {seats}"));
    assert!(out.contains(&format!("name = \"{name}\"")) && out.contains(&format!("seats = {seats}")));
    out
}

/// Writes `text` as `file` in `dir` and returns its path as a string.
fn write(dir: &Path, file: &str, text: &str) -> String {
    let path = dir.join(file);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn metric<'v>(compare: &'v Value, name: &str) -> &'v Value {
    compare["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == name)
        .unwrap_or_else(|| panic!("compare.json has no metric {name}"))
}

fn half_width(d: &Value) -> f64 {
    (d["ci_high"].as_f64().unwrap() - d["ci_low"].as_f64().unwrap()) / 2.0
}

#[test]
fn common_random_numbers_narrow_the_interval_of_a_difference() {
    let (a, b) = (
        Scenario::from_toml("a.toml", &dazu("a", 110)).unwrap(),
        Scenario::from_toml("b.toml", &dazu("b", 70)).unwrap(),
    );
    let (pa, pb) = (Prepared::new(&a), Prepared::new(&b));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let metrics = [total::ADMITTED, total::LANDED_HOME_REAL, total::COST_YUAN];
    let pair = |b_point: u32| {
        let alternatives = [
            Alternative {
                prepared: &pa,
                point: 0,
                metrics: metrics.to_vec(),
                marginal: Some((2, 1)),
            },
            Alternative {
                prepared: &pb,
                point: b_point,
                metrics: metrics.to_vec(),
                marginal: Some((2, 1)),
            },
        ];
        let (c, stop) =
            runner::run_compare(&pool, &alternatives, 5, 256, &runner::Precision::default(), &|_| true).unwrap();
        assert_eq!((c.replications, stop), (256, Stop::Cap));
        c.pairs[0]
            .differences
            .iter()
            .map(|m| m.half_width(DEFAULT_CONFIDENCE))
            .collect::<Vec<_>>()
    };
    // Same streams for both (common random numbers) against B on the streams of
    // another design point (independent).
    let (common, independent) = (pair(0), pair(1));
    // Each half-width estimate from 256 replications has a relative standard error of
    // about 1/sqrt(2 × 255) ≈ 4.4 %, so the log of a ratio of two has one of about 6.3 %:
    // a ratio below 0.8 when common random numbers bought nothing (true ratio 1) is 3.5
    // standard errors away, a false pass at under 0.03 % (99.97 % confidence). Measured
    // with seed 5: 0.68 (admitted), 0.52 (real landings), 0.52 (cost): the variance of
    // the difference falls two- to fourfold.
    for ((m, c), i) in metrics.iter().zip(&common).zip(&independent) {
        assert!(
            c / i < 0.8,
            "metric {m}: half-width {c} with common random numbers against {i} without"
        );
    }
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero_in_every_replication() {
    let dir = temp_dir("self");
    let a = write(&dir, "a.toml", &dazu("same-a", 110));
    let b = write(&dir, "b.toml", &dazu("same-b", 110));
    let out = dir.join("out");
    ok(&feidi(&["compare", &a, &b, "-n", "70", "--out", out.to_str().unwrap()]));
    let c = json(&out.join("compare.json"));
    assert_eq!(c["replications"], 70);
    let metrics = c["metrics"].as_array().unwrap();
    assert!(metrics.len() >= 30);
    for m in metrics {
        let d = &m["differences"][0];
        let n = d["n"].as_u64().unwrap();
        assert_eq!(d["ties"].as_u64().unwrap(), n, "{m}");
        if n > 0 {
            assert_eq!(d["mean"].as_f64(), Some(0.0), "{m}");
        }
        if n > 1 {
            assert_eq!(
                (d["ci_low"].as_f64(), d["ci_high"].as_f64()),
                (Some(0.0), Some(0.0)),
                "{m}"
            );
        }
        if m["better"].is_null() {
            assert!(d["wins_a"].is_null() && d["wins_b"].is_null());
        } else {
            assert_eq!((d["wins_a"].as_u64(), d["wins_b"].as_u64()), (Some(0), Some(0)), "{m}");
        }
        assert_eq!(m["alternatives"][0]["mean"], m["alternatives"][1]["mean"]);
    }
    let stdout = String::from_utf8_lossy(
        &feidi(&["compare", &a, &b, "-n", "2", "--out", out.to_str().unwrap(), "--force"]).stdout,
    )
    .to_string();
    assert!(stdout.contains("identical"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn compare_into(dir: &Path, a: &str, b: &str, threads: &str, n: &str, extra: &[&str]) -> String {
    let out = dir.join(format!("out-{threads}"));
    let mut args = vec![
        "compare",
        a,
        b,
        "-n",
        n,
        "--seed",
        "9",
        "--threads",
        threads,
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(&feidi(&args))
}

const COMPARE_FILES: [&str; 5] = [
    "compare.json",
    "compare.csv",
    "alternatives/wide/summary.json",
    "alternatives/wide/series.csv",
    "alternatives/narrow/manifest.json",
];

#[test]
fn compare_files_are_identical_for_one_and_two_threads() {
    let dir = temp_dir("threads");
    let a = write(&dir, "a.toml", &dazu("wide", 110));
    let b = write(&dir, "b.toml", &dazu("narrow", 40));
    // The byte-order mark for Excel is the default; `--excel`, which asked for it, is
    // still accepted and changes nothing; `--no-bom` leaves it out and nothing else.
    compare_into(&dir, &a, &b, "1", "150", &["--excel"]);
    compare_into(&dir, &a, &b, "2", "150", &[]);
    assert_same_files(&dir.join("out-1"), &dir.join("out-2"), &COMPARE_FILES);
    let csv = std::fs::read_to_string(dir.join("out-1/compare.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}metric,unit,better,kind,a,b,n,mean"));
    compare_into(&dir, &a, &b, "3", "150", &["--no-bom"]);
    let plain = std::fs::read_to_string(dir.join("out-3/compare.csv")).unwrap();
    assert_eq!(Some(plain.as_str()), csv.strip_prefix('\u{feff}'));
    // Per metric: two alternative rows and one difference row.
    assert_eq!(
        csv.lines().count(),
        1 + 3 * totals_for(&Scenario::from_toml("a", &dazu("wide", 110)).unwrap()).len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn more_seats_rank_first_and_win_most_replications() {
    let dir = temp_dir("rank");
    let cramped = write(&dir, "cramped.toml", &dazu("cramped", 30));
    let roomy = write(&dir, "roomy.toml", &dazu("roomy", 110));
    let out = dir.join("out");
    let run = feidi(&[
        "compare",
        &cramped,
        &roomy,
        "-n",
        "64",
        "--rank-by",
        "landed_home_real",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&run);
    let c = json(&out.join("compare.json"));
    assert_eq!(c["rank_by"], "landed_home_real");
    assert_eq!(c["ranking"], serde_json::json!(["roomy", "cramped"]));
    let landings = metric(&c, "landed_home_real");
    assert_eq!(landings["better"], "higher");
    let d = &landings["differences"][0];
    assert_eq!((d["a"].as_str(), d["b"].as_str()), (Some("cramped"), Some("roomy")));
    assert!(d["ci_high"].as_f64().unwrap() < 0.0, "{d}");
    assert!(d["wins_b"].as_u64().unwrap() > 3 * d["wins_a"].as_u64().unwrap(), "{d}");
    // Lower is better for leaks: wins are counted that way round.
    assert_eq!(metric(&c, "leaked_host")["better"], "lower");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let first_row = stdout.lines().nth(3).unwrap();
    assert!(first_row.starts_with("1     roomy"), "{stdout}");
    assert!(stdout.contains("roomy better"), "{stdout}");
    // The alternatives' own result files are where charts expect them.
    let summary = json(&out.join("alternatives/roomy/summary.json"));
    assert_eq!(summary["scenario"]["name"], "roomy");
    assert_eq!(summary["replications"], 64);
    let _ = std::fs::remove_dir_all(&dir);
}

fn refused(args: &[&str], expect: &str) {
    let out = feidi(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(expect), "{args:?}: expected `{expect}` in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_comparisons_are_refused_before_anything_is_written() {
    let dir = temp_dir("bad");
    let a = write(&dir, "a.toml", &dazu("a", 110));
    let b = write(&dir, "b.toml", &dazu("b", 60));
    let twin = write(&dir, "twin.toml", &dazu("a", 60));
    let long = write(
        &dir,
        "long.toml",
        &dazu("long", 60).replace("\"5 years\"", "\"6 years\""),
    );
    let monthly = write(
        &dir,
        "monthly.toml",
        &dazu("monthly", 60).replace("bin = \"3 months\"", "bin = \"1 month\""),
    );
    let out = dir.join("out");
    let o = out.to_str().unwrap();
    refused(&["compare", &a, &long, "--out", o], "horizon");
    refused(&["compare", &a, &monthly, "--out", o], "bin");
    refused(&["compare", &a, &twin, "--out", o], "both have [scenario] name = \"a\"");
    refused(
        &["compare", &a, &b, "--out", o, "--rank-by", "landing_rat"],
        "did you mean `landing_rate`",
    );
    refused(
        &["compare", &a, &b, "--out", o, "--rank-by", "admitted"],
        "no better direction",
    );
    refused(
        &["compare", &a, &b, "--out", o, "--precision", "landing_rat=0.01"],
        "did you mean `landing_rate`",
    );
    refused(
        &["compare", &a, &b, "--out", o, "--precision", "landing_rate=-1"],
        "above 0",
    );
    refused(
        &["compare", &a, "tests/broken/typo_key_seets.toml", "--out", o],
        "seets",
    );
    assert!(!out.join("compare.json").exists() && !out.join("alternatives").exists());
    ok(&feidi(&["compare", &a, &b, "-n", "2", "--out", o]));
    refused(&["compare", &a, &b, "-n", "2", "--out", o], "--force");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn run_stops_in_whole_blocks_once_precise_identically_for_any_thread_count() {
    let dir = temp_dir("run-stop");
    let scenario = write(&dir, "d.toml", &dazu("d", 110));
    let run = |threads: &str, target: &str, cap: &str| {
        let out = dir.join(format!("out-{threads}-{target}"));
        let r = feidi(&[
            "run",
            &scenario,
            "-n",
            cap,
            "--threads",
            threads,
            "--precision",
            &format!("landing_rate={target}"),
            "--precision",
            "landed_home_real=1",
            "--out",
            out.to_str().unwrap(),
        ]);
        ok(&r);
        (out, String::from_utf8_lossy(&r.stdout).to_string())
    };
    let (one, stdout) = run("1", "0.001", "6400");
    let (two, _) = run("2", "0.001", "6400");
    assert_same_files(&one, &two, &["summary.json", "series.csv", "manifest.json"]);
    let s = json(&one.join("summary.json"));
    let stopping = &s["stopping"];
    let n = s["replications"].as_u64().unwrap();
    assert!(n % 64 == 0 && (128..6400).contains(&n), "{stopping}");
    assert_eq!(
        (stopping["met"].as_bool(), stopping["cap"].as_u64()),
        (Some(true), Some(6400))
    );
    assert_eq!(stopping["replications"].as_u64(), Some(n));
    let rate = &s["metrics"]["landing_rate"];
    let reached = (rate["ci_high"].as_f64().unwrap() - rate["ci_low"].as_f64().unwrap()) / 2.0;
    assert!(reached <= 0.001);
    assert_eq!(stopping["targets"][0]["reached"].as_f64(), Some(reached));
    assert!(
        stdout.contains(&format!("precision reached after {n} of at most 6400")),
        "{stdout}"
    );
    // One block fewer would not have been precise enough: the rule stopped at the first
    // block boundary where it could.
    let earlier = dir.join("earlier");
    let r = feidi(&[
        "run",
        &scenario,
        "-n",
        &(n - 64).to_string(),
        "--out",
        earlier.to_str().unwrap(),
    ]);
    ok(&r);
    let e = json(&earlier.join("summary.json"));
    let half = |s: &Value, m: &str| {
        (s["metrics"][m]["ci_high"].as_f64().unwrap() - s["metrics"][m]["ci_low"].as_f64().unwrap()) / 2.0
    };
    assert!(half(&e, "landing_rate") > 0.001 || half(&e, "landed_home_real") > 1.0);
    // An unreachable target runs to the cap and says so.
    let (capped, stdout) = run("2", "0.000001", "100");
    let s = json(&capped.join("summary.json"));
    assert_eq!(
        (s["replications"].as_u64(), s["stopping"]["met"].as_bool()),
        (Some(100), Some(false))
    );
    assert!(stdout.contains("NOT reached"), "{stdout}");
    // Without --precision summary.json has no stopping record.
    assert!(e.get("stopping").is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_parallel_stopping_rule_gives_the_serial_rules_bits() {
    let sc = Scenario::from_toml("d.toml", &dazu("d", 110)).unwrap();
    let prepared = Prepared::new(&sc);
    let settings = RunSettings {
        seed: 4,
        point: 2,
        replications: 1000,
    };
    let rule = runner::Precision::new(vec![(total::LANDING_RATE, 0.0012)]);
    let (serial, serial_stop) = runner::run_serial(&prepared, settings, &rule).unwrap();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let (parallel, stop) = runner::run(&pool, &prepared, settings, &rule, &|_| true).unwrap();
    assert_eq!((serial_stop, stop), (Stop::Met, Stop::Met));
    assert_eq!(serial.replications, parallel.replications);
    assert!(serial.replications < 1000);
    for (x, y) in serial.totals.iter().zip(&parallel.totals) {
        let (x, y) = (x.summary(DEFAULT_CONFIDENCE), y.summary(DEFAULT_CONFIDENCE));
        assert_eq!(format!("{x:?}"), format!("{y:?}"));
    }
}

#[test]
fn compare_stops_when_every_paired_difference_is_precise() {
    let dir = temp_dir("compare-stop");
    let a = write(&dir, "a.toml", &dazu("wide", 110));
    let b = write(&dir, "b.toml", &dazu("narrow", 40));
    let extra = ["--precision", "landed_home_real=0.5"];
    let stdout = compare_into(&dir, &a, &b, "1", "3000", &extra);
    compare_into(&dir, &a, &b, "2", "3000", &extra);
    assert_same_files(&dir.join("out-1"), &dir.join("out-2"), &COMPARE_FILES);
    let c = json(&dir.join("out-1/compare.json"));
    let n = c["replications"].as_u64().unwrap();
    assert!(n % 64 == 0 && n < 3000, "{n}");
    assert_eq!(c["stopping"]["met"], true);
    let d = &metric(&c, "landed_home_real")["differences"][0];
    assert!(half_width(d) <= 0.5, "{d}");
    let reached = c["stopping"]["targets"][0]["reached"].as_f64().unwrap();
    assert!((reached - half_width(d)).abs() < 1e-12, "{reached} against {d}");
    assert!(stdout.contains("precision reached"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The marginal cost in compare.json is the ratio of the paired mean differences of
/// home outlay and real landings (the same replications), its interval holds it, and a
/// scenario compared with itself has no marginal cost to quote.
#[test]
fn the_marginal_cost_of_a_real_landing_is_the_ratio_of_paired_differences() {
    let dir = temp_dir("marginal");
    let a = write(&dir, "a.toml", &dazu("large", 110));
    let b = write(&dir, "b.toml", &dazu("small", 40));
    let out = dir.join("out");
    ok(&feidi(&[
        "compare",
        &a,
        &b,
        "-n",
        "128",
        "--out",
        out.to_str().unwrap(),
    ]));
    let c = json(&out.join("compare.json"));
    let difference = |name: &str| metric(&c, name)["differences"][0]["mean"].as_f64().unwrap();
    let m = &c["marginal_costs"][0];
    assert_eq!((m["a"].as_str(), m["b"].as_str()), (Some("large"), Some("small")));
    let expected = difference("cost_yuan") / difference("landed_home_real");
    let per = m["yuan_per_extra"].as_f64().unwrap();
    assert!((per - expected).abs() <= 1e-9 * expected.abs(), "{per} vs {expected}");
    if m["reading"] == "cost_per_extra_landing" {
        assert!(m["ci_low"].as_f64().unwrap() <= per && per <= m["ci_high"].as_f64().unwrap());
    }
    let same = write(&dir, "c.toml", &dazu("same", 110));
    let out = dir.join("self");
    ok(&feidi(&[
        "compare",
        &a,
        &same,
        "-n",
        "64",
        "--out",
        out.to_str().unwrap(),
    ]));
    let c = json(&out.join("compare.json"));
    assert_eq!(c["marginal_costs"][0]["reading"], "landings_do_not_differ");
    assert!(c["marginal_costs"][0]["yuan_per_extra"].is_null());
}
