//! Streaming statistics over replications in bounded memory: moments for means and
//! confidence intervals, a log-bucket sketch for quantiles. Both merge, and merging in
//! a fixed order gives the same bits however the work was split.

pub mod control;
mod moments;
pub mod ratio;
mod sketch;
pub mod student;

pub use moments::Moments;
pub use sketch::Sketch;

use serde::Serialize;

/// The confidence level of the intervals feidi reports and of its stopping rules unless
/// told otherwise.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;

/// Everything kept about one metric across replications.
#[derive(Clone, Debug, Default)]
pub struct Accumulator {
    moments: Moments,
    sketch: Sketch,
    undefined: u64,
}

impl Accumulator {
    /// Adds one replication's value; NaN (undefined, such as a rate with no
    /// denominator) is counted apart.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x.is_nan() {
            self.undefined += 1;
        } else {
            self.moments.push(x);
            self.sketch.push(x);
        }
    }

    /// Folds `other` (the replications after this one's) into this one.
    pub fn merge(&mut self, other: &Accumulator) {
        self.moments.merge(&other.moments);
        self.sketch.merge(&other.sketch);
        self.undefined += other.undefined;
    }

    /// Mean of the defined values (NaN when there is none).
    pub fn mean(&self) -> f64 {
        self.moments.mean()
    }

    /// The moments of the defined values.
    pub fn moments(&self) -> &Moments {
        &self.moments
    }

    /// Half-width of the confidence interval of the mean at `confidence` (NaN below two
    /// defined values): [`Moments::half_width`] of the defined values, the same bits as
    /// `(ci_high - ci_low) / 2` of [`Accumulator::summary`].
    pub fn half_width(&self, confidence: f64) -> f64 {
        self.moments.half_width(confidence)
    }

    /// Mean, confidence interval at `confidence` and quantiles.
    pub fn summary(&self, confidence: f64) -> Summary {
        let n = self.moments.count();
        let mean = self.moments.mean();
        let sd = self.moments.sd();
        let (ci_low, ci_high) = self.moments.interval(confidence);
        let q = |p| self.sketch.quantile(p);
        Summary {
            n,
            undefined: self.undefined,
            mean,
            sd,
            ci_low,
            ci_high,
            p5: q(0.05),
            p25: q(0.25),
            p50: q(0.5),
            p75: q(0.75),
            p95: q(0.95),
            min: self.moments.min(),
            max: self.moments.max(),
        }
    }
}

/// What is reported for a metric. Quantiles are nearest-rank, each value exact to
/// within 1/128 of itself (the sketch's bucket width); undefined values are NaN.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Replications with a defined value.
    pub n: u64,
    /// Replications where the value was undefined (e.g. a rate of zero over zero).
    pub undefined: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub sd: f64,
    /// Lower end of the confidence interval of the mean.
    pub ci_low: f64,
    /// Upper end of the confidence interval of the mean.
    pub ci_high: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_halves_equal_one_pass_to_the_last_quantile() {
        let xs: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 1000) as f64 / 10.0).collect();
        let mut whole = Accumulator::default();
        xs.iter().for_each(|&x| whole.push(x));
        let (mut a, mut b) = (Accumulator::default(), Accumulator::default());
        xs[..400].iter().for_each(|&x| a.push(x));
        xs[400..].iter().for_each(|&x| b.push(x));
        a.merge(&b);
        let (s, t) = (whole.summary(DEFAULT_CONFIDENCE), a.summary(DEFAULT_CONFIDENCE));
        assert_eq!(
            (s.n, s.p5, s.p50, s.p95, s.min, s.max),
            (t.n, t.p5, t.p50, t.p95, t.min, t.max)
        );
        assert!((s.mean - t.mean).abs() < 1e-12 && (s.sd - t.sd).abs() < 1e-12);
    }

    #[test]
    fn confidence_interval_uses_student_t() {
        let mut acc = Accumulator::default();
        for x in [1.0, 2.0, 3.0, 4.0, 5.0] {
            acc.push(x);
        }
        acc.push(f64::NAN);
        let s = acc.summary(0.95);
        // mean 3, sd sqrt(2.5), t(0.975, 4) = 2.776445
        let half = 2.776_445_105_2 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((s.ci_high - 3.0 - half).abs() < 1e-6, "{s:?}");
        assert_eq!((s.ci_high - s.ci_low) / 2.0, acc.half_width(0.95));
        assert_eq!((s.n, s.undefined, s.p50), (5, 1, 3.0));
    }
}
