//! `feidi run` end to end: the files it writes, their required content, and that the
//! same seed gives the same bytes whatever the thread count.

mod common;

use common::{assert_same_files, feidi, json, run_ok, temp_path};
use std::path::Path;

fn run_into(dir: &Path, threads: &str) {
    run_ok(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "--replications",
        "150",
        "--seed",
        "7",
        "--threads",
        threads,
        "--out",
        dir.to_str().unwrap(),
    ]);
}

#[test]
fn same_seed_gives_identical_bytes_with_one_or_two_threads() {
    let (one, two) = (temp_path("t1"), temp_path("t2"));
    run_into(&one, "1");
    run_into(&two, "2");
    assert_same_files(&one, &two, &["summary.json", "series.csv", "manifest.json"]);
    let _ = std::fs::remove_dir_all(&one);
    let _ = std::fs::remove_dir_all(&two);
}

#[test]
fn summary_holds_every_required_metric_with_its_statistics() {
    let dir = temp_path("json");
    let out = feidi(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "-n",
        "40",
        "--json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("--json prints JSON");
    let written = json(&dir.join("summary.json"));
    assert_eq!(printed, written);
    let metrics = &written["metrics"];
    for name in [
        "candidates",
        "admitted",
        "turned_away",
        "landed_home",
        "leaked_host",
        "leaked_elsewhere",
        "failed",
        "landing_rate",
        "months_to_landing",
        "seat_occupancy",
        "queue_wait_months",
    ] {
        let m = &metrics[name];
        for field in ["mean", "ci_low", "ci_high", "p5", "p50", "p95"] {
            assert!(
                m[field].is_number(),
                "metrics.{name}.{field} missing or not a number: {m}"
            );
        }
        let (lo, mean, hi) = (
            m["ci_low"].as_f64().unwrap(),
            m["mean"].as_f64().unwrap(),
            m["ci_high"].as_f64().unwrap(),
        );
        assert!(lo <= mean && mean <= hi, "metrics.{name}: CI {lo}..{hi} around {mean}");
    }
    assert_eq!(written["replications"], 40);
    let manifest = json(&dir.join("manifest.json"));
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(manifest["seed"], 1);
    let series = std::fs::read_to_string(dir.join("series.csv")).unwrap();
    assert!(series.starts_with("metric,unit,bin,month_start,month_end,n,mean,ci_low,ci_high,p5,p25,p50,p75,p95\n"));
    // 40 quarterly bins over 10 years for each series metric.
    assert!(series.lines().filter(|l| l.starts_with("landed_home,")).count() == 40);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_invalid_scenario_exits_with_code_2_and_writes_nothing() {
    let dir = temp_path("bad");
    let bad = dir.with_extension("toml");
    std::fs::write(&bad, "[scenario]\nname = \"x\"\nhorizon = 120\nsectors = [\"a\"]\n").unwrap();
    let out = feidi(&["run", bad.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":3:11: scenario.horizon: expected a duration with a unit"),
        "{err}"
    );
    assert!(!dir.exists(), "no output directory for an invalid scenario");
    let _ = std::fs::remove_file(&bad);
}

#[test]
fn existing_results_are_replaced_only_with_force() {
    let dir = temp_path("force");
    let args = [
        "run",
        "scenarios/dazu-chengdu.toml",
        "-n",
        "10",
        "--out",
        dir.to_str().unwrap(),
    ];
    assert!(feidi(&args).status.success());
    let again = feidi(&args);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds results"));
    let mut forced = args.to_vec();
    forced.push("--force");
    assert!(feidi(&forced).status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn replay_reruns_one_replication_without_writing_files() {
    let dir = temp_path("replay");
    let out = feidi(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "--replay",
        "0:3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("replication 3 of design point 0, seed 1"), "{text}");
    assert!(text.contains("landed_home_real"));
    assert!(!dir.exists());
    let bad = feidi(&["run", "scenarios/dazu-chengdu.toml", "--replay", "x:3"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn an_absurd_amount_of_work_is_refused_with_its_estimate() {
    let dir = temp_path("guard");
    let out = feidi(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "-n",
        "4000000000",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("model events") && err.contains("hours") && err.contains("--allow-long"),
        "{err}"
    );
    assert!(!dir.exists());
}
