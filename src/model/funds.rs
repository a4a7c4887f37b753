//! Guidance funds: a home city's fund takes an equity ticket in a project as it starts
//! the fund's stage, if money is left and the project passes the fund's selection. The
//! investee may be bound by a return clause to land at home — or, under a fund-level
//! return quota (强制返投), by the managers until the quota is met; the fund's money is
//! lost if the investee fails, and multiplied into return investment if it lands. An
//! investee that lands may draw a follow-on round of social capital; a fund with exits
//! sells each stake it still holds a random time after investing, at a random multiple,
//! and some exits are listings.

use super::metrics::{Optional, Total};
use super::project::{Project, NONE};
use super::streams::slot;
use super::Prepared;
use crate::dist::standard_normal;
use crate::engine::rng::open01;
use crate::scenario::Scenario;
use std::collections::HashMap;

/// A stake of a fund with exits, from the investment to the end.
struct Holding {
    /// The investee's key (its keyed streams).
    key: u64,
    /// The fund.
    fund: u16,
    /// When the fund exits, if the investee has not failed before.
    exit_at: f64,
    /// The investee failed before the exit: the stake is lost.
    lost: bool,
}

/// What the exits of the funds came to by the end of a replication.
#[derive(Clone, Copy, Default)]
pub(super) struct Exits {
    /// Stakes exited.
    pub count: u64,
    /// Government money exited (at cost), yuan.
    pub government_cost: f64,
    /// What the government money exited brought back, yuan.
    pub government_proceeds: f64,
    /// What the social money exited brought back, yuan.
    pub social_proceeds: f64,
    /// Government money still held at the end (at cost), yuan.
    pub held: f64,
    /// Exits that were listings.
    pub listings: u64,
}

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
    /// Return investment brought home by each fund's investees so far (for quotas).
    returned_by: Vec<f64>,
    /// Social capital of follow-on rounds, yuan.
    follow_on: f64,
    /// Stakes of funds with exits, in investment order; empty when no fund exits.
    holdings: Vec<Holding>,
    /// Index in `holdings` of each investee's stake, by the investee's key.
    holding_of: HashMap<u64, usize>,
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
            returned_by: vec![0.0; scenario.funds.len()],
            follow_on: 0.0,
            holdings: Vec::new(),
            holding_of: HashMap::new(),
        }
    }

    /// A fund of `owner` (the project's home) that invests at stage `s` takes a ticket
    /// in `project` at `now`, if money is left and the project passes its selection; the
    /// first such fund in file order wins.
    pub fn invest(&mut self, scenario: &Scenario, project: &mut Project, owner: usize, s: usize, now: f64) {
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
            // Under a quota the managers bind every investee until the return investment
            // brought home reaches it; then (or without one) the clause binds by chance.
            let quota = fund.return_quota.unwrap_or(0.0);
            let quota_open = quota > 0.0 && self.returned_by[f] < quota * fund.size_yuan;
            let bound = quota_open
                || fund.return_clause > 0.0
                    && open01(project.stream(slot::return_clause(f)).next_raw()) < fund.return_clause;
            project.fund = f as u16;
            project.bound = bound;
            if let Some(after) = &fund.exit_after {
                let months = after.sample(&mut project.stream(slot::EXIT_AFTER)).max(0.0);
                self.holding_of.insert(project.key, self.holdings.len());
                self.holdings.push(Holding {
                    key: project.key,
                    fund: f as u16,
                    exit_at: now + months,
                    lost: false,
                });
            }
            return;
        }
    }

    /// `project` lands at home: its fund's return investment comes with it.
    #[inline]
    pub fn on_landing(&mut self, scenario: &Scenario, project: &Project) {
        if project.fund != NONE {
            let fund = &scenario.funds[project.fund as usize];
            // The multiple is per yuan of the fund's own money, as Kunshan reports it.
            let returned = fund.return_multiple * fund.government_share * fund.ticket_yuan;
            self.returned += returned;
            self.returned_by[project.fund as usize] += returned;
            if let Some(follow_on) = &fund.follow_on {
                let multiple = follow_on.sample(&mut project.stream(slot::FOLLOW_ON)).max(0.0);
                self.follow_on += multiple * fund.ticket_yuan;
            }
        }
    }

    /// A project keyed `key` held by fund `fund` (or [`NONE`]) failed a stage at `now`:
    /// the fund's government money in it is lost, unless the fund had exited before.
    /// Returns the money lost. Takes the index, not the record, so that the caller's copy
    /// of the record need not live in memory.
    #[inline]
    pub fn on_failure(&mut self, scenario: &Scenario, fund: u16, key: u64, now: f64) -> f64 {
        if fund == NONE {
            return 0.0;
        }
        if !self.holdings.is_empty() {
            if let Some(&h) = self.holding_of.get(&key) {
                let holding = &mut self.holdings[h];
                if holding.exit_at <= now {
                    // The fund sold its stake before the failure.
                    return 0.0;
                }
                holding.lost = true;
            }
        }
        let fund = &scenario.funds[fund as usize];
        let lost = fund.government_share * fund.ticket_yuan;
        self.lost += lost;
        lost
    }

    /// Social capital drawn in: the social part of the tickets and the follow-on rounds.
    pub fn social_invested(&self) -> f64 {
        self.social + self.follow_on
    }

    /// The exits by `end`: stakes not lost whose exit came by then, each at its own
    /// multiple, some of them listings; the rest of the money deployed and not lost, in
    /// every fund, is still held.
    pub fn exits(&self, scenario: &Scenario, end: f64) -> Exits {
        let mut out = Exits::default();
        for holding in &self.holdings {
            if holding.lost {
                continue;
            }
            let fund = &scenario.funds[holding.fund as usize];
            let government = fund.government_share * fund.ticket_yuan;
            if holding.exit_at > end {
                continue;
            }
            let multiple = fund.exit_multiple.as_ref().map_or(1.0, |d| {
                d.sample(&mut super::streams::keyed(holding.key, slot::EXIT_MULTIPLE))
                    .max(0.0)
            });
            out.count += 1;
            out.government_cost += government;
            out.government_proceeds += multiple * government;
            out.social_proceeds += multiple * (fund.ticket_yuan - government);
            if fund.listing_chance > 0.0
                && open01(super::streams::keyed(holding.key, slot::LISTING).next_raw()) < fund.listing_chance
            {
                out.listings += 1;
            }
        }
        // Every stake neither lost nor exited, in funds that exit and in funds that hold
        // to the end alike.
        out.held = (self.deployed - self.lost - out.government_cost).max(0.0);
        out
    }

    /// Government money lost so far: part of the home outlay.
    pub fn lost(&self) -> f64 {
        self.lost
    }

    /// Writes the totals of the fund mechanics a scenario switches on: follow-on
    /// capital, exits (`exits`, worked out by [`Funds::exits`]), listings and quotas met.
    pub fn report_mechanics(&self, p: &Prepared<'_>, exits: &Exits, totals: &mut [f64]) {
        let sc = p.scenario();
        let mut put = |total: Optional, value: f64| {
            if let Some(slot) = p.optional_slot(total) {
                totals[slot] = value;
            }
        };
        put(Optional::FollowOnCapitalYuan, self.follow_on);
        put(Optional::FundExits, exits.count as f64);
        put(Optional::FundExitProceedsYuan, exits.government_proceeds);
        put(Optional::FundHeldYuan, exits.held);
        put(Optional::Listings, exits.listings as f64);
        let (mut met, mut quota) = (0.0, 0.0);
        for (fund, returned) in sc.funds.iter().zip(&self.returned_by) {
            let target = fund.return_quota.unwrap_or(0.0) * fund.size_yuan;
            met += returned.min(target);
            quota += target;
        }
        put(Optional::ReturnQuotaMet, super::money::ratio(met, quota));
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
