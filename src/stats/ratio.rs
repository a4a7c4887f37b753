//! The ratio of two means and its interval: what one more unit of a benefit costs when
//! both are measured on the same replications (a paired difference of outlay over a
//! paired difference of real landings).
//!
//! The interval is Fieller's: the set of ratios `θ` for which `mean(x) − θ·mean(y)` is not
//! significantly different from zero at the confidence level. It is exact for jointly
//! normal means and, unlike the delta method, says honestly when the denominator may be
//! zero: then no finite interval exists and none is given.

use super::student::t_quantile;
use serde::{Deserialize, Serialize};

/// Running co-moments of pairs `(x, y)` whose ratio of means is wanted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RatioMoments {
    n: u64,
    mean_x: f64,
    mean_y: f64,
    /// Centred sums of squares and products.
    sxx: f64,
    syy: f64,
    sxy: f64,
}

/// A ratio of means with its interval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// mean(x) / mean(y); `None` when mean(y) is zero or fewer than two pairs were seen.
    pub ratio: Option<f64>,
    /// Fieller's interval at the confidence level; `None` when the denominator's own
    /// interval holds zero (the ratio may be unbounded).
    pub interval: Option<(f64, f64)>,
    /// Pairs the ratio was estimated from.
    pub pairs: u64,
}

impl RatioMoments {
    /// Pairs folded in.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Adds one pair; a pair with either value undefined (NaN) is left out.
    pub fn push(&mut self, x: f64, y: f64) {
        if x.is_nan() || y.is_nan() {
            return;
        }
        self.n += 1;
        let n = self.n as f64;
        let (dx, dy) = (x - self.mean_x, y - self.mean_y);
        self.mean_x += dx / n;
        self.mean_y += dy / n;
        // Welford: the deviation before the update times the one after.
        self.sxx += dx * (x - self.mean_x);
        self.syy += dy * (y - self.mean_y);
        self.sxy += dx * (y - self.mean_y);
    }

    /// Folds in the moments of later pairs (Chan's merge).
    pub fn merge(&mut self, other: &RatioMoments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = other.clone();
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let (dx, dy) = (other.mean_x - self.mean_x, other.mean_y - self.mean_y);
        let w = na * nb / n;
        self.sxx += other.sxx + dx * dx * w;
        self.syy += other.syy + dy * dy * w;
        self.sxy += other.sxy + dx * dy * w;
        self.mean_x += dx * nb / n;
        self.mean_y += dy * nb / n;
        self.n += other.n;
    }

    /// Each mean with the half-width of its Student t interval at `confidence`:
    /// `((mean x, half-width), (mean y, half-width))`, half-widths NaN below two pairs.
    pub fn means(&self, confidence: f64) -> ((f64, f64), (f64, f64)) {
        if self.n < 2 {
            let mean = |m: f64| if self.n == 1 { m } else { f64::NAN };
            return ((mean(self.mean_x), f64::NAN), (mean(self.mean_y), f64::NAN));
        }
        let n = self.n as f64;
        let t = t_quantile(0.5 + confidence / 2.0, n - 1.0);
        let half = |s: f64| t * (s / (n - 1.0)).max(0.0).sqrt() / n.sqrt();
        ((self.mean_x, half(self.sxx)), (self.mean_y, half(self.syy)))
    }

    /// The ratio of means and Fieller's interval at `confidence`.
    pub fn ratio(&self, confidence: f64) -> Ratio {
        let pairs = self.n;
        if pairs < 2 {
            return Ratio {
                ratio: None,
                interval: None,
                pairs,
            };
        }
        let n = pairs as f64;
        let ratio = (self.mean_y != 0.0).then(|| self.mean_x / self.mean_y);
        // Variances and covariance of the two means.
        let (vxx, vyy, vxy) = (
            self.sxx / (n - 1.0) / n,
            self.syy / (n - 1.0) / n,
            self.sxy / (n - 1.0) / n,
        );
        let t = t_quantile(0.5 + confidence / 2.0, n - 1.0);
        let t2 = t * t;
        // (x̄ − θȳ)² ≤ t²(vxx − 2θvxy + θ²vyy), i.e. aθ² + bθ + c ≤ 0.
        let a = self.mean_y * self.mean_y - t2 * vyy;
        let b = -2.0 * (self.mean_x * self.mean_y - t2 * vxy);
        let c = self.mean_x * self.mean_x - t2 * vxx;
        // When x is an exact multiple of y (an outlay that is a fixed grant per landing)
        // the discriminant is zero and the interval a point; rounding can make it a hair
        // negative, which is not a sign that no interval exists.
        let scale = 4.0
            * t2
            * (self.mean_x * self.mean_x * vyy
                + 2.0 * (self.mean_x * self.mean_y * vxy).abs()
                + self.mean_y * self.mean_y * vxx
                + t2 * (vxx * vyy + vxy * vxy));
        let discriminant = match b * b - 4.0 * a * c {
            d if d < 0.0 && d >= -1e-9 * scale => 0.0,
            d => d,
        };
        let interval = (a > 0.0 && discriminant >= 0.0).then(|| {
            let root = discriminant.sqrt();
            ((-b - root) / (2.0 * a), (-b + root) / (2.0 * a))
        });
        Ratio {
            ratio,
            interval: interval.filter(|(low, high)| low.is_finite() && high.is_finite()),
            pairs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A normal draw by Box–Muller from a small LCG (the test needs no crate RNG).
    fn normal(state: &mut u64) -> f64 {
        let mut uniform = || {
            *state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((*state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (u, v) = (uniform(), uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    #[test]
    fn merged_parts_give_the_moments_of_one_pass() {
        let mut s = 5;
        let pairs: Vec<(f64, f64)> = (0..301).map(|_| (normal(&mut s), 2.0 + normal(&mut s))).collect();
        let mut whole = RatioMoments::default();
        pairs.iter().for_each(|&(x, y)| whole.push(x, y));
        let (mut a, mut b) = (RatioMoments::default(), RatioMoments::default());
        pairs[..120].iter().for_each(|&(x, y)| a.push(x, y));
        pairs[120..].iter().for_each(|&(x, y)| b.push(x, y));
        a.merge(&b);
        for (p, q) in [
            (whole.sxx, a.sxx),
            (whole.syy, a.syy),
            (whole.sxy, a.sxy),
            (whole.mean_x, a.mean_x),
        ] {
            assert!((p - q).abs() < 1e-9 * (1.0 + p.abs()), "{p} vs {q}");
        }
    }

    /// Fieller's 95 % interval covers the true ratio in about 95 % of experiments: over
    /// 2,000 experiments of 50 correlated pairs (true ratio 3), the count of covers lies
    /// in 1,900 ± 40, about 4 binomial standard deviations (a check that fails with
    /// probability below 1e-4 for a correct interval).
    #[test]
    fn fieller_intervals_cover_the_true_ratio_at_their_level() {
        let mut s = 11;
        let mut covered = 0;
        for _ in 0..2000 {
            let mut m = RatioMoments::default();
            for _ in 0..50 {
                let common = normal(&mut s);
                let y = 1.0 + 0.8 * common + 0.6 * normal(&mut s);
                let x = 3.0 * (1.0 + 0.8 * common) + 2.0 * normal(&mut s);
                m.push(x, y);
            }
            if let Some((low, high)) = m.ratio(0.95).interval {
                if low <= 3.0 && 3.0 <= high {
                    covered += 1;
                }
            }
        }
        assert!((1860..=1940).contains(&covered), "covered {covered} of 2000");
    }

    #[test]
    fn an_outlay_that_is_a_fixed_sum_per_landing_gives_a_point_interval() {
        let mut s = 4;
        let mut m = RatioMoments::default();
        for _ in 0..128 {
            let landings = (5.0 + 2.0 * normal(&mut s)).round();
            m.push(1_000_000.0 * landings, landings);
        }
        let r = m.ratio(0.95);
        let (low, high) = r.interval.expect("a point interval");
        // A point up to rounding: a millionth of the ratio.
        assert!((low - 1e6).abs() < 1.0 && (high - 1e6).abs() < 1.0, "{low} {high}");
    }

    #[test]
    fn a_denominator_that_may_be_zero_gives_no_interval() {
        let mut s = 2;
        let mut m = RatioMoments::default();
        for _ in 0..40 {
            m.push(5.0 + normal(&mut s), 0.01 + normal(&mut s));
        }
        let r = m.ratio(0.95);
        assert!(r.ratio.is_some());
        assert_eq!(r.interval, None);
    }
}
