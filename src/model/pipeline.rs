//! The state of one replication and its reaction to each event.

use super::metrics::{series, total};
use super::{Outcome, Prepared, NO_POOL};
use crate::dist::{standard_normal, unit};
use crate::engine::rng::{open01, KeyedStream, StreamKey};
use crate::engine::{Model, Simulation};
use crate::scenario::{Economics, Place, WhenFull};
use rand::rngs::ChaCha8Rng;
use rand::Rng;
use rand_distr::{Distribution as _, Exp1};
use std::collections::VecDeque;

/// Events of the enclave model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The next candidate of flow `.0` arrives.
    Arrival(u32),
    /// The next batch of burst `.0` arrives.
    Burst(u32),
    /// Project `.0` finishes its current stage.
    StageEnd(u32),
    /// Project `.0` gives up waiting, if it is still waiting with this deadline.
    GiveUp(u32),
    /// Time bin `.0` ends.
    BinEnd(u32),
    /// The warm-up ends: totals start counting.
    WarmupEnd,
    /// The horizon is reached: time averages stop.
    HorizonEnd,
    /// Cooperation on link `.0` breaks down.
    Breakdown(u32),
    /// Year `.0` of the simulation ends (registration targets are checked).
    YearEnd(u32),
}

/// Bits of a packed event that hold its index (project, flow, burst or bin).
const INDEX_BITS: u32 = 29;
/// Most projects one replication can hold: indices must fit in `INDEX_BITS` bits.
/// Validation caps expected candidates per replication far below this.
pub const MAX_PROJECTS: usize = 1 << INDEX_BITS;

/// An [`Event`] packed into 32 bits (3 bits of kind, 29 of index), so that an entry of
/// the event queue is 16 bytes: the queue's speed depends on the size of its entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedEvent(u32);

impl Event {
    #[inline]
    fn pack(self) -> PackedEvent {
        let (kind, index) = match self {
            Event::Arrival(i) => (0, i),
            Event::Burst(i) => (1, i),
            Event::StageEnd(i) => (2, i),
            Event::GiveUp(i) => (3, i),
            Event::BinEnd(i) => (4, i),
            // The two marks share a kind, to keep eight kinds in three bits.
            Event::WarmupEnd => (5, 0),
            Event::HorizonEnd => (5, 1),
            Event::Breakdown(i) => (6, i),
            Event::YearEnd(i) => (7, i),
        };
        debug_assert!(index < 1 << INDEX_BITS);
        PackedEvent((kind << INDEX_BITS) | index)
    }
}

impl crate::engine::Event for PackedEvent {
    #[inline]
    fn to_bits(self) -> u32 {
        self.0
    }

    #[inline]
    fn from_bits(bits: u32) -> Self {
        PackedEvent(bits)
    }
}

impl PackedEvent {
    /// The event this stands for.
    #[inline]
    pub fn unpack(self) -> Event {
        let index = self.0 & ((1 << INDEX_BITS) - 1);
        match self.0 >> INDEX_BITS {
            0 => Event::Arrival(index),
            1 => Event::Burst(index),
            2 => Event::StageEnd(index),
            3 => Event::GiveUp(index),
            4 => Event::BinEnd(index),
            5 if index == 0 => Event::WarmupEnd,
            5 => Event::HorizonEnd,
            6 => Event::Breakdown(index),
            _ => Event::YearEnd(index),
        }
    }
}

// Slots of a project's keyed random streams: one per use, so that draws for one use
// never shift another's (common random numbers across alternatives).
const SLOT_QUALITY: u64 = 0;
const SLOT_LOCK_IN: u64 = 1;
const SLOT_CHOICE: u64 = 2;
const SLOT_LEAK_CHOICE: u64 = 3;
const SLOT_SEAT_PATIENCE: u64 = 4;
const SLOT_OUTPUT: u64 = 5;
const SLOT_RETURN_CLAUSE: u64 = 6;
const SLOT_CHOOSE_ENCLAVE: u64 = 7;
const SLOT_FUND_SIGNAL: u64 = 1 << 21;
const SLOT_DURATION: u64 = 1 << 8;
const SLOT_SUCCESS: u64 = 2 << 8;
const SLOT_STAGE_PATIENCE: u64 = 3 << 8;
const SLOT_MEET: u64 = 4 << 8;
const SLOT_SIGNAL: u64 = 1 << 20;

/// Salt of stage `s`'s duration stream.
pub(super) fn duration_salt(s: usize) -> u64 {
    KeyedStream::salt(SLOT_DURATION + s as u64)
}

/// Columns of the cumulative real landings and admissions in a series row.
const LANDED_COLUMN: usize = series_column(total::LANDED_HOME);
const ADMITTED_COLUMN: usize = series_column(total::ADMITTED);

const fn series_column(metric: usize) -> usize {
    let mut i = 0;
    while i < series::COUNTS.len() {
        if series::COUNTS[i] == metric {
            return i;
        }
        i += 1;
    }
    panic!("metric is not a series count")
}

/// ChaCha8 purpose number of the burst stream (flows use their own index).
const PURPOSE_BURSTS: u8 = 255;
/// ChaCha8 purpose number of the breakdown times.
const PURPOSE_BREAKDOWNS: u8 = 254;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    WaitingSeat,
    WaitingSlot,
    InStage,
    Gone,
}

#[derive(Clone, Copy, Debug)]
struct Project {
    key: u64,
    quality: f64,
    arrived: f64,
    admitted: f64,
    /// When the current wait or seat tenure began.
    since: f64,
    enclave: u16,
    sector: u16,
    stage: u8,
    status: Status,
    locked_in: bool,
    measured: bool,
    /// When the current wait runs out (infinite when the project waits forever).
    deadline: f64,
    /// The fund holding equity in the project (index into the funds), or [`NONE`].
    fund: u16,
    /// The voucher scheme that paid the project (index into the vouchers), or [`NONE`].
    voucher: u16,
    /// Bound by a return-investment clause to land at home.
    bound: bool,
}

/// "No fund" or "no voucher" in a project record: a sentinel keeps the record within one
/// 64-byte cache line, where `Option<u16>` fields would not.
const NONE: u16 = u16::MAX;

impl Project {
    #[inline]
    fn stream(&self, slot: u64) -> KeyedStream {
        KeyedStream::new(self.key, slot)
    }
}

/// An industrialized firm at home.
#[derive(Clone, Copy, Debug)]
struct Firm {
    /// When industrialization ended.
    since: f64,
    /// Output at full scale, yuan per year.
    output_per_year: f64,
}

impl Firm {
    /// Output from `since` to `t`, yuan, with a linear ramp-up over `ramp` months.
    fn output_until(&self, t: f64, ramp: f64) -> f64 {
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

/// A quantity whose time integral is kept as it changes.
#[derive(Clone, Copy, Default)]
struct Level {
    value: f64,
    since: f64,
    area: f64,
}

impl Level {
    #[inline]
    fn set(&mut self, now: f64, value: f64) {
        self.area += self.value * (now - self.since);
        self.since = now;
        self.value = value;
    }

    #[inline]
    fn area_at(&self, now: f64) -> f64 {
        self.area + self.value * (now - self.since)
    }
}

struct EnclaveState {
    busy: u32,
    waiting: u32,
    queue: VecDeque<u32>,
}

struct Pool {
    used: u32,
    waiting: u32,
    queue: VecDeque<u32>,
}

/// Areas under the busy-seat and seat-queue curves at a moment.
#[derive(Clone, Copy, Default)]
struct Areas {
    busy: f64,
    queue: f64,
}

pub(super) struct Replication<'p, 's> {
    p: &'p Prepared<'s>,
    key: StreamKey,
    flow_rngs: Vec<ChaCha8Rng>,
    burst_rng: ChaCha8Rng,
    /// Batches of each burst delivered so far.
    burst_batches: Vec<usize>,
    /// Project records, indexed by the ids that events carry. A finished project's slot
    /// is reused (see `free`), so the records in use stay few and hot in cache.
    projects: Vec<Project>,
    /// Slots of finished projects that no pending event or queue refers to any more.
    free: Vec<u32>,
    enclaves: Vec<EnclaveState>,
    pools: Vec<Pool>,
    counts: [u64; total::IN_PROGRESS],
    counts_at_warmup: [u64; total::IN_PROGRESS],
    in_stage: Vec<u32>,
    /// Projects that started each stage, and the same at the end of the warm-up.
    entered: Vec<u64>,
    entered_at_warmup: Vec<u64>,
    /// Measured real landings by bins of months taken from admission.
    landing_times: Vec<u32>,
    busy: Level,
    queue: Level,
    waiting_total: u32,
    at_warmup: Areas,
    at_horizon: Option<Areas>,
    bin_start_busy_area: f64,
    firms: Vec<Firm>,
    /// Government money left in each fund.
    fund_left: Vec<f64>,
    /// Budget left in each voucher scheme.
    voucher_left: Vec<f64>,
    /// Enclaves that met the current candidate (reused to avoid allocation).
    met: Vec<u16>,
    capital: Capital,
    /// Paper landings (shells) so far.
    paper_landings: u64,
    /// Real landings at each city so far, and at the start of the current year.
    landed_by_city: Vec<u64>,
    landed_by_city_at_year_start: Vec<u64>,
    /// When each enclave closed after a breakdown (infinite while open).
    closed_at: Vec<f64>,
    stranded: u64,
    lost_to_rivals: u64,
    lost_to_rivals_at_warmup: u64,
    /// Landing subsidies paid so far, yuan.
    subsidies: f64,
    /// One-off outlays (subsidies, vouchers, fund losses) paid by the end of each bin.
    outlay_at_bin: Vec<f64>,
    /// One-off outlays paid by the horizon (the rest of a drain is not counted).
    outlay_at_horizon: Option<f64>,
    /// Paper landings and stranded projects at the end of the warm-up.
    paper_at_warmup: u64,
    stranded_at_warmup: u64,
    /// Time of the last event that changed the state (stale give-ups do not count), the
    /// end of the averaging window when there is no horizon.
    last_activity: f64,
    sums: Sums,
    series: Vec<f64>,
}

/// Money the funds moved, yuan.
#[derive(Default)]
struct Capital {
    deployed: f64,
    social: f64,
    vouchers: f64,
    voucher_projects: u64,
    returned: f64,
    lost: f64,
    investments: u64,
}

#[derive(Default)]
struct Sums {
    landing_months: f64,
    landings: u64,
    wait_months: f64,
    waits: u64,
    seat_months: f64,
    tenures: u64,
}

impl<'p, 's> Replication<'p, 's> {
    pub(super) fn new(p: &'p Prepared<'s>, key: StreamKey) -> Self {
        let sc = p.scenario;
        Replication {
            p,
            key,
            flow_rngs: (0..sc.flows.len()).map(|f| key.stream(f as u8)).collect(),
            burst_rng: key.stream(PURPOSE_BURSTS),
            burst_batches: vec![0; sc.bursts.len()],
            // Room for every candidate when their number is known (benchmarks, limits).
            projects: Vec::with_capacity(1024),
            free: Vec::new(),
            enclaves: sc
                .enclaves
                .iter()
                .map(|_| EnclaveState {
                    busy: 0,
                    waiting: 0,
                    queue: VecDeque::new(),
                })
                .collect(),
            pools: p
                .pool_capacity
                .iter()
                .map(|_| Pool {
                    used: 0,
                    waiting: 0,
                    queue: VecDeque::new(),
                })
                .collect(),
            counts: [0; total::IN_PROGRESS],
            counts_at_warmup: [0; total::IN_PROGRESS],
            in_stage: vec![0; sc.stages.len()],
            entered: vec![0; sc.stages.len()],
            entered_at_warmup: vec![0; sc.stages.len()],
            landing_times: vec![0; p.bins],
            busy: Level::default(),
            queue: Level::default(),
            waiting_total: 0,
            at_warmup: Areas::default(),
            at_horizon: None,
            bin_start_busy_area: 0.0,
            last_activity: 0.0,
            firms: Vec::new(),
            fund_left: sc.funds.iter().map(|f| f.size_yuan).collect(),
            voucher_left: sc.vouchers.iter().map(|v| v.budget_yuan).collect(),
            met: Vec::new(),
            capital: Capital::default(),
            paper_landings: 0,
            landed_by_city: vec![0; sc.cities.len()],
            landed_by_city_at_year_start: vec![0; sc.cities.len()],
            closed_at: vec![f64::INFINITY; sc.enclaves.len()],
            stranded: 0,
            lost_to_rivals: 0,
            lost_to_rivals_at_warmup: 0,
            subsidies: 0.0,
            outlay_at_bin: vec![0.0; p.bins],
            outlay_at_horizon: None,
            paper_at_warmup: 0,
            stranded_at_warmup: 0,
            sums: Sums::default(),
            series: vec![f64::NAN; p.bins * p.series_width],
        }
    }

    pub(super) fn start(&mut self, sim: &mut Simulation<PackedEvent>) {
        let sc = self.p.scenario;
        for f in 0..sc.flows.len() {
            if let Some(t) = self.next_arrival(f, 0.0) {
                sim.schedule_at(t, Event::Arrival(f as u32).pack());
            }
        }
        for (b, burst) in sc.bursts.iter().enumerate() {
            if let Some(&t) = burst.times.first() {
                sim.schedule_at(t, Event::Burst(b as u32).pack());
            }
        }
        if sc.warmup > 0.0 {
            sim.schedule_at(sc.warmup, Event::WarmupEnd.pack());
        }
        let mut breakdowns = self.key.stream(PURPOSE_BREAKDOWNS);
        for (l, link) in sc.links.iter().enumerate() {
            if link.breakdown_per_month > 0.0 {
                let gap: f64 = Exp1.sample(&mut breakdowns);
                let at = gap / link.breakdown_per_month;
                if at < sc.horizon.unwrap_or(f64::INFINITY) {
                    sim.schedule_at(at, Event::Breakdown(l as u32).pack());
                }
            }
        }
        if let (Some(h), true) = (sc.horizon, sc.cities.iter().any(|c| c.registration_target.is_some())) {
            if h >= 12.0 {
                sim.schedule_at(12.0, Event::YearEnd(0).pack());
            }
        }
        if let Some(h) = sc.horizon {
            sim.schedule_at(h, Event::HorizonEnd.pack());
            if self.p.bins > 0 {
                sim.schedule_at(sc.bin_width.min(h), Event::BinEnd(0).pack());
            }
        }
    }

    /// The time of flow `f`'s next candidate after `now`, thinning for seasonality.
    fn next_arrival(&mut self, f: usize, now: f64) -> Option<f64> {
        let flow = &self.p.scenario.flows[f];
        let end = self.p.scenario.horizon.unwrap_or(f64::INFINITY);
        let peak = self.p.flow_peak[f];
        let rate = flow.rate_per_month * peak;
        if rate <= 0.0 {
            return None;
        }
        let rng = &mut self.flow_rngs[f];
        let mut t = now;
        loop {
            let gap: f64 = Exp1.sample(rng);
            t += gap / rate;
            if t >= end {
                return None;
            }
            match flow.seasonality {
                None => return Some(t),
                Some(w) => {
                    let month = (t.floor() as i64 + self.p.scenario.start_month as i64).rem_euclid(12) as usize;
                    if unit(rng) * peak < w[month] {
                        return Some(t);
                    }
                }
            }
        }
    }

    fn below_limit(&self) -> bool {
        self.p
            .scenario
            .candidate_limit
            .is_none_or(|l| self.counts[total::HOST_CANDIDATES] < l)
    }

    /// A candidate appears in `host` in `sector`; the first open enclave there that
    /// scouts the sector and meets it decides on it.
    fn arrive(
        &mut self,
        sim: &mut Simulation<PackedEvent>,
        host: usize,
        sector: usize,
        key: u64,
        quality: (f64, f64),
        reserved: Option<usize>,
    ) {
        self.counts[total::HOST_CANDIDATES] += 1;
        let now = sim.now();
        let sc = self.p.scenario;
        // Every open enclave that scouts the sector and whose scouts meet the candidate
        // competes for it, with the rivals that are not simulated one by one. The list is
        // built only when there is a choice to make: one enclave and no rivals is common.
        let chosen = match reserved {
            // The enclave's own event: every entrant meets it, and only it.
            Some(e) => {
                let enclave = &sc.enclaves[e];
                (now >= enclave.opens && now < self.closed_at[e] && enclave.focus[sector]).then_some(e as u16)
            }
            None => self.competing_enclave(host, sector, key, now),
        };
        if let Some(e) = chosen {
            let enclave = &sc.enclaves[e as usize];
            self.counts[total::CANDIDATES] += 1;
            let mut project = Project {
                key,
                quality: 0.0,
                arrived: now,
                admitted: f64::NAN,
                since: now,
                enclave: e,
                sector: sector as u16,
                stage: 0,
                status: Status::WaitingSeat,
                locked_in: false,
                measured: now >= sc.warmup,
                deadline: f64::INFINITY,
                fund: NONE,
                voucher: NONE,
                bound: false,
            };
            if self.p.needs_quality {
                project.quality = quality.0 + quality.1 * standard_normal(&mut project.stream(SLOT_QUALITY));
            }
            if let Some(mut bar) = enclave.operator.admission_bar {
                let drift = enclave.operator.occupancy_drift;
                if drift > 0.0 {
                    // An operator paid by occupancy lowers its bar as seats stand empty.
                    let empty = 1.0 - self.enclaves[e as usize].busy as f64 / enclave.seats as f64;
                    bar -= drift * empty;
                }
                let noise = enclave.operator.scouting_noise;
                let mut signal = project.quality;
                if noise > 0.0 {
                    signal += noise * standard_normal(&mut project.stream(SLOT_SIGNAL + e as u64));
                }
                if signal < bar {
                    self.counts[total::REJECTED] += 1;
                    return;
                }
            }
            let id = match self.free.pop() {
                Some(id) => {
                    self.projects[id as usize] = project;
                    id
                }
                None => {
                    if self.projects.len() >= MAX_PROJECTS {
                        // Unreachable for validated scenarios (expected candidates are
                        // capped far below); turning the candidate away keeps indices in
                        // range regardless.
                        self.counts[total::TURNED_AWAY] += 1;
                        return;
                    }
                    self.projects.push(project);
                    (self.projects.len() - 1) as u32
                }
            };
            let state = &mut self.enclaves[e as usize];
            if state.busy < enclave.seats {
                self.take_seat(sim, id);
            } else {
                match &enclave.when_full {
                    WhenFull::TurnAway => {
                        self.counts[total::TURNED_AWAY] += 1;
                        self.projects[id as usize].status = Status::Gone;
                        // Nothing was scheduled for it: the slot is free at once.
                        self.free.push(id);
                    }
                    WhenFull::Queue { patience } => {
                        state.queue.push_back(id);
                        state.waiting += 1;
                        self.waiting_total += 1;
                        self.queue.set(now, self.waiting_total as f64);
                        if let Some(patience) = patience {
                            let project = &mut self.projects[id as usize];
                            project.deadline =
                                now + finite_delay(patience.sample(&mut project.stream(SLOT_SEAT_PATIENCE)));
                            sim.schedule_at(project.deadline, Event::GiveUp(id).pack());
                        }
                    }
                }
            }
        }
    }

    /// The enclave a city-wide candidate joins, if any. The list of enclaves that met it
    /// is built only when there is a choice to make: one enclave and no rivals is common.
    fn competing_enclave(&mut self, host: usize, sector: usize, key: u64, now: f64) -> Option<u16> {
        let mut first = None;
        let mut several = false;
        for &e in &self.p.host_enclaves[host] {
            if self.meets(e, now, sector, key) {
                if first.is_some() {
                    several = true;
                    break;
                }
                first = Some(e);
            }
        }
        if first.is_none() || !(several || self.p.scenario.cities[host].rival_enclaves > 0) {
            return first;
        }
        let mut met = std::mem::take(&mut self.met);
        met.clear();
        met.extend(
            self.p.host_enclaves[host]
                .iter()
                .copied()
                .filter(|&e| self.meets(e, now, sector, key)),
        );
        let chosen = self.choose_enclave(host, key, &met);
        self.met = met;
        chosen
    }

    /// Whether enclave `e` is open, scouts `sector` and its scouts meet the candidate.
    #[inline]
    fn meets(&self, e: u16, now: f64, sector: usize, key: u64) -> bool {
        let enclave = &self.p.scenario.enclaves[e as usize];
        now >= enclave.opens
            && now < self.closed_at[e as usize]
            && enclave.focus[sector]
            && (enclave.reach >= 1.0 || open01(KeyedStream::new(key, SLOT_MEET + e as u64).next_raw()) < enclave.reach)
    }

    /// The enclave a candidate joins among those in `met`, by the logit over their
    /// attractiveness and the rivals' (the rivals as one option weighing their number);
    /// `None` when no enclave met it or it chose a rival.
    fn choose_enclave(&mut self, host: usize, key: u64, met: &[u16]) -> Option<u16> {
        let city = &self.p.scenario.cities[host];
        let enclaves = &self.p.scenario.enclaves;
        match (met, city.rival_enclaves) {
            ([], _) => return None,
            ([only], 0) => return Some(*only),
            _ => {}
        }
        let rivals = (city.rival_enclaves > 0).then(|| city.rival_attractiveness + (city.rival_enclaves as f64).ln());
        let utility = |e: u16| enclaves[e as usize].attractiveness;
        let top = met
            .iter()
            .map(|&e| utility(e))
            .chain(rivals)
            .fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = met
            .iter()
            .map(|&e| (utility(e) - top).exp())
            .chain(rivals.map(|r| (r - top).exp()))
            .sum();
        let mut u = open01(KeyedStream::new(key, SLOT_CHOOSE_ENCLAVE).next_raw()) * total;
        for &e in met {
            u -= (utility(e) - top).exp();
            if u < 0.0 {
                return Some(e);
            }
        }
        self.counts[total::CANDIDATES] += 1;
        self.lost_to_rivals += 1;
        None
    }

    fn take_seat(&mut self, sim: &mut Simulation<PackedEvent>, id: u32) {
        let now = sim.now();
        let sc = self.p.scenario;
        let project = &mut self.projects[id as usize];
        let e = project.enclave as usize;
        let state = &mut self.enclaves[e];
        state.busy += 1;
        self.busy.set(now, self.busy.value + 1.0);
        self.counts[total::ADMITTED] += 1;
        if project.measured {
            self.sums.wait_months += now - project.arrived;
            self.sums.waits += 1;
        }
        project.admitted = now;
        project.since = now;
        let lock_in = sc.enclaves[e].lock_in_share;
        project.locked_in = lock_in > 0.0 && open01(project.stream(SLOT_LOCK_IN).next_raw()) < lock_in;
        self.begin_stage(sim, id, 0);
    }

    fn release_seat(&mut self, sim: &mut Simulation<PackedEvent>, id: u32) {
        let now = sim.now();
        let project = &self.projects[id as usize];
        if project.measured {
            self.sums.seat_months += now - project.since;
            self.sums.tenures += 1;
        }
        let e = project.enclave as usize;
        self.enclaves[e].busy -= 1;
        self.busy.set(now, self.busy.value - 1.0);
        while let Some(next) = self.enclaves[e].queue.pop_front() {
            if self.projects[next as usize].status == Status::WaitingSeat {
                self.enclaves[e].waiting -= 1;
                self.waiting_total -= 1;
                self.queue.set(now, self.waiting_total as f64);
                self.take_seat(sim, next);
                break;
            }
        }
    }

    /// Starts stage `s` for a project that already holds what the stage needs.
    fn begin_stage(&mut self, sim: &mut Simulation<PackedEvent>, id: u32, s: usize) {
        let p = self.p;
        let plan = &p.stage_plan[s];
        if plan.handoff {
            self.land(id, sim.now());
        }
        // Funds and vouchers act at few stages: one flag keeps the common path short.
        let factor = if plan.money { self.fund_and_voucher(id, s) } else { 1.0 };
        let project = &mut self.projects[id as usize];
        project.stage = s as u8;
        project.status = Status::InStage;
        self.in_stage[s] += 1;
        self.entered[s] += 1;
        let duration = plan
            .duration
            .sample(&mut KeyedStream::with_salt(project.key, plan.duration_salt));
        sim.schedule_in(finite_delay(duration * factor), Event::StageEnd(id).pack());
    }

    /// Bookkeeping of a real landing: subsidy, return investment, counts.
    #[cold]
    fn land(&mut self, id: u32, now: f64) {
        let sc = self.p.scenario;
        let project = &self.projects[id as usize];
        let owner = sc.enclaves[project.enclave as usize].owner;
        self.subsidies += sc.cities[owner].landing_subsidy_yuan;
        self.landed_by_city[owner] += 1;
        if project.fund != NONE {
            let fund = &sc.funds[project.fund as usize];
            // The multiple is per yuan of the fund's own money, as Kunshan reports it.
            self.capital.returned += fund.return_multiple * fund.government_share * fund.ticket_yuan;
        }
        self.counts[total::LANDED_HOME] += 1;
        if project.measured {
            let months = now - project.admitted;
            self.sums.landing_months += months;
            self.sums.landings += 1;
            // Longer than the histogram (possible only without a horizon): the last bin.
            let bin = (months / self.p.scenario.bin_width) as usize;
            if let Some(last) = self.landing_times.len().checked_sub(1) {
                self.landing_times[bin.min(last)] += 1;
            }
        }
    }

    /// Funds invest and vouchers pay as a project starts stage `s`; returns the factor
    /// on the stage's duration.
    fn fund_and_voucher(&mut self, id: u32, s: usize) -> f64 {
        if self.projects[id as usize].fund == NONE {
            self.invest(id, s);
        }
        self.give_voucher(id, s)
    }

    fn pool(&self, id: u32, s: usize) -> u32 {
        let owner = self.p.scenario.enclaves[self.projects[id as usize].enclave as usize].owner;
        self.p.pool_of[owner * self.p.scenario.stages.len() + s]
    }

    /// Moves a project into stage `s`, waiting for a home slot if the stage is full.
    fn enter_stage(&mut self, sim: &mut Simulation<PackedEvent>, id: u32, s: usize) {
        let pool = if self.p.stage_plan[s].pooled {
            self.pool(id, s)
        } else {
            NO_POOL
        };
        if pool == NO_POOL {
            return self.begin_stage(sim, id, s);
        }
        let state = &mut self.pools[pool as usize];
        if state.used < self.p.pool_capacity[pool as usize] {
            state.used += 1;
            return self.begin_stage(sim, id, s);
        }
        match &self.p.scenario.stages[s].when_full {
            WhenFull::TurnAway => self.leak(id),
            WhenFull::Queue { patience } => {
                state.queue.push_back(id);
                state.waiting += 1;
                let project = &mut self.projects[id as usize];
                project.stage = s as u8;
                project.status = Status::WaitingSlot;
                project.deadline = f64::INFINITY;
                if let Some(patience) = patience {
                    project.deadline =
                        sim.now() + finite_delay(patience.sample(&mut project.stream(SLOT_STAGE_PATIENCE + s as u64)));
                    sim.schedule_at(project.deadline, Event::GiveUp(id).pack());
                }
            }
        }
    }

    fn release_slot(&mut self, sim: &mut Simulation<PackedEvent>, pool: u32) {
        let state = &mut self.pools[pool as usize];
        state.used -= 1;
        while let Some(next) = self.pools[pool as usize].queue.pop_front() {
            let project = &self.projects[next as usize];
            if project.status == Status::WaitingSlot {
                let state = &mut self.pools[pool as usize];
                state.waiting -= 1;
                state.used += 1;
                let s = project.stage as usize;
                self.begin_stage(sim, next, s);
                break;
            }
        }
    }

    /// Returns false when the project had been stranded (a stale event).
    fn stage_end(&mut self, sim: &mut Simulation<PackedEvent>, id: u32) -> bool {
        let sc = self.p.scenario;
        let project = self.projects[id as usize];
        if project.status != Status::InStage {
            // Stranded by a breakdown while in the stage: its end no longer matters.
            return false;
        }
        let s = project.stage as usize;
        let plan = &self.p.stage_plan[s];
        self.in_stage[s] -= 1;
        let succeeded = if plan.certain {
            true
        } else {
            let stage = &sc.stages[s];
            let boost = sc
                .vouchers
                .get(project.voucher as usize)
                .filter(|v| v.stage == s)
                .map_or(0.0, |v| v.success_boost);
            let chance = success_chance(stage.success, stage.quality_effect * project.quality + boost);
            open01(project.stream(SLOT_SUCCESS + s as u64).next_raw()) < chance
        };
        let next = s + 1;
        if plan.in_enclave && (!succeeded || plan.leaves_on_success) {
            self.release_seat(sim, id);
        }
        let pool = if plan.pooled { self.pool(id, s) } else { NO_POOL };
        if pool != NO_POOL {
            self.release_slot(sim, pool);
        }
        if !succeeded {
            if project.fund != NONE {
                let fund = &sc.funds[project.fund as usize];
                self.capital.lost += fund.government_share * fund.ticket_yuan;
            }
            self.counts[total::FAILED] += 1;
            self.projects[id as usize].status = Status::Gone;
        } else if plan.last {
            self.counts[total::COMPLETED] += 1;
            self.projects[id as usize].status = Status::Gone;
            if let (Some(economics), Place::Home) = (&sc.economics, sc.stages[s].place) {
                let output_per_year = economics.output[project.sector as usize]
                    .sample(&mut project.stream(SLOT_OUTPUT))
                    .max(0.0);
                self.firms.push(Firm {
                    since: sim.now(),
                    output_per_year,
                });
            }
        } else if plan.before_handoff {
            self.choose_landing(sim, id, next);
        } else {
            self.enter_stage(sim, id, next);
        }
        // A project that ends here was in no queue (it held its stage), and this was its
        // stage's end; only a give-up timer from an earlier wait may still be pending, and
        // one that lay before now has fired. Then nothing refers to the slot any more.
        if self.projects[id as usize].status == Status::Gone
            && (project.deadline < sim.now() || project.deadline == f64::INFINITY)
        {
            self.free.push(id);
        }
        true
    }

    /// A voucher scheme of the project's home for stage `s` pays out if budget is left;
    /// returns the factor on the stage's duration.
    fn give_voucher(&mut self, id: u32, s: usize) -> f64 {
        let sc = self.p.scenario;
        let owner = sc.enclaves[self.projects[id as usize].enclave as usize].owner;
        for (v, voucher) in sc.vouchers.iter().enumerate() {
            if voucher.stage == s && voucher.owner == owner && self.voucher_left[v] >= voucher.amount_yuan {
                self.voucher_left[v] -= voucher.amount_yuan;
                self.capital.vouchers += voucher.amount_yuan;
                self.capital.voucher_projects += 1;
                self.projects[id as usize].voucher = v as u16;
                return voucher.duration_factor;
            }
        }
        1.0
    }

    /// A fund of the project's home that invests at stage `s` takes a ticket, if money
    /// is left and the project passes its selection.
    fn invest(&mut self, id: u32, s: usize) {
        let sc = self.p.scenario;
        let project = self.projects[id as usize];
        let owner = sc.enclaves[project.enclave as usize].owner;
        for (f, fund) in sc.funds.iter().enumerate() {
            let government = fund.government_share * fund.ticket_yuan;
            if fund.stage != s || fund.owner != owner || self.fund_left[f] < government {
                continue;
            }
            if let Some(bar) = fund.selection_bar {
                let mut signal = project.quality;
                if fund.scouting_noise > 0.0 {
                    signal += fund.scouting_noise * standard_normal(&mut project.stream(SLOT_FUND_SIGNAL + f as u64));
                }
                if signal < bar {
                    continue;
                }
            }
            self.fund_left[f] -= government;
            self.capital.deployed += government;
            self.capital.social += fund.ticket_yuan - government;
            self.capital.investments += 1;
            let bound = fund.return_clause > 0.0
                && open01(project.stream(SLOT_RETURN_CLAUSE + f as u64).next_raw()) < fund.return_clause;
            let project = &mut self.projects[id as usize];
            project.fund = f as u16;
            project.bound = bound;
            return;
        }
    }

    /// Cooperation on `link` breaks down: the home's enclaves in the host close, their
    /// waiting candidates are turned away and their projects still on the host side are
    /// stranded. Projects already at home carry on.
    /// Returns whether anything changed (an enclave that was still open closed).
    fn breakdown(&mut self, now: f64, link: usize) -> bool {
        let sc = self.p.scenario;
        let l = &sc.links[link];
        let closing: Vec<usize> = (0..sc.enclaves.len())
            .filter(|&e| sc.enclaves[e].owner == l.home && sc.enclaves[e].host == l.host)
            .collect();
        let changed = closing
            .iter()
            .any(|&e| self.closed_at[e] > now && now >= sc.enclaves[e].opens);
        for &e in &closing {
            self.closed_at[e] = self.closed_at[e].min(now);
        }
        for id in 0..self.projects.len() {
            let project = self.projects[id];
            if !closing.contains(&(project.enclave as usize)) {
                continue;
            }
            match project.status {
                Status::WaitingSeat => {
                    self.enclaves[project.enclave as usize].waiting -= 1;
                    self.waiting_total -= 1;
                    self.counts[total::TURNED_AWAY] += 1;
                }
                Status::InStage if sc.stages[project.stage as usize].place != Place::Home => {
                    let s = project.stage as usize;
                    self.in_stage[s] -= 1;
                    if sc.stages[s].place == Place::Enclave {
                        self.enclaves[project.enclave as usize].busy -= 1;
                        self.busy.set(now, self.busy.value - 1.0);
                    }
                    self.stranded += 1;
                }
                _ => continue,
            }
            self.projects[id].status = Status::Gone;
        }
        self.queue.set(now, self.waiting_total as f64);
        changed
    }

    /// A year ends: a city short of its registration target registers shells.
    fn year_end(&mut self, sim: &mut Simulation<PackedEvent>, year: usize) {
        let sc = self.p.scenario;
        for (c, city) in sc.cities.iter().enumerate() {
            let Some(target) = &city.registration_target else {
                continue;
            };
            let real = self.landed_by_city[c] - self.landed_by_city_at_year_start[c];
            let shortfall = (target.per_year - real as f64).max(0.0);
            let shells = (target.filled_by_shells * shortfall).round() as u64;
            self.paper_landings += shells;
            // Shells collect the landing subsidy too: the cost of landings on paper.
            self.subsidies += shells as f64 * city.landing_subsidy_yuan;
        }
        self.landed_by_city_at_year_start.clone_from(&self.landed_by_city);
        let next = (year + 2) as f64 * 12.0;
        if next <= sc.horizon.unwrap_or(0.0) {
            sim.schedule_at(next, Event::YearEnd(year as u32 + 1).pack());
        }
    }

    /// The graduate chooses home, host or elsewhere by the landing logit.
    fn choose_landing(&mut self, sim: &mut Simulation<PackedEvent>, id: u32, handoff: usize) {
        let sc = self.p.scenario;
        let project = self.projects[id as usize];
        let Some(landing) = sc.landing.as_ref().filter(|_| !project.bound) else {
            // No choice model, or a return-investment clause: the graduate comes home.
            return self.enter_stage(sim, id, handoff);
        };
        let enclave = &sc.enclaves[project.enclave as usize];
        let home = &sc.cities[enclave.owner];
        let w = &landing.weights;
        let pool = self.pool(id, handoff);
        let free_share = if pool == NO_POOL {
            1.0
        } else {
            let cap = self.p.pool_capacity[pool as usize];
            if cap == 0 {
                0.0
            } else {
                (cap - self.pools[pool as usize].used.min(cap)) as f64 / cap as f64
            }
        };
        let mut home_utility = landing.home_constant
            + w.subsidy * home.landing_subsidy_yuan / 1e6
            + w.lock_in * project.locked_in as u8 as f64
            + w.fit * home.fit[project.sector as usize]
            + w.free_capacity * free_share;
        if let Some(link) = enclave.link.map(|l| &sc.links[l]) {
            home_utility += w.travel * link.travel_hours
                + w.barrier * link.barrier
                + w.same_city * link.same_city_treatment as u8 as f64;
        }
        let [home_p, host_p, _] = logit([home_utility, landing.host_constant, landing.elsewhere_constant]);
        let u = open01(project.stream(SLOT_CHOICE).next_raw());
        if u < home_p {
            self.enter_stage(sim, id, handoff);
        } else if u < home_p + host_p {
            self.counts[total::LEAKED_HOST] += 1;
            self.projects[id as usize].status = Status::Gone;
        } else {
            self.counts[total::LEAKED_ELSEWHERE] += 1;
            self.projects[id as usize].status = Status::Gone;
        }
    }

    /// A project that cannot get (or gave up on) a home slot settles in the host or
    /// goes elsewhere, by the logit over those two; with no landing model it stays in
    /// the host.
    fn leak(&mut self, id: u32) {
        let project = &mut self.projects[id as usize];
        project.status = Status::Gone;
        let to_host = match &self.p.scenario.landing {
            None => true,
            Some(l) => {
                let [host_p, _] = logit([l.host_constant, l.elsewhere_constant]);
                open01(project.stream(SLOT_LEAK_CHOICE).next_raw()) < host_p
            }
        };
        self.counts[if to_host {
            total::LEAKED_HOST
        } else {
            total::LEAKED_ELSEWHERE
        }] += 1;
    }

    /// Returns whether the project really gave up (false for a stale timer).
    fn give_up(&mut self, now: f64, id: u32) -> bool {
        let project = &mut self.projects[id as usize];
        // A give-up left over from an earlier wait has another deadline: ignore it.
        if project.deadline != now {
            return false;
        }
        match project.status {
            Status::WaitingSeat => {
                project.status = Status::Gone;
                self.enclaves[project.enclave as usize].waiting -= 1;
                self.waiting_total -= 1;
                self.queue.set(now, self.waiting_total as f64);
                self.counts[total::TURNED_AWAY] += 1;
            }
            Status::WaitingSlot => {
                let stage = project.stage as usize;
                let pool = self.pool(id, stage);
                self.pools[pool as usize].waiting -= 1;
                self.leak(id);
            }
            Status::InStage | Status::Gone => return false,
        }
        true
    }

    /// Delivers the next batch of burst `b`; returns whether any candidate arrived.
    fn burst(&mut self, sim: &mut Simulation<PackedEvent>, b: usize) -> bool {
        if !self.below_limit() {
            // The candidate limit is reached: this and later batches bring no one.
            return false;
        }
        let burst = &self.p.scenario.bursts[b];
        let batch = self.burst_batches[b];
        self.burst_batches[b] += 1;
        // Validation bounds the mean size; the clamp bounds a freak draw.
        let size = burst.size.sample(&mut self.burst_rng).round().clamp(0.0, 1e7) as u64;
        let mut arrived = false;
        for _ in 0..size {
            if !self.below_limit() {
                break;
            }
            let key = self.burst_rng.next_u64();
            self.arrive(
                sim,
                burst.host,
                burst.sector,
                key,
                (burst.quality_mean, burst.quality_sd),
                burst.enclave,
            );
            arrived = true;
        }
        if let Some(&t) = burst.times.get(batch + 1) {
            sim.schedule_at(t, Event::Burst(b as u32).pack());
        }
        arrived
    }

    /// Seat-months of open seats between `a` and `b` (from opening to any closure).
    fn open_seat_months(&self, a: f64, b: f64) -> f64 {
        self.p
            .scenario
            .enclaves
            .iter()
            .zip(&self.closed_at)
            .map(|(e, &closed)| e.seats as f64 * (b.min(closed) - a.max(e.opens)).max(0.0))
            .sum()
    }

    fn areas(&self, now: f64) -> Areas {
        Areas {
            busy: self.busy.area_at(now),
            queue: self.queue.area_at(now),
        }
    }

    fn bin_end(&mut self, sim: &mut Simulation<PackedEvent>, bin: usize) {
        let now = sim.now();
        let sc = self.p.scenario;
        let width = self.p.series_width;
        let bin_start = bin as f64 * sc.bin_width;
        let busy_area = self.busy.area_at(now);
        let open = self.open_seat_months(bin_start, now);
        let row = &mut self.series[bin * width..(bin + 1) * width];
        for (slot, &metric) in row.iter_mut().zip(series::COUNTS.iter()) {
            *slot = self.counts[metric] as f64;
        }
        row[series::SEAT_OCCUPANCY] = if open > 0.0 {
            (busy_area - self.bin_start_busy_area) / open
        } else {
            f64::NAN
        };
        row[series::SEAT_QUEUE] = self.waiting_total as f64;
        row[series::PAPER_LANDINGS] = self.paper_landings as f64;
        row[LANDED_COLUMN] += self.paper_landings as f64;
        for (slot, &n) in row[series::FIRST_STAGE..].iter_mut().zip(&self.in_stage) {
            *slot = n as f64;
        }
        self.bin_start_busy_area = busy_area;
        self.outlay_at_bin[bin] = self.one_off_outlay();
        if bin + 1 < self.p.bins {
            let horizon = sc.horizon.expect("bins exist only with a horizon");
            sim.schedule_at(
                ((bin + 2) as f64 * sc.bin_width).min(horizon),
                Event::BinEnd(bin as u32 + 1).pack(),
            );
        }
    }

    /// One-off outlays so far: landing subsidies, vouchers and fund losses.
    fn one_off_outlay(&self) -> f64 {
        self.subsidies + self.capital.vouchers + self.capital.lost
    }

    /// Home outlay to time `t` that accrues by the month: rent and operator fees.
    fn running_costs_until(&self, t: f64) -> f64 {
        self.p
            .scenario
            .enclaves
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let per_month = e.floor_area_m2 * e.rent_yuan_per_m2_month + e.operator.fee_yuan_per_month;
                per_month * (t.min(self.closed_at[i]) - e.opens).max(0.0)
            })
            .sum()
    }

    /// Output, tax, jobs, cost and payback: totals over the horizon and cumulative series.
    /// Money totals cover the whole horizon, warm-up included.
    fn money(&self, economics: &Economics, end: f64, totals: &mut [f64], series: &mut [f64]) {
        let sc = self.p.scenario;
        let ramp = economics.ramp_up;
        let output_until = |t: f64| self.firms.iter().map(|f| f.output_until(t, ramp)).sum::<f64>();
        let width = self.p.series_width;
        let money = self.p.money_offset;
        let parties = economics.tax_split.parties.len();
        let mut party_tax = vec![0.0; parties];
        let (mut home_tax, mut previous_output) = (0.0, 0.0);
        let mut payback = f64::NAN;
        // Tax shares float with the landing rate to date, so tax is summed bin by bin.
        let bins = self.p.bins.max(1);
        for bin in 0..bins {
            let bin_end = if self.p.bins == 0 {
                end
            } else {
                ((bin + 1) as f64 * sc.bin_width).min(end)
            };
            let output = output_until(bin_end);
            let tax = (output - previous_output) * economics.tax_rate;
            previous_output = output;
            let (landed, admitted) = if self.p.bins == 0 {
                (self.counts[total::LANDED_HOME], self.counts[total::ADMITTED])
            } else {
                let row = &series[bin * width..];
                (
                    (row[LANDED_COLUMN] - row[series::PAPER_LANDINGS]) as u64,
                    row[ADMITTED_COLUMN] as u64,
                )
            };
            let shares = economics.tax_split.shares(ratio(landed as f64, admitted as f64));
            for (t, share) in party_tax.iter_mut().zip(&shares) {
                *t += tax * share;
            }
            home_tax += economics.tax_split.home.map_or(0.0, |h| tax * shares[h]);
            let one_off = self
                .outlay_at_bin
                .get(bin)
                .copied()
                .unwrap_or_else(|| self.one_off_outlay());
            let cost = self.running_costs_until(bin_end) + one_off;
            if payback.is_nan() && cost > 0.0 && home_tax >= cost {
                payback = bin_end;
            }
            if self.p.bins > 0 {
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
        let one_off = self.outlay_at_horizon.unwrap_or_else(|| self.one_off_outlay());
        let cost = self.running_costs_until(end) + one_off;
        totals[total::OUTPUT_YUAN] = previous_output;
        totals[total::TAX_YUAN] = party_tax.iter().sum();
        totals[total::HOME_TAX_YUAN] = home_tax;
        totals[total::JOBS] =
            self.firms.iter().map(|f| f.rate_at(end, ramp)).sum::<f64>() / 1e6 * economics.jobs_per_million_yuan;
        totals[total::COST_YUAN] = cost;
        // Money covers the whole horizon, so the landings it is divided by do too.
        totals[total::COST_PER_REAL_LANDING_YUAN] = ratio(cost, self.counts[total::LANDED_HOME] as f64);
        totals[total::PAYBACK_MONTH] = payback;
        totals[total::PAID_BACK] = if payback.is_nan() { 0.0 } else { 1.0 };
        totals[total::COUNT..total::COUNT + parties].copy_from_slice(&party_tax);
    }

    pub(super) fn finish(mut self, sim: &Simulation<PackedEvent>) -> Outcome {
        debug_assert!(self.last_activity <= sim.now());
        let sc = self.p.scenario;
        let end = sc.horizon.unwrap_or(self.last_activity);
        let at_end = self.at_horizon.unwrap_or_else(|| self.areas(end));
        let mut totals = vec![f64::NAN; self.p.totals_width];
        for (i, slot) in totals.iter_mut().enumerate().take(total::IN_PROGRESS) {
            *slot = (self.counts[i] - self.counts_at_warmup[i]) as f64;
        }
        let live = self.projects.iter().filter(|p| p.status != Status::Gone).count();
        totals[total::IN_PROGRESS] = live as f64;
        totals[total::LANDING_RATE] = ratio(totals[total::LANDED_HOME], totals[total::ADMITTED]);
        totals[total::MONTHS_TO_LANDING] = ratio(self.sums.landing_months, self.sums.landings as f64);
        let window = end - sc.warmup;
        let busy = at_end.busy - self.at_warmup.busy;
        totals[total::SEAT_OCCUPANCY] = ratio(busy, self.open_seat_months(sc.warmup, end));
        totals[total::SEATS_BUSY] = ratio(busy, window);
        totals[total::SEAT_QUEUE] = ratio(at_end.queue - self.at_warmup.queue, window);
        totals[total::QUEUE_WAIT_MONTHS] = ratio(self.sums.wait_months, self.sums.waits as f64);
        totals[total::SEAT_MONTHS] = ratio(self.sums.seat_months, self.sums.tenures as f64);
        totals[total::LANDED_HOME_REAL] = totals[total::LANDED_HOME];
        let paper = (self.paper_landings - self.paper_at_warmup) as f64;
        totals[total::LANDED_HOME_PAPER] = paper;
        totals[total::LANDED_HOME] += paper;
        totals[total::STRANDED] = (self.stranded - self.stranded_at_warmup) as f64;
        totals[total::FUND_DEPLOYED_YUAN] = self.capital.deployed;
        totals[total::SOCIAL_CAPITAL_YUAN] = self.capital.social;
        totals[total::RETURN_INVESTMENT_YUAN] = self.capital.returned;
        totals[total::FUND_LOSSES_YUAN] = self.capital.lost;
        totals[total::FUND_INVESTMENTS] = self.capital.investments as f64;
        totals[total::LOST_TO_RIVALS] = (self.lost_to_rivals - self.lost_to_rivals_at_warmup) as f64;
        totals[total::VOUCHERS_YUAN] = self.capital.vouchers;
        totals[total::VOUCHER_PROJECTS] = self.capital.voucher_projects as f64;
        totals[total::SUBSIDY_YUAN] = self.subsidies;
        debug_assert!(self.outlay_at_horizon.is_none_or(|o| o <= self.one_off_outlay()));
        let entries = self.entered.iter().zip(&self.entered_at_warmup);
        for (slot, (all, before)) in totals[self.p.stage_entry_offset..].iter_mut().zip(entries) {
            *slot = (all - before) as f64;
        }
        let mut series = std::mem::take(&mut self.series);
        if let Some(economics) = &sc.economics {
            self.money(economics, end, &mut totals, &mut series);
        }
        let width = self.p.series_width;
        for (row, &n) in series.chunks_exact_mut(width).zip(&self.landing_times) {
            row[width - 1] = n as f64;
        }
        Outcome {
            totals,
            series,
            events: sim.events_handled(),
        }
    }
}

impl Model for Replication<'_, '_> {
    type Event = PackedEvent;

    #[inline]
    fn handle(&mut self, sim: &mut Simulation<PackedEvent>, event: PackedEvent) {
        // Only events that change projects' state move the end of the averaging window
        // (used when there is no horizon); marks, stale timers and empty batches do not.
        let changed = match event.unpack() {
            Event::Arrival(f) => {
                let f = f as usize;
                let flow = &self.p.scenario.flows[f];
                let key = self.flow_rngs[f].next_u64();
                self.arrive(
                    sim,
                    flow.host,
                    flow.sector,
                    key,
                    (flow.quality_mean, flow.quality_sd),
                    None,
                );
                if self.below_limit() {
                    if let Some(t) = self.next_arrival(f, sim.now()) {
                        sim.schedule_at(t, Event::Arrival(f as u32).pack());
                    }
                }
                true
            }
            Event::Burst(b) => self.burst(sim, b as usize),
            Event::StageEnd(id) => self.stage_end(sim, id),
            Event::Breakdown(link) => self.breakdown(sim.now(), link as usize),
            Event::YearEnd(year) => {
                self.year_end(sim, year as usize);
                false
            }
            Event::GiveUp(id) => self.give_up(sim.now(), id),
            Event::BinEnd(bin) => {
                self.bin_end(sim, bin as usize);
                false
            }
            Event::WarmupEnd => {
                self.counts_at_warmup = self.counts;
                self.lost_to_rivals_at_warmup = self.lost_to_rivals;
                self.paper_at_warmup = self.paper_landings;
                self.entered_at_warmup.clone_from(&self.entered);
                self.stranded_at_warmup = self.stranded;
                self.at_warmup = self.areas(sim.now());
                false
            }
            Event::HorizonEnd => {
                self.at_horizon = Some(self.areas(sim.now()));
                self.outlay_at_horizon = Some(self.one_off_outlay());
                false
            }
        };
        if changed {
            self.last_activity = sim.now();
        }
    }
}

/// A delay that keeps event times finite: distributions with a validated mean can
/// still, very rarely, draw an overflow.
#[inline]
fn finite_delay(delay: f64) -> f64 {
    if delay.is_finite() {
        delay.max(0.0)
    } else {
        1e12
    }
}

/// Chance of passing a stage whose average project passes with `base`, for a project
/// whose log-odds are shifted by `shift` (quality effect times quality, plus any voucher
/// boost). A certain or impossible stage stays so.
pub fn success_chance(base: f64, shift: f64) -> f64 {
    if shift == 0.0 || base <= 0.0 || base >= 1.0 {
        return base;
    }
    let logit = (base / (1.0 - base)).ln() + shift;
    1.0 / (1.0 + (-logit).exp())
}

/// Choice probabilities of a multinomial logit over `utilities`.
pub fn logit<const N: usize>(utilities: [f64; N]) -> [f64; N] {
    let top = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights = utilities.map(|u| (u - top).exp());
    let sum: f64 = weights.iter().sum();
    weights.map(|w| w / sum)
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_record_fits_one_cache_line() {
        assert!(
            std::mem::size_of::<Project>() <= 64,
            "{} bytes",
            std::mem::size_of::<Project>()
        );
    }
}
