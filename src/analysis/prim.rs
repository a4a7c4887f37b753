//! Scenario discovery with PRIM, the patient rule induction method (J. H. Friedman &
//! N. I. Fisher 1999, "Bump hunting in high-dimensional data", Statistics and Computing
//! 9(2):123–143), as used for scenario discovery by Bryant & Lempert (2010,
//! Technological Forecasting & Social Change 77(1)).
//!
//! Given design points (a value per parameter) and which of them meet a condition (the
//! "cases of interest"), PRIM looks for a box — a range per parameter — that holds many
//! cases of interest (coverage: the share of all cases of interest inside the box) and
//! few others (density: the share of the points inside the box that are cases of
//! interest). It starts from the box around every point and *peels*: at each step it
//! removes a slice of about `alpha` of the points in the box from the low or high end
//! of one parameter, choosing the slice whose removal leaves the highest density, until
//! the box would hold fewer than `min_support` of all points. Each step trades coverage
//! for density; the sequence of boxes is the peeling trajectory. Optional *pasting*
//! then widens the chosen box again one slice at a time while that raises its density.
//! *Covering* finds further boxes among the points outside the first ones.

/// PRIM's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// Share of the box's points removed by one peel (Friedman & Fisher suggest
    /// 0.05–0.10).
    pub alpha: f64,
    /// Smallest share of all points a box may hold; peeling stops before going below.
    pub min_support: f64,
    /// The chosen box is the densest on the trajectory among those with at least this
    /// coverage.
    pub min_coverage: f64,
    /// Whether to paste after peeling.
    pub paste: bool,
    /// Most boxes to find by covering (1 for one box).
    pub boxes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            alpha: 0.05,
            min_support: 0.05,
            min_coverage: 0.5,
            paste: false,
            boxes: 1,
        }
    }
}

/// A box: an inclusive range `(min, max)` per parameter.
pub type Limits = Vec<(f64, f64)>;

/// A box with its statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The range of each parameter.
    pub limits: Limits,
    /// Share of all cases of interest inside the box.
    pub coverage: f64,
    /// Share of the points inside the box that are cases of interest.
    pub density: f64,
    /// Number of points inside the box.
    pub points: usize,
}

/// The result of PRIM.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    /// Share of all points that are cases of interest.
    pub base_density: f64,
    /// The range of each parameter over all points (a box limit equal to it is no
    /// restriction).
    pub bounds: Limits,
    /// The boxes found, the first one chosen from the trajectory (and pasted if asked),
    /// each further one by covering the points outside the earlier ones.
    pub boxes: Vec<Found>,
    /// The peeling trajectory of the first box, from the box around every point.
    pub trajectory: Vec<Found>,
}

/// Runs PRIM on `x` (one row of parameter values per point) and `interest` (whether each
/// point is a case of interest). Errors on mismatched or empty input, non-finite values
/// or settings out of range.
pub fn discover(x: &[Vec<f64>], interest: &[bool], settings: Settings) -> Result<Discovery, String> {
    if x.is_empty() || x.len() != interest.len() {
        return Err(format!(
            "PRIM needs one outcome per point: {} points, {} outcomes",
            x.len(),
            interest.len()
        ));
    }
    let k = x[0].len();
    if k == 0 || x.iter().any(|row| row.len() != k || row.iter().any(|v| !v.is_finite())) {
        return Err("PRIM needs the same number of finite parameter values for every point".to_string());
    }
    if !(settings.alpha > 0.0 && settings.alpha < 0.5) {
        return Err(format!("alpha must lie between 0 and 0.5, found {}", settings.alpha));
    }
    if !(0.0..1.0).contains(&settings.min_support) || !(0.0..=1.0).contains(&settings.min_coverage) {
        return Err("min_support must lie in [0, 1) and min_coverage in [0, 1]".to_string());
    }
    let total_interest = interest.iter().filter(|&&b| b).count();
    let n = x.len();
    let bounds: Limits = (0..k)
        .map(|d| {
            x.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
                (lo.min(r[d]), hi.max(r[d]))
            })
        })
        .collect();
    let stats = |limits: &Limits, pool: &[usize]| -> Found {
        let inside: Vec<usize> = pool.iter().copied().filter(|&p| contains(limits, &x[p])).collect();
        let hits = inside.iter().filter(|&&p| interest[p]).count();
        Found {
            limits: limits.clone(),
            coverage: if total_interest > 0 {
                hits as f64 / total_interest as f64
            } else {
                0.0
            },
            density: if inside.is_empty() {
                0.0
            } else {
                hits as f64 / inside.len() as f64
            },
            points: inside.len(),
        }
    };
    let mut pool: Vec<usize> = (0..n).collect();
    let mut boxes = Vec::new();
    let mut trajectory = Vec::new();
    while boxes.len() < settings.boxes.max(1) {
        if !pool.iter().any(|&p| interest[p]) {
            break;
        }
        let path = peel(x, interest, &pool, &bounds, n, settings);
        let steps: Vec<Found> = path.iter().map(|l| stats(l, &pool)).collect();
        // The densest box with enough coverage; the earliest (widest) among equals.
        let mut chosen = 0;
        for (i, s) in steps.iter().enumerate() {
            if s.coverage >= settings.min_coverage && s.density > steps[chosen].density {
                chosen = i;
            }
        }
        let mut limits = steps[chosen].limits.clone();
        if settings.paste {
            limits = paste(x, interest, &pool, limits, &bounds, settings.alpha);
        }
        let found = stats(&limits, &pool);
        let pool_density = pool.iter().filter(|&&p| interest[p]).count() as f64 / pool.len() as f64;
        if boxes.is_empty() {
            trajectory = steps;
        } else if found.density <= pool_density {
            // A further box no denser than what is left describes nothing.
            break;
        }
        pool.retain(|&p| !contains(&limits, &x[p]));
        boxes.push(found);
        if pool.is_empty() {
            break;
        }
    }
    Ok(Discovery {
        base_density: total_interest as f64 / n as f64,
        bounds,
        boxes,
        trajectory,
    })
}

fn contains(limits: &Limits, row: &[f64]) -> bool {
    limits.iter().zip(row).all(|(&(lo, hi), &v)| lo <= v && v <= hi)
}

/// The peeling trajectory over the points in `pool`: the box around them, then each
/// peeled box in turn.
// `d` indexes the columns of every row of `x`, not `x` itself.
#[allow(clippy::needless_range_loop)]
fn peel(x: &[Vec<f64>], interest: &[bool], pool: &[usize], bounds: &Limits, n: usize, s: Settings) -> Vec<Limits> {
    let mut limits = bounds.clone();
    let mut inside: Vec<usize> = pool.to_vec();
    let mut path = vec![limits.clone()];
    let min_points = (s.min_support * n as f64).ceil() as usize;
    loop {
        let hits = inside.iter().filter(|&&p| interest[p]).count();
        if hits == inside.len() {
            break; // density 1: peeling can only lose coverage
        }
        let m = ((s.alpha * inside.len() as f64).floor() as usize).max(1);
        // (density, points left, parameter, high end?, new limit), best so far.
        let mut best: Option<(f64, usize, usize, bool, f64)> = None;
        for d in 0..limits.len() {
            let mut values: Vec<f64> = inside.iter().map(|&p| x[p][d]).collect();
            values.sort_by(f64::total_cmp);
            let (first, last) = (values[0], values[values.len() - 1]);
            if first == last {
                continue;
            }
            // Low end: keep values ≥ the (m+1)-th smallest, at least one value removed.
            let low_cut = values
                .get(m)
                .copied()
                .filter(|&v| v > first)
                .unwrap_or_else(|| values.iter().copied().find(|&v| v > first).unwrap_or(last));
            let high_cut = values
                .get(values.len().wrapping_sub(m + 1))
                .copied()
                .filter(|&v| v < last)
                .unwrap_or_else(|| values.iter().rev().copied().find(|&v| v < last).unwrap_or(first));
            for (high, cut) in [(false, low_cut), (true, high_cut)] {
                let keep = |p: &usize| if high { x[*p][d] <= cut } else { x[*p][d] >= cut };
                let left: Vec<&usize> = inside.iter().filter(|p| keep(p)).collect();
                if left.len() < min_points.max(1) {
                    continue;
                }
                let density = left.iter().filter(|&&&p| interest[p]).count() as f64 / left.len() as f64;
                let better = match best {
                    None => true,
                    Some((bd, bn, ..)) => density > bd || (density == bd && left.len() > bn),
                };
                if better {
                    best = Some((density, left.len(), d, high, cut));
                }
            }
        }
        let Some((_, _, d, high, cut)) = best else { break };
        if high {
            limits[d].1 = cut;
        } else {
            limits[d].0 = cut;
        }
        inside.retain(|&p| contains(&limits, &x[p]));
        path.push(limits.clone());
    }
    path
}

/// Widens `limits` one slice at a time (about `alpha` of the box's points, from the
/// points just outside one side of one parameter) while that raises the density.
fn paste(x: &[Vec<f64>], interest: &[bool], pool: &[usize], mut limits: Limits, bounds: &Limits, alpha: f64) -> Limits {
    let density = |l: &Limits| {
        let inside: Vec<usize> = pool.iter().copied().filter(|&p| contains(l, &x[p])).collect();
        let hits = inside.iter().filter(|&&p| interest[p]).count();
        (hits as f64 / inside.len().max(1) as f64, inside.len())
    };
    loop {
        let (now, count) = density(&limits);
        let m = ((alpha * count as f64).floor() as usize).max(1);
        let mut best: Option<(f64, Limits)> = None;
        for (d, side) in limits.iter().enumerate() {
            for high in [false, true] {
                // Points inside the box on every other parameter, beyond this side.
                let mut beyond: Vec<f64> = pool
                    .iter()
                    .filter(|&&p| {
                        let v = x[p][d];
                        let outside = if high { v > side.1 } else { v < side.0 };
                        outside
                            && limits
                                .iter()
                                .enumerate()
                                .all(|(e, &(lo, hi))| e == d || (lo <= x[p][e] && x[p][e] <= hi))
                    })
                    .map(|&p| x[p][d])
                    .collect();
                if beyond.is_empty() {
                    continue;
                }
                beyond.sort_by(f64::total_cmp);
                if high {
                    beyond.reverse();
                }
                // Take the m nearest (and any tied with the m-th).
                let edge = beyond[beyond.len().min(m) - 1];
                let mut wider = limits.clone();
                if high {
                    wider[d].1 = edge.min(bounds[d].1);
                } else {
                    wider[d].0 = edge.max(bounds[d].0);
                }
                let (dens, _) = density(&wider);
                if dens > now && best.as_ref().is_none_or(|(b, _)| dens > *b) {
                    best = Some((dens, wider));
                }
            }
        }
        match best {
            Some((_, wider)) => limits = wider,
            None => return limits,
        }
    }
}
