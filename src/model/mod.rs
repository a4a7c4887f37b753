//! The enclave pipeline: candidates arrive in host cities, enclaves scout and seat them,
//! projects walk the stage chain, and at the hand-off to home stages each graduate lands
//! at home or leaks. The model reads a validated [`Scenario`] and returns numbers; it
//! knows nothing about files or the command line.

pub mod metrics;
mod pipeline;

pub use pipeline::{logit, success_chance, Event, PackedEvent, MAX_PROJECTS};

use crate::engine::rng::StreamKey;
use crate::engine::Simulation;
use crate::scenario::{Place, Scenario};

/// What one replication reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Totals, indexed by [`metrics::total`].
    pub totals: Vec<f64>,
    /// Series, `bins × series-metrics` values, bin-major.
    pub series: Vec<f64>,
    /// Model events handled.
    pub events: u64,
}

/// A scenario with the look-up tables the event loop needs, built once per run.
pub struct Prepared<'s> {
    scenario: &'s Scenario,
    /// Enclaves located in each city, in file order.
    host_enclaves: Vec<Vec<u16>>,
    /// Capacity pool of (city, stage), `NO_POOL` when unlimited.
    pool_of: Vec<u32>,
    /// Capacity of each pool.
    pool_capacity: Vec<u32>,
    /// Whether some city limits each stage (so its pool must be looked up).
    pooled_stage: Vec<bool>,
    /// Salt of each stage's duration stream (see `KeyedStream::salt`).
    duration_salt: Vec<u64>,
    /// Peak seasonal weight of each flow (1 when not seasonal), for thinning.
    flow_peak: Vec<f64>,
    /// Whether some fund invests or some voucher scheme pays at the start of each stage.
    money_stage: Vec<bool>,
    handoff: Option<usize>,
    needs_quality: bool,
    series_width: usize,
    /// Column of the first money series in a series row.
    money_offset: usize,
    totals_width: usize,
    /// Index of the first `entered_stage.<stage>` total.
    stage_entry_offset: usize,
    bins: usize,
}

const NO_POOL: u32 = u32::MAX;

impl<'s> Prepared<'s> {
    /// Builds the look-up tables for `scenario`.
    pub fn new(scenario: &'s Scenario) -> Self {
        let mut host_enclaves = vec![Vec::new(); scenario.cities.len()];
        for (i, e) in scenario.enclaves.iter().enumerate() {
            host_enclaves[e.host].push(i as u16);
        }
        let stages = scenario.stages.len();
        let mut pool_of = vec![NO_POOL; scenario.cities.len() * stages];
        let mut pool_capacity = Vec::new();
        for (c, city) in scenario.cities.iter().enumerate() {
            for (s, cap) in city.capacity.iter().enumerate() {
                if let (Some(cap), Place::Home) = (cap, scenario.stages[s].place) {
                    pool_of[c * stages + s] = pool_capacity.len() as u32;
                    pool_capacity.push(*cap);
                }
            }
        }
        let pooled_stage = (0..stages)
            .map(|s| (0..scenario.cities.len()).any(|c| pool_of[c * stages + s] != NO_POOL))
            .collect();
        let duration_salt = (0..stages).map(pipeline::duration_salt).collect();
        let flow_peak = scenario
            .flows
            .iter()
            .map(|f| f.seasonality.map_or(1.0, |w| w.iter().copied().fold(0.0, f64::max)))
            .collect();
        let money_stage = (0..stages)
            .map(|s| scenario.funds.iter().any(|f| f.stage == s) || scenario.vouchers.iter().any(|v| v.stage == s))
            .collect();
        let needs_quality = scenario.stages.iter().any(|s| s.quality_effect != 0.0)
            || scenario.enclaves.iter().any(|e| e.operator.admission_bar.is_some())
            || scenario.funds.iter().any(|f| f.selection_bar.is_some());
        Prepared {
            scenario,
            host_enclaves,
            pool_of,
            pool_capacity,
            pooled_stage,
            duration_salt,
            flow_peak,
            money_stage,
            handoff: scenario.handoff_stage(),
            needs_quality,
            series_width: metrics::series(scenario).len(),
            money_offset: metrics::series::FIRST_STAGE + scenario.stages.len(),
            totals_width: metrics::totals_for(scenario).len(),
            stage_entry_offset: metrics::first_stage_entry_total(scenario),
            bins: scenario.bins(),
        }
    }

    /// The scenario.
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// Number of values per bin in [`Outcome::series`].
    pub fn series_width(&self) -> usize {
        self.series_width
    }

    /// Number of per-replication totals in [`Outcome::totals`].
    pub fn totals_width(&self) -> usize {
        self.totals_width
    }

    /// Number of time bins.
    pub fn bins(&self) -> usize {
        self.bins
    }

    /// Runs one replication with the random streams of `key`.
    pub fn simulate(&self, key: StreamKey) -> Outcome {
        self.simulate_timed(key).0
    }

    /// Runs one replication and also returns the wall time of its event loop alone
    /// (set-up and the final tally excluded), for throughput measurements.
    pub fn simulate_timed(&self, key: StreamKey) -> (Outcome, std::time::Duration) {
        let mut replication = pipeline::Replication::new(self, key);
        let mut sim: Simulation<PackedEvent> = Simulation::with_capacity(256);
        replication.start(&mut sim);
        let until = match self.scenario.horizon {
            Some(h) if !self.scenario.drain => h,
            _ => f64::INFINITY,
        };
        let started = std::time::Instant::now();
        sim.run(&mut replication, until);
        let elapsed = started.elapsed();
        (replication.finish(&sim), elapsed)
    }
}
