//! Checking a sweep against its base scenario without building every design point: the
//! base scenario once, each parameter's key path once, and each distinct value once
//! (each listed value; a range's two ends), each alone in the base scenario. A value
//! the base scenario refuses is reported once, located at the value in the sweep file,
//! with the number of design points that hold it; a variant is checked whole and
//! located at its settings. Small sweeps then have every point checked too (settings
//! valid alone but not together); larger ones meet such a point when it runs.

use crate::input::{Diagnostic, Diagnostics, Document};
use crate::scenario::{with_overrides, KeyPath, OverrideError, Scenario};
use crate::sweep::{Design, Sweep, Values};
use std::ops::Range;

/// Sweeps with at most this many points have every point checked before any runs
/// (about 0.4 ms each): settings that are valid alone but not together are found
/// before the work starts, while a large sweep's check stays quick.
pub const CHECK_EVERY_POINT_UP_TO: usize = 2_000;

/// What a sweep's base scenario gives when the sweep's values are checked in it.
pub struct Base {
    /// The base scenario's bytes.
    pub bytes: Vec<u8>,
    /// Its TOML table, into which points' values are set.
    pub table: toml::Table,
    /// Expected candidates over all design points (one replication of each), estimated
    /// from the checked values: the base scenario's, scaled by each parameter's mean
    /// effect over its values (exact for a list of variants).
    pub expected_candidates: f64,
}

/// The sweep file as read, for locating errors in it.
pub struct SweepText<'a> {
    /// The sweep file as the user named it.
    pub file: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// Reads the base scenario of `sweep` and checks it, every key path and every distinct
/// value; errors are located in the sweep file (or, for the base scenario's own
/// errors, in the base scenario).
pub fn check_base(sweep: &Sweep, at: &SweepText<'_>) -> Result<Base, Diagnostics> {
    let doc = Document::parse(at.file, at.text)?;
    let shown = sweep.scenario.display().to_string();
    let bytes = match std::fs::read(&sweep.scenario) {
        Ok(bytes) => bytes,
        Err(e) => {
            let why = if sweep.scenario.is_dir() {
                "a folder, not a file".to_string()
            } else if e.kind() == std::io::ErrorKind::NotFound {
                "no such file".to_string()
            } else {
                e.to_string()
            };
            doc.error(
                sweep.scenario_span.clone(),
                "sweep.scenario",
                "a readable scenario file, relative to this file",
                &format!("{shown} ({why})"),
                None,
            );
            return Err(doc.into_errors().expect_err("an error was recorded"));
        }
    };
    let text = crate::input::decode(&shown, &bytes)?;
    let base = Scenario::from_toml(&shown, text)?;
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        Diagnostics(vec![Diagnostic {
            file: shown.clone(),
            line: 0,
            column: 0,
            path: String::new(),
            expected: "valid TOML".to_string(),
            found: format!("a syntax error: {}", e.message()),
            hint: None,
            snippet: None,
        }])
    })?;
    let base_candidates = base.expected_candidates();
    let total = sweep.count;
    let mut estimate_per_point = base_candidates;
    let mut variants_candidates = 0.0;
    // Key paths first: a path the base lacks makes every value's check meaningless.
    let mut paths_ok = true;
    for (i, p) in sweep.parameters.iter().enumerate() {
        let mut probe = table.clone();
        let sample = first_value(sweep, i).unwrap_or(toml::Value::Integer(0));
        if let Err(why) = crate::scenario::apply(&mut probe, &p.path, sample) {
            paths_ok = false;
            doc.error(
                p.path_span.clone(),
                &format!("{}.path", parameter_name(sweep, i)),
                &format!("the key path of a setting of the base scenario {shown}"),
                &format!("\"{}\" ({why})", p.path),
                None,
            );
        }
    }
    if !paths_ok {
        return Err(doc.into_errors().expect_err("an error was recorded"));
    }
    match &sweep.design {
        Design::Variants => {
            for (v, point) in sweep.points.iter().enumerate() {
                let overrides = sweep
                    .parameters
                    .iter()
                    .zip(&point.values)
                    .filter_map(|(p, value)| Some((&p.path, value.clone()?)));
                match one_scenario(&table, overrides) {
                    Ok(sc) => variants_candidates += sc.expected_candidates(),
                    Err(d) => {
                        let (set_span, settings) = &sweep.variant_spans[v];
                        for d in d.0 {
                            // At the setting the refusal names, else at the whole `set`.
                            let (span, path) = sweep
                                .parameters
                                .iter()
                                .zip(settings)
                                .find_map(|(p, s)| Some((s.clone()?, p.path.to_string())).filter(|(_, q)| *q == d.path))
                                .map_or((set_span.clone(), format!("variant[{v}].set")), |(s, q)| {
                                    (s, format!("variant[{v}].set.\"{q}\""))
                                });
                            doc.error(
                                span,
                                &path,
                                &format!("settings that the base scenario {shown} accepts"),
                                &format!("variant \"{}\", which it refuses: {}", point.label, refusal(&d)),
                                d.hint.clone(),
                            );
                        }
                    }
                }
            }
        }
        _ => {
            for (i, p) in sweep.parameters.iter().enumerate() {
                let mut sum = 0.0;
                let mut n = 0.0;
                let values = distinct_values(&p.values, &p.value_spans);
                let mut refused = Vec::new();
                for (value, span, end) in &values {
                    match one_scenario(&table, [(&p.path, value.clone())]) {
                        Ok(sc) => {
                            sum += sc.expected_candidates();
                            n += 1.0;
                        }
                        Err(d) => refused.push((value, span, *end, d)),
                    }
                }
                // Every value refused for one same reason (a misspelt last key): the
                // key path is at fault, once, for every point.
                let same = |a: &Diagnostics, b: &Diagnostics| {
                    a.0.len() == b.0.len()
                        && a.0.iter().zip(&b.0).all(|(x, y)| {
                            (&x.path, &x.expected, &x.found, &x.hint) == (&y.path, &y.expected, &y.found, &y.hint)
                        })
                };
                if refused.len() == values.len()
                    && refused.len() > 1
                    && refused.iter().all(|r| same(&r.3, &refused[0].3))
                {
                    for d in &refused[0].3 .0 {
                        doc.error(
                            p.path_span.clone(),
                            &format!("parameter[{i}].path"),
                            &format!("the key path of a setting of the base scenario {shown}"),
                            &format!(
                                "\"{}\", which it refuses whatever the value: {} — in all {total} design points",
                                p.path,
                                refusal(d)
                            ),
                            d.hint.clone(),
                        );
                    }
                    continue;
                }
                for (value, span, end, d) in refused {
                    let affected = affected(sweep, i, &table, value, end);
                    let where_ = match end {
                        Some(0) => ".min".to_string(),
                        Some(_) => ".max".to_string(),
                        None => String::new(),
                    };
                    for d in d.0 {
                        doc.error(
                            span.clone(),
                            &format!("{}{where_}", value_path(sweep, i, span)),
                            &format!("a value of {} that the base scenario {shown} accepts", p.path),
                            &format!(
                                "{value}, which it refuses: {} — in {affected} of {total} design points",
                                refusal(&d),
                            ),
                            d.hint.clone(),
                        );
                    }
                }
                if n > 0.0 && base_candidates > 0.0 {
                    estimate_per_point *= sum / n / base_candidates;
                }
            }
        }
    }
    doc.into_errors()?;
    let expected_candidates = match sweep.design {
        Design::Variants => variants_candidates,
        _ => estimate_per_point * total as f64,
    };
    Ok(Base {
        bytes,
        table,
        expected_candidates,
    })
}

/// Checks every generated point of `sweep` whole (call only for small sweeps, after
/// [`check_base`] passed): a refusal that only settings together cause is reported once,
/// at the `[[parameter]]` whose key path it names (else the first), with the first point
/// that holds it and how many do.
pub fn check_every_point(sweep: &Sweep, base: &toml::Table, at: &SweepText<'_>) -> Result<(), Diagnostics> {
    let doc = Document::parse(at.file, at.text)?;
    let shown = sweep.scenario.display().to_string();
    // (the refusal, the first point that has it, how many have it), in order of first sight.
    let mut found: Vec<(Diagnostic, usize, usize)> = Vec::new();
    for p in 0..sweep.points.len() {
        if let Err(d) = one_scenario(base, point_overrides(sweep, p)) {
            for d in d.0 {
                let same = |(e, _, _): &&mut (Diagnostic, usize, usize)| {
                    e.path == d.path && e.expected == d.expected && e.found == d.found
                };
                match found.iter_mut().find(|e| same(e)) {
                    Some(e) => e.2 += 1,
                    None => found.push((d, p, 1)),
                }
            }
        }
    }
    for (d, p, n) in found {
        let i = sweep
            .parameters
            .iter()
            .position(|q| q.path.to_string() == d.path)
            .unwrap_or(0);
        doc.error(
            sweep.parameters[i].path_span.clone(),
            &format!("{}.path", parameter_name(sweep, i)),
            &format!("settings that the base scenario {shown} accepts together"),
            &format!(
                "design point {p} ({}), which it refuses: {} — in {n} of {} design points",
                describe_point(sweep, p),
                refusal(&d),
                sweep.count
            ),
            d.hint.clone(),
        );
    }
    doc.into_errors()
}

/// A refused design point found only when it runs (a sweep too large to check every
/// point first), in words: the sweep file, the point and its settings, and why.
pub fn point_refused(sweep_file: &str, sweep: &Sweep, p: usize, error: &OverrideError) -> String {
    let why = match error {
        OverrideError::Invalid(d) => d.0.iter().map(refusal).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    };
    format!(
        "{sweep_file}: design point {p} ({}): the base scenario {} refuses these settings together: {why}",
        describe_point(sweep, p),
        sweep.scenario.display()
    )
}

/// The settings design point `p` changes, as `path = value` pairs.
fn point_overrides(sweep: &Sweep, p: usize) -> impl Iterator<Item = (&KeyPath, toml::Value)> {
    sweep
        .parameters
        .iter()
        .zip(&sweep.points[p].values)
        .filter_map(|(parameter, value)| Some((&parameter.path, value.clone()?)))
}

fn describe_point(sweep: &Sweep, p: usize) -> String {
    let settings: Vec<String> = point_overrides(sweep, p).map(|(k, v)| format!("{k} = {v}")).collect();
    format!("\"{}\": {}", sweep.points[p].label, settings.join(", "))
}

/// The base scenario's refusal of a value, without its location in generated text.
fn refusal(d: &Diagnostic) -> String {
    let path = if d.path.is_empty() {
        String::new()
    } else {
        format!("{}: ", d.path)
    };
    format!("{path}expected {}, found {}", d.expected, d.found)
}

/// The base scenario `base` with `overrides` set, validated; a setting it lacks is a
/// refusal at that key path.
fn one_scenario<'p>(
    base: &toml::Table,
    overrides: impl IntoIterator<Item = (&'p KeyPath, toml::Value)>,
) -> Result<Scenario, Diagnostics> {
    with_overrides(base, overrides, "sweep point").map_err(|e| match e {
        OverrideError::Invalid(d) => d,
        OverrideError::Path { path, value, why } => Diagnostics(vec![Diagnostic {
            file: String::new(),
            line: 0,
            column: 0,
            path,
            expected: "a setting of the base scenario".to_string(),
            found: format!("{value} ({why})"),
            hint: None,
            snippet: None,
        }]),
        OverrideError::Unwritable(why) => Diagnostics(vec![Diagnostic {
            file: String::new(),
            line: 0,
            column: 0,
            path: String::new(),
            expected: "a scenario that can be written as TOML".to_string(),
            found: why,
            hint: None,
            snippet: None,
        }]),
    })
}

/// `parameter[i]` as the sweep file's key path.
fn parameter_name(sweep: &Sweep, i: usize) -> String {
    match sweep.design {
        Design::Variants => format!("variant (setting {})", sweep.parameters[i].path),
        _ => format!("parameter[{i}]"),
    }
}

/// The key path of the value at `span` of parameter `i` (`parameter[0].values[1]`, or
/// `parameter[0]` for a range end, completed by the caller).
fn value_path(sweep: &Sweep, i: usize, span: &Range<usize>) -> String {
    let p = &sweep.parameters[i];
    match (&p.values, p.value_spans.iter().position(|s| s == span)) {
        (Values::List(_), Some(k)) => format!("parameter[{i}].values[{k}]"),
        _ => format!("parameter[{i}]"),
    }
}

/// The first value parameter `i` takes (to probe its key path).
fn first_value(sweep: &Sweep, i: usize) -> Option<toml::Value> {
    match &sweep.parameters[i].values {
        Values::List(items) => items.first().cloned(),
        range @ Values::Range { min, .. } => range.setting(*min),
    }
    .or_else(|| sweep.points.iter().find_map(|p| p.values[i].clone()))
}

/// Each distinct value of a parameter with its span: each listed value once (at its
/// first listing), or a range's two ends (`Some(0)` the low, `Some(1)` the high end).
fn distinct_values(values: &Values, spans: &[Range<usize>]) -> Vec<(toml::Value, Range<usize>, Option<usize>)> {
    match values {
        Values::List(items) => {
            let mut out: Vec<(toml::Value, Range<usize>, Option<usize>)> = Vec::new();
            for (k, v) in items.iter().enumerate() {
                if !out.iter().any(|(seen, _, _)| seen == v) {
                    out.push((v.clone(), spans.get(k).cloned().unwrap_or(0..0), None));
                }
            }
            out
        }
        range @ Values::Range { min, max, .. } => [*min, *max]
            .iter()
            .enumerate()
            .filter_map(|(end, &x)| Some((range.setting(x)?, spans.get(end).cloned().unwrap_or(0..0), Some(end))))
            .collect(),
    }
}

/// How many design points of `sweep` hold a refused `value` of parameter `i`: for a
/// listed value, the points that list it (counted without generating them); for a range
/// end, the points beyond the edge of what the base scenario accepts, found by
/// bisection between the refused end and an accepted value of the range.
fn affected(sweep: &Sweep, i: usize, base: &toml::Table, value: &toml::Value, end: Option<usize>) -> usize {
    let p = &sweep.parameters[i];
    match (&p.values, end) {
        (Values::List(items), _) => {
            let times = items.iter().filter(|v| *v == value).count();
            match sweep.design {
                // Every value of a grid parameter appears in count / len points.
                Design::Grid => sweep.count / items.len().max(1) * times,
                _ => times,
            }
        }
        (range @ Values::Range { min, max, .. }, Some(end)) => {
            let accepted = |x: f64| {
                range
                    .setting(x)
                    .is_some_and(|v| one_scenario(base, [(&p.path, v)]).is_ok())
            };
            let refused_end = if end == 0 { *min } else { *max };
            let Some(mut good) = [if end == 0 { *max } else { *min }, (min + max) / 2.0]
                .into_iter()
                .find(|&x| accepted(x))
            else {
                return sweep.count;
            };
            let mut bad = refused_end;
            for _ in 0..48 {
                let mid = (good + bad) / 2.0;
                if accepted(mid) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            // Values at or beyond `bad` are refused; the points are generated to count them.
            let mut generated = sweep.clone();
            generated.generate();
            generated
                .points
                .iter()
                .filter_map(|pt| number(pt.values[i].as_ref()?))
                .filter(|&x| if end == 0 { x <= bad } else { x >= bad })
                .count()
        }
        (Values::Range { .. }, None) => 0,
    }
}

/// The number in a setting: a number, or the number before a unit ("18.5 months").
fn number(value: &toml::Value) -> Option<f64> {
    match value {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(x) => Some(*x),
        toml::Value::String(s) => s.split_whitespace().next()?.parse().ok(),
        _ => None,
    }
}
