//! Special functions shared by the distributions and the statistics.

use crate::math;

/// Lanczos coefficients for g = 7, n = 9.
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// ln Γ(x) for x ≥ 0.5 (Lanczos approximation).
pub fn ln_gamma(x: f64) -> f64 {
    let x = x - 1.0;
    let t = x + 7.5;
    let series = LANCZOS[1..]
        .iter()
        .enumerate()
        .fold(LANCZOS[0], |acc, (i, c)| acc + c / (x + i as f64 + 1.0));
    0.5 * math::ln(2.0 * std::f64::consts::PI) + (x + 0.5) * math::ln(t) - t + math::ln(series)
}

/// Γ(x) for positive x (reflection below 0.5).
pub fn gamma(x: f64) -> f64 {
    if x < 0.5 {
        std::f64::consts::PI / (math::sin(std::f64::consts::PI * x) * gamma(1.0 - x))
    } else {
        math::exp(ln_gamma(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_matches_factorials_and_half_integers() {
        assert!((gamma(5.0) - 24.0).abs() < 1e-9);
        assert!((gamma(0.5) - std::f64::consts::PI.sqrt()).abs() < 1e-12);
        assert!((gamma(0.25) - 3.625_609_908_221_908).abs() < 1e-10);
        assert!((ln_gamma(100.0) - 359.134_205_369_575_4).abs() < 1e-8);
    }
}
