//! The model's events and their 32-bit packing for the event queue.

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
    /// Policy change `.0` takes effect.
    Change(u32),
    /// The next project of jointly trained graduates arrives (`talent.rs`).
    GraduateArrival,
}

/// Bits of a packed event that hold its index (project, flow, burst or bin).
const INDEX_BITS: u32 = 29;
/// Index of [`Event::GraduateArrival`] within the kind of the marks and policy changes:
/// the last, far beyond any change's.
const GRADUATE_INDEX: u32 = (1 << INDEX_BITS) - 1;
/// Most projects one replication can hold: indices must fit in `INDEX_BITS` bits.
/// Validation caps expected candidates per replication far below this.
pub const MAX_PROJECTS: usize = 1 << INDEX_BITS;

/// An [`Event`] packed into 32 bits (3 bits of kind, 29 of index), so that an entry of
/// the event queue is 16 bytes: the queue's speed depends on the size of its entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedEvent(u32);

impl Event {
    /// The event packed into 32 bits.
    #[inline]
    pub(super) fn pack(self) -> PackedEvent {
        let (kind, index) = match self {
            Event::Arrival(i) => (0, i),
            Event::Burst(i) => (1, i),
            Event::StageEnd(i) => (2, i),
            Event::GiveUp(i) => (3, i),
            Event::BinEnd(i) => (4, i),
            // The marks and policy changes share a kind, to keep eight kinds in three bits.
            Event::WarmupEnd => (5, 0),
            Event::HorizonEnd => (5, 1),
            Event::Change(i) => (5, 2 + i),
            Event::Breakdown(i) => (6, i),
            Event::YearEnd(i) => (7, i),
            // Shares the rare kind of the marks: eight kinds fill three bits, and the
            // common kinds keep their one-comparison unpacking.
            Event::GraduateArrival => (5, GRADUATE_INDEX),
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
            5 if index == 1 => Event::HorizonEnd,
            5 if index == GRADUATE_INDEX => Event::GraduateArrival,
            5 => Event::Change(index - 2),
            6 => Event::Breakdown(index),
            _ => Event::YearEnd(index),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_unpacks_to_itself() {
        let events = [
            Event::Arrival(0),
            Event::Arrival(249),
            Event::Burst(3),
            Event::StageEnd((1 << INDEX_BITS) - 1),
            Event::GiveUp(7),
            Event::BinEnd(40),
            Event::WarmupEnd,
            Event::HorizonEnd,
            Event::Change(0),
            Event::Change(1000),
            Event::Breakdown(2),
            Event::YearEnd(9),
            Event::GraduateArrival,
        ];
        for event in events {
            assert_eq!(event.pack().unpack(), event);
        }
    }
}
