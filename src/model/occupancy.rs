//! Time averages and shares that a checker and a planner need beyond the seat totals:
//! projects in each stage, use of and queues for each limited home stage and each
//! enclave's seats, and how candidates asking for a seat fare (blocked at once, gave up
//! waiting, seated after queueing). The core reports each change of state here; the
//! averages run over the same window as `seat_occupancy` (the end of the warm-up to the
//! horizon, or to the last change without one).

use super::metrics::Total;
use super::Prepared;

/// A quantity whose time integral is kept as it changes.
#[derive(Clone, Copy, Default)]
pub(super) struct Level {
    /// The value now.
    pub value: f64,
    since: f64,
    area: f64,
}

impl Level {
    /// The quantity takes `value` at `now`.
    #[inline]
    pub fn set(&mut self, now: f64, value: f64) {
        self.area += self.value * (now - self.since);
        self.since = now;
        self.value = value;
    }

    /// The integral from 0 to `now`.
    #[inline]
    pub fn area_at(&self, now: f64) -> f64 {
        self.area + self.value * (now - self.since)
    }
}

/// Counts of what befell candidates asking for an enclave seat.
#[derive(Clone, Copy, Default)]
struct SeatFates {
    /// Candidates that passed screening and asked for a seat.
    requests: u64,
    /// Turned away at once by full seats.
    blocked: u64,
    /// Gave up waiting for a seat.
    abandoned: u64,
    /// Took a seat after waiting in the queue.
    seated_after_queue: u64,
}

/// Levels of every stage, limited home stage and enclave over one replication.
pub(super) struct Occupancy {
    /// Projects holding each stage (whole numbers kept as floats, which are exact far
    /// beyond any count of projects).
    in_stage: Vec<Level>,
    /// Slots in use and projects waiting in each home capacity pool.
    pool_used: Vec<Level>,
    pool_waiting: Vec<Level>,
    /// Seats in use and candidates waiting in each enclave.
    enclave_busy: Vec<Level>,
    enclave_waiting: Vec<Level>,
    /// The per-enclave levels are kept (there are several enclaves).
    per_enclave: bool,
    /// Every level's area at the end of the warm-up and at the horizon, in the order of
    /// [`Occupancy::areas`].
    at_warmup: Vec<f64>,
    at_horizon: Option<Vec<f64>>,
    fates: SeatFates,
    fates_at_warmup: SeatFates,
}

impl Occupancy {
    /// Everything empty.
    pub fn new(p: &Prepared<'_>) -> Self {
        let sc = p.scenario;
        Occupancy {
            in_stage: vec![Level::default(); sc.stages.len()],
            pool_used: vec![Level::default(); p.pool_capacity.len()],
            pool_waiting: vec![Level::default(); p.pool_capacity.len()],
            enclave_busy: vec![Level::default(); sc.enclaves.len()],
            enclave_waiting: vec![Level::default(); sc.enclaves.len()],
            per_enclave: sc.enclaves.len() > 1,
            at_warmup: Vec::new(),
            at_horizon: None,
            fates: SeatFates::default(),
            fates_at_warmup: SeatFates::default(),
        }
    }

    /// A project starts stage `s` at `now`.
    #[inline]
    pub fn stage_entered(&mut self, s: usize, now: f64) {
        let level = &mut self.in_stage[s];
        level.set(now, level.value + 1.0);
    }

    /// A project leaves stage `s` at `now` (ends it or is stranded in it).
    #[inline]
    pub fn stage_left(&mut self, s: usize, now: f64) {
        let level = &mut self.in_stage[s];
        level.set(now, level.value - 1.0);
    }

    /// Projects holding stage `s` now (a whole number kept as a float).
    #[inline]
    pub fn in_stage(&self, s: usize) -> f64 {
        self.in_stage[s].value
    }

    /// Pool `pool` now has `used` slots in use and `waiting` projects queued.
    #[inline]
    pub fn pool(&mut self, pool: usize, now: f64, used: u32, waiting: u32) {
        self.pool_used[pool].set(now, used as f64);
        self.pool_waiting[pool].set(now, waiting as f64);
    }

    /// Enclave `e` now has `busy` seats in use and `waiting` candidates queued. Kept
    /// only with several enclaves (with one, the seat totals say it all).
    #[inline]
    pub fn enclave(&mut self, e: usize, now: f64, busy: u32, waiting: u32) {
        if self.per_enclave {
            self.enclave_busy[e].set(now, busy as f64);
            self.enclave_waiting[e].set(now, waiting as f64);
        }
    }

    /// A screened candidate asks for a seat.
    #[inline]
    pub fn seat_requested(&mut self) {
        self.fates.requests += 1;
    }

    /// A candidate was turned away at once by full seats.
    #[inline]
    pub fn blocked(&mut self) {
        self.fates.blocked += 1;
    }

    /// A candidate gave up waiting for a seat.
    #[inline]
    pub fn abandoned(&mut self) {
        self.fates.abandoned += 1;
    }

    /// A queued candidate took a seat.
    #[inline]
    pub fn seated_after_queue(&mut self) {
        self.fates.seated_after_queue += 1;
    }

    fn areas(&self, now: f64) -> Vec<f64> {
        [
            &self.in_stage,
            &self.pool_used,
            &self.pool_waiting,
            &self.enclave_busy,
            &self.enclave_waiting,
        ]
        .iter()
        .flat_map(|levels| levels.iter().map(move |l| l.area_at(now)))
        .collect()
    }

    /// The warm-up ends at `now`: later events count and averages start.
    pub fn warmup_ends(&mut self, now: f64) {
        self.at_warmup = self.areas(now);
        self.fates_at_warmup = self.fates;
    }

    /// The horizon is reached at `now`: averages end there.
    pub fn horizon_reached(&mut self, now: f64) {
        self.at_horizon = Some(self.areas(now));
    }

    /// Writes the counts, shares and time averages over the window from the warm-up's
    /// end to `end`; `admitted` is the admissions in that window, `open_seat_months(e)`
    /// the months enclave `e`'s seats were open in it.
    pub fn report(
        &self,
        p: &Prepared<'_>,
        end: f64,
        admitted: f64,
        open_seat_months: impl Fn(usize) -> f64,
        totals: &mut [f64],
    ) {
        let sc = p.scenario;
        let fates = |f: fn(&SeatFates) -> u64| (f(&self.fates) - f(&self.fates_at_warmup)) as f64;
        let requests = fates(|f| f.requests);
        totals[Total::Blocked.index()] = fates(|f| f.blocked);
        totals[Total::Abandoned.index()] = fates(|f| f.abandoned);
        totals[Total::BlockedShare.index()] = super::money::ratio(fates(|f| f.blocked), requests);
        totals[Total::AbandonedShare.index()] = super::money::ratio(fates(|f| f.abandoned), requests);
        totals[Total::QueuedShare.index()] = super::money::ratio(fates(|f| f.seated_after_queue), admitted);
        let window = end - sc.warmup;
        let at_end = self.at_horizon.clone().unwrap_or_else(|| self.areas(end));
        let at_start = if self.at_warmup.is_empty() {
            vec![0.0; at_end.len()]
        } else {
            self.at_warmup.clone()
        };
        let area = |i: usize| at_end[i] - at_start[i];
        let stages = sc.stages.len();
        let pools = p.pool_capacity.len();
        let enclaves = sc.enclaves.len();
        let (used_at, waiting_at) = (stages, stages + pools);
        let (busy_at, queued_at) = (stages + 2 * pools, stages + 2 * pools + enclaves);
        let mut slot = p.occupancy_offset;
        for s in 0..stages {
            totals[slot] = super::money::ratio(area(s), window);
            slot += 1;
        }
        for s in p.limited_stages() {
            let (mut used, mut capacity, mut waiting) = (0.0, 0.0, 0.0);
            for (c, _) in sc.cities.iter().enumerate() {
                let pool = p.pool_of[c * stages + s];
                if pool != super::NO_POOL {
                    let pool = pool as usize;
                    used += area(used_at + pool);
                    waiting += area(waiting_at + pool);
                    capacity += p.pool_capacity[pool] as f64 * window;
                }
            }
            totals[slot] = super::money::ratio(used, capacity);
            totals[slot + 1] = super::money::ratio(waiting, window);
            slot += 2;
        }
        if enclaves > 1 {
            for e in 0..enclaves {
                totals[slot] = super::money::ratio(area(busy_at + e), open_seat_months(e));
                totals[slot + 1] = super::money::ratio(area(queued_at + e), window);
                slot += 2;
            }
        }
    }
}
