//! The core of one replication: candidates arrive (flows and bursts), enclaves seat or
//! queue them, projects walk the stage chain (taking home slots where a city limits a
//! stage), and at the hand-off each graduate lands at home or leaks. The levers
//! (competition, funds, vouchers, targets, breakdowns, money) are concrete parts of the
//! replication, called where the stage plan or the event says so.

use super::breakdowns::Breakdowns;
use super::competition::{self, Competition};
use super::controls::Controls;
use super::events::{Event, PackedEvent, MAX_PROJECTS};
use super::funds::Funds;
use super::governance;
use super::metrics::{series, Total};
use super::money::{ratio, Ledger, Money};
use super::occupancy::{Level, Occupancy};
use super::operator::Operators;
use super::parties;
use super::project::{Project, Status, NONE};
use super::relocation::Relocated;
use super::risk_fund::RiskFund;
use super::streams::{self, slot, Purpose};
use super::talent::{self, Graduates};
use super::targets::Targets;
use super::transfer::{Challenges, Licences};
use super::vouchers::Vouchers;
use super::{Outcome, Prepared, NO_POOL};
use crate::dist::{exp1, standard_normal, unit};
use crate::engine::rng::{open01, KeyedStream, StreamKey};
use crate::engine::{Model, Simulation};
use crate::math;
use crate::scenario::{Place, Setting, WhenFull};
use rand::rngs::ChaCha8Rng;
use rand::Rng;
use std::collections::VecDeque;
use std::ops::{Index, IndexMut};

/// Number of totals that are plain event counts: those before `in_progress`.
const COUNTED: usize = Total::InProgress.index();

/// Event counts, indexed by the [`Total`] each one is (one of the first [`COUNTED`]).
#[derive(Clone, Copy)]
struct Counts([u64; COUNTED]);

impl Index<Total> for Counts {
    type Output = u64;

    #[inline]
    fn index(&self, total: Total) -> &u64 {
        &self.0[total.index()]
    }
}

impl IndexMut<Total> for Counts {
    #[inline]
    fn index_mut(&mut self, total: Total) -> &mut u64 {
        &mut self.0[total.index()]
    }
}

/// Seats of one enclave.
struct EnclaveState {
    busy: u32,
    /// Seats now (policy changes may alter them).
    seats: u32,
    waiting: u32,
    queue: VecDeque<u32>,
}

/// Home slots of one (city, stage) capacity pool.
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

/// Sums behind the mean times reported (measured projects only).
#[derive(Default)]
struct Sums {
    landing_months: f64,
    landings: u64,
    wait_months: f64,
    waits: u64,
    seat_months: f64,
    tenures: u64,
}

/// The state of one replication.
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
    counts: Counts,
    counts_at_warmup: Counts,
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
    /// Time of the last event that changed the state (stale give-ups do not count), the
    /// end of the averaging window when there is no horizon.
    last_activity: f64,
    sums: Sums,
    series: Vec<f64>,
    competition: Competition,
    funds: Funds,
    vouchers: Vouchers,
    targets: Targets,
    breakdowns: Breakdowns,
    money: Money,
    operators: Operators,
    occupancy: Occupancy,
    licences: Licences,
    /// The joint risk fund, when the scenario has one.
    risk_fund: Option<RiskFund>,
    /// Landing subsidy of each city now, yuan (policy changes may alter it).
    subsidy: Vec<f64>,
    /// Projects brought by jointly trained graduates; `None` when no city trains any.
    graduates: Option<Graduates>,
    /// Control-variate sums (observed only; they change no draw).
    controls: Controls,
}

impl<'p, 's> Replication<'p, 's> {
    /// A replication of `p` before its first event, drawing from the streams of `key`.
    pub(super) fn new(p: &'p Prepared<'s>, key: StreamKey) -> Self {
        let sc = p.scenario;
        Replication {
            p,
            key,
            flow_rngs: (0..sc.flows.len())
                .map(|f| streams::stream(&key, Purpose::Flow(f)))
                .collect(),
            burst_rng: streams::stream(&key, Purpose::Bursts),
            burst_batches: vec![0; sc.bursts.len()],
            // Room for every candidate when their number is known (benchmarks, limits).
            projects: Vec::with_capacity(1024),
            free: Vec::new(),
            enclaves: sc
                .enclaves
                .iter()
                .map(|e| EnclaveState {
                    busy: 0,
                    seats: e.seats,
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
            counts: Counts([0; COUNTED]),
            counts_at_warmup: Counts([0; COUNTED]),
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
            sums: Sums::default(),
            series: vec![f64::NAN; p.bins * p.series_width],
            competition: Competition::new(),
            funds: Funds::new(sc),
            vouchers: Vouchers::new(sc),
            targets: Targets::new(sc),
            breakdowns: Breakdowns::new(p),
            money: Money::new(p.bins),
            operators: Operators::new(),
            occupancy: Occupancy::new(p),
            licences: Licences::new(),
            risk_fund: sc.risk_fund.as_ref().map(RiskFund::new),
            subsidy: sc.cities.iter().map(|c| c.landing_subsidy_yuan).collect(),
            graduates: Graduates::new(sc, &key),
            controls: Controls::new(sc),
        }
    }

    /// Schedules the first events: arrivals, bursts, the warm-up's end, breakdowns,
    /// year ends, the horizon and the first bin end (in this order, which fixes ties;
    /// a bin end comes after every other event at its time, whenever scheduled).
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
        Breakdowns::start(
            self.p,
            &self.key,
            sim,
            self.p.observe_controls.then_some(&mut self.controls),
        );
        Targets::start(sc, sim);
        for (k, change) in sc.changes.iter().enumerate() {
            sim.schedule_at(change.at, Event::Change(k as u32).pack());
        }
        if let Some(graduates) = &mut self.graduates {
            graduates.schedule_next(sc, 0.0, sim);
        }
        if let Some(h) = sc.horizon {
            sim.schedule_at(h, Event::HorizonEnd.pack());
            if self.p.bins > 0 {
                // Bins are (a, b]: a bin's end comes after every other event at its time.
                sim.schedule_last_at(sc.bin_width.min(h), Event::BinEnd(0).pack());
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
            let gap = exp1(rng);
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
            .is_none_or(|l| self.counts[Total::HostCandidates] < l)
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
        self.counts[Total::HostCandidates] += 1;
        let now = sim.now();
        let sc = self.p.scenario;
        // Every open enclave that scouts the sector and whose scouts meet the candidate
        // competes for it, with the rivals that are not simulated one by one. The list is
        // built only when there is a choice to make: one enclave and no rivals is common.
        let chosen = match reserved {
            // The enclave's own event: every entrant meets it, and only it.
            Some(e) => {
                let enclave = &sc.enclaves[e];
                (now >= enclave.opens && now < self.breakdowns.closed_at()[e] && enclave.focus[sector])
                    .then_some(e as u16)
            }
            None => self.competing_enclave(host, sector, key, now),
        };
        if let Some(e) = chosen {
            let enclave = &sc.enclaves[e as usize];
            self.counts[Total::Candidates] += 1;
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
                let z = standard_normal(&mut project.stream(slot::QUALITY));
                project.quality = quality.0 + quality.1 * z;
                if self.p.observe_controls && project.measured {
                    self.controls.quality(z);
                }
            }
            if let Some(mut bar) = enclave.operator.admission_bar {
                let drift = enclave.operator.occupancy_drift;
                if drift > 0.0 {
                    // An operator paid by occupancy lowers its bar as seats stand empty.
                    let seats = self.enclaves[e as usize].seats as f64;
                    let empty = (1.0 - self.enclaves[e as usize].busy as f64 / seats).max(0.0);
                    bar -= drift * empty;
                }
                let noise = enclave.operator.scouting_noise;
                let mut signal = project.quality;
                if noise > 0.0 {
                    signal += noise * standard_normal(&mut project.stream(slot::admission_signal(e as usize)));
                }
                if signal < bar {
                    self.counts[Total::Rejected] += 1;
                    return;
                }
            }
            self.occupancy.seat_requested();
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
                        self.counts[Total::TurnedAway] += 1;
                        return;
                    }
                    self.projects.push(project);
                    (self.projects.len() - 1) as u32
                }
            };
            let state = &mut self.enclaves[e as usize];
            if state.busy < state.seats {
                self.take_seat(sim, id);
            } else {
                match &enclave.when_full {
                    WhenFull::TurnAway => {
                        self.counts[Total::TurnedAway] += 1;
                        self.occupancy.blocked();
                        self.projects[id as usize].status = Status::Gone;
                        // Nothing was scheduled for it: the slot is free at once.
                        self.free.push(id);
                    }
                    WhenFull::Queue { patience } => {
                        state.queue.push_back(id);
                        state.waiting += 1;
                        self.occupancy.enclave(e as usize, now, state.busy, state.waiting);
                        self.waiting_total += 1;
                        self.queue.set(now, self.waiting_total as f64);
                        if let Some(patience) = patience {
                            let project = &mut self.projects[id as usize];
                            project.deadline =
                                now + finite_delay(patience.sample(&mut project.stream(slot::SEAT_PATIENCE)));
                            sim.schedule_at(project.deadline, Event::GiveUp(id).pack());
                        }
                    }
                }
            }
        }
    }

    /// The enclave a city-wide candidate joins, if any. The competition is asked only
    /// when there is a choice to make: one enclave and no rivals is common.
    fn competing_enclave(&mut self, host: usize, sector: usize, key: u64, now: f64) -> Option<u16> {
        let p = self.p;
        let closed_at = self.breakdowns.closed_at();
        let mut first = None;
        let mut several = false;
        for &e in &p.host_enclaves[host] {
            let met = competition::meets(p, closed_at, e, now, sector, key);
            if p.observe_controls {
                let enclave = &p.scenario.enclaves[e as usize];
                if enclave.reach < 1.0
                    && now >= p.scenario.warmup
                    && now >= enclave.opens
                    && now < closed_at[e as usize]
                    && enclave.focus[sector]
                {
                    // The same conditions under which `meets` drew.
                    self.controls.meeting(met, enclave.reach);
                }
            }
            if met {
                if first.is_some() {
                    several = true;
                    break;
                }
                first = Some(e);
            }
        }
        if first.is_none() || !(several || p.scenario.cities[host].rival_enclaves > 0) {
            return first;
        }
        let chosen = self.competition.choose(p, closed_at, host, sector, key, now);
        if chosen.is_none() {
            // Met by an enclave, so a candidate, though lost to a rival.
            self.counts[Total::Candidates] += 1;
        }
        chosen
    }

    fn take_seat(&mut self, sim: &mut Simulation<PackedEvent>, id: u32) {
        let now = sim.now();
        let sc = self.p.scenario;
        let project = &mut self.projects[id as usize];
        let e = project.enclave as usize;
        let state = &mut self.enclaves[e];
        state.busy += 1;
        self.occupancy.enclave(e, now, state.busy, state.waiting);
        self.busy.set(now, self.busy.value + 1.0);
        self.counts[Total::Admitted] += 1;
        if project.measured {
            self.sums.wait_months += now - project.arrived;
            self.sums.waits += 1;
        }
        project.admitted = now;
        project.since = now;
        let lock_in = sc.enclaves[e].lock_in_share;
        project.locked_in = lock_in > 0.0 && open01(project.stream(slot::LOCK_IN).next_raw()) < lock_in;
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
        let state = &mut self.enclaves[e];
        state.busy -= 1;
        self.occupancy.enclave(e, now, state.busy, state.waiting);
        self.busy.set(now, self.busy.value - 1.0);
        while let Some(next) = self.enclaves[e].queue.pop_front() {
            if self.projects[next as usize].status == Status::WaitingSeat {
                self.enclaves[e].waiting -= 1;
                self.occupancy.seated_after_queue();
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
        let factor = if plan.funds_or_vouchers {
            self.fund_and_voucher(id, s, sim)
        } else {
            1.0
        };
        let project = &mut self.projects[id as usize];
        project.stage = s as u8;
        project.status = Status::InStage;
        self.occupancy.stage_entered(s, sim.now());
        self.entered[s] += 1;
        let duration = plan
            .duration
            .sample(&mut KeyedStream::with_salt(project.key, plan.duration_salt));
        if p.observe_controls && project.measured {
            self.controls.duration(s, duration);
        }
        sim.schedule_in(finite_delay(duration * factor), Event::StageEnd(id).pack());
    }

    /// Bookkeeping of a real landing: subsidy, return investment, counts.
    #[cold]
    fn land(&mut self, id: u32, now: f64) {
        let sc = self.p.scenario;
        let project = &self.projects[id as usize];
        let owner = sc.enclaves[project.enclave as usize].owner;
        self.money.pay_subsidy(self.subsidy[owner]);
        if let (Some(state), Some(fund)) = (&mut self.risk_fund, &sc.risk_fund) {
            state.on_subsidy(fund, self.subsidy[owner]);
        }
        self.operators.on_landing(sc, project.enclave as usize);
        self.targets.on_landing(owner);
        self.funds.on_landing(sc, project);
        self.counts[Total::LandedHome] += 1;
        if project.measured {
            let months = now - project.admitted;
            self.sums.landing_months += months;
            self.sums.landings += 1;
            // Bins of months taken are (a, b] like those of calendar time (0 goes in the
            // first); longer than the histogram (only without a horizon): the last bin.
            let bin = ((months / self.p.scenario.bin_width).ceil() as usize).saturating_sub(1);
            if let Some(last) = self.landing_times.len().checked_sub(1) {
                self.landing_times[bin.min(last)] += 1;
            }
        }
    }

    /// Funds invest and vouchers pay as a project starts stage `s`; returns the factor
    /// on the stage's duration. Kept out of line, so that the common stage start does
    /// not pay for it.
    #[inline(never)]
    fn fund_and_voucher(&mut self, id: u32, s: usize, sim: &Simulation<PackedEvent>) -> f64 {
        let now = sim.now();
        let sc = self.p.scenario;
        let project = &mut self.projects[id as usize];
        let owner = sc.enclaves[project.enclave as usize].owner;
        if project.fund == NONE {
            self.funds.invest(sc, project, owner, s, now);
        }
        self.vouchers.give(sc, project, owner, s)
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
            self.occupancy.pool(pool as usize, sim.now(), state.used, state.waiting);
            return self.begin_stage(sim, id, s);
        }
        match &self.p.scenario.stages[s].when_full {
            WhenFull::TurnAway => self.leak(id),
            WhenFull::Queue { patience } => {
                state.queue.push_back(id);
                state.waiting += 1;
                self.occupancy.pool(pool as usize, sim.now(), state.used, state.waiting);
                let project = &mut self.projects[id as usize];
                project.stage = s as u8;
                project.status = Status::WaitingSlot;
                project.deadline = f64::INFINITY;
                if let Some(patience) = patience {
                    project.deadline =
                        sim.now() + finite_delay(patience.sample(&mut project.stream(slot::stage_patience(s))));
                    sim.schedule_at(project.deadline, Event::GiveUp(id).pack());
                }
            }
        }
    }

    fn release_slot(&mut self, sim: &mut Simulation<PackedEvent>, pool: u32) {
        let state = &mut self.pools[pool as usize];
        state.used -= 1;
        self.occupancy.pool(pool as usize, sim.now(), state.used, state.waiting);
        while let Some(next) = self.pools[pool as usize].queue.pop_front() {
            let project = &self.projects[next as usize];
            if project.status == Status::WaitingSlot {
                let state = &mut self.pools[pool as usize];
                state.waiting -= 1;
                state.used += 1;
                self.occupancy.pool(pool as usize, sim.now(), state.used, state.waiting);
                let s = project.stage as usize;
                self.begin_stage(sim, next, s);
                break;
            }
        }
    }

    /// Returns false when the project had been stranded (a stale event).
    fn stage_end(&mut self, sim: &mut Simulation<PackedEvent>, id: u32) -> bool {
        let sc = self.p.scenario;
        // The record is read where each field is needed rather than copied whole: a
        // copy would have to be kept across the calls below. Those calls never change
        // this project's key, sector, fund (on failure) or deadline (when it ends here).
        let project = &self.projects[id as usize];
        if project.status != Status::InStage {
            // Stranded by a breakdown while in the stage: its end no longer matters.
            return false;
        }
        let s = project.stage as usize;
        let plan = &self.p.stage_plan[s];
        let succeeded = if plan.certain {
            true
        } else {
            let stage = &sc.stages[s];
            let mut boost = Vouchers::success_boost(sc, project.voucher, s);
            if self.p.services && plan.in_enclave {
                boost += Operators::services_boost(sc, project.enclave as usize);
            }
            if !self.p.talent_boost.is_empty() && stage.place == Place::Home {
                boost += self.p.talent_boost[sc.enclaves[project.enclave as usize].owner];
            }
            let chance = success_chance(stage.success, stage.quality_effect * project.quality + boost);
            let passed = open01(project.stream(slot::success(s)).next_raw()) < chance;
            if self.p.observe_controls && project.measured {
                self.controls.stage_passed(s, passed, chance);
            }
            passed
        };
        self.occupancy.stage_left(s, sim.now());
        let next = s + 1;
        if plan.in_enclave && (!succeeded || plan.leaves_on_success) {
            self.release_seat(sim, id);
        }
        let pool = if plan.pooled { self.pool(id, s) } else { NO_POOL };
        if pool != NO_POOL {
            self.release_slot(sim, pool);
        }
        if !succeeded {
            let project = &mut self.projects[id as usize];
            project.status = Status::Gone;
            let lost = self.funds.on_failure(sc, project.fund, project.key, sim.now());
            if let (Some(state), Some(fund)) = (&mut self.risk_fund, &sc.risk_fund) {
                state.on_failure(fund, lost, sc.stages[s].place != Place::Home);
            }
            self.counts[Total::Failed] += 1;
        } else if plan.last {
            self.counts[Total::Completed] += 1;
            let project = &mut self.projects[id as usize];
            project.status = Status::Gone;
            if let (Some(economics), Place::Home) = (&sc.economics, sc.stages[s].place) {
                let drawn = economics.output[project.sector as usize].sample(&mut project.stream(slot::OUTPUT));
                if self.p.observe_controls {
                    self.controls.output(project.sector as usize, sim.now(), drawn);
                }
                let output_per_year = drawn.max(0.0);
                self.money.firm_starts(sim.now(), output_per_year);
            } else if sc.stages[s].place != Place::Home {
                // A chain that ends on the host side: the project settles there.
                self.licences.settled_in_host(sc, project);
            }
        } else if plan.before_handoff {
            self.choose_landing(sim, id, next);
        } else {
            self.enter_stage(sim, id, next);
        }
        // A project that ends here was in no queue (it held its stage), and this was its
        // stage's end; only a give-up timer from an earlier wait may still be pending, and
        // one that lay before now has fired. Then nothing refers to the slot any more.
        let project = &self.projects[id as usize];
        if project.status == Status::Gone && (project.deadline < sim.now() || project.deadline == f64::INFINITY) {
            self.free.push(id);
        }
        true
    }

    /// Cooperation on `link` breaks down: the home's enclaves in the host close, their
    /// waiting candidates are turned away and their projects still on the host side are
    /// stranded. Projects already at home carry on.
    /// Returns whether anything changed (an enclave that was still open closed).
    fn breakdown(&mut self, now: f64, link: usize) -> bool {
        let (closing, changed) = self.breakdowns.close(self.p.scenario, link, now);
        self.strand(now, &closing);
        changed
    }

    /// The enclaves in `closing` have closed at `now`: their waiting candidates are
    /// turned away and their projects still on the host side are stranded.
    fn strand(&mut self, now: f64, closing: &[usize]) {
        let sc = self.p.scenario;
        for id in 0..self.projects.len() {
            let project = self.projects[id];
            if !closing.contains(&(project.enclave as usize)) {
                continue;
            }
            match project.status {
                Status::WaitingSeat => {
                    let state = &mut self.enclaves[project.enclave as usize];
                    state.waiting -= 1;
                    self.occupancy
                        .enclave(project.enclave as usize, now, state.busy, state.waiting);
                    self.waiting_total -= 1;
                    self.counts[Total::TurnedAway] += 1;
                }
                Status::InStage if sc.stages[project.stage as usize].place != Place::Home => {
                    let s = project.stage as usize;
                    self.occupancy.stage_left(s, now);
                    if sc.stages[s].place == Place::Enclave {
                        let state = &mut self.enclaves[project.enclave as usize];
                        state.busy -= 1;
                        self.occupancy
                            .enclave(project.enclave as usize, now, state.busy, state.waiting);
                        self.busy.set(now, self.busy.value - 1.0);
                    }
                    self.breakdowns.strand();
                }
                _ => continue,
            }
            self.projects[id].status = Status::Gone;
        }
        self.queue.set(now, self.waiting_total as f64);
    }

    /// Policy change `k` takes effect; returns whether it changed anything projects see.
    #[cold]
    fn change(&mut self, sim: &mut Simulation<PackedEvent>, k: usize) -> bool {
        let now = sim.now();
        let sc = self.p.scenario;
        let mut changed = false;
        for setting in &sc.changes[k].settings {
            match setting {
                Setting::Seats(e, n) => {
                    self.enclaves[*e].seats = *n;
                    // New seats go to those waiting; with fewer, seated projects stay.
                    while self.enclaves[*e].busy < *n {
                        let Some(next) = self.enclaves[*e].queue.pop_front() else {
                            break;
                        };
                        if self.projects[next as usize].status == Status::WaitingSeat {
                            self.enclaves[*e].waiting -= 1;
                            self.occupancy.seated_after_queue();
                            self.waiting_total -= 1;
                            self.queue.set(now, self.waiting_total as f64);
                            self.take_seat(sim, next);
                            changed = true;
                        }
                    }
                }
                Setting::LandingSubsidy(c, yuan) => self.subsidy[*c] = *yuan,
                // Money reads the split in force bin by bin at the end.
                Setting::TaxSplit(_) => {}
                Setting::Close(e) => {
                    if self.breakdowns.close_enclave(sc, *e, now) {
                        self.strand(now, &[*e]);
                        changed = true;
                    }
                }
                // Relocations are drawn at the end with the rates by date.
                Setting::RelocationRate(..) => {}
                // The hazard was integrated over the body's phases at the start, and the
                // landing choice reads the barrier of the phase in force.
                Setting::GovernanceBody(..) => {}
            }
        }
        changed
    }

    /// A jointly trained graduate brings a project to the home city's enclave (met by it
    /// alone, like the entrants of the enclave's own competition); returns whether it
    /// arrived (not after the candidate limit).
    #[cold]
    fn graduate_arrives(&mut self, sim: &mut Simulation<PackedEvent>) -> bool {
        if !self.below_limit() {
            return false;
        }
        let sc = self.p.scenario;
        let graduates = self.graduates.as_mut().expect("scheduled only with graduates");
        let project = graduates.arrival();
        let host = sc.enclaves[project.enclave].host;
        let before = self.counts[Total::Candidates];
        self.arrive(
            sim,
            host,
            project.sector,
            project.key,
            (0.0, 1.0),
            Some(project.enclave),
        );
        let met = self.counts[Total::Candidates] - before;
        let more = self.below_limit();
        let graduates = self.graduates.as_mut().expect("scheduled only with graduates");
        graduates.met(met);
        if more {
            graduates.schedule_next(sc, sim.now(), sim);
        }
        true
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
            + w.subsidy * self.subsidy[enclave.owner] / 1e6
            + w.lock_in * project.locked_in as u8 as f64
            + w.fit * home.fit[project.sector as usize]
            + w.free_capacity * free_share;
        if let (Some(state), Some(fund)) = (&self.risk_fund, &sc.risk_fund) {
            home_utility += w.risk_cover * state.cover_now(fund);
        }
        if let Some(l) = enclave.link {
            let link = &sc.links[l];
            home_utility += w.travel * link.travel_hours
                + w.barrier * governance::barrier_at(self.p, l, sim.now())
                + w.same_city * link.same_city_treatment as u8 as f64;
        }
        if let Some(talent) = &home.talent {
            home_utility += talent.commuter_pull();
        }
        let [home_p, host_p, _] = logit([home_utility, landing.host_constant, landing.elsewhere_constant]);
        let u = open01(project.stream(slot::LANDING_CHOICE).next_raw());
        if self.p.observe_controls && project.measured {
            self.controls.home_choice(u < home_p, home_p);
        }
        if u < home_p {
            self.enter_stage(sim, id, handoff);
        } else if u < home_p + host_p {
            self.counts[Total::LeakedHost] += 1;
            self.projects[id as usize].status = Status::Gone;
            self.licences.settled_in_host(sc, &self.projects[id as usize]);
        } else {
            self.counts[Total::LeakedElsewhere] += 1;
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
                open01(project.stream(slot::LEAK_CHOICE).next_raw()) < host_p
            }
        };
        self.counts[if to_host {
            Total::LeakedHost
        } else {
            Total::LeakedElsewhere
        }] += 1;
        if to_host {
            self.licences
                .settled_in_host(self.p.scenario, &self.projects[id as usize]);
        }
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
                let e = project.enclave as usize;
                let state = &mut self.enclaves[e];
                state.waiting -= 1;
                self.occupancy.enclave(e, now, state.busy, state.waiting);
                self.occupancy.abandoned();
                self.waiting_total -= 1;
                self.queue.set(now, self.waiting_total as f64);
                self.counts[Total::TurnedAway] += 1;
            }
            Status::WaitingSlot => {
                let stage = project.stage as usize;
                let pool = self.pool(id, stage) as usize;
                let state = &mut self.pools[pool];
                state.waiting -= 1;
                self.occupancy.pool(pool, now, state.used, state.waiting);
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
        (0..self.p.scenario.enclaves.len())
            .map(|e| self.enclave_open_seat_months(e, a, b))
            .sum()
    }

    /// Seat-months of enclave `e`'s open seats between `a` and `b`.
    fn enclave_open_seat_months(&self, e: usize, a: f64, b: f64) -> f64 {
        let opens = self.p.scenario.enclaves[e].opens;
        self.p
            .seat_months(e, a.max(opens), b.min(self.breakdowns.closed_at()[e]))
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
        self.targets.write_bin(row);
        for (s, slot) in row[series::FIRST_STAGE..].iter_mut().take(sc.stages.len()).enumerate() {
            *slot = self.occupancy.in_stage(s);
        }
        self.bin_start_busy_area = busy_area;
        self.money.bin_ends(bin, self.one_off_outlay());
        if bin + 1 < self.p.bins {
            let horizon = sc.horizon.expect("bins exist only with a horizon");
            sim.schedule_last_at(
                ((bin + 2) as f64 * sc.bin_width).min(horizon),
                Event::BinEnd(bin as u32 + 1).pack(),
            );
        }
    }

    /// One-off outlays so far: landing subsidies, vouchers, fund losses, performance
    /// fees and, with a risk fund, the home cities' payments into it less what it paid
    /// on their behalf.
    fn one_off_outlay(&self) -> f64 {
        let outlay = self.money.subsidies() + self.vouchers.spent() + self.funds.lost() + self.operators.landing_fees();
        match (&self.risk_fund, &self.p.scenario.risk_fund) {
            (Some(state), Some(fund)) => outlay + state.home_net(fund),
            _ => outlay,
        }
    }

    pub(super) fn finish(mut self, sim: &Simulation<PackedEvent>) -> Outcome {
        debug_assert!(self.last_activity <= sim.now());
        let sc = self.p.scenario;
        let end = sc.horizon.unwrap_or(self.last_activity);
        let at_end = self.at_horizon.unwrap_or_else(|| self.areas(end));
        let mut totals = vec![f64::NAN; self.p.totals_width];
        let counted = self.counts.0.iter().zip(&self.counts_at_warmup.0);
        for (slot, (all, before)) in totals[..COUNTED].iter_mut().zip(counted) {
            *slot = (all - before) as f64;
        }
        let live = self.projects.iter().filter(|p| p.status != Status::Gone).count();
        totals[Total::InProgress.index()] = live as f64;
        totals[Total::LandingRate.index()] = ratio(totals[Total::LandedHome.index()], totals[Total::Admitted.index()]);
        totals[Total::MonthsToLanding.index()] = ratio(self.sums.landing_months, self.sums.landings as f64);
        let window = end - sc.warmup;
        let busy = at_end.busy - self.at_warmup.busy;
        totals[Total::SeatOccupancy.index()] = ratio(busy, self.open_seat_months(sc.warmup, end));
        totals[Total::SeatsBusy.index()] = ratio(busy, window);
        totals[Total::SeatQueue.index()] = ratio(at_end.queue - self.at_warmup.queue, window);
        totals[Total::QueueWaitMonths.index()] = ratio(self.sums.wait_months, self.sums.waits as f64);
        totals[Total::SeatMonths.index()] = ratio(self.sums.seat_months, self.sums.tenures as f64);
        totals[Total::LandedHomeReal.index()] = totals[Total::LandedHome.index()];
        self.targets.report(&mut totals);
        self.breakdowns.report(&mut totals);
        self.funds.report(&mut totals);
        let exits = self.funds.exits(sc, end);
        self.funds.report_mechanics(self.p, &exits, &mut totals);
        if let Some(state) = &self.risk_fund {
            state.report(self.p, &mut totals);
        }
        totals[Total::LostToRivals.index()] = self.competition.lost_to_rivals() as f64;
        self.vouchers.report(&mut totals);
        let open_seat_months = |e: usize| self.enclave_open_seat_months(e, sc.warmup, end);
        self.occupancy.report(
            self.p,
            end,
            totals[Total::Admitted.index()],
            open_seat_months,
            &mut totals,
        );
        self.operators.report(self.p, &mut totals);
        self.licences.report(self.p, &mut totals);
        let challenges = Challenges::draw(sc, &self.key, end);
        challenges.report(self.p, &mut totals);
        governance::report(self.p, self.breakdowns.broke_at(), end, &mut totals);
        talent::report(self.p, self.graduates.as_ref(), end, &mut totals);
        totals[Total::SubsidyYuan.index()] = self.money.subsidies();
        // The risk fund's netting can round the later outlay an ulp below the earlier.
        let slack = if self.risk_fund.is_some() {
            1e-9 * self.one_off_outlay().abs()
        } else {
            0.0
        };
        debug_assert!(self.money.horizon_outlay_at_most(self.one_off_outlay() + slack));
        let entries = self.entered.iter().zip(&self.entered_at_warmup);
        for (slot, (all, before)) in totals[self.p.stage_entry_offset..].iter_mut().zip(entries) {
            *slot = (all - before) as f64;
        }
        let mut series = std::mem::take(&mut self.series);
        if let Some(economics) = &sc.economics {
            let relocated = Relocated::draw(sc, &self.key, end);
            let ledger = Ledger {
                end,
                landed: self.counts[Total::LandedHome],
                admitted: self.counts[Total::Admitted],
                closed_at: self.breakdowns.closed_at(),
                one_off: self.one_off_outlay(),
                dated: challenges.dated_awards(),
                relocated: &relocated,
            };
            self.money.report(self.p, economics, &ledger, &mut totals, &mut series);
            parties::report(self.p, &self.funds, &exits, self.risk_fund.as_ref(), &mut totals);
        }
        let width = self.p.series_width;
        for (row, &n) in series.chunks_exact_mut(width).zip(&self.landing_times) {
            row[width - 1] = n as f64;
        }
        Outcome {
            totals,
            series,
            events: sim.events_handled(),
            controls: self
                .controls
                .report(self.p.expected_flow_arrivals, self.p.expected_breakdowns),
            stratum: self.controls.stratum(),
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
                if self.p.limit_shared && !self.below_limit() {
                    // Another flow or a burst reached the candidate limit while this
                    // arrival was pending: it never happens, and the flow stops.
                    return;
                }
                let f = f as usize;
                if self.p.observe_controls && sim.now() >= self.p.scenario.warmup {
                    self.controls.flow_arrival();
                }
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
                self.targets
                    .year_end(self.p.scenario, sim, year as usize, &self.subsidy, &mut self.money);
                false
            }
            Event::GiveUp(id) => self.give_up(sim.now(), id),
            Event::BinEnd(bin) => {
                self.bin_end(sim, bin as usize);
                false
            }
            Event::WarmupEnd => {
                self.counts_at_warmup = self.counts;
                self.competition.warmup_ends();
                self.targets.warmup_ends();
                self.entered_at_warmup.clone_from(&self.entered);
                self.breakdowns.warmup_ends();
                if let Some(graduates) = &mut self.graduates {
                    graduates.warmup_ends();
                }
                self.at_warmup = self.areas(sim.now());
                self.occupancy.warmup_ends(sim.now());
                false
            }
            Event::Change(k) => self.change(sim, k as usize),
            Event::GraduateArrival => self.graduate_arrives(sim),
            Event::HorizonEnd => {
                self.at_horizon = Some(self.areas(sim.now()));
                self.occupancy.horizon_reached(sim.now());
                self.money.horizon_reached(self.one_off_outlay());
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
    let logit = math::ln(base / (1.0 - base)) + shift;
    1.0 / (1.0 + math::exp(-logit))
}

/// Choice probabilities of a multinomial logit over `utilities`.
pub fn logit<const N: usize>(utilities: [f64; N]) -> [f64; N] {
    let top = utilities.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights = utilities.map(|u| math::exp(u - top));
    let sum: f64 = weights.iter().sum();
    weights.map(|w| w / sum)
}
