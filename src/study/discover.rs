//! `feidi discover DIR --where "landing_rate >= 0.3"`: scenario discovery with PRIM over
//! a finished sweep's points.csv (read with `results::points`).

use super::Error;
use crate::analysis::prim;
use crate::results::discovery::{BoxFound, DiscoveryFile, DiscoverySettings, Range, TrajectoryStep};
use crate::results::points::PointsTable;
use crate::results::ResultFile;
use std::path::{Path, PathBuf};

/// What to discover in a finished sweep.
#[derive(Clone, Debug)]
pub struct DiscoverRequest {
    /// A finished sweep's results directory (with points.csv).
    pub dir: PathBuf,
    /// Conditions on a metric's mean per design point, such as "landing_rate >= 0.3";
    /// all must hold. A column of points.csv such as "landing_rate.p95" may be named.
    pub conditions: Vec<String>,
    /// Share of the box's points removed by each peel.
    pub alpha: f64,
    /// Smallest share of all points a box may hold.
    pub min_support: f64,
    /// The box shown is the densest with at least this coverage.
    pub min_coverage: f64,
    /// Widen the chosen box again while that raises its density (pasting).
    pub paste: bool,
    /// Most boxes to find (each further one among the points outside the earlier ones).
    pub boxes: usize,
}

/// A finished discovery.
pub struct DiscoverOutcome {
    /// The boxes as the terminal shows them.
    pub table: String,
    /// discovery.json's path.
    pub file: PathBuf,
}

/// A parsed `--where` condition.
struct Condition {
    text: String,
    column: usize,
    op: &'static str,
    value: f64,
}

impl Condition {
    fn parse(text: &str, table: &PointsTable) -> Result<Condition, Error> {
        let bad = |why: String| {
            Error::Input(format!(
                "condition \"{text}\": {why}; write a metric, an operator (>=, <=, >, <) and a number, such as \"landing_rate >= 0.3\""
            ))
        };
        let at = text
            .find(['<', '>', '='])
            .ok_or_else(|| bad("no comparison operator".to_string()))?;
        let rest = &text[at..];
        let op = ["<=", ">=", "<", ">"]
            .into_iter()
            .find(|o| rest.starts_with(o))
            .ok_or_else(|| {
                bad(format!(
                    "`{}` is not an operator",
                    rest.chars().take(2).collect::<String>()
                ))
            })?;
        let name = text[..at].trim();
        let number = rest[op.len()..].trim();
        if name.is_empty() {
            return Err(bad("the metric is missing".to_string()));
        }
        let value: f64 = number
            .replace('_', "")
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| bad(format!("`{number}` is not a number")))?;
        let column = table
            .column(&format!("{name}.mean"))
            .or_else(|| table.column(name).filter(|&c| c >= table.parameters.end))
            .ok_or_else(|| {
                let metrics = table.metrics();
                let hint = crate::scenario::nearest(name, metrics.iter().copied())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                bad(format!("points.csv has no metric `{name}`{hint}"))
            })?;
        Ok(Condition {
            text: format!("{name} {op} {number}"),
            column,
            op,
            value,
        })
    }

    fn holds(&self, row: &[String]) -> bool {
        let x = crate::results::points::leading_number(&row[self.column]);
        match self.op {
            "<=" => x <= self.value,
            ">=" => x >= self.value,
            "<" => x < self.value,
            _ => x > self.value,
        }
    }
}

/// Finds the region of the sweep's parameters where the conditions hold (PRIM), and
/// writes discovery.json beside points.csv.
pub fn discover(request: &DiscoverRequest) -> Result<DiscoverOutcome, Error> {
    let args = request;
    // Only a finished sweep's points, as its manifest records them.
    crate::results::complete::check(&args.dir).map_err(|e| {
        Error::Input(format!(
            "{e}; discovery needs the results directory of a finished sweep"
        ))
    })?;
    let path = args.dir.join("points.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::Input(format!(
            "{}: cannot read it ({e}); discovery needs the results directory of a finished sweep",
            path.display()
        ))
    })?;
    let table = PointsTable::parse(&text).map_err(|why| Error::Input(format!("{}: {why}", path.display())))?;
    let conditions: Vec<Condition> = args
        .conditions
        .iter()
        .map(|c| Condition::parse(c, &table))
        .collect::<Result<_, _>>()?;
    // The varied parameters that are numbers at every point.
    let mut names = Vec::new();
    let mut columns = Vec::new();
    let mut skipped = Vec::new();
    for c in table.parameters.clone() {
        let values = table.numbers(c);
        // Key paths, whether or not the header carries the values' unit.
        let name = table.parameter_path(c).to_string();
        if values.iter().all(|v| v.is_finite()) {
            names.push(name);
            columns.push(values);
        } else {
            skipped.push(name);
        }
    }
    if names.is_empty() {
        return Err(Error::Input(format!(
            "{}: no varied parameter has a number at every point (a variants sweep?); PRIM needs numeric parameters",
            path.display()
        )));
    }
    let x: Vec<Vec<f64>> = (0..table.rows.len())
        .map(|r| columns.iter().map(|c| c[r]).collect())
        .collect();
    let interest: Vec<bool> = table
        .rows
        .iter()
        .map(|row| conditions.iter().all(|c| c.holds(row)))
        .collect();
    let hits = interest.iter().filter(|&&b| b).count();
    let described = conditions
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" and ");
    if hits == 0 {
        return Err(Error::Input(format!(
            "no design point of {} meets {described}; there is no region to describe (loosen the conditions)",
            path.display()
        )));
    }
    let settings = prim::Settings {
        alpha: args.alpha,
        min_support: args.min_support,
        min_coverage: args.min_coverage,
        paste: args.paste,
        boxes: args.boxes,
    };
    let found = prim::discover(&x, &interest, settings).map_err(Error::Input)?;
    let limits = |b: &prim::Found| -> Vec<(usize, f64, f64)> {
        b.limits
            .iter()
            .enumerate()
            .filter(|(d, l)| **l != found.bounds[*d])
            .map(|(d, &(lo, hi))| (d, lo, hi))
            .collect()
    };
    let range = |d: usize, (min, max): (f64, f64)| Range {
        max,
        min,
        parameter: names[d].clone(),
    };
    let file = DiscoveryFile {
        base_density: found.base_density,
        boxes: found
            .boxes
            .iter()
            .map(|b| BoxFound {
                coverage: b.coverage,
                density: b.density,
                limits: limits(b).iter().map(|&(d, lo, hi)| range(d, (lo, hi))).collect(),
                points: b.points,
            })
            .collect(),
        conditions: conditions.iter().map(|c| c.text.clone()).collect(),
        parameters: found.bounds.iter().enumerate().map(|(d, &b)| range(d, b)).collect(),
        points: table.rows.len(),
        settings: DiscoverySettings {
            alpha: args.alpha,
            min_coverage: args.min_coverage,
            min_support: args.min_support,
            paste: args.paste,
        },
        trajectory: found
            .trajectory
            .iter()
            .map(|b| TrajectoryStep {
                coverage: b.coverage,
                density: b.density,
            })
            .collect(),
    };
    let out = args.dir.join(DiscoveryFile::NAME);
    let _lock = super::open_output_dir(&args.dir, "feidi discover")?;
    file.write(&args.dir)
        .map_err(|e| Error::Failed(format!("cannot write {}: {e}", out.display())))?;
    Ok(DiscoverOutcome {
        table: report(&table, &names, &skipped, &described, hits, &found, &out),
        file: out,
    })
}

fn report(
    table: &PointsTable,
    names: &[String],
    skipped: &[String],
    described: &str,
    hits: usize,
    found: &prim::Discovery,
    out: &Path,
) -> String {
    let n = table.rows.len();
    let mut text = format!(
        "{hits} of {n} design points ({:.1} %) meet {described}; PRIM over {} parameters\n",
        100.0 * found.base_density,
        names.len()
    );
    if !skipped.is_empty() {
        text.push_str(&format!(
            "(left out, not numbers at every point: {})\n",
            skipped.join(", ")
        ));
    }
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(9).max(9);
    for (i, b) in found.boxes.iter().enumerate() {
        text.push_str(&format!(
            "\nbox {}: coverage {:.2} (share of those points inside), density {:.2} (share inside that meet it), {} points\n",
            i + 1,
            b.coverage,
            b.density,
            b.points
        ));
        text.push_str(&format!(
            "  {:<width$}  {:>14}  {:>14}  {:>6}    {}\n",
            "parameter", "box min", "box max", "kept", "sweep range"
        ));
        let mut any = false;
        for (d, name) in names.iter().enumerate() {
            let (lo, hi) = b.limits[d];
            let (blo, bhi) = found.bounds[d];
            if (lo, hi) == (blo, bhi) {
                continue;
            }
            any = true;
            // The share of the sweep's range the box keeps: near 100 % is a weak restriction.
            let kept = if bhi > blo { (hi - lo) / (bhi - blo) } else { 1.0 };
            text.push_str(&format!(
                "  {name:<width$}  {:>14}  {:>14}  {:>5.0}%    {} – {}\n",
                crate::results::figure(lo),
                crate::results::figure(hi),
                100.0 * kept,
                crate::results::figure(blo),
                crate::results::figure(bhi)
            ));
        }
        if !any {
            text.push_str("  (no restriction: the whole sweep)\n");
        }
    }
    text.push_str(&format!(
        "peeling trajectory of box 1: {} boxes from coverage 1.00 density {:.2} to coverage {:.2} density {:.2}; written to {}\n",
        found.trajectory.len(),
        found.trajectory.first().map_or(0.0, |b| b.density),
        found.trajectory.last().map_or(0.0, |b| b.coverage),
        found.trajectory.last().map_or(0.0, |b| b.density),
        out.display()
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_table_finds_parameters_and_conditions() {
        let text =
            "point,label,replications,enclave[0].seats,stage[2].duration,landing_rate.mean,landing_rate.ci_low\n\
                    0,0,10,60,18 months,0.25,0.2\n1,1,10,110,6.5 months,0.35,0.3\n";
        let t = PointsTable::parse(text).unwrap();
        assert_eq!(t.parameters, 3..5);
        assert_eq!(t.numbers(4), [18.0, 6.5]);
        let c = Condition::parse("landing_rate>=0.3", &t).unwrap();
        assert_eq!((c.holds(&t.rows[0]), c.holds(&t.rows[1])), (false, true));
        for bad in [
            "landing_rat >= 0.3",
            "landing_rate = 0.3",
            "landing_rate >= x",
            ">= 3",
            "landing_rate",
        ] {
            assert!(matches!(Condition::parse(bad, &t), Err(Error::Input(_))), "{bad}");
        }
        let Err(Error::Input(m)) = Condition::parse("landing_rat >= 0.3", &t) else {
            unreachable!()
        };
        assert!(m.contains("did you mean `landing_rate`?"), "{m}");
    }
}
