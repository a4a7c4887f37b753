//! Helpers shared by the test files: running the `feidi` binary, scratch paths, reading
//! result files, and for the model's tests building scenarios, running replications, 99 %
//! confidence intervals and the accounting identity.
#![allow(dead_code)] // each test file uses its own subset

use feidi::engine::rng::StreamKey;
use feidi::model::metrics::total;
use feidi::model::{Outcome, Prepared};
use feidi::scenario::Scenario;
use feidi::stats::student::t_quantile;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the built `feidi` binary with `args` in the crate root. Results are dated by a fixed
/// `SOURCE_DATE_EPOCH`, so that chart footers (and so their bytes) do not depend on the day.
pub fn feidi<S: AsRef<OsStr>>(args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feidi"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("SOURCE_DATE_EPOCH", "1795305600")
        .output()
        .expect("feidi runs")
}

/// Asserts that `out` is a successful run, showing its output if not; returns its stdout.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "feidi failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `feidi` with `args`, asserts that it succeeds and returns its stdout.
pub fn run_ok<S: AsRef<OsStr> + std::fmt::Debug>(args: &[S]) -> String {
    let out = feidi(args);
    assert!(
        out.status.success(),
        "feidi {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A scratch path `name` of this test file (under cargo's temporary directory for tests),
/// with nothing at it yet: for a results directory that feidi creates, or a file.
pub fn temp_path(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(env!("CARGO_CRATE_NAME"))
        .join(name);
    let _ = std::fs::remove_dir_all(&path);
    let _ = std::fs::remove_file(&path);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("create the scratch directory");
    path
}

/// An empty scratch directory `name` of this test file.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = temp_path(name);
    std::fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

/// A JSON result file, parsed.
pub fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts that each of `names` is a non-empty file with the same bytes in `one` and `two`.
pub fn assert_same_files(one: &Path, two: &Path, names: &[&str]) {
    for name in names {
        let (x, y) = (
            std::fs::read(one.join(name)).unwrap_or_else(|e| panic!("{}: {e}", one.join(name).display())),
            std::fs::read(two.join(name)).unwrap_or_else(|e| panic!("{}: {e}", two.join(name).display())),
        );
        assert!(!x.is_empty(), "{name} is empty");
        assert!(x == y, "{name} differs between {} and {}", one.display(), two.display());
    }
}

/// The shipped example sweep `scenarios/sweeps/{example}` pointed at the shipped
/// dazu-chengdu scenario and changed by `edits` (each `from` must occur), written to the
/// scratch file `name`.toml: light versions of the examples for tests.
pub fn example_sweep(example: &str, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let scenario = std::fs::canonicalize("scenarios/dazu-chengdu.toml").unwrap();
    let mut text = std::fs::read_to_string(format!("scenarios/sweeps/{example}"))
        .unwrap()
        .replace("../dazu-chengdu.toml", &scenario.display().to_string());
    for (from, to) in edits {
        assert!(text.contains(from), "{example} has no `{from}`");
        text = text.replace(from, to);
    }
    let file = temp_path(&format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    file
}

/// A scenario from TOML text; a test scenario must be valid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml("test.toml", text).unwrap_or_else(|e| panic!("test scenario is invalid:\n{e}"))
}

/// Replications 0..`replications` of point 0 with `seed`, in order.
pub fn outcomes(sc: &Scenario, replications: u64, seed: u64) -> Vec<Outcome> {
    let prepared = Prepared::new(sc);
    (0..replications)
        .map(|r| {
            prepared.simulate(StreamKey {
                seed,
                point: 0,
                replication: r,
            })
        })
        .collect()
}

/// Mean and 99 % confidence half-width (Student t) of per-replication values.
pub fn ci99(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, t_quantile(0.995, n - 1.0) * (var / n).sqrt())
}

/// Asserts that every candidate ends in exactly one final state (no warm-up).
pub fn assert_accounted(t: &[f64]) {
    let ends = t[total::REJECTED]
        + t[total::TURNED_AWAY]
        + t[total::FAILED]
        + t[total::LEAKED_HOST]
        + t[total::LEAKED_ELSEWHERE]
        + t[total::COMPLETED]
        + t[total::STRANDED]
        + t[total::LOST_TO_RIVALS]
        + t[total::IN_PROGRESS];
    assert_eq!(t[total::CANDIDATES], ends, "{t:?}");
}

/// A light copy of scenarios/optimize/dazu-budget.toml (a few settings, few
/// replications: seconds), written to `dir`; with `two_objectives` the home cost is a
/// second objective (minimized) and the selection has no indifference zone.
pub fn light_optimization(dir: &Path, two_objectives: bool) -> PathBuf {
    let scenario = std::fs::canonicalize("scenarios/dazu-chengdu.toml").unwrap();
    let mut text = std::fs::read_to_string("scenarios/optimize/dazu-budget.toml").unwrap();
    for (from, to) in [
        (
            "\"../dazu-chengdu.toml\"".to_string(),
            format!("{:?}", scenario.display().to_string()),
        ),
        ("replications = 64 ".into(), "replications = 8 ".into()),
        ("population = 12 ".into(), "population = 4 ".into()),
        ("generations = 12 ".into(), "generations = 3 ".into()),
        ("finalists = 5 ".into(), "finalists = 3 ".into()),
        ("first_stage = 20 ".into(), "first_stage = 6 ".into()),
        ("cap = 5_000 ".into(), "cap = 40 ".into()),
        (
            "compare_replications = 256 ".into(),
            "compare_replications = 16 ".into(),
        ),
    ] {
        assert!(text.contains(&from), "dazu-budget.toml no longer holds `{from}`");
        text = text.replace(&from, &to);
    }
    if two_objectives {
        text = text
            .replace(
                "[selection]",
                "[[objective]]\nmetric = \"cost_yuan\"\ngoal = \"minimize\"\n\n[selection]",
            )
            .replace("delta = 0.5 ", "# delta = 0.5 ");
    }
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(if two_objectives { "light-two.toml" } else { "light.toml" });
    std::fs::write(&path, text).unwrap();
    path
}
