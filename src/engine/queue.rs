//! The pending-event set: a binary min-heap keyed on (time, insertion number).
//!
//! The insertion number breaks ties first-in first-out, so the order of simultaneous
//! events depends only on the order in which they were scheduled.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One pending event. Times are non-negative, so their IEEE bit patterns order like
/// the numbers themselves and compare as plain integers. The insertion number is 32
/// bits to keep entries small; it wraps only after 2^32 events in one queue, and then
/// only the order among exactly simultaneous events could change (still deterministically).
#[derive(Clone, Copy)]
struct Entry<E> {
    time_bits: u64,
    seq: u32,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time_bits == other.time_bits && self.seq == other.seq
    }
}

impl<E> Eq for Entry<E> {}

impl<E> Ord for Entry<E> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest event on top.
        (other.time_bits, other.seq).cmp(&(self.time_bits, self.seq))
    }
}

impl<E> PartialOrd for Entry<E> {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A time-ordered queue of events of type `E`.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    next_seq: u32,
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
        }
    }

    /// Adds `event` at `time` (finite and non-negative).
    #[inline]
    pub fn push(&mut self, time: f64, event: E) {
        debug_assert!(time.is_finite() && time >= 0.0, "bad event time {time}");
        // +0.0 turns a -0.0 into +0.0 so that its bit pattern sorts first.
        let time_bits = (time + 0.0).to_bits();
        self.heap.push(Entry {
            time_bits,
            seq: self.next_seq,
            event,
        });
        self.next_seq = self.next_seq.wrapping_add(1);
    }

    /// Removes and returns the earliest event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.heap.pop().map(|e| (f64::from_bits(e.time_bits), e.event))
    }

    /// The time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|e| f64::from_bits(e.time_bits))
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_four_byte_event_makes_a_sixteen_byte_entry() {
        // The queue's speed depends on entry size; models that pack their events into
        // 32 bits get the smallest entries.
        assert_eq!(std::mem::size_of::<Entry<u32>>(), 16);
    }

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut q = EventQueue::with_capacity(4);
        let mut x: u64 = 12345;
        let mut expected = Vec::new();
        for i in 0..2000u32 {
            x = crate::engine::rng::mix64(x);
            let t = (x % 50) as f64;
            q.push(t, i);
            expected.push((t, i));
        }
        expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let popped: Vec<(f64, u32)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(popped, expected);
        assert!(q.is_empty());
    }
}
