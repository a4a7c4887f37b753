//! Governance of a home–host link (`[link.governance]`): the coordination body and how
//! fairly benefits are shared with the host set the cooperation's breakdown hazard, and
//! the body eases the host's administrative friction in the landing choice.
//!
//! The hazard is piecewise constant: it changes only where a policy change sets a new tax
//! split or a new body. The breakdown month is where the integrated hazard reaches the
//! link's one Exp(1) draw from the breakdown stream, so under common random numbers a
//! lower hazard at every moment can only delay the breakdown; with one constant phase it
//! is the same draw divided by the same rate as without governance.

use super::metrics::Optional;
use super::Prepared;
use crate::scenario::{Body, Governance, Link, Scenario, Setting, TaxSplit};

/// A stretch of time over which a governed link's hazard and barrier are constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Phase {
    /// Month the phase starts (it lasts until the next phase's start).
    pub from: f64,
    /// Breakdown hazard, per month.
    pub hazard_per_month: f64,
    /// The link's administrative barrier as the landing choice weighs it.
    pub barrier: f64,
}

/// The host's benefit share under `split` (its base tax share; the floating part, which
/// moves with the landing rate, is left out) plus the GDP share it may count.
pub(super) fn host_benefit_share(split: Option<&TaxSplit>, governance: &Governance) -> f64 {
    let tax = split
        .and_then(|s| s.parties.iter().position(|p| p == "host").map(|h| s.base[h]))
        .unwrap_or(0.0);
    tax + governance.gdp_share_host
}

/// The hazard per month of `link` under `body` and `split`:
/// base × body factor × exp(sensitivity × max(0, expected share − host share)).
pub(super) fn hazard(link: &Link, governance: &Governance, body: Body, split: Option<&TaxSplit>) -> f64 {
    let shortfall = (governance.expected_host_share - host_benefit_share(split, governance)).max(0.0);
    let unfairness = if shortfall > 0.0 {
        crate::math::exp(governance.fairness_sensitivity * shortfall)
    } else {
        1.0
    };
    link.breakdown_per_month * governance.hazard_factor[body.index()] * unfairness
}

/// The phases of link `l`, from month 0 (empty for a link without governance), following
/// the changes of tax split and body in date order.
pub(super) fn phases(scenario: &Scenario, l: usize) -> Vec<Phase> {
    let link = &scenario.links[l];
    let Some(governance) = &link.governance else {
        return Vec::new();
    };
    let mut split = scenario.economics.as_ref().map(|e| &e.tax_split);
    let mut body = governance.body;
    let phase = |from: f64, body: Body, split: Option<&TaxSplit>| Phase {
        from,
        hazard_per_month: hazard(link, governance, body, split),
        barrier: link.barrier * governance.barrier_factor[body.index()],
    };
    let mut out = vec![phase(0.0, body, split)];
    for change in &scenario.changes {
        let mut touched = false;
        for setting in &change.settings {
            match setting {
                Setting::TaxSplit(s) => {
                    split = Some(s);
                    touched = true;
                }
                Setting::GovernanceBody(i, b) if *i == l => {
                    body = *b;
                    touched = true;
                }
                _ => {}
            }
        }
        if touched {
            // Changes come sorted by date; several at one date leave the last state.
            if out.last().is_some_and(|p| p.from == change.at) {
                out.pop();
            }
            out.push(phase(change.at, body, split));
        }
    }
    out
}

/// The month at which the hazard of `phases` integrates to `gap` (an Exp(1) draw);
/// infinite when it never does.
pub(super) fn breakdown_month(phases: &[Phase], gap: f64) -> f64 {
    let mut used = 0.0;
    for (i, phase) in phases.iter().enumerate() {
        let end = phases.get(i + 1).map_or(f64::INFINITY, |p| p.from);
        if phase.hazard_per_month > 0.0 {
            let need = gap - used;
            if need <= phase.hazard_per_month * (end - phase.from) {
                return phase.from + need / phase.hazard_per_month;
            }
            used += phase.hazard_per_month * (end - phase.from);
        }
    }
    f64::INFINITY
}

/// The barrier the landing choice weighs at month `now` on link `l` (as written when the
/// link has no governance).
#[inline]
pub(super) fn barrier_at(p: &Prepared<'_>, l: usize, now: f64) -> f64 {
    match p.governance.get(l).map(Vec::as_slice) {
        None | Some([]) => p.scenario.links[l].barrier,
        Some(phases) => {
            phases
                .iter()
                .rev()
                .find(|ph| ph.from <= now)
                .unwrap_or(&phases[0])
                .barrier
        }
    }
}

/// Writes the governance totals, when the scenario reports them: the first breakdown
/// month (NaN without one), the links that broke down and the months the links'
/// cooperation lasted up to `end`, summed over links. `broke_at` holds each link's
/// breakdown month (infinite while it holds).
pub(super) fn report(p: &Prepared<'_>, broke_at: &[f64], end: f64, totals: &mut [f64]) {
    if let Some(slot) = p.optional_slot(Optional::BreakdownMonth) {
        let first = broke_at.iter().copied().fold(f64::INFINITY, f64::min);
        totals[slot] = if first.is_finite() { first } else { f64::NAN };
    }
    if let Some(slot) = p.optional_slot(Optional::Breakdowns) {
        totals[slot] = broke_at.iter().filter(|t| t.is_finite()).count() as f64;
    }
    if let Some(slot) = p.optional_slot(Optional::CooperationMonths) {
        totals[slot] = broke_at.iter().map(|&t| t.min(end).max(0.0)).sum();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(from: f64, hazard_per_month: f64) -> Phase {
        Phase {
            from,
            hazard_per_month,
            barrier: 0.0,
        }
    }

    #[test]
    fn one_constant_phase_divides_the_draw_by_the_rate() {
        assert_eq!(breakdown_month(&[phase(0.0, 0.25)], 1.5), 1.5 / 0.25);
        assert_eq!(breakdown_month(&[phase(0.0, 0.0)], 1.5), f64::INFINITY);
    }

    #[test]
    fn the_hazard_is_integrated_across_phases() {
        // 0.1 a month for 10 months uses 1.0 of the draw; the rest at 0.5 a month.
        let phases = [phase(0.0, 0.1), phase(10.0, 0.5)];
        assert!((breakdown_month(&phases, 2.0) - (10.0 + 1.0 / 0.5)).abs() < 1e-12);
        assert!((breakdown_month(&phases, 0.5) - 5.0).abs() < 1e-12);
        // A lower hazard in any phase can only delay the breakdown.
        let fairer = [phase(0.0, 0.05), phase(10.0, 0.5)];
        for gap in [0.1, 0.5, 1.0, 2.0, 5.0] {
            assert!(breakdown_month(&fairer, gap) >= breakdown_month(&phases, gap));
        }
    }
}
