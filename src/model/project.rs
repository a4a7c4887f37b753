//! The record of one candidate project, kept small: the event loop touches it on every
//! event of the project.

use super::streams;
use crate::engine::rng::KeyedStream;

/// Where a project is in its life.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Status {
    /// Queued for an enclave seat.
    WaitingSeat,
    /// Queued for a home slot of its current stage.
    WaitingSlot,
    /// Running its current stage.
    InStage,
    /// Finished, failed, leaked, turned away or stranded.
    Gone,
}

/// One candidate project.
#[derive(Clone, Copy, Debug)]
pub(super) struct Project {
    /// Key of the project's own random streams.
    pub key: u64,
    /// Quality on the scouts' scale (0 when nothing in the scenario reads it).
    pub quality: f64,
    /// When it arrived in the host city.
    pub arrived: f64,
    /// When it took an enclave seat (NaN before).
    pub admitted: f64,
    /// When the current wait or seat tenure began.
    pub since: f64,
    /// The enclave that met it.
    pub enclave: u16,
    /// Its sector.
    pub sector: u16,
    /// The stage it is in or waiting for.
    pub stage: u8,
    /// Where it is in its life.
    pub status: Status,
    /// Its enclave locked it in (a pull towards home in the landing choice).
    pub locked_in: bool,
    /// It arrived after the warm-up, so its waits and landing time count.
    pub measured: bool,
    /// When the current wait runs out (infinite when the project waits forever).
    pub deadline: f64,
    /// The fund holding equity in the project (index into the funds), or [`NONE`].
    pub fund: u16,
    /// The voucher scheme that paid the project (index into the vouchers), or [`NONE`].
    pub voucher: u16,
    /// Bound by a return-investment clause to land at home.
    pub bound: bool,
}

/// "No fund" or "no voucher" in a project record: a sentinel keeps the record within one
/// 64-byte cache line, where `Option<u16>` fields would not.
pub(super) const NONE: u16 = u16::MAX;

impl Project {
    /// The project's keyed stream for `slot` (see [`streams::slot`]).
    #[inline]
    pub fn stream(&self, slot: u64) -> KeyedStream {
        streams::keyed(self.key, slot)
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
