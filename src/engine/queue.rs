//! The pending-event set: a binary min-heap keyed on (time, insertion number).
//!
//! The insertion number breaks ties first-in first-out, so the order of simultaneous
//! events depends only on the order in which they were scheduled; an event pushed with
//! [`EventQueue::push_last`] carries a mark in the insertion number's top bit, so it
//! runs after every ordinary event at its time, whenever those were pushed.

use super::Event;

/// One pending event as a single integer: time bits (high 64), insertion number (next
/// 32, of which the top bit is the [`LAST`] mark), event (low 32). Times are
/// non-negative, so their IEEE bit patterns order like the numbers themselves; entries
/// therefore order by time, then insertion number, with one integer comparison and no
/// branches, and move as one 16-byte value. The insertion
/// number reaches the [`LAST`] bit only after 2^31 events in one queue, and wraps after
/// 2^32; only the order among exactly simultaneous events could then change (still
/// deterministically).
type Entry = u128;

/// Top bit of the insertion number: set, the event sorts after every unmarked event at
/// the same time (a mark closing an interval that includes its end).
const LAST: u32 = 1 << 31;

#[inline(always)]
fn time_of(entry: Entry) -> f64 {
    f64::from_bits((entry >> 64) as u64)
}

/// A time-ordered queue of events of type `E`.
///
/// Hand-written rather than `std::collections::BinaryHeap` so that each step compares
/// one integer (the choice between two children is unpredictable, and branches there
/// cost more than the arithmetic), and so that the event being handled can stay on top
/// until the handler schedules the next one in its place (see [`EventQueue::take_until`]).
pub struct EventQueue<E> {
    heap: Vec<Entry>,
    next_seq: u32,
    /// The top entry was returned by `take_until` and is no longer pending.
    taken: bool,
    _event: std::marker::PhantomData<E>,
}

impl<E: Event> EventQueue<E> {
    /// An empty queue with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: Vec::with_capacity(capacity),
            next_seq: 0,
            taken: false,
            _event: std::marker::PhantomData,
        }
    }

    /// Adds `event` at `time` (finite and non-negative).
    #[inline(always)]
    pub fn push(&mut self, time: f64, event: E) {
        self.push_marked(time, event, 0);
    }

    /// Adds `event` at `time`, to come after every event pushed with [`EventQueue::push`]
    /// at the same time, including those pushed later; among themselves such events keep
    /// their insertion order.
    #[inline]
    pub fn push_last(&mut self, time: f64, event: E) {
        self.push_marked(time, event, LAST);
    }

    #[inline(always)]
    fn push_marked(&mut self, time: f64, event: E, mark: u32) {
        debug_assert!(time.is_finite() && time >= 0.0, "bad event time {time}");
        // +0.0 turns a -0.0 into +0.0 so that its bit pattern sorts first.
        let time_bits = (time + 0.0).to_bits();
        let seq = self.next_seq | mark;
        let entry = ((time_bits as u128) << 64) | ((seq as u128) << 32) | event.to_bits() as u128;
        // Not masked (that would cost an instruction per event): past 2^31 events the
        // count reaches the mark's bit, which only the order among exactly simultaneous
        // events can notice (see `Entry`).
        self.next_seq = self.next_seq.wrapping_add(1);
        if std::mem::take(&mut self.taken) {
            // The new entry takes the taken one's place: one sift from the top instead
            // of a removal now and an insertion here.
            sift_down(&mut self.heap, entry);
            return;
        }
        let pos = self.heap.len();
        self.heap.push(entry);
        sift_up(&mut self.heap, pos, entry);
    }

    /// Removes and returns the earliest event with its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, E)> {
        self.remove_taken();
        let top = *self.heap.first()?;
        self.remove_top();
        Some((time_of(top), E::from_bits(top as u32)))
    }

    /// Returns the earliest event with its time, unless it lies after `until` (or none
    /// is left), and takes it off the pending events. Its entry stays on top until the
    /// next push overwrites it or the next pop or take removes it: a handled event
    /// usually schedules another, which then costs one sift rather than two.
    #[inline]
    pub fn take_until(&mut self, until: f64) -> Option<(f64, E)> {
        self.remove_taken();
        let top = *self.heap.first()?;
        if time_of(top) > until {
            return None;
        }
        self.taken = true;
        Some((time_of(top), E::from_bits(top as u32)))
    }

    /// Removes the taken entry, if it is still on top.
    #[inline]
    fn remove_taken(&mut self) {
        if std::mem::take(&mut self.taken) {
            self.remove_top();
        }
    }

    /// Removes the top entry, if any.
    #[inline]
    fn remove_top(&mut self) {
        if let Some(last) = self.heap.pop() {
            if !self.heap.is_empty() {
                sift_down(&mut self.heap, last);
            }
        }
    }

    /// Number of pending events.
    pub fn len(&self) -> usize {
        self.heap.len() - self.taken as usize
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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

/// Puts `entry` in place of the root of a non-empty heap (an empty one is left alone).
///
/// As std's heap does: walks the hole down to a leaf along the earlier children, then
/// sifts `entry` up from there. The entry (the former last one, or a new event later
/// than most) usually belongs near the bottom, so this takes fewer comparisons than
/// testing it on the way down.
#[inline(always)]
fn sift_down(heap: &mut [Entry], entry: Entry) {
    // `left < len - 1` rather than `left + 1 < len`, and the chosen child's value kept
    // rather than re-read, so that the compiler can drop most bounds checks.
    let Some(last_index) = heap.len().checked_sub(1) else {
        return;
    };
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
    sift_up(heap, pos, entry);
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

    #[test]
    fn events_pushed_last_follow_every_other_event_at_their_time() {
        let mut q = EventQueue::with_capacity(4);
        q.push_last(2.0, 20);
        q.push(2.0, 21);
        q.push(1.0, 10);
        q.push_last(2.0, 22);
        q.push(3.0, 30);
        let (t, e) = q.take_until(f64::INFINITY).unwrap();
        assert_eq!((t, e), (1.0, 10));
        // Pushed after the marked ones, at the same time, and still before them.
        q.push(2.0, 23);
        let popped: Vec<(f64, u32)> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(popped, vec![(2.0, 21), (2.0, 23), (2.0, 20), (2.0, 22), (3.0, 30)]);
    }

    #[test]
    fn taken_events_leave_and_their_successors_keep_the_order() {
        // Handlers that schedule no, one or two events, checked against a plain list.
        let mut q = EventQueue::with_capacity(4);
        let mut naive: Vec<(f64, u32, u32)> = Vec::new();
        let (mut seq, mut x) = (0u32, 99u64);
        let mut push = |q: &mut EventQueue<u32>, naive: &mut Vec<(f64, u32, u32)>, t: f64| {
            q.push(t, seq);
            naive.push((t, seq, seq));
            seq += 1;
        };
        for t in [3.0, 1.0, 2.0, 1.0] {
            push(&mut q, &mut naive, t);
        }
        for _ in 0..3000 {
            let (t, e) = q.take_until(f64::INFINITY).expect("events remain");
            let first = (0..naive.len())
                .min_by(|&a, &b| naive[a].0.total_cmp(&naive[b].0).then(naive[a].1.cmp(&naive[b].1)))
                .unwrap();
            let (nt, _, ne) = naive.remove(first);
            assert_eq!((t, e), (nt, ne));
            assert_eq!(q.len(), naive.len());
            x = crate::engine::rng::mix64(x);
            // Growing while small, then as likely to shrink as to grow.
            let n = if naive.len() < 20 { 1 + x % 2 } else { x % 3 };
            for k in 0..n {
                push(&mut q, &mut naive, t + ((x >> (8 * k + 8)) % 4) as f64);
            }
        }
        while let Some((t, e)) = q.take_until(f64::INFINITY) {
            let first = (0..naive.len())
                .min_by(|&a, &b| naive[a].0.total_cmp(&naive[b].0).then(naive[a].1.cmp(&naive[b].1)))
                .unwrap();
            assert_eq!((t, e), (naive[first].0, naive[first].2));
            naive.remove(first);
        }
        assert!(q.is_empty() && naive.is_empty());
    }
}
