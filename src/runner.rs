//! Runs replications in parallel and folds them into streaming statistics.
//!
//! Replications are grouped in fixed blocks of [`BLOCK`]; each block is folded in
//! replication order, and blocks are merged in block order. The grouping depends only
//! on the replication count, so results are the same bits whatever the thread count,
//! and a later split of the work (shards, resume) can reuse the same blocks.

use crate::engine::rng::StreamKey;
use crate::model::{metrics::total, Prepared};
use crate::stats::Accumulator;
use rayon::prelude::*;

/// Replications per block: the unit of folding, merging and progress.
pub const BLOCK: u64 = 64;

/// Which replications to run.
#[derive(Clone, Copy, Debug)]
pub struct RunSettings {
    /// Master seed.
    pub seed: u64,
    /// Design point index (0 for a single scenario).
    pub point: u32,
    /// Number of replications.
    pub replications: u64,
}

/// Statistics of a set of replications.
#[derive(Clone, Debug)]
pub struct Results {
    /// One accumulator per total, indexed like [`crate::model::metrics::totals`].
    pub totals: Vec<Accumulator>,
    /// One accumulator per (bin, series metric), bin-major.
    pub series: Vec<Accumulator>,
    /// Replications folded in.
    pub replications: u64,
    /// Model events handled in all of them.
    pub events: u64,
}

impl Results {
    fn empty(series_len: usize) -> Self {
        Results {
            totals: vec![Accumulator::default(); total::COUNT],
            series: vec![Accumulator::default(); series_len],
            replications: 0,
            events: 0,
        }
    }

    /// Folds in the results of the replications that follow these.
    pub fn merge(&mut self, later: &Results) {
        for (a, b) in self.totals.iter_mut().zip(&later.totals) {
            a.merge(b);
        }
        for (a, b) in self.series.iter_mut().zip(&later.series) {
            a.merge(b);
        }
        self.replications += later.replications;
        self.events += later.events;
    }
}

/// Runs block `block` of `settings` alone.
pub fn run_block(prepared: &Prepared<'_>, settings: RunSettings, block: u64) -> Results {
    let series_len = prepared.bins() * prepared.series_width();
    let mut results = Results::empty(series_len);
    let first = block * BLOCK;
    let last = (first + BLOCK).min(settings.replications);
    for replication in first..last {
        let key = StreamKey {
            seed: settings.seed,
            point: settings.point,
            replication,
        };
        let outcome = prepared.simulate(key);
        for (acc, &x) in results.totals.iter_mut().zip(&outcome.totals) {
            acc.push(x);
        }
        for (acc, &x) in results.series.iter_mut().zip(&outcome.series) {
            acc.push(x);
        }
        results.replications += 1;
        results.events += outcome.events;
    }
    results
}

/// Runs every replication of `settings` on the current rayon pool, calling `progress`
/// with the number finished after each wave of blocks.
pub fn run(prepared: &Prepared<'_>, settings: RunSettings, progress: &(dyn Fn(u64) + Sync)) -> Results {
    let blocks = settings.replications.div_ceil(BLOCK);
    // A wave keeps every thread busy while bounding how many block results wait to merge.
    let wave = (rayon::current_num_threads() as u64 * 4).max(1);
    let mut results = Results::empty(prepared.bins() * prepared.series_width());
    let mut start = 0;
    while start < blocks {
        let end = (start + wave).min(blocks);
        let done: Vec<Results> = (start..end)
            .into_par_iter()
            .map(|b| run_block(prepared, settings, b))
            .collect();
        for block in &done {
            results.merge(block);
        }
        progress(results.replications);
        start = end;
    }
    results
}
