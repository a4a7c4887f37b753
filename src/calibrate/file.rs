//! Calibration files: reading and validating them with the located scenario reader, and
//! checking their key paths and prior ranges against the base scenario.

use crate::input::{Diagnostic, Diagnostics};
use crate::input::{Document, Read, Table, Value};
use crate::model::metrics;
use crate::scenario::Scenario;
use crate::scenario::{apply, with_overrides, KeyPath, OverrideError};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Most particles per generation.
pub const MAX_PARTICLES: u64 = 100_000;
/// Most generations.
pub const MAX_GENERATIONS: u64 = 50;
/// Most replications per particle.
pub const MAX_REPLICATIONS: u64 = 10_000;
/// Most parameters.
pub const MAX_PARAMETERS: usize = 64;

/// How a target's statistic is taken over a particle's replications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Statistic {
    /// The mean over the replications.
    Mean,
    /// The median over the replications.
    Median,
}

impl Statistic {
    /// The statistic's name in files.
    pub fn name(self) -> &'static str {
        match self {
            Statistic::Mean => "mean",
            Statistic::Median => "median",
        }
    }

    /// The statistic of `values` (not empty).
    pub fn of(self, values: &mut [f64]) -> f64 {
        match self {
            Statistic::Mean => values.iter().sum::<f64>() / values.len().max(1) as f64,
            Statistic::Median => {
                values.sort_by(f64::total_cmp);
                let n = values.len();
                if n == 0 {
                    f64::NAN
                } else if n % 2 == 1 {
                    values[n / 2]
                } else {
                    (values[n / 2 - 1] + values[n / 2]) / 2.0
                }
            }
        }
    }
}

/// A reported figure the model should reproduce.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// A total of `feidi run` (see [`crate::model::metrics`]).
    pub metric: String,
    /// The reported value.
    pub value: f64,
    /// How far a simulated statistic may be from `value` and still match (above 0).
    pub tolerance: f64,
    /// How the metric is summarized over a particle's replications.
    pub statistic: Statistic,
    metric_span: Range<usize>,
}

/// A setting of the base scenario with a uniform prior range.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Where the value goes in the scenario file.
    pub path: KeyPath,
    /// Lower end of the prior.
    pub min: f64,
    /// Upper end of the prior.
    pub max: f64,
    /// Whole numbers only.
    pub integer: bool,
    /// Unit written after the number ("months" gives "18.5 months"), if any.
    pub unit: Option<String>,
    path_span: Range<usize>,
    min_span: Range<usize>,
    max_span: Range<usize>,
}

impl Parameter {
    /// The TOML value that sets the parameter to `x`.
    pub fn setting(&self, x: f64) -> toml::Value {
        match &self.unit {
            Some(u) => toml::Value::String(format!("{x} {u}")),
            None if self.integer => toml::Value::Integer(x as i64),
            None => toml::Value::Float(x),
        }
    }
}

/// A validated calibration file.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    /// Short name.
    pub name: String,
    /// The base scenario file, resolved against the calibration file's folder.
    pub scenario: PathBuf,
    /// Accepted particles per generation.
    pub particles: usize,
    /// Generations (the first is plain rejection).
    pub generations: usize,
    /// Replications per particle.
    pub replications: u64,
    /// Master seed.
    pub seed: u64,
    /// Quantile of the previous generation's distances that sets the next tolerance.
    pub quantile: f64,
    /// Most simulations in one generation before the run stops.
    pub max_simulations: usize,
    /// The horizon every simulation runs to instead of the base scenario's (a duration
    /// such as "7 years"), for figures reported part-way through the base's horizon.
    pub horizon: Option<String>,
    horizon_span: Range<usize>,
    /// The reported figures.
    pub targets: Vec<Target>,
    /// The settings with prior ranges.
    pub parameters: Vec<Parameter>,
}

/// A calibration file with its base scenario, checked against each other.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The calibration.
    pub calibration: Calibration,
    /// The calibration file's bytes.
    pub bytes: Vec<u8>,
    /// The base scenario, validated.
    pub scenario: Scenario,
    /// The base scenario's TOML.
    pub base: toml::Table,
    /// The base scenario file's bytes.
    pub base_bytes: Vec<u8>,
    /// Index in [`metrics::totals_for`] of each target's metric.
    pub metrics: Vec<usize>,
}

impl Calibration {
    /// Reads a calibration file and its base scenario and checks them together.
    pub fn load(path: &Path) -> Result<Loaded, Diagnostics> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| crate::input::unreadable(&shown, "calibration file", e))?;
        let text = crate::input::decode(&shown, &bytes)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let calibration = Calibration::from_toml(&shown, text, folder)?;
        let base_shown = calibration.scenario.display().to_string();
        let base_bytes = std::fs::read(&calibration.scenario)
            .map_err(|e| crate::input::unreadable(&base_shown, "scenario file", e))?;
        let base_text = crate::input::decode(&base_shown, &base_bytes)?;
        let (scenario, base, metrics) = calibration.against(&shown, text, &base_shown, base_text)?;
        Ok(Loaded {
            calibration,
            bytes: bytes.clone(),
            scenario,
            base,
            base_bytes: base_bytes.clone(),
            metrics,
        })
    }

    /// Parses calibration text; `folder` resolves the base scenario's relative path.
    pub fn from_toml(file: &str, text: &str, folder: &Path) -> Result<Calibration, Diagnostics> {
        Document::read_whole(file, text, "calibration", |root| read_calibration(root, folder))
    }

    /// Checks this calibration (read from `text`, named `file`) against the base scenario
    /// text: the scenario must validate, every key path must name one of its settings,
    /// both ends of every prior must give a valid scenario, and every target must be a
    /// total of it. Errors are located in the calibration file. Gives the validated base
    /// scenario, its TOML table and the index of each target's metric.
    pub fn against(
        &self,
        file: &str,
        text: &str,
        base_name: &str,
        base_text: &str,
    ) -> Result<(Scenario, toml::Table, Vec<usize>), Diagnostics> {
        let scenario = Scenario::from_toml(base_name, base_text)?;
        let base = crate::input::toml_table(base_name, base_text)?;
        let doc = Document::parse(file, text)?;
        let (scenario, base) = match &self.horizon {
            None => (scenario, base),
            Some(horizon) => {
                let mut base = base;
                if let Some(toml::Value::Table(header)) = base.get_mut("scenario") {
                    header.insert("horizon".to_string(), toml::Value::String(horizon.clone()));
                }
                match with_overrides(&base, [], base_name) {
                    Ok(at_horizon) => (at_horizon, base),
                    Err(e) => {
                        let why = match e {
                            OverrideError::Invalid(d) => d.0.first().map_or_else(String::new, |d| {
                                format!("{}: expected {}, found {}", d.path, d.expected, d.found)
                            }),
                            other => other.to_string(),
                        };
                        doc.error(
                            self.horizon_span.clone(),
                            "calibration.horizon",
                            &format!("a horizon the base scenario {base_name} accepts"),
                            &format!("\"{horizon}\", which it refuses: {why}"),
                            None,
                        );
                        return Err(doc.into_errors().expect_err("an error was just recorded"));
                    }
                }
            }
        };
        let names: Vec<String> = metrics::totals_for(&scenario).into_iter().map(|m| m.name).collect();
        let mut indices = Vec::new();
        for (i, t) in self.targets.iter().enumerate() {
            match names.iter().position(|n| *n == t.metric) {
                Some(k) => indices.push(k),
                None => {
                    let hint = crate::input::nearest(&t.metric, names.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"));
                    doc.error(
                        t.metric_span.clone(),
                        &format!("target[{i}].metric"),
                        &format!("a total of the base scenario {base_name}"),
                        &format!("`{}`", t.metric),
                        hint,
                    );
                }
            }
        }
        for (i, p) in self.parameters.iter().enumerate() {
            let mut doc_at = base.clone();
            if let Err(why) = apply(&mut doc_at, &p.path, p.setting(p.min)) {
                doc.error(
                    p.path_span.clone(),
                    &format!("parameter[{i}].path"),
                    &format!("the key path of a setting of the base scenario {base_name}"),
                    &format!("\"{}\" ({why})", p.path),
                    None,
                );
                continue;
            }
            for (end, x, span) in [("min", p.min, &p.min_span), ("max", p.max, &p.max_span)] {
                if let Err(d) = self.scenario_at_one(&base, i, x) {
                    let first = d.0.first().map_or_else(String::new, |d| {
                        format!(
                            "{}{}, found {}",
                            if d.path.is_empty() {
                                String::new()
                            } else {
                                format!("{}: ", d.path)
                            },
                            d.expected,
                            d.found
                        )
                    });
                    doc.error(
                        span.clone(),
                        &format!("parameter[{i}].{end}"),
                        &format!(
                            "an end of the prior range that gives a valid scenario ({} = {})",
                            p.path,
                            p.setting(x)
                        ),
                        &format!("a scenario the validator refuses: expected {first}"),
                        None,
                    );
                    break;
                }
            }
        }
        doc.into_errors()?;
        Ok((scenario, base, indices))
    }

    fn scenario_at_one(&self, base: &toml::Table, i: usize, x: f64) -> Result<Scenario, Diagnostics> {
        let p = &self.parameters[i];
        with_overrides(base, [(&p.path, p.setting(x))], "prior").map_err(|e| match e {
            OverrideError::Invalid(d) => d,
            other => Diagnostics(vec![Diagnostic {
                file: String::new(),
                line: 0,
                column: 0,
                path: p.path.to_string(),
                expected: "a setting of the base scenario".to_string(),
                found: other.to_string(),
                hint: None,
                snippet: None,
            }]),
        })
    }

    /// The base scenario with every parameter set to `values` (used values, in parameter
    /// order), validated; `name` names it in errors.
    pub fn scenario_at(&self, base: &toml::Table, values: &[f64], name: &str) -> Result<Scenario, String> {
        let overrides = self
            .parameters
            .iter()
            .zip(values)
            .map(|(p, &x)| (&p.path, p.setting(x)));
        with_overrides(base, overrides, name).map_err(|e| match e {
            OverrideError::Invalid(d) => d.to_string(),
            other => format!("{name}: {other}"),
        })
    }
}

fn read_calibration(root: &Table<'_, '_>, folder: &Path) -> Read<Calibration> {
    for key in ["calibration", "target", "parameter"] {
        root.has(key);
    }
    let header = root
        .required(
            "calibration",
            "a [calibration] table with the base scenario and the run's size",
        )?
        .table()?;
    let name = header
        .required("name", "a short calibration name")
        .and_then(|v| v.plain_name("it names the results folder"));
    let scenario = header
        .required("scenario", "the base scenario file, relative to this file")
        .and_then(|v| v.string().map(|s| folder.join(s)));
    let particles = header.or("particles", 200, |v| {
        v.integer_in(10, MAX_PARTICLES, "a number of particles")
    });
    let generations = header.or("generations", 4, |v| {
        v.integer_in(1, MAX_GENERATIONS, "a number of generations")
    });
    let replications = header.or("replications", 1, |v| {
        v.integer_in(1, MAX_REPLICATIONS, "a number of replications per particle")
    });
    let seed = header.or("seed", 1, |v| v.integer_in(0, i64::MAX as u64, "a seed"));
    let quantile = header.or("quantile", 0.5, |v| {
        let q = v.number()?;
        if !(q > 0.0 && q < 1.0) {
            v.fail("a quantile between 0 and 1 (exclusive)", &format!("{q}"), None);
            return None;
        }
        Some(q)
    });
    let max_simulations = header.optional("max_simulations", |v| {
        v.integer_in(1, 100_000_000, "a number of simulations per generation")
    });
    let horizon = header.optional("horizon", |v| {
        let months = v.duration()?;
        if months <= 0.0 {
            v.fail(
                "a horizon above 0, such as \"7 years\"",
                &format!("{months} months"),
                None,
            );
            return None;
        }
        Some((v.string()?.to_string(), v.span()))
    });
    header.finish();
    let targets = read_targets(root);
    let parameters = read_parameters(root);
    let particles = particles? as usize;
    Some(Calibration {
        name: name?,
        scenario: scenario?,
        particles,
        generations: generations? as usize,
        replications: replications?,
        seed: seed?,
        quantile: quantile?,
        max_simulations: match max_simulations {
            Some(m) => m? as usize,
            None => 100 * particles,
        },
        horizon: match &horizon {
            Some(h) => Some(h.clone()?.0),
            None => None,
        },
        horizon_span: horizon.and_then(|h| h.map(|(_, span)| span)).unwrap_or(0..0),
        targets: targets?,
        parameters: parameters?,
    })
}

fn read_targets(root: &Table<'_, '_>) -> Read<Vec<Target>> {
    let tables = root.tables("target")?;
    if tables.is_empty() {
        root.missing(
            "target",
            "at least one [[target]]: a reported figure with its tolerance",
        );
        return None;
    }
    let catalogue = metrics::totals();
    let known: Vec<String> = catalogue.iter().map(|m| m.name.clone()).collect();
    let mut out = Vec::new();
    for t in &tables {
        let metric = t
            .required("metric", "the name of a total of `feidi run`, such as \"admitted\"")
            .and_then(|v| {
                let name = v.string()?;
                if !known.iter().any(|k| k == name) && !name.starts_with("tax_yuan.") {
                    let hint = crate::input::nearest(name, known.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"));
                    v.fail("the name of a total of `feidi run`", &format!("`{name}`"), hint);
                    return None;
                }
                Some((name.to_string(), v.span()))
            });
        let unit = metric
            .as_ref()
            .and_then(|(name, _)| catalogue.iter().find(|m| &m.name == name))
            .map(|m| m.unit);
        let value = t.required("value", "the reported figure").and_then(|v| {
            let x = finite(&v, "a reported figure (a finite number)")?;
            // A count, a duration or a share is never below 0 (nor a share above 1): a
            // figure that no run can produce would pull the calibration nowhere.
            match unit {
                Some(unit @ ("projects" | "jobs" | "months")) if x < 0.0 => {
                    v.fail(&format!("a number of {unit} of at least 0"), &format!("{x}"), None);
                    None
                }
                Some("share") if !(0.0..=1.0).contains(&x) => {
                    v.fail("a share between 0 and 1", &format!("{x}"), None);
                    None
                }
                _ => Some(x),
            }
        });
        let tolerance = t
            .required("tolerance", "how far from the figure still counts as a match")
            .and_then(|v| {
                let x = finite(&v, "a tolerance (a number above 0)")?;
                if x <= 0.0 {
                    v.fail("a tolerance above 0", &format!("{x}"), None);
                    return None;
                }
                Some(x)
            });
        let statistic = t.or("statistic", Statistic::Mean, |v| {
            Some(match v.choice(&["mean", "median"])? {
                "median" => Statistic::Median,
                _ => Statistic::Mean,
            })
        });
        t.finish();
        out.push((|| {
            let (metric, metric_span) = metric?;
            Some(Target {
                metric,
                value: value?,
                tolerance: tolerance?,
                statistic: statistic?,
                metric_span,
            })
        })());
    }
    out.into_iter().collect()
}

fn finite(v: &Value<'_, '_>, what: &str) -> Read<f64> {
    let x = v.number()?;
    if !x.is_finite() {
        v.fail(what, &format!("{x}"), None);
        return None;
    }
    Some(x)
}

fn read_parameters(root: &Table<'_, '_>) -> Read<Vec<Parameter>> {
    let tables = root.tables("parameter")?;
    if tables.is_empty() {
        root.missing(
            "parameter",
            "at least one [[parameter]] with a key path and a prior range",
        );
        return None;
    }
    if tables.len() > MAX_PARAMETERS {
        root.get("parameter").expect("parameters are present").fail(
            &format!("at most {MAX_PARAMETERS} parameters"),
            &format!("{} parameters", tables.len()),
            None,
        );
        return None;
    }
    let mut seen: Vec<KeyPath> = Vec::new();
    let mut out = Vec::new();
    for t in &tables {
        let path = crate::scenario::read_key_path(t, &mut seen, "calibrated");
        let integer = t.or("integer", false, |v| v.boolean());
        let end = |key: &'static str, what: &str| {
            t.required(key, what).and_then(|v| {
                let x = finite(&v, &format!("{what} (a finite number)"))?;
                if integer == Some(true) && x.fract() != 0.0 {
                    v.fail(
                        &format!("{what} (a whole number, as integer = true)"),
                        &format!("{x}"),
                        None,
                    );
                    return None;
                }
                if x.abs() > 1e15 {
                    v.fail(&format!("{what} of at most 1e15 in size"), &format!("{x}"), None);
                    return None;
                }
                Some((x, v.span()))
            })
        };
        let min = end("min", "the lower end of the prior range");
        let max = end("max", "the upper end of the prior range");
        let unit = t.optional("unit", |v| {
            let u = v.string()?;
            if u.trim().is_empty() {
                v.fail("a unit such as \"months\" or \"per year\"", "an empty string", None);
                return None;
            }
            Some(u.to_string())
        });
        let range = match (&min, &max) {
            (Some((a, _)), Some((b, _))) if b <= a => {
                t.get("max").expect("max is present").fail(
                    &format!("a maximum above the minimum {a}"),
                    &format!("{b}"),
                    Some("a prior range needs min < max".to_string()),
                );
                None
            }
            (Some(a), Some(b)) => Some((a.clone(), b.clone())),
            _ => None,
        };
        t.finish();
        out.push((|| {
            let (path, path_span) = path?;
            let ((min, min_span), (max, max_span)) = range?;
            Some(Parameter {
                path,
                min,
                max,
                integer: integer?,
                unit: unit.map_or(Some(None), |u| u.map(Some))?,
                path_span,
                min_span,
                max_span,
            })
        })());
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = include_str!("../../tests/valid/minimal.toml");

    fn parse(text: &str) -> Result<Calibration, Diagnostics> {
        Calibration::from_toml("cal.toml", text, Path::new("."))
    }

    const GOOD: &str = r#"
[calibration]
name = "t"
scenario = "minimal.toml"
particles = 20

[[target]]
metric = "admitted"
value = 50
tolerance = 10

[[parameter]]
path = "enclave[0].seats"
min = 5
max = 40
integer = true

[[parameter]]
path = "flow[0].rate"
min = 10
max = 80
unit = "per year"
"#;

    #[test]
    fn a_good_file_reads_and_checks_against_its_base() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.particles, 20);
        assert_eq!(c.generations, 4);
        assert_eq!(c.replications, 1);
        assert_eq!(c.max_simulations, 2000);
        assert_eq!(
            c.parameters[1].setting(12.5),
            toml::Value::String("12.5 per year".into())
        );
        let (_, base, metrics) = c.against("cal.toml", GOOD, "minimal.toml", BASE).unwrap();
        assert_eq!(metrics, vec![metrics::total::ADMITTED]);
        let sc = c.scenario_at(&base, &[33.0, 24.0], "x").unwrap();
        assert_eq!(sc.enclaves[0].seats, 33);
    }

    #[test]
    fn a_horizon_runs_every_particle_to_it_instead_of_the_bases() {
        let text = GOOD.replace("particles = 20", "particles = 20\nhorizon = \"2 years\"");
        let c = parse(&text).unwrap();
        assert_eq!(c.horizon.as_deref(), Some("2 years"));
        let (sc, base, _) = c.against("cal.toml", &text, "minimal.toml", BASE).unwrap();
        assert_eq!(sc.horizon, Some(24.0), "the base's own horizon is 5 years");
        let particle = c.scenario_at(&base, &[33.0, 24.0], "x").unwrap();
        assert_eq!(particle.horizon, Some(24.0));
        // Without the key, the base's horizon.
        let (sc, _, _) = parse(GOOD)
            .unwrap()
            .against("cal.toml", GOOD, "minimal.toml", BASE)
            .unwrap();
        assert_eq!(sc.horizon, Some(60.0));
    }

    #[test]
    fn a_horizon_that_is_no_duration_or_that_the_base_refuses_is_located() {
        let text = GOOD.replace("particles = 20", "particles = 20\nhorizon = \"0 years\"");
        let e = parse(&text).unwrap_err().to_string();
        assert!(e.contains("cal.toml:6:11: calibration.horizon"), "{e}");
        assert!(e.contains("a horizon above 0"), "{e}");
        // 300 years: a duration, but beyond what a scenario accepts.
        let text = GOOD.replace("particles = 20", "particles = 20\nhorizon = \"300 years\"");
        let c = parse(&text).unwrap();
        let e = c
            .against("cal.toml", &text, "minimal.toml", BASE)
            .unwrap_err()
            .to_string();
        assert!(e.contains("cal.toml:6:11: calibration.horizon"), "{e}");
        assert!(e.contains("which it refuses"), "{e}");
    }

    #[test]
    fn paths_missing_from_the_base_and_bad_ends_are_located() {
        let text = GOOD.replace("enclave[0].seats", "enclave[2].seats");
        let c = parse(&text).unwrap();
        let e = c
            .against("cal.toml", &text, "minimal.toml", BASE)
            .unwrap_err()
            .to_string();
        assert!(e.contains("cal.toml:13:8: parameter[0].path"), "{e}");
        assert!(e.contains("beyond the 1 items"), "{e}");
        let text = GOOD.replace("min = 5", "min = 0");
        let c = parse(&text).unwrap();
        let e = c
            .against("cal.toml", &text, "minimal.toml", BASE)
            .unwrap_err()
            .to_string();
        assert!(e.contains("cal.toml:14:7: parameter[0].min"), "{e}");
    }

    #[test]
    fn statistics() {
        assert_eq!(Statistic::Mean.of(&mut [1.0, 2.0, 6.0]), 3.0);
        assert_eq!(Statistic::Median.of(&mut [6.0, 1.0, 2.0]), 2.0);
        assert_eq!(Statistic::Median.of(&mut [6.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
