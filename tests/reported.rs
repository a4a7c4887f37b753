//! The shipped scenarios against what the articles report. Each figure of
//! `scenarios/reported/figures.toml` that names a scenario and a metric says whether it is
//! checked:
//!
//! * `checked = true`: the reported value must lie inside the scenario's 90 % predictive
//!   interval for that metric (the 5th to the 95th percentile of the replications, nearest
//!   rank, as `summary.json` gives them), run at the figure's horizon (`at`, else the
//!   scenario's own);
//! * `checked = false` with `out_of_reach = "why"`: no plausible value of the scenario's
//!   settings reproduces it (scenarios/README.md says why). The test asserts that it lies
//!   outside the interval, so that the reason stays true: a figure that comes within reach
//!   fails here until it is marked checked.
//!
//! Replications: 200 per scenario, seed 1. With 200 the 5th and 95th percentiles are the
//! 10th smallest and 10th largest replication; the interval's ends then move by about one
//! project (counts) or a few per cent (money) between seeds, small against the distance of
//! every checked figure from the nearer end (the test prints each interval). More would
//! only slow the debug build of `cargo test`, which runs the model unoptimized.

mod common;

use feidi::model::metrics::totals_for;
use std::collections::BTreeMap;

/// The predictive level every checked figure is held to.
const LEVEL: f64 = 0.90;
/// Replications per scenario run.
const REPLICATIONS: u64 = 200;
/// Seed of every run.
const SEED: u64 = 1;

/// One figure with a metric, as figures.toml gives it.
struct Figure {
    id: String,
    value: f64,
    scenario: String,
    metric: String,
    at: Option<String>,
    checked: bool,
}

fn figures() -> Vec<Figure> {
    let text = std::fs::read_to_string("scenarios/reported/figures.toml").expect("scenarios/reported/figures.toml");
    let table: toml::Table = text.parse().expect("figures.toml is TOML");
    let mut out = Vec::new();
    for f in table["figure"].as_array().expect("[[figure]] entries") {
        let id = f["id"].as_str().expect("an id").to_string();
        let Some(metric) = f.get("metric").and_then(|m| m.as_str()) else {
            continue;
        };
        let checked = f
            .get("checked")
            .and_then(|c| c.as_bool())
            .unwrap_or_else(|| panic!("figure {id}: a figure with a metric says `checked = true` or `false`"));
        let out_of_reach = f.get("out_of_reach").and_then(|r| r.as_str());
        match (checked, out_of_reach) {
            (true, None) => {}
            (false, Some(why)) if why.trim().len() >= 10 => {}
            (true, Some(_)) => panic!("figure {id}: a checked figure has no `out_of_reach`"),
            (false, _) => panic!("figure {id}: `checked = false` needs `out_of_reach` with the reason"),
        }
        let value = f["value"]
            .as_float()
            .or(f["value"].as_integer().map(|i| i as f64))
            .expect("a number");
        out.push(Figure {
            id,
            value,
            scenario: f["scenario"].as_str().expect("a scenario").to_string(),
            metric: metric.to_string(),
            at: f.get("at").and_then(|a| a.as_str()).map(str::to_string),
            checked,
        });
    }
    out
}

/// The scenario file's text with its horizon set to `at`.
fn at_horizon(text: &str, at: &str) -> String {
    let mut replaced = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !replaced && line.starts_with("horizon = \"") {
                replaced = true;
                let rest = &line["horizon = \"".len()..];
                let end = rest.find('"').expect("a closed horizon string");
                format!("horizon = \"{at}\"{}", &rest[end + 1..])
            } else {
                line.to_string()
            }
        })
        .collect();
    assert!(replaced, "no `horizon = \"…\"` line to set to {at}");
    lines.join("\n")
}

/// The nearest-rank `p` quantile of sorted values (as `summary.json`'s percentiles).
fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    sorted[rank - 1]
}

/// The `LEVEL` predictive interval of each metric of `scenario` at `at`, by metric name.
fn intervals(scenario: &str, at: Option<&str>, metrics: &[&str]) -> BTreeMap<String, (f64, f64)> {
    let path = format!("scenarios/{scenario}.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text = match at {
        Some(at) => at_horizon(&text, at),
        None => text,
    };
    let sc = common::scenario(&text);
    let names: Vec<String> = totals_for(&sc).into_iter().map(|m| m.name).collect();
    let outcomes = common::outcomes(&sc, REPLICATIONS, SEED);
    let tail = (1.0 - LEVEL) / 2.0;
    metrics
        .iter()
        .map(|&metric| {
            let k = names
                .iter()
                .position(|n| n == metric)
                .unwrap_or_else(|| panic!("{scenario} has no metric {metric}"));
            let mut values: Vec<f64> = outcomes.iter().map(|o| o.totals[k]).collect();
            values.sort_by(f64::total_cmp);
            (
                metric.to_string(),
                (nearest_rank(&values, tail), nearest_rank(&values, 1.0 - tail)),
            )
        })
        .collect()
}

#[test]
fn each_checked_reported_figure_lies_inside_its_scenarios_90_percent_predictive_interval() {
    let figures = figures();
    assert!(
        figures.iter().filter(|f| f.checked).count() >= 3,
        "the figures the shipped scenarios reproduce are checked"
    );
    // One run per scenario and horizon.
    let mut runs: BTreeMap<(String, Option<String>), Vec<&str>> = BTreeMap::new();
    for f in &figures {
        runs.entry((f.scenario.clone(), f.at.clone()))
            .or_default()
            .push(&f.metric);
    }
    let mut problems = Vec::new();
    for ((scenario, at), metrics) in &runs {
        let found = intervals(scenario, at.as_deref(), metrics);
        for f in figures.iter().filter(|f| &f.scenario == scenario && &f.at == at) {
            let (low, high) = found[&f.metric];
            let inside = low <= f.value && f.value <= high;
            println!(
                "{}: reported {} against {} {} at {}: {:.0} % interval {low}–{high} ({})",
                f.id,
                f.value,
                scenario,
                f.metric,
                at.as_deref().unwrap_or("its horizon"),
                100.0 * LEVEL,
                if inside { "inside" } else { "outside" }
            );
            match (f.checked, inside) {
                (true, false) => problems.push(format!(
                    "{}: reported {} lies outside the {:.0} % predictive interval {low}–{high} of {scenario} {} ({REPLICATIONS} replications, seed {SEED})",
                    f.id, f.value, 100.0 * LEVEL, f.metric
                )),
                (false, true) => problems.push(format!(
                    "{}: marked out of reach, but reported {} lies inside the {:.0} % interval {low}–{high} of {scenario} {}: mark it `checked = true`",
                    f.id, f.value, 100.0 * LEVEL, f.metric
                )),
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_interval_is_the_nearest_rank_5th_to_95th_percentile() {
    let values: Vec<f64> = (1..=200).map(f64::from).collect();
    assert_eq!(nearest_rank(&values, 0.05), 10.0);
    assert_eq!(nearest_rank(&values, 0.95), 190.0);
    assert_eq!(
        at_horizon(
            "[scenario]\nhorizon = \"10 years\"   # why\nbin = \"1 month\"",
            "7 years"
        ),
        "[scenario]\nhorizon = \"7 years\"   # why\nbin = \"1 month\""
    );
}
