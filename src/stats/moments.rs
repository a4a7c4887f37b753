//! Count, mean, variance, minimum and maximum by Welford's update and Chan's merge.

/// Running moments of a stream of numbers.
#[derive(Clone, Copy, Debug)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Moments {
    fn default() -> Self {
        Moments {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Moments {
    /// Adds a value.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Folds in the moments of a later part of the stream.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        self.mean += delta * other.n as f64 / n as f64;
        self.m2 += other.m2 + delta * delta * self.n as f64 * other.n as f64 / n as f64;
        self.n = n;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Mean (NaN when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.mean
        }
    }

    /// Sample standard deviation (NaN with fewer than two values).
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            (self.m2 / (self.n - 1) as f64).max(0.0).sqrt()
        }
    }

    /// The Student t confidence interval of the mean at `confidence` (such as
    /// [`super::DEFAULT_CONFIDENCE`]), as `(low, high)`; NaN ends with fewer than two
    /// values. The one interval formula behind every interval feidi reports.
    pub fn interval(&self, confidence: f64) -> (f64, f64) {
        let n = self.n;
        if n < 2 {
            return (f64::NAN, f64::NAN);
        }
        let half = super::student::t_quantile(0.5 + confidence / 2.0, (n - 1) as f64) * self.sd() / (n as f64).sqrt();
        (self.mean - half, self.mean + half)
    }

    /// Half-width of [`Moments::interval`] at `confidence`, `(high − low) / 2` (NaN with
    /// fewer than two values): what stopping rules compare with their targets.
    pub fn half_width(&self, confidence: f64) -> f64 {
        let (low, high) = self.interval(confidence);
        (high - low) / 2.0
    }

    /// Smallest value (NaN when empty).
    pub fn min(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.min
        }
    }

    /// Largest value (NaN when empty).
    pub fn max(&self) -> f64 {
        if self.n == 0 {
            f64::NAN
        } else {
            self.max
        }
    }
}
