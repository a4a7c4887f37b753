//! Probability distributions a scenario can choose for any random quantity, described
//! the way planners state ranges (a median and a 90th percentile, a most-likely value
//! between bounds) rather than by internal parameters.

use rand::Rng;

use crate::math;
pub use sample::{exp1, standard_normal};
use sample::{Gamma, LogNormal, Pert, Triangular, Weibull};

mod sample;
mod ziggurat_tables;

/// z-score of the 90th percentile of the standard normal distribution.
pub const Z90: f64 = 1.281_551_565_544_600_5;

/// A validated distribution, ready to sample.
#[derive(Clone, Debug)]
pub struct Distribution {
    kind: Kind,
    mean: f64,
    lower: f64,
}

#[derive(Clone, Debug)]
enum Kind {
    Constant(f64),
    Exponential(f64),
    Uniform { min: f64, width: f64 },
    Triangular(Triangular),
    Pert(Pert),
    LogNormal(LogNormal),
    Gamma(Gamma),
    Weibull(Weibull),
    Empirical { values: Box<[f64]>, cumulative: Box<[f64]> },
}

/// Builds a distribution or explains, in a planner's words, what is wrong.
type Built = Result<Distribution, String>;

fn finite(name: &str, v: f64) -> Result<(), String> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(format!("`{name}` must be a finite number, found {v}"))
    }
}

fn positive(name: &str, v: f64) -> Result<(), String> {
    finite(name, v)?;
    if v > 0.0 {
        Ok(())
    } else {
        Err(format!("`{name}` must be greater than 0, found {v}"))
    }
}

impl Distribution {
    /// Always `value`.
    pub fn constant(value: f64) -> Built {
        finite("value", value)?;
        Ok(Distribution {
            kind: Kind::Constant(value),
            mean: value,
            lower: value,
        })
    }

    /// Exponential with the given mean.
    pub fn exponential(mean: f64) -> Built {
        positive("mean", mean)?;
        Ok(Distribution {
            kind: Kind::Exponential(mean),
            mean,
            lower: 0.0,
        })
    }

    /// Uniform on [min, max].
    pub fn uniform(min: f64, max: f64) -> Built {
        finite("min", min)?;
        finite("max", max)?;
        if max < min {
            return Err(format!("`max` ({max}) is below `min` ({min})"));
        }
        Ok(Distribution {
            kind: Kind::Uniform { min, width: max - min },
            mean: (min + max) / 2.0,
            lower: min,
        })
    }

    /// Triangular on [min, max] with the most likely value `mode`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Built {
        check_bounds(min, mode, max)?;
        Ok(Distribution {
            kind: Kind::Triangular(Triangular::new(min, mode, max)),
            mean: (min + mode + max) / 3.0,
            lower: min,
        })
    }

    /// PERT (a smoothed triangular, shape 4) on [min, max] with the most likely `mode`.
    pub fn pert(min: f64, mode: f64, max: f64) -> Built {
        check_bounds(min, mode, max)?;
        if max == min {
            return Distribution::constant(min);
        }
        Ok(Distribution {
            kind: Kind::Pert(Pert::new(min, mode, max)),
            mean: (min + 4.0 * mode + max) / 6.0,
            lower: min,
        })
    }

    /// Lognormal given its median and 90th percentile (p90 must exceed the median).
    pub fn lognormal_median_p90(median: f64, p90: f64) -> Built {
        positive("median", median)?;
        positive("p90", p90)?;
        if p90 <= median {
            return Err(format!("`p90` ({p90}) must be above `median` ({median})"));
        }
        let mu = math::ln(median);
        let sigma = (math::ln(p90) - mu) / Z90;
        Self::lognormal_mu_sigma(mu, sigma)
    }

    /// Lognormal given its mean and standard deviation.
    pub fn lognormal_mean_sd(mean: f64, sd: f64) -> Built {
        positive("mean", mean)?;
        positive("sd", sd)?;
        let sigma2 = math::ln(1.0 + (sd / mean).powi(2));
        if !sigma2.is_finite() {
            return Err(format!(
                "`sd` ({sd}) is too large beside `mean` ({mean}): the spread of the lognormal overflows"
            ));
        }
        Self::lognormal_mu_sigma(math::ln(mean) - sigma2 / 2.0, sigma2.sqrt())
    }

    fn lognormal_mu_sigma(mu: f64, sigma: f64) -> Built {
        Ok(Distribution {
            kind: Kind::LogNormal(LogNormal::new(mu, sigma)),
            mean: math::exp(mu + sigma * sigma / 2.0),
            lower: 0.0,
        })
    }

    /// Gamma given its mean and standard deviation.
    pub fn gamma_mean_sd(mean: f64, sd: f64) -> Built {
        positive("mean", mean)?;
        positive("sd", sd)?;
        let shape = (mean / sd).powi(2);
        Self::gamma_shape_scale(shape, mean / shape)
    }

    /// Gamma given its shape and scale.
    pub fn gamma_shape_scale(shape: f64, scale: f64) -> Built {
        positive("shape", shape)?;
        positive("scale", scale)?;
        Ok(Distribution {
            kind: Kind::Gamma(Gamma::new(shape, scale)),
            mean: shape * scale,
            lower: 0.0,
        })
    }

    /// Weibull given its scale and shape.
    pub fn weibull(scale: f64, shape: f64) -> Built {
        positive("scale", scale)?;
        positive("shape", shape)?;
        Ok(Distribution {
            kind: Kind::Weibull(Weibull::new(scale, shape)),
            mean: scale * crate::special::gamma(1.0 + 1.0 / shape),
            lower: 0.0,
        })
    }

    /// A table of values drawn with the given weights (equal weights when `None`).
    pub fn empirical(values: &[f64], weights: Option<&[f64]>) -> Built {
        if values.is_empty() {
            return Err("`values` must list at least one value".to_string());
        }
        for &v in values {
            finite("values", v)?;
        }
        let weights: Vec<f64> = match weights {
            Some(w) if w.len() != values.len() => {
                return Err(format!(
                    "`weights` has {} entries but `values` has {}",
                    w.len(),
                    values.len()
                ))
            }
            Some(w) => w.to_vec(),
            None => vec![1.0; values.len()],
        };
        let mut total = 0.0;
        let mut cumulative = Vec::with_capacity(weights.len());
        for &w in &weights {
            finite("weights", w)?;
            if w < 0.0 {
                return Err(format!("`weights` must not be negative, found {w}"));
            }
            total += w;
            cumulative.push(total);
        }
        if total <= 0.0 {
            return Err("`weights` must not all be zero".to_string());
        }
        for c in &mut cumulative {
            *c /= total;
        }
        let mean = values.iter().zip(&weights).map(|(v, w)| v * w).sum::<f64>() / total;
        Ok(Distribution {
            kind: Kind::Empirical {
                values: values.into(),
                cumulative: cumulative.into(),
            },
            mean,
            lower: values.iter().copied().fold(f64::INFINITY, f64::min),
        })
    }

    /// The distribution's mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Whether every draw is the same value.
    pub fn is_constant(&self) -> bool {
        matches!(self.kind, Kind::Constant(_))
    }

    /// The smallest value a draw can take (for range checks).
    pub fn lower_bound(&self) -> f64 {
        self.lower
    }

    /// One draw.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        // The exponential, the commonest stage duration, is drawn in line: in an event
        // loop the call and the full match cost as much as the ziggurat draw itself.
        match &self.kind {
            Kind::Exponential(mean) => exp1(rng) * mean,
            _ => self.sample_other(rng),
        }
    }

    /// One draw of any other kind.
    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.kind {
            Kind::Constant(v) => *v,
            Kind::Exponential(mean) => exp1(rng) * mean,
            Kind::Uniform { min, width } => min + width * unit(rng),
            Kind::Triangular(d) => d.sample(rng),
            Kind::Pert(d) => d.sample(rng),
            Kind::LogNormal(d) => d.sample(rng),
            Kind::Gamma(d) => d.sample(rng),
            Kind::Weibull(d) => d.sample(rng),
            Kind::Empirical { values, cumulative } => {
                let u = unit(rng);
                let i = cumulative.partition_point(|&c| c <= u).min(values.len() - 1);
                values[i]
            }
        }
    }
}

fn check_bounds(min: f64, mode: f64, max: f64) -> Result<(), String> {
    finite("min", min)?;
    finite("mode", mode)?;
    finite("max", max)?;
    if !(min <= mode && mode <= max) {
        return Err(format!(
            "need min ≤ mode ≤ max, found min {min}, mode {mode}, max {max}"
        ));
    }
    Ok(())
}

/// A uniform draw in [0, 1).
#[inline]
pub fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::KeyedStream;

    fn sample_mean(d: &Distribution, n: u64) -> (f64, f64) {
        let mut rng = KeyedStream::new(99, 0);
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let x = d.sample(&mut rng);
            s += x;
            s2 += x * x;
        }
        let mean = s / n as f64;
        let sd = ((s2 / n as f64 - mean * mean) * n as f64 / (n - 1) as f64).sqrt();
        (mean, sd / (n as f64).sqrt())
    }

    #[test]
    fn sample_means_match_stated_means_within_five_standard_errors() {
        let cases = [
            Distribution::exponential(40.0).unwrap(),
            Distribution::uniform(2.0, 8.0).unwrap(),
            Distribution::triangular(1.0, 3.0, 10.0).unwrap(),
            Distribution::pert(1.0, 3.0, 10.0).unwrap(),
            Distribution::lognormal_median_p90(12.0, 30.0).unwrap(),
            Distribution::lognormal_mean_sd(12.0, 6.0).unwrap(),
            Distribution::gamma_mean_sd(20.0, 5.0).unwrap(),
            Distribution::weibull(10.0, 1.5).unwrap(),
            Distribution::empirical(&[1.0, 2.0, 10.0], Some(&[0.5, 0.3, 0.2])).unwrap(),
        ];
        for d in &cases {
            let (mean, se) = sample_mean(d, 200_000);
            assert!(
                (mean - d.mean()).abs() < 5.0 * se,
                "{d:?}: sample mean {mean}, stated {}",
                d.mean()
            );
        }
    }

    #[test]
    fn lognormal_by_median_and_p90_hits_both_quantiles() {
        let d = Distribution::lognormal_median_p90(18.0, 36.0).unwrap();
        let mut rng = KeyedStream::new(5, 1);
        let n = 100_000;
        let (mut below_median, mut below_p90) = (0, 0);
        for _ in 0..n {
            let x = d.sample(&mut rng);
            below_median += (x < 18.0) as u32;
            below_p90 += (x < 36.0) as u32;
        }
        // Binomial sd at n = 1e5 is below 0.0016; allow 4 sd.
        assert!((below_median as f64 / n as f64 - 0.5).abs() < 0.0064);
        assert!((below_p90 as f64 / n as f64 - 0.9).abs() < 0.0048);
    }

    #[test]
    fn impossible_parameters_are_explained() {
        assert!(Distribution::lognormal_median_p90(10.0, 5.0)
            .unwrap_err()
            .contains("above `median`"));
        assert!(Distribution::exponential(-1.0).unwrap_err().contains("greater than 0"));
        assert!(Distribution::triangular(5.0, 1.0, 10.0)
            .unwrap_err()
            .contains("min ≤ mode ≤ max"));
        assert!(Distribution::empirical(&[1.0], Some(&[0.0]))
            .unwrap_err()
            .contains("all be zero"));
        assert!(Distribution::uniform(3.0, 1.0).is_err());
    }
}
