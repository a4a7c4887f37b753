//! Optimization files: reading and validating them with the located reader, and checking
//! their levers, objectives and constraints against the base scenario.
//!
//! ```toml
//! [optimize]
//! name = "dazu-budget"
//! scenario = "../dazu-chengdu.toml"
//! replications = 64        # per candidate in the search
//! population = 12          # candidates per generation
//! generations = 10
//!
//! [[lever]]                # a range (integer = true for whole numbers) ...
//! path = "city[1].landing_subsidy_yuan"
//! min = 0
//! max = 5_000_000
//!
//! [[lever]]                # ... or a choice
//! path = "enclave[0].operator.model"
//! choices = ["professional", "government"]
//!
//! [[objective]]            # one or two
//! metric = "landed_home_real"
//! goal = "maximize"
//!
//! [[constraint]]           # on a metric's mean
//! metric = "cost_yuan"
//! at_most = 150_000_000
//!
//! [selection]              # the final ranking and selection
//! delta = 1.0              # indifference zone, in the objective's unit
//! alpha = 0.05
//! ```

use super::search::Domain;
use crate::input::Diagnostics;
use crate::input::{Document, Read, Table, Value};
use crate::model::metrics;
use crate::scenario::{apply, lookup, with_overrides, KeyPath, OverrideError, Scenario};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Most levers.
pub const MAX_LEVERS: usize = 32;
/// Most candidates per generation.
pub const MAX_POPULATION: u64 = 1_000;
/// Most generations.
pub const MAX_GENERATIONS: u64 = 1_000;
/// Most replications per candidate in the search, and the selection's cap.
pub const MAX_REPLICATIONS: u64 = 100_000;

/// What a lever takes.
#[derive(Clone, Debug, PartialEq)]
pub enum LeverKind {
    /// A number from `min` to `max`.
    Range {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
        /// Whole numbers only.
        integer: bool,
        /// Unit written after the number ("months" gives "18.5 months"), if any.
        unit: Option<String>,
    },
    /// One of these values, as written in a scenario file.
    Choices(Vec<toml::Value>),
}

/// A setting of the base scenario the search may change.
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    /// Where the value goes in the scenario file.
    pub path: KeyPath,
    /// What it takes.
    pub kind: LeverKind,
    /// Where `path` is in the file.
    path_span: Range<usize>,
    /// Where each end of a range or each choice is.
    value_spans: Vec<Range<usize>>,
}

impl Lever {
    /// The search's view of the lever.
    pub fn domain(&self) -> Domain {
        match &self.kind {
            LeverKind::Range {
                min,
                max,
                integer: true,
                ..
            } => Domain::Integer { min: *min, max: *max },
            LeverKind::Range { min, max, .. } => Domain::Continuous { min: *min, max: *max },
            LeverKind::Choices(values) => Domain::Choice { count: values.len() },
        }
    }

    /// The TOML value that sets the lever to the search's coordinate `x`.
    pub fn setting(&self, x: f64) -> toml::Value {
        match &self.kind {
            LeverKind::Range { unit: Some(u), .. } => toml::Value::String(format!("{x} {u}")),
            LeverKind::Range { integer: true, .. } => toml::Value::Integer(x as i64),
            LeverKind::Range { .. } => toml::Value::Float(x),
            LeverKind::Choices(values) => values[(x as usize).min(values.len() - 1)].clone(),
        }
    }

    /// The search's coordinate of `value` (the base scenario's setting), if it is one
    /// the lever can take.
    fn coordinate(&self, value: &toml::Value) -> Option<f64> {
        match &self.kind {
            LeverKind::Choices(values) => values.iter().position(|v| v == value).map(|i| i as f64),
            LeverKind::Range { min, max, .. } => {
                let x = match value {
                    toml::Value::Integer(i) => *i as f64,
                    toml::Value::Float(x) => *x,
                    toml::Value::String(s) => crate::results::points::leading_number(s),
                    _ => return None,
                };
                (x >= *min && x <= *max).then_some(x)
            }
        }
    }
}

/// Which way an objective is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// Larger is better.
    Maximize,
    /// Smaller is better.
    Minimize,
}

impl Goal {
    /// The goal's name in files.
    pub fn name(self) -> &'static str {
        match self {
            Goal::Maximize => "maximize",
            Goal::Minimize => "minimize",
        }
    }

    /// `x` oriented so that larger is better.
    pub fn orient(self, x: f64) -> f64 {
        match self {
            Goal::Maximize => x,
            Goal::Minimize => -x,
        }
    }
}

/// An objective: a total of `feidi run`, its mean maximized or minimized.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    /// The metric's name.
    pub metric: String,
    /// Which way is better.
    pub goal: Goal,
    span: Range<usize>,
}

/// Which side of its bound a constraint keeps a metric's mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// The mean must be at most this.
    AtMost(f64),
    /// The mean must be at least this.
    AtLeast(f64),
}

impl Bound {
    /// How far `mean` is outside the bound, relative to the bound's size (0 inside).
    pub fn violation(self, mean: f64) -> f64 {
        let (excess, bound) = match self {
            Bound::AtMost(b) => (mean - b, b),
            Bound::AtLeast(b) => (b - mean, b),
        };
        if mean.is_nan() {
            return f64::INFINITY;
        }
        (excess / bound.abs().max(1e-12)).max(0.0)
    }

    /// The bound's value.
    pub fn value(self) -> f64 {
        match self {
            Bound::AtMost(b) | Bound::AtLeast(b) => b,
        }
    }

    /// `at_most` or `at_least`.
    pub fn name(self) -> &'static str {
        match self {
            Bound::AtMost(_) => "at_most",
            Bound::AtLeast(_) => "at_least",
        }
    }
}

/// A constraint on a metric's mean.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    /// The metric's name.
    pub metric: String,
    /// The bound.
    pub bound: Bound,
    span: Range<usize>,
}

/// The final ranking and selection (one objective) and the comparison with the base
/// scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Best candidates of the search that enter the selection.
    pub finalists: usize,
    /// Indifference zone, in the objective's unit.
    pub delta: f64,
    /// Allowed probability of a wrong selection.
    pub alpha: f64,
    /// First-stage replications of each finalist.
    pub first_stage: u64,
    /// Most replications of any finalist.
    pub cap: u64,
    /// Replications of the recommended setting and the base scenario, paired, for the
    /// comparison between them.
    pub compare_replications: u64,
}

/// A validated optimization file.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimization {
    /// Short name.
    pub name: String,
    /// The base scenario file, resolved against the file's folder.
    pub scenario: PathBuf,
    /// Master seed.
    pub seed: u64,
    /// Replications per candidate in the search.
    pub replications: u64,
    /// Candidates per generation.
    pub population: usize,
    /// Generations.
    pub generations: usize,
    /// How each setting's means are estimated in the search: `"off"` (plain Monte
    /// Carlo, the default), `"control"` or `"auto"` (control variates, as
    /// `--variance-reduction` on run and compare).
    pub variance_reduction: &'static str,
    /// The levers.
    pub levers: Vec<Lever>,
    /// One or two objectives.
    pub objectives: Vec<Objective>,
    /// Constraints on metrics' means.
    pub constraints: Vec<Constraint>,
    /// The final selection.
    pub selection: Selection,
}

/// An optimization file with its base scenario, checked against each other.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The optimization.
    pub optimization: Optimization,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The base scenario, validated.
    pub scenario: Scenario,
    /// The base scenario's TOML.
    pub base: toml::Table,
    /// The base scenario file's bytes.
    pub base_bytes: Vec<u8>,
    /// The base scenario's setting of each lever as a search coordinate, when every
    /// lever's setting is one it can take (the search then starts there).
    pub start: Option<Vec<f64>>,
}

impl Optimization {
    /// Reads an optimization file and its base scenario and checks them together.
    pub fn load(path: &Path) -> Result<Loaded, Diagnostics> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| crate::input::unreadable(&shown, "optimization file", e))?;
        let text = crate::input::decode(&shown, &bytes)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let optimization = Optimization::from_toml(&shown, text, folder)?;
        let base_shown = optimization.scenario.display().to_string();
        let base_bytes = std::fs::read(&optimization.scenario)
            .map_err(|e| crate::input::unreadable(&base_shown, "scenario file", e))?;
        let base_text = crate::input::decode(&base_shown, &base_bytes)?;
        let (scenario, base) = optimization.against(&shown, text, &base_shown, base_text)?;
        let start = optimization
            .levers
            .iter()
            .map(|l| lookup(&base, &l.path).and_then(|v| l.coordinate(v)))
            .collect();
        Ok(Loaded {
            optimization,
            bytes: bytes.clone(),
            scenario,
            base,
            base_bytes: base_bytes.clone(),
            start,
        })
    }

    /// Parses optimization text; `folder` resolves the base scenario's relative path.
    pub fn from_toml(file: &str, text: &str, folder: &Path) -> Result<Optimization, Diagnostics> {
        Document::read_whole(file, text, "optimization", |root| read_optimization(root, folder))
    }

    /// Checks this optimization (read from `text`, named `file`) against the base
    /// scenario text: it must validate, every lever must name one of its settings and
    /// give a valid scenario at both ends or at every choice, and every objective and
    /// constraint must name one of its totals. Errors are located in this file.
    pub fn against(
        &self,
        file: &str,
        text: &str,
        base_name: &str,
        base_text: &str,
    ) -> Result<(Scenario, toml::Table), Diagnostics> {
        let scenario = Scenario::from_toml(base_name, base_text)?;
        let base = crate::input::toml_table(base_name, base_text)?;
        let doc = Document::parse(file, text)?;
        let names: Vec<String> = metrics::totals_for(&scenario).into_iter().map(|m| m.name).collect();
        let check_metric = |metric: &str, span: &Range<usize>, path: String| {
            if !names.iter().any(|n| n == metric) {
                let hint = crate::input::nearest(metric, names.iter().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?"));
                doc.error(
                    span.clone(),
                    &path,
                    &format!("a total of the base scenario {base_name}"),
                    &format!("`{metric}`"),
                    hint,
                );
            }
        };
        for (i, o) in self.objectives.iter().enumerate() {
            check_metric(&o.metric, &o.span, format!("objective[{i}].metric"));
        }
        for (i, c) in self.constraints.iter().enumerate() {
            check_metric(&c.metric, &c.span, format!("constraint[{i}].metric"));
        }
        for (i, lever) in self.levers.iter().enumerate() {
            let mut at = base.clone();
            let first = match &lever.kind {
                LeverKind::Range { min, .. } => lever.setting(*min),
                LeverKind::Choices(values) => values[0].clone(),
            };
            if let Err(why) = apply(&mut at, &lever.path, first) {
                doc.error(
                    lever.path_span.clone(),
                    &format!("lever[{i}].path"),
                    &format!("the key path of a setting of the base scenario {base_name}"),
                    &format!("\"{}\" ({why})", lever.path),
                    None,
                );
                continue;
            }
            let values: Vec<f64> = match &lever.kind {
                LeverKind::Range { min, max, .. } => vec![*min, *max],
                LeverKind::Choices(values) => (0..values.len()).map(|k| k as f64).collect(),
            };
            for (x, span) in values.into_iter().zip(&lever.value_spans) {
                if let Err(e) = with_overrides(&base, [(&lever.path, lever.setting(x))], "lever") {
                    let found = match e {
                        OverrideError::Invalid(d) => d.0.first().map_or_else(String::new, |d| {
                            format!("{}: expected {}, found {}", d.path, d.expected, d.found)
                        }),
                        other => other.to_string(),
                    };
                    doc.error(
                        span.clone(),
                        &format!("lever[{i}]"),
                        &format!(
                            "a value that gives a valid scenario ({} = {})",
                            lever.path,
                            lever.setting(x)
                        ),
                        &format!("a scenario the validator refuses ({found})"),
                        None,
                    );
                    break;
                }
            }
        }
        doc.into_errors()?;
        Ok((scenario, base))
    }

    /// The base scenario with every lever set to `levers` (search coordinates, in lever
    /// order), validated; `name` names it in errors.
    pub fn scenario_at(&self, base: &toml::Table, levers: &[f64], name: &str) -> Result<Scenario, String> {
        with_overrides(base, self.overrides(levers), name).map_err(|e| match e {
            OverrideError::Invalid(d) => d.to_string(),
            other => format!("{name}: {other}"),
        })
    }

    /// The settings `levers` (search coordinates) make, as (key path, value) pairs.
    pub fn overrides<'s>(&'s self, levers: &'s [f64]) -> impl Iterator<Item = (&'s KeyPath, toml::Value)> + 's {
        self.levers.iter().zip(levers).map(|(l, &x)| (&l.path, l.setting(x)))
    }
}

fn read_optimization(root: &Table<'_, '_>, folder: &Path) -> Read<Optimization> {
    for key in ["optimize", "lever", "objective", "constraint", "selection"] {
        root.has(key);
    }
    let header = root
        .required(
            "optimize",
            "an [optimize] table with the base scenario and the search's size",
        )?
        .table()?;
    let name = header
        .required("name", "a short name")
        .and_then(|v| v.plain_name("it names the results folder"));
    let scenario = header
        .required("scenario", "the base scenario file, relative to this file")
        .and_then(|v| v.string().map(|s| folder.join(s)));
    let seed = header.or("seed", 1, |v| v.integer_in(0, i64::MAX as u64, "a seed"));
    let replications = header.or("replications", 64, |v| {
        v.integer_in(2, MAX_REPLICATIONS, "a number of replications per candidate")
    });
    let population = header.or("population", 12, |v| {
        v.integer_in(2, MAX_POPULATION, "a number of candidates per generation")
    });
    let generations = header.or("generations", 10, |v| {
        v.integer_in(1, MAX_GENERATIONS, "a number of generations")
    });
    let variance_reduction = header.or("variance_reduction", "off", |v| v.choice(&["off", "control", "auto"]));
    header.finish();
    let levers = read_levers(root);
    let objectives = read_objectives(root);
    let constraints = read_constraints(root);
    let selection = read_selection(root, objectives.as_ref().map_or(1, Vec::len));
    Some(Optimization {
        name: name?,
        scenario: scenario?,
        seed: seed?,
        replications: replications?,
        population: population? as usize,
        generations: generations? as usize,
        variance_reduction: variance_reduction?,
        levers: levers?,
        objectives: objectives?,
        constraints: constraints?,
        selection: selection?,
    })
}

fn finite(v: &Value<'_, '_>, what: &str) -> Read<f64> {
    let x = v.number()?;
    if !x.is_finite() || x.abs() > 1e15 {
        v.fail(
            &format!("{what} (a finite number of at most 1,000,000,000,000,000 in size)"),
            &format!("{x}"),
            None,
        );
        return None;
    }
    Some(x)
}

fn read_levers(root: &Table<'_, '_>) -> Read<Vec<Lever>> {
    let tables = root.tables("lever")?;
    if tables.is_empty() {
        root.missing("lever", "at least one [[lever]] with a key path and a range or choices");
        return None;
    }
    if tables.len() > MAX_LEVERS {
        root.get("lever").expect("levers are present").fail(
            &format!("at most {MAX_LEVERS} levers"),
            &format!("{} levers", tables.len()),
            None,
        );
        return None;
    }
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for t in &tables {
        let path = crate::scenario::read_key_path(t, &mut seen, "a lever");
        let kind = if let Some(v) = t.get("choices") {
            for key in ["min", "max", "integer", "unit"] {
                if let Some(other) = t.get(key) {
                    other.fail(
                        "either `choices` or a range (`min`, `max`), not both",
                        &format!("`{key}` beside `choices`"),
                        None,
                    );
                }
            }
            v.array().and_then(|items| {
                if items.len() < 2 {
                    v.fail("at least two choices", &format!("{} choice", items.len()), None);
                    return None;
                }
                let values: Vec<toml::Value> = items.iter().map(Value::to_toml).collect();
                if let Some(k) = (1..values.len()).find(|&k| values[..k].contains(&values[k])) {
                    items[k].fail("choices that differ", &format!("{} twice", values[k]), None);
                    return None;
                }
                Some((LeverKind::Choices(values), items.iter().map(Value::span).collect()))
            })
        } else {
            let integer = t.or("integer", false, |v| v.boolean());
            let end = |key: &'static str, what: &str| {
                t.required(key, &format!("{what}, or `choices`")).and_then(|v| {
                    let x = finite(&v, what)?;
                    if integer == Some(true) && x.fract() != 0.0 {
                        v.fail(
                            &format!("{what} (a whole number, as integer = true)"),
                            &format!("{x}"),
                            None,
                        );
                        return None;
                    }
                    Some((x, v.span()))
                })
            };
            let min = end("min", "the lower end of the lever's range");
            let max = end("max", "the upper end of the lever's range");
            let unit = t.optional("unit", |v| {
                let u = v.string()?;
                if u.trim().is_empty() {
                    v.fail("a unit such as \"months\"", "an empty string", None);
                    return None;
                }
                Some(u.to_string())
            });
            match (min, max) {
                (Some((a, _)), Some((b, _))) if b <= a => {
                    t.get("max").expect("max is present").fail(
                        &format!("a maximum above the minimum {a}"),
                        &format!("{b}"),
                        None,
                    );
                    None
                }
                (Some((min, a)), Some((max, b))) => (|| {
                    Some((
                        LeverKind::Range {
                            min,
                            max,
                            integer: integer?,
                            unit: unit.map_or(Some(None), |u| u.map(Some))?,
                        },
                        vec![a, b],
                    ))
                })(),
                _ => None,
            }
        };
        t.finish();
        out.push((|| {
            let (path, path_span) = path?;
            let (kind, value_spans) = kind?;
            Some(Lever {
                path,
                kind,
                path_span,
                value_spans,
            })
        })());
    }
    out.into_iter().collect()
}

fn metric_name(t: &Table<'_, '_>) -> Read<(String, Range<usize>)> {
    let v = t.required(
        "metric",
        "the name of a total of `feidi run`, such as \"landed_home_real\"",
    )?;
    Some((v.string()?.to_string(), v.span()))
}

fn read_objectives(root: &Table<'_, '_>) -> Read<Vec<Objective>> {
    let tables = root.tables("objective")?;
    if tables.is_empty() || tables.len() > 2 {
        let found = format!("{} objectives", tables.len());
        match root.get("objective") {
            Some(v) => v.fail("one or two [[objective]] tables", &found, None),
            None => root.missing("objective", "one or two [[objective]] tables with a metric and a goal"),
        }
        return None;
    }
    let mut out = Vec::new();
    for t in &tables {
        let metric = metric_name(t);
        let goal = t
            .required("goal", "\"maximize\" or \"minimize\"")
            .and_then(|v| v.choice(&["maximize", "minimize"]))
            .map(|g| {
                if g == "maximize" {
                    Goal::Maximize
                } else {
                    Goal::Minimize
                }
            });
        t.finish();
        out.push((|| {
            let (metric, span) = metric?;
            Some(Objective {
                metric,
                goal: goal?,
                span,
            })
        })());
    }
    out.into_iter().collect()
}

fn read_constraints(root: &Table<'_, '_>) -> Read<Vec<Constraint>> {
    let tables = root.tables("constraint")?;
    let mut out = Vec::new();
    for t in &tables {
        let metric = metric_name(t);
        let bound = match (t.get("at_most"), t.get("at_least")) {
            (Some(v), None) => finite(&v, "the largest mean allowed").map(Bound::AtMost),
            (None, Some(v)) => finite(&v, "the smallest mean allowed").map(Bound::AtLeast),
            (Some(_), Some(v)) => {
                v.fail("either `at_most` or `at_least`, not both", "both", None);
                None
            }
            (None, None) => {
                t.missing("at_most", "the largest mean allowed (or `at_least`, the smallest)");
                None
            }
        };
        t.finish();
        out.push((|| {
            let (metric, span) = metric?;
            Some(Constraint {
                metric,
                bound: bound?,
                span,
            })
        })());
    }
    out.into_iter().collect()
}

fn read_selection(root: &Table<'_, '_>, objectives: usize) -> Read<Selection> {
    let table = match root.get("selection") {
        Some(v) => Some(v.table()?),
        None => None,
    };
    let delta = match &table {
        Some(t) => t.optional("delta", |v| {
            let x = finite(&v, "an indifference zone above 0, in the objective's unit")?;
            if x <= 0.0 {
                v.fail(
                    "an indifference zone above 0, in the objective's unit",
                    &format!("{x}"),
                    None,
                );
                return None;
            }
            Some(x)
        }),
        None => None,
    };
    let delta = match delta {
        Some(d) => d?,
        None if objectives == 1 => {
            match &table {
                Some(t) => t.missing(
                    "delta",
                    "the indifference zone: the smallest difference in the objective that matters",
                ),
                None => root.missing(
                    "selection",
                    "a [selection] table with `delta`, the smallest difference in the objective that matters",
                ),
            }
            return None;
        }
        None => f64::NAN,
    };
    let or = |key: &'static str, default: u64, min: u64, max: u64, what: &str| -> Read<u64> {
        match &table {
            Some(t) => t.or(key, default, |v| v.integer_in(min, max, what)),
            None => Some(default),
        }
    };
    let finalists = or("finalists", 5, 2, 100, "a number of finalists");
    let first_stage = or(
        "first_stage",
        20,
        5,
        MAX_REPLICATIONS,
        "a number of first-stage replications",
    );
    let cap = or("cap", 5_000, 10, MAX_REPLICATIONS, "a most replications per finalist");
    if let (Some(first), Some(most), Some(t)) = (first_stage, cap, &table) {
        if most < first {
            if let Some(v) = t.get("cap") {
                v.fail(
                    &format!("a cap of at least the first stage's {first} replications"),
                    &most.to_string(),
                    None,
                );
            }
            return None;
        }
    }
    let compare_replications = or(
        "compare_replications",
        256,
        2,
        MAX_REPLICATIONS,
        "a number of replications for the comparison with the base scenario",
    );
    let alpha = match &table {
        Some(t) => t.or("alpha", 0.05, |v| {
            let a = v.number()?;
            if !(a > 0.0 && a < 0.5) {
                v.fail(
                    "a probability of a wrong selection between 0 and 0.5",
                    &format!("{a}"),
                    None,
                );
                return None;
            }
            Some(a)
        }),
        None => Some(0.05),
    };
    if let Some(t) = &table {
        t.finish();
    }
    Some(Selection {
        finalists: finalists? as usize,
        delta,
        alpha: alpha?,
        first_stage: first_stage?,
        cap: cap?,
        compare_replications: compare_replications?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = include_str!("../../tests/valid/minimal.toml");

    fn parse(text: &str) -> Result<Optimization, Diagnostics> {
        Optimization::from_toml("opt.toml", text, Path::new("."))
    }

    const GOOD: &str = r#"
[optimize]
name = "t"
scenario = "minimal.toml"

[[lever]]
path = "enclave[0].seats"
min = 5
max = 40
integer = true

[[objective]]
metric = "landed_home"
goal = "maximize"

[[constraint]]
metric = "admitted"
at_most = 100

[selection]
delta = 0.5
"#;

    #[test]
    fn a_good_file_reads_and_checks_against_its_base() {
        let o = parse(GOOD).unwrap();
        assert_eq!(o.levers[0].domain(), Domain::Integer { min: 5.0, max: 40.0 });
        assert_eq!(o.constraints[0].bound, Bound::AtMost(100.0));
        assert_eq!(o.selection.finalists, 5);
        o.against("opt.toml", GOOD, "minimal.toml", BASE).unwrap();
    }

    #[test]
    fn an_unknown_metric_and_a_range_the_scenario_refuses_are_located() {
        let text = GOOD
            .replace("min = 5", "min = 0")
            .replace("\"landed_home\"", "\"landed_hom\"");
        let o = parse(&text).unwrap();
        let e = o
            .against("opt.toml", &text, "minimal.toml", BASE)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("objective[0].metric") && e.contains("did you mean `landed_home`?"),
            "{e}"
        );
        assert!(e.contains("lever[0]") && e.contains("enclave[0].seats = 0"), "{e}");
    }

    #[test]
    fn one_objective_needs_an_indifference_zone() {
        let e = parse(&GOOD.replace("delta = 0.5", "")).unwrap_err().to_string();
        assert!(e.contains("selection.delta"), "{e}");
    }

    #[test]
    fn violations_are_relative_to_the_bound() {
        assert_eq!(Bound::AtMost(100.0).violation(90.0), 0.0);
        assert!((Bound::AtMost(100.0).violation(110.0) - 0.1).abs() < 1e-12);
        assert!((Bound::AtLeast(0.5).violation(0.25) - 0.5).abs() < 1e-12);
    }
}
