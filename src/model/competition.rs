//! Competition for candidates: which of the host city's enclaves meet a candidate, and
//! which one it joins when several do or when rival enclaves (not simulated one by one)
//! bid for it too.

use super::streams::{keyed, slot};
use super::Prepared;
use crate::engine::rng::open01;

/// Whom a candidate met by the scouts goes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Meeting {
    /// No open enclave that scouts the sector met it.
    Unmet,
    /// It joins enclave `.0`.
    Joins(u16),
    /// It was met but chose a rival enclave.
    ChoseRival,
}

/// State of the competition between enclaves over one replication.
pub(super) struct Competition {
    /// Enclaves that met the current candidate (kept to avoid an allocation per choice).
    met: Vec<u16>,
    /// Candidates lost to rivals so far, and at the end of the warm-up.
    lost_to_rivals: u64,
    lost_to_rivals_at_warmup: u64,
}

impl Competition {
    /// No candidate met yet.
    pub fn new() -> Self {
        Competition {
            met: Vec::new(),
            lost_to_rivals: 0,
            lost_to_rivals_at_warmup: 0,
        }
    }

    /// Whom a city-wide candidate with `key` arriving in `host` at `now` goes with;
    /// `closed_at` holds each enclave's closing time. The list of enclaves that met it
    /// is built only when there is a choice to make: one enclave and no rivals is common.
    pub fn meet(
        &mut self,
        p: &Prepared<'_>,
        closed_at: &[f64],
        host: usize,
        sector: usize,
        key: u64,
        now: f64,
    ) -> Meeting {
        let mut first = None;
        let mut several = false;
        for &e in &p.host_enclaves[host] {
            if meets(p, closed_at, e, now, sector, key) {
                if first.is_some() {
                    several = true;
                    break;
                }
                first = Some(e);
            }
        }
        let Some(first) = first else {
            return Meeting::Unmet;
        };
        if !(several || p.scenario.cities[host].rival_enclaves > 0) {
            return Meeting::Joins(first);
        }
        let mut met = std::mem::take(&mut self.met);
        met.clear();
        met.extend(
            p.host_enclaves[host]
                .iter()
                .copied()
                .filter(|&e| meets(p, closed_at, e, now, sector, key)),
        );
        let chosen = self.choose(p, host, key, &met);
        self.met = met;
        chosen
    }

    /// The enclave a candidate joins among those in `met`, by the logit over their
    /// attractiveness and the rivals' (the rivals as one option weighing their number).
    fn choose(&mut self, p: &Prepared<'_>, host: usize, key: u64, met: &[u16]) -> Meeting {
        let city = &p.scenario.cities[host];
        let enclaves = &p.scenario.enclaves;
        match (met, city.rival_enclaves) {
            ([], _) => return Meeting::Unmet,
            ([only], 0) => return Meeting::Joins(*only),
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
        let mut u = open01(keyed(key, slot::CHOOSE_ENCLAVE).next_raw()) * total;
        for &e in met {
            u -= (utility(e) - top).exp();
            if u < 0.0 {
                return Meeting::Joins(e);
            }
        }
        self.lost_to_rivals += 1;
        Meeting::ChoseRival
    }

    /// The warm-up ends: later losses count.
    pub fn warmup_ends(&mut self) {
        self.lost_to_rivals_at_warmup = self.lost_to_rivals;
    }

    /// Candidates lost to rivals after the warm-up.
    pub fn lost_to_rivals(&self) -> u64 {
        self.lost_to_rivals - self.lost_to_rivals_at_warmup
    }
}

/// Whether enclave `e` is open, scouts `sector` and its scouts meet the candidate.
#[inline]
fn meets(p: &Prepared<'_>, closed_at: &[f64], e: u16, now: f64, sector: usize, key: u64) -> bool {
    let enclave = &p.scenario.enclaves[e as usize];
    now >= enclave.opens
        && now < closed_at[e as usize]
        && enclave.focus[sector]
        && (enclave.reach >= 1.0 || open01(keyed(key, slot::meet(e as usize)).next_raw()) < enclave.reach)
}
