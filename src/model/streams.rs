//! The one registry of random streams the model derives, so that no two uses can share
//! draws by accident.
//!
//! Two kinds exist. Replication-wide ChaCha8 streams are told apart by a purpose number
//! (see [`StreamKey::stream`]): one per flow, one for bursts, one for breakdowns, one
//! for relocations and one for challenges (these two give each of their tables a key for
//! [`KeyedStream`]s, so that one table's draws never shift another's). A
//! project's own draws come from [`KeyedStream`]s keyed by the project's key and told
//! apart by a slot number (see [`slot`]), so that a draw for one use never shifts the
//! draws of another and alternatives share common random numbers.

use crate::engine::rng::{KeyedStream, StreamKey};
use crate::scenario::MAX_FLOWS;
use rand::rngs::ChaCha8Rng;

/// A replication-wide ChaCha8 stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Purpose {
    /// Arrival times and candidate keys of flow `.0` (purposes `0..MAX_FLOWS`).
    Flow(usize),
    /// Batch sizes and candidate keys of every burst.
    Bursts,
    /// Times at which cooperation breaks down.
    Breakdowns,
    /// Keys of each `[[relocation]]`'s moves (one key per relocation, in file order).
    Relocations,
    /// Keys of each `[[challenge]]`'s needs (one key per challenge, in file order).
    Challenges,
    /// Arrival times, home cities and candidate keys of the projects that jointly
    /// trained graduates bring (`talent.rs`).
    Graduates,
}

/// Purpose number of [`Purpose::Bursts`].
const BURSTS: u8 = 255;
/// Purpose number of [`Purpose::Breakdowns`].
const BREAKDOWNS: u8 = 254;
/// Purpose number of [`Purpose::Relocations`].
const RELOCATIONS: u8 = 252;
/// Purpose number of [`Purpose::Challenges`].
const CHALLENGES: u8 = 251;
/// Purpose number of [`Purpose::Graduates`].
const GRADUATES: u8 = 253;

// Flows take the numbers from 0 up: validation's flow limit must leave room below the
// fixed purposes.
const _: () = assert!(MAX_FLOWS <= BREAKDOWNS as usize && BREAKDOWNS < BURSTS);
const _: () = assert!(
    MAX_FLOWS <= CHALLENGES as usize && CHALLENGES < RELOCATIONS && RELOCATIONS < GRADUATES && GRADUATES < BREAKDOWNS
);

impl Purpose {
    /// The purpose number handed to [`StreamKey::stream`].
    const fn number(self) -> u8 {
        match self {
            Purpose::Flow(f) => {
                assert!(f < MAX_FLOWS);
                f as u8
            }
            Purpose::Bursts => BURSTS,
            Purpose::Breakdowns => BREAKDOWNS,
            Purpose::Relocations => RELOCATIONS,
            Purpose::Challenges => CHALLENGES,
            Purpose::Graduates => GRADUATES,
        }
    }
}

/// The ChaCha8 stream of `purpose` in the replication of `key`.
pub(super) fn stream(key: &StreamKey, purpose: Purpose) -> ChaCha8Rng {
    key.stream(purpose.number())
}

/// Slots of a project's keyed streams ([`KeyedStream::new`]`(project key, slot)`).
/// Per-stage, per-enclave and per-fund slots are ranges: the base plus the index.
pub(super) mod slot {
    /// The project's quality.
    pub const QUALITY: u64 = 0;
    /// Whether the enclave locks the project in.
    pub const LOCK_IN: u64 = 1;
    /// The landing choice (home, host or elsewhere).
    pub const LANDING_CHOICE: u64 = 2;
    /// Host or elsewhere, for a project that found no home slot.
    pub const LEAK_CHOICE: u64 = 3;
    /// Patience while waiting for an enclave seat.
    pub const SEAT_PATIENCE: u64 = 4;
    /// Output of the industrialized firm.
    pub const OUTPUT: u64 = 5;
    /// Which enclave a candidate met by several chooses.
    pub const CHOOSE_ENCLAVE: u64 = 7;
    const RETURN_CLAUSE: u64 = 6;
    const DURATION: u64 = 1 << 8;
    const SUCCESS: u64 = 2 << 8;
    const STAGE_PATIENCE: u64 = 3 << 8;
    const MEET: u64 = 4 << 8;
    const ADMISSION_SIGNAL: u64 = 1 << 20;
    const FUND_SIGNAL: u64 = 1 << 21;
    /// Technology transfer's range: licence chance, then licence value.
    const TRANSFER: u64 = 1 << 23;
    /// Whether a project settling in the host licenses its result to a home firm.
    pub const LICENCE: u64 = TRANSFER;
    /// The value of that licence.
    pub const LICENCE_VALUE: u64 = TRANSFER + 1;
    /// Base of the fund mechanics' slots (a project takes money from one fund at most,
    /// so they need no fund index).
    const FUND_MECHANICS: u64 = 1 << 24;
    /// The size of an investee's follow-on round.
    pub const FOLLOW_ON: u64 = FUND_MECHANICS;
    /// Months from the investment to the fund's exit.
    pub const EXIT_AFTER: u64 = FUND_MECHANICS + 1;
    /// The multiple an exit returns.
    pub const EXIT_MULTIPLE: u64 = FUND_MECHANICS + 2;
    /// Whether the exit is a listing.
    pub const LISTING: u64 = FUND_MECHANICS + 3;

    /// Duration of stage `s`.
    #[inline]
    pub const fn duration(s: usize) -> u64 {
        DURATION + s as u64
    }

    /// Success or failure in stage `s`.
    #[inline]
    pub const fn success(s: usize) -> u64 {
        SUCCESS + s as u64
    }

    /// Patience while waiting for a home slot of stage `s`.
    #[inline]
    pub const fn stage_patience(s: usize) -> u64 {
        STAGE_PATIENCE + s as u64
    }

    /// Whether enclave `e`'s scouts meet the candidate.
    #[inline]
    pub const fn meet(e: usize) -> u64 {
        MEET + e as u64
    }

    /// Enclave `e`'s noisy reading of the candidate's quality.
    #[inline]
    pub const fn admission_signal(e: usize) -> u64 {
        ADMISSION_SIGNAL + e as u64
    }

    /// Fund `f`'s noisy reading of the project's quality.
    #[inline]
    pub const fn fund_signal(f: usize) -> u64 {
        FUND_SIGNAL + f as u64
    }

    /// Whether fund `f`'s return-investment clause binds the project.
    ///
    /// Known overlap, kept because changing a slot changes every result: fund `f ≥ 1`
    /// shares slot `6 + f` with [`CHOOSE_ENCLAVE`] (f = 1) and, from f = 250, with the
    /// duration slots. See the test `return_clause_overlap_is_the_known_one`.
    #[inline]
    pub const fn return_clause(f: usize) -> u64 {
        RETURN_CLAUSE + f as u64
    }
}

/// The keyed stream of `slot` for the entity keyed `key`.
#[inline]
pub(super) fn keyed(key: u64, slot: u64) -> KeyedStream {
    KeyedStream::new(key, slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{MAX_PLACES, MAX_STAGES};
    use std::collections::HashSet;

    #[test]
    fn purposes_are_disjoint_for_any_number_of_flows() {
        for flows in 0..=MAX_FLOWS {
            let mut seen = HashSet::new();
            let all = (0..flows).map(Purpose::Flow).chain([
                Purpose::Bursts,
                Purpose::Breakdowns,
                Purpose::Relocations,
                Purpose::Challenges,
                Purpose::Graduates,
            ]);
            for purpose in all {
                assert!(seen.insert(purpose.number()), "{purpose:?} with {flows} flows");
            }
        }
    }

    /// Every slot a project can use, but the return clauses, for the largest scenario.
    fn slots() -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = [
            ("quality", slot::QUALITY),
            ("lock-in", slot::LOCK_IN),
            ("landing choice", slot::LANDING_CHOICE),
            ("leak choice", slot::LEAK_CHOICE),
            ("seat patience", slot::SEAT_PATIENCE),
            ("output", slot::OUTPUT),
            ("choose enclave", slot::CHOOSE_ENCLAVE),
            ("licence", slot::LICENCE),
            ("licence value", slot::LICENCE_VALUE),
            ("follow-on", slot::FOLLOW_ON),
            ("exit after", slot::EXIT_AFTER),
            ("exit multiple", slot::EXIT_MULTIPLE),
            ("listing", slot::LISTING),
        ]
        .into_iter()
        .map(|(n, s)| (n.to_string(), s))
        .collect();
        for s in 0..MAX_STAGES {
            out.push((format!("duration {s}"), slot::duration(s)));
            out.push((format!("success {s}"), slot::success(s)));
            out.push((format!("stage patience {s}"), slot::stage_patience(s)));
        }
        for e in 0..MAX_PLACES {
            out.push((format!("meet {e}"), slot::meet(e)));
            out.push((format!("admission signal {e}"), slot::admission_signal(e)));
        }
        // Funds are not limited in number; the fund-signal range is the last one, so
        // any count below 2^21 stays clear of it.
        for f in 0..1000 {
            out.push((format!("fund signal {f}"), slot::fund_signal(f)));
        }
        out
    }

    #[test]
    fn project_slots_are_disjoint() {
        let mut seen = std::collections::HashMap::new();
        for (name, s) in slots() {
            if let Some(other) = seen.insert(s, name.clone()) {
                panic!("{name} and {other} share slot {s}");
            }
        }
    }

    #[test]
    fn return_clause_overlap_is_the_known_one() {
        let others: std::collections::HashMap<u64, String> = slots().into_iter().map(|(n, s)| (s, n)).collect();
        assert!(!others.contains_key(&slot::return_clause(0)));
        assert_eq!(others[&slot::return_clause(1)], "choose enclave");
        for f in 2..250 {
            assert!(!others.contains_key(&slot::return_clause(f)), "fund {f}");
        }
        assert_eq!(others[&slot::return_clause(250)], "duration 0");
    }
}
