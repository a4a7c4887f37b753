//! Sweeps: many variants of one base scenario. A sweep file names the base scenario, the
//! parameters to vary by key path, and a design (full grid, Latin hypercube, or a list of
//! named variants); each design point is the base scenario with its values set, validated
//! like any scenario, and run with its own random streams (seed, point, replication).

mod design;

pub use crate::scenario::KeyPath;

use crate::input::Diagnostics;
use crate::input::{Document, Read, Table, Value};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How the design points are chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum Design {
    /// Every combination of every parameter's listed values.
    Grid,
    /// `points` points spread by a Latin hypercube over each parameter's range.
    LatinHypercube {
        /// Number of points.
        points: usize,
    },
    /// `points` points of an Owen-scrambled Sobol sequence over each parameter's range:
    /// low-discrepancy, so that any first part of the sequence covers the ranges evenly.
    Sobol {
        /// Number of points.
        points: usize,
    },
    /// The `[[variant]]` tables, each a named point.
    Variants,
    /// One-at-a-time sensitivity: a base point, then each parameter alone at the low and
    /// the high end of its range (1 + 2k points).
    Oat {
        /// Each parameter's base value, in its own unit (the middle of its range unless
        /// the parameter gives `base`).
        base: Vec<f64>,
    },
    /// Morris elementary effects: `trajectories` random one-at-a-time paths over a grid
    /// of `levels` values per parameter (trajectories × (k + 1) points).
    Morris {
        /// Number of trajectories r.
        trajectories: usize,
        /// Number of grid levels p per parameter (even).
        levels: usize,
    },
    /// Saltelli sampling for first-order and total Sobol indices: `samples` base rows,
    /// each giving k + 2 points.
    SobolIndices {
        /// Number of base rows N.
        samples: usize,
    },
}

impl Design {
    /// The sensitivity method of a sensitivity design ("oat", "morris" or "sobol"), as
    /// written in sensitivity.json; `None` for the other designs.
    pub fn sensitivity_method(&self) -> Option<&'static str> {
        match self {
            Design::Oat { .. } => Some("oat"),
            Design::Morris { .. } => Some("morris"),
            Design::SobolIndices { .. } => Some("sobol"),
            _ => None,
        }
    }

    /// Whether every design point runs on the same random streams (common random
    /// numbers): true for the sensitivity designs, whose indices compare points, so
    /// that differences between points come from the parameters, not from luck.
    pub fn common_random_numbers(&self) -> bool {
        self.sensitivity_method().is_some()
    }
}

/// What a parameter takes: a list of values (grid) or a range (Latin hypercube).
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// Listed values, in order.
    List(Vec<toml::Value>),
    /// A range, with a unit appended to each value when set ("months" gives "18.5 months").
    Range {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
        /// Round to whole numbers.
        integer: bool,
        /// Unit written after the number, if any.
        unit: Option<String>,
    },
}

impl Values {
    /// The setting a range takes at `x`, rounded and with its unit as the parameter
    /// asks (as design points are written); `None` for a list.
    pub fn setting(&self, x: f64) -> Option<toml::Value> {
        design::value(self, x)
    }
}

/// One varied setting of the base scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Where the value goes in the scenario file.
    pub path: KeyPath,
    /// What it takes (empty list for the variants design).
    pub values: Values,
    /// Where its `path` is in the sweep file (byte span), so that a setting the base
    /// scenario lacks is located there.
    pub path_span: Range<usize>,
    /// Where each listed value is, or `min` and `max` for a range (empty for variants),
    /// so that a value the base scenario refuses is located there.
    pub value_spans: Vec<Range<usize>>,
}

/// One design point: a label and the value of each parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// A label for tables: the variant's name, or the point's number.
    pub label: String,
    /// The value of each parameter, in parameter order; `None` keeps the base
    /// scenario's value (a variant that does not name the setting).
    pub values: Vec<Option<toml::Value>>,
}

/// A validated sweep file, its design points generated.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Short name.
    pub name: String,
    /// The base scenario file, resolved against the sweep file's folder.
    pub scenario: PathBuf,
    /// Replications per point (the cap when `precision` is set).
    pub replications: u64,
    /// Metrics and the 95 % confidence half-widths that stop a point early.
    pub precision: Vec<(String, f64)>,
    /// Master seed.
    pub seed: u64,
    /// The design.
    pub design: Design,
    /// The varied settings.
    pub parameters: Vec<Parameter>,
    /// The number of design points, known before they are generated.
    pub count: usize,
    /// The design points, in run order ([`Sweep::read_file`] leaves them to
    /// [`Sweep::generate`], so that the work can be judged first).
    pub points: Vec<Point>,
    /// Where `scenario =` is in the sweep file (byte span).
    pub scenario_span: Range<usize>,
    /// For each `[[variant]]`: the span of its `set` table and of each setting in it, by
    /// parameter index (empty for other designs).
    pub variant_spans: VariantSpans,
    /// Whether every design point runs on the same random streams (common random
    /// numbers), so that points differ by their settings, not by luck: `[sweep]
    /// common_random_numbers`, on by default for grid, variants and the sensitivity
    /// designs (always on for those), off by default for the space-filling designs.
    pub common_random_numbers: bool,
    /// The design point every other point is paired with when the points share random
    /// streams (`[sweep] baseline`: a point number, or a variant's name; point 0 by
    /// default).
    pub baseline: usize,
    /// How each point's means are estimated: `"off"` (plain Monte Carlo, the default),
    /// `"control"` or `"auto"` (control variates, as `--variance-reduction` on run and
    /// compare).
    pub variance_reduction: &'static str,
}

/// Most design points a sweep may have (the streams support 2^24).
pub const MAX_POINTS: usize = 1_000_000;
/// Most values a sampled design may hold (points × parameters), to bound its memory
/// (about 60 bytes each) and the time to generate it.
pub const MAX_VALUES: usize = 5_000_000;

/// A key of `[sweep]` that some designs only take: the key, those designs in words, and
/// whether a design takes it.
type DesignKey = (&'static str, &'static str, fn(&Design) -> bool);

/// What the `design` key takes, for messages.
const DESIGN_EXPECTED: &str =
    "\"grid\", \"latin_hypercube\", \"sobol\", \"variants\", \"oat\", \"morris\" or \"sobol_indices\"";

impl Sweep {
    /// Reads and validates a sweep file, its design points generated.
    pub fn from_file(path: &Path) -> Result<(Sweep, Vec<u8>), Diagnostics> {
        let (mut sweep, bytes) = Sweep::read_file(path)?;
        sweep.generate();
        Ok((sweep, bytes))
    }

    /// Reads and validates a sweep file without generating its design points (a list
    /// of variants is read as it is): [`Sweep::count`] says how many there will be, so
    /// that the work can be estimated, and refused, before [`Sweep::generate`].
    pub fn read_file(path: &Path) -> Result<(Sweep, Vec<u8>), Diagnostics> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostics(vec![crate::input::Diagnostic {
                file: shown.clone(),
                line: 0,
                column: 0,
                path: String::new(),
                expected: "a readable sweep file".to_string(),
                found: format!("an error opening it: {e}"),
                hint: None,
                snippet: None,
            }])
        })?;
        let text = crate::input::decode(&shown, &bytes)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        Ok((Sweep::read_toml(&shown, text, folder)?, bytes))
    }

    /// Parses sweep text, its design points generated; `folder` resolves the base
    /// scenario's relative path.
    pub fn from_toml(file: &str, text: &str, folder: &Path) -> Result<Sweep, Diagnostics> {
        let mut sweep = Sweep::read_toml(file, text, folder)?;
        sweep.generate();
        Ok(sweep)
    }

    /// Parses sweep text without generating its design points (see [`Sweep::read_file`]).
    pub fn read_toml(file: &str, text: &str, folder: &Path) -> Result<Sweep, Diagnostics> {
        Document::read_whole(file, text, "sweep", |root| read_sweep(root, folder))
    }

    /// Generates the design points, once (a list of variants is there already).
    pub fn generate(&mut self) {
        if self.points.is_empty() && !matches!(self.design, Design::Variants) {
            self.points = design::points(&self.design, &self.parameters, self.seed);
        }
        debug_assert_eq!(self.points.len(), self.count);
    }
}

fn read_sweep(root: &Table<'_, '_>, folder: &Path) -> Read<Sweep> {
    for key in ["sweep", "parameter", "variant"] {
        root.has(key);
    }
    let header = root
        .required("sweep", "a [sweep] table with the base scenario and the design")?
        .table()?;
    let name = header
        .required("name", "a short sweep name")
        .and_then(|v| v.plain_name("it names the results folder"));
    let scenario = header
        .required("scenario", "the base scenario file, relative to this file")
        .and_then(|v| {
            let file = v.string()?;
            if file.trim().is_empty() {
                v.fail(
                    "the base scenario file, relative to this file",
                    "\"\" (no file name)",
                    None,
                );
                return None;
            }
            Some((folder.join(file), v.span()))
        });
    let replications = header
        .required("replications", "replications per design point")
        .and_then(|v| v.integer_in(1, crate::engine::rng::MAX_REPLICATIONS, "a number of replications"));
    let seed = header.or("seed", 1, |v| v.integer_in(0, i64::MAX as u64, "a seed"));
    let design = header.required("design", DESIGN_EXPECTED).and_then(|v| {
        let kind = v.choice(&[
            "grid",
            "latin_hypercube",
            "sobol",
            "variants",
            "oat",
            "morris",
            "sobol_indices",
        ])?;
        let count = |key: &'static str, what: &str, min: u64, max: u64| {
            header
                .required(key, what)
                .and_then(|p| p.integer_in(min, max, what))
                .map(|n| n as usize)
        };
        let points = || count("points", "a number of points", 1, MAX_POINTS as u64);
        Some(match kind {
            "grid" => Design::Grid,
            "variants" => Design::Variants,
            "sobol" => Design::Sobol { points: points()? },
            "oat" => Design::Oat { base: Vec::new() },
            "morris" => {
                let trajectories = count("trajectories", "a number of Morris trajectories", 2, MAX_POINTS as u64);
                let levels = header.or("levels", 4, |v| {
                    let p = v.integer_in(2, 1000, "an even number of levels")? as usize;
                    if p % 2 != 0 {
                        v.fail(
                            "an even number of levels (4 is usual)",
                            &p.to_string(),
                            Some("Morris steps of p/(2(p-1)) stay on the grid only for an even p".to_string()),
                        );
                        return None;
                    }
                    Some(p)
                });
                Design::Morris {
                    trajectories: trajectories?,
                    levels: levels?,
                }
            }
            "sobol_indices" => Design::SobolIndices {
                samples: count(
                    "samples",
                    "a number of base samples N",
                    2,
                    crate::analysis::sobol::MAX_SAMPLES as u64,
                )?,
            },
            _ => Design::LatinHypercube { points: points()? },
        })
    });
    // Keys that belong to some designs only.
    let only: [DesignKey; 4] = [
        ("points", "design = \"latin_hypercube\" or \"sobol\"", |d| {
            matches!(d, Design::LatinHypercube { .. } | Design::Sobol { .. })
        }),
        ("trajectories", "design = \"morris\"", |d| {
            matches!(d, Design::Morris { .. })
        }),
        ("levels", "design = \"morris\"", |d| matches!(d, Design::Morris { .. })),
        ("samples", "design = \"sobol_indices\"", |d| {
            matches!(d, Design::SobolIndices { .. })
        }),
    ];
    for (key, designs, allowed) in only {
        match &design {
            Some(d) if !allowed(d) => {
                if let Some(v) = header.get(key) {
                    v.fail(
                        &format!("`{key}` only with {designs}"),
                        &format!("`{key}` with this design"),
                        None,
                    );
                }
            }
            _ => {
                header.has(key);
            }
        }
    }
    let common_random_numbers = header.optional("common_random_numbers", |v| {
        let on = v.boolean()?;
        if !on && design.as_ref().is_some_and(|d| d.common_random_numbers()) {
            v.fail(
                "true, or no `common_random_numbers` (sensitivity designs compare their points on the same random streams)",
                "false",
                None,
            );
            return None;
        }
        Some(on)
    });
    let baseline = header.get("baseline");
    let variance_reduction = header.or("variance_reduction", "off", |v| v.choice(&["off", "control", "auto"]));
    let precision = header.optional("precision", |v| {
        let table = v.table()?;
        let known: Vec<String> = crate::model::metrics::totals().into_iter().map(|m| m.name).collect();
        let mut out = Vec::new();
        for (name, value) in table.entries() {
            if !known.iter().any(|k| k == name) && !name.starts_with("tax_yuan.") {
                let hint = crate::input::nearest(name, known.iter().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`?"));
                value.fail("the name of a metric of `feidi run`", &format!("`{name}`"), hint);
                return None;
            }
            let target = value.number()?;
            if target <= 0.0 {
                value.fail("a confidence half-width above 0", &format!("{target}"), None);
                return None;
            }
            out.push((name.to_string(), target));
        }
        Some(out)
    });
    header.finish();
    let mut design = design?;
    // Tables the design would silently ignore.
    let (unused, wanted) = match design {
        Design::Variants => ("parameter", "[[variant]] tables"),
        _ => ("variant", "[[parameter]] tables"),
    };
    if let Some(v) = root.get(unused) {
        v.fail(
            &format!("{wanted} for design = \"{}\"", design_name(&design)),
            &format!("[[{unused}]] tables, which this design does not use"),
            Some(match design {
                Design::Variants => "list each variant's settings in its `set`, or choose another design".to_string(),
                _ => "use design = \"variants\" for named variants, or remove them".to_string(),
            }),
        );
        return None;
    }
    let parameters = match design {
        Design::Variants => Some(Vec::new()),
        _ => read_parameters(root, &mut design),
    };
    let (parameters, points, variant_spans) = match design {
        Design::Variants => {
            let variants = read_variants(root)?;
            (Some(variants.0), Some(variants.1), variants.2)
        }
        _ => {
            let parameters = parameters?;
            let count = design::count(&design, &parameters);
            if count > MAX_POINTS {
                let grid = matches!(design, Design::Grid);
                root.get("parameter").expect("parameters are present").fail(
                    &format!("at most {MAX_POINTS} design points"),
                    &format!("{count} points in the {}", if grid { "full grid" } else { "design" }),
                    Some(if grid {
                        "use design = \"latin_hypercube\" for many parameters".to_string()
                    } else {
                        "fewer parameters, trajectories or samples".to_string()
                    }),
                );
                return None;
            }
            if let Design::LatinHypercube { points } | Design::Sobol { points } = design {
                let values = points.saturating_mul(parameters.len());
                if values > MAX_VALUES {
                    root.get("parameter").expect("parameters are present").fail(
                        &format!("at most {MAX_VALUES} values in the design (points × parameters)"),
                        &format!("{points} points × {} parameters", parameters.len()),
                        None,
                    );
                    return None;
                }
            }
            // Generated later (`Sweep::generate`), once the work has been judged.
            (Some(parameters), Some(Vec::new()), Vec::new())
        }
    };
    let parameters = parameters?;
    let points = points?;
    let count = match design {
        Design::Variants => points.len(),
        _ => design::count(&design, &parameters),
    };
    let common_random_numbers = match common_random_numbers {
        Some(read) => read?,
        None => !matches!(design, Design::LatinHypercube { .. } | Design::Sobol { .. }),
    };
    let baseline = match baseline {
        None => 0,
        Some(v) if v.is_string() => {
            let name = v.string()?;
            match points.iter().position(|p| p.label == name) {
                Some(p) if matches!(design, Design::Variants) => p,
                _ => {
                    let names: Vec<&str> = points.iter().map(|p| p.label.as_str()).collect();
                    let hint =
                        crate::input::nearest(name, names.iter().copied()).map(|n| format!("did you mean `{n}`?"));
                    v.fail(
                        if matches!(design, Design::Variants) {
                            "the name of a [[variant]] or a point number"
                        } else {
                            "a design point number (0 is the first point)"
                        },
                        &format!("\"{name}\""),
                        hint,
                    );
                    return None;
                }
            }
        }
        Some(v) => v.integer_in(
            0,
            count.saturating_sub(1) as u64,
            "a design point number (0 is the first point)",
        )? as usize,
    };
    let (scenario, scenario_span) = scenario?;
    Some(Sweep {
        name: name?,
        common_random_numbers,
        baseline,
        variance_reduction: variance_reduction?,
        scenario,
        scenario_span,
        count,
        variant_spans,
        replications: replications?,
        precision: precision.unwrap_or(Some(Vec::new()))?,
        seed: seed?,
        design,
        parameters,
        points,
    })
}

/// The design's name as written in a sweep file.
fn design_name(design: &Design) -> &'static str {
    match design {
        Design::Grid => "grid",
        Design::LatinHypercube { .. } => "latin_hypercube",
        Design::Sobol { .. } => "sobol",
        Design::Variants => "variants",
        Design::Oat { .. } => "oat",
        Design::Morris { .. } => "morris",
        Design::SobolIndices { .. } => "sobol_indices",
    }
}

fn key_path(v: &Value<'_, '_>) -> Read<KeyPath> {
    let text = v.string()?;
    match KeyPath::parse(text) {
        Ok(p) => Some(p),
        Err(why) => {
            v.fail(
                "a key path such as \"enclave[0].seats\"",
                &format!("\"{text}\" ({why})"),
                None,
            );
            None
        }
    }
}

fn read_parameters(root: &Table<'_, '_>, design: &mut Design) -> Read<Vec<Parameter>> {
    let tables = root.tables("parameter")?;
    if tables.is_empty() {
        root.missing("parameter", "at least one [[parameter]] to vary");
        return None;
    }
    let method = design.sensitivity_method();
    let mut out = Vec::new();
    let mut bases = Vec::new();
    let mut seen: Vec<KeyPath> = Vec::new();
    for t in &tables {
        let path = t
            .required("path", "the key path of the setting, such as \"enclave[0].seats\"")
            .and_then(|v| {
                let path = key_path(&v)?;
                if seen.contains(&path) {
                    // A second value for one setting would label points with values
                    // that were not simulated.
                    // Recorded, and the reading goes on so that other problems (such as
                    // the design's size) are reported in the same pass.
                    v.fail(
                        "a key path not already varied",
                        &format!("\"{path}\" again"),
                        Some("vary each setting in one [[parameter]]".to_string()),
                    );
                }
                seen.push(path.clone());
                Some((path, v.span()))
            });
        let mut base = None;
        let mut value_spans = Vec::new();
        let values = match design {
            Design::Grid => t
                .required("values", "the values to try, such as [60, 110, 200]")
                .and_then(|v| {
                    let items = v.array()?;
                    if items.is_empty() {
                        v.fail("at least one value", "an empty list", None);
                        return None;
                    }
                    value_spans = items.iter().map(Value::span).collect();
                    Some(Values::List(items.iter().map(|i| i.to_toml()).collect()))
                }),
            _ => {
                if let Some(v) = t.get("values") {
                    let name = match method {
                        Some("sobol") => "sobol_indices",
                        Some(m) => m,
                        None => "latin_hypercube\" or \"sobol",
                    };
                    v.fail(
                        &format!("a range, `min` and `max`, for design = \"{name}\""),
                        "a list of values",
                        Some(
                            "list values belong to design = \"grid\"; give this parameter min = … and max = …"
                                .to_string(),
                        ),
                    );
                }
                if t.has("values") && !t.has("min") && !t.has("max") {
                    // One clear error for a list where a range belongs, not two more
                    // for the missing ends.
                    t.finish();
                    out.push(None);
                    bases.push(None);
                    continue;
                }
                let min = t.required("min", "the lower end of the range").and_then(|v| v.number());
                let max = t.required("max", "the upper end of the range").and_then(|v| v.number());
                let integer = t.or("integer", false, |v| v.boolean());
                let unit = t.optional("unit", |v| v.string().map(str::to_string));
                if matches!(design, Design::Oat { .. }) {
                    base = t.optional("base", |v| {
                        let b = v.number()?;
                        match (min, max) {
                            (Some(lo), Some(hi)) if b < lo || b > hi => {
                                v.fail(
                                    &format!("a base value between min {lo} and max {hi}"),
                                    &format!("{b}"),
                                    None,
                                );
                                None
                            }
                            _ => Some(b),
                        }
                    });
                }
                value_spans = ["min", "max"].map(|end| t.get(end).map_or(0..0, |v| v.span())).to_vec();
                // Whole ends for whole values: a range such as [0.2, 0.4] holds no
                // whole number, and rounding would put values outside it.
                if integer == Some(true) {
                    for (end, x) in [("min", min), ("max", max)] {
                        if let Some(x) = x.filter(|x| x.fract() != 0.0) {
                            t.get(end).expect("the end was read").fail(
                                &format!(
                                    "the {} end of the range (a whole number, as integer = true)",
                                    if end == "min" { "lower" } else { "upper" }
                                ),
                                &format!("{x}"),
                                None,
                            );
                        }
                    }
                }
                let fractional = |x: Option<f64>| x.is_some_and(|x| x.fract() != 0.0);
                match (min, max) {
                    _ if integer == Some(true) && (fractional(min) || fractional(max)) => None,
                    (Some(a), Some(b)) if b < a => {
                        t.get("max").expect("max is present").fail(
                            &format!("a maximum of at least {a}"),
                            &format!("{b}"),
                            None,
                        );
                        None
                    }
                    (Some(min), Some(max)) => Some(Values::Range {
                        min,
                        max,
                        integer: integer?,
                        unit: unit.map_or(Some(None), |u| u.map(Some))?,
                    }),
                    _ => None,
                }
            }
        };
        t.finish();
        // The base value: the middle of the range unless `base` is given.
        let position = match (&values, base) {
            (_, Some(None)) => None,
            (_, Some(Some(b))) => Some(b),
            (Some(Values::Range { min, max, .. }), None) => Some(min + (max - min) / 2.0),
            _ => Some(f64::NAN),
        };
        bases.push(position);
        out.push((|| {
            let (path, path_span) = path?;
            Some(Parameter {
                path,
                values: values?,
                path_span,
                value_spans,
            })
        })());
    }
    let parameters: Vec<Parameter> = out.into_iter().collect::<Read<_>>()?;
    match design {
        Design::Oat { base } => *base = bases.into_iter().collect::<Read<_>>()?,
        Design::SobolIndices { .. } if parameters.len() > crate::analysis::sobol::MAX_PARAMETERS => {
            root.get("parameter").expect("parameters are present").fail(
                &format!(
                    "at most {} parameters for design = \"sobol_indices\"",
                    crate::analysis::sobol::MAX_PARAMETERS
                ),
                &format!("{} parameters", parameters.len()),
                None,
            );
            return None;
        }
        _ => {}
    }
    Some(parameters)
}

/// A variant's name, the (parameter index, value, span) of each setting, and the span
/// of its `set` table.
type NamedSettings = (String, Vec<(usize, toml::Value, Range<usize>)>, Range<usize>);

/// Spans of each variant's `set` table and of its settings, by parameter index.
pub type VariantSpans = Vec<(Range<usize>, Vec<Option<Range<usize>>>)>;

fn read_variants(root: &Table<'_, '_>) -> Read<(Vec<Parameter>, Vec<Point>, VariantSpans)> {
    let tables = root.tables("variant")?;
    if tables.is_empty() {
        root.missing(
            "variant",
            "at least one [[variant]] with a name and the settings it changes",
        );
        return None;
    }
    let mut paths: Vec<(KeyPath, Range<usize>)> = Vec::new();
    let mut sets: Vec<Read<NamedSettings>> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for t in &tables {
        let name = t.required("name", "the variant's name").and_then(|v| {
            let name = v.string()?;
            if name.trim().is_empty() {
                v.fail("a variant name that is not empty", &format!("\"{name}\""), None);
                return None;
            }
            if names.iter().any(|n| n == name) {
                v.fail("a unique variant name", &format!("\"{name}\" again"), None);
                return None;
            }
            names.push(name.to_string());
            Some(name.to_string())
        });
        let set = t
            .required("set", "the settings it changes, such as { \"enclave[0].seats\" = 60 }")
            .and_then(|v| {
                let table = v.table()?;
                let mut pairs = Vec::new();
                for (key, value) in table.entries() {
                    let path = match KeyPath::parse(key) {
                        Ok(p) => p,
                        Err(why) => {
                            value.fail(
                                "a key path such as \"enclave[0].seats\"",
                                &format!("\"{key}\" ({why})"),
                                None,
                            );
                            return None;
                        }
                    };
                    let index = paths.iter().position(|(p, _)| *p == path).unwrap_or_else(|| {
                        paths.push((path, value.span()));
                        paths.len() - 1
                    });
                    pairs.push((index, value.to_toml(), value.span()));
                }
                Some((pairs, v.span()))
            });
        t.finish();
        sets.push((|| {
            let (pairs, span) = set?;
            Some((name?, pairs, span))
        })());
    }
    let sets: Vec<NamedSettings> = sets.into_iter().collect::<Read<_>>()?;
    let parameters: Vec<Parameter> = paths
        .into_iter()
        .map(|(path, path_span)| Parameter {
            path,
            values: Values::List(Vec::new()),
            path_span,
            value_spans: Vec::new(),
        })
        .collect();
    let mut spans = Vec::new();
    let points = sets
        .into_iter()
        .map(|(label, pairs, set_span)| {
            let mut values = vec![None; parameters.len()];
            let mut at = vec![None; parameters.len()];
            for (i, v, span) in pairs {
                values[i] = Some(v);
                at[i] = Some(span);
            }
            spans.push((set_span, at));
            Point { label, values }
        })
        .collect();
    Some((parameters, points, spans))
}
