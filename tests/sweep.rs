//! `feidi sweep`: designs run, outputs are the same bytes whatever the thread count, and
//! bad sweep files or bad points are refused before anything runs.

mod common;

use common::{assert_same_files, example_sweep, feidi, run_ok, temp_path};
use std::path::PathBuf;

#[test]
fn a_grid_sweep_gives_one_row_per_point_and_the_same_bytes_with_one_or_two_threads() {
    let (one, two) = (temp_path("t1"), temp_path("t2"));
    let grid = example_sweep(
        "dazu-seats-subsidy.toml",
        "grid",
        &[("replications = 200", "replications = 30")],
    );
    for (dir, threads) in [(&one, "1"), (&two, "2")] {
        run_ok(&[
            "sweep",
            grid.to_str().unwrap(),
            "-t",
            threads,
            "--out",
            dir.to_str().unwrap(),
        ]);
    }
    let csv = std::fs::read_to_string(one.join("points.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 9);
    // points.csv starts with a byte-order mark, so that Excel reads it as UTF-8.
    assert!(csv.starts_with(
        "\u{feff}point,label,replications,enclave[0].seats,city[1].landing_subsidy_yuan,host_candidates.mean,"
    ));
    assert_same_files(&one, &two, &["points.csv", "manifest.json"]);
    // More seats admit more projects: the points differ the way the grid says.
    let admitted = |row: &str| -> f64 {
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let col = header.iter().position(|h| *h == "admitted.mean").unwrap();
        row.split(',').nth(col).unwrap().parse().unwrap()
    };
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(admitted(rows[0]) < admitted(rows[3]) && admitted(rows[3]) < admitted(rows[6]));
    // `--no-bom` leaves out the mark and changes nothing else; the plan records it, and
    // a default sweep's plan does not mention it.
    let plain = temp_path("t-plain");
    run_ok(&[
        "sweep",
        grid.to_str().unwrap(),
        "--no-bom",
        "--out",
        plain.to_str().unwrap(),
    ]);
    let plain_csv = std::fs::read_to_string(plain.join("points.csv")).unwrap();
    assert_eq!(Some(plain_csv.as_str()), csv.strip_prefix('\u{feff}'));
    let plan = |dir: &PathBuf| std::fs::read_to_string(dir.join("sweep-plan.json")).unwrap();
    assert!(plan(&plain).contains("\"no_bom\": true"));
    assert!(!plan(&one).contains("no_bom"));
    for dir in [&one, &two, &plain] {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn a_point_that_breaks_the_scenario_is_refused_before_anything_runs() {
    let dir = temp_path("badpoint");
    let file = dir.with_extension("toml");
    let scenario = std::fs::canonicalize("scenarios/dazu-chengdu.toml").unwrap();
    std::fs::write(
        &file,
        format!(
            "[sweep]\nname = \"bad\"\nscenario = \"{}\"\nreplications = 10\ndesign = \"grid\"\n\n[[parameter]]\npath = \"enclave[0].seats\"\nvalues = [50, 0]\n",
            scenario.display()
        ),
    )
    .unwrap();
    let out = feidi(&["sweep", file.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // Located at the value in the sweep file, once, with the points that hold it.
    assert!(
        err.contains(":9:15: parameter[0].values[1]: expected a value of enclave[0].seats")
            && err.contains("— in 1 of 2 design points"),
        "{err}"
    );
    assert!(!dir.exists());
    let _ = std::fs::remove_file(&file);
}

/// A sweep file over tests/valid/minimal.toml with `replications` and these
/// `[[parameter]]` tables, each (key path, values).
fn grid_over_minimal(name: &str, replications: u64, parameters: &[(&str, String)]) -> PathBuf {
    let scenario = std::fs::canonicalize("tests/valid/minimal.toml").unwrap();
    let mut text = format!(
        "[sweep]\nname = \"{name}\"\nscenario = \"{}\"\nreplications = {replications}\ndesign = \"grid\"\n",
        scenario.display()
    );
    for (path, values) in parameters {
        text.push_str(&format!("\n[[parameter]]\npath = \"{path}\"\nvalues = [{values}]\n"));
    }
    let file = temp_path(&format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    file
}

/// `count` values from 1 up, as a TOML list's items.
fn whole_numbers(count: usize) -> String {
    (1..=count).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

/// Eight success chances, as a TOML list's items.
const CHANCES: &str = "0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8";

/// Runs feidi with `args`, killing it after `limit`: (exit code, stderr, time taken).
fn timed(args: &[&str], limit: std::time::Duration) -> (Option<i32>, String, std::time::Duration) {
    use std::io::Read;
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("feidi starts");
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait for feidi") {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (code, reader.join().expect("read stderr"), started.elapsed())
}

#[test]
fn one_misspelt_key_in_a_thousand_point_sweep_is_reported_once_at_its_parameter() {
    let file = grid_over_minimal(
        "typo-1000",
        10,
        &[
            ("enclave[0].seats", whole_numbers(10)),
            ("stage[0].sucess", whole_numbers(10).replace(", ", "e-2, ") + "e-2"),
            ("stage[1].success", whole_numbers(10).replace(", ", "e-2, ") + "e-2"),
        ],
    );
    let out = feidi(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("error: ").count(), 1, "{err}");
    assert!(
        err.contains(":12:8: parameter[1].path:")
            && err.contains("found the unknown key `sucess` — in all 1000 design points")
            && err.contains("did you mean `success`?"),
        "{err}"
    );
    assert!(!err.contains("(point "), "names a generated point: {err}");
}

#[test]
fn validate_of_a_sweep_of_458752_points_says_its_size_first_and_checks_each_value_once() {
    // The file is under 1 kB; checking every point took minutes and said nothing.
    let file = grid_over_minimal(
        "large-grid",
        10,
        &[
            ("enclave[0].seats", whole_numbers(64)),
            ("stage[0].success", CHANCES.to_string()),
            ("stage[1].success", CHANCES.to_string()),
            ("stage[2].success", CHANCES.to_string()),
            ("city[1].capacity.pilot", whole_numbers(7)),
            ("landing.host_constant", "0.1, 0.2".to_string()),
        ],
    );
    assert!(std::fs::metadata(&file).unwrap().len() < 1000);
    let limit = std::time::Duration::from_secs(60);
    let (code, err, took) = timed(&["validate", file.to_str().unwrap()], limit);
    assert_eq!(
        code,
        Some(0),
        "exit code after {took:?} (None: killed at {limit:?}): {err}"
    );
    assert!(
        err.lines()
            .next()
            .is_some_and(|l| l.contains(": 458752 design points × 10 replications; checking")),
        "{err}"
    );
}

#[test]
fn work_over_a_day_is_refused_before_any_point_is_generated() {
    // A million points × a million replications: refused at once, not after building
    // and checking a million scenarios.
    let file = grid_over_minimal(
        "too-long",
        1_000_000,
        &[
            ("enclave[0].seats", whole_numbers(100)),
            ("stage[0].success", whole_numbers(100).replace(", ", "e-3, ") + "e-3"),
            ("stage[1].success", whole_numbers(100).replace(", ", "e-3, ") + "e-3"),
        ],
    );
    let out = temp_path("too-long-out");
    let limit = std::time::Duration::from_secs(30);
    let (code, err, took) = timed(
        &["sweep", file.to_str().unwrap(), "--out", out.to_str().unwrap()],
        limit,
    );
    assert_eq!(
        code,
        Some(2),
        "exit code after {took:?} (None: killed at {limit:?}): {err}"
    );
    assert!(err.contains("--allow-long"), "{err}");
    assert!(!out.exists(), "a refused sweep created its results directory");
}

#[test]
fn a_misspelt_sweep_key_is_located() {
    let file = temp_path("typo").with_extension("toml");
    std::fs::write(
        &file,
        "[sweep]\nname = \"x\"\nscenario = \"a.toml\"\nreplication = 10\ndesign = \"grid\"\n",
    )
    .unwrap();
    let out = feidi(&["sweep", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":4:1: sweep.replication: expected a known key") && err.contains("did you mean `replications`?"),
        "{err}"
    );
    let _ = std::fs::remove_file(&file);
}

/// The operators sweep with 40 replications per point, as a temporary file.
fn light_sweep(name: &str) -> PathBuf {
    example_sweep(
        "dazu-operators.toml",
        name,
        &[("replications = 500", "replications = 40")],
    )
}

/// Asserts that a sweep's result files are the same bytes in `a` and `b`.
fn same_files(a: &std::path::Path, b: &std::path::Path) {
    assert_same_files(
        a,
        b,
        &[
            "points.csv",
            "manifest.json",
            "series/00000000.csv",
            "series/00000003.csv",
        ],
    );
}

#[test]
fn one_three_or_seven_shards_merged_give_the_same_bytes() {
    let file = light_sweep("shards");
    let sweep = file.to_str().unwrap();
    let whole = temp_path("whole");
    run_ok(&["sweep", sweep, "--out", whole.to_str().unwrap()]);
    // Seven shards of a four-point sweep: some shards are empty, and still merge.
    let seven: Vec<PathBuf> = (0..7).map(|k| temp_path(&format!("seven{k}"))).collect();
    for (k, dir) in seven.iter().enumerate() {
        run_ok(&[
            "sweep",
            sweep,
            "--shard",
            &format!("{k}/7"),
            "--out",
            dir.to_str().unwrap(),
        ]);
    }
    let merged7 = temp_path("merged7");
    let mut args = vec!["merge", "--out", merged7.to_str().unwrap()];
    args.extend(seven.iter().map(|d| d.to_str().unwrap()));
    run_ok(&args);
    same_files(&whole, &merged7);
    for d in seven.iter().chain([&merged7]) {
        let _ = std::fs::remove_dir_all(d);
    }
    let shards: Vec<PathBuf> = (0..3).map(|k| temp_path(&format!("shard{k}"))).collect();
    for (k, dir) in shards.iter().enumerate() {
        run_ok(&[
            "sweep",
            sweep,
            "--shard",
            &format!("{k}/3"),
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(!dir.join("points.csv").exists(), "a shard waits for the merge");
    }
    let merged = temp_path("merged");
    let mut args = vec!["merge", "--out", merged.to_str().unwrap()];
    args.extend(shards.iter().map(|d| d.to_str().unwrap()));
    run_ok(&args);
    same_files(&whole, &merged);
    // A missing shard is refused.
    let out = feidi(&[
        "merge",
        "--out",
        merged.to_str().unwrap(),
        shards[0].to_str().unwrap(),
        shards[2].to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shard 1 of 3 is missing"));
    for d in shards.iter().chain([&whole, &merged]) {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn an_interrupted_sweep_resumed_gives_the_same_bytes_and_refuses_a_changed_file() {
    let file = light_sweep("resume");
    let sweep = file.to_str().unwrap();
    let (whole, broken) = (temp_path("ref"), temp_path("resumed"));
    run_ok(&["sweep", sweep, "--out", whole.to_str().unwrap()]);
    run_ok(&["sweep", sweep, "--out", broken.to_str().unwrap()]);
    // As if killed after two points: their rows survive, the rest and the final files do not.
    for p in [1, 3] {
        std::fs::remove_file(broken.join(format!("rows/{p:08}.csv"))).unwrap();
    }
    std::fs::remove_file(broken.join("points.csv")).unwrap();
    std::fs::remove_file(broken.join("manifest.json")).unwrap();
    run_ok(&["sweep", "resume", broken.to_str().unwrap()]);
    same_files(&whole, &broken);
    // Starting again over an unfinished sweep points to resume.
    let again = feidi(&["sweep", sweep, "--out", broken.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    // A changed sweep file is refused on resume.
    let copy = temp_path("changed").with_extension("toml");
    let text = std::fs::read_to_string(sweep).unwrap().replace(
        "../dazu-chengdu.toml",
        &std::fs::canonicalize("scenarios/dazu-chengdu.toml")
            .unwrap()
            .display()
            .to_string(),
    );
    std::fs::write(&copy, &text).unwrap();
    let dir = temp_path("changed-run");
    run_ok(&["sweep", copy.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    std::fs::remove_file(dir.join("rows/00000000.csv")).unwrap();
    std::fs::write(&copy, text.replace("replications = 40", "replications = 30")).unwrap();
    let out = feidi(&["sweep", "resume", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has changed since this sweep started"));
    for d in [&whole, &broken, &dir] {
        let _ = std::fs::remove_dir_all(d);
    }
    let _ = std::fs::remove_file(&copy);
}

#[test]
fn a_precision_target_stops_each_point_once_its_interval_is_narrow_enough() {
    let scenario = std::fs::canonicalize("scenarios/dazu-chengdu.toml").unwrap();
    let file = temp_path("precision").with_extension("toml");
    let write = |target: &str| {
        std::fs::write(
            &file,
            format!(
                "[sweep]\nname = \"p\"\nscenario = \"{}\"\nreplications = 640\ndesign = \"grid\"\n\
                 [sweep.precision]\nlanding_rate = {target}\n\n[[parameter]]\npath = \"enclave[0].seats\"\nvalues = [60, 200]\n",
                scenario.display()
            ),
        )
        .unwrap();
    };
    let replications = |dir: &std::path::Path| -> Vec<u64> {
        let csv = std::fs::read_to_string(dir.join("points.csv")).unwrap();
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
            .collect()
    };
    // A loose target is met after the first block of 64; a tight one runs to the cap.
    write("0.01");
    let loose = temp_path("loose");
    run_ok(&["sweep", file.to_str().unwrap(), "--out", loose.to_str().unwrap()]);
    assert_eq!(replications(&loose), [64, 64]);
    write("0.0001");
    let tight = temp_path("tight");
    run_ok(&["sweep", file.to_str().unwrap(), "--out", tight.to_str().unwrap()]);
    assert_eq!(replications(&tight), [640, 640]);
    // A metric that does not exist is refused with its location.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("landing_rate = 0.0001", "landing_rat = 0.01"),
    )
    .unwrap();
    let out = feidi(&["sweep", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `landing_rate`?"));
    for d in [&loose, &tight] {
        let _ = std::fs::remove_dir_all(d);
    }
    let _ = std::fs::remove_file(&file);
}

/// The paired columns of one point of points.csv (`<metric>.<stat>`).
fn point_column(csv: &str, point: usize, column: &str) -> f64 {
    let rows = feidi::results::points::read_csv(csv).unwrap();
    let c = rows[0]
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    rows[point + 1][c].parse().unwrap_or(f64::NAN)
}

/// A grid sweep pairs every point with its baseline on common random numbers (the
/// default), which narrows the interval of the difference between neighbouring points
/// against independent streams (`common_random_numbers = false`), where the interval of
/// a difference of independent means has half-width √(h₁² + h₂²).
///
/// Each half-width from 256 replications has a relative standard error of about
/// 1/√(2 × 255) ≈ 4.4 %, and the independent one combines two, so a ratio below 0.8
/// when pairing bought nothing (true ratio 1) is more than 3.5 standard errors away: a
/// false pass below 0.03 % (99.97 % confidence).
#[test]
fn pairing_the_points_of_a_grid_narrows_the_interval_of_their_difference() {
    let sweep = |name: &str, common: bool| {
        let edits = [
            ("replications = 200", "replications = 256"),
            ("values = [60, 110, 200]", "values = [100, 110]"),
            ("values = [0, 1_000_000, 3_000_000]", "values = [1_000_000]"),
            (
                "design = \"grid\"",
                if common {
                    "design = \"grid\""
                } else {
                    "design = \"grid\"\ncommon_random_numbers = false"
                },
            ),
        ];
        let file = example_sweep("dazu-seats-subsidy.toml", name, &edits);
        let out = temp_path(&format!("{name}-out"));
        run_ok(&[
            "sweep",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--force",
        ]);
        std::fs::read_to_string(out.join("points.csv")).unwrap()
    };
    let (paired, independent) = (sweep("paired-grid", true), sweep("independent-grid", false));
    assert!(
        !independent.contains(".diff"),
        "independent points have no paired columns"
    );
    for metric in ["landed_home_real", "admitted", "home_tax_yuan"] {
        let half = |csv: &str, p: usize| {
            (point_column(csv, p, &format!("{metric}.ci_high")) - point_column(csv, p, &format!("{metric}.ci_low")))
                / 2.0
        };
        let unpaired = (half(&independent, 0).powi(2) + half(&independent, 1).powi(2)).sqrt();
        let pair = (point_column(&paired, 1, &format!("{metric}.diff_ci_high"))
            - point_column(&paired, 1, &format!("{metric}.diff_ci_low")))
            / 2.0;
        assert!(
            pair / unpaired < 0.8,
            "{metric}: paired half-width {pair} against {unpaired} on independent streams"
        );
        // The paired mean difference is the difference of the two points' means (the
        // same replications).
        let diff = point_column(&paired, 1, &format!("{metric}.diff"));
        let means =
            point_column(&paired, 1, &format!("{metric}.mean")) - point_column(&paired, 0, &format!("{metric}.mean"));
        assert!(
            (diff - means).abs() <= 1e-9 * (1.0 + means.abs()),
            "{metric}: {diff} vs {means}"
        );
    }
}

/// `variance_reduction` in a sweep file estimates each point's means as `feidi run
/// --variance-reduction` does: a paired grid's point on the shipped Dazu settings gives
/// the same mean and interval, to the bit, as a run of the shipped scenario with the same
/// seed and replications (a paired sweep's points draw the streams a run draws).
#[test]
fn a_sweep_with_control_variates_estimates_points_as_a_run_does() {
    let file = example_sweep(
        "dazu-seats-subsidy.toml",
        "control-grid",
        &[
            ("replications = 200", "replications = 128"),
            ("values = [60, 110, 200]", "values = [100, 110]"),
            ("values = [0, 1_000_000, 3_000_000]", "values = [1_000_000]"),
            (
                "design = \"grid\"",
                "design = \"grid\"\nvariance_reduction = \"control\"",
            ),
        ],
    );
    let out = temp_path("control-grid-out");
    run_ok(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    let csv = std::fs::read_to_string(out.join("points.csv")).unwrap();
    let run = temp_path("control-run");
    run_ok(&[
        "run",
        "scenarios/dazu-chengdu.toml",
        "-n",
        "128",
        "--seed",
        "1",
        "--variance-reduction",
        "control",
        "--out",
        run.to_str().unwrap(),
    ]);
    let summary = common::json(&run.join("summary.json"));
    for metric in ["landed_home_real", "admitted", "home_tax_yuan"] {
        for stat in ["mean", "ci_low", "ci_high"] {
            let from_run = summary["metrics"][metric][stat].as_f64().unwrap();
            let from_sweep = point_column(&csv, 1, &format!("{metric}.{stat}"));
            assert_eq!(from_sweep, from_run, "{metric}.{stat}");
        }
    }
}
