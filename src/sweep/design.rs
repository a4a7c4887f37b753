//! Design points: the full grid of listed values, a Latin hypercube or Sobol sample over
//! ranges, or a sensitivity design (one-at-a-time, Morris, Saltelli) from
//! [`crate::analysis`] mapped onto the ranges.

use super::{Design, Parameter, Point, Values};
use crate::analysis::{morris, oat, sobol};
use crate::engine::rng::open01;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};

/// The points of `design` over `parameters`. The Latin hypercube draws from its own
/// ChaCha8 stream of `seed`, apart from every replication's streams.
pub fn points(design: &Design, parameters: &[Parameter], seed: u64) -> Vec<Point> {
    match design {
        Design::Grid => grid(parameters),
        Design::LatinHypercube { points } => latin_hypercube(parameters, *points, seed),
        Design::Sobol { points } => sobol(parameters, *points, seed),
        Design::Variants => Vec::new(),
        Design::Oat { base } => {
            // The order of `oat::design`: the base point, then each parameter at its low
            // and its high end. Base values are written as given (not via a position in
            // the range, which would turn -0.3 into -0.30000000000000004).
            let base: Vec<_> = parameters.iter().zip(base).map(|(p, &b)| value(&p.values, b)).collect();
            let mut points = vec![Point {
                label: "base".to_string(),
                values: base.clone(),
            }];
            for (i, p) in parameters.iter().enumerate() {
                for (end, name) in [(0.0, "low"), (1.0, "high")] {
                    let mut values = base.clone();
                    values[i] = at(&p.values, end);
                    points.push(Point {
                        label: format!("{} {name}", p.path),
                        values,
                    });
                }
            }
            debug_assert_eq!(points.len(), oat::points(parameters.len()));
            points
        }
        Design::Morris { trajectories, levels } => {
            let k = parameters.len();
            // The reader allows only an even number of levels, so the design exists.
            let unit = morris::design(k, *trajectories, *levels, seed).map_or_else(|_| Vec::new(), |d| d.points);
            let labels = (0..unit.len())
                .map(|n| format!("t{} s{}", n / (k + 1), n % (k + 1)))
                .collect();
            on_ranges(parameters, &unit, labels)
        }
        Design::SobolIndices { samples } => {
            let k = parameters.len();
            // The reader bounds k and N, so the design exists.
            let unit = sobol::design(k, *samples, seed).unwrap_or_default();
            let labels = (0..unit.len())
                .map(|n| {
                    let (j, m) = (n / (k + 2), n % (k + 2));
                    match m {
                        0 => format!("A {j}"),
                        1 => format!("B {j}"),
                        i => format!("AB{} {j}", i - 2),
                    }
                })
                .collect();
            on_ranges(parameters, &unit, labels)
        }
    }
}

/// How many points `design` has over `parameters`, without generating them.
pub fn count(design: &Design, parameters: &[Parameter]) -> usize {
    let k = parameters.len();
    match design {
        Design::Grid => parameters
            .iter()
            .map(|p| match &p.values {
                Values::List(v) => v.len(),
                Values::Range { .. } => 0,
            })
            .fold(1usize, |a, b| a.saturating_mul(b)),
        Design::LatinHypercube { points } | Design::Sobol { points } => *points,
        Design::Variants => 0,
        Design::Oat { .. } => oat::points(k),
        Design::Morris { trajectories, .. } => trajectories.saturating_mul(k + 1),
        Design::SobolIndices { samples } => samples.saturating_mul(k + 2),
    }
}

/// Points at unit-hypercube positions `unit` (one coordinate per parameter), mapped onto
/// the parameters' ranges.
fn on_ranges(parameters: &[Parameter], unit: &[Vec<f64>], labels: Vec<String>) -> Vec<Point> {
    unit.iter()
        .zip(labels)
        .map(|(u, label)| Point {
            label,
            values: parameters.iter().zip(u).map(|(p, &x)| at(&p.values, x)).collect(),
        })
        .collect()
}

fn grid(parameters: &[Parameter]) -> Vec<Point> {
    let lists: Vec<&[toml::Value]> = parameters
        .iter()
        .map(|p| match &p.values {
            Values::List(v) => v.as_slice(),
            Values::Range { .. } => &[],
        })
        .collect();
    let total = lists.iter().map(|l| l.len()).product::<usize>();
    // The first parameter varies slowest, as in a nested loop written in file order.
    (0..total)
        .map(|n| {
            let mut rest = n;
            let mut values = vec![None; lists.len()];
            for (i, list) in lists.iter().enumerate().rev() {
                values[i] = Some(list[rest % list.len()].clone());
                rest /= list.len();
            }
            Point {
                label: format!("{n}"),
                values,
            }
        })
        .collect()
}

fn latin_hypercube(parameters: &[Parameter], n: usize, seed: u64) -> Vec<Point> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Stream u64::MAX is never a replication's: those pack a point below 2^24 in the top bits.
    rng.set_stream(u64::MAX);
    let mut columns = Vec::with_capacity(parameters.len());
    for p in parameters {
        if !matches!(p.values, Values::Range { .. }) {
            columns.push(vec![None; n]);
            continue;
        }
        // One value in each of n equal strata, the strata in random order.
        let mut order: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (rng.next_u64() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let column = order
            .iter()
            .map(|&stratum| at(&p.values, (stratum as f64 + open01(rng.next_u64())) / n as f64))
            .collect();
        columns.push(column);
    }
    (0..n)
        .map(|i| Point {
            label: format!("{i}"),
            values: columns.iter().map(|c| c[i].clone()).collect(),
        })
        .collect()
}

/// A value of a range parameter at position `u` in [0, 1] (1 gives the maximum).
fn at(values: &Values, u: f64) -> Option<toml::Value> {
    let Values::Range { min, max, .. } = values else {
        return None;
    };
    value(values, min + u * (max - min))
}

/// The value `x` of a range parameter, rounded and with its unit as the parameter asks.
pub(super) fn value(values: &Values, x: f64) -> Option<toml::Value> {
    let Values::Range { integer, unit, .. } = values else {
        return None;
    };
    let x = if *integer { x.round() } else { x };
    Some(match unit {
        Some(u) => toml::Value::String(format!("{x} {u}")),
        None if *integer => toml::Value::Integer(x as i64),
        None => toml::Value::Float(x),
    })
}

fn sobol(parameters: &[Parameter], n: usize, seed: u64) -> Vec<Point> {
    // The scramble seed is the sweep's seed folded to 32 bits; dimension d is parameter d.
    let scramble = (seed ^ (seed >> 32)) as u32;
    (0..n)
        .map(|i| Point {
            label: format!("{i}"),
            values: parameters
                .iter()
                .enumerate()
                .map(|(d, p)| at(&p.values, sobol_burley::sample(i as u32, d as u32, scramble) as f64))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::KeyPath;
    use super::*;

    fn range(min: f64, max: f64) -> Parameter {
        Parameter {
            path: KeyPath::parse("x").unwrap(),
            values: Values::Range {
                min,
                max,
                integer: false,
                unit: None,
            },
            path_span: 0..0,
            value_spans: Vec::new(),
        }
    }

    #[test]
    fn grid_enumerates_every_combination_first_parameter_slowest() {
        let list = |v: &[i64]| Parameter {
            path: KeyPath::parse("x").unwrap(),
            values: Values::List(v.iter().map(|&i| toml::Value::Integer(i)).collect()),
            path_span: 0..0,
            value_spans: Vec::new(),
        };
        let points = grid(&[list(&[1, 2]), list(&[10, 20, 30])]);
        assert_eq!(points.len(), 6);
        let first: Vec<i64> = points
            .iter()
            .map(|p| p.values[0].as_ref().unwrap().as_integer().unwrap())
            .collect();
        assert_eq!(first, [1, 1, 1, 2, 2, 2]);
    }

    #[test]
    fn sobol_points_fill_each_quarter_evenly() {
        let points = sobol(&[range(0.0, 1.0), range(0.0, 1.0)], 64, 7);
        for d in 0..2 {
            let mut quarters = [0; 4];
            for p in &points {
                quarters[(p.values[d].as_ref().unwrap().as_float().unwrap() * 4.0) as usize] += 1;
            }
            assert_eq!(quarters, [16; 4], "dimension {d}");
        }
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_each_stratum() {
        let n = 50;
        let points = latin_hypercube(&[range(0.0, 100.0), range(5.0, 6.0)], n, 9);
        for (p, (lo, width)) in [(0.0, 100.0), (5.0, 1.0)].iter().enumerate() {
            let mut strata: Vec<usize> = points
                .iter()
                .map(|pt| ((pt.values[p].as_ref().unwrap().as_float().unwrap() - lo) / width * n as f64) as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n).collect::<Vec<_>>());
        }
        assert_eq!(
            latin_hypercube(&[range(0.0, 1.0)], 5, 9),
            latin_hypercube(&[range(0.0, 1.0)], 5, 9)
        );
    }
}
