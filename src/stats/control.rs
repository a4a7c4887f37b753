//! Control variates: a metric's mean adjusted by its regression on controls whose mean
//! is known (zero here), with the interval of the regression's intercept.
//!
//! For `n` replications of a metric `y` and `q` controls `c` (each of known mean 0), the
//! estimator is `ȳ − βᵀc̄`, with `β` the least-squares slope of `y` on `c` estimated from
//! the same replications. Its standard error is `s·√(1/n + c̄ᵀS⁻¹c̄)`, with `S` the centred
//! sums of squares and products of the controls and `s²` the residual variance on
//! `n − 1 − q` degrees of freedom; the interval uses Student t on those degrees of
//! freedom, exact when `y` and `c` are jointly normal (Lavenberg & Welch 1981), so
//! estimating `β` costs `q` degrees of freedom and a factor `1 + c̄ᵀS⁻¹c̄` rather than
//! honesty. Everything is computed from streaming co-moments that merge in a fixed order,
//! so the figures are the same bits however the replications were split.

/// Running means and centred co-moments of a vector `(y, c₁, …, c_q)`: Welford's update
/// and Chan's merge in several dimensions.
#[derive(Clone, Debug, PartialEq)]
pub struct CoMoments {
    n: u64,
    mean: Vec<f64>,
    /// Centred sums of products, `dim × dim`, row-major; only `i ≤ j` is kept up to date.
    co: Vec<f64>,
}

/// A control is left out when less than this share of its spread is left once the
/// controls before it are accounted for (it then adds nothing but noise), and always when
/// it never varied.
const COLLINEAR: f64 = 1e-9;

/// The most numbers a vector may have: a metric and its controls, or a difference and
/// both alternatives' controls.
pub const MAX_DIM: usize = 32;

impl CoMoments {
    /// Empty moments of vectors of `dim` numbers (the metric first, then the controls),
    /// at most [`MAX_DIM`].
    pub fn new(dim: usize) -> Self {
        assert!(dim <= MAX_DIM, "at most {MAX_DIM} numbers per vector");
        CoMoments {
            n: 0,
            mean: vec![0.0; dim],
            co: vec![0.0; dim * dim],
        }
    }

    /// Number of vectors.
    pub fn count(&self) -> u64 {
        self.n
    }

    fn dim(&self) -> usize {
        self.mean.len()
    }

    /// Adds a vector whose first number is the metric and the rest its controls.
    pub fn push(&mut self, x: &[f64]) {
        debug_assert_eq!(x.len(), self.dim());
        let d = self.dim();
        self.n += 1;
        let n = self.n as f64;
        // The deviations before and after the mean moves: their outer product is the
        // exact increment of the centred sums (Welford).
        let mut before = [0.0; MAX_DIM];
        for ((b, &xi), mean) in before.iter_mut().zip(x).zip(&mut self.mean) {
            *b = xi - *mean;
            *mean += *b / n;
        }
        for (i, (&xi, &mean)) in x.iter().zip(&self.mean).enumerate() {
            let after = xi - mean;
            // before_j · after_i = before_i · after_j (both (n−1)/n · δᵢδⱼ).
            for (co, &b) in self.co[i * d + i..(i + 1) * d].iter_mut().zip(&before[i..d]) {
                *co += b * after;
            }
        }
    }

    /// Folds in the moments of later vectors.
    pub fn merge(&mut self, other: &CoMoments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            self.clone_from(other);
            return;
        }
        let d = self.dim();
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta: Vec<f64> = (0..d).map(|i| other.mean[i] - self.mean[i]).collect();
        for (i, &di) in delta.iter().enumerate() {
            let row = i * d + i..(i + 1) * d;
            for ((co, &later), &dj) in self.co[row.clone()].iter_mut().zip(&other.co[row]).zip(&delta[i..]) {
                *co += later + di * dj * na * nb / n;
            }
        }
        for (mean, &di) in self.mean.iter_mut().zip(&delta) {
            *mean += di * nb / n;
        }
        self.n += other.n;
    }

    fn co(&self, i: usize, j: usize) -> f64 {
        let (i, j) = if i <= j { (i, j) } else { (j, i) };
        self.co[i * self.dim() + j]
    }

    /// The plain Monte Carlo mean and its Student t interval at `confidence`, the same
    /// formula as [`super::Moments::interval`]: `(mean, half-width)`, NaN below two values.
    pub fn plain(&self, confidence: f64) -> (f64, f64) {
        if self.n < 2 {
            return (if self.n == 1 { self.mean[0] } else { f64::NAN }, f64::NAN);
        }
        let n = self.n as f64;
        let sd = (self.co(0, 0) / (n - 1.0)).max(0.0).sqrt();
        let half = super::student::t_quantile(0.5 + confidence / 2.0, n - 1.0) * sd / n.sqrt();
        (self.mean[0], half)
    }

    /// The control-variate estimate at `confidence`, using every control that varied and
    /// is not a combination of earlier ones; `None` when no control qualifies or too few
    /// replications are left for the interval (`n − 1 − q < 2`).
    pub fn controlled(&self, confidence: f64) -> Option<Controlled> {
        let fit = self.fit()?;
        let n = self.n as f64;
        let q = fit.kept.len();
        let df = n - 1.0 - q as f64;
        let residual = (self.co(0, 0) - fit.z.iter().map(|x| x * x).sum::<f64>()).max(0.0);
        let s2 = residual / df;
        let leverage = fit.w.iter().map(|x| x * x).sum::<f64>();
        let se = (s2 * (1.0 / n + leverage)).sqrt();
        fit.estimate(self, se, df, confidence)
    }

    /// The least-squares fit of the metric on the controls that varied and are not
    /// combinations of earlier ones: `None` when none qualifies or too few vectors are
    /// left for an interval (`n − 1 − q < 2`).
    fn fit(&self) -> Option<Fit> {
        let d = self.dim();
        // Cholesky factor of the controls' sums of squares, taking controls in order and
        // leaving out one whose remaining spread is (almost) nothing.
        let mut kept: Vec<usize> = Vec::new();
        let mut lower: Vec<Vec<f64>> = Vec::new(); // row k: L[k][0..=k]
        for j in 1..d {
            let own = self.co(j, j);
            // NaN fails the comparison too.
            if !own.is_finite() || own.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                continue;
            }
            let row: Vec<f64> = {
                let mut row = Vec::with_capacity(kept.len() + 1);
                for (k, &i) in kept.iter().enumerate() {
                    let dot: f64 = (0..k).map(|m| lower[k][m] * row[m]).sum();
                    row.push((self.co(j, i) - dot) / lower[k][k]);
                }
                row
            };
            let rest = own - row.iter().map(|x| x * x).sum::<f64>();
            if rest <= COLLINEAR * own {
                continue;
            }
            let mut row = row;
            row.push(rest.sqrt());
            lower.push(row);
            kept.push(j);
        }
        let q = kept.len();
        if q == 0 || self.n < q as u64 + 3 {
            return None;
        }
        let mut fit = Fit {
            kept,
            lower,
            z: Vec::new(),
            w: Vec::new(),
        };
        // Solve L z = S_cy and L w = c̄: then β = L⁻ᵀ z, the explained sum of squares is
        // |z|², and c̄ᵀS⁻¹c̄ = |w|², βᵀc̄ = z·w.
        fit.z = fit.forward(&|k| self.co(0, fit.kept[k]));
        fit.w = fit.forward(&|k| self.mean[fit.kept[k]]);
        Some(fit)
    }
}

/// A least-squares fit of a metric on its controls, in the Cholesky factor `L` of the
/// kept controls' centred sums of squares `S`.
struct Fit {
    /// Indices (in the vector, so from 1) of the controls used.
    kept: Vec<usize>,
    /// `L`, row `k` holding `L[k][0..=k]`.
    lower: Vec<Vec<f64>>,
    /// `L⁻¹ S_cy`.
    z: Vec<f64>,
    /// `L⁻¹ c̄`.
    w: Vec<f64>,
}

impl Fit {
    /// Solves `L x = b`.
    fn forward(&self, b: &dyn Fn(usize) -> f64) -> Vec<f64> {
        let q = self.kept.len();
        let mut x = vec![0.0; q];
        for k in 0..q {
            let dot: f64 = (0..k).map(|m| self.lower[k][m] * x[m]).sum();
            x[k] = (b(k) - dot) / self.lower[k][k];
        }
        x
    }

    /// Solves `Lᵀ x = b`.
    fn backward(&self, b: &[f64]) -> Vec<f64> {
        let q = self.kept.len();
        let mut x = vec![0.0; q];
        for k in (0..q).rev() {
            let dot: f64 = (k + 1..q).map(|m| self.lower[m][k] * x[m]).sum();
            x[k] = (b[k] - dot) / self.lower[k][k];
        }
        x
    }

    /// The adjusted mean `ȳ − βᵀc̄` of `pooled` with standard error `se` on `df`
    /// degrees of freedom.
    fn estimate(&self, pooled: &CoMoments, se: f64, df: f64, confidence: f64) -> Option<Controlled> {
        let mean = pooled.mean[0] - self.z.iter().zip(&self.w).map(|(a, b)| a * b).sum::<f64>();
        let half_width = super::student::t_quantile(0.5 + confidence / 2.0, df) * se;
        if !mean.is_finite() || !half_width.is_finite() {
            return None;
        }
        Some(Controlled {
            mean,
            half_width,
            controls: self.kept.iter().map(|&j| j - 1).collect(),
            degrees_of_freedom: df,
        })
    }
}

/// Co-moments kept apart by stratum: replications whose noise may differ in kind (those
/// in which cooperation broke down at random against those in which it held) are
/// summed separately, so that the interval can allow for it.
///
/// A rare event that decides a figure makes the residuals of the few replications it
/// struck differ from the others' and from one another; the usual interval, which
/// assumes one residual variance, then covers too seldom (83 % for a nominal 95 % in the
/// test `breakdown_controls_cover_a_known_mean_when_rare_breakdowns_decide_the_figure`).
/// With more than stratum 0 present the slope is fitted on all replications and the
/// variance of the intercept `ℓᵀb` is estimated as `Σ_i σ̂²_i (vᵀx_i)²`, `v = (XᵀX)⁻¹ℓ`:
/// stratum 0 with one residual variance on its own share of the degrees of freedom
/// (`n₀ − tr((XᵀX)⁻¹M₀)`), and each vector of the other strata with its own squared
/// residual over `(1 − h_ii)²` (the HC3 estimator of MacKinnon & White 1985), for which
/// those vectors are kept (up to [`KEPT_VECTORS`]; past that their stratum is treated
/// like stratum 0). The t quantile takes Satterthwaite's degrees of freedom. With
/// stratum 0 alone it is the usual interval, to the bit.
#[derive(Clone, Debug, PartialEq)]
pub struct Strata {
    parts: Vec<CoMoments>,
    /// The vectors of strata 1 and above, one after another, while there are at most
    /// [`KEPT_VECTORS`] of them; `None` once there were more.
    kept: Option<Vec<f64>>,
}

/// The most vectors of the rarer strata kept for their own residuals.
pub const KEPT_VECTORS: usize = 1024;

impl Strata {
    /// `strata` empty strata of vectors of `dim` numbers.
    pub fn new(dim: usize, strata: usize) -> Self {
        Strata {
            parts: vec![CoMoments::new(dim); strata],
            kept: Some(Vec::new()),
        }
    }

    /// Adds a vector to stratum `stratum`.
    pub fn push(&mut self, stratum: usize, x: &[f64]) {
        self.parts[stratum].push(x);
        if stratum > 0 {
            self.keep(x);
        }
    }

    fn keep(&mut self, x: &[f64]) {
        if let Some(kept) = &mut self.kept {
            if kept.len() / x.len() >= KEPT_VECTORS {
                self.kept = None;
            } else {
                kept.extend_from_slice(x);
            }
        }
    }

    /// Folds in the strata of later vectors, stratum by stratum.
    pub fn merge(&mut self, other: &Strata) {
        for (a, b) in self.parts.iter_mut().zip(&other.parts) {
            a.merge(b);
        }
        let d = self.parts[0].dim();
        match (&mut self.kept, &other.kept) {
            (Some(mine), Some(theirs)) if (mine.len() + theirs.len()) / d <= KEPT_VECTORS => {
                mine.extend_from_slice(theirs)
            }
            _ => self.kept = None,
        }
    }

    /// All vectors together (the strata merged in order).
    pub fn pooled(&self) -> CoMoments {
        let mut out = self.parts[0].clone();
        for p in &self.parts[1..] {
            out.merge(p);
        }
        out
    }

    /// The plain mean and interval of all vectors ([`CoMoments::plain`]).
    pub fn plain(&self, confidence: f64) -> (f64, f64) {
        self.pooled().plain(confidence)
    }

    /// The control-variate estimate allowing for the strata (see the type); `None` as
    /// [`CoMoments::controlled`].
    ///
    /// When a stratum has too few vectors to estimate its own spread (say two or three
    /// replications struck by a breakdown, with two controls that vary only in them), the
    /// estimate is the same adjusted mean with the wider of the usual interval and plain
    /// Monte Carlo's. Falling back to the plain mean instead would let the number of
    /// struck replications, which moves the metric, pick the estimator, and bias it.
    pub fn controlled(&self, confidence: f64) -> Option<Controlled> {
        if self.parts[1..].iter().all(|p| p.n == 0) {
            return self.parts[0].controlled(confidence);
        }
        let pooled = self.pooled();
        self.stratified(&pooled, confidence).or_else(|| {
            let usual = pooled.controlled(confidence)?;
            let plain = pooled.plain(confidence).1;
            Some(Controlled {
                half_width: usual.half_width.max(plain),
                ..usual
            })
        })
    }

    /// [`Strata::controlled`] with each stratum's own residuals; `None` when a stratum
    /// has no degrees of freedom left for its variance.
    fn stratified(&self, pooled: &CoMoments, confidence: f64) -> Option<Controlled> {
        let fit = pooled.fit()?;
        let q = fit.kept.len();
        let n = pooled.n as f64;
        let kept = &fit.kept;
        // In coordinates centred on the pooled means XᵀX is diag(n, S): the intercept's
        // weights are v = (1/n, −S⁻¹c̄) and the slope β = S⁻¹S_cy.
        let beta = fit.backward(&fit.z);
        let v_controls: Vec<f64> = fit.backward(&fit.w).into_iter().map(|x| -x).collect();
        // S⁻¹ column by column, for leverages and traces.
        let inverse: Vec<Vec<f64>> = (0..q)
            .map(|k| fit.backward(&fit.forward(&|m| if m == k { 1.0 } else { 0.0 })))
            .collect();
        let mut variance = 0.0;
        let mut satterthwaite = 0.0;
        let mut add = |part_variance: f64, df: f64| {
            variance += part_variance;
            satterthwaite += part_variance * part_variance / df;
        };
        // A stratum with one residual variance: its sums of products about the pooled
        // means are M = co + n_g d dᵀ, its residual sum of squares rᵀr = M_yy − 2βᵀM_cy +
        // βᵀM_ccβ, its weight vᵀMv and its share of the degrees of freedom n_g − tr(·).
        let by_stratum = |part: &CoMoments| -> Option<(f64, f64)> {
            let ng = part.n as f64;
            let d = |i: usize| part.mean[i] - pooled.mean[i];
            let m = |i: usize, j: usize| part.co(i, j) + ng * d(i) * d(j);
            let mut residual = m(0, 0);
            let mut weight = ng / (n * n);
            let mut trace = ng / n;
            for a in 0..q {
                residual -= 2.0 * beta[a] * m(0, kept[a]);
                weight += 2.0 / n * v_controls[a] * ng * d(kept[a]);
                for b in 0..q {
                    let mab = m(kept[a], kept[b]);
                    residual += beta[a] * beta[b] * mab;
                    weight += v_controls[a] * v_controls[b] * mab;
                    trace += inverse[b][a] * mab;
                }
            }
            let df = ng - trace;
            (df >= 1.0).then(|| (weight * residual.max(0.0) / df, df))
        };
        let rare: Vec<&CoMoments> = self.parts[1..].iter().filter(|p| p.n > 0).collect();
        match &self.kept {
            Some(rows) => {
                // Each kept vector's own squared residual over 1 − h_ii.
                let d = pooled.dim();
                let (mut part_variance, mut trace) = (0.0, 0.0);
                for x in rows.chunks_exact(d) {
                    let c: Vec<f64> = kept.iter().map(|&j| x[j] - pooled.mean[j]).collect();
                    let mut residual = x[0] - pooled.mean[0];
                    let mut weight = 1.0 / n;
                    let mut leverage = 1.0 / n;
                    for a in 0..q {
                        residual -= beta[a] * c[a];
                        weight += v_controls[a] * c[a];
                        for b in 0..q {
                            leverage += c[a] * inverse[b][a] * c[b];
                        }
                    }
                    if leverage.is_nan() || leverage >= 1.0 {
                        return None;
                    }
                    part_variance += residual * residual / ((1.0 - leverage) * (1.0 - leverage)) * weight * weight;
                    trace += leverage;
                }
                let count = (rows.len() / d) as f64;
                let df = count - trace;
                if df.is_nan() || df < 1.0 {
                    return None;
                }
                add(part_variance, df);
            }
            None => {
                for part in rare {
                    let (v, df) = by_stratum(part)?;
                    add(v, df);
                }
            }
        }
        if self.parts[0].n > 0 {
            let (v, df) = by_stratum(&self.parts[0])?;
            add(v, df);
        }
        let most = n - 1.0 - q as f64;
        let df = if satterthwaite > 0.0 {
            (variance * variance / satterthwaite).min(most)
        } else {
            most
        };
        fit.estimate(pooled, variance.max(0.0).sqrt(), df, confidence)
    }
}

/// A control-variate estimate of a mean.
#[derive(Clone, Debug, PartialEq)]
pub struct Controlled {
    /// The adjusted mean.
    pub mean: f64,
    /// Half-width of its interval.
    pub half_width: f64,
    /// Indices of the controls used (into the controls, not counting the metric).
    pub controls: Vec<usize>,
    /// Degrees of freedom of the interval: n − 1 − (controls used), or Satterthwaite's
    /// with strata (see [`Strata`]).
    pub degrees_of_freedom: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Moments;

    fn lcg(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    }

    #[test]
    fn merged_parts_match_one_pass_and_the_plain_interval_matches_moments() {
        let mut s = 1;
        let rows: Vec<[f64; 3]> = (0..300)
            .map(|_| {
                let (a, b, e) = (lcg(&mut s), lcg(&mut s), lcg(&mut s));
                [3.0 + 2.0 * a - b + 0.1 * e, a, b]
            })
            .collect();
        let mut whole = CoMoments::new(3);
        rows.iter().for_each(|r| whole.push(r));
        let (mut x, mut y) = (CoMoments::new(3), CoMoments::new(3));
        rows[..130].iter().for_each(|r| x.push(r));
        rows[130..].iter().for_each(|r| y.push(r));
        x.merge(&y);
        for (p, q) in whole.co.iter().zip(&x.co) {
            assert!((p - q).abs() < 1e-9 * (1.0 + p.abs()), "{p} vs {q}");
        }
        let mut m = Moments::default();
        rows.iter().for_each(|r| m.push(r[0]));
        let (mean, half) = whole.plain(0.95);
        assert!((mean - m.mean()).abs() < 1e-12 && (half - m.half_width(0.95)).abs() < 1e-12);
    }

    #[test]
    fn a_metric_the_controls_explain_gets_a_far_narrower_interval_and_the_same_mean() {
        let mut s = 7;
        let mut m = CoMoments::new(3);
        for _ in 0..200 {
            let (a, b, e) = (lcg(&mut s), lcg(&mut s), lcg(&mut s));
            m.push(&[3.0 + 2.0 * a - b + 0.01 * e, a, b]);
        }
        let (_, plain) = m.plain(0.95);
        let c = m.controlled(0.95).unwrap();
        assert_eq!(c.controls, vec![0, 1]);
        assert_eq!(c.degrees_of_freedom, 197.0);
        assert!(c.half_width < plain / 20.0, "{} vs {plain}", c.half_width);
        // The noise is uniform with sd 0.01/√12: the adjusted mean is within a few of its
        // standard errors of the true 3, which the plain mean is not held to.
        assert!((c.mean - 3.0).abs() < c.half_width, "{c:?}");
    }

    #[test]
    fn a_constant_or_repeated_control_is_left_out() {
        let mut s = 3;
        let mut m = CoMoments::new(4);
        for _ in 0..100 {
            let (a, e) = (lcg(&mut s), lcg(&mut s));
            m.push(&[a + e, 0.0, a, 2.0 * a]);
        }
        let c = m.controlled(0.95).unwrap();
        assert_eq!(c.controls, vec![1], "the constant and the multiple are dropped");
        assert_eq!(c.degrees_of_freedom, 98.0);
        let mut none = CoMoments::new(2);
        for i in 0..10 {
            none.push(&[i as f64, 0.0]);
        }
        assert_eq!(none.controlled(0.95), None);
    }

    /// With the rare stratum empty the strata give the usual interval to the bit; with
    /// it, merging parts gives what one pass gives, and the kept vectors stop at the cap.
    #[test]
    fn strata_reduce_to_the_usual_interval_and_merge_in_order() {
        let mut s = 11;
        let rows: Vec<([f64; 3], usize)> = (0..400)
            .map(|i| {
                let (a, b, e) = (lcg(&mut s), lcg(&mut s), lcg(&mut s));
                let rare = (i % 37 == 5) as usize;
                ([1.0 + a - 2.0 * b + (0.1 + rare as f64) * e, a, b], rare)
            })
            .collect();
        let mut usual = CoMoments::new(3);
        let mut common = Strata::new(3, 2);
        for (r, _) in &rows {
            usual.push(r);
            common.push(0, r);
        }
        assert_eq!(common.controlled(0.95), usual.controlled(0.95));
        let mut whole = Strata::new(3, 2);
        rows.iter().for_each(|(r, k)| whole.push(*k, r));
        let (mut x, mut y) = (Strata::new(3, 2), Strata::new(3, 2));
        rows[..150].iter().for_each(|(r, k)| x.push(*k, r));
        rows[150..].iter().for_each(|(r, k)| y.push(*k, r));
        x.merge(&y);
        assert_eq!(x.kept, whole.kept);
        let (a, b) = (x.controlled(0.95).unwrap(), whole.controlled(0.95).unwrap());
        assert!((a.mean - b.mean).abs() < 1e-12 && (a.half_width - b.half_width).abs() < 1e-12);
        // The rare vectors are ten times noisier: their own residuals widen the interval
        // beyond the one that assumes a single residual variance.
        assert!(b.half_width > usual.controlled(0.95).unwrap().half_width);
        let mut full = Strata::new(3, 2);
        for _ in 0..=KEPT_VECTORS {
            full.push(1, &rows[0].0);
        }
        assert_eq!(full.kept, None);
    }

    /// Two struck replications and a control that varies only in them leave the rare
    /// stratum no degrees of freedom: the estimate is still the adjusted mean (the one
    /// the usual interval centres on), not the plain mean, with an interval no narrower
    /// than plain Monte Carlo's.
    #[test]
    fn a_stratum_too_small_for_its_own_spread_keeps_the_adjusted_mean() {
        let mut s = 5;
        let mut strata = Strata::new(4, 2);
        let mut usual = CoMoments::new(4);
        for i in 0..200 {
            let (a, e) = (lcg(&mut s), lcg(&mut s));
            let struck = i == 17 || i == 120;
            // A breakdown-like control: −p in the replications it spared, 1 − p in those
            // it struck, which lose 5 of the metric.
            let (broke, months) = if struck { (0.99, 20.0) } else { (-0.01, -0.2) };
            let x = [10.0 + a - if struck { 5.0 } else { 0.0 } + 0.3 * e, a, broke, months];
            strata.push(struck as usize, &x);
            usual.push(&x);
        }
        let c = strata.controlled(0.95).expect("an estimate");
        let u = usual.controlled(0.95).expect("the usual estimate");
        // The same fit, summed in another order (by stratum): equal up to rounding.
        assert!((c.mean - u.mean).abs() < 1e-9, "{} vs {}", c.mean, u.mean);
        assert!(
            (c.mean - strata.plain(0.95).0).abs() > 0.01,
            "the adjusted mean differs from the plain one"
        );
        assert!(
            c.half_width >= strata.plain(0.95).1 && c.half_width >= u.half_width,
            "{c:?}"
        );
    }
}
