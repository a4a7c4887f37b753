//! `feidi optimize`: the recommended Dazu setting against the shipped scenario, results
//! independent of the thread count and of a stop and resume, and the terminal summary.
//! The search and the selection are tested on problems with known optima in
//! `src/optimize/` (`cargo test --lib optimize`).

mod common;

use common::{assert_same_files, feidi, json, ok, temp_path};
use std::path::{Path, PathBuf};

/// The shipped optimization `scenarios/optimize/{file}` pointed at its shipped base
/// scenario and changed by `edits` (each `from` must occur), written to `name`.toml.
fn optimization(file: &str, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let base = std::fs::canonicalize("scenarios/dazu-chengdu.toml").unwrap();
    let mut text = std::fs::read_to_string(format!("scenarios/optimize/{file}"))
        .unwrap()
        .replace("../dazu-chengdu.toml", &base.display().to_string());
    for (from, to) in edits {
        assert!(text.contains(from), "{file} has no `{from}`");
        text = text.replace(from, to);
    }
    let path = temp_path(&format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

/// A light version of a shipped optimization, for debug-build tests.
const LIGHT: [(&str, &str); 4] = [
    ("replications = 64 ", "replications = 24 "),
    ("population = 12 ", "population = 6 "),
    ("generations = 12 ", "generations = 4 "),
    ("compare_replications = 256", "compare_replications = 128"),
];

fn difference<'v>(file: &'v serde_json::Value, metric: &str) -> &'v serde_json::Value {
    file["against_base"]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["metric"] == metric)
        .unwrap_or_else(|| panic!("no paired difference of {metric}"))
}

/// On Dazu, the setting recommended for the cheapest real landing (at least as many
/// landings as now, at most 150 million yuan) beats the shipped scenario on outlay per
/// real landing, with a paired 95 % interval (common random numbers, 128 replications)
/// that excludes zero, and meets both constraints in its own interval.
#[test]
fn the_recommended_dazu_setting_costs_less_per_real_landing_than_the_shipped_one() {
    let file = optimization("dazu-per-yuan.toml", "per-yuan", &LIGHT);
    let out = temp_path("per-yuan-out");
    let text = ok(&feidi(&[
        "optimize",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(
        text.contains("Recommended setting") && text.contains("Guarantee"),
        "{text}"
    );
    let result = json(&out.join("optimize.json"));
    let per_landing = difference(&result, "cost_per_real_landing_yuan");
    assert!(
        per_landing["ci_high"].as_f64().unwrap() < 0.0,
        "outlay per real landing, recommended − shipped: {per_landing}"
    );
    for check in result["recommended"]["constraints"].as_array().unwrap() {
        assert_eq!(check["status"], "met", "{check}");
    }
    assert_eq!(result["evaluations"].as_array().unwrap().len(), 24);
    assert!(result["selection"]["guaranteed"].as_bool().unwrap());
}

/// A small optimization over the minimal scenario with a range, a whole-number and a
/// choice lever.
fn small(dir: &Path, generations: usize) -> PathBuf {
    let base = std::fs::canonicalize("tests/valid/minimal.toml").unwrap();
    let text = format!(
        r#"[optimize]
name = "small"
scenario = "{}"
replications = 16
population = 4
generations = {generations}

[[lever]]
path = "enclave[0].seats"
min = 5
max = 40
integer = true

[[lever]]
path = "stage[0].success"
min = 0.4
max = 0.8

[[lever]]
path = "enclave[0].when_full"
choices = ["queue", "turn_away"]

[[objective]]
metric = "landed_home"
goal = "maximize"

[[constraint]]
metric = "admitted"
at_most = 60

[selection]
delta = 1.0
finalists = 3
compare_replications = 64
"#,
        base.display().to_string().replace('\\', "/")
    );
    let path = dir.join("small.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The same file and seed give the same bytes on one thread or two, and after a stop
/// (the last generation's checkpoint and the results removed, as a kill leaves them)
/// and `--resume`.
#[test]
fn an_optimization_gives_the_same_bytes_on_any_thread_count_and_after_a_resume() {
    let dir = temp_path("small");
    std::fs::create_dir_all(&dir).unwrap();
    let file = small(&dir, 3);
    let run = |out: &Path, threads: &str, extra: &[&str]| {
        let mut args = vec![
            "optimize",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--threads",
            threads,
        ];
        args.extend_from_slice(extra);
        ok(&feidi(&args))
    };
    let (one, two) = (dir.join("one"), dir.join("two"));
    run(&one, "1", &[]);
    run(&two, "2", &[]);
    let files = [
        "optimize.json",
        "evaluations.csv",
        "generations/0000.json",
        "generations/0002.json",
    ];
    assert_same_files(&one, &two, &files);
    // As a kill during the third generation leaves it: two checkpoints, no results.
    for name in [
        "generations/0002.json",
        "optimize.json",
        "evaluations.csv",
        "manifest.json",
    ] {
        std::fs::remove_file(two.join(name)).unwrap();
    }
    let refused = feidi(&["optimize", file.to_str().unwrap(), "--out", two.to_str().unwrap()]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "a directory with generations is not overwritten"
    );
    let resumed = run(&two, "2", &["--resume"]);
    assert!(resumed.contains("4 settings evaluated in this run"), "{resumed}");
    assert_same_files(&one, &two, &files);
    // A changed file is not resumed from another's generations.
    std::fs::write(
        &file,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("at_most = 60", "at_most = 61"),
    )
    .unwrap();
    let changed = feidi(&[
        "optimize",
        file.to_str().unwrap(),
        "--out",
        two.to_str().unwrap(),
        "--resume",
    ]);
    assert_eq!(changed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&changed.stderr).contains("another version"));
}

/// The Chinese terminal summary names the levers and metrics in words, with money in
/// 万元 or 亿元 and no key path or e-notation.
#[test]
fn the_chinese_summary_uses_the_planners_words() {
    let file = optimization("dazu-budget.toml", "budget-zh", &LIGHT);
    let out = temp_path("budget-zh-out");
    let text = ok(&feidi(&[
        "optimize",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "zh",
    ]));
    for words in ["推荐方案", "落地补贴", "工位", "统计保证", "万元"] {
        assert!(text.contains(words), "no {words} in:\n{text}");
    }
    assert!(
        !text.contains("enclave[0]") && !text.contains("city[1]"),
        "a key path in:\n{text}"
    );
    assert!(
        !text
            .chars()
            .zip(text.chars().skip(1))
            .any(|(a, b)| a.is_ascii_digit() && b == 'e'),
        "e-notation in:\n{text}"
    );
}

/// The search starts from the scenario's own setting and estimates it as `feidi run`
/// does on the same seed and replications: plainly, or by control variates with
/// `variance_reduction = "control"` (the two differ, so the key acts).
#[test]
fn the_search_estimates_a_setting_as_a_run_does_with_or_without_control_variates() {
    let dir = temp_path("start");
    std::fs::create_dir_all(&dir).unwrap();
    let file = small(&dir, 1);
    let mut means = Vec::new();
    for method in ["off", "control"] {
        let text = std::fs::read_to_string(&file).unwrap().replace(
            "generations = 1\n",
            &format!("generations = 1\nvariance_reduction = \"{method}\"\n"),
        );
        let opt = dir.join(format!("{method}.toml"));
        std::fs::write(&opt, text).unwrap();
        let out = dir.join(format!("{method}-out"));
        ok(&feidi(&[
            "optimize",
            opt.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]));
        let result = json(&out.join("optimize.json"));
        let first = &result["evaluations"][0];
        assert_eq!(first["levers"], serde_json::json!(["20", "0.6", "queue"]));
        let run = dir.join(format!("{method}-run"));
        ok(&feidi(&[
            "run",
            "tests/valid/minimal.toml",
            "-n",
            "16",
            "--seed",
            "1",
            "--variance-reduction",
            method,
            "--out",
            run.to_str().unwrap(),
        ]));
        let summary = json(&run.join("summary.json"));
        let estimate = first["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == "landed_home")
            .unwrap();
        for stat in ["mean", "ci_low", "ci_high"] {
            assert_eq!(
                estimate[stat], summary["metrics"]["landed_home"][stat],
                "{method} {stat}"
            );
        }
        means.push(estimate["ci_low"].as_f64().unwrap());
    }
    assert_ne!(means[0], means[1], "control variates changed nothing");
}
