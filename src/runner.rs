//! Runs replications in parallel and folds them into streaming statistics.
//!
//! Replications are grouped in fixed blocks of [`BLOCK`]; each block is folded in
//! replication order, and blocks are merged in block order. The grouping depends only
//! on the replication count, so results are the same bits whatever the thread count,
//! and a later split of the work (shards, resume) can reuse the same blocks.

use crate::engine::rng::StreamKey;
use crate::model::Prepared;
use crate::stats::Accumulator;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

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
    fn empty(totals_len: usize, series_len: usize) -> Self {
        Results {
            totals: vec![Accumulator::default(); totals_len],
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

/// A replication that failed: which one, so that it can be re-run alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicationFailure {
    /// The run's master seed.
    pub seed: u64,
    /// Design point.
    pub point: u32,
    /// Replication within the point.
    pub replication: u64,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for ReplicationFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "replication {} of design point {} (seed {}) failed: {}\n  re-run it alone with: feidi run SCENARIO --seed {} --replay {}:{}",
            self.replication, self.point, self.seed, self.message, self.seed, self.point, self.replication
        )
    }
}

/// Runs one replication, turning a panic (a bug in feidi) into a [`ReplicationFailure`]
/// that names the replication.
pub fn run_one(prepared: &Prepared<'_>, key: StreamKey) -> Result<crate::model::Outcome, ReplicationFailure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepared.simulate(key))).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_string());
        ReplicationFailure {
            seed: key.seed,
            point: key.point,
            replication: key.replication,
            message,
        }
    })
}

/// Runs block `block` of `settings` alone.
pub fn run_block(prepared: &Prepared<'_>, settings: RunSettings, block: u64) -> Result<Results, ReplicationFailure> {
    let series_len = prepared.bins() * prepared.series_width();
    let mut results = Results::empty(prepared.totals_width(), series_len);
    let first = block * BLOCK;
    let last = (first + BLOCK).min(settings.replications);
    for replication in first..last {
        let key = StreamKey {
            seed: settings.seed,
            point: settings.point,
            replication,
        };
        let outcome = run_one(prepared, key)?;
        for (acc, &x) in results.totals.iter_mut().zip(&outcome.totals) {
            acc.push(x);
        }
        for (acc, &x) in results.series.iter_mut().zip(&outcome.series) {
            acc.push(x);
        }
        results.replications += 1;
        results.events += outcome.events;
    }
    Ok(results)
}

/// Runs every replication of `settings` on the calling thread, block after block: for
/// callers that parallelize over something else (the points of a sweep). Gives the same
/// bits as [`run`].
pub fn run_serial(prepared: &Prepared<'_>, settings: RunSettings) -> Result<Results, ReplicationFailure> {
    let mut results = Results::empty(prepared.totals_width(), prepared.bins() * prepared.series_width());
    for block in 0..settings.replications.div_ceil(BLOCK) {
        results.merge(&run_block(prepared, settings, block)?);
    }
    Ok(results)
}

/// Like [`run_serial`], but stops at the first block boundary where every `(total,
/// target)` in `targets` has a 95 % confidence half-width at or below its target;
/// `settings.replications` is the cap. The decision depends only on the blocks merged so
/// far, so it is the same whatever else runs in parallel.
pub fn run_until(
    prepared: &Prepared<'_>,
    settings: RunSettings,
    targets: &[(usize, f64)],
) -> Result<Results, ReplicationFailure> {
    let mut results = Results::empty(prepared.totals_width(), prepared.bins() * prepared.series_width());
    for block in 0..settings.replications.div_ceil(BLOCK) {
        results.merge(&run_block(prepared, settings, block)?);
        let precise = targets.iter().all(|&(metric, target)| {
            let s = results.totals[metric].summary(0.95);
            s.n >= 2 && (s.ci_high - s.ci_low) / 2.0 <= target
        });
        if precise {
            break;
        }
    }
    Ok(results)
}

/// Runs every replication of `settings` on `pool`, calling `progress` with the number
/// finished as blocks are merged.
///
/// Workers claim blocks in increasing order and send their results through a bounded
/// channel; the calling thread (which must not be one of `pool`'s threads) merges them
/// strictly in block order, holding early arrivals aside. There is no barrier between
/// groups of blocks, and memory stays bounded by a few blocks per worker.
pub fn run(
    pool: &rayon::ThreadPool,
    prepared: &Prepared<'_>,
    settings: RunSettings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Results, ReplicationFailure> {
    let blocks = settings.replications.div_ceil(BLOCK);
    let workers = (pool.current_num_threads() as u64).clamp(1, blocks.max(1));
    let next_block = AtomicU64::new(0);
    let (sender, receiver) = mpsc::sync_channel::<(u64, Result<Results, ReplicationFailure>)>(2 * workers as usize);
    let mut failure = None;
    let mut results = Results::empty(prepared.totals_width(), prepared.bins() * prepared.series_width());
    pool.in_place_scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let next_block = &next_block;
            scope.spawn(move |_| loop {
                let block = next_block.fetch_add(1, Ordering::Relaxed);
                if block >= blocks || sender.send((block, run_block(prepared, settings, block))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let mut early: BTreeMap<u64, Results> = BTreeMap::new();
        let mut expected = 0;
        for (block, block_results) in receiver {
            let block_results = match block_results {
                Ok(r) => r,
                Err(e) => {
                    // Stop handing out blocks; the workers finish the ones they hold.
                    next_block.store(blocks, Ordering::Relaxed);
                    failure.get_or_insert(e);
                    continue;
                }
            };
            early.insert(block, block_results);
            while let Some(ready) = early.remove(&expected) {
                results.merge(&ready);
                expected += 1;
                progress(results.replications);
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(results),
    }
}
