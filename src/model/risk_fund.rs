//! The joint risk fund (风险共担基金): the parties commit its size by agreed shares, and
//! while money is left it pays `cover` of the losses of failed projects (the funds'
//! government money lost in failed investees, and a stated loss of the backers of each
//! project that fails before landing) and `subsidy_cover` of each real landing's subsidy.
//! Each payment is drawn from the parties by their shares, so a party's cost is its share
//! of what the fund paid; what the fund pays on the home budget's behalf comes off the
//! home outlay. While it has money it pulls graduates home (`[landing.weights]
//! risk_cover`).

use super::metrics::Optional;
use super::Prepared;
use crate::scenario;

/// What the risk fund holds and has paid over one replication, yuan.
pub(super) struct RiskFund {
    /// Money left.
    left: f64,
    /// Money paid, kept at most the size.
    paid: f64,
    /// Paid on the home budget's behalf: fund losses and landing subsidies it covered.
    home_items: f64,
    /// Paid to the backers of projects that failed before landing.
    compensation: f64,
}

impl RiskFund {
    /// The fund full, nothing paid.
    pub fn new(fund: &scenario::RiskFund) -> Self {
        RiskFund {
            left: fund.size_yuan,
            paid: 0.0,
            home_items: 0.0,
            compensation: 0.0,
        }
    }

    /// Pays `amount`, or what is left if less; returns what it paid.
    fn pay(&mut self, amount: f64, size: f64) -> f64 {
        let paid = amount.min(self.left);
        self.left -= paid;
        // Clamped, so that rounding in the sum never takes it past the size.
        self.paid = (self.paid + paid).min(size);
        paid
    }

    /// A project failed; `fund_loss` is the government money its fund lost in it (0 if
    /// none) and `before_landing` says whether it failed in an enclave or host stage.
    pub fn on_failure(&mut self, fund: &scenario::RiskFund, fund_loss: f64, before_landing: bool) {
        if fund_loss > 0.0 {
            self.home_items += self.pay(fund.cover * fund_loss, fund.size_yuan);
        }
        if before_landing && fund.loss_per_failure_yuan > 0.0 {
            self.compensation += self.pay(fund.cover * fund.loss_per_failure_yuan, fund.size_yuan);
        }
    }

    /// A real landing was paid a subsidy of `subsidy`: the fund covers its share.
    pub fn on_subsidy(&mut self, fund: &scenario::RiskFund, subsidy: f64) {
        if fund.subsidy_cover > 0.0 {
            self.home_items += self.pay(fund.subsidy_cover * subsidy, fund.size_yuan);
        }
    }

    /// The risk cover a graduate weighs in the landing choice: the fund's `cover` while
    /// it has money left, else 0.
    #[inline]
    pub fn cover_now(&self, fund: &scenario::RiskFund) -> f64 {
        if self.left > 0.0 {
            fund.cover
        } else {
            0.0
        }
    }

    /// What the fund has paid, never more than its size.
    pub fn paid(&self) -> f64 {
        self.paid
    }

    /// What it paid to the backers of failed projects.
    pub fn compensation(&self) -> f64 {
        self.compensation
    }

    /// The change in the home outlay: the home cities' share of what the fund paid, less
    /// what it paid on the home budget's behalf.
    pub fn home_net(&self, fund: &scenario::RiskFund) -> f64 {
        let home_share = fund.home.map_or(0.0, |h| fund.shares[h]);
        home_share * self.paid() - self.home_items
    }

    /// What party `name` paid into the fund: its share of what the fund paid (0 for a
    /// party that does not pay in).
    pub fn party_cost(&self, fund: &scenario::RiskFund, name: &str) -> f64 {
        fund.parties
            .iter()
            .position(|p| p == name)
            .map_or(0.0, |i| fund.shares[i] * self.paid())
    }

    /// Writes the risk fund's totals.
    pub fn report(&self, p: &Prepared<'_>, totals: &mut [f64]) {
        if let Some(slot) = p.optional_slot(Optional::RiskFundPaidYuan) {
            totals[slot] = self.paid();
        }
        if let Some(slot) = p.optional_slot(Optional::RiskFundCompensationYuan) {
            totals[slot] = self.compensation;
        }
    }
}
