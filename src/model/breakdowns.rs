//! Breakdowns of cooperation: each link between a home and a host city may break down
//! at a random time, closing the home's enclaves in that host. The core turns their
//! waiting candidates away and strands their projects still on the host side.

use super::events::{Event, PackedEvent};
use super::governance;
use super::metrics::Total;
use super::streams::{self, Purpose};
use super::Prepared;
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
    /// When each link broke down (infinite while it holds); kept only when some link
    /// has governance, whose totals report it.
    broke_at: Vec<f64>,
}

impl Breakdowns {
    /// Every enclave open, every link holding.
    pub fn new(p: &Prepared<'_>) -> Self {
        let scenario = p.scenario;
        Breakdowns {
            closed_at: vec![f64::INFINITY; scenario.enclaves.len()],
            stranded: 0,
            stranded_at_warmup: 0,
            broke_at: if p.governance.is_empty() {
                Vec::new()
            } else {
                vec![f64::INFINITY; scenario.links.len()]
            },
        }
    }

    /// Schedules each link's breakdown that falls within the horizon, drawn from the
    /// replication's breakdown stream in link order, and each breakdown set at a date.
    /// A governed link's hazard follows its phases (`governance.rs`), from the same draw.
    /// `controls`, when given, observes each random breakdown month for the control
    /// variates.
    pub fn start(
        p: &Prepared<'_>,
        key: &StreamKey,
        sim: &mut Simulation<PackedEvent>,
        mut controls: Option<&mut super::controls::Controls>,
    ) {
        let scenario = p.scenario;
        let mut rng = streams::stream(key, Purpose::Breakdowns);
        for (l, link) in scenario.links.iter().enumerate() {
            if link.breakdown_per_month > 0.0 {
                let gap = exp1(&mut rng);
                let at = match p.governance.get(l).map(Vec::as_slice) {
                    None | Some([]) => gap / link.breakdown_per_month,
                    Some(phases) => governance::breakdown_month(phases, gap),
                };
                if let Some(c) = controls.as_deref_mut() {
                    c.breakdown(at);
                }
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
        if let Some(at) = self.broke_at.get_mut(link) {
            *at = at.min(now);
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

    /// When each link broke down (infinite while it holds); empty unless some link has
    /// governance.
    pub fn broke_at(&self) -> &[f64] {
        &self.broke_at
    }

    /// Writes the stranded projects after the warm-up.
    pub fn report(&self, totals: &mut [f64]) {
        totals[Total::Stranded.index()] = (self.stranded - self.stranded_at_warmup) as f64;
    }
}
