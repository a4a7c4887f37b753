//! Innovation vouchers: a home city's scheme pays a project as it starts the scheme's
//! stage, while budget lasts; the voucher shortens the stage and raises its odds.

use super::metrics::Total;
use super::project::Project;
use crate::scenario::Scenario;

/// What the voucher schemes hold and have paid over one replication.
pub(super) struct Vouchers {
    /// Budget left in each scheme, yuan.
    left: Vec<f64>,
    /// Vouchers paid, yuan.
    spent: f64,
    /// Projects paid.
    projects: u64,
}

impl Vouchers {
    /// Every budget full, nothing paid.
    pub fn new(scenario: &Scenario) -> Self {
        Vouchers {
            left: scenario.vouchers.iter().map(|v| v.budget_yuan).collect(),
            spent: 0.0,
            projects: 0,
        }
    }

    /// A scheme of `owner` (the project's home) for stage `s` pays `project` if budget
    /// is left (the first in file order); returns the factor on the stage's duration.
    pub fn give(&mut self, scenario: &Scenario, project: &mut Project, owner: usize, s: usize) -> f64 {
        for (v, voucher) in scenario.vouchers.iter().enumerate() {
            if voucher.stage == s && voucher.owner == owner && self.left[v] >= voucher.amount_yuan {
                self.left[v] -= voucher.amount_yuan;
                self.spent += voucher.amount_yuan;
                self.projects += 1;
                project.voucher = v as u16;
                return voucher.duration_factor;
            }
        }
        1.0
    }

    /// The shift in log-odds of passing stage `s` that voucher `voucher` (an index, or
    /// `NONE`) gives: 0 without a voucher for that stage.
    #[inline]
    pub fn success_boost(scenario: &Scenario, voucher: u16, s: usize) -> f64 {
        scenario
            .vouchers
            .get(voucher as usize)
            .filter(|v| v.stage == s)
            .map_or(0.0, |v| v.success_boost)
    }

    /// Vouchers paid so far, yuan: part of the home outlay.
    pub fn spent(&self) -> f64 {
        self.spent
    }

    /// Writes the voucher totals (over the whole horizon, warm-up included).
    pub fn report(&self, totals: &mut [f64]) {
        totals[Total::VouchersYuan.index()] = self.spent;
        totals[Total::VoucherProjects.index()] = self.projects as f64;
    }
}
