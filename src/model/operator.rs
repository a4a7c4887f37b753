//! The enclave's operator where it acts beyond screening (the noisy reading of quality,
//! the bar and its drift are applied as a candidate arrives; the reach factor is folded
//! into the enclave's reach when the scenario is read): services that raise the success
//! of enclave stages, and the performance fee paid per real landing. Fixed and per-seat
//! fees accrue by the month with rent (`money.rs`).

use super::metrics::Optional;
use super::Prepared;
use crate::scenario::Scenario;

/// Performance fees paid over one replication.
pub(super) struct Operators {
    /// Fees per landing paid so far, yuan.
    landing_fees: f64,
}

impl Operators {
    /// Nothing paid.
    pub fn new() -> Self {
        Operators { landing_fees: 0.0 }
    }

    /// The shift in log-odds of success that enclave `e`'s operator's services give a
    /// project in an enclave stage.
    #[inline]
    pub fn services_boost(scenario: &Scenario, e: usize) -> f64 {
        scenario.enclaves[e].operator.services_boost
    }

    /// A project of enclave `e` landed at home for real: its operator's performance fee
    /// is due.
    #[inline]
    pub fn on_landing(&mut self, scenario: &Scenario, e: usize) {
        self.landing_fees += scenario.enclaves[e].operator.fee_yuan_per_landing;
    }

    /// Performance fees paid so far, yuan.
    #[inline]
    pub fn landing_fees(&self) -> f64 {
        self.landing_fees
    }

    /// Writes the performance fees paid, when the scenario reports them.
    pub fn report(&self, p: &Prepared<'_>, totals: &mut [f64]) {
        if let Some(slot) = p.optional_slot(Optional::OperatorLandingFeesYuan) {
            totals[slot] = self.landing_fees;
        }
    }
}
