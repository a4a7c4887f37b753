//! A generic discrete-event engine: a clock, a time-ordered event queue and random
//! streams. It knows nothing about enclaves; a model supplies its own event enum and
//! reacts to events through [`Model::handle`].

mod queue;
pub mod rng;

pub use queue::EventQueue;

/// An event a model schedules: a small `Copy` value that packs into 32 bits, so that a
/// queue entry (time, insertion number, event) is one 16-byte integer, which orders and
/// moves cheaply.
pub trait Event: Copy {
    /// The event's 32 bits.
    fn to_bits(self) -> u32;
    /// The event whose bits [`Event::to_bits`] returned.
    fn from_bits(bits: u32) -> Self;
}

impl Event for u32 {
    #[inline]
    fn to_bits(self) -> u32 {
        self
    }

    #[inline]
    fn from_bits(bits: u32) -> Self {
        bits
    }
}

/// A model driven by the engine: it owns its state and reacts to one event at a time.
pub trait Model {
    /// The model's event type, packed into 32 bits, so scheduling never allocates.
    type Event: Event;

    /// Reacts to `event`, which the simulation clock has just reached.
    fn handle(&mut self, sim: &mut Simulation<Self::Event>, event: Self::Event);
}

/// The clock and pending events of one replication.
pub struct Simulation<E> {
    now: f64,
    queue: EventQueue<E>,
    handled: u64,
}

impl<E: Event> Default for Simulation<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Event> Simulation<E> {
    /// An empty simulation at time zero.
    pub fn new() -> Self {
        Self::with_capacity(64)
    }

    /// An empty simulation whose queue has room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        Simulation {
            now: 0.0,
            queue: EventQueue::with_capacity(capacity),
            handled: 0,
        }
    }

    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Number of events handled so far.
    pub fn events_handled(&self) -> u64 {
        self.handled
    }

    /// Number of events still pending.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Schedules `event` at absolute time `at`, which must not lie in the past.
    #[inline]
    pub fn schedule_at(&mut self, at: f64, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past: {at} < {}", self.now);
        self.queue.push(at.max(self.now), event);
    }

    /// Schedules `event` at absolute time `at`, to be handled after every event that
    /// [`Simulation::schedule_at`] puts at the same time, also those scheduled later (by
    /// handlers at that very time): a mark that closes an interval (a, `at`] sees all
    /// of the interval, whatever order the events were scheduled in.
    #[inline]
    pub fn schedule_last_at(&mut self, at: f64, event: E) {
        debug_assert!(at >= self.now, "event scheduled in the past: {at} < {}", self.now);
        self.queue.push_last(at.max(self.now), event);
    }

    /// Schedules `event` after a delay `delay` (non-negative) from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: f64, event: E) {
        self.schedule_at(self.now + delay, event);
    }

    /// Hands events to `model` in time order until none is left or the next one lies
    /// after `until`; the clock then stands at the last handled event (or `until` when
    /// events remain). Returns the number of events handled by this call.
    pub fn run<M: Model<Event = E>>(&mut self, model: &mut M, until: f64) -> u64 {
        let start = self.handled;
        while let Some((time, event)) = self.queue.take_until(until) {
            self.now = time;
            self.handled += 1;
            model.handle(self, event);
        }
        if !self.queue.is_empty() {
            self.now = until;
        }
        self.handled - start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Recorder {
        seen: Vec<(f64, u32)>,
    }

    impl Model for Recorder {
        type Event = u32;
        fn handle(&mut self, sim: &mut Simulation<u32>, event: u32) {
            self.seen.push((sim.now(), event));
            if event == 1 {
                sim.schedule_in(0.5, 10);
            }
        }
    }

    #[test]
    fn events_run_in_time_order_with_ties_first_in_first_out() {
        let mut sim = Simulation::new();
        sim.schedule_at(2.0, 2);
        sim.schedule_at(1.0, 1);
        sim.schedule_at(2.0, 3);
        sim.schedule_at(9.0, 9);
        let mut model = Recorder { seen: Vec::new() };
        let handled = sim.run(&mut model, 5.0);
        assert_eq!(handled, 4);
        assert_eq!(model.seen, vec![(1.0, 1), (1.5, 10), (2.0, 2), (2.0, 3)]);
        assert_eq!(sim.now(), 5.0);
        assert_eq!(sim.pending(), 1);
    }

    #[test]
    fn an_event_scheduled_last_follows_events_scheduled_at_its_time_by_handlers() {
        let mut sim = Simulation::new();
        sim.schedule_last_at(1.5, 7);
        sim.schedule_at(1.0, 1);
        let mut model = Recorder { seen: Vec::new() };
        sim.run(&mut model, 5.0);
        // Event 10 is scheduled at 1.5 only when event 1 is handled, after event 7.
        assert_eq!(model.seen, vec![(1.0, 1), (1.5, 10), (1.5, 7)]);
    }
}
