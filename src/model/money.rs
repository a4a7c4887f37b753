//! Money: output of the firms that industrialized at home, the tax on it and its split
//! between the parties (with relocated firms' tax increment, shared by their own split),
//! the home budget's outlay (rent, operator fees, landing subsidies, vouchers, fund
//! losses, challenge awards) and when tax income pays that outlay back.

use super::metrics::{series, Total};
use super::relocation::{Relocated, RelocationTax};
use super::Prepared;
use crate::scenario::Economics;

/// Column of the cumulative landings (real plus paper) in a series row.
const LANDED_COLUMN: usize = series::column_of(Total::LandedHome);
/// Column of the cumulative admissions in a series row.
const ADMITTED_COLUMN: usize = series::column_of(Total::Admitted);

/// An industrialized firm at home (or a relocated firm in its new place).
#[derive(Clone, Copy, Debug)]
pub(super) struct Firm {
    /// When industrialization ended (or the firm moved).
    pub since: f64,
    /// Output at full scale, yuan per year.
    pub output_per_year: f64,
}

impl Firm {
    /// Output from `since` to `t`, yuan, with a linear ramp-up over `ramp` months.
    pub fn output_until(&self, t: f64, ramp: f64) -> f64 {
        let age = (t - self.since).max(0.0);
        let per_month = self.output_per_year / 12.0;
        if ramp <= 0.0 {
            per_month * age
        } else if age <= ramp {
            per_month * age * age / (2.0 * ramp)
        } else {
            per_month * (ramp / 2.0 + age - ramp)
        }
    }

    /// Output rate at `t`, yuan per year (0 before the firm starts).
    fn rate_at(&self, t: f64, ramp: f64) -> f64 {
        let age = t - self.since;
        if age < 0.0 {
            0.0
        } else if ramp <= 0.0 {
            self.output_per_year
        } else {
            self.output_per_year * (age / ramp).min(1.0)
        }
    }
}

/// Firms and one-off outlays over one replication; the rest is worked out at the end.
pub(super) struct Money {
    firms: Vec<Firm>,
    /// Landing subsidies paid so far (real and paper landings), yuan.
    subsidies: f64,
    /// One-off outlays (subsidies, vouchers, fund losses) paid by the end of each bin.
    outlay_at_bin: Vec<f64>,
    /// One-off outlays paid by the horizon (the rest of a drain is not counted).
    outlay_at_horizon: Option<f64>,
}

/// What the money report needs from the rest of the replication.
pub(super) struct Ledger<'a> {
    /// End of the accounting window.
    pub end: f64,
    /// Real landings over the whole run.
    pub landed: u64,
    /// Admissions over the whole run (with the landings, the tax split without bins).
    pub admitted: u64,
    /// When each enclave closed (its rent and fees stop then).
    pub closed_at: &'a [f64],
    /// One-off outlays paid by the end of the run.
    pub one_off: f64,
    /// Outlays paid at known months (challenge awards), (month, yuan) by month, all by
    /// the end.
    pub dated: &'a [(f64, f64)],
    /// Firms that relocated.
    pub relocated: &'a Relocated,
}

impl Money {
    /// No firm, nothing paid.
    pub fn new(bins: usize) -> Self {
        Money {
            firms: Vec::new(),
            subsidies: 0.0,
            outlay_at_bin: vec![0.0; bins],
            outlay_at_horizon: None,
        }
    }

    /// The home budget pays a landing subsidy of `yuan`.
    #[inline]
    pub fn pay_subsidy(&mut self, yuan: f64) {
        self.subsidies += yuan;
    }

    /// Landing subsidies paid so far, yuan.
    pub fn subsidies(&self) -> f64 {
        self.subsidies
    }

    /// A project finished its last stage at home at `now`: a firm with full-scale
    /// output `output_per_year` starts.
    pub fn firm_starts(&mut self, now: f64, output_per_year: f64) {
        self.firms.push(Firm {
            since: now,
            output_per_year,
        });
    }

    /// Records the one-off outlay `one_off` paid by the end of `bin`.
    pub fn bin_ends(&mut self, bin: usize, one_off: f64) {
        self.outlay_at_bin[bin] = one_off;
    }

    /// Records the one-off outlay `one_off` paid by the horizon.
    pub fn horizon_reached(&mut self, one_off: f64) {
        self.outlay_at_horizon = Some(one_off);
    }

    /// Whether the outlay recorded at the horizon (if any) is at most `one_off`.
    pub fn horizon_outlay_at_most(&self, one_off: f64) -> bool {
        self.outlay_at_horizon.is_none_or(|o| o <= one_off)
    }

    /// Home outlay to time `t` that accrues by the month: rent and operator fees (fixed,
    /// and per seat; rent too follows the seats when the area is given per seat), and
    /// the talent programmes.
    fn running_costs_until(p: &Prepared<'_>, closed_at: &[f64], t: f64) -> f64 {
        p.scenario
            .enclaves
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let per_month = e.floor_area_m2 * e.rent_yuan_per_m2_month + e.operator.fee_yuan_per_month;
                let mut cost = per_month * (t.min(closed_at[i]) - e.opens).max(0.0);
                let per_seat_month = e.area_per_seat_m2.unwrap_or(0.0) * e.rent_yuan_per_m2_month
                    + e.operator.fee_yuan_per_seat_year / 12.0;
                if per_seat_month > 0.0 {
                    cost += per_seat_month * p.seat_months(i, e.opens, t.min(closed_at[i]));
                }
                cost
            })
            .sum::<f64>()
            + p.talent_cost_per_month * t
    }

    /// Output, tax, jobs, cost and payback: totals over the horizon and cumulative series.
    /// Money totals cover the whole horizon, warm-up included.
    pub fn report(
        &self,
        p: &Prepared<'_>,
        economics: &Economics,
        ledger: &Ledger<'_>,
        totals: &mut [f64],
        series: &mut [f64],
    ) {
        let sc = p.scenario;
        let end = ledger.end;
        let ramp = economics.ramp_up;
        let output_until = |t: f64| self.firms.iter().map(|f| f.output_until(t, ramp)).sum::<f64>();
        let width = p.series_width;
        let money = p.money_offset;
        let parties = economics.tax_split.parties.len();
        let mut party_tax = vec![0.0; parties];
        let (mut home_tax, mut previous_output) = (0.0, 0.0);
        let mut payback = f64::NAN;
        let mut relocation_tax = RelocationTax::default();
        let mut previous_end = 0.0;
        let dated_until = |t: f64| -> f64 { ledger.dated.iter().take_while(|d| d.0 <= t).map(|d| d.1).sum() };
        // Tax shares float with the landing rate to date, so tax is summed bin by bin.
        let bins = p.bins.max(1);
        for bin in 0..bins {
            let bin_end = if p.bins == 0 {
                end
            } else {
                ((bin + 1) as f64 * sc.bin_width).min(end)
            };
            let output = output_until(bin_end);
            let tax = (output - previous_output) * economics.tax_rate;
            previous_output = output;
            let (landed, admitted) = if p.bins == 0 {
                (ledger.landed, ledger.admitted)
            } else {
                let row = &series[bin * width..];
                (
                    (row[LANDED_COLUMN] - row[series::PAPER_LANDINGS]) as u64,
                    row[ADMITTED_COLUMN] as u64,
                )
            };
            // A split agreed by a policy change holds from the first bin that starts with it.
            let split = p
                .tax_split_at(bin as f64 * sc.bin_width)
                .unwrap_or(&economics.tax_split);
            let landing_rate = ratio(landed as f64, admitted as f64);
            let shares = split.shares(landing_rate);
            for (t, share) in party_tax.iter_mut().zip(&shares) {
                *t += tax * share;
            }
            home_tax += split.home.map_or(0.0, |h| tax * shares[h]);
            home_tax += ledger.relocated.share_tax(
                sc,
                economics,
                (split, &shares),
                landing_rate,
                (previous_end, bin_end),
                &mut party_tax,
                &mut relocation_tax,
            );
            previous_end = bin_end;
            let one_off = self.outlay_at_bin.get(bin).copied().unwrap_or(ledger.one_off);
            let cost = Self::running_costs_until(p, ledger.closed_at, bin_end) + one_off + dated_until(bin_end);
            if payback.is_nan() && cost > 0.0 && home_tax >= cost {
                payback = bin_end;
            }
            if p.bins > 0 {
                let row = &mut series[bin * width + money..(bin + 1) * width];
                row[0] = output;
                row[1] = home_tax;
                row[2] = cost;
                row[3] = self.firms.iter().map(|f| f.rate_at(bin_end, ramp)).sum::<f64>() / 1e6
                    * economics.jobs_per_million_yuan;
                row[4..4 + parties].copy_from_slice(&party_tax);
                // 0 or 1: its mean over replications is the share paid back by then.
                row[4 + parties] = if payback.is_nan() { 0.0 } else { 1.0 };
            }
        }
        let one_off = self.outlay_at_horizon.unwrap_or(ledger.one_off);
        let cost = Self::running_costs_until(p, ledger.closed_at, end) + one_off + dated_until(end);
        ledger.relocated.report(p, end, relocation_tax, totals);
        totals[Total::OutputYuan.index()] = previous_output;
        totals[Total::TaxYuan.index()] = party_tax.iter().sum();
        totals[Total::HomeTaxYuan.index()] = home_tax;
        totals[Total::Jobs.index()] =
            self.firms.iter().map(|f| f.rate_at(end, ramp)).sum::<f64>() / 1e6 * economics.jobs_per_million_yuan;
        totals[Total::CostYuan.index()] = cost;
        // Money covers the whole horizon, so the landings it is divided by do too.
        totals[Total::CostPerRealLandingYuan.index()] = ratio(cost, ledger.landed as f64);
        totals[Total::PaybackMonth.index()] = payback;
        totals[Total::PaidBack.index()] = if payback.is_nan() { 0.0 } else { 1.0 };
        totals[Total::COUNT..Total::COUNT + parties].copy_from_slice(&party_tax);
    }
}

/// `a / b`, or NaN when `b` is not positive (a mean of nothing).
pub(super) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}
