//! Internal control variates: quantities a replication observes at no extra cost whose
//! expectation is known exactly from the scenario, reported minus that expectation (so
//! every control has mean zero). The runner regresses a total on them across
//! replications to narrow its interval (`--variance-reduction`); nothing here changes
//! what the model draws or reports in its totals.
//!
//! Only measured projects and arrivals (from the end of the warm-up) count, so that the
//! controls move with the totals they are meant to explain. Each martingale control
//! (quality, durations, passes, home choice) sums "draw minus its mean given the past":
//! whether a draw happens never depends on the draw itself, so each term, and the sum,
//! has mean zero exactly (Wald's identity), whatever queues, limits or horizons decide.

use crate::math;
use crate::scenario::Scenario;

/// The controls, in the order of [`crate::model::Outcome::controls`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// Candidates from flows after the warm-up, minus their expected number (Σ rate ×
    /// seasonal weight over the measured months). Absent when a candidate limit can cut
    /// the flows, whose count then has no known mean.
    Arrivals = 0,
    /// Sum of the standard-normal draws behind measured candidates' quality (mean 0).
    Quality,
    /// Sum of (drawn stage duration / its distribution's mean − 1) over measured
    /// projects' starts of stages before the hand-off to home (stages of constant
    /// duration left out).
    DurationsAway,
    /// The same over stages from the hand-off on.
    DurationsHome,
    /// Sum of (passed − chance of passing) over measured projects' uncertain stages before
    /// the hand-off to home.
    PassesAway,
    /// The same over stages from the hand-off on.
    PassesHome,
    /// Sum of (chose home − chance of choosing home) over measured graduates' landing
    /// choices.
    HomeChoice,
    /// Sum of (met − the enclave's reach) over the scouting draws of flows' and bursts'
    /// candidates after the warm-up (enclaves of reach 1 draw nothing).
    Meetings,
    /// Sum of (drawn output / its sector's mean output − 1) × years left to the horizon
    /// over firms that start production (sectors whose output is constant or may be
    /// negative, which production cuts at zero, left out): output known early weighs
    /// more, as it does in the tax.
    Output,
    /// Links whose cooperation broke down at a random time before the horizon, minus the
    /// expected number (Σ over links of the chance of a breakdown by the horizon).
    Breakdowns,
    /// Measured months (from the end of the warm-up to the horizon) after each link's
    /// random breakdown, summed over links, minus their expectation: admissions stop when
    /// a link breaks, so an early breakdown costs in proportion to the months it takes.
    MonthsAfterBreakdowns,
}

/// Number of controls.
pub const COUNT: usize = 11;

/// Every control, in index order.
pub const ALL: [Control; COUNT] = [
    Control::Arrivals,
    Control::Quality,
    Control::DurationsAway,
    Control::DurationsHome,
    Control::PassesAway,
    Control::PassesHome,
    Control::HomeChoice,
    Control::Meetings,
    Control::Output,
    Control::Breakdowns,
    Control::MonthsAfterBreakdowns,
];

impl Control {
    /// The control's name in result files.
    pub fn name(self) -> &'static str {
        match self {
            Control::Arrivals => "arrivals",
            Control::Quality => "quality",
            Control::DurationsAway => "durations_before_landing",
            Control::DurationsHome => "durations_at_home",
            Control::PassesAway => "stage_passes_before_landing",
            Control::PassesHome => "stage_passes_at_home",
            Control::HomeChoice => "home_choice",
            Control::Meetings => "scouts_meetings",
            Control::Output => "firm_output",
            Control::Breakdowns => "link_breakdowns",
            Control::MonthsAfterBreakdowns => "months_after_breakdowns",
        }
    }
}

/// Expected candidates from flows between the end of the warm-up and the horizon:
/// `None` when the scenario has no horizon or a candidate limit (the count then has no
/// mean feidi knows exactly).
pub fn expected_flow_arrivals(sc: &Scenario) -> Option<f64> {
    let end = sc.horizon?;
    if sc.candidate_limit.is_some() {
        return None;
    }
    let start = sc.warmup.min(end);
    Some(
        sc.flows
            .iter()
            .map(|f| f.rate_per_month * weighted_months(f.seasonality.as_ref(), sc.start_month, start, end))
            .sum(),
    )
}

/// Expected random breakdowns before the horizon and expected measured months after
/// them, summed over links: for a link whose hazard integrates to `H(t)` by month *t*,
/// the chance is `1 − e^{−H(h)}` and the months `∫_w^h (1 − e^{−H(t)}) dt` (warm-up *w*,
/// horizon *h*). `phases` holds each link's hazard phases under governance (empty for a
/// link without, whose hazard is constant). `None` without a horizon.
pub(super) fn expected_breakdowns(sc: &Scenario, phases: &[Vec<super::governance::Phase>]) -> Option<(f64, f64)> {
    let end = sc.horizon?;
    let start = sc.warmup.min(end);
    let mut chance = 0.0;
    let mut months = 0.0;
    for (l, link) in sc.links.iter().enumerate() {
        if link.breakdown_per_month <= 0.0 {
            continue;
        }
        let constant = [(0.0, link.breakdown_per_month)];
        let steps: Vec<(f64, f64)> = match phases.get(l).map(Vec::as_slice) {
            None | Some([]) => constant.to_vec(),
            Some(ph) => ph.iter().map(|p| (p.from, p.hazard_per_month)).collect(),
        };
        let (survive_end, survive_integral) = survival(&steps, start, end);
        chance += 1.0 - survive_end;
        months += (end - start) - survive_integral;
    }
    Some((chance, months))
}

/// For a hazard piecewise constant on `steps` (start month, rate per month; zero before
/// the first step, each lasting until the next), the survival `e^{−H(end)}` and its
/// integral over [from, end).
fn survival(steps: &[(f64, f64)], from: f64, end: f64) -> (f64, f64) {
    let mut cumulative = 0.0; // H at the current step's start
    let mut integral = 0.0;
    // Before the first step nothing can break.
    let first = steps.first().map_or(f64::INFINITY, |s| s.0);
    integral += (first.min(end) - from).max(0.0);
    for (i, &(at, rate)) in steps.iter().enumerate() {
        let next = steps.get(i + 1).map_or(f64::INFINITY, |s| s.0);
        let (a, b) = (at.max(from), next.min(end));
        if b > a {
            // H(a) = cumulative + rate (a − at); ∫_a^b e^{−H} dt.
            let at_a = math::exp(-(cumulative + rate * (a - at)));
            integral += if rate > 0.0 {
                at_a * (1.0 - math::exp(-rate * (b - a))) / rate
            } else {
                at_a * (b - a)
            };
        }
        if next >= end {
            cumulative += rate * (end - at).max(0.0);
            return (math::exp(-cumulative), integral);
        }
        cumulative += rate * (next - at);
    }
    (math::exp(-cumulative), integral)
}

/// ∫ weight(t) dt over [from, to): months of the window, each calendar month counted at
/// its seasonal weight (1 when not seasonal), as the arrival thinning uses them.
fn weighted_months(weights: Option<&[f64; 12]>, start_month: u8, from: f64, to: f64) -> f64 {
    let Some(w) = weights else {
        return (to - from).max(0.0);
    };
    let mut total = 0.0;
    let mut t = from;
    while t < to {
        let month = t.floor();
        let next = (month + 1.0).min(to);
        total += w[(month as i64 + start_month as i64).rem_euclid(12) as usize] * (next - t);
        t = next;
    }
    total
}

/// One replication's control sums.
pub(super) struct Controls {
    sums: [f64; COUNT],
    /// Measured flow arrivals.
    arrivals: u64,
    /// 1 / mean duration of each stage (0 when the duration is constant).
    inverse_mean_duration: Vec<f64>,
    /// First stage at home (the stage count when none is).
    first_home: usize,
    /// 1 / mean output of each sector (0 when constant, possibly negative or no
    /// economics).
    inverse_mean_output: Vec<f64>,
    /// The horizon (infinite when none: then each firm weighs 1).
    horizon: f64,
    /// Where measured months start: the end of the warm-up, or the horizon if sooner.
    measured_from: f64,
}

impl Controls {
    pub(super) fn new(sc: &Scenario) -> Self {
        Controls {
            sums: [0.0; COUNT],
            arrivals: 0,
            inverse_mean_duration: sc
                .stages
                .iter()
                .map(|s| {
                    let mean = s.duration.mean();
                    if s.duration.is_constant() || mean.is_nan() || mean <= 0.0 {
                        0.0
                    } else {
                        1.0 / mean
                    }
                })
                .collect(),
            first_home: sc.handoff_stage().unwrap_or(sc.stages.len()),
            inverse_mean_output: sc.economics.as_ref().map_or_else(Vec::new, |e| {
                e.output
                    .iter()
                    .map(|d| {
                        let mean = d.mean();
                        if d.is_constant() || d.lower_bound() < 0.0 || mean.is_nan() || mean <= 0.0 {
                            0.0
                        } else {
                            1.0 / mean
                        }
                    })
                    .collect()
            }),
            horizon: sc.horizon.unwrap_or(f64::INFINITY),
            measured_from: sc.horizon.map_or(sc.warmup, |h| sc.warmup.min(h)),
        }
    }

    /// A firm of `sector` starts production at `now` with output drawn `output`.
    #[inline]
    pub(super) fn output(&mut self, sector: usize, now: f64, output: f64) {
        let scale = self.inverse_mean_output[sector];
        if scale > 0.0 && output.is_finite() {
            let weight = if self.horizon.is_finite() {
                (self.horizon - now).max(0.0) / 12.0
            } else {
                1.0
            };
            self.sums[Control::Output as usize] += (output * scale - 1.0) * weight;
        }
    }

    /// A link's cooperation breaks down at month `at` from its random draw (infinite or
    /// past the horizon when it holds).
    #[inline]
    pub(super) fn breakdown(&mut self, at: f64) {
        // Without a horizon there is no known expectation, and no stratum either.
        if self.horizon.is_finite() && at < self.horizon {
            self.sums[Control::Breakdowns as usize] += 1.0;
            self.sums[Control::MonthsAfterBreakdowns as usize] += self.horizon - at.max(self.measured_from);
        }
    }

    /// The replication's stratum for variance reduction: 0 when no link broke down at
    /// random before the horizon, 1 when some did.
    pub(super) fn stratum(&self) -> u8 {
        (self.sums[Control::Breakdowns as usize] > 0.0) as u8
    }

    /// A flow's candidate arrived after the warm-up.
    #[inline]
    pub(super) fn flow_arrival(&mut self) {
        self.arrivals += 1;
    }

    /// A measured candidate's quality drew standard normal `z`.
    #[inline]
    pub(super) fn quality(&mut self, z: f64) {
        self.sums[Control::Quality as usize] += z;
    }

    /// A measured project drew `duration` for stage `s`.
    #[inline]
    pub(super) fn duration(&mut self, s: usize, duration: f64) {
        let scale = self.inverse_mean_duration[s];
        if scale > 0.0 && duration.is_finite() {
            let which = if s < self.first_home {
                Control::DurationsAway
            } else {
                Control::DurationsHome
            };
            self.sums[which as usize] += duration * scale - 1.0;
        }
    }

    /// A measured project passed (or not) stage `s` with chance `chance`.
    #[inline]
    pub(super) fn stage_passed(&mut self, s: usize, passed: bool, chance: f64) {
        let which = if s < self.first_home {
            Control::PassesAway
        } else {
            Control::PassesHome
        };
        self.sums[which as usize] += passed as u8 as f64 - chance;
    }

    /// A measured graduate chose home (or not) with chance `chance`.
    #[inline]
    pub(super) fn home_choice(&mut self, home: bool, chance: f64) {
        self.sums[Control::HomeChoice as usize] += home as u8 as f64 - chance;
    }

    /// An enclave's scouts met (or not) a candidate after the warm-up, with chance `reach`.
    #[inline]
    pub(super) fn meeting(&mut self, met: bool, reach: f64) {
        self.sums[Control::Meetings as usize] += met as u8 as f64 - reach;
    }

    /// The controls, each minus its expectation; 0 for a control the scenario cannot use.
    pub(super) fn report(&self, expected_arrivals: Option<f64>, expected_breakdowns: Option<(f64, f64)>) -> Vec<f64> {
        let mut out = self.sums.to_vec();
        out[Control::Arrivals as usize] = expected_arrivals.map_or(0.0, |e| self.arrivals as f64 - e);
        match expected_breakdowns {
            Some((chance, months)) => {
                out[Control::Breakdowns as usize] -= chance;
                out[Control::MonthsAfterBreakdowns as usize] -= months;
            }
            None => {
                out[Control::Breakdowns as usize] = 0.0;
                out[Control::MonthsAfterBreakdowns as usize] = 0.0;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The survival integral against a midpoint sum on a fine grid, for a hazard that is
    /// zero, then 0.02, then 0.05 a month.
    #[test]
    fn survival_integrates_a_piecewise_constant_hazard() {
        let steps = [(3.0, 0.02), (10.0, 0.0), (15.0, 0.05)];
        let (from, end) = (1.0, 40.0);
        let (survive_end, integral) = survival(&steps, from, end);
        let cumulative_at = |t: f64| 0.02 * (t.min(10.0) - 3.0).max(0.0) + 0.05 * (t - 15.0).max(0.0);
        assert!((survive_end - (-cumulative_at(end)).exp()).abs() < 1e-12);
        let k = 200_000;
        let h = (end - from) / k as f64;
        let sum: f64 = (0..k)
            .map(|i| (-cumulative_at(from + (i as f64 + 0.5) * h)).exp() * h)
            .sum();
        assert!((integral - sum).abs() < 1e-6, "{integral} against {sum}");
        // A constant hazard from 0: survival e^{−μh}, integral (e^{−μw} − e^{−μh}) / μ.
        let (s, i) = survival(&[(0.0, 0.01)], 12.0, 120.0);
        assert!((s - (-1.2f64).exp()).abs() < 1e-12);
        assert!((i - ((-0.12f64).exp() - (-1.2f64).exp()) / 0.01).abs() < 1e-9);
    }

    #[test]
    fn seasonal_months_are_weighted_from_the_start_month() {
        let mut w = [1.0; 12];
        w[2] = 3.0; // March
                    // Starting in February (index 1): month 1 of the run is March.
        assert_eq!(weighted_months(Some(&w), 1, 0.0, 3.0), 1.0 + 3.0 + 1.0);
        assert_eq!(weighted_months(Some(&w), 1, 0.5, 1.5), 0.5 + 1.5);
        assert_eq!(weighted_months(None, 1, 0.5, 1.5), 1.0);
        assert_eq!(weighted_months(Some(&w), 0, 0.0, 24.0), 2.0 * 14.0);
    }
}
