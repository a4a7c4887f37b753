//! The pending-event set: a binary min-heap keyed on (time, insertion number).
//!
//! The insertion number breaks ties first-in first-out, so the order of simultaneous
//! events depends only on the order in which they were scheduled.

use super::Event;

/// One pending event as a single integer: time bits (high 64), insertion number (next
/// 32), event (low 32). Times are non-negative, so their IEEE bit patterns order like
/// the numbers themselves; entries therefore order by time, then insertion number, with
/// one integer comparison and no branches, and move as one 16-byte value. The insertion
/// number wraps only after 2^32 events in one queue, and then only the order among
/// exactly simultaneous events could change (still deterministically).
type Entry = u128;

#[inline(always)]
fn time_of(entry: Entry) -> f64 {
    f64::from_bits((entry >> 64) as u64)
}

/// A time-ordered queue of events of type `E`.
///
/// Hand-written rather than `std::collections::BinaryHeap` so that each step compares
/// one integer: the choice between two children is unpredictable, and branches there
/// cost more than the arithmetic.
pub struct EventQueue<E> {
    heap: Vec<Entry>,
    next_seq: u32,
    _event: std::marker::PhantomData<E>,
}

impl<E: Event> EventQueue<E> {
    /// An empty queue with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: Vec::with_capacity(capacity),
            next_seq: 0,
            _event: std::marker::PhantomData,
        }
    }

    /// Adds `event` at `time` (finite and non-negative).
    #[inline]
    pub fn push(&mut self, time: f64, event: E) {
        debug_assert!(time.is_finite() && time >= 0.0, "bad event time {time}");
        // +0.0 turns a -0.0 into +0.0 so that its bit pattern sorts first.
        let time_bits = (time + 0.0).to_bits();
        let entry = ((time_bits as u128) << 64) | ((self.next_seq as u128) << 32) | event.to_bits() as u128;
        self.next_seq = self.next_seq.wrapping_add(1);
        let pos = self.heap.len();
        self.heap.push(entry);
        sift_up(&mut self.heap, pos, entry);
    }

    /// Removes and returns the earliest event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        let last = self.heap.pop()?;
        let top = match self.heap.first_mut() {
            Some(first) => std::mem::replace(first, last),
            None => last,
        };
        if !self.heap.is_empty() {
            sift_down(&mut self.heap, last);
        }
        Some((time_of(top), E::from_bits(top as u32)))
    }

    /// Removes and returns the earliest event with its time, unless it lies after
    /// `until` (or none is left).
    #[inline]
    pub fn pop_until(&mut self, until: f64) -> Option<(f64, E)> {
        if time_of(*self.heap.first()?) > until {
            return None;
        }
        self.pop()
    }

    /// The time of the earliest event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.first().map(|&e| time_of(e))
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

/// Moves `entry` up from the hole at `pos` while its parent is later.
#[inline(always)]
fn sift_up(heap: &mut [Entry], mut pos: usize, entry: Entry) {
    while pos > 0 {
        let parent = (pos - 1) / 2;
        let above = heap[parent];
        if entry >= above {
            break;
        }
        heap[pos] = above;
        pos = parent;
    }
    heap[pos] = entry;
}

/// Refills the root's hole with `last` (the former last entry), a non-empty heap.
///
/// As std's heap does: walks the hole down to a leaf along the earlier children, then
/// sifts `last` up from there. It usually belongs near the bottom, so this takes fewer
/// comparisons than testing it on the way down.
#[inline(always)]
fn sift_down(heap: &mut [Entry], last: Entry) {
    // `left < len - 1` rather than `left + 1 < len`, and the chosen child's value kept
    // rather than re-read, so that the compiler can drop most bounds checks.
    let last_index = heap.len() - 1;
    let mut pos = 0;
    let mut left = 1;
    while left < last_index {
        let (a, b) = (heap[left], heap[left + 1]);
        let right_first = b < a;
        heap[pos] = if right_first { b } else { a };
        pos = left + right_first as usize;
        left = 2 * pos + 1;
    }
    if left == last_index {
        heap[pos] = heap[left];
        pos = left;
    }
    sift_up(heap, pos, last);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut q = EventQueue::with_capacity(4);
        let mut x: u64 = 12345;
        let mut expected = Vec::new();
        for i in 0..2000u32 {
            x = crate::engine::rng::mix64(x);
            let t = (x % 50) as f64;
            // Events numbered against insertion order: ties must follow insertion.
            q.push(t, u32::MAX - i);
            expected.push((t, u32::MAX - i));
        }
        // A stable sort by time keeps insertion order among equal times.
        expected.sort_by(|a, b| a.0.total_cmp(&b.0));
        let popped: Vec<(f64, u32)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(popped, expected);
        assert!(q.is_empty());
    }
}
