//! The enclave pipeline: candidates arrive in host cities, enclaves scout and seat them,
//! projects walk the stage chain, and at the hand-off to home stages each graduate lands
//! at home or leaks. The model reads a validated [`Scenario`] and returns numbers; it
//! knows nothing about files or the command line.

mod breakdowns;
mod competition;
pub mod controls;
mod core;
mod events;
mod funds;
mod governance;
pub mod metrics;
mod money;
mod occupancy;
mod operator;
mod parties;
mod project;
mod relocation;
mod risk_fund;
mod streams;
mod talent;
mod targets;
mod transfer;
mod vouchers;

pub use self::core::{logit, success_chance};
pub use events::{Event, PackedEvent, MAX_PROJECTS};

use crate::engine::rng::{KeyedStream, StreamKey};
use crate::engine::Simulation;
use crate::scenario::{Place, Scenario, Setting, TaxSplit};

/// What one replication reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Totals, indexed by [`metrics::total`].
    pub totals: Vec<f64>,
    /// Series, `bins × series-metrics` values, bin-major.
    pub series: Vec<f64>,
    /// Model events handled.
    pub events: u64,
    /// Control variates, indexed by [`controls::Control`], each minus its known mean
    /// (observed only: they change no draw and no total); all 0 unless the model was
    /// prepared [`Prepared::observing_controls`].
    pub controls: Vec<f64>,
    /// The replication's stratum for variance reduction (observed with the controls
    /// only): 0 when cooperation held on every link to the horizon, 1 when some link
    /// broke down at random; variance reduction allows the two their own spread.
    pub stratum: u8,
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
    /// What the event loop needs to know of each stage, in one record per stage.
    stage_plan: Vec<StagePlan<'s>>,
    /// Peak seasonal weight of each flow (1 when not seasonal), for thinning.
    flow_peak: Vec<f64>,
    needs_quality: bool,
    /// A candidate limit is shared by several flows or bursts, so a pending arrival may
    /// find it reached.
    limit_shared: bool,
    /// Some operator's services raise the success of enclave stages (kept out of the
    /// stage plan, whose flags fit in one word).
    services: bool,
    /// Seat changes of each enclave, (month, seats) by date; empty for most enclaves.
    seat_steps: Vec<Vec<(f64, u32)>>,
    /// Tax splits agreed by changes, (month, split) by date.
    tax_steps: Vec<(f64, &'s TaxSplit)>,
    series_width: usize,
    /// Column of the first money series in a series row.
    money_offset: usize,
    totals_width: usize,
    /// Index of the first `entered_stage.<stage>` total.
    stage_entry_offset: usize,
    /// Index of the first occupancy total (`in_stage_average.<stage>`).
    occupancy_offset: usize,
    /// Home stages some city limits, in stage order.
    limited_stages: Vec<usize>,
    /// Slot of each optional total in a totals row (`None` when the scenario leaves its
    /// mechanism off).
    optional_slots: [Option<usize>; metrics::Optional::COUNT],
    /// Parties of the per-party totals (empty when the scenario does not report them).
    party_names: Vec<String>,
    /// Index of the first per-party total.
    first_party_total: usize,
    bins: usize,
    /// Phases of each link's hazard and barrier under its governance (empty for a link
    /// without; no entries at all when no link has governance).
    governance: Vec<Vec<governance::Phase>>,
    /// Each city's expert-pool boost to home stages' log-odds; empty when none.
    talent_boost: Vec<f64>,
    /// The talent programmes' cost, yuan per month (0 without any).
    talent_cost_per_month: f64,
    /// Expected measured flow arrivals, when feidi knows it exactly (the arrivals control).
    expected_flow_arrivals: Option<f64>,
    /// Expected random breakdowns before the horizon and measured months after them
    /// (the breakdown controls' means); `None` without a horizon.
    expected_breakdowns: Option<(f64, f64)>,
    /// Whether replications observe the control variates (off: they stay 0 and the event
    /// loop pays one flag test per site).
    observe_controls: bool,
}

const NO_POOL: u32 = u32::MAX;

/// A stage's facts as the event loop uses them, worked out once per run so that the
/// start and end of a stage read one small record and skip the features (pools, money,
/// the hand-off, uncertain success) that the scenario does not use there.
#[derive(Clone, Copy)]
struct StagePlan<'s> {
    duration: &'s crate::dist::Distribution,
    /// Salt of the stage's duration stream (see `KeyedStream::salt`).
    duration_salt: u64,
    /// Some city limits the stage, so its pool must be looked up.
    pooled: bool,
    /// Some fund invests or some voucher scheme pays at the stage's start (one flag, so
    /// that the common stage start checks once).
    funds_or_vouchers: bool,
    /// The stage is the first at home: starting it is a landing.
    handoff: bool,
    /// The next stage is the first at home: the landing choice follows this one.
    before_handoff: bool,
    /// Every project passes (no draw is made).
    certain: bool,
    /// The project holds an enclave seat during the stage.
    in_enclave: bool,
    /// A project that passes leaves the enclave (the next stage is elsewhere or none).
    leaves_on_success: bool,
    /// The stage is the last.
    last: bool,
}

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
        let flow_peak = scenario
            .flows
            .iter()
            .map(|f| f.seasonality.map_or(1.0, |w| w.iter().copied().fold(0.0, f64::max)))
            .collect();
        let handoff = scenario.handoff_stage();
        let stage_plan = scenario
            .stages
            .iter()
            .enumerate()
            .map(|(s, stage)| {
                let next_in_enclave = scenario.stages.get(s + 1).is_some_and(|n| n.place == Place::Enclave);
                StagePlan {
                    duration: &stage.duration,
                    duration_salt: KeyedStream::salt(streams::slot::duration(s)),
                    pooled: (0..scenario.cities.len()).any(|c| pool_of[c * stages + s] != NO_POOL),
                    funds_or_vouchers: scenario.funds.iter().any(|f| f.stage == s)
                        || scenario.vouchers.iter().any(|v| v.stage == s),
                    handoff: handoff == Some(s),
                    before_handoff: handoff == Some(s + 1),
                    certain: stage.success >= 1.0,
                    in_enclave: stage.place == Place::Enclave,
                    leaves_on_success: !next_in_enclave,
                    last: s + 1 == stages,
                }
            })
            .collect();
        let needs_quality = scenario.stages.iter().any(|s| s.quality_effect != 0.0)
            || scenario.enclaves.iter().any(|e| e.operator.admission_bar.is_some())
            || scenario.funds.iter().any(|f| f.selection_bar.is_some());
        let mut seat_steps = vec![Vec::new(); scenario.enclaves.len()];
        let mut tax_steps = Vec::new();
        for change in &scenario.changes {
            for setting in &change.settings {
                match setting {
                    Setting::Seats(e, n) => seat_steps[*e].push((change.at, *n)),
                    Setting::TaxSplit(split) => tax_steps.push((change.at, split)),
                    Setting::LandingSubsidy(..)
                    | Setting::Close(_)
                    | Setting::RelocationRate(..)
                    | Setting::GovernanceBody(..) => {}
                }
            }
        }
        let governance: Vec<Vec<governance::Phase>> = if scenario.links.iter().any(|l| l.governance.is_some()) {
            (0..scenario.links.len())
                .map(|l| governance::phases(scenario, l))
                .collect()
        } else {
            Vec::new()
        };
        Prepared {
            scenario,
            seat_steps,
            tax_steps,
            host_enclaves,
            pool_of,
            pool_capacity,
            stage_plan,
            flow_peak,
            needs_quality,
            services: scenario.enclaves.iter().any(|e| e.operator.services_boost != 0.0),
            limit_shared: scenario.candidate_limit.is_some()
                && scenario.flows.len() + scenario.bursts.len() + talent::graduate_streams(scenario) > 1,
            series_width: metrics::series(scenario).len(),
            money_offset: metrics::series::FIRST_STAGE + scenario.stages.len(),
            totals_width: metrics::totals_for(scenario).len(),
            stage_entry_offset: metrics::first_stage_entry_total(scenario),
            optional_slots: metrics::optional_slots(scenario),
            occupancy_offset: metrics::first_occupancy_total(scenario),
            limited_stages: metrics::limited_stages(scenario),
            party_names: metrics::party_names(scenario),
            first_party_total: metrics::first_party_total(scenario),
            bins: scenario.bins(),
            expected_breakdowns: controls::expected_breakdowns(scenario, &governance),
            governance,
            talent_boost: talent::success_boosts(scenario),
            talent_cost_per_month: talent::cost_yuan_per_month(scenario),
            expected_flow_arrivals: controls::expected_flow_arrivals(scenario),
            observe_controls: false,
        }
    }

    /// The same, with replications observing the control variates
    /// ([`Outcome::controls`]) when `on`: what variance reduction needs. Observing draws
    /// nothing and changes no total.
    pub fn observing_controls(mut self, on: bool) -> Self {
        self.observe_controls = on;
        self
    }

    /// Seat-months of enclave `e` between months `from` and `to` (0 when `to` is not
    /// later), following the seat changes.
    fn seat_months(&self, e: usize, from: f64, to: f64) -> f64 {
        let seats = self.scenario.enclaves[e].seats;
        let steps = &self.seat_steps[e];
        if steps.is_empty() {
            return seats as f64 * (to - from).max(0.0);
        }
        if to <= from {
            return 0.0;
        }
        let (mut total, mut since, mut seats) = (0.0, from, seats);
        for &(at, n) in steps {
            if at >= to {
                break;
            }
            if at > since {
                total += seats as f64 * (at - since);
                since = at;
            }
            seats = n;
        }
        total + seats as f64 * (to - since)
    }

    /// The tax split in force at month `t`, if a change set one by then.
    fn tax_split_at(&self, t: f64) -> Option<&'s TaxSplit> {
        self.tax_steps.iter().rev().find(|(at, _)| *at <= t).map(|(_, s)| *s)
    }

    /// Home stages some city limits, in stage order.
    fn limited_stages(&self) -> impl Iterator<Item = usize> + '_ {
        self.limited_stages.iter().copied()
    }

    /// Slot of optional total `total` in [`Outcome::totals`], `None` when the scenario
    /// leaves its mechanism off.
    #[inline]
    pub fn optional_slot(&self, total: metrics::Optional) -> Option<usize> {
        self.optional_slots[total as usize]
    }

    /// Whether replications observe the control variates.
    pub fn observes_controls(&self) -> bool {
        self.observe_controls
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
        let mut replication = self::core::Replication::new(self, key);
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
