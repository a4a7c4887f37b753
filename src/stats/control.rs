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
        // Solve L z = S_cy and L w = c̄: then β = L⁻ᵀ z, the explained sum of squares is
        // |z|², and c̄ᵀS⁻¹c̄ = |w|², βᵀc̄ = z·w.
        let forward = |b: &dyn Fn(usize) -> f64| {
            let mut z = vec![0.0; q];
            for k in 0..q {
                let dot: f64 = (0..k).map(|m| lower[k][m] * z[m]).sum();
                z[k] = (b(k) - dot) / lower[k][k];
            }
            z
        };
        let z = forward(&|k| self.co(0, kept[k]));
        let w = forward(&|k| self.mean[kept[k]]);
        let n = self.n as f64;
        let df = n - 1.0 - q as f64;
        let residual = (self.co(0, 0) - z.iter().map(|x| x * x).sum::<f64>()).max(0.0);
        let s2 = residual / df;
        let leverage = w.iter().map(|x| x * x).sum::<f64>();
        let mean = self.mean[0] - z.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>();
        let se = (s2 * (1.0 / n + leverage)).sqrt();
        let half_width = super::student::t_quantile(0.5 + confidence / 2.0, df) * se;
        if !mean.is_finite() || !half_width.is_finite() {
            return None;
        }
        Some(Controlled {
            mean,
            half_width,
            controls: kept.iter().map(|&j| j - 1).collect(),
            degrees_of_freedom: df,
        })
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
    /// Degrees of freedom of the interval: n − 1 − (controls used).
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
}
