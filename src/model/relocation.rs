//! Relocating firms (跨区域迁移企业): established firms that move from one city to another
//! at a Poisson rate, bring their output to their new place, and whose tax increment
//! there is shared by an agreed ratio (the Jiading–Kunshan–Taicang 5:3:2).
//!
//! Moves do not touch projects, seats or the landing choice, so they are not events:
//! each replication draws every move at the end, from its own streams, and the money
//! report adds their tax bin by bin to the parties' tax.

use super::metrics::Optional;
use super::money::Firm;
use super::streams::{self, Purpose};
use super::Prepared;
use crate::engine::rng::{open01, KeyedStream, StreamKey};
use crate::scenario::{Economics, Scenario, Setting, TaxSplit};
use rand::Rng;

/// Slot of a relocation's keyed stream of gaps between moves; the output of its k-th
/// move is drawn from slot `FIRST_OUTPUT + k`, so a higher rate adds moves without
/// changing those that came before.
const GAPS: u64 = 0;
const FIRST_OUTPUT: u64 = 1;
/// Slot of the output of the relocation's j-th move known in advance (`at`): `+ j`.
const FIRST_SCHEDULED_OUTPUT: u64 = 1 << 40;

/// The firms that moved in one replication, grouped by relocation in file order.
pub(super) struct Relocated {
    /// Each relocation's firms, started in their new place at the move.
    firms: Vec<Vec<Firm>>,
}

/// Relocated firms' tax increment shared so far.
#[derive(Clone, Copy, Default)]
pub(super) struct RelocationTax {
    /// All parties, yuan.
    all: f64,
    /// The home cities' part, yuan.
    home: f64,
}

impl Relocated {
    /// Draws every relocation's moves before `end` from the streams of `key`; nothing
    /// is drawn when the scenario has no relocation.
    pub fn draw(scenario: &Scenario, key: &StreamKey, end: f64) -> Self {
        if scenario.relocations.is_empty() {
            return Relocated { firms: Vec::new() };
        }
        let mut keys = streams::stream(key, Purpose::Relocations);
        let firms = scenario
            .relocations
            .iter()
            .enumerate()
            .map(|(r, relocation)| {
                let table_key = keys.next_u64();
                let rates = rate_steps(scenario, r);
                let mut gaps = KeyedStream::new(table_key, GAPS);
                let mut firms: Vec<Firm> = relocation
                    .at
                    .iter()
                    .enumerate()
                    .map(|(j, &at)| Firm {
                        since: at,
                        output_per_year: relocation
                            .output
                            .sample(&mut KeyedStream::new(table_key, FIRST_SCHEDULED_OUTPUT + j as u64))
                            .max(0.0),
                    })
                    .collect();
                let scheduled = firms.len();
                // A unit-rate Poisson process mapped through the cumulative rate gives
                // the moves of a rate that changes at dates.
                let mut cumulative = 0.0;
                loop {
                    cumulative -= crate::math::ln(open01(gaps.next_raw()));
                    let Some(at) = time_of(&rates, cumulative).filter(|&t| t < end) else {
                        break;
                    };
                    let k = (firms.len() - scheduled) as u64;
                    let mut stream = KeyedStream::new(table_key, FIRST_OUTPUT + k);
                    firms.push(Firm {
                        since: at,
                        output_per_year: relocation.output.sample(&mut stream).max(0.0),
                    });
                }
                firms
            })
            .collect();
        Relocated { firms }
    }

    /// Shares the tax on the relocated firms' output between `from` and `to` among the
    /// parties: each relocation by its own split, or by `in_force` (the `[economics]`
    /// split in force, with `shares` its shares now). Adds each party's part to
    /// `party_tax` and the totals to `shared`; returns the home part.
    #[allow(clippy::too_many_arguments)]
    pub fn share_tax(
        &self,
        scenario: &Scenario,
        economics: &Economics,
        (in_force, shares): (&TaxSplit, &[f64]),
        landing_rate: f64,
        (from, to): (f64, f64),
        party_tax: &mut [f64],
        shared: &mut RelocationTax,
    ) -> f64 {
        let mut home = 0.0;
        for (relocation, firms) in scenario.relocations.iter().zip(&self.firms) {
            let ramp = relocation.ramp_up;
            let output: f64 = firms
                .iter()
                .map(|f| f.output_until(to, ramp) - f.output_until(from, ramp))
                .sum();
            if output == 0.0 {
                continue;
            }
            let tax = output * economics.tax_rate;
            let own;
            let (split, shares) = match &relocation.tax_split {
                Some(split) => {
                    own = split.shares(landing_rate);
                    (split, own.as_slice())
                }
                None => (in_force, shares),
            };
            for (t, share) in party_tax.iter_mut().zip(shares) {
                *t += tax * share;
            }
            let home_part = split.home.map_or(0.0, |h| tax * shares[h]);
            home += home_part;
            shared.all += tax;
            shared.home += home_part;
        }
        home
    }

    /// Writes the relocation totals, when the scenario reports them: moves to and from
    /// the home cities, their output to `end`, and the tax increment `shared`.
    pub fn report(&self, p: &Prepared<'_>, end: f64, shared: RelocationTax, totals: &mut [f64]) {
        if p.optional_slot(Optional::RelocationsIn).is_none() {
            return;
        }
        let sc = p.scenario();
        let (mut moved_in, mut moved_out, mut output_in, mut output_out) = (0, 0, 0.0, 0.0);
        for (relocation, firms) in sc.relocations.iter().zip(&self.firms) {
            let output: f64 = firms.iter().map(|f| f.output_until(end, relocation.ramp_up)).sum();
            if sc.cities[relocation.to].role.is_home() {
                moved_in += firms.len();
                output_in += output;
            }
            if sc.cities[relocation.from].role.is_home() {
                moved_out += firms.len();
                output_out += output;
            }
        }
        let values = [
            (Optional::RelocationsIn, moved_in as f64),
            (Optional::RelocationsOut, moved_out as f64),
            (Optional::RelocationOutputInYuan, output_in),
            (Optional::RelocationOutputOutYuan, output_out),
            (Optional::RelocationTaxYuan, shared.all),
            (Optional::RelocationHomeTaxYuan, shared.home),
        ];
        for (total, value) in values {
            if let Some(slot) = p.optional_slot(total) {
                totals[slot] = value;
            }
        }
    }
}

/// Relocation `r`'s rate over time: (month from which it holds, moves per month), by
/// date, starting at month 0 with the file's rate.
fn rate_steps(scenario: &Scenario, r: usize) -> Vec<(f64, f64)> {
    let mut steps = vec![(0.0, scenario.relocations[r].rate_per_month)];
    for change in &scenario.changes {
        for setting in &change.settings {
            if let Setting::RelocationRate(i, rate) = setting {
                if *i == r {
                    steps.push((change.at, *rate));
                }
            }
        }
    }
    steps
}

/// The month at which the cumulative rate of `steps` reaches `cumulative`, or `None`
/// when it never does (the last rate is 0).
fn time_of(steps: &[(f64, f64)], cumulative: f64) -> Option<f64> {
    let mut reached = 0.0;
    for (i, &(start, rate)) in steps.iter().enumerate() {
        let end = steps.get(i + 1).map_or(f64::INFINITY, |s| s.0);
        if rate > 0.0 {
            let segment = rate * (end - start);
            if reached + segment >= cumulative {
                return Some(start + (cumulative - reached) / rate);
            }
            reached += segment;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cumulative_rate_is_inverted_across_changes() {
        // 1 a month to month 10, none to month 20, then 2 a month.
        let steps = [(0.0, 1.0), (10.0, 0.0), (20.0, 2.0)];
        assert_eq!(time_of(&steps, 4.0), Some(4.0));
        assert_eq!(time_of(&steps, 10.0), Some(10.0));
        assert_eq!(time_of(&steps, 11.0), Some(20.5));
        assert_eq!(time_of(&[(0.0, 0.5), (6.0, 0.0)], 3.5), None);
        assert_eq!(time_of(&[(0.0, 0.0)], 0.1), None);
    }
}
