//! Cost and benefit by party (`cost_yuan.<party>`, `benefit_yuan.<party>`), so that a
//! planner sees who pays and who gains. Reported with `[economics]` when the scenario
//! asks for them (`party_totals = true`) or has a joint risk fund, which moves money
//! between parties.
//!
//! * Governments (`home`, the other parties of `tax_split` and of the risk fund): the
//!   home cost is `cost_yuan` (which already counts the home cities' payments into the
//!   risk fund, less what the fund paid on their behalf); another party's cost is its
//!   share of what the risk fund paid. A party's benefit is its tax, plus, for `home`,
//!   the funds' exit gains (government proceeds less the government money exited).
//! * `social_capital`: its cost is what it invested (the social part of the funds'
//!   tickets and the follow-on rounds); its benefit what came back (the social part of
//!   exit proceeds and the risk fund's compensation of failed projects' backers).

use super::funds::{Exits, Funds};
use super::metrics::{Total, SOCIAL_CAPITAL};
use super::risk_fund::RiskFund;
use super::Prepared;

/// Writes the per-party totals, when the scenario reports them. Needs the money totals
/// (`cost_yuan`, `tax_yuan.<party>`) written already.
pub(super) fn report(p: &Prepared<'_>, funds: &Funds, exits: &Exits, risk_fund: Option<&RiskFund>, totals: &mut [f64]) {
    let sc = p.scenario();
    let names = &p.party_names;
    let Some(economics) = sc.economics.as_ref().filter(|_| !names.is_empty()) else {
        return;
    };
    let first = p.first_party_total;
    let tax_parties = &economics.tax_split.parties;
    for (i, name) in names.iter().enumerate() {
        let (cost, benefit) = if name == SOCIAL_CAPITAL {
            (
                funds.social_invested(),
                exits.social_proceeds + risk_fund.map_or(0.0, RiskFund::compensation),
            )
        } else {
            let cost = if name == "home" {
                totals[Total::CostYuan.index()]
            } else {
                match (risk_fund, &sc.risk_fund) {
                    (Some(state), Some(fund)) => state.party_cost(fund, name),
                    _ => 0.0,
                }
            };
            let tax = tax_parties
                .iter()
                .position(|t| t == name)
                .map_or(0.0, |t| totals[Total::COUNT + t]);
            let gains = if name == "home" {
                exits.government_proceeds - exits.government_cost
            } else {
                0.0
            };
            (cost, tax + gains)
        };
        totals[first + i] = cost;
        totals[first + names.len() + i] = benefit;
    }
}
