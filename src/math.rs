//! Portable elementary functions: the same bits on every platform.
//!
//! Rust's `f64::exp`, `ln`, `powf`, `sin` … call the platform's C maths library (glibc on
//! Linux, mingw-w64's on Windows), and those round some results differently in the last
//! place, so the same seed would give slightly different result files on Windows and
//! Linux. Every transcendental function that can reach a result comes from here instead:
//! the pure-Rust `libm` crate (a port of musl's and FreeBSD's libm), compiled into feidi
//! from the same source for every target, using only IEEE 754 basic operations, which are
//! exact everywhere. Each is accurate to within one unit in the last place, as good as the
//! platform's. Square roots, `floor`, `abs`, `min`/`max` and `powi` need nothing from here:
//! IEEE 754 specifies their results exactly (`powi` is repeated multiplication).
//! `tests/architecture.rs` checks that no other module calls the platform's functions.

/// e^x.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// e^x − 1, accurate for small x.
#[inline]
pub fn exp_m1(x: f64) -> f64 {
    libm::expm1(x)
}

/// The natural logarithm.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// ln(1 + x), accurate for small x.
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// The base-10 logarithm.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// x^y for a real power y.
#[inline]
pub fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// The cube root.
#[inline]
pub fn cbrt(x: f64) -> f64 {
    libm::cbrt(x)
}

/// The sine of x radians.
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// The cosine of x radians.
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// The tangent of x radians.
#[inline]
pub fn tan(x: f64) -> f64 {
    libm::tan(x)
}

/// The arc tangent, in radians in [−π/2, π/2].
#[inline]
pub fn atan(x: f64) -> f64 {
    libm::atan(x)
}

/// The angle of the point (x, y), in radians in [−π, π].
#[inline]
pub fn atan2(y: f64, x: f64) -> f64 {
    libm::atan2(y, x)
}

/// The error function.
#[inline]
pub fn erf(x: f64) -> f64 {
    libm::erf(x)
}

/// The complementary error function 1 − erf(x), accurate in the upper tail.
#[inline]
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many representable f64 values lie between a and b (0 when equal).
    fn ulps(a: f64, b: f64) -> u64 {
        if a == b || (a.is_nan() && b.is_nan()) {
            return 0;
        }
        // Map the bit patterns onto one monotone integer line.
        let key = |x: f64| {
            let bits = x.to_bits() as i64;
            if bits < 0 {
                i64::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    /// Arguments spread over many magnitudes and both signs, from a fixed sequence.
    fn arguments(lo: f64, hi: f64) -> Vec<f64> {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        (0..20_000)
            .map(|_| {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                lo + (hi - lo) * ((state >> 11) as f64 / (1u64 << 53) as f64)
            })
            .collect()
    }

    /// Each portable function agrees with the platform's (glibc's, where the tests run)
    /// to within 2 units in the last place: both are accurate to within one of the true
    /// value, so they can differ by at most two. A wrongly wired function (ln for log10,
    /// sin for cos) would differ by far more.
    #[test]
    fn portable_functions_agree_with_the_platforms_to_two_ulps() {
        type Pair = (&'static str, fn(f64) -> f64, fn(f64) -> f64, f64, f64);
        let cases: [Pair; 11] = [
            ("exp", exp, f64::exp, -700.0, 700.0),
            ("exp_m1", exp_m1, f64::exp_m1, -5.0, 5.0),
            ("ln", ln, f64::ln, 1e-300, 1e300),
            ("ln near 1", ln, f64::ln, 0.5, 2.0),
            ("ln_1p", ln_1p, f64::ln_1p, -0.9, 10.0),
            ("log10", log10, f64::log10, 1e-12, 1e12),
            ("cbrt", cbrt, f64::cbrt, -1e6, 1e6),
            ("sin", sin, f64::sin, -100.0, 100.0),
            ("cos", cos, f64::cos, -100.0, 100.0),
            ("tan", tan, f64::tan, -1.5, 1.5),
            ("atan", atan, f64::atan, -50.0, 50.0),
        ];
        for (name, portable, platform, lo, hi) in cases {
            for x in arguments(lo, hi) {
                let (p, q) = (portable(x), platform(x));
                assert!(ulps(p, q) <= 2, "{name}({x:e}): portable {p:e}, platform {q:e}");
            }
        }
        for (x, y) in arguments(0.01, 50.0).into_iter().zip(arguments(-8.0, 8.0)) {
            let (p, q) = (powf(x, y), x.powf(y));
            assert!(ulps(p, q) <= 2, "powf({x:e}, {y:e}): portable {p:e}, platform {q:e}");
        }
        for (y, x) in arguments(-5.0, 5.0).into_iter().zip(arguments(-5.0, 5.0)) {
            let (p, q) = (atan2(y, x), y.atan2(x));
            assert!(ulps(p, q) <= 2, "atan2({y:e}, {x:e}): portable {p:e}, platform {q:e}");
        }
    }

    /// erf from its Maclaurin series (std has no erf), for |x| ≤ 1.
    fn erf_reference(x: f64) -> f64 {
        let mut term = x;
        let mut sum = x;
        for n in 1..40 {
            term *= -x * x / n as f64;
            sum += term / (2 * n + 1) as f64;
        }
        sum * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn exact_and_limiting_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert_eq!(log10(1000.0), 3.0);
        assert_eq!(powf(2.0, 10.0), 1024.0);
        assert_eq!(powf(9.0, 0.5), 3.0);
        assert_eq!(cbrt(-27.0), -3.0);
        assert_eq!(sin(0.0), 0.0);
        assert_eq!(cos(0.0), 1.0);
        assert_eq!(erf(0.0), 0.0);
        assert_eq!(erf(f64::INFINITY), 1.0);
        assert_eq!(erfc(f64::INFINITY), 0.0);
        assert_eq!(ln_1p(0.0), 0.0);
        assert_eq!(exp_m1(0.0), 0.0);
    }

    #[test]
    fn erf_is_odd_and_erfc_is_its_complement() {
        for x in arguments(-6.0, 6.0) {
            assert_eq!(erf(-x), -erf(x), "erf(-{x})");
            assert!((erf(x) + erfc(x) - 1.0).abs() < 4.0 * f64::EPSILON, "erf + erfc at {x}");
        }
        // The series sums 40 terms, each rounded: agreement to 1e-15 relative.
        for x in arguments(-1.0, 1.0) {
            let reference = erf_reference(x);
            assert!((erf(x) - reference).abs() <= 1e-15 * reference.abs(), "erf({x})");
        }
        // erf(1) to 17 digits (Abramowitz and Stegun, table 7.1).
        assert!(ulps(erf(1.0), 0.842_700_792_949_714_9) <= 1);
    }
}
