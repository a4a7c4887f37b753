//! A home city's talent programmes (`[city.talent]`): the expert pool's boost to the
//! success of home stages and the commuters' pull towards home are read where the core
//! needs them (`Prepared::talent_boost`, `City::talent`); this file holds the jointly
//! trained graduates, who bring projects to the city's enclave as a Poisson stream, and
//! the programmes' cost and totals.

use super::events::{Event, PackedEvent};
use super::metrics::Optional;
use super::streams::{self, Purpose};
use super::Prepared;
use crate::dist::unit;
use crate::engine::rng::StreamKey;
use crate::engine::Simulation;
use crate::scenario::Scenario;
use rand::rngs::ChaCha8Rng;
use rand::Rng;

/// Where one city's graduates' projects go.
struct Source {
    /// The city's enclave.
    enclave: usize,
    /// The projects' sector.
    sector: usize,
    /// Projects per month.
    rate: f64,
}

/// One graduate's project, as the core receives it.
pub(super) struct GraduateProject {
    /// The enclave it joins.
    pub enclave: usize,
    /// Its sector.
    pub sector: usize,
    /// The key of its own random streams.
    pub key: u64,
}

/// The graduates' projects over one replication: one Poisson stream for every city
/// together (one replication-wide purpose), each arrival going to a city in proportion
/// to its rate.
pub(super) struct Graduates {
    rng: ChaCha8Rng,
    sources: Vec<Source>,
    /// Projects per month, all cities together.
    rate: f64,
    /// Candidates the graduates brought, and the same at the end of the warm-up.
    candidates: u64,
    candidates_at_warmup: u64,
}

impl Graduates {
    /// The graduates' stream of the replication of `key`, or `None` when no city trains
    /// graduates who bring projects (nothing is drawn then).
    pub fn new(scenario: &Scenario, key: &StreamKey) -> Option<Self> {
        let sources: Vec<Source> = scenario
            .cities
            .iter()
            .filter_map(|c| c.talent.as_ref())
            .filter_map(|t| {
                Some(Source {
                    enclave: t.graduate_enclave?,
                    sector: t.graduate_sector,
                    rate: t.graduate_projects_per_month(),
                })
            })
            .filter(|s| s.rate > 0.0)
            .collect();
        if sources.is_empty() {
            return None;
        }
        Some(Graduates {
            rng: streams::stream(key, Purpose::Graduates),
            rate: sources.iter().map(|s| s.rate).sum(),
            sources,
            candidates: 0,
            candidates_at_warmup: 0,
        })
    }

    /// Schedules the next graduate's project after `now`, if it comes before the horizon.
    pub fn schedule_next(&mut self, scenario: &Scenario, now: f64, sim: &mut Simulation<PackedEvent>) {
        let gap = crate::dist::exp1(&mut self.rng);
        let at = now + gap / self.rate;
        if at < scenario.horizon.unwrap_or(f64::INFINITY) {
            sim.schedule_at(at, Event::GraduateArrival.pack());
        }
    }

    /// The project that arrives now: its city (drawn only when several cities train
    /// graduates), then its key.
    pub fn arrival(&mut self) -> GraduateProject {
        let source = if self.sources.len() == 1 {
            &self.sources[0]
        } else {
            let mut u = unit(&mut self.rng) * self.rate;
            let last = self.sources.len() - 1;
            let mut pick = last;
            for (i, s) in self.sources.iter().enumerate() {
                if u < s.rate {
                    pick = i;
                    break;
                }
                u -= s.rate;
            }
            &self.sources[pick]
        };
        let (enclave, sector) = (source.enclave, source.sector);
        GraduateProject {
            enclave,
            sector,
            key: self.rng.next_u64(),
        }
    }

    /// `n` of the arrivals became candidates of their enclave.
    pub fn met(&mut self, n: u64) {
        self.candidates += n;
    }

    /// The warm-up ends: later candidates count.
    pub fn warmup_ends(&mut self) {
        self.candidates_at_warmup = self.candidates;
    }

    /// Candidates brought after the warm-up.
    fn counted(&self) -> u64 {
        self.candidates - self.candidates_at_warmup
    }
}

/// 1 when some city's graduates bring projects (one stream for all), else 0.
pub(super) fn graduate_streams(scenario: &Scenario) -> usize {
    scenario
        .cities
        .iter()
        .filter_map(|c| c.talent.as_ref())
        .any(|t| t.graduate_enclave.is_some() && t.graduate_projects_per_month() > 0.0) as usize
}

/// The home budget's outlay on talent programmes per month, all cities together (0
/// without any): experts and commuters by the year, graduates at their yearly number.
pub(super) fn cost_yuan_per_month(scenario: &Scenario) -> f64 {
    scenario
        .cities
        .iter()
        .filter_map(|c| c.talent.as_ref())
        .map(|t| t.cost_yuan_per_month())
        .sum()
}

/// The shift in log-odds of success that each city's expert pool gives its home
/// stages, indexed by city; empty when no pool shifts anything (the core then skips it).
pub(super) fn success_boosts(scenario: &Scenario) -> Vec<f64> {
    let boosts: Vec<f64> = scenario
        .cities
        .iter()
        .map(|c| c.talent.as_ref().map_or(0.0, |t| t.success_boost()))
        .collect();
    if boosts.iter().all(|&b| b == 0.0) {
        Vec::new()
    } else {
        boosts
    }
}

/// Writes the talent totals, when the scenario reports them: the programmes' cost up to
/// `end` (the whole run) and the candidates the graduates brought (after the warm-up).
pub(super) fn report(p: &Prepared<'_>, graduates: Option<&Graduates>, end: f64, totals: &mut [f64]) {
    if let Some(slot) = p.optional_slot(Optional::TalentCostYuan) {
        totals[slot] = p.talent_cost_per_month * end;
    }
    if let Some(slot) = p.optional_slot(Optional::GraduateCandidates) {
        totals[slot] = graduates.map_or(0.0, |g| g.counted() as f64);
    }
}
