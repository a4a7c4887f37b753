//! Registration targets: a home city that must report so many landings a year and
//! falls short registers shell firms for part of the shortfall. Shells count as
//! landings on paper, collect the landing subsidy and produce nothing.

use super::events::{Event, PackedEvent};
use super::metrics::{series, Total};
use super::money::Money;
use crate::engine::Simulation;
use crate::scenario::Scenario;

/// Column of the cumulative landings in a series row (paper landings are added to it).
const LANDED_COLUMN: usize = series::column_of(Total::LandedHome);

/// Real landings by city and the shells registered, over one replication.
pub(super) struct Targets {
    /// Paper landings (shells) so far, and at the end of the warm-up.
    paper_landings: u64,
    paper_at_warmup: u64,
    /// Real landings at each city so far, and at the start of the current year.
    landed_by_city: Vec<u64>,
    landed_by_city_at_year_start: Vec<u64>,
}

impl Targets {
    /// No landing yet.
    pub fn new(scenario: &Scenario) -> Self {
        Targets {
            paper_landings: 0,
            paper_at_warmup: 0,
            landed_by_city: vec![0; scenario.cities.len()],
            landed_by_city_at_year_start: vec![0; scenario.cities.len()],
        }
    }

    /// Schedules the first year's end, when some city has a target and the horizon
    /// reaches it.
    pub fn start(scenario: &Scenario, sim: &mut Simulation<PackedEvent>) {
        if let (Some(h), true) = (
            scenario.horizon,
            scenario.cities.iter().any(|c| c.registration_target.is_some()),
        ) {
            if h >= 12.0 {
                sim.schedule_at(12.0, Event::YearEnd(0).pack());
            }
        }
    }

    /// A real landing at `city`.
    #[inline]
    pub fn on_landing(&mut self, city: usize) {
        self.landed_by_city[city] += 1;
    }

    /// Year `year` ends: a city short of its target registers shells, which collect the
    /// landing subsidy from `money`; the next year's end is scheduled.
    pub fn year_end(
        &mut self,
        scenario: &Scenario,
        sim: &mut Simulation<PackedEvent>,
        year: usize,
        subsidy: &[f64],
        money: &mut Money,
    ) {
        for (c, city) in scenario.cities.iter().enumerate() {
            let Some(target) = &city.registration_target else {
                continue;
            };
            let real = self.landed_by_city[c] - self.landed_by_city_at_year_start[c];
            let shortfall = (target.per_year - real as f64).max(0.0);
            let shells = (target.filled_by_shells * shortfall).round() as u64;
            self.paper_landings += shells;
            // Shells collect the landing subsidy too: the cost of landings on paper.
            money.pay_subsidy(shells as f64 * subsidy[c]);
        }
        self.landed_by_city_at_year_start.clone_from(&self.landed_by_city);
        let next = (year + 2) as f64 * 12.0;
        if next <= scenario.horizon.unwrap_or(0.0) {
            sim.schedule_at(next, Event::YearEnd(year as u32 + 1).pack());
        }
    }

    /// The warm-up ends: later shells count in the totals.
    pub fn warmup_ends(&mut self) {
        self.paper_at_warmup = self.paper_landings;
    }

    /// Writes the paper landings of a bin's series row, and adds them to its landings.
    pub fn write_bin(&self, row: &mut [f64]) {
        row[series::PAPER_LANDINGS] = self.paper_landings as f64;
        row[LANDED_COLUMN] += self.paper_landings as f64;
    }

    /// Writes the paper landings after the warm-up and adds them to `landed_home`,
    /// which until now holds the real landings.
    pub fn report(&self, totals: &mut [f64]) {
        let paper = (self.paper_landings - self.paper_at_warmup) as f64;
        totals[Total::LandedHomePaper.index()] = paper;
        totals[Total::LandedHome.index()] += paper;
    }
}
