//! Competition for candidates: which of the host city's enclaves meet a candidate, and
//! which one it joins when several do or when rival enclaves (not simulated one by one)
//! bid for it too.

use super::streams::{keyed, slot};
use super::Prepared;
use crate::engine::rng::open01;
use crate::math;

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

    /// The enclave a city-wide candidate with `key` arriving in `host` at `now` joins
    /// when several enclaves met it or rivals bid too (the core scans for the common
    /// case of one enclave and no rivals); `None` when it chose a rival.
    pub fn choose(
        &mut self,
        p: &Prepared<'_>,
        closed_at: &[f64],
        host: usize,
        sector: usize,
        key: u64,
        now: f64,
    ) -> Option<u16> {
        let mut met = std::mem::take(&mut self.met);
        met.clear();
        met.extend(
            p.host_enclaves[host]
                .iter()
                .copied()
                .filter(|&e| meets(p, closed_at, e, now, sector, key)),
        );
        let chosen = self.logit_choice(p, host, key, &met);
        self.met = met;
        chosen
    }

    /// The enclave a candidate joins among those in `met`, by the logit over their
    /// attractiveness and the rivals' (the rivals as one option weighing their number).
    fn logit_choice(&mut self, p: &Prepared<'_>, host: usize, key: u64, met: &[u16]) -> Option<u16> {
        let city = &p.scenario.cities[host];
        let enclaves = &p.scenario.enclaves;
        match (met, city.rival_enclaves) {
            ([], _) => return None,
            ([only], 0) => return Some(*only),
            _ => {}
        }
        let rivals =
            (city.rival_enclaves > 0).then(|| city.rival_attractiveness + math::ln(city.rival_enclaves as f64));
        let utility = |e: u16| enclaves[e as usize].attractiveness;
        let top = met
            .iter()
            .map(|&e| utility(e))
            .chain(rivals)
            .fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = met
            .iter()
            .map(|&e| math::exp(utility(e) - top))
            .chain(rivals.map(|r| math::exp(r - top)))
            .sum();
        let mut u = open01(keyed(key, slot::CHOOSE_ENCLAVE).next_raw()) * total;
        for &e in met {
            u -= math::exp(utility(e) - top);
            if u < 0.0 {
                return Some(e);
            }
        }
        self.lost_to_rivals += 1;
        None
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

/// Whether enclave `e` is open (`closed_at` holds each enclave's closing time), scouts
/// `sector` and its scouts meet the candidate with `key`.
#[inline]
pub(super) fn meets(p: &Prepared<'_>, closed_at: &[f64], e: u16, now: f64, sector: usize, key: u64) -> bool {
    let enclave = &p.scenario.enclaves[e as usize];
    now >= enclave.opens
        && now < closed_at[e as usize]
        && enclave.focus[sector]
        && (enclave.reach >= 1.0 || open01(keyed(key, slot::meet(e as usize)).next_raw()) < enclave.reach)
}
