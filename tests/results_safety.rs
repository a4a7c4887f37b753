//! Results that cannot be corrupted: names that cannot leave the results folder, one
//! writer per results directory, row files checked before they are used, results never
//! replaced without `--force`, and `--force` leaving nothing of what it replaces.
//!
//! Run with `cargo test --test results_safety`.

mod common;

use common::{feidi, ok, temp_dir, temp_path};
use std::path::{Path, PathBuf};
use std::process::Output;

const LOCK: &str = ".feidi-lock";

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// A small grid sweep over tests/valid/minimal.toml: `points` points, 4 replications each.
/// `sweep` run as shards 0 and 1 of 2, in the scratch directories `name-0` and `name-1`.
fn two_shards(sweep: &Path, name: &str) -> Vec<PathBuf> {
    let shards: Vec<PathBuf> = (0..2).map(|k| temp_path(&format!("{name}-{k}"))).collect();
    for (k, dir) in shards.iter().enumerate() {
        ok(&feidi(&[
            "sweep",
            s(sweep),
            "--shard",
            &format!("{k}/2"),
            "--out",
            s(dir),
        ]));
    }
    shards
}

fn tiny_sweep(name: &str, points: usize) -> PathBuf {
    let scenario = std::fs::canonicalize("tests/valid/minimal.toml").unwrap();
    let values: Vec<String> = (1..=points).map(|i| (i * 5).to_string()).collect();
    let file = temp_path(&format!("{name}.toml"));
    std::fs::write(
        &file,
        format!(
            "[sweep]\nname = \"{name}\"\nscenario = \"{}\"\nreplications = 4\ndesign = \"grid\"\n\n[[parameter]]\npath = \"enclave[0].seats\"\nvalues = [{}]\n",
            scenario.display(),
            values.join(", ")
        ),
    )
    .unwrap();
    file
}

/// A small calibration over tests/valid/minimal.toml.
fn tiny_calibration(name: &str) -> PathBuf {
    let scenario = std::fs::canonicalize("tests/valid/minimal.toml").unwrap();
    let file = temp_path(&format!("{name}.toml"));
    std::fs::write(
        &file,
        format!(
            "[calibration]\nname = \"{name}\"\nscenario = \"{}\"\nparticles = 10\ngenerations = 1\n\n[[target]]\nmetric = \"admitted\"\nvalue = 50\ntolerance = 1000\n\n[[parameter]]\npath = \"enclave[0].seats\"\nmin = 5\nmax = 40\ninteger = true\n",
            scenario.display()
        ),
    )
    .unwrap();
    file
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// Writes a lock into `dir` as the process `pid` running `command` would.
fn plant_lock(dir: &Path, pid: u32) {
    std::fs::write(
        dir.join(LOCK),
        format!("pid {pid}\nhost {}\ncommand feidi sweep\n", hostname()),
    )
    .unwrap();
}

#[test]
fn a_results_directory_held_by_a_running_process_is_refused_to_every_writer() {
    let sweep = tiny_sweep("locked", 2);
    let done = temp_path("locked-sweep");
    ok(&feidi(&["sweep", s(&sweep), "--out", s(&done)]));
    assert!(!done.join(LOCK).exists(), "a finished sweep leaves its lock behind");
    let held = temp_dir("locked-out");
    let calibration = tiny_calibration("locked-cal");
    let other = temp_path("minimal2.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string("tests/valid/minimal.toml")
            .unwrap()
            .replace("name = \"minimal\"", "name = \"minimal2\""),
    )
    .unwrap();
    let mut holder = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .expect("sleep runs");
    let pid = holder.id();
    plant_lock(&held, pid);
    plant_lock(&done, pid);
    let refused = [
        feidi(&[
            "run",
            "tests/valid/minimal.toml",
            "-n",
            "2",
            "--out",
            s(&held),
            "--force",
        ]),
        feidi(&["sweep", s(&sweep), "--out", s(&held), "--force"]),
        feidi(&["calibrate", s(&calibration), "--out", s(&held), "--force"]),
        feidi(&[
            "compare",
            "tests/valid/minimal.toml",
            s(&other),
            "-n",
            "2",
            "--out",
            s(&held),
            "--force",
        ]),
        feidi(&["sweep", "resume", s(&done)]),
        feidi(&["merge", "--out", s(&held), s(&temp_path("unused"))]),
    ];
    let merge_from_held = feidi(&["merge", "--out", s(&temp_path("merged-from-held")), s(&done)]);
    let _ = holder.kill();
    let _ = holder.wait();
    for (i, out) in refused.iter().enumerate() {
        let err = stderr(out);
        if i == 5 {
            // The shard is not a sweep: refused for that before any lock is looked at.
            assert_eq!(code(out), Some(2), "{err}");
            continue;
        }
        assert_eq!(code(out), Some(2), "writer {i}: {err}");
        assert!(
            err.contains(&format!("is in use by another feidi (process {pid} on")) && err.contains(LOCK),
            "writer {i}: {err}"
        );
    }
    let err = stderr(&merge_from_held);
    assert_eq!(code(&merge_from_held), Some(2), "{err}");
    assert!(
        err.contains(&format!("{} is in use by another feidi", done.display())),
        "{err}"
    );
    assert!(held.join(LOCK).exists(), "a refused writer removed another's lock");
    assert!(!held.join("summary.json").exists() && !held.join("compare.json").exists());
    // The holder is gone: its lock is stale and taken over, then released.
    ok(&feidi(&[
        "run",
        "tests/valid/minimal.toml",
        "-n",
        "2",
        "--out",
        s(&held),
        "--force",
    ]));
    assert!(held.join("summary.json").exists());
    assert!(!held.join(LOCK).exists(), "the run left its lock behind");
    let manifest = std::fs::read_to_string(held.join("manifest.json")).unwrap();
    assert!(!manifest.contains(LOCK), "{manifest}");
    ok(&feidi(&["sweep", "resume", s(&done)]));
    assert!(!done.join(LOCK).exists());
}

#[test]
fn a_lock_is_released_when_the_work_fails() {
    let sweep = tiny_sweep("released", 2);
    let dir = temp_path("released-sweep");
    ok(&feidi(&["sweep", s(&sweep), "--out", s(&dir)]));
    // The sweep file changes: resume is refused after taking the lock.
    let text = std::fs::read_to_string(&sweep)
        .unwrap()
        .replace("replications = 4", "replications = 5");
    std::fs::write(&sweep, text).unwrap();
    let out = feidi(&["sweep", "resume", s(&dir)]);
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("has changed since this sweep started"));
    assert!(!dir.join(LOCK).exists(), "a refused resume left its lock behind");
}

#[test]
fn merge_refuses_an_out_that_holds_results_unless_forced() {
    let sweep = tiny_sweep("remerge", 3);
    let shards = two_shards(&sweep, "remerge");
    let out = temp_path("remerge-out");
    let merge = |force: bool| {
        let mut args = vec!["merge", "--out", s(&out), s(&shards[0]), s(&shards[1])];
        if force {
            args.push("--force");
        }
        feidi(&args)
    };
    ok(&merge(false));
    let manifest = std::fs::read(out.join("manifest.json")).unwrap();
    let again = merge(false);
    assert_eq!(code(&again), Some(2), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("already holds results") && stderr(&again).contains("--force"),
        "{}",
        stderr(&again)
    );
    // A run's results are not replaced by a merge either.
    let run = temp_path("remerge-run");
    ok(&feidi(&[
        "run",
        "tests/valid/minimal.toml",
        "-n",
        "2",
        "--out",
        s(&run),
    ]));
    let over_run = feidi(&["merge", "--out", s(&run), s(&shards[0]), s(&shards[1])]);
    assert_eq!(code(&over_run), Some(2), "{}", stderr(&over_run));
    ok(&merge(true));
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), manifest);
}

#[test]
fn calibrate_checks_its_output_directory_before_any_work() {
    let calibration = tiny_calibration("unwritable-cal");
    let file = temp_path("a-file");
    std::fs::write(&file, b"not a directory").unwrap();
    let started = std::time::Instant::now();
    let out = feidi(&["calibrate", s(&calibration), "--out", s(&file.join("out"))]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot create output directory"),
        "{}",
        stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).is_empty());
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// Cuts the last `n` bytes off a file.
fn cut(path: &Path, n: usize) {
    let bytes = std::fs::read(path).unwrap();
    std::fs::write(path, &bytes[..bytes.len().saturating_sub(n)]).unwrap();
}

#[test]
fn resume_runs_damaged_points_again_and_says_so() {
    let sweep = tiny_sweep("damaged", 4);
    let (reference, dir) = (temp_path("damaged-ref"), temp_path("damaged"));
    ok(&feidi(&["sweep", s(&sweep), "--out", s(&reference)]));
    ok(&feidi(&["sweep", s(&sweep), "--out", s(&dir)]));
    // As if killed before the final files, with rows damaged in four ways.
    std::fs::remove_file(dir.join("points.csv")).unwrap();
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    cut(&dir.join("rows/00000000.csv"), 1);
    std::fs::write(dir.join("rows/00000001.csv"), b"").unwrap();
    let row = std::fs::read_to_string(dir.join("rows/00000002.csv")).unwrap();
    // Same shape, one figure changed: only the checksum tells.
    let changed = row.replacen(",4,", ",5,", 1);
    assert_ne!(row, changed);
    std::fs::write(dir.join("rows/00000002.csv"), changed).unwrap();
    cut(&dir.join("series/00000003.csv"), 10);
    let out = feidi(&["sweep", "resume", s(&dir)]);
    ok(&out);
    let err = stderr(&out);
    for (p, why) in [
        (0, "does not end with a newline"),
        (1, "it is empty"),
        (2, "SHA-256 is not the one recorded"),
        (3, "series/00000003.csv: it does not end with a newline"),
    ] {
        assert!(
            err.contains(&format!("design point {p} is damaged and runs again: ")) && err.contains(why),
            "point {p}: {err}"
        );
    }
    for f in ["points.csv", "manifest.json", "series/00000003.csv"] {
        assert_eq!(
            std::fs::read(reference.join(f)).unwrap(),
            std::fs::read(dir.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn merge_refuses_a_damaged_shard_naming_the_file() {
    let sweep = tiny_sweep("damaged-shards", 4);
    let shards = two_shards(&sweep, "damaged-shard");
    let out = temp_path("damaged-merged");
    let merge = || feidi(&["merge", "--out", s(&out), s(&shards[0]), s(&shards[1])]);
    for (file, damage, why) in [
        ("rows/00000003.csv", 0, "it is empty"),
        ("rows/00000001.csv", 1, "does not end with a newline"),
        ("series/00000002.csv", 1, "does not end with a newline"),
    ] {
        let shard = &shards[if file.contains("2.csv") { 0 } else { 1 }];
        let path = shard.join(file);
        let bytes = std::fs::read(&path).unwrap();
        if damage == 0 {
            std::fs::write(&path, b"").unwrap();
        } else {
            cut(&path, damage);
        }
        let refused = merge();
        let err = stderr(&refused);
        assert_eq!(code(&refused), Some(2), "{err}");
        assert!(
            err.contains(&path.display().to_string()) && err.contains(why),
            "{file}: {err}"
        );
        assert!(!out.join("points.csv").exists(), "a refused merge wrote points.csv");
        std::fs::write(&path, bytes).unwrap();
    }
    ok(&merge());
}

#[test]
fn variant_names_that_a_spreadsheet_would_run_are_neutralized_in_points_csv() {
    let scenario = std::fs::canonicalize("tests/valid/minimal.toml").unwrap();
    let file = temp_path("formula.toml");
    std::fs::write(
        &file,
        format!(
            "[sweep]\nname = \"formula\"\nscenario = \"{}\"\nreplications = 2\ndesign = \"variants\"\n\n[[variant]]\nname = \"=HYPERLINK(\\\"http://example.com\\\",\\\"x\\\")\"\nset = {{ \"enclave[0].seats\" = 30 }}\n\n[[variant]]\nname = \"-2+3\"\nset = {{}}\n\n[[variant]]\nname = \"@SUM(A1)\"\nset = {{}}\n",
            scenario.display()
        ),
    )
    .unwrap();
    let dir = temp_path("formula-out");
    ok(&feidi(&["sweep", s(&file), "--out", s(&dir)]));
    let csv = std::fs::read_to_string(dir.join("points.csv")).unwrap();
    let labels: Vec<&str> = csv.lines().skip(1).map(|l| l.split(",").nth(1).unwrap()).collect();
    assert_eq!(labels[0], "\"'=HYPERLINK(\"\"http://example.com\"\"");
    assert_eq!(labels[1], "\"'-2+3\"");
    assert_eq!(labels[2], "\"'@SUM(A1)\"");
}

#[test]
fn force_leaves_nothing_of_the_results_it_replaces_and_keeps_other_files() {
    let dir = temp_path("forced");
    ok(&feidi(&[
        "run",
        "tests/valid/minimal.toml",
        "-n",
        "2",
        "--out",
        s(&dir),
        "--report",
    ]));
    ok(&feidi(&["plot", s(&dir)]));
    assert!(dir.join("report.html").exists() && dir.join("charts").is_dir());
    std::fs::write(dir.join("notes.txt"), b"mine").unwrap();
    let big = tiny_sweep("forced-big", 4);
    ok(&feidi(&["sweep", s(&big), "--out", s(&dir), "--force"]));
    for gone in ["summary.json", "series.csv", "scenario.toml", "report.html", "charts"] {
        assert!(!dir.join(gone).exists(), "{gone} outlived --force");
    }
    let small = tiny_sweep("forced-small", 2);
    ok(&feidi(&["sweep", s(&small), "--out", s(&dir), "--force"]));
    for sub in ["rows", "series", "checks"] {
        assert_eq!(std::fs::read_dir(dir.join(sub)).unwrap().count(), 2, "{sub}");
    }
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
    // A merge forced over the sweep keeps no series of the old points either.
    let shards: Vec<PathBuf> = (0..2).map(|k| temp_path(&format!("forced-shard-{k}"))).collect();
    let one = tiny_sweep("forced-one", 1);
    for (k, shard) in shards.iter().enumerate() {
        ok(&feidi(&[
            "sweep",
            s(&one),
            "--shard",
            &format!("{k}/2"),
            "--out",
            s(shard),
        ]));
    }
    ok(&feidi(&[
        "merge",
        "--out",
        s(&dir),
        s(&shards[0]),
        s(&shards[1]),
        "--force",
    ]));
    assert_eq!(std::fs::read_dir(dir.join("series")).unwrap().count(), 1);
    assert!(!dir.join("rows").exists());
    // The plan is the merged sweep's own, written by the merge: one point, no shard.
    let plan = common::json(&dir.join("sweep-plan.json"));
    assert_eq!(plan["points"], 1, "{plan}");
    assert!(plan.get("shard").is_none_or(|s| s.is_null()), "{plan}");
    assert_eq!(std::fs::read(dir.join("notes.txt")).unwrap(), b"mine");
    // A shard is never the merge's output.
    let into_shard = feidi(&["merge", "--out", s(&shards[0]), s(&shards[0]), s(&shards[1]), "--force"]);
    assert_eq!(code(&into_shard), Some(2), "{}", stderr(&into_shard));
    assert!(shards[0].join("rows").is_dir());
}

/// Asserts that `args` is refused with exit code 2 and a message containing each of `says`.
fn refused(args: &[&str], says: &[&str]) {
    let out = feidi(args);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "feidi {args:?}: {err}");
    for s in says {
        assert!(err.contains(s), "feidi {args:?} does not say `{s}`: {err}");
    }
}

#[test]
fn readers_refuse_a_directory_without_its_manifest_naming_what_is_missing() {
    // A run stopped before manifest.json, which is written last.
    let run = temp_path("incomplete-run");
    ok(&feidi(&[
        "run",
        "tests/valid/minimal.toml",
        "-n",
        "2",
        "--out",
        s(&run),
    ]));
    std::fs::remove_file(run.join("manifest.json")).unwrap();
    for reader in ["report", "plot", "workbook"] {
        refused(
            &[reader, s(&run)],
            &["manifest.json: missing beside summary.json, series.csv", "--force"],
        );
    }
    assert!(!run.join("report.html").exists() && !run.join("charts").exists());

    // An unfinished sweep: one of two points done, no points.csv or manifest.json yet.
    let sweep = tiny_sweep("incomplete-sweep", 2);
    let dir = temp_path("incomplete-sweep-out");
    ok(&feidi(&["sweep", s(&sweep), "--out", s(&dir)]));
    for gone in ["manifest.json", "points.csv", "rows/00000001.csv"] {
        std::fs::remove_file(dir.join(gone)).unwrap();
    }
    let unfinished = [
        "the sweep is unfinished (1 of 2 design points done)",
        "feidi sweep resume",
    ];
    refused(&["report", s(&dir)], &unfinished);
    refused(&["workbook", s(&dir)], &unfinished);
    refused(&["discover", s(&dir), "--where", "admitted > 0"], &unfinished);

    // A shard is read by merge alone, and merge names the point a shard lacks.
    let shards = two_shards(&tiny_sweep("incomplete-shards", 4), "incomplete-shard");
    refused(&["report", s(&shards[0])], &["shard 0 of 2", "feidi merge"]);
    std::fs::remove_file(shards[1].join("rows/00000003.csv")).unwrap();
    let merged = temp_path("incomplete-merged");
    refused(
        &["merge", "--out", s(&merged), s(&shards[0]), s(&shards[1])],
        &["design point 3 has no results"],
    );
    // Resume needs the sweep's plan.
    std::fs::remove_file(dir.join("sweep-plan.json")).unwrap();
    refused(&["sweep", "resume", s(&dir)], &["it has no sweep-plan.json"]);
}

#[test]
fn a_listed_file_that_changed_after_its_manifest_is_refused_even_inside_an_alternative() {
    let dir = temp_path("changed-compare");
    let other = temp_path("changed-other.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string("tests/valid/minimal.toml")
            .unwrap()
            .replace("name = \"minimal\"", "name = \"other\""),
    )
    .unwrap();
    ok(&feidi(&[
        "compare",
        "tests/valid/minimal.toml",
        s(&other),
        "-n",
        "4",
        "--out",
        s(&dir),
    ]));
    // The comparison's own manifest, written last, lists compare.json and each
    // alternative's manifest.
    let manifest = common::json(&dir.join("manifest.json"));
    let listed: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        listed.contains(&"compare.json") && listed.contains(&"alternatives/other/manifest.json"),
        "{listed:?}"
    );
    ok(&feidi(&["workbook", s(&dir)]));
    let series = dir.join("alternatives/other/series.csv");
    let text = std::fs::read_to_string(&series).unwrap();
    std::fs::write(&series, &text[..text.len() / 2]).unwrap();
    refused(
        &["report", s(&dir)],
        &["alternatives/other/series.csv: not the file feidi wrote", "--force"],
    );
}

#[test]
fn a_merged_sweep_is_complete_and_can_be_reported() {
    let shards = two_shards(&tiny_sweep("merged-report", 3), "merged-report-shard");
    let merged = temp_path("merged-report-out");
    ok(&feidi(&["merge", "--out", s(&merged), s(&shards[0]), s(&shards[1])]));
    ok(&feidi(&["report", s(&merged)]));
    assert!(merged.join("report.html").is_file());
}

/// A process id beyond Linux's largest, so never a running process.
const DEAD_PID: u32 = 4_194_399;

#[test]
fn temporary_files_of_a_killed_writer_are_removed_by_the_next_write_and_never_read() {
    let sweep = tiny_sweep("leftovers", 2);
    let dir = temp_path("leftovers-out");
    ok(&feidi(&["sweep", s(&sweep), "--out", s(&dir)]));
    // As if killed while writing point 1's row and the manifest: the row is not
    // committed, and half files lie under hidden names.
    std::fs::remove_file(dir.join("rows/00000001.csv")).unwrap();
    std::fs::remove_file(dir.join("manifest.json")).unwrap();
    let half_row = dir.join(format!("rows/.00000001.csv.tmp-{DEAD_PID}"));
    let half_manifest = dir.join(format!(".manifest.json.tmp-{DEAD_PID}"));
    std::fs::write(&half_row, "1,1,4,10").unwrap();
    std::fs::write(&half_manifest, "{ \"feidi_version\"").unwrap();
    refused(
        &["report", s(&dir)],
        &["the sweep is unfinished (1 of 2 design points done)"],
    );
    ok(&feidi(&["sweep", "resume", s(&dir)]));
    assert!(
        !half_row.exists() && !half_manifest.exists(),
        "resume left a killed writer's files"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("points.csv")).unwrap().lines().count(),
        3
    );
    // The same for a report killed while writing report.html and a chart.
    let half_report = dir.join(format!(".report.html.tmp-{DEAD_PID}"));
    std::fs::create_dir_all(dir.join("charts")).unwrap();
    let half_chart = dir.join(format!("charts/.points-admitted.png.tmp-{DEAD_PID}"));
    std::fs::write(&half_report, "<html").unwrap();
    std::fs::write(&half_chart, "\u{89}PNG").unwrap();
    ok(&feidi(&["report", s(&dir)]));
    assert!(
        !half_report.exists() && !half_chart.exists(),
        "report left a killed writer's files"
    );
}
