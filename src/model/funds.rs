//! Guidance funds: a home city's fund takes an equity ticket in a project as it starts
//! the fund's stage, if money is left and the project passes the fund's selection. The
//! investee may be bound by a return clause to land at home; the fund's money is lost if
//! the investee fails, and multiplied into return investment if it lands.

use super::metrics::Total;
use super::project::{Project, NONE};
use super::streams::slot;
use crate::dist::standard_normal;
use crate::engine::rng::open01;
use crate::scenario::Scenario;

/// What the funds hold and have moved over one replication, yuan unless noted.
pub(super) struct Funds {
    /// Government money left in each fund.
    left: Vec<f64>,
    /// Government money invested.
    deployed: f64,
    /// Social co-investment drawn in alongside.
    social: f64,
    /// Investment that investees brought home on landing.
    returned: f64,
    /// Government money lost in investees that failed.
    lost: f64,
    /// Number of tickets taken.
    investments: u64,
}

impl Funds {
    /// Every fund full, nothing invested.
    pub fn new(scenario: &Scenario) -> Self {
        Funds {
            left: scenario.funds.iter().map(|f| f.size_yuan).collect(),
            deployed: 0.0,
            social: 0.0,
            returned: 0.0,
            lost: 0.0,
            investments: 0,
        }
    }

    /// A fund of `owner` (the project's home) that invests at stage `s` takes a ticket
    /// in `project`, if money is left and the project passes its selection; the first
    /// such fund in file order wins.
    pub fn invest(&mut self, scenario: &Scenario, project: &mut Project, owner: usize, s: usize) {
        for (f, fund) in scenario.funds.iter().enumerate() {
            let government = fund.government_share * fund.ticket_yuan;
            if fund.stage != s || fund.owner != owner || self.left[f] < government {
                continue;
            }
            if let Some(bar) = fund.selection_bar {
                let mut signal = project.quality;
                if fund.scouting_noise > 0.0 {
                    signal += fund.scouting_noise * standard_normal(&mut project.stream(slot::fund_signal(f)));
                }
                if signal < bar {
                    continue;
                }
            }
            self.left[f] -= government;
            self.deployed += government;
            self.social += fund.ticket_yuan - government;
            self.investments += 1;
            let bound = fund.return_clause > 0.0
                && open01(project.stream(slot::return_clause(f)).next_raw()) < fund.return_clause;
            project.fund = f as u16;
            project.bound = bound;
            return;
        }
    }

    /// `project` lands at home: its fund's return investment comes with it.
    #[inline]
    pub fn on_landing(&mut self, scenario: &Scenario, project: &Project) {
        if project.fund != NONE {
            let fund = &scenario.funds[project.fund as usize];
            // The multiple is per yuan of the fund's own money, as Kunshan reports it.
            self.returned += fund.return_multiple * fund.government_share * fund.ticket_yuan;
        }
    }

    /// A project held by fund `fund` (or [`NONE`]) failed a stage: the fund's
    /// government money in it is lost. Takes the index, not the record, so that the
    /// caller's copy of the record need not live in memory.
    #[inline]
    pub fn on_failure(&mut self, scenario: &Scenario, fund: u16) {
        if fund != NONE {
            let fund = &scenario.funds[fund as usize];
            self.lost += fund.government_share * fund.ticket_yuan;
        }
    }

    /// Government money lost so far: part of the home outlay.
    pub fn lost(&self) -> f64 {
        self.lost
    }

    /// Writes the fund totals (over the whole horizon, warm-up included).
    pub fn report(&self, totals: &mut [f64]) {
        totals[Total::FundDeployedYuan.index()] = self.deployed;
        totals[Total::SocialCapitalYuan.index()] = self.social;
        totals[Total::ReturnInvestmentYuan.index()] = self.returned;
        totals[Total::FundLossesYuan.index()] = self.lost;
        totals[Total::FundInvestments.index()] = self.investments as f64;
    }
}
