//! Breakdowns of cooperation: each link between a home and a host city may break down
//! at a random time, closing the home's enclaves in that host. The core turns their
//! waiting candidates away and strands their projects still on the host side.

use super::events::{Event, PackedEvent};
use super::metrics::Total;
use super::streams::{self, Purpose};
use crate::dist::exp1;
use crate::engine::rng::StreamKey;
use crate::engine::Simulation;
use crate::scenario::Scenario;

/// Closures and their victims over one replication.
pub(super) struct Breakdowns {
    /// When each enclave closed after a breakdown (infinite while open).
    closed_at: Vec<f64>,
    /// Projects stranded so far, and at the end of the warm-up.
    stranded: u64,
    stranded_at_warmup: u64,
}

impl Breakdowns {
    /// Every enclave open.
    pub fn new(scenario: &Scenario) -> Self {
        Breakdowns {
            closed_at: vec![f64::INFINITY; scenario.enclaves.len()],
            stranded: 0,
            stranded_at_warmup: 0,
        }
    }

    /// Schedules each link's breakdown that falls within the horizon, drawn from the
    /// replication's breakdown stream in link order, and each breakdown set at a date.
    pub fn start(scenario: &Scenario, key: &StreamKey, sim: &mut Simulation<PackedEvent>) {
        let mut rng = streams::stream(key, Purpose::Breakdowns);
        for (l, link) in scenario.links.iter().enumerate() {
            if link.breakdown_per_month > 0.0 {
                let gap = exp1(&mut rng);
                let at = gap / link.breakdown_per_month;
                if at < scenario.horizon.unwrap_or(f64::INFINITY) {
                    sim.schedule_at(at, Event::Breakdown(l as u32).pack());
                }
            }
        }
        for (l, link) in scenario.links.iter().enumerate() {
            if let Some(at) = link.breakdown_at {
                // Validation keeps the date before the horizon.
                sim.schedule_at(at, Event::Breakdown(l as u32).pack());
            }
        }
    }

    /// When each enclave closed (infinite while open).
    #[inline]
    pub fn closed_at(&self) -> &[f64] {
        &self.closed_at
    }

    /// Cooperation on `link` breaks down at `now`: closes the home's enclaves in the
    /// host and returns them, with whether any of them was open until now.
    pub fn close(&mut self, scenario: &Scenario, link: usize, now: f64) -> (Vec<usize>, bool) {
        let l = &scenario.links[link];
        let closing: Vec<usize> = (0..scenario.enclaves.len())
            .filter(|&e| scenario.enclaves[e].owner == l.home && scenario.enclaves[e].host == l.host)
            .collect();
        let changed = closing
            .iter()
            .any(|&e| self.closed_at[e] > now && now >= scenario.enclaves[e].opens);
        for &e in &closing {
            self.closed_at[e] = self.closed_at[e].min(now);
        }
        (closing, changed)
    }

    /// Enclave `e` closes at `now` by a policy change; returns whether it was open.
    pub fn close_enclave(&mut self, scenario: &Scenario, e: usize, now: f64) -> bool {
        let was_open = self.closed_at[e] > now && now >= scenario.enclaves[e].opens;
        self.closed_at[e] = self.closed_at[e].min(now);
        was_open
    }

    /// A project was stranded by a closure.
    pub fn strand(&mut self) {
        self.stranded += 1;
    }

    /// The warm-up ends: later strandings count.
    pub fn warmup_ends(&mut self) {
        self.stranded_at_warmup = self.stranded;
    }

    /// Writes the stranded projects after the warm-up.
    pub fn report(&self, totals: &mut [f64]) {
        totals[Total::Stranded.index()] = (self.stranded - self.stranded_at_warmup) as f64;
    }
}
