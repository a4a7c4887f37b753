//! feidi's samplers, over the portable maths of `crate::math`, so that a seed draws the
//! same values on every platform.
//!
//! Each follows the algorithm of the rand_distr crate (0.6) step for step and reads the
//! random words in the same order, so that a draw differs from rand_distr's only where
//! the platform's exp or ln rounded differently from `crate::math`'s (the unit tests check
//! this draw for draw): the exponential and the standard normal by the ziggurat method
//! (ZIGNOR, Doornik 2005), the gamma by Marsaglia and Tsang (2000), the beta under PERT
//! by Cheng's algorithms BB and BC (1978), the lognormal as e^normal, the Weibull by
//! inversion and the triangular by inversion.

use rand::Rng;

use super::ziggurat_tables::{self as tables, ZigTable};
use crate::math;

/// The bits of the exponent of 1.0: a 52-bit fraction under it gives a number in [1, 2).
const EXPONENT_OF_ONE: u64 = 1023 << 52;

/// A uniform draw in [0, 1) from the top 53 bits of one word (rand's `StandardUniform`).
#[inline(always)]
fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    super::unit(rng)
}

/// A uniform draw in (0, 1) from the top 52 bits of one word (rand's `Open01`).
#[inline]
fn open01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    f64::from_bits((rng.next_u64() >> 12) | EXPONENT_OF_ONE) - (1.0 - f64::EPSILON / 2.0)
}

/// A uniform draw in (0, 1] from the top 53 bits of one word (rand's `OpenClosed01`).
#[inline]
fn open_closed01<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The ziggurat method (ZIGNOR): one word picks a layer (its low 8 bits) and a position in
/// it (its top 52 bits); most draws end at the first comparison. `pdf` is the density
/// (unnormalised) for the wedge test, `tail` draws beyond the base layer.
#[inline(always)]
fn ziggurat<R: Rng + ?Sized>(
    rng: &mut R,
    symmetric: bool,
    x_tab: ZigTable,
    f_tab: ZigTable,
    pdf: impl Fn(f64) -> f64,
    tail: impl Fn(&mut R, f64) -> f64,
) -> f64 {
    loop {
        let bits = rng.next_u64();
        let i = bits as usize & 0xff;
        let u = if symmetric {
            // [2, 4) shifted to [−1, 1).
            f64::from_bits((bits >> 12) | (1024 << 52)) - 3.0
        } else {
            // [1, 2) shifted to (0, 1).
            f64::from_bits((bits >> 12) | EXPONENT_OF_ONE) - (1.0 - f64::EPSILON / 2.0)
        };
        let x = u * x_tab[i];
        let test_x = if symmetric { x.abs() } else { x };
        // The same as |u| < x[i+1] / x[i]: inside the layer's rectangle.
        if test_x < x_tab[i + 1] {
            return x;
        }
        if i == 0 {
            return tail(rng, u);
        }
        // In the wedge: under the density?
        if f_tab[i + 1] + (f_tab[i] - f_tab[i + 1]) * unit(rng) < pdf(x) {
            return x;
        }
    }
}

/// An exponential draw with mean 1.
#[inline(always)]
pub fn exp1<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ziggurat(
        rng,
        false,
        &tables::ZIG_EXP_X,
        &tables::ZIG_EXP_F,
        |x| math::exp(-x),
        // The exponential is memoryless: beyond R it is R plus another exponential.
        |rng, _| tables::ZIG_EXP_R - math::ln(unit(rng)),
    )
}

/// A standard normal draw.
#[inline]
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ziggurat(
        rng,
        true,
        &tables::ZIG_NORM_X,
        &tables::ZIG_NORM_F,
        |x| math::exp(-x * x / 2.0),
        |rng, u| {
            // Marsaglia's tail method: x = −ln(u1)/R, accepted when −2 ln(u2) ≥ x².
            let mut x = 1.0f64;
            let mut y = 0.0f64;
            while -2.0 * y < x * x {
                let x_ = open01(rng);
                let y_ = open01(rng);
                x = math::ln(x_) / tables::ZIG_NORM_R;
                y = math::ln(y_);
            }
            if u < 0.0 {
                x - tables::ZIG_NORM_R
            } else {
                tables::ZIG_NORM_R - x
            }
        },
    )
}

/// The gamma distribution with a given shape and scale.
#[derive(Clone, Debug)]
pub enum Gamma {
    /// Shape 1: the exponential. `mean` is the scale as rand_distr held it, through the
    /// rate (1 / (1 / scale)), so that draws keep their bits.
    One {
        /// The exponential's mean.
        mean: f64,
    },
    /// Shape below 1: a draw of shape + 1 times u^(1/shape).
    Small {
        /// 1 / shape.
        inv_shape: f64,
        /// The gamma of shape + 1.
        large: GammaLarge,
    },
    /// Shape above 1: Marsaglia and Tsang.
    Large(GammaLarge),
}

/// Marsaglia and Tsang's method for a shape of at least 1.
#[derive(Clone, Debug)]
pub struct GammaLarge {
    scale: f64,
    /// 1 / √(9d).
    c: f64,
    /// shape − 1/3.
    d: f64,
}

impl Gamma {
    /// The gamma with `shape` and `scale`, both positive and finite (checked by the caller).
    pub fn new(shape: f64, scale: f64) -> Gamma {
        if shape == 1.0 {
            Gamma::One {
                mean: 1.0 / (1.0 / scale),
            }
        } else if shape < 1.0 {
            Gamma::Small {
                inv_shape: 1.0 / shape,
                large: GammaLarge::new(shape + 1.0, scale),
            }
        } else {
            Gamma::Large(GammaLarge::new(shape, scale))
        }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Gamma::One { mean } => exp1(rng) * mean,
            Gamma::Small { inv_shape, large } => {
                let u = open01(rng);
                let a = large.sample_unscaled(rng);
                let b = math::powf(u, *inv_shape);
                // Scale last: the other factors are small and finite, so no inf × 0.
                (a * b * large.d) * large.scale
            }
            Gamma::Large(large) => large.sample_unscaled(rng) * (large.d * large.scale),
        }
    }
}

impl GammaLarge {
    fn new(shape: f64, scale: f64) -> GammaLarge {
        let d = shape - 1.0 / 3.0;
        GammaLarge {
            scale,
            c: 1.0 / (9.0 * d).sqrt(),
            d,
        }
    }

    /// A draw of the gamma of shape `d + 1/3`, divided by `d`.
    fn sample_unscaled<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        loop {
            let x = standard_normal(rng);
            let v_cbrt = 1.0 + self.c * x;
            if v_cbrt <= 0.0 {
                continue;
            }
            let v = v_cbrt * v_cbrt * v_cbrt;
            let u = open01(rng);
            let x_sqr = x * x;
            // A quick squeeze first; the logarithms only when it fails.
            if u < 1.0 - 0.0331 * x_sqr * x_sqr || math::ln(u) < 0.5 * x_sqr + self.d * (1.0 - v + math::ln(v)) {
                return v;
            }
        }
    }
}

/// The beta distribution, by Cheng's algorithm BB (both parameters above 1) or BC.
#[derive(Clone, Debug)]
pub struct Beta {
    /// The smaller parameter (BB) or the larger (BC).
    a: f64,
    /// The other parameter.
    b: f64,
    /// Whether the draw is of 1 − X (the parameters were swapped).
    switched: bool,
    algorithm: Cheng,
}

#[derive(Clone, Debug)]
enum Cheng {
    Bb {
        alpha: f64,
        beta: f64,
        gamma: f64,
    },
    Bc {
        alpha: f64,
        beta: f64,
        kappa1: f64,
        kappa2: f64,
    },
}

impl Beta {
    /// Beta(alpha, beta) for positive finite parameters (checked by the caller).
    pub fn new(alpha: f64, beta: f64) -> Beta {
        let (a, b, switched) = if alpha < beta {
            (alpha, beta, false)
        } else {
            (beta, alpha, true)
        };
        if a > 1.0 {
            let alpha = a + b;
            let beta = ((alpha - 2.0) / (2.0 * a * b - alpha)).sqrt();
            let gamma = a + 1.0 / beta;
            Beta {
                a,
                b,
                switched,
                algorithm: Cheng::Bb { alpha, beta, gamma },
            }
        } else {
            // BC takes `a` as the larger parameter.
            let (a, b, switched) = (b, a, !switched);
            let alpha = a + b;
            let beta = 1.0 / b;
            let delta = 1.0 + a - b;
            let kappa1 = delta * (1. / 18. / 4. + 3. / 18. / 4. * b) / (a * beta - 14. / 18.);
            let kappa2 = 0.25 + (0.5 + 0.25 / delta) * b;
            Beta {
                a,
                b,
                switched,
                algorithm: Cheng::Bc {
                    alpha,
                    beta,
                    kappa1,
                    kappa2,
                },
            }
        }
    }

    /// One draw in [0, 1].
    // The negated comparisons accept a draw when a comparison meets NaN, as rand_distr's do.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let w;
        match self.algorithm {
            Cheng::Bb { alpha, beta, gamma } => loop {
                let u1 = open01(rng);
                let u2 = open01(rng);
                let v = beta * math::ln(u1 / (1.0 - u1));
                let w_ = self.a * math::exp(v);
                let z = u1 * u1 * u2;
                let r = gamma * v - math::ln(4.0);
                let s = self.a + r - w_;
                if s + 1.0 + math::ln(5.0) >= 5.0 * z {
                    w = w_;
                    break;
                }
                let t = math::ln(z);
                if s >= t {
                    w = w_;
                    break;
                }
                if !(r + alpha * math::ln(alpha / (self.b + w_)) < t) {
                    w = w_;
                    break;
                }
            },
            Cheng::Bc {
                alpha,
                beta,
                kappa1,
                kappa2,
            } => loop {
                let z;
                let u1 = open01(rng);
                let u2 = open01(rng);
                if u1 < 0.5 {
                    let y = u1 * u2;
                    z = u1 * y;
                    if 0.25 * u2 + z - y >= kappa1 {
                        continue;
                    }
                } else {
                    z = u1 * u1 * u2;
                    if z <= 0.25 {
                        let v = beta * math::ln(u1 / (1.0 - u1));
                        w = self.a * math::exp(v);
                        break;
                    }
                    if z >= kappa2 {
                        continue;
                    }
                }
                let v = beta * math::ln(u1 / (1.0 - u1));
                let w_ = self.a * math::exp(v);
                if !(alpha * (math::ln(alpha / (self.b + w_)) + v) - math::ln(4.0) < math::ln(z)) {
                    w = w_;
                    break;
                }
            },
        }
        if !self.switched {
            if w == f64::INFINITY {
                return 1.0;
            }
            w / (self.b + w)
        } else {
            self.b / (self.b + w)
        }
    }
}

/// PERT on [min, max] with a mode and shape 4: min + (max − min) · Beta(v, w).
#[derive(Clone, Debug)]
pub struct Pert {
    min: f64,
    range: f64,
    beta: Beta,
}

impl Pert {
    /// PERT for min < max and min ≤ mode ≤ max (checked by the caller).
    pub fn new(min: f64, mode: f64, max: f64) -> Pert {
        const SHAPE: f64 = 4.0;
        let range = max - min;
        let v = 1.0 + SHAPE * (mode - min) / range;
        let w = 1.0 + SHAPE * (max - mode) / range;
        Pert {
            min,
            range,
            beta: Beta::new(v, w),
        }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.beta.sample(rng) * self.range + self.min
    }
}

/// The lognormal: e^(mu + sigma · z) for a standard normal z.
#[derive(Clone, Debug)]
pub struct LogNormal {
    mu: f64,
    sigma: f64,
}

impl LogNormal {
    /// The lognormal of the normal (mu, sigma), sigma finite (checked by the caller).
    pub fn new(mu: f64, sigma: f64) -> LogNormal {
        LogNormal { mu, sigma }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        math::exp(self.mu + self.sigma * standard_normal(rng))
    }
}

/// The Weibull by inversion: scale · (−ln u)^(1/shape) for u in (0, 1].
#[derive(Clone, Debug)]
pub struct Weibull {
    scale: f64,
    inv_shape: f64,
}

impl Weibull {
    /// The Weibull with positive finite `scale` and `shape` (checked by the caller).
    pub fn new(scale: f64, shape: f64) -> Weibull {
        Weibull {
            scale,
            inv_shape: 1.0 / shape,
        }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let u = open_closed01(rng);
        self.scale * math::powf(-math::ln(u), self.inv_shape)
    }
}

/// The triangular by inversion of its distribution function.
#[derive(Clone, Debug)]
pub struct Triangular {
    min: f64,
    mode: f64,
    max: f64,
}

impl Triangular {
    /// The triangular for min ≤ mode ≤ max (checked by the caller).
    pub fn new(min: f64, mode: f64, max: f64) -> Triangular {
        Triangular { min, mode, max }
    }

    /// One draw.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let f = unit(rng);
        let diff_mode_min = self.mode - self.min;
        let range = self.max - self.min;
        let f_range = f * range;
        if f_range < diff_mode_min {
            self.min + (f_range * diff_mode_min).sqrt()
        } else {
            self.max - ((range - f_range) * (self.max - self.mode)).sqrt()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::ChaCha8Rng;
    use rand::SeedableRng;
    use rand_distr::Distribution as _;

    /// Draws `n` values with feidi's sampler and rand_distr's from the same seed, and
    /// checks that each pair agrees to `1e-13` relative and that both read the same number
    /// of random words (the next word of each stream is equal after every draw).
    /// rand_distr calls the platform's exp and ln (glibc's, where tests run), which differ
    /// from `crate::math`'s by at most two units in the last place; the algorithms amplify
    /// that by at most the size of an exponent (below 40 here), far inside 1e-13, while
    /// another algorithm, or another order of reading words, would differ at the first
    /// draw that takes another path.
    fn same_draws(
        name: &str,
        n: usize,
        ours: impl Fn(&mut ChaCha8Rng) -> f64,
        theirs: impl Fn(&mut ChaCha8Rng) -> f64,
    ) {
        let mut a = ChaCha8Rng::seed_from_u64(20_260_101);
        let mut b = ChaCha8Rng::seed_from_u64(20_260_101);
        let mut exact = 0usize;
        for i in 0..n {
            let (x, y) = (ours(&mut a), theirs(&mut b));
            assert!(
                (x - y).abs() <= 1e-13 * y.abs().max(f64::MIN_POSITIVE),
                "{name}: draw {i} is {x:e}, rand_distr's {y:e}"
            );
            exact += (x == y) as usize;
            // Keep the streams in step only if both read the same words.
            assert_eq!(
                a.next_u64(),
                b.next_u64(),
                "{name}: draw {i} read another number of words"
            );
        }
        // Most draws touch no exp or ln at all (the ziggurat's rectangles) or round alike.
        assert!(
            exact * 2 > n,
            "{name}: only {exact} of {n} draws equal rand_distr's bit for bit"
        );
    }

    #[test]
    fn exponential_and_normal_draw_what_rand_distr_draws() {
        // A million draws reach the ziggurats' tails (1 in 256 picks the base layer).
        same_draws("exp1", 1_000_000, exp1, |r| rand_distr::Exp1.sample(r));
        same_draws("normal", 1_000_000, standard_normal, |r| {
            rand_distr::StandardNormal.sample(r)
        });
    }

    #[test]
    fn gamma_beta_pert_lognormal_weibull_and_triangular_draw_what_rand_distr_draws() {
        for shape in [0.3, 1.0, 2.5, 16.0] {
            let (ours, theirs) = (Gamma::new(shape, 3.0), rand_distr::Gamma::new(shape, 3.0).unwrap());
            same_draws(
                &format!("gamma {shape}"),
                100_000,
                |r| ours.sample(r),
                |r| theirs.sample(r),
            );
        }
        // Modes inside (Cheng's BB), at an end (BC, a parameter of 1) and near one.
        for (min, mode, max) in [(1.0, 3.0, 10.0), (0.0, 0.0, 1.0), (2.0, 9.9, 10.0), (5.0, 5.5, 6.0)] {
            let ours = Pert::new(min, mode, max);
            let theirs = rand_distr::Pert::new(min, max).with_mode(mode).unwrap();
            same_draws(
                &format!("PERT {min} {mode} {max}"),
                100_000,
                |r| ours.sample(r),
                |r| theirs.sample(r),
            );
        }
        for (alpha, beta) in [(0.5, 0.5), (0.3, 4.0), (7.0, 0.8), (2.0, 3.0)] {
            let (ours, theirs) = (Beta::new(alpha, beta), rand_distr::Beta::new(alpha, beta).unwrap());
            same_draws(
                &format!("beta {alpha} {beta}"),
                100_000,
                |r| ours.sample(r),
                |r| theirs.sample(r),
            );
        }
        let (ours, theirs) = (LogNormal::new(2.5, 0.7), rand_distr::LogNormal::new(2.5, 0.7).unwrap());
        same_draws("lognormal", 100_000, |r| ours.sample(r), |r| theirs.sample(r));
        for shape in [0.7, 1.5, 3.0] {
            let (ours, theirs) = (
                Weibull::new(10.0, shape),
                rand_distr::Weibull::new(10.0, shape).unwrap(),
            );
            same_draws(
                &format!("Weibull {shape}"),
                100_000,
                |r| ours.sample(r),
                |r| theirs.sample(r),
            );
        }
        let (ours, theirs) = (
            Triangular::new(1.0, 3.0, 10.0),
            rand_distr::Triangular::new(1.0, 10.0, 3.0).unwrap(),
        );
        same_draws("triangular", 100_000, |r| ours.sample(r), |r| theirs.sample(r));
    }

    /// The largest distance between the empirical distribution function of `n` draws and
    /// `cdf` (the Kolmogorov–Smirnov statistic).
    fn ks_distance(n: usize, mut draw: impl FnMut(&mut ChaCha8Rng) -> f64, cdf: impl Fn(f64) -> f64) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut xs: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        xs.iter()
            .enumerate()
            .map(|(i, &x)| {
                let f = cdf(x);
                (f - i as f64 / n as f64).max((i + 1) as f64 / n as f64 - f)
            })
            .fold(0.0, f64::max)
    }

    /// Each sampler with a closed-form distribution function passes a Kolmogorov–Smirnov
    /// test at the 99.9 % level (critical distance 1.949 / √n): its draws have the whole
    /// shape, tails included, not only the right mean.
    #[test]
    fn draws_follow_their_distribution_functions() {
        let n = 200_000;
        let critical = 1.949 / (n as f64).sqrt();
        let normal_cdf = |z: f64| 0.5 * math::erfc(-z / std::f64::consts::SQRT_2);
        let (lognormal, weibull, triangular) = (
            LogNormal::new(2.5, 0.7),
            Weibull::new(10.0, 1.5),
            Triangular::new(1.0, 3.0, 10.0),
        );
        let cases: [(&str, f64); 5] = [
            ("exponential", ks_distance(n, exp1, |x| -math::exp_m1(-x))),
            ("normal", ks_distance(n, standard_normal, normal_cdf)),
            (
                "lognormal",
                ks_distance(n, |r| lognormal.sample(r), |x| normal_cdf((math::ln(x) - 2.5) / 0.7)),
            ),
            (
                "Weibull",
                ks_distance(n, |r| weibull.sample(r), |x| -math::exp_m1(-math::powf(x / 10.0, 1.5))),
            ),
            (
                "triangular",
                ks_distance(
                    n,
                    |r| triangular.sample(r),
                    |x| {
                        if x < 3.0 {
                            (x - 1.0).powi(2) / (9.0 * 2.0)
                        } else {
                            1.0 - (10.0 - x).powi(2) / (9.0 * 7.0)
                        }
                    },
                ),
            ),
        ];
        for (name, distance) in cases {
            assert!(
                distance < critical,
                "{name}: Kolmogorov–Smirnov distance {distance:.5} ≥ {critical:.5}"
            );
        }
    }

    /// The gamma and PERT (whose distribution functions have no closed form) have the
    /// stated variance: shape·scale² and (mean − min)(max − mean)/7, within 5 standard
    /// errors of the sample variance (a 99.9999 % level for a normal estimate).
    #[test]
    fn gamma_and_pert_have_their_variances() {
        let n = 400_000;
        let variance_check = |name: &str, mean: f64, variance: f64, draw: &dyn Fn(&mut ChaCha8Rng) -> f64| {
            let mut rng = ChaCha8Rng::seed_from_u64(11);
            let squares: Vec<f64> = (0..n).map(|_| (draw(&mut rng) - mean).powi(2)).collect();
            let m = squares.iter().sum::<f64>() / n as f64;
            let sd = (squares.iter().map(|s| (s - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
            let se = sd / (n as f64).sqrt();
            assert!(
                (m - variance).abs() < 5.0 * se,
                "{name}: variance {m}, stated {variance} (se {se})"
            );
        };
        for shape in [0.3, 1.0, 2.5, 16.0] {
            let g = Gamma::new(shape, 3.0);
            variance_check(&format!("gamma {shape}"), shape * 3.0, shape * 9.0, &|r| g.sample(r));
        }
        for (min, mode, max) in [(1.0, 3.0, 10.0), (0.0, 0.0, 1.0), (2.0, 9.9, 10.0)] {
            let p = Pert::new(min, mode, max);
            let mean = (min + 4.0 * mode + max) / 6.0;
            let variance = (mean - min) * (max - mean) / 7.0;
            variance_check(&format!("PERT {min} {mode} {max}"), mean, variance, &|r| p.sample(r));
        }
    }
}
