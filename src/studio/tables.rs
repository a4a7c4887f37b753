//! The summary and comparison tables the page shows, made from the result files by the
//! same rules as the report (src/report): the glossary's metric names, money in
//! million yuan or 万元 (亿元 for large sums), shares in percent, figures by
//! [`crate::results::format::number`]. Mechanisms a scenario does not use (zero
//! everywhere) are left out, as the report leaves them out.

use crate::plot::names::Names;
use crate::plot::{Lang, Loaded};
use crate::results::format;
use serde_json::{json, Value};

fn number(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), format::number)
}

/// A run's summary rows in `lang`: metric id, name, mean, interval, unit, description,
/// and the mean as written in summary.json (for checks against `feidi run`).
pub fn summary(loaded: &Loaded, lang: Lang) -> Value {
    let Some(run) = &loaded.run else {
        return json!([]);
    };
    let names = &loaded.names;
    let mut rows = Vec::new();
    for (name, m) in &run.summary.metrics.0 {
        let all_zero = [m.mean, m.p5, m.p95].iter().all(|v| v.is_none_or(|x| x == 0.0));
        if all_zero && name != "landing_rate" {
            continue;
        }
        let largest = m.mean.map_or(0.0, f64::abs);
        let (scale, unit) = format::money_column(&m.unit, lang, largest);
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        rows.push(json!({
            "metric": name,
            "name": names.metric(lang, name),
            "mean": s(m.mean),
            "ci": format!("{} – {}", s(m.ci_low), s(m.ci_high)),
            "unit": unit,
            "description": names.description(lang, name, &m.description),
            "raw_mean": m.mean,
        }));
    }
    Value::Array(rows)
}

/// A comparison's tables in `lang`: each alternative's own results and every pair's
/// paired differences with their intervals, for the report's key metrics.
pub fn comparison(loaded: &Loaded, lang: Lang) -> Value {
    let Some(compare) = &loaded.compare else {
        return json!({});
    };
    let names: &Names = &loaded.names;
    let key =
        |m: &crate::results::compare::CompareMetric| crate::plot::charts::KEY_METRICS.contains(&m.metric.as_str());
    let heading = |metric: &str, unit: &str, largest: f64| {
        let (scale, words) = format::money_column(unit, lang, largest);
        let name = names.metric(lang, metric);
        if words.is_empty() {
            (name, scale)
        } else {
            (format!("{name} ({words})"), scale)
        }
    };
    let alternatives: Vec<String> = compare
        .alternatives
        .iter()
        .map(|a| names.alternative(lang, &a.name))
        .collect();
    let mut own = Vec::new();
    let mut differences = Vec::new();
    for m in compare.metrics.iter().filter(|m| key(m)) {
        let largest = m
            .alternatives
            .iter()
            .fold(0.0, |a: f64, x| a.max(x.mean.map_or(0.0, f64::abs)));
        let (name, scale) = heading(&m.metric, &m.unit, largest);
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        let cells: Vec<String> = compare
            .alternatives
            .iter()
            .map(|a| {
                m.alternatives.iter().find(|x| x.name == a.name).map_or_else(
                    || "—".to_string(),
                    |x| format!("{} ({} – {})", s(x.mean), s(x.ci_low), s(x.ci_high)),
                )
            })
            .collect();
        own.push(json!({"metric": m.metric, "name": name, "cells": cells}));
        let largest = m
            .differences
            .iter()
            .fold(0.0, |a: f64, d| a.max(d.mean.map_or(0.0, f64::abs)));
        let (name, scale) = heading(&m.metric, &m.unit, largest);
        let s = |v: Option<f64>| number(v.map(|x| x / scale));
        for d in &m.differences {
            differences.push(json!({
                "metric": m.metric,
                "name": name,
                "pair": names.pair(lang, &d.a, &d.b),
                "difference": s(d.mean),
                "ci": format!("{} – {}", s(d.ci_low), s(d.ci_high)),
                "raw_difference": d.mean,
                "raw_ci": [d.ci_low, d.ci_high],
            }));
        }
    }
    json!({
        "alternatives": alternatives,
        "ranking": compare.ranking.iter().map(|n| names.alternative(lang, n)).collect::<Vec<_>>(),
        "rank_by": names.metric(lang, &compare.rank_by),
        "own": own,
        "differences": differences,
    })
}
