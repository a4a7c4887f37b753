//! A mergeable quantile sketch: a histogram over logarithmic buckets, 128 per doubling,
//! each keeping its count and the sum of its values. Counts add exactly, so the sketch
//! does not depend on how the stream was split; a quantile is reported as the mean of
//! its bucket, which is exact whenever a bucket holds one distinct value (as small
//! whole numbers always do).

/// Mantissa bits used to split each doubling into buckets (2^7 = 128 buckets).
const SUB_BITS: u32 = 7;

/// One side (positive or negative magnitudes) of the histogram, stored densely from
/// its lowest used bucket to its highest.
#[derive(Clone, Debug, Default)]
struct Side {
    offset: u32,
    counts: Vec<u64>,
    sums: Vec<f64>,
}

impl Side {
    #[inline]
    fn bucket(magnitude: f64) -> u32 {
        // IEEE bits of a positive double order like the values: exponent, then mantissa.
        (magnitude.to_bits() >> (52 - SUB_BITS)) as u32
    }

    #[inline]
    fn add(&mut self, bucket: u32, count: u64, sum: f64) {
        if self.counts.is_empty() {
            self.offset = bucket;
        } else if bucket < self.offset {
            let grow = (self.offset - bucket) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.sums.splice(0..0, std::iter::repeat_n(0.0, grow));
            self.offset = bucket;
        }
        let i = (bucket - self.offset) as usize;
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
            self.sums.resize(i + 1, 0.0);
        }
        self.counts[i] += count;
        self.sums[i] += sum;
    }

    fn merge(&mut self, other: &Side) {
        for (i, (&c, &s)) in other.counts.iter().zip(&other.sums).enumerate() {
            if c > 0 {
                self.add(other.offset + i as u32, c, s);
            }
        }
    }

    fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// Quantile sketch of a stream of finite numbers.
#[derive(Clone, Debug, Default)]
pub struct Sketch {
    negative: Side,
    zeros: u64,
    positive: Side,
}

impl Sketch {
    /// Adds a finite value.
    #[inline]
    pub fn push(&mut self, x: f64) {
        if x > 0.0 {
            self.positive.add(Side::bucket(x), 1, x);
        } else if x < 0.0 {
            self.negative.add(Side::bucket(-x), 1, x);
        } else {
            self.zeros += 1;
        }
    }

    /// Folds in another sketch.
    pub fn merge(&mut self, other: &Sketch) {
        self.negative.merge(&other.negative);
        self.zeros += other.zeros;
        self.positive.merge(&other.positive);
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.negative.total() + self.zeros + self.positive.total()
    }

    /// The nearest-rank `p` quantile (NaN when empty).
    pub fn quantile(&self, p: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let rank = ((p * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        // Most negative first: negative buckets from the largest magnitude down.
        for i in (0..self.negative.counts.len()).rev() {
            seen += self.negative.counts[i];
            if seen >= rank {
                return self.negative.sums[i] / self.negative.counts[i] as f64;
            }
        }
        seen += self.zeros;
        if seen >= rank {
            return 0.0;
        }
        for (c, s) in self.positive.counts.iter().zip(&self.positive.sums) {
            seen += c;
            if seen >= rank {
                return s / *c as f64;
            }
        }
        unreachable!("rank {rank} lies within the {n} values counted")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_whole_numbers_give_exact_quantiles() {
        let mut s = Sketch::default();
        for x in [3.0, 1.0, 2.0, 5.0, 4.0, 0.0, -2.0] {
            s.push(x);
        }
        assert_eq!(s.quantile(0.0), -2.0);
        assert_eq!(s.quantile(0.5), 2.0);
        assert_eq!(s.quantile(1.0), 5.0);
    }

    #[test]
    fn quantiles_of_a_wide_range_are_within_one_bucket() {
        let mut s = Sketch::default();
        let xs: Vec<f64> = (1..=10_000).map(|i| (i as f64).powf(1.7)).collect();
        xs.iter().for_each(|&x| s.push(x));
        for p in [0.05, 0.5, 0.95] {
            let exact = xs[((p * xs.len() as f64).ceil() as usize) - 1];
            let got = s.quantile(p);
            assert!((got / exact - 1.0).abs() < 1.0 / 128.0, "p{p}: {got} vs {exact}");
        }
    }
}
